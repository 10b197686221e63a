//! The **render** stage: turns the derived views into HTML pages (Tera
//! templates of the theme, in Vietnamese and English), SVG charts and the
//! theme's static files, and hands every file to a [`Sink`].

pub mod chart;
pub mod context;
pub mod figures;
pub mod pages;
pub mod rows;
pub mod theme;
pub mod view;

use crate::diag::Code;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::derive::Derived;
use crate::derive::plan::{self, Job, Plan};
use crate::markdown;
use crate::model::Site;
use crate::model::record::Source;
use crate::model::vocab::{Language, Vocab};
use crate::site::datasets::Dataset;
use crate::site::urls::Urls;
use crate::source::Changed;
use crate::write::Sink;
use context::Ctx;
use pages::meta::PageMeta;

pub use crate::site::{CSP, LANGUAGES, format, urls};

/// Something went wrong while rendering (a template error, a full disk).
#[derive(Debug)]
pub struct RenderError {
    pub what: String,
    pub message: String,
    /// For an error in a template: the diagnostic that names its file and
    /// line, as `check` would print it and `serve` shows it.
    pub template: Option<Box<crate::diag::Diagnostic>>,
}

/// A record whose file changed after it was checked.
impl From<Changed> for RenderError {
    fn from(c: Changed) -> Self {
        RenderError {
            what: c.0.clone(),
            message: c.to_string(),
            template: None,
        }
    }
}

impl RenderError {
    fn of(what: String, e: &tera::Error) -> Self {
        RenderError {
            template: template_error(e).map(Box::new),
            message: error_chain(e),
            what,
        }
    }
}

/// The diagnostic of an error a template made: its file, line and message.
fn template_error(e: &(dyn std::error::Error + 'static)) -> Option<crate::diag::Diagnostic> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        if let Some(tera_err) = err.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::RenderingError(report) | tera::ErrorKind::SyntaxError(report) =
                tera_err.kind()
        {
            let span = report.span();
            let file = format!("templates/{}", report.filename());
            let line = u32::try_from(span.start_line).unwrap_or(0);
            let column = u32::try_from(span.start_col + 1).unwrap_or(0);
            return Some(
                crate::diag::Diagnostic::for_path(
                    crate::diag::Severity::Error,
                    Code::Template,
                    &file,
                    crate::diag::msg(
                        format!("Lỗi mẫu giao diện: {}", report.message()),
                        format!("template error: {}", report.message()),
                    ),
                )
                .at_line(line, column),
            );
        }
        current = err.source();
    }
    None
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.message)
    }
}

/// Where the open-data page finds the datasets it lists: the export stage
/// makes them (see `produce`), and the page waits for them if it must.
pub trait Datasets: Sync {
    fn datasets(&self) -> &[Dataset];
}

impl Datasets for Vec<Dataset> {
    fn datasets(&self) -> &[Dataset] {
        self
    }
}

/// What was produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
}

/// The compiled theme for both languages.
pub struct Compiled {
    tera: Vec<(Language, tera::Tera, theme::Strings)>,
}

/// Markdown bodies, rendered when first needed, shared by both languages,
/// then let go. A build renders each record's page once per language:
/// keeping every body's HTML to the end held about as much memory as the
/// source text itself (13 MB of a 10 000-record build's 80 MB). If a body
/// is asked for again (`serve`), it is rendered again, to the same bytes.
pub struct Bodies {
    conclusions: Vec<Body>,
    decisions: Vec<Body>,
    pages: Vec<Body>,
}

/// One body's HTML while it is shared, and how many pages have taken it.
#[derive(Default)]
struct Body(Mutex<(Option<Arc<str>>, usize)>);

impl Bodies {
    fn new(site: &crate::model::Site) -> Self {
        let cells = |n: usize| (0..n).map(|_| Body::default()).collect();
        Self {
            conclusions: cells(site.conclusions.len()),
            decisions: cells(site.decisions.len()),
            pages: cells(site.pages.len()),
        }
    }

    /// The HTML of conclusion `i`'s body.
    pub fn conclusion(&self, site: &Site, i: usize) -> Result<Arc<str>, Changed> {
        self.conclusions[i].html(site, &site.conclusions[i].source)
    }

    pub fn decision(&self, site: &Site, i: usize) -> Result<Arc<str>, Changed> {
        self.decisions[i].html(site, &site.decisions[i].source)
    }

    pub fn page(&self, site: &Site, i: usize) -> Result<Arc<str>, Changed> {
        self.pages[i].html(site, &site.pages[i].source)
    }
}

