//! The **published** stage: what this build publishes compared with what was
//! published before (the change log), and the proof that a copy is what was
//! published (the signed manifest, and its verification).
//!
//! It sits above the exports because it compares their rows, and below
//! `produce`, which hands the change log to every page through
//! [`Derived::history`].

pub mod diff;
pub mod lines;
pub mod previous;
pub mod rows;
pub mod sign;
pub mod verify;

use rayon::prelude::*;

use crate::derive::Derived;
use crate::derive::history::{Entry, History, Kind};
use crate::site::urls::Urls;
pub use previous::{LOG, Previous, Unusable, read_previous};

/// Why the log cannot be extended by this build.
#[derive(Debug)]
pub struct Cannot {
    pub vi: String,
    pub en: String,
}

/// The previous output changed while it was compared with.
impl From<Unusable> for Cannot {
    fn from(e: Unusable) -> Self {
        Cannot {
            vi: format!("{}: {}", e.file.display(), e.vi),
            en: format!("{}: {}", e.file.display(), e.en),
        }
    }
}

/// The change log after this build: the previous log, extended by what
/// changed since (`urls` are those the open data is written with). With no previous log it starts here, saying how many
/// records were already published.
pub fn history(d: &Derived<'_>, previous: &Previous, urls: &Urls) -> Result<History, Cannot> {
    history_keeping(d, previous, urls, &mut lines::Kept::default())
}

/// [`history`], with the lines of records kept from the last comparison
/// (what `serve` does on every edit).
pub fn history_keeping(
    d: &Derived<'_>,
    previous: &Previous,
    urls: &Urls,
    kept: &mut lines::Kept,
) -> Result<History, Cannot> {
    let had_log = previous.log.is_some();
    in_order(previous, d.as_of)?;
    let mut log = previous.log.clone().unwrap_or_default();
    // Nothing to compare with and no log: the log's start covers every record.
    let compared = had_log || previous.rows.iter().any(Option::is_some);
    let lines = compared.then(|| lines::Lines::make(d, urls, kept));
    // The four record types are compared in parallel (at 10 000 records
    // this step took 416 ms on one core).
    let per_type: Vec<Vec<Entry>> = previous
        .rows
        .par_iter()
        .zip(previous::TYPES)
        .map(|(old, t)| match (old, &lines) {
            (Some(old), Some(lines)) => diff::events(t, old, &lines.of(t, d, urls)),
            // A type the previous output had no file for: with a log, its
            // records are new; without one, the log's start covers them.
            (None, Some(lines)) if had_log => diff::events(t, &diff::NoRows, &lines.of(t, d, urls)),
            _ => Ok(Vec::new()),
        })
        .collect::<Result<_, Unusable>>()?;
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
pub fn in_order(previous: &Previous, as_of: chrono::NaiveDate) -> Result<(), Cannot> {
    let last = previous
        .log
        .as_ref()
        .and_then(|l| l.entries.last().map(|e| e.as_of))
        .max(previous.as_of);
    if let Some(last) = last
        && as_of < last
    {
        return Err(Cannot {
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
    use super::diff::Rows;
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
        let (files, _) = crate::export::open_data_files(&d, &urls).unwrap();
        let lines = lines::Lines::make(&d, &urls, &mut lines::Kept::default());
        for t in previous::TYPES {
            let path = format!("data/{}.json", t.dataset());
            let mut published = Vec::new();
            let file = std::io::Cursor::new(&files[&path]);
            previous::rows_of(file, &mut |(_, l)| published.push(l.to_string())).expect(&path);
            assert!(!published.is_empty(), "{path}");
            let today = lines.of(t, &d, &urls);
            let mut compared: Vec<String> = (0..today.len())
                .map(|i| {
                    let line = today.line(i).unwrap();
                    assert_eq!(rows::digest(&line), today.digest(i), "{path}");
                    line
                })
                .collect();
            compared.sort();
            published.sort();
            assert_eq!(compared, published, "{path}");
        }
    }
}
