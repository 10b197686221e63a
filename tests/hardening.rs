//! Attacks on the tool: hostile content, path escapes, broken and huge input,
//! interrupted and concurrent builds, unwritable output.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::*;
use scraper::{Html, Selector};

/// Every element and attribute of a page that could run code.
fn executable(doc: &Html) -> Vec<String> {
    let mut found = Vec::new();
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let v = el.value();
        let name = v.name();
        if matches!(
            name,
            "iframe" | "object" | "embed" | "frame" | "applet" | "base" | "style"
        ) {
            found.push(format!("<{name}>"));
        }
        let theme_link = matches!(
            v.attr("rel"),
            Some("stylesheet" | "alternate" | "icon" | "canonical")
        ) || (v.attr("rel") == Some("preload")
            && v.attr("href").is_some_and(|h| h.starts_with('/')));
        if name == "link" && !theme_link {
            found.push(format!("<link rel={:?}>", v.attr("rel")));
        }
        // The theme's own search form posts to the site; no other form may exist.
        if name == "form" && v.attr("action").is_none_or(|a| !a.starts_with('/')) {
            found.push(format!("<form action={:?}>", v.attr("action")));
        }
        if name == "script" && v.attr("src").is_none_or(|s| !s.starts_with('/')) {
            found.push(format!("<script> {:?}", el.text().collect::<String>()));
        }
        if name == "meta"
            && v.attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
        {
            found.push("meta refresh".into());
        }
        for (attr, value) in v.attrs() {
            let lower = value.trim().to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!("{name} {attr}"));
            }
            if attr == "style" {
                found.push(format!("{name} style"));
            }
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "srcdoc"
            ) && ["javascript:", "vbscript:", "data:text"]
                .iter()
                .any(|s| lower.starts_with(s))
            {
                found.push(format!("{name} {attr}={value}"));
            }
        }
    }
    found
}

fn hostile_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&fixture("hostile"), &out, "2026-01-01");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, out)
}

#[test]
fn nothing_executable_from_content_survives_in_any_page() {
    let (_t, out) = hostile_site();
    let csp = Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).unwrap();
    let mut pages = 0;
    for (path, bytes) in snapshot(&out) {
        if path.extension().is_some_and(|e| e == "html") {
            pages += 1;
            let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
            let bad = executable(&doc);
            assert!(bad.is_empty(), "{}: {bad:?}", path.display());
            // Every page carries a policy that forbids inline script.
            let policy = doc
                .select(&csp)
                .next()
                .and_then(|m| m.value().attr("content"))
                .unwrap_or_else(|| panic!("{}: no Content-Security-Policy", path.display()));
            assert!(
                policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
                "{}: {policy}",
                path.display()
            );
        }
    }
    assert!(pages > 40);
    // The hostile text is shown, as text: template syntax is never evaluated.
    let conclusion = std::fs::read_to_string(out.join("ket-luan/kl-2025-015/index.html")).unwrap();
    assert!(
        conclusion.contains("{{ config }}") && conclusion.contains("{% include"),
        "shown as text"
    );
    assert!(
        conclusion.contains("&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;")
            || conclusion.contains("&lt;script&gt;alert('text')"),
        "escaped text"
    );
    let title = Html::parse_document(&conclusion);
    let t = Selector::parse("title").unwrap();
    let title_text: String = title.select(&t).next().unwrap().text().collect();
    assert!(
        title_text.contains("</title><script>"),
        "the title's markup stays inside the title: {title_text}"
    );
    let decision = std::fs::read_to_string(out.join("ky-luat/qd-2025-118/index.html")).unwrap();
    assert!(
        decision.contains("{% raw %}{{ site }}"),
        "template syntax in a note is text"
    );
}

#[test]
fn feeds_carry_hostile_content_only_as_escaped_text() {
    let (_t, out) = hostile_site();
    for e in walkdir::WalkDir::new(out.join("feeds")) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let xml = std::fs::read_to_string(e.path()).unwrap();
        assert!(
            !xml.to_ascii_lowercase().contains("<script"),
            "{}",
            e.path().display()
        );
        assert!(
            !xml.contains("type=\"html\"") && !xml.contains("type=\"xhtml\""),
            "only text constructs"
        );
        let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap();
        for entry in feed.entries {
            assert!(
                entry.content.is_none(),
                "no content element that a reader could render as HTML"
            );
        }
    }
    let all = std::fs::read_to_string(out.join("feeds/all.xml")).unwrap();
    assert!(
        all.contains("&lt;script&gt;"),
        "the hostile text is there, escaped"
    );
}

