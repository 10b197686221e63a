//! `congkhai check` on real fixture folders: exit codes, diagnostics, summary.

mod common;

use common::*;

#[test]
fn sample_portal_passes_with_a_summary() {
    let out = run(&["check", root().to_str().unwrap(), "--as-of", "2026-11-23"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let (c, r, d) = (
        records_in(&root(), "conclusions"),
        recommendations_in(&root()),
        records_in(&root(), "decisions"),
    );
    assert!(
        err.contains(&format!(
            "{c} kết luận ({r} kiến nghị), {d} quyết định kỷ luật"
        )),
        "{err}"
    );
    assert!(err.contains(": 0 lỗi,"), "{err}");
    assert!(
        err.contains(&format!(
            "Checked {c} conclusions ({r} recommendations), {d} decisions"
        )),
        "{err}"
    );
}

#[test]
fn twenty_defects_are_all_reported_in_one_run() {
    let dir = fixture("twenty-defects");
    let out = run(&["check", dir.to_str().unwrap(), "--as-of", "2026-01-01"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("lỗi / error[").count(), 20, "{err}");
    assert!(err.contains(": 20 lỗi,"), "{err}");
    // Each block names file:line:column, the field and both languages.
    assert!(
        err.contains("content/conclusions/kl-2025-015.md:9:9"),
        "{err}"
    );
    assert!(err.contains("trường / field `sector`"), "{err}");
    assert!(
        err.contains("english: `đất` is not a valid sector"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "no colour off a terminal");

    let json = run(&[
        "check",
        dir.to_str().unwrap(),
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("one JSON object per line"))
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(lines.len(), 20);
    let codes: std::collections::BTreeSet<&str> =
        lines.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for code in [
        "unknown-key",
        "invalid-value",
        "unknown-reference",
        "date-order",
        "grouped-number",
        "future-date",
        "privacy-phone",
        "invalid-date",
        "missing-field",
        "penalty-role",
        "yaml-syntax",
        "amount-exceeds",
        "period-mismatch",
        "negative-amount",
    ] {
        assert!(codes.contains(code), "{code} missing from {codes:?}");
    }
    for d in &lines {
        assert_eq!(d["severity"], "error");
        assert!(d["file"].as_str().unwrap().len() > 3);
        assert!(d["line"].as_u64().unwrap() > 0, "{d}");
        assert!(d["column"].as_u64().unwrap() > 0, "{d}");
        assert!(!d["message_vi"].as_str().unwrap().is_empty());
        assert!(!d["message_en"].as_str().unwrap().is_empty());
    }
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    let before = snapshot(dir.path());
    let out = run(&[
        "check",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn usage_errors_exit_with_2() {
    let bad_date = run(&["check", "--as-of", "2026-02-30"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(stderr(&bad_date).contains("2026-02-30"));
    let no_dir = run(&["check", "/khong/co/thu/muc"]);
    assert_eq!(no_dir.status.code(), Some(2));
    assert_eq!(run(&["kiem-tra"]).status.code(), Some(2));
}

#[test]
fn as_of_defaults_to_source_date_epoch() {
    let dir = fixture("valid");
    // 2025-01-01: before the fixture's conclusion was signed.
    let out = bin()
        .args(["check", dir.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1735689600")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("future-date") && err.contains("2025-01-01"),
        "{err}"
    );
    // --as-of wins over the environment.
    let out = bin()
        .args(["check", dir.to_str().unwrap(), "--as-of", "2026-01-01"])
        .env("SOURCE_DATE_EPOCH", "1735689600")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_folder_that_is_not_a_portal_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("congkhai.toml") && err.contains("congkhai new"),
        "{err}"
    );
}

#[test]
fn quiet_prints_errors_only() {
    let out = run(&[
        "-q",
        "check",
        root().to_str().unwrap(),
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stderr(&out),
        "",
        "warnings and the summary are not printed with --quiet"
    );
}

/// A new portal from `congkhai new`, in a temporary folder.
fn scaffold() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = run(&["new", site.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, site)
}

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_broken_agency_registry_is_one_error_said_in_vietnamese() {
    let (_t, site) = scaffold();
    edit(
        &site.join("content/agencies.yaml"),
        "name: \"Thanh tra tỉnh\"",
        "name: \"Thanh tra tỉnh",
    );
    let out = run(&["check", site.to_str().unwrap(), "--as-of", "2026-01-01"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Not ten: references to agencies and the agencies' own phone numbers
    // cannot be checked without the registry, and are not reported.
    assert_eq!(err.matches("lỗi / error[").count(), 1, "{err}");
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("lỗi / error[yaml-syntax]: YAML không hợp lệ: thiếu dấu ngoặc kép đóng"),
        "{first}"
    );
    assert!(
        !first.contains("scalar"),
        "the parser's English stays on the English line: {first}"
    );
    assert!(
        err.contains("english: invalid YAML: invalid indentation in quoted scalar"),
        "{err}"
    );
    // One of each, said in the singular.
    assert!(
        err.contains("Checked 1 conclusion (3 recommendations), 1 decision,"),
        "{err}"
    );
    assert!(err.contains(": 1 error, 0 warnings"), "{err}");
}

#[test]
fn the_underline_of_a_quoted_value_stops_at_its_closing_quote() {
    let (_t, site) = scaffold();
    let file = site.join("content/conclusions/kl-2025-001.md");
    edit(
        &file,
        "signed_by: \"Chánh Thanh tra tỉnh\"",
        "signed_by: \"\"",
    );
    let out = run(&["check", site.to_str().unwrap(), "--as-of", "2026-01-01"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let marks: Vec<&str> = err.lines().filter(|l| l.contains("━")).collect();
    assert_eq!(marks.len(), 1, "{err}");
    // `""` is two characters; the comment after it is not underlined.
    assert_eq!(marks[0].matches('━').count(), 2, "{err}");
}
