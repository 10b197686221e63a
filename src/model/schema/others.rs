//! Recovery figures, agencies and free pages.

use super::Required::{No, Yes};
use super::conclusion::PUBLIC_CONTACT;
use super::{Schema, field, with_headers};

pub const RECOVERY: Schema = Schema {
    name: "recovery",
    what: ("dòng số liệu thu hồi", "row of recovery figures"),
    fields: &[
        with_headers(
            field(
                "period",
                Yes,
                "Kỳ báo cáo (YYYY, YYYY-Qn, YYYY-MM, YYYY-H1, YYYY-9M)",
                "Reporting period",
            ),
            &["Kỳ báo cáo", "Kỳ", "Thời kỳ"],
        ),
        with_headers(
            field("agency", Yes, "Mã đơn vị", "Agency id"),
            &["Đơn vị", "Cơ quan", "Mã đơn vị"],
        ),
        with_headers(
            field(
                "recommended_vnd",
                Yes,
                "Tiền kiến nghị thu hồi (đồng)",
                "Money recommended for recovery (đồng)",
            ),
            &[
                "Kiến nghị thu hồi (đồng)",
                "Kiến nghị thu hồi tiền (đồng)",
                "Số tiền kiến nghị thu hồi",
            ],
        ),
        with_headers(
            field(
                "recovered_vnd",
                Yes,
                "Tiền đã thu hồi (đồng)",
                "Money recovered (đồng)",
            ),
            &[
                "Đã thu hồi (đồng)",
                "Đã thu hồi tiền (đồng)",
                "Số tiền đã thu hồi",
            ],
        ),
        with_headers(
            field(
                "recommended_land_m2",
                No,
                "Đất kiến nghị thu hồi (m²)",
                "Land recommended for recovery (m²)",
            ),
            &["Kiến nghị thu hồi đất (m²)", "Đất kiến nghị thu hồi (m²)"],
        ),
        with_headers(
            field(
                "recovered_land_m2",
                No,
                "Đất đã thu hồi (m²)",
                "Land recovered (m²)",
            ),
            &["Đã thu hồi đất (m²)", "Đất đã thu hồi (m²)"],
        ),
        with_headers(
            field(
                "reported_on",
                Yes,
                "Ngày ký báo cáo (sau ngày chốt số liệu của kỳ)",
                "Date the report was signed (after the period's cut-off)",
            ),
            &["Ngày báo cáo", "Ngày ký báo cáo"],
        ),
        with_headers(
            field(
                "signed_by",
                Yes,
                "Người ký báo cáo (chức vụ, họ tên)",
                "Who signed the report (post, name)",
            ),
            &["Người ký", "Người ký báo cáo"],
        ),
        with_headers(field("note", No, "Ghi chú", "Note"), &["Ghi chú"]),
    ],
};

pub const AGENCY: Schema = Schema {
    name: "agency",
    what: ("cơ quan", "agency"),
    fields: &[
        field("id", Yes, "Mã cơ quan", "Agency id"),
        field("name", Yes, "Tên", "Name"),
        field(
            "short_name",
            No,
            "Tên ngắn (bảng, biểu đồ)",
            "Short name (tables, charts)",
        ),
        field("kind", Yes, "Loại cơ quan", "Kind of agency"),
        field("parent", No, "Mã cơ quan cấp trên", "Parent agency id"),
        field(
            "dissolved_on",
            No,
            "Ngày thôi hoạt động (giải thể, sáp nhập): ngày đầu tiên cơ quan không còn",
            "Day it ceased to exist (dissolved, merged): its first day gone",
        ),
        field(
            "successor",
            No,
            "Mã cơ quan kế thừa, tiếp nhận kiến nghị còn dở",
            "Id of the successor, which takes over unfinished recommendations",
        ),
        field(
            "renamed_from",
            No,
            "Tên cũ (khi cơ quan đổi tên)",
            "Former name (when the agency was renamed)",
        ),
        field(
            "formerly",
            No,
            "Các tên cũ, được tìm kiếm và hiển thị",
            "Former names, searchable and shown",
        ),
        field(
            "phone",
            No,
            "Điện thoại chính thức (được phép công khai)",
            "Official phone (may be published)",
        ),
        field(
            "email",
            No,
            "Thư điện tử chính thức (được phép công khai)",
            "Official e-mail (may be published)",
        ),
        field("website", No, "Trang thông tin điện tử", "Website"),
        field("address", No, "Địa chỉ", "Address"),
    ],
};

pub const PAGE: Schema = Schema {
    name: "page",
    what: ("trang", "page"),
    fields: &[
        field(
            "id",
            No,
            "Mã trang (mặc định: tên tệp)",
            "Page id (default: the file name)",
        ),
        field("title", Yes, "Tiêu đề", "Title"),
        field(
            "title_en",
            No,
            "Tiêu đề tiếng Anh (trang tiếng Anh; không có thì hiện tiêu đề tiếng Việt)",
            "English title (for the English side; without it the Vietnamese one shows)",
        ),
        field("description", No, "Mô tả", "Description"),
        field(
            "weight",
            No,
            "Thứ tự trong chân trang (nhỏ trước)",
            "Order in the footer (smaller first)",
        ),
        PUBLIC_CONTACT,
    ],
};
