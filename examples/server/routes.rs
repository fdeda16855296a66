//! The endpoints: one table that both routes and documents them (the
//! OpenAPI document at `/openapi.json` is written from it), the handlers,
//! and the access guard.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post};
use axum::{Json, Router};
use jobmatch::guidance::{GuidanceConfig, Guide};
use jobmatch::io::JsonLines;
use jobmatch::region::{Level, gazetteer};
use jobmatch::{Seeker, Vacancy};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::metrics::{Gauges, dir_bytes};
use crate::state::{ApiError, AppState};
use crate::writes::{
    commit, delete_seeker, delete_vacancy, expire, upsert_raw_seekers, upsert_raw_vacancies, upsert_seekers,
    upsert_vacancies,
};

/// Largest request body accepted by default (a batch of vacancies or
/// seekers), MB.
pub const DEFAULT_BODY_LIMIT_MB: usize = 64;

/// Results per seeker (or seekers per vacancy) when `top` is not given.
const DEFAULT_TOP: usize = 10;

/// Seekers of a batch ranked together (in parallel) before their lines are
/// sent: the stream's grain.
const BATCH_CHUNK: usize = 64;

/// Who may call an endpoint.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    /// Anyone, always (health, the page, the API document, the gazetteer).
    Open,
    /// Anyone, unless the server protects reads (`--protect-reads`).
    Read,
    /// Only with the token, when the server has one.
    Write,
}

/// One query or path parameter of an endpoint.
pub struct Param {
    pub name: &'static str,
    /// `query` or `path`.
    pub place: &'static str,
    /// OpenAPI type: `integer`, `string`, `boolean`.
    pub kind: &'static str,
    pub about: &'static str,
}

const TOP: Param = Param {
    name: "top",
    place: "query",
    kind: "integer",
    about: "how many to return (default 10)",
};
const ID: Param = Param {
    name: "id",
    place: "path",
    kind: "string",
    about: "the record's id",
};

/// One endpoint: what routes it and what documents it.
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
    pub params: Vec<Param>,
    /// The request body's media type and what it holds.
    pub body: Option<(&'static str, &'static str)>,
    /// The response's media type.
    pub returns: &'static str,
    handler: MethodRouter<Arc<AppState>>,
}

const JSON: &str = "application/json";
const LINES: &str = "application/x-ndjson";

