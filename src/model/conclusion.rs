//! Inspection conclusions (*kết luận thanh tra*) and their recommendations
//! (*kiến nghị*), each with the history of its follow-up.

use crate::diag::Code;
use chrono::NaiveDate;
use serde::Serialize;

use super::acting;
use super::amount::{Area, Vnd};
use super::fields::Fields;
use super::follow::{self, CaseStep, Extension, Withdrawal};
use super::law::Law;
use super::read::Ref;
use super::read::{FromNode, Reader, Spanned, Target, Text};
use super::record::{Source, read_source};
use super::rules::Rules;
use super::schema;
use super::vocab::{ConclusionSource, InspectionKind, RecommendationKind, Sector, Status};
use crate::diag::msg;
use crate::load::RawDoc;
use crate::load::node::{Node, Value};

#[derive(Debug, Clone, Serialize)]
pub struct Conclusion {
    #[serde(skip)]
    pub source: Source,
    pub number: Spanned<Text>,
    /// The number as compared for uniqueness ([`congkhai_fold::number_key`]):
    /// made once when read, since `serve` checks every number after each edit.
    #[serde(skip)]
    pub number_key: String,
    pub title: Text,
    pub issued_by: Ref,
    pub signed_on: NaiveDate,
    pub signed_by: Text,
    pub published_on: NaiveDate,
    pub inspected: Ref,
    pub sector: Sector,
    pub kind: InspectionKind,
    /// Which kind of oversight produced it (`source` in the file; the
    /// field named `source` here is the file it came from).
    pub origin: ConclusionSource,
    /// Set when the conclusion was withdrawn.
    pub withdrawn: Option<Withdrawal>,
    pub period: Option<Period>,
    pub violations: Option<Violations>,
    pub recommendations: Vec<Recommendation>,
    /// The signed conclusion itself and its annexes, as published files.
    pub documents: Vec<super::document::Document>,
}

/// The period an inspection covered.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What the inspection found wrong.
#[derive(Debug, Clone, Copy, Serialize, Default)]
pub struct Violations {
    pub money_vnd: Option<Vnd>,
    pub land_m2: Option<Area>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub id: Spanned<String>,
    pub kind: RecommendationKind,
    pub text: Text,
    pub responsible: Ref,
    pub due: Option<NaiveDate>,
    pub amount_vnd: Option<Vnd>,
    pub land_m2: Option<Area>,
    pub progress: Vec<Progress>,
    /// Decisions that carried the recommendation out (discipline, for example).
    pub decisions: Vec<Ref>,
    /// Another document that carried it out (a referral letter, a new policy).
    pub document: Option<Text>,
    /// New due dates granted, oldest first.
    pub extensions: Vec<Extension>,
    /// What became of a referral to investigators, oldest stage first.
    pub case: Vec<CaseStep>,
}

/// One step of a recommendation's follow-up. Amounts are cumulative.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub on: NaiveDate,
    pub status: Status,
    pub recovered_vnd: Option<Vnd>,
    pub recovered_land_m2: Option<Area>,
    pub note: Option<Text>,
    pub evidence: Option<Text>,
}

impl Conclusion {
    pub fn id(&self) -> &str {
        self.source.id.as_str()
    }

    /// Whether the conclusion had been withdrawn by `day`.
    pub fn withdrawn_by(&self, day: NaiveDate) -> bool {
        self.withdrawn.as_ref().is_some_and(|w| w.on <= day)
    }

