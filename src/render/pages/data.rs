//! The open-data page: every dataset with its files, sizes and columns.

use serde::Serialize;

use super::{Page, Section};
use crate::model::vocab::Language;
use crate::render::context::{Ctx, Link};
use crate::site::datasets::Dataset;
use crate::site::format;
use crate::site::urls;

#[derive(Serialize)]
pub struct DatasetView {
    pub name: &'static str,
    pub title: String,
    pub rows: usize,
    pub csv: String,
    pub csv_size: String,
    pub json: String,
    pub json_size: String,
    pub schema: String,
    pub columns: Vec<ColumnView>,
}

#[derive(Serialize)]
pub struct ColumnView {
    pub name: String,
    pub description: String,
}

#[derive(Serialize)]
pub struct DataView {
    pub datasets: Vec<DatasetView>,
    pub feeds: Vec<Link>,
    pub manifest: String,
    pub sitemap: String,
    pub license: String,
    pub license_url: String,
    pub catalog: String,
    pub changes: String,
    pub change_log: String,
    /// The published public key and the manifest's signature, when signed.
    pub public_key: Option<String>,
    pub signature: Option<String>,
}

fn data(cx: &Ctx<'_>, datasets: &[Dataset]) -> DataView {
    use urls::feeds;
    let vi = cx.lang == Language::Vi;
    let cfg = &cx.d.site.config;
    let signed = cfg.signing_key.is_some();
    let feed_links = [
        ("data.feed_all", feeds::ALL),
        ("conclusion.list_title", feeds::CONCLUSIONS),
        ("decision.list_title", feeds::DECISIONS),
        ("data.feed_events", feeds::EVENTS),
        ("change.feed", feeds::CHANGES),
    ]
    .into_iter()
    .map(|(label, feed)| Link {
        label: cx.t.get(label).into(),
        url: cx.urls.asset(feed),
    })
    .collect();
    DataView {
        datasets: datasets
            .iter()
            .map(|d| DatasetView {
                name: d.name,
                title: if vi {
                    d.title_vi.clone()
                } else {
                    d.title_en.clone()
                },
                rows: d.rows,
                csv: cx.urls.asset(&d.csv),
                csv_size: format::file_size(d.csv_bytes as u64, cx.lang),
                json: cx.urls.asset(&d.json),
                json_size: format::file_size(d.json_bytes as u64, cx.lang),
                schema: cx.urls.asset(&d.schema),
                columns: d
                    .columns
                    .iter()
                    .map(|c| ColumnView {
                        name: c.name.clone(),
                        description: if vi { c.vi.clone() } else { c.en.clone() },
                    })
                    .collect(),
            })
            .collect(),
        feeds: feed_links,
        manifest: cx.urls.asset("/SHA256SUMS"),
        sitemap: cx.urls.asset("/sitemap.xml"),
        license: cfg.data.license.clone(),
        license_url: cfg.data.license_url(),
        catalog: cx.urls.asset(&format!("/{}", urls::CATALOG)),
        changes: cx.link(urls::CHANGES),
        change_log: cx.urls.asset(&format!("/{}", urls::CHANGE_LOG)),
        public_key: signed.then(|| cx.urls.asset(&format!("/{}", urls::PUBLIC_KEY))),
        signature: signed.then(|| cx.urls.asset(&format!("/{}", urls::SIGNATURE))),
    }
}

/// The open-data page.
pub fn page(cx: &Ctx<'_>, datasets: &[Dataset]) -> Page {
    let t = cx.t;
    Page::new(
        "data.html",
        t.get("data.title").into(),
        t.get("data.intro").into(),
        Section::Data,
    )
    .with("data", &data(cx, datasets))
}
