//! Files for crawlers and mirrors: `sitemap.xml` (an index of several
//! sitemaps past 50 000 pages), `robots.txt`, and `SHA256SUMS`, which lets
//! anyone verify that a mirror holds exactly what was published.

use std::sync::Mutex;

use quick_xml::escape::escape;

use super::OutFile;
use crate::site::urls::Urls;
use crate::write::{Sink, Stream};

/// The most URLs one sitemap may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

fn urlset<'u>(urls: impl ExactSizeIterator<Item = &'u str>) -> Vec<u8> {
    let mut s = String::with_capacity(urls.len() * 80 + 128);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        s.push_str("<url><loc>");
        s.push_str(&escape(u));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

/// The sitemap(s) for the given output files (such as
/// `ket-luan/x/index.html`; all but the pages are left out), each handed
/// to `put` as soon as it is made: at a million records they are 200 MB.
pub fn sitemap<'p>(
    urls: &Urls,
    files: impl Iterator<Item = &'p str>,
    put: &mut dyn FnMut(OutFile) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut pages: Vec<&str> = files
        .filter(|p| p.ends_with(".html") && !p.ends_with("404.html"))
        .collect();
    pages.sort_unstable();
    let urlset_of = |chunk: &[&str]| {
        let absolute: Vec<String> = chunk
            .iter()
            .map(|p| {
                urls.absolute_asset(&format!("/{}", p.strip_suffix("index.html").unwrap_or(p)))
            })
            .collect();
        urlset(absolute.iter().map(String::as_str))
    };
    if pages.len() <= SITEMAP_LIMIT {
        return put(OutFile {
            path: "sitemap.xml".into(),
            bytes: urlset_of(&pages),
        });
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in pages.chunks(SITEMAP_LIMIT).enumerate() {
        let path = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escape(urls.absolute_asset(&format!("/{path}")).as_str())
        ));
        put(OutFile {
            path,
            bytes: urlset_of(chunk),
        })?;
    }
    index.push_str("</sitemapindex>\n");
    put(OutFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    })
}

/// The headers every response should carry: the page CSP (plus what only a
/// header can say), no MIME sniffing, a strict referrer policy, no powerful
/// browser features.
pub fn security_headers() -> Vec<(&'static str, String)> {
    vec![
        (
            "Content-Security-Policy",
            format!("{}; frame-ancestors 'none'", crate::site::CSP),
        ),
        ("X-Content-Type-Options", "nosniff".into()),
        ("Referrer-Policy", "strict-origin-when-cross-origin".into()),
        (
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
                .into(),
        ),
        ("X-Frame-Options", "DENY".into()),
        ("Cross-Origin-Opener-Policy", "same-origin".into()),
    ]
}

/// `_headers` for Netlify and Cloudflare Pages, and an nginx snippet to
/// `include` in a `server` block, with the same security headers.
pub fn deployment_headers() -> Vec<OutFile> {
    let headers = security_headers();
    let mut netlify =
        String::from("# Tiêu đề bảo mật cho Netlify / Cloudflare Pages (congkhai)\n/*\n");
    for (k, v) in &headers {
        netlify.push_str(&format!("  {k}: {v}\n"));
    }
    netlify.push_str("/search/*.wasm\n  Content-Type: application/wasm\n");
    let mut nginx = String::from(
        "# Tiêu đề bảo mật cho nginx (congkhai): include tệp này trong khối server { }.\n# Security headers for nginx: include this file in the server { } block.\n",
    );
    for (k, v) in &headers {
        nginx.push_str(&format!("add_header {k} \"{v}\" always;\n"));
    }
    nginx.push_str("charset utf-8;\n");
    vec![
        OutFile {
            path: "_headers".into(),
            bytes: netlify.into_bytes(),
        },
        OutFile {
            path: "nginx-headers.conf".into(),
            bytes: nginx.into_bytes(),
        },
    ]
}

pub fn robots(urls: &Urls) -> OutFile {
    OutFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            urls.absolute_asset("/sitemap.xml")
        )
        .into_bytes(),
    }
}

/// A file's path and SHA-256, as the manifest lists it.
pub type Sum = (String, [u8; 32]);

/// A sink that remembers the SHA-256 of every file it passes on.
pub struct Hashing<'a> {
    inner: &'a dyn Sink,
    sums: Mutex<Vec<Sum>>,
}

impl<'a> Hashing<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Self {
            inner,
            sums: Mutex::new(Vec::new()),
        }
    }

    /// Every file hashed so far, sorted by path; taken, not copied (at a
    /// million records they are 2.6 million).
    pub fn take(&self) -> Vec<Sum> {
        let mut sums = self
            .sums
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default();
        // Stable sort: the pages arrive in runs of sorted paths, which it
        // merges instead of sorting again (a third of the time at 100 000).
        sums.sort_by(|a, b| a.0.cmp(&b.0));
        sums
    }

    /// Adds a file hashed elsewhere to sums taken and sorted by [`Hashing::take`].
    pub fn insert(sums: &mut Vec<Sum>, sum: Sum) {
        let at = sums.partition_point(|s| s.0 < sum.0);
        sums.insert(at, sum);
    }

    fn record(&self, path: &str, hash: [u8; 32]) -> std::io::Result<()> {
        self.sums
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .push((path.to_string(), hash));
        Ok(())
    }
}

