//! The top n seekers for one vacancy, exactly.
//!
//! Over the posting lists of the vacancy's terms in the places that can
//! reach it (impact-ordered: best bound first), in three phases:
//! 1. a threshold-algorithm warm-up (Fagin's TA): postings best bound
//!    first, each new seeker scored, for a first n-th score; the whole
//!    search when the bounds of everything unseen, plus the most the other
//!    signals can add, fall below it that soon;
//! 2. MaxScore's split: the lists whose heads together (with every other
//!    signal at its best) cannot reach the n-th score are not read; the
//!    others are read to the end, each unseen seeker's bounds summed;
//! 3. the summed seekers best sum first, each checked on its own bound and
//!    scored, until no sum can reach the n-th score.
//!
//! Bounds are capped per signal (skills, title, occupation); a seeker's own
//! bound (its terms the vacancy holds) is checked before its distance is
//! computed, and the exact place signals before it is scored, by the
//! forward scoring function. The exhaustive scan scores every seeker and is
//! the reference the search must equal.

use crate::index::SegmentColumns;
use crate::rank::score::{admit, place_signals, score, signals};
use crate::rank::signal::{Signals, Source};

use super::prepared::{ALL_TERMS, ANYWHERE, Postings, Prepared};

/// Slack for the sums of rounded-up bounds.
const EPS: f64 = 1e-9;
/// Slack for bounds summed in `f32` (at most a few dozen terms, each at
/// most 1: the rounding is below 1e-5).
const SLACK: f64 = 1e-5;
/// Postings the threshold algorithm reads before the rest are summed.
const WARM_UP: usize = 512;

/// One scored seeker.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub seeker: u32,
    pub score: f64,
    pub km: f64,
    pub signals: Signals<f64>,
}

/// What a search did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReverseStats {
    /// Postings read.
    pub postings: u64,
    /// Distinct seekers checked against the hard constraints.
    pub checked: u64,
    /// Of those, scored (in reach).
    pub scored: u64,
}

/// The best n, ordered by score descending, then seeker id ascending.
pub(crate) struct TopN<'a> {
    n: usize,
    ids: &'a [String],
    entries: Vec<Scored>,
}

impl<'a> TopN<'a> {
    pub fn new(n: usize, ids: &'a [String]) -> Self {
        TopN {
            n,
            ids,
            entries: Vec::with_capacity(n.min(1024) + 1),
        }
    }

    fn before(&self, a: &Scored, b: &Scored) -> bool {
        match a.score.total_cmp(&b.score) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => self.ids.get(a.seeker as usize) < self.ids.get(b.seeker as usize),
        }
    }

    /// The n-th score, once n are held.
    pub fn kth(&self) -> Option<f64> {
        (self.n > 0 && self.entries.len() >= self.n)
            .then(|| self.entries.last().map(|e| e.score))
            .flatten()
    }

    pub fn offer(&mut self, s: Scored) {
        if self.n == 0 {
            return;
        }
        if self.entries.len() >= self.n && self.entries.last().is_some_and(|last| !self.before(&s, last)) {
            return;
        }
        let at = self.entries.partition_point(|e| self.before(e, &s));
        self.entries.insert(at, s);
        self.entries.truncate(self.n);
    }

    pub fn into_entries(self) -> Vec<Scored> {
        self.entries
    }
}

/// The places whose seekers may reach a vacancy in `county` (all, for a
/// remote one).
pub(crate) fn places_of(county: u32, remote: bool) -> Option<[u32; 4]> {
    (!remote).then_some([county, county / 100, county / 10_000, ANYWHERE])
}

/// The lists to read for a vacancy: per term (the vacancy's, then
/// [`ALL_TERMS`]), its lists in the vacancy's places.
pub(crate) fn lists_of<'p>(
    p: &'p Prepared,
    terms: &[u32],
    places: Option<[u32; 4]>,
) -> Vec<Vec<&'p Postings>> {
    terms
        .iter()
        .chain(std::iter::once(&ALL_TERMS))
        .filter_map(|t| p.lists.get(t))
        .map(|by_place| match places {
            // Lists are sorted by place: find the vacancy's few.
            Some(ps) => ps
                .iter()
                .filter_map(|p| by_place.binary_search_by_key(p, |x| x.0).ok())
                .filter_map(|i| by_place.get(i).map(|(_, l)| l))
                .collect(),
            None => by_place.iter().map(|(_, l)| l).collect(),
        })
        .collect()
}

