//! Permanent addresses. They are promises to readers and the press: every
//! path of the site is built here and nowhere else.

use crate::derive::lists::{Dimension, Family, List};
use crate::model::vocab::Language;

/// Builds links for one deployment: `root` is the path part of `base_url`
/// (empty when the site is served at the root of its host).
#[derive(Debug, Clone)]
pub struct Urls {
    origin: String,
    root: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Self {
        let base = base_url.trim_end_matches('/');
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let (origin, root) = match base[after_scheme..].find('/') {
            Some(i) => base.split_at(after_scheme + i),
            None => (base, ""),
        };
        Self {
            origin: origin.to_string(),
            root: root.to_string(),
        }
    }

    /// Links for a site served at the root of a local server (`serve`).
    pub fn local() -> Self {
        Self {
            origin: String::new(),
            root: String::new(),
        }
    }

    fn prefix(lang: Language) -> &'static str {
        match lang {
            Language::Vi => "",
            Language::En => "/en",
        }
    }

    /// The link to a page path such as `/ket-luan/kl-1/` in a language.
    pub fn link(&self, lang: Language, path: &str) -> String {
        format!("{}{}{}", self.root, Self::prefix(lang), path)
    }

    pub fn absolute(&self, lang: Language, path: &str) -> String {
        format!("{}{}", self.origin, self.link(lang, path))
    }

    /// A file at the site root (stylesheet, data file), the same in every language.
    pub fn asset(&self, path: &str) -> String {
        format!("{}{}", self.root, path)
    }

    pub fn absolute_asset(&self, path: &str) -> String {
        format!("{}{}", self.origin, self.asset(path))
    }
}

/// The file that holds a page path in a language: `/ket-luan/` → `ket-luan/index.html`.
pub fn file_of(lang: Language, path: &str) -> String {
    let dir = format!("{}{}", Urls::prefix(lang), path);
    let dir = dir.trim_start_matches('/');
    if dir.is_empty() || dir.ends_with('/') {
        format!("{dir}index.html")
    } else {
        dir.to_string()
    }
}

/// The path of page `n` of a list at `base` (`/ket-luan/`, `/ket-luan/trang/2/`).
pub fn paged(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}trang/{n}/")
    }
}

pub const HOME: &str = "/";
pub const CONCLUSIONS: &str = "/ket-luan/";
pub const RECOMMENDATIONS: &str = "/kien-nghi/";
pub const OVERDUE: &str = "/kien-nghi/qua-han/";
/// What was unfinished when agencies ceased to exist, and who took it over.
pub const HANDOVERS: &str = "/kien-nghi/chuyen-tiep/";
pub const DECISIONS: &str = "/ky-luat/";
pub const RECOVERIES: &str = "/thu-hoi/";
pub const AGENCIES: &str = "/co-quan/";
pub const SEARCH: &str = "/tim-kiem/";
pub const DATA: &str = "/du-lieu/";
/// The change log's file in the output (JSON lines, hash-chained).
pub const CHANGE_LOG: &str = "data/changes.jsonl";

/// The DCAT catalogue of the open data.
pub const CATALOG: &str = "data/catalog.jsonld";
/// The public key that checks the manifest's signature.
pub const PUBLIC_KEY: &str = "du-lieu/khoa-cong-khai.pub";
/// The manifest's minisign signature.
pub const SIGNATURE: &str = "SHA256SUMS.minisig";

/// The change log, newest first, and its pages by kind.
pub const CHANGES: &str = "/thay-doi/";

/// The change log filtered by one kind of event: `/thay-doi/loai/<kind>/`.
pub fn changes(kind: Option<&str>) -> String {
    kind.map_or_else(|| CHANGES.to_string(), |k| format!("{CHANGES}loai/{k}/"))
}