#[test]
fn exports_and_the_search_index_keep_hostile_text_as_data() {
    let (_t, out) = hostile_site();
    for name in [
        "conclusions",
        "recommendations",
        "decisions",
        "recoveries",
        "agencies",
    ] {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(format!("data/{name}.json"))).unwrap())
                .unwrap();
        assert!(json["rows"].as_array().is_some_and(|a| !a.is_empty()));
        let bytes = std::fs::read(out.join(format!("data/{name}.csv"))).unwrap();
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                // As Vietnamese Excel reads it: split again on `;` (and on
                // `,` and tab, as other locales do).
                for piece in cell.split([';', ',', '\t']) {
                    assert!(
                        !piece.trim_start().starts_with(['=', '+', '-', '@']),
                        "{name}: formula {piece:?} in {cell:?}"
                    );
                }
            }
        }
    }
    let recs = data_rows(&out, "recommendations");
    assert!(
        recs.iter().any(|r| r["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("<script>"))),
        "JSON keeps the text exactly"
    );
    for e in walkdir::WalkDir::new(out.join("search/meta")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let meta: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap();
            assert!(meta.is_array());
        }
    }
    // The page script renders results with textContent only.
    let js =
        std::fs::read_to_string(root().join("themes/default/static/search/search.js")).unwrap();
    assert!(
        !js.contains("innerHTML")
            && !js.contains("insertAdjacentHTML")
            && !js.contains("document.write")
    );
}

#[test]
fn symbolic_links_out_of_the_site_are_skipped_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let secret = tmp.path().join("secret.md");
    std::fs::write(
        &secret,
        std::fs::read(site.join("content/conclusions/kl-2025-015.md")).unwrap(),
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, site.join("content/conclusions/ngoai.md")).unwrap();
    std::os::unix::fs::symlink("/etc", site.join("content/pages/etc")).unwrap();
    let o = run(&["check", site.to_str().unwrap(), "--as-of", "2026-01-01"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning[link-skipped]").count(), 2, "{err}");
    assert!(err.contains("content/conclusions/ngoai.md") && err.contains("content/pages/etc"));
    // A link that stays inside the site is read.
    let site2 = tmp.path().join("site2");
    copy_dir(&fixture("valid"), &site2);
    std::fs::rename(
        site2.join("content/pages/gioi-thieu.md"),
        site2.join("gioi-thieu.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        site2.join("gioi-thieu.md"),
        site2.join("content/pages/gioi-thieu.md"),
    )
    .unwrap();
    let o = run(&["check", site2.to_str().unwrap(), "--as-of", "2026-01-01"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!stderr(&o).contains("link-skipped"), "{}", stderr(&o));
}

#[test]
fn theme_folders_linked_out_of_the_site_publish_nothing_from_there() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("passwd"), "root:x:0:0:secret").unwrap();
    std::fs::write(outside.join("vi.toml"), "[nav]\nhome = \"BỊ CHIẾM\"\n").unwrap();
    std::fs::write(outside.join("base.html"), "STOLEN {{ now() }}").unwrap();
    for folder in ["static", "templates", "i18n"] {
        let site = tmp.path().join(format!("site-{folder}"));
        copy_dir(&fixture("valid"), &site);
        std::os::unix::fs::symlink(&outside, site.join(folder)).unwrap();
        let out = tmp.path().join(format!("out-{folder}"));
        let o = build(&site, &out, "2026-01-01");
        assert_eq!(o.status.code(), Some(0), "{folder}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("warning[link-skipped]"),
            "{}",
            stderr(&o)
        );
        for (path, bytes) in snapshot(&out) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("root:x:0")
                    && !text.contains("STOLEN")
                    && !text.contains("BỊ CHIẾM"),
                "{folder}: {} carries a file from outside the site",
                path.display()
            );
        }
        let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
        assert!(!sums.contains("passwd"), "{folder}");
    }
}

