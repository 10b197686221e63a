//! Helpers shared by congkhai's unit tests (in the library) and its
//! integration tests (under `tests/`), which cannot use the library's
//! test-only code: one copier of fixture folders instead of two.

use std::path::Path;

/// Copies the folder `from` into `to`, recursively (fixtures are never
/// modified in place; a test edits its copy). Panics on any error: it is
/// for tests.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_copied_with_its_subfolders_and_files() {
        let from = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(from.path().join("a/b")).unwrap();
        std::fs::write(from.path().join("a/b/c.md"), "nội dung").unwrap();
        std::fs::write(from.path().join("d.toml"), "x = 1").unwrap();
        let to = tempfile::tempdir().unwrap();
        copy_dir(from.path(), &to.path().join("copy"));
        let read = |p: &str| std::fs::read_to_string(to.path().join("copy").join(p)).unwrap();
        assert_eq!(read("a/b/c.md"), "nội dung");
        assert_eq!(read("d.toml"), "x = 1");
    }
}
