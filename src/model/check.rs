//! Rules that span records: unique ids and numbers, references that resolve,
//! and the publication deadline.

use crate::diag::Code;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use chrono::Datelike;

use super::Site;
use super::fields::suggest;
use super::id::Id;
use super::read::Ref;
use super::read::{RefSite, Target};
use super::record::Source;
use crate::diag::{Diagnostic, Diagnostics, msg};
use crate::source::Origin;
use std::path::Path;

/// What a reference points to, for messages and suggestions.
struct Known<'a> {
    name: (&'static str, &'static str),
    ids: HashSet<&'a str>,
}

impl<'a> Known<'a> {
    fn new(name: (&'static str, &'static str), ids: impl Iterator<Item = &'a str>) -> Self {
        Self {
            name,
            ids: ids.collect(),
        }
    }

    /// Reports a reference, written in the file `origin` of the site
    /// folder `root`, that names nothing.
    fn check(&self, r: &RefSite, origin: &Origin, root: &Path, diags: &mut Diagnostics) {
        if self.ids.contains(r.id.as_str()) {
            return;
        }
        let file = &*origin.file(root);
        let mut candidates: Vec<&str> = self.ids.iter().copied().collect();
        candidates.sort_unstable();
        let mut d = Diagnostic::error(
            Code::UnknownReference,
            file,
            msg(
                format!("Không có {} nào có mã `{}`", self.name.0, r.id),
                format!("there is no {} with the id `{}`", self.name.1, r.id),
            ),
        )
        .at(file, r.span)
        .field(r.field.as_str());
        if let Some(s) = suggest(&r.id, &candidates) {
            d = d.hint(msg(
                format!("Có phải ý bạn là `{s}`?"),
                format!("Did you mean `{s}`?"),
            ));
        }
        diags.push(d);
    }
}

/// Checks the rules that span records. The four groups are independent
/// and run in parallel (at 100 000 records they took a quarter of a second
/// one after another, on every edit `serve` previews).
pub fn cross_references(site: &Site, diags: &mut Diagnostics) {
    let group = |check: fn(&Site, &mut Diagnostics)| {
        move || {
            let mut found = Diagnostics::default();
            check(site, &mut found);
            found
        }
    };
    let ((ids, numbers), (references, rest)) = rayon::join(
        || rayon::join(group(check_ids), group(check_numbers)),
        || rayon::join(group(check_references), group(check_recoveries_and_dates)),
    );
    // In the order they were once found one after another.
    for found in [ids, numbers, references, rest] {
        diags.extend(found);
    }
}

/// Every reference names a record or an agency that exists.
fn check_references(site: &Site, diags: &mut Diagnostics) {
    // Records that exist but have errors count as known: their errors are
    // reported already, and references to them are not wrong.
    let p = &site.partial;
    let agencies = Known::new(
        ("cơ quan", "agency"),
        site.agencies
            .iter()
            .map(|a| a.id.value.as_str())
            .chain(p.agencies.iter().map(String::as_str)),
    );
    let conclusions = Known::new(
        ("kết luận", "conclusion"),
        site.conclusions
            .iter()
            .map(|c| c.id())
            .chain(p.conclusions.iter().map(String::as_str)),
    );
    let decisions = Known::new(
        ("quyết định kỷ luật", "decision"),
        site.decisions
            .iter()
            .map(|d| d.id())
            .chain(p.decisions.iter().map(String::as_str)),
    );
    for written in &site.references {
        for at in written.sites.iter() {
            let target = match at.target {
                // Unknown because the registry could not be read, not wrong.
                Target::Agency if p.registry_unreadable => continue,
                Target::Agency => &agencies,
                Target::Conclusion => &conclusions,
                Target::Decision => &decisions,
            };
            target.check(at, &written.file, &site.root, diags);
        }
    }
}

/// Agencies, conclusions, decisions and pages each have unique ids.
fn check_ids(site: &Site, diags: &mut Diagnostics) {
    check_agencies(site, diags);
    unique(
        site.conclusions.iter().map(|c| &c.source),
        &site.root,
        ("kết luận", "conclusion"),
        diags,
    );
    unique(
        site.decisions.iter().map(|d| &d.source),
        &site.root,
        ("quyết định", "decision"),
        diags,
    );
    unique(
        site.pages.iter().map(|p| &p.source),
        &site.root,
        ("trang", "page"),
        diags,
    );
}

