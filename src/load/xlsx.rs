//! Excel workbooks, read in bounded memory and time.
//!
//! An `.xlsx` is a zip of XML parts. A 1 MB file can inflate to gigabytes,
//! and two cells at A1 and XFD1048576 make a library allocate seventeen
//! billion empty cells. So before calamine sees a workbook, every part is
//! inflated once as a stream with a cap ([`MAX_PART_BYTES`]); then cells are
//! read one by one, with caps on their number and columns. The same pass
//! finds hidden rows, which calamine does not report: hidden sheets and
//! hidden rows are usually drafts or working figures, and are skipped with a
//! warning rather than published.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Reader as _, SheetVisible, Xlsx};
use quick_xml::events::Event;

/// Largest inflated size of one part of a workbook.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Largest inflated size of all parts together.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Most parts a workbook may have.
const MAX_PARTS: usize = 10_000;
/// Most non-empty cells read from one workbook.
pub const MAX_CELLS: usize = 2_000_000;
/// Most columns a table may have (a recovery table has a dozen).
pub const MAX_COLUMNS: u32 = 256;

/// Why a workbook was refused, in words a clerk understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub vi: String,
    pub en: String,
}

fn refusal(vi: impl Into<String>, en: impl Into<String>) -> Refusal {
    Refusal {
        vi: vi.into(),
        en: en.into(),
    }
}

fn not_excel() -> Refusal {
    refusal(
        "Tệp không phải tệp Excel hợp lệ (hỏng, hoặc không phải .xlsx); hãy mở bằng Excel rồi lưu lại dạng .xlsx",
        "this file is not a valid Excel file (damaged, or not .xlsx); open it in Excel and save it again as .xlsx",
    )
}

fn too_large(what: &str) -> Refusal {
    let mib = MAX_PART_BYTES / (1024 * 1024);
    refusal(
        format!(
            "Tệp Excel khi giải nén quá lớn ({what} vượt {mib} MiB): có thể là tệp hỏng hoặc cố ý gây hại; không đọc"
        ),
        format!(
            "the Excel file is too large once decompressed ({what} exceeds {mib} MiB): it may be damaged or hostile; not read"
        ),
    )
}

/// One visible sheet's cells, by row (1-based, as Excel numbers them) and
/// column (0-based).
#[derive(Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: BTreeMap<u32, BTreeMap<u32, Data>>,
}

/// What was read, and what was skipped and why.
#[derive(Debug, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// Sheets hidden in Excel ("hidden" or "very hidden"), skipped.
    pub hidden_sheets: Vec<String>,
    /// Rows hidden in Excel, skipped, by sheet.
    pub hidden_rows: Vec<(String, Vec<u32>)>,
}

/// Reads a workbook, refusing one that would take unbounded memory or time.
pub fn read(bytes: &[u8]) -> Result<Workbook, Refusal> {
    let parts = inspect(bytes)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_excel())?;
    let mut out = Workbook::default();
    let mut cells = 0usize;
    for name in visible_sheets(&book, &mut out) {
        let hidden = parts.hidden_rows.get(&name).cloned().unwrap_or_default();
        let mut sheet = Sheet {
            name: name.clone(),
            ..Sheet::default()
        };
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|_| not_excel())?;
        while let Some(cell) = reader.next_cell().map_err(|_| not_excel())? {
            let (row, col) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            if matches!(value, Data::Empty) || matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            if hidden.contains(&(row + 1)) {
                continue;
            }
            if col >= MAX_COLUMNS {
                return Err(too_many_columns(&name, col));
            }
            cells += 1;
            if cells > MAX_CELLS {
                return Err(too_many_cells());
            }
            sheet.rows.entry(row + 1).or_default().insert(col, value);
        }
        if !hidden.is_empty() {
            out.hidden_rows
                .push((name.clone(), hidden.into_iter().collect()));
        }
        out.sheets.push(sheet);
    }
    Ok(out)
}

/// The spreadsheet formats a file can be, told by its first bytes: a clerk's
/// `.csv` may really be an Excel file, and an `.xls` may be a web page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML (`.xlsx`): a zip.
    Xlsx,
    /// OpenDocument (`.ods`): a zip whose first part names its type.
    Ods,
    /// Excel 97–2003 (`.xls`): an OLE compound file.
    Xls,
    /// Anything else is read as CSV text.
    Text,
}

