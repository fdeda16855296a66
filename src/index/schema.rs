//! The index schema: what is indexed, what is a fast field, what is stored.
//!
//! Designed for matching, not generic search:
//! - `title`, `description`: segmented Chinese text (term frequencies only,
//!   no positions: matching never asks for phrases);
//! - `skills`: canonical skill terms, exact (see [`crate::taxonomy::skill`]);
//! - `region`: one term per prefix (`51`, `5101`, `510104`), so any prefix
//!   is one term lookup;
//! - fast fields: everything the ranker reads per candidate;
//! - stored: only id, title, employer and region, what a result shows,
//!   and where a posting read from text asks for each skill; and the whole
//!   vacancy of one written before there was a model to infer its
//!   occupation with, marked by a term ([`AWAITING_MODEL`]), so that it
//!   can be rewritten once there is one.
//!
//! Every segment is sorted by [`SORT_KEY`]: remote vacancies first, then by
//! region code, so that each region is one contiguous range of doc ids.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::analyzer::ZH;
use crate::model::Vacancy;
use crate::taxonomy::{OccupationCode, path_terms};

/// Version of the on-disk layout; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 4;

/// The term of [`Fields::awaiting_model`] that marks a vacancy awaiting a
/// model to infer its occupation with.
pub(crate) const AWAITING_MODEL: &str = "1";

/// Fast field that records where a vacancy's occupation came from (named
/// for what it first held, a confidence, so that earlier indexes still open).
pub(crate) const OCCUPATION_SOURCE_FIELD: &str = "occupation_confidence";

/// Where a vacancy's indexed occupation came from.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum OccupationSource {
    /// The vacancy carried it.
    Given,
    /// Coded from the title, with the coder's calibrated confidence.
    Title {
        /// The coder's confidence, in (0, 1).
        confidence: f64,
    },
    /// Inferred from the vacancy's skills when written
    /// ([`crate::index::inferred`]), with the coverage of its skills.
    Skills {
        /// The inferred code's coverage of the skills, in (0, 1].
        confidence: f64,
    },
}

impl OccupationSource {
    /// The stored form: 1000 given, 1–999 a title's confidence ×1000,
    /// 1001–2000 1000 + a skills inference's confidence ×1000 (0: no
    /// occupation).
    pub(crate) fn to_stored(self) -> u64 {
        let milli = |c: f64| (c.clamp(0.0, 1.0) * 1000.0).round() as u64;
        match self {
            OccupationSource::Given => 1000,
            OccupationSource::Title { confidence } => milli(confidence).clamp(1, 999),
            OccupationSource::Skills { confidence } => 1000 + milli(confidence).max(1),
        }
    }

    /// Reads the stored form back (`None` for 0 or a value out of range).
    pub(crate) fn from_stored(v: u64) -> Option<OccupationSource> {
        let c = |m: u64| m as f64 / 1000.0;
        match v {
            1..=999 => Some(OccupationSource::Title { confidence: c(v) }),
            1000 => Some(OccupationSource::Given),
            1001..=2000 => Some(OccupationSource::Skills {
                confidence: c(v - 1000),
            }),
            _ => None,
        }
    }
}

/// Fast field the segments are sorted by.
pub const SORT_KEY: &str = "sort_key";

/// Sentinel for an absent numeric value in u64 fast fields.
pub const NONE_U64: u64 = u64::MAX;

