//! The model version stamp: `--version`, saved scenarios (old files keep loading and keep
//! their text), exports and the notice when a file saved by another model version opens.

use crate::common::{finish_io, lodestone, path_str, scenario, text};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lodestone::app::{AppOptions, Command};
use lodestone::scenario::stamp::{Stamp, model_version};
use lodestone::scenario::{default_document, load_file, load_str, save_file, to_ron_string};
use lodestone::ui::LodestoneApp;

#[test]
fn version_prints_the_crate_version_and_the_model_id() {
    let out = lodestone(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.trim(), format!("lodestone {}", model_version()));
    assert!(model_version().starts_with(concat!(env!("CARGO_PKG_VERSION"), "+")));
}

#[test]
fn a_stamp_round_trips_and_old_files_keep_their_text() {
    // A shipped file has no stamp: it loads, and saves to the same bytes.
    let text = std::fs::read_to_string(scenario("fortress.ron")).expect("read");
    let doc = load_str(&text, "fortress.ron").expect("loads").document;
    assert_eq!(doc.stamp, None);
    assert_eq!(to_ron_string(&doc), text);

    let mut stamped = doc.clone();
    stamped.stamp = Some(Stamp::current([(
        "peak cost of supply".to_string(),
        "51.03 $/kg".to_string(),
    )]));
    let saved = to_ron_string(&stamped);
    assert!(
        saved.contains(&format!("model: \"{}\"", model_version())),
        "{saved}"
    );
    let back = load_str(&saved, "x.ron").expect("loads").document;
    assert_eq!(back, stamped);
    assert_eq!(to_ron_string(&back), saved, "byte-stable");

    // A misspelt field of the stamp is refused like any other.
    let bad = saved.replace("figures:", "figurs:");
    let err = load_str(&bad, "bad.ron").expect_err("refused");
    assert!(err.to_string().contains("figurs"), "{err}");
}

fn window(file: &std::path::Path) -> Harness<'static, LodestoneApp> {
    crate::common::settled_window(AppOptions {
        file: Some(file.to_path_buf()),
        library_dirs: vec![],
        ..AppOptions::default()
    })
}

#[test]
fn a_save_from_the_window_records_the_model_and_its_figures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mine.ron");
    save_file(&path, &default_document()).expect("write");
    let mut harness = window(&path);
    assert!(
        harness.state().state.model_notice.is_none(),
        "no stamp, no notice"
    );
    harness.state_mut().state.push(Command::SetLever {
        id: "quota_level",
        value: 0.5,
    });
    harness.run();
    harness.state_mut().state.push(Command::Save);
    finish_io(&mut harness);
    let saved = load_file(&path).expect("loads").document;
    let stamp = saved.stamp.expect("stamped");
    assert_eq!(stamp.model, model_version());
    let peak = stamp
        .figures
        .iter()
        .find(|f| f.label == "peak cost of supply")
        .expect("the peak cost is recorded");
    assert!(peak.value.ends_with("$/kg"), "{peak:?}");
    // The save is clean, and a second save writes the same bytes.
    assert!(!harness.state().state.active().dirty());
    let first = std::fs::read(&path).expect("read");
    harness.state_mut().state.push(Command::Save);
    finish_io(&mut harness);
    assert_eq!(std::fs::read(&path).expect("read"), first);
}

#[test]
fn a_file_from_another_model_version_says_so_and_shows_what_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.ron");
    let mut doc = default_document();
    doc.stamp = Some(Stamp {
        model: "0.0.9+00000000".into(),
        figures: vec![lodestone::scenario::stamp::StampFigure {
            label: "peak cost of supply".into(),
            value: "1.00 $/kg".into(),
        }],
    });
    save_file(&path, &doc).expect("write");
    let mut harness = window(&path);
    let state = &harness.state().state;
    assert!(state.model_notice.is_some());
    let status = state.status.as_ref().expect("a status message");
    assert!(status.text.contains("0.0.9+00000000"), "{}", status.text);
    assert!(status.text.contains(model_version()), "{}", status.text);
    harness.get_by_label("What changed?").click();
    harness.run();
    harness.get_by_label("1.00 $/kg");
    let changes = harness.state().state.figure_changes();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].saved, "1.00 $/kg");
    assert!(changes[0].now.ends_with("$/kg") && changes[0].now != changes[0].saved);
    harness.get_by_label(&changes[0].now);
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.state().state.model_notice.is_none());

    // The same file without figures: the notice, and a plain word in the window.
    doc.stamp = Some(Stamp {
        model: "0.0.9+00000000".into(),
        figures: Vec::new(),
    });
    save_file(&path, &doc).expect("write");
    let mut harness = window(&path);
    harness.get_by_label("What changed?").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("does not record its figures")
            .is_some()
    );
}

#[test]
fn exports_name_the_model_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("out.json");
    let out = lodestone(&[
        "run",
        path_str(&scenario("fortress.ron")),
        "--json",
        path_str(&json),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("JSON");
    assert_eq!(value["model_version"], model_version());

    let svg = dir.path().join("out.svg");
    let out = lodestone(&[
        "export",
        path_str(&scenario("fortress.ron")),
        "--svg",
        path_str(&svg),
        "--no-bands",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(&svg).expect("read");
    assert!(svg.contains(&format!("model {}", model_version())));
}