impl Body {
    /// Rendered under the lock, so that two languages asking at once render
    /// it once; rendering waits on nothing else, so it cannot deadlock.
    fn html(&self, site: &Site, source: &Source) -> Result<Arc<str>, Changed> {
        let mut shared = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (kept, taken) = &mut *shared;
        let html = match kept {
            Some(html) => html.clone(),
            None => kept
                .insert(markdown::to_html(&site.body(source)?).into())
                .clone(),
        };
        *taken += 1;
        if *taken % LANGUAGES.len() == 0 {
            *kept = None;
        }
        Ok(html)
    }
}

/// How many list pages are written at once (see [`Pages::write`]).
const LIST_BATCH: usize = 256;

/// A page to render: the index of its language, and its job.
type Task = (usize, Job);

/// The pages of a site: what to render and the address of each, with the
/// bodies rendered so far. Owns no borrowed data, so that `serve` can keep it
/// between requests and render pages when they are asked for.
pub struct Pages {
    /// Made when first needed: a record's own page does not need it, and
    /// after an edit `serve` is first asked for the edited record's page
    /// (the plan took 230 ms at 100 000 records).
    plan: OnceLock<Plan>,
    bodies: Bodies,
    /// Per language, in the order of [`LANGUAGES`].
    rows: Vec<context::Cells>,
    routes: OnceLock<std::collections::HashMap<String, (usize, Job)>>,
}

impl Pages {
    pub fn new(d: &Derived<'_>) -> Self {
        Self {
            plan: OnceLock::new(),
            bodies: Bodies::new(d.site),
            rows: LANGUAGES
                .iter()
                .map(|_| context::Cells::default())
                .collect(),
            routes: OnceLock::new(),
        }
    }

    /// The plan of every page of `d`, the site these pages were made for.
    pub fn plan(&self, d: &Derived<'_>) -> &Plan {
        self.plan
            .get_or_init(|| plan::plan(d, d.site.config.lists.per_page as usize))
    }

    /// Every page's output file.
    pub fn files(&self, d: &Derived<'_>, compiled: &Compiled) -> Vec<String> {
        self.all(d, compiled)
            .into_iter()
            .map(|(l, job)| {
                urls::file_of(compiled.tera[l].0, &pages::path(d, || self.plan(d), job))
            })
            .collect()
    }

    /// Every (language, job) of the site.
    pub fn all(&self, d: &Derived<'_>, compiled: &Compiled) -> Vec<(usize, Job)> {
        let jobs = &self.plan(d).jobs;
        (0..compiled.tera.len())
            .flat_map(|l| jobs.iter().map(move |j| (l, *j)))
            .collect()
    }

    /// Renders every page, in parallel, into `sink`.
    pub fn write(
        &self,
        d: &Derived<'_>,
        compiled: &Compiled,
        urls: &Urls,
        datasets: &dyn Datasets,
        sink: &dyn Sink,
    ) -> Result<Stats, RenderError> {
        let plan = self.plan(d);
        let uses = Arc::new(rows::uses(d, plan));
        for cells in &self.rows {
            cells.count(uses.clone());
        }
        let ranks = rows::Ranks::new(d, plan);
        let mut lists = Vec::new();
        let mut first = Vec::new();
        let mut last = Vec::new();
        for (l, job) in self.all(d, compiled) {
            match (job, ranks.of(plan, job)) {
                // The open-data page waits for the open data, which another
                // thread makes meanwhile: render it last, so that no thread
                // of the pool waits while pages remain to render.
                (Job::Data, _) => last.push((l, job)),
                (_, Some(rank)) => lists.push((rank, l, job)),
                (_, None) => first.push((l, job)),
            }
        }
        drop(ranks);
        lists.sort_unstable_by_key(|&(rank, l, _)| (rank, l));
        let lists: Vec<Task> = lists.into_iter().map(|(_, l, job)| (l, job)).collect();
        // The list pages a few at a time in their rows' order, so that the
        // two threads stay close together in that order (see `rows::Ranks`).
        let batches = std::iter::once(&first[..])
            .chain(lists.chunks(LIST_BATCH))
            .chain(std::iter::once(&last[..]));
        let mut bytes = Vec::with_capacity(first.len() + lists.len() + last.len());
        for jobs in batches {
            bytes.extend(
                jobs.par_iter()
                    .map(|job| {
                        let (file, html) = self.render(d, compiled, urls, datasets, *job)?;
                        put(sink, &file, &html)?;
                        Ok(html.len() as u64)
                    })
                    .collect::<Result<Vec<u64>, RenderError>>()?,
            );
        }
        Ok(Stats {
            pages: bytes.len(),
            files: bytes.len(),
            bytes: bytes.iter().sum(),
        })
    }

