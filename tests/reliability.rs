//! Reliability through the headless app state and the CLI: autosave and recovery after a
//! simulated crash, crash reports, live reload of files changed on disk, and extreme input
//! (levers at and beyond their limits, NaN and infinity, tiny horizons, 0 and 200 materials)
//! that must give a clear error or a valid run, never a panic or a hang.

// The window tests' one harness setup; this binary uses a part of the helpers.
#[allow(dead_code, clippy::expect_used, clippy::unwrap_used)]
#[path = "it/common.rs"]
mod common;

use lodestone::app::recovery::{
    IDLE_BEFORE_AUTOSAVE, RecoveryChoice, install_panic_hook, parse_recovery, write_crash_report,
};
use lodestone::app::watch::ReloadChoice;
use lodestone::app::{AppOptions, AppState, Command, ConfirmChoice};
use lodestone::model::{EventKind, LEVERS, MATERIAL_LEVERS, PolicyEvent, SeriesId, YearMonth};
use lodestone::scenario::{Document, default_document, load_file, load_str, save_file};
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

fn scenario_named(name: &str) -> Document {
    let mut doc = default_document();
    doc.meta.name = name.to_string();
    doc
}

fn app(library: &Path, recovery: Option<&Path>, watch: bool) -> AppState {
    let mut state = AppState::new(AppOptions {
        library_dirs: vec![library.to_path_buf()],
        recovery_dir: recovery.map(Path::to_path_buf),
        watch_files: watch,
        ..AppOptions::default()
    });
    state.wait_for_background(Duration::from_secs(10));
    state
}

/// The recovery files and crash reports in `dir` (not the lock files of running windows).
/// Applies queued commands and waits for the file reads and writes they started.
fn settle(state: &mut AppState) {
    state.apply_pending();
    state.wait_for_background(Duration::from_secs(10));
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_none_or(|x| x != "lock"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn quota(state: &AppState) -> f64 {
    state.active().doc.scenario.levers.quota_level.0
}

/// Runs autosave as if the user had been idle long enough.
fn autosave_now(state: &mut AppState) {
    let later = Instant::now() + IDLE_BEFORE_AUTOSAVE + Duration::from_millis(10);
    state.autosave_tick(later, false);
    state.services().recovery().flush(Duration::from_secs(5));
}

// ----- autosave and recovery -----

#[test]
fn unsaved_work_survives_a_crash_and_is_restored_as_unsaved() {
    let lib = tempfile::tempdir().expect("tempdir");
    let rec = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("mine.ron");
    save_file(&path, &scenario_named("Mine")).expect("write");

    let mut state = app(lib.path(), Some(rec.path()), false);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    // Clean documents are not autosaved.
    autosave_now(&mut state);
    assert!(files_in(rec.path()).is_empty());

    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.37,
    });
    settle(&mut state);
    // Input just now: nothing is written yet, and the app is told when to look again.
    let wait = state.autosave_tick(Instant::now(), true);
    assert!(wait.is_some_and(|w| w <= IDLE_BEFORE_AUTOSAVE), "{wait:?}");
    state.services().recovery().flush(Duration::from_secs(5));
    assert!(files_in(rec.path()).is_empty());

    autosave_now(&mut state);
    let files = files_in(rec.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).expect("read recovery");
    let (original, doc) = parse_recovery(&text, "recovery.ron");
    assert_eq!(original.as_deref(), Some(path.as_path()));
    assert_eq!(doc.expect("recovery file loads"), state.active().doc);
    let modified = std::fs::metadata(&files[0]).and_then(|m| m.modified()).ok();

    // Unchanged since the last autosave: not written again.
    std::thread::sleep(Duration::from_millis(20));
    autosave_now(&mut state);
    let again = std::fs::metadata(&files[0]).and_then(|m| m.modified()).ok();
    assert_eq!(modified, again);

    // A crash: the state goes away without a clean exit.
    let edited = state.active().doc.clone();
    drop(state);
    assert_eq!(files_in(rec.path()).len(), 1);

    let mut state = app(lib.path(), Some(rec.path()), false);
    assert_eq!(state.prompts.restore.len(), 1);
    state.apply(Command::Recovery(RecoveryChoice::Restore));
    settle(&mut state);
    assert!(state.prompts.restore.is_empty());
    assert_eq!(state.active().doc, edited);
    assert_eq!(state.active().path.as_deref(), Some(path.as_path()));
    assert!(state.active().dirty(), "restored work shows as unsaved");
    assert!((quota(&state) - 0.37).abs() < 1e-12);
    // The file on disk was not touched by the restore.
    assert_eq!(
        load_file(&path).expect("original").document,
        scenario_named("Mine")
    );

    // Saving ends the recovery file's job.
    state.apply(Command::Save);
    settle(&mut state);
    assert!(!state.active().dirty());
    autosave_now(&mut state);
    assert!(
        files_in(rec.path()).is_empty(),
        "{:?}",
        files_in(rec.path())
    );
}

