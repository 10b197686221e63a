//! The plan of the site: every page to render, as a job that does not
//! depend on the language, and the lists those pages show — sorted,
//! grouped and filtered here, so that rendering only turns them into bytes.

use std::sync::Arc;

use super::Derived;
use super::lists::{self, Family, List};

/// What to render. Jobs do not depend on the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    Conclusion(usize),
    Decision(usize),
    Agency(usize),
    /// The scorecard of agency `agency` for one year.
    AgencyYear {
        agency: usize,
        year: i32,
    },
    Page(usize),
    /// Page `page` (from 1) of list `list` of the plan.
    List {
        list: usize,
        page: usize,
    },
    /// Page `page` of the overdue list, of all agencies or of the agency
    /// `agency` (an index into [`Plan::overdue_by`]).
    Overdue {
        agency: Option<usize>,
        page: usize,
    },
    Recoveries,
    Agencies,
    Handovers,
    /// Page `page` of the change log, of every kind or of the kind
    /// `kind` (an index into [`super::history::Kind::FILTERS`]).
    Changes {
        kind: Option<usize>,
        page: usize,
    },
    Search,
    Data,
    NotFound,
}

/// The lists and the jobs of a site.
pub struct Plan {
    pub lists: Vec<List>,
    pub values: Vec<(Family, lists::Values)>,
    pub overdue: Arc<Vec<usize>>,
    /// The overdue list of each responsible agency that has overdue
    /// recommendations, sorted by agency id, each most overdue first.
    pub overdue_by: Vec<(String, Vec<usize>)>,
    /// Each of those agencies with its count, for the overdue list's menu.
    pub overdue_values: Vec<(String, usize)>,
    pub per_page: usize,
    pub jobs: Vec<Job>,
    /// Conclusions, most recently published first.
    pub latest_conclusions: Vec<usize>,
    /// Decisions, most recently published first.
    pub latest_decisions: Vec<usize>,
}

fn pages_for(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

pub fn plan(d: &Derived<'_>, per_page: usize) -> Plan {
    // The families' lists and the overdue list are independent sorts of
    // every record, built two at a time (168 ms on one core at 100 000).
    let ((conclusions, recommendations), (decisions, overdue)) = rayon::join(
        || rayon::join(|| lists::conclusions(d), || lists::recommendations(d)),
        || rayon::join(|| lists::decisions(d), || d.overdue()),
    );
    let mut lists = Vec::new();
    let mut values = Vec::new();
    for (family, fl) in [
        (Family::Conclusions, conclusions),
        (Family::Recommendations, recommendations),
        (Family::Decisions, decisions),
    ] {
        lists.extend(fl.lists);
        values.push((family, fl.values));
    }
    let overdue = Arc::new(overdue);
    let site = d.site;
    let mut jobs = vec![
        Job::Home,
        Job::Recoveries,
        Job::Agencies,
        Job::Handovers,
        Job::Search,
        Job::Data,
        Job::NotFound,
    ];
    jobs.extend((0..site.conclusions.len()).map(Job::Conclusion));
    jobs.extend((0..site.decisions.len()).map(Job::Decision));
    jobs.extend((0..site.agencies.len()).map(Job::Agency));
    for (agency, card) in d.cards().iter().enumerate() {
        jobs.extend(
            card.by_year
                .keys()
                .map(|&year| Job::AgencyYear { agency, year }),
        );
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (i, l) in lists.iter().enumerate() {
        for page in 1..=pages_for(l.items.len(), per_page) {
            jobs.push(Job::List { list: i, page });
        }
    }
    for page in 1..=pages_for(overdue.len(), per_page) {
        jobs.push(Job::Overdue { agency: None, page });
    }
    let events = d.history.newest_first(None).len();
    for page in 1..=pages_for(events, per_page) {
        jobs.push(Job::Changes { kind: None, page });
    }
    for (k, &kind) in super::history::Kind::FILTERS.iter().enumerate() {
        let n = d.history.count(kind);
        for page in (1..=pages_for(n, per_page)).filter(|_| n > 0) {
            jobs.push(Job::Changes {
                kind: Some(k),
                page,
            });
        }
    }
    let overdue_by: Vec<(String, Vec<usize>)> = lists::group_by(&overdue, |r| d.recs[r].answering)
        .into_iter()
        .collect();
    let overdue_values = overdue_by
        .iter()
        .map(|(id, items)| (id.clone(), items.len()))
        .collect();
    for (a, (_, items)) in overdue_by.iter().enumerate() {
        for page in 1..=pages_for(items.len(), per_page) {
            jobs.push(Job::Overdue {
                agency: Some(a),
                page,
            });
        }
    }
    Plan {
        lists,
        values,
        overdue,
        overdue_by,
        overdue_values,
        per_page,
        jobs,
        latest_conclusions: latest_conclusions(d),
        latest_decisions: latest_decisions(d),
    }
}

impl Plan {
    /// The overdue list of the responsible agency `id` (empty if it has none).
    pub fn overdue_items(&self, id: &str) -> &[usize] {
        self.overdue_by
            .binary_search_by(|(k, _)| k.as_str().cmp(id))
            .map_or(&[], |a| &self.overdue_by[a].1)
    }

    /// The items of the overdue list of `agency` (an index into
    /// `overdue_by`), or of every agency, and that agency's id.
    pub fn overdue_list(&self, agency: Option<usize>) -> (&[usize], Option<&str>) {
        match agency {
            None => (&self.overdue, None),
            Some(a) => {
                let (id, items) = &self.overdue_by[a];
                (items, Some(id))
            }
        }
    }

    /// How many pages a list of `n` items has.
    pub fn pages(&self, n: usize) -> usize {
        pages_for(n, self.per_page)
    }

    /// The items on page `page` (from 1) of a list.
    pub fn page_slice<'i>(&self, items: &'i [usize], page: usize) -> &'i [usize] {
        let start = ((page - 1) * self.per_page).min(items.len());
        &items[start..(start + self.per_page).min(items.len())]
    }
}

/// Conclusions, most recently published first (then by id).
fn latest_conclusions(d: &Derived<'_>) -> Vec<usize> {
    let cs = &d.site.conclusions;
    let mut latest: Vec<usize> = (0..cs.len()).collect();
    latest.sort_by(|&a, &b| {
        cs[b]
            .published_on
            .cmp(&cs[a].published_on)
            .then_with(|| cs[a].id().cmp(cs[b].id()))
    });
    latest
}

/// Decisions, most recently published first (then by id).
fn latest_decisions(d: &Derived<'_>) -> Vec<usize> {
    let ds = &d.site.decisions;
    let mut latest: Vec<usize> = (0..ds.len()).collect();
    latest.sort_by(|&a, &b| {
        ds[b]
            .published_on
            .cmp(&ds[a].published_on)
            .then_with(|| ds[a].id().cmp(ds[b].id()))
    });
    latest
}
