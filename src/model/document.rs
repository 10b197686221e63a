//! Source documents: the signed conclusion or decision itself (a scanned
//! PDF), published beside the record at `/van-ban/<record-id>/<file>` with
//! its size and SHA-256, so that a reader can check the summary against the
//! original.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::fields::Fields;
use super::read::{Reader, Text};
use super::schema;
use crate::diag::{Code, msg};
use crate::load::DocFile;
use crate::load::node::{Node, Value};

/// One published source document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Its path under `content/files/`.
    pub file: String,
    /// The name it is published under (the file's own name).
    pub name: String,
    pub title: Text,
    pub redacted: bool,
    pub redaction_reason: Option<Text>,
    pub size: u64,
    pub sha256: String,
    /// Where to read it when the site is written.
    #[serde(skip)]
    pub path: PathBuf,
}

/// What reading documents checks them against.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub index: &'a BTreeMap<String, DocFile>,
    /// The site's limit on one file (`[documents] max_size_mb`).
    pub max_bytes: u64,
}

/// Whether a published file name is plain: letters, digits, `-`, `_`, `.`;
/// it goes into an address as it is, on every file system alike.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A plain name for `name`: its stem as a slug, its extension kept.
fn plain_version(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!(
            "{}.{}",
            crate::model::id::slug(stem),
            crate::model::id::slug(ext)
        ),
        _ => crate::model::id::slug(name),
    }
}

