//! The **export** stage: open data (CSV and JSON with JSON Schemas), Atom
//! feeds, the sitemap, `robots.txt` and the `SHA256SUMS` manifest.

pub mod catalog;
pub mod data;
pub mod feeds;
pub mod integrity;

pub use crate::site::urls::CHANGE_LOG;

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::derive::Derived;
use crate::model::vocab::Language;
use crate::site::urls::Urls;

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
    fn head(&self, name: &str) -> Result<Vec<u8>, String> {
        let mut head = serde_json::to_vec(&serde_json::json!({
            "dataset": name,
            "license": self.license,
            "license_url": self.license_url,
            "as_of": self.as_of,
        }))
        .map_err(|e| e.to_string())?;
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

/// Writes one dataset as JSON, CSV (UTF-8 with BOM) and JSON Schema, all from
/// the same values so that both files hold exactly the same rows.
fn dataset<T: Serialize + JsonSchema>(
    name: &'static str,
    terms: &Terms,
    rows: &[T],
) -> Result<(Dataset, [OutFile; 3]), String> {
    let mut schema = schemars::schema_for!(Vec<T>);
    let (title_vi, title_en) = crate::model::schema::dataset(name)
        .ok_or_else(|| format!("dataset {name} is not described in model::schema"))?;
    let item = schema
        .as_object_mut()
        .and_then(|s| s.get_mut("$defs"))
        .and_then(Value::as_object_mut)
        .and_then(|defs| defs.values_mut().next())
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("dataset {name}: no row schema"))?;
    describe(item, format!("{title_vi} / {title_en}"));
    let mut columns = Vec::new();
    if let Some(props) = item.get_mut("properties").and_then(Value::as_object_mut) {
        for (k, p) in props.iter_mut() {
            let (vi, en) = crate::model::schema::column(name, k)
                .ok_or_else(|| format!("column {name}.{k} is not described in model::schema"))?;
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
    // One row at a time into both files: holding every row as a JSON value
    // was the peak of the build's memory for large sites.
    let mut json = terms.head(name)?;
    let mut csv_bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut csv_bytes);
        w.write_record(columns.iter().map(|c| c.name.as_str()))
            .map_err(|e| e.to_string())?;
        for (i, row) in rows.iter().enumerate() {
            let v = serde_json::to_value(row).map_err(|e| e.to_string())?;
            json.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            serde_json::to_writer(&mut json, &v).map_err(|e| e.to_string())?;
            w.write_record(
                columns
                    .iter()
                    .map(|c| cell(v.get(&c.name).unwrap_or(&Value::Null))),
            )
            .map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    json.extend_from_slice(b"\n]}\n");
    let schema_bytes =
        serde_json::to_vec_pretty(&file_schema(schema.to_value())).map_err(|e| e.to_string())?;
    let info = Dataset {
        name,
        title_vi,
        title_en,
        rows: rows.len(),
        json: format!("/data/{name}.json"),
        json_bytes: json.len(),
        csv: format!("/data/{name}.csv"),
        csv_bytes: csv_bytes.len(),
        schema: format!("/data/schema/{name}.json"),
        columns,
    };
    let files = [
        OutFile {
            path: format!("data/{name}.json"),
            bytes: json,
        },
        OutFile {
            path: format!("data/{name}.csv"),
            bytes: csv_bytes,
        },
        OutFile {
            path: format!("data/schema/{name}.json"),
            bytes: schema_bytes,
        },
    ];
    Ok((info, files))
}

/// Builds one dataset; the datasets are independent and built in parallel.
type DatasetJob<'a> = Box<dyn Fn() -> Result<(Dataset, [OutFile; 3]), String> + Send + Sync + 'a>;

/// Every open-data file of the site, each handed to `put` as soon as its
/// dataset is made (at a million records they are about 3 GB: never held
/// all at once), and what the open-data page lists.
pub fn open_data<E: From<String> + Send>(
    d: &Derived<'_>,
    urls: &Urls,
    put: &(dyn Fn(OutFile) -> Result<(), E> + Sync),
) -> Result<Vec<Dataset>, E> {
    let abs = &|p: &str| urls.absolute(Language::Vi, p);
    let t = &Terms::of(d);
    let jobs: [DatasetJob<'_>; 8] = [
        Box::new(|| dataset("conclusions", t, &data::conclusions(d, abs))),
        Box::new(|| dataset("recommendations", t, &data::recommendations(d))),
        Box::new(|| dataset("progress", t, &data::progress(d))),
        Box::new(|| dataset("extensions", t, &data::extensions(d))),
        Box::new(|| dataset("cases", t, &data::cases(d))),
        Box::new(|| dataset("decisions", t, &data::decisions(d, abs))),
        Box::new(|| dataset("recoveries", t, &data::recoveries(d))),
        Box::new(|| dataset("agencies", t, &data::agencies(d, abs))),
    ];
    let sets = jobs
        .par_iter()
        .map(|job| {
            let (set, files) = job()?;
            files.into_iter().try_for_each(put)?;
            Ok(set)
        })
        .collect::<Result<Vec<_>, E>>()?;
    let log = OutFile {
        path: CHANGE_LOG.into(),
        bytes: d.history.to_jsonl(),
    };
    put(catalog::catalog(d, urls, &sets, log.bytes.len())?)?;
    put(log)?;
    Ok(sets)
}

/// [`open_data`] with its files held and returned (for `serve`, which keeps
/// them for requests).
pub fn open_data_files(
    d: &Derived<'_>,
    urls: &Urls,
) -> Result<(Vec<OutFile>, Vec<Dataset>), String> {
    let files = std::sync::Mutex::new(Vec::new());
    let sets = open_data(d, urls, &|f| {
        files.lock().map_err(|_| "poisoned".to_string())?.push(f);
        Ok::<(), String>(())
    })?;
    let files = files.into_inner().map_err(|_| "poisoned".to_string())?;
    Ok((files, sets))
}

#[cfg(test)]
mod tests {
    use super::*;

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
