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
use crate::load::{Kind, Loaded, RawDoc, RawSite, RawTable};
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
    pub conclusions: Vec<Arc<Conclusion>>,
    pub decisions: Vec<Arc<Decision>>,
    pub recoveries: Vec<Recovery>,
    pub pages: Vec<Page>,
    /// Ids of records that exist but have errors, so are not in the lists
    /// above: references to them are not reported again.
    pub partial: Partial,
    /// Every reference written in any record, to check once all ids are
    /// known; by file. Empty after [`build`], which has checked them.
    pub references: Vec<References>,
    /// The registry file, for diagnostics about agencies.
    pub agencies_file: Option<std::sync::Arc<crate::source::SourceFile>>,
    /// The day the site describes: statuses and overdue lists are as of it.
    pub as_of: NaiveDate,
    /// The site folder, where record bodies are read again once the loaded
    /// files are let go (see [`crate::source::Origin`]).
    pub root: std::path::PathBuf,
}

impl Site {
    /// A record's Markdown body as written (see [`record::Source::body`]).
    pub fn body(
        &self,
        source: &record::Source,
    ) -> Result<crate::source::Excerpt, crate::source::Changed> {
        source.body(&self.root)
    }

    pub fn record_count(&self) -> usize {
        self.conclusions.len() + self.decisions.len() + self.recoveries.len() + self.pages.len()
    }
}

/// The references written in one file. Shared, so that `serve` keeps
/// those of files it did not re-read without copying them.
#[derive(Debug, Clone)]
pub struct References {
    pub file: crate::source::Origin,
    pub sites: Arc<[read::RefSite]>,
}

impl References {
    fn new(file: &Arc<SourceFile>, sites: Vec<read::RefSite>) -> Option<Self> {
        (!sites.is_empty()).then(|| References {
            file: crate::source::Origin::new(file),
            sites: sites.into(),
        })
    }
}

/// What reading a set of files gave.
struct Batch<T> {
    records: Vec<T>,
    diags: Diagnostics,
    partial: Vec<String>,
    refs: Vec<References>,
}

impl<T> Default for Batch<T> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            diags: Diagnostics::default(),
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
        self.refs.extend(References::new(file, r.refs));
    }

    fn merge(mut self, other: Batch<T>) -> Self {
        self.records.extend(other.records);
        self.diags.append(other.diags);
        self.partial.extend(other.partial);
        self.refs.extend(other.refs);
        self
    }
}

impl<T> Batch<Arc<T>> {
    /// Adds what reading one file gave.
    fn take(&mut self, r: Read<T>) {
        self.records.extend(r.record);
        self.diags.extend_shared(r.diags);
        self.partial.extend(r.partial);
        self.refs.extend(r.refs);
    }

    /// Adds a copy of what reading one file gave, kept for later reads.
    fn extend_from(&mut self, r: &Read<T>) {
        self.records.extend(r.record.clone());
        self.diags.extend_shared(r.diags.clone());
        self.partial.extend_from_slice(&r.partial);
        self.refs.extend(r.refs.clone());
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
    let (mut site, diags) = build_with(raw, as_of, &mut Memo::default());
    // Kept to be checked across records; without a memo to keep them for
    // the next edit, nothing reads them again (at a million records, half
    // a gigabyte).
    site.references = Vec::new();
    (site, diags)
}

/// Like [`build`], reusing what `memo` kept of the files that did not change
/// since its last build (and keeping what this build read, when the memo
/// keeps anything): `serve` re-reads one record per edit, not all of them.
pub fn build_with(raw: &RawSite, as_of: NaiveDate, memo: &mut Memo) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::default();
    diags.extend(raw.diagnostics.iter().cloned());

