//! Uncertainty bands and the sensitivity view in the window, driven headless with egui_kittest:
//! the bands arrive from the worker after a few frames, a slider moved while a request is in
//! flight never leaves bands of an older scenario on screen, and the tornado lists the levers
//! in the order of their effect.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lodestone::app::{AppOptions, ViewState};
use lodestone::display::format;
use lodestone::model::{Figure, SeriesId, monte_carlo, tornado};
use lodestone::ui::{LodestoneApp, bands};
use std::path::Path;
use std::time::{Duration, Instant};

/// Long enough for 1,000 paths on a slow, busy CI machine; the loop ends as soon as they come.
const PATIENCE: Duration = Duration::from_secs(60);

fn window(library: &Path, view: ViewState) -> Harness<'static, LodestoneApp> {
    let mut harness = crate::common::window_at(
        AppOptions {
            library_dirs: vec![library.to_path_buf()],
            view,
            ..AppOptions::default()
        },
        egui::vec2(1280.0, 720.0),
    );
    harness.step();
    harness
}

/// Steps frames until `done` holds or the patience runs out; returns whether it held.
fn step_until(
    harness: &mut Harness<'_, LodestoneApp>,
    mut done: impl FnMut(&Harness<'_, LodestoneApp>) -> bool,
) -> bool {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        harness.step();
        if done(harness) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

fn bands_shown(harness: &Harness<'_, LodestoneApp>) -> bool {
    bands::shown_bands(&harness.state().state).is_some()
}

/// Whatever answer the bands job holds belongs to the scenario on screen and to the newest
/// request: never to a scenario the user has already moved away from.
fn assert_no_stale_bands(harness: &Harness<'_, LodestoneApp>) {
    let state = &harness.state().state;
    let job = &state.services().analysis().bands;
    if let Some(done) = job.latest() {
        assert_eq!(
            done.generation,
            job.generation(),
            "an older request's answer"
        );
        assert!(
            done.key == state.active().doc.scenario,
            "bands of another scenario are held"
        );
    }
    if let Some(shown) = bands::shown_bands(state) {
        let done = job
            .latest()
            .expect("shown bands come from the latest answer");
        assert!(std::ptr::eq(shown, &done.value));
    }
}

#[test]
fn turning_bands_on_shows_them_once_the_worker_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let view = ViewState {
        show_bands: false,
        ..ViewState::default()
    };
    let mut harness = window(dir.path(), view);
    assert!(!bands_shown(&harness));
    assert!(!harness.state().state.analysing(), "nothing asked for");

    harness.get_by_label("Uncertainty bands").click();
    // The central panel's choices apply at the start of the next frame.
    harness.step();
    harness.step();
    assert!(harness.state().state.view.show_bands);
    assert!(step_until(&mut harness, bands_shown), "bands never arrived");
    harness.step();

    // The readout replaced "computing…" and names the number of paths.
    assert!(harness.query_by_label("computing…").is_none());
    let state = &harness.state().state;
    let scenario = &state.active().doc.scenario;
    let paths = scenario.uncertainty.paths as usize;
    assert!(
        harness
            .query_by_label_contains(&format!("{} paths", format::grouped(paths as f64, 0)))
            .is_some()
    );
    // What is drawn is exactly the model's answer for this scenario (bit-reproducible).
    let expected = monte_carlo(scenario, &scenario.uncertainty, &|| false).expect("not cancelled");
    let shown = bands::shown_bands(state).expect("shown");
    assert_eq!(shown.bands, expected);
    let cost = shown.cost.p50.len();
    assert_eq!(
        cost,
        expected.band(SeriesId::Cost).map_or(0, |b| b.p50.len())
    );

    // Off again: the bands go and nothing is computing.
    harness.get_by_label("Uncertainty bands").click();
    harness.step();
    harness.step();
    assert!(!bands_shown(&harness));
    assert!(!harness.state().state.analysing());
}

#[test]
fn moving_a_slider_while_bands_compute_never_leaves_stale_bands() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), ViewState::default());
    assert!(
        step_until(&mut harness, bands_shown),
        "first bands never arrived"
    );
    let first = bands::shown_bands(&harness.state().state)
        .expect("shown")
        .bands
        .clone();
    let first_generation = harness
        .state()
        .state
        .services()
        .analysis()
        .bands
        .generation();

    // Several moves in quick succession, each while the previous request is still running.
    for percent in [40.0, 55.0, 70.0] {
        harness
            .get_by_role_and_label(Role::Slider, "Quota level")
            .set_value_accesskit(percent);
        harness.step();
        assert_no_stale_bands(&harness);
        assert!(
            !bands_shown(&harness)
                || harness
                    .state()
                    .state
                    .services()
                    .analysis()
                    .bands
                    .latest()
                    .is_some()
        );
    }
    assert!(
        harness
            .state()
            .state
            .services()
            .analysis()
            .bands
            .generation()
            >= first_generation + 3
    );
    assert!(
        step_until(&mut harness, |h| {
            assert_no_stale_bands(h);
            bands_shown(h)
        }),
        "bands for the last move never arrived"
    );

    // The bands on screen are those of the final scenario, not of any earlier one.
    let state = &harness.state().state;
    let scenario = &state.active().doc.scenario;
    assert!((scenario.levers.quota_level.0 - 0.70).abs() < 1e-9);
    let expected = monte_carlo(scenario, &scenario.uncertainty, &|| false).expect("not cancelled");
    let shown = &bands::shown_bands(state).expect("shown").bands;
    assert_eq!(*shown, expected);
    assert_ne!(*shown, first, "a lower quota changes the bands");
}

#[test]
fn the_tornado_lists_levers_in_order_of_effect() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path(), ViewState::default());
    harness.get_by_label("Sensitivity").click();
    harness.step();
    harness.step();
    assert!(harness.state().state.view.show_sensitivity);
    assert!(
        step_until(&mut harness, |h| {
            let s = &h.state().state;
            s.sensitivity().is_some()
        }),
        "the tornado never arrived"
    );
    harness.step();

    let scenario = harness.state().state.active().doc.scenario.clone();
    let expected = tornado(&scenario, Figure::PeakCost);
    let moving: Vec<_> = expected.iter().filter(|b| b.effect() > 0.0).collect();
    assert!(moving.len() >= 3, "some levers move the peak cost");
    // Each lever with an effect has a row; rows go down the screen in the model's order.
    let mut last_y = f32::NEG_INFINITY;
    for bar in moving.iter().take(8) {
        // The lever panel has a label of the same name on the left: take the tornado's.
        let y = harness
            .query_all_by_role_and_label(Role::Label, bar.lever.label)
            .map(|n| n.rect())
            .max_by(|a, b| a.left().total_cmp(&b.left()))
            .unwrap_or_else(|| panic!("no row for {}", bar.lever.label))
            .center()
            .y;
        assert!(y > last_y, "{} is out of order", bar.lever.label);
        last_y = y;
    }
    let shown = &harness
        .state()
        .state
        .services()
        .analysis()
        .sensitivity_for(&scenario)
        .expect("shown")
        .value;
    let ids = |bars: &[lodestone::model::TornadoBar]| -> Vec<&str> {
        bars.iter().map(|b| b.lever.id).collect()
    };
    assert_eq!(ids(&shown.bars), ids(&expected));
    assert!(
        shown
            .bars
            .windows(2)
            .all(|w| w[0].effect() >= w[1].effect())
    );
    assert!(!shown.sweep.is_empty());
}
