//! Each doc's terms of one indexed field, read back from the postings:
//! tantivy keeps no forward index of a field that is indexed but not
//! stored, and what the ranker matched is what the postings hold, so this
//! is the exact term set a search sees.

use std::collections::HashMap;

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, TERMINATED};

use super::columns::by_doc;
use super::snapshot::Snapshot;
use crate::error::{Error, Result};

/// Per segment, each doc's term ids (CSR), with each term's text and
/// document frequency over the snapshot (deleted docs included, as
/// [`Snapshot::doc_freq`] counts them).
pub(crate) struct DocTerms {
    /// Per segment: `offsets[doc]..offsets[doc + 1]` into `ids`.
    offsets: Vec<Vec<u32>>,
    ids: Vec<Vec<u32>>,
    names: Vec<String>,
    by_name: HashMap<String, u32>,
    df: Vec<u64>,
}

impl DocTerms {
    /// Reads every posting of `field` in the snapshot.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Index`] on a read failure.
    pub fn of(snapshot: &Snapshot, field: Field) -> Result<DocTerms> {
        let readers = snapshot.segment_readers();
        // Terms are numbered in the order of their names (the union of the
        // segments' dictionaries, sorted), so that the numbering, and every
        // sum over a doc's terms in id order, is the same however the market
        // is cut into segments or shards: numbered by first appearance, a
        // job fair's fits changed in their last bits between segmentations.
        let mut all: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for seg in readers {
            let inv = seg.inverted_index(field)?;
            let mut stream = inv.terms().stream().map_err(Error::io_unnamed)?;
            while stream.advance() {
                if !all.contains(String::from_utf8_lossy(stream.key()).as_ref()) {
                    all.insert(String::from_utf8_lossy(stream.key()).into_owned());
                }
            }
        }
        let names: Vec<String> = all.into_iter().collect();
        let by_name: HashMap<String, u32> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let mut df: Vec<u64> = vec![0; names.len()];
        let mut offsets = Vec::with_capacity(readers.len());
        let mut ids = Vec::with_capacity(readers.len());
        for (seg, cols) in readers.iter().zip(snapshot.segments()) {
            let inv = seg.inverted_index(field)?;
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            let mut stream = inv.terms().stream().map_err(Error::io_unnamed)?;
            while stream.advance() {
                let Some(&id) = by_name.get(String::from_utf8_lossy(stream.key()).as_ref()) else {
                    continue;
                };
                if let Some(d) = df.get_mut(id as usize) {
                    *d += u64::from(stream.value().doc_freq);
                }
                let mut postings = inv
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                    .map_err(Error::io_unnamed)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    pairs.push((doc, id));
                    doc = postings.advance();
                }
            }
            let (off, by_doc) = by_doc(&pairs, cols.max_doc);
            offsets.push(off);
            ids.push(by_doc);
        }
        Ok(DocTerms {
            offsets,
            ids,
            names,
            by_name,
            df,
        })
    }

    /// The term ids of a doc (sorted).
    pub fn of_doc(&self, segment: u32, doc: u32) -> &[u32] {
        let (Some(off), Some(ids)) = (self.offsets.get(segment as usize), self.ids.get(segment as usize))
        else {
            return &[];
        };
        let (a, b) = (
            off.get(doc as usize).copied().unwrap_or(0) as usize,
            off.get(doc as usize + 1).copied().unwrap_or(0) as usize,
        );
        ids.get(a..b).unwrap_or_default()
    }

    /// The text of a term id.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    /// The id of a term's text.
    pub fn id(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// Docs holding each term, by id.
    pub fn doc_freqs(&self) -> &[u64] {
        &self.df
    }
}

#[cfg(test)]
mod tests {
    use crate::index::columns::by_doc;

    /// The counting sort gives what sorting every pair gives.
    #[test]
    fn grouping_by_doc_equals_sorting_the_pairs() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % n) as u32
        };
        for max_doc in [0u32, 1, 5, 300] {
            let pairs: Vec<(u32, u32)> = if max_doc == 0 {
                Vec::new()
            } else {
                (0..1_000).map(|_| (next(u64::from(max_doc)), next(50))).collect()
            };
            let (off, ids) = by_doc(&pairs, max_doc);
            let mut sorted = pairs.clone();
            sorted.sort_unstable();
            assert_eq!(off.len(), max_doc as usize + 1);
            assert_eq!(ids, sorted.iter().map(|p| p.1).collect::<Vec<_>>());
            for doc in 0..max_doc {
                let n = sorted.iter().filter(|p| p.0 == doc).count() as u32;
                assert_eq!(off[doc as usize + 1] - off[doc as usize], n);
            }
        }
    }
}
