//! The write endpoints: upserts (clean records or raw postings), deletes,
//! expiry and commits. Every write is validated in full before anything
//! is written and becomes visible at the next commit, all or none: a
//! write that fails midway (a full disk, an indexing thread that died)
//! leaves none of its records pending, and the writes acknowledged before
//! it stay pending ([`jobmatch::index::VacancyIndex::upsert_all`]); a
//! failed commit keeps them all for the next one.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use jobmatch::ingest::{IngestReport, Ingested, RawSeeker, RawVacancy, ingest_seeker, ingest_vacancy};
use jobmatch::{Date, Seeker, Vacancy};
use serde_json::{Value, json};
use std::collections::HashMap;

use crate::routes::{blocking, param, parse_lines};
use crate::state::{ApiError, AppState};

/// Validates every record before anything is written: the error names the
/// record by `kind` and id.
pub(crate) fn validate_all<T>(
    records: &[T],
    kind: &str,
    id: impl Fn(&T) -> &str,
    check: impl Fn(&T) -> jobmatch::Result<()>,
) -> Result<(), ApiError> {
    for r in records {
        check(r).map_err(|e| {
            let mut err = ApiError::from(e);
            err.body[kind] = json!(id(r));
            err
        })?;
    }
    Ok(())
}

/// `POST /vacancies`: vacancies (JSON Lines, or one JSON object) upserted;
/// visible after `POST /commit`. All or none: a bad line is an error
/// naming it and nothing is written.
pub(crate) async fn upsert_vacancies(
    State(app): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let vacancies: Vec<Vacancy> = parse_lines(&body)?;
        validate_all(&vacancies, "vacancy", |v| &v.id, Vacancy::validate)?;
        app.write(|| {
            app.index.upsert_all(&vacancies)?;
            Ok(Json(json!({ "upserted": vacancies.len() })))
        })
    })
    .await
}

/// Raw records (JSON Lines) read by `ingest`, all or none: a record that
/// cannot become one is an error naming its line, its `kind` and id. With
/// the report of each field's outcomes.
fn ingest_lines<R, T>(
    body: &[u8],
    kind: &str,
    id: impl Fn(&R) -> Option<&str>,
    ingest: impl Fn(&R, u64) -> jobmatch::Result<Ingested<T>>,
) -> Result<(Vec<T>, IngestReport), ApiError>
where
    R: jobmatch::io::Record,
{
    let raw: Vec<R> = parse_lines(body)?;
    let mut report = IngestReport::default();
    let mut records = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let line = i as u64 + 1;
        let ingested = ingest(r, line).map_err(|e| {
            let mut err = ApiError::from(jobmatch::Error::Parse {
                line,
                field: "(record)".into(),
                reason: e.to_string(),
            });
            err.body[kind] = json!(id(r));
            err
        })?;
        report.add(&ingested);
        records.push(ingested.record);
    }
    report.finish();
    Ok((records, report))
}

/// `POST /vacancies/raw`: raw postings ingested (as `jobmatch ingest`
/// reads them) and upserted; all or none: a posting that cannot become a
/// vacancy is an error naming its line, id and reason, and nothing is
/// written. The reply counts each field's outcomes.
pub(crate) async fn upsert_raw_vacancies(
    State(app): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let (vacancies, report) =
            ingest_lines(&body, "vacancy", |r: &RawVacancy| r.id.as_deref(), ingest_vacancy)?;
        app.write(|| {
            app.index.upsert_all(&vacancies)?;
            Ok(Json(
                json!({ "upserted": vacancies.len(), "fields": report.fields }),
            ))
        })
    })
    .await
}

/// `DELETE /vacancies/{id}`.
pub(crate) async fn delete_vacancy(
    State(app): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    blocking(move || app.write(|| Ok(Json(json!({ "deleted": app.index.delete(&id)? }))))).await
}

/// `POST /vacancies/expire?before=YYYY-MM-DD`.
pub(crate) async fn expire(
    State(app): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let day: Date = param(&q, "before", "a date YYYY-MM-DD")?
        .ok_or_else(|| ApiError::bad_field("give the day: ?before=YYYY-MM-DD", "before"))?;
    blocking(move || app.write(|| Ok(Json(json!({ "expired": app.index.expire(day)? }))))).await
}

/// `POST /seekers`: saved seekers upserted, all or none.
pub(crate) async fn upsert_seekers(
    State(app): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    save_seekers(app, move || {
        let seekers: Vec<Seeker> = parse_lines(&body)?;
        validate_all(&seekers, "seeker", |s| &s.id, Seeker::validate)?;
        Ok((seekers, json!({})))
    })
    .await
}

/// `POST /seekers/raw`: registrations as a job board keeps them (desired
/// jobs, skills as typed, home and salary in words) ingested as `jobmatch
/// ingest --seekers` reads them (`会电焊` is 焊接) and saved; all or none,
/// as `POST /vacancies/raw`.
pub(crate) async fn upsert_raw_seekers(
    State(app): State<Arc<AppState>>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    save_seekers(app, move || {
        let (seekers, report) =
            ingest_lines(&body, "seeker", |r: &RawSeeker| r.id.as_deref(), ingest_seeker)?;
        Ok((seekers, json!({ "fields": report.fields })))
    })
    .await
}

/// Saves the seekers `read` returns, all or none (a service without a
/// seeker index refuses before reading); the reply is `read`'s with the
/// count upserted.
async fn save_seekers(
    app: Arc<AppState>,
    read: impl FnOnce() -> Result<(Vec<Seeker>, Value), ApiError> + Send + 'static,
) -> Result<Json<Value>, ApiError> {
    app.seeker_index()?;
    blocking(move || {
        let (seekers, mut reply) = read()?;
        let index = app.seeker_index()?;
        app.write(|| {
            index.upsert_all(&seekers)?;
            reply["upserted"] = json!(seekers.len());
            Ok(Json(reply))
        })
    })
    .await
}

/// `DELETE /seekers/{id}`.
pub(crate) async fn delete_seeker(
    State(app): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    app.seeker_index()?;
    blocking(move || {
        let index = app.seeker_index()?;
        app.write(|| Ok(Json(json!({ "deleted": index.delete(&id)? }))))
    })
    .await
}

/// `POST /commit`: makes the writes so far visible to every later request.
pub(crate) async fn commit(State(app): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let (vacancies, seekers) = app.commit()?;
        Ok(Json(json!({ "vacancies": vacancies, "seekers": seekers })))
    })
    .await
}
