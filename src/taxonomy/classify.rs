//! Title → occupation coding: free Chinese or English job titles to ranked
//! CSCO 2022 codes with a confidence.
//!
//! How it works:
//! 1. **Cleaning.** Job-board titles carry noise around the job: who is
//!    hiring (`…招聘保安`), perks in brackets (`（五险一金）`), urgency
//!    (`急招`), places. General rules strip them: everything up to
//!    `招聘`/`诚聘`/`急招`, bracketed text, and perk phrases. The cleaned title
//!    is folded (width, case).
//! 2. **Features.** Character 1-, 2- and 3-grams and jieba words. Chinese
//!    titles are head-final (`数控车床操作工` is an 操作工), so features at the
//!    end of the title weigh more.
//! 3. **Documents.** Each occupation is described by its official name, each
//!    job-board alias, and (with a low weight) the skill keywords of its
//!    profile. Features are weighted by IDF over all documents.
//! 4. **Scoring.** Cosine similarity between the title and each document,
//!    plus a bonus when a whole name or alias appears in the title (at the
//!    end best); an occupation scores its best document plus a vote of its
//!    next three (0.3 of their sum).
//!
//! 5. **Learning from coded titles.** [`Classifier::train`] adds titles a
//!    person coded (years of postings caseworkers coded to CSCO) as more
//!    descriptions of their codes: a title then scores an occupation by its
//!    nearest coded titles as well as by its names. A title coded only to a
//!    minor group teaches that group, which the coder may then return.
//!
//! The shipped coder ([`classifier`]) is built once, on first use, from the
//! shipped taxonomy and the shipped coded titles (`data/job_titles_csco_train.csv`,
//! see `data/SOURCES.md`) in well under a second, and is deterministic:
//! ties are broken by code.

// Indexing here cannot panic: document and occupation positions index the coder's own tables, built
// together; n-gram windows stay inside the character vector.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::occupation::{OccupationCode, OccupationLevel, Taxonomy, taxonomy};
use super::skill::{SkillVocabulary, skills};
use crate::error::{Error, Result};
use crate::text;
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

/// How much a coded title counts against a name or alias (chosen on the dev
/// split, where 1.2–2.0 all gave 55–57% at minor-group top-1): coded
/// titles look like the titles to code, names do not.
const EXAMPLE_WEIGHT: f32 = 1.6;

/// How much an occupation's next best descriptions add to its best one (a
/// vote of its nearest coded titles; chosen on the dev split).
const VOTE: f32 = 0.3;

/// An occupation's descriptions that vote: its best and the next three (a
/// word many coded titles share must not outvote a name).
const VOTERS: usize = 4;

/// One description of an occupation (or of a group, for titles coded no
/// deeper).
struct Doc {
    occupation: u32,
    /// Folded text (name or alias) without spaces, for whole-phrase
    /// matches; empty for keyword documents.
    phrase: String,
    phrase_chars: usize,
}

/// The coder.
pub struct Classifier {
    docs: Vec<Doc>,
    /// Feature → (doc, weight).
    postings: HashMap<String, Vec<(u32, f32)>>,
    idf: HashMap<String, f32>,
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
const SYNONYMS: [(&str, &str); 10] = [
    ("老师", "教师"),
    ("司机", "驾驶员"),
    ("师傅", "工"),
    ("文员", "办事员"),
    ("店员", "营业员"),
    ("导购", "营业员"),
    ("客服", "客户服务"),
    ("普工", "生产辅助工"),
    ("保洁", "保洁员"),
    ("助教", "教师"),
];

/// Characters that open or close an aside.
const BRACKETS: [(char, char); 5] = [('(', ')'), ('（', '）'), ('【', '】'), ('[', ']'), ('<', '>')];

/// The shipped coded titles (`data/job_titles_csco_train.csv`).
const SHIPPED_TITLES: &str = include_str!("../../data/job_titles_csco_train.csv");

/// The coder built from the shipped taxonomy and the shipped coded titles.
pub fn classifier() -> &'static Classifier {
    static CLASSIFIER: OnceLock<Classifier> = OnceLock::new();
    CLASSIFIER.get_or_init(|| {
        // The shipped file is compiled in and read by the tests: a bad row
        // would fail them; here it only means fewer titles to learn from.
        let examples = read_labeled_titles(SHIPPED_TITLES)
            .map(|(e, _)| e)
            .unwrap_or_default();
        Classifier::train(taxonomy(), skills(), &examples)
    })
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

/// Features of a text with their weights: character n-grams (n = 1..3, with
/// features nearer the end weighing more) and jieba words.
fn features(text: &str, tail_weight: bool) -> HashMap<String, f32> {
    let mut out: HashMap<String, f32> = HashMap::new();
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let len = chars.len();
    // Single characters only for one-character texts: they are in thousands
    // of documents and say little.
    for n in 1..=3usize {
        if len < n || (n == 1 && len > 1) {
            continue;
        }
        let base = [0.0, 0.3, 1.0, 1.2][n];
        for i in 0..=len - n {
            let gram: String = chars[i..i + n].iter().collect();
            // Position weight: the last n-gram counts double the first.
            let pos = if tail_weight && len > n {
                1.0 + (i as f32) / ((len - n) as f32)
            } else {
                1.5
            };
            *out.entry(gram).or_default() += base * pos;
        }
    }
    for w in text::terms(text) {
        if w.chars().count() >= 2 {
            *out.entry(format!("w:{w}")).or_default() += 1.0;
        }
    }
    out
}

impl Classifier {
    /// A coder of titles into the occupations of `taxonomy`, described by
    /// their names, aliases and the skill profiles of `vocab`.
    pub fn new(taxonomy: &Taxonomy, vocab: &SkillVocabulary) -> Classifier {
        Classifier::train(taxonomy, vocab, &[])
    }

