//! Which folder a build may replace.
//!
//! A mistyped `--out` must never cost anyone their files. congkhai replaces a
//! folder only when it is absent, empty, or holds a previous congkhai output
//! (the [`MARKER`] file every build writes, or — for an output of an older
//! version — a `SHA256SUMS` that lists exactly its files), and even then not
//! when anything in it was put there by someone else. Some folders are
//! refused whatever they hold: `/`, the home folder, the site and its
//! parents, the site's own sources, and any git work tree. There is no flag
//! that overrides this.
//!
//! Paths are resolved before anything is decided (`.`, `..`, symbolic
//! links), so that `--out .` means the current folder and nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::WriteError;

/// The file that marks a folder as congkhai's output. Its presence is what
/// allows the next build to replace the folder.
pub const MARKER: &str = ".congkhai-output";

/// What the marker says to a person who finds it.
pub const MARKER_TEXT: &str = "Thư mục này do `congkhai build` tạo ra; lần dựng sau sẽ thay thế toàn bộ.\n\
This folder was written by `congkhai build`; the next build replaces all of it.\n";

/// The manifest of an output, which an older version wrote without a marker.
pub const MANIFEST: &str = "SHA256SUMS";

/// Files an output holds besides those its manifest lists.
pub const OWN_META: &[&str] = &[MARKER, MANIFEST, "SHA256SUMS.minisig"];

/// Folders of a site that hold its sources: an output must not be, or be
/// inside, any of them.
pub const SOURCE_FOLDERS: &[&str] = &["content", "templates", "static", "i18n", "themes"];

/// What is at the output's place before the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previous {
    /// Nothing: the build creates the folder.
    Absent,
    /// An empty folder.
    Empty,
    /// A previous output: the files its manifest lists (to be checked for
    /// strangers before the folder is replaced).
    Output { listed: BTreeSet<String> },
}

/// The output folder, resolved, and what is there now.
#[derive(Debug, Clone)]
pub struct Target {
    /// The absolute path with every `.`, `..` and symbolic link resolved.
    pub path: PathBuf,
    pub previous: Previous,
}

impl Target {
    /// The folder that holds the output.
    pub fn parent(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("/"))
    }

    /// The output folder's own name.
    pub fn name(&self) -> OsString {
        self.path.file_name().unwrap_or_default().to_os_string()
    }
}

fn refused(path: &Path, vi: String, en: String, hint: (&str, &str)) -> WriteError {
    let shown = match resolve_path(path) {
        Ok(r) if r != path => format!("{} ({})", path.display(), r.display()),
        _ => path.display().to_string(),
    };
    WriteError::Refused {
        vi: format!("Không ghi đầu ra vào {shown}: {vi}"),
        en: format!("will not write the output into {shown}: {en}"),
        hint_vi: hint.0.to_string(),
        hint_en: hint.1.to_string(),
    }
}

const CHOOSE_ANOTHER: (&str, &str) = (
    "Chọn một thư mục khác bằng --out, ví dụ --out public (một thư mục chưa có sẽ được tạo)",
    "Choose another folder with --out, e.g. --out public (a folder that does not exist is created)",
);

/// Why a path could not be resolved.
enum Unresolved {
    /// A `..` or `.` after a folder that does not exist.
    ThroughMissing,
    Io(PathBuf, std::io::Error),
}

/// Resolves `out` to an absolute path without `.`, `..` or symbolic links.
///
/// The part of the path that exists is resolved by the system; what follows
/// it may only be plain names (a `..` after a folder that does not exist has
/// no meaning, and is refused rather than guessed).
pub fn resolve(out: &Path) -> Result<PathBuf, WriteError> {
    resolve_path(out).map_err(|why| match why {
        Unresolved::ThroughMissing => refused(
            out,
            "đường dẫn đi qua một thư mục không tồn tại".into(),
            "the path goes through a folder that does not exist".into(),
            CHOOSE_ANOTHER,
        ),
        Unresolved::Io(p, e) => WriteError::system(
            format!("không truy cập được {}: {e}", p.display()),
            format!("cannot access {}: {e}", p.display()),
        ),
    })
}

fn resolve_path(out: &Path) -> Result<PathBuf, Unresolved> {
    let absolute = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Unresolved::Io(PathBuf::from("."), e))?
            .join(out)
    };
    let mut missing: Vec<OsString> = Vec::new();
    let mut existing = absolute.as_path();
    while fs::symlink_metadata(existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return Err(Unresolved::ThroughMissing),
        }
    }
    let mut resolved =
        fs::canonicalize(existing).map_err(|e| Unresolved::Io(existing.to_path_buf(), e))?;
    for name in missing.iter().rev() {
        if !matches!(
            Path::new(name).components().next(),
            Some(Component::Normal(_))
        ) {
            return Err(Unresolved::ThroughMissing);
        }
        resolved.push(name);
    }
    Ok(resolved)
}

