//! The one writer of a tantivy index: opened on first use, held until
//! closed, shared by the vacancy index and the seeker index; with the
//! journal that makes each write all or none.
//!
//! tantivy's writer applies operations one by one, and a failure midway
//! (an indexing thread that died on a full disk, a commit that could not
//! write) leaves what came before it pending, to be committed with
//! everything else. Every write through [`Slot::apply`] is therefore kept
//! in a journal until the commit that makes it visible: a write that fails
//! rolls the writer back (dropping every uncommitted operation) and the
//! journal is replayed into it, so a failed write leaves nothing and every
//! write that returned `Ok` before it is still pending. A failed commit
//! does the same, so the writes it could not make visible wait for the
//! next one. (Lucene's `IndexWriter` keeps the equivalent in its
//! in-memory buffer plus the translog Elasticsearch writes beside it.)
//! The journal holds the documents of every write since the last commit:
//! commit often when writing much.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use tantivy::directory::error::LockError;
use tantivy::query::Query;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError, Term};

use crate::error::{Error, Result};

/// One operation of a write, as tantivy is told it.
pub(crate) enum Op {
    /// Adds a document.
    Add(TantivyDocument),
    /// Deletes every document holding the term.
    Delete(Term),
    /// Deletes every document the query matches.
    DeleteQuery(Box<dyn Query>),
}

impl Op {
    /// Tells the writer.
    fn send(&self, w: &mut IndexWriter) -> Result<()> {
        match self {
            Op::Add(doc) => {
                w.add_document(doc.clone())?;
            }
            Op::Delete(term) => {
                w.delete_term(term.clone());
            }
            Op::DeleteQuery(q) => {
                w.delete_query(q.box_clone())?;
            }
        }
        Ok(())
    }
}

/// The writer, once open, and the writes it holds since the last commit.
#[derive(Default)]
pub(crate) struct Slot {
    writer: Option<IndexWriter>,
    /// Every operation of the writes applied since the last commit.
    journal: Vec<Op>,
    /// The writer may hold more or less than the journal (a restore
    /// failed): restored before anything else is done.
    stale: bool,
}

impl Slot {
    /// The open writer.
    pub fn writer(&mut self) -> Result<&mut IndexWriter> {
        self.writer
            .as_mut()
            .ok_or_else(|| Error::index("index writer unavailable"))
    }

    /// Brings the writer back to the journal: every uncommitted operation
    /// dropped, then the journal's told again. Until this succeeds the slot
    /// is stale, and the next write or commit tries again first.
    pub fn restore(&mut self) -> Result<()> {
        self.stale = true;
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| Error::index("index writer unavailable"))?;
        if let Err(e) = w.rollback() {
            // A writer whose rollback failed has given up its lock and
            // cannot roll back again: it is dropped, and the next write or
            // commit opens a new one and restores that.
            self.writer = None;
            return Err(e.into());
        }
        for op in &self.journal {
            op.send(w)?;
        }
        self.stale = false;
        Ok(())
    }

    /// Applies one write's operations, all or none: when one fails, the
    /// writer is restored to the writes before it and the write tried once
    /// more (tantivy reports an indexing thread that died on an earlier
    /// write's documents at the next write's); when that fails too, the
    /// writer is restored again and the error returned.
    pub fn apply(&mut self, ops: Vec<Op>) -> Result<()> {
        if self.stale {
            self.restore()?;
        }
        let send = |w: &mut IndexWriter| ops.iter().try_for_each(|op| op.send(w));
        let sent = match send(self.writer()?) {
            Ok(()) => Ok(()),
            Err(e) => match self.restore() {
                Ok(()) => send(self.writer()?).map_err(|_| e),
                Err(_) => Err(e),
            },
        };
        match sent {
            Ok(()) => {
                self.journal.extend(ops);
                Ok(())
            }
            Err(e) => {
                // Restoring may fail too (the disk still full): the slot
                // stays stale and the next write or commit retries.
                let _ = self.restore();
                Err(e)
            }
        }
    }

    /// Commits everything pending; on failure the writer is restored to
    /// the journal, so the writes wait for the next commit.
    pub fn commit(&mut self) -> Result<()> {
        if self.stale {
            self.restore()?;
        }
        match self.writer()?.commit() {
            Ok(_) => {
                self.journal.clear();
                Ok(())
            }
            Err(e) => {
                let _ = self.restore();
                Err(e.into())
            }
        }
    }

    /// Drops every uncommitted write, journaled ones included.
    pub fn rollback(&mut self) -> Result<()> {
        self.journal.clear();
        self.stale = false;
        self.writer()?.rollback()?;
        Ok(())
    }
}

/// An index's writer, opened lazily with its threads and heap.
pub(crate) struct LazyWriter {
    slot: Mutex<Slot>,
    /// Where the index is, to name it when another process holds the lock.
    path: Option<PathBuf>,
}

impl LazyWriter {
    pub fn new(path: Option<PathBuf>) -> LazyWriter {
        LazyWriter {
            slot: Mutex::new(Slot::default()),
            path,
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Slot>> {
        self.slot
            .lock()
            .map_err(|_| Error::Panic("index writer lock poisoned".into()))
    }

    /// The writer's slot, the writer of `index` opened with `threads` and
    /// `heap` bytes when not yet open; [`Error::IndexLocked`] when another
    /// writer holds it.
    pub fn guard(&self, index: &Index, threads: usize, heap: usize) -> Result<MutexGuard<'_, Slot>> {
        let mut guard = self.lock()?;
        if guard.writer.is_none() {
            let w = index
                .writer_with_num_threads(threads, heap)
                .map_err(|e| match e {
                    TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                        path: self.path.clone().unwrap_or_else(|| "(in RAM)".into()),
                    },
                    other => other.into(),
                })?;
            guard.writer = Some(w);
        }
        Ok(guard)
    }

    /// Releases the writer lock after the background merges; uncommitted
    /// writes are dropped.
    pub fn close(&self) -> Result<()> {
        let mut slot = self.lock()?;
        slot.journal.clear();
        slot.stale = false;
        if let Some(w) = slot.writer.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }
}
