//! Reading typed values out of raw [`Node`]s while collecting every problem.
//!
//! serde would stop at the first error of a file; a publisher fixing twenty
//! mistakes needs to see all twenty at once, each with its line and field.
//! So records are read field by field with [`Fields`], which also knows which
//! keys were asked for and can therefore suggest the right one for a typo.

use crate::diag::Code;
use chrono::NaiveDate;

use super::id::{Id, slug};
use super::privacy;
use crate::diag::{Diagnostic, Msg, Severity, msg};
use crate::load::node::{Node, Scalar, Value};
use crate::source::{SourceFile, Span};

/// Reads one file: knows the file, the current field path, the as-of date, and
/// collects the diagnostics.
pub struct Reader<'a> {
    pub file: &'a SourceFile,
    pub as_of: NaiveDate,
    pub diags: Vec<Diagnostic>,
    pub(super) path: Vec<Segment>,
    /// Contacts that may be published (normalised), site-wide.
    allowed: &'a [String],
    /// Contacts this record declares public with `public_contact`.
    pub local_allowed: Vec<String>,
    /// The id of the record being read, once known.
    pub record_id: Option<String>,
    /// Ids of records that exist but could not be read completely: references
    /// to them are not reported again as unknown.
    pub partial_ids: Vec<String>,
    /// Every reference read, checked once all records are known (even from
    /// records that have other errors, so that all problems show at once).
    pub refs: Vec<RefSite>,
}

/// What kind of record a reference points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Agency,
    Conclusion,
    Decision,
}

/// A reference as written: what it points to, and where.
#[derive(Debug, Clone)]
pub struct RefSite {
    pub target: Target,
    pub id: String,
    pub span: Span,
    pub field: String,
}

