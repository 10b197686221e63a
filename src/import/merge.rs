//! Re-importing a sheet for a record that already exists merges it into the
//! file: new recommendations and progress entries are added (the same date
//! and status is the same entry), changed fields are updated, and anything
//! that would disappear — a recommendation, a progress entry, a field — is
//! refused unless the publisher asked for `--replace`. Every difference is
//! listed, so that nothing changes without a word.

use serde_json::{Map, Value};

/// One difference between a file and what the sheet says, by field path
/// (`recommendations[KN1].progress[2025-08-15 in_progress]`).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Added(String),
    Changed(String, Value, Value),
    /// Removed because `--replace` was given.
    Removed(String),
    /// Would be removed; refused without `--replace`.
    Refused(String),
}

impl Change {
    pub fn is_refused(&self) -> bool {
        matches!(self, Change::Refused(_))
    }
}

use crate::model::schema;

/// The keys of the mappings inside records (subjects, recommendations,
/// progress entries, periods), in the order files are written: their
/// schemas' order.
static NESTED_ORDER: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut keys: Vec<&'static str> = Vec::new();
    for s in [
        &schema::SUBJECT,
        &schema::RECOMMENDATION,
        &schema::PROGRESS,
        &schema::PERIOD,
        &schema::VIOLATIONS,
    ] {
        for k in s.keys() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
});

/// The mapping with its keys in `order`; unknown keys keep their place
/// after the known ones. Mappings inside follow [`NESTED_ORDER`].
pub fn ordered(map: &Map<String, Value>, order: &[&str]) -> Map<String, Value> {
    let rank = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
    let mut keys: Vec<(usize, usize, &String)> = map
        .keys()
        .enumerate()
        .map(|(i, k)| (rank(k), i, k))
        .collect();
    keys.sort();
    keys.into_iter()
        .map(|(_, _, k)| (k.clone(), deep_ordered(&map[k])))
        .collect()
}

fn deep_ordered(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(ordered(m, &NESTED_ORDER)),
        Value::Array(items) => Value::Array(items.iter().map(deep_ordered).collect()),
        other => other.clone(),
    }
}

