//! Seekers prepared against one vacancy snapshot, and the posting lists
//! the reverse direction searches them by.
//!
//! Each seeker is prepared exactly as `match` prepares it (the same
//! [`Query`], so a pair scores the same number both ways), then made
//! compact: its term texts become ids of one dictionary, and the tables
//! many seekers share (mobility priors, requirement tables, move targets)
//! are held once.
//!
//! A seeker is listed under each of its terms, in every *place* it may
//! reach: the regions it may commute into, the region prefixes it would
//! move to, or anywhere. A list holds `(bound, seeker)` best bound first:
//! the most that term can add to the seeker's score, rounded up to `f32`.
//! Every seeker is also listed, bound 0, under [`ALL_TERMS`] in its places,
//! so that seekers sharing no term with a vacancy are found too.

// Indexing here cannot panic: dense regions are below the gazetteer's size,
// the length of the radius table.
#![allow(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Result;
use crate::index::columns::SegmentTerms;
use crate::index::columns::{NONE_U8, NONE_U32};
use crate::index::memo::TextMemo;
use crate::index::terms::{SeekerTerm, skill_term};
use crate::matcher::Matcher;
use crate::model::Seeker;
use crate::rank::query::{Query, Read, TermRole};
use crate::rank::score::ColumnValues;
use crate::rank::signal::{self, Signal, Source};

/// The pseudo-term every seeker holds (bound 0).
pub(crate) const ALL_TERMS: u32 = u32::MAX;
/// The place of seekers who would move anywhere.
pub(crate) const ANYWHERE: u32 = 0;

/// Fields whose terms a query holds, as term-id tags.
const SKILLS: u8 = 0;
const TITLE: u8 = 1;
pub(crate) const OCCUPATION: u8 = 2;

/// Seekers prepared together by one thread, numbering their terms in a
/// dictionary of their own (merged into the shared one in order).
const PART: usize = 512;

/// One seeker, prepared: the forward query (its term texts dropped; the
/// term ids and bounds are held flat in [`Prepared`]).
pub(crate) struct PreparedSeeker {
    pub q: Query,
}

/// What a search reads of a seeker before the seeker itself, in one cache
/// line: where its terms start, and what the salary, education, experience
/// and industry signals compare, so that a seeker's bound is known exactly
/// but for its occupation and where the vacancy is.
#[derive(Debug, Clone, Copy, Default)]
struct Row {
    start: u32,
    /// The minimum salary, or [`NONE_U32`].
    salary_min: u32,
    /// Preferred industries (bit i = industry index i; 0 = none).
    industries: u32,
    /// Education and experience, or [`NONE_U8`].
    education: u8,
    experience: u8,
    /// The occupation signal is not bounded by the seeker's terms.
    loose: bool,
}

/// The normalised weights and settings of the signals a [`Row`] computes.
#[derive(Debug, Clone, Copy)]
struct SideWeights {
    salary: f64,
    education: f64,
    experience: f64,
    industry: f64,
    occupation: f64,
    salary_tolerance: f64,
    salary_unknown: f64,
    education_step: f64,
}

/// A posting list: `(bound, seeker)`, best bound first, then seeker order.
pub(crate) type Postings = [(f32, u32)];

/// One term's posting lists, one per place, held in one allocation: a
/// hundred thousand saved seekers make about 1.2 million lists over some
/// 11,000 terms, and a service rebuilds them at every commit: one
/// allocation per term, not per list, to make and to drop.
pub(crate) struct TermLists {
    /// `(place, end)`, sorted by place: the place's list ends at `end` in
    /// `postings` and starts where the one before ends.
    places: Box<[(u32, u32)]>,
    postings: Box<Postings>,
}

impl TermLists {
    /// The list of seekers listed in `place`.
    pub fn get(&self, place: u32) -> Option<&Postings> {
        let i = self.places.binary_search_by_key(&place, |x| x.0).ok()?;
        self.list(i).map(|(_, l)| l)
    }

    /// Every place's list, by place.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Postings)> {
        (0..self.places.len()).filter_map(|i| self.list(i))
    }

    fn list(&self, i: usize) -> Option<(u32, &Postings)> {
        let &(place, end) = self.places.get(i)?;
        let start = i
            .checked_sub(1)
            .and_then(|j| self.places.get(j))
            .map_or(0, |&(_, e)| e);
        Some((place, self.postings.get(start as usize..end as usize)?))
    }
}