#[test]
fn a_restore_brings_back_the_pins_and_says_when_the_file_is_newer_than_the_edits() {
    use lodestone::app::compare::CompareCommand;
    let lib = tempfile::tempdir().expect("tempdir");
    let rec = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("mine.ron");
    save_file(&path, &scenario_named("Mine")).expect("write");
    let other = lib.path().join("other.ron");
    save_file(&other, &scenario_named("Other")).expect("write");

    let mut state = app(lib.path(), Some(rec.path()), false);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    state.apply(Command::Compare(CompareCommand::PinFile(other.clone())));
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.37,
    });
    settle(&mut state);
    autosave_now(&mut state);
    assert_eq!(files_in(rec.path()).len(), 2, "the edits and the pin");
    drop(state);

    // Another program changes the file after the edits were autosaved.
    std::thread::sleep(Duration::from_millis(30));
    save_file(&path, &scenario_named("Mine, changed elsewhere")).expect("write");

    let mut state = app(lib.path(), Some(rec.path()), false);
    assert_eq!(state.prompts.restore.len(), 2);
    state.apply(Command::Recovery(RecoveryChoice::Restore));
    settle(&mut state);
    assert!((quota(&state) - 0.37).abs() < 1e-12);
    let pins: Vec<&str> = state.compare.pins.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(pins, ["Other"], "the pin is back");
    assert_eq!(state.compare.pins[0].path.as_deref(), Some(other.as_path()));
    let status = state.status.as_ref().expect("a message").text.clone();
    assert!(status.contains("1 pin"), "{status}");
    assert!(status.contains("changed on disk"), "{status}");
    assert!(state.status.as_ref().is_some_and(|s| s.is_error));
    // The pin's old recovery file is gone; a clean exit leaves nothing behind.
    state.apply(Command::Save);
    settle(&mut state);
    autosave_now(&mut state);
    assert!(
        files_in(rec.path()).is_empty(),
        "{:?}",
        files_in(rec.path())
    );
}

#[test]
fn discard_later_and_clean_exit() {
    let lib = tempfile::tempdir().expect("tempdir");
    let rec = tempfile::tempdir().expect("tempdir");
    let mut state = app(lib.path(), Some(rec.path()), false);
    // A never-saved scenario that differs from the default is worth keeping too.
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.5,
    });
    state.apply(Command::NewFromCurrent);
    settle(&mut state);
    assert!(state.active().path.is_none());
    autosave_now(&mut state);
    assert_eq!(files_in(rec.path()).len(), 1);
    drop(state);

    // Later keeps the file for the next start.
    let mut state = app(lib.path(), Some(rec.path()), false);
    assert_eq!(state.prompts.restore.len(), 1);
    assert!(state.prompts.restore[0].label().contains("never saved"));
    state.apply(Command::Recovery(RecoveryChoice::Later));
    assert!(state.prompts.restore.is_empty());
    drop(state);
    assert_eq!(files_in(rec.path()).len(), 1);

    // Discard removes it.
    let mut state = app(lib.path(), Some(rec.path()), false);
    assert_eq!(state.prompts.restore.len(), 1);
    state.apply(Command::Recovery(RecoveryChoice::Discard));
    state.services().recovery().flush(Duration::from_secs(5));
    assert!(files_in(rec.path()).is_empty());

    // Work autosaved, then a normal close (the user chose to discard it): nothing is left.
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.25,
    });
    state.apply(Command::NewFromCurrent);
    settle(&mut state);
    autosave_now(&mut state);
    assert_eq!(files_in(rec.path()).len(), 1);
    state.apply(Command::Quit);
    state.apply(Command::Confirm(ConfirmChoice::Discard));
    assert!(state.quit_confirmed);
    state.autosave_tick(Instant::now(), false);
    assert!(files_in(rec.path()).is_empty());
}

