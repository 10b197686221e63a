//! Recovered-asset figures (*số liệu thu hồi*): one row per reporting period
//! and agency, from `recoveries/*.csv` or `*.xlsx`.

use crate::diag::Code;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::amount::{Area, Vnd};
use super::fields::Fields;
use super::law::Reporting;
use super::read::Ref;
use super::read::{Reader, Target, Text};
use super::rules::Rules;
use super::schema;
use crate::diag::msg;
use crate::load::node::Node;
use crate::source::Span;

pub use super::period::ReportPeriod;

/// One row of recovery figures.
#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    pub period: ReportPeriod,
    pub agency: Ref,
    pub recommended_vnd: Vnd,
    pub recovered_vnd: Vnd,
    pub recommended_land_m2: Area,
    pub recovered_land_m2: Area,
    pub note: Option<Text>,
    /// The day the report was signed.
    pub reported_on: NaiveDate,
    /// Who signed it: a report nobody signed and dated is not a report
    /// (seed 004: "không ký, không ngày").
    pub signed_by: Text,
    /// The file the row came from, and its line (or spreadsheet row).
    #[serde(skip)]
    pub file: std::sync::Arc<crate::source::SourceFile>,
    #[serde(skip)]
    pub line: u32,
    /// Where its figures are, for messages about them.
    #[serde(skip)]
    pub span: Span,
}

impl Recovery {
    /// The four figures, which identify a copied-forward report.
    pub fn figures(&self) -> (Vnd, Vnd, Area, Area) {
        (
            self.recommended_vnd,
            self.recovered_vnd,
            self.recommended_land_m2,
            self.recovered_land_m2,
        )
    }
}

/// Normalises a header for matching: folded, `m²` as `m2`, punctuation as spaces.
pub fn normalise_header(h: &str) -> String {
    congkhai_fold::fold(&h.replace('²', "2"))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The column of `fields` a header names, written as the column's key or
/// one of its Vietnamese headers, with or without marks.
pub fn column_key<'f>(
    fields: impl IntoIterator<Item = &'f super::schema::Field>,
    header: &str,
) -> Option<&'static str> {
    let h = normalise_header(header);
    fields.into_iter().find_map(|f| {
        (normalise_header(f.column()) == h || f.headers.iter().any(|v| normalise_header(v) == h))
            .then_some(f.column())
    })
}

impl Recovery {
    /// Reads one row, already keyed by column. `file_period` is the period
    /// named by the file (`2026-q1.csv`), which every row must match.
    pub fn read(
        node: &Node,
        r: &mut Reader<'_>,
        rules: &Rules<'_>,
        (file, line): (&std::sync::Arc<crate::source::SourceFile>, u32),
        file_period: Option<ReportPeriod>,
    ) -> Option<Self> {
        let mut f = Fields::of_schema(node, r, &schema::RECOVERY)?;
        let period = f.req::<ReportPeriod>(r, "period");
        let agency = f.req_ref(r, "agency", Target::Agency);
        let recommended_vnd = f.req::<Vnd>(r, "recommended_vnd");
        let recovered_vnd = f.req::<Vnd>(r, "recovered_vnd");
        let recommended_land_m2 = f.opt::<Area>(r, "recommended_land_m2");
        let recovered_land_m2 = f.opt::<Area>(r, "recovered_land_m2");
        let land_written = (
            f.node("recommended_land_m2").is_some(),
            f.node("recovered_land_m2").is_some(),
        );
        let note = f.opt(r, "note");
        let reported_on = f.req::<NaiveDate>(r, "reported_on");
        let signed_by = f.req::<Text>(r, "signed_by");
        f.finish(r);
        if let Some(p) = period {
            check_period(r, &f, &rules.law.reporting, (p, file_period), reported_on);
        }
        if let (Some(a), Some(b)) = (recommended_vnd, recovered_vnd) {
            check_not_more(r, f.span_of("recovered_vnd"), "recovered_vnd", b, a, "đồng");
        }
        // Empty land cells are zero; cells that could not be read were reported.
        let land = |v: Option<Area>, written: bool| if written { v } else { Some(Area(0)) };
        let (recommended_land_m2, recovered_land_m2) = (
            land(recommended_land_m2, land_written.0),
            land(recovered_land_m2, land_written.1),
        );
        if let (Some(a), Some(b)) = (recommended_land_m2, recovered_land_m2) {
            check_not_more(
                r,
                f.span_of("recovered_land_m2"),
                "recovered_land_m2",
                b,
                a,
                "m²",
            );
        }
        Some(Recovery {
            period: period?,
            agency: agency?,
            recommended_vnd: recommended_vnd?,
            recovered_vnd: recovered_vnd?,
            recommended_land_m2: recommended_land_m2?,
            recovered_land_m2: recovered_land_m2?,
            note,
            reported_on: reported_on?,
            signed_by: signed_by?,
            file: file.clone(),
            line,
            span: f.span_of("recovered_vnd"),
        })
    }
}

