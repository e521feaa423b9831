//! The questions and dialogs over the window ([`Prompts`]), the problems of a file that did
//! not open, and the status bar's message: what the panels show and answer with commands.

use super::{Command, HelpPage, recovery, watch};
use crate::scenario::Diagnostic;
use std::path::PathBuf;
use std::time::Instant;

/// Every problem that stopped a file from opening, kept until the user closes the panel.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadProblem {
    /// The file that did not load.
    pub path: PathBuf,
    /// Every problem found in it, with where it is.
    pub diagnostics: Vec<Diagnostic>,
    /// True when the file is open and changed on disk into something that does not load
    /// (the open version is kept), false when opening it failed.
    pub reloading: bool,
}

impl LoadProblem {
    /// All problems as `file:line:col: field: message` lines, for the clipboard.
    pub fn text(&self) -> String {
        self.diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A one-line message for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusMessage {
    /// The message, one line.
    pub text: String,
    /// True for a failure (shown in the error colour), false for a confirmation.
    pub is_error: bool,
    /// When it was said: presentation mode shows a message only briefly.
    pub at: Instant,
}

/// The questions and dialogs over the window: each is open while its field holds something.
#[derive(Debug, Default)]
pub struct Prompts {
    /// An action waiting for the answer to "unsaved changes?".
    pub confirm: Option<Command>,
    /// The problems of the last file that failed to open.
    pub problems: Option<LoadProblem>,
    /// The path typed into the window's own Save As box (shown when no file dialog is
    /// available), or `None` when the box is closed.
    pub save_as_prompt: Option<String>,
    /// The help page shown over the window, if any.
    pub help: Option<HelpPage>,
    /// Unsaved work an earlier run left, offered for restoring at start (found by the
    /// autosave service's first scan); empty once answered.
    pub restore: Vec<recovery::Recovered>,
    /// A file changed on disk under unsaved edits: reload it or keep the edits.
    pub reload: Option<watch::ReloadPrompt>,
}
