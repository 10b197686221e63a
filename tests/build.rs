//! `congkhai build` on fixture sites with a fixed as-of date: what readers see.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use common::*;
use scraper::{Html, Selector};

/// Builds a fixture into a temporary folder and returns (tempdir, output path).
fn built(name: &str, as_of: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&fixture(name), &out, as_of);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, out)
}

fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn overdue_list_is_sorted_by_days_overdue() {
    let (_t, out) = built("valid", "2026-01-01");
    let doc = page(&out, "kien-nghi/qua-han/index.html");
    let rows = texts(&doc, "table.recs tbody tr");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    // KN1 was due 2025-09-30, KN2 2025-12-31: 93 and 1 days overdue on 2026-01-01.
    assert!(rows[0].starts_with("93 ngày 15/KL-TTr KN1"), "{}", rows[0]);
    assert!(rows[1].starts_with("1 ngày 15/KL-TTr KN2"), "{}", rows[1]);
    let en = page(&out, "en/kien-nghi/qua-han/index.html");
    assert!(texts(&en, "table.recs tbody tr")[0].starts_with("93 days"));
    // A day later, KN2 is 2 days overdue; before its due date it is not listed.
    let (_t2, out2) = built("valid", "2025-12-31");
    let rows = texts(
        &page(&out2, "kien-nghi/qua-han/index.html"),
        "table.recs tbody tr",
    );
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert!(rows[0].starts_with("92 ngày"), "{}", rows[0]);
}

#[test]
fn scorecards_show_on_time_rates_against_the_target() {
    let (_t, out) = built("valid", "2026-01-01");
    // ubnd-tinh did its one recommendation (KN3) on time: 100 %.
    let tinh = page(&out, "co-quan/ubnd-tinh/index.html");
    let verdict = texts(&tinh, ".verdict").join(" ");
    assert!(
        verdict.contains("100 %") && verdict.contains("Đạt chỉ tiêu"),
        "{verdict}"
    );
    // ubnd-xa-an-binh has two recommendations past due, none done: 0 %.
    let xa = page(&out, "co-quan/ubnd-xa-an-binh/index.html");
    let verdict = texts(&xa, ".verdict").join(" ");
    assert!(
        verdict.contains("0 %") && verdict.contains("Chưa đạt chỉ tiêu"),
        "{verdict}"
    );
    let counts = texts(&xa, "table.counts tr").join(" | ");
    assert!(counts.contains("Quá hạn 2"), "{counts}");
    assert!(
        counts.contains("Tiền đã thu hồi theo kết luận đã công khai 1 tỷ đồng")
            && counts.contains("Tiền kiến nghị thu hồi theo kết luận đã công khai 2,35 tỷ đồng"),
        "{counts}"
    );
    // The agency's own periodic report, under its own label.
    assert!(
        counts.contains("Tiền đã thu hồi theo báo cáo định kỳ 1 tỷ đồng"),
        "{counts}"
    );
}

#[test]
fn home_page_totals() {
    let (_t, out) = built("valid", "2026-01-01");
    let home = page(&out, "index.html");
    let stats = texts(&home, ".stat");
    let all = stats.join(" | ");
    assert!(all.contains("Kết luận thanh tra đã công khai 1 |"), "{all}");
    assert!(all.contains("Kiến nghị 3 |"), "{all}");
    assert!(all.contains("Kiến nghị quá hạn 2 |"), "{all}");
    assert!(all.contains("chỉ tiêu: trên 90 %"), "{all}");
    assert!(
        all.contains("33,3 %"),
        "one of three due recommendations done on time: {all}"
    );
    assert!(all.contains("1 tỷ đồng"), "{all}");
    assert!(all.contains("1.200 m²"), "{all}");
    let status = texts(&home, "#h-status + table tr").join(" | ");
    assert!(
        status.contains("Đang thực hiện 2") && status.contains("Đã hoàn thành 1"),
        "{status}"
    );
}

