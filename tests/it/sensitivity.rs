//! The tornado and the one-lever sweep.

use lodestone::model::levers::lever;
use lodestone::model::{Figure, Scenario, sweep, tornado};

fn effect_of(bars: &[lodestone::model::TornadoBar], id: &str) -> f64 {
    bars.iter()
        .find(|b| b.lever.id == id)
        .map(|b| b.effect())
        .unwrap_or(f64::NAN)
}

#[test]
fn tornado_of_peak_cost_matches_the_hand_checked_order() {
    // Hand check on the default scenario: the peak counts from the decision date (2026-01),
    // after the 2025 record. An embargo from 2026 (quota 0 %) swings it most; next come the
    // two ways licensing keeps starving the controlled elements after 2026 (30 % of what
    // buyers ask released, or a 12-month lag). Levers that act only while a cap binds or that price stock rather than
    // consumption barely move the 2026-on peak, since little binds then.
    let bars = tornado(&Scenario::default(), Figure::PeakCost);
    assert_eq!(bars.len(), lodestone::model::LEVERS.len());
    assert_eq!(bars[0].lever.id, "quota_level");
    let mut next: Vec<&str> = bars[1..3].iter().map(|b| b.lever.id).collect();
    next.sort_unstable();
    assert_eq!(next, ["licensing_lag", "licensing_release"]);
    for id in [
        "smuggling_leakage",
        "smuggling_premium",
        "non_china_headroom",
        "uncertainty_markup",
        "carrying_cost",
    ] {
        assert!(effect_of(&bars, id) < 0.01 * bars[0].effect(), "{id}");
    }
    for pair in bars.windows(2) {
        assert!(pair[0].effect() >= pair[1].effect(), "sorted by effect");
    }
    let quota = bars
        .iter()
        .find(|b| b.lever.id == "quota_level")
        .expect("quota bar");
    assert!(
        // A quota above 100 % changes nothing but rounding.
        quota.at_low > 5.0 * quota.at_base && quota.at_high <= quota.at_base * (1.0 + 1e-9),
        "{quota:?}"
    );
}

#[test]
fn tornado_of_final_dependency_is_led_by_diversification() {
    let bars = tornado(&Scenario::default(), Figure::FinalDependency);
    let top: Vec<&str> = bars.iter().take(3).map(|b| b.lever.id).collect();
    assert!(top.contains(&"capex"), "{top:?}");
    let capex = bars
        .iter()
        .find(|b| b.lever.id == "capex")
        .expect("capex bar");
    assert!(capex.at_high < capex.at_low, "more capex, less dependency");
    let permits = bars
        .iter()
        .find(|b| b.lever.id == "permitting_delay")
        .expect("bar");
    assert!(
        permits.at_high > permits.at_low,
        "slower permits, more dependency in 2040"
    );
}

#[test]
fn sweep_of_quota_level_is_monotone_in_peak_cost() {
    let quota = lever("quota_level").expect("lever");
    let points = sweep(&Scenario::default(), quota, Figure::PeakCost, 16);
    assert_eq!(points.len(), 16);
    assert_eq!(points[0].0, quota.min);
    assert_eq!(points[15].0, quota.max);
    for pair in points.windows(2) {
        assert!(
            pair[1].1 <= pair[0].1 + 1e-9,
            "peak cost never rises with the quota: {pair:?}"
        );
    }
    assert!(points[0].1 > points[15].1);
}

/// Each bar's ends are the figure `lodestone run --set LEVER=VALUE` computes: the variant run
/// against its own no-controls counterfactual (or the named baseline), for every lever and
/// figure; and the sweep agrees with the tornado at the range's ends.
#[test]
fn tornado_and_sweep_match_run_for_every_lever_and_figure() {
    use lodestone::model::{Comparison, Reference, simulate, sweep_against, tornado_against};
    let s = Scenario::default();
    let as_run = |variant: &Scenario, figure: Figure, baseline: Option<&Scenario>| {
        let run = simulate(variant);
        let reference = match baseline {
            Some(b) => simulate(b),
            None => simulate(&variant.reference()),
        };
        match figure {
            Figure::ExtraCost => Comparison::between(&run, &reference).extra_cost_usd / 1e9,
            _ => figure.value(&run, &reference),
        }
    };
    let mut named = Scenario::default();
    named.levers.quota_level.0 = 0.8;
    for baseline in [None, Some(&named)] {
        let reference = baseline.map_or(Reference::NoControls, Reference::Baseline);
        for figure in Figure::ALL {
            for bar in tornado_against(&s, figure, reference) {
                for (value, got) in [(bar.lever.min, bar.at_low), (bar.lever.max, bar.at_high)] {
                    let mut variant = s.clone();
                    (bar.lever.set)(&mut variant, value);
                    let want = as_run(&variant, figure, baseline);
                    assert_eq!(
                        got.to_bits(),
                        want.to_bits(),
                        "{} {:?} at {value}: {got} vs {want}",
                        bar.lever.id,
                        figure
                    );
                }
            }
        }
        let growth = lever("demand_growth").expect("lever");
        let points = sweep_against(&s, growth, Figure::ExtraCost, 2, reference);
        let mut high = s.clone();
        (growth.set)(&mut high, growth.max);
        assert_eq!(
            points[1].1.to_bits(),
            as_run(&high, Figure::ExtraCost, baseline).to_bits()
        );
    }
}

/// The Sensitivity tab's "N runs" counts the runs the figure really takes: extra cost doubles
/// them with each variant's no-controls run, a named baseline adds one run per tornado and
/// sweep, other figures need only the variants.
#[test]
fn the_sensitivity_run_count_follows_the_figure_and_reference() {
    use lodestone::app::analysis::{SensitivityRequest, compute_sensitivity};
    use lodestone::model::LEVERS;
    let request = |figure, baseline| SensitivityRequest {
        scenario: Scenario::default(),
        figure,
        lever: "quota_level",
        points: 5,
        baseline,
    };
    let runs = |r: &SensitivityRequest| {
        compute_sensitivity(r, &|| false)
            .expect("not cancelled")
            .runs
    };
    let variants = 1 + 2 * LEVERS.len() + 5;
    assert_eq!(runs(&request(Figure::PeakCost, None)), variants);
    assert_eq!(runs(&request(Figure::ExtraCost, None)), 2 * variants);
    assert_eq!(
        runs(&request(Figure::ExtraCost, Some(Scenario::default()))),
        variants + 2
    );
}
