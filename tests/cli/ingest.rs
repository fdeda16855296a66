//! Raw postings through the CLI (`generate --raw`, `ingest`, `index --raw`)
//! and weights fitted to an outcome log (`simulate --log`, `fit-weights`).

use super::*;

#[test]
fn raw_postings_are_ingested_reported_and_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let d = |p: &str| dir.path().join(p).to_string_lossy().into_owned();
    let out = run(&[
        "generate",
        "--vacancies",
        "3000",
        "--seekers",
        "50",
        "--seed",
        "4",
        "--raw",
        "--out",
        &d("raw"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A file a board exported, with a line of each kind of trouble.
    let mut postings = std::fs::read_to_string(d("raw/postings.jsonl")).unwrap();
    postings.push_str("not json\n");
    postings.push_str("{\"id\":\"far\",\"title\":\"司机\",\"location\":\"广东省深圳市\"}\n");
    postings.push_str("{\"id\":\"untitled\",\"location\":\"九龙坡\"}\n");
    std::fs::write(d("postings.jsonl"), postings).unwrap();
    // Refused records make the exit code 2 (naming the first) once the
    // rest is written; --skip-bad accepts them.
    let ingest = |flags: &[&str]| {
        let (input, output, report) = (d("postings.jsonl"), d("vacancies.jsonl"), d("report.json"));
        let mut args = vec!["ingest"];
        args.extend_from_slice(flags);
        args.extend(["--input", &input, "--output", &output, "--report", &report]);
        run(&args)
    };
    let out = ingest(&[]);
    assert_user_error(&out, "3 of 3003 records refused");
    assert!(
        text(&out.stderr).contains("(the first: line 3001: "),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(d("vacancies.jsonl"))
            .unwrap()
            .lines()
            .count(),
        3000
    );
    // The raw file given where clean records are wanted: the error names
    // the line and field, and a hint says how to read free text.
    for (command, input) in [
        ("index", d("postings.jsonl")),
        ("seekers-index", d("raw/registrations.jsonl")),
    ] {
        let out = run(&[
            command,
            "--input",
            &input,
            "--index",
            &d(&format!("wrong-{command}")),
        ]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        let lines: Vec<&str> = err.trim().lines().collect();
        assert_eq!(lines.len(), 2, "{err}");
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains("line 1: "),
            "{err}"
        );
        assert!(
            lines[1].starts_with("hint: ") && lines[1].contains("jobmatch ingest"),
            "{err}"
        );
    }
    let out = ingest(&["--skip-bad"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("refused: line 3002"),
        "{}",
        text(&out.stderr)
    );
    let written = std::fs::read_to_string(d("vacancies.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 3000);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d("report.json")).unwrap()).unwrap();
    assert_eq!(report["records"], 3003);
    let refused = report["refused"].as_array().unwrap();
    let lines: Vec<u64> = refused.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3001, 3002, 3003]);
    assert!(
        refused[1]["reason"].as_str().unwrap().contains("广东"),
        "{refused:?}"
    );
    assert_eq!(refused[1]["id"], "far");
    assert!(report["fields"]["salary"]["parsed"].as_u64().unwrap() > 2500);
    // How each field was read travels with the record, unless asked not to.
    let first: serde_json::Value = serde_json::from_str(written.lines().next().unwrap()).unwrap();
    assert!(first["ingest"]["readings"].is_array(), "{first}");
    let out = run(&[
        "ingest",
        "--skip-bad",
        "--no-provenance",
        "--input",
        &d("postings.jsonl"),
        "--output",
        &d("bare.jsonl"),
        "--report",
        &d("bare-report.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bare = std::fs::read_to_string(d("bare.jsonl")).unwrap();
    let first_bare: serde_json::Value = serde_json::from_str(bare.lines().next().unwrap()).unwrap();
    assert!(first_bare.get("ingest").is_none(), "{first_bare}");
    assert_eq!(first_bare["id"], first["id"]);
    assert!(
        bare.len() * 2 < written.len(),
        "{} vs {}",
        bare.len(),
        written.len()
    );

    // The clean file indexes like any other; index --raw takes the raw one.
    let out = run(&[
        "index",
        "--input",
        &d("vacancies.jsonl"),
        "--index",
        &d("clean"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&[
        "index",
        "--raw",
        "--skip-bad",
        "--input",
        &d("postings.jsonl"),
        "--index",
        &d("rawidx"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = json_lines_or_doc(&out);
    assert_eq!(summary["indexed"], 3000, "{summary}");
    assert_eq!(summary["rejected"], 3, "{summary}");
    // Without --skip-bad the first bad line stops it, naming the line.
    let out = run(&[
        "index",
        "--raw",
        "--input",
        &d("postings.jsonl"),
        "--index",
        &d("rawidx2"),
    ]);
    assert_user_error(&out, "3001");

    // Registrations, and CSV with a column mapping.
    let out = run(&[
        "ingest",
        "--seekers",
        "--input",
        &d("raw/registrations.jsonl"),
        "--output",
        &d("seekers.jsonl"),
        "--report",
        &d("sreport.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(d("seekers.jsonl"))
            .unwrap()
            .lines()
            .count(),
        50
    );
    std::fs::write(
        d("export.csv"),
        "职位,待遇,地点\n电焊工,8千-1.2万,重庆市九龙坡区\n",
    )
    .unwrap();
    let out = run(&[
        "ingest",
        "--input",
        &d("export.csv"),
        "--columns",
        "title=职位,salary=待遇,location=地点",
        "--output",
        &d("csv.jsonl"),
        "--report",
        &d("csv-report.json"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(d("csv.jsonl")).unwrap().trim()).unwrap();
    assert_eq!(
        (v["region"].as_str(), v["salary_min"].as_u64()),
        (Some("500107"), Some(8000))
    );
    let out = run(&[
        "ingest",
        "--input",
        &d("export.csv"),
        "--columns",
        "wage=待遇",
        "--output",
        &d("x"),
        "--report",
        &d("y"),
    ]);
    assert_user_error(&out, "wage");
}

#[test]
fn a_fair_log_fits_weights_that_rank_held_out_seekers_better() {
    let dir = tempfile::tempdir().unwrap();
    let d = |p: &str| dir.path().join(p).to_string_lossy().into_owned();
    let out = run(&[
        "generate",
        "--vacancies",
        "4000",
        "--seekers",
        "4000",
        "--seed",
        "8",
        "--out",
        &d("m"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&[
        "simulate",
        "--vacancies-file",
        &d("m/vacancies.jsonl"),
        "--seekers-file",
        &d("m/seekers.jsonl"),
        "--index",
        &d("idx"),
        "--top",
        "10",
        "--log",
        &d("log.jsonl"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&[
        "fit-weights",
        "--index",
        &d("idx"),
        "--seekers",
        &d("m/seekers.jsonl"),
        "--log",
        &d("log.jsonl"),
        "--output",
        &d("fitted.json"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fit = json_lines_or_doc(&out);
    let (before, after) = (
        fit["before"]["ndcg"].as_f64().unwrap(),
        fit["after"]["ndcg"].as_f64().unwrap(),
    );
    assert!(after > before, "{fit}");
    // The fitted config is one `match --config` reads.
    let out = run(&[
        "match",
        "--index",
        &d("idx"),
        "--seekers",
        &d("m/seekers.jsonl"),
        "--config",
        &d("fitted.json"),
        "--top",
        "3",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A log line that is not an outcome is named.
    std::fs::write(
        d("bad.jsonl"),
        "{\"seeker\":\"s1\",\"vacancy\":\"v1\",\"outcome\":\"liked\"}\n",
    )
    .unwrap();
    let out = run(&[
        "fit-weights",
        "--index",
        &d("idx"),
        "--seekers",
        &d("m/seekers.jsonl"),
        "--log",
        &d("bad.jsonl"),
    ]);
    assert_user_error(&out, "outcome");
}