    pub fn read(doc: &RawDoc, r: &mut Reader<'_>, rules: &Rules<'_>) -> Option<Self> {
        let root = doc.front.as_ref()?;
        let mut f = Fields::of_schema(root, r, &schema::CONCLUSION)?;
        let source = read_source(doc, &mut f, r);
        let number: Option<Spanned<Text>> = f.req(r, "number");
        let title = f.req(r, "title");
        let issued_by = f.req_ref(r, "issued_by", Target::Agency);
        let signed_on = f.req::<NaiveDate>(r, "signed_on");
        let signed_by = f.req(r, "signed_by");
        let published_on = f.req::<NaiveDate>(r, "published_on");
        let inspected = f.req_ref(r, "inspected", Target::Agency);
        let sector = f.req(r, "sector");
        let kind = f.req(r, "kind");
        let origin = f
            .opt::<ConclusionSource>(r, "source")
            .unwrap_or(ConclusionSource::Inspection);
        let withdrawn = follow::read_withdrawal(&mut f, r, signed_on);
        if let (Some(by), Some(day)) = (&issued_by, signed_on) {
            let span = f.span_of("issued_by");
            r.in_key("issued_by", |r| {
                let id = by.value.as_str();
                acting::check_exists(
                    r,
                    rules,
                    span,
                    id,
                    (day, ("Kết luận ký", "The conclusion is signed")),
                );
                acting::check_issuer(r, rules, span, id, (origin, day));
            });
        }
        let period = f
            .node("period")
            .and_then(|n| r.in_key("period", |r| read_period(n, r)));
        let violations = f
            .node("violations")
            .and_then(|n| r.in_key("violations", |r| read_violations(n, r)));

        if let Some(d) = signed_on {
            r.in_key("signed_on", |r| {
                r.check_not_future(d, f.span_of("signed_on"), ("Ngày ký", "The signing date"))
            });
        }
        if let Some(signed) = signed_on {
            let body = &doc.file.text[doc.body.clone()];
            check_citations(r, rules.law, body, doc.body.start, signed);
        }
        if let Some(p) = published_on {
            let span = f.span_of("published_on");
            r.in_key("published_on", |r| {
                r.check_not_future(p, span, ("Ngày công khai", "The publication date"));
                if let Some(s) = signed_on {
                    r.check_order(
                        (s, "ngày ký", "the signing date"),
                        (p, "Ngày công khai", "The publication date"),
                        span,
                    );
                    // The publication rule is the Inspection Law's; party
                    // and audit conclusions follow their own rules.
                    if origin == ConclusionSource::Inspection {
                        check_deadline(r, rules.law, s, p, span);
                    }
                }
            });
        }
        if let (Some(period), Some(signed)) = (period, signed_on) {
            let span = f.span_of("period");
            r.in_key("period", |r| {
                if period.to > signed {
                    r.error(
                        Code::DateOrder,
                        span,
                        msg(
                            format!("Thời kỳ thanh tra kết thúc ({}) sau ngày ký kết luận ({signed})", period.to),
                            format!("the inspected period ends ({}) after the conclusion was signed ({signed})", period.to),
                        ),
                    );
                }
            });
        }

        let recommendations = match f.node("recommendations") {
            Some(n) => r.in_key("recommendations", |r| {
                read_recommendations(n, r, (signed_on, withdrawn.is_some()), rules)
            }),
            None => {
                f.missing(r, "recommendations", None);
                Vec::new()
            }
        };
        let documents = super::document::documents(&mut f, r, rules.files);
        f.finish(r);
        Some(Conclusion {
            source: source?,
            number_key: congkhai_fold::number_key(&number.as_ref()?.value),
            number: number?,
            title: title?,
            issued_by: issued_by?,
            signed_on: signed_on?,
            signed_by: signed_by?,
            published_on: published_on?,
            inspected: inspected?,
            sector: sector?,
            kind: kind?,
            origin,
            withdrawn,
            period,
            violations,
            recommendations,
            documents,
        })
    }
}

