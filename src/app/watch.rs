//! Live reload: the library folders and the folders of open files are watched (with
//! `notify`), so files another program adds, changes or removes show up without a rescan.
//!
//! Events are collected on notify's thread and sent through a channel; the app polls it once
//! per frame and acts only after [`DEBOUNCE`] without further events, so an editor's
//! write-rename-chmod burst is one reload. Then:
//! - a change in a library folder rescans the library (in the background, as always);
//! - an open, clean document whose file changed is reloaded and re-validated; if the new text
//!   does not load, the open version stays and the problems are shown;
//! - an open document with unsaved edits is never overwritten: the user is asked
//!   ([`ReloadChoice`]);
//! - a file that disappeared leaves the open document as it is, with a status message.
//!
//! Folders rather than files are watched because editors and Lodestone itself save by writing
//! a new file and renaming it over the old one, which a watch on the old file would miss.

use super::document::DocId;
use super::library::same_file;
use super::{AppState, LoadProblem};
use crate::scenario::{LoadError, Loaded};
use notify::{EventKind, RecursiveMode, Watcher as _};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Quiet time after the last file event before acting on a burst of events.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Longest a change waits for quiet: a file rewritten more often than [`DEBOUNCE`] (a log, a
/// program saving every 100 ms) still reloads at this pace instead of never.
pub const DEBOUNCE_MAX_WAIT: Duration = Duration::from_secs(2);

/// An open document whose file changed on disk while it had unsaved edits.
#[derive(Clone, Debug)]
pub struct ReloadPrompt {
    /// The document whose file changed.
    pub doc: DocId,
    /// The file that changed.
    pub path: PathBuf,
    /// The file as it is on disk now.
    pub loaded: Box<Loaded>,
}

/// The user's answer to "the file changed on disk; you have unsaved edits".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReloadChoice {
    /// Take the file from disk; the unsaved edits are lost.
    Reload,
    /// Keep the edits; the disk version becomes the saved copy they are compared with.
    KeepMine,
}

/// The file watcher and the events waiting for the debounce.
pub struct Watch {
    watcher: Option<notify::RecommendedWatcher>,
    rx: Option<Receiver<notify::Result<notify::Event>>>,
    /// Woken by notify's thread so the window polls without user input.
    repaint: Arc<Mutex<Option<egui::Context>>>,
    /// The folders asked for last time, so a missing one is not retried every frame.
    requested: BTreeSet<PathBuf>,
    /// One watch per folder, by its canonical path, with how many of the paths asked for
    /// reach it (`scenarios`, its absolute path, `decks/../scenarios`): the system keeps
    /// one watch per folder whatever the path, so dropping one alias must not drop the
    /// watch the others still need.
    watched: BTreeMap<PathBuf, usize>,
    pending: BTreeSet<PathBuf>,
    last_event: Option<Instant>,
    /// When the oldest event still pending arrived.
    first_event: Option<Instant>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("enabled", &self.watcher.is_some())
            .field("watched", &self.watched)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Default for Watch {
    /// Disabled: nothing is watched.
    fn default() -> Self {
        Self {
            watcher: None,
            rx: None,
            repaint: Arc::default(),
            requested: BTreeSet::new(),
            watched: BTreeMap::new(),
            pending: BTreeSet::new(),
            last_event: None,
            first_event: None,
        }
    }
}

impl Watch {
    /// A watcher when `enabled` (and the platform provides one); otherwise a no-op.
    pub fn new(enabled: bool) -> Self {
        if !enabled {
            return Self::default();
        }
        let (tx, rx) = channel();
        let repaint: Arc<Mutex<Option<egui::Context>>> = Arc::default();
        let wake = repaint.clone();
        let watcher = notify::recommended_watcher(move |event| {
            // A closed receiver means the app is gone; nothing is left to tell.
            let _ = tx.send(event);
            if let Ok(ctx) = wake.lock()
                && let Some(ctx) = ctx.as_ref()
            {
                ctx.request_repaint_after(DEBOUNCE);
            }
        });
        Self {
            // Without inotify handles (a low system limit) the app works as before, unwatched.
            watcher: watcher.ok(),
            rx: Some(rx),
            repaint,
            ..Self::default()
        }
    }

    /// Lets file events wake the window.
    pub fn set_repaint_context(&mut self, ctx: &egui::Context) {
        if let Ok(mut slot) = self.repaint.lock()
            && slot.is_none()
        {
            *slot = Some(ctx.clone());
        }
    }

