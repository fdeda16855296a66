//! What `GET /metrics` reports, in the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Upper bounds of the request-latency histogram's buckets, seconds.
const BUCKETS: [f64; 10] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];

/// One route's latencies.
#[derive(Default)]
pub struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// What `/metrics` reports.
#[derive(Default)]
pub struct Metrics {
    /// Requests by (route, status).
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Latencies by route.
    latency: Mutex<BTreeMap<String, Histogram>>,
    /// Unix time of the last commit (or of the start).
    last_commit: AtomicU64,
}

impl Metrics {
    pub fn record(&self, route: &str, status: u16, seconds: f64) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((route.to_owned(), status)).or_default() += 1;
        }
        if let Ok(mut l) = self.latency.lock() {
            let h = l.entry(route.to_owned()).or_default();
            for (b, &le) in h.buckets.iter_mut().zip(&BUCKETS) {
                *b += u64::from(seconds <= le);
            }
            h.count += 1;
            h.sum += seconds;
        }
    }

    pub fn committed_now(&self) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.last_commit.store(now, Ordering::Relaxed);
    }

    /// The Prometheus text format.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        out.push_str("# HELP jobmatch_requests_total Requests served, by route and status.\n");
        out.push_str("# TYPE jobmatch_requests_total counter\n");
        if let Ok(r) = self.requests.lock() {
            for ((route, status), n) in r.iter() {
                let _ = writeln!(
                    out,
                    "jobmatch_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP jobmatch_request_seconds Request latency, by route.\n");
        out.push_str("# TYPE jobmatch_request_seconds histogram\n");
        if let Ok(l) = self.latency.lock() {
            for (route, h) in l.iter() {
                for (n, le) in h.buckets.iter().zip(BUCKETS) {
                    let _ = writeln!(
                        out,
                        "jobmatch_request_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "jobmatch_request_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(out, "jobmatch_request_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(
                    out,
                    "jobmatch_request_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        let mut gauge = |name: &str, help: &str, value: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        };
        gauge(
            "jobmatch_vacancies",
            "Vacancies in the committed state served.",
            gauges.vacancies,
        );
        gauge(
            "jobmatch_seekers",
            "Saved seekers in the committed state served (0 without --seekers).",
            gauges.seekers,
        );
        gauge(
            "jobmatch_index_bytes",
            "Bytes on disk of the vacancy index and the seeker index.",
            gauges.index_bytes,
        );
        gauge(
            "jobmatch_pending_writes",
            "Write requests applied since the last commit (not yet visible).",
            gauges.pending_writes,
        );
        gauge(
            "jobmatch_last_commit_timestamp_seconds",
            "Unix time of the last commit (or of the start).",
            self.last_commit.load(Ordering::Relaxed),
        );
        out
    }
}

/// The values `/metrics` reads off the served state.
pub struct Gauges {
    /// Vacancies served.
    pub vacancies: u64,
    /// Saved seekers served.
    pub seekers: u64,
    /// Bytes on disk of the indexes.
    pub index_bytes: u64,
    /// Write requests not yet committed.
    pub pending_writes: u64,
}

/// Bytes of the files under `dir` (0 for what cannot be read: the size is
/// a report, not a check).
pub fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
