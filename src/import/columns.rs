//! The columns of each importable table, in English and Vietnamese, and the
//! recognition of a table's record type from its header row.

use crate::diag::Code;
use std::path::Path;

use crate::diag::{Diagnostic, Severity, msg};
use crate::load::RawTable;
use crate::model::recovery::{COLUMNS as RECOVERY, column_key};

/// The kinds of table an import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Recoveries,
    Conclusions,
    Recommendations,
    Decisions,
}

pub const CONCLUSIONS: &[(&str, &[&str])] = &[
    ("id", &["Mã", "Mã kết luận"]),
    ("number", &["Số hiệu", "Số kết luận", "Số"]),
    ("title", &["Tên kết luận", "Trích yếu", "Tiêu đề"]),
    ("issued_by", &["Cơ quan ban hành", "Cơ quan thanh tra"]),
    ("signed_on", &["Ngày ký"]),
    ("signed_by", &["Người ký"]),
    ("published_on", &["Ngày công khai"]),
    (
        "inspected",
        &["Đối tượng thanh tra", "Đơn vị được thanh tra"],
    ),
    ("sector", &["Lĩnh vực"]),
    ("kind", &["Loại cuộc thanh tra", "Hình thức thanh tra"]),
    ("period_from", &["Thời kỳ thanh tra từ", "Từ ngày"]),
    ("period_to", &["Thời kỳ thanh tra đến", "Đến ngày"]),
    (
        "violations_money_vnd",
        &["Tiền sai phạm (đồng)", "Sai phạm về tiền (đồng)"],
    ),
    (
        "violations_land_m2",
        &["Đất sai phạm (m²)", "Sai phạm về đất (m²)"],
    ),
    ("body", &["Nội dung", "Nội dung kết luận", "Tóm tắt"]),
];

pub const RECOMMENDATIONS: &[(&str, &[&str])] = &[
    (
        "conclusion",
        &["Kết luận", "Số hiệu kết luận", "Số kết luận"],
    ),
    ("id", &["Mã kiến nghị", "Kiến nghị số", "Số thứ tự"]),
    ("kind", &["Loại kiến nghị"]),
    ("text", &["Nội dung kiến nghị"]),
    ("responsible", &["Đơn vị thực hiện", "Đơn vị chủ trì"]),
    ("due", &["Thời hạn", "Hạn thực hiện"]),
    (
        "amount_vnd",
        &[
            "Số tiền kiến nghị thu hồi (đồng)",
            "Kiến nghị thu hồi (đồng)",
        ],
    ),
    (
        "land_m2",
        &[
            "Diện tích kiến nghị thu hồi (m²)",
            "Kiến nghị thu hồi đất (m²)",
        ],
    ),
    ("status", &["Trạng thái", "Tình hình thực hiện"]),
    ("status_on", &["Ngày cập nhật"]),
    ("recovered_vnd", &["Đã thu hồi (đồng)"]),
    ("recovered_land_m2", &["Đã thu hồi đất (m²)"]),
    ("note", &["Ghi chú"]),
    ("evidence", &["Chứng cứ", "Văn bản chứng minh"]),
];

pub const DECISIONS: &[(&str, &[&str])] = &[
    ("id", &["Mã", "Mã quyết định"]),
    ("number", &["Số hiệu", "Số quyết định", "Số"]),
    ("track", &["Loại kỷ luật"]),
    ("authority", &["Cơ quan quyết định", "Cấp quyết định"]),
    ("decided_on", &["Ngày quyết định", "Ngày ký"]),
    ("published_on", &["Ngày công khai"]),
    ("subject_role", &["Đối tượng", "Đối tượng kỷ luật"]),
    ("subject_name", &["Họ và tên", "Tên đối tượng", "Họ tên"]),
    ("subject_position", &["Chức vụ", "Chức vụ khi vi phạm"]),
    ("subject_agency", &["Đơn vị công tác", "Cơ quan, đơn vị"]),
    ("penalty", &["Hình thức kỷ luật", "Hình thức"]),
    ("related", &["Kết luận liên quan"]),
    ("session", &["Kỳ họp"]),
    ("body", &["Nội dung vi phạm", "Nội dung"]),
];

/// The columns a type cannot do without; they also identify it.
fn required(kind: Col) -> &'static [&'static str] {
    match kind {
        Col::Recoveries => &["period", "agency", "recommended_vnd", "recovered_vnd"],
        Col::Conclusions => &["number", "title", "signed_on", "inspected"],
        Col::Recommendations => &["conclusion", "text", "responsible"],
        Col::Decisions => &["number", "penalty", "subject_name"],
    }
}

fn dictionary(kind: Col) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        Col::Recoveries => RECOVERY,
        Col::Conclusions => CONCLUSIONS,
        Col::Recommendations => RECOMMENDATIONS,
        Col::Decisions => DECISIONS,
    }
}

/// A table with its type and each header's column key.
pub struct Table<'t> {
    pub raw: &'t RawTable,
    pub kind: Col,
    pub keys: Vec<Option<&'static str>>,
}

/// Recognises a table by the type whose required columns its header has.
pub fn detect<'t>(
    raw: &'t RawTable,
    diags: &mut Vec<Diagnostic>,
    file: &Path,
) -> Option<Table<'t>> {
    let mut best: Option<(usize, Col, Vec<Option<&'static str>>)> = None;
    for kind in [
        Col::Recoveries,
        Col::Recommendations,
        Col::Decisions,
        Col::Conclusions,
    ] {
        let keys: Vec<Option<&'static str>> = raw
            .headers
            .iter()
            .map(|h| column_key(dictionary(kind), &h.name))
            .collect();
        if required(kind).iter().all(|r| keys.contains(&Some(*r))) {
            let score = keys.iter().flatten().count();
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, kind, keys));
            }
        }
    }
    let sheet = raw.sheet.as_deref().unwrap_or("CSV");
    match best {
        Some((_, kind, keys)) => {
            for (h, k) in raw.headers.iter().zip(&keys) {
                if k.is_none() && !h.name.trim().is_empty() {
                    diags.push(Diagnostic::for_path(
                        Severity::Warning,
                        Code::Import,
                        &crate::source::display_path(file),
                        msg(
                            format!("Bỏ qua cột không nhận ra `{}` ({sheet})", h.name),
                            format!("ignoring the unrecognised column `{}` ({sheet})", h.name),
                        ),
                    ));
                }
            }
            Some(Table { raw, kind, keys })
        }
        None => {
            let expected = "period/Kỳ báo cáo, agency/Đơn vị, … | number/Số hiệu, title/Tên kết luận, … | number, penalty/Hình thức kỷ luật, subject_name/Họ và tên, …";
            diags.push(Diagnostic::for_path(
                Severity::Error,
                Code::Import,
                &crate::source::display_path(file),
                msg(
                    format!("Không nhận ra loại bảng `{sheet}` từ dòng tiêu đề; các cột cần có: {expected}"),
                    format!("cannot tell what the table `{sheet}` holds from its header row; expected columns: {expected}"),
                ),
            ));
            None
        }
    }
}
