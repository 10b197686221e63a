//! Numbers a journalist can check: on a site where the recommendations of
//! published conclusions and the agencies' periodic reports give different
//! recovery figures, every figure of one definition and one subject is the
//! same number on every page and in both languages, no two definitions share
//! a label, figures never break from their units and document numbers never
//! break inside.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use scraper::{ElementRef, Html, Selector};

const HEADER: &str = "period,agency,recommended_vnd,recovered_vnd,recommended_land_m2,recovered_land_m2,reported_on,signed_by,note\n";

/// The valid fixture, with periodic reports that disagree with the
/// follow-up of its conclusion, and a half-year report that overlaps a
/// quarterly one.
fn site(dir: &Path) {
    copy_dir(&fixture("valid"), dir);
    let reports = dir.join("content/recoveries");
    std::fs::write(
        reports.join("2025-q3.csv"),
        format!("{HEADER}2025-Q3,ubnd-xa-an-binh,5000000000,2000000000,3500,1000,2025-10-10,Chủ tịch UBND xã,\n"),
    )
    .unwrap();
    std::fs::write(
        reports.join("2025-q1.csv"),
        format!("{HEADER}2025-Q1,thanh-tra-tinh,300000000,100000000,0,0,2025-04-10,Chánh Thanh tra tỉnh,\n"),
    )
    .unwrap();
    std::fs::write(
        reports.join("2025-h1.csv"),
        format!("{HEADER}2025-H1,thanh-tra-tinh,700000000,400000000,0,0,2025-07-10,Chánh Thanh tra tỉnh,\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("content/pages/phuong-phap.md"),
        "---\ntitle: \"Phương pháp tính\"\n---\nHai nguồn số liệu thu hồi.\n",
    )
    .unwrap();
}

/// Every HTML page of a built site, with its path.
fn pages(out: &Path) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            (
                rel,
                Html::parse_document(&std::fs::read_to_string(e.path()).unwrap()),
            )
        })
        .collect()
}

fn lang(path: &str) -> &'static str {
    if path.starts_with("en/") { "en" } else { "vi" }
}

fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

struct Built {
    _dir: tempfile::TempDir,
    out: std::path::PathBuf,
    pages: Vec<(String, Html)>,
}

fn built() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    site(&root);
    let out = dir.path().join("out");
    let o = build(&root, &out, "2026-01-01");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pages = pages(&out);
    Built {
        _dir: dir,
        out,
        pages,
    }
}

