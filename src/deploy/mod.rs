//! The **deploy** stage: publishes a built output, as it is, where readers
//! get it — another folder, swapped in at once like a build ([`folder`]), or
//! S3-compatible object storage ([`s3`]).
//!
//! What is published is exactly what the output's manifest (`SHA256SUMS`)
//! lists, and every file is checked against it first: a page edited by hand
//! after the build, or a file gone missing, stops the deploy before
//! anything is sent. The signature and the manifest itself travel last
//! ([`Phase`]), so that a reader or a verifier never sees a manifest whose
//! files have not arrived yet.

pub mod folder;
pub mod plan;
pub mod s3;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use md5::Digest as _;
use rayon::prelude::*;

use crate::write::WriteError;
use crate::write::owner::{MANIFEST, MARKER, parse_manifest};

/// The signature of the manifest, published beside it when the site signs.
pub const SIGNATURE: &str = "SHA256SUMS.minisig";

/// A built output, checked against its manifest.
pub struct Output {
    pub root: PathBuf,
    /// Every file to publish, sorted by path: those the manifest lists,
    /// then the manifest and its signature.
    pub files: Vec<Local>,
}

/// One file of a built output.
#[derive(Debug, Clone)]
pub struct Local {
    pub path: String,
    pub size: u64,
    pub sha256: String,
    /// What S3 reports as the `ETag` of a file uploaded in one request, so
    /// that files already there are recognised without downloading them.
    pub md5: String,
}

impl Output {
    /// The built output that `dir` names: `dir` itself when it carries the
    /// output marker, else its `public/` (the site folder was given).
    pub fn find(dir: &Path) -> Result<PathBuf, WriteError> {
        for candidate in [dir.to_path_buf(), dir.join("public")] {
            if fs::symlink_metadata(candidate.join(MARKER)).is_ok_and(|m| m.is_file()) {
                return Ok(candidate);
            }
        }
        Err(refused(
            format!(
                "{} không phải đầu ra của `congkhai build` (không có {MARKER})",
                dir.display()
            ),
            format!(
                "{} is not an output of `congkhai build` (no {MARKER})",
                dir.display()
            ),
            "chạy `congkhai build` trước, rồi chỉ tới thư mục của cổng hoặc thư mục đầu ra của nó",
            "run `congkhai build` first, then name the portal's folder or its output folder",
        ))
    }

    /// Reads the manifest of the output at `root` and checks every file it
    /// lists: present, a plain file, and with the bytes the manifest says.
    pub fn open(root: PathBuf) -> Result<Self, WriteError> {
        let manifest_path = root.join(MANIFEST);
        let rebuild = |vi: String, en: String| {
            refused(
                vi,
                en,
                "dựng lại bằng `congkhai build`",
                "build again with `congkhai build`",
            )
        };
        let text = fs::read_to_string(&manifest_path).map_err(|e| {
            rebuild(
                format!("không đọc được {}: {e}", manifest_path.display()),
                format!("cannot read {}: {e}", manifest_path.display()),
            )
        })?;
        let listed = parse_manifest(&text).ok_or_else(|| {
            rebuild(
                format!("{} không đúng định dạng", manifest_path.display()),
                format!("{} is not a manifest", manifest_path.display()),
            )
        })?;
        let mut names: Vec<(String, Option<String>)> =
            listed.into_iter().map(|(p, h)| (p, Some(h))).collect();
        names.push((MANIFEST.to_string(), None));
        if fs::symlink_metadata(root.join(SIGNATURE)).is_ok_and(|m| m.is_file()) {
            names.push((SIGNATURE.to_string(), None));
        }
        let checked: Vec<Result<Local, String>> = names
            .par_iter()
            .map(|(path, expected)| check_file(&root, path, expected.as_deref()))
            .collect();
        let mut files = Vec::with_capacity(checked.len());
        let mut wrong = Vec::new();
        for c in checked {
            match c {
                Ok(f) => files.push(f),
                Err(path) => wrong.push(path),
            }
        }
        if !wrong.is_empty() {
            let shown = wrong.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
            let more = wrong.len().saturating_sub(5);
            let more = if more > 0 {
                format!(" (+{more})")
            } else {
                String::new()
            };
            return Err(refused(
                format!(
                    "{} tệp của đầu ra khác với bản kê SHA256SUMS (bị sửa, thiếu hoặc là liên kết): {shown}{more}",
                    wrong.len()
                ),
                format!(
                    "{} files of the output differ from its SHA256SUMS (edited, missing or a link): {shown}{more}",
                    wrong.len()
                ),
                "không công bố gì; dựng lại bằng `congkhai build` rồi chạy lại",
                "nothing was published; build again with `congkhai build` and retry",
            ));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Output { root, files })
    }

