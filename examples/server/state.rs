//! What every handler shares: the indexes, the state served, the writer's
//! lock, and the API's errors.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jobmatch::index::VacancyIndex;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::reverse::{SeekerIndex, SeekerMatcher, Thresholds};
use jobmatch::{Date, Error, Seeker};
use serde_json::json;

use crate::metrics::Metrics;

/// The day rankings are made on when the index holds no vacancy with a
/// posting date (freshness needs one).
const FALLBACK_TODAY: (i16, i8, i8) = (2021, 3, 31);

/// The engine of one committed state: forward only, or both directions
/// when the server keeps saved seekers.
enum Engine {
    Forward(Box<Matcher>),
    Both(Box<SeekerMatcher>),
}

/// One committed state, read by every request that started after the
/// commit that made it (and by those in flight, to their end).
pub struct Served {
    engine: Engine,
    /// The saved seekers of this state (empty without `--seekers`).
    seekers: Vec<Seeker>,
    /// Each saved seeker's top k, by k, computed when alerts first ask.
    thresholds: Mutex<HashMap<usize, Arc<Thresholds>>>,
}

impl Served {
    /// The forward matcher.
    pub fn matcher(&self) -> &Matcher {
        match &self.engine {
            Engine::Forward(m) => m,
            Engine::Both(r) => r.matcher(),
        }
    }

    /// The reverse matcher, when the server keeps saved seekers.
    pub fn reverse(&self) -> Result<&SeekerMatcher, ApiError> {
        match &self.engine {
            Engine::Both(r) => Ok(r),
            Engine::Forward(_) => Err(ApiError::new(
                StatusCode::NOT_IMPLEMENTED,
                "this server keeps no saved seekers: start it with --seekers DIR",
            )),
        }
    }

    /// The saved seekers.
    pub fn seekers(&self) -> &[Seeker] {
        &self.seekers
    }

    /// Every saved seeker's top `k` in this state (computed once per k).
    pub fn thresholds(&self, k: usize) -> Result<Arc<Thresholds>, ApiError> {
        self.reverse()?;
        let mut cache = self
            .thresholds
            .lock()
            .map_err(|_| ApiError::internal("thresholds lock poisoned"))?;
        if let Some(t) = cache.get(&k) {
            return Ok(t.clone());
        }
        let t = Arc::new(Thresholds::compute(self.matcher(), &self.seekers, k)?);
        cache.insert(k, t.clone());
        Ok(t)
    }
}

/// What every handler shares.
pub struct AppState {
    pub metrics: Metrics,
    /// Longest a read may take before the caller gets a 503.
    pub deadline: Option<Duration>,
    /// Bearer token the write endpoints (and, with `protect_reads`, the
    /// reads) require, if any.
    pub token: Option<String>,
    /// Whether reads need the token too.
    pub protect_reads: bool,
    pub index: VacancyIndex,
    pub index_dir: PathBuf,
    /// Saved seekers, with their directory, when started with `--seekers`.
    pub seekers: Option<(SeekerIndex, PathBuf)>,
    pub config: RankingConfig,
    /// The state of the last commit; replaced whole at each commit.
    served: RwLock<Arc<Served>>,
    /// Held by every write request for all its writes, and by commits: a
    /// commit never sees half a request.
    writer: Mutex<()>,
    /// Write requests applied since the last commit.
    pending: AtomicU64,
}

impl AppState {
    /// Opens the served state over the indexes' committed contents.
    pub fn new(
        index: VacancyIndex,
        index_dir: PathBuf,
        seekers: Option<(SeekerIndex, PathBuf)>,
        config: RankingConfig,
    ) -> jobmatch::Result<AppState> {
        let served = build_served(&index, seekers.as_ref().map(|s| &s.0), &config, None)?;
        Ok(AppState {
            metrics: Metrics::default(),
            deadline: None,
            token: None,
            protect_reads: false,
            index,
            index_dir,
            seekers,
            config,
            served: RwLock::new(Arc::new(served)),
            writer: Mutex::new(()),
            pending: AtomicU64::new(0),
        })
    }

    /// The state of the last commit.
    pub fn served(&self) -> Result<Arc<Served>, ApiError> {
        self.served
            .read()
            .map(|m| m.clone())
            .map_err(|_| ApiError::internal("served state lock poisoned"))
    }