/// Every endpoint of the service.
pub fn endpoints() -> Vec<Endpoint> {
    let e = |method: Method,
             path: &'static str,
             access: Access,
             summary: &'static str,
             params: Vec<Param>,
             body: Option<(&'static str, &'static str)>,
             returns: &'static str,
             handler: MethodRouter<Arc<AppState>>| Endpoint {
        method,
        path,
        access,
        summary,
        params,
        body,
        returns,
        handler,
    };
    use Access::{Open, Read, Write};
    vec![
        e(
            Method::GET,
            "/",
            Open,
            "The page to try the service in a browser.",
            vec![],
            None,
            "text/html",
            get(page),
        ),
        e(
            Method::GET,
            "/openapi.json",
            Open,
            "This document.",
            vec![],
            None,
            JSON,
            get(openapi),
        ),
        e(
            Method::GET,
            "/health",
            Open,
            "Liveness: `{\"status\": \"ok\"}`.",
            vec![],
            None,
            JSON,
            get(health),
        ),
        e(
            Method::GET,
            "/stats",
            Read,
            "Vacancies and seekers served, the ranking day, writes not yet committed.",
            vec![],
            None,
            JSON,
            get(stats),
        ),
        e(
            Method::GET,
            "/metrics",
            Read,
            "Prometheus text format: requests by route and status, latency histograms, index size, last commit.",
            vec![],
            None,
            "text/plain",
            get(metrics),
        ),
        e(
            Method::GET,
            "/regions",
            Open,
            "The gazetteer: every unit's code, name, level, prefecture, province and centroid.",
            vec![],
            None,
            JSON,
            get(regions),
        ),
        e(
            Method::POST,
            "/match",
            Read,
            "One seeker's top vacancies, with per-signal components; `details=true` adds each vacancy's title, employer and place.",
            vec![
                TOP,
                Param {
                    name: "details",
                    place: "query",
                    kind: "boolean",
                    about: "add the vacancies' title, employer, district and centroid",
                },
            ],
            Some((JSON, "a seeker (interchange format)")),
            JSON,
            post(match_one),
        ),
        e(
            Method::POST,
            "/match/batch",
            Read,
            "Seekers as JSON Lines; one result line each, in order, streamed as they are ranked.",
            vec![TOP],
            Some((LINES, "seekers, one per line")),
            LINES,
            post(match_batch),
        ),
        e(
            Method::POST,
            "/explain",
            Read,
            "Every signal of one seeker–vacancy pair, or why the vacancy is excluded.",
            vec![],
            Some((JSON, "{\"seeker\": seeker, \"vacancy\": id}")),
            JSON,
            post(explain),
        ),
        e(
            Method::POST,
            "/guidance",
            Read,
            "Career guidance: the skills that would bring the most vacancies above the seeker's k-th match, each measured exactly, with where those vacancies are.",
            vec![
                Param {
                    name: "top",
                    place: "query",
                    kind: "integer",
                    about: "skills returned (default 5)",
                },
                Param {
                    name: "k",
                    place: "query",
                    kind: "integer",
                    about: "the k of the seeker's bar (default 10)",
                },
            ],
            Some((JSON, "a seeker (interchange format)")),
            JSON,
            post(guidance),
        ),
        e(
            Method::POST,
            "/vacancies",
            Write,
            "Upserts vacancies (one object, or JSON Lines): all validated first, all or none; visible after a commit.",
            vec![],
            Some((LINES, "vacancies, one per line")),
            JSON,
            post(upsert_vacancies),
        ),
        e(
            Method::POST,
            "/vacancies/raw",
            Write,
            "Upserts raw postings (free-text salary, place, education, skills in the description: as `jobmatch ingest` reads them), all ingested first, all or none; the reply says how many fields were read, defaulted and refused.",
            vec![],
            Some((LINES, "raw postings, one per line")),
            JSON,
            post(upsert_raw_vacancies),
        ),
        e(
            Method::GET,
            "/vacancies/{id}",
            Read,
            "What the served state holds of one vacancy.",
            vec![ID],
            None,
            JSON,
            get(vacancy),
        ),
        e(
            Method::DELETE,
            "/vacancies/{id}",
            Write,
            "Deletes a vacancy (visible after a commit).",
            vec![ID],
            None,
            JSON,
            delete(delete_vacancy),
        ),
        e(
            Method::POST,
            "/vacancies/expire",
            Write,
            "Deletes every vacancy that expired before the day (visible after a commit).",
            vec![Param {
                name: "before",
                place: "query",
                kind: "string",
                about: "a day, YYYY-MM-DD",
            }],
            None,
            JSON,
            post(expire),
        ),
        e(
            Method::GET,
            "/vacancies/{id}/candidates",
            Read,
            "The saved seekers who fit an indexed vacancy best (needs --seekers).",
            vec![ID, TOP],
            None,
            JSON,
            get(candidates),
        ),
        e(
            Method::POST,
            "/candidates",
            Read,
            "The saved seekers who fit a draft vacancy best, before it is posted (needs --seekers).",
            vec![TOP],
            Some((JSON, "a vacancy (interchange format)")),
            JSON,
            post(candidates_for),
        ),
        e(
            Method::POST,
            "/candidates/raw",
            Read,
            "The saved seekers who fit a draft posting as an employer writes it (free-text salary, place, education, skills in the description: as `jobmatch ingest` reads them), with the vacancy it was read as (needs --seekers).",
            vec![TOP],
            Some((JSON, "a raw posting")),
            JSON,
            post(candidates_for_raw),
        ),
        e(
            Method::POST,
            "/alerts",
            Read,
            "Job alerts: for a feed of new vacancies (JSON Lines) not yet committed, the saved seekers whose top k (in the served state) each would enter, with the vacancy it would push out (needs --seekers).",
            vec![Param {
                name: "top",
                place: "query",
                kind: "integer",
                about: "the k of the seekers' top k (default 10)",
            }],
            Some((LINES, "vacancies, one per line")),
            LINES,
            post(alerts),
        ),
        e(
            Method::POST,
            "/seekers",
            Write,
            "Saves seekers (one object, or JSON Lines): all validated first, all or none; visible after a commit (needs --seekers).",
            vec![],
            Some((LINES, "seekers, one per line")),
            JSON,
            post(upsert_seekers),
        ),
        e(
            Method::POST,
            "/seekers/raw",
            Write,
            "Saves registrations as a job board keeps them (desired jobs, skills as typed, home and salary in words: as `jobmatch ingest --seekers` reads them), all ingested first, all or none; the reply says how many fields were read, defaulted and refused (needs --seekers).",
            vec![],
            Some((LINES, "registrations, one per line")),
            JSON,
            post(upsert_raw_seekers),
        ),
        e(
            Method::GET,
            "/seekers/{id}",
            Read,
            "One saved seeker as the served state holds it (needs --seekers).",
            vec![ID],
            None,
            JSON,
            get(seeker),
        ),
        e(
            Method::DELETE,
            "/seekers/{id}",
            Write,
            "Deletes a saved seeker (visible after a commit; needs --seekers).",
            vec![ID],
            None,
            JSON,
            delete(delete_seeker),
        ),
        e(
            Method::POST,
            "/commit",
            Write,
            "Makes every write so far visible to later requests: whole write requests only.",
            vec![],
            None,
            JSON,
            post(commit),
        ),
    ]
}

