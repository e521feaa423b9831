//! Saving the active document: stamped and checked on the UI thread, written on the writer
//! thread ([`super::io::Io::save`]), marked saved when the writer answers; and the names a
//! Save As proposes.

use super::{AppState, Command, edit, io, library};
use std::path::PathBuf;

impl AppState {
    /// Where Save As proposes to write: the file's own path, else the dialog folder with a
    /// name from the scenario's.
    pub(super) fn suggested_save_path(&self) -> String {
        let active = self.active();
        match &active.path {
            Some(path) if !self.is_example(path) => path.display().to_string(),
            _ => {
                let dir = self.dialog_dir().unwrap_or_default();
                dir.join(suggested_file_name(&active.display_name()))
                    .display()
                    .to_string()
            }
        }
    }

    pub(super) fn save_to(&mut self, path: PathBuf) {
        self.save_then(path, None);
    }

    /// Saves the active document on the writer thread; `then` is applied once the file is
    /// written (a Save answered in the unsaved-changes question, before what it guarded).
    pub(super) fn save_then(&mut self, path: PathBuf, then: Option<Command>) {
        self.save_target_then(io::SaveTarget::File(path), then);
    }

    /// Saves the active document to `target` on the writer thread (see [`Self::save_then`]).
    pub(super) fn save_target_then(&mut self, target: io::SaveTarget, then: Option<Command>) {
        let shown = target.describe();
        if let io::SaveTarget::File(path) = &target
            && self.is_example(path)
        {
            self.after_save = None;
            self.say(
                &format!(
                    "Not saved: {} is a built-in example; save it under another name (Save As)",
                    path.display()
                ),
                true,
            );
            return;
        }
        let today = self.today();
        let active = self.active_mut();
        // The user's edits are their own undo step; the stamps amend it once written.
        active.commit_undo_point();
        let mut stamped = active.doc.clone();
        if stamped.meta.created.trim().is_empty() {
            stamped.meta.created.clone_from(&today);
        }
        stamped.meta.modified = today;
        let id = active.id;
        // Which model made the figures, and the figures as shown now (see `scenario::stamp`).
        let figures = crate::display::headline::summary_figures(&self.summaries().0)
            .into_iter()
            .map(|f| (f.label, f.text));
        stamped.stamp = Some(crate::scenario::stamp::Stamp::current(figures));
        let active = self.active_mut();
        if let Some(problem) = edit::first_error(&stamped) {
            // Never write a file that would not open again.
            self.after_save = None;
            self.say(
                &format!(
                    "Not saved: {shown} would not load again: {}: {}",
                    problem.path, problem.message
                ),
                true,
            );
            return;
        }
        // Saving over its own file: only over the version it was read as.
        let over_itself = matches!(&target, io::SaveTarget::File(path)
            if active.path.as_deref() == Some(path.as_path()));
        let on_disk = (over_itself && !active.never_saved).then(|| active.saved.clone());
        self.services.io.save(id, target, stamped, on_disk);
        self.after_save = then.map(|command| (id, command));
        self.say(&format!("Saving {shown}…"), false);
    }

    /// Takes the writer's answer: the document is clean if nothing changed meanwhile.
    pub(super) fn install_saved(&mut self, saved: io::Saved) {
        let io::Saved {
            doc,
            path,
            snapshot,
            result,
        } = saved;
        let then = self.after_save.take_if(|(id, _)| *id == doc);
        if let Err(error) = result {
            // The message names the path and says the old file is unchanged.
            self.say(&capitalize(&error.to_string()), true);
            return;
        }
        let absolute = library::canonical(&path);
        if let Some(open) = self.session.get_mut(doc) {
            open.mark_saved(path.clone(), &snapshot);
        }
        self.view.remember_recent(&absolute);
        self.view.last_file = Some(absolute);
        self.say(&format!("Saved {}", path.display()), false);
        self.rescan_library();
        if let Some((_, command)) = then
            && !self.active().dirty()
        {
            // Through the gate again: other documents may still be unsaved.
            self.apply(command);
        }
    }
}

/// `text` with its first letter in upper case, for status messages built from error texts.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The path with `.ron` added when it has no extension (what Save As writes to).
pub fn with_ron_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension("ron")
    }
}

/// A file name from a scenario's name: lowercase ASCII words joined by single hyphens
/// ("Board hedge: 40 % quota" is `board-hedge-40-quota.ron`).
pub(super) fn suggested_file_name(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let slug = words.join("-");
    format!("{}.ron", if slug.is_empty() { "scenario" } else { &slug })
}
