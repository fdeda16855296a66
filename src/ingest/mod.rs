//! Raw postings and registrations in: free-text fields read into
//! [`Vacancy`] and [`Seeker`] records, every field with how it was read.
//!
//! A platform's export is not the interchange format. A posting is a
//! title, an employer, a salary such as `8千-1.2万·13薪`, a place such as
//! `重庆市渝北区龙溪街道`, `大专及以上`, `1-3年` and a description of several
//! paragraphs in which the skills are prose. This module reads such records
//! ([`RawVacancy`], [`RawSeeker`], from JSON Lines or CSV with a column
//! mapping), parses each field ([`parse_salary`], [`parse_place`],
//! [`parse_education`], [`parse_experience`], [`parse_headcount`],
//! [`parse_date`]), extracts skills from the text ([`extract_skills`]) and
//! returns the clean record with a [`Reading`] per field. A field that
//! cannot be read is left unset and counted as refused; a record that
//! cannot become a vacancy (no title, no place in Sichuan or Chongqing) is
//! refused with its reason. [`IngestReport`] counts all of it.
//!
//! ```
//! use jobmatch::ingest::{RawVacancy, ingest_vacancy};
//! let raw: RawVacancy = serde_json::from_str(r#"{
//!     "id": "p1", "title": "氩弧焊工", "salary": "8千-1.2万·13薪",
//!     "location": "重庆市九龙坡区西彭镇", "education": "中专及以上", "experience": "1-3年",
//!     "description": "任职要求：熟练使用氩弧焊，持焊工证。福利待遇：包吃住"
//! }"#)?;
//! let v = ingest_vacancy(&raw, 1)?;
//! assert_eq!(v.record.region.to_string(), "500107");
//! assert_eq!(v.record.salary_min.map(u32::from), Some(8_000));
//! assert!(v.record.skills.iter().any(|s| s == "焊工证"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod groups;
mod levels;
mod place;
mod salary;
mod skills;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Industry, MAX_DESCRIPTION_BYTES, MAX_LIST_LEN, MAX_TEXT_BYTES, Seeker, Vacancy};
use crate::taxonomy::skills as vocabulary;
pub use batch::{Item, Raw, ingest_all, json_lines};
pub use groups::parse_groups;
pub use levels::{parse_date, parse_education, parse_experience, parse_headcount};
pub use place::{Place, parse_place, remote_cue};
pub use salary::{HOURS_PER_DAY, Period, Salary, WEEKS_PER_MONTH, WORKING_DAYS_PER_MONTH, parse_salary};
pub use skills::{Extraction, Field, Found, Passed, extract_skills, job_of_title};

/// A value read from text and how it was read (`per day × 21.75 = per
/// month`, `prefecture 绵阳市 only: read as its seat county 涪城区`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Read<T> {
    /// The value.
    pub value: T,
    /// How it was read.
    pub how: String,
}

impl<T> Read<T> {
    fn new(value: T, how: impl Into<String>) -> Read<T> {
        Read {
            value,
            how: how.into(),
        }
    }
}

/// The error every parser returns for text it cannot read: the field, the
/// text and why.
fn refuse<T>(field: &str, text: &str, reason: &str) -> Result<T> {
    let mut shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    Err(Error::invalid(field, format!("`{shown}`: {reason}")))
}

/// A raw posting: the strings a job board exports. Every field may be
/// missing or empty; `id` may be a string or a number. Unknown fields are
/// ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawVacancy {
    /// Posting id (a string or a number); `line-N` when missing.
    #[serde(deserialize_with = "id_string")]
    pub id: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Employer name.
    pub employer: Option<String>,
    /// Salary as written (`4000-6000元/月`, `面议`).
    pub salary: Option<String>,
    /// Workplace as written (an address, a district, a zone).
    pub location: Option<String>,
    /// Education required as written (`大专及以上`).
    pub education: Option<String>,
    /// Experience required as written (`1-3年`).
    pub experience: Option<String>,
    /// Openings as written (`招3人`, `若干`).
    pub headcount: Option<String>,
    /// Description: duties, requirements, benefits, in prose.
    pub description: Option<String>,
    /// Date posted.
    pub posted: Option<String>,
    /// Date it expires.
    pub expires: Option<String>,
    /// Industry: a GB/T 4754 section letter or name (`制造业`).
    pub industry: Option<String>,
    /// Skills the board lists apart from the prose, when it does
    /// (separated by `、，,;/|` or spaces).
    pub skills: Option<String>,
}

/// A raw registration of a seeker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawSeeker {
    /// Seeker id (a string or a number); `line-N` when missing.
    #[serde(deserialize_with = "id_string")]
    pub id: Option<String>,
    /// Desired job(s) in words (`焊工/电焊工`).
    pub desired: Option<String>,
    /// Skills as typed (`焊工证、会开叉车，吃苦耐劳`).
    pub skills: Option<String>,
    /// Home as written.
    pub location: Option<String>,
    /// Expected salary as written (`期望薪资 5k`): its lowest amount is the
    /// seeker's minimum.
    pub salary: Option<String>,
    /// Education attained as written.
    pub education: Option<String>,
    /// Experience as written (`3年`).
    pub experience: Option<String>,
    /// Self-description (skills in it are extracted too).
    pub about: Option<String>,
    /// Priority groups as written (`退役军人`, `登记失业人员`); groups named
    /// in the skills, experience or self-description count too.
    pub groups: Option<String>,
}