impl Format {
    pub fn of(bytes: &[u8]) -> Self {
        const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if bytes.starts_with(b"PK\x03\x04") {
            // ODF puts an uncompressed `mimetype` part first.
            let head = &bytes[..bytes.len().min(200)];
            let ods = b"application/vnd.oasis.opendocument.spreadsheet";
            if head.windows(ods.len()).any(|w| w == ods) {
                Self::Ods
            } else {
                Self::Xlsx
            }
        } else if bytes.starts_with(OLE) {
            Self::Xls
        } else {
            Self::Text
        }
    }

    /// The usual file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Ods => "ods",
            Self::Xls => "xls",
            Self::Text => "csv",
        }
    }
}

/// Reads an OpenDocument or Excel 97–2003 workbook with the same limits as
/// an `.xlsx` (an `.ods` is a zip, inflated under the same caps first).
/// These formats have no hidden rows calamine reports; hidden sheets are
/// skipped as in `.xlsx`.
pub fn read_other(format: Format, bytes: &[u8]) -> Result<Workbook, Refusal> {
    match format {
        Format::Ods => {
            inspect(bytes)?;
            let book = calamine::Ods::new(Cursor::new(bytes)).map_err(|_| not_workbook(format))?;
            read_ranges(book, format)
        }
        Format::Xls => {
            let book = calamine::Xls::new(Cursor::new(bytes)).map_err(|_| not_workbook(format))?;
            read_ranges(book, format)
        }
        Format::Xlsx | Format::Text => read(bytes),
    }
}

/// The names of the visible sheets, in order; hidden ones are noted in
/// `out` (they are usually drafts, skipped with a warning).
fn visible_sheets<RS: std::io::Read + std::io::Seek, R: calamine::Reader<RS>>(
    book: &R,
    out: &mut Workbook,
) -> Vec<String> {
    let mut names = Vec::new();
    for s in book.sheets_metadata() {
        if s.visible == SheetVisible::Visible {
            names.push(s.name.clone());
        } else {
            out.hidden_sheets.push(s.name.clone());
        }
    }
    names
}

fn not_workbook(format: Format) -> Refusal {
    let ext = format.extension();
    refusal(
        format!(
            "Tệp không phải tệp .{ext} hợp lệ (hỏng?); hãy mở bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx"
        ),
        format!(
            "this file is not a valid .{ext} file (damaged?); open it in Excel or LibreOffice and save it again as .xlsx"
        ),
    )
}

fn read_ranges<'a, R: calamine::Reader<Cursor<&'a [u8]>>>(
    mut book: R,
    format: Format,
) -> Result<Workbook, Refusal> {
    let mut out = Workbook::default();
    let mut cells = 0usize;
    for name in visible_sheets(&book, &mut out) {
        let range = book
            .worksheet_range(&name)
            .map_err(|_| not_workbook(format))?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut sheet = Sheet {
            name: name.clone(),
            ..Sheet::default()
        };
        for (row, col, value) in range.used_cells() {
            let (row, col) = (top + row as u32, left + col as u32);
            if col >= MAX_COLUMNS {
                return Err(too_many_columns(&name, col));
            }
            cells += 1;
            if cells > MAX_CELLS {
                return Err(too_many_cells());
            }
            sheet
                .rows
                .entry(row + 1)
                .or_default()
                .insert(col, value.clone());
        }
        out.sheets.push(sheet);
    }
    Ok(out)
}

fn too_many_columns(name: &str, col: u32) -> Refusal {
    refusal(
        format!(
            "Trang tính `{name}` có ô ở cột thứ {} — quá {MAX_COLUMNS} cột; bảng số liệu không cần nhiều cột như vậy",
            col + 1
        ),
        format!(
            "the sheet `{name}` has a cell in column {} — more than {MAX_COLUMNS} columns; a table of figures never needs that many",
            col + 1
        ),
    )
}

fn too_many_cells() -> Refusal {
    refusal(
        format!("Tệp Excel có hơn {MAX_CELLS} ô có dữ liệu; hãy tách thành nhiều tệp"),
        format!(
            "the Excel file has more than {MAX_CELLS} cells with data; split it into several files"
        ),
    )
}

/// What the pre-scan of the zip learnt.
#[derive(Debug, Default)]
struct Parts {
    /// Hidden rows (1-based), by sheet name.
    hidden_rows: BTreeMap<String, BTreeSet<u32>>,
}

