//! Title → occupation coding: free Chinese or English job titles to ranked
//! CSCO 2022 codes with a confidence.
//!
//! How it works:
//! 1. **Cleaning.** Job-board titles carry noise around the job: who is
//!    hiring (`…招聘保安`), perks in brackets (`（五险一金）`), urgency
//!    (`急招`), places. General rules strip them: everything up to
//!    `招聘`/`诚聘`/`急招`, bracketed text, and perk phrases. The cleaned title
//!    is folded (width, case).
//! 2. **Features.** Character 1- to 4-grams of the title between start and
//!    end marks, and its last one to four characters: Chinese titles are
//!    head-final (`数控车床操作工` is an 操作工). A colloquial job word
//!    (`司机`, `老师`) adds the features of the title with the official word
//!    (`驾驶员`, `教师`). Weighted by sublinear TF × IDF, unit length.
//! 3. **A linear model.** One class per occupation (and per group, for
//!    groups with job-board aliases and titles coded no deeper), learned
//!    by averaged passive-aggressive updates (a large-margin learner,
//!    `linear`) from every occupation's official name and job-board
//!    aliases, each group's aliases (`普工`, `机械工程师`) and, counting
//!    twice as much, the titles a person coded. A title scores each class
//!    by the weights of its features.
//! 4. **Confidence.** A code's score and its margin over the best other
//!    code, through a logistic curve fitted on cross-validated scores of
//!    the train split: a confidence of 0.7 is right about 70% of the time.
//!
//! Learning from coded titles ([`Classifier::train`]) is the point: public
//! employment services hold years of postings caseworkers coded to CSCO,
//! and a coder trained on them learns their usage, which often differs
//! from the literal meaning of a title. Training is deterministic and takes
//! a few seconds for ten thousand titles.
//!
//! The shipped coder ([`classifier`]) is built once, on first use, from the
//! shipped taxonomy and the shipped coded titles (`data/job_titles_csco_train.csv`,
//! see `data/SOURCES.md`) in about a second, and is deterministic: ties
//! are broken by code.

// Indexing here cannot panic: document and occupation positions index the coder's own tables, built
// together; n-gram windows stay inside the character vector.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::linear::{Example, LinearModel, Training};
use super::occupation::{OccupationCode, OccupationLevel, Taxonomy, taxonomy};
use crate::error::{Error, Result};
use crate::text::fold;

/// A coded title: one candidate occupation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coded {
    /// The CSCO code.
    pub code: OccupationCode,
    /// Its official name.
    pub name: String,
    /// Confidence in [0, 1].
    pub confidence: f32,
}

/// A title a person coded: what a coder learns from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabeledTitle {
    /// The title as posted.
    pub title: String,
    /// The code it was given (an occupation, or a group when coded no
    /// deeper).
    pub code: OccupationCode,
}

/// How much a name or alias counts against a title a person coded (chosen
/// on the dev split: coded titles look like the titles to code, names do
/// not; 0.2–0.5 gave the same minor-group accuracy, 1.0 less).
const NAME_WEIGHT: f32 = 0.5;

/// The learner's settings (chosen on the dev split: more aggressive updates
/// overfit the coded titles, more epochs change nothing).
const TRAINING: Training = Training {
    epochs: 10,
    aggressiveness: 0.1,
    seed: 0x6a6f_626d_6174_6368,
};

/// Platt scaling of a score into a confidence: `σ(a·s + b·(s − r) + c)`
/// where `s` is the code's score and `r` the best other code's. Fitted by
/// logistic regression on 5-fold cross-validated scores of the train split
/// (2,000 titles; the confidences it gives match the share right within a
/// few points in every tenth from 0.3 up).
const CALIBRATION: (f32, f32, f32) = (1.95, 3.50, -1.44);

/// The coder: a linear model over a title's character n-grams and its last
/// characters, one class per occupation (or group, for titles coded no
/// deeper).
pub struct Classifier {
    /// Feature → column.
    columns: HashMap<String, u32>,
    /// IDF of each column.
    idf: Vec<f32>,
    model: LinearModel,
    codes: Vec<OccupationCode>,
}

