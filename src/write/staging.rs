//! The staging folder, the lock, and the swap.
//!
//! A build writes into `.NAME.tmp-PID` beside the output, marked as
//! congkhai's from its first moment. Only when everything is written does
//! one atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`) put it in the
//! output's place, so a crash at any moment leaves either the old or the new
//! site there, never none. The old site, now in the staging folder's place,
//! is removed afterwards, off the critical path. Where the system has no
//! exchange, two renames are used, and a build that finds the output missing
//! but the moved-aside copy present puts that copy back first.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::JoinHandle;

use super::owner::{self, MARKER, MARKER_TEXT, Previous, Target};
use super::reuse::{Counts, Streamed, create_new, link_same, same_bytes};
use super::{Sink, WriteError, hook, safe_relative};

/// A build in progress: its staging folder and the lock on the output's parent.
pub struct Staging {
    dir: PathBuf,
    target: Target,
    /// The check that the old output holds only what congkhai wrote; runs
    /// while the site is rendered.
    strangers: Option<JoinHandle<Vec<String>>>,
    /// Removal of what interrupted builds left behind.
    stale: Vec<JoinHandle<()>>,
    /// Things the user should know (a leftover that was not ours, a restored output).
    pub notes: Vec<String>,
    /// How many files were written, and how many were linked unchanged
    /// from the previous output.
    counts: Counts,
    /// Folders of the previous output seen to be real folders (not links),
    /// so that reuse never reads through a link someone put there.
    real_dirs: Mutex<HashSet<PathBuf>>,
    _lock: File,
    committed: bool,
}

fn prefixed(target: &Target, what: &str) -> String {
    format!(".{}.{what}-", target.name().to_string_lossy())
}

/// Holds the lock on the folder that contains the output, so that two
/// builds never write the same output at once. Locking the folder itself
/// leaves no lock file behind in someone else's folder.
fn lock(parent: &Path) -> Result<File, WriteError> {
    let cannot = |e: io::Error| {
        WriteError::system(
            format!("không ghi được vào {}: {e}", parent.display()),
            format!("cannot write to {}: {e}", parent.display()),
        )
    };
    #[cfg(unix)]
    let file = File::open(parent).map_err(cannot)?;
    #[cfg(not(unix))]
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(".congkhai.lock"))
        .map_err(cannot)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(WriteError::system(
            format!(
                "một lần dựng khác đang ghi vào {}; hãy đợi nó xong rồi chạy lại",
                parent.display()
            ),
            format!(
                "another build is writing into {}; wait for it to finish and try again",
                parent.display()
            ),
        )),
        Err(fs::TryLockError::Error(e)) => Err(cannot(e)),
    }
}

