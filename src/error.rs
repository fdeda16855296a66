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
/// tantivy's own error type never appears here: index failures are carried as
/// text in [`Error::Index`] so that a tantivy upgrade is not a breaking change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
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
    /// A region code that is not in the Sichuan–Chongqing gazetteer.
    #[error("unknown region code `{code}`")]
    UnknownRegion {
        /// The code as given.
        code: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Another error, with the file it happened in.
    #[error("{}: {source}", path.display())]
    WithPath {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Box<Error>,
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
    /// The index is damaged or does not hold what this crate expects.
    #[error("index is corrupt: {reason}")]
    Corrupt {
        /// What was found wrong.
        reason: String,
    },
    /// Any other failure reported by the search engine underneath.
    #[error("index: {0}")]
    Index(String),
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
    /// A worker thread panicked; the panic is reported instead of aborting.
    #[error("internal error in a worker thread: {0}")]
    Panic(String),
}

impl Error {
    /// Wraps this error with the path of the file it concerns.
    pub fn with_path(self, path: impl Into<PathBuf>) -> Error {
        Error::WithPath {
            path: path.into(),
            source: Box::new(self),
        }
    }

    /// Whether the error was caused by what the user supplied (bad input,
    /// unknown values, limits, config) rather than by the machine.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Parse { .. }
            | Error::Invalid { .. }
            | Error::UnknownRegion { .. }
            | Error::IndexMissing { .. }
            | Error::IndexLocked { .. }
            | Error::IndexVersion { .. }
            | Error::TooLarge { .. }
            | Error::Config { .. } => true,
            Error::WithPath { source, .. } => source.is_user_error(),
            _ => false,
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
            path: path.into(),
            source,
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e.to_string())
    }
}
