//! Signal weights learned from outcomes: who was shown which vacancy, who
//! applied, who was hired.
//!
//! A platform keeps such a log. [`fit_weights`] reads it against the index
//! and the seekers, computes every logged pair's signals exactly as the
//! ranking does ([`Matcher::signals_of`]), and fits the signal weights
//! pairwise (RankNet's logistic loss on every pair of one seeker's logged
//! vacancies with different outcomes: hired above applied above shown).
//! The weights stay non-negative (projected gradient), so the fitted
//! [`RankingConfig`] keeps the pruned search exact. A share of the seekers
//! is held out, and nDCG@10 of their logged vacancies is reported under the
//! weights before and after the fit.
//!
//! The simulator writes such a log from a job fair's assignment
//! ([`OutcomeLog::from_assignment`], `jobmatch simulate --log`), so the fit
//! can be tested end to end. Fitting on the simulator's own log shows the
//! mechanism, not real-world quality: there the employers' side is the
//! simulator's own [`crate::assign::FitConfig`].
//!
//! ```no_run
//! use jobmatch::learn::{FitOptions, OutcomeLog, fit_weights, with_weights};
//! use jobmatch::matcher::Matcher;
//! use jobmatch::rank::RankingConfig;
//!
//! fn refit(matcher: &Matcher, seekers: &[jobmatch::Seeker]) -> Result<RankingConfig, Box<dyn std::error::Error>> {
//!     let log = OutcomeLog::read(std::io::BufReader::new(std::fs::File::open("log.jsonl")?))?;
//!     let fit = fit_weights(matcher, seekers, &log, &FitOptions::default())?;
//!     println!("held-out nDCG@10 {:.3} → {:.3}", fit.before.ndcg, fit.after.ndcg);
//!     Ok(with_weights(matcher.config(), &fit))
//! }
//! ```

use std::collections::HashMap;
use std::io::{BufRead, Write};

use ndarray::{Array1, Array2, ArrayView1};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::assign::{Assignment, FitConfig, Policy, Preferences};
use crate::error::{Error, Result};
use crate::io::{FieldError, JsonLines, JsonLinesWriter, Record, parse_plain};
use crate::matcher::Matcher;
use crate::model::Seeker;
use crate::rank::{NUM_SIGNALS, Signal, Signals};
use crate::rank::{RankingConfig, Weights};

/// What happened to a vacancy shown to a seeker, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Shown, nothing more.
    Shown,
    /// The seeker applied.
    Applied,
    /// The seeker was hired.
    Hired,
}

impl Outcome {
    /// Graded relevance in nDCG: shown 0, applied 1, hired 2.
    pub fn grade(self) -> u8 {
        match self {
            Outcome::Shown => 0,
            Outcome::Applied => 1,
            Outcome::Hired => 2,
        }
    }
}

/// One line of an outcome log: `{"seeker", "vacancy", "outcome"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// Seeker id.
    pub seeker: String,
    /// Vacancy id.
    pub vacancy: String,
    /// What happened.
    pub outcome: Outcome,
}

impl Record for LogEntry {
    fn from_json(bytes: &[u8]) -> std::result::Result<Self, FieldError> {
        parse_plain(bytes)
    }
}

/// A log of outcomes, in the order read or written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutcomeLog {
    /// The entries; a pair logged more than once counts at its strongest
    /// outcome.
    pub entries: Vec<LogEntry>,
}

impl OutcomeLog {
    /// Reads a JSON Lines log.
    ///
    /// # Errors
    /// A line that is not a log entry, named by line and field (an unknown
    /// outcome is one); a read failure.
    pub fn read<R: BufRead>(reader: R) -> Result<OutcomeLog> {
        let entries = JsonLines::<_, LogEntry>::new(reader).collect::<Result<Vec<_>>>()?;
        Ok(OutcomeLog { entries })
    }

