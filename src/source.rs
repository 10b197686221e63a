//! Source files and positions in them.
//!
//! Every value the loader reads keeps the byte range it came from, so that any
//! later stage can point a publisher at the exact line and column to fix.

use std::ops::Range;
use std::path::{Path, PathBuf};

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

/// A path shown to people: relative, with forward slashes.
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
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

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

    #[test]
    fn out_of_range_is_clamped() {
        let f = SourceFile::new("a.md".into(), "x".into());
        assert_eq!(f.line_col(99), LineCol { line: 1, column: 2 });
        assert_eq!(f.line_range(7), 1..1);
    }
}
