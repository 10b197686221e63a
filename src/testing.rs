//! Helpers for the unit tests of every stage: a copy of a fixture site in a
//! temporary folder, so that a test can edit it.

use std::path::{Path, PathBuf};

use congkhai_testkit::copy_dir;

/// The valid fixture site, `tests/fixtures/valid`.
pub fn valid_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid")
}

/// A copy of the valid fixture site in a temporary folder.
pub fn valid_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&valid_fixture(), dir.path());
    dir
}
