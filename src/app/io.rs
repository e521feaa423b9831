//! Work that may block (native file dialogs, reading a folder of scenarios) runs on background
//! threads; results come back through a channel that the app polls once per frame, so the UI
//! thread never waits on a disk or a dialog. Reading or writing one small scenario file is done
//! directly by the command that asks for it.

use super::library::{LibraryFolder, ron_files, scan};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// A finished piece of background work.
#[derive(Debug)]
pub enum IoEvent {
    /// The Open dialog closed (with a file, or `None` when cancelled).
    OpenChosen(Option<PathBuf>),
    /// The Save As dialog closed.
    SaveAsChosen(Option<PathBuf>),
    /// The Open Folder dialog closed.
    FolderChosen(Option<PathBuf>),
    /// A library scan finished: its number (see [`Io::library_scan`]), the library folders,
    /// the deck files and the profile files.
    Library(u64, Vec<LibraryFolder>, Vec<PathBuf>, Vec<PathBuf>),
    /// The Open Profile dialog closed.
    ProfileOpenChosen(Option<PathBuf>),
    /// The Save Profile As dialog closed.
    ProfileSaveAsChosen(Option<PathBuf>),
    /// An export was written (its path) or failed (a message saying why).
    Wrote(Result<PathBuf, String>),
    /// A dialog closed at once without a choice: most likely no dialog service is running
    /// (e.g. no desktop portal), so the user needs another way in.
    DialogUnavailable(DialogKind),
}

/// A dialog that returns faster than a person can click was never shown.
const DIALOG_MIN_HUMAN_TIME: Duration = Duration::from_millis(250);

/// Spawns background jobs and collects their results.
pub struct Io {
    tx: Sender<IoEvent>,
    rx: Receiver<IoEvent>,
    /// Jobs started and not yet collected.
    pending: usize,
    /// Woken when a job finishes, so the window repaints and polls.
    repaint: Option<egui::Context>,
    /// While a dialog is open, a second one is not started.
    dialog_open: bool,
    /// Number of the last library scan started: an older scan that finishes later is stale.
    library_scan: u64,
}

impl std::fmt::Debug for Io {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Io")
            .field("pending", &self.pending)
            .finish()
    }
}

impl Default for Io {
    fn default() -> Self {
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            pending: 0,
            repaint: None,
            dialog_open: false,
            library_scan: 0,
        }
    }
}

/// Which native dialog to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    /// Choose a scenario file to open.
    Open,
    /// Choose a file to save the active scenario to.
    SaveAs,
    /// Choose a folder to add to the library.
    Folder,
    /// Open a company profile.
    OpenProfile,
    /// Save the company profile under a new name.
    SaveProfileAs,
}

impl Io {
    /// Lets finished jobs wake the window.
    pub fn set_repaint_context(&mut self, ctx: &egui::Context) {
        if self.repaint.is_none() {
            self.repaint = Some(ctx.clone());
        }
    }

    /// Number of jobs still running.
    pub fn pending(&self) -> usize {
        self.pending
    }

    fn spawn(&mut self, job: impl FnOnce() -> IoEvent + Send + 'static) {
        let tx = self.tx.clone();
        let repaint = self.repaint.clone();
        self.pending += 1;
        std::thread::spawn(move || {
            // A closed receiver means the window is gone; nothing is left to tell.
            let _ = tx.send(job());
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        });
    }

