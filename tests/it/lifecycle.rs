//! The document lifecycle, model-based: thousands of random command sequences (lever drags,
//! metadata edits, undo, redo, open, paste, new, save, save as, revert, deck, quit, a crash
//! with recovery) run against the headless app state and a small reference model, checking
//! after every step that:
//! - what the window shows is the file on disk, or is marked unsaved;
//! - unsaved work never disappears without a question answered "Discard";
//! - undo and redo walk exactly the committed states, and undo then redo changes nothing.

use lodestone::app::present::PresentCommand;
use lodestone::app::recovery::{IDLE_BEFORE_AUTOSAVE, RecoveryChoice};
use lodestone::app::{AppOptions, AppState, Command, ConfirmChoice, ViewState};
use lodestone::scenario::{Document, default_document, load_file, save_file, to_ron_string};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// xorshift64*: a failure replays from its printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The reference: the committed states of the active document and where Undo stands.
struct Reference {
    history: Vec<Document>,
    cursor: usize,
}

impl Reference {
    fn new(start: &Document) -> Self {
        Self {
            history: vec![start.clone()],
            cursor: 0,
        }
    }
    fn commit(&mut self, state: &Document) {
        if self.history[self.cursor] != *state {
            self.history.truncate(self.cursor + 1);
            self.history.push(state.clone());
            self.cursor += 1;
        }
    }
}

fn named(name: &str, quota: f64) -> Document {
    let mut doc = default_document();
    doc.meta.name = name.into();
    doc.scenario.levers.quota_level.0 = quota;
    doc
}

/// Applies queued commands and collects background results.
fn settle(state: &mut AppState) {
    state.apply_pending();
    state.wait_for_background(Duration::from_secs(10));
}

fn disk(path: &Path) -> Option<Document> {
    load_file(path).ok().map(|l| l.document)
}

/// Equal but for what saving stamps (the modified and created dates, the model version and
/// the figures it gave).
fn same_work(a: &Document, b: &Document) -> bool {
    let strip = |d: &Document| {
        let mut d = d.clone();
        d.meta.modified.clear();
        d.meta.created.clear();
        d.stamp = None;
        d
    };
    strip(a) == strip(b)
}

/// The invariants that hold after every step.
fn check(state: &AppState, seed: u64, step: usize, what: &str) {
    let active = state.active();
    let at = format!("seed {seed}, step {step} ({what})");
    match (&active.path, active.never_saved) {
        (Some(path), false) => {
            let on_disk =
                disk(path).unwrap_or_else(|| panic!("{at}: {} unreadable", path.display()));
            assert_eq!(
                active.dirty(),
                active.doc != on_disk,
                "{at}: the window shows the file exactly when it is not marked unsaved"
            );
        }
        // The one clean document without a file: the default scenario, untouched (what the
        // window starts on, and what is left when a never-saved document is discarded).
        _ => assert!(
            active.dirty() || (active.path.is_none() && active.doc == default_document()),
            "{at}: a document without a file is unsaved"
        ),
    }
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Drag,
    EditMeta,
    Undo,
    Redo,
    UndoThenRedo,
    Open,
    Paste,
    New,
    Save,
    SaveAs,
    Revert,
    Deck,
    Quit,
}

const OPS: [Op; 13] = [
    Op::Drag,
    Op::EditMeta,
    Op::Undo,
    Op::Redo,
    Op::UndoThenRedo,
    Op::Open,
    Op::Paste,
    Op::New,
    Op::Save,
    Op::SaveAs,
    Op::Revert,
    Op::Deck,
    Op::Quit,
];

fn app(dir: &Path, recovery: &Path) -> AppState {
    let mut state = AppState::new(AppOptions {
        library_dirs: vec![dir.to_path_buf()],
        recovery_dir: Some(recovery.to_path_buf()),
        // No bands: the lifecycle is under test, not the Monte Carlo each edit would start.
        view: ViewState {
            show_bands: false,
            ..ViewState::default()
        },
        ..AppOptions::default()
    });
    state.wait_for_background(Duration::from_secs(10));
    state
}

