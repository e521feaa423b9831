//! The explorer window driven headless through egui_kittest, by widget role and label as a
//! person would use it: sliders, shortcuts, the library, the problems panel. Assertions read
//! the app state the charts are drawn from.

use crate::common::finish_io;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lodestone::app::{AppOptions, Command};
use lodestone::model::SeriesId;
use lodestone::scenario::{default_document, load_file, save_file};
use lodestone::ui::LodestoneApp;
use std::path::Path;
use std::time::Duration;

fn window(library: &Path) -> Harness<'static, LodestoneApp> {
    crate::common::settled_window(AppOptions {
        library_dirs: vec![library.to_path_buf()],
        ..AppOptions::default()
    })
}

fn total_cost(harness: &Harness<'_, LodestoneApp>) -> Vec<f64> {
    harness
        .state()
        .state
        .active()
        .run
        .results
        .total
        .get(SeriesId::Cost)
        .to_vec()
}

fn quota_level(harness: &Harness<'_, LodestoneApp>) -> f64 {
    harness
        .state()
        .state
        .active()
        .doc
        .scenario
        .levers
        .quota_level
        .0
}

fn set_quota_slider(harness: &mut Harness<'_, LodestoneApp>, percent: f64) {
    harness
        .get_by_role_and_label(Role::Slider, "Quota level")
        .set_value_accesskit(percent);
    harness.run();
}

/// True when `after` is at least `before` everywhere and clearly above it somewhere.
fn rose(before: &[f64], after: &[f64]) -> bool {
    before.len() == after.len()
        && before.iter().zip(after).all(|(b, a)| *a >= *b - 1e-9)
        && before.iter().zip(after).any(|(b, a)| *a > *b * 1.01)
}

#[test]
fn lower_quota_raises_the_aggregate_cost_in_the_same_frame() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    let before = total_cost(&harness);
    assert!(!before.is_empty(), "the default scenario was charted");

    harness
        .get_by_role_and_label(Role::Slider, "Quota level")
        .set_value_accesskit(40.0);
    // One frame: the slider change is applied and re-simulated before the charts draw.
    harness.step();
    assert!((quota_level(&harness) - 0.40).abs() < 1e-9);
    let after = total_cost(&harness);
    assert!(
        rose(&before, &after),
        "a 40 % quota should raise the aggregate cost: peak {:.1} -> {:.1} $/kg",
        before.iter().cloned().fold(0.0, f64::max),
        after.iter().cloned().fold(0.0, f64::max)
    );
    harness.run();
}

#[test]
fn undo_restores_and_redo_reapplies_a_slider_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    let before = total_cost(&harness);

    set_quota_slider(&mut harness, 30.0);
    let changed = total_cost(&harness);
    assert_ne!(before, changed);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(quota_level(&harness), 1.0);
    assert_eq!(
        total_cost(&harness),
        before,
        "undo restores the charted series"
    );

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert!((quota_level(&harness) - 0.30).abs() < 1e-9);
    assert_eq!(total_cost(&harness), changed);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert!(
        (quota_level(&harness) - 0.30).abs() < 1e-9,
        "Ctrl+Y redoes too"
    );
}

#[test]
fn a_mouse_drag_of_the_slider_is_one_undo_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    let rect = harness
        .get_by_role_and_label(Role::Slider, "Quota level")
        .rect();
    // Quota level runs 0..150 %, so the default 100 % handle sits two thirds along.
    let y = rect.center().y;
    let start = egui::pos2(rect.left() + rect.width() * 2.0 / 3.0, y);
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    for fraction in [0.6, 0.5, 0.4, 0.3] {
        harness.hover_at(egui::pos2(rect.left() + rect.width() * fraction, y));
        harness.step();
    }
    let end = egui::pos2(rect.left() + rect.width() * 0.3, y);
    harness.drop_at(end);
    harness.run();
    let dragged = quota_level(&harness);
    assert!(
        dragged < 0.6,
        "dragging left lowers the quota (now {dragged})"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        quota_level(&harness),
        1.0,
        "one undo takes back the whole drag"
    );
}

#[test]
fn reset_button_puts_a_lever_back_to_its_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    set_quota_slider(&mut harness, 55.0);
    harness.get_by_label("Reset Quota level").click();
    harness.run();
    assert_eq!(quota_level(&harness), 1.0);
}

#[test]
fn dirty_marker_appears_on_change_and_clears_on_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    assert!(harness.query_by_label("• unsaved changes").is_none());

    set_quota_slider(&mut harness, 70.0);
    assert!(harness.state().state.active().dirty());
    harness.get_by_label("• unsaved changes");

    let path = dir.path().join("saved.ron");
    harness
        .state_mut()
        .state
        .push(Command::SaveAs(path.clone()));
    finish_io(&mut harness);
    assert!(!harness.state().state.active().dirty());
    assert!(harness.query_by_label("• unsaved changes").is_none());
    assert!(path.is_file());
}