/// Document numbers are unique per issuer and year.
fn check_numbers(site: &Site, diags: &mut Diagnostics) {
    unique_numbers(
        site.conclusions.iter().map(|c| {
            (
                &c.number,
                c.number_key.as_str(),
                c.signed_on.year(),
                c.issued_by.value.as_str(),
                &c.source,
            )
        }),
        &site.root,
        diags,
    );
    unique_numbers(
        site.decisions.iter().map(|d| {
            (
                &d.number,
                d.number_key.as_str(),
                d.decided_on.year(),
                d.authority.value.as_str(),
                &d.source,
            )
        }),
        &site.root,
        diags,
    );
}

fn check_recoveries_and_dates(site: &Site, diags: &mut Diagnostics) {
    check_recoveries(site, diags);
    check_follow_up_dates(site, diags);
}

fn check_agencies(site: &Site, diags: &mut Diagnostics) {
    let Some(file) = site.agencies_file.as_deref() else {
        return;
    };
    super::acting::check_successors(&site.agencies, file, diags);
    let mut seen: HashMap<&str, &Ref> = HashMap::default();
    let parents: HashMap<&str, &str> = site
        .agencies
        .iter()
        .filter_map(|a| {
            a.parent
                .as_ref()
                .map(|p| (a.id.value.as_str(), p.value.as_str()))
        })
        .collect();
    for (i, a) in site.agencies.iter().enumerate() {
        if let Some(first) = seen.insert(a.id.value.as_str(), &a.id) {
            let line = file.line_col(first.span.start as usize).line;
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    file,
                    msg(
                        format!(
                            "Mã cơ quan `{}` bị trùng (đã dùng ở dòng {line})",
                            a.id.value
                        ),
                        format!(
                            "the agency id `{}` is used twice (first on line {line})",
                            a.id.value
                        ),
                    ),
                )
                .at(file, a.id.span)
                .field(format!("[{i}].id")),
            );
        }
        if let Some(p) = &a.parent {
            // Follow the parents: a cycle would make the hierarchy endless.
            let mut cur = p.value.as_str();
            for _ in 0..=site.agencies.len() {
                if cur == a.id.value.as_str() {
                    diags.push(
                        Diagnostic::error(
                            Code::ReferenceCycle,
                            file,
                            msg(
                                format!(
                                    "Cơ quan `{}` là cấp trên của chính nó (vòng lặp `parent`)",
                                    a.id.value
                                ),
                                format!(
                                    "the agency `{}` is its own ancestor (a `parent` cycle)",
                                    a.id.value
                                ),
                            ),
                        )
                        .at(file, p.span)
                        .field(format!("[{i}].parent")),
                    );
                    break;
                }
                match parents.get(cur) {
                    Some(next) => cur = next,
                    None => break,
                }
            }
        }
    }
}

fn check_recoveries(site: &Site, diags: &mut Diagnostics) {
    let mut seen: HashMap<(super::ReportPeriod, &str), &super::Recovery> = HashMap::default();
    for rec in &site.recoveries {
        let file = rec.file.as_ref();
        if let Some(first) = seen.insert((rec.period, rec.agency.value.as_str()), rec) {
            let (path, line) = (first.file.display_path(), first.line);
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    file,
                    msg(
                        format!(
                            "Số liệu kỳ {} của `{}` bị khai hai lần (lần đầu ở {path} dòng {line})",
                            rec.period, rec.agency.value
                        ),
                        format!(
                            "the figures for {} of `{}` are given twice (first in {path} line {line})",
                            rec.period, rec.agency.value
                        ),
                    ),
                )
                .at(file, rec.agency.span)
                .field("agency"),
            );
        }
    }
    // Figures identical to the same agency's previous period were most
    // likely copied forward, not reported.
    for rec in &site.recoveries {
        let figures = rec.figures();
        let before = rec.period.previous();
        let Some(prev) = seen.get(&(before, rec.agency.value.as_str())) else {
            continue;
        };
        if prev.figures() != figures || figures == Default::default() {
            continue;
        }
        let (path, line) = (prev.file.display_path(), prev.line);
        diags.push(
            Diagnostic::warning(
                Code::CopiedFigures,
                &rec.file,
                msg(
                    format!(
                        "Số liệu kỳ {} của `{}` giống hệt kỳ {before} ({path} dòng {line}): có thể đã chép từ kỳ trước",
                        rec.period, rec.agency.value
                    ),
                    format!(
                        "the figures for {} of `{}` are identical to {before} ({path} line {line}): possibly copied forward",
                        rec.period, rec.agency.value
                    ),
                ),
            )
            .at(&rec.file, rec.span)
            .field("recovered_vnd")
            .hint(msg(
                "Kiểm tra lại với báo cáo đã ký của đơn vị",
                "Check against the agency's signed report",
            )),
        );
    }
}

