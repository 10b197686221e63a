//! Every page of the site, as a job to render in each language.

use std::sync::Arc;

use serde::Serialize;

use super::RenderError;
use super::lists::{self, Dimension, Family, List};
use super::rows::Row;
use super::urls;
use super::view::{self, ConclusionItem, Ctx, Link, RecItem};
use super::{chart, format};
use crate::derive::{Derived, Flow};
use crate::model::ReportPeriod;
use crate::model::vocab::{Language, Status, Vocab};

/// What to render. Jobs do not depend on the language.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Home,
    Conclusion(usize),
    Decision(usize),
    Agency(usize),
    Page(usize),
    /// Page `page` (from 1) of list `list` of the plan.
    List {
        list: usize,
        page: usize,
    },
    /// Page `page` of the overdue list, of all agencies or of the agency
    /// `agency` (an index into [`Plan::overdue_by`]).
    Overdue {
        agency: Option<usize>,
        page: usize,
    },
    Recoveries,
    Agencies,
    Search,
    Data,
    NotFound,
}

/// The lists and the jobs of a site.
pub struct Plan {
    pub lists: Vec<List>,
    pub values: Vec<(Family, lists::Values)>,
    pub overdue: Arc<Vec<usize>>,
    /// The overdue list of each responsible agency that has overdue
    /// recommendations, sorted by agency id, each most overdue first.
    pub overdue_by: Vec<(String, Vec<usize>)>,
    /// Each of those agencies with its count, for the overdue list's menu.
    pub overdue_values: Vec<(String, usize)>,
    pub per_page: usize,
    pub jobs: Vec<Job>,
}

fn pages_for(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

pub fn plan(d: &Derived<'_>, per_page: usize) -> Plan {
    // The families' lists and the overdue list are independent sorts of
    // every record, built two at a time (168 ms on one core at 100 000).
    let ((conclusions, recommendations), (decisions, overdue)) = rayon::join(
        || rayon::join(|| lists::conclusions(d), || lists::recommendations(d)),
        || rayon::join(|| lists::decisions(d), || d.overdue()),
    );
    let mut lists = Vec::new();
    let mut values = Vec::new();
    for (family, fl) in [
        (Family::Conclusions, conclusions),
        (Family::Recommendations, recommendations),
        (Family::Decisions, decisions),
    ] {
        lists.extend(fl.lists);
        values.push((family, fl.values));
    }
    let overdue = Arc::new(overdue);
    let site = d.site;
    let mut jobs = vec![
        Job::Home,
        Job::Recoveries,
        Job::Agencies,
        Job::Search,
        Job::Data,
        Job::NotFound,
    ];
    jobs.extend((0..site.conclusions.len()).map(Job::Conclusion));
    jobs.extend((0..site.decisions.len()).map(Job::Decision));
    jobs.extend((0..site.agencies.len()).map(Job::Agency));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (i, l) in lists.iter().enumerate() {
        for page in 1..=pages_for(l.items.len(), per_page) {
            jobs.push(Job::List { list: i, page });
        }
    }
    for page in 1..=pages_for(overdue.len(), per_page) {
        jobs.push(Job::Overdue { agency: None, page });
    }
    let overdue_by: Vec<(String, Vec<usize>)> =
        lists::group_by(&overdue, |r| d.recs[r].rec.responsible.value.as_str())
            .into_iter()
            .collect();
    let overdue_values = overdue_by
        .iter()
        .map(|(id, items)| (id.clone(), items.len()))
        .collect();
    for (a, (_, items)) in overdue_by.iter().enumerate() {
        for page in 1..=pages_for(items.len(), per_page) {
            jobs.push(Job::Overdue {
                agency: Some(a),
                page,
            });
        }
    }
    Plan {
        lists,
        values,
        overdue,
        overdue_by,
        overdue_values,
        per_page,
        jobs,
    }
}

/// The overdue list of one responsible agency, filtered like the tracker's
/// lists: `/kien-nghi/qua-han/co-quan/<id>/`.
pub fn overdue_of(agency: &str) -> String {
    format!("{}{}/{agency}/", urls::OVERDUE, lists::RESPONSIBLE.segment)
}

impl Plan {
    /// The overdue list of the responsible agency `id` (empty if it has none).
    pub fn overdue_items(&self, id: &str) -> &[usize] {
        self.overdue_by
            .binary_search_by(|(k, _)| k.as_str().cmp(id))
            .map_or(&[], |a| &self.overdue_by[a].1)
    }

    /// The items and the address of the overdue list of `agency` (an index
    /// into `overdue_by`), or of every agency.
    pub fn overdue_list(&self, agency: Option<usize>) -> (&[usize], String) {
        match agency {
            None => (&self.overdue, urls::OVERDUE.to_string()),
            Some(a) => {
                let (id, items) = &self.overdue_by[a];
                (items, overdue_of(id))
            }
        }
    }
}

/// The page-level data every template gets as `page`.
#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub path: String,
    pub canonical: String,
    pub alternate: String,
    pub alternate_absolute: String,
    pub section: &'static str,
    pub is_home: bool,
    pub feeds: Vec<Link>,
}