fn run_sequence(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = ["a", "b"]
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let path = dir.path().join(format!("{name}.ron"));
            save_file(&path, &named(name, 0.3 + 0.4 * i as f64)).expect("write");
            path
        })
        .collect();
    let slide = dir.path().join("slide.ron");
    save_file(&slide, &named("slide", 0.5)).expect("write");
    let deck = dir.path().join("deck.ron");
    std::fs::write(
        &deck,
        "(title: \"Talk\", slides: [(file: \"slide.ron\", title: \"One\", notes: \"\")])\n",
    )
    .expect("write deck");

    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut state = app(dir.path(), recovery.path());
    state.apply(Command::OpenPath(files[0].clone()));
    settle(&mut state);
    let mut reference = Reference::new(&state.active().doc);
    let mut save_count = 0;

    for step in 0..steps {
        let op = OPS[rng.below(OPS.len())];
        let before = state.active().doc.clone();
        let was_dirty = state.active().dirty();
        let before_path = state.active().path.clone();
        let before_id = state.active().id;
        let what = format!("{op:?}");
        match op {
            Op::Drag => {
                let (id, value) = if rng.below(2) == 0 {
                    ("quota_level", rng.below(151) as f64 / 100.0)
                } else {
                    ("capex", rng.below(200) as f64 / 10.0)
                };
                // Many frames with the pointer down, then the release: one step.
                for frame in 1..=5 {
                    state.apply(Command::SetLever {
                        id,
                        value: value * f64::from(frame) / 5.0,
                    });
                    state.end_frame(true);
                }
                settle(&mut state);
                state.end_frame(false);
                reference.commit(&state.active().doc);
            }
            Op::EditMeta => {
                let mut meta = state.active().doc.meta.clone();
                meta.notes = format!("note {}", rng.below(4));
                state.apply(Command::SetMeta(meta));
                settle(&mut state);
                state.end_frame(false);
                reference.commit(&state.active().doc);
            }
            Op::Undo => {
                state.apply(Command::Undo);
                settle(&mut state);
                state.end_frame(false);
                reference.cursor = reference.cursor.saturating_sub(1);
                assert_eq!(
                    state.active().doc,
                    reference.history[reference.cursor],
                    "seed {seed}, step {step}: undo shows the previous committed state"
                );
            }
            Op::Redo => {
                state.apply(Command::Redo);
                settle(&mut state);
                state.end_frame(false);
                if reference.cursor + 1 < reference.history.len() {
                    reference.cursor += 1;
                }
                assert_eq!(
                    state.active().doc,
                    reference.history[reference.cursor],
                    "seed {seed}, step {step}: redo shows the next committed state"
                );
            }
            Op::UndoThenRedo => {
                if state.active().can_undo() {
                    state.apply(Command::Undo);
                    state.end_frame(false);
                    state.apply(Command::Redo);
                    settle(&mut state);
                    state.end_frame(false);
                    assert_eq!(
                        state.active().doc,
                        before,
                        "seed {seed}, step {step}: undo then redo changes nothing"
                    );
                }
            }
            Op::Save | Op::SaveAs => {
                let new_path = matches!(op, Op::SaveAs) || state.active().path.is_none();
                if new_path {
                    save_count += 1;
                    let path = dir.path().join(format!("saved-{save_count}.ron"));
                    state.apply(Command::SaveAs(path));
                } else {
                    state.apply(Command::Save);
                }
                settle(&mut state);
                assert!(
                    !state.active().dirty(),
                    "seed {seed}, step {step}: saved is clean"
                );
                reference.history[reference.cursor] = state.active().doc.clone();
            }
            Op::Revert => {
                state.apply(Command::Revert);
                settle(&mut state);
                state.end_frame(false);
                reference.commit(&state.active().doc);
                let active = state.active();
                if !active.never_saved && active.path.is_some() {
                    assert!(
                        !active.dirty(),
                        "seed {seed}, step {step}: reverted is clean"
                    );
                }
            }
            Op::New => {
                state.apply(Command::NewFromCurrent);
                settle(&mut state);
                let active = state.active();
                assert!(
                    active.dirty(),
                    "seed {seed}, step {step}: a new copy is unsaved"
                );
                assert_eq!(
                    active.doc.scenario, before.scenario,
                    "seed {seed}, step {step}: the copy carries the work"
                );
                reference = Reference::new(&state.active().doc);
            }
            Op::Open | Op::Paste | Op::Deck | Op::Quit => {
                let command = match op {
                    Op::Open => Command::OpenPath(files[rng.below(files.len())].clone()),
                    Op::Paste => {
                        let text = to_ron_string(&named("pasted", rng.below(10) as f64 / 10.0));
                        Command::PasteScenario(text)
                    }
                    Op::Deck => Command::Present(PresentCommand::OpenDeck(deck.clone())),
                    _ => Command::Quit,
                };
                state.apply(command);
                settle(&mut state);
                if was_dirty {
                    assert!(
                        state.prompts.confirm.is_some(),
                        "seed {seed}, step {step}: {what} with unsaved work asks first"
                    );
                    assert_eq!(state.active().doc, before, "seed {seed}, step {step}: kept");
                    // The modal blocks everything else: the next step is the answer.
                    let choice = [
                        ConfirmChoice::Cancel,
                        ConfirmChoice::Discard,
                        ConfirmChoice::Save,
                    ][rng.below(3)];
                    state.apply(Command::Confirm(choice));
                    settle(&mut state);
                    match choice {
                        ConfirmChoice::Cancel => {
                            assert_eq!(state.active().doc, before, "seed {seed}: cancel keeps");
                            assert!(state.active().dirty(), "seed {seed}: still unsaved");
                        }
                        ConfirmChoice::Save => {
                            // Saved to its file, or (without one) the Save As box is open and
                            // the work is still on screen.
                            let kept_on_disk = before_path
                                .as_deref()
                                .and_then(disk)
                                .is_some_and(|on| same_work(&on, &before));
                            let still_shown = same_work(&state.active().doc, &before);
                            assert!(
                                kept_on_disk || still_shown,
                                "seed {seed}, step {step}: Save keeps the work somewhere"
                            );
                            state.prompts.save_as_prompt = None;
                            state.prompts.confirm = None;
                        }
                        ConfirmChoice::Discard => {}
                    }
                }
                if state.present.on {
                    state.apply(Command::Present(PresentCommand::Leave));
                    settle(&mut state);
                }
                if state.quit_confirmed {
                    check(&state, seed, step, &what);
                    return;
                }
                if state.active().id != before_id {
                    reference = Reference::new(&state.active().doc);
                } else {
                    // Still the same document (a cancelled question, or a deck left again):
                    // a save on the way stamped its committed state.
                    reference.history[reference.cursor] = state.active().doc.clone();
                }
            }
        }
        check(&state, seed, step, &what);
    }

    // A crash now: the autosave is restored as unsaved work, equal to what was on screen.
    let shown = state.active().doc.clone();
    let dirty = state.active().dirty();
    state.autosave_tick(
        Instant::now() + IDLE_BEFORE_AUTOSAVE + Duration::from_millis(10),
        false,
    );
    state.services().recovery().flush(Duration::from_secs(5));
    drop(state);
    let mut restarted = app(dir.path(), recovery.path());
    if dirty {
        assert!(
            !restarted.prompts.restore.is_empty(),
            "seed {seed}: unsaved work has a recovery file"
        );
        restarted.apply(Command::Recovery(RecoveryChoice::Restore));
        settle(&mut restarted);
        assert!(
            restarted
                .documents()
                .iter()
                .any(|d| d.doc == shown && d.dirty()),
            "seed {seed}: the restored document is the unsaved work, marked unsaved"
        );
    }
}

