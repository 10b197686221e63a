//! congkhai builds a public transparency portal — inspection conclusions and
//! the follow-up of their recommendations, disciplinary decisions, recovered
//! assets — as a static website.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] → [`model`] → [`derive`] → [`render`], [`export`], [`search`] →
//! [`published`] → [`produce`] → [`write`], with what every output stage shares in [`site`].
//! The command line ([`cli`]) only wires the stages together. The layers, and
//! the test that keeps them, are in `docs/kien-truc.md`.

pub mod cli;
pub mod deploy;
pub mod derive;
pub mod diag;
pub mod export;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod produce;
pub mod published;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
#[cfg(test)]
mod testing;
pub mod write;
