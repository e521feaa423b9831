//! `lodestone sensitivity`: the tornado and the one-lever sweep of a scenario file, as tables
//! on stdout or CSV files, on a market figure or (with `--company`) a company's. Thin callers
//! of `crate::model::{tornado_by, sweep_by}`.

use super::run::{baseline_of, load_company};
use super::{Failure, check_outputs, is_stdout, load, title, write_out};
use crate::model::company::{CompanyFigure, evaluate};
use crate::model::levers::lever as find_lever;
use crate::model::{Figure, LEVERS, Lever, Reference, RunBuffers, TornadoBar};
use crate::model::{Scenario, sweep_by, tornado_by};
use crate::model::{baseline_run, figure_against};
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
    /// months_of_shortfall or final_dependency; with --company also company_spend,
    /// company_first_year_spend, company_peak_cost_per_unit, company_working_capital,
    /// company_months_of_stoppage or company_stoppage_cost (default company_spend).
    #[arg(long, value_name = "NAME", value_parser = parse_figure)]
    pub figure: Option<Measure>,
    /// A company profile: measure one of its figures.
    #[arg(long, value_name = "PROFILE")]
    pub company: Option<PathBuf>,
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

/// What the sensitivity measures: a market figure or a company figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Measure {
    /// A headline figure of the market run.
    Market(Figure),
    /// A figure of the company profile given with `--company`.
    Company(CompanyFigure),
}

impl Measure {
    fn key(self) -> &'static str {
        match self {
            Measure::Market(f) => f.key(),
            Measure::Company(f) => f.key(),
        }
    }
    fn label(self) -> &'static str {
        match self {
            Measure::Market(f) => f.label(),
            Measure::Company(f) => f.label(),
        }
    }
    fn unit(self) -> &'static str {
        match self {
            Measure::Market(f) => f.unit(),
            Measure::Company(f) => f.unit(),
        }
    }
}

/// A name on the command line that is none of the allowed ones.
#[derive(Debug, thiserror::Error)]
#[error("unknown {what} `{name}`; one of: {allowed}")]
pub struct UnknownName {
    /// What kind of name: "figure", "lever".
    what: &'static str,
    /// The name given.
    name: String,
    /// The names allowed, comma-separated.
    allowed: String,
}

fn parse_figure(text: &str) -> Result<Measure, UnknownName> {
    Figure::from_key(text)
        .map(Measure::Market)
        .or_else(|| CompanyFigure::from_key(text).map(Measure::Company))
        .ok_or_else(|| {
            let keys: Vec<&str> = Figure::ALL
                .iter()
                .map(|f| f.key())
                .chain(CompanyFigure::ALL.iter().map(|f| f.key()))
                .collect();
            UnknownName {
                what: "figure",
                name: text.to_string(),
                allowed: keys.join(", "),
            }
        })
}

fn parse_lever(text: &str) -> Result<&'static Lever, UnknownName> {
    find_lever(text).ok_or_else(|| UnknownName {
        what: "lever",
        name: text.to_string(),
        allowed: LEVERS.iter().map(|l| l.id).collect::<Vec<_>>().join(", "),
    })
}

