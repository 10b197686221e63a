//! Helpers for the unit tests of every stage: a copy of a fixture site in a
//! temporary folder, so that a test can edit it.

use std::path::{Path, PathBuf};

/// The valid fixture site, `tests/fixtures/valid`.
pub fn valid_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid")
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the valid fixture site in a temporary folder.
pub fn valid_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&valid_fixture(), dir.path());
    dir
}
