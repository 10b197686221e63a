//! Shared by the fuzz targets that load one content file: a minimal valid
//! site (configuration and one agency) plus the fuzzed file, loaded and
//! checked as `congkhai check` would.

use std::path::Path;

use congkhai::load::{Kind, RawSite, parse_bytes};

const CONFIG: &[u8] = b"title = \"t\"\nbase_url = \"https://x.example\"\n";
const AGENCIES: &[u8] = b"- id: a\n  name: A\n  kind: other\n";

/// Loads `data` as the content file `path` of kind `kind` and checks the site.
pub fn check_file(path: &str, kind: Kind, data: &[u8]) {
    let mut site = RawSite::default();
    let mut diags = Vec::new();
    site.insert(Kind::Config, parse_bytes(Path::new("congkhai.toml"), Kind::Config, CONFIG.to_vec(), &mut diags));
    site.insert(Kind::Agencies, parse_bytes(Path::new("content/agencies.yaml"), Kind::Agencies, AGENCIES.to_vec(), &mut diags));
    site.insert(kind, parse_bytes(Path::new(path), kind, data.to_vec(), &mut diags));
    site.diagnostics = diags;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
    let _ = congkhai::model::build(&site, as_of);
}
