//! Writes only the search index of a portal — the `search/` folder a build
//! writes, the same bytes — so that the first search can be measured at a
//! size whose whole output does not fit on the machine (1 000 000 records
//! make ~45 GB of pages; the index alone is a small part of it).
//! `scripts/bench.sh` serves it with the search page and assets of a
//! smaller build of the same generator.
//!
//! usage: search_alone SITE OUT AS_OF

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use congkhai::derive::Derived;
use congkhai::model::vocab::Language;
use congkhai::render::urls::Urls;
use congkhai::render::{Compiled, theme};
use congkhai::write::Sink;

/// Writes each file under a folder.
struct Folder(PathBuf);

impl Sink for Folder {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let file = self.0.join(path);
        std::fs::create_dir_all(file.parent().unwrap_or(&self.0))?;
        std::fs::write(file, bytes)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [site, out, as_of] = args.as_slice() else {
        eprintln!("usage: search_alone SITE OUT AS_OF");
        return ExitCode::from(2);
    };
    let Ok(as_of) = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d") else {
        eprintln!("AS_OF is a date, YYYY-MM-DD");
        return ExitCode::from(2);
    };
    let site_dir = Path::new(site.as_str());
    // Loaded as `build` loads, one record file at a time, so that the
    // memory it reports is the build's, not that of the whole site held.
    let (portal, diags) = congkhai::cli::load_and_check(site_dir, as_of);
    if diags.has_errors() {
        eprintln!(
            "the site has errors: run `congkhai check {}`",
            site_dir.display()
        );
        return ExitCode::from(1);
    }
    let d = Derived::new(&portal);
    let mut theme_diags = Vec::new();
    let files = theme::files(site_dir, &portal.config.theme, &mut theme_diags);
    let urls = Urls::new(&portal.config.base_url);
    let compiled = match Compiled::new(&d, &files, &urls) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{} / {}", e.message_vi, e.message_en);
            return ExitCode::from(1);
        }
    };
    let strings = [
        compiled.strings(Language::Vi),
        compiled.strings(Language::En),
    ];
    match congkhai::search::write(&d, strings, &Folder(PathBuf::from(out))) {
        Ok(stats) => {
            println!(
                "{} records, {} shards (depth {}), {} KB of index, {} KB in all",
                stats.records,
                stats.shards,
                stats.depth,
                stats.index_bytes / 1024,
                stats.total_bytes / 1024
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(3)
        }
    }
}
