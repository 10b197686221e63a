//! The **load** stage: finds the content files of a site, reads them (in
//! parallel) and parses them into raw documents that remember source positions.
//!
//! Nothing here knows what a conclusion is; that is the model's job.

mod cache;
pub mod frontmatter;
pub mod node;
pub mod table;
pub mod toml;
pub mod walk;
pub mod xlsx;
pub mod yaml;

use crate::diag::Code;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Severity, msg};
use crate::source::{SourceFile, display_path};
pub use cache::Cache;
use node::Node;
pub use table::RawTable;

/// Largest text file accepted (a record is a few kilobytes).
pub const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;
/// Largest spreadsheet accepted.
pub const MAX_XLSX_BYTES: u64 = 32 * 1024 * 1024;

/// A parsed YAML or TOML document, and for Markdown records the body's range.
#[derive(Debug, Clone)]
pub struct RawDoc {
    pub file: Arc<SourceFile>,
    /// `None` when the file could not be parsed (a diagnostic says why).
    /// Shared, so that a cached document is not copied on every load.
    pub front: Option<Arc<Node>>,
    pub body: Range<usize>,
}

/// Every content file of a site, parsed but not yet understood.
#[derive(Debug, Default)]
pub struct RawSite {
    pub root: PathBuf,
    pub config: Option<RawDoc>,
    /// The site's own table of legal rules (`luat.toml`), when it has one.
    pub law: Option<RawDoc>,
    pub agencies: Option<RawDoc>,
    pub conclusions: Vec<RawDoc>,
    pub decisions: Vec<RawDoc>,
    pub pages: Vec<RawDoc>,
    pub recoveries: Vec<RawTable>,
    /// The files under `content/files/` that records may publish, by their
    /// path below that folder (`kl-2024-003/ket-luan.pdf`).
    pub files: std::collections::BTreeMap<String, DocFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Record files found but left for the model to read
    /// ([`load_records_later`]).
    pub unread: Vec<(Kind, PathBuf)>,
}

/// The folder of the files records publish as source documents.
pub const FILES_DIR: &str = "content/files";

/// Largest source document read (and hashed) at all; the site's own limit
/// (`[documents] max_size_mb`) is checked by the model.
pub const MAX_DOCUMENT_BYTES: u64 = 512 * 1024 * 1024;

/// A file under `content/files/`: where it is, its size and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFile {
    /// Its path below `content/files/`, with `/` separators.
    pub key: String,
    /// Where to read it.
    pub path: PathBuf,
    pub size: u64,
    /// Hex; empty when the file is over [`MAX_DOCUMENT_BYTES`] (not read).
    pub sha256: String,
}

/// Reads a source document's size and SHA-256, streaming (a scanned PDF
/// can be large).
fn doc_file(root: &Path, rel: &Path, diags: &mut Vec<Diagnostic>) -> Loaded {
    use sha2::Digest;
    let path = root.join(rel);
    let key = rel
        .strip_prefix(FILES_DIR)
        .unwrap_or(rel)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let mut sha256 = String::new();
    if size <= MAX_DOCUMENT_BYTES {
        let mut h = sha2::Sha256::new();
        let hashed = std::fs::File::open(&path).and_then(|mut f| {
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match std::io::Read::read(&mut f, &mut buf)? {
                    0 => return Ok(()),
                    n => h.update(&buf[..n]),
                }
            }
        });
        match hashed {
            Ok(()) => {
                sha256 = crate::source::hex(&h.finalize());
            }
            Err(e) => {
                diags.push(Diagnostic::for_path(
                    Severity::Error,
                    Code::Io,
                    &display_path(rel),
                    msg(format!("Không đọc được: {e}"), format!("cannot read: {e}")),
                ));
                return Loaded::Nothing;
            }
        }
    }
    Loaded::File(DocFile {
        key,
        path,
        size,
        sha256,
    })
}

impl RawSite {
    /// The loaded Markdown records of `kind` (none for other kinds).
    pub fn docs(&self, kind: Kind) -> &[RawDoc] {
        match kind {
            Kind::Conclusion => &self.conclusions,
            Kind::Decision => &self.decisions,
            Kind::Page => &self.pages,
            _ => &[],
        }
    }

