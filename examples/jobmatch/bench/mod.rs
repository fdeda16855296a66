//! `bench`: latency, throughput, exactness against the exhaustive scan,
//! ranking quality and market health, in one run.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use jobmatch::index::VacancyIndex;
use jobmatch::market::{Market, MarketConfig, PLATFORM_VACANCIES};
use jobmatch::matcher::{MatchResult, Matcher};
use jobmatch::{Error, Result, Seeker};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::commands;
use crate::ui;

mod files;
mod print;
mod quality;
mod raw;
mod shards;

pub use files::{ensure_file_index, read_seekers};
use files::{measure_files, print_files};
pub use print::{cjk_font, register_font};
use print::{plot, print};
pub use quality::Quality;
use quality::{Ceiling, kind_ceiling, kind_quality, market_health, planted_quality, skills_only_quality};
use shards::{print_sharded, sharded};

/// Arguments of `bench`.
#[derive(Args, Clone)]
pub struct BenchArgs {
    /// Index directory (built from a generated market when missing).
    #[arg(long)]
    pub index: PathBuf,
    /// Vacancies of the generated market.
    #[arg(long, default_value_t = PLATFORM_VACANCIES)]
    pub vacancies: u64,
    /// Seekers to rank.
    #[arg(long, default_value_t = 2_000)]
    pub seekers: u64,
    /// Results per seeker.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Random seed of the generated market.
    #[arg(long, default_value_t = 2021)]
    pub seed: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Ranking config to measure (JSON or TOML; default: the defaults), e.g. {"infer_occupation": false} to measure without occupations inferred from skills.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Write a latency CDF (indexed vs exhaustive scan) to this PNG.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Measure at several market sizes instead (comma-separated, e.g. 100000,500000,1880000); each gets its own index beside --index.
    #[arg(long, value_delimiter = ',')]
    pub sizes: Vec<u64>,
    /// Measure the other direction instead: the seeker index, `candidates` (top --top) against the exhaustive scan, alerts.
    #[arg(long)]
    pub reverse: bool,
    /// With --reverse: seekers saved.
    #[arg(long, default_value_t = 1_000_000)]
    pub reverse_seekers: u64,
    /// With --reverse: vacancies whose candidates are measured.
    #[arg(long, default_value_t = 1_000)]
    pub reverse_sample: usize,
    /// With --reverse: new vacancies of the alert feed.
    #[arg(long, default_value_t = 1_000)]
    pub new_vacancies: u64,
    /// With --reverse: saved seekers of a service's commit (the state it
    /// serves rebuilt: seekers read back, matcher opened, model learned,
    /// seekers prepared).
    #[arg(long, default_value_t = 100_000)]
    pub commit_seekers: u64,
    /// Measure a service's own market: its vacancies (JSON Lines, indexed into --index when that is missing) …
    #[arg(long, value_name = "FILE", requires = "seekers_file")]
    pub vacancies_file: Option<PathBuf>,
    /// … and its seekers (JSON Lines). Quality figures need the generator's truth and are left out.
    #[arg(long, value_name = "FILE", requires = "vacancies_file")]
    pub seekers_file: Option<PathBuf>,
    /// Measure a sharded market against the single index instead, alternately in one run: province, prefecture, hash:N or N (= hash:N). The shard set is built beside --index when missing.
    #[arg(long, value_name = "SPLIT")]
    pub shards: Option<String>,
    /// Build the index from the same market written as free-text postings (`generate --raw`), through `ingest`: quality then shows what survives ingestion, and the build reports the ingest's speed beside `index` on the clean file.
    #[arg(long, conflicts_with_all = ["vacancies_file", "shards", "sizes"])]
    pub raw: bool,
    /// Write each seeker's indexed search as JSON Lines (id, skills, titles, ms, postings met, columns read, vacancies scored): which seekers are slow, and why. Two builds' files compare seeker by seeker (`scripts/seeker_times.py`).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["reverse", "shards", "sizes"])]
    pub seeker_times: Option<PathBuf>,
}