/// Canonical form of a path that may not exist (its existing part resolved).
fn canonical_or_lexical(p: &Path) -> PathBuf {
    resolve_path(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Decides whether `out` may be replaced by a build of the site at `site`.
pub fn target(site: &Path, out: &Path) -> Result<Target, WriteError> {
    let path = resolve(out)?;
    let site = canonical_or_lexical(site);
    refuse_protected(out, &path, &site)?;
    let previous = previous(out, &path)?;
    Ok(Target { path, previous })
}

/// Folders refused whatever they hold.
fn refuse_protected(out: &Path, path: &Path, site: &Path) -> Result<(), WriteError> {
    if path.parent().is_none() {
        return Err(refused(
            out,
            "đây là thư mục gốc của hệ thống".into(),
            "this is the root of the file system".into(),
            CHOOSE_ANOTHER,
        ));
    }
    let home = std::env::var_os("HOME").map(|h| canonical_or_lexical(Path::new(&h)));
    if home.as_deref() == Some(path) {
        return Err(refused(
            out,
            "đây là thư mục nhà của người dùng".into(),
            "this is the user's home folder".into(),
            CHOOSE_ANOTHER,
        ));
    }
    if site.starts_with(path) {
        return Err(refused(
            out,
            "đây là thư mục của cổng hoặc một thư mục cha của nó".into(),
            "this is the portal's folder or one of its parents".into(),
            CHOOSE_ANOTHER,
        ));
    }
    for source in SOURCE_FOLDERS {
        let folder = canonical_or_lexical(&site.join(source));
        if path.starts_with(&folder) || path.starts_with(site.join(source)) {
            return Err(refused(
                out,
                format!("thư mục này thuộc {source}/, nơi chứa nguồn của cổng"),
                format!("this folder is in {source}/, which holds the portal's sources"),
                CHOOSE_ANOTHER,
            ));
        }
    }
    if path.components().any(|c| c.as_os_str() == ".git") || path.join(".git").exists() {
        return Err(refused(
            out,
            "đây là (hoặc nằm trong) một kho git".into(),
            "this is (or is inside) a git repository".into(),
            CHOOSE_ANOTHER,
        ));
    }
    Ok(())
}

/// What is at the output's place, refusing anything congkhai did not make.
fn previous(out: &Path, path: &Path) -> Result<Previous, WriteError> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(Previous::Absent);
    };
    if !meta.is_dir() {
        return Err(refused(
            out,
            "ở đó đã có một tệp (không phải thư mục)".into(),
            "a file (not a folder) is already there".into(),
            CHOOSE_ANOTHER,
        ));
    }
    let mut entries = fs::read_dir(path).map_err(|e| {
        WriteError::system(
            format!("không đọc được {}: {e}", path.display()),
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    if entries.next().is_none() {
        return Ok(Previous::Empty);
    }
    let marked = fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file());
    let listed = read_manifest(&path.join(MANIFEST));
    match listed {
        Some(listed) if marked => Ok(Previous::Output { listed }),
        // An output of a version before the marker: recognised by a manifest
        // that lists exactly its files.
        Some(listed) if strangers(path, &listed).is_empty() => Ok(Previous::Output { listed }),
        _ if marked => Ok(Previous::Output {
            listed: BTreeSet::new(),
        }),
        _ => Err(refused(
            out,
            "thư mục có tệp không do congkhai tạo ra".into(),
            "the folder holds files that congkhai did not create".into(),
            (
                "congkhai chỉ thay thư mục trống, chưa có, hoặc là đầu ra của một lần dựng trước. Chọn thư mục khác bằng --out, hoặc chuyển các tệp đó đi nơi khác",
                "congkhai replaces only a folder that is absent, empty, or the output of an earlier build. Choose another folder with --out, or move those files elsewhere",
            ),
        )),
    }
}

/// The paths a `SHA256SUMS` lists, if the file is there and reads as one.
fn read_manifest(path: &Path) -> Option<BTreeSet<String>> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    text.lines()
        .map(|line| manifest_line(line).map(|(_, file)| file.to_string()))
        .collect()
}

/// A manifest in `sha256sum` format (`HASH  path` per line): each path with
/// its SHA-256 in lower-case hex, or `None` if any line is not such a line.
pub fn parse_manifest(text: &str) -> Option<BTreeMap<String, String>> {
    let mut listed = BTreeMap::new();
    for line in text.lines() {
        let (hash, file) = manifest_line(line)?;
        listed.insert(file.to_string(), hash.to_ascii_lowercase());
    }
    Some(listed)
}

/// A line of a manifest: its hash and its path, if it is such a line.
fn manifest_line(line: &str) -> Option<(&str, &str)> {
    let (hash, file) = line.split_once("  ")?;
    (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && !file.is_empty())
        .then_some((hash, file))
}

/// Everything in an output folder that its manifest does not account for:
/// files, links and folders someone else put there. Empty when the folder
/// holds only what congkhai wrote.
pub fn strangers(folder: &Path, listed: &BTreeSet<String>) -> Vec<String> {
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for file in listed {
        let mut p = file.as_str();
        while let Some((parent, _)) = p.rsplit_once('/') {
            if !dirs.insert(parent.to_string()) {
                break;
            }
            p = parent;
        }
    }
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(folder)
        .follow_links(false)
        .min_depth(1)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else {
            found.push("(không đọc được / unreadable)".to_string());
            continue;
        };
        let rel =
            crate::source::display_path(entry.path().strip_prefix(folder).unwrap_or(entry.path()));
        let known = if entry.file_type().is_dir() {
            dirs.contains(&rel)
        } else {
            entry.file_type().is_file()
                && (listed.contains(&rel) || OWN_META.contains(&rel.as_str()))
        };
        if !known {
            found.push(rel);
        }
    }
    found
}