#[test]
fn unreadable_recovery_files_are_listed_not_fatal() {
    let lib = tempfile::tempdir().expect("tempdir");
    let rec = tempfile::tempdir().expect("tempdir");
    std::fs::write(rec.path().join("broken.ron"), b"(version: 2, meta: (").expect("write");
    std::fs::write(rec.path().join("binary.ron"), [0xff, 0xfe, 0x00, 0x01]).expect("write");
    let mut state = app(lib.path(), Some(rec.path()), false);
    assert_eq!(state.prompts.restore.len(), 2);
    assert!(state.prompts.restore.iter().all(|r| r.document.is_err()));
    state.apply(Command::Recovery(RecoveryChoice::Restore));
    settle(&mut state);
    let status = state.status.clone().expect("status");
    assert!(
        status.is_error && status.text.contains("could not be read"),
        "{status:?}"
    );
    // Left in place for the user to look at.
    assert_eq!(files_in(rec.path()).len(), 2);
}

#[test]
fn crash_reports_name_message_location_and_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = write_crash_report(dir.path(), "boom", "src/x.rs:1:2", "frames").expect("write");
    let text = std::fs::read_to_string(&report).expect("read");
    for part in ["boom", "src/x.rs:1:2", "frames", env!("CARGO_PKG_VERSION")] {
        assert!(text.contains(part), "{part} missing from:\n{text}");
    }

    // The hook itself, on a real panic in another thread.
    let hook_dir = tempfile::tempdir().expect("tempdir");
    install_panic_hook(Some(hook_dir.path().to_path_buf()));
    let joined = std::thread::spawn(|| panic!("deliberate test panic")).join();
    assert!(joined.is_err());
    // A panic a background worker catches on purpose is no crash: no report.
    let caught = std::thread::spawn(|| {
        lodestone::app::recovery::caught(|| -> u8 { panic!("caught on purpose") }).is_err()
    })
    .join();
    assert_eq!(caught.ok(), Some(true));
    // Nor is one inside the parallel work of a caught job (the uncertain futures, the
    // tornado): it happens on a pool thread and reaches the job through its join.
    let in_pool = std::thread::spawn(|| {
        lodestone::app::recovery::caught(|| {
            use rayon::prelude::*;
            (0..64u32)
                .into_par_iter()
                .map(|i| {
                    if i == 37 {
                        panic!("one future panics")
                    } else {
                        i
                    }
                })
                .sum::<u32>()
        })
        .is_err()
    })
    .join();
    assert_eq!(in_pool.ok(), Some(true));
    let _ = std::panic::take_hook();
    let reports = files_in(hook_dir.path());
    assert_eq!(reports.len(), 1, "{reports:?}");
    let text = std::fs::read_to_string(&reports[0]).expect("read");
    assert!(text.contains("deliberate test panic"), "{text}");
    assert!(text.contains("reliability.rs"), "{text}");
    assert!(text.contains("backtrace:"), "{text}");

    // The next start mentions a recent report.
    let lib = tempfile::tempdir().expect("tempdir");
    let state = app(lib.path(), Some(hook_dir.path()), false);
    let status = state.status.clone().expect("status");
    assert!(status.text.contains("crash report"), "{status:?}");
}

// ----- live reload -----

/// Polls frames until `done` holds, for at most ten seconds.
fn poll_until(state: &mut AppState, what: &str, mut done: impl FnMut(&AppState) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        state.apply_pending();
        if done(state) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}; status: {:?}", state.status);
}

fn library_names(state: &AppState) -> Vec<String> {
    state
        .library
        .iter()
        .flat_map(|f| &f.entries)
        .map(|e| e.name.clone())
        .collect()
}