#[test]
fn the_output_cannot_replace_the_site_or_escape_to_unwritable_places() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let before = snapshot(&site);
    for out in [site.clone(), tmp.path().to_path_buf(), site.join("content")] {
        let o = build(&site, &out, "2026-01-01");
        assert_eq!(o.status.code(), Some(2), "{}", out.display());
        assert!(
            stderr(&o).contains("will not write the output into"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(snapshot(&site), before, "nothing was touched");
    let missing = build(&site, &tmp.path().join("khong/co/public"), "2026-01-01");
    assert_eq!(missing.status.code(), Some(3));
    assert!(
        stderr(&missing).contains("does not exist"),
        "{}",
        stderr(&missing)
    );
    // /proc refuses new files even to root: a read-only parent.
    let ro = build(&site, Path::new("/proc/congkhai-public"), "2026-01-01");
    assert_eq!(ro.status.code(), Some(3));
    assert!(stderr(&ro).contains("cannot"), "{}", stderr(&ro));
}

#[test]
fn huge_and_deeply_nested_files_get_diagnostics() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let huge = format!("---\ntitle: \"x\"\n---\n{}", "a".repeat(5 * 1024 * 1024));
    std::fs::write(site.join("content/pages/lon.md"), huge).unwrap();
    let deep = format!("---\ntitle: {}{}\n---\n", "[".repeat(200), "]".repeat(200));
    std::fs::write(site.join("content/pages/sau.md"), deep).unwrap();
    let o = run(&[
        "check",
        site.to_str().unwrap(),
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("\"code\":\"too-large\"") && out.contains("content/pages/lon.md"),
        "{out}"
    );
    assert!(
        out.contains("\"code\":\"yaml-limit\"") && out.contains("content/pages/sau.md"),
        "{out}"
    );
}

fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect()
}

/// A build that crashes at `point` (`CONGKHAI_TEST_HOOK`): killed by the
/// system, as by a power cut, at a known moment instead of a guessed one.
fn crashed_build(site: &Path, out: &Path, point: &str) {
    let o = build_command(site, out, "2026-01-02")
        .env("CONGKHAI_TEST_HOOK", format!("crash:{point}"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), None, "killed by a signal: {}", stderr(&o));
}

#[test]
fn a_build_that_crashes_before_the_swap_loses_nothing_and_its_leftovers_are_cleaned() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let out = tmp.path().join("public");
    assert_eq!(build(&site, &out, "2026-01-01").status.code(), Some(0));
    let before = snapshot(&out);
    crashed_build(&site, &out, "staged");
    assert_eq!(snapshot(&out), before, "the previous output is intact");
    assert_eq!(leftovers(tmp.path()).len(), 1, "the staging folder is left");
    assert_eq!(build(&site, &out, "2026-01-02").status.code(), Some(0));
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
    assert_ne!(snapshot(&out), before, "the new build is in place");
}

#[test]
fn a_build_that_crashes_after_the_swap_leaves_the_new_site_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let out = tmp.path().join("public");
    assert_eq!(build(&site, &out, "2026-01-01").status.code(), Some(0));
    let old = snapshot(&out);
    // The same build elsewhere, extending the same change log.
    let fresh = tmp.path().join("fresh");
    let o = build_command(&site, &fresh, "2026-01-02")
        .arg("--previous")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    crashed_build(&site, &out, "swapped");
    assert_eq!(snapshot(&out), snapshot(&fresh), "the new site is complete");
    assert_ne!(snapshot(&out), old);
    // The old copy is ours: the next build removes it.
    assert_eq!(leftovers(tmp.path()).len(), 1);
    assert_eq!(build(&site, &out, "2026-01-02").status.code(), Some(0));
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn a_second_build_into_the_same_folder_is_refused_while_the_first_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let out = tmp.path().join("public");
    let mut first = build_command(&site, &out, "2026-01-01")
        .env("CONGKHAI_TEST_HOOK", "hold:staged")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Waits for the first build to say it holds before the swap.
    let mut err = std::io::BufReader::new(first.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("held at staged") {
        line.clear();
        assert!(
            std::io::BufRead::read_line(&mut err, &mut line).unwrap() > 0,
            "the first build ended early"
        );
    }
    let second = build(&site, &out, "2026-01-01");
    assert_eq!(second.status.code(), Some(3), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("another build is writing"),
        "{}",
        stderr(&second)
    );
    drop(first.stdin.take());
    assert!(first.wait().unwrap().success());
    assert!(out.join("index.html").is_file());
}

