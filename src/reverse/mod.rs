//! The other direction: the seekers who fit a vacancy best, and job alerts
//! for new postings, by the same score as `match`.
//!
//! - [`SeekerIndex`]: saved seekers on disk, with upsert, delete, commit;
//! - [`SeekerMatcher`]: seekers prepared against one vacancy snapshot.
//!   [`SeekerMatcher::candidates`] gives the top n seekers for a vacancy,
//!   exactly (equal to [`SeekerMatcher::candidates_exhaustive`], ties by
//!   seeker id), with hard constraints seen from the vacancy's side: the
//!   vacancy must be in the seeker's reach. A pair's score is the number
//!   `match` gives it, and [`SeekerMatcher::explain`] is `explain`'s. At
//!   each commit of a service, [`SeekerMatcher::renew`] makes the next
//!   state from the one served, reading again only the seekers that
//!   changed.
//! - [`Thresholds`] and [`alerts`]: the saved seekers whose top k a new
//!   vacancy would enter (percolation), exactly: from the seekers' side
//!   (each searched over the feed), or, with the seekers kept prepared,
//!   from the vacancies' side ([`SeekerMatcher::alerts`]: each new vacancy
//!   searched against every seeker's own floor), the same alerts.
//!
//! ```
//! use jobmatch::index::VacancyIndex;
//! use jobmatch::matcher::Matcher;
//! use jobmatch::rank::RankingConfig;
//! use jobmatch::reverse::SeekerMatcher;
//! use jobmatch::{Date, Seeker, Vacancy};
//! let index = VacancyIndex::create_in_ram()?;
//! let mut v = Vacancy::new("v1", "电焊工", "500107".parse()?)?;
//! v.skills = vec!["焊接".into()];
//! index.upsert(&v)?;
//! index.commit()?;
//! let matcher = Matcher::new(index.snapshot()?, RankingConfig::default(), Date::new(2021, 3, 31)?)?;
//! let near = Seeker::new("near", vec!["焊接".into()], "500107".parse()?)?;
//! let far = Seeker::new("far", vec!["焊接".into()], "510104".parse()?)?; // Chengdu, no mobility
//! let seekers = SeekerMatcher::new(matcher, &[near, far])?;
//! let found = seekers.candidates("v1", 10)?;
//! assert_eq!(found.candidates.len(), 1);
//! assert_eq!(found.candidates[0].seeker, "near");
//! # Ok::<(), jobmatch::Error>(())
//! ```

mod alerts;
mod candidates;
mod floors;
mod prepared;
mod store;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::Snapshot;
use crate::matcher::{Components, Explanation, Matcher};
use crate::model::{Seeker, Vacancy};
use crate::rank::SearchStats;
pub use alerts::{Alert, SavedTop, Thresholds, TopEntry};
use alerts::{Feed, alerts_of};
pub use candidates::ReverseStats;
use candidates::{Scored, TopN};
use prepared::Prepared;
pub use store::SeekerIndex;

/// One seeker found for a vacancy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Seeker id.
    pub seeker: String,
    /// The pair's score (what `match` gives it).
    pub score: f64,
    /// The seeker's home to the vacancy, km (rounded to the metre).
    pub distance_km: f64,
    /// Per-signal values.
    pub components: Components,
}

/// The seekers found for one vacancy, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateResult {
    /// Vacancy id.
    pub vacancy: String,
    /// Best first: score descending, then seeker id.
    pub candidates: Vec<Candidate>,
}

/// Seekers prepared against one vacancy snapshot: the reverse search and
/// job alerts. Build a new one after the vacancy index or the saved
/// seekers change. `Send + Sync`.
pub struct SeekerMatcher {
    matcher: Matcher,
    prepared: Prepared,
}

/// A vacancy of `snapshot` as the search reads it, its terms given by
/// `terms` from its segment and doc.
fn vacancy_in<'a>(
    snapshot: &'a Snapshot,
    vacancy: &str,
    terms: impl FnOnce(u32, u32) -> Result<Vec<u32>>,
) -> Result<candidates::Vacancy<'a>> {
    let Some((segment, doc)) = snapshot.find(vacancy)? else {
        return Err(Error::UnknownVacancy {
            id: vacancy.to_owned(),
        });
    };
    let corrupt = || Error::Corrupt {
        reason: format!("vacancy `{vacancy}` found in segment {segment}, which the snapshot lacks"),
    };
    let cols = snapshot.segments().get(segment).ok_or_else(corrupt)?;
    let dense = *cols.region.get(doc as usize).ok_or_else(corrupt)?;
    let county = snapshot
        .reference()
        .gazetteer()
        .by_dense(dense)
        .map(|r| r.code.get())
        .ok_or_else(corrupt)?;
    Ok(candidates::Vacancy {
        cols,
        doc,
        county,
        terms: terms(segment as u32, doc)?,
        values: crate::rank::score::ColumnValues::read(cols, doc),
    })
}