    /// Opens a native dialog on a background thread (ignored while another is open).
    pub fn dialog(&mut self, kind: DialogKind, start_dir: Option<PathBuf>, file_name: String) {
        if self.dialog_open {
            return;
        }
        self.dialog_open = true;
        self.spawn(move || {
            let opened = Instant::now();
            let mut dialog = rfd::FileDialog::new();
            if let Some(dir) = start_dir {
                dialog = dialog.set_directory(dir);
            }
            let event = match kind {
                DialogKind::Open => IoEvent::OpenChosen(
                    dialog
                        .add_filter("Lodestone scenario", &["ron"])
                        .set_title("Open scenario")
                        .pick_file(),
                ),
                DialogKind::SaveAs => IoEvent::SaveAsChosen(
                    dialog
                        .add_filter("Lodestone scenario", &["ron"])
                        .set_title("Save scenario as")
                        .set_file_name(file_name)
                        .save_file(),
                ),
                DialogKind::Folder => {
                    IoEvent::FolderChosen(dialog.set_title("Add a scenario folder").pick_folder())
                }
                DialogKind::OpenProfile => IoEvent::ProfileOpenChosen(
                    dialog
                        .add_filter("Lodestone company profile", &["ron"])
                        .set_title("Open company profile")
                        .pick_file(),
                ),
                DialogKind::SaveProfileAs => IoEvent::ProfileSaveAsChosen(
                    dialog
                        .add_filter("Lodestone company profile", &["ron"])
                        .set_title("Save company profile as")
                        .set_file_name(file_name)
                        .save_file(),
                ),
            };
            let cancelled = matches!(
                event,
                IoEvent::OpenChosen(None)
                    | IoEvent::SaveAsChosen(None)
                    | IoEvent::FolderChosen(None)
                    | IoEvent::ProfileOpenChosen(None)
                    | IoEvent::ProfileSaveAsChosen(None)
            );
            if cancelled && opened.elapsed() < DIALOG_MIN_HUMAN_TIME {
                IoEvent::DialogUnavailable(kind)
            } else {
                event
            }
        });
    }

    /// Renders (if needed) and writes an export on a background thread: `produce` makes the
    /// bytes, so slow chart rendering stays off the UI thread too.
    pub fn write_file(
        &mut self,
        path: PathBuf,
        produce: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
    ) {
        self.spawn(move || {
            let written = produce().and_then(|bytes| {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("Could not create {}: {e}", dir.display()))?;
                }
                std::fs::write(&path, bytes)
                    .map_err(|e| format!("Could not write {}: {e}", path.display()))
            });
            IoEvent::Wrote(written.map(|()| path))
        });
    }

    /// Scans the library folders and lists the deck and profile folders on a background
    /// thread.
    pub fn scan_library(
        &mut self,
        folders: Vec<PathBuf>,
        deck_dirs: Vec<PathBuf>,
        profile_dirs: Vec<PathBuf>,
    ) {
        self.library_scan += 1;
        let number = self.library_scan;
        self.spawn(move || {
            IoEvent::Library(
                number,
                scan(&folders),
                ron_files(&deck_dirs),
                ron_files(&profile_dirs),
            )
        });
    }

    /// Number of the last library scan started; only its result is the library now (scans
    /// run concurrently and may finish out of order).
    pub fn library_scan(&self) -> u64 {
        self.library_scan
    }

    /// Finished jobs, without waiting.
    pub fn poll(&mut self) -> Vec<IoEvent> {
        let events: Vec<IoEvent> = self.rx.try_iter().collect();
        self.account(&events);
        events
    }

    /// Waits up to `timeout` for every running job (for tests and scripted runs).
    pub fn wait(&mut self, timeout: Duration) -> Vec<IoEvent> {
        let deadline = Instant::now() + timeout;
        let mut events = Vec::new();
        while self.pending > events.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(event) => events.push(event),
                Err(_) => break,
            }
        }
        self.account(&events);
        events
    }

    fn account(&mut self, events: &[IoEvent]) {
        self.pending = self.pending.saturating_sub(events.len());
        if events.iter().any(|e| {
            matches!(
                e,
                IoEvent::OpenChosen(_)
                    | IoEvent::SaveAsChosen(_)
                    | IoEvent::FolderChosen(_)
                    | IoEvent::ProfileOpenChosen(_)
                    | IoEvent::ProfileSaveAsChosen(_)
                    | IoEvent::DialogUnavailable(_)
            )
        }) {
            self.dialog_open = false;
        }
    }
}
