//! The **render** stage: turns the derived views into HTML pages (Tera
//! templates of the theme, in Vietnamese and English), SVG charts and the
//! theme's static files, and hands every file to a [`Sink`].

pub mod chart;
pub mod context;
pub mod lists;
pub mod pages;
pub mod rows;
pub mod theme;
pub mod view;

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::derive::Derived;
use crate::markdown;
use crate::model::vocab::{Language, Vocab};
use crate::site::urls::Urls;
use crate::write::Sink;
use pages::{Job, PageMeta, Plan};
use rows::Row;
use view::{Ctx, Link};

pub use crate::site::{CSP, LANGUAGES, format, urls};

/// Something went wrong while rendering (a template error, a full disk).
#[derive(Debug)]
pub struct RenderError {
    pub what: String,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.message)
    }
}

/// What the open-data page lists; `serve` produces it only when asked.
pub trait DataSource: Sync {
    fn datasets(&self) -> &[crate::site::datasets::Dataset];
}

impl DataSource for Vec<crate::site::datasets::Dataset> {
    fn datasets(&self) -> &[crate::site::datasets::Dataset] {
        self
    }
}

/// What other stages tell the pages about (the open-data files).
pub struct Extras<'a> {
    pub data: &'a dyn DataSource,
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

/// Markdown bodies, rendered when first needed and shared by both languages.
struct Bodies {
    conclusions: Vec<OnceLock<Box<str>>>,
    decisions: Vec<OnceLock<Box<str>>>,
    pages: Vec<OnceLock<Box<str>>>,
}

impl Bodies {
    fn new(site: &crate::model::Site) -> Self {
        let cells = |n: usize| (0..n).map(|_| OnceLock::new()).collect();
        Self {
            conclusions: cells(site.conclusions.len()),
            decisions: cells(site.decisions.len()),
            pages: cells(site.pages.len()),
        }
    }
}

fn body<'b>(cell: &'b OnceLock<Box<str>>, markdown_text: &str) -> &'b str {
    // `to_html` builds its result at its own size: no copy needed to keep it.
    cell.get_or_init(|| markdown::to_html(markdown_text).into_boxed_str())
}

/// The pages of a site: what to render and the address of each, with the
/// bodies rendered so far. Owns no borrowed data, so that `serve` can keep it
/// between requests and render pages when they are asked for.
pub struct Pages {
    plan: Plan,
    bodies: Bodies,
    /// Per language, in the order of [`LANGUAGES`].
    rows: Vec<context::Cells>,
    routes: OnceLock<std::collections::HashMap<String, (usize, Job)>>,
}

impl Pages {
    pub fn new(d: &Derived<'_>) -> Self {
        Self {
            plan: pages::plan(d, d.site.config.lists.per_page as usize),
            bodies: Bodies::new(d.site),
            rows: LANGUAGES.iter().map(|_| context::Cells::new(d)).collect(),
            routes: OnceLock::new(),
        }
    }

    /// Every (language, job) of the site.
    pub fn all(&self, compiled: &Compiled) -> Vec<(usize, Job)> {
        (0..compiled.tera.len())
            .flat_map(|l| self.plan.jobs.iter().map(move |j| (l, *j)))
            .collect()
    }

    /// Renders the pages whose jobs `which` accepts, in parallel, into `sink`.
    pub fn write(
        &self,
        d: &Derived<'_>,
        compiled: &Compiled,
        urls: &Urls,
        extras: &Extras<'_>,
        sink: &dyn Sink,
        which: fn(&Job) -> bool,
    ) -> Result<Stats, RenderError> {
        let jobs: Vec<(usize, Job)> = self
            .all(compiled)
            .into_iter()
            .filter(|(_, job)| which(job))
            .collect();
        let bytes = jobs
            .par_iter()
            .map(|job| {
                let (file, html) = self.render(d, compiled, urls, extras, *job)?;
                put(sink, &file, &html)?;
                Ok(html.len() as u64)
            })
            .collect::<Result<Vec<u64>, RenderError>>()?;
        Ok(Stats {
            pages: bytes.len(),
            files: bytes.len(),
            bytes: bytes.iter().sum(),
        })
    }

