//! The build pipeline after the model: derive → render (pages, search index,
//! open data, feeds) → write, into any [`Sink`]. `build` writes to a staging
//! folder; `serve` keeps the site in memory.

use crate::derive::Derived;
use crate::diag::Diagnostic;
use crate::export::{self, integrity::Hashing};
use crate::model::Site;
use crate::model::vocab::Language;
use crate::render::{self, theme, urls::Urls};
use crate::search;
use crate::write::Sink;

/// What a build produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub search: search::IndexStats,
}

/// Why a build stopped.
#[derive(Debug)]
pub enum Failure {
    /// A problem in the site's own files (a template error).
    Content(Box<Diagnostic>),
    /// A problem of the machine (a full disk, an unwritable folder).
    System(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::System(s)
    }
}

/// Renders the whole site into `sink`.
pub fn produce(
    site: &Site,
    files: &theme::Files,
    urls: &Urls,
    sink: &dyn Sink,
) -> Result<Report, Failure> {
    let derived = Derived::new(site);
    let compiled = render::Compiled::new(&derived, files, urls).map_err(Failure::Content)?;
    let hashing = Hashing::new(sink);
    let mut report = Report::default();
    let mut put = |f: export::OutFile| -> Result<(), Failure> {
        report.files += 1;
        report.bytes += f.bytes.len() as u64;
        hashing
            .put(&f.path, &f.bytes)
            .map_err(|e| Failure::System(format!("{}: {e}", f.path)))
    };
    let (data_files, datasets) = export::open_data(&derived, urls)?;
    for f in data_files {
        put(f)?;
    }
    for f in export::feeds::feeds(&derived, urls, compiled.strings(Language::Vi))? {
        put(f)?;
    }
    let extras = render::Extras { data: &datasets };
    let stats = render::render(&derived, files, &compiled, urls, &extras, &hashing)
        .map_err(|e| Failure::System(e.to_string()))?;
    let index = search::write(
        &derived,
        [
            compiled.strings(Language::Vi),
            compiled.strings(Language::En),
        ],
        &hashing,
    )?;
    for f in export::integrity::sitemap(urls, hashing.paths()) {
        put(f)?;
    }
    put(export::integrity::robots(urls))?;
    for f in export::integrity::deployment_headers() {
        put(f)?;
    }
    let manifest = hashing.manifest();
    sink.put(&manifest.path, &manifest.bytes)
        .map_err(|e| Failure::System(e.to_string()))?;
    report.pages = stats.pages;
    report.files += stats.files + index.shards + 1;
    report.bytes += stats.bytes + index.total_bytes as u64 + manifest.bytes.len() as u64;
    report.search = index;
    Ok(report)
}
