//! Everything a panel can ask of the app. Panels push commands; the app applies them at one
//! point in the frame, so no panel changes documents or touches files itself.

use super::view::ViewState;
use crate::model::{LeverGroup, PolicyEvent};
use crate::scenario::Meta;
use std::path::PathBuf;

/// The help pages the window can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpPage {
    /// Every keyboard shortcut (F1).
    Shortcuts,
    /// MODEL.md, the model's documentation, as shipped with this build.
    Model,
}

/// A request from the UI (or a test) to change app state.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Shows (`Some(true)`) or hides the headline figures an opened file saved with another
    /// model version beside the figures now; `None` dismisses the notice.
    ShowModelChanges(Option<bool>),
    /// Sets a scenario-wide lever (by `model::LEVERS` id) to a value in its stored unit.
    SetLever {
        /// Lever id, e.g. "quota_level".
        id: &'static str,
        /// New value in the lever's stored unit (shares as 0-1).
        value: f64,
    },
    /// Sets a per-material lever (by `model::MATERIAL_LEVERS` id) of the material at `material`.
    SetMaterialLever {
        /// Index of the material in the scenario.
        material: usize,
        /// Per-material lever id, e.g. "capex_share".
        lever: &'static str,
        /// New value in the lever's stored unit (shares as 0-1).
        value: f64,
    },
    /// Puts one lever back to its documented default.
    ResetLever(&'static str),
    /// Puts one per-material lever back to the model's default for that material.
    ResetMaterialLever {
        /// Index of the material in the scenario.
        material: usize,
        /// Per-material lever id, e.g. "capex_share".
        lever: &'static str,
    },
    /// Puts every lever of a group back to its default (Quota includes the per-material quotas).
    ResetGroup(LeverGroup),
    /// Replaces one policy event.
    SetEvent {
        /// Position of the event in the scenario's list.
        index: usize,
        /// The event that replaces it.
        event: PolicyEvent,
    },
    /// Appends a policy event after the last one.
    AddEvent,
    /// Removes the policy event at this position.
    RemoveEvent(usize),
    /// Replaces the active document's name, description and notes.
    SetMeta(Meta),
    /// Undoes the last committed change of the active document (levers, events, metadata).
    Undo,
    /// Redoes the last undone change of the active document.
    Redo,
    /// Opens a copy of the current scenario as a new, unsaved document.
    NewFromCurrent,
    /// Replaces the active document's targets.
    SetTargets(crate::model::Targets),
    /// Goal seek and robustness (see `app::goal`).
    Goal(super::goal::GoalCommand),
    /// Puts the active document back to its saved state, as one undoable step.
    Revert,
    /// Shows a help page over the window, or closes it (`None`).
    ShowHelp(Option<HelpPage>),
    /// Asks for a scenario file to open with the system file dialog.
    ShowOpenDialog,
    /// Opens a scenario file (asks first when the active document has unsaved changes).
    OpenPath(PathBuf),
    /// Saves to the document's file, or asks for one when it has none.
    Save,
    /// Asks for a file to save to with the system file dialog.
    ShowSaveAsDialog,
    /// Saves the active document to this path (".ron" added when missing) and keeps it as its file.
    SaveAs(PathBuf),
    /// Opens the window's own Save As box (for when no file dialog is available).
    AskSavePath,
    /// The text in that box, as typed.
    SetSavePath(String),
    /// Closes that box without saving.
    CancelSavePath,
    /// Asks for a folder to add to the library with the system file dialog.
    ShowFolderDialog,
    /// Adds a folder to the library and scans it again.
    AddLibraryFolder(PathBuf),
    /// Takes a folder off the library (its files stay on disk).
    RemoveLibraryFolder(PathBuf),
    /// Reads every library folder again.
    RescanLibrary,
    /// Keeps a copy of the current scenario as the baseline drawn behind it.
    PinBaseline,
    /// Stops drawing a baseline behind the current scenario.
    UnpinBaseline,
    /// Closes the panel listing a file's problems.
    DismissProblems,
    /// Shows the problems of a library file that does not load.
    ShowProblems(PathBuf),
    /// Pinning, baseline choice, delta view (see `app::compare`).
    Compare(super::compare::CompareCommand),
    /// Presentation mode, decks, live copies, annotations (see `app::present`).
    Present(super::present::PresentCommand),
    /// Opens scenario text from the clipboard as a new document (validated like a file).
    PasteScenario(String),
    /// The company profile and its view (see `app::company`).
    Company(super::company::CompanyCommand),
    /// Writes charts, series or the compare table to a file in the background.
    Export(super::outputs::ExportRequest),
    /// The answer to "restore unsaved work from last time?".
    Recovery(super::recovery::RecoveryChoice),
    /// The answer to "the file changed on disk while it has unsaved edits".
    Reload(super::watch::ReloadChoice),
    /// The answer to "unsaved changes: save, discard or cancel?".
    Confirm(ConfirmChoice),
    /// Closes the window (asks first when anything is unsaved).
    Quit,
    /// Replaces the view state (theme, chart choices).
    SetView(ViewState),
}

/// The user's answer to the unsaved-changes question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfirmChoice {
    /// Save the changes, then carry on.
    Save,
    /// Drop the changes, then carry on.
    Discard,
    /// Do nothing: keep the document as it is.
    Cancel,
}