/// A conclusion cites the law that was in force on the day it was signed:
/// "Luật Thanh tra 2022" in a conclusion of 2026 misleads its readers.
fn check_citations(r: &mut Reader<'_>, law: &Law, body: &str, start: usize, signed: NaiveDate) {
    let in_force = law.publication(signed);
    for rule in law.publication.iter().filter(|p| !p.valid.contains(signed)) {
        let Some(at) = rule.cited_in(body) else {
            continue;
        };
        let cited = &body[at.clone()];
        let span = crate::source::Span::new(start + at.start, start + at.end);
        let until = match (rule.valid.from, rule.valid.to) {
            (_, Some(to)) if signed > to => (
                format!(
                    "chỉ áp dụng cho văn bản ký đến ngày {}",
                    to.format("%d/%m/%Y")
                ),
                format!("applies only to documents signed until {to}"),
            ),
            (Some(from), _) => (
                format!(
                    "chỉ áp dụng cho văn bản ký từ ngày {}",
                    from.format("%d/%m/%Y")
                ),
                format!("applies only to documents signed from {from}"),
            ),
            _ => (String::new(), String::new()),
        };
        let hint = in_force.map(|now| {
            let c = now.citation();
            msg(
                format!("Vào ngày ký, căn cứ là: {}", c.vi),
                format!("On the day of signing the basis was: {}", c.en),
            )
        });
        r.in_key("body", |r| {
            let d = r.warning(
                Code::OutdatedCitation,
                span,
                msg(
                    format!("Kết luận ký ngày {} viện dẫn “{cited}”, văn bản {} (bảng quy định pháp luật)", signed.format("%d/%m/%Y"), until.0),
                    format!("the conclusion signed on {signed} cites \"{cited}\", which {} (table of legal rules)", until.1),
                ),
            );
            if let Some(h) = hint {
                d.set_hint(h);
            }
        });
    }
}

/// A conclusion is published within a few days of signing, under the
/// publication rule in force on the day it was signed (which the warning cites).
fn check_deadline(
    r: &mut Reader<'_>,
    law: &Law,
    signed: NaiveDate,
    published: NaiveDate,
    span: crate::source::Span,
) {
    let Some(rule) = law.publication(signed) else {
        return;
    };
    let days = (published - signed).num_days();
    let max = i64::from(rule.max_days_after_signing);
    if days > max {
        let law = rule.law_article();
        r.warning(
            Code::LatePublication,
            span,
            msg(
                format!("Kết luận được công khai {days} ngày sau khi ký, quá thời hạn {max} ngày ({})", law.vi),
                format!("the conclusion was published {days} days after signing, beyond the {max}-day limit ({})", law.en),
            ),
        );
    }
}

fn read_period(node: &Node, r: &mut Reader<'_>) -> Option<Period> {
    let mut f = Fields::of_schema(node, r, &schema::PERIOD)?;
    let from = f.req::<NaiveDate>(r, "from");
    let to = f.req::<NaiveDate>(r, "to");
    f.finish(r);
    let (from, to) = (from?, to?);
    r.check_order(
        (from, "ngày bắt đầu", "the start"),
        (to, "Ngày kết thúc", "The end"),
        f.span_of("to"),
    );
    Some(Period { from, to })
}

fn read_violations(node: &Node, r: &mut Reader<'_>) -> Option<Violations> {
    let mut f = Fields::of_schema(node, r, &schema::VIOLATIONS)?;
    let v = Violations {
        money_vnd: f.opt(r, "money_vnd"),
        land_m2: f.opt(r, "land_m2"),
    };
    f.finish(r);
    Some(v)
}

/// `withdrawn`: the conclusion was withdrawn, so its follow-up is not
/// expected to go on.
fn read_recommendations(
    node: &Node,
    r: &mut Reader<'_>,
    (signed_on, withdrawn): (Option<NaiveDate>, bool),
    rules: &Rules<'_>,
) -> Vec<Recommendation> {
    let Value::List(items) = &node.value else {
        r.wrong_kind(
            node,
            (
                "một danh sách kiến nghị (mỗi kiến nghị bắt đầu bằng `- id:`)",
                "a list of recommendations (each starting with `- id:`)",
            ),
        );
        return Vec::new();
    };
    let mut out: Vec<Recommendation> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Some(rec) = r.in_index(i, |r| {
            read_recommendation(item, r, (signed_on, withdrawn), rules)
        }) else {
            continue;
        };
        // Ids become anchors (`#kn1`), which do not tell case apart.
        if let Some(first) = out
            .iter()
            .find(|o| o.id.value.eq_ignore_ascii_case(&rec.id.value))
        {
            let line = r.file.line_col(first.id.span.start as usize).line;
            r.in_index(i, |r| {
                r.error(
                    Code::DuplicateId,
                    rec.id.span,
                    msg(
                        format!(
                            "Mã kiến nghị `{}` bị trùng (đã dùng ở dòng {line})",
                            rec.id.value
                        ),
                        format!(
                            "the recommendation id `{}` is used twice (first on line {line})",
                            rec.id.value
                        ),
                    ),
                );
            });
            continue;
        }
        out.push(rec);
    }
    out
}

