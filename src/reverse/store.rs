//! The seeker index: saved seekers on disk (tantivy), updatable like the
//! vacancy index: upsert, delete, commit.
//!
//! Each seeker is kept whole, as its interchange-format JSON, under its id;
//! the reverse search prepares them against a vacancy snapshot when a
//! [`crate::reverse::SeekerMatcher`] is built (their terms' weights depend
//! on the vacancies' statistics, so they are computed then, not stored).

use std::path::{Path, PathBuf};
use tantivy::schema::{Field, STORED, STRING, Schema, Value};
use tantivy::{DocSet, Index, IndexReader, ReloadPolicy, TERMINATED, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::index::writer::{LazyWriter, Op, Slot};
use crate::model::Seeker;

/// Writer heap: seekers are small.
const WRITER_HEAP_BYTES: usize = 256 << 20;
/// Writer threads: seekers are small, a record each.
const WRITER_THREADS: usize = 2;
/// Marks a directory as a seeker index (and its format).
const MARKER: &str = "jobmatch-seekers.json";
const FORMAT: u32 = 1;

/// Saved seekers, on disk or in RAM.
pub struct SeekerIndex {
    index: Index,
    reader: IndexReader,
    writer: LazyWriter,
    id: Field,
    record: Field,
    path: Option<PathBuf>,
    /// The seekers of each segment as first read back (those alive then):
    /// a segment never changes and its docs never come back, so a later
    /// read decodes only new segments and drops the since deleted.
    decoded: std::sync::Mutex<std::collections::HashMap<tantivy::index::SegmentId, Decoded>>,
}

/// One segment's seekers as read back: (doc, seeker) of those alive then.
type Decoded = std::sync::Arc<Vec<(u32, Seeker)>>;

impl std::fmt::Debug for SeekerIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeekerIndex")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn schema() -> (Schema, Field, Field) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let record = b.add_text_field("record", STORED);
    (b.build(), id, record)
}

impl SeekerIndex {
    /// A new, empty index in memory.
    ///
    /// # Errors
    /// [`Error::Index`] if tantivy refuses the schema (a bug).
    pub fn create_in_ram() -> Result<SeekerIndex> {
        let (schema, ..) = schema();
        SeekerIndex::wrap(Index::create_in_ram(schema), None)
    }

