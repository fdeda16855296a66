//! The engine's front door: rank vacancies for seekers, one or many, and
//! explain any score.
//!
//! ```
//! use jobmatch::index::VacancyIndex;
//! use jobmatch::matcher::Matcher;
//! use jobmatch::rank::RankingConfig;
//! use jobmatch::{Date, Seeker, Vacancy};
//! let index = VacancyIndex::create_in_ram()?;
//! for (id, title, skill, region) in [("v1", "焊工", "电焊", "500107"), ("v2", "会计", "会计", "500107"), ("v3", "焊工", "焊接", "510104")] {
//!     let mut v = Vacancy::new(id, title, region.parse()?)?;
//!     v.skills = vec![skill.into()];
//!     index.upsert(&v)?;
//! }
//! index.commit()?;
//! let matcher = Matcher::new(index.snapshot()?, RankingConfig::default(), Date::new(2021, 3, 31)?)?;
//! let seeker = Seeker::new("s1", vec!["焊接".into()], "500107".parse()?)?;
//! let result = matcher.match_one(&seeker, 10)?;
//! assert_eq!(result.matches[0].vacancy, "v1"); // v3 is in Chengdu, out of reach
//! assert_eq!(result.matches.len(), 2);
//! # Ok::<(), jobmatch::Error>(())
//! ```

mod result;
mod theta;

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::error::{Error, Result, guarded};
use crate::index::Snapshot;
use crate::index::inferred::OccupationModel;
use crate::index::memo::TextMemo;
use crate::model::{Date, Seeker};
use crate::rank::RankingConfig;
use crate::rank::query::{Context, Query, QueryTables, Read};
use crate::rank::related::SkillRelations;
use crate::rank::score::{admit, score, signals};
use crate::rank::search::{self, Allowance, SearchStats};
use crate::rank::signal::{Freshness, Signal, Signals};
use crate::rank::topk::{Entry, TopK};
use crate::rank::trades;
use crate::region::RegionPrefix;
pub use crate::retrieve::Exclusion;
use result::round6;
pub use result::{Components, Explanation, Match, MatchResult, SignalExplanation, TermCredit, Widening};
use theta::ThetaEstimate;

/// Ranks vacancies of one snapshot for seekers. `Send + Sync`: share one
/// across threads (e.g. in an `Arc`); build a new one after a commit to see it.
pub struct Matcher {
    snapshot: Snapshot,
    config: RankingConfig,
    today: Date,
    related: Option<SkillRelations>,
    /// Occupations of skills, for seekers who give none: learned when a
    /// query first needs it (many markets never do: every seeker gives a
    /// code or a title), so opening stays fast.
    occupations: OnceLock<Arc<OccupationModel>>,
    /// Held while the occupation model is learned: one thread learns, the
    /// others needing it wait rather than learn it again.
    learning: std::sync::Mutex<()>,
    /// The freshness curve as of `today`: seeker-independent, so tabulated
    /// here once rather than per query.
    freshness: Arc<Freshness>,
    /// What k-th scores recent seekers got, for the search's first floor.
    theta: ThetaEstimate,
    /// Tables the queries share (priors, requirement tables).
    tables: QueryTables,
}

impl Matcher {
    /// A matcher over a snapshot with a config, ranking as of `today`
    /// (expiry and freshness; no clock is read).
    ///
    /// # Errors
    /// [`Error::Config`] when the config is invalid.
    pub fn new(snapshot: Snapshot, config: RankingConfig, today: Date) -> Result<Matcher> {
        config.validate()?;
        let related = if config.related_per_skill > 0 {
            Some(SkillRelations::learn(
                &snapshot,
                config.related_per_skill,
                config.related_min,
            )?)
        } else {
            None
        };
        let freshness = Arc::new(Freshness::new(
            today.days_since_epoch(),
            config.freshness_half_life_days,
        ));
        let tables = QueryTables::new(&config, snapshot.reference());
        Ok(Matcher {
            snapshot,
            config,
            today,
            related,
            occupations: OnceLock::new(),
            learning: std::sync::Mutex::new(()),
            freshness,
            theta: ThetaEstimate::default(),
            tables,
        })
    }

    /// The snapshot ranked.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The day it ranks as of (expiry and freshness).
    pub fn today(&self) -> Date {
        self.today
    }

    /// The config.
    pub fn config(&self) -> &RankingConfig {
        &self.config
    }

    /// The skill relatedness learned from the snapshot (none when
    /// `related_per_skill` is 0).
    pub fn skill_relations(&self) -> Option<&SkillRelations> {
        self.related.as_ref()
    }

