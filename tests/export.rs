//! Open data, feeds, sitemap and manifest, read back with real parsers.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use sha2::{Digest, Sha256};

fn built_sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = run(&[
        "build",
        root().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, out)
}

const DATASETS: [&str; 8] = [
    "conclusions",
    "recommendations",
    "progress",
    "extensions",
    "cases",
    "decisions",
    "recoveries",
    "agencies",
];

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "{} starts with a BOM for Excel",
        path.display()
    );
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A JSON value as the CSV writes it.
fn as_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn csv_and_json_hold_the_same_rows_and_json_follows_its_schema() {
    let (_t, out) = built_sample();
    for name in DATASETS {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("data/{name}.json"))).unwrap())
                .unwrap();
        let schema: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.join(format!("data/schema/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let rows = json["rows"].as_array().unwrap();
        assert_eq!(
            json["license"], "CC-BY-4.0",
            "{name}: the licence travels with the file"
        );
        assert!(!rows.is_empty(), "{name} has rows");
        let (header, csv) = csv_rows(&out.join(format!("data/{name}.csv")));
        assert_eq!(csv.len(), rows.len(), "{name}: same number of rows");
        let keys: Vec<String> = rows[0].as_object().unwrap().keys().cloned().collect();
        assert_eq!(header, keys, "{name}: same columns in the same order");
        for (c, j) in csv.iter().zip(rows) {
            let expected: Vec<String> = keys.iter().map(|k| as_cell(&j[k])).collect();
            assert_eq!(c, &expected, "{name}");
        }
    }
}

#[test]
fn recommendation_rows_carry_the_derived_state() {
    let (_t, out) = built_sample();
    let recs = data_rows(&out, "recommendations");
    assert_eq!(recs.len(), recommendations_in(&root()));
    let kn1 = recs
        .iter()
        .find(|r| r["conclusion"] == "kl-2025-015" && r["id"] == "KN1")
        .unwrap();
    assert_eq!(kn1["conclusion_number"], "15/KL-TTr");
    assert_eq!(kn1["amount_vnd"], 2_350_000_000u64);
    assert_eq!(kn1["status"], "in_progress");
    assert_eq!(kn1["overdue"], true);
    assert_eq!(kn1["days_overdue"], 419, "2025-09-30 to 2026-11-23");
    assert!(kn1["recovered_vnd"].as_u64().unwrap() > 0);
    let done = recs.iter().filter(|r| r["status"] == "done").count();
    assert!(
        done > 0
            && recs
                .iter()
                .all(|r| r["status"] != "done" || r["done_on"].is_string())
    );
}

#[test]
fn feeds_parse_and_use_content_dates_and_absolute_addresses() {
    let (_t, out) = built_sample();
    let mut files = vec![];
    for e in walkdir::WalkDir::new(out.join("feeds")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            files.push(e.path().to_path_buf());
        }
    }
    assert!(
        files.len() >= 4 + 27,
        "all, three per type, one per agency: {}",
        files.len()
    );
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    for f in &files {
        let feed = feed_rs::parser::parse(std::fs::File::open(f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(
            feed.id
                .starts_with("https://congkhai.donglam.example.gov.vn/feeds/"),
            "{}",
            feed.id
        );
        for entry in &feed.entries {
            assert!(
                entry
                    .id
                    .starts_with("https://congkhai.donglam.example.gov.vn/"),
                "{}",
                entry.id
            );
            assert!(entry.links.iter().all(|l| l.href.starts_with("https://")));
            let updated = entry.updated.unwrap().date_naive();
            assert!(
                updated <= as_of,
                "{updated} is a content date, never the build time"
            );
        }
        // A decision whose authority is also its subject's agency is one
        // entry of that agency's feed, not two.
        let mut ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "{} repeats an entry", f.display());
        let dates: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{} is newest first",
            f.display()
        );
    }
    let events =
        feed_rs::parser::parse(std::fs::File::open(out.join("feeds/tien-do.xml")).unwrap())
            .unwrap();
    let titles: Vec<String> = events
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("của 15/KL-TTr: chưa thực hiện → đang thực hiện")),
        "{titles:?}"
    );
    // Pages announce their feeds.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(r#"<link rel="alternate" type="application/atom+xml""#));
    let agency = std::fs::read_to_string(out.join("co-quan/ubnd-xa-an-binh/index.html")).unwrap();
    assert!(agency.contains("/feeds/co-quan/ubnd-xa-an-binh.xml"));
}

