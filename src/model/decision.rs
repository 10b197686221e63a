//! Disciplinary decisions (*quyết định / thông báo kỷ luật*), party and
//! administrative, with the penalty checked against the dated table.

use crate::diag::Code;
use chrono::NaiveDate;
use serde::Serialize;

use super::fields::Fields;
use super::penalty::{self, Refusal};
use super::read::Ref;
use super::read::{Reader, Spanned, Target, Text};
use super::record::{Source, read_source};
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
    pub track: Track,
    pub authority: Ref,
    pub decided_on: NaiveDate,
    pub published_on: NaiveDate,
    pub subject: Subject,
    pub penalty: Penalty,
    /// The legal basis of the penalty, from the penalty table.
    pub basis: &'static str,
    pub related: Vec<Ref>,
    pub session: Option<Text>,
    pub status: DecisionStatus,
    pub status_on: Option<NaiveDate>,
    pub status_note: Option<Text>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    #[serde(rename = "type")]
    pub kind: SubjectType,
    pub role: Role,
    pub name: Text,
    /// At the time of the violation.
    pub position: Option<Text>,
    pub agency: Option<Ref>,
}

impl Decision {
    pub fn id(&self) -> &str {
        self.source.id.as_str()
    }

    pub fn read(doc: &RawDoc, r: &mut Reader<'_>) -> Option<Self> {
        let root = doc.front.as_ref()?;
        let mut f = Fields::of_schema(root, r, &schema::DECISION)?;
        let source = read_source(doc, &mut f, r);
        let number = f.req(r, "number");
        let track = f.req::<Track>(r, "track");
        let authority = f.req_ref(r, "authority", Target::Agency);
        let decided_on = f.req::<NaiveDate>(r, "decided_on");
        let published_on = f.req::<NaiveDate>(r, "published_on");
        let (subject, role) = match f.node("subject") {
            Some(n) => r.in_key("subject", |r| read_subject(n, r)),
            None => {
                f.missing(r, "subject", None);
                (None, None)
            }
        };
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
        if let (Some(p), Some(role), Some(on)) = (penalty, role, decided_on) {
            let span = f.span_of("penalty");
            r.in_key("penalty", |r| check_penalty(r, span, p, role, on));
        }
        check_status(
            r,
            &mut f,
            status,
            status_on,
            status_note.is_some(),
            decided_on,
        );
        f.finish(r);

        let (penalty, subject, decided_on) = (penalty?, subject?, decided_on?);
        Some(Decision {
            source: source?,
            number: number?,
            track: track?,
            authority: authority?,
            decided_on,
            published_on: published_on?,
            basis: penalty::check(penalty, subject.role, decided_on).map_or("", |f| f.basis),
            subject,
            penalty,
            related,
            session,
            status,
            status_on,
            status_note,
        })
    }
}

/// Reads the subject; its role is returned even when other fields are wrong,
/// so that the penalty can still be checked against it.
fn read_subject(node: &Node, r: &mut Reader<'_>) -> (Option<Subject>, Option<Role>) {
    let Some(mut f) = Fields::of_schema(node, r, &schema::SUBJECT) else {
        return (None, None);
    };
    let kind = f.req::<SubjectType>(r, "type");
    let role = f.req::<Role>(r, "role");
    let name = f.req(r, "name");
    let position = f.opt(r, "position");
    let agency = f.opt_ref(r, "agency", Target::Agency);
    f.finish(r);
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
    span: crate::source::Span,
    p: Penalty,
    role: Role,
    on: NaiveDate,
) {
    let allowed = penalty::allowed_for(role, on)
        .iter()
        .map(|p| format!("`{}` ({})", p.id(), p.term_vi()))
        .collect::<Vec<_>>()
        .join(", ");
    let m = match penalty::check(p, role, on) {
        Ok(_) => return,
        Err(Refusal::NotForRole) => msg(
            format!(
                "Hình thức `{}` ({}) không áp dụng cho {} (`{}`)",
                p.id(),
                p.term_vi(),
                role.term_vi(),
                role.id()
            ),
            format!(
                "the penalty `{}` cannot be given to a `{}`",
                p.id(),
                role.id()
            ),
        ),
        Err(Refusal::Abolished { since, basis }) => msg(
            format!(
                "Hình thức `{}` ({}) không còn áp dụng cho {} từ ngày {} ({basis})",
                p.id(),
                p.term_vi(),
                role.term_vi(),
                since.format("%d/%m/%Y")
            ),
            format!(
                "the penalty `{}` no longer exists for a `{}` since {since} ({basis})",
                p.id(),
                role.id()
            ),
        ),
    };
    r.error(Code::PenaltyRole, span, m).set_hint(msg(
        format!(
            "Các hình thức hợp lệ vào ngày {}: {allowed}",
            on.format("%d/%m/%Y")
        ),
        format!("Valid penalties on {on}: {allowed}"),
    ));
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
