//! YAML to [`Node`], with limits: untrusted content must not make the loader
//! recurse without bound or expand aliases exponentially ("billion laughs").

use crate::diag::Code;
use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::node::{Key, Node, Scalar, Value};
use crate::diag::{Diagnostic, msg};
use crate::source::{SourceFile, Span};

/// Deepest nesting accepted. Real front matter is 4 levels deep.
pub const MAX_DEPTH: usize = 64;
/// Most values one document may expand to, aliases included.
pub const MAX_NODES: usize = 200_000;

/// Parses the YAML in `file.text[range]` into a tree; spans are relative to
/// the whole file. Returns `None` (with a diagnostic) on malformed input.
pub fn parse(
    file: &SourceFile,
    range: std::ops::Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let text = &file.text[range.clone()];
    let first_line = file.line_col(range.start).line as usize;
    let mut builder = Builder {
        file,
        base_line: first_line - 1,
        stack: Vec::new(),
        anchors: HashMap::default(),
        nodes: 0,
        root: None,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => {
                if let Err(d) = builder.event(event, span) {
                    diags.push(*d);
                    return None;
                }
            }
            Err(e) => {
                diags.push(builder.syntax_error(&e));
                return None;
            }
        }
    }
    builder.root
}

enum Open {
    List {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        pending_key: Option<Key>,
    },
}

struct Builder<'a> {
    file: &'a SourceFile,
    /// Lines before the YAML starts in the file (front matter follows `---`).
    base_line: usize,
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    root: Option<Node>,
    documents: usize,
}

/// The parser's explanation in Vietnamese: a clerk reads the Vietnamese
/// line, and the parser speaks English (kept on the English line).
fn syntax_vi(info: &str) -> &'static str {
    const KNOWN: &[(&str, &str)] = &[
        (
            "quoted scalar, found unexpected end",
            "thiếu dấu ngoặc kép đóng",
        ),
        (
            "indentation in quoted scalar",
            "thiếu dấu ngoặc kép đóng, hoặc dòng tiếp theo của giá trị trong ngoặc thụt lề sai",
        ),
        (
            "trailing content after double-quoted",
            "có chữ sau dấu ngoặc kép đóng",
        ),
        (
            "mapping values are not allowed",
            "có dấu hai chấm `:` ở chỗ không được phép",
        ),
        (
            "did not find expected key",
            "thụt lề không đều, hoặc thiếu dấu `:` sau tên trường",
        ),
        (
            "did not find expected '-'",
            "thụt lề không đều trong danh sách",
        ),
        (
            "block sequence entries are not allowed",
            "dấu `-` của danh sách ở chỗ không được phép (thụt lề sai?)",
        ),
        ("tabs disallowed", "có ký tự tab; hãy thụt lề bằng dấu cách"),
        ("found a tab", "có ký tự tab; hãy thụt lề bằng dấu cách"),
        ("did not find expected node content", "thiếu giá trị"),
        (
            "expected ',' or ']'",
            "thiếu dấu `,` hoặc `]` trong danh sách viết trên một dòng",
        ),
        ("expected ',' or '}'", "thiếu dấu `,` hoặc `}`"),
        (
            "unknown escape character",
            "ký tự sau dấu `\\` không hợp lệ trong ngoặc kép",
        ),
        ("invalid indentation", "thụt lề sai"),
        ("unexpected end of plain scalar", "giá trị bị cắt ngang"),
        ("unprintable character", "có ký tự không in được"),
        ("duplicated anchor", "trùng tên neo `&`"),
        ("unknown anchor", "tham chiếu `*` tới neo không có"),
    ];
    KNOWN
        .iter()
        .find(|(en, _)| info.contains(en))
        .map_or("cú pháp sai tại đây", |(_, vi)| vi)
}

/// The span of a quoted scalar up to its closing quote: the parser's span
/// runs on to the next token, over a trailing `# comment`, which made an
/// error underline the comment too.
fn closing_quote(text: &str, sp: Span) -> Span {
    let (start, end) = (sp.start as usize, (sp.end as usize).min(text.len()));
    let Some(inner) = text.get(start..end) else {
        return sp;
    };
    let mut chars = inner.char_indices();
    let Some((_, quote)) = chars.next().filter(|(_, c)| matches!(c, '"' | '\'')) else {
        return sp;
    };
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            // In single quotes, a doubled quote is a quote.
            if quote == '\'' && inner[i + 1..].starts_with('\'') {
                chars.next();
                continue;
            }
            return Span::new(start, start + i + 1);
        }
    }
    sp
}

