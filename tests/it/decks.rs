//! Honest slides and packs: the shipped deck measures every slide against one reference and
//! names it on the slide, its speaker notes say nothing the slides do not show, and the board
//! pack lists every input that differs (events included) and only the sources that apply.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lodestone::app::present::PresentCommand;
use lodestone::app::{AppOptions, Command};
use lodestone::model::simulate;
use lodestone::output::pack;
use lodestone::scenario::deck::{Deck, load_deck, note_mismatches};
use lodestone::ui::LodestoneApp;
use std::path::PathBuf;
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped() -> Deck {
    load_deck(&root().join("decks/2025-story.ron")).expect("the shipped deck loads")
}

/// The name of the shipped reference, as the slides and the pack write it.
const REFERENCE: &str = "Pre-control 2024 baseline";

#[test]
fn the_shipped_deck_measures_every_slide_against_one_reference() {
    let deck = shipped();
    assert!(
        deck.reference
            .as_deref()
            .is_some_and(|r| r.ends_with("baseline-2024.ron"))
    );
    for slide in &deck.slides {
        let baseline = slide.baseline.as_deref().unwrap_or_default();
        assert!(
            baseline.ends_with("baseline-2024.ron"),
            "{}: {baseline}",
            slide.title
        );
    }
    let (pack, warnings) = pack::build(&deck, "2026-01-01");
    assert!(warnings.is_empty(), "{warnings:?}");
    for page in &pack.pages {
        assert!(
            page.figures
                .iter()
                .any(|(label, _)| label == &format!("extra cost vs {REFERENCE}")),
            "{}: {:?}",
            page.title,
            page.figures
        );
    }
}

/// A note that names a figure is checked against the slide's run: the shipped notes pass,
/// and slide 2's old note ("watch ... the shortfall" over 0 months of shortfall) would not.
#[test]
fn the_shipped_notes_match_what_the_slides_show() {
    let deck = shipped();
    for slide in &deck.slides {
        let run = simulate(&slide.document.scenario);
        let problems = note_mismatches(&slide.notes, &run.headline);
        assert!(problems.is_empty(), "{}: {problems:?}", slide.title);
    }
    let controls = &deck.slides[1];
    let run = simulate(&controls.document.scenario);
    assert_eq!(run.headline.months_of_shortfall, 0.0);
    let old = "Licensing lag bites first in Dy and Tb; watch the cost spike and the shortfall.";
    assert!(!note_mismatches(old, &run.headline).is_empty());
}

/// The pack's last page lists events and the other inputs that differ, not only levers: the
/// slides about the controls differ from the first slide in their events.
#[test]
fn the_pack_lists_events_and_other_inputs_that_differ() {
    let deck = shipped();
    let (pack, _) = pack::build(&deck, "2026-01-01");
    let events: Vec<_> = pack
        .lever_rows
        .iter()
        .filter(|(label, _)| label.starts_with("Policy event"))
        .collect();
    assert!(!events.is_empty(), "{:?}", pack.lever_rows);
    for slide in 1..=3 {
        assert!(
            pack.lever_rows.iter().any(|(_, v)| !v[slide].is_empty()),
            "slide {} reads “as on the first slide” on every row",
            slide + 1
        );
    }
    let svg = pack::levers_svg(&pack);
    assert!(svg.contains("Policy event 1"), "drawn on the page");
}

/// Sources appear only on slides they apply to: the no-controls slide cites nothing about
/// licensing or the controls, the controls slide does.
#[test]
fn the_pack_cites_only_the_sources_that_apply() {
    let deck = shipped();
    let (pack, _) = pack::build(&deck, "2026-01-01");
    let about_controls =
        |l: &String| l.to_lowercase().contains("licens") || l.contains("controls on");
    assert!(
        !pack.pages[0].sources.iter().any(about_controls),
        "{:?}",
        pack.pages[0].sources
    );
    assert!(
        pack.pages[1].sources.iter().any(about_controls),
        "{:?}",
        pack.pages[1].sources
    );
    for page in &pack.pages {
        assert!(
            !page.sources.iter().any(|l| l.trim_end().ends_with(':')),
            "a heading is not a source: {:?}",
            page.sources
        );
    }
}

