//! Nothing lost after a crash: autosave of unsaved work to recovery files, the offer to
//! restore them at the next start, and crash reports written by a panic hook.
//!
//! - After [`IDLE_BEFORE_AUTOSAVE`] without input, every open document with unsaved work (not
//!   the pinned baseline) that changed since its last autosave is written to
//!   `<recovery dir>/<session>-<doc>.ron`. The writing (serialising and the atomic file write)
//!   happens on a background thread; the UI thread only clones the document.
//! - A recovery file is removed as soon as its document is saved, reverted or closed, and all
//!   of this session's files are removed when the window closes normally. What is left at the
//!   next start is therefore work a crash would have lost; the app offers to restore it
//!   (Restore / Discard / Later). Restored documents open as unsaved, with their original path.
//! - A recovery file is an ordinary scenario file preceded by one comment line naming the
//!   original file, so it can also be opened by hand.
//! - [`install_panic_hook`] writes `crash-*.txt` (message, location, backtrace, version) into
//!   the same folder and says where on stderr.
//!
//! - A running window holds an exclusive lock on `<recovery dir>/<session>.lock` for as long
//!   as it runs (the operating system drops it when the process ends, however it ends), so a
//!   second window never offers, or discards, the first one's live autosaves.
//!
//! The folder is [`default_dir`]: `$LODESTONE_RECOVERY_DIR`, else `recovery` in eframe's
//! storage folder (the platform's data folder: XDG on Linux, Application Support on macOS,
//! AppData on Windows). Headless app states get no folder unless they ask for one
//! (`AppOptions::recovery_dir`), so tests never write into a real user's data.

use super::document::DocId;
use super::{AppState, OpenDocument};
use crate::scenario::{Document, LoadError, atomic, default_document, load_file, load_str};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Environment variable overriding the recovery folder.
pub const RECOVERY_ENV: &str = "LODESTONE_RECOVERY_DIR";

/// Input-free time before unsaved work is written to a recovery file.
pub const IDLE_BEFORE_AUTOSAVE: Duration = Duration::from_secs(3);

/// First line of a recovery file; the original path follows as a JSON string (or `null`).
const HEADER: &str = "// Lodestone recovery file; original: ";
/// First line of a recovery file holding a pin of the compare view, then `{"original": path
/// or null, "name": name}` as JSON.
const PIN_HEADER: &str = "// Lodestone recovery pin: ";

/// Crash reports younger than this are mentioned in the status bar at start.
const RECENT_CRASH: Duration = Duration::from_secs(24 * 3600);

/// The recovery folder for this user (not created until something is written).
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(RECOVERY_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    // The platform's data folder, where the window's settings live too (XDG on Linux,
    // Application Support on macOS, AppData on Windows).
    eframe::storage_dir("lodestone").map(|d| d.join("recovery"))
}

/// A recovery file found at start.
#[derive(Clone, Debug)]
pub struct Recovered {
    /// The recovery file itself.
    pub file: PathBuf,
    /// The scenario file the work belongs to (`None` for a never-saved scenario).
    pub original: Option<PathBuf>,
    /// The recovered document, or why it does not load.
    pub document: Result<Document, LoadError>,
    /// When it was written.
    pub written: Option<SystemTime>,
    /// A pin of the compare view (its name in the legends), not an open document.
    pub pin: Option<String>,
    /// The original as it is on disk, read with the recovery file (so answering the offer
    /// reads nothing on the UI thread): what a restored document is unsaved against.
    pub on_disk: Option<Document>,
    /// The original was changed after the recovery file was written.
    pub newer_on_disk: bool,
}

impl Recovered {
    /// Name for the list in the restore dialog.
    pub fn label(&self) -> String {
        if let Some(name) = &self.pin {
            return format!("pinned to the charts: {name}");
        }
        let name = match &self.document {
            Ok(doc) if !doc.meta.name.trim().is_empty() => doc.meta.name.clone(),
            _ => "Untitled scenario".to_string(),
        };
        match &self.original {
            Some(path) => format!("{name} ({})", path.display()),
            None => format!("{name} (never saved)"),
        }
    }
}

