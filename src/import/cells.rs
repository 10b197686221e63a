//! Reading the cells of one spreadsheet row the way Excel users write them:
//! money with `.` thousands separators, dates as dd/mm/yyyy or date cells,
//! agencies by name or id, enumerations in Vietnamese or English. Every
//! problem is reported at its sheet, row and column.

use crate::diag::Code;
use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::diag::msg;
use crate::load::RawTable;
use crate::load::node::{Node, Value};
use crate::model::Agency;
use crate::model::amount::{AmountError, parse_area, parse_vnd};
use crate::model::id::{Id, slug};
use crate::model::read::parse_date;
use crate::model::vocab::Vocab;

use super::columns::Table;

/// One data row with its cells by column key.
pub struct Row<'t> {
    pub table: &'t RawTable,
    pub kind: super::columns::Col,
    pub line: u32,
    pub cells: BTreeMap<&'static str, &'t Node>,
}

impl Row<'_> {
    /// `Sheet!row`, as the spreadsheet numbers its rows.
    pub fn origin(&self) -> String {
        format!(
            "{}!{}",
            self.table.sheet.as_deref().unwrap_or("CSV"),
            self.line
        )
    }

    /// Whether the table has the column at all (an empty cell of a column
    /// that is there says "nothing"; a column that is not there says nothing).
    pub fn has(&self, key: &str) -> bool {
        self.cells.contains_key(key)
    }

    /// The usual header of a column of this row's table.
    pub fn header(&self, key: &str) -> Option<&'static str> {
        super::columns::header_of(self.kind, key)
    }

    pub fn text(&self, key: &str) -> Option<String> {
        match &self.cells.get(key)?.value {
            Value::Scalar(s) => Some(s.text.trim().to_string()).filter(|t| !t.is_empty()),
            _ => None,
        }
    }
}

/// The data rows of a recognised table.
pub fn rows<'t>(t: &'t Table<'t>) -> Vec<Row<'t>> {
    t.raw
        .rows
        .iter()
        .map(|r| Row {
            table: t.raw,
            kind: t.kind,
            line: r.line,
            cells: t
                .keys
                .iter()
                .zip(&r.cells)
                .filter_map(|(k, c)| k.map(|k| (k, c)))
                .collect(),
        })
        .collect()
}

/// Collects problems, each located at a cell.
pub struct Problems<'a> {
    pub file: &'a Path,
    pub list: Vec<Diagnostic>,
}

impl Problems<'_> {
    pub fn at(&mut self, row: &Row<'_>, key: &str, vi: String, en: String) -> &mut Diagnostic {
        let span = row.cells.get(key).map_or_else(Default::default, |n| n.span);
        let mut d = Diagnostic::error(Code::Import, &row.table.file, msg(vi, en))
            .at(&row.table.file, span)
            .field(key);
        if d.line == 0 || row.table.file.text.is_empty() {
            d = d.at_line(row.line, 0);
        }
        row.table.locate(&mut d);
        d.file = crate::source::display_path(self.file);
        self.list.push(d);
        self.list.last_mut().expect("just pushed")
    }

    /// An error about the whole file (not one cell).
    pub fn file(&mut self, vi: String, en: String) -> &mut Diagnostic {
        self.list.push(Diagnostic::for_path(
            crate::diag::Severity::Error,
            Code::Import,
            &crate::source::display_path(self.file),
            msg(vi, en),
        ));
        self.list.last_mut().expect("just pushed")
    }

    /// A required value that is not there: an empty cell, or, once per
    /// table, a column the table does not have.
    pub fn missing(&mut self, row: &Row<'_>, key: &str) {
        if row.has(key) {
            self.at(
                row,
                key,
                format!("Thiếu giá trị cột `{key}`"),
                format!("the `{key}` column is empty"),
            );
            return;
        }
        let sheet = row.table.sheet.as_deref().unwrap_or("CSV");
        let header = row
            .header(key)
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        let vi = format!("Bảng `{sheet}` thiếu cột `{key}`{header}, cột bắt buộc");
        if self.list.iter().any(|d| d.message_vi == vi) {
            return;
        }
        let en = format!("the table `{sheet}` has no `{key}` column{header}, which is required");
        self.file(vi, en).set_hint(msg(
            "Thêm cột này vào dòng tiêu đề (tên cột tiếng Việt hoặc tiếng Anh đều được)",
            "Add this column to the header row (its Vietnamese or English name)",
        ));
    }
}