#[derive(Clone)]
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a SourceFile, as_of: NaiveDate, allowed: &'a [String]) -> Self {
        Self {
            file,
            as_of,
            diags: Vec::new(),
            path: Vec::new(),
            allowed,
            local_allowed: Vec::new(),
            record_id: None,
            partial_ids: Vec::new(),
            refs: Vec::new(),
        }
    }

    /// Reports every personal identifier in a published `text` read from
    /// `span` (for a body, the text a reader sees of it). The number is
    /// masked in the message and in the quoted source line.
    pub fn lint_privacy(&mut self, text: &str, span: Span) {
        let findings = privacy::scan(text);
        if findings.is_empty() {
            return;
        }
        let scanned = privacy::scanned(text);
        for f in findings {
            if self.allowed.contains(&f.normalised) || self.local_allowed.contains(&f.normalised) {
                continue;
            }
            let found = &scanned[f.range.clone()];
            let at = self.locate(found, span);
            let (vi, en) = f.kind.name();
            let shown = privacy::masked(found);
            let d = self
                .error(
                    f.kind.code(),
                    at,
                    msg(
                        format!("Văn bản công khai có {vi} của cá nhân ({shown}) — không được công bố"),
                        format!("published text contains {en} of a private person ({shown}); it must not be published"),
                    ),
                )
                .set_hint(msg(
                    "Xóa thông tin này. Nếu đây là liên hệ chính thức của cơ quan, khai báo nó trong `public_contact` của bản ghi hoặc trong `phone`/`email` của cơ quan ở agencies.yaml",
                    "Remove it. If it is an agency's official contact, list it in the record's `public_contact` or in the agency's `phone`/`email` in agencies.yaml",
                ));
            d.mask_excerpt(privacy::mask_line);
        }
    }

    /// Where an identifier found in the rendered text is in the source:
    /// its first group of digits (or its e-mail's local part), else the
    /// start of the field.
    fn locate(&self, found: &str, span: Span) -> Span {
        let key: String = if found.contains('@') {
            found.split('@').next().unwrap_or("").to_string()
        } else {
            found
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect()
        };
        let source = &self.file.text[span.range()];
        match source.find(&key).filter(|_| !key.is_empty()) {
            Some(i) => {
                let start = span.start as usize + i;
                Span::new(start, start + key.len())
            }
            _ => span,
        }
    }

    /// Checks the characters of a published `text` read from `span`:
    /// control and bidirectional characters are errors (`None`), zero-width
    /// ones are removed with a warning. Points at the character itself when
    /// it is written as such (not as a YAML escape).
    pub fn clean_text(&mut self, text: &str, span: Span) -> Option<String> {
        let found = super::chars::scan(text);
        if found.is_empty() {
            return Some(text.to_string());
        }
        let mut ok = true;
        let source = &self.file.text[span.range()];
        let mut reported = Vec::new();
        for (_, c, problem) in found {
            if reported.contains(&problem) {
                continue;
            }
            reported.push(problem);
            let at = source.find(c).map_or(span, |i| {
                let start = span.start as usize + i;
                Span::new(start, start + c.len_utf8())
            });
            let (vi, en) = problem.name();
            let code = format!("U+{:04X}", c as u32);
            let m = msg(
                format!("Văn bản có {vi} ({code}), không được công bố"),
                format!("the text contains {en} ({code}), which must not be published"),
            );
            if problem.is_error() {
                ok = false;
                self.error(problem.code(), at, m).set_hint(msg(
                    "Xóa ký tự này (thường do sao chép từ tệp khác hoặc từ trình soạn thảo)",
                    "Remove the character (it usually comes from copying from another file or editor)",
                ));
            } else {
                self.warning(problem.code(), at, m).set_hint(msg(
                    "Xóa ký tự này trong tệp nguồn: nó chia cắt từ, khiến tìm kiếm và kiểm tra quyền riêng tư bỏ sót",
                    "Remove it from the source file: it splits words, so that search and the privacy lint miss them",
                ));
            }
        }
        ok.then(|| super::chars::without_zero_width(text))
    }

    /// The current field as `recommendations[1].progress[0].status`.
    pub fn field_path(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            match seg {
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// Runs `f` with `key` appended to the field path.
    pub fn in_key<T>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(Segment::Key(key.to_string()));
        let out = f(self);
        self.path.pop();
        out
    }

    /// Runs `f` with `[index]` appended to the field path.
    pub fn in_index<T>(&mut self, index: usize, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(Segment::Index(index));
        let out = f(self);
        self.path.pop();
        out
    }

    /// Reports a problem at `span` in the current field.
    pub fn report(
        &mut self,
        severity: Severity,
        code: Code,
        span: Span,
        m: Msg,
    ) -> &mut Diagnostic {
        let d = Diagnostic::new(severity, code, self.file, m)
            .at(self.file, span)
            .field(self.field_path());
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    pub fn error(&mut self, code: Code, span: Span, m: Msg) -> &mut Diagnostic {
        self.report(Severity::Error, code, span, m)
    }

    pub fn warning(&mut self, code: Code, span: Span, m: Msg) -> &mut Diagnostic {
        self.report(Severity::Warning, code, span, m)
    }

    /// Reports a date later than the as-of date: the record claims something
    /// that has not happened yet (or the as-of date is wrong).
    pub fn check_not_future(&mut self, date: NaiveDate, span: Span, what: (&str, &str)) {
        if date > self.as_of {
            let as_of = self.as_of;
            self.error(
                Code::FutureDate,
                span,
                msg(
                    format!("{} {} ở sau ngày lập dữ liệu {as_of}", what.0, date),
                    format!("{} {} is after the as-of date {as_of}", what.1, date),
                ),
            )
            .set_hint(msg(
                "Kiểm tra lại ngày, hoặc chạy với --as-of nếu đang dựng cổng cho một ngày khác",
                "Check the date, or pass --as-of when building the portal for another day",
            ));
        }
    }

    /// Reports `later` (at `span`) being before `earlier`.
    pub fn check_order(
        &mut self,
        earlier: (NaiveDate, &str, &str),
        later: (NaiveDate, &str, &str),
        span: Span,
    ) {
        if later.0 < earlier.0 {
            self.error(
                Code::DateOrder,
                span,
                msg(
                    format!(
                        "{} ({}) không thể trước {} ({})",
                        later.1, later.0, earlier.1, earlier.0
                    ),
                    format!(
                        "{} ({}) cannot be before {} ({})",
                        later.2, later.0, earlier.2, earlier.0
                    ),
                ),
            );
        }
    }

    /// Reports that a node is not of the expected kind.
    pub fn wrong_kind(&mut self, node: &Node, expected: (&str, &str)) {
        let found = node.kind_name();
        self.error(
            Code::InvalidType,
            node.span,
            msg(
                format!("Cần {}, nhưng gặp {}", expected.0, found.0),
                format!("expected {}, found {}", expected.1, found.1),
            ),
        );
    }

    /// The text of a scalar node, or a report and `None`.
    pub fn scalar<'n>(&mut self, node: &'n Node, expected: (&str, &str)) -> Option<&'n Scalar> {
        match &node.value {
            Value::Scalar(s) => Some(s),
            _ => {
                self.wrong_kind(node, expected);
                None
            }
        }
    }
}

