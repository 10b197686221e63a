//! Atom feeds (RFC 4287): everything, per record type, per agency, and the
//! follow-up events of every recommendation. Entry ids are permanent
//! addresses; dates come from the content, never from the build time.

use atom_syndication::{Category, Entry, Feed, Link, Person, Text};

use chrono::{DateTime, FixedOffset, NaiveDate};
use rayon::prelude::*;

use super::OutFile;
use crate::derive::Derived;
use crate::markdown;
use crate::model::vocab::{Language, Vocab};
use crate::site::strings::Strings;
use crate::site::urls::{self, Urls};

/// Entries per feed: the newest ones.
pub const MAX_ENTRIES: usize = 200;

pub use crate::site::urls::feeds::{
    ALL, CHANGES as CHANGES_FEED, CONCLUSIONS, DECISIONS, EVENTS, agency,
};

/// Characters of a body's text that a feed entry's summary shows.
const SUMMARY_CHARS: usize = 400;

/// Midnight in Vietnam (UTC+7) on a date.
fn at(d: NaiveDate) -> DateTime<FixedOffset> {
    let tz = FixedOffset::east_opt(7 * 3600).expect("valid offset");
    d.and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_local_timezone(tz)
        .single()
        .expect("fixed offset")
}

fn link(href: String, rel: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    if rel == "self" {
        l.set_mime_type(Some("application/atom+xml".to_string()));
    }
    l
}

fn text(s: impl Into<String>) -> Text {
    Text::plain(s.into())
}

/// What an entry is about, for choosing the feeds it goes into. The entry
/// itself is built only if some feed keeps it: each feed keeps only its
/// newest [`MAX_ENTRIES`], and most records of a large site are in none.
struct Item {
    /// The entry's id (its permanent address), for a fixed order.
    id: String,
    date: NaiveDate,
    /// Agencies the entry concerns (indices).
    agencies: Vec<usize>,
    kind: Kind,
    /// Index into the conclusions, decisions or events.
    index: usize,
}

/// The discriminant indexes [`Selection::kinds`].
#[derive(Clone, Copy)]
enum Kind {
    Conclusion = 0,
    Decision = 1,
    Event = 2,
}

/// The first [`SUMMARY_CHARS`] characters of a body's text, with `…` when
/// there is more.
fn summary(markdown_body: &str) -> String {
    let plain = markdown::text_past(markdown_body, SUMMARY_CHARS);
    let mut s = crate::source::first_chars(&plain, SUMMARY_CHARS).to_string();
    if s.len() < plain.len() {
        s.push('…');
    }
    s
}

/// The address of a recommendation's follow-up event.
fn event_url(d: &Derived<'_>, urls: &Urls, ev: &crate::derive::Event) -> String {
    let v = &d.recs[ev.rec];
    let c = d.conclusion_of(v);
    let anchor = urls::anchor(&v.rec.id.value);
    format!(
        "{}#{anchor}",
        urls.absolute(Language::Vi, &urls::conclusion(c.id()))
    )
}