/// A number written with thousands separators (`.` as Vietnamese write
/// it, `,` as Excel in English does, or spaces), as plain digits: only when
/// every group after the first has three digits, so `1,5` stays ambiguous.
fn without_thousands(t: &str) -> Option<String> {
    let sep = ['.', ',', ' ', '\u{a0}', '\u{202f}']
        .into_iter()
        .find(|c| t.contains(*c))?;
    let groups: Vec<&str> = t.split(sep).collect();
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    let ok = groups.len() > 1
        && groups[0].len() <= 3
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3);
    ok.then(|| groups.concat())
}

/// Reads money written as Excel users do: `1.234.567`, `1,234,567`,
/// `1 234 567` or `1234567`.
pub fn money(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<u64> {
    let t = row.text(key)?;
    let digits = without_thousands(&t).unwrap_or_else(|| t.clone());
    match parse_vnd(&digits) {
        Ok(v) => Some(v.0),
        Err(e) => {
            let why = match e {
                AmountError::Negative => ("là số âm", "is negative"),
                AmountError::Decimal => (
                    "có phần thập phân (tiền phải là số nguyên đồng)",
                    "has decimals (money is whole đồng)",
                ),
                _ => ("không phải một số tiền", "is not an amount of money"),
            };
            p.at(
                row,
                key,
                format!("`{t}` {}", why.0),
                format!("`{t}` {}", why.1),
            )
            .set_hint(msg(
                "Viết số tiền bằng đồng, nguyên, có hoặc không có dấu phân cách hàng nghìn: 800.000.000, 800,000,000 hoặc 800000000",
                "Write the amount in whole đồng, with or without thousands separators: 800.000.000, 800,000,000 or 800000000",
            ));
            None
        }
    }
}

/// Reads an area: `3.500`, `3.500,5` or `3500.5`, as the number written in
/// content files (`3500`, `3500.5`).
pub fn area(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<serde_json::Value> {
    let t = row.text(key)?;
    let normal = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() > 1 || t.split_once('.').is_some_and(|(_, f)| f.len() == 3) {
        t.replace('.', "")
    } else {
        t.clone()
    };
    match parse_area(&normal) {
        Ok(a) => serde_json::from_str(&a.to_string()).ok(),
        Err(_) => {
            p.at(
                row,
                key,
                format!("`{t}` không phải diện tích hợp lệ"),
                format!("`{t}` is not a valid area"),
            );
            None
        }
    }
}

/// Reads a date as offices write it: `dd/mm/yyyy`, `dd-mm-yyyy`,
/// `dd.mm.yyyy`, ISO `yyyy-mm-dd`, or a date cell. A month past 12 with a
/// day that could be a month (`06/13/2025`) is written month first: the
/// message says dates are day/month/year.
pub fn date(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<NaiveDate> {
    let t = row.text(key)?;
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    let day_first = parts.len() == 3 && parts[2].len() == 4;
    let normal = if day_first {
        parts.join("/")
    } else {
        t.clone()
    };
    match parse_date(&normal) {
        Ok(d) => Some(d),
        Err(m) => {
            let swapped = day_first
                .then(|| (parts[0].parse::<u32>().ok(), parts[1].parse::<u32>().ok()))
                .and_then(|(d, m)| Some((d?, m?)))
                .filter(|(d, m)| *m > 12 && *d <= 12);
            let d = p.at(row, key, m.vi, m.en);
            if let Some((day, month)) = swapped {
                let fixed = format!("{month:02}/{day:02}/{}", parts[2]);
                d.set_hint(msg(
                    format!("Ngày viết theo ngày/tháng/năm: có phải {fixed}?"),
                    format!("Dates are day/month/year: did you mean {fixed}?"),
                ));
            }
            None
        }
    }
}

pub fn vocab<V: Vocab>(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<V> {
    let t = row.text(key)?;
    let v = V::parse(&t);
    if v.is_none() {
        let (message, hint) = V::not_valid(&t);
        p.at(row, key, message.vi, message.en).set_hint(hint);
    }
    v
}

/// A yes/no cell, in either language and in the forms officials type
/// (`x` for a ticked box): anything else is an error rather than a guess,
/// because the answer changes which penalties the law allows.
pub fn flag(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<bool> {
    let t = row.text(key)?;
    match congkhai_fold::fold(&t).as_str() {
        "co" | "x" | "yes" | "true" | "1" => Some(true),
        "khong" | "no" | "false" | "0" => Some(false),
        _ => {
            p.at(
                row,
                key,
                format!("`{t}` không phải có/không; chấp nhận: có, không, x, yes, no, true, false"),
                format!("`{t}` is not yes/no; accepted: có, không, x, yes, no, true, false"),
            );
            None
        }
    }
}

/// Resolves an agency written by id, name or short name.
pub fn agency(
    p: &mut Problems<'_>,
    row: &Row<'_>,
    key: &str,
    agencies: &[Agency],
) -> Option<String> {
    let t = row.text(key)?;
    let folded = congkhai_fold::fold(&t);
    let found = agencies.iter().find(|a| {
        a.id.value.as_str() == t
            || congkhai_fold::fold(&a.name) == folded
            || a.short_name
                .as_ref()
                .is_some_and(|s| congkhai_fold::fold(s) == folded)
    });
    match found {
        Some(a) => Some(a.id.value.0.clone()),
        None => {
            p.at(
                row,
                key,
                format!("Không có cơ quan nào tên hoặc mã `{t}` trong content/agencies.yaml"),
                format!("no agency named or with the id `{t}` in content/agencies.yaml"),
            );
            None
        }
    }
}

/// A record id from an `id` cell: checked as an id, never used as a path
/// before it is (a cell of `../../../x` is an error, not a file).
pub fn record_id(p: &mut Problems<'_>, row: &Row<'_>) -> Option<Option<String>> {
    let Some(t) = row.text("id") else {
        return Some(None);
    };
    if Id::is_valid(&t) {
        return Some(Some(t));
    }
    let suggestion = slug(&t);
    p.at(
        row,
        "id",
        format!("Mã `{t}` không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu `-`"),
        format!("the id `{t}` is invalid: use only lower-case ASCII letters, digits and `-`"),
    )
    .set_hint(msg(
        format!("Ví dụ: `{suggestion}`"),
        format!("For example: `{suggestion}`"),
    ));
    None
}

/// A value the row must have: parsed by `parse`, or reported as missing.
pub fn must<T>(
    p: &mut Problems<'_>,
    row: &Row<'_>,
    key: &str,
    parse: impl FnOnce(&mut Problems<'_>, &Row<'_>, &str) -> Option<T>,
) -> Option<T> {
    if row.text(key).is_none() {
        p.missing(row, key);
        return None;
    }
    parse(p, row, key)
}

/// A text the row must have.
pub fn required(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<String> {
    must(p, row, key, |_, row, key| row.text(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_are_read_when_unambiguous() {
        for t in [
            "800.000.000",
            "800,000,000",
            "800 000 000",
            "800\u{a0}000\u{a0}000",
        ] {
            assert_eq!(without_thousands(t).as_deref(), Some("800000000"), "{t}");
        }
        for t in [
            "1,5",
            "1.5",
            "12.34.567",
            "1234.567",
            "800000000",
            "8,00,000",
        ] {
            assert_eq!(without_thousands(t), None, "{t}");
        }
    }
}
