//! The scenario library: the `.ron` files of the shipped `scenarios/` folder and of any folder
//! the user adds, each read far enough to show its name, description and date. Scanning reads
//! files, so it runs on a background thread (see `super::io`); this module only knows how.

use crate::scenario::{Diagnostic, load_file};
use std::path::{Path, PathBuf};

/// One scenario file as the library lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct LibraryEntry {
    /// The scenario file.
    pub path: PathBuf,
    /// Its canonical path (resolved on the scan thread), to match it with open documents.
    pub canonical: PathBuf,
    /// The scenario's name, else the file name without extension.
    pub name: String,
    /// The scenario's description (empty when the file does not load).
    pub description: String,
    /// The file's own `modified` field, or the file system date when it has none.
    pub modified: String,
    /// Why the file does not load (empty when it does).
    pub problems: Vec<Diagnostic>,
}

/// One folder of the library.
#[derive(Clone, Debug, PartialEq)]
pub struct LibraryFolder {
    /// The folder.
    pub path: PathBuf,
    /// Its scenario files, read far enough to list them.
    pub entries: Vec<LibraryEntry>,
    /// Set when the folder itself cannot be read (missing, no permission).
    pub error: Option<String>,
}

/// The `.ron` files of some folders (decks, profiles), sorted; unreadable folders are skipped
/// (a menu simply lists fewer files).
pub fn ron_files(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = folders
        .iter()
        .filter_map(|f| std::fs::read_dir(f).ok())
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "ron"))
        .collect();
    out.sort();
    out
}

/// Reads every folder; never fails as a whole, problems are recorded per folder and file.
pub fn scan(folders: &[PathBuf]) -> Vec<LibraryFolder> {
    folders.iter().map(|f| scan_folder(f)).collect()
}

fn scan_folder(folder: &Path) -> LibraryFolder {
    let read = match std::fs::read_dir(folder) {
        Ok(read) => read,
        Err(e) => {
            return LibraryFolder {
                path: folder.to_path_buf(),
                entries: Vec::new(),
                error: Some(e.to_string()),
            };
        }
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    let entries = paths.into_iter().map(|p| read_entry(&p)).collect();
    LibraryFolder {
        path: folder.to_path_buf(),
        entries,
        error: None,
    }
}

fn read_entry(path: &Path) -> LibraryEntry {
    let file_date = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(crate::display::format::date)
        .unwrap_or_default();
    match load_file(path) {
        Ok(loaded) => {
            let meta = loaded.document.meta;
            LibraryEntry {
                path: path.to_path_buf(),
                canonical: canonical(path),
                name: crate::display::names::scenario_name(&meta.name, Some(path)),
                description: meta.description,
                modified: if meta.modified.trim().is_empty() {
                    file_date
                } else {
                    meta.modified
                },
                problems: Vec::new(),
            }
        }
        Err(e) => LibraryEntry {
            path: path.to_path_buf(),
            canonical: canonical(path),
            name: crate::display::names::scenario_name("", Some(path)),
            description: String::new(),
            modified: file_date,
            problems: e.diagnostics,
        },
    }
}

/// The canonical form of a path, or the path itself when it cannot be resolved.
pub fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// True when two paths name the same file (compares canonical forms when both exist).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
