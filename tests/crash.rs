//! Crash safety: a child process loads and upserts vacancies in batches,
//! committing each, and is killed with SIGKILL at random moments. After
//! every kill the index is reopened and must hold every vacancy of every
//! batch whose commit returned, each exactly once and in its latest
//! version, nothing of a batch whose commit had not begun, the batch in
//! flight whole or not at all, and still answer searches.
//!
//! The child is this test binary itself, run with `JOBMATCH_CRASH_DIR` set
//! (the `crash::child` test, ignored otherwise). CI runs 20 cycles; the
//! documented long run is
//! `JOBMATCH_CRASH_CYCLES=100 cargo test --release --test integration crash::killed -- --nocapture`.

#![cfg(unix)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jobmatch::index::{LoadOptions, VacancyIndex};
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::{Seeker, Vacancy};

/// New vacancies per batch.
const BATCH: usize = 40;
/// Of an upsert batch's, how many replace the previous batch's.
const REPLACED: usize = 20;

fn vacancy(id: String, version: usize) -> Vacancy {
    let mut v = Vacancy::new(id, format!("焊工 第{version}版"), "510104".parse().unwrap()).unwrap();
    v.occupation = Some("6-18-02-04".parse().unwrap());
    v.skills = vec!["焊接".into()];
    v
}

fn new_ids(batch: usize) -> impl Iterator<Item = String> {
    (0..BATCH).map(move |i| format!("b{batch}-{i}"))
}

/// The vacancies batch `b` writes: its new ones, and for odd batches new
/// versions of the first `REPLACED` of the batch before.
fn batch(b: usize) -> Vec<Vacancy> {
    let mut out: Vec<Vacancy> = new_ids(b).map(|id| vacancy(id, b)).collect();
    if !b.is_multiple_of(2) {
        out.extend(new_ids(b - 1).take(REPLACED).map(|id| vacancy(id, b)));
    }
    out
}

/// The progress log: one line per batch whose commit returned.
fn log_of(dir: &Path) -> PathBuf {
    dir.with_extension("log")
}

fn committed_batches(dir: &Path) -> usize {
    std::fs::read_to_string(log_of(dir))
        .map(|s| s.lines().filter(|l| !l.is_empty()).count())
        .unwrap_or(0)
}

/// The child: batches forever (even ones by bulk load, odd ones by upserts),
/// logging each after its commit returns.
#[test]
#[ignore = "the child process of `killed_writers_lose_no_commit`"]
fn child() {
    let Some(dir) = std::env::var_os("JOBMATCH_CRASH_DIR").map(PathBuf::from) else {
        return;
    };
    let index = VacancyIndex::open_or_create(&dir).unwrap();
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_of(&dir))
        .unwrap();
    let mut b = committed_batches(&dir);
    loop {
        let vacancies = batch(b);
        if b.is_multiple_of(2) {
            index
                .bulk_load(vacancies.into_iter().map(Ok), LoadOptions::default())
                .unwrap();
        } else {
            for v in &vacancies {
                index.upsert(v).unwrap();
            }
            index.commit().unwrap();
        }
        writeln!(log, "{b}").unwrap();
        log.sync_all().unwrap();
        b += 1;
    }
}

/// Whether every vacancy of batches `0..applied` is there once, in its
/// latest version, and nothing else.
fn holds_exactly(index: &VacancyIndex, applied: usize) -> Result<(), String> {
    let snapshot = index.snapshot().map_err(|e| e.to_string())?;
    let expected = applied * BATCH;
    if snapshot.num_vacancies() as usize != expected {
        return Err(format!(
            "{} vacancies, expected {expected}",
            snapshot.num_vacancies()
        ));
    }
    for b in 0..applied {
        for (i, id) in new_ids(b).enumerate() {
            let v = snapshot
                .vacancy(&id)
                .map_err(|e| e.to_string())?
                .ok_or(format!("{id} missing"))?;
            let replaced_by_next = b.is_multiple_of(2) && i < REPLACED && b + 1 < applied;
            let version = if replaced_by_next { b + 1 } else { b };
            if v.title != format!("焊工 第{version}版") {
                return Err(format!("{id} is `{}`, expected version {version}", v.title));
            }
        }
    }
    Ok(())
}

/// A small deterministic sequence for the kill times.
fn next(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn killed_writers_lose_no_commit() {
    let cycles: usize = std::env::var("JOBMATCH_CRASH_CYCLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    let exe = std::env::current_exe().unwrap();
    let mut state = 2021u64;
    let mut in_flight_applied = 0;
    for cycle in 0..cycles {
        let before = committed_batches(&dir);
        let mut child = Command::new(&exe)
            .args(["--ignored", "--exact", "crash::child", "--test-threads", "1"])
            .env("JOBMATCH_CRASH_DIR", &dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill once the child is writing: after its first commit of this
        // cycle and a random while more (or after a generous timeout).
        let start = Instant::now();
        while committed_batches(&dir) == before && start.elapsed() < Duration::from_secs(60) {
            if child.try_wait().unwrap().is_some() {
                panic!("cycle {cycle}: the child exited by itself");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(next(&mut state) % 300));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let logged = committed_batches(&dir);
        assert!(logged > before, "cycle {cycle}: no batch committed");
        let index = VacancyIndex::open(&dir).unwrap_or_else(|e| panic!("cycle {cycle}: reopen: {e}"));
        // The batch in flight is applied whole or not at all.
        let applied = match (holds_exactly(&index, logged), holds_exactly(&index, logged + 1)) {
            (Ok(()), _) => logged,
            (_, Ok(())) => {
                in_flight_applied += 1;
                logged + 1
            }
            (Err(a), Err(b)) => panic!(
                "cycle {cycle}: neither {logged} batches ({a}) nor {} ({b})",
                logged + 1
            ),
        };
        // Searches still work on what survived.
        let m = Matcher::new(
            index.snapshot().unwrap(),
            RankingConfig::default(),
            jobmatch::Date::new(2021, 3, 31).unwrap(),
        )
        .unwrap();
        let seeker = Seeker::new("s", vec!["焊接".into()], "510104".parse().unwrap()).unwrap();
        let found = m.match_one(&seeker, 10).unwrap().matches.len();
        assert_eq!(found, 10.min(applied * BATCH), "cycle {cycle}");
        drop(m);
        drop(index);
        // A batch committed but not logged is logged now, so that the next
        // child goes on after it.
        if applied > logged {
            let mut log = std::fs::OpenOptions::new()
                .append(true)
                .open(log_of(&dir))
                .unwrap();
            writeln!(log, "{logged}").unwrap();
        }
    }
    println!(
        "{cycles} SIGKILL cycles survived; {} batches committed; the batch in flight was applied in {in_flight_applied}",
        committed_batches(&dir)
    );
}
