//! The HTTP server example (`examples/server/`), started on a random
//! loopback port over a real index in a temp dir, called as a backend in
//! another language would: raw HTTP/1.1 and JSON.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

mod raw;

use jobmatch::index::{LoadOptions, VacancyIndex};
use jobmatch::market::{Market, MarketConfig};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;

fn server_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let path = dir
        .join("examples")
        .join(format!("server{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} not built: run `cargo test`", path.display());
    path
}

/// A running server; killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(index: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(server_bin())
        .args(["--index", index.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .args(extra)
        .env_remove("JOBMATCH_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    Server { child, addr }
}

/// One request; the status and the body.
fn call(server: &Server, method: &str, path: &str, body: &str) -> (u16, String) {
    call_with(server, method, path, body, "")
}

/// One request with extra header lines (each ending in CRLF).
fn call_with(server: &Server, method: &str, path: &str, body: &str, headers: &str) -> (u16, String) {
    http(&server.addr, method, path, body, headers)
}

/// One HTTP/1.1 request to `addr`; the status and the body.
fn http(addr: &str, method: &str, path: &str, body: &str, headers: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        let l = line.trim_end().to_ascii_lowercase();
        if l.is_empty() {
            break;
        }
        if let Some(n) = l.strip_prefix("content-length:") {
            length = Some(n.trim().parse::<usize>().unwrap());
        }
        chunked |= l.starts_with("transfer-encoding:") && l.contains("chunked");
    }
    // Read by the length given (some peers keep the connection open), in
    // hex-sized chunks (the streamed batch), or to the end.
    let mut raw = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line).unwrap();
            let n = usize::from_str_radix(line.trim(), 16).unwrap();
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        raw.resize(n, 0);
        r.read_exact(&mut raw).unwrap();
    } else {
        r.read_to_end(&mut raw).unwrap();
    }
    (status, String::from_utf8(raw).unwrap())
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn the_server_matches_explains_writes_and_reports_errors_as_json() {
    let market = Market::new(MarketConfig {
        vacancies: 2_000,
        seekers: 10,
        seed: 12,
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    {
        let index = VacancyIndex::create(&idx).unwrap().with_threads(1);
        index
            .bulk_load((0..2_000).map(|i| Ok(market.vacancy(i))), LoadOptions::default())
            .unwrap();
        index.close_writer().unwrap();
    }
    // What the library says, for comparison (read-only: no writer taken).
    let expected = {
        let index = VacancyIndex::open(&idx).unwrap();
        let snapshot = index.snapshot().unwrap();
        let today = snapshot.latest_posted().unwrap();
        let m = Matcher::new(snapshot, RankingConfig::default(), today).unwrap();
        m.match_one(&market.seeker(0), 5).unwrap()
    };
    let expected_guidance = {
        let index = VacancyIndex::open(&idx).unwrap();
        let snapshot = index.snapshot().unwrap();
        let today = snapshot.latest_posted().unwrap();
        let m = Matcher::new(snapshot, RankingConfig::default(), today).unwrap();
        let guide = jobmatch::guidance::Guide::new(
            &m,
            jobmatch::guidance::GuidanceConfig {
                k: 5,
                ..Default::default()
            },
        )
        .unwrap();
        serde_json::to_value(guide.seeker(&market.seeker(0), 3).unwrap()).unwrap()
    };
    let server = start(&idx, &[]);

    let (status, body) = call(&server, "GET", "/health", "");
    assert_eq!((status, json(&body)["status"].as_str()), (200, Some("ok")));
    let (status, body) = call(&server, "GET", "/stats", "");
    assert_eq!((status, json(&body)["vacancies"].as_u64()), (200, Some(2_000)));

    // One seeker: the library's answer, byte for byte as JSON.
    let seeker = serde_json::to_string(&market.seeker(0)).unwrap();
    let (status, body) = call(&server, "POST", "/match?top=5", &seeker);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, serde_json::to_string(&expected).unwrap());

    // A batch: one line per seeker, in order.
    let batch: String = (0..3)
        .map(|j| serde_json::to_string(&market.seeker(j)).unwrap() + "\n")
        .collect();
    let (status, body) = call(&server, "POST", "/match/batch?top=3", &batch);
    assert_eq!(status, 200, "{body}");
    let ids: Vec<String> = body
        .lines()
        .map(|l| json(l)["seeker"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["s0", "s1", "s2"]);

    // Career guidance, as the library gives it; k = 0 is a 400.
    let (status, body) = call(&server, "POST", "/guidance?top=3&k=5", &seeker);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body), expected_guidance);
    assert_eq!(call(&server, "POST", "/guidance?k=0", &seeker).0, 400);

    // Explain a pair.
    let first = expected.matches[0].vacancy.clone();
    let req = format!("{{\"seeker\": {seeker}, \"vacancy\": \"{first}\"}}");
    let (status, body) = call(&server, "POST", "/explain", &req);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["vacancy"], first);

    // Bad input: 400 naming the field, or the line of a batch; 404s.
    let (status, body) = call(
        &server,
        "POST",
        "/match",
        "{\"id\": \"x\", \"skills\": [], \"region\": 12}",
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(json(&body)["field"], "region");
    let (status, body) = call(
        &server,
        "POST",
        "/match",
        "{\"skills\": [], \"region\": \"500107\"}",
    );
    assert_eq!(
        (status, json(&body)["field"].as_str()),
        (400, Some("id")),
        "{body}"
    );
    let (status, body) = call(
        &server,
        "POST",
        "/match/batch",
        &format!("{batch}{{\"id\": 1}}\n"),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(json(&body)["line"], 4);
    let (status, body) = call(
        &server,
        "POST",
        "/explain",
        &format!("{{\"seeker\": {seeker}, \"vacancy\": \"nope\"}}"),
    );
    assert_eq!(status, 404, "{body}");
    let (status, _) = call(&server, "GET", "/no/such/route", "");
    assert_eq!(status, 404);
    let (status, body) = call(&server, "POST", "/match?top=many", &seeker);
    assert_eq!(
        (status, json(&body)["field"].as_str()),
        (400, Some("top")),
        "{body}"
    );
    // The other direction needs saved seekers: a 501 that says how.
    let (status, body) = call(&server, "GET", &format!("/vacancies/{first}/candidates"), "");
    assert_eq!(status, 501, "{body}");
    assert!(
        json(&body)["error"].as_str().unwrap().contains("--seekers"),
        "{body}"
    );
    // A vacancy as the index holds it; details on a match name the place.
    let (status, body) = call(&server, "GET", &format!("/vacancies/{first}"), "");
    assert_eq!(
        (status, json(&body)["id"].as_str()),
        (200, Some(first.as_str())),
        "{body}"
    );
    let (_, body) = call(&server, "POST", "/match?top=5&details=true", &seeker);
    let detailed = json(&body);
    assert_eq!(
        detailed["vacancies"][0],
        json(&call(&server, "GET", &format!("/vacancies/{first}"), "").1)
    );
    assert_eq!(
        detailed["matches"],
        serde_json::to_value(&expected).unwrap()["matches"]
    );

    // Writes are visible after commit, never before.
    let mut v = market.vacancy(5_000);
    v.id = "new-1".into();
    let (status, body) = call(&server, "POST", "/vacancies", &serde_json::to_string(&v).unwrap());
    assert_eq!(
        (status, json(&body)["upserted"].as_u64()),
        (200, Some(1)),
        "{body}"
    );
    let (_, body) = call(&server, "GET", "/stats", "");
    assert_eq!(json(&body)["vacancies"], 2_000);
    let (status, body) = call(&server, "POST", "/commit", "");
    assert_eq!(
        (status, json(&body)["vacancies"].as_u64()),
        (200, Some(2_001)),
        "{body}"
    );
    let (status, body) = call(&server, "DELETE", "/vacancies/new-1", "");
    assert_eq!(
        (status, json(&body)["deleted"].as_bool()),
        (200, Some(true)),
        "{body}"
    );
    call(&server, "POST", "/commit", "");
    let (_, body) = call(&server, "GET", "/stats", "");
    assert_eq!(json(&body)["vacancies"], 2_000);
    // Expiry: a bad date names the parameter; a real one deletes.
    let (status, body) = call(&server, "POST", "/vacancies/expire?before=tomorrow", "");
    assert_eq!(
        (status, json(&body)["field"].as_str()),
        (400, Some("before")),
        "{body}"
    );
    let (status, body) = call(&server, "POST", "/vacancies/expire?before=2999-01-01", "");
    assert_eq!(status, 200, "{body}");
    assert!(json(&body)["expired"].as_u64().unwrap() > 0, "{body}");
    call(&server, "POST", "/commit", "");
    let (_, body) = call(&server, "GET", "/stats", "");
    assert!(json(&body)["vacancies"].as_u64().unwrap() < 2_000, "{body}");
    // Metrics in the Prometheus text format.
    let (status, body) = call(&server, "GET", "/metrics", "");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("jobmatch_requests_total{route=\"POST /match\",status=\"200\"} 2"),
        "{body}"
    );
    assert!(
        body.contains("jobmatch_requests_total{route=\"POST /match\",status=\"400\"} 3"),
        "{body}"
    );
    assert!(
        body.contains("jobmatch_request_seconds_bucket{route=\"POST /match/batch\",le=\"+Inf\"}"),
        "{body}"
    );
    assert!(
        body.contains("# TYPE jobmatch_request_seconds histogram"),
        "{body}"
    );
    assert!(body.contains("jobmatch_last_commit_timestamp_seconds "), "{body}");
    let bytes: u64 = body
        .lines()
        .find_map(|l| l.strip_prefix("jobmatch_index_bytes "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no index size: {body}"));
    assert!(bytes > 100_000, "{bytes} bytes");
    // A bad vacancy in a batch writes nothing and names its line.
    let bad = format!("{}\n{{\"id\": \"z\"}}\n", serde_json::to_string(&v).unwrap());
    let (status, body) = call(&server, "POST", "/vacancies", &bad);
    assert_eq!(status, 400, "{body}");
    assert_eq!(json(&body)["line"], 2);
}

/// `--demo` starts with a generated market on an empty directory; with a
/// token, writes need it (401 without) and reads stay open.
#[test]
fn a_demo_server_with_a_token_guards_its_writes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("idx"), &["--demo", "--token", "s3cret"]);
    let (status, body) = call(&server, "GET", "/stats", "");
    assert_eq!(
        (status, json(&body)["vacancies"].as_u64()),
        (200, Some(20_000)),
        "{body}"
    );
    let (status, body) = call(&server, "POST", "/commit", "");
    assert_eq!(status, 401, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("Bearer"));
    let (status, _) = call_with(&server, "POST", "/commit", "", "Authorization: Bearer wrong\r\n");
    assert_eq!(status, 401);
    let (status, body) = call_with(&server, "POST", "/commit", "", "Authorization: Bearer s3cret\r\n");
    assert_eq!(status, 200, "{body}");
    let seeker = r#"{"id": "s", "skills": ["焊接"], "region": "500107", "commute_km": 20}"#;
    let (status, body) = call(&server, "POST", "/match?top=3", seeker);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body)["matches"].as_array().unwrap().len(), 3);
}

