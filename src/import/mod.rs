//! `congkhai import`: spreadsheets (Excel or CSV) with Vietnamese or English
//! headers become content files, checked exactly as `check` checks them
//! before anything is written.
//!
//! Import never loses a row. Two rows that would share a file (one number
//! used by two agencies) get ids that include the issuer, or are an error
//! naming both rows; a record that already exists is merged, not replaced
//! (see [`merge`]); every file's additions, changes and kept parts are
//! listed before anything is written, and `--dry-run` stops there. Files
//! are written only inside `content/` of the site, never through a link,
//! each one atomically.

mod cells;
mod columns;
mod merge;
mod plan;
mod records;
mod text;

use crate::diag::Code;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Severity, msg};
use crate::load::{self, Kind, RawSite, RawTable};
use crate::model::{self, Site};
use cells::Problems;
use columns::{Col, Table, detect};
pub use merge::Change;
pub use plan::{Action, FilePlan, Plan, apply};
use records::{Record, RecoveryRow};

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Let the sheet remove what it does not have (recommendations,
    /// progress entries, fields) from existing records.
    pub replace: bool,
}

/// Reads a spreadsheet into tables.
fn tables(file: &Path, diags: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    let shown = PathBuf::from(file.file_name().unwrap_or_default());
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::for_path(
                Severity::Error,
                Code::Io,
                &file.display().to_string(),
                msg(format!("Không đọc được: {e}"), format!("cannot read: {e}")),
            ));
            return Vec::new();
        }
    };
    // The bytes say what the file is, whatever its name says.
    let format = load::xlsx::Format::of(&bytes);
    if format != load::xlsx::Format::Text {
        return load::table::read_workbook(&shown, &bytes, format, diags);
    }
    let Some(text) = text::decode(&shown, &bytes, diags) else {
        return Vec::new();
    };
    let delimiter = text::delimiter(&text.text);
    load::table::read_csv_with(Arc::new(text), delimiter, diags)
}

/// Says which row was read as the header row when it was not the first.
fn header_row_note(file: &Path, table: &RawTable, line: u32) -> Diagnostic {
    let sheet = table
        .sheet
        .as_deref()
        .map(|s| format!(" `{s}`"))
        .unwrap_or_default();
    Diagnostic::for_path(
        Severity::Warning,
        Code::Import,
        &crate::source::display_path(file),
        msg(
            format!(
                "Bảng{sheet}: dùng dòng {line} làm dòng tiêu đề cột; bỏ qua {} dòng phía trên (tên báo cáo)",
                line - 1
            ),
            format!(
                "table{sheet}: row {line} is the header row; {} above it (the report's title) skipped",
                if line == 2 {
                    "the row".to_string()
                } else {
                    format!("the {} rows", line - 1)
                }
            ),
        ),
    )
}

/// Works out what importing `file` into the site would change, and checks
/// the result as `check` would. Nothing is written.
pub fn plan(site: &Path, file: &Path, as_of: NaiveDate, options: Options) -> Plan {
    let mut diags = Vec::new();
    let raw_tables: Vec<RawTable> = tables(file, &mut diags)
        .into_iter()
        .map(|t| match columns::below_title_rows(&t) {
            Some((table, line)) => {
                diags.push(header_row_note(file, &table, line));
                table
            }
            None => t,
        })
        .collect();
    let raw = load::load(site);
    let (current, _) = model::build(&raw, as_of);
    let mut p = Problems { file, list: diags };
    let detected: Vec<Table<'_>> = raw_tables
        .iter()
        .filter_map(|t| detect(t, &mut p.list, file))
        .collect();
    let recs = detected.iter().find(|t| t.kind == Col::Recommendations);
    let mut records = Vec::new();
    let mut recovery_rows = Vec::new();
    for t in &detected {
        match t.kind {
            Col::Recoveries => {
                recovery_rows.extend(records::recoveries(t, &mut p, &current.agencies))
            }
            Col::Decisions => records.extend(records::decisions(t, &mut p, &current.agencies)),
            Col::Conclusions => {
                records.extend(records::conclusions(t, recs, &mut p, &current.agencies));
            }
            Col::Recommendations => {}
        }
    }
    if recs.is_some() && !detected.iter().any(|t| t.kind == Col::Conclusions) {
        p.file(
            "Bảng kiến nghị phải đi kèm bảng kết luận trong cùng tệp".into(),
            "a recommendations table must come with its conclusions table in the same file".into(),
        );
    }
    let targets = targets(&records, &current, &mut p);
    if p.list.iter().any(Diagnostic::is_error) {
        return Plan::failed(p.list);
    }
    let mut files: Vec<FilePlan> = records
        .iter()
        .zip(targets)
        .map(|(r, t)| plan::record(site, &raw, r, t, options))
        .collect();
    files.extend(recovery_files(site, &recovery_rows, options, &mut p));
    refusals(&files, &mut p);
    let mut diagnostics = p.list;
    if !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.extend(validate(raw, &files, as_of));
    }
    Plan { files, diagnostics }
}