#[test]
fn save_writes_a_file_that_loads_back_equal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    set_quota_slider(&mut harness, 45.0);
    let path = dir.path().join("round_trip.ron");
    harness
        .state_mut()
        .state
        .push(Command::SaveAs(path.clone()));
    finish_io(&mut harness);

    let loaded = load_file(&path).expect("the saved file loads");
    assert_eq!(loaded.document, harness.state().state.active().doc);
    assert!((loaded.document.scenario.levers.quota_level.0 - 0.45).abs() < 1e-12);

    // Ctrl+S writes to the same file again without a dialog.
    set_quota_slider(&mut harness, 65.0);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    finish_io(&mut harness);
    let again = load_file(&path).expect("saved again");
    assert!((again.document.scenario.levers.quota_level.0 - 0.65).abs() < 1e-12);
    assert!(!harness.state().state.active().dirty());
}

#[test]
fn a_broken_file_shows_every_problem_and_keeps_the_current_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    set_quota_slider(&mut harness, 60.0);
    let before = harness.state().state.active().doc.clone();

    let broken = dir.path().join("broken.ron");
    std::fs::write(
        &broken,
        "(\n    version: 2,\n    name: \"Broken\",\n    levers: (quota_level: \"lots\"),\n)\n",
    )
    .expect("write broken file");
    let diagnostics = load_file(&broken)
        .expect_err("the file is broken")
        .diagnostics;
    assert!(!diagnostics.is_empty());

    // Dropped onto a dirty document, opening would ask first; discard to proceed.
    harness
        .state_mut()
        .state
        .push(Command::OpenPath(broken.clone()));
    harness.run();
    harness.get_by_label("Discard changes").click();
    finish_io(&mut harness);

    assert_eq!(
        harness.state().state.active().doc,
        before,
        "current work untouched"
    );
    let problem = harness
        .state()
        .state
        .prompts
        .problems
        .clone()
        .expect("problems listed");
    assert_eq!(problem.diagnostics, diagnostics);
    for d in &diagnostics {
        // Every problem is on screen as file:line:col: message.
        harness.get_by_label(&d.to_string());
    }
    harness.get_by_label("Copy all");
    harness.get_by_label("Close problems").click();
    harness.run();
    assert!(harness.state().state.prompts.problems.is_none());
}

#[test]
fn library_lists_files_and_opens_one_on_click() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = default_document();
    doc.meta.name = "Library pick".into();
    doc.meta.description = "A scenario in the library".into();
    doc.scenario.levers.quota_level.0 = 0.5;
    let path = dir.path().join("pick.ron");
    save_file(&path, &doc).expect("write scenario");
    std::fs::write(dir.path().join("bad.ron"), "(nonsense").expect("write bad file");

    let mut harness = window(dir.path());
    harness.get_by_label("A scenario in the library");
    harness.get_by_label("Library pick").click();
    finish_io(&mut harness);
    let state = &harness.state().state;
    assert_eq!(state.active().path.as_deref(), Some(path.as_path()));
    assert_eq!(state.active().doc.scenario.levers.quota_level.0, 0.5);
    // The current file is marked.
    harness.get_by_label("» Library pick");

    // Switching away from unsaved changes asks first; Cancel keeps them.
    set_quota_slider(&mut harness, 20.0);
    harness.get_by_label("bad").click();
    finish_io(&mut harness);
    assert!(
        harness.state().state.prompts.problems.is_some(),
        "bad file explains itself"
    );
    harness.get_by_label("Close problems").click();
    harness.run();
    harness
        .state_mut()
        .state
        .push(Command::OpenPath(path.clone()));
    harness.run();
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!((quota_level(&harness) - 0.20).abs() < 1e-9);
}

#[test]
fn every_widget_is_named_and_the_light_theme_renders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    // `run` checks that every input widget has an accessible name.
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Light theme").click();
    harness.run();
    assert_eq!(
        harness.state().state.view.theme,
        lodestone::display::palette::ThemeChoice::Light
    );
}

/// A file as the window system hands it over on drop.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_ron_file_on_the_window_opens_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut doc = default_document();
    doc.meta.name = "Dropped scenario".into();
    doc.scenario.levers.quota_level.0 = 0.7;
    let path = dir.path().join("dropped.ron");
    save_file(&path, &doc).expect("write scenario");

    let mut harness = window(dir.path());
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    finish_io(&mut harness);
    let active = harness.state().state.active();
    assert_eq!(active.path.as_deref(), Some(path.as_path()));
    assert_eq!(active.doc.meta.name, "Dropped scenario");
    assert!((quota_level(&harness) - 0.7).abs() < 1e-12);
}

