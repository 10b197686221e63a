//! The **write** stage: files go into a staging folder next to the output,
//! which replaces the output only once the whole build has succeeded, and
//! only if the output folder is congkhai's to replace ([`owner`]). A failed
//! or interrupted build leaves the previous output untouched, and two builds
//! into the same folder are serialised by a lock ([`staging`]).

pub mod owner;
mod reuse;
pub mod staging;

use std::io;
use std::path::{Component, Path, PathBuf};

pub use reuse::same_bytes;
pub use staging::{Cleanup, Staging};

/// Where rendered files go.
pub trait Sink: Sync {
    /// Stores `bytes` at `path`, relative to the site's output root.
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Opens `path` to be written piece by piece, for files too large to
    /// hold whole: at a million records one open-data file is a gigabyte.
    /// The file is stored when [`Stream::finish`] returns. A sink that has
    /// no better way gathers the pieces and stores them with [`Sink::put`].
    fn open(&self, path: &str) -> io::Result<Box<dyn Stream + '_>> {
        Ok(Box::new(Gathered {
            sink: self,
            path: path.to_string(),
            bytes: Vec::new(),
        }))
    }
}

/// A file being written into a [`Sink`].
pub trait Stream: io::Write {
    /// Stores the file; returns its length in bytes. A stream dropped
    /// without `finish` stores nothing that a build would publish.
    fn finish(self: Box<Self>) -> io::Result<u64>;
}

/// The pieces of a file, stored whole when finished.
struct Gathered<'a, S: Sink + ?Sized> {
    sink: &'a S,
    path: String,
    bytes: Vec<u8>,
}

impl<S: Sink + ?Sized> io::Write for Gathered<'_, S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<S: Sink + ?Sized> Stream for Gathered<'_, S> {
    fn finish(self: Box<Self>) -> io::Result<u64> {
        self.sink.put(&self.path, &self.bytes)?;
        Ok(self.bytes.len() as u64)
    }
}

/// A stream passed through to another, for sinks that wrap a sink to count
/// what goes through it: `then` hears the length once the file is stored.
pub struct Then<'a> {
    inner: Box<dyn Stream + 'a>,
    then: Box<dyn FnOnce(u64) + 'a>,
}

impl<'a> Then<'a> {
    pub fn new(inner: Box<dyn Stream + 'a>, then: impl FnOnce(u64) + 'a) -> Box<Self> {
        Box::new(Then {
            inner,
            then: Box::new(then),
        })
    }
}

impl io::Write for Then<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl Stream for Then<'_> {
    fn finish(self: Box<Self>) -> io::Result<u64> {
        let len = self.inner.finish()?;
        (self.then)(len);
        Ok(len)
    }
}

/// An error of writing `path`, saying which file it was.
pub fn named(path: &str, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{path}: {e}"))
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder is not congkhai's to replace: a usage error, with
    /// what to do instead.
    Refused {
        vi: String,
        en: String,
        hint_vi: String,
        hint_en: String,
    },
    /// The machine could not do it (a full disk, no permission).
    System { vi: String, en: String },
}

impl WriteError {
    pub fn system(vi: impl Into<String>, en: impl Into<String>) -> Self {
        WriteError::System {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The message in Vietnamese and English.
    pub fn text(&self) -> (&str, &str) {
        match self {
            WriteError::Refused { vi, en, .. } | WriteError::System { vi, en } => (vi, en),
        }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (vi, en) = self.text();
        write!(f, "{vi} / {en}")
    }
}

/// Test hooks at named points of a build or a deploy, so that tests wait on events
/// instead of guessing with sleeps: `CONGKHAI_TEST_HOOK=crash:staged` aborts
/// there, as a power cut would; `hold:staged` says so on stderr and waits
/// until standard input is closed.
pub fn hook(point: &str) {
    let Some(hook) = std::env::var_os("CONGKHAI_TEST_HOOK") else {
        return;
    };
    let hook = hook.to_string_lossy();
    match hook.split_once(':') {
        Some(("crash", p)) if p == point => std::process::abort(),
        Some(("hold", p)) if p == point => {
            eprintln!("congkhai-test-hook: held at {point}");
            let _ = io::Read::read_to_end(&mut io::stdin(), &mut Vec::new());
        }
        _ => {}
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

/// Files by their path relative to the output root.
pub type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// Output kept in memory (for `serve` and tests).
#[derive(Default)]
pub struct Memory {
    pub files: std::sync::Mutex<Files>,
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
}
