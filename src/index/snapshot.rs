//! A committed state of the index as retrieval and ranking read it, and
//! how the index makes one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use tantivy::index::SegmentId;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, SegmentReader, Term};

use super::VacancyIndex;
use super::columns::SegmentColumns;
use super::schema::{Fields, OCCUPATION_SOURCE_FIELD, OccupationSource};
use crate::error::{Error, Result, guarded};
use crate::model::Date;
use crate::reference::ReferenceData;
use crate::taxonomy::OccupationCode;

impl VacancyIndex {
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
                    let c = Arc::new(guarded("loading a segment", || {
                        SegmentColumns::load(seg, self.reference.gazetteer())
                    })?);
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
            readers: searcher.segment_readers().to_vec(),
            at: (0..searcher.segment_readers().len() as u32)
                .map(|s| (0, s))
                .collect(),
            searchers: vec![searcher],
            segments,
            fields: self.fields.clone(),
            reference: self.reference.clone(),
            aliases: self.aliases(),
            vacancy_inference: self.infer_min_confidence,
            doc_freqs: Arc::default(),
        })
    }
}

/// One committed state of the index, as retrieval and ranking read it; or
/// of several indexes read as one market ([`Snapshot::union`], the shards of
/// [`crate::shard::ShardSet`]).
///
/// Cheap to clone (it shares tantivy's searchers and the decoded columns) and
/// `Send + Sync`: share it across threads.
#[derive(Clone)]
pub struct Snapshot {
    /// One searcher per index read.
    searchers: Vec<Searcher>,
    /// Every segment of every index, in order.
    readers: Vec<SegmentReader>,
    /// Per segment: its searcher and its position there.
    at: Vec<(u32, u32)>,
    segments: Vec<Arc<SegmentColumns>>,
    fields: Fields,
    reference: ReferenceData,
    /// Merged duplicates' ids → the posting kept.
    aliases: Arc<HashMap<String, String>>,
    /// The coverage the index infers vacancies' occupations at, if it does.
    vacancy_inference: Option<f64>,
    /// Document frequencies looked up so far: seekers share most of their
    /// terms, and a lookup reads every segment's term dictionary.
    doc_freqs: Arc<std::sync::RwLock<HashMap<Term, u64>>>,
}

/// Terms whose document frequency one snapshot remembers (beyond it, a
/// lookup reads the dictionaries each time: unknown words typed by many
/// seekers cannot grow the memo without end).
const DOC_FREQ_MEMO: usize = 1 << 20;

impl Snapshot {
    /// The reference data the index was built with: what a matcher of this
    /// snapshot places, reaches and codes with.
    pub fn reference(&self) -> &ReferenceData {
        &self.reference
    }

    /// Several snapshots read as one market: every part's segments in
    /// order, document frequencies and market size summed, so that a score
    /// over the union is the score over one index holding every part's
    /// vacancies. The parts must be of indexes built with the same reference
    /// data (the first's is used) and hold distinct vacancy ids.
    ///
    /// # Errors
    /// [`Error::Invalid`] when no part is given.
    pub fn union(parts: &[Snapshot]) -> Result<Snapshot> {
        let first = parts.first().ok_or_else(|| Error::Invalid {
            field: "snapshots".into(),
            reason: "a union needs at least one snapshot".into(),
        })?;
        let mut out = Snapshot {
            searchers: Vec::new(),
            readers: Vec::new(),
            at: Vec::new(),
            segments: Vec::new(),
            fields: first.fields.clone(),
            reference: first.reference.clone(),
            aliases: Arc::default(),
            vacancy_inference: first.vacancy_inference,
            doc_freqs: Arc::default(),
        };
        let mut aliases = HashMap::new();
        for part in parts {
            let base = out.searchers.len() as u32;
            out.searchers.extend(part.searchers.iter().cloned());
            out.readers.extend(part.readers.iter().cloned());
            out.at.extend(part.at.iter().map(|&(s, local)| (base + s, local)));
            out.segments.extend(part.segments.iter().cloned());
            aliases.extend(part.aliases.iter().map(|(a, k)| (a.clone(), k.clone())));
        }
        out.aliases = Arc::new(aliases);
        Ok(out)
    }

    /// Document frequency of every term of a field, summed over segments
    /// (deleted documents included until their segments merge, as
    /// [`Snapshot::doc_freq`] counts them).
    ///
    /// # Errors
    /// [`Error::Index`] or [`Error::Io`] on a read failure.
    pub(crate) fn doc_freqs(
        &self,
        field: tantivy::schema::Field,
    ) -> Result<std::collections::BTreeMap<String, u64>> {
        let mut out = std::collections::BTreeMap::new();
        for seg in &self.readers {
            let inv = seg.inverted_index(field)?;
            let mut stream = inv.terms().stream().map_err(Error::io_unnamed)?;
            while stream.advance() {
                let term = String::from_utf8_lossy(stream.key()).into_owned();
                *out.entry(term).or_default() += u64::from(stream.value().doc_freq);
            }
        }
        Ok(out)
    }

