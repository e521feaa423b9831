//! The backtests of the public record (backtests/RECORD.md): the shipped 2010-2015 and 2025
//! episodes run with the model's defaults, and the shapes each asserts, by mechanism; plus
//! `lodestone backtest` as a user runs it.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestone::cli::backtest::{SHIPPED, evaluate};
use lodestone::model::{SeriesId, simulate};
use lodestone::scenario::load_str;
use lodestone::scenario::record::Outcome;
use std::path::Path;

use crate::common::*;

fn episode(file: &str) -> (lodestone::scenario::Document, Vec<Outcome>) {
    let (origin, text) = SHIPPED
        .iter()
        .find(|(origin, _)| origin.ends_with(file))
        .unwrap_or_else(|| panic!("{file} ships"));
    let doc = load_str(text, origin).expect("loads").document;
    let outcomes = evaluate(&doc, origin).outcomes;
    (doc, outcomes)
}

fn passed(outcomes: &[Outcome], label_start: &str) -> bool {
    outcomes
        .iter()
        .find(|o| o.label.starts_with(label_start))
        .unwrap_or_else(|| panic!("no check `{label_start}`"))
        .passed
}

#[test]
fn the_shipped_episodes_are_the_files_in_backtests() {
    for (origin, text) in SHIPPED {
        let on_disk = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(origin))
            .expect("the file ships");
        assert_eq!(on_disk, text, "{origin}");
    }
}

#[test]
fn the_2010_quota_episode_has_the_recorded_shape() {
    let (doc, outcomes) = episode("quota-2010.ron");
    // Dy outside China peaks at 5x or more of its 2009 level, in 2011, and is at most 40 % of
    // the peak by end-2014 with the quota unchanged; no multi-year physical shortfall.
    assert!(passed(&outcomes, "Dy outside China peaks"), "{outcomes:#?}");
    assert!(passed(&outcomes, "By end-2014"), "{outcomes:#?}");
    assert!(
        passed(&outcomes, "No multi-year physical shortfall"),
        "{outcomes:#?}"
    );
    // The quota stops binding from 2011 on: with China's 25 % duty, leakage undercuts legal
    // exports and destocking after the peak brings the spot down to the duty floor.
    assert!(
        passed(&outcomes, "Exports fall below the quota"),
        "{outcomes:#?}"
    );
    let run = simulate(&doc.scenario);
    // The fall comes with the quota still in force: substitution and destocking, not a
    // policy change, bring the price down.
    let dy = run
        .materials
        .iter()
        .find(|m| m.id == "Dy")
        .expect("Dy")
        .series
        .get(SeriesId::QuotaCap);
    let at = |y, m| {
        run.dates
            .iter()
            .position(|d| d.year == y && d.month == m)
            .expect("in the run")
    };
    assert!(
        dy[at(2014, 12)] < dy[at(2009, 12)],
        "the quota still binds Dy's cap in 2014"
    );
}

#[test]
fn the_2025_licensing_episode_has_the_recorded_shape() {
    let (_, outcomes) = episode("licensing-2025.ron");
    for o in &outcomes {
        assert!(
            o.passed,
            "{}: model {}, allowed {}",
            o.label, o.model, o.allowed
        );
    }
    assert_eq!(outcomes.len(), 6);
}

#[test]
fn backtest_prints_model_against_record_per_check() {
    let out = lodestone(&["backtest"]);
    let stdout = text(&out.stdout);
    for label in [
        "Dy outside China peaks at 5x or more of its 2009 level, in 2011",
        "Exports trough in May 2025 at 15-35 % of January's",
    ] {
        assert!(stdout.contains(label), "{stdout}");
    }
    assert!(
        stdout.contains("record:  $110-120/kg at end-2009"),
        "{stdout}"
    );
    let summary = stdout.lines().last().unwrap_or_default();
    let failed = summary
        .split(", ")
        .nth(1)
        .and_then(|f| f.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no summary: {summary}"));
    // Exit 1 exactly when a check fails.
    assert_eq!(
        out.status.code(),
        Some(if failed > 0 { 1 } else { 0 }),
        "{summary}"
    );
    assert_eq!(stdout.matches("FAIL").count(), failed);
}

#[test]
fn backtest_refuses_a_file_without_checks_and_a_broken_file() {
    let plain = scenario("pause-2025-11.ron");
    let out = lodestone(&["backtest", path_str(&plain)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("no `record.checks`"),
        "{}",
        text(&out.stderr)
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        "(\n    version: 2,\n    record: (checks: [Peak(label: \"x\", of: (series: \"nope\"))]),\n)\n",
    )
    .expect("writes");
    let out = lodestone(&["backtest", path_str(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bad.ron:3:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
