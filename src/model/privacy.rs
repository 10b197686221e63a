//! The privacy lint: personal identifiers must never reach the portal.
//!
//! A published citizen ID number, a whistleblower's phone number or a private
//! e-mail address cannot be taken back. The lint scans what a reader will
//! see, not what the source says: the caller passes the rendered text of a
//! body (see [`crate::markdown::reader_text`]), and [`scan`] normalises it
//! (Unicode NFKC, so full-width digits are digits; zero-width and no-break
//! spaces removed) and folds it (no diacritics, lower case), so that
//! `0912**345**678`, `&#48;912345678`, `CCCD001085012345`, `chung minh nhan
//! dan 012 345 678` and `+84 (0) 912 345 678` are all found.
//!
//! An agency's official hotline or mailbox is allowed only when it is listed
//! explicitly (in `agencies.yaml`, the record's `public_contact`, or the
//! site's `[privacy] public_contacts`), so every exception is reviewable.

use crate::diag::Code;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

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
    pub fn code(self) -> Code {
        match self {
            Kind::CitizenId => Code::PrivacyCitizenId,
            Kind::Passport => Code::PrivacyPassport,
            Kind::Phone => Code::PrivacyPhone,
            Kind::Email => Code::PrivacyEmail,
            Kind::BankAccount => Code::PrivacyBankAccount,
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

// Word boundaries are ASCII ones (`(?-u:\b)`): the scanned text is folded,
// so Vietnamese words are ASCII by then, and the fast automaton applies.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[a-z0-9][a-z0-9._%+\-]*@[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}(?-u:\b)")
        .expect("valid regex")
});
/// Words that announce an identity document (folded: no diacritics).
static ID_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:cmtnd|cmnd|cccd|cmt|chung minh(?: nhan dan| thu)?|can cuoc(?: cong dan)?|dinh danh(?: ca nhan)?|ho chieu)[^0-9\n]{0,20}$")
        .expect("valid regex")
});
/// Words that announce a bank account (folded).
static BANK_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:so tai khoan|tai khoan(?: so)?|(?-u:\b)stk|(?-u:\b)so tk|(?-u:\b)tk)[^0-9\n]{0,30}$",
    )
    .expect("valid regex")
});
static PASSPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z]\d{7}(?-u:\b)").expect("valid regex"));

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The national form of a run of digits, if it is written with the
/// country code: `+84…`, `(+84)…`, `0084…`, `84 9…`, with or without the
/// `(0)` some write after it.
fn national(all: &str, plus: bool) -> String {
    let rest = if let Some(r) = all.strip_prefix("0084") {
        r
    } else if plus {
        all.strip_prefix("84").unwrap_or(all)
    } else if all.len() == 11
        && all.starts_with("84")
        && matches!(all.as_bytes()[2], b'3' | b'5' | b'7' | b'8' | b'9')
    {
        &all[2..]
    } else {
        return all.to_string();
    };
    if rest.starts_with('0') {
        rest.to_string()
    } else {
        format!("0{rest}")
    }
}

/// A phone number as a national number: `+84 912…` and `0912…` compare equal.
pub fn normalise_phone(s: &str) -> String {
    national(
        &digits(s),
        s.trim_start().trim_start_matches('(').starts_with('+'),
    )
}

/// Normalises an allowed contact as written in the allow-list.
pub fn normalise_contact(s: &str) -> String {
    if s.contains('@') {
        s.trim().to_lowercase()
    } else {
        normalise_phone(s)
    }
}

fn is_phone(national: &str) -> bool {
    let b = national.as_bytes();
    match b.len() {
        10 => b[0] == b'0' && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9'),
        11 => b[0] == b'0' && b[1] == b'2',
        _ => false,
    }
}

/// Characters a reader does not see as separating anything: removed before
/// scanning, so that `0912\u{200B}345678` is one number.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{00A0}'
            | '\u{202F}'
            | '\u{2007}'
    )
}

/// The text as a reader sees it, for scanning: compatibility forms
/// composed (full-width digits become digits), zero-width characters and
/// no-break spaces removed. Most text is already so (Vietnamese written in
/// NFC is NFKC too), and is then only checked, not copied.
pub fn normalise(text: &str) -> Cow<'_, str> {
    if !may_change(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|c| !invisible(*c)).nfkc().collect())
}

