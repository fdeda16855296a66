//! Any text as a region code or name: never panics; codes and names that
//! resolve round-trip.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run region_lookup` from the repository
//! root; `cargo test` replays `fuzz/corpus/region_lookup` and
//! `fuzz/regressions/region_lookup` on stable (see `fuzz/src/checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::region_lookup(data) {
        panic!("region_lookup: {e}");
    }
});
