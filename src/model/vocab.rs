//! The enumerated values of the content format.
//!
//! Each value has a canonical English id (what the data files carry) and the
//! Vietnamese terms publishers actually write. Any of them is accepted, with
//! or without diacritics and in any case: `warning`, `Cảnh cáo`, `canh cao`.

use crate::diag::Code;
use serde::Serialize;

use super::read::{FromNode, Reader};
use crate::diag::msg;
use crate::load::node::Node;

/// Folds a term for comparison: no marks, lower case, words separated by one space.
fn normalise(text: &str) -> String {
    congkhai_fold::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that documents put before a value ("kỷ luật cảnh cáo"), folded.
const LEAD_INS: &[&str] = &[
    "xu ly ky luat bang hinh thuc",
    "hinh thuc ky luat",
    "bang hinh thuc",
    "xu ly ky luat",
    "hinh thuc",
    "ky luat",
];

/// A closed list of values with their Vietnamese terms.
pub trait Vocab: Sized + Copy + 'static {
    /// Vietnamese and English name of the list itself, for messages.
    const NAME: (&'static str, &'static str);
    /// Every value with its id and accepted Vietnamese terms (the first is canonical).
    const TERMS: &'static [(Self, &'static str, &'static [&'static str])];

    fn id(self) -> &'static str;

    /// The canonical Vietnamese term.
    fn term_vi(self) -> &'static str;

    fn parse(text: &str) -> Option<Self> {
        // Most files spell values exactly as the canonical id or term: no
        // need to fold anything (folding was a tenth of `check`).
        if let Some((v, _, _)) = Self::TERMS
            .iter()
            .find(|(_, id, terms)| *id == text || terms.contains(&text))
        {
            return Some(*v);
        }
        let wanted = normalise(text);
        let find = |wanted: &str| {
            Self::TERMS.iter().find_map(|(v, id, terms)| {
                (normalise(id) == wanted || terms.iter().any(|t| normalise(t) == wanted))
                    .then_some(*v)
            })
        };
        find(&wanted).or_else(|| {
            // The long forms of documents: "kỷ luật cảnh cáo", "hình thức
            // khiển trách", "xử lý kỷ luật bằng hình thức cách chức".
            LEAD_INS
                .iter()
                .find_map(|lead| wanted.strip_prefix(lead).map(str::trim_start))
                .filter(|rest| !rest.is_empty())
                .and_then(find)
        })
    }

    /// The value whose id or term is closest to a misspelt `text`, with
    /// that term: `khien tranh` → reprimand, "khiển trách".
    fn suggest(text: &str) -> Option<(Self, &'static str)> {
        let wanted = normalise(text);
        let mut best: Option<(f64, Self, &'static str)> = None;
        for (v, id, terms) in Self::TERMS {
            for t in terms.iter().chain(std::iter::once(id)) {
                let score = strsim::jaro_winkler(&wanted, &normalise(t));
                if score >= 0.85 && best.is_none_or(|(s, _, _)| score > s) {
                    best = Some((score, *v, t));
                }
            }
        }
        best.map(|(_, v, t)| (v, t))
    }

    /// The message for a value that is not one of the list: the closest
    /// value when there is one, else every accepted value.
    fn not_valid(text: &str) -> (crate::diag::Msg, crate::diag::Msg) {
        let text = text.trim();
        let message = msg(
            format!("`{text}` không phải {} hợp lệ", Self::NAME.0),
            format!("`{text}` is not a valid {}", Self::NAME.1),
        );
        let hint = match Self::suggest(text) {
            Some((v, term)) => msg(
                format!("Có phải ý bạn là `{term}` ({})?", v.id()),
                format!("Did you mean `{term}` ({})?", v.id()),
            ),
            None => {
                let accepted = Self::accepted();
                msg(
                    format!("Các giá trị được chấp nhận: {accepted}"),
                    format!("Accepted values: {accepted}"),
                )
            }
        };
        (message, hint)
    }

    /// "`planned` (theo kế hoạch), `ad_hoc` (đột xuất)" for error messages.
    fn accepted() -> String {
        Self::TERMS
            .iter()
            .map(|(_, id, terms)| format!("`{id}` ({})", terms[0]))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident ($vi:literal, $en:literal) {
        $($variant:ident = $id:literal [$($term:literal),+ $(,)?]),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name {
            $(#[serde(rename = $id)] $variant),+
        }

        impl Vocab for $name {
            const NAME: (&'static str, &'static str) = ($vi, $en);
            const TERMS: &'static [(Self, &'static str, &'static [&'static str])] =
                &[$(($name::$variant, $id, &[$($term),+])),+];

            fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            fn term_vi(self) -> &'static str {
                match self { $($name::$variant => [$($term),+][0]),+ }
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl FromNode for $name {
            const EXPECTED: (&'static str, &'static str) = ($vi, $en);
            fn from_node(node: &Node, r: &mut Reader<'_>) -> Option<Self> {
                read_vocab(node, r)
            }
        }
    };
}

