//! Soak: 10,000 random lever changes through the headless app state, with the commands the
//! sliders and the Undo/Redo shortcuts push, interleaved with undo and redo. Afterwards the
//! scenario equals a replay of the same changes on a plain linear history (what a person
//! expects undo and redo to do), the undo history is bounded, the number of documents (and so
//! of cached runs) is unchanged, and the resident memory has not grown beyond a generous bound.
//!
//! Run it in release (`cargo test --release --test soak`); it takes a few seconds there.

use lodestone::app::{AppOptions, AppState, Command};
use lodestone::model::{LEVERS, Scenario};
use std::time::{Duration, Instant};

const LEVER_CHANGES: usize = 10_000;
/// The app's undo depth (see `app::document`), mirrored by the reference history.
const MAX_UNDOS: usize = 200;
/// Resident memory may grow this much after the warm-up (allocator noise, lazily grown
/// buffers); a leak of one scenario per change would exceed it many times over.
const MAX_RSS_GROWTH_BYTES: i64 = 64 << 20;

/// A small deterministic generator (xorshift64*), so a failure replays exactly.
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
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Undo and redo over a linear history: an edit after undoing drops the undone branch.
struct Reference {
    history: Vec<Scenario>,
    cursor: usize,
}

impl Reference {
    fn new(start: Scenario) -> Self {
        Self {
            history: vec![start],
            cursor: 0,
        }
    }
    fn current(&self) -> &Scenario {
        &self.history[self.cursor]
    }
    fn commit(&mut self, next: Scenario) {
        if next == *self.current() {
            return;
        }
        self.history.truncate(self.cursor + 1);
        self.history.push(next);
        self.cursor += 1;
        while self.cursor + 1 > MAX_UNDOS {
            self.history.remove(0);
            self.cursor -= 1;
        }
    }
    fn undo(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }
    fn redo(&mut self) {
        if self.cursor + 1 < self.history.len() {
            self.cursor += 1;
        }
    }
}

/// Resident set size in bytes (Linux); `None` elsewhere.
fn rss_bytes() -> Option<i64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: i64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[test]
fn ten_thousand_lever_changes_with_undo_and_redo() {
    let started = Instant::now();
    let library = tempfile::tempdir().expect("tempdir");
    let mut state = AppState::new(AppOptions {
        library_dirs: vec![library.path().to_path_buf()],
        ..AppOptions::default()
    });
    state.wait_for_background(Duration::from_secs(10));
    let documents = state.documents().len();
    let mut reference = Reference::new(state.active().doc.scenario.clone());
    let mut rng = Rng(0x5EED_1234_ABCD_0042);

    let mut changes = 0;
    let mut frames = 0;
    let mut rss_after_warmup = None;
    while changes < LEVER_CHANGES {
        frames += 1;
        match rng.below(10) {
            // One undo or redo per frame, as a shortcut press is.
            0 | 1 => {
                state.push(Command::Undo);
                reference.undo();
            }
            2 => {
                state.push(Command::Redo);
                reference.redo();
            }
            // A frame of slider movement: one to three levers, sometimes out of range or NaN
            // (as typed into the value field), clamped by the app.
            _ => {
                let mut next = reference.current().clone();
                for _ in 0..=rng.below(3) {
                    let lever = &LEVERS[rng.below(LEVERS.len())];
                    let span = lever.max - lever.min;
                    let value = match rng.below(50) {
                        0 => f64::NAN,
                        1 => f64::INFINITY,
                        _ => lever.min - 0.1 * span + 1.2 * span * rng.unit(),
                    };
                    state.push(Command::SetLever {
                        id: lever.id,
                        value,
                    });
                    (lever.set)(&mut next, lever.clamp(value));
                    changes += 1;
                }
                reference.commit(next);
            }
        }
        state.apply_pending();
        state.end_frame(false);

        if frames % 500 == 0 {
            assert!(
                state.active().doc.scenario == *reference.current(),
                "diverged from the reference after {changes} changes ({frames} frames)"
            );
            assert_eq!(state.documents().len(), documents);
        }
        if rss_after_warmup.is_none() && changes >= 1_000 {
            rss_after_warmup = rss_bytes();
        }
    }
    state.wait_for_background(Duration::from_secs(10));
    assert!(state.active().doc.scenario == *reference.current());
    // The charts show the final scenario's run.
    let fresh = lodestone::model::simulate(&state.active().doc.scenario);
    assert_eq!(fresh.total, state.active().run.results.total);
    assert_eq!(
        state.documents().len(),
        documents,
        "documents (and their runs) leaked"
    );

    let rss_end = rss_bytes();
    let elapsed = started.elapsed();
    eprintln!(
        "soak: {changes} lever changes in {frames} frames, {elapsed:?}; RSS after warm-up \
         {:.1} MiB, at the end {:.1} MiB",
        rss_after_warmup.unwrap_or(0) as f64 / 1048576.0,
        rss_end.unwrap_or(0) as f64 / 1048576.0
    );
    if let (Some(before), Some(after)) = (rss_after_warmup, rss_end) {
        assert!(
            after - before < MAX_RSS_GROWTH_BYTES,
            "RSS grew from {before} to {after} bytes"
        );
    }

    // The undo history is bounded: at most MAX_UNDOS - 1 steps back.
    let mut undos = 0;
    while state.active().can_undo() && undos <= MAX_UNDOS + 1 {
        state.apply(Command::Undo);
        reference.undo();
        undos += 1;
    }
    assert!(undos < MAX_UNDOS, "{undos} undo steps");
    assert!(state.active().doc.scenario == *reference.current());
}

/// The case the soak found: after undoing and then editing, Redo must not jump back onto the
/// abandoned branch.
#[test]
fn redo_after_a_new_edit_does_nothing() {
    let library = tempfile::tempdir().expect("tempdir");
    let mut state = AppState::new(AppOptions {
        library_dirs: vec![library.path().to_path_buf()],
        ..AppOptions::default()
    });
    let set = |state: &mut AppState, value: f64| {
        state.apply(Command::SetLever {
            id: "quota_level",
            value,
        });
        state.end_frame(false);
    };
    let quota = |state: &AppState| state.active().doc.scenario.levers.quota_level.0;
    set(&mut state, 0.3);
    set(&mut state, 0.4);
    state.apply(Command::Undo);
    assert_eq!(quota(&state), 0.3);
    set(&mut state, 0.6);
    assert!(!state.active().can_redo());
    state.apply(Command::Redo);
    assert_eq!(quota(&state), 0.6);
    state.apply(Command::Undo);
    assert_eq!(quota(&state), 0.3);
    state.apply(Command::Redo);
    assert_eq!(quota(&state), 0.6);
}
