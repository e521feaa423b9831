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
    // Hand check on the default scenario: the peak is the May 2025 licensing trough. Scarcity
    // sensitivity scales that spike directly (0 -> no premium, 20 -> five times the default's),
    // so it swings the peak most. Next come the two ways to starve exports almost completely:
    // a 12-month licensing lag (1 % of the quota released in May 2025) and an embargo from 2026
    // (quota 0 %), each pricing at ~0.8 tightness. Capex and permitting act from 2027 at the
    // earliest and never lower a 2025 peak, and the ramp-up and learning only touch new plants:
    // their swings are exactly 0.
    let bars = tornado(&Scenario::default(), Figure::PeakCost);
    assert_eq!(bars.len(), lodestone::model::LEVERS.len());
    assert_eq!(bars[0].lever.id, "scarcity_sensitivity");
    let mut next: Vec<&str> = bars[1..3].iter().map(|b| b.lever.id).collect();
    next.sort_unstable();
    assert_eq!(next, ["licensing_lag", "quota_level"]);
    for id in [
        "capex",
        "capex_years",
        "permitting_delay",
        "construction",
        "ramp_up",
        "learning_rate",
    ] {
        assert_eq!(effect_of(&bars, id), 0.0, "{id}");
    }
    for pair in bars.windows(2) {
        assert!(pair[0].effect() >= pair[1].effect(), "sorted by effect");
    }
    let quota = bars
        .iter()
        .find(|b| b.lever.id == "quota_level")
        .expect("quota bar");
    assert!(quota.at_low > quota.at_base && quota.at_high == quota.at_base);
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