    /// The bytes of one of the output's files, never through a link.
    pub fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        read_plain(&self.root, path)
    }

    /// The bytes of `file` as they are sent: still those that were checked
    /// against the manifest (a build into the same folder meanwhile would
    /// otherwise publish a mix of two builds).
    pub fn read_checked(&self, file: &Local) -> io::Result<Vec<u8>> {
        let bytes = self.read(&file.path)?;
        if hex(&sha2::Sha256::digest(&bytes)) != file.sha256 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "đã đổi từ lúc được kiểm tra / changed since it was checked",
            ));
        }
        Ok(bytes)
    }
}

fn read_plain(root: &Path, path: &str) -> io::Result<Vec<u8>> {
    let rel = crate::write::safe_relative(path)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "unsafe path"))?;
    let full = root.join(rel);
    // Every folder on the way must be a folder of the output, not a link.
    let mut at = root.to_path_buf();
    for part in Path::new(path).components() {
        at.push(part);
        if fs::symlink_metadata(&at)?.file_type().is_symlink() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "a link"));
        }
    }
    fs::read(full)
}

/// The file at `path`, hashed; `Err(path)` if it is not what the manifest says.
fn check_file(root: &Path, path: &str, expected: Option<&str>) -> Result<Local, String> {
    let bytes = read_plain(root, path).map_err(|_| path.to_string())?;
    let sha256 = hex(&sha2::Sha256::digest(&bytes));
    if expected.is_some_and(|e| e != sha256) {
        return Err(path.to_string());
    }
    Ok(Local {
        path: path.to_string(),
        size: bytes.len() as u64,
        md5: hex(&md5::Md5::digest(&bytes)),
        sha256,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The order files are published in, so that a reader never meets a page
/// whose style, script or documents are not there yet, and a verifier never
/// meets a manifest whose files have not arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Styles, scripts, the search engine, documents, server settings.
    Assets,
    /// HTML pages.
    Pages,
    /// Open data, feeds, the search index, the sitemap.
    Data,
    /// `SHA256SUMS` and its signature.
    Manifest,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::Assets, Phase::Pages, Phase::Data, Phase::Manifest];

    pub fn of(path: &str) -> Phase {
        if path == MANIFEST || path == SIGNATURE {
            Phase::Manifest
        } else if path.ends_with(".html") {
            Phase::Pages
        } else if path.starts_with("search/") && !(path.ends_with(".js") || path.ends_with(".wasm"))
            || path.starts_with("data/")
            || path.starts_with("feeds/")
            || path == "sitemap.xml"
            || path == "robots.txt"
        {
            Phase::Data
        } else {
            Phase::Assets
        }
    }

    /// The phase's name in Vietnamese and English.
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Phase::Assets => ("tài nguyên", "assets"),
            Phase::Pages => ("trang", "pages"),
            Phase::Data => ("dữ liệu và nguồn tin", "data and feeds"),
            Phase::Manifest => ("bản kê và chữ ký", "manifest and signature"),
        }
    }

    /// The name a test hook uses for the moment after this phase.
    pub fn hook(self) -> &'static str {
        match self {
            Phase::Assets => "deployed-assets",
            Phase::Pages => "deployed-pages",
            Phase::Data => "deployed-data",
            Phase::Manifest => "deployed-manifest",
        }
    }
}

/// How long browsers and CDNs may keep a file. No file name of the site
/// carries its content's hash, so none may be kept for long: a new style
/// sheet must reach readers with the pages that need it. Pages and data
/// change with every publication; the manifest must always be fresh.
pub fn cache_control(path: &str) -> &'static str {
    match Phase::of(path) {
        Phase::Manifest => "no-cache",
        Phase::Assets => "public, max-age=3600",
        Phase::Pages | Phase::Data => "public, max-age=300",
    }
}

