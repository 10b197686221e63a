//! The law as dated data: the rules congkhai checks content against, each
//! with the days it is in force and its legal basis, read from
//! `rules/luat.toml` (built in) or the site's own `luat.toml`, which replaces
//! the tables it has.
//!
//! The code asks the table ("which publication rule applies to a conclusion
//! signed on this day?", "may a civil servant who leads be demoted on this
//! day?") and never repeats it, so that following a new law is an edit of
//! the table, and every message cites the rule that applied on the
//! document's date.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::fields::Fields;
use super::read::{FromNode, Reader};
use super::vocab::{AgencyKind, ConclusionSource, Language, Penalty, Role, Track};
use crate::diag::{Code, Msg, msg};
use crate::load::node::{Node, Value};

/// The built-in table.
pub const DEFAULT: &str = include_str!("../../rules/luat.toml");
/// Where the built-in table lives, for diagnostics about it.
pub const DEFAULT_PATH: &str = "rules/luat.toml";
/// The site's own table, beside `congkhai.toml`.
pub const SITE_FILE: &str = "luat.toml";

/// The days a rule is in force, both ends inclusive; open ends are unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Validity {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Validity {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

/// A legal basis, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    pub vi: String,
    pub en: String,
}

impl Citation {
    pub fn msg(&self) -> Msg {
        msg(self.vi.clone(), self.en.clone())
    }

    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::Vi => &self.vi,
            Language::En => &self.en,
        }
    }
}

/// The publication of inspection conclusions.
#[derive(Debug, Clone)]
pub struct PublicationRule {
    pub valid: Validity,
    /// The law, without an article.
    pub law: Citation,
    /// Its article on publication (`"79"`), when confirmed: a citation
    /// without an article is better than a wrong one.
    pub article: Option<String>,
    /// The implementing decree, with its articles when known.
    pub decree: Option<Citation>,
    pub max_days_after_signing: u32,
    pub min_days_on_portal: u32,
    /// How a text cites the law and the decree, built on first use.
    names: std::sync::OnceLock<Vec<regex::Regex>>,
}

impl PublicationRule {
    /// Where `text` cites this rule's law or decree (`Luật Thanh tra năm
    /// 2022`, `Nghị định số 43/2023/NĐ-CP`), for citations of a law on a
    /// day it was not in force.
    pub fn cited_in(&self, text: &str) -> Option<std::ops::Range<usize>> {
        let names = self.names.get_or_init(|| {
            let law = self.law.vi.split(" (").next().unwrap_or_default();
            let decree = self
                .decree
                .as_ref()
                .map(|d| d.vi.split(',').next().unwrap_or_default());
            std::iter::once(law)
                .chain(decree)
                .filter_map(|name| {
                    let words: Vec<String> = name.split_whitespace().map(regex::escape).collect();
                    let pattern = format!("(?i){}", words.join(r"\s+(?:(?:năm|số)\s+)?"));
                    regex::Regex::new(&pattern).ok()
                })
                .collect()
        });
        names
            .iter()
            .filter_map(|re| re.find(text).map(|m| m.range()))
            .min_by_key(|r| r.start)
    }

    /// The full citation: "Luật Thanh tra 2022, Điều 79; Nghị định 43/2023/NĐ-CP, Điều 48–49".
    pub fn citation(&self) -> Citation {
        let mut vi = self.law.vi.clone();
        let mut en = self.law.en.clone();
        if let Some(a) = &self.article {
            vi.push_str(&format!(", Điều {a}"));
            en.push_str(&format!(", art. {a}"));
        }
        if let Some(d) = &self.decree {
            vi.push_str(&format!("; {}", d.vi));
            en.push_str(&format!("; {}", d.en));
        }
        Citation { vi, en }
    }

    /// The law and article alone, for a message about its deadline.
    pub fn law_article(&self) -> Citation {
        Citation {
            vi: match &self.article {
                Some(a) => format!("{}, Điều {a}", self.law.vi),
                None => self.law.vi.clone(),
            },
            en: match &self.article {
                Some(a) => format!("{}, art. {a}", self.law.en),
                None => self.law.en.clone(),
            },
        }
    }
}