/// (key, scope) → the raw values shown, and (key, scope, language) → the texts.
type Seen = (
    BTreeMap<(String, String), BTreeSet<String>>,
    BTreeMap<(String, String, &'static str), BTreeSet<String>>,
);

fn figures(b: &Built) -> Seen {
    let fig = Selector::parse("data[data-figure]").unwrap();
    let mut raw: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut shown: BTreeMap<(String, String, &'static str), BTreeSet<String>> = BTreeMap::new();
    for (path, html) in &b.pages {
        for e in html.select(&fig) {
            let key = e.value().attr("data-figure").unwrap().to_string();
            let scope = e.value().attr("data-scope").unwrap().to_string();
            raw.entry((key.clone(), scope.clone()))
                .or_default()
                .insert(e.value().attr("value").unwrap().to_string());
            shown
                .entry((key, scope, lang(path)))
                .or_default()
                .insert(text(e));
        }
    }
    (raw, shown)
}

#[test]
fn one_definition_one_subject_one_figure_everywhere() {
    let b = built();
    let (raw, shown) = figures(&b);
    assert!(raw.len() > 20, "the site shows figures: {raw:#?}");
    for ((key, scope), values) in &raw {
        assert_eq!(
            values.len(),
            1,
            "`{key}` of {scope} has several values: {values:?}"
        );
    }
    for ((key, scope, lang), texts) in &shown {
        assert_eq!(
            texts.len(),
            1,
            "`{key}` of {scope} is written several ways in {lang}: {texts:?}"
        );
    }
    // The two sources differ on this site, and are computed as defined:
    // the follow-up of the conclusion's recommendations, and the reports
    // with the quarter that the half-year report includes left out.
    let site = |key: &str| {
        raw[&(key.to_string(), "site".to_string())]
            .iter()
            .next()
            .unwrap()
            .clone()
    };
    let recs = data_rows(&b.out, "recommendations");
    let tracked: u64 = recs
        .iter()
        .map(|r| r["recovered_vnd"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(site("tracked_money_recovered"), tracked.to_string());
    assert_eq!(
        site("reported_money_recovered"),
        (2_000_000_000u64 + 400_000_000).to_string()
    );
    assert_ne!(
        site("tracked_money_recovered"),
        site("reported_money_recovered")
    );
    // An agency's figures are its own, on its scorecard, in the agency list
    // and on the recoveries page alike.
    assert_eq!(
        raw[&(
            "reported_money_recovered".to_string(),
            "agency:thanh-tra-tinh".to_string()
        )],
        BTreeSet::from(["400000000".to_string()])
    );
}

#[test]
fn no_two_definitions_share_a_label() {
    let b = built();
    let labelled = Selector::parse("[data-label]").unwrap();
    let mut keys_of: BTreeMap<(String, &'static str), BTreeSet<String>> = BTreeMap::new();
    let mut labels_of: BTreeMap<(String, &'static str), BTreeSet<String>> = BTreeMap::new();
    for (path, html) in &b.pages {
        for e in html.select(&labelled) {
            let key = e.value().attr("data-label").unwrap().to_string();
            let label = text(e);
            keys_of
                .entry((label.clone(), lang(path)))
                .or_default()
                .insert(key.clone());
            labels_of
                .entry((key, lang(path)))
                .or_default()
                .insert(label);
        }
    }
    for ((label, lang), keys) in &keys_of {
        assert_eq!(
            keys.len(),
            1,
            "“{label}” ({lang}) labels several figures: {keys:?}"
        );
    }
    for ((key, lang), labels) in &labels_of {
        assert_eq!(
            labels.len(),
            1,
            "`{key}` ({lang}) has several labels: {labels:?}"
        );
    }
    // Each source names itself in every label, in both languages.
    for ((key, lang), labels) in &labels_of {
        let label = labels.iter().next().unwrap();
        let (tracked, reported) = match *lang {
            "vi" => ("theo kết luận đã công khai", "theo báo cáo định kỳ"),
            _ => ("by the published conclusions", "by the periodic reports"),
        };
        if key.starts_with("tracked_") {
            assert!(label.contains(tracked), "{label}");
        }
        if key.starts_with("reported_") {
            assert!(label.contains(reported), "{label}");
        }
    }
    for needed in [
        "tracked_money_recovered",
        "reported_money_recovered",
        "on_time_rate",
    ] {
        assert!(
            labels_of.contains_key(&(needed.to_string(), "vi")),
            "{needed}"
        );
        assert!(
            labels_of.contains_key(&(needed.to_string(), "en")),
            "{needed}"
        );
    }
}

#[test]
fn headline_figures_link_to_how_they_are_computed() {
    let b = built();
    let how = Selector::parse(".stat-how").unwrap();
    let tiles = Selector::parse(".stat").unwrap();
    for page in [
        "index.html",
        "thu-hoi/index.html",
        "en/index.html",
        "en/thu-hoi/index.html",
    ] {
        let html = &b.pages.iter().find(|(p, _)| p == page).unwrap().1;
        let computed: Vec<ElementRef<'_>> = html
            .select(&tiles)
            .filter(|t| {
                t.select(&Selector::parse("data").unwrap()).any(|d| {
                    let k = d.value().attr("data-figure").unwrap();
                    k.contains("rate") || k.contains("money") || k.contains("land")
                })
            })
            .collect();
        assert!(!computed.is_empty(), "{page}");
        for t in computed {
            let link = t
                .select(&how)
                .next()
                .unwrap_or_else(|| panic!("{page}: {}", t.html()));
            let href = link.value().attr("href").unwrap();
            assert!(href.ends_with("/trang/phuong-phap/"), "{page}: {href}");
        }
    }
}

#[test]
fn figures_keep_their_units_and_numbers_keep_together() {
    let b = built();
    let fig = Selector::parse("data.fig").unwrap();
    let main = Selector::parse("main").unwrap();
    for (path, html) in &b.pages {
        for e in html.select(&fig) {
            let t = text(e);
            assert!(!t.contains(' '), "{path}: “{t}” can break from its unit");
        }
        // The conclusion's number, wherever a template shows it, never wraps.
        for m in html.select(&main) {
            for node in m.descendants() {
                let Some(t) = node.value().as_text() else {
                    continue;
                };
                if !t.contains("15/KL-TTr") {
                    continue;
                }
                let kept = node.ancestors().filter_map(ElementRef::wrap).any(|a| {
                    a.value().classes().any(|c| c == "docno" || c == "body")
                        || a.value().name() == "title"
                });
                assert!(kept, "{path}: “{}” may break", t.trim());
            }
        }
    }
}
