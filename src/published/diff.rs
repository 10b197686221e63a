//! What changed between two publications, record by record, field by field,
//! compared on the open data both published (what readers could download is
//! what the log speaks of).

use serde_json::{Map, Value};

use crate::derive::history::{Entry, FieldChange, Kind, Record, RecordType, recommendation_key};
use crate::site::urls;

use super::rows::Unusable;
pub use super::rows::{NoRows, Rows};

/// Columns that move with the as-of date alone, or that repeat what another
/// record's entry says: comparing them would log the passing of time.
fn ignored(t: RecordType, field: &str) -> bool {
    match t {
        RecordType::Conclusion => matches!(
            field,
            "url" | "recommendations" | "recommendations_done" | "recommendations_overdue"
        ),
        RecordType::Recommendation => matches!(field, "overdue" | "days_overdue" | "on_time"),
        RecordType::Decision => field == "url",
        RecordType::Recovery => false,
    }
}

/// A figure: an amount of money or of land.
fn is_figure(field: &str) -> bool {
    field.ends_with("_vnd") || field.ends_with("_m2")
}

fn text<'v>(row: &'v Map<String, Value>, field: &str) -> &'v str {
    row.get(field).and_then(Value::as_str).unwrap_or("")
}

/// A row's key, and what the log says of its record; `None` for a row
/// without the fields that identify it.
pub fn record(t: RecordType, row: &Map<String, Value>) -> Option<Record> {
    let id = text(row, "id");
    let (key, title, path) = match t {
        RecordType::Conclusion => (
            id.to_string(),
            format!("{} — {}", text(row, "number"), text(row, "title")),
            urls::conclusion(id),
        ),
        RecordType::Recommendation => {
            let c = text(row, "conclusion");
            if c.is_empty() {
                return None;
            }
            (
                recommendation_key(c, id),
                format!("{} — {id}", text(row, "conclusion_number")),
                format!("{}#{}", urls::conclusion(c), urls::anchor(id)),
            )
        }
        RecordType::Decision => (
            id.to_string(),
            text(row, "number").to_string(),
            urls::decision(id),
        ),
        RecordType::Recovery => {
            let (period, agency) = (text(row, "period"), text(row, "agency"));
            if period.is_empty() || agency.is_empty() {
                return None;
            }
            (
                format!("{period}/{agency}/{}", text(row, "reported_on")),
                format!("{period} — {agency}"),
                urls::RECOVERIES.to_string(),
            )
        }
    };
    (!key.is_empty() && !key.starts_with('/')).then_some(Record {
        record_type: t,
        id: key,
        title,
        path,
    })
}

/// The fields that identify a row, read without building the row: most
/// rows are unchanged and are compared as text.
#[derive(serde::Deserialize)]
struct Key<'a> {
    #[serde(borrow, default)]
    id: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    conclusion: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    period: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    agency: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    reported_on: std::borrow::Cow<'a, str>,
}

/// A row's key, as [`record`] makes it, from its JSON text.
pub(super) fn key_of(t: RecordType, line: &str) -> Option<String> {
    let k: Key<'_> = serde_json::from_str(line).ok()?;
    let key = match t {
        RecordType::Conclusion | RecordType::Decision => k.id.into_owned(),
        RecordType::Recommendation if !k.conclusion.is_empty() => {
            recommendation_key(&k.conclusion, &k.id)
        }
        RecordType::Recovery if !k.period.is_empty() && !k.agency.is_empty() => {
            format!("{}/{}/{}", k.period, k.agency, k.reported_on)
        }
        _ => return None,
    };
    (!key.is_empty() && !key.starts_with('/')).then_some(key)
}

/// A row's fields and what the log says of it.
fn parsed(t: RecordType, line: &str) -> Option<(Record, Map<String, Value>)> {
    match serde_json::from_str(line).ok()? {
        Value::Object(o) => record(t, &o).map(|r| (r, o)),
        _ => None,
    }
}