#[test]
fn events_and_per_material_quotas_are_edited_from_the_panel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    let events = |h: &Harness<'_, LodestoneApp>| h.state().state.active().doc.scenario.events.len();
    let before = events(&harness);

    harness.get_by_label("Add event").click();
    harness.run();
    assert_eq!(events(&harness), before + 1);
    harness
        .get_by_label(&format!("Remove event {}", before + 1))
        .click();
    harness.run();
    assert_eq!(events(&harness), before);

    let ndpr = harness
        .state()
        .state
        .active()
        .doc
        .scenario
        .materials
        .iter()
        .position(|m| m.id == "NdPr")
        .expect("the default scenario has NdPr");
    let cost_before = total_cost(&harness);
    harness
        .get_by_role_and_label(Role::Slider, "NdPr quota")
        .set_value_accesskit(20.0);
    harness.run();
    let material = &harness.state().state.active().doc.scenario.materials[ndpr];
    assert!((material.quota_share.0 - 0.20).abs() < 1e-9);
    assert!(rose(&cost_before, &total_cost(&harness)));
}

/// F1 lists every shortcut over the window, Esc closes it; Help opens the model's own
/// documentation.
#[test]
fn f1_lists_the_shortcuts_and_help_opens_the_model_documentation() {
    let lib = tempfile::tempdir().expect("tempdir");
    let mut harness = window(lib.path());
    harness.key_press(Key::F1);
    harness.run();
    harness.get_by_label("Keyboard shortcuts");
    harness.get_by_label("Undo the last change (levers, events, name and notes)");
    harness.get_by_label("Previous slide");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Previous slide").is_none(),
        "Esc closes it"
    );

    harness.get_by_label("Help").click();
    harness.run();
    harness
        .get_by_label("How the model works (MODEL.md)")
        .click();
    harness.run();
    // A heading of MODEL.md, drawn from the text built into the program.
    assert!(
        harness
            .query_all_by_label_contains("Backtests")
            .next()
            .is_some(),
        "MODEL.md's sections are shown"
    );
}

/// Revert puts the saved file back as one step, and Undo brings the edit back.
#[test]
fn revert_to_saved_is_one_undoable_step() {
    let lib = tempfile::tempdir().expect("tempdir");
    let path = lib.path().join("mine.ron");
    save_file(&path, &default_document()).expect("write");
    let mut harness = window(lib.path());
    let state = &mut harness.state_mut().state;
    state.apply(Command::OpenPath(path.clone()));
    finish_io(&mut harness);
    let saved = quota_level(&harness);
    set_quota_slider(&mut harness, 40.0);
    assert!((quota_level(&harness) - 0.4).abs() < 1e-9);
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Revert to saved").click();
    harness.run();
    assert_eq!(quota_level(&harness), saved);
    assert!(!harness.state().state.active().dirty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        (quota_level(&harness) - 0.4).abs() < 1e-9,
        "Undo brings the edit back"
    );
    // The file on disk was never touched.
    assert_eq!(
        load_file(&path)
            .expect("load")
            .document
            .scenario
            .levers
            .quota_level
            .0,
        saved
    );
}

/// Without a file dialog, Save As asks for a folder and a file name, says when the file
/// exists and asks to replace it: the button says Replace, and the file is written only
/// when it is clicked.
#[test]
fn in_app_save_as_asks_before_replacing_a_file() {
    let lib = tempfile::tempdir().expect("tempdir");
    let other = lib.path().join("other.ron");
    let mut other_doc = default_document();
    other_doc.meta.name = "Other".into();
    save_file(&other, &other_doc).expect("write");
    let mut harness = window(lib.path());
    set_quota_slider(&mut harness, 40.0);
    harness.state_mut().state.prompts.save_as_prompt = Some(other.display().to_string());
    harness.run();
    harness.get_by_label("Folder");
    harness.get_by_label("other.ron already exists in this folder. Saving replaces it.");
    assert_eq!(
        load_file(&other).expect("untouched").document.meta.name,
        "Other"
    );
    harness.get_by_label("Replace").click();
    finish_io(&mut harness);
    let written = load_file(&other).expect("replaced").document;
    assert!((written.scenario.levers.quota_level.0 - 0.4).abs() < 1e-9);
    assert!(harness.state().state.prompts.save_as_prompt.is_none());
    assert!(!harness.state().state.active().dirty());
}