    /// The job that renders an output file such as `ket-luan/kl-1/index.html`.
    pub fn route(&self, d: &Derived<'_>, compiled: &Compiled, file: &str) -> Option<(usize, Job)> {
        let routes = self.routes.get_or_init(|| {
            self.all(compiled)
                .into_iter()
                .map(|(l, job)| {
                    (
                        urls::file_of(compiled.tera[l].0, &job_path(d, &self.plan, job)),
                        (l, job),
                    )
                })
                .collect()
        });
        routes.get(file).copied()
    }

    /// Renders one page: its output file and HTML.
    pub fn render(
        &self,
        d: &Derived<'_>,
        compiled: &Compiled,
        urls: &Urls,
        extras: &Extras<'_>,
        (l, job): (usize, Job),
    ) -> Result<(String, Vec<u8>), RenderError> {
        let (lang, tera, strings) = &compiled.tera[l];
        let cx = Ctx {
            d,
            lang: *lang,
            t: strings,
            urls,
            new_days: i64::from(d.site.config.publication.min_days_on_portal),
            tera,
            rows: &self.rows[l],
        };
        let (path, html) = render_job(&cx, &self.plan, &self.bodies, extras, job)?;
        Ok((urls::file_of(*lang, &path), html))
    }
}

/// The page path of a job, without rendering it.
fn job_path(d: &Derived<'_>, plan: &Plan, job: Job) -> String {
    let site = d.site;
    match job {
        Job::Home => urls::HOME.into(),
        Job::Conclusion(i) => urls::conclusion(site.conclusions[i].id()),
        Job::Decision(i) => urls::decision(site.decisions[i].id()),
        Job::Agency(i) => urls::agency(site.agencies[i].id.value.as_str()),
        Job::Page(i) => urls::page(site.pages[i].id()),
        Job::List { list, page } => urls::paged(&plan.lists[list].path(), page),
        Job::Overdue { agency, page } => urls::paged(&plan.overdue_list(agency).1, page),
        Job::Recoveries => urls::RECOVERIES.into(),
        Job::Agencies => urls::AGENCIES.into(),
        Job::Search => urls::SEARCH.into(),
        Job::Data => urls::DATA.into(),
        Job::NotFound => "/404.html".into(),
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
    let pages: Vec<Link> = d
        .site
        .pages
        .iter()
        .map(|p| Link {
            label: p.title.0.clone(),
            url: link(&urls::page(p.id())),
        })
        .collect();
    json!({
        "lang": lang.id(),
        "t": t.tree,
        "csp": CSP,
        "as_of": format::date(d.as_of, lang),
        "as_of_iso": d.as_of.to_string(),
        "site": {
            "title": cfg.title.0,
            "description": cfg.description.as_ref().map(|x| x.0.clone()).unwrap_or_default(),
            "publisher": cfg.publisher.as_ref().map(|x| x.0.clone()),
            "base_url": cfg.base_url,
        },
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
    })
}

/// Copies the theme's static files (styles, scripts, the search engine).
pub fn write_statics(files: &theme::Files, sink: &dyn Sink) -> Result<Stats, RenderError> {
    let mut stats = Stats::default();
    for (path, content) in &files.statics {
        put(sink, path, content)?;
        stats.files += 1;
        stats.bytes += content.len() as u64;
    }
    Ok(stats)
}

impl Stats {
    pub fn add(&mut self, other: Stats) {
        self.pages += other.pages;
        self.files += other.files;
        self.bytes += other.bytes;
    }
}

/// A template context with one value under `key`.
fn with<T: Serialize + ?Sized>(key: &'static str, value: &T) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert(key, value);
    ctx
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
        .map_err(|e| RenderError {
            what: format!("{name} ({})", page.path),
            message: error_chain(&e),
        })?;
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

/// Renders one job in one language: its page path and HTML.
fn render_job(
    cx: &Ctx<'_>,
    plan: &Plan,
    bodies: &Bodies,
    extras: &Extras<'_>,
    job: Job,
) -> Result<(String, Vec<u8>), RenderError> {
    let d = cx.d;
    let t = cx.t;
    let one = |path: &str,
               template: &str,
               title: String,
               description: String,
               section: &'static str,
               ctx: tera::Context| {
        let page = PageMeta::new(cx, path, title, description, section);
        render_template(cx.tera, template, &page, ctx).map(|html| (path.to_string(), html))
    };
    match job {
        Job::Home => {
            let home = pages::home(cx, plan)?;
            let desc = d
                .site
                .config
                .description
                .as_ref()
                .map_or_else(|| t.get("home.lead").to_string(), |x| x.0.clone());
            one(
                urls::HOME,
                "index.html",
                t.get("home.title").into(),
                desc,
                "home",
                with("home", &home),
            )
        }
        Job::Conclusion(i) => {
            let c = &d.site.conclusions[i];
            let view = pages::conclusion(cx, i, body(&bodies.conclusions[i], c.source.body()))?;
            one(
                &urls::conclusion(c.id()),
                "conclusion.html",
                format!("{} {}", c.number.value, c.title),
                c.title.0.clone(),
                "conclusions",
                with("c", &view),
            )
        }
        Job::Decision(i) => {
            let x = d.decision(i);
            let view = pages::decision(cx, i, body(&bodies.decisions[i], x.source.body()));
            let title = format!("{} — {}", x.number.value, view.title);
            one(
                &urls::decision(x.id()),
                "decision.html",
                title,
                view.title.clone(),
                "decisions",
                with("d", &view),
            )
        }
        Job::Agency(i) => {
            let a = &d.site.agencies[i];
            let view = pages::agency(cx, plan, i)?;
            let target = format::percent(d.site.config.follow_up.on_time_target, cx.lang);
            let mut ctx = with("a", &view);
            ctx.insert("target", &target);
            one(
                &urls::agency(a.id.value.as_str()),
                "agency.html",
                a.name.0.clone(),
                format!("{}: {}", t.get("agency.scorecard"), a.name),
                "agencies",
                ctx,
            )
        }
        Job::Page(i) => {
            let p = &d.site.pages[i];
            let desc = p
                .description
                .as_ref()
                .map_or_else(|| p.title.0.clone(), |x| x.0.clone());
            one(
                &urls::page(p.id()),
                "page.html",
                p.title.0.clone(),
                desc,
                "pages",
                with("body", body(&bodies.pages[i], p.source.body())),
            )
        }
        Job::List { list, page } => list_page(cx, plan, list, page),
        Job::Overdue { agency, page } => overdue_page(cx, plan, agency, page),
        Job::Recoveries => {
            let view = pages::recoveries(cx);
            one(
                urls::RECOVERIES,
                "recoveries.html",
                t.get("recovery.title").into(),
                t.get("recovery.intro").into(),
                "recoveries",
                with("rec", &view),
            )
        }
        Job::Agencies => {
            let items = pages::agency_items(cx);
            let target = format::percent(d.site.config.follow_up.on_time_target, cx.lang);
            let mut ctx = with("agencies", &items);
            ctx.insert("target", &target);
            one(
                urls::AGENCIES,
                "agency-list.html",
                t.get("agency.list_title").into(),
                t.get("agency.list_intro").into(),
                "agencies",
                ctx,
            )
        }
        Job::Search => {
            let search = json!({
                "base": cx.urls.asset("/search/"),
                "prefix": cx.urls.link(cx.lang, ""),
                "labels": search_labels(t),
            });
            one(
                urls::SEARCH,
                "search.html",
                t.get("search.title").into(),
                t.get("search.intro").into(),
                "search",
                with("search", &search),
            )
        }
        Job::Data => one(
            urls::DATA,
            "data.html",
            t.get("data.title").into(),
            t.get("data.intro").into(),
            "data",
            with("data", &pages::data(cx, extras.data.datasets())),
        ),
        Job::NotFound => one(
            "/404.html",
            "404.html",
            t.get("not_found").into(),
            t.get("not_found_text").into(),
            "",
            tera::Context::new(),
        ),
    }
}

fn paged_title(cx: &Ctx<'_>, title: String, page: usize) -> String {
    if page > 1 {
        format!("{title} — {} {page}", cx.t.get("page_n"))
    } else {
        title
    }
}

/// A page of the overdue list, of every agency or of one.
fn overdue_page(
    cx: &Ctx<'_>,
    plan: &Plan,
    agency: Option<usize>,
    page: usize,
) -> Result<(String, Vec<u8>), RenderError> {
    let (items, base) = plan.overdue_list(agency);
    let mut title = cx.t.get("rec.overdue_title").to_string();
    if let Some(a) = agency {
        title = format!("{title} — {}", cx.agency(&plan.overdue_by[a].0).label);
    }
    let listing = Listing {
        items,
        base,
        title,
        intro_key: "rec.overdue_intro",
        section: "overdue",
        template: "recommendation-list.html",
        row: Row::Overdue,
        filters: pages::overdue_filters(cx, plan, agency),
        overdue: true,
    };
    listing_page(cx, plan, listing, page)
}

fn list_page(
    cx: &Ctx<'_>,
    plan: &Plan,
    list: usize,
    page: usize,
) -> Result<(String, Vec<u8>), RenderError> {
    let l = &plan.lists[list];
    let (title_key, intro_key, section) = pages::family_texts(l.family);
    let mut title = cx.t.get(title_key).to_string();
    if let Some((dim, key)) = &l.filter {
        title = format!("{title} — {}", pages::value_label(cx, *dim, key));
    }
    let (template, row): (_, fn(usize) -> Row) = match l.family {
        lists::Family::Conclusions => ("conclusion-list.html", Row::Conclusion),
        lists::Family::Recommendations => ("recommendation-list.html", Row::Rec),
        lists::Family::Decisions => ("decision-list.html", Row::Decision),
    };
    let listing = Listing {
        items: &l.items,
        base: l.path(),
        title,
        intro_key,
        section,
        template,
        row,
        filters: pages::filters(cx, plan, l),
        overdue: false,
    };
    listing_page(cx, plan, listing, page)
}

/// One paginated list, whichever it is: its items in display order, its
/// address, texts, template, kind of row and filter menus.
struct Listing<'p> {
    items: &'p [usize],
    base: String,
    title: String,
    intro_key: &'static str,
    section: &'static str,
    template: &'static str,
    row: fn(usize) -> Row,
    filters: Vec<pages::FilterGroup>,
    /// Whether the rows are overdue rows (the table's columns differ).
    overdue: bool,
}

/// Page `page` of a list: its slice of rows, the pager and the menus.
fn listing_page(
    cx: &Ctx<'_>,
    plan: &Plan,
    l: Listing<'_>,
    page: usize,
) -> Result<(String, Vec<u8>), RenderError> {
    let title = paged_title(cx, l.title, page);
    let total = l.items.len().div_ceil(plan.per_page).max(1);
    let slice = pages::page_slice(l.items, page, plan.per_page);
    let intro = cx.t.get(l.intro_key).to_string();
    let path = urls::paged(&l.base, page);
    let meta = PageMeta::new(cx, &path, title, intro.clone(), l.section);
    let view = pages::ListView {
        intro,
        count: l.items.len(),
        rows: cx.rows(slice.iter().map(|&i| (l.row)(i)))?,
        pager: pages::pager(cx, &l.base, page, total),
        filters: l.filters,
        overdue: l.overdue,
    };
    render_template(cx.tera, l.template, &meta, with("list", &view)).map(|html| (path, html))
}

/// The labels the search page needs, in one language, as JSON for a data attribute.
fn search_labels(t: &theme::Strings) -> String {
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
        "found",
        "clear",
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