/// A form of discipline some roles may receive.
#[derive(Debug, Clone)]
pub struct PenaltyRule {
    pub penalty: Penalty,
    pub roles: Vec<Role>,
    /// `Some(true)`: only holders of a leading post; `Some(false)`: only others.
    pub leader: Option<bool>,
    pub valid: Validity,
    pub basis: Citation,
}

/// Which kinds of body may decide a track (or one penalty of it).
#[derive(Debug, Clone)]
pub struct DeciderRule {
    pub track: Track,
    pub penalty: Option<Penalty>,
    pub kinds: Vec<AgencyKind>,
    pub valid: Validity,
    /// An error, or a warning for finer rules of competence.
    pub error: bool,
    pub basis: Citation,
}

/// Kinds of body as messages list them: "`inspectorate` (cơ quan thanh tra), …".
pub fn kinds_list(kinds: &[AgencyKind]) -> String {
    use super::vocab::Vocab;
    kinds
        .iter()
        .map(|k| format!("`{}` ({})", k.id(), k.term_vi()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which kinds of body issue the conclusions of one source: a state
/// inspectorate does not sign a party inspection committee's conclusion.
#[derive(Debug, Clone)]
pub struct IssuerRule {
    pub source: ConclusionSource,
    pub kinds: Vec<AgencyKind>,
    pub valid: Validity,
    pub basis: Citation,
}

/// How a reporting period's data window is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    /// From the day after this day of the month before the period to this
    /// day of its last month.
    Day(u32),
    /// The calendar months of the period.
    Calendar,
}

#[derive(Debug, Clone)]
pub struct Reporting {
    pub cutoff: Cutoff,
    pub citation: Citation,
}

/// The whole table.
#[derive(Debug, Clone)]
pub struct Law {
    /// The named legal bases, which a site's own table may extend.
    pub bases: BTreeMap<String, Citation>,
    pub publication: Vec<PublicationRule>,
    pub penalties: Vec<PenaltyRule>,
    pub deciders: Vec<DeciderRule>,
    pub issuers: Vec<IssuerRule>,
    pub reporting: Reporting,
}

impl Default for Law {
    /// The built-in table.
    fn default() -> Self {
        builtin().clone()
    }
}

/// The built-in table, read once (its tests prove it reads without a problem).
pub fn builtin() -> &'static Law {
    static LAW: std::sync::LazyLock<Law> = std::sync::LazyLock::new(|| {
        let file = crate::source::SourceFile::new(DEFAULT_PATH.into(), DEFAULT.to_string());
        let mut diags = Vec::new();
        let node = crate::load::toml::parse(&file, &mut diags);
        let mut r = Reader::new(&file, NaiveDate::MAX, &[]);
        node.and_then(|n| Law::read(&n, &mut r, None))
            .unwrap_or_else(Law::empty)
    });
    &LAW
}

/// Why a penalty cannot be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The role can never receive this penalty.
    NotForRole,
    /// The form existed for this role but was abolished before the decision.
    Abolished { since: NaiveDate, basis: Citation },
    /// The form exists for this role only with (or without) a leading post.
    Post { leader: bool, basis: Citation },
}

impl Law {
    /// A table without rules.
    pub fn empty() -> Self {
        Law {
            bases: BTreeMap::new(),
            publication: Vec::new(),
            penalties: Vec::new(),
            deciders: Vec::new(),
            issuers: Vec::new(),
            reporting: Reporting {
                cutoff: Cutoff::Day(14),
                citation: Citation::default(),
            },
        }
    }

    /// The publication rule for a conclusion signed on `day`.
    pub fn publication(&self, day: NaiveDate) -> Option<&PublicationRule> {
        self.publication.iter().find(|p| p.valid.contains(day))
    }

