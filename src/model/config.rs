//! `congkhai.toml`: the site configuration, one typed struct.

use crate::diag::Code;
use serde::Serialize;

use super::fields::Fields;
use super::read::{FromNode, Reader, Text};
use super::vocab::Language;
use crate::diag::msg;
use crate::load::node::Node;

#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: Text,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub language: Language,
    pub theme: String,
    pub description: Option<Text>,
    /// Who publishes the portal (shown in the footer and feeds).
    pub publisher: Option<Text>,
    pub follow_up: FollowUp,
    pub publication: Publication,
    pub lists: Lists,
    #[serde(skip)]
    pub privacy: Privacy,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    /// Share of recommendations due that must be done on time.
    pub on_time_target: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    /// Luật Thanh tra 2022, Điều 79: publish within 10 days of signing.
    pub max_days_after_signing: u32,
    /// Nghị định 43/2023, Điều 48–49: at least 15 consecutive days on the portal.
    pub min_days_on_portal: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lists {
    /// Items per page of every paginated list.
    pub per_page: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Privacy {
    /// Official contacts that may appear in any published text.
    pub public_contacts: Vec<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: Text::default(),
            base_url: String::new(),
            language: Language::Vi,
            theme: "default".into(),
            description: None,
            publisher: None,
            follow_up: FollowUp {
                on_time_target: 0.9,
            },
            publication: Publication {
                max_days_after_signing: 10,
                min_days_on_portal: 15,
            },
            lists: Lists { per_page: 50 },
            privacy: Privacy::default(),
        }
    }
}

const WHAT: (&str, &str) = ("tệp cấu hình congkhai.toml", "congkhai.toml configuration");

impl SiteConfig {
    pub fn read(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        let mut f = Fields::of(node, r, WHAT)?;
        let mut c = SiteConfig::default();
        let title = f.req::<Text>(r, "title");
        let base_url = f.req::<String>(r, "base_url").and_then(|u| {
            let span = f.span_of("base_url");
            r.in_key("base_url", |r| check_base_url(&u, span, r))
        });
        if let Some(v) = f.opt(r, "language") {
            c.language = v;
        }
        if let Some(theme) = f.opt::<super::id::Id>(r, "theme") {
            c.theme = theme.0;
        }
        c.description = f.opt(r, "description");
        c.publisher = f.opt(r, "publisher");
        if let Some(node) = f.node("follow_up") {
            r.in_key("follow_up", |r| read_follow_up(node, r, &mut c.follow_up));
        }
        if let Some(node) = f.node("publication") {
            r.in_key("publication", |r| {
                read_publication(node, r, &mut c.publication)
            });
        }
        if let Some(node) = f.node("lists") {
            r.in_key("lists", |r| {
                let mut l = Fields::of(node, r, ("bảng [lists]", "[lists] table"))?;
                if let Some(n) = l.opt::<u32>(r, "per_page") {
                    c.lists.per_page = n.clamp(5, 1000);
                }
                l.finish(r);
                Some(())
            });
        }
        if let Some(node) = f.node("privacy") {
            r.in_key("privacy", |r| {
                let mut p = Fields::of(node, r, ("bảng [privacy]", "[privacy] table"))?;
                c.privacy.public_contacts = p
                    .opt::<Vec<String>>(r, "public_contacts")
                    .unwrap_or_default();
                p.finish(r);
                Some(())
            });
        }
        f.finish(r);
        c.title = title?;
        c.base_url = base_url?;
        Some(c)
    }
}

fn read_follow_up(node: &Node, r: &mut Reader<'_>, out: &mut FollowUp) -> Option<()> {
    let mut f = Fields::of(node, r, ("bảng [follow_up]", "[follow_up] table"))?;
    if let Some(t) = f.opt::<f64>(r, "on_time_target") {
        if (0.0..=1.0).contains(&t) {
            out.on_time_target = t;
        } else {
            let span = f.span_of("on_time_target");
            r.in_key("on_time_target", |r| {
                r.error(
                    Code::InvalidValue,
                    span,
                    msg(
                        "Chỉ tiêu đúng hạn phải là tỉ lệ từ 0 đến 1 (ví dụ 0.9 cho 90 %)",
                        "the on-time target must be a ratio between 0 and 1 (e.g. 0.9 for 90 %)",
                    ),
                );
            });
        }
    }
    f.finish(r);
    Some(())
}

fn read_publication(node: &Node, r: &mut Reader<'_>, out: &mut Publication) -> Option<()> {
    let mut f = Fields::of(node, r, ("bảng [publication]", "[publication] table"))?;
    if let Some(n) = f.opt(r, "max_days_after_signing") {
        out.max_days_after_signing = n;
    }
    if let Some(n) = f.opt(r, "min_days_on_portal") {
        out.min_days_on_portal = n;
    }
    f.finish(r);
    Some(())
}

fn check_base_url(u: &str, span: crate::source::Span, r: &mut Reader<'_>) -> Option<String> {
    match url::Url::parse(u) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Some(u.trim_end_matches('/').to_string())
        }
        _ => {
            r.error(
                Code::InvalidValue,
                span,
                msg(
                    format!("`base_url` phải là địa chỉ tuyệt đối http(s), nhưng là `{u}`"),
                    format!("`base_url` must be an absolute http(s) address, not `{u}`"),
                ),
            )
            .set_hint(msg(
                "Ví dụ: base_url = \"https://congkhai.example.gov.vn\"",
                "For example: base_url = \"https://congkhai.example.gov.vn\"",
            ));
            None
        }
    }
}

impl FromNode for SiteConfig {
    const EXPECTED: (&'static str, &'static str) = WHAT;
    fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
        Self::read(node, r)
    }
}