/// A value that can be read from a node.
pub trait FromNode: Sized {
    /// What such a value is, in Vietnamese and English, for messages.
    const EXPECTED: (&'static str, &'static str);
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self>;
}

impl FromNode for String {
    const EXPECTED: (&'static str, &'static str) = ("một chuỗi văn bản", "a text");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        let text = s.text.trim();
        if text.is_empty() {
            r.error(
                Code::EmptyValue,
                node.span,
                msg("Giá trị không được để trống", "the value must not be empty"),
            );
            return None;
        }
        r.clean_text(text, node.span)
    }
}

/// Text that is published on the portal. Reading it runs the privacy lint, so
/// no published field can skip it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromNode for Text {
    const EXPECTED: (&'static str, &'static str) = String::EXPECTED;
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let text = String::from_node(node, r)?;
        r.lint_privacy(&text, node.span);
        Some(Text(text))
    }
}

impl FromNode for bool {
    const EXPECTED: (&'static str, &'static str) = ("`true` hoặc `false`", "`true` or `false`");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        match congkhai_fold::fold(s.text.trim()).as_str() {
            "true" | "yes" | "co" | "dung" => Some(true),
            "false" | "no" | "khong" | "sai" => Some(false),
            _ => {
                r.error(
                    Code::InvalidValue,
                    node.span,
                    msg(
                        format!("`{}` không phải `true` hoặc `false`", s.text),
                        format!("`{}` is not `true` or `false`", s.text),
                    ),
                );
                None
            }
        }
    }
}

impl FromNode for u32 {
    const EXPECTED: (&'static str, &'static str) = ("một số nguyên không âm", "a whole number");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        match s.text.trim().parse() {
            Ok(n) => Some(n),
            Err(_) => {
                r.error(
                    Code::InvalidValue,
                    node.span,
                    msg(
                        format!("`{}` không phải một số nguyên không âm", s.text),
                        format!("`{}` is not a whole number", s.text),
                    ),
                );
                None
            }
        }
    }
}

impl FromNode for f64 {
    const EXPECTED: (&'static str, &'static str) = ("một số", "a number");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        let text = s.text.trim();
        let parsed = match text.strip_suffix('%') {
            Some(pct) => pct
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .map(|p| p / 100.0),
            None => text.parse::<f64>(),
        };
        match parsed {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                r.error(
                    Code::InvalidValue,
                    node.span,
                    msg(
                        format!("`{text}` không phải một số"),
                        format!("`{text}` is not a number"),
                    ),
                );
                None
            }
        }
    }
}

impl FromNode for NaiveDate {
    const EXPECTED: (&'static str, &'static str) =
        ("một ngày dạng YYYY-MM-DD", "a date written YYYY-MM-DD");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        let text = s.text.trim();
        match parse_date(text) {
            Ok(d) => Some(d),
            Err(reason) => {
                r.error(Code::InvalidDate, node.span, reason).set_hint(msg(
                    "Viết ngày theo dạng năm-tháng-ngày, ví dụ 2025-06-12",
                    "Write dates as year-month-day, e.g. 2025-06-12",
                ));
                None
            }
        }
    }
}

