//! The HTTP server example (`examples/server/`), started on a random
//! loopback port over a real index in a temp dir, called as a backend in
//! another language would: raw HTTP/1.1 and JSON.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

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
    let mut s = TcpStream::connect(&server.addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
        server.addr,
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    // Chunked bodies (the batch) arrive in hex-sized pieces.
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        let mut out = String::new();
        let mut rest = rest;
        while let Some((size, tail)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap();
            if n == 0 {
                break;
            }
            out.push_str(&tail[..n]);
            rest = &tail[n + 2..];
        }
        out
    } else {
        rest.to_owned()
    };
    (status, body)
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
    let server = start(&idx, &[]);

    let (status, body) = call(&server, "GET", "/health", "");
    assert_eq!((status, json(&body)["status"].as_str()), (200, Some("ok")));
    let (status, body) = call(&server, "GET", "/stats", "");
    assert_eq!((status, json(&body)["vacancies"].as_u64()), (200, Some(2_000)));

    // One seeker: the library's answer, byte for byte as JSON.
    let seeker = serde_json::to_string(&market.seeker(0)).unwrap();
    let (status, body) = call(&server, "POST", "/match?top=5", &seeker);
    assert_eq!(status, 200, "{body}");
    assert_eq!(json(&body), serde_json::to_value(&expected).unwrap());

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
        body.contains("jobmatch_requests_total{route=\"POST /match\",status=\"200\"} 1"),
        "{body}"
    );
    assert!(
        body.contains("jobmatch_requests_total{route=\"POST /match\",status=\"400\"} 1"),
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
/// quick one is served.
#[test]
fn a_read_past_the_deadline_is_a_503_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("idx"), &["--demo", "--deadline-ms", "1"]);
    let (status, _) = call(&server, "GET", "/health", "");
    assert_eq!(status, 200);
    // 2,000 seekers relocating anywhere cannot be ranked in a millisecond.
    let batch: String = (0..2_000)
        .map(|j| format!("{{\"id\": \"s{j}\", \"skills\": [\"焊接\", \"驾驶\", \"烹饪\"], \"region\": \"500107\", \"mobility\": {{\"relocate\": true}}}}\n"))
        .collect();
    let (status, body) = call(&server, "POST", "/match/batch?top=50", &batch);
    assert_eq!(status, 503, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("deadline of 1 ms"),
        "{body}"
    );
}
