//! Disciplinary decisions (*quyết định / thông báo kỷ luật*), party and
//! administrative, with the penalty checked against the dated table.

use crate::diag::Code;
use chrono::NaiveDate;
use serde::Serialize;

use super::fields::Fields;
use super::law::{Citation, Law, Refusal};
use super::read::Ref;
use super::read::{Reader, Spanned, Target, Text};
use super::record::{Source, read_source};
use super::rules::Rules;
use super::schema;
use super::vocab::{DecisionStatus, Penalty, Role, SubjectType, Track, Vocab};
use crate::diag::msg;
use crate::load::RawDoc;
use crate::load::node::Node;

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    #[serde(skip)]
    pub source: Source,
    pub number: Spanned<Text>,
    /// The number as compared for uniqueness ([`congkhai_fold::number_key`]):
    /// made once when read, since `serve` checks every number after each edit.
    #[serde(skip)]
    pub number_key: String,
    pub track: Track,
    pub authority: Ref,
    pub decided_on: NaiveDate,
    pub published_on: NaiveDate,
    pub subject: Subject,
    pub penalty: Penalty,
    /// The legal basis of the penalty on the decision's date, from the table of legal rules.
    pub basis: Citation,
    pub related: Vec<Ref>,
    pub session: Option<Text>,
    pub status: DecisionStatus,
    pub status_on: Option<NaiveDate>,
    pub status_note: Option<Text>,
    /// The signed decision itself, as a published file.
    pub documents: Vec<super::document::Document>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    #[serde(rename = "type")]
    pub kind: SubjectType,
    pub role: Role,
    pub name: Text,
    /// At the time of the violation.
    pub position: Option<Text>,
    /// Whether the subject held a leading or managing post then: some
    /// penalties exist only for leaders, some only for others.
    pub leader: Option<bool>,
    pub agency: Option<Ref>,
}

impl Subject {
    /// Whether the subject led, as written or else as the position's title
    /// says (`Phó Trưởng phòng`: yes).
    pub fn leads(&self) -> Option<bool> {
        self.leader
            .or_else(|| self.position.as_ref().map(|p| names_a_leading_post(&p.0)))
    }
}

/// Whether a position names a leading or managing post: Trưởng, Phó,
/// Giám đốc, Chủ tịch, Bí thư, Chánh, … as words, so that the school
/// (`Trường`) and the clerk (`Chuyên viên`) do not count.
pub fn names_a_leading_post(position: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let text: String = position.nfc().collect::<String>().to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let single = ["trưởng", "phó", "chánh"];
    let pairs = [
        ("giám", "đốc"),
        ("chủ", "tịch"),
        ("bí", "thư"),
        ("chủ", "nhiệm"),
        ("thủ", "trưởng"),
    ];
    words.iter().any(|w| single.contains(w))
        || words.windows(2).any(|p| pairs.contains(&(p[0], p[1])))
}

impl Decision {
    pub fn id(&self) -> &str {
        self.source.id.as_str()
    }

