//! The data flow is one way: a module of `src/` never imports one later in
//! the flow. This test reads the `crate::` and `super::` paths of every
//! source file (comments excluded) and fails on one that points back up.
//! The order is the one `ARCHITECTURE.md` walks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The crate's top-level modules in flow order.
const FLOW: &[&str] = &[
    "error",
    "region",
    "text",
    "taxonomy",
    "reference",
    "model",
    "io",
    "ingest",
    "market",
    "index",
    "retrieve",
    "shard",
    "rank",
    "matcher",
    "reverse",
    "assign",
    "learn",
    "guidance",
    "stats",
];

/// The order inside modules that have parts which use each other.
const INNER: &[(&str, &[&str])] = &[
    ("text", &["fold", "segment"]),
    ("taxonomy", &["occupation", "skill", "linear", "classify"]),
    (
        "index",
        &[
            "analyzer",
            "schema",
            "columns",
            "coder",
            "terms",
            "snapshot",
            "memo",
            "inferred",
            "doc_terms",
            "writer",
            "dedup",
            "load",
            "verify",
        ],
    ),
    (
        "rank",
        &[
            "signal", "config", "related", "query", "score", "trades", "topk", "search",
        ],
    ),
    ("matcher", &["result", "theta"]),
    (
        "reverse",
        &["store", "prepared", "candidates", "floors", "alerts"],
    ),
    ("guidance", &["gaps", "training"]),
];

/// `src/a/b.rs` → `["a", "b"]`; `src/a/mod.rs` → `["a"]`; `src/lib.rs` → `[]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every module path a line of code names: `crate::a::b` → `[a, b]`,
/// `super::x` → the parent's path with `x`.
fn referenced(line: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let code = line.split("//").next().unwrap_or("");
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", {
            let mut p = here.to_vec();
            p.pop();
            p
        }),
    ] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            // Not part of a longer identifier (`$crate::`, `foo_super::`).
            let before = rest[..at].chars().next_back();
            let tail = &rest[at + prefix.len()..];
            rest = tail;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let mut path = base.clone();
            for seg in tail.split("::") {
                let name: String = seg
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
                    // A `{` group: its members are modules or items of this level.
                    if seg.starts_with('{') {
                        for member in seg.trim_start_matches('{').split(',') {
                            let m: String = member
                                .trim()
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect();
                            if m.starts_with(|c: char| c.is_ascii_lowercase()) {
                                let mut p = path.clone();
                                p.push(m);
                                out.push(p);
                            }
                        }
                    }
                    break;
                }
                path.push(name);
                if !seg.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    break;
                }
            }
            out.push(path);
        }
    }
    out
}

fn position(order: &[&str], name: &str) -> Option<usize> {
    order.iter().position(|m| *m == name)
}

/// Whether `from` may use `to`: an earlier or the same top-level module and,
/// inside a module with an order, an earlier or the same part.
fn allowed(from: &[String], to: &[String]) -> Result<(), String> {
    let (Some(f), Some(t)) = (from.first(), to.first()) else {
        return Ok(());
    };
    let (Some(fi), Some(ti)) = (position(FLOW, f), position(FLOW, t)) else {
        return Ok(()); // not a module (e.g. a re-exported item at the root)
    };
    if ti > fi {
        return Err(format!("`{f}` uses `{t}`, which comes later in the flow"));
    }
    if fi == ti
        && let Some((_, inner)) = INNER.iter().find(|(m, _)| m == f)
        && let (Some(fp), Some(tp)) = (from.get(1), to.get(1))
        && let (Some(a), Some(b)) = (position(inner, fp), position(inner, tp))
        && b > a
    {
        return Err(format!(
            "`{f}::{fp}` uses `{f}::{tp}`, which comes later in the module"
        ));
    }
    Ok(())
}

#[test]
fn modules_never_import_one_later_in_the_flow() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 10,
        "found only {} source files in {}",
        files.len(),
        src.display()
    );
    let mut seen_modules = BTreeSet::new();
    let mut violations = Vec::new();
    for file in &files {
        let here = module_path(&src, file);
        if let Some(top) = here.first() {
            seen_modules.insert(top.clone());
        }
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let mut in_tests = false;
        for (n, line) in text.lines().enumerate() {
            let t = line.trim_start();
            // Unit tests may reach anywhere: they test, they are not the flow.
            if t.starts_with("#[cfg(test)]") {
                in_tests = true;
            }
            if in_tests || t.starts_with("//") {
                continue;
            }
            for to in referenced(line, &here) {
                if let Err(why) = allowed(&here, &to) {
                    violations.push(format!(
                        "{}:{}: {why}\n    {}",
                        file.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    for m in &seen_modules {
        assert!(
            position(FLOW, m).is_some(),
            "module `{m}` is not placed in the flow: add it to FLOW here and to ARCHITECTURE.md"
        );
    }
    assert!(
        violations.is_empty(),
        "imports against the flow:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_checker_sees_a_backward_import() {
    let here = vec!["index".to_owned(), "columns".to_owned()];
    let refs = referenced("use crate::retrieve::Point;", &here);
    assert!(refs.iter().any(|r| allowed(&here, r).is_err()), "{refs:?}");
    let refs = referenced("use super::{snapshot::Snapshot, schema};", &here);
    assert!(refs.iter().any(|r| allowed(&here, r).is_err()), "{refs:?}");
    let here = vec!["rank".to_owned(), "search".to_owned()];
    assert!(
        referenced("use crate::index::Snapshot;", &here)
            .iter()
            .all(|r| allowed(&here, r).is_ok())
    );
}
