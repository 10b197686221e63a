//! The privacy lint: personal identifiers must never reach the portal.
//!
//! A published citizen ID number, a whistleblower's phone number or a private
//! e-mail address cannot be taken back. Every published text is scanned; an
//! agency's official hotline or mailbox is allowed only when it is listed
//! explicitly (in `agencies.yaml`, the record's `public_contact`, or the
//! site's `[privacy] public_contacts`), so every exception is reviewable.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What kind of personal identifier was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CitizenId,
    Passport,
    Phone,
    Email,
    BankAccount,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::CitizenId => "privacy-citizen-id",
            Kind::Passport => "privacy-passport",
            Kind::Phone => "privacy-phone",
            Kind::Email => "privacy-email",
            Kind::BankAccount => "privacy-bank-account",
        }
    }

    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Kind::CitizenId => ("số định danh cá nhân (CCCD/CMND)", "a citizen ID number"),
            Kind::Passport => ("số hộ chiếu", "a passport number"),
            Kind::Phone => ("số điện thoại", "a phone number"),
            Kind::Email => ("địa chỉ thư điện tử", "an e-mail address"),
            Kind::BankAccount => ("số tài khoản ngân hàng", "a bank account number"),
        }
    }
}

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    /// Byte range in the scanned text.
    pub range: Range<usize>,
    /// The identifier normalised for comparison with the allow-list.
    pub normalised: String,
}

// Word boundaries are ASCII ones (`(?-u:\b)`): a Vietnamese letter next to
// a number then counts as a boundary, which flags `số0912345678` too, and
// lets the regex engine use its fast automaton instead of backtracking over
// Unicode word classes (a tenth of `check`'s time on large sites).
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+\-]*@[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}(?-u:\b)")
        .expect("valid regex")
});
/// A run that may be a phone number: starts with 0, (0 or +84, then digits
/// with spaces, dots, dashes or parentheses.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+\s?84|\(\s?0|(?-u:\b)0)[0-9 .()\-]{7,16}[0-9](?-u:\b)").expect("valid regex")
});
/// Twelve digits (a CCCD), possibly grouped by spaces or dots.
static ID12: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)0\d{2}(?:[ .]?\d){9}(?-u:\b)").expect("valid regex"));
/// Nine digits after a word that announces an identity document.
static ID9: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:cmnd|cccd|chứng minh(?: nhân dân| thư)?|căn cước(?: công dân)?|định danh(?: cá nhân)?)\D{0,20}?(\d{9})(?-u:\b)")
        .expect("valid regex")
});
static PASSPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z]\d{7}(?-u:\b)").expect("valid regex"));
static BANK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:số tài khoản|so tai khoan|tài khoản số|tai khoan so|(?-u:\b)stk(?-u:\b)|(?-u:\b)số tk(?-u:\b))\D{0,30}?(\d[\d .\-]{5,22}\d)")
        .expect("valid regex")
});

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A phone number as a national number: `+84 912…` and `0912…` compare equal.
pub fn normalise_phone(s: &str) -> String {
    let d = digits(s);
    match d.strip_prefix("84") {
        Some(rest) if s.trim_start().starts_with('+') => format!("0{rest}"),
        _ => d,
    }
}

/// Normalises an allowed contact as written in the allow-list.
pub fn normalise_contact(s: &str) -> String {
    if s.contains('@') {
        s.trim().to_lowercase()
    } else {
        normalise_phone(s)
    }
}

/// Whether a match starts inside a longer number written with thousands
/// separators (`1.025.000.000.000` holds `025.000.000.000`).
fn inside_number(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    matches!(before.next(), Some('.' | ',')) && before.next().is_some_and(|c| c.is_ascii_digit())
}

fn is_phone(national: &str) -> bool {
    let b = national.as_bytes();
    match b.len() {
        10 => b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9'),
        11 => b[0] == b'0' && b[1] == b'2',
        _ => false,
    }
}

