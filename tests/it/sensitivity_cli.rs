//! `lodestone sensitivity` and `lodestone bands`, run as the built binary: the tornado table
//! and its CSV agree with the model, the sweep, the Monte Carlo summary, and refusals (unknown
//! figure or lever, missing file, unwritable output) with a non-zero exit and no panic.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestone::model::{Figure, monte_carlo, tornado};
use lodestone::scenario::load_file;
use std::process::Output;

use crate::common::*;

fn no_panic(out: &Output) {
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_tornado_table_lists_every_lever_by_effect() {
    let file = scenario("pause-2025-11.ron");
    let out = lodestone(&["sensitivity", path_str(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let doc = load_file(&file).expect("loads").document;
    let bars = tornado(&doc.scenario, Figure::PeakCost);
    // Rows appear in the model's order: largest swing first.
    let mut last = 0;
    for bar in &bars {
        let at = stdout
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{} ", bar.lever.id)))
            .unwrap_or_else(|| panic!("no row for {}\n{stdout}", bar.lever.id));
        assert!(at >= last, "{} out of order", bar.lever.id);
        last = at;
    }
    assert!(stdout.contains("swing"));
}

#[test]
fn the_tornado_csv_matches_the_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_csv = dir.path().join("tornado.csv");
    let file = scenario("fast-diversification.ron");
    let out = lodestone(&[
        "sensitivity",
        path_str(&file),
        "--figure",
        "final_dependency",
        "--csv",
        path_str(&out_csv),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&out_csv).expect("written");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(lodestone::output::data::csv_stamp().as_str())
    );
    assert_eq!(
        lines.next(),
        Some("figure,figure_unit,lever,lever_unit,low,high,at_base,at_low,at_high,swing")
    );
    let doc = load_file(&file).expect("loads").document;
    let bars = tornado(&doc.scenario, Figure::FinalDependency);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), bars.len());
    for (row, bar) in rows.iter().zip(&bars) {
        assert_eq!(row[0], "final_dependency");
        assert_eq!(row[2], bar.lever.id);
        let swing: f64 = row[9].parse().expect("number");
        assert!((swing - bar.effect()).abs() <= 1e-9 * bar.effect().max(1.0));
    }
}

#[test]
fn a_sweep_prints_and_writes_the_figure_across_the_range() {
    let file = scenario("pause-2025-11.ron");
    let out = lodestone(&[
        "sensitivity",
        path_str(&file),
        "--sweep",
        "quota_level",
        "--points",
        "5",
        "--csv",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some(lodestone::output::data::csv_stamp().as_str())
    );
    assert_eq!(
        lines.next(),
        Some("lever,lever_unit,value,figure,figure_unit,figure_value")
    );
    let values: Vec<f64> = lines
        .map(|l| l.split(',').nth(2).expect("value").parse().expect("number"))
        .collect();
    assert_eq!(values.len(), 5);
    assert!(values.windows(2).all(|w| w[0] < w[1]));

    let table = lodestone(&["sensitivity", path_str(&file), "--sweep", "capex"]);
    assert_eq!(table.status.code(), Some(0), "{}", text(&table.stderr));
    assert!(text(&table.stdout).contains("Diversification capex"));
}

#[test]
fn bands_print_peak_cost_percentiles_and_the_shortfall_chance() {
    let file = scenario("controls-2025-04.ron");
    let out = lodestone(&["bands", path_str(&file), "--paths", "200", "--seed", "7"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("200 paths, seed 7"), "{stdout}");
    let doc = load_file(&file).expect("loads").document;
    let mut u = doc.scenario.uncertainty.clone();
    u.paths = 200;
    u.seed = 7;
    let bands = monte_carlo(&doc.scenario, &u, &|| false).expect("not cancelled");
    let p50 = format!("{:.2}", bands.peak_cost_percentile(50.0));
    assert!(stdout.contains(&p50), "P50 {p50} missing:\n{stdout}");
    assert!(stdout.contains(&format!("{:.1} %", bands.shortfall_probability * 100.0)));

    let csv = lodestone(&["bands", path_str(&file), "--paths", "50", "--csv", "-"]);
    assert_eq!(csv.status.code(), Some(0), "{}", text(&csv.stderr));
    let csv = text(&csv.stdout);
    assert!(csv.starts_with(&format!(
        "{}\ndate,series,p10,p25,p50,p75,p90\n",
        lodestone::output::data::csv_stamp()
    )));
    assert_eq!(
        csv.lines().count(),
        2 + lodestone::model::uncertainty::BANDED.len() * bands.dates.len()
    );
}

#[test]
fn refusals_exit_non_zero_without_panicking() {
    let file = scenario("pause-2025-11.ron");
    let path = path_str(&file);
    let dir = tempfile::tempdir().expect("temp dir");
    let unwritable = dir.path().join("missing-folder").join("x.csv");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["sensitivity", path, "--figure", "nope"], "peak_cost"),
        (vec!["sensitivity", path, "--sweep", "nope"], "quota_level"),
        (
            vec!["sensitivity", path, "--sweep", "capex", "--points", "1"],
            "points",
        ),
        (vec!["sensitivity", "no-such-file.ron"], "no-such-file.ron"),
        (vec!["bands", "no-such-file.ron"], "no-such-file.ron"),
        (vec!["bands", path, "--paths", "0"], "paths"),
        (
            vec!["sensitivity", path, "--csv", path_str(&unwritable)],
            "cannot write",
        ),
    ];
    for (args, mention) in cases {
        let out = lodestone(&args);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{args:?}: {:?}",
            out.status
        );
        no_panic(&out);
        assert!(
            text(&out.stderr).contains(mention),
            "{args:?}: stderr does not mention {mention}:\n{}",
            text(&out.stderr)
        );
    }
}

/// The tornado's extra cost for a lever at an end of its range is what `lodestone run --set`
/// prints for that value.
#[test]
fn the_tornado_extra_cost_is_what_run_prints() {
    let file = scenario("pause-2025-11.ron");
    let out = lodestone(&[
        "sensitivity",
        path_str(&file),
        "--figure",
        "extra_cost",
        "--csv",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let row = csv
        .lines()
        .find(|l| l.split(',').nth(2) == Some("demand_growth"))
        .unwrap_or_else(|| panic!("no demand_growth row\n{csv}"));
    let header: Vec<&str> = csv.lines().nth(1).unwrap_or_default().split(',').collect();
    let cells: Vec<&str> = row.split(',').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .and_then(|i| cells.get(i))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no {name} in {header:?}"))
    };
    let at_high = column("at_high");
    let run = lodestone(&["run", path_str(&file), "--set", "demand_growth=0.15"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let extra = text(&run.stdout)
        .lines()
        .find(|l| l.trim_start().starts_with("extra cost"))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(f64::NAN);
    assert!(
        (at_high - extra).abs() < 0.006,
        "tornado {at_high} vs run {extra}"
    );
}
