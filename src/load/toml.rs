//! `congkhai.toml` to [`Node`], so that the configuration is read and checked
//! by the same code as the records (unknown keys, suggestions, positions).

use crate::diag::Code;
use toml::de::{DeTable, DeValue};

use super::node::{Key, Node, Scalar, Value};
use crate::diag::{Diagnostic, msg};
use crate::source::{SourceFile, Span};

pub fn parse(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let (table, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        for e in errors {
            let span = e
                .span()
                .map_or(Span::default(), |r| Span::new(r.start, r.end));
            let text = e.message().trim().to_string();
            diags.push(
                Diagnostic::error(
                    Code::TomlSyntax,
                    file,
                    msg(
                        format!("TOML không hợp lệ: {text}"),
                        format!("invalid TOML: {text}"),
                    ),
                )
                .at(file, span),
            );
        }
        return None;
    }
    let span = table.span();
    Some(Node::new(
        Span::new(span.start, span.end),
        table_value(table.get_ref()),
    ))
}

fn table_value(table: &DeTable<'_>) -> Value {
    Value::Map(
        table
            .iter()
            .map(|(k, v)| {
                let ks = k.span();
                (
                    Key {
                        name: k.get_ref().as_ref().into(),
                        span: Span::new(ks.start, ks.end),
                    },
                    convert(v.get_ref(), v.span()),
                )
            })
            .collect(),
    )
}

fn convert(value: &DeValue<'_>, span: std::ops::Range<usize>) -> Node {
    let plain = |text: String| {
        Value::Scalar(Scalar {
            text: text.into(),
            quoted: false,
        })
    };
    let value = match value {
        DeValue::String(s) => Value::Scalar(Scalar {
            text: s.as_ref().into(),
            quoted: true,
        }),
        DeValue::Integer(i) => plain(i.as_str().replace('_', "")),
        DeValue::Float(f) => plain(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => plain(b.to_string()),
        DeValue::Datetime(d) => plain(d.to_string()),
        DeValue::Array(items) => Value::List(
            items
                .iter()
                .map(|item| convert(item.get_ref(), item.span()))
                .collect(),
        ),
        DeValue::Table(t) => table_value(t),
    };
    Node::new(Span::new(span.start, span.end), value)
}
