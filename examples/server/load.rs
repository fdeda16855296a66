//! `server load`: the load generator. Sends `POST /match` for seekers from a
//! file at several concurrencies over keep-alive loopback connections,
//! optionally while a writer upserts vacancies and commits every second,
//! and runs the same seekers through the library in-process for the HTTP
//! overhead. Bounded in requests and in time: it stops by itself.
//!
//! Consistency is checked on every answer: the server names the state it
//! ranked on (`x-jobmatch-vacancies`, the vacancies it served); the writer
//! adds whole batches of new vacancies, one commit each, so every state a
//! reader sees holds the starting count plus whole batches. Any other count
//! is a *mixed state* (half a batch visible).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jobmatch::Seeker;
use jobmatch::index::VacancyIndex;
use jobmatch::io::JsonLines;
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use serde_json::json;

const USAGE: &str = "usage: server load --url URL --seekers-file FILE [--concurrency 1,8,32]
              [--requests N] [--seconds S] [--top K] [--writer RATE] [--in-process DIR]
              [--token TOKEN] [--json FILE]
  --requests N     requests per run (default 2000); --seconds S caps each run (default 60)
  --writer RATE    also run each concurrency with a writer upserting RATE new vacancies a
                   second, in one batch and one commit per second (needs the write token)
  --in-process DIR also rank the same seekers with the library on the index DIR, at the
                   same concurrencies, for the HTTP overhead
  --json FILE      write the measurements as JSON";

struct Options {
    url: String,
    seekers: Vec<String>,
    concurrency: Vec<usize>,
    requests: u64,
    seconds: f64,
    top: usize,
    writer: Option<u64>,
    in_process: Option<std::path::PathBuf>,
    token: Option<String>,
    json: Option<std::path::PathBuf>,
}

/// One run's measurements.
#[derive(Default)]
struct Run {
    latencies: Vec<f64>,
    errors: u64,
    mixed: u64,
    seconds: f64,
    /// The served states seen (by their vacancy counts).
    states: std::collections::BTreeSet<u64>,
}

