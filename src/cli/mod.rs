//! The command line: the window by default, headless subcommands for scripts, CI and people
//! preparing slides. This file parses and dispatches; each subcommand has its own file here.
//! Every subcommand is a thin caller of `crate::scenario` (files, overrides), `crate::model`
//! (the run) and `crate::output` (files written); nothing here knows the format or the
//! equations. Opening the window is the binary's job: [`run`] only says that it is wanted.
//!
//! Output contract: results go to stdout, problems to stderr as `file:line:col: message`, and
//! the exit code is 0 on success, 1 when a file or an override is refused, 2 for bad usage.

use crate::app::{LaunchOptions, StartView};
use crate::scenario::{self, Loaded, atomic};
use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes one line of results to stdout, like `println!`, but a failed write (a closed pipe,
/// a full disk) is an `Err(Failure::Stdout)` instead of a panic; `finish` ends a broken pipe
/// quietly and any other error with a message and exit 1.
macro_rules! outln {
    () => {
        $crate::cli::stdout_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::stdout_line(format_args!($($arg)*))
    };
}

/// Writes one line to stderr, like `eprintln!`, but a stderr that cannot be written (closed,
/// or a full disk) does not panic: there is nowhere left to report it, so it is dropped and
/// the exit code still tells.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod backtest;
mod bands;
mod diff;
pub mod export;
pub mod pack;
mod run;
mod seek;
mod sensitivity;
mod validate;

#[derive(Debug, Parser)]
#[command(
    name = "lodestone",
    // The crate version and the model's identifier (see `scenario::stamp`).
    version = scenario::stamp::model_version(),
    about = "Scenario explorer for rare-earth supply strategy"
)]
/// The parsed command line.
pub struct Cli {
    /// Render the window once, save a PNG of it here and exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,
    /// Scenario file to open in the window (default: the built-in default scenario).
    pub file: Option<PathBuf>,
    /// Pin a scenario file to the charts (repeatable; the first becomes the baseline).
    #[arg(long, value_name = "FILE")]
    pub pin: Vec<PathBuf>,
    /// Start in the delta view (current minus baseline).
    #[arg(long)]
    pub delta: bool,
    /// Open the compare table and lever diff.
    #[arg(long)]
    pub table: bool,
    /// Start presenting a deck file, full screen.
    #[arg(long, value_name = "DECK")]
    pub present: Option<PathBuf>,
    /// With --present: start at this slide (1-based).
    #[arg(long, default_value_t = 1)]
    pub slide: usize,
    /// The subcommand to run; none opens the window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and print every problem as file:line:col: message.
    Validate {
        /// Scenario files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Run a scenario and print its headline figures; optionally write every series.
    Run {
        /// Scenario file to run.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Override a lever without editing the file: `quota_level=0.6`,
        /// `NdPr.quota_share=0.5`, `capex_start=2026-01`. Repeatable.
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
        /// A company profile: print its spend, stock and stoppage risk on this scenario, and
        /// add its series to the CSV.
        #[arg(long, value_name = "PROFILE")]
        company: Option<PathBuf>,
        /// Write every monthly series as tidy CSV (date,material,series,value,unit); `-` for stdout.
        #[arg(long, value_name = "OUT.csv")]
        csv: Option<PathBuf>,
        /// Write the headline figures and every series as JSON; `-` for stdout.
        #[arg(long, value_name = "OUT.json")]
        json: Option<PathBuf>,
    },
    /// Compare two scenarios: headline figures side by side with deltas, and the inputs
    /// that differ.
    Diff {
        /// First scenario file; deltas are A minus B.
        #[arg(value_name = "A")]
        a: PathBuf,
        /// Second scenario file, the one A is compared against.
        #[arg(value_name = "B")]
        b: PathBuf,
        /// A company profile: compare its figures on A and on B too.
        #[arg(long, value_name = "PROFILE")]
        company: Option<PathBuf>,
    },
    /// Which levers move a headline figure most: every lever alone at the low and high end of
    /// its range, largest swing first (the tornado); or one lever swept across its range.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Monte Carlo over the scenario's uncertain inputs: peak cost percentiles and the chance
    /// of a shortfall; optionally every step's percentile bands as CSV.
    Bands(bands::BandsArgs),
    /// Export a scenario's charts (PNG, SVG) and series (CSV), headless, for slides.
    Export(export::ExportArgs),
    /// Write a deck's board pack as PDF: one page per slide (title, headline table, the
    /// charts as vector graphics, speaker notes, sources) and a page of the inputs that differ.
    Pack(pack::PackArgs),
    /// The cheapest setting of chosen levers that meets the scenario's targets, on the
    /// deterministic run or in a share of the uncertain futures; optionally written as a
    /// scenario file.
    Seek(seek::SeekArgs),
    /// In which uncertain futures the plan misses its targets, and the conditions on the
    /// uncertain inputs that explain most failures.
    Robust(seek::RobustArgs),
    /// Run episodes of the public record (default: the shipped 2010-2015 and 2025 episodes)
    /// and print model against record with pass/fail per shape check; exit 1 on a failure.
    Backtest {
        /// Scenario files with `record.checks` to run (default: the shipped episodes).
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Override a lever in every episode (`hoarding=1`): how robust are the shapes?
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
}

/// What the command line asked for: a subcommand that has run, or the window.
#[derive(Debug)]
pub enum Outcome {
    /// A subcommand ran (or the arguments were refused); exit with this code.
    Exit(ExitCode),
    /// Open the window with these options.
    Window(LaunchOptions),
}

/// Parses the process arguments and runs the subcommand they name, or says to open the window.
pub fn run() -> Outcome {
    let cli = Cli::parse();
    if cli.command.is_none()
        && let Some(file) = &cli.file
        && !file.exists()
        && file.extension().is_none_or(|e| e != "ron")
    {
        // Not a file and not a command: most likely a mistyped subcommand.
        let commands: Vec<String> = <Cli as clap::CommandFactory>::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        errln!(
            "lodestone: `{}` is neither a command nor a file; commands: {} (or give a .ron scenario file to open in the window)",
            file.display(),
            commands.join(", ")
        );
        return Outcome::Exit(ExitCode::from(2));
    }
    let Some(command) = cli.command else {
        let max = scenario::deck::MAX_PINS;
        if cli.pin.len() > max {
            errln!("lodestone: {} --pin files; at most {max}", cli.pin.len());
            return Outcome::Exit(ExitCode::from(2));
        }
        let inputs: Vec<PathBuf> = cli
            .file
            .iter()
            .chain(&cli.pin)
            .chain(&cli.present)
            .cloned()
            .collect();
        if let Err(e) = check_outputs(&inputs, &[("--screenshot", cli.screenshot.as_deref())]) {
            return Outcome::Exit(finish(Err(e)));
        }
        return Outcome::Window(LaunchOptions {
            file: cli.file,
            screenshot: cli.screenshot,
            start: StartView {
                pin: cli.pin,
                delta: cli.delta,
                table: cli.table,
                present: cli.present,
                slide: cli.slide,
            },
        });
    };
    let code = match command {
        Command::Validate { files } => finish(validate::validate_files(&files)),
        Command::Run {
            file,
            set,
            company,
            csv,
            json,
        } => finish(run::run_file(
            &file,
            &set,
            company.as_deref(),
            csv.as_deref(),
            json.as_deref(),
        )),
        Command::Diff { a, b, company } => finish(diff::diff(&a, &b, company.as_deref())),
        Command::Sensitivity(args) => finish(sensitivity::run_sensitivity(&args)),
        Command::Bands(args) => finish(bands::run_bands(&args)),
        Command::Export(args) => export::run(&args),
        Command::Pack(args) => pack::run(&args),
        Command::Backtest { files, set } => finish(backtest::run(&files, &set)),
        Command::Seek(args) => finish(seek::run_seek(&args)),
        Command::Robust(args) => finish(seek::run_robust(&args)),
    };
    // Anything still buffered must reach stdout before the exit code says it did.
    if code == ExitCode::SUCCESS
        && let Err(e) = io::stdout().flush()
    {
        return Outcome::Exit(stdout_failure(&e));
    }
    Outcome::Exit(code)
}

/// A failure already reported to stderr (diagnostics), one still to report, or a write to
/// stdout that failed.
enum Failure {
    Reported,
    Message(String),
    /// Bad usage found after parsing (exit 2), e.g. an output that would overwrite an input.
    Usage(String),
    Stdout(io::Error),
}

fn finish(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::FAILURE,
        Err(Failure::Message(m)) => {
            errln!("lodestone: {m}");
            ExitCode::FAILURE
        }
        Err(Failure::Usage(m)) => {
            errln!("lodestone: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Stdout(e)) => stdout_failure(&e),
    }
}

/// The exit code for a failed write to stdout: a reader that went away (`| head`) ends the
/// command quietly and successfully, as for any Unix filter; anything else (a full disk) is
/// a failure with a message.
fn stdout_failure(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        ExitCode::SUCCESS
    } else {
        errln!("lodestone: cannot write to standard output: {e}");
        ExitCode::FAILURE
    }
}

/// One line to stdout (see `outln!`).
fn stdout_line(args: std::fmt::Arguments<'_>) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(Failure::Stdout)
}

fn print_warnings(loaded: &Loaded) {
    for w in &loaded.warnings {
        errln!("warning: {w}");
    }
}

/// Loads a file, printing its problems to stderr.
fn load(path: &Path) -> Result<Loaded, Failure> {
    match scenario::load_file(path) {
        Ok(loaded) => {
            print_warnings(&loaded);
            Ok(loaded)
        }
        Err(e) => {
            errln!("{e}");
            Err(Failure::Reported)
        }
    }
}

/// Writes an output file through the atomic writer (the old file stays whole on any
/// error), or to stdout for `-`.
fn write_out(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    if path == Path::new("-") {
        let mut lock = io::stdout().lock();
        return write(&mut lock)
            .and_then(|()| lock.flush())
            .map_err(Failure::Stdout);
    }
    let mut bytes = Vec::new();
    write(&mut bytes)
        .map_err(|e| Failure::Message(format!("cannot write {}: {e}", path.display())))?;
    atomic::write_atomic(path, &bytes).map_err(|e| Failure::Message(e.to_string()))
}

/// Refuses, as a usage error, an output (`(flag, path)`) that is one of the call's inputs or
/// the same file as another of its outputs (through a link too), before anything is written:
/// `run s.ron --csv s.ron` would otherwise replace the scenario with a table. At most one
/// output may be `-` (stdout).
fn check_outputs(inputs: &[PathBuf], outputs: &[(&str, Option<&Path>)]) -> Result<(), Failure> {
    let inputs: Vec<_> = inputs
        .iter()
        .filter_map(|p| Some((p, atomic::file_identity(p)?)))
        .collect();
    let mut stdout: Option<&str> = None;
    let mut seen: Vec<(&str, &Path, atomic::FileId)> = Vec::new();
    for &(flag, path) in outputs {
        let Some(path) = path else { continue };
        if path == Path::new("-") {
            if let Some(other) = stdout {
                return Err(Failure::Usage(format!(
                    "{other} - and {flag} - would both write to standard output; send one to a file"
                )));
            }
            stdout = Some(flag);
            continue;
        }
        let Some(id) = atomic::file_identity(path) else {
            continue;
        };
        if let Some((input, _)) = inputs.iter().find(|(_, i)| atomic::same_file(i, &id)) {
            return Err(Failure::Usage(format!(
                "{flag} {} is the input {}; writing it would destroy the input, so give \
                 another output path",
                path.display(),
                input.display()
            )));
        }
        if let Some((other, other_path, _)) =
            seen.iter().find(|(_, _, i)| atomic::same_file(i, &id))
        {
            return Err(Failure::Usage(format!(
                "{flag} {} is the same file as {other} {}; give each output its own path",
                path.display(),
                other_path.display()
            )));
        }
        seen.push((flag, path, id));
    }
    Ok(())
}

/// Whether an output path means stdout (`-`).
fn is_stdout(path: Option<&Path>) -> bool {
    path.is_some_and(|p| p == Path::new("-"))
}

/// A report's first line: the scenario's name and its file.
fn title(path: &Path, name: &str) -> String {
    if name.is_empty() {
        format!("[{}]", path.display())
    } else {
        format!("{name}  [{}]", path.display())
    }
}
