//! What every Markdown record shares: an id, its file and its body.

use std::ops::Range;
use std::sync::Arc;

use super::id::Id;
use super::read::{Fields, Reader};
use crate::load::RawDoc;
use crate::source::{SourceFile, Span};

/// Where a record comes from: its id, its file, and the range of its body.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: Id,
    pub file: Arc<SourceFile>,
    pub body: Range<usize>,
}

impl Source {
    /// The Markdown body as written.
    pub fn body(&self) -> &str {
        &self.file.text[self.body.clone()]
    }

    pub fn path(&self) -> String {
        self.file.display_path()
    }
}

/// Reads the keys common to every record (`id`, `public_contact`) and lints
/// the body. Call first, so that `public_contact` applies to every field.
pub fn read_source(doc: &RawDoc, f: &mut Fields<'_>, r: &mut Reader<'_>) -> Option<Source> {
    let contacts: Vec<String> = f.opt(r, "public_contact").unwrap_or_default();
    r.local_allowed = contacts
        .iter()
        .map(|c| super::privacy::normalise_contact(c))
        .collect();
    let id = match f.opt::<Id>(r, "id") {
        Some(id) => Some(id),
        None => file_id(doc, r),
    };
    r.record_id = id.as_ref().map(|i| i.0.clone());
    let body = doc.body.clone();
    let body_text = doc.file.text[body.clone()].to_string();
    r.in_key("body", |r| {
        let span = Span::new(body.start, body.end);
        // The body is published as written; its characters are only checked.
        let _ = r.clean_text(&body_text, span);
        r.lint_privacy(&body_text, span)
    });
    Some(Source {
        id: id?,
        file: doc.file.clone(),
        body,
    })
}

/// The id given by the file name, e.g. `kl-2025-015` for `kl-2025-015.md`.
fn file_id(doc: &RawDoc, r: &mut Reader<'_>) -> Option<Id> {
    let stem = doc
        .file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if Id::is_valid(&stem) {
        return Some(Id(stem));
    }
    let suggestion = super::id::slug(&stem);
    r.error(
        "invalid-id",
        Span::default(),
        crate::diag::msg(
            format!("Tên tệp `{stem}` không dùng được làm mã bản ghi: chỉ dùng chữ thường không dấu, chữ số và `-`"),
            format!("the file name `{stem}` cannot be a record id: use only lower-case ASCII letters, digits and `-`"),
        ),
    )
    .set_hint(crate::diag::msg(
        format!("Đổi tên tệp thành `{suggestion}`, hoặc thêm `id: {suggestion}` vào phần đầu"),
        format!("Rename the file to `{suggestion}`, or add `id: {suggestion}` to the front matter"),
    ));
    None
}
