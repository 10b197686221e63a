//! Tables: recovery figures from CSV files or Excel workbooks, as rows of
//! cells that remember where they were (line and column, or sheet and cell).

use crate::diag::Code;
use compact_str::CompactString;
use std::path::Path;
use std::sync::Arc;

use calamine::Data;

use super::node::{Key, Node, Scalar, Value};
use crate::diag::{Diagnostic, msg};
use crate::source::{SourceFile, Span};

/// One table: a CSV file, or one sheet of a workbook.
#[derive(Debug, Clone)]
pub struct RawTable {
    /// The CSV text; for a workbook, the sheet written out as tab-separated
    /// lines (line N is spreadsheet row N), so diagnostics can quote it.
    pub file: Arc<SourceFile>,
    /// The sheet name, for workbooks.
    pub sheet: Option<String>,
    pub headers: Vec<Key>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The line of the CSV file or the spreadsheet row (1-based).
    pub line: u32,
    /// At least one node per header (`Null` when empty); cells past the
    /// last header are kept but not read.
    pub cells: Vec<Node>,
}

impl RawTable {
    /// Rewrites a diagnostic about a workbook so that it names the sheet and
    /// cell (`Thu hồi!C5`) that spreadsheet users look for.
    pub fn locate(&self, d: &mut Diagnostic) {
        let (Some(sheet), Some(ex)) = (&self.sheet, &d.excerpt) else {
            return;
        };
        let col = ex.text[..ex.start.min(ex.text.len())].matches('\t').count();
        let cell = format!("{sheet}!{}{}", column_letters(col), d.line);
        d.column = u32::try_from(col + 1).unwrap_or(u32::MAX);
        d.field = Some(match d.field.take() {
            Some(f) => format!("{cell} ({f})"),
            None => cell,
        });
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + u8::try_from(col % 26).unwrap_or(0));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Reads a CSV file (comma-separated, UTF-8, RFC 4180 quoting).
pub fn read_csv(file: Arc<SourceFile>, diags: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    read_csv_with(file, b',', diags)
}

/// Reads CSV text whose fields are separated by `delimiter` (Excel in a
/// Vietnamese locale writes `;`).
pub fn read_csv_with(
    file: Arc<SourceFile>,
    delimiter: u8,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RawTable> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(file.text.as_bytes());
    let mut records: Vec<(usize, csv::StringRecord)> = Vec::new();
    for result in reader.records() {
        match result {
            Ok(rec) => {
                let start = rec.position().map_or(0, |p| p.byte() as usize);
                if rec.iter().any(|c| !c.trim().is_empty()) {
                    records.push((start, rec));
                }
            }
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                diags.push(
                    Diagnostic::error(
                        Code::CsvSyntax,
                        &file,
                        msg(
                            format!("CSV không hợp lệ: {e}"),
                            format!("invalid CSV: {e}"),
                        ),
                    )
                    .at(&file, Span::new(at, at)),
                );
                return Vec::new();
            }
        }
    }
    let mut nodes: Vec<(u32, Vec<Node>)> = Vec::new();
    for (i, (start, rec)) in records.iter().enumerate() {
        let end = records.get(i + 1).map_or(file.text.len(), |(s, _)| *s);
        let line = file.line_col(*start).line;
        nodes.push((line, locate_fields(&file.text, *start, end, rec, true)));
    }
    vec![into_table(file, None, nodes)]
}

/// Finds each field of a record in the raw text, in order, to give it a span.
fn locate_fields(
    text: &str,
    start: usize,
    end: usize,
    rec: &csv::StringRecord,
    quoted_default: bool,
) -> Vec<Node> {
    let mut cursor = start;
    rec.iter()
        .map(|field| {
            let window = &text[cursor.min(end)..end];
            let span = match window.find(field).filter(|_| !field.is_empty()) {
                Some(i) => {
                    let s = cursor + i;
                    cursor = s + field.len();
                    Span::new(s, s + field.len())
                }
                None => Span::new(cursor, cursor),
            };
            cell(field, quoted_default, span)
        })
        .collect()
}

fn cell(text: &str, quoted: bool, span: Span) -> Node {
    let trimmed = text.trim();
    let value = if trimmed.is_empty() {
        Value::Null
    } else {
        Value::Scalar(Scalar {
            text: trimmed.into(),
            quoted,
        })
    };
    Node::new(span, value)
}

/// The first row holds the headers; the others are data rows.
fn into_table(
    file: Arc<SourceFile>,
    sheet: Option<String>,
    mut rows: Vec<(u32, Vec<Node>)>,
) -> RawTable {
    if rows.is_empty() {
        return RawTable {
            file,
            sheet,
            headers: Vec::new(),
            rows: Vec::new(),
        };
    }
    let (_, header_cells) = rows.remove(0);
    let headers: Vec<Key> = header_cells
        .into_iter()
        .map(|n| Key {
            name: match n.value {
                Value::Scalar(s) => s.text,
                _ => CompactString::default(),
            },
            span: n.span,
        })
        .collect();
    let rows = rows
        .into_iter()
        .map(|(line, mut cells)| {
            let pad = cells.last().map_or(Span::default(), |c| {
                Span::new(c.span.end as usize, c.span.end as usize)
            });
            // Padded, never cut: a row wider than the first may be the real
            // header row under a report's title (see `import`).
            if cells.len() < headers.len() {
                cells.resize(headers.len(), Node::new(pad, Value::Null));
            }
            Row { line, cells }
        })
        .collect();
    RawTable {
        file,
        sheet,
        headers,
        rows,
    }
}

