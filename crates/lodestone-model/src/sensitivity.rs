//! Sensitivity: how much a headline figure moves when one lever goes from the low to the high
//! end of its range (the tornado), and the figure across one lever's whole range (the sweep).

use super::engine::{Workspace, simulate, simulate_into};
use super::levers::{LEVERS, Lever};
use super::params::Scenario;
use super::results::{Comparison, Results};
use rayon::prelude::*;

/// A headline figure to measure sensitivity on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Highest aggregate average procurement cost from the decision date on, $/kg.
    PeakCost,
    /// Extra cost against the reference run over the horizon, $B.
    ExtraCost,
    /// Decimal year from which dependency stays below the threshold (the horizon's end if never).
    DependencyBelow,
    /// Months in which aggregate shortfall exceeds the threshold.
    MonthsOfShortfall,
    /// Dependency at the last step, %.
    FinalDependency,
}

impl Figure {
    /// Every figure, in the order the pickers list them.
    pub const ALL: [Figure; 5] = [
        Figure::PeakCost,
        Figure::ExtraCost,
        Figure::DependencyBelow,
        Figure::MonthsOfShortfall,
        Figure::FinalDependency,
    ];

    /// Stable name for the command line.
    pub fn key(self) -> &'static str {
        match self {
            Figure::PeakCost => "peak_cost",
            Figure::ExtraCost => "extra_cost",
            Figure::DependencyBelow => "dependency_below",
            Figure::MonthsOfShortfall => "months_of_shortfall",
            Figure::FinalDependency => "final_dependency",
        }
    }

    /// Label for pickers and axis titles.
    pub fn label(self) -> &'static str {
        match self {
            Figure::PeakCost => "Peak cost",
            Figure::ExtraCost => "Cumulative extra cost",
            Figure::DependencyBelow => "Dependency below threshold",
            Figure::MonthsOfShortfall => "Months of shortfall",
            Figure::FinalDependency => "Final dependency",
        }
    }

    /// Unit of the figure's value, e.g. "$/kg" or "months".
    pub fn unit(self) -> &'static str {
        match self {
            Figure::PeakCost => "$/kg",
            Figure::ExtraCost => "$B",
            Figure::DependencyBelow => "year",
            Figure::MonthsOfShortfall => "months",
            Figure::FinalDependency => "%",
        }
    }

    /// The figure with this command-line name, if any.
    pub fn from_key(key: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The figure of a run. "Dependency below" is the decimal year it first happens, or the
    /// end of the horizon when it never does; "extra cost" is against `baseline`.
    pub fn value(self, run: &Results, baseline: &Results) -> f64 {
        let h = &run.headline;
        match self {
            Figure::PeakCost => h.peak_cost_usd_per_kg,
            Figure::ExtraCost => Comparison::between(run, baseline).extra_cost_usd / 1e9,
            Figure::DependencyBelow => match h.dependency_below_threshold {
                Some(date) => date.decimal_year(),
                None => run.time.last().map_or(0.0, |t| t + run.step_months / 12.0),
            },
            Figure::MonthsOfShortfall => h.months_of_shortfall,
            Figure::FinalDependency => h.final_dependency * 100.0,
        }
    }
}

/// One bar of the tornado.
#[derive(Clone, Debug)]
pub struct TornadoBar {
    /// The lever moved across its range.
    pub lever: &'static Lever,
    /// The figure with the lever at the low and the high end of its range.
    pub at_low: f64,
    /// The figure with the lever at the high end of its range.
    pub at_high: f64,
    /// The figure at the scenario's own value.
    pub at_base: f64,
}

impl TornadoBar {
    /// Size of the swing, the sort key.
    pub fn effect(&self) -> f64 {
        (self.at_high - self.at_low).abs()
    }
}

/// What a variant's extra cost is measured against, exactly as a run measures it: the
/// scenario's baseline when it names one, else each variant's own no-controls run (so a
/// variant of demand growth is compared with no controls at that demand growth).
#[derive(Clone, Copy, Debug, Default)]
pub enum Reference<'a> {
    /// Each variant against its own run without controls.
    #[default]
    NoControls,
    /// Every variant against the scenario's named baseline.
    Baseline(&'a Scenario),
}

/// Buffers a sensitivity worker reuses from variant to variant: a tornado runs 63 variants, and
/// each would otherwise allocate, zero and free its result buffers (the results are the same
/// bit for bit, as `simulate_into` promises).
#[derive(Debug)]
pub struct RunBuffers {
    workspace: Workspace,
    run: Results,
    /// The variant's own run without controls (extra cost only).
    reference: Results,
}

impl Default for RunBuffers {
    fn default() -> Self {
        Self {
            workspace: Workspace::default(),
            run: Results::empty(),
            reference: Results::empty(),
        }
    }
}