/// Phrases that say nothing about the job (perks, urgency, employment terms).
const NOISE: [&str; 24] = [
    "五险一金",
    "六险一金",
    "包吃住",
    "包食宿",
    "包住",
    "双休",
    "单休",
    "年终奖",
    "提成",
    "底薪",
    "高薪",
    "急招",
    "诚聘",
    "直招",
    "长期",
    "兼职",
    "全职",
    "实习生",
    "可实习",
    "应届生",
    "储备",
    "无经验",
    "长白班",
    "周末",
];

/// Colloquial job words and the official words they stand for (general
/// usage, e.g. 老师 for 教师): the official word is added to the title.
const SYNONYMS: [(&str, &str); 13] = [
    ("老师", "教师"),
    ("程序员", "程序设计员"),
    ("挖机", "挖掘机"),
    ("司机", "驾驶员"),
    ("师傅", "工"),
    ("文员", "办事员"),
    ("店员", "营业员"),
    ("导购", "营业员"),
    ("客服", "客户服务"),
    ("普工", "生产辅助工"),
    ("幼师", "幼儿园教师"),
    ("保洁", "保洁员"),
    ("助教", "教师"),
];

/// Characters that open or close an aside.
const BRACKETS: [(char, char); 5] = [('(', ')'), ('（', '）'), ('【', '】'), ('[', ']'), ('<', '>')];

/// The shipped coded titles (`data/job_titles_csco_train.csv`).
const SHIPPED_TITLES: &str = include_str!("../../data/job_titles_csco_train.csv");

/// The shipped coder, once trained.
static CLASSIFIER: OnceLock<Classifier> = OnceLock::new();

/// The shipped coded titles, read.
fn shipped_titles() -> Vec<LabeledTitle> {
    // The shipped file is compiled in and read by the tests: a bad row
    // would fail them; here it only means fewer titles to learn from.
    read_labeled_titles(SHIPPED_TITLES)
        .map(|(e, _)| e)
        .unwrap_or_default()
}

/// The coder built from the shipped taxonomy and the shipped coded titles
/// (trained on first use, about a second; an index on disk keeps a
/// trained copy, see `index::CODER_FILE`).
pub fn classifier() -> &'static Classifier {
    CLASSIFIER.get_or_init(|| Classifier::train(taxonomy(), &shipped_titles()))
}

/// Whether the shipped coder is trained (or loaded) already.
pub(crate) fn classifier_is_ready() -> bool {
    CLASSIFIER.get().is_some()
}

/// Installs a saved copy of the shipped coder (from
/// [`Classifier::to_bytes`] of [`classifier`], checked against
/// [`shipped_fingerprint`] by the caller) instead of training it: false
/// when it is trained already.
pub(crate) fn install_shipped(coder: Classifier) -> bool {
    CLASSIFIER.set(coder).is_ok()
}

/// The fingerprint of the shipped coder ([`Classifier::fingerprint`] of
/// the shipped coded titles).
pub(crate) fn shipped_fingerprint() -> u64 {
    static PRINT: OnceLock<u64> = OnceLock::new();
    *PRINT.get_or_init(|| Classifier::fingerprint(taxonomy(), &shipped_titles()))
}

