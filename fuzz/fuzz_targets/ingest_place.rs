//! Any text as a place: never panics; a place read is a county of the gazetteer.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run ingest_place` from the repository
//! root; `cargo test` replays `fuzz/corpus/ingest_place` and
//! `fuzz/regressions/ingest_place` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::ingest_place(data) {
        panic!("ingest_place: {e}");
    }
});
