//! Raw postings in: every parser on a hand-labelled corpus of postings as
//! Sichuan and Chongqing job boards write them (`tests/data/raw_postings.jsonl`,
//! written by `scripts/raw_corpus.py`), property tests that no string makes
//! a parser panic, and the pipeline from raw records to a ranked match.

use std::collections::BTreeMap;

use jobmatch::Vacancy;
use jobmatch::index::VacancyIndex;
use jobmatch::ingest::{
    Field, RawSeeker, RawVacancy, extract_skills, ingest_all, ingest_seeker, ingest_vacancy, json_lines,
    parse_date, parse_education, parse_experience, parse_groups, parse_headcount, parse_place, parse_salary,
};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::taxonomy::skills;
use proptest::prelude::*;
use serde_json::Value;

use crate::ranking::today;

/// One field's score on the corpus and the postings it got wrong.
#[derive(Default)]
struct Score {
    right: usize,
    total: usize,
    errors: BTreeMap<String, (String, usize)>,
}

impl Score {
    fn check(&mut self, written: &str, got: String, want: String) {
        self.total += 1;
        if got == want {
            self.right += 1;
        } else {
            let e = self
                .errors
                .entry(written.to_owned())
                .or_insert((format!("got {got}, want {want}"), 0));
            e.1 += 1;
        }
    }

    fn accuracy(&self) -> f64 {
        self.right as f64 / self.total.max(1) as f64
    }
}

