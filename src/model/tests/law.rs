//! The rules that follow the law as dated data: publication deadlines and
//! citations by the day of signing, penalties by role and post, who may
//! decide, reporting periods and their cut-off, and the warnings a data
//! officer needs — each at its boundary dates, with file, line and field.

use super::*;

/// The fixture's conclusion signed on `signed` and published `days` later.
fn signed(signed: &str, days: i64) -> Vec<Diagnostic> {
    let day = NaiveDate::parse_from_str(signed, "%Y-%m-%d").unwrap();
    let published = (day + chrono::Duration::days(days)).to_string();
    check(&[
        (KL, "signed_on: 2025-06-12", &format!("signed_on: {signed}")),
        (
            KL,
            "published_on: 2025-06-20",
            &format!("published_on: {published}"),
        ),
    ])
}

#[test]
fn recovery_report_signed_before_the_cut_off() {
    // Nghị định 09/2019: a Q3 report holds data to 14 September, so it may
    // be signed from the 15th, not on the 14th.
    let d = check(&[(CSV, "2025-10-10", "2025-09-14")]);
    let e = expect(&d, "report-period", CSV, 2, "reported_on");
    assert!(e.message_vi.contains("14/09/2025"), "{}", e.message_vi);
    assert!(
        e.message_vi.contains("Nghị định 09/2019/NĐ-CP"),
        "{}",
        e.message_vi
    );
    assert!(
        e.message_en.contains("from 2025-06-15 to 2025-09-14"),
        "{}",
        e.message_en
    );
    for day in ["2025-09-15", "2025-09-18"] {
        let ok = check(&[(CSV, "2025-10-10", day)]);
        assert_eq!(ok, Vec::<Diagnostic>::new(), "signed on {day}");
    }
    // By the calendar, the same report must wait for the quarter's end.
    let calendar = [
        (
            "congkhai.toml",
            "[follow_up]",
            "[reporting]\ncutoff_day = \"calendar\"\n\n[follow_up]",
        ),
        (CSV, "2025-10-10", "2025-09-30"),
    ];
    expect(&check(&calendar), "report-period", CSV, 2, "reported_on");
    let calendar_ok = [calendar[0], (CSV, "2025-10-10", "2025-10-01")];
    assert_eq!(check(&calendar_ok), Vec::<Diagnostic>::new());
}

#[test]
fn reports_are_signed_and_dated() {
    let d = check(&[(CSV, ",2025-10-10,Chủ tịch UBND xã,", ",2025-10-10,,")]);
    expect(&d, "missing-field", CSV, 2, "signed_by");
    let d = check(&[(CSV, ",2025-10-10,Chủ tịch UBND xã,", ",,Chủ tịch UBND xã,")]);
    expect(&d, "missing-field", CSV, 2, "reported_on");
    let d = check(&[
        (CSV, "reported_on,signed_by,", ""),
        (CSV, "2025-10-10,Chủ tịch UBND xã,", ""),
    ]);
    let missing: Vec<&str> = d.iter().map(|x| x.message_en.as_str()).collect();
    assert!(
        missing.iter().any(|m| m.contains("`reported_on`"))
            && missing.iter().any(|m| m.contains("`signed_by`")),
        "{d:#?}"
    );
}

#[test]
fn six_and_nine_month_reports_are_periods() {
    let row = "2025-H1,ubnd-xa-an-binh,100,50,0,0,2025-06-20,Chủ tịch UBND xã,\n";
    let d = check(&[(
        "content/recoveries/2025-h1.csv",
        "",
        &format!(
            "period,agency,recommended_vnd,recovered_vnd,recommended_land_m2,recovered_land_m2,reported_on,signed_by,note\n{row}"
        ),
    )]);
    assert_eq!(d, Vec::<Diagnostic>::new());
    let early = row.replace("2025-06-20", "2025-06-14");
    let d = check(&[(
        "content/recoveries/2025-9m.csv",
        "",
        &format!(
            "period,agency,recommended_vnd,recovered_vnd,recommended_land_m2,recovered_land_m2,reported_on,signed_by,note\n{}",
            early.replace("2025-H1", "2025-9M")
        ),
    )]);
    let e = expect(
        &d,
        "report-period",
        "content/recoveries/2025-9m.csv",
        2,
        "reported_on",
    );
    assert!(e.message_en.contains("2025-09-14"), "{}", e.message_en);
}

