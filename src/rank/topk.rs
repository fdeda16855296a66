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
    /// What orders the entries held, best first.
    entries: Vec<Key>,
    /// The entries themselves, where their keys say; `free` lists the
    /// places of entries dropped.
    slab: Vec<Entry>,
    free: Vec<u32>,
    segments: &'a [Arc<SegmentColumns>],
    /// A score the search may prune below (see [`TopK::set_floor`]).
    floor: f64,
    /// Places shared among trades, when the entries are a pool to share.
    shares: Option<Shares>,
    /// The least score a pool entry needs to be picked by
    /// [`super::trades::share`] ([`Shares`]); `-∞` without shares.
    bar: f64,
}

/// What orders an entry, and where it is held: a list of thousands (a
/// pool to share, see [`Shares`]) shifts these 32 bytes on an insert, not
/// the entry's 150.
#[derive(Debug, Clone, Copy)]
struct Key {
    score: f64,
    /// Id term ordinal: orders ids within one segment.
    ord: u64,
    segment: u32,
    doc: u32,
    /// The entry's place in the slab.
    slot: u32,
}

impl Key {
    fn of(e: &Entry, slot: u32) -> Key {
        Key {
            score: e.score,
            ord: e.ord,
            segment: e.segment,
            doc: e.doc,
            slot,
        }
    }
}

/// A pool of `k × POOL` searched for [`super::trades::share`] need not hold
/// every entry of the pool: only those `share` may pick. It picks an entry
/// only if it is among the best `k` overall or among the best `places` of
/// its trade, so once `k` entries are held and each trade has its places
/// filled, an entry scoring below the lowest of those bars cannot be
/// picked: the search may prune below it, far above the pool's last score.
///
/// Sound whatever comes later: an entry pruned below trade t's bar has
/// `places` entries of t above it, each either still in the final pool (so
/// the entry is not among t's best) or dropped from it for scoring below
/// the pool's last (and the entry, lower still, is out of the pool too).
/// What the pruned pool holds beyond the full pool's entries lies below
/// them all, and only a trade with fewer than `places` in the full pool
/// could pick it; such a trade sets no bar, so nothing above it was
/// pruned. `tests/real_seekers.rs` and the ranking properties check the
/// pruned path against the exhaustive scan on seekers of several trades.
/// Counts only entries taken into the pool, each once (an entry offered
/// again is refused, see [`TopK::offer`]), and only without a cap per
/// employer (the cap, not the score, may keep a trade's entry out).
struct Shares {
    /// The list's length once shared.
    k: usize,
    /// Places each trade is sure of.
    places: usize,
    /// Each trade and its best scores taken so far, best first, at most
    /// `places`.
    trades: Vec<(u32, Vec<f64>)>,
}

impl<'a> TopK<'a> {
    pub fn new(k: usize, cap: Option<usize>, segments: &'a [Arc<SegmentColumns>]) -> Self {
        TopK {
            k,
            cap,
            // Grown as entries come: k is bounded by the config, but a large k
            // with few vacancies in reach should not claim memory up front.
            entries: Vec::with_capacity(k.saturating_add(1).min(1024)),
            slab: Vec::with_capacity(k.saturating_add(1).min(1024)),
            free: Vec::new(),
            segments,
            floor: f64::NEG_INFINITY,
            shares: None,
            bar: f64::NEG_INFINITY,
        }
    }

    /// A pool of this top's `k` entries to be cut to `k` places shared
    /// among `trades` by [`super::trades::share`]: the search may prune
    /// below what `share` could pick (see [`Shares`]). Ignored with a cap
    /// per employer; with a floor, [`TopK::settled`] speaks of the pool.
    pub fn share_among(mut self, k: usize, trades: &[u32]) -> Self {
        if self.cap.is_none() && trades.len() >= 2 && k < self.k {
            self.shares = Some(Shares {
                k,
                places: super::trades::places(k, trades.len()),
                trades: trades.iter().map(|&t| (t, Vec::new())).collect(),
            });
        }
        self
    }

    /// Whether the entries are a pool to share ([`TopK::share_among`]).
    pub fn is_shared(&self) -> bool {
        self.shares.is_some()
    }

    /// Notes an entry taken into the pool under its trade, and raises the
    /// bar when it can.
    fn note_share(&mut self, e: &Entry) {
        let Some(shares) = &mut self.shares else { return };
        let trade = super::trades::of_doc(self.segments, e.segment, e.doc);
        if let Some((_, best)) = shares.trades.iter_mut().find(|(t, _)| *t == trade)
            && shares.places > 0
        {
            let at = best.partition_point(|&x| x >= e.score);
            if at < shares.places {
                best.insert(at, e.score);
                best.truncate(shares.places);
            }
        }
        let Some(kth) = self.entries.get(shares.k.wrapping_sub(1)).map(|x| x.score) else {
            return;
        };
        let mut bar = kth;
        if shares.places > 0 {
            for (_, best) in &shares.trades {
                match best.get(shares.places - 1) {
                    Some(&s) => bar = bar.min(s),
                    None => return,
                }
            }
        }
        self.bar = bar;
    }

    /// The score below which the search may prune: the k-th score, or the
    /// floor when higher. Ties at it are decided by id.
    #[inline]
    pub fn threshold(&self) -> f64 {
        self.kth().map_or(self.floor, |s| s.max(self.floor)).max(self.bar)
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
    fn before(&self, a: &Key, b: &Key) -> bool {
        match a.score.total_cmp(&b.score) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => {
                if a.segment == b.segment {
                    a.ord < b.ord
                } else {
                    let id = |e: &Key| self.segments[e.segment as usize].id_str(e.doc);
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
        let mut key = Key::of(&e, u32::MAX);
        if self.entries.len() >= self.k && !self.before(&key, &self.entries[self.k - 1]) {
            return;
        }
        // A search run again under a lower floor offers some docs twice:
        // once is enough. A doc offered again scores the same, so it is
        // where the new one would go (the first not before it). A doc
        // offered and since dropped cannot come back (it ranks below the
        // k-th entry, which only rises).
        let at = self.entries.partition_point(|x| self.before(x, &key));
        if self
            .entries
            .get(at)
            .is_some_and(|x| x.segment == e.segment && x.doc == e.doc)
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
                if self.slab[x.slot as usize].employer == e.employer {
                    same += 1;
                    worst = i;
                }
            }
            if same >= cap {
                if self.before(&key, &self.entries[worst]) {
                    let dropped = self.entries.remove(worst);
                    self.free.push(dropped.slot);
                } else {
                    return;
                }
            }
        }
        key.slot = match self.free.pop() {
            Some(slot) => {
                self.slab[slot as usize] = e;
                slot
            }
            None => {
                self.slab.push(e);
                self.slab.len() as u32 - 1
            }
        };
        let pos = self.entries.partition_point(|x| self.before(x, &key));
        self.entries.insert(pos, key);
        while self.entries.len() > self.k {
            if let Some(dropped) = self.entries.pop() {
                self.free.push(dropped.slot);
            }
        }
        if self.shares.is_some() {
            self.note_share(&e);
        }
    }

    pub fn into_entries(self) -> Vec<Entry> {
        self.entries.iter().map(|k| self.slab[k.slot as usize]).collect()
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
