//! The shape of the code, checked: the layers of `docs/kien-truc.md`, no
//! circle of imports between files, no file past 800 lines.
//!
//! Imports are read from the source as text (`use crate::…`, `super::…` and
//! paths written in full), which is what a reader follows too. A parent
//! module using what it declares (`mod.rs` → its own files) is not an
//! arrow; everything else is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may use only modules of lower layers
/// (and itself). Keep in step with `docs/kien-truc.md`.
const LAYERS: &[&[&str]] = &[
    &["source", "markdown", "testing"],
    &["diag"],
    &["write"],
    &["load"],
    &["model"],
    &["derive"],
    &["site"],
    &["render", "export", "search"],
    &["published"],
    &["produce"],
    &["serve", "import", "scaffold", "deploy"],
    &["cli"],
];

/// Longest a source file may be.
const MAX_LINES: usize = 800;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, relative to it.
fn files() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(src())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.path().strip_prefix(src()).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

/// The module path of a file: `render/pages/home.rs` → `[render, pages, home]`.
fn module_of(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file that holds module `path` or its longest existing prefix.
fn file_of(path: &[String], known: &BTreeMap<Vec<String>, PathBuf>) -> Option<PathBuf> {
    (1..=path.len())
        .rev()
        .find_map(|n| known.get(&path[..n]).cloned())
}

/// Expands a `use` tree: `a::{b, c::{d, self}}` → `a::b`, `a::c::d`, `a::c`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree.trim_end_matches("::self").to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::").to_string();
    let close = tree.rfind('}').filter(|c| *c > open).unwrap_or(tree.len());
    let inner = &tree[open + 1..close];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            if p == "self" {
                vec![prefix.clone()]
            } else {
                expand(p)
                    .into_iter()
                    .map(|x| format!("{prefix}::{x}"))
                    .collect()
            }
        })
        .collect()
}

/// The module paths a file refers to, as absolute module paths.
fn references(file: &Path, text: &str) -> Vec<Vec<String>> {
    let own = module_of(file);
    let mut paths = Vec::new();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    // `use` statements: from a line that starts with `use` (or `pub use`)
    // to the next `;`.
    let mut statement: Option<String> = None;
    for line in code.lines() {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub(super) "))
            .or_else(|| t.strip_prefix("pub "))
            .unwrap_or(t);
        if statement.is_none() && t.starts_with("use ") {
            statement = Some(String::new());
        }
        if let Some(st) = &mut statement {
            st.push_str(t.strip_prefix("use ").unwrap_or(t));
            if let Some(end) = st.find(';') {
                paths.extend(expand(&st[..end]));
                statement = None;
            }
        }
    }
    for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
        if word.starts_with("crate::") || word.starts_with("super::") {
            paths.push(word.trim_end_matches(':').to_string());
        }
    }
    paths
        .into_iter()
        .filter_map(|p| {
            let segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            let (mut at, mut segs) = match segs.first() {
                Some(&"crate") => (Vec::new(), &segs[1..]),
                Some(&"super") => (own[..own.len().saturating_sub(1)].to_vec(), &segs[1..]),
                Some(&"self") => (own.clone(), &segs[1..]),
                _ => return None,
            };
            while segs.first() == Some(&"super") {
                at.pop();
                segs = &segs[1..];
            }
            at.extend(segs.iter().map(|s| s.to_string()));
            Some(at)
        })
        .collect()
}

/// Arrows between files: file → files it uses.
fn graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let files = files();
    let known: BTreeMap<Vec<String>, PathBuf> =
        files.iter().map(|f| (module_of(f), f.clone())).collect();
    let mut g = BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(src().join(f)).unwrap();
        let own = module_of(f);
        let targets: BTreeSet<PathBuf> = references(f, &text)
            .iter()
            .filter_map(|p| file_of(p, &known))
            .filter(|t| t != f)
            // A module using its own children is declaring, not depending.
            .filter(|t| {
                let m = module_of(t);
                !(m.len() > own.len() && m.starts_with(&own))
            })
            .collect();
        g.insert(f.clone(), targets);
    }
    g
}

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn top(file: &Path) -> String {
    module_of(file).first().cloned().unwrap_or_default()
}

#[test]
fn every_module_has_a_layer_and_imports_only_from_lower_layers() {
    let mut wrong = Vec::new();
    for (from, tos) in graph() {
        let a = top(&from);
        if a.is_empty() {
            continue; // lib.rs and main.rs wire everything
        }
        let Some(la) = layer(&a) else {
            wrong.push(format!("{} is in no layer", from.display()));
            continue;
        };
        for to in tos {
            let b = top(&to);
            if b.is_empty() || b == a {
                continue;
            }
            match layer(&b) {
                Some(lb) if lb < la => {}
                _ => wrong.push(format!("{} -> {}", from.display(), to.display())),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_circle_of_imports_between_files() {
    let g = graph();
    // Tarjan's strongly connected components.
    struct State<'g> {
        g: &'g BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'g PathBuf, usize>,
        low: BTreeMap<&'g PathBuf, usize>,
        stack: Vec<&'g PathBuf>,
        on: BTreeSet<&'g PathBuf>,
        next: usize,
        circles: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g PathBuf) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on.insert(v);
        for w in s.g.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut c = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                c.push(w.display().to_string());
                if w == v {
                    break;
                }
            }
            if c.len() > 1 {
                c.sort();
                s.circles.push(c);
            }
        }
    }
    let mut s = State {
        g: &g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        circles: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    assert!(
        s.circles.is_empty(),
        "circles of imports:\n{}",
        s.circles
            .iter()
            .map(|c| c.join(" <-> "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn no_source_file_is_longer_than_800_lines() {
    let long: Vec<String> = files()
        .into_iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(src().join(&f))
                .unwrap()
                .lines()
                .count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files: {}", long.join(", "));
}

#[test]
fn the_reader_of_imports_understands_use_trees() {
    assert_eq!(
        expand("crate::render::{self, theme, urls::{Urls, file_of}}"),
        [
            "crate::render",
            "crate::render::theme",
            "crate::render::urls::Urls",
            "crate::render::urls::file_of"
        ]
    );
    let refs = references(
        Path::new("render/rows.rs"),
        "use super::view::{self, Ctx};\nfn f() { crate::model::id::slug(\"x\"); }",
    );
    assert!(refs.contains(&vec!["render".into(), "view".into()]));
    assert!(refs.contains(&vec!["model".into(), "id".into(), "slug".into()]));
}
