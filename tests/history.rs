//! History and proof, end to end through the real binary: the change log
//! across builds (added, corrected, moved, removed, overdue), its pages and
//! feed, determinism, `verify` catching a rewritten entry, and signing with
//! minisign, checked by Debian's own `minisign` command.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// A copy of the `valid` fixture with one more decision (to be removed later).
fn site(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    copy_dir(&fixture("valid"), &site);
    let d = site.join("content/decisions");
    let extra = std::fs::read_to_string(d.join("qd-2025-118.md"))
        .unwrap()
        .replace("118/QĐ-UBND", "119/QĐ-UBND")
        .replace("related: [kl-2025-015]", "related: []");
    std::fs::write(d.join("qd-2025-119.md"), extra).unwrap();
    site
}

fn log_lines(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("data/changes.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn ok(o: std::process::Output) -> std::process::Output {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    o
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The four edits of the scenario: a conclusion added, a published amount
/// corrected, a status moved by new progress, a decision removed.
fn change(site: &Path) {
    let c = site.join("content/conclusions");
    let added = std::fs::read_to_string(c.join("kl-2025-015.md"))
        .unwrap()
        .replace("15/KL-TTr", "16/KL-TTr")
        .replace("due: 2025-12-31", "due: 2026-02-15")
        .replace("    decisions: [qd-2025-118]\n", "");
    std::fs::write(c.join("kl-2025-016.md"), added).unwrap();
    edit(
        &c.join("kl-2025-015.md"),
        "money_vnd: 12500000000",
        "money_vnd: 12050000000",
    );
    edit(
        &c.join("kl-2025-015.md"),
        "cho 18 hộ gia đình.",
        "cho 18 hộ gia đình (đính chính: 19 hộ).",
    );
    edit(
        &c.join("kl-2025-015.md"),
        "        recovered_land_m2: 1200\n",
        "        recovered_land_m2: 1200\n      - on: 2026-01-10\n        status: done\n        recovered_land_m2: 3500\n        evidence: \"Biên bản bàn giao đất số 5/BB\"\n",
    );
    std::fs::remove_file(site.join("content/decisions/qd-2025-119.md")).unwrap();
}

fn kinds(log: &[serde_json::Value]) -> Vec<(String, String)> {
    log.iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["id"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_change_log_records_each_kind_of_change_and_nothing_when_nothing_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site(tmp.path());
    let out = tmp.path().join("public");
    ok(build(&site, &out, "2026-01-15"));
    let first = log_lines(&out);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["kind"], "started");
    assert_eq!(first[0]["prev"], serde_json::Value::Null);
    // Records of the fixture: conclusions, their recommendations, decisions, recovery rows.
    let recoveries = std::fs::read_to_string(site.join("content/recoveries/2025-q3.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    let expected = records_in(&site, "conclusions")
        + recommendations_in(&site)
        + records_in(&site, "decisions")
        + recoveries;
    assert_eq!(first[0]["records"], expected as u64);

    change(&site);
    ok(build(&site, &out, "2026-01-20"));
    let log = log_lines(&out);
    assert_eq!(
        kinds(&log[1..]),
        [
            ("corrected".into(), "kl-2025-015".into()),
            ("added".into(), "kl-2025-016".into()),
            ("changed".into(), "kl-2025-015/KN2".into()),
            ("added".into(), "kl-2025-016/KN1".into()),
            ("added".into(), "kl-2025-016/KN2".into()),
            ("added".into(), "kl-2025-016/KN3".into()),
            ("removed".into(), "qd-2025-119".into()),
        ]
    );
    assert!(
        log[1]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "text_sha256"),
        "an edit of the text is a change too"
    );
    let corrected = log[1]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "violations_money_vnd")
        .unwrap();
    assert_eq!(corrected["field"], "violations_money_vnd");
    assert_eq!(corrected["old"], 12_500_000_000u64);
    assert_eq!(corrected["new"], 12_050_000_000u64);
    let moved = log[3]["changes"].as_array().unwrap();
    assert!(
        moved
            .iter()
            .any(|c| c["field"] == "status" && c["old"] == "in_progress" && c["new"] == "done"),
        "{moved:?}"
    );
    for e in &log {
        assert_eq!(
            e["as_of"],
            if e["seq"] == 1 {
                "2026-01-15"
            } else {
                "2026-01-20"
            }
        );
    }

    // The pages say it: the log page, its filter by kind, the record's page.
    let page = std::fs::read_to_string(out.join("thay-doi/index.html")).unwrap();
    assert!(page.contains("Đính chính số liệu") && page.contains("12.050.000.000"));
    assert!(page.contains("Gỡ khỏi cổng") && page.contains("119/QĐ-UBND"));
    let corrections =
        std::fs::read_to_string(out.join("thay-doi/loai/corrected/index.html")).unwrap();
    assert!(corrections.contains("15/KL-TTr") && !corrections.contains("119/QĐ-UBND"));
    let record = std::fs::read_to_string(out.join("ket-luan/kl-2025-015/index.html")).unwrap();
    assert!(record.contains("Lịch sử công khai") && record.contains("Sửa lần cuối"));
    assert!(
        record.contains("<del>12.500.000.000"),
        "the old figure stays shown"
    );
    let english = std::fs::read_to_string(out.join("en/thay-doi/index.html")).unwrap();
    assert!(english.contains("Figure corrected"));

    // The feed announces each event, newest first, with its kind.
    let feed = feed_rs::parser::parse(&std::fs::read(out.join("feeds/thay-doi.xml")).unwrap()[..])
        .unwrap();
    assert_eq!(feed.entries.len(), log.len() - 1);
    assert!(
        feed.entries
            .iter()
            .any(|e| e.categories.iter().any(|c| c.term == "corrected"))
    );

    // A build with nothing new adds nothing.
    let before = std::fs::read(out.join("data/changes.jsonl")).unwrap();
    ok(build(&site, &out, "2026-01-20"));
    assert_eq!(
        std::fs::read(out.join("data/changes.jsonl")).unwrap(),
        before
    );

    // Time passing makes an unfinished recommendation overdue: an event.
    ok(build(&site, &out, "2026-03-01"));
    let later = log_lines(&out);
    let overdue: Vec<_> = later[log.len()..]
        .iter()
        .map(|e| (e["kind"].clone(), e["id"].clone(), e["as_of"].clone()))
        .collect();
    assert_eq!(
        overdue,
        [(
            "overdue".into(),
            "kl-2025-016/KN2".into(),
            "2026-03-01".into()
        )],
        "only the recommendation that fell due in between"
    );

    // The chain verifies.
    let v = ok(bin()
        .args(["verify", out.to_str().unwrap()])
        .output()
        .unwrap());
    assert!(stderr(&v).contains("chuỗi băm"), "{}", stderr(&v));
}

#[test]
fn the_same_content_and_previous_output_give_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site(tmp.path());
    let v1 = tmp.path().join("v1");
    ok(build(&site, &v1, "2026-01-15"));
    change(&site);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        ok(build_command(&site, out, "2026-01-20")
            .arg("--previous")
            .arg(&v1)
            .output()
            .unwrap());
    }
    assert_eq!(snapshot(&a), snapshot(&b));
    assert!(log_lines(&a).len() > 1);
}

