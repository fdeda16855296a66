//! Ranking: one candidate, one seeker against growing markets, batches;
//! career guidance for one seeker.

mod common;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn score_one_candidate(c: &mut Criterion) {
    let market = common::market(10_000);
    let index = common::index(&market);
    let matcher = common::matcher(&index, &market);
    let seeker = market.seeker(0);
    let vacancy = format!("v{}", market.planted_vacancy(0));
    let mut g = c.benchmark_group("score");
    g.throughput(Throughput::Elements(1));
    // `explain` finds the vacancy, reads its postings and scores it.
    g.bench_function("explain one pair", |b| {
        b.iter(|| matcher.explain(&seeker, &vacancy).expect("explain"))
    });
    g.finish();
}

fn rank_one_seeker(c: &mut Criterion) {
    let mut g = c.benchmark_group("rank one seeker, top 20");
    g.throughput(Throughput::Elements(1));
    g.measurement_time(Duration::from_secs(5));
    // Set JOBMATCH_BENCH_1M=1 to add the 1M market (its build takes ~30 s).
    let mut sizes = vec![10_000u64, 100_000];
    if std::env::var_os("JOBMATCH_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    for n in sizes {
        let market = common::market(n);
        let index = common::index(&market);
        let matcher = common::matcher(&index, &market);
        let seekers: Vec<_> = (0..200).map(|j| market.seeker(j)).collect();
        let mut j = 0;
        g.bench_with_input(BenchmarkId::new("indexed", n), &n, |b, _| {
            b.iter(|| {
                j = (j + 1) % seekers.len();
                matcher.match_one(&seekers[j], 20).expect("match")
            })
        });
        if n <= 100_000 {
            g.bench_with_input(BenchmarkId::new("exhaustive", n), &n, |b, _| {
                b.iter(|| {
                    j = (j + 1) % seekers.len();
                    matcher.match_exhaustive(&seekers[j], 20).expect("match")
                })
            });
        }
    }
    g.finish();
}

fn batch_throughput(c: &mut Criterion) {
    let market = common::market(100_000);
    let index = common::index(&market);
    let matcher = common::matcher(&index, &market);
    let seekers: Vec<_> = (0..500).map(|j| market.seeker(j)).collect();
    let mut g = c.benchmark_group("batch of 500 seekers, 100k market");
    g.throughput(Throughput::Elements(seekers.len() as u64));
    g.sample_size(10);
    for threads in [1, std::thread::available_parallelism().map_or(1, |n| n.get())] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        g.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| pool.install(|| matcher.match_batch(&seekers, 20, false)))
        });
    }
    g.finish();
}

fn guidance_one_seeker(c: &mut Criterion) {
    let market = common::market(100_000);
    let index = common::index(&market);
    let matcher = common::matcher(&index, &market);
    let guide = jobmatch::guidance::Guide::new(&matcher, Default::default()).expect("guide");
    let seekers: Vec<_> = (0..200).map(|j| market.seeker(j)).collect();
    let mut g = c.benchmark_group("guidance, top 5 skills, 100k market");
    g.throughput(Throughput::Elements(1));
    g.measurement_time(Duration::from_secs(5));
    let mut j = 0;
    g.bench_function("searched", |b| {
        b.iter(|| {
            j = (j + 1) % seekers.len();
            guide.seeker(&seekers[j], 5).expect("guidance")
        })
    });
    g.finish();
}

// No HTML plots: the CLI's plotters build draws text with fonts it loads
// itself, and criterion's plots would find none.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = score_one_candidate, rank_one_seeker, batch_throughput, guidance_one_seeker
}
criterion_main!(benches);
