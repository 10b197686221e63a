//! Rows of a spreadsheet become records: conclusions (with their
//! recommendations from a second sheet, several rows of one recommendation
//! being its progress entries), decisions, and rows of recovery figures.
//!
//! A record's front matter is built as an ordered value and written by a
//! YAML serialiser, never by formatting strings. A column that is in the
//! sheet but empty is kept as `null`: it says "nothing here", which a merge
//! with an existing file must not silently take as "keep".

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::cells::{
    Problems, Row, agency, area, date, flag, money, must, record_id, required, rows, vocab,
};
use super::columns::Table;
use crate::load::Kind;
use crate::model::Agency;
use crate::model::id::slug;
use crate::model::recovery::ReportPeriod;
use crate::model::vocab::{
    ConclusionSource, ConclusionStatus, InspectionKind, Penalty, RecommendationKind, Role, Sector,
    Status, Track, Vocab,
};

/// A conclusion or decision as the spreadsheet states it.
#[derive(Debug, Clone)]
pub struct Record {
    pub kind: Kind,
    /// From an `id` cell, already checked as an id.
    pub id: Option<String>,
    pub number: String,
    /// The agency that issued it (`issued_by`, `authority`).
    pub issuer: String,
    pub year: i32,
    pub front: Map<String, Value>,
    /// `None` when the sheet has no body column.
    pub body: Option<String>,
    /// `Sheet!row` of every row it was made from.
    pub sources: Vec<String>,
}

impl Record {
    /// What makes two rows the same document: its number (as
    /// [`congkhai_fold::number_key`] compares them), issuer and year.
    pub fn identity(&self) -> (Kind, String, String, i32) {
        (
            self.kind,
            congkhai_fold::number_key(&self.number),
            self.issuer.clone(),
            self.year,
        )
    }

    /// The id a record gets without an `id` cell; `with_issuer` adds the
    /// issuer, for numbers that two agencies both used.
    pub fn default_id(&self, with_issuer: bool) -> String {
        let prefix = match self.kind {
            Kind::Decision => "qd",
            _ => "kl",
        };
        let issuer = if with_issuer {
            self.issuer.as_str()
        } else {
            ""
        };
        slug(&format!("{prefix} {} {} {issuer}", self.year, self.number))
    }
}

/// The value of an optional cell: absent when the sheet lacks the column,
/// `null` when the column is there and the cell empty.
fn optional(row: &Row<'_>, key: &str, value: Option<Value>) -> Option<Value> {
    match value {
        Some(v) => Some(v),
        None if row.has(key) && row.text(key).is_none() => Some(Value::Null),
        None => None,
    }
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v);
    }
}

fn body(row: &Row<'_>) -> Option<String> {
    row.has("body")
        .then(|| row.text("body").unwrap_or_default())
}

