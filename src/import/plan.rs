//! What an import will write, file by file, and the writing itself.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::merge::{self, Change};
use super::records::{Record, RecoveryRow};
use super::{Options, Target};
use crate::diag::Diagnostic;
use crate::load::{Kind, RawSite};

/// What happens to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    New,
    Update,
    Unchanged,
}

/// One file an import writes (or leaves as it is).
#[derive(Debug, Clone)]
pub struct FilePlan {
    /// Relative to the site folder, always under `content/`.
    pub path: PathBuf,
    pub kind: Kind,
    pub action: Action,
    /// The whole new text of the file.
    pub text: String,
    pub changes: Vec<Change>,
    /// Parts of the file the import leaves as they were (rows, recommendations).
    pub kept: usize,
    /// `Sheet!row` of the rows it comes from.
    pub sources: Vec<String>,
}

/// Everything an import would do, and what is wrong with it.
pub struct Plan {
    pub files: Vec<FilePlan>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Plan {
    pub fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        Plan {
            files: Vec::new(),
            diagnostics,
        }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The files that change.
    pub fn writes(&self) -> impl Iterator<Item = &FilePlan> {
        self.files.iter().filter(|f| f.action != Action::Unchanged)
    }

    /// The plan as the publisher reads it: per file, what is added, changed
    /// and kept, and where it comes from.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for f in &self.files {
            let (vi, en) = match f.action {
                Action::New => ("thêm mới", "new"),
                Action::Update => ("cập nhật", "update"),
                Action::Unchanged => ("không đổi", "unchanged"),
            };
            out.push_str(&format!(
                "{} — {vi} / {en} ← {}\n",
                crate::source::display_path(&f.path),
                f.sources.join(", ")
            ));
            for c in &f.changes {
                out.push_str(&match c {
                    Change::Added(p) => format!("    + {p}\n"),
                    Change::Changed(p, old, new) => {
                        format!("    ~ {p}: {} → {}\n", short(old), short(new))
                    }
                    Change::Removed(p) => {
                        format!("    - {p} (xóa theo --replace / removed by --replace)\n")
                    }
                    Change::Refused(p) => {
                        format!("    ! {p} (bảng không có; giữ nguyên / not in the sheet; kept)\n")
                    }
                });
            }
            if f.kept > 0 && f.action == Action::Update {
                out.push_str(&format!(
                    "    = {} mục giữ nguyên / {} items kept as they were\n",
                    f.kept, f.kept
                ));
            }
        }
        out
    }
}

