//! Any text through folding and the analyzer: folding is idempotent and
//! words are the folded text at their offsets.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run text_analysis` from the repository
//! root; `cargo test` replays `fuzz/corpus/text_analysis` and
//! `fuzz/regressions/text_analysis` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::text_analysis(data) {
        panic!("text_analysis: {e}");
    }
});