    /// A new, empty index in `dir` (created if missing; must hold no index).
    ///
    /// # Errors
    /// [`Error::Io`] when the directory cannot be made; [`Error::Index`]
    /// when it already holds an index.
    pub fn create(dir: impl AsRef<Path>) -> Result<SeekerIndex> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, ..) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(|e| Error::from(e).with_path(dir))?;
        let marker = dir.join(MARKER);
        std::fs::write(&marker, format!("{{\"seeker_index_format\": {FORMAT}}}\n"))
            .map_err(|e| Error::io(&marker, e))?;
        SeekerIndex::wrap(index, Some(dir.to_owned()))
    }

    /// Opens the seeker index in `dir`.
    ///
    /// # Errors
    /// [`Error::IndexMissing`] when there is none; [`Error::IndexVersion`]
    /// when `dir` holds another kind of index (e.g. vacancies).
    pub fn open(dir: impl AsRef<Path>) -> Result<SeekerIndex> {
        let dir = dir.as_ref();
        if !dir.join("meta.json").exists() {
            return Err(Error::IndexMissing { path: dir.to_owned() });
        }
        let found = std::fs::read_to_string(dir.join(MARKER))
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .and_then(|v| v.get("seeker_index_format").and_then(serde_json::Value::as_u64));
        if found != Some(u64::from(FORMAT)) {
            return Err(Error::IndexVersion {
                path: dir.to_owned(),
                found: found.map_or_else(|| "none (not a seeker index)".to_owned(), |f| f.to_string()),
                expected: FORMAT,
            });
        }
        let index = Index::open_in_dir(dir).map_err(|e| Error::from(e).with_path(dir))?;
        SeekerIndex::wrap(index, Some(dir.to_owned()))
    }

    /// Opens the seeker index in `dir`, or creates it when there is none.
    ///
    /// # Errors
    /// As [`SeekerIndex::open`] and [`SeekerIndex::create`].
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<SeekerIndex> {
        let dir = dir.as_ref();
        if dir.join("meta.json").exists() {
            SeekerIndex::open(dir)
        } else {
            SeekerIndex::create(dir)
        }
    }

    fn wrap(index: Index, path: Option<PathBuf>) -> Result<SeekerIndex> {
        let (schema, id, record) = schema();
        if index.schema() != schema {
            return Err(Error::IndexVersion {
                path: path.clone().unwrap_or_default(),
                found: "a different schema".to_owned(),
                expected: FORMAT,
            });
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SeekerIndex {
            index,
            reader,
            writer: LazyWriter::new(path.clone()),
            id,
            record,
            path,
            decoded: std::sync::Mutex::default(),
        })
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, Slot>> {
        self.writer.guard(&self.index, WRITER_THREADS, WRITER_HEAP_BYTES)
    }

    /// Saves a seeker, replacing any with the same id (visible after
    /// [`SeekerIndex::commit`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the seeker when it is invalid;
    /// [`Error::IndexLocked`] when another writer holds the index.
    pub fn upsert(&self, seeker: &Seeker) -> Result<()> {
        self.upsert_all(std::slice::from_ref(seeker))
    }

    /// Saves seekers, each replacing any with the same id, all or none:
    /// every seeker is checked first, and a failure midway leaves none of
    /// them pending and every earlier write still pending (as
    /// [`crate::index::VacancyIndex::upsert_all`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first invalid seeker;
    /// [`Error::IndexLocked`] when another writer holds the index;
    /// [`Error::Index`] when tantivy fails.
    pub fn upsert_all(&self, seekers: &[Seeker]) -> Result<()> {
        let mut ops = Vec::with_capacity(2 * seekers.len());
        for seeker in seekers {
            seeker.validate().map_err(|e| e.naming("seeker", &seeker.id))?;
            let json = serde_json::to_string(seeker).map_err(|e| Error::index(e.to_string()))?;
            let mut doc = TantivyDocument::default();
            doc.add_text(self.id, &seeker.id);
            doc.add_text(self.record, &json);
            ops.push(Op::Delete(Term::from_field_text(self.id, &seeker.id)));
            ops.push(Op::Add(doc));
        }
        self.writer()?.apply(ops)
    }

    /// Deletes the seeker with this id; returns whether the committed state
    /// held it.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] when another writer holds the index.
    pub fn delete(&self, id: &str) -> Result<bool> {
        let term = Term::from_field_text(self.id, id);
        let existed = self.reader.searcher().doc_freq(&term)? > 0;
        self.writer()?.apply(vec![Op::Delete(term)])?;
        Ok(existed)
    }

    /// Makes every change so far visible; when it fails, every write since
    /// the last commit stays pending for the next.
    ///
    /// # Errors
    /// [`Error::Index`] when tantivy fails to commit (e.g. disk full).
    pub fn commit(&self) -> Result<()> {
        self.writer()?.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Saved seekers in the committed state.
    pub fn num_seekers(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// One saved seeker.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when its record cannot be read back.
    pub fn get(&self, id: &str) -> Result<Option<Seeker>> {
        let searcher = self.reader.searcher();
        let term = Term::from_field_text(self.id, id);
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let inv = seg.inverted_index(self.id)?;
            let Some(mut postings) = inv
                .read_postings(&term, tantivy::schema::IndexRecordOption::Basic)
                .map_err(Error::io_unnamed)?
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if !seg.is_deleted(doc) {
                    return self.read(&searcher, ord as u32, doc).map(Some);
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    fn read(&self, searcher: &tantivy::Searcher, segment: u32, doc: u32) -> Result<Seeker> {
        let d: TantivyDocument = searcher.doc(tantivy::DocAddress::new(segment, doc))?;
        let json = d
            .get_first(self.record)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        serde_json::from_str(json).map_err(|e| Error::Corrupt {
            reason: format!("seeker index: record {doc} of segment {segment}: {e}"),
        })
    }

    /// Every saved seeker in the committed state, in id order.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when a record cannot be read back.
    pub fn seekers(&self) -> Result<Vec<Seeker>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        let mut kept = std::collections::HashMap::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            let known = self
                .decoded
                .lock()
                .ok()
                .and_then(|d| d.get(&seg.segment_id()).cloned());
            let decoded = match known {
                Some(d) => d,
                None => std::sync::Arc::new(
                    seg.doc_ids_alive()
                        .map(|doc| Ok((doc, self.read(&searcher, ord as u32, doc)?)))
                        .collect::<Result<Vec<_>>>()?,
                ),
            };
            let alive = seg.alive_bitset();
            out.extend(
                decoded
                    .iter()
                    .filter(|(doc, _)| alive.is_none_or(|a| a.is_alive(*doc)))
                    .map(|(_, s)| s.clone()),
            );
            kept.insert(seg.segment_id(), decoded);
        }
        // Segments merged away are forgotten.
        if let Ok(mut d) = self.decoded.lock() {
            *d = kept;
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }
}
