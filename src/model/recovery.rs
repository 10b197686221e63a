//! Recovered-asset figures (*số liệu thu hồi*): one row per reporting period
//! and agency, from `recoveries/*.csv` or `*.xlsx`.

use crate::diag::Code;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::amount::{Area, Vnd};
use super::fields::Fields;
use super::read::Ref;
use super::read::{FromNode, Reader, Target, Text};
use super::schema;
use crate::diag::msg;
use crate::load::node::Node;
use crate::source::Span;

/// A reporting period: a year, a quarter or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportPeriod {
    Year(i32),
    Quarter(i32, u32),
    Month(i32, u32),
}

impl ReportPeriod {
    /// Parses `2026`, `2026-Q1` or `2026-03`, and the Vietnamese forms
    /// `Quý 1/2026`, `Q1/2026` and `Tháng 3/2026`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = congkhai_fold::fold(text.trim()).replace(' ', "");
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
        if let Some(y) = year(&t).filter(|_| t.len() == 4) {
            return Some(Self::Year(y));
        }
        if let Some((y, rest)) = t.split_once('-') {
            let y = year(y)?;
            if let Some(q) = rest.strip_prefix('q') {
                return q
                    .parse()
                    .ok()
                    .filter(|q| (1..=4).contains(q))
                    .map(|q| Self::Quarter(y, q));
            }
            return (rest.len() == 2)
                .then(|| rest.parse().ok())
                .flatten()
                .filter(|m| (1..=12).contains(m))
                .map(|m| Self::Month(y, m));
        }
        if let Some((p, y)) = t.split_once('/') {
            let y = year(y)?;
            if let Some(q) = p.strip_prefix("quy").or_else(|| p.strip_prefix('q')) {
                let q = match q {
                    "i" => Some(1),
                    "ii" => Some(2),
                    "iii" => Some(3),
                    "iv" => Some(4),
                    n => n.parse().ok(),
                };
                return q
                    .filter(|q| (1..=4).contains(q))
                    .map(|q| Self::Quarter(y, q));
            }
            let m = p.strip_prefix("thang").unwrap_or(p);
            return m
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .map(|m| Self::Month(y, m));
        }
        None
    }

    pub fn year(self) -> i32 {
        match self {
            Self::Year(y) | Self::Quarter(y, _) | Self::Month(y, _) => y,
        }
    }

    pub fn start(self) -> NaiveDate {
        let (y, m) = match self {
            Self::Year(y) => (y, 1),
            Self::Quarter(y, q) => (y, (q - 1) * 3 + 1),
            Self::Month(y, m) => (y, m),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }

    pub fn end(self) -> NaiveDate {
        let next = match self {
            Self::Year(y) => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            Self::Quarter(y, 4) => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            Self::Quarter(y, q) => NaiveDate::from_ymd_opt(y, q * 3 + 1, 1),
            Self::Month(y, 12) => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            Self::Month(y, m) => NaiveDate::from_ymd_opt(y, m + 1, 1),
        };
        next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }

    /// The quarter a period falls in (a year is its own period).
    pub fn quarter(self) -> Self {
        match self {
            Self::Month(y, m) => Self::Quarter(y, (m - 1) / 3 + 1),
            other => other,
        }
    }

    /// The Vietnamese name: `Quý 1/2026`, `Tháng 3/2026`, `Năm 2026`.
    pub fn label_vi(self) -> String {
        match self {
            Self::Year(y) => format!("Năm {y}"),
            Self::Quarter(y, q) => format!("Quý {q}/{y}"),
            Self::Month(y, m) => format!("Tháng {m}/{y}"),
        }
    }

    pub fn label_en(self) -> String {
        match self {
            Self::Year(y) => format!("{y}"),
            Self::Quarter(y, q) => format!("Q{q} {y}"),
            Self::Month(y, m) => {
                let d = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
                format!("{} {y}", d.format("%b"))
            }
        }
    }
}

impl fmt::Display for ReportPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y}"),
            Self::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Self::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