/// Whether `dir` is a folder congkhai made (it carries the marker).
fn is_ours(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

impl Staging {
    /// Decides whether `out` may be replaced (see [`owner`]), takes the
    /// lock, recovers from an interrupted build, and creates a fresh staging
    /// folder.
    pub fn begin(site: &Path, out: &Path) -> Result<Self, WriteError> {
        let target = owner::target(site, out)?;
        let parent = target.parent().to_path_buf();
        if !parent.is_dir() {
            return Err(WriteError::system(
                format!("thư mục chứa đầu ra không tồn tại: {}", parent.display()),
                format!(
                    "the output's parent folder does not exist: {}",
                    parent.display()
                ),
            ));
        }
        let lock = lock(&parent)?;
        let mut notes = Vec::new();
        let stale = recover(&target, &mut notes);
        // Its list of files (hundreds of megabytes at a million records) is
        // read again just below.
        drop(target);
        // Decided again under the lock: a build that finished meanwhile, or
        // an output restored just now, changes what is there.
        let mut target = owner::target(site, out)?;
        let dir = parent.join(format!(
            "{}{}",
            prefixed(&target, "tmp"),
            std::process::id()
        ));
        let cannot = |e: io::Error| {
            WriteError::system(
                format!("không tạo được thư mục tạm {}: {e}", dir.display()),
                format!("cannot create the staging folder {}: {e}", dir.display()),
            )
        };
        fs::create_dir(&dir).map_err(cannot)?;
        fs::write(dir.join(MARKER), MARKER_TEXT).map_err(cannot)?;
        // The list is needed only by this check: handed to it, not copied,
        // and freed when the check ends, early in the build.
        let strangers = match &mut target.previous {
            Previous::Output { listed } => {
                let (path, listed) = (target.path.clone(), std::mem::take(listed));
                Some(std::thread::spawn(move || owner::strangers(&path, &listed)))
            }
            _ => None,
        };
        Ok(Staging {
            dir,
            target,
            strangers,
            stale,
            notes,
            counts: Counts::default(),
            real_dirs: Mutex::default(),
            _lock: lock,
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output folder, resolved.
    pub fn target(&self) -> &Path {
        &self.target.path
    }

    /// The previous output this build replaces, if there is one: what the
    /// change log compares with.
    pub fn previous_output(&self) -> Option<&Path> {
        matches!(self.target.previous, Previous::Output { .. }).then_some(&*self.target.path)
    }

    /// How many bytes this build wrote (files linked unchanged not counted).
    pub fn written_bytes(&self) -> u64 {
        self.counts.written_bytes()
    }

    /// How many files this build wrote, and how many it linked unchanged
    /// from the previous output.
    pub fn written_and_kept(&self) -> (usize, usize) {
        self.counts.written_and_kept()
    }

    /// Puts the staging folder in the output's place in one step, then
    /// removes the previous output in the background.
    pub fn commit(mut self) -> Result<Cleanup, WriteError> {
        if let Some(check) = self.strangers.take() {
            let found = check.join().unwrap_or_else(|_| vec!["?".into()]);
            if !found.is_empty() {
                return Err(owner::strangers_refused(&self.target.path, &found));
            }
        }
        hook("staged");
        let target = self.target.path.clone();
        let cannot = |e: io::Error| {
            WriteError::system(
                format!("không thay được {}: {e}", target.display()),
                format!("cannot replace {}: {e}", target.display()),
            )
        };
        let old = match self.target.previous {
            Previous::Absent => {
                install(&self.dir, &target).map_err(cannot)?;
                None
            }
            Previous::Empty | Previous::Output { .. } => {
                Some(swap(&self.dir, &target, &self.target).map_err(cannot)?)
            }
        };
        self.committed = true;
        hook("swapped");
        let mut jobs = std::mem::take(&mut self.stale);
        if let Some(old) = old {
            jobs.push(std::thread::spawn(move || {
                let _ = fs::remove_dir_all(old);
            }));
        }
        Ok(Cleanup(jobs))
    }
}

/// Renames the staging folder to the output's absent place, refusing to
/// replace anything that appeared there meanwhile.
fn install(staging: &Path, target: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, target, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    fs::rename(staging, target)
}

/// Exchanges the staging folder and the output; returns where the previous
/// output now is.
fn swap(staging: &Path, target: &Path, t: &Target) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(staging.to_path_buf()),
            // A file system without the exchange: fall back to two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let old = t
        .parent()
        .join(format!("{}{}", prefixed(t, "old"), std::process::id()));
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    Ok(old)
}

/// Deals with what interrupted builds left beside the output: a moved-aside
/// output whose replacement never arrived is put back; other leftovers that
/// carry the marker are removed in the background; anything else is left
/// alone, with a note.
fn recover(target: &Target, notes: &mut Vec<String>) -> Vec<JoinHandle<()>> {
    let (tmp, old) = (prefixed(target, "tmp"), prefixed(target, "old"));
    let Ok(entries) = fs::read_dir(target.parent()) else {
        return Vec::new();
    };
    let mut leftovers: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with(&tmp) || n.starts_with(&old))
        .collect();
    leftovers.sort();
    let mut jobs = Vec::new();
    for (name, path) in leftovers {
        if !is_ours(&path) {
            notes.push(format!(
                "bỏ qua {} vì không phải thư mục do congkhai tạo / left {} alone: congkhai did not create it",
                path.display(),
                path.display()
            ));
            continue;
        }
        if name.starts_with(&old) && fs::symlink_metadata(&target.path).is_err() {
            if fs::rename(&path, &target.path).is_ok() {
                notes.push(format!(
                    "đã khôi phục đầu ra trước từ {} / restored the previous output from {}",
                    path.display(),
                    path.display()
                ));
            }
            continue;
        }
        jobs.push(std::thread::spawn(move || {
            let _ = fs::remove_dir_all(path);
        }));
    }
    jobs
}

/// The removal of the previous output and of leftovers, running in the background.
pub struct Cleanup(Vec<JoinHandle<()>>);

impl Cleanup {
    pub fn wait(self) {
        for h in self.0 {
            let _ = h.join();
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
        for h in self.stale.drain(..) {
            let _ = h.join();
        }
    }
}

impl Staging {
    /// Where the previous output holds `rel`, if every folder on the way is
    /// a real folder of it.
    fn reusable(&self, rel: &Path) -> Option<PathBuf> {
        let previous = self.previous_output()?;
        let mut seen = self.real_dirs.lock().ok()?;
        // From the top down, so that a folder is remembered only once every
        // folder above it was seen to be real.
        let dirs: Vec<&Path> = rel.ancestors().skip(1).collect();
        for dir in dirs.into_iter().rev() {
            if dir.as_os_str().is_empty() || seen.contains(dir) {
                continue;
            }
            if !fs::symlink_metadata(previous.join(dir)).is_ok_and(|m| m.is_dir()) {
                return None;
            }
            seen.insert(dir.to_path_buf());
        }
        Some(previous.join(rel))
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let (rel, full) = self.staged(path)?;
        if let Some(old) = self.reusable(&rel)
            && let Some(compared) = same_bytes(&old, bytes)
            && link_same(&old, &full, &compared)
        {
            self.counts.kept();
            return Ok(());
        }
        create_new(&full)?.write_all(bytes)?;
        self.counts.written(bytes.len() as u64);
        Ok(())
    }

    fn open(&self, path: &str) -> io::Result<Box<dyn super::Stream + '_>> {
        let (rel, full) = self.staged(path)?;
        let old = self.reusable(&rel);
        Ok(Box::new(Streamed::new(&self.counts, full, old)?))
    }
}

impl Staging {
    /// Where `path` goes in the staging folder (its folder made), and the
    /// same path relative to the output; refused if it could leave it.
    fn staged(&self, path: &str) -> io::Result<(PathBuf, PathBuf)> {
        let rel = safe_relative(path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {path:?}"),
            )
        })?;
        let full = self.dir.join(&rel);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok((rel, full))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder with a site in `site/`, and where its output goes.
    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir_all(t.path().join("site/content")).unwrap();
        let (site, out) = (t.path().join("site"), t.path().join("public"));
        (t, site, out)
    }

    /// A build that writes `files` and succeeds.
    fn publish(site: &Path, out: &Path, files: &[(&str, &[u8])]) {
        let s = Staging::begin(site, out).unwrap();
        for (path, bytes) in files {
            s.put(path, bytes).unwrap();
        }
        s.commit().unwrap().wait();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_build_leaves_the_output_intact_and_cleans_up() {
        let (t, site, out) = site();
        publish(&site, &out, &[("index.html", b"old")]);
        assert!(out.join(MARKER).is_file());
        {
            let s = Staging::begin(&site, &out).unwrap();
            s.put("index.html", b"new").unwrap();
            // dropped without commit: a failed build
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(names(t.path()), ["public", "site"]);
    }

    #[test]
    fn a_commit_replaces_the_previous_output_and_removes_it() {
        let (t, site, out) = site();
        for text in ["one", "two"] {
            let s = Staging::begin(&site, &out).unwrap();
            s.put("a/index.html", text.as_bytes()).unwrap();
            s.put(
                "SHA256SUMS",
                format!("{}  a/index.html\n", "0".repeat(64)).as_bytes(),
            )
            .unwrap();
            s.commit().unwrap().wait();
            assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), text);
        }
        assert_eq!(names(t.path()), ["public", "site"]);
    }

    /// A path written twice in one build replaces its link to the previous
    /// output instead of writing through it: the previous output, which a
    /// failed build keeps, is unchanged.
    #[test]
    fn writing_a_linked_path_again_leaves_the_previous_output_alone() {
        let (_t, site, out) = site();
        publish(&site, &out, &[("index.html", b"old")]);
        {
            let s = Staging::begin(&site, &out).unwrap();
            s.put("index.html", b"old").unwrap();
            assert_eq!(s.written_and_kept(), (0, 1));
            s.put("index.html", b"new").unwrap();
            // dropped without commit: a failed build
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }

    /// A previous output whose folder was replaced by a link to someone
    /// else's folder: the build compares and links nothing through it.
    #[cfg(unix)]
    #[test]
    fn reuse_never_reads_through_a_link_in_the_previous_output() {
        let (t, site, out) = site();
        publish(
            &site,
            &out,
            &[("a/index.html", b"same"), ("b/index.html", b"same")],
        );
        let theirs = t.path().join("theirs");
        fs::create_dir(&theirs).unwrap();
        fs::write(theirs.join("index.html"), "same").unwrap();
        fs::remove_dir_all(out.join("a")).unwrap();
        std::os::unix::fs::symlink(&theirs, out.join("a")).unwrap();
        let s = Staging::begin(&site, &out).unwrap();
        s.put("a/index.html", b"same").unwrap();
        s.put("b/index.html", b"same").unwrap();
        assert_eq!(s.written_and_kept(), (1, 1));
        let linked = fs::metadata(theirs.join("index.html")).unwrap();
        assert_eq!(std::os::unix::fs::MetadataExt::nlink(&linked), 1);
    }

    #[test]
    fn a_file_added_to_the_output_by_someone_else_stops_the_swap() {
        let (_t, site, out) = site();
        let s = Staging::begin(&site, &out).unwrap();
        s.put("index.html", b"x").unwrap();
        s.put(
            "SHA256SUMS",
            format!("{}  index.html\n", "0".repeat(64)).as_bytes(),
        )
        .unwrap();
        s.commit().unwrap().wait();
        fs::write(out.join("ghi-chu.txt"), "của tôi").unwrap();
        let s = Staging::begin(&site, &out).unwrap();
        s.put("index.html", b"y").unwrap();
        let Err(WriteError::Refused { en, .. }) = s.commit() else {
            panic!("refused")
        };
        assert!(en.contains("ghi-chu.txt"), "{en}");
        assert_eq!(
            fs::read_to_string(out.join("ghi-chu.txt")).unwrap(),
            "của tôi"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "x");
    }

    #[test]
    fn a_second_build_into_the_same_folder_is_refused() {
        let (_t, site, out) = site();
        let first = Staging::begin(&site, &out).unwrap();
        let second = Staging::begin(&site, &out);
        assert!(second.err().unwrap().text().1.contains("another build"));
        drop(first);
        assert!(Staging::begin(&site, &out).is_ok());
    }

    #[test]
    fn a_moved_aside_output_is_restored_and_foreign_leftovers_are_kept() {
        let (t, site, out) = site();
        // What two renames leave when the process dies between them.
        let aside = t.path().join(".public.old-99");
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(aside.join("index.html"), "the only copy").unwrap();
        // A folder that only looks like a leftover.
        let foreign = t.path().join(".public.tmp-7");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("x"), "not ours").unwrap();
        let s = Staging::begin(&site, &out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "the only copy"
        );
        assert!(
            s.notes.iter().any(|n| n.contains("restored")),
            "{:?}",
            s.notes
        );
        assert!(s.notes.iter().any(|n| n.contains("left")), "{:?}", s.notes);
        drop(s);
        assert_eq!(fs::read_to_string(foreign.join("x")).unwrap(), "not ours");
    }
}