/// Reads coded titles: CSV with a header naming a title column (`title`
/// or `job_title`) and a code column (`code` or `csco_code`), or JSON Lines
/// of `{"title": …, "code": …}`. Rows with no code (empty, or left out of
/// a JSON line) are left out and counted. (Codes of major
/// or middle groups are read: they count in an [`Accuracy`], though they
/// are too coarse to teach a coder.)
///
/// # Errors
/// [`Error::Parse`] naming the line and field of a malformed row or a code
/// that is not in the classification.
pub fn read_labeled_titles(text: &str) -> Result<(Vec<LabeledTitle>, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bad = |line: u64, field: &str, reason: String| Error::Parse {
        line,
        field: field.to_owned(),
        reason,
    };
    let mut out = Vec::new();
    let mut skipped = 0usize;
    let mut keep = |title: String, code: &str, line: u64| -> Result<()> {
        let code = code.trim();
        if code.is_empty() {
            skipped += 1;
            return Ok(());
        }
        let code: OccupationCode = code
            .parse()
            .map_err(|e: Error| bad(line, "code", e.to_string()))?;
        out.push(LabeledTitle { title, code });
        Ok(())
    };
    if text.trim_start().starts_with('{') {
        // Parsed here, not by `io::JsonLines`: `io` comes later in the
        // flow than the taxonomy it reads codes with.
        #[derive(Deserialize)]
        struct Line {
            title: String,
            #[serde(default)]
            code: String,
        }
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let row: Line =
                serde_json::from_str(line).map_err(|e| bad(i as u64 + 1, "(line)", e.to_string()))?;
            keep(row.title, &row.code, i as u64 + 1)?;
        }
        return Ok((out, skipped));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad(1, "(header)", e.to_string()))?
        .clone();
    let column = |names: [&str; 2]| headers.iter().position(|h| names.contains(&h.trim()));
    let (Some(title_at), Some(code_at)) = (column(["title", "job_title"]), column(["code", "csco_code"]))
    else {
        return Err(bad(
            1,
            "(header)",
            "a coded-titles CSV needs a `title` (or `job_title`) and a `code` (or `csco_code`) column".into(),
        ));
    };
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            bad(line, "(line)", e.to_string())
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let title = row.get(title_at).unwrap_or_default().to_owned();
        keep(title, row.get(code_at).unwrap_or_default(), line)?;
    }
    Ok((out, skipped))
}

/// Codes a title: the `k` most likely occupations, best first.
///
/// ```
/// let best = &jobmatch::taxonomy::classify("枝江市招聘焊工（包吃住）", 5)[0];
/// assert_eq!(best.code.to_string(), "6-18-02-04");
/// ```
pub fn classify(title: &str, k: usize) -> Vec<Coded> {
    classifier().classify(title, k)
}

/// Lowest confidence at which a coded title is trusted: the index stores a
/// vacancy's coded occupation, and the ranker codes a seeker's desired
/// titles, only at or above it.
pub const MIN_CODING_CONFIDENCE: f32 = 0.3;

/// A title's occupation as the engine codes it: [`classify`]'s best code
/// when its confidence is at least [`MIN_CODING_CONFIDENCE`]. The index codes
/// untitled vacancies and the ranker codes seekers' titles with this one rule.
pub fn code_title(title: &str) -> Option<(OccupationCode, f32)> {
    classifier().code_title(title)
}

/// [`code_title`]'s rule on a title's best code and confidence: kept when
/// the confidence is at least [`MIN_CODING_CONFIDENCE`].
pub(crate) fn trusted(best: Option<(OccupationCode, f32)>) -> Option<(OccupationCode, f32)> {
    best.filter(|&(_, p)| p >= MIN_CODING_CONFIDENCE)
}