/// Inflates every part once, as a stream, counting the real bytes (the
/// sizes a zip declares can lie), and notes the hidden rows of each sheet.
fn inspect(bytes: &[u8]) -> Result<Parts, Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_excel())?;
    if zip.len() > MAX_PARTS {
        return Err(too_large("số phần / the number of parts"));
    }
    let mut total = 0u64;
    let mut texts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| not_excel())?;
        let name = part.name().map_err(|_| not_excel())?.into_owned();
        if part.size() > MAX_PART_BYTES {
            return Err(too_large(&name));
        }
        // Keep the small parts that say which sheets and rows are hidden.
        let keep = name == "xl/workbook.xml"
            || name == "xl/_rels/workbook.xml.rels"
            || name.starts_with("xl/worksheets/");
        let mut sink: Vec<u8> = Vec::new();
        let read = if keep {
            (&mut part)
                .take(MAX_PART_BYTES + 1)
                .read_to_end(&mut sink)
                .map(|n| n as u64)
        } else {
            std::io::copy(
                &mut (&mut part).take(MAX_PART_BYTES + 1),
                &mut std::io::sink(),
            )
        }
        .map_err(|_| not_excel())?;
        if read > MAX_PART_BYTES {
            return Err(too_large(&name));
        }
        total += read;
        if total > MAX_TOTAL_BYTES {
            return Err(too_large("toàn bộ tệp / the whole file"));
        }
        if keep {
            texts.insert(name, sink);
        }
    }
    let sheets = sheet_paths(&texts);
    let mut parts = Parts::default();
    for (name, path) in sheets {
        if let Some(xml) = texts.get(&path) {
            let rows = hidden_rows(xml);
            if !rows.is_empty() {
                parts.hidden_rows.insert(name, rows);
            }
        }
    }
    Ok(parts)
}

/// The value of attribute `key` (ignoring its namespace prefix).
fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let k: &str = a.key.as_ref();
        let local = k.rsplit(':').next().unwrap_or(k);
        (local == key).then(|| a.value.to_string())
    })
}

/// Each sheet's name and the path of its part in the zip.
fn sheet_paths(texts: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    if let Some(rels) = texts.get("xl/_rels/workbook.xml.rels") {
        each_element(rels, |e| {
            if e.local_name().as_ref() == "Relationship"
                && let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target"))
            {
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                };
                targets.insert(id, path);
            }
        });
    }
    let mut out = Vec::new();
    if let Some(book) = texts.get("xl/workbook.xml") {
        each_element(book, |e| {
            if e.local_name().as_ref() == "sheet"
                && let (Some(name), Some(id)) = (attr(e, "name"), attr(e, "id"))
                && let Some(path) = targets.get(&id)
            {
                out.push((name, path.clone()));
            }
        });
    }
    out
}

/// The rows a sheet marks `hidden`.
fn hidden_rows(xml: &[u8]) -> BTreeSet<u32> {
    let mut rows = BTreeSet::new();
    each_element(xml, |e| {
        if e.local_name().as_ref() == "row"
            && attr(e, "hidden").is_some_and(|h| h == "1" || h == "true")
            && let Some(r) = attr(e, "r").and_then(|r| r.parse().ok())
        {
            rows.insert(r);
        }
    });
    rows
}

/// Calls `f` on every start or empty element of an XML document.
fn each_element(xml: &[u8], mut f: impl FnMut(&quick_xml::events::BytesStart<'_>)) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip with one part of `size` zero bytes, compressed.
    fn bomb(name: &str, size: usize) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file(name, opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..size / chunk.len() {
            w.write_all(&chunk).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_that_inflates_past_the_limit_is_refused_in_bounded_memory() {
        let bytes = bomb("xl/worksheets/sheet1.xml", 80 << 20);
        assert!(bytes.len() < 1 << 20, "small on disk: {}", bytes.len());
        let err = read(&bytes).unwrap_err();
        assert!(err.en.contains("too large once decompressed"), "{}", err.en);
    }

    #[test]
    fn garbage_is_not_an_excel_file() {
        let err = read(b"PK\x03\x04 not really").unwrap_err();
        assert!(err.en.contains("not a valid Excel file"), "{}", err.en);
    }

    #[test]
    fn hidden_rows_are_found_by_sheet() {
        let sheet = br#"<worksheet><sheetData><row r="1"><c r="A1"/></row><row r="3" hidden="1"/><row r="4" spans="1:2" hidden="true"></row></sheetData></worksheet>"#;
        assert_eq!(hidden_rows(sheet), BTreeSet::from([3, 4]));
        let mut texts = BTreeMap::new();
        texts.insert(
            "xl/workbook.xml".to_string(),
            r#"<workbook xmlns:r="x"><sheets><sheet name="Thu hồi" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes().to_vec(),
        );
        texts.insert(
            "xl/_rels/workbook.xml.rels".to_string(),
            br#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#.to_vec(),
        );
        assert_eq!(
            sheet_paths(&texts),
            [(
                "Thu hồi".to_string(),
                "xl/worksheets/sheet1.xml".to_string()
            )]
        );
    }
}
