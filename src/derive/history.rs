//! The change log: what changed between published versions of the site, one
//! JSON line per event in `data/changes.jsonl`.
//!
//! Entries are hash-chained: each holds the SHA-256 of the line before it, so
//! anyone who kept an older copy of the log can prove that a newer one only
//! extends it (`congkhai verify --extends`). The log is computed by the
//! `published` stage from the previous output; this module holds its shape,
//! its chain, and the lookups pages make.

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The log began here: what was published before is not itemised.
    Started,
    Added,
    /// Fields changed in the ordinary course (a status moved, progress added).
    Changed,
    /// A figure already published was changed: a correction, shown as one.
    Corrected,
    Withdrawn,
    Removed,
    /// A recommendation passed its due date unfinished since the last build.
    Overdue,
}

impl Kind {
    /// The kinds a reader can filter by, in the order the menu shows them.
    pub const FILTERS: [Kind; 6] = [
        Kind::Added,
        Kind::Changed,
        Kind::Corrected,
        Kind::Withdrawn,
        Kind::Removed,
        Kind::Overdue,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Started => "started",
            Kind::Added => "added",
            Kind::Changed => "changed",
            Kind::Corrected => "corrected",
            Kind::Withdrawn => "withdrawn",
            Kind::Removed => "removed",
            Kind::Overdue => "overdue",
        }
    }
}

/// The type of record an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Conclusion,
    Recommendation,
    Decision,
    Recovery,
}

impl RecordType {
    /// The open-data file that holds records of this type.
    pub fn dataset(self) -> &'static str {
        match self {
            RecordType::Conclusion => "conclusions",
            RecordType::Recommendation => "recommendations",
            RecordType::Decision => "decisions",
            RecordType::Recovery => "recoveries",
        }
    }
}

/// One field's change: its value before and after, as the open data has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// One event of the log, as one JSON line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log, from 1.
    pub seq: u64,
    /// SHA-256 (hex) of the previous line; `null` on the first.
    pub prev: Option<String>,
    /// The as-of date of the build that recorded it.
    pub as_of: NaiveDate,
    pub kind: Kind,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<RecordType>,
    /// The record's key: its id, `conclusion/recommendation` for a
    /// recommendation, `period/agency/reported_on` for a recovery row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What a reader calls the record (its number and title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The record's page, as a path of the site in Vietnamese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// On the first entry: how many records were published when the log began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
}

impl Entry {
    /// An event about a record, before it is chained.
    pub fn about(kind: Kind, record: &Record, changes: Vec<FieldChange>) -> Self {
        Entry {
            seq: 0,
            prev: None,
            as_of: NaiveDate::MIN,
            kind,
            record_type: Some(record.record_type),
            id: Some(record.id.clone()),
            title: Some(record.title.clone()),
            path: Some(record.path.clone()),
            changes,
            records: None,
        }
    }
}

/// What an entry says about the record it concerns.
#[derive(Debug, Clone)]
pub struct Record {
    pub record_type: RecordType,
    pub id: String,
    pub title: String,
    pub path: String,
}

/// The SHA-256 of a line, in hex.
pub fn hash_line(line: &[u8]) -> String {
    crate::source::sha256_hex(line)
}

/// Why a log does not hold together.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// The line (from 1) where it breaks.
    pub line: usize,
    pub vi: String,
    pub en: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "dòng {}: {} / line {}: {}",
            self.line, self.vi, self.line, self.en
        )
    }
}

fn broken(line: usize, vi: impl Into<String>, en: impl Into<String>) -> Broken {
    Broken {
        line,
        vi: vi.into(),
        en: en.into(),
    }
}

/// The whole log: its entries and the exact lines they were read from or
/// will be written as.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub entries: Vec<Entry>,
    lines: Vec<String>,
    /// Entries (indices) by record key, oldest first.
    by_record: HashMap<String, Vec<usize>>,
}

impl History {
    /// Reads a log and checks its chain: every line parses, numbers run
    /// from 1, and each `prev` is the hash of the line before.
    pub fn parse(text: &str) -> Result<Self, Broken> {
        let mut h = History::default();
        for (n, line) in text.lines().enumerate() {
            let entry: Entry = serde_json::from_str(line).map_err(|e| {
                broken(
                    n + 1,
                    format!("không đọc được mục nhật ký: {e}"),
                    format!("not a log entry: {e}"),
                )
            })?;
            if entry.seq != n as u64 + 1 {
                return Err(broken(
                    n + 1,
                    format!("số thứ tự là {} thay vì {}", entry.seq, n + 1),
                    format!("sequence number is {} instead of {}", entry.seq, n + 1),
                ));
            }
            let expected = h.lines.last().map(|l| hash_line(l.as_bytes()));
            if entry.prev != expected {
                return Err(broken(
                    n + 1,
                    "mã băm của mục trước không khớp: nhật ký đã bị sửa hoặc cắt",
                    "the previous entry's hash does not match: the log was altered or cut",
                ));
            }
            h.push_line(entry, line.to_string());
        }
        if !text.is_empty() && !text.ends_with('\n') {
            return Err(broken(
                h.lines.len(),
                "dòng cuối không kết thúc bằng xuống dòng: tệp bị cắt",
                "the last line has no line end: the file was cut",
            ));
        }
        Ok(h)
    }

    fn push_line(&mut self, entry: Entry, line: String) {
        if let Some(id) = &entry.id {
            self.by_record
                .entry(id.clone())
                .or_default()
                .push(self.entries.len());
        }
        self.entries.push(entry);
        self.lines.push(line);
    }