/// The routes, each behind the access guard and the metrics; bodies up to
/// `body_limit` bytes; every error answered as JSON.
pub fn router(state: Arc<AppState>, body_limit: usize) -> Router {
    let mut router = Router::new();
    for e in endpoints() {
        router = router.route(e.path, e.handler);
    }
    router
        .route_layer(middleware::from_fn_with_state(state.clone(), guard))
        .route_layer(middleware::from_fn_with_state(state.clone(), track))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn(move |req, next| {
            json_errors(req, next, body_limit)
        }))
        .with_state(state)
}

/// Errors axum answers itself (a body over the limit, a method the route
/// does not take, a path it cannot read) in plain text: rewritten as the
/// API's JSON errors.
async fn json_errors(req: Request, next: Next, body_limit: usize) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(JSON));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let what = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "the body is larger than this server's limit of {} MB (--body-limit-mb)",
            body_limit >> 20
        ),
        StatusCode::METHOD_NOT_ALLOWED => {
            "this route does not take that method: see GET /openapi.json".to_owned()
        }
        _ => {
            let text = axum::body::to_bytes(response.into_body(), 64 << 10)
                .await
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_owned()
            } else {
                text
            }
        }
    };
    ApiError::new(status, &what).into_response()
}

/// The OpenAPI 3.1 document of [`endpoints`].
pub fn openapi_document() -> Value {
    let mut paths = serde_json::Map::new();
    for e in endpoints() {
        let mut op = json!({
            "summary": e.summary,
            "operationId": format!("{} {}", e.method, e.path),
            "responses": {
                "200": { "description": "OK", "content": { e.returns: {} } },
                "default": { "description": "An error: `{\"error\", \"field\"?, \"line\"?}`", "content": { JSON: { "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        if !e.params.is_empty() {
            op["parameters"] = e
                .params
                .iter()
                .map(|p| {
                    json!({
                        "name": p.name,
                        "in": p.place,
                        "required": p.place == "path",
                        "description": p.about,
                        "schema": { "type": p.kind }
                    })
                })
                .collect();
        }
        if let Some((media, about)) = e.body {
            op["requestBody"] = json!({ "required": true, "description": about, "content": { media: {} } });
        }
        if e.access != Access::Open {
            op["security"] = json!([{ "bearer": [] }]);
        }
        let path = paths.entry(e.path).or_insert_with(|| json!({}));
        path[e.method.as_str().to_ascii_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "jobmatch",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Ranks vacancies for seekers and seekers for vacancies, exactly and explained. Bodies are the interchange format (docs: spec/interchange.md). Writes need the bearer token when the server has one; reads too with --protect-reads."
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": { "type": "string" },
                        "field": { "type": "string", "description": "the field (or query parameter) at fault" },
                        "line": { "type": "integer", "description": "the line of a JSON Lines body at fault" }
                    }
                }
            }
        }
    })
}

/// Refuses a call without the token where the server asks for one (401).
async fn guard(State(app): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    static ACCESS: std::sync::OnceLock<Vec<(Method, &'static str, Access)>> = std::sync::OnceLock::new();
    let table = ACCESS.get_or_init(|| {
        endpoints()
            .into_iter()
            .map(|e| (e.method, e.path, e.access))
            .collect()
    });
    let Some(access) = table
        .iter()
        .find(|(method, p, _)| Some(*p) == path.as_deref() && method == req.method())
        .map(|(.., access)| *access)
    else {
        // A method the route does not take: the 405 says so.
        return next.run(req).await;
    };
    let needs = match access {
        Access::Open => false,
        Access::Read => app.protect_reads,
        Access::Write => true,
    };
    if needs && !authorised(&app, req.headers()) {
        let what = if access == Access::Write {
            "this endpoint writes: send Authorization: Bearer <token>"
        } else {
            "this server protects reads: send Authorization: Bearer <token>"
        };
        return ApiError::new(StatusCode::UNAUTHORIZED, what).into_response();
    }
    next.run(req).await
}

/// Whether the request carries the server's token (or the server has none).
fn authorised(app: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = &app.token else { return true };
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    given == Some(token.as_str())
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

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such route: see GET /openapi.json")
}

/// Runs index work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal("a request's work panicked"))?
}

/// The 503 of a request past the server's deadline.
fn past_deadline(app: &AppState) -> ApiError {
    let ms = app.deadline.map_or(0, |d| d.as_millis());
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        &format!("the request took longer than the server's deadline of {ms} ms"),
    )
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
    tokio::time::timeout(limit, blocking(f))
        .await
        .unwrap_or_else(|_| Err(past_deadline(app)))
}

