//! `congkhai deploy` to a folder: only a checked output is published, the
//! folder is replaced whole (or not at all), and nothing of anyone else's is
//! touched. (Object storage is tested against a real server by
//! `tests/deploy/s3_test.py`.)

mod common;

use std::path::Path;

use common::{bin, build, copy_dir, fixture, snapshot, stderr};

const AS_OF: &str = "2026-01-15";

fn deploy(args: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut cmd = bin();
    cmd.arg("deploy");
    for a in args {
        cmd.arg(a);
    }
    cmd.args(extra).output().unwrap()
}

/// A site built into `tmp/site/public`.
fn built(tmp: &Path) -> std::path::PathBuf {
    let site = tmp.join("site");
    copy_dir(&fixture("valid"), &site);
    let o = build(&site, &site.join("public"), AS_OF);
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

/// The files of a published folder, without the marker that says it is congkhai's.
fn published(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot(dir)
        .into_iter()
        .filter(|(p, _)| p != Path::new(".congkhai-output"))
        .collect()
}

#[test]
fn the_output_is_published_whole_and_again_only_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = built(tmp.path());
    let www = tmp.path().join("www");
    // The site folder is enough: its output is found in public/.
    let o = deploy(&[&site, &www], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(published(&www), published(&site.join("public")));
    let files = published(&www).len();
    assert!(
        stderr(&o).contains(&format!("sent {files} files")),
        "{}",
        stderr(&o)
    );

    // An edit, rebuilt: the next deploy sends the changed files only.
    let record = site.join("content/conclusions/kl-2025-015.md");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("An Bình\"", "An Bình (sửa)\"")).unwrap();
    assert!(build(&site, &site.join("public"), AS_OF).status.success());
    let dry = deploy(&[&site.join("public"), &www], &["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let planned = String::from_utf8_lossy(&dry.stdout)
        .lines()
        .filter(|l| l.starts_with("+ "))
        .count();
    assert!(planned > 0 && planned < files, "{planned} of {files}");
    // The dry run changed nothing.
    assert_ne!(published(&www), published(&site.join("public")));
    let o = deploy(&[&site.join("public"), &www], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("sent {planned} files")),
        "{}",
        stderr(&o)
    );
    assert_eq!(published(&www), published(&site.join("public")));
}

#[test]
fn a_folder_of_someone_elses_files_is_refused_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let site = built(tmp.path());
    let theirs = tmp.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("bao-cao.docx"), "của người khác").unwrap();
    let before = snapshot(&theirs);
    let o = deploy(&[&site, &theirs], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("congkhai did not create"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&theirs), before);
    // Nor into the output itself, nor above it.
    let inside = site.join("public/copy");
    let o = deploy(&[&site, &inside], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!inside.exists());
    let o = deploy(&[&site.join("public"), &site], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn an_output_edited_after_its_build_is_not_published() {
    let tmp = tempfile::tempdir().unwrap();
    let site = built(tmp.path());
    let page = site.join("public/ky-luat/qd-2025-118/index.html");
    let mut html = std::fs::read_to_string(&page).unwrap();
    html.push_str("<!-- sửa tay -->");
    std::fs::write(&page, html).unwrap();
    let www = tmp.path().join("www");
    let o = deploy(&[&site, &www], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ky-luat/qd-2025-118/index.html")
            && stderr(&o).contains("differ from its SHA256SUMS"),
        "{}",
        stderr(&o)
    );
    assert!(!www.exists());
    // A folder that is not a build at all.
    let o = deploy(&[&site.join("content"), &www], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not an output of `congkhai build`"),
        "{}",
        stderr(&o)
    );
}
