//! Match quality: a seeker who lists only skills gets the occupation those
//! skills belong to, inferred from the market, and sees its vacancies first.

use std::collections::HashMap;

use jobmatch::Seeker;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::taxonomy::{OccupationCode, skills};

use crate::ranking::{market_index, today};

/// A generated market big enough to hold most occupations near 九龙坡.
const VACANCIES: u64 = 40_000;

fn code(s: &str) -> OccupationCode {
    s.parse().unwrap()
}

/// Each vacancy's true occupation, by id.
fn occupations(market: &jobmatch::market::Market) -> HashMap<String, OccupationCode> {
    (0..VACANCIES)
        .map(|i| (market.vacancy(i).id, market.true_occupation(i)))
        .collect()
}

/// A seeker in 九龙坡 (500107) with a 20 km commute who gives only skills.
fn skills_only(id: &str, skills: &[&str]) -> Seeker {
    let mut s = Seeker::new(
        id,
        skills.iter().map(|&x| x.to_owned()).collect(),
        "500107".parse().unwrap(),
    )
    .unwrap();
    s.commute_km = 20.0;
    s
}

/// Matchers over one snapshot with occupation inference on (the default)
/// and off.
fn matchers(index: &jobmatch::index::VacancyIndex) -> (Matcher, Matcher) {
    let on = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let off = RankingConfig {
        infer_occupation: false,
        ..Default::default()
    };
    let off = Matcher::new(index.snapshot().unwrap(), off, today()).unwrap();
    (on, off)
}

/// How many of a seeker's top 10 satisfy `is`.
fn in_top10(m: &Matcher, seeker: &Seeker, is: impl Fn(&str) -> bool) -> usize {
    let r = m.match_one(seeker, 10).unwrap();
    r.matches.iter().filter(|v| is(&v.vacancy)).count()
}

#[test]
fn a_welder_who_gives_only_skills_sees_welding_jobs_first() {
    let (index, market) = market_index(VACANCIES, 5, 2);
    let of = occupations(&market);
    let (m, off) = matchers(&index);
    let welder = code("6-18-02-04");
    let seeker = skills_only("welder", &["焊接", "电焊"]);
    let is_welder = |v: &str| of[v] == welder;
    let with = in_top10(&m, &seeker, is_welder);
    let without = in_top10(&off, &seeker, is_welder);
    assert!(
        with >= 2 && with > without,
        "焊工 in the top 10: {with} inferred, {without} not"
    );
    let first = m.match_one(&seeker, 1).unwrap().matches[0].vacancy.clone();
    assert!(is_welder(&first), "first is {first}, {}", of[&first]);

    // The explanation says where the occupation came from.
    let e = m.explain(&seeker, &first).unwrap();
    let inferred = e
        .inferred_occupation
        .expect("no occupation given, none coded: inferred");
    assert_eq!(
        welder.truncate(inferred.code.depth()),
        inferred.code.packed(),
        "{inferred:?}"
    );
    assert_eq!(inferred.from, vec!["焊接".to_owned()], "电焊 is 焊接");
    assert!((0.0..=1.0).contains(&inferred.confidence));
    assert!(e.signals.iter().any(|s| s.name == "occupation" && s.value == 1.0));
    // Without inference the occupation signal is 0 for every vacancy.
    let e = off.explain(&seeker, &first).unwrap();
    assert!(e.inferred_occupation.is_none());
    assert!(e.signals.iter().any(|s| s.name == "occupation" && s.value == 0.0));
}

/// A seeker giving a few of another occupation's typical skills (its
/// profile's first three) sees that occupation first and its minor group
/// more often than without inference.
#[test]
fn cooks_and_drivers_who_give_only_skills_see_their_kind_of_job_first() {
    let (index, market) = market_index(VACANCIES, 9, 1);
    let of = occupations(&market);
    let (m, off) = matchers(&index);
    let vocab = skills();
    for occupation in [code("4-03-02-01"), code("4-02-02-01")] {
        let names: Vec<&str> = vocab
            .profile(occupation)
            .iter()
            .take(3)
            .map(|&id| vocab.get(id).unwrap().name.as_str())
            .collect();
        let seeker = skills_only("s", &names);
        let minor = occupation.truncate(3);
        let in_group = |v: &str| of[v].truncate(3) == minor;
        let with = in_top10(&m, &seeker, in_group);
        let without = in_top10(&off, &seeker, in_group);
        assert!(
            with >= 5 && with >= without,
            "{occupation} {names:?}: {with} of the top 10 in its group, {without} without inference"
        );
        let first = m.match_one(&seeker, 1).unwrap().matches[0].vacancy.clone();
        assert_eq!(of[&first], occupation, "{occupation} {names:?}: first is {first}");
        // The inferred occupation is of the same kind (its middle group): on
        // a market this small, 客运 and 驾驶 are asked about as often by
        // passenger-ship as by passenger-vehicle drivers' vacancies, and
        // the coverage of the two is within a few points.
        let e = m.explain(&seeker, &first).unwrap();
        let inferred = e.inferred_occupation.map(|i| i.code);
        assert_eq!(
            inferred.map(|c| c.truncate(2)),
            Some(occupation.truncate(2)),
            "{names:?}: inferred {inferred:?}"
        );
    }
}