/// The user's answer to "restore unsaved work from last time?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryChoice {
    /// Open every readable recovered document as unsaved work.
    Restore,
    /// Delete the recovery files.
    Discard,
    /// Keep the files and ask again at the next start.
    Later,
}

enum Job {
    Write {
        file: PathBuf,
        original: Option<PathBuf>,
        doc: Box<Document>,
    },
    /// A pin of the compare view, written beside the documents so a restore brings it back.
    WritePin {
        file: PathBuf,
        original: Option<PathBuf>,
        name: String,
        doc: Box<Document>,
    },
    Remove(PathBuf),
    /// Answered once every earlier job is done.
    Flush(Sender<()>),
}

/// Autosave bookkeeping and the background writer.
pub struct Recovery {
    dir: Option<PathBuf>,
    /// Unique per run, so two windows never write the same file.
    session: String,
    /// The recovery file of each document that has one, and what it holds.
    files: HashMap<DocId, (PathBuf, Document)>,
    /// The recovery file of each pin written (pins never change, so the id says it all).
    pin_files: HashMap<u64, PathBuf>,
    last_input: Instant,
    jobs: Option<Sender<Job>>,
    errors: Option<Receiver<String>>,
    /// What an untitled document is compared with: never-saved work that differs from the
    /// default scenario is worth keeping even though it is not "dirty".
    untitled_reference: Option<Document>,
    /// Files found at start, until the state takes them for the restore offer.
    found: Vec<Recovered>,
    /// The newest crash report, when it is recent.
    pub recent_crash: Option<PathBuf>,
    /// This session's lock file, locked while the window runs.
    liveness: Option<(PathBuf, std::fs::File)>,
}

impl std::fmt::Debug for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recovery")
            .field("dir", &self.dir)
            .field("files", &self.files.len())
            .field("found", &self.found.len())
            .finish()
    }
}

impl Default for Recovery {
    /// Disabled: no folder, nothing written.
    fn default() -> Self {
        Self {
            dir: None,
            session: String::new(),
            files: HashMap::new(),
            pin_files: HashMap::new(),
            last_input: Instant::now(),
            jobs: None,
            errors: None,
            untitled_reference: None,
            found: Vec::new(),
            recent_crash: None,
            liveness: None,
        }
    }
}

impl Recovery {
    /// Autosave into `dir` (disabled when `None`) and read what an earlier run left there.
    pub fn new(dir: Option<PathBuf>) -> Self {
        let Some(dir) = dir else {
            return Self::default();
        };
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let (jobs, job_rx) = channel();
        let (error_tx, errors) = channel();
        let worker_dir = dir.clone();
        let spawned = std::thread::Builder::new()
            .name("lodestone-autosave".into())
            .spawn(move || worker(&worker_dir, &job_rx, &error_tx));
        let session = format!("{}-{started}", std::process::id());
        let found = recovered_in(&dir);
        let liveness = hold_lock(&dir.join(format!("{session}.lock")));
        Self {
            found,
            recent_crash: recent_crash_report(&dir),
            liveness,
            session,
            // Without a writer thread autosave is off, and saying so once is enough.
            jobs: spawned.is_ok().then_some(jobs),
            errors: Some(errors),
            untitled_reference: Some(default_document()),
            dir: Some(dir),
            files: HashMap::new(),
            pin_files: HashMap::new(),
            last_input: Instant::now(),
        }
    }

    /// What the first scan found, for the restore offer; empty after the first call.
    pub fn take_found(&mut self) -> Vec<Recovered> {
        std::mem::take(&mut self.found)
    }

    /// The folder recovery files and crash reports go to, when autosave is on.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The recovery files this session has written, by document.
    pub fn session_files(&self) -> Vec<PathBuf> {
        self.files.values().map(|(f, _)| f.clone()).collect()
    }

    /// The recovery files this session has written for pins.
    pub fn session_pin_files(&self) -> Vec<PathBuf> {
        self.pin_files.values().cloned().collect()
    }

    /// Waits (up to `timeout`) until the writer has finished every job sent so far.
    pub fn flush(&self, timeout: Duration) {
        let Some(jobs) = &self.jobs else { return };
        let (tx, rx) = channel();
        if jobs.send(Job::Flush(tx)).is_ok() {
            let _ = rx.recv_timeout(timeout);
        }
    }

