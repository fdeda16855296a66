//! Reference data as a value: the gazetteer, the occupational
//! classification, the skill vocabulary and the title coder of one labour
//! market, handed to a [`crate::index::VacancyIndex`] (and through its
//! snapshots to a [`crate::matcher::Matcher`]) instead of read from
//! globals.
//!
//! [`ReferenceData::sichuan_chongqing`] is the shipped market and the
//! default everywhere. Another market is read from the same CSV formats with
//! [`ReferenceData::from_csv`]:
//!
//! ```
//! use jobmatch::reference::ReferenceData;
//! let shipped = ReferenceData::sichuan_chongqing();
//! assert_eq!(shipped.provinces().len(), 2); // Sichuan and Chongqing
//! assert!(shipped.gazetteer().len() > 200);
//! ```
//!
//! Codes (`RegionCode`, `OccupationCode`) stay plain validated values: a
//! code is valid when the shipped data or any reference data built in this
//! process holds it (building registers its tables). What an index or a
//! matcher computes (dense region ids, distances, reach, skill terms, title
//! coding) comes from its own reference data only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::region::{Gazetteer, Level, RegionCode, gazetteer};
use crate::taxonomy::{Classifier, OccupationCode, SkillVocabulary, Taxonomy, classifier, skills, taxonomy};

/// The reference data of one labour market. Cheap to clone (shared).
#[derive(Clone)]
pub struct ReferenceData(Arc<Tables>);

struct Tables {
    mobility: MobilityPrior,
    gazetteer: &'static Gazetteer,
    taxonomy: &'static Taxonomy,
    skills: &'static SkillVocabulary,
    coder: &'static Classifier,
    /// Titles coded so far: job boards and seekers repeat titles, and
    /// coding one takes tens of microseconds.
    coded: TitleMemo,
}

/// Titles already coded, in shards so that threads rarely wait on one
/// another; a shard that fills up is emptied.
#[derive(Default)]
struct TitleMemo {
    shards: [Mutex<HashMap<String, TitleCodes>>; MEMO_SHARDS],
    hasher: std::hash::RandomState,
}

/// A title's codes, best first (at most [`TITLE_CANDIDATES`]), each with
/// the coder's confidence.
pub(crate) type TitleCodes = Arc<[(OccupationCode, f32)]>;

const MEMO_SHARDS: usize = 16;

/// Codes [`ReferenceData::title_candidates`] gives per title.
pub const TITLE_CANDIDATES: usize = 5;

/// Titles a shard remembers before it is emptied (half a million in all).
const MEMO_PER_SHARD: usize = 32_768;

impl TitleMemo {
    fn codes(&self, title: &str, coder: &Classifier) -> TitleCodes {
        use std::hash::BuildHasher;
        let shard = self
            .shards
            .get(self.hasher.hash_one(title) as usize % MEMO_SHARDS);
        if let Some(m) = shard.and_then(|m| m.lock().ok())
            && let Some(hit) = m.get(title)
        {
            return Arc::clone(hit);
        }
        let coded: TitleCodes = coder
            .classify(title, TITLE_CANDIDATES)
            .into_iter()
            .map(|c| (c.code, c.confidence))
            .collect();
        if let Some(mut m) = shard.and_then(|m| m.lock().ok()) {
            if m.len() >= MEMO_PER_SHARD {
                m.clear();
            }
            m.insert(title.to_owned(), Arc::clone(&coded));
        }
        coded
    }
}

impl std::fmt::Debug for ReferenceData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferenceData")
            .field("regions", &self.0.gazetteer.len())
            .field("occupations", &self.0.taxonomy.all().len())
            .field("skills", &self.0.skills.len())
            .finish()
    }
}