/// The market an index was built from (kept beside it so that a later
/// bench ranks seekers of the same market).
#[derive(Serialize, Deserialize, PartialEq)]
pub(super) struct Provenance {
    vacancies: u64,
    seed: u64,
    /// Built from the market's raw postings (`bench --raw`).
    #[serde(default)]
    raw: bool,
    /// The generator's version (`jobmatch::market::GENERATOR_VERSION`; 0
    /// in indexes built before it was kept): another version wrote another
    /// market for the same seed.
    #[serde(default)]
    generator: u32,
}

impl Provenance {
    /// The market of `vacancies` of `seed`, as this build generates it.
    pub(super) fn new(vacancies: u64, seed: u64, raw: bool) -> Provenance {
        Provenance {
            vacancies,
            seed,
            raw,
            generator: jobmatch::market::GENERATOR_VERSION,
        }
    }

    /// Whether `index` already holds an index of this market (`false`:
    /// none yet); an index of another market is an error, never rebuilt
    /// over: the directory is the user's.
    pub(super) fn built_in(&self, index: &std::path::Path) -> Result<bool> {
        if !index.join("meta.json").exists() {
            return Ok(false);
        }
        let found: Option<Provenance> = std::fs::read(index.join("market.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if found.as_ref() == Some(self) {
            return Ok(true);
        }
        let what = if self.raw { "the raw postings of " } else { "" };
        let why = match found {
            Some(f) if (f.vacancies, f.seed, f.raw) == (self.vacancies, self.seed, self.raw) => {
                let wrote = match f.generator {
                    0 => "a generator from before versions were kept".to_owned(),
                    v => format!("generator version {v}"),
                };
                format!(
                    ", as {wrote} wrote it; this build's generator is version {}",
                    self.generator
                )
            }
            _ => String::new(),
        };
        Err(Error::Invalid {
            field: "--index".into(),
            reason: format!(
                "{} holds an index of another market (not {what}--vacancies {} --seed {}{why}): remove it or give another directory",
                index.display(),
                self.vacancies,
                self.seed
            ),
        })
    }

    /// Keeps it beside the index just built.
    pub(super) fn write(&self, index: &std::path::Path) -> Result<()> {
        ui::write_json(&index.join("market.json"), self)
    }
}

/// What `bench` measures.
#[derive(Serialize, Debug, Clone)]
pub struct Report {
    pub vacancies: u64,
    pub seekers: u64,
    pub top_k: usize,
    pub threads: usize,
    pub p_min_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub p_max_ms: f64,
    pub throughput_1t: f64,
    pub throughput_all: f64,
    pub parallel_speedup: f64,
    pub scan_p50_ms: f64,
    pub scan_throughput_all: f64,
    pub speedup_vs_scan: f64,
    pub topk_mismatches: u64,
    pub recall_at_10: f64,
    pub mrr: f64,
    /// Whether the top 10 are the right kind of job, by the generator's
    /// true occupations: all seekers.
    pub quality_all: Quality,
    /// The same for the same seekers giving only their skills (no title,
    /// no code), ranked again.
    pub quality_skills_only: Quality,
    /// The most precision@10 the vacancies in the seekers' reach allow.
    pub quality_ceiling: Ceiling,
    pub top1pct_share: f64,
    pub orphan_share: f64,
    pub cross_border_share: f64,
    pub build_s: Option<f64>,
    /// With `--raw`: what ingesting the raw postings cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingest: Option<raw::IngestTiming>,
    pub open_first_query_ms: f64,
    pub upsert_10k_s: f64,
    /// The worst seeker the limits allow, alone.
    pub worst_seeker: WorstSeeker,
    pub index_bytes: u64,
    pub peak_rss_bytes: u64,
    pub cpu: String,
    pub command: String,
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// Peak resident memory of this process (Linux), bytes.
pub fn peak_rss_bytes() -> u64 {
    proc_status_bytes("VmHWM:")
}

/// The process's resident memory now, bytes (0 where `/proc` is missing).
pub fn rss_bytes() -> u64 {
    proc_status_bytes("VmRSS:")
}

/// Resets the peak resident memory to the current one (Linux's
/// `clear_refs` 5), so that [`peak_rss_bytes`] measures one phase of a run;
/// false where that is not supported.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

pub(super) fn proc_status_bytes(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        })
        .map_or(0, |kb| kb * 1024)
}

pub(super) fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A rayon pool of `threads` (0: all cores).
pub fn pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Panic(e.to_string()))
}

