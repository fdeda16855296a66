//! The crate's one error type.
//!
//! Errors that come from what a user supplied (a bad line, an unknown region,
//! a config with an unknown key) are kept apart from failures of the machine
//! (I/O, a corrupt index), and every variant carries what a person needs to
//! find the problem: a path, a 1-based line number, a field name.

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `jobmatch`.
///
/// The top split is who must act: the variants up to [`Error::Config`] are
/// caused by what a user supplied (fix the input, the config or the
/// request); the ones after are failures of the machine or of this crate
/// (retry, restore, report). [`Error::kind`] tells which, exhaustively, so
/// a new variant must be placed. Causes are kept as typed sources
/// ([`std::error::Error::source`]), never flattened into text; tantivy's
/// error travels inside the opaque [`IndexError`] so that a tantivy upgrade
/// is not a breaking change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- caused by what a user supplied ----
    /// A record (one JSON line) is malformed or fails validation.
    #[error("line {line}: {field}: {reason}")]
    Parse {
        /// 1-based line number in the input.
        line: u64,
        /// The field at fault (a JSON path such as `mobility.max_km` or
        /// `skills[2]`), or `(line)` when the line is not valid JSON at all.
        field: String,
        /// What is wrong, in words.
        reason: String,
    },
    /// A value fails validation outside any input file (e.g. built in code).
    #[error("{field}: {reason}")]
    Invalid {
        /// The field at fault.
        field: String,
        /// What is wrong, in words.
        reason: String,
    },
    /// A region code that is not in the gazetteer.
    #[error("unknown region code `{code}`")]
    UnknownRegion {
        /// The code as given.
        code: String,
    },
    /// No vacancy with this id in the snapshot asked.
    #[error("no vacancy `{id}` in the index")]
    UnknownVacancy {
        /// The id as given.
        id: String,
    },
    /// The index directory is held by another writer.
    #[error("index at {} is locked by another writer (another process is updating it)", path.display())]
    IndexLocked {
        /// The index directory.
        path: PathBuf,
    },
    /// No index exists at the given directory.
    #[error("no jobmatch index at {}", path.display())]
    IndexMissing {
        /// The index directory.
        path: PathBuf,
    },
    /// The index was written by an incompatible version of this crate.
    #[error("index at {} has schema version {found}; this build reads version {expected}: rebuild the index", path.display())]
    IndexVersion {
        /// The index directory.
        path: PathBuf,
        /// Version found on disk.
        found: String,
        /// Version this build reads.
        expected: u32,
    },
    /// A request exceeds a configured limit.
    #[error("{what}: {actual} exceeds the limit of {limit}")]
    TooLarge {
        /// What was too large (e.g. `line bytes`, `skills per seeker`, `k`).
        what: &'static str,
        /// The configured limit.
        limit: usize,
        /// The size found.
        actual: usize,
    },
    /// A configuration is invalid (unknown key, out-of-range value).
    #[error("config: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },

    // ---- failures of the machine or of this crate ----
    /// Reading or writing failed.
    #[error("{}{source}", path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Io {
        /// The file or directory, when known.
        path: Option<PathBuf>,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The index is damaged or does not hold what this crate expects.
    #[error("index is corrupt: {reason}")]
    Corrupt {
        /// What was found wrong.
        reason: String,
    },
    /// The search engine underneath failed.
    #[error("index: {0}")]
    Index(#[source] IndexError),
    /// A panic elsewhere left shared state unusable (a poisoned lock); it
    /// is reported instead of aborting.
    #[error("internal error in a worker thread: {0}")]
    Panic(String),
    /// Another error, with the file or directory it happened in.
    #[error("{}: {source}", path.display())]
    WithPath {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Box<Error>,
    },
}

/// Who must act on an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input, config or request is at fault: fix it.
    User,
    /// The machine or this crate failed: retry, restore, report.
    Internal,
}