    /// tantivy's reader of every segment, in the order of
    /// [`Snapshot::segments`].
    pub(crate) fn segment_readers(&self) -> &[SegmentReader] {
        &self.readers
    }

    /// tantivy's reader of one segment.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the snapshot has no such segment.
    pub(crate) fn segment_reader(&self, segment: usize) -> Result<&SegmentReader> {
        self.readers.get(segment).ok_or_else(|| Error::Corrupt {
            reason: format!("no segment {segment} in the snapshot"),
        })
    }

    /// The schema's fields.
    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The decoded columns of each segment, in the searcher's segment order.
    pub(crate) fn segments(&self) -> &[Arc<SegmentColumns>] {
        &self.segments
    }

    /// The terms of `field` of every doc of one segment, read on first use
    /// and kept with the segment's columns (shared by every later snapshot
    /// that holds the segment).
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the snapshot has no such segment; a read
    /// failure.
    pub(crate) fn segment_terms(
        &self,
        segment: usize,
        field: tantivy::schema::Field,
    ) -> Result<Arc<super::columns::SegmentTerms>> {
        let (Some(cols), Some(reader)) = (self.segments.get(segment), self.readers.get(segment)) else {
            return Err(Error::Corrupt {
                reason: format!("segment {segment} is not in this snapshot"),
            });
        };
        let known = |cache: &Vec<(tantivy::schema::Field, Arc<super::columns::SegmentTerms>)>| {
            cache.iter().find(|(f, _)| *f == field).map(|(_, t)| t.clone())
        };
        if let Some(t) = cols.terms.lock().ok().and_then(|c| known(&c)) {
            return Ok(t);
        }
        // Read outside the lock: two first readers may both read; one is kept.
        let read = Arc::new(super::columns::SegmentTerms::read(reader, field, cols.max_doc)?);
        if let Ok(mut cache) = cols.terms.lock() {
            if let Some(t) = known(&cache) {
                return Ok(t);
            }
            cache.push((field, read.clone()));
        }
        Ok(read)
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
        self.searchers.iter().map(Searcher::num_docs).sum()
    }

    /// Deleted or replaced vacancies whose documents the segments still
    /// hold (until they merge): they count in document frequencies, so two
    /// indexes of the same live vacancies score alike only when neither
    /// holds any.
    pub fn num_deleted(&self) -> u64 {
        let held: u64 = self.segments.iter().map(|s| u64::from(s.max_doc)).sum();
        held.saturating_sub(self.num_vacancies())
    }

    /// Number of visible vacancies holding a term of `field` (summed over
    /// segments; deleted documents count until segments merge, identically
    /// for every path that ranks, so scores stay consistent).
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub(crate) fn doc_freq(&self, term: &Term) -> Result<u64> {
        if let Ok(memo) = self.doc_freqs.read()
            && let Some(&n) = memo.get(term)
        {
            return Ok(n);
        }
        let mut n = 0;
        for s in &self.searchers {
            n += s.doc_freq(term)?;
        }
        // A poisoned lock only loses the memo, never the count.
        if let Ok(mut memo) = self.doc_freqs.write()
            && memo.len() < DOC_FREQ_MEMO
        {
            memo.insert(term.clone(), n);
        }
        Ok(n)
    }

    /// Finds a vacancy by id, or by the id of a duplicate merged into it:
    /// (segment position, doc id).
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub(crate) fn find(&self, id: &str) -> Result<Option<(usize, u32)>> {
        match self.find_exact(id)? {
            None => match self.aliases.get(id) {
                Some(kept) => self.find_exact(kept),
                None => Ok(None),
            },
            found => Ok(found),
        }
    }

