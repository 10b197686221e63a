//! What checks of single records need from the whole site: the legal rules
//! as the site has them, its follow-up settings, and its agencies. Passed to
//! each record's reader, so that the low-level [`Reader`](super::read::Reader)
//! knows nothing of the law.

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

use super::Agency;
use super::config::{FollowUp, SiteConfig};
use super::law::{self, Law};

#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    pub law: &'a Law,
    pub follow_up: FollowUp,
    /// The agencies, read first: some rules depend on an agency's kind.
    pub agencies: &'a [Agency],
    /// Each agency's position in `agencies` by id: every record looks up
    /// its acting bodies, and a national registry has thousands.
    pub index: &'a HashMap<&'a str, usize>,
    /// The files records may publish, and the size limit.
    pub files: super::document::Files<'a>,
}

impl<'a> Rules<'a> {
    /// The index [`Rules::index`] expects.
    pub fn index_of(agencies: &[Agency]) -> HashMap<&str, usize> {
        agencies
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.value.as_str(), i))
            .collect()
    }

    /// The agency with `id`, if the registry has it.
    pub fn agency(&self, id: &str) -> Option<&'a Agency> {
        self.index.get(id).map(|&i| &self.agencies[i])
    }
}

impl Default for Rules<'static> {
    /// The built-in law and the default settings, without agencies.
    fn default() -> Self {
        Self {
            law: law::builtin(),
            follow_up: SiteConfig::default().follow_up,
            agencies: &[],
            index: {
                static EMPTY: std::sync::LazyLock<HashMap<&'static str, usize>> =
                    std::sync::LazyLock::new(HashMap::default);
                &EMPTY
            },
            files: super::document::Files {
                index: {
                    static NONE: std::collections::BTreeMap<String, crate::load::DocFile> =
                        std::collections::BTreeMap::new();
                    &NONE
                },
                max_bytes: SiteConfig::default().documents.max_bytes,
            },
        }
    }
}

/// The table as a site uses it: `[publication]` and `[reporting]` of
/// `congkhai.toml` change the rules in force on `as_of` (the current law's
/// article once confirmed, the province's own day limits).
pub fn site_law(mut law: Law, c: &SiteConfig, as_of: NaiveDate) -> Law {
    let p = &c.publication;
    if let Some(rule) = law.publication.iter_mut().find(|r| r.valid.contains(as_of)) {
        if let Some(a) = &p.article {
            rule.article = Some(a.clone());
        }
        if let Some(n) = p.max_days_after_signing {
            rule.max_days_after_signing = n;
        }
        if let Some(n) = p.min_days_on_portal {
            rule.min_days_on_portal = n;
        }
    }
    if let Some(cutoff) = c.reporting.cutoff {
        law.reporting.cutoff = cutoff;
    }
    law
}
