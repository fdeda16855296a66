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

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::error::{Error, Result};
use crate::index::Snapshot;
use crate::model::{Date, Seeker};
use crate::rank::config::{NUM_SIGNALS, RankingConfig, SIGNALS, signal};
use crate::rank::query::{Context, Query};
use crate::rank::related::SkillRelations;
use crate::rank::search::{self, SearchStats};
use crate::rank::signal::{Freshness, admit, score, signals};
use crate::rank::topk::{Entry, TopK};
use crate::region::RegionPrefix;
use crate::retrieve::Exclusion;

/// Per-signal values of a match, serialised as `{"skills": 0.9, …}` for
/// every signal whose weight is not zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Components {
    values: [f64; NUM_SIGNALS],
    weights: [f64; NUM_SIGNALS],
}

impl Components {
    /// The value of a signal by name.
    pub fn get(&self, name: &str) -> Option<f64> {
        SIGNALS.iter().position(|s| *s == name).map(|i| self.values[i])
    }

    /// `(name, value, normalised weight)` of every signal.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, f64, f64)> + '_ {
        (0..NUM_SIGNALS).map(|i| (SIGNALS[i], self.values[i], self.weights[i]))
    }
}

impl Serialize for Components {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let n = self.weights.iter().filter(|w| **w > 0.0).count();
        let mut m = s.serialize_map(Some(n))?;
        for (name, value, weight) in self.iter() {
            if weight > 0.0 {
                m.serialize_entry(name, &round6(value))?;
            }
        }
        m.end()
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// How far reach was widened to find a match (see [`RankingConfig::broaden`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Widening {
    /// Found with the commute radius doubled.
    CommuteX2,
    /// Found anywhere in the seeker's province (and with the radius doubled).
    Province,
}

/// One ranked vacancy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// Vacancy id.
    pub vacancy: String,
    /// Score in [0, 1].
    pub score: f64,
    /// Per-signal values.
    pub components: Components,
    /// Distance from the seeker's home, km.
    pub distance_km: f64,
    /// Set when the match was found only by widening reach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub widened: Option<Widening>,
}

/// The ranked vacancies of one seeker, best first: one line of the
/// interchange format's match results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    /// Seeker id.
    pub seeker: String,
    /// Best first.
    pub matches: Vec<Match>,
}

/// Why a vacancy scores what it does for a seeker, or why it is excluded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Seeker id.
    pub seeker: String,
    /// Vacancy id.
    pub vacancy: String,
    /// The score, when the vacancy may be returned.
    pub score: Option<f64>,
    /// Why the vacancy is never returned to this seeker, if it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
    /// Distance from home, km.
    pub distance_km: f64,
    /// Every signal: value, normalised weight, contribution to the score.
    pub signals: Vec<SignalExplanation>,
    /// Each of the seeker's skills and the credit it earned.
    pub skills: Vec<TermCredit>,
    /// Each of the seeker's title terms and whether the title holds it.
    pub title_terms: Vec<TermCredit>,
}

/// One signal in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalExplanation {
    /// Signal name.
    pub name: &'static str,
    /// Value in [0, 1].
    pub value: f64,
    /// Normalised weight (weights sum to 1).
    pub weight: f64,
    /// `value × weight`: its part of the score.
    pub contribution: f64,
}

/// Credit one seeker skill (or title term) earned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermCredit {
    /// What the seeker wrote.
    pub term: String,
    /// Its share of the signal (IDF over the total).
    pub share: f64,
    /// Credit earned: 1 when the vacancy holds it, less through a related
    /// skill, 0 when absent.
    pub credit: f64,
    /// The vacancy's term that earned the credit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

/// Ranks vacancies of one snapshot for seekers. `Send + Sync`: share one
/// across threads (e.g. in an `Arc`); build a new one after a commit to see it.
pub struct Matcher {
    snapshot: Snapshot,
    config: RankingConfig,
    today: Date,
    related: Option<SkillRelations>,
    /// The freshness curve as of `today`: seeker-independent, so tabulated
    /// here once rather than per query.
    freshness: Arc<Freshness>,
    /// What k-th scores recent seekers got, for the search's first floor.
    theta: ThetaEstimate,
}

