//! Agencies and follow-up through time, on the `through-time` fixture: a
//! district that ceased to exist on 1 July 2025 with its successor, a State
//! Audit notice, a withdrawn conclusion, an extension and a referral case.
//! The real binary builds the site; the pages and the open data are read back.

mod common;

use std::path::{Path, PathBuf};

use common::*;

const AS_OF: &str = "2026-06-01";

fn built() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&fixture("through-time"), &out, AS_OF);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, out)
}

fn page(out: &Path, path: &str) -> String {
    let file = out.join(path.trim_start_matches('/')).join("index.html");
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The page's main content as text, tags removed and spaces collapsed.
fn text(html: &str) -> String {
    let main = &html[html.find("<main").expect("a main element")..];
    let mut out = String::new();
    let mut in_tag = false;
    for c in main.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn csv(out: &Path, name: &str) -> Vec<std::collections::HashMap<String, String>> {
    let bytes = std::fs::read(out.join(format!("data/{name}.csv"))).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|row| {
            headers
                .iter()
                .zip(row.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn the_successor_answers_for_what_was_open_and_the_hand_over_is_listed() {
    let (_tmp, out) = built();
    let handovers = text(&page(&out, "/kien-nghi/chuyen-tiep/"));
    assert!(
        handovers.contains("UBND huyện Sông Cầu → UBND xã Sông Cầu")
            && handovers.contains("01/07/2025"),
        "{handovers}"
    );
    // KN1 was open the day before; KN2 was done on 30 June and stays.
    assert!(
        handovers.contains("Thu hồi 900.000.000 đồng"),
        "{handovers}"
    );
    assert!(
        !handovers.contains("Chấn chỉnh công tác quản lý hồ sơ"),
        "{handovers}"
    );
    assert!(
        handovers.contains("tiếp nhận từ UBND huyện Sông Cầu"),
        "{handovers}"
    );

    let gone = text(&page(&out, "/co-quan/ubnd-huyen/"));
    assert!(
        gone.contains("Đã thôi hoạt động từ ngày 01/07/2025")
            && gone.contains("Cơ quan kế thừa: UBND xã Sông Cầu"),
        "{gone}"
    );
    assert!(gone.contains("đã chuyển cho cơ quan kế thừa (1)"), "{gone}");

    let successor_html = page(&out, "/co-quan/ubnd-xa-moi/");
    let successor = text(&successor_html);
    assert!(
        successor.contains("Tên cũ UBND thị trấn Sông Cầu"),
        "{successor}"
    );
    assert!(
        successor.contains("Kiến nghị tiếp nhận từ cơ quan đã thôi hoạt động (1)"),
        "{successor}"
    );
    // The successor's overdue list holds the inherited recommendation,
    // overdue from its extended date (31/03/2026 → 62 days on 1 June).
    let overdue = text(&page(&out, "/kien-nghi/qua-han/co-quan/ubnd-xa-moi/"));
    assert!(overdue.contains("62 ngày"), "{overdue}");
    assert!(
        overdue.contains("gia hạn 1 lần; thời hạn ban đầu 30/06/2025"),
        "{overdue}"
    );

    let recs = csv(&out, "recommendations");
    let kn1 = recs
        .iter()
        .find(|r| r["conclusion"] == "kl-2025-003" && r["id"] == "KN1")
        .unwrap();
    assert_eq!(
        (
            kn1["responsible"].as_str(),
            kn1["responsible_original"].as_str(),
            kn1["due"].as_str(),
            kn1["due_original"].as_str(),
            kn1["extensions"].as_str(),
        ),
        ("ubnd-xa-moi", "ubnd-huyen", "2026-03-31", "2025-06-30", "1")
    );
    let kn2 = recs
        .iter()
        .find(|r| r["conclusion"] == "kl-2025-003" && r["id"] == "KN2")
        .unwrap();
    assert_eq!(kn2["responsible"], "ubnd-huyen");
    let agencies = csv(&out, "agencies");
    let huyen = agencies.iter().find(|a| a["id"] == "ubnd-huyen").unwrap();
    assert_eq!(
        (huyen["dissolved_on"].as_str(), huyen["successor"].as_str()),
        ("2025-07-01", "ubnd-xa-moi")
    );
    let xa = agencies.iter().find(|a| a["id"] == "ubnd-xa-moi").unwrap();
    assert_eq!(
        (xa["inherited"].as_str(), xa["formerly"].as_str()),
        ("1", "UBND thị trấn Sông Cầu")
    );
}

#[test]
fn sources_are_a_facet_and_a_withdrawn_conclusion_leaves_the_targets() {
    let (_tmp, out) = built();
    let audit = page(&out, "/ket-luan/nguon/state_audit/");
    assert!(
        audit.contains("01/TB-KV") && !audit.contains("03/KL-TTr"),
        "{audit}"
    );
    let list = page(&out, "/ket-luan/");
    assert!(
        list.contains("/ket-luan/nguon/state_audit/")
            && list.contains("/ket-luan/nguon/inspection/"),
        "the list offers the source filter"
    );
    let recs = page(&out, "/kien-nghi/nguon/state_audit/");
    assert!(recs.contains("Điều chỉnh sổ kế toán"), "{recs}");

    let withdrawn = page(&out, "/ket-luan/kl-2025-011/");
    assert!(withdrawn.contains("<title>11/KL-TTr") && withdrawn.contains("(Đã hủy bỏ)"));
    assert!(text(&withdrawn).contains("Kết luận này đã bị hủy bỏ ngày 15/11/2025"));
    // Due on 1 November 2025 and never done, but outside the targets.
    let overdue = text(&page(&out, "/kien-nghi/qua-han/"));
    assert!(
        !overdue.contains("Rà soát các giấy chứng nhận"),
        "{overdue}"
    );
    let rows = csv(&out, "recommendations");
    let w = rows
        .iter()
        .find(|r| r["conclusion"] == "kl-2025-011")
        .unwrap();
    assert_eq!(
        (w["withdrawn"].as_str(), w["overdue"].as_str()),
        ("true", "false")
    );
    let conclusions = csv(&out, "conclusions");
    let c = conclusions
        .iter()
        .find(|r| r["id"] == "kl-2025-011")
        .unwrap();
    assert_eq!(
        (
            c["status"].as_str(),
            c["status_on"].as_str(),
            c["source"].as_str()
        ),
        ("withdrawn", "2025-11-15", "inspection")
    );
}

#[test]
fn referral_cases_and_yearly_scorecards() {
    let (_tmp, out) = built();
    let c = text(&page(&out, "/ket-luan/kl-2025-003/"));
    assert!(
        c.contains("Khởi tố · Quyết định khởi tố số 5/QĐ-CSĐT")
            && c.contains("Thu hồi theo bản án: 250.000.000 đồng"),
        "{c}"
    );
    let cases = csv(&out, "cases");
    assert_eq!(cases.len(), 3);
    assert_eq!(csv(&out, "extensions").len(), 1);
    let recoveries = text(&page(&out, "/thu-hoi/"));
    assert!(
        recoveries.contains("Tiền đã thu hồi theo bản án 250 triệu đồng"),
        "{recoveries}"
    );

    // The inherited recommendation fell due in 2026 after its extension;
    // the successor's 2025 recommendation is the year before.
    let year = text(&page(&out, "/co-quan/ubnd-xa-moi/nam/2026/"));
    assert!(
        year.contains("Bảng theo dõi năm 2026: UBND xã Sông Cầu"),
        "{year}"
    );
    assert!(year.contains("Năm trước (2025)"), "{year}");
    assert!(year.contains("Thu hồi 900.000.000 đồng"), "{year}");
    let card = page(&out, "/co-quan/ubnd-xa-moi/");
    assert!(card.contains("/co-quan/ubnd-xa-moi/nam/2025/"));

    let schema = std::fs::read_to_string(out.join("data/schema/recommendations.json")).unwrap();
    for column in [
        "responsible_original",
        "due_original",
        "extensions",
        "case_stage",
    ] {
        assert!(schema.contains(&format!("\"{column}\"")), "{column}");
    }
}

#[test]
fn a_site_of_one_source_has_no_lists_by_source() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&fixture("valid"), &out, "2026-01-01");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("ket-luan/nguon").exists() && !out.join("kien-nghi/nguon").exists());
    let c = page(&out, "/ket-luan/kl-2025-015/");
    assert!(
        text(&c).contains("Nguồn Kết luận thanh tra"),
        "the source is still said"
    );
    assert!(
        !c.contains("/ket-luan/nguon/"),
        "but links to no list that would repeat them all"
    );
}
