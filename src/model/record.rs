//! What every Markdown record shares: an id, its file and its body.

use crate::diag::Code;
use std::ops::Range;
use std::path::Path;

use super::fields::Fields;
use super::id::Id;
use super::read::Reader;
use crate::load::RawDoc;
use crate::source::{Changed, Excerpt, Origin, Span};

/// Where a record comes from: its id, its file, and the range and hash of
/// its body. The body is not kept: see [`Origin`].
#[derive(Debug, Clone)]
pub struct Source {
    pub id: Id,
    pub origin: Origin,
    pub body: Range<usize>,
    /// Of the body as checked, to publish and to notice a file changed
    /// before its page was written.
    body_sha256: [u8; 32],
}

impl Source {
    /// The Markdown body as written, from the file in the site folder
    /// `root` when the loaded file is gone.
    pub fn body(&self, root: &Path) -> Result<Excerpt, Changed> {
        self.origin.text(root, self.body.clone(), &self.body_sha256)
    }

    pub fn path(&self) -> &Path {
        &self.origin.path
    }

    /// The SHA-256 of the body, in hex, as the open data publishes it.
    pub fn body_sha256(&self) -> String {
        crate::source::hex(&self.body_sha256)
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
    // The id is published too: in addresses, file names and the open data.
    if let Some(id) = &id {
        let written = f.node("id").map(|n| n.span);
        let before = r.diags.len();
        r.in_key("id", |r| {
            r.lint_privacy(id.as_str(), written.unwrap_or_default())
        });
        if written.is_none() {
            // The id is the file name: the finding concerns the whole file.
            for d in &mut r.diags[before..] {
                d.line = 0;
                d.column = 0;
                d.excerpt = None;
            }
        }
    }
    let body = doc.body.clone();
    let body_text = &doc.file.text[body.clone()];
    r.in_key("body", |r| check_body(r, body_text, body.start));
    Some(Source {
        id: id?,
        origin: Origin::new(&doc.file),
        body_sha256: crate::source::sha256_of(body_text.as_bytes()),
        body,
    })
}

/// Checks a Markdown body as readers will see it: its characters, nesting
/// deep enough to make sanitising slow (an error), raw HTML that would hide
/// the rest of it (a warning), and personal identifiers in what it shows.
fn check_body(r: &mut Reader<'_>, body: &str, start: usize) {
    let span = Span::new(start, start + body.len());
    // The body is published as written; its characters are only checked.
    let _ = r.clean_text(body, span);
    if let Some(at) = crate::markdown::too_deep(body) {
        let limit = crate::markdown::MAX_NESTING;
        r.error(
            Code::TooDeep,
            Span::new(start + at, start + at),
            crate::diag::msg(
                format!(
                    "Văn bản lồng nhau quá {limit} tầng (trích dẫn `>`, danh sách hoặc thẻ HTML)"
                ),
                format!(
                    "the text nests more than {limit} levels deep (`>` quotes, lists or HTML tags)"
                ),
            ),
        )
        .set_hint(crate::diag::msg(
            "Văn bản thật không lồng sâu như vậy; có thể tệp bị hỏng hoặc cố ý gây hại",
            "Real documents never nest this deep; the file may be damaged or hostile",
        ));
        // Not rendered: that is the work the limit bounds.
        r.lint_privacy(body, span);
        return;
    }
    if let Some(at) = crate::markdown::hidden_text(body) {
        r.warning(
            Code::HiddenText,
            Span::new(start + at, start + at),
            crate::diag::msg(
                "Từ đây, phần còn lại của văn bản sẽ không hiện trên trang (thẻ HTML hoặc chú thích `<!--` chưa đóng, hoặc HTML dị dạng)",
                "from here on, the rest of the text will not show on the page (an HTML tag or `<!--` comment left open, or malformed HTML)",
            ),
        )
        .set_hint(crate::diag::msg(
            "Đóng thẻ hoặc chú thích, hoặc viết bằng Markdown thay vì HTML",
            "Close the tag or comment, or write it in Markdown instead of HTML",
        ));
    }
    r.lint_privacy(&crate::markdown::reader_text(body), span);
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
        Code::InvalidId,
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
