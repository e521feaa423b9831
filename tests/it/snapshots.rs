//! Image snapshots, rendered by wgpu (lavapipe on a machine without a GPU), so a layout
//! regression fails the tests: presentation mode at the two projector sizes, the compare
//! table, and one exported chart. Few on purpose; each was looked at when it was accepted.
//!
//! `tests/snapshots/NAME.png` is the accepted image. A failing run writes `NAME.new.png` and
//! `NAME.diff.png` beside it; `UPDATE_SNAPSHOTS=1 cargo test --release snapshot` accepts the
//! new images after a deliberate change (look at each before committing it).

use crate::common::finish_io;
use egui_kittest::{Harness, SnapshotOptions};
use lodestone::app::compare::CompareCommand;
use lodestone::app::present::PresentCommand;
use lodestone::app::{AppOptions, ChartKind, Command};
use lodestone::output::figure::document_figure;
use lodestone::output::png::render_rgb;
use lodestone::scenario::load_file;
use lodestone::ui::LodestoneApp;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Snapshots tolerate the few anti-aliased edge pixels a driver update may move, not a moved
/// label or line.
fn options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(0.6).max_failed_pixels(200)
}

/// Height of the status bar at the window's bottom edge, in pixels at scale 1.
const STATUS_BAR_PX: u32 = 30;

fn window(size: (f32, f32)) -> Harness<'static, LodestoneApp> {
    let mut harness = crate::common::rendering_window_at(
        AppOptions {
            library_dirs: vec![root().join("scenarios")],
            // The "today" line and footers must not move with the day the tests run.
            today: Some("2026-01-15".into()),
            ..AppOptions::default()
        },
        egui::vec2(size.0, size.1),
    );
    settle(&mut harness);
    harness
}

/// Lets background answers (bands, file reads) land and any slide transition finish, so the
/// image does not depend on timing.
fn settle(harness: &mut Harness<'_, LodestoneApp>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        finish_io(harness);
        // Bands and sensitivity are asked for while drawing, so an answer can start another.
        harness
            .state_mut()
            .state
            .wait_for_analysis(Duration::from_secs(10));
        harness.run();
        let state = &harness.state().state;
        let idle = !state.analysing() && !state.present.animating(Instant::now());
        if idle || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    harness.run();
}

fn apply(harness: &mut Harness<'_, LodestoneApp>, command: Command) {
    harness.state_mut().state.push(command);
    settle(harness);
}

/// The shipped deck's second slide (the 2025 controls: spikes, events, observed points),
/// as the audience sees it.
fn presenting(size: (f32, f32)) -> Harness<'static, LodestoneApp> {
    let mut harness = window(size);
    apply(
        &mut harness,
        Command::Present(PresentCommand::OpenDeck(
            root().join("decks/2025-story.ron"),
        )),
    );
    apply(&mut harness, Command::Present(PresentCommand::GoTo(1)));
    // Here no second window can open, so the presenter notes would float over the slide;
    // the audience's view is the slide alone.
    apply(&mut harness, Command::Present(PresentCommand::ToggleNotes));
    let state = &harness.state().state;
    assert!(state.present.on);
    assert_eq!(state.present.slide().map(|s| s.0), Some(1));
    harness
}

#[test]
fn snapshot_presentation_at_1280x720() {
    let mut harness = presenting((1280.0, 720.0));
    harness.snapshot_options("present_1280x720", &options());
}

#[test]
fn snapshot_presentation_at_1920x1080() {
    let mut harness = presenting((1920.0, 1080.0));
    harness.snapshot_options("present_1920x1080", &options());
}

#[test]
fn snapshot_compare_table_with_two_pins() {
    let mut harness = window((1280.0, 720.0));
    for file in ["scenarios/status-quo.ron", "scenarios/fortress.ron"] {
        apply(
            &mut harness,
            Command::Compare(CompareCommand::PinFile(root().join(file))),
        );
    }
    apply(
        &mut harness,
        Command::Compare(CompareCommand::ShowTable(true)),
    );
    assert_eq!(harness.state().state.compare.pins.len(), 2);
    // The status bar's last line reports the run's measured time, which no image can fix:
    // it is left out.
    let full = harness.render().expect("renders");
    let (w, h) = full.dimensions();
    let window = image::imageops::crop_imm(&full, 0, 0, w, h - STATUS_BAR_PX).to_image();
    egui_kittest::image_snapshot_options(&window, "compare_table", &options());
}

/// The exported cost chart of the 2025 controls scenario with its events, observed record and
/// bands, drawn by the renderer `lodestone export`, the board pack and the window's export
/// share (a fixed date in the footer).
#[test]
fn snapshot_exported_cost_chart() {
    let path = root().join("scenarios/controls-2025-04.ron");
    let doc = load_file(&path).expect("shipped scenario loads").document;
    let results = lodestone::model::simulate(&doc.scenario);
    let figure = document_figure(
        "April 2025 controls",
        &doc,
        &results,
        None,
        &[ChartKind::Cost],
        "2026-01-01",
        true,
    );
    let (rgb, (w, h)) = render_rgb(&figure, (900, 500), 1.0).expect("renders");
    let rgba: Vec<u8> = rgb
        .chunks_exact(3)
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    let image = image::RgbaImage::from_raw(w, h, rgba).expect("sized buffer");
    egui_kittest::image_snapshot_options(&image, "export_cost_chart", &options());
}
