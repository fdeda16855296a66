//! Job fairs: stable assignment with capacities on a real index.

use std::collections::{HashMap, HashSet};

use jobmatch::assign::{Assignment, FitConfig, FitExplainer, Listed, Policy, Preferences, SeekerList};
use jobmatch::index::VacancyIndex;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::{PriorityGroup, Seeker, Vacancy};

use crate::ranking::{market_index, today};

fn welder_fair() -> (VacancyIndex, Vec<Seeker>) {
    let index = VacancyIndex::create_in_ram().unwrap();
    // "hot": everyone's first choice (3 openings); "next": second (2).
    let mut hot = Vacancy::new("hot", "电焊工", "500107".parse().unwrap()).unwrap();
    hot.skills = vec!["焊接".into(), "数控".into()];
    hot.headcount = 3.try_into().unwrap();
    let mut next = Vacancy::new("next", "焊工", "500107".parse().unwrap()).unwrap();
    next.skills = vec!["焊接".into(), "叉车".into(), "驾驶".into()];
    next.headcount = 2.try_into().unwrap();
    for v in [hot, next] {
        index.upsert(&v).unwrap();
    }
    index.commit().unwrap();
    let seekers = (0..10)
        .map(|i| {
            // Seekers 0..4 also run CNC machines: the hot vacancy fits them
            // better.
            let mut skills = vec!["焊接".to_owned()];
            if i < 4 {
                skills.push("数控".into());
            }
            Seeker::new(format!("s{i}"), skills, "500107".parse().unwrap()).unwrap()
        })
        .collect();
    (index, seekers)
}

#[test]
fn everyone_wants_one_vacancy_with_three_openings() {
    let (index, seekers) = welder_fair();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    for s in &seekers {
        assert_eq!(m.match_one(s, 2).unwrap().matches[0].vacancy, "hot", "{}", s.id);
    }
    let a = Assignment::run(&m, &seekers, 10, &FitConfig::default(), &Policy::default()).unwrap();
    let got = |v: &str| {
        a.placements
            .iter()
            .filter(|p| p.vacancy.as_deref() == Some(v))
            .count()
    };
    assert_eq!(got("hot"), 3, "{:?}", a.placements);
    assert_eq!(got("next"), 2);
    assert_eq!(a.placed(), 5);
    assert_eq!(a.placements.iter().filter(|p| p.vacancy.is_none()).count(), 5);
    // The hot vacancy takes three of the CNC welders (ties by id: s0..s2).
    let hot = a.vacancies.iter().find(|v| v.vacancy == "hot").unwrap();
    assert_eq!(hot.admitted, ["s0", "s1", "s2"]);
    assert!(hot.cutoff.is_some(), "full: it has a cut-off");
    let p = a.placements.iter().find(|p| p.seeker == "s0").unwrap();
    assert_eq!((p.choice, p.vacancy.as_deref()), (Some(1), Some("hot")));
    assert_eq!(a.blocking_pairs(usize::MAX), 0);
    // Explained from the vacancy's side.
    let x = FitExplainer::new(&m, FitConfig::default()).unwrap();
    let e = x.explain(&seekers[0], "hot").unwrap();
    assert_eq!(e.parts.skills, 1.0);
    assert_eq!(e.skills_held.len(), 2);
    let e = x.explain(&seekers[9], "hot").unwrap();
    assert!(e.parts.skills < 1.0 && e.skills_lacking == ["数控"], "{e:?}");
}