#[test]
fn money_dates_and_land_are_written_the_vietnamese_way() {
    let (_t, out) = built("valid", "2026-01-01");
    let doc = page(&out, "ket-luan/kl-2025-015/index.html");
    let text = texts(&doc, "main").join(" ");
    assert!(text.contains("2.350.000.000 đồng"), "{text}");
    assert!(text.contains("12/06/2025"), "{text}");
    assert!(text.contains("3.500 m²"), "{text}");
    let en = texts(&page(&out, "en/ket-luan/kl-2025-015/index.html"), "main").join(" ");
    assert!(
        en.contains("2,350,000,000 VND") && en.contains("12 Jun 2025"),
        "{en}"
    );
    // Relations both ways.
    assert!(
        text.contains("118/QĐ-UBND"),
        "the conclusion lists the decision that cites it"
    );
    let decision = texts(&page(&out, "ky-luat/qd-2025-118/index.html"), "main").join(" ");
    assert!(
        decision.contains("15/KL-TTr"),
        "the decision links to its conclusion"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let o = build(&root(), out, "2026-11-23");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 400);
    assert_eq!(sa.len(), sb.len());
    for ((pa, ba), (pb, bb)) in sa.iter().zip(&sb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} differs between builds", pa.display());
    }
    // No absolute path of the build machine leaks into the output.
    let here = root().to_string_lossy().into_owned();
    for (p, bytes) in &sa {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&here),
            "{} contains {here}",
            p.display()
        );
    }
}

#[test]
fn a_build_with_errors_leaves_the_output_unchanged() {
    let (_t, out) = built("valid", "2026-01-01");
    let before = snapshot(&out);
    let o = build(&fixture("twenty-defects"), &out, "2026-01-01");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("đầu ra cũ được giữ nguyên"));
    assert_eq!(snapshot(&out), before);
    assert_no_leftovers(out.parent().unwrap());
}

/// Nothing of a build's staging is left beside its output.
fn assert_no_leftovers(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A template that fails while pages are being written stops the build
/// with the template's file, removes what was written, and says that the
/// previous output is as it was.
#[test]
fn a_build_stopped_while_writing_leaves_the_output_unchanged() {
    let (t, out) = built("valid", "2026-01-01");
    let before = snapshot(&out);
    // Someone else's files beside the output, one named like a leftover.
    let theirs = t.path().join("ghi-chu.txt");
    let lookalike = t.path().join(".public.tmp-7");
    std::fs::write(&theirs, "của người khác").unwrap();
    std::fs::create_dir_all(&lookalike).unwrap();
    std::fs::write(lookalike.join("a.txt"), "không phải của congkhai").unwrap();
    let site = t.path().join("site");
    copy_dir(&fixture("valid"), &site);
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/decision.html"),
        "{% extends \"base.html\" %}{% block main %}{{ khong_co.truong }}{% endblock %}",
    )
    .unwrap();
    let o = build(&site, &out, "2026-01-01");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("templates/decision.html"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("The previous output is unchanged"));
    assert_eq!(snapshot(&out), before);
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "của người khác");
    assert_eq!(
        std::fs::read_to_string(lookalike.join("a.txt")).unwrap(),
        "không phải của congkhai"
    );
    std::fs::remove_dir_all(&lookalike).unwrap();
    assert_no_leftovers(t.path());
}

/// The search index's temporary file cannot be made (here: `TMPDIR` names
/// no folder): the build stops, says which folder and what to set, and
/// the previous output is as it was.
#[test]
fn a_temporary_folder_that_fails_leaves_the_output_unchanged() {
    let (t, out) = built("valid", "2026-01-01");
    let before = snapshot(&out);
    let missing = t.path().join("khong-co-thu-muc-tam");
    let o = build_command(&fixture("valid"), &out, "2026-01-02")
        .env("TMPDIR", &missing)
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = stderr(&o);
    assert!(said.contains(&missing.display().to_string()), "{said}");
    assert!(said.contains("set TMPDIR to a folder with room"), "{said}");
    assert!(said.contains("The previous output is unchanged"), "{said}");
    assert_eq!(snapshot(&out), before);
    assert_no_leftovers(t.path());
}

/// Follows every internal link from the home page.
fn reachable(out: &Path) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["index.html".to_string()]);
    let a = Selector::parse("a[href]").unwrap();
    while let Some(rel) = queue.pop_front() {
        if !seen.insert(rel.clone()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(out.join(&rel)) else {
            continue;
        };
        for link in Html::parse_document(&text).select(&a) {
            let href = link.value().attr("href").unwrap();
            if !href.starts_with('/') || href.starts_with("//") {
                continue;
            }
            let path = href
                .split('#')
                .next()
                .unwrap()
                .split('?')
                .next()
                .unwrap()
                .trim_start_matches('/');
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            if file.ends_with(".html") && !seen.contains(&file) {
                queue.push_back(file);
            }
        }
    }
    seen
}

