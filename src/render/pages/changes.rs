//! The change log as pages: `/thay-doi/` (every event, newest first,
//! paginated, filterable by kind) and the history block of a record's page
//! ("công khai lần đầu / sửa lần cuối" and its changes).

use serde::Serialize;
use serde_json::Value;

use super::menus::{self, FilterGroup, FilterLink, Pager};
use super::{Page, Section};
use crate::derive::history::{Entry, Kind, RecordType};
use crate::derive::plan::Plan;
use crate::model::amount::Vnd;
use crate::model::vocab::Language;
use crate::render::context::Ctx;
use crate::site::urls;

/// One field's change, as a reader sees it.
#[derive(Serialize)]
pub struct FieldView {
    pub label: String,
    pub old: String,
    pub new: String,
}

/// One event of the log, as a reader sees it.
#[derive(Serialize)]
pub struct ChangeView {
    pub seq: u64,
    pub date: String,
    pub date_iso: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub type_label: String,
    pub title: String,
    pub url: Option<String>,
    pub fields: Vec<FieldView>,
}

/// The strings group that labels a field's values, if it is enumerated.
fn value_group(t: RecordType, field: &str) -> Option<&'static str> {
    Some(match (t, field) {
        (RecordType::Recommendation, "status") => "status",
        (RecordType::Decision, "status") => "decision_status",
        (_, "kind") if t == RecordType::Recommendation => "kind",
        (_, "sector") => "sector",
        (_, "penalty") => "penalty",
        (_, "track") => "track",
        (_, "case_stage") => "case_stage",
        _ => return None,
    })
}

/// A published value in the reader's words: labels for enumerated values,
/// money and dates as the rest of the site writes them.
fn value(cx: &Ctx<'_>, t: RecordType, field: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => cx.t.get(if *b { "yes" } else { "no" }).into(),
        Value::Number(n) if field.ends_with("_vnd") => n
            .as_u64()
            .map_or_else(|| n.to_string(), |x| cx.money(Vnd(x))),
        Value::Number(n) if field.ends_with("_m2") => format!("{n}\u{a0}m²"),
        // A text's hash: enough of it to tell the versions apart.
        Value::String(s) if field.ends_with("_sha256") => {
            format!("{}…", s.get(..12).unwrap_or(s))
        }
        Value::String(s) => {
            if let Some(group) = value_group(t, field) {
                cx.t.label(group, s)
            } else if field == "status" && s == "withdrawn" {
                cx.t.get("conclusion.withdrawn").into()
            } else if let Ok(d) = s.parse::<chrono::NaiveDate>() {
                cx.date(d)
            } else {
                s.clone()
            }
        }
        other => other.to_string(),
    }
}

fn field_label(cx: &Ctx<'_>, t: RecordType, field: &str) -> String {
    crate::model::schema::column(t.dataset(), field).map_or_else(
        || field.to_string(),
        |(vi, en)| match cx.lang {
            Language::Vi => vi.to_string(),
            Language::En => en.to_string(),
        },
    )
}

/// An entry as a reader sees it.
pub fn view(cx: &Ctx<'_>, e: &Entry) -> ChangeView {
    let t = e.record_type;
    let fields = match t {
        Some(t) if e.kind != Kind::Overdue => e
            .changes
            .iter()
            .map(|c| FieldView {
                label: field_label(cx, t, &c.field),
                old: value(cx, t, &c.field, &c.old),
                new: value(cx, t, &c.field, &c.new),
            })
            .collect(),
        _ => Vec::new(),
    };
    ChangeView {
        seq: e.seq,
        date: cx.date(e.as_of),
        date_iso: e.as_of.to_string(),
        kind: e.kind.id(),
        kind_label: cx.t.label("change_kind", e.kind.id()),
        type_label: t.map_or_else(String::new, |t| cx.t.label("change_type", t.dataset())),
        title: e.title.clone().unwrap_or_default(),
        // A removed record has no page any more.
        url: e
            .path
            .as_deref()
            .filter(|_| e.kind != Kind::Removed)
            .map(|p| cx.link(p)),
        fields,
    }
}