/// Strips the noise around the job in a title (see the module docs).
pub fn clean(title: &str) -> String {
    let mut t = fold(title);
    // Drop asides in brackets (perks, places, ids) unless that is all there is.
    for (open, close) in BRACKETS {
        while let (Some(a), Some(b)) = (t.find(open), t.find(close)) {
            if b <= a {
                break;
            }
            let inside = t[a + open.len_utf8()..b].to_owned();
            let rest = format!("{}{}", &t[..a], &t[b + close.len_utf8()..]);
            t = if rest.trim().is_empty() { inside } else { rest };
        }
    }
    // Who is hiring comes before 招聘: keep what follows it.
    for marker in ["招聘", "诚聘", "急招", "直招", "招"] {
        if let Some(i) = t.rfind(marker) {
            let after = t[i + marker.len()..].trim();
            if after.chars().count() >= 2 {
                t = after.to_owned();
                break;
            }
        }
    }
    for n in NOISE {
        if t.contains(n) && t.replace(n, "").chars().any(|c| c.is_alphanumeric()) {
            t = t.replace(n, " ");
        }
    }
    // Separators and what follows a `+` or `/` perk list.
    let t: String = t
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || crate::text::is_cjk(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    fold(&t)
}

/// Features of a cleaned title: character 1- to 4-grams of the title
/// between start and end marks, and its last one to four characters (the
/// head of a Chinese title: `数控车床操作工` is an 操作工). A colloquial
/// job word adds the features of the title with its official word as well.
fn features(cleaned: &str) -> Vec<String> {
    let mut texts = vec![cleaned.split_whitespace().collect::<Vec<_>>().join(" ")];
    for (colloquial, official) in SYNONYMS {
        if cleaned.contains(colloquial) {
            texts.push(texts[0].replace(colloquial, official));
        }
    }
    let mut out = Vec::new();
    for text in &texts {
        let marked: Vec<char> = std::iter::once('^')
            .chain(text.chars())
            .chain(std::iter::once('$'))
            .collect();
        for n in 1..=4usize {
            // The marks alone are in every title.
            for gram in marked.windows(n).filter(|g| n > 1 || !matches!(g, ['^' | '$'])) {
                out.push(gram.iter().collect());
            }
        }
        let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        for n in 1..=4usize.min(compact.len()) {
            let tail: String = compact[compact.len() - n..].iter().collect();
            out.push(format!("\u{1}{tail}"));
        }
    }
    out
}

/// Features with their sublinear term frequencies.
type Frequencies = Vec<(String, f32)>;

/// Sublinear term frequencies: each distinct feature once with 1 + ln(count).
fn frequencies(features: Vec<String>) -> Frequencies {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for f in features {
        *counts.entry(f).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(f, n)| (f, 1.0 + (n as f32).ln()))
        .collect()
}

/// Scales a vector to unit length, ordered by column.
fn normalised(mut v: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    v.sort_by_key(|&(c, _)| c);
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, x) in &mut v {
            *x /= norm;
        }
    }
    v
}

impl Classifier {
    /// A coder of titles into the occupations of `taxonomy`, learned from
    /// their names and job-board aliases alone.
    pub fn new(taxonomy: &Taxonomy) -> Classifier {
        Classifier::train(taxonomy, &[])
    }

