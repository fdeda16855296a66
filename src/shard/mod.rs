//! One market split over several indexes (shards), read as one: scores
//! equal to those of a single index holding every vacancy.
//!
//! A [`ShardSet`] is a directory of index directories, one per shard, and a
//! manifest ([`MANIFEST_FILE`]): the format version, how the market was
//! split ([`Sharding`]: by province, by prefecture or by a hash of the id),
//! each shard's directory and size, and the global statistics every score
//! depends on — the market size and the document frequency of every skill
//! and title term (the IDF of the skills and title signals). The learned
//! models (skill relatedness, the skill → occupation model) are learned
//! from all shards together, and vacancies that need an occupation inferred
//! are inferred at build time with the model of the whole market, so no
//! score depends on which shard holds a vacancy.
//!
//! Ranking reads the shards as one [`Snapshot`] ([`ShardSet::snapshot`],
//! a [`Snapshot::union`]): a [`crate::matcher::Matcher`] over it searches
//! only the segments of the shards a seeker can reach (the others have no
//! doc range in reach and are never opened) and keeps one top k across
//! them, so the merge is exact by construction, per-employer caps included.
//! [`ShardSet::reachable`] names the shards a seeker reaches.
//!
//! ```
//! use jobmatch::shard::{ShardSet, Sharding};
//! use jobmatch::market::{Market, MarketConfig};
//! use jobmatch::matcher::Matcher;
//! use jobmatch::rank::RankingConfig;
//! use jobmatch::Date;
//! let market = Market::new(MarketConfig { vacancies: 300, seekers: 2, ..Default::default() });
//! let dir = tempfile::tempdir()?;
//! let records = (0..300).map(|i| Ok(market.vacancy(i)));
//! let (shards, summary) = ShardSet::build(dir.path(), Sharding::Province, records, Default::default())?;
//! assert_eq!(summary.indexed, 300);
//! let matcher = Matcher::new(shards.snapshot()?, RankingConfig::default(), Date::new(2021, 3, 31)?)?;
//! let seeker = market.seeker(0);
//! assert!(!shards.reachable(&seeker)?.is_empty());
//! let top = matcher.match_one(&seeker, 10)?;
//! assert!(top.matches.len() <= 10);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::{LoadOptions, LoadSummary, MarketModel, OnError, Snapshot, VacancyIndex};
use crate::model::{Seeker, Vacancy};
use crate::retrieve::Reach;

/// The manifest's file name in a shard set's directory.
pub const MANIFEST_FILE: &str = "shards.json";

/// Version of the manifest's layout; bump on any incompatible change.
pub const MANIFEST_VERSION: u32 = 1;

/// The writer heap all shards of a build share.
const BUILD_HEAP_BYTES: usize = 768 << 20;

/// How a market is split into shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharding {
    /// One shard per province (the first two digits of the region code).
    Province,
    /// One shard per prefecture (the first four digits).
    Prefecture,
    /// A fixed number of shards by a hash of the vacancy id: even sizes,
    /// but every seeker reaches every shard.
    Hash(u32),
}

impl Sharding {
    /// The name of the shard that holds a vacancy: its province or
    /// prefecture code prefix, or `remote` for a remote vacancy (in every
    /// seeker's reach, so kept apart from the places); `hNNN` by hash.
    pub fn shard_of(&self, v: &Vacancy) -> String {
        let code = v.region.to_string();
        match *self {
            Sharding::Province | Sharding::Prefecture if v.remote => "remote".to_owned(),
            Sharding::Province => code.get(..2).unwrap_or(&code).to_owned(),
            Sharding::Prefecture => code.get(..4).unwrap_or(&code).to_owned(),
            Sharding::Hash(n) => format!("h{:03}", fnv1a(v.id.as_bytes()) % u64::from(n.max(1))),
        }
    }

    /// How many shards a market placed in `gazetteer` can have (remote
    /// vacancies' shard included): what the build divides its writer heap
    /// by.
    fn most_shards(&self, gazetteer: &crate::region::Gazetteer) -> usize {
        let distinct = |digits: u32| {
            let mut prefixes: Vec<u32> = gazetteer
                .all()
                .iter()
                .map(|r| r.code.get() / 10u32.pow(6 - digits))
                .collect();
            prefixes.sort_unstable();
            prefixes.dedup();
            prefixes.len() + 1
        };
        match *self {
            Sharding::Province => distinct(2),
            Sharding::Prefecture => distinct(4),
            Sharding::Hash(n) => n as usize,
        }
    }
}

