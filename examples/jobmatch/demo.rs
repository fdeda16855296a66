//! `demo`: the README's first command. Generates a market, indexes it,
//! matches seekers, and shows what happened.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use jobmatch::index::VacancyIndex;
use jobmatch::io::JsonLines;
use jobmatch::market::{MarketConfig, PLATFORM_VACANCIES, calibration};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::stats::MarketStats;
use jobmatch::{Error, Industry, Result, Seeker};

use crate::{commands, ui};

/// Arguments of `demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Use the platform's full 1.88 million vacancies (about two minutes more).
    #[arg(long)]
    full: bool,
    /// Number of vacancies (default 300,000; with --full 1,880,000).
    #[arg(long)]
    vacancies: Option<u64>,
    /// Seekers to match.
    #[arg(long, default_value_t = 2_000)]
    seekers: u64,
    /// Random seed.
    #[arg(long, default_value_t = 2021)]
    seed: u64,
    /// Keep the market and index here (default: a temporary directory).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// `demo`.
pub fn run(args: DemoArgs, quiet: bool) -> Result<()> {
    let n = args
        .vacancies
        .unwrap_or(if args.full { PLATFORM_VACANCIES } else { 300_000 });
    let tmp;
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => {
            tmp = tempdir()?;
            tmp.0.clone()
        }
    };
    let started = Instant::now();
    println!(
        "jobmatch demo: a synthetic Sichuan–Chongqing market of {n} vacancies and {} seekers\n",
        args.seekers
    );

    let t = Instant::now();
    let config = MarketConfig {
        vacancies: n,
        seekers: args.seekers,
        seed: args.seed,
        ..Default::default()
    };
    let (vpath, spath) = commands::write_market(&config, &dir.join("market"), quiet)?;
    let generate_s = t.elapsed().as_secs_f64();
    println!(
        "1. generated the market into {} in {generate_s:.1} s",
        dir.join("market").display()
    );

    let idx = dir.join("index");
    if idx.exists() {
        std::fs::remove_dir_all(&idx).map_err(|e| Error::Io {
            path: Some(idx.clone()),
            source: e,
        })?;
    }
    let summary = commands::load(&vpath, &idx, commands::Loading::default(), quiet)?;
    println!(
        "2. indexed {} vacancies in {:.1} s ({:.0}/s), {:.0} MB on disk",
        summary.indexed,
        summary.seconds,
        summary.indexed as f64 / summary.seconds,
        summary.bytes_on_disk as f64 / 1e6
    );

    let index = VacancyIndex::open(&idx)?;
    let snapshot = index.snapshot()?;
    let today = snapshot.latest_posted().unwrap_or(config.today);
    let matcher = Matcher::new(snapshot.clone(), RankingConfig::default(), today)?;
    let (reader, _, _) = ui::open_counted(&spath)?;
    let seekers: Vec<Seeker> = JsonLines::new(reader).collect::<Result<_>>()?;
    let t = Instant::now();
    let results = matcher.match_batch(&seekers, 10, false);
    let match_s = t.elapsed().as_secs_f64();
    let results: Vec<_> = results.into_iter().collect::<Result<_>>()?;
    let matched = results.iter().filter(|r| !r.matches.is_empty()).count();
    println!(
        "3. matched {} seekers (top 10 each) in {:.2} s on all cores: {:.0} seekers/s, {:.2} ms per seeker; {} got at least one match\n",
        seekers.len(),
        match_s,
        seekers.len() as f64 / match_s,
        match_s * 1e3 / seekers.len() as f64 * rayon::current_num_threads() as f64,
        matched
    );

    println!("Three seekers and their best matches:\n");
    for (s, r) in seekers.iter().zip(&results).take(3) {
        let short = jobmatch::matcher::MatchResult {
            seeker: r.seeker.clone(),
            matches: r.matches.iter().take(5).cloned().collect(),
            truncated: r.truncated,
        };
        commands::print_matches(&matcher, s, &short, false)?;
        if let Some(best) = r.matches.first() {
            println!("\nWhy {} is first:", best.vacancy);
            commands::print_explanation(&matcher.explain(s, &best.vacancy)?);
        }
        println!();
    }

    // Career guidance for the first seeker: which skill would help most.
    if let Some(s) = seekers.first() {
        let guide = jobmatch::guidance::Guide::new(&matcher, Default::default())?;
        let t = Instant::now();
        let g = guide.seeker(s, 3)?;
        println!(
            "Which skill would help {} most ({} candidates evaluated exactly in {:.1} ms):",
            s.id,
            g.evaluated,
            t.elapsed().as_secs_f64() * 1e3
        );
        for skill in &g.skills {
            println!("  · {}", skill.explanation);
        }
        if g.skills.is_empty() {
            println!("  · no skill of the market would raise this seeker's matches");
        }
        println!();
    }

    println!("Demand by industry, generated vs published (Chongqing 2021):\n");
    let st = MarketStats::of(&snapshot);
    let total = st.total.vacancies.max(1) as f64;
    let rows: Vec<Vec<String>> = Industry::all()
        .map(|i| {
            let count = st.by_industry.get(&i.to_string()).map_or(0, |c| c.vacancies);
            let published = if "COF".contains(i.letter()) {
                format!("{:.2}%", calibration::INDUSTRY_SHARES[i.index()])
            } else {
                "-".into()
            };
            vec![
                i.to_string(),
                i.name_zh().to_owned(),
                format!("{:.2}%", 100.0 * count as f64 / total),
                published,
            ]
        })
        .collect();
    ui::table(&["section", "industry", ">generated", ">published"], &rows);
    println!(
        "\nOpenings: {} in {} vacancies; the dedicated zone published 155,000 vacancies from 9,242 employers.",
        st.total.openings, st.total.vacancies
    );
    println!(
        "\nWhole demo: {:.1} s. Try: jobmatch bench --index /tmp/jm-1880k (full scale), jobmatch --help",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tempdir() -> Result<TempDir> {
    let base = std::env::temp_dir().join(format!("jobmatch-demo-{}", std::process::id()));
    std::fs::create_dir_all(&base).map_err(|e| Error::Io {
        path: Some(base.clone()),
        source: e,
    })?;
    Ok(TempDir(base))
}
