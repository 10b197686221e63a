//! `congkhai verify DIR`: whether a copy of a site is exactly what was
//! published — the manifest's signature, every file's hash, no file missing
//! or added, and a change log whose chain holds (and, given an older copy of
//! the log, only extends it).

use std::collections::BTreeMap;
use std::path::Path;

use super::previous::LOG;
use super::sign::{self, PUBLIC_KEY_FILE, SIGNATURE};
use crate::derive::history::History;

use crate::write::owner::{MANIFEST, OWN_META as UNLISTED};

/// What verification found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Files whose hash was checked.
    pub checked: usize,
    /// What is wrong, each in both languages.
    pub problems: Vec<(String, String)>,
    /// What holds, or what the reader should know.
    pub notes: Vec<(String, String)>,
}

impl Findings {
    fn problem(&mut self, vi: String, en: String) {
        self.problems.push((vi, en));
    }
    fn note(&mut self, vi: String, en: String) {
        self.notes.push((vi, en));
    }
}

/// How to verify: the key to trust (a key line or a `.pub` file's text),
/// and an older copy of the log.
#[derive(Debug, Default)]
pub struct Options {
    pub key: Option<String>,
    pub extends: Option<String>,
}

/// Verifies the copy at `dir`.
pub fn verify(dir: &Path, o: &Options) -> Findings {
    let mut f = Findings::default();
    let manifest = match std::fs::read(dir.join(MANIFEST)) {
        Ok(m) => m,
        Err(e) => {
            f.problem(
                format!("không đọc được {MANIFEST}: {e}"),
                format!("cannot read {MANIFEST}: {e}"),
            );
            return f;
        }
    };
    signature(dir, &manifest, o, &mut f);
    let listed = files(dir, &manifest, &mut f);
    log(dir, &listed, o, &mut f);
    f
}

fn signature(dir: &Path, manifest: &[u8], o: &Options, f: &mut Findings) {
    let sig = match std::fs::read_to_string(dir.join(SIGNATURE)) {
        Ok(s) => s,
        // Asked to check against a key, a missing signature fails; without
        // one, the hashes still show the copy is whole, and that is said.
        Err(_) if o.key.is_some() => {
            return f.problem(
                format!("không có chữ ký {SIGNATURE}: không chứng minh được ai công bố bản này"),
                format!("no signature {SIGNATURE}: nothing proves who published this copy"),
            );
        }
        Err(_) => {
            return f.note(
                format!("bản này không ký ({SIGNATURE}): mã băm chỉ cho thấy bản sao nguyên vẹn so với SHA256SUMS của chính nó"),
                format!("this copy is not signed ({SIGNATURE}): the hashes only show it is whole against its own SHA256SUMS"),
            );
        }
    };
    let (key_text, from_copy) = match &o.key {
        Some(k) => (k.clone(), false),
        None => match std::fs::read_to_string(dir.join(PUBLIC_KEY_FILE)) {
            Ok(k) => (k, true),
            Err(_) => {
                f.problem(
                    "không có khóa công khai để kiểm tra chữ ký; dùng --key".into(),
                    "no public key to check the signature with; use --key".into(),
                );
                return;
            }
        },
    };
    let pk = match sign::public_key_text(&key_text) {
        Ok(pk) => pk,
        Err(e) => return f.problem(e.vi, e.en),
    };
    match sign::check(&pk, &sig, manifest) {
        Ok(comment) => {
            f.note(
                format!("chữ ký hợp lệ, khóa {} ({comment})", sign::key_id(&pk)),
                format!("good signature, key {} ({comment})", sign::key_id(&pk)),
            );
            if from_copy {
                f.note(
                    format!("khóa lấy từ chính bản sao ({PUBLIC_KEY_FILE}): hãy so mã khóa với mã cơ quan công bố, hoặc dùng --key"),
                    format!("the key was taken from the copy itself ({PUBLIC_KEY_FILE}): compare its id with the one the publisher announces, or use --key"),
                );
            }
        }
        Err(e) => f.problem(
            format!("chữ ký không khớp {MANIFEST}: {e}"),
            format!("the signature does not match {MANIFEST}: {e}"),
        ),
    }
}