/// Where a deploy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Folder(PathBuf),
    /// `s3://bucket/prefix`: the prefix without slashes at either end.
    Bucket {
        bucket: String,
        prefix: String,
    },
}

impl Destination {
    pub fn parse(text: &str) -> Result<Self, WriteError> {
        let Some(rest) = text.strip_prefix("s3://") else {
            return Ok(Destination::Folder(PathBuf::from(text)));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_matches('/');
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        let prefix_ok = prefix.is_empty() || crate::write::safe_relative(prefix).is_some();
        if !bucket_ok || !prefix_ok {
            return Err(refused(
                format!("địa chỉ kho lưu trữ không hợp lệ: {text}"),
                format!("not a valid storage address: {text}"),
                "viết s3://tên-bucket/thư-mục (tên bucket: 3–63 chữ thường, số, dấu - hoặc .)",
                "write s3://bucket-name/folder (bucket names: 3–63 lower-case letters, digits, - or .)",
            ));
        }
        Ok(Destination::Bucket {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }
}

/// What a deploy did, or would do with `--dry-run`.
#[derive(Debug, Default)]
pub struct Report {
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    pub unchanged: usize,
    pub deleted: usize,
    /// With `--dry-run`: each file that would be sent or removed.
    pub plan: Vec<String>,
}

fn refused(vi: String, en: String, hint_vi: &str, hint_en: &str) -> WriteError {
    WriteError::Refused {
        vi,
        en,
        hint_vi: hint_vi.into(),
        hint_en: hint_en.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_go_out_assets_first_and_the_manifest_last() {
        assert_eq!(Phase::of("assets/style.css"), Phase::Assets);
        assert_eq!(Phase::of("search/search.js"), Phase::Assets);
        assert_eq!(Phase::of("search/congkhai-search.wasm"), Phase::Assets);
        assert_eq!(Phase::of("van-ban/kl-1/a.pdf"), Phase::Assets);
        assert_eq!(Phase::of("ket-luan/kl-1/index.html"), Phase::Pages);
        assert_eq!(Phase::of("search/index-7e62.bin"), Phase::Data);
        assert_eq!(Phase::of("data/conclusions.csv"), Phase::Data);
        assert_eq!(Phase::of("feeds/all.xml"), Phase::Data);
        assert_eq!(Phase::of("SHA256SUMS"), Phase::Manifest);
        assert_eq!(Phase::of("SHA256SUMS.minisig"), Phase::Manifest);
        assert!(Phase::Assets < Phase::Pages && Phase::Data < Phase::Manifest);
        assert_eq!(cache_control("SHA256SUMS"), "no-cache");
    }

    /// An output checked, then changed before its files are sent (another
    /// build into the same folder): the changed file is not sent.
    #[test]
    fn a_file_changed_after_the_check_is_not_read_for_sending() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().to_path_buf();
        fs::write(root.join(MARKER), "").unwrap();
        fs::write(root.join("index.html"), "một").unwrap();
        let sum = hex(&sha2::Sha256::digest("một"));
        fs::write(root.join(MANIFEST), format!("{sum}  index.html\n")).unwrap();
        let output = Output::open(Output::find(&root).unwrap()).unwrap();
        let page = output
            .files
            .iter()
            .find(|f| f.path == "index.html")
            .unwrap();
        assert_eq!(output.read_checked(page).unwrap(), "một".as_bytes());
        fs::write(root.join("index.html"), "hai").unwrap();
        assert!(output.read_checked(page).is_err());
        // And a fresh check refuses the output as a whole.
        assert!(Output::open(root).is_err());
    }

    #[test]
    fn a_storage_address_is_a_bucket_and_a_safe_prefix() {
        assert_eq!(
            Destination::parse("s3://cong-khai/ban-chinh/").unwrap(),
            Destination::Bucket {
                bucket: "cong-khai".into(),
                prefix: "ban-chinh".into()
            }
        );
        assert_eq!(
            Destination::parse("s3://cong-khai").unwrap(),
            Destination::Bucket {
                bucket: "cong-khai".into(),
                prefix: String::new()
            }
        );
        for bad in [
            "s3://",
            "s3://Cong_Khai/x",
            "s3://ok-bucket/../x",
            "s3://ab/x",
        ] {
            assert!(Destination::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Destination::parse("/var/www/cong").unwrap(),
            Destination::Folder("/var/www/cong".into())
        );
    }
}
