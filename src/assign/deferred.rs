//! Seeker-proposing deferred acceptance with capacities (Gale & Shapley,
//! 1962; the college-admissions form, Roth & Sotomayor, 1990), over plain
//! indices.
//!
//! Seekers propose down their lists; a vacancy holds the best applicants
//! its choice rule picks from those who proposed, up to its openings, and
//! rejects the rest, who propose to their next choice. With strict
//! preferences on both sides (seekers' lists are ordered; vacancies order
//! applicants by fit, then by seeker id) and a choice rule that is
//! substitutable (the plain rule and the soft reserve below both are), the
//! result is stable and the best stable assignment for every seeker, and
//! it does not depend on the order in which proposals are made.
//!
//! The choice rule: with no reserve, the `openings` best applicants. With a
//! reserve of `r` openings for priority groups (a *soft* reserve), first up
//! to `r` of the best priority applicants, then the best of everyone left
//! for the remaining openings: reserved openings no priority seeker wants
//! go to anyone.

// Indexing here cannot panic: a `Market` is built by `assign` alone, with
// one `next`/`holds` slot per seeker, one `held` slot per vacancy, and list
// entries that are vacancy indices below `openings.len()`; `taken` has one
// slot per pool entry.
#![allow(clippy::indexing_slicing)]

use std::cmp::Ordering;
use std::collections::VecDeque;

/// A seeker's list and how vacancies see the seeker: the input of
/// [`run`], by index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Market {
    /// Per seeker: vacancy indices, best first.
    pub lists: Vec<Vec<u32>>,
    /// Per seeker, parallel to `lists`: the vacancy's key for the seeker
    /// (higher is better: its fit, with any policy bonus).
    pub keys: Vec<Vec<f64>>,
    /// Per seeker: the rank of its id among all ids (breaks ties of keys:
    /// the lower rank wins).
    pub id_rank: Vec<u32>,
    /// Per seeker: in a group the policy favours.
    pub priority: Vec<bool>,
    /// Per vacancy: openings.
    pub openings: Vec<u32>,
    /// Per vacancy: openings reserved for priority groups (at most
    /// `openings`).
    pub reserved: Vec<u32>,
}

/// An applicant as a vacancy holds it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Held {
    pub seeker: u32,
    pub key: f64,
    pub id_rank: u32,
    pub priority: bool,
}

impl Held {
    /// Whether the vacancy ranks `self` before `other`.
    fn before(&self, other: &Held) -> bool {
        match self.key.total_cmp(&other.key) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => self.id_rank < other.id_rank,
        }
    }
}

/// What deferred acceptance produced.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    /// Per seeker: the position in its list it holds, if any.
    pub choice: Vec<Option<u32>>,
    /// Per vacancy: the seekers admitted, best first.
    pub admitted: Vec<Vec<u32>>,
    /// Proposals made.
    pub proposals: u64,
}