/// An id given as a string or a number.
fn id_string<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(serde_json::Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    })
}

impl crate::io::Record for RawVacancy {
    fn from_json(bytes: &[u8]) -> std::result::Result<Self, crate::io::FieldError> {
        crate::io::parse_plain(bytes)
    }
}

impl crate::io::Record for RawSeeker {
    fn from_json(bytes: &[u8]) -> std::result::Result<Self, crate::io::FieldError> {
        crate::io::parse_plain(bytes)
    }
}

/// What happened to one field of a raw record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Read into a value.
    Parsed,
    /// Missing, blank or unstated (`面议`, `若干`): the default applies.
    Defaulted,
    /// Present but unreadable: left unset, with the reason.
    Refused,
}

/// How one field of a raw record was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// The raw field's name.
    pub field: &'static str,
    /// What happened.
    pub outcome: Outcome,
    /// How it was read, or why it was refused.
    pub how: String,
    /// The text as written (for refused fields and reports).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// A clean record and how every field of its raw record was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ingested<T> {
    /// The clean record.
    pub record: T,
    /// One reading per raw field, in the raw record's order.
    pub readings: Vec<Reading>,
    /// The skills found in the text, with where (given skills are not
    /// listed).
    pub extracted: Vec<Found>,
    /// Mentions passed over (under 福利待遇, negated).
    pub passed: Vec<Passed>,
}

/// Collects readings of one record.
#[derive(Default)]
struct Readings(Vec<Reading>);

impl Readings {
    /// Reads an optional text field with `parse`, recording the outcome; a
    /// blank field and a value of `None` are defaulted.
    fn read<T>(
        &mut self,
        field: &'static str,
        text: Option<&String>,
        parse: impl FnOnce(&str) -> Result<Read<Option<T>>>,
    ) -> Option<T> {
        let Some(text) = text.map(|t| t.trim()).filter(|t| !t.is_empty()) else {
            self.push(field, Outcome::Defaulted, "missing", "");
            return None;
        };
        match parse(text) {
            Ok(Read { value: Some(v), how }) => {
                self.push(field, Outcome::Parsed, &how, text);
                Some(v)
            }
            Ok(Read { value: None, how }) => {
                self.push(field, Outcome::Defaulted, &how, text);
                None
            }
            Err(e) => {
                self.push(field, Outcome::Refused, &reason(&e), text);
                None
            }
        }
    }

    fn push(&mut self, field: &'static str, outcome: Outcome, how: &str, text: &str) {
        self.0.push(Reading {
            field,
            outcome,
            how: how.to_owned(),
            text: text.to_owned(),
        });
    }
}

/// An error's reason without its field (the reading names the field).
fn reason(e: &Error) -> String {
    match e {
        Error::Invalid { reason, .. } => reason.clone(),
        other => other.to_string(),
    }
}