/// Runs `lodestone sensitivity`.
pub fn run_sensitivity(args: &SensitivityArgs) -> Result<(), Failure> {
    let doc = load(&args.file)?.document;
    let csv = args.csv.as_deref();
    let mut inputs = crate::scenario::input_files(&doc, &args.file);
    inputs.extend(args.company.clone());
    check_outputs(&inputs, &[("--csv", csv)])?;
    let profile = args
        .company
        .as_deref()
        .map(|p| load_company(p, &doc.scenario))
        .transpose()?;
    let measure = match (args.figure, &profile) {
        (Some(Measure::Company(_)), None) => {
            return Err(Failure::Message(
                "a company figure needs a profile: add --company PROFILE".into(),
            ));
        }
        (Some(m), _) => m,
        (None, Some(_)) => Measure::Company(CompanyFigure::Spend),
        (None, None) => Measure::Market(Figure::PeakCost),
    };
    // Extra cost against what `lodestone run` compares with: the named baseline, or each
    // variant's own no-controls run.
    let baseline = if measure == Measure::Market(Figure::ExtraCost) {
        baseline_of(&doc, &args.file)
    } else {
        None
    };
    let reference = baseline
        .as_ref()
        .map_or(Reference::NoControls, |(_, s)| Reference::Baseline(s));
    // A named baseline is the same for every variant: run it once.
    let named_baseline = match measure {
        Measure::Market(f) => baseline_run(f, reference),
        Measure::Company(_) => None,
    };
    let value = |s: &Scenario, buffers: &mut RunBuffers| match (measure, &profile) {
        (Measure::Company(f), Some(p)) => f.value(&evaluate(p, buffers.simulate(s)).headline),
        (Measure::Market(f), _) => figure_against(s, f, named_baseline.as_ref(), buffers),
        (Measure::Company(_), None) => f64::NAN,
    };
    if let Some(lever) = args.sweep {
        let points = sweep_by(&doc.scenario, lever, usize::from(args.points), &value);
        if !is_stdout(csv) {
            outln!("{}", title(&args.file, &doc.meta.name))?;
            print_sweep(lever, measure, (lever.get)(&doc.scenario), &points)?;
        }
        if let Some(out) = csv {
            write_out(out, |w| write_sweep_csv(lever, measure, &points, w))?;
        }
        return Ok(());
    }
    let bars = tornado_by(&doc.scenario, &value);
    if !is_stdout(csv) {
        outln!("{}", title(&args.file, &doc.meta.name))?;
        print_tornado(measure, &bars)?;
    }
    if let Some(out) = csv {
        write_out(out, |w| write_tornado_csv(measure, &bars, w))?;
    }
    Ok(())
}

fn print_tornado(figure: Measure, bars: &[TornadoBar]) -> Result<(), Failure> {
    let unit = figure.unit();
    let base = bars.first().map_or(0.0, |b| b.at_base);
    outln!(
        "Sensitivity of {} ({unit}); at the scenario's values: {base:.2}",
        figure.label().to_lowercase()
    )?;
    outln!("Each lever alone at the low and the high end of its range, largest swing first.")?;
    outln!()?;
    outln!(
        "  {:<22} {:>16} {:>16} {:>12} {:>12} {:>12}",
        "lever",
        "low",
        "high",
        "at low",
        "at high",
        "swing"
    )?;
    for b in bars {
        outln!(
            "  {:<22} {:>16} {:>16} {:>12.2} {:>12.2} {:>12.2}",
            b.lever.id,
            b.lever.format(b.lever.min),
            b.lever.format(b.lever.max),
            b.at_low,
            b.at_high,
            b.effect()
        )?;
    }
    Ok(())
}

fn write_tornado_csv(figure: Measure, bars: &[TornadoBar], w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{}", crate::output::data::csv_stamp())?;
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

fn print_sweep(
    lever: &Lever,
    figure: Measure,
    current: f64,
    points: &[(f64, f64)],
) -> Result<(), Failure> {
    outln!(
        "{} ({}) across {} ({} – {}); the scenario has {}",
        figure.label(),
        figure.unit(),
        lever.label,
        lever.format(lever.min),
        lever.format(lever.max),
        lever.format(current)
    )?;
    outln!()?;
    outln!("  {:>16} {:>14}", lever.id, figure.key())?;
    for (x, y) in points {
        outln!("  {:>16} {y:>14.2}", lever.format(*x))?;
    }
    Ok(())
}

fn write_sweep_csv(
    lever: &Lever,
    figure: Measure,
    points: &[(f64, f64)],
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(w, "{}", crate::output::data::csv_stamp())?;
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
