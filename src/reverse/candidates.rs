//! The top n seekers for one vacancy, exactly.
//!
//! Over the posting lists of the vacancy's terms in the places that can
//! reach it (each list best bound first), in four phases:
//! 1. the strongest groups (a term's lists in the vacancy's places) are
//!    summed: each seeker's bounds added up in a per-seeker scratch;
//! 2. the best sums are scored first, for a first n-th score that real
//!    seekers reach (more are taken while fewer than n are in reach);
//! 3. MaxScore's split of the groups not yet summed: those whose heads
//!    together (with every other signal at its best) cannot reach the n-th
//!    score are not read; the others are summed too;
//! 4. the summed seekers best sum first, each checked on its own bound and
//!    scored, until no sum can reach the n-th score.
//!
//! Bounds are capped per signal (skills, title, occupation); a seeker's own
//! bound (its terms the vacancy holds, read from a flat array, not from the
//! seeker) is checked before its distance is computed, and the exact place
//! signals before it is scored, by the forward scoring function. An expired
//! vacancy is in nobody's reach. The exhaustive scan scores every seeker
//! and is the reference the search must equal.

use crate::index::SegmentColumns;
use crate::rank::score::{ColumnValues, admit, column_part, place_signals, score, term_signals};
use crate::rank::signal::{Signals, Source};

use super::prepared::{ALL_TERMS, ANYWHERE, Postings, Prepared};

/// Slack for the sums of rounded-up bounds.
pub(super) const EPS: f64 = 1e-9;
/// Slack for bounds summed in `f32` (at most a few dozen terms, each at
/// most 1: the rounding is below 1e-5).
pub(super) const SLACK: f64 = 1e-5;
/// Seekers scored first, best sum first, for a first n-th score (at least
/// `2n`).
const SEEDS: usize = 64;

/// One scored seeker.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub seeker: u32,
    pub score: f64,
    pub km: f64,
    pub signals: Signals<f64>,
}

/// A vacancy as the search reads it: its columns, where it is, its terms.
pub(crate) struct Vacancy<'a> {
    pub cols: &'a SegmentColumns,
    pub doc: u32,
    /// Its county's code.
    pub county: u32,
    /// Its terms' dictionary ids, sorted.
    pub terms: Vec<u32>,
    /// Its column values, read once, not once per seeker checked.
    pub values: ColumnValues,
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

impl std::ops::AddAssign for ReverseStats {
    /// The work of two searches together.
    fn add_assign(&mut self, other: ReverseStats) {
        self.postings += other.postings;
        self.checked += other.checked;
        self.scored += other.scored;
    }
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

/// The lists to read for a vacancy: per term (e.g. the vacancy's, then
/// [`ALL_TERMS`]), its lists in the vacancy's places.
pub(crate) fn lists_of<'p, 't>(
    p: &'p Prepared,
    terms: impl Iterator<Item = &'t u32>,
    places: Option<[u32; 4]>,
) -> Vec<Vec<&'p Postings>> {
    terms
        .filter_map(|t| p.lists.get(t))
        .map(|by_place| match places {
            // Lists are sorted by place: find the vacancy's few.
            Some(ps) => ps.iter().filter_map(|&p| by_place.get(p)).collect(),
            None => by_place.iter().map(|(_, l)| l).collect(),
        })
        .collect()
}

/// A vacancy's terms as a bitset over the dictionary: a seeker's terms are
/// looked up in one load each, without a branch to mispredict.
pub(crate) struct TermSet {
    bits: Vec<u64>,
}

impl TermSet {
    /// The set of `terms` (dictionary ids) of a dictionary of `size`.
    pub fn new(terms: &[u32], size: usize) -> TermSet {
        let mut bits = vec![0u64; size.div_ceil(64)];
        for &t in terms {
            if let Some(w) = bits.get_mut(t as usize / 64) {
                *w |= 1 << (t % 64);
            }
        }
        TermSet { bits }
    }

    #[inline]
    fn contains(&self, t: u32) -> bool {
        self.bits
            .get(t as usize / 64)
            .is_some_and(|w| w >> (t % 64) & 1 == 1)
    }
}

/// Scores one seeker for the vacancy `doc` of `cols` whose terms are
/// `terms`; `None` when out of reach.
#[inline]
pub(crate) fn score_pair(p: &Prepared, seeker: u32, at: &Vacancy<'_>, terms: &TermSet) -> Option<Scored> {
    score_above(p, seeker, at, terms, f64::NEG_INFINITY, 0.0)
}