/// The window at `size`, presenting the shipped deck from its first slide.
fn presenting_the_shipped_deck(size: egui::Vec2) -> Harness<'static, LodestoneApp> {
    let mut harness = crate::common::window_at(
        AppOptions {
            library_dirs: Vec::new(),
            ..AppOptions::default()
        },
        size,
    );
    harness.run();
    let deck = root().join("decks/2025-story.ron");
    harness
        .state_mut()
        .state
        .push(Command::Present(PresentCommand::OpenDeck(deck)));
    crate::common::finish_io(&mut harness);
    harness
}

/// Each slide's card names what its extra cost is measured against, in the card itself.
#[test]
fn every_slide_names_its_reference_in_the_card() {
    let mut harness = presenting_the_shipped_deck(egui::vec2(1280.0, 720.0));
    let count = shipped().slides.len();
    for slide in 0..count {
        harness
            .state_mut()
            .state
            .push(Command::Present(PresentCommand::GoTo(slide)));
        harness.run();
        harness
            .state_mut()
            .state
            .wait_for_background(Duration::from_secs(10));
        harness.run();
        assert_eq!(
            harness.state().state.present.slide().map(|s| s.0),
            Some(slide)
        );
        assert!(
            harness.query_by_label(&format!("vs {REFERENCE}")).is_some(),
            "slide {} names its reference in the card",
            slide + 1
        );
    }
}

/// A slide's own live edit is spelled out on the slide, lever by lever, and goes when it is
/// undone: a dot after the title was the only trace before.
#[test]
fn a_slide_spells_out_its_own_edits() {
    let mut harness = presenting_the_shipped_deck(egui::vec2(1920.0, 1080.0));
    let changed = |h: &Harness<'_, LodestoneApp>| {
        h.query_all_by_label_contains("Changed on this slide")
            .count()
    };
    assert_eq!(changed(&harness), 0, "a clean slide lists no edit");
    harness.state_mut().state.push(Command::SetLever {
        id: "quota_level",
        value: 0.69,
    });
    crate::common::finish_io(&mut harness);
    assert_eq!(changed(&harness), 1);
    harness.get_by_label_contains("Quota level 69 % (file 100 %)");
    harness.state_mut().state.push(Command::Undo);
    crate::common::finish_io(&mut harness);
    assert_eq!(changed(&harness), 0, "undone, the slide is its file again");
}

/// A deck opened by a relative path (`lodestone pack decks/2025-story.ron` from the project
/// folder) finds its reference: it is not resolved a second time against the slide's file.
#[test]
fn a_deck_opened_by_a_relative_path_finds_its_reference() {
    let out = tempfile::tempdir().expect("temp dir");
    let pdf = out.path().join("pack.pdf");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .current_dir(root())
        .args(["pack", "decks/2025-story.ron", "--pdf"])
        .arg(&pdf)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!stderr.contains("does not load"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

fn scenario_file(dir: &std::path::Path, name: &str, quota: f64) -> PathBuf {
    let mut doc = lodestone::scenario::default_document();
    doc.meta.name = name.into();
    doc.scenario.levers.quota_level.0 = quota;
    let path = dir.join(format!("{name}.ron"));
    lodestone::scenario::save_file(&path, &doc).expect("scenario written");
    path
}

fn quota(state: &lodestone::app::AppState) -> f64 {
    state.active().doc.scenario.levers.quota_level.0
}

/// A slide is read again as the deck steps onto it, off the UI thread: the step shows the
/// copy read with the deck at once, and the file as it is now takes its place when the read
/// lands, with no undo step back to the copy nobody chose. A slide holding live edits keeps
/// them and is unsaved against the file.
#[test]
fn a_slide_is_read_again_in_the_background_as_the_deck_steps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = scenario_file(dir.path(), "one", 0.2);
    let two = scenario_file(dir.path(), "two", 0.4);
    let deck = dir.path().join("talk.ron");
    let text = format!(
        "(title: \"Talk\", slides: [\n  (file: \"{}\", title: \"One\"),\n  (file: \"{}\", title: \"Two\"),\n])\n",
        one.display(),
        two.display()
    );
    std::fs::write(&deck, text).expect("deck written");
    let mut state = lodestone::app::AppState::new(AppOptions::default());
    state.apply(Command::Present(PresentCommand::OpenDeck(deck)));
    state.wait_for_background(Duration::from_secs(10));
    assert_eq!(quota(&state), 0.2);

    // Changed by another program after the deck loaded.
    scenario_file(dir.path(), "two", 0.7);
    state.apply(Command::Present(PresentCommand::Step(1)));
    assert_eq!(quota(&state), 0.4, "the step did not wait for the disk");
    state.wait_for_background(Duration::from_secs(10));
    state.apply_pending();
    assert_eq!(quota(&state), 0.7, "the slide shows its file as it is now");
    assert!(!state.active().dirty());
    state.apply(Command::Undo);
    assert_eq!(quota(&state), 0.7, "no undo step back to the deck's copy");

    // A live edit on slide two survives a step away and back, unsaved against the file.
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.55,
    });
    state.end_frame(false);
    state.apply(Command::Present(PresentCommand::Step(-1)));
    state.wait_for_background(Duration::from_secs(10));
    state.apply(Command::Present(PresentCommand::Step(1)));
    assert!(
        state.active().dirty(),
        "live edits are unsaved before the read"
    );
    state.wait_for_background(Duration::from_secs(10));
    state.apply_pending();
    assert_eq!(quota(&state), 0.55);
    assert!(
        state.active().dirty(),
        "and against the file once it is read"
    );
    assert_eq!(state.active().saved.scenario.levers.quota_level.0, 0.7);
}

