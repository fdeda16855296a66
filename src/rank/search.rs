//! The two ways to the top k: a pruned search over the postings of the
//! seeker's terms, and the exhaustive scan it must agree with.
//!
//! The pruned search is MaxScore (Turtle & Flood, 1995) extended with the
//! signals that do not come from terms:
//! - each query term has an upper bound `ub` on what it can add; the
//!   occupation signal is bounded by terms too (the index holds each
//!   vacancy's place in the hierarchy, see [`crate::taxonomy::path_terms`]);
//! - each doc range in reach (one region of one segment, or its remote
//!   vacancies; far regions with the same bound merged) has an upper bound
//!   on location and mobility, from the least distance any of its vacancies
//!   can have, and so has each block of 128 docs; a block that cannot be in
//!   reach is jumped over;
//! - the range with the best bound (usually the seeker's own region) is
//!   walked first, so the k-th score θ rises early; the others follow in doc
//!   order with one cursor set per segment, and a range whose bound is
//!   below θ is skipped whole;
//! - within a range, terms sorted by `ub` per posting (the lists that can
//!   add least for their length first, as Lucene's MaxScore orders its
//!   clauses by max score over cost), the longest prefix whose bounds
//!   sum with the range's bound below θ is *non-essential*: a vacancy
//!   holding only those cannot enter, so only the essential terms' postings
//!   are walked, and the others are probed for the candidates found;
//! - a doc met on the essential lists is bounded by its terms with its
//!   number of skills (the skills signal's coverage), then, if it may
//!   still enter, with the shortest non-essential lists probed for it
//!   (lists an eighth as long as the essential ones, at most 8: their
//!   cursors are mostly past the doc already, and a doc met on a common
//!   skill's list rarely holds the seeker's rare title word or
//!   occupation);
//! - candidates are gathered 64 at a time, then bounded by their 8-byte
//!   summaries (read in a loop of their own, so the cache misses overlap),
//!   then by their exact columns, then by their exact terms; the distance
//!   and the full score come last;
//! - vacancies holding none of the terms can enter on the other signals;
//!   they are scanned last, only in ranges whose bound reaches the final θ.
//!
//! Every skip compares a proven upper bound with θ with a margin of 1e-9 for
//! floating-point rounding, so nothing that could enter the top k (ties
//! included, broken by id) is skipped. The values compared are computed by
//! the same functions as the final score.

// Indexing here cannot panic: doc ids come from this segment's postings or doc-id ranges, all below
// `max_doc`, the length of every column (`SegmentColumns::load`); term
// positions are below the query's term count, cursors' positions below
// their count.
#![allow(clippy::indexing_slicing)]

use std::sync::Arc;

use tantivy::index::InvertedIndexReader;
use tantivy::postings::{SegmentPostings, TermInfo};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, SegmentReader, TERMINATED};

use super::query::{Query, TermRole};
use super::score::{
    ColumnValues, TermBound, admit, column_bound, column_part, location, place_bound, place_signals, score,
    signals, summary_bound, term_part, term_signals,
};
use super::signal::Signals;
use super::topk::{Entry, TopK};
use crate::error::{Error, Result};
use crate::index::columns::{BLOCK, Summary};
use crate::index::{SegmentColumns, Snapshot};
use crate::retrieve::{ReachRange, seek_to};

/// Margin for floating-point rounding when comparing bounds with θ.
const EPS: f64 = 1e-9;

/// Work done by one search, for benchmarks and tuning.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    /// Vacancies whose full score was computed.
    pub scored: u64,
    /// Vacancies whose columns were read to bound them.
    pub columns_read: u64,
    /// Docs met on the essential lists (in blocks that may be in reach).
    pub postings: u64,
    /// Vacancies visited by the scan for vacancies holding no query term.
    pub scanned: u64,
    /// Doc ranges skipped whole.
    pub ranges_skipped: u64,
    /// Doc ranges walked.
    pub ranges_walked: u64,
    /// Searches run again without the guessed floor (it was too high).
    pub retries: u64,
    /// The search stopped at its allowance (a deadline or a number of
    /// vacancies scored): the result is the best found, not the exact top k.
    pub truncated: bool,
}

