//! Bulk loading: a stream of vacancies indexed on all the writer's threads,
//! with progress, a summary, and bad records skipped or fatal.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::dedup::Duplicates;
use super::inferred::{OccupationModel, Tally};
use super::{VacancyIndex, validate};
use crate::error::Result;
use crate::model::Vacancy;

impl VacancyIndex {
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
        let mut duplicates = options.merge_duplicates.then(Duplicates::default);
        let mut aliases: Vec<(String, String)> = Vec::new();
        let mut last_report = Instant::now();
        // Vacancies without an occupation, given or coded, wait for the
        // model learned from the rest (see `with_occupation_inference`).
        let inferring = self.infer_min_confidence.is_some();
        let mut tally = inferring.then(Tally::default);
        let mut held: Vec<Option<(Vacancy, Vec<String>, bool)>> = Vec::new();
        let mut held_at: HashMap<String, usize> = HashMap::new();
        let mut guard = self.writer()?;
        // Everything the load tells the writer, then the aliases of merged
        // duplicates; on any failure the writer is restored to the writes
        // before the load (none of the load is left pending).
        let sent = (|| -> Result<Vec<(String, String)>> {
            let writer = guard.writer()?;
            for record in records {
                summary.read += 1;
                // Records built in code, not parsed, are checked here as upsert
                // checks them.
                let v = match record.and_then(|v| validate(&v).map(|()| v)) {
                    Ok(v) => v,
                    Err(e) => {
                        if options.on_error == OnError::Stop {
                            return Err(e);
                        }
                        summary.rejected += 1;
                        if summary.errors.len() < options.max_errors_kept {
                            summary.errors.push(e.to_string());
                        }
                        continue;
                    }
                };
                if let Some(kept) = duplicates.as_mut().and_then(|d| d.earlier(&v)) {
                    summary.merged += 1;
                    aliases.push((v.id, kept));
                    continue;
                }
                // A later record of an id held back supersedes it.
                if !held_at.is_empty()
                    && let Some(i) = held_at.remove(&v.id)
                    && let Some(slot) = held.get_mut(i)
                {
                    *slot = None;
                }
                // In a fresh index an id needs deleting only when this load has
                // seen it before; that saves a delete per document.
                let replaces = !fresh || !seen.insert(v.id.clone());
                summary.replaced += u64::from(fresh && replaces);
                let skills = self.reference.skills().canonical_distinct(&v.skills);
                let occupation = self.occupation_of(&v, &skills, None);
                if let Some(t) = tally.as_mut() {
                    t.add_vacancy(occupation.map(|(c, _)| c), &skills);
                }
                if occupation.is_none() && inferring {
                    // Inferred from the market once the whole load is counted.
                    held_at.insert(v.id.clone(), held.len());
                    held.push(Some((v, skills, replaces)));
                    continue;
                }
                if replaces {
                    writer.delete_term(self.id_term(&v.id));
                }
                writer.add_document(self.document_with(&v, &skills, occupation, None))?;
                summary.indexed += 1;
                if let Some(p) = progress.as_mut()
                    && last_report.elapsed() >= Duration::from_millis(100)
                {
                    p(&summary);
                    last_report = Instant::now();
                }
            }
            // The model: this load's (and the index's before it), or, when this
            // load is one part of a market, every part's together.
            let counted = match tally {
                Some(mut tally) => {
                    if !fresh {
                        tally.add(Tally::of_snapshot(&self.snapshot()?)?);
                    }
                    Some(match &options.market_model {
                        Some(market) => market.add(tally),
                        None => {
                            let size = tally.vacancies();
                            (Arc::new(tally.model()), size)
                        }
                    })
                }
                None => None,
            };
            if let Some((model, size)) = counted {
                for (v, skills, replaces) in held.into_iter().flatten() {
                    let occupation = self.occupation_of(&v, &skills, Some(&model));
                    summary.inferred += u64::from(occupation.is_some());
                    if replaces {
                        writer.delete_term(self.id_term(&v.id));
                    }
                    writer.add_document(self.document_with(&v, &skills, occupation, Some(&model)))?;
                    summary.indexed += 1;
                }
                self.keep_write_model(model, size);
            }
            Ok(std::mem::take(&mut aliases))
        })();
        // Aliases first: a crash between the two leaves aliases of jobs not
        // yet committed (found as missing), never committed jobs whose
        // merged ids are lost.
        if let Err(e) = sent.and_then(|aliases| self.add_aliases(aliases)) {
            let _ = guard.restore();
            return Err(e);
        }
        guard.commit()?;
        self.reader.reload()?;
        // Vacancies written before there was a model, now that there is.
        let _ = self.revisit(&mut guard);
        drop(guard);
        if let Some(p) = progress.as_mut() {
            p(&summary);
        }
        summary.seconds = start.elapsed().as_secs_f64();
        summary.bytes_on_disk = self.size_on_disk();
        Ok(summary)
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
    /// Merge near-duplicate postings of this load (the same job under
    /// another id, see [`crate::index::MIN_SKILL_OVERLAP`]): the first is
    /// indexed, the others become its aliases (a lookup by either id finds
    /// it) and are counted in [`LoadSummary::merged`].
    pub merge_duplicates: bool,
    /// When this load is one part of a market loaded in parts: the model
    /// its held-back vacancies are inferred with (see [`MarketModel`]),
    /// instead of one counted from this load alone.
    pub market_model: Option<MarketModel>,
}

