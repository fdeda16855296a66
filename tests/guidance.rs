//! Career guidance: each skill's gain equals matching the seeker with the
//! skill added (recomputed here from the public API by exhaustive scans),
//! the searched guidance equals the scanned one, and gaps and training
//! reports hold together.

use std::collections::HashSet;

use jobmatch::guidance::{GapConfig, GuidanceConfig, Guide, TrainingConfig, gaps, training};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::{PriorityGroup, Seeker};
use proptest::prelude::*;

use crate::ranking::{config_strategy, market_index, today};

/// Ids scoring above `bar` for the seeker, by an exhaustive scan.
fn above(m: &Matcher, s: &Seeker, bar: f64, n: usize) -> HashSet<String> {
    m.match_exhaustive(s, n)
        .unwrap()
        .matches
        .into_iter()
        .filter(|x| x.score > bar)
        .map(|x| x.vacancy)
        .collect()
}

/// Checks every number of one seeker's guidance against recomputation:
/// `m` ranks (its cap per employer applies to the top k), `uncapped` is the
/// same without the cap (the counts above the bar are of vacancies). The
/// searched guidance must equal the scanned one. Returns the seeker's
/// total entering and leaving, so that callers can see what was exercised.
fn check_exact(m: &Matcher, uncapped: &Matcher, guide: &Guide<'_>, seeker: &Seeker, n: usize) -> (u64, u64) {
    let k = guide.config().k;
    let fast = guide.seeker(seeker, 12).unwrap();
    let slow = guide.seeker_exhaustive(seeker, 12).unwrap();
    assert_eq!(fast, slow);
    // Recomputed for the seeker as guidance weighs them: an inferred
    // occupation fixed as inferred (`Guide::as_guided`), so that the skill
    // added is weighed for the trade the seeker has rather than re-inferred.
    let seeker = &guide.as_guided(seeker).unwrap();
    let now = m.match_exhaustive(seeker, k).unwrap();
    let bar = (now.matches.len() == k).then(|| now.matches[k - 1].score);
    assert_eq!(fast.bar, bar);
    let mean = |xs: &[f64]| {
        if xs.is_empty() {
            0.0
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let before: Vec<f64> = now.matches.iter().map(|x| x.score).collect();
    let was = bar.map(|bar| above(uncapped, seeker, bar, n));
    let (mut entering, mut leaving) = (0, 0);
    let vocab = jobmatch::taxonomy::skills();
    for g in &fast.skills {
        assert!(!seeker.skills.contains(&g.skill));
        // Named as the vocabulary names it (`Excel`), not as the index
        // folds it (`excel`).
        let named = vocab
            .lookup(&g.skill)
            .and_then(|id| vocab.get(id))
            .map(|k| k.name.as_str());
        assert_eq!(named, Some(g.skill.as_str()));
        let mut with = seeker.clone();
        with.skills.push(g.skill.clone());
        let after: Vec<f64> = m
            .match_exhaustive(&with, k)
            .unwrap()
            .matches
            .iter()
            .map(|x| x.score)
            .collect();
        assert!((g.top_mean_before - mean(&before)).abs() < 1e-12);
        assert!(
            (g.top_mean_after - mean(&after)).abs() < 1e-12,
            "{} vs {}",
            g.top_mean_after,
            mean(&after)
        );
        match (bar, &was) {
            (Some(bar), Some(was)) => {
                let is = above(uncapped, &with, bar, n);
                assert_eq!(g.entering, is.difference(was).count() as u64, "{}", g.skill);
                assert_eq!(g.leaving, was.difference(&is).count() as u64, "{}", g.skill);
                assert_eq!(g.net, is.len() as i64 - was.len() as i64);
                assert_eq!(fast.above, was.len() as u64);
                assert!(g.districts.iter().map(|d| d.vacancies).sum::<u64>() <= g.entering);
            }
            _ => assert_eq!((g.entering, g.leaving), (0, 0)),
        }
        entering += g.entering;
        leaving += g.leaving;
    }
    for w in fast.skills.windows(2) {
        assert!(w[0].net >= w[1].net);
    }
    (entering, leaving)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Every reported gain is the difference between matching the seeker
    /// with and without the skill, recomputed by scanning every vacancy,
    /// on random markets, configs and caps per employer.
    #[test]
    fn gains_equal_recomputation(
        seed in 0u64..500,
        segments in 1u64..4,
        k in 1usize..8,
        who in 0u64..200,
        config in config_strategy(),
        cap in prop_oneof![Just(None), (1usize..3).prop_map(Some)],
    ) {
        let n = 400;
        let (index, market) = market_index(n, seed, segments);
        // Guidance works in the seeker's own reach: no widening to compare with.
        let config = RankingConfig { max_per_employer: cap, broaden: false, ..config };
        let uncapped = Matcher::new(
            index.snapshot().unwrap(),
            RankingConfig { max_per_employer: None, ..config.clone() },
            today(),
        )
        .unwrap();
        let m = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
        let guide = Guide::new(&m, GuidanceConfig { k, candidates: 12, count_cap: 10_000 }).unwrap();
        check_exact(&m, &uncapped, &guide, &market.seeker(who), n as usize);
    }
}

/// The same check over many seekers of one market, where skills bring
/// vacancies above the bar; none falls below it (a skill added never lowers
/// a score), which is checked too.
#[test]
fn gains_equal_recomputation_where_skills_enter() {
    // At most the largest k a matcher allows, so one scan lists them all.
    let n = 1_000;
    let (index, market) = market_index(n, 23, 2);
    let config = RankingConfig {
        broaden: false,
        ..RankingConfig::default()
    };
    let m = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
    let guide = Guide::new(
        &m,
        GuidanceConfig {
            k: 5,
            candidates: 8,
            count_cap: 10_000,
        },
    )
    .unwrap();
    let (mut entering, mut leaving) = (0, 0);
    for j in 0..12 {
        let (e, l) = check_exact(&m, &m, &guide, &market.seeker(j), n as usize);
        entering += e;
        leaving += l;
    }
    // Adding a skill never lowers a score, so nothing leaves the bar.
    assert!(
        entering > 0 && leaving == 0,
        "entering {entering}, leaving {leaving}"
    );
}

/// Candidates come from the target occupation and from related skills,
/// never a skill held; a saturated count says so.
#[test]
fn candidates_and_caps() {
    let (index, market) = market_index(2_000, 7, 2);
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let guide = Guide::new(&m, GuidanceConfig::default()).unwrap();
    let seeker = market.seeker(3);
    let candidates = guide.candidates(&seeker).unwrap();
    assert!(!candidates.is_empty());
    assert!(candidates.len() <= 40);
    let kinds: HashSet<&str> = candidates
        .iter()
        .map(|(_, s)| match s {
            jobmatch::guidance::Source::Occupation { .. } => "occupation",
            jobmatch::guidance::Source::Related { .. } => "related",
            jobmatch::guidance::Source::Given => "given",
        })
        .collect();
    assert!(kinds.contains("occupation"), "{kinds:?}");
    // A count cap of 1: any skill bringing a vacancy above the bar saturates.
    let tight = Guide::new(
        &m,
        GuidanceConfig {
            count_cap: 1,
            ..Default::default()
        },
    )
    .unwrap();
    let g = tight.seeker(&market.seeker(3), 40).unwrap();
    assert!(g.skills.iter().all(|s| s.entering <= 1));
    assert!(g.skills.iter().any(|s| s.saturated));
    assert!(
        Guide::new(
            &m,
            GuidanceConfig {
                k: 0,
                ..Default::default()
            }
        )
        .is_err()
    );
    // The explanation names the count and a district.
    let g = guide.seeker(&seeker, 3).unwrap();
    let best = &g.skills[0];
    assert!(best.entering > 0, "{best:?}");
    assert!(best.saturated || g.skills.iter().all(|s| !s.saturated));
    assert!(best.explanation.contains(&best.skill), "{}", best.explanation);
    if best.entering > 0 {
        assert!(
            best.explanation.contains(&best.districts[0].name),
            "{}",
            best.explanation
        );
    }
}

/// Gaps: demand sums to the openings' weighted skills; supply counts the
/// residents holding the skill; blocked seekers lack it and gain from it.
#[test]
fn gaps_by_district_hold_together() {
    let (index, market) = market_index(3_000, 11, 2);
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seekers: Vec<Seeker> = (0..200).map(|j| market.seeker(j)).collect();
    let report = gaps(&m, &seekers, &GapConfig::default()).unwrap();
    assert!(!report.areas.is_empty());
    let total_seekers: u64 = report.areas.iter().map(|a| a.seekers).sum();
    assert!(total_seekers <= 200);
    for a in &report.areas {
        for w in a.gaps.windows(2) {
            assert!(w[0].gap >= w[1].gap);
        }
        for g in &a.gaps {
            assert!((g.gap - (g.demand - g.supply as f64)).abs() < 1e-9);
            assert!(g.gap > 0.0);
            let by_industry: f64 = g.by_industry.iter().map(|b| b.demand).sum();
            assert!(by_industry <= g.demand + 1e-9);
            for b in &g.blocked {
                let s = seekers.iter().find(|s| s.id == b.seeker).unwrap();
                assert!(!s.skills.contains(&g.skill));
                assert!(b.entering > 0 || b.top_rise > 0.0);
            }
        }
    }
    let skill = report.skill.clone().unwrap();
    assert!(!report.skill_by_area.is_empty());
    // Skills are named as the vocabulary names them, and a mapped skill is
    // found in any spelling the vocabulary reads (`excel`, `ＥＸＣＥＬ`).
    let vocab = jobmatch::taxonomy::skills();
    let is_named = |s: &str| {
        vocab
            .lookup(s)
            .and_then(|id| vocab.get(id))
            .is_some_and(|k| k.name == s)
    };
    assert!(is_named(&skill), "{skill}");
    assert!(
        report
            .areas
            .iter()
            .flat_map(|a| &a.gaps)
            .all(|g| is_named(&g.skill))
    );
    let mapped = |s: &str| {
        gaps(
            &m,
            &seekers,
            &GapConfig {
                skill: Some(s.into()),
                ..Default::default()
            },
        )
        .unwrap()
    };
    for spelling in ["Excel", "excel", "ＥＸＣＥＬ", "C1驾照", "c1驾驶证"] {
        let (a, b) = (mapped(spelling), mapped(&vocab.canonical(spelling)));
        assert_eq!(a.skill, b.skill, "{spelling}");
        assert!(
            a.skill.as_deref().is_some_and(is_named),
            "{spelling}: {:?}",
            a.skill
        );
        assert_eq!(a.skill_by_area, b.skill_by_area, "{spelling}");
    }
    let excel = mapped("Excel");
    assert!(!excel.skill_by_area.is_empty(), "no area asks for Excel");
    // One district, by name.
    let name = report.areas[0].name.clone();
    let one = gaps(
        &m,
        &seekers,
        &GapConfig {
            area: Some(name.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(one.areas.len(), 1);
    assert_eq!(one.areas[0].name, name);
    assert_eq!(one.skill.as_deref(), Some(skill.as_str()));
    let err = gaps(
        &m,
        &seekers,
        &GapConfig {
            area: Some("不存在区".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("不存在区"), "{err}");
}

/// Training: the trainees are of the groups, lacked a skill, and the fair
/// with training places at least the trainees' gains allow; both sides
/// count the same seekers.
#[test]
fn a_training_report_compares_the_fair_with_and_without() {
    let (index, market) = market_index(3_000, 13, 2);
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seekers: Vec<Seeker> = (0..300).map(|j| market.seeker(j)).collect();
    let guide = Guide::new(&m, GuidanceConfig::default()).unwrap();
    // A programme teaching the skill that helps the first seeker most.
    let skill = guide.seeker(&seekers[0], 1).unwrap().skills[0].skill.clone();
    let report = training(
        &m,
        &seekers,
        &TrainingConfig {
            skills: vec![skill.clone()],
            count: 30,
            groups: vec![
                PriorityGroup::Graduate,
                PriorityGroup::MigrantWorker,
                PriorityGroup::Unemployed,
            ],
            ..Default::default()
        },
    )
    .unwrap();
    assert!(report.trainees.len() <= 30);
    assert!(report.eligible >= report.trainees.len() as u64);
    for t in &report.trainees {
        let s = seekers.iter().find(|s| s.id == t.seeker).unwrap();
        assert!(!s.groups.is_empty());
        assert_eq!(t.added, vec![skill.clone()]);
    }
    for w in report.trainees.windows(2) {
        assert!(w[0].net >= w[1].net);
    }
    let count =
        |side: &jobmatch::guidance::TrainingSide| side.by_group.values().map(|g| g.placed).sum::<u64>();
    let _ = count(&report.without);
    assert_eq!(
        report.without.trainees_placed,
        report.trainees.iter().filter(|t| t.placed_before).count() as u64
    );
    assert_eq!(
        report.with.trainees_placed,
        report.trainees.iter().filter(|t| t.placed_after).count() as u64
    );
    assert!(training(&m, &seekers, &TrainingConfig::default()).is_err());
}
