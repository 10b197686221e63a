//! The state of one recommendation as of a date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::amount::{Area, Vnd};
use crate::model::follow::Extension;
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
    /// The due date in force: the latest extension granted by the as-of
    /// date, or the original `due`.
    pub due: Option<NaiveDate>,
    /// How many extensions were granted by the as-of date.
    pub extensions: usize,
    /// Its conclusion was withdrawn: shown, but outside every target.
    pub withdrawn: bool,
}

/// The entries known on `as_of`: the history is chronological.
fn known(progress: &[Progress], as_of: NaiveDate) -> &[Progress] {
    let n = progress.partition_point(|p| p.on <= as_of);
    &progress[..n]
}

/// The state of `rec` on `as_of`; `withdrawn` when its conclusion had been
/// withdrawn by then (nothing is overdue or rated any more).
pub fn state(rec: &Recommendation, as_of: NaiveDate, withdrawn: bool) -> RecState {
    let history = known(&rec.progress, as_of);
    let due = Extension::due(rec.due, &rec.extensions, as_of);
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
    let overdue = !withdrawn && open && due.is_some_and(|d| d < as_of);
    let days_overdue = if overdue {
        due.map_or(0, |d| (as_of - d).num_days())
    } else {
        0
    };
    let on_time = done_on.zip(due).map(|(done, due)| done <= due);
    RecState {
        status,
        overdue,
        days_overdue,
        done_on,
        on_time,
        rated: !withdrawn && (due.is_some_and(|d| d < as_of) || on_time.is_some()),
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
        due,
        extensions: Extension::granted(&rec.extensions, as_of),
        withdrawn,
    }
}

/// Whether `rec` was still open on `day` (neither done nor closed).
pub fn open_on(rec: &Recommendation, day: NaiveDate) -> bool {
    known(&rec.progress, day)
        .last()
        .is_none_or(|p| !matches!(p.status, Status::Done | Status::CannotComplete))
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
            extensions: Vec::new(),
            case: Vec::new(),
        }
    }

    #[test]
    fn not_started_before_any_entry_and_overdue_after_the_due_date() {
        let r = rec(Some("2025-09-30"), vec![]);
        let s = state(&r, d("2025-09-30"), false);
        assert_eq!(
            (s.status, s.overdue, s.days_overdue),
            (Status::NotStarted, false, 0)
        );
        let s = state(&r, d("2025-10-10"), false);
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
        let s = state(&r, d("2026-01-01"), false);
        assert_eq!(
            (s.status, s.done_on, s.on_time, s.overdue),
            (Status::Done, Some(d("2025-09-20")), Some(true), false)
        );
        assert_eq!(s.recovered_vnd, Vnd(100));
        let late = rec(Some("2025-09-01"), r.progress.clone());
        assert_eq!(state(&late, d("2026-01-01"), false).on_time, Some(false));
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
        let s = state(&r, d("2025-10-01"), false);
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
        let s = state(&r, d("2026-01-01"), false);
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
        let s = state(&r, d("2026-06-01"), false);
        assert_eq!((s.on_time, s.rated), (Some(true), true));
        let open = rec(Some("2027-01-01"), vec![]);
        assert!(!state(&open, d("2026-06-01"), false).rated);
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
        let s = state(&r, d("2025-10-05"), false);
        assert_eq!(
            (s.status, s.done_on, s.overdue),
            (Status::InProgress, None, true)
        );
    }

    fn extension(to: &str, on: &str) -> Extension {
        Extension {
            to: d(to),
            document: Text("123/QĐ-UBND".into()),
            on: d(on),
        }
    }

    #[test]
    fn overdue_counts_from_the_latest_extension_known_on_the_as_of_date() {
        let mut r = rec(Some("2025-09-30"), vec![]);
        r.extensions = vec![extension("2025-12-31", "2025-09-25")];
        // Before the extension was granted, the original date holds.
        let s = state(&r, d("2025-09-24"), false);
        assert_eq!((s.due, s.extensions), (Some(d("2025-09-30")), 0));
        // The extension ends after the as-of date: not overdue.
        let s = state(&r, d("2025-10-10"), false);
        assert_eq!(
            (s.overdue, s.due, s.extensions),
            (false, Some(d("2025-12-31")), 1)
        );
        // The day it ends, still not overdue; the day after, one day.
        assert!(!state(&r, d("2025-12-31"), false).overdue);
        let s = state(&r, d("2026-01-01"), false);
        assert_eq!((s.overdue, s.days_overdue), (true, 1));
        assert_eq!(r.due, Some(d("2025-09-30")), "the original stays");
    }

    #[test]
    fn done_within_an_extension_is_on_time() {
        let mut r = rec(
            Some("2025-09-30"),
            vec![step("2025-11-15", Status::Done, Some(100))],
        );
        assert_eq!(state(&r, d("2026-01-01"), false).on_time, Some(false));
        r.extensions = vec![extension("2025-12-31", "2025-09-20")];
        assert_eq!(state(&r, d("2026-01-01"), false).on_time, Some(true));
    }

    #[test]
    fn a_withdrawn_conclusion_leaves_nothing_overdue_or_rated() {
        let r = rec(Some("2025-09-30"), vec![]);
        let s = state(&r, d("2026-01-01"), true);
        assert_eq!((s.overdue, s.rated, s.withdrawn), (false, false, true));
    }

    #[test]
    fn open_on_a_day_reads_only_what_was_known_then() {
        let r = rec(
            Some("2025-09-30"),
            vec![step("2025-07-01", Status::Done, Some(100))],
        );
        assert!(open_on(&r, d("2025-06-30")));
        assert!(!open_on(&r, d("2025-07-01")));
    }
}