/// A value for one line of the report.
fn short(v: &Value) -> String {
    let text = match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

/// A Markdown record file: front matter written by the YAML serialiser.
fn record_text(front: &Map<String, Value>, body: &str) -> String {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.yaml_12 = true;
    options.no_lang_directive = true;
    options.compact_list_indent = false;
    let yaml = serde_saphyr::to_string_with_options(front, options).unwrap_or_default();
    let mut text = format!("---\n{yaml}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("---\n");
    text.push_str(body);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn folder(kind: Kind) -> &'static str {
    match kind {
        Kind::Decision => "content/decisions",
        Kind::Recovery => "content/recoveries",
        _ => "content/conclusions",
    }
}

/// The plan for one conclusion or decision.
pub fn record(
    site: &Path,
    raw: &RawSite,
    r: &Record,
    target: Target,
    options: Options,
) -> FilePlan {
    let path = match &target {
        Target::New(id) => PathBuf::from(format!("{}/{id}.md", folder(r.kind))),
        Target::Existing(p) => p.clone(),
    };
    let doc = raw
        .conclusions
        .iter()
        .chain(&raw.decisions)
        .find(|d| d.file.path == path);
    let schema = match r.kind {
        Kind::Decision => &crate::model::schema::DECISION,
        _ => &crate::model::schema::CONCLUSION,
    };
    let order: Vec<&str> = schema.keys().collect();
    let order = order.as_slice();
    let mut changes = Vec::new();
    let (text, kept, action) = match (&target, doc) {
        (Target::Existing(_), Some(doc)) => {
            let old = doc
                .front
                .as_ref()
                .and_then(|n| n.to_json().as_object().cloned())
                .unwrap_or_default();
            let merged = merge::front(&old, &r.front, order, options.replace, &mut changes);
            let old_body = &doc.file.text[doc.body.clone()];
            let body = merged_body(old_body, r.body.as_deref(), options.replace, &mut changes);
            let kept = old
                .get("recommendations")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let text = record_text(&merged, &body);
            let action = if text == doc.file.text {
                Action::Unchanged
            } else {
                Action::Update
            };
            (text, kept, action)
        }
        _ => {
            let exists = site.join(&path).exists();
            let action = if exists { Action::Update } else { Action::New };
            (
                record_text(
                    &merge::fresh(&r.front, order),
                    r.body.as_deref().unwrap_or(""),
                ),
                0,
                action,
            )
        }
    };
    FilePlan {
        path,
        kind: r.kind,
        action,
        text,
        changes,
        kept,
        sources: r.sources.clone(),
    }
}

/// The body after an import: the sheet's when it has one that differs.
fn merged_body(old: &str, new: Option<&str>, replace: bool, changes: &mut Vec<Change>) -> String {
    match new {
        None => old.to_string(),
        Some(n) if n.trim() == old.trim() => old.to_string(),
        Some("") if !replace => {
            changes.push(Change::Refused("body".into()));
            old.to_string()
        }
        Some("") => {
            changes.push(Change::Removed("body".into()));
            String::new()
        }
        Some(n) => {
            changes.push(Change::Changed(
                "body".into(),
                Value::from(old.trim()),
                Value::from(n.trim()),
            ));
            n.to_string()
        }
    }
}

/// The plan for one period's file of recovery figures: rows of agencies
/// the sheet has are added or updated; the others are kept.
pub fn recovery(site: &Path, period: &str, rows: &[&RecoveryRow], options: Options) -> FilePlan {
    let path = PathBuf::from(format!("content/recoveries/{}.csv", period.to_lowercase()));
    let existing = fs::read_to_string(site.join(&path)).ok();
    let (mut header, mut table) = existing
        .as_deref()
        .map(read_csv)
        .unwrap_or_else(|| (Vec::new(), Vec::new()));
    for c in crate::model::schema::RECOVERY.keys() {
        if !header.iter().any(|h| h == c) {
            header.push(c.to_string());
        }
    }
    let mut changes = Vec::new();
    let before = table.len();
    for r in rows {
        let at = table
            .iter()
            .position(|t| t.get("agency").map(String::as_str) == Some(r.agency.as_str()));
        let label = format!("{}[{}]", r.period, r.agency);
        match at {
            None => {
                let mut row: Map<String, Value> = Map::new();
                row.insert("period".into(), Value::from(r.period.to_string()));
                row.insert("agency".into(), Value::from(r.agency.clone()));
                for (k, v) in &r.cells {
                    if let Some(v) = v {
                        row.insert((*k).to_string(), Value::from(v.clone()));
                    }
                }
                table.push(
                    row.into_iter()
                        .map(|(k, v)| (k, v.as_str().unwrap_or("").to_string()))
                        .collect(),
                );
                changes.push(Change::Added(label));
            }
            Some(i) => {
                for (k, v) in &r.cells {
                    let old = table[i].get(*k).cloned().unwrap_or_default();
                    let new = v.clone().unwrap_or_default();
                    if old == new {
                        continue;
                    }
                    let field = format!("{label}.{k}");
                    if new.is_empty() && !options.replace {
                        changes.push(Change::Refused(field));
                    } else if new.is_empty() {
                        table[i].insert((*k).to_string(), new);
                        changes.push(Change::Removed(field));
                    } else {
                        table[i].insert((*k).to_string(), new.clone());
                        changes.push(Change::Changed(field, Value::from(old), Value::from(new)));
                    }
                }
            }
        }
    }
    let text = write_csv(&header, &table);
    let action = match &existing {
        None => Action::New,
        Some(old) if *old == text => Action::Unchanged,
        Some(_) => Action::Update,
    };
    let touched: BTreeSet<&str> = rows.iter().map(|r| r.agency.as_str()).collect();
    FilePlan {
        path,
        kind: Kind::Recovery,
        action,
        text,
        kept: before.saturating_sub(touched.len()),
        changes,
        sources: rows.iter().map(|r| r.source.clone()).collect(),
    }
}

type CsvRow = std::collections::BTreeMap<String, String>;

fn read_csv(text: &str) -> (Vec<String>, Vec<CsvRow>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let rows = reader
        .records()
        .flatten()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

fn write_csv(header: &[String], rows: &[CsvRow]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(header.iter().map(|h| row.get(h).map_or("", String::as_str)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Why a file could not be written.
fn cannot(path: &Path, vi: &str, en: &str) -> String {
    format!("{}: {vi} / {en}", path.display())
}

/// Writes the files that change. Each goes only inside the site's
/// `content/` folder, never through a symbolic link, and appears at once
/// (written beside it, then renamed over it).
pub fn apply(site: &Path, plan: &Plan) -> Result<usize, String> {
    let content = site
        .join("content")
        .canonicalize()
        .map_err(|e| cannot(&site.join("content"), "không truy cập được", &e.to_string()))?;
    let mut staged = Vec::new();
    for f in plan.writes() {
        if !crate::write::safe_relative(&crate::source::display_path(&f.path))
            .is_some_and(|p| p.starts_with("content"))
        {
            return Err(cannot(
                &f.path,
                "đường dẫn ngoài content/",
                "a path outside content/",
            ));
        }
        let path = site.join(&f.path);
        let parent = path.parent().unwrap_or(site);
        fs::create_dir_all(parent)
            .map_err(|e| cannot(parent, "không tạo được thư mục", &e.to_string()))?;
        let real_parent = parent
            .canonicalize()
            .map_err(|e| cannot(parent, "không truy cập được", &e.to_string()))?;
        if !real_parent.starts_with(&content) {
            return Err(cannot(
                parent,
                "thư mục dẫn ra ngoài content/ (liên kết tượng trưng)",
                "the folder leads outside content/ (a symbolic link)",
            ));
        }
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(cannot(
                &path,
                "không phải tệp thường (liên kết hoặc thư mục); không ghi đè",
                "not a regular file (a link or a folder); not replaced",
            ));
        }
        let mut tmp = tempfile::NamedTempFile::new_in(&real_parent)
            .map_err(|e| cannot(parent, "không ghi được", &e.to_string()))?;
        tmp.write_all(f.text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| cannot(&path, "không ghi được", &e.to_string()))?;
        staged.push((tmp, real_parent.join(path.file_name().unwrap_or_default())));
    }
    let n = staged.len();
    for (tmp, path) in staged {
        tmp.persist(&path)
            .map_err(|e| cannot(&path, "không ghi được", &e.to_string()))?;
    }
    Ok(n)
}