/// With a deadline, a read that takes longer is a 503 that names it; a
/// streamed batch past it ends with a line that names it.
#[test]
fn a_read_past_the_deadline_is_a_503_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(
        &dir.path().join("idx"),
        &[
            "--demo",
            "--seekers",
            dir.path().join("seekers").to_str().unwrap(),
            "--deadline-ms",
            "1",
        ],
    );
    let (status, _) = call(&server, "GET", "/health", "");
    assert_eq!(status, 200);
    // Alerts first rank every one of 2,000 saved seekers: not in a millisecond.
    let feed = r#"{"id": "new", "title": "电焊工", "skills": ["焊接"], "region": "500107"}"#;
    let (status, body) = call(&server, "POST", "/alerts?top=5", feed);
    assert_eq!(status, 503, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("deadline of 1 ms"),
        "{body}"
    );
    // 2,000 seekers relocating anywhere cannot be ranked in a millisecond:
    // the stream stops with a line naming the deadline.
    let batch: String = (0..2_000)
        .map(|j| format!("{{\"id\": \"s{j}\", \"skills\": [\"焊接\", \"驾驶\", \"烹饪\"], \"region\": \"500107\", \"mobility\": {{\"relocate\": true}}}}\n"))
        .collect();
    let (status, body) = call(&server, "POST", "/match/batch?top=50", &batch);
    assert_eq!(status, 200, "{body}");
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines.len() < 2_000, "{} lines", lines.len());
    let last = json(lines.last().unwrap());
    assert!(
        last["error"].as_str().unwrap().contains("deadline of 1 ms"),
        "{last}"
    );
}

