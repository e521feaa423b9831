//! The company view driven headless through egui_kittest as a procurement lead would: switch
//! to "Our company", open a shipped example, pin it, change the strategy, save, close.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lodestone::app::company::CompanyCommand;
use lodestone::app::{AppOptions, Command, ConfirmChoice};
use lodestone::scenario::profile::load_profile_file;
use lodestone::ui::LodestoneApp;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn profiles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles")
}

fn window(library: &Path) -> Harness<'static, LodestoneApp> {
    crate::common::settled_window(AppOptions {
        library_dirs: vec![library.to_path_buf()],
        profile_dirs: vec![profiles()],
        ..AppOptions::default()
    })
}

fn apply(harness: &mut Harness<'_, LodestoneApp>, command: CompanyCommand) {
    harness.state_mut().state.apply(Command::Company(command));
    harness.run();
}

/// Edits the open profile: `months` more safety stock of every material.
fn add_safety_stock(harness: &mut Harness<'_, LodestoneApp>, months: f64) {
    let open = harness.state().state.company.open.as_ref().expect("open");
    let mut more_stock = open.profile.clone();
    for need in &mut more_stock.materials {
        need.safety_stock_months += months;
    }
    apply(harness, CompanyCommand::Edit(Box::new(more_stock)));
}

#[test]
fn opening_an_example_shows_the_company_cards_and_charts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    harness.get_by_label("Our company").click();
    harness.run();
    harness.get_by_label("What it costs us");
    harness.get_by_label("ev-maker").click();
    harness.run();
    let state = &harness.state().state;
    let open = state.company.open.as_ref().expect("the example opened");
    assert_eq!(open.profile.name, "Example EV maker");
    assert!(!open.dirty());
    harness.get_by_label("Our spend, first year");
    harness.get_by_label("Peak material cost per vehicle");
    harness.get_by_label("Our spend ($M/yr)");
    harness.get_by_label("Line standing still (% of need unmet)");

    // The chance of a stoppage comes from the scenario's Monte Carlo paths, off the UI thread.
    harness
        .state_mut()
        .state
        .wait_for_analysis(Duration::from_secs(60));
    harness.run();
    let state = &harness.state().state;
    let spread = state
        .company_spread()
        .expect("the company's Monte Carlo answered");
    assert!(spread.paths > 1);
    assert!(spread.annual_spend_percentile(10.0) <= spread.annual_spend_percentile(90.0));
    harness.get_by_label_contains("chance of one or more");
}

#[test]
fn a_pinned_profile_is_the_reference_for_a_new_strategy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    apply(
        &mut harness,
        CompanyCommand::Open(profiles().join("wind-maker.ron")),
    );
    harness.get_by_label("Pin profile").click();
    harness.run();
    add_safety_stock(&mut harness, 6.0);
    let state = &harness.state().state;
    let (name, reference) = state.company_reference().expect("a reference");
    assert!(name.starts_with("pinned profile"), "{name}");
    let now = state.company_results().expect("results");
    assert!(
        now.headline.peak_working_capital_usd > reference.headline.peak_working_capital_usd,
        "more stock ties more working capital"
    );
    assert!(state.profile_dirty());
    assert!(harness.query_all_by_label_contains("vs reference").count() >= 2);
}

#[test]
fn closing_an_edited_profile_asks_first_and_save_as_writes_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    apply(
        &mut harness,
        CompanyCommand::Open(profiles().join("defence-contractor.ron")),
    );
    let mut edited = harness
        .state()
        .state
        .company
        .open
        .as_ref()
        .expect("open")
        .profile
        .clone();
    edited.name = "Our defence line".into();
    apply(&mut harness, CompanyCommand::Edit(Box::new(edited.clone())));

    apply(&mut harness, CompanyCommand::Close);
    assert!(
        harness.state().state.prompts.confirm.is_some(),
        "asked before dropping edits"
    );
    harness
        .state_mut()
        .state
        .apply(Command::Confirm(ConfirmChoice::Cancel));
    harness.run();
    assert!(
        harness.state().state.company.open.is_some(),
        "cancel keeps the profile"
    );

    let out = dir.path().join("ours.ron");
    apply(&mut harness, CompanyCommand::SaveAs(out.clone()));
    assert!(!harness.state().state.profile_dirty());
    assert_eq!(
        load_profile_file(&out).expect("saved profile loads"),
        edited
    );
    apply(&mut harness, CompanyCommand::Close);
    assert!(
        harness.state().state.prompts.confirm.is_none(),
        "a saved profile closes at once"
    );
    assert!(harness.state().state.company.open.is_none());
}

#[test]
fn a_broken_profile_shows_its_problems_and_keeps_the_open_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(version: 1, profile: (carrying_cost: 5.0))").expect("write");
    let mut harness = window(dir.path());
    apply(
        &mut harness,
        CompanyCommand::Open(profiles().join("ev-maker.ron")),
    );
    apply(&mut harness, CompanyCommand::Open(bad));
    let state = &harness.state().state;
    assert!(!state.company.problems.is_empty());
    assert_eq!(
        state.company.open.as_ref().map(|o| o.profile.name.as_str()),
        Some("Example EV maker")
    );
}

#[test]
fn the_delta_view_shows_ours_minus_the_reference() {
    use lodestone::app::compare::CompareCommand;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    apply(
        &mut harness,
        CompanyCommand::Open(profiles().join("ev-maker.ron")),
    );
    harness.get_by_label("Our spend ($M/yr)");
    apply(&mut harness, CompanyCommand::PinProfile);
    harness
        .state_mut()
        .state
        .apply(Command::Compare(CompareCommand::SetDelta(true)));
    harness.run();
    harness.get_by_label("Our spend ($M/yr): ours minus the reference");
}

/// The company figures are computed at the apply point, not while drawing: they must follow
/// every input they read (a lever, a profile edit, a pin) in the same frame, never lag.
#[test]
fn company_figures_follow_the_scenario_the_profile_and_the_pins() {
    use lodestone::app::compare::CompareCommand;
    use lodestone::model::company::evaluate;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    apply(
        &mut harness,
        CompanyCommand::Open(profiles().join("ev-maker.ron")),
    );
    let fresh = |harness: &Harness<'_, LodestoneApp>| {
        let state = &harness.state().state;
        let profile = &state.company.open.as_ref().expect("open").profile;
        let expected = evaluate(profile, &state.active().run.results);
        assert_eq!(
            state.company_results(),
            Some(&expected),
            "figures are current"
        );
        expected
    };
    let before = fresh(&harness);
    harness.state_mut().state.push(Command::SetLever {
        id: "quota_level",
        value: 0.2,
    });
    harness.run();
    let cut = fresh(&harness);
    assert_ne!(cut, before, "a deep cut changes what the company pays");

    add_safety_stock(&mut harness, 3.0);
    assert_ne!(fresh(&harness), cut, "a profile edit changes the figures");

    // The first pin becomes the baseline: the reference; the next is charted as a pin.
    assert!(harness.state().state.company_reference().is_none());
    for _ in 0..2 {
        harness
            .state_mut()
            .state
            .apply(Command::Compare(CompareCommand::PinActive));
        crate::common::finish_io(&mut harness);
    }
    let state = &harness.state().state;
    let (name, _) = state
        .company_reference()
        .expect("the baseline is the reference");
    assert!(name.starts_with("baseline"), "{name}");
    assert_eq!(state.company_pins().len(), 1, "the second pin is charted");
}