    /// The same, learning from titles a person coded as well (each counts
    /// twice a name; a title coded only to a group teaches that group,
    /// which the coder may then return: `普工` is coded 生产制造及有关人员,
    /// as the platforms' caseworkers code it, not a guess at one of its
    /// occupations). Codes outside `taxonomy` teach nothing.
    /// Deterministic: the same examples give the same coder.
    pub fn train(taxonomy: &Taxonomy, examples: &[LabeledTitle]) -> Classifier {
        let mut codes = Vec::new();
        let mut target: HashMap<OccupationCode, u32> = HashMap::new();
        // (class, features with frequencies, weight)
        let mut raw: Vec<(u32, Frequencies, f32)> = Vec::new();
        for o in taxonomy.all() {
            // An occupation learns from its name and aliases; a group from
            // its aliases only (job-board words such as 普工 or 机械工程师
            // that name no occupation in it; its name, 生产制造及有关人员,
            // is no title anyone posts).
            let names: Vec<&String> = match o.level {
                OccupationLevel::Occupation => std::iter::once(&o.name).chain(&o.aliases).collect(),
                _ => o.aliases.iter().collect(),
            };
            if names.is_empty() {
                continue;
            }
            let class = codes.len() as u32;
            codes.push(o.code);
            target.insert(o.code, class);
            for name in names {
                let cleaned = clean(name);
                if !cleaned.is_empty() {
                    raw.push((class, frequencies(features(&cleaned)), NAME_WEIGHT));
                }
            }
        }
        for e in examples {
            // A code outside the taxonomy teaches nothing.
            let teaches = taxonomy.get(e.code).code == e.code;
            let cleaned = clean(&e.title);
            if !teaches || cleaned.is_empty() {
                continue;
            }
            let class = *target.entry(e.code).or_insert_with(|| {
                codes.push(e.code);
                codes.len() as u32 - 1
            });
            raw.push((class, frequencies(features(&cleaned)), 1.0));
        }
        // Columns in feature order, so that the same examples give the same
        // columns whatever a HashMap's order.
        let mut df: HashMap<&str, u32> = HashMap::new();
        for (_, f, _) in &raw {
            for (k, _) in f {
                *df.entry(k.as_str()).or_default() += 1;
            }
        }
        let mut names: Vec<(&str, u32)> = df.into_iter().collect();
        names.sort_unstable();
        let n = raw.len() as f32;
        let idf: Vec<f32> = names
            .iter()
            .map(|&(_, d)| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let columns: HashMap<String, u32> = names
            .iter()
            .enumerate()
            .map(|(i, &(k, _))| (k.to_owned(), i as u32))
            .collect();
        let examples: Vec<Example> = raw
            .iter()
            .map(|(class, f, weight)| Example {
                features: normalised(
                    f.iter()
                        .filter_map(|(k, tf)| columns.get(k).map(|&c| (c, tf * idf[c as usize])))
                        .collect(),
                ),
                class: *class,
                weight: *weight,
            })
            .collect();
        let model = LinearModel::train(columns.len(), codes.len(), &examples, TRAINING);
        Classifier {
            columns,
            idf,
            model,
            codes,
        }
    }

    /// A title's occupation as the engine codes it (see [`code_title`]).
    pub fn code_title(&self, title: &str) -> Option<(OccupationCode, f32)> {
        trusted(self.classify(title, 1).first().map(|c| (c.code, c.confidence)))
    }

    /// Codes a title: the `k` most likely occupations, best first, each
    /// with a confidence: its score and its margin over the best other
    /// code, calibrated (Platt scaling, see `CALIBRATION`). Empty when no
    /// feature of the title is known.
    pub fn classify(&self, title: &str, k: usize) -> Vec<Coded> {
        let cleaned = clean(title);
        if cleaned.is_empty() || k == 0 {
            return Vec::new();
        }
        let x = normalised(
            frequencies(features(&cleaned))
                .into_iter()
                .filter_map(|(key, tf)| self.columns.get(&key).map(|&c| (c, tf * self.idf[c as usize])))
                .collect(),
        );
        let mut scores = vec![0.0f32; self.model.classes()];
        let mut met = vec![false; self.model.classes()];
        let mut touched = Vec::with_capacity(256);
        self.model.score_into(&x, &mut scores, &mut met, &mut touched);
        if touched.is_empty() {
            return Vec::new();
        }
        let mut ranked: Vec<(u32, f32)> = touched.iter().map(|&c| (c, scores[c as usize])).collect();
        let order = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1)
                .then(self.codes[a.0 as usize].cmp(&self.codes[b.0 as usize]))
        };
        // The best k in order; the rest need no order.
        if ranked.len() > k {
            ranked.select_nth_unstable_by(k - 1, order);
            ranked.truncate(k);
        }
        ranked.sort_by(order);
        // The best score and the runner-up's (codes no feature points to
        // score 0), for each code's margin over the best other.
        let mut best = [0.0f32; 2];
        for &c in &touched {
            let s = scores[c as usize];
            if s > best[0] {
                best = [s, best[0]];
            } else if s > best[1] {
                best[1] = s;
            }
        }
        ranked
            .into_iter()
            .enumerate()
            .map(|(i, (c, s))| {
                let code = self.codes[c as usize];
                let rival = if i == 0 { best[1] } else { best[0].max(s) };
                let (a, b, bias) = CALIBRATION;
                let z = a * s + b * (s - rival) + bias;
                Coded {
                    code,
                    name: code.occupation().name.clone(),
                    confidence: (1.0 / (1.0 + (-z).exp())).clamp(0.0, 1.0),
                }
            })
            .collect()
    }
}

/// Bump when the coder's features or learner change in a way the probe in
/// [`Classifier::fingerprint`] might miss (2: the 幼师 synonym; 3: groups
/// learn from their aliases and group-coded titles; 4: the 程序员 and 挖机
/// synonyms).
const MODEL_VERSION: u64 = 4;

/// FNV-1a's starting value.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, 64 bits, continued from `hash`: a stable hash for fingerprints
/// and checksums (std's hasher may change between Rust releases).
fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

