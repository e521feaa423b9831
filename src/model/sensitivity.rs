//! Sensitivity: how much a headline figure moves when one lever goes from the low to the high
//! end of its range (the tornado), and the figure across one lever's whole range (the sweep).

use super::engine::simulate;
use super::levers::{LEVERS, Lever};
use super::params::Scenario;
use super::results::{Comparison, Results};
use rayon::prelude::*;

/// A headline figure to measure sensitivity on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    PeakCost,
    ExtraCost,
    DependencyBelow,
    MonthsOfShortfall,
    FinalDependency,
}

impl Figure {
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

    pub fn label(self) -> &'static str {
        match self {
            Figure::PeakCost => "Peak cost",
            Figure::ExtraCost => "Cumulative extra cost",
            Figure::DependencyBelow => "Dependency below threshold",
            Figure::MonthsOfShortfall => "Months of shortfall",
            Figure::FinalDependency => "Final dependency",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Figure::PeakCost => "$/kg",
            Figure::ExtraCost => "$B",
            Figure::DependencyBelow => "year",
            Figure::MonthsOfShortfall => "months",
            Figure::FinalDependency => "%",
        }
    }

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
    pub lever: &'static Lever,
    /// The figure with the lever at the low and the high end of its range.
    pub at_low: f64,
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

/// Every scenario-wide lever's swing on `figure`, largest first. Extra cost is measured
/// against the scenario's own no-controls counterfactual, held fixed across the levers.
pub fn tornado(scenario: &Scenario, figure: Figure) -> Vec<TornadoBar> {
    let base = simulate(scenario);
    let baseline = simulate(&scenario.without_controls());
    let at_base = figure.value(&base, &baseline);
    let mut bars: Vec<TornadoBar> = LEVERS
        .par_iter()
        .map(|lever| {
            let at = |value: f64| {
                let mut s = scenario.clone();
                (lever.set)(&mut s, value);
                figure.value(&simulate(&s), &baseline)
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
    let baseline = simulate(&scenario.without_controls());
    let n = points.max(2);
    (0..n)
        .into_par_iter()
        .map(|i| {
            let value = lever.min + (lever.max - lever.min) * i as f64 / (n - 1) as f64;
            let mut s = scenario.clone();
            (lever.set)(&mut s, value);
            (value, figure.value(&simulate(&s), &baseline))
        })
        .collect()
}
