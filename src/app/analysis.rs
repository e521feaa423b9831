//! Analyses too slow for the UI thread: the Monte Carlo percentile bands of the active
//! scenario, and its sensitivity (tornado and one-lever sweep). Each runs as a latest-wins
//! [`LatestJob`] on a worker thread (the model parallelises further on rayon). The app asks
//! for them once per frame with the current scenario; an unchanged scenario asks for nothing,
//! a changed one cancels the running request. Answers are only ever looked up *for* a
//! scenario, so an answer computed from an older scenario is never drawn.
//!
//! No drawing here: `crate::ui::bands` and `crate::ui::sensitivity` draw these results.

use super::view::{ChartKind, ViewState};
use super::worker::{Done, LatestJob};
use crate::model::company::Profile;
use crate::model::levers::lever as find_lever;
use crate::model::{
    Band, Bands, Figure, LEVERS, Lever, Reference, Scenario, SeriesId, TornadoBar, monte_carlo,
    sweep_against, tornado_against,
};
use crate::model::{CompanyBands, company_monte_carlo};
use std::time::Duration;

/// Points of the one-lever sweep.
pub const SWEEP_POINTS: usize = 41;

/// One chart's bands in plot coordinates (the chart's unit, log where the chart is).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlotBand {
    /// Start of each step as a decimal year.
    pub x: Vec<f64>,
    /// 10th percentile across paths, per step, in plot coordinates.
    pub p10: Vec<f64>,
    /// 25th percentile across paths, per step, in plot coordinates.
    pub p25: Vec<f64>,
    /// Median across paths, per step, in plot coordinates.
    pub p50: Vec<f64>,
    /// 75th percentile across paths, per step, in plot coordinates.
    pub p75: Vec<f64>,
    /// 90th percentile across paths, per step, in plot coordinates.
    pub p90: Vec<f64>,
}

impl PlotBand {
    fn from_band(x: &[f64], band: &Band, to_plot: impl Fn(f64) -> f64) -> Self {
        let map = |v: &[f64]| v.iter().map(|&y| to_plot(y)).collect::<Vec<_>>();
        Self {
            x: x.to_vec(),
            p10: map(&band.p10),
            p25: map(&band.p25),
            p50: map(&band.p50),
            p75: map(&band.p75),
            p90: map(&band.p90),
        }
    }

    /// Whether every percentile has one value per x (a drawable band).
    pub fn is_consistent(&self) -> bool {
        let n = self.x.len();
        n > 1
            && [&self.p10, &self.p25, &self.p50, &self.p75, &self.p90]
                .iter()
                .all(|v| v.len() == n)
    }
}

/// The bands of one scenario, ready to chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BandsOutput {
    /// The Monte Carlo run as the model returns it (model units).
    pub bands: Bands,
    /// Aggregate cost ($/kg, log axis), dependency (%) and shortfall (t/yr).
    pub cost: PlotBand,
    /// Aggregate dependency band, %.
    pub dependency: PlotBand,
    /// Aggregate shortfall band, t/yr.
    pub shortfall: PlotBand,
}

impl BandsOutput {
    /// The band drawn on a chart, if that chart has one.
    pub fn for_chart(&self, kind: ChartKind) -> Option<&PlotBand> {
        match kind.banded_series()? {
            SeriesId::Cost => Some(&self.cost),
            SeriesId::Dependency => Some(&self.dependency),
            SeriesId::Shortfall => Some(&self.shortfall),
            _ => None,
        }
    }
}

/// Runs the Monte Carlo paths of `scenario` and converts the bands to plot coordinates.
pub fn compute_bands(
    scenario: &Scenario,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<BandsOutput> {
    let bands = monte_carlo(scenario, &scenario.uncertainty, cancelled)?;
    let empty = Band::default();
    let band = |id| bands.band(id).unwrap_or(&empty);
    let cost_kind = ChartKind::Cost;
    let cost = PlotBand::from_band(&bands.time, band(SeriesId::Cost), |y| {
        cost_kind.to_plot(y * cost_kind.scale())
    });
    let dependency = PlotBand::from_band(&bands.time, band(SeriesId::Dependency), |y| {
        y * ChartKind::Dependency.scale()
    });
    let shortfall = PlotBand::from_band(&bands.time, band(SeriesId::Shortfall), |y| {
        y * ChartKind::Shortfall.scale()
    });
    Some(BandsOutput {
        bands,
        cost,
        dependency,
        shortfall,
    })
}

/// What the sensitivity panel asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivityRequest {
    /// The scenario whose levers are moved (the active one).
    pub scenario: Scenario,
    /// The headline figure measured.
    pub figure: Figure,
    /// Id of the swept lever (in [`LEVERS`]).
    pub lever: &'static str,
    /// Number of evenly spaced values of the sweep across the lever's range.
    pub points: usize,
    /// The baseline extra cost is measured against (`None`: each variant's own no-controls
    /// run), as the headline strip measures it.
    pub baseline: Option<Scenario>,
}

/// The tornado and the sweep of one scenario.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    /// Largest effect first.
    pub bars: Vec<TornadoBar>,
    /// (lever value, figure) across the lever's range.
    pub sweep: Vec<(f64, f64)>,
    /// Model runs the tornado and the sweep took.
    pub runs: usize,
}