/// The applicants a vacancy keeps from `pool` (any order), best first:
/// the choice rule of the module docs.
pub(crate) fn choose(pool: &mut Vec<Held>, openings: u32, reserved: u32) -> Vec<Held> {
    pool.sort_by(|a, b| {
        if a.before(b) {
            Ordering::Less
        } else if b.before(a) {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    });
    let openings = openings as usize;
    if reserved == 0 {
        pool.truncate(openings);
        return std::mem::take(pool);
    }
    let mut kept = Vec::with_capacity(openings.min(pool.len()));
    let mut taken = vec![false; pool.len()];
    for (i, h) in pool.iter().enumerate() {
        if kept.len() >= reserved as usize {
            break;
        }
        if h.priority {
            kept.push(*h);
            taken[i] = true;
        }
    }
    for (i, h) in pool.iter().enumerate() {
        if kept.len() >= openings {
            break;
        }
        if !taken[i] {
            kept.push(*h);
        }
    }
    kept.sort_by(|a, b| {
        if a.before(b) {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    });
    kept
}

/// Runs deferred acceptance.
pub(crate) fn run(m: &Market) -> Outcome {
    let seekers = m.lists.len();
    let mut next = vec![0u32; seekers];
    let mut holds: Vec<Option<u32>> = vec![None; seekers];
    let mut held: Vec<Vec<Held>> = vec![Vec::new(); m.openings.len()];
    let mut free: VecDeque<u32> = (0..seekers as u32).collect();
    let mut proposals = 0u64;
    let mut pool = Vec::new();
    while let Some(s) = free.pop_front() {
        let si = s as usize;
        let (Some(list), Some(keys)) = (m.lists.get(si), m.keys.get(si)) else {
            continue;
        };
        // Propose down the list until held somewhere or out of choices.
        while let (Some(&v), Some(&key)) = (list.get(next[si] as usize), keys.get(next[si] as usize)) {
            let choice = next[si];
            next[si] += 1;
            proposals += 1;
            let vi = v as usize;
            let openings = m.openings.get(vi).copied().unwrap_or(0);
            if openings == 0 {
                continue;
            }
            let applicant = Held {
                seeker: s,
                key,
                id_rank: m.id_rank.get(si).copied().unwrap_or(u32::MAX),
                priority: m.priority.get(si).copied().unwrap_or(false),
            };
            let reserved = m.reserved.get(vi).copied().unwrap_or(0).min(openings);
            let Some(slot) = held.get_mut(vi) else { continue };
            if reserved == 0 && (slot.len() as u32) < openings {
                // Room: held (the list stays unordered until chosen from).
                slot.push(applicant);
                holds[si] = Some(choice);
                break;
            }
            if reserved == 0 {
                // Full, plain rule: displace the weakest if the applicant
                // ranks before it.
                let worst = (0..slot.len())
                    .reduce(|w, i| if slot[w].before(&slot[i]) { i } else { w })
                    .unwrap_or(0);
                if applicant.before(&slot[worst]) {
                    let out = std::mem::replace(&mut slot[worst], applicant);
                    holds[si] = Some(choice);
                    holds[out.seeker as usize] = None;
                    free.push_back(out.seeker);
                    break;
                }
                continue;
            }
            pool.clear();
            pool.extend_from_slice(slot);
            pool.push(applicant);
            let kept = choose(&mut pool, openings, reserved);
            let in_kept = |x: u32| kept.iter().any(|h| h.seeker == x);
            for h in slot.iter() {
                if !in_kept(h.seeker) {
                    holds[h.seeker as usize] = None;
                    free.push_back(h.seeker);
                }
            }
            let accepted = in_kept(s);
            *slot = kept;
            if accepted {
                holds[si] = Some(choice);
                break;
            }
        }
    }
    let admitted = held
        .into_iter()
        .map(|mut h| {
            h.sort_by(|a, b| {
                if a.before(b) {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            });
            h.into_iter().map(|x| x.seeker).collect()
        })
        .collect();
    Outcome {
        choice: holds,
        admitted,
        proposals,
    }
}

/// The pairs (seeker, vacancy) that block `outcome`: the seeker lists the
/// vacancy before what it got, and the vacancy's choice rule would take the
/// seeker from its admitted applicants and the seeker. Checked by brute
/// force over the given seekers' lists.
pub(crate) fn blocking_pairs(
    m: &Market,
    outcome: &Outcome,
    seekers: impl Iterator<Item = usize>,
) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for si in seekers {
        let (Some(list), Some(keys)) = (m.lists.get(si), m.keys.get(si)) else {
            continue;
        };
        let got = outcome
            .choice
            .get(si)
            .copied()
            .flatten()
            .map_or(list.len(), |c| c as usize);
        for (&v, &key) in list.iter().zip(keys).take(got) {
            let vi = v as usize;
            let openings = m.openings.get(vi).copied().unwrap_or(0);
            let reserved = m.reserved.get(vi).copied().unwrap_or(0).min(openings);
            let mut pool: Vec<Held> = outcome
                .admitted
                .get(vi)
                .into_iter()
                .flatten()
                .map(|&a| held_of(m, a, vi))
                .collect();
            pool.push(Held {
                seeker: si as u32,
                key,
                id_rank: m.id_rank.get(si).copied().unwrap_or(u32::MAX),
                priority: m.priority.get(si).copied().unwrap_or(false),
            });
            if choose(&mut pool, openings, reserved)
                .iter()
                .any(|h| h.seeker == si as u32)
            {
                out.push((si as u32, v));
            }
        }
    }
    out
}

/// How vacancy `vi` sees an admitted seeker `a`.
fn held_of(m: &Market, a: u32, vi: usize) -> Held {
    let ai = a as usize;
    let list = m.lists.get(ai).map(Vec::as_slice).unwrap_or_default();
    let pos = list.iter().position(|&x| x as usize == vi).unwrap_or(0);
    Held {
        seeker: a,
        key: m
            .keys
            .get(ai)
            .and_then(|k| k.get(pos))
            .copied()
            .unwrap_or(f64::NEG_INFINITY),
        id_rank: m.id_rank.get(ai).copied().unwrap_or(u32::MAX),
        priority: m.priority.get(ai).copied().unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn market(lists: Vec<Vec<u32>>, keys: Vec<Vec<f64>>, openings: Vec<u32>) -> Market {
        let n = lists.len();
        Market {
            lists,
            keys,
            id_rank: (0..n as u32).collect(),
            priority: vec![false; n],
            reserved: vec![0; openings.len()],
            openings,
        }
    }

    #[test]
    fn everyone_wants_one_vacancy_of_three_openings() {
        // Ten seekers all list vacancy 0 first (3 openings), then vacancy 1
        // (5 openings); vacancy 0 prefers higher keys.
        let lists = vec![vec![0, 1]; 10];
        let keys: Vec<Vec<f64>> = (0..10).map(|i| vec![f64::from(i) / 10.0, 0.5]).collect();
        let m = market(lists, keys, vec![3, 5]);
        let o = run(&m);
        assert_eq!(o.admitted[0], [9, 8, 7], "the three it ranks best");
        assert_eq!(o.admitted[1].len(), 5);
        let unplaced = o.choice.iter().filter(|c| c.is_none()).count();
        assert_eq!(unplaced, 2);
        assert!(blocking_pairs(&m, &o, 0..10).is_empty());
    }

    #[test]
    fn a_soft_reserve_admits_priority_seekers_first_and_gives_unused_seats_to_all() {
        // Vacancy 0: 2 openings, 1 reserved. Seekers 0..3 with keys 0.9,
        // 0.8, 0.7; only seeker 2 is in a priority group.
        let mut m = market(vec![vec![0]; 3], vec![vec![0.9], vec![0.8], vec![0.7]], vec![2]);
        m.priority[2] = true;
        m.reserved[0] = 1;
        let o = run(&m);
        assert_eq!(o.admitted[0], [0, 2]);
        // No priority applicant: the reserved seat goes to the next best.
        m.priority[2] = false;
        let o = run(&m);
        assert_eq!(o.admitted[0], [0, 1]);
    }

    /// Every assignment of seekers to their listed vacancies (or none)
    /// within the openings, for brute force on tiny markets.
    fn all_assignments(m: &Market) -> Vec<Vec<Option<u32>>> {
        let mut out = vec![vec![]];
        for list in &m.lists {
            let mut next = Vec::new();
            for partial in &out {
                for c in std::iter::once(None).chain((0..list.len() as u32).map(Some)) {
                    let mut p: Vec<Option<u32>> = partial.clone();
                    p.push(c);
                    next.push(p);
                }
            }
            out = next;
        }
        out.into_iter()
            .filter(|a| {
                let mut used = vec![0u32; m.openings.len()];
                for (s, c) in a.iter().enumerate() {
                    if let Some(c) = c {
                        used[m.lists[s][*c as usize] as usize] += 1;
                    }
                }
                used.iter().zip(&m.openings).all(|(u, o)| u <= o)
            })
            .collect()
    }

    fn outcome_of(m: &Market, choice: Vec<Option<u32>>) -> Outcome {
        let mut admitted = vec![Vec::new(); m.openings.len()];
        for (s, c) in choice.iter().enumerate() {
            if let Some(c) = c {
                admitted[m.lists[s][*c as usize] as usize].push(s as u32);
            }
        }
        Outcome {
            choice,
            admitted,
            proposals: 0,
        }
    }

    fn tiny_market() -> impl Strategy<Value = Market> {
        (1usize..=5, 1usize..=3).prop_flat_map(|(n, v)| {
            (
                proptest::collection::vec(
                    proptest::sample::subsequence((0..v as u32).collect::<Vec<_>>(), 0..=v),
                    n,
                ),
                proptest::collection::vec(proptest::collection::vec(0u8..4, v), n),
                proptest::collection::vec(1u32..=2, v),
                proptest::collection::vec(any::<bool>(), n),
                proptest::collection::vec(0u32..=1, v),
                Just(n),
            )
                .prop_perturb(|(lists, keys, openings, priority, reserved, n), mut rng| {
                    // Shuffle each list: preference order is arbitrary.
                    let lists: Vec<Vec<u32>> = lists
                        .into_iter()
                        .map(|mut l| {
                            for i in (1..l.len()).rev() {
                                let j = (rng.next_u32() as usize) % (i + 1);
                                l.swap(i, j);
                            }
                            l
                        })
                        .collect();
                    // A vacancy's key for a seeker is the seeker's, so it is
                    // the same whichever list holds it (coarse: ties happen).
                    let keys: Vec<Vec<f64>> = lists
                        .iter()
                        .enumerate()
                        .map(|(s, l)| l.iter().map(|&v| f64::from(keys[s][v as usize])).collect())
                        .collect();
                    let mut id_rank: Vec<u32> = (0..n as u32).collect();
                    for i in (1..n).rev() {
                        let j = (rng.next_u32() as usize) % (i + 1);
                        id_rank.swap(i, j);
                    }
                    Market {
                        lists,
                        keys,
                        id_rank,
                        priority,
                        reserved,
                        openings,
                    }
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Deferred acceptance is stable, within the openings, deterministic
        /// and, among all stable assignments (found by brute force), the one
        /// every seeker likes best.
        #[test]
        fn stable_capacitated_and_seeker_optimal(m in tiny_market()) {
            let o = run(&m);
            prop_assert_eq!(&o, &run(&m), "deterministic");
            for (v, a) in o.admitted.iter().enumerate() {
                prop_assert!(a.len() as u32 <= m.openings[v], "openings exceeded at {}", v);
            }
            prop_assert!(blocking_pairs(&m, &o, 0..m.lists.len()).is_empty());
            for candidate in all_assignments(&m) {
                let c = outcome_of(&m, candidate.clone());
                if !blocking_pairs(&m, &c, 0..m.lists.len()).is_empty() {
                    continue;
                }
                // `c` is stable: no seeker is better off in it.
                for (s, got) in candidate.iter().enumerate() {
                    let rank = |x: Option<u32>| x.unwrap_or(u32::MAX);
                    prop_assert!(
                        rank(o.choice[s]) <= rank(*got),
                        "seeker {} gets choice {:?} but a stable assignment gives {:?}", s, o.choice[s], got
                    );
                }
            }
        }
    }
}
