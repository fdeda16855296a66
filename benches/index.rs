//! Index build: 100k vacancies, bulk-loaded in RAM.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn build(c: &mut Criterion) {
    let market = common::market(100_000);
    let vacancies: Vec<_> = (0..100_000).map(|i| market.vacancy(i)).collect();
    let mut g = c.benchmark_group("index build");
    g.throughput(Throughput::Elements(vacancies.len() as u64));
    g.sample_size(10);
    g.bench_function("100k vacancies in RAM", |b| {
        b.iter(|| {
            let index = jobmatch::index::VacancyIndex::create_in_ram().expect("index");
            index
                .bulk_load(vacancies.iter().cloned().map(Ok), Default::default())
                .expect("load")
        })
    });
    g.finish();
}

// No HTML plots: the CLI's plotters build draws text with fonts it loads
// itself, and criterion's plots would find none.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = build
}
criterion_main!(benches);