    /// The skill → occupation model of the snapshot (none when
    /// `infer_occupation` is off), learned now if no query has needed it
    /// yet.
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure while learning.
    pub fn occupation_model(&self) -> Result<Option<&OccupationModel>> {
        if !self.config.infer_occupation {
            return Ok(None);
        }
        self.market_model().map(|m| Some(&**m))
    }

    /// The skill → occupation model of the snapshot whatever the config
    /// says (vacancies scored against the market are inferred with it).
    pub(crate) fn market_model(&self) -> Result<&Arc<OccupationModel>> {
        if let Some(m) = self.occupations.get() {
            return Ok(m);
        }
        // One thread learns; the others wait for it (learning takes a
        // while on a large market, and a fresh matcher meets many seekers
        // at once). A poisoned lock only means a learner panicked: learn.
        let _learning = self.learning.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = self.occupations.get() {
            return Ok(m);
        }
        let learned = Arc::new(OccupationModel::learn(&self.snapshot)?);
        Ok(self.occupations.get_or_init(|| learned))
    }

    fn check_k(&self, k: usize) -> Result<()> {
        if k > self.config.max_k {
            return Err(Error::TooLarge {
                what: "k",
                limit: self.config.max_k,
                actual: k,
            });
        }
        Ok(())
    }

    fn query(&self, seeker: &Seeker, commute_km: f64, extra: &[RegionPrefix]) -> Result<Query> {
        self.query_with(seeker, commute_km, extra, None)
    }

    /// [`Matcher::query`], reading the seeker's texts from its batch's
    /// memo when given.
    fn query_with(
        &self,
        seeker: &Seeker,
        commute_km: f64,
        extra: &[RegionPrefix],
        memo: Option<&TextMemo>,
    ) -> Result<Query> {
        self.in_context(memo, |cx| Query::new(cx, seeker, commute_km, extra))
    }

    /// A seeker prepared from what was read of it before ([`Read`]: the
    /// reverse direction keeps it between commits), reading the
    /// frequencies of its terms from `memo`. The query is the one
    /// [`Matcher::prepare_in`] makes, but for the labels the read kept.
    pub(crate) fn prepare_read(&self, seeker: &Seeker, read: Read, memo: &TextMemo) -> Result<Query> {
        self.in_context(Some(memo), |cx| Query::from_read(cx, seeker, read))
    }

