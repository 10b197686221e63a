//! Table rows, rendered by the theme's `row-*.html` templates once per
//! record and language for the list pages that show the record, and kept
//! only until the last of them is written (see [`uses`] and [`Ranks`]).
//!
//! A recommendation appears in the full list, its status list, its
//! agency's list, its kind's list, perhaps the overdue list, the home page
//! and its agency's scorecard, in two languages: rows are most of the bytes
//! of those pages, and rendering each row once instead of once per list
//! halves the time spent on lists (see docs/performance.md). The few rows
//! of the other pages are rendered for them alone during a build.

use std::sync::Arc;

use super::RenderError;
use super::context::{Ctx, Uses};
use super::view;
use crate::derive::Derived;
use crate::derive::lists::Family;
use crate::derive::plan::{Job, Plan};

/// A row of a table.
#[derive(Debug, Clone, Copy)]
pub enum Row {
    /// A conclusion in the conclusion lists.
    Conclusion(usize),
    /// A recommendation (index into `Derived::recs`) with its conclusion.
    Rec(usize),
    /// A recommendation in the overdue list, with its days overdue first.
    Overdue(usize),
    /// A disciplinary decision.
    Decision(usize),
}

impl Row {
    fn template(self) -> &'static str {
        match self {
            Row::Conclusion(_) => "row-conclusion.html",
            Row::Rec(_) => "row-recommendation.html",
            Row::Overdue(_) => "row-overdue.html",
            Row::Decision(_) => "row-decision.html",
        }
    }

    fn slot(self) -> (usize, usize) {
        match self {
            Row::Conclusion(i) => (0, i),
            Row::Rec(i) => (1, i),
            Row::Overdue(i) => (2, i),
            Row::Decision(i) => (3, i),
        }
    }
}

/// The HTML of a rendered row, shared by the pages that show it.
pub type Html = Arc<str>;

impl Row {
    /// The row of an item of a family's lists.
    pub fn of(family: Family) -> fn(usize) -> Row {
        match family {
            Family::Conclusions => Row::Conclusion,
            Family::Recommendations => Row::Rec,
            Family::Decisions => Row::Decision,
        }
    }
}

/// A value for each row of each table (see [`Row::slot`]).
fn per_row<T: Clone>(d: &Derived<'_>, value: T) -> [Vec<T>; 4] {
    let (c, r, x) = (
        d.site.conclusions.len(),
        d.recs.len(),
        d.site.decisions.len(),
    );
    [c, r, r, x].map(|n| vec![value.clone(); n])
}

/// Every list of the plan, each paginated into list pages: the row of its
/// items, its items, and whether it is a family's unfiltered list (or the
/// overdue list of every agency).
fn lists(plan: &Plan) -> impl Iterator<Item = (fn(usize) -> Row, &[usize], bool)> {
    let families = plan
        .lists
        .iter()
        .map(|l| (Row::of(l.family), &l.items[..], l.filter.is_none()));
    let overdue = std::iter::once((&plan.overdue[..], true))
        .chain(plan.overdue_by.iter().map(|(_, items)| (&items[..], false)))
        .map(|(items, all)| (Row::Overdue as fn(usize) -> Row, items, all));
    families.chain(overdue)
}

/// How many list pages of `plan` show each row: every page of every list
/// shows each of its items once.
pub fn uses(d: &Derived<'_>, plan: &Plan) -> Uses {
    let mut uses = per_row(d, 0u8);
    for (row, items, _) in lists(plan) {
        for &i in items {
            let (table, i) = row(i).slot();
            uses[table][i] = uses[table][i].saturating_add(1);
        }
    }
    uses
}

/// Where a list page's rows stand in their family's order: the rank of its
/// last row in the unfiltered list (every filtered list keeps that order).
/// Written in this order, a row is rendered for the first page that shows
/// it and let go soon after, once the filtered lists that show it reach it,
/// instead of being kept from the first list to the last.
pub struct Ranks([Vec<u32>; 4]);

impl Ranks {
    pub fn new(d: &Derived<'_>, plan: &Plan) -> Self {
        let mut ranks = per_row(d, 0u32);
        for (row, items, _) in lists(plan).filter(|(_, _, unfiltered)| *unfiltered) {
            for (rank, &i) in items.iter().enumerate() {
                let (table, i) = row(i).slot();
                ranks[table][i] = rank as u32;
            }
        }
        Self(ranks)
    }

    /// The order of a list page among the list pages (`None` for any other page).
    pub fn of(&self, plan: &Plan, job: Job) -> Option<(usize, u32)> {
        let (row, items, page): (fn(usize) -> Row, _, _) = match job {
            Job::List { list, page } => {
                let l = &plan.lists[list];
                (Row::of(l.family), &l.items[..], page)
            }
            Job::Overdue { agency, page } => (Row::Overdue, plan.overdue_list(agency).0, page),
            _ => return None,
        };
        // Every row of a list is of one table: the first row's.
        let (table, _) = row(0).slot();
        let last = plan.page_slice(items, page).last();
        Some((table, last.map_or(0, |&i| self.0[table][row(i).slot().1])))
    }
}

impl<'a> Ctx<'a> {
    /// The HTML of the rows of a list page, in order.
    pub fn list_rows(&self, rows: impl IntoIterator<Item = Row>) -> Result<Vec<Html>, RenderError> {
        rows.into_iter()
            .map(|r| self.rows.listed(r.slot(), || self.render_row(r)))
            .collect()
    }

    /// The HTML of rows shown on any other page, in order.
    pub fn rows(&self, rows: impl IntoIterator<Item = Row>) -> Result<Vec<Html>, RenderError> {
        rows.into_iter()
            .map(|r| self.rows.shown(r.slot(), || self.render_row(r)))
            .collect()
    }

    fn render_row(&self, row: Row) -> Result<Html, RenderError> {
        let mut ctx = tera::Context::new();
        match row {
            Row::Conclusion(i) => ctx.insert("c", &view::conclusion_item(self, i)),
            Row::Rec(i) | Row::Overdue(i) => {
                ctx.insert("r", &view::rec_item(self, &self.d.recs[i]));
                ctx.insert("show_conclusion", &true);
            }
            Row::Decision(i) => ctx.insert("d", &view::decision_item(self, i)),
        }
        let name = row.template();
        let mut html = Vec::with_capacity(1024);
        self.tera
            .render_to(name, &ctx, &mut html)
            .map_err(|e| RenderError::of(format!("{name} ({row:?})"), &e))?;
        // Checked with SIMD: the standard check was a sixth of the time
        // Tera spent on a row of Vietnamese text.
        let html = simdutf8::basic::from_utf8(&html).map_err(|e| RenderError {
            what: format!("{name} ({row:?})"),
            message: e.to_string(),
            template: None,
        })?;
        Ok(html.into())
    }
}