/// Rewrites line `n` (from 1) of the log in `out` with `f`, and (as a forger
/// would) the manifest's hash of the log.
fn forge(out: &Path, n: usize, f: impl Fn(&str) -> String) {
    let path = out.join("data/changes.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == n { f(l) } else { l.to_string() })
        .collect();
    let new = lines.join("\n") + "\n";
    std::fs::write(&path, &new).unwrap();
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(new.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let fixed: String = sums
        .lines()
        .map(|l| {
            if l.ends_with("  data/changes.jsonl") {
                format!("{hash}  data/changes.jsonl\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(out.join("SHA256SUMS"), fixed).unwrap();
}

#[test]
fn verify_catches_a_rewritten_entry_and_a_log_that_does_not_extend_an_older_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site(tmp.path());
    let out = tmp.path().join("public");
    ok(build(&site, &out, "2026-01-15"));
    let old_log = tmp.path().join("changes-old.jsonl");
    std::fs::copy(out.join("data/changes.jsonl"), &old_log).unwrap();
    change(&site);
    ok(build(&site, &out, "2026-01-20"));
    let verify =
        |dir: &Path, extra: &[&str]| bin().arg("verify").arg(dir).args(extra).output().unwrap();
    ok(verify(&out, &["--extends", old_log.to_str().unwrap()]));

    // One old entry rewritten (the manifest fixed up too): the chain breaks.
    let forged = tmp.path().join("forged");
    copy_dir(&out, &forged);
    forge(&forged, 2, |l| l.replace("12050000000", "12000000000"));
    let o = verify(&forged, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("data/changes.jsonl line 3"),
        "{}",
        stderr(&o)
    );

    // The whole history rewritten with a consistent chain: only an older
    // copy of the log shows it.
    let rewritten = tmp.path().join("rewritten");
    let other = tmp.path().join("other-site");
    copy_dir(&fixture("valid"), &other);
    ok(build(&other, &rewritten, "2026-01-20"));
    let o = verify(&rewritten, &["--extends", old_log.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("history was rewritten"),
        "{}",
        stderr(&o)
    );

    // One byte of one page changed: the manifest catches it.
    let tampered = tmp.path().join("tampered");
    copy_dir(&out, &tampered);
    let page = tampered.join("ket-luan/kl-2025-015/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    let o = verify(&tampered, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("ket-luan/kl-2025-015/index.html"),
        "{}",
        stderr(&o)
    );

    // An extra file and a missing one.
    std::fs::write(tampered.join("them.html"), "x").unwrap();
    std::fs::remove_file(tampered.join("robots.txt")).unwrap();
    let e = stderr(&verify(&tampered, &[]));
    assert!(
        e.contains("them.html: extra file") && e.contains("robots.txt: missing"),
        "{e}"
    );
}

#[test]
fn a_previous_output_with_a_broken_log_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site(tmp.path());
    let out = tmp.path().join("public");
    ok(build(&site, &out, "2026-01-15"));
    ok(build(&site, &out, "2026-03-01"));
    let log = out.join("data/changes.jsonl");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replacen("\"seq\":1,", "\"seq\":7,", 1)).unwrap();
    let before = snapshot(&out);
    let o = build(&site, &out, "2026-03-02");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--previous"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
    // An as-of date before the log's last entry is refused too.
    std::fs::write(&log, text).unwrap();
    let o = build(&site, &out, "2026-02-01");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("2026-03-01"), "{}", stderr(&o));
}

/// Debian's `minisign`, which the test script installs: the signature must
/// verify with a tool that is not ours.
/// Runs `minisign -Vm MANIFEST` with the key given as `-p FILE` or `-P KEY`.
fn minisign_verify(manifest: &Path, key: (&str, &std::ffi::OsStr)) -> std::process::Output {
    minisign()
        .arg("-Vm")
        .arg(manifest)
        .arg(key.0)
        .arg(key.1)
        .output()
        .unwrap()
}

/// Declares the public key `line` in the site's configuration.
fn declare_key(site: &Path, line: &str) {
    let config = site.join("congkhai.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[signing]\npublic_key = \"{line}\"\n"),
    )
    .unwrap();
}

fn minisign() -> Command {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("minisign").is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "the `minisign` command is needed (apt-get install minisign; scripts/test.sh installs it)"
    );
    Command::new("minisign")
}

fn keygen(dir: &Path, password: Option<&str>) -> String {
    let mut cmd = bin();
    cmd.args(["keygen", "--out", dir.to_str().unwrap()]);
    if let Some(p) = password {
        cmd.env("TEST_KEY_PASSWORD", p)
            .args(["--password-env", "TEST_KEY_PASSWORD"]);
    }
    stdout(&ok(cmd.output().unwrap())).trim().to_string()
}

fn signed_build(
    site: &Path,
    out: &Path,
    key: Option<&Path>,
    password: Option<&str>,
) -> std::process::Output {
    let mut cmd = build_command(site, out, "2026-01-15");
    cmd.env_remove("CONGKHAI_SIGNING_KEY")
        .env_remove("CONGKHAI_SIGNING_PASSWORD");
    if let Some(k) = key {
        cmd.env("CONGKHAI_SIGNING_KEY", k);
    }
    if let Some(p) = password {
        cmd.env("CONGKHAI_SIGNING_PASSWORD", p);
    }
    cmd.output().unwrap()
}

#[test]
fn a_signed_site_verifies_with_minisign_and_with_congkhai_and_tampering_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site(tmp.path());
    let keys = tmp.path().join("keys");
    let line = keygen(&keys, None);
    assert!(line.starts_with("RW"), "{line}");
    declare_key(&site, &line);
    let out = tmp.path().join("public");

    // A declared key without the secret key is an error, not an unsigned site.
    let o = signed_build(&site, &out, None, None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("CONGKHAI_SIGNING_KEY"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());

    let secret = keys.join("congkhai.key");
    ok(signed_build(&site, &out, Some(&secret), None));
    assert!(out.join("SHA256SUMS.minisig").is_file());
    let published = std::fs::read_to_string(out.join("du-lieu/khoa-cong-khai.pub")).unwrap();
    assert!(published.contains(&line));
    // The secret key is nowhere in the site.
    let secret_text = std::fs::read_to_string(&secret).unwrap();
    let secret_line = secret_text.lines().nth(1).unwrap();
    for (path, bytes) in snapshot(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret_line),
            "{}",
            path.display()
        );
    }

    let pub_file = keys.join("congkhai.pub");
    let m = minisign_verify(&out.join("SHA256SUMS"), ("-p", pub_file.as_os_str()));
    assert!(m.status.success(), "{}{}", stdout(&m), stderr(&m));
    ok(bin()
        .args([
            "verify",
            out.to_str().unwrap(),
            "--key",
            pub_file.to_str().unwrap(),
        ])
        .output()
        .unwrap());

    // A changed manifest fails both checks.
    let sums = out.join("SHA256SUMS");
    let mut bytes = std::fs::read(&sums).unwrap();
    bytes[0] = if bytes[0] == b'0' { b'1' } else { b'0' };
    std::fs::write(&sums, bytes).unwrap();
    let m = minisign_verify(&sums, ("-p", pub_file.as_os_str()));
    assert!(!m.status.success());
    let o = bin()
        .args(["verify", out.to_str().unwrap(), "--key", &line])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("signature does not match"),
        "{}",
        stderr(&o)
    );

    // A secret key kept inside the site folder is refused.
    let inside = site.join("congkhai.key");
    std::fs::copy(&secret, &inside).unwrap();
    let o = signed_build(&site, &tmp.path().join("o1"), Some(&inside), None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("inside the site folder"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(&inside).unwrap();

    // The wrong secret key is refused.
    let other = tmp.path().join("other-keys");
    keygen(&other, None);
    let o = signed_build(
        &site,
        &tmp.path().join("o2"),
        Some(&other.join("congkhai.key")),
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not match"), "{}", stderr(&o));
}

#[test]
fn a_password_protected_key_signs_with_its_password_only() {
    let tmp = tempfile::tempdir().unwrap();
    let site = site(tmp.path());
    let keys = tmp.path().join("keys");
    let line = keygen(&keys, Some("mật khẩu dài"));
    declare_key(&site, &line);
    let secret = keys.join("congkhai.key");
    let o = signed_build(&site, &tmp.path().join("a"), Some(&secret), Some("sai"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = tmp.path().join("b");
    ok(signed_build(
        &site,
        &out,
        Some(&secret),
        Some("mật khẩu dài"),
    ));
    let m = minisign_verify(&out.join("SHA256SUMS"), ("-P", line.as_ref()));
    assert!(m.status.success(), "{}{}", stdout(&m), stderr(&m));
    // Keys are never overwritten.
    let o = bin()
        .args(["keygen", "--out", keys.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&secret).unwrap().lines().count(), 2);
}
