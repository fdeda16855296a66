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

use std::sync::{Arc, OnceLock};

use crate::error::Result;
use crate::region::{Gazetteer, Level, RegionCode, gazetteer};
use crate::taxonomy::{Classifier, OccupationCode, SkillVocabulary, Taxonomy, classifier, skills, taxonomy};

/// The reference data of one labour market. Cheap to clone (shared).
#[derive(Clone)]
pub struct ReferenceData(Arc<Tables>);

struct Tables {
    gazetteer: &'static Gazetteer,
    taxonomy: &'static Taxonomy,
    skills: &'static SkillVocabulary,
    coder: &'static Classifier,
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
                    gazetteer: gazetteer(),
                    taxonomy: taxonomy(),
                    skills: skills(),
                    coder: classifier(),
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
        let coder: &'static Classifier = Box::leak(Box::new(Classifier::new(taxonomy, skills)));
        Ok(ReferenceData(Arc::new(Tables {
            gazetteer,
            taxonomy,
            skills,
            coder,
        })))
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
    /// [`crate::taxonomy::code_title`]), with this market's coder.
    pub fn code_title(&self, title: &str) -> Option<(OccupationCode, f32)> {
        self.0.coder.code_title(title)
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
