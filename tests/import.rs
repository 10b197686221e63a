//! `congkhai import` with real workbooks written by a spreadsheet library.

mod common;

use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("valid"), dir.path());
    dir
}

const RECOVERY_HEADERS: [&str; 7] = [
    "Kỳ báo cáo",
    "Đơn vị",
    "Kiến nghị thu hồi (đồng)",
    "Đã thu hồi (đồng)",
    "Kiến nghị thu hồi đất (m²)",
    "Đã thu hồi đất (m²)",
    "Ghi chú",
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
    let o = import(&xlsx, site.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("content/recoveries/2025-q4.csv ← Thu hồi!2, Thu hồi!3"),
        "{}",
        stderr(&o)
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
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out.join("data/recoveries.json")).unwrap()).unwrap();
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
    let o = import(&xlsx, site.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
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
fn existing_files_are_not_replaced_without_force() {
    let site = site();
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
    let o = import(&xlsx, site.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/recoveries/2025-q3.csv") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    let o = import(&xlsx, site.path(), &["--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(site.path().join("content/recoveries/2025-q3.csv")).unwrap();
    assert!(text.contains("1300") && text.contains("Cập nhật"), "{text}");
}

#[test]
fn conclusions_with_a_recommendations_sheet_and_decisions() {
    let site = site();
    let xlsx = site.path().join("ket-luan.xlsx");
    let mut wb = Workbook::new();
    let date = |y, m, d| ExcelDateTime::from_ymd(y, m, d).unwrap();
    let dfmt = Format::new().set_num_format("dd/mm/yyyy");
    let kl = wb.add_worksheet().set_name("Kết luận").unwrap();
    header_row(
        kl,
        &[
            "Số hiệu",
            "Tên kết luận",
            "Cơ quan ban hành",
            "Ngày ký",
            "Người ký",
            "Ngày công khai",
            "Đối tượng thanh tra",
            "Lĩnh vực",
            "Loại cuộc thanh tra",
            "Nội dung",
        ],
        &Format::new(),
    );
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
    let o = import(&xlsx, site.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text =
        std::fs::read_to_string(site.path().join("content/conclusions/kl-2025-20-kl-ttr.md"))
            .unwrap();
    assert!(
        text.contains("signed_on: 2025-11-03") && text.contains("published_on: 2025-11-07"),
        "{text}"
    );
    assert!(
        text.contains("sector: finance_budget") && text.contains("kind: planned"),
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
        "So hieu,Loai ky luat,Co quan quyet dinh,Ngay quyet dinh,Ngay cong khai,Doi tuong,Ho va ten,Chuc vu,Hinh thuc ky luat,Ket luan lien quan\n\
         12/QĐ-UBND,hanh chinh,ubnd-tinh,05/12/2025,10/12/2025,cong chuc,Lê Văn C,Kế toán xã An Bình,khien trach,kl-2025-20-kl-ttr\n",
    )
    .unwrap();
    let o = import(&csv, site.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(site.path().join("content/decisions/qd-2025-12-qd-ubnd.md"))
        .unwrap();
    assert!(
        text.contains("penalty: reprimand")
            && text.contains("role: civil_servant")
            && text.contains("related: [\"kl-2025-20-kl-ttr\"]"),
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
    let o = import(&csv, site.path(), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
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