    /// The same, learning from titles a person coded as well: each is one
    /// more description of its code (a group when coded no deeper). Codes
    /// outside `taxonomy` and major or middle groups teach nothing.
    /// Deterministic: the same examples give the same coder.
    pub fn train(taxonomy: &Taxonomy, vocab: &SkillVocabulary, examples: &[LabeledTitle]) -> Classifier {
        let mut raw: Vec<(u32, String, HashMap<String, f32>, f32)> = Vec::new();
        let mut codes = Vec::new();
        let mut target: HashMap<OccupationCode, u32> = HashMap::new();
        for o in taxonomy.occupations() {
            let oi = codes.len() as u32;
            codes.push(o.code);
            target.insert(o.code, oi);
            // Job-board aliases such as `行政主厨/厨师长` are several titles.
            let mut names = vec![o.name.clone()];
            for a in &o.aliases {
                names.push(a.clone());
            }
            for name in names {
                let phrase = clean(&name);
                if phrase.is_empty() {
                    continue;
                }
                let f = features(&phrase, true);
                raw.push((oi, phrase, f, 1.0));
            }
            let keywords: String = vocab
                .profile(o.code)
                .iter()
                .filter_map(|&id| vocab.get(id).map(|s| s.name.clone()))
                .collect::<Vec<_>>()
                .join(" ");
            if !keywords.is_empty() {
                let mut f = HashMap::new();
                for w in keywords.split(' ') {
                    *f.entry(format!("w:{}", fold(w))).or_insert(0.0) += 1.0;
                }
                raw.push((oi, String::new(), f, 0.25));
            }
        }
        for e in examples {
            let entry = taxonomy.get(e.code);
            let teaches = entry.code == e.code
                && matches!(entry.level, OccupationLevel::Occupation | OccupationLevel::Minor);
            if !teaches {
                continue;
            }
            let oi = *target.entry(e.code).or_insert_with(|| {
                codes.push(e.code);
                codes.len() as u32 - 1
            });
            let phrase = clean(&e.title);
            if phrase.is_empty() {
                continue;
            }
            // Similar, not contained: the whole-phrase bonus is for names
            // and aliases, which are checked (a coded `司机` must not
            // outweigh the alias `叉车司机`).
            let f = features(&phrase, true);
            raw.push((oi, String::new(), f, EXAMPLE_WEIGHT));
        }
        // IDF over documents.
        let mut df: HashMap<String, u32> = HashMap::new();
        for (_, _, f, _) in &raw {
            for k in f.keys() {
                *df.entry(k.clone()).or_default() += 1;
            }
        }
        let n = raw.len() as f32;
        let idf: HashMap<String, f32> = df
            .into_iter()
            .map(|(k, d)| (k, (1.0 + n / d as f32).ln()))
            .collect();
        let mut docs = Vec::with_capacity(raw.len());
        let mut postings: HashMap<String, Vec<(u32, f32)>> = HashMap::new();
        for (i, (oi, phrase, f, scale)) in raw.into_iter().enumerate() {
            let mut weighted: Vec<(String, f32)> = f
                .into_iter()
                .map(|(k, w)| {
                    let x = w * idf.get(&k).copied().unwrap_or(0.0);
                    (k, x)
                })
                .collect();
            // Sums of floats in one order: a HashMap's order changes from
            // one map to the next, and so would the last bits.
            weighted.sort_by(|a, b| a.0.cmp(&b.0));
            let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-6);
            for (k, w) in weighted {
                postings.entry(k).or_default().push((i as u32, scale * w / norm));
            }
            let phrase: String = phrase.chars().filter(|c| !c.is_whitespace()).collect();
            let phrase_chars = phrase.chars().count();
            docs.push(Doc {
                occupation: oi,
                phrase,
                phrase_chars,
            });
        }
        Classifier {
            docs,
            postings,
            idf,
            codes,
        }
    }

