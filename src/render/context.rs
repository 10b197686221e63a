//! What a view builder has at hand for one page in one language: the
//! derived site, the interface's words, the addresses, the compiled theme,
//! and the table rows rendered so far.

use std::sync::OnceLock;

use serde::Serialize;

use super::format;
use super::theme::Strings;
use super::urls::{self, Urls};
use crate::derive::Derived;
use crate::model::vocab::Language;

/// Everything a view builder needs for one language.
pub struct Ctx<'a> {
    pub d: &'a Derived<'a>,
    pub lang: Language,
    pub t: &'a Strings,
    pub urls: &'a Urls,
    /// Records published within this many days are marked new.
    pub new_days: i64,
    /// The compiled theme of this language.
    pub tera: &'a tera::Tera,
    /// The table rows rendered so far in this language.
    pub rows: &'a Cells,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub label: String,
    pub url: String,
}

impl Ctx<'_> {
    pub fn link(&self, path: &str) -> String {
        self.urls.link(self.lang, path)
    }

    pub fn date(&self, d: chrono::NaiveDate) -> String {
        format::date(d, self.lang)
    }

    pub fn money(&self, v: crate::model::amount::Vnd) -> String {
        format::money(v, self.lang)
    }

    pub fn agency(&self, id: &str) -> Link {
        let d = self.d;
        let label = d.agency_index.get(id).map_or_else(
            || id.to_string(),
            |&i| d.site.agencies[i].label().to_string(),
        );
        Link {
            label,
            url: self.link(&urls::agency(id)),
        }
    }

    pub fn is_new(&self, published: chrono::NaiveDate) -> bool {
        (self.d.as_of - published).num_days() < self.new_days
    }

    pub fn rate(&self, r: Option<f64>) -> String {
        r.map_or_else(|| "—".to_string(), |r| format::percent(r, self.lang))
    }
}

/// The rows rendered so far in one language, filled as pages ask for them.
pub struct Cells([Vec<OnceLock<Box<str>>>; 4]);

impl Cells {
    pub fn new(d: &Derived<'_>) -> Self {
        let cells = |n: usize| (0..n).map(|_| OnceLock::new()).collect();
        let (c, r, x) = (
            d.site.conclusions.len(),
            d.recs.len(),
            d.site.decisions.len(),
        );
        Self([cells(c), cells(r), cells(r), cells(x)])
    }
}

impl Cells {
    /// The cell of row `i` of table `table` (see `Row::slot`).
    pub fn slot(&self, table: usize, i: usize) -> &OnceLock<Box<str>> {
        &self.0[table][i]
    }
}
