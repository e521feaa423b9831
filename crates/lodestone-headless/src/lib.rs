//! Lodestone's headless layers, between the model and the window: the scenario file format
//! (`scenario`), the text every view shows (`display`) and the files it writes (`output`).
//! No egui, no window: the command line and the tests use these without a display, and the
//! compiler keeps the window out (`ecolor` gives the colours the window draws with).
//!
//! Layers, each importing only those before it: model <- scenario <- display <- output.

#![forbid(unsafe_code)]

pub mod display;
pub mod output;
pub mod scenario;

/// The model, re-exported so every layer names it `crate::model`.
pub use lodestone_model as model;
