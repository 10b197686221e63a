//! `serve` keeps what reading each record file gave ([`crate::model::Memo`]):
//! an edit re-reads only what changed, and gives exactly what reading
//! everything again gives.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{AG, QD};
use crate::load::Cache;
use crate::model::{Memo, Site, build, build_with};
use crate::testing::valid_copy;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A copy of the valid fixture, its load cache and a memo that keeps.
fn start() -> (tempfile::TempDir, Cache, Memo) {
    let dir = valid_copy();
    let cache = Cache::new(dir.path());
    (dir, cache, Memo::keeping())
}

/// A build through the memo, and a build of everything from scratch.
fn both(dir: &Path, cache: &mut Cache, memo: &mut Memo) -> (Site, String) {
    let (kept, kept_diags) = build_with(&cache.load(), as_of(), memo);
    // Not `build`, which lets the references go once checked.
    let (fresh, fresh_diags) = build_with(&crate::load::load(dir), as_of(), &mut Memo::default());
    assert_eq!(
        format!("{:?}", kept.conclusions),
        format!("{:?}", fresh.conclusions)
    );
    assert_eq!(
        format!("{:?}", kept.decisions),
        format!("{:?}", fresh.decisions)
    );
    assert_eq!(
        format!("{:?}", kept.references),
        format!("{:?}", fresh.references)
    );
    let (kept_diags, fresh_diags) = (kept_diags.sorted(), fresh_diags.sorted());
    assert_eq!(kept_diags, fresh_diags);
    let codes = kept_diags.iter().map(|d| d.code.to_string()).collect();
    (kept, codes)
}

#[test]
fn an_edit_rereads_only_its_file_and_gives_what_reading_everything_gives() {
    let (dir, mut cache, mut memo) = start();
    let (first, _) = both(dir.path(), &mut cache, &mut memo);

    replace(
        dir.path(),
        QD,
        "tham mưu giao đất",
        "tham mưu giao đất công",
    );
    let (second, _) = both(dir.path(), &mut cache, &mut memo);
    assert!(
        Arc::ptr_eq(&first.conclusions[0], &second.conclusions[0]),
        "kept"
    );
    assert!(
        !Arc::ptr_eq(&first.decisions[0], &second.decisions[0]),
        "re-read"
    );
    assert!(
        second
            .body(&second.decisions[0].source)
            .unwrap()
            .contains("giao đất công")
    );
    // What the edited file gave before is forgotten: one reading per file.
    assert_eq!(memo.decisions.len(), cache.load().decisions.len());
    assert_eq!(memo.conclusions.len(), cache.load().conclusions.len());
}

#[test]
fn an_error_comes_and_goes_with_the_edits_that_make_and_mend_it() {
    let (dir, mut cache, mut memo) = start();
    let (_, clean) = both(dir.path(), &mut cache, &mut memo);
    replace(
        dir.path(),
        QD,
        "decided_on: 2025-10-15",
        "decided_on: 2025-10-155",
    );
    let (_, broken) = both(dir.path(), &mut cache, &mut memo);
    assert_ne!(broken, clean, "the bad date is reported");
    replace(
        dir.path(),
        QD,
        "decided_on: 2025-10-155",
        "decided_on: 2025-10-15",
    );
    let (_, mended) = both(dir.path(), &mut cache, &mut memo);
    assert_eq!(mended, clean);
}

/// Records are read against the registry: when it changes, every record is
/// read again (an agency removed makes references to it errors).
#[test]
fn a_changed_registry_rereads_every_record() {
    let (dir, mut cache, mut memo) = start();
    let (first, _) = both(dir.path(), &mut cache, &mut memo);
    let registry = std::fs::read_to_string(dir.path().join(AG)).unwrap();
    std::fs::write(dir.path().join(AG), format!("# sửa\n{registry}")).unwrap();
    let (second, _) = both(dir.path(), &mut cache, &mut memo);
    assert!(!Arc::ptr_eq(&first.conclusions[0], &second.conclusions[0]));
    assert!(!Arc::ptr_eq(&first.decisions[0], &second.decisions[0]));
}

/// Without a memo to keep them for the next edit, a build checks the
/// references and lets them go: at a million records they are half a
/// gigabyte that nothing reads again.
#[test]
fn a_build_without_a_memo_checks_the_references_then_lets_them_go() {
    let dir = valid_copy();
    replace(
        dir.path(),
        QD,
        "authority: ubnd-tinh",
        "authority: ubnd-tinh-cu",
    );
    let (site, diags) = build(&crate::load::load(dir.path()), as_of());
    assert!(site.references.is_empty());
    assert!(
        diags
            .sorted()
            .iter()
            .any(|d| d.code == crate::diag::Code::UnknownReference && d.file.ends_with(".md")),
        "the unknown agency is still reported"
    );
}