pub fn decisions(t: &Table<'_>, p: &mut Problems<'_>, agencies: &[Agency]) -> Vec<Record> {
    let mut out = Vec::new();
    for row in rows(t) {
        let id = record_id(p, &row);
        let number = required(p, &row, "number");
        let track = must(p, &row, "track", vocab::<Track>);
        let authority = must(p, &row, "authority", |p, r, k| agency(p, r, k, agencies));
        let decided = must(p, &row, "decided_on", date);
        let published = must(p, &row, "published_on", date);
        let role = must(p, &row, "subject_role", vocab::<Role>);
        let name = required(p, &row, "subject_name");
        let penalty = must(p, &row, "penalty", vocab::<Penalty>);
        let leader = flag(p, &row, "subject_leader");
        let subject_agency = if row.text("subject_agency").is_some() {
            agency(p, &row, "subject_agency", agencies)
        } else {
            None
        };
        let (
            Some(id),
            Some(number),
            Some(track),
            Some(authority),
            Some(decided),
            Some(published),
            Some(role),
            Some(name),
            Some(penalty),
        ) = (
            id, number, track, authority, decided, published, role, name, penalty,
        )
        else {
            continue;
        };
        let org = role == Role::PartyOrganization;
        let mut subject = Map::new();
        subject.insert(
            "type".into(),
            json!(if org { "organization" } else { "person" }),
        );
        subject.insert("role".into(), json!(role.id()));
        subject.insert("name".into(), json!(name));
        put(
            &mut subject,
            "position",
            optional(
                &row,
                "subject_position",
                row.text("subject_position").map(Value::from),
            ),
        );
        put(
            &mut subject,
            "leader",
            optional(&row, "subject_leader", leader.map(Value::from)),
        );
        put(
            &mut subject,
            "agency",
            optional(&row, "subject_agency", subject_agency.map(Value::from)),
        );
        let mut front = Map::new();
        front.insert("number".into(), json!(number));
        front.insert("track".into(), json!(track.id()));
        front.insert("authority".into(), json!(authority));
        front.insert("decided_on".into(), json!(decided.to_string()));
        front.insert("published_on".into(), json!(published.to_string()));
        front.insert("subject".into(), Value::Object(subject));
        front.insert("penalty".into(), json!(penalty.id()));
        let related = row.text("related").map(|r| {
            Value::from(
                r.split([';', ','])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(Value::from)
                    .collect::<Vec<_>>(),
            )
        });
        put(&mut front, "related", optional(&row, "related", related));
        put(
            &mut front,
            "session",
            optional(&row, "session", row.text("session").map(Value::from)),
        );
        out.push(Record {
            kind: Kind::Decision,
            id,
            number,
            issuer: authority,
            year: chrono::Datelike::year(&decided),
            front,
            body: body(&row),
            sources: vec![row.origin()],
        });
    }
    out
}

/// A recommendation from one or more rows of the recommendations sheet.
struct Rec {
    /// What the `conclusion` column says (a number or an id).
    conclusion: String,
    first_row: String,
    value: Map<String, Value>,
    progress: Vec<Value>,
    sources: Vec<String>,
}

fn recommendation_rows(rt: &Table<'_>, p: &mut Problems<'_>, agencies: &[Agency]) -> Vec<Rec> {
    let mut recs: Vec<Rec> = Vec::new();
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
        let mut value = Map::new();
        value.insert("id".into(), json!(id));
        value.insert("kind".into(), json!(kind.id()));
        value.insert("text".into(), json!(text));
        value.insert("responsible".into(), json!(responsible));
        put(
            &mut value,
            "due",
            optional(&row, "due", due.map(|d| d.to_string().into())),
        );
        put(
            &mut value,
            "amount_vnd",
            optional(&row, "amount_vnd", amount.map(Value::from)),
        );
        put(&mut value, "land_m2", optional(&row, "land_m2", land));
        let mut progress = Vec::new();
        if let (Some(s), Some(on)) = (status, status_on) {
            let mut entry = Map::new();
            entry.insert("on".into(), json!(on.to_string()));
            entry.insert("status".into(), json!(s.id()));
            put(&mut entry, "recovered_vnd", recovered.map(Value::from));
            put(&mut entry, "recovered_land_m2", recovered_land);
            put(&mut entry, "note", row.text("note").map(Value::from));
            put(
                &mut entry,
                "evidence",
                row.text("evidence").map(Value::from),
            );
            progress.push(Value::Object(entry));
        }
        let key = congkhai_fold::number_key(&conclusion);
        // Several rows of one recommendation: its progress, one entry a row.
        if let Some(rec) = recs.iter_mut().find(|r| {
            congkhai_fold::number_key(&r.conclusion) == key
                && r.value["id"]
                    .as_str()
                    .is_some_and(|x| x.eq_ignore_ascii_case(&id))
        }) {
            for (k, v) in &value {
                if rec.value.get(k).is_some_and(|old| old != v && !v.is_null()) {
                    p.at(
                        &row,
                        k,
                        format!(
                            "Kiến nghị `{id}` ghi `{k}` khác với dòng {} của nó",
                            rec.first_row
                        ),
                        format!(
                            "the recommendation `{id}` has a `{k}` different from its row {}",
                            rec.first_row
                        ),
                    );
                }
            }
            rec.progress.extend(progress);
            rec.sources.push(row.origin());
            continue;
        }
        recs.push(Rec {
            conclusion,
            first_row: row.origin(),
            value,
            progress,
            sources: vec![row.origin()],
        });
    }
    recs
}

