//! Scale-out and the rest: shards, the Spark driver, a service's own files, guidance.

use super::*;

/// `shard` splits the vacancies by province; every reading command takes
/// the shard set for --index and ranks exactly as the single index does,
/// seekers read from a file or streamed on stdin alike.
#[test]
fn a_shard_set_ranks_like_the_single_index_from_a_file_or_stdin() {
    let (dir, data, idx) = market();
    let shards = dir.path().join("shards-province");
    let out = run(&[
        "shard",
        "--input",
        data.join("vacancies.jsonl").to_str().unwrap(),
        "--shards",
        shards.to_str().unwrap(),
        "--by",
        "province",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("into 3 shards by province"),
        "{}",
        text(&out.stdout)
    );
    let seekers = data.join("seekers.jsonl");
    let ranked = |index: &Path| {
        let out = run(&[
            "match",
            "--index",
            index.to_str().unwrap(),
            "--seekers",
            seekers.to_str().unwrap(),
            "--top",
            "20",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        out.stdout
    };
    let single = ranked(idx);
    assert_eq!(text(&single).lines().count(), 40);
    assert_eq!(text(&ranked(&shards)), text(&single));
    // Streamed: the worker of a Spark `pipe` or a Hadoop Streaming job.
    let mut child = Command::new(bin())
        .args([
            "--quiet",
            "match",
            "--index",
            shards.to_str().unwrap(),
            "--top",
            "20",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read(&seekers).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &input));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), text(&single));
    // A second build into the same place is refused, naming it.
    let again = run(&[
        "shard",
        "--input",
        data.join("vacancies.jsonl").to_str().unwrap(),
        "--shards",
        shards.to_str().unwrap(),
    ]);
    assert_user_error(&again, "already holds a shard set");
    let bad = run(&[
        "shard",
        "--input",
        data.join("vacancies.jsonl").to_str().unwrap(),
        "--shards",
        dir.path().join("other").to_str().unwrap(),
        "--by",
        "county",
    ]);
    assert_user_error(&bad, "province, prefecture or hash:N");
}

/// The PySpark driver (`examples/spark/rank_seekers.py`) ranks a seekers
/// file through the CLI on Spark in `local[2]` mode, byte-identical to one
/// process. Needs Java and PySpark (`pip install pyspark`); run with
/// `cargo build --release --example jobmatch && JOBMATCH_SPARK_SEEKERS=100000 cargo test --release --test integration pyspark -- --ignored --nocapture`
/// (seekers default to 2,000).
#[test]
#[ignore = "needs Java and PySpark: .ci/run installs them and runs it"]
fn pyspark_ranks_seekers_byte_identical_to_one_process() {
    let seekers: u64 = std::env::var("JOBMATCH_SPARK_SEEKERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000);
    let dir = tempfile::tempdir().unwrap();
    let (data, idx) = generated_index(dir.path(), 20_000, seekers, 7);
    let one = dir.path().join("one.jsonl");
    let started = std::time::Instant::now();
    let out = run(&[
        "match",
        "--index",
        idx.to_str().unwrap(),
        "--seekers",
        data.join("seekers.jsonl").to_str().unwrap(),
        "--top",
        "20",
        "--output",
        one.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let one_s = started.elapsed().as_secs_f64();
    let spark = dir.path().join("spark.jsonl");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/spark/rank_seekers.py");
    let started = std::time::Instant::now();
    let out = Command::new("python3")
        .arg(driver)
        .args(["--jobmatch", bin().to_str().unwrap()])
        .args(["--index", idx.to_str().unwrap()])
        .args(["--seekers", data.join("seekers.jsonl").to_str().unwrap()])
        .args(["--output", spark.to_str().unwrap()])
        .args(["--top", "20", "--partitions", "8", "--master", "local[2]"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let spark_s = started.elapsed().as_secs_f64();
    let (a, b) = (std::fs::read(&one).unwrap(), std::fs::read(&spark).unwrap());
    assert_eq!(text(&a).lines().count() as u64, seekers);
    assert!(a == b, "the Spark run's output differs from one process's");
    eprintln!(
        "{seekers} seekers: one process {one_s:.1} s ({:.0}/s, all cores), Spark local[2] {spark_s:.1} s ({:.0}/s, JVM start included)",
        seekers as f64 / one_s,
        seekers as f64 / spark_s
    );
}

/// A service measures and simulates its own market from files: `bench`
/// (plain and against a shard set) and `simulate` with --vacancies-file
/// and --seekers-file; a bad seeker line is an error naming it.
#[test]
fn bench_and_simulate_run_on_a_services_own_files() {
    let (dir, data, _) = market();
    let vacancies = data.join("vacancies.jsonl");
    let seekers = data.join("seekers.jsonl");
    let own = dir.path().join("own-idx");
    let files = [
        "--vacancies-file",
        vacancies.to_str().unwrap(),
        "--seekers-file",
        seekers.to_str().unwrap(),
    ];
    let mut args = vec!["bench", "--index", own.to_str().unwrap(), "--json"];
    args.extend(files);
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["vacancies"], 3000);
    assert_eq!(r["seekers"], 40);
    assert_eq!(r["topk_mismatches"], 0);
    assert!(r["throughput_all"].as_f64().unwrap() > 0.0);
    assert!(r.get("recall_at_10").is_none(), "no truth, no quality figures");

    args.extend(["--shards", "2"]);
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["mismatches"], 0);
    assert_eq!(r["sharding"], "hash:2");
    assert_eq!(r["rounds"].as_array().unwrap().len(), 4);

    let sim = dir.path().join("sim-idx");
    let mut args = vec![
        "simulate",
        "--index",
        sim.to_str().unwrap(),
        "--top",
        "10",
        "--json",
    ];
    args.extend(files);
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["seekers"], 40);
    assert!(r["placed"].as_u64().unwrap() > 0, "{r}");

    let bad = dir.path().join("bad-seekers.jsonl");
    let mut lines = std::fs::read_to_string(&seekers).unwrap();
    lines.push_str("{\"id\": \"x\", \"skills\": [], \"region\": \"999999\"}\n");
    std::fs::write(&bad, lines).unwrap();
    let out = run(&[
        "bench",
        "--index",
        own.to_str().unwrap(),
        "--vacancies-file",
        vacancies.to_str().unwrap(),
        "--seekers-file",
        bad.to_str().unwrap(),
    ]);
    assert_user_error(&out, "line 41");
}

/// `guidance`, `gaps` and `training` in a pipe: JSON; a seeker, district
/// or group that does not exist is exit 2 naming it; the benchmark checks
/// itself against the exhaustive scan.
#[test]
fn guidance_gaps_and_training_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let (data, idx) = generated_index(dir.path(), 3_000, 400, 17);
    let seekers = data.join("seekers.jsonl");
    let (idx, seekers) = (idx.to_str().unwrap(), seekers.to_str().unwrap());
    let out = run(&[
        "guidance",
        "--index",
        idx,
        "--seekers",
        seekers,
        "--seeker",
        "s1",
        "--seeker",
        "s2",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["seeker"], "s1");
    assert!(lines[0]["skills"].as_array().unwrap().len() <= 5);
    let out = run(&[
        "guidance",
        "--index",
        idx,
        "--seekers",
        seekers,
        "--seeker",
        "nobody",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nobody"), "{}", text(&out.stderr));
    let out = run(&[
        "guidance",
        "--index",
        idx,
        "--seekers",
        seekers,
        "--bench",
        "20",
        "--check",
        "5",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bench: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (bench["checked"].as_u64(), bench["mismatches"].as_u64()),
        (Some(5), Some(0))
    );
    assert!(bench["median_ms"].as_f64().unwrap() > 0.0);

    let plot = dir.path().join("gaps.png");
    let out = run(&[
        "gaps",
        "--index",
        idx,
        "--seekers",
        seekers,
        "--plot",
        plot.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = report["areas"][0]["name"].as_str().unwrap().to_owned();
    assert!(std::fs::metadata(&plot).unwrap().len() > 10_000);
    let out = run(&["gaps", "--index", idx, "--seekers", seekers, "--district", &first]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let one: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(one["areas"].as_array().unwrap().len(), 1);
    let out = run(&[
        "gaps",
        "--index",
        idx,
        "--seekers",
        seekers,
        "--district",
        "不存在区",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("不存在区"), "{}", text(&out.stderr));
    let out = run(&["gaps", "--index", idx, "--seekers", seekers, "--prefectures"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let skill = report["skill"].as_str().unwrap();
    let out = run(&[
        "training",
        "--index",
        idx,
        "--seekers",
        seekers,
        "--skills",
        skill,
        "--count",
        "40",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(t["trainees"].as_array().unwrap().len() <= 40);
    assert!(t["without"]["placed"].as_u64().is_some() && t["with"]["placed"].as_u64().is_some());
    let out = run(&[
        "training",
        "--index",
        idx,
        "--seekers",
        seekers,
        "--skills",
        skill,
        "--count",
        "5",
        "--groups",
        "astronaut",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("astronaut"), "{}", text(&out.stderr));
}
