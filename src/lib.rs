//! # jobmatch
//!
//! Matches job seekers to vacancies at the scale of a whole labour market:
//! the joint public job platform of Sichuan and Chongqing, about 1.88 million
//! vacancies. Vacancies live in a [tantivy](https://docs.rs/tantivy) index
//! (Chinese-aware text, exact skill terms, region codes, fast fields) that is
//! updated while it serves; each seeker gets the exact top k vacancies on
//! skills, occupation, title, commute distance, cross-region mobility,
//! salary, education, experience, industry and freshness, with every score
//! explained signal by signal.
//!
//! ```
//! use jobmatch::{index::VacancyIndex, matcher::Matcher, rank::RankingConfig, Date, Seeker, Vacancy};
//! let index = VacancyIndex::create_in_ram()?;
//! for (id, title, skill, region) in [("v1", "焊工", "电焊", "500107"), ("v2", "数控车床操作工", "CNC", "500107"), ("v3", "会计", "会计", "510104")] {
//!     let mut v = Vacancy::new(id, title, region.parse()?)?;
//!     v.skills = vec![skill.into()];
//!     index.upsert(&v)?;
//! }
//! index.commit()?;
//! let matcher = Matcher::new(index.snapshot()?, RankingConfig::default(), Date::new(2021, 3, 31)?)?;
//! let seeker = Seeker::new("s1", vec!["焊接".into(), "数控".into()], "500107".parse()?)?; // 九龙坡, Chongqing
//! let best = &matcher.match_one(&seeker, 10)?.matches[0];
//! println!("{} {:.3}", best.vacancy, best.score);
//! println!("{}", serde_json::to_string_pretty(&matcher.explain(&seeker, &best.vacancy)?).unwrap());
//! # Ok::<(), jobmatch::Error>(())
//! ```
//!
//! ## What is here
//! Modules in the order data flows through them (`ARCHITECTURE.md`; a test
//! fails when a module imports one later in the flow):
//! [`region`], [`text`] and [`taxonomy`] are the reference data's parts
//! (gazetteer, folding and Chinese segmentation, CSCO 2022 occupations,
//! skills, the title coder) and [`reference`](mod@reference) bundles one market's as a
//! value; [`model`] holds the validated domain types; [`io`] reads and
//! writes JSON Lines (the interchange format); [`market`] generates
//! calibrated synthetic markets; [`index`] is the vacancy index
//! ([`index::VacancyIndex`], [`index::Snapshot`]); [`retrieve`] is reach and
//! the hard constraints; [`shard`] splits a market over several indexes and
//! reads them as one ([`shard::ShardSet`]); [`rank`] is the configuration and the signals
//! ([`rank::RankingConfig`], [`rank::Signal`]); [`matcher`] is the front
//! door; [`reverse`] is the other direction (the seekers who fit a vacancy,
//! job alerts for new postings); [`assign`] decides who gets which of the
//! limited openings (job fairs); [`guidance`] says which skill would help a
//! seeker most, where a district's seekers lack what employers ask for,
//! and what a training programme would change; [`stats`] reports market figures. Errors
//! are one enum, [`Error`].
//!
//! ## What is not
//! - No clock is read while ranking: "today" is an argument.
//! - No global thread pool is configured: [`matcher::Matcher::match_batch`]
//!   runs on the caller's rayon pool.
//! - No tantivy type in the public API: the index is behind
//!   [`index::VacancyIndex`] and [`index::Snapshot`].
//! - No market is built in beyond the default: another one's gazetteer,
//!   classification and skills are a [`reference::ReferenceData`] given to
//!   the index.

//! ## Untrusted input
//! Every record is validated when read, with an error that names the line and
//! field. Limits protect a server: line length
//! ([`io::DEFAULT_MAX_LINE_BYTES`]), list lengths and text sizes per record
//! ([`model::MAX_LIST_LEN`], [`model::MAX_TEXT_BYTES`]), skills and title
//! terms per seeker and `k` ([`rank::RankingConfig`], `max_k` at most
//! [`rank::RankingConfig::MAX_K_LIMIT`]); exceeding one is an error, never a
//! panic. A seeker built or changed in code is checked by the matcher like
//! one read from a file (a NaN radius is an error naming the seeker and
//! field).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Nothing a user supplies may panic: no unwrap, no expect, no unchecked
// index. A module that indexes in its hot loop says why the index is in
// range where it allows it.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

pub mod assign;
pub mod error;
pub mod guidance;
pub mod index;
pub mod ingest;
pub mod io;
pub mod learn;
pub mod market;
pub mod matcher;
pub mod model;
pub mod rank;
pub mod reference;
pub mod region;
pub mod retrieve;
pub mod reverse;
pub mod shard;
pub mod stats;
pub mod taxonomy;
pub mod text;

pub use error::{Error, Result};
pub use model::{Cny, Date, Education, Industry, Mobility, PriorityGroup, Seeker, Vacancy};
pub use region::{Coordinates, RegionCode, RegionPrefix};
pub use taxonomy::OccupationCode;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/library.md")]
struct LibraryGuideDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/ingest.md")]
struct IngestGuideDoctests;
