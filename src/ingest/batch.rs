//! Many raw records ingested in order, in parallel chunks.

use std::collections::VecDeque;
use std::io::BufRead;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::{Ingested, RawSeeker, RawVacancy, ingest_seeker, ingest_vacancy};
use crate::error::{Error, Result};
use crate::io::{JsonLines, Record};
use crate::model::{Seeker, Vacancy};

/// A raw record kind: what it becomes and how.
pub trait Raw: DeserializeOwned + Record + Send + Sync {
    /// The clean record.
    type Clean: Send;
    /// Its id, when it has one.
    fn id(&self) -> Option<&str>;
    /// Reads it (see [`ingest_vacancy`], [`ingest_seeker`]).
    ///
    /// # Errors
    /// The record cannot become a clean one.
    fn ingest(&self, line: u64) -> Result<Ingested<Self::Clean>>;
}

impl Raw for RawVacancy {
    type Clean = Vacancy;
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn ingest(&self, line: u64) -> Result<Ingested<Vacancy>> {
        ingest_vacancy(self, line)
    }
}

impl Raw for RawSeeker {
    type Clean = Seeker;
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn ingest(&self, line: u64) -> Result<Ingested<Seeker>> {
        ingest_seeker(self, line)
    }
}

/// One record's outcome, at its line.
#[derive(Debug)]
pub struct Item<C> {
    /// Its line in the input (1-based).
    pub line: u64,
    /// Its id, when the raw record has one.
    pub id: Option<String>,
    /// The clean record, or why there is none (a line that is not a raw
    /// record, or a record that cannot become a clean one), as an
    /// [`Error::Parse`] naming the line and field.
    pub result: Result<Ingested<C>>,
}

/// The raw records of a JSON Lines stream with their lines (a line that is
/// not a JSON object of strings is an error naming it).
pub fn json_lines<R: BufRead, T: Record>(reader: R) -> impl Iterator<Item = (u64, Result<T>)> {
    let mut lines = JsonLines::<R, T>::new(reader);
    std::iter::from_fn(move || {
        let r = lines.next()?;
        Some((lines.line(), r))
    })
}

/// Ingests raw records in input order, `chunk` at a time in parallel on the
/// current rayon pool.
///
/// ```
/// use jobmatch::ingest::{RawVacancy, ingest_all, json_lines};
/// let input = "{\"id\":\"a\",\"title\":\"焊工\",\"location\":\"九龙坡\"}\n{\"id\":\"b\",\"title\":\"司机\"}\n";
/// let items: Vec<_> = ingest_all(json_lines::<_, RawVacancy>(input.as_bytes()), 1024).collect();
/// assert!(items[0].result.is_ok());
/// let e = items[1].result.as_ref().unwrap_err().to_string();
/// assert!(e.contains("line 2") && e.contains("location"), "{e}");
/// ```
pub fn ingest_all<I, R>(source: I, chunk: usize) -> impl Iterator<Item = Item<R::Clean>>
where
    I: Iterator<Item = (u64, Result<R>)>,
    R: Raw,
{
    let mut source = source.fuse();
    let mut ready: VecDeque<Item<R::Clean>> = VecDeque::new();
    let chunk = chunk.max(1);
    std::iter::from_fn(move || {
        if ready.is_empty() {
            let batch: Vec<(u64, Result<R>)> = source.by_ref().take(chunk).collect();
            let done: Vec<Item<R::Clean>> = batch
                .into_par_iter()
                .map(|(line, raw)| match raw {
                    Ok(raw) => Item {
                        line,
                        id: raw.id().map(str::to_owned),
                        result: raw.ingest(line).map_err(|e| at_line(e, line)),
                    },
                    Err(e) => Item {
                        line,
                        id: None,
                        result: Err(at_line(e, line)),
                    },
                })
                .collect();
            ready.extend(done);
        }
        ready.pop_front()
    })
}

/// An ingest error as a parse error of its line.
fn at_line(e: Error, line: u64) -> Error {
    match e {
        Error::Invalid { field, reason } => Error::Parse { line, field, reason },
        Error::Parse { .. } => e,
        other => Error::Parse {
            line,
            field: "(record)".into(),
            reason: other.to_string(),
        },
    }
}
