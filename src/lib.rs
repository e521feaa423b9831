//! Lodestone: a desktop scenario explorer for rare-earth supply strategy under China's export
//! controls.
//!
//! Data flow: RON file -> [`scenario::Document`] -> [`model::simulate`] -> [`model::Results`]
//! -> charts (`ui`) and exports (`cli`). The model is pure; everything else calls it.

#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod display;
pub mod model;
pub mod output;
pub mod scenario;
pub mod ui;
