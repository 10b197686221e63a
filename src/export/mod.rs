//! The **export** stage: open data (CSV and JSON with JSON Schemas), Atom
//! feeds, the sitemap, `robots.txt` and the `SHA256SUMS` manifest.

pub mod catalog;
pub mod data;
pub mod feeds;
pub mod integrity;

pub use crate::site::urls::CHANGE_LOG;

use std::io::{self, Write};

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::derive::Derived;
use crate::model::vocab::Language;
use crate::site::urls::Urls;
use crate::write::{Files, Sink, Stream};

/// A file produced by this stage, relative to the output root.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub use crate::site::datasets::{Column, Dataset};

/// Puts a description first in a JSON Schema object, as schemars would.
fn describe(object: &mut serde_json::Map<String, Value>, description: String) {
    let rest = std::mem::take(object);
    object.insert("description".into(), Value::String(description));
    object.extend(rest.into_iter().filter(|(k, _)| k != "description"));
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula;
/// such text gets a leading apostrophe, the usual neutral prefix. The same
/// holds after a `;`, `,` or tab inside the text: Vietnamese Excel splits a
/// CSV line on `;`, so `Ghi chú;=1+1` opens as two cells, the second a
/// formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky_inside = cell.match_indices([';', ',', '\t']).any(|(i, sep)| {
        cell[i + sep.len()..]
            .trim_start_matches(' ')
            .starts_with(FORMULA_START)
    });
    if !cell.starts_with(FORMULA_START) && !risky_inside {
        return std::borrow::Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len() + 4);
    if cell.starts_with(FORMULA_START) {
        out.push('\'');
    }
    let mut rest = cell;
    while let Some(i) = rest.find([';', ',', '\t']) {
        let sep_len = rest[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..i + sep_len]);
        rest = &rest[i + sep_len..];
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        out.push_str(&rest[..spaces]);
        rest = &rest[spaces..];
        if rest.starts_with(FORMULA_START) {
            out.push('\'');
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => neutralise(s).into_owned(),
        other => other.to_string(),
    }
}

/// What every JSON file of the open data says about itself: the licence
/// travels with a copy of the file, wherever it goes.
#[derive(Serialize)]
pub struct Terms {
    pub license: String,
    pub license_url: String,
    pub as_of: String,
}

impl Terms {
    pub fn of(d: &Derived<'_>) -> Self {
        let data = &d.site.config.data;
        Terms {
            license: data.license.clone(),
            license_url: data.license_url(),
            as_of: d.as_of.to_string(),
        }
    }

    /// The opening of a dataset's JSON object, up to its rows.
    fn head(&self, name: &str) -> io::Result<Vec<u8>> {
        let mut head = serde_json::to_vec(&serde_json::json!({
            "dataset": name,
            "license": self.license,
            "license_url": self.license_url,
            "as_of": self.as_of,
        }))?;
        head.pop();
        head.extend_from_slice(b",\"rows\":[");
        Ok(head)
    }
}

/// The JSON Schema of a dataset's file: the terms, then the rows.
fn file_schema(mut schema: Value) -> Value {
    if let Some(o) = schema.as_object_mut() {
        let items = o.remove("items").unwrap_or(Value::Null);
        o.remove("title");
        o.insert("type".into(), "object".into());
        o.insert(
            "required".into(),
            serde_json::json!(["dataset", "license", "license_url", "as_of", "rows"]),
        );
        o.insert(
            "properties".into(),
            serde_json::json!({
                "dataset": {"type": "string", "description": "Tên bộ dữ liệu / dataset name"},
                "license": {"type": "string", "description": "Giấy phép (mã SPDX) / licence (SPDX id)"},
                "license_url": {"type": "string", "format": "uri", "description": "Văn bản giấy phép / the licence text"},
                "as_of": {"type": "string", "format": "date", "description": "Ngày lập dữ liệu / as-of date"},
                "rows": {"type": "array", "items": items},
            }),
        );
    }
    schema
}