/// Parses a JSON body into `T`, the error naming the field.
fn parse_one<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let what = e.inner().to_string();
        let mut path = e.path().to_string();
        // A missing field is reported at its parent: name the field itself.
        if let Some(name) = what
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            path = if path == "." {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            };
        }
        ApiError::bad_field(&what, &path)
    })
}

/// Parses a JSON Lines body (or one object), the error naming the line.
pub(crate) fn parse_lines<T: jobmatch::io::Record>(body: &[u8]) -> Result<Vec<T>, ApiError> {
    Ok(JsonLines::<_, T>::new(body).collect::<jobmatch::Result<Vec<_>>>()?)
}

/// A query parameter parsed, the error naming it.
pub(crate) fn param<T: std::str::FromStr>(
    q: &HashMap<String, String>,
    name: &str,
    what: &str,
) -> Result<Option<T>, ApiError> {
    q.get(name)
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::bad_field(&format!("`{v}` is not {what}"), name))
        })
        .transpose()
}

fn top(q: &HashMap<String, String>) -> Result<usize, ApiError> {
    Ok(param(q, "top", "a count")?.unwrap_or(DEFAULT_TOP))
}

async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn stats(State(app): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let s = app.served()?;
    Ok(Json(json!({
        "vacancies": s.matcher().snapshot().num_vacancies(),
        "seekers": s.seekers().len(),
        "today": s.matcher().today().to_string(),
        "pending_writes": app.pending(),
    })))
}

/// `GET /metrics`: the Prometheus text format.
async fn metrics(State(app): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let s = app.served()?;
    let mut index_bytes = dir_bytes(&app.index_dir);
    if let Some((_, dir)) = &app.seekers {
        index_bytes += dir_bytes(dir);
    }
    let text = app.metrics.render(&Gauges {
        vacancies: s.matcher().snapshot().num_vacancies(),
        seekers: s.seekers().len() as u64,
        index_bytes,
        pending_writes: app.pending(),
    });
    Ok(([("content-type", "text/plain; version=0.0.4")], text).into_response())
}

/// `GET /regions`: the gazetteer.
async fn regions() -> Json<Value> {
    let all: Vec<Value> = gazetteer()
        .all()
        .iter()
        .map(|r| {
            json!({
                "code": r.code.get().to_string(),
                "name": r.name,
                "level": r.level,
                "prefecture": r.prefecture.get().to_string(),
                "province": r.province.get().to_string(),
                "lat": r.centroid.lat(),
                "lon": r.centroid.lon(),
            })
        })
        .collect();
    Json(Value::Array(all))
}

