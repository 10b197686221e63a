//! `congkhai.toml`: the site configuration, one typed struct.

use crate::diag::Code;
use serde::Serialize;

use super::fields::Fields;
use super::law::Cutoff;
use super::read::{FromNode, Reader, Text};
use super::vocab::{Language, OnTimeRule};
use crate::diag::msg;
use crate::load::node::Node;

#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: Text,
    /// The portal's name on the English side.
    pub title_en: Option<Text>,
    pub description_en: Option<Text>,
    pub publisher_en: Option<Text>,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub language: Language,
    pub theme: String,
    pub description: Option<Text>,
    /// Who publishes the portal (shown in the footer and feeds).
    pub publisher: Option<Text>,
    pub follow_up: FollowUp,
    pub publication: Publication,
    #[serde(skip)]
    pub reporting: Reporting,
    pub lists: Lists,
    /// The id of the page that explains how every figure is computed; the
    /// headline figures link to it.
    pub methodology: String,
    #[serde(skip)]
    pub privacy: Privacy,
    pub data: Data,
    /// The public key (`RW…`) that signs the manifest, if the site is signed.
    pub signing_key: Option<String>,
    pub documents: Documents,
}

/// `[data]`: how the open data may be reused.
#[derive(Debug, Clone, Serialize)]
pub struct Data {
    /// An SPDX licence id (`CC-BY-4.0`), shown on the data page and in every JSON file.
    pub license: String,
}

impl Data {
    /// The licence's address, for the SPDX ids a reader is likely to meet.
    pub fn license_url(&self) -> String {
        match self.license.as_str() {
            "CC-BY-4.0" => "https://creativecommons.org/licenses/by/4.0/".into(),
            "CC-BY-SA-4.0" => "https://creativecommons.org/licenses/by-sa/4.0/".into(),
            "CC0-1.0" => "https://creativecommons.org/publicdomain/zero/1.0/".into(),
            "ODC-By-1.0" => "https://opendatacommons.org/licenses/by/1-0/".into(),
            "PDDL-1.0" => "https://opendatacommons.org/licenses/pddl/1-0/".into(),
            other => format!("https://spdx.org/licenses/{other}.html"),
        }
    }
}

/// `[documents]`: the source documents records link to.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Documents {
    /// The largest file a record may publish, in bytes.
    pub max_bytes: u64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct FollowUp {
    /// Share of recommendations due that must be done on time.
    pub on_time_target: f64,
    /// Whether the target is met above it (the default) or from it.
    pub on_time_rule: OnTimeRule,
    /// An open recommendation not updated for longer than this is flagged.
    pub stale_after_days: u32,
}

impl FollowUp {
    /// Whether an on-time share meets the target. The one place the
    /// comparison is made.
    pub fn meets(&self, share: f64) -> bool {
        match self.on_time_rule {
            OnTimeRule::Above => share > self.on_time_target,
            OnTimeRule::AtLeast => share >= self.on_time_target,
        }
    }
}

/// The site's changes to the publication rule in force on the as-of date
/// (the law's article once confirmed, or the province's own day limits);
/// older rules are changed in the site's `luat.toml`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Publication {
    pub article: Option<String>,
    pub max_days_after_signing: Option<u32>,
    pub min_days_on_portal: Option<u32>,
}

