//! Reusing the previous output's files. A file whose bytes are those of
//! the previous output's file at the same path is not written again: the
//! old file is hard-linked in its place, so an unchanged page keeps its date
//! and costs neither a write nor a second copy's space.
//!
//! A file written whole ([`Sink::put`]) is compared with the old one first
//! ([`same_bytes`]). A file written piece by piece ([`Sink::open`], the open
//! data: a gigabyte at a million records, whose holding whole was most of a
//! build's memory) is compared as it comes ([`Streamed`]): while the pieces
//! match, nothing is written; at the first difference the new file is made,
//! the part that matched copied from the old file (through the very handle
//! that was compared, and refused if that file was modified meanwhile), and
//! the rest written straight through.
//!
//! [`Sink::put`]: super::Sink::put
//! [`Sink::open`]: super::Sink::open

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::Stream;

/// How many files a build wrote, and how many it linked unchanged.
#[derive(Default)]
pub struct Counts {
    written: AtomicUsize,
    written_bytes: AtomicU64,
    kept: AtomicUsize,
}

impl Counts {
    pub fn written(&self, len: u64) {
        self.written.fetch_add(1, Ordering::Relaxed);
        self.written_bytes.fetch_add(len, Ordering::Relaxed);
    }

    pub fn kept(&self) {
        self.kept.fetch_add(1, Ordering::Relaxed);
    }

    pub fn written_bytes(&self) -> u64 {
        self.written_bytes.load(Ordering::Relaxed)
    }

    pub fn written_and_kept(&self) -> (usize, usize) {
        (
            self.written.load(Ordering::Relaxed),
            self.kept.load(Ordering::Relaxed),
        )
    }
}

/// Creates a new file at `path`. A file already there (a path written
/// twice) is unlinked first rather than truncated: it may be a link to the
/// previous output's file, which a failed build must leave as it was.
pub fn create_new(path: &Path) -> io::Result<File> {
    let create = || File::options().write(true).create_new(true).open(path);
    match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            create()
        }
        other => other,
    }
}

/// The previous output's file at `old`, opened, if it is a plain file (not
/// a link to something else) of the length wanted if one is, with the
/// identity of what was opened.
pub fn open_previous(old: &Path, len: Option<u64>) -> Option<(File, fs::Metadata)> {
    let meta = fs::symlink_metadata(old).ok()?;
    if !meta.is_file() || len.is_some_and(|len| len != meta.len()) {
        return None;
    }
    let file = File::open(old).ok()?;
    let opened = file.metadata().ok()?;
    opened.is_file().then_some((file, opened))
}

/// Whether the previous output holds exactly `bytes` at `old`, as a plain
/// file: returns that file's identity if so. A file of the previous output
/// is reused only when its bytes are compared, not on the word of its
/// manifest: someone may have edited it since.
pub fn same_bytes(old: &Path, bytes: &[u8]) -> Option<fs::Metadata> {
    use std::io::Read;
    let (mut file, opened) = open_previous(old, Some(bytes.len() as u64))?;
    let mut buf = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut buf).ok()? {
            0 => return rest.is_empty().then_some(opened),
            n if n <= rest.len() && buf[..n] == rest[..n] => rest = &rest[n..],
            _ => return None,
        }
    }
}

/// Links `old` (whose bytes were compared, see [`same_bytes`]) as `new`.
/// The link shares the file, so an unchanged page keeps its date and costs
/// neither a write nor a second copy's space, and the output stays
/// byte-identical to a clean build. The link must turn out to be the very
/// file that was compared: if `old` was swapped for another file or a
/// symbolic link meanwhile, the link is taken back and nothing is reused.
pub fn link_same(old: &Path, new: &Path, compared: &fs::Metadata) -> bool {
    if fs::hard_link(old, new).is_err() {
        return false;
    }
    let linked = fs::symlink_metadata(new);
    if linked.is_ok_and(|m| m.is_file() && same_file(&m, compared)) {
        return true;
    }
    let _ = fs::remove_file(new);
    false
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Without inode numbers the identity cannot be confirmed: never reuse.
#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// The previous output's file being compared, while every byte matched.
struct Old {
    path: PathBuf,
    file: File,
    meta: fs::Metadata,
}

pub struct Streamed<'a> {
    counts: &'a Counts,
    full: PathBuf,
    old: Option<Old>,
    /// The new file, once its bytes differ from the old one's (or there is
    /// no old one).
    new: Option<File>,
    len: u64,
    scratch: Vec<u8>,
}