/// A stored vacancy as JSON, with its district's name and centroid.
fn vacancy_json(v: &jobmatch::index::StoredVacancy) -> Value {
    let r = gazetteer().get(v.region);
    json!({
        "id": v.id,
        "title": v.title,
        "employer": v.employer,
        "region": v.region.get().to_string(),
        "region_name": r.name,
        "county": r.level == Level::County,
        "lat": r.centroid.lat(),
        "lon": r.centroid.lon(),
    })
}

/// `POST /match?top=K[&details=true]`: one seeker (JSON) → its top k. The
/// header `x-jobmatch-vacancies` names the state ranked on (its vacancies).
async fn match_one(
    State(app): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let seeker: Seeker = parse_one(&body)?;
    let k = top(&q)?;
    let details = param(&q, "details", "true or false")?.unwrap_or(false);
    let s = app.served()?;
    let state = s.matcher().snapshot().num_vacancies().to_string();
    let out = bounded(&app, move || {
        let m = s.matcher();
        let result = m.match_one(&seeker, k)?;
        // The library's serialisation, field order kept; details appended.
        let mut out = serde_json::to_vec(&result).map_err(|e| ApiError::internal(&e.to_string()))?;
        if details {
            let mut found = Vec::with_capacity(result.matches.len());
            for x in &result.matches {
                let v = m.snapshot().vacancy(&x.vacancy)?;
                found.push(v.as_ref().map_or(Value::Null, vacancy_json));
            }
            out.pop(); // the closing brace
            out.extend_from_slice(format!(",\"vacancies\":{}}}", Value::Array(found)).as_bytes());
        }
        Ok(out)
    })
    .await?;
    Ok((
        [("x-jobmatch-vacancies", state), ("content-type", JSON.to_owned())],
        out,
    )
        .into_response())
}

/// `POST /match/batch?top=K`: seekers (JSON Lines) → one result line each,
/// in order, sent as each chunk is ranked. A bad line is a 400 naming it
/// before anything is sent; a seeker the engine refuses gets an
/// `{"line", "seeker", "error"}` line in its place; past the deadline the
/// stream ends with an `{"error"}` line naming it.
async fn match_batch(
    State(app): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let k = top(&q)?;
    let seekers: Vec<Seeker> = blocking(move || parse_lines(&body)).await?;
    let s = app.served()?;
    let deadline = app.deadline.map(|d| (Instant::now() + d, d));
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    tokio::task::spawn_blocking(move || {
        for (c, chunk) in seekers.chunks(BATCH_CHUNK).enumerate() {
            if let Some((end, d)) = deadline
                && Instant::now() > end
            {
                let line = json!({ "error": format!("the batch took longer than the server's deadline of {} ms: the seekers after this line were not ranked", d.as_millis()) });
                let _ = tx.blocking_send(Bytes::from(format!("{line}\n")));
                return;
            }
            let mut out = Vec::new();
            for (i, (r, seeker)) in s
                .matcher()
                .match_batch(chunk, k, false)
                .into_iter()
                .zip(chunk)
                .enumerate()
            {
                match r {
                    Ok(r) => {
                        if serde_json::to_writer(&mut out, &r).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let line = c * BATCH_CHUNK + i + 1;
                        let v = json!({ "line": line, "seeker": seeker.id, "error": e.to_string() });
                        out.extend_from_slice(v.to_string().as_bytes());
                    }
                }
                out.push(b'\n');
            }
            if tx.blocking_send(Bytes::from(out)).is_err() {
                return; // the caller went away
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|b| (Ok::<_, std::convert::Infallible>(b), rx))
    });
    Ok(([("content-type", LINES)], Body::from_stream(stream)).into_response())
}

#[derive(Deserialize)]
struct ExplainRequest {
    seeker: Seeker,
    vacancy: String,
}

/// `POST /explain`: `{"seeker": …, "vacancy": id}` → every signal.
async fn explain(State(app): State<Arc<AppState>>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let req: ExplainRequest = parse_one(&body)?;
    let s = app.served()?;
    bounded(&app, move || {
        let e = s.matcher().explain(&req.seeker, &req.vacancy)?;
        serde_json::to_value(e).map_err(|e| ApiError::internal(&e.to_string()))
    })
    .await
    .map(Json)
}

/// `POST /guidance?top=N&k=K`: a seeker → the skills that would help most.
async fn guidance(
    State(app): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let seeker: Seeker = parse_one(&body)?;
    let top = param(&q, "top", "a count")?.unwrap_or(5);
    let k = param(&q, "k", "a count")?.unwrap_or(10);
    let s = app.served()?;
    bounded(&app, move || {
        let guide = Guide::new(
            s.matcher(),
            GuidanceConfig {
                k,
                ..GuidanceConfig::default()
            },
        )?;
        let g = guide.seeker(&seeker, top)?;
        serde_json::to_value(g).map_err(|e| ApiError::internal(&e.to_string()))
    })
    .await
    .map(Json)
}

/// `GET /vacancies/{id}`.
async fn vacancy(State(app): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let s = app.served()?;
    blocking(move || match s.matcher().snapshot().vacancy(&id)? {
        Some(v) => Ok(Json(vacancy_json(&v))),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            &format!("no vacancy `{id}`"),
        )),
    })
    .await
}

