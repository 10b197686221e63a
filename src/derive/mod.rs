//! The **derive** stage: pure functions from the validated site to the views
//! readers need as of the build date — each recommendation's status, overdue
//! lists, per-agency scorecards, totals, recovery series and the relations
//! between records. Nothing here reads files or formats text.

pub mod figures;
pub mod history;
pub mod lifecycle;
pub mod lists;
pub mod plan;
pub mod status;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::amount::{Area, Vnd};
use crate::model::config::FollowUp;
use crate::model::vocab::{ConclusionSource, Penalty, Sector, Status, Track};
use crate::model::{Conclusion, Decision, Recommendation, ReportPeriod, Site};
pub use status::RecState;

/// A recommendation with its conclusion and its state.
#[derive(Debug, Clone, Copy)]
pub struct RecView<'a> {
    /// Index of its conclusion in `site.conclusions`.
    pub conclusion: usize,
    pub rec: &'a Recommendation,
    pub state: RecState,
    /// The agency that answers for it on the as-of date: the one it was
    /// given to, or that agency's successor ([`lifecycle`]).
    pub answering: &'a str,
    /// Whether `answering` took it over from the agency it was given to.
    pub transferred: bool,
}

/// How a set of recommendations stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub not_started: usize,
    pub in_progress: usize,
    pub done: usize,
    pub cannot_complete: usize,
    pub overdue: usize,
    /// Due (or done) recommendations: those the on-time rate is computed over.
    pub rated: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub not_yet_due: usize,
    /// Recovery as the recommendations themselves record it ([`figures::tracked`]).
    pub recovery: Flow,
    /// Recommendations with at least one extension, and all extensions.
    pub extended: usize,
    pub extensions: usize,
    /// Taken over from an agency that ceased to exist.
    pub inherited: usize,
    /// Of withdrawn conclusions: listed, but counted nowhere else.
    pub withdrawn: usize,
}

impl Counts {
    pub fn add(&mut self, v: &RecView<'_>) {
        let s = &v.state;
        if s.withdrawn {
            self.withdrawn += 1;
            return;
        }
        self.total += 1;
        self.extended += usize::from(s.extensions > 0);
        self.extensions += s.extensions;
        self.inherited += usize::from(v.transferred);
        match s.status {
            Status::NotStarted => self.not_started += 1,
            Status::InProgress => self.in_progress += 1,
            Status::Done => self.done += 1,
            Status::CannotComplete => self.cannot_complete += 1,
        }
        self.overdue += usize::from(s.overdue);
        self.rated += usize::from(s.rated);
        self.done_on_time += usize::from(s.on_time == Some(true));
        self.done_late += usize::from(s.on_time == Some(false));
        self.not_yet_due += usize::from(!s.rated && s.status != Status::CannotComplete);
        self.recovery = self.recovery.plus(&figures::tracked(v));
    }

    /// Whether the share of recommendations done on time meets the target
    /// (above it, or from it, as the site's rule says), or `None` when none
    /// was due. The one place the verdict is made: the home page, the agency
    /// list, every scorecard and the open data ask here.
    pub fn verdict(&self, rule: &FollowUp) -> Option<bool> {
        self.on_time_rate().map(|r| rule.meets(r))
    }

    /// The verdict, with "nothing due" counted as not meeting the target.
    pub fn meets(&self, rule: &FollowUp) -> bool {
        self.verdict(rule) == Some(true)
    }