/// Passes over the seekers per throughput figure (the median is reported).
pub(super) const THROUGHPUT_PASSES: usize = 3;

/// Builds the index from a generated market when missing; returns the
/// build time when it built.
pub(super) fn ensure_index(
    args: &BenchArgs,
    quiet: bool,
) -> Result<(Option<f64>, Option<raw::IngestTiming>)> {
    if args.raw {
        return raw::ensure_raw_market_index(args, quiet);
    }
    Ok((
        ensure_market_index(&args.index, args.vacancies, args.seed, quiet)?,
        None,
    ))
}

/// Builds at `index` the index of the generated market of `vacancies` and
/// `seed`, unless it holds it already; the seconds the build took.
pub fn ensure_market_index(
    index: &std::path::Path,
    vacancies: u64,
    seed: u64,
    quiet: bool,
) -> Result<Option<f64>> {
    let wanted = Provenance::new(vacancies, seed, false);
    if wanted.built_in(index)? {
        return Ok(None);
    }
    let data = index.with_extension("market");
    let config = MarketConfig {
        vacancies,
        seekers: 0,
        seed,
        ..Default::default()
    };
    if !quiet {
        eprintln!(
            "building the index: generating {} vacancies into {}",
            vacancies,
            data.display()
        );
    }
    let (vpath, _) = commands::write_market(&config, &data, quiet)?;
    let start = Instant::now();
    let summary = commands::load(&vpath, index, commands::Loading::default(), quiet)?;
    let build = start.elapsed().as_secs_f64();
    if !quiet {
        eprintln!("indexed {} vacancies in {build:.1} s", summary.indexed);
    }
    wanted.write(index)?;
    let _ = std::fs::remove_file(&vpath);
    let _ = std::fs::remove_dir_all(&data);
    Ok(Some(build))
}

/// `bench`.
pub fn run(args: BenchArgs, quiet: bool) -> Result<()> {
    if args.reverse {
        let report = crate::reverse_bench::run(&args, quiet)?;
        if args.json {
            return ui::print_json(&report);
        }
        crate::reverse_bench::print(&report);
        return Ok(());
    }
    if !args.sizes.is_empty() {
        return scaling(&args, quiet);
    }
    if let (Some(v), Some(sk)) = (&args.vacancies_file, &args.seekers_file)
        && args.shards.is_none()
    {
        let report = measure_files(&args, v, sk, quiet)?;
        if args.json {
            return ui::print_json(&report);
        }
        print_files(&report);
        return Ok(());
    }
    if let Some(split) = &args.shards {
        let report = sharded(&args, split, quiet)?;
        if args.json {
            return ui::print_json(&report);
        }
        print_sharded(&report);
        return Ok(());
    }
    let (report, latencies) = measure(&args, quiet)?;
    if let Some(path) = &args.plot {
        plot(path, &latencies.0, &latencies.1, &report)?;
    }
    if args.json {
        return ui::print_json(&report);
    }
    print(&report);
    if let Some(path) = &args.plot {
        println!("latency plot: {}", path.display());
    }
    Ok(())
}

/// `bench --sizes`: the same measurements at several market sizes.
pub(super) fn scaling(args: &BenchArgs, quiet: bool) -> Result<()> {
    let mut reports = Vec::new();
    for &n in &args.sizes {
        let dir = args.index.with_file_name(format!(
            "{}-{n}",
            args.index
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or("jobmatch-bench")
        ));
        let one = BenchArgs {
            index: dir,
            vacancies: n,
            sizes: Vec::new(),
            plot: None,
            ..args.clone()
        };
        let (r, _) = measure(&one, quiet)?;
        reports.push(r);
    }
    if args.json {
        return ui::print_json(&reports);
    }
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            vec![
                r.vacancies.to_string(),
                format!("{:.3}", r.p50_ms),
                format!("{:.3}", r.p99_ms),
                format!("{:.0}", r.throughput_all),
                format!("{:.1}", r.scan_p50_ms),
                format!("{:.0}", r.index_bytes as f64 / 1e6),
                format!("{:.0}", r.peak_rss_bytes as f64 / 1e6),
                r.topk_mismatches.to_string(),
            ]
        })
        .collect();
    ui::table(
        &[
            ">vacancies",
            ">p50 ms",
            ">p99 ms",
            ">seekers/s",
            ">scan p50 ms",
            ">index MB",
            ">peak MB",
            ">mismatches",
        ],
        &rows,
    );
    Ok(())
}

