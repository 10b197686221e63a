//! The columns of each importable table, in English and Vietnamese, and the
//! recognition of a table's record type from its header row.

use crate::diag::Code;
use std::path::Path;

use crate::diag::{Diagnostic, Severity, msg};
use crate::load::RawTable;
use crate::load::node::{Key, Node, Value};
use crate::source::Span;
use std::sync::LazyLock;

use crate::model::recovery::{column_key, normalise_header};
use crate::model::schema::{self, Field, Required, Schema};

/// The kinds of table an import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Recoveries,
    Conclusions,
    Recommendations,
    Decisions,
}

/// The columns of a sheet: the fields of these schemas that a spreadsheet
/// may hold, and the sheet's own columns (the body, the link from a
/// recommendation to its conclusion).
fn sheet(schemas: &[&'static Schema], own: &'static [Field]) -> Vec<&'static Field> {
    schemas
        .iter()
        .flat_map(|s| s.fields.iter())
        .filter(|f| !f.headers.is_empty())
        .chain(own.iter())
        .collect()
}

const BODY: Field = Field {
    key: "body",
    required: Required::No,
    vi: "Nội dung (Markdown)",
    en: "Body (Markdown)",
    headers: &[
        "Nội dung",
        "Nội dung kết luận",
        "Tóm tắt",
        "Nội dung vi phạm",
    ],
    column: None,
};

const CONCLUSION_LINK: Field = Field {
    key: "conclusion",
    required: Required::Yes,
    vi: "Số hiệu hoặc mã của kết luận",
    en: "The conclusion's number or id",
    headers: &["Kết luận", "Số hiệu kết luận", "Số kết luận"],
    column: None,
};

static CONCLUSIONS: LazyLock<Vec<&'static Field>> = LazyLock::new(|| {
    sheet(
        &[&schema::CONCLUSION, &schema::PERIOD, &schema::VIOLATIONS],
        &[BODY],
    )
});
static RECOMMENDATIONS: LazyLock<Vec<&'static Field>> = LazyLock::new(|| {
    sheet(
        &[&schema::RECOMMENDATION, &schema::PROGRESS],
        &[CONCLUSION_LINK],
    )
});
static DECISIONS: LazyLock<Vec<&'static Field>> =
    LazyLock::new(|| sheet(&[&schema::DECISION, &schema::SUBJECT], &[BODY]));
static RECOVERIES: LazyLock<Vec<&'static Field>> =
    LazyLock::new(|| sheet(&[&schema::RECOVERY], &[]));

/// The columns a type cannot do without; they also identify it.
fn required(kind: Col) -> &'static [&'static str] {
    match kind {
        Col::Recoveries => &["period", "agency", "recommended_vnd", "recovered_vnd"],
        Col::Conclusions => &["number", "title", "signed_on", "inspected"],
        Col::Recommendations => &["conclusion", "text", "responsible"],
        Col::Decisions => &["number", "penalty", "subject_name"],
    }
}

fn dictionary(kind: Col) -> &'static [&'static Field] {
    match kind {
        Col::Recoveries => &RECOVERIES,
        Col::Conclusions => &CONCLUSIONS,
        Col::Recommendations => &RECOMMENDATIONS,
        Col::Decisions => &DECISIONS,
    }
}

/// A table with its type and each header's column key.
pub struct Table<'t> {
    pub raw: &'t RawTable,
    pub kind: Col,
    pub keys: Vec<Option<&'static str>>,
}

/// The type of table a header row names (the one with all its required
/// columns and the most recognised ones), with each column's key.
fn recognise(names: &[&str]) -> Option<(Col, Vec<Option<&'static str>>)> {
    let mut best: Option<(usize, Col, Vec<Option<&'static str>>)> = None;
    for kind in [
        Col::Recoveries,
        Col::Recommendations,
        Col::Decisions,
        Col::Conclusions,
    ] {
        let keys: Vec<Option<&'static str>> = names
            .iter()
            .map(|h| column_key(dictionary(kind).iter().copied(), h))
            .collect();
        if required(kind).iter().all(|r| keys.contains(&Some(*r))) {
            let score = keys.iter().flatten().count();
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, kind, keys));
            }
        }
    }
    best.map(|(_, kind, keys)| (kind, keys))
}

/// Rows searched for the header row: reports from agencies start with a
/// title, a "(Kèm theo Công văn số …)" line and a blank row or two.
const HEADER_SEARCH_ROWS: usize = 12;

