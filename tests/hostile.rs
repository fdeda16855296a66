//! Hostile input (robustness issue, item 2): each case ends in a clear error
//! naming what and where, or a defined result; never a panic.

use jobmatch::index::{LoadOptions, OnError, VacancyIndex};
use jobmatch::io::JsonLines;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::{Error, Seeker, Vacancy};

use crate::ranking::today;

const GOOD: &str = r#"{"id":"v1","title":"焊工","skills":["电焊"],"region":"500107"}"#;

/// Every record of a text, and the errors of the bad lines.
fn parse<T: jobmatch::io::Record>(bytes: &[u8]) -> (Vec<T>, Vec<Error>) {
    let mut errors = Vec::new();
    let good = JsonLines::new(bytes).skip_bad(|e| errors.push(e)).collect();
    (good, errors)
}

fn line_of(e: &Error) -> Option<u64> {
    match e {
        Error::Parse { line, .. } => Some(*line),
        _ => None,
    }
}

#[test]
fn empty_input_is_no_records_and_no_error() {
    let (v, e) = parse::<Vacancy>(b"");
    assert!(v.is_empty() && e.is_empty());
    let (v, e) = parse::<Vacancy>(b"\n\n  \n");
    assert!(v.is_empty() && e.is_empty(), "{e:?}");
}

#[test]
fn a_ten_megabyte_line_is_a_typed_error_and_the_next_line_survives() {
    let big = format!(
        "{{\"id\":\"big\",\"title\":\"{}\",\"skills\":[],\"region\":\"510104\"}}",
        "工".repeat((10 << 20) / 3)
    );
    let input = format!("{big}\n{GOOD}\n");
    let (v, e) = parse::<Vacancy>(input.as_bytes());
    assert_eq!(v.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), ["v1"]);
    assert_eq!(e.iter().map(line_of).collect::<Vec<_>>(), [Some(1)]);
    assert!(e[0].to_string().contains("longer than the limit"), "{}", e[0]);
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "{{\"id\":\"v\",\"title\":\"t\",\"region\":\"510104\",\"skills\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let (v, e) = parse::<Vacancy>(format!("{deep}\n{GOOD}").as_bytes());
    assert_eq!(v.len(), 1);
    assert_eq!(line_of(&e[0]), Some(1));
}