impl SeekerMatcher {
    /// Prepares `seekers` against `matcher`'s snapshot and config (on the
    /// current rayon pool).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming a seeker the matcher refuses, or an id
    /// given twice; [`Error::TooLarge`] for a seeker over the query limits;
    /// an index read failure.
    pub fn new(matcher: Matcher, seekers: &[Seeker]) -> Result<SeekerMatcher> {
        SeekerMatcher::with_progress(matcher, seekers, &|_| {})
    }

    /// As [`SeekerMatcher::new`], calling `progress` with the number of
    /// seekers prepared so far.
    ///
    /// # Errors
    /// As [`SeekerMatcher::new`].
    pub fn with_progress(
        matcher: Matcher,
        seekers: &[Seeker],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<SeekerMatcher> {
        let prepared = Prepared::new(&matcher, seekers, progress, None)?;
        Ok(SeekerMatcher { matcher, prepared })
    }

    /// The state of `seekers` against `matcher`'s snapshot, as
    /// [`SeekerMatcher::new`] makes it, reusing what this one read of the
    /// seekers that have not changed: a service's commit. Their skills,
    /// title words and reach are not read again (nor their places while no
    /// region's vacancies lie farther out than before); what the market's
    /// statistics decide (term weights, related skills, inferred
    /// occupations, bounds) is worked out anew. Nothing is kept when the
    /// reference data or the config differ.
    ///
    /// ```
    /// use jobmatch::index::VacancyIndex;
    /// use jobmatch::matcher::Matcher;
    /// use jobmatch::rank::RankingConfig;
    /// use jobmatch::reverse::SeekerMatcher;
    /// use jobmatch::{Date, Seeker, Vacancy};
    /// let index = VacancyIndex::create_in_ram()?;
    /// let mut v = Vacancy::new("v1", "电焊工", "500107".parse()?)?;
    /// v.skills = vec!["焊接".into()];
    /// index.upsert(&v)?;
    /// index.commit()?;
    /// let today = Date::new(2021, 3, 31)?;
    /// let saved = [Seeker::new("s1", vec!["电焊".into()], "500107".parse()?)?];
    /// let served = SeekerMatcher::new(Matcher::new(index.snapshot()?, RankingConfig::default(), today)?, &saved)?;
    ///
    /// // A second welding vacancy is committed: the served state is renewed.
    /// let mut v = Vacancy::new("v2", "焊工", "500107".parse()?)?;
    /// v.skills = vec!["焊接".into()];
    /// index.upsert(&v)?;
    /// index.commit()?;
    /// let matcher = Matcher::new(index.snapshot()?, RankingConfig::default(), today)?;
    /// let served = served.renew(matcher, &saved)?;
    /// assert_eq!(served.candidates("v2", 5)?.candidates[0].seeker, "s1");
    /// # Ok::<(), jobmatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`SeekerMatcher::new`].
    pub fn renew(&self, matcher: Matcher, seekers: &[Seeker]) -> Result<SeekerMatcher> {
        let same = matcher.config() == self.matcher.config()
            && matcher
                .snapshot()
                .reference()
                .is(self.matcher.snapshot().reference());
        let prepared = Prepared::new(&matcher, seekers, &|_| {}, same.then_some(&self.prepared))?;
        Ok(SeekerMatcher { matcher, prepared })
    }

    /// The vacancy-side matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Seekers prepared.
    pub fn num_seekers(&self) -> usize {
        self.prepared.seekers.len()
    }

    /// A vacancy of the snapshot as the search reads it.
    fn locate(&self, vacancy: &str) -> Result<candidates::Vacancy<'_>> {
        vacancy_in(self.matcher.snapshot(), vacancy, |segment, doc| {
            self.prepared.vacancy_terms(self.matcher.snapshot(), segment, doc)
        })
    }

    fn check_n(&self, n: usize) -> Result<()> {
        let max = self.matcher.config().max_k;
        if n > max {
            return Err(Error::TooLarge {
                what: "n",
                limit: max,
                actual: n,
            });
        }
        Ok(())
    }

    fn result(&self, vacancy: &str, top: TopN<'_>) -> CandidateResult {
        let weights = self
            .prepared
            .seekers
            .first()
            .map(|s| s.q.weights)
            .unwrap_or_default();
        CandidateResult {
            vacancy: vacancy.to_owned(),
            candidates: top
                .into_entries()
                .into_iter()
                .map(|s: Scored| Candidate {
                    seeker: self
                        .prepared
                        .ids
                        .get(s.seeker as usize)
                        .cloned()
                        .unwrap_or_default(),
                    score: s.score,
                    distance_km: (s.km * 1000.0).round() / 1000.0,
                    components: Components {
                        values: s.signals,
                        weights,
                    },
                })
                .collect(),
        }
    }

