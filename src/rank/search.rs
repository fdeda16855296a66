//! The two ways to the top k: a pruned search over the postings of the
//! seeker's terms, and the exhaustive scan it must agree with.
//!
//! The pruned search is MaxScore (Turtle & Flood, 1995) extended with the
//! non-term signals. Each query term has an upper bound `ub` on what it can
//! add; every doc-id range in reach has an upper bound `rest` on all other
//! signals (its location bound comes from the range's least possible
//! distance). Terms sorted by `ub`, the longest prefix whose bounds sum with
//! `rest` below the current k-th score θ is *non-essential*: a vacancy
//! holding only those terms cannot enter the top k, so only the essential
//! terms' postings are walked and the others are probed for the candidates
//! found. A candidate is scored only when its bound reaches θ. Vacancies
//! holding none of the terms can still enter on the other signals; they are
//! scanned afterwards, and only in ranges whose `rest` bound reaches the
//! final θ. Every skip compares a proven upper bound with θ, with a margin
//! of 1e-9 for floating-point rounding, so nothing that could enter the
//! top k (ties included) is skipped.

use tantivy::postings::SegmentPostings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, SegmentReader, TERMINATED};

use super::query::Query;
use super::signal::{admit, rest_bound, score, signals};
use super::topk::{Entry, TopK};
use crate::error::{Error, Result};
use crate::index::{SegmentColumns, Snapshot};
use crate::retrieve::{ReachRange, seek_to};

/// Margin for floating-point rounding when comparing bounds with θ.
const EPS: f64 = 1e-9;

/// Work done by one search, for benchmarks and tuning.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    /// Vacancies whose full score was computed.
    pub scored: u64,
    /// Postings entries visited on essential lists.
    pub postings: u64,
    /// Vacancies visited by the scan for vacancies holding no query term.
    pub scanned: u64,
}

struct Cursor {
    postings: SegmentPostings,
    term: usize,
    ub: f64,
}

fn open_cursors(q: &Query, seg: &SegmentReader) -> Result<Vec<Cursor>> {
    let mut out = Vec::with_capacity(q.terms.len());
    for (i, t) in q.terms.iter().enumerate() {
        let inv = seg.inverted_index(t.term.field())?;
        if let Some(postings) = inv
            .read_postings(&t.term, IndexRecordOption::Basic)
            .map_err(|e| Error::Index(e.to_string()))?
        {
            out.push(Cursor {
                postings,
                term: i,
                ub: t.ub,
            });
        }
    }
    Ok(out)
}

/// Scores an admitted doc and offers it.
#[inline]
fn offer(q: &Query, cols: &SegmentColumns, seg: u32, doc: u32, km: f64, mask: u128, top: &mut TopK<'_>) {
    let s = signals(q, cols, doc, km, mask);
    let sc = score(q, &s);
    if sc < top.threshold() {
        return;
    }
    top.offer(Entry {
        score: sc,
        segment: seg,
        doc,
        ord: cols.id_ord(doc),
        employer: cols.employer[doc as usize],
        km,
        components: s,
    });
}

fn range_rest(q: &Query, r: &ReachRange) -> f64 {
    let prior = if r.remote {
        0.0
    } else {
        q.prior[usize::from(r.region)]
    };
    rest_bound(q, r.remote, r.min_km, r.moves_to, prior)
}

