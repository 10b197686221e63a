//! **Producers**: every output of a build — pages, static files, open data,
//! feeds, the search index, and the files that describe the site (sitemap,
//! manifest) — comes from one [`Producer`]. A producer lists the paths it
//! makes and makes one path on demand; `build` runs them all into the
//! staging folder, `serve` asks them for the path a browser requests, so
//! the two can never disagree, and an error is the same typed error in both.

mod documents;
mod generated;
mod integrity;
mod pages;

use std::sync::Arc;

use crate::derive::Derived;
use crate::diag::Diagnostic;
use crate::export::integrity::Hashing;
use crate::model::Site;
use crate::published;
use crate::render::{self, Compiled, theme};
use crate::search;
use crate::site::timer::Timer;
use crate::site::urls::Urls;
use crate::write::Sink;

pub use documents::Documents;
pub use generated::{Feeds, OpenData, SearchIndex, Statics};
pub use integrity::Integrity;
pub use pages::Pages;

/// What every producer reads: the derived site, the theme, the addresses.
pub struct Inputs<'a> {
    pub d: &'a Derived<'a>,
    pub files: &'a theme::Files,
    pub compiled: &'a Compiled,
    pub urls: &'a Urls,
}

/// Why a path could not be produced.
#[derive(Debug)]
pub enum ProduceError {
    /// A template failed on this page: the theme's problem, shown to the
    /// publisher with the template's file and line.
    Template(Box<Diagnostic>),
    /// The machine's problem (an unwritable folder), or a stage that failed
    /// as a whole.
    System(String),
    /// The disk the output is written to is full: told apart so that the
    /// publisher hears what to do about it.
    Full(String),
}

/// A stage that failed as a whole, in its own words.
impl From<String> for ProduceError {
    fn from(message: String) -> Self {
        ProduceError::System(message)
    }
}

impl std::fmt::Display for ProduceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProduceError::Template(d) => write!(f, "{} / {}", d.message_vi, d.message_en),
            ProduceError::System(s) | ProduceError::Full(s) => f.write_str(s),
        }
    }
}

impl From<render::RenderError> for ProduceError {
    fn from(e: render::RenderError) -> Self {
        match e.template {
            Some(d) => ProduceError::Template(d),
            None => ProduceError::System(format!("{}: {}", e.what, e.message)),
        }
    }
}

/// How much a producer wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

impl Written {
    pub fn add(&mut self, o: Written) {
        self.pages += o.pages;
        self.files += o.files;
        self.bytes += o.bytes;
    }
}

/// One kind of output.
pub trait Producer: Sync + Send {
    /// What it makes, for errors and timings.
    fn name(&self) -> &'static str;

    /// The producers whose output this one needs, by name (the open-data
    /// page lists the open data; the manifest lists everything).
    fn depends_on(&self) -> &'static [&'static str] {
        &[]
    }

    /// Every path it makes, relative to the output root.
    fn paths(&self, i: &Inputs<'_>) -> Vec<String>;

    /// The bytes of `path`, or `None` when the path is not one of its own.
    fn produce(&self, i: &Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, ProduceError>>;

    /// Writes every path into `sink`. Producers that make their files all at
    /// once, or in parallel, write them so.
    fn produce_all(&self, i: &Inputs<'_>, sink: &dyn Sink) -> Result<Written, ProduceError> {
        let mut w = Written::default();
        for path in self.paths(i) {
            if let Some(bytes) = self.produce(i, &path) {
                let bytes = bytes?;
                put(sink, &path, &bytes)?;
                w.files += 1;
                w.bytes += bytes.len() as u64;
            }
        }
        Ok(w)
    }
}

/// Writes one file; an error names it.
pub fn put(sink: &dyn Sink, path: &str, bytes: &[u8]) -> Result<(), ProduceError> {
    sink.put(path, bytes)
        .map_err(|e| crate::write::named(path, e).into())
}

/// A failure to write, which names its file ([`crate::write::named`]); a
/// full disk is told apart.
impl From<std::io::Error> for ProduceError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::StorageFull => ProduceError::Full(e.to_string()),
            _ => ProduceError::System(e.to_string()),
        }
    }
}

/// The producers of a site, in the order `serve` asks them for a path.
pub struct Producers {
    pub pages: Pages,
    pub statics: Statics,
    pub data: Arc<OpenData>,
    pub feeds: Feeds,
    pub search: SearchIndex,
    pub documents: Documents,
    pub integrity: Integrity,
}

impl Producers {
    /// The producers of a derived site. `keep` keeps what is made at once
    /// (open data, feeds, the index) for later requests, as `serve` needs;
    /// a build writes them once and lets them go.
    pub fn new(d: &Derived<'_>, keep: bool) -> Self {
        let data = Arc::new(OpenData::new(keep));
        Producers {
            pages: Pages::new(d, data.clone()),
            statics: Statics,
            data,
            feeds: Feeds::new(keep),
            search: SearchIndex::new(keep),
            documents: Documents,
            integrity: Integrity,
        }
    }

