//! Ranking: the pruned path equals the exhaustive scan; properties; worked
//! examples with hand-computed expectations.

use jobmatch::index::VacancyIndex;
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::{MatchResult, Matcher};
use jobmatch::rank::{RankingConfig, Signals, Weights};
use jobmatch::{Date, Seeker, Vacancy};
use proptest::prelude::*;

pub fn today() -> Date {
    Date::new(2021, 3, 31).unwrap()
}

/// An index of a generated market, in RAM, in a few segments.
pub fn market_index(vacancies: u64, seed: u64, segments: u64) -> (VacancyIndex, Market) {
    let market = Market::new(MarketConfig {
        vacancies,
        seekers: 200,
        seed,
        ..Default::default()
    });
    let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    let per = vacancies.div_ceil(segments.max(1));
    for i in 0..vacancies {
        index.upsert(&market.vacancy(i)).unwrap();
        if (i + 1) % per == 0 {
            index.commit().unwrap();
        }
    }
    index.commit().unwrap();
    (index, market)
}

fn ids(r: &MatchResult) -> Vec<(String, u64)> {
    r.matches
        .iter()
        .map(|m| (m.vacancy.clone(), m.score.to_bits()))
        .collect()
}

pub fn config_strategy() -> impl Strategy<Value = RankingConfig> {
    let w = || prop_oneof![Just(0.0), 0.0..1.0f64];
    (
        (w(), w(), w(), w(), w(), w()),
        (w(), w(), w(), w(), w()),
        (
            0.0..10.0f64,
            any::<bool>(),
            proptest::option::of(1usize..3),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((a, b, c, d, e, f), (g, h, i, j, k), (full, require_salary, cap, broaden))| {
                let mut cfg = RankingConfig::default();
                let mut w = [a, b, c, d, e, f, g, h, i, j, k];
                if w.iter().sum::<f64>() == 0.0 {
                    w[0] = 1.0; // skills
                }
                cfg.weights = Weights::from(Signals::from_array(w));
                cfg.full_credit_km = full;
                cfg.require_salary = require_salary;
                cfg.max_per_employer = cap;
                cfg.broaden = broaden;
                cfg
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn indexed_top_k_equals_exhaustive_top_k(
        seed in any::<u64>(),
        n in 20u64..400,
        segments in 1u64..4,
        config in config_strategy(),
        k in prop_oneof![Just(1usize), Just(5), Just(20), Just(500)],
        drop_skills in any::<bool>(),
    ) {
        let (index, market) = market_index(n, seed, segments);
        // Delete a few so that deleted docs are present in segments.
        index.delete("v3").unwrap();
        index.commit().unwrap();
        let matcher = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
        for j in 0..12 {
            let mut seeker = market.seeker(j);
            if drop_skills && j % 3 == 0 {
                seeker.skills.clear();
                seeker.titles.clear();
            }
            if j % 4 == 1 {
                seeker.mobility.relocate = true;
                seeker.mobility.max_km = Some(150.0);
            }
            if j % 3 == 2 {
                // A second (and third) trade: the top k is then a pool
                // shared among them, which the pruned search cuts short.
                for other in [market.seeker(j + 40), market.seeker(j + 80)] {
                    seeker.skills.extend(other.skills);
                    seeker.titles.extend(other.titles);
                    seeker.occupations.extend(other.occupations);
                }
            }
            let fast = matcher.match_one(&seeker, k).unwrap();
            let slow = matcher.match_exhaustive(&seeker, k).unwrap();
            prop_assert_eq!(ids(&fast), ids(&slow), "seeker {}", j);
            for m in &fast.matches {
                prop_assert!(m.score.is_finite() && (0.0..=1.0 + 1e-9).contains(&m.score));
            }
        }
    }

    #[test]
    fn parallel_batch_equals_one_by_one(seed in any::<u64>()) {
        let (index, market) = market_index(300, seed, 2);
        let matcher = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
        let seekers: Vec<Seeker> = (0..24).map(|j| market.seeker(j)).collect();
        let batch = matcher.match_batch(&seekers, 10, false);
        for (s, r) in seekers.iter().zip(batch) {
            prop_assert_eq!(r.unwrap(), matcher.match_one(s, 10).unwrap());
        }
    }
}

/// An index of the vacancies of a generated market that lie in Chengdu
/// (about 18,000 in two segments, one deleted), and the market.
fn dense_city() -> (VacancyIndex, Market) {
    let market = Market::new(MarketConfig {
        vacancies: 60_000,
        seekers: 100,
        seed: 11,
        ..Default::default()
    });
    let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    let chengdu: Vec<Vacancy> = (0..60_000)
        .map(|i| market.vacancy(i))
        .filter(|v| v.region.to_string().starts_with("5101"))
        .collect();
    assert!(chengdu.len() > 10_000, "{} vacancies in Chengdu", chengdu.len());
    for (i, v) in chengdu.iter().enumerate() {
        index.upsert(v).unwrap();
        if i == chengdu.len() / 2 {
            index.commit().unwrap();
        }
    }
    index.delete(&chengdu[17].id).unwrap();
    index.commit().unwrap();
    (index, market)
}

/// Generated seeker `j`, moved to a Chengdu district, with a commute of
/// 2 to 25 km, relocating (with or without `max_km`), moving to one
/// district, or neither.
fn city_seeker(market: &Market, j: u64) -> Seeker {
    let homes = ["510104", "510107", "510112", "510116", "510183"];
    let mut seeker = market.seeker(j);
    seeker.region = homes[j as usize % homes.len()].parse().unwrap();
    seeker.coordinates = None;
    seeker.commute_km = [2.0, 8.0, 25.0][j as usize % 3];
    seeker.mobility.regions.clear();
    seeker.mobility.relocate = false;
    match j % 4 {
        1 => {
            seeker.mobility.relocate = true;
            seeker.mobility.max_km = [None, Some(30.0)][j as usize / 4 % 2];
        }
        2 => seeker.mobility.regions = vec!["510112".parse().unwrap()],
        _ => {}
    }
    seeker
}

/// The proptest's markets are small: a few blocks per segment spread over
/// both provinces. A market dense in one city exercises what only shows at
/// scale: whole blocks out of a short commute, batches of candidates, many
/// regions merged into one range for a relocating seeker, lists long enough
/// for terms to turn non-essential mid-walk, and the floor guessed from
/// earlier seekers (after the warm-up) both when it holds and when the
/// search must run again without it, with and without a cap per employer.
#[test]
fn indexed_equals_exhaustive_on_a_dense_city() {
    let (index, market) = dense_city();
    for cap in [None, Some(1)] {
        let config = RankingConfig {
            max_per_employer: cap,
            ..Default::default()
        };
        let matcher = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
        let (mut settled, mut retried) = (0, 0);
        for k in [1, 20, 200] {
            for j in 0..40 {
                let seeker = city_seeker(&market, j);
                let (fast, stats) = matcher.match_one_with_stats(&seeker, k).unwrap();
                let slow = matcher.match_exhaustive(&seeker, k).unwrap();
                assert_eq!(ids(&fast), ids(&slow), "seeker {j}, k {k}, cap {cap:?}");
                if j >= 16 {
                    if stats.retries == 0 {
                        settled += 1;
                    } else {
                        retried += 1;
                    }
                }
            }
        }
        assert!(settled > 0 && retried > 0, "settled {settled}, retried {retried}");
    }
}

#[test]
fn k_of_zero_is_an_empty_result_not_a_panic() {
    let (index, market) = market_index(50, 3, 1);
    let matcher = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seeker = market.seeker(0);
    assert!(matcher.match_one(&seeker, 0).unwrap().matches.is_empty());
    assert!(matcher.match_exhaustive(&seeker, 0).unwrap().matches.is_empty());
    for r in matcher.match_batch(&[seeker], 0, false) {
        assert!(r.unwrap().matches.is_empty());
    }
}

#[test]
fn matcher_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Matcher>();
    check::<jobmatch::index::Snapshot>();
}

#[test]
fn explain_agrees_with_match_scores() {
    let (index, market) = market_index(300, 9, 2);
    let matcher = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    for j in 0..10 {
        let seeker = market.seeker(j);
        for m in matcher.match_one(&seeker, 5).unwrap().matches {
            let e = matcher.explain(&seeker, &m.vacancy).unwrap();
            assert_eq!(e.score, Some(m.score));
            assert!(e.excluded.is_none());
            let sum: f64 = e.signals.iter().map(|s| s.contribution).sum();
            assert!((sum - m.score).abs() < 1e-4, "{sum} vs {}", m.score);
        }
    }
}

#[test]
fn explain_agrees_with_every_match_when_broadening() {
    // A sparse market (60 vacancies over two provinces) and short commutes:
    // most seekers find fewer than k in reach, so widened matches abound.
    let (index, market) = market_index(60, 17, 2);
    let config = RankingConfig {
        broaden: true,
        ..RankingConfig::default()
    };
    let matcher = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
    let mut widened = 0;
    for j in 0..40 {
        let mut seeker = market.seeker(j);
        seeker.commute_km = seeker.commute_km.min(15.0);
        for m in matcher.match_one(&seeker, 10).unwrap().matches {
            let e = matcher.explain(&seeker, &m.vacancy).unwrap();
            assert_eq!(e.score, Some(m.score), "{}: {m:?} vs {e:?}", seeker.id);
            assert!(e.excluded.is_none(), "{e:?}");
            assert_eq!(e.widened.is_some(), m.widened.is_some(), "{m:?} vs {e:?}");
            widened += usize::from(m.widened.is_some());
        }
    }
    assert!(
        widened > 20,
        "only {widened} widened matches: the test does not test widening"
    );
}

#[test]
fn an_invalid_seeker_built_in_code_is_an_error_not_an_empty_result() {
    let (index, market) = market_index(50, 3, 1);
    let matcher = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    for bad in [f64::NAN, f64::INFINITY, -1.0] {
        let mut seeker = market.seeker(0);
        seeker.commute_km = bad;
        for r in [
            matcher.match_one(&seeker, 10),
            matcher.match_exhaustive(&seeker, 10),
        ] {
            let e = r.unwrap_err();
            assert!(
                matches!(&e, jobmatch::Error::Invalid { field, .. } if field.contains("commute_km")),
                "{bad}: {e}"
            );
        }
        assert!(matcher.explain(&seeker, "v0").is_err());
    }
    let mut seeker = market.seeker(0);
    seeker.mobility.max_km = Some(f64::NAN);
    assert!(matcher.match_one(&seeker, 10).is_err());
}

#[test]
fn absurd_k_and_unknown_ids_are_typed_errors() {
    let config = RankingConfig {
        max_k: usize::MAX,
        ..RankingConfig::default()
    };
    assert!(matches!(config.validate(), Err(jobmatch::Error::Config { .. })));
    let (index, market) = market_index(50, 3, 1);
    let config = RankingConfig {
        max_k: RankingConfig::MAX_K_LIMIT,
        ..RankingConfig::default()
    };
    let matcher = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
    let seeker = market.seeker(0);
    // k far above the market: every vacancy in reach, no panic, no waste.
    let all = matcher.match_one(&seeker, RankingConfig::MAX_K_LIMIT).unwrap();
    assert!(all.matches.len() <= 50);
    assert!(matches!(
        matcher.match_one(&seeker, RankingConfig::MAX_K_LIMIT + 1),
        Err(jobmatch::Error::TooLarge { .. })
    ));
    assert!(matches!(
        matcher.explain(&seeker, "no-such-vacancy"),
        Err(jobmatch::Error::UnknownVacancy { .. })
    ));
}

fn vacancy(id: &str, title: &str, skills: &[&str], region: &str) -> Vacancy {
    let mut v = Vacancy::new(id, title, region.parse().unwrap()).unwrap();
    v.skills = skills.iter().map(|s| s.to_string()).collect();
    v
}

fn index_of(vs: &[Vacancy]) -> VacancyIndex {
    let index = VacancyIndex::create_in_ram().unwrap();
    for v in vs {
        index.upsert(v).unwrap();
    }
    index.commit().unwrap();
    index
}

fn matcher(index: &VacancyIndex) -> Matcher {
    Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap()
}

#[test]
fn welder_in_jiulongpo_with_a_20_km_radius() {
    let jiulongpo: jobmatch::RegionCode = "500107".parse().unwrap();
    let home = jiulongpo.region().centroid;
    let at = |km_north: f64| jobmatch::Coordinates::new(home.lat() + km_north / 111.2, home.lon()).unwrap();
    let mut near = vacancy("near", "焊工", &["电焊"], "500107");
    near.coordinates = Some(at(2.0));
    let mut mid = vacancy("mid", "焊工", &["焊接"], "500107");
    mid.coordinates = Some(at(11.5));
    let mut far = vacancy("far", "焊工", &["焊接"], "500107");
    far.coordinates = Some(at(25.0));
    let other = vacancy("cook", "厨师", &["烹饪"], "500107");
    let index = index_of(&[near, mid, far, other]);
    let m = matcher(&index);
    let mut seeker = Seeker::new("w", vec!["焊接".into()], jiulongpo).unwrap();
    seeker.commute_km = 20.0;
    let r = m.match_one(&seeker, 10).unwrap();
    let got: Vec<&str> = r.matches.iter().map(|m| m.vacancy.as_str()).collect();
    // `far` is 25 km away: beyond the radius and the seeker would not move.
    assert_eq!(got, ["near", "mid", "cook"]);
    // 电焊 is an alias of 焊接: the same skill credit for both, the one
    // skill each asks for held: (1 − τ)·e, e the evidence of a skill three
    // of four vacancies ask for (BM25's IDF: ln(1 + 1.5/3.5)).
    let idf = (1.0f64 + 1.5 / 3.5).ln();
    let evidence = 0.15 + 0.85 * (1.0 - (-idf / 4.0).exp());
    let expected = 0.95 * evidence;
    for m in &r.matches[..2] {
        let got = m.components.get("skills").unwrap();
        assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
    }
    // Location: full within 3 km, then linear to 0 at 20 km:
    // 11.5 km → 1 − (11.5 − 3) / (20 − 3) = 0.5.
    assert_eq!(r.matches[0].components.get("location"), Some(1.0));
    let loc = r.matches[1].components.get("location").unwrap();
    assert!((loc - 0.5).abs() < 0.01, "{loc}");
    let e = m.explain(&seeker, "far").unwrap();
    assert!(
        e.excluded
            .map(|x| x.to_string())
            .unwrap_or_default()
            .starts_with("out of reach"),
        "{e:?}"
    );
    assert_eq!(e.skills[0].matched.as_deref(), Some("焊接"));
}

#[test]
fn chengdu_graduate_willing_to_move_to_chongqing() {
    let index = index_of(&[
        vacancy("cq", "会计", &["会计"], "500103"),
        vacancy("cd", "会计", &["会计"], "510104"),
        vacancy("my", "会计", &["会计"], "510703"), // Mianyang, out of reach
    ]);
    let m = matcher(&index);
    let mut s = Seeker::new("g", vec!["会计".into()], "510104".parse().unwrap()).unwrap();
    s.groups = vec![jobmatch::PriorityGroup::Graduate];
    s.mobility.regions = vec!["50".parse().unwrap()];
    let r = m.match_one(&s, 10).unwrap();
    let got: Vec<&str> = r.matches.iter().map(|m| m.vacancy.as_str()).collect();
    assert_eq!(got, ["cd", "cq"]);
    let cq = &r.matches[1];
    // Beyond the commute: no location credit; mobility credit is the
    // Sichuan → Chongqing prior 3.12 / 8.06.
    assert_eq!(cq.components.get("location"), Some(0.0));
    let mobility = cq.components.get("mobility").unwrap();
    assert!((mobility - 0.0312 / 0.0806).abs() < 1e-6, "{mobility}");
}

#[test]
fn relocating_seeker_with_max_km() {
    let index = index_of(&[
        vacancy("near", "司机", &["驾驶"], "510703"), // Mianyang, ~100 km from Chengdu
        vacancy("far", "司机", &["驾驶"], "513401"),  // Xichang, ~400 km
        vacancy("home", "司机", &["驾驶"], "510104"),
    ]);
    let m = matcher(&index);
    let mut s = Seeker::new("r", vec!["驾驶".into()], "510104".parse().unwrap()).unwrap();
    s.mobility.relocate = true;
    s.mobility.max_km = Some(200.0);
    let r = m.match_one(&s, 10).unwrap();
    let got: Vec<&str> = r.matches.iter().map(|m| m.vacancy.as_str()).collect();
    assert_eq!(got, ["home", "near"]);
    assert_eq!(
        r.matches[1].components.get("mobility"),
        Some(1.0),
        "a move within Sichuan"
    );
}

#[test]
fn seeker_with_no_skills_is_ranked_on_the_rest() {
    let mut paid = vacancy("paid", "普工", &["包装"], "500107");
    paid.salary_min = Some(jobmatch::Cny::new(6000).unwrap());
    paid.salary_max = Some(jobmatch::Cny::new(7000).unwrap());
    let mut cheap = vacancy("cheap", "普工", &["包装"], "500107");
    cheap.salary_max = Some(jobmatch::Cny::new(2000).unwrap());
    let index = index_of(&[paid, cheap]);
    let m = matcher(&index);
    let mut s = Seeker::new("n", vec![], "500107".parse().unwrap()).unwrap();
    s.salary_min = Some(jobmatch::Cny::new(5000).unwrap());
    let r = m.match_one(&s, 10).unwrap();
    let got: Vec<&str> = r.matches.iter().map(|m| m.vacancy.as_str()).collect();
    assert_eq!(got, ["paid", "cheap"]);
    assert_eq!(r.matches[0].components.get("skills"), Some(0.0));
    // 2000 against a 5000 minimum: 1 − 3000 / (0.5 × 5000) < 0 → 0.
    assert_eq!(r.matches[1].components.get("salary"), Some(0.0));
}

#[test]
fn expired_vacancy_is_never_returned() {
    let mut old = vacancy("old", "焊工", &["焊接"], "500107");
    old.posted = Some(Date::new(2021, 1, 1).unwrap());
    old.expires = Some(Date::new(2021, 3, 30).unwrap());
    let mut current = vacancy("new", "焊工", &["焊接"], "500107");
    current.expires = Some(Date::new(2021, 3, 31).unwrap()); // last day is today
    let index = index_of(&[old, current]);
    let m = matcher(&index);
    let s = Seeker::new("w", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
    for r in [m.match_one(&s, 10).unwrap(), m.match_exhaustive(&s, 10).unwrap()] {
        let got: Vec<&str> = r.matches.iter().map(|m| m.vacancy.as_str()).collect();
        assert_eq!(got, ["new"]);
    }
    assert!(
        m.explain(&s, "old")
            .unwrap()
            .excluded
            .unwrap()
            .to_string()
            .starts_with("expired")
    );
}

#[test]
fn ties_are_broken_by_vacancy_id() {
    let vs: Vec<Vacancy> = ["b", "c", "a"]
        .iter()
        .map(|id| vacancy(id, "焊工", &["焊接"], "500107"))
        .collect();
    let index = index_of(&vs);
    let m = matcher(&index);
    let s = Seeker::new("w", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
    let r = m.match_one(&s, 2).unwrap();
    let got: Vec<&str> = r.matches.iter().map(|m| m.vacancy.as_str()).collect();
    assert_eq!(got, ["a", "b"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn adding_a_required_skill_never_lowers_the_score(seed in any::<u64>(), j in 0u64..50) {
        let (index, market) = market_index(120, seed, 1);
        let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
        let seeker = market.seeker(j);
        let v = market.vacancy(market.planted_vacancy(j));
        let before = m.explain(&seeker, &v.id).unwrap();
        let mut more = seeker.clone();
        for s in &v.skills {
            if !more.skills.contains(s) {
                more.skills.push(s.clone());
                break;
            }
        }
        // IDF shares change with the seeker's skills, so compare the skill
        // signal's credited share, which can only grow.
        let after = m.explain(&more, &v.id).unwrap();
        let value = |e: &jobmatch::matcher::Explanation| e.signals[0].value;
        prop_assert!(value(&after) + 1e-12 >= value(&before));
    }

    #[test]
    fn moving_closer_never_lowers_location(km in 0.0..60.0f64, closer in 0.0..1.0f64, radius in 1.0..60.0f64) {
        let home: jobmatch::RegionCode = "500107".parse().unwrap();
        let c = home.region().centroid;
        let at = |d: f64| jobmatch::Coordinates::new(c.lat() + d / 111.2, c.lon()).unwrap();
        let mut a = vacancy("a", "焊工", &["焊接"], "500107");
        a.coordinates = Some(at(km));
        let mut b = vacancy("b", "焊工", &["焊接"], "500107");
        b.coordinates = Some(at(km * closer));
        let index = index_of(&[a, b]);
        let m = matcher(&index);
        let mut s = Seeker::new("w", vec!["焊接".into()], home).unwrap();
        s.coordinates = Some(c);
        s.commute_km = radius;
        let la = m.explain(&s, "a").unwrap().signals[3].value;
        let lb = m.explain(&s, "b").unwrap().signals[3].value;
        prop_assert!(lb >= la, "{lb} < {la}");
    }

    #[test]
    fn raising_the_commute_radius_never_removes_a_match(seed in any::<u64>(), j in 0u64..40) {
        let (index, market) = market_index(150, seed, 1);
        let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
        let seeker = market.seeker(j);
        let mut wider = seeker.clone();
        wider.commute_km *= 2.0;
        let before = m.match_one(&seeker, 1000).unwrap();
        let after = m.match_one(&wider, 1000).unwrap();
        for v in &before.matches {
            prop_assert!(after.matches.iter().any(|x| x.vacancy == v.vacancy));
        }
    }
}

#[test]
fn explanations_name_skills_as_the_vocabulary_does() {
    let index = index_of(&[vacancy("office", "文员", &["excel", "C1驾驶证"], "500107")]);
    let m = matcher(&index);
    let s = Seeker::new(
        "w",
        vec!["ＥＸＣＥＬ".into(), "c1驾照".into()],
        "500107".parse().unwrap(),
    )
    .unwrap();
    let e = m.explain(&s, "office").unwrap();
    let matched: Vec<Option<&str>> = e.skills.iter().take(2).map(|c| c.matched.as_deref()).collect();
    assert_eq!(matched, [Some("Excel"), Some("C1驾照")], "{:?}", e.skills);
}

#[test]
fn related_skills_earn_partial_credit_and_say_which() {
    let (index, _) = market_index(4_000, 17, 1);
    let config = RankingConfig {
        related_per_skill: 3,
        ..Default::default()
    };
    let m = Matcher::new(index.snapshot().unwrap(), config.clone(), today()).unwrap();
    let rel = m.skill_relations().expect("learned when related_per_skill > 0");
    assert!(rel.len() > 100, "{}", rel.len());
    // Welding skills are asked for by the same occupations.
    let related = rel.related("焊枪");
    assert!(!related.is_empty());
    assert!(related.iter().all(|(_, r)| (0.3..=1.0 + 1e-6).contains(r)));
    assert!(rel.relatedness("焊枪", "焊材") > rel.relatedness("焊枪", "会计"));

    // A vacancy asking only for a related skill gets partial credit, and the
    // explanation names the skill that earned it.
    let (other, r) = related[0];
    let mut v = Vacancy::new("only-related", "焊工", "500107".parse().unwrap()).unwrap();
    v.skills = vec![other.to_owned()];
    index.upsert(&v).unwrap();
    index.commit().unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), config, today()).unwrap();
    let s = Seeker::new("w", vec!["焊枪".into()], "500107".parse().unwrap()).unwrap();
    let e = m.explain(&s, "only-related").unwrap();
    let credit = &e.skills[0];
    assert_eq!(credit.matched.as_deref(), Some(other));
    assert!(credit.credit > 0.0 && credit.credit < 1.0, "{credit:?}");
    let expected = RankingConfig::default().related_credit * f64::from(r);
    assert!(
        (credit.credit - expected).abs() < 0.05,
        "{} vs {expected}",
        credit.credit
    );
}
