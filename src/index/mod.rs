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

pub(crate) mod analyzer;
mod coder;
pub(crate) mod columns;
mod dedup;
pub(crate) mod doc_terms;
pub mod inferred;
mod load;
pub(crate) mod memo;
pub(crate) mod schema;
mod snapshot;
pub(crate) mod terms;
mod verify;
pub(crate) mod writer;

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::index::SegmentId;
use tantivy::query::{RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, IndexSettings, IndexSortByField, Order, ReloadPolicy, Term};

use crate::error::{Error, Result, guarded};
use crate::model::{Date, Vacancy};
use crate::reference::ReferenceData;
use crate::taxonomy::{LabeledTitle, OccupationCode, read_labeled_titles};
pub use coder::{CODER_FILE, TitleCoder, coder_of, default_coder};
pub(crate) use columns::SegmentColumns;
pub use dedup::MIN_SKILL_OVERLAP;
pub use inferred::{Inference, OccupationModel};
pub use load::{LoadOptions, LoadSummary, MarketModel, OnError, ProgressFn};
pub(crate) use schema::Fields;
pub use schema::{OccupationSource, SCHEMA_VERSION};
pub use snapshot::{Snapshot, StoredVacancy, VacancyOccupation};
pub use verify::Verified;

/// The file in an index directory that holds the coded titles its title
/// coder learned from (JSON Lines of `{"title", "code"}`; see
/// [`VacancyIndex::with_trained_coder`]).
pub const CODED_TITLES_FILE: &str = "coded_titles.jsonl";

/// The file in an index directory that maps the ids of merged
/// near-duplicates to the posting kept (JSON Lines of `{"alias", "kept"}`;
/// see [`LoadOptions::merge_duplicates`]).
pub const ALIASES_FILE: &str = "aliases.jsonl";

/// Writes a file beside the index's own: to a temporary name, then
/// renamed into place, so that a reader never sees half of it.
pub(crate) fn write_beside(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = dir.join(name);
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
}

/// One merged id.
#[derive(serde::Serialize, serde::Deserialize)]
struct Alias {
    alias: String,
    kept: String,
}

/// The aliases kept in `dir`, if any.
fn read_aliases(dir: Option<&Path>) -> Result<HashMap<String, String>> {
    let Some(path) = dir.map(|d| d.join(ALIASES_FILE)) else {
        return Ok(HashMap::new());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let a: Alias = serde_json::from_str(line).map_err(|e| {
            Error::Corrupt {
                reason: format!("line {}: {e}", i + 1),
            }
            .with_path(&path)
        })?;
        out.insert(a.alias, a.kept);
    }
    Ok(out)
}

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

/// Checks a vacancy before it is indexed; the error names the vacancy.
fn validate(v: &Vacancy) -> Result<()> {
    v.validate().map_err(|e| e.naming("vacancy", &v.id))
}

