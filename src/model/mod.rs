//! The domain model: vacancies, seekers and the typed values they carry.
//!
//! Field names and meanings follow the interchange format
//! (`spec/interchange.md`, summarised in the README). Every value is
//! validated once, when it is deserialised or built: a [`Vacancy`] or
//! [`Seeker`] in hand is always valid.

mod industry;
mod seeker;
mod vacancy;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use industry::Industry;
pub(crate) use seeker::SeekerRecord;
pub use seeker::{DEFAULT_COMMUTE_KM, Mobility, Seeker};
pub(crate) use vacancy::VacancyRecord;
pub use vacancy::{EvidenceField, SkillEvidence, Vacancy};

/// Largest number of skills, titles or other list entries one record may
/// carry: a guard against hostile input, far above any real record.
pub const MAX_LIST_LEN: usize = 256;

/// Longest text field in bytes (titles, ids, employer, one skill); a
/// description may be up to [`MAX_DESCRIPTION_BYTES`].
pub const MAX_TEXT_BYTES: usize = 512;

/// Longest description in bytes.
pub const MAX_DESCRIPTION_BYTES: usize = 16 * 1024;

/// Education levels, ordered from none to a doctorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    /// No formal education required / attained.
    None,
    /// 初中.
    JuniorHigh,
    /// 高中.
    HighSchool,
    /// 中专 / 技校 (secondary vocational).
    Vocational,
    /// 大专 (associate degree).
    Associate,
    /// 本科.
    Bachelor,
    /// 硕士.
    Master,
    /// 博士.
    Doctorate,
}

impl Education {
    /// All levels, lowest first.
    pub const ALL: [Education; 8] = [
        Education::None,
        Education::JuniorHigh,
        Education::HighSchool,
        Education::Vocational,
        Education::Associate,
        Education::Bachelor,
        Education::Master,
        Education::Doctorate,
    ];

    /// Rank 0..8 (for fast fields).
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// The level of a rank.
    pub fn from_rank(rank: u8) -> Option<Education> {
        Education::ALL.get(usize::from(rank)).copied()
    }

    /// The wire name, e.g. `junior_high`.
    pub fn as_str(self) -> &'static str {
        match self {
            Education::None => "none",
            Education::JuniorHigh => "junior_high",
            Education::HighSchool => "high_school",
            Education::Vocational => "vocational",
            Education::Associate => "associate",
            Education::Bachelor => "bachelor",
            Education::Master => "master",
            Education::Doctorate => "doctorate",
        }
    }
}

impl FromStr for Education {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Education::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| Error::invalid("education", format!("unknown education level `{s}`")))
    }
}

impl fmt::Display for Education {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Priority groups the public employment services serve first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityGroup {
    /// 高校毕业生: new graduates.
    Graduate,
    /// 农民工: migrant workers.
    MigrantWorker,
    /// 退役军人: veterans.
    Veteran,
    /// 登记失业人员: registered unemployed.
    Unemployed,
    /// 就业困难人员: people with difficulty finding work.
    HardToEmploy,
    /// 脱贫人口: people lifted out of poverty.
    PovertyAlleviated,
}

impl PriorityGroup {
    /// All groups.
    pub const ALL: [PriorityGroup; 6] = [
        PriorityGroup::Graduate,
        PriorityGroup::MigrantWorker,
        PriorityGroup::Veteran,
        PriorityGroup::Unemployed,
        PriorityGroup::HardToEmploy,
        PriorityGroup::PovertyAlleviated,
    ];

    /// The wire name, e.g. `migrant_worker`.
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityGroup::Graduate => "graduate",
            PriorityGroup::MigrantWorker => "migrant_worker",
            PriorityGroup::Veteran => "veteran",
            PriorityGroup::Unemployed => "unemployed",
            PriorityGroup::HardToEmploy => "hard_to_employ",
            PriorityGroup::PovertyAlleviated => "poverty_alleviated",
        }
    }

    /// The name the public employment services use, e.g. `农民工`.
    pub fn name_zh(self) -> &'static str {
        match self {
            PriorityGroup::Graduate => "高校毕业生",
            PriorityGroup::MigrantWorker => "农民工",
            PriorityGroup::Veteran => "退役军人",
            PriorityGroup::Unemployed => "登记失业人员",
            PriorityGroup::HardToEmploy => "就业困难人员",
            PriorityGroup::PovertyAlleviated => "脱贫人口",
        }
    }
}

impl fmt::Display for PriorityGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A monthly amount in CNY (yuan), never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub struct Cny(u32);

impl Cny {
    /// Largest accepted amount: ¥10 million a month.
    pub const MAX: u32 = 10_000_000;

    /// A validated amount.
    ///
    /// # Errors
    /// [`Error::Invalid`] when negative or above [`Cny::MAX`].
    pub fn new(yuan: i64) -> Result<Cny> {
        if (0..=i64::from(Cny::MAX)).contains(&yuan) {
            Ok(Cny(yuan as u32))
        } else {
            Err(Error::invalid(
                "salary",
                format!("{yuan} is not a monthly amount in 0..={}", Cny::MAX),
            ))
        }
    }

    /// The amount in yuan.
    pub fn yuan(self) -> u32 {
        self.0
    }
}

impl TryFrom<i64> for Cny {
    type Error = Error;
    fn try_from(v: i64) -> Result<Self> {
        Cny::new(v)
    }
}

impl From<Cny> for u32 {
    fn from(c: Cny) -> u32 {
        c.0
    }
}

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(jiff::civil::Date);