/// A text field clipped to `max` bytes at a character boundary, and
/// whether it was clipped.
fn clip(s: &str, max: usize) -> (String, bool) {
    if s.len() <= max {
        return (s.to_owned(), false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (s.get(..end).unwrap_or("").to_owned(), true)
}

/// Reads a text field that is kept as written (clipped to `max` bytes).
fn text_field(r: &mut Readings, field: &'static str, text: Option<&String>, max: usize) -> Option<String> {
    let Some(t) = text.map(|t| t.trim()).filter(|t| !t.is_empty()) else {
        r.push(field, Outcome::Defaulted, "missing", "");
        return None;
    };
    let (kept, clipped) = clip(t, max);
    let how = if clipped {
        format!("kept, clipped to {max} bytes")
    } else {
        "kept as written".to_owned()
    };
    r.push(field, Outcome::Parsed, &how, "");
    Some(kept)
}

/// An industry given as a section letter or its Chinese name.
fn parse_industry(text: &str) -> Result<Read<Option<Industry>>> {
    let t = crate::text::fold(text);
    let upper = t.to_ascii_uppercase();
    if let Ok(i) = upper.parse::<Industry>() {
        return Ok(Read::new(Some(i), "section letter"));
    }
    let named: Vec<Industry> = Industry::all()
        .filter(|i| {
            let name = i.name_zh();
            t == name || t.contains(name) || (t.chars().count() >= 2 && name.contains(t.as_str()))
        })
        .collect();
    match named.as_slice() {
        [one] => Ok(Read::new(Some(*one), format!("section {} by name", one.letter()))),
        _ => refuse("industry", text, "not a GB/T 4754 section letter or name"),
    }
}

/// Splits a free skills string on the separators people type; a space
/// separates too, unless the words it joins are one skill the vocabulary
/// knows (`MS Office`).
fn split_skills(s: &str) -> Vec<&str> {
    let vocab = vocabulary();
    let mut out = Vec::new();
    // The list separators, and those a free field adds.
    for piece in s
        .split(|c: char| crate::text::LIST_SEPARATORS.contains(&c) || matches!(c, '/' | '|' | '\n' | '。'))
        .map(str::trim)
    {
        if piece.is_empty() {
            continue;
        }
        if piece.contains(char::is_whitespace) && vocab.lookup(piece).is_none() {
            out.extend(piece.split_whitespace());
        } else {
            out.push(piece);
        }
    }
    out
}

/// The skills a free skills string stands for, read as a registration's
/// `skills` are: split at the separators people type, each item read for
/// the skills it names (`会电焊` → 焊接), a skill said not to be held left
/// out, an item naming nothing the vocabulary knows kept as typed (repeats
/// kept: ranking counts each canonical skill once).
///
/// ```
/// use jobmatch::ingest::parse_skills;
/// assert_eq!(parse_skills("会电焊，熟练操作叉车、吃苦耐劳 不会驾驶"), ["焊接", "叉车", "吃苦耐劳"]);
/// assert_eq!(parse_skills("焊接、区块链养蜂"), ["焊接", "区块链养蜂"]);
/// ```
pub fn parse_skills(typed: &str) -> Vec<String> {
    typed_skills(typed, &mut Vec::new(), &mut Vec::new())
}

/// The skills one typed item stands for ([`typed_skill`]): what a seeker's
/// query reads an item the vocabulary does not know as.
pub(crate) fn item_skills(item: &str) -> Vec<String> {
    typed_skill(item).0
}

/// Skills from a free skills string: each item as [`typed_skill`] reads
/// it, with what extraction found and passed over.
fn typed_skills(s: &str, extracted: &mut Vec<Found>, passed: &mut Vec<Passed>) -> Vec<String> {
    let mut out = Vec::new();
    for item in split_skills(s) {
        let (skills, e) = typed_skill(item);
        out.extend(skills);
        extracted.extend(e.found);
        passed.extend(e.passed);
    }
    out
}

/// The skills one item of a registration's skills stands for: the item
/// when the vocabulary knows it; else the vocabulary's skills found in it
/// (`会电焊` → 焊接); none when it only names skills it says are not held
/// (`不会焊接`); else the item itself, an unknown skill. A short name (one
/// or two characters) found inside an item that says more than the skill
/// and words around a skill ([`ITEM_AFFIXES`]) is part of another phrase
/// and passed over: `区块链养蜂` holds no 区块, `元宇宙` no 宇宙. With what
/// extraction found and passed over (empty for a known item).
fn typed_skill(item: &str) -> (Vec<String>, Extraction) {
    if vocabulary().lookup(item).is_some() {
        return (vec![item.to_owned()], Extraction::default());
    }
    let mut e = extract_skills(item, Field::Skills);
    let negated = !e.passed.is_empty();
    if !e.found.is_empty() && !only_affixes(&uncovered(item, &e.found)) {
        let (kept, short): (Vec<Found>, Vec<Found>) = std::mem::take(&mut e.found)
            .into_iter()
            .partition(|f| item.get(f.start..f.end).is_some_and(|m| m.chars().count() > 2));
        e.found = kept;
        e.passed.extend(short.into_iter().map(|f| Passed {
            skill: f.skill,
            reason: format!("part of another phrase: {item}"),
        }));
    }
    let skills = if !e.found.is_empty() {
        e.found.iter().map(|f| f.skill.clone()).collect()
    } else if negated {
        Vec::new()
    } else {
        vec![item.to_owned()]
    };
    (skills, e)
}

/// Words a typed skill item may hold around the skills it names: ability
/// and operation verbs before (`会电焊`, `熟练操作叉车`), a trade's
/// generic endings after (`电焊工`, `焊接技术`, `叉车证`) and the words
/// that close a list of them (`川菜、湘菜都会`).
const ITEM_AFFIXES: [&str; 34] = [
    "会",
    "能",
    "懂",
    "可",
    "有",
    "熟悉",
    "熟练",
    "精通",
    "掌握",
    "擅长",
    "具备",
    "具有",
    "持有",
    "了解",
    "开",
    "做",
    "操作",
    "使用",
    "从事",
    "工",
    "工作",
    "技术",
    "技能",
    "经验",
    "能力",
    "证",
    "证书",
    "都会",
    "都能",
    "都可以",
    "都行",
    "也会",
    "也能",
    "均可",
];

/// What an item says besides the mentions found in it, punctuation and
/// spaces left out.
fn uncovered(item: &str, found: &[Found]) -> String {
    item.char_indices()
        .filter(|&(i, c)| c.is_alphanumeric() && !found.iter().any(|f| (f.start..f.end).contains(&i)))
        .map(|(_, c)| c)
        .collect()
}

/// Whether `text` is nothing but [`ITEM_AFFIXES`] (each longest first).
fn only_affixes(text: &str) -> bool {
    let mut rest = text;
    while !rest.is_empty() {
        match ITEM_AFFIXES
            .iter()
            .filter(|a| rest.starts_with(**a))
            .max_by_key(|a| a.len())
        {
            Some(a) => rest = rest.get(a.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    true
}

/// Adds skills not yet in `skills` (by canonical term), up to the list cap.
fn add_distinct(skills: &mut Vec<String>, more: impl IntoIterator<Item = String>) {
    let vocab = vocabulary();
    let mut seen: Vec<String> = skills.iter().map(|s| vocab.canonical(s)).collect();
    for s in more {
        let c = vocab.canonical(&s);
        if skills.len() < MAX_LIST_LEN && !c.is_empty() && !seen.contains(&c) {
            seen.push(c);
            skills.push(s);
        }
    }
}

/// Reads one raw posting into a vacancy. `line` names it when it has no
/// id.
///
/// # Errors
/// [`Error::Invalid`] naming the record (its id or line) when it cannot be
/// a vacancy: no title, or no place in Sichuan or Chongqing (the place's
/// own reason).
pub fn ingest_vacancy(raw: &RawVacancy, line: u64) -> Result<Ingested<Vacancy>> {
    let mut r = Readings::default();
    let id = record_id(&mut r, raw.id.as_ref(), line);
    let title = text_field(&mut r, "title", raw.title.as_ref(), MAX_TEXT_BYTES)
        .ok_or_else(|| Error::invalid(format!("record `{id}`: title"), "no title: a posting needs one"))?;
    let place = required_place(
        &mut r,
        raw.location.as_deref(),
        &id,
        "no place: a posting needs one",
    )?;
    let mut v = Vacancy::new(id, title, place.region)?;
    v.coordinates = place.coordinates;
    // Remote: a cue in the place, the title or the description.
    let remote = [
        ("location", raw.location.as_deref()),
        ("title", raw.title.as_deref()),
        ("description", raw.description.as_deref()),
    ]
    .into_iter()
    .find_map(|(field, text)| Some((field, remote_cue(text?)?)));
    if let Some((field, cue)) = remote {
        v.remote = true;
        r.push(
            "remote",
            Outcome::Parsed,
            &format!("remote: `{cue}` in the {field}"),
            cue,
        );
    }
    v.employer = text_field(&mut r, "employer", raw.employer.as_ref(), MAX_TEXT_BYTES);
    if let Some(s) = r.read("salary", raw.salary.as_ref(), parse_salary) {
        (v.salary_min, v.salary_max) = (s.min, s.max);
    }
    v.education = r.read("education", raw.education.as_ref(), parse_education);
    v.experience_years = r.read("experience", raw.experience.as_ref(), parse_experience);
    if let Some(n) = r.read("headcount", raw.headcount.as_ref(), parse_headcount) {
        v.headcount = std::num::NonZeroU32::new(n).unwrap_or(std::num::NonZeroU32::MIN);
    }
    v.posted = r.read("posted", raw.posted.as_ref(), parse_date);
    v.expires = r.read("expires", raw.expires.as_ref(), parse_date);
    if let (Some(p), Some(e)) = (v.posted, v.expires)
        && e < p
    {
        v.expires = None;
        if let Some(last) = r.0.last_mut() {
            last.outcome = Outcome::Refused;
            last.how = format!("expires before it was posted ({p})");
        }
    }
    v.industry = r.read("industry", raw.industry.as_ref(), parse_industry);
    v.description = text_field(
        &mut r,
        "description",
        raw.description.as_ref(),
        MAX_DESCRIPTION_BYTES,
    );
    // Skills: those listed, then those the title and the description ask for.
    let (mut extracted, mut passed) = (Vec::new(), Vec::new());
    let mut skills = Vec::new();
    if let Some(s) = raw.skills.as_deref() {
        skills = typed_skills(s, &mut extracted, &mut passed);
    }
    for (text, field) in [
        (Some(&v.title), Field::Title),
        (v.description.as_ref(), Field::Description),
    ] {
        let Some(text) = text else { continue };
        let e = extract_skills(text, field);
        add_distinct(&mut skills, e.found.iter().map(|f| f.skill.clone()));
        extracted.extend(e.found);
        passed.extend(e.passed);
    }
    r.push(
        "skills",
        if skills.is_empty() {
            Outcome::Defaulted
        } else {
            Outcome::Parsed
        },
        &format!("{} skills ({} found in the text)", skills.len(), extracted.len()),
        "",
    );
    v.skills = skills;
    v.skill_evidence = extracted
        .iter()
        .filter_map(|f| {
            let field = match f.field {
                Field::Title => crate::model::EvidenceField::Title,
                Field::Description => crate::model::EvidenceField::Description,
                // Given as a list: nothing to quote.
                Field::Skills => return None,
            };
            Some(crate::model::SkillEvidence {
                skill: f.skill.clone(),
                field,
                clause: clip(&f.clause, crate::model::MAX_TEXT_BYTES).0,
            })
        })
        .take(crate::model::MAX_LIST_LEN)
        .collect();
    v.validate()?;
    Ok(Ingested {
        record: v,
        readings: r.0,
        extracted,
        passed,
    })
}

/// Reads one raw registration into a seeker.
///
/// # Errors
/// [`Error::Invalid`] naming the record when it has no home in Sichuan or
/// Chongqing.
pub fn ingest_seeker(raw: &RawSeeker, line: u64) -> Result<Ingested<Seeker>> {
    let mut r = Readings::default();
    let id = record_id(&mut r, raw.id.as_ref(), line);
    let place = required_place(
        &mut r,
        raw.location.as_deref(),
        &id,
        "no home: a seeker needs one",
    )?;
    let (mut extracted, mut passed) = (Vec::new(), Vec::new());
    let mut skills = match raw.skills.as_deref() {
        Some(s) => typed_skills(s, &mut extracted, &mut passed),
        None => Vec::new(),
    };
    if let Some(about) = raw.about.as_deref() {
        let e = extract_skills(about, Field::Description);
        add_distinct(&mut skills, e.found.iter().map(|f| f.skill.clone()));
        extracted.extend(e.found);
        passed.extend(e.passed);
    }
    // A priority group said among the skills (`退伍军人`) is no skill.
    skills.retain(|s| !groups::only_a_group(s));
    let mut dedup = Vec::new();
    add_distinct(&mut dedup, skills);
    r.push(
        "skills",
        if dedup.is_empty() {
            Outcome::Defaulted
        } else {
            Outcome::Parsed
        },
        &format!("{} skills", dedup.len()),
        "",
    );
    let mut s = Seeker::new(id, dedup, place.region)?;
    s.coordinates = place.coordinates;
    if let Some(d) = raw.desired.as_deref() {
        s.titles = split_skills(d)
            .into_iter()
            .take(MAX_LIST_LEN)
            .map(|t| clip(t, MAX_TEXT_BYTES).0)
            .collect();
        r.push(
            "desired",
            Outcome::Parsed,
            &format!("{} titles", s.titles.len()),
            "",
        );
    }
    if let Some(sal) = r.read("salary", raw.salary.as_ref(), |t| parse_salary(strip_label(t))) {
        s.salary_min = sal.min.or(sal.max);
    }
    s.education = r.read("education", raw.education.as_ref(), parse_education);
    s.experience_years = r.read("experience", raw.experience.as_ref(), parse_experience);
    s.groups = read_groups(&mut r, raw);
    s.validate()?;
    Ok(Ingested {
        record: s,
        readings: r.0,
        extracted,
        passed,
    })
}

/// The priority groups a registration names, in its own field or in the
/// skills, experience or self-description, recorded as one reading; a
/// `groups` field naming none is refused (left unset, counted).
fn read_groups(r: &mut Readings, raw: &RawSeeker) -> Vec<crate::model::PriorityGroup> {
    let sources = [
        ("groups", &raw.groups),
        ("skills", &raw.skills),
        ("experience", &raw.experience),
        ("about", &raw.about),
    ];
    let mut found = Vec::new();
    let mut from = Vec::new();
    for (field, text) in sources {
        let Some(text) = text.as_deref() else {
            continue;
        };
        let named = parse_groups(text);
        if !named.is_empty() {
            from.push(field);
        }
        for g in named {
            if !found.contains(&g) {
                found.push(g);
            }
        }
    }
    let given = raw.groups.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if found.is_empty() {
        match given {
            Some(text) => r.push("groups", Outcome::Refused, "names no priority group", text),
            None => r.push("groups", Outcome::Defaulted, "none named", ""),
        }
    } else {
        let names: Vec<&str> = found.iter().map(|g| g.as_str()).collect();
        let how = format!("{} (named in {})", names.join(", "), from.join(", "));
        r.push("groups", Outcome::Parsed, &how, given.unwrap_or_default());
    }
    found
}

/// `期望薪资 5k` → `5k`: a label before the amount.
fn strip_label(t: &str) -> &str {
    let at = t.find(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
    match at {
        Some(i) if t.get(..i).is_some_and(|l| l.contains("薪") || l.contains("期望")) => {
            t.get(i..).unwrap_or(t)
        }
        _ => t,
    }
}

/// The place a record cannot do without, read and recorded; the error names
/// the record.
fn required_place(r: &mut Readings, text: Option<&str>, id: &str, missing: &str) -> Result<Place> {
    let field = || format!("record `{id}`: location");
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(Error::invalid(field(), missing));
    };
    match parse_place(text) {
        Ok(p) => {
            r.push("location", Outcome::Parsed, &p.how, text);
            Ok(p.value)
        }
        Err(e) => Err(Error::invalid(field(), reason(&e))),
    }
}

/// The record's id, or `line-N` when it has none.
fn record_id(r: &mut Readings, id: Option<&String>, line: u64) -> String {
    match id.map(|i| i.trim()).filter(|i| !i.is_empty()) {
        Some(i) => {
            r.push("id", Outcome::Parsed, "as given", "");
            clip(i, MAX_TEXT_BYTES).0
        }
        None => {
            r.push("id", Outcome::Defaulted, "missing: named by its line", "");
            format!("line-{line}")
        }
    }
}

/// A record that could not be ingested.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    /// Its line in the input (1-based; for CSV, counting the header).
    pub line: u64,
    /// Its id, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Why.
    pub reason: String,
}

/// Counts of one field's outcomes and its most frequent unread values.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FieldCounts {
    /// Read into a value.
    pub parsed: u64,
    /// Missing or unstated: the default applies.
    pub defaulted: u64,
    /// Present but unreadable.
    pub refused: u64,
    /// The most frequent refused texts with their counts (at most 20).
    pub top_refused: Vec<(String, u64)>,
    #[serde(skip)]
    refused_texts: HashMap<String, u64>,
}

/// What an ingest did, field by field and record by record.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestReport {
    /// Records read.
    pub records: u64,
    /// Records written.
    pub written: u64,
    /// Records that could not become a vacancy or seeker, each with its
    /// line, id and reason.
    pub refused: Vec<Refusal>,
    /// Per raw field.
    pub fields: BTreeMap<&'static str, FieldCounts>,
    /// Skills found in the text, over all records.
    pub skills_extracted: u64,
    /// Mentions passed over (under 福利待遇, negated).
    pub mentions_passed: u64,
}

impl IngestReport {
    /// Counts one record's readings.
    pub fn add<T>(&mut self, ingested: &Ingested<T>) {
        self.records += 1;
        self.written += 1;
        self.skills_extracted += ingested.extracted.len() as u64;
        self.mentions_passed += ingested.passed.len() as u64;
        for reading in &ingested.readings {
            let c = self.fields.entry(reading.field).or_default();
            match reading.outcome {
                Outcome::Parsed => c.parsed += 1,
                Outcome::Defaulted => c.defaulted += 1,
                Outcome::Refused => {
                    c.refused += 1;
                    let text: String = reading.text.chars().take(80).collect();
                    *c.refused_texts.entry(text).or_default() += 1;
                }
            }
        }
    }

    /// Counts a record that could not be ingested.
    pub fn refuse(&mut self, line: u64, id: Option<String>, error: &Error) {
        self.records += 1;
        self.refused.push(Refusal {
            line,
            id,
            reason: error.to_string(),
        });
    }

    /// Fills each field's most frequent refused texts (call once, at the end).
    pub fn finish(&mut self) {
        for c in self.fields.values_mut() {
            let mut top: Vec<(String, u64)> = c.refused_texts.drain().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            top.truncate(20);
            c.top_refused = top;
        }
    }
}

/// A vacancy as the interchange format writes it, with how it was read
/// (an extension field, `ingest`, that readers of the format ignore).
///
/// # Errors
/// A serialisation failure.
pub fn to_json_line<T: Serialize>(ingested: &Ingested<T>) -> Result<String> {
    #[derive(Serialize)]
    struct Provenance<'a> {
        readings: Vec<&'a Reading>,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        extracted: &'a [Found],
    }
    let mut value = serde_json::to_value(&ingested.record).map_err(|e| Error::io_unnamed(e.into()))?;
    let provenance = Provenance {
        readings: ingested
            .readings
            .iter()
            .filter(|r| r.outcome != Outcome::Defaulted || r.how != "missing")
            .collect(),
        extracted: &ingested.extracted,
    };
    if let serde_json::Value::Object(map) = &mut value {
        map.insert(
            "ingest".into(),
            serde_json::to_value(provenance).map_err(|e| Error::io_unnamed(e.into()))?,
        );
    }
    serde_json::to_string(&value).map_err(|e| Error::io_unnamed(e.into()))
}

/// A column mapping for CSV input: raw field name → header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns(Vec<(String, String)>);

impl Columns {
    /// The common Chinese headers of job-board exports (岗位名称, 薪资待遇,
    /// 工作地点 …) and the raw field names themselves.
    pub fn defaults() -> Columns {
        let pairs: &[(&str, &[&str])] = &[
            ("id", &["id", "编号", "职位编号", "岗位编号", "序号"]),
            (
                "title",
                &["title", "岗位名称", "职位名称", "招聘岗位", "岗位", "职位"],
            ),
            (
                "employer",
                &["employer", "单位名称", "企业名称", "公司名称", "招聘单位"],
            ),
            (
                "salary",
                &["salary", "薪资待遇", "薪资", "月薪", "工资待遇", "薪酬", "工资"],
            ),
            (
                "location",
                &["location", "工作地点", "工作地址", "地点", "地址", "工作区域"],
            ),
            ("education", &["education", "学历要求", "学历"]),
            ("experience", &["experience", "工作经验", "经验要求", "经验"]),
            ("headcount", &["headcount", "招聘人数", "人数"]),
            (
                "description",
                &[
                    "description",
                    "岗位描述",
                    "职位描述",
                    "岗位职责",
                    "职位详情",
                    "描述",
                ],
            ),
            ("posted", &["posted", "发布日期", "发布时间"]),
            ("expires", &["expires", "截止日期", "有效期至", "截止时间"]),
            ("industry", &["industry", "行业", "所属行业"]),
            ("skills", &["skills", "技能要求", "技能"]),
            ("desired", &["desired", "求职意向", "期望岗位", "期望职位"]),
            ("about", &["about", "自我介绍", "自我评价", "个人简介"]),
            (
                "groups",
                &["groups", "人员类别", "人员类型", "重点群体", "就业群体"],
            ),
        ];
        Columns(
            pairs
                .iter()
                .flat_map(|(f, hs)| hs.iter().map(move |h| ((*f).to_owned(), (*h).to_owned())))
                .collect(),
        )
    }

    /// `title=岗位名称,salary=薪资待遇`: these first, then the defaults.
    ///
    /// # Errors
    /// [`Error::Invalid`] (field `--columns`) for an item without `=` or an
    /// unknown raw field.
    pub fn parse(spec: &str) -> Result<Columns> {
        let defaults = Columns::defaults();
        let mut fields: Vec<&str> = defaults.0.iter().map(|(f, _)| f.as_str()).collect();
        fields.dedup();
        let mut out = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let Some((field, header)) = item.split_once('=') else {
                return Err(Error::invalid(
                    "--columns",
                    format!("`{item}` is not field=header"),
                ));
            };
            let field = field.trim();
            if !fields.contains(&field) {
                return Err(Error::invalid(
                    "--columns",
                    format!("unknown field `{field}` (one of {})", fields.join(", ")),
                ));
            }
            out.push((field.to_owned(), header.trim().to_owned()));
        }
        out.extend(defaults.0);
        Ok(Columns(out))
    }

    /// For each header position, the raw field it fills (the first mapping
    /// that names it wins; a field is filled from one column only).
    fn assign(&self, headers: &csv::StringRecord) -> Vec<Option<String>> {
        let mut taken: Vec<String> = Vec::new();
        let mut out = vec![None; headers.len()];
        for (field, header) in &self.0 {
            if taken.contains(field) {
                continue;
            }
            if let Some(pos) = headers
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == header)
                && let Some(slot) = out.get_mut(pos)
                && slot.is_none()
            {
                *slot = Some(field.clone());
                taken.push(field.clone());
            }
        }
        out
    }
}