/// How much work a search may do before it stops with what it has found
/// (from [`crate::rank::RankingConfig::deadline_ms`] and `max_scored`). The
/// default allows everything.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Allowance {
    /// When to stop.
    pub deadline: Option<std::time::Instant>,
    /// Most vacancies to score in full.
    pub max_scored: Option<u64>,
}

impl Allowance {
    /// Whether the work done so far used it up (noted in `stats`).
    #[inline]
    fn spent(&self, stats: &mut SearchStats) -> bool {
        let over = self.max_scored.is_some_and(|m| stats.scored >= m)
            || self.deadline.is_some_and(|d| std::time::Instant::now() >= d);
        stats.truncated |= over;
        over
    }
}

/// A query term present in a segment.
struct SegTerm {
    term: usize,
    ub: f64,
    role: TermRole,
    inverted: Arc<InvertedIndexReader>,
    info: TermInfo,
}

struct Cursor {
    postings: SegmentPostings,
    term: usize,
    ub: f64,
    role: TermRole,
    /// Docs in the segment holding the term.
    df: u32,
}

fn segment_terms(q: &Query, seg: &SegmentReader) -> Result<Vec<SegTerm>> {
    let mut out = Vec::with_capacity(q.terms.len());
    for (i, t) in q.terms.iter().enumerate() {
        let inverted = seg.inverted_index(t.term.field())?;
        if let Some(info) = inverted.get_term_info(&t.term).map_err(Error::io_unnamed)? {
            out.push(SegTerm {
                term: i,
                ub: t.ub,
                role: t.role,
                inverted,
                info,
            });
        }
    }
    // Ascending bound per posting: the lists that can add least for what
    // they cost to walk become non-essential first (Lucene's MaxScore
    // orders its clauses the same way, by max score over cost).
    let per_posting = |t: &SegTerm| t.ub / f64::from(t.info.doc_freq.max(1));
    out.sort_by(|a, b| {
        per_posting(a)
            .total_cmp(&per_posting(b))
            .then(a.ub.total_cmp(&b.ub))
            .then(a.term.cmp(&b.term))
    });
    Ok(out)
}

fn open(terms: &[SegTerm], from: u32) -> Result<Vec<Cursor>> {
    terms
        .iter()
        .map(|t| {
            let mut postings = t
                .inverted
                .read_postings_from_terminfo(&t.info, IndexRecordOption::Basic)
                .map_err(Error::io_unnamed)?;
            seek_to(&mut postings, from);
            Ok(Cursor {
                postings,
                term: t.term,
                ub: t.ub,
                role: t.role,
                df: t.info.doc_freq,
            })
        })
        .collect()
}

/// One cursor set per segment, reused while the ranges visited move forward
/// in it: opening postings costs more than skipping ahead in them.
#[derive(Default)]
struct SharedCursors {
    open: Option<(usize, Vec<Cursor>)>,
}

impl SharedCursors {
    /// The cursors of `segment`, at `from` or after (never moved back).
    fn at(&mut self, segment: usize, terms: &[SegTerm], from: u32) -> Result<&mut [Cursor]> {
        if self.open.as_ref().is_some_and(|(s, _)| *s != segment) {
            self.open = None;
        }
        let (_, cursors) = match &mut self.open {
            Some(open) => open,
            slot => slot.insert((segment, open(terms, from)?)),
        };
        for c in cursors.iter_mut() {
            seek_to(&mut c.postings, from);
        }
        Ok(cursors)
    }
}

/// One segment as a search reads it: tantivy's reader, the decoded
/// columns, the query's terms present in it, and what every step of the
/// bound chain shares (tantivy's `Weight`/`Scorer` split: what is per query
/// lives in [`Query`], what is per segment here).
struct SegmentSearch<'a> {
    q: &'a Query,
    /// Position of the segment in the snapshot.
    ord: u32,
    reader: &'a SegmentReader,
    cols: &'a SegmentColumns,
    /// The query's terms present in the segment, by ascending bound per
    /// posting (the MaxScore order).
    terms: Vec<SegTerm>,
    /// Bound of the column signals of a vacancy holding no query term.
    columns: f64,
}

impl<'a> SegmentSearch<'a> {
    fn new(q: &'a Query, ord: usize, reader: &'a SegmentReader, cols: &'a SegmentColumns) -> Result<Self> {
        Ok(SegmentSearch {
            q,
            ord: ord as u32,
            reader,
            cols,
            terms: segment_terms(q, reader)?,
            columns: column_bound(q),
        })
    }