/// A failure of the search engine underneath, opaque so that its type is
/// not part of this crate's API. Its [`source`](std::error::Error::source)
/// is the engine's own error, when there is one.
#[derive(Debug)]
pub struct IndexError(IndexCause);

#[derive(Debug)]
enum IndexCause {
    Tantivy(tantivy::TantivyError),
    Message(String),
}

impl IndexError {
    pub(crate) fn msg(m: impl Into<String>) -> IndexError {
        IndexError(IndexCause::Message(m.into()))
    }
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            IndexCause::Tantivy(e) => write!(f, "{e}"),
            IndexCause::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for IndexError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            IndexCause::Tantivy(e) => Some(e),
            IndexCause::Message(_) => None,
        }
    }
}

impl Error {
    /// Wraps this error with the path of the file it concerns.
    pub fn with_path(self, path: impl Into<PathBuf>) -> Error {
        Error::WithPath {
            path: path.into(),
            source: Box::new(self),
        }
    }

    /// Who must act: the user (bad input, unknown values, limits, config, a
    /// locked or missing index) or the machine.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Parse { .. }
            | Error::Invalid { .. }
            | Error::UnknownRegion { .. }
            | Error::UnknownVacancy { .. }
            | Error::IndexMissing { .. }
            | Error::IndexLocked { .. }
            | Error::IndexVersion { .. }
            | Error::TooLarge { .. }
            | Error::Config { .. } => ErrorKind::User,
            Error::Io { .. } | Error::Corrupt { .. } | Error::Index(_) | Error::Panic(_) => {
                ErrorKind::Internal
            }
            Error::WithPath { source, .. } => source.kind(),
        }
    }

    /// Whether the error was caused by what the user supplied rather than
    /// by the machine ([`Error::kind`] is [`ErrorKind::User`]).
    pub fn is_user_error(&self) -> bool {
        self.kind() == ErrorKind::User
    }

    /// This error with the record it concerns named in its field
    /// (`seeker `s1`: commute_km`), for a record checked outside a file.
    pub(crate) fn naming(self, what: &str, id: &str) -> Error {
        match self {
            Error::Invalid { field, reason } => Error::Invalid {
                field: format!("{what} `{id}`: {field}"),
                reason,
            },
            other => other,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: Some(path.into()),
            source,
        }
    }

    /// An I/O failure where no path is known (inside the index's files, or
    /// a stream the caller named).
    pub(crate) fn io_unnamed(source: std::io::Error) -> Error {
        Error::Io { path: None, source }
    }

    /// An internal failure of the index that carries no engine error.
    pub(crate) fn index(message: impl Into<String>) -> Error {
        Error::Index(IndexError::msg(message))
    }
}

/// The message of a caught panic.
fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

thread_local! {
    /// Set while this thread runs [`guarded`] work.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs work that reads an index's files, turning a panic into
/// [`Error::Corrupt`]: tantivy asserts on some damaged files (a footer or
/// an offset table out of range) instead of returning an error.
pub(crate) fn guarded<T>(what: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let outer = GUARDED.with(|g| g.replace(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    GUARDED.with(|g| g.set(outer));
    outcome.unwrap_or_else(|p| {
        Err(Error::Corrupt {
            reason: format!(
                "{what} stopped on damaged data ({}); `verify` checks every file (if it finds none, this is a bug: please report it)",
                panic_message(&p)
            ),
        })
    })
}

/// Installs a panic hook that keeps quiet about the panics this crate
/// catches and reports as [`Error::Corrupt`] (a damaged index file), and
/// passes every other panic to the hook installed before. For programs
/// that print their own errors (the bundled CLI calls it first thing);
/// without it the default hook prints tantivy's assertion message before
/// the error is returned.
pub fn quiet_caught_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !GUARDED.with(std::cell::Cell::get) {
            previous(info);
        }
    }));
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(IndexError(IndexCause::Tantivy(e)))
    }
}
