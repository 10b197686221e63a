//! Splits a Markdown record into its YAML front matter and its body.

use crate::diag::Code;
use std::ops::Range;

use crate::diag::{Diagnostic, msg};
use crate::source::{SourceFile, Span};

/// Where the parts of a record are in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The YAML between the `---` lines.
    pub yaml: Range<usize>,
    /// The Markdown after the closing `---` line.
    pub body: Range<usize>,
}

pub fn split(file: &SourceFile) -> Result<Parts, Box<Diagnostic>> {
    let text = file.text.as_str();
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(Box::new(Diagnostic::error(
            Code::FrontMatter,
            file,
            msg(
                "Tệp phải bắt đầu bằng dòng `---`, tiếp theo là các trường YAML và một dòng `---` nữa",
                "the file must start with a `---` line, then the YAML fields, then another `---` line",
            ),
        )
        .at(file, Span::new(0, first_end.saturating_sub(1)))));
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return Ok(Parts {
                yaml: first_end..pos,
                body: end..text.len(),
            });
        }
        pos = end;
    }
    Err(Box::new(
        Diagnostic::error(
            Code::FrontMatter,
            file,
            msg(
                "Thiếu dòng `---` đóng phần đầu (front matter)",
                "the front matter is not closed by a `---` line",
            ),
        )
        .at(file, Span::new(0, 3)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let f = SourceFile::new("a.md".into(), "---\r\na: 1\n---\nBody\n".into());
        let parts = split(&f).unwrap();
        assert_eq!(&f.text[parts.yaml], "a: 1\n");
        assert_eq!(&f.text[parts.body], "Body\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_an_error() {
        let f = SourceFile::new("a.md".into(), "# Title\n".into());
        assert_eq!(split(&f).unwrap_err().line, 1);
        let f = SourceFile::new("a.md".into(), "---\na: 1\n".into());
        assert_eq!(split(&f).unwrap_err().code, "front-matter");
    }
}
