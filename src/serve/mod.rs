//! `congkhai serve`: builds the site in memory, serves it on 127.0.0.1 with
//! live reload, and rebuilds when a content, template or static file changes.
//!
//! Only what changed is read again (see [`crate::load::Cache`]) and pages are
//! rendered when they are requested, so an edit shows quickly even on a large
//! portal. A broken edit never stops the server: the last good site stays
//! served, with an overlay listing the same diagnostics as `check`.

use crate::diag::Code;
use crate::site::media::content_type;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use crate::derive::Derived;
use crate::diag::{self, Diagnostic};
use crate::load;
use crate::model::{self, Site};
use crate::produce::{Inputs, ProduceError, Producers};
use crate::render::{Compiled, theme};
use crate::site::urls::Urls;
use http::{Reply, Request, Response};

mod http;

self_cell::self_cell!(
    /// A site and the views derived from it, kept together between requests.
    struct SiteCell {
        owner: Site,
        #[covariant]
        dependent: Derived,
    }
);

/// A successful build, made lazily: each file when first asked for.
struct Built {
    cell: SiteCell,
    files: theme::Files,
    compiled: Compiled,
    urls: Urls,
    producers: Producers,
    cache: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Built {
    /// The bytes of an output file, made by its producer if needed; `None`
    /// when no producer makes that path.
    fn file(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, ProduceError>> {
        if let Some(hit) = self.cache.lock().ok()?.get(path) {
            return Some(Ok(hit.clone()));
        }
        let inputs = Inputs {
            d: self.cell.borrow_dependent(),
            files: &self.files,
            compiled: &self.compiled,
            urls: &self.urls,
        };
        let bytes = match self.producers.produce(&inputs, path)? {
            Ok(b) => Arc::new(b),
            Err(e) => return Some(Err(e)),
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(path.to_string(), bytes.clone());
        }
        Some(Ok(bytes))
    }
}

/// What the server shows: the last good build, and the problems of the
/// latest attempt.
#[derive(Default)]
struct State {
    built: Option<Arc<Built>>,
    diagnostics: Vec<Diagnostic>,
    /// How many times the site was loaded and checked: tests read it to
    /// know that reading files did not itself cause a rebuild.
    builds: u64,
}

/// What `serve` keeps between rebuilds: the loaded files and the records
/// read from them, so that an edit re-reads and re-checks only what changed,
/// and the last build's output as the change log compares with it.
struct Memory {
    files: load::Cache,
    records: model::Memo,
    previous: Option<(Stamp, Arc<crate::published::Previous>)>,
    /// Each record's rows as the change log compares them.
    lines: crate::published::lines::Kept,
}

/// Which build an output is: its manifest's size and time. Every build
/// writes a new manifest (it lists every file's hash), so an output read
/// with the same stamp is the same output.
type Stamp = (u64, std::time::SystemTime);

impl Memory {
    /// The last build's output (`public/`, when congkhai made it) as the
    /// change log compares with it, read again only when a build replaced
    /// it: reading and keying 500 000 rows took seconds at 100 000 records.
    /// An output that cannot be read is left out of the preview; `build`
    /// says why.
    fn previous(&mut self, dir: &Path) -> Arc<crate::published::Previous> {
        let out = dir.join("public");
        if !out.join(crate::write::owner::MARKER).is_file() {
            return Arc::default();
        }
        let stamp = std::fs::metadata(out.join(crate::write::owner::MANIFEST))
            .and_then(|m| Ok((m.len(), m.modified()?)))
            .ok();
        if let (Some(stamp), Some((kept, previous))) = (stamp, &self.previous)
            && stamp == *kept
        {
            return previous.clone();
        }
        let previous = Arc::new(crate::published::read_previous(&out).unwrap_or_default());
        self.previous = stamp.map(|s| (s, previous.clone()));
        previous
    }
}

/// Loads, checks and prepares a build. Pages are not rendered here.
fn prepare(
    cache: &mut Memory,
    dir: &Path,
    as_of: NaiveDate,
    change: &Change,
) -> Result<Built, Vec<Diagnostic>> {
    let mut timer = crate::site::timer::Timer::new();
    let raw = match change {
        Change::Paths(paths) => cache.files.load_changed(paths),
        Change::Other => cache.files.load(),
    };
    timer.lap("load (changed files)");
    let (site, diags) = model::build_with(&raw, as_of, &mut cache.records);
    drop(raw);
    timer.lap("model (changed records)");
    let mut theme_diags = Vec::new();
    let files = theme::files(dir, &site.config.theme, &mut theme_diags);
    let mut all = diags;
    all.extend(theme_diags);
    // Only errors stop the preview; sorting tens of thousands of warnings
    // on every edit would be wasted.
    if all.has_errors() {
        return Err(all.sorted());
    }
    let urls = Urls::local();
    // The preview shows the change log as the next build would write it:
    // the last build's output compared with the content being edited, with
    // the addresses the build publishes (so that unchanged rows are the
    // same text, and are compared as text).
    let previous = cache.previous(dir);
    let published = Urls::new(&site.config.base_url);
    let cell = SiteCell::new(site, |s| {
        let mut d = Derived::new(s);
        d.history = crate::published::history_keeping(&d, &previous, &published, &mut cache.lines)
            .unwrap_or_default();
        d
    });
    timer.lap("derive and change log");
    let compiled = Compiled::new(cell.borrow_dependent(), &files, &urls).map_err(|d| vec![*d])?;
    let producers = Producers::new(cell.borrow_dependent(), true);
    timer.lap("templates");
    Ok(Built {
        cell,
        files,
        compiled,
        producers,
        urls,
        cache: Mutex::default(),
    })
}

/// Live-reload listeners.
#[derive(Default)]
struct Listeners(Mutex<Vec<Sender<&'static str>>>);

impl Listeners {
    fn add(&self) -> Receiver<&'static str> {
        let (tx, rx) = channel();
        if let Ok(mut l) = self.0.lock() {
            l.push(tx);
        }
        rx
    }

    fn send(&self, event: &'static str) {
        if let Ok(mut l) = self.0.lock() {
            l.retain(|tx| tx.send(event).is_ok());
        }
    }
}

/// Streams live-reload events to one page until it goes away, flushed per
/// event.
fn stream_events(mut out: std::net::TcpStream, listeners: &Listeners) {
    use std::io::Write;
    let rx = listeners.add();
    // False once the page has gone away.
    let mut send = |text: &str| {
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .is_ok()
    };
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    let mut open = send(head);
    while open {
        open = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => send(&format!("event: {event}\ndata: {event}\n\n")),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => send(": keep-alive\n\n"),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => false,
        };
    }
}

const RELOAD: &str = "<script src=\"/__congkhai/reload.js\" defer></script>";

/// Adds the live-reload script to a served page (never to built files).
fn inject(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{RELOAD}\n{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{RELOAD}").into_bytes(),
    }
}

/// The page shown when there has never been a good build.
fn broken_page() -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>congkhai: lỗi nội dung</title></head><body><h1>congkhai</h1><p>Nội dung có lỗi; sửa rồi lưu, trang sẽ tự tải lại. / The content has errors; fix and save, and the page reloads.</p>{RELOAD}</body></html>"
    )
    .into_bytes()
}

