//! Each doc's terms of one indexed field, read back from the postings:
//! tantivy keeps no forward index of a field that is indexed but not
//! stored, and what the ranker matched is what the postings hold, so this
//! is the exact term set a search sees.

use std::collections::HashMap;

use tantivy::schema::Field;

use super::snapshot::Snapshot;
use crate::error::Result;

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
        // Each segment's terms, read once per segment and kept with it.
        let segments = (0..snapshot.segments().len())
            .map(|s| snapshot.segment_terms(s, field))
            .collect::<Result<Vec<_>>>()?;
        // Terms are numbered in the order of their names (the union of the
        // segments' dictionaries, sorted), so that the numbering, and every
        // sum over a doc's terms in id order, is the same however the market
        // is cut into segments or shards: numbered by first appearance, a
        // job fair's fits changed in their last bits between segmentations.
        let all: std::collections::BTreeSet<&str> = segments
            .iter()
            .flat_map(|t| t.names().iter().map(String::as_str))
            .collect();
        let names: Vec<String> = all.into_iter().map(str::to_owned).collect();
        let by_name: HashMap<String, u32> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let mut df: Vec<u64> = vec![0; names.len()];
        let mut offsets = Vec::with_capacity(segments.len());
        let mut ids = Vec::with_capacity(segments.len());
        for t in &segments {
            // A segment's dictionary is in name order too, so its
            // ordinals map onto ids in order: each doc's ids stay sorted.
            let global: Vec<u32> = t
                .names()
                .iter()
                .map(|n| by_name.get(n).copied().unwrap_or(u32::MAX))
                .collect();
            let mapped: Vec<u32> = t
                .ids()
                .iter()
                .map(|&o| global.get(o as usize).copied().unwrap_or(u32::MAX))
                .collect();
            // Postings hold deleted docs too, as tantivy's doc_freq counts.
            for &id in &mapped {
                if let Some(d) = df.get_mut(id as usize) {
                    *d += 1;
                }
            }
            offsets.push(t.offsets().to_vec());
            ids.push(mapped);
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