impl Classifier {
    /// A fingerprint of what a coder trained on `examples` would be: the
    /// examples, the classification's size, this version of the coder and
    /// the features of a probe title (so that a changed feature set changes
    /// it). A saved coder is reused only under the same fingerprint.
    pub fn fingerprint(taxonomy: &Taxonomy, examples: &[LabeledTitle]) -> u64 {
        let mut h = fnv(FNV_OFFSET, &MODEL_VERSION.to_le_bytes());
        h = fnv(h, &(taxonomy.occupations().count() as u64).to_le_bytes());
        for f in features(&clean("probe：数控车床操作工（包吃住）急招 Java司机")) {
            h = fnv(h, f.as_bytes());
        }
        for e in examples {
            h = fnv(h, e.title.as_bytes());
            h = fnv(h, &[0]);
            h = fnv(h, e.code.to_string().as_bytes());
            h = fnv(h, &[1]);
        }
        h
    }
}

/// Reads a saved coder's little-endian fields.
struct Bytes<'a> {
    rest: &'a [u8],
}

impl<'a> Bytes<'a> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.rest.split_first_chunk::<N>()?;
        self.rest = rest;
        Some(*head)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }

    fn f32(&mut self) -> Option<f32> {
        self.take::<4>().map(f32::from_le_bytes)
    }

    fn text(&mut self) -> Option<&'a str> {
        let len = self.u32()? as usize;
        let (head, rest) = self.rest.split_at_checked(len)?;
        self.rest = rest;
        std::str::from_utf8(head).ok()
    }
}

/// First bytes of a saved coder.
const MAGIC: &[u8; 8] = b"JMCODER1";