/// Sorted per-seeker latencies in ms: (indexed, exhaustive scan).
pub type Latencies = (Vec<f64>, Vec<f64>);

/// Runs every measurement; also returns the sorted latencies.
pub fn measure(args: &BenchArgs, quiet: bool) -> Result<(Report, Latencies)> {
    let (build_s, ingest) = ensure_index(args, quiet)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let market = Market::new(MarketConfig {
        vacancies: args.vacancies,
        seekers: args.seekers,
        seed: args.seed,
        ..Default::default()
    });
    let seekers: Vec<Seeker> = (0..args.seekers).map(|j| market.seeker(j)).collect();
    let (index, matcher, open_first_query_ms) = open_and_serve(args, &market, &seekers)?;
    let (sorted, results, times) = latencies(&matcher, &seekers, args.top, quiet)?;
    write_seeker_times(args.seeker_times.as_deref(), &times)?;
    let throughput_1t = throughput(&matcher, &seekers, args.top, 1)?;
    let throughput_all = throughput(&matcher, &seekers, args.top, threads)?;
    let scan = exhaustive(&matcher, &seekers, &results, args.top, threads, quiet)?;
    let (recall_at_10, mrr) = planted_quality(&market, &results);
    let quality_all = kind_quality(&market, &results);
    let quality_skills_only = skills_only_quality(&market, &matcher, &seekers, args.top)?;
    let quality_ceiling = kind_ceiling(&market, &seekers, args.vacancies, matcher.today());
    let health = market_health(&market, &seekers, &results, args.vacancies);
    let worst_seeker = worst_seeker(&matcher)?;
    let upsert_10k_s = upsert_10k(&index, &market, args.vacancies)?;

    let p50 = percentile(&sorted, 0.5);
    let scan_p50 = percentile(&scan.sorted_ms, 0.5);
    let report = Report {
        vacancies: matcher.snapshot().num_vacancies(),
        seekers: args.seekers,
        top_k: args.top,
        threads,
        p_min_ms: sorted.first().copied().unwrap_or(0.0),
        p50_ms: p50,
        p95_ms: percentile(&sorted, 0.95),
        p99_ms: percentile(&sorted, 0.99),
        p_max_ms: sorted.last().copied().unwrap_or(0.0),
        throughput_1t,
        throughput_all,
        parallel_speedup: throughput_all / throughput_1t,
        scan_p50_ms: scan_p50,
        scan_throughput_all: seekers.len() as f64 / scan.seconds,
        speedup_vs_scan: scan_p50 / p50.max(1e-9),
        topk_mismatches: scan.mismatches,
        recall_at_10,
        mrr,
        quality_all,
        quality_skills_only,
        quality_ceiling,
        top1pct_share: health.top1pct_share,
        orphan_share: health.orphan_share,
        cross_border_share: health.cross_border_share,
        build_s,
        ingest,
        open_first_query_ms,
        upsert_10k_s,
        worst_seeker,
        index_bytes: index.size_on_disk(),
        peak_rss_bytes: peak_rss_bytes(),
        cpu: cpu_model(),
        command: format!(
            "cargo run --release --example jobmatch -- bench --index {} --vacancies {} --seekers {} --top {} --seed {}",
            args.index.display(),
            args.vacancies,
            args.seekers,
            args.top,
            args.seed
        ),
    };
    Ok((report, (sorted, scan.sorted_ms)))
}

/// The worst seeker the limits allow, timed alone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorstSeeker {
    /// Skills given: the most common in the occupations' profiles, as many
    /// as `max_skills_per_seeker`.
    pub skills: usize,
    /// `max_k`.
    pub k: usize,
    /// Median of three runs through the index.
    pub indexed_ms: f64,
    /// Whether that equals the exhaustive scan.
    pub exact: bool,
    /// One exhaustive scan.
    pub exhaustive_ms: f64,
    /// The deadline tried (`deadline_ms`).
    pub deadline_ms: u64,
    /// Median of three runs under it.
    pub with_deadline_ms: f64,
    /// Whether it stopped at the deadline.
    pub with_deadline_truncated: bool,
    /// Matches it returned.
    pub with_deadline_matches: usize,
}