    /// Files the result of loading one file of `kind`.
    pub fn insert(&mut self, kind: Kind, loaded: Loaded) {
        match (kind, loaded) {
            (Kind::Config, Loaded::Doc(d)) => self.config = Some(d),
            (Kind::Law, Loaded::Doc(d)) => self.law = Some(d),
            (Kind::Agencies, Loaded::Doc(d)) => self.agencies = Some(d),
            (Kind::Conclusion, Loaded::Doc(d)) => self.conclusions.push(d),
            (Kind::Decision, Loaded::Doc(d)) => self.decisions.push(d),
            (Kind::Page, Loaded::Doc(d)) => self.pages.push(d),
            (Kind::Recovery, Loaded::Tables(mut t)) => self.recoveries.append(&mut t),
            (Kind::Document, Loaded::File(f)) => {
                self.files.insert(f.key.clone(), f);
            }
            _ => {}
        }
    }
}

/// The kinds of content file, by where they live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Config,
    Law,
    Agencies,
    Conclusion,
    Decision,
    Page,
    Recovery,
    /// A file under `content/files/`, published only if a record lists it.
    Document,
}

/// Classifies a path relative to the site folder; `None` for files that are
/// not content (and are ignored).
pub fn classify(rel: &Path) -> Option<Kind> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let name = parts.last()?;
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        return None;
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match (parts.as_slice(), ext.as_deref()) {
        ([c, dir, _, ..], _) if c == "content" && dir == "files" => Some(Kind::Document),
        ([f], _) if f == "congkhai.toml" => Some(Kind::Config),
        ([f], _) if f == "luat.toml" => Some(Kind::Law),
        ([c, f], _) if c == "content" && (f == "agencies.yaml" || f == "agencies.yml") => {
            Some(Kind::Agencies)
        }
        ([c, dir, ..], Some("md")) if c == "content" && parts.len() >= 3 => match dir.as_str() {
            "conclusions" => Some(Kind::Conclusion),
            "decisions" => Some(Kind::Decision),
            "pages" => Some(Kind::Page),
            _ => None,
        },
        ([c, dir, ..], Some("csv" | "xlsx")) if c == "content" && dir == "recoveries" => {
            Some(Kind::Recovery)
        }
        _ => None,
    }
}

/// Loads every content file of the site at `root`.
pub fn load(root: &Path) -> RawSite {
    load_some(root, |_| true)
}

/// Like [`load`], but leaves the conclusions and decisions unread
/// ([`RawSite::unread`]) for the model to read one at a time, letting each
/// go once read: a build never holds every parsed record at once (at a
/// million records, 6 GB).
pub fn load_records_later(root: &Path) -> RawSite {
    load_some(root, |kind| {
        !matches!(kind, Kind::Conclusion | Kind::Decision)
    })
}

fn load_some(root: &Path, now: impl Fn(Kind) -> bool) -> RawSite {
    let (files, diags) = discover(root);
    let (now, later): (Vec<_>, Vec<_>) = files.into_iter().partition(|(kind, _)| now(*kind));
    let loaded = read_all(root, &now.iter().collect::<Vec<_>>());
    let mut site = RawSite {
        root: root.to_path_buf(),
        diagnostics: diags,
        unread: later,
        ..RawSite::default()
    };
    for ((kind, _), (loaded, diags)) in now.iter().zip(loaded) {
        site.diagnostics.extend(diags);
        site.insert(*kind, loaded);
    }
    finish(site)
}

/// Runs `read` on the threads that read files (see [`READS_IN_FLIGHT`]).
pub fn on_readers<R: Send>(read: impl FnOnce() -> R + Send) -> R {
    match READERS.as_ref() {
        Some(pool) => pool.install(read),
        None => read(),
    }
}

/// How many files are read at once. Reading is mostly waiting for the disk
/// when the files are not in the page cache (the first build after a
/// checkout): more reads in flight than cores keep the disk's queue full.
/// Measured on 10 000 records with a cold cache, 2 cores: 1.27 s with 2 at
/// once, 0.74 s with 8.
const READS_IN_FLIGHT: usize = 16;

/// The threads that read files, made once (`serve` reads on every edit).
static READERS: std::sync::LazyLock<Option<rayon::ThreadPool>> = std::sync::LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .num_threads(READS_IN_FLIGHT.max(rayon::current_num_threads()))
        .thread_name(|i| format!("congkhai-read-{i}"))
        .build()
        .ok()
});

/// Reads and parses files in parallel; results in the order given.
fn read_all(root: &Path, files: &[&(Kind, PathBuf)]) -> Vec<(Loaded, Vec<Diagnostic>)> {
    on_readers(|| {
        files
            .par_iter()
            .map(|(kind, rel)| {
                let mut diags = Vec::new();
                let loaded = load_file(root, rel, *kind, &mut diags);
                (loaded, diags)
            })
            .collect()
    })
}

