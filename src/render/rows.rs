//! Table rows, rendered once per record and language by the theme's
//! `row-*.html` templates and reused by every page that lists the record.
//!
//! A recommendation appears in the full list, its status list, its
//! agency's list, its kind's list, perhaps the overdue list, the home page
//! and its agency's scorecard, in two languages: rows are most of the bytes
//! of those pages, and rendering each row once instead of once per list
//! halves the time spent on lists (see docs/performance.md).

use super::RenderError;
use super::context::Ctx;
use super::view;

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

/// A copy of rendered HTML to keep for the rest of the build, in a block of
/// its own size. Render buffers are sized for the largest output, and the
/// allocator keeps a shrunk block in place while it is at least half full,
/// so a kept row would hold ~40 % unused bytes — hundreds of megabytes
/// across the rows of 100 000 records. The render buffer is then freed at once
/// for the next row to reuse.
fn kept(html: &str) -> Box<str> {
    html.into()
}

impl<'a> Ctx<'a> {
    /// The HTML of a row, rendered on first use.
    pub fn row(&self, row: Row) -> Result<&'a str, RenderError> {
        let (table, i) = row.slot();
        let cell = &self.rows.slot(table, i);
        if let Some(html) = cell.get() {
            return Ok(html);
        }
        // Two threads may render the same row at once; both get the same
        // bytes, and the first one stored is kept.
        let html = self.render_row(row)?;
        Ok(cell.get_or_init(|| html))
    }

    /// The HTML of rows, in order.
    pub fn rows(&self, rows: impl IntoIterator<Item = Row>) -> Result<Vec<&'a str>, RenderError> {
        rows.into_iter().map(|r| self.row(r)).collect()
    }

    fn render_row(&self, row: Row) -> Result<Box<str>, RenderError> {
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
        Ok(kept(html))
    }
}
