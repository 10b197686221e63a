//! The rows the change log compares with the previous output: what each
//! record publishes in the open data, one JSON object per line, with its
//! key. `serve` keeps each record's lines while it keeps the record, so that
//! an edit makes only the edited record's lines again: making every line
//! took about a second per edit at 100 000 records.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::diff;
use super::rows::{Digest, Unusable, digest};
use crate::derive::Derived;
use crate::derive::history::RecordType;
use crate::export::data;
use crate::model::vocab::Language;
use crate::model::{Conclusion, Decision};
use crate::site::urls::Urls;

/// A row's key (as [`diff`] finds it), its line's digest, and its place
/// among its record's rows (a recommendation's among its conclusion's, a
/// report's among all): its line is made again only if it differs from
/// the previous one.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    key: Box<str>,
    digest: Digest,
    at: usize,
}

/// What one conclusion publishes: its own row and its recommendations'.
struct OfConclusion {
    /// Held, so that no other record is made where this one was while its
    /// lines are kept by its address.
    _record: Arc<Conclusion>,
    own: Option<Line>,
    recs: Vec<Line>,
}

struct OfDecision {
    _record: Arc<Decision>,
    own: Option<Line>,
}

/// The lines made at the last comparison, by the identity of the record
/// they were made from. A record read again is a new record (the model's
/// memo reads every record again when anything its reading depends on
/// changes: the configuration, the law table, the registry, the day), so
/// the same record has the same lines, given the same addresses and day.
#[derive(Default)]
pub struct Kept {
    made_with: Option<(String, chrono::NaiveDate)>,
    conclusions: FxHashMap<usize, Arc<OfConclusion>>,
    decisions: FxHashMap<usize, Arc<OfDecision>>,
}

/// Every record's lines for one comparison.
pub struct Lines {
    conclusions: Vec<Arc<OfConclusion>>,
    decisions: Vec<Arc<OfDecision>>,
    recoveries: Vec<Line>,
}

/// A row's line. Written directly: with fields kept in order this is the
/// text the open data writes through a JSON value (tested in the parent
/// module).
fn text<T: Serialize>(row: &T) -> String {
    serde_json::to_string(row).unwrap_or_default()
}

fn line<T: Serialize>(t: RecordType, row: &T, at: usize) -> Option<Line> {
    let text = text(row);
    Some(Line {
        key: diff::key_of(t, &text)?.into_boxed_str(),
        digest: digest(&text),
        at,
    })
}

fn identity<T>(record: &Arc<T>) -> usize {
    Arc::as_ptr(record) as usize
}

/// Each record's lines: those kept for it, or made now (in parallel).
fn reuse_or_make<T: Send + Sync, L: Send + Sync>(
    records: &[Arc<T>],
    kept: &FxHashMap<usize, Arc<L>>,
    make: impl Fn(usize, &Arc<T>) -> L + Sync,
) -> Vec<Arc<L>> {
    records
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            kept.get(&identity(r))
                .cloned()
                .unwrap_or_else(|| Arc::new(make(i, r)))
        })
        .collect()
}

/// The lines to keep: by the identity of the record each was made from.
fn by_identity<T, L>(records: &[Arc<T>], lines: &[Arc<L>]) -> FxHashMap<usize, Arc<L>> {
    records
        .iter()
        .zip(lines)
        .map(|(r, l)| (identity(r), l.clone()))
        .collect()
}

impl Lines {
    /// The lines of every record of `d`, with the open data's addresses:
    /// those `kept` holds for the same record, the others made now. `kept`
    /// then holds this site's.
    pub fn make(d: &Derived<'_>, urls: &Urls, kept: &mut Kept) -> Lines {
        let made_with = (urls.absolute(Language::Vi, "/"), d.as_of);
        if kept.made_with.as_ref() != Some(&made_with) {
            *kept = Kept {
                made_with: Some(made_with),
                ..Kept::default()
            };
        }
        let abs = &|p: &str| urls.absolute(Language::Vi, p);
        let conclusions = reuse_or_make(&d.site.conclusions, &kept.conclusions, |i, c| {
            OfConclusion {
                _record: c.clone(),
                own: line(RecordType::Conclusion, &data::conclusion(d, i, abs), 0),
                recs: d.recs[d.recs_of[i].clone()]
                    .iter()
                    .enumerate()
                    .filter_map(|(j, v)| {
                        line(RecordType::Recommendation, &data::recommendation(d, v), j)
                    })
                    .collect(),
            }
        });
        let decisions = reuse_or_make(&d.site.decisions, &kept.decisions, |_, x| OfDecision {
            _record: x.clone(),
            own: line(RecordType::Decision, &data::decision(x, abs), 0),
        });
        let recoveries = data::recoveries(d)
            .enumerate()
            .filter_map(|(i, r)| line(RecordType::Recovery, &r, i))
            .collect();
        kept.conclusions = by_identity(&d.site.conclusions, &conclusions);
        kept.decisions = by_identity(&d.site.decisions, &decisions);
        Lines {
            conclusions,
            decisions,
            recoveries,
        }
    }

