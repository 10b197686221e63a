//! The **site** layer: what every output stage shares about the published
//! site — its addresses ([`urls`]), the interface's words ([`strings`]),
//! how numbers and dates are written ([`format`]), the descriptions of the
//! open datasets ([`datasets`]), the content security policy, and the
//! build's timings ([`timer`]). It sits below render, export, search and
//! serve, so that none of them needs another.

pub mod datasets;
pub mod format;
pub mod media;
pub mod strings;
pub mod timer;
pub mod urls;

use crate::model::vocab::Language;

/// Forbids any script but the site's own files, inline styles and plugins.
/// `wasm-unsafe-eval` lets the search page compile its WebAssembly module.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// The languages of the interface, the default first.
pub const LANGUAGES: [Language; 2] = [Language::Vi, Language::En];

/// The kinds of record in the search index, in the order of their type numbers.
pub const SEARCH_TYPES: [&str; 4] = ["conclusion", "decision", "page", "agency"];