/// A recommendation id as written (`KN1`, `kn-2`): a short slug, since it
/// becomes the anchor of the recommendation on its page and a column of the
/// open data. Published, so it is linted for personal identifiers.
fn recommendation_id(r: &mut Reader<'_>, id: Spanned<String>) -> Option<Spanned<String>> {
    let text = id.value.as_str();
    let valid = text.len() <= 40
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        let suggestion = super::id::slug(text).to_uppercase();
        r.error(
            Code::InvalidId,
            id.span,
            msg(
                format!("Mã kiến nghị `{text}` không hợp lệ: chỉ dùng chữ cái không dấu, chữ số, `-` và `_`, tối đa 40 ký tự"),
                format!("the recommendation id `{text}` is invalid: use only ASCII letters, digits, `-` and `_`, at most 40 characters"),
            ),
        )
        .set_hint(if suggestion.is_empty() {
            msg("Ví dụ: `KN1`", "For example: `KN1`")
        } else {
            msg(
                format!("Ví dụ: `{suggestion}`"),
                format!("For example: `{suggestion}`"),
            )
        });
        return None;
    }
    r.lint_privacy(text, id.span);
    Some(id)
}

fn read_recommendation(
    node: &Node,
    r: &mut Reader<'_>,
    (signed_on, withdrawn): (Option<NaiveDate>, bool),
    rules: &Rules<'_>,
) -> Option<Recommendation> {
    let mut f = Fields::of_schema(node, r, &schema::RECOMMENDATION)?;
    let id = f.req::<Spanned<String>>(r, "id");
    let id = r.in_key("id", |r| id.and_then(|id| recommendation_id(r, id)));
    let kind = f.req::<RecommendationKind>(r, "kind");
    let text = f.req(r, "text");
    let responsible = f.req_ref(r, "responsible", Target::Agency);
    if let (Some(who), Some(day)) = (&responsible, signed_on) {
        let span = f.span_of("responsible");
        r.in_key("responsible", |r| {
            let what = (
                "Kiến nghị giao trong kết luận ký",
                "A recommendation assigned in a conclusion signed",
            );
            acting::check_exists(r, rules, span, who.value.as_str(), (day, what));
        });
    }
    let due = f.opt::<NaiveDate>(r, "due");
    let amount_vnd = f.opt::<Vnd>(r, "amount_vnd");
    let land_m2 = f.opt::<Area>(r, "land_m2");
    let decisions = f.refs(r, "decisions", Target::Decision);
    let document = f.opt(r, "document");
    match kind {
        Some(RecommendationKind::RecoverMoney)
            if amount_vnd.is_none() && f.node("amount_vnd").is_none() =>
        {
            f.missing(
                r,
                "amount_vnd",
                Some(msg(
                    "bắt buộc với kiến nghị thu hồi tiền",
                    "required for recover_money",
                )),
            );
        }
        Some(RecommendationKind::RecoverLand)
            if land_m2.is_none() && f.node("land_m2").is_none() =>
        {
            f.missing(
                r,
                "land_m2",
                Some(msg(
                    "bắt buộc với kiến nghị thu hồi đất",
                    "required for recover_land",
                )),
            );
        }
        _ => {}
    }
    match (due, signed_on) {
        (None, _) => {
            let span = f.start();
            r.warning(
                Code::NoDueDate,
                span,
                msg(
                    "Kiến nghị chưa có thời hạn (`due`): không thể theo dõi quá hạn",
                    "the recommendation has no due date (`due`): it cannot be tracked as overdue",
                ),
            );
        }
        (Some(due), Some(signed)) => {
            let span = f.span_of("due");
            r.in_key("due", |r| {
                r.check_order(
                    (signed, "ngày ký kết luận", "the conclusion's signing date"),
                    (due, "Thời hạn", "The due date"),
                    span,
                )
            });
        }
        _ => {}
    }
    // An amount that was written but could not be read has been reported;
    // checking recovered amounts against it would only repeat the error.
    let bounds = Bounds {
        signed_on,
        amount: amount_vnd.or_else(|| f.node("amount_vnd").is_none().then_some(Vnd(0))),
        land: land_m2.or_else(|| f.node("land_m2").is_none().then_some(Area(0))),
    };
    let progress = match f.node("progress") {
        Some(n) => r.in_key("progress", |r| read_progress(n, r, &bounds)),
        None => Vec::new(),
    };
    let extensions = match f.node("extensions") {
        Some(n) => r.in_key("extensions", |r| {
            follow::read_extensions(n, r, due, signed_on)
        }),
        None => Vec::new(),
    };
    let case = match f.node("case") {
        Some(n) => r.in_key("case", |r| follow::read_case(n, r, kind, signed_on)),
        None => Vec::new(),
    };
    if let (Some(signed), false) = (signed_on, withdrawn) {
        let span = match f.node("progress") {
            Some(_) => f.span_of("progress"),
            None => f.span_of("id"),
        };
        check_stale(
            r,
            span,
            &progress,
            (signed, rules.follow_up.stale_after_days),
        );
    }
    f.finish(r);
    Some(Recommendation {
        id: id?,
        kind: kind?,
        text: text?,
        responsible: responsible?,
        due,
        amount_vnd,
        land_m2,
        progress,
        decisions,
        document,
        extensions,
        case,
    })
}