    fn needs_recovery(&self, doc: &OpenDocument) -> bool {
        doc.dirty()
            || (doc.path.is_none()
                && self
                    .untitled_reference
                    .as_ref()
                    .is_some_and(|reference| doc.doc != *reference))
    }

    fn send(&mut self, job: Job) {
        let failed = match &self.jobs {
            Some(jobs) => jobs.send(job).is_err(),
            None => false,
        };
        if failed {
            self.jobs = None;
        }
    }

    /// Removes this session's recovery files now (the window is closing normally).
    fn clean_exit(&mut self) {
        self.flush(Duration::from_secs(2));
        for (_, (file, _)) in self.files.drain() {
            let _ = std::fs::remove_file(file);
        }
        for (_, file) in self.pin_files.drain() {
            let _ = std::fs::remove_file(file);
        }
        if let Some((path, file)) = self.liveness.take() {
            drop(file);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Creates and locks this session's lock file; `None` when the folder or the lock is not
/// available (then other windows simply offer this one's files, as before locks).
fn hold_lock(path: &Path) -> Option<(PathBuf, std::fs::File)> {
    std::fs::create_dir_all(path.parent()?).ok()?;
    let file = std::fs::File::create(path).ok()?;
    file.try_lock().ok()?;
    Some((path.to_path_buf(), file))
}

/// The background writer: one job at a time, in order.
fn worker(dir: &Path, jobs: &Receiver<Job>, errors: &Sender<String>) {
    for job in jobs {
        match job {
            Job::Write {
                file,
                original,
                doc,
            } => {
                let result = std::fs::create_dir_all(dir).and_then(|()| {
                    atomic::write_atomic(&file, recovery_text(original.as_deref(), &doc).as_bytes())
                });
                if let Err(e) = result {
                    let _ = errors.send(format!("Autosave failed: {e}"));
                }
            }
            Job::WritePin {
                file,
                original,
                name,
                doc,
            } => {
                let result = std::fs::create_dir_all(dir).and_then(|()| {
                    atomic::write_atomic(
                        &file,
                        pin_recovery_text(original.as_deref(), &name, &doc).as_bytes(),
                    )
                });
                if let Err(e) = result {
                    let _ = errors.send(format!("Autosave failed: {e}"));
                }
            }
            Job::Remove(file) => {
                if let Err(e) = std::fs::remove_file(&file)
                    && e.kind() != std::io::ErrorKind::NotFound
                {
                    let _ = errors.send(format!(
                        "Could not remove the recovery file {}: {e}",
                        file.display()
                    ));
                }
            }
            Job::Flush(done) => {
                let _ = done.send(());
            }
        }
    }
}

/// The text of a recovery file: the header line, then the document as a scenario file.
pub fn recovery_text(original: Option<&Path>, doc: &Document) -> String {
    let original = original
        .map(|p| serde_json::Value::String(p.to_string_lossy().into_owned()))
        .unwrap_or(serde_json::Value::Null);
    format!(
        "{HEADER}{original}\n{}",
        crate::scenario::to_ron_string(doc)
    )
}

/// The text of a pin's recovery file: its header line, then the pinned copy as a scenario file.
pub fn pin_recovery_text(original: Option<&Path>, name: &str, doc: &Document) -> String {
    let header = serde_json::json!({
        "original": original.map(|p| p.to_string_lossy().into_owned()),
        "name": name,
    });
    format!(
        "{PIN_HEADER}{header}\n{}",
        crate::scenario::to_ron_string(doc)
    )
}

/// The pin's original file and name when `text` is a pin's recovery file.
fn parse_pin_header(text: &str) -> Option<(Option<PathBuf>, String)> {
    let json = text.lines().next()?.strip_prefix(PIN_HEADER)?;
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let original = value
        .get("original")
        .and_then(|o| o.as_str())
        .map(PathBuf::from);
    let name = value
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or("Pinned scenario")
        .to_string();
    Some((original, name))
}

/// Reads a recovery file's text back (the header is a RON comment, so the loader skips it).
pub fn parse_recovery(text: &str, origin: &str) -> (Option<PathBuf>, Result<Document, LoadError>) {
    let original = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix(HEADER))
        .and_then(|json| serde_json::from_str::<Option<String>>(json).ok())
        .flatten()
        .map(PathBuf::from);
    (original, load_str(text, origin).map(|l| l.document))
}

/// The recovery files in `dir`, oldest first.
pub fn recovered_in(dir: &Path) -> Vec<Recovered> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Recovered> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
        .filter(|p| !written_by_a_running_window(p))
        .map(|file| {
            let written = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
            let origin = file.display().to_string();
            // The bounded reader every input goes through: an oversized file is refused
            // after its first MiB, not read whole at every start.
            let (original, document, pin) = match crate::scenario::read_text(&file, "recovery") {
                Ok((text, _)) => match parse_pin_header(&text) {
                    Some((original, name)) => (
                        original,
                        load_str(&text, &origin).map(|l| l.document),
                        Some(name),
                    ),
                    None => {
                        let (original, document) = parse_recovery(&text, &origin);
                        (original, document, None)
                    }
                },
                Err(e) => (None, Err(e), None),
            };
            let on_disk = original
                .as_deref()
                .filter(|_| pin.is_none())
                .and_then(|p| load_file(p).ok())
                .map(|l| l.document);
            Recovered {
                newer_on_disk: newer_on_disk(original.as_deref(), written),
                file,
                original,
                document,
                written,
                pin,
                on_disk,
            }
        })
        .collect();
    found.sort_by_key(|r| r.written);
    found
}

/// True when `original` was modified after the recovery file was `written`: restoring would
/// bring back edits older than what is on disk.
fn newer_on_disk(original: Option<&Path>, written: Option<SystemTime>) -> bool {
    let modified = original.and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    matches!((modified, written), (Some(m), Some(w)) if m > w)
}

/// True when the recovery file belongs to a window that is still running: its session's lock
/// file (`<pid>-<start>.lock`, beside it) is locked. Works on every platform; a process that
/// ended, however it ended, holds no lock.
fn written_by_a_running_window(file: &Path) -> bool {
    let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let mut parts = name.splitn(3, '-');
    let (Some(pid), Some(started)) = (parts.next(), parts.next()) else {
        return false;
    };
    // This process's own sessions are not another window (tests run several in one process,
    // and a child process briefly shares the lock between fork and exec).
    if pid.parse::<u32>().is_ok_and(|p| p == std::process::id()) {
        return false;
    }
    let lock = file.with_file_name(format!("{pid}-{started}.lock"));
    let Ok(handle) = std::fs::File::open(&lock) else {
        return false;
    };
    match handle.try_lock() {
        Ok(()) => {
            let _ = handle.unlock();
            false
        }
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

fn recent_crash_report(dir: &Path) -> Option<PathBuf> {
    let read = std::fs::read_dir(dir).ok()?;
    read.filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
        })
        .filter_map(|p| {
            let modified = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
            let age = SystemTime::now()
                .duration_since(modified)
                .unwrap_or_default();
            (age < RECENT_CRASH).then_some((modified, p))
        })
        .max_by_key(|(modified, _)| *modified)
        .map(|(_, p)| p)
}

impl AppState {
    /// Once per frame: notes input, removes recovery files of documents that no longer need
    /// them, and after [`IDLE_BEFORE_AUTOSAVE`] without input sends changed unsaved documents
    /// to the writer. Returns how long until an autosave is due, so the window can wake up
    /// for it (`None` when nothing waits).
    pub fn autosave_tick(&mut self, now: Instant, had_input: bool) -> Option<Duration> {
        if let Some(errors) = &self.services.recovery.errors
            && let Some(error) = errors.try_iter().last()
        {
            self.say(&error, true);
        }
        let dir = self.services.recovery.dir.clone()?;
        if self.quit_confirmed {
            self.services.recovery.clean_exit();
            return None;
        }
        if had_input {
            self.services.recovery.last_input = now;
        }
        let keep: Vec<DocId> = self
            .session
            .work()
            .filter(|d| self.services.recovery.needs_recovery(d))
            .map(|d| d.id)
            .collect();

        // Saved, reverted or closed: the recovery file has done its job.
        let stale: Vec<DocId> = self
            .services
            .recovery
            .files
            .keys()
            .filter(|id| !keep.contains(id))
            .copied()
            .collect();
        for id in stale {
            if let Some((file, _)) = self.services.recovery.files.remove(&id) {
                self.services.recovery.send(Job::Remove(file));
            }
        }

        // Pins go with the work: written while some document has work to recover, removed
        // with it, so a restore brings back the comparison the edits were made against.
        let live_pins: Vec<u64> = if keep.is_empty() {
            Vec::new()
        } else {
            self.compare.pins.iter().map(|p| p.id.0).collect()
        };
        let gone: Vec<u64> = self
            .services
            .recovery
            .pin_files
            .keys()
            .filter(|id| !live_pins.contains(id))
            .copied()
            .collect();
        for id in gone {
            if let Some(file) = self.services.recovery.pin_files.remove(&id) {
                self.services.recovery.send(Job::Remove(file));
            }
        }
        let new_pins: Vec<(u64, Option<PathBuf>, String, Document)> = self
            .compare
            .pins
            .iter()
            .filter(|p| {
                live_pins.contains(&p.id.0)
                    && !self.services.recovery.pin_files.contains_key(&p.id.0)
            })
            .map(|p| (p.id.0, p.path.clone(), p.name.clone(), p.doc.clone()))
            .collect();
        for (id, original, name, doc) in new_pins {
            let file = dir.join(format!("{}-pin-{id}.ron", self.services.recovery.session));
            self.services.recovery.pin_files.insert(id, file.clone());
            self.services.recovery.send(Job::WritePin {
                file,
                original,
                name,
                doc: Box::new(doc),
            });
        }

        let changed: Vec<&OpenDocument> = self
            .session
            .documents()
            .iter()
            .filter(|d| keep.contains(&d.id))
            .filter(|d| {
                self.services
                    .recovery
                    .files
                    .get(&d.id)
                    .is_none_or(|(_, written)| *written != d.doc)
            })
            .collect();
        if changed.is_empty() {
            return None;
        }
        let idle = now.saturating_duration_since(self.services.recovery.last_input);
        if idle < IDLE_BEFORE_AUTOSAVE {
            return Some(IDLE_BEFORE_AUTOSAVE - idle);
        }
        let jobs: Vec<(DocId, Option<PathBuf>, Document)> = changed
            .into_iter()
            .map(|d| (d.id, d.path.clone(), d.doc.clone()))
            .collect();
        for (id, original, doc) in jobs {
            let file = match self.services.recovery.files.get(&id) {
                Some((file, _)) => file.clone(),
                None => dir.join(format!("{}-{}.ron", self.services.recovery.session, id.0)),
            };
            self.services
                .recovery
                .files
                .insert(id, (file.clone(), doc.clone()));
            self.services.recovery.send(Job::Write {
                file,
                original,
                doc: Box::new(doc),
            });
        }
        None
    }

