//! The **write** stage: files go into a staging folder next to the output,
//! which replaces the output only once the whole build has succeeded, and
//! only if the output folder is congkhai's to replace ([`owner`]). A failed
//! or interrupted build leaves the previous output untouched, and two builds
//! into the same folder are serialised by a lock ([`staging`]).

pub mod owner;
pub mod staging;

use std::io;
use std::path::{Component, Path, PathBuf};

pub use staging::{Cleanup, Staging, same_bytes};

/// Where rendered files go.
pub trait Sink: Sync {
    /// Stores `bytes` at `path`, relative to the site's output root.
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
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
}
