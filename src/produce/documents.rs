//! The source documents records publish, copied from `content/files/` to
//! `/van-ban/<record-id>/<file>`. They pass through the manifest like every
//! other file, so a downloaded copy can be checked.

use super::{Inputs, ProduceError, Producer};
use crate::model::document::Document;
use crate::site::urls;

pub struct Documents;

/// Every published document: its output path and the document.
fn all<'a>(i: &'a Inputs<'_>) -> impl Iterator<Item = (String, &'a Document)> {
    let site = i.d.site;
    let of = |id: &'a str, docs: &'a [Document]| {
        docs.iter().map(move |d| {
            let path = urls::document(id, &d.name);
            (path.trim_start_matches('/').to_string(), d)
        })
    };
    site.conclusions
        .iter()
        .flat_map(move |c| of(c.id(), &c.documents))
        .chain(
            site.decisions
                .iter()
                .flat_map(move |x| of(x.id(), &x.documents)),
        )
}

impl Producer for Documents {
    fn name(&self) -> &'static str {
        "source documents"
    }

    fn paths(&self, i: &Inputs<'_>) -> Vec<String> {
        all(i).map(|(p, _)| p).collect()
    }

    fn produce(&self, i: &Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, ProduceError>> {
        if !path.starts_with("van-ban/") {
            return None;
        }
        let (_, doc) = all(i).find(|(p, _)| p == path)?;
        Some(
            std::fs::read(&doc.path)
                .map_err(|e| ProduceError::System(format!("{}: {e}", doc.path.display()))),
        )
    }
}
