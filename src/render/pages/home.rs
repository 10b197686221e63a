//! The home page: the headline figures and the latest records.

use serde::Serialize;

use super::menus::FilterLink;
use super::{Page, Section};
use crate::derive::lists::Dimension;
use crate::derive::plan::Plan;
use crate::model::vocab::{Status, Vocab};
use crate::render::RenderError;
use crate::render::context::Ctx;
use crate::render::figures::{self, Source, Tile};
use crate::render::rows::{Html, Row};
use crate::render::view::{self, ConclusionItem};
use crate::site::urls;

#[derive(Serialize)]
pub struct Home {
    /// The headline figures.
    pub tiles: Vec<Tile>,
    pub by_status: Vec<FilterLink>,
    pub by_penalty: Vec<FilterLink>,
    /// The on-time share of each source of conclusions, when there are several.
    pub by_source: Vec<SourceRow>,
    pub overdue: Vec<Html>,
    pub latest_conclusions: Vec<ConclusionItem>,
    pub latest_decisions: Vec<Html>,
    pub events: Vec<view::EventItem>,
}

#[derive(Serialize)]
pub struct SourceRow {
    pub label: String,
    pub url: String,
    pub total: usize,
    pub rate: figures::Figure,
}

/// The on-time share of each source, for the whole site (`scope` is
/// `site`) or one agency (`agency:<id>`); empty when there is one source.
pub fn by_source(
    cx: &Ctx<'_>,
    by: &std::collections::BTreeMap<crate::model::vocab::ConclusionSource, crate::derive::Counts>,
    scope: &str,
) -> Vec<SourceRow> {
    if by.len() < 2 {
        return Vec::new();
    }
    by.iter()
        .map(|(source, c)| SourceRow {
            label: cx.t.label("source", source.id()),
            url: cx.link(&urls::filtered(
                urls::RECOMMENDATIONS,
                Dimension::Source(crate::derive::lists::Family::Recommendations),
                source.id(),
            )),
            total: c.total,
            rate: figures::rate(
                cx,
                "on_time_rate".into(),
                &format!("{scope}:source:{}", source.id()),
                c.on_time_rate(),
            ),
        })
        .collect()
}

fn home<'a>(cx: &Ctx<'a>, plan: &Plan) -> Result<Home, RenderError> {
    let d = cx.d;
    let t = &d.totals();
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
    Ok(Home {
        tiles: tiles(cx),
        by_status,
        by_penalty,
        by_source: by_source(cx, &d.totals().by_source, figures::SITE),
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
            .events()
            .iter()
            .take(10)
            .map(|e| view::event_item(cx, e))
            .collect(),
    })
}

/// The headline figures: counts, the on-time rate against its target, and
/// recovery from both sources, each under its own label.
fn tiles(cx: &Ctx<'_>) -> Vec<Tile> {
    let d = cx.d;
    let t = &d.totals();
    let site = figures::SITE;
    let view = view::counts(cx, &t.recs, site);
    let recoveries = cx.link(urls::RECOVERIES);
    let mut tiles = vec![
        Tile::new(
            figures::count(cx, "conclusions", site, d.site.conclusions.len()),
            cx.link(urls::CONCLUSIONS),
        ),
        Tile::new(
            figures::count(cx, "recommendations", site, t.recs.total),
            cx.link(urls::RECOMMENDATIONS),
        ),
        Tile::new(
            figures::count(cx, "overdue", site, t.recs.overdue),
            cx.link(urls::OVERDUE),
        )
        .class("stat-alert"),
        Tile::new(view.rate, cx.link(urls::AGENCIES))
            .note(view::target(cx))
            .computed()
            .class(if t.recs.meets(&d.site.config.follow_up) {
                "stat-good"
            } else {
                "stat-alert"
            }),
    ];
    tiles.extend(figures::recovery_tiles(&view.recovery, &recoveries));
    if !d.site.recoveries.is_empty() {
        let reported = figures::recovery(cx, Source::Reported, site, &t.reported_total);
        let [money, _] = figures::recovery_tiles(&reported, &recoveries);
        tiles.push(money);
    }
    tiles.push(Tile::new(
        figures::count(cx, "decisions", site, d.site.decisions.len()),
        cx.link(urls::DECISIONS),
    ));
    tiles
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
