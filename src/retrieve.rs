//! Retrieval: which vacancies a seeker can reach, and which share a term.
//!
//! Reach is a hard constraint: a vacancy is in reach when it is remote, within
//! the seeker's commute radius, or in a region the seeker would move to
//! (within `max_km`), or anywhere within `max_km` for a seeker who relocates.
//! Segments are sorted by region (remote first), so `Reach::ranges` turns
//! reach into a few doc-id ranges per segment; a region is skipped only when
//! a proven lower bound on its vacancies' distance rules it out.

// Indexing here cannot panic: doc ids are below `max_doc`, the length of every column; dense regions
// below the gazetteer's size, the length of `moves_to`.
#![allow(clippy::indexing_slicing)]

use std::ops::Range;

use serde::Serialize;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, TERMINATED};

use crate::error::{Error, Result};
use crate::index::columns::NONE_U32;
use crate::index::{SegmentColumns, Snapshot};
use crate::model::Seeker;
use crate::region::{Gazetteer, Point, RegionPrefix};

/// A seeker's reach, prepared once per query.
#[derive(Debug, Clone)]
pub(crate) struct Reach {
    home: Point,
    commute_km: f64,
    max_move_km: f64,
    /// Per dense region: would the seeker move there.
    moves_to: std::sync::Arc<[bool]>,
    home_province: u32,
    /// The gazetteer whose dense region ids the index's columns hold.
    gazetteer: &'static Gazetteer,
}

/// Why a vacancy can never be returned to a seeker: the hard constraints,
/// all checked in `Constraints::admit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Exclusion {
    /// Its expiry date is before the day ranked.
    Expired,
    /// Beyond the commute radius and not where the seeker would move.
    OutOfReach {
        /// Its distance from the seeker's home, km.
        km: f64,
        /// The commute radius it was checked against, km.
        commute_km: f64,
    },
    /// It pays less than the seeker's minimum (when the ranking config
    /// makes that a constraint).
    SalaryBelowMinimum,
}

impl std::fmt::Display for Exclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exclusion::Expired => f.write_str("expired: its expiry date is before today"),
            Exclusion::OutOfReach { km, commute_km } => write!(
                f,
                "out of reach: {km:.1} km away, beyond the {commute_km:.0} km commute and not in a region the seeker would move to"
            ),
            Exclusion::SalaryBelowMinimum => f.write_str("pays less than the seeker's minimum salary"),
        }
    }
}

/// Every hard constraint on what a seeker may be shown, prepared once per
/// query: reach, expiry and (when configured) the minimum salary.
#[derive(Debug, Clone)]
pub(crate) struct Constraints {
    /// Where the seeker can work.
    pub reach: Reach,
    /// The day ranked, days since epoch: vacancies expiring before it are out.
    today: i32,
    /// A salary below this is out (`None` when salary is graded, not a
    /// constraint).
    salary_min: Option<u32>,
}

impl Constraints {
    /// The constraints of a reach as of `today` (days since epoch), with a
    /// minimum salary when it is a hard constraint.
    pub fn new(reach: Reach, today: i32, salary_min: Option<u32>) -> Constraints {
        Constraints {
            reach,
            today,
            salary_min,
        }
    }

    /// Whether a doc passes every constraint; on success, its distance in km.
    #[inline]
    pub fn admit(&self, cols: &SegmentColumns, doc: u32) -> Result<f64, Exclusion> {
        let d = doc as usize;
        if cols.expires[d] < self.today {
            return Err(Exclusion::Expired);
        }
        let km = self.reach.distance_km(cols, doc);
        if !self.reach.admits(doc < cols.remote_end, cols.region[d], km) {
            return Err(Exclusion::OutOfReach {
                km,
                commute_km: self.reach.commute_km,
            });
        }
        if let Some(min) = self.salary_min {
            let pay = cols.pay[d];
            if pay != NONE_U32 && pay < min {
                return Err(Exclusion::SalaryBelowMinimum);
            }
        }
        Ok(km)
    }
}

/// A doc-id range to visit, with what reach says about its vacancies.
#[derive(Debug, Clone)]
pub(crate) struct ReachRange {
    /// Doc ids.
    pub docs: Range<u32>,
    /// Lower bound on the distance of its vacancies (0 for remote ones).
    pub min_km: f64,
    /// The seeker would move to its region (false for the remote range).
    pub moves_to: bool,
    /// Province (2 digits) of its region; 0 for the remote range.
    pub province: u32,
    /// The remote vacancies' range.
    pub remote: bool,
    /// Dense region of the range (0 for the remote range).
    pub region: u16,
}

impl Reach {
    /// The reach of a seeker (optionally with a widened commute radius or
    /// extra prefixes the seeker would move to).
    pub fn new(
        seeker: &Seeker,
        commute_km: f64,
        extra_moves: &[RegionPrefix],
        gazetteer: &'static Gazetteer,
    ) -> Reach {
        let pos = seeker.position();
        let m = &seeker.mobility;
        let moves_to = gazetteer.moves_table(m.relocate, m.regions.iter().chain(extra_moves));
        Reach {
            home: Point::new(pos.lat(), pos.lon()),
            commute_km,
            max_move_km: m.max_km.unwrap_or(f64::INFINITY),
            moves_to,
            home_province: seeker.region.get() / 10_000,
            gazetteer,
        }
    }

    /// The seeker's province (2 digits).
    pub fn home_province(&self) -> u32 {
        self.home_province
    }

