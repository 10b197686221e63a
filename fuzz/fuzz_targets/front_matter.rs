//! Any bytes as a front_matter content file: loading and checking never panic or hang.
#![no_main]

use std::path::Path;

use congkhai::load::{Kind, RawSite, parse_bytes};
use libfuzzer_sys::fuzz_target;

const CONFIG: &[u8] = b"title = \"t\"\nbase_url = \"https://x.example\"\n";
const AGENCIES: &[u8] = b"- id: a\n  name: A\n  kind: other\n";

fuzz_target!(|data: &[u8]| {
    let mut site = RawSite::default();
    let mut diags = Vec::new();
    site.insert(Kind::Config, parse_bytes(Path::new("congkhai.toml"), Kind::Config, CONFIG.to_vec(), &mut diags));
    site.insert(Kind::Agencies, parse_bytes(Path::new("content/agencies.yaml"), Kind::Agencies, AGENCIES.to_vec(), &mut diags));
    let loaded = parse_bytes(Path::new("content/conclusions/x.md"), Kind::Conclusion, data.to_vec(), &mut diags);
    site.insert(Kind::Conclusion, loaded);
    site.diagnostics = diags;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid date");
    let _ = congkhai::model::build(&site, as_of);
});
