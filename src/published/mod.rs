//! The **published** stage: what this build publishes compared with what was
//! published before (the change log), and the proof that a copy is what was
//! published (the signed manifest, and its verification).
//!
//! It sits above the exports because it compares their rows, and below
//! `produce`, which hands the change log to every page through
//! [`Derived::history`].

pub mod diff;
pub mod previous;
pub mod sign;
pub mod verify;

use rayon::prelude::*;
use serde::Serialize;

use crate::derive::Derived;
use crate::derive::history::{Entry, History, Kind, RecordType};
use crate::export::data;
use crate::site::urls::Urls;
pub use previous::{LOG, Previous, Unusable, read_previous};

/// The rows of one record type as the open data publishes them, each as
/// the JSON line it is written as.
fn rows(d: &Derived<'_>, urls: &Urls, t: RecordType) -> Vec<String> {
    // The same text as the open data writes each row (through a JSON value,
    // for its CSV cells too; with fields kept in order, that is the same
    // text as writing the row itself, twice as fast), so that an unchanged
    // row is compared as text.
    fn values<T: Serialize>(rows: Vec<T>) -> Vec<String> {
        rows.into_iter()
            .filter_map(|r| serde_json::to_string(&r).ok())
            .collect()
    }
    // The same absolute addresses as the open data: an unchanged row must
    // be the same text (the address columns are not compared as fields).
    let abs = &|p: &str| urls.absolute(crate::model::vocab::Language::Vi, p);
    match t {
        RecordType::Conclusion => values(data::conclusions(d, abs)),
        RecordType::Recommendation => values(data::recommendations(d)),
        RecordType::Decision => values(data::decisions(d, abs)),
        RecordType::Recovery => values(data::recoveries(d)),
    }
}

/// Why the log cannot be extended by this build.
#[derive(Debug)]
pub struct OutOfOrder {
    pub vi: String,
    pub en: String,
}

/// The change log after this build: the previous log, extended by what
/// changed since (`urls` are those the open data is written with). With no previous log it starts here, saying how many
/// records were already published.
pub fn history(d: &Derived<'_>, previous: &Previous, urls: &Urls) -> Result<History, OutOfOrder> {
    let had_log = previous.log.is_some();
    in_order(previous, d.as_of)?;
    let mut log = previous.log.clone().unwrap_or_default();
    // The four record types are compared in parallel (at 10 000 records
    // this step took 416 ms on one core).
    let per_type: Vec<Vec<Entry>> = previous
        .rows
        .par_iter()
        .zip(previous::TYPES)
        .map(|(old, t)| match old {
            Some(old) => diff::events(t, old, &self::rows(d, urls, t)),
            // A type the previous output had no file for: with a log, its
            // records are new; without one, the log's start covers them.
            None if had_log => diff::events(t, &diff::Keyed::new(), &self::rows(d, urls, t)),
            None => Vec::new(),
        })
        .collect();
    let mut events: Vec<Entry> = per_type.into_iter().flatten().collect();
    if log.entries.is_empty() {
        let records = d.site.conclusions.len()
            + d.recs.len()
            + d.site.decisions.len()
            + d.site.recoveries.len();
        events.insert(
            0,
            Entry {
                seq: 0,
                prev: None,
                as_of: d.as_of,
                kind: Kind::Started,
                record_type: None,
                id: None,
                title: None,
                path: None,
                changes: Vec::new(),
                records: Some(records as u64),
            },
        );
    }
    for e in events {
        log.append(e, d.as_of);
    }
    Ok(log)
}

/// The log runs forward in time: a build as of an earlier day than the
/// previous publication (or its log's last entry) would compare a past
/// state with a later one, and log recommendations falling overdue twice.
pub fn in_order(previous: &Previous, as_of: chrono::NaiveDate) -> Result<(), OutOfOrder> {
    let last = previous
        .log
        .as_ref()
        .and_then(|l| l.entries.last().map(|e| e.as_of))
        .max(previous.as_of);
    if let Some(last) = last
        && as_of < last
    {
        return Err(OutOfOrder {
            vi: format!(
                "ngày lập dữ liệu {} sớm hơn ngày của bản công bố trước ({last}); hãy dựng với --as-of {last} hoặc muộn hơn",
                as_of
            ),
            en: format!(
                "the as-of date {} is before the previous publication's ({last}); build with --as-of {last} or later",
                as_of
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows compared are the lines the open data publishes, byte for
    /// byte: an unchanged record must be the same text.
    #[test]
    fn rows_are_the_lines_the_open_data_publishes() {
        let raw = crate::load::load(&crate::testing::valid_fixture());
        let (site, _) =
            crate::model::build(&raw, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let d = Derived::new(&site);
        let urls = Urls::new("https://x.example.gov.vn/cong");
        let (files, _) = crate::export::open_data(&d, &urls).unwrap();
        for t in previous::TYPES {
            let path = format!("data/{}.json", t.dataset());
            let file = files.iter().find(|f| f.path == path).expect(&path);
            let (published, _) = previous::rows_of(&file.bytes).expect(&path);
            assert!(!published.is_empty(), "{path}");
            assert_eq!(rows(&d, &urls, t), published, "{path}");
        }
    }
}