/// When the first row is not a header row but a later one is (title rows
/// above the table), the table re-read from that row, with the number of
/// the row used. Rows above it are dropped: they are the report's title.
pub fn below_title_rows(raw: &RawTable) -> Option<(RawTable, u32)> {
    let first: Vec<&str> = raw.headers.iter().map(|h| h.name.as_str()).collect();
    if recognise(&first).is_some() {
        return None;
    }
    let at = raw.rows.iter().take(HEADER_SEARCH_ROWS).position(|row| {
        let names: Vec<&str> = row.cells.iter().map(cell_text).collect();
        recognise(&names).is_some()
    })?;
    let header = &raw.rows[at];
    let headers = header
        .cells
        .iter()
        .map(|c| Key {
            name: cell_text(c).into(),
            span: c.span,
        })
        .collect::<Vec<_>>();
    let width = headers.len();
    let rows = raw.rows[at + 1..]
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let pad = r.cells.last().map_or(Span::default(), |c| {
                Span::new(c.span.end as usize, c.span.end as usize)
            });
            r.cells.resize(width, Node::new(pad, Value::Null));
            r
        })
        .collect();
    let table = RawTable {
        file: raw.file.clone(),
        sheet: raw.sheet.clone(),
        headers,
        rows,
    };
    Some((table, header.line))
}

/// The known header closest to an unrecognised one, among the columns the
/// table does not have yet: a word of it left out (`Cơ quan` for `Cơ quan
/// ban hành`) or a slip of the keyboard.
fn closest_header(kind: Col, header: &str, have: &[Option<&'static str>]) -> Option<&'static str> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &'static str)> = None;
    for f in dictionary(kind) {
        if have.contains(&Some(f.column())) {
            continue;
        }
        for v in f.headers {
            let n = normalise_header(v);
            let contained = n.split(' ').count() > 1 && (n.starts_with(&h) || h.starts_with(&n));
            let score = if contained {
                0.95
            } else {
                strsim::jaro_winkler(&h, &n)
            };
            if score >= 0.85 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, v));
            }
        }
    }
    best.map(|(_, v)| v)
}

/// The usual Vietnamese header of a column, for messages.
pub fn header_of(kind: Col, key: &str) -> Option<&'static str> {
    dictionary(kind)
        .iter()
        .find(|f| f.column() == key)
        .and_then(|f| f.headers.first().copied())
}

fn cell_text(n: &Node) -> &str {
    match &n.value {
        Value::Scalar(s) => s.text.as_str(),
        _ => "",
    }
}

/// Recognises a table by the type whose required columns its header has.
pub fn detect<'t>(
    raw: &'t RawTable,
    diags: &mut Vec<Diagnostic>,
    file: &Path,
) -> Option<Table<'t>> {
    let names: Vec<&str> = raw.headers.iter().map(|h| h.name.as_str()).collect();
    let best = recognise(&names);
    let sheet = raw.sheet.as_deref().unwrap_or("CSV");
    match best {
        Some((kind, keys)) => {
            for (h, k) in raw.headers.iter().zip(&keys) {
                if k.is_none() && !h.name.trim().is_empty() {
                    let mut d = Diagnostic::for_path(
                        Severity::Warning,
                        Code::Import,
                        &crate::source::display_path(file),
                        msg(
                            format!("Bỏ qua cột không nhận ra `{}` ({sheet})", h.name),
                            format!("ignoring the unrecognised column `{}` ({sheet})", h.name),
                        ),
                    );
                    if let Some(known) = closest_header(kind, &h.name, &keys) {
                        d = d.hint(msg(
                            format!("Có phải ý bạn là `{known}`? Đổi tên cột thành `{known}` rồi nhập lại"),
                            format!("Did you mean `{known}`? Rename the column `{known}` and import again"),
                        ));
                    }
                    diags.push(d);
                }
            }
            Some(Table { raw, kind, keys })
        }
        None => {
            let expected = "period/Kỳ báo cáo, agency/Đơn vị, … | number/Số hiệu, title/Tên kết luận, … | number, penalty/Hình thức kỷ luật, subject_name/Họ và tên, …";
            diags.push(Diagnostic::for_path(
                Severity::Error,
                Code::Import,
                &crate::source::display_path(file),
                msg(
                    format!("Không nhận ra loại bảng `{sheet}` từ dòng tiêu đề; các cột cần có: {expected}"),
                    format!("cannot tell what the table `{sheet}` holds from its header row; expected columns: {expected}"),
                ),
            ));
            None
        }
    }
}
