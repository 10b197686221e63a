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
/// Its address and agencies are worked out only when its day's items are
/// put in order: held for every item, they were 0.45 GB at a million
/// records.
#[derive(Clone, Copy)]
struct Item {
    date: NaiveDate,
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

/// Every item, newest first (items of one day in no fixed order yet).
fn items(d: &Derived<'_>) -> Vec<Item> {
    let site = d.site;
    let mut out = Vec::new();
    let mut add = |kind, dates: &mut dyn Iterator<Item = NaiveDate>| {
        out.extend(
            dates
                .enumerate()
                .map(|(index, date)| Item { date, kind, index }),
        );
    };
    add(
        Kind::Conclusion,
        &mut site.conclusions.iter().map(|c| c.published_on),
    );
    add(
        Kind::Decision,
        &mut site.decisions.iter().map(|x| decision_date(x)),
    );
    add(Kind::Event, &mut d.events().iter().map(|e| e.on));
    out.par_sort_unstable_by(|a, b| b.date.cmp(&a.date));
    out
}

/// The entry's id: its permanent address.
fn item_id(d: &Derived<'_>, urls: &Urls, item: &Item) -> String {
    let abs = |p: &str| urls.absolute(Language::Vi, p);
    match item.kind {
        Kind::Conclusion => abs(&urls::conclusion(d.site.conclusions[item.index].id())),
        Kind::Decision => abs(&urls::decision(d.site.decisions[item.index].id())),
        Kind::Event => {
            let ev = &d.events()[item.index];
            format!("{}-{}", event_url(d, urls, ev), ev.step + 1)
        }
    }
}

/// The agencies the entry concerns (indices), each once.
fn item_agencies(d: &Derived<'_>, item: &Item) -> Vec<usize> {
    let agency = |id: &str| d.agency_index.get(id).copied();
    let mut agencies: Vec<usize> = match item.kind {
        Kind::Conclusion => {
            let c = &d.site.conclusions[item.index];
            [c.issued_by.value.as_str(), c.inspected.value.as_str()]
                .into_iter()
                .chain(
                    d.recs[d.recs_of[item.index].clone()]
                        .iter()
                        .map(|v| v.answering),
                )
                .filter_map(agency)
                .collect()
        }
        Kind::Decision => {
            let x = &d.site.decisions[item.index];
            [
                Some(x.authority.value.as_str()),
                x.subject.agency.as_ref().map(|a| a.value.as_str()),
            ]
            .into_iter()
            .flatten()
            .filter_map(agency)
            .collect()
        }
        Kind::Event => agency(d.recs[d.events()[item.index].rec].answering)
            .into_iter()
            .collect(),
    };
    agencies.sort_unstable();
    agencies.dedup();
    agencies
}

/// A decision's entry is updated when its status changes.
fn decision_date(x: &crate::model::Decision) -> NaiveDate {
    x.status_on
        .map_or(x.published_on, |s| s.max(x.published_on))
}

/// The Atom entry of an item.
/// A record's summary comes from its body, read again if need be: an error
/// when its file changed since it was checked.
fn entry(
    d: &Derived<'_>,
    urls: &Urls,
    t: &Strings,
    id: &str,
    item: &Item,
) -> Result<Entry, String> {
    let mut e = Entry::default();
    e.set_id(id.to_string());
    match item.kind {
        Kind::Conclusion => {
            let c = &d.site.conclusions[item.index];
            e.set_title(text(format!("{} — {}", c.number.value, c.title)));
            e.set_links(vec![link(id.to_string(), "alternate")]);
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
            e.set_links(vec![link(id.to_string(), "alternate")]);
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
/// A feed names its items by their place in that list.
struct Selection {
    all: Vec<usize>,
    kinds: [Vec<usize>; 3],
    agencies: Vec<Vec<usize>>,
    /// Each item some feed keeps, with its id, by place.
    kept: rustc_hash::FxHashMap<usize, (String, Item)>,
}

impl Selection {
    /// `items` newest first; the items of one day are put in the order of
    /// their ids, worked out a day at a time.
    fn new(d: &Derived<'_>, urls: &Urls, items: &[Item]) -> Self {
        let mut s = Selection {
            all: Vec::new(),
            kinds: Default::default(),
            agencies: vec![Vec::new(); d.site.agencies.len()],
            kept: Default::default(),
        };
        let mut place = 0;
        for day in items.chunk_by(|a, b| a.date == b.date) {
            let mut day: Vec<(String, Item)> =
                day.iter().map(|i| (item_id(d, urls, i), *i)).collect();
            day.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (id, item) in day {
                if s.keep(place, &item_agencies(d, &item), item.kind) {
                    s.kept.insert(place, (id, item));
                }
                place += 1;
            }
        }
        s
    }

    /// Adds the item at `place` to each feed that has room; whether any had.
    fn keep(&mut self, place: usize, agencies: &[usize], kind: Kind) -> bool {
        let mut kept = false;
        let mut keep = |feed: &mut Vec<usize>| {
            if feed.len() < MAX_ENTRIES {
                feed.push(place);
                kept = true;
            }
        };
        keep(&mut self.all);
        keep(&mut self.kinds[kind as usize]);
        for &a in agencies {
            keep(&mut self.agencies[a]);
        }
        kept
    }
}

/// Every feed of the site.
pub fn feeds(d: &Derived<'_>, urls: &Urls, t: &Strings) -> Result<Vec<OutFile>, String> {
    let chosen = Selection::new(d, urls, &items(d));
    // Entries are built once for the items some feed keeps, and shared by
    // the feeds that keep them (a slot for every item held 0.6 GB at a
    // million records).
    let entries: rustc_hash::FxHashMap<usize, Entry> = chosen
        .kept
        .par_iter()
        .map(|(&place, (id, item))| Ok((place, entry(d, urls, t, id, item)?)))
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