impl<'a> Streamed<'a> {
    /// A file at `full` in the staging folder; `old` is where the previous
    /// output holds the same path, if it may be reused.
    pub(super) fn new(counts: &'a Counts, full: PathBuf, old: Option<PathBuf>) -> io::Result<Self> {
        let old = old.filter(|_| cfg!(unix)).and_then(|path| {
            open_previous(&path, None).map(|(file, meta)| Old { path, file, meta })
        });
        let new = match old {
            Some(_) => None,
            None => Some(create_new(&full)?),
        };
        Ok(Streamed {
            counts,
            full,
            old,
            new,
            len: 0,
            scratch: Vec::new(),
        })
    }

    /// Whether the old file holds `buf` at the current length.
    fn matches(&mut self, buf: &[u8]) -> bool {
        let Some(old) = &self.old else {
            return false;
        };
        self.scratch.resize(buf.len(), 0);
        read_at(&old.file, &mut self.scratch, self.len).is_ok() && self.scratch == buf
    }

    /// The new file, made now if it was not: the bytes that matched so far
    /// are copied into it from the old file.
    fn diverge(&mut self) -> io::Result<&mut File> {
        if self.new.is_none() {
            let mut new = create_new(&self.full)?;
            if let Some(old) = self.old.take() {
                copy_prefix(&old, self.len, &mut new)?;
            }
            self.new = Some(new);
        }
        Ok(self.new.as_mut().expect("made above"))
    }
}

impl Write for Streamed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.new.is_none() && self.matches(buf) {
            self.len += buf.len() as u64;
            return Ok(buf.len());
        }
        self.diverge()?.write_all(buf)?;
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.new.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Stream for Streamed<'_> {
    fn finish(mut self: Box<Self>) -> io::Result<u64> {
        if let Some(old) = &self.old
            && old.meta.len() == self.len
            && unchanged(old)
            && link_same(&old.path, &self.full, &old.meta)
        {
            self.counts.kept();
            return Ok(self.len);
        }
        self.diverge()?.flush()?;
        self.counts.written(self.len);
        Ok(self.len)
    }
}

/// Whether the old file is as it was when it was opened: someone editing
/// the previous output meanwhile changes its time or length.
fn unchanged(old: &Old) -> bool {
    old.file.metadata().is_ok_and(|now| {
        now.len() == old.meta.len() && now.modified().ok() == old.meta.modified().ok()
    })
}

/// Copies the first `len` bytes of the old file, which were compared, into
/// `new`; refused if the old file changed since it was opened.
fn copy_prefix(old: &Old, len: u64, new: &mut File) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    let mut at = 0u64;
    while at < len {
        let n = buf.len().min((len - at) as usize);
        read_at(&old.file, &mut buf[..n], at)?;
        new.write_all(&buf[..n])?;
        at += n as u64;
    }
    if unchanged(old) {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "{} đã bị sửa trong khi dựng; hãy dựng lại / was modified during the build; build again",
        old.path.display()
    )))
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

