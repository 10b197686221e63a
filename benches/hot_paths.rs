//! Micro-benchmarks of the hot paths of a build, on the sample portal:
//! front-matter parsing, Markdown rendering, template rendering and search
//! index building. Run with `cargo bench --bench hot_paths`; the whole-build
//! comparison with Hugo is `scripts/bench.sh` (see docs/performance.md).

use std::path::PathBuf;

use congkhai::derive::Derived;
use congkhai::load::{self, Kind};
use congkhai::render::{self, Compiled, urls::Urls};
use congkhai::write::Sink;
use divan::Bencher;

/// The allocator of the `congkhai` binary, so that figures match builds.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// The sample portal of the repository.
fn site_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample's largest conclusion file (front matter with three
/// recommendations and their progress, and a Markdown body).
fn largest_conclusion() -> (PathBuf, Vec<u8>) {
    let dir = site_dir().join("content/conclusions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("content/conclusions")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let path = files
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .expect("a conclusion");
    let bytes = std::fs::read(&path).expect("readable");
    let rel = path.strip_prefix(site_dir()).expect("inside").to_path_buf();
    (rel, bytes)
}

/// Discards what it is given: the benchmarks measure work, not the disk.
struct Null;

impl Sink for Null {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

#[divan::bench]
fn front_matter(b: Bencher) {
    let (rel, bytes) = largest_conclusion();
    b.with_inputs(|| bytes.clone()).bench_values(|bytes| {
        let mut diags = Vec::new();
        load::parse_bytes(&rel, Kind::Conclusion, bytes, &mut diags)
    });
}

#[divan::bench]
fn markdown(b: Bencher) {
    let (_, bytes) = largest_conclusion();
    let text = String::from_utf8(bytes).expect("UTF-8");
    let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text).to_string();
    b.bench(|| congkhai::markdown::to_html(&body));
}

/// Loads, models and derives the sample portal once per benchmark.
fn with_site(f: impl FnOnce(&Derived<'_>, &Compiled, &Urls)) {
    let dir = site_dir();
    let raw = load::load(&dir);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let (site, _) = congkhai::model::build(&raw, as_of);
    let mut diags = Vec::new();
    let files = render::theme::files(&dir, &site.config.theme, &mut diags);
    let urls = Urls::new(&site.config.base_url);
    let d = Derived::new(&site);
    let compiled = Compiled::new(&d, &files, &urls).expect("the theme compiles");
    f(&d, &compiled, &urls);
}

#[divan::bench]
fn model(b: Bencher) {
    let raw = load::load(&site_dir());
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    b.bench(|| congkhai::model::build(&raw, as_of));
}

/// Every page of the sample portal in both languages, each rendered from
/// fresh caches (bodies and rows), as a build does.
#[divan::bench]
fn templates(b: Bencher) {
    with_site(|d, compiled, urls| {
        let datasets: Vec<congkhai::export::Dataset> = Vec::new();

        b.bench(|| {
            let pages = render::Pages::new(d);
            pages
                .all(d, compiled)
                .into_iter()
                .map(|job| {
                    let (_, html) = pages
                        .render(d, compiled, urls, &datasets, job)
                        .expect("renders");
                    html.len()
                })
                .sum::<usize>()
        });
    });
}

#[divan::bench]
fn search_index(b: Bencher) {
    use congkhai::model::vocab::Language;
    with_site(|d, compiled, _| {
        let strings = [
            compiled.strings(Language::Vi),
            compiled.strings(Language::En),
        ];
        b.bench(|| congkhai::search::write(d, strings, &Null).expect("index"));
    });
}
