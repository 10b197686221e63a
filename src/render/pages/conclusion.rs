//! The page of one inspection conclusion, with its recommendations
//! and each one's timeline.

use serde::Serialize;

use super::{Page, Section};
use crate::derive::lists::Dimension;
use crate::model::vocab::Vocab;
use crate::render::context::{Ctx, Link};
use crate::render::rows::{Html, Row};
use crate::render::view::{self, RecItem};
use crate::render::{Bodies, RenderError};
use crate::site::{format, urls};

#[derive(Serialize)]
pub struct Step {
    pub on: String,
    pub on_iso: String,
    pub status: &'static str,
    pub status_label: String,
    pub recovered: Option<String>,
    pub note: Option<String>,
    pub evidence: Option<String>,
}

/// An extension of the due date, as the page lists it.
#[derive(Serialize)]
pub struct ExtensionView {
    pub to: String,
    pub on: String,
    pub on_iso: String,
    pub document: String,
}

/// A stage of a referred case.
#[derive(Serialize)]
pub struct CaseView {
    pub on: String,
    pub on_iso: String,
    pub stage: &'static str,
    pub stage_label: String,
    pub document: Option<String>,
    pub recovered: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct RecDetail {
    #[serde(flatten)]
    pub item: RecItem,
    pub timeline: Vec<Step>,
    pub decisions: Vec<Link>,
    pub document: Option<String>,
    pub extension_list: Vec<ExtensionView>,
    pub case: Vec<CaseView>,
}

/// A withdrawn conclusion's notice.
#[derive(Serialize)]
pub struct WithdrawnView {
    pub on: String,
    pub on_iso: String,
    pub note: Option<String>,
}

fn extensions(cx: &Ctx<'_>, v: &crate::derive::RecView<'_>) -> Vec<ExtensionView> {
    v.rec
        .extensions
        .iter()
        .filter(|e| e.on <= cx.d.as_of)
        .map(|e| ExtensionView {
            to: cx.date(e.to),
            on: cx.date(e.on),
            on_iso: e.on.to_string(),
            document: e.document.0.clone(),
        })
        .collect()
}

fn case(cx: &Ctx<'_>, v: &crate::derive::RecView<'_>) -> Vec<CaseView> {
    v.rec
        .case
        .iter()
        .filter(|s| s.on <= cx.d.as_of)
        .map(|s| CaseView {
            on: cx.date(s.on),
            on_iso: s.on.to_string(),
            stage: s.stage.id(),
            stage_label: cx.t.label("case_stage", s.stage.id()),
            document: s.document.as_ref().map(|x| x.0.clone()),
            recovered: s.recovered_vnd.map(|m| cx.money(m)),
            note: s.note.as_ref().map(|x| x.0.clone()),
        })
        .collect()
}

#[derive(Serialize)]
pub struct Span2 {
    pub from: String,
    pub to: String,
}

#[derive(Serialize)]
pub struct ConclusionView {
    pub number: String,
    pub title: String,
    pub issued_by: Link,
    pub signed_on: String,
    pub signed_on_iso: String,
    pub signed_by: String,
    pub published_on: String,
    pub published_on_iso: String,
    pub inspected: Link,
    pub sector_label: String,
    pub sector_url: String,
    pub kind_label: String,
    pub source_label: String,
    /// The list of the source's conclusions, when there are several sources.
    pub source_url: Option<String>,
    pub withdrawn: Option<WithdrawnView>,
    pub period: Option<Span2>,
    pub violations_money: Option<String>,
    pub violations_land: Option<String>,
    pub body: String,
    pub recs: Vec<RecDetail>,
    pub decisions: Vec<Html>,
}

fn conclusion<'a>(cx: &Ctx<'a>, i: usize, body: &str) -> Result<ConclusionView, RenderError> {
    let d = cx.d;
    let c = &d.site.conclusions[i];
    let lang = cx.lang;
    let recs = d.recs[d.recs_of[i].clone()]
        .iter()
        .map(|v| {
            let timeline = v
                .rec
                .progress
                .iter()
                .filter(|p| p.on <= d.as_of)
                .map(|p| Step {
                    on: cx.date(p.on),
                    on_iso: p.on.to_string(),
                    status: p.status.id(),
                    status_label: cx.t.label("status", p.status.id()),
                    recovered: p
                        .recovered_vnd
                        .map(|m| cx.money(m))
                        .or_else(|| p.recovered_land_m2.map(|a| format::area(a, lang))),
                    note: p.note.as_ref().map(|n| n.0.clone()),
                    evidence: p.evidence.as_ref().map(|n| n.0.clone()),
                })
                .collect();
            let decisions = v
                .rec
                .decisions
                .iter()
                .filter_map(|r| d.decision_index.get(r.value.as_str()))
                .map(|&di| Link {
                    label: d.site.decisions[di].number.value.0.clone(),
                    url: cx.link(&urls::decision(d.site.decisions[di].id())),
                })
                .collect();
            RecDetail {
                item: view::rec_item(cx, v),
                timeline,
                decisions,
                document: v.rec.document.as_ref().map(|x| x.0.clone()),
                extension_list: extensions(cx, v),
                case: case(cx, v),
            }
        })
        .collect();
    Ok(ConclusionView {
        number: c.number.value.0.clone(),
        title: c.title.0.clone(),
        issued_by: cx.agency(c.issued_by.value.as_str()),
        signed_on: cx.date(c.signed_on),
        signed_on_iso: c.signed_on.to_string(),
        signed_by: c.signed_by.0.clone(),
        published_on: cx.date(c.published_on),
        published_on_iso: c.published_on.to_string(),
        inspected: cx.agency(c.inspected.value.as_str()),
        sector_label: cx.t.label("sector", c.sector.id()),
        sector_url: cx.link(&urls::filtered(
            urls::CONCLUSIONS,
            Dimension::Sector,
            c.sector.id(),
        )),
        kind_label: cx.t.label("inspection", c.kind.id()),
        source_label: cx.t.label("source", c.origin.id()),
        source_url: d.several_sources.then(|| {
            cx.link(&urls::filtered(
                urls::CONCLUSIONS,
                Dimension::Source(crate::derive::lists::Family::Conclusions),
                c.origin.id(),
            ))
        }),
        withdrawn: c
            .withdrawn
            .as_ref()
            .filter(|w| w.on <= d.as_of)
            .map(|w| WithdrawnView {
                on: cx.date(w.on),
                on_iso: w.on.to_string(),
                note: w.note.as_ref().map(|n| n.0.clone()),
            }),
        period: c.period.map(|p| Span2 {
            from: cx.date(p.from),
            to: cx.date(p.to),
        }),
        violations_money: c.violations.and_then(|v| v.money_vnd).map(|m| cx.money(m)),
        violations_land: c
            .violations
            .and_then(|v| v.land_m2)
            .map(|a| format::area(a, lang)),
        body: body.to_string(),
        recs,
        decisions: cx.rows(d.decisions_of[i].iter().map(|&x| Row::Decision(x)))?,
    })
}