    /// The bound chain's column step, shared by the walk and the term-less
    /// scan: a doc's exact column signals, unless with them (and `rest`, the
    /// bound of everything else) it cannot reach `theta`.
    #[inline]
    fn exact_columns(
        &self,
        v: ColumnValues,
        rest: f64,
        theta: f64,
        stats: &mut SearchStats,
    ) -> Option<(Signals<f64>, f64)> {
        let mut s = Signals::default();
        stats.columns_read += 1;
        v.signals(self.q, &mut s);
        let exact = column_part(self.q, &s);
        (rest + exact + EPS >= theta).then_some((s, exact))
    }

    /// The chain's last step, shared likewise: the hard constraints, then
    /// the distance's signals and the full score (`s` holds every other
    /// signal), offered to the top k.
    #[inline]
    fn admit_and_offer(&self, doc: u32, mut s: Signals<f64>, top: &mut TopK<'_>, stats: &mut SearchStats) {
        let (q, cols) = (self.q, self.cols);
        let Ok(km) = admit(q, cols, doc) else { return };
        place_signals(q, cols, doc, km, &mut s);
        stats.scored += 1;
        self.offer(doc, km, s, top);
    }

    /// Offers a scored doc to the top k.
    #[inline]
    fn offer(&self, doc: u32, km: f64, s: Signals<f64>, top: &mut TopK<'_>) {
        let sc = score(self.q, &s);
        if sc < top.threshold() {
            return;
        }
        let cols = self.cols;
        top.offer(Entry {
            score: sc,
            segment: self.ord,
            doc,
            ord: cols.id_ord(doc),
            employer: cols.employer[doc as usize],
            km,
            components: s,
        });
    }

    /// Vacancies of a range holding no query term, where the other signals
    /// alone could still reach the k-th score (θ is final when this runs).
    fn scan_termless(
        &self,
        w: &Work,
        cursors: &mut [Cursor],
        top: &mut TopK<'_>,
        stats: &mut SearchStats,
        allow: &Allowance,
    ) {
        let (q, cols, columns) = (self.q, self.cols, self.columns);
        let mut blocks = BlockBounds::new(w);
        let mut next = w.range.docs.start;
        while next < w.range.docs.end {
            let doc = next;
            next += 1;
            let theta = top.threshold();
            if columns + w.place + EPS < theta {
                break;
            }
            let place = blocks.place(q, cols, doc);
            if columns + place + EPS < theta {
                next = ((doc as usize / BLOCK + 1) * BLOCK) as u32; // the whole block
                continue;
            }
            if self.reader.is_deleted(doc) {
                continue;
            }
            stats.scanned += 1;
            if stats.scanned.is_multiple_of(256) && allow.spent(stats) {
                return;
            }
            if summary_bound(q, cols.summary[doc as usize]) + place + EPS < theta {
                continue;
            }
            let values = ColumnValues::read(cols, doc);
            let Some((mut s, _)) = self.exact_columns(values, place, theta, stats) else {
                continue;
            };
            if cursors.iter_mut().any(|c| seek_to(&mut c.postings, doc) == doc) {
                continue; // holds a term: handled (scored or soundly pruned) by the walk
            }
            term_signals(q, values.skill_count, 0, &mut s);
            self.admit_and_offer(doc, s, top, stats);
        }
    }
}

/// One range of one segment, with its bounds.
struct Work {
    segment: usize,
    range: ReachRange,
    /// Bound of location and mobility in the range.
    place: f64,
    /// No vacancy of the range can earn location credit, so its bound is
    /// the same for every block.
    flat: bool,
}

