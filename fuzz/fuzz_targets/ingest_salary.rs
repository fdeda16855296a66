//! Any text as a salary: never panics; min ≤ max; a refusal names the field.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run ingest_salary` from the repository
//! root; `cargo test` replays `fuzz/corpus/ingest_salary` and
//! `fuzz/regressions/ingest_salary` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::ingest_salary(data) {
        panic!("ingest_salary: {e}");
    }
});
