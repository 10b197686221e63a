//! Disciplinary decisions and their subjects.

use super::Required::{self, No, Yes};
use super::conclusion::{DOCUMENTS, PUBLIC_CONTACT};
use super::{Schema, as_column, field, with_headers};

pub const DECISION: Schema = Schema {
    name: "decision",
    what: ("quyết định kỷ luật", "disciplinary decision"),
    fields: &[
        with_headers(
            field("id", No, "Mã quyết định trên cổng", "Id on the portal"),
            &["Mã", "Mã quyết định"],
        ),
        with_headers(
            field("number", Yes, "Số hiệu", "Document number"),
            &["Số hiệu", "Số quyết định", "Số"],
        ),
        with_headers(
            field(
                "track",
                Yes,
                "Loại kỷ luật (party, administrative)",
                "Discipline track",
            ),
            &["Loại kỷ luật"],
        ),
        with_headers(
            field(
                "authority",
                Yes,
                "Mã cơ quan quyết định",
                "Deciding agency id",
            ),
            &["Cơ quan quyết định", "Cấp quyết định"],
        ),
        with_headers(
            field("decided_on", Yes, "Ngày quyết định", "Date decided"),
            &["Ngày quyết định", "Ngày ký"],
        ),
        with_headers(
            field("published_on", Yes, "Ngày công khai", "Date published"),
            &["Ngày công khai"],
        ),
        field(
            "subject",
            Yes,
            "Đối tượng bị kỷ luật",
            "The disciplined subject",
        ),
        with_headers(
            field("penalty", Yes, "Hình thức kỷ luật", "Penalty"),
            &["Hình thức kỷ luật", "Hình thức"],
        ),
        with_headers(
            field(
                "related",
                No,
                "Kết luận liên quan (mã, cách nhau bởi ;)",
                "Related conclusions (ids, ;-separated)",
            ),
            &["Kết luận liên quan"],
        ),
        with_headers(field("session", No, "Kỳ họp", "Session"), &["Kỳ họp"]),
        field(
            "status",
            No,
            "Hiệu lực (in_force, lifted, annulled)",
            "Status",
        ),
        field(
            "status_on",
            Required::When("với lifted, annulled", "with lifted, annulled"),
            "Ngày thay đổi hiệu lực",
            "Date the status changed",
        ),
        field(
            "status_note",
            No,
            "Ghi chú về hiệu lực",
            "Note on the status",
        ),
        DOCUMENTS,
        PUBLIC_CONTACT,
    ],
};

pub const SUBJECT: Schema = Schema {
    name: "subject",
    what: ("đối tượng bị kỷ luật", "disciplined subject"),
    fields: &[
        as_column(
            field("type", Yes, "Cá nhân hay tổ chức", "Person or organisation"),
            "subject_type",
        ),
        as_column(
            with_headers(
                field(
                    "role",
                    Yes,
                    "Đối tượng theo luật",
                    "Legal status of the subject",
                ),
                &["Đối tượng", "Đối tượng kỷ luật"],
            ),
            "subject_role",
        ),
        as_column(
            with_headers(
                field("name", Yes, "Tên đối tượng", "Name of the subject"),
                &["Họ và tên", "Tên đối tượng", "Họ tên"],
            ),
            "subject_name",
        ),
        as_column(
            with_headers(
                field(
                    "position",
                    No,
                    "Chức vụ khi vi phạm",
                    "Position at the time",
                ),
                &["Chức vụ", "Chức vụ khi vi phạm"],
            ),
            "subject_position",
        ),
        as_column(
            with_headers(
                field(
                    "leader",
                    No,
                    "Giữ chức vụ lãnh đạo, quản lý khi vi phạm (true/false)",
                    "Held a leading or managing post at the time (true/false)",
                ),
                &["Lãnh đạo, quản lý", "Giữ chức vụ lãnh đạo, quản lý"],
            ),
            "subject_leader",
        ),
        as_column(
            with_headers(
                field(
                    "agency",
                    No,
                    "Mã cơ quan của đối tượng",
                    "Subject's agency id",
                ),
                &["Đơn vị công tác", "Cơ quan, đơn vị"],
            ),
            "subject_agency",
        ),
    ],
};
