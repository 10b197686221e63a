//! The sample portal's output, file by file, by its manifest: a change of
//! the code's shape (a refactoring) must not change a byte of the site.
//!
//! When the output changes on purpose (a new field shown, a sample record
//! edited), look at the differences this test lists, then record the new
//! manifest with `CONGKHAI_BLESS=1 cargo test --test golden` and commit it
//! with the change that explains it.

mod common;

use std::collections::BTreeMap;

use common::*;

/// The manifest as path → hash.
fn entries(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(hash, path)| (path.to_string(), hash.to_string()))
        .collect()
}

#[test]
fn the_sample_output_is_the_blessed_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&root(), &out, "2026-11-23");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let built = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let golden_path = root().join("tests/golden/sample.sha256sums");
    if std::env::var_os("CONGKHAI_BLESS").is_some() {
        std::fs::write(&golden_path, &built).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&golden_path).unwrap();
    let (a, b) = (entries(&golden), entries(&built));
    let mut differences = Vec::new();
    for (path, hash) in &a {
        match b.get(path) {
            None => differences.push(format!("- {path} (no longer written)")),
            Some(h) if h != hash => differences.push(format!("~ {path}")),
            Some(_) => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        differences.push(format!("+ {path} (new)"));
    }
    assert!(
        differences.is_empty(),
        "the sample's output changed ({} files):\n{}\n(if on purpose: CONGKHAI_BLESS=1 cargo test --test golden)",
        differences.len(),
        differences.join("\n")
    );
}
