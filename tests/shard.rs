//! Sharded markets: the shards read as one rank exactly as one index of the
//! same vacancies and as the exhaustive scan, whatever the split.

use jobmatch::Vacancy;
use jobmatch::index::{LoadOptions, VacancyIndex};
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::{MatchResult, Matcher};
use jobmatch::shard::{MANIFEST_FILE, ShardSet, Sharding};
use proptest::prelude::*;

use crate::ranking::{config_strategy, today};

fn ranked(r: &MatchResult) -> Vec<(String, u64)> {
    r.matches
        .iter()
        .map(|m| (m.vacancy.clone(), m.score.to_bits()))
        .collect()
}

/// The market's vacancies, every 7th stripped of its code and retitled so
/// that its occupation must be inferred from its skills.
fn vacancies(market: &Market, n: u64) -> Vec<Vacancy> {
    (0..n)
        .map(|i| {
            let mut v = market.vacancy(i);
            if i % 7 == 3 {
                v.occupation = None;
                v.title = "储备干部".into();
            }
            v
        })
        .collect()
}

fn sharding() -> impl Strategy<Value = Sharding> {
    prop_oneof![
        Just(Sharding::Province),
        Just(Sharding::Prefecture),
        (1u32..5).prop_map(Sharding::Hash),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn sharded_equals_one_index_and_the_exhaustive_scan(
        seed in any::<u64>(),
        n in 30u64..400,
        sharding in sharding(),
        config in config_strategy(),
        k in prop_oneof![Just(1usize), Just(10), Just(500)],
    ) {
        let market = Market::new(MarketConfig { vacancies: n, seekers: 12, seed, ..Default::default() });
        let all = vacancies(&market, n);
        let one = VacancyIndex::create_in_ram().unwrap().with_threads(1);
        one.bulk_load(all.iter().cloned().map(Ok), LoadOptions::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (set, summary) =
            ShardSet::build(dir.path(), sharding, all.iter().cloned().map(Ok), Default::default()).unwrap();
        prop_assert_eq!(summary.indexed, n);
        let single = Matcher::new(one.snapshot().unwrap(), config.clone(), today()).unwrap();
        let sharded = Matcher::new(set.snapshot().unwrap(), config, today()).unwrap();
        for j in 0..12 {
            let mut seeker = market.seeker(j);
            if j % 4 == 1 {
                seeker.mobility.relocate = true;
            }
            let a = single.match_one(&seeker, k).unwrap();
            let b = sharded.match_one(&seeker, k).unwrap();
            let c = sharded.match_exhaustive(&seeker, k).unwrap();
            prop_assert_eq!(ranked(&a), ranked(&b), "seeker {} ({})", j, sharding);
            prop_assert_eq!(ranked(&b), ranked(&c), "seeker {} ({})", j, sharding);
            // Explained alike: the seeker's inferred occupation, the
            // vacancy's (inferred with the whole market's model), every signal.
            if let Some(first) = a.matches.first() {
                let x = single.explain(&seeker, &first.vacancy).unwrap();
                let y = sharded.explain(&seeker, &first.vacancy).unwrap();
                prop_assert_eq!(x, y);
            }
        }
    }
}

/// A province split of a two-province market: two shards, a manifest that
/// says so, vacancies' occupations inferred with the whole market's model,
/// and a seeker who stays home reaching only their own province's shard.
#[test]
fn a_province_split_has_a_manifest_and_fans_out_by_reach() {
    let market = Market::new(MarketConfig {
        vacancies: 3_000,
        seekers: 50,
        seed: 5,
        ..Default::default()
    });
    let all = vacancies(&market, 3_000);
    let dir = tempfile::tempdir().unwrap();
    let (set, summary) = ShardSet::build(
        dir.path(),
        Sharding::Province,
        all.iter().cloned().map(Ok),
        Default::default(),
    )
    .unwrap();
    assert!(summary.inferred > 0, "{summary:?}");
    let names: Vec<&str> = set.manifest().shards.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["50", "51", "remote"]);
    assert_eq!(
        set.manifest().shards.iter().map(|s| s.vacancies).sum::<u64>(),
        3_000
    );
    assert_eq!(set.manifest().statistics.documents, 3_000);
    assert!(set.manifest().statistics.skills.contains_key("焊接"));

    // The same statistics as one index of the same vacancies.
    let one = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    one.bulk_load(all.iter().cloned().map(Ok), LoadOptions::default())
        .unwrap();
    let single = jobmatch::shard::Statistics::of(&one.snapshot().unwrap()).unwrap();
    assert_eq!(single, set.manifest().statistics);

    // A seeker in 九龙坡 (Chongqing) with a 20 km commute and no wish to
    // move reaches the Chongqing shard and the remote jobs, not Sichuan.
    let mut stayer = jobmatch::Seeker::new("s", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
    stayer.commute_km = 20.0;
    assert_eq!(set.reachable(&stayer).unwrap(), ["50", "remote"]);
    let mut mover = stayer.clone();
    mover.mobility.relocate = true;
    assert_eq!(set.reachable(&mover).unwrap(), ["50", "51", "remote"]);

    // Reopened: the same set; a changed shard is refused.
    drop(set);
    let set = ShardSet::open(dir.path()).unwrap();
    assert_eq!(set.snapshot().unwrap().num_vacancies(), 3_000);
    drop(set);
    let shard = VacancyIndex::open(dir.path().join("51")).unwrap();
    shard.upsert(&market.vacancy(3_000)).unwrap();
    shard.commit().unwrap();
    shard.close_writer().unwrap();
    drop(shard);
    let err = ShardSet::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("manifest"), "{err}");
}

/// Bad input: a bad record stops the build with its line and leaves no
/// manifest; a bad sharding name is a clear error; opening a directory
/// without a manifest says so.
#[test]
fn sharded_builds_report_bad_input() {
    let err = "county".parse::<Sharding>().unwrap_err().to_string();
    assert!(err.contains("province, prefecture or hash:N"), "{err}");
    assert_eq!("hash:8".parse::<Sharding>().unwrap(), Sharding::Hash(8));
    assert!("hash:0".parse::<Sharding>().is_err());

    let market = Market::new(MarketConfig {
        vacancies: 200,
        seekers: 2,
        seed: 1,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let records = (0..200).map(|i| {
        if i == 150 {
            Err(jobmatch::Error::Parse {
                line: 151,
                field: "salary_min".into(),
                reason: "negative".into(),
            })
        } else {
            Ok(market.vacancy(i))
        }
    });
    let err = ShardSet::build(dir.path(), Sharding::Province, records, Default::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 151"), "{err}");
    assert!(!dir.path().join(MANIFEST_FILE).exists());
    let err = ShardSet::open(dir.path()).unwrap_err();
    assert!(matches!(err, jobmatch::Error::IndexMissing { .. }), "{err}");
}