    /// True while file events wait for their debounce (the window should poll again soon).
    pub fn waiting(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The folders being watched, by their canonical paths.
    pub fn watched(&self) -> impl Iterator<Item = &Path> {
        self.watched.keys().map(PathBuf::as_path)
    }

    /// How many of the folders asked for reach `folder` (by any path); 0 when unwatched.
    pub fn watchers_of(&self, folder: &Path) -> usize {
        std::fs::canonicalize(folder)
            .ok()
            .and_then(|c| self.watched.get(&c).copied())
            .unwrap_or(0)
    }

    /// Watches exactly `folders` (adding and dropping watches as needed), one watch per
    /// folder however many paths reach it.
    fn watch_folders(&mut self, folders: BTreeSet<PathBuf>) {
        let Some(watcher) = &mut self.watcher else {
            return;
        };
        if folders == self.requested {
            return;
        }
        // Resolved only when the set changes, never per frame.
        let mut wanted: BTreeMap<PathBuf, usize> = BTreeMap::new();
        for folder in &folders {
            if let Ok(canonical) = std::fs::canonicalize(folder) {
                *wanted.entry(canonical).or_default() += 1;
            }
        }
        self.requested = folders;
        for gone in self.watched.keys().filter(|f| !wanted.contains_key(*f)) {
            let _ = watcher.unwatch(gone);
        }
        // A folder that could not be watched (missing) is retried when the set changes; the
        // library already reports it as missing.
        let watched = std::mem::take(&mut self.watched);
        self.watched = wanted
            .into_iter()
            .filter(|(folder, _)| {
                watched.contains_key(folder)
                    || watcher.watch(folder, RecursiveMode::NonRecursive).is_ok()
            })
            .collect();
    }

    /// Collects events; returns the changed paths once they have been quiet for [`DEBOUNCE`].
    fn take_settled(&mut self, now: Instant) -> Vec<PathBuf> {
        if let Some(rx) = &self.rx {
            for event in rx.try_iter() {
                let Ok(event) = event else { continue };
                if matches!(event.kind, EventKind::Access(_)) {
                    continue;
                }
                self.pending
                    .extend(event.paths.into_iter().filter(|p| !is_temporary(p)));
                self.last_event = Some(now);
                self.first_event.get_or_insert(now);
            }
        }
        let quiet = self
            .last_event
            .is_some_and(|t| now.saturating_duration_since(t) >= DEBOUNCE);
        let waited_enough = self
            .first_event
            .is_some_and(|t| now.saturating_duration_since(t) >= DEBOUNCE_MAX_WAIT);
        if (quiet || waited_enough) && !self.pending.is_empty() {
            self.last_event = None;
            self.first_event = None;
            std::mem::take(&mut self.pending).into_iter().collect()
        } else {
            Vec::new()
        }
    }
}

/// Temporary files of atomic saves (ours and editors'): never scenarios themselves.
fn is_temporary(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.') || name.ends_with(".tmp") || name.ends_with('~') || name.ends_with(".swp")
}

/// The folder a file's events arrive for (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether an event path names `file` (events carry the watched folder joined with the name).
fn names_file(event: &Path, file: &Path) -> bool {
    if event == file {
        return true;
    }
    event.file_name() == file.file_name()
        && (folder_of(event) == folder_of(file) || same_file(&folder_of(event), &folder_of(file)))
}

impl AppState {
    /// True while file events wait for their debounce (the window should poll again soon).
    pub fn files_settling(&self) -> bool {
        self.services.watch.waiting()
    }

    /// Once per frame (from [`AppState::apply_pending`]): keeps the watch list in step with
    /// the library and the open files, and acts on settled file events.
    pub(super) fn poll_watch(&mut self, now: Instant) {
        if self.services.watch.watcher.is_none() {
            return;
        }
        let library_folders = self.library_folders();
        let mut folders: BTreeSet<PathBuf> = library_folders.iter().cloned().collect();
        folders.extend(
            self.session
                .documents()
                .iter()
                .filter_map(|d| d.path.as_deref())
                .map(folder_of),
        );
        self.services.watch.watch_folders(folders);

        let changed = self.services.watch.take_settled(now);
        if changed.is_empty() {
            return;
        }
        let library_changed = changed.iter().any(|p| {
            p.extension().is_some_and(|x| x == "ron")
                && library_folders
                    .iter()
                    .any(|dir| folder_of(p) == *dir || same_file(&folder_of(p), dir))
        });
        if library_changed {
            self.rescan_library();
        }
        let affected: Vec<(DocId, PathBuf)> = self
            .session
            .work()
            .filter_map(|d| Some((d.id, d.path.clone()?)))
            .filter(|(_, path)| changed.iter().any(|e| names_file(e, path)))
            .collect();
        for (id, path) in affected {
            self.file_changed_on_disk(id, &path);
        }
    }