    /// Every row of one record type, sorted by key (of two rows with one
    /// key, the later counts), their lines made from `d` when asked, with
    /// the open data's addresses `urls`.
    pub fn of<'a, 's>(
        &'a self,
        t: RecordType,
        d: &'a Derived<'s>,
        urls: &'a Urls,
    ) -> Today<'a, 's> {
        let mut rows: Vec<(&Line, Place)> = match t {
            RecordType::Conclusion => self
                .conclusions
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((c.own.as_ref()?, Place::Conclusion(i))))
                .collect(),
            RecordType::Recommendation => self
                .conclusions
                .iter()
                .enumerate()
                .flat_map(|(i, c)| {
                    let first = d.recs_of[i].start;
                    c.recs
                        .iter()
                        .map(move |l| (l, Place::Recommendation(first + l.at)))
                })
                .collect(),
            RecordType::Decision => self
                .decisions
                .iter()
                .enumerate()
                .filter_map(|(i, x)| Some((x.own.as_ref()?, Place::Decision(i))))
                .collect(),
            RecordType::Recovery => self
                .recoveries
                .iter()
                .map(|l| (l, Place::Recovery(l.at)))
                .collect(),
        };
        rows.reverse();
        rows.sort_by(|a, b| a.0.key.cmp(&b.0.key));
        rows.dedup_by(|later, earlier| later.0.key == earlier.0.key);
        Today { d, urls, rows }
    }
}

/// Where a row of today comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Conclusion(usize),
    /// By its index in [`Derived::recs`].
    Recommendation(usize),
    Decision(usize),
    Recovery(usize),
}

/// Today's rows of one record type ([`Lines::of`]).
pub struct Today<'a, 's> {
    d: &'a Derived<'s>,
    urls: &'a Urls,
    rows: Vec<(&'a Line, Place)>,
}

impl diff::Rows for Today<'_, '_> {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn key(&self, i: usize) -> &str {
        &self.rows[i].0.key
    }

    fn digest(&self, i: usize) -> Digest {
        self.rows[i].0.digest
    }

    fn line(&self, i: usize) -> Result<String, Unusable> {
        let d = self.d;
        let abs = &|p: &str| self.urls.absolute(Language::Vi, p);
        Ok(match self.rows[i].1 {
            Place::Conclusion(c) => text(&data::conclusion(d, c, abs)),
            Place::Recommendation(r) => text(&data::recommendation(d, &d.recs[r])),
            Place::Decision(x) => text(&data::decision(&d.site.decisions[x], abs)),
            Place::Recovery(r) => text(&data::recovery(d, r)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::published::diff::Rows;
    use crate::published::previous::TYPES;

    /// An edit makes only the edited record's lines again, and every line
    /// is what making them all from nothing gives.
    #[test]
    fn an_edit_makes_only_its_records_lines_again() {
        let dir = crate::testing::valid_copy();
        let mut files = crate::load::Cache::new(dir.path());
        let mut memo = crate::model::Memo::keeping();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let urls = Urls::new("https://x.example.gov.vn");
        let mut kept = Kept::default();
        let (site, _) = crate::model::build_with(&files.load(), as_of, &mut memo);
        let before = Lines::make(&Derived::new(&site), &urls, &mut kept);

        let edited = dir.path().join("content/conclusions/kl-2025-015.md");
        let text = std::fs::read_to_string(&edited).unwrap();
        std::fs::write(&edited, text.replacen("title: \"", "title: \"Sửa — ", 1)).unwrap();
        let (site, _) = crate::model::build_with(&files.load(), as_of, &mut memo);
        let d = Derived::new(&site);
        let after = Lines::make(&d, &urls, &mut kept);

        let fresh = Lines::make(&d, &urls, &mut Kept::default());
        let listed = |lines: &Lines, t| {
            let today = lines.of(t, &d, &urls);
            (0..today.len())
                .map(|i| {
                    (
                        today.key(i).to_string(),
                        today.digest(i),
                        today.line(i).unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        };
        for t in TYPES {
            assert_eq!(listed(&after, t), listed(&fresh, t), "{t:?}");
        }
        let remade: Vec<&str> = site
            .conclusions
            .iter()
            .zip(after.conclusions.iter().zip(&before.conclusions))
            .filter(|(_, (a, b))| !Arc::ptr_eq(a, b))
            .map(|(c, _)| c.id())
            .collect();
        assert_eq!(remade, ["kl-2025-015"]);
        let i = d.conclusion_index["kl-2025-015"];
        assert_ne!(after.conclusions[i].own, before.conclusions[i].own);
        assert!(
            after
                .decisions
                .iter()
                .zip(&before.decisions)
                .all(|(a, b)| Arc::ptr_eq(a, b))
        );
    }
}
