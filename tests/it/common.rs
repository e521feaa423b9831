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
