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

/// The checks each episode fails today, by label start: the model's known gaps against the
/// record, named in MODEL.md (section 12). A check that starts passing, or one more that
/// fails, changes this list on purpose.
const KNOWN_GAPS: [(&str, &[&str]); 2] = [
    (
        "quota-2010.ron",
        &[
            "Dy year-end price",
            "Tb year-end price",
            "China's legal exports against its quota",
            "Exports fall below the quota",
        ],
    ),
    (
        "licensing-2025.ron",
        &["Exports of controlled material", "Tb spot outside China"],
    ),
];

#[test]
fn each_episode_fails_exactly_its_named_gaps() {
    for (file, gaps) in KNOWN_GAPS {
        let (_, outcomes) = episode(file);
        for o in &outcomes {
            let gap = gaps.iter().any(|g| o.label.starts_with(g));
            assert_eq!(
                o.passed, !gap,
                "{file}: {}: model {}, allowed {}",
                o.label, o.model, o.allowed
            );
        }
    }
}

#[test]
fn the_2010_quota_episode_has_no_lasting_shortfall_and_a_flat_quota() {
    let (doc, outcomes) = episode("quota-2010.ron");
    assert!(
        passed(&outcomes, "No multi-year physical shortfall"),
        "{outcomes:#?}"
    );
    let run = simulate(&doc.scenario);
    let cap = run.total.get(SeriesId::QuotaCap);
    let at = |y, m| {
        run.dates
            .iter()
            .position(|d| d.year == y && d.month == m)
            .expect("in the run")
    };
    // An unchanged quota keeps its tonnage: the 2011 quota is the same in 2011 and 2014,
    // as the record's ~30-31 kt were, while demand grows.
    assert!(
        (cap[at(2014, 6)] - cap[at(2011, 6)]).abs() < 1e-6 * cap[at(2011, 6)],
        "{} vs {}",
        cap[at(2014, 6)],
        cap[at(2011, 6)]
    );
}

#[test]
fn the_2025_episode_prices_ndpr_near_china_and_dy_buyers_mostly_under_contract() {
    let (_, outcomes) = episode("licensing-2025.ron");
    assert!(
        passed(&outcomes, "NdPr spot outside China"),
        "{outcomes:#?}"
    );
    assert!(
        passed(&outcomes, "What buyers paid on average"),
        "{outcomes:#?}"
    );
    assert!(
        passed(&outcomes, "No lasting physical shortfall"),
        "{outcomes:#?}"
    );
}

#[test]
fn backtest_prints_model_against_record_per_check() {
    let out = lodestone(&["backtest"]);
    let stdout = text(&out.stdout);
    for label in [
        "Dy year-end price outside China, 2010-2014, as a multiple of end-2009",
        "NdPr spot outside China over China's price, 2025-26",
    ] {
        assert!(stdout.contains(label), "{stdout}");
    }
    assert!(
        stdout.contains("record:  USGS MCS 2016, FOB China: $110-120/kg end-2009"),
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
