//! The everyday commands: generate, index, match, explain, assign, simulate, classify; errors and help.

use super::*;

#[test]
fn generate_index_match_stats_round_trip() {
    let (_, data, idx) = market();
    let out = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        data.join("seekers.jsonl").to_str().unwrap(),
        "--top",
        "5",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 40);
    assert_eq!(lines[0]["seeker"], "s0");
    let first = &lines[0]["matches"][0];
    assert!(first["vacancy"].as_str().unwrap().starts_with('v'));
    assert!(first["components"]["skills"].is_number());

    // The exhaustive path gives the same lines.
    let scan = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        data.join("seekers.jsonl").to_str().unwrap(),
        "--top",
        "5",
        "--exhaustive",
    ]);
    assert_eq!(text(&scan.stdout), text(&out.stdout));

    let out = run(&[
        "stats",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        data.join("seekers.jsonl").to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stats: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(stats["total"]["vacancies"], 3000);
    assert_eq!(stats["total"]["seekers"], 40);
    assert!(stats["by_industry"]["C"]["vacancies"].as_u64().unwrap() > 1000);
    assert!(
        stats["by_major_group"]["6"]["vacancies"].as_u64().unwrap() > 500,
        "titles are coded into CSCO groups"
    );
}

#[test]
fn assign_writes_a_placement_per_seeker_and_a_report() {
    let (dir, data, idx) = market();
    let placements = dir.path().join("placements.jsonl");
    let report = dir.path().join("report.json");
    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, r#"{"groups": ["graduate"], "reserved_share": 0.5}"#).unwrap();
    let out = run(&[
        "assign",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        data.join("seekers.jsonl").to_str().unwrap(),
        "--top",
        "20",
        "--policy",
        policy.to_str().unwrap(),
        "--output",
        placements.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&placements)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 40);
    assert!(
        lines
            .iter()
            .all(|l| l.get("seeker").is_some() && l.get("vacancy").is_some())
    );
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    for key in [
        "seekers",
        "placed",
        "unplaced",
        "openings",
        "filled",
        "by_group",
        "by_group_without_policy",
        "blocking_pairs",
        "elapsed_s",
    ] {
        assert!(r.get(key).is_some(), "report lacks {key}: {r}");
    }
    assert_eq!(r["seekers"], 40);
    assert_eq!(
        r["placed"].as_u64().unwrap() + r["unplaced"].as_u64().unwrap(),
        40
    );
    assert_eq!(r["blocking_pairs"], 0);
    let bad = dir.path().join("bad-policy.json");
    std::fs::write(&bad, r#"{"groups": ["graduate"], "reserved_share": 2}"#).unwrap();
    let out = run(&[
        "assign",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        data.join("seekers.jsonl").to_str().unwrap(),
        "--policy",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("reserved_share"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn match_with_cutoffs_shows_chances_and_puts_likely_vacancies_first() {
    let (dir, data, idx) = market();
    let seekers = data.join("seekers.jsonl");
    let fair = dir.path().join("fair.jsonl");
    let out = run(&[
        "assign",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        seekers.to_str().unwrap(),
        "--top",
        "5",
        "--output",
        dir.path().join("p.jsonl").to_str().unwrap(),
        "--vacancies-out",
        fair.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let plain = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        seekers.to_str().unwrap(),
        "--top",
        "10",
    ]);
    let aware = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        seekers.to_str().unwrap(),
        "--top",
        "10",
        "--cutoffs",
        fair.to_str().unwrap(),
        "--congestion-aware",
    ]);
    assert!(aware.status.success(), "{}", text(&aware.stderr));
    let lines = |o: &Output| -> Vec<serde_json::Value> {
        text(&o.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (plain, aware) = (lines(&plain), lines(&aware));
    assert_eq!(plain.len(), aware.len());
    let mut unlikely = 0;
    for (p, a) in plain.iter().zip(&aware) {
        let ids = |v: &serde_json::Value| -> Vec<String> {
            let mut x: Vec<String> = v["matches"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["vacancy"].as_str().unwrap().to_owned())
                .collect();
            x.sort();
            x
        };
        assert_eq!(ids(p), ids(a), "a permutation of the seeker's own matches");
        let likely: Vec<bool> = a["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["likely"].as_bool().unwrap())
            .collect();
        assert!(
            likely.windows(2).all(|w| w[0] >= w[1]),
            "likely first: {likely:?}"
        );
        unlikely += likely.iter().filter(|l| !**l).count();
        assert!(
            a["matches"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["fit"].is_number())
        );
    }
    let _ = unlikely;
}

#[test]
fn simulate_reports_beside_the_published_figures() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let out = run(&[
        "simulate",
        "--vacancies",
        "3000",
        "--seekers",
        "300",
        "--top",
        "10",
        "--congestion",
        "--json",
        "--index",
        idx.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "seekers",
        "placed",
        "openings",
        "filled",
        "by_group",
        "by_industry",
        "flows",
        "graduate_cross_region",
        "published",
        "difference_pp",
        "congestion",
        "blocking_pairs",
        "elapsed_s",
    ] {
        assert!(r.get(key).is_some(), "report lacks {key}");
    }
    let placed = r["placed"].as_u64().unwrap();
    let flows: u64 = r["flows"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(flows, placed, "flows sum to placed");
    assert_eq!(r["blocking_pairs"], 0);
    assert_eq!(r["congestion"]["aware_blocking_pairs"], 0);
    assert!(r["graduate_cross_region"].get("sc_to_cq").is_some());
}

#[test]
fn explain_agrees_with_match_explain() {
    let (_, data, idx) = market();
    let seekers = data.join("seekers.jsonl");
    let out = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        seekers.to_str().unwrap(),
        "--top",
        "3",
        "--explain",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let line: serde_json::Value = serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    let m = &line["matches"][0];
    let vacancy = m["vacancy"].as_str().unwrap();
    let out = run(&[
        "explain",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        seekers.to_str().unwrap(),
        "--seeker",
        "s0",
        "--vacancy",
        vacancy,
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let e: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(e, m["explain"]);
    assert_eq!(e["score"], m["score"]);
}

#[test]
fn inline_seeker_and_classify() {
    let (_, _, idx) = market();
    // An inline seeker's line (`extra` arguments after the skills, home and
    // commute).
    let line = |skills: &str, extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "match",
            "--index",
            idx.to_str().unwrap(),
            "--skills",
            skills,
            "--region",
            "九龙坡",
            "--commute-km",
            "20",
        ];
        args.extend(extra);
        let out = run(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_str(text(&out.stdout).trim()).unwrap()
    };
    assert_eq!(
        line("焊接,电焊", &["--move-to", "51", "--top", "3"])["seeker"],
        "cli"
    );
    // Skills typed as a person types them are read for what they name:
    // the same matches as the vocabulary's names.
    let matches = |skills: &str| line(skills, &["--top", "5"])["matches"].clone();
    let named = matches("焊接,叉车");
    assert!(!named.as_array().unwrap().is_empty());
    assert_eq!(matches("会电焊，熟练操作叉车"), named);
    assert_eq!(matches("焊接,叉车,不会驾驶"), named);

    let mut child = Command::new(bin())
        .arg("classify")
        .arg("--top")
        .arg("2")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("焊工\n\nJava开发工程师\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["codes"][0]["code"], "6-18-02-04");
}

/// An inline seeker's home is read as `ingest` reads a place: a city named
/// alone is its seat county (绵阳 is 涪城区, not the prefecture's centroid
/// 42 km north), a development zone its district, an address its county;
/// a place outside the two provinces is refused, naming `--region`.
#[test]
fn inline_home_is_read_as_people_write_it() {
    let (_, _, idx) = market();
    let home = |region: &str| -> std::process::Output {
        run(&[
            "match",
            "--index",
            idx.to_str().unwrap(),
            "--skills",
            "焊接",
            "--region",
            region,
            "--relocate",
            "--top",
            "5",
        ])
    };
    let matches = |region: &str| -> serde_json::Value {
        let out = home(region);
        assert!(out.status.success(), "{region}: {}", text(&out.stderr));
        let line: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
        assert_eq!(line["matches"].as_array().map(Vec::len), Some(5), "{region}");
        line["matches"].clone()
    };
    // Relocating anywhere, every vacancy is in reach: the distances say
    // where home is.
    assert_eq!(matches("绵阳"), matches("510703"));
    assert_ne!(matches("绵阳"), matches("510700"), "the prefecture's centroid");
    assert_eq!(matches("成都市高新区"), matches("510107"));
    assert_eq!(matches("重庆市九龙坡区西彭镇"), matches("九龙坡"));
    assert_user_error(&home("贵州省贵阳市"), "--region");
}

#[test]
fn profiles_and_a_coder_kept_with_the_index() {
    let out = run(&["profiles", "--codes", "6-18-02-04,4-03-02-01"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["name"], "焊工");
    assert_eq!(lines[0]["skills"][0], "焊接", "the skill the name names leads");
    let out = run(&["profiles"]);
    let shown = text(&out.stdout).lines().count();
    assert!(shown >= 8, "a list across the major groups: {shown}");
    assert_user_error(&run(&["profiles", "--codes", "9-99"]), "--codes");

    // `index --coded-titles`: the coder learns them and keeps them.
    let (_, data, _) = market();
    let dir = tempfile::tempdir().unwrap();
    let coded = dir.path().join("ours.csv");
    std::fs::write(&coded, "title,code\n跑腿小哥,4-10-08-01\n").unwrap();
    let vacancies = data.join("vacancies.jsonl");
    let index_with = |idx: &Path, titles: &Path| {
        run(&[
            "index",
            "--input",
            vacancies.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
            "--coded-titles",
            titles.to_str().unwrap(),
        ])
    };
    let idx = dir.path().join("idx");
    let out = index_with(&idx, &coded);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(idx.join("coded_titles.jsonl").exists());
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "title,code\n跑腿小哥,not-a-code\n").unwrap();
    assert_user_error(&index_with(&dir.path().join("idx2"), &bad), "bad.csv");
}

#[test]
fn bad_input_is_one_clear_sentence_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\":\"v1\",\"title\":\"焊工\",\"skills\":[],\"region\":\"500107\"}\n{\"id\":\"v2\",\"title\":\"焊工\",\"skills\":[],\"region\":\"999999\"}\n",
    )
    .unwrap();
    let idx = dir.path().join("idx");
    let out = run(&[
        "index",
        "--input",
        bad.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ]);
    assert_user_error(&out, "line 2: region: unknown region code `999999`");
    assert!(text(&out.stderr).contains("bad.jsonl"));

    let out = run(&[
        "index",
        "--input",
        bad.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
        "--skip-bad",
    ]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("rejected 1"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("line 2"));

    let broken = dir.path().join("broken.jsonl");
    std::fs::write(
        &broken,
        "{\"id\":\"s1\",\"skills\":[],\"region\":\"500107\"}\n{\"id\":\"s2\",\n",
    )
    .unwrap();
    let out = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        broken.to_str().unwrap(),
    ]);
    assert_user_error(&out, "line 2");

    let out = run(&[
        "match",
        "--index",
        dir.path().join("nowhere").to_str().unwrap(),
        "--seekers",
        broken.to_str().unwrap(),
    ]);
    assert_user_error(&out, "no jobmatch index");

    let config = dir.path().join("ranking.json");
    std::fs::write(&config, "{\"weights\":{\"skils\":0.5}}").unwrap();
    let out = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        broken.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_user_error(&out, "unknown field `skils`");

    let out = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--skills",
        "焊接",
        "--region",
        "123456",
    ]);
    assert_user_error(&out, "unknown region code `123456`");

    // An index held by another writer.
    let holder = jobmatch::index::VacancyIndex::open(&idx).unwrap();
    holder.delete("v1").unwrap();
    let out = run(&[
        "update",
        "--index",
        idx.to_str().unwrap(),
        "--input",
        bad.to_str().unwrap(),
        "--skip-bad",
    ]);
    assert_user_error(&out, "locked by another writer");
    drop(holder);

    let out = Command::new(bin())
        .args(["match", "--top", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_subcommand_shows_an_example_in_its_help() {
    for cmd in [
        "generate",
        "index",
        "match",
        "explain",
        "update",
        "delete",
        "expire",
        "stats",
        "classify",
        "demo",
        "bench",
        "assign",
        "simulate",
        "seekers-index",
        "candidates",
        "alerts",
    ] {
        let out = Command::new(bin()).args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success(), "{cmd}");
        assert!(
            text(&out.stdout).contains("Example"),
            "{cmd} --help has no example"
        );
    }
}

/// A reader that closes the pipe early (`jobmatch match … | head`) ends
/// the output: exit 0 and no panic message.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    let (_, data, idx) = market();
    let seekers = data.join("seekers.jsonl");
    // 40 seekers × 100 matches as JSON Lines: far more than a pipe holds.
    let mut child = Command::new(bin())
        .args([
            "match",
            "--index",
            idx.to_str().unwrap(),
            "--seekers",
            seekers.to_str().unwrap(),
            "--top",
            "100",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}: {}", out.status, text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}