impl PageMeta {
    pub fn new(
        cx: &Ctx<'_>,
        path: &str,
        title: String,
        description: String,
        section: &'static str,
    ) -> Self {
        let other = match cx.lang {
            Language::Vi => Language::En,
            Language::En => Language::Vi,
        };
        PageMeta {
            title,
            description,
            path: cx.link(path),
            canonical: cx.urls.absolute(cx.lang, path),
            alternate: cx.urls.link(other, path),
            alternate_absolute: cx.urls.absolute(other, path),
            section,
            is_home: path == urls::HOME,
            feeds: feeds_for(cx, path, section),
        }
    }
}

/// The Atom feeds a page announces with `<link rel="alternate">`.
fn feeds_for(cx: &Ctx<'_>, path: &str, section: &str) -> Vec<Link> {
    use crate::site::urls::feeds;
    let feed = |label: &str, p: &str| Link {
        label: label.to_string(),
        url: cx.urls.asset(p),
    };
    let mut out = vec![feed(cx.t.get("data.feed_all"), feeds::ALL)];
    match section {
        "conclusions" => out.push(feed(cx.t.get("conclusion.list_title"), feeds::CONCLUSIONS)),
        "decisions" => out.push(feed(cx.t.get("decision.list_title"), feeds::DECISIONS)),
        "recommendations" | "overdue" => {
            out.push(feed(cx.t.get("data.feed_events"), feeds::EVENTS))
        }
        "agencies" => {
            if let Some(id) = path
                .strip_prefix(urls::AGENCIES)
                .map(|r| r.trim_end_matches('/'))
                .filter(|r| !r.is_empty())
            {
                out.push(feed(&cx.agency(id).label, &feeds::agency(id)));
            }
        }
        _ => {}
    }
    out
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
    if dim.values.is_empty() {
        if dim.segment == "co-quan" {
            cx.agency(key).label
        } else {
            key.to_string()
        }
    } else {
        cx.t.label(dim.values, key)
    }
}

pub fn filters(cx: &Ctx<'_>, plan: &Plan, list: &List) -> Vec<FilterGroup> {
    let Some((_, dims)) = plan.values.iter().find(|(f, _)| *f == list.family) else {
        return Vec::new();
    };
    let base = list.family.base();
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
            lists::RESPONSIBLE,
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
            url: cx.link(&format!("{base}{}/{key}/", dim.segment)),
            count: *n,
            current: current == Some(key.as_str()),
        })
        .collect();
    FilterGroup {
        label: cx.t.get(dim.label).to_string(),
        open: current.is_some(),
        links,
        more: (!inline).then(|| Link {
            label: cx.t.get("choose_agency").to_string(),
            url: cx.link(urls::AGENCIES),
        }),
    }
}

#[derive(Serialize)]
pub struct ListView<'a> {
    pub intro: String,
    pub count: usize,
    /// The rows of this page, already rendered (see [`super::rows`]).
    pub rows: Vec<&'a str>,
    pub pager: Pager,
    pub filters: Vec<FilterGroup>,
    pub overdue: bool,
}

/// Title, intro and section of a family's lists.
pub fn family_texts(family: Family) -> (&'static str, &'static str, &'static str) {
    match family {
        Family::Conclusions => (
            "conclusion.list_title",
            "conclusion.list_intro",
            "conclusions",
        ),
        Family::Recommendations => ("rec.list_title", "rec.list_intro", "recommendations"),
        Family::Decisions => ("decision.list_title", "decision.list_intro", "decisions"),
    }
}

