//! The **model** stage: raw documents become typed records, and every rule of
//! the content format is checked. Errors stop the build; warnings do not.

pub mod agency;
pub mod amount;
mod check;
pub mod conclusion;
pub mod config;
pub mod decision;
pub mod id;
pub mod page;
pub mod penalty;
pub mod privacy;
pub mod read;
pub mod record;
pub mod recovery;
pub mod vocab;

use chrono::NaiveDate;
use rayon::prelude::*;

pub use agency::Agency;
pub use conclusion::{Conclusion, Progress, Recommendation};
pub use config::SiteConfig;
pub use decision::{Decision, Subject};
pub use page::Page;
pub use recovery::{Recovery, ReportPeriod};

use crate::diag::{Diagnostic, Diagnostics, msg};
use crate::load::node::{Key, Node, Value};
use crate::load::{RawDoc, RawSite, RawTable};
use read::{Reader, suggest};

/// Every record of a site, validated.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub agencies: Vec<Agency>,
    pub conclusions: Vec<Conclusion>,
    pub decisions: Vec<Decision>,
    pub recoveries: Vec<Recovery>,
    pub pages: Vec<Page>,
    /// The registry file, for diagnostics about agencies.
    pub agencies_file: Option<std::sync::Arc<crate::source::SourceFile>>,
    /// The day the site describes: statuses and overdue lists are as of it.
    pub as_of: NaiveDate,
}

impl Site {
    pub fn record_count(&self) -> usize {
        self.conclusions.len() + self.decisions.len() + self.recoveries.len() + self.pages.len()
    }
}

/// Reads and checks every record of `raw`. The site is returned even when
/// there are errors, so that every problem can be reported in one run.
pub fn build(raw: &RawSite, as_of: NaiveDate) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::default();
    diags.extend(raw.diagnostics.iter().cloned());

    let config = raw
        .config
        .as_ref()
        .and_then(|doc| read_doc(doc, as_of, &[], &mut diags, |node, r| SiteConfig::read(node, r)))
        .unwrap_or_default();
    let mut allowed: Vec<String> = config
        .privacy
        .public_contacts
        .iter()
        .map(|c| privacy::normalise_contact(c))
        .collect();

    let agencies = match &raw.agencies {
        Some(doc) => read_doc(doc, as_of, &allowed, &mut diags, |node, r| Some(Agency::read_all(node, r)))
            .unwrap_or_default(),
        None => {
            diags.push(Diagnostic::for_path(
                crate::diag::Severity::Error,
                "missing-file",
                "content/agencies.yaml",
                msg(
                    "Thiếu danh mục cơ quan content/agencies.yaml",
                    "the agency registry content/agencies.yaml is missing",
                ),
            ));
            Vec::new()
        }
    };
    allowed.extend(
        agencies
            .iter()
            .flat_map(|a| a.phone.iter().chain(a.email.iter()))
            .map(|c| privacy::normalise_contact(c)),
    );

    let rules = read::Rules {
        max_days_after_signing: config.publication.max_days_after_signing,
    };
    let (conclusions, d1) = read_records(&raw.conclusions, as_of, &allowed, rules, Conclusion::read);
    let (decisions, d2) = read_records(&raw.decisions, as_of, &allowed, rules, Decision::read);
    let (pages, d3) = read_records(&raw.pages, as_of, &allowed, rules, Page::read);
    diags.extend(d1.into_iter().chain(d2).chain(d3));
    let (recoveries, d4): (Vec<Vec<Recovery>>, Vec<Vec<Diagnostic>>) = raw
        .recoveries
        .par_iter()
        .map(|t| read_table(t, as_of, &allowed))
        .unzip();
    diags.extend(d4.into_iter().flatten());

    let mut site = Site {
        config,
        agencies,
        conclusions,
        decisions,
        recoveries: recoveries.into_iter().flatten().collect(),
        pages,
        agencies_file: raw.agencies.as_ref().map(|d| d.file.clone()),
        as_of,
    };
    site.conclusions.sort_by(|a, b| a.id().cmp(b.id()));
    site.decisions.sort_by(|a, b| a.id().cmp(b.id()));
    site.pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.id().cmp(b.id())));
    site.recoveries.sort_by(|a, b| {
        (a.period, &a.agency.value, &a.file.path, a.line).cmp(&(b.period, &b.agency.value, &b.file.path, b.line))
    });
    check::cross_references(&site, &mut diags);
    (site, diags)
}

