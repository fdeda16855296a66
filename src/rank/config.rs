//! Ranking configuration: signal weights, decay shapes, policies, limits.

use serde::{Deserialize, Serialize};

use super::signal::{NUM_SIGNALS, Signal, Signals};
use crate::error::{Error, Result};
pub use crate::reference::MobilityPrior;

/// Weight of each signal in the final score (any non-negative numbers; the
/// score divides by their sum, so it stays in [0, 1]). Defaults:
/// [`Signal::default_weight`]. In a config file, a map from signal name to
/// weight; signals left out keep their default, unknown names are an error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights(Signals<f64>);

impl Default for Weights {
    fn default() -> Self {
        Weights(Signals::from_fn(Signal::default_weight))
    }
}

impl From<Signals<f64>> for Weights {
    fn from(w: Signals<f64>) -> Self {
        Weights(w)
    }
}

impl Weights {
    /// The weight of a signal.
    pub fn get(&self, s: Signal) -> f64 {
        self.0[s]
    }

    /// Sets the weight of a signal.
    pub fn set(&mut self, s: Signal, weight: f64) {
        self.0[s] = weight;
    }

    /// Every weight, by signal.
    pub fn as_signals(&self) -> &Signals<f64> {
        &self.0
    }
}

impl Serialize for Weights {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(NUM_SIGNALS))?;
        for (signal, w) in self.0.iter() {
            m.serialize_entry(signal.name(), w)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Weights {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Weights;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map from signal name to weight")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Weights, A::Error> {
                let mut w = Weights::default();
                while let Some(key) = map.next_key::<String>()? {
                    let Some(signal) = Signal::from_name(&key) else {
                        return Err(serde::de::Error::unknown_field(&key, &Signal::NAMES));
                    };
                    w.set(signal, map.next_value()?);
                }
                Ok(w)
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// Everything that shapes a ranking. Plain data with documented defaults;
/// read it from JSON or TOML-like config with unknown keys rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RankingConfig {
    /// Signal weights.
    pub weights: Weights,
    /// Distance (km) within which the location signal is full (default 3).
    pub full_credit_km: f64,
    /// Age (days) at which freshness halves (default 30).
    pub freshness_half_life_days: f64,
    /// Education credit lost per level below the requirement (default 0.35).
    pub education_step: f64,
    /// Salary credit reaches 0 this fraction below the seeker's minimum
    /// (default 0.5: half the minimum).
    pub salary_tolerance: f64,
    /// Credit when the vacancy states no salary (default 0.5).
    pub salary_unknown: f64,
    /// Province-to-province move priors (default: none, the reference
    /// data's: [`crate::reference::ReferenceData::mobility_prior`]).
    pub mobility_prior: Option<MobilityPrior>,
    /// Related skills credited per seeker skill (default 0: aliases only).
    ///
    /// When above 0 the matcher learns skill relatedness from the snapshot
    /// ([`crate::rank::related`]) and credits each seeker skill's nearest
    /// skills at `related_credit × relatedness`. Off by default because,
    /// measured at 1.88M generated vacancies, learning took 1.2 s (over the
    /// 1 s reopen budget), ranking took twice as long and recall of planted
    /// vacancies did not improve (0.613 with 3, 0.627 without): generated
    /// seekers word their skills as employers do. Turn it on where they
    /// don't.
    pub related_per_skill: usize,
    /// Lowest relatedness that earns credit (default 0.3).
    pub related_min: f64,
    /// Credit of a related skill relative to the skill itself (default 0.5).
    pub related_credit: f64,
    /// Infer the occupation of a seeker who gives none and whose titles do
    /// not code from their skills (default true; see
    /// [`crate::index::inferred`]): which occupations' vacancies in the market
    /// ask for them, weighted by rarity.
    pub infer_occupation: bool,
    /// Share of the skills' vote an inferred occupation or group must hold
    /// (default 0.3).
    pub infer_min_confidence: f64,
    /// Exclude vacancies whose salary is below the seeker's minimum
    /// (default false: graded instead).
    pub require_salary: bool,
    /// At most this many results per employer (default: no limit).
    pub max_per_employer: Option<usize>,
    /// A seeker whose occupations (given, coded from titles or inferred
    /// from skills) fall in two or more trades (CSCO minor groups) sees
    /// each: of the top k, each trade is sure of `k / (trades + 1)` places,
    /// filled by its best vacancies among the exact top 10·k, the rest by
    /// score, shown in score order (default true). Both ranking paths pick
    /// the same way, so they agree; job-fair preference lists are never
    /// reshaped.
    pub share_by_trade: bool,
    /// When fewer than k vacancies are in reach, widen the commute radius ×2,
    /// then to the seeker's whole province, and mark those results
    /// (default false).
    pub broaden: bool,
    /// Largest k a request may ask for (default 1,000; at most
    /// [`RankingConfig::MAX_K_LIMIT`]).
    pub max_k: usize,
    /// Most skills a seeker may list (default 64).
    pub max_skills_per_seeker: usize,
    /// Most title terms a seeker may give (default 32).
    pub max_title_terms: usize,
    /// Time one search may take, in milliseconds (default: none). A search
    /// past it stops with the best vacancies found so far, walked from the
    /// seeker's own region outwards, and says so
    /// ([`crate::matcher::MatchResult::truncated`]). For serving under a
    /// latency budget; batch work should leave it unset (exact answers).
    pub deadline_ms: Option<u64>,
    /// Vacancies one search may score in full (default: none), the
    /// deterministic form of `deadline_ms`: the same seeker stops at the
    /// same place on every machine.
    pub max_scored: Option<u64>,
}

impl Default for RankingConfig {
    fn default() -> Self {
        RankingConfig {
            weights: Weights::default(),
            full_credit_km: 3.0,
            freshness_half_life_days: 30.0,
            education_step: 0.35,
            salary_tolerance: 0.5,
            salary_unknown: 0.5,
            mobility_prior: None,
            related_per_skill: 0,
            related_min: 0.3,
            related_credit: 0.5,
            infer_occupation: true,
            infer_min_confidence: 0.3,
            require_salary: false,
            max_per_employer: None,
            share_by_trade: true,
            broaden: false,
            max_k: 1_000,
            max_skills_per_seeker: 64,
            max_title_terms: 32,
            deadline_ms: None,
            max_scored: None,
        }
    }
}

impl RankingConfig {
    /// The largest `max_k` a config may set: a result list longer than this
    /// is no recommendation, and it bounds the memory one request can claim.
    pub const MAX_K_LIMIT: usize = 100_000;

    /// Checks that every number is finite and in range.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first bad setting.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str| {
            Err(Error::Config {
                reason: what.to_owned(),
            })
        };
        let w = self.weights.as_signals().values();
        if w.iter().any(|x| !x.is_finite() || *x < 0.0) {
            return bad("weights must be finite and non-negative");
        }
        if w.iter().sum::<f64>() <= 0.0 {
            return bad("at least one weight must be positive");
        }
        let unit = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        if !(self.full_credit_km.is_finite() && self.full_credit_km >= 0.0) {
            return bad("full_credit_km must be a distance ≥ 0");
        }
        if !(self.freshness_half_life_days.is_finite() && self.freshness_half_life_days > 0.0) {
            return bad("freshness_half_life_days must be > 0");
        }
        if !unit(self.education_step)
            || !unit(self.salary_unknown)
            || !unit(self.related_min)
            || !unit(self.related_credit)
            || !unit(self.infer_min_confidence)
        {
            return bad(
                "education_step, salary_unknown, related_min, related_credit and infer_min_confidence must be in [0, 1]",
            );
        }
        if !(self.salary_tolerance.is_finite() && self.salary_tolerance > 0.0) {
            return bad("salary_tolerance must be > 0");
        }
        if self.deadline_ms == Some(0) || self.max_scored == Some(0) {
            return bad("deadline_ms and max_scored must be > 0 when set");
        }
        if let Some(p) = &self.mobility_prior
            && !p.values().all(unit)
        {
            return bad("mobility_prior values must be in [0, 1]");
        }
        if self.max_per_employer == Some(0) {
            return bad("max_per_employer must be at least 1");
        }
        if self.max_k == 0 || self.max_k > Self::MAX_K_LIMIT {
            return bad("max_k must be between 1 and 100000");
        }
        Ok(())
    }

    /// Reads a config from JSON, rejecting unknown keys.
    ///
    /// # Errors
    /// [`Error::Config`] with serde's description of the problem.
    pub fn from_json(text: &str) -> Result<RankingConfig> {
        let c: RankingConfig = serde_json::from_str(text).map_err(|e| Error::Config {
            reason: e.to_string(),
        })?;
        c.validate()?;
        Ok(c)
    }
}
