//! `lodestone export FILE [--png OUT.png] [--svg OUT.svg] [--csv OUT.csv] [--chart NAME]`:
//! rebuilds a deck's charts from scenario files in one headless command.

use super::Failure;
use crate::model::simulate;
use crate::output::figure::document_figure;
use crate::output::{data, png, svg};
use crate::scenario::chart::ChartKind;
use crate::scenario::{self, resolve_baseline};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `lodestone export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Scenario file to export.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write the charts as a PNG (rendered offscreen; no display needed).
    #[arg(long, value_name = "OUT.png")]
    pub png: Option<PathBuf>,
    /// Write the charts as an SVG (vector, for slide decks).
    #[arg(long, value_name = "OUT.svg")]
    pub svg: Option<PathBuf>,
    /// Write every monthly series as tidy CSV (the columns of `run --csv`).
    #[arg(long, value_name = "OUT.csv")]
    pub csv: Option<PathBuf>,
    /// Which chart: all (cost, dependency and Chinese exports stacked), cost, spend,
    /// dependency, shortfall, capacity, stockpile, capex, exports, spot, destroyed (or a
    /// chart's title, as the window shows it).
    #[arg(long, default_value = "all", value_name = "NAME")]
    pub chart: String,
    /// Figure size in pixels at scale 1, WIDTHxHEIGHT.
    #[arg(long, default_value = "1200x900", value_name = "WxH")]
    pub size: String,
    /// PNG pixel scale (2 for projectors); fonts and lines grow with it.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
    /// Leave out the Monte Carlo uncertainty bands (drawn by default, as in the window).
    #[arg(long)]
    pub no_bands: bool,
}

/// Most pixels a PNG export may have (width x height x scale squared): 64 million, a 192 MB
/// image in memory. 8000x8000 at scale 8 would be 4 billion (12 GB).
pub const MAX_EXPORT_PIXELS: f64 = png::MAX_PIXELS;

fn parse_size(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.split_once(['x', 'X'])?;
    let (w, h) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    ((200..=8000).contains(&w) && (150..=8000).contains(&h)).then_some((w, h))
}

/// Runs the subcommand: exit 0 on success, 1 when the file is refused or a write fails,
/// 2 for bad usage.
pub fn run(args: &ExportArgs) -> ExitCode {
    let usage = |m: String| {
        errln!("lodestone export: {m}");
        ExitCode::from(2)
    };
    let charts: Vec<ChartKind> = if args.chart.trim().eq_ignore_ascii_case("all") {
        vec![
            ChartKind::Cost,
            ChartKind::Dependency,
            ChartKind::ChinaExports,
        ]
    } else {
        match ChartKind::by_name(&args.chart) {
            Some(k) => vec![k],
            None => {
                let names: Vec<&str> = ChartKind::ALL.iter().map(|k| k.name()).collect();
                return usage(format!(
                    "unknown chart `{}`; one of: all, {}",
                    args.chart,
                    names.join(", ")
                ));
            }
        }
    };
    let Some(size) = parse_size(&args.size) else {
        return usage(format!("`{}` is not a size such as 1200x900", args.size));
    };
    if !(args.scale.is_finite() && (0.25..=8.0).contains(&args.scale)) {
        return usage(format!("--scale {} is outside 0.25 to 8", args.scale));
    }
    let pixels = f64::from(size.0) * f64::from(size.1) * args.scale * args.scale;
    if args.png.is_some() && pixels > MAX_EXPORT_PIXELS {
        return usage(format!(
            "--size {} at --scale {} is {:.0} million pixels; a PNG may have at most {:.0} million",
            args.size,
            args.scale,
            pixels / 1e6,
            MAX_EXPORT_PIXELS / 1e6
        ));
    }
    if args.png.is_none() && args.svg.is_none() && args.csv.is_none() {
        return usage("nothing to write: give --png, --svg and/or --csv".into());
    }
    match export_file(args, &charts, size) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => usage(m),
        Err(m) => super::finish(Err(m)),
    }
}

fn export_file(args: &ExportArgs, charts: &[ChartKind], size: (u32, u32)) -> Result<(), Failure> {
    let loaded = scenario::load_file(&args.file).map_err(|e| {
        errln!("{e}");
        Failure::Reported
    })?;
    for w in &loaded.warnings {
        errln!("warning: {w}");
    }
    let doc = loaded.document;
    super::check_outputs(
        &scenario::input_files(&doc, &args.file),
        &[
            ("--svg", args.svg.as_deref()),
            ("--png", args.png.as_deref()),
            ("--csv", args.csv.as_deref()),
        ],
    )?;
    let results = simulate(&doc.scenario);
    let name = crate::display::names::scenario_name(&doc.meta.name, Some(&args.file));
    let baseline =
        resolve_baseline(&doc, Some(&args.file)).and_then(|p| match scenario::load_file(&p) {
            Ok(b) => Some((b.document.meta.name.clone(), simulate(&b.document.scenario))),
            Err(e) => {
                errln!(
                    "warning: baseline {} does not load; drawn without it\n{e}",
                    p.display()
                );
                None
            }
        });
    let date = crate::display::format::date(std::time::SystemTime::now());
    let figure = document_figure(
        &name,
        &doc,
        &results,
        baseline.as_ref().map(|(n, r)| (n.as_str(), r)),
        charts,
        &date,
        !args.no_bands,
    );
    let write = |path: &Path, bytes: &[u8]| {
        scenario::atomic::write_atomic(path, bytes).map_err(|e| Failure::Message(e.to_string()))
    };
    if let Some(out) = &args.svg {
        write(
            out,
            svg::to_svg(&figure, size)
                .map_err(|e| Failure::Message(e.to_string()))?
                .as_bytes(),
        )?;
        errln!("wrote {}", out.display());
    }
    if let Some(out) = &args.png {
        write(
            out,
            &png::to_png(&figure, size, args.scale).map_err(|e| Failure::Message(e.to_string()))?,
        )?;
        errln!("wrote {}", out.display());
    }
    if let Some(out) = &args.csv {
        write(out, data::csv_string(&results).as_bytes())?;
        errln!("wrote {}", out.display());
    }
    Ok(())
}