#[test]
fn every_sitemap_address_is_a_file_and_every_page_is_in_the_sitemap() {
    let (_t, out) = built_sample();
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let base = "https://congkhai.donglam.example.gov.vn/";
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert!(locs.len() > 400);
    for loc in &locs {
        let rel = loc
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{loc} is absolute"));
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        assert!(out.join(&file).is_file(), "{loc} → {file}");
    }
    let pages = snapshot(&out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html") && !p.ends_with("404.html"))
        .count();
    assert_eq!(locs.len(), pages);
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {base}sitemap.xml")));
}

#[test]
fn the_manifest_covers_every_other_file_with_its_sha256() {
    let (_t, out) = built_sample();
    let manifest = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let mut listed = Vec::new();
    for line in manifest.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        let bytes = std::fs::read(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let actual: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hash, actual, "{path}");
        listed.push(PathBuf::from(path));
    }
    let mut all: Vec<PathBuf> = snapshot(&out)
        .into_iter()
        .map(|(p, _)| p)
        // The manifest lists the site; the marker that says whose folder
        // this is belongs to the folder, not to the site.
        .filter(|p| p != Path::new("SHA256SUMS") && p != Path::new(".congkhai-output"))
        .collect();
    all.sort();
    listed.sort();
    assert_eq!(listed, all);
}

#[test]
fn the_open_data_page_lists_files_rows_and_columns() {
    let (_t, out) = built_sample();
    let page = std::fs::read_to_string(out.join("du-lieu/index.html")).unwrap();
    for name in DATASETS {
        assert!(page.contains(&format!("/data/{name}.csv")), "{name}");
        assert!(page.contains(&format!("/data/{name}.json")), "{name}");
        assert!(
            page.contains(&format!("/data/schema/{name}.json")),
            "{name}"
        );
    }
    let n = recommendations_in(&root());
    assert!(page.contains(&format!("{n} dòng")), "row counts");
    assert!(page.contains("<code>days_overdue</code>") && page.contains("Số ngày quá hạn"));
    let en = std::fs::read_to_string(out.join("en/du-lieu/index.html")).unwrap();
    assert!(en.contains("Days overdue") && en.contains(&format!("{n} rows")));
}

#[test]
fn spreadsheet_formulas_in_content_are_neutralised_in_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = run(&[
        "build",
        fixture("hostile").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (header, rows) = csv_rows(&out.join("data/recoveries.csv"));
    let note = header.iter().position(|h| h == "note").unwrap();
    assert!(rows[0][note].starts_with("'="), "{}", rows[0][note]);
    for name in DATASETS {
        let (_, rows) = csv_rows(&out.join(format!("data/{name}.csv")));
        for row in rows {
            for c in row {
                assert!(!c.starts_with(['=', '+', '-', '@']), "{name}: {c}");
            }
        }
    }
}

/// A feed keeps its newest 200 items; items of one day come in the order of
/// their addresses, whatever order the files are in — here more decisions
/// on one day than a feed keeps, numbered so that the order of their
/// addresses is not the order of their numbers.
#[test]
fn a_feed_keeps_its_newest_items_and_orders_one_days_items_by_address() {
    const KEPT: usize = 200;
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    congkhai_testkit::copy_dir(&fixture("valid"), &site);
    let decided = "2026-11-02";
    let ids: Vec<String> = (0..KEPT + 37)
        .map(|n| format!("qd-2026-{}", 7 + n * 13))
        .collect();
    for (n, id) in ids.iter().enumerate() {
        std::fs::write(
            site.join(format!("content/decisions/{id}.md")),
            format!(
                "---\nid: {id}\nnumber: \"{}/QĐ-UBND\"\ntrack: administrative\nauthority: ubnd-tinh\n\
                 decided_on: {decided}\npublished_on: {decided}\nsubject:\n  type: person\n  \
                 role: civil_servant\n  name: \"Công chức số {n}\"\n  agency: ubnd-xa-an-binh\n\
                 penalty: warning\n---\nTham mưu giao đất trái thẩm quyền.\n",
                9000 + n
            ),
        )
        .unwrap();
    }
    let out = tmp.path().join("public");
    let o = build(&site, &out, "2026-11-23");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let base = "https://thu.example.gov.vn/ky-luat/";
    let mut addresses: Vec<String> = ids.iter().map(|id| format!("{base}{id}/")).collect();
    addresses.sort();
    for feed in [
        "feeds/all.xml",
        "feeds/ky-luat.xml",
        "feeds/co-quan/ubnd-tinh.xml",
    ] {
        let parsed = feed_rs::parser::parse(std::fs::File::open(out.join(feed)).unwrap()).unwrap();
        let got: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(got, addresses[..KEPT], "{feed}");
    }
}
