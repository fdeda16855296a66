//! A full disk: a fault-injecting tantivy `Directory` (a RAM directory with
//! a byte budget; writes beyond it fail as a full disk would) under a
//! committed index, the budget stepped from 0 to 1.2× what the next commit
//! writes. Every step ends in success (the new vacancies all there) or a
//! clean error with the previous commit intact, never a panic. And the
//! service's writes (all or none, each request one `upsert_all`) on a disk
//! that fills up midway through a request or a commit.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jobmatch::Vacancy;
use jobmatch::index::VacancyIndex;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, RamDirectory, TerminatingWrite, WatchCallback,
    WatchHandle, WritePtr,
};

/// A RAM directory whose writes draw on a shared byte budget.
#[derive(Clone, Debug)]
struct Budgeted {
    inner: RamDirectory,
    left: Arc<AtomicI64>,
}

impl Budgeted {
    fn spend(&self, bytes: usize) -> io::Result<()> {
        let before = self.left.fetch_sub(bytes as i64, Ordering::SeqCst);
        if before < bytes as i64 {
            return Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device (injected)",
            ));
        }
        Ok(())
    }
}

/// A file being written, drawing on the budget.
struct Limited {
    dir: Budgeted,
    inner: WritePtr,
}

impl Write for Limited {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.dir.spend(buf.len())?;
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl TerminatingWrite for Limited {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.inner.flush()?;
        self.inner.get_mut().terminate_ref(token)
    }
}

