//! Ranking configuration: signal weights, decay shapes, policies, limits.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Names of the signals, in the order of [`Weights::as_array`] and of
/// every component vector.
pub const SIGNALS: [&str; 11] = [
    "skills",
    "occupation",
    "title",
    "location",
    "mobility",
    "salary",
    "education",
    "experience",
    "industry",
    "freshness",
    "priority",
];

/// Number of signals.
pub const NUM_SIGNALS: usize = SIGNALS.len();

/// Position of each signal in component vectors.
pub mod signal {
    /// Skill overlap, IDF-weighted, with related-skill credit.
    pub const SKILLS: usize = 0;
    /// CSCO occupation closeness.
    pub const OCCUPATION: usize = 1;
    /// Desired titles against the vacancy title.
    pub const TITLE: usize = 2;
    /// Commute distance.
    pub const LOCATION: usize = 3;
    /// Willingness to move there.
    pub const MOBILITY: usize = 4;
    /// Salary against the seeker's minimum.
    pub const SALARY: usize = 5;
    /// Education against the requirement.
    pub const EDUCATION: usize = 6;
    /// Experience against the requirement.
    pub const EXPERIENCE: usize = 7;
    /// Industry preference.
    pub const INDUSTRY: usize = 8;
    /// Posting age.
    pub const FRESHNESS: usize = 9;
    /// Priority-group policy boost.
    pub const PRIORITY: usize = 10;
}

/// Weight of each signal in the final score (any non-negative numbers; the
/// score divides by their sum, so it stays in [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// Skills (default 0.35): the strongest evidence of fit.
    pub skills: f64,
    /// Occupation (default 0.10).
    pub occupation: f64,
    /// Title (default 0.10).
    pub title: f64,
    /// Location (default 0.12).
    pub location: f64,
    /// Mobility (default 0.05).
    pub mobility: f64,
    /// Salary (default 0.08).
    pub salary: f64,
    /// Education (default 0.05).
    pub education: f64,
    /// Experience (default 0.05).
    pub experience: f64,
    /// Industry (default 0.03).
    pub industry: f64,
    /// Freshness (default 0.07).
    pub freshness: f64,
    /// Priority-group boost (default 0: off).
    pub priority: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            skills: 0.35,
            occupation: 0.10,
            title: 0.10,
            location: 0.12,
            mobility: 0.05,
            salary: 0.08,
            education: 0.05,
            experience: 0.05,
            industry: 0.03,
            freshness: 0.07,
            priority: 0.0,
        }
    }
}

impl Weights {
    /// The weights in [`SIGNALS`] order.
    pub fn as_array(&self) -> [f64; NUM_SIGNALS] {
        [
            self.skills,
            self.occupation,
            self.title,
            self.location,
            self.mobility,
            self.salary,
            self.education,
            self.experience,
            self.industry,
            self.freshness,
            self.priority,
        ]
    }
}

/// How likely a move between the two provinces is, relative to a move
/// within one (which counts 1).
///
/// Defaults from the class-of-2020 graduate flows (market-facts): 8.06% of
/// Chongqing's graduates went to work in Sichuan and 3.12% of Sichuan's in
/// Chongqing, so Chongqing → Sichuan counts 1 and Sichuan → Chongqing
/// 3.12 / 8.06 ≈ 0.39.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MobilityPrior {
    /// A move within the home province.
    pub within_province: f64,
    /// From Sichuan (51) to Chongqing (50).
    pub sichuan_to_chongqing: f64,
    /// From Chongqing (50) to Sichuan (51).
    pub chongqing_to_sichuan: f64,
}

impl Default for MobilityPrior {
    fn default() -> Self {
        MobilityPrior {
            within_province: 1.0,
            sichuan_to_chongqing: 0.0312 / 0.0806,
            chongqing_to_sichuan: 1.0,
        }
    }
}

impl MobilityPrior {
    /// The prior of a move from province `from` to province `to` (2-digit
    /// codes).
    pub fn between(&self, from: u32, to: u32) -> f64 {
        match (from, to) {
            (a, b) if a == b => self.within_province,
            (51, 50) => self.sichuan_to_chongqing,
            (50, 51) => self.chongqing_to_sichuan,
            _ => self
                .within_province
                .min(self.sichuan_to_chongqing)
                .min(self.chongqing_to_sichuan),
        }
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
    /// Province-to-province move priors.
    pub mobility_prior: MobilityPrior,
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
    /// Exclude vacancies whose salary is below the seeker's minimum
    /// (default false: graded instead).
    pub require_salary: bool,
    /// At most this many results per employer (default: no limit).
    pub max_per_employer: Option<usize>,
    /// When fewer than k vacancies are in reach, widen the commute radius ×2,
    /// then to the seeker's whole province, and mark those results
    /// (default false).
    pub broaden: bool,
    /// Largest k a request may ask for (default 1,000).
    pub max_k: usize,
    /// Most skills a seeker may list (default 64).
    pub max_skills_per_seeker: usize,
    /// Most title terms a seeker may give (default 32).
    pub max_title_terms: usize,
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
            mobility_prior: MobilityPrior::default(),
            related_per_skill: 0,
            related_min: 0.3,
            related_credit: 0.5,
            require_salary: false,
            max_per_employer: None,
            broaden: false,
            max_k: 1_000,
            max_skills_per_seeker: 64,
            max_title_terms: 32,
        }
    }
}

impl RankingConfig {
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
        let w = self.weights.as_array();
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
        {
            return bad("education_step, salary_unknown, related_min and related_credit must be in [0, 1]");
        }
        if !(self.salary_tolerance.is_finite() && self.salary_tolerance > 0.0) {
            return bad("salary_tolerance must be > 0");
        }
        let p = self.mobility_prior;
        if ![p.within_province, p.sichuan_to_chongqing, p.chongqing_to_sichuan]
            .into_iter()
            .all(unit)
        {
            return bad("mobility_prior values must be in [0, 1]");
        }
        if self.max_per_employer == Some(0) {
            return bad("max_per_employer must be at least 1");
        }
        if self.max_k == 0 {
            return bad("max_k must be at least 1");
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