#[test]
fn files_changed_on_disk_update_the_library_and_the_clean_open_scenario() {
    let lib = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("a.ron");
    save_file(&path, &scenario_named("First")).expect("write");
    let mut state = app(lib.path(), None, true);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    assert_eq!(library_names(&state), ["First"]);

    // Let the watch list take effect before changing anything.
    settle(&mut state);
    std::thread::sleep(Duration::from_millis(100));

    // Another program adds a file: the library lists it.
    save_file(&lib.path().join("b.ron"), &scenario_named("Added")).expect("write");
    poll_until(&mut state, "the added file", |s| {
        library_names(s).contains(&"Added".to_string())
    });

    // Another program changes the open (clean) file: the scenario reloads.
    let mut changed = scenario_named("Changed outside");
    changed.scenario.levers.quota_level.0 = 0.42;
    std::fs::write(&path, lodestone::scenario::to_ron_string(&changed)).expect("write");
    poll_until(&mut state, "the reload", |s| {
        s.active().doc.meta.name == "Changed outside"
    });
    assert!(!state.active().dirty());
    assert!((quota(&state) - 0.42).abs() < 1e-12);
    // The charts follow: the run was redone for the reloaded scenario.
    let cost = state
        .active()
        .run
        .results
        .total
        .get(SeriesId::Cost)
        .to_vec();
    assert!(!cost.is_empty());
    poll_until(&mut state, "the library entry renamed", |s| {
        library_names(s).contains(&"Changed outside".to_string())
    });

    // A broken version on disk: the open version stays and the problems are shown.
    std::fs::write(&path, "(version: 2, levers: (quota_level: \"lots\"))").expect("write");
    poll_until(&mut state, "the problems", |s| s.prompts.problems.is_some());
    assert_eq!(state.active().doc.meta.name, "Changed outside");
    assert!(!state.active().dirty());

    // Removed: the library drops it, the open scenario stays.
    std::fs::remove_file(lib.path().join("b.ron")).expect("remove");
    poll_until(&mut state, "the removal", |s| {
        !library_names(s).contains(&"Added".to_string())
    });
}

#[test]
fn a_file_changed_under_unsaved_edits_asks_first() {
    let lib = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("a.ron");
    save_file(&path, &scenario_named("Disk v1")).expect("write");
    let mut state = app(lib.path(), None, true);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.11,
    });
    settle(&mut state);
    std::thread::sleep(Duration::from_millis(100));

    // Our own save is not a change "by another program".
    state.apply(Command::Save);
    settle(&mut state);
    std::thread::sleep(Duration::from_millis(600));
    settle(&mut state);
    settle(&mut state);
    assert!(state.prompts.reload.is_none());
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.22,
    });
    settle(&mut state);

    save_file(&path, &scenario_named("Disk v2")).expect("write");
    poll_until(&mut state, "the question", |s| s.prompts.reload.is_some());
    // Nothing was overwritten while asking.
    assert!((quota(&state) - 0.22).abs() < 1e-12);
    state.apply(Command::Reload(ReloadChoice::KeepMine));
    settle(&mut state);
    assert!((quota(&state) - 0.22).abs() < 1e-12);
    assert!(
        state.active().dirty(),
        "still unsaved against the new disk version"
    );
    assert_eq!(state.active().saved.meta.name, "Disk v2");

    save_file(&path, &scenario_named("Disk v3")).expect("write");
    poll_until(&mut state, "the second question", |s| {
        s.prompts.reload.is_some()
    });
    state.apply(Command::Reload(ReloadChoice::Reload));
    settle(&mut state);
    assert_eq!(state.active().doc.meta.name, "Disk v3");
    assert!(!state.active().dirty());
}

// ----- extreme input -----

fn all_finite(state: &AppState) -> bool {
    let results = &state.active().run.results;
    [SeriesId::Cost, SeriesId::Dependency]
        .iter()
        .all(|&s| results.total.get(s).iter().all(|v| v.is_finite()))
}

