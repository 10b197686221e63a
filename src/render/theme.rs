//! The theme: Tera templates, static files and interface strings.
//!
//! The default theme is built into the binary (so a new site needs nothing
//! else) and read from `themes/<name>/` when the site has that folder. A site
//! overrides single files with its own `templates/`, `static/` and `i18n/`.

use crate::diag::Code;
use std::collections::BTreeMap;
use std::path::Path;

use include_dir::{Dir, include_dir};
use serde_json::Value;

use crate::diag::{Diagnostic, Severity, msg};
use crate::model::vocab::Language;
pub use crate::site::strings::Strings;

static DEFAULT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The files of a theme, by path relative to the theme folder.
#[derive(Debug, Default, Clone)]
pub struct Files {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
    pub strings: BTreeMap<Language, Value>,
}

fn theme_error(path: &str, vi: String, en: String) -> Diagnostic {
    Diagnostic::for_path(Severity::Error, Code::Theme, path, msg(vi, en))
}

/// Reads the theme files for a site. Links out of the site are skipped
/// (see [`crate::load::walk`]): a theme or `static/` folder that points at
/// `/etc` publishes nothing from it.
pub fn files(site: &Path, theme: &str, diags: &mut Vec<Diagnostic>) -> Files {
    let mut out = Files::default();
    let walker = crate::load::walk::Site::new(site);
    let folder = Path::new("themes").join(theme);
    if site.join(&folder).exists() {
        read_folder(&walker, &folder, "", &mut out, diags);
    } else if theme == "default" {
        read_embedded(&DEFAULT, &mut out, diags);
    } else {
        diags.push(theme_error(
            "congkhai.toml",
            format!("Không tìm thấy giao diện `{theme}` (thư mục themes/{theme})"),
            format!("the theme `{theme}` was not found (folder themes/{theme})"),
        ));
        read_embedded(&DEFAULT, &mut out, diags);
    }
    // The site's own files override the theme's, one by one.
    for dir in ["templates", "static", "i18n"] {
        read_folder(&walker, Path::new(dir), dir, &mut out, diags);
    }
    let labels = card_labels(&out.strings);
    if let Some(css) = out.statics.get_mut(STYLESHEET) {
        css.extend_from_slice(&labels);
    }
    out
}

/// The stylesheet the card labels are added to.
const STYLESHEET: &str = "assets/style.css";

/// Interface strings that name a table column shown as a card label; each
/// labels the cells of class `c-<group>-<key>`. Every `figure.*` string
/// does too.
const CARD_LABELS: &[&str] = &[
    "agency.previous_year",
    "count.total",
    "count.due",
    "count.done_on_time",
    "count.overdue",
    "count.extended",
    "change.old",
    "change.new",
];

/// The long lists' tables, whose cells carry no class: the columns of a
/// table of class `cards-<kind>`, in order, named by interface strings.
/// Ten thousand rows of a class per cell made the list pages a tenth
/// larger; a row's cells are labelled by position instead.
const CARD_TABLES: &[(&str, &[&str])] = &[
    (
        "conclusions",
        &[
            "conclusion.title",
            "conclusion.inspected",
            "conclusion.signed_on",
            "conclusion.recs_count",
        ],
    ),
    (
        "decisions",
        &[
            "decision.subject",
            "decision.penalty",
            "decision.authority",
            "decision.decided_on",
        ],
    ),
    (
        "recs",
        &["rec.text", "rec.responsible", "rec.due", "rec.status"],
    ),
    (
        "recs-c",
        &[
            "rec.conclusion",
            "rec.text",
            "rec.responsible",
            "rec.due",
            "rec.status",
        ],
    ),
    (
        "agencies",
        &[
            "agency.kind",
            "agency.recs",
            "count.overdue",
            "figure.on_time_rate",
            "figure.tracked_money_recovered",
        ],
    ),
    ("columns", &["data.meaning"]),
    (
        "reports",
        &[
            "recovery.agency",
            "figure.reported_money_recommended",
            "figure.reported_money_recovered",
            "figure.reported_land_recommended",
            "figure.reported_land_recovered",
            "recovery.signed",
            "recovery.note",
        ],
    ),
    (
        "overdue",
        &[
            "rec.days_overdue",
            "rec.conclusion",
            "rec.text",
            "rec.responsible",
            "rec.due",
            "rec.status",
        ],
    ),
];

/// The interface string `group.name` of a language's tree.
fn string<'a>(tree: &'a Value, key: &str) -> Option<&'a str> {
    let (group, name) = key.split_once('.')?;
    tree.get(group)?.get(name)?.as_str()
}

/// A CSS string literal.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '<' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The labels of table cells shown as cards on phones, in each language,
/// written from the interface strings: one class on a cell instead of its
/// column name repeated in every row of every page (that made list pages
/// a fifth larger).
fn card_labels(strings: &BTreeMap<Language, Value>) -> Vec<u8> {
    use crate::model::vocab::Vocab;
    use std::fmt::Write;
    let mut css = String::from(
        "\n/* Tên cột của ô bảng khi hiện thành thẻ trên điện thoại (congkhai sinh từ chuỗi giao diện). */\n/* Column names of table cells shown as cards on phones (generated from the interface strings). */\n@media (max-width: 40rem) {\n  .table-scroll td[class*=\"c-\"]::before, .table-scroll [class*=\"cards-\"] td::before { font-weight: 600; color: var(--muted); }\n",
    );
    for (lang, tree) in strings {
        let figures = tree
            .get("figure")
            .and_then(Value::as_object)
            .map(|o| o.keys().map(|k| format!("figure.{k}")).collect::<Vec<_>>())
            .unwrap_or_default();
        let keys = CARD_LABELS.iter().map(|k| k.to_string()).chain(figures);
        for key in keys {
            let Some((group, name)) = key.split_once('.') else {
                continue;
            };
            let Some(text) = string(tree, &key) else {
                continue;
            };
            let _ = writeln!(
                css,
                "  html:lang({}) .c-{group}-{name}::before {{ content: {}; }}",
                lang.id(),
                css_string(&format!("{text}: "))
            );
        }
        for (kind, columns) in CARD_TABLES {
            for (i, key) in columns.iter().enumerate() {
                let Some(text) = string(tree, key) else {
                    continue;
                };
                let _ = writeln!(
                    css,
                    "  html:lang({}) .cards-{kind} td:nth-of-type({})::before {{ content: {}; }}",
                    lang.id(),
                    i + 1,
                    css_string(&format!("{text}: "))
                );
            }
        }
    }
    css.push_str("}\n");
    css.into_bytes()
}