pub fn page_slice(items: &[usize], page: usize, per_page: usize) -> &[usize] {
    let start = ((page - 1) * per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}

// ---- Open data -----------------------------------------------------------

#[derive(Serialize)]
pub struct DatasetView {
    pub name: &'static str,
    pub title: String,
    pub rows: usize,
    pub csv: String,
    pub csv_size: String,
    pub json: String,
    pub json_size: String,
    pub schema: String,
    pub columns: Vec<ColumnView>,
}

#[derive(Serialize)]
pub struct ColumnView {
    pub name: String,
    pub description: String,
}

#[derive(Serialize)]
pub struct DataView {
    pub datasets: Vec<DatasetView>,
    pub feeds: Vec<Link>,
    pub manifest: String,
    pub sitemap: String,
}

fn size(bytes: usize, lang: Language) -> String {
    if bytes >= 1 << 20 {
        format!(
            "{} MB",
            format::decimal(bytes as f64 / 1_048_576.0, 1, lang)
        )
    } else {
        format!(
            "{} KB",
            format::decimal((bytes as f64 / 1024.0).max(0.1), 1, lang)
        )
    }
}

pub fn data(cx: &Ctx<'_>, datasets: &[crate::site::datasets::Dataset]) -> DataView {
    use crate::site::urls::feeds;
    let vi = cx.lang == Language::Vi;
    let feed_links = [
        ("data.feed_all", feeds::ALL),
        ("conclusion.list_title", feeds::CONCLUSIONS),
        ("decision.list_title", feeds::DECISIONS),
        ("data.feed_events", feeds::EVENTS),
    ]
    .into_iter()
    .map(|(label, feed)| Link {
        label: cx.t.get(label).into(),
        url: cx.urls.asset(feed),
    })
    .collect();
    DataView {
        datasets: datasets
            .iter()
            .map(|d| DatasetView {
                name: d.name,
                title: if vi {
                    d.title_vi.clone()
                } else {
                    d.title_en.clone()
                },
                rows: d.rows,
                csv: cx.urls.asset(&d.csv),
                csv_size: size(d.csv_bytes, cx.lang),
                json: cx.urls.asset(&d.json),
                json_size: size(d.json_bytes, cx.lang),
                schema: cx.urls.asset(&d.schema),
                columns: d
                    .columns
                    .iter()
                    .map(|c| ColumnView {
                        name: c.name.clone(),
                        description: if vi { c.vi.clone() } else { c.en.clone() },
                    })
                    .collect(),
            })
            .collect(),
        feeds: feed_links,
        manifest: cx.urls.asset("/SHA256SUMS"),
        sitemap: cx.urls.asset("/sitemap.xml"),
    }
}

// ---- Home --------------------------------------------------------------

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

pub fn home<'a>(cx: &Ctx<'a>, plan: &Plan) -> Result<Home<'a>, RenderError> {
    let d = cx.d;
    let t = &d.totals;
    let target = d.site.config.follow_up.on_time_target;
    let counts = &t.recs;
    let mut by_status: Vec<FilterLink> = Status::ALL
        .iter()
        .map(|s| FilterLink {
            label: cx.t.label("status", s.id()),
            url: cx.link(&format!(
                "{}{}/{}/",
                urls::RECOMMENDATIONS,
                lists::STATUS.segment,
                s.id()
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
            url: cx.link(&format!(
                "{}{}/{}/",
                urls::DECISIONS,
                lists::PENALTY.segment,
                p.id()
            )),
            count: *n,
            current: false,
        })
        .collect();
    let mut latest: Vec<usize> = (0..d.site.conclusions.len()).collect();
    latest.sort_by(|&a, &b| {
        let (ca, cb) = (&d.site.conclusions[a], &d.site.conclusions[b]);
        cb.published_on
            .cmp(&ca.published_on)
            .then_with(|| ca.id().cmp(cb.id()))
    });
    let mut latest_d: Vec<usize> = (0..d.site.decisions.len()).collect();
    latest_d.sort_by(|&a, &b| {
        let (da, db) = (&d.site.decisions[a], &d.site.decisions[b]);
        db.published_on
            .cmp(&da.published_on)
            .then_with(|| da.id().cmp(db.id()))
    });
    let lang = cx.lang;
    Ok(Home {
        conclusions: d.site.conclusions.len(),
        decisions: d.site.decisions.len(),
        recs: view::counts(cx, counts),
        rate: cx.rate(counts.on_time_rate()),
        target: format::percent(target, lang),
        meets_target: counts.on_time_rate().is_some_and(|r| r >= target),
        money_recommended: format::money_short(counts.money_recommended, lang),
        money_recovered: format::money_short(counts.money_recovered, lang),
        money_rate: cx.rate(counts.money_rate()),
        land_recommended: format::area(counts.land_recommended, lang),
        land_recovered: format::area(counts.land_recovered, lang),
        by_status,
        by_penalty,
        overdue: cx.rows(plan.overdue.iter().take(5).map(|&i| Row::Rec(i)))?,
        latest_conclusions: latest
            .iter()
            .take(6)
            .map(|&i| view::conclusion_item(cx, i))
            .collect(),
        latest_decisions: cx.rows(latest_d.iter().take(6).map(|&i| Row::Decision(i)))?,
        events: d
            .events
            .iter()
            .take(10)
            .map(|e| view::event_item(cx, e))
            .collect(),
    })
}

// ---- Conclusion ----------------------------------------------------------

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

#[derive(Serialize)]
pub struct RecDetail {
    #[serde(flatten)]
    pub item: RecItem,
    pub timeline: Vec<Step>,
    pub decisions: Vec<Link>,
    pub document: Option<String>,
}

#[derive(Serialize)]
pub struct Span2 {
    pub from: String,
    pub to: String,
}

#[derive(Serialize)]
pub struct ConclusionView<'a> {
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
    pub period: Option<Span2>,
    pub violations_money: Option<String>,
    pub violations_land: Option<String>,
    pub body: String,
    pub recs: Vec<RecDetail>,
    pub decisions: Vec<&'a str>,
}