/// Every seeker of a [`crate::reverse::SeekerMatcher`], prepared, with
/// their posting lists and the vacancies' terms in the same dictionary.
pub(crate) struct Prepared {
    pub seekers: Vec<PreparedSeeker>,
    pub ids: Vec<String>,
    /// Per seeker (and one past the last, for where the terms end): what a
    /// search reads before the seeker itself.
    rows: Vec<Row>,
    /// Seeker `i`'s terms are `terms[rows[i].start..rows[i + 1].start]`:
    /// the dictionary id of query term `j` (bit `j` of a mask) and the most
    /// it can add to the score, rounded up.
    terms: Vec<(u32, f32)>,
    /// The weights and settings the rows' signals are computed with.
    side: SideWeights,
    /// The day ranked (days since epoch): a vacancy expiring before it is
    /// in nobody's reach.
    pub today: i32,
    /// Per term id: its lists by place.
    pub lists: HashMap<u32, TermLists>,
    /// Each vacancy of the market: its skills, title words and occupation
    /// path mapped into the dictionary, read on the first search that asks
    /// (alerts never do: a feed's terms are read from the feed), not when
    /// the seekers are prepared.
    vacancy_terms: std::sync::OnceLock<ForeignTerms>,
    /// The weight of the signals that come neither from terms nor from the
    /// vacancy alone: location, mobility, salary, education, experience,
    /// industry, priority (each at most 1); freshness is added per vacancy.
    pub seeker_side_weight: f64,
    pub freshness_weight: f64,
    /// Of `seeker_side_weight`, where the vacancy is: the larger of the
    /// location and mobility weights (the two are never both above 0).
    pub place_weight: f64,
    /// Per term id: its field tag (skills, title, occupation).
    tags: Vec<u8>,
    /// Per dense region: the farthest its vacancies lie from its centroid,
    /// as seekers were listed by (a vacancy farther out may be in the
    /// commute of a seeker not listed there).
    radius: Vec<f64>,
    /// Term ids by field tag and text: for vacancies of other snapshots.
    dict: Dictionary,
    /// Per seeker: the places it is listed in, and the digest of the
    /// seeker ([`Seeker::fingerprint`]), by which the next commit knows
    /// what it may keep.
    places: Vec<Box<[u32]>>,
    prints: Vec<u128>,
    /// The most each term signal can add (its weight): skills, title,
    /// occupation.
    pub caps: [f64; 3],
}

/// Rounds a bound up to the next `f32`, so that it still bounds.
fn round_up(x: f64) -> f32 {
    let f = x as f32;
    if f64::from(f) >= x { f } else { f.next_up() }
}

/// A map of the strings and keys made here, hashed by foldhash (its
/// speed matters: every term of every seeker is looked up once or twice).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Holds one copy of equal values.
struct Interner<K, V> {
    seen: FastMap<K, V>,
}

impl<K: Hash + Eq, V: Clone> Interner<K, V> {
    fn new() -> Self {
        Interner {
            seen: FastMap::default(),
        }
    }

    fn share(&mut self, key: K, value: &mut V) {
        *value = self.seen.entry(key).or_insert_with(|| value.clone()).clone();
    }
}