    pub fn read(doc: &RawDoc, r: &mut Reader<'_>, rules: &Rules<'_>) -> Option<Self> {
        let law = rules.law;
        let root = doc.front.as_ref()?;
        let mut f = Fields::of_schema(root, r, &schema::DECISION)?;
        let source = read_source(doc, &mut f, r);
        let number: Option<Spanned<Text>> = f.req(r, "number");
        let track = f.req::<Track>(r, "track");
        let authority = f.req_ref(r, "authority", Target::Agency);
        let decided_on = f.req::<NaiveDate>(r, "decided_on");
        let published_on = f.req::<NaiveDate>(r, "published_on");
        let (subject, role) = match f.node("subject") {
            Some(n) => r.in_key("subject", |r| read_subject(n, r, (law, decided_on))),
            None => {
                f.missing(r, "subject", None);
                (None, None)
            }
        };
        let leads = subject
            .as_ref()
            .map_or(Some(None), |s: &Subject| Some(s.leads()));
        let penalty = f.req::<Penalty>(r, "penalty");
        let related = f.refs(r, "related", Target::Conclusion);
        let session = f.opt(r, "session");
        let status = f.opt(r, "status").unwrap_or(DecisionStatus::InForce);
        let status_on = f.opt::<NaiveDate>(r, "status_on");
        let status_note = f.opt(r, "status_note");

        if let Some(d) = decided_on {
            let span = f.span_of("decided_on");
            r.in_key("decided_on", |r| {
                r.check_not_future(d, span, ("Ngày quyết định", "The decision date"))
            });
        }
        if let Some(p) = published_on {
            let span = f.span_of("published_on");
            r.in_key("published_on", |r| {
                r.check_not_future(p, span, ("Ngày công khai", "The publication date"));
                if let Some(d) = decided_on {
                    r.check_order(
                        (d, "ngày quyết định", "the decision date"),
                        (p, "Ngày công khai", "The publication date"),
                        span,
                    );
                }
            });
        }
        if let (Some(track), Some(role)) = (track, role) {
            check_track(r, &f, track, role);
        }
        if let (Some(p), Some((role, leads)), Some(on)) = (penalty, role.zip(leads), decided_on) {
            let span = f.span_of("penalty");
            r.in_key("penalty", |r| {
                check_penalty(r, law, span, p, (role, leads), on)
            });
        }
        if let (Some(track), Some(p), Some(a), Some(on)) = (track, penalty, &authority, decided_on)
        {
            let span = f.span_of("authority");
            r.in_key("authority", |r| {
                check_authority(r, rules, span, a.value.as_str(), (track, p, on))
            });
        }
        if let (Some(a), Some(on)) = (&authority, decided_on) {
            let span = f.span_of("authority");
            r.in_key("authority", |r| {
                let what = ("Quyết định ký", "The decision is made");
                super::acting::check_exists(r, rules, span, a.value.as_str(), (on, what));
            });
        }
        check_status(
            r,
            &mut f,
            status,
            status_on,
            status_note.is_some(),
            decided_on,
        );
        let documents = super::document::documents(&mut f, r, rules.files);
        f.finish(r);

        let (penalty, subject, decided_on) = (penalty?, subject?, decided_on?);
        Some(Decision {
            source: source?,
            number_key: congkhai_fold::number_key(&number.as_ref()?.value),
            number: number?,
            track: track?,
            authority: authority?,
            decided_on,
            published_on: published_on?,
            basis: law
                .penalty(penalty, subject.role, subject.leads(), decided_on)
                .map(|rule| rule.basis.clone())
                .unwrap_or_default(),
            subject,
            penalty,
            related,
            session,
            status,
            status_on,
            status_note,
            documents,
        })
    }
}

/// Reads the subject; its role is returned even when other fields are wrong,
/// so that the penalty can still be checked against it.
fn read_subject(
    node: &Node,
    r: &mut Reader<'_>,
    (law, decided_on): (&Law, Option<NaiveDate>),
) -> (Option<Subject>, Option<Role>) {
    let Some(mut f) = Fields::of_schema(node, r, &schema::SUBJECT) else {
        return (None, None);
    };
    let kind = f.req::<SubjectType>(r, "type");
    let role = f.req::<Role>(r, "role");
    let name = f.req(r, "name");
    let position: Option<Text> = f.opt(r, "position");
    let leader = f.opt::<bool>(r, "leader");
    let agency = f.opt_ref(r, "agency", Target::Agency);
    f.finish(r);
    if let (Some(role), Some(p), None, Some(on)) = (role, &position, leader, decided_on)
        && names_a_leading_post(&p.0)
        && law.post_matters(role, on)
    {
        let span = f.span_of("position");
        r.in_key("position", |r| {
            r.warning(
                Code::LeaderUnset,
                span,
                msg(
                    format!("Chức vụ “{}” là chức vụ lãnh đạo, quản lý nhưng chưa ghi `leader`; hình thức kỷ luật được kiểm tra như với người giữ chức vụ", p.0),
                    format!("the position \"{}\" names a leading post but `leader` is not set; the penalty is checked as for a post holder", p.0),
                ),
            )
            .set_hint(msg(
                "Ghi `leader: true` (giữ chức vụ lãnh đạo, quản lý khi vi phạm) hoặc `leader: false` trong `subject`",
                "Write `leader: true` (held a leading or managing post) or `leader: false` under `subject`",
            ));
        });
    }
    let (Some(kind), Some(role)) = (kind, role) else {
        return (None, role);
    };
    let is_org = role == Role::PartyOrganization;
    if is_org != (kind == SubjectType::Organization) {
        let span = f.span_of("role");
        r.in_key("role", |r| {
            r.error(
                Code::SubjectRole,
                span,
                msg(
                    format!("Đối tượng loại `{}` không thể có vai trò `{}`", kind.id(), role.id()),
                    format!("a subject of type `{}` cannot have the role `{}`", kind.id(), role.id()),
                ),
            )
            .set_hint(msg(
                "Tổ chức đảng dùng `type: organization` với `role: party_organization`; cá nhân dùng `type: person`",
                "A party organisation is `type: organization` with `role: party_organization`; a person is `type: person`",
            ));
        });
    }
    let subject = name.map(|name| Subject {
        kind,
        role,
        name,
        position,
        leader,
        agency,
    });
    (subject, Some(role))
}