#[test]
fn every_page_is_reachable_from_the_home_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&root(), &out, "2026-11-23");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let reached = reachable(&out);
    let all: BTreeSet<String> = snapshot(&out)
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with(".html") && !p.ends_with("404.html"))
        .collect();
    let missing: Vec<_> = all.difference(&reached).collect();
    assert!(missing.is_empty(), "not reachable: {missing:?}");
    let broken: Vec<_> = reached
        .difference(&all)
        .filter(|p| !p.ends_with("404.html"))
        .collect();
    assert!(broken.is_empty(), "links to missing pages: {broken:?}");
    assert!(all.len() > 400);
}

#[test]
fn permanent_addresses_exist_in_both_languages() {
    let (_t, out) = built("valid", "2026-01-01");
    for p in [
        "index.html",
        "ket-luan/index.html",
        "ket-luan/kl-2025-015/index.html",
        "kien-nghi/index.html",
        "kien-nghi/qua-han/index.html",
        "ky-luat/index.html",
        "ky-luat/qd-2025-118/index.html",
        "thu-hoi/index.html",
        "co-quan/index.html",
        "co-quan/ubnd-xa-an-binh/index.html",
        "trang/gioi-thieu/index.html",
        "tim-kiem/index.html",
        "du-lieu/index.html",
        "ket-luan/nam/2025/index.html",
        "ket-luan/linh-vuc/land/index.html",
        "kien-nghi/trang-thai/done/index.html",
        "ky-luat/hinh-thuc/warning/index.html",
    ] {
        assert!(out.join(p).is_file(), "{p}");
        assert!(out.join("en").join(p).is_file(), "en/{p}");
        let doc = page(&out, p);
        assert_eq!(texts(&doc, "h1").len(), 1, "one <h1> on {p}");
        assert_eq!(texts(&doc, "main").len(), 1, "one <main> on {p}");
    }
}

#[test]
fn long_lists_are_paginated_at_stable_addresses() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&root(), &out, "2026-11-23");
    assert_eq!(o.status.code(), Some(0));
    // The recommendations at 50 a page.
    let n = recommendations_in(&root());
    let pages = n.div_ceil(50);
    assert!(
        pages >= 2,
        "the sample has enough recommendations to paginate"
    );
    for p in 2..=pages {
        assert!(
            out.join(format!("kien-nghi/trang/{p}/index.html"))
                .is_file()
        );
    }
    assert!(
        !out.join(format!("kien-nghi/trang/{}/index.html", pages + 1))
            .exists()
    );
    assert!(
        !out.join("kien-nghi/trang/1/index.html").exists(),
        "page 1 is the list itself"
    );
    let last = texts(
        &page(&out, &format!("kien-nghi/trang/{pages}/index.html")),
        "table.recs tbody tr",
    );
    assert_eq!(last.len(), n - 50 * (pages - 1));
    let first = texts(&page(&out, "kien-nghi/index.html"), "table.recs tbody tr");
    assert_eq!(first.len(), 50);
}

/// A conclusion with `n` recommendations for `agency`, all past due by
/// 2026-01-01: KN1 is due on 2025-01-01 (365 days overdue), KN2 a day later…
fn overdue_conclusion(agency: &str, n: usize) -> String {
    let mut s = String::from(
        "---\nnumber: \"40/KL-TTr\"\ntitle: \"Kết luận thanh tra công tác quản lý đất đai\"\n\
         issued_by: thanh-tra-tinh\nsigned_on: 2024-12-01\nsigned_by: \"Chánh Thanh tra tỉnh\"\n\
         published_on: 2024-12-05\ninspected: ubnd-xa-an-binh\nsector: land\nkind: planned\n\
         recommendations:\n",
    );
    for i in 1..=n {
        let due =
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i as u64 - 1);
        s.push_str(&format!(
            "  - id: KN{i}\n    kind: rectify\n    text: \"Rà soát hồ sơ giao đất đợt {i}\"\n    responsible: {agency}\n    due: {due}\n"
        ));
    }
    s.push_str("---\nUBND xã chậm rà soát hồ sơ giao đất.\n");
    s
}