impl Date {
    /// A date from its parts.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a day that does not exist.
    pub fn new(year: i16, month: i8, day: i8) -> Result<Date> {
        jiff::civil::Date::new(year, month, day)
            .map(Date)
            .map_err(|e| Error::invalid("date", e.to_string()))
    }

    /// Days since 1970-01-01 (negative before), for fast fields and arithmetic.
    pub fn days_since_epoch(self) -> i32 {
        let epoch = jiff::civil::date(1970, 1, 1);
        // A civil date is within ±9999 years, so the day count fits an i32.
        (self.0 - epoch).get_days()
    }

    /// The date a number of days after 1970-01-01.
    pub fn from_days_since_epoch(days: i32) -> Option<Date> {
        jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().try_days(days).ok()?)
            .ok()
            .map(Date)
    }

    /// This date plus a number of days.
    pub fn plus_days(self, days: i32) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(days)?)
    }
}

impl FromStr for Date {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b.get(4) == Some(&b'-')
            && b.get(7) == Some(&b'-')
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(Error::invalid("date", format!("`{s}` is not a date YYYY-MM-DD")));
        }
        s.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|e| Error::invalid("date", format!("`{s}`: {e}")))
    }
}

impl TryFrom<String> for Date {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<Date> for String {
    fn from(d: Date) -> Self {
        d.to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Checks a required text field: non-blank, at most `max` bytes.
pub(crate) fn check_text(field: &str, value: &str, max: usize) -> Result<()> {
    refuse(field, text_problem(value, max))
}

/// `field` refused for `problem`, if there is one.
fn refuse(field: &str, problem: Option<String>) -> Result<()> {
    problem.map_or(Ok(()), |reason| Err(Error::invalid(field, reason)))
}

/// What is wrong with a required text field, if anything.
fn text_problem(value: &str, max: usize) -> Option<String> {
    if value.trim().is_empty() {
        return Some("must not be empty".to_owned());
    }
    len_problem(value, max)
}

/// Checks an optional text field's length.
pub(crate) fn check_len(field: &str, value: &str, max: usize) -> Result<()> {
    refuse(field, len_problem(value, max))
}

/// Whether a text field is longer than `max` bytes, and by how much.
fn len_problem(value: &str, max: usize) -> Option<String> {
    (value.len() > max).then(|| format!("is {} bytes long, more than the limit of {max}", value.len()))
}

/// Checks a list of free strings (skills, titles): bounded, each non-blank.
pub(crate) fn check_list(field: &str, values: &[String]) -> Result<()> {
    if values.len() > MAX_LIST_LEN {
        return Err(Error::invalid(
            field,
            format!(
                "has {} entries, more than the limit of {MAX_LIST_LEN}",
                values.len()
            ),
        ));
    }
    // The entry's name is spelled out only for an error: every query
    // validates its seeker, so the happy path allocates nothing.
    for (i, v) in values.iter().enumerate() {
        if let Some(reason) = text_problem(v, MAX_TEXT_BYTES) {
            return Err(Error::invalid(format!("{field}[{i}]"), reason));
        }
    }
    Ok(())
}

/// Checks a bounded list of typed values.
pub(crate) fn check_count<T>(field: &str, values: &[T]) -> Result<()> {
    if values.len() > MAX_LIST_LEN {
        return Err(Error::invalid(
            field,
            format!(
                "has {} entries, more than the limit of {MAX_LIST_LEN}",
                values.len()
            ),
        ));
    }
    Ok(())
}

/// Years of experience: at most this many.
pub const MAX_EXPERIENCE_YEARS: u8 = 70;

/// Checks years of experience.
pub(crate) fn check_years(field: &str, years: Option<u8>) -> Result<()> {
    match years {
        Some(y) if y > MAX_EXPERIENCE_YEARS => Err(Error::invalid(
            field,
            format!("{y} years is more than {MAX_EXPERIENCE_YEARS}"),
        )),
        _ => Ok(()),
    }
}

/// Coordinates from optional `lat` and `lon`: both or neither.
pub(crate) fn coordinates(lat: Option<f64>, lon: Option<f64>) -> Result<Option<crate::region::Coordinates>> {
    match (lat, lon) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon)) => crate::region::Coordinates::new(lat, lon).map(Some),
        (Some(_), None) => Err(Error::invalid("lon", "is missing while lat is given")),
        (None, Some(_)) => Err(Error::invalid("lat", "is missing while lon is given")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn education_is_ordered() {
        assert!(Education::None < Education::JuniorHigh);
        assert!(Education::Vocational < Education::Associate);
        assert!(Education::Bachelor < Education::Master);
        for (i, e) in Education::ALL.iter().enumerate() {
            assert_eq!(Education::from_rank(i as u8), Some(*e));
            assert_eq!(e.as_str().parse::<Education>().unwrap(), *e);
            let json = serde_json::to_string(e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
        }
        assert!("phd".parse::<Education>().is_err());
    }

    #[test]
    fn dates() {
        let d: Date = "2021-03-01".parse().unwrap();
        assert_eq!(d.to_string(), "2021-03-01");
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), Some(d));
        assert_eq!("1970-01-02".parse::<Date>().unwrap().days_since_epoch(), 1);
        for bad in ["2021-3-1", "20210301", "2021-02-30", "2021-03-01T00:00", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn money() {
        assert!(Cny::new(-1).is_err());
        assert!(Cny::new(i64::from(Cny::MAX) + 1).is_err());
        assert_eq!(Cny::new(5000).unwrap().yuan(), 5000);
        assert!(serde_json::from_str::<Cny>("-3").is_err());
    }
}
