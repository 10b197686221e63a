//! Every diagnostic code, in one registry: its id (stable, kebab-case, what
//! editors, CI scripts and `--format json` see), whether it is usually an
//! error or a warning, and what it means — from which `docs/ma-loi.md` is
//! generated, as rustc and cargo keep an index of their error codes.

use serde::Serialize;

/// How a code is usually reported (a diagnostic carries its own severity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usually {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $usually:ident, $vi:literal, $en:literal; )*) => {
        /// A diagnostic code. See `docs/ma-loi.md` for the index.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order of the index.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable id: `unknown-key`.
            pub fn id(self) -> &'static str {
                match self { $( Code::$variant => $id, )* }
            }

            /// Whether it is usually an error or a warning.
            pub fn usually(self) -> Usually {
                match self { $( Code::$variant => Usually::$usually, )* }
            }

            /// What the code means, in Vietnamese and English.
            pub fn about(self) -> (&'static str, &'static str) {
                match self { $( Code::$variant => ($vi, $en), )* }
            }
        }
    };
}

codes! {
    // Reading files
    MissingFile = "missing-file", Error, "Thiếu tệp bắt buộc (congkhai.toml, content/agencies.yaml).", "A required file is missing (congkhai.toml, content/agencies.yaml).";
    Io = "io", Error, "Không đọc hoặc ghi được tệp (quyền, ổ đĩa).", "A file could not be read or written (permissions, disk).";
    TooLarge = "too-large", Error, "Tệp lớn hơn giới hạn (4 MiB văn bản, 32 MiB Excel).", "The file is larger than the limit (4 MiB text, 32 MiB workbook).";
    EmptyFile = "empty-file", Error, "Tệp rỗng.", "The file is empty.";
    Encoding = "encoding", Error, "Tệp không phải văn bản UTF-8.", "The file is not UTF-8 text.";
    UnknownFile = "unknown-file", Warning, "Tệp trong content/ không thuộc loại nội dung nào, bị bỏ qua.", "A file in content/ is not of any content type and is ignored.";
    LinkSkipped = "link-skipped", Warning, "Liên kết tượng trưng ra ngoài thư mục của cổng hoặc tới thư mục: bị bỏ qua, không đọc.", "A symbolic link out of the site or to a folder: skipped, not read.";
    // Syntax
    FrontMatter = "front-matter", Error, "Thiếu hoặc hỏng phần đầu YAML giữa hai dòng `---`.", "The YAML front matter between `---` lines is missing or broken.";
    YamlSyntax = "yaml-syntax", Error, "YAML sai cú pháp.", "Malformed YAML.";
    YamlLimit = "yaml-limit", Error, "YAML lồng quá sâu hoặc quá nhiều giá trị sau khi mở rộng bí danh.", "YAML nested too deep, or too many values once aliases are expanded.";
    TomlSyntax = "toml-syntax", Error, "congkhai.toml sai cú pháp.", "Malformed congkhai.toml.";
    CsvSyntax = "csv-syntax", Error, "CSV sai cú pháp.", "Malformed CSV.";
    Xlsx = "xlsx", Error, "Tệp Excel hỏng, không phải .xlsx, hoặc vượt giới hạn khi giải nén.", "A damaged workbook, not an .xlsx, or over the limits once decompressed.";
    XlsxHidden = "xlsx-hidden", Warning, "Trang tính ẩn hoặc dòng ẩn bị bỏ qua.", "A hidden sheet or hidden rows were skipped.";
    DuplicateKey = "duplicate-key", Error, "Một khóa xuất hiện hai lần trong cùng một bảng.", "A key appears twice in one mapping.";
    // Fields
    UnknownKey = "unknown-key", Error, "Khóa không có trong định dạng (kèm gợi ý khóa gần nhất).", "A key the format does not have (with the closest one suggested).";
    MissingField = "missing-field", Error, "Thiếu trường bắt buộc.", "A required field is missing.";
    EmptyValue = "empty-value", Error, "Trường để trống.", "A field is empty.";
    InvalidType = "invalid-type", Error, "Sai kiểu giá trị (cần danh sách, gặp một giá trị đơn…).", "A value of the wrong kind (a list expected, a single value found…).";
    InvalidValue = "invalid-value", Error, "Giá trị không hợp lệ (không thuộc danh sách, không phải số…).", "An invalid value (not one of the accepted ones, not a number…).";
    InvalidDate = "invalid-date", Error, "Ngày không hợp lệ hoặc không tồn tại.", "An invalid or impossible date.";
    InvalidId = "invalid-id", Error, "Mã không hợp lệ (chữ thường không dấu, số, `-`; không trùng tên tệp đầu ra).", "An invalid id (lower-case ASCII, digits, `-`; not an output file's name).";
    ReservedId = "reserved-id", Error, "Mã trùng với địa chỉ của một danh sách trên cổng.", "An id that is the address of a list on the portal.";
    ControlCharacter = "control-character", Error, "Văn bản có ký tự điều khiển.", "The text contains a control character.";
    BidiCharacter = "bidi-character", Error, "Văn bản có ký tự đảo chiều hiển thị.", "The text contains a bidirectional override.";
    ZeroWidthCharacter = "zero-width-character", Warning, "Văn bản có ký tự không độ rộng (bị bỏ).", "The text contains a zero-width character (removed).";
    TooDeep = "too-deep", Error, "Văn bản lồng quá 100 tầng.", "The text nests more than 100 levels deep.";
    HiddenText = "hidden-text", Warning, "HTML thô khiến phần còn lại của văn bản không hiện.", "Raw HTML hides the rest of the text.";
    // References and uniqueness
    UnknownReference = "unknown-reference", Error, "Tham chiếu tới cơ quan, kết luận hoặc quyết định không có.", "A reference to an agency, conclusion or decision that does not exist.";
    ReferenceCycle = "reference-cycle", Error, "Cơ quan cha, hoặc chuỗi cơ quan kế thừa, tạo thành vòng.", "Agency parents, or a chain of successors, form a cycle.";
    AgencyLifecycle = "agency-lifecycle", Error, "Cơ quan đã thôi hoạt động mà vẫn ban hành, quyết định hoặc được giao thực hiện sau ngày đó; cơ quan kế thừa đã thôi hoạt động trước mà không có cơ quan kế thừa.", "An agency acting, deciding or made responsible after it ceased to exist; a successor gone earlier with no successor of its own.";
    IssuerSource = "issuer-source", Error, "Cơ quan ban hành không phù hợp với nguồn kết luận (`source`).", "The issuing body does not fit the conclusion's source (`source`).";
    DuplicateId = "duplicate-id", Error, "Mã bị trùng.", "An id is used twice.";
    DuplicateNumber = "duplicate-number", Error, "Số hiệu văn bản bị trùng trong một cơ quan, một năm.", "A document number is used twice by one issuer in one year.";
    // Dates and amounts
    FutureDate = "future-date", Error, "Ngày ở sau ngày lập dữ liệu.", "A date after the as-of date.";
    DateOrder = "date-order", Error, "Ngày sai thứ tự (công khai trước khi ký, tiến độ lùi).", "Dates out of order (published before signed, progress going back).";
    NegativeAmount = "negative-amount", Error, "Số âm.", "A negative amount.";
    DecimalMoney = "decimal-money", Error, "Số tiền có phần thập phân (tiền là số nguyên đồng).", "Money with decimals (money is whole đồng).";
    GroupedNumber = "grouped-number", Error, "Số viết có dấu phân cách hàng nghìn trong tệp nội dung.", "A figure written with thousands separators in a content file.";
    AmountExceeds = "amount-exceeds", Error, "Số thu hồi vượt số kiến nghị.", "More recovered than recommended.";
    AmountDecreases = "amount-decreases", Error, "Số thu hồi lũy kế giảm.", "A cumulative recovered amount goes down.";
    PeriodMismatch = "period-mismatch", Error, "Kỳ báo cáo không khớp tên tệp hoặc ngày báo cáo.", "The reporting period does not match the file name or the report's date.";
    // Discipline
    PenaltyRole = "penalty-role", Error, "Hình thức kỷ luật không áp dụng cho đối tượng này (vào ngày đó).", "A penalty the subject cannot receive (on that date).";
    SubjectRole = "subject-role", Error, "Loại đối tượng không khớp vai trò.", "The subject's type does not fit its role.";
    TrackRole = "track-role", Error, "Loại kỷ luật (đảng, hành chính) không khớp vai trò.", "The track (party, administrative) does not fit the role.";
    AuthorityKind = "authority-kind", Error, "Cơ quan ra quyết định không có thẩm quyền với loại kỷ luật hoặc hình thức này (lỗi; cảnh báo với quy định thẩm quyền chi tiết).", "The deciding body is not competent for this track or penalty (an error; a warning for finer rules of competence).";
    LeaderUnset = "leader-unset", Warning, "Chức vụ là chức vụ lãnh đạo, quản lý nhưng chưa ghi `leader`.", "The position names a leading post but `leader` is not set.";
    // Publication and follow-up
    OutdatedCitation = "outdated-citation", Warning, "Văn bản viện dẫn một luật, nghị định không còn (hoặc chưa) có hiệu lực vào ngày của văn bản.", "A text cites a law or decree not in force on the document's date.";
    LatePublication = "late-publication", Warning, "Kết luận công khai muộn hơn thời hạn sau khi ký.", "A conclusion published later than the limit after signing.";
    NoEvidence = "no-evidence", Warning, "Kiến nghị đã xong nhưng không có chứng cứ.", "A recommendation done without evidence.";
    NoDueDate = "no-due-date", Warning, "Kiến nghị không có thời hạn.", "A recommendation without a due date.";
    Extension = "extension", Error, "Gia hạn không hợp lệ: không có thời hạn gốc, hạn mới không sau hạn trước, hoặc ngày gia hạn sai thứ tự.", "An invalid extension: no original due date, a new date not after the previous one, or extensions out of order.";
    CaseStage = "case-stage", Error, "Diễn biến vụ việc chuyển cơ quan điều tra sai: không phải kiến nghị chuyển điều tra, sai thứ tự, hoặc có bước sau khi đã đình chỉ.", "A referral case that is wrong: not on a referral, out of order, or a step after it was dropped.";
    Withdrawn = "withdrawn", Error, "Kết luận bị hủy bỏ thiếu ngày (`status_on`) hoặc ngày trước ngày ký.", "A withdrawn conclusion without its date (`status_on`), or dated before signing.";
    StaleFollowUp = "stale-follow-up", Warning, "Kiến nghị chưa xong mà lâu không cập nhật tiến độ (`[follow_up] stale_after_days`).", "An unfinished recommendation not updated for long (`[follow_up] stale_after_days`).";
    FollowUpBeforeConclusion = "follow-up-before-conclusion", Warning, "Văn bản thực hiện kiến nghị (quyết định kỷ luật) ghi ngày trước ngày ký kết luận.", "A document carrying out a recommendation (a decision) is dated before the conclusion.";
    CopiedFigures = "copied-figures", Warning, "Số liệu một kỳ giống hệt kỳ trước của cùng đơn vị (chép sang).", "A period's figures identical to the agency's previous period (copied forward).";
    ReportPeriod = "report-period", Error, "Báo cáo ký trước ngày chốt số liệu của kỳ, hoặc kỳ chưa bắt đầu.", "A report signed before its period's cut-off, or for a period not yet begun.";
    // Source documents
    Document = "document", Error, "Văn bản gốc (`documents`) không dùng được: thiếu tệp, tệp ngoài content/files/, tên tệp không an toàn, hoặc quá cỡ cho phép (`[documents] max_size_mb`).", "A source document (`documents`) that cannot be published: the file is missing, outside content/files/, unsafely named, or over the size limit (`[documents] max_size_mb`).";
    UnredactedDocument = "unredacted-document", Warning, "Văn bản gốc của kết luận hoặc quyết định ghi `redacted: false`: phải kiểm tra thông tin cá nhân trước khi công khai.", "A source document of a conclusion or decision marked `redacted: false`: check it for personal data before publishing.";
    // Privacy
    PrivacyCitizenId = "privacy-citizen-id", Error, "Số CCCD/CMND của cá nhân trong văn bản công khai.", "A private person's citizen ID number in published text.";
    PrivacyPassport = "privacy-passport", Error, "Số hộ chiếu trong văn bản công khai.", "A passport number in published text.";
    PrivacyPhone = "privacy-phone", Error, "Số điện thoại của cá nhân trong văn bản công khai.", "A private person's phone number in published text.";
    PrivacyEmail = "privacy-email", Error, "Thư điện tử của cá nhân trong văn bản công khai.", "A private person's e-mail address in published text.";
    PrivacyBankAccount = "privacy-bank-account", Error, "Số tài khoản ngân hàng trong văn bản công khai.", "A bank account number in published text.";
    // Theme and tools
    Theme = "theme", Error, "Giao diện thiếu hoặc hỏng (mẫu, chuỗi giao diện).", "A theme missing or broken (templates, interface strings).";
    Template = "template", Error, "Mẫu giao diện lỗi khi dựng một trang (nêu tệp và dòng của mẫu).", "A template failed on a page (with the template's file and line).";
    Import = "import", Error, "Lỗi khi nhập bảng tính (nêu trang tính, dòng, cột).", "A problem importing a spreadsheet (with sheet, row and column).";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

/// The index of codes as Markdown, for `docs/ma-loi.md`.
pub fn index() -> String {
    let mut out = String::from(
        "# Mã lỗi / Diagnostic codes\n\n\
         <!-- Tệp này được sinh từ src/diag/codes.rs; đừng sửa tay. Generated from src/diag/codes.rs: do not edit. -->\n\n\
         Mỗi chẩn đoán của `congkhai check` có một mã ổn định (`lỗi / error[unknown-key]`), \
         dùng được trong trình soạn thảo, CI và `--format json`. \
         *Every diagnostic has a stable code, for editors, CI and `--format json`.*\n\n\
         | mã / code | thường là / usually | nghĩa | meaning |\n|---|---|---|---|\n",
    );
    for c in Code::ALL {
        let (vi, en) = c.about();
        let usually = match c.usually() {
            Usually::Error => "lỗi / error",
            Usually::Warning => "cảnh báo / warning",
        };
        out.push_str(&format!("| `{}` | {usually} | {vi} | {en} |\n", c.id()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.id()), "{} twice", c.id());
            assert!(
                c.id()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
            );
        }
    }

    /// `docs/ma-loi.md` is the generated index, current
    /// (`CONGKHAI_BLESS=1 cargo test --lib diag` writes it).
    #[test]
    fn the_documented_index_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ma-loi.md");
        if std::env::var_os("CONGKHAI_BLESS").is_some() {
            std::fs::write(&path, index()).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == index(),
            "docs/ma-loi.md is stale: CONGKHAI_BLESS=1 cargo test --lib diag"
        );
    }
}
