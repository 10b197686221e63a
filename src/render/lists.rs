//! The browsable lists: every record reachable without JavaScript, filtered by
//! year, sector, agency, status or penalty as separate static pages, and
//! paginated at stable addresses.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;

use super::urls;
use crate::derive::Derived;
use crate::model::vocab::{Status, Vocab};

/// The kinds of list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Conclusions,
    Recommendations,
    Decisions,
}

/// A filter dimension of a family: its URL segment and its label key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimension {
    pub segment: &'static str,
    /// Key of the group's label in the interface strings.
    pub label: &'static str,
    /// Group of the values' labels in the strings (`sector`), or `""` for
    /// years and agencies, which label themselves.
    pub values: &'static str,
}

pub const YEAR_C: Dimension = Dimension {
    segment: "nam",
    label: "conclusion.by_year",
    values: "",
};
pub const SECTOR: Dimension = Dimension {
    segment: "linh-vuc",
    label: "conclusion.by_sector",
    values: "sector",
};
pub const INSPECTED: Dimension = Dimension {
    segment: "co-quan",
    label: "conclusion.by_agency",
    values: "",
};
pub const STATUS: Dimension = Dimension {
    segment: "trang-thai",
    label: "rec.by_status",
    values: "status",
};
pub const RESPONSIBLE: Dimension = Dimension {
    segment: "co-quan",
    label: "rec.by_agency",
    values: "",
};
pub const YEAR_R: Dimension = Dimension {
    segment: "nam",
    label: "rec.by_year",
    values: "",
};
pub const YEAR_D: Dimension = Dimension {
    segment: "nam",
    label: "decision.by_year",
    values: "",
};
pub const PENALTY: Dimension = Dimension {
    segment: "hinh-thuc",
    label: "decision.by_penalty",
    values: "penalty",
};
pub const TRACK: Dimension = Dimension {
    segment: "loai",
    label: "decision.by_track",
    values: "track",
};
pub const AUTHORITY: Dimension = Dimension {
    segment: "co-quan",
    label: "decision.by_authority",
    values: "",
};

impl Family {
    pub fn base(self) -> &'static str {
        match self {
            Family::Conclusions => urls::CONCLUSIONS,
            Family::Recommendations => urls::RECOMMENDATIONS,
            Family::Decisions => urls::DECISIONS,
        }
    }

    pub fn dimensions(self) -> &'static [Dimension] {
        match self {
            Family::Conclusions => &[YEAR_C, SECTOR, INSPECTED],
            Family::Recommendations => &[STATUS, RESPONSIBLE, YEAR_R],
            Family::Decisions => &[YEAR_D, PENALTY, TRACK, AUTHORITY],
        }
    }
}

/// One filtered list: all its items, in display order.
#[derive(Debug, Clone)]
pub struct List {
    pub family: Family,
    pub filter: Option<(Dimension, String)>,
    pub items: Arc<Vec<usize>>,
}

impl List {
    pub fn path(&self) -> String {
        match &self.filter {
            None => self.family.base().to_string(),
            Some((dim, key)) => format!("{}{}/{}/", self.family.base(), dim.segment, key),
        }
    }
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
        if dim.segment == "nam" {
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
    let dims = vec![
        (YEAR_C, group_by(&all, |i| cs[i].signed_on.year())),
        (SECTOR, group_by(&all, |i| cs[i].sector.id())),
        (
            INSPECTED,
            group_by(&all, |i| cs[i].inspected.value.as_str()),
        ),
    ];
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
    let dims = vec![
        (STATUS, by_status),
        (
            RESPONSIBLE,
            group_by(&all, |i| d.recs[i].rec.responsible.value.as_str()),
        ),
        (
            YEAR_R,
            group_by(&all, |i| cs[d.recs[i].conclusion].signed_on.year()),
        ),
    ];
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
        (YEAR_D, group_by(&all, |i| ds[i].decided_on.year())),
        (PENALTY, group_by(&all, |i| ds[i].penalty.id())),
        (TRACK, group_by(&all, |i| ds[i].track.id())),
        (
            AUTHORITY,
            group_by(&all, |i| ds[i].authority.value.as_str()),
        ),
    ];
    family(Family::Decisions, all, dims)
}
