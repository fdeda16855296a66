//! Replays the committed fuzz corpus (and any committed crashers) through the
//! same property the fuzz target checks, so CI exercises it on stable Rust.

use std::path::Path;

#[test]
fn fuzz_corpus_holds_the_round_trip_property() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for dir in ["corpus/jsonl_round_trip", "regressions/jsonl_round_trip"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if let Err(e) = jobmatch::io::check_round_trip(&bytes) {
                panic!("{}: {e}", path.display());
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 5, "the seed corpus is missing ({replayed} files)");
}
