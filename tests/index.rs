//! The index: Chinese text, updates, persistence, locking, retrieval.

use std::collections::HashMap;

use jobmatch::index::{LoadOptions, OnError, VacancyIndex};
use jobmatch::io::JsonLines;
use jobmatch::market::{Market, MarketConfig};
use jobmatch::retrieve::candidates;
use jobmatch::{Date, Error, Seeker, Vacancy};
use proptest::prelude::*;

fn vacancy(id: &str, title: &str, skills: &[&str], region: &str) -> Vacancy {
    let mut v = Vacancy::new(id, title, region.parse().unwrap()).unwrap();
    v.skills = skills.iter().map(|s| s.to_string()).collect();
    v
}

fn today() -> Date {
    Date::new(2021, 3, 31).unwrap()
}

/// Ids of the vacancies a seeker with these titles retrieves (reach: all).
fn titles_find(index: &VacancyIndex, titles: &[&str]) -> Vec<String> {
    let mut s = Seeker::new("q", vec![], "510104".parse().unwrap()).unwrap();
    s.titles = titles.iter().map(|t| t.to_string()).collect();
    s.mobility.relocate = true;
    candidates(&index.snapshot().unwrap(), &s, today())
        .unwrap()
        .into_iter()
        .map(|c| c.vacancy)
        .collect()
}

#[test]
fn chinese_titles_are_found_by_their_words_with_width_and_case_folded() {
    let index = VacancyIndex::create_in_ram().unwrap();
    index
        .upsert(&vacancy("v1", "数控车床操作工", &[], "510104"))
        .unwrap();
    index
        .upsert(&vacancy("v2", "ＣＮＣ操机师傅", &[], "510104"))
        .unwrap();
    index.upsert(&vacancy("v3", "会计", &[], "510104")).unwrap();
    index.commit().unwrap();
    assert_eq!(titles_find(&index, &["数控"]), ["v1"]);
    assert_eq!(titles_find(&index, &["车床"]), ["v1"]);
    assert_eq!(titles_find(&index, &["cnc"]), ["v2"]);
    assert_eq!(titles_find(&index, &["CNC"]), ["v2"]);
}

#[test]
fn skills_are_exact_canonical_terms() {
    let index = VacancyIndex::create_in_ram().unwrap();
    index
        .upsert(&vacancy("v1", "操机", &["ＣＮＣ"], "510104"))
        .unwrap();
    index.upsert(&vacancy("v2", "焊工", &["电焊"], "510104")).unwrap();
    index.commit().unwrap();
    let find = |skill: &str| {
        let mut s = Seeker::new("q", vec![skill.into()], "510104".parse().unwrap()).unwrap();
        s.commute_km = 10.0;
        candidates(&index.snapshot().unwrap(), &s, today())
            .unwrap()
            .into_iter()
            .map(|c| c.vacancy)
            .collect::<Vec<_>>()
    };
    assert_eq!(find("数控"), ["v1"], "CNC is an alias of 数控");
    assert_eq!(find("焊接"), ["v2"], "电焊 is an alias of 焊接");
    assert!(find("会计").is_empty());
}

#[test]
fn upsert_replaces_delete_of_unknown_is_fine_expire_removes_past() {
    let index = VacancyIndex::create_in_ram().unwrap();
    let mut old = vacancy("v1", "焊工", &["焊接"], "500107");
    old.expires = Some(Date::new(2021, 3, 1).unwrap());
    index.upsert(&old).unwrap();
    index.upsert(&vacancy("v2", "焊工", &["焊接"], "500107")).unwrap();
    index.commit().unwrap();
    assert_eq!(index.snapshot().unwrap().num_vacancies(), 2);

    // Upsert of an existing id: still two, and the new title is what is stored.
    index
        .upsert(&vacancy("v2", "电焊工", &["焊接"], "500107"))
        .unwrap();
    index.commit().unwrap();
    let snap = index.snapshot().unwrap();
    assert_eq!(snap.num_vacancies(), 2);
    let v2 = snap.vacancy("v2").unwrap().unwrap();
    assert_eq!(v2.title, "电焊工");

    assert!(!index.delete("nope").unwrap());
    assert!(index.delete("v2").unwrap());
    index.commit().unwrap();
    assert_eq!(index.snapshot().unwrap().num_vacancies(), 1);

    assert_eq!(index.expire(Date::new(2021, 3, 2).unwrap()).unwrap(), 1);
    index.commit().unwrap();
    assert_eq!(index.snapshot().unwrap().num_vacancies(), 0);
}