    /// Applies the answer to the restore offer.
    pub(super) fn answer_recovery(&mut self, choice: RecoveryChoice) {
        let found = std::mem::take(&mut self.prompts.restore);
        match choice {
            RecoveryChoice::Later => {}
            RecoveryChoice::Discard => {
                for r in found {
                    self.services.recovery.send(Job::Remove(r.file));
                }
                self.say("Discarded the unsaved work from last time", false);
            }
            RecoveryChoice::Restore => {
                let mut restored = 0;
                let mut pins = 0;
                let mut unreadable = Vec::new();
                let mut older = Vec::new();
                for r in found {
                    match (r.document, r.pin) {
                        (Ok(doc), Some(name)) => {
                            // Its file is this session's business again once re-pinned.
                            self.services.recovery.send(Job::Remove(r.file));
                            self.add_pin(name, r.original, doc);
                            pins += 1;
                        }
                        (Ok(doc), None) => {
                            if r.newer_on_disk {
                                older.push(doc.meta.name.clone());
                            }
                            self.restore_one(r.file, r.original, doc, r.on_disk);
                            restored += 1;
                        }
                        (Err(_), _) => unreadable.push(r.file),
                    }
                }
                let mut text = format!(
                    "Restored {restored} unsaved scenario{} from last time: save to keep {}",
                    if restored == 1 { "" } else { "s" },
                    if restored == 1 { "it" } else { "them" },
                );
                if pins > 0 {
                    text.push_str(&format!(
                        ", and {pins} pin{} of the compare view",
                        if pins == 1 { "" } else { "s" }
                    ));
                }
                if !older.is_empty() {
                    text.push_str(&format!(
                        "; the file of {} changed on disk after these edits were made: the \
                         restored edits are older than the file (Revert to saved shows the file)",
                        older
                            .iter()
                            .map(|n| format!("“{n}”"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if let Some(first) = unreadable.first() {
                    text.push_str(&format!(
                        "; {} recovery file(s) could not be read and were left in {}",
                        unreadable.len(),
                        first.parent().unwrap_or(Path::new(".")).display()
                    ));
                }
                self.say(&text, !unreadable.is_empty() || !older.is_empty());
            }
        }
    }

    /// Opens one recovered document as unsaved work and adopts its recovery file, so the file
    /// stays until the work is saved or discarded.
    fn restore_one(
        &mut self,
        file: PathBuf,
        original: Option<PathBuf>,
        doc: Document,
        saved: Option<Document>,
    ) {
        // The saved copy is what is on disk, so the document shows as unsaved against it.
        let mut restored = self.new_document(original, doc.clone(), Vec::new());
        // Without a readable original it is unsaved whatever it contains.
        restored.never_saved = saved.is_none();
        restored.saved = saved.unwrap_or_default();
        let id = restored.id;
        // A fresh, untouched start document gives way; anything else stays open.
        self.session.open_beside(restored);
        // Written before and unchanged: no need to write it again.
        self.services.recovery.files.insert(id, (file, doc));
    }

    /// Says at start that the last run crashed, when it did recently.
    pub(super) fn announce_recent_crash(&mut self) {
        if let Some(report) = self.services.recovery.recent_crash.take() {
            self.say(
                &format!(
                    "Lodestone stopped unexpectedly last time; the crash report is {}",
                    report.display()
                ),
                true,
            );
        }
    }
}

thread_local! {
    /// True while this thread runs code under [`caught`].
    static CATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic as an error, without a crash report: for background work whose
/// failure the window reports itself.
pub fn caught<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    let before = CATCHING.with(|c| c.replace(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(before));
    outcome
}

/// Installs a panic hook that writes a crash report into `dir` (see [`write_crash_report`])
/// and tells the user where, then runs the previous hook.
pub fn install_panic_hook(dir: Option<PathBuf>) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A worker catches this one and reports it as a failed computation: not a crash.
        // A panic on a thread of the parallel pool (the futures, the tornado) is carried to
        // the thread that started that work, inside such a worker: not a crash either.
        if CATCHING.with(std::cell::Cell::get) || rayon::current_thread_index().is_some() {
            return;
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_string());
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        if let Some(dir) = &dir {
            match write_crash_report(dir, &message, &location, &backtrace) {
                Ok(path) => eprintln!(
                    "Lodestone stopped because of an internal error. A crash report was \
                     written to {}; unsaved work autosaved in {} is offered at the next start.",
                    path.display(),
                    dir.display()
                ),
                Err(e) => {
                    eprintln!("Lodestone stopped; the crash report could not be written: {e}")
                }
            }
        }
        previous(info);
    }));
}

/// Writes `crash-<time>-<pid>.txt` into `dir` and returns its path.
pub fn write_crash_report(
    dir: &Path,
    message: &str,
    location: &str,
    backtrace: &str,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let thread = std::thread::current();
    let path = dir.join(format!("crash-{now}-{}.txt", std::process::id()));
    let text = format!(
        "Lodestone {version} crash report\n\
         time (unix seconds): {now}\n\
         thread: {thread}\n\
         message: {message}\n\
         location: {location}\n\
         os: {os} {arch}\n\n\
         backtrace:\n{backtrace}\n",
        version = env!("CARGO_PKG_VERSION"),
        thread = thread.name().unwrap_or("unnamed"),
        os = std::env::consts::OS,
        arch = std::env::consts::ARCH,
    );
    // Not atomic on purpose: the process is going down and a partial report beats none.
    std::fs::write(&path, text)?;
    Ok(path)
}