    /// Writes the log as JSON Lines.
    ///
    /// # Errors
    /// A write failure.
    pub fn write<W: Write>(&self, out: W) -> Result<()> {
        let mut w = JsonLinesWriter::new(out);
        for e in &self.entries {
            w.write(e)?;
        }
        w.finish().map(|_| ())
    }

    /// The log a job fair's assignment implies, as a platform would have
    /// kept it. Each seeker saw the first `shown` vacancies of its list;
    /// under deferred acceptance it applied to its list in order until one
    /// held it, so every vacancy above its placement is `applied`, the
    /// placement `hired` (logged even when below the first `shown`), and an
    /// unplaced seeker applied to every vacancy it saw.
    pub fn from_assignment(prefs: &Preferences, assignment: &Assignment, shown: usize) -> OutcomeLog {
        let mut entries = Vec::new();
        for ((seeker, list), placement) in prefs.lists().zip(&assignment.placements) {
            let choice = placement.choice;
            let last = shown.max(choice.unwrap_or(0)).min(list.len());
            for (i, vacancy) in list.iter().take(last).enumerate() {
                let outcome = match choice {
                    Some(c) if i + 1 == c => Outcome::Hired,
                    Some(c) if i + 1 < c => Outcome::Applied,
                    Some(_) => Outcome::Shown,
                    None => Outcome::Applied,
                };
                entries.push(LogEntry {
                    seeker: seeker.to_owned(),
                    vacancy: (*vacancy).to_owned(),
                    outcome,
                });
            }
        }
        OutcomeLog { entries }
    }
}

/// A job fair's outcome log in which seekers apply in their own order, not
/// the platform's: each seeker is shown the top `shown` of the matcher's
/// ranking, orders what it was shown by its own weights over the same
/// signals (`seekers_weights`), and applies down that order until a
/// vacancy holds it (deferred acceptance, each vacancy admitting by its fit
/// as [`crate::assign`] does). The log records every vacancy shown, those
/// applied to and the one hired at. When `seekers_weights` are the
/// matcher's own, the log only repeats the ranking and there is nothing to
/// learn; when they differ, [`fit_weights`] should move towards them.
///
/// # Errors
/// A seeker the matcher refuses (named); an index read failure.
pub fn simulate_log(
    matcher: &Matcher,
    seekers: &[Seeker],
    shown: usize,
    seekers_weights: &Weights,
) -> Result<(OutcomeLog, Assignment)> {
    let shown_lists = Preferences::rank(matcher, seekers, shown, &FitConfig::default())?;
    let w = normalised(seekers_weights.as_signals());
    let own = shown_lists.reordered(|i, ids| {
        let seeker = seekers.get(i).ok_or_else(|| Error::Corrupt {
            reason: format!("preference list {i} has no seeker"),
        })?;
        Ok(matcher
            .signals_of(seeker, ids)?
            .into_iter()
            .map(|s| s.map_or(0.0, |s| Array1::from_iter(s.values().iter().copied()).dot(&w)))
            .collect())
    })?;
    let assignment = own.assign(&Policy::default())?;
    Ok((OutcomeLog::from_assignment(&own, &assignment, shown), assignment))
}

/// The seekers' own weights that `jobmatch simulate --log` assumes by
/// default: the platform's, with salary and location doubled (seekers who
/// care more about pay and commute than the platform assumes). An
/// assumption of the simulation, to give the fit something to find.
pub fn seekers_own_weights(platform: &Weights) -> Weights {
    let mut w = *platform;
    for s in [Signal::Salary, Signal::Location] {
        w.set(s, platform.get(s) * 2.0);
    }
    w
}

/// How [`fit_weights`] fits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FitOptions {
    /// Share of the seekers held out to measure the fit (default 0.2),
    /// chosen by a hash of the seeker id: the same seekers on every run.
    pub holdout: f64,
    /// Gradient steps (default 300).
    pub iterations: usize,
    /// Step size (default 20; the features are in [0, 1] and the gradient
    /// is a mean over pairs).
    pub learning_rate: f64,
    /// L2 penalty on the weights' distance from the matcher's own (default
    /// 1e-3): keeps them finite when the pairs are separable, and near the
    /// start where the log says little.
    pub l2: f64,
    /// Most pairs used per seeker (default 200), so one seeker with a long
    /// log does not dominate.
    pub max_pairs_per_seeker: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            holdout: 0.2,
            iterations: 300,
            learning_rate: 20.0,
            l2: 1e-3,
            max_pairs_per_seeker: 200,
        }
    }
}