/// The refusal for an output that holds files someone else put there.
pub fn strangers_refused(path: &Path, found: &[String]) -> WriteError {
    let shown: Vec<&str> = found.iter().take(5).map(String::as_str).collect();
    let more = if found.len() > 5 {
        format!(" (+{})", found.len() - 5)
    } else {
        String::new()
    };
    refused(
        path,
        format!(
            "thư mục có tệp không do lần dựng trước tạo ra: {}{more}",
            shown.join(", ")
        ),
        format!(
            "the folder holds files that the previous build did not write: {}{more}",
            shown.join(", ")
        ),
        (
            "Chuyển các tệp đó ra khỏi thư mục đầu ra rồi dựng lại; congkhai không xóa tệp không do nó tạo ra",
            "Move those files out of the output folder and build again; congkhai never deletes files it did not create",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir_all(t.path().join("site/content")).unwrap();
        fs::write(t.path().join("site/congkhai.toml"), "x").unwrap();
        t
    }

    #[test]
    fn dot_and_dot_dot_are_resolved_not_guessed() {
        let t = tree();
        let site = t.path().join("site");
        let canon = fs::canonicalize(t.path()).unwrap();
        assert_eq!(resolve(&site.join(".")).unwrap(), canon.join("site"));
        assert_eq!(resolve(&site.join("..")).unwrap(), canon);
        assert_eq!(
            resolve(&site.join("../site/../new")).unwrap(),
            canon.join("new")
        );
        assert_eq!(resolve(&site.join("a/b")).unwrap(), canon.join("site/a/b"));
        assert!(resolve(&site.join("missing/../x")).is_err());
    }

    #[test]
    fn the_site_its_parents_and_its_sources_are_refused() {
        let t = tree();
        let site = t.path().join("site");
        for out in [
            site.clone(),
            site.join("."),
            site.join(".."),
            site.join("content"),
            site.join("content/x"),
            site.join("static"),
            site.join("themes/default/static"),
            PathBuf::from("/"),
        ] {
            assert!(
                matches!(target(&site, &out), Err(WriteError::Refused { .. })),
                "{}",
                out.display()
            );
        }
        assert_eq!(
            target(&site, &site.join("public")).unwrap().previous,
            Previous::Absent
        );
    }

    #[test]
    fn only_empty_folders_and_previous_outputs_may_be_replaced() {
        let t = tree();
        let site = t.path().join("site");
        let docs = t.path().join("docs");
        fs::create_dir(&docs).unwrap();
        assert_eq!(target(&site, &docs).unwrap().previous, Previous::Empty);
        fs::write(docs.join("thu.txt"), "của tôi").unwrap();
        assert!(matches!(
            target(&site, &docs),
            Err(WriteError::Refused { .. })
        ));
        // An older output: its manifest lists exactly its files.
        let old = t.path().join("old");
        fs::create_dir_all(old.join("a")).unwrap();
        fs::write(old.join("a/index.html"), "x").unwrap();
        let line = format!("{}  a/index.html\n", "0".repeat(64));
        fs::write(old.join(MANIFEST), &line).unwrap();
        assert!(matches!(
            target(&site, &old).unwrap().previous,
            Previous::Output { .. }
        ));
        fs::write(old.join("ghi-chu.txt"), "x").unwrap();
        assert!(target(&site, &old).is_err());
        // With the marker, it is ours; strangers are found before replacing.
        fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        let Previous::Output { listed } = target(&site, &old).unwrap().previous else {
            panic!("an output")
        };
        assert_eq!(strangers(&old, &listed), vec!["ghi-chu.txt".to_string()]);
    }

    #[test]
    fn a_git_work_tree_is_refused() {
        let t = tree();
        let site = t.path().join("site");
        let repo = t.path().join("repo");
        fs::create_dir_all(repo.join(".git")).unwrap();
        assert!(target(&site, &repo).is_err());
        assert!(target(&site, &repo.join(".git")).is_err());
        assert!(target(&site, &repo.join(".git/x")).is_err());
    }
}