/// Scores one seeker for the vacancy `doc` of `cols` whose terms are
/// `terms` (sorted dictionary ids); `None` when out of reach.
#[inline]
pub(crate) fn score_pair(
    p: &Prepared,
    seeker: u32,
    cols: &SegmentColumns,
    doc: u32,
    terms: &[u32],
) -> Option<Scored> {
    score_above(p, seeker, cols, doc, terms, f64::NEG_INFINITY, 0.0)
}

/// As [`score_pair`], but `None` as well when the seeker's bound (its own
/// terms the vacancy holds, capped per signal, plus `rest`) is below
/// `floor`: the exact signals are then never computed.
#[inline]
fn score_above(
    p: &Prepared,
    seeker: u32,
    cols: &SegmentColumns,
    doc: u32,
    terms: &[u32],
    floor: f64,
    rest: f64,
) -> Option<Scored> {
    let s = p.seekers.get(seeker as usize)?;
    let mut mask = 0u128;
    let mut by_signal = [0.0f64; 3];
    for (i, (t, b)) in s.terms.iter().zip(s.bounds.iter()).enumerate() {
        if terms.binary_search(t).is_ok() {
            mask |= 1 << i;
            if let Some(x) = by_signal.get_mut(usize::from(p.tag(*t))) {
                *x += f64::from(*b);
            }
        }
    }
    let bound = by_signal.iter().zip(p.caps).map(|(x, c)| x.min(c)).sum::<f64>() + rest + p.loose(s);
    // The terms first (no distance to compute), then where the vacancy is:
    // in reach, with the place signals known exactly.
    if bound + EPS < floor {
        return None;
    }
    let km = admit(&s.q, cols, doc).ok()?;
    if floor > f64::NEG_INFINITY {
        let mut place = Signals::default();
        place_signals(&s.q, cols, doc, km, &mut place);
        let place = s.q.weights.dot_of(&place, Source::Place);
        if bound - p.place_weight + place + EPS < floor {
            return None;
        }
    }
    let sig = signals(&s.q, cols, doc, km, mask);
    Some(Scored {
        seeker,
        score: score(&s.q, &sig),
        km,
        signals: sig,
    })
}

/// The most the signals that do not come from terms can add for a vacancy
/// (freshness at the vacancy's, the others at 1).
fn rest_bound(p: &Prepared, cols: &SegmentColumns, doc: u32) -> f64 {
    let fresh = p.seekers.first().map_or(1.0, |s| {
        f64::from(
            s.q.freshness
                .at(cols.posted.get(doc as usize).copied().unwrap_or(i32::MIN)),
        )
    });
    p.seeker_side_weight + p.freshness_weight * fresh
}

/// Per-seeker scratch of one search, kept per thread between searches so
/// that starting one clears nothing: a stamp marks what the current search
/// wrote. One entry per seeker, so that a posting costs one memory access:
/// a seeker seen (scored in the warm-up) holds −∞, which no sum lifts.
#[derive(Default)]
struct Scratch {
    stamp: u32,
    /// Per seeker: the stamp of the search that last wrote it, and its sum.
    sums: Vec<(u32, f32)>,
    /// The seekers summed by the current search.
    touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Option<Box<Scratch>>> = const { std::cell::Cell::new(None) };
}

impl Scratch {
    /// This thread's scratch, sized for `seekers`, with a new stamp.
    fn take(seekers: usize) -> Box<Scratch> {
        let mut s = SCRATCH.take().unwrap_or_default();
        if s.sums.len() < seekers {
            s.sums.resize(seekers, (0, 0.0));
        }
        s.touched.clear();
        s.stamp = s.stamp.wrapping_add(1);
        if s.stamp == 0 {
            s.sums.fill((0, 0.0));
            s.stamp = 1;
        }
        s
    }

    /// Gives it back for the thread's next search.
    fn give_back(self: Box<Scratch>) {
        SCRATCH.set(Some(self));
    }

    /// Marks a seeker seen; whether it was new.
    #[inline]
    fn see(&mut self, seeker: u32) -> bool {
        match self.sums.get_mut(seeker as usize) {
            Some(e) if e.0 == self.stamp => false,
            Some(e) => {
                *e = (self.stamp, f32::NEG_INFINITY);
                true
            }
            None => true,
        }
    }

