//! Compare and present, driven headless through egui_kittest: pinning and unpinning by the
//! buttons a person clicks, the delta view's values, stepping through a deck with PageDown,
//! and annotations saved to a file and read back.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lodestone::app::compare::CompareCommand;
use lodestone::app::outputs::{ExportRequest, ExportWhat};
use lodestone::app::present::PresentCommand;
use lodestone::app::scene::LineRole;
use lodestone::app::{AppOptions, AppState, ChartKind, Command};
use lodestone::model::{SeriesId, YearMonth};
use lodestone::scenario::annotation::{self, Annotation};
use lodestone::scenario::{load_file, load_str, save_file, to_ron_string};
use lodestone::ui::LodestoneApp;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn window(file: Option<PathBuf>) -> Harness<'static, LodestoneApp> {
    crate::common::settled_window(AppOptions {
        file,
        library_dirs: vec![root().join("scenarios")],
        ..AppOptions::default()
    })
}

/// Applies a command and lets any file read or write it started land.
fn apply(harness: &mut Harness<'_, LodestoneApp>, command: Command) {
    harness.state_mut().state.push(command);
    crate::common::finish_io(harness);
}

/// Pins a scenario file of the repository (a path relative to its root).
fn pin_file(harness: &mut Harness<'_, LodestoneApp>, file: &str) {
    apply(
        harness,
        Command::Compare(CompareCommand::PinFile(root().join(file))),
    );
}

#[test]
fn pin_and_unpin_by_the_buttons() {
    let mut harness = window(None);
    assert!(harness.state().state.compare.pins.is_empty());
    harness.get_by_label("Pin current").click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.compare.pins.len(), 1);
    // The first pin becomes the baseline, listed in the strip with its colour.
    let id = state.compare.pins[0].id;
    assert!(state.is_baseline_pin(id));
    let name = state.compare.pins[0].name.clone();
    assert!(
        harness
            .query_by_label(&format!("{name} (baseline)"))
            .is_some()
    );

    pin_file(&mut harness, "scenarios/fortress.ron");
    let pins = &harness.state().state.compare.pins;
    assert_eq!(pins.len(), 2);
    // Colour slots follow pin order and stay put when an earlier pin goes.
    assert_eq!((pins[0].slot, pins[1].slot), (0, 1));

    harness.get_by_label(&format!("Unpin {name}")).click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.compare.pins.len(), 1);
    assert_eq!(state.compare.pins[0].slot, 1);
    assert!(
        state.baseline().is_none(),
        "unpinning the baseline pin clears the baseline"
    );
}

#[test]
fn delta_view_shows_current_minus_baseline() {
    let mut harness = window(Some(root().join("scenarios/status-quo.ron")));
    pin_file(&mut harness, "scenarios/fortress.ron");
    apply(
        &mut harness,
        Command::Compare(CompareCommand::SetDelta(true)),
    );
    harness.get_by_label("Delta view");
    let state = &harness.state().state;
    let base = &state
        .baseline()
        .expect("the pin is the baseline")
        .run
        .results;
    let current = &state.active().run.results;
    for kind in [
        ChartKind::Cost,
        ChartKind::Dependency,
        ChartKind::ChinaExports,
    ] {
        let scene = state.chart_scene(kind, Some(Instant::now()));
        assert!(scene.delta);
        let total = scene
            .lines
            .iter()
            .find(|l| l.role == LineRole::Total)
            .expect("the aggregate's difference");
        let lines = lodestone::app::plot_cache::ChartLines {
            materials: Vec::new(),
            total: total.points.to_vec(),
        };
        let id = kind.series();
        let (a, b) = (current.total.get(id), base.total.get(id));
        assert_eq!(lines.total.len(), a.len());
        for (i, p) in lines.total.iter().enumerate() {
            let want = (a[i] - b[i]) * kind.scale();
            let tol = 1e-9 * want.abs().max(1.0) + if kind.log_scale() { 1e-6 * a[i] } else { 0.0 };
            assert!(
                (p.y - want).abs() <= tol,
                "{kind:?} step {i}: {} vs {want}",
                p.y
            );
        }
    }
    // A cost series that differs: the delta is not all zeros.
    let cost = current.total.get(SeriesId::Cost);
    assert!(
        cost.iter()
            .zip(base.total.get(SeriesId::Cost))
            .any(|(a, b)| (a - b).abs() > 1e-6)
    );
}

