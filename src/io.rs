//! Streaming JSON Lines: read vacancies and seekers, write results.
//!
//! Readers hold one line at a time, so a file of millions of records is read
//! in constant memory. Every error names the 1-based line number and the
//! field (a JSON path such as `mobility.max_km` or `skills[2]`). A bad line
//! never costs its neighbours: the reader yields an error for that line and
//! carries on, so the caller chooses to stop at the first error or to skip
//! and report.
//!
//! ```
//! use jobmatch::io::JsonLines;
//! use jobmatch::Vacancy;
//! let input = r#"{"id":"v1","title":"焊工","skills":["电焊"],"region":"500107"}
//! {"id":"v2","title":"普工","skills":[],"region":"999999"}
//! "#;
//! let mut errors = Vec::new();
//! let good: Vec<Vacancy> = JsonLines::new(input.as_bytes())
//!     .skip_bad(|e| errors.push(e.to_string()))
//!     .collect();
//! assert_eq!(good.len(), 1);
//! assert_eq!(errors, ["line 2: region: unknown region code `999999`"]);
//! ```

use std::io::{BufRead, Read, Write};
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::model::{Seeker, SeekerRecord, Vacancy, VacancyRecord};

/// Longest accepted line, in bytes, unless configured otherwise.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// Why one line failed to parse: the field at fault and what is wrong.
/// [`JsonLines`] adds the line number to make it an [`Error::Parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// A JSON path (`mobility.max_km`, `skills[2]`), `(line)` for a line
    /// that is not JSON, or `(record)` for a record invalid as a whole.
    pub field: String,
    /// What is wrong, in words.
    pub reason: String,
}

impl FieldError {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The error of this field on a 1-based line.
    pub fn at_line(self, line: u64) -> Error {
        Error::Parse {
            line,
            field: self.field,
            reason: self.reason,
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// A record type that can be read from JSON Lines with field-precise errors.
pub trait Record: Sized {
    /// Parses one line's bytes.
    ///
    /// # Errors
    /// The field at fault and why.
    fn from_json(bytes: &[u8]) -> std::result::Result<Self, FieldError>;
}

/// Parses a line into a wire type, then validates it into the domain type.
fn parse_validated<W, T>(bytes: &[u8]) -> std::result::Result<T, FieldError>
where
    W: DeserializeOwned,
    T: TryFrom<W, Error = Error>,
{
    // The fast path parses without tracking paths; only a failure is parsed
    // again with path tracking, to name the field.
    let wire: W = match serde_json::from_slice(bytes) {
        Ok(w) => w,
        Err(_) => {
            not_an_object(bytes)?;
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let wire: W = serde_path_to_error::deserialize(&mut de).map_err(|e| describe(&e))?;
            de.end().map_err(|e| FieldError::new("(line)", clean(&e)))?;
            wire
        }
    };
    T::try_from(wire).map_err(|e| match e {
        Error::Invalid { field, reason } => FieldError { field, reason },
        other => FieldError::new("(record)", other.to_string()),
    })
}

/// Parses a line into a plain serde type (one with no validation of its
/// own), naming the field at fault.
pub(crate) fn parse_plain<T: DeserializeOwned>(bytes: &[u8]) -> std::result::Result<T, FieldError> {
    not_an_object(bytes)?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| describe(&e))?;
    de.end().map_err(|e| FieldError::new("(line)", clean(&e)))?;
    Ok(value)
}

/// A line that holds JSON but not an object: serde would read an array
/// as a record's fields in order and name an index (`[1]`), which says
/// nothing to whoever wrote the line.
fn not_an_object(bytes: &[u8]) -> std::result::Result<(), FieldError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => Ok(()),
        Some(b'[') => Err(FieldError::new(
            "(line)",
            "an array, not a record: each line holds one JSON object `{…}`",
        )),
        Some(_) => Ok(()),
    }
}

/// Field and reason of a serde error.
fn describe(e: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let inner = e.inner();
    let reason = clean(inner);
    let path = e.path().to_string();
    if path != "." && path != "?" {
        // A nested value's own validation names its field in full
        // (`mobility.max_km: ...`), more precisely than the path does.
        if let Some((head, rest)) = reason.split_once(": ")
            && head.starts_with(&path)
            && !head.contains(' ')
        {
            return FieldError::new(head, rest);
        }
        return FieldError::new(path, reason);
    }
    // serde reports a missing field at the record level; name the field.
    if let Some(name) = reason
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return FieldError::new(name, "is required");
    }
    FieldError::new("(line)", reason)
}

/// serde_json's message without its position: the line number is ours; for
/// a syntax error the column within the line is kept as `(column N)`, a
/// data error is already located by its field.
fn clean(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let syntax = !matches!(e.classify(), serde_json::error::Category::Data);
    match msg.rfind(" at line ") {
        Some(at) if syntax && e.column() > 0 => format!("{} (column {})", &msg[..at], e.column()),
        Some(at) => msg[..at].to_owned(),
        None => msg,
    }
}

impl Record for Vacancy {
    fn from_json(bytes: &[u8]) -> std::result::Result<Self, FieldError> {
        parse_validated::<VacancyRecord, _>(bytes)
    }
}

impl Record for Seeker {
    fn from_json(bytes: &[u8]) -> std::result::Result<Self, FieldError> {
        parse_validated::<SeekerRecord, _>(bytes)
    }
}

/// An iterator over the records of a JSON Lines stream.
///
/// Blank lines are skipped (but counted, so line numbers stay true).
pub struct JsonLines<R, T> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
    max_line_bytes: usize,
    done: bool,
    _record: PhantomData<fn() -> T>,
}