    /// The `n` seekers who fit a vacancy best, among those whose reach
    /// includes it.
    ///
    /// # Errors
    /// [`Error::UnknownVacancy`]; [`Error::TooLarge`] when `n` exceeds the
    /// config's `max_k`.
    pub fn candidates(&self, vacancy: &str, n: usize) -> Result<CandidateResult> {
        self.candidates_with_stats(vacancy, n).map(|(r, _)| r)
    }

    /// As [`SeekerMatcher::candidates`], also returning the work done.
    ///
    /// # Errors
    /// As [`SeekerMatcher::candidates`].
    pub fn candidates_with_stats(&self, vacancy: &str, n: usize) -> Result<(CandidateResult, ReverseStats)> {
        self.check_n(n)?;
        let at = self.locate(vacancy)?;
        let mut stats = ReverseStats::default();
        let top = candidates::search(&self.prepared, &at, n, &mut stats);
        Ok((self.result(vacancy, top), stats))
    }

    /// The `n` seekers who fit best a vacancy that is not in the index (a
    /// draft an employer is writing, or a posting from elsewhere), scored
    /// against the indexed market as it stands: a vacancy indexed with the
    /// same fields gets the same candidates and scores.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the vacancy's bad field;
    /// [`Error::TooLarge`] when `n` exceeds the config's `max_k`.
    pub fn candidates_for(&self, vacancy: &Vacancy, n: usize) -> Result<CandidateResult> {
        self.check_n(n)?;
        let feed = Feed::new(&self.matcher, std::slice::from_ref(vacancy))?;
        let terms = self.prepared.terms_in(feed.snapshot())?;
        let at = vacancy_in(feed.snapshot(), &vacancy.id, |segment, doc| {
            Ok(terms.of(segment, doc))
        })?;
        // A draft farther from its region's centre than any vacancy the
        // seekers were listed by: every seeker is scored.
        let top = if self.prepared.covers(at.cols, at.doc) {
            candidates::search(&self.prepared, &at, n, &mut ReverseStats::default())
        } else {
            candidates::exhaustive(&self.prepared, &at, n)
        };
        Ok(self.result(&vacancy.id, top))
    }

    /// The alerts of a feed against the seekers this matcher was prepared
    /// with (those `thresholds` were computed for): the same alerts, in
    /// the same order, as [`alerts`] over [`SeekerMatcher::matcher`] and
    /// those seekers, found from each new vacancy's side. Each vacancy is
    /// searched over the prepared seekers' lists against every seeker's own
    /// floor (the k-th score of their saved top), the feed in parallel on
    /// the current rayon pool; nothing is prepared again, so a service
    /// that keeps its saved seekers prepared pays only the search. The
    /// feed is scored against the market as it stands, as
    /// [`SeekerMatcher::candidates_for`] scores a draft.
    ///
    /// # Errors
    /// As [`alerts`].
    pub fn alerts(&self, thresholds: &Thresholds, feed: &[Vacancy]) -> Result<Vec<Alert>> {
        self.alerts_with_stats(thresholds, feed).map(|(a, _)| a)
    }

    /// As [`SeekerMatcher::alerts`], with the work done (summed over the
    /// feed).
    ///
    /// # Errors
    /// As [`alerts`].
    pub fn alerts_with_stats(
        &self,
        thresholds: &Thresholds,
        feed: &[Vacancy],
    ) -> Result<(Vec<Alert>, ReverseStats)> {
        alerts_allowed(&self.matcher)?;
        if feed.is_empty() || thresholds.k() == 0 {
            return Ok((Vec::new(), ReverseStats::default()));
        }
        let p = &self.prepared;
        let indexed = Feed::new(&self.matcher, feed)?;
        let terms = p.terms_in(indexed.snapshot())?;
        let floors = floors::Floors::new(p, |i| p.ids.get(i).and_then(|id| thresholds.floor(id)));
        // Each id once (a later line of the same id replaced the earlier in
        // the feed's index).
        let mut seen = std::collections::HashSet::with_capacity(feed.len());
        let ids: Vec<&str> = feed
            .iter()
            .map(|v| v.id.as_str())
            .filter(|id| seen.insert(*id))
            .collect();
        // Per new vacancy: (seeker number, alert), and the work done.
        type Found = (Vec<(u32, Alert)>, ReverseStats);
        let per: Vec<Result<Found>> = ids
            .par_iter()
            .map(|&id| {
                let at = vacancy_in(indexed.snapshot(), id, |segment, doc| Ok(terms.of(segment, doc)))?;
                let mut stats = ReverseStats::default();
                // Farther from its region's centre than any vacancy the
                // seekers were listed by: every seeker is scored.
                let exhaustive = !p.covers(at.cols, at.doc);
                let found = floors::search(p, &at, &floors, exhaustive, &mut stats);
                let alerts = found
                    .into_iter()
                    .filter_map(|s| {
                        let seeker = p.ids.get(s.seeker as usize)?;
                        thresholds.would_enter(seeker, id, s.score).then(|| {
                            (
                                s.seeker,
                                Alert {
                                    seeker: seeker.clone(),
                                    vacancy: id.to_owned(),
                                    score: s.score,
                                    replaces: thresholds.replaced(seeker),
                                },
                            )
                        })
                    })
                    .collect();
                Ok((alerts, stats))
            })
            .collect();
        let (mut all, mut stats) = (Vec::new(), ReverseStats::default());
        for r in per {
            let (alerts, st) = r?;
            stats += st;
            all.extend(alerts);
        }
        // As `alerts` gives them: by seeker, each seeker's best first
        // (the forward order: score, then vacancy id).
        all.sort_unstable_by(|(a, x), (b, y)| {
            a.cmp(b)
                .then(y.score.total_cmp(&x.score))
                .then_with(|| x.vacancy.cmp(&y.vacancy))
        });
        Ok((all.into_iter().map(|(_, a)| a).collect(), stats))
    }

