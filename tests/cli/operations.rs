//! Operating the CLI: bench, the reverse direction, damaged and hostile input.

use super::*;

#[test]
fn bench_reports_every_field_and_no_mismatch_on_a_tiny_market() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let plot = dir.path().join("latency.png");
    let font = std::path::Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists();
    let mut args = vec![
        "bench",
        "--index",
        idx.to_str().unwrap(),
        "--vacancies",
        "3000",
        "--seekers",
        "40",
        "--json",
    ];
    if font {
        args.extend(["--plot", plot.to_str().unwrap()]);
    }
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    for key in [
        "vacancies",
        "seekers",
        "top_k",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "throughput_1t",
        "throughput_all",
        "threads",
        "scan_p50_ms",
        "scan_throughput_all",
        "speedup_vs_scan",
        "topk_mismatches",
        "build_s",
        "index_bytes",
        "peak_rss_bytes",
        "recall_at_10",
        "mrr",
        "top1pct_share",
        "orphan_share",
        "cross_border_share",
        "upsert_10k_s",
    ] {
        assert!(!r[key].is_null(), "missing {key}");
    }
    assert_eq!(r["topk_mismatches"], 0);
    assert_eq!(r["vacancies"], 3000);
    if font {
        assert!(std::fs::metadata(&plot).unwrap().len() > 1000);
    }
    // A second run reuses the index; another market in the same place is refused.
    let again = |vacancies: &str| {
        let index = idx.to_str().unwrap();
        run(&[
            "bench",
            "--index",
            index,
            "--vacancies",
            vacancies,
            "--seekers",
            "10",
            "--json",
        ])
    };
    let out = again("3000");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_user_error(&again("4000"), "another market");
    // So is the same size and seed written by another version of the
    // generator: the same seed gave another market then.
    let kept = idx.join("market.json");
    let mut provenance: serde_json::Value = serde_json::from_slice(&std::fs::read(&kept).unwrap()).unwrap();
    assert_eq!(provenance["generator"], jobmatch::market::GENERATOR_VERSION);
    provenance["generator"] = serde_json::json!(1);
    std::fs::write(&kept, serde_json::to_vec(&provenance).unwrap()).unwrap();
    assert_user_error(&again("3000"), "generator version 1 wrote it");
}

