//! The open data's own columns, and which record types each dataset holds.

use super::Schema;
use super::conclusion::{
    CASE, CONCLUSION, EXTENSION, PERIOD, PROGRESS, RECOMMENDATION, VIOLATIONS,
};
use super::decision::{DECISION, SUBJECT};
use super::others::{AGENCY, RECOVERY};

/// A column the open data adds to a record's own fields (derived as of the
/// build date, or joined from another record).
#[derive(Debug, Clone, Copy)]
pub struct Derived {
    pub dataset: &'static str,
    pub column: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

const fn derived(
    dataset: &'static str,
    column: &'static str,
    vi: &'static str,
    en: &'static str,
) -> Derived {
    Derived {
        dataset,
        column,
        vi,
        en,
    }
}

/// The open data's own columns; they take precedence over a field of the
/// same name (the recommendations' `recovered_vnd` is the total so far).
pub const DERIVED: &[Derived] = &[
    derived(
        "conclusions",
        "recommendations",
        "Số kiến nghị",
        "Number of recommendations",
    ),
    derived(
        "conclusions",
        "recommendations_done",
        "Số kiến nghị đã hoàn thành",
        "Recommendations done",
    ),
    derived(
        "conclusions",
        "recommendations_overdue",
        "Số kiến nghị quá hạn",
        "Recommendations overdue",
    ),
    derived(
        "conclusions",
        "text_sha256",
        "Mã băm SHA-256 của nội dung kết luận (phần Markdown): đổi khi văn bản được sửa",
        "SHA-256 of the conclusion's text (its Markdown): changes when the text is edited",
    ),
    derived(
        "conclusions",
        "url",
        "Địa chỉ trên cổng",
        "Address on the portal",
    ),
    derived(
        "recommendations",
        "conclusion",
        "Mã kết luận",
        "Conclusion id",
    ),
    derived(
        "recommendations",
        "conclusion_number",
        "Số hiệu kết luận",
        "Conclusion number",
    ),
    derived(
        "recommendations",
        "status",
        "Trạng thái tính đến ngày lập dữ liệu",
        "Status as of the build date",
    ),
    derived(
        "recommendations",
        "source",
        "Nguồn của kết luận (inspection, party_inspection, party_supervision, state_audit)",
        "Source of the conclusion",
    ),
    derived(
        "recommendations",
        "responsible",
        "Mã đơn vị đang chịu trách nhiệm thực hiện (cơ quan kế thừa khi đơn vị được giao đã thôi hoạt động)",
        "Id of the agency answering for it now (the successor once the agency it was given to ceased to exist)",
    ),
    derived(
        "recommendations",
        "responsible_original",
        "Mã đơn vị được giao trong kết luận",
        "Id of the agency the conclusion gave it to",
    ),
    derived(
        "recommendations",
        "due",
        "Thời hạn đang áp dụng (sau các lần gia hạn)",
        "Due date in force (after extensions)",
    ),
    derived(
        "recommendations",
        "due_original",
        "Thời hạn ban đầu trong kết luận",
        "Original due date in the conclusion",
    ),
    derived(
        "recommendations",
        "extensions",
        "Số lần gia hạn (chi tiết trong bộ dữ liệu extensions)",
        "Number of extensions (details in the extensions dataset)",
    ),
    derived(
        "recommendations",
        "withdrawn",
        "Thuộc kết luận đã bị hủy bỏ: không tính vào chỉ tiêu",
        "Of a withdrawn conclusion: outside the targets",
    ),
    derived(
        "recommendations",
        "case_stage",
        "Giai đoạn hiện tại của vụ việc chuyển cơ quan điều tra (chi tiết trong bộ dữ liệu cases)",
        "Current stage of the referred case (details in the cases dataset)",
    ),
    derived(
        "recommendations",
        "case_recovered_vnd",
        "Tiền thu hồi theo bản án, cộng dồn (đồng)",
        "Money recovered by judgment so far (đồng)",
    ),
    derived("extensions", "conclusion", "Mã kết luận", "Conclusion id"),
    derived(
        "extensions",
        "recommendation",
        "Mã kiến nghị",
        "Recommendation id",
    ),
    derived("cases", "conclusion", "Mã kết luận", "Conclusion id"),
    derived("progress", "conclusion", "Mã kết luận", "Conclusion id"),
    derived(
        "progress",
        "recommendation",
        "Mã kiến nghị",
        "Recommendation id",
    ),
    derived(
        "cases",
        "recommendation",
        "Mã kiến nghị",
        "Recommendation id",
    ),
    derived(
        "agencies",
        "formerly",
        "Các tên cũ (cách nhau bởi ;)",
        "Former names (;-separated)",
    ),
    derived(
        "agencies",
        "inherited",
        "Số kiến nghị tiếp nhận từ cơ quan đã thôi hoạt động",
        "Recommendations taken over from agencies that ceased to exist",
    ),
    derived(
        "agencies",
        "extended",
        "Số kiến nghị được gia hạn",
        "Recommendations extended",
    ),
    derived(
        "recommendations",
        "overdue",
        "Quá hạn (true/false)",
        "Overdue (true/false)",
    ),
    derived(
        "recommendations",
        "days_overdue",
        "Số ngày quá hạn",
        "Days overdue",
    ),
    derived("recommendations", "done_on", "Ngày hoàn thành", "Date done"),
    derived(
        "recommendations",
        "on_time",
        "Hoàn thành đúng hạn (true/false; rỗng nếu chưa xong)",
        "Done on time (empty if not done)",
    ),
    derived(
        "recommendations",
        "recovered_vnd",
        "Tiền đã thu hồi, cộng dồn (đồng)",
        "Money recovered so far (đồng)",
    ),
    derived(
        "recommendations",
        "recovered_land_m2",
        "Đất đã thu hồi, cộng dồn (m²)",
        "Land recovered so far (m²)",
    ),
    derived(
        "recommendations",
        "updated_on",
        "Ngày cập nhật gần nhất",
        "Date of the last update",
    ),
    derived("decisions", "basis", "Căn cứ pháp lý", "Legal basis"),
    derived(
        "decisions",
        "text_sha256",
        "Mã băm SHA-256 của nội dung quyết định (phần Markdown): đổi khi văn bản được sửa",
        "SHA-256 of the decision's text (its Markdown): changes when the text is edited",
    ),
    derived(
        "decisions",
        "url",
        "Địa chỉ trên cổng",
        "Address on the portal",
    ),
    derived(
        "agencies",
        "recommendations",
        "Số kiến nghị phải thực hiện",
        "Recommendations to carry out",
    ),
    derived(
        "agencies",
        "due",
        "Số kiến nghị đã đến hạn",
        "Recommendations due",
    ),
    derived(
        "agencies",
        "done_on_time",
        "Số kiến nghị hoàn thành đúng hạn",
        "Done on time",
    ),
    derived(
        "agencies",
        "done_late",
        "Số kiến nghị hoàn thành trễ hạn",
        "Done late",
    ),
    derived("agencies", "overdue", "Số kiến nghị quá hạn", "Overdue"),
    derived(
        "agencies",
        "on_time_rate",
        "Tỷ lệ đúng hạn (0–1)",
        "On-time rate (0–1)",
    ),
    derived(
        "agencies",
        "meets_target",
        "Đạt chỉ tiêu đúng hạn",
        "Meets the on-time target",
    ),
    derived(
        "agencies",
        "money_recommended_vnd",
        "Tiền kiến nghị thu hồi theo kết luận đã công khai (đồng)",
        "Money to recover, by the published conclusions (đồng)",
    ),
    derived(
        "agencies",
        "money_recovered_vnd",
        "Tiền đã thu hồi theo kết luận đã công khai (đồng)",
        "Money recovered, by the published conclusions (đồng)",
    ),
    derived(
        "agencies",
        "reported_money_recommended_vnd",
        "Tiền kiến nghị thu hồi theo báo cáo định kỳ (đồng)",
        "Money to recover, by the periodic reports (đồng)",
    ),
    derived(
        "agencies",
        "reported_money_recovered_vnd",
        "Tiền đã thu hồi theo báo cáo định kỳ (đồng)",
        "Money recovered, by the periodic reports (đồng)",
    ),
    derived(
        "recoveries",
        "counted",
        "Được cộng vào số liệu theo báo cáo định kỳ (không trùng thời gian với báo cáo khác của đơn vị)",
        "Added to the figures by the periodic reports (not overlapping another report of the agency)",
    ),
    derived(
        "agencies",
        "url",
        "Địa chỉ trên cổng",
        "Address on the portal",
    ),
];

/// What each dataset is, and the schemas whose fields are its columns.
pub const DATASETS: &[(&str, (&str, &str), &[&Schema])] = &[
    (
        "conclusions",
        ("Một kết luận thanh tra", "An inspection conclusion."),
        &[&CONCLUSION, &PERIOD, &VIOLATIONS],
    ),
    (
        "recommendations",
        (
            "Một kiến nghị và tình trạng thực hiện",
            "A recommendation and its follow-up.",
        ),
        &[&RECOMMENDATION],
    ),
    (
        "progress",
        (
            "Một bước theo dõi thực hiện kiến nghị (lịch sử trạng thái)",
            "One progress entry of a recommendation (its status history).",
        ),
        &[&PROGRESS],
    ),
    (
        "extensions",
        (
            "Một lần gia hạn thời hạn thực hiện kiến nghị",
            "One extension of a recommendation's due date.",
        ),
        &[&EXTENSION],
    ),
    (
        "cases",
        (
            "Một bước của vụ việc chuyển cơ quan điều tra",
            "One stage of a case referred to investigators.",
        ),
        &[&CASE],
    ),
    (
        "decisions",
        ("Một quyết định kỷ luật", "A disciplinary decision."),
        &[&DECISION, &SUBJECT],
    ),
    (
        "recoveries",
        (
            "Số liệu thu hồi của một đơn vị trong một kỳ",
            "One agency's recovery figures for one period.",
        ),
        &[&RECOVERY],
    ),
    (
        "agencies",
        (
            "Một cơ quan, đơn vị và bảng theo dõi của nó",
            "An agency and its scorecard.",
        ),
        &[&AGENCY],
    ),
];

/// The description of a dataset's column: its own derived column first,
/// then the field whose column it is.
pub fn column(dataset: &str, name: &str) -> Option<(&'static str, &'static str)> {
    if let Some(d) = DERIVED
        .iter()
        .find(|d| d.dataset == dataset && d.column == name)
    {
        return Some((d.vi, d.en));
    }
    let (_, _, schemas) = DATASETS.iter().find(|(n, _, _)| *n == dataset)?;
    schemas
        .iter()
        .flat_map(|s| s.fields.iter())
        .find(|f| f.column() == name)
        .map(|f| (f.vi, f.en))
}

/// What a dataset's rows are, in both languages.
pub fn dataset(name: &str) -> Option<(&'static str, &'static str)> {
    DATASETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, w, _)| *w)
}
