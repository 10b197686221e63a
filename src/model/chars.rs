//! Characters that published text must not carry.
//!
//! Control characters (NUL, ESC, `\x01`…) make every Atom feed malformed
//! XML and reach pages as invisible bytes; bidirectional overrides (U+202E)
//! make a title read differently from what it says; zero-width characters
//! split words so that search and the privacy lint miss them. The first two
//! are errors; zero-width characters are removed, with a warning.

use crate::diag::Code;

/// What is wrong with one character of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A C0 or C1 control character other than tab and line breaks.
    Control,
    /// A character that reorders the text around it when displayed.
    Bidi,
    /// A character of no width, removed from the text.
    ZeroWidth,
}

impl Problem {
    pub fn code(self) -> Code {
        match self {
            Problem::Control => Code::ControlCharacter,
            Problem::Bidi => Code::BidiCharacter,
            Problem::ZeroWidth => Code::ZeroWidthCharacter,
        }
    }

    pub fn is_error(self) -> bool {
        self != Problem::ZeroWidth
    }

    /// What the character is, in both languages.
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Problem::Control => ("ký tự điều khiển", "a control character"),
            Problem::Bidi => (
                "ký tự đảo chiều hiển thị (có thể dùng để giả mạo nội dung)",
                "a bidirectional override (it can make text read differently from what it says)",
            ),
            Problem::ZeroWidth => ("ký tự không độ rộng", "a zero-width character"),
        }
    }
}

/// The problem with `c`, if any. Tab, line feed and carriage return are
/// ordinary white space.
pub fn problem(c: char) -> Option<Problem> {
    match c {
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some(Problem::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
            Some(Problem::Bidi)
        }
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {
            Some(Problem::ZeroWidth)
        }
        _ => None,
    }
}

/// Every character of `text` with a problem, with its byte offset.
pub fn scan(text: &str) -> Vec<(usize, char, Problem)> {
    // Every character above is a byte below 0x20 or 0x7f, or starts with
    // 0xC2 (U+0080–U+00BF), 0xE2 (U+2000–U+2FFF) or 0xEF (U+FEFF); a text
    // without those bytes — most Vietnamese text — needs no closer look.
    let suspect = |b: &u8| {
        (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || matches!(b, 0x7f | 0xC2 | 0xE2 | 0xEF)
    };
    if !text.as_bytes().iter().any(suspect) {
        return Vec::new();
    }
    text.char_indices()
        .filter_map(|(i, c)| problem(c).map(|p| (i, c, p)))
        .collect()
}

/// The text without its zero-width characters.
pub fn without_zero_width(text: &str) -> String {
    text.chars()
        .filter(|c| problem(*c) != Some(Problem::ZeroWidth))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_zero_width_are_found() {
        assert!(scan("Kết luận 15/KL-TTr\tngày 12/6\r\n").is_empty());
        let found: Vec<Problem> = scan("a\u{1}b\u{1b}c\0d\u{85}e")
            .into_iter()
            .map(|(_, _, p)| p)
            .collect();
        assert_eq!(found, vec![Problem::Control; 4]);
        assert_eq!(scan("abc\u{202E}fdp.exe")[0].2, Problem::Bidi);
        assert_eq!(
            scan("Đảng\u{200B}ủy")[0],
            ("Đảng".len(), '\u{200B}', Problem::ZeroWidth)
        );
        assert_eq!(without_zero_width("Đảng\u{200B}ủy\u{FEFF}"), "Đảngủy");
    }
}