/// Whether normalising could change anything the lint looks at: a
/// no-break or zero-width character, a full-width form (U+FF00–U+FFEF), a
/// mathematical or other compatibility digit. Checked on bytes, since most
/// text (Vietnamese letters, typographic quotes) has none of them.
fn may_change(b: &[u8]) -> bool {
    b.windows(3).any(|w| {
        matches!(
            w,
            [0xC2, 0xA0 | 0xAD, _]
                | [0xE2, 0x80, 0x87 | 0x8B..=0x8D | 0xAF]
                | [0xE2, 0x81, 0xA0 | 0xB0..=0xBF]
                | [0xE2, 0x82, 0x80..=0x8F]
                | [0xE2, 0x91..=0x93, _]
                | [0xEF, 0xBB, 0xBF]
                | [0xEF, 0xBC..=0xBF, _]
                | [0xF0, 0x9D, 0x9F]
        )
    }) || b.last() == Some(&0xC2)
}

/// The words just before a run of digits, folded (no diacritics, lower
/// case), for the keyword patterns that end at the run.
fn words_before(text: &str, at: usize) -> String {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(40)
        .map_or(0, |(i, _)| i);
    congkhai_fold::fold(&text[start..at])
}

/// One group of digits in a run, and what separates it from the previous one.
struct Group {
    range: Range<usize>,
    /// The separator before this group was `.` or `,` (a thousands separator).
    after_point: bool,
}

/// Runs of digit groups joined by short separators (` `, `.`, `-`, `/`,
/// parentheses), with whether a `+` comes first.
fn runs(text: &str) -> Vec<(bool, Vec<Group>)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let plus = text[..i].chars().rev().take(3).any(|c| c == '+');
        let mut groups = Vec::new();
        let mut after_point = i > 1 && matches!(b[i - 1], b'.' | b',') && b[i - 2].is_ascii_digit();
        loop {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            groups.push(Group {
                range: start..i,
                after_point,
            });
            let mut j = i;
            while j < b.len()
                && j - i < 3
                && matches!(b[j], b' ' | b'.' | b'-' | b'/' | b'(' | b')' | b',')
            {
                j += 1;
            }
            if j > i && j < b.len() && b[j].is_ascii_digit() {
                after_point = text[i..j].contains(['.', ',']);
                i = j;
            } else {
                break;
            }
        }
        out.push((plus, groups));
    }
    out
}

