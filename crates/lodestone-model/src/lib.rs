//! The rare-earth supply model. Pure: a [`Scenario`] in, [`Results`] out; no UI types, no IO,
//! no clock, no global state. MODEL.md documents every mechanism with its equation and sources.
//!
//! Its own crate so that the compiler keeps it pure (it depends on serde and rayon alone) and
//! its tests run without building the window: `cargo test -p lodestone-model`.

#![forbid(unsafe_code)]

pub mod company;
pub mod engine;
mod fast;
pub mod levers;
pub mod market;
pub mod params;
pub mod regime;
pub mod results;
pub mod robust;
pub mod seek;
pub mod sensitivity;
pub mod strategy;
pub mod targets;
pub mod time;
pub mod uncertainty;
pub mod units;

pub use company::{CompanyResults, Profile, evaluate as evaluate_company};
pub use engine::{Workspace, simulate, simulate_into};
pub use levers::{LEVERS, Lever, LeverGroup, MATERIAL_LEVERS, MaterialLever};
pub use params::{
    Assumptions, EventKind, Levers, Material, PolicyEvent, PricePoint, Scenario, Spread,
    Uncertainty,
};
pub use results::{Comparison, Headline, MaterialResults, Results, SeriesId, SeriesSet, Summary};
pub use sensitivity::{
    Figure, Reference, RunBuffers, TornadoBar, baseline_run, figure_against, figure_of, sweep,
    sweep_against, sweep_by, tornado, tornado_against, tornado_by,
};
pub use strategy::{
    StrategyFigures, strategy_figures, strategy_figures_from, strategy_figures_with,
};
pub use targets::{Target, TargetCheck, TargetKind, Targets};
pub use time::{Horizon, Resolution, YearMonth};
pub use uncertainty::{
    Band, Bands, CompanyBands, PathRuns, company_monte_carlo, monte_carlo, path_runs,
};