/// An unfinished recommendation whose follow-up has not been updated for
/// longer than `[follow_up] stale_after_days` (since its last progress
/// entry, or since the conclusion when it has none) is flagged: readers
/// cannot tell a stalled recommendation from a forgotten record.
fn check_stale(
    r: &mut Reader<'_>,
    span: crate::source::Span,
    progress: &[Progress],
    (signed, limit): (NaiveDate, u32),
) {
    let as_of = r.as_of;
    let known: Vec<&Progress> = progress.iter().filter(|p| p.on <= as_of).collect();
    if known
        .last()
        .is_some_and(|p| matches!(p.status, Status::Done | Status::CannotComplete))
    {
        return;
    }
    let last = known.last().map_or(signed, |p| p.on);
    let days = (as_of - last).num_days();
    if days <= i64::from(limit) {
        return;
    }
    let since = match known.last() {
        Some(_) => (
            "lần cập nhật tiến độ gần nhất",
            "the last progress entry of",
        ),
        None => (
            "khi ký kết luận, chưa có cập nhật nào, ngày",
            "the conclusion was signed, with no entry, on",
        ),
    };
    let key = if known.is_empty() && progress.is_empty() {
        "id"
    } else {
        "progress"
    };
    r.in_key(key, |r| {
        r.warning(
            Code::StaleFollowUp,
            span,
            msg(
                format!(
                    "Kiến nghị chưa hoàn thành và đã {days} ngày không cập nhật kể từ {} {}, quá {limit} ngày",
                    since.0,
                    last.format("%d/%m/%Y")
                ),
                format!(
                    "the recommendation is not done and has not been updated for {days} days since {} {last}, more than {limit}",
                    since.1
                ),
            ),
        )
        .set_hint(msg(
            "Ghi một bước `progress` mới với tình trạng hiện tại; giới hạn đặt bằng `[follow_up] stale_after_days`",
            "Add a `progress` entry with the current state; the limit is `[follow_up] stale_after_days`",
        ));
    });
}

/// The limits a progress history must respect (`None`: unknown, not checked).
struct Bounds {
    signed_on: Option<NaiveDate>,
    amount: Option<Vnd>,
    land: Option<Area>,
}

fn read_progress(node: &Node, r: &mut Reader<'_>, bounds: &Bounds) -> Vec<Progress> {
    let Value::List(items) = &node.value else {
        r.wrong_kind(
            node,
            (
                "một danh sách các bước theo dõi (mỗi bước bắt đầu bằng `- on:`)",
                "a list of progress entries (each starting with `- on:`)",
            ),
        );
        return Vec::new();
    };
    let mut out: Vec<Progress> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(p) = r.in_index(i, |r| read_step(item, r, bounds, out.last())) {
            out.push(p);
        }
    }
    out
}

