//! The Goals view in the window, driven headless with egui_kittest: Seek runs in the
//! background and its answer opens beside the pinned plan, meeting the targets; opening an
//! answer over unsaved work asks first; target edits undo like lever edits; Cancel stops a
//! seek without an answer.

use crate::common::scenario;
use egui_kittest::kittest::Queryable;
use lodestone::app::goal::GoalCommand;
use lodestone::app::{AppOptions, AppState, Command, ConfirmChoice, ViewState};
use lodestone::model::targets::check;
use lodestone::model::{Targets, YearMonth};
use std::time::{Duration, Instant};

const PATIENCE: Duration = Duration::from_secs(60);

fn options() -> AppOptions {
    AppOptions {
        file: Some(scenario("board-question.ron")),
        library_dirs: Vec::new(),
        view: ViewState {
            show_goals: true,
            ..ViewState::default()
        },
        ..AppOptions::default()
    }
}

fn wait_for_answer(state: &mut AppState) {
    let deadline = Instant::now() + PATIENCE;
    while state.seeking() && Instant::now() < deadline {
        state.wait_for_goal(Duration::from_millis(200));
    }
    assert!(state.seek_answer().is_some(), "no answer in time");
}

#[test]
fn seek_in_the_window_opens_an_answer_that_meets_the_targets_beside_the_plan() {
    let mut harness = crate::common::window_at(options(), egui::vec2(1280.0, 720.0));
    harness.step();
    let plan = harness.state().state.active().doc.clone();
    assert!(
        check(
            &plan.targets,
            &harness.state().state.active().run.results,
            None
        )
        .iter()
        .any(|c| !c.met),
        "the shipped plan misses a target"
    );
    harness.get_by_label("Seek").click();
    harness.step();
    harness.step();
    wait_for_answer(&mut harness.state_mut().state);
    harness.step();
    harness.step();
    // Below the fold at 720 points: scroll to it first, as a person would.
    harness
        .get_by_label("Open the answer beside this plan")
        .scroll_to_me();
    harness.step();
    harness.step();
    harness
        .get_by_label("Open the answer beside this plan")
        .click_accesskit();
    harness.step();
    harness.step();
    let state = &harness.state().state;
    let active = state.active();
    assert!(
        active.doc.meta.name.ends_with("(seek answer)"),
        "{:?} {:?} {:?}",
        active.doc.meta.name,
        state.status,
        state.prompts.confirm
    );
    assert!(
        active.path.is_none(),
        "the answer is a new, unsaved scenario"
    );
    assert_eq!(active.doc.targets, plan.targets);
    for c in check(&active.doc.targets, &active.run.results, None) {
        assert!(c.met, "{c:?}");
    }
    // The plan it started from is pinned beside it, unchanged.
    assert!(
        state
            .compare
            .pins
            .iter()
            .any(|p| p.doc.scenario == plan.scenario),
        "the starting plan is pinned"
    );
}

#[test]
fn opening_an_answer_over_unsaved_work_asks_first() {
    let mut state = AppState::new(options());
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.7,
    });
    state.end_frame(false);
    assert!(state.active().dirty());
    let edited = state.active().doc.clone();
    state.apply(Command::Goal(GoalCommand::Seek));
    wait_for_answer(&mut state);
    state.apply(Command::Goal(GoalCommand::OpenAnswer));
    assert!(
        state.prompts.confirm.is_some(),
        "asks before replacing unsaved work"
    );
    state.apply(Command::Confirm(ConfirmChoice::Cancel));
    assert_eq!(state.active().doc, edited, "Cancel keeps the work");
    // The answer belongs to the edited plan (quota 70 %), not to the file on disk.
    let answer = state.seek_answer().expect("still there");
    assert_eq!(answer.key.scenario, edited.scenario);
}

#[test]
fn a_target_edit_is_one_undo_step_and_cancel_leaves_no_answer() {
    let mut state = AppState::new(options());
    let before = state.active().doc.targets.clone();
    let mut t = Targets::dependency_at_most(
        0.4,
        YearMonth {
            year: 2036,
            month: 1,
        },
    );
    t.shortfall_months = Some(0.0);
    state.apply(Command::SetTargets(t.clone()));
    state.end_frame(false);
    assert_eq!(state.active().doc.targets, t);
    assert!(state.active().dirty());
    state.apply(Command::Undo);
    assert_eq!(state.active().doc.targets, before);

    state.apply(Command::Goal(GoalCommand::SetRobust(Some(0.8))));
    state.apply(Command::Goal(GoalCommand::Seek));
    assert!(state.seeking());
    state.apply(Command::Goal(GoalCommand::CancelSeek));
    assert!(!state.seeking());
    state.wait_for_goal(Duration::from_secs(2));
    assert!(
        state.seek_answer().is_none(),
        "a cancelled seek has no answer"
    );
}