fn deck_in(dir: &Path) -> PathBuf {
    let deck = dir.join("talk.ron");
    let scenarios = root().join("scenarios");
    let text = format!(
        "(title: \"Test talk\", slides: [\n  (file: \"{0}/baseline-2024.ron\", title: \"One\", notes: \"first\"),\n  (file: \"{0}/fortress.ron\", title: \"Two\", notes: \"second\"),\n])\n",
        scenarios.display()
    );
    std::fs::write(&deck, text).expect("deck written");
    deck
}

#[test]
fn page_down_steps_through_a_deck() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(None);
    apply(
        &mut harness,
        Command::Present(PresentCommand::OpenDeck(deck_in(dir.path()))),
    );
    let state = &harness.state().state;
    assert!(state.present.on, "opening a deck starts presenting");
    assert_eq!(state.present.slide().map(|s| s.2), Some("One"));
    assert!(
        state
            .active()
            .path
            .as_ref()
            .is_some_and(|p| p.ends_with("baseline-2024.ron"))
    );

    harness.key_press(Key::PageDown);
    // The frame that takes the key already shows the new slide's title with its figures.
    harness.step();
    harness.get_by_label("Two");
    harness.run_steps(1);
    let state = &harness.state().state;
    assert_eq!(state.present.slide().map(|s| (s.0, s.2)), Some((1, "Two")));
    assert!(
        state
            .active()
            .path
            .as_ref()
            .is_some_and(|p| p.ends_with("fortress.ron"))
    );
    assert!(
        state.present.animating(Instant::now()),
        "the curves move to the new slide"
    );

    // Past the last slide nothing changes; PageUp goes back; Esc leaves.
    harness.key_press(Key::PageDown);
    harness.run_steps(2);
    assert_eq!(harness.state().state.present.slide().map(|s| s.0), Some(1));
    harness.key_press(Key::PageUp);
    harness.run_steps(2);
    assert_eq!(harness.state().state.present.slide().map(|s| s.0), Some(0));
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().state.present.on);
    harness.key_press(Key::F5);
    harness.run_steps(2);
    assert!(harness.state().state.present.on);
}

#[test]
fn annotations_are_saved_and_reloaded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("noted.ron");
    std::fs::copy(root().join("scenarios/fortress.ron"), &file).expect("copied");
    let mut harness = window(Some(file.clone()));
    let date = YearMonth::new(2026, 1).expect("a month");
    let note = annotation::new(date, ChartKind::Cost, "Licences resume");
    apply(
        &mut harness,
        Command::Present(PresentCommand::AddAnnotation(note.clone())),
    );
    assert!(harness.state().state.active().dirty());
    apply(&mut harness, Command::Save);
    let loaded = load_file(&file).expect("reloads");
    assert_eq!(loaded.document.annotations, vec![note.clone()]);

    // Reopened in a new window, the note is on the document the charts draw.
    let harness = window(Some(file));
    assert_eq!(harness.state().state.active().doc.annotations, vec![note]);
}

#[test]
fn annotation_section_round_trips_and_is_validated() {
    let text = std::fs::read_to_string(root().join("scenarios/fortress.ron")).expect("read");
    let mut doc = load_str(&text, "f.ron").expect("loads").document;
    // Old files stay byte-identical: no notes, no section.
    assert!(!to_ron_string(&doc).contains("annotations"));
    doc.annotations.push(Annotation {
        date: YearMonth::new(2030, 6).expect("month"),
        chart: ChartKind::Dependency,
        text: "Crossing".into(),
    });
    let saved = to_ron_string(&doc);
    assert!(saved.contains("annotations"));
    assert_eq!(load_str(&saved, "f.ron").expect("reloads").document, doc);

    let bad = saved.replace("\"2030-06\"", "\"2099-01\"");
    let err = load_str(&bad, "f.ron").expect_err("outside the horizon");
    let d = &err.diagnostics[0];
    assert_eq!(d.field, "annotations[0].date");
    let line = bad
        .lines()
        .position(|l| l.contains("2099-01"))
        .expect("line")
        + 1;
    assert_eq!(d.line, line, "{d}");
}