/// A workbook whose one sheet inflates from under a megabyte to `mib` MiB.
fn xlsx_bomb(path: &Path, mib: usize) {
    use std::io::Write;
    let file = std::fs::File::create(path).unwrap();
    let mut w = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("xl/workbook.xml", opts).unwrap();
    w.write_all(b"<workbook/>").unwrap();
    w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..mib {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap();
}

/// Runs congkhai with its address space capped, so that a runaway
/// allocation fails the test instead of the machine.
fn run_capped(args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("-c")
        .arg("ulimit -v 3000000 && exec \"$@\"")
        .arg("congkhai")
        .arg(env!("CARGO_BIN_EXE_congkhai"))
        .args(args)
        .env("NO_COLOR", "1");
    cmd.output().unwrap()
}

#[test]
fn hostile_workbooks_are_refused_in_bounded_memory_by_check_build_and_import() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let bomb = site.join("content/recoveries/2026-q1.xlsx");
    xlsx_bomb(&bomb, 100);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20);
    // Two cells far apart: a dense reader would allocate 17 billion cells.
    let far = tmp.path().join("xa.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write(0, 0, "Kỳ báo cáo").unwrap();
    sheet.write(1_048_575, 16_383, "x").unwrap();
    wb.save(&far).unwrap();
    let s = site.to_str().unwrap();
    let out = tmp.path().join("public");
    for args in [
        vec!["check", s, "--as-of", "2026-04-20"],
        vec![
            "build",
            s,
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            "2026-04-20",
        ],
    ] {
        let o = run_capped(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("too large once decompressed"), "{err}");
        assert!(err.contains("content/recoveries/2026-q1.xlsx"), "{err}");
    }
    assert!(!out.exists());
    std::fs::remove_file(&bomb).unwrap();
    let o = run_capped(&[
        "import",
        far.to_str().unwrap(),
        "--site",
        s,
        "--as-of",
        "2026-04-20",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("more than 256 columns"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn hidden_sheets_and_rows_are_skipped_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let book = tmp.path().join("thu-hoi.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let headers = [
        "Kỳ báo cáo",
        "Đơn vị",
        "Kiến nghị thu hồi (đồng)",
        "Đã thu hồi (đồng)",
        "Ngày báo cáo",
        "Người ký",
    ];
    let visible = wb.add_worksheet().set_name("Thu hồi").unwrap();
    for (c, h) in headers.iter().enumerate() {
        visible.write(0, c as u16, *h).unwrap();
    }
    for (r, (agency, got)) in [("thanh-tra-tinh", 100.0), ("ubnd-xa-an-binh", 999.0)]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        visible.write(r, 0, "2025-Q4").unwrap();
        visible.write(r, 1, *agency).unwrap();
        visible.write(r, 2, 1000.0).unwrap();
        visible.write(r, 3, *got).unwrap();
        visible.write(r, 4, "2026-01-05").unwrap();
        visible.write(r, 5, "Chánh Thanh tra tỉnh").unwrap();
    }
    visible.set_row_hidden(2).unwrap();
    let draft = wb.add_worksheet().set_name("Nháp").unwrap();
    for (c, h) in headers.iter().enumerate() {
        draft.write(0, c as u16, *h).unwrap();
    }
    draft.write(1, 0, "2025-Q4").unwrap();
    draft.set_hidden(true);
    wb.save(&book).unwrap();
    let o = run(&[
        "import",
        book.to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
        "--as-of",
        "2026-01-15",
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("skipped the hidden sheet `Nháp`"), "{err}");
    assert!(
        err.contains("skipped 1 hidden rows of the sheet `Thu hồi`: 3"),
        "{err}"
    );
    let csv = std::fs::read_to_string(site.join("content/recoveries/2025-q4.csv")).unwrap();
    assert!(
        csv.contains("thanh-tra-tinh") && !csv.contains("999"),
        "{csv}"
    );
}

#[test]
fn markup_that_would_hide_the_rest_of_a_page_is_reported() {
    let o = run(&[
        "check",
        fixture("hostile").to_str().unwrap(),
        "--as-of",
        "2026-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let hidden: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|d: &serde_json::Value| d["code"] == "hidden-text")
        .collect();
    assert_eq!(hidden.len(), 1, "{}", stdout(&o));
    assert_eq!(hidden[0]["file"], "content/pages/gioi-thieu.md");
    assert_eq!(hidden[0]["severity"], "warning");
    assert!(hidden[0]["line"].as_u64().unwrap() > 0);
}

#[test]
fn deeply_nested_bodies_are_refused_by_check_in_bounded_time() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixture("valid"), &site);
    let page = |name: &str, body: String| {
        std::fs::write(
            site.join(format!("content/pages/{name}.md")),
            format!("---\ntitle: \"{name}\"\n---\nĐầu trang.\n\n{body}\n"),
        )
        .unwrap();
    };
    page("trich-dan", format!("{} a", ">".repeat(100_000)));
    page("the-div", "<div>".repeat(20_000));
    let start = std::time::Instant::now();
    let out = tmp.path().join("public");
    let o = build(&site, &out, "2026-01-01");
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("error[too-deep]").count(), 2, "{err}");
    assert!(
        err.contains("content/pages/trich-dan.md:6") && err.contains("content/pages/the-div.md:6"),
        "{err}"
    );
    assert!(!out.exists());
}