    fn find_exact(&self, id: &str) -> Result<Option<(usize, u32)>> {
        let term = Term::from_field_text(self.fields.id, id);
        for (i, seg) in self.readers.iter().enumerate() {
            let inv = seg.inverted_index(self.fields.id)?;
            if let Some(mut postings) = inv
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(Error::io_unnamed)?
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

    /// What the index holds of the vacancy with this id, for display; `None`
    /// when this state holds no such vacancy.
    ///
    /// # Errors
    /// [`Error::Index`] on a read failure.
    pub fn vacancy(&self, id: &str) -> Result<Option<StoredVacancy>> {
        match self.find(id)? {
            Some((segment, doc)) => self.stored(segment, doc).map(Some),
            None => Ok(None),
        }
    }

    /// Reads back every live vacancy's stored fields and columns: how many
    /// there were.
    ///
    /// # Errors
    /// [`Error::Corrupt`] or [`Error::Index`] at the first that cannot be
    /// read, or when the count disagrees with the segments' metadata.
    pub(crate) fn read_back_all(&self) -> Result<u64> {
        let mut read = 0u64;
        for (segment, reader) in self.readers.iter().enumerate() {
            for doc in reader.doc_ids_alive() {
                let v = self.stored(segment, doc)?;
                if v.id.is_empty() {
                    return Err(Error::Corrupt {
                        reason: format!("document {doc} of segment {segment} has no id"),
                    });
                }
                read += 1;
            }
        }
        if read != self.num_vacancies() {
            return Err(Error::Corrupt {
                reason: format!(
                    "{read} live documents read, the metadata says {}",
                    self.num_vacancies()
                ),
            });
        }
        Ok(read)
    }

    /// The coverage at which the index infers the occupation of vacancies
    /// that carry none ([`VacancyIndex::with_occupation_inference`]).
    pub(crate) fn vacancy_inference(&self) -> Option<f64> {
        self.vacancy_inference
    }

    /// The occupation a found vacancy is indexed with and where it came
    /// from (`segment` and `doc` from [`Snapshot::find`]); `None` when it
    /// has none.
    pub(crate) fn occupation(&self, segment: usize, doc: u32) -> Result<Option<VacancyOccupation>> {
        let corrupt = |what: String| Error::Corrupt {
            reason: format!("document {doc} in segment {segment}: {what}"),
        };
        let cols = self
            .segments
            .get(segment)
            .ok_or_else(|| corrupt("no such segment".into()))?;
        let packed = *cols
            .occupation
            .get(doc as usize)
            .ok_or_else(|| corrupt("no such document".into()))?;
        let Some(code) = OccupationCode::from_packed(packed) else {
            return Ok(None);
        };
        let column = self
            .segment_reader(segment)?
            .fast_fields()
            .u64(OCCUPATION_SOURCE_FIELD)
            .map_err(|e| corrupt(format!("occupation source column: {e}")))?;
        let stored = column.first(doc).unwrap_or(0);
        let source = OccupationSource::from_stored(stored)
            .ok_or_else(|| corrupt(format!("occupation source {stored}")))?;
        Ok(Some(VacancyOccupation { code, source }))
    }

    /// The stored fields of a found vacancy (`segment` and `doc` from
    /// [`Snapshot::find`]).
    pub(crate) fn stored(&self, segment: usize, doc: u32) -> Result<StoredVacancy> {
        use tantivy::schema::Value;
        let corrupt = || Error::Corrupt {
            reason: format!("no document {doc} in segment {segment}"),
        };
        let cols = self.segments.get(segment).ok_or_else(corrupt)?;
        let dense = *cols.region.get(doc as usize).ok_or_else(corrupt)?;
        let region = self
            .reference
            .gazetteer()
            .by_dense(dense)
            .map(|r| r.code)
            .ok_or_else(corrupt)?;
        let &(searcher, local) = self.at.get(segment).ok_or_else(corrupt)?;
        let searcher = self.searchers.get(searcher as usize).ok_or_else(corrupt)?;
        let d: tantivy::TantivyDocument = searcher.doc(tantivy::DocAddress::new(local, doc))?;
        let text = |f| {
            d.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let evidence = text(self.fields.skill_evidence);
        let skill_evidence = if evidence.is_empty() {
            Vec::new()
        } else {
            serde_json::from_str(&evidence).map_err(|e| Error::Corrupt {
                reason: format!("document {doc} of segment {segment}: skill evidence: {e}"),
            })?
        };
        Ok(StoredVacancy {
            id: text(self.fields.id),
            title: text(self.fields.title),
            employer: text(self.fields.employer),
            region,
            skill_evidence,
        })
    }
}

/// The occupation a vacancy is indexed with and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VacancyOccupation {
    /// The code: an occupation, or a group when the vacancy's skills
    /// pointed to no occupation of it in particular.
    pub code: OccupationCode,
    /// Given, coded from the title, or inferred from the skills.
    #[serde(flatten)]
    pub source: OccupationSource,
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
    /// Where the vacancy is.
    pub region: crate::region::RegionCode,
    /// Where the posting asks for each skill read from its text.
    pub skill_evidence: Vec<crate::model::SkillEvidence>,
}
