//! Files for crawlers and mirrors: `sitemap.xml` (an index of several
//! sitemaps past 50 000 pages), `robots.txt`, and `SHA256SUMS`, which lets
//! anyone verify that a mirror holds exactly what was published.

use std::sync::Mutex;

use quick_xml::escape::escape;

use super::OutFile;
use crate::site::urls::Urls;
use crate::write::Sink;

/// The most URLs one sitemap may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

fn urlset(urls: &[String]) -> Vec<u8> {
    let mut s = String::with_capacity(urls.len() * 80 + 128);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        s.push_str("<url><loc>");
        s.push_str(&escape(u.as_str()));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

/// The sitemap(s) for the given page paths (output files such as `ket-luan/x/index.html`).
pub fn sitemap(urls: &Urls, mut pages: Vec<String>) -> Vec<OutFile> {
    pages.retain(|p| p.ends_with(".html") && !p.ends_with("404.html"));
    pages.sort();
    let absolute: Vec<String> = pages
        .iter()
        .map(|p| urls.absolute_asset(&format!("/{}", p.strip_suffix("index.html").unwrap_or(p))))
        .collect();
    if absolute.len() <= SITEMAP_LIMIT {
        return vec![OutFile {
            path: "sitemap.xml".into(),
            bytes: urlset(&absolute),
        }];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in absolute.chunks(SITEMAP_LIMIT).enumerate() {
        let path = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            escape(urls.absolute_asset(&format!("/{path}")).as_str())
        ));
        out.push(OutFile {
            path,
            bytes: urlset(chunk),
        });
    }
    index.push_str("</sitemapindex>\n");
    out.push(OutFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    out
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

/// A sink that remembers the SHA-256 of every file it passes on.
pub struct Hashing<'a> {
    inner: &'a dyn Sink,
    sums: Mutex<Vec<(String, String)>>,
}

impl<'a> Hashing<'a> {
    pub fn new(inner: &'a dyn Sink) -> Self {
        Self {
            inner,
            sums: Mutex::new(Vec::new()),
        }
    }

    /// The manifest in `sha256sum` format, sorted by path.
    pub fn manifest(&self) -> OutFile {
        let mut sums = self.sums.lock().map(|s| s.clone()).unwrap_or_default();
        sums.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = String::with_capacity(sums.len() * 100);
        for (path, hash) in sums {
            text.push_str(&hash);
            text.push_str("  ");
            text.push_str(&path);
            text.push('\n');
        }
        OutFile {
            path: "SHA256SUMS".into(),
            bytes: text.into_bytes(),
        }
    }

    /// Paths of every file seen so far.
    pub fn paths(&self) -> Vec<String> {
        self.sums
            .lock()
            .map(|s| s.iter().map(|(p, _)| p.clone()).collect())
            .unwrap_or_default()
    }
}

impl Sink for Hashing<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let hash = crate::source::sha256_hex(bytes);
        self.inner.put(path, bytes)?;
        self.sums
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .push((path.to_string(), hash));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_lists_pages_as_absolute_addresses() {
        let urls = Urls::new("https://x.example.gov.vn/cong");
        let files = sitemap(
            &urls,
            vec![
                "index.html".into(),
                "ket-luan/a/index.html".into(),
                "404.html".into(),
                "data/a.csv".into(),
            ],
        );
        let text = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(text.contains("<loc>https://x.example.gov.vn/cong/</loc>"));
        assert!(text.contains("<loc>https://x.example.gov.vn/cong/ket-luan/a/</loc>"));
        assert!(!text.contains("404") && !text.contains("a.csv"));
    }

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let urls = Urls::new("https://x.example.gov.vn");
        let pages: Vec<String> = (0..SITEMAP_LIMIT + 5)
            .map(|i| format!("p/{i}/index.html"))
            .collect();
        let files = sitemap(&urls, pages);
        assert_eq!(files.len(), 3);
        assert_eq!(files[2].path, "sitemap.xml");
        assert!(String::from_utf8_lossy(&files[2].bytes).contains("sitemap-2.xml"));
    }
}