    /// Checks a penalty for a subject on the day it was decided. `leader`
    /// is whether the subject holds a leading post, when known.
    pub fn penalty(
        &self,
        penalty: Penalty,
        role: Role,
        leader: Option<bool>,
        day: NaiveDate,
    ) -> Result<&PenaltyRule, Refusal> {
        let for_role = |r: &&PenaltyRule| r.penalty == penalty && r.roles.contains(&role);
        let in_force: Vec<&PenaltyRule> = self
            .penalties
            .iter()
            .filter(for_role)
            .filter(|r| r.valid.contains(day))
            .collect();
        if let Some(rule) = in_force
            .iter()
            .find(|r| r.leader.is_none() || leader.is_none() || r.leader == leader)
        {
            return Ok(rule);
        }
        if let Some(rule) = in_force.first() {
            return Err(Refusal::Post {
                leader: rule.leader.unwrap_or(false),
                basis: rule.basis.clone(),
            });
        }
        match self
            .penalties
            .iter()
            .filter(for_role)
            .filter_map(|r| r.valid.to.filter(|t| day > *t).map(|t| (t, r)))
            .max_by_key(|(t, _)| *t)
        {
            // Cited by the rules that replaced it, when there are any.
            Some((to, r)) => Err(Refusal::Abolished {
                since: to.succ_opt().unwrap_or(to),
                basis: self
                    .penalties
                    .iter()
                    .find(|n| n.roles.contains(&role) && n.valid.contains(day))
                    .map_or_else(|| r.basis.clone(), |n| n.basis.clone()),
            }),
            None => Err(Refusal::NotForRole),
        }
    }

    /// Whether holding a post changes which penalties `role` may receive on
    /// `day` (so whether a decision should say so with `leader`).
    pub fn post_matters(&self, role: Role, day: NaiveDate) -> bool {
        self.penalties
            .iter()
            .any(|r| r.leader.is_some() && r.roles.contains(&role) && r.valid.contains(day))
    }

    /// Every penalty a role could receive on a day, in the table's order.
    pub fn allowed_for(&self, role: Role, leader: Option<bool>, day: NaiveDate) -> Vec<Penalty> {
        let mut out: Vec<Penalty> = Vec::new();
        for r in &self.penalties {
            if r.roles.contains(&role)
                && r.valid.contains(day)
                && (r.leader.is_none() || leader.is_none() || r.leader == leader)
                && !out.contains(&r.penalty)
            {
                out.push(r.penalty);
            }
        }
        out
    }

    /// The rules of competence a decision breaks: the most specific rule for
    /// its track (and penalty) whose kinds do not include the deciding body.
    pub fn decider(
        &self,
        track: Track,
        penalty: Penalty,
        kind: AgencyKind,
        day: NaiveDate,
    ) -> Option<&DeciderRule> {
        let rules: Vec<&DeciderRule> = self
            .deciders
            .iter()
            .filter(|r| r.track == track && r.valid.contains(day))
            .filter(|r| r.penalty.is_none_or(|p| p == penalty))
            .collect();
        rules.into_iter().find(|r| !r.kinds.contains(&kind))
    }

    /// The rule a conclusion of `source` issued by a body of `kind` on `day`
    /// breaks, if any.
    pub fn issuer(
        &self,
        source: ConclusionSource,
        kind: AgencyKind,
        day: NaiveDate,
    ) -> Option<&IssuerRule> {
        self.issuers
            .iter()
            .filter(|r| r.source == source && r.valid.contains(day))
            .find(|r| !r.kinds.contains(&kind))
    }

    /// Reads the table; `base` is the built-in one, whose tables a site's
    /// own file replaces one by one.
    pub fn read(node: &Node, r: &mut Reader<'_>, base: Option<&Law>) -> Option<Law> {
        let mut f = Fields::of(node, r, ("bảng quy định pháp luật", "table of legal rules"))?;
        let empty = Law::empty();
        let base = base.unwrap_or(&empty);
        let mut bases = base.bases.clone();
        if let Some(n) = f.node("basis") {
            bases.extend(r.in_key("basis", |r| read_bases(n, r)));
        }
        let publication = f
            .node("publication")
            .map(|n| r.in_key("publication", |r| list(n, r, read_publication)));
        let penalties = f
            .node("penalty")
            .map(|n| r.in_key("penalty", |r| list(n, r, |n, r| read_penalty(n, r, &bases))));
        let deciders = f
            .node("decider")
            .map(|n| r.in_key("decider", |r| list(n, r, |n, r| read_decider(n, r, &bases))));
        let issuers = f
            .node("issuer")
            .map(|n| r.in_key("issuer", |r| list(n, r, |n, r| read_issuer(n, r, &bases))));
        let reporting = f
            .node("reporting")
            .and_then(|n| r.in_key("reporting", |r| read_reporting(n, r)));
        f.finish(r);
        Some(Law {
            bases,
            publication: publication.unwrap_or_else(|| base.publication.clone()),
            penalties: penalties.unwrap_or_else(|| base.penalties.clone()),
            deciders: deciders.unwrap_or_else(|| base.deciders.clone()),
            issuers: issuers.unwrap_or_else(|| base.issuers.clone()),
            reporting: reporting.unwrap_or_else(|| base.reporting.clone()),
        })
    }
}

