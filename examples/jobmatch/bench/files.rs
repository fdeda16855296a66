//! A service's own market from files: the figures that need no truth.

use super::*;

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
pub(super) fn measure_files(
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
    let (sorted, results, times) = latencies(&matcher, &seekers, args.top, quiet)?;
    super::write_seeker_times(args.seeker_times.as_deref(), &times)?;
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

pub(super) fn print_files(r: &FileReport) {
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
