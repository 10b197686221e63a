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
use crate::render::rows::{Html, Row};
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
        .zip(d.cards())
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

/// When an agency ceased to exist, and who took over.
#[derive(Serialize)]
pub struct DissolvedView {
    pub on: String,
    pub on_iso: String,
    pub successor: Option<Link>,
}

/// One year of an agency's follow-up, beside the year before.
#[derive(Serialize)]
pub struct YearRow {
    pub year: i32,
    pub url: String,
    pub counts: view::CountsView,
    pub previous: Option<view::CountsView>,
}

fn scope_of_year(id: &str, year: i32) -> String {
    format!("{}:year:{year}", figures::of_agency(id))
}

/// The agency's years, newest first, each with the year before when it has one.
fn years(cx: &Ctx<'_>, i: usize) -> Vec<YearRow> {
    let id = cx.d.site.agencies[i].id.value.as_str();
    let by_year = &cx.d.cards()[i].by_year;
    by_year
        .iter()
        .rev()
        .map(|(&year, c)| YearRow {
            year,
            url: cx.link(&urls::agency_year(id, year)),
            counts: view::counts(cx, c, &scope_of_year(id, year)),
            previous: by_year
                .get(&(year - 1))
                .map(|p| view::counts(cx, p, &scope_of_year(id, year - 1))),
        })
        .collect()
}

fn dissolved(cx: &Ctx<'_>, a: &crate::model::Agency) -> Option<DissolvedView> {
    let on = a.dissolved_on.as_ref()?.value;
    Some(DissolvedView {
        on: cx.date(on),
        on_iso: on.to_string(),
        successor: a.successor.as_ref().map(|s| cx.agency(s.value.as_str())),
    })
}

#[derive(Serialize)]
pub struct AgencyView {
    pub name: String,
    pub kind_label: String,
    pub dissolved: Option<DissolvedView>,
    pub formerly: Vec<String>,
    /// Recommendations taken over, and handed over to a successor.
    pub inherited: Vec<Html>,
    pub handed_over: Vec<Html>,
    pub extended: usize,
    pub extensions: usize,
    pub years: Vec<YearRow>,
    pub by_source: Vec<super::home::SourceRow>,
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
    pub overdue: Vec<Html>,
    pub overdue_count: usize,
    /// The agency's whole overdue list, when the page shows only part of it.
    pub overdue_url: Option<String>,
    pub inspected: Vec<ConclusionItem>,
    pub issued: Vec<ConclusionRefView>,
    pub issued_count: usize,
    pub decided: Vec<Html>,
    pub decided_url: Option<String>,
    pub subjects: Vec<Html>,
}

/// How many items an agency page shows before linking to the full list.
const AGENCY_PAGE_LIMIT: usize = 20;

fn agency<'a>(cx: &Ctx<'a>, plan: &Plan, i: usize) -> Result<AgencyView, RenderError> {
    let d = cx.d;
    let a = &d.site.agencies[i];
    let card = &d.cards()[i];
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
        dissolved: dissolved(cx, a),
        formerly: a.formerly.iter().map(|n| n.0.clone()).collect(),
        inherited: cx.rows(card.inherited.iter().map(|&r| Row::Rec(r)))?,
        handed_over: cx.rows(card.handed_over.iter().map(|&r| Row::Rec(r)))?,
        extended: card.responsible.extended,
        extensions: card.responsible.extensions,
        years: years(cx, i),
        by_source: super::home::by_source(cx, &card.by_source, &figures::of_agency(id)),
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

#[derive(Serialize)]
pub struct YearView {
    pub agency: Link,
    pub year: i32,
    pub row: YearRow,
    /// The year's recommendations, at most [`AGENCY_PAGE_LIMIT`].
    pub recs: Vec<Html>,
    pub recs_count: usize,
    /// All of the agency's recommendations, when the page shows only some.
    pub recs_url: Option<String>,
}

/// The scorecard of agency `i` for `year`: the recommendations that fell
/// due that year, beside the year before.
pub fn year_page(cx: &Ctx<'_>, i: usize, year: i32) -> Result<Page, RenderError> {
    use chrono::Datelike;
    let d = cx.d;
    let a = &d.site.agencies[i];
    let id = a.id.value.as_str();
    let card = &d.cards()[i];
    let counts = card.by_year.get(&year).copied().unwrap_or_default();
    let mut due: Vec<usize> = card
        .recs
        .iter()
        .copied()
        .filter(|&r| d.recs[r].state.due.is_some_and(|due| due.year() == year))
        .collect();
    // The most overdue first, then by due date: what a reader of the year
    // wants to see, and a page that stays small for a large agency.
    due.sort_by_key(|&r| {
        let s = &d.recs[r].state;
        (std::cmp::Reverse(s.days_overdue), s.due, r)
    });
    let view = YearView {
        agency: cx.agency(id),
        year,
        row: YearRow {
            year,
            url: cx.link(&urls::agency_year(id, year)),
            counts: view::counts(cx, &counts, &scope_of_year(id, year)),
            previous: card
                .by_year
                .get(&(year - 1))
                .map(|p| view::counts(cx, p, &scope_of_year(id, year - 1))),
        },
        recs: cx.rows(due.iter().take(AGENCY_PAGE_LIMIT).map(|&r| Row::Rec(r)))?,
        recs_count: due.len(),
        recs_url: (due.len() > AGENCY_PAGE_LIMIT).then(|| {
            cx.link(&urls::filtered(
                urls::RECOMMENDATIONS,
                Dimension::Responsible,
                id,
            ))
        }),
    };
    let target = view::target(cx);
    let title = format!("{} {year}: {}", cx.t.get("agency.year_title"), a.name);
    let mut page = Page::new("agency-year.html", title.clone(), title, Section::Agencies)
        .with("y", &view)
        .with("target", &target);
    page.agency = Some(a.id.value.0.clone());
    Ok(page)
}

#[derive(Serialize)]
pub struct HandoverView {
    pub from: Link,
    pub to: Link,
    pub on: String,
    pub on_iso: String,
    pub count: usize,
    pub recs: Vec<Html>,
}

/// `/kien-nghi/chuyen-tiep/`: what each agency left unfinished when it
/// ceased to exist, and who took it over.
pub fn handovers_page(cx: &Ctx<'_>) -> Result<Page, RenderError> {
    let d = cx.d;
    let groups = d
        .handovers
        .iter()
        .map(|h| {
            Ok(HandoverView {
                from: cx.agency(d.site.agencies[h.from].id.value.as_str()),
                to: cx.agency(d.site.agencies[h.to].id.value.as_str()),
                on: cx.date(h.on),
                on_iso: h.on.to_string(),
                count: h.recs.len(),
                recs: cx.rows(h.recs.iter().map(|&r| Row::Rec(r)))?,
            })
        })
        .collect::<Result<Vec<_>, RenderError>>()?;
    Ok(Page::new(
        "handovers.html",
        cx.t.get("handover.title").into(),
        cx.t.get("handover.intro").into(),
        Section::Recommendations,
    )
    .with("handovers", &groups))
}
