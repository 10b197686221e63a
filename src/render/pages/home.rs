//! The home page: the headline figures and the latest records.

use serde::Serialize;

use super::menus::FilterLink;
use super::{Page, Section};
use crate::derive::lists::Dimension;
use crate::derive::plan::Plan;
use crate::model::vocab::{Status, Vocab};
use crate::render::RenderError;
use crate::render::context::Ctx;
use crate::render::rows::Row;
use crate::render::view::{self, ConclusionItem};
use crate::site::{format, urls};

#[derive(Serialize)]
pub struct Home<'a> {
    pub conclusions: usize,
    pub decisions: usize,
    pub recs: view::CountsView,
    pub rate: String,
    pub target: String,
    pub meets_target: bool,
    pub money_recommended: String,
    pub money_recovered: String,
    pub money_rate: String,
    pub land_recommended: String,
    pub land_recovered: String,
    pub by_status: Vec<FilterLink>,
    pub by_penalty: Vec<FilterLink>,
    pub overdue: Vec<&'a str>,
    pub latest_conclusions: Vec<ConclusionItem>,
    pub latest_decisions: Vec<&'a str>,
    pub events: Vec<view::EventItem>,
}

fn home<'a>(cx: &Ctx<'a>, plan: &Plan) -> Result<Home<'a>, RenderError> {
    let d = cx.d;
    let t = &d.totals;
    let target = d.site.config.follow_up.on_time_target;
    let counts = &t.recs;
    let mut by_status: Vec<FilterLink> = Status::ALL
        .iter()
        .map(|s| FilterLink {
            label: cx.t.label("status", s.id()),
            url: cx.link(&urls::filtered(
                urls::RECOMMENDATIONS,
                Dimension::Status,
                s.id(),
            )),
            count: match s {
                Status::NotStarted => counts.not_started,
                Status::InProgress => counts.in_progress,
                Status::Done => counts.done,
                Status::CannotComplete => counts.cannot_complete,
            },
            current: false,
        })
        .collect();
    by_status.push(FilterLink {
        label: cx.t.get("count.overdue").to_string(),
        url: cx.link(urls::OVERDUE),
        count: counts.overdue,
        current: false,
    });
    let by_penalty = t
        .decisions_by_penalty
        .iter()
        .map(|(p, n)| FilterLink {
            label: cx.t.label("penalty", p.id()),
            url: cx.link(&urls::filtered(urls::DECISIONS, Dimension::Penalty, p.id())),
            count: *n,
            current: false,
        })
        .collect();
    let lang = cx.lang;
    Ok(Home {
        conclusions: d.site.conclusions.len(),
        decisions: d.site.decisions.len(),
        recs: view::counts(cx, counts),
        rate: cx.rate(counts.on_time_rate()),
        target: format::percent(target, lang),
        meets_target: counts.meets(target),
        money_recommended: format::money_short(counts.money_recommended, lang),
        money_recovered: format::money_short(counts.money_recovered, lang),
        money_rate: cx.rate(counts.money_rate()),
        land_recommended: format::area(counts.land_recommended, lang),
        land_recovered: format::area(counts.land_recovered, lang),
        by_status,
        by_penalty,
        overdue: cx.rows(plan.overdue.iter().take(5).map(|&i| Row::Rec(i)))?,
        latest_conclusions: plan
            .latest_conclusions
            .iter()
            .take(6)
            .map(|&i| view::conclusion_item(cx, i))
            .collect(),
        latest_decisions: cx.rows(
            plan.latest_decisions
                .iter()
                .take(6)
                .map(|&i| Row::Decision(i)),
        )?,
        events: d
            .events
            .iter()
            .take(10)
            .map(|e| view::event_item(cx, e))
            .collect(),
    })
}

/// The home page.
pub fn page(cx: &Ctx<'_>, plan: &Plan) -> Result<Page, RenderError> {
    let home = home(cx, plan)?;
    let t = cx.t;
    let desc =
        cx.d.site
            .config
            .description
            .as_ref()
            .map_or_else(|| t.get("home.lead").to_string(), |x| x.0.clone());
    Ok(Page::new(
        "index.html",
        t.get("home.title").into(),
        desc,
        Section::Home,
    )
    .with("home", &home))
}