impl Prepared {
    /// Prepares `seekers` against `matcher`'s snapshot and config, on the
    /// current rayon pool; `progress` is called with the seekers done.
    ///
    /// With `kept`, seekers prepared there (the state of an earlier commit,
    /// with the same reference data and config) that have not changed
    /// since are not read again: their skills, title words and reach are
    /// taken from it, and their places too while no region's vacancies
    /// lie farther out than they did. Everything the market's statistics
    /// decide is worked out anew, so the result is the one made without.
    ///
    /// # Errors
    /// A seeker the matcher refuses (named); two seekers with one id; an
    /// index read failure.
    pub fn new(
        matcher: &Matcher,
        seekers: &[Seeker],
        progress: &(dyn Fn(u64) + Sync),
        kept: Option<&Prepared>,
    ) -> Result<Prepared> {
        let snapshot = matcher.snapshot();
        let fields = snapshot.fields();
        let gazetteer = snapshot.reference().gazetteer();
        let w = &matcher.config().weights;
        let total: f64 = w.as_signals().values().iter().sum();
        let normalised = |s: Signal| w.get(s) / total;
        let occupation_cap = round_up(normalised(Signal::Occupation));
        // The farthest any vacancy of a region lies from its centroid.
        let mut radius = vec![f64::NEG_INFINITY; gazetteer.len()];
        for cols in snapshot.segments() {
            for (d, r) in cols.region_radius_km.iter().enumerate() {
                if !cols.region_ranges.get(d).is_none_or(|x| x.is_empty()) {
                    radius[d] = radius[d].max(*r);
                }
            }
        }
        // Each region's centre as the index holds positions (`f32`), and on
        // the unit sphere for the chord bound.
        let centroids: Vec<(f32, f32, [f64; 3])> = gazetteer
            .all()
            .iter()
            .map(|r| {
                let (lat, lon) = (r.centroid.lat() as f32, r.centroid.lon() as f32);
                (
                    lat,
                    lon,
                    crate::region::Point::unit(f64::from(lat), f64::from(lon)),
                )
            })
            .collect();

        // What the seekers share (titles, skill entries, the terms'
        // frequencies), worked out once.
        let memo = TextMemo::new(snapshot, seekers)?;
        let kept = kept.map(|k| Kept::new(k, radius == k.radius));
        let kept = kept.as_ref();
        let mut gathered = Gathered {
            dict: Dictionary::default(),
            prepared: Vec::with_capacity(seekers.len()),
            rows: Vec::with_capacity(seekers.len() + 1),
            flat: Vec::new(),
            all_places: Vec::with_capacity(seekers.len()),
            prints: Vec::with_capacity(seekers.len()),
            ids: Vec::with_capacity(seekers.len()),
            by_id: std::collections::HashSet::with_capacity_and_hasher(seekers.len(), Default::default()),
            moves: Interner::new(),
        };
        // Everything but the shared tables in parallel, in parts: the query
        // made compact (its terms' texts taken out, labels dropped), the
        // places the seeker is listed in, and the terms numbered in a
        // dictionary of the part's own.
        let prepare = |chunk: &[Seeker]| -> Result<Vec<PreparedPart>> {
            chunk
                .par_chunks(PART)
                .map(|part| {
                    let mut local = Dictionary::default();
                    let prepared = part
                        .iter()
                        .map(|s| {
                            let print = s.fingerprint();
                            let before = kept.and_then(|k| k.of(s, print, fields));
                            let (mut q, kept_places) = match before {
                                Some((read, kept_places)) => {
                                    (matcher.prepare_read(s, read, &memo)?, kept_places)
                                }
                                None => (matcher.prepare_in(s, &memo)?, None),
                            };
                            let places: Box<[u32]> = kept_places
                                .unwrap_or_else(|| places(s, &q, &centroids, &radius, gazetteer).into());
                            let terms: Vec<(u32, f32)> = std::mem::take(&mut q.terms)
                                .into_iter()
                                .map(|t| {
                                    let tag = if t.role == TermRole::Occupation {
                                        OCCUPATION
                                    } else if t.term.field() == fields.skills {
                                        SKILLS
                                    } else {
                                        TITLE
                                    };
                                    (local.id(tag, t.text()), round_up(t.ub))
                                })
                                .collect();
                            for c in &mut q.clauses {
                                c.label = String::new();
                            }
                            q.clauses.shrink_to_fit();
                            Ok((q, places, terms, print))
                        })
                        .collect::<Result<Vec<_>>>()?;
                    Ok((local.into_terms(), prepared))
                })
                .collect()
        };
        // In chunks, so that the shared tables are shared before the next
        // chunk is prepared (a million unshared tables would not fit), and
        // each chunk gathered while the next is prepared.
        let mut done = 0u64;
        let mut pending: Option<(&[Seeker], Vec<PreparedPart>)> = None;
        for chunk in seekers.chunks(8192) {
            let (parts, gather) = rayon::join(
                || prepare(chunk),
                || match pending.take() {
                    Some((before, parts)) => gathered.add(before, parts).map(|()| before.len()),
                    None => Ok(0),
                },
            );
            done += gather? as u64;
            progress(done);
            pending = Some((chunk, parts?));
        }
        if let Some((last, parts)) = pending {
            gathered.add(last, parts)?;
            progress(done + last.len() as u64);
        }
        let Gathered {
            mut dict,
            prepared,
            mut rows,
            mut flat,
            all_places,
            prints,
            ids,
            ..
        } = gathered;

        rows.push(Row {
            start: term_start(&flat)?,
            ..Row::default()
        });
        let lists = build_lists(&rows, &flat, &all_places, dict.len(), occupation_cap);

        for d in &mut dict.by_tag {
            d.shrink_to_fit();
        }

        // Where the vacancy is adds location (within the commute) or
        // mobility (beyond it, where location is 0), never both.
        let place_weight = normalised(Signal::Location).max(normalised(Signal::Mobility));
        let seeker_side_weight = Signal::ALL
            .into_iter()
            .filter(|&s| s.source() == Source::Columns && s != Signal::Occupation && s != Signal::Freshness)
            .map(normalised)
            .sum::<f64>()
            + place_weight;
        let mut tags = vec![0u8; dict.len()];
        for (tag, &id) in dict.ids() {
            if let Some(t) = tags.get_mut(id as usize) {
                *t = tag;
            }
        }
        let caps = [
            normalised(Signal::Skills),
            normalised(Signal::Title),
            normalised(Signal::Occupation),
        ];
        flat.shrink_to_fit();
        Ok(Prepared {
            rows,
            terms: flat,
            side: SideWeights {
                salary: normalised(Signal::Salary),
                education: normalised(Signal::Education),
                experience: normalised(Signal::Experience),
                industry: normalised(Signal::Industry),
                occupation: f64::from(occupation_cap),
                salary_tolerance: matcher.config().salary_tolerance,
                salary_unknown: matcher.config().salary_unknown,
                education_step: matcher.config().education_step,
            },
            today: matcher.today().days_since_epoch(),
            place_weight,
            tags,
            radius,
            dict,
            places: all_places,
            prints,
            caps,
            seekers: prepared,
            ids,
            lists,
            vacancy_terms: std::sync::OnceLock::new(),
            seeker_side_weight,
            freshness_weight: w.get(Signal::Freshness) / total,
        })
    }