#[test]
fn random_command_sequences_never_lose_work_or_show_a_state_that_is_not_marked() {
    for seed in 1..=1000 {
        run_sequence(seed, 20);
    }
}

// ----- decks -----

/// What a deck's slides must show: per slide, `None` while it has no edits of its own (it
/// shows its file as the file is now), else the slide as edited on it.
struct DeckModel {
    slides: Vec<Option<Document>>,
    index: usize,
}

#[derive(Debug, Clone, Copy)]
enum DeckOp {
    ExplorerEdit,
    ExplorerSave,
    OpenDeck,
    Resume,
    Step,
    GoTo,
    SlideEdit,
    Leave,
}

const DECK_OPS: [DeckOp; 8] = [
    DeckOp::ExplorerEdit,
    DeckOp::ExplorerSave,
    DeckOp::OpenDeck,
    DeckOp::Resume,
    DeckOp::Step,
    DeckOp::GoTo,
    DeckOp::SlideEdit,
    DeckOp::Leave,
];

/// One frame of the window: the commands its panels pushed, in the order they drew (keys
/// and menus first, the lever panel after), applied at one point.
fn frame(state: &mut AppState, commands: Vec<Command>) {
    state.extend(commands);
    settle(state);
    state.end_frame(false);
}

fn quota_drag(rng: &mut Rng) -> Command {
    Command::SetLever {
        id: "quota_level",
        value: rng.below(151) as f64 / 100.0,
    }
}