/// The schema's fields.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Vacancy id: exact term (for upserts and deletes), stored, fast (for
    /// tie-breaks and output).
    pub id: Field,
    /// Segmented title, stored.
    pub title: Field,
    /// Segmented description.
    pub description: Field,
    /// Employer name, stored.
    pub employer: Field,
    /// Canonical skill terms.
    pub skills: Field,
    /// Region prefix terms.
    pub region: Field,
    /// Region code, stored for display.
    pub region_code: Field,
    /// Sort key: 0 for remote vacancies, else the region code.
    pub sort_key: Field,
    /// Latitude.
    pub lat: Field,
    /// Longitude.
    pub lon: Field,
    /// Salary min (CNY), `NONE_U64` when absent.
    pub salary_min: Field,
    /// Salary max (CNY), `NONE_U64` when absent.
    pub salary_max: Field,
    /// Education rank, `NONE_U64` when absent.
    pub education: Field,
    /// Years of experience, `NONE_U64` when absent.
    pub experience: Field,
    /// Openings.
    pub headcount: Field,
    /// Industry index 0..20, `NONE_U64` when absent.
    pub industry: Field,
    /// Packed occupation code (given, coded from the title or inferred
    /// from the skills), 0 when unknown.
    pub occupation: Field,
    /// Where the occupation came from ([`OccupationSource::to_stored`]).
    pub occupation_source: Field,
    /// Posted date, days since epoch.
    pub posted: Field,
    /// Expiry date, days since epoch; indexed so expiry is a range delete.
    pub expires: Field,
    /// 1 when remote.
    pub remote: Field,
    /// Hash of the employer name (for per-employer caps).
    pub employer_key: Field,
    /// Number of distinct canonical skills.
    pub skill_count: Field,
    /// Where the posting asks for each skill read from its text (JSON of
    /// [`crate::model::SkillEvidence`]s), stored when there are any.
    pub skill_evidence: Field,
    /// The occupation's place in the hierarchy, as raw terms
    /// ([`crate::taxonomy::path_terms`]): the postings the ranker bounds
    /// the occupation signal with.
    pub occupation_path: Field,
    /// [`AWAITING_MODEL`] on a vacancy that carries no occupation, whose
    /// title does not code and that was written when the index had no
    /// model to infer one from its skills with.
    pub awaiting_model: Field,
    /// The vacancy as written (its interchange JSON), stored for those
    /// awaiting a model only: what their rewrite is made from.
    pub source: Field,
}

