//! Ranking quality and market health against the generator's truth.

use std::collections::HashMap;

use jobmatch::taxonomy::OccupationCode;

use super::*;

/// Where each seeker's planted vacancy lands: recall@10 and MRR.
pub(super) fn planted_quality(market: &Market, results: &[MatchResult]) -> (f64, f64) {
    let mut hits = 0u64;
    let mut rr = 0.0;
    for (j, r) in results.iter().enumerate() {
        let planted = format!("v{}", market.planted_vacancy(j as u64));
        if let Some(pos) = r.matches.iter().position(|m| m.vacancy == planted) {
            if pos < 10 {
                hits += 1;
            }
            rr += 1.0 / (pos + 1) as f64;
        }
    }
    let n = results.len().max(1) as f64;
    (hits as f64 / n, rr / n)
}

/// Whether a seeker's top 10 are the right kind of job.
#[derive(Serialize, Debug, Clone, Copy, Default)]
pub struct Quality {
    /// Seekers measured.
    pub seekers: u64,
    /// Share of the top 10 of the seeker's true occupation.
    pub precision_at_10_occupation: f64,
    /// Share of the top 10 in its minor group.
    pub precision_at_10_minor_group: f64,
    /// nDCG@10, graded: same occupation 3, same minor group 2, same middle
    /// group 1, else 0; the ideal is ten of the seeker's own occupation.
    pub ndcg_at_10: f64,
}

/// Precision@10 and nDCG@10 of `results` (seeker `j`'s at `j`) against
/// the generator's true occupations (a seeker's is that of the vacancy it
/// was planted from). A slot left empty counts as wrong.
pub(super) fn kind_quality(market: &Market, results: &[MatchResult]) -> Quality {
    let discount = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let ideal: f64 = (0..10).map(|i| 3.0 * discount(i)).sum();
    let (mut occ, mut minor, mut ndcg) = (0.0, 0.0, 0.0);
    for (j, r) in results.iter().enumerate() {
        let truth = market.true_occupation(market.planted_vacancy(j as u64));
        let mut dcg = 0.0;
        for (i, m) in r.matches.iter().take(10).enumerate() {
            let Some(v) = m.vacancy.strip_prefix('v').and_then(|x| x.parse::<u64>().ok()) else {
                continue;
            };
            let code = market.true_occupation(v);
            let same = |level: usize| code.truncate(level) == truth.truncate(level);
            let grade = [same(4), same(3), same(2)]
                .iter()
                .position(|&x| x)
                .map_or(0.0, |p| 3.0 - p as f64);
            occ += f64::from(u8::from(same(4))) / 10.0;
            minor += f64::from(u8::from(same(3))) / 10.0;
            dcg += grade * discount(i);
        }
        ndcg += dcg / ideal;
    }
    let n = results.len().max(1) as f64;
    Quality {
        seekers: results.len() as u64,
        precision_at_10_occupation: occ / n,
        precision_at_10_minor_group: minor / n,
        ndcg_at_10: ndcg / n,
    }
}

/// The most precision@10 the market allows each seeker: the share of 10
/// that open vacancies of the seeker's true occupation (minor group) in its
/// reach could fill, by the generator's records (remote, within the
/// commute, or where the seeker would move), averaged over the seekers. A
/// seeker with three welders' vacancies in reach can have at most three
/// in its top 10, however good the ranking.
#[derive(Serialize, Debug, Clone, Copy, Default)]
pub struct Ceiling {
    /// At the occupation.
    pub occupation: f64,
    /// At the minor group.
    pub minor_group: f64,
}

/// The [`Ceiling`] of `seekers` (seeker `j` is the market's `j`th) among
/// the market's first `vacancies`, open on `today`.
pub(super) fn kind_ceiling(
    market: &Market,
    seekers: &[Seeker],
    vacancies: u64,
    today: jobmatch::Date,
) -> Ceiling {
    // The open vacancies of each minor group: (occupation, position,
    // region, remote).
    type Open = (OccupationCode, jobmatch::Coordinates, jobmatch::RegionCode, bool);
    let open: Vec<Open> = (0..vacancies)
        .into_par_iter()
        .filter_map(|i| {
            let v = market.vacancy(i);
            (!v.is_expired(today) && v.posted.is_none_or(|p| p <= today))
                .then(|| (market.true_occupation(i), v.position(), v.region, v.remote))
        })
        .collect();
    let mut by_minor: HashMap<u32, Vec<&Open>> = HashMap::new();
    for o in &open {
        by_minor.entry(o.0.truncate(3)).or_default().push(o);
    }
    let (occ, minor) = seekers
        .par_iter()
        .enumerate()
        .map(|(j, s)| {
            let truth = market.true_occupation(market.planted_vacancy(j as u64));
            let home = s.position();
            let (mut n_occ, mut n_minor) = (0usize, 0usize);
            for &&(code, position, region, remote) in by_minor.get(&truth.truncate(3)).into_iter().flatten() {
                let km = home.distance_km(position);
                if remote || km <= s.commute_km + 1e-6 || s.mobility.would_move_to(region, km) {
                    n_minor += 1;
                    n_occ += usize::from(code == truth);
                }
            }
            (n_occ.min(10) as f64 / 10.0, n_minor.min(10) as f64 / 10.0)
        })
        .reduce(|| (0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    let n = seekers.len().max(1) as f64;
    Ceiling {
        occupation: occ / n,
        minor_group: minor / n,
    }
}

/// The same seekers giving only their skills (no title, no code), ranked
/// again, and their quality: what a seeker who lists only skills gets.
pub(super) fn skills_only_quality(
    market: &Market,
    matcher: &Matcher,
    seekers: &[Seeker],
    top: usize,
) -> Result<Quality> {
    let stripped: Vec<Seeker> = seekers
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.titles.clear();
            s.occupations.clear();
            s
        })
        .collect();
    let results = matcher
        .match_batch(&stripped, top.max(10), false)
        .into_iter()
        .collect::<Result<Vec<_>>>()?;
    Ok(kind_quality(market, &results))
}

/// How the recommendations spread over the market.
pub(super) struct Health {
    /// Share of slots taken by the most recommended 1% of vacancies.
    pub(super) top1pct_share: f64,
    /// Share of vacancies never recommended.
    pub(super) orphan_share: f64,
    /// Share of recommendations across the provincial border.
    pub(super) cross_border_share: f64,
}

pub(super) fn market_health(
    market: &Market,
    seekers: &[Seeker],
    results: &[MatchResult],
    vacancies: u64,
) -> Health {
    let mut slots: std::collections::HashMap<&str, u64> = Default::default();
    let mut cross = 0u64;
    let mut total_slots = 0u64;
    for (s, r) in seekers.iter().zip(results) {
        for m in &r.matches {
            *slots.entry(m.vacancy.as_str()).or_default() += 1;
            total_slots += 1;
            let vid: u64 = m.vacancy.trim_start_matches('v').parse().unwrap_or(0);
            if market.vacancy(vid).region.get() / 10_000 != s.region.get() / 10_000 {
                cross += 1;
            }
        }
    }
    let mut counts: Vec<u64> = slots.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top1 = ((vacancies as f64) * 0.01).ceil() as usize;
    Health {
        top1pct_share: counts.iter().take(top1).sum::<u64>() as f64 / total_slots.max(1) as f64,
        orphan_share: 1.0 - slots.len() as f64 / vacancies.max(1) as f64,
        cross_border_share: cross as f64 / total_slots.max(1) as f64,
    }
}
