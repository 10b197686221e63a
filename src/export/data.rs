//! The open-data files: one row type per dataset. What each column means
//! comes from the content format (`model::schema`): the fields a record has,
//! and the columns the open data adds to them.

use chrono::NaiveDate;

use crate::derive::RecView;
use crate::model::{Decision, Recommendation};
use schemars::JsonSchema;
use serde::Serialize;

use crate::derive::Derived;
use crate::model::amount::Area;
use crate::model::follow::CaseStep;
use crate::model::vocab::Vocab;
use crate::site::urls;

/// Joins list values for a flat cell (the same in JSON and CSV).
fn joined<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

#[derive(Serialize, JsonSchema)]
pub struct ConclusionRow {
    pub id: String,
    pub number: String,
    pub title: String,
    pub issued_by: String,
    pub signed_on: String,
    pub signed_by: String,
    pub published_on: String,
    pub inspected: String,
    pub sector: String,
    pub kind: String,
    pub source: String,
    pub status: String,
    pub status_on: Option<String>,
    pub status_note: Option<String>,
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    pub violations_money_vnd: Option<u64>,
    pub violations_land_m2: Option<Area>,
    pub recommendations: usize,
    pub recommendations_done: usize,
    pub recommendations_overdue: usize,
    pub text_sha256: String,
    pub url: String,
}

#[derive(Serialize, JsonSchema)]
pub struct RecommendationRow {
    pub conclusion: String,
    pub conclusion_number: String,
    pub id: String,
    pub kind: String,
    pub source: String,
    pub text: String,
    pub responsible: String,
    pub responsible_original: String,
    pub due: Option<String>,
    pub due_original: Option<String>,
    pub extensions: usize,
    pub withdrawn: bool,
    pub amount_vnd: Option<u64>,
    pub land_m2: Option<Area>,
    pub status: String,
    pub overdue: bool,
    pub days_overdue: i64,
    pub done_on: Option<String>,
    pub on_time: Option<bool>,
    pub recovered_vnd: u64,
    pub recovered_land_m2: Area,
    pub updated_on: Option<String>,
    pub decisions: String,
    pub document: Option<String>,
    pub case_stage: Option<String>,
    pub case_recovered_vnd: Option<u64>,
}

#[derive(Serialize, JsonSchema)]
pub struct ProgressRow {
    pub conclusion: String,
    pub recommendation: String,
    pub status_on: String,
    pub status: String,
    pub recovered_vnd: Option<u64>,
    pub recovered_land_m2: Option<Area>,
    pub note: Option<String>,
    pub evidence: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct ExtensionRow {
    pub conclusion: String,
    pub recommendation: String,
    pub to: String,
    pub document: String,
    pub on: String,
}

#[derive(Serialize, JsonSchema)]
pub struct CaseRow {
    pub conclusion: String,
    pub recommendation: String,
    pub on: String,
    pub stage: String,
    pub document: Option<String>,
    pub recovered_vnd: Option<u64>,
    pub note: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct DecisionRow {
    pub id: String,
    pub number: String,
    pub track: String,
    pub authority: String,
    pub decided_on: String,
    pub published_on: String,
    pub subject_type: String,
    pub subject_role: String,
    pub subject_name: String,
    pub subject_position: Option<String>,
    pub subject_leader: Option<bool>,
    pub subject_agency: Option<String>,
    pub penalty: String,
    pub basis: String,
    pub related: String,
    pub session: Option<String>,
    pub status: String,
    pub status_on: Option<String>,
    pub text_sha256: String,
    pub url: String,
}

#[derive(Serialize, JsonSchema)]
pub struct RecoveryRow {
    pub period: String,
    pub agency: String,
    pub recommended_vnd: u64,
    pub recovered_vnd: u64,
    pub recommended_land_m2: Area,
    pub recovered_land_m2: Area,
    pub reported_on: String,
    pub signed_by: String,
    pub note: Option<String>,
    pub counted: bool,
}

#[derive(Serialize, JsonSchema)]
pub struct AgencyRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub dissolved_on: Option<String>,
    pub successor: Option<String>,
    pub formerly: String,
    pub recommendations: usize,
    pub inherited: usize,
    pub extended: usize,
    pub due: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub overdue: usize,
    pub on_time_rate: Option<f64>,
    pub meets_target: Option<bool>,
    pub money_recommended_vnd: u64,
    pub money_recovered_vnd: u64,
    pub reported_money_recommended_vnd: u64,
    pub reported_money_recovered_vnd: u64,
    pub url: String,
}

fn iso(d: NaiveDate) -> String {
    d.to_string()
}

pub fn conclusions<'a>(
    d: &'a Derived<'a>,
    abs: &'a dyn Fn(&str) -> String,
) -> impl Iterator<Item = ConclusionRow> + 'a {
    (0..d.site.conclusions.len()).map(move |i| conclusion(d, i, abs))
}