/// The manifest in `sha256sum` format (`HASH  path` per line) of `sums`,
/// sorted by path, read line by line: written into the output and read
/// again for the signature without ever being held whole.
pub struct ManifestText<'a> {
    sums: std::slice::Iter<'a, Sum>,
    line: Vec<u8>,
    at: usize,
}

impl<'a> ManifestText<'a> {
    pub fn new(sums: &'a [Sum]) -> Self {
        ManifestText {
            sums: sums.iter(),
            line: Vec::new(),
            at: 0,
        }
    }
}

impl std::io::Read for ManifestText<'_> {
    /// Fills `buf` with as many lines as fit: a line per call would be a
    /// write per line downstream.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            if self.at == self.line.len() {
                let Some((path, hash)) = self.sums.next() else {
                    break;
                };
                self.line.clear();
                self.line
                    .extend_from_slice(crate::source::hex(hash).as_bytes());
                self.line.extend_from_slice(b"  ");
                self.line.extend_from_slice(path.as_bytes());
                self.line.push(b'\n');
                self.at = 0;
            }
            let n = (buf.len() - filled).min(self.line.len() - self.at);
            buf[filled..filled + n].copy_from_slice(&self.line[self.at..self.at + n]);
            self.at += n;
            filled += n;
        }
        Ok(filled)
    }
}

impl Sink for Hashing<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let hash = crate::source::sha256_of(bytes);
        self.inner.put(path, bytes)?;
        self.record(path, hash)
    }

    fn open(&self, path: &str) -> std::io::Result<Box<dyn Stream + '_>> {
        Ok(Box::new(HashedStream {
            owner: self,
            path: path.to_string(),
            inner: self.inner.open(path)?,
            hasher: sha2::Sha256::default(),
        }))
    }
}

/// A file streamed through [`Hashing`]: hashed piece by piece.
struct HashedStream<'a> {
    owner: &'a Hashing<'a>,
    path: String,
    inner: Box<dyn Stream + 'a>,
    hasher: sha2::Sha256,
}

impl std::io::Write for HashedStream<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Stream for HashedStream<'_> {
    fn finish(self: Box<Self>) -> std::io::Result<u64> {
        let len = self.inner.finish()?;
        self.owner
            .record(&self.path, sha2::Digest::finalize(self.hasher).into())?;
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sitemap files for `files`, gathered.
    fn sitemaps(urls: &Urls, files: &[String]) -> Vec<OutFile> {
        let mut out = Vec::new();
        sitemap(urls, files.iter().map(String::as_str), &mut |f| {
            out.push(f);
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn sitemap_lists_pages_as_absolute_addresses() {
        let urls = Urls::new("https://x.example.gov.vn/cong");
        let files = sitemaps(
            &urls,
            &[
                "ket-luan/a/index.html".into(),
                "index.html".into(),
                "404.html".into(),
                "data/a.csv".into(),
            ],
        );
        let text = String::from_utf8(files[0].bytes.clone()).unwrap();
        let home = text
            .find("<loc>https://x.example.gov.vn/cong/</loc>")
            .unwrap();
        let page = text
            .find("<loc>https://x.example.gov.vn/cong/ket-luan/a/</loc>")
            .unwrap();
        assert!(home < page, "sorted by path: {text}");
        assert!(!text.contains("404") && !text.contains("a.csv"));
    }

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let urls = Urls::new("https://x.example.gov.vn");
        let pages: Vec<String> = (0..SITEMAP_LIMIT + 5)
            .map(|i| format!("p/{i}/index.html"))
            .collect();
        let files = sitemaps(&urls, &pages);
        assert_eq!(files.len(), 3);
        assert_eq!(files[2].path, "sitemap.xml");
        assert!(String::from_utf8_lossy(&files[2].bytes).contains("sitemap-2.xml"));
        let listed = |f: &OutFile| String::from_utf8_lossy(&f.bytes).matches("<url>").count();
        assert_eq!(listed(&files[0]) + listed(&files[1]), pages.len());
    }

    /// The manifest read line by line, whatever the reader's buffer, is
    /// the `sha256sum` text of the sums.
    #[test]
    fn the_manifest_text_is_sha256sum_lines() {
        use std::io::Read;
        let sums: Vec<Sum> = vec![
            ("a.html".into(), crate::source::sha256_of(b"a")),
            ("b/c.json".into(), crate::source::sha256_of(b"")),
        ];
        let want = format!(
            "{}  a.html\n{}  b/c.json\n",
            crate::source::sha256_hex(b"a"),
            crate::source::sha256_hex(b"")
        );
        let mut whole = String::new();
        ManifestText::new(&sums).read_to_string(&mut whole).unwrap();
        assert_eq!(whole, want);
        let mut small = Vec::new();
        let mut text = ManifestText::new(&sums);
        let mut buf = [0u8; 7];
        loop {
            match text.read(&mut buf).unwrap() {
                0 => break,
                n => small.extend_from_slice(&buf[..n]),
            }
        }
        assert_eq!(small, want.as_bytes());
    }
}