impl ReferenceData {
    /// The shipped Sichuan–Chongqing data: the gazetteer of both provinces,
    /// CSCO 2022 and the skill vocabulary (`data/SOURCES.md`).
    pub fn sichuan_chongqing() -> ReferenceData {
        static SHIPPED: OnceLock<ReferenceData> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                ReferenceData(Arc::new(Tables {
                    mobility: MobilityPrior::sichuan_chongqing(),
                    gazetteer: gazetteer(),
                    taxonomy: taxonomy(),
                    skills: skills(),
                    coder: classifier(),
                    coded: TitleMemo::default(),
                }))
            })
            .clone()
    }

    /// Another market's reference data, from CSV text in the shipped
    /// formats: `regions` as `data/regions.csv`, `occupations` as
    /// `data/occupations.csv`, `skills` and `profiles` as `data/skills.csv`
    /// and `data/occupation_skills.csv`. Builds the title coder. The tables
    /// are registered (their codes become valid for the rest of the
    /// process) and live as long as it.
    ///
    /// # Errors
    /// The first bad row of any table.
    pub fn from_csv(regions: &str, occupations: &str, skills: &str, profiles: &str) -> Result<ReferenceData> {
        let gazetteer = Gazetteer::from_csv(regions)?.register();
        let taxonomy = Taxonomy::from_csv(occupations)?.register();
        let skills: &'static SkillVocabulary =
            Box::leak(Box::new(SkillVocabulary::from_csv(skills, profiles)?));
        let coder: &'static Classifier = Box::leak(Box::new(Classifier::new(taxonomy)));
        Ok(ReferenceData(Arc::new(Tables {
            mobility: MobilityPrior::default(),
            gazetteer,
            taxonomy,
            skills,
            coder,
            coded: TitleMemo::default(),
        })))
    }

    /// The same data with another prior of moves between provinces.
    pub fn with_mobility_prior(&self, prior: MobilityPrior) -> ReferenceData {
        let t = &self.0;
        ReferenceData(Arc::new(Tables {
            mobility: prior,
            gazetteer: t.gazetteer,
            taxonomy: t.taxonomy,
            skills: t.skills,
            coder: t.coder,
            coded: TitleMemo::default(),
        }))
    }

    /// The same data with another title coder (e.g. one trained on the
    /// service's own coded postings with [`Classifier::train`]). The coder
    /// lives as long as the process.
    ///
    /// ```
    /// use jobmatch::reference::ReferenceData;
    /// use jobmatch::taxonomy::{Classifier, LabeledTitle, skills, taxonomy};
    /// let ours = vec![LabeledTitle { title: "外卖骑手".into(), code: "4-10-08-01".parse()? }];
    /// let data = ReferenceData::sichuan_chongqing().with_coder(Classifier::train(taxonomy(), &ours));
    /// assert_eq!(data.code_title("美团骑手").map(|c| c.0.to_string()), Some("4-10-08-01".into()));
    /// # Ok::<(), jobmatch::Error>(())
    /// ```
    pub fn with_coder(&self, coder: Classifier) -> ReferenceData {
        let t = &self.0;
        ReferenceData(Arc::new(Tables {
            mobility: t.mobility.clone(),
            gazetteer: t.gazetteer,
            taxonomy: t.taxonomy,
            skills: t.skills,
            coder: Box::leak(Box::new(coder)),
            coded: TitleMemo::default(),
        }))
    }

    /// How likely a move between provinces is in this market (ranking uses
    /// it unless its config gives one).
    pub fn mobility_prior(&self) -> &MobilityPrior {
        &self.0.mobility
    }

    /// Whether `other` is this very reference data (a clone of it), not
    /// only equal tables.
    pub(crate) fn is(&self, other: &ReferenceData) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The regions, with coordinates.
    pub fn gazetteer(&self) -> &'static Gazetteer {
        self.0.gazetteer
    }

    /// The occupational classification.
    pub fn taxonomy(&self) -> &'static Taxonomy {
        self.0.taxonomy
    }

    /// The skill vocabulary.
    pub fn skills(&self) -> &'static SkillVocabulary {
        self.0.skills
    }

    /// The title coder.
    pub fn coder(&self) -> &'static Classifier {
        self.0.coder
    }

    /// A title's occupation as the engine codes it (see
    /// [`crate::taxonomy::code_title`]), with this market's coder, memoised
    /// by title (half a million titles at most).
    pub fn code_title(&self, title: &str) -> Option<(OccupationCode, f32)> {
        crate::taxonomy::classify::trusted(self.title_codes(title).first().copied())
    }

    /// A title's codes, best first, however low their confidence
    /// (memoised): [`ReferenceData::code_title`] keeps the first by the
    /// coding rule, [`ReferenceData::title_candidates`] gives them all.
    pub(crate) fn title_codes(&self, title: &str) -> TitleCodes {
        self.0.coded.codes(title, self.0.coder)
    }

    /// The codes the coder ranks first for a title (at most
    /// [`TITLE_CANDIDATES`]) with their confidences, however low: what a
    /// title that does not code still says. Memoised with
    /// [`ReferenceData::code_title`].
    pub fn title_candidates(&self, title: &str) -> Vec<(OccupationCode, f32)> {
        self.title_codes(title).to_vec()
    }

    /// The provinces of the gazetteer.
    pub fn provinces(&self) -> Vec<RegionCode> {
        self.0
            .gazetteer
            .all()
            .iter()
            .filter(|r| r.level == Level::Province)
            .map(|r| r.code)
            .collect()
    }

    /// Whether two values share the same tables (cheap identity check).
    pub fn same_as(&self, other: &ReferenceData) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for ReferenceData {
    fn default() -> Self {
        ReferenceData::sichuan_chongqing()
    }
}