fn respond(status: u16, ctype: &'static str, body: Vec<u8>) -> Response {
    Response::new(status, ctype, body)
}

/// Answers one request of the preview.
fn handle(request: &Request, state: &Arc<RwLock<State>>, listeners: &Arc<Listeners>) -> Reply {
    let path = percent_decode(&request.path);
    Reply::Once(match path.as_str() {
        "/__congkhai/reload.js" => respond(
            200,
            content_type("x.js"),
            include_str!("reload.js").as_bytes().to_vec(),
        ),
        "/__congkhai/overlay.css" => respond(
            200,
            content_type("x.css"),
            include_str!("overlay.css").as_bytes().to_vec(),
        ),
        "/__congkhai/status" => {
            let s = state
                .read()
                .map(|s| status_json(&s.diagnostics, s.builds))
                .unwrap_or_default();
            respond(200, content_type("x.json"), s.into_bytes())
        }
        "/__congkhai/events" => {
            let listeners = listeners.clone();
            return Reply::Stream(Box::new(move |stream| stream_events(stream, &listeners)));
        }
        _ => serve_file(&path, state),
    })
}

fn serve_file(path: &str, state: &RwLock<State>) -> Response {
    let built = state.read().ok().and_then(|s| s.built.clone());
    let Some(built) = built else {
        return respond(503, content_type("x.html"), broken_page());
    };
    let rel = path.trim_start_matches('/');
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_string(), format!("{rel}/index.html")]
    };
    for c in candidates {
        if crate::write::safe_relative(&c).is_none() {
            continue;
        }
        match built.file(&c) {
            Some(Ok(bytes)) => {
                let ctype = content_type(&c);
                let body = if ctype.starts_with("text/html") {
                    inject(&bytes)
                } else {
                    bytes.to_vec()
                };
                return respond(200, ctype, body);
            }
            Some(Err(e)) => return failed(&c, e, state),
            None => {}
        }
    }
    let body = match built.file("404.html") {
        Some(Ok(b)) => inject(&b),
        _ => broken_page(),
    };
    respond(404, content_type("x.html"), body)
}

