//! Reading what was published before: the change log and the open data of
//! the previous output (the folder a build replaces, or a copy of the live
//! site given with `--previous`). Read only; nothing here writes, and a
//! symbolic link inside that folder is not followed (it is not something a
//! build wrote).

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::Value;

pub use super::rows::Unusable;
use super::rows::{Digest, Rows, digest};
use crate::derive::history::{Broken, History, RecordType};

/// The change log's path in an output.
pub use crate::export::CHANGE_LOG as LOG;

/// The record types, in the order their events are logged.
pub const TYPES: [RecordType; 4] = [
    RecordType::Conclusion,
    RecordType::Recommendation,
    RecordType::Decision,
    RecordType::Recovery,
];

/// What the previous output held.
#[derive(Debug, Default)]
pub struct Previous {
    /// Its change log, checked; `None` when it had none (an older version's
    /// output, or none at all).
    pub log: Option<History>,
    /// Its rows of each record type, in [`TYPES`] order; `None` when that
    /// file was absent.
    pub rows: [Option<Published>; 4],
    /// The as-of date it was built with (as its open data says).
    pub as_of: Option<NaiveDate>,
}

/// One open-data file of the previous output, as the comparison needs it:
/// each row's key and digest, sorted by key (of two rows with one key, the
/// later counts), and where its line is in the file, read again through
/// the handle opened when the file was checked.
#[derive(Debug, Default)]
pub struct Published {
    file: Option<(PathBuf, Arc<fs::File>)>,
    rows: Vec<Placed>,
}

#[derive(Debug)]
struct Placed {
    key: Box<str>,
    digest: Digest,
    at: u64,
    len: u32,
}

impl Published {
    /// The text of row `i`, read again from the file; refused if it is no
    /// longer the line that was read at first.
    fn read(&self, i: usize) -> Result<String, Unusable> {
        let row = &self.rows[i];
        let Some((path, file)) = &self.file else {
            return Err(Unusable::changed(Path::new("")));
        };
        let mut bytes = vec![0u8; row.len as usize];
        read_at(file, &mut bytes, row.at).map_err(|e| Unusable {
            file: path.clone(),
            vi: format!("không đọc được: {e}"),
            en: format!("cannot read: {e}"),
        })?;
        String::from_utf8(bytes)
            .ok()
            .filter(|line| digest(line) == row.digest)
            .ok_or_else(|| Unusable::changed(path))
    }
}

impl Rows for Published {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn key(&self, i: usize) -> &str {
        &self.rows[i].key
    }

    fn digest(&self, i: usize) -> Digest {
        self.rows[i].digest
    }

    fn line(&self, i: usize) -> Result<String, Unusable> {
        self.read(i)
    }
}

#[cfg(unix)]
fn read_at(file: &fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &fs::File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// Opens a regular file of the output; `None` when there is nothing there.
fn open(dir: &Path, rel: &str) -> Result<Option<fs::File>, Unusable> {
    let path = dir.join(rel);
    let unusable = |vi: String, en: String| Unusable {
        file: path.clone(),
        vi,
        en,
    };
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(unusable(
                format!("không đọc được: {e}"),
                format!("cannot read: {e}"),
            ));
        }
        Ok(m) if !m.is_file() => {
            return Err(unusable(
                "không phải tệp thường (liên kết hay thư mục): không phải do congkhai ghi".into(),
                "not a regular file (a link or a folder): congkhai did not write it".into(),
            ));
        }
        Ok(_) => {}
    }
    fs::File::open(&path)
        .map(Some)
        .map_err(|e| unusable(format!("không đọc được: {e}"), format!("cannot read: {e}")))
}

/// One row line of an open-data file: where it starts, its text.
type RowLine<'a> = (u64, &'a str);