/// The value without the `null`s that stand for empty cells.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// A record's front matter as the sheet states it, with nothing to merge.
pub fn fresh(new: &Map<String, Value>, order: &[&str]) -> Map<String, Value> {
    match without_nulls(&Value::Object(new.clone())) {
        Value::Object(m) => ordered(&m, order),
        _ => Map::new(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Merges what the sheet says (`new`) into a file's front matter (`old`).
pub fn front(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    order: &[&str],
    replace: bool,
    changes: &mut Vec<Change>,
) -> Map<String, Value> {
    ordered(&map(old, new, "", replace, changes), order)
}

fn map(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    path: &str,
    replace: bool,
    out: &mut Vec<Change>,
) -> Map<String, Value> {
    let mut result = old.clone();
    for (k, nv) in new {
        let p = join(path, k);
        match (old.get(k), nv) {
            (None | Some(Value::Null), Value::Null) => {}
            (Some(_), Value::Null) => {
                if replace {
                    result.remove(k);
                    out.push(Change::Removed(p));
                } else {
                    out.push(Change::Refused(p));
                }
            }
            (None, nv) => {
                result.insert(k.clone(), without_nulls(nv));
                out.push(Change::Added(p));
            }
            (Some(ov), nv) => {
                let merged = match (k.as_str(), ov, nv) {
                    ("recommendations", Value::Array(o), Value::Array(n)) => {
                        Value::Array(list(o, n, &p, recommendation_key, true, replace, out))
                    }
                    ("progress", Value::Array(o), Value::Array(n)) => {
                        let mut items = list(o, n, &p, progress_key, replace, replace, out);
                        // Chronological, as the model requires; equal dates keep their order.
                        items.sort_by(|a, b| date_of(a).cmp(date_of(b)));
                        Value::Array(items)
                    }
                    (_, Value::Object(o), Value::Object(n)) => {
                        Value::Object(map(o, n, &p, replace, out))
                    }
                    _ if same(ov, nv) => ov.clone(),
                    _ => {
                        out.push(Change::Changed(p, ov.clone(), without_nulls(nv)));
                        without_nulls(nv)
                    }
                };
                result.insert(k.clone(), merged);
            }
        }
    }
    if replace {
        for k in old.keys().filter(|k| !new.contains_key(*k)) {
            result.remove(k);
            out.push(Change::Removed(join(path, k)));
        }
    }
    result
}

/// Whether two values say the same (`15` and `"15"` do: the model reads
/// scalars by the field, not by how YAML typed them).
fn same(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    a == b || matches!((text(a), text(b)), (Some(x), Some(y)) if x == y)
}

fn date_of(v: &Value) -> &str {
    v.get("on").and_then(Value::as_str).unwrap_or("")
}

fn recommendation_key(v: &Value) -> String {
    v.get("id")
        .map(|id| match id {
            Value::String(s) => s.to_ascii_lowercase(),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

fn progress_key(v: &Value) -> String {
    let status = v.get("status").and_then(Value::as_str).unwrap_or("");
    format!(
        "{} {}",
        date_of(v),
        crate::model::vocab::Status::parse(status).map_or(status, |s| s.id())
    )
}

use crate::model::vocab::Vocab;

/// Merges two lists of mappings matched by `key`. Items only in `old` are
/// kept unless `removal` says their absence from the sheet means removal
/// (then refused, or removed with `replace`).
fn list(
    old: &[Value],
    new: &[Value],
    path: &str,
    key: fn(&Value) -> String,
    removal: bool,
    replace: bool,
    out: &mut Vec<Change>,
) -> Vec<Value> {
    let mut result: Vec<Value> = Vec::new();
    for o in old {
        let k = key(o);
        let p = format!("{path}[{}]", shown_key(o, &k));
        match new.iter().find(|n| key(n) == k) {
            Some(n) => match (o, n) {
                (Value::Object(om), Value::Object(nm)) => {
                    result.push(Value::Object(map(om, nm, &p, replace, out)));
                }
                _ => result.push(n.clone()),
            },
            None if removal && replace => out.push(Change::Removed(p)),
            None if removal => {
                out.push(Change::Refused(p));
                result.push(o.clone());
            }
            None => result.push(o.clone()),
        }
    }
    for n in new {
        let k = key(n);
        if !old.iter().any(|o| key(o) == k) {
            out.push(Change::Added(format!("{path}[{}]", shown_key(n, &k))));
            result.push(without_nulls(n));
        }
    }
    result
}

/// How an item is named in a path: a recommendation by its id as written.
fn shown_key(v: &Value, key: &str) -> String {
    v.get("id")
        .and_then(Value::as_str)
        .map_or_else(|| key.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    /// The sample conclusion merged with `sheet`, and the changes listed.
    fn merged(sheet: &Map<String, Value>, replace: bool) -> (Map<String, Value>, Vec<Change>) {
        let mut changes = Vec::new();
        let order: Vec<&str> = schema::CONCLUSION.keys().collect();
        let m = front(&conclusion(), sheet, &order, replace, &mut changes);
        (m, changes)
    }

    fn conclusion() -> Map<String, Value> {
        obj(json!({
            "number": "15/KL-TTr",
            "title": "Cũ",
            "recommendations": [
                {"id": "KN1", "text": "a", "progress": [
                    {"on": "2025-08-15", "status": "in_progress", "recovered_vnd": 1},
                    {"on": "2025-09-15", "status": "in_progress", "recovered_vnd": 2}
                ]},
                {"id": "KN2", "text": "b"}
            ]
        }))
    }

    #[test]
    fn progress_is_appended_fields_updated_and_nothing_lost() {
        let sheet = obj(json!({
            "number": "15/KL-TTr",
            "title": "Mới",
            "recommendations": [
                {"id": "kn1", "text": "a", "progress": [
                    {"on": "2025-10-01", "status": "done", "recovered_vnd": 3}
                ]},
                {"id": "KN2", "text": "b"},
                {"id": "KN3", "text": "c"}
            ]
        }));
        let (result, changes) = merged(&sheet, false);
        let recs = result["recommendations"].as_array().unwrap();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0]["progress"].as_array().unwrap().len(), 3);
        assert_eq!(recs[0]["progress"][2]["status"], "done");
        assert_eq!(result["title"], "Mới");
        assert!(changes.contains(&Change::Changed("title".into(), json!("Cũ"), json!("Mới"))));
        assert!(changes.contains(&Change::Added("recommendations[KN3]".into())));
        assert!(changes.contains(&Change::Added(
            "recommendations[KN1].progress[2025-10-01 done]".into()
        )));
        assert!(!changes.iter().any(Change::is_refused), "{changes:?}");
    }

    #[test]
    fn what_the_sheet_leaves_out_is_refused_unless_replaced() {
        let sheet = obj(json!({
            "number": "15/KL-TTr",
            "title": null,
            "recommendations": [{"id": "KN1", "text": "a"}]
        }));
        let (result, changes) = merged(&sheet, false);
        assert!(changes.contains(&Change::Refused("title".into())));
        assert!(changes.contains(&Change::Refused("recommendations[KN2]".into())));
        assert_eq!(
            result["recommendations"].as_array().unwrap().len(),
            2,
            "kept"
        );
        // Progress the sheet does not mention is history, not a removal.
        assert_eq!(
            result["recommendations"][0]["progress"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        let (replaced, changes) = merged(&sheet, true);
        assert!(replaced.get("title").is_none());
        assert_eq!(replaced["recommendations"].as_array().unwrap().len(), 1);
        assert!(changes.contains(&Change::Removed("recommendations[KN2]".into())));
        assert!(!changes.iter().any(Change::is_refused));
    }

    #[test]
    fn numbers_written_as_text_are_the_same_value() {
        let mut changes = Vec::new();
        let old = obj(json!({"number": 15, "amount_vnd": "1000"}));
        let new = obj(json!({"number": "15", "amount_vnd": 1000}));
        front(
            &old,
            &new,
            &schema::CONCLUSION.keys().collect::<Vec<_>>(),
            false,
            &mut changes,
        );
        assert!(changes.is_empty(), "{changes:?}");
    }
}
