//! Markdown bodies: to safe HTML, to plain text, and the checks that need
//! to know what a reader will see.
//!
//! Content is untrusted text: after pulldown-cmark renders it, ammonia keeps
//! only harmless markup (no script, event handler, `javascript:` URL, iframe,
//! object, style or form). Headings move down one level, since the page
//! title is the only `<h1>`.
//!
//! This module sits below the model: `check` uses it to find what a reader
//! would see (for the privacy lint), nesting deep enough to make sanitising
//! slow, and raw HTML that would swallow the rest of a body.

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

/// Deepest nesting of blocks and HTML elements accepted in a body. The
/// HTML sanitiser's work grows with the square of the depth: 40 000 nested
/// `>` took eight seconds. Real documents nest a handful of levels.
pub const MAX_NESTING: usize = 100;

/// Elements that never contain others, or that the HTML parser closes by
/// itself when the next one starts: they do not deepen the tree.
const FLAT: &[&str] = &[
    "br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "embed", "source",
    "track", "p", "li", "td", "th", "tr", "dt", "dd", "option",
];

/// The byte offset where a body's nesting first passes [`MAX_NESTING`], if
/// it does. Counts, per line, the block markers at its start (`>`, list
/// markers, indentation) and the HTML elements open so far. An estimate
/// from above, computed in one pass without parsing.
pub fn too_deep(markdown: &str) -> Option<usize> {
    let mut html = 0usize;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let blocks = block_depth(line);
        if blocks > MAX_NESTING {
            return Some(offset);
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(j) = bytes[i..].iter().position(|b| *b == b'<') {
            let at = i + j;
            let rest = &line[at + 1..];
            if let Some(name) = rest.strip_prefix('/') {
                if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    html = html.saturating_sub(1);
                }
            } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                let name: String = rest
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                // Tags are short: look no further than a tag's length, so
                // that a line of many `<` stays linear.
                let window = &rest.as_bytes()[..rest.len().min(256)];
                let end = window
                    .iter()
                    .position(|b| *b == b'>')
                    .unwrap_or(window.len());
                let self_closing = end > 0 && window[end - 1] == b'/';
                if !self_closing && !FLAT.contains(&name.as_str()) {
                    html += 1;
                }
            }
            if blocks + html > MAX_NESTING {
                return Some(offset + at);
            }
            i = at + 1;
        }
        offset += line.len();
    }
    None
}

/// Block markers at the start of a line: `>` quotes, list markers, and
/// indentation (two spaces can open a nested list).
fn block_depth(line: &str) -> usize {
    let mut depth = 0;
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let indent = rest.len() - trimmed.len();
        depth += indent / 2;
        rest = trimmed;
        if let Some(r) = rest.strip_prefix('>') {
            depth += 1;
            rest = r;
        } else if let Some(r) = rest
            .strip_prefix("- ")
            .or_else(|| rest.strip_prefix("* "))
            .or_else(|| rest.strip_prefix("+ "))
        {
            depth += 1;
            rest = r;
        } else {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            match rest[digits..]
                .strip_prefix(". ")
                .or_else(|| rest[digits..].strip_prefix(") "))
            {
                Some(r) if digits > 0 && digits < 10 => {
                    depth += 1;
                    rest = r;
                }
                _ => return depth,
            }
        }
    }
}

/// Whether a body has raw HTML at all (most have none).
fn has_html(markdown: &str) -> bool {
    let b = markdown.as_bytes();
    b.windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'!' | b'/' | b'?')))
}

/// The text of HTML as a browser shows it: tags and comments removed,
/// character references decoded. Quotes inside tags are respected, so a `>`
/// in an attribute does not end the tag.
pub fn html_text(html: &str) -> String {
    decode_entities(&html_segments(html).concat())
}

/// The pieces of text between the tags and comments of HTML, not decoded.
fn html_segments(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |j| &after[j + 3..]);
            continue;
        }
        let mut quote = None;
        let mut end = rest.len();
        for (j, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = j + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push(rest);
    out
}

/// Decodes HTML character references (`&#48;`, `&#x40;`, `&amp;`, `&nbsp;`).
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    quick_xml::escape::unescape_with(text, quick_xml::escape::resolve_html5_entity)
        .map_or_else(|_| decode_each(text), std::borrow::Cow::into_owned)
}