    /// Whether the seekers were listed with the vacancy `doc` of `cols`
    /// (of this snapshot or a small one of drafts) within its region's
    /// radius: only then may the search skip the seekers not listed in its
    /// places.
    pub fn covers(&self, cols: &crate::index::SegmentColumns, doc: u32) -> bool {
        if doc < cols.remote_end {
            return true;
        }
        let Some(&dense) = cols.region.get(doc as usize) else {
            return false;
        };
        let d = usize::from(dense);
        match (cols.region_radius_km.get(d), self.radius.get(d)) {
            (Some(&far), Some(&listed)) => far <= listed,
            _ => false,
        }
    }

    /// How many terms the dictionary holds (seekers' and vacancies' share
    /// it).
    pub fn dictionary_len(&self) -> usize {
        self.tags.len()
    }

    /// The field tag of a term id (skills, title or occupation).
    #[inline]
    pub fn tag(&self, term: u32) -> u8 {
        self.tags.get(term as usize).copied().unwrap_or(OCCUPATION)
    }

    /// The bound of a seeker's occupation signal when its terms do not
    /// bound it.
    #[inline]
    pub fn loose(&self, seeker: u32) -> f64 {
        if self.rows.get(seeker as usize).is_some_and(|r| r.loose) {
            self.side.occupation
        } else {
            0.0
        }
    }

    /// The most salary, education, experience and industry can add for
    /// any vacancy.
    pub fn side_max(&self) -> f64 {
        let w = &self.side;
        w.salary + w.education + w.experience + w.industry
    }

    /// What salary, education, experience and industry add for a seeker
    /// and a vacancy of these columns: exactly what the forward signals
    /// give, from the seeker's row.
    #[inline]
    pub fn side(&self, seeker: u32, v: &ColumnValues) -> f64 {
        let Some(r) = self.rows.get(seeker as usize) else {
            return self.side_max();
        };
        let w = &self.side;
        let some8 = |x: u8| (x != NONE_U8).then_some(x);
        let salary_min = (r.salary_min != NONE_U32).then_some(r.salary_min);
        w.salary * signal::salary(salary_min, v.pay, w.salary_tolerance, w.salary_unknown)
            + w.education * signal::education(v.education, some8(r.education), w.education_step)
            + w.experience * signal::experience(v.experience, some8(r.experience))
            + w.industry * signal::industry(r.industries, v.industry)
    }

    /// A seeker's terms: `(dictionary id, bound)` of query term `j` at `j`.
    #[inline]
    pub fn seeker_terms(&self, seeker: u32) -> &[(u32, f32)] {
        seeker_terms(&self.rows, &self.terms, seeker as usize)
    }

    /// The dictionary ids of the terms of a vacancy of `snapshot`, the
    /// market these seekers were prepared against (sorted, those some
    /// seeker holds).
    ///
    /// # Errors
    /// An index read failure while the market's terms are first read.
    pub fn vacancy_terms(
        &self,
        snapshot: &crate::index::Snapshot,
        segment: u32,
        doc: u32,
    ) -> Result<Vec<u32>> {
        if let Some(terms) = self.vacancy_terms.get() {
            return Ok(terms.of(segment, doc));
        }
        // Two first searches at once may both read them; one is kept.
        let terms = self.terms_in(snapshot)?;
        let found = terms.of(segment, doc);
        let _ = self.vacancy_terms.set(terms);
        Ok(found)
    }

    /// The dictionary of another snapshot indexed with the same reference
    /// data (vacancies not in the market: a draft, a feed), whose
    /// vacancies' terms are read from that small snapshot and looked up by
    /// text.
    pub fn terms_in(&self, snapshot: &crate::index::Snapshot) -> Result<ForeignTerms> {
        field_terms(snapshot, &self.dict)
    }
}

/// The seekers' term texts numbered, one map per tag (skills, title,
/// occupation path), looked up by text without allocating.
#[derive(Default)]
struct Dictionary {
    by_tag: [FastMap<String, u32>; 3],
    len: u32,
}

impl Dictionary {
    /// The id of a term, numbered next when new (the text copied only
    /// then).
    fn id(&mut self, tag: u8, text: &str) -> u32 {
        match self.by_tag.get(usize::from(tag)).and_then(|m| m.get(text)) {
            Some(&id) => id,
            None => self.id_owned(tag, text.to_owned()),
        }
    }

    /// The id of a term, numbered next when new.
    fn id_owned(&mut self, tag: u8, text: String) -> u32 {
        let Some(map) = self.by_tag.get_mut(usize::from(tag)) else {
            return u32::MAX;
        };
        if let Some(&id) = map.get(&text) {
            return id;
        }
        let id = self.len;
        map.insert(text, id);
        self.len += 1;
        id
    }

