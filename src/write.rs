//! The **write** stage: files go into a staging folder next to the output,
//! which replaces the output only once the whole build has succeeded. A
//! failed or interrupted build leaves the previous output untouched, and two
//! builds into the same folder are serialised by a lock.

use std::fs::{self, File};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Where rendered files go.
pub trait Sink: Sync {
    /// Stores `bytes` at `path`, relative to the site's output root.
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
}

/// Why the output could not be written.
#[derive(Debug)]
pub struct WriteError {
    pub vi: String,
    pub en: String,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.vi, self.en)
    }
}

fn err(vi: impl Into<String>, en: impl Into<String>) -> WriteError {
    WriteError {
        vi: vi.into(),
        en: en.into(),
    }
}

/// A relative output path that cannot leave the output folder.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\0') || path.contains('\\') || path.starts_with('/') {
        return None;
    }
    let p = Path::new(path);
    p.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| p.to_path_buf())
}

/// A build in progress: its staging folder and the lock on the output.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    old: PathBuf,
    _lock: File,
    committed: bool,
}

fn siblings(target: &Path) -> (PathBuf, String) {
    let parent = target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

impl Staging {
    /// Checks the output folder, takes the lock, cleans what an interrupted
    /// build left behind, and creates a fresh staging folder.
    pub fn begin(site: &Path, target: &Path) -> Result<Self, WriteError> {
        let (parent, name) = siblings(target);
        let parent = if parent.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            parent
        };
        let shown = target.display();
        if !parent.is_dir() {
            return Err(err(
                format!("Thư mục chứa đầu ra không tồn tại: {}", parent.display()),
                format!(
                    "the output's parent folder does not exist: {}",
                    parent.display()
                ),
            ));
        }
        let canon_parent = parent.canonicalize().map_err(|e| {
            err(
                format!("Không truy cập được {}: {e}", parent.display()),
                format!("cannot access {}: {e}", parent.display()),
            )
        })?;
        let canon_target = canon_parent.join(&name);
        let canon_site = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
        if canon_site.starts_with(&canon_target) {
            return Err(err(
                format!(
                    "Thư mục đầu ra {shown} không được là thư mục của cổng hoặc thư mục cha của nó"
                ),
                format!(
                    "the output folder {shown} cannot be the portal's folder or one of its parents"
                ),
            ));
        }
        if canon_target.starts_with(canon_site.join("content")) {
            return Err(err(
                format!("Thư mục đầu ra {shown} không được nằm trong content/"),
                format!("the output folder {shown} cannot be inside content/"),
            ));
        }
        if target.exists() && !target.is_dir() {
            return Err(err(
                format!("{shown} đã tồn tại và không phải thư mục"),
                format!("{shown} exists and is not a folder"),
            ));
        }
        let lock_path = canon_parent.join(format!(".{name}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| {
                err(
                    format!("Không ghi được vào {}: {e}", canon_parent.display()),
                    format!("cannot write to {}: {e}", canon_parent.display()),
                )
            })?;
        if lock.try_lock().is_err() {
            return Err(err(
                format!("Một lần dựng khác đang ghi vào {shown}; hãy đợi nó xong rồi chạy lại"),
                format!("another build is writing to {shown}; wait for it to finish and try again"),
            ));
        }
        // We hold the lock: anything left by an interrupted build is stale.
        if let Ok(entries) = fs::read_dir(&canon_parent) {
            let stale = [format!(".{name}.tmp-"), format!(".{name}.old-")];
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if stale.iter().any(|s| n.starts_with(s.as_str())) {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        let pid = std::process::id();
        let dir = canon_parent.join(format!(".{name}.tmp-{pid}"));
        fs::create_dir(&dir).map_err(|e| {
            err(
                format!("Không tạo được thư mục tạm {}: {e}", dir.display()),
                format!("cannot create the staging folder {}: {e}", dir.display()),
            )
        })?;
        Ok(Staging {
            old: canon_parent.join(format!(".{name}.old-{pid}")),
            dir,
            target: canon_target,
            _lock: lock,
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps the staging folder in. The previous output is moved aside first
    /// and deleted after the swap, off the critical path.
    pub fn commit(mut self) -> Result<Cleanup, WriteError> {
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &self.old).map_err(|e| {
                err(
                    format!("Không thay được {}: {e}", self.target.display()),
                    format!("cannot replace {}: {e}", self.target.display()),
                )
            })?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&self.old, &self.target);
            }
            return Err(err(
                format!("Không thay được {}: {e}", self.target.display()),
                format!("cannot replace {}: {e}", self.target.display()),
            ));
        }
        self.committed = true;
        let old = self.old.clone();
        Ok(Cleanup(had_old.then(|| {
            std::thread::spawn(move || {
                let _ = fs::remove_dir_all(old);
            })
        })))
    }
}

/// The deletion of the previous output, running in the background.
pub struct Cleanup(Option<std::thread::JoinHandle<()>>);

impl Cleanup {
    pub fn wait(self) {
        if let Some(h) = self.0 {
            let _ = h.join();
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let rel = safe_relative(path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {path:?}"),
            )
        })?;
        let full = self.dir.join(rel);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(full, bytes)
    }
}

/// Output kept in memory (for `serve` and tests).
#[derive(Default)]
pub struct Memory {
    pub files: std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>,
}

impl Sink for Memory {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        safe_relative(path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {path:?}"),
            )
        })?;
        self.files
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(safe_relative("ket-luan/kl-1/index.html").is_some());
        for bad in [
            "",
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a\\b",
            "a\0b",
            "./a",
        ] {
            assert!(safe_relative(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn a_failed_build_leaves_the_output_intact_and_cleans_up() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let s = Staging::begin(site.path(), &out).unwrap();
            s.put("index.html", b"new").unwrap();
            // dropped without commit: a failed build
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let left: Vec<_> = fs::read_dir(site.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(
            left.iter().all(|n| !n.to_string_lossy().contains(".tmp-")),
            "{left:?}"
        );
        let s = Staging::begin(site.path(), &out).unwrap();
        s.put("index.html", b"new").unwrap();
        s.commit().unwrap().wait();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
    }

    #[test]
    fn the_output_cannot_be_the_site_or_its_parent() {
        let site = tempfile::tempdir().unwrap();
        assert!(Staging::begin(site.path(), site.path()).is_err());
        assert!(Staging::begin(site.path(), site.path().parent().unwrap()).is_err());
        assert!(Staging::begin(site.path(), &site.path().join("content")).is_err());
        assert!(Staging::begin(site.path(), &site.path().join("public")).is_ok());
        assert!(Staging::begin(site.path(), &site.path().join("khong/co/public")).is_err());
    }

    #[test]
    fn a_second_build_into_the_same_folder_is_refused() {
        let site = tempfile::tempdir().unwrap();
        let out = site.path().join("public");
        let first = Staging::begin(site.path(), &out).unwrap();
        let second = Staging::begin(site.path(), &out);
        assert!(second.err().unwrap().en.contains("another build"));
        drop(first);
        assert!(Staging::begin(site.path(), &out).is_ok());
    }
}