/// Writes one dataset as JSON, CSV (UTF-8 with BOM) and JSON Schema into
/// `sink`, and says what it wrote.
fn dataset<T: Serialize + JsonSchema>(
    name: &'static str,
    terms: &Terms,
    rows: impl Iterator<Item = T>,
    sink: &dyn Sink,
) -> io::Result<Dataset> {
    let mut schema = schemars::schema_for!(Vec<T>);
    let (title_vi, title_en) = crate::model::schema::dataset(name).ok_or_else(|| {
        io::Error::other(format!("dataset {name} is not described in model::schema"))
    })?;
    let item = schema
        .as_object_mut()
        .and_then(|s| s.get_mut("$defs"))
        .and_then(Value::as_object_mut)
        .and_then(|defs| defs.values_mut().next())
        .and_then(Value::as_object_mut)
        .ok_or_else(|| io::Error::other(format!("dataset {name}: no row schema")))?;
    describe(item, format!("{title_vi} / {title_en}"));
    let mut columns = Vec::new();
    if let Some(props) = item.get_mut("properties").and_then(Value::as_object_mut) {
        for (k, p) in props.iter_mut() {
            let (vi, en) = crate::model::schema::column(name, k).ok_or_else(|| {
                io::Error::other(format!(
                    "column {name}.{k} is not described in model::schema"
                ))
            })?;
            if let Some(p) = p.as_object_mut() {
                describe(p, format!("{vi} / {en}"));
            }
            columns.push(Column {
                name: k.clone(),
                vi: vi.to_string(),
                en: en.to_string(),
            });
        }
    }
    let (title_vi, title_en) = (title_vi.to_string(), title_en.to_string());
    let json_path = format!("data/{name}.json");
    let csv_path = format!("data/{name}.csv");
    let schema_path = format!("data/schema/{name}.json");
    let (json_bytes, csv_bytes, rows) =
        write_rows(name, terms, &columns, rows, sink, [&json_path, &csv_path])?;
    let schema_bytes = serde_json::to_vec_pretty(&file_schema(schema.to_value()))
        .map_err(|e| io::Error::other(e.to_string()))?;
    sink.put(&schema_path, &schema_bytes)
        .map_err(|e| crate::write::named(&schema_path, e))?;
    Ok(Dataset {
        name,
        title_vi,
        title_en,
        rows,
        json: format!("/{json_path}"),
        json_bytes,
        csv: format!("/{csv_path}"),
        csv_bytes,
        schema: format!("/{schema_path}"),
        columns,
    })
}

/// Streams the rows into the dataset's JSON and CSV files at once, one row
/// at a time from the same value, so that both hold exactly the same rows
/// and neither is ever held whole (at a million records `recommendations`
/// alone is more than a gigabyte). Returns both files' lengths and the
/// number of rows.
fn write_rows<T: Serialize>(
    name: &str,
    terms: &Terms,
    columns: &[Column],
    rows: impl Iterator<Item = T>,
    sink: &dyn Sink,
    [json_path, csv_path]: [&str; 2],
) -> io::Result<(usize, usize, usize)> {
    let buffered = |path| {
        sink.open(path)
            .map(|s| io::BufWriter::with_capacity(1 << 16, s))
    };
    let mut json = buffered(json_path).map_err(|e| crate::write::named(json_path, e))?;
    let mut csv_file = buffered(csv_path).map_err(|e| crate::write::named(csv_path, e))?;
    let failed = |e: io::Error| io::Error::new(e.kind(), format!("{json_path}, {csv_path}: {e}"));
    json.write_all(&terms.head(name)?).map_err(failed)?;
    csv_file.write_all("\u{feff}".as_bytes()).map_err(failed)?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(csv_file);
    csv.write_record(columns.iter().map(|c| c.name.as_str()))
        .map_err(|e| failed(e.into()))?;
    let mut count = 0;
    for row in rows {
        let v = serde_json::to_value(row).map_err(|e| io::Error::other(e.to_string()))?;
        json.write_all(if count == 0 { b"\n" } else { b",\n" })
            .map_err(failed)?;
        serde_json::to_writer(&mut json, &v).map_err(|e| failed(e.into()))?;
        csv.write_record(
            columns
                .iter()
                .map(|c| cell(v.get(&c.name).unwrap_or(&Value::Null))),
        )
        .map_err(|e| failed(e.into()))?;
        count += 1;
    }
    json.write_all(b"\n]}\n").map_err(failed)?;
    let csv_file = csv.into_inner().map_err(|e| failed(e.into_error()))?;
    let json_len = finish(json).map_err(failed)?;
    let csv_len = finish(csv_file).map_err(failed)?;
    Ok((json_len as usize, csv_len as usize, count))
}