#[test]
fn a_snapshot_sees_one_committed_state_while_a_commit_runs() {
    let index = VacancyIndex::create_in_ram().unwrap();
    for i in 0..200 {
        index
            .upsert(&vacancy(&format!("a{i}"), "焊工", &["焊接"], "500107"))
            .unwrap();
    }
    index.commit().unwrap();
    let before = index.snapshot().unwrap();
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            // Reads during the commit below see exactly the old state.
            for _ in 0..50 {
                assert_eq!(before.num_vacancies(), 200);
                let s = Seeker::new("q", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
                assert_eq!(candidates(&before, &s, today()).unwrap().len(), 200);
            }
        });
        for i in 0..200 {
            index.delete(&format!("a{i}")).unwrap();
            index
                .upsert(&vacancy(&format!("b{i}"), "焊工", &["焊接"], "500107"))
                .unwrap();
        }
        index.commit().unwrap();
        reader.join().unwrap();
    });
    let after = index.snapshot().unwrap();
    assert_eq!(after.num_vacancies(), 200);
    assert!(after.vacancy("a0").unwrap().is_none());
    assert!(after.vacancy("b0").unwrap().is_some());
}

#[test]
fn a_persisted_index_reopens_with_exactly_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = VacancyIndex::create(dir.path()).unwrap();
        index.upsert(&vacancy("v1", "焊工", &["焊接"], "500107")).unwrap();
        index.upsert(&vacancy("v2", "会计", &["会计"], "510104")).unwrap();
        index.commit().unwrap();
        index
            .upsert(&vacancy("v3", "uncommitted", &[], "510104"))
            .unwrap();
        index.rollback().unwrap();
        index.close_writer().unwrap();
    }
    let index = VacancyIndex::open(dir.path()).unwrap();
    let snap = index.snapshot().unwrap();
    assert_eq!(snap.num_vacancies(), 2);
    assert!(snap.vacancy("v1").unwrap().is_some());
    assert!(snap.vacancy("v3").unwrap().is_none());
}

#[test]
fn a_second_writer_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let first = VacancyIndex::create(dir.path()).unwrap();
    first.upsert(&vacancy("v1", "焊工", &[], "500107")).unwrap();
    let second = VacancyIndex::open(dir.path()).unwrap();
    let err = second.upsert(&vacancy("v2", "焊工", &[], "500107")).unwrap_err();
    assert!(matches!(err, Error::IndexLocked { .. }), "{err}");
    assert!(err.to_string().contains("locked by another writer"));
    first.close_writer().unwrap();
    second.upsert(&vacancy("v2", "焊工", &[], "500107")).unwrap();
}

#[test]
fn missing_and_foreign_directories_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        VacancyIndex::open(dir.path().join("none")),
        Err(Error::IndexMissing { .. })
    ));
    std::fs::write(dir.path().join("meta.json"), "{}").unwrap();
    let err = VacancyIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::IndexVersion { .. }), "{err}");
}

#[test]
fn bulk_load_skips_and_reports_bad_lines() {
    let input = "{\"id\":\"v1\",\"title\":\"焊工\",\"skills\":[],\"region\":\"500107\"}\n{broken\n{\"id\":\"v1\",\"title\":\"焊工2\",\"skills\":[],\"region\":\"500107\"}\n";
    let index = VacancyIndex::create_in_ram().unwrap();
    let options = LoadOptions {
        on_error: OnError::Skip,
        max_errors_kept: 10,
        ..Default::default()
    };
    let summary = index
        .bulk_load(JsonLines::<_, Vacancy>::new(input.as_bytes()), options)
        .unwrap();
    assert_eq!(
        (summary.read, summary.indexed, summary.rejected, summary.replaced),
        (3, 2, 1, 1)
    );
    assert!(summary.errors[0].starts_with("line 2:"), "{:?}", summary.errors);
    assert_eq!(
        index.snapshot().unwrap().num_vacancies(),
        1,
        "the duplicate id replaced the first"
    );

    let index = VacancyIndex::create_in_ram().unwrap();
    let err = index
        .bulk_load(
            JsonLines::<_, Vacancy>::new(input.as_bytes()),
            LoadOptions::default(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Parse { line: 2, .. }));
    assert_eq!(
        index.snapshot().unwrap().num_vacancies(),
        0,
        "stop means nothing is committed"
    );
}