#[test]
fn figures_copied_from_the_previous_period_are_flagged() {
    let copied = (
        "content/recoveries/2025-q2.csv",
        "",
        "period,agency,recommended_vnd,recovered_vnd,recommended_land_m2,recovered_land_m2,reported_on,signed_by,note\n2025-Q2,ubnd-xa-an-binh,2350000000,1000000000,3500,1200,2025-07-10,Chủ tịch UBND xã,\n",
    );
    let d = check(&[copied]);
    let w = expect(&d, "copied-figures", CSV, 2, "recovered_vnd");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message_vi.contains("2025-Q2"), "{}", w.message_vi);
    let changed = (
        copied.0,
        "",
        &*copied.2.replace(",1000000000,", ",900000000,"),
    );
    assert_eq!(check(&[changed]), Vec::<Diagnostic>::new());
}

#[test]
fn penalties_follow_the_post_of_a_civil_servant() {
    let post = |leader: &str, penalty: &str, day: &str| {
        check(&[
            (
                QD,
                "  agency: ubnd-xa-an-binh",
                &format!("  leader: {leader}\n  agency: ubnd-xa-an-binh"),
            ),
            (QD, "penalty: warning", &format!("penalty: {penalty}")),
            (QD, "decided_on: 2025-10-15", &format!("decided_on: {day}")),
        ])
    };
    // Before 1 July 2025: salary downgrade only without a post, demotion only with one.
    assert_eq!(
        post("false", "salary_downgrade", "2025-06-30"),
        Vec::<Diagnostic>::new()
    );
    let d = post("true", "salary_downgrade", "2025-06-30");
    let e = expect(&d, "penalty-role", QD, 14, "penalty");
    assert!(
        e.message_vi.contains("không giữ chức vụ lãnh đạo, quản lý"),
        "{}",
        e.message_vi
    );
    assert!(
        e.message_vi.contains("Nghị định 112/2020/NĐ-CP"),
        "{}",
        e.message_vi
    );
    assert!(e.hint_vi.as_ref().unwrap().contains("`demotion`"), "{e:#?}");
    assert_eq!(
        post("true", "demotion", "2025-06-30"),
        Vec::<Diagnostic>::new()
    );
    let d = post("false", "demotion", "2025-06-30");
    let e = expect(&d, "penalty-role", QD, 14, "penalty");
    assert!(
        e.message_en
            .contains("only for a `civil_servant` who holds a leading"),
        "{}",
        e.message_en
    );
    // From 1 July 2025 neither exists, and removal is for post holders only.
    let d = post("true", "demotion", "2025-07-01");
    let e = expect(&d, "penalty-role", QD, 14, "penalty");
    assert!(
        e.message_vi.contains("01/07/2025") && e.message_vi.contains("172/2025/NĐ-CP"),
        "{}",
        e.message_vi
    );
    assert_eq!(
        post("true", "removal", "2025-07-01"),
        Vec::<Diagnostic>::new()
    );
    expect(
        &post("false", "removal", "2025-07-01"),
        "penalty-role",
        QD,
        14,
        "penalty",
    );
}

#[test]
fn public_employees_are_removed_only_from_a_post() {
    let d = check(&[
        (QD, "role: civil_servant", "role: public_employee"),
        (
            QD,
            "  agency: ubnd-xa-an-binh",
            "  leader: false\n  agency: ubnd-xa-an-binh",
        ),
        (QD, "penalty: warning", "penalty: removal"),
    ]);
    let e = expect(&d, "penalty-role", QD, 14, "penalty");
    assert!(e.message_vi.contains("Luật Viên chức"), "{}", e.message_vi);
}

#[test]
fn a_leading_title_without_leader_is_a_warning_and_counts_as_a_post() {
    let d = check(&[(
        QD,
        "Công chức Địa chính xã An Bình",
        "Phó Trưởng phòng Quản lý đất đai",
    )]);
    let w = expect(&d, "leader-unset", QD, 11, "subject.position");
    assert_eq!(w.severity, Severity::Warning);
    // Checked as a post holder: removal is allowed, salary downgrade (2024) is not.
    let d = check(&[
        (
            QD,
            "Công chức Địa chính xã An Bình",
            "Phó Trưởng phòng Quản lý đất đai",
        ),
        (QD, "penalty: warning", "penalty: salary_downgrade"),
        (QD, "decided_on: 2025-10-15", "decided_on: 2024-10-15"),
        (QD, "published_on: 2025-10-18", "published_on: 2024-10-18"),
    ]);
    expect(&d, "penalty-role", QD, 13, "penalty");
    // A school (`Trường`) is not a post; `leader: false` silences the warning.
    assert_eq!(
        check(&[(
            QD,
            "Công chức Địa chính xã An Bình",
            "Giáo viên Trường Tiểu học An Bình"
        )]),
        Vec::<Diagnostic>::new()
    );
    assert_eq!(
        check(&[(
            QD,
            "  position: \"Công chức Địa chính xã An Bình\"",
            "  position: \"Phó Trưởng thôn\"\n  leader: false"
        )]),
        Vec::<Diagnostic>::new()
    );
}