impl Run {
    fn quantile(&self, q: f64) -> f64 {
        let mut l = self.latencies.clone();
        l.sort_by(f64::total_cmp);
        l.get(((l.len().saturating_sub(1)) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    }

    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.seconds
    }
}

fn parse(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        url: String::new(),
        seekers: Vec::new(),
        concurrency: vec![1, 8, 32],
        requests: 2000,
        seconds: 60.0,
        top: 10,
        writer: None,
        in_process: None,
        token: std::env::var("JOBMATCH_TOKEN").ok().filter(|t| !t.is_empty()),
        json: None,
    };
    let mut file = None;
    let mut it = args.into_iter();
    let need = |it: &mut std::vec::IntoIter<String>, f: &str| it.next().ok_or(format!("{f} needs a value"));
    while let Some(a) = it.next() {
        let bad = |v: &str, what: &str| format!("{a}: `{v}` is not {what}");
        match a.as_str() {
            "--url" => o.url = need(&mut it, &a)?,
            "--seekers-file" => file = Some(need(&mut it, &a)?),
            "--concurrency" => {
                let v = need(&mut it, &a)?;
                o.concurrency = v
                    .split(',')
                    .map(|c| c.trim().parse().ok().filter(|&c: &usize| c > 0))
                    .collect::<Option<_>>()
                    .ok_or_else(|| bad(&v, "a list of positive counts such as 1,8,32"))?;
            }
            "--requests" => {
                let v = need(&mut it, &a)?;
                o.requests = v.parse().map_err(|_| bad(&v, "a count"))?;
            }
            "--seconds" => {
                let v = need(&mut it, &a)?;
                o.seconds = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| *s > 0.0)
                    .ok_or_else(|| bad(&v, "a positive number of seconds"))?;
            }
            "--top" => {
                let v = need(&mut it, &a)?;
                o.top = v.parse().map_err(|_| bad(&v, "a count"))?;
            }
            "--writer" => {
                let v = need(&mut it, &a)?;
                o.writer = Some(
                    v.parse()
                        .ok()
                        .filter(|&r: &u64| r > 0)
                        .ok_or_else(|| bad(&v, "a positive rate"))?,
                );
            }
            "--in-process" => o.in_process = Some(need(&mut it, &a)?.into()),
            "--token" => o.token = Some(need(&mut it, &a)?),
            "--json" => o.json = Some(need(&mut it, &a)?.into()),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if o.url.is_empty() {
        return Err(format!("--url is required\n{USAGE}"));
    }
    let file = file.ok_or(format!("--seekers-file is required\n{USAGE}"))?;
    let text = std::fs::File::open(&file).map_err(|e| format!("{file}: {e}"))?;
    for (i, s) in JsonLines::<_, Seeker>::new(std::io::BufReader::new(text)).enumerate() {
        let s = s.map_err(|e| format!("{file}: {e}"))?;
        let body = serde_json::to_string(&s).map_err(|e| format!("{file}: seeker {}: {e}", i + 1))?;
        o.seekers.push(body);
    }
    if o.seekers.is_empty() {
        return Err(format!("{file} holds no seekers"));
    }
    Ok(o)
}

/// `host:port` of an `http://` URL.
fn host(url: &str) -> Result<String, String> {
    url.strip_prefix("http://")
        .map(|r| r.trim_end_matches('/').to_owned())
        .ok_or(format!("--url: `{url}` is not an http:// URL"))
}

/// One keep-alive connection.
struct Conn {
    reader: BufReader<TcpStream>,
    host: String,
}

/// An answer: status, the served state's vacancies, the body.
struct Answer {
    status: u16,
    state: Option<u64>,
    body: Vec<u8>,
}

impl Conn {
    fn open(host: &str) -> std::io::Result<Conn> {
        let s = TcpStream::connect(host)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(120)))?;
        Ok(Conn {
            reader: BufReader::new(s),
            host: host.to_owned(),
        })
    }

    fn call(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
        token: Option<&str>,
    ) -> std::io::Result<Answer> {
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{auth}\r\n",
            self.host,
            body.len()
        );
        let s = self.reader.get_mut();
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("not an HTTP status line: {line:?}")))?;
        let mut length = 0usize;
        let mut state = None;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((name, value)) = l.split_once(':') {
                let name = name.trim().to_ascii_lowercase();
                if name == "content-length" {
                    length = value.trim().parse().unwrap_or(0);
                } else if name == "x-jobmatch-vacancies" {
                    state = value.trim().parse().ok();
                } else if name == "transfer-encoding" {
                    return Err(std::io::Error::other("chunked answers are not read here"));
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(Answer { status, state, body })
    }
}