/// An index of vacancies.
pub struct VacancyIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    path: Option<PathBuf>,
    writer: writer::LazyWriter,
    columns: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
    coder: Option<TitleCoder>,
    /// Whether `coder` is the reference data's own (replaced with it).
    default_coder: bool,
    reference: ReferenceData,
    threads: usize,
    /// The writer's heap when not the default.
    heap: Option<usize>,
    /// Ids merged into another posting of the same job → that posting's id.
    aliases: Mutex<Arc<HashMap<String, String>>>,
    /// The coverage a vacancy's occupation inferred from its skills must
    /// reach; `None`: vacancies are not inferred.
    infer_min_confidence: Option<f64>,
    /// The skill → occupation model vacancies written one at a time are
    /// inferred with, and the market size it was learned at: left by the
    /// last bulk load, or learned from the snapshot of such a write when
    /// there is none or the market has doubled since.
    occupations: Mutex<Option<(Arc<OccupationModel>, u64)>>,
    /// The model the vacancies awaiting one were last revisited with
    /// ([`VacancyIndex::revisit`]): each model is tried on them once.
    revisited_with: Mutex<Option<Arc<OccupationModel>>>,
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

    /// A new, empty index in any tantivy [`Directory`](tantivy::directory::Directory):
    /// an advanced door for a storage backend of your own (or, in this
    /// crate's tests, one that injects faults such as a full disk). Nothing
    /// else of tantivy is exposed.
    ///
    /// # Errors
    /// [`Error::Index`] when the directory already holds an index or
    /// cannot be written.
    pub fn create_in_directory(directory: impl tantivy::directory::Directory) -> Result<VacancyIndex> {
        let directory: Box<dyn tantivy::directory::Directory> = Box::new(directory);
        if Index::exists(&*directory).map_err(|e| Error::index(e.to_string()))? {
            return Err(Error::index(
                "the directory already holds an index: open it instead",
            ));
        }
        let (schema, fields) = Fields::build();
        let index = Index::create(directory, schema, settings())?;
        VacancyIndex::wrap(index, fields, None)
    }

    /// Opens the index in a tantivy [`Directory`](tantivy::directory::Directory)
    /// (see [`VacancyIndex::create_in_directory`]).
    ///
    /// # Errors
    /// [`Error::IndexVersion`] when it holds an index of another schema;
    /// [`Error::Corrupt`] or [`Error::Index`] when it cannot be read.
    pub fn open_in_directory(directory: impl tantivy::directory::Directory) -> Result<VacancyIndex> {
        guarded("opening the index", || {
            VacancyIndex::checked(Index::open(directory)?, None)
        })
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
        let json = serde_json::to_vec_pretty(&version).map_err(|e| Error::index(e.to_string()))?;
        let vpath = dir.join(VERSION_FILE);
        std::fs::write(&vpath, json).map_err(|e| Error::io(&vpath, e))?;
        coder::prepare_shipped(dir);
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
        if !dir.join(CODED_TITLES_FILE).exists() {
            // Loaded from the copy kept here, or learned while the index loads.
            coder::prepare_shipped(dir);
        }
        let opened = guarded("opening the index", || {
            VacancyIndex::checked(Index::open_in_dir(dir)?, Some(dir.to_owned()))
        })
        .map_err(|e| match e {
            e @ Error::IndexVersion { .. } => e,
            e => e.with_path(dir),
        })?;
        let titles = opened.coded_titles()?;
        Ok(if titles.is_empty() {
            opened
        } else {
            opened.trained_on(&titles)
        })
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

    /// An opened tantivy index, if its schema is this crate's.
    fn checked(index: Index, path: Option<PathBuf>) -> Result<VacancyIndex> {
        let (schema, fields) = Fields::build();
        if index.schema() != schema {
            return Err(Error::IndexVersion {
                path: path.unwrap_or_else(|| PathBuf::from("(a tantivy directory)")),
                found: "1 with a different schema".to_owned(),
                expected: SCHEMA_VERSION,
            });
        }
        VacancyIndex::wrap(index, fields, path)
    }

    fn wrap(index: Index, fields: Fields, path: Option<PathBuf>) -> Result<VacancyIndex> {
        let aliases = read_aliases(path.as_deref())?;
        index.tokenizers().register(analyzer::ZH, analyzer::ZhTokenizer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(VacancyIndex {
            index,
            fields,
            reader,
            writer: writer::LazyWriter::new(path.clone()),
            path,
            columns: Mutex::new(HashMap::new()),
            coder: Some(default_coder()),
            default_coder: true,
            reference: ReferenceData::sichuan_chongqing(),
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(1, 8),
            heap: None,
            aliases: Mutex::new(Arc::new(aliases)),
            infer_min_confidence: Some(inferred::DEFAULT_MIN_CONFIDENCE),
            occupations: Mutex::new(None),
            revisited_with: Mutex::new(None),
        })
    }

    /// Records merged ids (kept in [`ALIASES_FILE`] for an index on disk,
    /// written whole and renamed into place).
    pub(crate) fn add_aliases(&self, new: Vec<(String, String)>) -> Result<()> {
        if new.is_empty() {
            return Ok(());
        }
        let mut guard = self
            .aliases
            .lock()
            .map_err(|_| Error::Panic("alias lock poisoned".into()))?;
        let mut all = (**guard).clone();
        all.extend(new);
        if let Some(dir) = &self.path {
            let mut sorted: Vec<(&String, &String)> = all.iter().collect();
            sorted.sort();
            let mut out = crate::io::JsonLinesWriter::new(Vec::new());
            for (alias, kept) in sorted {
                out.write(&Alias {
                    alias: alias.clone(),
                    kept: kept.clone(),
                })?;
            }
            write_beside(dir, ALIASES_FILE, &out.finish()?)?;
        }
        *guard = Arc::new(all);
        Ok(())
    }

    /// The merged ids and the posting each was merged into.
    pub(crate) fn aliases(&self) -> Arc<HashMap<String, String>> {
        self.aliases.lock().map_or_else(|_| Arc::default(), |a| a.clone())
    }

    /// Uses another market's reference data (default:
    /// [`ReferenceData::sichuan_chongqing`]): its gazetteer places
    /// vacancies, its skill vocabulary makes skill terms, its coder codes
    /// titles (unless a coder of your own was set). Set it before the first
    /// upsert or snapshot, and open an index with the data it was built with.
    pub fn with_reference(mut self, reference: ReferenceData) -> Self {
        if self.default_coder {
            self.coder = Some(coder_of(&reference));
        }
        self.reference = reference;
        self
    }

    /// Teaches the title coder a service's own coded titles and keeps them
    /// with the index (in [`CODED_TITLES_FILE`], written atomically), with
    /// the trained coder itself ([`CODER_FILE`]), so that
    /// [`VacancyIndex::open`] loads the same coder (or, if that copy is
    /// gone, trains it again: training is deterministic and takes a few
    /// seconds for 10,000 titles). The coder learns from these titles and
    /// the taxonomy's names and aliases (pass the shipped
    /// `data/job_titles_csco_train.csv` along to keep what it teaches). It codes the titles of vacancies
    /// indexed from now on and of seekers ranked against this index; to
    /// recode vacancies already indexed, index them again.
    ///
    /// # Errors
    /// [`Error::Io`] when the titles cannot be written beside the index.
    pub fn with_trained_coder(self, examples: &[LabeledTitle]) -> Result<Self> {
        if let Some(dir) = &self.path {
            let mut out = crate::io::JsonLinesWriter::new(Vec::new());
            for e in examples {
                out.write(e)?;
            }
            write_beside(dir, CODED_TITLES_FILE, &out.finish()?)?;
        }
        Ok(self.trained_on(examples))
    }

    /// The same index with a coder trained on `examples` (or loaded from
    /// the copy kept in its directory for them; a fresh one is kept there).
    fn trained_on(self, examples: &[LabeledTitle]) -> Self {
        let r = &self.reference;
        let coder = coder::trained(self.path.as_deref(), r.taxonomy(), examples);
        let reference = r.with_coder(coder);
        let mut me = self;
        me.default_coder = true;
        me.with_reference(reference)
    }

    /// The coded titles kept with the index, if any.
    pub fn coded_titles(&self) -> Result<Vec<LabeledTitle>> {
        let Some(path) = self.path.as_ref().map(|d| d.join(CODED_TITLES_FILE)) else {
            return Ok(Vec::new());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(read_labeled_titles(&text).map_err(|e| e.with_path(&path))?.0),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// The reference data this index places and codes vacancies with.
    pub fn reference(&self) -> &ReferenceData {
        &self.reference
    }

    /// Replaces the coder of titles for vacancies that carry no
    /// `occupation` (default: [`default_coder`]); `None` turns coding off.
    pub fn with_title_coder(mut self, coder: Option<TitleCoder>) -> Self {
        self.coder = coder;
        self.default_coder = false;
        self
    }

    /// Number of indexing threads (default: the machine's cores, at most 8).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// The directory, for an on-disk index.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, writer::Slot>> {
        self.writer.guard(&self.index, self.threads, self.heap())
    }

    /// The writer's heap: at least 16 MB a thread.
    fn heap(&self) -> usize {
        self.heap
            .unwrap_or(WRITER_HEAP_BYTES)
            .max((self.threads * 16) << 20)
    }

    /// Gives the writer `bytes` of heap instead of the default 768 MB (at
    /// least 16 MB a thread): indexes loaded side by side (shards) share
    /// the budget, and a service short of memory writes segments sooner.
    /// Set before the first write.
    pub fn with_writer_heap(mut self, bytes: usize) -> Self {
        self.heap = Some(bytes);
        self
    }

    /// Infers the occupation of vacancies that carry none and whose titles
    /// do not code, from their skills ([`inferred`], the same model seekers
    /// are inferred with, learned from the vacancies whose occupation was
    /// given or coded), when the inferred code's coverage of the skills
    /// reaches `min_confidence`; `None` turns it off. Default: on, at
    /// [`inferred::DEFAULT_MIN_CONFIDENCE`]. A bulk load infers from the
    /// market as it will be after the load (the index before it plus the
    /// load; a vacancy it replaces counts twice); a vacancy upserted alone,
    /// from the market as the last load left it, or as indexed when the
    /// market has since doubled. A vacancy written when there was no model
    /// yet (the first ones written into an empty index) is kept, whole,
    /// until a commit after which there is one, and then inferred and
    /// rewritten ([`VacancyIndex::commit`]). The inferred code is indexed
    /// like a coded one (both directions score it) and
    /// [`crate::matcher::Explanation::vacancy_occupation`] says where it
    /// came from.
    pub fn with_occupation_inference(mut self, min_confidence: Option<f64>) -> Self {
        self.infer_min_confidence = min_confidence.map(|c| c.clamp(0.0, 1.0));
        self
    }

    /// The occupation a vacancy is indexed with, and where it came from:
    /// given, else coded from the title, else (with a model) inferred from
    /// its skills.
    pub(crate) fn occupation_of(
        &self,
        v: &Vacancy,
        skills: &[String],
        model: Option<&OccupationModel>,
    ) -> Option<(OccupationCode, OccupationSource)> {
        if let Some(c) = v.occupation {
            return Some((c, OccupationSource::Given));
        }
        if let Some((c, confidence)) = self.coder.as_ref().and_then(|coder| coder(&v.title)) {
            return Some((
                c,
                OccupationSource::Title {
                    confidence: f64::from(confidence),
                },
            ));
        }
        let inferred = model?.infer(skills, self.reference.skills(), self.infer_min_confidence?)?;
        Some((
            inferred.code,
            OccupationSource::Skills {
                confidence: inferred.confidence,
            },
        ))
    }

    /// The model single writes infer vacancies' occupations with (see
    /// [`VacancyIndex::with_occupation_inference`]).
    fn write_model(&self) -> Result<Option<Arc<OccupationModel>>> {
        if self.infer_min_confidence.is_none() {
            return Ok(None);
        }
        let mut guard = self
            .occupations
            .lock()
            .map_err(|_| Error::Panic("occupation model lock poisoned".into()))?;
        let learned_at = guard.as_ref().map_or(0, |(_, n)| *n);
        let size = self.reader.searcher().num_docs();
        if size > 0 && size >= learned_at.saturating_mul(2) {
            let model = OccupationModel::learn(&self.snapshot()?)?;
            *guard = Some((Arc::new(model), size));
        }
        Ok(guard.as_ref().map(|(m, _)| m.clone()))
    }

    /// The same index inferring vacancies' occupations as another index
    /// does: at its coverage, with its market's model (the index of a feed
    /// scored against a market).
    pub(crate) fn inferring_as(self, min_confidence: Option<f64>, model: Arc<OccupationModel>) -> Self {
        self.keep_write_model(model, u64::MAX);
        self.with_occupation_inference(min_confidence)
    }

    /// Keeps the model a bulk load inferred with, learned at `size`
    /// vacancies, for the writes after it.
    pub(crate) fn keep_write_model(&self, model: Arc<OccupationModel>, size: u64) {
        if let Ok(mut guard) = self.occupations.lock() {
            *guard = Some((model, size));
        }
    }

    /// The tantivy document of a vacancy as this index writes it.
    pub(crate) fn document(&self, v: &Vacancy, model: Option<&OccupationModel>) -> tantivy::TantivyDocument {
        let skills = self.reference.skills().canonical_distinct(&v.skills);
        self.document_with(v, &skills, self.occupation_of(v, &skills, model), model)
    }

    /// The tantivy document of a vacancy with its canonical skills and the
    /// occupation found for it with `model`. One that found none because
    /// there was no model to infer from (none yet, or one that knows no
    /// skill: a market of uncoded vacancies) awaits one
    /// ([`VacancyIndex::revisit`]).
    pub(crate) fn document_with(
        &self,
        v: &Vacancy,
        skills: &[String],
        occupation: Option<(OccupationCode, OccupationSource)>,
        model: Option<&OccupationModel>,
    ) -> tantivy::TantivyDocument {
        let mut d = self.fields.document(v, occupation, skills);
        if occupation.is_none()
            && self.infer_min_confidence.is_some()
            && !skills.is_empty()
            && model.is_none_or(OccupationModel::is_empty)
        {
            self.fields.await_model(&mut d, v);
        }
        d
    }

    /// Rewrites the vacancies that were written before there was a model
    /// to infer their occupations with ([`Fields::awaiting_model`]), once
    /// there is one: each is inferred as a write would infer it now and
    /// replaced, whole, from the vacancy stored with it; those the model
    /// cannot place keep waiting, for the model learned when the market has
    /// doubled. Each model is tried once. Called with the writer held,
    /// right after a commit, so that nothing is pending: a vacancy deleted
    /// or replaced by that commit is not brought back. Returns how many
    /// were inferred (and committed).
    ///
    /// # Errors
    /// [`Error::Index`] when reading the snapshot or writing fails.
    fn revisit(&self, slot: &mut writer::Slot) -> Result<u64> {
        if self.infer_min_confidence.is_none() {
            return Ok(0);
        }
        let searcher = self.reader.searcher();
        let awaiting = Term::from_field_text(self.fields.awaiting_model, schema::AWAITING_MODEL);
        if searcher.doc_freq(&awaiting)? == 0 {
            return Ok(0);
        }
        let Some(model) = self.write_model()?.filter(|m| !m.is_empty()) else {
            return Ok(0);
        };
        let tried = self
            .revisited_with
            .lock()
            .map_err(|_| Error::Panic("revisited model lock poisoned".into()))?
            .as_ref()
            .is_some_and(|m| Arc::ptr_eq(m, &model));
        if tried {
            return Ok(0);
        }
        let query = TermQuery::new(awaiting, IndexRecordOption::Basic);
        let mut docs: Vec<_> = searcher.search(&query, &DocSetCollector)?.into_iter().collect();
        docs.sort_unstable();
        let mut ops = Vec::new();
        for address in docs {
            let stored: tantivy::TantivyDocument = searcher.doc(address)?;
            // A source that no longer reads as a vacancy (written by a
            // build that wrote it differently) is left as it is.
            let Some(v) = stored
                .get_first(self.fields.source)
                .and_then(|value| value.as_str())
                .and_then(|json| serde_json::from_str::<Vacancy>(json).ok())
            else {
                continue;
            };
            let skills = self.reference.skills().canonical_distinct(&v.skills);
            let Some(occupation) = self.occupation_of(&v, &skills, Some(&model)) else {
                continue;
            };
            ops.push(writer::Op::Delete(self.id_term(&v.id)));
            ops.push(writer::Op::Add(self.document_with(
                &v,
                &skills,
                Some(occupation),
                Some(&model),
            )));
        }
        let inferred = (ops.len() / 2) as u64;
        if inferred > 0 {
            slot.apply(ops)?;
            slot.commit()?;
            self.reader.reload()?;
        }
        if let Ok(mut tried) = self.revisited_with.lock() {
            *tried = Some(model);
        }
        Ok(inferred)
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
        self.upsert_all(std::slice::from_ref(v))
    }

    /// Adds vacancies, each replacing any with the same id, all or none:
    /// every vacancy is checked first (the error names the first invalid
    /// one), and when writing fails midway (an indexing thread that died,
    /// a full disk) none of them is left pending, while every write that
    /// succeeded before stays pending for the next commit (see
    /// [`VacancyIndex::commit`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] for an invalid vacancy, [`Error::IndexLocked`] when
    /// another writer holds the index, [`Error::Index`] when tantivy fails.
    pub fn upsert_all(&self, vacancies: &[Vacancy]) -> Result<()> {
        vacancies.iter().try_for_each(validate)?;
        let mut ops = Vec::with_capacity(2 * vacancies.len());
        // One model for the whole write: it is learned at most once.
        let mut model = None;
        for v in vacancies {
            if v.occupation.is_none() && model.is_none() {
                model = Some(self.write_model()?);
            }
            let doc = self.document(v, model.as_ref().and_then(|m| m.as_deref()));
            ops.push(writer::Op::Delete(self.id_term(&v.id)));
            ops.push(writer::Op::Add(doc));
        }
        self.writer()?.apply(ops)
    }

    /// Deletes the vacancy with this id; returns whether the committed state
    /// held it (deleting an unknown id is not an error).
    ///
    /// # Errors
    /// [`Error::IndexLocked`] when another writer holds the index.
    pub fn delete(&self, id: &str) -> Result<bool> {
        // A merged duplicate's id deletes the job it was merged into.
        let aliases = self.aliases();
        let id = match aliases.get(id) {
            Some(kept) if self.reader.searcher().doc_freq(&self.id_term(id))? == 0 => kept.as_str(),
            _ => id,
        };
        let term = self.id_term(id);
        let existed = self.reader.searcher().doc_freq(&term)? > 0;
        self.writer()?.apply(vec![writer::Op::Delete(term)])?;
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
        self.writer()?
            .apply(vec![writer::Op::DeleteQuery(Box::new(query()))])?;
        Ok(expired)
    }

    /// Makes every change so far visible, atomically, to new snapshots.
    /// When it fails, the previous commit stays the visible one and every
    /// write since it stays pending, whole, for the next commit.
    ///
    /// Vacancies written before the index had a model to infer their
    /// occupations with (one at a time into an empty index, or a market of
    /// uncoded vacancies) are then inferred, once the market holds enough
    /// coded ones to learn one from, and rewritten in a second commit (see
    /// [`VacancyIndex::with_occupation_inference`]).
    ///
    /// # Errors
    /// [`Error::Index`] when tantivy fails to commit (e.g. disk full).
    pub fn commit(&self) -> Result<()> {
        let mut writer = self.writer()?;
        writer.commit()?;
        self.reader.reload()?;
        // The commit has landed: a revisit that fails is tried again at
        // the next commit, and its own writes are all or none.
        let _ = self.revisit(&mut writer);
        Ok(())
    }

    /// Drops uncommitted changes.
    ///
    /// # Errors
    /// [`Error::Index`] when tantivy fails to roll back.
    pub fn rollback(&self) -> Result<()> {
        self.writer()?.rollback()
    }

    /// Releases the writer lock (and waits for background merges), so that
    /// another process may write. Uncommitted changes are dropped.
    ///
    /// # Errors
    /// [`Error::Index`] when a merge failed.
    pub fn close_writer(&self) -> Result<()> {
        self.writer.close()
    }

    /// Merges every segment into one (then waits for it): a search pays
    /// per segment, so an index that will not change for a while (a shard
    /// of a built set) is searched fastest whole.
    ///
    /// # Errors
    /// [`Error::Index`] when the merge fails.
    pub(crate) fn merge_segments(&self) -> Result<()> {
        let ids = self.index.searchable_segment_ids()?;
        if ids.len() > 1 {
            self.writer()?.writer()?.merge(&ids).wait()?;
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Total size of the index files, in bytes (0 in RAM).
    pub fn size_on_disk(&self) -> u64 {
        let Some(dir) = &self.path else { return 0 };
        std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
            .unwrap_or(0)
    }
}