#[test]
fn pasted_scenario_opens_or_lists_its_problems() {
    let mut harness = window(None);
    let text = std::fs::read_to_string(root().join("scenarios/fortress.ron")).expect("read");
    apply(&mut harness, Command::PasteScenario(text));
    assert_eq!(harness.state().state.active().display_name(), "Fortress");
    apply(
        &mut harness,
        Command::PasteScenario("(version: 2, levers: (capex: -1))".into()),
    );
    let problems = harness
        .state()
        .state
        .prompts
        .problems
        .clone()
        .expect("problems shown");
    assert!(
        problems.text().contains("clipboard:1:"),
        "{}",
        problems.text()
    );
    let _ = save_file;
}

#[test]
fn exports_from_the_window_are_written_in_the_background() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(Some(root().join("scenarios/fortress.ron")));
    pin_file(&mut harness, "scenarios/status-quo.ron");
    let (svg, md) = (dir.path().join("c.svg"), dir.path().join("t.md"));
    for (what, path) in [
        (ExportWhat::ChartsSvg, svg.clone()),
        (ExportWhat::TableMarkdown, md.clone()),
    ] {
        apply(
            &mut harness,
            Command::Export(ExportRequest {
                what,
                path: Some(path),
            }),
        );
    }
    harness
        .state_mut()
        .state
        .wait_for_background(Duration::from_secs(20));
    let text = std::fs::read_to_string(&svg).expect("SVG written");
    assert!(
        text.contains("Pinned: Status quo"),
        "pinned line in the legend"
    );
    let table = std::fs::read_to_string(&md).expect("table written");
    assert!(table.starts_with("| figure | Fortress (current) | Status quo"));
}

/// The unsaved-changes question is drawn while presenting too: closing the window with live
/// tweaks asks instead of appearing to do nothing.
#[test]
fn the_unsaved_changes_question_shows_while_presenting() {
    let mut harness = window(None);
    apply(&mut harness, Command::Present(PresentCommand::Enter));
    apply(
        &mut harness,
        Command::SetLever {
            id: "quota_level",
            value: 0.5,
        },
    );
    assert!(harness.state().state.present.on);
    apply(&mut harness, Command::Quit);
    assert!(harness.state().state.prompts.confirm.is_some());
    harness.get_by_label("Cancel");
    assert!(
        harness
            .query_by_label_contains("has changes that are not saved")
            .is_some(),
        "the question is on screen"
    );
}

/// Without a file dialog, Save As asks for the path in the window: the box proposes a name,
/// takes a typed path and writes the file there.
#[test]
fn save_as_without_a_file_dialog_asks_for_the_path_in_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(None);
    apply(&mut harness, Command::NewFromCurrent);
    apply(&mut harness, Command::AskSavePath);
    let proposed = harness
        .state()
        .state
        .prompts
        .save_as_prompt
        .clone()
        .expect("the box is open");
    assert!(proposed.ends_with(".ron"), "{proposed}");
    harness.get_by_label("Save scenario as");
    let target = dir.path().join("typed.ron");
    apply(
        &mut harness,
        Command::SetSavePath(target.display().to_string()),
    );
    harness.get_by_label("Save").click();
    harness.run();
    harness
        .state_mut()
        .state
        .wait_for_background(Duration::from_secs(10));
    harness.run();
    assert!(
        harness.state().state.prompts.save_as_prompt.is_none(),
        "the box closes"
    );
    let saved = load_file(&target).expect("the file was written where typed");
    assert!(saved.document.meta.name.starts_with("Copy of"));
    assert!(!harness.state().state.active().dirty());
}

/// With no dialog service, choosing Save As opens that box instead of advice about opening.
#[test]
fn a_missing_save_dialog_opens_the_path_box() {
    let mut harness = window(None);
    apply(&mut harness, Command::ShowSaveAsDialog);
    let deadline = Instant::now() + Duration::from_secs(10);
    while harness.state().state.prompts.save_as_prompt.is_none() && Instant::now() < deadline {
        harness
            .state_mut()
            .state
            .wait_for_background(Duration::from_millis(200));
        harness.run();
    }
    assert!(
        harness.state().state.prompts.save_as_prompt.is_some(),
        "status: {:?}",
        harness.state().state.status
    );
}

