//! The pages of the lists: a family's lists and the overdue lists, each
//! paginated, with their filter menus.

use serde::Serialize;

use super::menus::{self, FilterGroup, Pager};
use super::{Page, Section};
use crate::derive::lists::Family;
use crate::derive::plan::Plan;
use crate::render::RenderError;
use crate::render::context::Ctx;
use crate::render::rows::{Html, Row};
use crate::site::urls;

#[derive(Serialize)]
pub struct ListView {
    pub intro: String,
    pub count: usize,
    /// The rows of this page, already rendered (see [`crate::render::rows`]).
    pub rows: Vec<Html>,
    pub pager: Pager,
    pub filters: Vec<FilterGroup>,
    pub overdue: bool,
}

/// Title, intro and section of a family's lists.
fn family_texts(family: Family) -> (&'static str, &'static str, Section) {
    match family {
        Family::Conclusions => (
            "conclusion.list_title",
            "conclusion.list_intro",
            Section::Conclusions,
        ),
        Family::Recommendations => ("rec.list_title", "rec.list_intro", Section::Recommendations),
        Family::Decisions => (
            "decision.list_title",
            "decision.list_intro",
            Section::Decisions,
        ),
    }
}

fn paged_title(cx: &Ctx<'_>, title: String, page: usize) -> String {
    if page > 1 {
        format!("{title} — {} {page}", cx.t.get("page_n"))
    } else {
        title
    }
}

/// A page of the overdue list, of every agency or of one.
pub fn overdue_page(
    cx: &Ctx<'_>,
    plan: &Plan,
    agency: Option<usize>,
    page: usize,
) -> Result<Page, RenderError> {
    let (items, agency_id) = plan.overdue_list(agency);
    let mut title = cx.t.get("rec.overdue_title").to_string();
    if let Some(id) = agency_id {
        title = format!("{title} — {}", cx.agency(id).label);
    }
    let listing = Listing {
        items,
        base: urls::overdue(agency_id),
        title,
        intro_key: "rec.overdue_intro",
        section: Section::Overdue,
        template: "recommendation-list.html",
        row: Row::Overdue,
        filters: menus::overdue_filters(cx, plan, agency),
        overdue: true,
    };
    listing_page(cx, plan, listing, page)
}

/// A page of one of a family's lists.
pub fn page(cx: &Ctx<'_>, plan: &Plan, list: usize, page: usize) -> Result<Page, RenderError> {
    let l = &plan.lists[list];
    let (title_key, intro_key, section) = family_texts(l.family);
    let mut title = cx.t.get(title_key).to_string();
    if let Some((dim, key)) = &l.filter {
        title = format!("{title} — {}", menus::value_label(cx, *dim, key));
    }
    let template = match l.family {
        Family::Conclusions => "conclusion-list.html",
        Family::Recommendations => "recommendation-list.html",
        Family::Decisions => "decision-list.html",
    };
    let listing = Listing {
        items: &l.items,
        base: urls::list(l),
        title,
        intro_key,
        section,
        template,
        row: Row::of(l.family),
        filters: menus::filters(cx, plan, l),
        overdue: false,
    };
    listing_page(cx, plan, listing, page)
}

/// One paginated list, whichever it is: its items in display order, its
/// address, texts, template, kind of row and filter menus.
struct Listing<'p> {
    items: &'p [usize],
    base: String,
    title: String,
    intro_key: &'static str,
    section: Section,
    template: &'static str,
    row: fn(usize) -> Row,
    filters: Vec<FilterGroup>,
    /// Whether the rows are overdue rows (the table's columns differ).
    overdue: bool,
}

/// Page `page` of a list: its slice of rows, the pager and the menus.
fn listing_page(
    cx: &Ctx<'_>,
    plan: &Plan,
    l: Listing<'_>,
    page: usize,
) -> Result<Page, RenderError> {
    let title = paged_title(cx, l.title, page);
    let total = plan.pages(l.items.len());
    let slice = plan.page_slice(l.items, page);
    let intro = cx.t.get(l.intro_key).to_string();
    let view = ListView {
        intro: intro.clone(),
        count: l.items.len(),
        rows: cx.list_rows(slice.iter().map(|&i| (l.row)(i)))?,
        pager: menus::pager(cx, &l.base, page, total),
        filters: l.filters,
        overdue: l.overdue,
    };
    Ok(Page::new(l.template, title, intro, l.section).with("list", &view))
}