/// Decodes the references that can be decoded, leaving stray `&` as text.
fn decode_each(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.as_bytes()[..rest.len().min(40)]
            .iter()
            .position(|b| *b == b';');
        match end.and_then(|e| {
            quick_xml::escape::unescape_with(&rest[..=e], quick_xml::escape::resolve_html5_entity)
                .ok()
        }) {
            Some(decoded) => {
                out.push_str(&decoded);
                rest = &rest[end.unwrap_or(0) + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a reader can see or follow in a body: its text, including the
/// text inside raw HTML, pieces split by emphasis or comments joined as the
/// page shows them, and every link target (percent-decoded). The privacy
/// lint scans this, not the source, so that `0912**345**678` or
/// `&#48;912345678` are found.
pub fn reader_text(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(markdown.len());
    for e in Parser::new_ext(markdown, options) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::InlineHtml(h) | Event::Html(h) => out.push_str(&html_text(&h)),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                out.push(' ');
                out.push_str(&percent_encoding::percent_decode_str(&dest_url).decode_utf8_lossy());
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// The byte offset in a body of the first text that would not show on its
/// page, if raw HTML swallows part of it (an unclosed `<!--`, `<script>` or
/// `<style>`, or markup in mXSS shape that the sanitiser reads differently
/// from the Markdown parser). Only bodies with raw HTML are rendered here.
pub fn hidden_text(markdown: &str) -> Option<usize> {
    if !has_html(markdown) {
        return None;
    }
    if let Some(at) = unclosed(markdown) {
        return Some(at);
    }
    let shown = squash(&html_text(&to_html(markdown)));
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let pieces: Vec<(String, usize)> = Parser::new_ext(markdown, options)
        .into_offset_iter()
        .flat_map(|(e, range)| match e {
            Event::Text(t) | Event::Code(t) => vec![(squash(&t), range.start)],
            Event::Html(h) | Event::InlineHtml(h) => html_segments(&h)
                .into_iter()
                .map(|piece| (squash(&decode_entities(piece)), range.start))
                .collect(),
            _ => Vec::new(),
        })
        .filter(|(p, _)| !p.is_empty())
        .collect();
    // A piece that does not show is fine when the text goes on after it
    // (the content of a removed `<script>`); what matters is a missing end:
    // the run of pieces at the end of the body that are not on the page.
    let mut first_missing = None;
    // A bounded look back: a thousand pieces missing in a row is proof enough.
    for (piece, at) in pieces.iter().rev().take(1000) {
        if piece.chars().count() < 3 {
            continue;
        }
        if shown.contains(piece.as_str()) {
            break;
        }
        first_missing = Some(*at);
    }
    first_missing
}

/// Elements whose content the browser reads as raw text, or that the
/// sanitiser drops with their content: left open, they swallow the rest.
const SWALLOWING: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "noscript",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "template",
    "select",
    "svg",
    "math",
];

/// The offset of the first comment or swallowing element left open: one
/// that no closer follows. Each closer is looked for once, from the end, so
/// the work stays linear however many openers a body has.
fn unclosed(markdown: &str) -> Option<usize> {
    let lower = markdown.to_ascii_lowercase();
    let last_close = |closer: &str| lower.rfind(closer);
    let comment_end = last_close("-->");
    let closers: Vec<Option<usize>> = SWALLOWING
        .iter()
        .map(|n| last_close(&format!("</{n}")))
        .collect();
    let mut from = 0;
    while let Some(i) = lower[from..].find('<') {
        let at = from + i;
        let rest = &lower[at + 1..];
        if rest.starts_with("!--") {
            if comment_end.is_none_or(|end| end < at + 4) {
                return Some(at);
            }
        } else if let Some(k) = SWALLOWING.iter().position(|n| {
            rest.starts_with(*n)
                && !rest[n.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
        }) && closers[k].is_none_or(|end| end < at)
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Text with runs of white space as one space, trimmed.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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

#[cfg(test)]
mod check_tests {
    use super::*;

    #[test]
    fn deep_nesting_is_found_and_ordinary_nesting_is_not() {
        assert_eq!(
            too_deep("> a\n> > b\n\n- x\n  - y\n    - z\n<div><div>t</div></div>"),
            None
        );
        let quotes = format!("intro\n{} a\n", ">".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&quotes), Some(6));
        let divs = "<div>".repeat(MAX_NESTING + 5);
        assert!(too_deep(&divs).is_some());
        // Elements that the parser closes by itself do not count.
        assert_eq!(too_deep(&"<p>x".repeat(500)), None);
        assert_eq!(too_deep(&"<br>".repeat(500)), None);
    }

    #[test]
    fn the_text_a_reader_sees_joins_what_markup_splits() {
        let t = reader_text(
            "Gọi 0912**345**678, 0912<!-- -->345678 hoặc &#48;912345678 [đây](mailto:a%40gmail.com) [gọi](tel:0912345678)\n\n<div>số <b>0912</b>345678</div>",
        );
        assert!(t.contains("0912345678, 0912345678 hoặc 0912345678"), "{t}");
        assert!(
            t.contains("mailto:a@gmail.com") && t.contains("tel:0912345678"),
            "{t}"
        );
        assert!(t.contains("số 0912345678"), "{t}");
        assert_eq!(
            html_text("<a title=\"x>y\">k</a> &amp; &#x40; &nbsp;"),
            "k & @ \u{a0}"
        );
    }

    #[test]
    fn raw_html_that_swallows_the_rest_of_a_body_is_found() {
        assert_eq!(hidden_text("Đoạn một.\n\nĐoạn hai có <b>đậm</b>."), None);
        assert_eq!(hidden_text("<script>alert(1)</script>\n\nĐoạn sau."), None);
        let open_comment = "Đoạn một.\n\n<!-- ghi chú\n\nĐoạn bị nuốt.";
        assert!(hidden_text(open_comment).is_some());
        let open_style = "Đầu.\n\n<style>\n\nPhần còn lại của văn bản.";
        let at = hidden_text(open_style).unwrap();
        assert!(
            open_style[at..].starts_with("<style>"),
            "{}",
            &open_style[at..]
        );
    }
}
