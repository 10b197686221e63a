//! The page of one disciplinary decision.

use serde::Serialize;

use super::{Page, Section};
use crate::derive::lists::Dimension;
use crate::model::vocab::{Language, Vocab};
use crate::render::context::{Ctx, Link};
use crate::render::{Bodies, RenderError};
use crate::site::urls;

#[derive(Serialize)]
pub struct DecisionView {
    pub title: String,
    pub number: String,
    pub track_label: String,
    pub track_url: String,
    pub authority: Link,
    pub decided_on: String,
    pub decided_on_iso: String,
    pub published_on: String,
    pub published_on_iso: String,
    pub subject: String,
    pub role_label: String,
    pub position: Option<String>,
    pub agency: Option<Link>,
    pub penalty_label: String,
    pub penalty_url: String,
    pub basis: String,
    pub session: Option<String>,
    pub status: &'static str,
    pub status_label: String,
    pub status_on: Option<String>,
    pub status_note: Option<String>,
    pub body: String,
    pub related: Vec<ConclusionRefView>,
}

#[derive(Serialize)]
pub struct ConclusionRefView {
    pub url: String,
    pub number: String,
    pub title: String,
}

/// The heading of a decision: "Cảnh cáo đối với Trần Văn B" / "Warning: Trần Văn B".
pub fn decision_title(cx: &Ctx<'_>, i: usize) -> String {
    let d = cx.d.decision(i);
    let penalty = cx.t.label("penalty", d.penalty.id());
    match cx.lang {
        Language::Vi => format!("{penalty} đối với {}", d.subject.name),
        Language::En => format!("{penalty}: {}", d.subject.name),
    }
}

fn decision(cx: &Ctx<'_>, i: usize, body: &str) -> DecisionView {
    let dd = cx.d;
    let d = dd.decision(i);
    DecisionView {
        title: decision_title(cx, i),
        number: d.number.value.0.clone(),
        track_label: cx.t.label("track", d.track.id()),
        track_url: cx.link(&urls::filtered(
            urls::DECISIONS,
            Dimension::Track,
            d.track.id(),
        )),
        authority: cx.agency(d.authority.value.as_str()),
        decided_on: cx.date(d.decided_on),
        decided_on_iso: d.decided_on.to_string(),
        published_on: cx.date(d.published_on),
        published_on_iso: d.published_on.to_string(),
        subject: d.subject.name.0.clone(),
        role_label: cx.t.label("role", d.subject.role.id()),
        position: d.subject.position.as_ref().map(|p| p.0.clone()),
        agency: d
            .subject
            .agency
            .as_ref()
            .map(|a| cx.agency(a.value.as_str())),
        penalty_label: cx.t.label("penalty", d.penalty.id()),
        penalty_url: cx.link(&urls::filtered(
            urls::DECISIONS,
            Dimension::Penalty,
            d.penalty.id(),
        )),
        basis: d.basis.get(cx.lang).to_string(),
        session: d.session.as_ref().map(|s| s.0.clone()),
        status: d.status.id(),
        status_label: cx.t.label("decision_status", d.status.id()),
        status_on: d.status_on.map(|s| cx.date(s)),
        status_note: d.status_note.as_ref().map(|n| n.0.clone()),
        body: body.to_string(),
        related: dd.conclusions_of[i]
            .iter()
            .map(|&ci| {
                let c = &dd.site.conclusions[ci];
                ConclusionRefView {
                    url: cx.link(&urls::conclusion(c.id())),
                    number: c.number.value.0.clone(),
                    title: c.title.0.clone(),
                }
            })
            .collect(),
    }
}

/// The page of decision `i`.
pub fn page(cx: &Ctx<'_>, i: usize, bodies: &Bodies) -> Result<Page, RenderError> {
    let x = cx.d.decision(i);
    let view = decision(cx, i, &bodies.decision(cx.d.site, i)?);
    // An annulled or lifted decision says so in its title too, not only in
    // a banner: a reader who sees only the title or a search result must
    // not take it for one in force.
    let mark = if x.status == crate::model::vocab::DecisionStatus::InForce {
        String::new()
    } else {
        format!(" ({})", view.status_label)
    };
    let title = format!("{} — {}{mark}", x.number.value, view.title);
    let description = view.title.clone();
    Ok(
        Page::new("decision.html", title, description, Section::Decisions)
            .with("d", &view)
            .with(
                "documents",
                &super::documents::views(cx, x.id(), &x.documents),
            )
            .with(
                "history",
                &super::changes::record_history(cx, [x.id()], x.published_on),
            ),
    )
}
