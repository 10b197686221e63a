//! Diagnostics: what went wrong, where, in Vietnamese with English beside it.
//!
//! A diagnostic is self-contained (it copies the offending source line), so
//! that it can be printed, sent to an editor as JSON, shown in the browser
//! overlay of `serve`, or kept in a cache, without the source file at hand.

use std::fmt;
use std::io::IsTerminal;
use std::sync::Arc;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::source::{SourceFile, Span};

pub mod codes;

pub use codes::Code;

/// How serious a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A message in both languages of the interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub vi: String,
    pub en: String,
}

/// Builds a [`Msg`] from a Vietnamese and an English sentence.
pub fn msg(vi: impl Into<String>, en: impl Into<String>) -> Msg {
    Msg {
        vi: vi.into(),
        en: en.into(),
    }
}

/// The line a diagnostic points at, copied from its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    pub text: String,
    /// Byte range of the offending part within `text`.
    pub start: usize,
    pub end: usize,
}

/// One problem found in the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case identifier of the rule (for editors, CI and docs).
    pub code: Code,
    /// File relative to the site folder, with forward slashes.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: u32,
    pub column: u32,
    /// The field, as a path such as `recommendations[1].due`.
    pub field: Option<String>,
    pub message_vi: String,
    pub message_en: String,
    pub hint_vi: Option<String>,
    pub hint_en: Option<String>,
    #[serde(skip)]
    pub excerpt: Option<Excerpt>,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: Code, file: &SourceFile, message: Msg) -> Self {
        Self::for_path(severity, code, &file.display_path(), message)
    }

    /// A diagnostic about a file that could not even be read as text.
    pub fn for_path(severity: Severity, code: Code, path: &str, message: Msg) -> Self {
        Self {
            severity,
            code,
            file: path.to_string(),
            line: 0,
            column: 0,
            field: None,
            message_vi: message.vi,
            message_en: message.en,
            hint_vi: None,
            hint_en: None,
            excerpt: None,
        }
    }

    /// Sets the file of a diagnostic made before the file was known.
    pub fn with_path(mut self, path: &str) -> Self {
        self.file = path.to_string();
        self
    }

    pub fn error(code: Code, file: &SourceFile, message: Msg) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    pub fn warning(code: Code, file: &SourceFile, message: Msg) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    /// Points the diagnostic at a span of its file and copies that line.
    pub fn at(mut self, file: &SourceFile, span: Span) -> Self {
        let pos = file.line_col(span.start as usize);
        self.line = pos.line;
        self.column = pos.column;
        let line = file.line_range(pos.line);
        let text = file.text[line.clone()].to_string();
        let start = (span.start as usize).clamp(line.start, line.end) - line.start;
        let end = (span.end as usize).clamp(line.start, line.end) - line.start;
        let end = if end <= start {
            // Point at one character (or the end of the line).
            text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8())
        } else {
            end
        };
        self.excerpt = Some(Excerpt { text, start, end });
        self
    }

    /// Points at a line and column without an excerpt (spreadsheet cells).
    pub fn at_line(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Rewrites the quoted source line (keeping each character's place),
    /// e.g. to mask a personal identifier.
    pub fn mask_excerpt(&mut self, mask: impl Fn(&str) -> String) -> &mut Self {
        if let Some(ex) = &mut self.excerpt {
            let to_char = |b: usize| ex.text[..b.min(ex.text.len())].chars().count();
            let (start, end) = (to_char(ex.start), to_char(ex.end));
            let text = mask(&ex.text);
            let to_byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
            *ex = Excerpt {
                start: to_byte(start),
                end: to_byte(end),
                text,
            };
        }
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        if !field.is_empty() {
            self.field = Some(field);
        }
        self
    }

    pub fn hint(mut self, hint: Msg) -> Self {
        self.set_hint(hint);
        self
    }

    /// Adds a hint to a diagnostic already reported.
    pub fn set_hint(&mut self, hint: Msg) -> &mut Self {
        self.hint_vi = Some(hint.vi);
        self.hint_en = Some(hint.en);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: file, then position, then rule, so output is stable.
    fn sort_key(&self) -> (&str, u32, u32, &'static str, &str) {
        (
            &self.file,
            self.line,
            self.column,
            self.code.id(),
            &self.message_en,
        )
    }
}

/// All diagnostics of a run, collected rather than stopping at the first.
///
/// Diagnostics a file gave are shared, not copied, when the same reading is
/// kept from one build to the next: `serve` keeps every unchanged record's
/// reading, and copying 60 000 warnings on every edit took a fifth of the
/// time a 100 000-record preview needed to show it. The order of
/// [`Diagnostics::iter`] is not the order they were found in; what is shown
/// is [`Diagnostics::sorted`].
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    shared: Vec<Arc<Vec<Diagnostic>>>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Keeps only the diagnostics `keep` accepts (to drop findings that depend on a file
    /// that could not be read, and would only repeat its error).
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.own();
        self.items.retain(keep);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Adds diagnostics kept elsewhere, without copying them.
    pub fn extend_shared(&mut self, other: Arc<Vec<Diagnostic>>) {
        if !other.is_empty() {
            self.shared.push(other);
        }
    }

    /// Adds all of `other`.
    pub fn append(&mut self, mut other: Diagnostics) {
        self.items.append(&mut other.items);
        self.shared.append(&mut other.shared);
    }

    /// Makes the shared diagnostics this collection's own: moved when
    /// nothing else holds them (a build, which keeps no memo), else copied.
    fn own(&mut self) {
        for chunk in std::mem::take(&mut self.shared) {
            match Arc::try_unwrap(chunk) {
                Ok(mut owned) => self.items.append(&mut owned),
                Err(kept) => self.items.extend_from_slice(&kept),
            }
        }
    }

    pub fn errors(&self) -> usize {
        self.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        self.items.len() + self.shared.iter().map(|c| c.len()).sum::<usize>()
    }

    /// Diagnostics in a stable order (files are loaded in parallel).
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.own();
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .chain(self.shared.iter().flat_map(|c| c.iter()))
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(mut self) -> Self::IntoIter {
        self.own();
        self.items.into_iter()
    }
}

/// Whether to colour output: only on a terminal, and never with `NO_COLOR`.
pub fn use_colour(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Renders one diagnostic as a block of text with the source line and a caret.
pub fn render(d: &Diagnostic, colour: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR.with_name("lỗi / error"),
        Severity::Warning => Level::WARNING.with_name("cảnh báo / warning"),
    };
    let label = d.field.as_deref().map(|f| format!("trường / field `{f}`"));
    let title = level.primary_title(d.message_vi.as_str()).id(d.code.id());
    let group: Group<'_> = match &d.excerpt {
        Some(ex) if d.line > 0 => {
            let mut annotation = AnnotationKind::Primary.span(ex.start..ex.end);
            if let Some(label) = &label {
                annotation = annotation.label(label.as_str());
            }
            title.element(
                Snippet::source(ex.text.as_str())
                    .line_start(d.line as usize)
                    .path(d.file.as_str())
                    .annotation(annotation),
            )
        }
        _ => {
            let mut origin = Origin::path(d.file.as_str());
            if d.line > 0 {
                origin = origin.line(d.line as usize).char_column(d.column as usize);
            }
            let mut group = title.element(origin);
            if let Some(label) = &label {
                group = group.element(Level::NOTE.message(label.as_str()));
            }
            group
        }
    };
    let group = group.element(
        Level::NOTE
            .with_name("english")
            .message(d.message_en.as_str()),
    );
    let mut report = vec![group];
    if let (Some(vi), Some(en)) = (&d.hint_vi, &d.hint_en) {
        report.push(Group::with_title(
            Level::HELP
                .with_name("gợi ý / help")
                .secondary_title(format!("{vi}\n{en}")),
        ));
    }
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Unicode);
    renderer.render(&report)
}