/// Parses `YYYY-MM-DD` (the canonical form) or `dd/mm/yyyy` (as Vietnamese
/// documents write dates), explaining impossible dates such as 2025-02-30.
pub fn parse_date(text: &str) -> Result<NaiveDate, Msg> {
    let parts: Option<(i32, u32, u32)> = if let Some((y, rest)) = text.split_once('-') {
        rest.split_once('-')
            .and_then(|(m, d)| Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)))
    } else if let Some((d, rest)) = text.split_once('/') {
        rest.split_once('/')
            .and_then(|(m, y)| Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)))
    } else {
        None
    };
    let Some((y, m, d)) = parts.filter(|(y, _, _)| (1900..=2200).contains(y)) else {
        return Err(msg(
            format!("`{text}` không phải một ngày hợp lệ"),
            format!("`{text}` is not a valid date"),
        ));
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        msg(
            format!("Ngày `{text}` không tồn tại (tháng {m} năm {y} không có ngày {d})"),
            format!("the date `{text}` does not exist (month {m} of {y} has no day {d})"),
        )
    })
}

impl<T: FromNode> FromNode for Vec<T> {
    const EXPECTED: (&'static str, &'static str) = ("một danh sách", "a list");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        match &node.value {
            Value::List(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| r.in_index(i, |r| T::from_node(item, r)))
                    .collect(),
            ),
            Value::Null => Some(Vec::new()),
            // A single value where a list is expected: a list of one.
            Value::Scalar(_) => T::from_node(node, r).map(|v| vec![v]),
            Value::Map(_) => {
                r.wrong_kind(node, Self::EXPECTED);
                None
            }
        }
    }
}

/// A reference to another record (an agency, conclusion or decision), with
/// where it was written so that an unknown id can be pointed at.
pub type Ref = Spanned<Id>;

impl FromNode for Id {
    const EXPECTED: (&'static str, &'static str) = ("một mã định danh", "an id");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        let text = s.text.trim();
        if Id::is_valid(text) {
            return Some(Id(text.to_string()));
        }
        let suggestion = slug(text);
        r.error(
            Code::InvalidId,
            node.span,
            msg(
                format!(
                    "Mã `{text}` không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu `-`"
                ),
                format!(
                    "the id `{text}` is invalid: use only lower-case ASCII letters, digits and `-`"
                ),
            ),
        )
        .set_hint(msg(
            format!("Ví dụ: `{suggestion}`"),
            format!("For example: `{suggestion}`"),
        ));
        None
    }
}

/// A value together with where it was written, for checks made later.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: FromNode> FromNode for Spanned<T> {
    const EXPECTED: (&'static str, &'static str) = T::EXPECTED;
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        T::from_node(node, r).map(|value| Spanned {
            value,
            span: node.span,
        })
    }
}

pub(super) fn read_ref(node: &Node, r: &mut Reader<'_>, target: Target) -> Option<Ref> {
    let id = Spanned::<Id>::from_node(node, r)?;
    let field = r.field_path();
    r.refs.push(RefSite {
        target,
        id: id.value.0.clone(),
        span: id.span,
        field,
    });
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms_and_impossible_dates() {
        assert_eq!(
            parse_date("2025-06-12").unwrap(),
            NaiveDate::from_ymd_opt(2025, 6, 12).unwrap()
        );
        assert_eq!(
            parse_date("12/06/2025").unwrap(),
            NaiveDate::from_ymd_opt(2025, 6, 12).unwrap()
        );
        let e = parse_date("2025-02-30").unwrap_err();
        assert!(e.en.contains("does not exist"), "{}", e.en);
        assert!(parse_date("June 12").is_err());
        assert!(parse_date("0001-01-01").is_err());
    }
}
