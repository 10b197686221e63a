//! Any text as a Markdown body: rendering and the checks `check` makes on
//! bodies never panic, and nothing executable comes out of the sanitiser.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use regex::Regex;

/// A tag with an event handler, a style, or a script URL in an attribute.
static EXECUTABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<script|<iframe|<object|<embed|<[^>]*\s(on\w+|style)\s*=|<[^>]*(href|src|action)\s*=\s*["']?\s*(javascript|vbscript|data):"#)
        .expect("valid regex")
});

fuzz_target!(|text: &str| {
    let html = congkhai::markdown::to_html(text);
    assert!(!EXECUTABLE.is_match(&html), "{html}");
    let _ = congkhai::markdown::to_text(text);
    let _ = congkhai::markdown::reader_text(text);
    let _ = congkhai::markdown::hidden_text(text);
    if let Some(at) = congkhai::markdown::too_deep(text) {
        assert!(at <= text.len());
    }
});
