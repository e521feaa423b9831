//! `lodestone bands`: the Monte Carlo percentiles of a scenario file's uncertain inputs, as a
//! table on stdout or every step's bands as CSV. A thin caller of `crate::model::monte_carlo`.

use super::run::load_company;
use super::{Failure, check_outputs, is_stdout, load, title, write_out};
use crate::display::headline::millions;
use crate::model::company::Profile;
use crate::model::uncertainty::BANDED;
use crate::model::{Bands, CompanyBands, company_monte_carlo, monte_carlo};
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;

/// Arguments of `lodestone bands`.
#[derive(Debug, Args)]
pub struct BandsArgs {
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Number of paths (default: the file's `uncertainty.paths`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub paths: Option<u32>,
    /// Seed of the random draws (default: the file's `uncertainty.seed`).
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,
    /// A company profile: the spread of its annual spend and the chance of a line stoppage
    /// over the same paths.
    #[arg(long, value_name = "PROFILE")]
    pub company: Option<PathBuf>,
    /// Write every step's P10/P25/P50/P75/P90 of cost, dependency and shortfall share as CSV;
    /// `-` for stdout.
    #[arg(long, value_name = "OUT.csv")]
    pub csv: Option<PathBuf>,
}

/// Runs `lodestone bands`.
pub fn run_bands(args: &BandsArgs) -> Result<(), Failure> {
    let doc = load(&args.file)?.document;
    let mut inputs = crate::scenario::input_files(&doc, &args.file);
    inputs.extend(args.company.clone());
    check_outputs(&inputs, &[("--csv", args.csv.as_deref())])?;
    let mut u = doc.scenario.uncertainty.clone();
    if let Some(paths) = args.paths {
        if let Some(m) =
            crate::scenario::validate::path_months_problem(paths, doc.scenario.horizon.months())
        {
            return Err(Failure::Usage(format!("--paths: {m}")));
        }
        u.paths = paths;
    }
    if let Some(seed) = args.seed {
        u.seed = seed;
    }
    let bands = monte_carlo(&doc.scenario, &u, &|| false)
        .ok_or_else(|| Failure::Message("the Monte Carlo run was cancelled".into()))?;
    let csv = args.csv.as_deref();
    if !is_stdout(csv) {
        outln!("{}", title(&args.file, &doc.meta.name))?;
        print_bands(&bands, u.seed)?;
    }
    if let Some(path) = &args.company {
        let profile = load_company(path, &doc.scenario)?;
        let company = company_monte_carlo(&doc.scenario, &u, &profile, &|| false)
            .ok_or_else(|| Failure::Message("the Monte Carlo run was cancelled".into()))?;
        if !is_stdout(csv) {
            print_company_bands(&profile, &company)?;
        }
    }
    if let Some(out) = csv {
        write_out(out, |w| write_bands_csv(&bands, w))?;
    }
    Ok(())
}

fn print_bands(bands: &Bands, seed: u64) -> Result<(), Failure> {
    outln!("Uncertainty: {} paths, seed {seed}", bands.paths)?;
    outln!(
        "  {:<40} {:.2} / {:.2} / {:.2} $/kg",
        "peak cost P10 / P50 / P90",
        bands.peak_cost_percentile(10.0),
        bands.peak_cost_percentile(50.0),
        bands.peak_cost_percentile(90.0)
    )?;
    outln!(
        "  {:<40} {:.1} %",
        "P(at least one month of shortfall)",
        bands.shortfall_probability * 100.0
    )?;
    Ok(())
}

fn print_company_bands(profile: &Profile, company: &CompanyBands) -> Result<(), Failure> {
    let name = if profile.name.is_empty() {
        "company"
    } else {
        &profile.name
    };
    outln!("  {name}:")?;
    outln!(
        "  {:<40} {} / {} / {}",
        "annual spend P10 / P50 / P90",
        millions(company.annual_spend_percentile(10.0)),
        millions(company.annual_spend_percentile(50.0)),
        millions(company.annual_spend_percentile(90.0)),
    )?;
    outln!(
        "  {:<40} {:.1} %",
        "P(at least one month of line stoppage)",
        company.stoppage_probability * 100.0
    )?;
    Ok(())
}

fn write_bands_csv(bands: &Bands, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "{}", crate::output::data::csv_stamp())?;
    writeln!(w, "date,series,p10,p25,p50,p75,p90")?;
    for id in BANDED {
        let Some(band) = bands.band(id) else {
            continue;
        };
        let name = id.key();
        for (i, date) in bands.dates.iter().enumerate() {
            let at = |v: &[f64]| v.get(i).copied().unwrap_or(f64::NAN);
            writeln!(
                w,
                "{date},{name},{},{},{},{},{}",
                at(&band.p10),
                at(&band.p25),
                at(&band.p50),
                at(&band.p75),
                at(&band.p90)
            )?;
        }
    }
    Ok(())
}
