//! The example CLI, run as a user would: round trips, bad input, help.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

mod basics;
mod ingest;
mod operations;
mod scale;

/// The `jobmatch` example binary that `cargo test` built beside this test.
pub(super) fn bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let path = dir
        .join("examples")
        .join(format!("jobmatch{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} not built: run `cargo test` (which builds examples)",
        path.display()
    );
    path
}

pub(super) fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .arg("--quiet")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

pub(super) fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The JSON Lines a command printed.
pub(super) fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Generates a market into `dir/market` and indexes its vacancies into
/// `dir/idx` through the CLI: (market directory, index directory).
pub(super) fn generated_index(dir: &Path, vacancies: u64, seekers: u64, seed: u64) -> (PathBuf, PathBuf) {
    let data = dir.join("market");
    let idx = dir.join("idx");
    let out = run(&[
        "generate",
        "--vacancies",
        &vacancies.to_string(),
        "--seekers",
        &seekers.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        data.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(&[
        "index",
        "--input",
        data.join("vacancies.jsonl").to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("indexed {vacancies} vacancies")),
        "{}",
        text(&out.stdout)
    );
    (data, idx)
}

/// A small market and its index, built once for the tests that read it.
pub(super) fn market() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static MARKET: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    MARKET.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let (data, idx) = generated_index(dir.path(), 3000, 40, 5);
        (dir, data, idx)
    })
}

pub(super) fn assert_user_error(out: &Output, needle: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(needle), "`{needle}` not in: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one clear sentence: {err}");
}

/// A command's JSON output, pretty-printed or one line.
pub(super) fn json_lines_or_doc(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap()
}