/// The pruned search.
pub(crate) fn search(
    snapshot: &Snapshot,
    q: &Query,
    top: &mut TopK<'_>,
    stats: &mut SearchStats,
    allow: &Allowance,
) -> Result<()> {
    let mut work: Vec<Work> = Vec::new();
    for (si, cols) in snapshot.segments().iter().enumerate() {
        for range in q.constraints.reach.ranges(cols) {
            let prior = if range.remote {
                0.0
            } else {
                q.prior[usize::from(range.region)]
            };
            let place = place_bound(q, range.remote, range.min_km, range.moves_to, prior);
            // Regions beyond the commute radius that the seeker would move
            // to, side by side in a segment and in one province, share one
            // bound (no location credit, the same mobility prior): walk them
            // as one range. A relocating seeker's 200-odd regions per
            // segment become a few ranges.
            let flat = !range.remote && location(q, range.min_km) == 0.0;
            if let Some(last) = work.last_mut()
                && flat
                && last.segment == si
                && last.flat
                && last.range.docs.end == range.docs.start
                && last.range.moves_to == range.moves_to
                && last.range.province == range.province
                && last.place == place
            {
                last.range.docs.end = range.docs.end;
                last.range.min_km = last.range.min_km.min(range.min_km);
                continue;
            }
            work.push(Work {
                segment: si,
                range,
                place,
                flat,
            });
        }
    }
    // The range with the best bound first (the seeker's own region, usually)
    // to raise θ early; then every other range in doc order, one cursor set
    // per segment moving forward (opening postings per range costs more
    // than skipping ahead in them).
    work.sort_by(|a, b| {
        a.segment
            .cmp(&b.segment)
            .then(a.range.docs.start.cmp(&b.range.docs.start))
    });
    let best = (0..work.len()).max_by(|&a, &b| work[a].place.total_cmp(&work[b].place).then(b.cmp(&a)));
    if let Some(best) = best {
        let w = work.remove(best);
        work.insert(0, w);
    }
    // Only segments with a range in reach are opened (the shards a seeker
    // cannot reach cost nothing).
    let mut in_reach = vec![false; snapshot.segments().len()];
    for w in &work {
        if let Some(r) = in_reach.get_mut(w.segment) {
            *r = true;
        }
    }
    let segments = segment_searches(snapshot, q, |i| in_reach.get(i).copied().unwrap_or(false))?;
    let columns = column_bound(q);
    let mut shared = SharedCursors::default();
    for (i, w) in work.iter().enumerate() {
        if allow.spent(stats) {
            return Ok(());
        }
        let Some(seg) = &segments[w.segment] else { continue };
        let all_terms = seg
            .terms
            .iter()
            .fold(TermBound::NONE, |b, t| b.with(t.role, t.ub))
            .total(q);
        if all_terms + columns + w.place + EPS < top.threshold() {
            stats.ranges_skipped += 1;
            continue;
        }
        stats.ranges_walked += 1;
        if i == 0 {
            // Out of doc order: cursors of its own.
            let mut cursors = open(&seg.terms, w.range.docs.start)?;
            seg.walk(w, &mut cursors, top, stats, allow);
            continue;
        }
        let cursors = shared.at(w.segment, &seg.terms, w.range.docs.start)?;
        seg.walk(w, cursors, top, stats, allow);
    }
    // Vacancies holding no query term, where the other signals alone could
    // still reach the k-th score.
    // θ is final here, so order does not matter: doc order per segment, one
    // cursor set per segment (postings carry a decoded block: opening them
    // per range costs more than the scan of a small range).
    work.sort_by(|a, b| {
        a.segment
            .cmp(&b.segment)
            .then(a.range.docs.start.cmp(&b.range.docs.start))
    });
    let mut shared = SharedCursors::default();
    for w in &work {
        if columns + w.place + EPS < top.threshold() {
            continue;
        }
        if allow.spent(stats) {
            return Ok(());
        }
        let Some(seg) = &segments[w.segment] else { continue };
        let cursors = shared.at(w.segment, &seg.terms, w.range.docs.start)?;
        seg.scan_termless(w, cursors, top, stats, allow);
    }
    Ok(())
}

/// The segments of a snapshot that `open` says to open, prepared for a
/// query (`None` for the others, which are never read).
fn segment_searches<'a>(
    snapshot: &'a Snapshot,
    q: &'a Query,
    open: impl Fn(usize) -> bool,
) -> Result<Vec<Option<SegmentSearch<'a>>>> {
    snapshot
        .segment_readers()
        .iter()
        .zip(snapshot.segments())
        .enumerate()
        .map(|(i, (reader, cols))| {
            open(i)
                .then(|| SegmentSearch::new(q, i, reader, cols))
                .transpose()
        })
        .collect()
}

/// Location and mobility bounds per block of a range, computed lazily: the
/// least distance of a block's vacancies is at least the distance to its
/// centre minus its radius (triangle inequality), and at least the range's.
/// The same bound tells whether any vacancy of the block can be in reach.
struct BlockBounds<'w> {
    work: &'w Work,
    block: usize,
    place: f64,
    reachable: bool,
}