impl Classifier {
    /// The coder as bytes (a small binary format: codes, features with
    /// their IDF and weights, a checksum), for [`Classifier::from_bytes`]: loading is
    /// about a hundred times faster than training.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        let put_str = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        out.extend_from_slice(&(self.codes.len() as u32).to_le_bytes());
        for c in &self.codes {
            put_str(&mut out, &c.to_string());
        }
        let mut by_column: Vec<(&str, u32)> = self.columns.iter().map(|(k, &c)| (k.as_str(), c)).collect();
        by_column.sort_by_key(|&(_, c)| c);
        out.extend_from_slice(&(by_column.len() as u32).to_le_bytes());
        for (feature, column) in by_column {
            put_str(&mut out, feature);
            out.extend_from_slice(&self.idf[column as usize].to_le_bytes());
            let row = self.model.row(column as usize);
            out.extend_from_slice(&(row.len() as u32).to_le_bytes());
            for &(class, w) in row {
                out.extend_from_slice(&class.to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        // A checksum of all before it: a damaged copy is refused.
        let sum = fnv(FNV_OFFSET, &out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// A coder saved by [`Classifier::to_bytes`], its codes checked
    /// against `taxonomy`.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the bytes are not a saved coder (or one cut
    /// short), or name a code `taxonomy` lacks.
    pub fn from_bytes(taxonomy: &Taxonomy, bytes: &[u8]) -> Result<Classifier> {
        let corrupt = |what: &str| Error::Corrupt {
            reason: format!("a saved title coder: {what}"),
        };
        let (body, sum) = bytes
            .split_last_chunk::<8>()
            .ok_or_else(|| corrupt("cut short"))?;
        if u64::from_le_bytes(*sum) != fnv(FNV_OFFSET, body) {
            return Err(corrupt("checksum mismatch"));
        }
        let rest = body
            .strip_prefix(MAGIC.as_slice())
            .ok_or_else(|| corrupt("no header"))?;
        let mut r = Bytes { rest };
        let n_codes = r.u32().ok_or_else(|| corrupt("cut short"))? as usize;
        let mut codes = Vec::with_capacity(n_codes.min(1 << 16));
        for _ in 0..n_codes {
            let text = r.text().ok_or_else(|| corrupt("a code cut short or not text"))?;
            let code: OccupationCode = text.parse().map_err(|_| corrupt("a code is not a CSCO code"))?;
            if taxonomy.get(code).code != code {
                return Err(corrupt(&format!("{code} is not in this classification")));
            }
            codes.push(code);
        }
        let n_features = r.u32().ok_or_else(|| corrupt("cut short"))? as usize;
        let mut columns = HashMap::with_capacity(n_features.min(1 << 20));
        let mut idf = Vec::with_capacity(n_features.min(1 << 20));
        let mut rows = Vec::with_capacity(n_features.min(1 << 20));
        for column in 0..n_features {
            let feature = r
                .text()
                .ok_or_else(|| corrupt("a feature cut short or not text"))?;
            columns.insert(feature.to_owned(), column as u32);
            idf.push(r.f32().ok_or_else(|| corrupt("cut short"))?);
            let cells = r.u32().ok_or_else(|| corrupt("cut short"))?;
            let mut row = Vec::with_capacity((cells as usize).min(1 << 16));
            for _ in 0..cells {
                let (Some(class), Some(w)) = (r.u32(), r.f32()) else {
                    return Err(corrupt("a row cut short"));
                };
                row.push((class, w));
            }
            rows.push(row);
        }
        if !r.rest.is_empty() {
            return Err(corrupt("bytes after the end"));
        }
        Ok(Classifier {
            columns,
            idf,
            model: LinearModel::from_rows(codes.len(), rows),
            codes,
        })
    }
}

/// How often a coder gives the code a person gave, at the minor-group and
/// occupation levels, in its first and first five answers. A title coded
/// only to a group counts down to that group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Accuracy {
    /// Titles measured.
    pub titles: usize,
    /// Share right at the minor group, first answer.
    pub minor_top1: f64,
    /// Share right at the minor group, among the first five.
    pub minor_top5: f64,
    /// Share right at the occupation, first answer.
    pub occupation_top1: f64,
    /// Share right at the occupation, among the first five.
    pub occupation_top5: f64,
}

/// Whether `pred` agrees with `label` down to `level` (or to the label's
/// own depth when it is a group above it).
fn agrees(pred: OccupationCode, label: OccupationCode, level: usize) -> bool {
    let upto = level.min(label.depth());
    pred.parts().get(..upto) == label.parts().get(..upto)
}

impl Classifier {
    /// Its accuracy on coded titles.
    pub fn accuracy(&self, titles: &[LabeledTitle]) -> Accuracy {
        use rayon::prelude::*;
        let hits = titles
            .par_iter()
            .map(|t| {
                let coded = self.classify(&t.title, 5);
                let hit = |level: usize, top: usize| {
                    usize::from(coded.iter().take(top).any(|c| agrees(c.code, t.code, level)))
                };
                [hit(3, 1), hit(3, 5), hit(4, 1), hit(4, 5)]
            })
            .reduce(
                || [0; 4],
                |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]],
            );
        let share = |x: usize| x as f64 / titles.len().max(1) as f64;
        Accuracy {
            titles: titles.len(),
            minor_top1: share(hits[0]),
            minor_top5: share(hits[1]),
            occupation_top1: share(hits[2]),
            occupation_top5: share(hits[3]),
        }
    }
}

/// `folds`-fold cross-validation: the titles split by position (title `i`
/// in fold `i mod folds`), a coder trained on all folds but one measured on
/// that one, the counts summed over the folds.
///
/// # Errors
/// [`Error::Invalid`] when `folds` is below 2 or above the titles.
pub fn cross_validate(taxonomy: &Taxonomy, titles: &[LabeledTitle], folds: usize) -> Result<Accuracy> {
    if folds < 2 || folds > titles.len() {
        return Err(Error::invalid(
            "folds",
            format!(
                "{folds} folds of {} titles: need at least 2, at most one per title",
                titles.len()
            ),
        ));
    }
    let mut sums = [0.0f64; 4];
    for fold in 0..folds {
        let (test, train): (Vec<_>, Vec<_>) = titles.iter().enumerate().partition(|(i, _)| i % folds == fold);
        let train: Vec<LabeledTitle> = train.into_iter().map(|(_, t)| t.clone()).collect();
        let test: Vec<LabeledTitle> = test.into_iter().map(|(_, t)| t.clone()).collect();
        let a = Classifier::train(taxonomy, &train).accuracy(&test);
        let n = a.titles as f64;
        for (s, x) in sums
            .iter_mut()
            .zip([a.minor_top1, a.minor_top5, a.occupation_top1, a.occupation_top5])
        {
            *s += x * n;
        }
    }
    let n = titles.len() as f64;
    Ok(Accuracy {
        titles: titles.len(),
        minor_top1: sums[0] / n,
        minor_top5: sums[1] / n,
        occupation_top1: sums[2] / n,
        occupation_top5: sums[3] / n,
    })
}
