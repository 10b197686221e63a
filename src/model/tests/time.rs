//! Agencies and follow-up through time: acting after a dissolution, chains
//! of successors, the issuer a source calls for, extensions, referral
//! cases and withdrawn conclusions — each at its boundary, with file, line
//! and field.

use super::*;

/// The fixture's commune ceases to exist on `day`, succeeded by a new one.
fn dissolve_commune(day: &str) -> String {
    format!(
        "- id: ubnd-xa-an-binh\n  name: \"UBND xã An Bình\"\n  kind: commune\n  parent: ubnd-tinh\n  dissolved_on: {day}\n  successor: ubnd-xa-moi\n- id: ubnd-xa-moi\n  name: \"UBND xã Bình Minh\"\n  kind: commune\n  formerly: [\"UBND thị trấn Bình Minh\"]\n"
    )
}

const COMMUNE: &str =
    "- id: ubnd-xa-an-binh\n  name: \"UBND xã An Bình\"\n  kind: commune\n  parent: ubnd-tinh\n";

#[test]
fn an_agency_cannot_be_given_work_on_or_after_the_day_it_ceased() {
    // The conclusion is signed on 2025-06-12 and names the commune as
    // responsible for its three recommendations' first two.
    let day_after = dissolve_commune("2025-06-13");
    assert_eq!(
        check(&[(AG, COMMUNE, &day_after)]),
        Vec::<Diagnostic>::new()
    );
    let same_day = dissolve_commune("2025-06-12");
    let d = check(&[(AG, COMMUNE, &same_day)]);
    let found: Vec<&Diagnostic> = d.iter().filter(|x| x.code == "agency-lifecycle").collect();
    assert_eq!(found.len(), 2, "{d:#?}");
    let e = found[0];
    assert_eq!((e.file.as_str(), e.line), (KL, 17), "{e:#?}");
    assert_eq!(e.field.as_deref(), Some("recommendations[0].responsible"));
    assert!(e.message_vi.contains("12/06/2025"), "{}", e.message_vi);
    assert!(
        e.hint_vi.as_deref().unwrap_or("").contains("ubnd-xa-moi"),
        "names the successor: {e:#?}"
    );
}

#[test]
fn a_deciding_body_that_ceased_to_exist_cannot_decide() {
    let gone = "- id: ubnd-tinh\n  name: \"Ủy ban nhân dân tỉnh\"\n  kind: people_committee\n  dissolved_on: 2025-10-15\n  successor: thanh-tra-tinh\n";
    let d = check(&[(
        AG,
        "- id: ubnd-tinh\n  name: \"Ủy ban nhân dân tỉnh\"\n  kind: people_committee\n",
        gone,
    )]);
    let e = expect(&d, "agency-lifecycle", QD, 4, "authority");
    assert!(
        e.message_en.contains("ceased to exist on 2025-10-15"),
        "{e:#?}"
    );
}

#[test]
fn a_successor_needs_a_dissolution_and_chains_must_end_in_a_living_agency() {
    let no_date = format!("{COMMUNE}  successor: ubnd-tinh\n");
    let d = check(&[(AG, COMMUNE, &no_date)]);
    expect(&d, "agency-lifecycle", AG, 14, "successor");

    // Two agencies succeeding each other.
    let cycle = "- id: ubnd-xa-an-binh\n  name: \"UBND xã An Bình\"\n  kind: commune\n  dissolved_on: 2025-12-01\n  successor: ubnd-xa-moi\n- id: ubnd-xa-moi\n  name: \"UBND xã mới\"\n  kind: commune\n  dissolved_on: 2025-12-01\n  successor: ubnd-xa-an-binh\n";
    let d = check(&[(AG, COMMUNE, cycle)]);
    assert!(
        d.iter()
            .any(|x| x.code == "reference-cycle" && x.file == AG),
        "{d:#?}"
    );

    // A successor gone on the same day with nobody after it.
    let dead_end = "- id: ubnd-xa-an-binh\n  name: \"UBND xã An Bình\"\n  kind: commune\n  dissolved_on: 2025-12-01\n  successor: ubnd-xa-moi\n- id: ubnd-xa-moi\n  name: \"UBND xã mới\"\n  kind: commune\n  dissolved_on: 2025-12-01\n";
    let d = check(&[(AG, COMMUNE, dead_end)]);
    let e = expect(&d, "agency-lifecycle", AG, 14, "successor");
    assert!(e.message_en.contains("no successor of its own"), "{e:#?}");
    // Gone a day later, it still answered on the day: no error.
    let later = dead_end.replacen(
        "UBND xã mới\"\n  kind: commune\n  dissolved_on: 2025-12-01",
        "UBND xã mới\"\n  kind: commune\n  dissolved_on: 2025-12-02",
        1,
    );
    assert_eq!(check(&[(AG, COMMUNE, &later)]), Vec::<Diagnostic>::new());
}