/// `GET /vacancies/{id}/candidates?top=N`.
async fn candidates(
    State(app): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let n = top(&q)?;
    let s = app.served()?;
    s.reverse()?;
    bounded(&app, move || {
        let found = s.reverse()?.candidates(&id, n)?;
        serde_json::to_value(found).map_err(|e| ApiError::internal(&e.to_string()))
    })
    .await
    .map(Json)
}

/// `POST /candidates?top=N`: a draft vacancy → the saved seekers who fit it.
async fn candidates_for(
    State(app): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let vacancy: Vacancy = parse_one(&body)?;
    let n = top(&q)?;
    let s = app.served()?;
    s.reverse()?;
    bounded(&app, move || {
        let found = s.reverse()?.candidates_for(&vacancy, n)?;
        serde_json::to_value(found).map_err(|e| ApiError::internal(&e.to_string()))
    })
    .await
    .map(Json)
}

/// `POST /candidates/raw?top=N`: a draft posting in free text, read as
/// `jobmatch ingest` reads it → the saved seekers who fit it, and the
/// vacancy it was read as (a posting that cannot be one is a 400 naming
/// the field).
async fn candidates_for_raw(
    State(app): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let raw: jobmatch::ingest::RawVacancy = parse_one(&body)?;
    let vacancy = jobmatch::ingest::ingest_vacancy(&raw, 1)?.record;
    let n = top(&q)?;
    let s = app.served()?;
    s.reverse()?;
    bounded(&app, move || {
        let found = s.reverse()?.candidates_for(&vacancy, n)?;
        let mut reply = serde_json::to_value(found).map_err(|e| ApiError::internal(&e.to_string()))?;
        reply["read_as"] = serde_json::to_value(&vacancy).map_err(|e| ApiError::internal(&e.to_string()))?;
        Ok(reply)
    })
    .await
    .map(Json)
}

/// `POST /alerts?top=K`: a feed of vacancies → one line per alert.
async fn alerts(
    State(app): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let k = top(&q)?;
    let s = app.served()?;
    s.reverse()?;
    let out = bounded(&app, move || {
        let feed: Vec<Vacancy> = parse_lines(&body)?;
        let thresholds = s.thresholds(k)?;
        // From the new vacancies' side, over the seekers kept prepared.
        let found = s.reverse()?.alerts(&thresholds, &feed)?;
        let mut out = Vec::new();
        for a in &found {
            serde_json::to_writer(&mut out, a).map_err(|e| ApiError::internal(&e.to_string()))?;
            out.push(b'\n');
        }
        Ok(out)
    })
    .await?;
    Ok(([("content-type", LINES)], out).into_response())
}

/// `GET /seekers/{id}`.
async fn seeker(State(app): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    app.seeker_index()?;
    blocking(move || match app.seeker_index()?.get(&id)? {
        Some(x) => serde_json::to_value(x)
            .map(Json)
            .map_err(|e| ApiError::internal(&e.to_string())),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            &format!("no saved seeker `{id}`"),
        )),
    })
    .await
}