/// A file that could not be made: the error goes to the overlay (with the
/// template's file and line when a template failed), and the page says so.
fn failed(path: &str, e: ProduceError, state: &RwLock<State>) -> Response {
    let d = match e {
        ProduceError::Template(d) => *d,
        ProduceError::System(s) | ProduceError::Full(s) => Diagnostic::for_path(
            crate::diag::Severity::Error,
            Code::Io,
            path,
            crate::diag::msg(
                format!("Không tạo được {path}: {s}"),
                format!("cannot make {path}: {s}"),
            ),
        ),
    };
    let text = diag::render(&d, false);
    if let Ok(mut s) = state.write()
        && !s.diagnostics.contains(&d)
    {
        s.diagnostics.push(d);
    }
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let page = format!(
        "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>congkhai: lỗi</title></head><body><h1>congkhai</h1><pre>{escaped}</pre>{RELOAD}</body></html>"
    );
    respond(500, content_type("x.html"), page.into_bytes())
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn status_json(diags: &[Diagnostic], builds: u64) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let report: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| diag::render(d, false))
        .collect();
    serde_json::json!({ "ok": errors == 0, "errors": errors, "builds": builds, "diagnostics": diags, "report": report.join("\n") }).to_string()
}

/// The folders of a site's sources, watched with all they hold.
const SOURCE_FOLDERS: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];
/// The files of a site's sources at the top of its folder.
const SOURCE_FILES: [&str; 2] = ["congkhai.toml", "luat.toml"];

/// Whether a changed path can affect the site (not the output, not editor files).
fn relevant(dir: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (SOURCE_FOLDERS.contains(&first.as_str()) || SOURCE_FILES.contains(&first.as_str()))
        && !name.starts_with('.')
        && !name.ends_with('~')
}

/// Options of `serve`.
pub struct Options {
    pub dir: PathBuf,
    pub port: u16,
    pub open: bool,
    pub as_of: NaiveDate,
    pub quiet: bool,
}

/// Runs the server until the process is stopped.
pub fn run(opts: &Options) -> Result<(), String> {
    let addr = format!("127.0.0.1:{}", opts.port);
    let listener = std::net::TcpListener::bind(&addr).map_err(|e| {
        format!(
            "không mở được cổng {port} trên 127.0.0.1 ({e}); cổng có thể đang bận, hãy chọn cổng khác bằng --port / cannot listen on 127.0.0.1:{port} ({e}); the port may be in use, choose another with --port",
            port = opts.port
        )
    })?;
    let state = Arc::new(RwLock::new(State::default()));
    let listeners = Arc::new(Listeners::default());
    let mut cache = Memory {
        files: load::Cache::new(&opts.dir),
        records: model::Memo::keeping(),
        previous: None,
        lines: Default::default(),
    };
    let started = Instant::now();
    rebuild(
        &mut cache,
        opts,
        &state,
        &listeners,
        started,
        &Change::Other,
    );

    let dir = opts.dir.canonicalize().unwrap_or_else(|_| opts.dir.clone());
    let (mut watch, changes) = Watch::new(&dir)?;
    {
        let (state, listeners) = (state.clone(), listeners.clone());
        let opts = Options {
            dir: opts.dir.clone(),
            port: opts.port,
            open: false,
            as_of: opts.as_of,
            quiet: opts.quiet,
        };
        std::thread::spawn(move || {
            while let Ok(mut change) = changes.recv() {
                // An editor's save is a burst of events: let it settle.
                while let Ok(more) = changes.recv_timeout(Duration::from_millis(50)) {
                    change = change.and(more);
                }
                if change == Change::Other
                    && let Err(e) = watch.refresh()
                {
                    eprintln!("lỗi / error: {e}");
                }
                rebuild(
                    &mut cache,
                    &opts,
                    &state,
                    &listeners,
                    Instant::now(),
                    &change,
                );
            }
        });
    }
    let url = format!("http://{addr}/");
    if !opts.quiet {
        eprintln!("Đang phục vụ tại / serving at {url} (Ctrl+C để dừng / to stop)");
    }
    if opts.open {
        let _ = opener::open(&url);
    }
    let port = opts.port;
    http::serve(listener, port, move |request| {
        handle(request, &state, &listeners)
    });
    Ok(())
}

