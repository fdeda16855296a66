//! Serving while writing (robustness issue, item 5): readers rank while a
//! writer upserts, deletes and commits; every result comes from the
//! snapshot the search began on, with no vacancy twice; a second writer is
//! refused.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jobmatch::index::VacancyIndex;
use jobmatch::matcher::Matcher;
use jobmatch::rank::RankingConfig;
use jobmatch::{Error, Seeker, Vacancy};

use crate::ranking::today;

fn vacancy(id: &str) -> Vacancy {
    let mut v = Vacancy::new(id, "焊工", "500107".parse().unwrap()).unwrap();
    v.skills = vec!["焊接".into()];
    v
}

#[test]
fn readers_see_whole_commits_while_a_writer_writes() {
    let dir = tempfile::tempdir().unwrap();
    let index = Arc::new(VacancyIndex::create(dir.path()).unwrap());
    for i in 0..300 {
        index.upsert(&vacancy(&format!("v{i}"))).unwrap();
    }
    index.commit().unwrap();

    // A second writer on the same directory is refused while this one
    // holds the lock.
    let other = VacancyIndex::open(dir.path()).unwrap();
    assert!(matches!(
        other.upsert(&vacancy("x")),
        Err(Error::IndexLocked { .. })
    ));
    drop(other);

    let stop = Arc::new(AtomicBool::new(false));
    let searches = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (index, stop, searches) = (index.clone(), stop.clone(), searches.clone());
            std::thread::spawn(move || {
                let seeker = Seeker::new("s", vec!["焊接".into()], "500107".parse().unwrap()).unwrap();
                while !stop.load(Ordering::Relaxed) {
                    let snapshot = index.snapshot().unwrap();
                    let live = snapshot.num_vacancies() as usize;
                    let m = Matcher::new(snapshot.clone(), RankingConfig::default(), today()).unwrap();
                    let r = m.match_one(&seeker, 1_000).unwrap();
                    let ids: HashSet<&str> = r.matches.iter().map(|v| v.vacancy.as_str()).collect();
                    assert_eq!(ids.len(), r.matches.len(), "a vacancy twice");
                    assert_eq!(r.matches.len(), live, "every live vacancy is in reach, no other");
                    for id in ids {
                        assert!(
                            snapshot.vacancy(id).unwrap().is_some(),
                            "{id} is not in the snapshot"
                        );
                    }
                    searches.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    // The writer: new vacancies in, old ones out, a commit each round.
    let started = Instant::now();
    let mut round = 0;
    while started.elapsed() < Duration::from_millis(1_500) {
        for j in 0..20 {
            index.upsert(&vacancy(&format!("w{round}-{j}"))).unwrap();
        }
        for j in 0..10 {
            index.delete(&format!("v{}", round * 10 + j)).unwrap();
        }
        index.commit().unwrap();
        round += 1;
        if round * 10 >= 300 {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().expect("a reader panicked");
    }
    assert!(round >= 3, "{round} commits");
    assert!(
        searches.load(Ordering::Relaxed) >= 4,
        "{} searches",
        searches.load(Ordering::Relaxed)
    );
    let snapshot = index.snapshot().unwrap();
    assert_eq!(snapshot.num_vacancies() as usize, 300 + 20 * round - 10 * round);
}