pub fn conclusion(id: &str) -> String {
    format!("/ket-luan/{id}/")
}
pub fn decision(id: &str) -> String {
    format!("/ky-luat/{id}/")
}
pub fn agency(id: &str) -> String {
    format!("/co-quan/{id}/")
}
/// An agency's scorecard for one year: `/co-quan/<id>/nam/<year>/`.
pub fn agency_year(id: &str, year: i32) -> String {
    format!("/co-quan/{id}/nam/{year}/")
}
/// A record's source document: `/van-ban/<record-id>/<file>`.
pub fn document(record: &str, name: &str) -> String {
    format!("/van-ban/{record}/{name}")
}
pub fn page(id: &str) -> String {
    format!("/trang/{id}/")
}

/// The address of a family's whole list.
pub fn family(f: Family) -> &'static str {
    match f {
        Family::Conclusions => CONCLUSIONS,
        Family::Recommendations => RECOMMENDATIONS,
        Family::Decisions => DECISIONS,
    }
}

/// The path segment of a filter dimension (`/ket-luan/nam/2025/`).
pub fn segment(dim: Dimension) -> &'static str {
    match dim {
        Dimension::Year(_) => "nam",
        Dimension::Sector => "linh-vuc",
        Dimension::Inspected | Dimension::Responsible | Dimension::Authority => "co-quan",
        Dimension::Status => "trang-thai",
        Dimension::Penalty => "hinh-thuc",
        Dimension::Track => "loai",
        Dimension::Source(_) => "nguon",
    }
}

/// The list at `base` filtered by one value of a dimension.
pub fn filtered(base: &str, dim: Dimension, key: &str) -> String {
    format!("{base}{}/{key}/", segment(dim))
}

/// The address of a list.
pub fn list(l: &List) -> String {
    match &l.filter {
        None => family(l.family).to_string(),
        Some((dim, key)) => filtered(family(l.family), *dim, key),
    }
}

/// The overdue list of one responsible agency, filtered like the tracker's
/// lists: `/kien-nghi/qua-han/co-quan/<id>/`.
pub fn overdue_of(agency: &str) -> String {
    filtered(OVERDUE, Dimension::Responsible, agency)
}

/// The overdue list of one agency, or of all.
pub fn overdue(agency: Option<&str>) -> String {
    agency.map_or_else(|| OVERDUE.to_string(), overdue_of)
}

/// The anchor of a recommendation in its conclusion's page (`kn1`).
pub fn anchor(id: &str) -> String {
    crate::model::id::slug(id)
}

/// The Atom feeds.
pub mod feeds {
    pub const ALL: &str = "/feeds/all.xml";
    pub const CONCLUSIONS: &str = "/feeds/ket-luan.xml";
    pub const DECISIONS: &str = "/feeds/ky-luat.xml";
    pub const EVENTS: &str = "/feeds/tien-do.xml";
    pub const CHANGES: &str = "/feeds/thay-doi.xml";

    pub fn agency(id: &str) -> String {
        format!("/feeds/co-quan/{id}.xml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_respect_the_base_path_and_language() {
        let u = Urls::new("https://cong.example.gov.vn/congkhai/");
        assert_eq!(
            u.link(Language::Vi, "/ket-luan/kl-1/"),
            "/congkhai/ket-luan/kl-1/"
        );
        assert_eq!(u.link(Language::En, "/"), "/congkhai/en/");
        assert_eq!(
            u.absolute(Language::Vi, "/"),
            "https://cong.example.gov.vn/congkhai/"
        );
        let u = Urls::new("https://cong.example.gov.vn");
        assert_eq!(u.link(Language::Vi, "/"), "/");
        assert_eq!(u.asset("/assets/style.css"), "/assets/style.css");
    }

    #[test]
    fn files_and_pages() {
        assert_eq!(file_of(Language::Vi, "/"), "index.html");
        assert_eq!(
            file_of(Language::En, "/ket-luan/"),
            "en/ket-luan/index.html"
        );
        assert_eq!(file_of(Language::Vi, "/404.html"), "404.html");
        assert_eq!(paged("/ket-luan/", 1), "/ket-luan/");
        assert_eq!(paged("/ket-luan/", 3), "/ket-luan/trang/3/");
    }
}
