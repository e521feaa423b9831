//! The integration tests, one module per area, linked into one test binary (each test binary
//! links eframe and the rest of the app, so every extra one costs a link).
//!
//! Tests that need a process of their own are separate binaries beside this folder:
//! `allocations.rs` (a counting global allocator), `reliability.rs` (installs the process-wide
//! panic hook and counts the crash reports it writes; its extreme-input tests leave
//! computations running in the shared rayon pool after they end), `soak.rs` (bounds the
//! process's resident memory) and `real_window.rs` (the built binary under its own Xvfb).
//!
//! Proptest keeps the regression seeds of `format` in `tests/proptest-regressions/`
//! (its default place once the tests sit beside a `main.rs`); `fuzz` keeps its own beside
//! `fuzz.rs`.

// Tests fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod backtest;
mod bands_window;
mod cli;
mod company;
mod company_window;
mod compare_window;
mod data_files;
mod decks;
mod export;
mod format;
mod fuzz;
mod goal_window;
mod golden;
mod hostile;
mod installed;
mod layers;
mod lifecycle;
mod model_version;
mod palette;
mod scene;
mod seek;
mod sensitivity;
mod sensitivity_cli;
mod snapshots;
mod window;