fn read_step(
    node: &Node,
    r: &mut Reader<'_>,
    b: &Bounds,
    prev: Option<&Progress>,
) -> Option<Progress> {
    let mut f = Fields::of_schema(node, r, &schema::PROGRESS)?;
    let on = f.req::<NaiveDate>(r, "on");
    let status = f.req::<Status>(r, "status");
    let recovered_vnd = f.opt::<Vnd>(r, "recovered_vnd");
    let recovered_land_m2 = f.opt::<Area>(r, "recovered_land_m2");
    let note = f.opt(r, "note");
    let evidence: Option<Text> = f.opt(r, "evidence");
    f.finish(r);
    let on_span = f.span_of("on");
    if let Some(on) = on {
        r.in_key("on", |r| {
            r.check_not_future(on, on_span, ("Ngày cập nhật", "The progress date"));
            if let Some(signed) = b.signed_on {
                r.check_order(
                    (signed, "ngày ký kết luận", "the conclusion's signing date"),
                    (on, "Ngày cập nhật", "The progress date"),
                    on_span,
                );
            }
            if let Some(prev) = prev.filter(|p| on < p.on) {
                r.error(
                    Code::DateOrder,
                    on_span,
                    msg(
                        format!(
                            "Các bước theo dõi phải theo thứ tự thời gian: {on} đứng sau {}",
                            prev.on
                        ),
                        format!(
                            "progress entries must be in date order: {on} comes after {}",
                            prev.on
                        ),
                    ),
                );
            }
        });
    }
    if let (Some(v), Some(limit)) = (recovered_vnd, b.amount) {
        let span = f.span_of("recovered_vnd");
        r.in_key("recovered_vnd", |r| {
            check_recovered(
                r,
                span,
                v,
                limit,
                prev.and_then(|p| p.recovered_vnd),
                "đồng",
            );
        });
    }
    if let (Some(v), Some(limit)) = (recovered_land_m2, b.land) {
        let span = f.span_of("recovered_land_m2");
        r.in_key("recovered_land_m2", |r| {
            check_recovered(
                r,
                span,
                v,
                limit,
                prev.and_then(|p| p.recovered_land_m2),
                "m²",
            );
        });
    }
    if status == Some(Status::Done) && evidence.is_none() {
        let span = f.span_of("status");
        r.in_key("status", |r| {
            r.warning(
                Code::NoEvidence,
                span,
                msg(
                    "Kiến nghị được ghi là đã hoàn thành nhưng không có chứng cứ (`evidence`)",
                    "the recommendation is marked done but has no evidence (`evidence`)",
                ),
            );
        });
    }
    Some(Progress {
        on: on?,
        status: status?,
        recovered_vnd,
        recovered_land_m2,
        note,
        evidence,
    })
}

/// Cumulative recovered amounts never exceed what was recommended and never go down.
fn check_recovered<T: PartialOrd + Copy + std::fmt::Display>(
    r: &mut Reader<'_>,
    span: crate::source::Span,
    value: T,
    limit: T,
    previous: Option<T>,
    unit: &str,
) {
    if value > limit {
        r.error(
            Code::AmountExceeds,
            span,
            msg(
                format!("Số đã thu hồi ({value} {unit}) lớn hơn số kiến nghị thu hồi ({limit} {unit})"),
                format!("the recovered amount ({value} {unit}) exceeds the amount recommended ({limit} {unit})"),
            ),
        );
    }
    if let Some(prev) = previous.filter(|p| value < *p) {
        r.error(
            Code::AmountDecreases,
            span,
            msg(
                format!("Số đã thu hồi là số cộng dồn nên không thể giảm ({prev} → {value})"),
                format!("recovered amounts are cumulative and cannot go down ({prev} → {value})"),
            ),
        );
    }
}

impl FromNode for Period {
    const EXPECTED: (&'static str, &'static str) = ("thời kỳ", "period");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        read_period(node, r)
    }
}
