//! How the window's state starts: the file to open, the folders to list, autosave and file
//! watching, a fixed today for tests and pictures.

use super::{ViewState, examples};
use std::path::PathBuf;

/// How the app starts.
#[derive(Clone, Debug)]
pub struct AppOptions {
    /// Scenario to open; when it fails to load, the default scenario opens and the problems
    /// are shown.
    pub file: Option<PathBuf>,
    /// The shipped scenario folder(s), always listed in the library.
    pub library_dirs: Vec<PathBuf>,
    /// The shipped deck folder(s), listed in Present > Open deck.
    pub deck_dirs: Vec<PathBuf>,
    /// The shipped company-profile folder(s), listed in the company view.
    pub profile_dirs: Vec<PathBuf>,
    /// View state restored from the last run.
    pub view: ViewState,
    /// Reopen `view.last_file` when no `file` is given.
    pub restore_last_file: bool,
    /// Where unsaved work is autosaved and offered back after a crash (`None`: no autosave).
    pub recovery_dir: Option<PathBuf>,
    /// Watch the library folders and open files for changes made by other programs.
    pub watch_files: bool,
    /// The day the window takes for today (`YYYY-MM-DD`: the charts' "today" line, saved
    /// files' dates, export footers); `None` reads the system clock. Fixed in image tests so
    /// an accepted image does not go stale the next month.
    pub today: Option<String>,
    /// The root of the built-in examples (see [`examples`]): files under it are listed as
    /// read-only examples and saved through Save As.
    pub examples: Option<PathBuf>,
    /// The user's own scenario folder: listed in the library, created when missing, and where
    /// Save As, exports and live copies of an example go.
    pub user_folder: Option<PathBuf>,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            file: None,
            library_dirs: vec![PathBuf::from("scenarios")],
            deck_dirs: vec![PathBuf::from("decks")],
            profile_dirs: vec![PathBuf::from("profiles")],
            view: ViewState::default(),
            restore_last_file: false,
            recovery_dir: None,
            watch_files: false,
            today: None,
            examples: None,
            user_folder: None,
        }
    }
}

impl AppOptions {
    /// The options of an installed program, wherever it is started from: the built-in
    /// examples (written to the data folder) and the user's own folder, created if missing.
    pub fn installed() -> Self {
        let root = examples::install();
        let user_folder = examples::default_user_folder();
        if let Some(dir) = &user_folder {
            // A missing folder would be listed in red; an error here shows there instead.
            let _ = std::fs::create_dir_all(dir);
        }
        let under = |rel: &str| root.iter().map(|r| r.join(rel)).collect::<Vec<_>>();
        let mut library_dirs = under(examples::SCENARIOS);
        library_dirs.extend(user_folder.iter().cloned());
        Self {
            library_dirs,
            deck_dirs: under(examples::DECKS),
            profile_dirs: under(examples::PROFILES),
            examples: root,
            user_folder,
            ..Self::default()
        }
    }
}
