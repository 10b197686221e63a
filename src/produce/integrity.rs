//! The files that describe all the others: the sitemap (from every page),
//! `robots.txt`, the deployment headers, and the manifest `SHA256SUMS`
//! (from every file). A build makes them last; `serve` makes the sitemap and
//! the manifest from what the other producers would make.

use super::{Inputs, ProduceError, Producer, Producers, Written, put};
use crate::export::OutFile;
use crate::export::integrity::{self as files, Hashing};
use crate::published::sign::{self, PUBLIC_KEY_FILE, SIGNATURE, Signer};
use crate::write::Sink;

pub use crate::write::owner::MANIFEST;

/// `robots.txt` and the deployment headers: what needs no other output.
pub struct Integrity;

fn own(i: &Inputs<'_>) -> Vec<OutFile> {
    let mut out = vec![files::robots(i.urls)];
    out.extend(files::deployment_headers());
    // The key line was checked when the configuration was read.
    if let Some(bytes) =
        i.d.site
            .config
            .signing_key
            .as_deref()
            .and_then(|k| sign::public_key_file(k).ok())
    {
        out.push(OutFile {
            path: PUBLIC_KEY_FILE.into(),
            bytes,
        });
    }
    out
}

/// What the signature vouches for besides the manifest (minisign signs
/// this comment too): the site and the as-of date.
fn trusted_comment(i: &Inputs<'_>) -> String {
    format!("congkhai {} as-of {}", i.d.site.config.base_url, i.d.as_of)
}

impl Producer for Integrity {
    fn name(&self) -> &'static str {
        "sitemap and manifest"
    }

    fn depends_on(&self) -> &'static [&'static str] {
        &[
            "pages",
            "static files",
            "open data",
            "feeds",
            "search index",
            "source documents",
        ]
    }

    fn paths(&self, i: &Inputs<'_>) -> Vec<String> {
        own(i).into_iter().map(|f| f.path).collect()
    }

    fn produce(&self, i: &Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, ProduceError>> {
        own(i)
            .into_iter()
            .find(|f| f.path == path)
            .map(|f| Ok(f.bytes))
    }
}

/// In a build, after every other producer has written through `hashing`:
/// the sitemap, `robots.txt`, the headers, then the manifest of it all,
/// written last and outside the manifest itself.
pub fn produce_after(
    i: &Inputs<'_>,
    hashing: &Hashing<'_>,
    sink: &dyn Sink,
    signer: Option<&Signer>,
) -> Result<Written, ProduceError> {
    let mut tail = files::sitemap(i.urls, hashing.paths());
    tail.extend(own(i));
    let mut w = Written::default();
    for f in tail {
        put(hashing, &f.path, &f.bytes)?;
        w.files += 1;
        w.bytes += f.bytes.len() as u64;
    }
    let manifest = hashing.manifest();
    put(sink, &manifest.path, &manifest.bytes)?;
    w.files += 1;
    w.bytes += manifest.bytes.len() as u64;
    if let Some(signer) = signer {
        let sig = signer
            .sign(&manifest.bytes, &trusted_comment(i))
            .map_err(|e| ProduceError::System(format!("{SIGNATURE}: {e}")))?;
        put(sink, SIGNATURE, &sig)?;
        w.files += 1;
        w.bytes += sig.len() as u64;
    }
    Ok(w)
}

/// Every path the other producers make.
fn all_paths(p: &Producers, i: &Inputs<'_>) -> Vec<String> {
    let mut paths: Vec<String> = p.all().iter().flat_map(|x| x.paths(i)).collect();
    paths.sort();
    paths
}

/// The sitemap files, for `serve`.
pub fn sitemap_of(
    p: &Producers,
    i: &Inputs<'_>,
    path: &str,
) -> Option<Result<Vec<u8>, ProduceError>> {
    files::sitemap(i.urls, all_paths(p, i))
        .into_iter()
        .find(|f| f.path == path)
        .map(|f| Ok(f.bytes))
}

/// The manifest, for `serve`: every other file made and hashed.
pub fn manifest_of(p: &Producers, i: &Inputs<'_>) -> Result<Vec<u8>, ProduceError> {
    let mut sums = Vec::new();
    let paths = all_paths(p, i);
    let mut sitemaps: Vec<OutFile> = files::sitemap(i.urls, paths.clone());
    for path in paths {
        if let Some(bytes) = p.produce(i, &path) {
            sums.push((path, bytes?));
        }
    }
    sums.extend(sitemaps.drain(..).map(|f| (f.path, f.bytes)));
    sums.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::new();
    for (path, bytes) in sums {
        let hash = crate::source::sha256_hex(&bytes);
        text.push_str(&format!("{hash}  {path}\n"));
    }
    Ok(text.into_bytes())
}
