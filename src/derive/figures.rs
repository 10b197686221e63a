//! The definitions of the recovery figures. Each is computed here and only
//! here, so that a figure shown under one label is the same number on the
//! home page, `/thu-hoi/`, the scorecards, the open data and the English
//! pages.
//!
//! Recovered assets come from two sources that count different things and
//! must never share a label:
//! - **tracked** (*theo kết luận đã công khai*): what the recommendations of
//!   the published conclusions ask for, and the cumulative amounts their
//!   follow-up records as recovered;
//! - **reported** (*theo báo cáo định kỳ*): what the agencies' signed
//!   periodic reports state, period by period.

use std::collections::BTreeMap;

use super::{Flow, RecView};
use crate::model::{Recovery, ReportPeriod};

/// What one recommendation contributes to the tracked figures: the amounts
/// it asks to recover and what its follow-up has recovered so far.
pub fn tracked(v: &RecView<'_>) -> Flow {
    Flow {
        recommended_vnd: v.rec.amount_vnd.unwrap_or_default(),
        recovered_vnd: v.state.recovered_vnd,
        recommended_land_m2: v.rec.land_m2.unwrap_or_default(),
        recovered_land_m2: v.state.recovered_land_m2,
    }
}

/// The reported figures of some report rows: the sum of those that count
/// (see [`counted`]).
pub fn reported<'a>(rows: impl Iterator<Item = (&'a Recovery, bool)>) -> Flow {
    rows.filter(|(_, counts)| *counts)
        .fold(Flow::default(), |sum, (r, _)| sum.plus(&Flow::of(r)))
}

/// How finely a kind of period divides a year, for choosing between kinds
/// that cover the same months (finer wins).
fn fineness(p: ReportPeriod) -> u8 {
    match p {
        ReportPeriod::Month(..) => 0,
        ReportPeriod::Quarter(..) => 1,
        ReportPeriod::Half(_) => 2,
        ReportPeriod::NineMonths(_) => 3,
        ReportPeriod::Year(_) => 4,
    }
}

/// The months of its year a period covers, as bits.
fn months(p: ReportPeriod) -> u16 {
    let (first, last) = (
        chrono::Datelike::month(&p.start()),
        chrono::Datelike::month(&p.end()),
    );
    (first..=last).fold(0, |m, i| m | 1 << (i - 1))
}

/// Which rows count towards the reported figures, aligned with `rows`.
///
/// Under Nghị định 09/2019 an agency may report a quarter, then the first
/// six months, then the first nine, each including the earlier ones:
/// adding them all would count the same money twice. So for each agency
/// and year one kind of period counts: the kind whose reports cover the most
/// months of that year, the finer one on a tie. The other rows stay
/// published, marked as not added.
pub fn counted(rows: &[Recovery]) -> Vec<bool> {
    // (agency, year) → kind → months covered.
    let mut cover: BTreeMap<(&str, i32), BTreeMap<u8, u16>> = BTreeMap::new();
    for r in rows {
        *cover
            .entry((r.agency.value.as_str(), r.period.year()))
            .or_default()
            .entry(fineness(r.period))
            .or_default() |= months(r.period);
    }
    let chosen: BTreeMap<(&str, i32), u8> = cover
        .into_iter()
        .map(|(key, kinds)| {
            let best = kinds
                .iter()
                .max_by_key(|&(&kind, &m)| (m.count_ones(), std::cmp::Reverse(kind)))
                .map_or(0, |(&kind, _)| kind);
            (key, best)
        })
        .collect();
    rows.iter()
        .map(|r| {
            chosen.get(&(r.agency.value.as_str(), r.period.year())) == Some(&fineness(r.period))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::amount::{Area, Vnd};
    use crate::model::read::{Spanned, Text};

    fn row(agency: &str, period: &str, recovered: u64) -> Recovery {
        Recovery {
            period: ReportPeriod::parse(period).unwrap(),
            agency: Spanned {
                value: crate::model::id::Id(agency.into()),
                span: Default::default(),
            },
            recommended_vnd: Vnd(recovered * 2),
            recovered_vnd: Vnd(recovered),
            recommended_land_m2: Area(0),
            recovered_land_m2: Area(0),
            note: None,
            reported_on: chrono::NaiveDate::MIN,
            signed_by: Text("Chủ tịch".into()),
            file: std::sync::Arc::new(crate::source::SourceFile::new(
                "x.csv".into(),
                String::new(),
            )),
            line: 2,
            span: Default::default(),
        }
    }

    #[test]
    fn overlapping_reports_are_counted_once() {
        let rows = [
            row("a", "2025-Q1", 10),
            row("a", "2025-Q2", 20),
            row("a", "2025-H1", 30),
            row("a", "2025-9M", 60),
            row("b", "2025-H1", 7),
            row("b", "2025-Q1", 3),
            row("a", "2024", 100),
        ];
        // a: nine months beat two quarters and a half-year; b: the half-year
        // covers more than its one quarter; a's 2024 stands alone.
        assert_eq!(
            counted(&rows),
            vec![false, false, false, true, true, false, true]
        );
        let total = reported(rows.iter().zip(counted(&rows)));
        assert_eq!(total.recovered_vnd, Vnd(60 + 7 + 100));
    }

    #[test]
    fn the_finer_kind_wins_when_both_cover_the_same_months() {
        let rows = [
            row("a", "2025-Q1", 1),
            row("a", "2025-Q2", 2),
            row("a", "2025-Q3", 3),
            row("a", "2025-Q4", 4),
            row("a", "2025", 10),
        ];
        assert_eq!(counted(&rows), vec![true, true, true, true, false]);
    }
}
