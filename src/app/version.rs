//! The model version of an opened file: a file saved by another model version (its `stamp`,
//! see `crate::scenario::stamp`) is announced in the status bar, with an offer to show its
//! headline figures as saved beside the same figures now. Drawing is `crate::ui::status`.

use super::AppState;
use crate::scenario::stamp::{Stamp, model_version};
use std::path::PathBuf;

/// A file opened that was saved by another model version.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelNotice {
    /// The file.
    pub path: PathBuf,
    /// What its last save recorded.
    pub stamp: Stamp,
    /// Whether the before/after window is open.
    pub shown: bool,
}

/// One row of the before/after table.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureChange {
    /// The figure's label.
    pub label: String,
    /// As saved in the file.
    pub saved: String,
    /// As this model gives it now (empty when this model has no such figure).
    pub now: String,
}

impl ModelNotice {
    /// The status-bar line.
    pub fn message(&self) -> String {
        let file = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!(
            "{file} was saved by model {}; this is model {}: its figures may differ",
            crate::display::names::plain_text(&self.stamp.model, 40),
            model_version()
        )
    }
}

impl AppState {
    /// Notes (or forgets) the model version of the file just opened as the active document.
    pub(super) fn note_model_version(&mut self, path: &std::path::Path) {
        self.model_notice = self
            .active()
            .doc
            .stamp
            .as_ref()
            .filter(|s| s.is_other_model())
            .map(|stamp| ModelNotice {
                path: path.to_path_buf(),
                stamp: stamp.clone(),
                shown: false,
            });
        if let Some(notice) = &self.model_notice {
            let text = notice.message();
            self.say(&text, false);
        }
    }

    /// The headline figures as the file saved them beside the same figures now.
    pub fn figure_changes(&self) -> Vec<FigureChange> {
        let Some(notice) = &self.model_notice else {
            return Vec::new();
        };
        let now = crate::display::headline::summary_figures(&self.summaries().0);
        notice
            .stamp
            .figures
            .iter()
            .map(|f| FigureChange {
                label: f.label.clone(),
                saved: f.value.clone(),
                now: now
                    .iter()
                    .find(|n| n.label == f.label)
                    .map(|n| n.text.clone())
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Shows or hides the before/after window (`None` dismisses the notice).
    pub(super) fn show_model_changes(&mut self, show: Option<bool>) {
        match show {
            Some(shown) => {
                if let Some(n) = &mut self.model_notice {
                    n.shown = shown;
                }
            }
            None => self.model_notice = None,
        }
    }
}