impl Directory for Budgeted {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let inner = self.inner.open_write(path)?;
        Ok(BufWriter::new(Box::new(Limited {
            dir: self.clone(),
            inner,
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.spend(data.len())?;
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

fn vacancy(id: String) -> Vacancy {
    let mut v = Vacancy::new(id, "焊工", "500107".parse().unwrap()).unwrap();
    v.occupation = Some("6-18-02-04".parse().unwrap());
    v.skills = vec!["焊接".into(), "电焊".into()];
    v.employer = Some("重庆某机械厂".into());
    v
}

const COMMITTED: usize = 30;
const NEXT: usize = 30;

/// A RAM directory holding a committed index of `COMMITTED` vacancies.
fn committed() -> RamDirectory {
    let ram = RamDirectory::create();
    let dir = Budgeted {
        inner: ram.clone(),
        left: Arc::new(AtomicI64::new(i64::MAX)),
    };
    // One indexing thread: the same bytes on every run (with several, the
    // documents' split into segments, and so the bytes, varies).
    let index = VacancyIndex::create_in_directory(dir).unwrap().with_threads(1);
    for i in 0..COMMITTED {
        index.upsert(&vacancy(format!("a{i}"))).unwrap();
    }
    index.commit().unwrap();
    index.close_writer().unwrap();
    ram
}

/// A copy of a RAM directory's files.
fn copy(ram: &RamDirectory) -> RamDirectory {
    let fresh = RamDirectory::create();
    ram.persist(&fresh).unwrap();
    fresh
}

/// Opens `ram` with `budget` bytes to spend and commits `NEXT` more
/// vacancies: the outcome, and the bytes spent.
fn next_commit(ram: &RamDirectory, budget: i64) -> (jobmatch::Result<()>, i64) {
    let left = Arc::new(AtomicI64::new(budget));
    let dir = Budgeted {
        inner: ram.clone(),
        left: left.clone(),
    };
    let outcome = std::panic::catch_unwind(|| -> jobmatch::Result<()> {
        let index = VacancyIndex::open_in_directory(dir)?.with_threads(1);
        for i in 0..NEXT {
            index.upsert(&vacancy(format!("b{i}")))?;
        }
        index.commit()?;
        index.close_writer()
    });
    let outcome = outcome.unwrap_or_else(|_| panic!("a panic at a budget of {budget} bytes"));
    (outcome, budget - left.load(Ordering::SeqCst))
}

/// How many of the first and the next vacancies `ram` holds.
fn held(ram: &RamDirectory) -> (usize, usize) {
    let dir = Budgeted {
        inner: ram.clone(),
        left: Arc::new(AtomicI64::new(i64::MAX)),
    };
    let index = VacancyIndex::open_in_directory(dir).unwrap();
    let snapshot = index.snapshot().unwrap();
    let count = |prefix: &str, n: usize| {
        (0..n)
            .filter(|i| snapshot.vacancy(&format!("{prefix}{i}")).unwrap().is_some())
            .count()
    };
    assert_eq!(
        snapshot.num_vacancies() as usize,
        count("a", COMMITTED) + count("b", NEXT),
        "nothing else"
    );
    (count("a", COMMITTED), count("b", NEXT))
}

#[test]
fn a_full_disk_fails_a_commit_cleanly_and_keeps_the_previous_one() {
    let base = committed();
    // What the next commit writes with room to spare.
    let (outcome, needed) = next_commit(&copy(&base), i64::MAX / 2);
    outcome.unwrap();
    assert!(needed > 1_000, "the next commit wrote {needed} bytes");
    let steps = 48;
    let (mut failed, mut succeeded) = (0, 0);
    let mut first_error = None;
    for step in 0..=steps {
        let budget = needed * 12 * step / (10 * steps);
        let ram = copy(&base);
        let (outcome, _) = next_commit(&ram, budget);
        let (a, b) = held(&ram);
        match outcome {
            Ok(()) => {
                assert_eq!(
                    (a, b),
                    (COMMITTED, NEXT),
                    "budget {budget}: success must show all"
                );
                succeeded += 1;
            }
            Err(e) => {
                assert_eq!(
                    (a, b),
                    (COMMITTED, 0),
                    "budget {budget}: {e}: the previous commit only"
                );
                assert!(!e.to_string().is_empty());
                first_error.get_or_insert(e.to_string());
                failed += 1;
            }
        }
        if budget >= needed {
            assert!(
                matches!(held(&ram), (COMMITTED, NEXT)),
                "budget {budget} ≥ {needed} must succeed"
            );
        }
    }
    println!(
        "disk full: {} budgets from 0 to 1.2 × {needed} bytes: {failed} clean errors with the previous commit intact, {succeeded} successes, 0 panics; the error reads: {}",
        steps + 1,
        first_error.unwrap_or_default()
    );
    assert!(failed > 0 && succeeded > 0);
}

/// A vacancy heavy enough in the writer's memory that a few thousand of
/// them fill its smallest heap and make it write a segment midway.
fn heavy(id: String) -> Vacancy {
    let mut v = vacancy(id.clone());
    v.description = Some((0..400).map(|i| format!("{id}职责{i} ")).collect::<String>());
    v
}

/// Writes as the service makes them (each request one `upsert_all` or
/// `delete`, then `POST /commit`; `examples/server/writes.rs` calls the
/// same methods) on a disk that fills up at every point of the sequence:
/// a write that fails leaves none of its records in any later commit, every
/// write acknowledged before or after it is in the next commit that
/// succeeds, and a commit that fails loses nothing acknowledged.
#[test]
fn a_write_that_fails_midway_leaves_none_of_its_records_and_keeps_the_others() {
    const SMALL: usize = 10;
    const HEAVY: usize = 3_000;
    const LIGHT: usize = 12_000;
    let base = committed();
    let small: Vec<Vacancy> = (0..SMALL).map(|i| vacancy(format!("b{i}"))).collect();
    let after: Vec<Vacancy> = (0..SMALL).map(|i| vacancy(format!("e{i}"))).collect();
    // Heavy records that fill the heap, then more than tantivy's queue
    // holds (10,000 documents): the write is still sending when the segment
    // written midway fails.
    let big: Vec<Vacancy> = (0..HEAVY)
        .map(|i| heavy(format!("c{i}")))
        .chain((0..LIGHT).map(|i| vacancy(format!("d{i}"))))
        .collect();
    let run = |budget: i64, commit_first: bool| {
        let ram = copy(&base);
        let left = Arc::new(AtomicI64::new(budget));
        let dir = Budgeted {
            inner: ram.clone(),
            left: left.clone(),
        };
        let outcome = std::panic::catch_unwind(|| {
            let index = VacancyIndex::open_in_directory(dir)
                .unwrap()
                .with_threads(1)
                .with_writer_heap(16 << 20);
            let r1 = index.upsert_all(&small).is_ok();
            let r2 = index.upsert_all(&big).is_ok();
            let r3 = index.delete("a0").is_ok();
            // Half the runs commit on the full disk, half go on writing once
            // there is room (the writer restores itself at the next write).
            let first = commit_first && index.commit().is_ok();
            // Room again: the next write and the next commit must succeed,
            // with every write acknowledged so far.
            left.store(i64::MAX / 2, Ordering::SeqCst);
            index.upsert_all(&after).unwrap();
            index.commit().unwrap();
            index.close_writer().unwrap();
            (r1, r2, r3, first)
        });
        let (r1, r2, r3, first) = outcome.unwrap_or_else(|_| panic!("a panic at a budget of {budget} bytes"));
        let snapshot = VacancyIndex::open_in_directory(Budgeted {
            inner: ram,
            left: Arc::new(AtomicI64::new(i64::MAX)),
        })
        .unwrap()
        .snapshot()
        .unwrap();
        let count = |prefix: &str, n: usize| {
            (0..n)
                .filter(|i| snapshot.vacancy(&format!("{prefix}{i}")).unwrap().is_some())
                .count()
        };
        assert_eq!(count("e", SMALL), SMALL, "budget {budget}: the write after");
        let held = (
            count("a", COMMITTED),
            count("b", SMALL),
            count("c", HEAVY) + count("d", LIGHT),
        );
        let expected = (
            COMMITTED - usize::from(r3),
            if r1 { SMALL } else { 0 },
            if r2 { HEAVY + LIGHT } else { 0 },
        );
        assert_eq!(
            held, expected,
            "budget {budget}: acknowledged (b {r1}, c and d {r2}, delete {r3}), first commit {first}"
        );
        assert_eq!(
            snapshot.num_vacancies() as usize,
            held.0 + held.1 + held.2 + SMALL,
            "nothing else"
        );
        (r1, r2, r3, first)
    };
    // What the whole sequence writes with room to spare.
    let needed = {
        let ram = copy(&base);
        let left = Arc::new(AtomicI64::new(i64::MAX / 2));
        let index = VacancyIndex::open_in_directory(Budgeted {
            inner: ram,
            left: left.clone(),
        })
        .unwrap()
        .with_threads(1)
        .with_writer_heap(16 << 20);
        index.upsert_all(&small).unwrap();
        index.upsert_all(&big).unwrap();
        index.delete("a0").unwrap();
        index.upsert_all(&after).unwrap();
        index.commit().unwrap();
        i64::MAX / 2 - left.load(Ordering::SeqCst)
    };
    // Budgets from 0 to 1.2 × that, finer below a tenth of it, where the
    // segment the heavy write makes midway runs out of room.
    let budgets: Vec<i64> = (0..6)
        .map(|i| needed * i / 60)
        .chain((1..=6).map(|i| needed * 2 * i / 10))
        .collect();
    let outcomes: Vec<_> = budgets
        .iter()
        .enumerate()
        .map(|(i, &b)| run(b, i % 2 == 0))
        .collect();
    let failed_midway = outcomes.iter().filter(|o| !o.1).count();
    let failed_commits = outcomes
        .iter()
        .enumerate()
        .filter(|(i, o)| i % 2 == 0 && !o.3)
        .count();
    println!(
        "full disk through the service's writes: {} budgets from 0 to 1.2 × {needed} bytes: {failed_midway} writes failed midway (none of their records committed), {failed_commits} first commits failed (their writes committed by the next), 0 panics",
        budgets.len()
    );
    assert!(failed_midway > 0, "no write failed midway: the heap never filled");
    assert!(failed_commits > 0, "no commit failed");
}