    /// The terms, in the order they were numbered.
    fn into_terms(self) -> Vec<(u8, String)> {
        let mut terms: Vec<(u32, u8, String)> = self
            .by_tag
            .into_iter()
            .enumerate()
            .flat_map(|(tag, m)| m.into_iter().map(move |(text, id)| (id, tag as u8, text)))
            .collect();
        terms.sort_unstable_by_key(|t| t.0);
        terms.into_iter().map(|(_, tag, text)| (tag, text)).collect()
    }

    /// The texts, by id.
    fn texts(&self) -> Vec<&str> {
        let mut texts = vec![""; self.len()];
        for map in &self.by_tag {
            for (text, &id) in map {
                if let Some(t) = texts.get_mut(id as usize) {
                    *t = text.as_str();
                }
            }
        }
        texts
    }

    /// Terms numbered.
    fn len(&self) -> usize {
        self.len as usize
    }

    /// Every (tag, id).
    fn ids(&self) -> impl Iterator<Item = (u8, &u32)> {
        self.by_tag
            .iter()
            .enumerate()
            .flat_map(|(tag, m)| m.values().map(move |id| (tag as u8, id)))
    }
}

/// One part of the seekers prepared on a worker: the terms of its own
/// dictionary in the order they were met, and per seeker the compact
/// query, the places it is listed in and its terms by local id.
type PreparedPart = (Vec<(u8, String)>, Vec<(Query, Box<[u32]>, Vec<(u32, f32)>, u128)>);

/// What is gathered from the prepared parts, in the seekers' order, on one
/// thread: the shared dictionary and tables, each seeker's row and terms.
struct Gathered<'s> {
    dict: Dictionary,
    prepared: Vec<PreparedSeeker>,
    rows: Vec<Row>,
    flat: Vec<(u32, f32)>,
    all_places: Vec<Box<[u32]>>,
    prints: Vec<u128>,
    ids: Vec<String>,
    by_id: std::collections::HashSet<&'s str, foldhash::fast::RandomState>,
    /// The tables of the regions a seeker would move to, shared by wish
    /// (moving nowhere or anywhere, priors and requirement tables come
    /// shared from the matcher).
    moves: Interner<Vec<crate::region::RegionPrefix>, Arc<[bool]>>,
}

impl<'s> Gathered<'s> {
    /// Adds the parts prepared of `seekers`.
    fn add(&mut self, seekers: &'s [Seeker], parts: Vec<PreparedPart>) -> Result<()> {
        let mut seekers = seekers.iter();
        for (local_terms, prepared_part) in parts {
            // The part's terms numbered in the shared dictionary, in the
            // order the part met them: the numbering is the one a single
            // pass over the seekers would give.
            let global: Vec<u32> = local_terms
                .into_iter()
                .map(|(tag, text)| self.dict.id_owned(tag, text))
                .collect();
            for ((mut q, places, terms, print), s) in prepared_part.into_iter().zip(&mut seekers) {
                if !self.by_id.insert(s.id.as_str()) {
                    return Err(crate::error::Error::invalid(
                        format!("seeker `{}`", s.id),
                        "two seekers have this id",
                    ));
                }
                self.ids.push(s.id.clone());
                self.rows.push(Row {
                    start: term_start(&self.flat)?,
                    salary_min: q.salary_min.unwrap_or(NONE_U32),
                    industries: q.industries,
                    education: q.education.unwrap_or(NONE_U8),
                    experience: q.experience.unwrap_or(NONE_U8),
                    // The occupation signal of a seeker whose occupation
                    // terms did not fit in the query is bounded by its
                    // weight, not by terms.
                    loose: !(q.occupation_by_terms || q.occupations.is_empty()),
                });
                self.flat.extend(
                    terms
                        .iter()
                        .map(|&(local, ub)| (global.get(local as usize).copied().unwrap_or(u32::MAX), ub)),
                );
                // Moving nowhere or anywhere, the table is the gazetteer's.
                if !s.mobility.relocate && !s.mobility.regions.is_empty() {
                    let wish = s.mobility.regions.clone();
                    self.moves.share(wish, q.constraints.reach.moves_to_mut());
                }
                self.prepared.push(PreparedSeeker { q });
                self.all_places.push(places);
                self.prints.push(print);
            }
        }
        Ok(())
    }
}

