//! # jobmatch
//!
//! Matches job seekers to vacancies at the scale of a whole labour market:
//! the joint public job platform of Sichuan and Chongqing, about 1.88 million
//! vacancies.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod error;
pub mod index;
pub mod io;
pub mod market;
pub mod matcher;
pub mod model;
pub mod rank;
pub mod region;
pub mod retrieve;
pub mod stats;
pub mod taxonomy;
pub mod text;

pub use error::{Error, Result};
pub use model::{Cny, Date, Education, Industry, Mobility, PriorityGroup, Seeker, Vacancy};
pub use region::{Coordinates, RegionCode, RegionPrefix};
pub use taxonomy::OccupationCode;