pub fn conclusion<'a>(
    cx: &Ctx<'a>,
    i: usize,
    body: &str,
) -> Result<ConclusionView<'a>, RenderError> {
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
        sector_url: cx.link(&format!(
            "{}{}/{}/",
            urls::CONCLUSIONS,
            lists::SECTOR.segment,
            c.sector.id()
        )),
        kind_label: cx.t.label("inspection", c.kind.id()),
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

// ---- Decision ------------------------------------------------------------

#[derive(Serialize)]
pub struct DecisionView {
    pub title: String,
    pub number: String,
    pub track_label: String,
    pub track_url: String,
    pub authority: Link,
    pub decided_on: String,
    pub decided_on_iso: String,
    pub published_on: String,
    pub published_on_iso: String,
    pub subject: String,
    pub role_label: String,
    pub position: Option<String>,
    pub agency: Option<Link>,
    pub penalty_label: String,
    pub penalty_url: String,
    pub basis: String,
    pub session: Option<String>,
    pub status: &'static str,
    pub status_label: String,
    pub status_on: Option<String>,
    pub status_note: Option<String>,
    pub body: String,
    pub related: Vec<ConclusionRefView>,
}

#[derive(Serialize)]
pub struct ConclusionRefView {
    pub url: String,
    pub number: String,
    pub title: String,
}

/// The heading of a decision: "Cảnh cáo đối với Trần Văn B" / "Warning: Trần Văn B".
pub fn decision_title(cx: &Ctx<'_>, i: usize) -> String {
    let d = cx.d.decision(i);
    let penalty = cx.t.label("penalty", d.penalty.id());
    match cx.lang {
        Language::Vi => format!("{penalty} đối với {}", d.subject.name),
        Language::En => format!("{penalty}: {}", d.subject.name),
    }
}

