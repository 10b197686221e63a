//! Source files and positions in them.
//!
//! Every value the loader reads keeps the byte range it came from, so that any
//! later stage can point a publisher at the exact line and column to fix.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The range moved by `offset` bytes (used for front matter, which starts
    /// after the opening `---` line).
    pub fn shifted(self, offset: usize) -> Self {
        Self::new(self.start as usize + offset, self.end as usize + offset)
    }
}

/// A content file read into memory, with the start of every line indexed.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site folder, as shown to the publisher.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

/// Where something was read from: the file's path, and the loaded file
/// for as long as the loader holds it.
///
/// Held weakly, so that what the model keeps does not keep the source text:
/// the loader holds every file while the site is read and checked (and
/// `serve` keeps them between edits), then a build lets them go — the text
/// of a million records is 2 GB. After that, the file is read again from the
/// site folder when it is needed.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Relative to the site folder, as shown to the publisher.
    pub path: PathBuf,
    file: Weak<SourceFile>,
}

impl Origin {
    pub fn new(file: &Arc<SourceFile>) -> Self {
        Origin {
            path: file.path.clone(),
            file: Arc::downgrade(file),
        }
    }

    /// The path with forward slashes, identical on every platform.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// The loaded file, or the file read again from the site folder `root`
    /// when the loader has let it go (empty when it cannot be read: a
    /// diagnostic then names the file without quoting it).
    pub fn file(&self, root: &Path) -> Arc<SourceFile> {
        self.file.upgrade().unwrap_or_else(|| {
            let text = read_text(&root.join(&self.path)).unwrap_or_default();
            Arc::new(SourceFile::new(self.path.clone(), text))
        })
    }

    /// The text at `range`, from the loaded file or read again from `root`,
    /// provided it still has the SHA-256 `sha256`: a page is never built
    /// from text other than what was checked.
    pub fn text(
        &self,
        root: &Path,
        range: Range<usize>,
        sha256: &[u8; 32],
    ) -> Result<Excerpt, Changed> {
        if let Some(file) = self.file.upgrade() {
            return Ok(Excerpt::Loaded(file, range));
        }
        // Compared as bytes, then copied once: bytes with the hash of
        // checked text are that text.
        let changed = || Changed(self.display_path());
        let bytes = read_bytes(&root.join(&self.path), Some(range.end)).ok_or_else(changed)?;
        let part = without_bom(&bytes).get(range).ok_or_else(changed)?;
        if sha256_of(part) != *sha256 {
            return Err(changed());
        }
        let text = simdutf8::basic::from_utf8(part).map_err(|_| changed())?;
        Ok(Excerpt::Read(text.to_owned()))
    }
}

/// A file's UTF-8 text as the loader decodes it (without a byte-order
/// mark), or `None` when it cannot be read or is not UTF-8.
fn read_text(path: &Path) -> Option<String> {
    let bytes = read_bytes(path, None)?;
    simdutf8::basic::from_utf8(without_bom(&bytes))
        .ok()
        .map(str::to_owned)
}

/// A file's bytes; with `len`, only up to `len` bytes after any byte-order
/// mark: a body is read up to its end, however large the file has grown.
fn read_bytes(path: &Path, len: Option<usize>) -> Option<Vec<u8>> {
    use std::io::Read;
    let limit = len.map_or(u64::MAX, |n| (n + BOM.len()) as u64);
    let mut bytes = Vec::with_capacity(len.map_or(0, |n| n + BOM.len()));
    std::fs::File::open(path)
        .and_then(|f| f.take(limit).read_to_end(&mut bytes))
        .ok()?;
    if let Some(n) = len {
        bytes.truncate(bytes.len() - without_bom(&bytes).len() + n);
    }
    Some(bytes)
}

/// The UTF-8 byte-order mark some editors write first.
const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// `bytes` without a leading byte-order mark: positions in a loaded file
/// count from after it.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Part of a source file: borrowed from the loaded file, or read again.
#[derive(Debug)]
pub enum Excerpt {
    Loaded(Arc<SourceFile>, Range<usize>),
    Read(String),
}

impl std::ops::Deref for Excerpt {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Excerpt::Loaded(file, range) => &file.text[range.clone()],
            Excerpt::Read(text) => text,
        }
    }
}

impl std::error::Error for Changed {}

/// Said as it is, by the stages whose errors are text.
impl From<Changed> for String {
    fn from(c: Changed) -> String {
        c.to_string()
    }
}

/// A source file that changed, or went, between its check and its use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed(pub String);