    /// The saved seekers' index, or a 501 naming the flag.
    pub fn seeker_index(&self) -> Result<&SeekerIndex, ApiError> {
        self.seekers.as_ref().map(|s| &s.0).ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_IMPLEMENTED,
                "this server keeps no saved seekers: start it with --seekers DIR",
            )
        })
    }

    /// Runs one write request's writes while holding the writer: no commit
    /// falls between them. Counts the request as pending.
    pub fn write<T>(&self, f: impl FnOnce() -> Result<T, ApiError>) -> Result<T, ApiError> {
        let _held = self.lock_writer()?;
        let out = f()?;
        self.pending.fetch_add(1, Ordering::Relaxed);
        Ok(out)
    }

    /// Write requests applied and not yet committed.
    pub fn pending(&self) -> u64 {
        self.pending.load(Ordering::Relaxed)
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, ()>, ApiError> {
        self.writer
            .lock()
            .map_err(|_| ApiError::internal("writer lock poisoned"))
    }

    /// Commits both indexes and serves the new state: requests that start
    /// afterwards see it, those in flight keep theirs. Returns the
    /// vacancies and seekers now served.
    pub fn commit(&self) -> Result<(u64, usize), ApiError> {
        let _held = self.lock_writer()?;
        self.index.commit()?;
        if let Some((s, _)) = &self.seekers {
            s.commit()?;
        }
        // The saved seekers that did not change are not read again.
        let serving = self.served()?;
        let served = build_served(
            &self.index,
            self.seekers.as_ref().map(|s| &s.0),
            &self.config,
            Some(&serving),
        )?;
        drop(serving);
        let counts = (
            served.matcher().snapshot().num_vacancies(),
            served.seekers().len(),
        );
        let before = std::mem::replace(
            &mut *self
                .served
                .write()
                .map_err(|_| ApiError::internal("served state lock poisoned"))?,
            Arc::new(served),
        );
        // Freed on a thread of its own, outside the lock: the state of
        // 100,000 saved seekers takes a tenth of a second or more to free,
        // which neither this commit nor the readers should wait for.
        std::thread::spawn(move || drop(before));
        self.pending.store(0, Ordering::Relaxed);
        self.metrics.committed_now();
        Ok(counts)
    }
}

/// The served state of the indexes' committed contents, renewing what
/// `before` prepared of the saved seekers.
fn build_served(
    index: &VacancyIndex,
    seekers: Option<&SeekerIndex>,
    config: &RankingConfig,
    before: Option<&Served>,
) -> jobmatch::Result<Served> {
    let snapshot = index.snapshot()?;
    let (y, m, d) = FALLBACK_TODAY;
    let today = snapshot.latest_posted().unwrap_or(Date::new(y, m, d)?);
    let matcher = Matcher::new(snapshot, config.clone(), today)?;
    // Learn the skill → occupation model now, not in the first reads of
    // the new state (it takes a while on a large market).
    matcher.occupation_model()?;
    let (engine, saved) = match seekers {
        Some(s) => {
            let saved = s.seekers()?;
            (
                Engine::Both(Box::new(match before.map(|b| &b.engine) {
                    Some(Engine::Both(kept)) => kept.renew(matcher, &saved)?,
                    _ => SeekerMatcher::new(matcher, &saved)?,
                })),
                saved,
            )
        }
        None => (Engine::Forward(Box::new(matcher)), Vec::new()),
    };
    Ok(Served {
        engine,
        seekers: saved,
        thresholds: Mutex::new(HashMap::new()),
    })
}

/// An error as the API returns it: a status and `{"error", …}`.
pub struct ApiError {
    pub status: StatusCode,
    pub body: serde_json::Value,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, what: &str) -> ApiError {
        ApiError {
            status,
            body: json!({ "error": what }),
        }
    }

    /// A 500.
    pub fn internal(what: &str) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, what)
    }

    /// A 400 naming the field (a query parameter or a body's field).
    pub fn bad_field(what: &str, field: &str) -> ApiError {
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, what);
        e.body["field"] = json!(field);
        e
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::UnknownVacancy { .. } | Error::IndexMissing { .. } => StatusCode::NOT_FOUND,
            // A body's line too large is the payload; a seeker asking for
            // too much (k, skills) is a bad request.
            Error::TooLarge { what, .. } if what.contains("bytes") => StatusCode::PAYLOAD_TOO_LARGE,
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
