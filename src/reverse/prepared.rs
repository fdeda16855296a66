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

use rayon::prelude::*;

use crate::error::Result;
use crate::index::columns::{NONE_U8, NONE_U32};
use crate::index::doc_terms::DocTerms;
use crate::matcher::Matcher;
use crate::model::Seeker;
use crate::rank::query::{Query, TermRole};
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
pub(crate) type Postings = Vec<(f32, u32)>;

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
    /// Per term id: its lists by place (sorted by place).
    pub lists: HashMap<u32, Vec<(u32, Postings)>>,
    /// Each vacancy's skills, title words and occupation path, by field,
    /// with each field's term ids mapped into the dictionary (`u32::MAX`
    /// when no seeker holds the term).
    vacancy_terms: [(DocTerms, Vec<u32>); 3],
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
    dict: HashMap<(u8, String), u32>,
    /// The most each term signal can add (its weight): skills, title,
    /// occupation.
    pub caps: [f64; 3],
}

/// Rounds a bound up to the next `f32`, so that it still bounds.
fn round_up(x: f64) -> f32 {
    let f = x as f32;
    if f64::from(f) >= x { f } else { f.next_up() }
}

/// Holds one copy of equal values.
struct Interner<K, V> {
    seen: HashMap<K, V>,
}

impl<K: Hash + Eq, V: Clone> Interner<K, V> {
    fn new() -> Self {
        Interner { seen: HashMap::new() }
    }

    fn share(&mut self, key: K, value: &mut V) {
        *value = self.seen.entry(key).or_insert_with(|| value.clone()).clone();
    }
}

