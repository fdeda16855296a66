//! `jobmatch`: the example command-line tool around the library.
//!
//! ```text
//! cargo run --release --example jobmatch -- demo
//! cargo run --release --example jobmatch -- generate --vacancies 100000 --seekers 1000 --out market
//! ```
//!
//! Exit codes: 0 on success, 2 on bad input or usage, 1 on other failures.

use std::fs::File;
use std::io::{BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jobmatch::market::{Market, MarketConfig, PLATFORM_VACANCIES, calibration};
use jobmatch::{Error, Industry, Result};

#[derive(Parser)]
#[command(
    name = "jobmatch",
    version,
    about = "Match job seekers to vacancies across Sichuan and Chongqing"
)]
struct Cli {
    /// Print no progress bars.
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a synthetic market (vacancies.jsonl and seekers.jsonl) calibrated to the published figures.
    #[command(
        after_help = "Example:\n  jobmatch generate --vacancies 100000 --seekers 2000 --seed 7 --out market/"
    )]
    Generate {
        /// Number of vacancies.
        #[arg(long, default_value_t = PLATFORM_VACANCIES)]
        vacancies: u64,
        /// Number of seekers.
        #[arg(long, default_value_t = 10_000)]
        seekers: u64,
        /// Random seed (same seed, same market).
        #[arg(long, default_value_t = 2021)]
        seed: u64,
        /// Output directory (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Generate a market and print what it looks like next to the published figures.
    #[command(after_help = "Example:\n  jobmatch demo\n  jobmatch demo --full")]
    Demo {
        /// Use the platform's full 1.88 million vacancies.
        #[arg(long)]
        full: bool,
        /// Number of vacancies (default 200,000; --full: 1,880,000).
        #[arg(long)]
        vacancies: Option<u64>,
        /// Random seed.
        #[arg(long, default_value_t = 2021)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if e.is_user_error() { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Generate {
            vacancies,
            seekers,
            seed,
            out,
            json,
        } => {
            let config = MarketConfig {
                vacancies,
                seekers,
                seed,
                ..Default::default()
            };
            let report = generate(&config, &out, cli.quiet)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report).map_err(|e| Error::Index(e.to_string()))?
                );
            } else {
                println!(
                    "wrote {} vacancies ({:.1} MB) and {} seekers to {} in {:.1} s",
                    report.vacancies,
                    report.vacancy_bytes as f64 / 1e6,
                    report.seekers,
                    out.display(),
                    report.seconds
                );
            }
            Ok(())
        }
        Command::Demo {
            full,
            vacancies,
            seed,
        } => {
            let n = vacancies.unwrap_or(if full { PLATFORM_VACANCIES } else { 200_000 });
            demo(n, seed, cli.quiet)
        }
    }
}

#[derive(serde::Serialize)]
struct GenerateReport {
    vacancies: u64,
    seekers: u64,
    vacancy_bytes: u64,
    seekers_bytes: u64,
    seconds: f64,
}

fn progress(len: u64, what: &str, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(len),
        if quiet || !std::io::stderr().is_terminal() {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {human_pos}/{human_len} {per_sec} ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| Error::Io {
            path: path.to_owned(),
            source: e,
        })
}

fn generate(config: &MarketConfig, out: &Path, quiet: bool) -> Result<GenerateReport> {
    std::fs::create_dir_all(out).map_err(|e| Error::Io {
        path: out.to_owned(),
        source: e,
    })?;
    let start = Instant::now();
    let market = Market::new(config.clone());
    let vpath = out.join("vacancies.jsonl");
    let bar = progress(config.vacancies, "vacancies", quiet);
    market
        .write_vacancies(create(&vpath)?, |n| bar.set_position(n))
        .map_err(|e| e.with_path(&vpath))?;
    bar.finish_and_clear();
    let spath = out.join("seekers.jsonl");
    let bar = progress(config.seekers, "seekers", quiet);
    market
        .write_seekers(create(&spath)?, |n| bar.set_position(n))
        .map_err(|e| e.with_path(&spath))?;
    bar.finish_and_clear();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    Ok(GenerateReport {
        vacancies: config.vacancies,
        seekers: config.seekers,
        vacancy_bytes: size(&vpath),
        seekers_bytes: size(&spath),
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn demo(n: u64, seed: u64, quiet: bool) -> Result<()> {
    let config = MarketConfig {
        vacancies: n,
        seekers: 1_000,
        seed,
        ..Default::default()
    };
    let market = Market::new(config);
    let start = Instant::now();
    let bar = progress(n, "generate", quiet);
    let mut by_industry = [0u64; 20];
    let mut openings = 0u64;
    for i in 0..n {
        let v = market.vacancy(i);
        if let Some(ind) = v.industry {
            by_industry[ind.index()] += 1;
        }
        openings += u64::from(v.headcount.get());
        if i % 8192 == 0 {
            bar.set_position(i);
        }
    }
    bar.finish_and_clear();
    println!(
        "Generated {n} vacancies ({openings} openings) in {:.1} s\n",
        start.elapsed().as_secs_f64()
    );
    println!(
        "{:<4} {:<34} {:>10} {:>9}",
        "sec", "industry", "generated", "published"
    );
    for ind in Industry::all() {
        let share = 100.0 * by_industry[ind.index()] as f64 / n as f64;
        let published = match ind.letter() {
            'C' | 'O' | 'F' => format!("{:.2}%", calibration::INDUSTRY_SHARES[ind.index()]),
            _ => "-".to_owned(),
        };
        println!(
            "{:<4} {:<34} {:>9.2}% {:>9}",
            ind.letter(),
            ind.name_en(),
            share,
            published
        );
    }
    println!("\nA vacancy and the seeker planted from it:");
    let s = market.seeker(0);
    let v = market.vacancy(market.planted_vacancy(0));
    println!(
        "{}",
        serde_json::to_string(&v).map_err(|e| Error::Index(e.to_string()))?
    );
    println!(
        "{}",
        serde_json::to_string(&s).map_err(|e| Error::Index(e.to_string()))?
    );
    Ok(())
}
