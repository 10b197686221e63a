//! What a view builder has at hand for one page in one language: the
//! derived site, the interface's words, the addresses, the compiled theme,
//! and the table rows rendered so far.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use rustc_hash::FxHashMap;

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

/// How many list pages show each row, per table (see `rows::Row::slot`).
pub type Uses = [Vec<u8>; 4];

/// A row's HTML kept for the pages still to show it.
struct Kept {
    html: Arc<str>,
    /// How many list pages still to be written show it, or [`KEEP`].
    left: u8,
}

/// Kept until the end: the build did not count the row's uses.
const KEEP: u8 = u8::MAX;

/// Independent locks, so that the threads rendering list pages rarely wait
/// for one another.
const SHARDS: usize = 64;

/// The table rows of one language rendered so far.
///
/// A build counts how many list pages show each row ([`Cells::count`]) and
/// keeps a row only until the last of them is written: rows kept for the
/// whole build were most of the pages stage's memory (349 MB of HTML at
/// 100 000 records, see docs/performance.md). Without counts, as in
/// `serve`, which renders pages as they are asked for, every row is kept
/// once rendered.
pub struct Cells {
    uses: OnceLock<Arc<Uses>>,
    kept: Vec<Mutex<FxHashMap<(u8, u32), Kept>>>,
    /// How many rows were rendered for list pages.
    listed: AtomicUsize,
}

impl Default for Cells {
    fn default() -> Self {
        Self {
            uses: OnceLock::new(),
            kept: (0..SHARDS).map(|_| Mutex::default()).collect(),
            listed: AtomicUsize::new(0),
        }
    }
}

impl Cells {
    /// From now on, keep each row only for the `uses` list pages that show it.
    pub fn count(&self, uses: Arc<Uses>) {
        // A second build of the same pages counts the same uses.
        let _ = self.uses.set(uses);
    }

    fn shard(&self, (table, i): (u8, u32)) -> MutexGuard<'_, FxHashMap<(u8, u32), Kept>> {
        self.kept[(i as usize * 4 + table as usize) % SHARDS]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Row `i` of `table` for a list page: kept until its last list page.
    pub fn listed<E>(
        &self,
        row: (usize, usize),
        render: impl FnOnce() -> Result<Arc<str>, E>,
    ) -> Result<Arc<str>, E> {
        self.row(row, true, render)
    }

    /// Row `i` of `table` for any other page (a record's, an agency's, the
    /// home page): the kept copy if there is one; otherwise rendered, and
    /// kept only if the build did not count uses. These pages are written
    /// before the lists, so the few rows they show are rendered again by the
    /// lists rather than kept meanwhile.
    pub fn shown<E>(
        &self,
        row: (usize, usize),
        render: impl FnOnce() -> Result<Arc<str>, E>,
    ) -> Result<Arc<str>, E> {
        self.row(row, false, render)
    }

    /// A row kept, or rendered under its shard's lock so that no row is
    /// rendered twice; a use by a list page (`listed`) counts.
    fn row<E>(
        &self,
        (table, i): (usize, usize),
        listed: bool,
        render: impl FnOnce() -> Result<Arc<str>, E>,
    ) -> Result<Arc<str>, E> {
        let key = (table as u8, i as u32);
        let mut kept = self.shard(key);
        if let Some(k) = kept.get_mut(&key) {
            let html = k.html.clone();
            if listed && k.left != KEEP {
                k.left -= 1;
                if k.left == 0 {
                    kept.remove(&key);
                }
            }
            return Ok(html);
        }
        let left = match self.uses.get() {
            None => KEEP,
            Some(_) if !listed => 0,
            Some(uses) => match uses[table][i] {
                KEEP => KEEP,
                n => n.saturating_sub(1),
            },
        };
        if !listed && left == 0 {
            // Not kept: nothing to render under the lock.
            drop(kept);
            return render();
        }
        let html = render()?;
        if listed {
            self.listed.fetch_add(1, Ordering::Relaxed);
        }
        if left > 0 {
            let html = html.clone();
            kept.insert(key, Kept { html, left });
        }
        Ok(html)
    }

    /// How many rows are kept now.
    pub fn kept(&self) -> usize {
        self.kept
            .iter()
            .map(|k| k.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }

    /// How many rows were rendered for list pages so far: once each when
    /// the uses were counted right.
    pub fn listed_renders(&self) -> usize {
        self.listed.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(html: &str) -> impl FnOnce() -> Result<Arc<str>, ()> + '_ {
        move || Ok(html.into())
    }

    fn refused() -> Result<Arc<str>, ()> {
        panic!("rendered although it was kept")
    }

    #[test]
    fn a_counted_row_is_rendered_once_and_let_go_after_its_last_list() {
        let cells = Cells::default();
        cells.count(Arc::new([vec![3], vec![], vec![], vec![1]]));
        let first = cells.listed((0, 0), render("<tr>a</tr>")).unwrap();
        assert_eq!(cells.kept(), 1);
        // Another page's use neither renders it again nor counts.
        assert!(Arc::ptr_eq(&first, &cells.shown((0, 0), refused).unwrap()));
        assert!(Arc::ptr_eq(&first, &cells.listed((0, 0), refused).unwrap()));
        assert_eq!(cells.kept(), 1);
        assert!(Arc::ptr_eq(&first, &cells.listed((0, 0), refused).unwrap()));
        assert_eq!(cells.kept(), 0, "let go after its third list page");
        // A row shown on one list page is never kept.
        cells.listed((3, 0), render("<tr>x</tr>")).unwrap();
        assert_eq!(cells.kept(), 0);
        assert_eq!(cells.listed_renders(), 2);
        // Asked again (a miscount): rendered again, the same bytes.
        let again = cells.listed((0, 0), render("<tr>a</tr>")).unwrap();
        assert_eq!(again, first);
        assert_eq!(cells.listed_renders(), 3);
    }

    #[test]
    fn a_row_for_another_page_is_not_kept_during_a_build() {
        let cells = Cells::default();
        cells.count(Arc::new([vec![2], vec![], vec![], vec![]]));
        cells.shown((0, 0), render("<tr>a</tr>")).unwrap();
        assert_eq!(cells.kept(), 0);
        assert_eq!(cells.listed_renders(), 0);
    }

    #[test]
    fn without_counts_every_row_is_kept() {
        let cells = Cells::default();
        let first = cells.shown((1, 7), render("<tr>r</tr>")).unwrap();
        let listed = cells.listed((2, 7), render("<tr>o</tr>")).unwrap();
        for _ in 0..300 {
            assert!(Arc::ptr_eq(&first, &cells.shown((1, 7), refused).unwrap()));
            assert!(Arc::ptr_eq(
                &listed,
                &cells.listed((2, 7), refused).unwrap()
            ));
        }
        assert_eq!(cells.kept(), 2);
    }
}