impl FitOptions {
    fn validate(&self) -> Result<()> {
        let bad = |field: &str, reason: &str| {
            Err(Error::Invalid {
                field: field.into(),
                reason: reason.into(),
            })
        };
        if !(self.holdout > 0.0 && self.holdout < 1.0) {
            return bad("holdout", "must be strictly between 0 and 1");
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return bad("learning_rate", "must be a positive number");
        }
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return bad("l2", "must be a non-negative number");
        }
        if self.max_pairs_per_seeker == 0 {
            return bad("max_pairs_per_seeker", "must be at least 1");
        }
        Ok(())
    }
}

/// nDCG@10 of a set of seekers' logged vacancies under some weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Ndcg {
    /// Mean nDCG@10 over the seekers whose log has an outcome above shown.
    pub ndcg: f64,
    /// Those seekers.
    pub seekers: usize,
}

/// What [`fit_weights`] found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightFit {
    /// The fitted weights (non-negative, summing to 1).
    pub weights: Weights,
    /// Held-out nDCG@10 under the matcher's own weights.
    pub before: Ndcg,
    /// Held-out nDCG@10 under the fitted weights.
    pub after: Ndcg,
    /// nDCG@10 on the training seekers, before and after.
    pub train_before: f64,
    /// See `train_before`.
    pub train_after: f64,
    /// Pairs of different outcomes trained on.
    pub pairs: usize,
    /// Log entries used (distinct pairs with signals).
    pub used: usize,
    /// Entries whose seeker is not among the seekers given.
    pub unknown_seeker: usize,
    /// Entries whose vacancy the index does not hold, or the seeker is never
    /// shown (out of reach, expired).
    pub not_shown: usize,
}

/// One seeker's logged vacancies: their signals and grades.
struct List {
    features: Vec<Signals<f64>>,
    grades: Vec<u8>,
    held_out: bool,
}