/// Finds every personal identifier in `text`.
pub fn scan(text: &str) -> Vec<Finding> {
    if !text.bytes().any(|b| b.is_ascii_digit() || b == b'@') {
        return Vec::new();
    }
    let mut found: Vec<Finding> = Vec::new();
    let mut push = |kind, range: Range<usize>, normalised: String| {
        if !found
            .iter()
            .any(|f| f.range.start < range.end && range.start < f.range.end)
        {
            found.push(Finding {
                kind,
                range,
                normalised,
            });
        }
    };
    for m in EMAIL.find_iter(text) {
        push(Kind::Email, m.range(), m.as_str().to_lowercase());
    }
    for c in BANK.captures_iter(text) {
        let m = c.get(1).expect("group");
        push(Kind::BankAccount, m.range(), digits(m.as_str()));
    }
    for c in ID9.captures_iter(text) {
        let m = c.get(1).expect("group");
        push(Kind::CitizenId, m.range(), digits(m.as_str()));
    }
    for m in ID12
        .find_iter(text)
        .filter(|m| !inside_number(text, m.start()))
    {
        push(Kind::CitizenId, m.range(), digits(m.as_str()));
    }
    for m in PHONE
        .find_iter(text)
        .filter(|m| !inside_number(text, m.start()))
    {
        let national = normalise_phone(m.as_str());
        if is_phone(&national) {
            push(Kind::Phone, m.range(), national);
        }
    }
    for m in PASSPORT.find_iter(text) {
        push(Kind::Passport, m.range(), m.as_str().to_string());
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// Shows enough of an identifier to find it, not enough to copy it.
pub fn masked(text: &str) -> String {
    let n = text.chars().count();
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if c.is_ascii_alphanumeric() && i + 3 < n && i >= 2 {
                '•'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        scan(text).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn finds_identifiers_in_their_usual_forms() {
        assert_eq!(
            kinds("CCCD số 001085012345 cấp ngày"),
            vec![Kind::CitizenId]
        );
        assert_eq!(kinds("căn cước 001 085 012 345"), vec![Kind::CitizenId]);
        assert_eq!(kinds("CMND số 012345678"), vec![Kind::CitizenId]);
        assert_eq!(kinds("gọi 0912345678"), vec![Kind::Phone]);
        // A number glued to a Vietnamese word is still found.
        assert_eq!(kinds("gọi số0912345678"), vec![Kind::Phone]);
        assert_eq!(kinds("gọi 0912 345 678"), vec![Kind::Phone]);
        assert_eq!(kinds("gọi 0912.345.678"), vec![Kind::Phone]);
        assert_eq!(kinds("gọi +84 912 345 678"), vec![Kind::Phone]);
        assert_eq!(kinds("máy bàn (0237) 3852 123"), vec![Kind::Phone]);
        assert_eq!(kinds("máy bàn 024 3825 1234"), vec![Kind::Phone]);
        assert_eq!(kinds("thư nguyen.van.a@gmail.com"), vec![Kind::Email]);
        assert_eq!(kinds("hộ chiếu C1234567"), vec![Kind::Passport]);
        assert_eq!(
            kinds("số tài khoản: 0123 4567 8901"),
            vec![Kind::BankAccount]
        );
        assert_eq!(
            kinds("STK 1903 5567 8899 01 tại ngân hàng"),
            vec![Kind::BankAccount]
        );
    }

    #[test]
    fn document_numbers_amounts_and_dates_are_not_identifiers() {
        for text in [
            "Quyết định số 118/QĐ-UBND ngày 10/3/2026",
            "Kết luận 15/KL-TTr",
            "Thu hồi 2.350.000.000 đồng",
            "Thu hồi 125000000000 đồng",
            "Thu hồi 1.025.000.000.000 đồng và 1.035.000.000 đồng",
            "Thông báo 45-TB/UBKTTU ngày 12/06/2025",
            "diện tích 3.500 m² tại thửa 123456789",
            "Nghị định 172/2025/NĐ-CP, Điều 79",
            "giai đoạn 2020 - 2024, năm 2025",
            "số 1234/UBND-TH ngày 01/02/2025",
        ] {
            assert!(scan(text).is_empty(), "{text}: {:?}", scan(text));
        }
    }

    #[test]
    fn phone_forms_normalise_alike() {
        assert_eq!(normalise_phone("+84 912 345 678"), "0912345678");
        assert_eq!(normalise_phone("0912.345.678"), "0912345678");
        assert_eq!(
            normalise_contact("Hotline@Example.gov.vn"),
            "hotline@example.gov.vn"
        );
    }

    #[test]
    fn masking_hides_the_middle() {
        assert_eq!(masked("0912345678"), "09•••••678");
    }
}
