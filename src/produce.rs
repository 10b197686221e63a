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
    let mut timer = crate::site::timer::Timer::new();
    let derived = Derived::new(site);
    timer.lap("derive");
    let compiled = render::Compiled::new(&derived, files, urls).map_err(Failure::Content)?;
    timer.lap("templates");
    let hashing = Hashing::new(sink);
    let pages = render::Pages::new(&derived);
    timer.lap("plan");
    let render_failed = |e: render::RenderError| Failure::System(e.to_string());
    // Pages, and everything else, in parallel: the open data, the feeds and
    // the search index keep the cores busy while pages wait on the file
    // system. Only the open-data page, which lists the data files, waits.
    let (main, others) = rayon::join(
        || -> Result<render::Stats, Failure> {
            let none: Vec<export::Dataset> = Vec::new();
            let extras = render::Extras { data: &none };
            let not_data = |job: &render::pages::Job| !matches!(job, render::pages::Job::Data);
            let mut stats = pages
                .write(&derived, &compiled, urls, &extras, &hashing, not_data)
                .map_err(render_failed)?;
            stats.add(render::write_statics(files, &hashing).map_err(render_failed)?);
            Ok(stats)
        },
        || -> Result<_, Failure> {
            let (data_files, datasets) = export::open_data(&derived, urls)?;
            timer.lap("open data");
            let mut written = put_all(&hashing, data_files)?;
            timer.lap("open data written");
            let feeds = export::feeds::feeds(&derived, urls, compiled.strings(Language::Vi))?;
            timer.lap("feeds");
            let f = put_all(&hashing, feeds)?;
            written = (written.0 + f.0, written.1 + f.1);
            let strings = [
                compiled.strings(Language::Vi),
                compiled.strings(Language::En),
            ];
            let index = search::write(&derived, strings, &hashing)?;
            Ok((index, written, datasets))
        },
    );
    let (mut stats, (index, written, datasets)) = (main?, others?);
    let extras = render::Extras { data: &datasets };
    let data = |job: &render::pages::Job| matches!(job, render::pages::Job::Data);
    stats.add(
        pages
            .write(&derived, &compiled, urls, &extras, &hashing, data)
            .map_err(render_failed)?,
    );
    timer.lap("pages, search index, feeds");
    let mut tail = export::integrity::sitemap(urls, hashing.paths());
    tail.push(export::integrity::robots(urls));
    tail.extend(export::integrity::deployment_headers());
    let last = put_all(&hashing, tail)?;
    let manifest = hashing.manifest();
    sink.put(&manifest.path, &manifest.bytes)
        .map_err(|e| Failure::System(e.to_string()))?;
    timer.lap("sitemap and manifest");
    // The rendered rows and bodies are freed on another thread: the caller
    // has nothing left to wait for (63 ms of freeing at 100 000 records).
    std::thread::spawn(move || drop(pages));
    Ok(Report {
        pages: stats.pages,
        files: stats.files + written.0 + last.0 + index.shards + 1,
        bytes: stats.bytes
            + written.1
            + last.1
            + index.total_bytes as u64
            + manifest.bytes.len() as u64,
        search: index,
    })
}

/// Writes files through the hashing sink; returns how many and how many bytes.
fn put_all(hashing: &Hashing<'_>, files: Vec<export::OutFile>) -> Result<(usize, u64), Failure> {
    let mut bytes = 0;
    let n = files.len();
    for f in files {
        bytes += f.bytes.len() as u64;
        hashing
            .put(&f.path, &f.bytes)
            .map_err(|e| Failure::System(format!("{}: {e}", f.path)))?;
    }
    Ok((n, bytes))
}