/// Reads every non-empty visible sheet of an Excel workbook (see
/// [`super::xlsx`] for the limits, and for why hidden sheets and rows are
/// skipped with a warning).
pub fn read_xlsx(rel: &Path, bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    read_workbook(rel, bytes, super::xlsx::Format::Xlsx, diags)
}

/// Reads every non-empty visible sheet of a workbook in any format calamine
/// reads (`.xlsx`, `.ods`, `.xls`).
pub fn read_workbook(
    rel: &Path,
    bytes: &[u8],
    format: super::xlsx::Format,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RawTable> {
    let empty = SourceFile::new(rel.to_path_buf(), String::new());
    let book = match super::xlsx::read_other(format, bytes) {
        Ok(b) => b,
        Err(refusal) => {
            diags.push(Diagnostic::error(
                Code::Xlsx,
                &empty,
                msg(refusal.vi, refusal.en),
            ));
            return Vec::new();
        }
    };
    for name in &book.hidden_sheets {
        diags.push(
            Diagnostic::warning(
                Code::XlsxHidden,
                &empty,
                msg(
                    format!("Bỏ qua trang tính ẩn `{name}` (trang ẩn thường là bản nháp)"),
                    format!("skipped the hidden sheet `{name}` (hidden sheets are usually drafts)"),
                ),
            )
            .hint(msg(
                "Nếu trang này cần công khai, hãy bỏ ẩn nó trong Excel rồi nhập lại",
                "If this sheet is meant to be published, unhide it in Excel and import again",
            )),
        );
    }
    for (name, rows) in &book.hidden_rows {
        let list: Vec<String> = rows.iter().map(u32::to_string).collect();
        diags.push(Diagnostic::warning(
            Code::XlsxHidden,
            &empty,
            msg(
                format!("Bỏ qua {} dòng ẩn của trang tính `{name}`: {}", rows.len(), list.join(", ")),
                format!("skipped {} hidden rows of the sheet `{name}`: {}", rows.len(), list.join(", ")),
            ),
        ).hint(msg(
            "Dòng ẩn thường là số liệu nháp; nếu cần công khai, hãy bỏ ẩn rồi nhập lại",
            "Hidden rows are usually working figures; unhide them and import again if they are meant to be published",
        )));
    }
    let mut tables = Vec::new();
    for sheet in book.sheets {
        if let Some(t) = sheet_table(rel, sheet) {
            tables.push(t);
        }
    }
    tables
}

/// One sheet as a table: its text has line N for spreadsheet row N, cells
/// separated by tabs, so that diagnostics can quote and point at a cell.
fn sheet_table(rel: &Path, sheet: super::xlsx::Sheet) -> Option<RawTable> {
    let last = *sheet.rows.keys().next_back()?;
    let mut lines: Vec<Vec<(String, bool)>> = vec![Vec::new(); last as usize];
    for (row, cols) in &sheet.rows {
        let width = cols.keys().next_back().map_or(0, |c| *c as usize + 1);
        let mut cells = vec![(String::new(), false); width];
        for (col, data) in cols {
            let (text, quoted) = cell_text(data);
            cells[*col as usize] = (text.replace(['\n', '\t', '\r'], " "), quoted);
        }
        lines[*row as usize - 1] = cells;
    }
    let mut text = String::new();
    for cells in &lines {
        let line: Vec<&str> = cells.iter().map(|(t, _)| t.as_str()).collect();
        text.push_str(&line.join("\t"));
        text.push('\n');
    }
    let file = Arc::new(SourceFile::new(rel.to_path_buf(), text));
    let mut rows = Vec::new();
    for (i, cells) in lines.into_iter().enumerate() {
        if cells.iter().all(|(t, _)| t.trim().is_empty()) {
            continue;
        }
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut offset = file.line_range(line).start;
        let nodes = cells
            .iter()
            .map(|(t, quoted)| {
                let span = Span::new(offset, offset + t.len());
                offset += t.len() + 1;
                cell(t, *quoted, span)
            })
            .collect();
        rows.push((line, nodes));
    }
    (!rows.is_empty()).then(|| into_table(file, Some(sheet.name), rows))
}

/// A cell as text, and whether it was text (rather than a number) in Excel.
fn cell_text(data: &Data) -> (String, bool) {
    match data {
        Data::Empty => (String::new(), false),
        Data::String(s) => (s.clone(), true),
        Data::Int(i) => (i.to_string(), false),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.0e15 {
                (format!("{f:.0}"), false)
            } else {
                (f.to_string(), false)
            }
        }
        Data::Bool(b) => (b.to_string(), false),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => (d.date().format("%Y-%m-%d").to_string(), false),
            None => (dt.to_string(), false),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => (s.clone(), false),
        Data::Error(e) => (format!("#{e:?}"), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn csv_cells_know_their_position() {
        let text = "period,agency,note\n2026-Q1,thanh-tra,\"có, dấu phẩy\"\n";
        let file = Arc::new(SourceFile::new("r.csv".into(), text.into()));
        let mut diags = Vec::new();
        let tables = read_csv(file.clone(), &mut diags);
        assert!(diags.is_empty());
        let t = &tables[0];
        assert_eq!(t.headers[1].name, "agency");
        assert_eq!(t.rows[0].line, 2);
        let note = &t.rows[0].cells[2];
        assert_eq!(&text[note.span.range()], "có, dấu phẩy");
        assert_eq!(
            file.line_col(t.rows[0].cells[1].span.start as usize).column,
            9
        );
    }
}
