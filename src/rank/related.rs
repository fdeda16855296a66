//! Skill relatedness learned from the indexed market: skills that are asked
//! for in the same occupations are related.
//!
//! For the most frequent skill terms of a snapshot, a matrix counts the
//! vacancies of each CSCO minor group (given or coded occupation) asking for
//! each skill. Counts are weighted by positive pointwise mutual information
//! (a skill asked for everywhere says little about any group) and each row
//! is scaled to unit length, so the relatedness of two skills is the cosine
//! of their rows. Rows are sparse (a skill belongs to few groups), so every
//! skill's nearest neighbours are found once, when learning, through the
//! skills of each group it belongs to: the query path only reads them.

// Indexing here cannot panic: term and group positions index the matrix and lists built here with
// those very counts.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;

use ndarray::{Array2, Axis};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use crate::error::{Error, Result};
use crate::index::Snapshot;
use crate::taxonomy::OccupationCode;

/// Most skill terms the matrix holds (the most frequent ones).
pub const MAX_TERMS: usize = 8_192;

/// Fewest vacancies a skill must appear in to be related to others.
pub const MIN_DF: u32 = 3;

/// Related skills of a snapshot.
pub struct SkillRelations {
    terms: Vec<String>,
    index: HashMap<String, u32>,
    /// Rows: skill terms; columns: CSCO minor groups; PPMI, unit rows.
    matrix: Array2<f32>,
    neighbours: Vec<Box<[(u32, f32)]>>,
}

impl std::fmt::Debug for SkillRelations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SkillRelations")
            .field("terms", &self.terms.len())
            .field("groups", &self.matrix.ncols())
            .finish()
    }
}

impl SkillRelations {
    /// Learns relatedness from a snapshot, keeping up to `per_term`
    /// neighbours per skill with a cosine of at least `min`.
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn learn(snapshot: &Snapshot, per_term: usize, min: f64) -> Result<SkillRelations> {
        let field = snapshot.fields().skills;
        let readers = snapshot.segment_readers();
        let mut frequent: Vec<(String, u64)> = snapshot
            .doc_freqs(field)?
            .into_iter()
            .filter(|(_, n)| *n >= u64::from(MIN_DF))
            .collect();
        frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        frequent.truncate(MAX_TERMS);
        let terms: Vec<String> = frequent.into_iter().map(|(t, _)| t).collect();
        let index: HashMap<String, u32> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();

        // Columns: the minor groups that occur, in code order (so that the
        // sums below run in the same order however the market is split
        // into segments or shards).
        let mut minors: Vec<u32> = snapshot
            .segments()
            .iter()
            .flat_map(|cols| cols.occupation.iter().copied())
            .filter(|&occ| occ != 0)
            .map(|occ| OccupationCode::from_packed(occ).map_or(0, |c| c.truncate(3)))
            .collect();
        minors.sort_unstable();
        minors.dedup();
        let groups: HashMap<u32, usize> = minors.into_iter().enumerate().map(|(i, m)| (m, i)).collect();
        let mut counts = Array2::<f32>::zeros((terms.len(), groups.len().max(1)));
        for (si, seg) in readers.iter().enumerate() {
            let cols = &snapshot.segments()[si];
            let inv = seg.inverted_index(field)?;
            for (t, term) in terms.iter().enumerate() {
                let term = tantivy::Term::from_field_text(field, term);
                let Some(mut postings) = inv
                    .read_postings(&term, IndexRecordOption::Basic)
                    .map_err(Error::io_unnamed)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let occ = cols.occupation[doc as usize];
                    if occ != 0 && !seg.is_deleted(doc) {
                        let minor = OccupationCode::from_packed(occ).map_or(0, |c| c.truncate(3));
                        if let Some(&g) = groups.get(&minor) {
                            counts[[t, g]] += 1.0;
                        }
                    }
                    doc = postings.advance();
                }
            }
        }
        let matrix = ppmi_unit_rows(counts);
        let neighbours = nearest(&matrix, per_term, min as f32);
        Ok(SkillRelations {
            terms,
            index,
            matrix,
            neighbours,
        })
    }

    /// Number of skill terms known.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no skill term is known (an empty market).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Cosine relatedness of two canonical skill terms (0 when unknown).
    pub fn relatedness(&self, a: &str, b: &str) -> f32 {
        match (self.index.get(a), self.index.get(b)) {
            (Some(&i), Some(&j)) => self.matrix.row(i as usize).dot(&self.matrix.row(j as usize)),
            _ => 0.0,
        }
    }

    /// The skills most related to a canonical skill term, best first, with
    /// their relatedness (at most the configured number, above the minimum).
    pub fn related(&self, term: &str) -> Vec<(&str, f32)> {
        let Some(&i) = self.index.get(term) else {
            return Vec::new();
        };
        self.neighbours[i as usize]
            .iter()
            .map(|&(j, c)| (self.terms[j as usize].as_str(), c))
            .collect()
    }
}

/// Each row's `per_term` nearest rows by cosine, at least `min`: the sparse
/// product of the matrix with its transpose, through the rows of each column.
fn nearest(m: &Array2<f32>, per_term: usize, min: f32) -> Vec<Box<[(u32, f32)]>> {
    use rayon::prelude::*;
    let mut by_column: Vec<Vec<(u32, f32)>> = vec![Vec::new(); m.ncols()];
    for ((t, g), &v) in m.indexed_iter() {
        if v > 0.0 {
            by_column[g].push((t as u32, v));
        }
    }
    (0..m.nrows())
        .into_par_iter()
        .map(|t| {
            let mut acc: HashMap<u32, f32> = HashMap::new();
            for (g, &v) in m.row(t).iter().enumerate() {
                if v > 0.0 {
                    for &(u, w) in &by_column[g] {
                        if u as usize != t {
                            *acc.entry(u).or_default() += v * w;
                        }
                    }
                }
            }
            let mut best: Vec<(u32, f32)> = acc.into_iter().filter(|&(_, c)| c >= min).collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(per_term);
            best.into_boxed_slice()
        })
        .collect()
}

/// Positive pointwise mutual information, then unit-length rows.
fn ppmi_unit_rows(counts: Array2<f32>) -> Array2<f32> {
    let total: f32 = counts.sum();
    if total == 0.0 {
        return counts;
    }
    let rows = counts.sum_axis(Axis(1));
    let cols = counts.sum_axis(Axis(0));
    let mut m = counts;
    for ((t, g), v) in m.indexed_iter_mut() {
        if *v > 0.0 {
            let pmi = (*v * total / (rows[t] * cols[g])).ln();
            *v = pmi.max(0.0);
        }
    }
    for mut row in m.rows_mut() {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row.mapv_inplace(|x| x / norm);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppmi_relates_skills_of_the_same_groups() {
        // Skills 0 and 1 live in group 0, skill 2 in group 1, skill 3 everywhere.
        let counts = ndarray::arr2(&[[10.0, 0.0], [8.0, 0.0], [0.0, 9.0], [5.0, 5.0]]);
        let m = ppmi_unit_rows(counts);
        let cos = |a: usize, b: usize| m.row(a).dot(&m.row(b));
        assert!((cos(0, 1) - 1.0).abs() < 1e-6);
        assert_eq!(cos(0, 2), 0.0);
        assert!(cos(0, 3) < cos(0, 1));
    }
}
