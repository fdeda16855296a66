//! The one writer of a tantivy index: opened on first use, held until
//! closed, shared by the vacancy index and the seeker index.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use tantivy::directory::error::LockError;
use tantivy::{Index, IndexWriter, TantivyError};

use crate::error::{Error, Result};

/// An index's writer, opened lazily with its threads and heap.
pub(crate) struct LazyWriter {
    slot: Mutex<Option<IndexWriter>>,
    /// Where the index is, to name it when another process holds the lock.
    path: Option<PathBuf>,
}

impl LazyWriter {
    pub fn new(path: Option<PathBuf>) -> LazyWriter {
        LazyWriter {
            slot: Mutex::new(None),
            path,
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>> {
        self.slot
            .lock()
            .map_err(|_| Error::Panic("index writer lock poisoned".into()))
    }

    /// The writer of `index`, opened with `threads` and `heap` bytes when
    /// not yet open; [`Error::IndexLocked`] when another writer holds it.
    pub fn guard(
        &self,
        index: &Index,
        threads: usize,
        heap: usize,
    ) -> Result<MutexGuard<'_, Option<IndexWriter>>> {
        let mut guard = self.lock()?;
        if guard.is_none() {
            let w = index
                .writer_with_num_threads(threads, heap)
                .map_err(|e| match e {
                    TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                        path: self.path.clone().unwrap_or_else(|| "(in RAM)".into()),
                    },
                    other => other.into(),
                })?;
            *guard = Some(w);
        }
        Ok(guard)
    }

    /// Runs `f` on the writer (opened as [`LazyWriter::guard`] opens it).
    pub fn with<T>(
        &self,
        index: &Index,
        threads: usize,
        heap: usize,
        f: impl FnOnce(&mut IndexWriter) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self.guard(index, threads, heap)?;
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(Error::index("index writer unavailable")),
        }
    }

    /// Releases the writer lock after the background merges.
    pub fn close(&self) -> Result<()> {
        if let Some(w) = self.lock()?.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }
}
