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
    pub(super) kind: u8,
    pub(super) path: String,
    /// What a result shows as its title (for a decision, the subject's name:
    /// the page prefixes the penalty in its own language).
    pub(super) title: String,
    /// Words that count as title matches in the ranking.
    pub(super) heading: String,
    pub(super) number: String,
    pub(super) date: Option<NaiveDate>,
    pub(super) agency: Option<usize>,
    pub(super) sector: Option<&'static str>,
    pub(super) penalty: Option<&'static str>,
    /// A conclusion's source (inspection, party inspection, …).
    pub(super) source: Option<&'static str>,
    /// The text shown around a match under a result.
    pub(super) excerpt: String,
    /// Searchable text that is not in the title; empty once indexed.
    pub(super) text: String,
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

/// Every record as the engine sees it, each with what `index` makes of it
/// (its terms) right after it is made: the record's searchable text is then
/// dropped, so the texts of all records are never held at once (at 100 000
/// records they were the largest thing the index held). `index` gets a
/// state of its own per thread of work, such as a cache of folded words.
pub(super) fn docs<S: Default, T: Send>(
    d: &Derived<'_>,
    strings: [&Strings; 2],
    index: impl Fn(&mut S, &Doc) -> T + Sync,
) -> Vec<(Doc, T)> {
    let indexed = |state: &mut S, mut doc: Doc| {
        let terms = index(state, &doc);
        doc.text = String::new();
        (doc, terms)
    };
    let site = d.site;
    let agency = |id: &str| d.agency_index.get(id).copied();
    let name = |id: &str| d.agency_name(id).to_string();
    let type_label = |k: &str| format!("{} {}", strings[0].get(k), strings[1].get(k));
    let mut out: Vec<(Doc, T)> = site
        .conclusions
        .par_iter()
        .enumerate()
        .map_init(S::default, |state, (i, c)| {
            let body = markdown::to_text(c.source.body());
            let mut text = format!(
                "{} {} {} {} {}",
                type_label("conclusion.list_title"),
                name(c.issued_by.value.as_str()),
                name(c.inspected.value.as_str()),
                labels(&strings, "sector", c.sector.id()),
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
            let doc = Doc {
                kind: 0,
                path: urls::conclusion(c.id()),
                title: c.title.0.clone(),
                heading: c.title.0.clone(),
                number: c.number.value.0.clone(),
                date: Some(c.signed_on),
                agency: agency(c.inspected.value.as_str()),
                sector: Some(c.sector.id()),
                penalty: None,
                source: Some(c.origin.id()),
                excerpt: excerpt(&text[shown..]),
                text,
            };
            indexed(state, doc)
        })
        .collect();
    out.par_extend(site.decisions.par_iter().map_init(S::default, |state, x| {
        let body = markdown::to_text(x.source.body());
        let text = format!(
            "{} {} {} {} {} {} {} {}",
            x.subject.position.as_deref().unwrap_or(""),
            name(x.authority.value.as_str()),
            x.subject
                .agency
                .as_ref()
                .map(|a| name(a.value.as_str()))
                .unwrap_or_default(),
            labels(&strings, "track", x.track.id()),
            labels(&strings, "role", x.subject.role.id()),
            x.session.as_deref().unwrap_or(""),
            x.decided_on.year(),
            body,
        );
        let doc = Doc {
            kind: 1,
            path: urls::decision(x.id()),
            title: x.subject.name.0.clone(),
            // "Quyết định kỷ luật: cảnh cáo Trần Văn B": readers name decisions so.
            heading: format!(
                "{} {} {}",
                type_label("decision.list_title"),
                labels(&strings, "penalty", x.penalty.id()),
                x.subject.name
            ),
            number: x.number.value.0.clone(),
            date: Some(x.decided_on),
            agency: agency(x.authority.value.as_str()),
            sector: None,
            penalty: Some(x.penalty.id()),
            source: None,
            excerpt: excerpt(&body),
            text,
        };
        indexed(state, doc)
    }));
    // Pages and agencies are few: one state does.
    let mut state = S::default();
    out.extend(site.pages.iter().map(|p| {
        let body = markdown::to_text(p.source.body());
        let doc = Doc {
            kind: 2,
            path: urls::page(p.id()),
            title: p.title.0.clone(),
            heading: p.title.0.clone(),
            number: String::new(),
            date: None,
            agency: None,
            sector: None,
            penalty: None,
            source: None,
            excerpt: excerpt(&body),
            text: body,
        };
        indexed(&mut state, doc)
    }));
    out.extend(site.agencies.iter().enumerate().map(|(i, a)| {
        let doc = Doc {
            kind: 3,
            path: urls::agency(a.id.value.as_str()),
            title: a.name.0.clone(),
            // Former names count as the title: readers type the name on the
            // documents they hold, which may be older than a merger.
            heading: std::iter::once(&a.name)
                .chain(&a.formerly)
                .map(|n| n.0.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            number: String::new(),
            date: None,
            agency: Some(i),
            sector: None,
            source: None,
            penalty: None,
            excerpt: a
                .formerly
                .iter()
                .map(|n| n.0.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            text: format!(
                "{} {}",
                a.short_name.as_deref().unwrap_or(""),
                labels(&strings, "agency_kind", a.kind.id())
            ),
        };
        indexed(&mut state, doc)
    }));
    out
}

/// Numbers the records newest first (undated pages and agencies last), so
/// that results of equal score come out newest first by number alone.
pub(super) fn newest_first<T: Send>(docs: &mut [(Doc, T)]) {
    docs.par_sort_by(|(a, _), (b, _)| {
        (a.date.is_none(), std::cmp::Reverse(a.date), a.kind, &a.path).cmp(&(
            b.date.is_none(),
            std::cmp::Reverse(b.date),
            b.kind,
            &b.path,
        ))
    });
}

/// The columns of `docs.json`.
pub(super) fn table<'a>(d: &'a Derived<'_>, docs: &[Doc]) -> DocsTable<'a> {
    let sectors: Vec<&'static str> = Sector::ALL.iter().map(|s| s.id()).collect();
    let penalties: Vec<&'static str> = Penalty::ALL.iter().map(|s| s.id()).collect();
    let sources: Vec<&'static str> = ConclusionSource::ALL.iter().map(|s| s.id()).collect();
    let column = |list: &[&str], of: fn(&Doc) -> Option<&'static str>| -> Vec<i64> {
        docs.iter()
            .map(|doc| {
                of(doc)
                    .and_then(|v| list.iter().position(|x| *x == v))
                    .map_or(-1, |p| p as i64)
            })
            .collect()
    };
    let days: Vec<i64> = docs
        .iter()
        .map_while(|doc| doc.date)
        .map(|x| i64::from(x.num_days_from_ce() - EPOCH_DAYS_FROM_CE))
        .collect();
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

/// Days from 0001-01-01 to 1970-01-01, as chrono counts them.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_1970() {
        let day = NaiveDate::from_ymd_opt(1970, 1, 2).expect("date");
        assert_eq!(day.num_days_from_ce() - EPOCH_DAYS_FROM_CE, 1);
    }
}