fn items(d: &Derived<'_>, urls: &Urls) -> Vec<Item> {
    let abs = |p: &str| urls.absolute(Language::Vi, p);
    let agency = |id: &str| d.agency_index.get(id).copied();
    let mut out = Vec::new();
    for (i, c) in d.site.conclusions.iter().enumerate() {
        let mut agencies: Vec<usize> = [c.issued_by.value.as_str(), c.inspected.value.as_str()]
            .into_iter()
            .filter_map(agency)
            .collect();
        agencies.extend(
            d.recs[d.recs_of[i].clone()]
                .iter()
                .filter_map(|v| agency(v.answering)),
        );
        agencies.sort_unstable();
        agencies.dedup();
        out.push(Item {
            id: abs(&urls::conclusion(c.id())),
            date: c.published_on,
            agencies,
            kind: Kind::Conclusion,
            index: i,
        });
    }
    for (i, x) in d.site.decisions.iter().enumerate() {
        let agencies = [
            Some(x.authority.value.as_str()),
            x.subject.agency.as_ref().map(|a| a.value.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter_map(agency)
        .collect();
        out.push(Item {
            id: abs(&urls::decision(x.id())),
            date: decision_date(x),
            agencies,
            kind: Kind::Decision,
            index: i,
        });
    }
    for (i, ev) in d.events().iter().enumerate() {
        let v = &d.recs[ev.rec];
        out.push(Item {
            id: format!("{}-{}", event_url(d, urls, ev), ev.step + 1),
            date: ev.on,
            agencies: agency(v.answering).into_iter().collect(),
            kind: Kind::Event,
            index: i,
        });
    }
    // Newest first; ties in a fixed order.
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    out
}

/// A decision's entry is updated when its status changes.
fn decision_date(x: &crate::model::Decision) -> NaiveDate {
    x.status_on
        .map_or(x.published_on, |s| s.max(x.published_on))
}

/// The Atom entry of an item.
/// A record's summary comes from its body, read again if need be: an error
/// when its file changed since it was checked.
fn entry(d: &Derived<'_>, urls: &Urls, t: &Strings, item: &Item) -> Result<Entry, String> {
    let mut e = Entry::default();
    e.set_id(item.id.clone());
    match item.kind {
        Kind::Conclusion => {
            let c = &d.site.conclusions[item.index];
            e.set_title(text(format!("{} — {}", c.number.value, c.title)));
            e.set_links(vec![link(item.id.clone(), "alternate")]);
            e.set_updated(at(c.published_on));
            e.set_published(Some(at(c.published_on)));
            e.set_summary(Some(text(summary(&d.site.body(&c.source)?))));
            let mut cat = Category::default();
            cat.set_term(c.sector.id());
            cat.set_label(Some(t.label("sector", c.sector.id())));
            e.set_categories(vec![cat]);
        }
        Kind::Decision => {
            let x = &d.site.decisions[item.index];
            let status = if x.status == crate::model::vocab::DecisionStatus::InForce {
                String::new()
            } else {
                format!(" ({})", t.label("decision_status", x.status.id()))
            };
            e.set_title(text(format!(
                "{} — {} đối với {}{status}",
                x.number.value,
                t.label("penalty", x.penalty.id()),
                x.subject.name
            )));
            e.set_links(vec![link(item.id.clone(), "alternate")]);
            e.set_updated(at(decision_date(x)));
            e.set_published(Some(at(x.published_on)));
            e.set_summary(Some(text(summary(&d.site.body(&x.source)?))));
        }
        Kind::Event => {
            let ev = &d.events()[item.index];
            let v = &d.recs[ev.rec];
            let c = d.conclusion_of(v);
            let step = &v.rec.progress[ev.step];
            let lower = |s: String| s.to_lowercase();
            e.set_title(text(format!(
                "{} của {}: {} → {}",
                v.rec.id.value,
                c.number.value,
                lower(t.label("status", ev.from.id())),
                lower(t.label("status", ev.to.id()))
            )));
            e.set_links(vec![link(event_url(d, urls, ev), "alternate")]);
            e.set_updated(at(ev.on));
            let mut parts = vec![v.rec.text.0.clone()];
            parts.extend(step.note.as_ref().map(|n| n.0.clone()));
            parts.extend(step.evidence.as_ref().map(|n| format!("Chứng cứ: {n}")));
            e.set_summary(Some(text(parts.join(" — "))));
        }
    }
    Ok(e)
}

fn feed(
    d: &Derived<'_>,
    urls: &Urls,
    path: &str,
    title: String,
    entries: Vec<Entry>,
) -> Result<OutFile, String> {
    let cfg = &d.site.config;
    let mut f = Feed::default();
    let self_url = urls.absolute_asset(path);
    f.set_id(self_url.clone());
    f.set_title(text(title));
    f.set_links(vec![
        link(self_url, "self"),
        link(urls.absolute(Language::Vi, urls::HOME), "alternate"),
    ]);
    f.set_updated(
        entries
            .iter()
            .map(|e| *e.updated())
            .max()
            .unwrap_or_else(|| at(d.as_of)),
    );
    let mut author = Person::default();
    author.set_name(
        cfg.publisher
            .as_ref()
            .map_or_else(|| cfg.title.0.clone(), |p| p.0.clone()),
    );
    f.set_authors(vec![author]);
    f.set_lang(Some("vi".to_string()));
    f.set_entries(entries);
    let bytes = f.write_to(Vec::new()).map_err(|e| e.to_string())?;
    Ok(OutFile {
        path: path.trim_start_matches('/').to_string(),
        bytes,
    })
}

/// The newest [`MAX_ENTRIES`] items of each feed, chosen in one pass over
/// the items (newest first): every feed is a filter of the same list, and
/// filtering it once per agency made feeds cost as much as a hundred passes.
struct Selection {
    all: Vec<usize>,
    kinds: [Vec<usize>; 3],
    agencies: Vec<Vec<usize>>,
}

impl Selection {
    fn new(items: &[Item], agencies: usize) -> Self {
        let mut s = Selection {
            all: Vec::new(),
            kinds: Default::default(),
            agencies: vec![Vec::new(); agencies],
        };
        let keep = |feed: &mut Vec<usize>, i: usize| {
            if feed.len() < MAX_ENTRIES {
                feed.push(i);
            }
        };
        for (i, item) in items.iter().enumerate() {
            keep(&mut s.all, i);
            keep(&mut s.kinds[item.kind as usize], i);
            for &a in &item.agencies {
                keep(&mut s.agencies[a], i);
            }
        }
        s
    }

    /// Every item some feed keeps, once each.
    fn kept(&self) -> Vec<usize> {
        let mut kept: Vec<usize> = self
            .all
            .iter()
            .chain(self.kinds.iter().flatten())
            .chain(self.agencies.iter().flatten())
            .copied()
            .collect();
        kept.sort_unstable();
        kept.dedup();
        kept
    }
}

/// Every feed of the site.
pub fn feeds(d: &Derived<'_>, urls: &Urls, t: &Strings) -> Result<Vec<OutFile>, String> {
    let all = items(d, urls);
    let chosen = Selection::new(&all, d.site.agencies.len());
    // Entries are built once for the items some feed keeps, and shared by
    // the feeds that keep them (a slot for every item held 0.6 GB at a
    // million records).
    let entries: rustc_hash::FxHashMap<usize, Entry> = chosen
        .kept()
        .into_par_iter()
        .map(|i| Ok((i, entry(d, urls, t, &all[i])?)))
        .collect::<Result<_, String>>()?;
    let site = &d.site.config.title;
    let pick = |feed: &[usize]| feed.iter().map(|i| entries[i].clone()).collect::<Vec<_>>();
    let mut out = vec![feed(d, urls, ALL, site.0.clone(), pick(&chosen.all))?];
    for (path, title, kind) in [
        (CONCLUSIONS, "conclusion.list_title", Kind::Conclusion),
        (DECISIONS, "decision.list_title", Kind::Decision),
        (EVENTS, "event.title", Kind::Event),
    ] {
        let title = format!("{site} — {}", t.get(title));
        out.push(feed(
            d,
            urls,
            path,
            title,
            pick(&chosen.kinds[kind as usize]),
        )?);
    }
    let per_agency = d
        .site
        .agencies
        .par_iter()
        .zip(&chosen.agencies)
        .map(|(a, kept)| {
            feed(
                d,
                urls,
                &agency(a.id.value.as_str()),
                format!("{site} — {}", a.name),
                pick(kept),
            )
        })
        .collect::<Result<Vec<_>, String>>()?;
    out.extend(per_agency);
    out.push(changes(d, urls, t)?);
    Ok(out)
}

/// The feed of the change log: its newest [`MAX_ENTRIES`] events. An entry's
/// id is its place in the log, which never changes once written.
fn changes(d: &Derived<'_>, urls: &Urls, t: &Strings) -> Result<OutFile, String> {
    let log_page = urls.absolute(Language::Vi, urls::CHANGES);
    let entries = d
        .history
        .newest_first(None)
        .into_iter()
        .take(MAX_ENTRIES)
        .map(|c| {
            let mut e = Entry::default();
            e.set_id(format!("{log_page}#thay-doi-{}", c.seq));
            let kind = t.label("change_kind", c.kind.id());
            e.set_title(text(format!(
                "{kind}: {}",
                c.title.as_deref().unwrap_or_default()
            )));
            let href = match (&c.path, c.kind) {
                (Some(p), k) if k != crate::derive::history::Kind::Removed => {
                    urls.absolute(Language::Vi, p)
                }
                _ => log_page.clone(),
            };
            e.set_links(vec![link(href, "alternate")]);
            e.set_updated(at(c.as_of));
            let fields: Vec<String> = c
                .changes
                .iter()
                .map(|f| format!("{}: {} → {}", f.field, plain(&f.old), plain(&f.new)))
                .collect();
            if !fields.is_empty() {
                e.set_summary(Some(text(fields.join("; "))));
            }
            let mut cat = Category::default();
            cat.set_term(c.kind.id());
            cat.set_label(Some(kind));
            e.set_categories(vec![cat]);
            e
        })
        .collect();
    let title = format!("{} — {}", d.site.config.title, t.get("change.title"));
    feed(d, urls, CHANGES_FEED, title, entries)
}

/// A value of the log as plain text.
fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