/// A running estimate of the k-th score seekers get from a matcher, from
/// which the search guesses a floor: exponentially weighted mean and mean
/// absolute deviation, in relaxed atomics (a matcher is shared across
/// threads; a race only blurs the estimate, never a result).
#[derive(Debug, Default)]
struct ThetaEstimate {
    k: AtomicUsize,
    seen: AtomicU64,
    mean: AtomicU64,
    deviation: AtomicU64,
}

impl ThetaEstimate {
    /// Seekers observed before guessing.
    const WARM_UP: u64 = 16;
    /// Weight of each new observation.
    const RATE: f64 = 1.0 / 32.0;
    /// The floor: this many mean deviations below the mean (about the
    /// 20th percentile of a normal spread), so that most first searches
    /// settle and few run twice.
    const DEVIATIONS: f64 = 1.0;

    fn load(x: &AtomicU64) -> f64 {
        f64::from_bits(x.load(Ordering::Relaxed))
    }

    fn store(x: &AtomicU64, v: f64) {
        x.store(v.to_bits(), Ordering::Relaxed);
    }

    /// A floor for a search of the top `k`, once enough seekers were seen.
    fn guess(&self, k: usize) -> Option<f64> {
        if self.k.load(Ordering::Relaxed) != k || self.seen.load(Ordering::Relaxed) < Self::WARM_UP {
            return None;
        }
        let floor = Self::load(&self.mean) - Self::DEVIATIONS * Self::load(&self.deviation);
        floor.is_finite().then_some(floor)
    }

