//! Lodestone: a desktop scenario explorer for rare-earth supply strategy under China's export
//! controls.
//!
//! Data flow: RON file -> [`scenario::Document`] -> [`model::simulate`] -> [`model::Results`]
//! -> charts (`ui`) and exports (`cli`). The model is pure; everything else calls it.

pub mod app;
pub mod chart;
pub mod cli;
pub mod export;
pub mod model;
pub mod record;
pub mod scenario;
pub mod ui;
