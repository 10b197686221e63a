//! Menus of the lists: the pager and the filter groups.

use serde::Serialize;

use crate::derive::lists::{Dimension, Family, List};
use crate::derive::plan::Plan;
use crate::render::context::{Ctx, Link};
use crate::site::urls;

/// The key of a dimension's menu label in the interface strings.
fn dimension_label(dim: Dimension) -> &'static str {
    match dim {
        Dimension::Year(Family::Conclusions) => "conclusion.by_year",
        Dimension::Year(Family::Recommendations) => "rec.by_year",
        Dimension::Year(Family::Decisions) => "decision.by_year",
        Dimension::Sector => "conclusion.by_sector",
        Dimension::Inspected => "conclusion.by_agency",
        Dimension::Status => "rec.by_status",
        Dimension::Responsible => "rec.by_agency",
        Dimension::Penalty => "decision.by_penalty",
        Dimension::Track => "decision.by_track",
        Dimension::Authority => "decision.by_authority",
        Dimension::Source(_) => "conclusion.by_source",
    }
}

/// The group of a dimension's value labels in the strings (`sector`), or
/// `None` for years and agencies, which label themselves.
fn value_group(dim: Dimension) -> Option<&'static str> {
    match dim {
        Dimension::Sector => Some("sector"),
        Dimension::Status => Some("status"),
        Dimension::Penalty => Some("penalty"),
        Dimension::Track => Some("track"),
        Dimension::Source(_) => Some("source"),
        Dimension::Year(_)
        | Dimension::Inspected
        | Dimension::Responsible
        | Dimension::Authority => None,
    }
}

#[derive(Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PagerLink>,
}

#[derive(Serialize)]
pub struct PagerLink {
    pub n: usize,
    pub url: String,
    pub current: bool,
}

/// Page numbers shown: the first, the last, and two either side of the current.
pub fn pager(cx: &Ctx<'_>, base: &str, current: usize, total: usize) -> Pager {
    let url = |n: usize| cx.link(&urls::paged(base, n));
    let pages = (1..=total)
        .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 2)
        .map(|n| PagerLink {
            n,
            url: url(n),
            current: n == current,
        })
        .collect();
    Pager {
        current,
        total,
        prev: (current > 1).then(|| url(current - 1)),
        next: (current < total).then(|| url(current + 1)),
        pages,
    }
}

#[derive(Serialize)]
pub struct FilterGroup {
    pub label: String,
    pub open: bool,
    pub links: Vec<FilterLink>,
    /// For a dimension with too many values to list on every page (agencies),
    /// where to choose one instead.
    pub more: Option<Link>,
}

/// A filter menu lists at most this many values; past it, the values are
/// chosen on their own page (the agency list), which keeps list pages small.
pub const MAX_INLINE_VALUES: usize = 30;

#[derive(Serialize)]
pub struct FilterLink {
    pub label: String,
    pub url: String,
    pub count: usize,
    pub current: bool,
}

/// The label of a filter value: a year, an agency name, or a vocabulary label.
pub fn value_label(cx: &Ctx<'_>, dim: Dimension, key: &str) -> String {
    match value_group(dim) {
        Some(group) => cx.t.label(group, key),
        None if dim.is_agency() => cx.agency(key).label,
        None => key.to_string(),
    }
}

pub fn filters(cx: &Ctx<'_>, plan: &Plan, list: &List) -> Vec<FilterGroup> {
    let Some((_, dims)) = plan.values.iter().find(|(f, _)| *f == list.family) else {
        return Vec::new();
    };
    let base = urls::family(list.family);
    let count = plan
        .lists
        .iter()
        .find(|l| l.family == list.family && l.filter.is_none())
        .map_or(0, |l| l.items.len());
    let mut groups = vec![all_group(cx, base, count, list.filter.is_none())];
    for (dim, values) in dims {
        let current = list
            .filter
            .as_ref()
            .filter(|(d, _)| d == dim)
            .map(|(_, k)| k.as_str());
        groups.push(filter_group(cx, *dim, values, base, current));
    }
    groups
}

/// The filter menus of the overdue list: all of it, or one responsible agency's.
pub fn overdue_filters(cx: &Ctx<'_>, plan: &Plan, agency: Option<usize>) -> Vec<FilterGroup> {
    let mut groups = vec![all_group(
        cx,
        urls::OVERDUE,
        plan.overdue.len(),
        agency.is_none(),
    )];
    if !plan.overdue_values.is_empty() {
        let current = agency.map(|a| plan.overdue_by[a].0.as_str());
        groups.push(filter_group(
            cx,
            Dimension::Responsible,
            &plan.overdue_values,
            urls::OVERDUE,
            current,
        ));
    }
    groups
}

/// The menu that leads back to the whole list at `base`.
fn all_group(cx: &Ctx<'_>, base: &str, count: usize, current: bool) -> FilterGroup {
    FilterGroup {
        label: cx.t.get("all").to_string(),
        open: false,
        links: vec![FilterLink {
            label: cx.t.get("all").to_string(),
            url: cx.link(base),
            count,
            current,
        }],
        more: None,
    }
}

/// The menu of one dimension: each value with its count, linking to the
/// list filtered by it under `base`. Past [`MAX_INLINE_VALUES`] values
/// (agencies), only the current one shows, with a link to choose another.
fn filter_group(
    cx: &Ctx<'_>,
    dim: Dimension,
    values: &[(String, usize)],
    base: &str,
    current: Option<&str>,
) -> FilterGroup {
    let inline = values.len() <= MAX_INLINE_VALUES;
    let links = values
        .iter()
        .filter(|(key, n)| *n > 0 && (inline || current == Some(key.as_str())))
        .map(|(key, n)| FilterLink {
            label: value_label(cx, dim, key),
            url: cx.link(&urls::filtered(base, dim, key)),
            count: *n,
            current: current == Some(key.as_str()),
        })
        .collect();
    FilterGroup {
        label: cx.t.get(dimension_label(dim)).to_string(),
        open: current.is_some(),
        links,
        more: (!inline).then(|| Link {
            label: cx.t.get("choose_agency").to_string(),
            url: cx.link(urls::AGENCIES),
        }),
    }
}
