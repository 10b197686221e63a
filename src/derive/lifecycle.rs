//! Who answers for a recommendation after the agency it was given to
//! ceased to exist: its successor, for what was still open on the day of
//! the dissolution — and that successor's successor, if it too is gone.

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;

use super::status;
use crate::model::{Agency, Recommendation};

/// The agencies a recommendation passed through on its way to the one
/// answering for it on `as_of`: empty when the agency it was given to
/// still answers (it existed, or the recommendation was closed before it
/// ceased to exist). Otherwise each hand-over in order, as (agency index
/// handing over, agency index taking over, day).
pub fn handovers(
    agencies: &[Agency],
    index: &HashMap<&str, usize>,
    rec: &Recommendation,
    as_of: NaiveDate,
) -> Vec<(usize, usize, NaiveDate)> {
    let mut out = Vec::new();
    let Some(&start) = index.get(rec.responsible.value.as_str()) else {
        return out;
    };
    let mut cur = start;
    // At most one hop per agency: `check` rejects cycles, and this bound
    // keeps a site with errors from looping.
    for _ in 0..agencies.len() {
        let a = &agencies[cur];
        let (Some(gone), Some(next)) = (&a.dissolved_on, &a.successor) else {
            break;
        };
        let gone = gone.value;
        let Some(&next) = index.get(next.value.as_str()) else {
            break;
        };
        let before = gone.pred_opt().unwrap_or(gone);
        if gone > as_of || !status::open_on(rec, before) {
            break;
        }
        out.push((cur, next, gone));
        cur = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read::{Spanned, Text};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn spanned<T>(value: T) -> Spanned<T> {
        Spanned {
            value,
            span: Default::default(),
        }
    }

    fn agency(id: &str, gone: Option<&str>, successor: Option<&str>) -> Agency {
        let yaml = format!(
            "id: {id}\nname: {id}\nkind: commune\n{}{}",
            gone.map(|g| format!("dissolved_on: {g}\n"))
                .unwrap_or_default(),
            successor
                .map(|s| format!("successor: {s}\n"))
                .unwrap_or_default()
        );
        let n = yaml.len();
        let file = crate::source::SourceFile::new("agencies.yaml".into(), yaml);
        let mut diags = Vec::new();
        let node = crate::load::yaml::parse(&file, 0..n, &mut diags).unwrap();
        let mut r = crate::model::read::Reader::new(&file, d("2030-01-01"), &[]);
        let a = <Agency as crate::model::read::FromNode>::from_node(&node, &mut r).unwrap();
        assert!(r.diags.is_empty(), "{:?}", r.diags);
        a
    }

    fn rec(progress: &[(&str, crate::model::vocab::Status)]) -> Recommendation {
        Recommendation {
            id: spanned("KN1".into()),
            kind: crate::model::vocab::RecommendationKind::Rectify,
            text: Text("Chấn chỉnh".into()),
            responsible: spanned(crate::model::id::Id("huyen".into())),
            due: Some(d("2025-03-31")),
            amount_vnd: None,
            land_m2: None,
            progress: progress
                .iter()
                .map(|(on, status)| crate::model::Progress {
                    on: d(on),
                    status: *status,
                    recovered_vnd: None,
                    recovered_land_m2: None,
                    note: None,
                    evidence: Some(Text("Báo cáo".into())),
                })
                .collect(),
            decisions: Vec::new(),
            document: None,
            extensions: Vec::new(),
            case: Vec::new(),
        }
    }

    fn setup() -> (Vec<Agency>, Vec<&'static str>) {
        (
            vec![
                agency("huyen", Some("2025-07-01"), Some("xa")),
                agency("xa", Some("2026-03-01"), Some("xa-moi")),
                agency("xa-moi", None, None),
            ],
            vec!["huyen", "xa", "xa-moi"],
        )
    }

    #[test]
    fn the_successor_answers_from_the_day_of_dissolution() {
        let (agencies, ids) = setup();
        let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, a)| (*a, i)).collect();
        let open = rec(&[]);
        assert!(handovers(&agencies, &index, &open, d("2025-06-30")).is_empty());
        assert_eq!(
            handovers(&agencies, &index, &open, d("2025-07-01")),
            vec![(0, 1, d("2025-07-01"))]
        );
        // And on to the successor's successor when it too is gone.
        assert_eq!(
            handovers(&agencies, &index, &open, d("2026-03-01")).last(),
            Some(&(1, 2, d("2026-03-01")))
        );
    }

    #[test]
    fn what_was_closed_before_the_dissolution_stays_with_the_agency() {
        use crate::model::vocab::Status;
        let (agencies, ids) = setup();
        let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, a)| (*a, i)).collect();
        let done_the_day_before = rec(&[("2025-06-30", Status::Done)]);
        assert!(handovers(&agencies, &index, &done_the_day_before, d("2026-01-01")).is_empty());
        let done_on_the_day = rec(&[("2025-07-01", Status::Done)]);
        assert_eq!(
            handovers(&agencies, &index, &done_on_the_day, d("2026-01-01")).len(),
            1,
            "still open the day before: the successor closed it"
        );
    }
}
