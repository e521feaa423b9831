//! The command line: the window by default, headless subcommands for scripts, CI and people
//! preparing slides. Every subcommand is a thin caller of `crate::scenario` (files, overrides,
//! exports) and `crate::model` (the run); nothing here knows the format or the equations.
//!
//! Output contract: results go to stdout, problems to stderr as `file:line:col: message`, and
//! the exit code is 0 on success, 1 when a file or an override is refused, 2 for bad usage.

use crate::model::{Comparison, Headline, Results, simulate};
use crate::scenario::{
    self, Document, Loaded, apply_set, differences, export, resolve_baseline, validate,
    validate::Severity,
};
use clap::{Parser, Subcommand};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub mod backtest;
mod sensitivity;

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
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and print every problem as file:line:col: message.
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Run a scenario and print its headline figures; optionally write every series.
    Run {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Override a lever without editing the file: `quota_level=0.6`,
        /// `NdPr.quota_share=0.5`, `capex_start=2026-01`. Repeatable.
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
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
        #[arg(value_name = "A")]
        a: PathBuf,
        #[arg(value_name = "B")]
        b: PathBuf,
    },
    /// Which levers move a headline figure most: every lever alone at the low and high end of
    /// its range, largest swing first (the tornado); or one lever swept across its range.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Monte Carlo over the scenario's uncertain inputs: peak cost percentiles and the chance
    /// of a shortfall; optionally every step's percentile bands as CSV.
    Bands(sensitivity::BandsArgs),
    /// Export a scenario's charts (PNG, SVG) and series (CSV), headless, for slides.
    Export(crate::export::cli::ExportArgs),
    /// Run episodes of the public record (default: the shipped 2010-2015 and 2025 episodes)
    /// and print model against record with pass/fail per shape check; exit 1 on a failure.
    Backtest {
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Override a lever in every episode (`hoarding=1`): how robust are the shapes?
        #[arg(long = "set", value_name = "LEVER=VALUE")]
        set: Vec<String>,
    },
}

/// Parses the process arguments and runs what they ask for.
pub fn run() -> ExitCode {
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
        eprintln!(
            "lodestone: `{}` is neither a command nor a file; commands: {} (or give a .ron scenario file to open in the window)",
            file.display(),
            commands.join(", ")
        );
        return ExitCode::from(2);
    }
    match cli.command {
        None => match crate::ui::launch(crate::ui::LaunchOptions {
            file: cli.file,
            screenshot: cli.screenshot,
            start: crate::ui::present::StartView {
                pin: cli.pin,
                delta: cli.delta,
                table: cli.table,
                present: cli.present,
                slide: cli.slide,
            },
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lodestone: {e:#}");
                ExitCode::FAILURE
            }
        },
        Some(Command::Validate { files }) => validate_files(&files),
        Some(Command::Run {
            file,
            set,
            csv,
            json,
        }) => finish(run_file(&file, &set, csv.as_deref(), json.as_deref())),
        Some(Command::Diff { a, b }) => finish(diff(&a, &b)),
        Some(Command::Sensitivity(args)) => finish(sensitivity::run_sensitivity(&args)),
        Some(Command::Bands(args)) => finish(sensitivity::run_bands(&args)),
        Some(Command::Export(args)) => crate::export::cli::run(&args),
        Some(Command::Backtest { files, set }) => finish(backtest::run(&files, &set)),
    }
}

/// A failure already reported to stderr (diagnostics), or one still to report.
enum Failure {
    Reported,
    Message(String),
}

fn finish(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::FAILURE,
        Err(Failure::Message(m)) => {
            eprintln!("lodestone: {m}");
            ExitCode::FAILURE
        }
    }
}

fn print_warnings(loaded: &Loaded) {
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
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
            eprintln!("{e}");
            Err(Failure::Reported)
        }
    }
}

fn validate_files(files: &[PathBuf]) -> ExitCode {
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

/// The scenario a file's extra cost is measured against when it names a baseline that
/// loads (with its name); `None` means "the same scenario without controls".
fn baseline_of(doc: &Document, path: &Path) -> Option<(String, crate::model::Scenario)> {
    if let Some(cycle) = scenario::baseline_cycle(doc, path) {
        eprintln!("warning: {cycle}; comparing against no controls instead");
        return None;
    }
    let base = resolve_baseline(doc, Some(path))?;
    match scenario::load_file(&base) {
        Ok(b) => {
            let name = if b.document.meta.name.is_empty() {
                base.display().to_string()
            } else {
                b.document.meta.name.clone()
            };
            Some((name, b.document.scenario))
        }
        Err(e) => {
            eprintln!(
                "warning: {}: baseline {} does not load; comparing against no controls instead\n{e}",
                path.display(),
                base.display()
            );
            None
        }
    }
}

/// The run a scenario's extra cost is measured against: its baseline file when it names one
/// that loads, else the same scenario without export controls.
fn reference(doc: &Document, path: &Path) -> (String, Results) {
    match baseline_of(doc, path) {
        Some((name, base)) => (name, simulate(&base)),
        None => (
            "the same scenario without controls".to_string(),
            simulate(&doc.scenario.without_controls()),
        ),
    }
}

fn run_file(
    path: &Path,
    sets: &[String],
    csv: Option<&Path>,
    json: Option<&Path>,
) -> Result<(), Failure> {
    let mut doc = load(path)?.document;
    for spec in sets {
        apply_set(&mut doc, spec).map_err(|e| Failure::Message(format!("--set {e}")))?;
    }
    if !sets.is_empty() {
        // An override can break a rule that spans fields (capex shares summing to 1).
        let errors: Vec<String> = validate(&doc)
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| format!("after --set: {}: {}", p.path, p.message))
            .collect();
        if !errors.is_empty() {
            return Err(Failure::Message(errors.join("\nlodestone: ")));
        }
    }

    let results = simulate(&doc.scenario);
    let (base_name, base) = reference(&doc, path);
    let extra = Comparison::between(&results, &base).extra_cost_usd;

    // Writing data to stdout replaces the table, so a pipe gets clean CSV or JSON.
    let to_stdout = |p: Option<&Path>| p.is_some_and(|p| p == Path::new("-"));
    if !to_stdout(csv) && !to_stdout(json) {
        print_headline(&doc, path, &results.headline, extra, &base_name);
    }
    if let Some(out) = csv {
        write_out(out, |w| export::write_csv(&results, w))?;
    }
    if let Some(out) = json {
        write_out(out, |w| {
            export::write_json(&doc.meta.name, &results, Some(extra), w)
        })?;
    }
    Ok(())
}

