//! Any text as education, experience, headcount, date and skills: never panics; values in range.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run ingest_levels` from the repository
//! root; `cargo test` replays `fuzz/corpus/ingest_levels` and
//! `fuzz/regressions/ingest_levels` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::ingest_levels(data) {
        panic!("ingest_levels: {e}");
    }
});