    /// Share of due recommendations done on time; `None` when none is due yet.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.done_on_time as f64 / self.rated as f64)
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// One agency's record: as the party responsible for recommendations, as the
/// inspected body, as the issuer of conclusions and as a disciplining authority.
#[derive(Debug, Clone, Default)]
pub struct Scorecard {
    pub responsible: Counts,
    /// Indices into `Derived::recs`.
    pub recs: Vec<usize>,
    pub inspected: Vec<usize>,
    pub issued: Vec<usize>,
    pub decided: Vec<usize>,
    /// Decisions about people or organisations of this agency.
    pub subjects: Vec<usize>,
    /// Indices into `site.recoveries`.
    pub recoveries: Vec<usize>,
    /// Recovery as the agency's periodic reports state it ([`figures::reported`]).
    pub reported: Flow,
    pub children: Vec<usize>,
    /// Recommendations it took over from agencies that ceased to exist
    /// (also in `recs`), and those it handed over to its successor.
    pub inherited: Vec<usize>,
    pub handed_over: Vec<usize>,
    /// Its recommendations by the year they fell due (the due date in force).
    pub by_year: BTreeMap<i32, Counts>,
    /// Its recommendations by the source of their conclusion.
    pub by_source: BTreeMap<ConclusionSource, Counts>,
}

/// Recommended and recovered amounts over one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Flow {
    pub recommended_vnd: Vnd,
    pub recovered_vnd: Vnd,
    pub recommended_land_m2: Area,
    pub recovered_land_m2: Area,
}

impl Flow {
    pub fn of(r: &crate::model::Recovery) -> Flow {
        Flow {
            recommended_vnd: r.recommended_vnd,
            recovered_vnd: r.recovered_vnd,
            recommended_land_m2: r.recommended_land_m2,
            recovered_land_m2: r.recovered_land_m2,
        }
    }

    pub fn plus(&self, o: &Flow) -> Flow {
        Flow {
            recommended_vnd: self.recommended_vnd + o.recommended_vnd,
            recovered_vnd: self.recovered_vnd + o.recovered_vnd,
            recommended_land_m2: self.recommended_land_m2 + o.recommended_land_m2,
            recovered_land_m2: self.recovered_land_m2 + o.recovered_land_m2,
        }
    }

    pub fn money_rate(&self) -> Option<f64> {
        ratio(self.recovered_vnd.0, self.recommended_vnd.0)
    }

    pub fn land_rate(&self) -> Option<f64> {
        ratio(self.recovered_land_m2.0, self.recommended_land_m2.0)
    }
}

/// A change in a recommendation's follow-up, for timelines and feeds.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    /// Index into `Derived::recs`.
    pub rec: usize,
    /// Index of the progress entry.
    pub step: usize,
    pub on: NaiveDate,
    pub from: Status,
    pub to: Status,
}

/// Figures for the whole portal.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub recs: Counts,
    pub violations_vnd: Vnd,
    pub violations_land_m2: Area,
    pub conclusions_by_year: BTreeMap<i32, usize>,
    pub conclusions_by_sector: BTreeMap<Sector, usize>,
    pub decisions_by_year: BTreeMap<i32, usize>,
    pub decisions_by_penalty: BTreeMap<Penalty, usize>,
    pub decisions_by_track: BTreeMap<Track, usize>,
    pub recs_by_year: BTreeMap<i32, Counts>,
    /// Periodic figures reported in `recoveries/` and counted, by period.
    pub reported: BTreeMap<ReportPeriod, Flow>,
    /// All of them ([`figures::reported`]).
    pub reported_total: Flow,
    /// Amounts recommended in conclusions (by quarter of signing) and
    /// recovered in their follow-up (by quarter of the update), cumulated to
    /// each quarter.
    pub followed: BTreeMap<ReportPeriod, Flow>,
    /// The recommendations of each source of conclusions.
    pub by_source: BTreeMap<ConclusionSource, Counts>,
    /// Money recovered by judgment in cases referred to investigators,
    /// and how many such cases there are.
    pub judgment_vnd: Vnd,
    pub cases: usize,
}

