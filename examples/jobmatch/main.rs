//! `jobmatch`: the command-line tool around the library.
//!
//! ```text
//! cargo run --release --example jobmatch -- demo
//! cargo run --release --example jobmatch -- generate --vacancies 100000 --seekers 1000 --out market
//! cargo run --release --example jobmatch -- index --input market/vacancies.jsonl --index idx
//! cargo run --release --example jobmatch -- match --index idx --seekers market/seekers.jsonl --top 10
//! ```
//!
//! Output on a terminal is for people (tables, progress bars); in a pipe it
//! is JSON Lines. Exit codes: 0 on success, 2 on bad input or usage, 1 on
//! other failures.

/// mimalloc, not the system allocator: preparing seekers makes and frees
/// millions of small strings and vectors across threads, which glibc's
/// allocator serves markedly slower (a service's commit with saved seekers:
/// docs/reverse.md gives the figures). The library leaves the choice to its
/// embedder.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod commands;
mod demo;
mod flowmap;
mod gapmap;
mod reverse_bench;
mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use jobmatch::market::PLATFORM_VACANCIES;

#[derive(Parser)]
#[command(
    name = "jobmatch",
    version,
    about = "Match job seekers to vacancies across Sichuan and Chongqing",
    after_help = "Start with:\n  jobmatch demo"
)]
struct Cli {
    /// Print no progress bars.
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// Options shared by the commands that rank.
#[derive(Args, Clone)]
pub struct RankArgs {
    /// Ranking config (JSON or TOML; unknown keys are an error).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Rank as of this date, YYYY-MM-DD (default: the newest posting in the index).
    #[arg(long)]
    today: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Assign seekers to the limited openings of vacancies (a job fair): stable, capacity-aware, seeker-optimal.
    #[command(
        after_help = "Example:\n  jobmatch assign --index idx --seekers market/seekers.jsonl --top 50 --output placements.jsonl --report report.json"
    )]
    Assign(commands::AssignArgs),
    /// Which skill would open the most and the best vacancies within a seeker's reach, exactly.
    #[command(
        after_help = "Example:\n  jobmatch guidance --index idx --seekers market/seekers.jsonl --seeker s42 --top 5"
    )]
    Guidance(commands::GuidanceArgs),
    /// Skills employers ask for that local seekers lack, by district or prefecture.
    #[command(
        after_help = "Example:\n  jobmatch gaps --index idx --seekers market/seekers.jsonl --district 渝北区 --plot gaps.png"
    )]
    Gaps(commands::GapsArgs),
    /// A training programme's expected effect on a job fair's placements.
    #[command(
        after_help = "Example:\n  jobmatch training --index idx --seekers market/seekers.jsonl --skills 叉车,仓储管理 --count 500"
    )]
    Training(commands::TrainingArgs),
    /// Simulate a job fair on a generated market and compare with the published figures.
    #[command(
        after_help = "Example:\n  jobmatch simulate --vacancies 100000 --seekers 20000 --top 20 --congestion"
    )]
    Simulate(commands::SimulateArgs),
    /// Fit the signal weights to an outcome log (shown / applied / hired), reporting held-out nDCG@10 before and after.
    #[command(
        after_help = "Example:\n  jobmatch simulate --vacancies-file market/vacancies.jsonl --seekers-file market/seekers.jsonl --index idx --log log.jsonl\n  jobmatch fit-weights --index idx --seekers market/seekers.jsonl --log log.jsonl --output fitted.json"
    )]
    FitWeights(commands::FitWeightsArgs),
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
        /// Share of vacancies that re-post an earlier one under another id (near-duplicates, to measure `index --merge-duplicates`).
        #[arg(long, default_value_t = 0.0)]
        duplicates: f64,
        /// Seekers' willingness to move, Sichuan and Chongqing, relative to the published flows (default: the fitted one, jobmatch::market::FITTED_MOBILITY_SCALE; `1,1` for the unfitted generator).
        #[arg(long, value_delimiter = ',', value_name = "SC,CQ", num_args = 1..=2)]
        mobility_scale: Option<Vec<f64>>,
        /// Write the same market as a job board writes it: free-text postings.jsonl and registrations.jsonl (salaries, places, education in words, skills in the description's prose) for `ingest` or `index --raw`.
        #[arg(long)]
        raw: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Read raw postings or registrations (free-text fields, JSON Lines or CSV) into clean JSON Lines, with a report of every field read, defaulted or refused.
    #[command(
        after_help = "Examples:\n  jobmatch ingest --input postings.jsonl --output vacancies.jsonl --report ingest-report.json\n  jobmatch ingest --input export.csv --columns title=岗位名称,salary=薪资待遇 --output vacancies.jsonl --report report.json\n  jobmatch ingest --seekers --input registrations.jsonl --output seekers.jsonl --report report.json"
    )]
    Ingest(commands::IngestArgs),
    /// Build or update an index from a JSON Lines file of vacancies.
    #[command(
        after_help = "Example:\n  jobmatch index --input market/vacancies.jsonl --index idx --skip-bad"
    )]
    Index {
        /// Vacancies, JSON Lines.
        #[arg(long)]
        input: PathBuf,
        /// Index directory (created if missing; existing vacancies with the same id are replaced).
        #[arg(long)]
        index: PathBuf,
        /// Skip bad lines (and report them) instead of stopping at the first.
        #[arg(long)]
        skip_bad: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Merge near-duplicate postings of this file (the same job under another id, e.g. from two provinces' feeds): the first is indexed, the others become its aliases.
        #[arg(long)]
        merge_duplicates: bool,
        /// The input holds raw postings (free-text fields, as `ingest` reads them; JSON Lines or CSV by extension), ingested on the way in; a posting that cannot be a vacancy is a rejected line.
        #[arg(long)]
        raw: bool,
        /// Teach the title coder these coded titles first and keep them with the index, so that it codes these vacancies and every later opening of the index codes titles the same way (CSV or JSON Lines of title and code; repeat to join files).
        #[arg(long, value_name = "FILE")]
        coded_titles: Vec<PathBuf>,
    },
    /// Split a JSON Lines file of vacancies into shards (one index each) with a manifest; every command that takes --index reads the shard set as one market.
    #[command(
        after_help = "Example:\n  jobmatch shard --input market/vacancies.jsonl --shards shards --by province\n  jobmatch match --index shards --seekers market/seekers.jsonl --top 20"
    )]
    Shard {
        /// Vacancies, JSON Lines.
        #[arg(long)]
        input: PathBuf,
        /// Directory of the shard set (must not hold one yet).
        #[arg(long)]
        shards: PathBuf,
        /// How to split: province, prefecture or hash:N.
        #[arg(long, default_value = "province")]
        by: String,
        /// Skip bad lines (and report them) instead of stopping at the first.
        #[arg(long)]
        skip_bad: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Rank vacancies for seekers (a file, stdin, or one seeker given inline).
    #[command(
        after_help = "Examples:\n  jobmatch match --index idx --seekers market/seekers.jsonl --top 10 --output matches.jsonl\n  jobmatch match --index idx --skills 焊工,电焊 --region 500107 --commute-km 20 --move-to 51"
    )]
    Match(commands::MatchArgs),
    /// Explain why a vacancy ranks where it does for a seeker.
    #[command(
        after_help = "Examples:\n  jobmatch explain --index idx --seekers market/seekers.jsonl --seeker s0 --vacancy v123\n  jobmatch explain --index idx --skills 焊接 --region 500107 --vacancy v123"
    )]
    Explain(commands::ExplainArgs),
    /// Add or replace vacancies in an existing index (JSON Lines).
    #[command(after_help = "Example:\n  jobmatch update --index idx --input changes.jsonl")]
    Update {
        /// Index directory (must exist).
        #[arg(long)]
        index: PathBuf,
        /// Vacancies, JSON Lines.
        #[arg(long)]
        input: PathBuf,
        /// Skip bad lines instead of stopping at the first.
        #[arg(long)]
        skip_bad: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete vacancies by id.
    #[command(after_help = "Example:\n  jobmatch delete --index idx v17 v42")]
    Delete {
        /// Index directory.
        #[arg(long)]
        index: PathBuf,
        /// Vacancy ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete every vacancy that expired before a date.
    #[command(after_help = "Example:\n  jobmatch expire --index idx --today 2021-04-15")]
    Expire {
        /// Index directory.
        #[arg(long)]
        index: PathBuf,
        /// Expire what ended before this date (default: the newest posting in the index).
        #[arg(long)]
        today: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check an index for damage: every file against its checksum, every live vacancy read back (exit 1 with the damaged files named).
    #[command(after_help = "Example:\n  jobmatch verify --index idx")]
    Verify {
        /// Index directory.
        #[arg(long)]
        index: PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Market figures from an index: by industry, region and occupation group; supply–demand with seekers.
    #[command(after_help = "Example:\n  jobmatch stats --index idx --seekers market/seekers.jsonl")]
    Stats {
        /// Index directory.
        #[arg(long)]
        index: PathBuf,
        /// Seekers (JSON Lines) for supply–demand ratios per district.
        #[arg(long)]
        seekers: Option<PathBuf>,
        /// Print the full figures as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Code free job titles into CSCO 2022 occupations (one title per line in, one JSON line out), or measure the coder on coded titles.
    #[command(
        after_help = "Examples:\n  echo 焊工 | jobmatch classify\n  jobmatch classify --input titles.txt --top 3\n  jobmatch classify --train our_coded_titles.csv --input titles.txt\n  jobmatch classify --evaluate tests/data/job_titles_csco_dev.csv\n  jobmatch classify --train data/job_titles_csco_train.csv --train tests/data/job_titles_csco_dev.csv --cross-validate 5"
    )]
    Classify(commands::ClassifyArgs),
    /// Show occupations' skill profiles (what the generator and the coder take as typical of each).
    #[command(
        after_help = "Examples:\n  jobmatch profiles\n  jobmatch profiles --codes 6-18-02-04,4-03-02-01\n  jobmatch profiles --all > profiles.jsonl"
    )]
    Profiles(commands::ProfilesArgs),
    /// Generate a market, index it, match seekers and show what happened.
    #[command(after_help = "Examples:\n  jobmatch demo\n  jobmatch demo --full --dir /tmp/jm")]
    Demo(demo::DemoArgs),
    /// Save seekers in a seeker index (for `candidates` and `alerts`).
    #[command(
        name = "seekers-index",
        after_help = "Example:\n  jobmatch seekers-index --input market/seekers.jsonl --index seekers-idx"
    )]
    SeekersIndex(commands::SeekersIndexArgs),
    /// The seekers who fit a vacancy best (the same score as `match`, seen from the vacancy).
    #[command(
        after_help = "Example:\n  jobmatch candidates --seekers-index seekers-idx --vacancies-index idx --vacancy v42 --top 10 --explain"
    )]
    Candidates(commands::CandidatesArgs),
    /// Job alerts: add new vacancies to the index and alert every saved seeker whose top k one would enter.
    #[command(
        after_help = "Example:\n  jobmatch alerts --seekers-index seekers-idx --vacancies-index idx --new new.jsonl --top 20 --thresholds tops.jsonl"
    )]
    Alerts(commands::AlertsArgs),
    /// Measure latency, throughput, exactness and quality at full scale.
    #[command(
        after_help = "Examples:\n  jobmatch bench --index /tmp/jm-1880k\n  jobmatch bench --index /tmp/jm-small --vacancies 100000 --seekers 500 --json"
    )]
    Bench(bench::BenchArgs),
}

