//! Drawing only: one file per panel. STUB until the window lands: prints the headline figures.

use std::path::PathBuf;

/// What the command line asks of the window.
#[derive(Debug, Default, Clone)]
pub struct LaunchOptions {
    pub file: Option<PathBuf>,
    pub screenshot: Option<PathBuf>,
}

/// Opens the window (for now: prints the default scenario's headline figures).
pub fn launch(options: LaunchOptions) -> anyhow::Result<()> {
    let doc = match &options.file {
        Some(path) => crate::scenario::load_file(path)?.document,
        None => crate::scenario::default_document(),
    };
    let results = crate::model::simulate(&doc.scenario);
    let h = &results.headline;
    println!("{}", doc.meta.name);
    println!("peak cost            {:.2} $/kg", h.peak_cost_usd_per_kg);
    println!("final dependency     {:.1} %", h.final_dependency * 100.0);
    println!("months of shortfall  {}", h.months_of_shortfall);
    Ok(())
}
