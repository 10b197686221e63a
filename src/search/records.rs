//! The records as the search engine sees them: what is searched, what a
//! result shows, and the columns of `docs.json`.

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use super::TYPES;
use crate::derive::Derived;
use crate::markdown;
use crate::model::vocab::{ConclusionSource, Penalty, Sector, Vocab};
use crate::site::strings::Strings;
use crate::site::urls;

/// Characters of a record's text kept for its passages: the body of most
/// records; a match further on shows the beginning instead.
const SNIPPET_SOURCE_CHARS: usize = 3000;

/// One record as the search engine sees it.
pub(super) struct Doc {
    pub(super) row: Row,
    pub(super) path: String,
    /// What a result shows as its title (for a decision, the subject's name:
    /// the page prefixes the penalty in its own language).
    pub(super) title: String,
    /// Words that count as title matches in the ranking.
    pub(super) heading: String,
    pub(super) number: String,
    /// The text shown around a match under a result.
    pub(super) excerpt: String,
    /// Searchable text that is not in the title.
    pub(super) text: String,
}

/// What `docs.json` holds of a record: kept for every record while the
/// rest of it is written and let go.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Row {
    pub(super) kind: u8,
    pub(super) date: Option<NaiveDate>,
    pub(super) agency: Option<usize>,
    pub(super) sector: Option<&'static str>,
    pub(super) penalty: Option<&'static str>,
    /// A conclusion's source (inspection, party inspection, …).
    pub(super) source: Option<&'static str>,
}

/// `docs.json`: the vocabularies, then one column per field with a value per
/// record (-1 for none). Columns of small numbers compress several times
/// better than a row per record.
#[derive(Serialize)]
pub(super) struct DocsTable<'a> {
    types: [&'static str; 4],
    agencies: Vec<(&'a str, &'a str)>,
    sectors: Vec<&'static str>,
    penalties: Vec<&'static str>,
    sources: Vec<&'static str>,
    r#type: Vec<u8>,
    agency: Vec<i64>,
    sector: Vec<i64>,
    penalty: Vec<i64>,
    source: Vec<i64>,
    /// The dates of the first `dated` records (the others have none), as
    /// days: the first since 1970-01-01, each next one as days before the
    /// previous (records are newest first).
    dated: usize,
    date: Vec<i64>,
}

fn excerpt(text: &str) -> String {
    let mut out = crate::source::first_chars(text, SNIPPET_SOURCE_CHARS).to_string();
    if out.len() < text.len() {
        if let Some(i) = out.rfind(' ') {
            out.truncate(i);
        }
        out.push('…');
    }
    out
}

/// Labels of a vocabulary value in both interface languages, so that readers
/// of either interface can type them.
fn labels(strings: &[&Strings; 2], group: &str, id: &str) -> String {
    format!(
        "{} {}",
        strings[0].label(group, id),
        strings[1].label(group, id)
    )
}

/// A record of the site, by its list and place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Which {
    Conclusion(u32),
    Decision(u32),
    Page(u32),
    Agency(u32),
}

/// Makes records as the engine sees them, one at a time, so that a build
/// never holds every record's text (the searchable text, the passages)
/// at once: at a million records that was gigabytes.
pub(super) struct Records<'a> {
    d: &'a Derived<'a>,
    strings: [&'a Strings; 2],
}

