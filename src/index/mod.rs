//! The vacancy index on tantivy: on disk or in RAM, updatable while serving.
//!
//! - [`VacancyIndex::create`] / [`VacancyIndex::open`] / [`VacancyIndex::create_in_ram`];
//! - [`VacancyIndex::bulk_load`]: streaming, multi-threaded indexing with
//!   progress and a summary;
//! - live updates: [`VacancyIndex::upsert`], [`VacancyIndex::delete`],
//!   [`VacancyIndex::expire`], then [`VacancyIndex::commit`]. Searches hold a
//!   [`Snapshot`] of one committed state and never see a half-applied commit;
//! - [`VacancyIndex::snapshot`]: what retrieval and ranking read.
//!
//! ```
//! use jobmatch::index::VacancyIndex;
//! use jobmatch::Vacancy;
//! let index = VacancyIndex::create_in_ram()?;
//! let mut v = Vacancy::new("v1", "数控车床操作工", "500107".parse()?)?;
//! v.skills = vec!["CNC".into()];
//! index.upsert(&v)?;
//! index.commit()?;
//! assert_eq!(index.snapshot()?.num_vacancies(), 1);
//! # Ok::<(), jobmatch::Error>(())
//! ```

pub mod analyzer;
pub mod columns;
pub mod schema;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::collector::Count;
use tantivy::directory::error::LockError;
use tantivy::index::SegmentId;
use tantivy::query::RangeQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    Index, IndexReader, IndexSettings, IndexSortByField, IndexWriter, Order, ReloadPolicy, Searcher,
    TantivyError, Term,
};

use crate::error::{Error, Result};
use crate::model::{Date, Vacancy};
use crate::taxonomy::OccupationCode;
pub use columns::SegmentColumns;
pub use schema::{Fields, SCHEMA_VERSION};

/// Name of the file that records the schema version inside an index directory.
const VERSION_FILE: &str = "jobmatch.json";

/// Heap for the writer, split across its threads (tantivy's arena). Keeps a
/// full-market load under the 2 GB peak budget.
const WRITER_HEAP_BYTES: usize = 768 << 20;

#[derive(Serialize, Deserialize)]
struct VersionFile {
    schema_version: u32,
    created_by: String,
}

/// Codes a title into an occupation when a vacancy carries none.
pub type TitleCoder = Arc<dyn Fn(&str) -> Option<(OccupationCode, f32)> + Send + Sync>;

/// Lowest confidence at which a coded title is stored.
pub const MIN_CODING_CONFIDENCE: f32 = 0.3;

/// A title's occupation as the index codes it:
/// [`crate::taxonomy::classify`](fn@crate::taxonomy::classify)'s best code
/// when its confidence is at least [`MIN_CODING_CONFIDENCE`]. The ranker
/// codes seekers' desired titles the same way.
pub fn code_title(title: &str) -> Option<(OccupationCode, f32)> {
    crate::taxonomy::classify(title, 1)
        .into_iter()
        .next()
        .filter(|c| c.confidence >= MIN_CODING_CONFIDENCE)
        .map(|c| (c.code, c.confidence))
}

/// The default coder: [`code_title`], memoised by title (job boards repeat
/// titles, so a load codes each distinct title once).
pub fn default_coder() -> TitleCoder {
    type Memo = HashMap<String, Option<(OccupationCode, f32)>>;
    let memo: Mutex<Memo> = Mutex::new(HashMap::new());
    Arc::new(move |title: &str| {
        if let Ok(m) = memo.lock()
            && let Some(hit) = m.get(title)
        {
            return *hit;
        }
        let coded = code_title(title);
        if let Ok(mut m) = memo.lock() {
            if m.len() >= 500_000 {
                m.clear();
            }
            m.insert(title.to_owned(), coded);
        }
        coded
    })
}

