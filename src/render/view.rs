//! What templates receive: small, flat, already formatted structures built
//! from the derived views. Lists carry summaries only, never whole records.

use serde::Serialize;

pub use super::context::{Ctx, Link};
use super::figures::{self, Figure, Source};
use super::format;
use super::urls;
use crate::derive::{Counts, Event, RecView};
use crate::model::vocab::{OnTimeRule, Status, Vocab};
use crate::model::{Conclusion, Decision};

#[derive(Serialize)]
pub struct ConclusionItem {
    pub url: String,
    pub number: String,
    pub title: String,
    pub signed_on: String,
    pub signed_on_iso: String,
    pub inspected: Link,
    pub sector_label: String,
    /// The source, when it is not an inspection (the usual case says nothing).
    pub source_label: Option<String>,
    pub withdrawn: bool,
    pub recs: usize,
    pub done: usize,
    pub overdue: usize,
    pub new: bool,
}

pub fn conclusion_item(cx: &Ctx<'_>, i: usize) -> ConclusionItem {
    let c = &cx.d.site.conclusions[i];
    let recs = &cx.d.recs[cx.d.recs_of[i].clone()];
    ConclusionItem {
        url: cx.link(&urls::conclusion(c.id())),
        number: c.number.value.0.clone(),
        title: c.title.0.clone(),
        signed_on: cx.date(c.signed_on),
        signed_on_iso: c.signed_on.to_string(),
        inspected: cx.agency(c.inspected.value.as_str()),
        sector_label: cx.t.label("sector", c.sector.id()),
        source_label: (c.origin != crate::model::vocab::ConclusionSource::Inspection)
            .then(|| cx.t.label("source", c.origin.id())),
        withdrawn: c.withdrawn_by(cx.d.as_of),
        recs: recs.len(),
        done: recs
            .iter()
            .filter(|r| r.state.status == Status::Done)
            .count(),
        overdue: recs.iter().filter(|r| r.state.overdue).count(),
        new: cx.is_new(c.published_on),
    }
}

#[derive(Serialize)]
pub struct RecItem {
    pub url: String,
    pub anchor: String,
    pub id: String,
    pub text: String,
    pub kind_label: String,
    /// The agency answering for it now.
    pub responsible: Link,
    /// The agency it was given to, when a successor took it over.
    pub taken_from: Option<Link>,
    /// The due date in force (the latest extension's).
    pub due: Option<String>,
    pub due_iso: Option<String>,
    /// The original due date, when extensions moved it.
    pub due_original: Option<String>,
    pub extensions: usize,
    pub withdrawn: bool,
    pub status: &'static str,
    pub status_label: String,
    pub overdue: bool,
    pub overdue_label: String,
    pub days_overdue: i64,
    pub done_on: Option<String>,
    pub timing_label: Option<String>,
    pub amount: Option<String>,
    pub recovered: Option<String>,
    pub conclusion: ConclusionRef,
}

#[derive(Serialize)]
pub struct ConclusionRef {
    pub url: String,
    pub number: String,
    pub title: String,
}

pub use crate::site::urls::anchor;

pub fn rec_item(cx: &Ctx<'_>, v: &RecView<'_>) -> RecItem {
    let c = cx.d.conclusion_of(v);
    let s = &v.state;
    let conclusion_url = cx.link(&urls::conclusion(c.id()));
    let anchor = anchor(&v.rec.id.value);
    let (amount, recovered) = if let Some(a) = v.rec.amount_vnd {
        (Some(cx.money(a)), Some(cx.money(s.recovered_vnd)))
    } else if let Some(a) = v.rec.land_m2 {
        (
            Some(format::area(a, cx.lang)),
            Some(format::area(s.recovered_land_m2, cx.lang)),
        )
    } else {
        (None, None)
    };
    RecItem {
        url: format!("{conclusion_url}#{anchor}"),
        anchor,
        id: v.rec.id.value.clone(),
        text: v.rec.text.0.clone(),
        kind_label: cx.t.label("kind", v.rec.kind.id()),
        responsible: cx.agency(v.answering),
        taken_from: v
            .transferred
            .then(|| cx.agency(v.rec.responsible.value.as_str())),
        due: s.due.map(|d| cx.date(d)),
        due_iso: s.due.map(|d| d.to_string()),
        due_original: (s.extensions > 0)
            .then_some(v.rec.due)
            .flatten()
            .map(|d| cx.date(d)),
        extensions: s.extensions,
        withdrawn: s.withdrawn,
        status: s.status.id(),
        status_label: cx.t.label("status", s.status.id()),
        overdue: s.overdue,
        overdue_label: format!(
            "{} {} {}",
            cx.t.get("rec.overdue"),
            s.days_overdue,
            cx.t.get("rec.days")
        ),
        days_overdue: s.days_overdue,
        done_on: s.done_on.map(|d| cx.date(d)),
        timing_label: s.on_time.map(|ok| {
            cx.t.get(if ok { "rec.on_time" } else { "rec.late" })
                .to_string()
        }),
        amount,
        recovered,
        conclusion: ConclusionRef {
            url: conclusion_url,
            number: c.number.value.0.clone(),
            title: c.title.0.clone(),
        },
    }
}