    /// Adds to a seeker's sum (nothing to a seeker seen).
    #[inline]
    fn add(&mut self, seeker: u32, bound: f32) {
        if let Some(e) = self.sums.get_mut(seeker as usize) {
            if e.0 == self.stamp {
                e.1 += bound;
            } else {
                *e = (self.stamp, bound);
                self.touched.push(seeker);
            }
        }
    }

    /// The seekers summed (not seen) to at least `floor`, with their sums.
    fn above(&self, floor: f32) -> Vec<(u32, f32)> {
        self.touched
            .iter()
            .filter_map(|&s| self.sums.get(s as usize).map(|e| (s, e.1)))
            .filter(|e| e.1 != f32::NEG_INFINITY && e.1 >= floor)
            .collect()
    }
}

/// A list's head for the heap: its best remaining bound.
#[derive(PartialEq)]
struct Head {
    bound: f32,
    group: usize,
    list: usize,
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then_with(|| other.group.cmp(&self.group))
            .then_with(|| other.list.cmp(&self.list))
    }
}

/// Marks the groups that may still matter: taking groups by ascending
/// head, those whose heads (capped per signal) plus `rest` stay below `kth`
/// are not essential.
fn split(heads: &[f64], tags: &[usize], caps: [f64; 3], rest: f64, kth: f64, essential: &mut [bool]) {
    let mut order: Vec<usize> = (0..heads.len()).collect();
    order.sort_by(|&a, &b| {
        heads
            .get(a)
            .partial_cmp(&heads.get(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut sums = [0.0f64; 3];
    for g in order {
        let (Some(&h), Some(&t)) = (heads.get(g), tags.get(g)) else {
            continue;
        };
        if let Some(x) = sums.get_mut(t) {
            *x += h;
        }
        let total: f64 = sums.iter().zip(caps).map(|(x, c)| x.min(c)).sum::<f64>() + rest;
        if total + EPS >= kth {
            break;
        }
        if let Some(e) = essential.get_mut(g) {
            *e = false;
        }
    }
}

/// The top n seekers for a vacancy, by the threshold algorithm.
pub(crate) fn search<'a>(
    p: &'a Prepared,
    cols: &SegmentColumns,
    segment: u32,
    doc: u32,
    county: u32,
    n: usize,
    stats: &mut ReverseStats,
) -> TopN<'a> {
    let mut top = TopN::new(n, &p.ids);
    if n == 0 {
        return top;
    }
    let terms = p.vacancy_terms(segment, doc);
    let remote = doc < cols.remote_end;
    let groups = lists_of(p, &terms, places_of(county, remote));
    // Each group's signal (the pseudo-term of all seekers bounds the
    // occupation of seekers whose occupation is not in their terms).
    let tags: Vec<usize> = terms
        .iter()
        .filter(|t| p.lists.contains_key(t))
        .map(|&t| usize::from(p.tag(t)))
        .chain(std::iter::once(usize::from(super::prepared::OCCUPATION)))
        .collect();
    let rest = rest_bound(p, cols, doc);
    let mut cursors: Vec<Vec<usize>> = groups.iter().map(|g| vec![0; g.len()]).collect();
    let group_head = |g: &[&Postings], c: &[usize]| -> f64 {
        g.iter()
            .zip(c)
            .filter_map(|(l, &i)| l.get(i).map(|x| f64::from(x.0)))
            .fold(0.0, f64::max)
    };
    let mut heads: Vec<f64> = groups
        .iter()
        .zip(&cursors)
        .map(|(g, c)| group_head(g, c))
        .collect();
    let mut sums = [0.0f64; 3];
    let bound_of = |heads: &[f64], sums: &mut [f64; 3]| -> f64 {
        *sums = [0.0; 3];
        for (h, &t) in heads.iter().zip(&tags) {
            if let Some(x) = sums.get_mut(t) {
                *x += h;
            }
        }
        sums.iter().zip(p.caps).map(|(x, c)| x.min(c)).sum::<f64>() + rest
    };
    let mut heap: std::collections::BinaryHeap<Head> = groups
        .iter()
        .enumerate()
        .flat_map(|(gi, g)| {
            g.iter().enumerate().filter_map(move |(li, l)| {
                l.first().map(|x| Head {
                    bound: x.0,
                    group: gi,
                    list: li,
                })
            })
        })
        .collect();
    let mut scratch = Scratch::take(p.seekers.len());
    let mut bound = bound_of(&heads, &mut sums);
    // Phase 1, a warm-up: the threshold algorithm, best bound first, for a
    // first n-th score (and the whole search when it stops early).
    let mut warm = 0usize;
    let mut finished = true;
    while let Some(h) = heap.pop() {
        let kth = top.kth().unwrap_or(f64::NEG_INFINITY);
        if bound + EPS < kth {
            break;
        }
        if warm >= WARM_UP {
            heap.push(h);
            finished = false;
            break;
        }
        warm += 1;
        let (Some(g), Some(c)) = (groups.get(h.group), cursors.get_mut(h.group)) else {
            break;
        };
        let Some(at) = c.get_mut(h.list) else { break };
        let posting = g.get(h.list).and_then(|l| l.get(*at)).copied();
        *at += 1;
        if let Some(next) = g.get(h.list).and_then(|l| l.get(*at)) {
            heap.push(Head {
                bound: next.0,
                group: h.group,
                list: h.list,
            });
        }
        // The group's best head fell only if this list held it.
        if let Some(gh) = heads.get_mut(h.group)
            && f64::from(h.bound) >= *gh
        {
            *gh = group_head(g, c);
            bound = bound_of(&heads, &mut sums);
        }
        let Some((_, seeker)) = posting else { continue };
        stats.postings += 1;
        if !scratch.see(seeker) {
            continue;
        }
        stats.checked += 1;
        if let Some(s) = score_above(p, seeker, cols, doc, &terms, kth, rest) {
            stats.scored += 1;
            top.offer(s);
        }
    }
    if finished {
        scratch.give_back();
        return top;
    }
    // Phase 2, MaxScore: the groups whose heads together (with every other
    // signal at its best) stay below the n-th score need not be read: a
    // seeker holding only their terms cannot enter. The rest are read to
    // the end, each unseen seeker's bounds summed.
    let kth = top.kth().unwrap_or(f64::NEG_INFINITY);
    let mut essential = vec![true; groups.len()];
    split(&heads, &tags, p.caps, rest, kth, &mut essential);
    let mut skipped = [0.0f64; 3];
    for ((h, &t), &e) in heads.iter().zip(&tags).zip(&essential) {
        if !e && let Some(x) = skipped.get_mut(t) {
            *x += h;
        }
    }
    let others: f64 = skipped.iter().zip(p.caps).map(|(x, c)| x.min(c)).sum::<f64>() + rest;
    for ((g, c), _) in groups.iter().zip(&cursors).zip(&essential).filter(|(_, e)| **e) {
        for (l, &from) in g.iter().zip(c) {
            let rest_of_list = l.get(from..).unwrap_or_default();
            stats.postings += rest_of_list.len() as u64;
            for &(b, seeker) in rest_of_list {
                scratch.add(seeker, b);
            }
        }
    }
    // Phase 3: the summed seekers best first, each checked on its own
    // bound and scored, until no sum can reach the n-th score.
    let mut order = scratch.above((kth - others - SLACK) as f32);
    scratch.give_back();
    order.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (seeker, sum) in order {
        let kth = top.kth().unwrap_or(f64::NEG_INFINITY);
        if f64::from(sum) + others + SLACK < kth {
            break;
        }
        stats.checked += 1;
        if let Some(s) = score_above(p, seeker, cols, doc, &terms, kth, rest) {
            stats.scored += 1;
            top.offer(s);
        }
    }
    top
}

/// The top n seekers for a vacancy by scoring every seeker: the reference.
pub(crate) fn exhaustive<'a>(
    p: &'a Prepared,
    cols: &SegmentColumns,
    segment: u32,
    doc: u32,
    n: usize,
) -> TopN<'a> {
    let terms = p.vacancy_terms(segment, doc);
    let mut top = TopN::new(n, &p.ids);
    for seeker in 0..p.seekers.len() as u32 {
        if let Some(s) = score_pair(p, seeker, cols, doc, &terms) {
            top.offer(s);
        }
    }
    top
}