fn read_doc<T>(
    doc: &RawDoc,
    as_of: NaiveDate,
    allowed: &[String],
    diags: &mut Diagnostics,
    f: impl FnOnce(&Node, &mut Reader<'_>) -> Option<T>,
) -> Option<T> {
    let node = doc.front.as_ref()?;
    let mut r = Reader::new(&doc.file, as_of, allowed);
    let out = f(node, &mut r);
    diags.extend(r.diags);
    out
}

/// Reads Markdown records in parallel, in a stable order.
fn read_records<T: Send>(
    docs: &[RawDoc],
    as_of: NaiveDate,
    allowed: &[String],
    rules: read::Rules,
    read: fn(&RawDoc, &mut Reader<'_>) -> Option<T>,
) -> (Vec<T>, Vec<Diagnostic>) {
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = docs
        .par_iter()
        .map(|doc| {
            let mut r = Reader::new(&doc.file, as_of, allowed);
            r.rules = rules;
            let out = read(doc, &mut r);
            (out, r.diags)
        })
        .collect();
    let mut records = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for (rec, mut d) in results {
        records.extend(rec);
        diags.append(&mut d);
    }
    (records, diags)
}

/// Reads a recovery table: checks its header row once, then every row.
fn read_table(t: &RawTable, as_of: NaiveDate, allowed: &[String]) -> (Vec<Recovery>, Vec<Diagnostic>) {
    let mut r = Reader::new(&t.file, as_of, allowed);
    let (keys, complete) = table_columns(t, &mut r);
    let stem = t.file.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let file_period = recovery::file_period(&stem);
    let mut rows = Vec::new();
    if complete {
        for row in &t.rows {
            let entries: Vec<(Key, Node)> = keys
                .iter()
                .zip(&row.cells)
                .filter_map(|(k, cell)| k.map(|k| (Key { name: k.to_string(), span: cell.span }, cell.clone())))
                .collect();
            let first = entries.first().map_or(Default::default(), |(k, _)| k.span);
            let node = Node::new(first, Value::Map(entries));
            rows.extend(Recovery::read(&node, &mut r, &t.file, file_period, row.line));
        }
    }
    let mut diags = r.diags;
    for d in &mut diags {
        t.locate(d);
    }
    (rows, diags)
}

/// Maps each header to its column key, reporting unknown, repeated and missing columns.
fn table_columns(t: &RawTable, r: &mut Reader<'_>) -> (Vec<Option<&'static str>>, bool) {
    let mut keys: Vec<Option<&'static str>> = Vec::new();
    for h in &t.headers {
        let key = recovery::column_key(recovery::COLUMNS, &h.name);
        match key {
            Some(k) if keys.contains(&Some(k)) => {
                r.error(
                    "duplicate-key",
                    h.span,
                    msg(format!("Cột `{}` xuất hiện hai lần", h.name), format!("the column `{}` appears twice", h.name)),
                );
                keys.push(None);
            }
            Some(k) => keys.push(Some(k)),
            None => {
                let names: Vec<&str> = recovery::COLUMNS.iter().map(|(k, _)| *k).collect();
                let hint = match suggest(&recovery::normalise_header(&h.name).replace(' ', "_"), &names) {
                    Some(s) => msg(format!("Có phải ý bạn là `{s}`?"), format!("Did you mean `{s}`?")),
                    None => msg(format!("Các cột hợp lệ: {}", names.join(", ")), format!("Valid columns: {}", names.join(", "))),
                };
                r.error(
                    "unknown-key",
                    h.span,
                    msg(format!("Cột không hợp lệ `{}`", h.name), format!("unknown column `{}`", h.name)),
                )
                .set_hint(hint);
                keys.push(None);
            }
        }
    }
    let header_span = t.headers.first().map_or(Default::default(), |h| h.span);
    let mut complete = true;
    for required in ["period", "agency", "recommended_vnd", "recovered_vnd"] {
        if !keys.contains(&Some(required)) {
            complete = false;
            r.error(
                "missing-field",
                header_span,
                msg(format!("Bảng thiếu cột bắt buộc `{required}`"), format!("the table lacks the required column `{required}`")),
            );
        }
    }
    (keys, complete)
}