fn corpus() -> Vec<Value> {
    include_str!("data/raw_postings.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Field-level accuracy of each parser on the corpus. The table it prints
/// (`cargo test ingest::field_accuracy -- --nocapture`) is the one in
/// docs/ingest.md.
#[test]
fn field_accuracy_on_the_labelled_corpus() {
    let rows = corpus();
    assert!(rows.len() >= 300);
    let mut scores: BTreeMap<&str, Score> = BTreeMap::new();
    let (mut asked, mut found_asked, mut not_asked, mut found_not_asked) = (0, 0, 0, 0);
    let mut groups = std::collections::BTreeSet::new();
    let mut prefectures = std::collections::BTreeSet::new();
    for row in &rows {
        let raw = &row["raw"];
        let want = &row["expected"];
        groups.insert(want["major_group"].as_u64().unwrap());
        let text = |f: &str| raw[f].as_str().unwrap_or("").to_owned();

        let sal = text("salary");
        let got = match parse_salary(&sal) {
            Ok(r) => match r.value {
                None => "negotiable".to_owned(),
                Some(v) => format!(
                    "{}-{}×{}",
                    v.min.map_or("none".into(), |c| u32::from(c).to_string()),
                    v.max.map_or("none".into(), |c| u32::from(c).to_string()),
                    v.months_paid.map_or("none".into(), |m| m.to_string())
                ),
            },
            Err(_) => "refused".into(),
        };
        let w = &want["salary"];
        let want_s = match w {
            Value::String(s) => s.clone(),
            _ => format!("{}-{}×{}", s(&w["min"]), s(&w["max"]), s(&w["months_paid"])),
        };
        scores.entry("salary").or_default().check(&sal, got, want_s);

        let loc = text("location");
        let got = parse_place(&loc).map_or("refused".into(), |r| r.value.region.to_string());
        if let Ok(code) = got.parse::<jobmatch::RegionCode>() {
            prefectures.insert(code.region().prefecture);
        }
        scores
            .entry("location")
            .or_default()
            .check(&loc, got, s(&want["region"]));

        let edu = text("education");
        let got = parse_education(&edu).map_or("refused".into(), |r| {
            r.value.map_or("none".into(), |e| e.as_str().into())
        });
        scores
            .entry("education")
            .or_default()
            .check(&edu, got, s(&want["education"]));

        let exp = text("experience");
        let got = parse_experience(&exp).map_or("refused".into(), |r| {
            r.value.map_or("none".into(), |y| y.to_string())
        });
        scores
            .entry("experience")
            .or_default()
            .check(&exp, got, s(&want["experience_years"]));

        let head = text("headcount");
        let got = parse_headcount(&head).map_or("refused".into(), |r| {
            r.value.map_or("none".into(), |n| n.to_string())
        });
        scores
            .entry("headcount")
            .or_default()
            .check(&head, got, s(&want["headcount"]));

        let posted = text("posted");
        let got = parse_date(&posted).map_or("refused".into(), |r| {
            r.value.map_or("none".into(), |d| d.to_string())
        });
        scores
            .entry("posted")
            .or_default()
            .check(&posted, got, s(&want["posted"]));

        // Skills: those asked for must be found, those only mentioned must not.
        let mut found: Vec<String> = Vec::new();
        for (t, f) in [
            (text("title"), Field::Title),
            (text("description"), Field::Description),
        ] {
            found.extend(extract_skills(&t, f).found.into_iter().map(|x| x.skill));
        }
        let canon: Vec<String> = found.iter().map(|f| skills().canonical(f)).collect();
        let has = |name: &Value| canon.contains(&skills().canonical(name.as_str().unwrap()));
        let desc = text("description");
        for k in want["skills"].as_array().unwrap() {
            asked += 1;
            let ok = has(k);
            found_asked += usize::from(ok);
            scores.entry("skills asked for (found)").or_default().check(
                &format!("{} in {desc}", s(k)),
                ok.to_string(),
                "true".into(),
            );
        }
        for k in want["not_skills"].as_array().unwrap() {
            not_asked += 1;
            let taken = has(k);
            found_not_asked += usize::from(taken);
            scores
                .entry("skills only mentioned (not taken)")
                .or_default()
                .check(
                    &format!("{} in {desc}", s(k)),
                    (!taken).to_string(),
                    "true".into(),
                );
        }
    }
    assert_eq!(groups.len(), 6, "major groups 1–6: {groups:?}");
    assert_eq!(
        prefectures.len(),
        22,
        "prefecture-level areas: {}",
        prefectures.len()
    );
    println!("| field | right | of | accuracy | errors (as written: what was read, ×postings) |");
    println!("| --- | ---: | ---: | ---: | --- |");
    for (field, sc) in &scores {
        let errors: Vec<String> = sc
            .errors
            .iter()
            .map(|(w, (m, n))| format!("`{w}`: {m} ×{n}"))
            .collect();
        println!(
            "| {field} | {} | {} | {:.3} | {} |",
            sc.right,
            sc.total,
            sc.accuracy(),
            if errors.is_empty() {
                "none".into()
            } else {
                errors.join("; ")
            }
        );
    }
    println!(
        "skills: {found_asked}/{asked} asked for found, {found_not_asked}/{not_asked} only mentioned taken"
    );
    for (field, sc) in &scores {
        assert!(sc.accuracy() >= 0.9, "{field}: {:.3}", sc.accuracy());
    }
}

#[test]
fn every_posting_of_the_corpus_is_ingested_or_refused_with_its_reason() {
    let rows = corpus();
    let input: String = rows.iter().map(|r| format!("{}\n", r["raw"])).collect();
    let items: Vec<_> = ingest_all(json_lines::<_, RawVacancy>(input.as_bytes()), 64).collect();
    assert_eq!(items.len(), rows.len());
    for (item, row) in items.iter().zip(&rows) {
        assert_eq!(item.id.as_deref(), row["raw"]["id"].as_str());
        match (&item.result, row["expected"]["region"].as_str()) {
            (Ok(v), Some("refused")) => panic!("{} should be refused: {:?}", v.record.id, v.record.region),
            (Err(e), Some(code)) if code != "refused" => panic!("{code}: {e}"),
            (Err(e), _) => assert!(e.to_string().contains("location"), "{e}"),
            (Ok(v), _) => {
                // The clean record reads back as the interchange format.
                let line = jobmatch::ingest::to_json_line(v).unwrap();
                let back: Vacancy = serde_json::from_str(&line).unwrap();
                assert_eq!(back, v.record);
            }
        }
    }
}

/// A remote job says so in its place, title or description, as job boards
/// write it; a job whose work is remote control or monitoring is not one.
#[test]
fn remote_jobs_are_read_from_the_place_the_title_or_the_description() {
    let posting = |title: &str, location: &str, description: &str| -> Vacancy {
        let raw: RawVacancy = serde_json::from_value(serde_json::json!({
            "id": "r", "title": title, "location": location, "description": description
        }))
        .unwrap();
        ingest_vacancy(&raw, 1).unwrap().record
    };
    for (title, location, description) in [
        ("在线客服", "成都市高新区（可远程办公）", ""),
        ("在线客服", "成都市武侯区，支持远程", ""),
        ("客服专员（居家办公）", "重庆市渝北区", ""),
        (
            "文案编辑",
            "绵阳市涪城区",
            "岗位职责：撰写文案。工作地点：远程工作，不限城市",
        ),
        ("数据标注员", "南充市顺庆区", "在家办公，按件计酬"),
    ] {
        assert!(
            posting(title, location, description).remote,
            "{title} / {location} / {description}"
        );
    }
    for (title, location, description) in [
        ("远程控制系统工程师", "成都市双流区", "负责远程监控系统调试"),
        ("焊工", "重庆市九龙坡区", "远程协助同事处理设备故障"),
    ] {
        assert!(
            !posting(title, location, description).remote,
            "{title} / {description}"
        );
    }
}

#[test]
fn ingested_postings_rank_for_a_seeker_who_types_like_a_person() {
    let rows = corpus();
    let index = VacancyIndex::create_in_ram().unwrap();
    for (i, row) in rows.iter().enumerate() {
        let raw: RawVacancy = serde_json::from_value(row["raw"].clone()).unwrap();
        if let Ok(v) = ingest_vacancy(&raw, i as u64 + 1) {
            index.upsert(&v.record).unwrap();
        }
    }
    index.commit().unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let raw: RawSeeker = serde_json::from_str(
        r#"{"id": "w1", "desired": "电焊工", "skills": "焊工证、会氩弧焊，吃苦耐劳", "location": "重庆市九龙坡区", "salary": "期望 6k"}"#,
    )
    .unwrap();
    let mut seeker = ingest_seeker(&raw, 1).unwrap().record;
    seeker.mobility.relocate = true;
    let top = m.match_one(&seeker, 3).unwrap();
    let first = top.matches.first().expect("a welding posting in reach");
    let ex = m.explain(&seeker, &first.vacancy).unwrap();
    assert!(
        ex.skills.iter().any(|c| c.credit > 0.0 && c.term.contains("焊")),
        "{:?}",
        ex.skills
    );
    // The explanation says where the posting asks for it, as written.
    let asked: Vec<&str> = ex.skills.iter().filter_map(|c| c.asked_in.as_deref()).collect();
    assert!(
        asked
            .iter()
            .any(|a| a.starts_with("asked for in the ") && a.contains('焊')),
        "{:?}",
        ex.skills
    );
}

/// Where a posting asks for each skill survives the clean file and the
/// index: ingested, written as JSON Lines, read back and indexed, `explain`
/// quotes the clause.
#[test]
fn skill_evidence_survives_the_clean_file_and_the_index() {
    let raw: RawVacancy = serde_json::from_value(serde_json::json!({
        "id": "p1", "title": "焊工", "location": "重庆市九龙坡区",
        "description": "岗位职责：车间焊接作业。任职要求：熟练使用氩弧焊，持焊工证。福利待遇：免费叉车培训"
    }))
    .unwrap();
    let v = ingest_vacancy(&raw, 1).unwrap().record;
    let welding = v
        .skill_evidence
        .iter()
        .find(|e| e.skill == "焊接")
        .unwrap_or_else(|| panic!("{:?}", v.skill_evidence));
    assert!(welding.clause.contains("焊接作业"), "{welding:?}");
    assert_eq!(welding.field, jobmatch::model::EvidenceField::Description);
    assert_eq!(welding.field.to_string(), "description");
    assert!(
        !v.skill_evidence.iter().any(|e| e.skill == "叉车"),
        "{:?}",
        v.skill_evidence
    );
    let line = serde_json::to_string(&v).unwrap();
    let back: Vacancy = serde_json::from_str(&line).unwrap();
    assert_eq!(back.skill_evidence, v.skill_evidence);
    let index = VacancyIndex::create_in_ram().unwrap();
    index.upsert(&back).unwrap();
    index.commit().unwrap();
    let m = Matcher::new(index.snapshot().unwrap(), RankingConfig::default(), today()).unwrap();
    let seeker: jobmatch::Seeker = serde_json::from_value(serde_json::json!({
        "id": "s", "skills": ["氩弧焊"], "region": "500107"
    }))
    .unwrap();
    let ex = m.explain(&seeker, "p1").unwrap();
    let credit = ex
        .skills
        .iter()
        .find(|c| c.credit > 0.0)
        .unwrap_or_else(|| panic!("{:?}", ex.skills));
    assert_eq!(
        credit.asked_in.as_deref(),
        Some(format!("asked for in the description: {}", welding.clause).as_str()),
        "{:?}",
        ex.skills
    );
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        // What fields hold: digits, units, separators and CJK.
        "[0-9０-９.,\\-~至到千万kKwW元/天月年时小周薪·面议以上下起+ ]{0,24}",
        "[四川重庆省市区县州镇街道成都高新九龙坡渝北两江天府号路0-9（）(), ]{0,30}",
        "[不限以上及大专本科硕士博士高中初中技校应届生年个月半一二三四五六七八九十0-9\\-/ ]{0,16}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any string gives a value or a named error, never a panic; a value
    /// is in range.
    #[test]
    fn parsers_never_panic(text in any_text()) {
        match parse_salary(&text) {
            Ok(r) => {
                if let Some((a, b)) = r.value.and_then(|s| s.min.zip(s.max)) {
                    prop_assert!(u32::from(a) <= u32::from(b));
                }
            }
            Err(e) => prop_assert!(e.to_string().contains("salary")),
        }
        if let Err(e) = parse_place(&text) {
            prop_assert!(e.to_string().contains("location"));
        }
        if let Ok(r) = parse_experience(&text) {
            prop_assert!(r.value.is_none_or(|y| y <= 50));
        }
        let _ = parse_education(&text);
        let groups = parse_groups(&text);
        for (i, g) in groups.iter().enumerate() {
            prop_assert!(!groups[..i].contains(g), "{groups:?}");
        }
        let _ = parse_headcount(&text);
        let _ = parse_date(&text);
        for f in [Field::Title, Field::Description, Field::Skills] {
            for found in extract_skills(&text, f).found {
                prop_assert!(text.get(found.start..found.end).is_some());
            }
        }
    }

    /// A registration of any strings is ingested or refused with a reason;
    /// its groups are each named once.
    #[test]
    fn raw_registrations_never_panic(skills in any_text(), groups in any_text(), about in any_text(), experience in any_text()) {
        let raw = RawSeeker {
            id: Some("s".into()),
            location: Some("重庆市九龙坡区".into()),
            skills: Some(skills),
            groups: Some(groups),
            about: Some(about),
            experience: Some(experience),
            ..RawSeeker::default()
        };
        match ingest_seeker(&raw, 1) {
            Ok(s) => {
                prop_assert!(s.record.validate().is_ok());
                let g = &s.record.groups;
                for (i, x) in g.iter().enumerate() {
                    prop_assert!(!g[..i].contains(x), "{g:?}");
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    /// A raw record of any strings is ingested or refused with a reason.
    #[test]
    fn raw_records_never_panic(title in any_text(), place in any_text(), salary in any_text(), desc in any_text()) {
        let raw = RawVacancy {
            id: Some("x".into()),
            title: Some(title),
            location: Some(place),
            salary: Some(salary),
            description: Some(desc),
            ..RawVacancy::default()
        };
        match ingest_vacancy(&raw, 1) {
            Ok(v) => prop_assert!(v.record.validate().is_ok()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
