//! `bench --reverse`: the other direction at scale. The seeker index build
//! (time, memory), `candidates` against the exhaustive scan of every seeker
//! (one thread, same run), and alerts for a feed of new vacancies against
//! every saved seeker's top k, checked exhaustively on a sample.

use std::path::{Path, PathBuf};
use std::time::Instant;

use jobmatch::index::VacancyIndex;
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::reverse::{CandidateResult, ReverseStats, SavedTop, SeekerIndex, SeekerMatcher, Thresholds};
use jobmatch::{Date, Error, Result};
use serde::Serialize;

use crate::bench::{BenchArgs, ensure_market_index, peak_rss_bytes, percentile, pool, reset_peak_rss};
use crate::ui;

/// What `bench --reverse` measures.
#[derive(Serialize, Debug)]
pub struct ReverseReport {
    pub vacancies: u64,
    pub seekers: u64,
    pub top_n: usize,
    pub seeker_index_build_s: f64,
    /// Peak resident memory while building the seeker index, bytes.
    pub seeker_index_peak_rss_bytes: Option<u64>,
    pub seeker_index_bytes: u64,
    pub read_back_s: f64,
    pub prepare_s: f64,
    /// Peak resident memory of the run so far (index, seekers prepared).
    pub prepared_peak_rss_bytes: u64,
    pub candidates_sampled: usize,
    pub candidates_p50_ms: f64,
    pub candidates_p95_ms: f64,
    pub candidates_p99_ms: f64,
    pub exhaustive_p50_ms: f64,
    pub speedup_vs_exhaustive: f64,
    pub candidates_mismatches: u64,
    pub mean_postings: f64,
    pub mean_scored: f64,
    pub thresholds_k: usize,
    pub thresholds_s: Option<f64>,
    pub new_vacancies: u64,
    pub alerts: usize,
    /// Alerts from the vacancies' side ([`SeekerMatcher::alerts`]), median
    /// of the rounds.
    pub alerts_s: f64,
    /// The same feed from the seekers' side (`reverse::alerts`: each saved
    /// seeker prepared and searched over the feed), median, alternating.
    pub alerts_by_seeker_s: f64,
    pub alerts_rounds: usize,
    /// Whether the two sides gave different alert lists (they must not).
    pub alerts_sides_differ: bool,
    /// Per new vacancy, from the vacancies' side.
    pub alerts_mean_postings: f64,
    pub alerts_mean_scored: f64,
    pub alerts_threads: usize,
    /// Saved seekers of the measured service commit.
    pub commit_seekers: u64,
    /// A service's commit with them, renewing the state it served
    /// ([`SeekerMatcher::renew`]; median of the rounds), s.
    pub commit_s: f64,
    /// The same state made anew ([`SeekerMatcher::new`]), alternately, s.
    pub commit_anew_s: f64,
    pub alerts_checked_vacancies: usize,
    pub alerts_mismatches: u64,
    pub command: String,
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: Some(path.to_owned()),
        source,
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

/// Builds the seeker index of the market's first `n` seekers, streaming.
fn build_seeker_index(dir: &Path, market: &Market, n: u64, quiet: bool) -> Result<(f64, Option<u64>)> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    let phase = reset_peak_rss();
    let started = Instant::now();
    let store = SeekerIndex::create(dir)?;
    let bar = ui::progress(n, "seekers saved", quiet, false);
    for j in 0..n {
        store.upsert(&market.seeker(j))?;
        if j % 8192 == 0 {
            bar.set_position(j);
        }
    }
    store.commit()?;
    bar.finish_and_clear();
    Ok((started.elapsed().as_secs_f64(), phase.then(peak_rss_bytes)))
}

fn ranked(r: &CandidateResult) -> Vec<(String, u64)> {
    r.candidates
        .iter()
        .map(|c| (c.seeker.clone(), c.score.to_bits()))
        .collect()
}

/// Rounds of what is timed alternately (each side of alerts once a
/// round; a service's commit): the median is reported.
const ROUNDS: usize = 3;

/// Seekers ranked again to check that saved tops are this build's.
const SPOT_CHECKED: usize = 64;