#[test]
fn who_may_decide() {
    // An administrative decision by an inspection committee.
    let d = check(&[(QD, "authority: ubnd-tinh", "authority: ubkt-tinh-uy")]);
    let e = expect(&d, "authority-kind", QD, 4, "authority");
    assert_eq!(e.severity, Severity::Error);
    assert!(
        e.message_vi.contains("Ủy ban Kiểm tra Tỉnh ủy"),
        "{}",
        e.message_vi
    );
    assert!(
        e.hint_en.as_ref().unwrap().contains("`people_committee`"),
        "{e:#?}"
    );
    // Dissolving a party organisation is for the superior party committee.
    let dissolve = |authority: &str| {
        check(&[
            (QD, "track: administrative", "track: party"),
            (
                QD,
                "authority: ubnd-tinh",
                &format!("authority: {authority}"),
            ),
            (QD, "type: person", "type: organization"),
            (QD, "role: civil_servant", "role: party_organization"),
            (QD, "penalty: warning", "penalty: dissolution"),
            (
                AG,
                "",
                "- id: tinh-uy\n  name: \"Tỉnh ủy\"\n  kind: party_committee\n- id: thanh-tra-tinh\n  name: \"Thanh tra tỉnh\"\n  kind: inspectorate\n  parent: ubnd-tinh\n- id: ubnd-tinh\n  name: \"Ủy ban nhân dân tỉnh\"\n  kind: people_committee\n- id: ubnd-xa-an-binh\n  name: \"UBND xã An Bình\"\n  kind: commune\n  parent: ubnd-tinh\n- id: ubkt-tinh-uy\n  name: \"Ủy ban Kiểm tra Tỉnh ủy\"\n  kind: inspection_committee\n",
            ),
        ])
    };
    let d = dissolve("ubkt-tinh-uy");
    let e = expect(&d, "authority-kind", QD, 4, "authority");
    assert!(
        e.message_vi.contains("giải tán") && e.message_vi.contains("69-QĐ/TW"),
        "{}",
        e.message_vi
    );
    assert!(
        dissolve("tinh-uy")
            .iter()
            .all(|x| x.code != "authority-kind")
    );
}

#[test]
fn late_publication_cites_the_law_in_force_on_the_day_of_signing() {
    let d = signed("2025-06-30", 11);
    let w = expect(&d, "late-publication", KL, 7, "published_on");
    assert!(
        w.message_vi.contains("Luật Thanh tra 2022, Điều 79"),
        "{}",
        w.message_vi
    );
    let d = signed("2025-07-01", 11);
    let w = expect(&d, "late-publication", KL, 7, "published_on");
    assert!(
        w.message_vi
            .contains("Luật Thanh tra 2025 (số 84/2025/QH15)"),
        "{}",
        w.message_vi
    );
    assert!(
        !w.message_vi.contains("2022") && !w.message_vi.contains("Điều"),
        "{}",
        w.message_vi
    );
    assert!(signed("2025-07-01", 10).is_empty());
}

#[test]
fn the_site_sets_the_current_article_and_its_own_limits() {
    let config = (
        "congkhai.toml",
        "[follow_up]",
        "[publication]\narticle = \"52\"\nmax_days_after_signing = 5\n\n[follow_up]",
    );
    let d = check(&[
        config,
        (KL, "signed_on: 2025-06-12", "signed_on: 2025-07-01"),
        (KL, "published_on: 2025-06-20", "published_on: 2025-07-07"),
    ]);
    let w = expect(&d, "late-publication", KL, 7, "published_on");
    assert!(
        w.message_vi.contains("6 ngày") && w.message_vi.contains("5 ngày"),
        "{}",
        w.message_vi
    );
    assert!(
        w.message_vi.contains("(số 84/2025/QH15), Điều 52"),
        "{}",
        w.message_vi
    );
    // The older law keeps its own limit and article.
    let d = check(&[
        config,
        (KL, "published_on: 2025-06-20", "published_on: 2025-06-19"),
    ]);
    assert_eq!(d, Vec::<Diagnostic>::new());
}

