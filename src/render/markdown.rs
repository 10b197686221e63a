//! Markdown bodies to safe HTML.
//!
//! Content is untrusted text: after pulldown-cmark renders it, ammonia keeps
//! only harmless markup (no script, event handler, `javascript:` URL, iframe,
//! object, style or form). Headings move down one level, since the page
//! title is the only `<h1>`.

use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .rm_tags(["img"])
        .strip_comments(true);
    b
});

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Renders and sanitises a Markdown body.
pub fn to_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(markdown, options).map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    let clean = serialised(&CLEANER.clean(&html), html.len());
    // A link whose address was removed keeps ammonia's `rel`, which is not
    // valid on an `<a>` without `href`: drop it.
    if clean.contains("<a rel=") || clean.contains("\" rel=") {
        ANCHOR
            .replace_all(&clean, |c: &regex::Captures<'_>| {
                let tag = &c[0];
                if tag.contains(" href=") {
                    tag.to_string()
                } else {
                    tag.replace(REL, "")
                }
            })
            .into_owned()
    } else {
        clean
    }
}

/// The HTML of a cleaned document. ammonia's `to_string` checks its own
/// UTF-8 output with the standard check, which is slow on Vietnamese text;
/// the SIMD check is a fraction of it.
fn serialised(doc: &ammonia::Document, size_hint: usize) -> String {
    let mut bytes = Vec::with_capacity(size_hint);
    doc.write_to(&mut bytes)
        .expect("writing into memory cannot fail");
    simdutf8::basic::from_utf8(&bytes).map_or_else(
        |_| String::from_utf8_lossy(&bytes).into_owned(),
        str::to_owned,
    )
}

const REL: &str = " rel=\"noopener noreferrer nofollow\"";

static ANCHOR: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new("<a\\s[^>]*>").expect("valid regex"));

/// Plain text of a Markdown body (for search excerpts and feeds).
pub fn to_text(markdown: &str) -> String {
    text_past(markdown, usize::MAX)
}

/// The start of a body's plain text: read until it holds more than
/// `chars` characters, or to the end. A feed entry shows the first 400
/// characters, and reading whole bodies for it was half of the time spent
/// on plain text.
pub fn text_past(markdown: &str, chars: usize) -> String {
    let mut out = Words::default();
    for e in Parser::new(markdown) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push(" "),
            _ => {}
        }
        // Bytes bound characters from above: characters are counted only
        // once there may be enough of them, and never for the whole text.
        if out.text.len() > chars && out.text.chars().count() > chars {
            break;
        }
    }
    out.text
}

/// Text whose runs of white space are one space, without leading or
/// trailing space, built in one pass (search and feeds take the plain text
/// of every record).
#[derive(Default)]
struct Words {
    text: String,
    /// White space was seen since the last word.
    gap: bool,
}

impl Words {
    fn push(&mut self, s: &str) {
        for (i, piece) in s.split(char::is_whitespace).enumerate() {
            self.gap |= i > 0;
            if !piece.is_empty() {
                if self.gap && !self.text.is_empty() {
                    self.text.push(' ');
                }
                self.gap = false;
                self.text.push_str(piece);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_executable_survives() {
        let hostile = r#"
# Tiêu đề
<script>alert(1)</script>
<img src=x onerror=alert(1)>
[bấm](javascript:alert(1)) [b2](JaVaScRiPt:alert(1)) [b3](&#106;avascript:alert(1))
<iframe src="https://evil.example"></iframe>
<object data="x"></object><embed src="x">
<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>
<svg><script>alert(1)</script></svg>
<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>
<form action="https://evil.example"><input name=a></form>
"#;
        let html = to_html(hostile).to_lowercase();
        for bad in [
            "<script", "<iframe", "<object", "<embed", "<svg", "<form", "<img", "<input",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        // No attribute may carry code: event handlers, styles, script URLs.
        let attrs = regex::Regex::new(
            r#"<[^>]*\s(on\w+|style)\s*=|(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):"#,
        )
        .unwrap();
        assert!(!attrs.is_match(&html), "{html}");
        assert!(html.contains("<h2>tiêu đề</h2>"), "{html}");
    }

    #[test]
    fn a_link_without_its_address_has_no_rel() {
        let html = to_html("[bấm](javascript:alert(1)) và [đi](https://example.gov.vn)");
        assert!(html.contains("<a>bấm</a>"), "{html}");
        assert!(
            html.contains(
                "<a href=\"https://example.gov.vn\" rel=\"noopener noreferrer nofollow\">"
            ),
            "{html}"
        );
    }

    #[test]
    fn ordinary_markdown_is_kept() {
        let html = to_html(
            "Đoạn **đậm**.\n\n- một\n- hai\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[liên kết](https://example.gov.vn)",
        );
        assert!(html.contains("<strong>đậm</strong>"));
        assert!(html.contains("<li>một</li>"));
        assert!(html.contains("<table>"));
        assert!(html.contains("href=\"https://example.gov.vn\""));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }

    #[test]
    fn plain_text() {
        assert_eq!(to_text("# A\n\nB **c** `d`\n- e"), "A B c d e");
    }

    #[test]
    fn the_start_of_the_text_is_the_start_of_the_whole_text() {
        let body =
            "# Tiêu đề\n\nĐoạn **một** có\u{a0}nhiều từ.\n\n- mục hai\n- mục ba\n\nĐoạn cuối.";
        let whole = to_text(body);
        for chars in [0, 5, 12, 20, whole.chars().count() - 1] {
            let start = text_past(body, chars);
            assert!(
                whole.starts_with(&start),
                "{start:?} is not a start of {whole:?}"
            );
            assert!(
                start.chars().count() > chars,
                "{start:?} stops at or before {chars}"
            );
        }
        assert_eq!(text_past(body, whole.chars().count()), whole);
        assert_eq!(text_past(body, usize::MAX), whole);
    }

    #[test]
    fn plain_text_has_one_space_between_words_and_none_around() {
        assert_eq!(to_text("a\u{a0}\u{2003} b\n\n\nc\t\td  "), "a b c d");
        assert_eq!(to_text("x**y**z `w`"), "xyz w");
        assert_eq!(to_text("   \n\n  "), "");
        assert_eq!(to_text("- một\n- hai\n\n# ba"), "một hai ba");
    }
}
