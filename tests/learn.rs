//! Weights learned from outcomes: a job fair's log in which seekers apply
//! in their own order, fitted back on a real index.

use std::collections::HashMap;

use jobmatch::Seeker;
use jobmatch::learn::{
    FitOptions, Outcome, OutcomeLog, fit_weights, seekers_own_weights, simulate_log, with_weights,
};
use jobmatch::matcher::Matcher;
use jobmatch::rank::{RankingConfig, Signal};

use crate::ranking::{market_index, today};

fn fair() -> (Matcher, Vec<Seeker>) {
    let (index, market) = market_index(3_000, 41, 2);
    let seekers: Vec<Seeker> = (0..3_000).map(|j| market.seeker(j)).collect();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    (m, seekers)
}

#[test]
fn the_fit_moves_towards_the_seekers_own_weights_and_keeps_the_search_exact() {
    let (m, seekers) = fair();
    let platform = m.config().weights;
    let (log, assignment) = simulate_log(&m, &seekers, 10, &seekers_own_weights(&platform)).unwrap();

    // The log is the fair's: one hire per placed seeker, only shown vacancies.
    let mut hired: HashMap<&str, usize> = HashMap::new();
    for e in log.entries.iter().filter(|e| e.outcome == Outcome::Hired) {
        *hired.entry(e.seeker.as_str()).or_default() += 1;
    }
    assert_eq!(hired.len(), assignment.placed());
    assert!(hired.values().all(|n| *n == 1));
    assert!(log.entries.iter().any(|e| e.outcome == Outcome::Applied));

    // Round trip through the wire format.
    let mut bytes = Vec::new();
    log.write(&mut bytes).unwrap();
    assert_eq!(OutcomeLog::read(bytes.as_slice()).unwrap(), log);

    let fit = fit_weights(&m, &seekers, &log, &FitOptions::default()).unwrap();
    assert_eq!(fit.unknown_seeker + fit.not_shown, 0);
    assert!(fit.after.seekers > 100, "{fit:?}");
    assert!(
        fit.after.ndcg > fit.before.ndcg,
        "held out: {:?} → {:?}",
        fit.before,
        fit.after
    );
    let total: f64 = fit.weights.as_signals().values().iter().sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert!(fit.weights.as_signals().values().iter().all(|w| *w >= 0.0));
    let before: f64 = platform.as_signals().values().iter().sum();
    let share = |s: Signal| platform.get(s) / before;
    assert!(
        fit.weights.get(Signal::Location) > share(Signal::Location),
        "location {} vs {}",
        fit.weights.get(Signal::Location),
        share(Signal::Location)
    );

    // The fitted config is a config like any other: the pruned search still
    // equals the exhaustive scan.
    let fitted = Matcher::new(m.snapshot().clone(), with_weights(m.config(), &fit), today()).unwrap();
    for s in seekers.iter().step_by(100) {
        assert_eq!(
            fitted.match_one(s, 10).unwrap(),
            fitted.match_exhaustive(s, 10).unwrap(),
            "{}",
            s.id
        );
    }
}

#[test]
fn a_log_that_only_repeats_the_ranking_leaves_the_weights_no_worse() {
    let (m, seekers) = fair();
    let seekers = &seekers[..1_000];
    let (log, _) = simulate_log(&m, seekers, 10, &m.config().weights).unwrap();
    let fit = fit_weights(&m, seekers, &log, &FitOptions::default()).unwrap();
    assert!(fit.train_after >= fit.train_before, "{fit:?}");
}

#[test]
fn unknown_seekers_and_vacancies_are_counted_not_fatal() {
    let (m, seekers) = fair();
    let seekers = &seekers[..500];
    let (mut log, _) = simulate_log(&m, seekers, 10, &seekers_own_weights(&m.config().weights)).unwrap();
    let mut extra = log.entries[0].clone();
    extra.seeker = "nobody".into();
    log.entries.push(extra);
    let mut gone = log.entries[0].clone();
    gone.vacancy = "no-such-vacancy".into();
    log.entries.push(gone);
    let fit = fit_weights(&m, seekers, &log, &FitOptions::default()).unwrap();
    assert_eq!((fit.unknown_seeker, fit.not_shown), (1, 1));
    // A log with nothing to learn from is a named error.
    let shown_only = OutcomeLog {
        entries: log
            .entries
            .iter()
            .filter(|e| e.outcome == Outcome::Shown)
            .cloned()
            .collect(),
    };
    let e = fit_weights(&m, seekers, &shown_only, &FitOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("log"), "{e}");
}