/// Never called: without inode numbers nothing is reused ([`Streamed::new`]).
#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Streams `pieces` into `new`, comparing with `old`; the length.
    fn stream(counts: &Counts, new: &Path, old: &Path, pieces: &[&[u8]]) -> io::Result<u64> {
        let streamed = Streamed::new(counts, new.to_path_buf(), Some(old.to_path_buf()))?;
        let mut w: Box<dyn Stream> = Box::new(streamed);
        for p in pieces {
            w.write_all(p)?;
        }
        w.finish()
    }

    /// A previous output and a staging folder side by side.
    fn folders() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let (old, new) = (t.path().join("old"), t.path().join("new"));
        fs::create_dir(&old).unwrap();
        fs::create_dir(&new).unwrap();
        (t, old, new)
    }

    #[cfg(unix)]
    fn inode(p: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::symlink_metadata(p).unwrap())
    }

    /// Unchanged bytes, in whatever pieces, link the previous file; a file
    /// that differs anywhere — at its start, inside, in length — is written
    /// whole and right; the previous files are left as they were.
    #[cfg(unix)]
    #[test]
    fn unchanged_streams_are_linked_and_changed_ones_written_whole() {
        let (_t, old, new) = folders();
        /// A path, the pieces streamed into it, and the file they make.
        type Case<'a> = (&'a str, &'a [&'a [u8]], &'a [u8]);
        let cases: [Case; 6] = [
            ("same.json", &[b"abc", b"defg", b"hij"], b"abcdefghij"),
            ("inside.json", &[b"abcd", b"eXg", b"hij"], b"abcdeXghij"),
            ("start.json", &[b"X", b"bcdefghij"], b"Xbcdefghij"),
            ("longer.json", &[b"abcdefghij", b"k"], b"abcdefghijk"),
            ("shorter.json", &[b"abcdefghi"], b"abcdefghi"),
            ("none-before.json", &[b"fresh"], b"fresh"),
        ];
        for (path, ..) in &cases[..5] {
            fs::write(old.join(path), b"abcdefghij").unwrap();
        }
        let counts = Counts::default();
        for (path, pieces, want) in cases {
            let len = stream(&counts, &new.join(path), &old.join(path), pieces).unwrap();
            assert_eq!(len, want.len() as u64, "{path}");
            assert_eq!(fs::read(new.join(path)).unwrap(), want, "{path}");
        }
        assert_eq!(counts.written_and_kept(), (5, 1));
        for (path, ..) in &cases[..5] {
            assert_eq!(fs::read(old.join(path)).unwrap(), b"abcdefghij", "{path}");
        }
        assert_eq!(inode(&new.join("same.json")), inode(&old.join("same.json")));
        assert_ne!(
            inode(&new.join("inside.json")),
            inode(&old.join("inside.json"))
        );
    }

    /// A path streamed twice in one build, first linked to the previous
    /// file, then changed: the link is replaced, never written through.
    #[cfg(unix)]
    #[test]
    fn a_linked_path_streamed_again_leaves_the_previous_file_alone() {
        let (_t, old, new) = folders();
        fs::write(old.join("a.csv"), "one,two").unwrap();
        let counts = Counts::default();
        stream(
            &counts,
            &new.join("a.csv"),
            &old.join("a.csv"),
            &[b"one,two"],
        )
        .unwrap();
        stream(&counts, &new.join("a.csv"), &old.join("a.csv"), &[b"three"]).unwrap();
        assert_eq!(counts.written_and_kept(), (1, 1));
        assert_eq!(fs::read_to_string(old.join("a.csv")).unwrap(), "one,two");
        assert_eq!(fs::read_to_string(new.join("a.csv")).unwrap(), "three");
    }

    /// A previous file replaced by a link to someone else's file is neither
    /// read through nor linked: the new file is written, theirs untouched.
    #[cfg(unix)]
    #[test]
    fn a_link_in_the_previous_output_is_not_followed() {
        let (t, old, new) = folders();
        let theirs = t.path().join("theirs.json");
        fs::write(&theirs, "same").unwrap();
        std::os::unix::fs::symlink(&theirs, old.join("a.json")).unwrap();
        let counts = Counts::default();
        stream(
            &counts,
            &new.join("a.json"),
            &old.join("a.json"),
            &[b"sa", b"me"],
        )
        .unwrap();
        assert_eq!(counts.written_and_kept(), (1, 0));
        assert!(fs::symlink_metadata(new.join("a.json")).unwrap().is_file());
        assert_eq!(fs::read_to_string(&theirs).unwrap(), "same");
        assert!(
            fs::symlink_metadata(old.join("a.json"))
                .unwrap()
                .is_symlink()
        );
    }

    /// The previous file edited in place while the new one matched it so
    /// far: what matched cannot be trusted, so the file is refused.
    #[cfg(unix)]
    #[test]
    fn a_previous_file_edited_during_the_build_is_refused() {
        let (_t, old, new) = folders();
        fs::write(old.join("a.csv"), "one,two,three").unwrap();
        let counts = Counts::default();
        let streamed = Streamed::new(&counts, new.join("a.csv"), Some(old.join("a.csv")));
        let mut w = streamed.unwrap();
        w.write_all(b"one,").unwrap();
        let edited = fs::OpenOptions::new().append(true).open(old.join("a.csv"));
        edited.unwrap().write_all(b",four").unwrap();
        let e = w
            .write_all(b"TWO")
            .expect_err("a file edited meanwhile is refused");
        assert!(e.to_string().contains("modified during the build"), "{e}");
    }
}
