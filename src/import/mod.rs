//! `congkhai import`: spreadsheets (Excel or CSV) with Vietnamese or English
//! headers become content files, checked exactly as `check` checks them
//! before anything is written.
//!
//! The record type is recognised from the header row. Cells are normalised
//! the way Excel users write them (numbers with `.` thousands separators,
//! dates as dd/mm/yyyy or date cells, agencies by name or id), and every
//! problem is reported with its sheet, row and column. Nothing is written
//! unless every generated file is valid, and no existing file is replaced
//! without `--force`.

mod columns;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Severity, msg};
use crate::load::node::{Node, Value};
use crate::load::{self, Kind, RawTable};
use crate::model::amount::{AmountError, parse_area, parse_vnd};
use crate::model::id::slug;
use crate::model::read::parse_date;
use crate::model::recovery::ReportPeriod;
use crate::model::vocab::{Penalty, RecommendationKind, Role, Sector, Status, Track, Vocab};
use crate::model::{self, Agency};
use columns::{Col, Table, detect};

/// A content file to write, and where its rows came from.
#[derive(Debug, Clone)]
pub struct Generated {
    pub path: PathBuf,
    pub text: String,
    pub kind: Kind,
    /// "Sheet!row" of the rows it was made from.
    pub sources: Vec<String>,
}

/// The outcome of an import.
pub struct Outcome {
    pub files: Vec<Generated>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One data row with its cells by column key.
struct Row<'t> {
    table: &'t RawTable,
    line: u32,
    cells: BTreeMap<&'static str, &'t Node>,
}

impl Row<'_> {
    fn origin(&self) -> String {
        format!(
            "{}!{}",
            self.table.sheet.as_deref().unwrap_or("CSV"),
            self.line
        )
    }

    fn text(&self, key: &str) -> Option<String> {
        match &self.cells.get(key)?.value {
            Value::Scalar(s) => Some(s.text.trim().to_string()).filter(|t| !t.is_empty()),
            _ => None,
        }
    }
}

/// Collects problems, each located at a cell.
struct Problems<'a> {
    file: &'a Path,
    list: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn at(&mut self, row: &Row<'_>, key: &str, vi: String, en: String) {
        let span = row.cells.get(key).map_or_else(Default::default, |n| n.span);
        let mut d = Diagnostic::error("import", &row.table.file, msg(vi, en))
            .at(&row.table.file, span)
            .field(key);
        if d.line == 0 || row.table.file.text.is_empty() {
            d = d.at_line(row.line, 0);
        }
        row.table.locate(&mut d);
        d.file = crate::source::display_path(self.file);
        self.list.push(d);
    }

    fn missing(&mut self, row: &Row<'_>, key: &str) {
        self.at(
            row,
            key,
            format!("Thiếu giá trị cột `{key}`"),
            format!("the `{key}` column is empty"),
        );
    }
}