fn check_track(r: &mut Reader<'_>, f: &Fields<'_>, track: Track, role: Role) {
    let party_role = matches!(
        role,
        Role::PartyMember | Role::ProbationaryPartyMember | Role::PartyOrganization
    );
    if party_role != (track == Track::Party) {
        let span = f.span_of("track");
        r.in_key("track", |r| {
            r.error(
                Code::TrackRole,
                span,
                msg(
                    format!(
                        "Kỷ luật `{}` ({}) không áp dụng cho đối tượng `{}` ({})",
                        track.id(),
                        track.term_vi(),
                        role.id(),
                        role.term_vi()
                    ),
                    format!("`{}` discipline does not apply to a `{}`", track.id(), role.id()),
                ),
            )
            .set_hint(msg(
                "Kỷ luật đảng (`party`) dành cho đảng viên và tổ chức đảng; kỷ luật hành chính (`administrative`) dành cho cán bộ, công chức, viên chức",
                "Party discipline is for party members and organisations; administrative discipline is for cadres, civil servants and public employees",
            ));
        });
    }
}

fn check_penalty(
    r: &mut Reader<'_>,
    law: &Law,
    span: crate::source::Span,
    p: Penalty,
    (role, leader): (Role, Option<bool>),
    on: NaiveDate,
) {
    let Err(refusal) = law.penalty(p, role, leader, on) else {
        return;
    };
    let (what_vi, what_en) = (
        format!("Hình thức `{}` ({})", p.id(), p.term_vi()),
        format!("the penalty `{}`", p.id()),
    );
    let m = match refusal {
        Refusal::NotForRole => msg(
            format!(
                "{what_vi} không áp dụng cho {} (`{}`)",
                role.term_vi(),
                role.id()
            ),
            format!("{what_en} cannot be given to a `{}`", role.id()),
        ),
        Refusal::Abolished { since, basis } => msg(
            format!(
                "{what_vi} không còn áp dụng cho {} từ ngày {} ({})",
                role.term_vi(),
                since.format("%d/%m/%Y"),
                basis.vi
            ),
            format!(
                "{what_en} no longer exists for a `{}` since {since} ({})",
                role.id(),
                basis.en
            ),
        ),
        Refusal::Post {
            leader: true,
            basis,
        } => msg(
            format!(
                "{what_vi} chỉ áp dụng cho {} giữ chức vụ lãnh đạo, quản lý ({})",
                role.term_vi(),
                basis.vi
            ),
            format!(
                "{what_en} is only for a `{}` who holds a leading or managing post ({})",
                role.id(),
                basis.en
            ),
        ),
        Refusal::Post {
            leader: false,
            basis,
        } => msg(
            format!(
                "{what_vi} chỉ áp dụng cho {} không giữ chức vụ lãnh đạo, quản lý ({})",
                role.term_vi(),
                basis.vi
            ),
            format!(
                "{what_en} is only for a `{}` who holds no leading or managing post ({})",
                role.id(),
                basis.en
            ),
        ),
    };
    let allowed = law
        .allowed_for(role, leader, on)
        .iter()
        .map(|p| format!("`{}` ({})", p.id(), p.term_vi()))
        .collect::<Vec<_>>()
        .join(", ");
    let post = match leader {
        Some(true) => (
            " với người giữ chức vụ lãnh đạo, quản lý",
            " for a post holder",
        ),
        Some(false) => (
            " với người không giữ chức vụ",
            " for someone without a post",
        ),
        None => ("", ""),
    };
    r.error(Code::PenaltyRole, span, m).set_hint(msg(
        format!(
            "Các hình thức hợp lệ vào ngày {}{}: {allowed}",
            on.format("%d/%m/%Y"),
            post.0
        ),
        format!("Valid penalties on {on}{}: {allowed}", post.1),
    ));
}

