//! A seeker with several trades sees each of them.
//!
//! A welder who also cooks (given both occupations, titles of both, or
//! skills from which both are inferred) is ranked by one score, and one
//! trade's vacancies can outscore the other's all the way down the list:
//! the cook's vacancies ask for fewer skills, so the one skill held covers
//! more of them. A caseworker wants both in front of the seeker. So, as
//! search engines diversify a result list by source or category, the top
//! k reserves for each of the seeker's trades (distinct CSCO minor groups
//! among the seeker's occupations) `k / (trades + 1)` places, filled by
//! that trade's best vacancies among the exact top `POOL × k`; the other
//! places go by score, and the list is shown in score order. Both ranking
//! paths, the pruned search and the exhaustive scan, pick from their own
//! exact pool the same way, so they still agree.
//! [`crate::rank::RankingConfig::share_by_trade`] turns it off.

/// The pool the places are filled from, as a multiple of k.
pub(crate) const POOL: usize = 10;

/// The minor group of a packed occupation code (0 when unknown).
#[inline]
pub(crate) fn group(packed: u32) -> u32 {
    packed / 100
}

/// The trade of a doc of a snapshot's `segments` (0 when unknown).
#[inline]
pub(crate) fn of_doc(
    segments: &[std::sync::Arc<crate::index::SegmentColumns>],
    segment: u32,
    doc: u32,
) -> u32 {
    segments
        .get(segment as usize)
        .and_then(|c| c.occupation.get(doc as usize))
        .map_or(0, |&o| group(o))
}

/// The distinct trades (minor groups) of a seeker's packed occupations,
/// in order.
pub(crate) fn of(occupations: &[u32]) -> Vec<u32> {
    let mut trades: Vec<u32> = Vec::new();
    for &o in occupations {
        let g = group(o);
        if g != 0 && !trades.contains(&g) {
            trades.push(g);
        }
    }
    trades
}

/// How many places each trade is sure of in a list of `k`.
#[inline]
pub(crate) fn places(k: usize, trades: usize) -> usize {
    k / (trades + 1)
}

/// Picks `k` of `pool` (best first): for each trade, its best
/// [`places`] entries (or all it has), then the best of the rest; in the
/// pool's order. `trade_of` gives an entry's minor group.
pub(crate) fn share<T>(pool: Vec<T>, k: usize, trades: &[u32], trade_of: impl Fn(&T) -> u32) -> Vec<T> {
    if pool.len() <= k || trades.len() < 2 {
        return pool.into_iter().take(k).collect();
    }
    let reserved = places(k, trades.len());
    let mut chosen = vec![false; pool.len()];
    let mut taken = 0;
    for &t in trades {
        let mut left = reserved;
        for (e, c) in pool.iter().zip(chosen.iter_mut()) {
            if left == 0 {
                break;
            }
            if !*c && trade_of(e) == t {
                *c = true;
                left -= 1;
                taken += 1;
            }
        }
    }
    for c in chosen.iter_mut() {
        if taken >= k {
            break;
        }
        if !*c {
            *c = true;
            taken += 1;
        }
    }
    pool.into_iter()
        .zip(chosen)
        .filter_map(|(e, c)| c.then_some(e))
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn each_trade_gets_its_places_and_the_rest_go_by_score() {
        // Scores fall with the index; trade 1 holds the first 30, trade 2
        // the next 30.
        let pool: Vec<(usize, u32)> = (0..60).map(|i| (i, if i < 30 { 1 } else { 2 })).collect();
        let picked = share(pool, 10, &[1, 2], |e| e.1);
        let ids: Vec<usize> = picked.iter().map(|e| e.0).collect();
        assert_eq!(ids, vec![0, 1, 2, 3, 4, 5, 6, 30, 31, 32]);
    }

    #[test]
    fn one_trade_or_a_short_pool_is_plain_top_k() {
        let pool: Vec<(usize, u32)> = (0..20).map(|i| (i, 1 + (i as u32 % 2))).collect();
        let one = share(pool.clone(), 5, &[1], |e| e.1);
        assert_eq!(one.iter().map(|e| e.0).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
        let short = share(pool[..4].to_vec(), 5, &[1, 2], |e| e.1);
        assert_eq!(short.len(), 4);
    }

    proptest! {
        /// Whatever the pool: k entries (or the whole pool), in the pool's
        /// order, each trade at least its places (or all it has), and every
        /// entry left out is below every entry taken for score alone.
        #[test]
        fn a_share_is_k_entries_in_order_with_each_trades_places(
            groups in proptest::collection::vec(0u32..4, 0..80),
            k in 1usize..25,
            trades in proptest::collection::vec(1u32..4, 0..4),
        ) {
            let mut trades = trades;
            trades.sort_unstable();
            trades.dedup();
            let pool: Vec<(usize, u32)> = groups.iter().copied().enumerate().collect();
            let picked = share(pool.clone(), k, &trades, |e| e.1);
            prop_assert_eq!(picked.len(), k.min(pool.len()));
            prop_assert!(picked.windows(2).all(|w| w[0].0 < w[1].0));
            if trades.len() >= 2 && pool.len() > k {
                for &t in &trades {
                    let has = pool.iter().filter(|e| e.1 == t).count();
                    let got = picked.iter().filter(|e| e.1 == t).count();
                    prop_assert!(got >= has.min(places(k, trades.len())), "trade {t}: {got} of {has}");
                }
            }
        }
    }
}
