//! What happens to a recommendation besides its progress: deadlines
//! extended by a document, and the stages of a case referred to
//! investigators; and a conclusion withdrawn after publication. Each is read
//! and checked here, beside its type.

use chrono::NaiveDate;
use serde::Serialize;

use super::amount::Vnd;
use super::fields::Fields;
use super::read::{Reader, Text};
use super::schema;
use super::vocab::{CaseStage, ConclusionStatus, RecommendationKind, Vocab};
use crate::diag::{Code, msg};
use crate::load::node::{Node, Value};

/// A new due date granted by a document. The original `due` stays on the
/// record: readers see how often and how far a deadline moved.
#[derive(Debug, Clone, Serialize)]
pub struct Extension {
    pub to: NaiveDate,
    pub document: Text,
    pub on: NaiveDate,
}

/// One stage of a case referred to investigators. `recovered_vnd` is
/// cumulative, like the amounts of progress entries.
#[derive(Debug, Clone, Serialize)]
pub struct CaseStep {
    pub on: NaiveDate,
    pub stage: CaseStage,
    pub document: Option<Text>,
    pub recovered_vnd: Option<Vnd>,
    pub note: Option<Text>,
}

/// A conclusion withdrawn after it was published: it stays on the portal,
/// marked, and its recommendations leave the targets.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
    pub on: NaiveDate,
    pub note: Option<Text>,
}

/// The items of a list, each read by `one` with the previous item read.
fn items<T>(
    node: &Node,
    r: &mut Reader<'_>,
    expected: (&str, &str),
    mut one: impl FnMut(&Node, &mut Reader<'_>, Option<&T>) -> Option<T>,
) -> Vec<T> {
    let Value::List(list) = &node.value else {
        r.wrong_kind(node, expected);
        return Vec::new();
    };
    let mut out: Vec<T> = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        if let Some(x) = r.in_index(i, |r| one(item, r, out.last())) {
            out.push(x);
        }
    }
    out
}

/// The date of one step of a list (an extension, a stage of a case): not
/// after the as-of date, not before the conclusion, not before the step
/// before it.
struct StepDates {
    what: (&'static str, &'static str),
    /// The code and the words of an out-of-order step.
    order: (Code, &'static str, &'static str),
}

impl StepDates {
    fn check(
        &self,
        r: &mut Reader<'_>,
        span: crate::source::Span,
        on: NaiveDate,
        signed_on: Option<NaiveDate>,
        prev: Option<NaiveDate>,
    ) {
        r.in_key("on", |r| {
            r.check_not_future(on, span, self.what);
            if let Some(signed) = signed_on {
                r.check_order(
                    (signed, "ngày ký kết luận", "the conclusion's signing date"),
                    (on, self.what.0, self.what.1),
                    span,
                );
            }
            if let Some(p) = prev.filter(|p| on < *p) {
                let (code, vi, en) = self.order;
                r.error(
                    code,
                    span,
                    msg(
                        format!("{vi}: {on} đứng sau {p}"),
                        format!("{en}: {on} comes after {p}"),
                    ),
                );
            }
        });
    }
}

/// Reads `extensions`: each must move the deadline later than the one
/// before (the original `due` first), be dated from the conclusion on, and
/// come in date order.
pub fn read_extensions(
    node: &Node,
    r: &mut Reader<'_>,
    due: Option<NaiveDate>,
    signed_on: Option<NaiveDate>,
) -> Vec<Extension> {
    if due.is_none() {
        r.error(
            Code::Extension,
            node.span,
            msg(
                "Gia hạn một kiến nghị không có thời hạn gốc (`due`)",
                "extensions of a recommendation without an original due date (`due`)",
            ),
        );
        return Vec::new();
    }
    items(
        node,
        r,
        (
            "một danh sách các lần gia hạn (mỗi lần bắt đầu bằng `- to:`)",
            "a list of extensions (each starting with `- to:`)",
        ),
        |n, r, prev: Option<&Extension>| {
            let mut f = Fields::of_schema(n, r, &schema::EXTENSION)?;
            let to = f.req::<NaiveDate>(r, "to");
            let document = f.req(r, "document");
            let on = f.req::<NaiveDate>(r, "on");
            f.finish(r);
            let (to, on) = (to?, on?);
            let dates = StepDates {
                what: ("Ngày gia hạn", "The extension's date"),
                order: (
                    Code::Extension,
                    "Các lần gia hạn phải theo thứ tự thời gian",
                    "extensions must be in date order",
                ),
            };
            dates.check(r, f.span_of("on"), on, signed_on, prev.map(|p| p.on));
            let before = prev.map_or(due, |p| Some(p.to));
            if let Some(before) = before.filter(|b| to <= *b) {
                let span = f.span_of("to");
                r.in_key("to", |r| {
                    r.error(
                        Code::Extension,
                        span,
                        msg(
                            format!(
                                "Thời hạn gia hạn {} không sau thời hạn trước đó {}",
                                to.format("%d/%m/%Y"),
                                before.format("%d/%m/%Y")
                            ),
                            format!(
                                "the extended due date {to} is not after the previous one, {before}"
                            ),
                        ),
                    );
                });
            }
            Some(Extension {
                to,
                document: document?,
                on,
            })
        },
    )
}

/// Where a stage comes in the course of a case; `dropped` may end it at
/// any point.
fn rank(s: CaseStage) -> u8 {
    match s {
        CaseStage::Received => 0,
        CaseStage::Prosecuted => 1,
        CaseStage::Indicted => 2,
        CaseStage::Tried => 3,
        CaseStage::JudgmentEnforced => 4,
        CaseStage::Dropped => 5,
    }
}