/// Finds every personal identifier in `text` (any text: it is normalised
/// here). Ranges are in the normalised text ([`scanned`]), which the
/// message quotes masked.
pub fn scan(text: &str) -> Vec<Finding> {
    // Digits, `@`, or full-width forms (0xEF 0xBC…), or nothing to find.
    let maybe = text
        .bytes()
        .any(|b| b.is_ascii_digit() || b == b'@' || b == 0xEF || b == 0xF0);
    if !maybe {
        return Vec::new();
    }
    let norm = normalise(text);
    let folded: &str = &norm;
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
    for m in EMAIL.find_iter(folded) {
        push(Kind::Email, m.range(), m.as_str().to_lowercase());
    }
    for (plus, groups) in runs(folded) {
        // Only a run of six digits or more can be an account or a card.
        let digits: usize = groups.iter().map(|g| g.range.len()).sum();
        let head = if digits >= 6 {
            words_before(folded, groups[0].range.start)
        } else {
            String::new()
        };
        let id_word = !head.is_empty() && ID_WORD.is_match(&head);
        let bank_word = !head.is_empty() && BANK_WORD.is_match(&head);
        let mut start = 0;
        while start < groups.len() {
            // A window may not start inside a number written with thousands
            // separators (`1.025.000.000.000` holds `025.000.000.000`).
            if groups[start].after_point {
                start += 1;
                continue;
            }
            let mut all = String::new();
            let mut hit = None;
            for (end, g) in groups.iter().enumerate().skip(start) {
                all.push_str(&folded[g.range.clone()]);
                let range = groups[start].range.start..g.range.end;
                let phone = national(&all, plus && start == 0);
                // A word before the number says what it is; without one,
                // its shape does.
                if start == 0 && bank_word && (6..=19).contains(&all.len()) {
                    hit = Some((Kind::BankAccount, range, all.clone(), end));
                } else if start == 0 && id_word && matches!(all.len(), 9 | 12) {
                    hit = Some((Kind::CitizenId, range, all.clone(), end));
                } else if is_phone(&phone) {
                    hit = Some((Kind::Phone, range, phone, end));
                } else if all.len() == 12 && all.starts_with('0') {
                    hit = Some((Kind::CitizenId, range, all.clone(), end));
                }
                if all.len() >= 19 {
                    break;
                }
            }
            match hit {
                Some((kind, range, normalised, end)) => {
                    push(kind, range, normalised);
                    start = end + 1;
                }
                None => start += 1,
            }
        }
    }
    for m in PASSPORT.find_iter(&norm) {
        push(Kind::Passport, m.range(), m.as_str().to_string());
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// The text a finding was made in, for quoting it masked.
pub fn scanned(text: &str) -> String {
    normalise(text).into_owned()
}

/// Masks a line of source quoted by a privacy diagnostic: every run of
/// digits (possibly grouped) but its first two digits, and the local part
/// of e-mail addresses, so that the excerpt never shows what the message
/// hides. Each
/// character is replaced by one character, so positions in the line keep
/// their character index.
pub fn mask_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c);
    let mut hide = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut digit_at = Vec::new();
        while j < chars.len()
            && (is_digit(chars[j])
                || (matches!(chars[j], ' ' | '.' | '-' | '/' | '(' | ')')
                    && chars.get(j + 1).is_some_and(|c| is_digit(*c))))
        {
            if is_digit(chars[j]) {
                digit_at.push(j);
            }
            j += 1;
        }
        // Short runs lose all but their first two digits (a number split
        // by markup shows as several short runs); long ones keep their last
        // three too, as the message does.
        let keep_end = if digit_at.len() >= 9 { 3 } else { 0 };
        if digit_at.len() >= 3 {
            for k in &digit_at[2..digit_at.len() - keep_end] {
                hide[*k] = true;
            }
        }
        i = j;
    }
    let text: String = chars.iter().collect::<String>().to_ascii_lowercase();
    let mut ats: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '@')
        .map(|(i, _)| i)
        .collect();
    // `@` written as a character reference or percent-encoded.
    for spelled in ["&#64;", "&#x40;", "%40"] {
        for (byte, _) in text.match_indices(spelled) {
            ats.push(text[..byte].chars().count());
        }
    }
    for at in ats {
        {
            let mut k = at;
            while k > 0 && (chars[k - 1].is_alphanumeric() || "._%+-".contains(chars[k - 1])) {
                k -= 1;
                hide[k] = true;
            }
        }
    }
    chars
        .iter()
        .zip(hide)
        .map(|(c, h)| if h { '•' } else { *c })
        .collect()
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
    fn forms_that_used_to_slip_through_are_found() {
        for (text, kind) in [
            ("liên hệ 0912345678 nhé", Kind::Phone),
            ("0912/345/678", Kind::Phone),
            ("+84 (0) 912 345 678", Kind::Phone),
            ("(+84) 912 345 678", Kind::Phone),
            ("0084 912 345 678", Kind::Phone),
            ("SDT0912345678", Kind::Phone),
            ("ĐT: ０９１２３４５６７８", Kind::Phone),
            ("0912\u{a0}345\u{200b}678", Kind::Phone),
            ("CMTND số 012345678", Kind::CitizenId),
            ("CMT số 012 345 678", Kind::CitizenId),
            ("CMND 012 345 678", Kind::CitizenId),
            ("chung minh nhan dan 012345678", Kind::CitizenId),
            ("Chứng minh nhân dân số: 012.345.678", Kind::CitizenId),
            ("CCCD 001-085-012-345", Kind::CitizenId),
            ("CCCD001085012345", Kind::CitizenId),
            ("TK 1903 5567 8899", Kind::BankAccount),
            ("STK: 0451000123456", Kind::BankAccount),
            ("a@gmail.com", Kind::Email),
        ] {
            assert_eq!(kinds(text), vec![kind], "{text}");
        }
    }

    #[test]
    fn excerpts_are_masked_character_for_character() {
        let line = "gọi 0912 345 678 hoặc a.b@gmail.com, ngày 12/06/2025";
        let m = mask_line(line);
        assert_eq!(m.chars().count(), line.chars().count());
        assert!(!m.contains("345") && !m.contains("a.b@"), "{m}");
        assert!(
            m.contains("09") && m.contains("678") && m.contains("12/••/••••"),
            "{m}"
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

#[cfg(test)]
mod normalise_tests {
    use super::*;

    #[test]
    fn text_that_normalising_cannot_change_is_not_copied() {
        for plain in ["Kết luận “số” 15/KL-TTr – ngày 12/6", "abc 0912"] {
            assert!(matches!(normalise(plain), Cow::Borrowed(_)), "{plain}");
        }
        for (text, expected) in [
            ("０９１２", "0912"),
            ("09\u{a0}12", "0912"),
            ("09\u{200b}12", "0912"),
            ("09\u{2060}12", "0912"),
            ("a\u{feff}b", "ab"),
            ("𝟎𝟗", "09"),
        ] {
            assert_eq!(normalise(text), expected, "{text:?}");
        }
    }
}
