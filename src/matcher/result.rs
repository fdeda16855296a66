//! What matching returns: ranked matches and explanations, as the
//! interchange format writes them.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::rank::{Signal, Signals};
use crate::retrieve::Exclusion;

/// Per-signal values of a match, serialised as `{"skills": 0.9, …}` for
/// every signal whose weight is not zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Components {
    pub(crate) values: Signals<f64>,
    pub(crate) weights: Signals<f64>,
}

impl Components {
    /// The value of a signal by name.
    pub fn get(&self, name: &str) -> Option<f64> {
        Signal::from_name(name).map(|s| self.values[s])
    }

    /// `(name, value, normalised weight)` of every signal.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64, f64)> + '_ {
        Signal::ALL
            .into_iter()
            .map(|s| (s.name(), self.values[s], self.weights[s]))
    }
}

impl Serialize for Components {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let n = self.weights.values().iter().filter(|w| **w > 0.0).count();
        let mut m = s.serialize_map(Some(n))?;
        for (name, value, weight) in self.iter() {
            if weight > 0.0 {
                m.serialize_entry(name, &round6(value))?;
            }
        }
        m.end()
    }
}

pub(crate) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// How far reach was widened to find a match (see
/// [`crate::rank::RankingConfig::broaden`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Widening {
    /// Found with the commute radius doubled.
    CommuteX2,
    /// Found anywhere in the seeker's province (and with the radius doubled).
    Province,
}

/// One ranked vacancy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// Vacancy id.
    pub vacancy: String,
    /// Score in [0, 1].
    pub score: f64,
    /// Per-signal values.
    pub components: Components,
    /// Distance from the seeker's home, km.
    pub distance_km: f64,
    /// Set when the match was found only by widening reach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub widened: Option<Widening>,
}

/// The ranked vacancies of one seeker, best first: one line of the
/// interchange format's match results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    /// Seeker id.
    pub seeker: String,
    /// Best first.
    pub matches: Vec<Match>,
    /// The search stopped at its allowance
    /// ([`crate::rank::RankingConfig::deadline_ms`] or `max_scored`): these
    /// are the best vacancies it found, not necessarily the top k. Written
    /// only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// Why a vacancy scores what it does for a seeker, or why it is excluded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Seeker id.
    pub seeker: String,
    /// Vacancy id.
    pub vacancy: String,
    /// The score, when the vacancy may be returned.
    pub score: Option<f64>,
    /// Why the vacancy is never returned to this seeker, if it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<Exclusion>,
    /// Set when the vacancy is in reach only by widening (with
    /// [`crate::rank::RankingConfig::broaden`] on): the score is then the one
    /// a widened match gets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub widened: Option<Widening>,
    /// Distance from home, km.
    pub distance_km: f64,
    /// Every signal: value, normalised weight, contribution to the score.
    pub signals: Vec<SignalExplanation>,
    /// Each of the seeker's skills and the credit it earned.
    pub skills: Vec<TermCredit>,
    /// Each of the seeker's title terms and whether the title holds it.
    pub title_terms: Vec<TermCredit>,
    /// The occupation the occupation signal compared, when it was inferred
    /// from the seeker's skills (the seeker gave none and its titles did not
    /// code): the code, the share of the vote it holds and the skills that
    /// voted for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred_occupation: Option<crate::index::inferred::Inference>,
    /// Other trades the seeker's skills point to (a welder who also
    /// cooks), each compared at its credit; empty for one trade.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_inferred_occupations: Vec<crate::index::inferred::Inference>,
    /// The vacancy's occupation as the index holds it, and where it came
    /// from: given, coded from the title, or inferred from the vacancy's
    /// skills ([`crate::index::VacancyIndex::with_occupation_inference`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vacancy_occupation: Option<crate::index::VacancyOccupation>,
}

/// One signal in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalExplanation {
    /// Signal name.
    pub name: &'static str,
    /// Value in [0, 1].
    pub value: f64,
    /// Normalised weight (weights sum to 1).
    pub weight: f64,
    /// `value × weight`: its part of the score.
    pub contribution: f64,
}

/// Credit one seeker skill (or title term) earned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermCredit {
    /// What the seeker wrote (`焊工证 ⇒ 焊接` for a skill a licence implies).
    pub term: String,
    /// A title term: its share of the signal (IDF over the total). A
    /// skill: its evidence of fit when a vacancy asks for it (higher for
    /// rarer skills; see [`crate::rank::Signal::Skills`]).
    pub share: f64,
    /// A skill's kind, when the vocabulary knows it (a transversal skill
    /// weighs little; one not in the vocabulary scores only where a
    /// vacancy lists the same words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::taxonomy::SkillKind>,
    /// Credit earned: 1 when the vacancy holds it, less through a related
    /// skill, 0 when absent.
    pub credit: f64,
    /// The vacancy's term that earned the credit (a skill as the
    /// vocabulary names it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// Where the posting asks for it, when the skill was read from its
    /// text (`asked for in the description: 熟练使用氩弧焊`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked_in: Option<String>,
}