/// The page of conclusion `i`.
pub fn page(cx: &Ctx<'_>, i: usize, bodies: &Bodies) -> Result<Page, RenderError> {
    let c = &cx.d.site.conclusions[i];
    let view = conclusion(cx, i, &bodies.conclusion(cx.d.site, i)?)?;
    let mark = if view.withdrawn.is_some() {
        format!(" ({})", cx.t.get("conclusion.withdrawn"))
    } else {
        String::new()
    };
    Ok(Page::new(
        "conclusion.html",
        format!("{} {}{mark}", c.number.value, c.title),
        c.title.0.clone(),
        Section::Conclusions,
    )
    .with("c", &view)
    .with(
        "documents",
        &super::documents::views(cx, c.id(), &c.documents),
    )
    .with("history", &history(cx, i)))
}

/// The history of a conclusion and of its recommendations.
fn history(cx: &Ctx<'_>, i: usize) -> super::changes::RecordHistory {
    let d = cx.d;
    let c = &d.site.conclusions[i];
    let keys: Vec<String> = d.recs[d.recs_of[i].clone()]
        .iter()
        .map(|v| crate::derive::history::recommendation_key(c.id(), &v.rec.id.value))
        .collect();
    super::changes::record_history(
        cx,
        std::iter::once(c.id()).chain(keys.iter().map(String::as_str)),
        c.published_on,
    )
}
