//! How a vacancy ranks its applicants: the vacancy-side fit.
//!
//! Ranking asks what suits the seeker; an employer with a few openings asks
//! which applicant suits the vacancy. The fit of seeker `s` for vacancy `v`
//! is a weighted mean of four parts, each in [0, 1]:
//! - **skills**: the share of the skills `v` asks for that `s` has, each
//!   weighted by its rarity in the market (the same IDF the ranker uses): a
//!   rare skill the vacancy needs counts more than a common one; 1 when the
//!   vacancy asks for none;
//! - **education** and **experience** against the requirement, graded as
//!   the ranker grades them (meeting it is 1);
//! - **distance**: `1 / (1 + km / distance_scale_km)`, closer applicants
//!   first (1 for a remote vacancy).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::doc_terms::DocTerms;
use crate::index::terms::entry_items;
use crate::index::{SegmentColumns, Snapshot};
use crate::model::{Education, Seeker};
use crate::rank::signal::idf;
use crate::rank::signal::{education, experience};
use crate::region::Point;

/// Weights and shapes of the vacancy-side fit. Plain data with documented
/// defaults; unknown keys are rejected when read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FitConfig {
    /// Weight of the skills part (default 0.5): what the vacancy asks for.
    pub skills: f64,
    /// Weight of education against the requirement (default 0.2).
    pub education: f64,
    /// Weight of experience against the requirement (default 0.2).
    pub experience: f64,
    /// Weight of closeness (default 0.1).
    pub distance: f64,
    /// Distance at which the closeness part is ½ (default 20 km).
    pub distance_scale_km: f64,
    /// Education credit lost per level below the requirement (default
    /// 0.35, as in ranking).
    pub education_step: f64,
}

impl Default for FitConfig {
    fn default() -> Self {
        FitConfig {
            skills: 0.5,
            education: 0.2,
            experience: 0.2,
            distance: 0.1,
            distance_scale_km: 20.0,
            education_step: 0.35,
        }
    }
}

impl FitConfig {
    /// Checks that every number is finite and in range.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first bad setting.
    pub fn validate(&self) -> Result<()> {
        let w = [self.skills, self.education, self.experience, self.distance];
        if w.iter().any(|x| !x.is_finite() || *x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
            return Err(Error::Config {
                reason: "fit weights must be finite, non-negative, and not all 0".into(),
            });
        }
        if !(self.distance_scale_km.is_finite() && self.distance_scale_km > 0.0) {
            return Err(Error::Config {
                reason: "distance_scale_km must be > 0".into(),
            });
        }
        if !(self.education_step.is_finite() && (0.0..=1.0).contains(&self.education_step)) {
            return Err(Error::Config {
                reason: "education_step must be in [0, 1]".into(),
            });
        }
        Ok(())
    }
}

/// The parts of one fit, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct FitParts {
    /// Rarity-weighted share of the vacancy's skills the seeker has.
    pub skills: f64,
    /// Education against the requirement.
    pub education: f64,
    /// Experience against the requirement.
    pub experience: f64,
    /// Closeness.
    pub distance: f64,
}

/// Every vacancy's skills as the fit reads them: each doc's skill ids and
/// each skill's IDF (the ranker's, over every doc id of the snapshot).
pub(crate) struct VacancySkills {
    terms: DocTerms,
    idf: Vec<f64>,
}

impl VacancySkills {
    /// Reads the skill postings of a snapshot.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Index`] on a read failure.
    pub fn of(snapshot: &Snapshot) -> Result<VacancySkills> {
        let terms = DocTerms::of(snapshot, snapshot.fields().skills)?;
        let n: u64 = snapshot.segments().iter().map(|s| u64::from(s.max_doc)).sum();
        let idf = terms.doc_freqs().iter().map(|&d| idf(n, d)).collect();
        Ok(VacancySkills { terms, idf })
    }

    /// The skill ids of a doc.
    fn of_doc(&self, segment: u32, doc: u32) -> &[u32] {
        self.terms.of_doc(segment, doc)
    }

    /// The name of a skill id.
    pub fn name(&self, id: u32) -> &str {
        self.terms.name(id)
    }
}

/// A seeker as vacancies see it.
pub(crate) struct Applicant {
    /// Skill ids the seeker has (sorted).
    skills: Vec<u32>,
    education: Option<u8>,
    experience: Option<u8>,
    home: Point,
}

impl Applicant {
    /// Prepares a seeker against a snapshot's skills.
    pub fn new(seeker: &Seeker, skills: &VacancySkills, snapshot: &Snapshot) -> Applicant {
        let vocab = snapshot.reference().skills();
        // The seeker's items read as the query reads them (`会电焊` is 焊接).
        let mut ids: Vec<u32> = seeker
            .skills
            .iter()
            .flat_map(|entry| entry_items(vocab, entry))
            .filter_map(|(_, c)| skills.terms.id(&c))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let pos = seeker.position();
        Applicant {
            skills: ids,
            education: seeker.education.map(Education::rank),
            experience: seeker.experience_years,
            home: Point::new(pos.lat(), pos.lon()),
        }
    }

    /// Whether the seeker has skill `id`.
    pub fn has(&self, id: u32) -> bool {
        self.skills.binary_search(&id).is_ok()
    }
}

/// The fit of an applicant for one vacancy, with its parts.
pub(crate) fn fit(
    config: &FitConfig,
    skills: &VacancySkills,
    cols: &SegmentColumns,
    segment: u32,
    doc: u32,
    a: &Applicant,
) -> (f64, FitParts) {
    let d = doc as usize;
    let wanted = skills.of_doc(segment, doc);
    let (mut held, mut total) = (0.0, 0.0);
    for &t in wanted {
        let w = skills.idf.get(t as usize).copied().unwrap_or(0.0);
        total += w;
        if a.has(t) {
            held += w;
        }
    }
    let remote = doc < cols.remote_end;
    let km = match (cols.lat.get(d), cols.lon.get(d)) {
        (Some(&lat), Some(&lon)) if !remote => a.home.distance_km(lat, lon),
        _ => 0.0,
    };
    let parts = FitParts {
        skills: if total > 0.0 { held / total } else { 1.0 },
        education: education(
            cols.education.get(d).copied().unwrap_or(u8::MAX),
            a.education,
            config.education_step,
        ),
        experience: experience(cols.experience.get(d).copied().unwrap_or(u8::MAX), a.experience),
        distance: 1.0 / (1.0 + km / config.distance_scale_km),
    };
    let weights = config.skills + config.education + config.experience + config.distance;
    let fit = (config.skills * parts.skills
        + config.education * parts.education
        + config.experience * parts.experience
        + config.distance * parts.distance)
        / weights;
    (fit, parts)
}

/// The skills of a vacancy the applicant has and lacks, by name.
pub(crate) fn skill_names(
    skills: &VacancySkills,
    segment: u32,
    doc: u32,
    a: &Applicant,
) -> (Vec<String>, Vec<String>) {
    let (mut has, mut lacks) = (Vec::new(), Vec::new());
    for &t in skills.of_doc(segment, doc) {
        let name = skills.name(t).to_owned();
        if a.has(t) {
            has.push(name)
        } else {
            lacks.push(name)
        }
    }
    (has, lacks)
}
