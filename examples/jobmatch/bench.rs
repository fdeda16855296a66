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
    #[arg(long, default_value_t = 10_000)]
    pub new_vacancies: u64,
    /// Measure a service's own market: its vacancies (JSON Lines, indexed into --index when that is missing) …
    #[arg(long, value_name = "FILE", requires = "seekers_file")]
    pub vacancies_file: Option<PathBuf>,
    /// … and its seekers (JSON Lines). Quality figures need the generator's truth and are left out.
    #[arg(long, value_name = "FILE", requires = "vacancies_file")]
    pub seekers_file: Option<PathBuf>,
    /// Measure a sharded market against the single index instead, alternately in one run: province, prefecture, hash:N or N (= hash:N). The shard set is built beside --index when missing.
    #[arg(long, value_name = "SPLIT")]
    pub shards: Option<String>,
}

/// The market an index was built from (kept beside it so that a later
/// bench ranks seekers of the same market).
#[derive(Serialize, Deserialize, PartialEq)]
struct Provenance {
    vacancies: u64,
    seed: u64,
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
    pub top1pct_share: f64,
    pub orphan_share: f64,
    pub cross_border_share: f64,
    pub build_s: Option<f64>,
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

fn proc_status_bytes(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        })
        .map_or(0, |kb| kb * 1024)
}