impl<'w> BlockBounds<'w> {
    fn new(work: &'w Work) -> Self {
        BlockBounds {
            work,
            block: usize::MAX,
            place: work.place,
            reachable: true,
        }
    }

    #[inline]
    fn update(&mut self, q: &Query, cols: &SegmentColumns, doc: u32) {
        let b = doc as usize / BLOCK;
        if b != self.block {
            self.block = b;
            let r = &self.work.range;
            if r.remote || self.work.flat {
                self.place = self.work.place;
                self.reachable = true;
            } else {
                let (lat, lon) = cols.block_centre[b];
                let min_km = (q.constraints.reach.distance_to(lat, lon) - cols.block_radius_km[b] - 1e-3)
                    .max(r.min_km);
                let prior = q.prior[usize::from(r.region)];
                self.place = place_bound(q, false, min_km, r.moves_to, prior).min(self.work.place);
                self.reachable = q.constraints.reach.may_reach(min_km, r.moves_to);
            }
        }
    }

    /// Bound of location and mobility for the block of `doc`.
    #[inline]
    fn place(&mut self, q: &Query, cols: &SegmentColumns, doc: u32) -> f64 {
        self.update(q, cols, doc);
        self.place
    }

    /// Whether a vacancy of the block of `doc` may be in reach.
    #[inline]
    fn reachable(&mut self, q: &Query, cols: &SegmentColumns, doc: u32) -> bool {
        self.update(q, cols, doc);
        self.reachable
    }

    /// The first doc at or after `doc` and before `end` whose block may be
    /// in reach, or `end` (out-of-reach blocks come in runs: the docs of a
    /// region are in Z-order).
    fn next_reachable(&mut self, q: &Query, cols: &SegmentColumns, mut doc: u32, end: u32) -> u32 {
        while doc < end && !self.reachable(q, cols, doc) {
            doc = ((doc as usize / BLOCK + 1) * BLOCK) as u32;
        }
        doc.min(end)
    }
}

/// Candidates gathered from the postings before any column is read.
const BATCH: usize = 64;

/// A doc found on an essential list, with what its terms can add.
#[derive(Clone, Copy)]
struct Candidate {
    doc: u32,
    /// Bound of what its terms can add (of which the non-occupation part
    /// counts once the columns are read: the occupation is then exact).
    terms: TermBound,
    /// Its number of skills.
    skills: u8,
    /// Essential terms held.
    mask: u128,
    /// Bound of location and mobility in its block.
    place: f64,
}