/// Fits the signal weights of `matcher`'s config to an outcome log.
///
/// Every logged pair's signals are computed in parallel on the current
/// rayon pool. Seekers are split into training and held-out parts by a
/// hash of their id.
///
/// # Errors
/// Invalid options; a seeker the matcher refuses (named); no pair of
/// different outcomes to learn from; an index read failure.
pub fn fit_weights(
    matcher: &Matcher,
    seekers: &[Seeker],
    log: &OutcomeLog,
    options: &FitOptions,
) -> Result<WeightFit> {
    options.validate()?;
    let by_id: HashMap<&str, &Seeker> = seekers.iter().map(|s| (s.id.as_str(), s)).collect();
    // Each seeker's logged vacancies, at the strongest outcome, in log order.
    let mut grouped: Vec<(&Seeker, Vec<(&str, Outcome)>)> = Vec::new();
    let mut slot: HashMap<&str, usize> = HashMap::new();
    let mut unknown_seeker = 0;
    for e in &log.entries {
        let Some(seeker) = by_id.get(e.seeker.as_str()) else {
            unknown_seeker += 1;
            continue;
        };
        let i = *slot.entry(e.seeker.as_str()).or_insert_with(|| {
            grouped.push((seeker, Vec::new()));
            grouped.len() - 1
        });
        let Some((_, list)) = grouped.get_mut(i) else {
            continue;
        };
        match list.iter_mut().find(|(v, _)| *v == e.vacancy) {
            Some((_, o)) => *o = (*o).max(e.outcome),
            None => list.push((e.vacancy.as_str(), e.outcome)),
        }
    }
    let lists: Vec<(List, usize)> = grouped
        .par_iter()
        .map(|(seeker, logged)| {
            let ids: Vec<&str> = logged.iter().map(|(v, _)| *v).collect();
            let signals = matcher.signals_of(seeker, &ids)?;
            let mut list = List {
                features: Vec::new(),
                grades: Vec::new(),
                held_out: held_out(&seeker.id, options.holdout),
            };
            let mut missing = 0;
            for (s, (_, outcome)) in signals.into_iter().zip(logged) {
                match s {
                    Some(s) => {
                        list.features.push(s);
                        list.grades.push(outcome.grade());
                    }
                    None => missing += 1,
                }
            }
            Ok((list, missing))
        })
        .collect::<Result<_>>()?;
    let not_shown = lists.iter().map(|(_, m)| m).sum();
    let lists: Vec<List> = lists.into_iter().map(|(l, _)| l).collect();
    let used = lists.iter().map(|l| l.features.len()).sum();
    let (train, test): (Vec<&List>, Vec<&List>) = lists.iter().partition(|l| !l.held_out);
    let pairs = count_pairs(train.iter().copied(), options.max_pairs_per_seeker);
    if pairs == 0 {
        return Err(Error::Invalid {
            field: "log".into(),
            reason: "no training seeker has two logged vacancies with different outcomes that it is shown"
                .into(),
        });
    }
    let start = normalised(matcher.config().weights.as_signals());
    let fitted = descend(&train, &start, options);
    let weights = Weights::from(Signals::from_fn(|s| {
        fitted.get(s.index()).copied().unwrap_or(0.0)
    }));
    let start_w = start.view();
    let fitted_w = fitted.view();
    Ok(WeightFit {
        weights,
        before: ndcg(&test, start_w),
        after: ndcg(&test, fitted_w),
        train_before: ndcg(&train, start_w).ndcg,
        train_after: ndcg(&train, fitted_w).ndcg,
        pairs,
        used,
        unknown_seeker,
        not_shown,
    })
}

/// Whether a seeker is in the held-out share: FNV-1a of its id, so the split
/// is the same on every run and machine.
fn held_out(id: &str, share: f64) -> bool {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % 10_000) as f64 / 10_000.0 < share
}

/// Weights as an array summing to 1.
fn normalised(w: &Signals<f64>) -> Array1<f64> {
    let total: f64 = w.values().iter().sum();
    Array1::from_iter(
        w.values()
            .iter()
            .map(|x| if total > 0.0 { x / total } else { 0.0 }),
    )
}

/// Pairs of different outcomes among the lists, at most `max_per_seeker`
/// per list.
fn count_pairs<'a>(lists: impl Iterator<Item = &'a List>, max_per_seeker: usize) -> usize {
    lists.map(|l| pairs_of(l, max_per_seeker).count()).sum()
}

/// Two of a list's vacancies, better first: positions and grades.
type GradedPair = ((usize, u8), (usize, u8));

/// The ordered pairs (better, worse) of one list's vacancies, as positions
/// with their grades, at most `max`.
fn pairs_of(l: &List, max: usize) -> impl Iterator<Item = GradedPair> + '_ {
    let graded = || l.grades.iter().copied().enumerate();
    graded()
        .flat_map(move |a| graded().map(move |b| (a, b)))
        .filter(|((_, gi), (_, gj))| gi > gj)
        .take(max)
}

