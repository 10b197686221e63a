//! What kind of file a published path is, as HTTP says it: the same for the
//! preview server and for object storage, so that a page is served alike
//! wherever it is published.

/// The `Content-Type` of a file of the site, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonld" => "application/ld+json",
        "jsonl" => "application/jsonl; charset=utf-8",
        "pdf" => "application/pdf",
        "pub" | "minisig" => "text/plain; charset=utf-8",
        "xml" => "application/atom+xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "txt" | "" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