/// A 2,000-vacancy index in `dir/idx`, written and closed.
fn fixture(dir: &Path, seed: u64) -> (Market, PathBuf) {
    let market = Market::new(MarketConfig {
        vacancies: 2_000,
        seekers: 300,
        seed,
        ..Default::default()
    });
    let idx = dir.join("idx");
    let index = VacancyIndex::create(&idx).unwrap().with_threads(1);
    index
        .bulk_load((0..2_000).map(|i| Ok(market.vacancy(i))), LoadOptions::default())
        .unwrap();
    index.close_writer().unwrap();
    (market, idx)
}

/// Stops the server as an operator would (SIGTERM) and waits for it: the
/// exit status.
fn terminate(server: &mut Server) -> std::process::ExitStatus {
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    server.child.wait().unwrap()
}

/// Saved seekers over HTTP: candidates for an indexed vacancy and for a
/// draft, and alerts for a feed, each equal to what the library computes
/// on the same committed state.
#[test]
fn the_server_serves_the_other_direction_as_the_library_does() {
    let dir = tempfile::tempdir().unwrap();
    let (market, idx) = fixture(dir.path(), 31);
    // The server holds saved seekers in id order, and alerts come in it.
    let mut saved: Vec<jobmatch::Seeker> = (0..300).map(|j| market.seeker(j)).collect();
    saved.sort_by(|a, b| a.id.cmp(&b.id));
    let feed: Vec<jobmatch::Vacancy> = (0..20)
        .map(|i| {
            let mut v = market.vacancy(1_000 + i);
            v.id = format!("feed-{i}");
            v
        })
        .collect();
    // Alerts are asked before the feed is committed: the library's answer on
    // the state the server starts with.
    let expected_alerts = {
        let index = VacancyIndex::open(&idx).unwrap();
        let snapshot = index.snapshot().unwrap();
        let today = snapshot.latest_posted().unwrap();
        let matcher = Matcher::new(snapshot, RankingConfig::default(), today).unwrap();
        let thresholds = jobmatch::reverse::Thresholds::compute(&matcher, &saved, 5).unwrap();
        jobmatch::reverse::alerts(&matcher, &saved, &thresholds, &feed).unwrap()
    };
    assert!(!expected_alerts.is_empty());
    let sdx = dir.path().join("seekers");
    let mut server = start(&idx, &["--seekers", sdx.to_str().unwrap()]);
    let seekers: String = (0..300)
        .map(|j| serde_json::to_string(&market.seeker(j)).unwrap() + "\n")
        .collect();
    let (status, body) = call(&server, "POST", "/seekers", &seekers);
    assert_eq!(
        (status, json(&body)["upserted"].as_u64()),
        (200, Some(300)),
        "{body}"
    );
    // A bad seeker names its line, and nothing of the request is saved.
    let (status, body) = call(
        &server,
        "POST",
        "/seekers",
        &format!("{seekers}{{\"id\": \"x\"}}\n"),
    );
    assert_eq!((status, json(&body)["line"].as_u64()), (400, Some(301)), "{body}");
    call(&server, "POST", "/commit", "");
    let feed_lines: String = feed
        .iter()
        .map(|v| serde_json::to_string(v).unwrap() + "\n")
        .collect();
    let (status, body) = call(&server, "POST", "/alerts?top=5", &feed_lines);
    assert_eq!(status, 200, "{body}");
    let alerts: Vec<serde_json::Value> = body.lines().map(json).collect();
    call(&server, "POST", "/vacancies", &feed_lines);
    let (status, body) = call(&server, "POST", "/commit", "");
    assert_eq!(
        (
            status,
            json(&body)["vacancies"].as_u64(),
            json(&body)["seekers"].as_u64()
        ),
        (200, Some(2_020), Some(300)),
        "{body}"
    );
    let (status, body) = call(&server, "GET", "/seekers/s7", "");
    assert_eq!((status, json(&body)["id"].as_str()), (200, Some("s7")), "{body}");
    // A vacancy some saved seeker reaches: the first match of one of them.
    let (_, body) = call(
        &server,
        "POST",
        "/match?top=1",
        &serde_json::to_string(&market.seeker(0)).unwrap(),
    );
    let reached = json(&body)["matches"][0]["vacancy"].as_str().unwrap().to_owned();
    let (status, body) = call(
        &server,
        "GET",
        &format!("/vacancies/{reached}/candidates?top=5"),
        "",
    );
    assert_eq!(status, 200, "{body}");
    let candidates = json(&body);
    let draft = serde_json::to_string(&market.vacancy(1_500)).unwrap();
    let (status, body) = call(&server, "POST", "/candidates?top=5", &draft);
    assert_eq!(status, 200, "{body}");
    let for_draft = json(&body);
    // Deleting a seeker shows after the next commit only.
    let (status, body) = call(&server, "DELETE", "/seekers/s7", "");
    assert_eq!(
        (status, json(&body)["deleted"].as_bool()),
        (200, Some(true)),
        "{body}"
    );
    assert_eq!(call(&server, "GET", "/seekers/s7", "").0, 200);
    let (_, body) = call(&server, "GET", "/stats", "");
    assert_eq!(json(&body)["pending_writes"], 1, "{body}");
    call(&server, "POST", "/commit", "");
    assert_eq!(call(&server, "GET", "/seekers/s7", "").0, 404);
    assert!(terminate(&mut server).success());

    // The library on what the server committed before the delete.
    let index = VacancyIndex::open(&idx).unwrap();
    let snapshot = index.snapshot().unwrap();
    let today = snapshot.latest_posted().unwrap();
    let matcher = Matcher::new(snapshot, RankingConfig::default(), today).unwrap();
    let reverse = jobmatch::reverse::SeekerMatcher::new(matcher, &saved).unwrap();
    let expected = reverse.candidates(&reached, 5).unwrap();
    assert!(!expected.candidates.is_empty());
    assert_eq!(candidates, serde_json::to_value(&expected).unwrap());
    let expected = reverse.candidates_for(&market.vacancy(1_500), 5).unwrap();
    assert_eq!(for_draft, serde_json::to_value(&expected).unwrap());
    assert_eq!(
        alerts,
        expected_alerts
            .iter()
            .map(|a| serde_json::to_value(a).unwrap())
            .collect::<Vec<_>>()
    );
}