    /// Every producer, in the order a requested path is looked up.
    pub fn all(&self) -> [&dyn Producer; 7] {
        [
            &self.pages,
            &self.statics,
            &*self.data,
            &self.feeds,
            &self.search,
            &self.documents,
            &self.integrity,
        ]
    }

    /// The bytes of the output file `path`, from whichever producer makes it.
    pub fn produce(&self, i: &Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, ProduceError>> {
        if path == integrity::MANIFEST {
            return Some(integrity::manifest_of(self, i));
        }
        if path.starts_with("sitemap") && path.ends_with(".xml") {
            return integrity::sitemap_of(self, i, path);
        }
        self.all().into_iter().find_map(|p| p.produce(i, path))
    }
}

/// What the change log and the signature of a build start from: the
/// previous output (read by the caller, which knows where it is) and the
/// key that signs the manifest, if the site is signed.
#[derive(Default)]
pub struct History<'a> {
    pub previous: published::Previous,
    pub signer: Option<&'a published::sign::Signer>,
}

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
    /// A problem of the machine (an unwritable folder).
    System(String),
    /// The disk the output is written to is full.
    Full(String),
}

impl From<ProduceError> for Failure {
    fn from(e: ProduceError) -> Self {
        match e {
            ProduceError::Template(d) => Failure::Content(d),
            ProduceError::System(s) => Failure::System(s),
            ProduceError::Full(s) => Failure::Full(s),
        }
    }
}

/// Builds the whole site into `sink`: the open data first (the open-data
/// page lists what it wrote), then every other producer, those without
/// dependencies in parallel (the feeds and the search index keep the cores
/// busy while pages wait on the file system), then the files that describe
/// all the others.
pub fn build(
    site: &Site,
    files: &theme::Files,
    urls: &Urls,
    sink: &dyn Sink,
    history: History,
) -> Result<Report, Failure> {
    let mut timer = Timer::new();
    let mut derived = Derived::new(site);
    derived.make_all();
    timer.lap("derive");
    derived.history = published::history(&derived, &history.previous, urls)
        .map_err(|e| Failure::System(format!("{} / {}", e.vi, e.en)))?;
    timer.lap("change log");
    let compiled = Compiled::new(&derived, files, urls).map_err(Failure::Content)?;
    timer.lap("templates");
    let producers = Producers::new(&derived, false);
    producers.pages.make_plan(&derived);
    timer.lap("plan");
    let i = Inputs {
        d: &derived,
        files,
        compiled: &compiled,
        urls,
    };
    let hashing = Hashing::new(sink);
    let p = &producers;
    // Not beside the pages: a page asking for the datasets while they are
    // written waits on their lock, and a thread of the pool that holds the
    // lock could take that very page up while it waits on its own work.
    let data = p.data.write(&i, &hashing)?;
    timer.lap("open data");
    // The feeds and the search index, then the pages, one after the other:
    // each uses every core, and made side by side their peaks added up (at
    // a million records, 1.4 GB more than either, for no time saved).
    let mut written = p.feeds.produce_all(&i, &hashing)?;
    timer.lap("feeds");
    written.add(p.search.write(&i, &hashing)?);
    let index = p.search.stats();
    timer.lap("search index");
    written.add(p.pages.produce_all(&i, &hashing)?);
    written.add(p.statics.produce_all(&i, &hashing)?);
    written.add(p.documents.produce_all(&i, &hashing)?);
    written.add(data);
    timer.lap("pages");
    written.add(integrity::produce_after(
        &i,
        &hashing,
        sink,
        history.signer,
    )?);
    timer.lap("sitemap and manifest");
    // The rendered rows and bodies are freed on another thread: the caller
    // has nothing left to wait for (63 ms of freeing at 100 000 records).
    std::thread::spawn(move || drop(producers));
    Ok(Report {
        pages: written.pages,
        files: written.files,
        bytes: written.bytes,
        search: index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink whose disk refuses every write with this error.
    struct Refusing(std::io::ErrorKind);

    impl Sink for Refusing {
        fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
            Err(self.0.into())
        }
    }

    /// A full disk is told apart from other failures to write, so that the
    /// publisher hears what to do; both name the file.
    #[test]
    fn a_full_disk_is_told_apart_from_other_write_failures() {
        let full = put(
            &Refusing(std::io::ErrorKind::StorageFull),
            "a/index.html",
            b"x",
        );
        assert!(matches!(&full, Err(ProduceError::Full(s)) if s.starts_with("a/index.html: ")));
        let denied = put(
            &Refusing(std::io::ErrorKind::PermissionDenied),
            "b.css",
            b"x",
        );
        assert!(matches!(&denied, Err(ProduceError::System(s)) if s.starts_with("b.css: ")));
        assert!(matches!(Failure::from(full.unwrap_err()), Failure::Full(_)));
    }
}