/// Runs `c` workers until `requests` are done or `seconds` pass: each
/// starts from `worker()` and calls `one` for each request number it takes.
fn drive<S>(
    o: &Options,
    c: usize,
    worker: impl Fn() -> S + Sync,
    one: impl Fn(&mut S, usize, &mut Run) + Sync,
) -> Run {
    let next = AtomicU64::new(0);
    let start = Instant::now();
    let limit = Duration::from_secs_f64(o.seconds);
    let per: Vec<Run> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..c)
            .map(|_| {
                scope.spawn(|| {
                    let mut run = Run::default();
                    let mut state = worker();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= o.requests || start.elapsed() > limit {
                            break;
                        }
                        one(&mut state, i as usize, &mut run);
                    }
                    run
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let mut all = Run {
        seconds: start.elapsed().as_secs_f64(),
        ..Run::default()
    };
    for r in per {
        all.latencies.extend(r.latencies);
        all.errors += r.errors;
        all.mixed += r.mixed;
        all.states.extend(r.states);
    }
    all
}

/// Sends `POST /match` for the seekers in turn from `c` connections.
/// `valid(state)` says whether a served state is whole.
fn run_http(o: &Options, c: usize, valid: &(dyn Fn(u64) -> bool + Sync)) -> Run {
    let Ok(host) = host(&o.url) else {
        return Run::default();
    };
    let path = format!("/match?top={}", o.top);
    drive(
        o,
        c,
        || Conn::open(&host).ok(),
        |conn, i, run| {
            let body = o.seekers[i % o.seekers.len()].as_bytes();
            let t = Instant::now();
            let answer = match conn.as_mut() {
                Some(conn) => conn.call("POST", &path, body, o.token.as_deref()),
                None => Err(std::io::Error::other("not connected")),
            };
            match answer {
                Ok(a) if a.status == 200 && a.body.starts_with(b"{\"seeker\":") => {
                    run.latencies.push(t.elapsed().as_secs_f64());
                    match a.state {
                        Some(n) if valid(n) => {
                            run.states.insert(n);
                        }
                        _ => run.mixed += 1,
                    }
                }
                Ok(_) => run.errors += 1,
                Err(_) => {
                    run.errors += 1;
                    *conn = Conn::open(&host).ok();
                }
            }
        },
    )
}

/// The same seekers ranked by the library in this process.
fn run_in_process(o: &Options, matcher: &Matcher, seekers: &[Seeker], c: usize) -> Run {
    drive(
        o,
        c,
        || (),
        |_, i, run| {
            let t = Instant::now();
            match matcher.match_one(&seekers[i % seekers.len()], o.top) {
                Ok(_) => run.latencies.push(t.elapsed().as_secs_f64()),
                Err(_) => run.errors += 1,
            }
        },
    )
}

/// What the writer did.
#[derive(Default)]
struct Written {
    vacancies: u64,
    commits: u64,
    errors: u64,
}

/// Upserts `rate` new vacancies a second, one batch and one commit per
/// second, until `stop`.
fn writer(o: &Options, rate: u64, run_tag: &str, stop: &AtomicBool) -> Written {
    let mut done = Written::default();
    let Ok(host) = host(&o.url) else { return done };
    let market = Market::new(MarketConfig {
        vacancies: 1_000_000,
        seekers: 0,
        seed: 99,
        ..Default::default()
    });
    let mut conn = Conn::open(&host).ok();
    let mut i = 0u64;
    let start = Instant::now();
    let mut second = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let mut body = Vec::new();
        for _ in 0..rate {
            let mut v = market.vacancy(i % 1_000_000);
            v.id = format!("load-{run_tag}-{i}");
            i += 1;
            if serde_json::to_writer(&mut body, &v).is_err() {
                done.errors += 1;
            }
            body.push(b'\n');
        }
        let Some(c) = conn.as_mut() else {
            done.errors += 1;
            conn = Conn::open(&host).ok();
            continue;
        };
        let token = o.token.as_deref();
        match c.call("POST", "/vacancies", &body, token) {
            Ok(a) if a.status == 200 => done.vacancies += rate,
            _ => done.errors += 1,
        }
        match c.call("POST", "/commit", b"", token) {
            Ok(a) if a.status == 200 => done.commits += 1,
            _ => done.errors += 1,
        }
        second += 1;
        let due = start + Duration::from_secs(second);
        while !stop.load(Ordering::Relaxed) && Instant::now() < due {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    done
}

/// The vacancies the server serves now.
fn served_count(o: &Options) -> Result<u64, String> {
    let mut c = Conn::open(&host(&o.url)?).map_err(|e| format!("{}: {e}", o.url))?;
    let a = c
        .call("GET", "/stats", b"", o.token.as_deref())
        .map_err(|e| format!("{}: {e}", o.url))?;
    let v: serde_json::Value = serde_json::from_slice(&a.body).map_err(|e| format!("GET /stats: {e}"))?;
    v["vacancies"].as_u64().ok_or(format!(
        "GET /stats answered {}",
        String::from_utf8_lossy(&a.body)
    ))
}

fn ms(x: f64) -> String {
    format!("{:.2}", x * 1e3)
}

pub fn main(args: Vec<String>) -> ExitCode {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) if e == USAGE => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let in_process = match &o.in_process {
        Some(dir) => {
            let opened = VacancyIndex::open(dir).and_then(|i| i.snapshot()).and_then(|s| {
                let today = s.latest_posted().unwrap_or(jobmatch::Date::new(2021, 3, 31)?);
                Matcher::new(s, RankingConfig::default(), today)
            });
            let seekers: Result<Vec<Seeker>, _> = o.seekers.iter().map(|s| serde_json::from_str(s)).collect();
            match (opened, seekers) {
                (Ok(m), Ok(s)) => Some((m, s)),
                (Err(e), _) => {
                    eprintln!("error: --in-process: {e}");
                    return ExitCode::from(2);
                }
                (_, Err(e)) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        None => None,
    };
    let mut rows = Vec::new();
    let mut failed = false;
    println!(
        "{:>5}  {:<22} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
        "conc", "mode", "req/s", "p50 ms", "p99 ms", "errors", "mixed", "states"
    );
    let run_tag = format!(
        "{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    );
    for &c in &o.concurrency {
        let modes: Vec<Option<u64>> = std::iter::once(None).chain(o.writer.map(Some)).collect();
        for writer_rate in modes {
            let base = match served_count(&o) {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(1);
                }
            };
            let stop = Arc::new(AtomicBool::new(false));
            let (run, written) = std::thread::scope(|scope| {
                let w = writer_rate.map(|rate| {
                    let stop = stop.clone();
                    let o = &o;
                    let tag = format!("{run_tag}-{c}");
                    scope.spawn(move || writer(o, rate, &tag, &stop))
                });
                let step = writer_rate.unwrap_or(1);
                let valid = move |n: u64| {
                    n >= base && (n - base).is_multiple_of(step) && (writer_rate.is_some() || n == base)
                };
                let run = run_http(&o, c, &valid);
                stop.store(true, Ordering::Relaxed);
                let written = w.and_then(|w| w.join().ok());
                (run, written)
            });
            let mode = match writer_rate {
                Some(r) => format!("http + writer {r}/s"),
                None => "http".to_owned(),
            };
            println!(
                "{c:>5}  {mode:<22} {:>9.0} {:>9} {:>9} {:>7} {:>7} {:>7}",
                run.rate(),
                ms(run.quantile(0.5)),
                ms(run.quantile(0.99)),
                run.errors,
                run.mixed,
                run.states.len()
            );
            failed |= run.errors > 0 || run.mixed > 0;
            let mut row = json!({
                "concurrency": c,
                "mode": mode,
                "requests": run.latencies.len(),
                "seconds": run.seconds,
                "rps": run.rate(),
                "p50_ms": run.quantile(0.5) * 1e3,
                "p99_ms": run.quantile(0.99) * 1e3,
                "errors": run.errors,
                "mixed_states": run.mixed,
                "states_seen": run.states.len(),
            });
            if let Some(w) = written {
                row["written"] =
                    json!({ "vacancies": w.vacancies, "commits": w.commits, "errors": w.errors });
                failed |= w.errors > 0;
            }
            rows.push(row);
        }
        if let Some((m, seekers)) = &in_process {
            let run = run_in_process(&o, m, seekers, c);
            println!(
                "{c:>5}  {:<22} {:>9.0} {:>9} {:>9} {:>7} {:>7} {:>7}",
                "in-process",
                run.rate(),
                ms(run.quantile(0.5)),
                ms(run.quantile(0.99)),
                run.errors,
                "-",
                "-"
            );
            rows.push(json!({
                "concurrency": c,
                "mode": "in-process",
                "requests": run.latencies.len(),
                "seconds": run.seconds,
                "rps": run.rate(),
                "p50_ms": run.quantile(0.5) * 1e3,
                "p99_ms": run.quantile(0.99) * 1e3,
                "errors": run.errors,
            }));
        }
    }
    if let Some(path) = &o.json {
        let doc = json!({ "url": o.url, "top": o.top, "requests_per_run": o.requests, "runs": rows });
        if let Err(e) = std::fs::write(path, format!("{doc:#}\n")) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    if failed {
        eprintln!("load: errors or mixed states seen");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