/// SIGTERM: the request in flight is answered whole, then the writes of
/// finished requests are committed and the server exits 0.
#[test]
fn shutdown_finishes_requests_in_flight_and_commits_whole_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (market, idx) = fixture(dir.path(), 32);
    let mut server = start(&idx, &[]);
    let mut v = market.vacancy(1_000);
    v.id = "written-before-stop".into();
    let (status, _) = call(&server, "POST", "/vacancies", &serde_json::to_string(&v).unwrap());
    assert_eq!(status, 200);
    let batch: String = (0..1_000)
        .map(|j| {
            let mut s = market.seeker(j % 300);
            s.id = format!("b{j}");
            s.mobility = jobmatch::Mobility {
                relocate: true,
                ..Default::default()
            };
            serde_json::to_string(&s).unwrap() + "\n"
        })
        .collect();
    let addr = server.addr.clone();
    let in_flight = std::thread::spawn(move || http(&addr, "POST", "/match/batch?top=20", &batch, ""));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let status = terminate(&mut server);
    let (code, body) = in_flight.join().unwrap();
    assert_eq!(code, 200);
    assert_eq!(body.lines().count(), 1_000, "the batch was cut short");
    assert!(body.lines().all(|l| json(l)["seeker"].is_string()));
    assert!(status.success(), "{status}");
    let index = VacancyIndex::open(&idx).unwrap();
    let snapshot = index.snapshot().unwrap();
    assert_eq!(snapshot.num_vacancies(), 2_001);
    assert!(snapshot.vacancy("written-before-stop").unwrap().is_some());
}