/// What the watcher saw.
#[derive(Debug, PartialEq)]
enum Change {
    /// Only these paths (relative to the site) were written, made, removed
    /// or renamed, each inside a source folder or one of the files at the
    /// top written: the load looks at them without listing the site again
    /// (see [`load::Cache::load_changed`]).
    Paths(Vec<PathBuf>),
    /// Anything else: something at the top of the site made, removed or
    /// renamed (a source folder may have come or gone, and must be watched
    /// again), or events the system lost.
    Other,
}

impl Change {
    /// What an event means for the site folder `root`; `None` when it
    /// cannot affect the site.
    fn of(root: &Path, event: &notify::Event) -> Option<Change> {
        use notify::EventKind::{Access, Create, Modify, Remove};
        use notify::event::ModifyKind;
        if matches!(event.kind, Access(_)) || !event.paths.iter().any(|p| relevant(root, p)) {
            return None;
        }
        let written = matches!(
            event.kind,
            Modify(ModifyKind::Data(_) | ModifyKind::Metadata(_) | ModifyKind::Any)
        );
        let moved = matches!(
            event.kind,
            Create(_) | Remove(_) | Modify(ModifyKind::Name(_))
        );
        let paths: Option<Vec<PathBuf>> = event
            .paths
            .iter()
            .map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
            .collect();
        let inside = |p: &PathBuf| p.components().count() >= 2;
        Some(match paths {
            Some(paths)
                if !event.need_rescan() && (written || moved && paths.iter().all(inside)) =>
            {
                Change::Paths(paths)
            }
            _ => Change::Other,
        })
    }

    /// Two changes seen one after the other.
    fn and(self, next: Change) -> Change {
        match (self, next) {
            (Change::Paths(mut a), Change::Paths(b)) => {
                a.extend(b);
                Change::Paths(a)
            }
            _ => Change::Other,
        }
    }
}

/// What `serve` watches: the site folder itself but not what it holds (for
/// `congkhai.toml`, `luat.toml` and source folders coming and going), and
/// each source folder with all it holds. Never the output or anything else
/// beside the sources: after a build of 100 000 records `public/` holds
/// 260 000 folders, more than the system lets one process watch, and
/// nothing there changes the site.
///
/// Opening and reading files are not changes: a rebuild reads files itself,
/// and counting those reads as edits would rebuild for ever.
struct Watch {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    /// Each source folder watched, and which folder it was: one removed and
    /// made again is watched again (the open handle keeps the old one's
    /// identity from being reused).
    folders: HashMap<&'static str, same_file::Handle>,
}

impl Watch {
    fn new(root: &Path) -> Result<(Watch, Receiver<Change>), String> {
        use notify::Watcher;
        let (tx, rx) = channel();
        let events_root = root.to_path_buf();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let change = match event {
                    Ok(event) => Change::of(&events_root, &event),
                    // An error may hide an event: list the site again.
                    Err(_) => Some(Change::Other),
                };
                if let Some(change) = change {
                    let _ = tx.send(change);
                }
            })
            .map_err(|e| watch_error(root, &e))?;
        watcher
            .watch(root, notify::RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, &e))?;
        let mut watch = Watch {
            watcher,
            root: root.to_path_buf(),
            folders: HashMap::new(),
        };
        watch.refresh()?;
        Ok((watch, rx))
    }

    /// Watches every source folder that exists now and is not watched yet,
    /// or was replaced since. Called after anything at the top of the site
    /// changed, before the site is listed again: what was added to a new
    /// folder before its watch began is found by that listing.
    fn refresh(&mut self) -> Result<(), String> {
        use notify::Watcher;
        for name in SOURCE_FOLDERS {
            let path = self.root.join(name);
            // A link is not followed: the load does not read through one either.
            let is_folder = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
            let handle = is_folder
                .then(|| same_file::Handle::from_path(&path).ok())
                .flatten();
            let Some(handle) = handle else {
                if self.folders.remove(name).is_some() {
                    let _ = self.watcher.unwatch(&path);
                }
                continue;
            };
            if self.folders.get(name) == Some(&handle) {
                continue;
            }
            if self.folders.remove(name).is_some() {
                let _ = self.watcher.unwatch(&path);
            }
            self.watcher
                .watch(&path, notify::RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, &e))?;
            self.folders.insert(name, handle);
        }
        Ok(())
    }
}