/// LambdaRank: gradient steps on the logistic pair loss
/// `log(1 + e^{-c·(s_i − s_j)})` of each pair (better i, worse j), each
/// weighted by how much swapping the two would change the list's nDCG@10,
/// so the steps go where the metric is; plus `l2·|w − c·start|²`, which
/// keeps a weak signal near the start. Each step is clipped at zero, so the
/// weights stay non-negative. Every 10 steps the training nDCG@10 is
/// measured and the best weights seen (the start among them) are kept.
/// The result sums to 1 (the ranking is scale-free); `c` puts the start's
/// score differences on the logistic's working range.
fn descend(lists: &[&List], start: &Array1<f64>, o: &FitOptions) -> Array1<f64> {
    const SCALE: f64 = 20.0;
    let prior = start * SCALE;
    let mut w = prior.clone();
    let mut best = (ndcg(lists, start.view()).ndcg, start.clone());
    // What does not change between steps, per list: its signals, its ideal
    // DCG and its pairs of different outcomes.
    let prepared: Vec<(Array2<f64>, f64, Vec<GradedPair>)> = lists
        .iter()
        .map(|l| {
            (
                matrix(l),
                ideal_dcg(&l.grades),
                pairs_of(l, o.max_pairs_per_seeker).collect(),
            )
        })
        .filter(|(_, ideal, _)| *ideal > 0.0)
        .collect();
    let pairs: f64 = count_pairs(lists.iter().copied(), o.max_pairs_per_seeker).max(1) as f64;
    for step in 1..=o.iterations {
        let mut grad = Array1::<f64>::zeros(NUM_SIGNALS);
        for (x, ideal, list_pairs) in &prepared {
            let scores = x.dot(&w);
            let rank = ranks(&scores);
            for &((i, gi), (j, gj)) in list_pairs {
                let (Some(ri), Some(rj), Some(si), Some(sj)) =
                    (rank.get(i), rank.get(j), scores.get(i), scores.get(j))
                else {
                    continue;
                };
                let delta = ((f64::from(gi).exp2() - f64::from(gj).exp2()) * (discount(*ri) - discount(*rj)))
                    .abs()
                    / ideal;
                let slope = -1.0 / (1.0 + (si - sj).exp());
                grad.scaled_add(slope * delta, &x.row(i));
                grad.scaled_add(-slope * delta, &x.row(j));
            }
        }
        grad /= pairs;
        grad.scaled_add(2.0 * o.l2, &(&w - &prior));
        w = (&w - &(grad * o.learning_rate)).mapv(|x| x.max(0.0));
        if step % 10 == 0 || step == o.iterations {
            let total = w.sum();
            if total > 0.0 {
                let candidate = &w / total;
                let got = ndcg(lists, candidate.view()).ndcg;
                if got > best.0 {
                    best = (got, candidate);
                }
            }
        }
    }
    best.1
}

/// One list's signals as a matrix, a row per vacancy.
fn matrix(l: &List) -> Array2<f64> {
    let rows: Vec<f64> = l
        .features
        .iter()
        .flat_map(|s| s.values().iter().copied())
        .collect();
    Array2::from_shape_vec((l.features.len(), NUM_SIGNALS), rows)
        .unwrap_or_else(|_| Array2::zeros((0, NUM_SIGNALS)))
}

/// Each item's 0-based position when sorted by score, best first (ties: list
/// order).
fn ranks(scores: &Array1<f64>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    sort_by_score(&mut order, scores);
    let mut rank = vec![0; scores.len()];
    for (r, i) in order.into_iter().enumerate() {
        if let Some(slot) = rank.get_mut(i) {
            *slot = r;
        }
    }
    rank
}

/// Positions sorted by their score, highest first (stable: ties keep their
/// order).
fn sort_by_score(order: &mut [usize], scores: &Array1<f64>) {
    let at = |i: &usize| scores.get(*i).copied().unwrap_or(f64::NEG_INFINITY);
    order.sort_by(|a, b| at(b).total_cmp(&at(a)));
}

/// nDCG@10's discount at a 0-based position (0 past the tenth).
fn discount(rank: usize) -> f64 {
    if rank < NDCG_AT {
        1.0 / ((rank + 2) as f64).log2()
    } else {
        0.0
    }
}

/// The positions nDCG counts.
const NDCG_AT: usize = 10;

/// The DCG@10 of grades in the order given.
fn dcg(grades: impl Iterator<Item = u8>) -> f64 {
    grades
        .enumerate()
        .map(|(i, g)| (f64::from(g).exp2() - 1.0) * discount(i))
        .sum()
}