/// The saved tops of the seekers, ranked forward on `threads` (kept beside
/// the index, so a second run reads them back).
fn thresholds(
    path: &Path,
    matcher: &Matcher,
    seekers: &[jobmatch::Seeker],
    k: usize,
    threads: usize,
    quiet: bool,
) -> Result<(Thresholds, Option<f64>)> {
    if let Ok(file) = std::fs::File::open(path) {
        let tops = jobmatch::io::JsonLines::<_, SavedTop>::new(std::io::BufReader::new(file))
            .collect::<Result<Vec<_>>>()
            .map_err(|e| e.with_path(path))?;
        // Saved tops of these very seekers (ids in order), ranked the way
        // this build ranks (a sample ranked again agrees), else all ranked
        // again: a build that scores differently leaves stale tops behind.
        let same = tops.len() == seekers.len() && tops.iter().zip(seekers).all(|(t, s)| t.seeker == s.id);
        if same {
            let step = (seekers.len() / SPOT_CHECKED).max(1);
            let sample: Vec<jobmatch::Seeker> = seekers.iter().step_by(step).cloned().collect();
            let again = Thresholds::compute(matcher, &sample, k)?;
            let saved = tops.iter().step_by(step);
            if saved
                .into_iter()
                .all(|t| again.top(&t.seeker) == Some(t.top.as_slice()))
            {
                return Ok((Thresholds::from_tops(k, tops)?, None));
            }
            if !quiet {
                eprintln!(
                    "the tops saved in {} were ranked by another build; ranking again",
                    path.display()
                );
            }
        }
    }
    if !quiet {
        eprintln!(
            "ranking the top {k} of {} seekers for their thresholds…",
            seekers.len()
        );
    }
    let started = Instant::now();
    let bar = ui::progress(seekers.len() as u64, "seekers ranked", quiet, false);
    let mut tops = Vec::with_capacity(seekers.len());
    let pool = pool(threads)?;
    for chunk in seekers.chunks(20_000) {
        tops.extend(pool.install(|| Thresholds::compute(matcher, chunk, k))?.tops());
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let mut w = jobmatch::io::JsonLinesWriter::new(ui::create(path)?);
    for t in &tops {
        w.write(t)?;
    }
    w.finish()?;
    Ok((Thresholds::from_tops(k, tops)?, Some(seconds)))
}

/// `bench --reverse`.
pub fn run(args: &BenchArgs, quiet: bool) -> Result<ReverseReport> {
    ensure_market_index(&args.index, args.vacancies, args.seed, quiet)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let n_seekers = args.reverse_seekers;
    let new = args.new_vacancies;
    // The index's market grown by the feed (a vacancy depends on the seed
    // and its number alone, so its first `vacancies` are the index's); its
    // seekers are saved, some planted on vacancies yet to come.
    let market = Market::new(MarketConfig {
        vacancies: args.vacancies + new,
        seekers: n_seekers,
        seed: args.seed,
        ..Default::default()
    });
    let sibling = |what: &str| -> PathBuf {
        let name = args
            .index
            .file_name()
            .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
        args.index.with_file_name(format!("{name}.{what}"))
    };
    let seeker_dir = sibling(&format!("seekers-{n_seekers}"));
    if !quiet {
        eprintln!("saving {n_seekers} seekers into {}", seeker_dir.display());
    }
    let (build_s, build_rss) = build_seeker_index(&seeker_dir, &market, n_seekers, quiet)?;
    let store = SeekerIndex::open(&seeker_dir)?;
    let t = Instant::now();
    let seekers = store.seekers()?;
    let read_back_s = t.elapsed().as_secs_f64();

    let index = VacancyIndex::open(&args.index)?;
    let snapshot = index.snapshot()?;
    let today = snapshot.latest_posted().unwrap_or(Date::new(2021, 3, 31)?);
    let matcher = Matcher::new(snapshot, RankingConfig::default(), today)?;
    let (k, n) = (args.top, args.top);
    let (tops, thresholds_s) = thresholds(
        &sibling(&format!("tops-{n_seekers}-k{k}-seed{}.jsonl", args.seed)),
        &matcher,
        &seekers,
        k,
        threads,
        quiet,
    )?;

    let t = Instant::now();
    let bar = ui::progress(seekers.len() as u64, "seekers prepared", quiet, false);
    let sm = pool(threads)?
        .install(|| SeekerMatcher::with_progress(matcher, &seekers, &|d| bar.set_position(d)))?;
    bar.finish_and_clear();
    let prepare_s = t.elapsed().as_secs_f64();
    let prepared_peak_rss_bytes = peak_rss_bytes();

    // Candidates: a spread of vacancies, one thread; every search, then
    // every scan (as the forward bench times them: a scan between two
    // searches would leave the next search a cold cache).
    let sample = args.reverse_sample.min(args.vacancies as usize);
    let ids: Vec<String> = (0..sample)
        .map(|i| format!("v{}", (i as u64 * 7919 + 13) % args.vacancies))
        .collect();
    let one = pool(1)?;
    let bar = ui::progress(
        2 * sample as u64,
        "vacancies searched, then scanned",
        quiet,
        false,
    );
    let (mut fast_ms, mut slow_ms) = (Vec::new(), Vec::new());
    let (mut mismatches, mut totals) = (0u64, ReverseStats::default());
    one.install(|| -> Result<()> {
        let mut found = Vec::with_capacity(ids.len());
        for id in &ids {
            let t = Instant::now();
            let (fast, st) = sm.candidates_with_stats(id, n)?;
            fast_ms.push(t.elapsed().as_secs_f64() * 1e3);
            totals += st;
            found.push(ranked(&fast));
            bar.inc(1);
        }
        for (id, fast) in ids.iter().zip(&found) {
            let t = Instant::now();
            let slow = sm.candidates_exhaustive(id, n)?;
            slow_ms.push(t.elapsed().as_secs_f64() * 1e3);
            mismatches += u64::from(*fast != ranked(&slow));
            bar.inc(1);
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    fast_ms.sort_by(f64::total_cmp);
    slow_ms.sort_by(f64::total_cmp);

    // Alerts, as the service raises them: the feed scored against the
    // market as it stands. From the vacancies' side (the seekers stay
    // prepared), then from the seekers' side (each prepared again and
    // searched over the feed), the same feed, alternately, on every core;
    // both lists must be equal; then a sample of the feed against scanning
    // it for every seeker.
    let feed: Vec<jobmatch::Vacancy> = (args.vacancies..args.vacancies + new)
        .map(|i| market.vacancy(i))
        .collect();
    if !quiet {
        eprintln!(
            "alerts: {} new vacancies against {} saved seekers, from both sides…",
            feed.len(),
            seekers.len()
        );
    }
    let all = pool(threads)?;
    let (mut by_vacancy_s, mut by_seeker_s) = (Vec::new(), Vec::new());
    let (mut alerts, mut by_seeker, mut alert_stats) = (Vec::new(), Vec::new(), ReverseStats::default());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        (alerts, alert_stats) = all.install(|| sm.alerts_with_stats(&tops, &feed))?;
        by_vacancy_s.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        by_seeker = all.install(|| jobmatch::reverse::alerts(sm.matcher(), &seekers, &tops, &feed))?;
        by_seeker_s.push(t.elapsed().as_secs_f64());
    }
    let alerts_sides_differ = alerts != by_seeker;
    let check: Vec<jobmatch::Vacancy> = feed
        .iter()
        .step_by((feed.len() / 200).max(1))
        .take(200)
        .cloned()
        .collect();
    let fast = all.install(|| sm.alerts(&tops, &check))?;
    let slow = all.install(|| jobmatch::reverse::alerts_exhaustive(sm.matcher(), &seekers, &tops, &check))?;
    // Alerts one way and not the other (or with another score).
    let key = |a: &jobmatch::reverse::Alert| (a.seeker.clone(), a.vacancy.clone(), a.score.to_bits());
    let (fast, slow): (std::collections::HashSet<_>, std::collections::HashSet<_>) =
        (fast.iter().map(key).collect(), slow.iter().map(key).collect());
    let alerts_mismatches = fast.symmetric_difference(&slow).count() as u64;
    by_vacancy_s.sort_by(f64::total_cmp);
    by_seeker_s.sort_by(f64::total_cmp);
    let (alerts_s, alerts_by_seeker_s) = (percentile(&by_vacancy_s, 0.5), percentile(&by_seeker_s, 0.5));

    // A service's commit with saved seekers: the state it serves renewed
    // (as the server's commit does: the seekers prepared above, over the
    // market's index as it stands, are the state it served before) for the
    // first `commit_seekers`, and made anew, alternately with nothing else.
    let commit_seekers = args.commit_seekers.min(n_seekers);
    let commit_dir = sibling(&format!("seekers-{commit_seekers}"));
    build_seeker_index(&commit_dir, &market, commit_seekers, quiet)?;
    let commit_store = SeekerIndex::open(&commit_dir)?;
    let (mut commit_s, mut commit_anew_s) = (Vec::new(), Vec::new());
    let mut served: Option<SeekerMatcher> = None;
    for _ in 0..ROUNDS {
        for anew in [false, true] {
            let t = Instant::now();
            let state = all.install(|| -> Result<SeekerMatcher> {
                let saved = commit_store.seekers()?;
                let matcher = Matcher::new(index.snapshot()?, RankingConfig::default(), today)?;
                matcher.occupation_model()?;
                match (&served, anew) {
                    (_, true) => SeekerMatcher::new(matcher, &saved),
                    (Some(before), false) => before.renew(matcher, &saved),
                    (None, false) => sm.renew(matcher, &saved),
                }
            })?;
            let took = t.elapsed().as_secs_f64();
            if anew {
                commit_anew_s.push(took);
                drop(state);
            } else {
                commit_s.push(took);
                served = Some(state);
            }
        }
    }
    drop(served);
    commit_s.sort_by(f64::total_cmp);
    commit_anew_s.sort_by(f64::total_cmp);
    std::fs::remove_dir_all(&commit_dir).map_err(|e| io_error(&commit_dir, e))?;

    let p50 = percentile(&fast_ms, 0.5);
    let scan_p50 = percentile(&slow_ms, 0.5);
    Ok(ReverseReport {
        vacancies: args.vacancies,
        seekers: n_seekers,
        top_n: n,
        seeker_index_build_s: build_s,
        seeker_index_peak_rss_bytes: build_rss,
        seeker_index_bytes: dir_bytes(&seeker_dir),
        read_back_s,
        prepare_s,
        prepared_peak_rss_bytes,
        candidates_sampled: sample,
        candidates_p50_ms: p50,
        candidates_p95_ms: percentile(&fast_ms, 0.95),
        candidates_p99_ms: percentile(&fast_ms, 0.99),
        exhaustive_p50_ms: scan_p50,
        speedup_vs_exhaustive: scan_p50 / p50.max(1e-9),
        candidates_mismatches: mismatches,
        mean_postings: totals.postings as f64 / sample.max(1) as f64,
        mean_scored: totals.scored as f64 / sample.max(1) as f64,
        thresholds_k: k,
        thresholds_s,
        new_vacancies: new,
        alerts: alerts.len(),
        alerts_s,
        alerts_by_seeker_s,
        alerts_rounds: ROUNDS,
        alerts_sides_differ,
        alerts_mean_postings: alert_stats.postings as f64 / feed.len().max(1) as f64,
        alerts_mean_scored: alert_stats.scored as f64 / feed.len().max(1) as f64,
        alerts_threads: threads,
        commit_seekers,
        commit_s: percentile(&commit_s, 0.5),
        commit_anew_s: percentile(&commit_anew_s, 0.5),
        alerts_checked_vacancies: check.len(),
        alerts_mismatches,
        command: format!(
            "cargo run --release --example jobmatch -- bench --reverse --index {} --vacancies {} --reverse-seekers {} --new-vacancies {} --commit-seekers {} --top {} --seed {}",
            args.index.display(),
            args.vacancies,
            n_seekers,
            new,
            args.commit_seekers,
            args.top,
            args.seed
        ),
    })
}

/// Prints the report for people.
pub fn print(r: &ReverseReport) {
    let gb = |b: u64| format!("{:.2} GB", b as f64 / 1e9);
    let rows = vec![
        vec!["seekers saved".into(), r.seekers.to_string()],
        vec![
            "seeker index build".into(),
            format!(
                "{:.1} s, peak {}, {} on disk",
                r.seeker_index_build_s,
                r.seeker_index_peak_rss_bytes.map_or_else(|| "?".into(), gb),
                gb(r.seeker_index_bytes)
            ),
        ],
        vec![
            "read back, prepare".into(),
            format!(
                "{:.1} s, {:.1} s (peak so far {})",
                r.read_back_s,
                r.prepare_s,
                gb(r.prepared_peak_rss_bytes)
            ),
        ],
        vec![
            format!("candidates top {} (1 thread)", r.top_n),
            format!(
                "p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms",
                r.candidates_p50_ms, r.candidates_p95_ms, r.candidates_p99_ms
            ),
        ],
        vec![
            "exhaustive scan of every seeker".into(),
            format!(
                "p50 {:.2} ms: {:.1}× slower",
                r.exhaustive_p50_ms, r.speedup_vs_exhaustive
            ),
        ],
        vec![
            "mismatches".into(),
            format!(
                "{} of {} vacancies",
                r.candidates_mismatches, r.candidates_sampled
            ),
        ],
        vec![
            "work per vacancy".into(),
            format!("{:.0} postings, {:.0} scored", r.mean_postings, r.mean_scored),
        ],
        vec![
            format!(
                "alerts for {} new vacancies ({} threads)",
                r.new_vacancies, r.alerts_threads
            ),
            format!(
                "{} alerts in {:.2} s from the vacancies' side, {:.2} s from the seekers' side{}",
                r.alerts,
                r.alerts_s,
                r.alerts_by_seeker_s,
                if r.alerts_sides_differ {
                    " (THEY DIFFER)"
                } else {
                    ""
                }
            ),
        ],
        vec![
            "alerts: work per new vacancy".into(),
            format!(
                "{:.0} postings, {:.0} scored",
                r.alerts_mean_postings, r.alerts_mean_scored
            ),
        ],
        vec![
            format!("a service's commit with {} saved seekers", r.commit_seekers),
            format!("{:.2} s ({:.2} s made anew)", r.commit_s, r.commit_anew_s),
        ],
        vec![
            "alerts vs exhaustive".into(),
            format!(
                "{} mismatches on {} vacancies",
                r.alerts_mismatches, r.alerts_checked_vacancies
            ),
        ],
    ];
    ui::table(&["measure", "value"], &rows);
    println!("{}", r.command);
}