fn check_not_more<T: PartialOrd + fmt::Display>(
    r: &mut Reader<'_>,
    span: Span,
    key: &str,
    got: T,
    limit: T,
    unit: &str,
) {
    if got > limit {
        r.in_key(key, |r| {
            r.error(
                Code::AmountExceeds,
                span,
                msg(
                    format!("Số đã thu hồi ({got} {unit}) lớn hơn số kiến nghị thu hồi ({limit} {unit})"),
                    format!("the recovered amount ({got} {unit}) exceeds the amount recommended ({limit} {unit})"),
                ),
            );
        });
    }
}

/// A report must be for its file's period, must not be for a period that has
/// not started, and cannot be signed before the period's data were cut off
/// (by default the 14th of its last month, so a Q3 report may be signed on
/// 18 September but not on 10 September).
fn check_period(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    reporting: &Reporting,
    (p, file_period): (ReportPeriod, Option<ReportPeriod>),
    reported_on: Option<NaiveDate>,
) {
    let span = f.span_of("period");
    r.in_key("period", |r| {
        if let Some(fp) = file_period.filter(|fp| *fp != p) {
            r.error(
                Code::PeriodMismatch,
                span,
                msg(
                    format!("Kỳ {p} không khớp với tên tệp (kỳ {fp}): tệp đặt tên theo kỳ chỉ được chứa số liệu của kỳ đó"),
                    format!("the period {p} does not match the file name (period {fp}): a file named for a period holds only that period"),
                ),
            );
        }
        if p.start() > r.as_of {
            let as_of = r.as_of;
            r.error(
                Code::ReportPeriod,
                span,
                msg(
                    format!("Kỳ {p} chưa bắt đầu vào ngày lập dữ liệu {as_of}"),
                    format!("the period {p} has not started on the as-of date {as_of}"),
                ),
            );
        }
    });
    let Some(d) = reported_on else { return };
    let span = f.span_of("reported_on");
    let (from, to) = p.window(reporting.cutoff);
    let citation = reporting.citation.clone();
    r.in_key("reported_on", |r| {
        r.check_not_future(d, span, ("Ngày báo cáo", "The report date"));
        if d <= to {
            let fmt = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
            r.error(
                Code::ReportPeriod,
                span,
                msg(
                    format!(
                        "Báo cáo kỳ {p} ký ngày {}, chưa sau ngày chốt số liệu của kỳ ({}; số liệu từ {} đến {}, {})",
                        fmt(d), fmt(to), fmt(from), fmt(to), citation.vi
                    ),
                    format!(
                        "the report for {p} is signed on {d}, not after the period's cut-off ({to}; data from {from} to {to}, {})",
                        citation.en
                    ),
                ),
            )
            .set_hint(msg(
                "Kiểm tra kỳ và ngày ký báo cáo; ngày chốt số liệu đặt bằng `[reporting] cutoff_day` trong congkhai.toml",
                "Check the period and the report's date; the cut-off day is `[reporting] cutoff_day` in congkhai.toml",
            ));
        }
    });
}

/// The period a file is named for: `2026-q1.csv` → 2026-Q1.
pub fn file_period(stem: &str) -> Option<ReportPeriod> {
    ReportPeriod::parse(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_both_languages() {
        assert_eq!(
            column_key(schema::RECOVERY.fields, "Kỳ báo cáo"),
            Some("period")
        );
        assert_eq!(
            column_key(schema::RECOVERY.fields, "ky bao cao"),
            Some("period")
        );
        assert_eq!(
            column_key(schema::RECOVERY.fields, "Kiến nghị thu hồi đất (m2)"),
            Some("recommended_land_m2")
        );
        assert_eq!(
            column_key(schema::RECOVERY.fields, "recovered_vnd"),
            Some("recovered_vnd")
        );
        assert_eq!(column_key(schema::RECOVERY.fields, "Tổng"), None);
    }
}
