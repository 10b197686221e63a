//! The search page: the engine's addresses and the words it shows, for a
//! script that needs no other source.

use serde_json::json;

use super::{Page, Section};
use crate::model::vocab::Vocab;
use crate::render::context::Ctx;
use crate::site::strings::Strings;

/// The search page.
pub fn page(cx: &Ctx<'_>) -> Page {
    let t = cx.t;
    let search = json!({
        "base": cx.urls.asset("/search/"),
        "prefix": cx.urls.link(cx.lang, ""),
        "labels": search_labels(t),
    });
    Page::new(
        "search.html",
        t.get("search.title").into(),
        t.get("search.intro").into(),
        Section::Search,
    )
    .with("search", &search)
}

/// The labels the search page needs, in one language, as JSON for a data attribute.
fn search_labels(t: &Strings) -> String {
    let mut m = serde_json::Map::new();
    for (i, ty) in crate::site::SEARCH_TYPES.iter().enumerate() {
        let key = [
            "conclusion.list_title",
            "decision.list_title",
            "search.type_page",
            "nav.agencies",
        ][i];
        m.insert(format!("type.{ty}"), t.get(key).into());
    }
    for s in crate::model::vocab::Sector::ALL {
        m.insert(
            format!("sector.{}", s.id()),
            t.label("sector", s.id()).into(),
        );
    }
    for s in crate::model::vocab::ConclusionSource::ALL {
        m.insert(
            format!("source.{}", s.id()),
            t.label("source", s.id()).into(),
        );
    }
    for p in crate::model::vocab::Penalty::ALL {
        m.insert(
            format!("penalty.{}", p.id()),
            t.label("penalty", p.id()).into(),
        );
    }
    for k in [
        "results",
        "no_results",
        "loading",
        "type",
        "year",
        "agency",
        "sector",
        "penalty",
        "source",
        "found",
        "clear",
        "more",
        "at_least",
        "count_all",
        "filter",
        "searching",
        "all",
    ] {
        let v = if k == "all" {
            t.get("all")
        } else {
            t.get(&format!("search.{k}"))
        };
        m.insert(k.to_string(), v.into());
    }
    serde_json::Value::Object(m).to_string()
}