/// Where each record goes: the file of the same document if it exists
/// (same number, issuer and year), else a new file named by its id.
fn targets(records: &[Record], current: &Site, p: &mut Problems<'_>) -> Vec<Target> {
    let existing = existing_records(current);
    let mut ids: Vec<String> = records
        .iter()
        .map(|r| r.id.clone().unwrap_or_else(|| r.default_id(false)))
        .collect();
    // One number used by two agencies: their ids name the issuer.
    for i in 0..records.len() {
        for j in i + 1..records.len() {
            if records[i].kind != records[j].kind || ids[i] != ids[j] {
                continue;
            }
            if records[i].identity() == records[j].identity() {
                p.file(
                    format!(
                        "Hai dòng cùng là văn bản {} của {} năm {}: {} và {}",
                        records[i].number,
                        records[i].issuer,
                        records[i].year,
                        records[i].sources[0],
                        records[j].sources[0]
                    ),
                    format!(
                        "two rows are the same document {} of {} in {}: {} and {}",
                        records[i].number,
                        records[i].issuer,
                        records[i].year,
                        records[i].sources[0],
                        records[j].sources[0]
                    ),
                );
                continue;
            }
            for k in [i, j] {
                if records[k].id.is_none() {
                    ids[k] = records[k].default_id(true);
                }
            }
            if ids[i] == ids[j] {
                p.file(
                    format!("Hai dòng sẽ cùng ghi vào một tệp `{}`: {} và {}; hãy đặt mã khác nhau ở cột Mã", ids[i], records[i].sources[0], records[j].sources[0]),
                    format!("two rows would write the same file `{}`: {} and {}; give them different ids in the id column", ids[i], records[i].sources[0], records[j].sources[0]),
                );
            }
        }
    }
    records
        .iter()
        .zip(ids)
        .map(|(r, id)| {
            if let Some(found) = existing.get(&r.identity()) {
                return Target::Existing(found.1.clone());
            }
            match existing.values().find(|(other, _)| *other == id) {
                None => Target::New(id),
                Some(_) if r.id.is_none() => {
                    let with_issuer = r.default_id(true);
                    match existing.values().find(|(other, _)| *other == with_issuer) {
                        None => Target::New(with_issuer),
                        Some((_, path)) => {
                            p.file(
                                format!("{}: mã `{with_issuer}` đã là của tệp {}", r.sources[0], crate::source::display_path(path)),
                                format!("{}: the id `{with_issuer}` already belongs to {}", r.sources[0], crate::source::display_path(path)),
                            );
                            Target::New(with_issuer)
                        }
                    }
                }
                Some((_, path)) => {
                    p.file(
                        format!("{}: mã `{id}` đã là của một văn bản khác ({}); hãy đặt mã khác", r.sources[0], crate::source::display_path(path)),
                        format!("{}: the id `{id}` already belongs to another document ({}); choose another id", r.sources[0], crate::source::display_path(path)),
                    );
                    Target::New(id)
                }
            }
        })
        .collect()
}

/// Where a record will be written.
#[derive(Debug, Clone)]
pub enum Target {
    /// A new file for this id.
    New(String),
    /// The existing file of the same document.
    Existing(PathBuf),
}

