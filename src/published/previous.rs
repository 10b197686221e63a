//! Reading what was published before: the change log and the open data of
//! the previous output (the folder a build replaces, or a copy of the live
//! site given with `--previous`). Read only; nothing here writes, and a
//! symbolic link inside that folder is not followed (it is not something a
//! build wrote).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::Value;

use super::diff::{Keyed, keyed};
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
    /// Its rows of each record type (each a JSON object on one line, as
    /// the open data writes them) by key, in [`TYPES`] order; `None` when
    /// that file was absent.
    pub rows: [Option<Keyed>; 4],
    /// The as-of date it was built with (as its open data says).
    pub as_of: Option<NaiveDate>,
}

/// Why the previous output cannot be compared with.
#[derive(Debug)]
pub struct Unusable {
    pub file: PathBuf,
    pub vi: String,
    pub en: String,
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} / {}", self.file.display(), self.vi, self.en)
    }
}

/// Reads a regular file of the output; `None` when there is nothing there.
fn read(dir: &Path, rel: &str) -> Result<Option<Vec<u8>>, Unusable> {
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
    let mut bytes = Vec::new();
    fs::File::open(&path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| unusable(format!("không đọc được: {e}"), format!("cannot read: {e}")))?;
    Ok(Some(bytes))
}

/// The rows of one open-data file (one JSON object per line) and the
/// as-of date it states.
type Rows = (Vec<String>, Option<NaiveDate>);

/// The rows of an open-data JSON file, as the lines they are written on:
/// the object with `rows` this version writes (its first line holds the
/// terms and the as-of date), or the bare array older versions wrote. The
/// file must parse as JSON as a whole, so that a damaged file is refused
/// rather than half read.
pub(super) fn rows_of(bytes: &[u8]) -> Option<Rows> {
    let text = std::str::from_utf8(bytes).ok()?;
    let head = match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => text.lines().next()?,
        Err(_) => return None,
    };
    let as_of = head
        .strip_suffix("\"rows\":[")
        .and_then(|h| serde_json::from_str::<Value>(&format!("{h}\"rows\":[]}}")).ok())
        .and_then(|v| v.get("as_of")?.as_str()?.parse().ok());
    if as_of.is_none() && head.trim() != "[" {
        return None;
    }
    let rows = text
        .lines()
        .skip(1)
        .map(|l| l.strip_suffix(',').unwrap_or(l))
        .filter(|l| l.starts_with('{') && l.ends_with('}'))
        .map(str::to_string)
        .collect();
    Some((rows, as_of))
}

/// Reads the previous output at `dir`. A log that does not hold together is
/// an error: extending it would vouch for what cannot be vouched for.
pub fn read_previous(dir: &Path) -> Result<Previous, Unusable> {
    let mut out = Previous::default();
    if let Some(bytes) = read(dir, LOG)? {
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
    let read_one = |t: RecordType| -> Result<Option<(Keyed, Option<NaiveDate>)>, Unusable> {
        let rel = format!("data/{}.json", t.dataset());
        let Some(bytes) = read(dir, &rel)? else {
            return Ok(None);
        };
        rows_of(&bytes)
            .map(|(rows, as_of)| Some((keyed(t, rows), as_of)))
            .ok_or_else(|| Unusable {
                file: dir.join(&rel),
                vi: "không phải tệp dữ liệu mở của congkhai".into(),
                en: "not a congkhai open-data file".into(),
            })
    };
    let read: Vec<_> = TYPES.into_par_iter().map(read_one).collect();
    for (slot, r) in out.rows.iter_mut().zip(read) {
        if let Some((rows, as_of)) = r? {
            *slot = Some(rows);
            out.as_of = out.as_of.max(as_of);
        }
    }
    Ok(out)
}
