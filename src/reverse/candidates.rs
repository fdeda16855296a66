//! The top n seekers for one vacancy, exactly.
//!
//! A threshold algorithm over the posting lists of the vacancy's terms in
//! the places that can reach it (Fagin's TA, the impact-ordered form of
//! MaxScore): postings are taken best bound first; each new seeker is
//! checked against the hard constraints and scored exactly, by the forward
//! scoring function; the search stops when the bounds of everything not
//! yet seen, plus the most the seeker-side signals can add, fall below the
//! n-th score. The exhaustive scan scores every seeker and is the reference
//! the search must equal.

use crate::index::SegmentColumns;
use crate::rank::score::{admit, place_signals, score, signals};
use crate::rank::signal::{Signals, Source};

use super::prepared::{ALL_TERMS, ANYWHERE, Postings, Prepared};

/// Slack for the sums of rounded-up bounds.
const EPS: f64 = 1e-9;

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
            Some(ps) => by_place
                .iter()
                .filter(|(place, _)| ps.contains(place))
                .map(|(_, l)| l)
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
    let km = admit(&s.q, cols, doc).ok()?;
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
    if floor > f64::NEG_INFINITY {
        // Where the vacancy is, the place signals are known exactly.
        let mut place = Signals::default();
        place_signals(&s.q, cols, doc, km, &mut place);
        let place = s.q.weights.dot_of(&place, Source::Place);
        let terms: f64 = by_signal.iter().zip(p.caps).map(|(x, c)| x.min(c)).sum();
        if terms + place + rest - p.place_weight + p.loose(s) + EPS < floor {
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

thread_local! {
    /// Per thread: a stamp per seeker, and the stamp of the current search.
    static SEEN: std::cell::RefCell<(u32, Vec<u32>)> = const { std::cell::RefCell::new((0, Vec::new())) };
}

/// The seekers a search has seen: a stamp per seeker, kept per thread, so
/// that starting a search clears nothing.
struct Seen {
    stamp: u32,
}

impl Seen {
    fn new(seekers: usize) -> Seen {
        let stamp = SEEN.with_borrow_mut(|(stamp, marks)| {
            if marks.len() < seekers {
                marks.resize(seekers, 0);
            }
            *stamp = stamp.wrapping_add(1);
            if *stamp == 0 {
                marks.fill(0);
                *stamp = 1;
            }
            *stamp
        });
        Seen { stamp }
    }

    /// Marks a seeker; whether it was new.
    #[inline]
    fn insert(&mut self, seeker: u32) -> bool {
        SEEN.with_borrow_mut(|(_, marks)| match marks.get_mut(seeker as usize) {
            Some(m) if *m == self.stamp => false,
            Some(m) => {
                *m = self.stamp;
                true
            }
            None => true,
        })
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
    let mut seen = Seen::new(p.seekers.len());
    let mut bound = bound_of(&heads, &mut sums);
    // MaxScore's split: the groups whose heads together (with every other
    // signal at its best) stay below the n-th score are not read: a seeker
    // holding only their terms cannot enter. Recomputed as the n-th rises.
    let mut essential = vec![true; groups.len()];
    let mut split_at = f64::NEG_INFINITY;
    while let Some(h) = heap.pop() {
        let kth = top.kth().unwrap_or(f64::NEG_INFINITY);
        if bound + EPS < kth {
            break;
        }
        if kth > split_at {
            split_at = kth;
            split(&heads, &tags, p.caps, rest, kth, &mut essential);
        }
        if !essential.get(h.group).copied().unwrap_or(true) {
            // Dropped for good: the n-th only rises.
            continue;
        }
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
        if !seen.insert(seeker) {
            continue;
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
