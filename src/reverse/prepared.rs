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
use crate::index::doc_terms::DocTerms;
use crate::matcher::Matcher;
use crate::model::Seeker;
use crate::rank::query::Query;
use crate::rank::signal::{Signal, Source};

/// The pseudo-term every seeker holds (bound 0).
pub(crate) const ALL_TERMS: u32 = u32::MAX;
/// The place of seekers who would move anywhere.
pub(crate) const ANYWHERE: u32 = 0;

/// Fields whose terms a query holds, as term-id tags.
const SKILLS: u8 = 0;
const TITLE: u8 = 1;
pub(crate) const OCCUPATION: u8 = 2;

/// One seeker, prepared.
pub(crate) struct PreparedSeeker {
    /// The forward query (its term texts dropped: `terms` holds their ids).
    pub q: Query,
    /// Dictionary id of query term `i` (bit `i` of a mask).
    pub terms: Box<[u32]>,
    /// The most query term `i` can add to the score, rounded up.
    pub bounds: Box<[f32]>,
    /// Places the seeker is listed in.
    pub places: Box<[u32]>,
}

/// A posting list: `(bound, seeker)`, best bound first, then seeker order.
pub(crate) type Postings = Vec<(f32, u32)>;

/// Every seeker of a [`crate::reverse::SeekerMatcher`], prepared, with
/// their posting lists and the vacancies' terms in the same dictionary.
pub(crate) struct Prepared {
    pub seekers: Vec<PreparedSeeker>,
    pub ids: Vec<String>,
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
    /// Of `seeker_side_weight`, location and mobility's.
    pub place_weight: f64,
    /// Per term id: its field tag (skills, title, occupation).
    tags: Vec<u8>,
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
                let mut terms = Vec::with_capacity(q.terms.len());
                let mut bounds = Vec::with_capacity(q.terms.len());
                for t in &q.terms {
                    let tag = if t.occupation {
                        OCCUPATION
                    } else if t.term.field() == fields.skills {
                        SKILLS
                    } else {
                        TITLE
                    };
                    let next = dict.len() as u32;
                    terms.push(*dict.entry((tag, t.text.clone())).or_insert(next));
                    bounds.push(round_up(t.ub));
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
                prepared.push(PreparedSeeker {
                    q,
                    terms: terms.into(),
                    bounds: bounds.into(),
                    places: places.into(),
                });
            }
            done += chunk.len() as u64;
            progress(done);
        }

        // The lists: built per (term, place), then sorted best first.
        let mut lists: HashMap<u32, HashMap<u32, Postings>> = HashMap::new();
        for (i, p) in prepared.iter().enumerate() {
            // The occupation signal of a seeker whose occupation terms did
            // not fit in the query is bounded by its weight, not by terms.
            let loose = if p.q.occupation_by_terms || p.q.occupations.is_empty() {
                0.0
            } else {
                round_up(p.q.weights[Signal::Occupation])
            };
            for &place in p.places.iter() {
                for (&t, &b) in p.terms.iter().zip(p.bounds.iter()) {
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

        let vacancy_terms = [
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
        let [a, b, c] = vacancy_terms;
        let vacancy_terms = [a?, b?, c?];

        let w = &matcher.config().weights;
        let total: f64 = w.as_signals().values().iter().sum();
        let seeker_side_weight = Signal::ALL
            .into_iter()
            .filter(|&s| s.source() != Source::Terms && s != Signal::Occupation && s != Signal::Freshness)
            .map(|s| w.get(s) / total)
            .sum();
        let mut tags = vec![0u8; dict.len()];
        for ((tag, _), &id) in &dict {
            if let Some(t) = tags.get_mut(id as usize) {
                *t = *tag;
            }
        }
        let normalised = |s: Signal| w.get(s) / total;
        let caps = [
            normalised(Signal::Skills),
            normalised(Signal::Title),
            normalised(Signal::Occupation),
        ];
        Ok(Prepared {
            place_weight: normalised(Signal::Location) + normalised(Signal::Mobility),
            tags,
            caps,
            seekers: prepared,
            ids,
            lists,
            vacancy_terms,
            seeker_side_weight,
            freshness_weight: w.get(Signal::Freshness) / total,
        })
    }

    /// The field tag of a term id (skills, title or occupation).
    #[inline]
    pub fn tag(&self, term: u32) -> u8 {
        self.tags.get(term as usize).copied().unwrap_or(OCCUPATION)
    }

    /// The bound of a seeker's occupation signal when its terms do not
    /// bound it.
    #[inline]
    pub fn loose(&self, s: &PreparedSeeker) -> f64 {
        if s.q.occupation_by_terms || s.q.occupations.is_empty() {
            0.0
        } else {
            self.caps[2]
        }
    }

    /// The dictionary ids of a vacancy's terms (sorted, those some seeker
    /// holds).
    pub fn vacancy_terms(&self, segment: u32, doc: u32) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .vacancy_terms
            .iter()
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