/// How likely a move between provinces is, relative to a move within one
/// (which counts `within_province`, default 1): the mobility signal of a
/// vacancy beyond the commute radius in a region the seeker would move to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MobilityPrior {
    /// A move within the home province (default 1).
    pub within_province: f64,
    /// Moves between two provinces.
    pub moves: Vec<ProvinceMove>,
    /// A move between provinces that `moves` does not list (default: none
    /// given, the least of the others).
    pub otherwise: Option<f64>,
}

/// The prior of moves from one province to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceMove {
    /// The home province's 2-digit code (`51`).
    pub from: u32,
    /// The destination province's 2-digit code (`50`).
    pub to: u32,
    /// The prior, in [0, 1].
    pub prior: f64,
}

impl Default for MobilityPrior {
    fn default() -> Self {
        MobilityPrior {
            within_province: 1.0,
            moves: Vec::new(),
            otherwise: None,
        }
    }
}

impl MobilityPrior {
    /// The shipped market's prior, from the class-of-2020 graduate flows
    /// (`market-facts.md`): 8.06% of Chongqing's graduates went to work in
    /// Sichuan and 3.12% of Sichuan's in Chongqing, so Chongqing (50) →
    /// Sichuan (51) counts 1 and Sichuan → Chongqing 3.12 / 8.06 ≈ 0.39.
    pub fn sichuan_chongqing() -> MobilityPrior {
        MobilityPrior {
            within_province: 1.0,
            moves: vec![
                ProvinceMove {
                    from: 51,
                    to: 50,
                    prior: 0.0312 / 0.0806,
                },
                ProvinceMove {
                    from: 50,
                    to: 51,
                    prior: 1.0,
                },
            ],
            otherwise: None,
        }
    }

    /// The prior of a move from province `from` to province `to` (2-digit
    /// codes).
    pub fn between(&self, from: u32, to: u32) -> f64 {
        if from == to {
            return self.within_province;
        }
        if let Some(m) = self.moves.iter().find(|m| m.from == from && m.to == to) {
            return m.prior;
        }
        self.otherwise
            .unwrap_or_else(|| self.values().fold(f64::INFINITY, f64::min))
    }

    /// Every prior it holds.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        std::iter::once(self.within_province)
            .chain(self.moves.iter().map(|m| m.prior))
            .chain(self.otherwise)
    }
}