/// Checks a vacancy before it is indexed; the error names the vacancy.
fn validate(v: &Vacancy) -> Result<()> {
    v.validate().map_err(|e| match e {
        Error::Invalid { field, reason } => Error::Invalid {
            field: format!("vacancy `{}`: {field}", v.id),
            reason,
        },
        other => other,
    })
}

/// An index of vacancies.
pub struct VacancyIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    path: Option<PathBuf>,
    writer: Mutex<Option<IndexWriter>>,
    columns: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
    coder: Option<TitleCoder>,
    threads: usize,
}

impl std::fmt::Debug for VacancyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VacancyIndex")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn settings() -> IndexSettings {
    IndexSettings {
        sort_by_field: Some(IndexSortByField {
            field: schema::SORT_KEY.to_owned(),
            order: Order::Asc,
        }),
        ..IndexSettings::default()
    }
}

impl VacancyIndex {
    /// A new, empty index held in memory.
    ///
    /// # Errors
    /// [`Error::Index`] if tantivy refuses the schema (a bug).
    pub fn create_in_ram() -> Result<VacancyIndex> {
        let (schema, fields) = Fields::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()?;
        VacancyIndex::wrap(index, fields, None)
    }

    /// A new, empty index in `dir` (created if missing; must hold no index).
    ///
    /// # Errors
    /// [`Error::Io`] when the directory cannot be made, [`Error::Index`]
    /// when it already holds an index.
    pub fn create(dir: impl AsRef<Path>) -> Result<VacancyIndex> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = Fields::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_dir(dir)
            .map_err(|e| Error::from(e).with_path(dir))?;
        let version = VersionFile {
            schema_version: SCHEMA_VERSION,
            created_by: format!("jobmatch {}", env!("CARGO_PKG_VERSION")),
        };
        let json = serde_json::to_vec_pretty(&version).map_err(|e| Error::Index(e.to_string()))?;
        let vpath = dir.join(VERSION_FILE);
        std::fs::write(&vpath, json).map_err(|e| Error::io(&vpath, e))?;
        VacancyIndex::wrap(index, fields, Some(dir.to_owned()))
    }

    /// Opens the index in `dir`.
    ///
    /// # Errors
    /// [`Error::IndexMissing`] when there is none, [`Error::IndexVersion`]
    /// when it was made by an incompatible version.
    pub fn open(dir: impl AsRef<Path>) -> Result<VacancyIndex> {
        let dir = dir.as_ref();
        if !dir.join("meta.json").exists() {
            return Err(Error::IndexMissing { path: dir.to_owned() });
        }
        let vpath = dir.join(VERSION_FILE);
        let found = match std::fs::read(&vpath) {
            Ok(bytes) => serde_json::from_slice::<VersionFile>(&bytes)
                .map(|v| v.schema_version.to_string())
                .unwrap_or_else(|_| "unreadable".to_owned()),
            Err(_) => "none (not a jobmatch index)".to_owned(),
        };
        if found != SCHEMA_VERSION.to_string() {
            return Err(Error::IndexVersion {
                path: dir.to_owned(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        let index = Index::open_in_dir(dir).map_err(|e| Error::from(e).with_path(dir))?;
        let (schema, fields) = Fields::build();
        if index.schema() != schema {
            return Err(Error::IndexVersion {
                path: dir.to_owned(),
                found: "1 with a different schema".to_owned(),
                expected: SCHEMA_VERSION,
            });
        }
        VacancyIndex::wrap(index, fields, Some(dir.to_owned()))
    }

    /// Opens the index in `dir`, or creates it when there is none.
    ///
    /// # Errors
    /// As [`VacancyIndex::open`] and [`VacancyIndex::create`].
    pub fn open_or_create(dir: impl AsRef<Path>) -> Result<VacancyIndex> {
        let dir = dir.as_ref();
        if dir.join("meta.json").exists() {
            VacancyIndex::open(dir)
        } else {
            VacancyIndex::create(dir)
        }
    }

    fn wrap(index: Index, fields: Fields, path: Option<PathBuf>) -> Result<VacancyIndex> {
        index.tokenizers().register(analyzer::ZH, analyzer::ZhTokenizer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(VacancyIndex {
            index,
            fields,
            reader,
            path,
            writer: Mutex::new(None),
            columns: Mutex::new(HashMap::new()),
            coder: Some(default_coder()),
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(1, 8),
        })
    }

    /// Replaces the coder of titles for vacancies that carry no
    /// `occupation` (default: [`default_coder`]); `None` turns coding off.
    pub fn with_title_coder(mut self, coder: Option<TitleCoder>) -> Self {
        self.coder = coder;
        self
    }

    /// Number of indexing threads (default: the machine's cores, at most 8).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The directory, for an on-disk index.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn lock_error(&self, e: TantivyError) -> Error {
        match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                path: self.path.clone().unwrap_or_else(|| "(in RAM)".into()),
            },
            other => other.into(),
        }
    }

    fn writer(&self) -> Result<MutexGuard<'_, Option<IndexWriter>>> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| Error::Panic("index writer lock poisoned".into()))?;
        if guard.is_none() {
            let w = self
                .index
                .writer_with_num_threads(self.threads, WRITER_HEAP_BYTES.max((self.threads * 16) << 20))
                .map_err(|e| self.lock_error(e))?;
            *guard = Some(w);
        }
        Ok(guard)
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer()?;
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(Error::Index("index writer unavailable".into())),
        }
    }

    fn code(&self, v: &Vacancy) -> Option<(OccupationCode, f32)> {
        match (&v.occupation, &self.coder) {
            (None, Some(coder)) => coder(&v.title),
            _ => None,
        }
    }

    fn id_term(&self, id: &str) -> Term {
        Term::from_field_text(self.fields.id, id)
    }

    /// Adds a vacancy, replacing any with the same id (visible after
    /// [`VacancyIndex::commit`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] for an invalid vacancy, [`Error::IndexLocked`] when
    /// another writer holds the index.
    pub fn upsert(&self, v: &Vacancy) -> Result<()> {
        validate(v)?;
        let doc = self.fields.document(v, self.code(v));
        let term = self.id_term(&v.id);
        self.with_writer(|w| {
            w.delete_term(term);
            w.add_document(doc)?;
            Ok(())
        })
    }

    /// Deletes the vacancy with this id; returns whether the committed state
    /// held it (deleting an unknown id is not an error).
    ///
    /// # Errors
    /// [`Error::IndexLocked`] when another writer holds the index.
    pub fn delete(&self, id: &str) -> Result<bool> {
        let term = self.id_term(id);
        let existed = self.reader.searcher().doc_freq(&term)? > 0;
        self.with_writer(|w| {
            w.delete_term(term);
            Ok(())
        })?;
        Ok(existed)
    }

    /// Deletes every vacancy whose `expires` date is before `today`; returns
    /// how many the committed state held.
    ///
    /// # Errors
    /// [`Error::IndexLocked`] when another writer holds the index.
    pub fn expire(&self, today: Date) -> Result<u64> {
        let query = || {
            RangeQuery::new(
                Bound::Unbounded,
                Bound::Excluded(Term::from_field_i64(
                    self.fields.expires,
                    i64::from(today.days_since_epoch()),
                )),
            )
        };
        let expired = self.reader.searcher().search(&query(), &Count)? as u64;
        self.with_writer(|w| {
            w.delete_query(Box::new(query()))?;
            Ok(())
        })?;
        Ok(expired)
    }

    /// Makes every change so far visible, atomically, to new snapshots.
    ///
    /// # Errors
    /// [`Error::Index`] when tantivy fails to commit (e.g. disk full).
    pub fn commit(&self) -> Result<()> {
        self.with_writer(|w| {
            w.commit()?;
            Ok(())
        })?;
        self.reader.reload()?;
        Ok(())
    }

    /// Drops uncommitted changes.
    ///
    /// # Errors
    /// [`Error::Index`] when tantivy fails to roll back.
    pub fn rollback(&self) -> Result<()> {
        self.with_writer(|w| {
            w.rollback()?;
            Ok(())
        })
    }

    /// Releases the writer lock (and waits for background merges), so that
    /// another process may write. Uncommitted changes are dropped.
    ///
    /// # Errors
    /// [`Error::Index`] when a merge failed.
    pub fn close_writer(&self) -> Result<()> {
        let mut guard = self
            .writer
            .lock()
            .map_err(|_| Error::Panic("index writer lock poisoned".into()))?;
        if let Some(w) = guard.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    /// Indexes a stream of vacancies (e.g. a [`crate::io::JsonLines`]
    /// reader) and commits. Vacancies with an id already present replace it.
    /// A vacancy that fails [`Vacancy::validate`] is a bad record like one
    /// that failed to parse: skipped and reported, or the end of the load,
    /// as `options` say.
    ///
    /// # Errors
    /// With [`OnError::Stop`], the first bad record; always, index failures.
    pub fn bulk_load<I>(&self, records: I, options: LoadOptions<'_>) -> Result<LoadSummary>
    where
        I: IntoIterator<Item = Result<Vacancy>>,
    {
        let start = Instant::now();
        let mut summary = LoadSummary::default();
        let fresh = self.reader.searcher().num_docs() == 0;
        let mut seen: HashSet<String> = HashSet::new();
        let mut progress = options.progress;
        let mut last_report = Instant::now();
        let mut guard = self.writer()?;
        let writer = guard
            .as_mut()
            .ok_or_else(|| Error::Index("index writer unavailable".into()))?;
        for record in records {
            summary.read += 1;
            // Records built in code, not parsed, are checked here as upsert
            // checks them.
            let v = match record.and_then(|v| validate(&v).map(|()| v)) {
                Ok(v) => v,
                Err(e) => {
                    if options.on_error == OnError::Stop {
                        writer.rollback()?;
                        return Err(e);
                    }
                    summary.rejected += 1;
                    if summary.errors.len() < options.max_errors_kept {
                        summary.errors.push(e.to_string());
                    }
                    continue;
                }
            };
            // In a fresh index an id needs deleting only when this load has
            // seen it before; that saves a delete per document.
            if !fresh || !seen.insert(v.id.clone()) {
                writer.delete_term(self.id_term(&v.id));
                summary.replaced += u64::from(fresh);
            }
            writer.add_document(self.fields.document(&v, self.code(&v)))?;
            summary.indexed += 1;
            if let Some(p) = progress.as_mut()
                && last_report.elapsed() >= Duration::from_millis(100)
            {
                p(&summary);
                last_report = Instant::now();
            }
        }
        writer.commit()?;
        drop(guard);
        self.reader.reload()?;
        if let Some(p) = progress.as_mut() {
            p(&summary);
        }
        summary.seconds = start.elapsed().as_secs_f64();
        summary.bytes_on_disk = self.size_on_disk();
        Ok(summary)
    }

    /// Total size of the index files, in bytes (0 in RAM).
    pub fn size_on_disk(&self) -> u64 {
        let Some(dir) = &self.path else { return 0 };
        std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
            .unwrap_or(0)
    }

    /// The current committed state, with the ranker's columns of every
    /// segment (decoded now for segments not seen before).
    ///
    /// # Errors
    /// [`Error::Corrupt`] when a segment lacks what the schema promises.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let searcher = self.reader.searcher();
        let mut cache = self
            .columns
            .lock()
            .map_err(|_| Error::Panic("column cache lock poisoned".into()))?;
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for seg in searcher.segment_readers() {
            let id = seg.segment_id();
            let cols = match cache.get(&id) {
                Some(c) => c.clone(),
                None => {
                    let c = Arc::new(SegmentColumns::load(seg)?);
                    cache.insert(id, c.clone());
                    c
                }
            };
            segments.push(cols);
        }
        // Forget segments that merges removed.
        let live: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        cache.retain(|id, _| live.contains(id));
        Ok(Snapshot {
            searcher,
            segments,
            fields: self.fields.clone(),
        })
    }
}

