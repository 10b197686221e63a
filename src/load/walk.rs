//! Listing a folder of the site without ever leaving the site.
//!
//! Content, templates, static files and interface strings are all read
//! through [`files`], so one rule holds for every one of them: a symbolic
//! link is followed only when it leads to a file inside the site folder.
//! A link out of the site (`static -> /etc`) or to a folder is skipped with
//! a warning that names it; nothing outside the site is ever read or
//! published.

use crate::diag::Code;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Severity, msg};
use crate::source::display_path;

/// A file found under a folder of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Relative to the site folder, as shown to the publisher.
    pub rel: PathBuf,
    /// Where to read it (inside the site, links resolved).
    pub path: PathBuf,
}

/// The site folder, resolved once.
pub struct Site {
    root: PathBuf,
    canonical: PathBuf,
}

fn skipped(rel: &Path, vi: &str, en: &str) -> Diagnostic {
    Diagnostic::for_path(
        Severity::Warning,
        Code::LinkSkipped,
        &display_path(rel),
        msg(vi, en),
    )
    .hint(msg(
        "Chép tệp vào trong thư mục của cổng thay vì liên kết tới nó",
        "Copy the file into the portal's folder instead of linking to it",
    ))
}

impl Site {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            canonical: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Where `path` really is, if that is inside the site.
    fn inside(&self, path: &Path) -> Option<PathBuf> {
        path.canonicalize()
            .ok()
            .filter(|t| t.starts_with(&self.canonical))
    }

    /// Whether `rel` (a file or folder of the site) may be read: it exists,
    /// and if it is a link, the link stays in the site. A skipped link is
    /// reported.
    pub fn readable(&self, rel: &Path, diags: &mut Vec<Diagnostic>) -> Option<PathBuf> {
        let path = self.root.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.file_type().is_symlink() {
            return Some(path);
        }
        match self.inside(&path) {
            Some(real) => Some(real),
            None => {
                diags.push(skipped(
                    rel,
                    "Liên kết tượng trưng trỏ ra ngoài thư mục của cổng — bỏ qua, không đọc",
                    "symbolic link points outside the portal's folder; skipped, not read",
                ));
                None
            }
        }
    }

    /// Every file under the folder `rel` of the site, in a stable order,
    /// skipping hidden files and folders. `keep` decides on entries below the
    /// folder (by their path relative to the site) before they are read.
    pub fn files(
        &self,
        rel: &Path,
        keep: impl Fn(&Path) -> bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Found> {
        let Some(folder) = self.readable(rel, diags) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let walk = WalkDir::new(&folder)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    if e.depth() == 0 {
                        continue; // the folder is not there: nothing to read
                    }
                    let shown = e
                        .path()
                        .map(|p| self.relative(&folder, rel, p))
                        .unwrap_or_default();
                    diags.push(Diagnostic::for_path(
                        Severity::Error,
                        Code::Io,
                        &display_path(&shown),
                        msg(format!("Không đọc được: {e}"), format!("cannot read: {e}")),
                    ));
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            let shown = self.relative(&folder, rel, entry.path());
            if entry.path_is_symlink() {
                match self.inside(entry.path()) {
                    Some(real) if real.is_file() => {
                        if keep(&shown) {
                            out.push(Found {
                                rel: shown,
                                path: real,
                            });
                        }
                    }
                    Some(_) => diags.push(skipped(
                        &shown,
                        "Liên kết tượng trưng tới một thư mục — bỏ qua, không đọc",
                        "symbolic link to a folder; skipped, not read",
                    )),
                    None => diags.push(skipped(
                        &shown,
                        "Liên kết tượng trưng trỏ ra ngoài thư mục của cổng — bỏ qua, không đọc",
                        "symbolic link points outside the portal's folder; skipped, not read",
                    )),
                }
            } else if entry.file_type().is_file() && keep(&shown) {
                out.push(Found {
                    rel: shown,
                    path: entry.path().to_path_buf(),
                });
            }
        }
        out
    }

    /// `path` (under the walked `folder`, which is the site's `rel`) as a
    /// path relative to the site.
    fn relative(&self, folder: &Path, rel: &Path, path: &Path) -> PathBuf {
        rel.join(path.strip_prefix(folder).unwrap_or(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_are_followed_only_to_files_inside_the_site() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("site");
        std::fs::create_dir_all(root.join("static/css")).unwrap();
        std::fs::write(root.join("static/css/a.css"), "a").unwrap();
        std::fs::write(root.join("ghi-chu.txt"), "b").unwrap();
        std::fs::write(t.path().join("secret"), "c").unwrap();
        symlink(root.join("ghi-chu.txt"), root.join("static/b.txt")).unwrap();
        symlink(t.path().join("secret"), root.join("static/secret")).unwrap();
        symlink("/etc", root.join("static/etc")).unwrap();
        symlink(root.join("static/css"), root.join("static/css2")).unwrap();
        let site = Site::new(&root);
        let mut diags = Vec::new();
        let found = site.files(Path::new("static"), |_| true, &mut diags);
        let rels: Vec<String> = found.iter().map(|f| display_path(&f.rel)).collect();
        assert_eq!(rels, ["static/b.txt", "static/css/a.css"]);
        let skipped: Vec<&str> = diags.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(skipped, ["static/css2", "static/etc", "static/secret"]);
        assert!(
            diags
                .iter()
                .all(|d| !d.is_error() && d.code == "link-skipped")
        );
    }

    #[test]
    fn a_folder_that_is_a_link_out_of_the_site_is_not_read() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        symlink("/etc", root.join("static")).unwrap();
        let mut diags = Vec::new();
        let found = Site::new(&root).files(Path::new("static"), |_| true, &mut diags);
        assert!(found.is_empty());
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].file, "static");
    }
}