impl std::fmt::Display for Changed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: tệp đã thay đổi hoặc bị xoá trong lúc dựng; hãy dựng lại / the file changed or was removed during the build; build again",
            self.0
        )
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Self {
            path,
            text,
            line_starts,
        }
    }

    /// The path with forward slashes, identical on every platform.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// Line and column of a byte offset.
    pub fn line_col(&self, byte: usize) -> LineCol {
        let byte = byte.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&s| s as usize <= byte)
            .saturating_sub(1);
        let start = self.line_starts[line] as usize;
        let column = self
            .text
            .get(start..byte)
            .map_or(byte - start, |s| s.chars().count());
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// Byte range of a 1-based line, without its line break.
    pub fn line_range(&self, line: u32) -> Range<usize> {
        let idx = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(idx) else {
            return self.text.len()..self.text.len();
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        let line_text = &self.text[start as usize..end];
        let trimmed = line_text.trim_end_matches(['\n', '\r']).len();
        start as usize..start as usize + trimmed
    }

    /// Byte offset of a 1-based line and a 0-based character column, as the
    /// YAML parser reports positions.
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let range = self.line_range(u32::try_from(line).unwrap_or(u32::MAX));
        let text = &self.text[range.clone()];
        let within = first_chars(text, char_col).len();
        range.start + within
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// The first `n` characters of a text (all of it if shorter). Positions
/// from the YAML parser, search shard keys, excerpts and feed summaries all
/// count characters, not bytes.
pub fn first_chars(text: &str, n: usize) -> &str {
    // Mostly plain ASCII (keys, indentation, folded terms), where a
    // character is a byte.
    if text.as_bytes().get(..n).is_some_and(<[u8]>::is_ascii) {
        return &text[..n];
    }
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// Bytes as lowercase hex (digests in manifests, logs and pages).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha256_of(bytes))
}

/// The SHA-256 of `bytes`.
pub fn sha256_of(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// A path shown to people: relative, with forward slashes.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a.md".into(), "ab\nkỷ luật: x\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        let colon = f.text.find(':').unwrap();
        assert_eq!(f.line_col(colon), LineCol { line: 2, column: 8 });
        assert_eq!(&f.text[f.line_range(2)], "kỷ luật: x");
        assert_eq!(f.offset_of(2, 7), colon);
    }

    #[test]
    fn first_chars_counts_characters_not_bytes() {
        assert_eq!(first_chars("Kết luận", 3), "Kết");
        assert_eq!(first_chars("Kết luận", 8), "Kết luận");
        assert_eq!(first_chars("Kết luận", 100), "Kết luận");
        assert_eq!(first_chars("", 3), "");
        assert_eq!(first_chars("abc", 0), "");
        assert_eq!(first_chars("abcd", 2), "ab");
    }

    /// A file loaded from `dir`, with the range and hash of its body.
    fn loaded(dir: &Path, bytes: &[u8]) -> (Arc<SourceFile>, Range<usize>, [u8; 32]) {
        std::fs::write(dir.join("kl-1.md"), bytes).unwrap();
        let text = read_text(&dir.join("kl-1.md")).unwrap();
        let body = text.find("Kết").unwrap()..text.len();
        let sha = sha256_of(text[body.clone()].as_bytes());
        (Arc::new(SourceFile::new("kl-1.md".into(), text)), body, sha)
    }

    #[test]
    fn text_is_taken_from_the_loaded_file_then_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = "\u{feff}---\nid: kl-1\n---\nKết luận số 12.\n".as_bytes();
        let (file, body, sha) = loaded(dir.path(), bytes);
        let origin = Origin::new(&file);
        let held = origin.text(dir.path(), body.clone(), &sha).unwrap();
        assert!(matches!(held, Excerpt::Loaded(..)));
        assert_eq!(&*held, "Kết luận số 12.\n");
        drop((held, file));
        // Gone from memory: read again, past the byte-order mark, as loaded.
        let again = origin.text(dir.path(), body.clone(), &sha).unwrap();
        assert!(matches!(again, Excerpt::Read(_)));
        assert_eq!(&*again, "Kết luận số 12.\n");
        assert_eq!(
            origin.file(dir.path()).text[body.clone()].to_string(),
            *again
        );
        // Text added after the check is not published unchecked: the body
        // is read as checked, up to its end.
        let mut grown = bytes.to_vec();
        grown.extend_from_slice("Thêm sau khi kiểm tra.\n".as_bytes());
        std::fs::write(dir.path().join("kl-1.md"), grown).unwrap();
        assert_eq!(
            &*origin.text(dir.path(), body, &sha).unwrap(),
            "Kết luận số 12.\n"
        );
    }

    #[test]
    fn a_file_changed_or_removed_since_it_was_checked_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (file, body, sha) = loaded(dir.path(), "---\n---\nKết luận số 12.\n".as_bytes());
        let origin = Origin::new(&file);
        drop(file);
        // Same length, other text: the hash tells.
        std::fs::write(dir.path().join("kl-1.md"), "---\n---\nKết luận số 13.\n").unwrap();
        let changed = origin.text(dir.path(), body.clone(), &sha).unwrap_err();
        assert_eq!(changed, Changed("kl-1.md".into()));
        assert!(changed.to_string().contains("build again"));
        std::fs::write(dir.path().join("kl-1.md"), "---\n---\n").unwrap();
        assert!(
            origin.text(dir.path(), body.clone(), &sha).is_err(),
            "shorter"
        );
        std::fs::remove_file(dir.path().join("kl-1.md")).unwrap();
        assert!(origin.text(dir.path(), body, &sha).is_err(), "removed");
        assert_eq!(origin.file(dir.path()).text, "", "named, not quoted");
    }

    #[test]
    fn out_of_range_is_clamped() {
        let f = SourceFile::new("a.md".into(), "x".into());
        assert_eq!(f.line_col(99), LineCol { line: 1, column: 2 });
        assert_eq!(f.line_range(7), 1..1);
    }
}
