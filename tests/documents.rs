//! Source documents through the real binary: published beside the record
//! with their size and SHA-256, listed in the manifest; every bad input (a
//! missing file, one outside `content/files/`, an unsafe name, one over the
//! size limit, an unredacted one) named with its file and line.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use sha2::Digest;

const PDF: &[u8] = b"%PDF-1.4\n% congkhai test document (fictional)\n%%EOF\n";

/// The `valid` fixture with `documents` on its conclusion and the files given.
fn site_with(tmp: &Path, documents: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let site = tmp.join("site");
    copy_dir(&fixture("valid"), &site);
    for (rel, bytes) in files {
        let path = site.join("content/files").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let c = site.join("content/conclusions/kl-2025-015.md");
    let text = std::fs::read_to_string(&c).unwrap();
    std::fs::write(
        &c,
        text.replacen(
            "recommendations:\n",
            &format!("{documents}recommendations:\n"),
            1,
        ),
    )
    .unwrap();
    site
}

fn document(file: &str, redacted: bool) -> String {
    format!(
        "documents:\n  - file: {file}\n    title: \"Kết luận thanh tra số 15/KL-TTr (bản ký)\"\n    redacted: {redacted}\n    redaction_reason: \"Che số CCCD của các hộ\"\n"
    )
}

/// The diagnostics of `check` as JSON values.
fn diagnostics(site: &Path) -> Vec<serde_json::Value> {
    let o = run(&[
        "check",
        site.to_str().unwrap(),
        "--as-of",
        "2026-01-15",
        "--format",
        "json",
    ]);
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn with_code<'a>(diags: &'a [serde_json::Value], code: &str) -> Vec<&'a serde_json::Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

/// The line of the first line of `text` containing `needle`, from 1.
fn line_of(path: &Path, needle: &str) -> u64 {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap() as u64
        + 1
}

#[test]
fn a_document_is_published_beside_its_record_with_size_and_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(
        tmp.path(),
        &document("kl-2025-015/ket-luan.pdf", true),
        &[("kl-2025-015/ket-luan.pdf", PDF), ("khong-dung.pdf", PDF)],
    );
    let out = tmp.path().join("public");
    let o = build(&site, &out, "2026-01-15");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let published = out.join("van-ban/kl-2025-015/ket-luan.pdf");
    assert_eq!(std::fs::read(&published).unwrap(), PDF);
    assert!(
        !out.join("van-ban/kl-2025-015/khong-dung.pdf").exists(),
        "only listed files are published"
    );
    let hash: String = sha2::Sha256::digest(PDF)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let page = std::fs::read_to_string(out.join("ket-luan/kl-2025-015/index.html")).unwrap();
    assert!(page.contains(&hash), "the page shows the SHA-256");
    assert!(page.contains("/van-ban/kl-2025-015/ket-luan.pdf"));
    assert!(
        page.contains("Che số CCCD của các hộ"),
        "the redaction reason is shown"
    );
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    assert!(sums.contains(&format!("{hash}  van-ban/kl-2025-015/ket-luan.pdf")));
    assert!(with_code(&diagnostics(&site), "unredacted-document").is_empty());
}

#[test]
fn an_unredacted_document_gets_a_warning_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site_with(
        tmp.path(),
        &document("ket-luan.pdf", false),
        &[("ket-luan.pdf", PDF)],
    );
    let diags = diagnostics(&site);
    let w = with_code(&diags, "unredacted-document");
    assert_eq!(w.len(), 1, "{diags:?}");
    assert_eq!(w[0]["severity"], "warning");
    assert_eq!(w[0]["file"], "content/conclusions/kl-2025-015.md");
    let c = site.join("content/conclusions/kl-2025-015.md");
    assert_eq!(w[0]["line"], line_of(&c, "redacted: false"));
}

/// A bad `file`, the files present, a configuration addition, and what the
/// message or hint must say.
type Case<'a> = (&'a str, &'a [(&'a str, &'a [u8])], &'a str, &'a str);

#[test]
fn bad_documents_are_errors_naming_file_and_line_and_nothing_is_built() {
    let big = vec![b'x'; 1_600_000];
    let cases: [Case; 5] = [
        (
            "kl-2025-015/ket-lun.pdf",
            &[("kl-2025-015/ket-luan.pdf", PDF)],
            "",
            "kl-2025-015/ket-luan.pdf",
        ),
        ("../congkhai.toml", &[], "", "outside content/files/"),
        ("/etc/passwd", &[], "", "outside content/files/"),
        ("kết luận.pdf", &[("kết luận.pdf", PDF)], "", "ket-luan.pdf"),
        (
            "lon.pdf",
            &[("lon.pdf", &big)],
            "\n[documents]\nmax_size_mb = 1\n",
            "over the limit",
        ),
    ];
    for (file, files, config, expected) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let site = site_with(tmp.path(), &document(file, true), files);
        if !config.is_empty() {
            let p = site.join("congkhai.toml");
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{text}{config}")).unwrap();
        }
        let diags = diagnostics(&site);
        let e = with_code(&diags, "document");
        assert_eq!(e.len(), 1, "{file}: {diags:?}");
        assert_eq!(e[0]["severity"], "error");
        assert_eq!(e[0]["file"], "content/conclusions/kl-2025-015.md");
        let c = site.join("content/conclusions/kl-2025-015.md");
        assert_eq!(e[0]["line"], line_of(&c, "- file:"), "{file}");
        let said = format!("{} {}", e[0]["message_en"], e[0]["hint_en"]);
        assert!(said.contains(expected), "{file}: {said}");
        let out = tmp.path().join("public");
        assert_eq!(build(&site, &out, "2026-01-15").status.code(), Some(1));
        assert!(!out.exists());
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_site_is_never_published() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("bi-mat.pdf");
    std::fs::write(&secret, b"someone else's file").unwrap();
    let site = site_with(tmp.path(), &document("bi-mat.pdf", true), &[]);
    std::fs::create_dir_all(site.join("content/files")).unwrap();
    std::os::unix::fs::symlink(&secret, site.join("content/files/bi-mat.pdf")).unwrap();
    let diags = diagnostics(&site);
    assert_eq!(with_code(&diags, "link-skipped").len(), 1, "{diags:?}");
    assert_eq!(with_code(&diags, "document").len(), 1, "{diags:?}");
}