/// The site's conclusions and decisions by identity: (id, file).
fn existing_records(site: &Site) -> BTreeMap<(Kind, String, String, i32), (String, PathBuf)> {
    let mut out = BTreeMap::new();
    for c in &site.conclusions {
        out.insert(
            (
                Kind::Conclusion,
                congkhai_fold::number_key(&c.number.value),
                c.issued_by.value.0.clone(),
                chrono::Datelike::year(&c.signed_on),
            ),
            (c.id().to_string(), c.source.path().to_path_buf()),
        );
    }
    for d in &site.decisions {
        out.insert(
            (
                Kind::Decision,
                congkhai_fold::number_key(&d.number.value),
                d.authority.value.0.clone(),
                chrono::Datelike::year(&d.decided_on),
            ),
            (d.id().to_string(), d.source.path().to_path_buf()),
        );
    }
    out
}

/// Recovery rows, one file per period, merged into the period's file.
fn recovery_files(
    site: &Path,
    rows: &[RecoveryRow],
    options: Options,
    p: &mut Problems<'_>,
) -> Vec<FilePlan> {
    let mut by_period: BTreeMap<String, Vec<&RecoveryRow>> = BTreeMap::new();
    for r in rows {
        let period = r.period.to_string();
        let list = by_period.entry(period).or_default();
        if let Some(first) = list.iter().find(|o| o.agency == r.agency) {
            p.file(
                format!(
                    "Hai dòng số liệu cùng kỳ {} của {}: {} và {}",
                    r.period, r.agency, first.source, r.source
                ),
                format!(
                    "two rows of figures for {} of {}: {} and {}",
                    r.period, r.agency, first.source, r.source
                ),
            );
            continue;
        }
        list.push(r);
    }
    by_period
        .into_iter()
        .map(|(period, rows)| plan::recovery(site, &period, &rows, options))
        .collect()
}

/// Removals the sheet would make without `--replace` are errors, each
/// naming its file and field.
fn refusals(files: &[FilePlan], p: &mut Problems<'_>) {
    for f in files {
        let refused: Vec<&str> = f
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::Refused(path) => Some(path.as_str()),
                _ => None,
            })
            .collect();
        if refused.is_empty() {
            continue;
        }
        let shown = crate::source::display_path(&f.path);
        let list = refused.join(", ");
        p.file(
            format!("Nhập bảng này sẽ xóa khỏi {shown}: {list} (bảng không có)"),
            format!("this import would remove from {shown}: {list} (the sheet does not have them)"),
        )
        .set_hint(msg(
            "Thêm chúng vào bảng; hoặc, nếu bảng là bản đầy đủ và đúng, chạy lại với --replace để thay bản ghi bằng nội dung của bảng",
            "Add them to the sheet; or, if the sheet is complete and right, run again with --replace to replace the record with the sheet",
        ));
    }
}

/// Checks the site as it would be after the import, exactly as `check`
/// does, and returns the diagnostics of the files it writes (each naming the
/// rows it came from).
fn validate(mut raw: RawSite, files: &[FilePlan], as_of: NaiveDate) -> Vec<Diagnostic> {
    for g in files {
        let rel = g.path.clone();
        match g.kind {
            Kind::Conclusion => raw.conclusions.retain(|d| d.file.path != rel),
            Kind::Decision => raw.decisions.retain(|d| d.file.path != rel),
            Kind::Recovery => raw.recoveries.retain(|t| t.file.path != rel),
            _ => {}
        }
        let mut d = Vec::new();
        let loaded = load::parse_bytes(&rel, g.kind, g.text.clone().into_bytes(), &mut d);
        raw.diagnostics.extend(d);
        raw.insert(g.kind, loaded);
    }
    let (_, all) = model::build(&raw, as_of);
    let mut out = Vec::new();
    for mut d in all.sorted() {
        if let Some(g) = files
            .iter()
            .find(|g| crate::source::display_path(&g.path) == d.file)
        {
            let from = g.sources.join(", ");
            d.message_vi = format!("{} (từ {from})", d.message_vi);
            d.message_en = format!("{} (from {from})", d.message_en);
            out.push(d);
        }
    }
    out
}