/// The row of conclusion `i`.
pub fn conclusion(d: &Derived<'_>, i: usize, abs: &dyn Fn(&str) -> String) -> ConclusionRow {
    let c = &d.site.conclusions[i];
    let recs = &d.recs[d.recs_of[i].clone()];
    ConclusionRow {
        id: c.id().to_string(),
        number: c.number.value.0.clone(),
        title: c.title.0.clone(),
        issued_by: c.issued_by.value.0.clone(),
        signed_on: iso(c.signed_on),
        signed_by: c.signed_by.0.clone(),
        published_on: iso(c.published_on),
        inspected: c.inspected.value.0.clone(),
        sector: c.sector.id().into(),
        kind: c.kind.id().into(),
        source: c.origin.id().into(),
        status: if c.withdrawn_by(d.as_of) {
            crate::model::vocab::ConclusionStatus::Withdrawn
        } else {
            crate::model::vocab::ConclusionStatus::InForce
        }
        .id()
        .into(),
        status_on: c
            .withdrawn
            .as_ref()
            .filter(|w| w.on <= d.as_of)
            .map(|w| iso(w.on)),
        status_note: c
            .withdrawn
            .as_ref()
            .filter(|w| w.on <= d.as_of)
            .and_then(|w| w.note.as_ref())
            .map(|n| n.0.clone()),
        period_from: c.period.map(|p| iso(p.from)),
        period_to: c.period.map(|p| iso(p.to)),
        violations_money_vnd: c.violations.and_then(|v| v.money_vnd).map(|v| v.0),
        violations_land_m2: c.violations.and_then(|v| v.land_m2),
        recommendations: recs.len(),
        recommendations_done: recs
            .iter()
            .filter(|r| r.state.status == crate::model::vocab::Status::Done)
            .count(),
        recommendations_overdue: recs.iter().filter(|r| r.state.overdue).count(),
        text_sha256: c.source.body_sha256(),
        url: abs(&urls::conclusion(c.id())),
    }
}

pub fn recommendations<'a>(d: &'a Derived<'a>) -> impl Iterator<Item = RecommendationRow> + 'a {
    d.recs.iter().map(move |v| recommendation(d, v))
}

/// The row of one recommendation.
pub fn recommendation(d: &Derived<'_>, v: &RecView<'_>) -> RecommendationRow {
    let c = d.conclusion_of(v);
    let s = &v.state;
    RecommendationRow {
        conclusion: c.id().to_string(),
        conclusion_number: c.number.value.0.clone(),
        id: v.rec.id.value.clone(),
        kind: v.rec.kind.id().into(),
        source: c.origin.id().into(),
        text: v.rec.text.0.clone(),
        responsible: v.answering.to_string(),
        responsible_original: v.rec.responsible.value.0.clone(),
        due: s.due.map(iso),
        due_original: v.rec.due.map(iso),
        extensions: s.extensions,
        withdrawn: s.withdrawn,
        amount_vnd: v.rec.amount_vnd.map(|a| a.0),
        land_m2: v.rec.land_m2,
        status: s.status.id().into(),
        overdue: s.overdue,
        days_overdue: s.days_overdue,
        done_on: s.done_on.map(iso),
        on_time: s.on_time,
        recovered_vnd: s.recovered_vnd.0,
        recovered_land_m2: s.recovered_land_m2,
        updated_on: s.updated_on.map(iso),
        decisions: joined(v.rec.decisions.iter().map(|r| r.value.as_str())),
        document: v.rec.document.as_ref().map(|x| x.0.clone()),
        case_stage: CaseStep::current(&v.rec.case, d.as_of).map(|s| s.stage.id().into()),
        case_recovered_vnd: (!v.rec.case.is_empty())
            .then(|| CaseStep::recovered(&v.rec.case, d.as_of).0),
    }
}

/// Rows of one kind of a recommendation's dated entries (progress,
/// extensions, case steps) known on the as-of date, each with the ids of
/// its conclusion and recommendation.
fn dated<'a, E: 'a, R: 'a>(
    d: &'a Derived<'a>,
    entries: fn(&Recommendation) -> &[E],
    on: fn(&E) -> NaiveDate,
    row: fn(String, String, &E) -> R,
) -> impl Iterator<Item = R> + 'a {
    d.recs.iter().flat_map(move |v| {
        let c = d.conclusion_of(v);
        entries(v.rec)
            .iter()
            .filter(move |e| on(e) <= d.as_of)
            .map(move |e| row(c.id().to_string(), v.rec.id.value.clone(), e))
    })
}

/// Every progress entry known on the as-of date: the status history.
pub fn progress<'a>(d: &'a Derived<'a>) -> impl Iterator<Item = ProgressRow> + 'a {
    dated(
        d,
        |r| &r.progress,
        |p| p.on,
        |conclusion, recommendation, p| ProgressRow {
            conclusion,
            recommendation,
            status_on: iso(p.on),
            status: p.status.id().into(),
            recovered_vnd: p.recovered_vnd.map(|m| m.0),
            recovered_land_m2: p.recovered_land_m2,
            note: p.note.as_ref().map(|x| x.0.clone()),
            evidence: p.evidence.as_ref().map(|x| x.0.clone()),
        },
    )
}