/// Why a folder cannot be watched, and what to do about it.
fn watch_error(path: &Path, e: &notify::Error) -> String {
    let hint = match e.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "\n  gợi ý / hint: hệ thống giới hạn số thư mục được theo dõi; tăng giới hạn, ví dụ / the system limits how many folders one process may watch; raise it, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`"
        }
        _ => "",
    };
    format!(
        "không theo dõi được thay đổi trong {p} ({e}) / cannot watch {p} for changes ({e}){hint}",
        p = path.display()
    )
}

fn rebuild(
    cache: &mut Memory,
    opts: &Options,
    state: &RwLock<State>,
    listeners: &Listeners,
    started: Instant,
    change: &Change,
) {
    let result = prepare(cache, &opts.dir, opts.as_of, change);
    let ms = started.elapsed().as_millis();
    let Ok(mut s) = state.write() else { return };
    s.builds += 1;
    match result {
        Ok(built) => {
            s.built = Some(Arc::new(built));
            s.diagnostics.clear();
            drop(s);
            if !opts.quiet {
                eprintln!("Đã dựng lại / rebuilt in {ms} ms");
            }
            listeners.send("reload");
        }
        Err(diags) => {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            if !opts.quiet {
                for d in diags.iter().filter(|d| d.is_error()) {
                    eprintln!(
                        "{}\n",
                        diag::render(d, diag::use_colour(&std::io::stderr()))
                    );
                }
                eprintln!(
                    "{errors} lỗi; vẫn phục vụ bản dựng tốt gần nhất / {errors} errors; still serving the last good build"
                );
            }
            s.diagnostics = diags;
            drop(s);
            listeners.send("broken");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode};
    use notify::{Event, EventKind};

    fn event(kind: EventKind, paths: &[&str]) -> Event {
        paths.iter().fold(Event::new(kind), |e, p| {
            e.add_path(Path::new("/site").join(p))
        })
    }

    #[test]
    fn files_written_made_removed_or_renamed_are_changes_of_those_paths() {
        let root = Path::new("/site");
        let written = event(
            EventKind::Modify(ModifyKind::Data(DataChange::Content)),
            &["content/decisions/qd-1.md"],
        );
        let config = event(
            EventKind::Modify(ModifyKind::Data(DataChange::Content)),
            &["congkhai.toml"],
        );
        let created = event(EventKind::Create(CreateKind::File), &["content/pages/a.md"]);
        let removed = event(EventKind::Remove(RemoveKind::File), &["content/pages/a.md"]);
        let renamed = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["content/pages/sedX1", "content/pages/a.md"],
        );
        for (e, paths) in [
            (written, vec!["content/decisions/qd-1.md"]),
            (config, vec!["congkhai.toml"]),
            (created, vec!["content/pages/a.md"]),
            (removed, vec!["content/pages/a.md"]),
            (renamed, vec!["content/pages/sedX1", "content/pages/a.md"]),
        ] {
            let paths = paths.into_iter().map(PathBuf::from).collect();
            assert_eq!(Change::of(root, &e), Some(Change::Paths(paths)), "{e:?}");
        }
    }

    #[test]
    fn the_top_of_the_site_made_or_moved_and_lost_events_list_the_site_again() {
        let root = Path::new("/site");
        let folder = event(EventKind::Create(CreateKind::Folder), &["static"]);
        let moved = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["content", "content-cu"],
        );
        let config = event(EventKind::Create(CreateKind::File), &["congkhai.toml"]);
        let lost = event(EventKind::Modify(ModifyKind::Any), &["content/pages/a.md"])
            .set_flag(notify::event::Flag::Rescan);
        for e in [folder, moved, config, lost] {
            assert_eq!(Change::of(root, &e), Some(Change::Other), "{e:?}");
        }
        let changed = Change::Paths(vec!["content/pages/a.md".into()]);
        assert_eq!(Change::Other.and(Change::Paths(vec![])), Change::Other);
        assert_eq!(
            changed.and(Change::Paths(vec!["congkhai.toml".into()])),
            Change::Paths(vec!["content/pages/a.md".into(), "congkhai.toml".into()])
        );
    }

    #[test]
    fn reading_and_the_output_are_not_changes() {
        let root = Path::new("/site");
        let read = event(
            EventKind::Access(notify::event::AccessKind::Read),
            &["content/pages/a.md"],
        );
        let output = event(
            EventKind::Modify(ModifyKind::Data(DataChange::Content)),
            &["public/index.html"],
        );
        assert_eq!(Change::of(root, &read), None);
        assert_eq!(Change::of(root, &output), None);
    }
}