/// The kind of a change to a record that was and still is published.
fn kind_of(t: RecordType, old: &Map<String, Value>, changes: &[FieldChange]) -> Kind {
    let changed = |f: &str| changes.iter().any(|c| c.field == f);
    let became = |f: &str, v: &Value| changes.iter().any(|c| c.field == f && &c.new == v);
    if became("status", &Value::from("withdrawn")) || became("withdrawn", &Value::Bool(true)) {
        return Kind::Withdrawn;
    }
    // A published figure changed: a correction — unless a recommendation's
    // recovered total grew with a new progress entry (its update date moved).
    let progress = t == RecordType::Recommendation && changed("updated_on");
    let corrected = changes.iter().any(|c| {
        is_figure(&c.field)
            && !old.get(&c.field).is_none_or(Value::is_null)
            && !(progress && c.field.starts_with("recovered_"))
    });
    if corrected {
        Kind::Corrected
    } else {
        Kind::Changed
    }
}

fn is_overdue(row: &Map<String, Value>) -> bool {
    row.get("overdue").and_then(Value::as_bool) == Some(true)
}

/// The events between the previous rows of one record type and today's,
/// in key order. Only rows whose digests differ are read.
pub fn events(t: RecordType, old: &dyn Rows, new: &dyn Rows) -> Result<Vec<Entry>, Unusable> {
    let mut out = Vec::new();
    for pair in by_key(old, new) {
        match pair {
            (Some(a), Some(b)) if old.digest(a) == new.digest(b) => {}
            (None, Some(b)) => {
                if let Some((rec, _)) = parsed(t, &new.line(b)?) {
                    out.push(Entry::about(Kind::Added, &rec, vec![]));
                }
            }
            (Some(a), None) => {
                if let Some((rec, _)) = parsed(t, &old.line(a)?) {
                    out.push(Entry::about(Kind::Removed, &rec, vec![]));
                }
            }
            (Some(a), Some(b)) => {
                let (a, b) = (old.line(a)?, new.line(b)?);
                if let (Some((_, before)), Some((rec, after))) = (parsed(t, &a), parsed(t, &b)) {
                    changed(t, &rec, &before, &after, &mut out);
                }
            }
            (None, None) => {}
        }
    }
    Ok(out)
}

