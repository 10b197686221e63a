//! Rows of the open data as the change log compares them: by key and by
//! the digest of their line, their text read or made only where digests
//! differ. Both sides implement [`Rows`]: what was published before
//! ([`super::previous`]) and what this build publishes ([`super::lines`]).

use std::path::{Path, PathBuf};

/// The first half of a row's SHA-256: rows are compared by digest, and
/// their text read only where they differ (holding every previous row's
/// text took 3 GB at a million records).
pub type Digest = [u8; 16];

/// The digest of a row's line.
pub fn digest(line: &str) -> Digest {
    let full = crate::source::sha256_of(line.as_bytes());
    let mut d = [0u8; 16];
    d.copy_from_slice(&full[..16]);
    d
}

/// Rows of one record type (each a JSON object on one line), sorted by
/// key, each key once: compared by digest, their text made or read only
/// where the digests differ.
pub trait Rows {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn key(&self, i: usize) -> &str;
    fn digest(&self, i: usize) -> Digest;
    fn line(&self, i: usize) -> Result<String, Unusable>;
}

/// No rows: a record type the previous output had no file for.
pub struct NoRows;

impl Rows for NoRows {
    fn len(&self) -> usize {
        0
    }

    fn key(&self, _: usize) -> &str {
        ""
    }

    fn digest(&self, _: usize) -> Digest {
        [0; 16]
    }

    fn line(&self, _: usize) -> Result<String, Unusable> {
        Ok(String::new())
    }
}

/// Why the previous output cannot be compared with.
#[derive(Debug)]
pub struct Unusable {
    pub file: PathBuf,
    pub vi: String,
    pub en: String,
}

impl Unusable {
    pub fn changed(file: &Path) -> Self {
        Unusable {
            file: file.to_path_buf(),
            vi: "tệp đã đổi trong khi dựng; hãy dựng lại".into(),
            en: "the file changed during the build; build again".into(),
        }
    }
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} / {}", self.file.display(), self.vi, self.en)
    }
}
