//! Opening a scenario file in the window: the read happens on the IO thread
//! ([`super::io::Io::open`]); the answer replaces the active document (through the session,
//! after the lifecycle gate) with the baseline the file names.

use super::{AppState, Command, LoadProblem, io};
use crate::scenario::Diagnostic;
use std::path::{Path, PathBuf};

impl AppState {
    /// Asks the IO worker for the file; [`Self::install_opened`] takes the answer. Opening
    /// never reads a file on the UI thread, and a slow read superseded by a later open is
    /// dropped.
    pub(super) fn open_path(&mut self, path: &Path) {
        self.session.mark_for_replacement();
        self.services.io.open(path.to_path_buf());
        self.say(&format!("Opening {}…", path.display()), false);
    }

    /// Installs a scenario read by the IO worker (if it is still the latest asked for).
    pub(super) fn install_opened(&mut self, opened: io::Opened) {
        if opened.number != self.services.io.open_request() {
            return;
        }
        let io::Opened {
            path,
            result,
            baseline,
            deck,
            ..
        } = opened;
        if let Some(deck) = deck {
            // A deck sets the explorer aside rather than replacing it: nothing is lost.
            self.show_deck(*deck, false);
            return;
        }
        match result {
            Ok(_) if !self.session.may_replace_active() => {
                // Edited while the file was read: asked again, nothing lost.
                self.prompts.confirm = Some(Command::OpenPath(path));
            }
            Ok(loaded) => {
                let doc = self.new_document(Some(path.clone()), loaded.document, loaded.warnings);
                // The lifecycle gate asked first if the replaced document was unsaved.
                self.session.replace_active(doc);
                self.prompts.problems = None;
                // Absolute, so the next run finds it whatever folder it starts in.
                if let Some(absolute) = self.active().canonical.clone() {
                    self.view.remember_recent(&absolute);
                    self.view.last_file = Some(absolute);
                }
                match baseline {
                    Some((reference, resolved, loaded)) => {
                        self.install_baseline(&path, &reference, resolved, loaded)
                    }
                    // The previous file's baseline leaves with it; a pinned one stays.
                    None => self.session.close_file_baseline(),
                }
                self.list_folder_of(&path);
                let name = self.active().display_name();
                self.model_notice = None;
                if self.is_example(&path) {
                    self.say(
                        &format!("Opened {name}, a built-in example: saving asks for a new file"),
                        false,
                    );
                } else {
                    self.say(&format!("Opened {name}"), false);
                }
                self.note_model_version(&path);
            }
            Err(e) => {
                self.prompts.problems = Some(LoadProblem {
                    path: path.clone(),
                    diagnostics: e.diagnostics,
                    reloading: false,
                });
                self.say(
                    &format!("{} did not open: see the problems listed", path.display()),
                    true,
                );
            }
        }
    }

    /// Sets the baseline a document names (read with it), or notes why it did not load.
    pub(super) fn install_baseline(
        &mut self,
        doc_path: &Path,
        reference: &str,
        path: PathBuf,
        loaded: Result<crate::scenario::Loaded, crate::scenario::LoadError>,
    ) {
        match loaded {
            Ok(loaded) => {
                let doc = self.new_document(Some(path), loaded.document, loaded.warnings);
                self.session.set_baseline(doc, true);
            }
            Err(e) => {
                let first = e.first();
                self.active_mut().warnings.push(Diagnostic {
                    file: doc_path.display().to_string(),
                    line: 0,
                    col: 0,
                    field: "baseline".into(),
                    message: format!("baseline `{reference}` was not loaded: {first}"),
                });
            }
        }
    }
}