    /// Appends an event of the build as of `as_of`, chained to the last.
    pub fn append(&mut self, mut entry: Entry, as_of: NaiveDate) {
        entry.seq = self.entries.len() as u64 + 1;
        entry.prev = self.lines.last().map(|l| hash_line(l.as_bytes()));
        entry.as_of = as_of;
        // An entry of plain values always serialises.
        let line = serde_json::to_string(&entry).unwrap_or_default();
        self.push_line(entry, line);
    }

    /// The log as written to `data/changes.jsonl`.
    pub fn to_jsonl(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.lines.iter().map(|l| l.len() + 1).sum());
        for l in &self.lines {
            out.extend_from_slice(l.as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// Whether this log only extends `older`: every line of the older copy
    /// is here, unchanged, in the same place.
    pub fn extends(&self, older: &History) -> Result<(), Broken> {
        if let Some(i) = older
            .lines
            .iter()
            .zip(&self.lines)
            .position(|(a, b)| a != b)
        {
            return Err(broken(
                i + 1,
                "mục này khác với bản cũ: lịch sử đã bị viết lại",
                "this entry differs from the older copy: history was rewritten",
            ));
        }
        if older.lines.len() > self.lines.len() {
            return Err(broken(
                self.lines.len() + 1,
                format!(
                    "bản cũ có {} mục, bản mới chỉ có {}: đã bị xóa mục",
                    older.lines.len(),
                    self.lines.len()
                ),
                format!(
                    "entries were removed: the older copy has {}, this one {}",
                    older.lines.len(),
                    self.lines.len()
                ),
            ));
        }
        Ok(())
    }

    /// The day the log began, if it has.
    pub fn started_on(&self) -> Option<NaiveDate> {
        self.entries.first().map(|e| e.as_of)
    }

    /// Entries about the records with these keys, oldest first.
    pub fn of<'k>(&self, keys: impl IntoIterator<Item = &'k str>) -> Vec<&Entry> {
        let mut idx: Vec<usize> = keys
            .into_iter()
            .filter_map(|k| self.by_record.get(k))
            .flatten()
            .copied()
            .collect();
        idx.sort_unstable();
        idx.into_iter().map(|i| &self.entries[i]).collect()
    }

    /// Entries of one kind (or every event but the start), newest first.
    pub fn newest_first(&self, kind: Option<Kind>) -> Vec<&Entry> {
        self.entries
            .iter()
            .rev()
            .filter(|e| e.kind != Kind::Started && kind.is_none_or(|k| e.kind == k))
            .collect()
    }

    /// How many events of each filterable kind the log holds.
    pub fn count(&self, kind: Kind) -> usize {
        self.entries.iter().filter(|e| e.kind == kind).count()
    }
}

/// The recommendation key an entry uses: `conclusion/recommendation`.
pub fn recommendation_key(conclusion: &str, rec: &str) -> String {
    format!("{conclusion}/{rec}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sample() -> History {
        let mut h = History::default();
        let start = Entry {
            records: Some(3),
            ..Entry::about(
                Kind::Started,
                &Record {
                    record_type: RecordType::Conclusion,
                    id: String::new(),
                    title: String::new(),
                    path: String::new(),
                },
                vec![],
            )
        };
        h.append(
            Entry {
                record_type: None,
                id: None,
                title: None,
                path: None,
                ..start
            },
            day("2026-01-01"),
        );
        let rec = Record {
            record_type: RecordType::Conclusion,
            id: "kl-1".into(),
            title: "01/KL".into(),
            path: "/ket-luan/kl-1/".into(),
        };
        h.append(
            Entry::about(
                Kind::Corrected,
                &rec,
                vec![FieldChange {
                    field: "violations_money_vnd".into(),
                    old: 100.into(),
                    new: 90.into(),
                }],
            ),
            day("2026-02-01"),
        );
        h
    }

    #[test]
    fn a_written_log_reads_back_and_its_chain_holds() {
        let h = sample();
        let text = String::from_utf8(h.to_jsonl()).unwrap();
        let back = History::parse(&text).unwrap();
        assert_eq!(back.entries, h.entries);
        assert_eq!(back.started_on(), Some(day("2026-01-01")));
        assert_eq!(back.of(["kl-1"]).len(), 1);
        assert!(back.extends(&h).is_ok());
    }

    #[test]
    fn a_rewritten_entry_breaks_the_chain() {
        let text = String::from_utf8(sample().to_jsonl()).unwrap();
        let first_rewritten = text.replacen("\"records\":3", "\"records\":4", 1);
        let e = History::parse(&first_rewritten).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let dropped = text.lines().skip(1).collect::<Vec<_>>().join("\n") + "\n";
        assert_eq!(History::parse(&dropped).unwrap_err().line, 1);
    }

    #[test]
    fn a_log_that_rewrites_history_does_not_extend_the_older_copy() {
        let older = sample();
        let mut newer = History::default();
        let mut e = older.entries[0].clone();
        e.records = Some(5);
        newer.append(e, day("2026-01-01"));
        assert_eq!(newer.extends(&older).unwrap_err().line, 1);
        let mut longer = older.clone();
        longer.append(older.entries[1].clone(), day("2026-03-01"));
        assert!(longer.extends(&older).is_ok());
        assert!(older.extends(&longer).is_err());
    }
}