/// As [`score_pair`], but `None` as well when the seeker's bound (its own
/// terms the vacancy holds, capped per signal, plus `rest`) is below
/// `floor`: the exact signals are then never computed.
#[inline]
pub(super) fn score_above(
    p: &Prepared,
    seeker: u32,
    at: &Vacancy<'_>,
    terms: &TermSet,
    floor: f64,
    rest: f64,
) -> Option<Scored> {
    let (cols, doc) = (at.cols, at.doc);
    let mut mask = 0u128;
    let mut by_signal = [0.0f64; 3];
    for (i, &(t, b)) in p.seeker_terms(seeker).iter().enumerate() {
        if terms.contains(t) {
            mask |= 1 << i;
            if let Some(x) = by_signal.get_mut(usize::from(p.tag(t))) {
                *x += f64::from(b);
            }
        }
    }
    let capped = |i: usize| {
        by_signal
            .get(i)
            .zip(p.caps.get(i))
            .map_or(0.0, |(x, c)| x.min(*c))
    };
    let bound = capped(0) + capped(1) + capped(2) + rest + p.loose(seeker);
    // The terms first, then salary, education, experience and industry
    // (neither read from the seeker nor a distance computed), then the
    // vacancy's columns, then where the vacancy is: in reach, with the
    // place signals known exactly.
    if bound + EPS < floor {
        return None;
    }
    if floor > f64::NEG_INFINITY && bound - p.side_max() + p.side(seeker, &at.values) + EPS < floor {
        return None;
    }
    let s = p.seekers.get(seeker as usize)?;
    let mut sig = Signals::default();
    at.values.signals(&s.q, &mut sig);
    let terms_and_columns = capped(0) + capped(1) + column_part(&s.q, &sig);
    if terms_and_columns + p.place_weight + EPS < floor {
        return None;
    }
    let km = admit(&s.q, cols, doc).ok()?;
    place_signals(&s.q, cols, doc, km, &mut sig);
    if terms_and_columns + s.q.weights.dot_of(&sig, Source::Place) + EPS < floor {
        return None;
    }
    term_signals(&s.q, at.values.skill_count, mask, &mut sig);
    Some(Scored {
        seeker,
        score: score(&s.q, &sig),
        km,
        signals: sig,
    })
}

/// The most the signals that do not come from terms can add for a vacancy
/// (freshness at the vacancy's, the others at 1).
pub(super) fn rest_bound(p: &Prepared, cols: &SegmentColumns, doc: u32) -> f64 {
    let fresh = p.seekers.first().map_or(1.0, |s| {
        f64::from(
            s.q.freshness
                .at(cols.posted.get(doc as usize).copied().unwrap_or(i32::MIN)),
        )
    });
    p.seeker_side_weight + p.freshness_weight * fresh
}

/// Per-seeker scratch of one search, kept per thread between searches so
/// that starting one clears nothing. A seeker's slot points into a dense
/// array of this search's sums, which names the seeker: a slot left by an
/// earlier search points where another seeker (or nothing) is. So a
/// posting costs one random access into four bytes per seeker (the dense
/// array is small and stays in cache), and reading the sums back none. A
/// seeker scored holds −∞, which no sum lifts.
#[derive(Default)]
pub(super) struct Scratch {
    /// Per seeker: where its sum is in `sums`, if it is there.
    slots: Vec<u32>,
    /// The seekers summed by the current search, with their sums.
    sums: Vec<(u32, f32)>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Option<Box<Scratch>>> = const { std::cell::Cell::new(None) };
}

impl Scratch {
    /// This thread's scratch, sized for `seekers`, empty.
    pub(super) fn take(seekers: usize) -> Box<Scratch> {
        let mut s = SCRATCH.take().unwrap_or_default();
        if s.slots.len() < seekers {
            s.slots.resize(seekers, u32::MAX);
        }
        s.sums.clear();
        s
    }

    /// Gives it back for the thread's next search.
    pub(super) fn give_back(self: Box<Scratch>) {
        SCRATCH.set(Some(self));
    }

    /// The sum of a seeker, created at `fresh` when this search has none.
    #[inline]
    fn entry(&mut self, seeker: u32, fresh: f32) -> Option<&mut f32> {
        let slot = self.slots.get_mut(seeker as usize)?;
        let at = *slot as usize;
        if self.sums.get(at).is_some_and(|e| e.0 == seeker) {
            return self.sums.get_mut(at).map(|e| &mut e.1);
        }
        *slot = self.sums.len() as u32;
        self.sums.push((seeker, fresh));
        None
    }

