//! The **model** stage: raw documents become typed records, and every rule of
//! the content format is checked. Errors stop the build; warnings do not.

pub mod acting;
pub mod agency;
pub mod amount;
pub mod chars;
mod check;
pub mod conclusion;
pub mod config;
pub mod decision;
pub mod document;
pub mod fields;
pub mod follow;
pub mod id;
pub mod law;
pub mod page;
pub mod period;
pub mod privacy;
pub mod read;
pub mod record;
pub mod recovery;
pub mod rules;
pub mod schema;
pub mod vocab;

use crate::diag::Code;
use std::sync::Arc;

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
use crate::source::SourceFile;
use fields::suggest;
use law::Law;
use read::Reader;
use rules::Rules;

/// Every record of a site, validated.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// The legal rules, as the site has them.
    pub law: Law,
    pub agencies: Vec<Agency>,
    pub conclusions: Vec<Conclusion>,
    pub decisions: Vec<Decision>,
    pub recoveries: Vec<Recovery>,
    pub pages: Vec<Page>,
    /// Ids of records that exist but have errors, so are not in the lists
    /// above: references to them are not reported again.
    pub partial: Partial,
    /// Every reference written in any record, to check once all ids are known.
    pub references: Vec<Reference>,
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

/// A reference and the file it is written in.
#[derive(Debug, Clone)]
pub struct Reference {
    pub at: read::RefSite,
    pub file: Arc<SourceFile>,
}

/// What reading a set of files gave.
struct Batch<T> {
    records: Vec<T>,
    diags: Vec<Diagnostic>,
    partial: Vec<String>,
    refs: Vec<Reference>,
}

impl<T> Default for Batch<T> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            diags: Vec::new(),
            partial: Vec::new(),
            refs: Vec::new(),
        }
    }
}

impl<T> Batch<T> {
    /// Adds what one reader found in `file`.
    fn add(&mut self, record: Option<T>, r: Reader<'_>, file: &Arc<SourceFile>) {
        if record.is_none() {
            self.partial.extend(r.record_id);
        }
        self.records.extend(record);
        self.diags.extend(r.diags);
        self.partial.extend(r.partial_ids);
        self.refs.extend(r.refs.into_iter().map(|at| Reference {
            at,
            file: file.clone(),
        }));
    }

    fn merge(mut self, other: Batch<T>) -> Self {
        self.records.extend(other.records);
        self.diags.extend(other.diags);
        self.partial.extend(other.partial);
        self.refs.extend(other.refs);
        self
    }
}

/// Ids of records that could not be read completely.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    /// The agency registry could not be read (missing, or a syntax error):
    /// references to agencies and the agencies' official contacts cannot be
    /// checked, and reporting each would bury the one error that matters.
    pub registry_unreadable: bool,
    pub agencies: Vec<String>,
    pub conclusions: Vec<String>,
    pub decisions: Vec<String>,
}