impl Fields {
    /// Builds the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |stored: bool| {
            let o = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ZH)
                    .set_index_option(IndexRecordOption::WithFreqs),
            );
            if stored { o.set_stored() } else { o }
        };
        let fields = Fields {
            id: b.add_text_field("id", (STRING | STORED).set_fast("raw")),
            title: b.add_text_field("title", text(true)),
            description: b.add_text_field("description", text(false)),
            employer: b.add_text_field("employer", STORED),
            skills: b.add_text_field("skills", STRING),
            region: b.add_text_field("region", STRING),
            region_code: b.add_u64_field("region_code", FAST | STORED),
            sort_key: b.add_u64_field(SORT_KEY, FAST),
            lat: b.add_f64_field("lat", FAST),
            lon: b.add_f64_field("lon", FAST),
            salary_min: b.add_u64_field("salary_min", FAST),
            salary_max: b.add_u64_field("salary_max", FAST),
            education: b.add_u64_field("education", FAST),
            experience: b.add_u64_field("experience", FAST),
            headcount: b.add_u64_field("headcount", FAST),
            industry: b.add_u64_field("industry", FAST),
            occupation: b.add_u64_field("occupation", FAST),
            occupation_source: b.add_u64_field(OCCUPATION_SOURCE_FIELD, FAST),
            posted: b.add_i64_field("posted", FAST),
            expires: b.add_i64_field("expires", FAST | INDEXED),
            remote: b.add_u64_field("remote", FAST),
            employer_key: b.add_u64_field("employer_key", FAST),
            skill_count: b.add_u64_field("skill_count", FAST),
            occupation_path: b.add_text_field("occupation_path", STRING),
            skill_evidence: b.add_text_field("skill_evidence", STORED),
            awaiting_model: b.add_text_field("awaiting_model", STRING),
            source: b.add_text_field("source", STORED),
        };
        (b.build(), fields)
    }

    /// The tantivy document for a vacancy, with its distinct canonical
    /// skill terms, its occupation and where
    /// it came from (given, or found by the index when the vacancy carries
    /// none; see [`super::VacancyIndex::occupation_of`]).
    pub fn document(
        &self,
        v: &Vacancy,
        occupation: Option<(OccupationCode, OccupationSource)>,
        skills: &[String],
    ) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.id, &v.id);
        d.add_text(self.title, &v.title);
        if let Some(desc) = &v.description {
            d.add_text(self.description, desc);
        }
        if let Some(e) = &v.employer {
            d.add_text(self.employer, e);
        }
        for term in skills {
            d.add_text(self.skills, term);
        }
        d.add_u64(self.skill_count, skills.len() as u64);
        if !v.skill_evidence.is_empty()
            && let Ok(json) = serde_json::to_string(&v.skill_evidence)
        {
            d.add_text(self.skill_evidence, json);
        }
        let code = v.region.to_string();
        for len in [2, 4, 6] {
            d.add_text(self.region, &code[..len]);
        }
        d.add_u64(self.region_code, u64::from(v.region.get()));
        let pos = v.position();
        d.add_u64(
            self.sort_key,
            sort_key(v.remote, v.region.get(), pos.lat(), pos.lon()),
        );
        d.add_f64(self.lat, pos.lat());
        d.add_f64(self.lon, pos.lon());
        let opt = |x: Option<u64>| x.unwrap_or(NONE_U64);
        d.add_u64(self.salary_min, opt(v.salary_min.map(|c| u64::from(c.yuan()))));
        d.add_u64(self.salary_max, opt(v.salary_max.map(|c| u64::from(c.yuan()))));
        d.add_u64(self.education, opt(v.education.map(|e| u64::from(e.rank()))));
        d.add_u64(self.experience, opt(v.experience_years.map(u64::from)));
        d.add_u64(self.headcount, u64::from(v.headcount.get()));
        d.add_u64(self.industry, opt(v.industry.map(|i| i.index() as u64)));
        let occ = occupation.map(|(c, _)| c);
        d.add_u64(self.occupation, occ.map_or(0, |c| u64::from(c.packed())));
        for t in occ.iter().flat_map(|&c| path_terms(c)) {
            d.add_text(self.occupation_path, t.text());
        }
        d.add_u64(
            self.occupation_source,
            occupation.map_or(0, |(_, s)| s.to_stored()),
        );
        d.add_i64(
            self.posted,
            v.posted.map_or(i64::MIN, |p| i64::from(p.days_since_epoch())),
        );
        d.add_i64(
            self.expires,
            v.expires.map_or(i64::MAX, |e| i64::from(e.days_since_epoch())),
        );
        d.add_u64(self.remote, u64::from(v.remote));
        d.add_u64(self.employer_key, v.employer.as_deref().map_or(0, employer_key));
        d
    }

    /// Marks a vacancy's document as awaiting a model, with the vacancy
    /// itself stored to rewrite it from.
    pub(crate) fn await_model(&self, d: &mut TantivyDocument, v: &Vacancy) {
        if let Ok(json) = serde_json::to_string(v) {
            d.add_text(self.awaiting_model, AWAITING_MODEL);
            d.add_text(self.source, json);
        }
    }
}

/// Bits of the Z-order code inside a region's part of the sort key.
pub const ZORDER_BITS: u32 = 24;

/// The sort key: 0 for remote vacancies; else the region code, then a
/// Z-order (Morton) code of the position, so that each region is one doc
/// range and consecutive docs inside it lie close together (which makes
/// per-block distance bounds tight).
pub fn sort_key(remote: bool, region: u32, lat: f64, lon: f64) -> u64 {
    if remote {
        return 0;
    }
    // 12 bits per axis over a box that holds Sichuan and Chongqing (26–35°N,
    // 97–111°E); positions outside are clamped, which only affects order.
    let q = |x: f64, lo: f64, hi: f64| (((x - lo) / (hi - lo)).clamp(0.0, 1.0) * 4095.0) as u64;
    let (y, x) = (q(lat, 26.0, 35.0), q(lon, 97.0, 111.0));
    let mut z = 0u64;
    for bit in 0..12 {
        z |= ((x >> bit) & 1) << (2 * bit) | ((y >> bit) & 1) << (2 * bit + 1);
    }
    (u64::from(region) << ZORDER_BITS) | z
}

/// A stable 64-bit key of an employer name (FNV-1a over the folded name).
pub fn employer_key(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in crate::text::fold(name).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h.max(1)
}
