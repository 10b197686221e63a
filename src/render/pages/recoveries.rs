//! The recovered-assets dashboard: figures, charts and their tables.

use serde::Serialize;

use super::{Page, Section};
use crate::derive::Flow;
use crate::model::ReportPeriod;
use crate::model::vocab::Language;
use crate::render::chart;
use crate::render::context::{Ctx, Link};
use crate::site::format;

#[derive(Serialize)]
pub struct FlowRow {
    pub label: String,
    pub url: String,
    pub recommended: String,
    pub recovered: String,
    pub rate: String,
    pub land_recommended: String,
    pub land_recovered: String,
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
    pub recommended: String,
    pub recovered: String,
    pub land_recommended: String,
    pub land_recovered: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct RecoveriesView {
    pub money_recommended: String,
    pub money_recovered: String,
    pub money_rate: String,
    pub land_recommended: String,
    pub land_recovered: String,
    pub land_rate: String,
    pub charts: Vec<ChartView>,
    pub by_agency: Vec<FlowRow>,
    pub rows: Vec<ReportRow>,
}

fn period_label(p: ReportPeriod, lang: Language) -> String {
    match lang {
        Language::Vi => p.label_vi(),
        Language::En => p.label_en(),
    }
}

fn flow_row(cx: &Ctx<'_>, label: String, url: String, f: &Flow) -> FlowRow {
    FlowRow {
        label,
        url,
        recommended: cx.money(f.recommended_vnd),
        recovered: cx.money(f.recovered_vnd),
        rate: cx.rate(f.money_rate()),
        land_recommended: format::area(f.recommended_land_m2, cx.lang),
        land_recovered: format::area(f.recovered_land_m2, cx.lang),
    }
}

fn flow_chart(
    cx: &Ctx<'_>,
    id: &'static str,
    title: &str,
    description: &str,
    series: &std::collections::BTreeMap<ReportPeriod, Flow>,
) -> ChartView {
    let lang = cx.lang;
    let groups: Vec<chart::Group> = series
        .iter()
        .map(|(p, f)| chart::Group {
            label: period_label(*p, lang),
            values: vec![f.recommended_vnd.0 as f64, f.recovered_vnd.0 as f64],
            rate: f.money_rate(),
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
        rate_name: Some(cx.t.get("recovery.rate")),
        groups: &groups,
        axis: &axis,
        lang,
    });
    ChartView {
        id,
        title: title.to_string(),
        description: description.to_string(),
        svg,
        rows: series
            .iter()
            .map(|(p, f)| flow_row(cx, period_label(*p, lang), String::new(), f))
            .collect(),
    }
}

fn recoveries(cx: &Ctx<'_>) -> RecoveriesView {
    let d = cx.d;
    let t = &d.totals;
    let lang = cx.lang;
    let total = t.reported.values().fold(Flow::default(), |a, f| a.plus(f));
    let land_rate = (total.recommended_land_m2.0 > 0)
        .then(|| total.recovered_land_m2.0 as f64 / total.recommended_land_m2.0 as f64);
    let mut charts = Vec::new();
    if !t.reported.is_empty() {
        charts.push(flow_chart(
            cx,
            "chart-reported",
            cx.t.get("recovery.reported"),
            cx.t.get("recovery.reported_desc"),
            &t.reported,
        ));
    }
    if !t.followed.is_empty() {
        charts.push(flow_chart(
            cx,
            "chart-followed",
            cx.t.get("recovery.followed"),
            cx.t.get("recovery.followed_desc"),
            &t.followed,
        ));
    }
    let mut by_agency: Vec<(usize, Flow)> = d
        .cards
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.recoveries.is_empty())
        .map(|(i, c)| {
            let f = c
                .recoveries
                .iter()
                .map(|&r| Flow::of(&d.site.recoveries[r]))
                .fold(Flow::default(), |a, f| a.plus(&f));
            (i, f)
        })
        .collect();
    by_agency.sort_by(|a, b| {
        b.1.recommended_vnd
            .cmp(&a.1.recommended_vnd)
            .then(a.0.cmp(&b.0))
    });
    RecoveriesView {
        money_recommended: format::money_short(total.recommended_vnd, lang),
        money_recovered: format::money_short(total.recovered_vnd, lang),
        money_rate: cx.rate(total.money_rate()),
        land_recommended: format::area(total.recommended_land_m2, lang),
        land_recovered: format::area(total.recovered_land_m2, lang),
        land_rate: cx.rate(land_rate),
        charts,
        by_agency: by_agency
            .iter()
            .map(|(i, f)| {
                let id = d.site.agencies[*i].id.value.as_str();
                let l = cx.agency(id);
                flow_row(cx, l.label, l.url, f)
            })
            .collect(),
        rows: d
            .site
            .recoveries
            .iter()
            .rev()
            .map(|r| ReportRow {
                period: period_label(r.period, lang),
                agency: cx.agency(r.agency.value.as_str()),
                recommended: cx.money(r.recommended_vnd),
                recovered: cx.money(r.recovered_vnd),
                land_recommended: format::area(r.recommended_land_m2, lang),
                land_recovered: format::area(r.recovered_land_m2, lang),
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
