//! A vacancy: one job posting with its openings.

use std::num::NonZeroU32;

use serde::{Deserialize, Serialize, Serializer};

use super::{
    Cny, Date, Education, Industry, MAX_DESCRIPTION_BYTES, MAX_TEXT_BYTES, check_count, check_len,
    check_list, check_text, check_years, coordinates,
};
use crate::error::{Error, Result};
use crate::region::{Coordinates, RegionCode};
use crate::taxonomy::OccupationCode;

/// A job posting, as in the interchange format's `Vacancy` record.
///
/// Deserialising validates every field; [`Vacancy::validate`] re-checks the
/// rules that span fields after a vacancy was built or changed in code.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "VacancyRecord")]
pub struct Vacancy {
    /// Unique vacancy id.
    pub id: String,
    /// Job title, Chinese or English (e.g. `数控车床操作工`).
    pub title: String,
    /// Free text.
    pub description: Option<String>,
    /// Employer name.
    pub employer: Option<String>,
    /// GB/T 4754-2017 section.
    pub industry: Option<Industry>,
    /// CSCO 2022 code, when the source gives one.
    pub occupation: Option<OccupationCode>,
    /// Required or wanted skills, free strings.
    pub skills: Vec<String>,
    /// County-level unit of the workplace.
    pub region: RegionCode,
    /// Workplace coordinates; see [`Vacancy::position`] for the default.
    pub coordinates: Option<Coordinates>,
    /// Lowest monthly salary offered.
    pub salary_min: Option<Cny>,
    /// Highest monthly salary offered (≥ `salary_min`).
    pub salary_max: Option<Cny>,
    /// Minimum education.
    pub education: Option<Education>,
    /// Minimum years of experience.
    pub experience_years: Option<u8>,
    /// Openings for this vacancy (default 1).
    pub headcount: NonZeroU32,
    /// The job can be done from anywhere.
    pub remote: bool,
    /// First day of validity.
    pub posted: Option<Date>,
    /// Last day of validity (≥ `posted`).
    pub expires: Option<Date>,
    /// Where the posting asks for each skill read from its text
    /// ([`crate::ingest`]): empty for skills given as a list.
    pub skill_evidence: Vec<SkillEvidence>,
}

/// Where a posting asks for a skill: the skill, the field and the clause
/// it was read from (`explain` says "asked for in the description:
/// 熟练使用氩弧焊").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillEvidence {
    /// The skill, as the vocabulary names it.
    pub skill: String,
    /// The field it was read from.
    pub field: EvidenceField,
    /// The clause, as written.
    pub clause: String,
}

/// The free-text field of a posting a skill was read from (`"title"` or
/// `"description"` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceField {
    /// The job title.
    Title,
    /// The description.
    Description,
}

impl std::fmt::Display for EvidenceField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EvidenceField::Title => "title",
            EvidenceField::Description => "description",
        })
    }
}

impl Vacancy {
    /// A vacancy with the required fields and every optional one unset.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the id or title is blank or too long.
    pub fn new(id: impl Into<String>, title: impl Into<String>, region: RegionCode) -> Result<Vacancy> {
        let v = Vacancy {
            id: id.into(),
            title: title.into(),
            description: None,
            employer: None,
            industry: None,
            occupation: None,
            skills: Vec::new(),
            region,
            coordinates: None,
            salary_min: None,
            salary_max: None,
            education: None,
            experience_years: None,
            headcount: NonZeroU32::MIN,
            remote: false,
            posted: None,
            expires: None,
            skill_evidence: Vec::new(),
        };
        v.validate()?;
        Ok(v)
    }

    /// Where the job is: its coordinates, or its region's centroid.
    pub fn position(&self) -> Coordinates {
        self.coordinates.unwrap_or_else(|| self.region.region().centroid)
    }

