//! `build --out` never destroys what congkhai did not create: real builds into
//! real temporary trees of someone's files, compared byte for byte after.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use proptest::prelude::*;

/// Every file, link and folder under `root`, with the bytes of files and
/// the targets of links.
fn everything(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).follow_links(false).min_depth(1) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
        let what = if e.path_is_symlink() {
            format!("link {}", std::fs::read_link(e.path()).unwrap().display())
        } else if e.file_type().is_dir() {
            "dir".to_string()
        } else {
            format!("{:?}", std::fs::read(e.path()).unwrap())
        };
        out.insert(rel, what);
    }
    out
}

/// A temporary tree as a user has it: a portal under git, a folder of
/// documents, a home folder, links, and one earlier output of congkhai.
/// It sits five folders deep in its temporary folder, so that no generated
/// path of four steps can leave the temporary folder.
struct Tree {
    tmp: tempfile::TempDir,
}

/// Where the tree starts inside its temporary folder.
const DEPTH: &str = "a/b/c/d/e";

impl Tree {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join(DEPTH)).unwrap();
        let root = &tmp.path().join(DEPTH);
        copy_dir(&fixture("valid"), &root.join("site"));
        std::fs::create_dir_all(root.join("site/.git")).unwrap();
        std::fs::write(root.join("site/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::create_dir_all(root.join("docs/sub")).unwrap();
        std::fs::write(root.join("docs/bao-cao.docx"), b"\x50\x4b\x03\x04user").unwrap();
        std::fs::write(root.join("docs/sub/ghi-chu.txt"), "của tôi").unwrap();
        std::fs::create_dir_all(root.join("home/.ssh")).unwrap();
        std::fs::write(root.join("home/.ssh/id_ed25519"), "secret").unwrap();
        std::fs::create_dir(root.join("empty")).unwrap();
        std::os::unix::fs::symlink(root.join("docs"), root.join("link-docs")).unwrap();
        std::os::unix::fs::symlink(root.join("site"), root.join("link-site")).unwrap();
        let o = build(&root.join("site"), &root.join("ours"), "2026-01-01");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        Tree { tmp }
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join(DEPTH)
    }

    /// The temporary folder that holds the tree.
    fn top(&self) -> PathBuf {
        self.tmp.path().canonicalize().unwrap()
    }

    /// `congkhai build site --out OUT`, run from `cwd` with HOME at `home/`.
    fn build(&self, cwd: &str, out: &str) -> std::process::Output {
        bin()
            .current_dir(self.root().join(cwd))
            .env("HOME", self.root().join("home"))
            .args([
                "build",
                self.root().join("site").to_str().unwrap(),
                "--out",
                out,
                "--as-of",
                "2026-01-02",
                "--quiet",
            ])
            .output()
            .unwrap()
    }
}

/// Folders a build may replace in [`Tree`]: congkhai's own output, the empty
/// folder, and places where nothing is (all inside the temporary folder).
fn replaceable(top: &Path, root: &Path, resolved: &Path) -> bool {
    if !resolved.starts_with(top) {
        return false;
    }
    let rel = resolved.strip_prefix(root).ok();
    match rel.and_then(|r| r.to_str()) {
        Some("ours" | "empty") => true,
        _ => !resolved.exists() || std::fs::read_dir(resolved).unwrap().next().is_none(),
    }
}

#[test]
fn a_folder_of_user_files_is_refused_whatever_the_spelling() {
    let tree = Tree::new();
    let before = everything(&tree.root());
    for (cwd, out) in [
        ("site", "."),
        ("site", ".."),
        ("site", "../site/.."),
        ("site", "../docs"),
        ("site", "../link-docs"),
        ("site", "../docs/sub"),
        ("site", ".git"),
        ("site", "content"),
        ("site", "../home"),
        ("site", "../link-site"),
        ("docs", "."),
        ("", "/"),
    ] {
        let o = tree.build(cwd, out);
        assert_eq!(
            o.status.code(),
            Some(2),
            "--out {out} from {cwd}: {}",
            stderr(&o)
        );
        let err = stderr(&o);
        assert!(
            err.contains("will not write the output into") && err.contains("help:"),
            "--out {out}: {err}"
        );
        assert_eq!(everything(&tree.root()), before, "--out {out} from {cwd}");
    }
}