impl std::fmt::Display for Sharding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sharding::Province => f.write_str("province"),
            Sharding::Prefecture => f.write_str("prefecture"),
            Sharding::Hash(n) => write!(f, "hash:{n}"),
        }
    }
}

impl FromStr for Sharding {
    type Err = Error;

    /// `province`, `prefecture` or `hash:N` (N from 1 to 1,024).
    fn from_str(s: &str) -> Result<Sharding> {
        let bad = || Error::Invalid {
            field: "sharding".into(),
            reason: format!("`{s}`: expected province, prefecture or hash:N with N from 1 to 1024"),
        };
        match s.trim() {
            "province" => Ok(Sharding::Province),
            "prefecture" => Ok(Sharding::Prefecture),
            other => {
                let n: u32 = other
                    .strip_prefix("hash:")
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(bad)?;
                if (1..=1024).contains(&n) {
                    Ok(Sharding::Hash(n))
                } else {
                    Err(bad())
                }
            }
        }
    }
}

/// FNV-1a, 64 bits, then MurmurHash3's finaliser (FNV's low bits follow
/// the last byte, and ids often differ only there): a hash that is the
/// same on every machine and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A shard set's manifest ([`MANIFEST_FILE`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_VERSION`] when written.
    pub format_version: u32,
    /// How the market was split (`province`, `prefecture`, `hash:N`).
    pub sharding: String,
    /// The shards, by name.
    pub shards: Vec<ShardEntry>,
    /// What every score depends on, over the whole market.
    pub statistics: Statistics,
}

/// One shard in a manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardEntry {
    /// Its name (the province or prefecture code prefix, or `hNNN`).
    pub name: String,
    /// Its index directory, relative to the shard set's.
    pub dir: String,
    /// Vacancies it holds.
    pub vacancies: u64,
}

/// The global statistics of a sharded market: what the IDF of the skills
/// and title signals is computed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// The market size the IDF uses: documents of every shard (deleted ones
    /// included until segments merge, as in one index).
    pub documents: u64,
    /// Vacancies asking for each canonical skill term.
    pub skills: BTreeMap<String, u64>,
    /// Vacancies whose title holds each title term.
    pub title_terms: BTreeMap<String, u64>,
}

impl Statistics {
    /// The statistics of a snapshot (of one index or a union).
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn of(snapshot: &Snapshot) -> Result<Statistics> {
        let fields = snapshot.fields();
        Ok(Statistics {
            documents: snapshot.segments().iter().map(|s| u64::from(s.max_doc)).sum(),
            skills: snapshot.doc_freqs(fields.skills)?,
            title_terms: snapshot.doc_freqs(fields.title)?,
        })
    }
}

/// Options of [`ShardSet::build`].
#[derive(Default)]
pub struct BuildOptions {
    /// Stop at the first bad record (nothing is kept), or skip and count.
    pub on_error: OnError,
    /// How many error messages the summary keeps.
    pub max_errors_kept: usize,
    /// Threads per shard's writer (default 1).
    pub threads_per_shard: Option<usize>,
}

/// A market split into shards, opened.
pub struct ShardSet {
    dir: PathBuf,
    manifest: Manifest,
    /// Each shard's committed state, in manifest order: a set is built
    /// whole and never changes, so these are taken once.
    parts: Vec<Snapshot>,
    /// The parts read as one.
    union: Snapshot,
}

impl std::fmt::Debug for ShardSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShardSet")
            .field("dir", &self.dir)
            .field("shards", &self.manifest.shards.len())
            .finish()
    }
}

/// A record on its way to a shard's load, or the word that the load must stop.
type Routed = Result<Vacancy>;