/// The best DCG@10 the grades allow.
fn ideal_dcg(grades: &[u8]) -> f64 {
    let mut ideal = grades.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    dcg(ideal.into_iter())
}

/// Mean nDCG@10 (gain 2^grade − 1) of the lists with a grade above zero,
/// ranked by `w · signals` (ties: log order).
fn ndcg(lists: &[&List], w: ArrayView1<'_, f64>) -> Ndcg {
    let mut total = 0.0;
    let mut seekers = 0;
    for l in lists {
        let ideal = ideal_dcg(&l.grades);
        if ideal <= 0.0 {
            continue;
        }
        let scores = matrix(l).dot(&w);
        let mut order: Vec<usize> = (0..l.grades.len()).collect();
        sort_by_score(&mut order, &scores);
        total += dcg(order.iter().filter_map(|i| l.grades.get(*i).copied())) / ideal;
        seekers += 1;
    }
    Ndcg {
        ndcg: if seekers == 0 { 0.0 } else { total / seekers as f64 },
        seekers,
    }
}

/// A ranking config with fitted weights, everything else as `base`.
pub fn with_weights(base: &RankingConfig, fit: &WeightFit) -> RankingConfig {
    RankingConfig {
        weights: fit.weights,
        ..base.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(rows: &[([f64; 2], u8)]) -> List {
        List {
            features: rows
                .iter()
                .map(|(x, _)| {
                    let mut s = Signals::default();
                    s[Signal::Skills] = x[0];
                    s[Signal::Location] = x[1];
                    s
                })
                .collect(),
            grades: rows.iter().map(|(_, g)| *g).collect(),
            held_out: false,
        }
    }

    #[test]
    fn descent_moves_weight_to_the_signal_that_orders_the_outcomes() {
        // Hired vacancies are the near ones, whatever their skills.
        let lists: Vec<List> = (0..50)
            .map(|i| {
                let f = f64::from(i) / 50.0;
                list(&[([f, 0.9], 2), ([1.0 - f, 0.2], 0), ([0.5, 0.5], 1)])
            })
            .collect();
        let refs: Vec<&List> = lists.iter().collect();
        assert_eq!(count_pairs(refs.iter().copied(), 100), 150);
        let start = normalised(&Signals::from_fn(Signal::default_weight));
        let w = descend(&refs, &start, &FitOptions::default());
        assert!(w.iter().all(|x| *x >= 0.0));
        assert!((w.sum() - 1.0).abs() < 1e-9);
        assert!(w[Signal::Location.index()] > start[Signal::Location.index()]);
        let (before, after) = (ndcg(&refs, start.view()), ndcg(&refs, w.view()));
        assert!(after.ndcg > before.ndcg, "{before:?} → {after:?}");
        assert!((after.ndcg - 1.0).abs() < 1e-9);
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_skips_lists_without_outcomes() {
        let lists = [
            list(&[([0.9, 0.0], 2), ([0.5, 0.0], 1), ([0.1, 0.0], 0)]),
            list(&[([0.9, 0.0], 0)]),
        ];
        let refs: Vec<&List> = lists.iter().collect();
        let w = normalised(&Signals::from_fn(Signal::default_weight));
        let n = ndcg(&refs, w.view());
        assert_eq!(n.seekers, 1);
        assert!((n.ndcg - 1.0).abs() < 1e-12);
    }

    #[test]
    fn holdout_split_is_stable_and_near_its_share() {
        let held = (0..10_000).filter(|i| held_out(&format!("s{i}"), 0.2)).count();
        assert!((1_700..2_300).contains(&held), "{held}");
        assert_eq!(held_out("s42", 0.2), held_out("s42", 0.2));
    }

    #[test]
    fn log_lines_name_their_fault() {
        let text = "{\"seeker\":\"s1\",\"vacancy\":\"v1\",\"outcome\":\"hired\"}\n{\"seeker\":\"s1\",\"vacancy\":\"v2\",\"outcome\":\"clicked\"}\n";
        let e = OutcomeLog::read(text.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("outcome"), "{e}");
    }
}