    /// Per dense region: would the seeker move there (shared, so that many
    /// seekers with the same wishes hold one table).
    pub fn moves_to_mut(&mut self) -> &mut std::sync::Arc<[bool]> {
        &mut self.moves_to
    }

    /// The commute radius in km.
    pub fn commute_km(&self) -> f64 {
        self.commute_km
    }

    /// Distance from home to a doc.
    #[inline]
    pub fn distance_km(&self, cols: &SegmentColumns, doc: u32) -> f64 {
        self.home
            .distance_km(cols.lat[doc as usize], cols.lon[doc as usize])
    }

    /// Distance from home to a position.
    #[inline]
    pub fn distance_to(&self, lat: f32, lon: f32) -> f64 {
        self.home.distance_km(lat, lon)
    }

    /// Whether a doc at `km` in dense region `region` is in reach (remote
    /// docs always are).
    #[inline]
    pub fn admits(&self, remote: bool, region: u16, km: f64) -> bool {
        remote || km <= self.commute_km || (km <= self.max_move_km && self.moves_to[usize::from(region)])
    }

    /// Whether a vacancy at least `min_km` away may be in reach, in a region
    /// the seeker would move to or not.
    #[inline]
    pub fn may_reach(&self, min_km: f64, moves_to: bool) -> bool {
        min_km <= self.commute_km || (moves_to && min_km <= self.max_move_km)
    }

    /// The doc ranges of a segment that may hold vacancies in reach, in doc
    /// order. A region is left out only when the lower bound on its
    /// vacancies' distance (centroid distance minus the region's radius in
    /// the segment) exceeds both the commute radius and the move limit.
    pub fn ranges(&self, cols: &SegmentColumns) -> Vec<ReachRange> {
        let gaz = self.gazetteer;
        let mut out = Vec::new();
        if cols.remote_end > 0 {
            out.push(ReachRange {
                docs: 0..cols.remote_end,
                min_km: 0.0,
                moves_to: false,
                province: 0,
                remote: true,
                region: 0,
            });
        }
        for (dense, docs) in cols.region_ranges.iter().enumerate() {
            if docs.is_empty() {
                continue;
            }
            let Some(region) = gaz.by_dense(dense as u16) else {
                continue;
            };
            let c = region.centroid;
            let centre_km = self.home.distance_km(c.lat() as f32, c.lon() as f32);
            // The centroid went through f32 like the columns; allow a metre
            // for rounding in the bound.
            let min_km = (centre_km - cols.region_radius_km[dense] - 1e-3).max(0.0);
            let moves_to = self.moves_to[dense] && min_km <= self.max_move_km;
            if min_km <= self.commute_km || moves_to {
                out.push(ReachRange {
                    docs: docs.clone(),
                    min_km,
                    moves_to,
                    province: region.code.get() / 10_000,
                    remote: false,
                    region: dense as u16,
                });
            }
        }
        out.sort_by_key(|r| r.docs.start);
        out
    }
}

/// Moves postings to the first doc ≥ `target` (never backwards: tantivy's
/// `seek` requires a target at or after the current doc).
#[inline]
pub(crate) fn seek_to(postings: &mut impl DocSet, target: u32) -> u32 {
    if postings.doc() < target {
        postings.seek(target)
    } else {
        postings.doc()
    }
}

/// A retrieved candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Vacancy id.
    pub vacancy: String,
    /// Distance from the seeker's home, km.
    pub distance_km: f64,
    /// The seeker's skill and title terms the vacancy holds.
    pub terms: Vec<String>,
}

/// Every vacancy in reach of a seeker, not expired on `today`, that shares
/// at least one canonical skill or title term with the seeker, sorted by id:
/// the candidate set ranking starts from (ranking also credits vacancies
/// sharing no term, on the other signals).
///
/// # Errors
/// [`Error::Index`] on a read failure.
pub fn candidates(snapshot: &Snapshot, seeker: &Seeker, today: crate::Date) -> Result<Vec<Candidate>> {
    let reference = snapshot.reference();
    let (skill_terms, title_terms) =
        crate::index::terms::seeker_terms(snapshot.fields(), seeker, reference.skills(), None);
    let constraints = Constraints::new(
        Reach::new(seeker, seeker.commute_km, &[], reference.gazetteer()),
        today.days_since_epoch(),
        None,
    );
    let reach = &constraints.reach;
    let mut out = Vec::new();
    for (seg_ord, seg) in snapshot.segment_readers().iter().enumerate() {
        let cols = &snapshot.segments()[seg_ord];
        let ranges = reach.ranges(cols);
        let mut hits: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
        for (_, term, text) in skill_terms.iter().chain(&title_terms) {
            let inv = seg.inverted_index(term.field())?;
            let Some(mut postings) = inv
                .read_postings(term, IndexRecordOption::Basic)
                .map_err(Error::io_unnamed)?
            else {
                continue;
            };
            for range in &ranges {
                let mut doc = seek_to(&mut postings, range.docs.start);
                while doc != TERMINATED && doc < range.docs.end {
                    hits.entry(doc).or_default().push(text.clone());
                    doc = postings.advance();
                }
            }
        }
        for (doc, matched) in hits {
            if seg.is_deleted(doc) {
                continue;
            }
            let Ok(km) = constraints.admit(cols, doc) else {
                continue;
            };
            out.push(Candidate {
                vacancy: cols.id(doc),
                distance_km: km,
                terms: matched,
            });
        }
    }
    out.sort_by(|a, b| a.vacancy.cmp(&b.vacancy));
    Ok(out)
}
