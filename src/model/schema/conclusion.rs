//! Inspection conclusions, their recommendations and each one's progress.

use super::Required::{self, No, Yes};
use super::{Field, Schema, as_column, field, with_headers};

/// The `documents` field of conclusions and decisions.
pub(super) const DOCUMENTS: Field = field(
    "documents",
    No,
    "Văn bản gốc công khai kèm (tệp trong content/files/)",
    "Source documents published with it (files under content/files/)",
);

pub const DOCUMENT: Schema = Schema {
    name: "document",
    what: ("văn bản gốc (documents)", "source document"),
    fields: &[
        field(
            "file",
            Yes,
            "Đường dẫn tệp trong content/files/ (tên chỉ gồm a-z, 0-9, - _ .)",
            "The file's path under content/files/ (names of a-z, 0-9, - _ . only)",
        ),
        field("title", Yes, "Tên văn bản", "The document's title"),
        field(
            "redacted",
            Yes,
            "Đã che thông tin cá nhân chưa (true/false; false thì cảnh báo)",
            "Whether personal data was redacted (true/false; false gets a warning)",
        ),
        field(
            "redaction_reason",
            No,
            "Đã che gì và theo căn cứ nào",
            "What was redacted, and on what grounds",
        ),
    ],
};

pub(super) const PUBLIC_CONTACT: Field = field(
    "public_contact",
    No,
    "Liên hệ được phép công khai riêng trong hồ sơ này",
    "Contacts this record may publish",
);

pub const CONCLUSION: Schema = Schema {
    name: "conclusion",
    what: ("kết luận thanh tra", "inspection conclusion"),
    fields: &[
        with_headers(
            field("id", No, "Mã kết luận trên cổng", "Id on the portal"),
            &["Mã", "Mã kết luận"],
        ),
        with_headers(
            field("number", Yes, "Số hiệu", "Document number"),
            &["Số hiệu", "Số kết luận", "Số"],
        ),
        with_headers(
            field("title", Yes, "Tên kết luận", "Title"),
            &["Tên kết luận", "Trích yếu", "Tiêu đề"],
        ),
        with_headers(
            field("issued_by", Yes, "Mã cơ quan ban hành", "Issuing agency id"),
            &[
                "Cơ quan ban hành",
                "Cơ quan thanh tra",
                "Cơ quan kết luận",
                "Đơn vị ban hành",
            ],
        ),
        with_headers(
            field(
                "signed_on",
                Yes,
                "Ngày ký (ISO 8601)",
                "Date signed (ISO 8601)",
            ),
            &["Ngày ký", "Ngày kết luận", "Ngày ban hành"],
        ),
        with_headers(
            field("signed_by", Yes, "Người ký", "Signed by"),
            &["Người ký"],
        ),
        with_headers(
            field("published_on", Yes, "Ngày công khai", "Date published"),
            &["Ngày công khai"],
        ),
        with_headers(
            field(
                "inspected",
                Yes,
                "Mã đối tượng thanh tra",
                "Inspected agency id",
            ),
            &["Đối tượng thanh tra", "Đơn vị được thanh tra"],
        ),
        with_headers(field("sector", Yes, "Lĩnh vực", "Sector"), &["Lĩnh vực"]),
        with_headers(
            field(
                "kind",
                Yes,
                "Loại cuộc thanh tra (planned, ad_hoc)",
                "Kind of inspection",
            ),
            &["Loại cuộc thanh tra", "Hình thức thanh tra"],
        ),
        with_headers(
            field(
                "source",
                No,
                "Nguồn: inspection (mặc định), party_inspection, party_supervision, state_audit",
                "Source: inspection (default), party_inspection, party_supervision, state_audit",
            ),
            &["Nguồn", "Nguồn kết luận"],
        ),
        with_headers(
            field(
                "status",
                No,
                "Hiệu lực: in_force (mặc định) hoặc withdrawn (đã hủy bỏ)",
                "Status: in_force (default) or withdrawn",
            ),
            &["Hiệu lực"],
        ),
        with_headers(
            field(
                "status_on",
                Required::When("khi withdrawn", "when withdrawn"),
                "Ngày hủy bỏ kết luận",
                "Date it was withdrawn",
            ),
            &["Ngày hủy bỏ"],
        ),
        as_column(
            with_headers(
                field(
                    "note",
                    No,
                    "Ghi chú về hiệu lực (lý do, văn bản hủy bỏ)",
                    "Note on the status (why, by which document)",
                ),
                &["Ghi chú hiệu lực"],
            ),
            "status_note",
        ),
        field("period", No, "Thời kỳ thanh tra", "Period inspected"),
        field("violations", No, "Sai phạm phát hiện", "Violations found"),
        field(
            "recommendations",
            Yes,
            "Các kiến nghị (có thể rỗng: [])",
            "The recommendations (may be empty: [])",
        ),
        DOCUMENTS,
        PUBLIC_CONTACT,
    ],
};

pub const PERIOD: Schema = Schema {
    name: "period",
    what: ("thời kỳ thanh tra", "inspected period"),
    fields: &[
        as_column(
            with_headers(
                field(
                    "from",
                    Yes,
                    "Đầu thời kỳ thanh tra",
                    "Start of the period inspected",
                ),
                &["Thời kỳ thanh tra từ", "Từ ngày"],
            ),
            "period_from",
        ),
        as_column(
            with_headers(
                field(
                    "to",
                    Yes,
                    "Cuối thời kỳ thanh tra",
                    "End of the period inspected",
                ),
                &["Thời kỳ thanh tra đến", "Đến ngày"],
            ),
            "period_to",
        ),
    ],
};

