//! `server`: jobmatch as an HTTP/JSON service, built only on the library's
//! public API.
//!
//! ```text
//! cargo run --release --example server -- --index idx [--addr 127.0.0.1:7700]
//! ```
//!
//! Reads run on a snapshot, on tokio's blocking pool; writes go through the
//! index's single writer and become visible at `POST /commit`, never half a
//! commit. Errors are JSON (`{"error", "field", "line"}`) with a 4xx status
//! for what the caller sent and 5xx for what failed here.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use jobmatch::index::VacancyIndex;
use jobmatch::io::JsonLines;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::{Date, Error, Seeker, Vacancy};
use serde::Deserialize;
use serde_json::json;

/// Largest request body accepted (a batch of vacancies or seekers).
const BODY_LIMIT: usize = 64 << 20;

/// Upper bounds of the request-latency histogram's buckets, seconds.
const BUCKETS: [f64; 10] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];

/// One route's latencies.
#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// What `/metrics` reports.
#[derive(Default)]
struct Metrics {
    /// Requests by (route, status).
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Latencies by route.
    latency: Mutex<BTreeMap<String, Histogram>>,
    /// Unix time of the last commit (or of the start).
    last_commit: AtomicU64,
}

impl Metrics {
    fn record(&self, route: &str, status: u16, seconds: f64) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((route.to_owned(), status)).or_default() += 1;
        }
        if let Ok(mut l) = self.latency.lock() {
            let h = l.entry(route.to_owned()).or_default();
            for (b, &le) in h.buckets.iter_mut().zip(&BUCKETS) {
                *b += u64::from(seconds <= le);
            }
            h.count += 1;
            h.sum += seconds;
        }
    }

    fn committed_now(&self) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.last_commit.store(now, Ordering::Relaxed);
    }

    /// The Prometheus text format.
    fn render(&self, vacancies: u64) -> String {
        let mut out = String::new();
        out.push_str("# HELP jobmatch_requests_total Requests served, by route and status.\n");
        out.push_str("# TYPE jobmatch_requests_total counter\n");
        if let Ok(r) = self.requests.lock() {
            for ((route, status), n) in r.iter() {
                let _ = writeln!(
                    out,
                    "jobmatch_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP jobmatch_request_seconds Request latency, by route.\n");
        out.push_str("# TYPE jobmatch_request_seconds histogram\n");
        if let Ok(l) = self.latency.lock() {
            for (route, h) in l.iter() {
                for (n, le) in h.buckets.iter().zip(BUCKETS) {
                    let _ = writeln!(
                        out,
                        "jobmatch_request_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "jobmatch_request_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(out, "jobmatch_request_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(
                    out,
                    "jobmatch_request_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        out.push_str("# HELP jobmatch_vacancies Vacancies in the committed state served.\n");
        out.push_str("# TYPE jobmatch_vacancies gauge\n");
        let _ = writeln!(out, "jobmatch_vacancies {vacancies}");
        out.push_str(
            "# HELP jobmatch_last_commit_timestamp_seconds Unix time of the last commit (or of the start).\n",
        );
        out.push_str("# TYPE jobmatch_last_commit_timestamp_seconds gauge\n");
        let _ = writeln!(
            out,
            "jobmatch_last_commit_timestamp_seconds {}",
            self.last_commit.load(Ordering::Relaxed)
        );
        out
    }
}

/// What every handler shares.
struct AppState {
    metrics: Metrics,
    /// Longest a request's work may take before the caller gets a 503.
    deadline: Option<std::time::Duration>,
    /// Bearer token the write endpoints require, if any.
    token: Option<String>,
    index: VacancyIndex,
    /// The matcher of the last commit; replaced whole at each commit.
    matcher: RwLock<Arc<Matcher>>,
    config: RankingConfig,
}

impl AppState {
    fn matcher(&self) -> Result<Arc<Matcher>, ApiError> {
        self.matcher
            .read()
            .map(|m| m.clone())
            .map_err(|_| ApiError::internal("matcher lock poisoned"))
    }

    /// A matcher over the index's current committed state.
    fn fresh_matcher(index: &VacancyIndex, config: &RankingConfig) -> jobmatch::Result<Matcher> {
        let snapshot = index.snapshot()?;
        let today = snapshot.latest_posted().unwrap_or(Date::new(2021, 3, 31)?);
        Matcher::new(snapshot, config.clone(), today)
    }
}

/// An error as the API returns it.
struct ApiError {
    status: StatusCode,
    body: serde_json::Value,
}

impl ApiError {
    fn internal(what: &str) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: json!({ "error": what }),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::UnknownVacancy { .. } | Error::IndexMissing { .. } => StatusCode::NOT_FOUND,
            Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            e if e.is_user_error() => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut body = json!({ "error": e.to_string() });
        if let Error::Parse { line, field, .. } = &e {
            body["line"] = json!(line);
            body["field"] = json!(field);
        }
        if let Error::Invalid { field, .. } = &e {
            body["field"] = json!(field);
        }
        ApiError { status, body }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Refuses a write without the configured bearer token (401).
fn authorised(app: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &app.token else { return Ok(()) };
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if given == Some(token.as_str()) {
        Ok(())
    } else {
        Err(ApiError {
            status: StatusCode::UNAUTHORIZED,
            body: json!({ "error": "this endpoint writes: send Authorization: Bearer <token>" }),
        })
    }
}

/// Runs index work on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal("a request's work panicked"))?
}

/// [`blocking`] under the server's deadline: past it the caller gets a 503
/// naming it (the work itself runs to its end on the pool; each seeker's
/// search is bounded by the same deadline, see `--deadline-ms`).
async fn bounded<T: Send + 'static>(
    app: &AppState,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let Some(limit) = app.deadline else {
        return blocking(f).await;
    };
    match tokio::time::timeout(limit, blocking(f)).await {
        Ok(r) => r,
        Err(_) => Err(ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            body: json!({ "error": format!("the request took longer than the server's deadline of {} ms", limit.as_millis()) }),
        }),
    }
}

/// Parses a JSON body into `T`, the error naming the field.
fn parse_one<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| ApiError {
        status: StatusCode::BAD_REQUEST,
        body: json!({ "error": e.inner().to_string(), "field": e.path().to_string() }),
    })
}

#[derive(Deserialize)]
struct TopParam {
    top: Option<usize>,
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn stats(State(app): State<Arc<AppState>>) -> Result<Json<serde_json::Value>, ApiError> {
    let m = app.matcher()?;
    Ok(Json(json!({
        "vacancies": m.snapshot().num_vacancies(),
        "today": m.today().to_string(),
    })))
}

/// `POST /match?top=K`: one seeker (JSON) → its top k.
async fn match_one(
    State(app): State<Arc<AppState>>,
    Query(p): Query<TopParam>,
    body: Bytes,
) -> Result<Json<jobmatch::matcher::MatchResult>, ApiError> {
    let seeker: Seeker = parse_one(&body)?;
    let m = app.matcher()?;
    let k = p.top.unwrap_or(10);
    bounded(&app, move || Ok(m.match_one(&seeker, k)?))
        .await
        .map(Json)
}

/// `POST /match/batch?top=K`: seekers (JSON Lines) → one result line each,
/// in order; a bad line is an error naming it.
async fn match_batch(
    State(app): State<Arc<AppState>>,
    Query(p): Query<TopParam>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let m = app.matcher()?;
    let k = p.top.unwrap_or(10);
    let out = bounded(&app, move || {
        let seekers = JsonLines::<_, Seeker>::new(&body[..]).collect::<jobmatch::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for r in m.match_batch(&seekers, k, false) {
            serde_json::to_writer(&mut out, &r?).map_err(|e| ApiError::internal(&e.to_string()))?;
            out.push(b'\n');
        }
        Ok(out)
    })
    .await?;
    Ok(([("content-type", "application/x-ndjson")], out).into_response())
}

#[derive(Deserialize)]
struct ExplainRequest {
    seeker: Seeker,
    vacancy: String,
}

/// `POST /explain`: `{"seeker": …, "vacancy": id}` → every signal.
async fn explain(
    State(app): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<jobmatch::matcher::Explanation>, ApiError> {
    let req: ExplainRequest = parse_one(&body)?;
    let m = app.matcher()?;
    blocking(move || Ok(m.explain(&req.seeker, &req.vacancy)?))
        .await
        .map(Json)
}

/// `POST /vacancies`: vacancies (JSON Lines, or one JSON object) upserted;
/// visible after `POST /commit`. All or none: a bad line is an error
/// naming it and nothing is written.
async fn upsert(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    authorised(&app, &headers)?;
    blocking(move || {
        let vacancies = JsonLines::<_, Vacancy>::new(&body[..]).collect::<jobmatch::Result<Vec<_>>>()?;
        for v in &vacancies {
            v.validate().map_err(|e| {
                let mut err = ApiError::from(e);
                err.body["vacancy"] = json!(v.id);
                err
            })?;
        }
        for v in &vacancies {
            app.index.upsert(v)?;
        }
        Ok(Json(json!({ "upserted": vacancies.len() })))
    })
    .await
}

/// `DELETE /vacancies/{id}`.
async fn remove(
    State(app): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    blocking(move || Ok(Json(json!({ "deleted": app.index.delete(&id)? })))).await
}

#[derive(Deserialize)]
struct ExpireParam {
    before: String,
}

/// `POST /vacancies/expire?before=YYYY-MM-DD`: deletes every vacancy that
/// expired before the day (visible after `POST /commit`).
async fn expire(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(p): Query<ExpireParam>,
) -> Result<Json<serde_json::Value>, ApiError> {
    authorised(&app, &headers)?;
    let day: Date = p.before.parse().map_err(|_| ApiError {
        status: StatusCode::BAD_REQUEST,
        body: json!({ "error": format!("`{}` is not a date YYYY-MM-DD", p.before), "field": "before" }),
    })?;
    blocking(move || Ok(Json(json!({ "expired": app.index.expire(day)? })))).await
}

/// `POST /commit`: makes the writes so far visible to every later request.
async fn commit(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    authorised(&app, &headers)?;
    blocking(move || {
        app.index.commit()?;
        let m = Arc::new(AppState::fresh_matcher(&app.index, &app.config)?);
        let n = m.snapshot().num_vacancies();
        *app.matcher
            .write()
            .map_err(|_| ApiError::internal("matcher lock poisoned"))? = m;
        app.metrics.committed_now();
        Ok(Json(json!({ "vacancies": n })))
    })
    .await
}

async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        body: json!({ "error": "no such route" }),
    }
}

/// Counts and times every request to a known route.
async fn track(State(app): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let route = format!(
        "{} {}",
        req.method(),
        req.extensions().get::<MatchedPath>().map_or("?", |p| p.as_str())
    );
    let start = Instant::now();
    let response = next.run(req).await;
    app.metrics
        .record(&route, response.status().as_u16(), start.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: the Prometheus text format.
async fn metrics(State(app): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let vacancies = app.matcher()?.snapshot().num_vacancies();
    let text = app.metrics.render(vacancies);
    Ok(([("content-type", "text/plain; version=0.0.4")], text).into_response())
}

/// The routes.
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/stats", get(stats))
        .route("/match", post(match_one))
        .route("/match/batch", post(match_batch))
        .route("/explain", post(explain))
        .route("/vacancies", post(upsert))
        .route("/vacancies/expire", post(expire))
        .route("/vacancies/{id}", delete(remove))
        .route("/commit", post(commit))
        .route("/metrics", get(metrics))
        .route_layer(middleware::from_fn_with_state(state.clone(), track))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

struct Args {
    index: PathBuf,
    addr: SocketAddr,
    /// Build a small generated market into an empty index first.
    demo: bool,
    deadline_ms: Option<u64>,
    token: Option<String>,
}

const USAGE: &str = "usage: server --index DIR [--addr 127.0.0.1:7700] [--demo] [--token TOKEN]
  --demo     index a generated market of 20,000 vacancies first when DIR holds none
  --token    require `Authorization: Bearer TOKEN` on writes (default: $JOBMATCH_TOKEN, else open)
  --deadline-ms N   answer 503 to a read that takes longer; each seeker's search stops there too";

fn parse_args() -> Result<Args, String> {
    let mut index = None;
    let mut addr: SocketAddr = ([127, 0, 0, 1], 7700).into();
    let mut demo = false;
    let mut deadline_ms = None;
    let mut token = std::env::var("JOBMATCH_TOKEN").ok().filter(|t| !t.is_empty());
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--index" => index = it.next().map(PathBuf::from),
            "--addr" => {
                let v = it.next().ok_or("--addr needs a value")?;
                addr = v
                    .parse()
                    .map_err(|_| format!("--addr: `{v}` is not an address such as 127.0.0.1:7700"))?;
            }
            "--demo" => demo = true,
            "--deadline-ms" => {
                let v = it.next().ok_or("--deadline-ms needs a value")?;
                deadline_ms = Some(
                    v.parse::<u64>()
                        .map_err(|_| format!("--deadline-ms: `{v}` is not a number of milliseconds"))?,
                );
            }
            "--token" => token = Some(it.next().ok_or("--token needs a value")?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(Args {
        index: index.ok_or(format!("--index DIR is required\n{USAGE}"))?,
        addr,
        demo,
        deadline_ms,
        token,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    jobmatch::error::quiet_caught_panics();
    if std::env::args().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return std::process::ExitCode::SUCCESS;
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let config = RankingConfig {
        deadline_ms: args.deadline_ms,
        ..RankingConfig::default()
    };
    let opened = VacancyIndex::open_or_create(&args.index)
        .and_then(|index| {
            if args.demo && index.snapshot()?.num_vacancies() == 0 {
                let market = jobmatch::market::Market::new(jobmatch::market::MarketConfig {
                    vacancies: 20_000,
                    seekers: 0,
                    ..Default::default()
                });
                let summary = index.bulk_load(
                    (0..20_000).map(|i| Ok(market.vacancy(i))),
                    jobmatch::index::LoadOptions::default(),
                )?;
                eprintln!("demo: indexed {} generated vacancies", summary.indexed);
            }
            Ok(index)
        })
        .and_then(|index| AppState::fresh_matcher(&index, &config).map(|m| (index, m)));
    let (index, matcher) = match opened {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(if e.is_user_error() { 2 } else { 1 });
        }
    };
    let state = Arc::new(AppState {
        metrics: Metrics::default(),
        deadline: args.deadline_ms.map(std::time::Duration::from_millis),
        token: args.token,
        index,
        matcher: RwLock::new(Arc::new(matcher)),
        config,
    });
    state.metrics.committed_now();
    let listener = match tokio::net::TcpListener::bind(args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.addr);
            return std::process::ExitCode::from(1);
        }
    };
    let local = listener.local_addr().map_or(args.addr, |a| a);
    // The first line on stdout says where it listens (tests read it).
    println!("listening on http://{local}");
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
