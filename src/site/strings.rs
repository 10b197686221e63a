//! The interface's words in each language, as the theme's `i18n/*.toml`
//! give them: looked up by dotted key from Rust (`nav.home`), handed whole
//! to templates (`t.nav.home`).

use serde_json::Value;

/// Interface strings of one language: nested for templates (`t.nav.home`),
/// looked up by dotted key from Rust (`nav.home`).
#[derive(Debug, Clone)]
pub struct Strings {
    pub tree: Value,
}

impl Strings {
    pub fn get(&self, key: &str) -> &str {
        let mut v = &self.tree;
        for part in key.split('.') {
            match v.get(part) {
                Some(next) => v = next,
                None => return "",
            }
        }
        v.as_str().unwrap_or("")
    }

    /// The label of an enumerated value: `label("sector", "land")`.
    pub fn label(&self, group: &str, id: &str) -> String {
        let s = self
            .tree
            .get(group)
            .and_then(|g| g.get(id))
            .and_then(Value::as_str);
        s.map_or_else(|| id.to_string(), str::to_string)
    }
}