/// Reads money written as Excel users do: `1.234.567` or `1234567`.
fn money(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<u64> {
    let t = row.text(key)?;
    let digits = if t.contains('.') && t.split('.').skip(1).all(|g| g.len() == 3) {
        t.replace('.', "")
    } else {
        t.clone()
    };
    match parse_vnd(&digits) {
        Ok(v) => Some(v.0),
        Err(e) => {
            let why = match e {
                AmountError::Negative => ("là số âm", "is negative"),
                AmountError::Decimal => (
                    "có phần thập phân (tiền phải là số nguyên đồng)",
                    "has decimals (money is whole đồng)",
                ),
                _ => ("không phải một số tiền", "is not an amount of money"),
            };
            p.at(
                row,
                key,
                format!("`{t}` {}", why.0),
                format!("`{t}` {}", why.1),
            );
            None
        }
    }
}

/// Reads an area: `3.500`, `3.500,5` or `3500.5`.
fn area(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<String> {
    let t = row.text(key)?;
    let normal = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() > 1 || t.split_once('.').is_some_and(|(_, f)| f.len() == 3) {
        t.replace('.', "")
    } else {
        t.clone()
    };
    match parse_area(&normal) {
        Ok(a) => Some(a.to_string()),
        Err(_) => {
            p.at(
                row,
                key,
                format!("`{t}` không phải diện tích hợp lệ"),
                format!("`{t}` is not a valid area"),
            );
            None
        }
    }
}

fn date(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<NaiveDate> {
    let t = row.text(key)?;
    match parse_date(&t) {
        Ok(d) => Some(d),
        Err(m) => {
            p.at(row, key, m.vi, m.en);
            None
        }
    }
}

fn vocab<V: Vocab>(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<V> {
    let t = row.text(key)?;
    let v = V::parse(&t);
    if v.is_none() {
        let accepted = V::accepted();
        p.at(
            row,
            key,
            format!(
                "`{t}` không phải {} hợp lệ; chấp nhận: {accepted}",
                V::NAME.0
            ),
            format!("`{t}` is not a valid {}; accepted: {accepted}", V::NAME.1),
        );
    }
    v
}

/// Resolves an agency written by id, name or short name.
fn agency(p: &mut Problems<'_>, row: &Row<'_>, key: &str, agencies: &[Agency]) -> Option<String> {
    let t = row.text(key)?;
    let folded = congkhai_fold::fold(&t);
    let found = agencies.iter().find(|a| {
        a.id.value.as_str() == t
            || congkhai_fold::fold(&a.name) == folded
            || a.short_name
                .as_ref()
                .is_some_and(|s| congkhai_fold::fold(s) == folded)
    });
    match found {
        Some(a) => Some(a.id.value.0.clone()),
        None => {
            p.at(
                row,
                key,
                format!("Không có cơ quan nào tên hoặc mã `{t}` trong content/agencies.yaml"),
                format!("no agency named or with the id `{t}` in content/agencies.yaml"),
            );
            None
        }
    }
}

/// A value the row must have: parsed by `parse`, or reported as missing.
fn must<T>(
    p: &mut Problems<'_>,
    row: &Row<'_>,
    key: &str,
    parse: impl FnOnce(&mut Problems<'_>, &Row<'_>, &str) -> Option<T>,
) -> Option<T> {
    if row.text(key).is_none() {
        p.missing(row, key);
        return None;
    }
    parse(p, row, key)
}

/// A text the row must have.
fn required(p: &mut Problems<'_>, row: &Row<'_>, key: &str) -> Option<String> {
    must(p, row, key, |_, row, key| row.text(key))
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn rows<'t>(t: &'t Table<'t>) -> Vec<Row<'t>> {
    t.raw
        .rows
        .iter()
        .map(|r| Row {
            table: t.raw,
            line: r.line,
            cells: t
                .keys
                .iter()
                .zip(&r.cells)
                .filter_map(|(k, c)| k.map(|k| (k, c)))
                .collect(),
        })
        .collect()
}

fn recoveries(t: &Table<'_>, p: &mut Problems<'_>, agencies: &[Agency]) -> Vec<Generated> {
    let mut by_period: BTreeMap<ReportPeriod, (String, Vec<String>)> = BTreeMap::new();
    for row in rows(t) {
        let period = required(p, &row, "period").and_then(|s| {
            let parsed = ReportPeriod::parse(&s);
            if parsed.is_none() {
                p.at(
                    &row,
                    "period",
                    format!("`{s}` không phải kỳ báo cáo"),
                    format!("`{s}` is not a reporting period"),
                );
            }
            parsed
        });
        let ag = must(p, &row, "agency", |p, r, k| agency(p, r, k, agencies));
        let rec = must(p, &row, "recommended_vnd", money);
        let got = must(p, &row, "recovered_vnd", money);
        let land = area(p, &row, "recommended_land_m2").unwrap_or_else(|| "0".into());
        let land_got = area(p, &row, "recovered_land_m2").unwrap_or_else(|| "0".into());
        let reported = date(p, &row, "reported_on")
            .map(|d| d.to_string())
            .unwrap_or_default();
        let note = row.text("note").unwrap_or_default();
        let (Some(period), Some(ag), Some(rec), Some(got)) = (period, ag, rec, got) else {
            continue;
        };
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let _ = w.write_record([
            period.to_string(),
            ag,
            rec.to_string(),
            got.to_string(),
            land,
            land_got,
            reported,
            note,
        ]);
        let line = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
        let e = by_period.entry(period).or_default();
        e.0.push_str(&line);
        e.1.push(row.origin());
    }
    by_period
        .into_iter()
        .map(|(period, (body, sources))| Generated {
            path: PathBuf::from(format!("content/recoveries/{}.csv", period.to_string().to_lowercase())),
            text: format!("period,agency,recommended_vnd,recovered_vnd,recommended_land_m2,recovered_land_m2,reported_on,note\n{body}"),
            kind: Kind::Recovery,
            sources,
        })
        .collect()
}

fn decisions(t: &Table<'_>, p: &mut Problems<'_>, agencies: &[Agency]) -> Vec<Generated> {
    let mut out = Vec::new();
    for row in rows(t) {
        let number = required(p, &row, "number");
        let track = must(p, &row, "track", vocab::<Track>);
        let authority = must(p, &row, "authority", |p, r, k| agency(p, r, k, agencies));
        let decided = must(p, &row, "decided_on", date);
        let published = must(p, &row, "published_on", date);
        let role = must(p, &row, "subject_role", vocab::<Role>);
        let name = required(p, &row, "subject_name");
        let penalty = must(p, &row, "penalty", vocab::<Penalty>);
        let subject_agency = if row.text("subject_agency").is_some() {
            agency(p, &row, "subject_agency", agencies)
        } else {
            None
        };
        let (
            Some(number),
            Some(track),
            Some(authority),
            Some(decided),
            Some(published),
            Some(role),
            Some(name),
            Some(penalty),
        ) = (
            number, track, authority, decided, published, role, name, penalty,
        )
        else {
            continue;
        };
        let id = row
            .text("id")
            .unwrap_or_else(|| slug(&format!("qd {} {number}", decided.format("%Y"))));
        let org = role == Role::PartyOrganization;
        let mut f = format!(
            "---\nnumber: {}\ntrack: {}\nauthority: {authority}\ndecided_on: {decided}\npublished_on: {published}\nsubject:\n  type: {}\n  role: {}\n  name: {}\n",
            q(&number),
            track.id(),
            if org { "organization" } else { "person" },
            role.id(),
            q(&name)
        );
        if let Some(pos) = row.text("subject_position") {
            f.push_str(&format!("  position: {}\n", q(&pos)));
        }
        if let Some(a) = subject_agency {
            f.push_str(&format!("  agency: {a}\n"));
        }
        f.push_str(&format!("penalty: {}\n", penalty.id()));
        if let Some(r) = row.text("related") {
            let ids: Vec<String> = r
                .split([';', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(q)
                .collect();
            f.push_str(&format!("related: [{}]\n", ids.join(", ")));
        }
        if let Some(s) = row.text("session") {
            f.push_str(&format!("session: {}\n", q(&s)));
        }
        f.push_str("---\n");
        f.push_str(&row.text("body").unwrap_or_default());
        f.push('\n');
        out.push(Generated {
            path: PathBuf::from(format!("content/decisions/{id}.md")),
            text: f,
            kind: Kind::Decision,
            sources: vec![row.origin()],
        });
    }
    out
}

/// Conclusions, with their recommendations from a second table when there is one.
fn conclusions(
    t: &Table<'_>,
    recs: Option<&Table<'_>>,
    p: &mut Problems<'_>,
    agencies: &[Agency],
) -> Vec<Generated> {
    let mut by_number: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut rec_sources: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if let Some(rt) = recs {
        for row in rows(rt) {
            let conclusion = required(p, &row, "conclusion");
            let id = required(p, &row, "id");
            let kind = must(p, &row, "kind", vocab::<RecommendationKind>);
            let text = required(p, &row, "text");
            let responsible = must(p, &row, "responsible", |p, r, k| agency(p, r, k, agencies));
            let due = date(p, &row, "due");
            let amount = money(p, &row, "amount_vnd");
            let land = area(p, &row, "land_m2");
            let status = vocab::<Status>(p, &row, "status");
            let status_on = date(p, &row, "status_on");
            let recovered = money(p, &row, "recovered_vnd");
            let recovered_land = area(p, &row, "recovered_land_m2");
            let (Some(conclusion), Some(id), Some(kind), Some(text), Some(responsible)) =
                (conclusion, id, kind, text, responsible)
            else {
                continue;
            };
            let mut y = format!(
                "  - id: {}\n    kind: {}\n    text: {}\n    responsible: {responsible}\n",
                q(&id),
                kind.id(),
                q(&text)
            );
            if let Some(d) = due {
                y.push_str(&format!("    due: {d}\n"));
            }
            if let Some(a) = amount {
                y.push_str(&format!("    amount_vnd: {a}\n"));
            }
            if let Some(a) = land {
                y.push_str(&format!("    land_m2: {a}\n"));
            }
            if let (Some(s), Some(on)) = (status, status_on) {
                y.push_str(&format!(
                    "    progress:\n      - on: {on}\n        status: {}\n",
                    s.id()
                ));
                if let Some(r) = recovered {
                    y.push_str(&format!("        recovered_vnd: {r}\n"));
                }
                if let Some(r) = recovered_land {
                    y.push_str(&format!("        recovered_land_m2: {r}\n"));
                }
                for (key, label) in [("note", "note"), ("evidence", "evidence")] {
                    if let Some(v) = row.text(key) {
                        y.push_str(&format!("        {label}: {}\n", q(&v)));
                    }
                }
            }
            let key = congkhai_fold::number_key(&conclusion);
            by_number.entry(key.clone()).or_default().push(y);
            rec_sources.entry(key).or_default().push(row.origin());
        }
    }
    let mut out = Vec::new();
    for row in rows(t) {
        let number = required(p, &row, "number");
        let title = required(p, &row, "title");
        let issued_by = must(p, &row, "issued_by", |p, r, k| agency(p, r, k, agencies));
        let signed = must(p, &row, "signed_on", date);
        let signed_by = required(p, &row, "signed_by");
        let published = must(p, &row, "published_on", date);
        let inspected = must(p, &row, "inspected", |p, r, k| agency(p, r, k, agencies));
        let sector = must(p, &row, "sector", vocab::<Sector>);
        let kind = must(
            p,
            &row,
            "kind",
            vocab::<crate::model::vocab::InspectionKind>,
        );
        let from = date(p, &row, "period_from");
        let to = date(p, &row, "period_to");
        let v_money = money(p, &row, "violations_money_vnd");
        let v_land = area(p, &row, "violations_land_m2");
        let (
            Some(number),
            Some(title),
            Some(issued_by),
            Some(signed),
            Some(signed_by),
            Some(published),
            Some(inspected),
            Some(sector),
            Some(kind),
        ) = (
            number, title, issued_by, signed, signed_by, published, inspected, sector, kind,
        )
        else {
            continue;
        };
        let id = row
            .text("id")
            .unwrap_or_else(|| slug(&format!("kl {} {number}", signed.format("%Y"))));
        let mut f = format!(
            "---\nnumber: {}\ntitle: {}\nissued_by: {issued_by}\nsigned_on: {signed}\nsigned_by: {}\npublished_on: {published}\ninspected: {inspected}\nsector: {}\nkind: {}\n",
            q(&number),
            q(&title),
            q(&signed_by),
            sector.id(),
            kind.id()
        );
        if let (Some(a), Some(b)) = (from, to) {
            f.push_str(&format!("period: {{ from: {a}, to: {b} }}\n"));
        }
        if v_money.is_some() || v_land.is_some() {
            let mut parts = Vec::new();
            parts.extend(v_money.map(|m| format!("money_vnd: {m}")));
            parts.extend(v_land.map(|l| format!("land_m2: {l}")));
            f.push_str(&format!("violations: {{ {} }}\n", parts.join(", ")));
        }
        let key = congkhai_fold::number_key(&number);
        let recs = by_number.remove(&key).unwrap_or_default();
        f.push_str(if recs.is_empty() {
            "recommendations: []\n"
        } else {
            "recommendations:\n"
        });
        for r in recs {
            f.push_str(&r);
        }
        f.push_str("---\n");
        f.push_str(&row.text("body").unwrap_or_default());
        f.push('\n');
        let mut sources = vec![row.origin()];
        sources.extend(rec_sources.remove(&key).unwrap_or_default());
        out.push(Generated {
            path: PathBuf::from(format!("content/conclusions/{id}.md")),
            text: f,
            kind: Kind::Conclusion,
            sources,
        });
    }
    for (key, srcs) in rec_sources {
        p.list.push(
            Diagnostic::for_path(
                Severity::Error,
                "import",
                &crate::source::display_path(p.file),
                msg(
                    format!("Kiến nghị của kết luận `{key}` ({}) không có kết luận tương ứng trong bảng kết luận", srcs.join(", ")),
                    format!("recommendations of conclusion `{key}` ({}) have no matching row in the conclusions table", srcs.join(", ")),
                ),
            ),
        );
    }
    out
}

/// Reads a spreadsheet into tables.
fn tables(file: &Path, diags: &mut Vec<Diagnostic>) -> Vec<RawTable> {
    let shown = PathBuf::from(file.file_name().unwrap_or_default());
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::for_path(
                Severity::Error,
                "io",
                &file.display().to_string(),
                msg(format!("Không đọc được: {e}"), format!("cannot read: {e}")),
            ));
            return Vec::new();
        }
    };
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return load::table::read_xlsx(&shown, &bytes, diags);
    }
    match load::decode(&shown, bytes, diags) {
        Some(f) => load::table::read_csv(Arc::new(f), diags),
        None => Vec::new(),
    }
}

/// Converts a spreadsheet into content files and checks them in the site.
pub fn import(site: &Path, file: &Path, as_of: NaiveDate) -> Outcome {
    let mut diags = Vec::new();
    let raw_tables = tables(file, &mut diags);
    let mut raw = load::load(site);
    let (current, _) = model::build(&raw, as_of);
    let mut problems = Problems { file, list: diags };
    let detected: Vec<Table<'_>> = raw_tables
        .iter()
        .filter_map(|t| detect(t, &mut problems.list, file))
        .collect();
    let mut files = Vec::new();
    let recs = detected.iter().find(|t| t.kind == Col::Recommendations);
    for t in &detected {
        match t.kind {
            Col::Recoveries => files.extend(recoveries(t, &mut problems, &current.agencies)),
            Col::Decisions => files.extend(decisions(t, &mut problems, &current.agencies)),
            Col::Conclusions => {
                files.extend(conclusions(t, recs, &mut problems, &current.agencies))
            }
            Col::Recommendations => {}
        }
    }
    if recs.is_some() && !detected.iter().any(|t| t.kind == Col::Conclusions) {
        problems.list.push(Diagnostic::for_path(
            Severity::Error,
            "import",
            &crate::source::display_path(file),
            msg(
                "Bảng kiến nghị phải đi kèm bảng kết luận trong cùng tệp",
                "a recommendations table must come with its conclusions table in the same file",
            ),
        ));
    }
    let mut diagnostics = problems.list;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Outcome { files, diagnostics };
    }
    // Check the generated files inside the site, exactly as `check` would.
    for g in &files {
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
    for mut d in all.sorted() {
        if let Some(g) = files
            .iter()
            .find(|g| crate::source::display_path(&g.path) == d.file)
        {
            let from = g.sources.join(", ");
            d.message_vi = format!("{} (từ {from})", d.message_vi);
            d.message_en = format!("{} (from {from})", d.message_en);
            diagnostics.push(d);
        }
    }
    Outcome { files, diagnostics }
}

/// Writes the generated files; existing files are replaced only with `force`.
pub fn write(site: &Path, files: &[Generated], force: bool) -> Result<(), Vec<String>> {
    let existing: Vec<String> = files
        .iter()
        .filter(|g| site.join(&g.path).exists())
        .map(|g| crate::source::display_path(&g.path))
        .collect();
    if !force && !existing.is_empty() {
        return Err(existing);
    }
    for g in files {
        let path = site.join(&g.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| vec![format!("{}: {e}", parent.display())])?;
        }
        std::fs::write(&path, &g.text).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    }
    Ok(())
}