/// Reads and checks every record of `raw`. The site is returned even when
/// there are errors, so that every problem can be reported in one run.
pub fn build(raw: &RawSite, as_of: NaiveDate) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::default();
    diags.extend(raw.diagnostics.iter().cloned());

    let config = match &raw.config {
        Some(doc) => {
            let batch = read_one(doc, as_of, &[], SiteConfig::read);
            diags.extend(batch.diags);
            batch.records.into_iter().next().unwrap_or_default()
        }
        None => SiteConfig::default(),
    };
    let mut allowed: Vec<String> = config
        .privacy
        .public_contacts
        .iter()
        .map(|c| privacy::normalise_contact(c))
        .collect();

    let agencies = match &raw.agencies {
        Some(doc) => read_one(doc, as_of, &allowed, |node, r| {
            Some(Agency::read_all(node, r))
        }),
        None => {
            diags.push(Diagnostic::for_path(
                crate::diag::Severity::Error,
                Code::MissingFile,
                "content/agencies.yaml",
                msg(
                    "Thiếu danh mục cơ quan content/agencies.yaml",
                    "the agency registry content/agencies.yaml is missing",
                ),
            ));
            Batch::default()
        }
    };
    let agency_list: Vec<Agency> = agencies.records.iter().flatten().cloned().collect();
    allowed.extend(
        agency_list
            .iter()
            .flat_map(|a| a.phone.iter().chain(a.email.iter()))
            .map(|c| privacy::normalise_contact(c)),
    );

    let law = match &raw.law {
        Some(doc) => {
            let batch = read_one(doc, as_of, &[], |node, r| {
                Law::read(node, r, Some(law::builtin()))
            });
            diags.extend(batch.diags);
            batch.records.into_iter().next().unwrap_or_default()
        }
        None => Law::default(),
    };
    let law = rules::site_law(law, &config, as_of);
    let index = Rules::index_of(&agency_list);
    let rules = Rules {
        law: &law,
        follow_up: config.follow_up,
        agencies: &agency_list,
        index: &index,
        files: document::Files {
            index: &raw.files,
            max_bytes: config.documents.max_bytes,
        },
    };
    let conclusions = read_records(&raw.conclusions, as_of, &allowed, rules, Conclusion::read);
    let decisions = read_records(&raw.decisions, as_of, &allowed, rules, Decision::read);
    let pages = read_records(&raw.pages, as_of, &allowed, rules, Page::read);
    let recoveries = raw
        .recoveries
        .par_iter()
        .map(|t| read_table(t, as_of, &allowed, rules))
        .reduce(Batch::default, Batch::merge);

    let registry_unreadable = raw.agencies.as_ref().is_none_or(|d| d.front.is_none());
    let partial = Partial {
        registry_unreadable,
        agencies: agencies.partial,
        conclusions: conclusions.partial,
        decisions: decisions.partial,
    };
    let mut references = agencies.refs;
    for batch_diags in [
        agencies.diags,
        conclusions.diags,
        decisions.diags,
        pages.diags,
        recoveries.diags,
    ] {
        diags.extend(batch_diags);
    }
    if registry_unreadable {
        // Without the registry, an agency's own phone or e-mail in a text
        // looks like a private person's.
        diags.retain(|d| !matches!(d.code, Code::PrivacyPhone | Code::PrivacyEmail));
    }
    references.extend(conclusions.refs);
    references.extend(decisions.refs);
    references.extend(recoveries.refs);
    let mut site = Site {
        config,
        law,
        agencies: agency_list,
        conclusions: conclusions.records,
        decisions: decisions.records,
        recoveries: recoveries.records.into_iter().flatten().collect(),
        pages: pages.records,
        partial,
        references,
        agencies_file: raw.agencies.as_ref().map(|d| d.file.clone()),
        as_of,
    };
    // A stable order whatever order the files were read in; ties (duplicate
    // ids, reported below) are broken by path.
    site.conclusions
        .sort_by(|a, b| (a.id(), &a.source.file.path).cmp(&(b.id(), &b.source.file.path)));
    site.decisions
        .sort_by(|a, b| (a.id(), &a.source.file.path).cmp(&(b.id(), &b.source.file.path)));
    site.pages.sort_by(|a, b| {
        (a.weight, a.id(), &a.source.file.path).cmp(&(b.weight, b.id(), &b.source.file.path))
    });
    site.recoveries.sort_by(|a, b| {
        (a.period, &a.agency.value, &a.file.path, a.line).cmp(&(
            b.period,
            &b.agency.value,
            &b.file.path,
            b.line,
        ))
    });
    check::cross_references(&site, &mut diags);
    (site, diags)
}