fn read_vocab<V: Vocab>(node: &Node, r: &mut Reader<'_>) -> Option<V> {
    let s = r.scalar(node, V::NAME)?;
    if let Some(v) = V::parse(&s.text) {
        return Some(v);
    }
    let (message, hint) = V::not_valid(&s.text);
    r.error(Code::InvalidValue, node.span, message)
        .set_hint(hint);
    None
}

vocab! {
    /// What kind of body an agency is.
    AgencyKind ("loại cơ quan", "agency kind") {
        Inspectorate = "inspectorate" ["cơ quan thanh tra", "thanh tra"],
        PartyCommittee = "party_committee" ["cấp ủy đảng", "cấp ủy", "đảng ủy", "tỉnh ủy"],
        InspectionCommittee = "inspection_committee" ["ủy ban kiểm tra", "ubkt"],
        PeopleCommittee = "people_committee" ["ủy ban nhân dân", "ubnd"],
        Department = "department" ["sở, ban, ngành", "sở", "ban", "ngành"],
        Commune = "commune" ["xã, phường", "xã", "phường", "cấp xã"],
        Enterprise = "enterprise" ["doanh nghiệp", "công ty"],
        StateAudit = "state_audit" ["kiểm toán nhà nước", "kiểm toán"],
        Other = "other" ["khác"],
    }
}

vocab! {
    /// The field an inspection covered.
    Sector ("lĩnh vực", "sector") {
        Land = "land" ["đất đai"],
        FinanceBudget = "finance_budget" ["tài chính, ngân sách", "tài chính", "ngân sách"],
        PublicInvestment = "public_investment" ["đầu tư công", "đầu tư xây dựng"],
        NaturalResources = "natural_resources" ["tài nguyên, khoáng sản", "tài nguyên", "khoáng sản", "tài nguyên và môi trường"],
        PublicAssets = "public_assets" ["tài sản công"],
        PublicService = "public_service" ["công vụ", "thực thi công vụ"],
        SocialInsurance = "social_insurance" ["bảo hiểm xã hội", "bhxh"],
        Education = "education" ["giáo dục", "giáo dục và đào tạo"],
        Health = "health" ["y tế"],
        Other = "other" ["khác"],
    }
}

vocab! {
    /// Whether an inspection was planned or ad hoc.
    InspectionKind ("loại cuộc thanh tra", "kind of inspection") {
        Planned = "planned" ["theo kế hoạch", "kế hoạch"],
        AdHoc = "ad_hoc" ["đột xuất"],
    }
}

vocab! {
    /// What a recommendation asks for.
    RecommendationKind ("loại kiến nghị", "kind of recommendation") {
        RecoverMoney = "recover_money" ["thu hồi tiền"],
        RecoverLand = "recover_land" ["thu hồi đất"],
        Discipline = "discipline" ["xử lý kỷ luật", "kỷ luật", "kiểm điểm"],
        ReferToInvestigation = "refer_to_investigation" ["chuyển cơ quan điều tra", "chuyển điều tra"],
        AmendPolicy = "amend_policy" ["sửa đổi cơ chế, chính sách", "sửa đổi chính sách", "hoàn thiện chính sách"],
        Rectify = "rectify" ["chấn chỉnh, khắc phục", "chấn chỉnh", "khắc phục"],
        Other = "other" ["khác"],
    }
}