#[test]
fn into_dot_means_the_current_folder_and_an_empty_one_is_accepted() {
    let tree = Tree::new();
    let o = tree.build("empty", ".");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let root = tree.root();
    assert!(root.join("empty/index.html").is_file());
    assert!(!root.join("empty/public").exists());
    assert!(
        !root.join("site/public").exists(),
        "nothing written elsewhere"
    );
    // A second build replaces it: it is now congkhai's output.
    assert_eq!(tree.build("empty", ".").status.code(), Some(0));
}

#[test]
fn a_file_put_into_an_output_stops_the_next_build_and_is_kept() {
    let tree = Tree::new();
    let ours = tree.root().join("ours");
    std::fs::write(ours.join("ghi-chu-cua-toi.txt"), "giữ lại").unwrap();
    let before = everything(&tree.root());
    let o = tree.build("", "ours");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("ghi-chu-cua-toi.txt"), "{}", stderr(&o));
    assert_eq!(everything(&tree.root()), before);
}

/// One step of a generated `--out` path.
fn step() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        ".",
        "..",
        "site",
        "docs",
        "sub",
        "ours",
        "empty",
        "home",
        ".git",
        "content",
        "link-docs",
        "link-site",
        "public",
        "new",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever `--out` is, nothing outside the folder it resolves to
    /// changes, and that folder is replaced only if it was congkhai's,
    /// empty or absent.
    #[test]
    fn no_out_path_touches_anything_else(
        cwd in prop::sample::select(vec!["", "site", "docs", "empty"]),
        steps in prop::collection::vec(step(), 1..5),
        absolute in any::<bool>(),
    ) {
        let tree = Tree::new();
        let root = tree.root().canonicalize().unwrap();
        let top = tree.top();
        let rel = steps.join("/");
        let out = if absolute { root.join(cwd).join(&rel).display().to_string() } else { rel.clone() };
        // Where the path leads, as the system resolves it (None: through a missing folder).
        let resolved = {
            let mut p = root.join(cwd);
            let mut ok = true;
            for s in &steps {
                // `a/./b` is `a/b`, as every path library reads it.
                if *s == "." { continue; }
                if !p.exists() && *s == ".." { ok = false; break; }
                p = if p.exists() { p.canonicalize().unwrap().join(s) } else { p.join(s) };
            }
            ok.then(|| if p.exists() { p.canonicalize().unwrap() } else { p })
        };
        let may = resolved.as_deref().is_some_and(|r| replaceable(&top, &root, r))
            && resolved.as_deref().is_some_and(|r| r.parent().is_some_and(Path::exists))
            && resolved.as_deref().is_some_and(|r| {
                !r.components().any(|c| c.as_os_str() == ".git")
                    && !r.starts_with(root.join("site/content"))
                    && !root.join("site").starts_with(r)
                    && r != root.join("home")
            });
        let before = everything(&top);
        let o = tree.build(cwd, &out);
        let after = everything(&top);
        let code = o.status.code();
        prop_assert!(code == Some(0) || code == Some(2) || code == Some(3), "{code:?} {}", stderr(&o));
        if code == Some(0) {
            let r = resolved.clone().unwrap_or_default();
            prop_assert!(may, "--out {out} from {cwd:?} replaced {}", r.display());
            prop_assert!(r.join("index.html").is_file());
            let inside = |p: &PathBuf| top.join(p).starts_with(&r);
            let outside_before: Vec<_> = before.iter().filter(|(p, _)| !inside(p)).collect();
            let outside_after: Vec<_> = after.iter().filter(|(p, _)| !inside(p)).collect();
            prop_assert_eq!(outside_before, outside_after, "--out {} from {:?}", out, cwd);
        } else {
            prop_assert_eq!(&before, &after, "--out {} from {:?}: {}", out, cwd, stderr(&o));
        }
    }
}
