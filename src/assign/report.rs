//! What an assignment did to the market, in the figures employment services
//! publish: placements and filled openings by industry, by province and
//! prefecture, the cross-border flows, and the graduates who crossed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Assignment, Preferences};
use crate::index::Snapshot;
use crate::model::{Industry, PriorityGroup, Seeker};

/// Placements and filled openings by where and what.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct MarketOutcome {
    /// Seekers.
    pub seekers: u64,
    /// Seekers placed (= openings filled).
    pub placed: u64,
    /// Openings of every live vacancy of the snapshot.
    pub openings: u64,
    /// Filled openings by GB/T 4754 section (`C`, `O`, …; `-` when the
    /// vacancy gives none): count and share of all filled.
    pub by_industry: BTreeMap<String, Share>,
    /// Placements by the province of the vacancy (2-digit code).
    pub by_province: BTreeMap<String, u64>,
    /// Placements from the seeker's home province to the vacancy's
    /// (`"51→50"`): sums to `placed`.
    pub flows: BTreeMap<String, u64>,
    /// The same by prefecture (4-digit codes), where they differ.
    pub prefecture_flows: BTreeMap<String, u64>,
    /// Graduates placed across the provincial border.
    pub graduate_cross_region: GraduateFlows,
}

/// A count and its share.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Share {
    /// The count.
    pub count: u64,
    /// Its share of the total, in [0, 1].
    pub share: f64,
}

/// Placed graduates working in the other province, as shares of the placed
/// graduates from each (the published class-of-2020 figures are 3.12%
/// Sichuan → Chongqing and 8.06% Chongqing → Sichuan).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct GraduateFlows {
    /// Share of placed Sichuan (51) graduates placed in Chongqing (50).
    pub sc_to_cq: f64,
    /// Share of placed Chongqing graduates placed in Sichuan.
    pub cq_to_sc: f64,
    /// Placed graduates from Sichuan.
    pub sc_placed: u64,
    /// Placed graduates from Chongqing.
    pub cq_placed: u64,
}

impl MarketOutcome {
    /// The figures of an assignment made from `prefs` (or a truncation or
    /// reordering of them) of `seekers` (in the order ranked) on
    /// `snapshot`.
    pub fn of(
        assignment: &Assignment,
        prefs: &Preferences,
        snapshot: &Snapshot,
        seekers: &[Seeker],
    ) -> MarketOutcome {
        let gaz = snapshot.reference().gazetteer();
        let index: std::collections::HashMap<&str, usize> = prefs
            .vacancy_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut out = MarketOutcome {
            seekers: seekers.len() as u64,
            openings: snapshot
                .segments()
                .iter()
                .map(|c| c.headcount.iter().map(|&h| u64::from(h)).sum::<u64>())
                .sum(),
            ..MarketOutcome::default()
        };
        let (mut sc, mut cq) = ((0u64, 0u64), (0u64, 0u64));
        for (p, s) in assignment.placements.iter().zip(seekers) {
            let Some(v) = p.vacancy.as_deref() else { continue };
            let Some(&(seg, doc)) = index.get(v).and_then(|&i| prefs.docs.get(i)) else {
                continue;
            };
            let Some(cols) = snapshot.segments().get(seg as usize) else {
                continue;
            };
            let d = doc as usize;
            out.placed += 1;
            let industry = cols
                .industry
                .get(d)
                .and_then(|&i| Industry::from_index(usize::from(i)))
                .map_or_else(|| "-".to_owned(), |i| i.letter().to_string());
            out.by_industry.entry(industry).or_default().count += 1;
            let Some(to) = cols
                .region
                .get(d)
                .and_then(|&r| gaz.by_dense(r))
                .map(|r| r.code.get())
            else {
                continue;
            };
            let from = s.region.get();
            *out.by_province.entry(format!("{}", to / 10_000)).or_default() += 1;
            *out.flows
                .entry(format!("{}→{}", from / 10_000, to / 10_000))
                .or_default() += 1;
            if from / 100 != to / 100 {
                *out.prefecture_flows
                    .entry(format!("{}→{}", from / 100, to / 100))
                    .or_default() += 1;
            }
            if s.groups.contains(&PriorityGroup::Graduate) {
                match from / 10_000 {
                    51 => sc = (sc.0 + 1, sc.1 + u64::from(to / 10_000 == 50)),
                    50 => cq = (cq.0 + 1, cq.1 + u64::from(to / 10_000 == 51)),
                    _ => {}
                }
            }
        }
        for v in out.by_industry.values_mut() {
            v.share = v.count as f64 / out.placed.max(1) as f64;
        }
        out.graduate_cross_region = GraduateFlows {
            sc_to_cq: sc.1 as f64 / sc.0.max(1) as f64,
            cq_to_sc: cq.1 as f64 / cq.0.max(1) as f64,
            sc_placed: sc.0,
            cq_placed: cq.0,
        };
        out
    }
}
