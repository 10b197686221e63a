//! Reading the fields of one mapping, key by key, knowing which keys were
//! asked for: what lets a misspelt key get a "did you mean" and a missing
//! required field be reported once, at the mapping.

use super::id::Id;
use super::read::{FromNode, Reader, Ref, Segment, Target, read_ref};
use super::schema::Schema;
use crate::diag::Code;
use crate::diag::{Msg, msg};
use crate::load::node::{Key, Node, Value};
use crate::source::Span;

/// The fields of one mapping, read one by one.
pub struct Fields<'n> {
    span: Span,
    entries: &'n [(Key, Node)],
    used: Vec<bool>,
    asked: Vec<&'static str>,
    what: (&'static str, &'static str),
    /// The schema of the mapping: its keys are the known ones.
    schema: Option<&'static Schema>,
    /// Required fields found missing, reported by `finish` (a misspelt key
    /// is then reported once, as misspelt, rather than also as missing).
    missing: Vec<(&'static str, Option<Msg>, Vec<Segment>)>,
}

impl<'n> Fields<'n> {
    /// Starts reading `node` as a mapping describing `what` (e.g. "kết luận").
    pub fn of(
        node: &'n Node,
        r: &mut Reader<'_>,
        what: (&'static str, &'static str),
    ) -> Option<Self> {
        match &node.value {
            Value::Map(entries) => Some(Self {
                span: node.span,
                entries,
                used: vec![false; entries.len()],
                asked: Vec::new(),
                what,
                schema: None,
                missing: Vec::new(),
            }),
            _ => {
                r.wrong_kind(
                    node,
                    (
                        &format!("các trường của {} (dạng `khóa: giá trị`)", what.0),
                        &format!("the fields of this {} (`key: value` lines)", what.1),
                    ),
                );
                None
            }
        }
    }

    /// Starts reading `node` as a mapping of the record type `schema`
    /// declares: a key it does not have is unknown.
    pub fn of_schema(node: &'n Node, r: &mut Reader<'_>, schema: &'static Schema) -> Option<Self> {
        let mut f = Self::of(node, r, schema.what)?;
        f.schema = Some(schema);
        Some(f)
    }

