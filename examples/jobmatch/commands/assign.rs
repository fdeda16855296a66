//! `assign`: who gets which of the limited openings (a job fair).

use std::collections::BTreeMap;

use jobmatch::assign::{FitConfig, GroupOutcome, Policy, Preferences};

use super::*;

/// Arguments of `assign`.
#[derive(Args)]
pub struct AssignArgs {
    /// Index directory.
    #[arg(long)]
    pub index: PathBuf,
    /// Seekers, JSON Lines.
    #[arg(long)]
    pub seekers: PathBuf,
    /// Length of each seeker's preference list (their top k).
    #[arg(long, default_value_t = 50)]
    pub top: usize,
    /// Priority policy (JSON or TOML: `groups`, `fit_bonus`, `reserved_share`); the report then compares placement rates with and without it.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Write one placement per seeker here (JSON Lines) instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Write the report (JSON) here.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write each listed vacancy's outcome (openings, admitted, cut-off) here, JSON Lines: what `match --cutoffs` reads.
    #[arg(long)]
    pub vacancies_out: Option<PathBuf>,
    /// Threads for ranking the lists (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Blocking pairs are checked by brute force over this many seekers.
    #[arg(long, default_value_t = 10_000)]
    pub check: usize,
    #[command(flatten)]
    pub rank: RankArgs,
}

/// What `assign` reports.
#[derive(Serialize)]
struct AssignReport {
    seekers: usize,
    placed: usize,
    unplaced: usize,
    /// Openings of the vacancies on some list.
    openings: u64,
    filled: usize,
    vacancies_listed: usize,
    vacancies_full: usize,
    list_entries: usize,
    proposals: u64,
    by_group: BTreeMap<&'static str, GroupOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_group_without_policy: Option<BTreeMap<&'static str, GroupOutcome>>,
    blocking_pairs: usize,
    blocking_pairs_checked: usize,
    rank_s: f64,
    assign_s: f64,
    elapsed_s: f64,
    /// The process's peak resident memory (index, seekers, lists and
    /// assignment), bytes.
    peak_rss_bytes: u64,
    /// Resident memory when the assignment began, the index closed: the
    /// lists and the seekers, bytes.
    lists_rss_bytes: u64,
    /// Peak resident memory while assigning (lists, seekers and the
    /// assignment), bytes; `null` where the peak cannot be reset.
    #[serde(skip_serializing_if = "Option::is_none")]
    assign_peak_rss_bytes: Option<u64>,
}

/// Ranks each seeker's top `k` and the fits (on the current rayon pool), a
/// chunk of seekers at a time so that a progress bar can move.
pub(super) fn rank_lists(
    matcher: &Matcher,
    seekers: &[Seeker],
    k: usize,
    quiet: bool,
) -> Result<Preferences> {
    if !quiet {
        eprintln!("ranking the top {k} of {} seekers…", seekers.len());
    }
    let bar = ui::progress(seekers.len() as u64, "seekers ranked", quiet, false);
    let prefs = Preferences::rank_in_chunks(matcher, seekers, k, &FitConfig::default(), 20_000, |n| {
        bar.set_position(n as u64)
    })?;
    bar.finish_and_clear();
    Ok(prefs)
}

pub(super) fn load_policy(path: &Path) -> Result<Policy> {
    let policy: Policy = read_config(path)?;
    policy.validate().map_err(|e| e.with_path(path))?;
    Ok(policy)
}

/// `assign`.
pub fn assign(args: AssignArgs, quiet: bool) -> Result<()> {
    let started = Instant::now();
    let policy = match &args.policy {
        Some(p) => load_policy(p)?,
        None => Policy::default(),
    };
    let matcher = open_matcher(&args.index, &args.rank)?;
    let (reader, _, _) = ui::open_counted(&args.seekers)?;
    let seekers: Vec<Seeker> = JsonLines::<_, Seeker>::new(reader)
        .collect::<Result<_>>()
        .map_err(|e| e.with_path(&args.seekers))?;
    let pool = crate::bench::pool(args.threads.unwrap_or(0))?;
    let t = Instant::now();
    let prefs = pool.install(|| rank_lists(&matcher, &seekers, args.top, quiet))?;
    let rank_s = t.elapsed().as_secs_f64();
    // The assignment needs only the lists: close the index, so that the
    // assignment's own memory can be measured apart from the ranking's.
    drop(matcher);
    let peak_before = crate::bench::peak_rss_bytes();
    let phase = crate::bench::reset_peak_rss();
    let lists_rss_bytes = crate::bench::rss_bytes();
    let t = Instant::now();
    let a = prefs.assign(&policy)?;
    let assign_s = t.elapsed().as_secs_f64();
    let assign_peak_rss_bytes = phase.then(crate::bench::peak_rss_bytes);
    let without = args
        .policy
        .is_some()
        .then(|| prefs.assign(&Policy::default()).map(|b| b.by_group()))
        .transpose()?;
    let mut out = JsonLinesWriter::new(match &args.output {
        Some(p) => Box::new(ui::create(p)?) as Box<dyn Write>,
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    });
    for p in &a.placements {
        out.write(p)?;
    }
    out.finish()?;
    if let Some(path) = &args.vacancies_out {
        let mut w = JsonLinesWriter::new(ui::create(path)?);
        for v in &a.vacancies {
            w.write(v).map_err(|e| e.with_path(path))?;
        }
        w.finish().map_err(|e| e.with_path(path))?;
    }
    let report = AssignReport {
        seekers: seekers.len(),
        placed: a.placed(),
        unplaced: seekers.len() - a.placed(),
        openings: a.openings(),
        filled: a.filled(),
        vacancies_listed: a.vacancies.len(),
        vacancies_full: a.vacancies.iter().filter(|v| v.cutoff.is_some()).count(),
        list_entries: prefs.entries(),
        proposals: a.proposals,
        by_group: a.by_group(),
        by_group_without_policy: without,
        blocking_pairs: a.blocking_pairs(args.check),
        blocking_pairs_checked: args.check.min(seekers.len()),
        rank_s,
        assign_s,
        elapsed_s: started.elapsed().as_secs_f64(),
        peak_rss_bytes: crate::bench::peak_rss_bytes().max(peak_before),
        lists_rss_bytes,
        assign_peak_rss_bytes,
    };
    if let Some(path) = &args.report {
        ui::write_json(path, &report)?;
    }
    if !quiet {
        eprintln!(
            "placed {} of {} seekers in {} openings of {} vacancies; ranked in {rank_s:.1} s, assigned in {assign_s:.2} s ({} proposals{}); {} blocking pairs among {} seekers checked",
            report.placed,
            report.seekers,
            report.openings,
            report.vacancies_listed,
            report.proposals,
            report
                .assign_peak_rss_bytes
                .map(|b| format!(", peak memory {:.2} GB", b as f64 / 1e9))
                .unwrap_or_default(),
            report.blocking_pairs,
            report.blocking_pairs_checked
        );
    }
    Ok(())
}