/// The skill → occupation model of a market loaded in parts (the shards
/// of a [`crate::shard::ShardSet`]), learned from every part's counts: each
/// part's load adds what it counted and waits; once whoever splits the
/// market has said how many parts there are (`MarketModel::close`) and
/// all have added theirs, the model is learned once and every part infers
/// the vacancies it held back with it. Counting is the loads' own work,
/// done once per vacancy.
#[derive(Clone, Default)]
pub struct MarketModel(Arc<(Mutex<MarketCounts>, Condvar)>);

/// What the parts have added so far.
#[derive(Default)]
struct MarketCounts {
    tally: Tally,
    added: usize,
    /// The number of parts, once known.
    parts: Option<usize>,
    /// The model and the market's size, once learned (or given up on).
    model: Option<(Arc<OccupationModel>, u64)>,
}

impl MarketCounts {
    /// Learns the model when every part has added its counts.
    fn learn_if_complete(&mut self) {
        if self.model.is_none() && self.parts.is_some_and(|n| self.added >= n) {
            let tally = std::mem::take(&mut self.tally);
            let size = tally.vacancies();
            self.model = Some((Arc::new(tally.model()), size));
        }
    }
}

impl MarketModel {
    fn counts(&self) -> std::sync::MutexGuard<'_, MarketCounts> {
        // A part that panicked holding the lock left counts that are still
        // sums: carry on with them.
        self.0.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds one part's counts and waits for the market's model.
    fn add(&self, tally: Tally) -> (Arc<OccupationModel>, u64) {
        let mut c = self.counts();
        c.tally.add(tally);
        c.added += 1;
        c.learn_if_complete();
        self.0.1.notify_all();
        loop {
            if let Some(m) = &c.model {
                return m.clone();
            }
            c = self.0.1.wait(c).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Says how many parts the market has (after the last record was
    /// routed): the model is learned when all have added their counts.
    pub(crate) fn close(&self, parts: usize) {
        let mut c = self.counts();
        c.parts = Some(parts);
        c.learn_if_complete();
        self.0.1.notify_all();
    }

    /// Gives up (a part failed or the split stopped): waiting parts go on
    /// with an empty model, so none waits for ever.
    pub(crate) fn abandon(&self) {
        let mut c = self.counts();
        if c.model.is_none() {
            c.model = Some((Arc::new(Tally::default().model()), 0));
        }
        self.0.1.notify_all();
    }
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
    /// Of those indexed, how many carried no occupation, had a title that
    /// did not code, and were given one inferred from their skills
    /// ([`VacancyIndex::with_occupation_inference`]).
    pub inferred: u64,
    /// Near-duplicates merged into an earlier posting of the same job
    /// (with [`LoadOptions::merge_duplicates`]).
    pub merged: u64,
    /// The first bad records' errors, with line numbers.
    pub errors: Vec<String>,
    /// Wall time.
    pub seconds: f64,
    /// Index size on disk afterwards.
    pub bytes_on_disk: u64,
}