/// The deadline the bench tries on the worst seeker.
pub(super) const WORST_DEADLINE_MS: u64 = 10;

/// Builds and times the worst seeker: the most common skills, relocation
/// anywhere, k at the maximum; then the same under a deadline.
pub(super) fn worst_seeker(matcher: &Matcher) -> Result<WorstSeeker> {
    let config = matcher.config().clone();
    let vocab = jobmatch::taxonomy::skills();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for o in vocab.profiled_occupations() {
        for &id in vocab.profile(o) {
            if let Some(s) = vocab.get(id) {
                *counts.entry(s.name.as_str()).or_default() += 1;
            }
        }
    }
    let mut common: Vec<(&str, usize)> = counts.into_iter().collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let skills: Vec<String> = common
        .iter()
        .take(config.max_skills_per_seeker)
        .map(|(s, _)| (*s).to_owned())
        .collect();
    let mut seeker = Seeker::new("worst", skills, "510104".parse()?)?;
    seeker.commute_km = 500.0;
    seeker.mobility.relocate = true;
    let k = config.max_k;
    // Median of three runs, and the last result.
    let timed = |m: &Matcher| -> Result<(f64, MatchResult)> {
        let once = || -> Result<(f64, MatchResult)> {
            let start = Instant::now();
            let r = m.match_one(&seeker, k)?;
            Ok((start.elapsed().as_secs_f64() * 1e3, r))
        };
        let (a, _) = once()?;
        let (b, _) = once()?;
        let (c, result) = once()?;
        let mut runs = [a, b, c];
        runs.sort_by(f64::total_cmp);
        Ok((runs[1], result))
    };
    let (indexed_ms, indexed) = timed(matcher)?;
    let start = Instant::now();
    let slow = matcher.match_exhaustive(&seeker, k)?;
    let exhaustive_ms = start.elapsed().as_secs_f64() * 1e3;
    let pairs = |r: &MatchResult| -> Vec<(String, u64)> {
        r.matches
            .iter()
            .map(|m| (m.vacancy.clone(), m.score.to_bits()))
            .collect()
    };
    let bounded = Matcher::new(
        matcher.snapshot().clone(),
        jobmatch::rank::RankingConfig {
            deadline_ms: Some(WORST_DEADLINE_MS),
            ..config.clone()
        },
        matcher.today(),
    )?;
    // Learn what the matcher learns lazily before timing it.
    bounded.match_one(&seeker, 1)?;
    let (with_deadline_ms, capped) = timed(&bounded)?;
    Ok(WorstSeeker {
        skills: seeker.skills.len(),
        k,
        indexed_ms,
        exact: pairs(&indexed) == pairs(&slow),
        exhaustive_ms,
        deadline_ms: WORST_DEADLINE_MS,
        with_deadline_ms,
        with_deadline_truncated: capped.truncated,
        with_deadline_matches: capped.matches.len(),
    })
}

/// Reopens the index and serves a first query, as after a restart: the
/// index, its matcher and the milliseconds that took.
pub(super) fn open_and_serve(
    args: &BenchArgs,
    market: &Market,
    seekers: &[Seeker],
) -> Result<(VacancyIndex, Matcher, f64)> {
    let start = Instant::now();
    let index = VacancyIndex::open(&args.index)?;
    let snapshot = index.snapshot()?;
    let today = snapshot.latest_posted().unwrap_or(market.config().today);
    let matcher = Matcher::new(snapshot, commands::load_config(args.config.as_deref())?, today)?;
    if let Some(s) = seekers.first() {
        matcher.match_one(s, args.top)?;
    }
    Ok((index, matcher, start.elapsed().as_secs_f64() * 1e3))
}

