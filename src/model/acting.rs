//! Who may act in a record: an agency that still existed on the record's
//! date, and, for a conclusion, a body of the kind its source calls for.
//! Checked while reading each record, so that the message points at the
//! field; the chains of successors are checked across the registry in
//! [`check_successors`].

use chrono::NaiveDate;

use super::Agency;
use super::read::Reader;
use super::rules::Rules;
use super::vocab::{ConclusionSource, Vocab};
use crate::diag::{Code, Diagnostic, Diagnostics, msg};
use crate::source::Span;

/// An agency named as the acting body (issuer, deciding body, responsible
/// agency, reporting agency) of a record dated on or after the day it
/// ceased to exist is an error: its successor acts in its place.
pub fn check_exists(
    r: &mut Reader<'_>,
    rules: &Rules<'_>,
    span: Span,
    id: &str,
    (day, what): (NaiveDate, (&str, &str)),
) {
    let Some(a) = rules.agency(id) else {
        return; // an unknown agency is reported once all ids are known
    };
    let Some(gone) = a.dissolved_on.as_ref().map(|d| d.value) else {
        return;
    };
    if day < gone {
        return;
    }
    let d = r.error(
        Code::AgencyLifecycle,
        span,
        msg(
            format!(
                "{} ngày {} nhưng {} đã thôi hoạt động từ ngày {}",
                what.0,
                day.format("%d/%m/%Y"),
                a.name.0,
                gone.format("%d/%m/%Y")
            ),
            format!(
                "{} on {day}, but {} ceased to exist on {gone}",
                what.1, a.name.0
            ),
        ),
    );
    if let Some(s) = a
        .successor
        .as_ref()
        .and_then(|s| rules.agency(s.value.as_str()))
    {
        d.set_hint(msg(
            format!("Cơ quan kế thừa: `{}` ({})", s.id.value, s.name.0),
            format!("Its successor: `{}` ({})", s.id.value, s.name.0),
        ));
    }
}

/// The issuer of a conclusion must be of a kind its source allows (the
/// table of legal rules says which).
pub fn check_issuer(
    r: &mut Reader<'_>,
    rules: &Rules<'_>,
    span: Span,
    id: &str,
    (source, day): (ConclusionSource, NaiveDate),
) {
    let Some(a) = rules.agency(id) else {
        return;
    };
    let Some(rule) = rules.law.issuer(source, a.kind, day) else {
        return;
    };
    let may = super::law::kinds_list(&rule.kinds);
    r.error(
        Code::IssuerSource,
        span,
        msg(
            format!(
                "{} (`{}`, {}) không ban hành {} ({})",
                a.name.0,
                a.kind.id(),
                a.kind.term_vi(),
                source.term_vi(),
                rule.basis.vi
            ),
            format!(
                "{} (`{}`) does not issue conclusions of the source `{}` ({})",
                a.name.0,
                a.kind.id(),
                source.id(),
                rule.basis.en
            ),
        ),
    )
    .set_hint(msg(
        format!("Cơ quan ban hành được: {may}; hoặc sửa `source`"),
        format!("Bodies that may issue it: {may}; or correct `source`"),
    ));
}

/// Across the registry: a successor chain must not come back to where it
/// started, and must not end at an agency that ceased to exist on or before
/// the one it succeeds, with nobody after it — the open recommendations
/// would have nobody to answer for them.
pub fn check_successors(
    agencies: &[Agency],
    file: &crate::source::SourceFile,
    diags: &mut Diagnostics,
) {
    let index = Rules::index_of(agencies);
    let at = |id: &str| index.get(id).copied();
    for (i, a) in agencies.iter().enumerate() {
        let (Some(s), Some(gone)) = (&a.successor, &a.dissolved_on) else {
            continue;
        };
        let field = format!("[{i}].successor");
        let mut seen = vec![i];
        let mut cur = at(s.value.as_str());
        while let Some(c) = cur {
            if seen.contains(&c) {
                diags.push(
                    Diagnostic::error(
                        Code::ReferenceCycle,
                        file,
                        msg(
                            format!(
                                "Chuỗi cơ quan kế thừa của `{}` quay lại chính nó",
                                a.id.value
                            ),
                            format!(
                                "the chain of successors of `{}` comes back to itself",
                                a.id.value
                            ),
                        ),
                    )
                    .at(file, s.span)
                    .field(field.clone()),
                );
                break;
            }
            seen.push(c);
            let next = &agencies[c];
            match (&next.dissolved_on, &next.successor) {
                (Some(d), None) if d.value <= gone.value => {
                    diags.push(
                        Diagnostic::error(
                            Code::AgencyLifecycle,
                            file,
                            msg(
                                format!(
                                    "Cơ quan kế thừa `{}` đã thôi hoạt động ngày {} (trước hoặc cùng ngày `{}` thôi hoạt động) và không có cơ quan kế thừa",
                                    next.id.value, d.value.format("%d/%m/%Y"), a.id.value
                                ),
                                format!(
                                    "the successor `{}` ceased to exist on {} (no later than `{}`) and has no successor of its own",
                                    next.id.value, d.value, a.id.value
                                ),
                            ),
                        )
                        .at(file, s.span)
                        .field(field.clone())
                        .hint(msg(
                            format!("Ghi `successor` cho `{}`, hoặc chọn cơ quan kế thừa còn hoạt động", next.id.value),
                            format!("Give `{}` a `successor`, or choose a successor that still exists", next.id.value),
                        )),
                    );
                    break;
                }
                (_, Some(n)) => cur = at(n.value.as_str()),
                _ => break,
            }
        }
    }
}
