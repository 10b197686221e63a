//! Free pages (about, methodology, contact).

use serde::Serialize;

use super::fields::Fields;
use super::read::{Reader, Text};
use super::record::{Source, read_source};
use super::schema;
use crate::load::RawDoc;

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    #[serde(skip)]
    pub source: Source,
    pub title: Text,
    /// Its title on the English side, if it has one (else the Vietnamese
    /// title is shown there, marked as Vietnamese).
    pub title_en: Option<Text>,
    pub description: Option<Text>,
    /// Order in menus (lower first), then title.
    pub weight: u32,
}

impl Page {
    pub fn id(&self) -> &str {
        self.source.id.as_str()
    }

    pub fn read(doc: &RawDoc, r: &mut Reader<'_>, _: &super::rules::Rules<'_>) -> Option<Self> {
        let root = doc.front.as_ref()?;
        let mut f = Fields::of_schema(root, r, &schema::PAGE)?;
        let source = read_source(doc, &mut f, r);
        let title = f.req(r, "title");
        let title_en = f.opt(r, "title_en");
        let description = f.opt(r, "description");
        let weight = f.opt(r, "weight").unwrap_or(100);
        f.finish(r);
        Some(Page {
            source: source?,
            title: title?,
            title_en,
            description,
            weight,
        })
    }
}
