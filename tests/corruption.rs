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
