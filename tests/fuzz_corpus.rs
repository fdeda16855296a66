//! Replays the committed fuzz corpora (and any committed crashers) through
//! the same properties the fuzz targets check (`fuzz/src/checks.rs`,
//! included here), so CI exercises every target on stable Rust.

use std::path::Path;

#[path = "../fuzz/src/checks.rs"]
mod checks;

#[test]
fn every_fuzz_corpus_holds_its_property() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (target, check) in checks::TARGETS {
        let mut replayed = 0;
        for dir in ["corpus", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                if let Err(e) = check(&bytes) {
                    panic!("{target}: {}: {e}", path.display());
                }
                replayed += 1;
            }
        }
        assert!(
            replayed >= 5,
            "{target}: the seed corpus is missing ({replayed} files)"
        );
    }
}

/// Every target is a binary of the fuzz crate, and has a seed corpus.
#[test]
fn every_check_has_a_fuzz_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for (target, _) in checks::TARGETS {
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "{target} is not a [[bin]] of fuzz/Cargo.toml"
        );
        assert!(root.join("fuzz_targets").join(format!("{target}.rs")).exists());
    }
}
