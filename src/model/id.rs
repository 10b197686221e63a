//! Record ids: they become addresses (`/ket-luan/<id>/`) and file names, so
//! they are restricted to characters that are safe and stable in both.

use serde::Serialize;

/// A validated id: lower-case ASCII letters, digits, `-`, `_` and `.`,
/// starting with a letter or digit, at most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl Id {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_valid(text: &str) -> bool {
        !text.is_empty()
            && text.len() <= 100
            && text.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && text.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
            })
            && !text.contains("..")
            && !OUTPUT_EXTENSIONS
                .iter()
                .any(|e| text.rsplit_once('.').is_some_and(|(_, ext)| ext == *e))
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Endings of the files a build writes: an id ending so (`index.html`)
/// would name a file where the record's folder must be.
const OUTPUT_EXTENSIONS: &[&str] = &[
    "html", "htm", "xml", "json", "jsonl", "csv", "txt", "js", "css", "svg", "wasm", "pub",
    "minisig", "gz", "conf",
];

/// Path segments under `/ket-luan/`, `/kien-nghi/` and `/ky-luat/` that name
/// lists rather than records: no record may take these ids.
pub const RESERVED: &[&str] = &[
    "nam",
    "linh-vuc",
    "co-quan",
    "trang",
    "hinh-thuc",
    "loai",
    "trang-thai",
    "qua-han",
    "en",
];

/// A suggested id for a name: folded, lower case, words joined by `-`.
pub fn slug(text: &str) -> String {
    congkhai_fold::fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe_path_segments() {
        assert!(Id::is_valid("kl-2025-015"));
        assert!(Id::is_valid("thanh-tra-tinh"));
        assert!(Id::is_valid("kl-2025.015"));
        for bad in [
            "",
            "..",
            "../x",
            "a/b",
            "a\\b",
            "Kl",
            "kết-luận",
            "-x",
            ".x",
            "a b",
            "a\0b",
            "x..y",
            "index.html",
            "bao-cao.json",
        ] {
            assert!(!Id::is_valid(bad), "{bad:?}");
        }
        assert_eq!(slug("Thanh tra tỉnh Đông Lâm"), "thanh-tra-tinh-dong-lam");
    }
}
