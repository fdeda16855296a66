//! The other direction: seekers for a vacancy and job alerts, on real
//! indexes, against the exhaustive scan and the forward ranking.

use std::collections::BTreeSet;

use jobmatch::index::VacancyIndex;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::reverse::{
    CandidateResult, SavedTop, SeekerIndex, SeekerMatcher, Thresholds, TopEntry, alerts, alerts_exhaustive,
};
use jobmatch::{Seeker, Vacancy};
use proptest::prelude::*;

use crate::ranking::{config_strategy, market_index, today};

fn ranked(r: &CandidateResult) -> Vec<(String, u64)> {
    r.candidates
        .iter()
        .map(|c| (c.seeker.clone(), c.score.to_bits()))
        .collect()
}

/// Seekers of a generated market, some relocating, some with no terms.
fn seekers_of(market: &jobmatch::market::Market, count: u64) -> Vec<Seeker> {
    (0..count)
        .map(|j| {
            let mut s = market.seeker(j);
            if j % 5 == 1 {
                s.mobility.relocate = true;
                s.mobility.max_km = Some(200.0);
            }
            if j % 7 == 3 {
                s.skills.clear();
                s.titles.clear();
                s.occupations.clear();
            }
            s
        })
        .collect()
}

/// The thresholds of `seekers` on this matcher's snapshot with `vacancy`
/// left out: what they were before it was posted.
fn thresholds_without(m: &Matcher, seekers: &[Seeker], k: usize, vacancy: &str) -> Thresholds {
    let tops = seekers.iter().map(|s| {
        let r = m.match_one(s, k + 1).unwrap();
        SavedTop {
            seeker: s.id.clone(),
            top: r
                .matches
                .iter()
                .filter(|x| x.vacancy != vacancy)
                .take(k)
                .map(|x| TopEntry {
                    vacancy: x.vacancy.clone(),
                    score: x.score,
                })
                .collect(),
        }
    });
    Thresholds::from_tops(k, tops).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn candidates_equal_the_exhaustive_scan_and_forward_scores(
        seed in any::<u64>(),
        n_vacancies in 20u64..250,
        segments in 1u64..4,
        config in config_strategy(),
        n in prop_oneof![Just(1usize), Just(5), Just(20), Just(500)],
    ) {
        let (index, market) = market_index(n_vacancies, seed, segments);
        let seekers = seekers_of(&market, 150);
        let m = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
        let sm = SeekerMatcher::new(m, &seekers).unwrap();
        for i in (0..n_vacancies).step_by(7) {
            let v = format!("v{i}");
            let fast = sm.candidates(&v, n).unwrap();
            let slow = sm.candidates_exhaustive(&v, n).unwrap();
            prop_assert_eq!(ranked(&fast), ranked(&slow), "vacancy {}", v);
            // The same vacancy as a draft, not looked up in the index. (A
            // vacancy whose occupation is inferred from its skills keeps the
            // one the market implied when it was written, here one at a time
            // into an empty index; a draft is inferred from the market as it
            // stands: `quality::an_uncoded_vacancy_…` checks a loaded one.)
            let vacancy = market.vacancy(i);
            if vacancy.occupation.is_some() || jobmatch::taxonomy::code_title(&vacancy.title).is_some() {
                let draft = sm.candidates_for(&vacancy, n).unwrap();
                prop_assert_eq!(ranked(&draft), ranked(&fast), "draft of {}", v);
            }
            for c in &fast.candidates {
                let s = seekers.iter().find(|s| s.id == c.seeker).unwrap();
                let e = sm.explain(s, &v).unwrap();
                prop_assert_eq!(e.score, Some(c.score), "{} for {}", v, c.seeker);
            }
        }
    }

    #[test]
    fn an_alert_is_raised_iff_the_vacancy_enters_the_forward_top_k(
        seed in any::<u64>(),
        n_vacancies in 30u64..200,
        k in prop_oneof![Just(1usize), Just(3), Just(10)],
        new in 0u64..30,
    ) {
        let (index, market) = market_index(n_vacancies, seed, 2);
        // The feed's vacancy is inferred from the market as it stands, the
        // indexed one was when written (see the test above): compare those
        // whose occupation is given or coded.
        let fed = market.vacancy(new);
        prop_assume!(fed.occupation.is_some() || jobmatch::taxonomy::code_title(&fed.title).is_some());
        let seekers = seekers_of(&market, 120);
        let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
        let v = format!("v{new}");
        let mut thresholds = thresholds_without(&m, &seekers, k, &v);
        let expected: BTreeSet<String> = seekers
            .iter()
            .filter(|s| m.match_one(s, k).unwrap().matches.iter().any(|x| x.vacancy == v))
            .map(|s| s.id.clone())
            .collect();
        let feed = [market.vacancy(new)];
        let raised = alerts(&m, &seekers, &thresholds, &feed).unwrap();
        prop_assert_eq!(&raised, &alerts_exhaustive(&m, &seekers, &thresholds, &feed).unwrap());
        let got: BTreeSet<String> = raised.iter().map(|a| a.seeker.clone()).collect();
        prop_assert_eq!(&got, &expected);
        // Accepted, each alert makes the saved top the forward top k.
        for a in &raised {
            prop_assert!(thresholds.accept(a));
            let forward = m.match_one(seekers.iter().find(|s| s.id == a.seeker).unwrap(), k).unwrap();
            let saved: Vec<(&str, f64)> = thresholds.top(&a.seeker).unwrap().iter().map(|e| (e.vacancy.as_str(), e.score)).collect();
            let want: Vec<(&str, f64)> = forward.matches.iter().map(|x| (x.vacancy.as_str(), x.score)).collect();
            prop_assert_eq!(saved, want);
        }
        // Nothing more once accepted.
        prop_assert!(alerts(&m, &seekers, &thresholds, &feed).unwrap().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Alerts found from each new vacancy's side (over the prepared
    /// seekers, against each seeker's own floor) are the alerts of
    /// scanning the feed for every saved seeker: the same list, in order,
    /// whatever the weights, k, the feed (vacancies in the market, drafts
    /// beyond it, an id given twice) and which seekers are saved.
    #[test]
    fn alerts_from_the_vacancies_side_equal_the_scan_of_every_seeker(
        seed in any::<u64>(),
        n_vacancies in 20u64..200,
        segments in 1u64..4,
        config in config_strategy(),
        k in prop_oneof![Just(1usize), Just(3), Just(10), Just(60)],
        feed_from in 0u64..40,
        feed_len in 1u64..25,
        saved_every in 1usize..4,
    ) {
        let (index, market) = market_index(n_vacancies, seed, segments);
        let seekers = seekers_of(&market, 120);
        let mut config = config;
        config.max_per_employer = None;
        let m = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
        let saved: Vec<Seeker> = seekers.iter().step_by(saved_every).cloned().collect();
        let thresholds = Thresholds::compute(&m, &saved, k).unwrap();
        // Vacancies of the market and drafts past its end (ids the index
        // does not hold), the first of them twice.
        let mut feed: Vec<Vacancy> = (feed_from..feed_from + feed_len).map(|i| market.vacancy(i)).collect();
        feed.push(market.vacancy(feed_from));
        let sm = SeekerMatcher::new(m, &seekers).unwrap();
        let fast = sm.alerts(&thresholds, &feed).unwrap();
        let slow = alerts_exhaustive(sm.matcher(), &seekers, &thresholds, &feed).unwrap();
        prop_assert_eq!(fast, slow);
    }
}

fn welding_vacancy() -> Vacancy {
    let mut v = Vacancy::new("jlp", "电焊工", "500107".parse().unwrap()).unwrap();
    v.skills = vec!["焊接".into(), "氩弧焊".into()];
    v
}

#[test]
fn a_chengdu_welder_willing_to_move_to_chongqing_is_a_candidate_for_jiulongpo() {
    let index = VacancyIndex::create_in_ram().unwrap();
    index.upsert(&welding_vacancy()).unwrap();
    let mut other = Vacancy::new("cd", "会计", "510104".parse().unwrap()).unwrap();
    other.skills = vec!["会计".into()];
    index.upsert(&other).unwrap();
    index.commit().unwrap();
    let mut mover = Seeker::new(
        "mover",
        vec!["焊接".into(), "氩弧焊".into()],
        "510104".parse().unwrap(),
    )
    .unwrap();
    mover.mobility.regions = vec!["50".parse().unwrap()];
    let mut stayer = mover.clone();
    stayer.id = "stayer".into();
    stayer.mobility.regions.clear();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let sm = SeekerMatcher::new(m, &[mover.clone(), stayer.clone()]).unwrap();
    let found = sm.candidates("jlp", 10).unwrap();
    let ids: Vec<&str> = found.candidates.iter().map(|c| c.seeker.as_str()).collect();
    assert_eq!(ids, ["mover"]);
    let c = &found.candidates[0];
    assert!(c.distance_km > 200.0, "{}", c.distance_km);
    assert_eq!(c.components.get("location"), Some(0.0));
    assert!(c.components.get("mobility").unwrap() > 0.0);
    // Explained from the employer's side: the same score, and why the
    // stayer is out.
    assert_eq!(sm.explain(&mover, "jlp").unwrap().score, Some(c.score));
    let why = sm.explain(&stayer, "jlp").unwrap();
    assert!(why.score.is_none());
    assert!(
        why.excluded.unwrap().to_string().contains("out of reach"),
        "{why:?}"
    );
    assert!(matches!(
        sm.candidates("nope", 3),
        Err(jobmatch::Error::UnknownVacancy { .. })
    ));
}

#[test]
fn seeker_upserts_and_deletes_take_effect_on_commit_and_deleted_seekers_get_no_alert() {
    let dir = tempfile::tempdir().unwrap();
    let store = SeekerIndex::create(dir.path().join("seekers")).unwrap();
    let home: jobmatch::RegionCode = "500107".parse().unwrap();
    let a = Seeker::new("a", vec!["焊接".into()], home).unwrap();
    let b = Seeker::new("b", vec!["焊接".into(), "氩弧焊".into()], home).unwrap();
    store.upsert(&a).unwrap();
    store.upsert(&b).unwrap();
    assert_eq!(store.num_seekers(), 0, "nothing before the commit");
    store.commit().unwrap();
    assert_eq!(store.num_seekers(), 2);
    let mut b2 = b.clone();
    b2.skills.push("叉车".into());
    store.upsert(&b2).unwrap();
    assert!(store.delete("a").unwrap());
    assert_eq!(
        store.get("a").unwrap().as_ref(),
        Some(&a),
        "the delete waits for the commit"
    );
    store.commit().unwrap();
    drop(store);
    let store = SeekerIndex::open(dir.path().join("seekers")).unwrap();
    assert_eq!(store.get("a").unwrap(), None);
    assert_eq!(store.seekers().unwrap(), [b2.clone()]);

    // Thresholds saved while `a` was still there: `a` would have been
    // alerted, but is deleted.
    let index = VacancyIndex::create_in_ram().unwrap();
    index.upsert(&welding_vacancy()).unwrap();
    index.commit().unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let thresholds = Thresholds::from_tops(
        5,
        ["a", "b"].map(|s| SavedTop {
            seeker: s.into(),
            top: vec![],
        }),
    )
    .unwrap();
    let raised = alerts(&m, &store.seekers().unwrap(), &thresholds, &[welding_vacancy()]).unwrap();
    let who: Vec<&str> = raised.iter().map(|a| a.seeker.as_str()).collect();
    assert_eq!(who, ["b"]);
    assert_eq!(
        raised[0].replaces, None,
        "fewer than k saved: nothing is pushed out"
    );
    // Not a seeker index: a clear error.
    assert!(matches!(
        SeekerIndex::open(dir.path()),
        Err(jobmatch::Error::IndexMissing { .. })
    ));
}

/// A service commits again and again on the same indexes: each commit's
/// saved seekers and vacancy terms are read back for the segments the
/// commit wrote only, the rest kept from before; what is served must be
/// the new state all the same.
#[test]
fn each_commit_serves_its_own_seekers_and_vacancy_terms() {
    let dir = tempfile::tempdir().unwrap();
    let store = SeekerIndex::create(dir.path().join("seekers")).unwrap();
    let home: jobmatch::RegionCode = "500107".parse().unwrap();
    let seeker = |id: &str, skills: &[&str]| {
        Seeker::new(id, skills.iter().map(|s| s.to_string()).collect(), home).unwrap()
    };
    let (a, b) = (seeker("a", &["焊接"]), seeker("b", &["焊接", "氩弧焊"]));
    // `d` keeps the first segment alive (a segment whose docs are all
    // deleted is dropped at the commit).
    let d = seeker("d", &["会计"]);
    for s in [&a, &b, &d] {
        store.upsert(s).unwrap();
    }
    store.commit().unwrap();
    assert_eq!(store.seekers().unwrap(), [a.clone(), b.clone(), d.clone()]);
    // A new seeker, a changed one, a deleted one: a second segment, and
    // deletes in the first.
    let c = seeker("c", &["烹饪", "面点"]);
    let mut b2 = b.clone();
    b2.skills.push("叉车".into());
    store.upsert(&c).unwrap();
    store.upsert(&b2).unwrap();
    assert!(store.delete("a").unwrap());
    store.commit().unwrap();
    assert_eq!(store.seekers().unwrap(), [b2.clone(), c.clone(), d.clone()]);
    store.commit().unwrap();
    assert_eq!(
        store.seekers().unwrap(),
        [b2.clone(), c.clone(), d.clone()],
        "a commit of nothing"
    );

    let index = VacancyIndex::create_in_ram().unwrap();
    index.upsert(&welding_vacancy()).unwrap();
    let mut books = Vacancy::new("books", "会计", home).unwrap();
    books.skills = vec!["会计".into()];
    index.upsert(&books).unwrap();
    index.commit().unwrap();
    let serve = || {
        let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
        SeekerMatcher::new(m, &store.seekers().unwrap()).unwrap()
    };
    let best = |sm: &SeekerMatcher, v: &str| {
        let found = sm.candidates(v, 5).unwrap();
        assert_eq!(
            ranked(&found),
            ranked(&sm.candidates_exhaustive(v, 5).unwrap()),
            "{v}"
        );
        found.candidates[0].seeker.clone()
    };
    let sm = serve();
    assert_eq!(best(&sm, "jlp"), "b");
    assert_eq!(best(&sm, "books"), "d");
    // The vacancy rewritten for a cook, and a second one: the next state
    // reads the terms of the segment they went into.
    let mut cook = Vacancy::new("jlp", "中餐厨师", home).unwrap();
    cook.skills = vec!["烹饪".into(), "面点".into()];
    index.upsert(&cook).unwrap();
    let mut welder = welding_vacancy();
    welder.id = "jlp2".into();
    index.upsert(&welder).unwrap();
    index.commit().unwrap();
    let sm = serve();
    assert_eq!(best(&sm, "jlp"), "c");
    assert_eq!(best(&sm, "jlp2"), "b");
    assert_eq!(best(&sm, "books"), "d");
}

#[test]
fn bad_thresholds_are_named_errors() {
    let top = |scores: &[f64]| SavedTop {
        seeker: "s1".into(),
        top: scores
            .iter()
            .enumerate()
            .map(|(i, &score)| TopEntry {
                vacancy: format!("v{i}"),
                score,
            })
            .collect(),
    };
    for (k, scores) in [(1, vec![0.5, 0.4]), (3, vec![0.4, 0.5]), (3, vec![f64::NAN])] {
        let e = Thresholds::from_tops(k, [top(&scores)]).unwrap_err();
        assert!(e.to_string().contains("s1"), "{e}");
    }
}

#[test]
fn candidates_equal_the_exhaustive_scan_with_long_lists() {
    // Long lists: the search goes past its first scored seekers into the
    // split and the summed seekers best first, which small markets rarely
    // reach.
    let (index, market) = market_index(400, 17, 2);
    let seekers: Vec<Seeker> = (0..3_000)
        .map(|j| {
            let mut s = market.seeker(j % 200);
            s.id = format!("s{j}");
            if j % 3 == 0 {
                s.skills.truncate(2);
            }
            s
        })
        .collect();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let sm = SeekerMatcher::new(m, &seekers).unwrap();
    let mut past_seeds = 0;
    for i in (0..400).step_by(13) {
        let v = format!("v{i}");
        for n in [1, 20] {
            let (fast, stats) = sm.candidates_with_stats(&v, n).unwrap();
            // More checked than the first seeds (64 at least).
            past_seeds += usize::from(stats.checked > 64.max(2 * n as u64));
            assert_eq!(
                ranked(&fast),
                ranked(&sm.candidates_exhaustive(&v, n).unwrap()),
                "{v}, n = {n}"
            );
        }
    }
    assert!(
        past_seeds > 0,
        "no search went past its first seeds: the test tests nothing"
    );
}

/// Seekers as people type them: soft phrases, a list in one entry,
/// licences in several spellings, full-width forms, a skill no vacancy
/// asks for, noisy titles, and the same titles and entries shared by many.
fn seekers_as_typed(market: &jobmatch::market::Market, count: u64) -> Vec<Seeker> {
    let extras: [&[&str]; 6] = [
        &["吃苦耐劳"],
        &["焊接，电焊、吃苦耐劳"],
        &["C1驾照", "Ｃ１", "驾驶证C1"],
        &["区块链养蜂"],
        &["ＣＡＤ制图", "  沟通能力 "],
        &[],
    ];
    let titles: [&[&str]; 4] = [
        &["急招电焊工（包吃住）"],
        &["普工", "普工"],
        &["司机/驾驶员"],
        &[],
    ];
    (0..count)
        .map(|j| {
            let mut s = market.seeker(j);
            s.skills
                .extend(extras[(j % 6) as usize].iter().map(|x| (*x).to_owned()));
            if j % 2 == 1 {
                s.mobility.relocate = true;
                s.mobility.max_km = Some(300.0);
            }
            if j % 3 == 0 {
                s.occupations.clear();
                s.titles = titles[(j / 3 % 4) as usize]
                    .iter()
                    .map(|x| (*x).to_owned())
                    .collect();
            }
            s
        })
        .collect()
}

#[test]
fn seekers_prepared_together_score_as_each_prepared_alone() {
    // The reverse direction prepares its seekers as one batch (each distinct
    // title and skill entry worked out once); a pair must score as the
    // forward direction scores it, seeker by seeker, for every seeker.
    let (index, market) = market_index(240, 17, 2);
    let seekers = seekers_as_typed(&market, 120);
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let sm = SeekerMatcher::new(m, &seekers).unwrap();
    let mut scored = 0;
    for i in (0..240).step_by(11) {
        let v = format!("v{i}");
        let all = sm.candidates_exhaustive(&v, seekers.len()).unwrap();
        assert_eq!(
            ranked(&sm.candidates(&v, 20).unwrap()),
            ranked(&all)[..all.candidates.len().min(20)]
        );
        for c in &all.candidates {
            let s = seekers.iter().find(|s| s.id == c.seeker).unwrap();
            assert_eq!(
                sm.explain(s, &v).unwrap().score,
                Some(c.score),
                "{v} for {}",
                c.seeker
            );
            scored += 1;
        }
    }
    assert!(scored > 500, "only {scored} pairs in reach");
}

/// The served state after a commit, renewed from the one before, against
/// the state made anew: every candidate list and alert the same, bit for
/// bit, while vacancies arrive (one far out in its district, so that the
/// seekers' places must be worked out again), seekers change, leave and
/// join, and the config changes (nothing kept).
#[test]
fn a_renewed_state_is_the_state_made_anew() {
    let (index, market) = market_index(260, 29, 2);
    let mut seekers = seekers_as_typed(&market, 140);
    let snapshot_matcher =
        |config: &RankingConfig| Matcher::new(index.snapshot().unwrap(), config.clone(), today()).unwrap();
    let config = RankingConfig::default();
    let mut served = SeekerMatcher::new(snapshot_matcher(&config), &seekers).unwrap();
    // The state renewed at a commit, checked against the state made anew.
    let renew = |served: SeekerMatcher, config: &RankingConfig, seekers: &[Seeker], vacancies: u64| {
        let a = served.renew(snapshot_matcher(config), seekers).unwrap();
        let b = SeekerMatcher::new(snapshot_matcher(config), seekers).unwrap();
        for i in (0..vacancies).step_by(3) {
            let v = format!("v{i}");
            assert_eq!(
                ranked(&a.candidates(&v, 15).unwrap()),
                ranked(&b.candidates(&v, 15).unwrap()),
                "{v}"
            );
            assert_eq!(
                ranked(&a.candidates_exhaustive(&v, 15).unwrap()),
                ranked(&b.candidates(&v, 15).unwrap()),
                "{v}"
            );
        }
        let thresholds = Thresholds::compute(b.matcher(), seekers, 5).unwrap();
        let feed: Vec<Vacancy> = (vacancies..vacancies + 30).map(|i| market.vacancy(i)).collect();
        assert_eq!(
            a.alerts(&thresholds, &feed).unwrap(),
            b.alerts(&thresholds, &feed).unwrap()
        );
        a
    };

    // A commit of vacancies alone.
    for i in 260..300 {
        index.upsert(&market.vacancy(i)).unwrap();
    }
    index.commit().unwrap();
    served = renew(served, &config, &seekers, 300);

    // Seekers changed, gone and new; a vacancy 20 km out of 渝中区, the
    // smallest district, so that seekers are listed in other places.
    seekers[3].skills.push("烹饪".into());
    seekers[4].commute_km = 55.0;
    seekers[6].titles = vec!["电工".into()];
    seekers[7].mobility.regions = vec!["5101".parse().unwrap()];
    seekers.remove(9);
    let mut joined = market.seeker(900);
    joined.skills.push("吃苦耐劳".into());
    seekers.push(joined);
    let mut far = market.vacancy(300);
    far.region = "500103".parse().unwrap();
    far.remote = false;
    far.coordinates = Some(jobmatch::region::Coordinates::new(29.557 + 0.18, 106.577).unwrap());
    index.upsert(&far).unwrap();
    index.commit().unwrap();
    served = renew(served, &config, &seekers, 301);

    // Another config: nothing is kept, and the state is still the new one.
    let other = RankingConfig {
        max_skills_per_seeker: 12,
        ..RankingConfig::default()
    };
    let capped: Vec<Seeker> = seekers.iter().filter(|s| s.skills.len() <= 3).cloned().collect();
    renew(served, &other, &capped, 301);
}

/// One edit a seeker may make between two commits.
fn edit(s: &mut Seeker, kind: u8) {
    match kind % 8 {
        0 => s.skills.push("电焊".into()),
        1 => s.skills.clear(),
        2 => s.commute_km = (s.commute_km + 15.0).min(200.0),
        3 => s.mobility.relocate = !s.mobility.relocate,
        4 => s.titles = vec!["厨师".into()],
        5 => s.occupations.clear(),
        6 => s.skills.push("Ｃ１".into()),
        _ => s.mobility.regions = vec!["50".parse().unwrap()],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Whatever the seekers edit, leave or join between two commits, the
    /// renewed state ranks every vacancy's candidates as the state made
    /// anew, bit for bit.
    #[test]
    fn renewing_after_any_edits_is_making_anew(
        seed in any::<u64>(),
        n_vacancies in 60u64..200,
        edits in proptest::collection::vec((0usize..80, any::<u8>()), 0..12),
        leave in proptest::collection::vec(0usize..80, 0..4),
        join in 0u64..4,
    ) {
        let (index, market) = market_index(n_vacancies, seed, 2);
        let mut seekers = seekers_as_typed(&market, 80);
        let matcher = || Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
        let served = SeekerMatcher::new(matcher(), &seekers).unwrap();
        for i in n_vacancies..n_vacancies + 20 {
            index.upsert(&market.vacancy(i)).unwrap();
        }
        index.commit().unwrap();
        for &(i, kind) in &edits {
            edit(&mut seekers[i], kind);
        }
        let gone: BTreeSet<String> = leave.iter().map(|&i| seekers[i].id.clone()).collect();
        seekers.retain(|s| !gone.contains(&s.id));
        seekers.extend((0..join).map(|j| market.seeker(500 + j)));
        let renewed = served.renew(matcher(), &seekers).unwrap();
        let anew = SeekerMatcher::new(matcher(), &seekers).unwrap();
        for i in (0..n_vacancies + 20).step_by(5) {
            let v = format!("v{i}");
            prop_assert_eq!(
                ranked(&renewed.candidates(&v, 10).unwrap()),
                ranked(&anew.candidates(&v, 10).unwrap()),
                "{}", v
            );
        }
    }
}
