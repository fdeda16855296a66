//! Any bytes: parsing vacancies and seekers never panics, and every record
//! that parses re-serialises and parses to the same value.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run jsonl_round_trip` from the
//! repository root. `cargo test` replays `fuzz/corpus/jsonl_round_trip` and
//! `fuzz/regressions/jsonl_round_trip` on stable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = jobmatch_fuzz::jsonl_round_trip(data) {
        panic!("round-trip property broken: {e}");
    }
});