#[test]
fn totals_add_up_and_policies_keep_within_openings() {
    let (index, market) = market_index(1_500, 21, 2);
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seekers: Vec<Seeker> = (0..300).map(|j| market.seeker(j)).collect();
    let prefs = Preferences::rank(&m, &seekers, 20, &FitConfig::default()).unwrap();
    let policies = [
        Policy::default(),
        Policy {
            groups: vec![PriorityGroup::Graduate, PriorityGroup::MigrantWorker],
            fit_bonus: 0.1,
            reserved_share: 0.0,
        },
        Policy {
            groups: vec![PriorityGroup::Graduate],
            fit_bonus: 0.0,
            reserved_share: 0.5,
        },
    ];
    for policy in &policies {
        let a = prefs.assign(policy).unwrap();
        let b = prefs.assign(policy).unwrap();
        assert_eq!(a.placements, b.placements, "deterministic");
        assert_eq!(a.placements.len(), seekers.len());
        let placed = a.placements.iter().filter(|p| p.vacancy.is_some()).count();
        assert_eq!(placed, a.placed());
        assert_eq!(a.filled(), placed, "every placed seeker fills one opening");
        let mut seen = HashSet::new();
        for v in &a.vacancies {
            assert!(v.admitted.len() as u32 <= v.openings, "{v:?}");
            for s in &v.admitted {
                assert!(seen.insert(s.clone()), "{s} admitted twice");
            }
        }
        let groups = a.by_group();
        assert_eq!(groups["all"].seekers, seekers.len() as u64);
        assert_eq!(groups["all"].placed, placed as u64);
        assert_eq!(a.blocking_pairs(usize::MAX), 0, "{policy:?}");
        // A placement is on the seeker's own list, at the position it says.
        let lists: HashMap<&str, Vec<String>> = seekers
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    m.match_one(s, 20)
                        .unwrap()
                        .matches
                        .into_iter()
                        .map(|x| x.vacancy)
                        .collect(),
                )
            })
            .collect();
        for p in &a.placements {
            if let (Some(v), Some(c)) = (&p.vacancy, p.choice) {
                assert_eq!(&lists[p.seeker.as_str()][c - 1], v);
            }
        }
    }
}

#[test]
fn precomputed_lists_are_assigned_and_checked() {
    let list = |s: &str, vs: &[(&str, f64)]| SeekerList {
        seeker: s.into(),
        groups: vec![],
        choices: vs
            .iter()
            .map(|(v, fit)| Listed {
                vacancy: (*v).into(),
                score: 0.5,
                fit: *fit,
            })
            .collect(),
    };
    let lists = vec![
        list("a", &[("x", 0.2), ("y", 0.9)]),
        list("b", &[("x", 0.8)]),
        list("c", &[("x", 0.5), ("y", 0.1)]),
    ];
    let openings = HashMap::from([("x".to_owned(), 1), ("y".to_owned(), 1)]);
    let a = Assignment::from_lists(lists.clone(), &openings, &Policy::default()).unwrap();
    let got: Vec<Option<&str>> = a.placements.iter().map(|p| p.vacancy.as_deref()).collect();
    assert_eq!(got, [Some("y"), Some("x"), None]);
    let mut bad = lists;
    bad[0].choices[0].fit = f64::NAN;
    assert!(Assignment::from_lists(bad, &openings, &Policy::default()).is_err());
}

#[test]
fn congestion_aware_lists_reorder_and_cut_what_the_seeker_could_reach() {
    let (index, market) = market_index(1_200, 33, 1);
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seekers: Vec<Seeker> = (0..400).map(|j| market.seeker(j)).collect();
    let long = Preferences::rank(&m, &seekers, 16, &FitConfig::default()).unwrap();
    let plain = long.truncated(8);
    let a = plain.assign(&Policy::default()).unwrap();
    let aware = long.congestion_aware(&a, &Policy::default(), 8);
    let full: HashMap<&str, Vec<&str>> = long.lists().collect();
    let mut reordered = 0;
    for (seeker, list) in aware.lists() {
        let reach = &full[seeker];
        assert!(
            list.len() <= 8 && list.len() == reach.len().min(8),
            "{seeker}: {list:?}"
        );
        let distinct: HashSet<&&str> = list.iter().collect();
        assert_eq!(distinct.len(), list.len(), "no vacancy twice");
        for v in &list {
            assert!(reach.contains(v), "{seeker}: {v} is not on the seeker's own list");
        }
        reordered += usize::from(list[..] != reach[..list.len()]);
    }
    assert!(
        reordered > 0,
        "no list was reordered: the test does not test the reordering"
    );
    let b = aware.assign(&Policy::default()).unwrap();
    assert_eq!(b.blocking_pairs(usize::MAX), 0);
    // The figures of an assignment add up.
    let outcome = jobmatch::assign::MarketOutcome::of(&b, &aware, m.snapshot(), &seekers);
    assert_eq!(outcome.placed, b.placed() as u64);
    assert_eq!(
        outcome.flows.values().sum::<u64>(),
        outcome.placed,
        "flows sum to placed"
    );
    assert_eq!(
        outcome.by_industry.values().map(|s| s.count).sum::<u64>(),
        outcome.placed
    );
    assert_eq!(outcome.by_province.values().sum::<u64>(), outcome.placed);
}

