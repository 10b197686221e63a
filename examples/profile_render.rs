//! Times the stages of a build without writing files (a sink that discards),
//! to separate CPU work from file-system work. For profiling only.
use std::path::Path;
use std::time::Instant;

/// The allocator of the `congkhai` binary, so that the figures are its own.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Null;
impl congkhai::write::Sink for Null {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("site dir");
    let t = Instant::now();
    let raw = congkhai::load::load(Path::new(&dir));
    let (site, _) =
        congkhai::model::build(&raw, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    eprintln!("load+model {:?}", t.elapsed());
    let mut diags = Vec::new();
    let files = congkhai::render::theme::files(Path::new(&dir), "default", &mut diags);
    let urls = congkhai::render::urls::Urls::new(&site.config.base_url);
    let d = congkhai::derive::Derived::new(&site);
    let compiled = congkhai::render::Compiled::new(&d, &files, &urls)
        .ok()
        .unwrap();
    let datasets: Vec<congkhai::site::datasets::Dataset> = Vec::new();
    for _ in 0..2 {
        let t = Instant::now();
        let stats = congkhai::render::Pages::new(&d)
            .write(&d, &compiled, &urls, &datasets, &Null)
            .unwrap();
        eprintln!("pages {} in {:?}", stats.pages, t.elapsed());
    }
    let pages = congkhai::render::Pages::new(&d);
    let mut by_kind: std::collections::BTreeMap<String, (usize, std::time::Duration, usize)> =
        Default::default();
    for job in pages.all(&d, &compiled) {
        let t = Instant::now();
        let (_, html) = pages.render(&d, &compiled, &urls, &datasets, job).unwrap();
        let kind = format!("{:?}", job.1)
            .split(['(', ' ', '{'])
            .next()
            .unwrap()
            .to_string();
        let e = by_kind.entry(kind).or_default();
        e.0 += 1;
        e.1 += t.elapsed();
        e.2 += html.len();
    }
    for (k, (n, t, b)) in by_kind {
        eprintln!(
            "{k:>12}: {n:>6} pages, {:>8.1} ms, {:>6.1} µs/page, {:>6} B/page",
            t.as_secs_f64() * 1000.0,
            t.as_secs_f64() * 1e6 / n as f64,
            b / n
        );
    }
    let t = Instant::now();
    let s = congkhai::search::write(
        &d,
        [
            compiled.strings(congkhai::model::vocab::Language::Vi),
            compiled.strings(congkhai::model::vocab::Language::En),
        ],
        &Null,
    )
    .unwrap();
    eprintln!("search {:?} {:?}", t.elapsed(), s);
}