    /// Asks the IO worker to read the file again; [`Self::file_read_again`] takes the answer.
    fn file_changed_on_disk(&mut self, id: DocId, path: &Path) {
        self.services.io.reread(id, path.to_path_buf());
    }

    /// What an open document's file holds after it changed on disk (`None`: it is gone).
    pub(super) fn file_read_again(
        &mut self,
        id: DocId,
        path: &Path,
        now: Option<Result<Loaded, LoadError>>,
    ) {
        let Some(loaded) = now else {
            self.say(
                &format!(
                    "{} was removed or renamed by another program; the scenario stays open \
                     here (Save writes it again)",
                    path.display()
                ),
                true,
            );
            return;
        };
        let Some(doc) = self.session.get(id) else {
            return;
        };
        let dirty = doc.dirty();
        if loaded.is_ok()
            && self
                .prompts
                .problems
                .as_ref()
                .is_some_and(|p| p.path == path)
        {
            // The file loads again: its old problems no longer apply.
            self.prompts.problems = None;
        }
        match loaded {
            // Our own save, or a touch: nothing new.
            Ok(loaded) if loaded.document == doc.saved => {}
            Ok(loaded) if !dirty => self.reload(id, path, loaded),
            Ok(loaded) => {
                self.prompts.reload = Some(ReloadPrompt {
                    doc: id,
                    path: path.to_path_buf(),
                    loaded: Box::new(loaded),
                });
            }
            Err(e) => {
                self.prompts.problems = Some(LoadProblem {
                    path: path.to_path_buf(),
                    diagnostics: e.diagnostics,
                    reloading: true,
                });
                self.say(
                    &format!(
                        "{} changed on disk but does not load; the open version is kept",
                        path.display()
                    ),
                    true,
                );
            }
        }
    }

    fn reload(&mut self, id: DocId, path: &Path, loaded: Loaded) {
        let Some(doc) = self.session.get_mut(id) else {
            return;
        };
        doc.doc = loaded.document.clone();
        doc.saved = loaded.document;
        doc.warnings = loaded.warnings;
        self.say(
            &format!("Reloaded {}: it changed on disk", path.display()),
            false,
        );
    }

    /// Applies the answer to the reload question.
    pub(super) fn answer_reload(&mut self, choice: ReloadChoice) {
        let Some(prompt) = self.prompts.reload.take() else {
            return;
        };
        match choice {
            ReloadChoice::Reload => self.reload(prompt.doc, &prompt.path, *prompt.loaded),
            ReloadChoice::KeepMine => {
                if let Some(doc) = self.session.get_mut(prompt.doc) {
                    // Unsaved edits are now measured against what is on disk.
                    doc.saved = prompt.loaded.document;
                }
                self.say(
                    &format!(
                        "Kept your edits; {} on disk is different until you save",
                        prompt.path.display()
                    ),
                    false,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modified(path: &str) -> notify::Result<notify::Event> {
        Ok(
            notify::Event::new(EventKind::Modify(notify::event::ModifyKind::Any))
                .add_path(PathBuf::from(path)),
        )
    }

    #[test]
    fn a_file_rewritten_faster_than_the_debounce_still_reloads_within_the_cap() {
        let (tx, rx) = channel();
        let mut watch = Watch {
            rx: Some(rx),
            ..Watch::default()
        };
        let start = Instant::now();
        let step = DEBOUNCE / 2;
        let mut fired = None;
        for i in 0..40u32 {
            let now = start + step * i;
            tx.send(modified("/data/live.ron")).ok();
            if !watch.take_settled(now).is_empty() {
                fired = Some(now - start);
                break;
            }
        }
        let after = fired.expect("the change is acted on although events never stop");
        assert!(after >= DEBOUNCE_MAX_WAIT, "{after:?}");
        assert!(after < DEBOUNCE_MAX_WAIT + step, "{after:?}");
        // A burst that goes quiet is acted on after the debounce, as before.
        let later = start + Duration::from_secs(60);
        tx.send(modified("/data/live.ron")).ok();
        assert!(watch.take_settled(later).is_empty());
        assert_eq!(
            watch.take_settled(later + DEBOUNCE),
            [PathBuf::from("/data/live.ron")]
        );
    }
}