/// `--protect-reads`: everything but health, the page, the document and
/// the gazetteer needs the token. `--commit-every`: writes show without a
/// commit call. Limits answer JSON errors.
#[test]
fn protected_reads_and_auto_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (market, idx) = fixture(dir.path(), 33);
    let server = start(
        &idx,
        &[
            "--token",
            "t0k",
            "--protect-reads",
            "--commit-every",
            "0.2",
            "--body-limit-mb",
            "1",
        ],
    );
    let auth = "Authorization: Bearer t0k\r\n";
    for open in ["/health", "/", "/openapi.json", "/regions"] {
        assert_eq!(call(&server, "GET", open, "").0, 200, "{open}");
    }
    let (status, body) = call(&server, "GET", "/stats", "");
    assert_eq!(status, 401, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("protects reads"));
    assert_eq!(call_with(&server, "GET", "/stats", "", auth).0, 200);
    let mut v = market.vacancy(1_000);
    v.id = "auto".into();
    let v = serde_json::to_string(&v).unwrap();
    assert_eq!(call(&server, "POST", "/vacancies", &v).0, 401);
    assert_eq!(call_with(&server, "POST", "/vacancies", &v, auth).0, 200);
    let start = std::time::Instant::now();
    loop {
        let (_, body) = call_with(&server, "GET", "/stats", "", auth);
        if json(&body)["vacancies"] == 2_001 {
            break;
        }
        assert!(start.elapsed().as_secs() < 20, "not committed: {body}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Limits: the body (a 413 naming the limit), k (the library's query
    // bounds), a method the route does not take: all JSON errors.
    let big = format!(
        "{{\"id\": \"s\", \"skills\": [\"{}\"], \"region\": \"500107\"}}",
        "焊".repeat(400_000)
    );
    let (status, body) = call_with(&server, "POST", "/match", &big, auth);
    assert_eq!(status, 413, "{body}");
    assert!(
        json(&body)["error"].as_str().unwrap().contains("limit of 1 MB"),
        "{body}"
    );
    let seeker = r#"{"id": "s", "skills": ["焊接"], "region": "500107"}"#;
    let (status, body) = call_with(&server, "POST", "/match?top=100000", seeker, auth);
    assert_eq!(status, 400, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("k"), "{body}");
    let (status, body) = call(&server, "GET", "/commit", "");
    assert_eq!(status, 405, "{body}");
    assert!(
        json(&body)["error"].as_str().unwrap().contains("method"),
        "{body}"
    );
    // The server refuses to protect reads without a token.
    let out = Command::new(server_bin())
        .args(["--index", idx.to_str().unwrap(), "--protect-reads"])
        .env_remove("JOBMATCH_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a token"));
}