impl SegmentSearch<'_> {
    /// MaxScore over one doc range of one segment.
    ///
    /// Works in batches: up to [`BATCH`] candidates are gathered from the
    /// essential lists first (jumping over blocks out of reach), then their
    /// summaries read, then the survivors' columns. Reading one array for many
    /// docs in a row lets the memory system fetch them in parallel, where
    /// interleaving the reads with the postings' decoding waited for each.
    /// A doc is gathered only if its bound reaches θ with the short
    /// non-essential lists probed ([`Early`]); each survivor is then bounded
    /// with its exact columns, then its exact terms (the other
    /// non-essential lists probed); only then is its distance computed. θ
    /// only rises, so checking a batch against the θ it started with is
    /// safe.
    fn walk(
        &self,
        w: &Work,
        cursors: &mut [Cursor],
        top: &mut TopK<'_>,
        stats: &mut SearchStats,
        allow: &Allowance,
    ) {
        let (q, cols, columns) = (self.q, self.cols, self.columns);
        let end = w.range.docs.end;
        let rest = columns + w.place;
        let mut blocks = BlockBounds::new(w);
        let mut non_essential = 0;
        // Bound of the non-essential terms.
        let mut ne = TermBound::NONE;
        // The non-essential terms probed as a doc is gathered (bits of
        // query terms), and the bound of the others.
        let mut early = Early::default();
        let mut batch = [Candidate {
            doc: 0,
            terms: TermBound::NONE,
            skills: 0,
            mask: 0,
            place: 0.0,
        }; BATCH];
        let mut summaries = [Summary::default(); BATCH];
        let mut values = [ColumnValues::default(); BATCH];
        let mut done = false;
        while !done {
            if allow.spent(stats) {
                return;
            }
            let theta = top.threshold();
            let before = non_essential;
            while let Some(c) = cursors.get(non_essential) {
                let with = ne.with(c.role, c.ub);
                if with.total(q) + rest + EPS >= theta {
                    break;
                }
                ne = with;
                non_essential += 1;
            }
            if non_essential != before {
                early = Early::new(cursors, non_essential);
            }
            // Gather.
            let mut n = 0;
            while n < BATCH {
                let essential = &mut cursors[non_essential..];
                let doc = essential
                    .iter()
                    .map(|c| c.postings.doc())
                    .min()
                    .unwrap_or(TERMINATED);
                if doc == TERMINATED || doc >= end {
                    done = true;
                    break;
                }
                if !blocks.reachable(q, cols, doc) {
                    // Every vacancy of the block lies beyond reach.
                    let next = blocks.next_reachable(q, cols, doc, end);
                    for c in essential.iter_mut() {
                        seek_to(&mut c.postings, next);
                    }
                    continue;
                }
                stats.postings += 1;
                let mut ess = TermBound::NONE;
                let mut mask: u128 = 0;
                for c in essential.iter_mut() {
                    if c.postings.doc() == doc {
                        ess.add(c.role, c.ub);
                        mask |= 1 << c.term;
                        c.postings.advance();
                    }
                }
                let mut held = ne.and(ess);
                // The vacancy's number of skills (one byte, read in doc
                // order) bounds the share of them the seeker can cover: a
                // vacancy matched on one skill of the five it asks for
                // cannot score as one asking for that skill alone.
                let skills = cols.skill_count[doc as usize];
                let terms = held.total_at(q, skills);
                if terms + rest + EPS < theta {
                    continue;
                }
                let place = blocks.place(q, cols, doc);
                if terms + columns + place + EPS < theta {
                    continue;
                }
                if early.bits != 0 {
                    // The short non-essential lists probed now, before the
                    // doc's summary is read: most docs met on a long list
                    // hold none of them, and fall below θ without them.
                    let (probed, with) = early.probe(cursors, doc);
                    let exact = probed.and(ess);
                    if exact.total_at(q, skills) + columns + place + EPS < theta {
                        continue;
                    }
                    held = exact;
                    mask |= with;
                }
                batch[n] = Candidate {
                    doc,
                    terms: held,
                    skills,
                    mask,
                    place,
                };
                n += 1;
            }
            // Bound by place and summary. The summaries are read in a loop of
            // their own, so that all their cache misses are in flight together.
            for (sm, c) in summaries.iter_mut().zip(&batch[..n]) {
                *sm = cols.summary[c.doc as usize];
            }
            let mut kept = 0;
            for i in 0..n {
                let c = batch[i];
                let sm = summaries[i];
                if c.terms.other(q, c.skills) + summary_bound(q, sm) + c.place + EPS >= theta {
                    batch[kept] = c;
                    kept += 1;
                }
            }
            // The survivors' columns, likewise in a loop of their own.
            for (v, c) in values.iter_mut().zip(&batch[..kept]) {
                *v = ColumnValues::read(cols, c.doc);
            }
            // Score.
            for (c, v) in batch[..kept].iter().zip(&values) {
                let theta = top.threshold();
                let place = c.place;
                let doc = c.doc;
                if self.reader.is_deleted(doc) {
                    continue;
                }
                let other = c.terms.other(q, v.skill_count);
                let Some((mut s, columns_exact)) = self.exact_columns(*v, other + place, theta, stats) else {
                    continue;
                };
                // The terms exactly (probing the non-essential lists), before
                // any trigonometry.
                let mut mask = c.mask;
                for nc in cursors[..non_essential].iter_mut() {
                    // Those probed as the doc was gathered are in its mask.
                    if early.bits & (1 << nc.term) == 0 && seek_to(&mut nc.postings, doc) == doc {
                        mask |= 1 << nc.term;
                    }
                }
                term_signals(q, v.skill_count, mask, &mut s);
                if term_part(q, &s) + columns_exact + place + EPS < theta {
                    continue;
                }
                self.admit_and_offer(doc, s, top, stats);
            }
        }
    }
}