/// What to do with a bad record during a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Stop at the first bad record and index nothing.
    #[default]
    Stop,
    /// Skip bad records, report them in the summary.
    Skip,
}

/// A callback that receives a load's counts so far.
pub type ProgressFn<'a> = Box<dyn FnMut(&LoadSummary) + 'a>;

/// Options of [`VacancyIndex::bulk_load`].
#[derive(Default)]
pub struct LoadOptions<'a> {
    /// Stop or skip on a bad record.
    pub on_error: OnError,
    /// Called about ten times a second with the counts so far.
    pub progress: Option<ProgressFn<'a>>,
    /// How many error messages the summary keeps (all are counted).
    pub max_errors_kept: usize,
}

/// What a load did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadSummary {
    /// Records read (good and bad).
    pub read: u64,
    /// Vacancies indexed.
    pub indexed: u64,
    /// Of those, how many replaced an earlier one with the same id.
    pub replaced: u64,
    /// Bad records skipped.
    pub rejected: u64,
    /// The first bad records' errors, with line numbers.
    pub errors: Vec<String>,
    /// Wall time.
    pub seconds: f64,
    /// Index size on disk afterwards.
    pub bytes_on_disk: u64,
}

/// One committed state of the index, as retrieval and ranking read it.
///
/// Cheap to clone (it shares tantivy's searcher and the decoded columns) and
/// `Send + Sync`: share it across threads.
#[derive(Clone)]
pub struct Snapshot {
    searcher: Searcher,
    segments: Vec<Arc<SegmentColumns>>,
    fields: Fields,
}