#[test]
fn congestion_aware_lists_under_a_mock_fairs_cut_offs_place_as_the_full_lists_do() {
    // Scarce openings: 150 vacancies, 500 seekers, so that plain short
    // lists leave seekers unplaced whom longer lists would place.
    let (index, market) = market_index(150, 71, 1);
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seekers: Vec<Seeker> = (0..500).map(|j| market.seeker(j)).collect();
    let long = Preferences::rank(&m, &seekers, 30, &FitConfig::default()).unwrap();
    let plain = long.truncated(5).assign(&Policy::default()).unwrap();
    let mock = long.assign(&Policy::default()).unwrap();
    assert!(
        mock.placed() > plain.placed(),
        "the full lists place no more than the short ones ({} vs {}): the test tests nothing",
        mock.placed(),
        plain.placed()
    );
    let aware = long.congestion_aware(&mock, &Policy::default(), 5);
    let b = aware.assign(&Policy::default()).unwrap();
    assert_eq!(b.placed(), mock.placed());
    for (got, want) in b.placements.iter().zip(&mock.placements) {
        assert_eq!(got.vacancy, want.vacancy, "{}", got.seeker);
    }
    assert_eq!(b.blocking_pairs(usize::MAX), 0);
}

/// One market indexed in one, two and three segments gives the same
/// preference lists, fits and assignment, bit for bit: skill terms are
/// numbered by name, so no sum depends on how the index happens to be cut.
/// (Occupation inference is off here: a vacancy written one at a time
/// into a smaller market is inferred with that market's model, which does
/// depend on the order of writes.)
#[test]
fn the_same_market_in_other_segments_assigns_identically() {
    type Run = (Vec<(String, Vec<String>)>, Vec<Option<String>>, Vec<(u64, u64)>);
    let market = jobmatch::market::Market::new(jobmatch::market::MarketConfig {
        vacancies: 3_000,
        seekers: 400,
        seed: 77,
        ..Default::default()
    });
    let runs: Vec<Run> = [1u64, 2, 3]
        .into_iter()
        .map(|segments| {
            let index = VacancyIndex::create_in_ram()
                .unwrap()
                .with_threads(1)
                .with_occupation_inference(None);
            let per = 3_000u64.div_ceil(segments);
            for i in 0..3_000 {
                index.upsert(&market.vacancy(i)).unwrap();
                if (i + 1) % per == 0 {
                    index.commit().unwrap();
                }
            }
            index.commit().unwrap();
            let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
            let seekers: Vec<Seeker> = (0..400).map(|j| market.seeker(j)).collect();
            let prefs = Preferences::rank(&m, &seekers, 10, &FitConfig::default()).unwrap();
            let lists = prefs
                .lists()
                .map(|(s, l)| (s.to_owned(), l.into_iter().map(str::to_owned).collect()))
                .collect();
            let a = prefs.assign(&Policy::default()).unwrap();
            let placed = a.placements.iter().map(|p| p.vacancy.clone()).collect();
            let bits = a
                .placements
                .iter()
                .map(|p| (p.fit.map_or(0, f64::to_bits), p.score.map_or(0, f64::to_bits)))
                .collect();
            (lists, placed, bits)
        })
        .collect();
    for (i, r) in runs.iter().enumerate().skip(1) {
        let differ = |f: &dyn Fn(&Run, &Run) -> usize| f(r, &runs[0]);
        let lists = differ(&|a, b| a.0.iter().zip(&b.0).filter(|(x, y)| x != y).count());
        let placed = differ(&|a, b| a.1.iter().zip(&b.1).filter(|(x, y)| x != y).count());
        let fits = differ(&|a, b| a.2.iter().zip(&b.2).filter(|(x, y)| x.0 != y.0).count());
        let scores = differ(&|a, b| a.2.iter().zip(&b.2).filter(|(x, y)| x.1 != y.1).count());
        assert_eq!(
            (lists, placed, fits, scores),
            (0, 0, 0, 0),
            "{} segments: lists, placements, fits and scores that differ from one segment",
            i + 1
        );
    }
}
