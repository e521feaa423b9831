//! Company profiles: the shipped examples load and tell their stories, the company results
//! hold their properties over the profile's ranges, and the CLI prints and refuses them.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestone::model::company::{Contract, Need, Pricing, Profile, evaluate};
use lodestone::model::{Scenario, SeriesId, simulate};
use lodestone::scenario::load_file;
use lodestone::scenario::profile::load_profile_file;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

use crate::common::{lodestone, scenario, text};

fn profile(name: &str) -> Profile {
    load_profile_file(&profile_path(name)).expect("shipped profile loads")
}

fn profile_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("profiles")
        .join(name)
}

/// The shipped November 2025 scenario with China's quota at `level` from the decision date.
fn pause_at(level: f64) -> Scenario {
    let mut s = load_file(&scenario("pause-2025-11.ron"))
        .expect("loads")
        .document
        .scenario;
    s.levers.quota_level.0 = level;
    s
}

#[test]
fn every_shipped_profile_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("profiles/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ron") {
            load_profile_file(&path).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert_eq!(n, 3);
}

#[test]
fn the_ev_makers_offtakes_keep_more_of_its_line_running_in_an_embargo() {
    let run = simulate(&pause_at(0.0));
    let with = profile("ev-maker.ron");
    let mut without = with.clone();
    for need in &mut without.materials {
        need.contracts.retain(|c| !c.non_china);
    }
    let (a, b) = (evaluate(&with, &run), evaluate(&without, &run));
    // Stoppage cost weighs each month by the share of the line standing still.
    assert!(
        a.headline.stoppage_cost_usd < 0.8 * b.headline.stoppage_cost_usd,
        "with the offtakes {}, without {}",
        a.headline.stoppage_cost_usd,
        b.headline.stoppage_cost_usd
    );
    assert!(a.headline.months_of_stoppage <= b.headline.months_of_stoppage);
    // In a calm market the floor costs money: security is not free.
    let calm = simulate(&pause_at(1.0));
    assert!(
        evaluate(&with, &calm).headline.total_spend_usd
            > evaluate(&without, &calm).headline.total_spend_usd
    );
}

#[test]
fn the_wind_makers_six_months_of_stock_ride_out_an_embargo_one_month_does_not() {
    let run = simulate(&pause_at(0.0));
    let six = profile("wind-maker.ron");
    let mut one = six.clone();
    for need in &mut one.materials {
        need.safety_stock_months = 1.0;
    }
    assert_eq!(evaluate(&six, &run).headline.months_of_stoppage, 0.0);
    assert!(evaluate(&one, &run).headline.months_of_stoppage > 0.0);
}

#[test]
fn a_licensed_contractors_strategic_stock_costs_less_than_the_stoppage_it_prevents() {
    let run = simulate(&pause_at(0.0));
    // The shipped contractor is refused licences; as a licensed buyer, its year of stock
    // rides out the embargo.
    let mut held = profile("defence-contractor.ron");
    held.licences_denied = false;
    let mut lean = held.clone();
    for need in &mut lean.materials {
        need.strategic_stock_months = 0.0;
    }
    let (h, l) = (
        evaluate(&held, &run).headline,
        evaluate(&lean, &run).headline,
    );
    assert_eq!(h.months_of_stoppage, 0.0);
    let stock_cost = h.total_spend_usd - l.total_spend_usd;
    assert!(stock_cost > 0.0);
    assert!(
        l.stoppage_cost_usd > stock_cost,
        "stoppage avoided {} vs stock cost {}",
        l.stoppage_cost_usd,
        stock_cost
    );
}

#[test]
fn a_contractor_refused_licences_stops_while_licensing_lasts_and_stock_only_delays_it() {
    let run = simulate(&pause_at(0.0));
    let denied = profile("defence-contractor.ron");
    assert!(denied.licences_denied);
    let mut lean = denied.clone();
    for need in &mut lean.materials {
        need.strategic_stock_months = 0.0;
    }
    let (d, l) = (
        evaluate(&denied, &run).headline,
        evaluate(&lean, &run).headline,
    );
    assert!(
        d.months_of_stoppage > 0.0,
        "no licence, no Chinese material"
    );
    assert!(
        d.months_of_stoppage < l.months_of_stoppage,
        "stock delays the stop: {} vs {}",
        d.months_of_stoppage,
        l.months_of_stoppage
    );
}

#[test]
fn a_bare_profile_pays_the_markets_procurement_cost() {
    let run = simulate(&pause_at(0.5));
    let bare = Profile {
        carrying_cost: 0.0,
        materials: vec![Need {
            material: "Dy".into(),
            tonnes_per_year: 12.0,
            ..Need::default()
        }],
        ..Profile::default()
    };
    let c = evaluate(&bare, &run);
    // What buyers pay per kilogram, not what supply costs (they differ under controls).
    let cost = run.materials[1].series.get(SeriesId::ProcurementCost);
    for (i, (got, want)) in c.materials[0].cost_per_kg.iter().zip(cost).enumerate() {
        assert!(
            (got - want).abs() <= 1e-9 * want,
            "step {i}: {got} vs {want}"
        );
    }
}

