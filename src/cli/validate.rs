//! `lodestone validate FILE...`: every problem of every file as file:line:col: message.

use super::{Failure, print_warnings};
use crate::scenario;
use std::path::PathBuf;

pub(super) fn validate_files(files: &[PathBuf]) -> Result<(), Failure> {
    let mut ok = true;
    for f in files {
        match scenario::load_file(f) {
            Ok(loaded) => {
                print_warnings(&loaded);
                // What `run`, `export` and the window compare against must load too.
                if let Some(problem) = scenario::baseline_problem(&loaded.document, f) {
                    errln!("{problem}");
                    ok = false;
                    continue;
                }
                let w = loaded.warnings.len();
                let note = if w == 0 {
                    String::new()
                } else {
                    format!(" ({w} warning{})", if w == 1 { "" } else { "s" })
                };
                outln!("{}: OK{note}", f.display())?;
            }
            Err(e) => {
                errln!("{e}");
                ok = false;
            }
        }
    }
    if ok { Ok(()) } else { Err(Failure::Reported) }
}