/// A deck is read off the UI thread: the frame that asks is not held up by the disk, the
/// deck takes the screen when it lands, and work made while it was read (after the user
/// chose to discard the edits on screen) is asked about again, never dropped.
#[test]
fn a_deck_is_read_in_the_background_and_later_edits_are_asked_about() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = scenario_file(dir.path(), "one", 0.2);
    let deck = dir.path().join("talk.ron");
    let text = format!(
        "(title: \"Talk\", slides: [(file: \"{}\", title: \"One\")])\n",
        one.display()
    );
    std::fs::write(&deck, text).expect("deck written");
    let mut state = lodestone::app::AppState::new(AppOptions::default());
    state.wait_for_background(Duration::from_secs(10));
    let edit = |state: &mut lodestone::app::AppState, value: f64| {
        state.apply(Command::SetLever {
            id: "quota_level",
            value,
        });
        state.end_frame(false);
    };
    edit(&mut state, 0.33);
    let open = Command::Present(PresentCommand::OpenDeck(deck));
    state.apply(open.clone());
    assert_eq!(
        state.prompts.confirm,
        Some(open.clone()),
        "unsaved work is asked about"
    );
    state.apply(Command::Confirm(lodestone::app::ConfirmChoice::Discard));
    assert!(
        !state.present.on,
        "the frame that asks does not wait for the disk"
    );
    edit(&mut state, 0.44);
    state.wait_for_background(Duration::from_secs(10));
    assert!(!state.present.on);
    assert_eq!(
        state.prompts.confirm,
        Some(open),
        "the later edit is asked about"
    );
    assert_eq!(quota(&state), 0.44, "and kept meanwhile");
    state.apply(Command::Confirm(lodestone::app::ConfirmChoice::Discard));
    state.wait_for_background(Duration::from_secs(10));
    assert!(state.present.on, "the deck took the screen");
    assert_eq!(quota(&state), 0.2);
    state.apply(Command::Present(PresentCommand::Leave));
    assert!(
        !state.active().dirty(),
        "the edits discarded do not come back"
    );
}

/// A deck opened where a scenario is expected (a file manager, a drop on the window, the
/// command line) is presented, not listed as a scenario with unknown fields.
#[test]
fn a_deck_opened_as_a_file_is_presented() {
    let mut state = lodestone::app::AppState::new(AppOptions {
        file: Some(root().join("decks/2025-story.ron")),
        ..AppOptions::default()
    });
    state.wait_for_background(Duration::from_secs(10));
    assert!(
        state.prompts.problems.is_none(),
        "{:?}",
        state.prompts.problems
    );
    assert!(state.present.on, "the deck is presented");
    assert_eq!(state.present.slide().map(|s| s.0), Some(0));
}
