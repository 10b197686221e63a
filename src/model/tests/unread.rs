//! A build lets the model read conclusions and decisions one at a time
//! ([`crate::load::load_records_later`]); that must give exactly what loading
//! every file first gives, diagnostics included, on every fixture.

use std::path::Path;

use chrono::NaiveDate;

use crate::model::build;

fn both(root: &Path, as_of: NaiveDate) -> [(String, Vec<String>); 2] {
    [
        crate::load::load(root),
        crate::load::load_records_later(root),
    ]
    .map(|raw| {
        let (site, diags) = build(&raw, as_of);
        let diags = diags.sorted().iter().map(|d| format!("{d:?}")).collect();
        (format!("{site:?}"), diags)
    })
}

#[test]
fn reading_records_one_at_a_time_gives_what_loading_them_all_gives() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("tests/fixtures");
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let (mut with_records, mut with_diagnostics) = (0, 0);
    for dir in [
        "valid",
        "twenty-defects",
        "hostile",
        "through-time",
        "spreadsheets",
    ]
    .map(|d| fixtures.join(d))
    .into_iter()
    .chain([root.to_path_buf()])
    {
        let [all, later] = both(&dir, as_of);
        assert_eq!(all.0, later.0, "{}: the site differs", dir.display());
        assert_eq!(all.1, later.1, "{}: the diagnostics differ", dir.display());
        with_records += usize::from(all.0.contains("Conclusion {"));
        with_diagnostics += usize::from(!all.1.is_empty());
    }
    assert!(with_records >= 3, "sites with records were compared");
    assert!(with_diagnostics >= 2, "sites with errors were compared");
}
