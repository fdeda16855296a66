//! Market figures from an index: demand by industry, region and occupation
//! group, openings, and supply–demand ratios against a set of seekers.

// Indexing here cannot panic: doc ids run below `max_doc`, the length of
// every column, and tallies are indexed by the positions they were built for.
#![allow(clippy::indexing_slicing)]

use std::collections::BTreeMap;

use serde::Serialize;

use crate::index::Snapshot;
use crate::index::columns::NONE_U8;
use crate::model::{Industry, Seeker};
use crate::taxonomy::OccupationCode;

/// Vacancies and openings of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Count {
    /// Vacancies.
    pub vacancies: u64,
    /// Openings (sum of headcounts).
    pub openings: u64,
    /// Seekers whose home is in the group (with seekers given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seekers: Option<u64>,
    /// Openings per seeker (with seekers given, when there are any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openings_per_seeker: Option<f64>,
}

impl Count {
    fn add(&mut self, openings: u64) {
        self.vacancies += 1;
        self.openings += openings;
    }

    fn ratio(&mut self, seekers: u64) {
        self.seekers = Some(seekers);
        self.openings_per_seeker = (seekers > 0).then(|| self.openings as f64 / seekers as f64);
    }
}

/// Figures of a market.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MarketStats {
    /// All vacancies.
    pub total: Count,
    /// Remote vacancies.
    pub remote: u64,
    /// By GB/T 4754 section letter (`-` when not given).
    pub by_industry: BTreeMap<String, Count>,
    /// By province code.
    pub by_province: BTreeMap<String, Count>,
    /// By prefecture code.
    pub by_prefecture: BTreeMap<String, Count>,
    /// By county-level code.
    pub by_district: BTreeMap<String, Count>,
    /// By CSCO major group (`1`..`8`, `-` when uncoded).
    pub by_major_group: BTreeMap<String, Count>,
    /// By CSCO middle group (`6-18`, …).
    pub by_middle_group: BTreeMap<String, Count>,
}

impl MarketStats {
    /// Counts the live vacancies of a snapshot.
    pub fn of(snapshot: &Snapshot) -> MarketStats {
        let gaz = snapshot.reference().gazetteer();
        let mut st = MarketStats::default();
        for (seg, cols) in snapshot.segment_readers().iter().zip(snapshot.segments()) {
            for doc in 0..cols.max_doc {
                if seg.is_deleted(doc) {
                    continue;
                }
                let d = doc as usize;
                let openings = u64::from(cols.headcount[d]);
                st.total.add(openings);
                if doc < cols.remote_end {
                    st.remote += 1;
                }
                let industry = Industry::from_index(usize::from(cols.industry[d]))
                    .filter(|_| cols.industry[d] != NONE_U8)
                    .map_or("-".to_owned(), |i| i.to_string());
                st.by_industry.entry(industry).or_default().add(openings);
                if let Some(r) = gaz.by_dense(cols.region[d]) {
                    st.by_province
                        .entry(r.province.to_string())
                        .or_default()
                        .add(openings);
                    st.by_prefecture
                        .entry(r.prefecture.to_string())
                        .or_default()
                        .add(openings);
                    st.by_district
                        .entry(r.code.to_string())
                        .or_default()
                        .add(openings);
                }
                match OccupationCode::from_packed(cols.occupation[d]) {
                    Some(code) => {
                        let [major, middle, ..] = code.parts();
                        st.by_major_group
                            .entry(major.to_string())
                            .or_default()
                            .add(openings);
                        st.by_middle_group
                            .entry(format!("{major}-{middle:02}"))
                            .or_default()
                            .add(openings);
                    }
                    None => st.by_major_group.entry("-".to_owned()).or_default().add(openings),
                }
            }
        }
        st
    }

    /// Adds seekers' homes and the openings per seeker of each region.
    pub fn with_seekers<'a>(mut self, seekers: impl IntoIterator<Item = &'a Seeker>) -> MarketStats {
        // Seekers per district, prefecture and province of their home.
        let mut homes: [BTreeMap<String, u64>; 3] = Default::default();
        let mut total = 0;
        for s in seekers {
            let r = s.region.region();
            total += 1;
            for (map, key) in homes.iter_mut().zip([r.code, r.prefecture, r.province]) {
                *map.entry(key.to_string()).or_default() += 1;
            }
        }
        let maps = [
            &mut self.by_district,
            &mut self.by_prefecture,
            &mut self.by_province,
        ];
        for (map, homes) in maps.into_iter().zip(&homes) {
            for code in homes.keys() {
                map.entry(code.clone()).or_default();
            }
            for (code, c) in map.iter_mut() {
                c.ratio(homes.get(code).copied().unwrap_or(0));
            }
        }
        self.total.ratio(total);
        self
    }
}
