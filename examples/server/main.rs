//! `server`: jobmatch as an HTTP/JSON service, built only on the library's
//! public API.
//!
//! ```text
//! cargo run --release --example server -- --index idx [--addr 127.0.0.1:7700] [--seekers sdx] [--demo]
//! cargo run --release --example server -- load --url http://127.0.0.1:7700 --seekers-file s.jsonl
//! ```
//!
//! Reads run on a committed state, on tokio's blocking pool; writes go
//! through the indexes' single writers and become visible at `POST /commit`
//! (or the auto-commit), whole requests only. Errors are JSON (`{"error",
//! "field", "line"}`) with a 4xx status for what the caller sent and 5xx for
//! what failed here. The endpoints are listed at `GET /openapi.json`; the
//! page at `GET /` tries them in a browser. CORS is off: browsers may call
//! the service only from the page it serves (put a proxy in front to allow
//! other origins).

/// mimalloc, as the CLI (`examples/jobmatch/main.rs` says why): a commit
/// prepares every saved seeker again.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod load;
mod metrics;
mod routes;
mod state;
mod writes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use jobmatch::index::{LoadOptions, VacancyIndex};
use jobmatch::market::{Market, MarketConfig};
use jobmatch::rank::RankingConfig;
use jobmatch::reverse::SeekerIndex;

use state::AppState;

/// Vacancies and seekers `--demo` generates into empty indexes.
const DEMO_VACANCIES: u64 = 20_000;
const DEMO_SEEKERS: u64 = 2_000;

struct Args {
    index: PathBuf,
    seekers: Option<PathBuf>,
    addr: SocketAddr,
    demo: bool,
    deadline_ms: Option<u64>,
    token: Option<String>,
    protect_reads: bool,
    commit_every: Option<Duration>,
    body_limit_mb: usize,
}

const USAGE: &str = "usage: server --index DIR [--addr 127.0.0.1:7700] [--seekers DIR] [--demo]
              [--token TOKEN] [--protect-reads] [--deadline-ms N] [--commit-every SECS]
       server load --url URL --seekers-file FILE [options]   (the load generator: server load --help)
  --index DIR        the vacancy index (created when missing)
  --seekers DIR      saved seekers (created when missing): candidates, alerts, POST /seekers
  --demo             index a generated market (20,000 vacancies; 2,000 seekers with --seekers)
                     into indexes that hold none
  --token TOKEN      require `Authorization: Bearer TOKEN` on writes (default: $JOBMATCH_TOKEN, else open)
  --protect-reads    require the token on reads too (not on /health, / and /openapi.json)
  --deadline-ms N    answer 503 to a read that takes longer; each seeker's search stops there too
  --commit-every S   commit pending writes every S seconds (default: only on POST /commit)
  --body-limit-mb N  largest request body, MB (default 64)
On Ctrl-C or SIGTERM the server stops taking connections, finishes the requests in flight,
commits the writes of the requests it finished, and exits.";