impl RunBuffers {
    /// Runs `scenario` into reused buffers (what `simulate` returns).
    pub fn simulate(&mut self, scenario: &Scenario) -> &Results {
        simulate_into(scenario, &mut self.workspace, &mut self.run);
        &self.run
    }
}

/// The run every variant's extra cost is measured against when the scenario names a baseline:
/// the same for all variants, so it is run once. `None` when `figure` needs no baseline run.
pub fn baseline_run(figure: Figure, reference: Reference<'_>) -> Option<Results> {
    match (figure, reference) {
        (Figure::ExtraCost, Reference::Baseline(base)) => Some(simulate(base)),
        _ => None,
    }
}

/// The figure of one variant, as `lodestone run --set` computes it.
pub fn figure_of(variant: &Scenario, figure: Figure, reference: Reference<'_>) -> f64 {
    let baseline = baseline_run(figure, reference);
    figure_against(
        variant,
        figure,
        baseline.as_ref(),
        &mut RunBuffers::default(),
    )
}

/// [`figure_of`] in reused buffers, with the named baseline already run (from
/// [`baseline_run`]); without one, extra cost is against the variant's own no-controls run.
pub fn figure_against(
    variant: &Scenario,
    figure: Figure,
    baseline: Option<&Results>,
    buffers: &mut RunBuffers,
) -> f64 {
    let RunBuffers {
        workspace,
        run,
        reference,
    } = buffers;
    simulate_into(variant, workspace, run);
    // Only extra cost reads a reference run; spare the second run otherwise.
    if figure != Figure::ExtraCost {
        return figure.value(run, run);
    }
    let against = match baseline {
        Some(base) => base,
        None => {
            simulate_into(&variant.reference(), workspace, reference);
            reference
        }
    };
    figure.value(run, against)
}

/// Every scenario-wide lever's swing on `figure`, largest first, each variant's figure
/// computed as a run of it computes it (extra cost against the scenario's own no-controls run).
pub fn tornado(scenario: &Scenario, figure: Figure) -> Vec<TornadoBar> {
    tornado_against(scenario, figure, Reference::NoControls)
}

/// [`tornado`] with extra cost measured against `reference`.
pub fn tornado_against(
    scenario: &Scenario,
    figure: Figure,
    reference: Reference<'_>,
) -> Vec<TornadoBar> {
    let baseline = baseline_run(figure, reference);
    tornado_by(scenario, &|s, b| {
        figure_against(s, figure, baseline.as_ref(), b)
    })
}

/// Every scenario-wide lever's swing on any figure of a variant (a company's spend, say),
/// largest first. `figure_of` gets buffers to run the variant in, reused by each worker.
pub fn tornado_by(
    scenario: &Scenario,
    figure_of: &(dyn Fn(&Scenario, &mut RunBuffers) -> f64 + Sync),
) -> Vec<TornadoBar> {
    let at_base = figure_of(scenario, &mut RunBuffers::default());
    let mut bars: Vec<TornadoBar> = LEVERS
        .par_iter()
        .map_init(RunBuffers::default, |buffers, lever| {
            let mut at = |value: f64| {
                let mut s = scenario.clone();
                (lever.set)(&mut s, value);
                figure_of(&s, buffers)
            };
            TornadoBar {
                lever,
                at_low: at(lever.min),
                at_high: at(lever.max),
                at_base,
            }
        })
        .collect();
    // Stable order for equal effects: the lever table's order.
    bars.sort_by(|a, b| b.effect().total_cmp(&a.effect()));
    bars
}

/// The figure at `points` evenly spaced values across `lever`'s range (at least two).
pub fn sweep(scenario: &Scenario, lever: &Lever, figure: Figure, points: usize) -> Vec<(f64, f64)> {
    sweep_against(scenario, lever, figure, points, Reference::NoControls)
}

/// [`sweep`] with extra cost measured against `reference`.
pub fn sweep_against(
    scenario: &Scenario,
    lever: &Lever,
    figure: Figure,
    points: usize,
    reference: Reference<'_>,
) -> Vec<(f64, f64)> {
    let baseline = baseline_run(figure, reference);
    sweep_by(scenario, lever, points, &|s, b| {
        figure_against(s, figure, baseline.as_ref(), b)
    })
}

/// Any figure of a variant at `points` evenly spaced values across `lever`'s range.
pub fn sweep_by(
    scenario: &Scenario,
    lever: &Lever,
    points: usize,
    figure_of: &(dyn Fn(&Scenario, &mut RunBuffers) -> f64 + Sync),
) -> Vec<(f64, f64)> {
    let n = points.max(2);
    (0..n)
        .into_par_iter()
        .map_init(RunBuffers::default, |buffers, i| {
            let value = lever.min + (lever.max - lever.min) * i as f64 / (n - 1) as f64;
            let mut s = scenario.clone();
            (lever.set)(&mut s, value);
            (value, figure_of(&s, buffers))
        })
        .collect()
}