#[test]
fn a_site_table_of_legal_rules_replaces_the_built_in_one_table_by_table() {
    let own = (
        "luat.toml",
        "",
        "[[publication]]\nlaw_vi = \"Luật Thanh tra (bản thử)\"\nlaw_en = \"Inspection Law (test)\"\nmax_days_after_signing = 3\nmin_days_on_portal = 15\n",
    );
    let d = check(&[own]);
    let w = expect(&d, "late-publication", KL, 7, "published_on");
    assert!(
        w.message_vi.contains("Luật Thanh tra (bản thử)") && w.message_vi.contains("3 ngày"),
        "{}",
        w.message_vi
    );
    // Its other tables are the built-in ones: the penalty rules still apply.
    expect(
        &check(&[own, (QD, "penalty: warning", "penalty: expulsion")]),
        "penalty-role",
        QD,
        13,
        "penalty",
    );
    // A mistake in it is reported in it, with its line and field.
    let d = check(&[(
        "luat.toml",
        "",
        "[[penalty]]\npenalty = \"warning\"\nroles = [\"cadre\"]\nbasis = \"nowhere\"\n",
    )]);
    expect(&d, "unknown-reference", "luat.toml", 4, "penalty[0].basis");
}

#[test]
fn a_body_citing_a_law_not_in_force_is_a_warning() {
    let cites = |day: &str| {
        check(&[
            (KL, "signed_on: 2025-06-12", &format!("signed_on: {day}")),
            (KL, "published_on: 2025-06-20", "published_on: 2025-07-05"),
            (
                KL,
                "cho 18 hộ gia đình.",
                "cho 18 hộ gia đình. Việc công khai thực hiện theo Điều 79 Luật Thanh tra năm 2022.",
            ),
        ])
    };
    let d = cites("2025-07-01");
    let w = expect(&d, "outdated-citation", KL, 47, "body");
    assert!(
        w.message_vi.contains("“Luật Thanh tra năm 2022”") && w.message_vi.contains("30/06/2025"),
        "{}",
        w.message_vi
    );
    assert!(
        w.hint_vi.as_ref().unwrap().contains("84/2025/QH15"),
        "{w:#?}"
    );
    assert!(
        cites("2025-06-30")
            .iter()
            .all(|x| x.code != "outdated-citation")
    );
}

#[test]
fn an_open_recommendation_not_updated_for_long_is_flagged() {
    // The fixture is checked as of 2026-01-01; KN2 was last updated on 2025-11-02.
    let stale = |day: &str| check(&[(KL, "      - on: 2025-10-05", &format!("      - on: {day}"))]);
    let d = stale("2025-10-02");
    let w = expect(&d, "stale-follow-up", KL, 21, "recommendations[0].progress");
    assert!(
        w.message_vi.contains("91 ngày") && w.message_vi.contains("90 ngày"),
        "{}",
        w.message_vi
    );
    assert!(
        stale("2025-10-03").is_empty(),
        "exactly 90 days is not stale"
    );
    let days = (
        "congkhai.toml",
        "on_time_target = 0.9",
        "on_time_target = 0.9\nstale_after_days = 30",
    );
    let d = check(&[days]);
    assert_eq!(
        d.iter().filter(|x| x.code == "stale-follow-up").count(),
        2,
        "{d:#?}"
    );
}

#[test]
fn a_decision_dated_before_the_conclusion_cannot_carry_it_out() {
    let d = check(&[
        (QD, "decided_on: 2025-10-15", "decided_on: 2025-06-11"),
        (QD, "published_on: 2025-10-18", "published_on: 2025-06-13"),
    ]);
    let w = expect(
        &d,
        "follow-up-before-conclusion",
        KL,
        41,
        "recommendations[2].decisions[0]",
    );
    assert!(
        w.message_vi.contains("11/06/2025") && w.message_vi.contains("12/06/2025"),
        "{}",
        w.message_vi
    );
}

#[test]
fn penalty_abolished_on_1_july_2025() {
    let d = check(&[(QD, "penalty: warning", "penalty: salary_downgrade")]);
    let e = expect(&d, "penalty-role", QD, 13, "penalty");
    assert!(e.message_vi.contains("01/07/2025"), "{}", e.message_vi);
    assert!(e.message_vi.contains("172/2025/NĐ-CP"));
    let before = check(&[
        (QD, "penalty: warning", "penalty: salary_downgrade"),
        (QD, "decided_on: 2025-10-15", "decided_on: 2025-06-15"),
        (QD, "published_on: 2025-10-18", "published_on: 2025-06-18"),
        (KL, "2025-10-20", "2025-10-20"),
    ]);
    assert!(
        before.iter().all(|x| x.code != "penalty-role"),
        "{before:#?}"
    );
}
