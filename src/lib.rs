//! Lodestone: a desktop scenario explorer for rare-earth supply strategy under China's export
//! controls.
//!
//! Data flow: RON file -> [`scenario::Document`] -> [`model::simulate`] -> [`model::Results`]
//! -> charts (`ui`) and exports (`cli`). The model is pure; everything else calls it.

#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod ui;

// The layers below the window live in their own crates (ARCHITECTURE.md); re-exported so a
// path reads the same from every layer: `crate::model`, `crate::scenario`, ...
pub use lodestone_headless::{display, model, output, scenario};