/// Everything the render stage needs, computed once.
pub struct Derived<'a> {
    pub site: &'a Site,
    pub as_of: NaiveDate,
    pub recs: Vec<RecView<'a>>,
    /// For each conclusion, the range of its recommendations in `recs`.
    pub recs_of: Vec<std::ops::Range<usize>>,
    /// Aligned with `site.agencies` ([`Derived::cards`]).
    cards: OnceLock<Vec<Scorecard>>,
    pub agency_index: HashMap<&'a str, usize>,
    pub conclusion_index: HashMap<&'a str, usize>,
    pub decision_index: HashMap<&'a str, usize>,
    /// For each conclusion, the decisions that cite it or carry out one of its recommendations.
    pub decisions_of: Vec<Vec<usize>>,
    /// For each decision, the conclusions it relates to.
    pub conclusions_of: Vec<Vec<usize>>,
    /// Every follow-up event, newest first.
    events: OnceLock<Vec<Event>>,
    totals: OnceLock<Totals>,
    /// Whether each row of `site.recoveries` counts towards the reported
    /// figures ([`figures::counted`]).
    pub counted: Vec<bool>,
    /// What was unfinished when each agency ceased to exist, by day then agency.
    pub handovers: Vec<Handover>,
    /// Whether the conclusions come from more than one source: only then
    /// are there lists filtered by source (one would repeat the whole list).
    pub several_sources: bool,
    /// What changed since the previous publication; empty until the
    /// `published` stage compares this build with the previous output.
    pub history: history::History,
}

/// The recommendations an agency handed over to its successor on the day
/// it ceased to exist.
#[derive(Debug, Clone)]
pub struct Handover {
    pub from: usize,
    pub to: usize,
    pub on: NaiveDate,
    /// Indices into `Derived::recs`.
    pub recs: Vec<usize>,
}

