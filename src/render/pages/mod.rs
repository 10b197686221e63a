//! Every page of the site, one file per family. Each family turns a job of
//! the plan into a [`Page`]: its address, template, texts and the data its
//! template gets. Rendering it into bytes is [`super`]'s.

pub mod agency;
pub mod changes;
pub mod conclusion;
pub mod data;
pub mod decision;
pub mod documents;
pub mod home;
pub mod lists;
pub mod menus;
pub mod meta;
pub mod recoveries;
pub mod search;

use serde::Serialize;

use super::context::Ctx;
use super::{Bodies, Datasets, RenderError, urls};
use crate::derive::Derived;
use crate::derive::plan::{Job, Plan};
use crate::model::vocab::Language;

/// The part of the site a page belongs to: it marks the navigation and
/// chooses the feeds the page announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Conclusions,
    Recommendations,
    Overdue,
    Decisions,
    Recoveries,
    Agencies,
    Search,
    Data,
    Changes,
    Pages,
    /// The 404 page, of no section.
    None,
}

impl Section {
    /// The id templates compare with (`page.section == "conclusions"`).
    pub fn id(self) -> &'static str {
        match self {
            Section::Home => "home",
            Section::Conclusions => "conclusions",
            Section::Recommendations => "recommendations",
            Section::Overdue => "overdue",
            Section::Decisions => "decisions",
            Section::Recoveries => "recoveries",
            Section::Agencies => "agencies",
            Section::Search => "search",
            Section::Data => "data",
            Section::Changes => "changes",
            Section::Pages => "pages",
            Section::None => "",
        }
    }
}

/// One page, ready to render. Its address is the plan's ([`path`]).
pub struct Page {
    pub template: &'static str,
    pub title: String,
    pub description: String,
    pub section: Section,
    /// The agency a page is about, whose feed it announces.
    pub agency: Option<String>,
    pub context: tera::Context,
}

impl Page {
    pub fn new(
        template: &'static str,
        title: String,
        description: String,
        section: Section,
    ) -> Self {
        Page {
            template,
            title,
            description,
            section,
            agency: None,
            context: tera::Context::new(),
        }
    }

    /// Adds a value the template reads as `key`.
    pub fn with<T: Serialize + ?Sized>(mut self, key: &'static str, value: &T) -> Self {
        self.context.insert(key, value);
        self
    }
}

/// The address of a job's page, without making the page. `plan` is asked
/// for only by the pages whose address depends on it (lists), so that a
/// record's address is found without making the plan.
pub fn path<'p>(d: &Derived<'_>, plan: impl FnOnce() -> &'p Plan, job: Job) -> String {
    let site = d.site;
    match job {
        Job::Home => urls::HOME.into(),
        Job::Conclusion(i) => urls::conclusion(site.conclusions[i].id()),
        Job::Decision(i) => urls::decision(site.decisions[i].id()),
        Job::Agency(i) => urls::agency(site.agencies[i].id.value.as_str()),
        Job::AgencyYear { agency, year } => {
            urls::agency_year(site.agencies[agency].id.value.as_str(), year)
        }
        Job::Handovers => urls::HANDOVERS.into(),
        Job::Changes { kind, page } => urls::paged(
            &urls::changes(
                kind.and_then(|k| crate::derive::history::Kind::FILTERS.get(k))
                    .map(|k| k.id()),
            ),
            page,
        ),
        Job::Page(i) => urls::page(site.pages[i].id()),
        Job::List { list, page } => urls::paged(&urls::list(&plan().lists[list]), page),
        Job::Overdue { agency, page } => {
            urls::paged(&urls::overdue(plan().overdue_list(agency).1), page)
        }
        Job::Recoveries => urls::RECOVERIES.into(),
        Job::Agencies => urls::AGENCIES.into(),
        Job::Search => urls::SEARCH.into(),
        Job::Data => urls::DATA.into(),
        Job::NotFound => "/404.html".into(),
    }
}

/// The page of a job in the language of `cx`; `plan` is asked for as in
/// [`path`].
pub fn page<'p>(
    cx: &Ctx<'_>,
    plan: impl FnOnce() -> &'p Plan,
    bodies: &Bodies,
    datasets: &dyn Datasets,
    job: Job,
) -> Result<Page, RenderError> {
    let t = cx.t;
    Ok(match job {
        Job::Home => home::page(cx, plan())?,
        Job::Conclusion(i) => conclusion::page(cx, i, bodies)?,
        Job::Decision(i) => decision::page(cx, i, bodies)?,
        Job::Agency(i) => agency::page(cx, plan(), i)?,
        Job::AgencyYear { agency, year } => agency::year_page(cx, agency, year)?,
        Job::Handovers => agency::handovers_page(cx)?,
        Job::Changes { kind, page } => changes::page(cx, plan(), kind, page),
        Job::Agencies => agency::list_page(cx),
        Job::Page(i) => {
            let p = &cx.d.site.pages[i];
            let english = p.title_en.as_ref().filter(|_| cx.lang == Language::En);
            let title = english.unwrap_or(&p.title).0.clone();
            let desc = p
                .description
                .as_ref()
                .map_or_else(|| title.clone(), |x| x.0.clone());
            Page::new("page.html", title, desc, Section::Pages)
                .with("body", &*bodies.page(cx.d.site, i)?)
                .with("page_vi", &english.is_none())
        }
        Job::List { list, page } => lists::page(cx, plan(), list, page)?,
        Job::Overdue { agency, page } => lists::overdue_page(cx, plan(), agency, page)?,
        Job::Recoveries => recoveries::page(cx),
        Job::Search => search::page(cx),
        Job::Data => data::page(cx, datasets.datasets()),
        Job::NotFound => Page::new(
            "404.html",
            t.get("not_found").into(),
            t.get("not_found_text").into(),
            Section::None,
        ),
    })
}