/// The rows of an open-data JSON file, as the lines they are written on,
/// each handed to `row` with where it starts: the object with `rows` this
/// version writes (its first line holds the terms and the as-of date), or
/// the bare array older versions wrote. Returns the as-of date it states,
/// or `None` if it is not such a file. The file is read once, as a stream,
/// never held whole (a gigabyte at a million records); every line must be
/// what the writer writes — the head, rows that parse as JSON objects
/// separated by commas, the closing line last — so that a damaged file is
/// refused rather than half read.
pub(super) fn rows_of(
    reader: impl Read,
    row: &mut dyn FnMut(RowLine<'_>),
) -> Option<Option<NaiveDate>> {
    let mut lines = BufReader::with_capacity(1 << 16, reader);
    let mut bytes = Vec::new();
    let mut read_line = |bytes: &mut Vec<u8>| -> Option<usize> {
        bytes.clear();
        lines.read_until(b'\n', bytes).ok()
    };
    let mut at = read_line(&mut bytes)? as u64;
    let head = line_of(&bytes)?;
    let as_of: Option<NaiveDate> = head
        .strip_suffix("\"rows\":[")
        .and_then(|h| serde_json::from_str::<Value>(&format!("{h}\"rows\":[]}}")).ok())
        .and_then(|v| v.get("as_of")?.as_str()?.parse().ok());
    if as_of.is_none() && head.trim() != "[" {
        return None;
    }
    let closing = if as_of.is_some() { "]}" } else { "]" };
    let (mut rows, mut more) = (0usize, false);
    loop {
        let n = read_line(&mut bytes)?;
        let line = line_of(&bytes)?;
        if n == 0 || line == closing {
            // The last row had no comma, and nothing follows the closing.
            let ended = n != 0 && !more && read_line(&mut bytes)? == 0;
            return ended.then_some(as_of);
        }
        let (object, comma) = match line.strip_suffix(',') {
            Some(object) => (object, true),
            None => (line, false),
        };
        let parses = serde_json::from_str::<serde::de::IgnoredAny>(object).is_ok();
        if !object.starts_with('{') || !parses || (rows > 0 && !more) {
            return None;
        }
        row((at, object));
        (rows, more) = (rows + 1, comma);
        at += n as u64;
    }
}

/// A line's text without its line ending; `None` if it is not UTF-8.
fn line_of(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// Reads one open-data file of the previous output: its rows by key.
fn published(
    dir: &Path,
    t: RecordType,
) -> Result<Option<(Published, Option<NaiveDate>)>, Unusable> {
    let rel = format!("data/{}.json", t.dataset());
    let Some(file) = open(dir, &rel)? else {
        return Ok(None);
    };
    let path = dir.join(&rel);
    let mut rows = Vec::new();
    let as_of = rows_of(&file, &mut |(at, line)| {
        if let Some(key) = super::diff::key_of(t, line) {
            rows.push(Placed {
                key: key.into_boxed_str(),
                digest: digest(line),
                at,
                len: line.len() as u32,
            });
        }
    });
    let as_of = as_of.ok_or_else(|| Unusable {
        file: path.clone(),
        vi: "không phải tệp dữ liệu mở của congkhai".into(),
        en: "not a congkhai open-data file".into(),
    })?;
    // By key, the later of two rows with one key counting.
    rows.reverse();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    rows.dedup_by(|later, earlier| later.key == earlier.key);
    rows.shrink_to_fit();
    let file = Some((path, Arc::new(file)));
    Ok(Some((Published { file, rows }, as_of)))
}

/// Reads the previous output at `dir`. A log that does not hold together is
/// an error: extending it would vouch for what cannot be vouched for.
pub fn read_previous(dir: &Path) -> Result<Previous, Unusable> {
    let mut out = Previous::default();
    if let Some(mut file) = open(dir, LOG)? {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| Unusable {
            file: dir.join(LOG),
            vi: format!("không đọc được: {e}"),
            en: format!("cannot read: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| Unusable {
            file: dir.join(LOG),
            vi: "không phải UTF-8".into(),
            en: "not UTF-8".into(),
        })?;
        out.log = Some(History::parse(&text).map_err(|b: Broken| Unusable {
            file: dir.join(LOG),
            vi: format!("dòng {}: {}", b.line, b.vi),
            en: format!("line {}: {}", b.line, b.en),
        })?);
    }
    // The four files are read, parsed and keyed in parallel.
    let read: Vec<_> = TYPES.into_par_iter().map(|t| published(dir, t)).collect();
    for (slot, r) in out.rows.iter_mut().zip(read) {
        if let Some((rows, as_of)) = r? {
            *slot = Some(rows);
            out.as_of = out.as_of.max(as_of);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A previous output whose decisions file holds `rows`.
    fn output(rows: &[&str]) -> tempfile::TempDir {
        let t = tempfile::tempdir().unwrap();
        fs::create_dir(t.path().join("data")).unwrap();
        let head = r#"{"dataset":"decisions","as_of":"2026-11-01","rows":["#;
        let text = format!("{head}\n{}\n]}}\n", rows.join(",\n"));
        fs::write(t.path().join("data/decisions.json"), text).unwrap();
        t
    }

    fn decisions(p: &Previous) -> &Published {
        p.rows[2].as_ref().expect("a decisions file")
    }

    /// Rows are kept by key (the later of two with one key), and a row's
    /// text is read again from the file, as it was published.
    #[test]
    fn rows_are_keyed_and_read_again_from_the_file() {
        let dir = output(&[
            r#"{"id":"b","v":1}"#,
            r#"{"id":"a","v":2}"#,
            r#"{"id":"b","v":3}"#,
        ]);
        let p = read_previous(dir.path()).unwrap();
        assert_eq!(p.as_of, NaiveDate::from_ymd_opt(2026, 11, 1));
        let rows = decisions(&p);
        let keys: Vec<&str> = (0..rows.len()).map(|i| rows.key(i)).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(rows.line(1).unwrap(), r#"{"id":"b","v":3}"#);
        assert_eq!(rows.digest(0), digest(r#"{"id":"a","v":2}"#));
        assert!(p.rows[0].is_none(), "no conclusions file, no rows");
    }

    /// The file edited after it was read: its rows are not trusted.
    #[test]
    fn a_file_changed_after_it_was_read_is_refused() {
        let dir = output(&[r#"{"id":"a","v":1}"#]);
        let p = read_previous(dir.path()).unwrap();
        let path = dir.path().join("data/decisions.json");
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("\"v\":1", "\"v\":2");
        fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .unwrap();
        let e = decisions(&p).line(0).unwrap_err();
        assert!(e.en.contains("changed during the build"), "{e}");
    }

    /// A damaged file is refused, not half read: cut short, rows without
    /// their comma, a row that is not JSON, a comma before the end, text
    /// after it.
    #[test]
    fn a_damaged_file_is_refused() {
        let dir = output(&[r#"{"id":"a","v":1}"#, r#"{"id":"b","v":2}"#]);
        let path = dir.path().join("data/decisions.json");
        let good = fs::read_to_string(&path).unwrap();
        let damaged = [
            good[..good.len() - 4].to_string(),
            good.replace("},\n{", "}\n{"),
            good.replace(r#""v":2}"#, r#""v":2,}"#),
            good.replace("}\n]}", "},\n]}"),
            format!("{good}{{}}\n"),
        ];
        for text in damaged {
            fs::write(&path, &text).unwrap();
            let e = read_previous(dir.path()).expect_err(&text);
            assert!(e.en.contains("not a congkhai open-data file"), "{e}");
        }
        fs::write(&path, &good).unwrap();
        assert!(read_previous(dir.path()).is_ok());
    }
}