impl<'a> Derived<'a> {
    pub fn new(site: &'a Site) -> Self {
        let as_of = site.as_of;
        let agency_index: HashMap<&str, usize> = site
            .agencies
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.value.as_str(), i))
            .collect();
        let conclusion_index: HashMap<&str, usize> = site
            .conclusions
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id(), i))
            .collect();
        let decision_index: HashMap<&str, usize> = site
            .decisions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id(), i))
            .collect();

        let mut recs = Vec::new();
        let mut recs_of = Vec::with_capacity(site.conclusions.len());
        let mut handed: BTreeMap<(usize, usize, NaiveDate), Vec<usize>> = BTreeMap::new();
        for (ci, c) in site.conclusions.iter().enumerate() {
            let start = recs.len();
            let withdrawn = c.withdrawn_by(as_of);
            for rec in &c.recommendations {
                let hops = lifecycle::handovers(&site.agencies, &agency_index, rec, as_of);
                for &hop in &hops {
                    handed.entry(hop).or_default().push(recs.len());
                }
                recs.push(RecView {
                    conclusion: ci,
                    rec,
                    state: status::state(rec, as_of, withdrawn),
                    answering: hops
                        .last()
                        .map_or(rec.responsible.value.as_str(), |&(_, to, _)| {
                            site.agencies[to].id.value.as_str()
                        }),
                    transferred: !hops.is_empty(),
                });
            }
            recs_of.push(start..recs.len());
        }
        let mut handovers: Vec<Handover> = handed
            .into_iter()
            .map(|((from, to, on), recs)| Handover { from, to, on, recs })
            .collect();
        handovers.sort_by(|a, b| {
            a.on.cmp(&b.on).then_with(|| {
                site.agencies[a.from]
                    .id
                    .value
                    .as_str()
                    .cmp(site.agencies[b.from].id.value.as_str())
            })
        });

        let counted = figures::counted(&site.recoveries);
        // Four independent passes over the records, two at a time: at
        // 100 000 records this stage took 94 ms on one core.
        // Only the relations are made here: a record's page needs them. The
        // scorecards, events and totals are made when first asked for
        // (`serve` renders the edited record's page first; at 100 000
        // records they took 130 ms per edit), or all at once by
        // [`Derived::make_all`].
        let (decisions_of, conclusions_of) =
            relations(site, &recs, &conclusion_index, &decision_index);
        Derived {
            site,
            as_of,
            recs,
            recs_of,
            cards: OnceLock::new(),
            agency_index,
            conclusion_index,
            decision_index,
            decisions_of,
            conclusions_of,
            events: OnceLock::new(),
            totals: OnceLock::new(),
            counted,
            handovers,
            several_sources: site
                .conclusions
                .first()
                .is_some_and(|c| site.conclusions.iter().any(|x| x.origin != c.origin)),
            history: history::History::default(),
        }
    }

    /// Makes now, in parallel, what is otherwise made when first asked
    /// for: a build needs all of it (at 100 000 records this stage took
    /// 94 ms on one core).
    pub fn make_all(&self) {
        rayon::join(
            || self.cards(),
            || rayon::join(|| self.events(), || self.totals()),
        );
    }

    /// Whether the scorecards, the events and the totals were made yet.
    #[cfg(test)]
    pub(crate) fn made_later(&self) -> [bool; 3] {
        [
            self.cards.get().is_some(),
            self.events.get().is_some(),
            self.totals.get().is_some(),
        ]
    }

    /// Each agency's scorecard, aligned with `site.agencies`.
    pub fn cards(&self) -> &[Scorecard] {
        self.cards
            .get_or_init(|| scorecards(self.site, &self.recs, &self.agency_index, &self.counted))
    }

    /// Every follow-up event, newest first.
    pub fn events(&self) -> &[Event] {
        self.events.get_or_init(|| events(&self.recs, self.as_of))
    }

    /// Figures for the whole portal.
    pub fn totals(&self) -> &Totals {
        self.totals
            .get_or_init(|| totals(self.site, &self.recs, self.as_of, &self.counted))
    }

    pub fn conclusion_of(&self, v: &RecView<'_>) -> &'a Conclusion {
        &self.site.conclusions[v.conclusion]
    }

    pub fn agency_name(&self, id: &str) -> &'a str {
        self.agency_index
            .get(id)
            .map_or("", |&i| self.site.agencies[i].name.0.as_str())
    }

    /// The overdue recommendations: most days overdue first, then by
    /// conclusion and recommendation id.
    pub fn overdue(&self) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.recs.len())
            .filter(|&i| self.recs[i].state.overdue)
            .collect();
        out.sort_by(|&a, &b| {
            let (ra, rb) = (&self.recs[a], &self.recs[b]);
            rb.state
                .days_overdue
                .cmp(&ra.state.days_overdue)
                .then_with(|| {
                    self.site.conclusions[ra.conclusion]
                        .id()
                        .cmp(self.site.conclusions[rb.conclusion].id())
                })
                .then_with(|| ra.rec.id.value.cmp(&rb.rec.id.value))
        });
        out
    }

    pub fn decision(&self, i: usize) -> &'a Decision {
        &self.site.decisions[i]
    }
}

