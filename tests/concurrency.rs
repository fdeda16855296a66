//! Serving while writing (robustness issue, item 5): readers rank while a
//! writer upserts, deletes, expires and commits; every result comes from the
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

    // The writer: new vacancies in (each expiring a day later than the
    // round before's), old ones deleted, the oldest new ones expired, a
    // commit each round; it keeps the ids it expects to be live.
    let mut live: HashSet<String> = (0..300).map(|i| format!("v{i}")).collect();
    let mut expiring: Vec<(i32, String)> = Vec::new();
    let started = Instant::now();
    let mut round: i32 = 0;
    while started.elapsed() < Duration::from_millis(1_500) && round < 30 {
        for j in 0..20 {
            let mut v = vacancy(&format!("w{round}-{j}"));
            v.expires = today().plus_days(round + 1);
            index.upsert(&v).unwrap();
            live.insert(v.id.clone());
            expiring.push((round + 1, v.id));
        }
        for j in 0..10 {
            let id = format!("v{}", round * 10 + j);
            index.delete(&id).unwrap();
            live.remove(&id);
        }
        // Expires before today + round: the new ones of two rounds ago.
        index.expire(today().plus_days(round).unwrap()).unwrap();
        expiring.retain(|(days, id)| {
            let keep = *days >= round;
            if !keep {
                live.remove(id);
            }
            keep
        });
        index.commit().unwrap();
        round += 1;
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
    assert_eq!(snapshot.num_vacancies() as usize, live.len());
    for id in &live {
        assert!(snapshot.vacancy(id).unwrap().is_some(), "{id} lost");
    }
}