/// The pruned search.
pub(crate) fn search(
    snapshot: &Snapshot,
    q: &Query,
    top: &mut TopK<'_>,
    stats: &mut SearchStats,
) -> Result<()> {
    let readers = snapshot.searcher().segment_readers();
    let mut fallback: Vec<(usize, ReachRange, f64)> = Vec::new();
    for (si, seg) in readers.iter().enumerate() {
        let cols = &snapshot.segments()[si];
        let ranges = q.reach.ranges(cols);
        if ranges.is_empty() {
            continue;
        }
        let mut cursors = open_cursors(q, seg)?;
        cursors.sort_by(|a, b| a.ub.total_cmp(&b.ub).then(a.term.cmp(&b.term)));
        for range in ranges {
            let rest = range_rest(q, &range);
            walk_range(q, seg, cols, si as u32, &range, rest, &mut cursors, top, stats);
            fallback.push((si, range, rest));
        }
    }
    // Vacancies holding no query term, where the other signals alone could
    // still reach the k-th score.
    for (si, range, rest) in fallback {
        if rest + EPS < top.threshold() {
            continue;
        }
        let seg = &readers[si];
        let cols = &snapshot.segments()[si];
        let mut cursors = open_cursors(q, seg)?;
        for doc in range.docs.clone() {
            if rest + EPS < top.threshold() {
                break;
            }
            if seg.is_deleted(doc) {
                continue;
            }
            stats.scanned += 1;
            let holds_term = cursors.iter_mut().any(|c| seek_to(&mut c.postings, doc) == doc);
            if holds_term {
                continue; // handled (scored or soundly pruned) by the walk
            }
            if let Ok(km) = admit(q, cols, doc) {
                stats.scored += 1;
                offer(q, cols, si as u32, doc, km, 0, top);
            }
        }
    }
    Ok(())
}

/// MaxScore over one doc range of one segment.
#[allow(clippy::too_many_arguments)]
fn walk_range(
    q: &Query,
    seg: &SegmentReader,
    cols: &SegmentColumns,
    si: u32,
    range: &ReachRange,
    rest: f64,
    cursors: &mut [Cursor],
    top: &mut TopK<'_>,
    stats: &mut SearchStats,
) {
    for c in cursors.iter_mut() {
        seek_to(&mut c.postings, range.docs.start);
    }
    let mut non_essential = 0;
    let mut ne_bound = 0.0;
    loop {
        let theta = top.threshold();
        while non_essential < cursors.len() && ne_bound + cursors[non_essential].ub + rest + EPS < theta {
            ne_bound += cursors[non_essential].ub;
            non_essential += 1;
        }
        let essential = &cursors[non_essential..];
        if essential.is_empty() {
            return;
        }
        let doc = essential
            .iter()
            .map(|c| c.postings.doc())
            .min()
            .unwrap_or(TERMINATED);
        if doc == TERMINATED || doc >= range.docs.end {
            return;
        }
        stats.postings += 1;
        let mut bound = ne_bound + rest;
        let mut mask: u128 = 0;
        for c in essential {
            if c.postings.doc() == doc {
                bound += c.ub;
                mask |= 1 << c.term;
            }
        }
        if bound + EPS >= theta
            && !seg.is_deleted(doc)
            && let Ok(km) = admit(q, cols, doc)
        {
            for c in cursors[..non_essential].iter_mut() {
                if seek_to(&mut c.postings, doc) == doc {
                    mask |= 1 << c.term;
                }
            }
            stats.scored += 1;
            offer(q, cols, si, doc, km, mask, top);
        }
        for c in cursors[non_essential..].iter_mut() {
            if c.postings.doc() == doc {
                c.postings.advance();
            }
        }
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
    for (si, seg) in snapshot.searcher().segment_readers().iter().enumerate() {
        let cols = &snapshot.segments()[si];
        let mut cursors = open_cursors(q, seg)?;
        for doc in 0..cols.max_doc {
            if seg.is_deleted(doc) {
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
            offer(q, cols, si as u32, doc, km, mask, top);
        }
    }
    Ok(())
}

/// The term mask of one doc (for explanations).
pub(crate) fn mask_of(q: &Query, seg: &SegmentReader, doc: u32) -> Result<u128> {
    let mut mask = 0;
    for mut c in open_cursors(q, seg)? {
        if seek_to(&mut c.postings, doc) == doc {
            mask |= 1 << c.term;
        }
    }
    Ok(mask)
}
