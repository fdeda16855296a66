//! Occupations inferred from skills, for seekers who give no occupation and
//! whose titles do not code: which occupations' vacancies in the indexed
//! market ask for the seeker's skills, weighted by how rare each skill is.
//!
//! For every skill term of a snapshot the model keeps the share of the
//! vacancies asking for it that each occupation holds, `P(o | skill)` (over
//! vacancies with a known occupation, given or coded from the title). A
//! seeker's skills vote with their IDF: `score(o) = Σ idf(s)·P(o | s) / Σ
//! idf(s)` over the skills the market knows, so a skill that every
//! occupation asks for (沟通能力) counts for little beside 焊接. The
//! inference backs off along the hierarchy: the best occupation if it holds
//! at least `min_confidence` of the vote, else the best minor group, else
//! the best middle group, else none. The code found is used exactly as a
//! given one would be (a minor group earns full occupation credit on every
//! vacancy in it), and explanations say it was inferred and from which
//! skills.
//!
//! The model is learned per snapshot, so a vacancy and a seeker are scored
//! the same way from either direction.

// Indexing here cannot panic: term positions index the lists built here from the same terms.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;

use serde::Serialize;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use crate::error::{Error, Result};
use crate::index::Snapshot;
use crate::rank::query::idf;
use crate::taxonomy::OccupationCode;

/// What the market says of one skill term.
struct Evidence {
    /// IDF of the term over the snapshot.
    idf: f64,
    /// `(packed occupation, share of the term's coded vacancies)`, shares
    /// summing to 1.
    shares: Box<[(u32, f32)]>,
}

/// The skill → occupation model of one snapshot.
pub struct OccupationModel {
    terms: HashMap<String, Evidence>,
}

impl std::fmt::Debug for OccupationModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OccupationModel")
            .field("terms", &self.terms.len())
            .finish()
    }
}

/// An occupation inferred from a seeker's skills.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inference {
    /// The code inferred: an occupation, or a group when the skills point
    /// to a group but to none of its occupations in particular.
    pub code: OccupationCode,
    /// Share of the seeker's IDF-weighted skill vote the code holds, in
    /// [0, 1].
    pub confidence: f64,
    /// The seeker's skills (canonical) that voted for it, strongest first.
    pub from: Vec<String>,
}

impl OccupationModel {
    /// Learns the model from a snapshot: one pass over the postings of its
    /// skill terms.
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn learn(snapshot: &Snapshot) -> Result<OccupationModel> {
        let field = snapshot.fields().skills;
        let total: u64 = snapshot.segments().iter().map(|s| u64::from(s.max_doc)).sum();
        let mut counts: HashMap<String, (u64, HashMap<u32, u32>)> = HashMap::new();
        for (si, seg) in snapshot.searcher().segment_readers().iter().enumerate() {
            let Some(cols) = snapshot.segments().get(si) else {
                continue;
            };
            let inv = seg.inverted_index(field)?;
            let mut stream = inv.terms().stream().map_err(Error::io_unnamed)?;
            while stream.advance() {
                let info = stream.value();
                let text = String::from_utf8_lossy(stream.key()).into_owned();
                let mut postings = inv
                    .read_postings_from_terminfo(info, IndexRecordOption::Basic)
                    .map_err(Error::io_unnamed)?;
                let entry = counts.entry(text).or_default();
                entry.0 += u64::from(info.doc_freq);
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let occ = cols.occupation.get(doc as usize).copied().unwrap_or(0);
                    if occ != 0 && !seg.is_deleted(doc) {
                        *entry.1.entry(occ).or_default() += 1;
                    }
                    doc = postings.advance();
                }
            }
        }
        let terms = counts
            .into_iter()
            .filter_map(|(text, (df, by_occ))| {
                let coded: u32 = by_occ.values().sum();
                if coded == 0 {
                    return None;
                }
                let mut shares: Vec<(u32, f32)> = by_occ
                    .into_iter()
                    .map(|(o, c)| (o, c as f32 / coded as f32))
                    .collect();
                shares.sort_unstable_by_key(|&(o, _)| o);
                let evidence = Evidence {
                    idf: idf(total, df),
                    shares: shares.into_boxed_slice(),
                };
                Some((text, evidence))
            })
            .collect();
        Ok(OccupationModel { terms })
    }

    /// Number of skill terms the model knows.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the model knows no skill (an empty market).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The occupation that canonical skill terms point to, backing off to
    /// the minor and then the middle group, if one of them holds at least
    /// `min_confidence` of the vote; `None` when no known skill is given or
    /// the vote is spread too thin.
    pub fn infer<S: AsRef<str>>(&self, skills: &[S], min_confidence: f64) -> Option<Inference> {
        let known: Vec<(&str, &Evidence)> = skills
            .iter()
            .filter_map(|s| self.terms.get(s.as_ref()).map(|e| (s.as_ref(), e)))
            .collect();
        let weight: f64 = known.iter().map(|(_, e)| e.idf).sum();
        if known.is_empty() || weight <= 0.0 {
            return None;
        }
        let mut vote: HashMap<u32, f64> = HashMap::new();
        for (_, e) in &known {
            for &(o, share) in e.shares.iter() {
                *vote.entry(o).or_default() += e.idf * f64::from(share) / weight;
            }
        }
        // The best code at each level, deepest first; ties by code.
        let level = |o: u32, parts: usize| OccupationCode::from_packed(o).map_or(o, |c| c.truncate(parts));
        let best = |parts: usize| -> Option<(OccupationCode, f64)> {
            let mut by_code: HashMap<u32, f64> = HashMap::new();
            for (&o, &v) in &vote {
                *by_code.entry(level(o, parts)).or_default() += v;
            }
            by_code
                .into_iter()
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .and_then(|(c, v)| OccupationCode::from_packed(c).map(|c| (c, v)))
        };
        let (code, confidence, parts) = [4, 3, 2]
            .into_iter()
            .filter_map(|parts| best(parts).map(|(c, v)| (c, v, parts)))
            .find(|&(_, v, _)| v >= min_confidence)?;
        // Which skills voted for it, strongest first.
        let mut from: Vec<(f64, &str)> = known
            .iter()
            .map(|&(s, e)| {
                let share: f64 = e
                    .shares
                    .iter()
                    .filter(|&&(o, _)| level(o, parts) == code.packed())
                    .map(|&(_, x)| f64::from(x))
                    .sum();
                (e.idf * share, s)
            })
            .filter(|&(v, _)| v > 0.0)
            .collect();
        from.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        Some(Inference {
            code,
            confidence: confidence.min(1.0),
            from: from.into_iter().map(|(_, s)| s.to_owned()).collect(),
        })
    }
}