/// Every operation `/openapi.json` lists is routed (answered by its
/// handler, not the fallback's 404 or a 405), and an undocumented one is not.
#[test]
fn the_openapi_document_matches_the_routes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, idx) = fixture(dir.path(), 34);
    let sdx = dir.path().join("seekers");
    let server = start(&idx, &["--seekers", sdx.to_str().unwrap()]);
    let (status, body) = call(&server, "GET", "/openapi.json", "");
    assert_eq!(status, 200);
    let doc = json(&body);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path}"
            );
            let concrete = path.replace("{id}", "no-such-id");
            let (status, body) = call(&server, &method.to_ascii_uppercase(), &concrete, "");
            assert_ne!(status, 405, "{method} {path}: {body}");
            assert!(
                !body.contains("no such route"),
                "{method} {path} is documented but not routed: {body}"
            );
        }
    }
    assert!(operations >= 20, "{operations} operations");
    for (method, path) in [("PUT", "/match"), ("GET", "/commit"), ("POST", "/health")] {
        let documented = paths
            .get(path)
            .is_some_and(|p| p.get(method.to_ascii_lowercase()).is_some());
        assert!(!documented);
        assert_eq!(call(&server, method, path, "").0, 405, "{method} {path}");
    }
}

/// The curl tour of docs/service.md, run line by line against a demo server: each
/// line succeeds and prints JSON (or the metrics text).
#[test]
fn the_readme_curl_tour_runs() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/service.md")).unwrap();
    let tour = readme
        .split("<!-- curl tour: run by tests/server.rs -->")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("docs/service.md has the marked curl tour");
    let dir = tempfile::tempdir().unwrap();
    let (_, idx) = fixture(dir.path(), 35);
    let sdx = dir.path().join("seekers");
    let server = start(&idx, &["--seekers", sdx.to_str().unwrap(), "--token", "secret"]);
    let mut ran = 0;
    for line in tour
        .lines()
        .map(str::trim)
        .filter(|l| l.contains("curl ") && !l.starts_with('#'))
    {
        let line = line.replace("127.0.0.1:7700", &server.addr);
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("{line} --fail-with-body"))
            .env("JOBMATCH_TOKEN", "secret")
            .current_dir(dir.path())
            .output()
            .expect("sh and curl are on the machine");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{line}\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if !line.contains("/metrics") {
            for l in stdout.lines().filter(|l| !l.is_empty()) {
                let v = json(l);
                assert!(v.get("error").is_none(), "{line}: {l}");
            }
        }
        ran += 1;
    }
    assert!(ran >= 12, "{ran} curl lines");
}

