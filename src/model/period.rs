//! Reporting periods (Nghị định 09/2019/NĐ-CP, the Government's reporting
//! regime): a month, a quarter, the first six months, the first nine
//! months, or a year; and the window of days whose data a period's report
//! holds, which by default runs from the 15th of the month before the
//! period to the 14th of its last month.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::law::Cutoff;
use super::read::{FromNode, Reader};
use crate::diag::{Code, msg};
use crate::load::node::Node;

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportPeriod {
    Year(i32),
    Quarter(i32, u32),
    Month(i32, u32),
    /// The first six months of a year (`2026-H1`, *6 tháng đầu năm*).
    Half(i32),
    /// The first nine months of a year (`2026-9M`, *9 tháng*).
    NineMonths(i32),
}

impl ReportPeriod {
    /// Parses `2026`, `2026-Q1`, `2026-03`, `2026-H1`, `2026-9M`, and the
    /// Vietnamese forms `Quý 1/2026`, `Q1/2026`, `Tháng 3/2026`,
    /// `6 tháng/2026`, `6 tháng đầu năm 2026`, `9 tháng/2026`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = congkhai_fold::fold(text.trim()).replace(' ', "");
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
        if let Some(y) = year(&t).filter(|_| t.len() == 4) {
            return Some(Self::Year(y));
        }
        for (months, make) in [(6u32, Self::Half as fn(i32) -> Self), (9, Self::NineMonths)] {
            let prefix = format!("{months}thang");
            if let Some(rest) = t.strip_prefix(&prefix) {
                let rest = rest
                    .trim_start_matches("daunam")
                    .trim_start_matches("nam")
                    .trim_start_matches('/');
                return year(rest).map(make);
            }
        }
        if let Some((y, rest)) = t.split_once('-') {
            let y = year(y)?;
            match rest {
                "h1" => return Some(Self::Half(y)),
                "9m" => return Some(Self::NineMonths(y)),
                _ => {}
            }
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
            Self::Year(y)
            | Self::Quarter(y, _)
            | Self::Month(y, _)
            | Self::Half(y)
            | Self::NineMonths(y) => y,
        }
    }

    /// The first and last month of the period (1–12).
    fn months(self) -> (u32, u32) {
        match self {
            Self::Year(_) => (1, 12),
            Self::Quarter(_, q) => ((q - 1) * 3 + 1, q * 3),
            Self::Month(_, m) => (m, m),
            Self::Half(_) => (1, 6),
            Self::NineMonths(_) => (1, 9),
        }
    }

    /// The first calendar day of the period.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.months().0, 1).unwrap_or_default()
    }

    /// The last calendar day of the period.
    pub fn end(self) -> NaiveDate {
        let (y, last) = (self.year(), self.months().1);
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, last + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }

    /// The days whose data the period's report holds. With a cut-off day
    /// `c`, from the day after `c` of the month before the period to day `c`
    /// of its last month (a Q3 report covers 15 June to 14 September, so it
    /// can be made on 18 September); else the calendar days.
    pub fn window(self, cutoff: Cutoff) -> (NaiveDate, NaiveDate) {
        match cutoff {
            Cutoff::Calendar => (self.start(), self.end()),
            Cutoff::Day(c) => {
                let first = self.start();
                let before = first.pred_opt().unwrap_or(first);
                let from = before.with_day(c + 1).unwrap_or(first);
                let last = self.end();
                (from, last.with_day(c).unwrap_or(last))
            }
        }
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
            Self::Half(y) => format!("6 tháng đầu năm {y}"),
            Self::NineMonths(y) => format!("9 tháng năm {y}"),
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
            Self::Half(y) => format!("H1 {y}"),
            Self::NineMonths(y) => format!("9 months {y}"),
        }
    }

    /// The period of the same kind just before (for spotting figures
    /// copied forward): the previous month or quarter, or the same stretch
    /// of the year before.
    pub fn previous(self) -> Self {
        match self {
            Self::Year(y) => Self::Year(y - 1),
            Self::Quarter(y, 1) => Self::Quarter(y - 1, 4),
            Self::Quarter(y, q) => Self::Quarter(y, q - 1),
            Self::Month(y, 1) => Self::Month(y - 1, 12),
            Self::Month(y, m) => Self::Month(y, m - 1),
            Self::Half(y) => Self::Half(y - 1),
            Self::NineMonths(y) => Self::NineMonths(y - 1),
        }
    }
}

impl fmt::Display for ReportPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Year(y) => write!(f, "{y}"),
            Self::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Self::Month(y, m) => write!(f, "{y}-{m:02}"),
            Self::Half(y) => write!(f, "{y}-H1"),
            Self::NineMonths(y) => write!(f, "{y}-9M"),
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
                "Viết kỳ theo dạng `2026` (năm), `2026-Q1` (quý), `2026-03` (tháng), `2026-H1` (6 tháng) hoặc `2026-9M` (9 tháng)",
                "Write the period as `2026` (year), `2026-Q1` (quarter), `2026-03` (month), `2026-H1` (six months) or `2026-9M` (nine months)",
            ));
        }
        p
    }
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
    fn six_and_nine_months_parse_and_bound() {
        assert_eq!(
            ReportPeriod::parse("2026-H1"),
            Some(ReportPeriod::Half(2026))
        );
        assert_eq!(
            ReportPeriod::parse("6 tháng đầu năm 2026"),
            Some(ReportPeriod::Half(2026))
        );
        assert_eq!(
            ReportPeriod::parse("9 tháng/2026"),
            Some(ReportPeriod::NineMonths(2026))
        );
        assert_eq!(
            ReportPeriod::parse("2026-9m"),
            Some(ReportPeriod::NineMonths(2026))
        );
        let h = ReportPeriod::Half(2026);
        assert_eq!((h.start(), h.end()), (day(2026, 1, 1), day(2026, 6, 30)));
        assert_eq!(ReportPeriod::NineMonths(2026).end(), day(2026, 9, 30));
        assert_eq!(h.to_string(), "2026-H1");
        assert_eq!(ReportPeriod::parse(&h.to_string()), Some(h));
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_window_ends_on_the_cutoff_day_of_the_last_month() {
        let q3 = ReportPeriod::Quarter(2025, 3);
        assert_eq!(
            q3.window(Cutoff::Day(14)),
            (day(2025, 6, 15), day(2025, 9, 14))
        );
        assert_eq!(
            q3.window(Cutoff::Calendar),
            (day(2025, 7, 1), day(2025, 9, 30))
        );
        let y = ReportPeriod::Year(2026);
        assert_eq!(
            y.window(Cutoff::Day(14)),
            (day(2025, 12, 15), day(2026, 12, 14))
        );
        let jan = ReportPeriod::Month(2026, 1);
        assert_eq!(
            jan.window(Cutoff::Day(14)),
            (day(2025, 12, 15), day(2026, 1, 14))
        );
    }
}
