//! Any text as a ranking config: never panics; what parses is valid and
//! round-trips.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run ranking_config` from the repository
//! root; `cargo test` replays `fuzz/corpus/ranking_config` and
//! `fuzz/regressions/ranking_config` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::ranking_config(data) {
        panic!("ranking_config: {e}");
    }
});
