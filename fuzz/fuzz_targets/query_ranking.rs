//! Any bytes as a seeker ranked on a small fixed market: scores finite and
//! in [0, 1], sorted, no vacancy twice, equal to the exhaustive scan.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run query_ranking` from the repository
//! root; `cargo test` replays `fuzz/corpus/query_ranking` and
//! `fuzz/regressions/query_ranking` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::query_ranking(data) {
        panic!("query_ranking: {e}");
    }
});
