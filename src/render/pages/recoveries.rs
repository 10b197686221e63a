//! The recovered-assets dashboard: figures, charts and their tables.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Page, Section};
use crate::derive::Flow;
use crate::model::ReportPeriod;
use crate::model::vocab::Language;
use crate::render::chart;
use crate::render::context::{Ctx, Link};
use crate::render::figures::{self, Source, Tile};
use crate::site::format;

#[derive(Serialize)]
pub struct FlowRow {
    pub label: String,
    pub url: String,
    pub figures: figures::Recovery,
}

#[derive(Serialize)]
pub struct ChartView {
    pub id: &'static str,
    pub title: String,
    pub description: String,
    pub svg: String,
    pub rows: Vec<FlowRow>,
}

#[derive(Serialize)]
pub struct ReportRow {
    pub period: String,
    pub agency: Link,
    pub figures: figures::Recovery,
    pub reported_on: String,
    pub signed_by: String,
    /// Whether it is added to the reported figures (not overlapping another report).
    pub counted: bool,
    pub note: String,
}

/// The figures of one source: its headline tiles, its chart and its table
/// by agency.
#[derive(Serialize)]
pub struct SourceView {
    pub tiles: Vec<Tile>,
    pub chart: Option<ChartView>,
    pub by_agency: Vec<FlowRow>,
    /// The labels of the columns, which are the figures' own labels.
    pub columns: figures::Recovery,
}

/// Money recovered by judgment in cases referred to investigators: a
/// third source, on its own line, never added to the other two.
#[derive(Serialize)]
pub struct JudgmentView {
    pub cases: usize,
    pub recovered: figures::Figure,
}

#[derive(Serialize)]
pub struct RecoveriesView {
    pub tracked: SourceView,
    pub reported: Option<SourceView>,
    pub judgment: Option<JudgmentView>,
    pub rows: Vec<ReportRow>,
}

fn period_label(p: ReportPeriod, lang: Language) -> String {
    match lang {
        Language::Vi => p.label_vi(),
        Language::En => p.label_en(),
    }
}

fn flow_chart(
    cx: &Ctx<'_>,
    source: Source,
    id: &'static str,
    series: &BTreeMap<ReportPeriod, Flow>,
) -> Option<ChartView> {
    if series.is_empty() {
        return None;
    }
    let (title, description, scope) = match source {
        Source::Tracked => ("recovery.followed", "recovery.followed_desc", "until"),
        Source::Reported => ("recovery.reported", "recovery.reported_desc", "period"),
    };
    let (title, description) = (cx.t.get(title), cx.t.get(description));
    let lang = cx.lang;
    let groups: Vec<chart::Group> = series
        .iter()
        .map(|(p, f)| chart::Group {
            label: period_label(*p, lang),
            values: vec![f.recommended_vnd.0 as f64, f.recovered_vnd.0 as f64],
        })
        .collect();
    let axis = |v: f64| format::money_short(crate::model::amount::Vnd(v as u64), lang);
    let names = [
        cx.t.get("recovery.recommended"),
        cx.t.get("recovery.recovered"),
    ];
    let svg = chart::render(&chart::Chart {
        id,
        title,
        description,
        series: &names,
        groups: &groups,
        axis: &axis,
    });
    Some(ChartView {
        id,
        title: title.to_string(),
        description: description.to_string(),
        svg,
        rows: series
            .iter()
            .map(|(p, f)| FlowRow {
                label: period_label(*p, lang),
                url: String::new(),
                figures: figures::recovery(cx, source, &format!("{scope}:{p}"), f),
            })
            .collect(),
    })
}

/// One source's figures by agency, largest amount recommended first.
fn by_agency(cx: &Ctx<'_>, source: Source) -> Vec<FlowRow> {
    let d = cx.d;
    let mut rows: Vec<(usize, Flow)> =
        d.cards()
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match source {
                Source::Tracked => (c.responsible.recovery != Flow::default())
                    .then_some((i, c.responsible.recovery)),
                Source::Reported => (!c.recoveries.is_empty()).then_some((i, c.reported)),
            })
            .collect();
    rows.sort_by(|a, b| {
        b.1.recommended_vnd
            .cmp(&a.1.recommended_vnd)
            .then(a.0.cmp(&b.0))
    });
    rows.iter()
        .map(|(i, f)| {
            let id = d.site.agencies[*i].id.value.as_str();
            let l = cx.agency(id);
            FlowRow {
                label: l.label,
                url: l.url,
                figures: figures::recovery(cx, source, &figures::of_agency(id), f),
            }
        })
        .collect()
}

fn source_view(cx: &Ctx<'_>, source: Source) -> SourceView {
    let t = &cx.d.totals();
    let (total, series, chart_id) = match source {
        Source::Tracked => (t.recs.recovery, &t.followed, "chart-followed"),
        Source::Reported => (t.reported_total, &t.reported, "chart-reported"),
    };
    let headline = figures::recovery(cx, source, figures::SITE, &total);
    SourceView {
        tiles: figures::recovery_tiles(&headline, "").into(),
        chart: flow_chart(cx, source, chart_id, series),
        by_agency: by_agency(cx, source),
        columns: headline,
    }
}

fn recoveries(cx: &Ctx<'_>) -> RecoveriesView {
    let d = cx.d;
    let lang = cx.lang;
    RecoveriesView {
        tracked: source_view(cx, Source::Tracked),
        reported: (!d.site.recoveries.is_empty()).then(|| source_view(cx, Source::Reported)),
        judgment: (d.totals().cases > 0).then(|| JudgmentView {
            cases: d.totals().cases,
            recovered: figures::money(
                cx,
                "judgment_money_recovered".into(),
                figures::SITE,
                d.totals().judgment_vnd,
            ),
        }),
        rows: d
            .site
            .recoveries
            .iter()
            .zip(&d.counted)
            .rev()
            .map(|(r, &counted)| ReportRow {
                period: period_label(r.period, lang),
                agency: cx.agency(r.agency.value.as_str()),
                figures: figures::recovery(
                    cx,
                    Source::Reported,
                    &format!("report:{}:{}", r.agency.value, r.period),
                    &Flow::of(r),
                ),
                reported_on: cx.date(r.reported_on),
                signed_by: r.signed_by.0.clone(),
                counted,
                note: r.note.as_ref().map(|n| n.0.clone()).unwrap_or_default(),
            })
            .collect(),
    }
}

/// The recovered-assets page.
pub fn page(cx: &Ctx<'_>) -> Page {
    let t = cx.t;
    Page::new(
        "recoveries.html",
        t.get("recovery.title").into(),
        t.get("recovery.intro").into(),
        Section::Recoveries,
    )
    .with("rec", &recoveries(cx))
}