#[test]
fn seekers_index_candidates_and_alerts_round_trip() {
    let (_, data, idx) = market();
    let dir = tempfile::tempdir().unwrap();
    let sidx = dir.path().join("sidx");
    let out = run(&[
        "seekers-index",
        "--input",
        data.join("seekers.jsonl").to_str().unwrap(),
        "--index",
        sidx.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reverse = |idx: &Path, extra: &[&str]| {
        let mut args = vec![
            "candidates",
            "--seekers-index",
            sidx.to_str().unwrap(),
            "--vacancies-index",
            idx.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    // In a pipe: one JSON line per vacancy, searched as scanned.
    let out = reverse(idx, &["--vacancy", "v7", "--vacancy", "v8", "--top", "5"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["vacancy"], "v7");
    let scanned = reverse(
        idx,
        &["--vacancy", "v7", "--vacancy", "v8", "--top", "5", "--exhaustive"],
    );
    assert_eq!(text(&scanned.stdout), text(&out.stdout));
    let explained = reverse(idx, &["--vacancy", "v7", "--top", "3", "--explain"]);
    let line: serde_json::Value = serde_json::from_str(text(&explained.stdout).trim()).unwrap();
    let n = line["candidates"].as_array().unwrap().len();
    assert_eq!(line["explain"].as_array().unwrap().len(), n);
    for (c, e) in line["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .zip(line["explain"].as_array().unwrap())
    {
        assert_eq!(c["score"], e["score"], "the two directions agree");
    }
    assert_user_error(
        &reverse(idx, &["--vacancy", "no-such-vacancy"]),
        "no-such-vacancy",
    );
    // A draft (a vacancy not looked up in the index) with v7's fields gets
    // v7's candidates; a bad draft line is named.
    let v7 = std::fs::read_to_string(data.join("vacancies.jsonl"))
        .unwrap()
        .lines()
        .find(|l| l.contains("\"v7\""))
        .unwrap()
        .to_owned();
    let draft = dir.path().join("draft.jsonl");
    std::fs::write(&draft, format!("{v7}\n")).unwrap();
    let drafted = reverse(idx, &["--draft", draft.to_str().unwrap(), "--top", "5"]);
    assert!(drafted.status.success(), "{}", text(&drafted.stderr));
    assert_eq!(
        text(&drafted.stdout).lines().next(),
        text(&out.stdout).lines().next()
    );
    std::fs::write(&draft, format!("{v7}\n{{\"id\": \"d2\", \"title\": 5}}\n")).unwrap();
    assert_user_error(&reverse(idx, &["--draft", draft.to_str().unwrap()]), "line 2");
    // A draft as an employer writes it (`--raw`) gets the candidates of
    // the vacancy `ingest` reads from it; one without a title is named.
    let raw = dir.path().join("raw-draft.jsonl");
    std::fs::write(
        &raw,
        "{\"id\": \"r1\", \"title\": \"电焊工（包吃住）\", \"salary\": \"8千-1.2万\", \"location\": \"重庆市九龙坡区西彭镇\", \"description\": \"任职要求：会电焊，有焊工证，吃苦耐劳\"}\n",
    )
    .unwrap();
    let clean = dir.path().join("clean-draft.jsonl");
    let report = dir.path().join("report.json");
    let ingested = run(&[
        "ingest",
        "--input",
        raw.to_str().unwrap(),
        "--output",
        clean.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(ingested.status.success(), "{}", text(&ingested.stderr));
    let from_raw = reverse(idx, &["--draft", raw.to_str().unwrap(), "--raw", "--top", "5"]);
    assert!(from_raw.status.success(), "{}", text(&from_raw.stderr));
    let from_clean = reverse(idx, &["--draft", clean.to_str().unwrap(), "--top", "5"]);
    assert_eq!(text(&from_raw.stdout), text(&from_clean.stdout));
    assert_eq!(json_lines(&from_raw)[0]["vacancy"], "r1");
    std::fs::write(&raw, "{\"id\": \"r2\", \"location\": \"成都市\"}\n").unwrap();
    assert_user_error(
        &reverse(idx, &["--draft", raw.to_str().unwrap(), "--raw"]),
        "line 1",
    );

    // Alerts change the vacancy index: on a copy.
    let copy = dir.path().join("idx");
    std::fs::create_dir_all(&copy).unwrap();
    for e in std::fs::read_dir(idx).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
        }
    }
    // The feed: copies of posted vacancies under new ids.
    let vacancies = std::fs::read_to_string(data.join("vacancies.jsonl")).unwrap();
    let feed: String = vacancies
        .lines()
        .take(30)
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["id"] = format!("new-{}", v["id"].as_str().unwrap()).into();
            format!("{v}\n")
        })
        .collect();
    let new = dir.path().join("new.jsonl");
    std::fs::write(&new, feed).unwrap();
    let tops = dir.path().join("tops.jsonl");
    let alerts = |feed: &Path| {
        run(&[
            "alerts",
            "--seekers-index",
            sidx.to_str().unwrap(),
            "--vacancies-index",
            copy.to_str().unwrap(),
            "--new",
            feed.to_str().unwrap(),
            "--top",
            "5",
            "--thresholds",
            tops.to_str().unwrap(),
        ])
    };
    let out = alerts(&new);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let raised: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        !raised.is_empty(),
        "thirty copies of posted vacancies alert nobody"
    );
    // Each alert was accepted into the saved tops.
    let saved: Vec<serde_json::Value> = std::fs::read_to_string(&tops)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for a in &raised {
        assert!(a["vacancy"].as_str().unwrap().starts_with("new-"), "{a}");
        let top = saved.iter().find(|t| t["seeker"] == a["seeker"]).unwrap();
        let held = top["top"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["vacancy"] == a["vacancy"]);
        let replaced_by_later = raised.iter().filter(|b| b["seeker"] == a["seeker"]).count() > 5;
        assert!(held || replaced_by_later, "{a} not in {top}");
    }
    // A bad feed line: named, exit 2.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\": \"x\", \"title\": \"焊工\"}\n").unwrap();
    assert_user_error(&alerts(&bad), "line 1");
}

/// A damaged index in the CLI: a clean error and exit code, never a panic
/// message. Flips that make tantivy assert (found in-process first: the
/// library reports them as `Corrupt` "stopped on damaged data") are then
/// run through the CLI, whose panic hook keeps quiet about caught panics.
#[test]
fn a_damaged_index_is_an_error_in_the_cli_not_a_panic() {
    use jobmatch::index::VacancyIndex;
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let index = VacancyIndex::create(&idx).unwrap();
    for i in 0..20 {
        let mut v = jobmatch::Vacancy::new(format!("v{i}"), "焊工", "500107".parse().unwrap()).unwrap();
        v.occupation = Some("6-18-02-04".parse().unwrap());
        v.skills = vec!["焊接".into()];
        index.upsert(&v).unwrap();
    }
    index.commit().unwrap();
    drop(index);
    let fast = std::fs::read_dir(&idx)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "fast"))
        .unwrap();
    let original = std::fs::read(&fast).unwrap();
    let flip = |at: usize| {
        let mut damaged = original.clone();
        damaged[at] = !damaged[at];
        std::fs::write(&fast, &damaged).unwrap();
    };
    // In-process: which flips make tantivy assert.
    let mut asserting = Vec::new();
    for at in 0..original.len() {
        flip(at);
        let caught = VacancyIndex::open(&idx)
            .and_then(|i| i.snapshot())
            .err()
            .is_some_and(|e| e.to_string().contains("stopped on damaged data"));
        if caught {
            asserting.push(at);
        }
    }
    if asserting.is_empty() {
        println!("no flip of the .fast file makes this tantivy assert: nothing for the hook to hide");
    }
    for &at in asserting.iter().take(4) {
        flip(at);
        let out = run(&[
            "match",
            "--index",
            idx.to_str().unwrap(),
            "--skills",
            "焊接",
            "--region",
            "500107",
        ]);
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "byte {at}: {err}");
        assert_ne!(out.status.code(), Some(101), "byte {at}: a panic's exit code");
        // The CLI's build may not assert where this one did (overflow
        // checks differ between profiles): if it fails, it fails cleanly.
        if !out.status.success() {
            assert_eq!(out.status.code(), Some(1), "byte {at}: {err}");
            assert!(err.contains("index"), "byte {at}: {err}");
        }
    }
    std::fs::write(&fast, &original).unwrap();
}

