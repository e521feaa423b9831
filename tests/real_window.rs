//! The real window under a virtual X server: the built binary starts, renders a shipped
//! scenario, writes a screenshot through egui's own viewport screenshot and exits 0. The test
//! starts its own `Xvfb`; without Xvfb it fails with a message saying what to install.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the X server when the test ends, however it ends.
struct Xvfb {
    child: Child,
    display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_xvfb() -> Xvfb {
    // Pick a display number whose lock file and socket are free; vary by process id so
    // parallel test runs do not collide.
    let base = 90 + (std::process::id() % 400);
    for n in base..base + 100 {
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if lock.exists() || socket.exists() {
            continue;
        }
        let display = format!(":{n}");
        let child = match Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x720x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => child,
            Err(e) => panic!(
                "could not start Xvfb ({e}); install it (Debian/Ubuntu: apt-get install xvfb \
                 mesa-vulkan-drivers libvulkan1) to run the real-window check"
            ),
        };
        let mut xvfb = Xvfb { child, display };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if socket.exists() {
                return xvfb;
            }
            if let Ok(Some(status)) = xvfb.child.try_wait() {
                // Lost a race for this display number: try the next one.
                let _ = status;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = xvfb.child.kill();
        let _ = xvfb.child.wait();
    }
    panic!("Xvfb did not come up on any display from :{base}");
}

fn run_with_timeout(mut command: Command, timeout: Duration) -> (std::process::ExitStatus, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the lodestone binary starts");
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("wait for lodestone") {
            let output = child.wait_with_output().expect("collect output");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            return (status, text);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().expect("collect output");
            panic!(
                "lodestone --screenshot did not exit within {timeout:?}:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn screenshot(scenario: Option<&Path>, name: &str) -> image::RgbaImage {
    let xvfb = start_xvfb();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join(name);
    let mut command = Command::new(env!("CARGO_BIN_EXE_lodestone"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DISPLAY", &xvfb.display)
        .env_remove("WAYLAND_DISPLAY")
        // Keep the user's stored window state out of the test, and the test's out of theirs.
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .arg("--screenshot")
        .arg(&out);
    if let Some(s) = scenario {
        command.arg(s);
    }
    let (status, log) = run_with_timeout(command, Duration::from_secs(120));
    assert!(status.success(), "lodestone exited with {status}:\n{log}");
    assert!(out.is_file(), "no screenshot written:\n{log}");
    image::open(&out)
        .unwrap_or_else(|e| panic!("screenshot is not a PNG: {e}"))
        .to_rgba8()
}

fn distinct_colours(image: &image::RgbaImage) -> usize {
    let mut colours: Vec<[u8; 4]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

#[test]
fn window_renders_a_shipped_scenario_and_saves_a_screenshot() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    // Any shipped scenario will do; fall back to the built-in default when none exist yet.
    let file = std::fs::read_dir(&scenario).ok().and_then(|entries| {
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        files.sort();
        files.into_iter().next()
    });
    let image = screenshot(file.as_deref(), "window.png");
    assert_eq!(
        (image.width(), image.height()),
        (1280, 720),
        "the window opens at 1280x720"
    );
    let colours = distinct_colours(&image);
    assert!(
        colours > 50,
        "the screenshot looks blank: only {colours} distinct colours"
    );
}