    /// The node of `key`, if present and not null; marks the key as known.
    pub fn node(&mut self, key: &'static str) -> Option<&'n Node> {
        debug_assert!(
            self.schema.is_none_or(|s| s.field(key).is_some()),
            "`{key}` is read but not in the schema of {:?}",
            self.schema.map(|s| s.name)
        );
        self.asked.push(key);
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        let node = &self.entries[i].1;
        (node.value != Value::Null).then_some(node)
    }

    /// Where `key`'s value is, or where the mapping is if the key is absent.
    pub fn span_of(&self, key: &str) -> Span {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map_or(self.start(), |(_, v)| v.span)
    }

    /// The span of the mapping's first line, where missing fields are reported.
    pub fn start(&self) -> Span {
        self.entries.first().map_or(self.span, |(k, _)| k.span)
    }

    /// An optional reference to another record.
    pub fn opt_ref(
        &mut self,
        r: &mut Reader<'_>,
        key: &'static str,
        target: Target,
    ) -> Option<Ref> {
        let node = self.node(key)?;
        r.in_key(key, |r| read_ref(node, r, target))
    }

    /// A required reference to another record.
    pub fn req_ref(
        &mut self,
        r: &mut Reader<'_>,
        key: &'static str,
        target: Target,
    ) -> Option<Ref> {
        if self.node(key).is_none() {
            self.missing(r, key, None);
            return None;
        }
        self.opt_ref(r, key, target)
    }

    /// A list of references (a single reference is a list of one).
    pub fn refs(&mut self, r: &mut Reader<'_>, key: &'static str, target: Target) -> Vec<Ref> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        r.in_key(key, |r| match &node.value {
            Value::List(items) => {
                // Sized to the list: a record keeps its lists for the whole
                // build, and a collected list would have room for four.
                let mut refs = Vec::with_capacity(items.len());
                refs.extend(
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, n)| r.in_index(i, |r| read_ref(n, r, target))),
                );
                refs
            }
            Value::Map(_) => {
                r.wrong_kind(node, <Vec<Id>>::EXPECTED);
                Vec::new()
            }
            _ => read_ref(node, r, target).into_iter().collect(),
        })
    }

    pub fn opt<T: FromNode>(&mut self, r: &mut Reader<'_>, key: &'static str) -> Option<T> {
        let node = self.node(key)?;
        r.in_key(key, |r| T::from_node(node, r))
    }

    pub fn req<T: FromNode>(&mut self, r: &mut Reader<'_>, key: &'static str) -> Option<T> {
        if self.node(key).is_none() {
            self.missing(r, key, None);
            return None;
        }
        self.opt(r, key)
    }

    /// Notes that a required field is missing, with an optional reason;
    /// reported by [`Fields::finish`].
    pub fn missing(&mut self, r: &Reader<'_>, key: &'static str, why: Option<Msg>) {
        self.missing.push((key, why, r.path.clone()));
    }

    /// The keys this mapping may have: its schema's, or those asked for.
    fn known(&self) -> Vec<&'static str> {
        match self.schema {
            Some(s) => s.keys().collect(),
            None => self.asked.clone(),
        }
    }

    /// Reports missing fields and every key that no one asked for, suggesting
    /// the closest known one.
    pub fn finish(&self, r: &mut Reader<'_>) {
        let mut misspelt: Vec<&str> = Vec::new();
        for ((key, _), used) in self.entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            debug_assert!(
                self.schema.is_none_or(|s| s.field(&key.name).is_none()),
                "`{}` is in the schema of {:?} but its reader does not read it",
                key.name,
                self.schema.map(|s| s.name)
            );
            let known = self.known();
            let suggestion = suggest(&key.name, &known);
            let replaces_missing =
                suggestion.filter(|s| self.missing.iter().any(|(m, _, _)| m == s));
            misspelt.extend(replaces_missing);
            let hint = match suggestion {
                Some(s) if replaces_missing.is_some() => msg(
                    format!("Có phải ý bạn là `{s}`? (trường bắt buộc này đang thiếu)"),
                    format!("Did you mean `{s}`? (that required field is missing)"),
                ),
                Some(s) => msg(
                    format!("Có phải ý bạn là `{s}`?"),
                    format!("Did you mean `{s}`?"),
                ),
                None => {
                    let mut known: Vec<&str> = known.clone();
                    known.sort_unstable();
                    known.dedup();
                    let list = known.join(", ");
                    msg(
                        format!("Các khóa hợp lệ: {list}"),
                        format!("Valid keys: {list}"),
                    )
                }
            };
            r.in_key(&key.name, |r| {
                r.error(
                    Code::UnknownKey,
                    key.span,
                    msg(
                        format!("Khóa không hợp lệ `{}` trong {}", key.name, self.what.0),
                        format!("unknown key `{}` in this {}", key.name, self.what.1),
                    ),
                )
                .set_hint(hint);
            });
        }
        let start = self.start();
        for (key, why, path) in &self.missing {
            if misspelt.contains(key) {
                continue;
            }
            let why_vi = why
                .as_ref()
                .map(|m| format!(" ({})", m.vi))
                .unwrap_or_default();
            let why_en = why
                .as_ref()
                .map(|m| format!(" ({})", m.en))
                .unwrap_or_default();
            let saved = std::mem::replace(&mut r.path, path.clone());
            r.in_key(key, |r| {
                r.error(
                    Code::MissingField,
                    start,
                    msg(
                        format!("Thiếu trường bắt buộc `{key}` của {}{why_vi}", self.what.0),
                        format!(
                            "the {} is missing the required field `{key}`{why_en}",
                            self.what.1
                        ),
                    ),
                );
            });
            r.path = saved;
        }
    }
}

/// The closest of `candidates` to a mistyped `word`, if it is close enough.
pub fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let folded = congkhai_fold::fold(word).replace([' ', '-'], "_");
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&folded, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["signed_on", "signed_by", "published_on", "number"];
        assert_eq!(suggest("signd_on", &keys), Some("signed_on"));
        assert_eq!(suggest("publised_on", &keys), Some("published_on"));
        assert_eq!(suggest("zzz", &keys), None);
    }
}