/// Stores a buffered stream's file; returns its length.
fn finish(w: io::BufWriter<Box<dyn Stream + '_>>) -> io::Result<u64> {
    w.into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .finish()
}

/// Builds one dataset; the datasets are independent and built in parallel.
type DatasetJob<'a> = Box<dyn Fn() -> io::Result<Dataset> + Send + Sync + 'a>;

/// Writes every open-data file of the site into `sink`, each streamed as
/// its rows are made (at a million records they are about 3 GB: never held,
/// not even one file), and returns what the open-data page lists. An error
/// names the file.
pub fn open_data(d: &Derived<'_>, urls: &Urls, sink: &dyn Sink) -> io::Result<Vec<Dataset>> {
    let abs = &|p: &str| urls.absolute(Language::Vi, p);
    let t = &Terms::of(d);
    let jobs: [DatasetJob<'_>; 8] = [
        Box::new(|| dataset("conclusions", t, data::conclusions(d, abs), sink)),
        Box::new(|| dataset("recommendations", t, data::recommendations(d), sink)),
        Box::new(|| dataset("progress", t, data::progress(d), sink)),
        Box::new(|| dataset("extensions", t, data::extensions(d), sink)),
        Box::new(|| dataset("cases", t, data::cases(d), sink)),
        Box::new(|| dataset("decisions", t, data::decisions(d, abs), sink)),
        Box::new(|| dataset("recoveries", t, data::recoveries(d), sink)),
        Box::new(|| dataset("agencies", t, data::agencies(d, abs), sink)),
    ];
    let sets = jobs
        .par_iter()
        .map(|job| job())
        .collect::<io::Result<Vec<_>>>()?;
    let log = d.history.to_jsonl();
    let catalog = catalog::catalog(d, urls, &sets, log.len()).map_err(io::Error::other)?;
    sink.put(&catalog.path, &catalog.bytes)
        .map_err(|e| crate::write::named(&catalog.path, e))?;
    sink.put(CHANGE_LOG, &log)
        .map_err(|e| crate::write::named(CHANGE_LOG, e))?;
    Ok(sets)
}

/// [`open_data`] with its files held and returned (for `serve`, which keeps
/// them for requests).
pub fn open_data_files(d: &Derived<'_>, urls: &Urls) -> io::Result<(Files, Vec<Dataset>)> {
    let memory = crate::write::Memory::default();
    let sets = open_data(d, urls, &memory)?;
    let files = memory
        .files
        .into_inner()
        .map_err(|_| io::Error::other("poisoned"))?;
    Ok((files, sets))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A disk that fills up after `room` bytes.
    struct Filling {
        room: std::sync::atomic::AtomicIsize,
    }

    impl Sink for Filling {
        fn put(&self, _: &str, bytes: &[u8]) -> io::Result<()> {
            let left = self
                .room
                .fetch_sub(bytes.len() as isize, std::sync::atomic::Ordering::SeqCst);
            if left < bytes.len() as isize {
                return Err(io::ErrorKind::StorageFull.into());
            }
            Ok(())
        }
    }

    /// A full disk while a dataset is streamed stops the open data with an
    /// error that says so and names the files.
    #[test]
    fn a_full_disk_names_the_dataset_files() {
        let raw = crate::load::load(&crate::testing::valid_fixture());
        let (site, _) =
            crate::model::build(&raw, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let d = Derived::new(&site);
        let urls = Urls::new("https://x.example.gov.vn");
        let full = Filling { room: 2_000.into() };
        let e = open_data(&d, &urls, &full).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull, "{e}");
        assert!(e.to_string().starts_with("data/"), "{e}");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+84"), "'+84");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Kết luận"), "Kết luận");
    }

    #[test]
    fn formulas_after_a_separator_inside_a_cell_are_neutralised() {
        assert_eq!(neutralise("Ghi chú;=1+1"), "Ghi chú;'=1+1");
        assert_eq!(
            neutralise("a, =cmd|' /C calc'!A0"),
            "a, '=cmd|' /C calc'!A0"
        );
        assert_eq!(neutralise("a\t@SUM(A1)"), "a\t'@SUM(A1)");
        assert_eq!(neutralise("=a;+b"), "'=a;'+b");
        assert_eq!(
            neutralise("Thu hồi 1.000.000 đồng, đợt 2; còn lại"),
            "Thu hồi 1.000.000 đồng, đợt 2; còn lại"
        );
    }
}