fn check_deck(
    state: &AppState,
    explorer: &Document,
    model: &Option<DeckModel>,
    files: &[PathBuf],
    at: &str,
) {
    let shown = |i: usize, slides: &[Option<Document>]| {
        slides[i]
            .clone()
            .unwrap_or_else(|| disk(&files[i]).expect("slide file loads"))
    };
    match (state.present.on, model) {
        (true, Some(m)) => {
            let session = state.present.deck.as_ref().expect("a deck is loaded");
            assert_eq!(session.index, m.index, "{at}: the slide on screen");
            let active = state.active();
            assert_eq!(
                active.doc,
                shown(m.index, &m.slides),
                "{at}: slide {} shows its file plus its own edits",
                m.index
            );
            assert_eq!(
                Some(&active.saved),
                disk(&files[m.index]).as_ref(),
                "{at}: a slide is unsaved against its file"
            );
        }
        (false, _) => {
            assert!(
                same_work(&state.active().doc, explorer),
                "{at}: the explorer shows its own work, nothing from a slide"
            );
            match (state.present.deck.as_ref(), model) {
                (Some(session), Some(m)) => {
                    for (i, edits) in m.slides.iter().enumerate() {
                        if let Some(doc) = edits {
                            assert_eq!(
                                &session.deck.slides[i].document, doc,
                                "{at}: the deck keeps slide {i}'s edits"
                            );
                        }
                    }
                }
                (None, None) => {}
                (session, m) => panic!(
                    "{at}: deck loaded {} but model {}",
                    session.is_some(),
                    m.is_some()
                ),
            }
            let slide_edits = model
                .as_ref()
                .is_some_and(|m| m.slides.iter().any(Option::is_some));
            assert_eq!(
                state.any_dirty(),
                state.active().dirty() || slide_edits,
                "{at}: a slide's live edit counts as unsaved work"
            );
        }
        (true, None) => panic!("{at}: presenting without a deck in the model"),
    }
}