pub fn decision(cx: &Ctx<'_>, i: usize, body: &str) -> DecisionView {
    let dd = cx.d;
    let d = dd.decision(i);
    DecisionView {
        title: decision_title(cx, i),
        number: d.number.value.0.clone(),
        track_label: cx.t.label("track", d.track.id()),
        track_url: cx.link(&format!(
            "{}{}/{}/",
            urls::DECISIONS,
            lists::TRACK.segment,
            d.track.id()
        )),
        authority: cx.agency(d.authority.value.as_str()),
        decided_on: cx.date(d.decided_on),
        decided_on_iso: d.decided_on.to_string(),
        published_on: cx.date(d.published_on),
        published_on_iso: d.published_on.to_string(),
        subject: d.subject.name.0.clone(),
        role_label: cx.t.label("role", d.subject.role.id()),
        position: d.subject.position.as_ref().map(|p| p.0.clone()),
        agency: d
            .subject
            .agency
            .as_ref()
            .map(|a| cx.agency(a.value.as_str())),
        penalty_label: cx.t.label("penalty", d.penalty.id()),
        penalty_url: cx.link(&format!(
            "{}{}/{}/",
            urls::DECISIONS,
            lists::PENALTY.segment,
            d.penalty.id()
        )),
        basis: d.basis.to_string(),
        session: d.session.as_ref().map(|s| s.0.clone()),
        status: d.status.id(),
        status_label: cx.t.label("decision_status", d.status.id()),
        status_on: d.status_on.map(|s| cx.date(s)),
        status_note: d.status_note.as_ref().map(|n| n.0.clone()),
        body: body.to_string(),
        related: dd.conclusions_of[i]
            .iter()
            .map(|&ci| {
                let c = &dd.site.conclusions[ci];
                ConclusionRefView {
                    url: cx.link(&urls::conclusion(c.id())),
                    number: c.number.value.0.clone(),
                    title: c.title.0.clone(),
                }
            })
            .collect(),
    }
}

// ---- Agencies --------------------------------------------------------------

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

pub fn agency_items(cx: &Ctx<'_>) -> Vec<AgencyItem> {
    let d = cx.d;
    let target = d.site.config.follow_up.on_time_target;
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
                counts: view::counts(cx, &card.responsible),
                rate_value: rate.is_some(),
                meets: rate.is_some_and(|r| r >= target),
                overdue_url: (card.responsible.overdue > 0)
                    .then(|| cx.link(&overdue_of(a.id.value.as_str()))),
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

pub fn agency<'a>(cx: &Ctx<'a>, plan: &Plan, i: usize) -> Result<AgencyView<'a>, RenderError> {
    let d = cx.d;
    let a = &d.site.agencies[i];
    let card = &d.cards[i];
    let rate = card.responsible.on_time_rate();
    // The head of the agency's own overdue list, so the two always agree.
    let overdue = plan.overdue_items(a.id.value.as_str());
    let newest_first = |v: &[usize], date: &dyn Fn(usize) -> chrono::NaiveDate| {
        let mut v = v.to_vec();
        v.sort_by_key(|&x| (std::cmp::Reverse(date(x)), x));
        v
    };
    let inspected = newest_first(&card.inspected, &|c| d.site.conclusions[c].signed_on);
    let issued = newest_first(&card.issued, &|c| d.site.conclusions[c].signed_on);
    let decided = newest_first(&card.decided, &|x| d.site.decisions[x].decided_on);
    let subjects = newest_first(&card.subjects, &|x| d.site.decisions[x].decided_on);
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
        counts: view::counts(cx, &card.responsible),
        rate_value: rate.is_some(),
        meets: rate.is_some_and(|r| r >= d.site.config.follow_up.on_time_target),
        recs: !card.recs.is_empty(),
        recs_url: cx.link(&format!(
            "{}{}/{id}/",
            urls::RECOMMENDATIONS,
            lists::RESPONSIBLE.segment
        )),
        inspected_url: (!inspected.is_empty()).then(|| {
            cx.link(&format!(
                "{}{}/{id}/",
                urls::CONCLUSIONS,
                lists::INSPECTED.segment
            ))
        }),
        overdue: cx.rows(overdue.iter().take(AGENCY_PAGE_LIMIT).map(|&r| Row::Rec(r)))?,
        overdue_count: overdue.len(),
        overdue_url: (overdue.len() > AGENCY_PAGE_LIMIT).then(|| cx.link(&overdue_of(id))),
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
        decided_url: (!decided.is_empty()).then(|| {
            cx.link(&format!(
                "{}{}/{id}/",
                urls::DECISIONS,
                lists::AUTHORITY.segment
            ))
        }),
        subjects: cx.rows(
            subjects
                .iter()
                .take(AGENCY_PAGE_LIMIT)
                .map(|&x| Row::Decision(x)),
        )?,
    })
}

// ---- Recovered assets ------------------------------------------------------

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

pub fn recoveries(cx: &Ctx<'_>) -> RecoveriesView {
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
