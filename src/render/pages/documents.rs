//! The source documents of a record's page: each file with its title, size
//! and SHA-256, and whether personal data was redacted.

use serde::Serialize;

use crate::model::document::Document;
use crate::render::context::Ctx;
use crate::site::{format, urls};

#[derive(Serialize)]
pub struct DocumentView {
    pub title: String,
    pub url: String,
    pub name: String,
    pub size: String,
    pub sha256: String,
    pub redacted: bool,
    pub redaction_reason: Option<String>,
}

/// The documents of the record `id`, as its page lists them.
pub fn views(cx: &Ctx<'_>, id: &str, docs: &[Document]) -> Vec<DocumentView> {
    docs.iter()
        .map(|d| DocumentView {
            title: d.title.0.clone(),
            url: cx.urls.asset(&urls::document(id, &d.name)),
            name: d.name.clone(),
            size: format::file_size(d.size, cx.lang),
            sha256: d.sha256.clone(),
            redacted: d.redacted,
            redaction_reason: d.redaction_reason.as_ref().map(|r| r.0.clone()),
        })
        .collect()
}