vocab! {
    /// Which kind of oversight produced a conclusion: its recommendations are
    /// followed up together, and told apart in lists and scorecards.
    ConclusionSource ("nguồn kết luận", "source of the conclusion") {
        Inspection = "inspection" ["kết luận thanh tra", "thanh tra"],
        PartyInspection = "party_inspection" ["kết luận kiểm tra", "kiểm tra đảng", "kiểm tra"],
        PartySupervision = "party_supervision" ["kết luận giám sát", "giám sát"],
        StateAudit = "state_audit" ["kiểm toán nhà nước", "kiến nghị kiểm toán", "kiểm toán"],
    }
}

vocab! {
    /// Whether a conclusion still stands.
    ConclusionStatus ("hiệu lực của kết luận", "conclusion status") {
        InForce = "in_force" ["đang có hiệu lực", "có hiệu lực"],
        Withdrawn = "withdrawn" ["đã hủy bỏ", "hủy bỏ", "rút lại", "đã rút"],
    }
}

vocab! {
    /// A stage of a case referred to investigators, as far as the portal learns of it.
    CaseStage ("giai đoạn vụ việc", "stage of the case") {
        Received = "received" ["cơ quan điều tra đã tiếp nhận", "tiếp nhận"],
        Prosecuted = "prosecuted" ["khởi tố"],
        Indicted = "indicted" ["truy tố"],
        Tried = "tried" ["xét xử", "đã xét xử"],
        JudgmentEnforced = "judgment_enforced" ["thi hành án", "đã thi hành án"],
        Dropped = "dropped" ["không khởi tố", "đình chỉ"],
    }
}

vocab! {
    /// The state of a recommendation at one moment of its follow-up.
    Status ("trạng thái", "status") {
        NotStarted = "not_started" ["chưa thực hiện"],
        InProgress = "in_progress" ["đang thực hiện"],
        Done = "done" ["đã hoàn thành", "hoàn thành", "đã thực hiện"],
        CannotComplete = "cannot_complete" ["không thể hoàn thành", "không thể thực hiện"],
    }
}

vocab! {
    /// Party or administrative discipline.
    Track ("loại kỷ luật", "discipline track") {
        Party = "party" ["kỷ luật đảng", "đảng"],
        Administrative = "administrative" ["kỷ luật hành chính", "hành chính"],
    }
}

vocab! {
    /// Whether a decision concerns a person or an organisation.
    SubjectType ("loại đối tượng", "subject type") {
        Person = "person" ["cá nhân"],
        Organization = "organization" ["tổ chức"],
    }
}

vocab! {
    /// The position of the disciplined subject under the law.
    Role ("đối tượng kỷ luật", "subject role") {
        PartyMember = "party_member" ["đảng viên"],
        ProbationaryPartyMember = "probationary_party_member" ["đảng viên dự bị"],
        PartyOrganization = "party_organization" ["tổ chức đảng"],
        Cadre = "cadre" ["cán bộ"],
        CivilServant = "civil_servant" ["công chức"],
        PublicEmployee = "public_employee" ["viên chức"],
    }
}

vocab! {
    /// The form of discipline.
    Penalty ("hình thức kỷ luật", "penalty") {
        Reprimand = "reprimand" ["khiển trách"],
        Warning = "warning" ["cảnh cáo"],
        Removal = "removal" ["cách chức"],
        Expulsion = "expulsion" ["khai trừ", "khai trừ khỏi đảng"],
        Dissolution = "dissolution" ["giải tán"],
        SalaryDowngrade = "salary_downgrade" ["hạ bậc lương"],
        Demotion = "demotion" ["giáng chức"],
        Dismissal = "dismissal" ["buộc thôi việc"],
        Recall = "recall" ["bãi nhiệm"],
    }
}