/// Checks every listed file and looks for unlisted ones; the listed hashes.
fn files(dir: &Path, manifest: &[u8], f: &mut Findings) -> BTreeMap<String, String> {
    let mut listed = BTreeMap::new();
    for (n, line) in String::from_utf8_lossy(manifest).lines().enumerate() {
        let Some((hash, path)) = line.split_once("  ") else {
            f.problem(
                format!("{MANIFEST} dòng {}: sai định dạng", n + 1),
                format!("{MANIFEST} line {}: malformed", n + 1),
            );
            continue;
        };
        if crate::write::safe_relative(path).is_none() {
            f.problem(
                format!(
                    "{MANIFEST} dòng {}: đường dẫn không an toàn {path:?}",
                    n + 1
                ),
                format!("{MANIFEST} line {}: unsafe path {path:?}", n + 1),
            );
            continue;
        }
        listed.insert(path.to_string(), hash.to_string());
    }
    for (path, hash) in &listed {
        let full = dir.join(path);
        match std::fs::symlink_metadata(&full) {
            Ok(m) if m.is_file() => match std::fs::read(&full) {
                Ok(bytes) if crate::source::sha256_hex(&bytes) == *hash => f.checked += 1,
                Ok(_) => f.problem(
                    format!("{path}: nội dung khác với bản đã công bố (mã băm không khớp)"),
                    format!("{path}: differs from what was published (hash mismatch)"),
                ),
                Err(e) => f.problem(format!("{path}: {e}"), format!("{path}: {e}")),
            },
            Ok(_) => f.problem(
                format!("{path}: không phải tệp thường"),
                format!("{path}: not a regular file"),
            ),
            Err(_) => f.problem(format!("{path}: thiếu tệp"), format!("{path}: missing")),
        }
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if !listed.contains_key(&rel) && !UNLISTED.contains(&rel.as_str()) {
            f.problem(
                format!("{rel}: tệp thừa, không có trong {MANIFEST}"),
                format!("{rel}: extra file, not in {MANIFEST}"),
            );
        }
    }
    listed
}

fn log(dir: &Path, listed: &BTreeMap<String, String>, o: &Options, f: &mut Findings) {
    if !listed.contains_key(LOG) {
        f.problem(
            format!("{MANIFEST} không liệt kê nhật ký thay đổi {LOG}"),
            format!("{MANIFEST} does not list the change log {LOG}"),
        );
        return;
    }
    let Ok(text) = std::fs::read_to_string(dir.join(LOG)) else {
        return;
    };
    let log = match History::parse(&text) {
        Ok(h) => h,
        Err(b) => {
            return f.problem(
                format!("{LOG} dòng {}: {}", b.line, b.vi),
                format!("{LOG} line {}: {}", b.line, b.en),
            );
        }
    };
    f.note(
        format!(
            "chuỗi băm của nhật ký thay đổi khớp, {} mục",
            log.entries.len()
        ),
        format!(
            "the change log's hash chain holds, entries: {}",
            log.entries.len()
        ),
    );
    let Some(older) = &o.extends else { return };
    match History::parse(older) {
        Err(b) => f.problem(
            format!("bản nhật ký cũ, dòng {}: {}", b.line, b.vi),
            format!("the older log, line {}: {}", b.line, b.en),
        ),
        Ok(old) => match log.extends(&old) {
            Ok(()) => f.note(
                format!(
                    "nhật ký chỉ nối thêm vào bản cũ, giữ nguyên {} mục cũ",
                    old.entries.len()
                ),
                format!(
                    "the log only extends the older copy, old entries unchanged: {}",
                    old.entries.len()
                ),
            ),
            Err(b) => f.problem(
                format!("{LOG} dòng {}: {}", b.line, b.vi),
                format!("{LOG} line {}: {}", b.line, b.en),
            ),
        },
    }
}