impl<'a> Records<'a> {
    pub(super) fn new(d: &'a Derived<'a>, strings: [&'a Strings; 2]) -> Self {
        Self { d, strings }
    }

    /// Every record, numbered newest first (undated pages and agencies
    /// last), so that results of equal score come out newest first by
    /// number alone.
    pub(super) fn newest_first(&self) -> Vec<Which> {
        let site = self.d.site;
        let mut keyed: Vec<(Option<NaiveDate>, u8, String, Which)> = site
            .conclusions
            .par_iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    Some(c.signed_on),
                    0,
                    urls::conclusion(c.id()),
                    Which::Conclusion(i as u32),
                )
            })
            .collect();
        keyed.par_extend(site.decisions.par_iter().enumerate().map(|(i, x)| {
            (
                Some(x.decided_on),
                1,
                urls::decision(x.id()),
                Which::Decision(i as u32),
            )
        }));
        keyed.extend(
            site.pages
                .iter()
                .enumerate()
                .map(|(i, p)| (None, 2, urls::page(p.id()), Which::Page(i as u32))),
        );
        keyed.extend(site.agencies.iter().enumerate().map(|(i, a)| {
            (
                None,
                3,
                urls::agency(a.id.value.as_str()),
                Which::Agency(i as u32),
            )
        }));
        keyed.par_sort_unstable_by(|a, b| {
            (a.0.is_none(), std::cmp::Reverse(a.0), a.1, &a.2).cmp(&(
                b.0.is_none(),
                std::cmp::Reverse(b.0),
                b.1,
                &b.2,
            ))
        });
        keyed.into_iter().map(|(.., which)| which).collect()
    }

    /// A record's document; an error when its file changed since it was
    /// checked (its body is read again when the loaded file is gone).
    pub(super) fn doc(&self, which: Which) -> Result<Doc, String> {
        Ok(match which {
            Which::Conclusion(i) => self.conclusion(i as usize)?,
            Which::Decision(i) => self.decision(i as usize)?,
            Which::Page(i) => self.page(i as usize)?,
            Which::Agency(i) => self.agency(i as usize),
        })
    }

    fn agency_index(&self, id: &str) -> Option<usize> {
        self.d.agency_index.get(id).copied()
    }

    fn name(&self, id: &str) -> String {
        self.d.agency_name(id).to_string()
    }

    fn type_label(&self, key: &str) -> String {
        format!("{} {}", self.strings[0].get(key), self.strings[1].get(key))
    }

    fn conclusion(&self, i: usize) -> Result<Doc, String> {
        let (d, c) = (self.d, &self.d.site.conclusions[i]);
        let body = markdown::to_text(&self.d.site.body(&c.source)?);
        let mut text = format!(
            "{} {} {} {} {}",
            self.type_label("conclusion.list_title"),
            self.name(c.issued_by.value.as_str()),
            self.name(c.inspected.value.as_str()),
            labels(&self.strings, "sector", c.sector.id()),
            c.signed_on.year(),
        );
        // The body and then the recommendations, which a snippet shows.
        let shown = text.len() + 1;
        text.push(' ');
        text.push_str(&body);
        for v in &d.recs[d.recs_of[i].clone()] {
            text.push(' ');
            text.push_str(&v.rec.text);
        }
        Ok(Doc {
            row: Row {
                kind: 0,
                date: Some(c.signed_on),
                agency: self.agency_index(c.inspected.value.as_str()),
                sector: Some(c.sector.id()),
                penalty: None,
                source: Some(c.origin.id()),
            },
            path: urls::conclusion(c.id()),
            title: c.title.0.clone(),
            heading: c.title.0.clone(),
            number: c.number.value.0.clone(),
            excerpt: excerpt(&text[shown..]),
            text,
        })
    }

    fn decision(&self, i: usize) -> Result<Doc, String> {
        let x = &self.d.site.decisions[i];
        let body = markdown::to_text(&self.d.site.body(&x.source)?);
        let text = format!(
            "{} {} {} {} {} {} {} {}",
            x.subject.position.as_deref().unwrap_or(""),
            self.name(x.authority.value.as_str()),
            x.subject
                .agency
                .as_ref()
                .map(|a| self.name(a.value.as_str()))
                .unwrap_or_default(),
            labels(&self.strings, "track", x.track.id()),
            labels(&self.strings, "role", x.subject.role.id()),
            x.session.as_deref().unwrap_or(""),
            x.decided_on.year(),
            body,
        );
        Ok(Doc {
            row: Row {
                kind: 1,
                date: Some(x.decided_on),
                agency: self.agency_index(x.authority.value.as_str()),
                sector: None,
                penalty: Some(x.penalty.id()),
                source: None,
            },
            path: urls::decision(x.id()),
            title: x.subject.name.0.clone(),
            // "Quyết định kỷ luật: cảnh cáo Trần Văn B": readers name decisions so.
            heading: format!(
                "{} {} {}",
                self.type_label("decision.list_title"),
                labels(&self.strings, "penalty", x.penalty.id()),
                x.subject.name
            ),
            number: x.number.value.0.clone(),
            excerpt: excerpt(&body),
            text,
        })
    }

    fn page(&self, i: usize) -> Result<Doc, String> {
        let p = &self.d.site.pages[i];
        let body = markdown::to_text(&self.d.site.body(&p.source)?);
        Ok(Doc {
            row: Row {
                kind: 2,
                ..Row::default()
            },
            path: urls::page(p.id()),
            title: p.title.0.clone(),
            heading: p.title.0.clone(),
            number: String::new(),
            excerpt: excerpt(&body),
            text: body,
        })
    }

    fn agency(&self, i: usize) -> Doc {
        let a = &self.d.site.agencies[i];
        let formerly = || a.formerly.iter().map(|n| n.0.as_str());
        Doc {
            row: Row {
                kind: 3,
                agency: Some(i),
                ..Row::default()
            },
            path: urls::agency(a.id.value.as_str()),
            title: a.name.0.clone(),
            // Former names count as the title: readers type the name on the
            // documents they hold, which may be older than a merger.
            heading: std::iter::once(a.name.0.as_str())
                .chain(formerly())
                .collect::<Vec<_>>()
                .join(" "),
            number: String::new(),
            excerpt: formerly().collect::<Vec<_>>().join("; "),
            text: format!(
                "{} {}",
                a.short_name.as_deref().unwrap_or(""),
                labels(&self.strings, "agency_kind", a.kind.id())
            ),
        }
    }
}