#[test]
fn bulk_load_checks_vacancies_built_in_code() {
    let good = vacancy("v1", "焊工", &["焊接"], "500107");
    let mut bad = vacancy("v2", "焊工", &["焊接"], "500107");
    bad.posted = Some(Date::new(2021, 3, 1).unwrap());
    bad.expires = Some(Date::new(2021, 2, 1).unwrap());
    let records = || vec![Ok(good.clone()), Ok(bad.clone())];

    let index = VacancyIndex::create_in_ram().unwrap();
    let options = LoadOptions {
        on_error: OnError::Skip,
        max_errors_kept: 10,
        ..Default::default()
    };
    let summary = index.bulk_load(records(), options).unwrap();
    assert_eq!((summary.indexed, summary.rejected), (1, 1));
    assert!(
        summary.errors[0].contains("vacancy `v2`: expires"),
        "{:?}",
        summary.errors
    );

    let index = VacancyIndex::create_in_ram().unwrap();
    let err = index.bulk_load(records(), LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("vacancy `v2`: expires"), "{err}");
    assert_eq!(index.snapshot().unwrap().num_vacancies(), 0);
}

/// The model of the index: a map from id to vacancy.
#[derive(Debug, Clone)]
enum Op {
    Upsert(u64),
    Delete(u64),
    Commit,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn updates_match_a_hashmap_model(ops in prop::collection::vec(
        prop_oneof![(0u64..30).prop_map(Op::Upsert), (0u64..30).prop_map(Op::Delete), Just(Op::Commit)], 1..60)) {
        let market = Market::new(MarketConfig { vacancies: 30, seekers: 0, seed: 3, ..Default::default() });
        let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
        let mut pending: HashMap<String, bool> = HashMap::new();
        let mut committed: HashMap<String, bool> = HashMap::new();
        for op in ops {
            match op {
                Op::Upsert(i) => {
                    let mut v = market.vacancy(i);
                    v.id = format!("x{}", i % 10);
                    index.upsert(&v).unwrap();
                    pending.insert(v.id, true);
                }
                Op::Delete(i) => {
                    index.delete(&format!("x{}", i % 10)).unwrap();
                    pending.remove(&format!("x{}", i % 10));
                }
                Op::Commit => {
                    index.commit().unwrap();
                    committed = pending.clone();
                }
            }
            let snap = index.snapshot().unwrap();
            prop_assert_eq!(snap.num_vacancies(), committed.len() as u64);
            for id in committed.keys() {
                prop_assert!(snap.vacancy(id).unwrap().is_some());
            }
        }
    }

    #[test]
    fn retrieval_equals_filtering_every_vacancy(seed in any::<u64>(), n in 1u64..300, j in 0u64..50) {
        let market = Market::new(MarketConfig { vacancies: n, seekers: 60, seed, ..Default::default() });
        let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
        let vacancies: Vec<Vacancy> = (0..n).map(|i| market.vacancy(i)).collect();
        for (i, v) in vacancies.iter().enumerate() {
            index.upsert(v).unwrap();
            if i % 97 == 96 {
                index.commit().unwrap();
            }
        }
        index.commit().unwrap();
        let mut seeker = market.seeker(j);
        if j % 3 == 0 {
            seeker.mobility.relocate = true;
            seeker.mobility.max_km = Some(120.0);
        }
        let got: Vec<String> = candidates(&index.snapshot().unwrap(), &seeker, today()).unwrap().into_iter().map(|c| c.vacancy).collect();

        // The same semantics, directly on the records.
        let vocab = jobmatch::taxonomy::skills();
        let seeker_skills: Vec<String> = seeker.skills.iter().map(|s| vocab.canonical(s)).collect();
        let seeker_titles: Vec<String> = seeker.titles.iter().flat_map(|t| jobmatch::text::terms(t)).collect();
        let home = seeker.position();
        let mut want: Vec<String> = vacancies
            .iter()
            .filter(|v| !v.is_expired(today()))
            .filter(|v| {
                let km = home.distance_km(v.position());
                v.remote || km <= seeker.commute_km + 1e-6 || seeker.mobility.would_move_to(v.region, km)
            })
            .filter(|v| {
                v.skills.iter().any(|s| seeker_skills.contains(&vocab.canonical(s)))
                    || jobmatch::text::terms(&v.title).iter().any(|t| seeker_titles.contains(t))
            })
            .map(|v| v.id.clone())
            .collect();
        want.sort();
        prop_assert_eq!(got, want);
    }
}