    /// The same by scoring every seeker: the reference the search must
    /// equal, and the benchmarks' baseline.
    ///
    /// # Errors
    /// As [`SeekerMatcher::candidates`].
    pub fn candidates_exhaustive(&self, vacancy: &str, n: usize) -> Result<CandidateResult> {
        self.check_n(n)?;
        let at = self.locate(vacancy)?;
        let top = candidates::exhaustive(&self.prepared, &at, n);
        Ok(self.result(vacancy, top))
    }

    /// Every signal of a pair from the vacancy's side, or why the vacancy
    /// is out of the seeker's reach: `explain`'s answer, so the two
    /// directions never disagree.
    ///
    /// # Errors
    /// As [`Matcher::explain`].
    pub fn explain(&self, seeker: &Seeker, vacancy: &str) -> Result<Explanation> {
        self.matcher.explain(seeker, vacancy)
    }
}

/// The alerts of a feed of new or changed vacancies: for each saved seeker
/// (in order), every vacancy of the feed that would enter their top k
/// ([`Thresholds::would_enter`]), best score first. Seekers in parallel on
/// the current rayon pool. Thresholds are not changed:
/// [`Thresholds::accept`] the alerts delivered.
///
/// Scores are prepared against `matcher`'s snapshot: give it the market
/// with the feed added, and they are the scores `match` then gives (IDF
/// moves a little with every commit, so recompute saved tops
/// ([`Thresholds::compute`]) when the market has moved).
///
/// The saved tops and the alerts are in each seeker's own reach (as
/// [`Matcher::match_one`] without broadening).
///
/// # Errors
/// [`Error::Invalid`] naming a vacancy of the feed or a seeker that is
/// invalid; [`Error::Config`] when the config caps results per employer;
/// an index failure.
pub fn alerts(
    matcher: &Matcher,
    seekers: &[Seeker],
    thresholds: &Thresholds,
    feed: &[Vacancy],
) -> Result<Vec<Alert>> {
    alerts_by(matcher, seekers, thresholds, feed, false)
}

/// The same by scoring every vacancy of the feed for every saved seeker:
/// the reference.
///
/// # Errors
/// As [`alerts`].
pub fn alerts_exhaustive(
    matcher: &Matcher,
    seekers: &[Seeker],
    thresholds: &Thresholds,
    feed: &[Vacancy],
) -> Result<Vec<Alert>> {
    alerts_by(matcher, seekers, thresholds, feed, true)
}

/// Alerts need every vacancy's score alone to decide whether it enters.
fn alerts_allowed(matcher: &Matcher) -> Result<()> {
    if matcher.config().max_per_employer.is_some() {
        return Err(Error::Config {
            reason: "alerts need max_per_employer unset: with a cap per employer, whether a vacancy enters a top k depends on the employers of the others".into(),
        });
    }
    Ok(())
}

fn alerts_by(
    matcher: &Matcher,
    seekers: &[Seeker],
    thresholds: &Thresholds,
    feed: &[Vacancy],
    exhaustive: bool,
) -> Result<Vec<Alert>> {
    alerts_allowed(matcher)?;
    if feed.is_empty() || thresholds.k() == 0 {
        return Ok(Vec::new());
    }
    let feed = Feed::new(matcher, feed)?;
    let per: Vec<Result<Vec<Alert>>> = seekers
        .par_iter()
        .map(|s| {
            alerts_of(
                matcher,
                &feed,
                thresholds,
                s,
                exhaustive,
                &mut SearchStats::default(),
            )
        })
        .collect();
    let mut out = Vec::new();
    for r in per {
        out.extend(r?);
    }
    Ok(out)
}