#[test]
fn the_issuer_must_fit_the_source() {
    let d = check(&[(
        KL,
        "kind: planned\n",
        "kind: planned\nsource: party_inspection\n",
    )]);
    let e = expect(&d, "issuer-source", KL, 4, "issued_by");
    assert!(
        e.message_vi.contains("Quy định 22-QĐ/TW"),
        "cites its basis: {e:#?}"
    );
    let ok = check(&[
        (
            KL,
            "kind: planned\n",
            "kind: planned\nsource: party_inspection\n",
        ),
        (KL, "issued_by: thanh-tra-tinh", "issued_by: ubkt-tinh-uy"),
    ]);
    assert!(ok.iter().all(|x| x.code != "issuer-source"), "{ok:#?}");
}

const DUE: &str = "    due: 2025-09-30\n";

fn extended(list: &str) -> String {
    format!("{DUE}    extensions:\n{list}")
}

#[test]
fn extensions_move_the_deadline_later_and_come_in_order() {
    let good = extended(
        "      - { to: 2025-10-31, document: \"15/UBND\", on: 2025-09-25 }\n      - { to: 2025-12-31, document: \"22/UBND\", on: 2025-10-20 }\n",
    );
    assert_eq!(check(&[(KL, DUE, &good)]), Vec::<Diagnostic>::new());

    let same_day = extended("      - { to: 2025-09-30, document: \"15/UBND\", on: 2025-09-25 }\n");
    let e = expect(
        &check(&[(KL, DUE, &same_day)]),
        "extension",
        KL,
        20,
        "extensions[0].to",
    );
    assert!(
        e.message_en
            .contains("not after the previous one, 2025-09-30"),
        "{e:#?}"
    );

    let backwards = extended(
        "      - { to: 2025-12-31, document: \"15/UBND\", on: 2025-10-20 }\n      - { to: 2026-01-31, document: \"22/UBND\", on: 2025-09-25 }\n",
    );
    expect(
        &check(&[(KL, DUE, &backwards)]),
        "extension",
        KL,
        21,
        "extensions[1].on",
    );

    let without_due =
        "    extensions:\n      - { to: 2025-12-31, document: \"15/UBND\", on: 2025-09-25 }\n";
    expect(
        &check(&[(KL, DUE, without_due)]),
        "extension",
        KL,
        19,
        "extensions",
    );
}

const KN3_DONE: &str = "        evidence: \"Quyết định 118/QĐ-UBND\"\n";

#[test]
fn a_case_follows_a_referral_forward() {
    let referral = |case: &str| {
        [
            (
                KL,
                "    kind: discipline\n",
                "    kind: refer_to_investigation\n",
            ),
            (KL, "    decisions: [qd-2025-118]\n", ""),
            (
                "content/decisions/qd-2025-118.md",
                "related: [kl-2025-015]",
                "related: []",
            ),
            (KL, KN3_DONE, case),
        ]
        .map(|(f, a, b)| (f, a, b.to_string()))
    };
    let run = |case: String| {
        let edits = referral(&format!("{KN3_DONE}    case:\n{case}"));
        let edits: Vec<Edit<'_>> = edits.iter().map(|(f, a, b)| (*f, *a, b.as_str())).collect();
        check(&edits)
    };
    let ok = "      - { on: 2025-10-25, stage: received }\n      - { on: 2025-11-20, stage: prosecuted, document: \"21/QĐ-CSĐT\" }\n".to_string();
    assert_eq!(run(ok), Vec::<Diagnostic>::new());

    let back = "      - { on: 2025-10-25, stage: prosecuted }\n      - { on: 2025-11-20, stage: received }\n".to_string();
    let d = run(back);
    let e = d
        .iter()
        .find(|x| x.code == "case-stage")
        .expect("case-stage");
    assert_eq!(
        e.field.as_deref(),
        Some("recommendations[2].case[1].stage"),
        "{e:#?}"
    );

    let after_dropped =
        "      - { on: 2025-10-25, stage: dropped }\n      - { on: 2025-11-20, stage: tried }\n"
            .to_string();
    assert!(run(after_dropped).iter().any(|x| x.code == "case-stage"));

    let less = "      - { on: 2025-10-25, stage: tried, recovered_vnd: 500 }\n      - { on: 2025-11-20, stage: judgment_enforced, recovered_vnd: 400 }\n".to_string();
    assert!(run(less).iter().any(|x| x.code == "amount-decreases"));

    // A case on a recommendation that is not a referral.
    let d = check(&[(
        KL,
        KN3_DONE,
        &format!("{KN3_DONE}    case:\n      - {{ on: 2025-10-25, stage: received }}\n"),
    )]);
    expect(&d, "case-stage", KL, 47, "recommendations[2].case");
}

#[test]
fn a_withdrawn_conclusion_has_its_date() {
    let d = check(&[(KL, "kind: planned\n", "kind: planned\nstatus: withdrawn\n")]);
    expect(&d, "withdrawn", KL, 11, "status");
    let d = check(&[(
        KL,
        "kind: planned\n",
        "kind: planned\nstatus: withdrawn\nstatus_on: 2025-06-01\n",
    )]);
    expect(&d, "date-order", KL, 12, "status_on");
    let ok = check(&[(
        KL,
        "kind: planned\n",
        "kind: planned\nstatus: withdrawn\nstatus_on: 2025-11-30\nnote: \"Hủy bỏ để thanh tra lại\"\n",
    )]);
    assert_eq!(ok, Vec::<Diagnostic>::new());
}
