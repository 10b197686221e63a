//! The raw document tree: YAML front matter, `agencies.yaml` and
//! `congkhai.toml` all become [`Node`]s that remember where they came from.

use compact_str::CompactString;

use crate::source::Span;

/// A value of a raw document with the byte range it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Scalar(Scalar),
    List(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A scalar as written. Its type is decided by the field that reads it, so
/// that `number: 15` is the string "15" and `amount_vnd: "1000"` the number 1000.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// Inline when short (dates, ids, numbers, keys): a large site has
    /// millions of them, and a heap allocation each cost time and memory.
    pub text: CompactString,
    /// Written in quotes (YAML) or as a string (TOML).
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: CompactString,
    pub span: Span,
}

impl Node {
    pub fn new(span: Span, value: Value) -> Self {
        Self { span, value }
    }

    /// What kind of value this is, for "expected …, found …" messages.
    pub fn kind_name(&self) -> (&'static str, &'static str) {
        match &self.value {
            Value::Null => ("giá trị rỗng", "an empty value"),
            Value::Scalar(_) => ("một giá trị đơn", "a single value"),
            Value::List(_) => ("một danh sách", "a list"),
            Value::Map(_) => ("một bảng khóa–giá trị", "a mapping"),
        }
    }

    /// Number of nodes in this tree, counting itself.
    pub fn size(&self) -> usize {
        1 + match &self.value {
            Value::Null | Value::Scalar(_) => 0,
            Value::List(items) => items.iter().map(Node::size).sum(),
            Value::Map(entries) => entries.iter().map(|(_, v)| v.size()).sum(),
        }
    }

    pub fn shift(&mut self, offset: usize) {
        self.span = self.span.shifted(offset);
        match &mut self.value {
            Value::Null | Value::Scalar(_) => {}
            Value::List(items) => items.iter_mut().for_each(|n| n.shift(offset)),
            Value::Map(entries) => {
                for (k, v) in entries {
                    k.span = k.span.shifted(offset);
                    v.shift(offset);
                }
            }
        }
    }
}

impl Node {
    /// The tree as a JSON value, for tools that rewrite a file (import's
    /// merge). Quoted scalars stay strings; unquoted ones become the number,
    /// boolean or null YAML would read, so that writing them back keeps
    /// `amount_vnd: 2350000000` a number.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::List(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.to_string(), v.to_json()))
                    .collect(),
            ),
            Value::Scalar(s) if s.quoted => J::String(s.text.to_string()),
            Value::Scalar(s) => {
                let t = s.text.as_str();
                let plain_integer = t
                    .strip_prefix('-')
                    .unwrap_or(t)
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    && !t.is_empty()
                    && !(t.len() > 1 && t.starts_with('0'));
                match t {
                    "true" => J::Bool(true),
                    "false" => J::Bool(false),
                    "~" | "null" => J::Null,
                    _ if plain_integer => t
                        .parse::<i64>()
                        .map(J::from)
                        .unwrap_or_else(|_| J::String(t.to_string())),
                    _ if t.parse::<f64>().is_ok_and(f64::is_finite)
                        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                        && t.matches('.').count() == 1 =>
                    {
                        serde_json::from_str(t).unwrap_or_else(|_| J::String(t.to_string()))
                    }
                    _ => J::String(t.to_string()),
                }
            }
        }
    }
}