impl Builder<'_> {
    fn pos(&self, m: &saphyr_parser::Marker) -> usize {
        self.file.offset_of(self.base_line + m.line(), m.col())
    }

    fn span(&self, s: &saphyr_parser::Span) -> Span {
        Span::new(self.pos(&s.start), self.pos(&s.end))
    }

    fn syntax_error(&self, e: &ScanError) -> Diagnostic {
        let at = self.pos(e.marker());
        let info = e.info();
        let d = Diagnostic::error(
            Code::YamlSyntax,
            self.file,
            msg(
                format!("YAML không hợp lệ: {}", syntax_vi(info)),
                format!("invalid YAML: {info}"),
            ),
        )
        .at(self.file, Span::new(at, at));
        if info.contains("mapping values are not allowed") || info.contains("did not find expected")
        {
            d.hint(msg(
                "Giá trị có dấu hai chấm `:` hoặc ký tự đặc biệt cần đặt trong dấu ngoặc kép, ví dụ: title: \"Kết luận: …\"",
                "Put a value containing `:` or other special characters in double quotes, e.g. title: \"Conclusion: …\"",
            ))
        } else {
            d
        }
    }

    fn limit_error(&self, span: Span, what: (&str, &str)) -> Diagnostic {
        Diagnostic::error(
            Code::YamlLimit,
            self.file,
            msg(
                format!("YAML vượt giới hạn: {}", what.0),
                format!("YAML exceeds a limit: {}", what.1),
            ),
        )
        .at(self.file, span)
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), Box<Diagnostic>> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(Box::new(self.limit_error(
                span,
                (
                    &format!("hơn {MAX_NODES} giá trị (có thể do bí danh `*` lồng nhau)"),
                    &format!("more than {MAX_NODES} values (nested `*` aliases?)"),
                ),
            )));
        }
        Ok(())
    }

    fn event(
        &mut self,
        event: Event<'_>,
        span: saphyr_parser::Span,
    ) -> Result<(), Box<Diagnostic>> {
        let sp = self.span(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Box::new(
                        Diagnostic::error(
                            Code::YamlSyntax,
                            self.file,
                            msg(
                                "Tệp chứa nhiều hơn một tài liệu YAML (dấu `---` thừa?)",
                                "the file holds more than one YAML document (a stray `---`?)",
                            ),
                        )
                        .at(self.file, sp),
                    ));
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, _tag) => {
                self.count(1, sp)?;
                let quoted = !matches!(style, ScalarStyle::Plain);
                let sp = match style {
                    ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
                        closing_quote(&self.file.text, sp)
                    }
                    _ => sp,
                };
                let value =
                    if !quoted && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL") {
                        Value::Null
                    } else {
                        Value::Scalar(Scalar {
                            text: text.into(),
                            quoted,
                        })
                    };
                self.finish(Node::new(sp, value), anchor)
            }
            Event::SequenceStart(anchor, _) => self.open(Open::List {
                start: sp,
                anchor,
                items: Vec::new(),
            }),
            Event::MappingStart(anchor, _) => self.open(Open::Map {
                start: sp,
                anchor,
                entries: Vec::new(),
                pending_key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return Ok(());
                };
                let (node, anchor) = match open {
                    Open::List {
                        start,
                        anchor,
                        items,
                    } => (
                        Node::new(
                            Span::new(start.start as usize, sp.end as usize),
                            Value::List(items),
                        ),
                        anchor,
                    ),
                    Open::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    } => (
                        Node::new(
                            Span::new(start.start as usize, sp.end as usize),
                            Value::Map(entries),
                        ),
                        anchor,
                    ),
                };
                self.finish(node, anchor)
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id).cloned() else {
                    return Err(Box::new(
                        Diagnostic::error(
                            Code::YamlSyntax,
                            self.file,
                            msg(
                                "Bí danh `*` không trỏ tới neo `&` nào",
                                "alias `*` refers to no anchor `&`",
                            ),
                        )
                        .at(self.file, sp),
                    ));
                };
                self.count(target.size(), sp)?;
                let mut node = target;
                node.span = sp;
                self.finish(node, 0)
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
        }
    }

    fn open(&mut self, open: Open) -> Result<(), Box<Diagnostic>> {
        let span = match &open {
            Open::List { start, .. } | Open::Map { start, .. } => *start,
        };
        self.count(1, span)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(Box::new(self.limit_error(
                span,
                (
                    &format!("lồng sâu hơn {MAX_DEPTH} cấp"),
                    &format!("nested deeper than {MAX_DEPTH} levels"),
                ),
            )));
        }
        self.stack.push(open);
        Ok(())
    }

    /// Attaches a finished node to its parent (or makes it the root).
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), Box<Diagnostic>> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Open::List { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Open::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    let name =
                        match node.value {
                            Value::Scalar(s) => s.text,
                            Value::Null => CompactString::default(),
                            _ => {
                                return Err(Box::new(Diagnostic::error(
                                Code::YamlSyntax,
                                self.file,
                                msg(
                                    "Khóa phải là một tên đơn, không phải danh sách hay bảng",
                                    "a key must be a plain name, not a list or mapping",
                                ),
                            )
                            .at(self.file, node.span)));
                            }
                        };
                    *pending_key = Some(Key {
                        name,
                        span: node.span,
                    });
                    Ok(())
                }
                Some(key) => {
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == key.name) {
                        let line = self.file.line_col(first.span.start as usize).line;
                        return Err(Box::new(
                            Diagnostic::error(
                                Code::DuplicateKey,
                                self.file,
                                msg(
                                    format!(
                                        "Khóa `{}` xuất hiện hai lần (lần đầu ở dòng {line})",
                                        key.name
                                    ),
                                    format!(
                                        "key `{}` appears twice (first on line {line})",
                                        key.name
                                    ),
                                ),
                            )
                            .at(self.file, key.span)
                            .field(key.name.clone()),
                        ));
                    }
                    entries.push((key, node));
                    Ok(())
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Option<Node>, Vec<Diagnostic>) {
        let file = SourceFile::new("t.yaml".into(), text.to_string());
        let mut diags = Vec::new();
        let node = parse(&file, 0..text.len(), &mut diags);
        (node, diags)
    }

    #[test]
    fn quoted_values_end_at_their_closing_quote_not_at_the_comment() {
        let text = "a: \"x # \\\" y\"   # ghi chú\nb: 'it''s'  # c\nc: plain   # c\n";
        let (node, diags) = parse_str(text);
        assert!(diags.is_empty(), "{diags:?}");
        let Some(Node {
            value: Value::Map(entries),
            ..
        }) = node
        else {
            panic!("not a map")
        };
        let shown: Vec<&str> = entries.iter().map(|(_, v)| &text[v.span.range()]).collect();
        assert_eq!(shown, ["\"x # \\\" y\"", "'it''s'", "plain"]);
    }

    #[test]
    fn spans_point_into_the_file() {
        let text = "a: 1\nb:\n  - x\n  - \"y\"\n";
        let (node, diags) = parse_str(text);
        assert!(diags.is_empty());
        let Some(Node {
            value: Value::Map(entries),
            ..
        }) = node
        else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0.name, "b");
        let Value::List(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(&text[items[0].span.range()], "x");
        assert_eq!(
            items[1].value,
            Value::Scalar(Scalar {
                text: "y".into(),
                quoted: true
            })
        );
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let (node, diags) = parse_str(&text);
        assert!(node.is_none());
        assert_eq!(diags[0].code, "yaml-limit");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let (node, diags) = parse_str(&text);
        assert!(node.is_none());
        assert!(diags[0].code == "yaml-limit" || diags[0].code == "yaml-syntax");
    }

    #[test]
    fn duplicate_keys_are_reported_with_the_first_line() {
        let (_, diags) = parse_str("a: 1\nb: 2\na: 3\n");
        assert_eq!(diags[0].code, "duplicate-key");
        assert_eq!(diags[0].line, 3);
        assert!(diags[0].message_en.contains("first on line 1"));
    }

    #[test]
    fn unquoted_colon_gets_a_hint() {
        let (_, diags) = parse_str("title: Kết luận: thanh tra\n");
        assert_eq!(diags[0].code, "yaml-syntax");
        assert!(diags[0].hint_vi.is_some());
    }
}
