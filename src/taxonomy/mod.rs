//! The national occupational classification (CSCO 2022, 《中华人民共和国职业
//! 分类大典（2022年版）》) and the skill vocabulary, inside the engine.
//!
//! - [`occupation`]: codes, the four-level hierarchy, names and job-board
//!   aliases, lookups and relatedness.
//! - [`classify`](mod@classify): free job titles to ranked CSCO codes;
//! - [`skill`]: canonical skills with Chinese and English names and aliases,
//!   folding free skill strings to one form, and each occupation's profile.

pub mod classify;
mod linear;
pub mod occupation;
pub mod skill;

pub use classify::{
    Accuracy, Classifier, Coded, LabeledTitle, MIN_CODING_CONFIDENCE, classifier, classify, code_title,
    cross_validate, read_labeled_titles,
};
pub(crate) use classify::{classifier_is_ready, install_shipped, shipped_fingerprint};
pub use occupation::{Occupation, OccupationCode, OccupationLevel, Taxonomy, taxonomy};
pub(crate) use occupation::{PathTerm, path_credits, path_terms, relatedness_packed};
pub use skill::{SkillId, SkillKind, SkillVocabulary, skills};
