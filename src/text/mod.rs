//! Text: folding and Chinese word segmentation, shared by the skill
//! vocabulary, the title coder, the index's analyzer and the ranker.
//!
//! - [`fold`](fn@fold): full-width → half-width, lowercase, one space;
//! - [`terms`]: the words of a text as the index segments titles (jieba's
//!   search mode over folded text).
//!
//! Everything that turns text into terms is here, below the taxonomy and the
//! index, so that a skill, a seeker's title and an indexed title are cut the
//! same way.

mod fold;
mod segment;

pub use fold::{fold, fold_char, is_cjk};
pub use segment::{Word, terms, warm_up, word_starts, words};