/// `verify`: an intact index is reported intact; a flipped byte in a
/// segment file is named, exit code 1.
#[test]
fn verify_names_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let index = jobmatch::index::VacancyIndex::create(&idx).unwrap();
    for i in 0..10 {
        let v = jobmatch::Vacancy::new(format!("v{i}"), "焊工", "500107".parse().unwrap()).unwrap();
        index.upsert(&v).unwrap();
    }
    index.commit().unwrap();
    drop(index);
    let out = run(&["verify", "--index", idx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("intact"), "{}", text(&out.stdout));
    let out = run(&["verify", "--index", idx.to_str().unwrap(), "--json"]);
    assert_eq!(json_lines_or_doc(&out)["vacancies"], 10);
    let store = std::fs::read_dir(&idx)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "store"))
        .unwrap();
    let mut bytes = std::fs::read(&store).unwrap();
    let at = bytes.len() / 3;
    bytes[at] = !bytes[at];
    std::fs::write(&store, &bytes).unwrap();
    let out = run(&["verify", "--index", idx.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("checksum") && err.contains(".store"), "{err}");
}

/// The hostile inputs of `tests/hostile.rs`, through the CLI: each is one
/// clear sentence naming the line and exit code 2, or a defined result
/// (exit 0); never a panic.
#[test]
fn hostile_files_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"id":"v1","title":"焊工","skills":["焊接"],"region":"500107"}"#;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let long = format!(
        r#"{{"id":"v9","title":"{}","region":"500107"}}"#,
        "焊".repeat(4_000_000)
    );
    let cases: Vec<(&str, Vec<u8>, Option<&str>)> = vec![
        ("empty", Vec::new(), None),
        ("bom_crlf", format!("\u{feff}{good}\r\n").into_bytes(), None),
        (
            "ten_megabyte_line",
            format!("{good}\n{long}\n").into_bytes(),
            Some("line 2"),
        ),
        (
            "deep_nesting",
            format!("{good}\n{deep}\n").into_bytes(),
            Some("line 2"),
        ),
        (
            "invalid_utf8",
            [good.as_bytes(), b"\n{\"id\":\"\xff\xfe\"}\n"].concat(),
            Some("line 2"),
        ),
        (
            "nul_bytes",
            format!("{good}\n\0\0\0\n").into_bytes(),
            Some("line 2"),
        ),
        (
            "truncated_last_line",
            format!("{good}\n{{\"id\":\"v2\",\"ti").into_bytes(),
            Some("line 2"),
        ),
        (
            "negative_salary",
            format!("{good}\n{{\"id\":\"v3\",\"title\":\"焊工\",\"region\":\"500107\",\"salary_min\":-5}}\n")
                .into_bytes(),
            Some("line 2"),
        ),
    ];
    for (name, bytes, error) in cases {
        let input = dir.path().join(format!("{name}.jsonl"));
        std::fs::write(&input, &bytes).unwrap();
        let idx = dir.path().join(format!("idx-{name}"));
        let out = run(&[
            "index",
            "--input",
            input.to_str().unwrap(),
            "--index",
            idx.to_str().unwrap(),
        ]);
        let err = text(&out.stderr);
        assert!(!err.contains("panicked"), "{name}: {err}");
        match error {
            Some(needle) => {
                assert_eq!(out.status.code(), Some(2), "{name}: {err}");
                assert!(err.contains(needle), "{name}: `{needle}` not in {err}");
                assert_eq!(err.trim().lines().count(), 1, "{name}: one sentence: {err}");
            }
            None => assert!(out.status.success(), "{name}: {err}"),
        }
    }
    // k = 0 and k above the limit, inline.
    let idx = dir.path().join("idx-bom_crlf");
    let ask = |top: &str| {
        run(&[
            "match",
            "--index",
            idx.to_str().unwrap(),
            "--skills",
            "焊接",
            "--region",
            "500107",
            "--top",
            top,
        ])
    };
    let out = ask("0");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_user_error(&ask("1000000"), "1000000");
}
