//! Shared set-up for the criterion benches: seeded markets and indexes.

#![allow(dead_code)]

use jobmatch::index::VacancyIndex;
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;

/// A market of `n` vacancies (seed 2021) and its seekers.
pub fn market(n: u64) -> Market {
    Market::new(MarketConfig {
        vacancies: n,
        seekers: 1_000,
        seed: 2021,
        ..Default::default()
    })
}

/// An index of the market in RAM (bulk-loaded, as `jobmatch index` does).
pub fn index(market: &Market) -> VacancyIndex {
    let index = VacancyIndex::create_in_ram().expect("an index in RAM");
    let n = market.config().vacancies;
    index
        .bulk_load((0..n).map(|i| Ok(market.vacancy(i))), Default::default())
        .expect("bulk load");
    index
}

/// A matcher over the index, as of the market's date.
pub fn matcher(index: &VacancyIndex, market: &Market) -> Matcher {
    Matcher::new(
        index.snapshot().expect("snapshot"),
        RankingConfig::default(),
        market.config().today,
    )
    .expect("matcher")
}