#[test]
fn a_deck_shows_only_its_own_pins_and_leaving_gives_the_explorer_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenarios = root().join("scenarios");
    let deck = dir.path().join("pinned.ron");
    std::fs::write(
        &deck,
        format!(
            "(title: \"Pins\", slides: [\n  (file: \"{0}/baseline-2024.ron\", title: \"Clean\", baseline: Some(\"\")),\n  (file: \"{0}/fortress.ron\", title: \"Against status quo\", pins: [\"{0}/status-quo.ron\"]),\n])\n",
            scenarios.display()
        ),
    )
    .expect("deck written");
    let mut harness = window(Some(scenarios.join("pause-2025-11.ron")));
    apply(
        &mut harness,
        Command::Compare(CompareCommand::PinFile(scenarios.join("fortress.ron"))),
    );
    let pinned_before = harness.state().state.compare.pins.len();
    assert_eq!(pinned_before, 1);

    apply(
        &mut harness,
        Command::Present(PresentCommand::OpenDeck(deck)),
    );
    let state = &harness.state().state;
    assert!(
        state.compare.pins.is_empty(),
        "explorer pins stay out of the deck"
    );
    assert!(state.baseline().is_none(), "the slide says: no baseline");
    let (now, _) = state.summaries();
    let slide = &state.active().doc.scenario;
    let own = lodestone::model::Comparison::between(
        &lodestone::model::simulate(slide),
        &lodestone::model::simulate(&slide.reference()),
    )
    .extra_cost_usd;
    assert!(
        (now.extra_cost_usd - own).abs() < 1.0,
        "no leaked reference: {} vs {own}",
        now.extra_cost_usd
    );

    harness.key_press(Key::PageDown);
    harness.run_steps(2);
    // The slide's pin is read off the UI thread (the curves still move: no settling run).
    harness
        .state_mut()
        .state
        .wait_for_background(Duration::from_secs(10));
    harness.run_steps(2);
    let state = &harness.state().state;
    let names: Vec<&str> = state.compare.pins.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), 1, "the slide's own pin: {names:?}");
    assert!(
        state.compare.pins[0]
            .path
            .as_ref()
            .is_some_and(|p| p.ends_with("status-quo.ron"))
    );

    harness.key_press(Key::Escape);
    harness.run_steps(2);
    let state = &harness.state().state;
    assert!(!state.present.on);
    assert!(
        state
            .active()
            .path
            .as_ref()
            .is_some_and(|p| p.ends_with("pause-2025-11.ron")),
        "back to the document we had"
    );
    assert_eq!(state.compare.pins.len(), 1);
    assert!(
        state.compare.pins[0]
            .path
            .as_ref()
            .is_some_and(|p| p.ends_with("fortress.ron"))
    );
    assert!(
        state.present.deck.is_none(),
        "an untouched deck closes on leaving"
    );
}

#[test]
fn png_exports_at_different_scales_get_different_names() {
    let harness = window(Some(root().join("scenarios/fortress.ron")));
    let state = &harness.state().state;
    let one = state.default_export_path(&ExportWhat::ChartsPng { scale: 1.0 });
    let two = state.default_export_path(&ExportWhat::ChartsPng { scale: 2.0 });
    assert_ne!(one, two, "a 2x export must not overwrite the 1x one");
    assert!(
        two.to_string_lossy().ends_with("charts@2x.png"),
        "{}",
        two.display()
    );
}