/// A path that stays under `content/files/`: relative, no `..`, no `\`.
fn inside(file: &str) -> bool {
    !file.is_empty()
        && !file.starts_with('/')
        && !file.contains('\\')
        && !file.contains(':')
        && file
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

fn size_text(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

/// The `documents` of a record, if it lists any.
pub fn documents(f: &mut Fields<'_>, r: &mut Reader<'_>, files: Files<'_>) -> Vec<Document> {
    match f.node("documents") {
        Some(n) => r.in_key("documents", |r| read_documents(n, r, files)),
        None => Vec::new(),
    }
}

/// Reads a record's `documents` list.
pub fn read_documents(node: &Node, r: &mut Reader<'_>, files: Files<'_>) -> Vec<Document> {
    let Value::List(items) = &node.value else {
        r.wrong_kind(
            node,
            (
                "một danh sách văn bản (mỗi văn bản bắt đầu bằng `- file:`)",
                "a list of documents (each starting with `- file:`)",
            ),
        );
        return Vec::new();
    };
    let mut out: Vec<Document> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(d) = r.in_index(i, |r| read_one(item, r, files, &out)) {
            out.push(d);
        }
    }
    out
}

fn read_one(
    node: &Node,
    r: &mut Reader<'_>,
    files: Files<'_>,
    before: &[Document],
) -> Option<Document> {
    let mut f = Fields::of_schema(node, r, &schema::DOCUMENT)?;
    let file = f.req::<String>(r, "file");
    let title = f.req::<Text>(r, "title");
    let redacted = f.req::<bool>(r, "redacted");
    let redaction_reason = f.opt::<Text>(r, "redaction_reason");
    let span = f.span_of("file");
    let redacted_span = f.span_of("redacted");
    f.finish(r);
    let (file, title, redacted) = (file?, title?, redacted?);
    let problem = |r: &mut Reader<'_>, vi: String, en: String, hint: (String, String)| {
        r.in_key("file", |r| {
            r.error(Code::Document, span, msg(vi, en))
                .set_hint(msg(hint.0, hint.1));
        });
    };
    if !inside(&file) {
        problem(
            r,
            format!("Tệp `{file}` nằm ngoài content/files/"),
            format!("the file `{file}` is outside content/files/"),
            (
                "Chép tệp vào content/files/ và ghi đường dẫn tính từ thư mục đó, ví dụ `kl-2024-003/ket-luan.pdf`".into(),
                "Copy the file into content/files/ and give its path from there, e.g. `kl-2024-003/ket-luan.pdf`".into(),
            ),
        );
        return None;
    }
    let name = file.rsplit('/').next().unwrap_or(&file).to_string();
    if !plain_name(&name) {
        let plain = plain_version(&name);
        problem(
            r,
            format!("Tên tệp `{name}` có dấu, dấu cách hoặc ký tự đặc biệt"),
            format!("the file name `{name}` has accents, spaces or special characters"),
            (
                format!("Đổi tên tệp chỉ dùng a-z, 0-9, - _ . (ví dụ `{plain}`)"),
                format!("Rename the file using a-z, 0-9, - _ . only (e.g. `{plain}`)"),
            ),
        );
        return None;
    }
    if before.iter().any(|d| d.name == name) {
        problem(
            r,
            format!("Hai văn bản cùng tên tệp `{name}` trong một hồ sơ"),
            format!("two documents of one record share the file name `{name}`"),
            (
                "Đổi tên một trong hai tệp".into(),
                "Rename one of the files".into(),
            ),
        );
        return None;
    }
    let Some(found) = files.index.get(&file) else {
        let near = files
            .index
            .keys()
            .min_by_key(|k| strsim::levenshtein(k, &file))
            .filter(|k| strsim::levenshtein(k, &file) <= 3);
        let (hint_vi, hint_en) = match near {
            Some(k) => (format!("Có phải `{k}`?"), format!("Did you mean `{k}`?")),
            None => (
                format!("Đặt tệp tại content/files/{file}"),
                format!("Put the file at content/files/{file}"),
            ),
        };
        problem(
            r,
            format!("Không có tệp content/files/{file}"),
            format!("no file content/files/{file}"),
            (hint_vi, hint_en),
        );
        return None;
    };
    if found.size > files.max_bytes || found.sha256.is_empty() {
        problem(
            r,
            format!(
                "Tệp `{file}` nặng {}, quá giới hạn {}",
                size_text(found.size),
                size_text(files.max_bytes)
            ),
            format!(
                "the file `{file}` is {}, over the limit of {}",
                size_text(found.size),
                size_text(files.max_bytes)
            ),
            (
                "Nén hoặc tách tệp, hoặc nâng `[documents] max_size_mb` trong congkhai.toml".into(),
                "Compress or split the file, or raise `[documents] max_size_mb` in congkhai.toml"
                    .into(),
            ),
        );
        return None;
    }
    if !redacted {
        r.in_key("redacted", |r| {
            r.warning(
                Code::UnredactedDocument,
                redacted_span,
                msg(
                    format!("Văn bản `{file}` chưa che thông tin cá nhân (`redacted: false`)"),
                    format!("the document `{file}` is not redacted (`redacted: false`)"),
                ),
            )
            .set_hint(msg(
                "Kiểm tra số CCCD, điện thoại, địa chỉ, tài khoản của cá nhân trong tệp; che rồi ghi `redacted: true` và `redaction_reason`",
                "Check the file for private persons' ID numbers, phones, addresses, accounts; redact them, then set `redacted: true` and `redaction_reason`",
            ));
        });
    }
    Some(Document {
        file,
        name,
        title,
        redacted,
        redaction_reason,
        size: found.size,
        sha256: found.sha256.clone(),
        path: found.path.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_under_the_files_folder() {
        for ok in ["a.pdf", "kl-1/a.pdf"] {
            assert!(inside(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../a.pdf",
            "a/../../b",
            "a\\b",
            "./a",
            "C:x",
            "a//b",
        ] {
            assert!(!inside(bad), "{bad}");
        }
    }

    #[test]
    fn published_names_are_plain() {
        assert!(plain_name("ket-luan_03.pdf"));
        for bad in ["kết luận.pdf", "a b.pdf", ".hidden", "a%20.pdf", ""] {
            assert!(!plain_name(bad), "{bad}");
        }
        assert_eq!(plain_version("Kết luận 03.PDF"), "ket-luan-03.pdf");
    }
}