/// The columns of `docs.json`.
pub(super) fn table<'a>(d: &'a Derived<'_>, docs: &[Row]) -> DocsTable<'a> {
    let sectors: Vec<&'static str> = Sector::ALL.iter().map(|s| s.id()).collect();
    let penalties: Vec<&'static str> = Penalty::ALL.iter().map(|s| s.id()).collect();
    let sources: Vec<&'static str> = ConclusionSource::ALL.iter().map(|s| s.id()).collect();
    let column = |list: &[&str], of: fn(&Row) -> Option<&'static str>| -> Vec<i64> {
        docs.iter()
            .map(|doc| {
                of(doc)
                    .and_then(|v| list.iter().position(|x| *x == v))
                    .map_or(-1, |p| p as i64)
            })
            .collect()
    };
    let days: Vec<i64> = docs.iter().map_while(|doc| doc.date).map(day).collect();
    let date = days
        .iter()
        .enumerate()
        .map(|(i, &day)| if i == 0 { day } else { days[i - 1] - day })
        .collect();
    DocsTable {
        types: TYPES,
        agencies: d
            .site
            .agencies
            .iter()
            .map(|a| (a.id.value.as_str(), a.label()))
            .collect(),
        r#type: docs.iter().map(|doc| doc.kind).collect(),
        agency: docs
            .iter()
            .map(|doc| doc.agency.map_or(-1, |a| a as i64))
            .collect(),
        sector: column(&sectors, |doc| doc.sector),
        penalty: column(&penalties, |doc| doc.penalty),
        source: column(&sources, |doc| doc.source),
        dated: days.len(),
        date,
        sectors,
        penalties,
        sources,
    }
}

/// A date as days since 1970-01-01, as the search page counts dates.
pub(super) fn day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce() - EPOCH_DAYS_FROM_CE)
}

/// Days from 0001-01-01 to 1970-01-01, as chrono counts them.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_1970() {
        let day = NaiveDate::from_ymd_opt(1970, 1, 2).expect("date");
        assert_eq!(super::day(day), 1);
    }
}