vocab! {
    /// Whether a disciplinary decision still stands.
    DecisionStatus ("hiệu lực của quyết định", "decision status") {
        InForce = "in_force" ["đang có hiệu lực", "có hiệu lực"],
        Lifted = "lifted" ["đã chấm dứt hiệu lực", "chấm dứt hiệu lực", "đã xóa kỷ luật"],
        Annulled = "annulled" ["đã bị hủy bỏ", "hủy bỏ", "bị hủy"],
    }
}

vocab! {
    /// How an on-time share is compared with its target: the seeds say
    /// "trên 90 %", strictly above.
    OnTimeRule ("cách so với chỉ tiêu", "comparison with the target") {
        Above = "above" ["trên"],
        AtLeast = "at_least" ["từ", "không dưới"],
    }
}

vocab! {
    /// The language of the interface.
    Language ("ngôn ngữ", "language") {
        Vi = "vi" ["tiếng việt"],
        En = "en" ["tiếng anh", "english"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_long_forms_of_documents() {
        for text in [
            "kỷ luật cảnh cáo",
            "Hình thức kỷ luật: cảnh cáo",
            "xử lý kỷ luật bằng hình thức cảnh cáo",
        ] {
            assert_eq!(Penalty::parse(text), Some(Penalty::Warning), "{text}");
        }
        assert_eq!(Penalty::parse("kỷ luật"), None);
        assert_eq!(Penalty::parse("kỷ luật phạt tiền"), None);
    }

    #[test]
    fn a_misspelt_value_suggests_the_closest_one_only() {
        assert_eq!(
            Penalty::suggest("khien tranh"),
            Some((Penalty::Reprimand, "khiển trách"))
        );
        let (message, hint) = Penalty::not_valid("khien tranh");
        assert_eq!(message.en, "`khien tranh` is not a valid penalty");
        assert_eq!(hint.vi, "Có phải ý bạn là `khiển trách` (reprimand)?");
        assert!(!hint.en.contains("warning"), "{}", hint.en);
        // Nothing close: every accepted value is listed.
        let (_, hint) = Penalty::not_valid("zzz");
        assert!(
            hint.en
                .starts_with("Accepted values: `reprimand` (khiển trách)"),
            "{}",
            hint.en
        );
    }

    #[test]
    fn accepts_id_and_vietnamese_with_or_without_marks() {
        for text in [
            "warning",
            "WARNING",
            "cảnh cáo",
            "Cảnh cáo",
            "canh cao",
            "CANH CAO",
        ] {
            assert_eq!(Penalty::parse(text), Some(Penalty::Warning), "{text}");
        }
        assert_eq!(
            Sector::parse("tai chinh ngan sach"),
            Some(Sector::FinanceBudget)
        );
        assert_eq!(Sector::parse("finance budget"), Some(Sector::FinanceBudget));
        assert_eq!(
            Role::parse("Đảng viên dự bị"),
            Some(Role::ProbationaryPartyMember)
        );
        assert_eq!(Penalty::parse("phạt tiền"), None);
    }

    #[test]
    fn accepted_list_names_id_and_term() {
        assert_eq!(
            InspectionKind::accepted(),
            "`planned` (theo kế hoạch), `ad_hoc` (đột xuất)"
        );
    }

    #[test]
    fn terms_are_unambiguous_within_each_list() {
        fn check<V: Vocab + PartialEq + std::fmt::Debug>() {
            for (v, id, terms) in V::TERMS {
                assert_eq!(V::parse(id), Some(*v));
                for t in *terms {
                    assert_eq!(V::parse(t), Some(*v), "{t}");
                }
            }
        }
        check::<AgencyKind>();
        check::<Sector>();
        check::<RecommendationKind>();
        check::<Status>();
        check::<Penalty>();
        check::<Role>();
        check::<DecisionStatus>();
        check::<ConclusionSource>();
        check::<ConclusionStatus>();
        check::<CaseStage>();
    }
}