    /// Marks a seeker scored: no sum lifts it again.
    #[inline]
    fn retire(&mut self, seeker: u32) {
        if let Some(sum) = self.entry(seeker, f32::NEG_INFINITY) {
            *sum = f32::NEG_INFINITY;
        }
    }

    /// Adds to a seeker's sum (nothing to a seeker scored).
    #[inline]
    pub(super) fn add(&mut self, seeker: u32, bound: f32) {
        if let Some(sum) = self.entry(seeker, bound) {
            *sum += bound;
        }
    }

    /// Every seeker summed by this search, with its sum.
    pub(super) fn sums(&self) -> &[(u32, f32)] {
        &self.sums
    }

    /// The `m` best sums (not scored), best first: one pass that keeps a
    /// small heap, moving nothing else.
    fn best(&self, m: usize) -> Vec<(u32, f32)> {
        // Greater is worse (`best_first`'s order as a key): the heap's top
        // is the worst kept. Sums are sums of bounds, so finite and ≥ 0,
        // where an `f32`'s bits order as its value.
        let worse = |e: &(u32, f32)| (std::cmp::Reverse(e.1.to_bits()), e.0);
        let mut heap = std::collections::BinaryHeap::with_capacity(m + 1);
        for e in self.sums.iter().filter(|e| e.1 != f32::NEG_INFINITY) {
            if heap.len() < m {
                heap.push(worse(e));
            } else if heap.peek().is_some_and(|top| worse(e) < *top) {
                heap.pop();
                heap.push(worse(e));
            }
        }
        heap.into_sorted_vec()
            .into_iter()
            .map(|(std::cmp::Reverse(bits), seeker)| (seeker, f32::from_bits(bits)))
            .collect()
    }

    /// The seekers summed (not scored) to at least `floor`, with their sums.
    fn above(&self, floor: f32) -> Vec<(u32, f32)> {
        self.sums
            .iter()
            .filter(|e| e.1 != f32::NEG_INFINITY && e.1 >= floor)
            .copied()
            .collect()
    }
}

/// Summed seekers handed out best sum first (then by seeker number),
/// sorted a batch at a time: a search usually stops long before the end.
struct BestFirst {
    items: Vec<(u32, f32)>,
    /// Items before it were handed out; those before `sorted` are in order.
    at: usize,
    sorted: usize,
    batch: usize,
}

impl BestFirst {
    fn new(items: Vec<(u32, f32)>, batch: usize) -> BestFirst {
        BestFirst {
            items,
            at: 0,
            sorted: 0,
            batch: batch.max(1),
        }
    }
}

impl Iterator for BestFirst {
    type Item = (u32, f32);