#[test]
fn a_scorecard_shows_the_most_overdue_and_links_to_the_agency_overdue_list() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    std::fs::write(
        site.join("content/conclusions/kl-2024-040.md"),
        overdue_conclusion("ubnd-xa-an-binh", 53),
    )
    .unwrap();
    let out = tmp.path().join("public");
    let o = build(&site, &out, "2026-01-01");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // The agency's own overdue list: KN1 and KN2 of 15/KL-TTr (93 and 1 days)
    // and the 53 new ones (365 … 313 days), most overdue first, 50 a page.
    let list = "kien-nghi/qua-han/co-quan/ubnd-xa-an-binh/";
    let doc = page(&out, &format!("{list}index.html"));
    assert_eq!(texts(&doc, "h1"), ["Kiến nghị quá hạn — UBND xã An Bình"]);
    let first = texts(&doc, "table.recs tbody tr");
    assert_eq!(first.len(), 50);
    assert!(
        first[0].starts_with("365 ngày 40/KL-TTr KN1 "),
        "{}",
        first[0]
    );
    assert!(
        first[49].starts_with("316 ngày 40/KL-TTr KN50 "),
        "{}",
        first[49]
    );
    let second = texts(
        &page(&out, &format!("{list}trang/2/index.html")),
        "table.recs tbody tr",
    );
    let days: Vec<&str> = second
        .iter()
        .map(|r| r.split(' ').next().unwrap())
        .collect();
    assert_eq!(days, ["315", "314", "313", "93", "1"], "{second:#?}");
    assert!(!out.join(format!("{list}trang/3")).exists());
    // Its filter menu leads back to the whole overdue list, which holds the
    // one overdue recommendation of another agency too.
    let menu = texts(&doc, "nav.filters li").join(" | ");
    assert!(
        menu.contains("Tất cả (55)") && menu.contains("UBND xã An Bình (55)"),
        "{menu}"
    );
    assert_eq!(
        texts(&page(&out, "kien-nghi/qua-han/index.html"), "p.count"),
        ["55 mục · Trang 1/2"]
    );

    // The scorecard shows the head of that list, with the count and a link.
    let card = page(&out, "co-quan/ubnd-xa-an-binh/index.html");
    let shown = texts(&card, "#h-overdue + div table tbody tr");
    assert_eq!(shown.len(), 20);
    assert!(shown[0].starts_with("40/KL-TTr KN1 "), "{}", shown[0]);
    assert!(shown[19].starts_with("40/KL-TTr KN20 "), "{}", shown[19]);
    assert_eq!(texts(&card, "#h-overdue"), ["Quá hạn (55)"]);
    let link = Selector::parse("section[aria-labelledby=h-overdue] p a").unwrap();
    let hrefs: Vec<&str> = card
        .select(&link)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["/kien-nghi/qua-han/co-quan/ubnd-xa-an-binh/"]);
    // The agency list links each overdue count to that list.
    let agencies = page(&out, "co-quan/index.html");
    let badge = Selector::parse("a.badge-overdue").unwrap();
    let linked: Vec<(String, &str, &str)> = agencies
        .select(&badge)
        .map(|a| {
            let v = a.value();
            (
                a.text().collect(),
                v.attr("href").unwrap(),
                v.attr("aria-label").unwrap(),
            )
        })
        .collect();
    // The number alone says little to a screen reader: the label names the agency.
    assert!(
        linked.contains(&(
            "55".to_string(),
            "/kien-nghi/qua-han/co-quan/ubnd-xa-an-binh/",
            "Quá hạn: 55 — UBND xã An Bình"
        )),
        "{linked:?}"
    );
    // And in English, under /en/.
    let en = page(&out, "en/co-quan/ubnd-xa-an-binh/index.html");
    let hrefs: Vec<&str> = en
        .select(&link)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["/en/kien-nghi/qua-han/co-quan/ubnd-xa-an-binh/"]);
}

#[test]
fn a_build_says_what_it_made_in_the_singular_or_plural_and_what_to_do_next() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&fixture("valid"), &out, "2026-01-15");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let shown = out.display().to_string();
    assert!(
        err.contains(&format!(
            "Tiếp theo: xem thử bằng `congkhai serve {}`",
            fixture("valid").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "publish with `congkhai deploy {shown} s3://BUCKET/PREFIX`"
        )),
        "{err}"
    );
    // "1 warning", "2 warnings", never "1 warnings".
    assert!(
        !err.contains(" 1 warnings") && !err.contains(" 1 records"),
        "{err}"
    );
}
