//! Helpers shared by the tests: the built binary, the shipped scenarios, the window harness.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A shipped scenario file by name.
pub fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// Runs the built `lodestone` binary with `args`.
pub fn lodestone(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs frames until the file reads and writes the window asked for have landed (they run
/// on workers, so a frame or two is not always enough).
pub fn finish_io(harness: &mut egui_kittest::Harness<'_, lodestone::ui::LodestoneApp>) {
    harness.run();
    harness
        .state_mut()
        .state
        .wait_for_background(std::time::Duration::from_secs(10));
    harness.run();
}

/// The window at `size` on `options`, built and not yet stepped: the one harness setup of
/// the window tests (tests that watch background work land frame by frame start here).
pub fn window_at(
    options: lodestone::app::AppOptions,
    size: egui::Vec2,
) -> egui_kittest::Harness<'static, lodestone::ui::LodestoneApp> {
    builder(size).build_ui_state(
        |ui, app: &mut lodestone::ui::LodestoneApp| app.draw(ui),
        lodestone::ui::LodestoneApp::new(options),
    )
}

/// [`window_at`], drawn to pixels by wgpu (for the image snapshots).
pub fn rendering_window_at(
    options: lodestone::app::AppOptions,
    size: egui::Vec2,
) -> egui_kittest::Harness<'static, lodestone::ui::LodestoneApp> {
    builder(size).wgpu().build_ui_state(
        |ui, app: &mut lodestone::ui::LodestoneApp| app.draw(ui),
        lodestone::ui::LodestoneApp::new(options),
    )
}

fn builder(size: egui::Vec2) -> egui_kittest::HarnessBuilder<lodestone::ui::LodestoneApp> {
    egui_kittest::Harness::builder()
        .with_size(size)
        // Background answers (bands, sensitivity, file scans) wake the window when they land,
        // which can take a few more frames to settle than kittest's default four.
        .with_max_steps(32)
}

/// The window at 1280x720 on `options`, its first background reads and writes landed.
pub fn settled_window(
    options: lodestone::app::AppOptions,
) -> egui_kittest::Harness<'static, lodestone::ui::LodestoneApp> {
    let mut harness = window_at(options, egui::vec2(1280.0, 720.0));
    finish_io(&mut harness);
    harness
}