#[derive(Serialize)]
pub struct DecisionItem {
    pub url: String,
    pub number: String,
    pub subject: String,
    pub position: String,
    pub penalty: &'static str,
    pub penalty_label: String,
    pub track_label: String,
    pub authority: Link,
    pub decided_on: String,
    pub decided_on_iso: String,
    pub status: &'static str,
    pub status_label: String,
    pub new: bool,
}

pub fn decision_item(cx: &Ctx<'_>, i: usize) -> DecisionItem {
    let d: &Decision = cx.d.decision(i);
    DecisionItem {
        url: cx.link(&urls::decision(d.id())),
        number: d.number.value.0.clone(),
        subject: d.subject.name.0.clone(),
        position: d
            .subject
            .position
            .as_ref()
            .map(|p| p.0.clone())
            .unwrap_or_default(),
        penalty: d.penalty.id(),
        penalty_label: cx.t.label("penalty", d.penalty.id()),
        track_label: cx.t.label("track", d.track.id()),
        authority: cx.agency(d.authority.value.as_str()),
        decided_on: cx.date(d.decided_on),
        decided_on_iso: d.decided_on.to_string(),
        status: d.status.id(),
        status_label: cx.t.label("decision_status", d.status.id()),
        new: cx.is_new(d.published_on),
    }
}

/// Counts formatted for display, with the figures defined on them.
#[derive(Serialize)]
pub struct CountsView {
    pub total: usize,
    pub rated: usize,
    pub done: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub overdue: usize,
    pub not_yet_due: usize,
    pub in_progress: usize,
    pub not_started: usize,
    pub cannot_complete: usize,
    pub extended: usize,
    pub extensions: usize,
    pub inherited: usize,
    pub withdrawn: usize,
    pub rate: Figure,
    pub recovery: figures::Recovery,
}

/// `scope` says whose counts these are (`site`, `agency:<id>`).
pub fn counts(cx: &Ctx<'_>, c: &Counts, scope: &str) -> CountsView {
    CountsView {
        total: c.total,
        rated: c.rated,
        done: c.done,
        done_on_time: c.done_on_time,
        done_late: c.done_late,
        overdue: c.overdue,
        not_yet_due: c.not_yet_due,
        in_progress: c.in_progress,
        not_started: c.not_started,
        cannot_complete: c.cannot_complete,
        extended: c.extended,
        extensions: c.extensions,
        inherited: c.inherited,
        withdrawn: c.withdrawn,
        rate: figures::rate(cx, "on_time_rate".into(), scope, c.on_time_rate()),
        recovery: figures::recovery(cx, Source::Tracked, scope, &c.recovery),
    }
}

/// The on-time target as the site compares with it: "trên 90 %" or "từ 90 %".
pub fn target(cx: &Ctx<'_>) -> String {
    let rule = &cx.d.site.config.follow_up;
    let word = match rule.on_time_rule {
        OnTimeRule::Above => "figure.target_above",
        OnTimeRule::AtLeast => "figure.target_at_least",
    };
    format!(
        "{} {}",
        cx.t.get(word),
        format::percent(rule.on_time_target, cx.lang)
    )
}

#[derive(Serialize)]
pub struct EventItem {
    pub on: String,
    pub on_iso: String,
    pub url: String,
    pub rec: String,
    pub number: String,
    pub from_label: String,
    pub to_label: String,
    pub note: Option<String>,
}

pub fn event_item(cx: &Ctx<'_>, e: &Event) -> EventItem {
    let v = &cx.d.recs[e.rec];
    let c: &Conclusion = cx.d.conclusion_of(v);
    let step = &v.rec.progress[e.step];
    EventItem {
        on: cx.date(e.on),
        on_iso: e.on.to_string(),
        url: format!(
            "{}#{}",
            cx.link(&urls::conclusion(c.id())),
            anchor(&v.rec.id.value)
        ),
        rec: v.rec.id.value.clone(),
        number: c.number.value.0.clone(),
        from_label: cx.t.label("status", e.from.id()),
        to_label: cx.t.label("status", e.to.id()),
        note: step.note.as_ref().map(|n| n.0.clone()),
    }
}
