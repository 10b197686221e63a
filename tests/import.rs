//! `congkhai import` with real workbooks written by a spreadsheet library.

mod common;

use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    dir
}

/// The columns of a conclusions sheet, as a clerk heads them.
const CONCLUSION_HEADERS: [&str; 9] = [
    "Số hiệu",
    "Tên kết luận",
    "Cơ quan ban hành",
    "Ngày ký",
    "Người ký",
    "Ngày công khai",
    "Đối tượng thanh tra",
    "Lĩnh vực",
    "Loại cuộc thanh tra",
];

const RECOVERY_HEADERS: [&str; 9] = [
    "Kỳ báo cáo",
    "Đơn vị",
    "Kiến nghị thu hồi (đồng)",
    "Đã thu hồi (đồng)",
    "Kiến nghị thu hồi đất (m²)",
    "Đã thu hồi đất (m²)",
    "Ghi chú",
    "Ngày báo cáo",
    "Người ký",
];

/// `congkhai import FILE --site SITE --as-of 2026-01-15`, with `extra` arguments.
fn import(file: &std::path::Path, site: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
        "--as-of",
        "2026-01-15",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// `congkhai check` passes on the site after an import.
/// Runs `congkhai import` and checks its exit code; returns what it said.
fn import_expecting(
    code: i32,
    file: &std::path::Path,
    site: &std::path::Path,
    extra: &[&str],
) -> String {
    let o = import(file, site, extra);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{err}");
    err
}

fn assert_checks(site: &std::path::Path) {
    let check = run(&["check", site.to_str().unwrap(), "--as-of", "2026-01-15"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

/// Writes the header row of a sheet.
fn header_row(sheet: &mut rust_xlsxwriter::Worksheet, headers: &[&str], format: &Format) {
    for (c, h) in headers.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, format).unwrap();
    }
}

fn recovery_workbook(path: &std::path::Path, rows: &[(&str, &str, f64, &str, f64, f64, &str)]) {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet().set_name("Thu hồi").unwrap();
    let bold = Format::new().set_bold();
    header_row(sheet, &RECOVERY_HEADERS, &bold);
    for (r, (period, agency, rec, got, land, land_got, note)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write(r, 0, *period).unwrap();
        sheet.write(r, 1, *agency).unwrap();
        sheet.write(r, 2, *rec).unwrap();
        // Recovered money typed as text with thousands separators, as Excel users do.
        sheet.write(r, 3, *got).unwrap();
        sheet.write(r, 4, *land).unwrap();
        sheet.write(r, 5, *land_got).unwrap();
        sheet.write(r, 6, *note).unwrap();
        // Signed after the cut-off of every period these tests use.
        sheet.write(r, 7, "10/01/2026").unwrap();
        sheet.write(r, 8, "Chủ tịch UBND xã").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn recoveries_from_excel_reach_the_open_data() {
    let site = site();
    let xlsx = site.path().join("so-lieu.xlsx");
    recovery_workbook(
        &xlsx,
        &[
            (
                "2025-Q4",
                "UBND xã An Bình",
                1_500_000_000.0,
                "1.234.567.000",
                500.0,
                120.5,
                "Nộp đợt 2",
            ),
            (
                "Quý 4/2025",
                "thanh-tra-tinh",
                300_000_000.0,
                "0",
                0.0,
                0.0,
                "",
            ),
        ],
    );
    let err = import_expecting(0, &xlsx, site.path(), &[]);
    assert!(
        err.contains("content/recoveries/2025-q4.csv — thêm mới / new ← Thu hồi!2, Thu hồi!3"),
        "{}",
        err
    );
    let out = site.path().join("public");
    let b = run(&[
        "build",
        site.path().to_str().unwrap(),
        "--as-of",
        "2026-01-15",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let rows = data_rows(&out, "recoveries");
    let q4: Vec<&serde_json::Value> = rows.iter().filter(|r| r["period"] == "2025-Q4").collect();
    assert_eq!(q4.len(), 2);
    let xa = q4
        .iter()
        .find(|r| r["agency"] == "ubnd-xa-an-binh")
        .unwrap();
    assert_eq!(xa["recommended_vnd"], 1_500_000_000u64);
    assert_eq!(xa["recovered_vnd"], 1_234_567_000u64);
    assert_eq!(xa["recommended_land_m2"], 500);
    assert_eq!(xa["recovered_land_m2"], 120.5);
    assert_eq!(xa["note"], "Nộp đợt 2");
}

#[test]
fn a_bad_row_is_reported_by_sheet_row_and_column_and_nothing_is_written() {
    let site = site();
    let before = snapshot(site.path());
    let xlsx = site.path().join("loi.xlsx");
    recovery_workbook(
        &xlsx,
        &[
            ("2025-Q4", "UBND xã An Bình", 100.0, "50", 0.0, 0.0, ""),
            ("2025-Q4", "Sở Không Có", 100.0, "-5", 0.0, 0.0, ""),
        ],
    );
    let err = import_expecting(1, &xlsx, site.path(), &[]);
    assert!(
        err.contains("Thu hồi!B3"),
        "sheet and cell of the unknown agency: {err}"
    );
    assert!(
        err.contains("Thu hồi!D3"),
        "sheet and cell of the negative amount: {err}"
    );
    assert!(err.contains("không ghi tệp nào"), "{err}");
    let mut after = snapshot(site.path());
    after.retain(|(p, _)| p != std::path::Path::new("loi.xlsx"));
    assert_eq!(after, before, "nothing was written");
}

#[test]
fn reimporting_a_period_updates_its_rows_keeps_the_others_and_refuses_removals() {
    let site = site();
    let csv_path = site.path().join("content/recoveries/2025-q3.csv");
    // Another agency's row of the same period, already in the file.
    let mut text = std::fs::read_to_string(&csv_path).unwrap();
    text.push_str(
        "2025-Q3,thanh-tra-tinh,500000000,100000000,0,0,2025-10-12,Chánh Thanh tra tỉnh,Khác\n",
    );
    std::fs::write(&csv_path, &text).unwrap();
    let xlsx = site.path().join("q3.xlsx");
    recovery_workbook(
        &xlsx,
        &[(
            "2025-Q3",
            "UBND xã An Bình",
            2_350_000_000.0,
            "1000000000",
            3500.0,
            1300.0,
            "Cập nhật",
        )],
    );
    let before = std::fs::read_to_string(&csv_path).unwrap();
    let dry = import(&xlsx, site.path(), &["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    assert!(
        stderr(&dry).contains("nothing was written"),
        "{}",
        stderr(&dry)
    );
    assert_eq!(
        std::fs::read_to_string(&csv_path).unwrap(),
        before,
        "--dry-run writes nothing"
    );
    let err = import_expecting(0, &xlsx, site.path(), &[]);
    assert!(
        err.contains("content/recoveries/2025-q3.csv — cập nhật / update"),
        "{err}"
    );
    assert!(
        err.contains("~ 2025-Q3[ubnd-xa-an-binh].recovered_land_m2: \"1200\" → \"1300\""),
        "{err}"
    );
    assert!(err.contains("= 1 mục giữ nguyên / 1 items kept"), "{err}");
    let after = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        after.contains("1300") && after.contains("Cập nhật"),
        "{after}"
    );
    assert!(
        after.contains(
            "thanh-tra-tinh,500000000,100000000,0,0,2025-10-12,Chánh Thanh tra tỉnh,Khác"
        ),
        "kept: {after}"
    );
    assert_checks(site.path());
    // A sheet whose note cell is empty would remove the note: refused.
    recovery_workbook(
        &xlsx,
        &[(
            "2025-Q3",
            "UBND xã An Bình",
            2_350_000_000.0,
            "1000000000",
            3500.0,
            1300.0,
            "",
        )],
    );
    let err = import_expecting(1, &xlsx, site.path(), &[]);
    assert!(
        err.contains(
            "would remove from content/recoveries/2025-q3.csv: 2025-Q3[ubnd-xa-an-binh].note"
        ),
        "{}",
        err
    );
    assert_eq!(std::fs::read_to_string(&csv_path).unwrap(), after);
    import_expecting(0, &xlsx, site.path(), &["--replace"]);
    assert!(
        !std::fs::read_to_string(&csv_path)
            .unwrap()
            .contains("Cập nhật")
    );
}

#[test]
fn conclusions_with_a_recommendations_sheet_and_decisions() {
    let site = site();
    let xlsx = site.path().join("ket-luan.xlsx");
    let mut wb = Workbook::new();
    let date = |y, m, d| ExcelDateTime::from_ymd(y, m, d).unwrap();
    let dfmt = Format::new().set_num_format("dd/mm/yyyy");
    let kl = wb.add_worksheet().set_name("Kết luận").unwrap();
    let mut headers = CONCLUSION_HEADERS.to_vec();
    headers.push("Nội dung");
    headers.push("Nguồn");
    header_row(kl, &headers, &Format::new());
    kl.write(1, 0, "20/KL-TTr").unwrap();
    kl.write(
        1,
        1,
        "Kết luận thanh tra việc thu, chi ngân sách xã An Bình",
    )
    .unwrap();
    kl.write(1, 2, "Thanh tra tỉnh").unwrap();
    kl.write_datetime_with_format(1, 3, date(2025, 11, 3), &dfmt)
        .unwrap();
    kl.write(1, 4, "Chánh Thanh tra tỉnh").unwrap();
    kl.write(1, 5, "07/11/2025").unwrap();
    kl.write(1, 6, "ubnd-xa-an-binh").unwrap();
    kl.write(1, 7, "Tài chính, ngân sách").unwrap();
    kl.write(1, 8, "theo ke hoach").unwrap();
    kl.write(1, 9, "Chi sai chế độ phụ cấp.").unwrap();
    kl.write(1, 10, "thanh tra").unwrap();
    let kn = wb.add_worksheet().set_name("Kiến nghị").unwrap();
    header_row(
        kn,
        &[
            "Số hiệu kết luận",
            "Mã kiến nghị",
            "Loại kiến nghị",
            "Nội dung kiến nghị",
            "Đơn vị thực hiện",
            "Thời hạn",
            "Số tiền kiến nghị thu hồi (đồng)",
        ],
        &Format::new(),
    );
    kn.write(1, 0, "20/KL-TTr").unwrap();
    kn.write(1, 1, "KN1").unwrap();
    kn.write(1, 2, "thu hồi tiền").unwrap();
    kn.write(1, 3, "Thu hồi 120.000.000 đồng phụ cấp chi sai")
        .unwrap();
    kn.write(1, 4, "UBND xã An Bình").unwrap();
    kn.write_datetime_with_format(1, 5, date(2026, 3, 31), &dfmt)
        .unwrap();
    kn.write(1, 6, "120.000.000").unwrap();
    wb.save(&xlsx).unwrap();
    import_expecting(0, &xlsx, site.path(), &[]);
    let text =
        std::fs::read_to_string(site.path().join("content/conclusions/kl-2025-20-kl-ttr.md"))
            .unwrap();
    assert!(
        text.contains("signed_on: 2025-11-03") && text.contains("published_on: 2025-11-07"),
        "{text}"
    );
    assert!(
        text.contains("sector: finance_budget")
            && text.contains("kind: planned")
            && text.contains("source: inspection"),
        "{text}"
    );
    assert!(
        text.contains("amount_vnd: 120000000") && text.contains("due: 2026-03-31"),
        "{text}"
    );
    assert_checks(site.path());

    // Decisions from CSV with Vietnamese headers without diacritics.
    let csv = site.path().join("ky-luat.csv");
    std::fs::write(
        &csv,
        "So hieu,Loai ky luat,Co quan quyet dinh,Ngay quyet dinh,Ngay cong khai,Doi tuong,Ho va ten,Chuc vu,Lanh dao quan ly,Hinh thuc ky luat,Ket luan lien quan\n\
         12/QĐ-UBND,hanh chinh,ubnd-tinh,05/12/2025,10/12/2025,cong chuc,Lê Văn C,Kế toán xã An Bình,không,khien trach,kl-2025-20-kl-ttr\n",
    )
    .unwrap();
    import_expecting(0, &csv, site.path(), &[]);
    let text = std::fs::read_to_string(site.path().join("content/decisions/qd-2025-12-qd-ubnd.md"))
        .unwrap();
    assert!(
        text.contains("penalty: reprimand")
            && text.contains("role: civil_servant")
            && text.contains("leader: false")
            && text.contains("related:\n  - kl-2025-20-kl-ttr"),
        "{text}"
    );
    assert_checks(site.path());
}

#[test]
fn content_errors_in_the_generated_files_name_their_rows() {
    let site = site();
    let csv = site.path().join("ky-luat.csv");
    // Expulsion cannot be given to a civil servant: caught by the model, reported with the row.
    std::fs::write(
        &csv,
        "number,track,authority,decided_on,published_on,subject_role,subject_name,penalty\n13/QĐ-UBND,administrative,ubnd-tinh,2025-12-05,2025-12-10,civil_servant,Lê Văn D,expulsion\n",
    )
    .unwrap();
    let err = import_expecting(1, &csv, site.path(), &[]);
    assert!(
        err.contains("penalty-role") && err.contains("từ CSV!2"),
        "{err}"
    );
    assert!(
        !site
            .path()
            .join("content/decisions/qd-2025-13-qd-ubnd.md")
            .exists()
    );
}

const DECISION_HEADER: &str = "Mã,Số hiệu,Loại kỷ luật,Cơ quan quyết định,Ngày quyết định,Ngày công khai,Đối tượng,Họ và tên,Hình thức kỷ luật\n";

#[test]
fn an_id_cell_never_becomes_a_path() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("a/b/site");
    copy_dir(&fixture("valid"), &site);
    let before = snapshot(tmp.path());
    let csv = tmp.path().join("ky-luat.csv");
    std::fs::write(
        &csv,
        format!("{DECISION_HEADER}../../../x,15/QĐ-UBND,hành chính,ubnd-tinh,05/12/2025,10/12/2025,công chức,Lê Văn C,khiển trách\n"),
    )
    .unwrap();
    let err = import_expecting(1, &csv, &site, &[]);
    assert!(
        err.contains("the id `../../../x` is invalid") && err.contains("ky-luat.csv:2"),
        "{err}"
    );
    let mut after = snapshot(tmp.path());
    after.retain(|(p, _)| p != std::path::Path::new("ky-luat.csv"));
    assert_eq!(after, before, "nothing written, inside or outside the site");
}

#[test]
fn one_number_used_by_two_agencies_makes_two_files_and_a_true_duplicate_is_an_error() {
    let site = site();
    let csv = site.path().join("ky-luat.csv");
    std::fs::write(
        &csv,
        format!(
            "{DECISION_HEADER},15/QĐ-UBND,hành chính,ubnd-tinh,05/12/2025,10/12/2025,công chức,Lê Văn C,khiển trách\n\
             ,15/QĐ-UBND,hành chính,ubnd-xa-an-binh,06/12/2025,10/12/2025,công chức,Lê Văn D,cảnh cáo\n"
        ),
    )
    .unwrap();
    let err = import_expecting(0, &csv, site.path(), &[]);
    assert!(err.contains("Wrote 2 files"), "{err}");
    let decisions = site.path().join("content/decisions");
    let a = std::fs::read_to_string(decisions.join("qd-2025-15-qd-ubnd-ubnd-tinh.md")).unwrap();
    let b =
        std::fs::read_to_string(decisions.join("qd-2025-15-qd-ubnd-ubnd-xa-an-binh.md")).unwrap();
    assert!(a.contains("Lê Văn C") && b.contains("Lê Văn D"));
    assert_checks(site.path());

    // `16/…` and `16-…` of one issuer in one year are one document written twice.
    let before = snapshot(site.path());
    std::fs::write(
        &csv,
        format!(
            "{DECISION_HEADER},16/QĐ-UBND,hành chính,ubnd-tinh,05/12/2025,10/12/2025,công chức,Lê Văn E,khiển trách\n\
             ,16-QĐ-UBND,hành chính,ubnd-tinh,07/12/2025,10/12/2025,công chức,Lê Văn G,cảnh cáo\n"
        ),
    )
    .unwrap();
    let err = import_expecting(1, &csv, site.path(), &[]);
    assert!(
        err.contains("CSV!2") && err.contains("CSV!3") && err.contains("same document"),
        "{err}"
    );
    let mut after = snapshot(site.path());
    let mut before = before;
    for s in [&mut after, &mut before] {
        s.retain(|(p, _)| p != std::path::Path::new("ky-luat.csv"));
    }
    assert_eq!(after, before);
}

/// A workbook of one conclusion and the rows of its recommendations:
/// (id, [(status, date)]) — one row per progress entry.
fn conclusion_workbook(path: &std::path::Path, title: &str, recs: &[(&str, &[(&str, &str)])]) {
    let mut wb = Workbook::new();
    let kl = wb.add_worksheet().set_name("Kết luận").unwrap();
    header_row(kl, &CONCLUSION_HEADERS, &Format::new());
    for (c, v) in [
        "30/KL-TTr",
        title,
        "thanh-tra-tinh",
        "01/03/2025",
        "Chánh Thanh tra tỉnh",
        "05/03/2025",
        "ubnd-xa-an-binh",
        "đất đai",
        "theo kế hoạch",
    ]
    .iter()
    .enumerate()
    {
        kl.write(1, c as u16, *v).unwrap();
    }
    let kn = wb.add_worksheet().set_name("Kiến nghị").unwrap();
    header_row(
        kn,
        &[
            "Số hiệu kết luận",
            "Mã kiến nghị",
            "Loại kiến nghị",
            "Nội dung kiến nghị",
            "Đơn vị thực hiện",
            "Thời hạn",
            "Trạng thái",
            "Ngày cập nhật",
            "Chứng cứ",
        ],
        &Format::new(),
    );
    let mut r = 1;
    for (id, steps) in recs {
        for (status, on) in steps.iter() {
            for (c, v) in [
                "30/KL-TTr",
                id,
                "khác",
                &format!("Chấn chỉnh việc {id}"),
                "ubnd-xa-an-binh",
                "30/12/2025",
                status,
                on,
                "Báo cáo số 1",
            ]
            .iter()
            .enumerate()
            {
                kn.write(r, c as u16, *v).unwrap();
            }
            r += 1;
        }
    }
    wb.save(path).unwrap();
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn reimporting_a_conclusion_merges_and_never_loses_recommendations_or_progress() {
    let site = site();
    let xlsx = site.path().join("kl.xlsx");
    let history: &[(&str, &[(&str, &str)])] = &[
        (
            "KN1",
            &[
                ("đang thực hiện", "10/04/2025"),
                ("đang thực hiện", "10/06/2025"),
            ],
        ),
        (
            "KN2",
            &[
                ("đang thực hiện", "10/04/2025"),
                ("hoàn thành", "10/07/2025"),
            ],
        ),
        (
            "KN3",
            &[
                ("chưa thực hiện", "10/04/2025"),
                ("đang thực hiện", "10/08/2025"),
            ],
        ),
        (
            "KN4",
            &[
                ("đang thực hiện", "10/05/2025"),
                ("hoàn thành", "10/09/2025"),
            ],
        ),
        ("KN5", &[("đang thực hiện", "10/05/2025")]),
    ];
    conclusion_workbook(&xlsx, "Kết luận thanh tra đất đai xã An Bình", history);
    import_expecting(0, &xlsx, site.path(), &[]);
    let file = site.path().join("content/conclusions/kl-2025-30-kl-ttr.md");
    let first = std::fs::read_to_string(&file).unwrap();
    assert_eq!(count(&first, "\n  - id: KN"), 5, "{first}");
    assert_eq!(count(&first, "\n      - on: "), 9, "{first}");
    assert_checks(site.path());

    // A sheet with only KN1 would drop four recommendations: refused, file untouched.
    conclusion_workbook(
        &xlsx,
        "Kết luận thanh tra đất đai xã An Bình",
        &[("KN1", &[("hoàn thành", "10/10/2025")])],
    );
    let err = import_expecting(1, &xlsx, site.path(), &[]);
    for kn in ["KN2", "KN3", "KN4", "KN5"] {
        assert!(err.contains(&format!("recommendations[{kn}]")), "{err}");
    }
    assert!(err.contains("--replace"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);

    // The usual sheet: each recommendation's latest status. New entries are
    // appended, the history stays, the new title replaces the old.
    let latest: &[(&str, &[(&str, &str)])] = &[
        ("KN1", &[("hoàn thành", "10/10/2025")]),
        ("KN2", &[("hoàn thành", "10/07/2025")]),
        ("KN3", &[("đang thực hiện", "10/08/2025")]),
        ("KN4", &[("hoàn thành", "10/09/2025")]),
        ("KN5", &[("đang thực hiện", "10/05/2025")]),
    ];
    conclusion_workbook(
        &xlsx,
        "Kết luận thanh tra quản lý đất đai xã An Bình",
        latest,
    );
    let err = import_expecting(0, &xlsx, site.path(), &[]);
    assert!(
        err.contains("content/conclusions/kl-2025-30-kl-ttr.md — cập nhật / update"),
        "{err}"
    );
    assert!(
        err.contains("+ recommendations[KN1].progress[2025-10-10 done]"),
        "{err}"
    );
    assert!(err.contains("~ title: "), "{err}");
    assert!(err.contains("= 5 mục giữ nguyên"), "{err}");
    let merged = std::fs::read_to_string(&file).unwrap();
    assert_eq!(count(&merged, "\n  - id: KN"), 5, "{merged}");
    assert_eq!(count(&merged, "\n      - on: "), 10, "{merged}");
    assert_checks(site.path());

    // Importing the same sheet again changes nothing.
    let o = import(&xlsx, site.path(), &[]);
    assert!(
        stderr(&o).contains("không đổi / unchanged"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), merged);

    // With --replace the sheet is the record.
    conclusion_workbook(
        &xlsx,
        "Kết luận thanh tra quản lý đất đai xã An Bình",
        &[("KN1", &[("hoàn thành", "10/10/2025")])],
    );
    let err = import_expecting(0, &xlsx, site.path(), &["--replace"]);
    assert!(
        err.contains("- recommendations[KN2] (xóa theo --replace"),
        "{err}"
    );
    let replaced = std::fs::read_to_string(&file).unwrap();
    assert_eq!(count(&replaced, "\n  - id: KN"), 1, "{replaced}");
}

#[test]
fn import_never_writes_through_a_link_out_of_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("giu-nguyen.txt"), "của người khác").unwrap();
    std::fs::remove_dir_all(site.join("content/decisions")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join("content/decisions")).unwrap();
    let csv = tmp.path().join("ky-luat.csv");
    std::fs::write(
        &csv,
        format!("{DECISION_HEADER},15/QĐ-UBND,hành chính,ubnd-tinh,05/12/2025,10/12/2025,công chức,Lê Văn C,khiển trách\n"),
    )
    .unwrap();
    let err = import_expecting(3, &csv, &site, &[]);
    assert!(err.contains("outside content/"), "{}", err);
    let names: Vec<_> = std::fs::read_dir(&elsewhere)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("giu-nguyen.txt")]);
}

/// A recovery report as agencies send it: a title, a "(Kèm theo …)" line and
/// a blank row above the table.
fn titled_recovery_workbook(path: &std::path::Path) {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet().set_name("Thu hồi").unwrap();
    let bold = Format::new().set_bold();
    sheet
        .write_with_format(
            0,
            0,
            "BÁO CÁO KẾT QUẢ THU HỒI TÀI SẢN QUÝ 4 NĂM 2025",
            &bold,
        )
        .unwrap();
    sheet
        .write(
            1,
            0,
            "(Kèm theo Công văn số 123/UBND-TH ngày 10/01/2026 của UBND xã An Bình)",
        )
        .unwrap();
    for (c, h) in RECOVERY_HEADERS.iter().enumerate() {
        sheet.write_with_format(3, c as u16, *h, &bold).unwrap();
    }
    let row = [
        "2025-Q4",
        "UBND xã An Bình",
        "1500000000",
        "1.234.567.000",
        "500",
        "120,5",
        "Nộp đợt 2",
        "10/01/2026",
        "Chủ tịch UBND xã",
    ];
    for (c, v) in row.iter().enumerate() {
        sheet.write(4, c as u16, *v).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn title_rows_above_the_header_are_skipped_and_the_header_row_is_named() {
    let site = site();
    let xlsx = site.path().join("bao-cao.xlsx");
    titled_recovery_workbook(&xlsx);
    let err = import_expecting(0, &xlsx, site.path(), &[]);
    assert!(
        err.contains("Bảng `Thu hồi`: dùng dòng 4 làm dòng tiêu đề cột; bỏ qua 3 dòng phía trên (tên báo cáo)"),
        "{err}"
    );
    assert!(
        err.contains("table `Thu hồi`: row 4 is the header row; the 3 rows above it (the report's title) skipped"),
        "{err}"
    );
    // The data row keeps the spreadsheet's own number.
    assert!(err.contains("← Thu hồi!5"), "{err}");
    assert_checks(site.path());
    let csv = std::fs::read_to_string(site.path().join("content/recoveries/2025-q4.csv")).unwrap();
    assert!(csv.contains("1234567000"), "{csv}");
    assert!(!csv.contains("BÁO CÁO"), "{csv}");
}

/// Imports `file` and checks that the recovery figures of the two rows of
/// the fixtures (`scripts/make-spreadsheet-fixtures.py`) arrived.
fn imports_the_two_report_rows(site: &std::path::Path, file: &std::path::Path, header_row: u32) {
    let err = import_expecting(0, file, site, &[]);
    assert!(
        err.contains(&format!("dùng dòng {header_row} làm dòng tiêu đề cột")),
        "{err}"
    );
    assert_checks(site);
    let csv = std::fs::read_to_string(site.join("content/recoveries/2025-q4.csv")).unwrap();
    assert!(csv.contains("1234567000") && csv.contains("120.5"), "{csv}");
    assert!(
        csv.contains("thanh-tra-tinh") && csv.contains("ubnd-xa-an-binh"),
        "{csv}"
    );
}

#[test]
fn ods_and_xls_reports_are_read_and_a_file_is_known_by_its_bytes_not_its_name() {
    let fixtures = fixture("spreadsheets");
    let site_ods = site();
    imports_the_two_report_rows(site_ods.path(), &fixtures.join("thu-hoi.ods"), 4);
    // An Excel 97-2003 file sent as "bao-cao.csv" is still read as Excel.
    let site_xls = site();
    let renamed = site_xls.path().join("bao-cao.csv");
    std::fs::copy(fixtures.join("thu-hoi.xls"), &renamed).unwrap();
    imports_the_two_report_rows(site_xls.path(), &renamed, 4);
}

#[test]
fn semicolon_separated_and_utf16_csv_files_are_read() {
    let rows = "BÁO CÁO KẾT QUẢ THU HỒI;;;;;;;;\n\
                Kỳ báo cáo;Đơn vị;Kiến nghị thu hồi (đồng);Đã thu hồi (đồng);Kiến nghị thu hồi đất (m²);Đã thu hồi đất (m²);Ghi chú;Ngày báo cáo;Người ký\n\
                2025-Q4;UBND xã An Bình;1500000000;1234567000;500;120.5;\"Nộp đợt 2; còn lại\";10/01/2026;Chủ tịch UBND xã\n\
                2025-Q4;thanh-tra-tinh;300000000;0;0;0;;10/01/2026;Chánh Thanh tra tỉnh\n";
    // Excel's "CSV UTF-8" in a Vietnamese locale: a BOM and semicolons.
    let site_utf8 = site();
    let utf8 = site_utf8.path().join("bao-cao.csv");
    std::fs::write(&utf8, format!("\u{feff}{rows}")).unwrap();
    imports_the_two_report_rows(site_utf8.path(), &utf8, 2);
    // Excel's "Unicode text": UTF-16 with a BOM.
    let site_utf16 = site();
    let utf16 = site_utf16.path().join("bao-cao.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(rows.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    imports_the_two_report_rows(site_utf16.path(), &utf16, 2);
    let o = import(&utf16, site_utf16.path(), &["--dry-run"]);
    assert!(
        stderr(&o).contains("the file is encoded in UTF-16LE; it was read and converted to UTF-8"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_damaged_workbook_or_a_binary_file_is_named_so_without_its_bytes() {
    let site = site();
    let damaged = site.path().join("so-lieu.xlsx");
    std::fs::write(&damaged, b"PK\x03\x04 this zip was cut short").unwrap();
    let err = import_expecting(1, &damaged, site.path(), &[]);
    assert!(
        err.contains("Tệp không phải tệp Excel hợp lệ (hỏng, hoặc không phải .xlsx)"),
        "{err}"
    );
    assert!(
        err.contains("this file is not a valid Excel file (damaged, or not .xlsx)"),
        "{err}"
    );
    assert!(!err.contains("EOCD") && !err.contains("Zip error"), "{err}");
    let pdf = site.path().join("so-lieu.csv");
    std::fs::write(&pdf, b"%PDF-1.7\n\x00\x01\x02\xcc\xec binary stream").unwrap();
    let err = import_expecting(1, &pdf, site.path(), &[]);
    assert!(
        err.contains("the file is neither a spreadsheet (.xlsx, .xls, .ods) nor a CSV file"),
        "{err}"
    );
    assert!(
        !err.contains("PDF"),
        "the file's bytes are not shown: {err}"
    );
}

/// A conclusions sheet with `headers` and one row per item of `rows`.
fn sheet_workbook(path: &std::path::Path, name: &str, headers: &[&str], rows: &[&[&str]]) {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet().set_name(name).unwrap();
    header_row(sheet, headers, &Format::new());
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_header_with_a_word_left_out_is_suggested_and_a_missing_column_said_once() {
    let site = site();
    let xlsx = site.path().join("ket-luan.xlsx");
    let mut headers = CONCLUSION_HEADERS;
    headers[2] = "Cơ quan";
    let row: &[&str] = &[
        "31/KL-TTr",
        "Kết luận thanh tra việc chi ngân sách",
        "thanh-tra-tinh",
        "01/03/2025",
        "Chánh Thanh tra tỉnh",
        "05/03/2025",
        "ubnd-xa-an-binh",
        "đất đai",
        "theo kế hoạch",
    ];
    let second: Vec<&str> = row
        .iter()
        .map(|c| if *c == "31/KL-TTr" { "32/KL-TTr" } else { c })
        .collect();
    sheet_workbook(&xlsx, "Kết luận", &headers, &[row, &second]);
    let err = import_expecting(1, &xlsx, site.path(), &[]);
    assert!(
        err.contains("Bỏ qua cột không nhận ra `Cơ quan` (Kết luận)"),
        "{err}"
    );
    assert!(
        err.contains("Có phải ý bạn là `Cơ quan ban hành`?"),
        "{err}"
    );
    assert!(err.contains("Did you mean `Cơ quan ban hành`?"), "{err}");
    // The column is missing, said once for the table, not once per row at A1.
    let missing = "Bảng `Kết luận` thiếu cột `issued_by` (Cơ quan ban hành), cột bắt buộc";
    assert_eq!(err.matches(missing).count(), 1, "{err}");
    assert!(
        err.contains(
            "the table `Kết luận` has no `issued_by` column (Cơ quan ban hành), which is required"
        ),
        "{err}"
    );
    assert!(!err.contains("column is empty"), "{err}");
    // The usual variants are understood as they are.
    headers[2] = "Cơ quan kết luận";
    sheet_workbook(&xlsx, "Kết luận", &headers, &[row]);
    let o = import(&xlsx, site.path(), &["--dry-run"]);
    let err = stderr(&o);
    assert!(
        !err.contains("Bỏ qua cột") && !err.contains("issued_by"),
        "{err}"
    );
}

/// A decisions CSV with one row per `(number, penalty, decided on)`.
fn decisions_csv(path: &std::path::Path, rows: &[(&str, &str, &str)]) {
    let mut text = String::from(
        "Số hiệu,Loại kỷ luật,Cơ quan quyết định,Ngày quyết định,Ngày công khai,Đối tượng,Họ và tên,Chức vụ,Lãnh đạo quản lý,Hình thức kỷ luật\n",
    );
    for (number, penalty, on) in rows {
        text.push_str(&format!(
            "{number},hành chính,ubnd-tinh,{on},20/12/2025,công chức,Lê Văn C,Kế toán xã An Bình,không,{penalty}\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn values_as_offices_write_them_are_read_and_slips_get_the_closest_value() {
    let site = site();
    let csv = site.path().join("ky-luat.csv");
    // The long form of a penalty and the three ways of writing a date.
    decisions_csv(
        &csv,
        &[
            ("21/QĐ-UBND", "kỷ luật cảnh cáo", "05-12-2025"),
            ("22/QĐ-UBND", "Hình thức: khiển trách", "06.12.2025"),
            ("23/QĐ-UBND", "buộc thôi việc", "07/12/2025"),
        ],
    );
    import_expecting(0, &csv, site.path(), &[]);
    let read = |n: &str| {
        std::fs::read_to_string(
            site.path()
                .join(format!("content/decisions/qd-2025-{n}-qd-ubnd.md")),
        )
        .unwrap()
    };
    assert!(
        read("21").contains("penalty: warning") && read("21").contains("decided_on: 2025-12-05")
    );
    assert!(
        read("22").contains("penalty: reprimand") && read("22").contains("decided_on: 2025-12-06")
    );
    assert_checks(site.path());

    // A slip gets the one closest value, not the list of nine; a date
    // written month first is explained.
    decisions_csv(&csv, &[("24/QĐ-UBND", "khien tranh", "06/13/2025")]);
    let err = import_expecting(1, &csv, site.path(), &[]);
    assert!(
        err.contains("`khien tranh` không phải hình thức kỷ luật hợp lệ"),
        "{err}"
    );
    assert!(
        err.contains("Có phải ý bạn là `khiển trách` (reprimand)?"),
        "{err}"
    );
    assert!(
        err.contains("Did you mean `khiển trách` (reprimand)?"),
        "{err}"
    );
    assert!(
        !err.contains("giải tán"),
        "not every value is listed: {err}"
    );
    assert!(
        err.contains("Ngày viết theo ngày/tháng/năm: có phải 13/06/2025?"),
        "{err}"
    );
    assert!(
        err.contains("Dates are day/month/year: did you mean 13/06/2025?"),
        "{err}"
    );
}

#[test]
fn money_with_commas_or_dots_for_thousands_is_read_and_a_fraction_is_explained() {
    let site = site();
    let csv = site.path().join("thu-hoi.csv");
    let header = RECOVERY_HEADERS.join(",");
    std::fs::write(
        &csv,
        format!("{header}\n2025-Q4,UBND xã An Bình,\"800,000,000\",800.000.000,0,0,,10/01/2026,Chủ tịch UBND xã\n"),
    )
    .unwrap();
    import_expecting(0, &csv, site.path(), &[]);
    let text = std::fs::read_to_string(site.path().join("content/recoveries/2025-q4.csv")).unwrap();
    assert_eq!(text.matches("800000000").count(), 2, "{text}");
    std::fs::write(
        &csv,
        format!("{header}\n2025-Q4,UBND xã An Bình,\"1,5\",0,0,0,,10/01/2026,Chủ tịch UBND xã\n"),
    )
    .unwrap();
    let err = import_expecting(1, &csv, site.path(), &[]);
    assert!(
        err.contains("800.000.000, 800,000,000 or 800000000"),
        "{err}"
    );
}

/// The `code` spans of a message, in order: what a message quotes must be
/// the same in both languages.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Every message and hint of human output, as (Vietnamese, English) pairs.
fn message_pairs(err: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = err.lines().collect();
    let mut pairs = Vec::new();
    let mut vi: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = line
            .strip_prefix("lỗi / error[")
            .or_else(|| line.strip_prefix("cảnh báo / warning["))
        {
            vi = rest.split_once("]: ").map(|(_, m)| m.to_string());
        } else if let Some(en) = line.trim_start().strip_prefix("╰ english: ") {
            pairs.push((
                vi.take().expect("a message before its English"),
                en.to_string(),
            ));
        } else if let Some(hint) = line.strip_prefix("gợi ý / help: ") {
            pairs.push((hint.to_string(), lines[i + 1].trim().to_string()));
        }
    }
    pairs
}

#[test]
fn every_import_message_has_the_same_shape_in_both_languages() {
    let site = site();
    let mut outputs = Vec::new();
    let csv = site.path().join("ky-luat.csv");
    decisions_csv(
        &csv,
        &[
            ("24/QĐ-UBND", "khien tranh", "06/13/2025"),
            ("25/QĐ-UBND", "zzz", "31/02/2025"),
        ],
    );
    outputs.push(stderr(&import(&csv, site.path(), &[])));
    let xlsx = site.path().join("ket-luan.xlsx");
    let mut headers = CONCLUSION_HEADERS;
    headers[2] = "Cơ quan";
    sheet_workbook(
        &xlsx,
        "Kết luận",
        &headers,
        &[&[
            "31/KL-TTr",
            "Kết luận",
            "x",
            "1/1/2025",
            "",
            "",
            "",
            "đất",
            "",
        ]],
    );
    outputs.push(stderr(&import(&xlsx, site.path(), &[])));
    titled_recovery_workbook(&xlsx);
    outputs.push(stderr(&import(&xlsx, site.path(), &["--dry-run"])));
    std::fs::write(&csv, b"%PDF\x00\x01").unwrap();
    outputs.push(stderr(&import(&csv, site.path(), &[])));
    let mut checked = 0;
    for err in &outputs {
        for (vi, en) in message_pairs(err) {
            assert!(!vi.is_empty() && !en.is_empty(), "{err}");
            assert_eq!(quoted(&vi), quoted(&en), "\n{vi}\n{en}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked} messages: {outputs:?}");
}