/// A list of tables (`[[penalty]]`), each read by `one`.
fn list<T>(
    node: &Node,
    r: &mut Reader<'_>,
    one: impl Fn(&Node, &mut Reader<'_>) -> Option<T>,
) -> Vec<T> {
    match &node.value {
        Value::List(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| r.in_index(i, |r| one(n, r)))
            .collect(),
        _ => {
            r.wrong_kind(
                node,
                ("một danh sách bảng `[[…]]`", "a list of `[[…]]` tables"),
            );
            Vec::new()
        }
    }
}

fn validity(f: &mut Fields<'_>, r: &mut Reader<'_>) -> Validity {
    Validity {
        from: f.opt(r, "valid_from"),
        to: f.opt(r, "valid_to"),
    }
}

/// The named bases (`[basis.party] vi = … en = …`).
fn read_bases(node: &Node, r: &mut Reader<'_>) -> BTreeMap<String, Citation> {
    let Value::Map(entries) = &node.value else {
        r.wrong_kind(node, ("một bảng căn cứ", "a table of bases"));
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (key, value) in entries {
        let name = key.name.to_string();
        let read = r.in_key(&name, |r| {
            let mut f = Fields::of(value, r, ("căn cứ pháp lý", "legal basis"))?;
            let c = Citation {
                vi: f.req(r, "vi")?,
                en: f.req(r, "en")?,
            };
            f.finish(r);
            Some(c)
        });
        if let Some(c) = read {
            out.insert(name, c);
        }
    }
    out
}

/// A basis given by name.
fn basis(
    f: &mut Fields<'_>,
    r: &mut Reader<'_>,
    bases: &BTreeMap<String, Citation>,
) -> Option<Citation> {
    let name: String = f.req(r, "basis")?;
    match bases.get(&name) {
        Some(c) => Some(c.clone()),
        None => {
            let span = f.span_of("basis");
            let known: Vec<&str> = bases.keys().map(String::as_str).collect();
            r.in_key("basis", |r| {
                r.error(
                    Code::UnknownReference,
                    span,
                    msg(
                        format!(
                            "Không có căn cứ `{name}` trong `[basis]`; có: {}",
                            known.join(", ")
                        ),
                        format!(
                            "no basis `{name}` in `[basis]`; there are: {}",
                            known.join(", ")
                        ),
                    ),
                );
            });
            None
        }
    }
}

fn read_publication(node: &Node, r: &mut Reader<'_>) -> Option<PublicationRule> {
    let mut f = Fields::of(node, r, ("quy định công khai", "publication rule"))?;
    let valid = validity(&mut f, r);
    let law = pair(&mut f, r, ("law_vi", "law_en"), true);
    let article = f.opt(r, "article");
    let decree = pair(&mut f, r, ("decree_vi", "decree_en"), false);
    let max = f.req(r, "max_days_after_signing");
    let min = f.req(r, "min_days_on_portal");
    f.finish(r);
    Some(PublicationRule {
        valid,
        law: law?,
        article,
        decree,
        max_days_after_signing: max?,
        min_days_on_portal: min?,
        names: std::sync::OnceLock::new(),
    })
}

/// A citation written in two keys, one per language (`law_vi`, `law_en`).
fn pair(
    f: &mut Fields<'_>,
    r: &mut Reader<'_>,
    (vi, en): (&'static str, &'static str),
    required: bool,
) -> Option<Citation> {
    if required {
        Some(Citation {
            vi: f.req(r, vi)?,
            en: f.req(r, en)?,
        })
    } else {
        let (v, e) = (f.opt(r, vi), f.opt(r, en));
        match (v, e) {
            (Some(vi), Some(en)) => Some(Citation { vi, en }),
            (None, None) => None,
            (v, _) => {
                let missing = if v.is_none() { vi } else { en };
                f.missing(r, missing, None);
                None
            }
        }
    }
}

fn read_penalty(
    node: &Node,
    r: &mut Reader<'_>,
    bases: &BTreeMap<String, Citation>,
) -> Option<PenaltyRule> {
    let mut f = Fields::of(node, r, ("quy định hình thức kỷ luật", "penalty rule"))?;
    let penalty = f.req(r, "penalty");
    let roles: Option<Vec<Role>> = f.req(r, "roles");
    let leader = f.opt(r, "leader");
    let valid = validity(&mut f, r);
    let basis = basis(&mut f, r, bases);
    f.finish(r);
    Some(PenaltyRule {
        penalty: penalty?,
        roles: roles?,
        leader,
        valid,
        basis: basis?,
    })
}

fn read_decider(
    node: &Node,
    r: &mut Reader<'_>,
    bases: &BTreeMap<String, Citation>,
) -> Option<DeciderRule> {
    let mut f = Fields::of(node, r, ("quy định thẩm quyền", "competence rule"))?;
    let track = f.req(r, "track");
    let penalty = f.opt(r, "penalty");
    let kinds: Option<Vec<AgencyKind>> = f.req(r, "kinds");
    let valid = validity(&mut f, r);
    let severity: Option<String> = f.opt(r, "severity");
    let basis = basis(&mut f, r, bases);
    f.finish(r);
    Some(DeciderRule {
        track: track?,
        penalty,
        kinds: kinds?,
        valid,
        error: severity.as_deref() != Some("warning"),
        basis: basis?,
    })
}

fn read_issuer(
    node: &Node,
    r: &mut Reader<'_>,
    bases: &BTreeMap<String, Citation>,
) -> Option<IssuerRule> {
    let mut f = Fields::of(node, r, ("quy định cơ quan ban hành", "issuer rule"))?;
    let source = f.req(r, "source");
    let kinds: Option<Vec<AgencyKind>> = f.req(r, "kinds");
    let valid = validity(&mut f, r);
    let basis = basis(&mut f, r, bases);
    f.finish(r);
    Some(IssuerRule {
        source: source?,
        kinds: kinds?,
        valid,
        basis: basis?,
    })
}

fn read_reporting(node: &Node, r: &mut Reader<'_>) -> Option<Reporting> {
    let mut f = Fields::of(node, r, ("chế độ báo cáo", "reporting regime"))?;
    let cutoff = f
        .node("cutoff_day")
        .and_then(|n| r.in_key("cutoff_day", |r| Cutoff::read(n, r)));
    let citation = pair(&mut f, r, ("citation_vi", "citation_en"), true);
    f.finish(r);
    Some(Reporting {
        cutoff: cutoff.unwrap_or(Cutoff::Day(14)),
        citation: citation?,
    })
}

impl Cutoff {
    /// `cutoff_day = 14` or `cutoff_day = "calendar"`.
    pub fn read(n: &Node, r: &mut Reader<'_>) -> Option<Cutoff> {
        match &n.value {
            Value::Scalar(s) if s.text.trim() == "calendar" => Some(Cutoff::Calendar),
            _ => u32::from_node(n, r).and_then(|d| {
                if (1..=28).contains(&d) {
                    Some(Cutoff::Day(d))
                } else {
                    r.error(
                        Code::InvalidValue,
                        n.span,
                        msg(
                            "`cutoff_day` là một ngày từ 1 đến 28, hoặc \"calendar\"",
                            "`cutoff_day` is a day from 1 to 28, or \"calendar\"",
                        ),
                    );
                    None
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn the_built_in_table_reads_without_a_problem() {
        let file = crate::source::SourceFile::new(DEFAULT_PATH.into(), DEFAULT.to_string());
        let mut diags = Vec::new();
        let node = crate::load::toml::parse(&file, &mut diags).expect("parses");
        let mut r = Reader::new(&file, d(2026, 1, 1), &[]);
        let law = Law::read(&node, &mut r, None).expect("reads");
        assert!(
            diags.is_empty() && r.diags.is_empty(),
            "{diags:?} {:?}",
            r.diags
        );
        assert_eq!(law.publication.len(), 2);
        assert!(!law.penalties.is_empty() && !law.deciders.is_empty());
    }

    #[test]
    fn publication_follows_the_law_in_force_on_the_day_of_signing() {
        let law = Law::default();
        let before = law.publication(d(2025, 6, 30)).unwrap();
        let after = law.publication(d(2025, 7, 1)).unwrap();
        assert_eq!(
            before.citation().vi,
            "Luật Thanh tra 2022, Điều 79; Nghị định 43/2023/NĐ-CP, Điều 48–49"
        );
        assert!(after.citation().vi.contains("84/2025/QH15"));
        assert!(
            !after.citation().vi.contains("2022"),
            "{:?}",
            after.citation()
        );
        assert!(!after.citation().vi.contains("43/2023"));
        assert_eq!(
            after.article, None,
            "the article of the 2025 law is not confirmed"
        );
    }

    #[test]
    fn civil_servants_posts_and_the_1_july_2025_change() {
        let law = Law::default();
        let cs = Role::CivilServant;
        let (june, july) = (d(2025, 6, 30), d(2025, 7, 1));
        assert!(
            law.penalty(Penalty::SalaryDowngrade, cs, Some(false), june)
                .is_ok()
        );
        assert!(matches!(
            law.penalty(Penalty::SalaryDowngrade, cs, Some(true), june),
            Err(Refusal::Post { leader: false, .. })
        ));
        assert!(law.penalty(Penalty::Demotion, cs, Some(true), june).is_ok());
        assert!(matches!(
            law.penalty(Penalty::Demotion, cs, Some(false), june),
            Err(Refusal::Post { leader: true, .. })
        ));
        for p in [Penalty::SalaryDowngrade, Penalty::Demotion] {
            assert!(matches!(
                law.penalty(p, cs, Some(false), july),
                Err(Refusal::Abolished { since, .. }) if since == july
            ));
        }
        assert!(law.penalty(Penalty::Removal, cs, Some(true), july).is_ok());
        assert!(
            law.penalty(Penalty::Removal, cs, Some(false), july)
                .is_err()
        );
        assert!(
            law.penalty(Penalty::Removal, Role::PublicEmployee, Some(false), june)
                .is_err()
        );
        assert!(
            law.penalty(Penalty::Removal, Role::PublicEmployee, Some(true), june)
                .is_ok()
        );
        assert_eq!(
            law.allowed_for(Role::ProbationaryPartyMember, None, june),
            vec![Penalty::Reprimand, Penalty::Warning]
        );
        assert_eq!(
            law.penalty(Penalty::Expulsion, Role::Cadre, None, june)
                .unwrap_err(),
            Refusal::NotForRole
        );
    }

    #[test]
    fn party_bodies_decide_party_discipline_and_dissolution_is_for_committees() {
        let law = Law::default();
        let day = d(2026, 1, 1);
        use AgencyKind::*;
        assert!(
            law.decider(Track::Party, Penalty::Warning, InspectionCommittee, day)
                .is_none()
        );
        assert!(
            law.decider(Track::Party, Penalty::Warning, PeopleCommittee, day)
                .is_some()
        );
        assert!(
            law.decider(
                Track::Administrative,
                Penalty::Warning,
                InspectionCommittee,
                day
            )
            .is_some()
        );
        assert!(
            law.decider(Track::Party, Penalty::Dissolution, InspectionCommittee, day)
                .is_some()
        );
        assert!(
            law.decider(Track::Party, Penalty::Dissolution, PartyCommittee, day)
                .is_none()
        );
    }
}