/// Computes the tornado, then the sweep (a cancelled request stops between the two).
pub fn compute_sensitivity(
    request: &SensitivityRequest,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Sensitivity> {
    let reference = request
        .baseline
        .as_ref()
        .map_or(Reference::NoControls, Reference::Baseline);
    let bars = tornado_against(&request.scenario, request.figure, reference);
    if cancelled() {
        return None;
    }
    let sweep = find_lever(request.lever)
        .map(|lever| {
            sweep_against(
                &request.scenario,
                lever,
                request.figure,
                request.points,
                reference,
            )
        })
        .unwrap_or_default();
    // Every variant once (the tornado's unvaried scenario, each lever at both ends, each sweep
    // point); extra cost adds each variant's no-controls run, or the named baseline once per
    // tornado and once per sweep.
    let variants = 1 + 2 * LEVERS.len() + sweep.len();
    let runs = match (request.figure, reference) {
        (Figure::ExtraCost, Reference::NoControls) => 2 * variants,
        (Figure::ExtraCost, Reference::Baseline(_)) => {
            variants + 1 + usize::from(!sweep.is_empty())
        }
        _ => variants,
    };
    (!cancelled()).then_some(Sensitivity { bars, sweep, runs })
}

/// What the company view asks the Monte Carlo for: one profile on one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct CompanyRequest {
    /// The scenario (its uncertainty section sets the paths and the seed).
    pub scenario: Scenario,
    /// The profile evaluated on every path.
    pub profile: Profile,
}

/// The spread of the company's annual spend and its chance of a stoppage over the paths.
pub fn compute_company(
    request: &CompanyRequest,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<CompanyBands> {
    company_monte_carlo(
        &request.scenario,
        &request.scenario.uncertainty,
        &request.profile,
        cancelled,
    )
}

/// The figure the sensitivity panel shows (peak cost when the stored key is unknown).
pub fn chosen_figure(view: &ViewState) -> Figure {
    Figure::from_key(&view.sensitivity_figure).unwrap_or(Figure::PeakCost)
}

/// The lever the sweep varies (the first lever when the stored id is unknown).
pub fn chosen_lever(view: &ViewState) -> &'static Lever {
    find_lever(&view.sweep_lever).unwrap_or(&LEVERS[0])
}

/// The background analyses of the window.
#[derive(Debug)]
pub struct Analysis {
    /// Monte Carlo bands of the active scenario.
    pub bands: LatestJob<Scenario, BandsOutput>,
    /// Tornado and one-lever sweep of the active scenario.
    pub sensitivity: LatestJob<SensitivityRequest, Sensitivity>,
    /// The open company profile over the Monte Carlo paths of the active scenario.
    pub company: LatestJob<CompanyRequest, CompanyBands>,
}

impl Default for Analysis {
    fn default() -> Self {
        Self {
            bands: LatestJob::new("bands", compute_bands),
            sensitivity: LatestJob::new("sensitivity", compute_sensitivity),
            company: LatestJob::new("company", compute_company),
        }
    }
}

impl Analysis {
    /// The context woken when an answer arrives.
    pub fn set_repaint_context(&mut self, ctx: &egui::Context) {
        self.bands.set_repaint_context(ctx);
        self.sensitivity.set_repaint_context(ctx);
        self.company.set_repaint_context(ctx);
    }

    /// Collects answers and asks for what the view shows of `scenario`: called once per frame
    /// after the model re-ran. Cheap when nothing changed (one scenario comparison per job).
    pub fn update(
        &mut self,
        scenario: &Scenario,
        baseline: Option<&Scenario>,
        profile: Option<&Profile>,
        view: &ViewState,
    ) {
        self.bands.poll();
        self.sensitivity.poll();
        self.company.poll();
        match profile {
            Some(profile) if view.show_company || view.show_goals => {
                self.company.request(&CompanyRequest {
                    scenario: scenario.clone(),
                    profile: profile.clone(),
                })
            }
            _ => self.company.cancel(),
        }
        if view.show_bands {
            self.bands.request(scenario);
        } else {
            self.bands.cancel();
        }
        if view.show_sensitivity {
            self.sensitivity.request(&SensitivityRequest {
                scenario: scenario.clone(),
                figure: chosen_figure(view),
                lever: chosen_lever(view).id,
                points: SWEEP_POINTS,
                baseline: baseline.cloned(),
            });
        } else {
            self.sensitivity.cancel();
        }
    }

    /// The bands of exactly `scenario`, once they have arrived.
    pub fn bands_for(&self, scenario: &Scenario) -> Option<&Done<Scenario, BandsOutput>> {
        self.bands.latest_for(scenario)
    }

    /// The sensitivity of exactly `scenario` (for whatever figure and lever were asked).
    pub fn sensitivity_for(
        &self,
        scenario: &Scenario,
    ) -> Option<&Done<SensitivityRequest, Sensitivity>> {
        self.sensitivity
            .latest()
            .filter(|d| d.key.scenario == *scenario)
    }

    /// The company spread of exactly this profile on exactly this scenario, once arrived.
    pub fn company_for(&self, scenario: &Scenario, profile: &Profile) -> Option<&CompanyBands> {
        self.company
            .latest()
            .filter(|d| d.key.scenario == *scenario && d.key.profile == *profile)
            .map(|d| &d.value)
    }

    /// True while any analysis waits for its answer.
    pub fn busy(&self) -> bool {
        self.bands.busy() || self.sensitivity.busy() || self.company.busy()
    }

    /// Waits (bounded) for every pending answer: tests and the screenshot mode only.
    pub fn wait(&mut self, timeout: Duration) {
        self.bands.wait(timeout);
        self.sensitivity.wait(timeout);
        self.company.wait(timeout);
    }
}