    /// The job that renders an output file such as `ket-luan/kl-1/index.html`.
    pub fn route(&self, d: &Derived<'_>, compiled: &Compiled, file: &str) -> Option<(usize, Job)> {
        if let Some(found) = self.record_route(d, compiled, file) {
            return Some(found);
        }
        let routes = self.routes.get_or_init(|| {
            self.all(d, compiled)
                .into_iter()
                .map(|(l, job)| {
                    let path = pages::path(d, || self.plan(d), job);
                    (urls::file_of(compiled.tera[l].0, &path), (l, job))
                })
                .collect()
        });
        routes.get(file).copied()
    }

    /// A record's page, found by the id in its address without the table of
    /// every address: `serve` is first asked for the page just edited, and
    /// at 100 000 records that table took longer to make than the page.
    /// The address the job would have is compared with `file`, so this
    /// finds exactly what the table would.
    fn record_route(
        &self,
        d: &Derived<'_>,
        compiled: &Compiled,
        file: &str,
    ) -> Option<(usize, Job)> {
        let (_, id) = file.strip_suffix("/index.html")?.rsplit_once('/')?;
        let jobs = [
            d.conclusion_index.get(id).map(|&i| Job::Conclusion(i)),
            d.decision_index.get(id).map(|&i| Job::Decision(i)),
        ];
        // A record's address does not need the plan.
        let path_of = |job| pages::path(d, || self.plan(d), job);
        jobs.into_iter().flatten().find_map(|job| {
            let path = path_of(job);
            (0..compiled.tera.len())
                .find(|&l| urls::file_of(compiled.tera[l].0, &path) == file)
                .map(|l| (l, job))
        })
    }

    /// Renders one page: its output file and HTML.
    pub fn render(
        &self,
        d: &Derived<'_>,
        compiled: &Compiled,
        urls: &Urls,
        datasets: &dyn Datasets,
        (l, job): (usize, Job),
    ) -> Result<(String, Vec<u8>), RenderError> {
        let (lang, tera, strings) = &compiled.tera[l];
        let cx = Ctx {
            d,
            lang: *lang,
            t: strings,
            urls,
            new_days: d
                .site
                .law
                .publication(d.as_of)
                .map_or(0, |p| i64::from(p.min_days_on_portal)),
            tera,
            rows: &self.rows[l],
        };
        let path = pages::path(d, || self.plan(d), job);
        let page = pages::page(&cx, || self.plan(d), &self.bodies, datasets, job)?;
        let meta = PageMeta::new(&cx, &path, &page);
        let html = render_template(tera, page.template, &meta, page.context)?;
        Ok((urls::file_of(*lang, &path), html))
    }
}

fn globals(d: &Derived<'_>, urls: &Urls, lang: Language, t: &theme::Strings) -> Value {
    let cfg = &d.site.config;
    let link = |p: &str| urls.link(lang, p);
    let sections = [
        ("home", "nav.home", urls::HOME),
        ("conclusions", "nav.conclusions", urls::CONCLUSIONS),
        (
            "recommendations",
            "nav.recommendations",
            urls::RECOMMENDATIONS,
        ),
        ("overdue", "nav.overdue", urls::OVERDUE),
        ("decisions", "nav.decisions", urls::DECISIONS),
        ("recoveries", "nav.recoveries", urls::RECOVERIES),
        ("agencies", "nav.agencies", urls::AGENCIES),
        ("data", "nav.data", urls::DATA),
        ("search", "nav.search", urls::SEARCH),
    ];
    // On the English side, what has no English version shows in
    // Vietnamese and says so (`lang="vi"`, WCAG 3.1.2).
    let en = lang == Language::En;
    let english =
        |vi: &crate::model::read::Text, en_text: &Option<crate::model::read::Text>| match en_text
            .as_ref()
            .filter(|_| en)
        {
            Some(x) => (x.0.clone(), false),
            None => (vi.0.clone(), en),
        };
    let pages: Vec<Value> = d
        .site
        .pages
        .iter()
        .map(|p| {
            let (label, vi) = english(&p.title, &p.title_en);
            json!({"label": label, "url": link(&urls::page(p.id())), "vi": vi})
        })
        .collect();
    let (title, title_vi) = english(&cfg.title, &cfg.title_en);
    let publisher = cfg
        .publisher
        .as_ref()
        .map(|p| english(p, &cfg.publisher_en));
    let description = cfg
        .description
        .as_ref()
        .map(|p| english(p, &cfg.description_en));
    json!({
        "lang": lang.id(),
        "t": t.tree,
        "csp": CSP,
        "as_of": format::date(d.as_of, lang),
        "as_of_iso": d.as_of.to_string(),
        "site": {
            "title": title,
            "title_vi": title_vi,
            "description": description.as_ref().map(|x| x.0.clone()).unwrap_or_default(),
            "publisher": publisher.as_ref().map(|x| x.0.clone()),
            "publisher_vi": publisher.as_ref().is_some_and(|x| x.1),
            "base_url": cfg.base_url,
        },
        // Added to an element that holds the site's own (Vietnamese) text.
        "vi_attr": if en { " lang=\"vi\"" } else { "" },
        "nav": {
            "home": link(urls::HOME),
            "conclusions": link(urls::CONCLUSIONS),
            "recommendations": link(urls::RECOMMENDATIONS),
            "overdue": link(urls::OVERDUE),
            "decisions": link(urls::DECISIONS),
            "recoveries": link(urls::RECOVERIES),
            "agencies": link(urls::AGENCIES),
            "search": link(urls::SEARCH),
            "data": link(urls::DATA),
            "changes": link(urls::CHANGES),
            // Where every figure's definition is explained, when the site has that page.
            "methodology": d.site.pages.iter().any(|p| p.id() == cfg.methodology).then(|| link(&urls::page(&cfg.methodology))),
            "handovers": (!d.handovers.is_empty()).then(|| link(urls::HANDOVERS)),
            "assets": urls.asset("/assets"),
            "sections": sections.iter().map(|(id, key, path)| json!({"id": id, "label": t.get(key), "url": link(path)})).collect::<Vec<_>>(),
            "pages": pages,
        },
    })
}

