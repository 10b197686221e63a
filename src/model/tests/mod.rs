//! One fixture per validation rule: the valid site of `tests/fixtures/valid`
//! with a single defect, checking that the rule fires with its code, file,
//! line and field — and that the valid site itself has no diagnostic.

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Severity};

use crate::testing::{valid_copy, valid_fixture as fixture};

/// An edit: in `file`, replace `from` by `to`; with an empty `from`, write `to` as the whole file.
type Edit<'a> = (&'a str, &'a str, &'a str);

fn check(edits: &[Edit<'_>]) -> Vec<Diagnostic> {
    let dir = valid_copy();
    for (file, from, to) in edits {
        let path = dir.path().join(file);
        if from.is_empty() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, to).unwrap();
        } else {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{file} does not contain {from:?}");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        }
    }
    let raw = crate::load::load(dir.path());
    let (_, diags) = super::build(&raw, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    diags.sorted()
}

/// Asserts exactly one diagnostic with `code` and returns it, after checking
/// its file, line and (part of its) field.
#[track_caller]
fn expect(diags: &[Diagnostic], code: &str, file: &str, line: u32, field: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one `{code}`, got: {diags:#?}");
    let d = found[0].clone();
    assert_eq!(d.file, file, "{d:#?}");
    assert_eq!(d.line, line, "{d:#?}");
    assert!(
        d.field.as_deref().unwrap_or("").contains(field),
        "field {:?} should contain {field:?}",
        d.field
    );
    assert!(!d.message_vi.is_empty() && !d.message_en.is_empty());
    d
}

const KL: &str = "content/conclusions/kl-2025-015.md";
const QD: &str = "content/decisions/qd-2025-118.md";
const CSV: &str = "content/recoveries/2025-q3.csv";
const AG: &str = "content/agencies.yaml";

mod law;
mod memo;
mod time;
mod unread;

#[test]
fn the_valid_fixture_has_no_diagnostic() {
    assert_eq!(check(&[]), Vec::<Diagnostic>::new());
}

#[test]
fn malformed_yaml() {
    let d = check(&[(KL, "title: \"Kết luận", "title: Kết luận: \"x")]);
    expect(&d, "yaml-syntax", KL, 3, "");
}

#[test]
fn missing_front_matter() {
    let d = check(&[(KL, "", "# Kết luận\nKhông có phần đầu.\n")]);
    expect(&d, "front-matter", KL, 1, "");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let d = check(&[(KL, "signed_on:", "signd_on:")]);
    let u = expect(&d, "unknown-key", KL, 5, "signd_on");
    assert!(
        u.hint_en
            .unwrap()
            .contains("`signed_on`? (that required field is missing)")
    );
    // One mistake, one error: the misspelt key is not reported again as missing.
    assert_eq!(d.len(), 1, "{d:#?}");
}

#[test]
fn unsigned_conclusion_is_rejected() {
    let d = check(&[(KL, "signed_by: \"Chánh Thanh tra tỉnh\"\n", "")]);
    let m = expect(&d, "missing-field", KL, 2, "signed_by");
    assert!(m.message_vi.contains("signed_by"));
}

#[test]
fn wrong_kind_of_value() {
    let d = check(&[(
        KL,
        "period: { from: 2020-01-01, to: 2024-12-31 }",
        "period: 2020",
    )]);
    expect(&d, "invalid-type", KL, 11, "period");
}

#[test]
fn enumerations_suggest_the_closest_value_or_list_them_all_in_both_languages() {
    let d = check(&[(KL, "sector: land", "sector: đất")]);
    let e = expect(&d, "invalid-value", KL, 9, "sector");
    assert_eq!(
        e.hint_vi.as_deref(),
        Some("Có phải ý bạn là `đất đai` (land)?")
    );
    assert_eq!(e.hint_en.as_deref(), Some("Did you mean `đất đai` (land)?"));
    let d = check(&[(KL, "sector: land", "sector: xyz")]);
    let e = expect(&d, "invalid-value", KL, 9, "sector");
    assert!(e.hint_vi.as_ref().unwrap().contains("`land` (đất đai)"));
    assert!(e.hint_en.as_ref().unwrap().contains("`finance_budget`"));
}

#[test]
fn vietnamese_enumeration_terms_are_accepted() {
    let d = check(&[
        (KL, "sector: land", "sector: Đất đai"),
        (KL, "kind: planned", "kind: dot xuat"),
        (QD, "penalty: warning", "penalty: Cảnh cáo"),
        (QD, "track: administrative", "track: kỷ luật hành chính"),
    ]);
    assert_eq!(d, Vec::<Diagnostic>::new());
}

#[test]
fn impossible_date() {
    let d = check(&[(KL, "signed_on: 2025-06-12", "signed_on: 2025-02-30")]);
    let e = expect(&d, "invalid-date", KL, 5, "signed_on");
    assert!(e.message_en.contains("does not exist"));
}

#[test]
fn duplicate_ids() {
    let copy = std::fs::read_to_string(fixture().join(KL))
        .unwrap()
        .replace(
            "number: \"15/KL-TTr\"",
            "id: kl-2025-015\nnumber: \"16/KL-TTr\"",
        );
    let d = check(&[("content/conclusions/khac.md", "", &copy)]);
    // Reported on the file that sorts last, naming the other one.
    let e = expect(&d, "duplicate-id", KL, 0, "");
    assert!(e.message_vi.contains("content/conclusions/khac.md"));
}

#[test]
fn duplicate_numbers_of_one_issuer_in_one_year() {
    let copy = std::fs::read_to_string(fixture().join(KL)).unwrap();
    let d = check(&[("content/conclusions/kl-2025-016.md", "", &copy)]);
    let e = expect(
        &d,
        "duplicate-number",
        "content/conclusions/kl-2025-016.md",
        2,
        "number",
    );
    assert!(e.message_vi.contains("2025"));
    // The same number in another year is another document.
    let next_year = copy
        .replace("2025-06-12", "2026-06-12")
        .replace("published_on: 2025-06-20", "published_on: 2026-06-20");
    let d = check(&[("content/conclusions/kl-2026-015.md", "", &next_year)]);
    assert!(d.iter().all(|x| x.code != "duplicate-number"), "{d:#?}");
}

#[test]
fn unknown_agency_suggests_a_close_id() {
    let d = check(&[(KL, "issued_by: thanh-tra-tinh", "issued_by: thanh-tra-tnh")]);
    let e = expect(&d, "unknown-reference", KL, 4, "issued_by");
    assert!(e.hint_en.unwrap().contains("`thanh-tra-tinh`"));
}

#[test]
fn unknown_conclusion_reference() {
    let d = check(&[(QD, "related: [kl-2025-015]", "related: [kl-2025-099]")]);
    expect(&d, "unknown-reference", QD, 14, "related[0]");
}

#[test]
fn unknown_decision_reference() {
    let d = check(&[(KL, "decisions: [qd-2025-118]", "decisions: [qd-2025-119]")]);
    expect(
        &d,
        "unknown-reference",
        KL,
        41,
        "recommendations[2].decisions[0]",
    );
}

#[test]
fn publication_before_signing() {
    let d = check(&[(KL, "published_on: 2025-06-20", "published_on: 2025-06-01")]);
    expect(&d, "date-order", KL, 7, "published_on");
}

#[test]
fn progress_out_of_order() {
    let d = check(&[(
        KL,
        "        evidence: \"Giấy nộp tiền số 123/GNT\"\n",
        "        evidence: \"Giấy nộp tiền số 123/GNT\"\n      - on: 2025-08-01\n        status: in_progress\n        recovered_vnd: 1000000000\n",
    )]);
    expect(
        &d,
        "date-order",
        KL,
        26,
        "recommendations[0].progress[1].on",
    );
}

#[test]
fn dates_after_the_as_of_date() {
    let d = check(&[
        (QD, "decided_on: 2025-10-15", "decided_on: 2026-02-15"),
        (QD, "published_on: 2025-10-18", "published_on: 2026-02-18"),
    ]);
    let found: Vec<_> = d.iter().filter(|x| x.code == "future-date").collect();
    assert_eq!(found.len(), 2, "{d:#?}");
    assert_eq!(
        (found[0].line, found[0].field.as_deref()),
        (5, Some("decided_on"))
    );
    assert_eq!(
        (found[1].line, found[1].field.as_deref()),
        (6, Some("published_on"))
    );
    assert!(found[0].message_en.contains("2026-01-01"));
}

#[test]
fn recovery_period_must_match_its_file_name() {
    let d = check(&[(CSV, "2025-Q3,", "2025-Q4,")]);
    expect(&d, "period-mismatch", CSV, 2, "period");
}

#[test]
fn recovered_more_than_recommended() {
    let d = check(&[(KL, "recovered_vnd: 1000000000", "recovered_vnd: 3000000000")]);
    expect(&d, "amount-exceeds", KL, 23, "recovered_vnd");
    let d = check(&[(CSV, "3500,1200", "3500,4200")]);
    expect(&d, "amount-exceeds", CSV, 2, "recovered_land_m2");
}

#[test]
fn cumulative_amounts_cannot_go_down() {
    let d = check(&[(
        KL,
        "        evidence: \"Giấy nộp tiền số 123/GNT\"\n",
        "        evidence: \"Giấy nộp tiền số 123/GNT\"\n      - on: 2025-09-01\n        status: in_progress\n        recovered_vnd: 500000000\n",
    )]);
    expect(&d, "amount-decreases", KL, 28, "progress[1].recovered_vnd");
}

#[test]
fn negative_decimal_and_grouped_money() {
    let d = check(&[(KL, "amount_vnd: 2350000000", "amount_vnd: -2350000000")]);
    expect(&d, "negative-amount", KL, 19, "amount_vnd");
    let d = check(&[(KL, "amount_vnd: 2350000000", "amount_vnd: 2350000000.5")]);
    expect(&d, "decimal-money", KL, 19, "amount_vnd");
    let d = check(&[(KL, "amount_vnd: 2350000000", "amount_vnd: 2.350.000.000")]);
    let e = expect(&d, "grouped-number", KL, 19, "amount_vnd");
    assert!(e.hint_vi.unwrap().contains("2350000000"));
}

#[test]
fn recover_money_needs_an_amount() {
    let d = check(&[(KL, "    amount_vnd: 2350000000\n", "")]);
    expect(&d, "missing-field", KL, 14, "recommendations[0].amount_vnd");
}

#[test]
fn penalty_the_role_cannot_receive() {
    let d = check(&[(QD, "penalty: warning", "penalty: expulsion")]);
    let e = expect(&d, "penalty-role", QD, 13, "penalty");
    assert!(e.hint_vi.unwrap().contains("`warning` (cảnh cáo)"));
}

#[test]
fn probationary_members_receive_only_reprimand_or_warning() {
    let d = check(&[
        (QD, "track: administrative", "track: party"),
        (QD, "authority: ubnd-tinh", "authority: ubkt-tinh-uy"),
        (QD, "role: civil_servant", "role: probationary_party_member"),
        (QD, "penalty: warning", "penalty: removal"),
    ]);
    expect(&d, "penalty-role", QD, 13, "penalty");
}

#[test]
fn track_must_fit_the_role() {
    let d = check(&[(QD, "track: administrative", "track: party")]);
    expect(&d, "track-role", QD, 3, "track");
}

#[test]
fn organisation_subjects_are_party_organisations() {
    let d = check(&[(QD, "type: person", "type: organization")]);
    expect(&d, "subject-role", QD, 9, "subject.role");
}

#[test]
fn lifted_or_annulled_decisions_need_a_date_and_a_note() {
    let d = check(&[(
        QD,
        "related: [kl-2025-015]",
        "related: [kl-2025-015]\nstatus: annulled",
    )]);
    let missing: Vec<_> = d.iter().filter(|x| x.code == "missing-field").collect();
    assert_eq!(missing.len(), 2, "{d:#?}");
}

#[test]
fn citizen_id_in_the_body() {
    let d = check(&[(
        KL,
        "18 hộ gia đình.",
        "18 hộ gia đình, trong đó ông A (CCCD 001085012345).",
    )]);
    let e = expect(&d, "privacy-citizen-id", KL, 47, "body");
    assert!(
        !e.message_vi.contains("001085012345"),
        "the message must not repeat the number"
    );
}

#[test]
fn phone_number_in_a_front_matter_field() {
    let d = check(&[(
        KL,
        "note: \"Đã nộp đợt 1\"",
        "note: \"Đã nộp đợt 1, liên hệ chị Lan 0912 345 678\"",
    )]);
    expect(
        &d,
        "privacy-phone",
        KL,
        24,
        "recommendations[0].progress[0].note",
    );
}

#[test]
fn email_in_a_decision() {
    let d = check(&[(
        QD,
        "Công chức Địa chính xã An Bình",
        "Công chức Địa chính xã An Bình (tranvanb@gmail.com)",
    )]);
    expect(&d, "privacy-email", QD, 11, "subject.position");
}

#[test]
fn official_contacts_are_allowed_when_declared() {
    // The hotline in the page is the agency's phone in agencies.yaml.
    assert!(check(&[]).is_empty());
    // A private number is allowed only when the record lists it in public_contact.
    let text = "---\ntitle: \"Liên hệ\"\n---\nĐường dây nóng 0912 345 678.\n";
    let d = check(&[("content/pages/lien-he.md", "", text)]);
    expect(&d, "privacy-phone", "content/pages/lien-he.md", 4, "body");
    let allowed = "---\ntitle: \"Liên hệ\"\npublic_contact: [\"+84 912 345 678\"]\n---\nĐường dây nóng 0912 345 678.\n";
    assert!(check(&[("content/pages/lien-he.md", "", allowed)]).is_empty());
}

#[test]
fn warnings_do_not_stop_the_build() {
    let d = check(&[
        (KL, "published_on: 2025-06-20", "published_on: 2025-07-20"),
        (KL, "        evidence: \"Quyết định 118/QĐ-UBND\"\n", ""),
        (KL, "    due: 2025-12-31\n", ""),
    ]);
    expect(&d, "late-publication", KL, 7, "published_on");
    expect(&d, "no-evidence", KL, 43, "progress[0].status");
    expect(&d, "no-due-date", KL, 26, "recommendations[1]");
    assert!(d.iter().all(|x| x.severity == Severity::Warning), "{d:#?}");
}

#[test]
fn not_utf8() {
    let dir = valid_copy();
    std::fs::write(dir.path().join(KL), b"---\ntitle: \"K\xe9t\"\n---\n").unwrap();
    let (_, d) = super::build(
        &crate::load::load(dir.path()),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    let d = d.sorted();
    expect(&d, "encoding", KL, 2, "");
}

#[test]
fn empty_file() {
    let d = check(&[(KL, "", "")]);
    expect(&d, "empty-file", KL, 0, "");
}

#[test]
fn alias_bomb() {
    let mut text = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text.push_str("---\n");
    let d = check(&[(KL, "", &text)]);
    expect(&d, "yaml-limit", KL, 7, "");
}

#[test]
fn configuration_is_checked_like_content() {
    let d = check(&[(
        "congkhai.toml",
        "[follow_up]",
        "langauge = \"vi\"\n[follow_up]",
    )]);
    let e = expect(&d, "unknown-key", "congkhai.toml", 4, "langauge");
    assert!(e.hint_en.unwrap().contains("`language`"));
    let d = check(&[(
        "congkhai.toml",
        "base_url = \"https://thu.example.gov.vn\"",
        "base_url = \"thu.example.gov.vn\"",
    )]);
    expect(&d, "invalid-value", "congkhai.toml", 2, "base_url");
    let d = check(&[(
        "congkhai.toml",
        "on_time_target = 0.9",
        "on_time_target = 90",
    )]);
    expect(
        &d,
        "invalid-value",
        "congkhai.toml",
        5,
        "follow_up.on_time_target",
    );
}

#[test]
fn unknown_csv_column() {
    let d = check(&[(CSV, ",note\n", ",ghi_chu_them\n")]);
    expect(&d, "unknown-key", CSV, 1, "");
}

#[test]
fn duplicate_recovery_rows() {
    let d = check(&[(
        CSV,
        "UBND xã,\n",
        "UBND xã,\n2025-Q3,ubnd-xa-an-binh,1,1,0,0,2025-10-10,Chủ tịch UBND xã,\n",
    )]);
    expect(&d, "duplicate-id", CSV, 3, "agency");
}

#[test]
fn agency_parent_cycle() {
    let d = check(&[(
        AG,
        "  kind: people_committee\n",
        "  kind: people_committee\n  parent: ubnd-xa-an-binh\n",
    )]);
    // Both agencies in the loop are reported; thanh-tra-tinh only hangs below it.
    assert_eq!(
        d.iter().filter(|x| x.code == "reference-cycle").count(),
        2,
        "{d:#?}"
    );
}

#[test]
fn file_names_must_make_valid_ids() {
    let copy = std::fs::read_to_string(fixture().join(KL))
        .unwrap()
        .replace("15/KL-TTr", "17/KL-TTr");
    let d = check(&[("content/conclusions/Kết luận 17.md", "", &copy)]);
    let e = expect(
        &d,
        "invalid-id",
        "content/conclusions/Kết luận 17.md",
        1,
        "",
    );
    assert!(e.hint_en.unwrap().contains("ket-luan-17"));
}

#[test]
fn inspected_period_ends_before_it_starts() {
    let d = check(&[(KL, "to: 2024-12-31", "to: 2019-12-31")]);
    expect(&d, "date-order", KL, 11, "period");
}

mod never_panics {
    use std::path::Path;

    use chrono::NaiveDate;
    use proptest::prelude::*;

    use crate::load::{Kind, RawSite, parse_bytes};

    const KINDS: [(Kind, &str); 7] = [
        (Kind::Config, "congkhai.toml"),
        (Kind::Agencies, "content/agencies.yaml"),
        (Kind::Conclusion, "content/conclusions/x.md"),
        (Kind::Decision, "content/decisions/x.md"),
        (Kind::Page, "content/pages/x.md"),
        (Kind::Recovery, "content/recoveries/2025-q1.csv"),
        (Kind::Recovery, "content/recoveries/2025-q1.xlsx"),
    ];

    /// Loads `bytes` as a file of every kind, inside an otherwise valid site,
    /// and runs the whole model over it.
    fn run(bytes: &[u8]) {
        for (kind, path) in KINDS {
            let mut site = RawSite::default();
            let mut diags = Vec::new();
            for (k, p) in [
                (Kind::Config, "congkhai.toml"),
                (Kind::Agencies, "content/agencies.yaml"),
            ] {
                if k != kind {
                    let text = std::fs::read(super::fixture().join(p)).unwrap();
                    site.insert(k, parse_bytes(Path::new(p), k, text, &mut diags));
                }
            }
            let loaded = parse_bytes(Path::new(path), kind, bytes.to_vec(), &mut diags);
            site.insert(kind, loaded);
            site.diagnostics = diags;
            let (_, out) = super::super::build(&site, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
            for d in out.iter() {
                assert!(!d.file.is_empty() || d.code == "missing-file", "{d:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
            run(&bytes);
        }

        #[test]
        fn text_that_looks_like_front_matter(
            text in "(---\n)?([a-z_]{1,12}:( |\n  )?[-\\[\\]{}&*!|>:\"',.a-zA-Z0-9 /đếĐ]{0,24}\n){0,16}(---\n)?[^\u{0}]{0,40}"
        ) {
            run(text.as_bytes());
        }

        #[test]
        fn valid_records_with_one_line_replaced(line in 0usize..46, replacement in "[^\n]{0,30}") {
            let text = std::fs::read_to_string(super::fixture().join(super::KL)).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            if line < lines.len() {
                lines[line] = &replacement;
            }
            run(lines.join("\n").as_bytes());
        }
    }
}

#[test]
fn ids_that_name_list_pages_are_reserved() {
    let copy = std::fs::read_to_string(fixture().join(QD))
        .unwrap()
        .replace("118/QĐ-UBND", "119/QĐ-UBND");
    let d = check(&[("content/decisions/nam.md", "", &copy)]);
    expect(&d, "reserved-id", "content/decisions/nam.md", 0, "");
}

#[test]
fn control_characters_are_rejected_where_they_are_written() {
    // As a YAML escape, and raw in a body.
    let d = check(&[
        (KL, "title: \"Kết luận", "title: \"Kết\\x01 luận"),
        (
            KL,
            "\n---\n",
            "\n---\nDòng có ký tự \u{1b}[31m điều khiển.\n",
        ),
    ]);
    let titles: Vec<&Diagnostic> = d.iter().filter(|x| x.code == "control-character").collect();
    assert_eq!(titles.len(), 2, "{d:#?}");
    assert_eq!(titles[0].line, 3);
    assert_eq!(titles[0].field.as_deref(), Some("title"));
    assert!(titles[0].message_en.contains("U+0001"), "{:?}", titles[0]);
    assert_eq!(titles[1].field.as_deref(), Some("body"));
    assert!(titles[1].message_en.contains("U+001B"));
    assert!(titles.iter().all(|x| x.is_error()));
}

#[test]
fn bidirectional_overrides_are_errors_and_zero_width_characters_warnings() {
    let d = check(&[(KL, "title: \"Kết luận", "title: \"Kết\u{202E}luận\u{200B}")]);
    let e = expect(&d, "bidi-character", KL, 3, "title");
    assert!(e.is_error() && e.message_en.contains("U+202E"));
    let w = expect(&d, "zero-width-character", KL, 3, "title");
    assert_eq!(w.severity, Severity::Warning);
}

#[test]
fn recommendation_ids_are_slugs_unique_whatever_their_case() {
    for bad in ["KN 1", "!!!", "KN1/../x"] {
        let d = check(&[(KL, "  - id: KN2", &format!("  - id: \"{bad}\""))]);
        let e = expect(&d, "invalid-id", KL, 26, "recommendations[1].id");
        assert!(e.message_en.contains(bad), "{e:?}");
    }
    let d = check(&[(KL, "  - id: KN2", "  - id: kn1")]);
    expect(&d, "duplicate-id", KL, 26, "recommendations[1]");
}

#[test]
fn record_ids_that_name_output_files_are_refused_with_their_line() {
    let copy = std::fs::read_to_string(fixture().join(QD))
        .unwrap()
        .replace("118/QĐ-UBND", "119/QĐ-UBND");
    let d = check(&[("content/decisions/index.html.md", "", &copy)]);
    expect(&d, "invalid-id", "content/decisions/index.html.md", 1, "");
    let with_key = copy.replacen("---\n", "---\nid: index.html\n", 1);
    let d = check(&[("content/decisions/x.md", "", &with_key)]);
    expect(&d, "invalid-id", "content/decisions/x.md", 2, "id");
}

#[test]
fn identifiers_are_found_in_what_readers_see_and_masked_in_every_view() {
    for (body, code) in [
        ("Gọi 0912**345**678.", "privacy-phone"),
        ("Gọi &#48;912345678.", "privacy-phone"),
        ("Gọi 0912<!-- -->345678.", "privacy-phone"),
        ("Gọi 0912\\.345\\.678.", "privacy-phone"),
        ("[Gọi](tel:0912345678).", "privacy-phone"),
        ("Viết cho a&#64;gmail.com.", "privacy-email"),
        ("[Thư](mailto:a%40gmail.com).", "privacy-email"),
        ("Số CCCD001085012345.", "privacy-citizen-id"),
    ] {
        let d = check(&[(KL, "18 hộ gia đình.", &format!("18 hộ gia đình. {body}"))]);
        let e = expect(&d, code, KL, 47, "body");
        let shown = crate::diag::render(&e, false);
        for secret in ["345678", "912345678", "0912345678", "a@gmail", "085012345"] {
            assert!(!shown.contains(secret), "{body}: {shown}");
            assert!(
                !serde_json::to_string(&e).unwrap().contains(secret),
                "{body}"
            );
        }
    }
    // In a file name, which is the record's id and its address.
    let copy = std::fs::read_to_string(fixture().join(QD))
        .unwrap()
        .replace("118/QĐ-UBND", "119/QĐ-UBND");
    let d = check(&[("content/decisions/lien-he-0912345678.md", "", &copy)]);
    expect(
        &d,
        "privacy-phone",
        "content/decisions/lien-he-0912345678.md",
        0,
        "id",
    );
}

#[test]
fn nesting_that_would_make_sanitising_slow_is_an_error() {
    let deep = format!("18 hộ gia đình.\n\n{} a\n", ">".repeat(20_000));
    let started = std::time::Instant::now();
    let d = check(&[(KL, "18 hộ gia đình.", &deep)]);
    expect(&d, "too-deep", KL, 49, "body");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn raw_html_that_hides_the_rest_of_a_body_is_a_warning() {
    let d = check(&[(
        KL,
        "18 hộ gia đình.",
        "18 hộ gia đình.\n\n<!-- ghi chú\n\nĐoạn cuối.",
    )]);
    let w = expect(&d, "hidden-text", KL, 49, "body");
    assert_eq!(w.severity, Severity::Warning);
}