#[test]
fn levers_at_and_beyond_their_extremes_never_break_a_run() {
    let lib = tempfile::tempdir().expect("tempdir");
    let mut state = app(lib.path(), None, false);
    let values = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -0.0,
        1e300,
    ];
    for lever in LEVERS {
        for value in values.iter().copied().chain([lever.min, lever.max]) {
            state.apply(Command::SetLever {
                id: lever.id,
                value,
            });
            settle(&mut state);
            let v = (lever.get)(&state.active().doc.scenario);
            assert!(
                v.is_finite() && v >= lever.min && v <= lever.max,
                "{} = {value} gave {v}",
                lever.id
            );
            assert!(all_finite(&state), "{} = {value}", lever.id);
        }
    }
    // Every lever at its minimum, then every lever at its maximum, at once.
    for pick_max in [false, true] {
        for lever in LEVERS {
            let value = if pick_max { lever.max } else { lever.min };
            state.apply(Command::SetLever {
                id: lever.id,
                value,
            });
        }
        for m in 0..state.active().doc.scenario.materials.len() {
            for lever in MATERIAL_LEVERS {
                state.apply(Command::SetMaterialLever {
                    material: m,
                    lever: lever.id,
                    value: if pick_max { f64::INFINITY } else { f64::NAN },
                });
            }
        }
        settle(&mut state);
        assert!(all_finite(&state), "all levers at max = {pick_max}");
    }
    // Out-of-range indices and odd events are ignored or run.
    state.apply(Command::SetMaterialLever {
        material: usize::MAX,
        lever: "quota_share",
        value: 1.0,
    });
    state.apply(Command::RemoveEvent(usize::MAX));
    state.apply(Command::SetEvent {
        index: 0,
        event: PolicyEvent {
            date: YearMonth {
                year: 9999,
                month: 12,
            },
            kind: EventKind::ControlsOn,
            materials: vec!["no such material".into()],
            ..PolicyEvent::default()
        },
    });
    for _ in 0..50 {
        state.apply(Command::AddEvent);
    }
    settle(&mut state);
    for _ in 0..300 {
        state.apply(Command::Undo);
    }
    for _ in 0..300 {
        state.apply(Command::Redo);
    }
    settle(&mut state);
}

/// A version-2 file with the given horizon and materials text.
fn scenario_text(start: &str, end: &str, materials: &str) -> String {
    format!(
        "(version: 2, meta: (name: \"extreme\"), horizon: (start: \"{start}\", end: \"{end}\", \
         resolution: Monthly), materials: {materials}, events: [])"
    )
}

fn many_materials(n: usize) -> String {
    let entries: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "(id: \"M{i}\", name: \"Material {i}\", demand: 1000.0, capex_share: {share}, \
                 quota_share: 0.5)",
                share = 1.0 / n as f64
            )
        })
        .collect();
    format!("[{}]", entries.join(", "))
}

/// The extreme files: each must load and run, or fail with a located diagnostic.
fn extreme_files() -> Vec<(&'static str, String)> {
    vec![
        ("zero-length", scenario_text("2025-01", "2025-01", "[]")),
        (
            "zero-length-defaults",
            scenario_text("2025-01", "2025-01", &many_materials(1)),
        ),
        (
            "one-month",
            scenario_text("2025-01", "2025-02", &many_materials(1)),
        ),
        (
            "backwards",
            scenario_text("2030-01", "2025-01", &many_materials(1)),
        ),
        (
            "century",
            scenario_text("1950-01", "2049-12", &many_materials(4)),
        ),
        (
            "too-long",
            scenario_text("1000-01", "9999-12", &many_materials(1)),
        ),
        ("no-materials", scenario_text("2024-01", "2040-12", "[]")),
        (
            "200-materials",
            scenario_text("2024-01", "2040-12", &many_materials(200)),
        ),
        (
            "200-materials-century",
            scenario_text("1950-01", "2049-12", &many_materials(200)),
        ),
    ]
}