impl ShardSet {
    /// Splits a stream of vacancies into shards under `dir` (which must not
    /// hold a shard set yet), one index per shard loaded side by side, and
    /// writes the manifest. Vacancies that carry no occupation and whose
    /// titles do not code are inferred with the model of the whole stream.
    ///
    /// # Errors
    /// [`Error::Invalid`] when `dir` already holds a shard set; with
    /// [`OnError::Stop`], the first bad record (every shard is rolled back
    /// and no manifest is written); index and I/O failures.
    pub fn build<I>(
        dir: impl AsRef<Path>,
        sharding: Sharding,
        records: I,
        options: BuildOptions,
    ) -> Result<(ShardSet, LoadSummary)>
    where
        I: IntoIterator<Item = Result<Vacancy>>,
    {
        let dir = dir.as_ref();
        if dir.join(MANIFEST_FILE).exists() {
            return Err(Error::Invalid {
                field: "shards".into(),
                reason: format!("{} already holds a shard set", dir.display()),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let started = std::time::Instant::now();
        let threads = options.threads_per_shard.unwrap_or(1).max(1);
        // Few shards get big heaps (and so few segments, which a search
        // pays for one by one); many share the budget.
        let probe = VacancyIndex::create_in_ram()?;
        let heap = BUILD_HEAP_BYTES / sharding.most_shards(probe.reference().gazetteer()).max(1);
        // Each shard's load counts its vacancies into the market's model
        // and waits for the others' at its end: on every way out that is
        // not a whole stream, the wait is given up (empty model).
        let model = MarketModel::default();
        let release = Release(Some(model.clone()));
        let mut summary = LoadSummary::default();
        let mut parts: BTreeMap<String, Part> = BTreeMap::new();
        let mut failed: Option<Error> = None;
        for record in records {
            summary.read += 1;
            let v = match record.and_then(|v| v.validate().map(|()| v)) {
                Ok(v) => v,
                Err(e) => {
                    if options.on_error == OnError::Stop {
                        failed = Some(e);
                        break;
                    }
                    summary.rejected += 1;
                    if summary.errors.len() < options.max_errors_kept {
                        summary.errors.push(e.to_string());
                    }
                    continue;
                }
            };
            let name = sharding.shard_of(&v);
            if !parts.contains_key(&name) {
                // A new shard: its index and its load, on a thread of its own.
                let index = VacancyIndex::create(dir.join(&name))?
                    .with_threads(threads)
                    .with_writer_heap(heap);
                parts.insert(name.clone(), Part::start(index, model.clone()));
            }
            if let Some(part) = parts.get(&name)
                && part.send(Ok(v)).is_err()
            {
                // Its load ended early: its error is collected below.
                break;
            }
        }
        if failed.is_none() {
            model.close(parts.len());
            release.disarm();
        } else {
            // The parts are stopped below; none waits for the model.
            drop(release);
        }
        let mut first_error = failed;
        let mut shards = Vec::new();
        let mut parts_read = Vec::new();
        let mut bytes = 0;
        // Every part's input ends before any is awaited: each load waits at
        // its end for the others' counts.
        for part in parts.values_mut() {
            if first_error.is_some() {
                let _ = part.send(Err(stopped()));
            }
            part.end_input();
        }
        for (name, part) in parts {
            match part.finish() {
                Ok((index, s)) => {
                    summary.indexed += s.indexed;
                    summary.replaced += s.replaced;
                    summary.inferred += s.inferred;
                    let snapshot = index.snapshot()?;
                    shards.push(ShardEntry {
                        dir: name.clone(),
                        name,
                        vacancies: snapshot.num_vacancies(),
                    });
                    bytes += index.size_on_disk();
                    parts_read.push(snapshot);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        let union = Snapshot::union(&parts_read)?;
        let set = ShardSet {
            dir: dir.to_owned(),
            manifest: Manifest {
                format_version: MANIFEST_VERSION,
                sharding: sharding.to_string(),
                shards,
                statistics: Statistics::of(&union)?,
            },
            parts: parts_read,
            union,
        };
        let json = serde_json::to_vec_pretty(&set.manifest).map_err(|e| Error::Invalid {
            field: "manifest".into(),
            reason: e.to_string(),
        })?;
        crate::index::write_beside(dir, MANIFEST_FILE, &json)?;
        summary.seconds = started.elapsed().as_secs_f64();
        summary.bytes_on_disk = bytes;
        Ok((set, summary))
    }

    /// Opens the shard set in `dir` and checks it against its manifest:
    /// every shard present with the size recorded, and the statistics the
    /// scores depend on unchanged.
    ///
    /// # Errors
    /// [`Error::IndexMissing`] when `dir` holds no manifest;
    /// [`Error::IndexVersion`] for a manifest of another version;
    /// [`Error::Corrupt`] when a shard disagrees with the manifest; as
    /// [`VacancyIndex::open`] for each shard.
    pub fn open(dir: impl AsRef<Path>) -> Result<ShardSet> {
        let dir = dir.as_ref();
        let path = dir.join(MANIFEST_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::IndexMissing { path: dir.to_owned() });
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
            Error::Corrupt {
                reason: format!("manifest: {e}"),
            }
            .with_path(&path)
        })?;
        if manifest.format_version != MANIFEST_VERSION {
            return Err(Error::IndexVersion {
                path,
                found: manifest.format_version.to_string(),
                expected: MANIFEST_VERSION,
            });
        }
        let mut parts = Vec::new();
        for s in &manifest.shards {
            if s.dir.contains("..") || Path::new(&s.dir).is_absolute() {
                return Err(Error::Corrupt {
                    reason: format!("manifest: shard `{}` lies outside the set ({})", s.name, s.dir),
                }
                .with_path(&path));
            }
            let snapshot = VacancyIndex::open(dir.join(&s.dir))?.snapshot()?;
            let found = snapshot.num_vacancies();
            if found != s.vacancies {
                return Err(Error::Corrupt {
                    reason: format!(
                        "shard `{}` holds {found} vacancies, the manifest says {}",
                        s.name, s.vacancies
                    ),
                }
                .with_path(&path));
            }
            parts.push(snapshot);
        }
        let union = Snapshot::union(&parts)?;
        if Statistics::of(&union)? != manifest.statistics {
            return Err(Error::Corrupt {
                reason: "the shards' statistics differ from the manifest's: a shard was changed or replaced"
                    .into(),
            }
            .with_path(&path));
        }
        Ok(ShardSet {
            dir: dir.to_owned(),
            manifest,
            parts,
            union,
        })
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Every shard read as one market (see the module docs).
    ///
    /// # Errors
    /// None today (the shards were read when the set was opened); kept so
    /// that a set that reloads its shards can report a failure.
    pub fn snapshot(&self) -> Result<Snapshot> {
        Ok(self.union.clone())
    }

    /// The names of the shards a seeker can reach (as the search decides:
    /// a shard holding a segment with a doc range in the seeker's reach,
    /// remote vacancies included).
    ///
    /// # Errors
    /// None today (see [`ShardSet::snapshot`]).
    pub fn reachable(&self, seeker: &Seeker) -> Result<Vec<&str>> {
        let reach = Reach::new(seeker, seeker.commute_km, &[], self.union.reference().gazetteer());
        Ok(self
            .manifest
            .shards
            .iter()
            .zip(&self.parts)
            .filter(|(_, part)| part.segments().iter().any(|c| !reach.ranges(c).is_empty()))
            .map(|(entry, _)| entry.name.as_str())
            .collect())
    }
}

/// The error a shard's load is stopped with when another part failed.
fn stopped() -> Error {
    Error::Invalid {
        field: "load".into(),
        reason: "stopped: another part of the sharded load failed".into(),
    }
}

/// Gives up the market's model when dropped, unless it was learned or the
/// guard was disarmed: a shard load never waits for ever.
struct Release(Option<MarketModel>);

impl Release {
    /// The way out is the good one: nothing to give up.
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        if let Some(m) = &self.0 {
            m.abandon();
        }
    }
}

/// One shard's load, running on its own thread.
struct Part {
    /// `None` once the input has ended.
    sender: Option<SyncSender<Routed>>,
    handle: std::thread::JoinHandle<(VacancyIndex, Result<LoadSummary>)>,
}

impl Part {
    fn start(index: VacancyIndex, model: MarketModel) -> Part {
        let (sender, receiver): (SyncSender<Routed>, Receiver<Routed>) = sync_channel(1024);
        let handle = std::thread::spawn(move || {
            // However this load ends (an error, a panic), the other parts
            // waiting for its counts go on; once it has added them, the
            // model is learned and this changes nothing.
            let _release = Release(Some(model.clone()));
            let options = LoadOptions {
                on_error: OnError::Stop,
                market_model: Some(model.clone()),
                ..LoadOptions::default()
            };
            // Then one segment per shard: a search pays per segment, and
            // a seeker reaches a few shards where one index would have
            // been a couple of segments.
            let result = index.bulk_load(receiver, options).and_then(|s| {
                index.merge_segments()?;
                index.close_writer().map(|()| s)
            });
            (index, result)
        });
        Part {
            sender: Some(sender),
            handle,
        }
    }

    fn send(&self, record: Routed) -> std::result::Result<(), ()> {
        match &self.sender {
            Some(s) => s.send(record).map_err(|_| ()),
            None => Err(()),
        }
    }

    /// Ends the load's input: it writes what it holds back once every
    /// part's counts are in.
    fn end_input(&mut self) {
        self.sender = None;
    }

    fn finish(mut self) -> Result<(VacancyIndex, LoadSummary)> {
        self.end_input();
        let (index, result) = self
            .handle
            .join()
            .map_err(|_| Error::Panic("a shard's load panicked".into()))?;
        Ok((index, result?))
    }
}
