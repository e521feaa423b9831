//! The command line: the window by default, headless subcommands for scripts and slides.
//! Every subcommand is a thin caller of `crate::scenario` and `crate::model`.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "lodestone",
    version,
    about = "Scenario explorer for rare-earth supply strategy"
)]
pub struct Cli {
    /// Render the window once, save a PNG of it here and exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,
    /// Scenario file to open in the window (default: the built-in default scenario).
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and print every problem as file:line:col: message.
    Validate { files: Vec<PathBuf> },
}

/// Parses the process arguments and runs what they ask for.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match crate::ui::launch(crate::ui::LaunchOptions {
            file: cli.file,
            screenshot: cli.screenshot,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lodestone: {e:#}");
                ExitCode::FAILURE
            }
        },
        Some(Command::Validate { files }) => {
            let mut ok = true;
            for f in files {
                if let Err(e) = crate::scenario::load_file(&f) {
                    eprintln!("{e}");
                    ok = false;
                }
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