    /// Records a seeker's k-th score.
    fn observe(&self, k: usize, kth: f64) {
        if !kth.is_finite() {
            return;
        }
        if self.k.swap(k, Ordering::Relaxed) != k {
            Self::store(&self.mean, kth);
            Self::store(&self.deviation, 0.0);
            self.seen.store(1, Ordering::Relaxed);
            return;
        }
        let mean = Self::load(&self.mean);
        let deviation = Self::load(&self.deviation);
        Self::store(&self.mean, mean + Self::RATE * (kth - mean));
        Self::store(
            &self.deviation,
            deviation + Self::RATE * ((kth - mean).abs() - deviation),
        );
        self.seen.fetch_add(1, Ordering::Relaxed);
    }
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
        Ok(Matcher {
            snapshot,
            config,
            today,
            related,
            freshness,
            theta: ThetaEstimate::default(),
        })
    }

    /// The snapshot ranked.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
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
        let cx = Context {
            snapshot: &self.snapshot,
            config: &self.config,
            related: self.related.as_ref(),
            freshness: &self.freshness,
            today: self.today.days_since_epoch(),
        };
        Query::new(&cx, seeker, commute_km, extra)
    }

    fn run(&self, q: &Query, k: usize, exhaustive: bool, stats: &mut SearchStats) -> Result<Vec<Entry>> {
        let mut top = TopK::new(k, self.config.max_per_employer, self.snapshot.segments());
        if exhaustive {
            search::scan(&self.snapshot, q, &mut top, stats)?;
            return Ok(top.into_entries());
        }
        // First under a floor guessed from earlier seekers' k-th scores: the
        // search prunes from its first posting instead of waiting for θ to
        // climb. If k vacancies reach the floor they are the top k;
        // otherwise search again without it (what was found is kept).
        let guess = self.theta.guess(k);
        if let Some(floor) = guess {
            top.set_floor(floor);
            search::search(&self.snapshot, q, &mut top, stats)?;
            if !top.settled() {
                stats.retries += 1;
                top.set_floor(f64::NEG_INFINITY);
                search::search(&self.snapshot, q, &mut top, stats)?;
            }
        } else {
            search::search(&self.snapshot, q, &mut top, stats)?;
        }
        if let Some(kth) = top.kth() {
            self.theta.observe(k, kth);
        }
        Ok(top.into_entries())
    }

    fn to_match(&self, q: &Query, e: &Entry, widened: Option<Widening>) -> Match {
        Match {
            vacancy: self.snapshot.segments()[e.segment as usize].id(e.doc),
            score: e.score,
            components: Components {
                values: e.components,
                weights: q.weights,
            },
            distance_km: round6(e.km),
            widened,
        }
    }

    fn rank(
        &self,
        seeker: &Seeker,
        k: usize,
        exhaustive: bool,
        stats: &mut SearchStats,
    ) -> Result<MatchResult> {
        self.check_k(k)?;
        let q = self.query(seeker, seeker.commute_km, &[])?;
        if k == 0 {
            // Nothing to rank, once the seeker is known to be valid.
            return Ok(MatchResult {
                seeker: seeker.id.clone(),
                matches: Vec::new(),
            });
        }
        let entries = self.run(&q, k, exhaustive, stats)?;
        let mut matches: Vec<Match> = entries.iter().map(|e| self.to_match(&q, e, None)).collect();
        if self.config.broaden && matches.len() < k {
            let province = [RegionPrefix::province_of(seeker.region)];
            let steps: [(&[RegionPrefix], Widening); 2] =
                [(&[], Widening::CommuteX2), (&province, Widening::Province)];
            for (extra, how) in steps {
                if matches.len() >= k {
                    break;
                }
                let wide = self.query(seeker, seeker.commute_km * 2.0, extra)?;
                for e in self.run(&wide, k, exhaustive, stats)? {
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
        })
    }

    /// The `k` best vacancies for a seeker, through the index with pruning.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when `k` or the seeker's terms exceed the
    /// configured limits; [`Error::Index`] on a read failure.
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
    /// becomes that seeker's [`Error::Panic`].
    pub fn match_batch(&self, seekers: &[Seeker], k: usize, exhaustive: bool) -> Vec<Result<MatchResult>> {
        seekers
            .par_iter()
            .map(|s| {
                catch_unwind(AssertUnwindSafe(|| {
                    self.rank(s, k, exhaustive, &mut SearchStats::default())
                }))
                .unwrap_or_else(|p| Err(Error::Panic(panic_message(&p))))
            })
            .collect()
    }

    /// Every signal of one vacancy for one seeker, or why it is excluded.
    ///
    /// # Errors
    /// [`Error::Invalid`] when no vacancy has that id.
    pub fn explain(&self, seeker: &Seeker, vacancy: &str) -> Result<Explanation> {
        let Some((si, doc)) = self.snapshot.find(vacancy)? else {
            return Err(Error::invalid(
                "vacancy",
                format!("no vacancy `{vacancy}` in the index"),
            ));
        };
        let q = self.query(seeker, seeker.commute_km, &[])?;
        let seg = &self.snapshot.searcher().segment_readers()[si];
        let cols = &self.snapshot.segments()[si];
        let mask = search::mask_of(&q, seg, doc)?;
        let admitted = admit(&q, cols, doc);
        let km = q.reach.distance_km(cols, doc);
        let s = signals(&q, cols, doc, km, mask);
        let excluded = admitted.err().map(|e| match e {
            Exclusion::Expired => "expired: its expiry date is before today".to_owned(),
            Exclusion::OutOfReach { km } => format!(
                "out of reach: {km:.1} km away, beyond the {:.0} km commute and not in a region the seeker would move to",
                seeker.commute_km
            ),
            Exclusion::SalaryBelowMinimum => "pays less than the seeker's minimum salary".to_owned(),
        });
        let credits = |sig: usize| {
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
                        credit: best.map_or(0.0, |b| b.1),
                        matched: best.map(|b| q.terms[b.0].text.clone()),
                    }
                })
                .collect()
        };
        Ok(Explanation {
            seeker: seeker.id.clone(),
            vacancy: vacancy.to_owned(),
            score: excluded.is_none().then(|| score(&q, &s)),
            excluded,
            distance_km: round6(km),
            signals: (0..NUM_SIGNALS)
                .map(|i| SignalExplanation {
                    name: SIGNALS[i],
                    value: round6(s[i]),
                    weight: round6(q.weights[i]),
                    contribution: round6(s[i] * q.weights[i]),
                })
                .collect(),
            skills: credits(signal::SKILLS),
            title_terms: credits(signal::TITLE),
        })
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}