    /// Whether the vacancy is past its `expires` date on `today`.
    pub fn is_expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|e| e < today)
    }

    /// Checks every rule of the interchange format.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first field at fault.
    pub fn validate(&self) -> Result<()> {
        check_text("id", &self.id, MAX_TEXT_BYTES)?;
        check_text("title", &self.title, MAX_TEXT_BYTES)?;
        if let Some(d) = &self.description {
            check_len("description", d, MAX_DESCRIPTION_BYTES)?;
        }
        if let Some(e) = &self.employer {
            check_len("employer", e, MAX_TEXT_BYTES)?;
        }
        check_list("skills", &self.skills)?;
        check_count("skill_evidence", &self.skill_evidence)?;
        for (i, e) in self.skill_evidence.iter().enumerate() {
            // The entry is named only when it is at fault.
            let entry = |err: Error| err.naming("skill_evidence entry", &i.to_string());
            check_text("skill", &e.skill, MAX_TEXT_BYTES).map_err(entry)?;
            check_text("clause", &e.clause, MAX_TEXT_BYTES).map_err(entry)?;
        }
        if let (Some(lo), Some(hi)) = (self.salary_min, self.salary_max)
            && lo > hi
        {
            return Err(Error::invalid(
                "salary_min",
                format!("{} is above salary_max {}", lo.yuan(), hi.yuan()),
            ));
        }
        check_years("experience_years", self.experience_years)?;
        if let (Some(p), Some(e)) = (self.posted, self.expires)
            && p > e
        {
            return Err(Error::invalid("expires", format!("{e} is before posted {p}")));
        }
        Ok(())
    }
}

/// The wire form of a vacancy, before validation.
#[derive(Deserialize)]
pub(crate) struct VacancyRecord {
    id: String,
    title: String,
    description: Option<String>,
    employer: Option<String>,
    industry: Option<Industry>,
    occupation: Option<OccupationCode>,
    skills: Vec<String>,
    region: RegionCode,
    lat: Option<f64>,
    lon: Option<f64>,
    salary_min: Option<Cny>,
    salary_max: Option<Cny>,
    education: Option<Education>,
    experience_years: Option<u8>,
    headcount: Option<u32>,
    remote: Option<bool>,
    posted: Option<Date>,
    expires: Option<Date>,
    #[serde(default)]
    skill_evidence: Vec<SkillEvidence>,
}

impl TryFrom<VacancyRecord> for Vacancy {
    type Error = Error;
    fn try_from(r: VacancyRecord) -> Result<Vacancy> {
        let headcount = match r.headcount {
            None => NonZeroU32::MIN,
            Some(n) => NonZeroU32::new(n).ok_or_else(|| Error::invalid("headcount", "must be at least 1"))?,
        };
        let v = Vacancy {
            id: r.id,
            title: r.title,
            description: r.description,
            employer: r.employer,
            industry: r.industry,
            occupation: r.occupation,
            skills: r.skills,
            region: r.region,
            coordinates: coordinates(r.lat, r.lon)?,
            salary_min: r.salary_min,
            salary_max: r.salary_max,
            education: r.education,
            experience_years: r.experience_years,
            headcount,
            remote: r.remote.unwrap_or(false),
            posted: r.posted,
            expires: r.expires,
            skill_evidence: r.skill_evidence,
        };
        v.validate()?;
        Ok(v)
    }
}

/// The wire form for writing, borrowing from the vacancy.
#[derive(Serialize)]
struct VacancyWire<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    employer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    industry: Option<Industry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    occupation: Option<OccupationCode>,
    skills: &'a [String],
    region: RegionCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salary_min: Option<Cny>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salary_max: Option<Cny>,
    #[serde(skip_serializing_if = "Option::is_none")]
    education: Option<Education>,
    #[serde(skip_serializing_if = "Option::is_none")]
    experience_years: Option<u8>,
    headcount: u32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    remote: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    posted: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<Date>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    skill_evidence: &'a [SkillEvidence],
}

impl Serialize for Vacancy {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        VacancyWire {
            id: &self.id,
            title: &self.title,
            description: self.description.as_deref(),
            employer: self.employer.as_deref(),
            industry: self.industry,
            occupation: self.occupation,
            skills: &self.skills,
            region: self.region,
            lat: self.coordinates.map(Coordinates::lat),
            lon: self.coordinates.map(Coordinates::lon),
            salary_min: self.salary_min,
            salary_max: self.salary_max,
            education: self.education,
            experience_years: self.experience_years,
            headcount: self.headcount.get(),
            remote: self.remote,
            posted: self.posted,
            expires: self.expires,
            skill_evidence: &self.skill_evidence,
        }
        .serialize(s)
    }
}