/// The lists: per term (the dictionary's, then [`ALL_TERMS`] with each
/// seeker's loose occupation bound), per place the seeker is listed in,
/// the seekers best bound first (then by number). A seeker's bound for a
/// term is the same in every place, so the seekers are put in that order
/// once per term (a counting sort by term, then each term's seekers sorted
/// by bound, the terms in parallel) and then dealt to their places, which
/// keeps the order: no map is grown per posting, and what is sorted is a
/// tenth of what the lists hold.
fn build_lists(
    rows: &[Row],
    flat: &[(u32, f32)],
    all_places: &[Box<[u32]>],
    terms: usize,
    occupation_cap: f32,
) -> HashMap<u32, TermLists> {
    // The places, numbered densely in order, and each seeker's by number.
    let mut place_codes: Vec<u32> = all_places.iter().flat_map(|p| p.iter().copied()).collect();
    place_codes.sort_unstable();
    place_codes.dedup();
    let mut dense_start = Vec::with_capacity(all_places.len() + 1);
    let mut dense: Vec<u32> = Vec::new();
    for places in all_places {
        dense_start.push(dense.len());
        dense.extend(
            places
                .iter()
                .filter_map(|p| place_codes.binary_search(p).ok().map(|d| d as u32)),
        );
    }
    dense_start.push(dense.len());
    let places_of = |seeker: u32| -> &[u32] {
        let i = seeker as usize;
        match (dense_start.get(i), dense_start.get(i + 1)) {
            (Some(&a), Some(&b)) => dense.get(a..b).unwrap_or_default(),
            _ => &[],
        }
    };

    // Term `terms` stands for ALL_TERMS.
    let mut start = vec![0usize; terms + 2];
    for i in 0..all_places.len() {
        for &(t, _) in seeker_terms(rows, flat, i) {
            if let Some(c) = start.get_mut(t as usize + 1) {
                *c += 1;
            }
        }
        if let Some(c) = start.get_mut(terms + 1) {
            *c += 1;
        }
    }
    for t in 1..start.len() {
        start[t] += start[t - 1];
    }
    let mut cursor = start.clone();
    let total = start.last().copied().unwrap_or(0);
    // (bound as a key that sorts best first, seeker): sorted as plain
    // integers.
    let mut arena: Vec<(u32, u32)> = vec![(0, 0); total];
    let mut put = |t: usize, entry: (u32, u32)| {
        if let Some(c) = cursor.get_mut(t)
            && let Some(slot) = arena.get_mut(*c)
        {
            *slot = entry;
            *c += 1;
        }
    };
    for i in 0..all_places.len() {
        let loose = if rows.get(i).is_some_and(|r| r.loose) {
            occupation_cap
        } else {
            0.0
        };
        for &(t, b) in seeker_terms(rows, flat, i) {
            put(t as usize, (best_first_key(b), i as u32));
        }
        put(terms, (best_first_key(loose), i as u32));
    }
    let mut parts: Vec<(u32, &mut [(u32, u32)])> = Vec::with_capacity(terms + 1);
    let mut rest: &mut [(u32, u32)] = &mut arena;
    for t in 0..=terms {
        let len = start[t + 1] - start[t];
        let (part, tail) = rest.split_at_mut(len);
        rest = tail;
        if len > 0 {
            parts.push((if t == terms { ALL_TERMS } else { t as u32 }, part));
        }
    }
    parts
        .into_par_iter()
        .map_init(
            || vec![0u32; place_codes.len()],
            |count, (t, part)| {
                part.sort_unstable();
                // Each place's count, then where its list ends: one pass to
                // count, one to place (best first within a place, as sorted).
                let mut touched: Vec<u32> = Vec::new();
                let mut n = 0usize;
                for &(_, seeker) in part.iter() {
                    for &d in places_of(seeker) {
                        if let Some(c) = count.get_mut(d as usize) {
                            if *c == 0 {
                                touched.push(d);
                            }
                            *c += 1;
                            n += 1;
                        }
                    }
                }
                touched.sort_unstable();
                let mut places = Vec::with_capacity(touched.len());
                let mut end = 0u32;
                for &d in &touched {
                    if let Some(c) = count.get_mut(d as usize) {
                        // Now the place's next free slot.
                        let first = end;
                        end += *c;
                        *c = first;
                        places.push((place_codes.get(d as usize).copied().unwrap_or(ANYWHERE), end));
                    }
                }
                let mut postings = vec![(0.0f32, 0u32); n];
                for &(key, seeker) in part.iter() {
                    let bound = bound_of_key(key);
                    for &d in places_of(seeker) {
                        if let Some(c) = count.get_mut(d as usize)
                            && let Some(slot) = postings.get_mut(*c as usize)
                        {
                            *slot = (bound, seeker);
                            *c += 1;
                        }
                    }
                }
                for &d in &touched {
                    if let Some(c) = count.get_mut(d as usize) {
                        *c = 0;
                    }
                }
                let lists = TermLists {
                    places: places.into_boxed_slice(),
                    postings: postings.into_boxed_slice(),
                };
                (t, lists)
            },
        )
        .collect()
}

/// The prepared seekers' dictionary ids of a snapshot's vacancies
/// ([`Prepared::terms_in`]): per segment and field (skills, title,
/// occupation path), the segment's terms (kept with the segment, so read
/// once per segment) and each term's dictionary id (`u32::MAX` when no
/// seeker holds it).
pub(crate) struct ForeignTerms(Vec<[(Arc<SegmentTerms>, Vec<u32>); 3]>);