fn relations(
    site: &Site,
    recs: &[RecView<'_>],
    conclusion_index: &HashMap<&str, usize>,
    decision_index: &HashMap<&str, usize>,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut decisions_of = vec![Vec::new(); site.conclusions.len()];
    let mut conclusions_of = vec![Vec::new(); site.decisions.len()];
    let mut link = |c: usize, d: usize| {
        if !decisions_of[c].contains(&d) {
            decisions_of[c].push(d);
        }
        if !conclusions_of[d].contains(&c) {
            conclusions_of[d].push(c);
        }
    };
    for (di, d) in site.decisions.iter().enumerate() {
        for r in &d.related {
            if let Some(&ci) = conclusion_index.get(r.value.as_str()) {
                link(ci, di);
            }
        }
    }
    for v in recs {
        for r in &v.rec.decisions {
            if let Some(&di) = decision_index.get(r.value.as_str()) {
                link(v.conclusion, di);
            }
        }
    }
    for list in decisions_of.iter_mut() {
        list.sort_by_key(|&d| (site.decisions[d].decided_on, d));
    }
    for list in conclusions_of.iter_mut() {
        list.sort_by_key(|&c| (site.conclusions[c].signed_on, c));
    }
    (decisions_of, conclusions_of)
}

fn scorecards(
    site: &Site,
    recs: &[RecView<'_>],
    index: &HashMap<&str, usize>,
    counted: &[bool],
) -> Vec<Scorecard> {
    let mut cards = vec![Scorecard::default(); site.agencies.len()];
    let at = |id: &str| index.get(id).copied();
    for (i, v) in recs.iter().enumerate() {
        if let Some(a) = at(v.answering) {
            cards[a].responsible.add(v);
            cards[a].recs.push(i);
            if v.transferred {
                cards[a].inherited.push(i);
            }
            if let Some(due) = v.state.due {
                cards[a].by_year.entry(due.year()).or_default().add(v);
            }
            let source = site.conclusions[v.conclusion].origin;
            cards[a].by_source.entry(source).or_default().add(v);
        }
        if v.transferred
            && let Some(a) = at(v.rec.responsible.value.as_str())
        {
            cards[a].handed_over.push(i);
        }
    }
    for (i, c) in site.conclusions.iter().enumerate() {
        if let Some(a) = at(c.inspected.value.as_str()) {
            cards[a].inspected.push(i);
        }
        if let Some(a) = at(c.issued_by.value.as_str()) {
            cards[a].issued.push(i);
        }
    }
    for (i, d) in site.decisions.iter().enumerate() {
        if let Some(a) = at(d.authority.value.as_str()) {
            cards[a].decided.push(i);
        }
        if let Some(a) = d.subject.agency.as_ref().and_then(|s| at(s.value.as_str())) {
            cards[a].subjects.push(i);
        }
    }
    for (i, r) in site.recoveries.iter().enumerate() {
        if let Some(a) = at(r.agency.value.as_str()) {
            cards[a].recoveries.push(i);
            cards[a].reported = cards[a]
                .reported
                .plus(&figures::reported(std::iter::once((r, counted[i]))));
        }
    }
    for (i, a) in site.agencies.iter().enumerate() {
        if let Some(p) = a.parent.as_ref().and_then(|p| at(p.value.as_str())) {
            cards[p].children.push(i);
        }
    }
    // Newest first, as the scorecard shows them.
    let (cs, ds) = (&site.conclusions, &site.decisions);
    for card in &mut cards {
        card.inspected
            .sort_by_key(|&c| (std::cmp::Reverse(cs[c].signed_on), c));
        card.issued
            .sort_by_key(|&c| (std::cmp::Reverse(cs[c].signed_on), c));
        card.decided
            .sort_by_key(|&x| (std::cmp::Reverse(ds[x].decided_on), x));
        card.subjects
            .sort_by_key(|&x| (std::cmp::Reverse(ds[x].decided_on), x));
    }
    cards
}

fn events(recs: &[RecView<'_>], as_of: NaiveDate) -> Vec<Event> {
    let mut out = Vec::new();
    for (i, v) in recs.iter().enumerate() {
        let mut from = Status::NotStarted;
        for (step, p) in v
            .rec
            .progress
            .iter()
            .enumerate()
            .filter(|(_, p)| p.on <= as_of)
        {
            out.push(Event {
                rec: i,
                step,
                on: p.on,
                from,
                to: p.status,
            });
            from = p.status;
        }
    }
    out.sort_by(|a, b| {
        b.on.cmp(&a.on)
            .then(a.rec.cmp(&b.rec))
            .then(a.step.cmp(&b.step))
    });
    out
}

fn totals(site: &Site, recs: &[RecView<'_>], as_of: NaiveDate, counted: &[bool]) -> Totals {
    let mut t = Totals::default();
    for v in recs {
        t.recs.add(v);
        let c = &site.conclusions[v.conclusion];
        t.recs_by_year.entry(c.signed_on.year()).or_default().add(v);
        t.by_source.entry(c.origin).or_default().add(v);
        if !v.rec.case.is_empty() {
            t.cases += 1;
            t.judgment_vnd =
                t.judgment_vnd + crate::model::follow::CaseStep::recovered(&v.rec.case, as_of);
        }
        // What was recovered in which quarter, from the cumulative amounts.
        let mut prev = (Vnd(0), Area(0));
        for p in v.rec.progress.iter().filter(|p| p.on <= as_of) {
            let now = (
                p.recovered_vnd.unwrap_or(prev.0),
                p.recovered_land_m2.unwrap_or(prev.1),
            );
            let q = ReportPeriod::Quarter(p.on.year(), p.on.month0() / 3 + 1);
            let f = t.followed.entry(q).or_default();
            f.recovered_vnd = f.recovered_vnd + Vnd(now.0.0.saturating_sub(prev.0.0));
            f.recovered_land_m2 = f.recovered_land_m2 + Area(now.1.0.saturating_sub(prev.1.0));
            prev = now;
        }
    }
    for c in &site.conclusions {
        *t.conclusions_by_year.entry(c.signed_on.year()).or_default() += 1;
        *t.conclusions_by_sector.entry(c.sector).or_default() += 1;
        if let Some(v) = c.violations {
            t.violations_vnd = t.violations_vnd + v.money_vnd.unwrap_or_default();
            t.violations_land_m2 = t.violations_land_m2 + v.land_m2.unwrap_or_default();
        }
    }
    // Recommended amounts enter the series in the quarter their conclusion
    // was signed, as the tracked figures define them.
    for v in recs {
        let signed = site.conclusions[v.conclusion].signed_on;
        let q = ReportPeriod::Quarter(signed.year(), signed.month0() / 3 + 1);
        let asked = figures::tracked(v);
        let f = t.followed.entry(q).or_default();
        f.recommended_vnd = f.recommended_vnd + asked.recommended_vnd;
        f.recommended_land_m2 = f.recommended_land_m2 + asked.recommended_land_m2;
    }
    for d in &site.decisions {
        *t.decisions_by_year.entry(d.decided_on.year()).or_default() += 1;
        *t.decisions_by_penalty.entry(d.penalty).or_default() += 1;
        *t.decisions_by_track.entry(d.track).or_default() += 1;
    }
    // Cumulate, so that the rate to date never exceeds what was recommended.
    let mut running = Flow::default();
    for f in t.followed.values_mut() {
        running = running.plus(f);
        *f = running;
    }
    for (r, &counts) in site.recoveries.iter().zip(counted) {
        if counts {
            let f = t.reported.entry(r.period).or_default();
            *f = f.plus(&Flow::of(r));
        }
    }
    t.reported_total = figures::reported(site.recoveries.iter().zip(counted.iter().copied()));
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vocab::OnTimeRule;

    #[test]
    fn above_the_target_means_above() {
        let nine_of_ten = Counts {
            rated: 10,
            done_on_time: 9,
            ..Counts::default()
        };
        let mut rule = crate::model::SiteConfig::default().follow_up;
        assert_eq!(
            rule.on_time_rule,
            OnTimeRule::Above,
            "the default, as the seeds say"
        );
        assert_eq!(
            nine_of_ten.verdict(&rule),
            Some(false),
            "90 % is not above 90 %"
        );
        let ninety_one = Counts {
            rated: 100,
            done_on_time: 91,
            ..Counts::default()
        };
        assert_eq!(ninety_one.verdict(&rule), Some(true));
        rule.on_time_rule = OnTimeRule::AtLeast;
        assert_eq!(nine_of_ten.verdict(&rule), Some(true));
        assert_eq!(Counts::default().verdict(&rule), None, "nothing due");
        assert!(!Counts::default().meets(&rule));
    }

    #[test]
    fn the_followed_series_ends_on_the_tracked_totals() {
        let raw = crate::load::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid"),
        );
        let (site, _) = crate::model::build(&raw, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let d = Derived::new(&site);
        let last = d
            .totals()
            .followed
            .values()
            .last()
            .copied()
            .unwrap_or_default();
        assert_eq!(last, d.totals().recs.recovery);
        assert!(last.recovered_vnd.0 > 0, "the fixture recovers money");
    }
}
