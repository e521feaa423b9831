//! Entry point only: parse the command line, then run a subcommand or open the window.

#![forbid(unsafe_code)]

use lodestone::cli::{self, Outcome};
use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Outcome::Exit(code) => code,
        Outcome::Window(options) => match lodestone::ui::launch(options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lodestone: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}