/// Present > Export board pack writes the deck's pack beside it, on the IO worker, and says
/// where.
#[test]
fn present_menu_exports_the_board_pack_beside_the_deck() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deck = dir.path().join("talk.ron");
    let slide = root().join("scenarios/fortress.ron");
    std::fs::write(
        &deck,
        format!(
            "(title: \"Talk\", slides: [(file: {:?}, title: \"Fortress\", notes: \"Say it.\")])\n",
            slide.display().to_string()
        ),
    )
    .expect("write deck");
    let mut harness = crate::common::settled_window(AppOptions {
        deck_dirs: vec![dir.path().to_path_buf()],
        ..AppOptions::default()
    });
    harness.get_by_label("Present").click();
    harness.run();
    harness.get_by_label("Export board pack (PDF)").click();
    harness.run();
    harness.get_by_label("talk.ron").click();
    crate::common::finish_io(&mut harness);
    let pack = dir.path().join("talk-pack.pdf");
    let bytes = std::fs::read(&pack).expect("the pack is written beside the deck");
    assert!(bytes.starts_with(b"%PDF-"));
    let status = harness.state().state.status.clone().expect("status");
    assert!(
        status.text.contains("talk-pack.pdf") && !status.is_error,
        "{status:?}"
    );
}

/// The lever diff covers every pin, not only the baseline: an input that differs only from a
/// pin gets a row, with that pin's value in its column.
#[test]
fn lever_diff_covers_every_pin() {
    let mut harness = window(Some(root().join("scenarios/fortress.ron")));
    pin_file(&mut harness, "scenarios/status-quo.ron");
    apply(
        &mut harness,
        Command::Compare(CompareCommand::ShowTable(true)),
    );
    // Status quo rolls the controls back in its third event; the baseline pauses them like
    // Fortress does, so only the pin's column shows the difference.
    harness.get_by_label("2025-11 rollback, quota 100 %, no licensing, on Dy, Tb, Other");
    harness.get_by_label("Policy event 3");
}

/// A pinned baseline is one column of the lever diff, named as the baseline, not two
/// columns with the same values.
#[test]
fn lever_diff_shows_a_pinned_baseline_once() {
    let mut harness = window(None);
    for file in ["scenarios/status-quo.ron", "scenarios/fortress.ron"] {
        pin_file(&mut harness, file);
    }
    apply(
        &mut harness,
        Command::Compare(CompareCommand::ShowTable(true)),
    );
    let state = &harness.state().state;
    let baseline = state
        .compare
        .baseline()
        .expect("the first pin is the baseline");
    let name = baseline.name.clone();
    assert!(
        harness
            .query_by_label(&format!("baseline: {name}"))
            .is_none(),
        "no separate baseline column"
    );
    // The pin strip and the diff's column both name it as the baseline.
    assert!(
        harness
            .query_all_by_label(&format!("{name} (baseline)"))
            .count()
            >= 2
    );
}

/// Without a baseline, the compare table measures each pin against its own run without
/// export controls, as `lodestone run` does: unpinning the baseline pin leaves the others
/// with that reference, and the table names their extra cost.
#[test]
fn pins_without_a_baseline_are_measured_against_their_own_no_controls_run() {
    use lodestone::model::{Comparison, simulate};
    let mut harness = window(None);
    for file in ["scenarios/status-quo.ron", "scenarios/fortress.ron"] {
        pin_file(&mut harness, file);
    }
    let first = harness.state().state.compare.pins[0].id;
    apply(&mut harness, Command::Compare(CompareCommand::Unpin(first)));
    let state = &harness.state().state;
    assert!(state.baseline().is_none(), "the baseline went with its pin");
    let columns = state.compare_columns();
    assert_eq!(
        columns.len(),
        2,
        "the current scenario and the remaining pin"
    );
    let scenario = &load_file(&root().join("scenarios/fortress.ron"))
        .unwrap()
        .document
        .scenario;
    let run = simulate(scenario);
    let want = Comparison::between(&run, &simulate(&scenario.reference())).extra_cost_usd;
    assert!(
        want > 1e9,
        "fortress costs more than without controls: {want}"
    );
    assert_eq!(columns[1].summary.extra_cost_usd.to_bits(), want.to_bits());
}

#[test]
fn a_window_export_over_the_open_scenario_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("mine.ron");
    std::fs::copy(root().join("scenarios/fortress.ron"), &file).expect("copy");
    let before = std::fs::read(&file).expect("read");
    let mut harness = window(Some(file.clone()));
    apply(
        &mut harness,
        Command::Export(ExportRequest {
            what: ExportWhat::SeriesCsv,
            path: Some(file.clone()),
        }),
    );
    harness
        .state_mut()
        .state
        .wait_for_background(Duration::from_secs(20));
    harness.run();
    assert_eq!(std::fs::read(&file).expect("read"), before);
}

