//! The state of one recommendation as of a date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::amount::{Area, Vnd};
use crate::model::vocab::Status;
use crate::model::{Progress, Recommendation};

/// What a recommendation's history says on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecState {
    pub status: Status,
    /// The due date has passed and the recommendation is still open
    /// (not done, and not closed as impossible).
    pub overdue: bool,
    /// Days from the due date to the as-of date, when overdue; otherwise 0.
    pub days_overdue: i64,
    /// When it was done (the start of its final run of `done` entries).
    pub done_on: Option<NaiveDate>,
    /// Done on or before its due date (`Some(true)`), after it (`Some(false)`);
    /// `None` when not done or without a due date.
    pub on_time: Option<bool>,
    /// Whether the due date has passed (or the recommendation is already done):
    /// such recommendations count towards the on-time rate.
    pub rated: bool,
    pub recovered_vnd: Vnd,
    pub recovered_land_m2: Area,
    /// Date of the last progress entry taken into account.
    pub updated_on: Option<NaiveDate>,
}

/// The entries known on `as_of`: the history is chronological.
fn known(progress: &[Progress], as_of: NaiveDate) -> &[Progress] {
    let n = progress.partition_point(|p| p.on <= as_of);
    &progress[..n]
}

pub fn state(rec: &Recommendation, as_of: NaiveDate) -> RecState {
    let history = known(&rec.progress, as_of);
    let status = history.last().map_or(Status::NotStarted, |p| p.status);
    let done_on = (status == Status::Done).then(|| {
        let run = history
            .iter()
            .rev()
            .take_while(|p| p.status == Status::Done)
            .count();
        history[history.len() - run].on
    });
    let open = !matches!(status, Status::Done | Status::CannotComplete);
    let overdue = open && rec.due.is_some_and(|d| d < as_of);
    let days_overdue = if overdue {
        rec.due.map_or(0, |d| (as_of - d).num_days())
    } else {
        0
    };
    let on_time = done_on.zip(rec.due).map(|(done, due)| done <= due);
    RecState {
        status,
        overdue,
        days_overdue,
        done_on,
        on_time,
        rated: rec.due.is_some_and(|d| d < as_of) || on_time.is_some(),
        recovered_vnd: history
            .iter()
            .rev()
            .find_map(|p| p.recovered_vnd)
            .unwrap_or_default(),
        recovered_land_m2: history
            .iter()
            .rev()
            .find_map(|p| p.recovered_land_m2)
            .unwrap_or_default(),
        updated_on: history.last().map(|p| p.on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read::{Spanned, Text};
    use crate::model::vocab::RecommendationKind;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn step(on: &str, status: Status, vnd: Option<u64>) -> Progress {
        Progress {
            on: d(on),
            status,
            recovered_vnd: vnd.map(Vnd),
            recovered_land_m2: None,
            note: None,
            evidence: None,
        }
    }

    fn rec(due: Option<&str>, progress: Vec<Progress>) -> Recommendation {
        Recommendation {
            id: Spanned {
                value: "KN1".into(),
                span: Default::default(),
            },
            kind: RecommendationKind::RecoverMoney,
            text: Text("Thu hồi".into()),
            responsible: Spanned {
                value: crate::model::id::Id("x".into()),
                span: Default::default(),
            },
            due: due.map(d),
            amount_vnd: Some(Vnd(100)),
            land_m2: None,
            progress,
            decisions: Vec::new(),
            document: None,
        }
    }

    #[test]
    fn not_started_before_any_entry_and_overdue_after_the_due_date() {
        let r = rec(Some("2025-09-30"), vec![]);
        let s = state(&r, d("2025-09-30"));
        assert_eq!(
            (s.status, s.overdue, s.days_overdue),
            (Status::NotStarted, false, 0)
        );
        let s = state(&r, d("2025-10-10"));
        assert_eq!((s.overdue, s.days_overdue, s.rated), (true, 10, true));
    }

    #[test]
    fn done_on_time_or_late() {
        let r = rec(
            Some("2025-09-30"),
            vec![
                step("2025-08-15", Status::InProgress, Some(40)),
                step("2025-09-20", Status::Done, Some(100)),
            ],
        );
        let s = state(&r, d("2026-01-01"));
        assert_eq!(
            (s.status, s.done_on, s.on_time, s.overdue),
            (Status::Done, Some(d("2025-09-20")), Some(true), false)
        );
        assert_eq!(s.recovered_vnd, Vnd(100));
        let late = rec(Some("2025-09-01"), r.progress.clone());
        assert_eq!(state(&late, d("2026-01-01")).on_time, Some(false));
    }

    #[test]
    fn the_as_of_date_hides_later_entries() {
        let r = rec(
            Some("2025-09-30"),
            vec![
                step("2025-08-15", Status::InProgress, Some(40)),
                step("2025-10-20", Status::Done, Some(100)),
            ],
        );
        let s = state(&r, d("2025-10-01"));
        assert_eq!(
            (s.status, s.overdue, s.days_overdue),
            (Status::InProgress, true, 1)
        );
        assert_eq!(s.recovered_vnd, Vnd(40));
        assert_eq!(s.updated_on, Some(d("2025-08-15")));
    }

    #[test]
    fn cannot_complete_is_closed_not_overdue() {
        let r = rec(
            Some("2025-09-30"),
            vec![step("2025-09-01", Status::CannotComplete, None)],
        );
        let s = state(&r, d("2026-01-01"));
        assert_eq!(
            (s.status, s.overdue, s.on_time, s.rated),
            (Status::CannotComplete, false, None, true)
        );
    }

    #[test]
    fn done_early_counts_before_the_due_date() {
        let r = rec(
            Some("2027-01-01"),
            vec![step("2026-01-01", Status::Done, Some(100))],
        );
        let s = state(&r, d("2026-06-01"));
        assert_eq!((s.on_time, s.rated), (Some(true), true));
        let open = rec(Some("2027-01-01"), vec![]);
        assert!(!state(&open, d("2026-06-01")).rated);
    }

    #[test]
    fn reopened_after_done_is_open_again() {
        let r = rec(
            Some("2025-09-30"),
            vec![
                step("2025-09-01", Status::Done, Some(100)),
                step("2025-10-01", Status::InProgress, Some(100)),
            ],
        );
        let s = state(&r, d("2025-10-05"));
        assert_eq!(
            (s.status, s.done_on, s.overdue),
            (Status::InProgress, None, true)
        );
    }
}