#[test]
fn invalid_utf8_and_nul_bytes_are_errors_naming_the_line() {
    let mut input = GOOD.as_bytes().to_vec();
    input
        .extend_from_slice(b"\n{\"id\":\"v2\",\"title\":\"\xff\xfe\",\"skills\":[],\"region\":\"510104\"}\n");
    input.extend_from_slice(b"{\"id\":\"v3\",\"title\":\"a\0b\",\"skills\":[],\"region\":\"510104\"}\n");
    input.extend_from_slice(b"\0\0\0\n");
    let (v, e) = parse::<Vacancy>(&input);
    assert_eq!(v.len(), 1, "{e:?}");
    assert_eq!(
        e.iter().map(line_of).collect::<Vec<_>>(),
        [Some(2), Some(3), Some(4)]
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read_as_plain_lines() {
    let input = format!("\u{feff}{GOOD}\r\n{}\r\n", GOOD.replace("v1", "v2"));
    let (v, e) = parse::<Vacancy>(input.as_bytes());
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(v.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), ["v1", "v2"]);
    assert_eq!(v[1].region.to_string(), "500107");
}

#[test]
fn a_truncated_last_line_is_an_error_and_the_records_before_it_are_kept() {
    let input = format!("{GOOD}\n{}", &GOOD[..GOOD.len() - 9]);
    let (v, e) = parse::<Vacancy>(input.as_bytes());
    assert_eq!(v.len(), 1);
    assert_eq!(e.iter().map(line_of).collect::<Vec<_>>(), [Some(2)]);
}

#[test]
fn out_of_range_numbers_are_errors_naming_the_field() {
    for (line, field) in [
        (
            r#"{"id":"v","title":"t","skills":[],"region":"510104","lat":1e999,"lon":104.0}"#,
            "lat",
        ),
        (
            r#"{"id":"v","title":"t","skills":[],"region":"510104","lat":30.0,"lon":-1e400}"#,
            "lon",
        ),
        (
            r#"{"id":"v","title":"t","skills":[],"region":"510104","salary_min":1e12}"#,
            "salary_min",
        ),
        (
            r#"{"id":"v","title":"t","skills":[],"region":"510104","headcount":-3}"#,
            "headcount",
        ),
        (
            r#"{"id":"v","title":"t","skills":[],"region":"510104","headcount":99999999999}"#,
            "headcount",
        ),
        (
            r#"{"id":"v","title":"t","skills":[],"region":"999999"}"#,
            "region",
        ),
        (
            r#"{"id":"v","title":"t","skills":[],"region":"510104","industry":"Z"}"#,
            "industry",
        ),
    ] {
        let (v, e) = parse::<Vacancy>(line.as_bytes());
        assert!(v.is_empty(), "{line} was accepted");
        let msg = e[0].to_string();
        assert!(msg.contains(field), "{line}: {msg}");
    }
}

#[test]
fn duplicate_ids_in_one_load_keep_the_last() {
    let index = VacancyIndex::create_in_ram().unwrap();
    let second = GOOD.replace("焊工", "氩弧焊工");
    let input = format!("{GOOD}\n{second}\n");
    let records = JsonLines::<_, Vacancy>::new(input.as_bytes());
    let summary = index
        .bulk_load(
            records,
            LoadOptions {
                on_error: OnError::Stop,
                max_errors_kept: 10,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(summary.indexed, 2);
    let snapshot = index.snapshot().unwrap();
    assert_eq!(snapshot.num_vacancies(), 1);
    assert_eq!(snapshot.vacancy("v1").unwrap().unwrap().title, "氩弧焊工");
}

/// A small index to rank hostile seekers against.
fn small_index() -> VacancyIndex {
    let index = VacancyIndex::create_in_ram().unwrap();
    for (i, title) in ["焊工", "厨师", "司机"].iter().enumerate() {
        let mut v = Vacancy::new(format!("v{i}"), *title, "500107".parse().unwrap()).unwrap();
        v.skills = vec!["焊接".into(), "烹饪".into(), "驾驶".into()];
        index.upsert(&v).unwrap();
    }
    index.commit().unwrap();
    index
}

#[test]
fn strange_skills_rank_without_panicking() {
    let index = small_index();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let skills = [
        "👩‍🏭",
        "e\u{301}\u{301}\u{301}",
        "\u{200b}\u{200d}\u{feff}",
        "ＣＮＣ",
        "焊\u{200b}接",
        "！？。",
        "\u{10ffff}",
    ];
    for s in skills {
        let seeker = Seeker::new("s", vec![s.into()], "500107".parse().unwrap()).unwrap();
        let r = m.match_one(&seeker, 10).unwrap();
        for v in &r.matches {
            assert!(
                v.score.is_finite() && (0.0..=1.0).contains(&v.score),
                "{s}: {}",
                v.score
            );
        }
    }
    // A title of punctuation only is indexed and ranks like any other.
    let mut v = Vacancy::new("p", "！！！？？？", "500107".parse().unwrap()).unwrap();
    v.skills = vec!["焊接".into()];
    index.upsert(&v).unwrap();
    index.commit().unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seeker = Seeker::new("s", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
    assert!(
        m.match_one(&seeker, 10)
            .unwrap()
            .matches
            .iter()
            .any(|x| x.vacancy == "p")
    );
}

#[test]
fn ten_thousand_skills_are_refused_with_the_limit() {
    // A record: refused when made (or parsed), naming the field.
    let skills: Vec<String> = (0..10_000).map(|i| format!("技能{i}")).collect();
    match Seeker::new("many", skills, "500107".parse().unwrap()) {
        Err(Error::Invalid { field, reason }) => {
            assert!(field == "skills" && reason.contains("limit"), "{reason}")
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    // Within the record limit but above the ranking config's: refused when
    // ranked, with both numbers.
    let index = small_index();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let skills: Vec<String> = (0..200).map(|i| format!("技能{i}")).collect();
    let seeker = Seeker::new("many", skills, "500107".parse().unwrap()).unwrap();
    match m.match_one(&seeker, 10) {
        Err(Error::TooLarge { limit, actual, .. }) => assert!(actual > limit, "{actual} ≤ {limit}"),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn k_zero_k_above_the_market_and_k_above_the_limit() {
    let index = small_index();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seeker = Seeker::new("s", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
    assert!(m.match_one(&seeker, 0).unwrap().matches.is_empty());
    assert_eq!(m.match_one(&seeker, 1_000).unwrap().matches.len(), 3);
    assert!(matches!(
        m.match_one(&seeker, 1_000_000),
        Err(Error::TooLarge { .. })
    ));
}

/// The worst seeker a config allows (as many of the market's most common
/// skills as `max_skills_per_seeker`, relocation anywhere, `k = max_k`)
/// still gets its exact answer: the pruned search equals the scan.
#[test]
fn the_worst_seeker_the_limits_allow_gets_the_exact_answer() {
    let (index, _) = crate::ranking::market_index(5_000, 3, 2);
    let config = RankingConfig::default();
    let m = Matcher::new(index.snapshot().unwrap(), config.clone(), today()).unwrap();
    let vocab = jobmatch::taxonomy::skills();
    let mut common: Vec<String> = Vec::new();
    for o in vocab.profiled_occupations() {
        for &id in vocab.profile(o) {
            let name = &vocab.get(id).unwrap().name;
            if !common.contains(name) && common.len() < config.max_skills_per_seeker {
                common.push(name.clone());
            }
        }
    }
    let mut seeker = Seeker::new("worst", common, "510104".parse().unwrap()).unwrap();
    seeker.commute_km = 500.0;
    seeker.mobility.relocate = true;
    let fast = m.match_one(&seeker, config.max_k).unwrap();
    let slow = m.match_exhaustive(&seeker, config.max_k).unwrap();
    assert_eq!(fast.matches.len(), slow.matches.len());
    assert_eq!(
        fast.matches.len(),
        config.max_k,
        "relocating anywhere reaches more than k"
    );
    for (a, b) in fast.matches.iter().zip(&slow.matches) {
        assert_eq!(
            (a.vacancy.as_str(), a.score.to_bits()),
            (b.vacancy.as_str(), b.score.to_bits())
        );
    }
}

/// A search allowance (`max_scored`, `deadline_ms`) stops a search early
/// and says so; the matches it gives are real, scored right and sorted.
/// Without one, or with room to spare, the answer is the exact one.
#[test]
fn a_search_allowance_stops_early_and_says_so() {
    let (index, _) = crate::ranking::market_index(5_000, 4, 2);
    let snapshot = index.snapshot().unwrap();
    let exact = Matcher::new(snapshot.clone(), RankingConfig::default(), today()).unwrap();
    let mut seeker = Seeker::new(
        "busy",
        vec!["驾驶".into(), "沟通能力".into(), "设备操作".into()],
        "510104".parse().unwrap(),
    )
    .unwrap();
    seeker.mobility.relocate = true;
    let full = exact.match_one(&seeker, 50).unwrap();
    assert!(!full.truncated);
    let capped = Matcher::new(
        snapshot.clone(),
        RankingConfig {
            max_scored: Some(5),
            ..RankingConfig::default()
        },
        today(),
    )
    .unwrap();
    let r = capped.match_one(&seeker, 50).unwrap();
    assert!(
        r.truncated,
        "5 vacancies scored cannot settle a top 50 of thousands in reach"
    );
    assert!(r.matches.len() <= 50);
    for w in r.matches.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
    for m in &r.matches {
        let e = exact.explain(&seeker, &m.vacancy).unwrap();
        assert_eq!(e.score, Some(m.score), "{}", m.vacancy);
    }
    let json = serde_json::to_string(&r).unwrap();
    assert!(json.contains("\"truncated\":true"), "{json}");
    assert!(!serde_json::to_string(&full).unwrap().contains("truncated"));
    // Room to spare: the exact answer, not marked.
    let roomy = Matcher::new(
        snapshot,
        RankingConfig {
            deadline_ms: Some(60_000),
            max_scored: Some(u64::MAX),
            ..RankingConfig::default()
        },
        today(),
    )
    .unwrap();
    assert_eq!(roomy.match_one(&seeker, 50).unwrap(), full);
    // A zero allowance is a config error.
    for bad in [r#"{"deadline_ms": 0}"#, r#"{"max_scored": 0}"#] {
        assert!(RankingConfig::from_json(bad).is_err(), "{bad}");
    }
}