fn write_out(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let fail = |e: io::Error| Failure::Message(format!("cannot write {}: {e}", path.display()));
    if path == Path::new("-") {
        let stdout = io::stdout();
        let mut lock = stdout.lock();
        return write(&mut lock).map_err(fail);
    }
    let file = File::create(path).map_err(fail)?;
    let mut w = BufWriter::new(file);
    write(&mut w).map_err(fail)?;
    w.flush().map_err(fail)
}

fn billions(usd: f64) -> String {
    format!("{:.2} $B", usd / 1e9)
}

fn month(m: Option<crate::model::YearMonth>) -> String {
    m.map_or_else(|| "never".to_string(), |m| m.to_string())
}

/// One headline figure: label, value as shown, and the number and unit deltas are taken in
/// (None for dates, which have no meaningful difference to print).
type Row = (String, String, Option<(f64, &'static str)>);

/// The headline figures, in the order the table shows them.
fn headline_rows(h: &Headline) -> Vec<Row> {
    vec![
        (
            "peak procurement cost".into(),
            format!("{:.2} $/kg", h.peak_cost_usd_per_kg),
            Some((h.peak_cost_usd_per_kg, "$/kg")),
        ),
        ("peak cost month".into(), month(h.peak_cost_date), None),
        (
            "peak spot price".into(),
            format!("{:.2} $/kg", h.peak_spot_usd_per_kg),
            Some((h.peak_spot_usd_per_kg, "$/kg")),
        ),
        ("peak spot month".into(), month(h.peak_spot_date), None),
        (
            "total spend".into(),
            billions(h.total_spend_usd),
            Some((h.total_spend_usd / 1e9, "$B")),
        ),
        (
            format!("dependency below {:.0} %", h.dependency_threshold * 100.0),
            month(h.dependency_below_threshold),
            None,
        ),
        (
            "final dependency".into(),
            format!("{:.1} %", h.final_dependency * 100.0),
            Some((h.final_dependency * 100.0, "pp")),
        ),
        (
            "months of shortfall".into(),
            format!("{}", h.months_of_shortfall),
            Some((h.months_of_shortfall, "months")),
        ),
        (
            "demand destroyed by price".into(),
            format!("{:.0} t", h.demand_destroyed_t),
            Some((h.demand_destroyed_t, "t")),
        ),
        (
            "diversification capex".into(),
            billions(h.total_capex_usd),
            Some((h.total_capex_usd / 1e9, "$B")),
        ),
    ]
}

fn print_headline(doc: &Document, path: &Path, h: &Headline, extra: f64, base: &str) {
    let name = if doc.meta.name.is_empty() {
        "(unnamed scenario)"
    } else {
        &doc.meta.name
    };
    println!("{name}  [{}]", path.display());
    for (label, value, _) in headline_rows(h) {
        println!("  {label:<28} {value}");
    }
    println!("  {:<28} {}", "extra cost", billions(extra));
    println!("  {:<28} vs {base}", "");
}

fn diff(a_path: &Path, b_path: &Path) -> Result<(), Failure> {
    let a = load(a_path);
    let b = load(b_path);
    let (a, b) = (a?.document, b?.document);
    let (ra, rb) = (simulate(&a.scenario), simulate(&b.scenario));
    let extra = Comparison::between(&ra, &rb).extra_cost_usd;

    let title = |d: &Document, p: &Path| {
        if d.meta.name.is_empty() {
            p.display().to_string()
        } else {
            d.meta.name.clone()
        }
    };
    println!("A: {}  [{}]", title(&a, a_path), a_path.display());
    println!("B: {}  [{}]", title(&b, b_path), b_path.display());
    println!();
    println!(
        "  {:<28} {:>16} {:>16} {:>16}",
        "headline", "A", "B", "A - B"
    );
    for ((label, va, na), (_, vb, nb)) in headline_rows(&ra.headline)
        .into_iter()
        .zip(headline_rows(&rb.headline))
    {
        let delta = match (na, nb) {
            (Some((x, unit)), Some((y, _))) => format!("{:+.2} {unit}", x - y),
            _ if va == vb => "same".to_string(),
            _ => "differs".to_string(),
        };
        println!("  {label:<28} {va:>16} {vb:>16} {delta:>16}");
    }
    println!("  {:<28} {:>16}", "extra cost of A over B", billions(extra));
    println!();
    let diffs = differences(&a.scenario, &b.scenario);
    if diffs.is_empty() {
        println!("Inputs: identical");
    } else {
        println!("Inputs that differ:");
        let width = diffs.iter().map(|d| d.id.len()).max().unwrap_or(0).max(8);
        println!("  {:<width$}  {:>16}  {:>16}", "lever", "A", "B");
        for d in diffs {
            println!("  {:<width$}  {:>16}  {:>16}", d.id, d.a, d.b);
        }
    }
    Ok(())
}