/// The site's change to the reporting regime's cut-off day.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reporting {
    pub cutoff: Option<Cutoff>,
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
            title_en: None,
            description_en: None,
            publisher_en: None,
            base_url: String::new(),
            language: Language::Vi,
            theme: "default".into(),
            description: None,
            publisher: None,
            follow_up: FollowUp {
                on_time_target: 0.9,
                on_time_rule: OnTimeRule::Above,
                stale_after_days: 90,
            },
            publication: Publication::default(),
            reporting: Reporting::default(),
            lists: Lists { per_page: 50 },
            methodology: "phuong-phap".into(),
            privacy: Privacy::default(),
            data: Data {
                license: "CC-BY-4.0".into(),
            },
            signing_key: None,
            documents: Documents {
                max_bytes: 20 * 1024 * 1024,
            },
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
        c.title_en = f.opt(r, "title_en");
        c.description_en = f.opt(r, "description_en");
        c.publisher_en = f.opt(r, "publisher_en");
        if let Some(node) = f.node("follow_up") {
            r.in_key("follow_up", |r| read_follow_up(node, r, &mut c.follow_up));
        }
        if let Some(node) = f.node("publication") {
            r.in_key("publication", |r| {
                read_publication(node, r, &mut c.publication)
            });
        }
        if let Some(node) = f.node("reporting") {
            r.in_key("reporting", |r| {
                let mut p = Fields::of(node, r, ("bảng [reporting]", "[reporting] table"))?;
                if let Some(n) = p.node("cutoff_day") {
                    c.reporting.cutoff = r.in_key("cutoff_day", |r| Cutoff::read(n, r));
                }
                p.finish(r);
                Some(())
            });
        }
        if let Some(page) = f.opt::<super::id::Id>(r, "methodology") {
            c.methodology = page.0;
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
        if let Some(node) = f.node("data") {
            r.in_key("data", |r| {
                let mut p = Fields::of(node, r, ("bảng [data]", "[data] table"))?;
                if let Some(l) = p.opt::<String>(r, "license") {
                    let span = p.span_of("license");
                    if l.is_empty() || !l.chars().all(|x| x.is_ascii_alphanumeric() || "-.+".contains(x)) {
                        r.in_key("license", |r| {
                            r.error(
                                Code::InvalidValue,
                                span,
                                msg(
                                    format!("giấy phép phải là mã SPDX (ví dụ CC-BY-4.0), không phải `{l}`"),
                                    format!("the licence must be an SPDX id (e.g. CC-BY-4.0), not `{l}`"),
                                ),
                            );
                        });
                    } else {
                        c.data.license = l;
                    }
                }
                p.finish(r);
                Some(())
            });
        }
        if let Some(node) = f.node("signing") {
            r.in_key("signing", |r| {
                let mut p = Fields::of(node, r, ("bảng [signing]", "[signing] table"))?;
                c.signing_key = p.opt::<String>(r, "public_key");
                if let Some(k) = &c.signing_key
                    && minisign::PublicKey::from_base64(k.trim()).is_err()
                {
                    let span = p.span_of("public_key");
                    r.in_key("public_key", |r| {
                        r.error(
                            Code::InvalidValue,
                            span,
                            msg(
                                "khóa công khai không hợp lệ",
                                "not a valid minisign public key",
                            ),
                        )
                        .set_hint(msg(
                            "Chép dòng thứ hai của tệp congkhai.pub do `congkhai keygen` tạo (bắt đầu bằng RW).",
                            "Copy the second line of the congkhai.pub file `congkhai keygen` made (it starts with RW).",
                        ));
                    });
                    c.signing_key = None;
                }
                p.finish(r);
                Some(())
            });
        }
        if let Some(node) = f.node("documents") {
            r.in_key("documents", |r| {
                let mut p = Fields::of(node, r, ("bảng [documents]", "[documents] table"))?;
                if let Some(mb) = p.opt::<u32>(r, "max_size_mb") {
                    c.documents.max_bytes = u64::from(mb.max(1)) * 1024 * 1024;
                }
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
    if let Some(rule) = f.opt(r, "on_time_rule") {
        out.on_time_rule = rule;
    }
    if let Some(days) = f.opt(r, "stale_after_days") {
        out.stale_after_days = days;
    }
    f.finish(r);
    Some(())
}

fn read_publication(node: &Node, r: &mut Reader<'_>, out: &mut Publication) -> Option<()> {
    let mut f = Fields::of(node, r, ("bảng [publication]", "[publication] table"))?;
    out.article = f.opt(r, "article");
    out.max_days_after_signing = f.opt(r, "max_days_after_signing");
    out.min_days_on_portal = f.opt(r, "min_days_on_portal");
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
