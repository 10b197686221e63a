//! The files that describe all the others: the sitemap (from every page),
//! `robots.txt`, the deployment headers, and the manifest `SHA256SUMS`
//! (from every file). A build makes them last; `serve` makes the sitemap and
//! the manifest from what the other producers would make.

use super::{Inputs, ProduceError, Producer, Producers, Written, put};
use crate::export::OutFile;
use crate::export::integrity::{self as files, Hashing, ManifestText};
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
/// `robots.txt`, the headers, the sitemap, then the manifest of it all,
/// written last and outside the manifest itself, and its signature. None
/// of them is held whole but the sitemap files, one at a time: at a million
/// records the manifest is 280 MB and the sitemaps 200 MB.
pub fn produce_after(
    i: &Inputs<'_>,
    hashing: &Hashing<'_>,
    sink: &dyn Sink,
    signer: Option<&Signer>,
) -> Result<Written, ProduceError> {
    let mut w = Written::default();
    let mut count = |len: usize| {
        w.files += 1;
        w.bytes += len as u64;
    };
    for f in own(i) {
        put(hashing, &f.path, &f.bytes)?;
        count(f.bytes.len());
    }
    let mut sums = hashing.take();
    let mut sitemaps = Vec::new();
    files::sitemap(i.urls, sums.iter().map(|(p, _)| p.as_str()), &mut |f| {
        sink.put(&f.path, &f.bytes)
            .map_err(|e| crate::write::named(&f.path, e))?;
        count(f.bytes.len());
        sitemaps.push((f.path, crate::source::sha256_of(&f.bytes)));
        Ok(())
    })?;
    for sum in sitemaps {
        Hashing::insert(&mut sums, sum);
    }
    let written = sink.open(MANIFEST).and_then(|mut manifest| {
        std::io::copy(&mut ManifestText::new(&sums), &mut manifest)?;
        manifest.finish()
    });
    count(written.map_err(|e| crate::write::named(MANIFEST, e))? as usize);
    if let Some(signer) = signer {
        let sig = signer
            .sign(ManifestText::new(&sums), &trusted_comment(i))
            .map_err(|e| ProduceError::System(format!("{SIGNATURE}: {e}")))?;
        put(sink, SIGNATURE, &sig)?;
        count(sig.len());
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
    sitemaps(p, i)
        .map(|all| all.into_iter().find(|f| f.path == path).map(|f| f.bytes))
        .transpose()
}

/// Every sitemap file of the site, gathered.
fn sitemaps(p: &Producers, i: &Inputs<'_>) -> Result<Vec<OutFile>, ProduceError> {
    let mut out = Vec::new();
    let paths = all_paths(p, i);
    files::sitemap(i.urls, paths.iter().map(String::as_str), &mut |f| {
        out.push(f);
        Ok(())
    })?;
    Ok(out)
}

/// The manifest, for `serve`: every other file made and hashed.
pub fn manifest_of(p: &Producers, i: &Inputs<'_>) -> Result<Vec<u8>, ProduceError> {
    let mut sums = Vec::new();
    for path in all_paths(p, i) {
        if let Some(bytes) = p.produce(i, &path) {
            sums.push((path, crate::source::sha256_of(&bytes?)));
        }
    }
    for f in sitemaps(p, i)? {
        sums.push((f.path, crate::source::sha256_of(&f.bytes)));
    }
    sums.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut ManifestText::new(&sums), &mut text)?;
    Ok(text)
}