    let config = match &raw.config {
        Some(doc) => {
            let batch = read_one(doc, as_of, &[], SiteConfig::read);
            diags.append(batch.diags);
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
            diags.append(batch.diags);
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
    if memo.keep {
        memo.check_context(Context::of(raw, as_of, &allowed));
    }
    let reading = Reading {
        as_of,
        allowed: &allowed,
        rules,
    };
    let keep = memo.keep;
    let conclusions = reading.records(
        raw,
        Kind::Conclusion,
        keep.then_some(&mut memo.conclusions),
        Conclusion::read,
    );
    let decisions = reading.records(
        raw,
        Kind::Decision,
        keep.then_some(&mut memo.decisions),
        Decision::read,
    );
    let mut pages = reading.records(raw, Kind::Page, None, Page::read);
    let pages_read = std::mem::take(&mut pages.records);
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
        diags.append(batch_diags);
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
        pages: pages_read.into_iter().map(Arc::unwrap_or_clone).collect(),
        partial,
        references,
        agencies_file: raw.agencies.as_ref().map(|d| d.file.clone()),
        as_of,
        root: raw.root.clone(),
    };
    // A stable order whatever order the files were read in; ties (duplicate
    // ids, reported below) are broken by path.
    site.conclusions
        .sort_by(|a, b| (a.id(), a.source.path()).cmp(&(b.id(), b.source.path())));
    site.decisions
        .sort_by(|a, b| (a.id(), a.source.path()).cmp(&(b.id(), b.source.path())));
    site.pages.sort_by(|a, b| {
        (a.weight, a.id(), a.source.path()).cmp(&(b.weight, b.id(), b.source.path()))
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

/// What reading one record depends on besides its own file: when any of it
/// changes, every record is read again.
struct Context {
    as_of: NaiveDate,
    allowed: Vec<String>,
    /// The configuration, the law table and the agency registry as loaded.
    /// Compared by identity: the load cache keeps an unchanged file's, and
    /// loads a changed file anew (held, so that no other file can be
    /// allocated where a forgotten one was).
    files: [Option<Arc<SourceFile>>; 3],
    documents: std::collections::BTreeMap<String, crate::load::DocFile>,
}

impl PartialEq for Context {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: &Option<Arc<SourceFile>>, b: &Option<Arc<SourceFile>>| match (a, b) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        self.as_of == other.as_of
            && self.allowed == other.allowed
            && self.files.iter().zip(&other.files).all(|(a, b)| same(a, b))
            && self.documents == other.documents
    }
}

impl Context {
    fn of(raw: &RawSite, as_of: NaiveDate, allowed: &[String]) -> Self {
        let file = |d: &Option<RawDoc>| d.as_ref().map(|d| d.file.clone());
        Context {
            as_of,
            allowed: allowed.to_vec(),
            files: [file(&raw.config), file(&raw.law), file(&raw.agencies)],
            documents: raw.files.clone(),
        }
    }
}

/// What reading each record file gave, kept between builds by `serve`.
/// [`Memo::default`] keeps nothing (a `build` reads everything once).
#[derive(Default)]
pub struct Memo {
    keep: bool,
    context: Option<Context>,
    conclusions: Kept<Conclusion>,
    decisions: Kept<Decision>,
}

impl Memo {
    /// A memo that keeps what each build read, for the next.
    pub fn keeping() -> Self {
        Memo {
            keep: true,
            ..Memo::default()
        }
    }

    /// Forgets every record when what they were read against changed.
    fn check_context(&mut self, now: Context) {
        if self.context.as_ref() != Some(&now) {
            self.conclusions.clear();
            self.decisions.clear();
        }
        self.context = Some(now);
    }
}

/// One kind's records as read from each file, by the identity of the
/// loaded file: the load cache hands over the same `Arc` for a file that did
/// not change, and the entry holds it, so no other file can have its
/// address.
type Kept<T> = rustc_hash::FxHashMap<usize, Read<T>>;

/// The address of a loaded file, as a number (see [`Kept`]).
fn identity(file: &Arc<SourceFile>) -> usize {
    Arc::as_ptr(file) as usize
}

/// What reading one file gave.
struct Read<T> {
    file: Arc<SourceFile>,
    record: Option<Arc<T>>,
    diags: Arc<Vec<Diagnostic>>,
    partial: Vec<String>,
    refs: Option<References>,
}

/// How records are read: the day, the contacts allowed in published text
/// and the rules.
struct Reading<'a> {
    as_of: NaiveDate,
    allowed: &'a [String],
    rules: Rules<'a>,
}

impl Reading<'_> {
    /// Reads one file.
    fn one<T>(
        &self,
        doc: &RawDoc,
        read: fn(&RawDoc, &mut Reader<'_>, &Rules<'_>) -> Option<T>,
    ) -> Read<T> {
        let mut r = Reader::new(&doc.file, self.as_of, self.allowed);
        let record = read(doc, &mut r, &self.rules);
        let mut partial = r.partial_ids;
        if record.is_none() {
            partial.extend(r.record_id);
        }
        Read {
            file: doc.file.clone(),
            record: record.map(Arc::new),
            diags: Arc::new(r.diags),
            partial,
            refs: References::new(&doc.file, r.refs),
        }
    }

    /// Reads Markdown records in parallel, taking from `kept` (when there is
    /// one) the files read before and unchanged since, and leaving there what
    /// this read gave. `kept` is changed in place, not made again: at 100 000
    /// records, moving every file's reading into a new table took a tenth of
    /// a second per edit.
    fn all<T: Send + Sync>(
        &self,
        docs: &[RawDoc],
        kept: Option<&mut Kept<T>>,
        read: fn(&RawDoc, &mut Reader<'_>, &Rules<'_>) -> Option<T>,
    ) -> Batch<Arc<T>> {
        let mut batch = Batch::default();
        let Some(kept) = kept else {
            let all: Vec<Read<T>> = docs.par_iter().map(|doc| self.one(doc, read)).collect();
            all.into_iter().for_each(|r| batch.take(r));
            return batch;
        };
        let fresh: Vec<Option<Read<T>>> = docs
            .par_iter()
            .map(|doc| (!kept.contains_key(&identity(&doc.file))).then(|| self.one(doc, read)))
            .collect();
        for (doc, fresh) in docs.iter().zip(fresh) {
            match fresh {
                Some(r) => {
                    batch.extend_from(&r);
                    kept.insert(identity(&r.file), r);
                }
                None => batch.extend_from(&kept[&identity(&doc.file)]),
            }
        }
        // What files no longer loaded gave is forgotten (an edited file is
        // a new file). Each loaded file is kept once, so there are more
        // only when some are gone.
        if kept.len() > docs.len() {
            let loaded: rustc_hash::FxHashSet<usize> =
                docs.iter().map(|d| identity(&d.file)).collect();
            kept.retain(|file, _| loaded.contains(file));
        }
        batch
    }

    /// Reads every Markdown record of `kind`: those the loader read (see
    /// [`Self::all`]), then those it left unread.
    fn records<T: Send + Sync>(
        &self,
        raw: &RawSite,
        kind: Kind,
        kept: Option<&mut Kept<T>>,
        read: fn(&RawDoc, &mut Reader<'_>, &Rules<'_>) -> Option<T>,
    ) -> Batch<Arc<T>> {
        self.all(raw.docs(kind), kept, read)
            .merge(self.unread(raw, kind, read))
    }

    /// Reads the record files of `kind` that the loader left unread, each
    /// let go as soon as it is read: only what the model keeps of a record
    /// stays (see [`crate::load::load_records_later`]).
    fn unread<T: Send + Sync>(
        &self,
        raw: &RawSite,
        kind: Kind,
        read: fn(&RawDoc, &mut Reader<'_>, &Rules<'_>) -> Option<T>,
    ) -> Batch<Arc<T>> {
        let files: Vec<&std::path::Path> = raw
            .unread
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, rel)| rel.as_path())
            .collect();
        let one_file = |mut batch: Batch<Arc<T>>, rel: &&std::path::Path| {
            let mut diags = Vec::new();
            if let Loaded::Doc(doc) = crate::load::load_file(&raw.root, rel, kind, &mut diags) {
                batch.take(self.one(&doc, read));
            }
            batch.diags.extend(diags);
            batch
        };
        // On the threads that read files: reading is most of the time when
        // the files are not in the page cache.
        crate::load::on_readers(|| {
            files
                .par_iter()
                .fold(Batch::default, one_file)
                .reduce(Batch::default, Batch::merge)
        })
    }
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