/// Completes a loaded site: a missing configuration is an error.
fn finish(mut site: RawSite) -> RawSite {
    if site.config.is_none() && !site.diagnostics.iter().any(|d| d.file == "congkhai.toml") {
        site.diagnostics.push(
            Diagnostic::for_path(
                Severity::Error,
                Code::MissingFile,
                "congkhai.toml",
                msg(
                    format!("Không tìm thấy tệp cấu hình congkhai.toml trong {}", site.root.display()),
                    format!("no congkhai.toml configuration file in {}", site.root.display()),
                ),
            )
            .hint(msg(
                "Chạy lệnh trong thư mục của cổng, hoặc tạo cổng mới bằng `congkhai new THƯ_MỤC`",
                "Run the command in the portal's folder, or create a portal with `congkhai new DIR`",
            )),
        );
    }
    site
}

/// The result of loading one file.
#[derive(Debug, Clone)]
pub enum Loaded {
    Doc(RawDoc),
    Tables(Vec<RawTable>),
    File(DocFile),
    Nothing,
}

/// Lists the content files in a stable order, skipping (with a warning)
/// symbolic links that lead out of the site and files that are not content.
pub fn discover(root: &Path) -> (Vec<(Kind, PathBuf)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let site = walk::Site::new(root);
    if site
        .readable(Path::new("congkhai.toml"), &mut diags)
        .is_some_and(|p| p.is_file())
    {
        files.push((Kind::Config, PathBuf::from("congkhai.toml")));
    }
    if site
        .readable(Path::new("luat.toml"), &mut diags)
        .is_some_and(|p| p.is_file())
    {
        files.push((Kind::Law, PathBuf::from("luat.toml")));
    }
    for found in site.files(Path::new("content"), |_| true, &mut diags) {
        match classify(&found.rel) {
            Some(kind) => files.push((kind, found.rel)),
            None => {
                let name = found.rel.file_name().unwrap_or_default().to_string_lossy();
                if !name.ends_with('~') {
                    diags.push(Diagnostic::for_path(
                        Severity::Warning,
                        Code::UnknownFile,
                        &display_path(&found.rel),
                        msg(
                            "Tệp không thuộc định dạng nội dung nào nên bị bỏ qua",
                            "the file is not part of any content type and is ignored",
                        ),
                    ).hint(msg(
                        "Kết luận: content/conclusions/*.md; kỷ luật: content/decisions/*.md; trang: content/pages/*.md; thu hồi: content/recoveries/*.csv hoặc *.xlsx",
                        "Conclusions: content/conclusions/*.md; decisions: content/decisions/*.md; pages: content/pages/*.md; recoveries: content/recoveries/*.csv or *.xlsx",
                    )));
                }
            }
        }
    }
    (files, diags)
}

/// Reads and parses one file. Pure apart from reading the file, so that a
/// watcher can reload just what changed.
pub fn load_file(root: &Path, rel: &Path, kind: Kind, diags: &mut Vec<Diagnostic>) -> Loaded {
    if kind == Kind::Document {
        return doc_file(root, rel, diags);
    }
    let path = root.join(rel);
    let shown = display_path(rel);
    let limit = if kind == Kind::Recovery && is_xlsx(rel) {
        MAX_XLSX_BYTES
    } else {
        MAX_TEXT_BYTES
    };
    let bytes = match read_limited(&path, limit) {
        Ok(b) => b,
        Err(d) => {
            diags.push(d.with_path(&shown));
            return Loaded::Nothing;
        }
    };
    parse_bytes(rel, kind, bytes, diags)
}