fn run_deck_sequence(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = tempfile::tempdir().expect("tempdir");
    let explorer_file = dir.path().join("e.ron");
    save_file(&explorer_file, &named("explorer", 0.4)).expect("write");
    // The third slide is the explorer's own file, reached by another path.
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let slide_files: Vec<PathBuf> = vec![
        dir.path().join("s1.ron"),
        dir.path().join("s2.ron"),
        dir.path().join("sub/../e.ron"),
    ];
    save_file(&slide_files[0], &named("one", 0.6)).expect("write");
    save_file(&slide_files[1], &named("two", 0.9)).expect("write");
    let deck = dir.path().join("deck.ron");
    std::fs::write(
        &deck,
        "(title: \"Talk\", slides: [(file: \"s1.ron\", title: \"One\"), \
         (file: \"s2.ron\", title: \"Two\"), (file: \"sub/../e.ron\", title: \"Three\")])\n",
    )
    .expect("write deck");

    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut state = app(dir.path(), recovery.path());
    state.apply(Command::OpenPath(explorer_file.clone()));
    settle(&mut state);
    let mut explorer = state.active().doc.clone();
    let mut model: Option<DeckModel> = None;

    for step in 0..steps {
        let op = DECK_OPS[rng.below(DECK_OPS.len())];
        let at = format!("seed {seed}, step {step} ({op:?})");
        let presenting = state.present.on;
        // A lever of the explorer may be moving in the same frame as the key or menu item.
        let dragging = rng.below(2) == 0;
        match op {
            DeckOp::ExplorerEdit if !presenting => {
                frame(&mut state, vec![quota_drag(&mut rng)]);
                explorer = state.active().doc.clone();
            }
            DeckOp::ExplorerSave if !presenting => {
                frame(&mut state, vec![Command::Save]);
                explorer = state.active().doc.clone();
            }
            DeckOp::OpenDeck if !presenting => {
                let mut commands = vec![Command::Present(PresentCommand::OpenDeck(deck.clone()))];
                let drag = dragging.then(|| quota_drag(&mut rng));
                commands.extend(drag.clone());
                frame(&mut state, commands);
                let mut opened = true;
                if let Some(Command::SetLever { value, .. }) = drag
                    && state.prompts.confirm.is_none()
                {
                    // The deck is read off the UI thread: the drag made in the frame that
                    // asked for it lands on the explorer, still on screen, which keeps it.
                    let lever = lodestone::model::levers::lever("quota_level").expect("lever");
                    (lever.set)(&mut explorer.scenario, lever.clamp(value));
                }
                if state.prompts.confirm.is_some() {
                    // The question kept the explorer on screen: the drag landed there.
                    explorer = state.active().doc.clone();
                    let choice = [
                        ConfirmChoice::Cancel,
                        ConfirmChoice::Discard,
                        ConfirmChoice::Save,
                    ][rng.below(3)];
                    frame(&mut state, vec![Command::Confirm(choice)]);
                    match choice {
                        ConfirmChoice::Cancel => opened = false,
                        ConfirmChoice::Discard => {
                            explorer = disk(&explorer_file).expect("loads");
                        }
                        ConfirmChoice::Save => {}
                    }
                }
                if opened {
                    model = Some(DeckModel {
                        slides: vec![None; slide_files.len()],
                        index: 0,
                    });
                }
            }
            DeckOp::Resume if !presenting && model.is_some() => {
                let mut commands = vec![Command::Present(PresentCommand::Enter)];
                if dragging {
                    commands.push(quota_drag(&mut rng));
                }
                frame(&mut state, commands);
            }
            DeckOp::Step if presenting => {
                let by = if rng.below(2) == 0 { 1 } else { -1 };
                frame(&mut state, vec![Command::Present(PresentCommand::Step(by))]);
                if let Some(m) = &mut model {
                    m.index = (m.index as i64 + i64::from(by)).clamp(0, 2) as usize;
                }
            }
            DeckOp::GoTo if presenting => {
                let to = rng.below(slide_files.len());
                frame(&mut state, vec![Command::Present(PresentCommand::GoTo(to))]);
                if let Some(m) = &mut model {
                    m.index = to;
                }
            }
            DeckOp::SlideEdit if presenting => {
                frame(&mut state, vec![quota_drag(&mut rng)]);
                if let Some(m) = &mut model {
                    let doc = state.active().doc.clone();
                    let file = disk(&slide_files[m.index]);
                    m.slides[m.index] = (Some(&doc) != file.as_ref()).then_some(doc);
                }
            }
            DeckOp::Leave if presenting => {
                frame(&mut state, vec![Command::Present(PresentCommand::Leave)]);
                if model
                    .as_ref()
                    .is_some_and(|m| m.slides.iter().all(Option::is_none))
                {
                    model = None;
                }
            }
            _ => continue,
        }
        if std::env::var("TRACE").is_ok() {
            eprintln!(
                "{at}: on {} active q {} explorer q {} confirm {:?}",
                state.present.on,
                state.active().doc.scenario.levers.quota_level.0,
                explorer.scenario.levers.quota_level.0,
                state.prompts.confirm
            );
        }
        check_deck(&state, &explorer, &model, &slide_files, &at);
    }
}

#[test]
fn every_slide_shows_its_file_plus_its_own_edits_whatever_the_explorer_did() {
    for seed in std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(1..=150, |s: u64| s..=s)
    {
        run_deck_sequence(seed, 30);
    }
}

// ----- every document the window holds is a file that loads -----

fn random_value(rng: &mut Rng, min: f64, max: f64) -> f64 {
    match rng.below(20) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => min - 1.0,
        3 => max * 2.0 + 1.0,
        4 => min,
        5 => max,
        _ => min + (max - min) * rng.below(1001) as f64 / 1000.0,
    }
}