fn value<T: std::str::FromStr>(
    it: &mut impl Iterator<Item = String>,
    flag: &str,
    what: &str,
) -> Result<T, String> {
    let v = it.next().ok_or(format!("{flag} needs a value"))?;
    v.parse().map_err(|_| format!("{flag}: `{v}` is not {what}"))
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut index = None;
    let mut seekers = None;
    let mut addr: SocketAddr = ([127, 0, 0, 1], 7700).into();
    let mut demo = false;
    let mut deadline_ms = None;
    let mut token = std::env::var("JOBMATCH_TOKEN").ok().filter(|t| !t.is_empty());
    let mut protect_reads = false;
    let mut commit_every = None;
    let mut body_limit_mb = routes::DEFAULT_BODY_LIMIT_MB;
    let mut it = args;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--index" => index = Some(value::<PathBuf>(&mut it, "--index", "a path")?),
            "--seekers" => seekers = Some(value::<PathBuf>(&mut it, "--seekers", "a path")?),
            "--addr" => addr = value(&mut it, "--addr", "an address such as 127.0.0.1:7700")?,
            "--demo" => demo = true,
            "--deadline-ms" => {
                deadline_ms = Some(value(&mut it, "--deadline-ms", "a number of milliseconds")?)
            }
            "--token" => token = Some(value(&mut it, "--token", "a token")?),
            "--protect-reads" => protect_reads = true,
            "--commit-every" => {
                let s: f64 = value(&mut it, "--commit-every", "a number of seconds")?;
                if !(s.is_finite() && s > 0.0) {
                    return Err(format!(
                        "--commit-every: `{s}` is not a positive number of seconds"
                    ));
                }
                commit_every = Some(Duration::from_secs_f64(s));
            }
            "--body-limit-mb" => {
                body_limit_mb = value(&mut it, "--body-limit-mb", "a number of MB")?;
                if body_limit_mb == 0 || body_limit_mb > 4096 {
                    return Err(format!("--body-limit-mb: {body_limit_mb} is not in 1..=4096"));
                }
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if protect_reads && token.is_none() {
        return Err("--protect-reads needs a token (--token or $JOBMATCH_TOKEN)".into());
    }
    Ok(Args {
        index: index.ok_or(format!("--index DIR is required\n{USAGE}"))?,
        seekers,
        addr,
        demo,
        deadline_ms,
        token,
        protect_reads,
        commit_every,
        body_limit_mb,
    })
}

/// Opens (or creates) the indexes, filling empty ones with a generated
/// market for `--demo`.
fn open(args: &Args, config: RankingConfig) -> jobmatch::Result<AppState> {
    let index = VacancyIndex::open_or_create(&args.index)?;
    let market = || {
        Market::new(MarketConfig {
            vacancies: DEMO_VACANCIES,
            seekers: DEMO_SEEKERS,
            ..Default::default()
        })
    };
    if args.demo && index.snapshot()?.num_vacancies() == 0 {
        let m = market();
        let summary = index.bulk_load(
            (0..DEMO_VACANCIES).map(|i| Ok(m.vacancy(i))),
            LoadOptions::default(),
        )?;
        eprintln!("demo: indexed {} generated vacancies", summary.indexed);
    }
    let seekers = match &args.seekers {
        Some(dir) => {
            let s = SeekerIndex::open_or_create(dir)?;
            if args.demo && s.num_seekers() == 0 {
                let m = market();
                for j in 0..DEMO_SEEKERS {
                    s.upsert(&m.seeker(j))?;
                }
                s.commit()?;
                eprintln!("demo: saved {DEMO_SEEKERS} generated seekers");
            }
            Some((s, dir.clone()))
        }
        None => None,
    };
    AppState::new(index, args.index.clone(), seekers, config)
}

/// Ctrl-C or SIGTERM.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Commits pending writes every `every`.
fn auto_commit(state: Arc<AppState>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            tick.tick().await;
            if state.pending() == 0 {
                continue;
            }
            let s = state.clone();
            match tokio::task::spawn_blocking(move || s.commit()).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => eprintln!("auto-commit failed: {}", e.body),
                Err(_) => eprintln!("auto-commit panicked"),
            }
        }
    });
}

async fn serve(args: Args) -> ExitCode {
    let config = RankingConfig {
        deadline_ms: args.deadline_ms,
        ..RankingConfig::default()
    };
    let opened = {
        let args = &args;
        tokio::task::block_in_place(|| open(args, config))
    };
    let mut state = match opened {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(if e.is_user_error() { 2 } else { 1 });
        }
    };
    state.deadline = args.deadline_ms.map(Duration::from_millis);
    state.token = args.token;
    state.protect_reads = args.protect_reads;
    state.metrics.committed_now();
    let state = Arc::new(state);
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.addr);
            return ExitCode::from(1);
        }
    };
    if let Some(every) = args.commit_every {
        auto_commit(state.clone(), every);
    }
    let local = listener.local_addr().map_or(args.addr, |a| a);
    // The first line on stdout says where it listens (tests read it).
    println!("listening on http://{local}");
    let served = axum::serve(listener, routes::router(state.clone(), args.body_limit_mb << 20))
        .with_graceful_shutdown(stop_signal())
        .await;
    // Every request has finished: what they wrote is whole.
    let pending = state.pending();
    let committed = if pending > 0 {
        let s = state.clone();
        match tokio::task::spawn_blocking(move || s.commit()).await {
            Ok(Ok(_)) => {
                eprintln!("shutdown: committed the writes of {pending} requests");
                true
            }
            Ok(Err(e)) => {
                eprintln!("shutdown: the final commit failed: {}", e.body);
                false
            }
            Err(_) => false,
        }
    } else {
        true
    };
    match served {
        Ok(()) if committed => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    jobmatch::error::quiet_caught_panics();
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("load") {
        args.next();
        let rest: Vec<String> = args.collect();
        return tokio::task::block_in_place(|| load::main(rest));
    }
    let rest: Vec<String> = args.collect();
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match parse_args(rest.into_iter()) {
        Ok(a) => serve(a).await,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