fn any_profile() -> impl Strategy<Value = (Profile, f64)> {
    (
        0.0..2000.0f64,
        -0.2..0.3f64,
        0.0..24.0f64,
        0.0..24.0f64,
        0.0..1.0f64,
        prop_oneof![
            (1.0..300.0f64).prop_map(Pricing::Fixed),
            (0.5..3.0f64).prop_map(Pricing::ChinaIndexed),
            (0.5..3.0f64).prop_map(Pricing::SpotIndexed),
        ],
        any::<bool>(),
        0.0..0.5f64,
        0.0..1.0f64,
    )
        .prop_map(
            |(tonnes, growth, safety, strategic, share, pricing, non_china, carrying, quota)| {
                let p = Profile {
                    carrying_cost: carrying,
                    stoppage_cost_usd_per_month: 1e6,
                    materials: vec![Need {
                        material: "NdPr".into(),
                        tonnes_per_year: tonnes,
                        growth,
                        safety_stock_months: safety,
                        strategic_stock_months: strategic,
                        contracts: vec![Contract {
                            share,
                            pricing,
                            non_china,
                            floor_usd_per_kg: Some(20.0),
                            ..Contract::default()
                        }],
                        ..Need::default()
                    }],
                    ..Profile::default()
                };
                (p, quota)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn company_series_are_finite_and_non_negative((p, quota) in any_profile()) {
        let c = evaluate(&p, &simulate(&pause_at(quota)));
        let m = &c.materials[0];
        for series in [&m.need, &m.spend, &m.cost_per_kg, &m.stock, &m.stock_months, &m.unmet_share,
                       &c.spend, &c.working_capital, &c.stoppage] {
            prop_assert!(series.iter().all(|v| v.is_finite() && *v >= 0.0), "{series:?}");
        }
        prop_assert!(c.stoppage.iter().all(|s| *s <= 1.0));
    }

    #[test]
    fn more_safety_stock_never_raises_stoppage((p, quota) in any_profile(), extra in 0.5..12.0f64) {
        let run = simulate(&pause_at(quota));
        let mut more = p.clone();
        more.materials[0].safety_stock_months += extra;
        let (a, b) = (evaluate(&p, &run), evaluate(&more, &run));
        prop_assert!(b.headline.months_of_stoppage <= a.headline.months_of_stoppage);
        prop_assert!(b.headline.stoppage_cost_usd <= a.headline.stoppage_cost_usd + 1e-6);
    }
}

#[test]
fn cli_run_prints_the_company_and_adds_its_series_to_the_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("out.csv");
    let out = lodestone(&[
        "run",
        scenario("pause-2025-11.ron").to_str().expect("path"),
        "--company",
        profile_path("ev-maker.ron").to_str().expect("path"),
        "--csv",
        csv.to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Example EV maker"), "{stdout}");
    assert!(
        stdout.contains("peak material cost per vehicle"),
        "{stdout}"
    );
    let data = std::fs::read_to_string(&csv).expect("csv written");
    assert!(data.contains(",NdPr,company_spend,"));
    assert!(data.contains(",total,company_cost_per_unit,"));
}

#[test]
fn cli_refuses_a_bad_profile_with_every_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        "(version: 1, profile: (\n  carrying_cost: 2.0,\n  materials: [(material: \"NdPr\", tonnes_per_year: 10.0, safety_stock_months: -1.0)],\n))\n",
    )
    .expect("write");
    let out = lodestone(&[
        "run",
        scenario("pause-2025-11.ron").to_str().expect("path"),
        "--company",
        bad.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bad.ron:2:"), "{err}");
    assert!(err.contains("bad.ron:3:"), "{err}");
    assert!(err.contains("safety_stock_months"), "{err}");
}

#[test]
fn cli_bands_gives_the_spread_of_the_companys_spend() {
    let out = lodestone(&[
        "bands",
        scenario("pause-2025-11.ron").to_str().expect("path"),
        "--paths",
        "64",
        "--company",
        profile_path("wind-maker.ron").to_str().expect("path"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("annual spend P10 / P50 / P90"), "{stdout}");
    assert!(stdout.contains("line stoppage"), "{stdout}");
}

#[test]
fn cli_sensitivity_measures_a_company_figure_and_asks_for_the_profile() {
    let file = scenario("pause-2025-11.ron");
    let file = file.to_str().expect("path");
    let profile = profile_path("ev-maker.ron");
    let out = lodestone(&[
        "sensitivity",
        file,
        "--company",
        profile.to_str().expect("path"),
        "--figure",
        "company_months_of_stoppage",
        "--sweep",
        "quota_level",
        "--points",
        "3",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Months of line stoppage"), "{stdout}");
    let out = lodestone(&["sensitivity", file, "--figure", "company_spend"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--company"));
}

#[test]
fn a_profile_names_its_own_data_files() {
    use lodestone::scenario::profile::{load_profile_str, profile_data};
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("paid.csv"),
        "date,material,series,value\n2025-06,NdPr,cost,88\n",
    )
    .expect("csv");
    let path = dir.path().join("ours.ron");
    let text = "(version: 1, profile: (materials: [(material: \"NdPr\", tonnes_per_year: 10.0)], data_files: [\"paid.csv\"]))";
    let profile = load_profile_str(text, "ours.ron").expect("loads");
    let series = profile_data(&profile, &path).expect("data loads");
    assert_eq!(series.len(), 1);
    assert!(series[0].source.contains("paid.csv"));
    std::fs::write(
        dir.path().join("paid.csv"),
        "date,material,series,value\n2025-06,NdPr,cost,\n",
    )
    .expect("csv");
    let err = profile_data(&profile, &path).expect_err("a bad row");
    assert!(err.to_string().contains("paid.csv:2:"), "{err}");
}