fn random_edit(rng: &mut Rng, doc: &Document) -> Command {
    use lodestone::model::{
        EventKind, LEVERS, LeverGroup, MATERIAL_LEVERS, PolicyEvent, YearMonth,
    };
    let materials = doc.scenario.materials.len();
    match rng.below(10) {
        0 | 1 => {
            let lever = &LEVERS[rng.below(LEVERS.len())];
            Command::SetLever {
                id: lever.id,
                value: random_value(rng, lever.min, lever.max),
            }
        }
        2..=4 => {
            // Mostly the capex shares, the levers that must move together.
            let lever = if rng.below(2) == 0 {
                MATERIAL_LEVERS
                    .iter()
                    .find(|l| l.id == "capex_share")
                    .expect("capex_share")
            } else {
                &MATERIAL_LEVERS[rng.below(MATERIAL_LEVERS.len())]
            };
            Command::SetMaterialLever {
                material: rng.below(materials + 1),
                lever: lever.id,
                value: random_value(rng, lever.min, lever.max),
            }
        }
        5 => match rng.below(3) {
            0 => Command::ResetLever(LEVERS[rng.below(LEVERS.len())].id),
            1 => Command::ResetMaterialLever {
                material: rng.below(materials + 1),
                lever: MATERIAL_LEVERS[rng.below(MATERIAL_LEVERS.len())].id,
            },
            _ => Command::ResetGroup(
                [
                    LeverGroup::Quota,
                    LeverGroup::Diversification,
                    LeverGroup::Permitting,
                    LeverGroup::Assumptions,
                ][rng.below(4)],
            ),
        },
        6 => {
            let ids = ["NdPr", "Dy", "Tb", "Other", "Xx"];
            let event = PolicyEvent {
                date: YearMonth::new(2020 + rng.below(30) as i32, 1 + rng.below(12) as u8)
                    .expect("a date"),
                label: ["controls", "", "pause\tnow", &"x".repeat(300)][rng.below(4)].to_string(),
                kind: [EventKind::ControlsOn, EventKind::Pause, EventKind::Other][rng.below(3)],
                quota_level: lodestone::model::units::Share(random_value(rng, 0.0, 1.5)),
                licensing: rng.below(2) == 0,
                export_duty: lodestone::model::units::Share(random_value(rng, 0.0, 1.0)),
                materials: ids
                    .iter()
                    .filter(|_| rng.below(2) == 0)
                    .map(|s| s.to_string())
                    .collect(),
                probability: lodestone::model::units::Share(random_value(rng, 0.0, 1.5)),
            };
            Command::SetEvent {
                index: rng.below(doc.scenario.events.len() + 1),
                event,
            }
        }
        7 => Command::AddEvent,
        8 => Command::RemoveEvent(rng.below(doc.scenario.events.len() + 1)),
        _ => [Command::Undo, Command::Redo][rng.below(2)].clone(),
    }
}

/// Random lever and event edits through the window's commands (the ranges' ends, beyond
/// them, NaN, unknown materials, long labels): every document the window then holds
/// validates, and saving it and loading it back gives the same document.
#[test]
fn every_edited_document_validates_and_round_trips() {
    use lodestone::scenario::validate::{Severity, validate};
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = tempfile::tempdir().expect("tempdir");
    for seed in 1..=25u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut state = app(dir.path(), recovery.path());
        let path = dir.path().join(format!("edited-{seed}.ron"));
        for step in 0..40 {
            let command = random_edit(&mut rng, &state.active().doc);
            let what = format!("seed {seed}, step {step} ({command:?})");
            state.apply(command);
            state.end_frame(false);
            let doc = state.active().doc.clone();
            let errors: Vec<_> = validate(&doc)
                .into_iter()
                .filter(|p| p.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{what}: the window holds {errors:?}");
            if step % 8 == 7 {
                // Through the window's own Save As: the file written loads back.
                state.apply(Command::SaveAs(path.clone()));
                settle(&mut state);
                assert!(!state.active().dirty(), "{what}: saved");
                let loaded = load_file(&path).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(loaded.document, state.active().doc, "{what}: round trip");
            } else {
                let text = to_ron_string(&doc);
                let loaded = lodestone::scenario::load_str(&text, "edited")
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(loaded.document, doc, "{what}: round trip");
            }
        }
    }
}