impl Snapshot {
    /// tantivy's searcher for this state.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The decoded columns of each segment, in the searcher's segment order.
    pub fn segments(&self) -> &[Arc<SegmentColumns>] {
        &self.segments
    }

    /// The newest `posted` date of any vacancy: the data's own "today",
    /// a sensible default for ranking a platform's snapshot.
    pub fn latest_posted(&self) -> Option<Date> {
        let newest = self
            .segments
            .iter()
            .flat_map(|c| c.posted.iter().copied())
            .filter(|&p| p != i32::MIN)
            .max()?;
        Date::from_days_since_epoch(newest)
    }

    /// Vacancies visible in this state.
    pub fn num_vacancies(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Number of visible vacancies holding a term of `field` (summed over
    /// segments; deleted documents count until segments merge, identically
    /// for every path that ranks, so scores stay consistent).
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn doc_freq(&self, term: &Term) -> Result<u64> {
        Ok(self.searcher.doc_freq(term)?)
    }

    /// Finds a vacancy by id: (segment position, doc id).
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn find(&self, id: &str) -> Result<Option<(usize, u32)>> {
        let term = Term::from_field_text(self.fields.id, id);
        for (i, seg) in self.searcher.segment_readers().iter().enumerate() {
            let inv = seg.inverted_index(self.fields.id)?;
            if let Some(mut postings) = inv
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| Error::Index(e.to_string()))?
            {
                use tantivy::DocSet;
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    if !seg.is_deleted(doc) {
                        return Ok(Some((i, doc)));
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(None)
    }

    /// The stored fields of a vacancy for display: title, employer.
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn stored(&self, segment: usize, doc: u32) -> Result<StoredVacancy> {
        use tantivy::schema::Value;
        let address = tantivy::DocAddress::new(segment as u32, doc);
        let d: tantivy::TantivyDocument = self.searcher.doc(address)?;
        let text = |f| {
            d.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        Ok(StoredVacancy {
            id: text(self.fields.id),
            title: text(self.fields.title),
            employer: text(self.fields.employer),
        })
    }
}

/// What the index stores of a vacancy for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredVacancy {
    /// Vacancy id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Employer ("" when absent).
    pub employer: String,
}
