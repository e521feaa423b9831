//! The shipped scenarios, decks, company profiles and backtests, built into the program, so the
//! window finds them whatever folder it was started from. They are written once into a folder
//! of their own under the platform's data folder (`examples-<id>`, the id changing with their
//! contents) and listed there as read-only examples: their files are marked read-only, and
//! saving one goes through Save As into the user's own folder. Written as files (rather than
//! kept in memory) so everything that follows a path keeps working on them: a scenario's
//! baseline beside it, a deck's slides in `../scenarios/`, the file watcher, the exports.

use crate::scenario::stamp::Fnv;
use std::path::{Path, PathBuf};

/// Every shipped file: its path under the examples folder and its text.
pub const FILES: &[(&str, &str)] = &[
    (
        "scenarios/baseline-2024.ron",
        include_str!("../../scenarios/baseline-2024.ron"),
    ),
    (
        "scenarios/board-question.ron",
        include_str!("../../scenarios/board-question.ron"),
    ),
    (
        "scenarios/controls-2025-04.ron",
        include_str!("../../scenarios/controls-2025-04.ron"),
    ),
    (
        "scenarios/expansion-2025-10.ron",
        include_str!("../../scenarios/expansion-2025-10.ron"),
    ),
    (
        "scenarios/fast-diversification.ron",
        include_str!("../../scenarios/fast-diversification.ron"),
    ),
    (
        "scenarios/fortress.ron",
        include_str!("../../scenarios/fortress.ron"),
    ),
    (
        "scenarios/pause-2025-11.ron",
        include_str!("../../scenarios/pause-2025-11.ron"),
    ),
    (
        "scenarios/status-quo.ron",
        include_str!("../../scenarios/status-quo.ron"),
    ),
    (
        "decks/2025-story.ron",
        include_str!("../../decks/2025-story.ron"),
    ),
    (
        "profiles/defence-contractor.ron",
        include_str!("../../profiles/defence-contractor.ron"),
    ),
    (
        "profiles/ev-maker.ron",
        include_str!("../../profiles/ev-maker.ron"),
    ),
    (
        "profiles/wind-maker.ron",
        include_str!("../../profiles/wind-maker.ron"),
    ),
    (
        "profiles/README.md",
        include_str!("../../profiles/README.md"),
    ),
    (
        "backtests/quota-2010.ron",
        include_str!("../../backtests/quota-2010.ron"),
    ),
    (
        "backtests/licensing-2025.ron",
        include_str!("../../backtests/licensing-2025.ron"),
    ),
    (
        "backtests/RECORD.md",
        include_str!("../../backtests/RECORD.md"),
    ),
];

/// The folders of the examples, relative to their root.
pub const SCENARIOS: &str = "scenarios";
/// Decks, relative to the examples' root.
pub const DECKS: &str = "decks";
/// Company profiles, relative to the examples' root.
pub const PROFILES: &str = "profiles";

/// Set to use another folder for the examples (tests; a system where the data folder is not
/// writable).
pub const EXAMPLES_ENV: &str = "LODESTONE_EXAMPLES_DIR";

/// Written last, so a folder that has it holds every file whole.
const COMPLETE: &str = ".complete";

/// An identifier of the examples' contents (and the program's version), so a new build with
/// other examples writes a new folder and never mixes files of two builds.
pub fn id() -> String {
    let mut hash = Fnv::default();
    hash.write(env!("CARGO_PKG_VERSION").as_bytes());
    for (path, text) in FILES {
        hash.write(path.as_bytes());
        hash.write(&[0]);
        hash.write(text.as_bytes());
        hash.write(&[0]);
    }
    format!("{:08x}", hash.0 as u32)
}

/// Writes the examples under `base` (once: an existing complete folder is reused) and returns
/// their root, `base/examples-<id>`. Folders of other builds' examples are removed.
pub fn install_in(base: &Path) -> std::io::Result<PathBuf> {
    let root = base.join(format!("examples-{}", id()));
    if !root.join(COMPLETE).is_file() {
        for (rel, text) in FILES {
            let path = root.join(rel);
            if std::fs::read(&path).is_ok_and(|b| b == text.as_bytes()) {
                continue;
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // A partial file of an interrupted start is replaced (it is read-only).
            let _ = std::fs::remove_file(&path);
            std::fs::write(&path, text)?;
            let mut permissions = std::fs::metadata(&path)?.permissions();
            permissions.set_readonly(true);
            std::fs::set_permissions(&path, permissions)?;
        }
        std::fs::write(root.join(COMPLETE), id())?;
    }
    remove_stale(base, &root);
    Ok(root)
}

/// Removes the examples of other builds (best effort: a folder in use elsewhere may stay).
fn remove_stale(base: &Path, keep: &Path) {
    let Ok(read) = std::fs::read_dir(base) else {
        return;
    };
    for entry in read.flatten() {
        let path = entry.path();
        let is_examples = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("examples-"));
        if is_examples && path != keep && path.is_dir() {
            make_writable(&path);
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Read-only files cannot be removed on some platforms: make a tree writable first.
fn make_writable(dir: &Path) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            make_writable(&path);
        } else if let Ok(meta) = std::fs::metadata(&path) {
            let mut permissions = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)] // only to delete the file
            permissions.set_readonly(false);
            let _ = std::fs::set_permissions(&path, permissions);
        }
    }
}

/// Where the examples go: `LODESTONE_EXAMPLES_DIR`, else the platform's data folder (where
/// the window keeps its settings), else the temporary folder.
pub fn default_base() -> PathBuf {
    if let Some(dir) = std::env::var_os(EXAMPLES_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    eframe::storage_dir("lodestone").unwrap_or_else(|| std::env::temp_dir().join("lodestone"))
}

/// Writes the examples where they belong ([`default_base`], else the temporary folder) and
/// returns their root; `None` only when no folder at all can be written.
pub fn install() -> Option<PathBuf> {
    install_in(&default_base())
        .or_else(|_| install_in(&std::env::temp_dir().join("lodestone")))
        .ok()
}

/// The user's own scenario folder: `Documents/Lodestone` in the home folder when there is a
/// Documents folder, else `scenarios` in the platform's data folder. Not created here.
pub fn default_user_folder() -> Option<PathBuf> {
    let documents = std::env::home_dir().map(|h| h.join("Documents"));
    match documents {
        Some(d) if d.is_dir() => Some(d.join("Lodestone")),
        _ => eframe::storage_dir("lodestone").map(|d| d.join("scenarios")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_is_built_in() {
        for dir in ["scenarios", "decks", "profiles", "backtests"] {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
                let name = format!("{dir}/{}", entry.file_name().to_string_lossy());
                assert!(
                    FILES.iter().any(|(p, _)| *p == name),
                    "{name} is shipped but not built in"
                );
            }
        }
    }

    #[test]
    fn installs_read_only_once_and_removes_other_builds() -> std::io::Result<()> {
        let base = tempfile::tempdir()?;
        let stale = base.path().join("examples-00000000");
        std::fs::create_dir_all(stale.join("scenarios"))?;
        std::fs::write(stale.join("scenarios/old.ron"), "()")?;
        let root = install_in(base.path())?;
        assert!(!stale.exists(), "the other build's examples are removed");
        let fortress = root.join("scenarios/fortress.ron");
        assert!(std::fs::metadata(&fortress)?.permissions().readonly());
        assert_eq!(
            std::fs::read_to_string(&fortress)?,
            include_str!("../../scenarios/fortress.ron")
        );
        // A second start reuses the folder.
        assert_eq!(install_in(base.path())?, root);
        Ok(())
    }
}