/// Each seeker ranked alone on this thread: the sorted latencies in ms and
/// the results, in seeker order.
pub(super) fn latencies(
    matcher: &Matcher,
    seekers: &[Seeker],
    top: usize,
    quiet: bool,
) -> Result<(Vec<f64>, Vec<MatchResult>, Vec<SeekerTime>)> {
    let bar = ui::progress(seekers.len() as u64, "latency", quiet, false);
    let mut lat = Vec::with_capacity(seekers.len());
    let mut results = Vec::with_capacity(seekers.len());
    let mut times = Vec::with_capacity(seekers.len());
    for s in seekers {
        let t = Instant::now();
        let (r, stats) = matcher.match_one_with_stats(s, top)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        lat.push(ms);
        results.push(r);
        times.push(SeekerTime {
            id: s.id.clone(),
            skills: s.skills.len(),
            titles: s.titles.len(),
            ms,
            postings: stats.postings,
            columns_read: stats.columns_read,
            scored: stats.scored,
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    lat.sort_by(f64::total_cmp);
    Ok((lat, results, times))
}

/// One seeker's indexed search, as `bench --seeker-times` writes it.
#[derive(Serialize)]
pub(super) struct SeekerTime {
    id: String,
    /// Skills and titles as the seeker gave them.
    skills: usize,
    titles: usize,
    /// Wall time of the search, one thread.
    ms: f64,
    /// Docs met on the essential lists, columns read, vacancies scored.
    postings: u64,
    columns_read: u64,
    scored: u64,
}

/// Writes `bench --seeker-times`, when asked for.
pub(super) fn write_seeker_times(path: Option<&std::path::Path>, times: &[SeekerTime]) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    let mut w = jobmatch::io::JsonLinesWriter::new(ui::create(path)?);
    for t in times {
        w.write(t)?;
    }
    w.finish().map(drop)
}

/// Batch throughput on `threads`, seekers a second: the median of three
/// passes over every seeker (one pass takes about a second, short enough
/// for a neighbour's burst of work on a shared machine to skew it).
pub(super) fn throughput(matcher: &Matcher, seekers: &[Seeker], top: usize, threads: usize) -> Result<f64> {
    let p = pool(threads)?;
    let mut rates = Vec::with_capacity(THROUGHPUT_PASSES);
    for _ in 0..THROUGHPUT_PASSES {
        let start = Instant::now();
        let rs = p.install(|| matcher.match_batch(seekers, top, false));
        let secs = start.elapsed().as_secs_f64();
        for r in rs {
            r?;
        }
        rates.push(seekers.len() as f64 / secs);
    }
    rates.sort_by(f64::total_cmp);
    Ok(rates[rates.len() / 2])
}

/// What the exhaustive scan measured.
pub(super) struct Scan {
    /// Per-seeker latencies, sorted, ms.
    sorted_ms: Vec<f64>,
    /// Wall time of the whole scan on all threads.
    seconds: f64,
    /// Seekers whose top k differ from the indexed results.
    mismatches: u64,
}

/// The exhaustive scan on the same seekers, on all cores, timing each and
/// comparing each top k with the indexed one.
pub(super) fn exhaustive(
    matcher: &Matcher,
    seekers: &[Seeker],
    indexed: &[MatchResult],
    top: usize,
    threads: usize,
    quiet: bool,
) -> Result<Scan> {
    if !quiet {
        eprintln!(
            "exhaustive scan of {} seekers on {threads} threads…",
            seekers.len()
        );
    }
    let p = pool(threads)?;
    let start = Instant::now();
    let scans: Vec<(f64, Result<MatchResult>)> = p.install(|| {
        seekers
            .par_iter()
            .map(|s| {
                let t = Instant::now();
                let r = matcher.match_exhaustive(s, top);
                (t.elapsed().as_secs_f64() * 1e3, r)
            })
            .collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let mut sorted_ms: Vec<f64> = scans.iter().map(|(t, _)| *t).collect();
    sorted_ms.sort_by(f64::total_cmp);
    let mut mismatches = 0;
    for ((_, scan), fast) in scans.into_iter().zip(indexed) {
        if &scan? != fast {
            mismatches += 1;
        }
    }
    Ok(Scan {
        sorted_ms,
        seconds,
        mismatches,
    })
}

/// A live update: upsert 10,000 vacancies (the same content again, so the
/// index stays that market) and commit; seconds.
pub(super) fn upsert_10k(index: &VacancyIndex, market: &Market, vacancies: u64) -> Result<f64> {
    let start = Instant::now();
    for i in 0..10_000.min(vacancies) {
        index.upsert(&market.vacancy(i))?;
    }
    index.commit()?;
    let seconds = start.elapsed().as_secs_f64();
    index.close_writer()?;
    Ok(seconds)
}
