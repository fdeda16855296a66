//! Every saved seeker a vacancy reaches above their own floor: the
//! vacancy's side of job alerts, exactly.
//!
//! Alerts ask, for each new vacancy, which saved seekers it would enter the
//! top k of: a seeker's floor is the k-th score of their saved top (−∞
//! while fewer than k are held). So each vacancy is searched over the
//! prepared seekers' posting lists as [`super::candidates`] searches them,
//! but against a floor per seeker instead of one n-th score:
//! 1. the lists of the vacancy's terms in the places that reach it are
//!    summed, each seeker's bounds added up in the per-seeker scratch;
//! 2. seekers who share no term with the vacancy can only enter on the
//!    other signals: those whose floor is within that reach (few: a saved
//!    top's k-th is usually well above it) are kept per place when the
//!    floors are set, and added to the sums at 0;
//! 3. each summed seeker whose sum, with every other signal at its best,
//!    reaches their floor is checked on ever tighter bounds and scored, by
//!    the same function as `candidates` and `match`.
//!
//! A seeker never summed shares no term with the vacancy and has a floor
//! above the most the other signals give, so the vacancy cannot reach it;
//! the result is the same as scoring every saved seeker (a proptest).

use super::candidates::{
    EPS, ReverseStats, SLACK, Scored, Scratch, TermSet, Vacancy, lists_of, places_of, rest_bound, score_above,
};
use super::prepared::{ALL_TERMS, Prepared};

/// Each prepared seeker's floor, and the seekers whose floor the signals
/// other than the terms can reach, per place.
pub(crate) struct Floors {
    /// Per prepared seeker: the least score that may enter (`+∞` for a
    /// seeker not saved).
    floor: Vec<f64>,
    /// Per place, sorted by place: the seekers listed there whose floor is
    /// within what a vacancy sharing no term with them can give.
    low: Vec<(u32, Vec<u32>)>,
}

impl Floors {
    /// The floors of the prepared seekers, `floor(i)` for the `i`-th
    /// (`None`: not saved, never alerted).
    pub fn new(p: &Prepared, floor: impl Fn(usize) -> Option<f64>) -> Floors {
        let floor: Vec<f64> = (0..p.seekers.len())
            .map(|i| floor(i).unwrap_or(f64::INFINITY))
            .collect();
        // Without a shared term a seeker gets at most its loose occupation
        // bound, every seeker-side signal and the freshest freshness.
        let beyond_terms = p.seeker_side_weight + p.freshness_weight;
        let low = p
            .lists
            .get(&ALL_TERMS)
            .map(|by_place| {
                by_place
                    .iter()
                    .map(|(place, list)| {
                        let seekers = list
                            .iter()
                            .filter(|&&(loose, s)| {
                                floor
                                    .get(s as usize)
                                    .is_some_and(|&f| f64::from(loose) + beyond_terms + SLACK >= f)
                            })
                            .map(|&(_, s)| s)
                            .collect();
                        (place, seekers)
                    })
                    .filter(|(_, seekers): &(u32, Vec<u32>)| !seekers.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Floors { floor, low }
    }

    /// The low-floor seekers listed in `places` (all places: `None`).
    fn low_in(&self, places: Option<[u32; 4]>) -> impl Iterator<Item = &u32> {
        let lists: Vec<&Vec<u32>> = match places {
            Some(ps) => ps
                .iter()
                .filter_map(|p| self.low.binary_search_by_key(p, |x| x.0).ok())
                .filter_map(|i| self.low.get(i).map(|(_, l)| l))
                .collect(),
            None => self.low.iter().map(|(_, l)| l).collect(),
        };
        lists.into_iter().flatten()
    }
}

/// Every seeker the vacancy reaches at or above their floor, scored (the
/// caller decides ties at the floor: the forward order breaks them by
/// vacancy id). `exhaustive` scores every saved seeker instead: for a
/// vacancy farther from its region's centre than any the seekers were
/// listed by, whose places may miss a seeker in reach.
pub(crate) fn search(
    p: &Prepared,
    at: &Vacancy<'_>,
    floors: &Floors,
    exhaustive: bool,
    stats: &mut ReverseStats,
) -> Vec<Scored> {
    let (cols, doc) = (at.cols, at.doc);
    let held = TermSet::new(&at.terms, p.dictionary_len());
    let rest = rest_bound(p, cols, doc);
    let mut out = Vec::new();
    let mut check = |seeker: u32, stats: &mut ReverseStats| {
        let Some(&floor) = floors.floor.get(seeker as usize) else {
            return;
        };
        if floor == f64::INFINITY {
            return;
        }
        stats.checked += 1;
        if let Some(s) = score_above(p, seeker, at, &held, floor, rest)
            && s.score + EPS >= floor
        {
            stats.scored += 1;
            out.push(s);
        }
    };
    if exhaustive {
        for seeker in 0..p.seekers.len() as u32 {
            check(seeker, stats);
        }
        return out;
    }
    if cols.expires.get(doc as usize).is_none_or(|&e| e < p.today) {
        return out;
    }
    let places = places_of(at.county, doc < cols.remote_end);
    let mut scratch = Scratch::take(p.seekers.len());
    for lists in lists_of(p, at.terms.iter(), places) {
        for list in lists {
            stats.postings += list.len() as u64;
            for &(b, seeker) in list.iter() {
                scratch.add(seeker, b);
            }
        }
    }
    for &seeker in floors.low_in(places) {
        scratch.add(seeker, 0.0);
    }
    for &(seeker, sum) in scratch.sums() {
        let (Some(&floor), loose) = (floors.floor.get(seeker as usize), p.loose(seeker)) else {
            continue;
        };
        // The terms' bounds (uncapped), the loose occupation bound, the rest.
        if f64::from(sum) + loose + rest + SLACK >= floor {
            check(seeker, stats);
        }
    }
    scratch.give_back();
    out
}