impl ForeignTerms {
    /// The dictionary ids of a vacancy's terms (sorted, those some seeker
    /// holds).
    pub fn of(&self, segment: u32, doc: u32) -> Vec<u32> {
        let Some(fields) = self.0.get(segment as usize) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = fields
            .iter()
            .flat_map(|(terms, map)| {
                terms
                    .of_doc(doc)
                    .iter()
                    .filter_map(|&o| map.get(o as usize).copied().filter(|&t| t != u32::MAX))
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A key whose integer order is `f32::total_cmp`'s, reversed: best first.
fn best_first_key(b: f32) -> u32 {
    let bits = b.to_bits();
    !(if bits >> 31 == 1 {
        !bits
    } else {
        bits | 0x8000_0000
    })
}

/// The bound [`best_first_key`] was made of.
fn bound_of_key(key: u32) -> f32 {
    let ascending = !key;
    f32::from_bits(if ascending >> 31 == 1 {
        ascending & 0x7fff_ffff
    } else {
        !ascending
    })
}

/// Maps every segment's terms of the three fields into the dictionary, the
/// segments in parallel.
fn field_terms(snapshot: &crate::index::Snapshot, dict: &Dictionary) -> Result<ForeignTerms> {
    let fields = snapshot.fields();
    let by_tag = &dict.by_tag;
    let wanted = [
        (SKILLS, fields.skills),
        (TITLE, fields.title),
        (OCCUPATION, fields.occupation_path),
    ];
    let per_segment = (0..snapshot.segments().len())
        .into_par_iter()
        .map(|segment| {
            let [a, b, c] = wanted.map(|(tag, field)| -> Result<(Arc<SegmentTerms>, Vec<u32>)> {
                let terms = snapshot.segment_terms(segment, field)?;
                let names = by_tag.get(usize::from(tag));
                let map = terms
                    .names()
                    .iter()
                    .map(|n| names.and_then(|m| m.get(n.as_str()).copied()).unwrap_or(u32::MAX))
                    .collect();
                Ok((terms, map))
            });
            Ok([a?, b?, c?])
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ForeignTerms(per_segment))
}

/// What a new state may keep of an earlier one ([`Prepared::new`]).
struct Kept<'a> {
    before: &'a Prepared,
    /// The earlier seekers by id.
    by_id: FastMap<&'a str, u32>,
    /// The earlier dictionary's texts by id.
    texts: Vec<&'a str>,
    /// No region's vacancies lie farther out than they did: places hold.
    same_places: bool,
}

impl<'a> Kept<'a> {
    fn new(before: &'a Prepared, same_places: bool) -> Kept<'a> {
        let by_id = before
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i as u32))
            .collect();
        Kept {
            before,
            by_id,
            texts: before.dict.texts(),
            same_places,
        }
    }

    /// What was read of `seeker` before (labels left empty), and its places
    /// when they hold; `None` when it is new or changed (by its digest
    /// `print`).
    fn of(
        &self,
        seeker: &Seeker,
        print: u128,
        fields: &crate::index::schema::Fields,
    ) -> Option<(Read, Option<Box<[u32]>>)> {
        let &i = self.by_id.get(seeker.id.as_str())?;
        let b = self.before;
        if b.prints.get(i as usize) != Some(&print) {
            return None;
        }
        let q = &b.seekers.get(i as usize)?.q;
        let ids = b.seeker_terms(i);
        // A clause's first option is its own term.
        let text = |c: &crate::rank::query::Clause| -> Option<&str> {
            let &(j, _) = c.options.first()?;
            let &(id, _) = ids.get(j)?;
            self.texts.get(id as usize).copied()
        };
        let items = |signal: Signal, term: &dyn Fn(&str) -> tantivy::Term| -> Option<Vec<SeekerTerm>> {
            q.clauses
                .iter()
                .filter(|c| c.signal == signal)
                .map(|c| {
                    let t = text(c)?;
                    Some((String::new(), term(t), t.to_owned()))
                })
                .collect()
        };
        let read = Read {
            skills: items(Signal::Skills, &|t| skill_term(fields, t))?,
            own_skills: q.own_skills,
            titles: items(Signal::Title, &|t| {
                tantivy::Term::from_field_text(fields.title, t)
            })?,
            reach: q.constraints.reach.clone(),
        };
        let places = self
            .same_places
            .then(|| b.places.get(i as usize).cloned())
            .flatten();
        Some((read, places))
    }
}

/// Where the next seeker's terms start in the flat array.
fn term_start(flat: &[(u32, f32)]) -> Result<u32> {
    u32::try_from(flat.len())
        .map_err(|_| crate::error::Error::invalid("seekers", "more query terms than a u32 counts"))
}

/// Seeker `i`'s run of the flat terms.
#[inline]
fn seeker_terms<'a>(rows: &[Row], terms: &'a [(u32, f32)], i: usize) -> &'a [(u32, f32)] {
    match (rows.get(i), rows.get(i + 1)) {
        (Some(a), Some(b)) => terms.get(a.start as usize..b.start as usize).unwrap_or_default(),
        _ => &[],
    }
}

/// The places a seeker is listed in: home, the regions whose nearest
/// vacancy may lie within the commute radius, each region prefix the seeker
/// would move to; or [`ANYWHERE`].
fn places(
    seeker: &Seeker,
    q: &Query,
    centroids: &[(f32, f32, [f64; 3])],
    radius: &[f64],
    gazetteer: &crate::region::Gazetteer,
) -> Vec<u32> {
    let m = &seeker.mobility;
    if m.relocate {
        return vec![ANYWHERE];
    }
    let reach = &q.constraints.reach;
    let commute = reach.commute_km();
    // Home always: remote vacancies reach everyone, and a seeker listed
    // nowhere would not be found for them.
    let mut out: Vec<u32> = m.regions.iter().map(|p| p.digits()).collect();
    out.push(seeker.region.get());
    let at = seeker.position();
    let home = crate::region::Point::unit(at.lat(), at.lon());
    for (d, ((lat, lon, unit), r)) in centroids.iter().zip(radius).enumerate() {
        // Most regions are farther than the commute by the chord alone: no
        // haversine for them.
        if *r == f64::NEG_INFINITY || crate::region::chord_km(&home, unit) - r - 1e-3 > commute {
            continue;
        }
        let gap = reach.distance_to(*lat, *lon) - r - 1e-3;
        if gap <= commute
            && let Some(region) = gazetteer.by_dense(d as u16)
        {
            out.push(region.code.get());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::{Kept, Prepared, best_first_key, bound_of_key};
    use crate::index::VacancyIndex;
    use crate::market::{Market, MarketConfig};
    use crate::matcher::Matcher;
    use crate::rank::RankingConfig;
    use crate::rank::query::Read;

    /// What a renewed state keeps of a seeker is what reading it again
    /// gives (labels aside), and a seeker that changed is read again.
    #[test]
    fn what_is_kept_of_a_seeker_is_what_reading_it_gives() {
        let market = Market::new(MarketConfig {
            vacancies: 120,
            seekers: 60,
            seed: 5,
            ..Default::default()
        });
        let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
        for i in 0..120 {
            index.upsert(&market.vacancy(i)).unwrap();
        }
        index.commit().unwrap();
        let today = crate::Date::new(2021, 3, 31).unwrap();
        let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today).unwrap();
        let mut seekers: Vec<_> = (0..60).map(|j| market.seeker(j)).collect();
        seekers[1]
            .skills
            .extend(["焊工证".to_owned(), "吃苦耐劳".to_owned()]);
        let before = Prepared::new(&m, &seekers, &|_| {}, None).unwrap();
        let kept = Kept::new(&before, true);
        let fields = m.snapshot().fields();
        let texts = |items: &[crate::index::terms::SeekerTerm]| -> Vec<String> {
            items.iter().map(|(_, _, t)| t.clone()).collect()
        };
        for s in &seekers {
            let (read, places) = kept.of(s, s.fingerprint(), fields).unwrap();
            let fresh = m
                .in_context(None, |cx| Read::new(cx, s, s.commute_km, &[]))
                .unwrap();
            assert_eq!(texts(&read.skills), texts(&fresh.skills), "{}", s.id);
            assert_eq!(texts(&read.titles), texts(&fresh.titles), "{}", s.id);
            assert_eq!(read.own_skills, fresh.own_skills, "{}", s.id);
            assert!(places.is_some());
        }
        // 焊工证 implies 焊接: one own skill more than it reads as.
        let licensed = kept.of(&seekers[1], seekers[1].fingerprint(), fields).unwrap().0;
        assert!(licensed.skills.len() > licensed.own_skills);
        let mut changed = seekers[2].clone();
        changed.commute_km += 1.0;
        assert!(kept.of(&changed, changed.fingerprint(), fields).is_none());
        assert!(
            Kept::new(&before, false)
                .of(&seekers[2], seekers[2].fingerprint(), fields)
                .unwrap()
                .1
                .is_none()
        );
    }

    #[test]
    fn bound_keys_sort_best_first_and_give_the_bound_back() {
        let bounds = [
            0.0f32,
            -0.0,
            1e-30,
            0.05,
            0.12,
            0.5,
            1.0,
            7.5,
            f32::MAX,
            f32::INFINITY,
            -1.0,
            f32::NEG_INFINITY,
        ];
        for a in bounds {
            assert_eq!(bound_of_key(best_first_key(a)).to_bits(), a.to_bits());
            for b in bounds {
                assert_eq!(
                    best_first_key(a).cmp(&best_first_key(b)),
                    b.total_cmp(&a),
                    "{a} {b}"
                );
            }
        }
    }
}