    /// Calls `f` with the context this matcher's queries are made in.
    pub(crate) fn in_context<T>(&self, memo: Option<&TextMemo>, f: impl FnOnce(&Context<'_>) -> T) -> T {
        let learn = || self.occupation_model();
        let cx = Context {
            snapshot: &self.snapshot,
            config: &self.config,
            related: self.related.as_ref(),
            occupations: &learn,
            freshness: &self.freshness,
            today: self.today.days_since_epoch(),
            tables: &self.tables,
            memo,
        };
        f(&cx)
    }

    fn run(
        &self,
        q: &Query,
        k: usize,
        exhaustive: bool,
        stats: &mut SearchStats,
        allow: &Allowance,
    ) -> Result<Vec<Entry>> {
        self.run_shared(q, k, None, exhaustive, stats, allow)
    }

    /// As [`Matcher::run`]; with `share = Some((places, trades))`, the `k`
    /// found are a pool for [`trades::share`] to cut to `places` shared
    /// among `trades`, and the pruned search holds only what it may pick
    /// (the exhaustive scan, the reference, holds the whole pool).
    fn run_shared(
        &self,
        q: &Query,
        k: usize,
        share: Option<(usize, &[u32])>,
        exhaustive: bool,
        stats: &mut SearchStats,
        allow: &Allowance,
    ) -> Result<Vec<Entry>> {
        let mut top = TopK::new(k, self.config.max_per_employer, self.snapshot.segments());
        if exhaustive {
            search::scan(&self.snapshot, q, &mut top, stats)?;
            return Ok(top.into_entries());
        }
        if let Some((places, trades)) = share {
            top = top.share_among(places, trades);
        }
        // First under a floor guessed from earlier seekers' k-th scores: the
        // search prunes from its first posting instead of waiting for θ to
        // climb. If k vacancies reach the floor they are the top k;
        // otherwise search again without it (what was found is kept). Not
        // for a shared pool: it holds fewer than k once its bar rises, and
        // its k-th says nothing of other seekers' k-th.
        let shared = top.is_shared();
        let guess = if shared { None } else { self.theta.guess(k) };
        if let Some(floor) = guess {
            top.set_floor(floor);
            search::search(&self.snapshot, q, &mut top, stats, allow)?;
            if !top.settled() && !stats.truncated {
                stats.retries += 1;
                top.set_floor(f64::NEG_INFINITY);
                search::search(&self.snapshot, q, &mut top, stats, allow)?;
            }
        } else {
            search::search(&self.snapshot, q, &mut top, stats, allow)?;
        }
        if let Some(kth) = top.kth()
            && !stats.truncated
            && !shared
        {
            self.theta.observe(k, kth);
        }
        Ok(top.into_entries())
    }

    fn to_match(&self, q: &Query, e: &Entry, widened: Option<Widening>) -> Match {
        Match {
            // Entries come from a search of this very snapshot.
            vacancy: self
                .snapshot
                .segments()
                .get(e.segment as usize)
                .map_or_else(String::new, |c| c.id(e.doc)),
            score: e.score,
            components: Components {
                values: e.components,
                weights: q.weights,
            },
            distance_km: round6(e.km),
            widened,
        }
    }

    /// Ranks one seeker; a panic on the way (tantivy asserts on some
    /// damaged files) becomes [`Error::Corrupt`], whichever entry point.
    fn rank(
        &self,
        seeker: &Seeker,
        k: usize,
        exhaustive: bool,
        stats: &mut SearchStats,
    ) -> Result<MatchResult> {
        guarded("ranking", || self.rank_unguarded(seeker, k, exhaustive, stats))
    }

    fn rank_unguarded(
        &self,
        seeker: &Seeker,
        k: usize,
        exhaustive: bool,
        stats: &mut SearchStats,
    ) -> Result<MatchResult> {
        // The serving allowance; the exhaustive scan is the reference and
        // has none.
        let allow = if exhaustive {
            Allowance::default()
        } else {
            Allowance {
                deadline: self
                    .config
                    .deadline_ms
                    .map(|ms| std::time::Instant::now() + std::time::Duration::from_millis(ms)),
                max_scored: self.config.max_scored,
            }
        };
        let (q, entries) =
            self.top_in_reach(seeker, k, exhaustive, stats, &allow, self.config.share_by_trade)?;
        let mut matches: Vec<Match> = entries.iter().map(|e| self.to_match(&q, e, None)).collect();
        if self.config.broaden && matches.len() < k {
            for (commute_km, extra, how) in widenings(seeker) {
                if matches.len() >= k {
                    break;
                }
                let wide = self.query(seeker, commute_km, &extra)?;
                for e in self.run(&wide, k, exhaustive, stats, &allow)? {
                    let m = self.to_match(&wide, &e, Some(how));
                    if matches.len() < k && !matches.iter().any(|x| x.vacancy == m.vacancy) {
                        matches.push(m);
                    }
                }
            }
        }
        Ok(MatchResult {
            seeker: seeker.id.clone(),
            matches,
            truncated: stats.truncated,
        })
    }

    /// A seeker checked at the door and prepared in its own reach (no
    /// widening), as `match` prepares it: what the reverse direction scores
    /// pairs with.
    pub(crate) fn prepare(&self, seeker: &Seeker) -> Result<Query> {
        validate(seeker)?;
        self.query(seeker, seeker.commute_km, &[])
    }

    /// [`Matcher::prepare`] for a seeker of a batch whose texts `memo`
    /// holds (the same query, worked out faster).
    pub(crate) fn prepare_in(&self, seeker: &Seeker, memo: &TextMemo) -> Result<Query> {
        validate(seeker)?;
        self.query_with(seeker, seeker.commute_km, &[], Some(memo))
    }

    /// A seeker's top `k` as (segment, doc, score), best first, in the
    /// seeker's own reach (no widening): the preference lists of
    /// [`crate::assign`].
    pub(crate) fn ranked_docs(&self, seeker: &Seeker, k: usize) -> Result<Vec<(u32, u32, f64)>> {
        // Exact, whatever the serving allowance: job-fair assignment needs
        // true preference lists.
        let (_, entries) = self.top_in_reach(
            seeker,
            k,
            false,
            &mut SearchStats::default(),
            &Allowance::default(),
            false,
        )?;
        Ok(entries.into_iter().map(|e| (e.segment, e.doc, e.score)).collect())
    }

    /// The checks at the door, then the top `k` in the seeker's own reach
    /// (no widening), with the query they were ranked by; with `by_trade`,
    /// places shared among the seeker's trades ([`trades`]).
    fn top_in_reach(
        &self,
        seeker: &Seeker,
        k: usize,
        exhaustive: bool,
        stats: &mut SearchStats,
        allow: &Allowance,
        by_trade: bool,
    ) -> Result<(Query, Vec<Entry>)> {
        self.check_k(k)?;
        validate(seeker)?;
        let q = self.query(seeker, seeker.commute_km, &[])?;
        // One occupation is one trade: nothing to share, nothing allocated.
        let trades = if by_trade && q.occupations.len() >= 2 {
            trades::of(&q.occupations)
        } else {
            Vec::new()
        };
        // k = 0: nothing to rank, once the seeker is known to be valid.
        let entries = if k == 0 {
            Vec::new()
        } else if trades.len() >= 2 {
            let pool = k.saturating_mul(trades::POOL).min(RankingConfig::MAX_K_LIMIT);
            let pool = self.run_shared(&q, pool, Some((k, &trades)), exhaustive, stats, allow)?;
            let segments = self.snapshot.segments();
            trades::share(pool, k, &trades, |e| trades::of_doc(segments, e.segment, e.doc))
        } else {
            self.run(&q, k, exhaustive, stats, allow)?
        };
        Ok((q, entries))
    }

    /// The `k` best vacancies for a seeker, through the index with pruning.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the seeker and field when the seeker is
    /// invalid (e.g. a NaN commute radius); [`Error::TooLarge`] when `k` or the seeker's terms exceed the
    /// configured limits; [`Error::Index`] on a read failure;
    /// [`Error::Corrupt`] when a damaged index file stops the search (a
    /// panic inside tantivy, caught).
    pub fn match_one(&self, seeker: &Seeker, k: usize) -> Result<MatchResult> {
        self.rank(seeker, k, false, &mut SearchStats::default())
    }

    /// As [`Matcher::match_one`], also returning the work done.
    ///
    /// # Errors
    /// As [`Matcher::match_one`].
    pub fn match_one_with_stats(&self, seeker: &Seeker, k: usize) -> Result<(MatchResult, SearchStats)> {
        let mut stats = SearchStats::default();
        let r = self.rank(seeker, k, false, &mut stats)?;
        Ok((r, stats))
    }

    /// The `k` best vacancies by scoring every vacancy: the reference the
    /// pruned path must equal, and the benchmarks' baseline.
    ///
    /// # Errors
    /// As [`Matcher::match_one`].
    pub fn match_exhaustive(&self, seeker: &Seeker, k: usize) -> Result<MatchResult> {
        self.rank(seeker, k, true, &mut SearchStats::default())
    }

    /// Ranks many seekers on the current rayon pool (run it inside
    /// `pool.install(..)` to choose the threads). Results are in input order
    /// and identical to ranking one by one; a panic while ranking one seeker
    /// becomes that seeker's error (see [`Matcher::match_one`]).
    pub fn match_batch(&self, seekers: &[Seeker], k: usize, exhaustive: bool) -> Vec<Result<MatchResult>> {
        seekers
            .par_iter()
            .map(|s| self.rank(s, k, exhaustive, &mut SearchStats::default()))
            .collect()
    }

    /// The signal values of each of `vacancies` for one seeker, as the
    /// ranking computes them (the seeker prepared once, in its own reach):
    /// `None` for an id the index does not hold or a vacancy the seeker is
    /// never shown (out of reach, expired, excluded). What learning weights
    /// from outcomes reads ([`crate::learn`]).
    ///
    /// # Errors
    /// As [`Matcher::match_one`] for the seeker; an index read failure.
    pub fn signals_of(&self, seeker: &Seeker, vacancies: &[&str]) -> Result<Vec<Option<Signals<f64>>>> {
        let q = self.prepare(seeker)?;
        let mut out = Vec::with_capacity(vacancies.len());
        for id in vacancies {
            let Some((si, doc)) = self.snapshot.find(id)? else {
                out.push(None);
                continue;
            };
            let Some(cols) = self.snapshot.segments().get(si) else {
                out.push(None);
                continue;
            };
            let Ok(km) = admit(&q, cols, doc) else {
                out.push(None);
                continue;
            };
            let seg = self.snapshot.segment_reader(si)?;
            let mask = search::mask_of(&q, seg, doc)?;
            out.push(Some(signals(&q, cols, doc, km, mask)));
        }
        Ok(out)
    }

    /// Every signal of one vacancy for one seeker, or why it is excluded.
    ///
    /// # Errors
    /// [`Error::Invalid`] when no vacancy has that id.
    pub fn explain(&self, seeker: &Seeker, vacancy: &str) -> Result<Explanation> {
        validate(seeker)?;
        let Some((si, doc)) = self.snapshot.find(vacancy)? else {
            return Err(Error::UnknownVacancy {
                id: vacancy.to_owned(),
            });
        };
        let seg = self.snapshot.segment_reader(si)?;
        let cols = self.snapshot.segments().get(si).ok_or_else(|| Error::Corrupt {
            reason: format!("vacancy `{vacancy}` found in segment {si}, which the snapshot lacks"),
        })?;
        // As `match` would: the seeker's own reach, then (with broadening
        // on) each widening in turn; the first that admits the vacancy
        // explains it. A vacancy no reach admits is explained under the
        // seeker's own, with why it is excluded.
        let mut q = self.query(seeker, seeker.commute_km, &[])?;
        let mut admitted = admit(&q, cols, doc);
        let mut widened = None;
        if self.config.broaden && matches!(admitted, Err(Exclusion::OutOfReach { .. })) {
            for (commute_km, extra, how) in widenings(seeker) {
                let wide = self.query(seeker, commute_km, &extra)?;
                if let Ok(km) = admit(&wide, cols, doc) {
                    (q, admitted, widened) = (wide, Ok(km), Some(how));
                    break;
                }
            }
        }
        let mask = search::mask_of(&q, seg, doc)?;
        let km = q.constraints.reach.distance_km(cols, doc);
        let s = signals(&q, cols, doc, km, mask);
        let excluded = admitted.err();
        let credits = |sig: Signal| {
            q.clauses
                .iter()
                .filter(|c| c.signal == sig)
                .map(|c| {
                    let best = c
                        .options
                        .iter()
                        .filter(|(i, _)| mask >> i & 1 == 1)
                        .max_by(|a, b| a.1.total_cmp(&b.1));
                    TermCredit {
                        term: c.label.clone(),
                        share: round6(c.share),
                        kind: c.kind,
                        credit: best.map_or(0.0, |b| b.1),
                        matched: best.and_then(|b| q.terms.get(b.0)).map(|t| t.text().to_owned()),
                        asked_in: None,
                    }
                })
                .collect::<Vec<_>>()
        };
        // Where a posting read from text asks for each skill matched.
        let mut skills = credits(Signal::Skills);
        let evidence = self.snapshot.stored(si, doc)?.skill_evidence;
        if !evidence.is_empty() {
            // Each quoted skill as the index holds it, folded once.
            let vocab = self.snapshot.reference().skills();
            let held: Vec<String> = evidence.iter().map(|e| vocab.canonical(&e.skill)).collect();
            for c in &mut skills {
                let Some(term) = c.matched.as_deref() else {
                    continue;
                };
                c.asked_in = held
                    .iter()
                    .zip(&evidence)
                    .find(|(h, _)| h.as_str() == term)
                    .map(|(_, e)| format!("asked for in the {}: {}", e.field, e.clause));
            }
        }
        // Each skill matched named as the vocabulary names it (`Excel`,
        // `C1驾照`), not as the index folds it.
        let vocab = self.snapshot.reference().skills();
        for c in &mut skills {
            if let Some(term) = &c.matched {
                c.matched = Some(vocab.name_of_term(term).to_owned());
            }
        }
        Ok(Explanation {
            seeker: seeker.id.clone(),
            vacancy: vacancy.to_owned(),
            score: excluded.is_none().then(|| score(&q, &s)),
            excluded,
            widened,
            distance_km: round6(km),
            signals: Signal::ALL
                .into_iter()
                .map(|sig| SignalExplanation {
                    name: sig.name(),
                    value: round6(s[sig]),
                    weight: round6(q.weights[sig]),
                    contribution: round6(s[sig] * q.weights[sig]),
                })
                .collect(),
            skills,
            title_terms: credits(Signal::Title),
            inferred_occupation: q.inferred.first().cloned(),
            other_inferred_occupations: q.inferred.iter().skip(1).cloned().collect(),
            vacancy_occupation: self.snapshot.occupation(si, doc)?,
        })
    }
}

/// Checks a seeker at the door: its fields are public, so one built or
/// changed in code is checked here as one read from a file is checked when
/// parsed (a NaN radius would otherwise match nothing, silently). The error
/// names the seeker.
fn validate(seeker: &Seeker) -> Result<()> {
    seeker.validate().map_err(|e| e.naming("seeker", &seeker.id))
}

/// The widenings of reach that broadening tries, in order: the commute
/// radius doubled, then the seeker's whole province as well.
fn widenings(seeker: &Seeker) -> [(f64, Vec<RegionPrefix>, Widening); 2] {
    let wide = seeker.commute_km * 2.0;
    [
        (wide, Vec::new(), Widening::CommuteX2),
        (
            wide,
            vec![RegionPrefix::province_of(seeker.region)],
            Widening::Province,
        ),
    ]
}
