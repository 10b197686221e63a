//! The browsable lists: every record reachable without JavaScript, filtered by
//! year, sector, agency, status or penalty, each list its records in display
//! order. Which page shows which list, and at what address, is the plan's
//! ([`super::plan`]) and the site's business.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;

use super::Derived;
use crate::model::vocab::{Status, Vocab};

/// The kinds of list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Conclusions,
    Recommendations,
    Decisions,
}

/// What a list can be filtered by. The address of a filtered list and the
/// words of its menu are the site's and the theme's business
/// (`site::urls::segment`, the render stage's labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// The year (of signing, of the conclusion, of the decision).
    Year(Family),
    Sector,
    /// The inspected agency of a conclusion.
    Inspected,
    Status,
    /// The agency answering for a recommendation (the successor of the
    /// one it was given to, once that one ceased to exist).
    Responsible,
    Penalty,
    Track,
    /// The agency that decided a disciplinary decision.
    Authority,
    /// The source of a conclusion (inspection, party inspection, …).
    Source(Family),
}

impl Dimension {
    /// Whether the values are agency ids (labelled by the agency's name).
    pub fn is_agency(self) -> bool {
        matches!(
            self,
            Dimension::Inspected | Dimension::Responsible | Dimension::Authority
        )
    }
}

/// One filtered list: all its items, in display order.
#[derive(Debug, Clone)]
pub struct List {
    pub family: Family,
    pub filter: Option<(Dimension, String)>,
    pub items: Arc<Vec<usize>>,
}

/// The values of each dimension of a family, with their counts.
pub type Values = Vec<(Dimension, Vec<(String, usize)>)>;

/// Every list of a family (unfiltered first), and the values of each dimension
/// with their counts, for the filter menus.
pub struct FamilyLists {
    pub lists: Vec<List>,
    pub values: Values,
}

/// Groups `order` (already sorted for display) by the key `key_of` gives
/// each item. Keys are borrowed or numbers while grouping, so that the
/// hundreds of thousands of items of a large site allocate nothing; only
/// each group's key becomes a `String`.
pub fn group_by<K: Ord + ToString>(
    order: &[usize],
    key_of: impl Fn(usize) -> K,
) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for &i in order {
        out.entry(key_of(i)).or_default().push(i);
    }
    out.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn family(
    family: Family,
    all: Vec<usize>,
    dims: Vec<(Dimension, BTreeMap<String, Vec<usize>>)>,
) -> FamilyLists {
    let mut lists = vec![List {
        family,
        filter: None,
        items: Arc::new(all),
    }];
    let mut values = Vec::new();
    for (dim, groups) in dims {
        let mut counts: Vec<(String, usize)> =
            groups.iter().map(|(k, v)| (k.clone(), v.len())).collect();
        if matches!(dim, Dimension::Year(_)) {
            counts.reverse(); // newest year first
        }
        values.push((dim, counts));
        for (key, items) in groups {
            lists.push(List {
                family,
                filter: Some((dim, key)),
                items: Arc::new(items),
            });
        }
    }
    FamilyLists { lists, values }
}

pub fn conclusions(d: &Derived<'_>) -> FamilyLists {
    let cs = &d.site.conclusions;
    let mut all: Vec<usize> = (0..cs.len()).collect();
    all.sort_by(|&a, &b| {
        cs[b]
            .signed_on
            .cmp(&cs[a].signed_on)
            .then_with(|| cs[a].id().cmp(cs[b].id()))
    });
    let mut dims = vec![(
        Dimension::Year(Family::Conclusions),
        group_by(&all, |i| cs[i].signed_on.year()),
    )];
    if d.several_sources {
        dims.push((
            Dimension::Source(Family::Conclusions),
            group_by(&all, |i| cs[i].origin.id()),
        ));
    }
    dims.extend([
        (Dimension::Sector, group_by(&all, |i| cs[i].sector.id())),
        (
            Dimension::Inspected,
            group_by(&all, |i| cs[i].inspected.value.as_str()),
        ),
    ]);
    family(Family::Conclusions, all, dims)
}

pub fn recommendations(d: &Derived<'_>) -> FamilyLists {
    let cs = &d.site.conclusions;
    // Newest conclusions first; a conclusion's recommendations in their
    // order. Recommendations are stored by conclusion, so sorting the
    // conclusions and taking each one's range gives that order without
    // sorting every recommendation.
    let mut newest: Vec<usize> = (0..cs.len()).collect();
    newest.sort_by_key(|&c| (std::cmp::Reverse(cs[c].signed_on), c));
    let all: Vec<usize> = newest
        .into_iter()
        .flat_map(|c| d.recs_of[c].clone())
        .collect();
    let mut by_status = group_by(&all, |i| d.recs[i].state.status.id());
    for s in Status::ALL {
        by_status.entry(s.id().to_string()).or_default();
    }
    let mut dims = vec![(Dimension::Status, by_status)];
    if d.several_sources {
        dims.push((
            Dimension::Source(Family::Recommendations),
            group_by(&all, |i| cs[d.recs[i].conclusion].origin.id()),
        ));
    }
    dims.extend([
        (
            Dimension::Responsible,
            group_by(&all, |i| d.recs[i].answering),
        ),
        (
            Dimension::Year(Family::Recommendations),
            group_by(&all, |i| cs[d.recs[i].conclusion].signed_on.year()),
        ),
    ]);
    family(Family::Recommendations, all, dims)
}

pub fn decisions(d: &Derived<'_>) -> FamilyLists {
    let ds = &d.site.decisions;
    let mut all: Vec<usize> = (0..ds.len()).collect();
    all.sort_by(|&a, &b| {
        ds[b]
            .decided_on
            .cmp(&ds[a].decided_on)
            .then_with(|| ds[a].id().cmp(ds[b].id()))
    });
    let dims = vec![
        (
            Dimension::Year(Family::Decisions),
            group_by(&all, |i| ds[i].decided_on.year()),
        ),
        (Dimension::Penalty, group_by(&all, |i| ds[i].penalty.id())),
        (Dimension::Track, group_by(&all, |i| ds[i].track.id())),
        (
            Dimension::Authority,
            group_by(&all, |i| ds[i].authority.value.as_str()),
        ),
    ];
    family(Family::Decisions, all, dims)
}
