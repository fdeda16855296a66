//! A damaged index on disk (robustness issue, item 4, begun): opening or
//! reading it gives an error that names the index, never a panic or a
//! silently wrong answer.

use std::path::{Path, PathBuf};

use jobmatch::index::VacancyIndex;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::{Seeker, Vacancy};

use crate::ranking::today;

/// A small committed index in a temp dir, closed.
fn committed(dir: &Path) {
    let index = VacancyIndex::create(dir).unwrap();
    for i in 0..50 {
        let mut v = Vacancy::new(format!("v{i}"), "焊工", "500107".parse().unwrap()).unwrap();
        v.skills = vec!["焊接".into()];
        index.upsert(&v).unwrap();
    }
    index.commit().unwrap();
    index.close_writer().unwrap();
}

/// Opens, snapshots and ranks: the first error, if any (a panic fails the
/// test).
fn use_index(dir: &Path) -> Result<usize, jobmatch::Error> {
    let index = VacancyIndex::open(dir)?;
    let m = Matcher::new(index.snapshot()?, RankingConfig::default(), today())?;
    let seeker = Seeker::new("s", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
    Ok(m.match_one(&seeker, 100)?.matches.len())
}

fn files_ending(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

#[test]
fn an_intact_index_answers() {
    let dir = tempfile::tempdir().unwrap();
    committed(dir.path());
    assert_eq!(use_index(dir.path()).unwrap(), 50);
}

#[test]
fn garbage_meta_json_is_an_error_naming_the_index() {
    let dir = tempfile::tempdir().unwrap();
    committed(dir.path());
    std::fs::write(dir.path().join("meta.json"), b"{not json at all").unwrap();
    let e = use_index(dir.path()).unwrap_err();
    assert!(e.to_string().contains(&dir.path().display().to_string()), "{e}");
}

#[test]
fn a_deleted_or_truncated_segment_file_is_an_error_not_a_panic() {
    for ext in ["idx", "store", "fast", "term"] {
        for truncate in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            committed(dir.path());
            let files = files_ending(dir.path(), ext);
            assert!(!files.is_empty(), "no .{ext} file");
            for f in &files {
                if truncate {
                    let len = std::fs::metadata(f).unwrap().len();
                    let file = std::fs::OpenOptions::new().write(true).open(f).unwrap();
                    file.set_len(len / 2).unwrap();
                } else {
                    std::fs::remove_file(f).unwrap();
                }
            }
            let r = use_index(dir.path());
            assert!(
                r.is_err(),
                ".{ext} {}: answered {r:?}",
                if truncate { "truncated" } else { "deleted" }
            );
        }
    }
}

/// What a small index answers: every vacancy by id, and a ranked list.
#[derive(Debug, PartialEq)]
struct Answer {
    stored: Vec<String>,
    ranked: Vec<(String, u64)>,
}

fn answer(index: &VacancyIndex) -> Result<Answer, jobmatch::Error> {
    index.verify()?;
    let snapshot = index.snapshot()?;
    let mut stored = Vec::new();
    for i in 0..SWEPT {
        if let Some(v) = snapshot.vacancy(&format!("v{i}"))? {
            stored.push(format!("{} {} {} {}", v.id, v.title, v.employer, v.region));
        }
    }
    let m = Matcher::new(snapshot, RankingConfig::default(), today())?;
    let seeker = Seeker::new("s", vec!["焊接".into(), "驾驶".into()], "500107".parse().unwrap()).unwrap();
    let ranked = m
        .match_one(&seeker, 10)?
        .matches
        .iter()
        .map(|x| (x.vacancy.clone(), x.score.to_bits()))
        .collect();
    Ok(Answer { stored, ranked })
}

/// Vacancies in the swept index.
const SWEPT: usize = 6;

/// Flips (inverts) one byte at a time of every file of a small committed
/// index, every `stride`-th byte, and opens, verifies and ranks: each flip
/// must give an error or exactly the intact answer. Returns (flips,
/// detected, harmless) and fails on a panic or a different answer.
fn sweep(stride: usize) -> (usize, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let index = VacancyIndex::create(dir.path()).unwrap();
    for i in 0..SWEPT {
        let mut v = Vacancy::new(
            format!("v{i}"),
            ["焊工", "货车司机", "厨师"][i % 3],
            ["500107", "510104"][i % 2].parse().unwrap(),
        )
        .unwrap();
        v.skills = vec![["焊接", "驾驶", "烹饪"][i % 3].into()];
        v.employer = Some(format!("雇主{i}"));
        index.upsert(&v).unwrap();
    }
    index.commit().unwrap();
    index.close_writer().unwrap();
    let intact = answer(&index).unwrap();
    drop(index);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        // The index's own files: not locks, and not the kept title coder
        // (its checksum is tested in `classify`).
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            !name.contains("lock") && !name.starts_with(jobmatch::index::CODER_FILE)
        })
        .collect();
    files.sort();
    let (mut flips, mut detected, mut harmless) = (0, 0, 0);
    let mut wrong = Vec::new();
    for file in &files {
        let original = std::fs::read(file).unwrap();
        for at in (0..original.len()).step_by(stride) {
            let mut damaged = original.clone();
            damaged[at] = !damaged[at];
            std::fs::write(file, &damaged).unwrap();
            let outcome =
                std::panic::catch_unwind(|| VacancyIndex::open(dir.path()).and_then(|i| answer(&i)));
            flips += 1;
            match outcome {
                Ok(Err(e)) => {
                    assert!(!e.to_string().is_empty());
                    detected += 1;
                }
                Ok(Ok(a)) if a == intact => harmless += 1,
                Ok(Ok(a)) => wrong.push(format!("{} byte {at}: answered {a:?}", file.display())),
                Err(_) => wrong.push(format!("{} byte {at}: panicked", file.display())),
            }
        }
        std::fs::write(file, &original).unwrap();
    }
    assert!(
        wrong.is_empty(),
        "{} of {flips} flips went wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    println!(
        "{flips} byte flips: {detected} detected, {harmless} harmless (the intact answer), 0 wrong, 0 panics"
    );
    (flips, detected, harmless)
}

#[test]
fn byte_flips_are_detected_or_harmless() {
    let (flips, detected, _) = sweep(7);
    assert!(flips > 500 && detected > flips / 2, "{detected} of {flips}");
}

/// The whole sweep, every byte: `cargo test --release --test integration
/// corruption::every_byte -- --ignored --nocapture`.
#[test]
#[ignore = "every byte of the index: a few minutes; CI runs every 7th"]
fn every_byte_flip_is_detected_or_harmless() {
    sweep(1);
}