    fn next(&mut self) -> Option<(u32, f32)> {
        if self.at == self.sorted {
            let rest = self.items.get_mut(self.at..)?;
            let take = self.batch.min(rest.len());
            if take == 0 {
                return None;
            }
            if take < rest.len() {
                rest.select_nth_unstable_by(take - 1, best_first);
            }
            rest.get_mut(..take)?.sort_unstable_by(best_first);
            self.sorted += take;
            self.batch = self.batch.saturating_mul(2);
        }
        let item = self.items.get(self.at).copied();
        self.at += 1;
        item
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

/// Orders summed seekers best sum first, then by seeker number.
fn best_first(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// The top n seekers for a vacancy (see the module's four phases).
pub(crate) fn search<'a>(p: &'a Prepared, at: &Vacancy<'_>, n: usize, stats: &mut ReverseStats) -> TopN<'a> {
    let (cols, doc, county, terms) = (at.cols, at.doc, at.county, at.terms.as_slice());
    let mut top = TopN::new(n, &p.ids);
    // Expired: out of every seeker's reach (the scan finds none either).
    if n == 0 || cols.expires.get(doc as usize).is_none_or(|&e| e < p.today) {
        return top;
    }
    let remote = doc < cols.remote_end;
    let groups = lists_of(
        p,
        terms.iter().chain(std::iter::once(&ALL_TERMS)),
        places_of(county, remote),
    );
    let held = TermSet::new(terms, p.dictionary_len());
    // Each group's signal (the pseudo-term of all seekers, last, bounds the
    // occupation of seekers whose occupation is not in their terms).
    let tags: Vec<usize> = terms
        .iter()
        .filter(|t| p.lists.contains_key(t))
        .map(|&t| usize::from(p.tag(t)))
        .chain(std::iter::once(usize::from(super::prepared::OCCUPATION)))
        .collect();
    let all_terms = p
        .lists
        .contains_key(&ALL_TERMS)
        .then(|| groups.len().saturating_sub(1));
    let rest = rest_bound(p, cols, doc);
    let heads: Vec<f64> = groups
        .iter()
        .map(|g| {
            g.iter()
                .filter_map(|l| l.first().map(|x| f64::from(x.0)))
                .fold(0.0, f64::max)
        })
        .collect();
    let mut scratch = Scratch::take(p.seekers.len());
    let mut summed = vec![false; groups.len()];
    let sum_group = |g: usize, scratch: &mut Scratch, stats: &mut ReverseStats| {
        for l in groups.get(g).into_iter().flatten() {
            stats.postings += l.len() as u64;
            for &(b, seeker) in l.iter() {
                scratch.add(seeker, b);
            }
        }
    };

    // Phase 1: the strongest groups, those whose head is at least half the
    // best head (a term's share of a seeker's fit), summed.
    let strongest = heads
        .iter()
        .enumerate()
        .filter(|&(g, _)| Some(g) != all_terms)
        .map(|(_, &h)| h)
        .fold(0.0, f64::max);
    for (g, &h) in heads.iter().enumerate() {
        if Some(g) != all_terms && strongest > 0.0 && h * 2.0 >= strongest {
            sum_group(g, &mut scratch, stats);
            if let Some(x) = summed.get_mut(g) {
                *x = true;
            }
        }
    }

    // Phase 2: the best sums scored, for a first n-th score; more, best
    // first, while fewer than n are in reach.
    let first = scratch.best(SEEDS.max(2 * n));
    let check = |seeker: u32, scratch: &mut Scratch, top: &mut TopN<'a>, stats: &mut ReverseStats| {
        scratch.retire(seeker);
        stats.checked += 1;
        let kth = top.kth().unwrap_or(f64::NEG_INFINITY);
        if let Some(s) = score_above(p, seeker, at, &held, kth, rest) {
            stats.scored += 1;
            top.offer(s);
        }
    };
    for &(seeker, _) in &first {
        check(seeker, &mut scratch, &mut top, stats);
    }
    if top.kth().is_none() {
        for (seeker, _) in BestFirst::new(scratch.above(f32::NEG_INFINITY), SEEDS) {
            check(seeker, &mut scratch, &mut top, stats);
            if top.kth().is_some() {
                break;
            }
        }
    }

    // Phase 3, MaxScore over the groups not summed: those whose heads
    // together (with every other signal at its best) stay below the n-th
    // score need not be read, since a seeker holding only their terms
    // cannot enter; the rest are summed.
    let kth = top.kth().unwrap_or(f64::NEG_INFINITY);
    let open: Vec<usize> = (0..groups.len())
        .filter(|&g| summed.get(g) == Some(&false))
        .collect();
    let open_heads: Vec<f64> = open
        .iter()
        .map(|&g| heads.get(g).copied().unwrap_or(0.0))
        .collect();
    let open_tags: Vec<usize> = open.iter().map(|&g| tags.get(g).copied().unwrap_or(0)).collect();
    let mut essential = vec![true; open.len()];
    split(&open_heads, &open_tags, p.caps, rest, kth, &mut essential);
    let mut skipped = [0.0f64; 3];
    for ((&g, &e), (&h, &t)) in open.iter().zip(&essential).zip(open_heads.iter().zip(&open_tags)) {
        if e {
            sum_group(g, &mut scratch, stats);
        } else if let Some(x) = skipped.get_mut(t) {
            *x += h;
        }
    }
    let others: f64 = skipped.iter().zip(p.caps).map(|(x, c)| x.min(c)).sum::<f64>() + rest;

    // Phase 4: the summed seekers best first, each checked on its own
    // bound and scored, until no sum can reach the n-th score.
    let order = BestFirst::new(scratch.above((kth - others - SLACK) as f32), 4 * SEEDS);
    scratch.give_back();
    for (seeker, sum) in order {
        let kth = top.kth().unwrap_or(f64::NEG_INFINITY);
        if f64::from(sum) + others + SLACK < kth {
            break;
        }
        stats.checked += 1;
        if let Some(s) = score_above(p, seeker, at, &held, kth, rest) {
            stats.scored += 1;
            top.offer(s);
        }
    }
    top
}

/// The top n seekers for a vacancy by scoring every seeker: the reference.
pub(crate) fn exhaustive<'a>(p: &'a Prepared, at: &Vacancy<'_>, n: usize) -> TopN<'a> {
    let terms = TermSet::new(&at.terms, p.dictionary_len());
    let mut top = TopN::new(n, &p.ids);
    for seeker in 0..p.seekers.len() as u32 {
        if let Some(s) = score_pair(p, seeker, at, &terms) {
            top.offer(s);
        }
    }
    top
}