/// Reads CSV with a header into raw records (of either kind: the fields
/// are filled through a JSON object), each with its line.
///
/// # Errors
/// [`Error::Parse`] naming the line for malformed CSV; [`Error::Invalid`]
/// when no column maps to a raw field.
pub fn read_csv<R: std::io::Read, T: serde::de::DeserializeOwned>(
    reader: R,
    columns: &Columns,
) -> Result<Vec<(u64, Result<T>)>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers().map_err(|e| csv_error(&e, 1))?.clone();
    let fields = columns.assign(&headers);
    if fields.iter().all(Option::is_none) {
        return Err(Error::invalid(
            "--columns",
            format!(
                "no column of the header ({}) maps to a field",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut out = Vec::new();
    for (i, row) in rdr.records().enumerate() {
        let line = row
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i as u64 + 2, |p| p.line());
        let row = row.map_err(|e| csv_error(&e, line))?;
        let mut map = serde_json::Map::new();
        for (value, field) in row.iter().zip(&fields) {
            if let Some(f) = field {
                map.insert(f.clone(), serde_json::Value::String(value.to_owned()));
            }
        }
        let parsed = serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| Error::Parse {
            line,
            field: "(row)".into(),
            reason: e.to_string(),
        });
        out.push((line, parsed));
    }
    Ok(out)
}

fn csv_error(e: &csv::Error, line: u64) -> Error {
    Error::Parse {
        line: e.position().map_or(line, csv::Position::line),
        field: "(row)".into(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_s_skill_items_read_as_the_skills_they_name() {
        assert_eq!(typed_skill("电焊").0, ["电焊"]);
        assert_eq!(typed_skill("会电焊").0, ["焊接"]);
        assert_eq!(typed_skill("量子纠缠").0, ["量子纠缠"]);
        assert_eq!(typed_skill("熟练操作叉车").0, typed_skill("叉车").0);
        assert_eq!(typed_skill("会开叉车").0, typed_skill("叉车").0);
        // A short name inside another phrase is not that skill: the item
        // stays an unknown skill of its own, the mention passed over.
        for other in ["区块链养蜂", "元宇宙"] {
            let (skills, e) = typed_skill(other);
            assert_eq!(skills, [other]);
            assert!(e.found.is_empty() && !e.passed.is_empty(), "{other}: {e:?}");
        }
        // A longer name is specific enough wherever it stands.
        assert_eq!(typed_skill("精通CAD制图").0, ["CAD"]);
        // The words that close a list of skills are no other phrase.
        assert_eq!(typed_skill("湘菜都会").0, ["烹饪"]);
        assert_eq!(typed_skill("电焊也会").0, ["焊接"]);
        // Said not to be held: no skill, the mention passed over.
        for not_held in ["不会焊接", "没有叉车证", "不懂焊接"] {
            let (skills, e) = typed_skill(not_held);
            assert!(skills.is_empty(), "{not_held}: {skills:?}");
            assert!(!e.passed.is_empty(), "{not_held}");
        }
    }

    #[test]
    fn a_posting_becomes_a_vacancy_with_its_readings() {
        let raw = RawVacancy {
            id: Some("p1".into()),
            title: Some("电焊工".into()),
            salary: Some("面议".into()),
            location: Some("四川省绵阳市".into()),
            education: Some("学历不限".into()),
            experience: Some("经验不限".into()),
            headcount: Some("若干".into()),
            description: Some(
                "岗位职责：手工电弧焊。任职要求：持焊工证，无需学历。福利待遇：包吃住，提供叉车培训".into(),
            ),
            posted: Some("2024/3/1".into()),
            expires: Some("2024年2月1日".into()),
            industry: Some("制造业".into()),
            ..RawVacancy::default()
        };
        let v = ingest_vacancy(&raw, 7).unwrap();
        assert_eq!(v.record.region.to_string(), "510703");
        assert_eq!(v.record.salary_min, None);
        assert_eq!(v.record.experience_years, Some(0));
        assert_eq!(v.record.industry.map(|i| i.letter()), Some('C'));
        assert!(
            v.record.skills.iter().any(|s| s == "焊工证"),
            "{:?}",
            v.record.skills
        );
        assert!(
            !v.record.skills.iter().any(|s| s == "叉车"),
            "{:?}",
            v.record.skills
        );
        assert_eq!(v.record.expires, None);
        let expires = v.readings.iter().find(|r| r.field == "expires").unwrap();
        assert_eq!(expires.outcome, Outcome::Refused);
        let line = to_json_line(&v).unwrap();
        let back: Vacancy = serde_json::from_str(&line).unwrap();
        assert_eq!(back, v.record);
    }

    #[test]
    fn records_that_cannot_be_vacancies_say_why() {
        let no_title = RawVacancy {
            location: Some("九龙坡".into()),
            ..RawVacancy::default()
        };
        let e = ingest_vacancy(&no_title, 3).unwrap_err().to_string();
        assert!(e.contains("line-3") && e.contains("title"), "{e}");
        let far = RawVacancy {
            id: Some("x".into()),
            title: Some("司机".into()),
            location: Some("广东省深圳市南山区".into()),
            ..RawVacancy::default()
        };
        let e = ingest_vacancy(&far, 4).unwrap_err().to_string();
        assert!(e.contains("广东") && e.contains("`x`"), "{e}");
    }

    #[test]
    fn a_registration_becomes_a_seeker() {
        let raw: RawSeeker = serde_json::from_str(
            r#"{"id": 42, "desired": "焊工/电焊工", "skills": "焊工证、会开叉车，吃苦耐劳，某种绝活",
                "location": "重庆市九龙坡区", "salary": "期望薪资 5k", "education": "高中",
                "experience": "3年", "about": "做过两年氩弧焊"}"#,
        )
        .unwrap();
        let s = ingest_seeker(&raw, 1).unwrap().record;
        assert_eq!(s.id, "42");
        assert_eq!(s.salary_min.map(u32::from), Some(5000));
        assert_eq!(s.titles, ["焊工", "电焊工"]);
        for want in ["焊工证", "叉车", "吃苦耐劳", "某种绝活"] {
            assert!(s.skills.iter().any(|k| k == want), "{want} not in {:?}", s.skills);
        }
    }

    #[test]
    fn csv_with_chinese_headers_and_a_mapping() {
        let csv = "岗位名称,薪资待遇,工作地点,备注\n叉车司机,4000-6000元/月,成都市双流区,急招\n";
        let rows: Vec<(u64, Result<RawVacancy>)> = read_csv(csv.as_bytes(), &Columns::defaults()).unwrap();
        let (line, raw) = rows.into_iter().next().unwrap();
        let raw = raw.unwrap();
        assert_eq!(
            (line, raw.title.as_deref(), raw.salary.as_deref()),
            (2, Some("叉车司机"), Some("4000-6000元/月"))
        );
        let mapped = Columns::parse("description=备注").unwrap();
        let rows: Vec<(u64, Result<RawVacancy>)> = read_csv(csv.as_bytes(), &mapped).unwrap();
        assert_eq!(rows[0].1.as_ref().unwrap().description.as_deref(), Some("急招"));
        assert!(Columns::parse("wage=薪资").is_err());
    }
}
