//! The data every page gives its template as `page`: title, addresses in
//! both languages, section, and the feeds it announces.

use serde::Serialize;

use super::Section;
use crate::model::vocab::Language;
use crate::render::context::{Ctx, Link};
use crate::site::urls;

/// The page-level data every template gets as `page`.
#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub path: String,
    pub canonical: String,
    pub alternate: String,
    pub alternate_absolute: String,
    pub section: &'static str,
    pub is_home: bool,
    pub feeds: Vec<Link>,
}

impl PageMeta {
    pub fn new(cx: &Ctx<'_>, path: &str, page: &super::Page) -> Self {
        let other = match cx.lang {
            Language::Vi => Language::En,
            Language::En => Language::Vi,
        };
        PageMeta {
            title: page.title.clone(),
            description: page.description.clone(),
            path: cx.link(path),
            canonical: cx.urls.absolute(cx.lang, path),
            alternate: cx.urls.link(other, path),
            alternate_absolute: cx.urls.absolute(other, path),
            section: page.section.id(),
            is_home: path == urls::HOME,
            feeds: feeds_for(cx, page.section, page.agency.as_deref()),
        }
    }
}

/// The Atom feeds a page announces with `<link rel="alternate">`.
fn feeds_for(cx: &Ctx<'_>, section: Section, agency: Option<&str>) -> Vec<Link> {
    use crate::site::urls::feeds;
    let feed = |label: &str, p: &str| Link {
        label: label.to_string(),
        url: cx.urls.asset(p),
    };
    let mut out = vec![feed(cx.t.get("data.feed_all"), feeds::ALL)];
    match section {
        Section::Conclusions => {
            out.push(feed(cx.t.get("conclusion.list_title"), feeds::CONCLUSIONS));
        }
        Section::Decisions => out.push(feed(cx.t.get("decision.list_title"), feeds::DECISIONS)),
        Section::Recommendations | Section::Overdue => {
            out.push(feed(cx.t.get("data.feed_events"), feeds::EVENTS));
        }
        Section::Agencies => {
            if let Some(id) = agency {
                out.push(feed(&cx.agency(id).label, &feeds::agency(id)));
            }
        }
        _ => {}
    }
    out
}
