//! Work that may block (native file dialogs, reading a folder of scenarios) runs on background
//! threads; results come back through a channel that the app polls once per frame, so the UI
//! thread never waits on a disk or a dialog. Reading or writing one small scenario file is done
//! directly by the command that asks for it.

use super::document::DocId;
use super::library::{LibraryFolder, ron_files, scan};
use crate::output::RenderError;
use crate::scenario::deck::Deck;
use crate::scenario::{Document, LoadError, Loaded, load_file, resolve_relative, save_file};
use std::path::{Path, PathBuf};
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
    /// A scenario file was read (see [`Io::open`]).
    Opened(Box<Opened>),
    /// A file to pin was read (see [`Io::read_pin`]): the request's number, the file and
    /// what it holds.
    PinRead(u64, PathBuf, Box<Result<Loaded, LoadError>>),
    /// A deck read for presenting (request number, path, the deck or every problem it has).
    DeckRead(u64, PathBuf, Box<Result<Deck, LoadError>>),
    /// A slide's file and baseline, read as the deck stepped onto it.
    SlideRead(Box<SlideRead>),
    /// A save finished (see [`Io::save`]).
    Saved(Box<Saved>),
    /// An open document's file changed on disk and was read again: the document, the file,
    /// and what it holds now (`None` when it is gone).
    Changed(DocId, PathBuf, Option<Box<Result<Loaded, LoadError>>>),
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

/// A scenario read on a worker, with the baseline it names (read there too).
#[derive(Debug)]
pub struct Opened {
    /// Number of the request; only the latest is installed.
    pub number: u64,
    /// The file asked for.
    pub path: PathBuf,
    /// The file, or every problem it has.
    pub result: Result<Loaded, LoadError>,
    /// The baseline the file names, resolved next to it, and how reading it went.
    pub baseline: Option<(String, PathBuf, Result<Loaded, LoadError>)>,
    /// The file is not a scenario but a deck (opened from a file manager, dropped on the
    /// window, named on the command line): the deck, to present.
    pub deck: Option<Box<Deck>>,
}

/// Reads a scenario file and the baseline it names (on whichever thread calls it).
pub fn read_scenario(number: u64, path: PathBuf) -> Opened {
    let result = load_file(&path);
    let baseline = result.as_ref().ok().and_then(|l| {
        let reference = l.document.baseline.clone()?;
        let resolved = resolve_relative(&reference, Some(&path));
        let loaded = load_file(&resolved);
        Some((reference, resolved, loaded))
    });
    // Not a scenario: maybe a deck, which opens as one instead of listing why it is no
    // scenario.
    let deck = result
        .is_err()
        .then(|| crate::scenario::deck::load_deck(&path).ok())
        .flatten()
        .map(Box::new);
    Opened {
        number,
        path,
        result,
        baseline,
        deck,
    }
}

/// A slide's file and the baseline it shows, read on a worker as the deck steps onto it.
#[derive(Debug)]
pub struct SlideRead {
    /// The document showing the slide: once a later step has closed it, the read is dropped.
    pub doc: DocId,
    /// The slide's file.
    pub path: PathBuf,
    /// Whether the slide holds live edits (then only what they are measured against changes).
    pub edited: bool,
    /// The file as it is now, or every problem it has.
    pub result: Result<Loaded, LoadError>,
    /// The baseline the slide shows, resolved next to its file, and how reading it went.
    pub baseline: Option<(String, PathBuf, Result<Loaded, LoadError>)>,
}

/// A finished save: which document, what was written, and how it went.
#[derive(Debug)]
pub struct Saved {
    /// The document saved.
    pub doc: DocId,
    /// Where to.
    pub path: PathBuf,
    /// The state written: the document's saved copy once the write succeeded.
    pub snapshot: Document,
    /// `Err` says why the file (left as it was) could not be written.
    pub result: Result<(), SaveError>,
}

/// Why a save left the file on disk as it was.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Every live-copy name up to the limit is taken.
    #[error("no free file name for the live copy: {}-live-1.ron to -{MAX_LIVE_COPIES}.ron all exist", .0.display())]
    NoFreeName(PathBuf),
    /// Another program changed the file since it was read: never overwritten unseen.
    #[error(
        "{} was changed on disk since it was read, so it was not overwritten; reload it to see \
         that change, or save under another name",
        .0.display()
    )]
    ChangedOnDisk(PathBuf),
    /// The write itself failed (atomic: the old file is kept).
    #[error("{0}")]
    Write(#[from] std::io::Error),
}

/// A save for the writer thread: the document, where to, what to write, and what the file
/// is expected to hold now (see [`Io::save`]).
type SaveJob = (DocId, SaveTarget, Document, Option<Document>);

/// Where a save goes.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveTarget {
    /// This file.
    File(PathBuf),
    /// The first of `<stem>-live-1.ron`, `-2.ron`, ... in `dir` that does not exist yet: a
    /// presenter's live copy, its name looked for on the writer thread, not the UI's.
    FreeLiveName {
        /// The folder.
        dir: PathBuf,
        /// The name before `-live-N.ron`.
        stem: String,
    },
}