/// Parses the bytes of one content file (no disk access: the property tests
/// feed it arbitrary bytes).
pub fn parse_bytes(rel: &Path, kind: Kind, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> Loaded {
    if kind == Kind::Recovery && is_xlsx(rel) {
        return Loaded::Tables(table::read_xlsx(rel, &bytes, diags));
    }
    let Some(file) = decode(rel, bytes, diags) else {
        return Loaded::Nothing;
    };
    let file = Arc::new(file);
    if file.text.trim().is_empty() {
        diags.push(Diagnostic::error(
            Code::EmptyFile,
            &file,
            msg("Tệp rỗng", "the file is empty"),
        ));
        return Loaded::Nothing;
    }
    match kind {
        Kind::Config | Kind::Law => {
            let front = toml::parse(&file, diags).map(Arc::new);
            Loaded::Doc(RawDoc {
                body: 0..0,
                front,
                file,
            })
        }
        Kind::Agencies => {
            let front = yaml::parse(&file, 0..file.text.len(), diags).map(Arc::new);
            Loaded::Doc(RawDoc {
                body: 0..0,
                front,
                file,
            })
        }
        Kind::Conclusion | Kind::Decision | Kind::Page => match frontmatter::split(&file) {
            Ok(parts) => {
                let front = yaml::parse(&file, parts.yaml.clone(), diags).map(Arc::new);
                if front.is_none() && !diags.iter().any(Diagnostic::is_error) {
                    diags.push(Diagnostic::error(
                        Code::FrontMatter,
                        &file,
                        msg("Phần đầu (front matter) trống", "the front matter is empty"),
                    ));
                }
                Loaded::Doc(RawDoc {
                    front,
                    body: parts.body,
                    file,
                })
            }
            Err(d) => {
                diags.push(*d);
                Loaded::Nothing
            }
        },
        Kind::Recovery => Loaded::Tables(table::read_csv(file, diags)),
        Kind::Document => Loaded::Nothing,
    }
}

fn is_xlsx(rel: &Path) -> bool {
    rel.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Reads at most `limit` bytes; a larger file is refused without reading it all.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Box<Diagnostic>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Box::new(io_error(&e)))?;
    // Sized from the file's length, so that it is read in one call instead
    // of growing through small reads.
    let size = file.metadata().map_or(0, |m| m.len()).min(limit) as usize;
    let mut bytes = Vec::with_capacity(size + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Box::new(io_error(&e)))?;
    if bytes.len() as u64 > limit {
        let mib = limit / (1024 * 1024);
        return Err(Box::new(Diagnostic::for_path(
            Severity::Error,
            Code::TooLarge,
            "",
            msg(
                format!("Tệp lớn hơn giới hạn {mib} MiB"),
                format!("the file is larger than the {mib} MiB limit"),
            ),
        )));
    }
    Ok(bytes)
}

fn io_error(e: &std::io::Error) -> Diagnostic {
    Diagnostic::for_path(
        Severity::Error,
        Code::Io,
        "",
        msg(
            format!("Không đọc được tệp: {e}"),
            format!("cannot read the file: {e}"),
        ),
    )
}

/// Decodes UTF-8 (dropping a byte-order mark), reporting where invalid bytes are.
pub fn decode(rel: &Path, mut bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> Option<SourceFile> {
    let mark = bytes.len() - crate::source::without_bom(&bytes).len();
    bytes.drain(..mark);
    // The SIMD check, then a copy, costs a fraction of the standard check
    // on Vietnamese text; the standard one runs only to locate an error.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Some(SourceFile::new(rel.to_path_buf(), text.to_owned()));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(SourceFile::new(rel.to_path_buf(), text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let file = SourceFile::new(rel.to_path_buf(), lossy);
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let at = prefix.len();
            diags.push(
                Diagnostic::error(
                    Code::Encoding,
                    &file,
                    msg(
                        "Tệp không phải văn bản UTF-8 (có byte không hợp lệ)",
                        "the file is not UTF-8 text (it has invalid bytes)",
                    ),
                )
                .at(&file, crate::source::Span::new(at, at))
                .hint(msg(
                    "Lưu lại tệp với mã hóa UTF-8 (trong Excel: \"CSV UTF-8\")",
                    "Save the file again as UTF-8 (in Excel: \"CSV UTF-8\")",
                )),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_folder_and_extension() {
        assert_eq!(classify(Path::new("congkhai.toml")), Some(Kind::Config));
        assert_eq!(
            classify(Path::new("content/agencies.yaml")),
            Some(Kind::Agencies)
        );
        assert_eq!(
            classify(Path::new("content/conclusions/kl-1.md")),
            Some(Kind::Conclusion)
        );
        assert_eq!(
            classify(Path::new("content/conclusions/2025/kl-1.md")),
            Some(Kind::Conclusion)
        );
        assert_eq!(
            classify(Path::new("content/decisions/qd.MD")),
            Some(Kind::Decision)
        );
        assert_eq!(
            classify(Path::new("content/recoveries/2026-q1.csv")),
            Some(Kind::Recovery)
        );
        assert_eq!(
            classify(Path::new("content/recoveries/2026.xlsx")),
            Some(Kind::Recovery)
        );
        assert_eq!(classify(Path::new("content/conclusions/notes.txt")), None);
        assert_eq!(
            classify(Path::new("content/conclusions/.kl-1.md.swp")),
            None
        );
        assert_eq!(classify(Path::new("content/conclusions/kl-1.md~")), None);
    }
}