// ----- files changed on disk -----

/// The same folder reached by two paths is one watch: a deck whose slide reaches the
/// explorer's folder as `decks/../scenarios`, opened and closed again, leaves the explorer's
/// file watched, and a change made on disk is reloaded.
#[test]
fn hot_reload_survives_a_deck_that_reached_the_folder_by_another_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scenarios = dir.path().join("scenarios");
    let decks = dir.path().join("decks");
    std::fs::create_dir(&scenarios).expect("mkdir");
    std::fs::create_dir(&decks).expect("mkdir");
    let file = scenarios.join("x.ron");
    save_file(&file, &named("x", 0.3)).expect("write");
    save_file(&scenarios.join("y.ron"), &named("y", 0.6)).expect("write");
    let deck = decks.join("talk.ron");
    std::fs::write(
        &deck,
        "(title: \"Talk\", slides: [(file: \"../scenarios/y.ron\", title: \"Y\")])\n",
    )
    .expect("write deck");
    let mut state = AppState::new(AppOptions {
        library_dirs: vec![scenarios.clone()],
        deck_dirs: vec![decks.clone()],
        watch_files: true,
        view: ViewState {
            show_bands: false,
            ..ViewState::default()
        },
        ..AppOptions::default()
    });
    state.apply(Command::OpenPath(file.clone()));
    settle(&mut state);
    // Linux has inotify: a missing watcher is a failure, not a reason to skip.
    assert!(
        state.services().watch().watched().next().is_some(),
        "no file watcher: the test needs one"
    );
    assert_eq!(state.services().watch().watchers_of(&scenarios), 1);

    state.apply(Command::Present(PresentCommand::OpenDeck(deck)));
    settle(&mut state);
    // The deck lands off the UI thread; the next frame watches its folders.
    settle(&mut state);
    assert!(state.present.on);
    assert_eq!(
        state.services().watch().watchers_of(&scenarios),
        2,
        "the library path and the slide's path reach one watched folder"
    );
    state.apply(Command::Present(PresentCommand::Leave));
    settle(&mut state);
    assert!(state.present.deck.is_none(), "an untouched deck closes");
    assert_eq!(
        state.services().watch().watchers_of(&scenarios),
        1,
        "still watched"
    );

    save_file(&file, &named("x", 0.8)).expect("write");
    let deadline = Instant::now() + Duration::from_secs(10);
    while state.active().doc.scenario.levers.quota_level.0 != 0.8 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        settle(&mut state);
    }
    assert_eq!(
        state.active().doc.scenario.levers.quota_level.0,
        0.8,
        "the change made on disk is reloaded"
    );
    assert!(!state.active().dirty());
}

/// A save never silently overwrites a change another program made to the file since it was
/// read: the file is left as the other program wrote it and the edits stay unsaved.
#[test]
fn a_save_never_overwrites_a_change_made_on_disk_since_the_file_was_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("x.ron");
    save_file(&file, &named("x", 0.3)).expect("write");
    let mut state = app(dir.path(), recovery.path());
    state.apply(Command::OpenPath(file.clone()));
    settle(&mut state);
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.5,
    });
    state.end_frame(false);
    let theirs = named("changed elsewhere", 0.9);
    save_file(&file, &theirs).expect("write");

    state.apply(Command::Save);
    settle(&mut state);
    assert_eq!(
        disk(&file),
        Some(theirs),
        "the other program's change stays"
    );
    assert!(state.active().dirty(), "the edit is still unsaved");
    assert!(
        state.status.as_ref().is_some_and(|s| s.is_error),
        "the status bar says the file was not saved"
    );

    // Saving elsewhere still works, and so does saving over a file read as it is.
    let other = dir.path().join("mine.ron");
    state.apply(Command::SaveAs(other.clone()));
    settle(&mut state);
    assert!(!state.active().dirty());
    state.apply(Command::SetLever {
        id: "quota_level",
        value: 0.6,
    });
    state.apply(Command::Save);
    settle(&mut state);
    assert_eq!(
        disk(&other).map(|d| d.scenario.levers.quota_level.0),
        Some(0.6)
    );
}