    /// A title's occupation as the engine codes it (see [`code_title`]).
    pub fn code_title(&self, title: &str) -> Option<(OccupationCode, f32)> {
        self.classify(title, 1)
            .into_iter()
            .next()
            .filter(|c| c.confidence >= MIN_CODING_CONFIDENCE)
            .map(|c| (c.code, c.confidence))
    }

    /// Codes a title: the `k` most likely occupations, best first.
    pub fn classify(&self, title: &str, k: usize) -> Vec<Coded> {
        let cleaned = clean(title);
        if cleaned.is_empty() || k == 0 {
            return Vec::new();
        }
        let mut text = cleaned.clone();
        for (colloquial, official) in SYNONYMS {
            if cleaned.contains(colloquial) {
                text.push(' ');
                text.push_str(&cleaned.replace(colloquial, official));
            }
        }
        let f = features(&text, true);
        let mut weighted: Vec<(&str, f32)> = f
            .iter()
            .filter_map(|(key, w)| self.idf.get(key).map(|idf| (key.as_str(), w * idf)))
            .collect();
        // One order for the sums below, whatever the HashMap's: otherwise
        // near ties between codes could fall either way from call to call.
        weighted.sort_by(|a, b| a.0.cmp(b.0));
        let qnorm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(1e-6);
        // Dense accumulators: a few thousand documents, touched sparsely.
        let mut doc_scores = vec![0.0f32; self.docs.len()];
        let mut touched: Vec<u32> = Vec::with_capacity(256);
        for (key, w) in &weighted {
            if let Some(list) = self.postings.get(*key) {
                for &(d, dw) in list {
                    let slot = &mut doc_scores[d as usize];
                    if *slot == 0.0 {
                        touched.push(d);
                    }
                    *slot += w / qnorm * dw;
                }
            }
        }
        let compact: String = cleaned.chars().filter(|c| !c.is_whitespace()).collect();
        let compact_len = compact.chars().count().max(1) as f32;
        let mut occ_scores: HashMap<u32, [f32; VOTERS]> = HashMap::with_capacity(touched.len());
        for d in touched {
            let doc = &self.docs[d as usize];
            let mut s = doc_scores[d as usize];
            // A whole name or alias inside the title is strong evidence; at
            // its end (the head of the title) stronger.
            if doc.phrase_chars >= 2 && compact.contains(&doc.phrase) {
                let coverage = doc.phrase_chars as f32 / compact_len;
                s += 0.25 + 0.25 * coverage + if compact.ends_with(&doc.phrase) { 0.2 } else { 0.0 };
            }
            // Its best few descriptions, best first.
            let best = occ_scores.entry(doc.occupation).or_default();
            if let Some(at) = best.iter().position(|&x| s > x) {
                best.copy_within(at..VOTERS - 1, at + 1);
                best[at] = s;
            }
        }
        let mut ranked: Vec<(u32, f32)> = occ_scores
            .into_iter()
            .map(|(o, best)| (o, best[0] + VOTE * best[1..].iter().sum::<f32>()))
            .collect();
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(self.codes[a.0 as usize].cmp(&self.codes[b.0 as usize]))
        });
        ranked.truncate(k);
        ranked
            .into_iter()
            .map(|(o, s)| {
                let code = self.codes[o as usize];
                Coded {
                    code,
                    name: code.occupation().name.clone(),
                    confidence: (s / 1.7).clamp(0.0, 1.0),
                }
            })
            .collect()
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
pub fn cross_validate(
    taxonomy: &Taxonomy,
    vocab: &SkillVocabulary,
    titles: &[LabeledTitle],
    folds: usize,
) -> Result<Accuracy> {
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
        let a = Classifier::train(taxonomy, vocab, &train).accuracy(&test);
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
