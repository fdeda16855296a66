//! The top k, totally ordered: score descending, then vacancy id ascending.

// Indexing here cannot panic: entries are read at positions below their
// length (k − 1 once k are held, the employer's worst found among them),
// and entries' segments are positions in the snapshot searched.
#![allow(clippy::indexing_slicing)]

use std::sync::Arc;

use super::signal::Signals;
use crate::index::SegmentColumns;

/// One ranked vacancy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub score: f64,
    pub segment: u32,
    pub doc: u32,
    /// Id term ordinal: orders ids within one segment.
    pub ord: u64,
    pub employer: u64,
    pub km: f64,
    pub components: Signals<f64>,
}

/// The best k entries seen, with an optional cap per employer.
pub(crate) struct TopK<'a> {
    k: usize,
    cap: Option<usize>,
    entries: Vec<Entry>,
    segments: &'a [Arc<SegmentColumns>],
    /// A score the search may prune below (see [`TopK::set_floor`]).
    floor: f64,
}

impl<'a> TopK<'a> {
    pub fn new(k: usize, cap: Option<usize>, segments: &'a [Arc<SegmentColumns>]) -> Self {
        TopK {
            k,
            cap,
            // Grown as entries come: k is bounded by the config, but a large k
            // with few vacancies in reach should not claim memory up front.
            entries: Vec::with_capacity(k.saturating_add(1).min(1024)),
            segments,
            floor: f64::NEG_INFINITY,
        }
    }

    /// The score below which the search may prune: the k-th score, or the
    /// floor when higher. Ties at it are decided by id.
    #[inline]
    pub fn threshold(&self) -> f64 {
        self.kth().map_or(self.floor, |s| s.max(self.floor))
    }

    /// Lets the search prune below `floor` whatever the entries. A search
    /// under a floor finds every vacancy scoring at least the floor; if k
    /// of them were found ([`TopK::settled`]), they are the top k.
    pub fn set_floor(&mut self, floor: f64) {
        self.floor = floor;
    }

    /// Whether the top k are certain under the floor: k entries, the k-th
    /// at or above it.
    pub fn settled(&self) -> bool {
        self.kth().is_some_and(|s| s >= self.floor)
    }

    /// The k-th score, when there are k entries.
    #[inline]
    pub fn kth(&self) -> Option<f64> {
        (self.entries.len() >= self.k && self.k > 0).then(|| self.entries[self.k - 1].score)
    }

    /// Whether `a` ranks before `b`.
    fn before(&self, a: &Entry, b: &Entry) -> bool {
        match a.score.total_cmp(&b.score) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => {
                if a.segment == b.segment {
                    a.ord < b.ord
                } else {
                    let id = |e: &Entry| self.segments[e.segment as usize].id_str(e.doc);
                    id(a) < id(b)
                }
            }
        }
    }

    /// Offers an entry; keeps it if it is among the best k (and, with a cap,
    /// among its employer's best).
    pub fn offer(&mut self, e: Entry) {
        if self.k == 0 {
            return;
        }
        if self.entries.len() >= self.k && !self.before(&e, &self.entries[self.k - 1]) {
            return;
        }
        // A search run again under a lower floor offers some docs twice:
        // once is enough. A doc offered and since dropped cannot come back
        // (it ranks below the k-th entry, which only rises).
        if self
            .entries
            .iter()
            .any(|x| x.segment == e.segment && x.doc == e.doc)
        {
            return;
        }
        if let Some(cap) = self.cap
            && e.employer != 0
        {
            // The employer's entries: how many, and the last (worst) one.
            let mut same = 0;
            let mut worst = 0;
            for (i, x) in self.entries.iter().enumerate() {
                if x.employer == e.employer {
                    same += 1;
                    worst = i;
                }
            }
            if same >= cap {
                if self.before(&e, &self.entries[worst]) {
                    self.entries.remove(worst);
                } else {
                    return;
                }
            }
        }
        let pos = self.entries.partition_point(|x| self.before(x, &e));
        self.entries.insert(pos, e);
        self.entries.truncate(self.k);
    }

    pub fn into_entries(self) -> Vec<Entry> {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(score: f64, doc: u32) -> Entry {
        Entry {
            score,
            segment: 0,
            doc,
            ord: u64::from(doc),
            employer: 0,
            km: 0.0,
            components: Signals::default(),
        }
    }

    #[test]
    fn a_floor_settles_only_k_entries_at_or_above_it() {
        let mut top = TopK::new(2, None, &[]);
        top.set_floor(0.5);
        assert_eq!(top.threshold(), 0.5, "the floor prunes before k entries");
        top.offer(entry(0.9, 1));
        top.offer(entry(0.4, 2));
        assert_eq!(top.kth(), Some(0.4));
        assert_eq!(top.threshold(), 0.5);
        assert!(
            !top.settled(),
            "the k-th is below the floor: a better one may have been pruned"
        );
        top.offer(entry(0.6, 3));
        assert!(top.settled());
        top.set_floor(f64::NEG_INFINITY);
        assert_eq!(top.threshold(), 0.6);
    }

    #[test]
    fn a_doc_offered_twice_is_kept_once() {
        let mut top = TopK::new(3, None, &[]);
        top.offer(entry(0.9, 1));
        top.offer(entry(0.9, 1));
        top.offer(entry(0.5, 2));
        let docs: Vec<u32> = top.into_entries().iter().map(|e| e.doc).collect();
        assert_eq!(docs, [1, 2]);
    }
}