/// Most live copies of one file looked for before giving up.
const MAX_LIVE_COPIES: u32 = 999;

impl SaveTarget {
    /// The file to write: the file itself, or the first free live-copy name.
    fn resolve(&self) -> Result<PathBuf, (PathBuf, SaveError)> {
        match self {
            SaveTarget::File(path) => Ok(path.clone()),
            SaveTarget::FreeLiveName { dir, stem } => (1..=MAX_LIVE_COPIES)
                .map(|n| dir.join(format!("{stem}-live-{n}.ron")))
                .find(|p| !p.exists())
                .ok_or_else(|| (dir.clone(), SaveError::NoFreeName(dir.join(stem)))),
        }
    }

    /// How the status line names it while it is written.
    pub fn describe(&self) -> String {
        match self {
            SaveTarget::File(path) => path.display().to_string(),
            SaveTarget::FreeLiveName { dir, stem } => {
                dir.join(format!("{stem}-live-N.ron")).display().to_string()
            }
        }
    }
}

/// Resolves the target and writes the snapshot there (unless changed on disk).
fn write_target(
    target: &SaveTarget,
    snapshot: &Document,
    on_disk: Option<&Document>,
) -> (PathBuf, Result<(), SaveError>) {
    match target.resolve() {
        Ok(path) => {
            let result = write_unless_changed(&path, snapshot, on_disk);
            (path, result)
        }
        Err((path, error)) => (path, Err(error)),
    }
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
    /// Number of the last scenario open asked for: only its result is installed.
    open_request: u64,
    /// Number of the last pin read asked for (the compare view keeps the ones it awaits).
    pin_request: u64,
    /// Number of the last deck read asked for.
    deck_request: u64,
    /// The one thread that writes scenario files, so saves land on disk in the order asked.
    writer: Option<Sender<SaveJob>>,
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
            open_request: 0,
            pin_request: 0,
            deck_request: 0,
            writer: None,
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
    /// bytes, so slow chart rendering stays off the UI thread too. A path that is one of
    /// `inputs` (the open scenario, its baseline, its data files) is refused unwritten.
    pub fn write_file(
        &mut self,
        path: PathBuf,
        inputs: Vec<PathBuf>,
        produce: impl FnOnce() -> Result<Vec<u8>, RenderError> + Send + 'static,
    ) {
        self.spawn(move || {
            if let Some(input) = crate::scenario::atomic::overwrites(&path, &inputs) {
                return IoEvent::Wrote(Err(format!(
                    "Not written: {} is {}, which the export is made from; choose another file",
                    path.display(),
                    input.display()
                )));
            }
            let written = produce().map_err(|e| e.to_string()).and_then(|bytes| {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("Could not create {}: {e}", dir.display()))?;
                }
                crate::scenario::atomic::write_atomic(&path, &bytes).map_err(|e| e.to_string())
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

    /// Reads a scenario (and its baseline) on a worker; returns the request's number. A
    /// later request supersedes this one.
    pub fn open(&mut self, path: PathBuf) -> u64 {
        self.open_request += 1;
        let number = self.open_request;
        self.spawn(move || IoEvent::Opened(Box::new(read_scenario(number, path))));
        number
    }

    /// Reads a file to pin, off the UI thread; returns the request's number (answered with
    /// `PinRead`).
    pub fn read_pin(&mut self, path: PathBuf) -> u64 {
        self.pin_request += 1;
        let number = self.pin_request;
        self.spawn(move || {
            let loaded = load_file(&path);
            IoEvent::PinRead(number, path, Box::new(loaded))
        });
        number
    }

    /// Reads a deck and every scenario it names on a worker; returns the request's number
    /// (answered with `DeckRead`).
    pub fn read_deck(&mut self, path: PathBuf) -> u64 {
        self.deck_request += 1;
        let number = self.deck_request;
        self.spawn(move || {
            let loaded = crate::scenario::deck::load_deck(&path);
            IoEvent::DeckRead(number, path, Box::new(loaded))
        });
        number
    }

    /// Reads a slide's file and the baseline it shows (`baseline`, relative to the file) on
    /// a worker (answered with `SlideRead`).
    pub fn read_slide(
        &mut self,
        doc: DocId,
        path: PathBuf,
        baseline: Option<String>,
        edited: bool,
    ) {
        self.spawn(move || {
            let result = load_file(&path);
            let baseline = baseline.map(|reference| {
                let resolved = resolve_relative(&reference, Some(&path));
                let loaded = load_file(&resolved);
                (reference, resolved, loaded)
            });
            IoEvent::SlideRead(Box::new(SlideRead {
                doc,
                path,
                edited,
                result,
                baseline,
            }))
        });
    }

    /// Builds a deck's board pack and writes it as PDF to `out` (answered with `Wrote`).
    pub fn write_pack(&mut self, deck: PathBuf, out: PathBuf) {
        self.spawn(move || {
            let result = crate::scenario::deck::load_deck(&deck)
                .map_err(|e| e.to_string())
                .and_then(|deck| {
                    let date = crate::display::format::date(std::time::SystemTime::now());
                    crate::output::pack::to_pdf(&crate::output::pack::build(&deck, &date).0)
                        .map_err(|e| e.to_string())
                })
                .and_then(|bytes| {
                    crate::scenario::atomic::write_atomic(&out, &bytes).map_err(|e| e.to_string())
                })
                .map(|()| out);
            IoEvent::Wrote(result)
        });
    }

    /// Reads an open document's file again after it changed on disk.
    pub fn reread(&mut self, doc: DocId, path: PathBuf) {
        self.spawn(move || {
            let now = path.exists().then(|| Box::new(load_file(&path)));
            IoEvent::Changed(doc, path, now)
        });
    }

    /// Number of the last open asked for.
    pub fn open_request(&self) -> u64 {
        self.open_request
    }

    /// Writes `snapshot` to `path` on the writer thread (atomically: a failed write leaves the
    /// old file whole). Saves are written in the order asked.
    ///
    /// `on_disk` is what the file held when it was last read or written: when the file holds
    /// something else now (another program changed it), it is left as it is and the save
    /// fails, rather than silently overwriting that change.
    pub fn save(
        &mut self,
        doc: DocId,
        target: SaveTarget,
        snapshot: Document,
        on_disk: Option<Document>,
    ) {
        if self.writer.is_none() {
            let (jobs, rx) = channel::<SaveJob>();
            let tx = self.tx.clone();
            let repaint = self.repaint.clone();
            let spawned = std::thread::Builder::new()
                .name("lodestone-save".into())
                .spawn(move || {
                    for (doc, target, snapshot, on_disk) in rx {
                        let (path, result) = write_target(&target, &snapshot, on_disk.as_ref());
                        let saved = Saved {
                            doc,
                            path,
                            snapshot,
                            result,
                        };
                        if tx.send(IoEvent::Saved(Box::new(saved))).is_err() {
                            return;
                        }
                        if let Some(ctx) = &repaint {
                            ctx.request_repaint();
                        }
                    }
                });
            if spawned.is_ok() {
                self.writer = Some(jobs);
            }
        }
        self.pending += 1;
        let job = (doc, target, snapshot, on_disk);
        let sent = match &self.writer {
            Some(writer) => writer.send(job).map_err(|e| e.0),
            None => Err(job),
        };
        if let Err((doc, target, snapshot, on_disk)) = sent {
            // No writer thread: write here rather than lose the save.
            let (path, result) = write_target(&target, &snapshot, on_disk.as_ref());
            let _ = self.tx.send(IoEvent::Saved(Box::new(Saved {
                doc,
                path,
                snapshot,
                result,
            })));
        }
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

    /// True while jobs are running or waiting to be collected.
    pub fn busy(&self) -> bool {
        self.pending > 0
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

/// Where the window writes a deck's board pack: beside the deck, `<deck>-pack.pdf`.
pub fn pack_path(deck: &Path) -> PathBuf {
    let stem = deck
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "deck".into());
    deck.with_file_name(format!("{stem}-pack.pdf"))
}

/// Writes `snapshot` to `path`, unless the file there no longer holds `on_disk` (what it held
/// when last read or written): a change another program made since is never overwritten
/// without the user seeing it. A file that is gone is written again.
fn write_unless_changed(
    path: &Path,
    snapshot: &Document,
    on_disk: Option<&Document>,
) -> Result<(), SaveError> {
    if let Some(expected) = on_disk
        && path.exists()
    {
        let unchanged = load_file(path).is_ok_and(|now| now.document == *expected);
        if !unchanged {
            return Err(SaveError::ChangedOnDisk(path.to_path_buf()));
        }
    }
    Ok(save_file(path, snapshot)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A live copy takes the first name not yet on disk, looked for on the writer thread.
    #[test]
    fn a_live_copy_takes_the_first_free_name() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let target = SaveTarget::FreeLiveName {
            dir: dir.path().to_path_buf(),
            stem: "fortress".into(),
        };
        assert_eq!(
            target.resolve().ok(),
            Some(dir.path().join("fortress-live-1.ron"))
        );
        std::fs::write(dir.path().join("fortress-live-1.ron"), "")?;
        std::fs::write(dir.path().join("fortress-live-3.ron"), "")?;
        assert_eq!(
            target.resolve().ok(),
            Some(dir.path().join("fortress-live-2.ron"))
        );
        let (path, result) = write_target(&target, &crate::scenario::default_document(), None);
        assert_eq!(path, dir.path().join("fortress-live-2.ron"));
        assert!(result.is_ok() && path.exists());
        assert!(target.describe().ends_with("fortress-live-N.ron"));
        Ok(())
    }
}