/// A WebDriver session on Debian's chromium, spoken to over raw HTTP.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            &self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            "",
            "",
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    fn start(profile: &Path) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian: apt-get install chromium chromium-driver)");
        let addr = format!("127.0.0.1:{port}");
        let t = std::time::Instant::now();
        while TcpStream::connect(&addr).is_err() {
            assert!(t.elapsed().as_secs() < 20, "chromedriver did not start");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let caps = serde_json::json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1360,1000", "--lang=zh-CN",
                format!("--user-data-dir={}", profile.display())
            ]}
        }}});
        let (status, body) = http(&addr, "POST", "/session", &caps.to_string(), "");
        assert_eq!(status, 200, "{body}");
        let session = json(&body)["value"]["sessionId"].as_str().unwrap().to_owned();
        Browser {
            driver,
            addr,
            session,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        let body = if method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        let (status, text) = http(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            &body,
            "",
        );
        assert_eq!(status, 200, "{method} {path}: {text}");
        json(&text)["value"].clone()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let found = self.cmd(
            "POST",
            "/elements",
            serde_json::json!({ "using": "css selector", "value": css }),
        );
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e["element-6066-11e4-a52e-4f735466cecf"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{css}: {e}"))
                    .to_owned()
            })
            .collect()
    }

    /// The elements matching `css`, waiting up to 30 s for at least one.
    fn wait_for(&self, css: &str) -> Vec<String> {
        let t = std::time::Instant::now();
        loop {
            let found = self.find_all(css);
            if !found.is_empty() {
                return found;
            }
            assert!(t.elapsed().as_secs() < 30, "nothing matches `{css}`");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// The text of `css`, waiting up to 30 s for it to hold `needle`.
    fn wait_text(&self, css: &str, needle: &str) -> String {
        let t = std::time::Instant::now();
        loop {
            let text = self.text(css);
            if text.contains(needle) {
                return text;
            }
            assert!(t.elapsed().as_secs() < 30, "no `{needle}` in `{css}`: {text}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = &self.wait_for(css)[0];
        self.cmd("POST", &format!("/element/{e}/clear"), serde_json::json!({}));
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            serde_json::json!({ "text": text }),
        );
    }

    fn click(&self, css: &str) {
        let e = &self.wait_for(css)[0];
        self.cmd("POST", &format!("/element/{e}/click"), serde_json::json!({}));
    }

    fn text(&self, css: &str) -> String {
        let e = &self.wait_for(css)[0];
        self.cmd("GET", &format!("/element/{e}/text"), serde_json::json!({}))
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Standard base64, as WebDriver sends screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .map(value)
        .collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let mut n = 0u32;
        for (i, d) in chunk.iter().enumerate() {
            n |= u32::from(*d) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The page at `/` in a real headless Chromium: fill the form as a person
/// would, see ranked vacancies with their signals, the map's matches, and
/// an explanation on click. Needs Debian's chromium and chromium-driver:
/// `apt-get install chromium chromium-driver`, then
/// `cargo test --test integration page -- --ignored`
/// (`JOBMATCH_SCREENSHOT=docs/server-page.png` keeps a screenshot).
#[test]
#[ignore = "needs chromium and chromedriver (Debian packages)"]
fn the_page_ranks_a_seeker_typed_into_its_form_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("idx"), &["--demo"]);
    let browser = Browser::start(&dir.path().join("profile"));
    browser.cmd(
        "POST",
        "/url",
        serde_json::json!({ "url": format!("http://{}/", server.addr) }),
    );
    // The districts arrive from /regions before the form can resolve a name.
    browser.wait_for("#districts option");
    browser.type_into("#skills", "焊接, 叉车, 电工");
    browser.type_into("#titles", "电焊工");
    browser.type_into("#home", "渝北区");
    browser.type_into("#commute", "25");
    browser.click("#mobility option[value=both]");
    browser.click("#go");
    let rows = browser.wait_for("tr.match");
    assert_eq!(rows.len(), 10);
    let first = browser.text("tr.match");
    assert!(first.contains("0."), "no score in {first:?}");
    assert!(!browser.find_all("tr.match .bar").is_empty());
    assert!(browser.text("#status").contains("vacancies in"));
    assert!(!browser.find_all("#map circle.match-place").is_empty());
    assert_eq!(browser.find_all("#map #home-mark").len(), 1);
    // Guidance for the same seeker below the results.
    assert!(!browser.wait_for("#guidance li").is_empty());
    assert!(
        browser.text("#guidance").contains("more above"),
        "{}",
        browser.text("#guidance")
    );
    browser.click("tr.match");
    browser.wait_text("#explain", "skills");
    // A district the gazetteer does not hold is named in the status line.
    browser.type_into("#home", "不存在区");
    browser.click("#go");
    assert!(browser.text("#status").contains("不存在区"));
    browser.type_into("#home", "渝北区");
    browser.click("#go");
    // The status line changes in the same task that starts the guidance.
    browser.wait_text("#status", "vacancies in");
    browser.wait_for("#guidance li");
    browser.click("tr.match");
    browser.wait_text("#explain", "skills");
    if let Ok(path) = std::env::var("JOBMATCH_SCREENSHOT") {
        let shot = browser.cmd("GET", "/screenshot", serde_json::json!({}));
        let png = base64_decode(shot.as_str().unwrap());
        assert_eq!(&png[1..4], b"PNG");
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join(path), png).unwrap();
    }
}
