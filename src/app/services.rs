//! The background services beside the window's state: the IO thread (file dialogs, reads,
//! writes, library scans), the analysis workers (Monte Carlo bands, sensitivity, the company's
//! bands), the goal seek and the plan's robustness, the autosave writer and the file watcher.
//!
//! `AppState` holds them privately: only its own methods start work and apply what lands
//! (at the start of a frame, before anything is drawn). The panels read what the state
//! publishes: results through its accessors ([`super::AppState::bands`]), questions in
//! [`super::Prompts`] (the restore offer, the reload question), never a service itself
//! (`tests/it/layers.rs` checks that `ui/` does not name them). Tests and benches may look
//! at a service's bookkeeping through [`super::AppState::services`].

use super::analysis::Analysis;
use super::goal::GoalJobs;
use super::io::Io;
use super::recovery::Recovery;
use super::watch::Watch;
use std::path::PathBuf;

/// The window's background services.
#[derive(Debug)]
pub struct Services {
    pub(super) io: Io,
    pub(super) analysis: Analysis,
    pub(super) goal: GoalJobs,
    pub(super) recovery: Recovery,
    pub(super) watch: Watch,
}

impl Services {
    /// Autosave into `recovery_dir` (off when `None`) and watch open files when
    /// `watch_files`; the IO thread and the analysis workers start on first use.
    pub(super) fn new(recovery_dir: Option<PathBuf>, watch_files: bool) -> Self {
        Self {
            io: Io::default(),
            analysis: Analysis::default(),
            goal: GoalJobs::default(),
            recovery: Recovery::new(recovery_dir),
            watch: Watch::new(watch_files),
        }
    }

    /// Lets every service wake the window when something lands.
    pub(super) fn set_repaint_context(&mut self, ctx: &egui::Context) {
        self.io.set_repaint_context(ctx);
        self.analysis.set_repaint_context(ctx);
        self.goal.set_repaint_context(ctx);
        self.watch.set_repaint_context(ctx);
    }

    /// The analysis workers (read-only).
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// The autosave writer (read-only); [`Recovery::flush`] waits for its writes.
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// The file watcher (read-only).
    pub fn watch(&self) -> &Watch {
        &self.watch
    }
}
