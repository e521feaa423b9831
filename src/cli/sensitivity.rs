//! `lodestone sensitivity`: the tornado and the one-lever sweep of a scenario file, as tables
//! on stdout or CSV files. Thin callers of `crate::model::{tornado, sweep}`.

use super::run::baseline_of;
use super::{Failure, is_stdout, load, title, write_out};
use crate::model::levers::lever as find_lever;
use crate::model::{Figure, LEVERS, Lever, Reference, TornadoBar, sweep_against, tornado_against};
use crate::output::data::csv_field;
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;

/// Arguments of `lodestone sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Headline figure to measure: peak_cost, extra_cost, dependency_below,
    /// months_of_shortfall or final_dependency.
    #[arg(long, default_value = "peak_cost", value_name = "NAME", value_parser = parse_figure)]
    pub figure: Figure,
    /// Write the table as CSV instead of printing it; `-` for stdout.
    #[arg(long, value_name = "OUT.csv")]
    pub csv: Option<PathBuf>,
    /// Sweep one lever (by id, e.g. quota_level) across its range instead of the tornado.
    #[arg(long, value_name = "LEVER", value_parser = parse_lever)]
    pub sweep: Option<&'static Lever>,
    /// Number of evenly spaced values of the swept lever.
    #[arg(long, default_value_t = 21, value_name = "N",
          value_parser = clap::value_parser!(u16).range(2..=1000))]
    pub points: u16,
}

fn parse_figure(text: &str) -> Result<Figure, String> {
    Figure::from_key(text).ok_or_else(|| {
        let keys: Vec<&str> = Figure::ALL.iter().map(|f| f.key()).collect();
        format!("unknown figure `{text}`; one of: {}", keys.join(", "))
    })
}

fn parse_lever(text: &str) -> Result<&'static Lever, String> {
    find_lever(text).ok_or_else(|| {
        let ids: Vec<&str> = LEVERS.iter().map(|l| l.id).collect();
        format!("unknown lever `{text}`; one of: {}", ids.join(", "))
    })
}

/// Runs `lodestone sensitivity`.
pub fn run_sensitivity(args: &SensitivityArgs) -> Result<(), Failure> {
    let doc = load(&args.file)?.document;
    let figure = args.figure;
    let csv = args.csv.as_deref();
    // Extra cost against what `lodestone run` compares with: the named baseline, or each
    // variant's own no-controls run.
    let baseline = if figure == Figure::ExtraCost {
        baseline_of(&doc, &args.file)
    } else {
        None
    };
    let reference = baseline
        .as_ref()
        .map_or(Reference::NoControls, |(_, s)| Reference::Baseline(s));
    if let Some(lever) = args.sweep {
        let points = sweep_against(
            &doc.scenario,
            lever,
            figure,
            usize::from(args.points),
            reference,
        );
        if !is_stdout(csv) {
            println!("{}", title(&args.file, &doc.meta.name));
            print_sweep(lever, figure, (lever.get)(&doc.scenario), &points);
        }
        if let Some(out) = csv {
            write_out(out, |w| write_sweep_csv(lever, figure, &points, w))?;
        }
        return Ok(());
    }
    let bars = tornado_against(&doc.scenario, figure, reference);
    if !is_stdout(csv) {
        println!("{}", title(&args.file, &doc.meta.name));
        print_tornado(figure, &bars);
    }
    if let Some(out) = csv {
        write_out(out, |w| write_tornado_csv(figure, &bars, w))?;
    }
    Ok(())
}

fn print_tornado(figure: Figure, bars: &[TornadoBar]) {
    let unit = figure.unit();
    let base = bars.first().map_or(0.0, |b| b.at_base);
    println!(
        "Sensitivity of {} ({unit}); at the scenario's values: {base:.2}",
        figure.label().to_lowercase()
    );
    println!("Each lever alone at the low and the high end of its range, largest swing first.");
    println!();
    println!(
        "  {:<22} {:>16} {:>16} {:>12} {:>12} {:>12}",
        "lever", "low", "high", "at low", "at high", "swing"
    );
    for b in bars {
        println!(
            "  {:<22} {:>16} {:>16} {:>12.2} {:>12.2} {:>12.2}",
            b.lever.id,
            b.lever.format(b.lever.min),
            b.lever.format(b.lever.max),
            b.at_low,
            b.at_high,
            b.effect()
        );
    }
}

fn write_tornado_csv(figure: Figure, bars: &[TornadoBar], w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "figure,figure_unit,lever,lever_unit,low,high,at_base,at_low,at_high,swing"
    )?;
    for b in bars {
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{},{}",
            figure.key(),
            csv_field(figure.unit()),
            b.lever.id,
            csv_field(b.lever.unit),
            b.lever.min,
            b.lever.max,
            b.at_base,
            b.at_low,
            b.at_high,
            b.effect()
        )?;
    }
    Ok(())
}

fn print_sweep(lever: &Lever, figure: Figure, current: f64, points: &[(f64, f64)]) {
    println!(
        "{} ({}) across {} ({} – {}); the scenario has {}",
        figure.label(),
        figure.unit(),
        lever.label,
        lever.format(lever.min),
        lever.format(lever.max),
        lever.format(current)
    );
    println!();
    println!("  {:>16} {:>14}", lever.id, figure.key());
    for (x, y) in points {
        println!("  {:>16} {y:>14.2}", lever.format(*x));
    }
}

fn write_sweep_csv(
    lever: &Lever,
    figure: Figure,
    points: &[(f64, f64)],
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(w, "lever,lever_unit,value,figure,figure_unit,figure_value")?;
    for (x, y) in points {
        writeln!(
            w,
            "{},{},{x},{},{},{y}",
            lever.id,
            csv_field(lever.unit),
            figure.key(),
            csv_field(figure.unit())
        )?;
    }
    Ok(())
}
