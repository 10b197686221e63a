//! The text of a CSV file as offices save it: UTF-8 with or without a BOM,
//! UTF-16 (Excel's "Unicode text"), or Windows-1258 (Vietnamese Windows),
//! with fields separated by `,`, `;` (Excel in a Vietnamese locale) or tabs.

use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

use crate::diag::{Code, Diagnostic, Severity, msg};
use crate::source::SourceFile;

/// Letters only Vietnamese text has, to tell Windows-1258 from another
/// legacy encoding (TCVN3 and VNI decode to nonsense in Windows-1258).
const VIETNAMESE: &str = "ăâđêôơưĂÂĐÊÔƠƯ\u{300}\u{301}\u{303}\u{309}\u{323}";

/// The text of a CSV file, converted to UTF-8 when it was UTF-16 or
/// Windows-1258 (with a note saying so), or `None` with an error naming
/// what to do.
pub fn decode(rel: &Path, bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Option<SourceFile> {
    let shown = rel.display().to_string();
    let note = |from: &str| {
        Diagnostic::for_path(
            Severity::Warning,
            Code::Encoding,
            &shown,
            msg(
                format!("Tệp mã hóa {from}; đã đọc và chuyển sang UTF-8"),
                format!("the file is encoded in {from}; it was read and converted to UTF-8"),
            ),
        )
    };
    let (encoding, skip) = match Encoding::for_bom(bytes) {
        Some((e, n)) if e == UTF_16LE || e == UTF_16BE => (Some(e), n),
        Some((_, n)) => (None, n),
        None => (None, 0),
    };
    let body = &bytes[skip..];
    let binary = |text: &str| {
        text.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    };
    if let Some(e) = encoding {
        let (text, _) = e.decode_without_bom_handling(body);
        diags.push(note(e.name()));
        return Some(SourceFile::new(rel.to_path_buf(), text.into_owned()));
    }
    if let Ok(text) = std::str::from_utf8(body)
        && !binary(text)
    {
        return Some(SourceFile::new(rel.to_path_buf(), text.to_owned()));
    }
    let (text, _, bad) = WINDOWS_1258.decode(body);
    if binary(&text) {
        diags.push(Diagnostic::for_path(
            Severity::Error,
            Code::Encoding,
            &shown,
            msg(
                "Tệp không phải bảng tính (.xlsx, .xls, .ods) cũng không phải tệp CSV",
                "the file is neither a spreadsheet (.xlsx, .xls, .ods) nor a CSV file",
            ),
        ));
        return None;
    }
    if !bad && text.chars().any(|c| VIETNAMESE.contains(c)) {
        diags.push(note("Windows-1258"));
        return Some(SourceFile::new(rel.to_path_buf(), text.nfc().collect()));
    }
    diags.push(
        Diagnostic::for_path(
            Severity::Error,
            Code::Encoding,
            &shown,
            msg(
                "Tệp không phải văn bản UTF-8, UTF-16 hay Windows-1258 (có thể là TCVN3/ABC hoặc VNI)",
                "the file is not UTF-8, UTF-16 or Windows-1258 text (it may be TCVN3/ABC or VNI)",
            ),
        )
        .hint(msg(
            "Mở tệp bằng Excel rồi lưu lại dạng \"CSV UTF-8\" hoặc .xlsx; với phông TCVN3/VNI, chuyển mã sang Unicode trước (Unikey: Công cụ chuyển mã)",
            "Open it in Excel and save it again as \"CSV UTF-8\" or .xlsx; for TCVN3/VNI fonts, convert to Unicode first (Unikey's converter)",
        )),
    );
    None
}

/// The field separator of CSV text: of `,`, `;` and tab, the one that
/// appears most on the first lines (outside quotes), `,` on a tie.
pub fn delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    for line in text.lines().take(20) {
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => counts[0] += 1,
                ';' if !quoted => counts[1] += 1,
                '\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> (Option<String>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let text = decode(Path::new("a.csv"), bytes, &mut diags).map(|f| f.text);
        (text, diags)
    }

    #[test]
    fn utf8_with_or_without_bom_is_read_as_is() {
        assert_eq!(read("Kỳ;Đơn vị".as_bytes()).0.unwrap(), "Kỳ;Đơn vị");
        assert_eq!(read("\u{feff}Kỳ".as_bytes()).0.unwrap(), "Kỳ");
        assert!(read("Kỳ".as_bytes()).1.is_empty());
    }

    #[test]
    fn utf16_and_windows_1258_are_converted_with_a_note() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Đơn vị".encode_utf16().flat_map(u16::to_le_bytes));
        let (text, diags) = read(&le);
        assert_eq!(text.unwrap(), "Đơn vị");
        assert!(diags[0].message_en.contains("UTF-16LE"));
        // Windows-1258 keeps tones as combining marks after the vowel.
        let (bytes, _, bad) = WINDOWS_1258.encode("Thu h\u{f4}\u{300}i đ\u{e2}\u{301}t");
        assert!(!bad);
        let (text, diags) = read(&bytes);
        assert_eq!(text.unwrap(), "Thu hồi đất");
        assert!(diags[0].message_en.contains("Windows-1258"));
    }

    #[test]
    fn other_legacy_bytes_are_refused_naming_the_encodings() {
        // "Thu håi" in TCVN3 (ABC): not Vietnamese once read as Windows-1258.
        let (text, diags) = read(b"Thu h\xe5i \xae\xc9t");
        assert!(text.is_none());
        assert!(
            diags[0].message_vi.contains("TCVN3"),
            "{}",
            diags[0].message_vi
        );
    }

    #[test]
    fn binary_files_are_refused_without_showing_their_bytes() {
        let (text, diags) = read(b"%PDF-1.7\n\x00\x01\x02\xcc\xec stream");
        assert!(text.is_none());
        assert!(
            diags[0].message_en.contains("neither a spreadsheet"),
            "{}",
            diags[0].message_en
        );
        assert!(diags[0].excerpt.is_none());
    }

    #[test]
    fn the_separator_is_the_one_the_lines_use() {
        assert_eq!(delimiter("Kỳ;Đơn vị;Số tiền\n2025;a;\"1,5\"\n"), b';');
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(delimiter("\"x;y\",b\n"), b',');
    }
}
