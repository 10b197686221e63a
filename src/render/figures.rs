//! Figures as readers see them. Each carries the key of its definition
//! (`tracked_money_recovered`), the label that says what it counts (from the
//! theme's `[figure]` strings, the same wherever it is shown), its value in
//! the page's one money style, its raw number for machines
//! (`<data value>`), and what it is about (`site`, `agency:<id>`, …), so
//! that a figure under one label is one number everywhere.

use serde::Serialize;

use super::context::Ctx;
use crate::derive::Flow;
use crate::model::amount::{Area, Vnd};
use crate::site::format;

/// The two sources of recovery figures, which never share a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The recommendations of published conclusions and their follow-up.
    Tracked,
    /// The agencies' signed periodic reports.
    Reported,
}

impl Source {
    fn key(self) -> &'static str {
        match self {
            Source::Tracked => "tracked",
            Source::Reported => "reported",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub key: String,
    pub scope: String,
    pub label: String,
    pub value: String,
    pub raw: String,
}

fn figure(cx: &Ctx<'_>, key: String, scope: &str, value: String, raw: String) -> Figure {
    Figure {
        label: cx.t.get(&format!("figure.{key}")).to_string(),
        key,
        scope: scope.to_string(),
        value,
        raw,
    }
}

/// Money in summaries: `27,6 tỷ đồng`, the one style of every page of figures.
pub fn money(cx: &Ctx<'_>, key: String, scope: &str, v: Vnd) -> Figure {
    figure(
        cx,
        key,
        scope,
        format::money_short(v, cx.lang),
        v.0.to_string(),
    )
}

pub fn area(cx: &Ctx<'_>, key: String, scope: &str, a: Area) -> Figure {
    figure(cx, key, scope, format::area(a, cx.lang), a.m2().to_string())
}

/// A share; its raw value is the ratio (`0.567`), empty when undefined.
pub fn rate(cx: &Ctx<'_>, key: String, scope: &str, r: Option<f64>) -> Figure {
    figure(
        cx,
        key,
        scope,
        cx.rate(r),
        r.map(|r| format!("{r:.6}")).unwrap_or_default(),
    )
}

/// The six recovery figures of one source.
#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    pub money_recommended: Figure,
    pub money_recovered: Figure,
    pub money_rate: Figure,
    pub land_recommended: Figure,
    pub land_recovered: Figure,
    pub land_rate: Figure,
}

pub fn recovery(cx: &Ctx<'_>, source: Source, scope: &str, f: &Flow) -> Recovery {
    let key = |what: &str| format!("{}_{what}", source.key());
    Recovery {
        money_recommended: money(cx, key("money_recommended"), scope, f.recommended_vnd),
        money_recovered: money(cx, key("money_recovered"), scope, f.recovered_vnd),
        money_rate: rate(cx, key("money_rate"), scope, f.money_rate()),
        land_recommended: area(cx, key("land_recommended"), scope, f.recommended_land_m2),
        land_recovered: area(cx, key("land_recovered"), scope, f.recovered_land_m2),
        land_rate: rate(cx, key("land_rate"), scope, f.land_rate()),
    }
}

/// The scope of an agency's own figures.
pub fn of_agency(id: &str) -> String {
    format!("agency:{id}")
}

/// The site-wide scope.
pub const SITE: &str = "site";

/// A headline: one figure, the figures that qualify it, and where it leads.
#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    pub main: Figure,
    pub detail: Vec<Figure>,
    /// A remark that is not a figure ("chỉ tiêu: trên 90 %").
    pub note: Option<String>,
    pub url: String,
    /// `stat-good`, `stat-alert` or empty.
    pub class: &'static str,
    /// Whether it is computed (a rate, a recovery) and so links to how.
    pub how: bool,
}

impl Tile {
    pub fn new(main: Figure, url: String) -> Self {
        Tile {
            main,
            detail: Vec::new(),
            note: None,
            url,
            class: "",
            how: false,
        }
    }

    /// Marks a computed figure, which links to the methodology page.
    pub fn computed(mut self) -> Self {
        self.how = true;
        self
    }

    pub fn with(mut self, detail: Figure) -> Self {
        self.detail.push(detail);
        self
    }

    pub fn note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }

    pub fn class(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }
}

/// A count of records, as a figure.
pub fn count(cx: &Ctx<'_>, key: &str, scope: &str, n: usize) -> Figure {
    figure(
        cx,
        key.to_string(),
        scope,
        format::number(n as u64, cx.lang),
        n.to_string(),
    )
}

/// The money and land tiles of one source.
pub fn recovery_tiles(r: &Recovery, url: &str) -> [Tile; 2] {
    [
        Tile::new(r.money_recovered.clone(), url.to_string())
            .with(r.money_recommended.clone())
            .with(r.money_rate.clone())
            .computed(),
        Tile::new(r.land_recovered.clone(), url.to_string())
            .with(r.land_recommended.clone())
            .with(r.land_rate.clone())
            .computed(),
    ]
}