/// A reader that closes the pipe early (`jobmatch match … | head`) ends
/// the output quietly, as `cat` does, instead of a panic about printing.
fn end_quietly_on_closed_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        previous(info);
    }));
}

/// Whether an error is the reader closing the output pipe early: the end
/// of the output, not a failure.
fn closed_pipe(e: &jobmatch::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cause {
        if err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        cause = err.source();
    }
    false
}

fn main() -> ExitCode {
    jobmatch::error::quiet_caught_panics();
    end_quietly_on_closed_pipe();
    let cli = Cli::parse();
    let quiet = cli.quiet;
    let result = match cli.command {
        Command::Generate {
            vacancies,
            seekers,
            seed,
            out,
            duplicates,
            mobility_scale,
            raw,
            json,
        } => commands::generate(
            jobmatch::market::MarketConfig {
                vacancies,
                seekers,
                seed,
                duplicate_share: duplicates,
                mobility_scale: match mobility_scale.as_deref() {
                    Some([sc, cq]) => [*sc, *cq],
                    Some([both]) => [*both, *both],
                    _ => jobmatch::market::FITTED_MOBILITY_SCALE,
                },
                ..Default::default()
            },
            &out,
            raw,
            json,
            quiet,
        ),
        Command::Index {
            input,
            index,
            skip_bad,
            json,
            merge_duplicates,
            raw,
            coded_titles,
        } => {
            let taught = if coded_titles.is_empty() {
                Ok(())
            } else {
                commands::teach_coder(&index, &coded_titles, quiet)
            };
            let how = commands::Loading {
                skip_bad,
                merge_duplicates,
                must_exist: false,
                raw,
            };
            taught.and_then(|()| commands::index(&input, &index, how, json, quiet))
        }
        Command::Shard {
            input,
            shards,
            by,
            skip_bad,
            json,
        } => by
            .parse()
            .and_then(|by| commands::shard(&input, &shards, by, skip_bad, json, quiet)),
        Command::Update {
            index,
            input,
            skip_bad,
            json,
        } => {
            let how = commands::Loading {
                skip_bad,
                merge_duplicates: false,
                must_exist: true,
                raw: false,
            };
            commands::index(&input, &index, how, json, quiet)
        }
        Command::Match(args) => commands::run_match(args, quiet),
        Command::Explain(args) => commands::explain(args),
        Command::Delete { index, ids, json } => commands::delete(&index, &ids, json),
        Command::Expire { index, today, json } => commands::expire(&index, today.as_deref(), json),
        Command::Stats { index, seekers, json } => commands::stats(&index, seekers.as_deref(), json),
        Command::Verify { index, json } => commands::verify(&index, json),
        Command::Classify(args) => commands::classify(args),
        Command::Profiles(args) => commands::profiles(args),
        Command::Assign(args) => commands::assign(args, quiet),
        Command::Guidance(args) => commands::guidance(args),
        Command::Gaps(args) => commands::gaps(args, quiet),
        Command::Training(args) => commands::training(args, quiet),
        Command::Simulate(args) => commands::simulate(args, quiet),
        Command::Ingest(args) => commands::ingest(args, quiet),
        Command::FitWeights(args) => commands::fit_weights_cmd(args),
        Command::Demo(args) => demo::run(args, quiet),
        Command::SeekersIndex(args) => commands::seekers_index(args, quiet),
        Command::Candidates(args) => commands::candidates(args, quiet),
        Command::Alerts(args) => commands::alerts(args, quiet),
        Command::Bench(args) => bench::run(args, quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if free_text(&e) {
                eprintln!(
                    "hint: this looks like free text as a job board writes it; read postings with `jobmatch ingest` (registrations with `ingest --seekers`), or give `--raw` to `index`, `candidates --draft` or `alerts`"
                );
            }
            ExitCode::from(if e.is_user_error() { 2 } else { 1 })
        }
    }
}

/// Whether a record was refused for holding free text where the
/// interchange format wants a code or a list (`education: unknown variant
/// `大专及以上``, `skills: invalid type: string "会电焊，有焊工证"`): the
/// input is raw, not clean.
fn free_text(e: &jobmatch::Error) -> bool {
    match e {
        jobmatch::Error::WithPath { source, .. } => free_text(source),
        jobmatch::Error::Parse { reason, .. } => {
            (reason.starts_with("unknown variant") || reason.starts_with("invalid type: string"))
                && reason.chars().any(jobmatch::text::is_cjk)
        }
        _ => false,
    }
}