/// Moving one capex share moves the others with it: dragging NdPr's from 75 % to 91 % leaves
/// Dy, Tb and Other sharing the 9 % left in their 5 : 2 : 18 proportions, the run uses 100 %
/// of the capex, and the file Save As writes opens again.
#[test]
fn capex_shares_keep_summing_to_one_and_the_saved_file_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(dir.path());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness
        .get_by_role_and_label(Role::Slider, "NdPr capex share")
        .set_value_accesskit(91.0);
    harness.run();
    let shares: Vec<f64> = harness
        .state()
        .state
        .active()
        .doc
        .scenario
        .materials
        .iter()
        .map(|m| m.capex_share.0)
        .collect();
    assert!((shares[0] - 0.91).abs() < 1e-9, "{shares:?}");
    assert!(
        (shares.iter().sum::<f64>() - 1.0).abs() < 1e-9,
        "{shares:?}"
    );
    assert!((shares[1] - 0.09 * 5.0 / 25.0).abs() < 1e-9, "{shares:?}");
    assert!((shares[3] - 0.09 * 18.0 / 25.0).abs() < 1e-9, "{shares:?}");

    let path = dir.path().join("capex.ron");
    harness
        .state_mut()
        .state
        .push(Command::SaveAs(path.clone()));
    finish_io(&mut harness);
    assert!(!harness.state().state.active().dirty());
    let loaded = load_file(&path).expect("the saved file opens again");
    assert_eq!(loaded.document, harness.state().state.active().doc);
}

/// "New from current" starts a scenario of its own: the levers and events of the parent, but
/// a fresh description naming the parent, no parent tags, author or notes; Save As suggests a
/// clean slug.
#[test]
fn new_from_current_starts_a_fresh_story() {
    let dir = tempfile::tempdir().expect("temp dir");
    let parent = dir.path().join("hedge.ron");
    let mut doc = default_document();
    doc.meta.name = "Board hedge: 40 % quota, fast capex".into();
    doc.meta.description = "The parent's own description".into();
    doc.meta.author = "Someone Else".into();
    doc.meta.tags = vec!["board".into()];
    doc.meta.notes = "The parent's notes".into();
    doc.scenario.levers.quota_level.0 = 0.4;
    save_file(&parent, &doc).expect("saved");
    let mut harness = window(dir.path());
    harness.state_mut().state.push(Command::OpenPath(parent));
    finish_io(&mut harness);
    harness.state_mut().state.push(Command::NewFromCurrent);
    harness.run();
    let active = harness.state().state.active();
    let meta = &active.doc.meta;
    assert_eq!(
        meta.description,
        "Based on Board hedge: 40 % quota, fast capex"
    );
    assert!(meta.tags.is_empty(), "{:?}", meta.tags);
    assert!(meta.notes.is_empty(), "{:?}", meta.notes);
    assert_ne!(meta.author, "Someone Else");
    assert_eq!(active.doc.scenario.levers.quota_level.0, 0.4, "levers kept");
    let state = &harness.state().state;
    let stem = state.default_export_path(&lodestone::app::outputs::ExportWhat::TableCsv);
    let name = stem.file_name().map(|n| n.to_string_lossy().into_owned());
    assert!(
        name.as_deref()
            .is_some_and(|n| n.starts_with("copy-of-board-hedge-40-quota-fast-capex-")),
        "{name:?}"
    );
}

/// After an unclean exit the restore question comes first: Save As (Ctrl+Shift+S) and the
/// other shortcuts wait until it is answered, instead of opening over it.
#[test]
fn shortcuts_wait_while_the_restore_question_is_open() {
    let lib = tempfile::tempdir().expect("tempdir");
    let recovery = tempfile::tempdir().expect("tempdir");
    let options = || AppOptions {
        library_dirs: vec![lib.path().to_path_buf()],
        recovery_dir: Some(recovery.path().to_path_buf()),
        ..AppOptions::default()
    };
    // A session with an unsaved edit that never closed: its autosave is left behind.
    {
        let mut state = lodestone::app::AppState::new(options());
        state.wait_for_background(Duration::from_secs(10));
        state.apply(Command::SetLever {
            id: "quota_level",
            value: 0.4,
        });
        state.end_frame(false);
        state.autosave_tick(
            std::time::Instant::now()
                + lodestone::app::recovery::IDLE_BEFORE_AUTOSAVE
                + Duration::from_millis(10),
            false,
        );
        state.services().recovery().flush(Duration::from_secs(5));
    }
    let mut harness = crate::common::settled_window(options());
    harness.get_by_label("Unsaved work from last time");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    let state = &harness.state().state;
    assert!(
        state.prompts.save_as_prompt.is_none(),
        "Save As opened over the question"
    );
    assert_eq!(
        state.documents().len(),
        1,
        "Ctrl+N acted behind the question"
    );
    harness.get_by_label("Unsaved work from last time");
    // Answered, the same key opens Save As.
    harness.get_by_label("Restore").click();
    finish_io(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    finish_io(&mut harness);
    assert!(harness.state().state.prompts.save_as_prompt.is_some());
}
