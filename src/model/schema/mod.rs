//! The content format, declared once: every field of every record type,
//! whether it is required, what it means in both languages, the spreadsheet
//! headers `import` accepts for it, and the column the open data gives it.
//!
//! The reader of each record checks keys against its schema (an unknown key
//! is one the schema does not have, with the closest one suggested); import
//! builds its column dictionaries and the order of the front matter it
//! writes from it; the open data takes its column descriptions from it; and
//! the field reference in `docs/huong-dan.md` is generated from it.

/// Whether a field must be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Yes,
    No,
    /// Required in some cases, said in both languages.
    When(&'static str, &'static str),
}

/// One field of a record type.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub required: Required,
    /// What it holds, in Vietnamese and English (also the open data's
    /// description of its column).
    pub vi: &'static str,
    pub en: &'static str,
    /// The headers a spreadsheet may give its column (besides the key).
    pub headers: &'static [&'static str],
    /// The name of its column in spreadsheets and the open data when the
    /// field sits inside another (`subject.role` is `subject_role`).
    pub column: Option<&'static str>,
}

impl Field {
    /// Its column in spreadsheets and the open data.
    pub fn column(&self) -> &'static str {
        self.column.unwrap_or(self.key)
    }
}

/// The fields of one kind of mapping.
#[derive(Debug)]
pub struct Schema {
    /// Its name in the field reference.
    pub name: &'static str,
    /// What it is, for messages ("kết luận thanh tra", "inspection conclusion").
    pub what: (&'static str, &'static str),
    pub fields: &'static [Field],
}

impl Schema {
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.key)
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The keys every record must have.
    pub fn required(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields
            .iter()
            .filter(|f| f.required == Required::Yes)
            .map(|f| f.key)
    }
}

pub(super) const fn field(
    key: &'static str,
    required: Required,
    vi: &'static str,
    en: &'static str,
) -> Field {
    Field {
        key,
        required,
        vi,
        en,
        headers: &[],
        column: None,
    }
}

pub(super) const fn with_headers(mut f: Field, headers: &'static [&'static str]) -> Field {
    f.headers = headers;
    f
}

pub(super) const fn as_column(mut f: Field, column: &'static str) -> Field {
    f.column = Some(column);
    f
}

use Required::{No, Yes};

mod conclusion;
mod decision;
mod open_data;
mod others;

pub use conclusion::{
    CASE, CONCLUSION, DOCUMENT, EXTENSION, PERIOD, PROGRESS, RECOMMENDATION, VIOLATIONS,
};
pub use decision::{DECISION, SUBJECT};
pub use open_data::{DATASETS, DERIVED, Derived, column, dataset};
pub use others::{AGENCY, PAGE, RECOVERY};

/// Every schema, in the order of the field reference.
pub const ALL: &[&Schema] = &[
    &CONCLUSION,
    &PERIOD,
    &VIOLATIONS,
    &RECOMMENDATION,
    &PROGRESS,
    &EXTENSION,
    &CASE,
    &DECISION,
    &SUBJECT,
    &DOCUMENT,
    &RECOVERY,
    &AGENCY,
    &PAGE,
];

/// The field reference as Markdown, for `docs/huong-dan.md`.
pub fn reference() -> String {
    let mut out = String::new();
    for s in ALL {
        out.push_str(&format!(
            "\n**{}** — {} / *{}*\n\n| trường / field | bắt buộc / required | ý nghĩa | meaning | cột Excel / spreadsheet column |\n|---|---|---|---|---|\n",
            s.name, s.what.0, s.what.1
        ));
        for f in s.fields {
            let required = match f.required {
                Yes => "có / yes".to_string(),
                No => String::new(),
                Required::When(vi, en) => format!("{vi} / {en}"),
            };
            let headers: Vec<String> = std::iter::once(f.column())
                .chain(f.headers.iter().copied())
                .map(|h| format!("`{h}`"))
                .collect();
            let headers = if f.headers.is_empty() && f.column.is_none() {
                String::new()
            } else {
                headers.join(", ")
            };
            out.push_str(&format!(
                "| `{}` | {required} | {} | {} | {headers} |\n",
                f.key, f.vi, f.en
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field reference between its markers in `docs/huong-dan.md` is the
    /// generated one (`CONGKHAI_BLESS=1 cargo test --lib schema` writes it).
    #[test]
    fn the_documented_field_reference_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/huong-dan.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let (begin, end) = ("<!-- fields:begin -->", "<!-- fields:end -->");
        let a = text.find(begin).expect("the begin marker") + begin.len();
        let b = text.find(end).expect("the end marker");
        let current = format!("\n{}\n", reference().trim());
        if std::env::var_os("CONGKHAI_BLESS").is_some() {
            std::fs::write(&path, format!("{}{current}{}", &text[..a], &text[b..])).unwrap();
            return;
        }
        assert!(
            text[a..b] == current,
            "docs/huong-dan.md's field reference is stale: CONGKHAI_BLESS=1 cargo test --lib schema"
        );
    }

    #[test]
    fn keys_are_unique_in_each_schema() {
        for s in ALL {
            let mut keys: Vec<&str> = s.keys().collect();
            keys.sort_unstable();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "{}", s.name);
        }
    }
}