/// The one-line location of a diagnostic, `file:line:column`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {} [{}]", self.message_vi, self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shared diagnostics count, sort, filter and come out like owned ones.
    #[test]
    fn shared_diagnostics_are_part_of_the_collection() {
        let at = |file: &str, severity| {
            Diagnostic::for_path(severity, Code::UnknownKey, file, msg("vi", "en"))
        };
        let kept = Arc::new(vec![
            at("c.md", Severity::Warning),
            at("a.md", Severity::Error),
        ]);
        let mut all = Diagnostics::default();
        all.push(at("b.md", Severity::Warning));
        all.extend_shared(kept.clone());
        all.extend_shared(Arc::new(Vec::new()));
        let mut other = Diagnostics::default();
        other.extend_shared(kept.clone());
        all.append(other);
        assert_eq!((all.len(), all.errors(), all.warnings()), (5, 2, 3));
        assert!(all.has_errors());
        let files = |d: Vec<Diagnostic>| d.into_iter().map(|d| d.file).collect::<Vec<_>>();
        assert_eq!(files(all.clone().sorted()), ["a.md", "b.md", "c.md"]);
        assert_eq!(all.clone().into_iter().count(), 5);
        all.retain(|d| !d.is_error());
        assert_eq!((all.len(), all.has_errors()), (3, false));
        assert_eq!(kept.len(), 2, "the kept diagnostics are not changed");
    }

    #[test]
    fn renders_file_line_field_and_both_languages() {
        let file = SourceFile::new(
            "content/conclusions/a.md".into(),
            "---\nsignd_on: 2025-01-01\n---\n".into(),
        );
        let d = Diagnostic::error(
            Code::UnknownKey,
            &file,
            msg("Khóa không hợp lệ `signd_on`", "Unknown key `signd_on`"),
        )
        .at(&file, Span::new(4, 12))
        .field("signd_on")
        .hint(msg(
            "Có phải ý bạn là `signed_on`?",
            "Did you mean `signed_on`?",
        ));
        let text = render(&d, false);
        assert!(text.contains("content/conclusions/a.md:2:1"), "{text}");
        assert!(text.contains("Khóa không hợp lệ"), "{text}");
        assert!(text.contains("Unknown key"), "{text}");
        assert!(text.contains("signd_on: 2025-01-01"), "{text}");
        assert!(text.contains("signed_on"), "{text}");
        assert!(text.contains("unknown-key"), "{text}");
        assert!(!text.contains('\u{1b}'), "no colour when not asked: {text}");
    }

    #[test]
    fn sorted_is_stable_and_deduplicated() {
        let file = SourceFile::new("b.md".into(), "x\ny\n".into());
        let mut all = Diagnostics::default();
        let later =
            Diagnostic::error(Code::InvalidValue, &file, msg("b", "b")).at(&file, Span::new(2, 3));
        let earlier =
            Diagnostic::error(Code::InvalidValue, &file, msg("a", "a")).at(&file, Span::new(0, 1));
        all.push(later.clone());
        all.push(earlier.clone());
        all.push(later.clone());
        assert_eq!(all.sorted(), vec![earlier, later]);
    }
}