pub const VIOLATIONS: Schema = Schema {
    name: "violations",
    what: ("sai phạm phát hiện", "violations found"),
    fields: &[
        as_column(
            with_headers(
                field(
                    "money_vnd",
                    No,
                    "Tiền sai phạm phát hiện (đồng)",
                    "Money found in violation (đồng)",
                ),
                &["Tiền sai phạm (đồng)", "Sai phạm về tiền (đồng)"],
            ),
            "violations_money_vnd",
        ),
        as_column(
            with_headers(
                field(
                    "land_m2",
                    No,
                    "Đất sai phạm phát hiện (m²)",
                    "Land found in violation (m²)",
                ),
                &["Đất sai phạm (m²)", "Sai phạm về đất (m²)"],
            ),
            "violations_land_m2",
        ),
    ],
};

pub const RECOMMENDATION: Schema = Schema {
    name: "recommendation",
    what: ("kiến nghị", "recommendation"),
    fields: &[
        with_headers(
            field(
                "id",
                Yes,
                "Mã kiến nghị trong kết luận",
                "Recommendation id within the conclusion",
            ),
            &["Mã kiến nghị", "Kiến nghị số", "Số thứ tự"],
        ),
        with_headers(
            field("kind", Yes, "Loại kiến nghị", "Kind of recommendation"),
            &["Loại kiến nghị"],
        ),
        with_headers(
            field("text", Yes, "Nội dung", "Text"),
            &["Nội dung kiến nghị"],
        ),
        with_headers(
            field(
                "responsible",
                Yes,
                "Mã đơn vị thực hiện",
                "Responsible agency id",
            ),
            &["Đơn vị thực hiện", "Đơn vị chủ trì"],
        ),
        with_headers(
            field("due", No, "Thời hạn", "Due date"),
            &["Thời hạn", "Hạn thực hiện"],
        ),
        with_headers(
            field(
                "amount_vnd",
                Required::When("với recover_money", "for recover_money"),
                "Tiền kiến nghị thu hồi (đồng)",
                "Money to recover (đồng)",
            ),
            &[
                "Số tiền kiến nghị thu hồi (đồng)",
                "Kiến nghị thu hồi (đồng)",
            ],
        ),
        with_headers(
            field(
                "land_m2",
                Required::When("với recover_land", "for recover_land"),
                "Đất kiến nghị thu hồi (m²)",
                "Land to recover (m²)",
            ),
            &[
                "Diện tích kiến nghị thu hồi (m²)",
                "Kiến nghị thu hồi đất (m²)",
            ],
        ),
        field(
            "decisions",
            No,
            "Quyết định đã thực hiện kiến nghị (mã, cách nhau bởi ;)",
            "Decisions that carried it out (ids, ;-separated)",
        ),
        field(
            "document",
            No,
            "Văn bản thực hiện",
            "Document that carried it out",
        ),
        field(
            "progress",
            No,
            "Diễn biến thực hiện, theo thứ tự thời gian",
            "The follow-up, in chronological order",
        ),
        field(
            "extensions",
            No,
            "Các lần gia hạn, theo thứ tự thời gian",
            "Extensions of the due date, in chronological order",
        ),
        field(
            "case",
            No,
            "Diễn biến vụ việc sau khi chuyển cơ quan điều tra",
            "What became of a case referred to investigators",
        ),
    ],
};

pub const EXTENSION: Schema = Schema {
    name: "extension",
    what: ("lần gia hạn", "extension"),
    fields: &[
        field("to", Yes, "Thời hạn mới", "The new due date"),
        field(
            "document",
            Yes,
            "Văn bản cho gia hạn (số hiệu)",
            "The document that granted it (its number)",
        ),
        field("on", Yes, "Ngày của văn bản", "Date of the document"),
    ],
};

pub const CASE: Schema = Schema {
    name: "case",
    what: ("bước của vụ việc", "stage of the case"),
    fields: &[
        field("on", Yes, "Ngày", "Date"),
        field(
            "stage",
            Yes,
            "Giai đoạn: received, prosecuted, indicted, tried, judgment_enforced, dropped",
            "Stage: received, prosecuted, indicted, tried, judgment_enforced, dropped",
        ),
        field("document", No, "Văn bản (số hiệu)", "Document (its number)"),
        field(
            "recovered_vnd",
            No,
            "Tiền thu hồi theo bản án, cộng dồn (đồng)",
            "Money recovered by judgment so far (đồng)",
        ),
        field("note", No, "Ghi chú", "Note"),
    ],
};

pub const PROGRESS: Schema = Schema {
    name: "progress",
    what: ("bước theo dõi (progress)", "progress entry"),
    fields: &[
        as_column(
            with_headers(
                field("on", Yes, "Ngày của bước", "Date of the step"),
                &["Ngày cập nhật"],
            ),
            "status_on",
        ),
        with_headers(
            field(
                "status",
                Yes,
                "Trạng thái (not_started, in_progress, done, cannot_complete)",
                "Status",
            ),
            &["Trạng thái", "Tình hình thực hiện"],
        ),
        with_headers(
            field(
                "recovered_vnd",
                No,
                "Tiền đã thu hồi, cộng dồn (đồng)",
                "Money recovered so far (đồng)",
            ),
            &["Đã thu hồi (đồng)"],
        ),
        with_headers(
            field(
                "recovered_land_m2",
                No,
                "Đất đã thu hồi, cộng dồn (m²)",
                "Land recovered so far (m²)",
            ),
            &["Đã thu hồi đất (m²)"],
        ),
        with_headers(field("note", No, "Ghi chú", "Note"), &["Ghi chú"]),
        with_headers(
            field(
                "evidence",
                No,
                "Chứng cứ (thiếu khi done thì cảnh báo)",
                "Evidence (a warning when done without it)",
            ),
            &["Chứng cứ", "Văn bản chứng minh"],
        ),
    ],
};