/// The history block of a record's page.
#[derive(Serialize)]
pub struct RecordHistory {
    /// When it was first published: the day a build first published it,
    /// or, for a record published before the log began, the day its file
    /// says (`published_on`).
    pub first: String,
    pub last: Option<String>,
    pub changes: Vec<ChangeView>,
    pub log_url: String,
}

/// The history of the records with these keys (a conclusion and its
/// recommendations, or one decision).
pub fn record_history<'k>(
    cx: &Ctx<'_>,
    keys: impl IntoIterator<Item = &'k str>,
    published_on: chrono::NaiveDate,
) -> RecordHistory {
    let h = &cx.d.history;
    let entries = h.of(keys);
    let added = entries.iter().find(|e| e.kind == Kind::Added);
    let first = added.map_or(published_on, |e| e.as_of);
    let last = entries
        .iter()
        .rev()
        .find(|e| matches!(e.kind, Kind::Changed | Kind::Corrected | Kind::Withdrawn))
        .map(|e| cx.date(e.as_of));
    RecordHistory {
        first: cx.date(first),
        last,
        changes: entries
            .iter()
            .rev()
            .filter(|e| e.kind != Kind::Added)
            .map(|e| view(cx, e))
            .collect(),
        log_url: cx.link(urls::CHANGES),
    }
}

#[derive(Serialize)]
struct LogView {
    started_on: Option<String>,
    started_records: Option<u64>,
    count: usize,
    changes: Vec<ChangeView>,
    pager: Pager,
    filters: Vec<FilterGroup>,
    feed: String,
    data: String,
}

/// The kind of a filter index of the plan.
fn kind_at(kind: Option<usize>) -> Option<Kind> {
    kind.and_then(|k| Kind::FILTERS.get(k).copied())
}

fn filters(cx: &Ctx<'_>, current: Option<Kind>) -> Vec<FilterGroup> {
    let h = &cx.d.history;
    let mut links = vec![FilterLink {
        label: cx.t.get("all").into(),
        url: cx.link(urls::CHANGES),
        count: h.newest_first(None).len(),
        current: current.is_none(),
    }];
    links.extend(
        Kind::FILTERS
            .iter()
            .map(|&k| (k, h.count(k)))
            .filter(|&(_, n)| n > 0)
            .map(|(k, n)| FilterLink {
                label: cx.t.label("change_kind", k.id()),
                url: cx.link(&urls::changes(Some(k.id()))),
                count: n,
                current: current == Some(k),
            }),
    );
    vec![FilterGroup {
        label: cx.t.get("change.by_kind").into(),
        open: current.is_some(),
        links,
        more: None,
    }]
}

/// A page of the change log, of every kind or of one.
pub fn page(cx: &Ctx<'_>, plan: &Plan, kind: Option<usize>, page: usize) -> Page {
    let kind = kind_at(kind);
    let h = &cx.d.history;
    let all = h.newest_first(kind);
    let base = urls::changes(kind.map(Kind::id));
    let per_page = plan.per_page;
    let shown = all.iter().skip((page - 1) * per_page).take(per_page);
    let view = LogView {
        started_on: h.started_on().map(|d| cx.date(d)),
        started_records: h.entries.first().and_then(|e| e.records),
        count: all.len(),
        changes: shown.map(|e| view(cx, e)).collect(),
        pager: menus::pager(cx, &base, page, plan.pages(all.len())),
        filters: filters(cx, kind),
        feed: cx.urls.asset(urls::feeds::CHANGES),
        data: cx.urls.asset(&format!("/{}", urls::CHANGE_LOG)),
    };
    let mut title = cx.t.get("change.title").to_string();
    if let Some(k) = kind {
        title = format!("{title} — {}", cx.t.label("change_kind", k.id()));
    }
    if page > 1 {
        title = format!("{title} — {} {page}", cx.t.get("page_n"));
    }
    Page::new(
        "changes.html",
        title,
        cx.t.get("change.intro").into(),
        Section::Changes,
    )
    .with("log", &view)
}