pub fn extensions<'a>(d: &'a Derived<'a>) -> impl Iterator<Item = ExtensionRow> + 'a {
    dated(
        d,
        |r| &r.extensions,
        |e| e.on,
        |conclusion, recommendation, e| ExtensionRow {
            conclusion,
            recommendation,
            to: iso(e.to),
            document: e.document.0.clone(),
            on: iso(e.on),
        },
    )
}

pub fn cases<'a>(d: &'a Derived<'a>) -> impl Iterator<Item = CaseRow> + 'a {
    dated(
        d,
        |r| &r.case,
        |s| s.on,
        |conclusion, recommendation, s| CaseRow {
            conclusion,
            recommendation,
            on: iso(s.on),
            stage: s.stage.id().into(),
            document: s.document.as_ref().map(|x| x.0.clone()),
            recovered_vnd: s.recovered_vnd.map(|m| m.0),
            note: s.note.as_ref().map(|x| x.0.clone()),
        },
    )
}

pub fn decisions<'a>(
    d: &'a Derived<'a>,
    abs: &'a dyn Fn(&str) -> String,
) -> impl Iterator<Item = DecisionRow> + 'a {
    d.site.decisions.iter().map(move |x| decision(x, abs))
}

/// The row of one decision.
pub fn decision(x: &Decision, abs: &dyn Fn(&str) -> String) -> DecisionRow {
    DecisionRow {
        id: x.id().to_string(),
        number: x.number.value.0.clone(),
        track: x.track.id().into(),
        authority: x.authority.value.0.clone(),
        decided_on: iso(x.decided_on),
        published_on: iso(x.published_on),
        subject_type: x.subject.kind.id().into(),
        subject_role: x.subject.role.id().into(),
        subject_name: x.subject.name.0.clone(),
        subject_position: x.subject.position.as_ref().map(|p| p.0.clone()),
        subject_leader: x.subject.leader,
        subject_agency: x.subject.agency.as_ref().map(|a| a.value.0.clone()),
        penalty: x.penalty.id().into(),
        basis: x.basis.vi.clone(),
        related: joined(x.related.iter().map(|r| r.value.as_str())),
        session: x.session.as_ref().map(|s| s.0.clone()),
        status: x.status.id().into(),
        status_on: x.status_on.map(iso),
        text_sha256: x.source.body_sha256(),
        url: abs(&urls::decision(x.id())),
    }
}

pub fn recoveries<'a>(d: &'a Derived<'a>) -> impl Iterator<Item = RecoveryRow> + 'a {
    (0..d.site.recoveries.len()).map(move |i| recovery(d, i))
}

/// The row of recovery report `i`.
pub fn recovery(d: &Derived<'_>, i: usize) -> RecoveryRow {
    let r = &d.site.recoveries[i];
    RecoveryRow {
        period: r.period.to_string(),
        agency: r.agency.value.0.clone(),
        recommended_vnd: r.recommended_vnd.0,
        recovered_vnd: r.recovered_vnd.0,
        recommended_land_m2: r.recommended_land_m2,
        recovered_land_m2: r.recovered_land_m2,
        reported_on: iso(r.reported_on),
        signed_by: r.signed_by.0.clone(),
        note: r.note.as_ref().map(|n| n.0.clone()),
        counted: d.counted[i],
    }
}

pub fn agencies<'a>(
    d: &'a Derived<'a>,
    abs: &'a dyn Fn(&str) -> String,
) -> impl Iterator<Item = AgencyRow> + 'a {
    let rule = &d.site.config.follow_up;
    d.site.agencies.iter().zip(d.cards()).map(move |(a, card)| {
        let c = &card.responsible;
        let rate = c.on_time_rate();
        AgencyRow {
            id: a.id.value.0.clone(),
            name: a.name.0.clone(),
            kind: a.kind.id().into(),
            parent: a.parent.as_ref().map(|p| p.value.0.clone()),
            dissolved_on: a.dissolved_on.as_ref().map(|x| iso(x.value)),
            successor: a.successor.as_ref().map(|x| x.value.0.clone()),
            formerly: joined(a.formerly.iter().map(|n| n.0.as_str())),
            recommendations: c.total,
            inherited: c.inherited,
            extended: c.extended,
            due: c.rated,
            done_on_time: c.done_on_time,
            done_late: c.done_late,
            overdue: c.overdue,
            on_time_rate: rate,
            meets_target: c.verdict(rule),
            money_recommended_vnd: c.recovery.recommended_vnd.0,
            money_recovered_vnd: c.recovery.recovered_vnd.0,
            reported_money_recommended_vnd: card.reported.recommended_vnd.0,
            reported_money_recovered_vnd: card.reported.recovered_vnd.0,
            url: abs(&urls::agency(a.id.value.as_str())),
        }
    })
}
