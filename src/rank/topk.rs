//! The top k, totally ordered: score descending, then vacancy id ascending.

use std::sync::Arc;

use super::config::NUM_SIGNALS;
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
    pub components: [f64; NUM_SIGNALS],
}

/// The best k entries seen, with an optional cap per employer.
pub(crate) struct TopK<'a> {
    k: usize,
    cap: Option<usize>,
    entries: Vec<Entry>,
    segments: &'a [Arc<SegmentColumns>],
}

impl<'a> TopK<'a> {
    pub fn new(k: usize, cap: Option<usize>, segments: &'a [Arc<SegmentColumns>]) -> Self {
        TopK {
            k,
            cap,
            entries: Vec::with_capacity(k + 1),
            segments,
        }
    }

    /// Score a new entry must reach (ties are decided by id) to enter.
    #[inline]
    pub fn threshold(&self) -> f64 {
        if self.entries.len() < self.k {
            f64::NEG_INFINITY
        } else {
            self.entries[self.k - 1].score
        }
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
