//! Any text through the title coder: never panics; codes exist, confidences
//! in [0, 1] and sorted.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run title_coder` from the repository
//! root; `cargo test` replays `fuzz/corpus/title_coder` and
//! `fuzz/regressions/title_coder` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::title_coder(data) {
        panic!("title_coder: {e}");
    }
});