/// Who may decide: party discipline by party bodies, administrative
/// discipline by state bodies, and the finer rules of the table.
fn check_authority(
    r: &mut Reader<'_>,
    rules: &Rules<'_>,
    span: crate::source::Span,
    authority: &str,
    (track, p, on): (Track, Penalty, NaiveDate),
) {
    let Some(agency) = rules.agency(authority) else {
        return; // an unknown agency is reported once all ids are known
    };
    let kind = agency.kind;
    let Some(rule) = rules.law.decider(track, p, kind, on) else {
        return;
    };
    let may = super::law::kinds_list(&rule.kinds);
    let what = match rule.penalty {
        Some(p) => (
            format!("Hình thức `{}` ({})", p.id(), p.term_vi()),
            format!("the penalty `{}`", p.id()),
        ),
        None => (
            format!("Kỷ luật `{}` ({})", track.id(), track.term_vi()),
            format!("`{}` discipline", track.id()),
        ),
    };
    let m = msg(
        format!(
            "{} không do {} (`{}`, {}) quyết định ({})",
            what.0,
            agency.name.0,
            kind.id(),
            kind.term_vi(),
            rule.basis.vi
        ),
        format!(
            "{} is not decided by {} (`{}`) ({})",
            what.1,
            agency.name.0,
            kind.id(),
            rule.basis.en
        ),
    );
    let hint = msg(
        format!("Cơ quan có thẩm quyền: {may}"),
        format!("Competent bodies: {may}"),
    );
    if rule.error {
        r.error(Code::AuthorityKind, span, m).set_hint(hint);
    } else {
        r.warning(Code::AuthorityKind, span, m).set_hint(hint);
    }
}

fn check_status(
    r: &mut Reader<'_>,
    f: &mut Fields<'_>,
    status: DecisionStatus,
    status_on: Option<NaiveDate>,
    has_note: bool,
    decided_on: Option<NaiveDate>,
) {
    if status == DecisionStatus::InForce {
        if status_on.is_some() {
            let span = f.span_of("status_on");
            r.in_key("status_on", |r| {
                r.error(
                    Code::InvalidValue,
                    span,
                    msg(
                        "`status_on` chỉ dùng khi quyết định đã chấm dứt hiệu lực (`lifted`) hoặc bị hủy (`annulled`)",
                        "`status_on` is only for a decision that was lifted or annulled",
                    ),
                );
            });
        }
        return;
    }
    let why = msg(
        "bắt buộc khi quyết định đã chấm dứt hiệu lực hoặc bị hủy",
        "required when a decision is lifted or annulled",
    );
    match status_on {
        None => f.missing(r, "status_on", Some(why.clone())),
        Some(on) => {
            let span = f.span_of("status_on");
            r.in_key("status_on", |r| {
                r.check_not_future(on, span, ("Ngày thay đổi hiệu lực", "The status date"));
                if let Some(d) = decided_on {
                    r.check_order(
                        (d, "ngày quyết định", "the decision date"),
                        (on, "Ngày thay đổi hiệu lực", "The status date"),
                        span,
                    );
                }
            });
        }
    }
    if !has_note {
        f.missing(r, "status_note", Some(why));
    }
}
