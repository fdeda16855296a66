//! A sharded market against the single index, alternately in one run.

use super::*;

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

pub(super) fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    percentile(&xs, 0.5)
}

/// Measures the single index against a shard set of the same market.
pub(super) fn sharded(args: &BenchArgs, split: &str, quiet: bool) -> Result<ShardReport> {
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
        let (lat, rs, _) = latencies(m, &seekers, args.top, quiet)?;
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
pub(super) fn walk_bytes(dir: &std::path::Path) -> u64 {
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

pub(super) fn print_sharded(r: &ShardReport) {
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
