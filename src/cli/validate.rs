//! `lodestone validate FILE...`: every problem of every file as file:line:col: message.

use super::print_warnings;
use crate::scenario;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn validate_files(files: &[PathBuf]) -> ExitCode {
    let mut ok = true;
    for f in files {
        match scenario::load_file(f) {
            Ok(loaded) => {
                print_warnings(&loaded);
                if let Some(cycle) = scenario::baseline_cycle(&loaded.document, f) {
                    eprintln!("{cycle}");
                    ok = false;
                    continue;
                }
                let w = loaded.warnings.len();
                let note = if w == 0 {
                    String::new()
                } else {
                    format!(" ({w} warning{})", if w == 1 { "" } else { "s" })
                };
                println!("{}: OK{note}", f.display());
            }
            Err(e) => {
                eprintln!("{e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