impl Compiled {
    /// The interface strings of a language.
    pub fn strings(&self, lang: Language) -> &theme::Strings {
        &self
            .tera
            .iter()
            .find(|(l, _, _)| *l == lang)
            .unwrap_or(&self.tera[0])
            .2
    }

    pub fn new(
        d: &Derived<'_>,
        files: &theme::Files,
        urls: &Urls,
    ) -> Result<Self, Box<crate::diag::Diagnostic>> {
        let mut tera = Vec::new();
        for lang in LANGUAGES {
            let strings = theme::strings(files, lang);
            let g = globals(d, urls, lang, &strings);
            tera.push((lang, theme::compile(files, &g)?, strings));
        }
        Ok(Self { tera })
    }
}

/// Writes one output file into `sink`; an error names the file.
fn put(sink: &dyn Sink, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
    sink.put(path, bytes).map_err(|e| RenderError {
        what: path.to_string(),
        message: e.to_string(),
        template: None,
    })
}

impl Stats {
    pub fn add(&mut self, other: Stats) {
        self.pages += other.pages;
        self.files += other.files;
        self.bytes += other.bytes;
    }
}

fn render_template(
    tera: &tera::Tera,
    name: &str,
    page: &PageMeta,
    mut ctx: tera::Context,
) -> Result<Vec<u8>, RenderError> {
    ctx.insert("page", page);
    // Rendered straight into bytes: the output is written as bytes, so there
    // is no need to check it back into a `String`.
    let mut out = Vec::with_capacity(16 * 1024);
    tera.render_to(name, &ctx, &mut out)
        .map_err(|e| RenderError::of(format!("{name} ({})", page.path), &e))?;
    Ok(out)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample portal as of the day the tests use, and its theme.
    fn sample() -> (crate::model::Site, theme::Files) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let raw = crate::load::load(root);
        let (site, _) =
            crate::model::build(&raw, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let files = theme::files(root, &site.config.theme, &mut Vec::new());
        (site, files)
    }

    /// The sample portal's derived site, compiled theme, local addresses
    /// and pages, for `test`.
    fn with_pages(test: impl FnOnce(&Derived<'_>, &Compiled, &Urls, &Pages)) {
        let (site, files) = sample();
        let d = Derived::new(&site);
        let urls = Urls::local();
        let compiled = Compiled::new(&d, &files, &urls).expect("the theme compiles");
        test(&d, &compiled, &urls, &Pages::new(&d));
    }

    #[test]
    fn a_body_is_shared_by_the_languages_then_let_go() {
        // The loaded files are gone once `sample` returns: the body is read
        // again from the sample's folder.
        let (site, _) = sample();
        let source = &site.conclusions[0].source;
        let body = Body::default();
        let first = body.html(&site, source).unwrap();
        for _ in 1..LANGUAGES.len() {
            let same = body.html(&site, source).unwrap();
            assert!(Arc::ptr_eq(&first, &same), "rendered once");
        }
        assert!(body.0.lock().unwrap().0.is_none(), "let go after the last");
        let again = body.html(&site, source).unwrap();
        assert!(
            !Arc::ptr_eq(&first, &again),
            "rendered again when asked again"
        );
        assert_eq!(first, again);
        let markdown = site.body(source).unwrap();
        assert!(markdown.len() > 100, "a real body");
        assert_eq!(&*again, markdown::to_html(&markdown));
    }

    /// The shortcut for records' pages finds exactly what the table of every
    /// address finds, for every page of the sample portal.
    #[test]
    fn every_address_leads_to_its_own_page() {
        let (site, files) = sample();
        let d = Derived::new(&site);
        let compiled = Compiled::new(&d, &files, &Urls::local()).expect("the theme compiles");
        let pages = Pages::new(&d);
        let mut records = 0;
        for (l, job) in pages.all(&d, &compiled) {
            let file = urls::file_of(compiled.tera[l].0, &pages::path(&d, || pages.plan(&d), job));
            assert_eq!(pages.route(&d, &compiled, &file), Some((l, job)), "{file}");
            let shortcut = pages.record_route(&d, &compiled, &file);
            if matches!(job, Job::Conclusion(_) | Job::Decision(_)) {
                assert_eq!(shortcut, Some((l, job)), "{file}");
                records += 1;
            } else {
                assert_eq!(shortcut, None, "{file}");
            }
        }
        assert_eq!(
            records,
            compiled.tera.len() * (site.conclusions.len() + site.decisions.len())
        );
        assert!(records > 0);
        assert_eq!(
            pages.route(&d, &compiled, "ket-luan/khong-co/index.html"),
            None
        );
    }

    /// A build renders each row of the list pages once per language and
    /// keeps none of them at the end: the uses were counted right.
    #[test]
    fn a_build_renders_each_listed_row_once_and_keeps_none() {
        with_pages(|d, compiled, urls, pages| {
            each_listed_row_rendered_once(d, compiled, urls, pages);
        });
    }

    fn each_listed_row_rendered_once(
        d: &Derived<'_>,
        compiled: &Compiled,
        urls: &Urls,
        pages: &Pages,
    ) {
        let datasets: Vec<crate::site::datasets::Dataset> = Vec::new();
        let sink = crate::write::Memory::default();
        pages.write(d, compiled, urls, &datasets, &sink).unwrap();
        let uses = rows::uses(d, pages.plan(d));
        let listed = uses.iter().flatten().filter(|&&n| n > 0).count();
        let several = uses.iter().flatten().filter(|&&n| n > 1).count();
        assert!(several > 0, "rows shown on several list pages");
        for cells in &pages.rows {
            assert_eq!(cells.kept(), 0, "rows kept after the build");
            assert_eq!(cells.listed_renders(), listed);
        }
        // The same pages rendered one at a time, every row kept (`serve`).
        let one_by_one = Pages::new(d);
        let files = sink.files.into_inner().unwrap();
        for job in one_by_one.all(d, compiled) {
            let (file, html) = one_by_one
                .render(d, compiled, urls, &datasets, job)
                .unwrap();
            assert!(files[&file] == html, "{file}");
        }
    }

    /// A record's page is found and rendered without the plan of every
    /// page, the scorecards, the events or the totals (what `serve` renders
    /// first after an edit); the home page makes them.
    #[test]
    fn a_records_page_does_not_make_the_plan_or_the_sites_figures() {
        with_pages(|d, compiled, urls, pages| {
            a_records_page_alone(d, compiled, urls, pages);
        });
    }

    fn a_records_page_alone(d: &Derived<'_>, compiled: &Compiled, urls: &Urls, pages: &Pages) {
        let site = d.site;
        let datasets: Vec<crate::site::datasets::Dataset> = Vec::new();
        let file = urls::file_of(LANGUAGES[0], &urls::conclusion(site.conclusions[0].id()));
        let job = pages.route(d, compiled, &file).expect("the record's page");
        let (written, html) = pages.render(d, compiled, urls, &datasets, job).unwrap();
        assert_eq!(written, file);
        assert!(!html.is_empty());
        assert!(
            pages.plan.get().is_none(),
            "the plan was made for a record's page"
        );
        assert_eq!(d.made_later(), [false; 3]);
        pages
            .render(d, compiled, urls, &datasets, (0, Job::Home))
            .unwrap();
        assert!(pages.plan.get().is_some());
        assert_eq!(d.made_later(), [true; 3]);
    }
}