/// Conclusions, with their recommendations from a second table when there is one.
pub fn conclusions(
    t: &Table<'_>,
    recs: Option<&Table<'_>>,
    p: &mut Problems<'_>,
    agencies: &[Agency],
) -> Vec<Record> {
    let mut out = Vec::new();
    for row in rows(t) {
        let id = record_id(p, &row);
        let number = required(p, &row, "number");
        let title = required(p, &row, "title");
        let issued_by = must(p, &row, "issued_by", |p, r, k| agency(p, r, k, agencies));
        let signed = must(p, &row, "signed_on", date);
        let signed_by = required(p, &row, "signed_by");
        let published = must(p, &row, "published_on", date);
        let inspected = must(p, &row, "inspected", |p, r, k| agency(p, r, k, agencies));
        let sector = must(p, &row, "sector", vocab::<Sector>);
        let kind = must(p, &row, "kind", vocab::<InspectionKind>);
        let from = date(p, &row, "period_from");
        let to = date(p, &row, "period_to");
        let v_money = money(p, &row, "violations_money_vnd");
        let v_land = area(p, &row, "violations_land_m2");
        let source = vocab::<ConclusionSource>(p, &row, "source");
        let status = vocab::<ConclusionStatus>(p, &row, "status");
        let status_on = date(p, &row, "status_on");
        let (
            Some(id),
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
            id, number, title, issued_by, signed, signed_by, published, inspected, sector, kind,
        )
        else {
            continue;
        };
        let mut front = Map::new();
        front.insert("number".into(), json!(number));
        front.insert("title".into(), json!(title));
        front.insert("issued_by".into(), json!(issued_by));
        front.insert("signed_on".into(), json!(signed.to_string()));
        front.insert("signed_by".into(), json!(signed_by));
        front.insert("published_on".into(), json!(published.to_string()));
        front.insert("inspected".into(), json!(inspected));
        front.insert("sector".into(), json!(sector.id()));
        front.insert("kind".into(), json!(kind.id()));
        if let (Some(a), Some(b)) = (from, to) {
            front.insert(
                "period".into(),
                json!({ "from": a.to_string(), "to": b.to_string() }),
            );
        }
        put(&mut front, "source", source.map(|x| json!(x.id())));
        put(&mut front, "status", status.map(|x| json!(x.id())));
        put(
            &mut front,
            "status_on",
            status_on.map(|d| json!(d.to_string())),
        );
        put(&mut front, "note", row.text("status_note").map(Value::from));
        if v_money.is_some() || v_land.is_some() {
            let mut v = Map::new();
            put(&mut v, "money_vnd", v_money.map(Value::from));
            put(&mut v, "land_m2", v_land);
            front.insert("violations".into(), Value::Object(v));
        }
        out.push(Record {
            kind: Kind::Conclusion,
            id,
            number,
            issuer: issued_by,
            year: chrono::Datelike::year(&signed),
            front,
            body: body(&row),
            sources: vec![row.origin()],
        });
    }
    if let Some(rt) = recs {
        attach(&mut out, recommendation_rows(rt, p, agencies), p);
    }
    out
}

