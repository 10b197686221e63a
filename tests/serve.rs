//! `congkhai new` and `congkhai serve`: a portal from nothing, previewed with
//! live rebuilds, surviving broken edits, on the loopback interface only.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut r = agent
        .get(&format!("http://127.0.0.1:{port}{path}"))
        .call()
        .ok()?;
    let status = r.status().as_u16();
    Some((status, r.body_mut().read_to_string().ok()?))
}

/// Polls until `check` accepts the page (or fails after a while); returns the wait.
fn wait_for(port: u16, path: &str, what: &str, check: impl Fn(u16, &str) -> bool) -> Duration {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if get(port, path).is_some_and(|(s, b)| check(s, &b)) {
            return start.elapsed();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for {what} at {path}");
}

fn h1(body: &str) -> String {
    body.split("<h1>")
        .nth(1)
        .and_then(|s| s.split("</h1>").next())
        .unwrap_or("")
        .to_string()
}

fn serve(dir: &Path, port: u16) -> Server {
    let child = bin()
        .args([
            "serve",
            dir.to_str().unwrap(),
            "--port",
            &port.to_string(),
            "--as-of",
            "2026-01-01",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Server(child)
}

/// A new portal (from `congkhai new`) being served on a free port.
fn new_portal_served() -> (tempfile::TempDir, std::path::PathBuf, u16, Server) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cong");
    assert_eq!(run(&["new", dir.to_str().unwrap()]).status.code(), Some(0));
    let port = free_port();
    let server = serve(&dir, port);
    (tmp, dir, port, server)
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn new_creates_a_portal_that_checks_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cong");
    let o = run(&["new", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(dir.join(".gitignore"))
            .unwrap()
            .contains("public/")
    );
    let conclusion =
        std::fs::read_to_string(dir.join("content/conclusions/kl-2025-001.md")).unwrap();
    assert!(
        conclusion.contains("# số hiệu") && conclusion.contains("# ngày ký"),
        "fields are commented in Vietnamese"
    );
    let check = run(&["check", dir.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stderr(&check).contains(": 0 lỗi, 0 cảnh báo"),
        "{}",
        stderr(&check)
    );
    let build = run(&["build", dir.to_str().unwrap()]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(dir.join("public/ket-luan/kl-2025-001/index.html").is_file());
    // A non-empty folder is refused.
    let again = run(&["new", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"));
}

#[test]
fn serve_rebuilds_on_change_survives_broken_edits_and_listens_on_loopback() {
    let (_tmp, dir, port, _server) = new_portal_served();
    let page = "/ket-luan/kl-2025-001/";
    wait_for(port, page, "the first build", |s, b| {
        s == 200 && h1(b).contains("UBND xã Ví Dụ")
    });

    // Served pages get the live-reload script; built files never do.
    let (_, body) = get(port, page).unwrap();
    assert!(body.contains("/__congkhai/reload.js"));
    assert!(
        get(port, "/__congkhai/reload.js")
            .unwrap()
            .1
            .contains("EventSource")
    );
    let built = run(&["build", dir.to_str().unwrap(), "--as-of", "2026-01-01"]);
    assert_eq!(built.status.code(), Some(0));
    for (p, bytes) in snapshot(&dir.join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__congkhai"),
            "{}",
            p.display()
        );
    }

    // An edit is served.
    let file = dir.join("content/conclusions/kl-2025-001.md");
    edit(
        &file,
        "việc quản lý, sử dụng đất tại UBND xã Ví Dụ",
        "đã được sửa lần một",
    );
    let took = wait_for(port, page, "the edited title", |s, b| {
        s == 200 && h1(b).contains("đã được sửa lần một")
    });
    eprintln!("edit to served: {took:?}");

    // A broken edit: the server lives on, the last good page stays served,
    // and the overlay gets the same diagnostic as `check`.
    edit(&file, "\nsigned_on: 2025-06-12", "\nsignd_on: 2025-06-12");
    wait_for(port, "/__congkhai/status", "the error report", |_, b| {
        b.contains("\"ok\":false")
    });
    let (_, status) = get(port, "/__congkhai/status").unwrap();
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    let d = &status["diagnostics"][0];
    assert_eq!(d["file"], "content/conclusions/kl-2025-001.md");
    assert_eq!(d["code"], "unknown-key");
    assert!(d["line"].as_u64().unwrap() > 0);
    assert!(
        status["report"]
            .as_str()
            .unwrap()
            .contains("content/conclusions/kl-2025-001.md:"),
        "{status}"
    );
    let (code, body) = get(port, page).unwrap();
    assert_eq!(
        (code, h1(&body).contains("đã được sửa lần một")),
        (200, true),
        "the last good build is still served"
    );

    // Fixed: rebuilt.
    edit(&file, "\nsignd_on: 2025-06-12", "\nsigned_on: 2025-06-12");
    edit(&file, "đã được sửa lần một", "đã được sửa lần hai");
    wait_for(port, page, "the fixed page", |s, b| {
        s == 200 && h1(b).contains("đã được sửa lần hai")
    });
    assert!(
        get(port, "/__congkhai/status")
            .unwrap()
            .1
            .contains("\"ok\":true")
    );

    // Search files and open data are served too; unknown paths are 404.
    assert_eq!(get(port, "/search/manifest.json").unwrap().0, 200);
    assert_eq!(get(port, "/data/recommendations.csv").unwrap().0, 200);
    assert_eq!(get(port, "/khong-co/").unwrap().0, 404);
    assert_eq!(
        get(port, "/../../etc/passwd").map(|r| r.0).unwrap_or(404),
        404
    );

    // Loopback only: the kernel's table of listening sockets says 127.0.0.1.
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let hex_port = format!(":{port:04X}");
    let ours: Vec<&str> = tcp
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(1)
                .is_some_and(|a| a.ends_with(&hex_port))
                && l.split_whitespace().nth(3) == Some("0A")
        })
        .collect();
    assert!(!ours.is_empty(), "listening socket not found");
    for l in ours {
        assert!(
            l.split_whitespace()
                .nth(1)
                .unwrap()
                .starts_with("0100007F:"),
            "{l}"
        );
    }
    let tcp6 = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    assert!(
        !tcp6.lines().any(|l| l
            .split_whitespace()
            .nth(1)
            .is_some_and(|a| a.ends_with(&hex_port))),
        "no IPv6 listener"
    );
}

/// Saves as editors and tools make them reach the preview: a new file
/// renamed over the old one (`sed -i`, Emacs, Vim by default), a file added
/// and then removed.
#[test]
fn saves_by_rename_and_files_added_or_removed_are_served() {
    let (_tmp, dir, port, _server) = new_portal_served();
    let page = "/ket-luan/kl-2025-001/";
    wait_for(port, page, "the first build", |s, _| s == 200);

    let file = dir.join("content/conclusions/kl-2025-001.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let saved = dir.join("content/conclusions/sedX1Y2");
    std::fs::write(
        &saved,
        text.replacen("UBND xã Ví Dụ", "lưu bằng đổi tên", 1),
    )
    .unwrap();
    std::fs::rename(&saved, &file).unwrap();
    wait_for(port, page, "the page saved by a rename", |s, b| {
        s == 200 && h1(b).contains("lưu bằng đổi tên")
    });

    let added = dir.join("content/pages/trang-moi.md");
    std::fs::write(&added, "---\ntitle: Trang mới thêm\n---\nNội dung.\n").unwrap();
    wait_for(port, "/trang/trang-moi/", "the added page", |s, b| {
        s == 200 && h1(b).contains("Trang mới thêm")
    });
    std::fs::remove_file(&added).unwrap();
    wait_for(
        port,
        "/trang/trang-moi/",
        "the removed page gone",
        |s, _| s == 404,
    );
}

/// `serve` watches source folders made after it started, and made again
/// after being removed, on a portal built before it was served (whose
/// output it must not watch: at 100 000 records that output alone has more
/// folders than the system lets one process watch).
#[test]
fn source_folders_made_while_serving_are_watched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cong");
    assert_eq!(run(&["new", dir.to_str().unwrap()]).status.code(), Some(0));
    let built = run(&["build", dir.to_str().unwrap(), "--as-of", "2026-01-01"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let port = free_port();
    let _server = serve(&dir, port);
    wait_for(port, "/ket-luan/kl-2025-001/", "the first build", |s, _| {
        s == 200
    });
    let folder = dir.join("static");
    let note = folder.join("ghi-chu.txt");
    for round in 0..2 {
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(&note, format!("bản {round}.0")).unwrap();
        let first = format!("bản {round}.0");
        wait_for(port, "/ghi-chu.txt", "the file of a new folder", |s, b| {
            s == 200 && b == first
        });
        // Written in place: only the new folder's own watch sees this.
        std::fs::write(&note, format!("bản {round}.1")).unwrap();
        let second = format!("bản {round}.1");
        wait_for(port, "/ghi-chu.txt", "an edit in the new folder", |s, b| {
            s == 200 && b == second
        });
        std::fs::remove_dir_all(&folder).unwrap();
        wait_for(port, "/ghi-chu.txt", "the removed folder", |s, _| s == 404);
    }
}

/// How many times the preview's change log says the conclusion
/// `kl-2025-001` changed.
fn changes_logged(port: u16) -> usize {
    get(port, "/data/changes.jsonl").map_or(0, |(_, log)| {
        log.lines()
            .filter(|l| l.contains("\"kind\":\"changed\"") && l.contains("\"id\":\"kl-2025-001\""))
            .count()
    })
}

/// The preview's change log compares the content with the last build's
/// output: the one there when `serve` started, then the one a new build
/// put in its place.
#[test]
fn the_preview_change_log_compares_with_the_latest_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cong");
    assert_eq!(run(&["new", dir.to_str().unwrap()]).status.code(), Some(0));
    let build = || {
        let o = run(&["build", dir.to_str().unwrap(), "--as-of", "2026-01-01"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    build();
    let port = free_port();
    let _server = serve(&dir, port);
    wait_for(port, "/ket-luan/kl-2025-001/", "the first build", |s, _| {
        s == 200
    });
    assert_eq!(changes_logged(port), 0);
    let file = dir.join("content/conclusions/kl-2025-001.md");
    let (before, after) = ("tại UBND xã Ví Dụ\"", "tại UBND xã Ví Dụ (sửa)\"");
    let logged = |n: usize, what: &str| {
        wait_for(port, "/data/changes.jsonl", what, |_, _| {
            changes_logged(port) == n
        });
    };
    edit(&file, before, after);
    logged(1, "the edit in the log");
    // The build logs the edit; undoing it is then a second change, which
    // only a comparison with this new build finds.
    build();
    edit(&file, after, before);
    logged(2, "the undoing in the log");
}

#[test]
fn a_busy_port_is_explained() {
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let o = bin()
        .args([
            "serve",
            fixture("valid").to_str().unwrap(),
            "--port",
            &port.to_string(),
            "--as-of",
            "2026-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("--port"), "{}", stderr(&o));
}

/// Reads the event stream until `want` appears; returns what was read.
fn read_events(stream: &mut std::net::TcpStream, want: &str, within: Duration) -> String {
    use std::io::Read;
    let start = Instant::now();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while start.elapsed() < within && !String::from_utf8_lossy(&seen).contains(want) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("{e}"),
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[test]
fn live_reload_events_come_at_once_and_only_after_an_edit() {
    use std::io::Write;
    let (_tmp, dir, port, _server) = new_portal_served();
    wait_for(port, "/", "the first build", |s, _| s == 200);

    let mut events = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    events
        .write_all(
            format!("GET /__congkhai/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
        )
        .unwrap();
    let head = read_events(&mut events, "retry:", Duration::from_secs(5));
    assert!(head.contains("text/event-stream"), "{head}");

    let builds = || -> u64 {
        let (_, body) = get(port, "/__congkhai/status").unwrap();
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["builds"]
            .as_u64()
            .unwrap()
    };
    let before = builds();

    // Each edit gives one event, delivered as soon as the rebuild is done
    // (not held back in a buffer until the next keep-alive).
    let file = dir.join("content/conclusions/kl-2025-001.md");
    edit(&file, "\nsigned_on: 2025-06-12", "\nsignd_on: 2025-06-12");
    let broken = read_events(&mut events, "data: broken", Duration::from_secs(5));
    assert!(broken.contains("event: broken"), "{broken}");
    edit(&file, "\nsignd_on: 2025-06-12", "\nsigned_on: 2025-06-12");
    let fixed = read_events(&mut events, "data: reload", Duration::from_secs(5));
    assert!(fixed.contains("event: reload"), "{fixed}");
    // Rebuilding reads the content; reading is not an edit: two edits, two
    // rebuilds, and the events above were the only ones between them.
    assert_eq!(builds(), before + 2);
    assert_eq!(broken.matches("event:").count(), 1, "{broken}");
    assert_eq!(fixed.matches("event:").count(), 1, "{fixed}");
}

/// Sends raw bytes as a request and returns the response (status line and all).
fn raw(port: u16, request: &[u8]) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn only_loopback_host_names_are_answered_and_request_heads_are_bounded() {
    let (_tmp, _dir, port, _server) = new_portal_served();
    wait_for(port, "/", "the first build", |s, _| s == 200);
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = raw(
            port,
            format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert!(r.starts_with("HTTP/1.1 200"), "{host}: {r}");
    }
    // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding).
    for path in ["/", "/__congkhai/status", "/du-lieu/"] {
        let r = raw(
            port,
            format!("GET {path} HTTP/1.1\r\nHost: attacker.example:{port}\r\n\r\n").as_bytes(),
        );
        assert!(r.starts_with("HTTP/1.1 421"), "{path}: {r}");
        assert!(!r.contains("<html") && !r.contains("diagnostics"), "{r}");
    }
    // A request head of 200 MB is refused after 16 KiB, not kept.
    let r = {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let _ =
            s.write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: ").as_bytes());
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            if s.write_all(&chunk).is_err() {
                break;
            }
        }
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    };
    assert!(r.starts_with("HTTP/1.1 431"), "{r}");
    // Still serving.
    assert_eq!(get(port, "/").map(|(s, _)| s), Some(200));
}

#[test]
fn connections_past_the_cap_are_turned_away_and_the_server_recovers() {
    let (_tmp, _dir, port, _server) = new_portal_served();
    wait_for(port, "/", "the first build", |s, _| s == 200);
    // Connections that never send a request hold their slot until the timeout.
    let idle: Vec<std::net::TcpStream> = (0..64)
        .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    // The server counts a connection once it has accepted it: the 65th is
    // answered 503 once all 64 are counted.
    let start = Instant::now();
    let mut turned_away = false;
    while start.elapsed() < Duration::from_secs(5) && !turned_away {
        turned_away = raw(
            port,
            format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
        )
        .starts_with("HTTP/1.1 503");
    }
    assert!(turned_away, "the 65th connection was served");
    drop(idle);
    wait_for(port, "/", "the server to recover", |s, _| s == 200);
}
