//! JSON Lines: parsing vacancies and seekers, generating a market.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jobmatch::io::JsonLines;
use jobmatch::{Seeker, Vacancy};

fn parse(c: &mut Criterion) {
    let market = common::market(20_000);
    let mut vacancies = Vec::new();
    market.write_vacancies(&mut vacancies, |_| {}).expect("write");
    let mut seekers = Vec::new();
    market.write_seekers(&mut seekers, |_| {}).expect("write");
    let mut g = c.benchmark_group("json lines");
    g.throughput(Throughput::Bytes(vacancies.len() as u64));
    g.bench_function("parse 20k vacancies", |b| {
        b.iter(|| {
            JsonLines::<_, Vacancy>::new(&vacancies[..])
                .filter(Result::is_ok)
                .count()
        })
    });
    g.throughput(Throughput::Bytes(seekers.len() as u64));
    g.bench_function("parse 1k seekers", |b| {
        b.iter(|| {
            JsonLines::<_, Seeker>::new(&seekers[..])
                .filter(Result::is_ok)
                .count()
        })
    });
    g.throughput(Throughput::Elements(20_000));
    g.bench_function("generate and write 20k vacancies", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(vacancies.len());
            market.write_vacancies(&mut out, |_| {}).expect("write")
        })
    });
    g.finish();
}

fn classify(c: &mut Criterion) {
    let titles = [
        "枝江市源福航不锈招聘焊工",
        "Java开发工程师（五险一金）",
        "电商运营专员",
        "CNC操机师傅",
        "普工",
    ];
    let mut g = c.benchmark_group("title coder");
    g.throughput(Throughput::Elements(titles.len() as u64));
    jobmatch::taxonomy::classify("预热", 1);
    g.bench_function("classify 5 titles", |b| {
        b.iter(|| {
            titles
                .iter()
                .map(|t| jobmatch::taxonomy::classify(t, 5).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

// No HTML plots: the CLI's plotters build draws text with fonts it loads
// itself, and criterion's plots would find none.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = parse, classify
}
criterion_main!(benches);