/// The previous and today's row of every key of either, in key order, by
/// walking both in order once.
fn by_key(old: &dyn Rows, new: &dyn Rows) -> Vec<(Option<usize>, Option<usize>)> {
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::with_capacity(old.len().max(new.len()));
    while i < old.len() || j < new.len() {
        let order = match (i < old.len(), j < new.len()) {
            (true, true) => old.key(i).cmp(new.key(j)),
            (true, false) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        pairs.push(match order {
            std::cmp::Ordering::Equal => (Some(i), Some(j)),
            std::cmp::Ordering::Less => (Some(i), None),
            std::cmp::Ordering::Greater => (None, Some(j)),
        });
        i += usize::from(order.is_le());
        j += usize::from(order.is_ge());
    }
    pairs
}

/// The events of a record published before and now, whose rows differ.
fn changed(
    t: RecordType,
    rec: &Record,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    out: &mut Vec<Entry>,
) {
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    let changes: Vec<FieldChange> = fields
        .into_iter()
        .filter(|f| !ignored(t, f))
        .filter_map(|f| {
            let (o, n) = (
                before.get(f).unwrap_or(&Value::Null),
                after.get(f).unwrap_or(&Value::Null),
            );
            (o != n).then(|| FieldChange {
                field: f.clone(),
                old: o.clone(),
                new: n.clone(),
            })
        })
        .collect();
    if !changes.is_empty() {
        let kind = kind_of(t, before, &changes);
        out.push(Entry::about(kind, rec, changes));
    }
    if t == RecordType::Recommendation && !is_overdue(before) && is_overdue(after) {
        let due = after.get("due").cloned().unwrap_or(Value::Null);
        let change = FieldChange {
            field: "due".into(),
            old: due.clone(),
            new: due,
        };
        out.push(Entry::about(Kind::Overdue, rec, vec![change]));
    }
}

#[cfg(test)]
mod tests {
    use super::super::rows::Digest;
    use super::*;
    use serde_json::json;

    fn rec(status: &str, recovered: u64, updated: &str, overdue: bool) -> String {
        json!({"conclusion": "kl-1", "conclusion_number": "01/KL", "id": "1",
               "status": status, "recovered_vnd": recovered, "updated_on": updated,
               "overdue": overdue, "days_overdue": if overdue { 3 } else { 0 }})
        .to_string()
    }

    /// Rows held as text, as a test gives them: sorted by key, the later
    /// of two rows with one key counting.
    struct Held(Vec<(String, String)>);

    impl Held {
        fn of(t: RecordType, lines: &[String]) -> Self {
            let mut rows: Vec<(String, String)> = lines
                .iter()
                .rev()
                .map(|l| (key_of(t, l).expect("a keyed row"), l.clone()))
                .collect();
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            rows.dedup_by(|later, earlier| later.0 == earlier.0);
            Held(rows)
        }
    }

    impl Rows for Held {
        fn len(&self) -> usize {
            self.0.len()
        }

        fn key(&self, i: usize) -> &str {
            &self.0[i].0
        }

        fn digest(&self, i: usize) -> Digest {
            crate::published::rows::digest(&self.0[i].1)
        }

        fn line(&self, i: usize) -> Result<String, Unusable> {
            Ok(self.0[i].1.clone())
        }
    }

    /// The events from previous rows to today's.
    fn events(t: RecordType, old: &[String], new: &[String]) -> Vec<Entry> {
        super::events(t, &Held::of(t, old), &Held::of(t, new)).unwrap()
    }

    #[test]
    fn rows_are_paired_by_key_in_key_order_and_a_later_row_of_a_key_counts() {
        let c = |id: &str, v: &str| json!({"id": id, "v": v}).to_string();
        let t = RecordType::Decision;
        let old = Held::of(t, &[c("a", "1"), c("c", "3"), c("d", "4")]);
        let new = Held::of(
            t,
            &[
                c("d", "4x"),
                c("b", "2"),
                c("a", "1"),
                c("b", "2b"),
                c("e", "5"),
            ],
        );
        let v = |rows: &Held, i: Option<usize>| {
            i.map(|i| serde_json::from_str::<Value>(&rows.line(i).unwrap()).unwrap()["v"].clone())
        };
        let pairs: Vec<_> = by_key(&old, &new)
            .into_iter()
            .map(|(a, b)| (v(&old, a), v(&new, b)))
            .collect();
        let s = |x: &str| Some(json!(x));
        assert_eq!(
            pairs,
            [
                (s("1"), s("1")),
                (None, s("2b")),
                (s("3"), None),
                (s("4"), s("4x")),
                (None, s("5")),
            ]
        );
    }

    #[test]
    fn a_status_moved_by_new_progress_is_a_change() {
        let e = events(
            RecordType::Recommendation,
            &[rec("in_progress", 10, "2026-01-01", false)],
            &[rec("done", 20, "2026-02-01", false)],
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, Kind::Changed);
        assert_eq!(e[0].id.as_deref(), Some("kl-1/1"));
        let fields: Vec<&str> = e[0].changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["recovered_vnd", "status", "updated_on"]);
    }

    #[test]
    fn a_published_figure_changed_without_new_progress_is_a_correction() {
        let e = events(
            RecordType::Recommendation,
            &[rec("in_progress", 10, "2026-01-01", false)],
            &[rec("in_progress", 9, "2026-01-01", false)],
        );
        assert_eq!(e[0].kind, Kind::Corrected);
        assert_eq!(e[0].changes[0].old, json!(10));
        assert_eq!(e[0].changes[0].new, json!(9));
    }

    #[test]
    fn the_passing_of_time_alone_is_no_change_but_falling_overdue_is_an_event() {
        let e = events(
            RecordType::Recommendation,
            &[rec("in_progress", 10, "2026-01-01", false)],
            &[rec("in_progress", 10, "2026-01-01", true)],
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].kind, Kind::Overdue);
        let again = events(
            RecordType::Recommendation,
            &[rec("in_progress", 10, "2026-01-01", true)],
            &[rec("in_progress", 10, "2026-01-01", true)],
        );
        assert!(again.is_empty());
    }

    #[test]
    fn added_removed_and_withdrawn_records() {
        let c = |id: &str, status: &str| {
            json!({"id": id, "number": "01/KL", "title": "T", "status": status}).to_string()
        };
        let e = events(
            RecordType::Conclusion,
            &[c("kl-1", "in_force"), c("kl-2", "in_force")],
            &[c("kl-1", "withdrawn"), c("kl-3", "in_force")],
        );
        let kinds: Vec<(Kind, &str)> = e
            .iter()
            .map(|x| (x.kind, x.id.as_deref().unwrap()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Withdrawn, "kl-1"),
                (Kind::Removed, "kl-2"),
                (Kind::Added, "kl-3")
            ]
        );
        assert_eq!(e[0].path.as_deref(), Some("/ket-luan/kl-1/"));
    }
}
