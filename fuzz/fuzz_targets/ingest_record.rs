//! Any bytes as raw postings: never panics; an ingested posting reads back as itself.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run ingest_record` from the repository
//! root; `cargo test` replays `fuzz/corpus/ingest_record` and
//! `fuzz/regressions/ingest_record` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::ingest_record(data) {
        panic!("ingest_record: {e}");
    }
});