fn add(out: &mut Files, rel: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) {
    if let Some(name) = rel.strip_prefix("templates/") {
        match String::from_utf8(bytes) {
            Ok(text) => {
                out.templates.insert(name.to_string(), text);
            }
            Err(_) => diags.push(theme_error(
                rel,
                "Mẫu không phải UTF-8".into(),
                "the template is not UTF-8".into(),
            )),
        }
    } else if let Some(name) = rel.strip_prefix("static/") {
        out.statics.insert(name.to_string(), bytes);
    } else if let Some(name) = rel
        .strip_prefix("i18n/")
        .and_then(|n| n.strip_suffix(".toml"))
    {
        let Some(lang) = crate::model::vocab::Vocab::parse(name) else {
            return;
        };
        let text = String::from_utf8_lossy(&bytes);
        match toml::from_str::<Value>(&text) {
            Ok(v) => {
                let entry = out
                    .strings
                    .entry(lang)
                    .or_insert(Value::Object(Default::default()));
                merge(entry, v);
            }
            Err(e) => diags.push(theme_error(
                rel,
                format!("Tệp chuỗi giao diện không hợp lệ: {e}"),
                format!("invalid interface strings file: {e}"),
            )),
        }
    }
}

/// Merges `over` into `base`, key by key.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o,
    }
}

fn read_embedded(dir: &Dir<'_>, out: &mut Files, diags: &mut Vec<Diagnostic>) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => read_embedded(d, out, diags),
            include_dir::DirEntry::File(f) => {
                let rel = crate::source::display_path(f.path());
                add(out, &rel, f.contents().to_vec(), diags);
            }
        }
    }
}

/// Reads the site's folder `folder` into `out`; `prefix` is what the folder
/// is (`templates`…), or empty for a whole theme folder.
fn read_folder(
    walker: &crate::load::walk::Site,
    folder: &Path,
    prefix: &str,
    out: &mut Files,
    diags: &mut Vec<Diagnostic>,
) {
    for found in walker.files(folder, |_| true, diags) {
        let inner =
            crate::source::display_path(found.rel.strip_prefix(folder).unwrap_or(&found.rel));
        let rel = if prefix.is_empty() {
            inner
        } else {
            format!("{prefix}/{inner}")
        };
        match std::fs::read(&found.path) {
            Ok(bytes) => add(out, &rel, bytes, diags),
            Err(e) => diags.push(theme_error(
                &rel,
                format!("Không đọc được: {e}"),
                format!("cannot read: {e}"),
            )),
        }
    }
}

/// Compiles the templates into one Tera instance per language, each with its
/// strings and the data every page shares in its global context.
pub fn compile(files: &Files, globals: &Value) -> Result<tera::Tera, Box<Diagnostic>> {
    let mut tera = tera::Tera::new();
    tera.add_raw_templates(
        files
            .templates
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )
    .map_err(|e| {
        Box::new(theme_error(
            "templates",
            format!("Lỗi mẫu giao diện: {e}"),
            format!("template error: {e}"),
        ))
    })?;
    if let Value::Object(map) = globals {
        for (k, v) in map {
            tera.global_context().insert(k.clone(), v);
        }
    }
    Ok(tera)
}

/// The strings of a language, falling back to Vietnamese for missing keys.
pub fn strings(files: &Files, lang: Language) -> Strings {
    let mut tree = files
        .strings
        .get(&Language::Vi)
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(own) = files.strings.get(&lang).filter(|_| lang != Language::Vi) {
        merge(&mut tree, own.clone());
    }
    Strings { tree }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &Value, prefix: &str, out: &mut Vec<String>) {
        if let Value::Object(m) = v {
            for (k, v) in m {
                keys(v, &format!("{prefix}{k}."), out);
            }
        } else {
            out.push(prefix.trim_end_matches('.').to_string());
        }
    }

    #[test]
    fn the_default_theme_is_complete_in_both_languages() {
        let mut diags = Vec::new();
        let f = files(Path::new("/nonexistent"), "default", &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(f.templates.contains_key("base.html"));
        assert!(f.statics.contains_key("assets/style.css"));
        let (mut vi, mut en) = (Vec::new(), Vec::new());
        keys(&f.strings[&Language::Vi], "", &mut vi);
        keys(&f.strings[&Language::En], "", &mut en);
        assert_eq!(vi, en, "vi.toml and en.toml must have the same keys");
        assert_eq!(strings(&f, Language::En).get("nav.home"), "Home");
        assert_eq!(
            strings(&f, Language::Vi).label("penalty", "warning"),
            "Cảnh cáo"
        );
    }
}
