//! Each doc's terms of one indexed field, read back from the postings:
//! tantivy keeps no forward index of a field that is indexed but not
//! stored, and what the ranker matched is what the postings hold, so this
//! is the exact term set a search sees.

use std::collections::HashMap;

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, TERMINATED};

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
        let mut names: Vec<String> = Vec::new();
        let mut by_name: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u64> = Vec::new();
        let mut offsets = Vec::with_capacity(readers.len());
        let mut ids = Vec::with_capacity(readers.len());
        for (seg, cols) in readers.iter().zip(snapshot.segments()) {
            let inv = seg.inverted_index(field)?;
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            let mut stream = inv.terms().stream().map_err(Error::io_unnamed)?;
            while stream.advance() {
                let name = String::from_utf8_lossy(stream.key()).into_owned();
                let next = names.len() as u32;
                let id = *by_name.entry(name.clone()).or_insert_with(|| {
                    names.push(name);
                    df.push(0);
                    next
                });
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
            pairs.sort_unstable();
            let mut off = Vec::with_capacity(cols.max_doc as usize + 1);
            let mut at = 0usize;
            for doc in 0..=cols.max_doc {
                while pairs.get(at).is_some_and(|p| p.0 < doc) {
                    at += 1;
                }
                off.push(at as u32);
            }
            offsets.push(off);
            ids.push(pairs.into_iter().map(|p| p.1).collect());
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

    /// Distinct terms.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Docs holding each term, by id.
    pub fn doc_freqs(&self) -> &[u64] {
        &self.df
    }
}
