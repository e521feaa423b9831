//! The cost of a strategy, read four ways: the scenario's diversification (its capex) with
//! and without China's controls, against the same without the capex. A strategist reads off
//! what the diversification costs if China relaxes (the insurance premium) and what it saves
//! if China cuts (the payoff). MODEL.md, section 9.

use super::engine::simulate;
use super::params::Scenario;
use super::results::{Comparison, Results};
use super::units::UsdBillionPerYear;

/// The four runs' costs of the strategy, $ over the horizon, and what they say.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StrategyFigures {
    /// The scenario as it is: its controls, its capex.
    pub with_controls: f64,
    /// Its controls, no diversification capex.
    pub with_controls_no_capex: f64,
    /// No controls, its capex.
    pub without_controls: f64,
    /// No controls, no capex: the calm reference.
    pub without_controls_no_capex: f64,
}

impl StrategyFigures {
    /// What the diversification costs if China relaxes: its capex and offtake premiums in a
    /// calm market, $ (positive: an insurance premium).
    pub fn premium_if_relaxed(&self) -> f64 {
        self.without_controls - self.without_controls_no_capex
    }

    /// What the diversification saves under the scenario's own controls, $ (positive: a
    /// payoff).
    pub fn saving_if_cut(&self) -> f64 {
        self.with_controls_no_capex - self.with_controls
    }

    /// The cost of the strategy under its controls over the calm reference, $.
    pub fn extra_over_calm(&self) -> f64 {
        self.with_controls - self.without_controls_no_capex
    }
}

impl Scenario {
    /// The same scenario without diversification capex.
    pub fn without_capex(&self) -> Self {
        let mut s = self.clone();
        s.levers.capex = UsdBillionPerYear(0.0);
        s
    }

    /// The calm reference "extra cost" is measured against when a file names no baseline:
    /// no export controls and no diversification capex, so the extra cost counts both what
    /// the controls cost and what the strategy spends.
    pub fn reference(&self) -> Self {
        self.without_controls().without_capex()
    }
}

/// Runs the four variants of `scenario` (with and without controls, with and without its
/// capex), each measured against the calm reference over the same horizon so stock held at
/// the end is not counted as spent.
pub fn strategy_figures(scenario: &Scenario) -> StrategyFigures {
    let run = simulate(scenario);
    strategy_figures_with(scenario, &run)
}

/// [`strategy_figures`] for a scenario whose own run is already at hand.
pub fn strategy_figures_with(scenario: &Scenario, run: &Results) -> StrategyFigures {
    strategy_figures_from(scenario, run, &simulate(&scenario.reference()))
}

/// [`strategy_figures`] for a scenario whose own run and calm reference run
/// ([`Scenario::reference`]) are already at hand: two more runs.
pub fn strategy_figures_from(
    scenario: &Scenario,
    run: &Results,
    calm: &Results,
) -> StrategyFigures {
    let against = |r: &Results| Comparison::between(r, calm).extra_cost_usd;
    let calm_cost = calm.headline.strategy_cost_usd;
    StrategyFigures {
        with_controls: calm_cost + against(run),
        with_controls_no_capex: calm_cost + against(&simulate(&scenario.without_capex())),
        without_controls: calm_cost + against(&simulate(&scenario.without_controls())),
        without_controls_no_capex: calm_cost,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calm_reference_has_no_controls_and_no_capex() {
        let s = Scenario::default().reference();
        assert!(s.events.is_empty());
        assert_eq!(s.levers.capex.0, 0.0);
        assert_eq!(s.levers.quota_level.0, 1.0);
    }

    #[test]
    fn the_four_figures_decompose_the_extra_cost() {
        let f = strategy_figures(&Scenario::default());
        let run = simulate(&Scenario::default());
        let calm = simulate(&Scenario::default().reference());
        let extra = Comparison::between(&run, &calm).extra_cost_usd;
        assert!((f.extra_over_calm() - extra).abs() < 1.0);
        // Capex in a calm market is a premium.
        assert!(f.premium_if_relaxed() > 0.0, "{f:?}");
    }
}
