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
pub fn skills_only(id: &str, skills: &[&str]) -> Seeker {
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
        assert_eq!(
            of[&first], occupation,
            "{occupation} {names:?}: first is {first} ({})",
            of[&first]
        );
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

/// A vacancy in 九龙坡 that carries no occupation, titled 储备干部
/// (management trainee, a title that codes to nothing with confidence),
/// asking for welding.
fn uncoded_welding_vacancy(id: &str) -> jobmatch::Vacancy {
    let mut v = jobmatch::Vacancy::new(id, "储备干部", "500107".parse().unwrap()).unwrap();
    v.skills = vec!["焊接".into(), "氩弧焊".into(), "电焊".into()];
    v
}

/// A vacancy that carries no occupation and whose title does not code is
/// given one inferred from its skills when it is indexed: in a bulk load
/// from the whole load, upserted alone from the market indexed, or scored
/// as a draft against it. Both directions score it like a coded one, the
/// explanation says where it came from, and the model never learns from
/// its own inferences.
#[test]
fn an_uncoded_vacancy_gets_an_occupation_inferred_from_its_skills() {
    use jobmatch::index::{LoadOptions, OccupationModel, OccupationSource, VacancyIndex};
    use jobmatch::market::{Market, MarketConfig};
    use jobmatch::reverse::SeekerMatcher;

    let market = Market::new(MarketConfig {
        vacancies: 20_000,
        seekers: 10,
        seed: 4,
        ..Default::default()
    });
    let draft = uncoded_welding_vacancy("x1");
    assert_eq!(
        jobmatch::taxonomy::code_title(&draft.title),
        None,
        "the title must not code"
    );
    let load = |index: &VacancyIndex| {
        let records = (0..20_000)
            .map(|i| Ok(market.vacancy(i)))
            .chain([Ok(draft.clone())]);
        index.bulk_load(records, LoadOptions::default()).unwrap()
    };
    let welder = code("6-18-02-04");
    let is_welding = |c: OccupationCode| welder.truncate(c.depth()) == c.packed();
    let mut seeker = skills_only("welder", &["焊接"]);
    seeker.occupations = vec![welder];

    let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    let summary = load(&index);
    assert!(summary.inferred >= 1, "{summary:?}");
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let e = m.explain(&seeker, "x1").unwrap();
    let held = e.vacancy_occupation.clone().expect("an occupation inferred");
    let OccupationSource::Skills { confidence } = held.source else {
        panic!("not inferred from skills: {held:?}");
    };
    assert!(is_welding(held.code), "{held:?}");
    assert!((0.3..=1.0).contains(&confidence), "{held:?}");
    assert!(
        e.signals.iter().any(|s| s.name == "occupation" && s.value == 1.0),
        "{e:?}"
    );

    // The load's model is the snapshot's: the inferred vacancy is no
    // evidence, so learning from the index now infers the same.
    let model = OccupationModel::learn(&index.snapshot().unwrap()).unwrap();
    let again = model
        .infer(&skills().canonical_distinct(&draft.skills), skills(), 0.3)
        .unwrap();
    assert_eq!(again.code, held.code);
    assert!(
        (again.confidence - confidence).abs() < 1e-3,
        "{again:?} vs {held:?}"
    );

    // Seen from the vacancy: the welder's occupation signal is the same.
    let sm = SeekerMatcher::new(m, std::slice::from_ref(&seeker)).unwrap();
    let r = sm.candidates("x1", 1).unwrap();
    assert_eq!(r.candidates.len(), 1);
    assert_eq!(Some(r.candidates[0].score), e.score);
    // A draft of the same vacancy is inferred the same way.
    let as_draft = sm.candidates_for(&uncoded_welding_vacancy("x2"), 1).unwrap();
    assert_eq!(as_draft.candidates[0].score, r.candidates[0].score);

    // Upserted alone after the load: inferred from the market indexed.
    index.upsert(&uncoded_welding_vacancy("x3")).unwrap();
    index.commit().unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let alone = m.explain(&seeker, "x3").unwrap().vacancy_occupation.unwrap();
    assert_eq!(alone.code, held.code);

    // Off: no occupation, and no occupation credit.
    let off = VacancyIndex::create_in_ram()
        .unwrap()
        .with_threads(1)
        .with_occupation_inference(None);
    assert_eq!(load(&off).inferred, 0);
    let m = Matcher::new(off.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let e = m.explain(&seeker, "x1").unwrap();
    assert_eq!(e.vacancy_occupation, None);
    assert!(e.signals.iter().any(|s| s.name == "occupation" && s.value == 0.0));
    // Coded vacancies say where their occupation came from too.
    let coded = m.explain(&seeker, &market.vacancy(0).id).unwrap();
    assert!(
        matches!(
            coded.vacancy_occupation.as_ref().map(|o| o.source),
            Some(OccupationSource::Given | OccupationSource::Title { .. })
        ),
        "{coded:?}"
    );
}

/// How often the occupation inferred for uncoded vacancies is right: 1,000
/// vacancies of a generated market stripped of their code and retitled
/// 储备干部 are inferred from their skills alone, against the generator's
/// truth; most are placed in the right minor group, and no inferred code
/// comes from the stripped vacancies themselves.
#[test]
fn inferred_vacancy_occupations_are_mostly_of_the_right_group() {
    use jobmatch::index::{LoadOptions, VacancyIndex};
    use jobmatch::market::{Market, MarketConfig};

    const N: u64 = 20_000;
    let market = Market::new(MarketConfig {
        vacancies: N,
        seekers: 10,
        seed: 8,
        ..Default::default()
    });
    // Every 20th vacancy loses its code and its telling title.
    let stripped = |i: u64| i.is_multiple_of(20);
    let records = (0..N).map(|i| {
        let mut v = market.vacancy(i);
        if stripped(i) {
            v.occupation = None;
            v.title = "储备干部".into();
        }
        Ok(v)
    });
    let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    let summary = index.bulk_load(records, LoadOptions::default()).unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let nobody = skills_only("nobody", &["焊接"]);
    let (mut inferred, mut right) = (0, 0);
    for i in (0..N).filter(|&i| stripped(i)) {
        let v = market.vacancy(i);
        let Some(o) = m.explain(&nobody, &v.id).unwrap().vacancy_occupation else {
            continue;
        };
        inferred += 1;
        let truth = market.true_occupation(i).truncate(3);
        right += usize::from(o.code.depth() >= 3 && o.code.truncate(3) == truth);
    }
    // The market's own uncoded vacancies are inferred too.
    assert!(summary.inferred >= inferred as u64, "{summary:?}");
    let share = right as f64 / inferred.max(1) as f64;
    eprintln!(
        "inferred {inferred} of {} stripped vacancies; right minor group {:.1}%",
        N / 20,
        100.0 * share
    );
    assert!(inferred >= 750, "only {inferred} of 1,000 inferred");
    assert!(share >= 0.8, "right minor group {:.1}%", 100.0 * share);
}

/// Vacancies written one at a time into an empty index, when there is no
/// market yet to infer an occupation from, are inferred once there is: the
/// commit after which the market holds coded vacancies rewrites them, whole
/// (the description and salary they were written with kept), as a write
/// would infer them now. The index is then the one a bulk load of the same
/// vacancies gives; a vacancy deleted in the meantime stays deleted; and an
/// index on disk keeps them waiting across a reopen.
#[test]
fn vacancies_written_before_there_was_a_model_are_inferred_once_there_is() {
    use jobmatch::index::{LoadOptions, OccupationSource, VacancyIndex};
    use jobmatch::market::{Market, MarketConfig};

    const N: u64 = 20_000;
    let market = Market::new(MarketConfig {
        vacancies: N,
        seekers: 1,
        seed: 4,
        ..Default::default()
    });
    let mut early = uncoded_welding_vacancy("early");
    early.description = Some("车间焊接，包吃住".into());
    early.employer = Some("西彭铝业".into());
    let gone = uncoded_welding_vacancy("gone");
    let welder = code("6-18-02-04");
    let mut seeker = skills_only("welder", &["焊接"]);
    seeker.occupations = vec![welder];
    let occupation_of = |index: &VacancyIndex, id: &str| {
        let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
        let e = m.explain(&seeker, id).unwrap();
        e.vacancy_occupation.map(|o| (o.code, o.source))
    };

    let dir = tempfile::tempdir().unwrap();
    {
        let index = VacancyIndex::create(dir.path()).unwrap().with_threads(1);
        index.upsert(&early).unwrap();
        index.upsert(&gone).unwrap();
        index.commit().unwrap();
        assert_eq!(occupation_of(&index, "early"), None, "no market, no model");
        index.delete("gone").unwrap();
        index.commit().unwrap();
    }
    let index = VacancyIndex::open(dir.path()).unwrap().with_threads(1);
    assert_eq!(occupation_of(&index, "early"), None, "still waiting");
    for i in 0..N {
        index.upsert(&market.vacancy(i)).unwrap();
    }
    index.commit().unwrap();

    let loaded = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    let records = (0..N).map(|i| Ok(market.vacancy(i))).chain([Ok(early.clone())]);
    loaded.bulk_load(records, LoadOptions::default()).unwrap();

    let held = occupation_of(&index, "early");
    let (code, source) = held.expect("inferred once the market is there");
    assert!(matches!(source, OccupationSource::Skills { .. }), "{source:?}");
    assert_eq!(welder.truncate(code.depth()), code.packed(), "{code:?}");
    assert_eq!(held, occupation_of(&loaded, "early"));
    // Rewritten whole: what it was written with is still there.
    let snapshot = index.snapshot().unwrap();
    let stored = snapshot.vacancy("early").unwrap().unwrap();
    assert_eq!(
        (stored.title.as_str(), stored.employer.as_str()),
        ("储备干部", "西彭铝业")
    );
    // The deleted one is not brought back, and nothing is written twice.
    assert!(snapshot.vacancy("gone").unwrap().is_none());
    assert_eq!(snapshot.num_vacancies(), N + 1);
    // Every vacancy of the market as a bulk load would hold it.
    for i in (0..N).step_by(37) {
        let id = market.vacancy(i).id;
        assert_eq!(occupation_of(&index, &id), occupation_of(&loaded, &id), "{id}");
    }
}

/// Skills that cannot tell two occupations of one minor group apart, in a
/// market with about as many of each, credit both: a seeker who only says
/// 烹饪 is as likely a Chinese as a Western cook. A sibling the skills fit
/// less well, one the market has markedly fewer of, or a near-tied code of
/// another group, is not added.
#[test]
fn near_tied_occupations_of_one_group_are_both_credited() {
    use jobmatch::index::{LoadOptions, OccupationModel, VacancyIndex};
    let (chinese, western, pastry, rarer, elsewhere) = (
        code("4-03-02-01"),
        code("4-03-02-03"),
        code("4-03-02-02"),
        code("4-03-02-04"),
        code("4-14-03-01"),
    );
    let vacancy = |id: String, occupation: OccupationCode, skills: &[&str]| {
        let mut v = jobmatch::Vacancy::new(&id, "岗位", "500107".parse().unwrap()).unwrap();
        v.occupation = Some(occupation);
        v.skills = skills.iter().map(|&s| s.to_owned()).collect();
        v
    };
    // Every cook's posting asks 烹饪; half the pastry cooks' do; all of a
    // rarer sibling's (within 10% of the cooks' coverage, a fifth fewer);
    // the other group's code asks it as often as the cooks.
    let mut records: Vec<jobmatch::Vacancy> = Vec::new();
    for (prefix, occupation, n, asking) in [
        ("c", chinese, 30, 30),
        ("w", western, 32, 32),
        ("p", pastry, 30, 15),
        ("r", rarer, 25, 25),
        ("o", elsewhere, 25, 25),
    ] {
        for i in 0..n {
            let skills: &[&str] = if i < asking { &["烹饪"] } else { &["面点"] };
            records.push(vacancy(format!("{prefix}{i}"), occupation, skills));
        }
    }
    let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    index
        .bulk_load(records.into_iter().map(Ok), LoadOptions::default())
        .unwrap();
    let model = OccupationModel::learn(&index.snapshot().unwrap()).unwrap();
    let inferred: Vec<OccupationCode> = model
        .infer_trades(&["烹饪"], skills(), 0.3)
        .iter()
        .map(|i| i.code)
        .collect();
    assert_eq!(inferred, vec![western, chinese]);

    // Through the ranker: both cooks' postings earn the occupation's full
    // credit, the pastry cook's the group's.
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seeker = skills_only("cook", &["烹饪"]);
    let occupation = |id: &str| {
        let e = m.explain(&seeker, id).unwrap();
        e.signals.iter().find(|s| s.name == "occupation").unwrap().value
    };
    assert_eq!(occupation("c0"), 1.0);
    assert_eq!(occupation("w0"), 1.0);
    assert!(occupation("p0") < 1.0);
    let e = m.explain(&seeker, "c0").unwrap();
    assert_eq!(e.inferred_occupation.map(|i| i.code), Some(western));
    assert_eq!(
        e.other_inferred_occupations
            .iter()
            .map(|i| i.code)
            .collect::<Vec<_>>(),
        vec![chinese]
    );
}

/// A seeker's title that the coder cannot code with confidence still says
/// which codes are likely, and steers the occupation inferred from skills
/// toward them; the skills alone decide when no hinted code covers them.
#[test]
fn a_title_that_does_not_code_still_steers_the_inferred_occupation() {
    use jobmatch::index::{LoadOptions, OccupationModel, VacancyIndex};
    let (installer, engineer) = (code("6-29-03-07"), code("2-02-12-01"));
    // 发电设备 is asked by every installer's posting and by most of the
    // engineers'.
    let vacancy = |id: String, occupation: OccupationCode, skills: &[&str]| {
        let mut v = jobmatch::Vacancy::new(&id, "岗位", "500107".parse().unwrap()).unwrap();
        v.occupation = Some(occupation);
        v.skills = skills.iter().map(|&s| s.to_owned()).collect();
        v
    };
    let records = (0..30)
        .map(|i| vacancy(format!("i{i}"), installer, &["发电设备"]))
        .chain((0..30).map(|i| {
            vacancy(
                format!("e{i}"),
                engineer,
                if i < 20 {
                    &["发电设备", "电机"]
                } else {
                    &["电机"]
                },
            )
        }))
        .map(Ok);
    let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    index.bulk_load(records, LoadOptions::default()).unwrap();
    let model = OccupationModel::learn(&index.snapshot().unwrap()).unwrap();
    let held = ["发电设备"];
    let alone = model.infer_trades(&held, skills(), 0.3);
    assert_eq!(alone[0].code, installer, "{alone:?}");
    // A title pointing to the engineer, however weakly, tips it.
    let hinted = model.infer_trades_hinted(
        &held,
        skills(),
        0.3,
        &[(engineer, 0.25), (code("2-02-12-02"), 0.2)],
    );
    assert_eq!(hinted[0].code, engineer, "{hinted:?}");
    // A hint covering none of the skills leaves them to decide.
    let elsewhere = model.infer_trades_hinted(&held, skills(), 0.3, &[(code("4-03-02-01"), 0.9)]);
    assert_eq!(elsewhere[0].code, installer, "{elsewhere:?}");

    // Through the ranker: a seeker's uncoded title gives the coder's
    // candidates as the hints.
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let reference = m.snapshot().reference();
    let title = "发电工程师";
    assert!(
        reference.code_title(title).is_none(),
        "the title codes: pick one that does not"
    );
    let mut seeker = skills_only("e", &held);
    seeker.titles = vec![title.into()];
    let e = m.explain(&seeker, "i0").unwrap();
    let want = model.infer_trades_hinted(&held, skills(), 0.3, &reference.title_candidates(title));
    assert_eq!(
        e.inferred_occupation.map(|i| i.code),
        want.first().map(|i| i.code)
    );
}

/// A skill that is an occupation's very name or job-board alias names the
/// seeker's trade: `会计` is an accountant (its alias), even where a
/// bank's clearing clerks ask for 会计 more consistently than the
/// accountants' postings do; a task word names no trade and the skills
/// alone decide.
#[test]
fn a_skill_that_names_an_occupation_steers_the_inference_to_it() {
    use jobmatch::index::{LoadOptions, VacancyIndex};
    let (accountant, clearing) = (code("2-06-03-00"), code("2-06-09-03"));
    assert!(
        jobmatch::taxonomy::taxonomy()
            .find("会计")
            .iter()
            .any(|o| o.code == accountant),
        "会计 is no longer an alias of 会计专业人员: pick another"
    );
    let vacancy = |id: String, occupation: OccupationCode, skills: &[&str]| {
        let mut v = jobmatch::Vacancy::new(&id, "岗位", "500107".parse().unwrap()).unwrap();
        v.occupation = Some(occupation);
        v.skills = skills.iter().map(|&s| s.to_owned()).collect();
        v
    };
    // Every clearing clerk's posting asks 会计 and 清算; three in five of
    // the accountants' ask 会计, the rest 会计核算.
    let records = (0..30)
        .map(|i| vacancy(format!("b{i}"), clearing, &["会计", "清算"]))
        .chain((0..30).map(|i| {
            let skills: &[&str] = if i < 18 { &["会计"] } else { &["会计核算"] };
            vacancy(format!("a{i}"), accountant, skills)
        }))
        .map(Ok);
    let index = VacancyIndex::create_in_ram().unwrap().with_threads(1);
    index.bulk_load(records, LoadOptions::default()).unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let inferred = |skills: &[&str]| {
        let e = m.explain(&skills_only("s", skills), "a0").unwrap();
        e.inferred_occupation.map(|i| i.code)
    };
    assert_eq!(inferred(&["会计"]), Some(accountant));
    // 用友 is an alias of the skill 会计: the same skill, the same trade.
    assert_eq!(inferred(&["用友"]), Some(accountant));
    // 清算 names no occupation: the skills decide, and the clerks ask
    // for both.
    assert_eq!(inferred(&["会计", "清算"]), Some(clearing));
    // 会计核算 names none either; two in five of the accountants ask it
    // (12 of 30 + κ: above the bar of 0.3). An occupation coded at three
    // levels at once (2-06-03-00 is its own minor group) counts its
    // vacancies once, not once per level (12 of 60 + κ, below the bar).
    assert!(jobmatch::taxonomy::taxonomy().find("会计核算").is_empty());
    assert_eq!(inferred(&["会计核算"]), Some(accountant));
}

/// The skill → occupation model counts each segment once and keeps the
/// counts while the segment keeps its deletes: after a commit that adds a
/// segment, deletes from one and replaces vacancies in another, the model
/// an index learns is the one a freshly opened copy of it learns.
#[test]
fn the_model_kept_per_segment_is_the_model_counted_afresh() {
    use jobmatch::index::{OccupationModel, VacancyIndex};
    let market = jobmatch::market::Market::new(jobmatch::market::MarketConfig {
        vacancies: 400,
        seekers: 10,
        seed: 37,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let index = VacancyIndex::create(dir.path()).unwrap().with_threads(1);
    for i in 0..300 {
        index.upsert(&market.vacancy(i)).unwrap();
        if i % 100 == 99 {
            index.commit().unwrap();
        }
    }
    // Learned once: every segment's counts are kept.
    OccupationModel::learn(&index.snapshot().unwrap()).unwrap();
    for i in (0..300).step_by(13) {
        index.delete(&format!("v{i}")).unwrap();
    }
    for i in (5..300).step_by(29) {
        let mut v = market.vacancy(i);
        v.skills.push("焊接".into());
        index.upsert(&v).unwrap();
    }
    for i in 300..400 {
        index.upsert(&market.vacancy(i)).unwrap();
    }
    index.commit().unwrap();
    let kept = OccupationModel::learn(&index.snapshot().unwrap()).unwrap();
    drop(index);
    let fresh = OccupationModel::learn(&VacancyIndex::open(dir.path()).unwrap().snapshot().unwrap()).unwrap();
    assert_eq!(kept.len(), fresh.len());
    let mut compared = 0;
    for i in 0..400 {
        let asked = skills().canonical_distinct(&market.vacancy(i).skills);
        for level in 1..=4 {
            let (a, b) = (kept.coverage(&asked, level), fresh.coverage(&asked, level));
            let bits =
                |v: &[(OccupationCode, f64)]| v.iter().map(|(c, x)| (*c, x.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "v{i} level {level}");
            compared += usize::from(!a.is_empty());
        }
    }
    assert!(compared > 100, "{compared}");
}