/// Gives each conclusion the recommendations whose `conclusion` column
/// names it, by id or by number; a number that two conclusions share must
/// be written as the id.
fn attach(conclusions: &mut [Record], recs: Vec<Rec>, p: &mut Problems<'_>) {
    let mut lists: BTreeMap<usize, Vec<Value>> = BTreeMap::new();
    for rec in recs {
        let key = congkhai_fold::number_key(&rec.conclusion);
        let by_id: Vec<usize> = conclusions
            .iter()
            .enumerate()
            .filter(|(_, c)| c.id.as_deref() == Some(rec.conclusion.as_str()))
            .map(|(i, _)| i)
            .collect();
        let by_number: Vec<usize> = conclusions
            .iter()
            .enumerate()
            .filter(|(_, c)| congkhai_fold::number_key(&c.number) == key)
            .map(|(i, _)| i)
            .collect();
        let target = if by_id.len() == 1 { by_id } else { by_number };
        match target.as_slice() {
            [i] => {
                let mut value = rec.value;
                if !rec.progress.is_empty() {
                    value.insert("progress".into(), Value::Array(rec.progress));
                }
                conclusions[*i].sources.extend(rec.sources);
                lists.entry(*i).or_default().push(Value::Object(value));
            }
            [] => {
                p.file(
                    format!("Kiến nghị của kết luận `{}` ({}) không có kết luận tương ứng trong bảng kết luận", rec.conclusion, rec.sources.join(", ")),
                    format!("recommendations of conclusion `{}` ({}) have no matching row in the conclusions table", rec.conclusion, rec.sources.join(", ")),
                );
            }
            many => {
                let rows: Vec<String> = many
                    .iter()
                    .map(|i| conclusions[*i].sources[0].clone())
                    .collect();
                p.file(
                    format!("Kiến nghị {} ghi kết luận `{}`, nhưng hai kết luận có số này ({}); hãy ghi mã kết luận thay cho số", rec.sources.join(", "), rec.conclusion, rows.join(", ")),
                    format!("the recommendation rows {} name conclusion `{}`, a number that several conclusions have ({}); write the conclusion's id instead", rec.sources.join(", "), rec.conclusion, rows.join(", ")),
                );
            }
        }
    }
    // A conclusions sheet that comes with a recommendations sheet states
    // all of each conclusion's recommendations.
    for (i, c) in conclusions.iter_mut().enumerate() {
        let list = lists.remove(&i).unwrap_or_default();
        c.front.insert("recommendations".into(), Value::Array(list));
    }
}

/// One row of recovery figures, by the columns of a recovery CSV.
#[derive(Debug, Clone)]
pub struct RecoveryRow {
    pub period: ReportPeriod,
    pub agency: String,
    /// Column key → cell text; `None` for a column that is there but empty.
    pub cells: Vec<(&'static str, Option<String>)>,
    pub source: String,
}

pub fn recoveries(t: &Table<'_>, p: &mut Problems<'_>, agencies: &[Agency]) -> Vec<RecoveryRow> {
    let mut out = Vec::new();
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
        let land = area(p, &row, "recommended_land_m2");
        let land_got = area(p, &row, "recovered_land_m2");
        let reported = must(p, &row, "reported_on", date);
        let signed_by = required(p, &row, "signed_by");
        let (Some(period), Some(ag), Some(rec), Some(got), Some(reported), Some(signed_by)) =
            (period, ag, rec, got, reported, signed_by)
        else {
            continue;
        };
        let mut cells: Vec<(&'static str, Option<String>)> = vec![
            ("recommended_vnd", Some(rec.to_string())),
            ("recovered_vnd", Some(got.to_string())),
        ];
        let text = |v: Option<Value>| v.map(|v| v.to_string());
        for (key, value) in [
            ("recommended_land_m2", text(land)),
            ("recovered_land_m2", text(land_got)),
            ("reported_on", Some(reported.to_string())),
            ("signed_by", Some(signed_by)),
            ("note", row.text("note")),
        ] {
            if value.is_some() || row.has(key) {
                cells.push((key, value));
            }
        }
        out.push(RecoveryRow {
            period,
            agency: ag,
            cells,
            source: row.origin(),
        });
    }
    out
}