impl<R: BufRead, T: Record> JsonLines<R, T> {
    /// Reads records from a buffered reader.
    pub fn new(reader: R) -> Self {
        JsonLines {
            reader,
            line: 0,
            buf: Vec::new(),
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            done: false,
            _record: PhantomData,
        }
    }

    /// Sets the longest accepted line in bytes; a longer line is an error
    /// for that line (and is skipped without being held in memory).
    pub fn max_line_bytes(mut self, limit: usize) -> Self {
        self.max_line_bytes = limit;
        self
    }

    /// Number of the last line read (1-based; 0 before the first).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Yields the good records and hands every error to `on_error`. Errors
    /// of a line are skipped over; a read failure ends the iteration.
    pub fn skip_bad<F: FnMut(Error)>(self, on_error: F) -> SkipBad<R, T, F> {
        SkipBad {
            inner: self,
            on_error,
        }
    }

    fn read_line(&mut self) -> std::io::Result<Option<bool>> {
        self.buf.clear();
        let limit = self.max_line_bytes as u64 + 1;
        let n = (&mut self.reader).take(limit).read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        if self.buf.len() as u64 == limit && !self.buf.ends_with(b"\n") {
            // Too long: drop the rest of the line without buffering it.
            loop {
                self.buf.clear();
                let n = (&mut self.reader)
                    .take(64 * 1024)
                    .read_until(b'\n', &mut self.buf)?;
                if n == 0 || self.buf.ends_with(b"\n") {
                    break;
                }
            }
            return Ok(Some(false));
        }
        Ok(Some(true))
    }
}

impl<R: BufRead, T: Record> Iterator for JsonLines<R, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        loop {
            let fits = match self.read_line() {
                Ok(None) => return None,
                Ok(Some(fits)) => fits,
                Err(e) => {
                    // The machine failed, not the input: an I/O error (the
                    // caller, who knows the file, adds its path), and the
                    // stream ends.
                    self.done = true;
                    let line = self.line + 1;
                    let source = std::io::Error::new(e.kind(), format!("reading line {line}: {e}"));
                    return Some(Err(Error::io_unnamed(source)));
                }
            };
            let line = self.line;
            if !fits {
                return Some(Err(Error::Parse {
                    line,
                    field: "(line)".into(),
                    reason: format!("longer than the limit of {} bytes", self.max_line_bytes),
                }));
            }
            let mut text = self.buf.trim_ascii();
            // A byte-order mark, as editors on Windows write at the start
            // of a file, is not part of the record.
            if line == 1 {
                text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text).trim_ascii();
            }
            if text.is_empty() {
                continue;
            }
            if std::str::from_utf8(text).is_err() {
                return Some(Err(Error::Parse {
                    line,
                    field: "(line)".into(),
                    reason: "not valid UTF-8".into(),
                }));
            }
            return Some(T::from_json(text).map_err(|e| e.at_line(line)));
        }
    }
}

/// See [`JsonLines::skip_bad`].
pub struct SkipBad<R, T, F> {
    inner: JsonLines<R, T>,
    on_error: F,
}

impl<R: BufRead, T: Record, F: FnMut(Error)> Iterator for SkipBad<R, T, F> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        loop {
            match self.inner.next()? {
                Ok(r) => return Some(r),
                Err(e) => (self.on_error)(e),
            }
        }
    }
}

/// Writes values as JSON Lines, one per line.
pub struct JsonLinesWriter<W: Write> {
    out: W,
}

impl<W: Write> JsonLinesWriter<W> {
    /// Writes to `out` (wrap files in a `BufWriter`).
    pub fn new(out: W) -> Self {
        JsonLinesWriter { out }
    }

    /// Writes one value and a newline.
    ///
    /// # Errors
    /// [`Error::Io`] when writing fails.
    pub fn write<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        serde_json::to_writer(&mut self.out, value).map_err(|e| Error::io_unnamed(e.into()))?;
        self.out.write_all(b"\n").map_err(Error::io_unnamed)
    }

    /// Flushes and returns the inner writer.
    ///
    /// # Errors
    /// [`Error::Io`] when flushing fails.
    pub fn finish(mut self) -> Result<W> {
        self.out.flush().map_err(Error::io_unnamed)?;
        Ok(self.out)
    }
}

/// The round-trip property the fuzz targets and tests check on arbitrary
/// bytes: every line that parses as a vacancy (or seeker) re-serialises to a
/// line that parses to the same value. Parsing must never panic.
///
/// # Errors
/// A description of the first line that breaks the property.
pub fn check_round_trip(bytes: &[u8]) -> std::result::Result<(), String> {
    fn each<T: Record + Serialize + PartialEq + std::fmt::Debug>(
        bytes: &[u8],
    ) -> std::result::Result<(), String> {
        for (n, parsed) in JsonLines::<_, T>::new(bytes).enumerate() {
            let Ok(first) = parsed else { continue };
            let line = serde_json::to_vec(&first).map_err(|e| format!("record {n}: serialise: {e}"))?;
            let again = T::from_json(&line).map_err(|e| {
                format!(
                    "record {n}: re-parse failed at {e}: {}",
                    String::from_utf8_lossy(&line)
                )
            })?;
            if again != first {
                return Err(format!("record {n}: {first:?} became {again:?}"));
            }
        }
        Ok(())
    }
    each::<Vacancy>(bytes)?;
    each::<Seeker>(bytes)
}
