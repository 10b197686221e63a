//! Writes the records of a congkhai site as a plain Hugo site, the reference
//! of the benchmark (`scripts/bench.sh`): one Markdown page per conclusion and
//! decision, with the same body text, two taxonomies (categories: sector or
//! penalty; tags: the agency) and paginated lists, under a minimal theme.
//!
//! ```sh
//! cargo run --release --example hugo_mirror -- SITE_DIR HUGO_DIR
//! ```

use std::fmt::Write as _;
use std::path::Path;

use congkhai::model::vocab::Vocab;

fn yaml(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

const LAYOUTS: &[(&str, &str)] = &[
    (
        "layouts/_default/baseof.html",
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{{ .Title }} · {{ .Site.Title }}</title></head>\n<body><header><a href=\"{{ .Site.BaseURL }}\">{{ .Site.Title }}</a></header>\n<main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    ),
    (
        "layouts/_default/single.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format \"02/01/2006\" }}</p>\n<p>{{ range .Params.categories }}<a href=\"{{ \"categories/\" | relURL }}{{ . | urlize }}/\">{{ . }}</a> {{ end }}{{ range .Params.tags }}<a href=\"{{ \"tags/\" | relURL }}{{ . | urlize }}/\">{{ . }}</a> {{ end }}</p>\n{{ .Content }}{{ end }}\n",
    ),
    (
        "layouts/_default/list.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"02/01/2006\" }}</li>{{ end }}</ul>\n{{ template \"_internal/pagination.html\" . }}{{ end }}\n",
    ),
    (
        "layouts/_default/terms.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "layouts/index.html",
        "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 20 .Site.RegularPages.ByDate.Reverse }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    ),
];

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(src), Some(dst)) = (args.first(), args.get(1)) else {
        eprintln!("usage: hugo_mirror SITE_DIR HUGO_DIR");
        std::process::exit(2);
    };
    let raw = congkhai::load::load(Path::new(src));
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date");
    let (site, _) = congkhai::model::build(&raw, as_of);
    let dst = Path::new(dst);
    for dir in ["content/ket-luan", "content/ky-luat", "content/trang"] {
        std::fs::create_dir_all(dst.join(dir))?;
    }
    std::fs::write(
        dst.join("hugo.toml"),
        "baseURL = \"https://bench.example.gov.vn/\"\nlanguageCode = \"vi\"\ntitle = \"Cổng công khai (Hugo)\"\npaginate = 50\n[taxonomies]\ncategory = \"categories\"\ntag = \"tags\"\n",
    )?;
    for (path, text) in LAYOUTS {
        let p = dst.join(path);
        std::fs::create_dir_all(p.parent().expect("has a parent"))?;
        std::fs::write(p, text)?;
    }
    let name = |id: &str| {
        site.agencies
            .iter()
            .find(|a| a.id.value.as_str() == id)
            .map_or(id.to_string(), |a| a.name.0.clone())
    };
    for c in &site.conclusions {
        let mut f = String::new();
        let _ = writeln!(
            f,
            "---\ntitle: {}\ndate: {}\ncategories: [{}]\ntags: [{}]\n---",
            yaml(&c.title),
            c.signed_on,
            yaml(c.sector.term_vi()),
            yaml(&name(c.inspected.value.as_str()))
        );
        f.push_str(&site.body(&c.source).map_err(std::io::Error::other)?);
        f.push_str("\n\n## Kiến nghị\n\n");
        for r in &c.recommendations {
            let _ = writeln!(
                f,
                "- **{}** {} ({})",
                r.id.value,
                r.text,
                r.due.map(|d| d.to_string()).unwrap_or_default()
            );
        }
        std::fs::write(
            dst.join("content/ket-luan").join(format!("{}.md", c.id())),
            f,
        )?;
    }
    for d in &site.decisions {
        let mut f = String::new();
        let _ = writeln!(
            f,
            "---\ntitle: {}\ndate: {}\ncategories: [{}]\ntags: [{}]\n---",
            yaml(&format!("{} {}", d.number.value, d.subject.name)),
            d.decided_on,
            yaml(d.penalty.term_vi()),
            yaml(&name(d.authority.value.as_str()))
        );
        f.push_str(&site.body(&d.source).map_err(std::io::Error::other)?);
        std::fs::write(
            dst.join("content/ky-luat").join(format!("{}.md", d.id())),
            f,
        )?;
    }
    for p in &site.pages {
        std::fs::write(
            dst.join("content/trang").join(format!("{}.md", p.id())),
            format!(
                "---\ntitle: {}\n---\n{}",
                yaml(&p.title),
                &*site.body(&p.source).map_err(std::io::Error::other)?
            ),
        )?;
    }
    eprintln!(
        "{} conclusions, {} decisions, {} pages written to {}",
        site.conclusions.len(),
        site.decisions.len(),
        site.pages.len(),
        dst.display()
    );
    Ok(())
}