impl Serialize for ReportPeriod {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromNode for ReportPeriod {
    const EXPECTED: (&'static str, &'static str) = ("kỳ báo cáo", "reporting period");
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let s = r.scalar(node, Self::EXPECTED)?;
        let p = Self::parse(&s.text);
        if p.is_none() {
            r.error(
                Code::InvalidValue,
                node.span,
                msg(
                    format!("`{}` không phải kỳ báo cáo hợp lệ", s.text),
                    format!("`{}` is not a valid reporting period", s.text),
                ),
            )
            .set_hint(msg(
                "Viết kỳ theo dạng `2026` (năm), `2026-Q1` (quý) hoặc `2026-03` (tháng)",
                "Write the period as `2026` (year), `2026-Q1` (quarter) or `2026-03` (month)",
            ));
        }
        p
    }
}

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
    pub reported_on: Option<NaiveDate>,
    /// The file the row came from, and its line (or spreadsheet row).
    #[serde(skip)]
    pub file: std::sync::Arc<crate::source::SourceFile>,
    #[serde(skip)]
    pub line: u32,
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
        file: &std::sync::Arc<crate::source::SourceFile>,
        file_period: Option<ReportPeriod>,
        line: u32,
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
        let reported_on = f.opt::<NaiveDate>(r, "reported_on");
        f.finish(r);
        if let Some(p) = period {
            check_period(r, &f, p, file_period, reported_on);
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
            reported_on,
            file: file.clone(),
            line,
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
/// not started, and cannot be dated before its period ended (a September
/// report carrying October's figures).
fn check_period(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    p: ReportPeriod,
    file_period: Option<ReportPeriod>,
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
                Code::FutureDate,
                span,
                msg(
                    format!("Kỳ {p} chưa bắt đầu vào ngày lập dữ liệu {as_of}"),
                    format!("the period {p} has not started on the as-of date {as_of}"),
                ),
            );
        }
    });
    if let Some(d) = reported_on {
        let span = f.span_of("reported_on");
        r.in_key("reported_on", |r| {
            r.check_not_future(d, span, ("Ngày báo cáo", "The report date"));
            if d < p.end() {
                r.error(
                    Code::PeriodMismatch,
                    span,
                    msg(
                        format!("Báo cáo kỳ {p} lập ngày {d}, trước khi kỳ kết thúc ({}) — số liệu không thể thuộc kỳ này", p.end()),
                        format!("the report for {p} is dated {d}, before the period ended ({}): its figures cannot be for that period", p.end()),
                    ),
                );
            }
        });
    }
}

/// The period a file is named for: `2026-q1.csv` → 2026-Q1.
pub fn file_period(stem: &str) -> Option<ReportPeriod> {
    ReportPeriod::parse(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_in_every_accepted_form() {
        assert_eq!(ReportPeriod::parse("2026"), Some(ReportPeriod::Year(2026)));
        assert_eq!(
            ReportPeriod::parse("2026-Q1"),
            Some(ReportPeriod::Quarter(2026, 1))
        );
        assert_eq!(
            ReportPeriod::parse("2026-q4"),
            Some(ReportPeriod::Quarter(2026, 4))
        );
        assert_eq!(
            ReportPeriod::parse("2026-03"),
            Some(ReportPeriod::Month(2026, 3))
        );
        assert_eq!(
            ReportPeriod::parse("Quý 2/2025"),
            Some(ReportPeriod::Quarter(2025, 2))
        );
        assert_eq!(
            ReportPeriod::parse("Quý IV/2025"),
            Some(ReportPeriod::Quarter(2025, 4))
        );
        assert_eq!(
            ReportPeriod::parse("Tháng 9/2021"),
            Some(ReportPeriod::Month(2021, 9))
        );
        assert_eq!(ReportPeriod::parse("2026-Q5"), None);
        assert_eq!(ReportPeriod::parse("2026-13"), None);
        assert_eq!(ReportPeriod::parse("thu-hoi"), None);
    }

    #[test]
    fn period_bounds() {
        let q = ReportPeriod::Quarter(2025, 3);
        assert_eq!(q.start(), NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
        assert_eq!(q.end(), NaiveDate::from_ymd_opt(2025, 9, 30).unwrap());
        assert_eq!(
            ReportPeriod::Month(2024, 2).end(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            ReportPeriod::Month(2025, 11).quarter(),
            ReportPeriod::Quarter(2025, 4)
        );
        assert_eq!(q.to_string(), "2025-Q3");
    }

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
