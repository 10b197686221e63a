//! A build that finds its previous output reuses the files whose bytes did
//! not change (hard links) and still produces exactly what a clean build
//! of the same content produces.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::{build, copy_dir, fixture, snapshot, stderr};

const AS_OF: &str = "2026-01-15";

fn inode(path: &Path) -> u64 {
    std::fs::symlink_metadata(path).unwrap().ino()
}

/// The numbers in "Wrote N files; kept M unchanged".
fn written_and_kept(err: &str) -> (usize, usize) {
    let line = err
        .lines()
        .find(|l| l.starts_with("Wrote "))
        .unwrap_or_else(|| panic!("no 'Wrote … kept …' line in:\n{err}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

fn files_in(dir: &Path) -> usize {
    snapshot(dir).len()
}

#[test]
fn an_edit_rewrites_the_pages_that_show_it_and_the_output_equals_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let out = tmp.path().join("out");
    let o = build(&site, &out, AS_OF);
    assert!(o.status.success(), "{}", stderr(&o));
    // The first build found nothing to reuse and says nothing about it.
    assert!(!stderr(&o).contains("kept"), "{}", stderr(&o));
    let conclusion = out.join("ket-luan/kl-2025-015/index.html");
    // A page that does not show the conclusion (the decision's page does:
    // it names the conclusion it follows).
    let about = out.join("trang/gioi-thieu/index.html");
    let (conclusion_before, about_before) = (inode(&conclusion), inode(&about));

    // The same content again: every file is kept, none written.
    let o = build(&site, &out, AS_OF);
    assert!(o.status.success(), "{}", stderr(&o));
    let total = files_in(&out);
    // The marker that says the folder is congkhai's is written anew.
    assert_eq!(written_and_kept(&stderr(&o)), (0, total - 1));
    assert_eq!(inode(&conclusion), conclusion_before);

    // What the clean build below compares with, as the rebuild compares
    // with the output it replaces (the change log).
    let published = tmp.path().join("published");
    copy_dir(&out, &published);

    // One record edited: its page is written, a page without it is not.
    let file = site.join("content/conclusions/kl-2025-015.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace("tại UBND xã An Bình\"", "tại UBND xã An Bình (bản sửa)\"");
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let o = build(&site, &out, AS_OF);
    assert!(o.status.success(), "{}", stderr(&o));
    let (written, kept) = written_and_kept(&stderr(&o));
    assert!(written > 0 && kept > written, "{}", stderr(&o));
    assert_eq!(written + kept, files_in(&out) - 1);
    assert_ne!(inode(&conclusion), conclusion_before);
    assert_eq!(inode(&about), about_before);
    assert!(
        std::fs::read_to_string(&conclusion)
            .unwrap()
            .contains("(bản sửa)")
    );

    let clean = tmp.path().join("clean");
    let o = common::build_command(&site, &clean, AS_OF)
        .args(["--previous", published.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let (incremental, clean) = (snapshot(&out), snapshot(&clean));
    let names =
        |t: &[(std::path::PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&incremental), names(&clean));
    for ((path, a), (_, b)) in incremental.iter().zip(&clean) {
        assert!(a == b, "{} differs from a clean build", path.display());
    }
}

#[test]
fn a_file_changed_by_hand_in_the_previous_output_is_not_reused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let out = tmp.path().join("out");
    assert!(build(&site, &out, AS_OF).status.success());
    let page = out.join("ky-luat/qd-2025-118/index.html");
    let original = std::fs::read(&page).unwrap();
    // Same length, different bytes: only a comparison of the bytes tells.
    let mut tampered = original.clone();
    let at = tampered.windows(5).position(|w| w == b"<body").unwrap();
    tampered[at + 1] = b'B';
    assert!(tampered != original);
    std::fs::write(&page, &tampered).unwrap();
    let o = build(&site, &out, AS_OF);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(written_and_kept(&stderr(&o)).0, 1, "{}", stderr(&o));
    assert!(std::fs::read(&page).unwrap() == original);
}
