//! Ranking: every signal in [0, 1], combined by weights, exact top k.
//!
//! - [`config`]: weights, shapes and limits ([`RankingConfig`]);
//! - `query`: a seeker prepared for one snapshot (terms with global IDF,
//!   reach, seeker-side values);
//! - [`related`]: skill relatedness learned from the market (ndarray);
//! - occupations inferred from skills ([`crate::index::inferred`], learned
//!   from the market by the index, which infers uncoded vacancies' too);
//! - [`signal`]: the table of signals ([`Signal`], [`Signals`]) and the
//!   function of each;
//! - `score`: the scoring function over a prepared query, the one place a
//!   score is computed, and the bounds the search prunes with;
//! - `search`: the pruned top-k search and the exhaustive scan, both over
//!   the same scoring function;
//! - `topk`: total order by score, then vacancy id;
//! - `trades`: a seeker with several trades sees each (places reserved
//!   in the top k, filled from the exact top 10·k).
//!
//! The score of a vacancy is `Σ wᵢ·sᵢ / Σ wᵢ` over the signals `sᵢ`:
//! skills (the vacancy's skills the seeker holds, each once: their evidence
//! of fit by rarity combined as independent evidence, soft skills in a
//! small tier of their own, times ½ + ½ × the share of the vacancy's skills
//! the seeker covers; adding a skill never lowers it, see
//! [`Signal::Skills`]),
//! occupation (closeness in the CSCO hierarchy), title (IDF-weighted share
//! of the seeker's title terms in the vacancy title), location (full within
//! `full_credit_km`, falling linearly to 0 at the commute radius; remote
//! counts as close), mobility (beyond the commute radius, the prior of a
//! move between the two provinces when the seeker would move there),
//! salary, education, experience (meeting the requirement is full credit,
//! a miss is graded), industry preference, freshness (halving every
//! `freshness_half_life_days`), and an optional priority-group boost.

pub mod config;
pub(crate) mod query;
pub mod related;
pub(crate) mod score;
pub(crate) mod search;
pub mod signal;
pub(crate) mod topk;
pub(crate) mod trades;

pub use config::{MobilityPrior, RankingConfig, Weights};
pub use search::SearchStats;
pub use signal::{NUM_SIGNALS, Signal, Signals};