#[test]
fn extreme_files_load_and_run_or_say_why_in_the_app() {
    let lib = tempfile::tempdir().expect("tempdir");
    let mut state = app(lib.path(), None, false);
    for (name, text) in extreme_files() {
        let started = Instant::now();
        match load_str(&text, name) {
            Ok(_) => {}
            Err(e) => assert!(
                e.diagnostics
                    .iter()
                    .any(|d| d.line >= 1 && !d.message.is_empty()),
                "{name}: {e}"
            ),
        }
        let path = lib.path().join(format!("{name}.ron"));
        std::fs::write(&path, &text).expect("write");
        state.apply(Command::OpenPath(path.clone()));
        settle(&mut state);
        let opened = state.active().path.as_deref() == Some(path.as_path());
        if opened {
            assert!(state.prompts.problems.is_none(), "{name}");
            assert!(all_finite(&state), "{name}");
        } else {
            assert!(
                state.prompts.problems.is_some(),
                "{name}: neither opened nor explained"
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn extreme_files_and_values_through_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bin = env!("CARGO_BIN_EXE_lodestone");
    let mut cases: Vec<Vec<String>> = Vec::new();
    for (name, text) in extreme_files() {
        let path = dir.path().join(format!("{name}.ron"));
        std::fs::write(&path, &text).expect("write");
        let path = path.display().to_string();
        cases.push(vec!["validate".into(), path.clone()]);
        cases.push(vec!["run".into(), path]);
    }
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/status-quo.ron");
    let shipped = shipped.display().to_string();
    for value in [
        "NaN", "inf", "-inf", "1e400", "-1e400", "1e308", "-0", "nope", "",
    ] {
        cases.push(vec![
            "run".into(),
            shipped.clone(),
            "--set".into(),
            format!("quota_level={value}"),
        ]);
        cases.push(vec![
            "run".into(),
            shipped.clone(),
            "--set".into(),
            format!("NdPr.quota_share={value}"),
        ]);
    }
    for args in cases {
        let started = Instant::now();
        let out = Process::new(bin).args(&args).output().expect("run the CLI");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0..=2)),
            "{args:?}: exit {code:?} (a panic exits 101)\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}:\n{stderr}");
        if code != Some(0) {
            assert!(
                !stderr.trim().is_empty(),
                "{args:?}: failed without saying why"
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
}

/// The whole window draws extreme scenarios (one step, 200 materials, a century) without
/// panicking on the UI thread.
#[test]
fn the_window_draws_extreme_scenarios() {
    let lib = tempfile::tempdir().expect("tempdir");
    let mut harness = common::window_at(
        AppOptions {
            library_dirs: vec![lib.path().to_path_buf()],
            ..AppOptions::default()
        },
        egui::vec2(1280.0, 720.0),
    );
    for (name, text) in extreme_files() {
        let path = lib.path().join(format!("{name}.ron"));
        std::fs::write(&path, &text).expect("write");
        harness
            .state_mut()
            .state
            .push(Command::OpenPath(path.clone()));
        harness.run_steps(3);
        harness.state_mut().state.push(Command::DismissProblems);
        harness.run_steps(2);
    }
}

/// The restore offer as the window shows it: a modal listing the work, answered by a click.
#[test]
fn the_window_offers_to_restore_and_restores_on_click() {
    use egui_kittest::kittest::Queryable;
    use lodestone::app::recovery::recovery_text;
    let lib = tempfile::tempdir().expect("tempdir");
    let rec = tempfile::tempdir().expect("tempdir");
    let original = lib.path().join("plan.ron");
    save_file(&original, &scenario_named("Plan")).expect("write");
    let mut edited = scenario_named("Plan");
    edited.scenario.levers.quota_level.0 = 0.33;
    std::fs::write(
        rec.path().join("1-1.ron"),
        recovery_text(Some(&original), &edited),
    )
    .expect("write recovery");

    let mut harness = common::window_at(
        AppOptions {
            library_dirs: vec![lib.path().to_path_buf()],
            recovery_dir: Some(rec.path().to_path_buf()),
            ..AppOptions::default()
        },
        egui::vec2(1280.0, 720.0),
    );
    harness.run_steps(2);
    harness.get_by_label("Unsaved work from last time");
    harness.get_by_label("Later");
    harness.get_by_label("Discard");
    harness.get_by_label("Restore").click();
    harness.run_steps(3);
    let state = &harness.state().state;
    assert!(state.prompts.restore.is_empty());
    assert_eq!(state.active().doc, edited);
    assert_eq!(state.active().path.as_deref(), Some(original.as_path()));
    assert!(state.active().dirty());
    assert!(
        harness
            .query_by_label("Unsaved work from last time")
            .is_none()
    );
}

/// A second window does not offer (or discard) the autosaves of a window still running.
/// A running window holds the lock of its session; its autosaves are not offered to a second
/// window, while those of a window that ended (its lock free, or never taken) are.
#[test]
fn autosaves_of_a_running_window_are_not_offered() {
    let lib = tempfile::tempdir().expect("tempdir");
    let rec = tempfile::tempdir().expect("tempdir");
    let text = lodestone::app::recovery::recovery_text(None, &scenario_named("Live"));
    // The running window: its session's lock file, locked (by this handle).
    let live_lock = std::fs::File::create(rec.path().join("4242-17.lock")).expect("lock file");
    live_lock.lock().expect("lock");
    std::fs::write(rec.path().join("4242-17-1.ron"), &text).expect("write");
    // A window that crashed: its lock file is left, unlocked.
    std::fs::File::create(rec.path().join("4343-18.lock")).expect("lock file");
    std::fs::write(rec.path().join("4343-18-1.ron"), &text).expect("write");
    // An older window without a lock file at all.
    std::fs::write(rec.path().join("999999999-1-1.ron"), &text).expect("write");
    let state = app(lib.path(), Some(rec.path()), false);
    let mut offered: Vec<String> = state
        .prompts
        .restore
        .iter()
        .filter_map(|r| r.file.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    offered.sort();
    assert_eq!(offered, ["4343-18-1.ron", "999999999-1-1.ron"]);
    // Once the first window ends, its work is offered too.
    drop(live_lock);
    let state = app(lib.path(), Some(rec.path()), false);
    assert_eq!(state.prompts.restore.len(), 3);
}

// ----- the baseline a file names -----

/// The baseline a file names goes with that file: opening another file that names none
/// compares it with its own no-controls run, whatever was open before.
#[test]
fn the_baseline_a_file_names_does_not_follow_to_the_next_file() {
    let lib = tempfile::tempdir().expect("tempdir");
    let base = lib.path().join("base.ron");
    let mut base_doc = scenario_named("Base");
    base_doc.scenario.levers.capex.0 = 4.0;
    save_file(&base, &base_doc).expect("write");
    let with = lib.path().join("with.ron");
    let mut with_doc = scenario_named("With baseline");
    with_doc.baseline = Some("base.ron".into());
    save_file(&with, &with_doc).expect("write");
    let plain = lib.path().join("plain.ron");
    save_file(&plain, &scenario_named("Plain")).expect("write");

    let mut state = app(lib.path(), None, false);
    state.apply(Command::OpenPath(with.clone()));
    settle(&mut state);
    assert_eq!(
        state.baseline().map(|b| b.doc.meta.name.clone()).as_deref(),
        Some("Base")
    );
    state.apply(Command::OpenPath(plain.clone()));
    settle(&mut state);
    assert!(
        state.baseline().is_none(),
        "the previous file's baseline stayed"
    );

    // Opened fresh, the same file gives the same headline.
    let fresh = {
        let mut s = app(lib.path(), None, false);
        s.apply(Command::OpenPath(plain.clone()));
        settle(&mut s);
        s.summaries().0
    };
    assert_eq!(state.summaries().0, fresh);
}

/// A document that exists only in the window (New from current, a paste) is unsaved until
/// it is saved: quitting or opening another file asks first.
#[test]
fn new_and_pasted_documents_are_unsaved_until_saved() {
    let lib = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("mine.ron");
    save_file(&path, &scenario_named("Mine")).expect("write");
    let mut state = app(lib.path(), None, false);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    assert!(!state.any_dirty());

    state.apply(Command::NewFromCurrent);
    settle(&mut state);
    assert!(state.active().dirty(), "a new copy counts as unsaved");
    assert!(state.any_dirty());

    let text = lodestone::scenario::to_ron_string(&scenario_named("Pasted"));
    state.apply(Command::PasteScenario(text));
    settle(&mut state);
    assert!(
        state.prompts.confirm.is_some(),
        "pasting over the unsaved copy asks first"
    );
    state.apply(Command::Confirm(ConfirmChoice::Discard));
    settle(&mut state);
    assert!(
        state.active().dirty(),
        "a pasted scenario counts as unsaved"
    );

    // Saved, it is clean.
    let saved = lib.path().join("pasted.ron");
    state.apply(Command::SaveAs(saved.clone()));
    settle(&mut state);
    state.wait_for_background(Duration::from_secs(10));
    assert!(!state.active().dirty(), "saved to {}", saved.display());
}

/// Opening a deck replaces the active document, so with unsaved work it asks first; Cancel
/// keeps the work, Discard opens the deck.
#[test]
fn opening_a_deck_asks_before_replacing_unsaved_work() {
    use lodestone::app::present::PresentCommand;
    let lib = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("mine.ron");
    save_file(&path, &scenario_named("Mine")).expect("write");
    let slide = lib.path().join("slide.ron");
    save_file(&slide, &scenario_named("Slide")).expect("write");
    let deck = lib.path().join("talk.ron");
    std::fs::write(
        &deck,
        "(title: \"Talk\", slides: [(file: \"slide.ron\", title: \"One\", notes: \"\")])\n",
    )
    .expect("write");

    let mut state = app(lib.path(), None, false);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.4,
    });
    settle(&mut state);
    assert!(state.active().dirty());

    state.apply(Command::Present(PresentCommand::OpenDeck(deck.clone())));
    settle(&mut state);
    assert!(
        state.prompts.confirm.is_some(),
        "asks before the deck replaces unsaved work"
    );
    assert_eq!(quota(&state), 0.4);
    state.apply(Command::Confirm(ConfirmChoice::Cancel));
    settle(&mut state);
    assert_eq!(quota(&state), 0.4, "cancel keeps the work");
    assert!(!state.present.on);

    state.apply(Command::Present(PresentCommand::OpenDeck(deck)));
    settle(&mut state);
    state.apply(Command::Confirm(ConfirmChoice::Discard));
    settle(&mut state);
    assert!(state.present.on, "discard opens the deck");
    assert_eq!(state.active().doc.meta.name, "Slide");
}

/// The sequence users hit: drag the quota, then capex, then undo twice. Both come back, in
/// order, and Redo replays them.
#[test]
fn two_edits_undo_in_order_and_redo() {
    let lib = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("fast.ron");
    save_file(&path, &scenario_named("Fast")).expect("write");
    let mut state = app(lib.path(), None, false);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    let capex = |s: &AppState| s.active().doc.scenario.levers.capex.0;
    let (quota0, capex0) = (quota(&state), capex(&state));
    // Each a drag: many frames with the pointer down, then the release.
    for (id, from, to) in [("quota_level", quota0, 0.29), ("capex", capex0, 9.2)] {
        for step in 1..=20 {
            let value = if step == 20 {
                to
            } else {
                from + (to - from) * f64::from(step) / 20.0
            };
            state.apply(Command::SetLever { id, value });
            state.end_frame(true);
        }
        state.end_frame(false);
    }
    assert_eq!((quota(&state), capex(&state)), (0.29, 9.2));
    state.apply(Command::Undo);
    state.end_frame(false);
    assert_eq!((quota(&state), capex(&state)), (0.29, capex0));
    state.apply(Command::Undo);
    state.end_frame(false);
    assert_eq!((quota(&state), capex(&state)), (quota0, capex0));
    assert!(!state.active().can_undo(), "nothing left to undo");
    assert!(state.active().can_redo());
    state.apply(Command::Redo);
    state.end_frame(false);
    state.apply(Command::Redo);
    state.end_frame(false);
    assert_eq!((quota(&state), capex(&state)), (0.29, 9.2));
    assert!(!state.active().can_redo());
}

/// A file broken on disk shows its problems; fixed on disk, the problems go away with the
/// reload, and the panel never claims the open file "did not open".
#[test]
fn fixing_a_broken_file_on_disk_clears_its_problems() {
    let lib = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("a.ron");
    save_file(&path, &scenario_named("First")).expect("write");
    let mut state = app(lib.path(), None, true);
    state.apply(Command::OpenPath(path.clone()));
    settle(&mut state);
    settle(&mut state);
    std::thread::sleep(Duration::from_millis(100));

    std::fs::write(&path, "(version: 2, levers: (quota_level: 7.0))\n").expect("write");
    poll_until(&mut state, "the problems of the broken file", |s| {
        s.prompts.problems.is_some()
    });
    assert!(
        state.prompts.problems.as_ref().is_some_and(|p| p.reloading),
        "the problems belong to a reload of the open file"
    );

    let mut fixed = scenario_named("Fixed");
    fixed.scenario.levers.quota_level.0 = 0.6;
    std::fs::write(&path, lodestone::scenario::to_ron_string(&fixed)).expect("write");
    poll_until(&mut state, "the fixed file reloaded", |s| {
        s.active().doc.meta.name == "Fixed"
    });
    assert!(
        state.prompts.problems.is_none(),
        "stale problems: {:?}",
        state.prompts.problems
    );
}