/// How much longer the essential lists must be, together, than a
/// non-essential list for it to be probed as each doc is gathered rather
/// than once its columns are read: a probe of a list that short is mostly a
/// comparison with a cursor already past the doc.
const EARLY_PROBE_RATIO: u64 = 8;

/// At most this many lists are probed as each doc is gathered (the
/// shortest): a seeker of many terms would otherwise pay a loop over all
/// of them for every doc met.
const MAX_EARLY: usize = 8;

/// The non-essential lists probed as docs are gathered, and the bound of
/// the other non-essential ones.
#[derive(Clone, Copy)]
struct Early {
    /// Their query-term bits.
    bits: u128,
    /// Their cursors' indices.
    cursors: [u8; MAX_EARLY],
    len: usize,
    /// Bound of the non-essential terms not among them.
    late: TermBound,
}

impl Default for Early {
    fn default() -> Self {
        Early {
            bits: 0,
            cursors: [0; MAX_EARLY],
            len: 0,
            late: TermBound::NONE,
        }
    }
}

impl Early {
    /// Which of the first `non_essential` cursors to probe early: those
    /// [`EARLY_PROBE_RATIO`] times shorter than the essential lists
    /// together, the shortest [`MAX_EARLY`] of them.
    fn new(cursors: &[Cursor], non_essential: usize) -> Early {
        let (ne, essential) = cursors.split_at(non_essential.min(cursors.len()));
        let essential_df: u64 = essential.iter().map(|c| u64::from(c.df)).sum();
        // The shortest lists short enough, as (df, cursor), kept sorted.
        let mut short = [(u32::MAX, u8::MAX); MAX_EARLY];
        for (i, c) in ne.iter().enumerate() {
            let Ok(at) = u8::try_from(i) else { break };
            if u64::from(c.df) * EARLY_PROBE_RATIO <= essential_df && c.df < short[MAX_EARLY - 1].0 {
                short[MAX_EARLY - 1] = (c.df, at);
                short.sort_unstable();
            }
        }
        let mut early = Early::default();
        for (i, c) in ne.iter().enumerate() {
            if short.iter().any(|&(_, at)| usize::from(at) == i) {
                early.bits |= 1 << c.term;
                early.cursors[early.len] = i as u8;
                early.len += 1;
            } else {
                early.late.add(c.role, c.ub);
            }
        }
        early
    }

    /// The bound of the non-essential terms for `doc` with the early lists
    /// probed (the late ones assumed held), and the early terms it holds
    /// (bits). Docs are probed in increasing order, so the early cursors
    /// only move forward.
    #[inline]
    fn probe(&self, cursors: &mut [Cursor], doc: u32) -> (TermBound, u128) {
        let mut bound = self.late;
        let mut held = 0;
        for &i in &self.cursors[..self.len] {
            if let Some(c) = cursors.get_mut(usize::from(i))
                && seek_to(&mut c.postings, doc) == doc
            {
                bound.add(c.role, c.ub);
                held |= 1 << c.term;
            }
        }
        (bound, held)
    }
}

/// The exhaustive scan: every live vacancy of every segment, in doc order,
/// through the same scoring function. The reference for exactness.
pub(crate) fn scan(
    snapshot: &Snapshot,
    q: &Query,
    top: &mut TopK<'_>,
    stats: &mut SearchStats,
) -> Result<()> {
    for seg in segment_searches(snapshot, q, |_| true)?.into_iter().flatten() {
        let cols = seg.cols;
        let mut cursors = open(&seg.terms, 0)?;
        for doc in 0..cols.max_doc {
            if seg.reader.is_deleted(doc) {
                continue;
            }
            stats.scanned += 1;
            let Ok(km) = admit(q, cols, doc) else { continue };
            let mut mask: u128 = 0;
            for c in cursors.iter_mut() {
                if seek_to(&mut c.postings, doc) == doc {
                    mask |= 1 << c.term;
                }
            }
            stats.scored += 1;
            seg.offer(doc, km, signals(q, cols, doc, km, mask), top);
        }
    }
    Ok(())
}

/// The term mask of one doc (for explanations).
pub(crate) fn mask_of(q: &Query, seg: &SegmentReader, doc: u32) -> Result<u128> {
    let mut mask = 0;
    for mut c in open(&segment_terms(q, seg)?, 0)? {
        if seek_to(&mut c.postings, doc) == doc {
            mask |= 1 << c.term;
        }
    }
    Ok(mask)
}