fn cpu_model() -> String {
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
const THROUGHPUT_PASSES: usize = 3;

/// Builds the index from a generated market when missing; returns the
/// build time when it built.
fn ensure_index(args: &BenchArgs, quiet: bool) -> Result<Option<f64>> {
    ensure_market_index(&args.index, args.vacancies, args.seed, quiet)
}

/// Builds at `index` the index of the generated market of `vacancies` and
/// `seed`, unless it holds it already; the seconds the build took.
pub fn ensure_market_index(
    index: &std::path::Path,
    vacancies: u64,
    seed: u64,
    quiet: bool,
) -> Result<Option<f64>> {
    let wanted = Provenance { vacancies, seed };
    let prov_path = index.join("market.json");
    if index.join("meta.json").exists() {
        let found: Option<Provenance> = std::fs::read(&prov_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if found.as_ref() == Some(&wanted) {
            return Ok(None);
        }
        return Err(Error::Invalid {
            field: "--index".into(),
            reason: format!(
                "{} holds an index of another market (not --vacancies {} --seed {}): give another directory",
                index.display(),
                vacancies,
                seed
            ),
        });
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
    let json = serde_json::to_vec(&wanted).map_err(|e| Error::Panic(e.to_string()))?;
    std::fs::write(&prov_path, json).map_err(|e| Error::Io {
        path: Some(prov_path.clone()),
        source: e,
    })?;
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
fn scaling(args: &BenchArgs, quiet: bool) -> Result<()> {
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

/// A latency CDF, indexed against the exhaustive scan, on a log scale.
fn plot(path: &std::path::Path, indexed: &[f64], scan: &[f64], r: &Report) -> Result<()> {
    use plotters::prelude::*;
    let draw_err = |e: &dyn std::fmt::Display| Error::Io {
        path: Some(path.to_owned()),
        source: std::io::Error::other(e.to_string()),
    };
    register_font()?;
    let root = BitMapBackend::new(path, (960, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| draw_err(&e))?;
    let lo = indexed.first().copied().unwrap_or(0.01).max(0.01);
    let hi = scan.last().copied().unwrap_or(1000.0).max(lo * 10.0);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Latency per seeker, {} vacancies, top {} (scan: 2 seekers at once)",
                r.vacancies, r.top_k
            ),
            ("sans-serif", 20),
        )
        .margin(20)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((lo * 0.8..hi * 1.2).log_scale(), 0.0..1.0)
        .map_err(|e| draw_err(&e))?;
    chart
        .configure_mesh()
        .x_desc("milliseconds (log scale)")
        .y_desc("share of seekers")
        .draw()
        .map_err(|e| draw_err(&e))?;
    for (data, color, label) in [
        (indexed, BLUE, "indexed (pruned)"),
        (scan, RED, "exhaustive scan"),
    ] {
        let n = data.len().max(1) as f64;
        chart
            .draw_series(LineSeries::new(
                data.iter()
                    .enumerate()
                    .map(|(i, &x)| (x.max(lo), (i + 1) as f64 / n)),
                color.stroke_width(2),
            ))
            .map_err(|e| draw_err(&e))?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()
        .map_err(|e| draw_err(&e))?;
    root.present().map_err(|e| draw_err(&e))?;
    Ok(())
}

/// Loads DejaVu Sans (Debian's fonts-dejavu-core) for plot labels, once.
pub fn register_font() -> Result<()> {
    cjk_font().map(|_| ())
}

/// Fonts with Chinese glyphs, tried before DejaVu Sans (which has none).
const CJK_FONTS: [&str; 4] = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
];

/// Registers the plots' font, one with Chinese glyphs when the machine
/// has one (then `true`), else DejaVu Sans.
///
/// # Errors
/// No usable font at all.
pub fn cjk_font() -> Result<bool> {
    use plotters::style::FontStyle;
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if let Some(&cjk) = DONE.get() {
        return Ok(cjk);
    }
    let latin = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ];
    let mut found = None;
    for (cjk, path) in CJK_FONTS
        .iter()
        .map(|p| (true, *p))
        .chain(latin.iter().map(|p| (false, *p)))
    {
        let Ok(bytes) = std::fs::read(path) else { continue };
        let font: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        if plotters::style::register_font("sans-serif", FontStyle::Normal, font).is_ok() {
            found = Some(cjk);
            break;
        }
    }
    let cjk = found.ok_or_else(|| Error::Invalid {
        field: "--plot".into(),
        reason: "no usable font found to draw labels: install fonts-dejavu-core (and fonts-wqy-microhei for Chinese names)".into(),
    })?;
    let _ = DONE.set(cjk);
    Ok(cjk)
}

/// Sorted per-seeker latencies in ms: (indexed, exhaustive scan).
pub type Latencies = (Vec<f64>, Vec<f64>);

/// Runs every measurement; also returns the sorted latencies.
pub fn measure(args: &BenchArgs, quiet: bool) -> Result<(Report, Latencies)> {
    let build_s = ensure_index(args, quiet)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let market = Market::new(MarketConfig {
        vacancies: args.vacancies,
        seekers: args.seekers,
        seed: args.seed,
        ..Default::default()
    });
    let seekers: Vec<Seeker> = (0..args.seekers).map(|j| market.seeker(j)).collect();
    let (index, matcher, open_first_query_ms) = open_and_serve(args, &market, &seekers)?;
    let (sorted, results) = latencies(&matcher, &seekers, args.top, quiet)?;
    let throughput_1t = throughput(&matcher, &seekers, args.top, 1)?;
    let throughput_all = throughput(&matcher, &seekers, args.top, threads)?;
    let scan = exhaustive(&matcher, &seekers, &results, args.top, threads, quiet)?;
    let (recall_at_10, mrr) = planted_quality(&market, &results);
    let quality_all = kind_quality(&market, &results);
    let quality_skills_only = skills_only_quality(&market, &matcher, &seekers, args.top)?;
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
        top1pct_share: health.top1pct_share,
        orphan_share: health.orphan_share,
        cross_border_share: health.cross_border_share,
        build_s,
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
const WORST_DEADLINE_MS: u64 = 10;

/// Builds and times the worst seeker: the most common skills, relocation
/// anywhere, k at the maximum; then the same under a deadline.
fn worst_seeker(matcher: &Matcher) -> Result<WorstSeeker> {
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
fn open_and_serve(
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
fn latencies(
    matcher: &Matcher,
    seekers: &[Seeker],
    top: usize,
    quiet: bool,
) -> Result<(Vec<f64>, Vec<MatchResult>)> {
    let bar = ui::progress(seekers.len() as u64, "latency", quiet, false);
    let mut lat = Vec::with_capacity(seekers.len());
    let mut results = Vec::with_capacity(seekers.len());
    for s in seekers {
        let t = Instant::now();
        let r = matcher.match_one(s, top)?;
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        results.push(r);
        bar.inc(1);
    }
    bar.finish_and_clear();
    lat.sort_by(f64::total_cmp);
    Ok((lat, results))
}

/// Batch throughput on `threads`, seekers a second: the median of three
/// passes over every seeker (one pass takes about a second, short enough
/// for a neighbour's burst of work on a shared machine to skew it).
fn throughput(matcher: &Matcher, seekers: &[Seeker], top: usize, threads: usize) -> Result<f64> {
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
struct Scan {
    /// Per-seeker latencies, sorted, ms.
    sorted_ms: Vec<f64>,
    /// Wall time of the whole scan on all threads.
    seconds: f64,
    /// Seekers whose top k differ from the indexed results.
    mismatches: u64,
}

/// The exhaustive scan on the same seekers, on all cores, timing each and
/// comparing each top k with the indexed one.
fn exhaustive(
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

/// Where each seeker's planted vacancy lands: recall@10 and MRR.
fn planted_quality(market: &Market, results: &[MatchResult]) -> (f64, f64) {
    let mut hits = 0u64;
    let mut rr = 0.0;
    for (j, r) in results.iter().enumerate() {
        let planted = format!("v{}", market.planted_vacancy(j as u64));
        if let Some(pos) = r.matches.iter().position(|m| m.vacancy == planted) {
            if pos < 10 {
                hits += 1;
            }
            rr += 1.0 / (pos + 1) as f64;
        }
    }
    let n = results.len().max(1) as f64;
    (hits as f64 / n, rr / n)
}

/// Whether a seeker's top 10 are the right kind of job.
#[derive(Serialize, Debug, Clone, Copy, Default)]
pub struct Quality {
    /// Seekers measured.
    pub seekers: u64,
    /// Share of the top 10 of the seeker's true occupation.
    pub precision_at_10_occupation: f64,
    /// Share of the top 10 in its minor group.
    pub precision_at_10_minor_group: f64,
    /// nDCG@10, graded: same occupation 3, same minor group 2, same middle
    /// group 1, else 0; the ideal is ten of the seeker's own occupation.
    pub ndcg_at_10: f64,
}

/// Precision@10 and nDCG@10 of `results` (seeker `j`'s at `j`) against
/// the generator's true occupations (a seeker's is that of the vacancy it
/// was planted from). A slot left empty counts as wrong.
fn kind_quality(market: &Market, results: &[MatchResult]) -> Quality {
    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let ideal: f64 = (0..10).map(|i| 3.0 * discount(i)).sum();
    let (mut occ, mut minor, mut ndcg) = (0.0, 0.0, 0.0);
    for (j, r) in results.iter().enumerate() {
        let truth = market.true_occupation(market.planted_vacancy(j as u64));
        let mut dcg = 0.0;
        for (i, m) in r.matches.iter().take(10).enumerate() {
            let Some(v) = m.vacancy.strip_prefix('v').and_then(|x| x.parse::<u64>().ok()) else {
                continue;
            };
            let code = market.true_occupation(v);
            let same = |level: usize| code.truncate(level) == truth.truncate(level);
            let grade = [same(4), same(3), same(2)]
                .iter()
                .position(|&x| x)
                .map_or(0.0, |p| 3.0 - p as f64);
            occ += f64::from(u8::from(same(4))) / 10.0;
            minor += f64::from(u8::from(same(3))) / 10.0;
            dcg += grade * discount(i);
        }
        ndcg += dcg / ideal;
    }
    let n = results.len().max(1) as f64;
    Quality {
        seekers: results.len() as u64,
        precision_at_10_occupation: occ / n,
        precision_at_10_minor_group: minor / n,
        ndcg_at_10: ndcg / n,
    }
}

/// The same seekers giving only their skills (no title, no code), ranked
/// again, and their quality: what a seeker who lists only skills gets.
fn skills_only_quality(
    market: &Market,
    matcher: &Matcher,
    seekers: &[Seeker],
    top: usize,
) -> Result<Quality> {
    let stripped: Vec<Seeker> = seekers
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.titles.clear();
            s.occupations.clear();
            s
        })
        .collect();
    let results = matcher
        .match_batch(&stripped, top.max(10), false)
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    Ok(kind_quality(market, &results))
}

/// How the recommendations spread over the market.
struct Health {
    /// Share of slots taken by the most recommended 1% of vacancies.
    top1pct_share: f64,
    /// Share of vacancies never recommended.
    orphan_share: f64,
    /// Share of recommendations across the provincial border.
    cross_border_share: f64,
}

fn market_health(market: &Market, seekers: &[Seeker], results: &[MatchResult], vacancies: u64) -> Health {
    let mut slots: std::collections::HashMap<&str, u64> = Default::default();
    let mut cross = 0u64;
    let mut total_slots = 0u64;
    for (s, r) in seekers.iter().zip(results) {
        for m in &r.matches {
            *slots.entry(m.vacancy.as_str()).or_default() += 1;
            total_slots += 1;
            let vid: u64 = m.vacancy.trim_start_matches('v').parse().unwrap_or(0);
            if market.vacancy(vid).region.get() / 10_000 != s.region.get() / 10_000 {
                cross += 1;
            }
        }
    }
    let mut counts: Vec<u64> = slots.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top1 = ((vacancies as f64) * 0.01).ceil() as usize;
    Health {
        top1pct_share: counts.iter().take(top1).sum::<u64>() as f64 / total_slots.max(1) as f64,
        orphan_share: 1.0 - slots.len() as f64 / vacancies.max(1) as f64,
        cross_border_share: cross as f64 / total_slots.max(1) as f64,
    }
}

/// A live update: upsert 10,000 vacancies (the same content again, so the
/// index stays that market) and commit; seconds.
fn upsert_10k(index: &VacancyIndex, market: &Market, vacancies: u64) -> Result<f64> {
    let start = Instant::now();
    for i in 0..10_000.min(vacancies) {
        index.upsert(&market.vacancy(i))?;
    }
    index.commit()?;
    let seconds = start.elapsed().as_secs_f64();
    index.close_writer()?;
    Ok(seconds)
}

fn print(r: &Report) {
    println!(
        "jobmatch bench: {} vacancies, {} seekers, top {}, {} threads ({})\n",
        r.vacancies, r.seekers, r.top_k, r.threads, r.cpu
    );
    let rows = vec![
        vec![
            "latency, 1 thread (ms)".into(),
            format!(
                "min {:.3}  p50 {:.3}  p95 {:.3}  p99 {:.3}  max {:.3}",
                r.p_min_ms, r.p50_ms, r.p95_ms, r.p99_ms, r.p_max_ms
            ),
        ],
        vec![
            "throughput (seekers/s)".into(),
            format!(
                "1 thread {:.0}, {} threads {:.0} (×{:.2})",
                r.throughput_1t, r.threads, r.throughput_all, r.parallel_speedup
            ),
        ],
        vec![
            "exhaustive scan".into(),
            format!(
                "p50 {:.1} ms, {:.0} seekers/s on {} threads",
                r.scan_p50_ms, r.scan_throughput_all, r.threads
            ),
        ],
        vec![
            "indexed vs scan".into(),
            format!(
                "×{:.1} faster (p50), top-k mismatches {}",
                r.speedup_vs_scan, r.topk_mismatches
            ),
        ],
        vec![
            "quality (planted)".into(),
            format!("recall@10 {:.3}, MRR {:.3}", r.recall_at_10, r.mrr),
        ],
        vec![
            "quality (kind of job)".into(),
            format!(
                "precision@10 occupation {:.3}, minor group {:.3}, nDCG@10 {:.3}; skills-only seekers ({}): {:.3} / {:.3} / {:.3}",
                r.quality_all.precision_at_10_occupation,
                r.quality_all.precision_at_10_minor_group,
                r.quality_all.ndcg_at_10,
                r.quality_skills_only.seekers,
                r.quality_skills_only.precision_at_10_occupation,
                r.quality_skills_only.precision_at_10_minor_group,
                r.quality_skills_only.ndcg_at_10
            ),
        ],
        vec![
            "market health".into(),
            format!(
                "top 1% of vacancies take {:.1}% of slots; {:.1}% never shown; {:.2}% cross-border",
                100.0 * r.top1pct_share,
                100.0 * r.orphan_share,
                100.0 * r.cross_border_share
            ),
        ],
        vec![
            "index".into(),
            format!(
                "{:.0} MB on disk{}; reopen + first query {:.0} ms",
                r.index_bytes as f64 / 1e6,
                r.build_s
                    .map_or(String::new(), |b| format!(", built in {b:.1} s")),
                r.open_first_query_ms
            ),
        ],
        vec![
            "worst seeker".into(),
            format!(
                "{} skills, relocating anywhere, k = {}: {:.1} ms indexed ({}), {:.0} ms exhaustive; with a {} ms deadline {:.1} ms, {} matches{}",
                r.worst_seeker.skills,
                r.worst_seeker.k,
                r.worst_seeker.indexed_ms,
                if r.worst_seeker.exact {
                    "exact"
                } else {
                    "NOT exact"
                },
                r.worst_seeker.exhaustive_ms,
                r.worst_seeker.deadline_ms,
                r.worst_seeker.with_deadline_ms,
                r.worst_seeker.with_deadline_matches,
                if r.worst_seeker.with_deadline_truncated {
                    ", truncated"
                } else {
                    ""
                }
            ),
        ],
        vec![
            "live update".into(),
            format!("upsert 10,000 vacancies + commit: {:.2} s", r.upsert_10k_s),
        ],
        vec![
            "peak memory".into(),
            format!("{:.0} MB", r.peak_rss_bytes as f64 / 1e6),
        ],
    ];
    ui::table(&["measure", "value"], &rows);
    println!("\nreproduce: {}", r.command);
}

/// `bench --shards`: one round of the single index and the shard set.
#[derive(Serialize, Debug, Clone)]
pub struct ShardRound {
    /// Which was measured: `single` or `sharded`.
    pub what: &'static str,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub throughput_1t: f64,
    pub throughput_all: f64,
}

/// What `bench --shards` measures.
#[derive(Serialize, Debug, Clone)]
pub struct ShardReport {
    pub vacancies: u64,
    pub seekers: u64,
    pub top_k: usize,
    pub sharding: String,
    /// Shard name and vacancies.
    pub shards: Vec<(String, u64)>,
    pub shard_build_s: Option<f64>,
    /// Opening and the first query, ms: single index, shard set.
    pub open_first_query_ms: (f64, f64),
    /// Single, sharded, single, sharded.
    pub rounds: Vec<ShardRound>,
    /// Seekers whose sharded top k differs from the single index's (ids
    /// or score bits).
    pub mismatches: u64,
    /// Deleted documents still in the single index's segments (a plain
    /// `bench` re-upserts 10,000 vacancies): they count in document
    /// frequencies until segments merge, so scores then differ from the
    /// shard set's in the last bits. Compare against a freshly built index.
    pub deleted_in_single: u64,
    /// Shards a seeker reaches, on average.
    pub mean_shards_reached: f64,
    /// Sharded over single, medians of the rounds.
    pub throughput_ratio: f64,
    pub p50_ratio: f64,
    pub shard_bytes: u64,
    pub cpu: String,
    pub command: String,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    percentile(&xs, 0.5)
}

/// Measures the single index against a shard set of the same market.
fn sharded(args: &BenchArgs, split: &str, quiet: bool) -> Result<ShardReport> {
    use jobmatch::shard::{MANIFEST_FILE, ShardSet, Sharding};
    let sharding: Sharding = match split.parse::<u32>() {
        Ok(n) => format!("hash:{n}").parse()?,
        Err(_) => split.parse()?,
    };
    let market = Market::new(MarketConfig {
        vacancies: args.vacancies,
        seekers: args.seekers,
        seed: args.seed,
        ..Default::default()
    });
    let seekers: Vec<Seeker> = match (&args.vacancies_file, &args.seekers_file) {
        (Some(v), Some(s)) => {
            ensure_file_index(&args.index, v, quiet)?;
            read_seekers(s)?
        }
        _ => {
            ensure_index(args, quiet)?;
            (0..args.seekers).map(|j| market.seeker(j)).collect()
        }
    };
    let dir = args.index.with_file_name(format!(
        "{}-shards-{}",
        args.index
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or("jobmatch-bench"),
        sharding.to_string().replace(':', "")
    ));
    let shard_build_s = if dir.join(MANIFEST_FILE).exists() {
        None
    } else {
        if !quiet {
            eprintln!("building the shard set by {sharding} at {}", dir.display());
        }
        let start = Instant::now();
        if let Some(v) = &args.vacancies_file {
            let (reader, _, _) = ui::open_counted(v)?;
            let records = jobmatch::io::JsonLines::<_, jobmatch::Vacancy>::new(reader);
            ShardSet::build(&dir, sharding, records, Default::default()).map_err(|e| e.with_path(v))?;
        } else {
            let bar = ui::progress(args.vacancies, "sharding", quiet, false);
            let records = (0..args.vacancies).map(|i| {
                if i % 10_000 == 0 {
                    bar.set_position(i);
                }
                Ok(market.vacancy(i))
            });
            ShardSet::build(&dir, sharding, records, Default::default())?;
            bar.finish_and_clear();
        }
        Some(start.elapsed().as_secs_f64())
    };
    let config = commands::load_config(args.config.as_deref())?;
    let open = |sharded: bool| -> Result<(Matcher, f64, Option<ShardSet>)> {
        let start = Instant::now();
        let (snapshot, set) = if sharded {
            let set = ShardSet::open(&dir)?;
            (set.snapshot()?, Some(set))
        } else {
            (VacancyIndex::open(&args.index)?.snapshot()?, None)
        };
        let today = snapshot.latest_posted().unwrap_or(market.config().today);
        let m = Matcher::new(snapshot, config.clone(), today)?;
        if let Some(s) = seekers.first() {
            m.match_one(s, args.top)?;
        }
        Ok((m, start.elapsed().as_secs_f64() * 1e3, set))
    };
    let (single, open_single, _) = open(false)?;
    let (sharded, open_sharded, set) = open(true)?;
    let set = set.ok_or_else(|| Error::Panic("no shard set".into()))?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut rounds = Vec::new();
    let mut results: Vec<Vec<MatchResult>> = Vec::new();
    for round in 0..4 {
        let (what, m) = if round % 2 == 0 {
            ("single", &single)
        } else {
            ("sharded", &sharded)
        };
        let (lat, rs) = latencies(m, &seekers, args.top, quiet)?;
        if round < 2 {
            results.push(rs);
        }
        rounds.push(ShardRound {
            what,
            p50_ms: percentile(&lat, 0.5),
            p99_ms: percentile(&lat, 0.99),
            throughput_1t: throughput(m, &seekers, args.top, 1)?,
            throughput_all: throughput(m, &seekers, args.top, threads)?,
        });
    }
    let key = |r: &MatchResult| -> Vec<(String, u64)> {
        r.matches
            .iter()
            .map(|m| (m.vacancy.clone(), m.score.to_bits()))
            .collect()
    };
    let mismatches = match results.as_slice() {
        [a, b] => a.iter().zip(b).filter(|(x, y)| key(x) != key(y)).count() as u64,
        _ => 0,
    };
    let mut reached = 0usize;
    for s in &seekers {
        reached += set.reachable(s)?.len();
    }
    let of = |what: &str, f: fn(&ShardRound) -> f64| -> f64 {
        median(rounds.iter().filter(|r| r.what == what).map(f).collect())
    };
    let shard_bytes = walk_bytes(&dir);
    Ok(ShardReport {
        vacancies: single.snapshot().num_vacancies(),
        seekers: seekers.len() as u64,
        top_k: args.top,
        sharding: sharding.to_string(),
        shards: set
            .manifest()
            .shards
            .iter()
            .map(|s| (s.name.clone(), s.vacancies))
            .collect(),
        shard_build_s,
        open_first_query_ms: (open_single, open_sharded),
        throughput_ratio: of("sharded", |r| r.throughput_all) / of("single", |r| r.throughput_all),
        p50_ratio: of("sharded", |r| r.p50_ms) / of("single", |r| r.p50_ms),
        rounds,
        mismatches,
        deleted_in_single: single.snapshot().num_deleted(),
        mean_shards_reached: reached as f64 / seekers.len().max(1) as f64,
        shard_bytes,
        cpu: cpu_model(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
    })
}

/// Bytes of the files under a directory.
fn walk_bytes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => walk_bytes(&e.path()),
            _ => e.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

fn print_sharded(r: &ShardReport) {
    println!(
        "{} vacancies by {} into {} shards ({}), {} seekers, top {}",
        r.vacancies,
        r.sharding,
        r.shards.len(),
        r.shards
            .iter()
            .map(|(n, v)| format!("{n}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        r.seekers,
        r.top_k
    );
    let rows: Vec<Vec<String>> = r
        .rounds
        .iter()
        .map(|x| {
            vec![
                x.what.to_owned(),
                format!("{:.3}", x.p50_ms),
                format!("{:.3}", x.p99_ms),
                format!("{:.0}", x.throughput_1t),
                format!("{:.0}", x.throughput_all),
            ]
        })
        .collect();
    ui::table(
        &["run", ">p50 ms", ">p99 ms", ">1 thread/s", ">all threads/s"],
        &rows,
    );
    println!(
        "sharded / single: throughput x{:.3}, p50 x{:.3}; {} mismatches; {:.2} shards reached per seeker; open + first query {:.0} / {:.0} ms",
        r.throughput_ratio,
        r.p50_ratio,
        r.mismatches,
        r.mean_shards_reached,
        r.open_first_query_ms.0,
        r.open_first_query_ms.1
    );
    if r.deleted_in_single > 0 {
        println!(
            "note: the single index holds {} deleted documents, which count in its document frequencies: compare against a freshly built index",
            r.deleted_in_single
        );
    }
}

/// The index at `index` of a vacancies file: built when missing (and the
/// file recorded beside it), reused when built from the same file.
pub fn ensure_file_index(
    index: &std::path::Path,
    vacancies: &std::path::Path,
    quiet: bool,
) -> Result<Option<f64>> {
    let source = std::fs::canonicalize(vacancies).map_err(|e| Error::Io {
        path: Some(vacancies.to_owned()),
        source: e,
    })?;
    let prov_path = index.join("source.txt");
    if index.join("meta.json").exists() {
        let found = std::fs::read_to_string(&prov_path).unwrap_or_default();
        if found.trim() == source.display().to_string() {
            return Ok(None);
        }
        return Err(Error::Invalid {
            field: "--index".into(),
            reason: format!(
                "{} holds an index of another market (not {}): give another directory",
                index.display(),
                vacancies.display()
            ),
        });
    }
    let start = Instant::now();
    commands::load(vacancies, index, commands::Loading::default(), quiet)?;
    std::fs::write(&prov_path, source.display().to_string()).map_err(|e| Error::Io {
        path: Some(prov_path.clone()),
        source: e,
    })?;
    Ok(Some(start.elapsed().as_secs_f64()))
}

/// Every seeker of a JSON Lines file (the first bad line is an error that
/// names it).
pub fn read_seekers(path: &std::path::Path) -> Result<Vec<Seeker>> {
    let (reader, _, _) = ui::open_counted(path)?;
    jobmatch::io::JsonLines::<_, Seeker>::new(reader)
        .collect::<Result<Vec<_>>>()
        .map_err(|e| e.with_path(path))
}

/// What `bench --vacancies-file F --seekers-file F` measures: the figures
/// that need no generator's truth.
#[derive(Serialize, Debug, Clone)]
pub struct FileReport {
    pub vacancies: u64,
    pub seekers: u64,
    pub top_k: usize,
    pub threads: usize,
    pub build_s: Option<f64>,
    pub open_first_query_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub throughput_1t: f64,
    pub throughput_all: f64,
    pub scan_p50_ms: f64,
    pub speedup_vs_scan: f64,
    pub topk_mismatches: u64,
    pub worst_seeker: WorstSeeker,
    pub index_bytes: u64,
    pub peak_rss_bytes: u64,
    pub cpu: String,
    pub command: String,
}

/// `bench` on a service's own files.
fn measure_files(
    args: &BenchArgs,
    vacancies: &std::path::Path,
    seekers_file: &std::path::Path,
    quiet: bool,
) -> Result<FileReport> {
    let build_s = ensure_file_index(&args.index, vacancies, quiet)?;
    let seekers = read_seekers(seekers_file)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let index = VacancyIndex::open(&args.index)?;
    let snapshot = index.snapshot()?;
    let today = snapshot
        .latest_posted()
        .unwrap_or(jobmatch::Date::new(2021, 3, 31)?);
    let matcher = Matcher::new(snapshot, commands::load_config(args.config.as_deref())?, today)?;
    if let Some(s) = seekers.first() {
        matcher.match_one(s, args.top)?;
    }
    let open_first_query_ms = start.elapsed().as_secs_f64() * 1e3;
    let (sorted, results) = latencies(&matcher, &seekers, args.top, quiet)?;
    let throughput_1t = throughput(&matcher, &seekers, args.top, 1)?;
    let throughput_all = throughput(&matcher, &seekers, args.top, threads)?;
    let scan = exhaustive(&matcher, &seekers, &results, args.top, threads, quiet)?;
    let p50 = percentile(&sorted, 0.5);
    let scan_p50 = percentile(&scan.sorted_ms, 0.5);
    Ok(FileReport {
        vacancies: matcher.snapshot().num_vacancies(),
        seekers: seekers.len() as u64,
        top_k: args.top,
        threads,
        build_s,
        open_first_query_ms,
        p50_ms: p50,
        p95_ms: percentile(&sorted, 0.95),
        p99_ms: percentile(&sorted, 0.99),
        throughput_1t,
        throughput_all,
        scan_p50_ms: scan_p50,
        speedup_vs_scan: scan_p50 / p50.max(1e-9),
        topk_mismatches: scan.mismatches,
        worst_seeker: worst_seeker(&matcher)?,
        index_bytes: index.size_on_disk(),
        peak_rss_bytes: peak_rss_bytes(),
        cpu: cpu_model(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
    })
}

fn print_files(r: &FileReport) {
    println!(
        "{} vacancies, {} seekers, top {}, {} threads ({})",
        r.vacancies, r.seekers, r.top_k, r.threads, r.cpu
    );
    let rows = vec![
        vec![
            "latency p50 / p95 / p99".to_owned(),
            format!("{:.3} / {:.3} / {:.3} ms", r.p50_ms, r.p95_ms, r.p99_ms),
        ],
        vec![
            "throughput, 1 / all threads".to_owned(),
            format!("{:.0} / {:.0} seekers/s", r.throughput_1t, r.throughput_all),
        ],
        vec![
            "exhaustive scan p50".to_owned(),
            format!(
                "{:.1} ms (indexed x{:.1} faster)",
                r.scan_p50_ms, r.speedup_vs_scan
            ),
        ],
        vec![
            "top-k mismatches vs the scan".to_owned(),
            r.topk_mismatches.to_string(),
        ],
        vec![
            "open + first query".to_owned(),
            format!("{:.0} ms", r.open_first_query_ms),
        ],
        vec![
            "worst seeker (indexed / scan)".to_owned(),
            format!(
                "{:.1} / {:.1} ms",
                r.worst_seeker.indexed_ms, r.worst_seeker.exhaustive_ms
            ),
        ],
        vec![
            "index on disk / peak memory".to_owned(),
            format!(
                "{:.0} MB / {:.0} MB",
                r.index_bytes as f64 / 1e6,
                r.peak_rss_bytes as f64 / 1e6
            ),
        ],
    ];
    ui::table(&["measure", "value"], &rows);
}