/// Reads one document into a batch.
fn read_one<T>(
    doc: &RawDoc,
    as_of: NaiveDate,
    allowed: &[String],
    f: impl FnOnce(&Node, &mut Reader<'_>) -> Option<T>,
) -> Batch<T> {
    let mut batch = Batch::default();
    if let Some(node) = doc.front.as_ref() {
        let mut r = Reader::new(&doc.file, as_of, allowed);
        let out = f(node, &mut r);
        batch.add(out, r, &doc.file);
    }
    batch
}

/// Reads Markdown records in parallel.
fn read_records<T: Send>(
    docs: &[RawDoc],
    as_of: NaiveDate,
    allowed: &[String],
    rules: Rules<'_>,
    read: fn(&RawDoc, &mut Reader<'_>, &Rules<'_>) -> Option<T>,
) -> Batch<T> {
    docs.par_iter()
        .map(|doc| {
            let mut r = Reader::new(&doc.file, as_of, allowed);
            let out = read(doc, &mut r, &rules);
            let mut batch = Batch::default();
            batch.add(out, r, &doc.file);
            batch
        })
        .reduce(Batch::default, Batch::merge)
}

/// Reads a recovery table: checks its header row once, then every row.
fn read_table(
    t: &RawTable,
    as_of: NaiveDate,
    allowed: &[String],
    rules: Rules<'_>,
) -> Batch<Vec<Recovery>> {
    let mut r = Reader::new(&t.file, as_of, allowed);
    let (keys, complete) = table_columns(t, &mut r);
    let stem = t
        .file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file_period = recovery::file_period(&stem);
    let mut rows = Vec::new();
    if complete {
        for row in &t.rows {
            let entries: Vec<(Key, Node)> = keys
                .iter()
                .zip(&row.cells)
                .filter_map(|(k, cell)| {
                    k.map(|k| {
                        (
                            Key {
                                name: k.into(),
                                span: cell.span,
                            },
                            cell.clone(),
                        )
                    })
                })
                .collect();
            let first = entries.first().map_or(Default::default(), |(k, _)| k.span);
            let node = Node::new(first, Value::Map(entries));
            rows.extend(Recovery::read(
                &node,
                &mut r,
                &rules,
                (&t.file, row.line),
                file_period,
            ));
        }
    }
    for d in &mut r.diags {
        t.locate(d);
    }
    let mut batch = Batch::default();
    batch.add(Some(rows), r, &t.file);
    batch
}

/// Maps each header to its column key, reporting unknown, repeated and missing columns.
fn table_columns(t: &RawTable, r: &mut Reader<'_>) -> (Vec<Option<&'static str>>, bool) {
    let mut keys: Vec<Option<&'static str>> = Vec::new();
    for h in &t.headers {
        let key = recovery::column_key(schema::RECOVERY.fields, &h.name);
        match key {
            Some(k) if keys.contains(&Some(k)) => {
                r.error(
                    Code::DuplicateKey,
                    h.span,
                    msg(
                        format!("Cột `{}` xuất hiện hai lần", h.name),
                        format!("the column `{}` appears twice", h.name),
                    ),
                );
                keys.push(None);
            }
            Some(k) => keys.push(Some(k)),
            None => {
                let names: Vec<&str> = schema::RECOVERY.keys().collect();
                let hint = match suggest(
                    &recovery::normalise_header(&h.name).replace(' ', "_"),
                    &names,
                ) {
                    Some(s) => msg(
                        format!("Có phải ý bạn là `{s}`?"),
                        format!("Did you mean `{s}`?"),
                    ),
                    None => msg(
                        format!("Các cột hợp lệ: {}", names.join(", ")),
                        format!("Valid columns: {}", names.join(", ")),
                    ),
                };
                r.error(
                    Code::UnknownKey,
                    h.span,
                    msg(
                        format!("Cột không hợp lệ `{}`", h.name),
                        format!("unknown column `{}`", h.name),
                    ),
                )
                .set_hint(hint);
                keys.push(None);
            }
        }
    }
    let header_span = t.headers.first().map_or(Default::default(), |h| h.span);
    let mut complete = true;
    for required in schema::RECOVERY.required() {
        if !keys.contains(&Some(required)) {
            complete = false;
            r.error(
                Code::MissingField,
                header_span,
                msg(
                    format!("Bảng thiếu cột bắt buộc `{required}`"),
                    format!("the table lacks the required column `{required}`"),
                ),
            );
        }
    }
    (keys, complete)
}
#[cfg(test)]
mod tests;