fn quota(harness: &Harness<'_, LodestoneApp>) -> f64 {
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

fn file_quota(path: &Path) -> f64 {
    load_file(path)
        .expect("loads")
        .document
        .scenario
        .levers
        .quota_level
        .0
}

/// A deck owns its slides: a lever moved in the explorer (unsaved) never shows on a slide,
/// whether the deck is opened ("Discard changes" answered) or resumed with F5; "Discard"
/// really drops the explorer's edit; a slide keeps only the edits made on it.
#[test]
fn explorer_lever_moves_never_reach_a_slide() {
    let fortress = root().join("scenarios/fortress.ron");
    let first_slide = root().join("scenarios/baseline-2024.ron");
    let mut harness = window(Some(fortress.clone()));
    harness
        .get_by_role_and_label(egui::accesskit::Role::Slider, "Quota level")
        .set_value_accesskit(58.0);
    harness.run();
    assert!((quota(&harness) - 0.58).abs() < 1e-9);
    assert!(harness.state().state.active().dirty());

    harness
        .state_mut()
        .state
        .push(Command::Present(PresentCommand::OpenDeck(
            root().join("decks/2025-story.ron"),
        )));
    harness.run();
    assert!(
        harness.state().state.prompts.confirm.is_some(),
        "unsaved: asks first"
    );
    harness.get_by_label("Discard changes").click();
    // The deck and its first slide are read off the UI thread.
    crate::common::finish_io(&mut harness);
    let state = &harness.state().state;
    assert!(state.present.on);
    assert_eq!(state.present.slide().map(|s| s.0), Some(0));
    assert_eq!(
        quota(&harness),
        file_quota(&first_slide),
        "slide 1 is its file, not the explorer's 58 %"
    );
    assert!(!harness.state().state.active().dirty());

    // An edit on the slide keeps the deck loaded after Esc.
    harness.state_mut().state.push(Command::SetLever {
        id: "quota_level",
        value: 0.7,
    });
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    let state = &harness.state().state;
    assert!(!state.present.on);
    assert!(
        state.present.deck.is_some(),
        "the tweaked deck stays loaded"
    );
    assert_eq!(
        state.active().doc,
        load_file(&fortress).expect("loads").document,
        "Discard dropped the explorer's edit"
    );

    harness
        .get_by_role_and_label(egui::accesskit::Role::Slider, "Quota level")
        .set_value_accesskit(28.0);
    harness.run();
    assert!((quota(&harness) - 0.28).abs() < 1e-9);
    harness.key_press(Key::F5);
    harness.run_steps(4);
    assert!(harness.state().state.present.on);
    assert_eq!(
        quota(&harness),
        0.7,
        "the resumed slide shows its own edit, not the explorer's 28 %"
    );

    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(
        (quota(&harness) - 0.28).abs() < 1e-9,
        "the explorer keeps its edit"
    );
}

/// A chart note by hand: right-click the cost chart, type, Enter. The popup's field has the
/// keyboard at once, clicking into it keeps the popup open, and the note is saved with the
/// scenario as one undoable step.
#[test]
fn right_click_type_enter_adds_a_chart_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(None);
    // The chart's title (the chart itself is named after it for a screen reader).
    let title = harness
        .query_all_by_label_contains("Cost of supply")
        .find(|n| {
            use egui_kittest::kittest::NodeT;
            n.accesskit_node().role() == egui::accesskit::Role::Label
        })
        .expect("the cost chart's title")
        .rect();
    let at = egui::pos2(title.center().x + 60.0, title.bottom() + 50.0);
    harness.event(egui::Event::PointerMoved(at));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
    // The field has the keyboard as soon as the popup opens.
    harness.event(egui::Event::Text("Supply".into()));
    harness.run();
    let field = harness
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.value().as_deref() == Some("Supply"))
        .expect("the note field took the typing")
        .rect()
        .center();
    // Clicking into the field keeps the popup open, and typing goes on.
    harness.event(egui::Event::PointerMoved(field));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: field,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
    assert!(
        harness.query_by_label_contains("Note at").is_some(),
        "the popup stays open"
    );
    harness.key_press(Key::End);
    harness.event(egui::Event::Text(" shock".into()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();

    let notes = harness.state().state.active().doc.annotations.clone();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].text, "Supply shock");
    assert_eq!(notes[0].chart, ChartKind::Cost);
    assert!(
        harness.query_by_label_contains("Note at").is_none(),
        "closed"
    );

    let path = dir.path().join("noted.ron");
    apply(&mut harness, Command::SaveAs(path.clone()));
    let saved = load_file(&path).expect("loads").document;
    assert_eq!(saved.annotations, notes, "saved as `annotations`");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(
        harness.state().state.active().doc.annotations.is_empty(),
        "Undo takes the note back"
    );
}

