//! The agency list and each agency's scorecard.

use serde::Serialize;

use super::decision::ConclusionRefView;
use super::{Page, Section};
use crate::derive::lists::Dimension;
use crate::derive::plan::Plan;
use crate::model::vocab::Vocab;
use crate::render::RenderError;
use crate::render::context::{Ctx, Link};
use crate::render::figures::{self, Source};
use crate::render::rows::Row;
use crate::render::view::{self, ConclusionItem};
use crate::site::urls;

#[derive(Serialize)]
pub struct AgencyItem {
    pub url: String,
    pub label: String,
    pub kind_label: String,
    pub counts: view::CountsView,
    pub rate_value: bool,
    pub meets: bool,
    /// The agency's overdue list, when it has one.
    pub overdue_url: Option<String>,
}

fn agency_items(cx: &Ctx<'_>) -> Vec<AgencyItem> {
    let d = cx.d;
    let rule = &d.site.config.follow_up;
    d.site
        .agencies
        .iter()
        .zip(&d.cards)
        .map(|(a, card)| {
            let rate = card.responsible.on_time_rate();
            AgencyItem {
                url: cx.link(&urls::agency(a.id.value.as_str())),
                label: a.label().to_string(),
                kind_label: cx.t.label("agency_kind", a.kind.id()),
                counts: view::counts(
                    cx,
                    &card.responsible,
                    &figures::of_agency(a.id.value.as_str()),
                ),
                rate_value: rate.is_some(),
                meets: card.responsible.meets(rule),
                overdue_url: (card.responsible.overdue > 0)
                    .then(|| cx.link(&urls::overdue_of(a.id.value.as_str()))),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct AgencyView<'a> {
    pub name: String,
    pub kind_label: String,
    pub parent: Option<Link>,
    pub children: Vec<Link>,
    pub contact: Vec<String>,
    pub counts: view::CountsView,
    /// The agency's recovery figures by its periodic reports, when it sent any.
    pub reported: Option<figures::Recovery>,
    pub rate_value: bool,
    pub meets: bool,
    pub recs: bool,
    pub recs_url: String,
    /// All conclusions about the agency (the filtered list).
    pub inspected_url: Option<String>,
    /// The most overdue recommendations, at most [`AGENCY_PAGE_LIMIT`].
    pub overdue: Vec<&'a str>,
    pub overdue_count: usize,
    /// The agency's whole overdue list, when the page shows only part of it.
    pub overdue_url: Option<String>,
    pub inspected: Vec<ConclusionItem>,
    pub issued: Vec<ConclusionRefView>,
    pub issued_count: usize,
    pub decided: Vec<&'a str>,
    pub decided_url: Option<String>,
    pub subjects: Vec<&'a str>,
}

/// How many items an agency page shows before linking to the full list.
const AGENCY_PAGE_LIMIT: usize = 20;

fn agency<'a>(cx: &Ctx<'a>, plan: &Plan, i: usize) -> Result<AgencyView<'a>, RenderError> {
    let d = cx.d;
    let a = &d.site.agencies[i];
    let card = &d.cards[i];
    let rate = card.responsible.on_time_rate();
    // The head of the agency's own overdue list, so the two always agree.
    let overdue = plan.overdue_items(a.id.value.as_str());
    let (inspected, issued) = (&card.inspected, &card.issued);
    let (decided, subjects) = (&card.decided, &card.subjects);
    let id = a.id.value.as_str();
    let contact = [
        a.address.as_ref().map(|x| x.0.clone()),
        a.phone.clone(),
        a.email.clone(),
        a.website.as_ref().map(|w| w.0.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(AgencyView {
        name: a.name.0.clone(),
        kind_label: cx.t.label("agency_kind", a.kind.id()),
        parent: a.parent.as_ref().map(|p| cx.agency(p.value.as_str())),
        children: card
            .children
            .iter()
            .map(|&c| cx.agency(d.site.agencies[c].id.value.as_str()))
            .collect(),
        contact,
        counts: view::counts(cx, &card.responsible, &figures::of_agency(id)),
        reported: (!card.recoveries.is_empty()).then(|| {
            figures::recovery(
                cx,
                Source::Reported,
                &figures::of_agency(id),
                &card.reported,
            )
        }),
        rate_value: rate.is_some(),
        meets: card.responsible.meets(&d.site.config.follow_up),
        recs: !card.recs.is_empty(),
        recs_url: cx.link(&urls::filtered(
            urls::RECOMMENDATIONS,
            Dimension::Responsible,
            id,
        )),
        inspected_url: (!inspected.is_empty())
            .then(|| cx.link(&urls::filtered(urls::CONCLUSIONS, Dimension::Inspected, id))),
        overdue: cx.rows(overdue.iter().take(AGENCY_PAGE_LIMIT).map(|&r| Row::Rec(r)))?,
        overdue_count: overdue.len(),
        overdue_url: (overdue.len() > AGENCY_PAGE_LIMIT).then(|| cx.link(&urls::overdue_of(id))),
        inspected: inspected
            .iter()
            .take(AGENCY_PAGE_LIMIT)
            .map(|&c| view::conclusion_item(cx, c))
            .collect(),
        issued: issued
            .iter()
            .take(AGENCY_PAGE_LIMIT)
            .map(|&c| {
                let c = &d.site.conclusions[c];
                ConclusionRefView {
                    url: cx.link(&urls::conclusion(c.id())),
                    number: c.number.value.0.clone(),
                    title: c.title.0.clone(),
                }
            })
            .collect(),
        issued_count: issued.len(),
        decided: cx.rows(
            decided
                .iter()
                .take(AGENCY_PAGE_LIMIT)
                .map(|&x| Row::Decision(x)),
        )?,
        decided_url: (!decided.is_empty())
            .then(|| cx.link(&urls::filtered(urls::DECISIONS, Dimension::Authority, id))),
        subjects: cx.rows(
            subjects
                .iter()
                .take(AGENCY_PAGE_LIMIT)
                .map(|&x| Row::Decision(x)),
        )?,
    })
}

/// The agency list.
pub fn list_page(cx: &Ctx<'_>) -> Page {
    let t = cx.t;
    let items = agency_items(cx);
    let target = view::target(cx);
    Page::new(
        "agency-list.html",
        t.get("agency.list_title").into(),
        t.get("agency.list_intro").into(),
        Section::Agencies,
    )
    .with("agencies", &items)
    .with("target", &target)
}

/// The scorecard of agency `i`.
pub fn page(cx: &Ctx<'_>, plan: &Plan, i: usize) -> Result<Page, RenderError> {
    let a = &cx.d.site.agencies[i];
    let view = agency(cx, plan, i)?;
    let target = view::target(cx);
    let mut page = Page::new(
        "agency.html",
        a.name.0.clone(),
        format!("{}: {}", cx.t.get("agency.scorecard"), a.name),
        Section::Agencies,
    )
    .with("a", &view)
    .with("target", &target);
    page.agency = Some(a.id.value.0.clone());
    Ok(page)
}