impl Prepared {
    /// Prepares `seekers` against `matcher`'s snapshot and config, on the
    /// current rayon pool; `progress` is called with the seekers done.
    ///
    /// # Errors
    /// A seeker the matcher refuses (named); two seekers with one id; an
    /// index read failure.
    pub fn new(matcher: &Matcher, seekers: &[Seeker], progress: &(dyn Fn(u64) + Sync)) -> Result<Prepared> {
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
        let centroids: Vec<(f32, f32)> = gazetteer
            .all()
            .iter()
            .map(|r| (r.centroid.lat() as f32, r.centroid.lon() as f32))
            .collect();

        let mut dict: HashMap<(u8, String), u32> = HashMap::new();
        let mut prepared = Vec::with_capacity(seekers.len());
        let mut rows: Vec<Row> = Vec::with_capacity(seekers.len() + 1);
        let mut flat: Vec<(u32, f32)> = Vec::new();
        let mut all_places: Vec<Box<[u32]>> = Vec::with_capacity(seekers.len());
        let mut ids = Vec::with_capacity(seekers.len());
        let mut by_id = std::collections::HashSet::with_capacity(seekers.len());
        let (mut priors, mut tables, mut moves) = (Interner::new(), Interner::new(), Interner::new());
        let mut done = 0u64;
        // In chunks, so that the shared tables are shared before the next
        // chunk is prepared (a million unshared tables would not fit).
        for chunk in seekers.chunks(8192) {
            let queries = chunk
                .par_iter()
                .map(|s| {
                    let q = matcher.prepare(s)?;
                    let places = places(s, &q, &centroids, &radius, gazetteer);
                    Ok((q, places))
                })
                .collect::<Result<Vec<_>>>()?;
            for (s, (mut q, places)) in chunk.iter().zip(queries) {
                if !by_id.insert(s.id.clone()) {
                    return Err(crate::error::Error::invalid(
                        format!("seeker `{}`", s.id),
                        "two seekers have this id",
                    ));
                }
                ids.push(s.id.clone());
                rows.push(Row {
                    start: term_start(&flat)?,
                    salary_min: q.salary_min.unwrap_or(NONE_U32),
                    industries: q.industries,
                    education: q.education.unwrap_or(NONE_U8),
                    experience: q.experience.unwrap_or(NONE_U8),
                    // The occupation signal of a seeker whose occupation
                    // terms did not fit in the query is bounded by its
                    // weight, not by terms.
                    loose: !(q.occupation_by_terms || q.occupations.is_empty()),
                });
                for t in &q.terms {
                    let tag = if t.role == TermRole::Occupation {
                        OCCUPATION
                    } else if t.term.field() == fields.skills {
                        SKILLS
                    } else {
                        TITLE
                    };
                    let next = dict.len() as u32;
                    flat.push((*dict.entry((tag, t.text.clone())).or_insert(next), round_up(t.ub)));
                }
                q.terms = Vec::new();
                for c in &mut q.clauses {
                    c.label = String::new();
                }
                q.clauses.shrink_to_fit();
                priors.share(q.constraints.reach.home_province(), &mut q.prior);
                let key = (q.education, q.experience, q.groups.clone());
                tables.share(key, &mut q.requirements);
                let m = q.constraints.reach.moves_to_mut();
                let key: Vec<bool> = m.to_vec();
                moves.share(key, m);
                prepared.push(PreparedSeeker { q });
                all_places.push(places.into());
            }
            done += chunk.len() as u64;
            progress(done);
        }

        // The lists: built per (term, place), then sorted best first.
        let mut lists: HashMap<u32, HashMap<u32, Postings>> = HashMap::new();
        rows.push(Row {
            start: term_start(&flat)?,
            ..Row::default()
        });
        for (i, places) in all_places.iter().enumerate() {
            let terms = seeker_terms(&rows, &flat, i);
            let loose = if rows.get(i).is_some_and(|r| r.loose) {
                occupation_cap
            } else {
                0.0
            };
            for &place in places.iter() {
                for &(t, b) in terms {
                    lists
                        .entry(t)
                        .or_default()
                        .entry(place)
                        .or_default()
                        .push((b, i as u32));
                }
                lists
                    .entry(ALL_TERMS)
                    .or_default()
                    .entry(place)
                    .or_default()
                    .push((loose, i as u32));
            }
        }
        let lists: HashMap<u32, Vec<(u32, Postings)>> = lists
            .into_par_iter()
            .map(|(t, by_place)| {
                let mut v: Vec<(u32, Postings)> = by_place
                    .into_iter()
                    .map(|(place, mut ps)| {
                        ps.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                        ps.shrink_to_fit();
                        (place, ps)
                    })
                    .collect();
                v.sort_unstable_by_key(|x| x.0);
                (t, v)
            })
            .collect();

        let vacancy_terms = field_terms(snapshot, &dict)?;
        dict.shrink_to_fit();

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
        for ((tag, _), &id) in &dict {
            if let Some(t) = tags.get_mut(id as usize) {
                *t = *tag;
            }
        }
        let caps = [
            normalised(Signal::Skills),
            normalised(Signal::Title),
            normalised(Signal::Occupation),
        ];
        drop(all_places);
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
            caps,
            seekers: prepared,
            ids,
            lists,
            vacancy_terms,
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

    /// The dictionary ids of a vacancy's terms (sorted, those some seeker
    /// holds).
    pub fn vacancy_terms(&self, segment: u32, doc: u32) -> Vec<u32> {
        doc_terms(
            self.vacancy_terms.iter().map(|(t, m)| (t, m.as_slice())),
            segment,
            doc,
        )
    }

    /// The same for a vacancy of another snapshot indexed with the same
    /// reference data (a vacancy not in the market: its terms are read
    /// from its own small snapshot and looked up by text).
    pub fn vacancy_terms_in(
        &self,
        snapshot: &crate::index::Snapshot,
        segment: u32,
        doc: u32,
    ) -> Result<Vec<u32>> {
        let fields = field_terms(snapshot, &self.dict)?;
        Ok(doc_terms(
            fields.iter().map(|(t, m)| (t, m.as_slice())),
            segment,
            doc,
        ))
    }
}

/// Per vacancy field whose terms seekers' terms meet (skills, title,
/// occupation path) of a snapshot: its doc terms, and per term its
/// dictionary id (`u32::MAX` when no seeker holds it).
fn field_terms(
    snapshot: &crate::index::Snapshot,
    dict: &HashMap<(u8, String), u32>,
) -> Result<[(DocTerms, Vec<u32>); 3]> {
    let fields = snapshot.fields();
    let [a, b, c] = [
        (SKILLS, fields.skills),
        (TITLE, fields.title),
        (OCCUPATION, fields.occupation_path),
    ]
    .map(|(tag, field)| -> Result<(DocTerms, Vec<u32>)> {
        let terms = DocTerms::of(snapshot, field)?;
        let map = (0..terms.len() as u32)
            .map(|id| {
                dict.get(&(tag, terms.name(id).to_owned()))
                    .copied()
                    .unwrap_or(u32::MAX)
            })
            .collect();
        Ok((terms, map))
    });
    Ok([a?, b?, c?])
}

/// Where the next seeker's terms start in the flat array.
fn term_start(flat: &[(u32, f32)]) -> Result<u32> {
    u32::try_from(flat.len())
        .map_err(|_| crate::error::Error::invalid("seekers", "more query terms than a u32 counts"))
}

/// A doc's dictionary ids over the fields (sorted, deduplicated).
fn doc_terms<'a>(
    fields: impl Iterator<Item = (&'a DocTerms, &'a [u32])>,
    segment: u32,
    doc: u32,
) -> Vec<u32> {
    let mut out: Vec<u32> = fields
        .flat_map(|(terms, map)| {
            terms
                .of_doc(segment, doc)
                .iter()
                .filter_map(|&id| map.get(id as usize).copied().filter(|&t| t != u32::MAX))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
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
    centroids: &[(f32, f32)],
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
    for (d, (c, r)) in centroids.iter().zip(radius).enumerate() {
        if *r == f64::NEG_INFINITY {
            continue;
        }
        let near = reach.distance_to(c.0, c.1) - r - 1e-3;
        if near <= commute
            && let Some(region) = gazetteer.by_dense(d as u16)
        {
            out.push(region.code.get());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