/// The delta view gives a dependency difference in percentage points, the unit `diff` and
/// the compare table use, not "%".
#[test]
fn delta_view_gives_a_dependency_difference_in_points() {
    let mut harness = window(Some(root().join("scenarios/status-quo.ron")));
    pin_file(&mut harness, "scenarios/fortress.ron");
    apply(
        &mut harness,
        Command::Compare(CompareCommand::SetDelta(true)),
    );
    assert!(
        harness
            .query_by_label("Dependency on Chinese origin: current minus baseline (pp)")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("current minus baseline (%)")
            .is_none()
    );
}

/// "Save as new scenario" on a slide answers on the slide itself (there is no status bar
/// while presenting): the top bar names the file written.
#[test]
fn save_as_new_scenario_on_a_slide_names_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("fortress.ron");
    std::fs::copy(root().join("scenarios/fortress.ron"), &scenario).expect("copied");
    let deck = dir.path().join("talk.ron");
    std::fs::write(
        &deck,
        "(title: \"Talk\", slides: [(file: \"fortress.ron\", title: \"One\")])\n",
    )
    .expect("deck written");
    let mut harness = window(None);
    apply(
        &mut harness,
        Command::Present(PresentCommand::OpenDeck(deck)),
    );
    assert!(harness.state().state.present.on);
    harness.state_mut().state.push(Command::SetLever {
        id: "quota_level",
        value: 0.7,
    });
    harness.run();
    harness.get_by_label("Save as new scenario").click();
    crate::common::finish_io(&mut harness);
    let written = dir.path().join("fortress-live-1.ron");
    assert!(written.exists(), "the live copy is written beside the file");
    assert!(
        harness
            .query_by_label_contains(&format!("Saved {}", written.display()))
            .is_some(),
        "the slide says where: {:?}",
        harness.state().state.status
    );
}

/// Asks to pin fortress.ron and applies the command, without waiting for the read.
fn ask_pin_of_fortress<'h>(harness: &'h mut Harness<'_, LodestoneApp>) -> &'h mut AppState {
    let state = &mut harness.state_mut().state;
    state.push(Command::Compare(CompareCommand::PinFile(
        root().join("scenarios/fortress.ron"),
    )));
    state.apply_pending();
    state
}

/// Pinning reads its file off the UI thread: the frame that asks does not wait for the disk,
/// and the pin lands with the read.
#[test]
fn pinning_reads_the_file_in_the_background() {
    let mut harness = window(None);
    let state = ask_pin_of_fortress(&mut harness);
    assert!(state.compare.pins.is_empty(), "read on the UI thread");
    crate::common::finish_io(&mut harness);
    let pins = &harness.state().state.compare.pins;
    assert_eq!(pins.len(), 1);
    assert_eq!(pins[0].name, "Fortress");
}

/// A pin read that lands after the compare state it was asked for was replaced (a slide
/// stepped on, the explorer restored) is not installed into the new one.
#[test]
fn a_pin_read_lands_only_where_it_was_asked() {
    let mut harness = window(None);
    let state = ask_pin_of_fortress(&mut harness);
    let asked = std::mem::take(&mut state.compare);
    crate::common::finish_io(&mut harness);
    assert!(harness.state().state.compare.pins.is_empty());
    drop(asked);
}