/// A decision that carried out a recommendation cannot predate the
/// conclusion that asked for it.
fn check_follow_up_dates(site: &Site, diags: &mut Diagnostics) {
    let decided: HashMap<&str, &super::Decision> =
        site.decisions.iter().map(|d| (d.id(), &**d)).collect();
    for c in &site.conclusions {
        for (i, rec) in c.recommendations.iter().enumerate() {
            for (j, r) in rec.decisions.iter().enumerate() {
                let Some(d) = decided.get(r.value.as_str()) else {
                    continue;
                };
                if d.decided_on >= c.signed_on {
                    continue;
                }
                let file = &*c.source.origin.file(&site.root);
                diags.push(
                    Diagnostic::warning(
                        Code::FollowUpBeforeConclusion,
                        file,
                        msg(
                            format!(
                                "Quyết định `{}` ({}) ngày {} có trước ngày ký kết luận ({}): không thể là văn bản thực hiện kiến nghị {}",
                                d.id(), d.number.value.0, d.decided_on.format("%d/%m/%Y"), c.signed_on.format("%d/%m/%Y"), rec.id.value
                            ),
                            format!(
                                "the decision `{}` ({}) of {} predates the conclusion ({}): it cannot carry out recommendation {}",
                                d.id(), d.number.value.0, d.decided_on, c.signed_on, rec.id.value
                            ),
                        ),
                    )
                    .at(file, r.span)
                    .field(format!("recommendations[{i}].decisions[{j}]"))
                    .hint(msg(
                        "Một quyết định có trước kết luận thì ghi ở `related` của quyết định, không ở `decisions` của kiến nghị",
                        "A decision that predates the conclusion belongs in the decision's `related`, not in the recommendation's `decisions`",
                    )),
                );
            }
        }
    }
}

fn unique<'a>(
    records: impl Iterator<Item = &'a Source>,
    root: &Path,
    what: (&str, &str),
    diags: &mut Diagnostics,
) {
    // The file, not its name: the name is written only for a duplicate.
    let mut seen: HashMap<&Id, &Source> =
        HashMap::with_capacity_and_hasher(records.size_hint().0, Default::default());
    for source in records {
        let id = &source.id;
        if super::id::RESERVED.contains(&id.as_str()) {
            diags.push(Diagnostic::error(
                Code::ReservedId,
                &source.origin.file(root),
                msg(
                    format!(
                        "Mã `{id}` trùng với địa chỉ của một danh sách trên cổng; hãy đặt mã khác"
                    ),
                    format!(
                        "the id `{id}` is the address of a list on the portal; choose another id"
                    ),
                ),
            ));
        }
        if let Some(first) = seen.insert(id, source) {
            let first = first.origin.display_path();
            diags.push(Diagnostic::error(
                Code::DuplicateId,
                &source.origin.file(root),
                msg(
                    format!("Mã {} `{id}` bị trùng với tệp {first}", what.0),
                    format!("the {} id `{id}` is also used by {first}", what.1),
                ),
            ));
        }
    }
}

/// Vietnamese document numbers restart every year and each agency numbers its
/// own documents, so a number is unique for one issuer in one year.
fn unique_numbers<'a>(
    records: impl Iterator<
        Item = (
            &'a super::read::Spanned<super::read::Text>,
            &'a str,
            i32,
            &'a str,
            &'a Source,
        ),
    >,
    root: &Path,
    diags: &mut Diagnostics,
) {
    // Sized up front: growing it cost as much as filling it (100 000 records).
    let mut seen: HashMap<(&str, i32, &str), &Source> =
        HashMap::with_capacity_and_hasher(records.size_hint().0, Default::default());
    for (number, number_key, year, issuer, source) in records {
        let key = (number_key, year, issuer);
        if let Some(first) = seen.insert(key, source) {
            let first = first.origin.display_path();
            let file = &*source.origin.file(root);
            diags.push(
                Diagnostic::error(
                    Code::DuplicateNumber,
                    file,
                    msg(
                        format!(
                            "Số hiệu `{}` của `{issuer}` năm {year} đã được dùng trong {first}",
                            number.value
                        ),
                        format!(
                            "the number `{}` of `{issuer}` in {year} is already used in {first}",
                            number.value
                        ),
                    ),
                )
                .at(file, number.span)
                .field("number"),
            );
        }
    }
}