/// Reads `case`: only for a referral, in date order, each stage at or after
/// the one before, nothing after `dropped`, recovered amounts cumulative.
pub fn read_case(
    node: &Node,
    r: &mut Reader<'_>,
    kind: Option<RecommendationKind>,
    signed_on: Option<NaiveDate>,
) -> Vec<CaseStep> {
    if kind.is_some_and(|k| k != RecommendationKind::ReferToInvestigation) {
        r.error(
            Code::CaseStage,
            node.span,
            msg(
                "Chỉ kiến nghị chuyển cơ quan điều tra (`refer_to_investigation`) mới có diễn biến vụ việc (`case`)",
                "only a referral to investigators (`refer_to_investigation`) has a case (`case`)",
            ),
        );
        return Vec::new();
    }
    items(
        node,
        r,
        (
            "một danh sách các bước của vụ việc (mỗi bước bắt đầu bằng `- on:`)",
            "a list of stages (each starting with `- on:`)",
        ),
        |n, r, prev: Option<&CaseStep>| {
            let mut f = Fields::of_schema(n, r, &schema::CASE)?;
            let on = f.req::<NaiveDate>(r, "on");
            let stage = f.req::<CaseStage>(r, "stage");
            let document = f.opt(r, "document");
            let recovered_vnd = f.opt::<Vnd>(r, "recovered_vnd");
            let note = f.opt(r, "note");
            f.finish(r);
            let (on, stage) = (on?, stage?);
            let dates = StepDates {
                what: ("Ngày", "The date"),
                order: (
                    Code::DateOrder,
                    "Các bước của vụ việc phải theo thứ tự thời gian",
                    "the stages of a case must be in date order",
                ),
            };
            dates.check(r, f.span_of("on"), on, signed_on, prev.map(|p| p.on));
            if let Some(p) = prev {
                let span = f.span_of("stage");
                let back = p.stage == CaseStage::Dropped || rank(stage) < rank(p.stage);
                if back {
                    r.in_key("stage", |r| {
                        r.error(
                            Code::CaseStage,
                            span,
                            msg(
                                format!(
                                    "Giai đoạn `{}` ({}) không thể đến sau `{}` ({})",
                                    stage.id(),
                                    stage.term_vi(),
                                    p.stage.id(),
                                    p.stage.term_vi()
                                ),
                                format!(
                                    "the stage `{}` cannot follow `{}`",
                                    stage.id(),
                                    p.stage.id()
                                ),
                            ),
                        );
                    });
                }
                if let (Some(v), Some(before)) = (recovered_vnd, p.recovered_vnd)
                    && v < before
                {
                    let span = f.span_of("recovered_vnd");
                    r.in_key("recovered_vnd", |r| {
                        r.error(
                            Code::AmountDecreases,
                            span,
                            msg(
                                format!("Số thu hồi theo bản án là số cộng dồn nên không thể giảm ({before} → {v})"),
                                format!("amounts recovered by judgment are cumulative and cannot go down ({before} → {v})"),
                            ),
                        );
                    });
                }
            }
            Some(CaseStep {
                on,
                stage,
                document,
                recovered_vnd,
                note,
            })
        },
    )
}

impl CaseStep {
    /// What the case has recovered by `as_of` (its last known amount).
    pub fn recovered(steps: &[CaseStep], as_of: NaiveDate) -> Vnd {
        steps
            .iter()
            .rev()
            .filter(|s| s.on <= as_of)
            .find_map(|s| s.recovered_vnd)
            .unwrap_or_default()
    }

    /// The stage the case has reached by `as_of`.
    pub fn current(steps: &[CaseStep], as_of: NaiveDate) -> Option<&CaseStep> {
        steps.iter().rev().find(|s| s.on <= as_of)
    }
}

impl Extension {
    /// The due date in force on `as_of`: the latest extension granted by
    /// then, or the original.
    pub fn due(
        due: Option<NaiveDate>,
        extensions: &[Extension],
        as_of: NaiveDate,
    ) -> Option<NaiveDate> {
        extensions
            .iter()
            .rev()
            .find(|e| e.on <= as_of)
            .map(|e| e.to)
            .or(due)
    }

    /// How many extensions were granted by `as_of`.
    pub fn granted(extensions: &[Extension], as_of: NaiveDate) -> usize {
        extensions.iter().filter(|e| e.on <= as_of).count()
    }
}

/// `status: withdrawn` with its date (`status_on`, from the signing on) and
/// an optional `note`.
pub fn read_withdrawal(
    f: &mut Fields<'_>,
    r: &mut Reader<'_>,
    signed_on: Option<NaiveDate>,
) -> Option<Withdrawal> {
    let status = f.opt::<ConclusionStatus>(r, "status");
    let on = f.opt::<NaiveDate>(r, "status_on");
    let note = f.opt(r, "note");
    if status != Some(ConclusionStatus::Withdrawn) {
        return None;
    }
    let Some(on) = on else {
        let span = f.span_of("status");
        r.in_key("status", |r| {
            r.error(
                Code::Withdrawn,
                span,
                msg(
                    "Kết luận bị hủy bỏ (`status: withdrawn`) phải có ngày hủy bỏ (`status_on`)",
                    "a withdrawn conclusion (`status: withdrawn`) needs the date it was withdrawn (`status_on`)",
                ),
            );
        });
        return None;
    };
    let span = f.span_of("status_on");
    r.in_key("status_on", |r| {
        r.check_not_future(on, span, ("Ngày hủy bỏ", "The withdrawal date"));
        if let Some(signed) = signed_on {
            r.check_order(
                (signed, "ngày ký", "the signing date"),
                (on, "Ngày hủy bỏ", "The withdrawal date"),
                span,
            );
        }
    });
    Some(Withdrawal { on, note })
}
