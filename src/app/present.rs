//! Presentation mode: full screen, large type, high contrast, only the levers the presenter
//! chose; a deck of scenarios stepped through with PageDown/PageUp, the curves animating from
//! one slide's series to the next; live tweaks saved as a new scenario without leaving the
//! mode; chart annotations. State and commands only; drawing is `crate::ui::present`.

use super::compare::CompareCommand;
use super::plot_cache::{ChartLines, PlotCache};
use super::{AppState, ChartKind, Command, LoadProblem};
use crate::scenario::Document;
use crate::scenario::annotation::Annotation;
use crate::scenario::deck::Deck;
use egui_plot::PlotPoint;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long the curves take to move from one slide to the next.
pub const ANIMATION: Duration = Duration::from_millis(400);

/// Zoom range the presenter may set.
pub const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 1.0..=3.0;

/// Curves moving from the previous slide's points to the current ones.
#[derive(Debug)]
struct Animation {
    from: PlotCache,
    started: Instant,
}

/// A deck being presented.
#[derive(Debug)]
pub struct DeckSession {
    /// The deck as loaded, every scenario with it.
    pub deck: Deck,
    /// The slide shown, 0-based.
    pub index: usize,
    /// A slide is the active document (false until the first one is shown).
    shown: bool,
    /// Per slide: it holds live edits made on it (kept in the deck until it is closed). A
    /// slide without any is shown from its file as it is when the slide comes up.
    edited: Vec<bool>,
}

impl DeckSession {
    fn new(deck: Deck) -> Self {
        let edited = vec![false; deck.slides.len()];
        Self {
            deck,
            index: 0,
            shown: false,
            edited,
        }
    }

    /// Some slide was changed live.
    fn tweaked(&self) -> bool {
        self.edited.iter().any(|e| *e)
    }

    /// Whether a slide not on screen holds live edits (the one on screen is an open
    /// document, asked about like any other).
    pub fn edits_off_screen(&self) -> bool {
        self.edited
            .iter()
            .enumerate()
            .any(|(i, e)| *e && !(self.shown && i == self.index))
    }

    /// Records the document that was on screen for the current slide.
    fn keep_outgoing(&mut self, outgoing: Document, dirty: bool) {
        if let Some(slide) = self.deck.slides.get_mut(self.index) {
            slide.document = outgoing;
        }
        if let Some(edited) = self.edited.get_mut(self.index) {
            *edited = dirty;
        }
    }
}

impl PresentState {
    /// Whether slides of the deck not on screen hold live edits (asked about before
    /// quitting; the explorer's documents set aside are the session's).
    pub fn edits_off_screen(&self) -> bool {
        self.deck
            .as_ref()
            .is_some_and(DeckSession::edits_off_screen)
    }
}

/// Presentation state.
#[derive(Debug, Default)]
pub struct PresentState {
    /// Presentation mode is on.
    pub on: bool,
    /// The deck being presented, if any (presentation mode also works without one).
    pub deck: Option<DeckSession>,
    /// When presentation mode was entered, for the presenter's clock.
    pub started: Option<Instant>,
    animation: Option<Animation>,
    /// The speaker note is hidden (N toggles it: the room may see the screen).
    pub hide_notes: bool,
    /// A live copy was asked for while presenting: the top bar shows how its save went.
    pub saving_copy: bool,
    /// The deck read asked for last (its number), and whether the document on screen drops
    /// its unsaved edits once it lands (the user answered "Discard").
    awaited_deck: Option<(u64, bool)>,
}

/// What presentation controls ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum PresentCommand {
    /// Turns presentation mode on.
    Enter,
    /// Turns presentation mode off (the deck stays loaded).
    Leave,
    /// Loads a deck and shows its first slide (entering presentation mode).
    OpenDeck(PathBuf),
    /// Next (+1) or previous (-1) slide, animating the curves.
    Step(i32),
    /// Jumps to a slide (0-based) without animating.
    GoTo(usize),
    /// Shows or hides a lever (by id) in presentation mode.
    ToggleLever(String),
    /// Sets the presentation zoom, clamped to [`ZOOM_RANGE`].
    SetZoom(f32),
    /// Shows or hides the speaker note.
    ToggleNotes,
    /// Saves the active scenario (with its live tweaks) as a new file beside it.
    SaveLiveCopy,
    /// Writes a deck's board pack (PDF) next to the deck file, on the IO worker.
    ExportPack(PathBuf),
    /// Adds a note to the active scenario's charts.
    AddAnnotation(Annotation),
    /// Removes the active scenario's note at this position.
    RemoveAnnotation(usize),
}

impl PresentState {
    /// The current slide's title and note.
    pub fn slide(&self) -> Option<(usize, usize, &str, &str)> {
        let s = self.deck.as_ref()?;
        let slide = s.deck.slides.get(s.index)?;
        Some((s.index, s.deck.slides.len(), &slide.title, &slide.notes))
    }

    /// How far the slide transition has come, 0 to 1 (eased like the curves); 1 when none
    /// is running.
    pub fn progress(&self, now: Instant) -> f32 {
        let Some(a) = self.animation.as_ref() else {
            return 1.0;
        };
        let t = (now.duration_since(a.started).as_secs_f64() / ANIMATION.as_secs_f64()).min(1.0);
        (t * t * (3.0 - 2.0 * t)) as f32
    }

    /// True while curves are moving (the window keeps repainting).
    pub fn animating(&self, now: Instant) -> bool {
        self.animation
            .as_ref()
            .is_some_and(|a| now.duration_since(a.started) < ANIMATION)
    }

    /// The points to draw for `kind` at `now`: between the previous slide's and `to`, or
    /// `None` when nothing is moving (draw `to` as it is).
    pub fn animated(&self, kind: ChartKind, to: &ChartLines, now: Instant) -> Option<ChartLines> {
        let a = self.animation.as_ref()?;
        let t = now.duration_since(a.started).as_secs_f64() / ANIMATION.as_secs_f64();
        if t >= 1.0 {
            return None;
        }
        // Ease in and out, so the motion starts and lands softly.
        let t = t * t * (3.0 - 2.0 * t);
        let from = a.from.chart(kind);
        let lerp = |a: &[PlotPoint], b: &[PlotPoint]| -> Vec<PlotPoint> {
            if a.len() != b.len() {
                return b.to_vec();
            }
            a.iter()
                .zip(b)
                .map(|(p, q)| PlotPoint::new(q.x, p.y + (q.y - p.y) * t))
                .collect()
        };
        Some(ChartLines {
            materials: to
                .materials
                .iter()
                .map(|m| {
                    let mut m2 = m.clone();
                    if let Some(f) = from.materials.iter().find(|f| f.id == m.id) {
                        m2.points = lerp(&f.points, &m.points);
                    }
                    m2
                })
                .collect(),
            total: lerp(&from.total, &to.total),
        })
    }
}

impl AppState {
    pub(super) fn apply_present(&mut self, command: PresentCommand) {
        self.apply_present_command(command);
        self.sync_presenter_clock();
    }

    /// Opens a deck after the user answered "Discard" to the unsaved-changes question: the
    /// document on screen loses its unsaved edits, so leaving the deck does not bring them
    /// back.
    pub(super) fn open_deck_discarding(&mut self, path: PathBuf) {
        self.open_deck(path, true);
    }

    fn sync_presenter_clock(&mut self) {
        // The presenter's clock runs from entering presentation mode to leaving it.
        match (self.present.on, self.present.started) {
            (true, None) => self.present.started = Some(Instant::now()),
            (false, Some(_)) => self.present.started = None,
            _ => {}
        }
    }

    fn apply_present_command(&mut self, command: PresentCommand) {
        match command {
            PresentCommand::Enter => {
                // A deck left with live tweaks resumes where it was left.
                if let Some(index) = self
                    .present
                    .deck
                    .as_ref()
                    .filter(|s| !s.shown)
                    .map(|s| s.index)
                {
                    self.show_slide(index, false);
                }
                self.present.on = true;
            }
            PresentCommand::Leave => {
                self.present.on = false;
                self.leave_deck();
            }
            PresentCommand::OpenDeck(path) => self.open_deck(path, false),
            PresentCommand::Step(step) => {
                let Some(session) = &self.present.deck else {
                    return;
                };
                let last = session.deck.slides.len().saturating_sub(1) as i64;
                let next = (session.index as i64 + i64::from(step)).clamp(0, last) as usize;
                if next != session.index {
                    self.show_slide(next, true);
                }
            }
            PresentCommand::GoTo(index) => {
                let count = self
                    .present
                    .deck
                    .as_ref()
                    .map_or(0, |s| s.deck.slides.len());
                if index < count {
                    self.show_slide(index, false);
                }
            }
            PresentCommand::ToggleLever(id) => {
                let levers = &mut self.view.presentation_levers;
                if let Some(i) = levers.iter().position(|l| *l == id) {
                    levers.remove(i);
                } else {
                    levers.push(id);
                }
            }
            PresentCommand::SetZoom(zoom) => {
                if zoom.is_finite() {
                    self.view.presentation_zoom =
                        zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
                }
            }
            PresentCommand::ToggleNotes => self.present.hide_notes = !self.present.hide_notes,
            PresentCommand::SaveLiveCopy => self.save_live_copy(),
            PresentCommand::ExportPack(deck) => {
                let mut out = super::io::pack_path(&deck);
                if self.is_example(&deck)
                    && let Some(name) = out.file_name()
                {
                    out = self.writable_folder_for(None).join(name);
                }
                self.say(&format!("Writing the board pack {}…", out.display()), false);
                self.services.io.write_pack(deck, out);
            }
            PresentCommand::AddAnnotation(a) => self.active_mut().doc.annotations.push(a),
            PresentCommand::RemoveAnnotation(i) => {
                let notes = &mut self.active_mut().doc.annotations;
                if i < notes.len() {
                    notes.remove(i);
                }
            }
        }
    }

    /// Asks for a deck to be read on a worker; [`Self::install_deck`] shows its first slide.
    /// With `discard`, the document on screen drops its unsaved edits then (only once the deck
    /// has loaded: a deck that fails replaces nothing).
    fn open_deck(&mut self, path: PathBuf, discard: bool) {
        self.session.mark_for_replacement();
        let number = self.services.io.read_deck(path.clone());
        self.present.awaited_deck = Some((number, discard));
        self.say(&format!("Opening the deck {}…", path.display()), false);
    }

    /// Takes a deck read on a worker, if it is the last one asked for.
    pub(super) fn install_deck(
        &mut self,
        number: u64,
        path: PathBuf,
        loaded: Result<Deck, crate::scenario::LoadError>,
    ) {
        let Some((_, discard)) = self.present.awaited_deck.take_if(|(n, _)| *n == number) else {
            return;
        };
        match loaded {
            Ok(_) if discard && !self.session.may_replace_active() => {
                // Edited while the deck was read: asked again, nothing lost.
                self.prompts.confirm = Some(Command::Present(PresentCommand::OpenDeck(path)));
            }
            Ok(deck) => self.show_deck(deck, discard),
            Err(e) => {
                self.prompts.problems = Some(LoadProblem {
                    path,
                    diagnostics: e.diagnostics,
                    reloading: false,
                });
                self.say("The deck did not load: see the problems listed", true);
            }
        }
    }

    /// Presents `deck` from its first slide; with `discard`, the document on screen drops its
    /// unsaved edits first (the user answered "Discard").
    pub(super) fn show_deck(&mut self, deck: Deck, discard: bool) {
        let title = deck.title.clone();
        if discard {
            self.session.discard_active_edits();
        }
        // A deck already on screen gives the explorer back first.
        self.leave_deck();
        self.present.deck = Some(DeckSession::new(deck));
        self.show_slide(0, false);
        self.present.on = true;
        self.sync_presenter_clock();
        self.say(&format!("Deck “{title}” loaded"), false);
    }

    /// Makes slide `index` the active document with its own baseline and pins; the
    /// outgoing slide's live tweaks are kept in the deck, so stepping back shows them again.
    /// The first slide shown sets the explorer's documents and pins aside.
    fn show_slide(&mut self, index: usize, animate: bool) {
        let from = animate.then(|| self.active().run.plot.clone());
        let outgoing = self.active().doc.clone();
        let outgoing_dirty = self.active().dirty();
        let Some(session) = &mut self.present.deck else {
            return;
        };
        let first = !session.shown;
        if !first {
            session.keep_outgoing(outgoing, outgoing_dirty);
        }
        let Some(slide) = session.deck.slides.get(index) else {
            return;
        };
        let edited = session.edited.get(index).copied().unwrap_or(false);
        session.index = index;
        session.shown = true;
        let (path, doc) = (slide.path.clone(), slide.document.clone());
        let pins = slide.pins.clone();
        let baseline_ref = match &slide.baseline {
            Some(b) if b.is_empty() => None,
            Some(b) => Some(b.clone()),
            None => doc.baseline.clone(),
        };
        // Shown at once from the copy the deck holds; the file as it is now and the baseline
        // are read on a worker and take their place when they land (`install_slide`). Live
        // edits are unsaved against the file: until it is read, against nothing.
        let mut opened = self.new_document(Some(path.clone()), doc, Vec::new());
        opened.never_saved = edited;
        let id = opened.id;
        // The first slide sets the explorer and its pins aside; a later one closes the
        // slide before it with its baseline and pins.
        let pins_before = std::mem::take(&mut self.compare);
        self.session.show_alone(opened, pins_before);
        self.services.io.read_slide(id, path, baseline_ref, edited);
        for pin in pins {
            self.apply_compare(CompareCommand::PinFile(pin));
        }
        self.refresh_runs();
        self.present.animation = from.map(|from| Animation {
            from,
            started: Instant::now(),
        });
    }

    /// Takes a slide's file as read when the deck stepped onto it: the slide is its file as
    /// it is now plus the live edits made on this slide and nothing else; reopened with
    /// edits, it is unsaved against its file. A file gone or broken since the deck loaded
    /// leaves the copy read with the deck on screen.
    pub(super) fn install_slide(&mut self, read: super::io::SlideRead) {
        let super::io::SlideRead {
            doc,
            path,
            edited,
            result,
            baseline,
        } = read;
        // Stepped on, or the deck left, before the read landed.
        if self.session.active_id() != doc {
            return;
        }
        match result {
            Ok(loaded) if !edited && !self.active().dirty() => {
                if loaded.document == self.active().doc {
                    self.active_mut().warnings = loaded.warnings;
                } else {
                    // Changed since the deck loaded: shown as it is now, with no undo step
                    // back to the copy nobody chose.
                    let fresh =
                        self.new_document(Some(path.clone()), loaded.document, loaded.warnings);
                    self.session.replace_active(fresh);
                }
            }
            Ok(loaded) => {
                let active = self.active_mut();
                active.saved = loaded.document;
                active.warnings = loaded.warnings;
                active.never_saved = false;
            }
            Err(_) => self.active_mut().never_saved = false,
        }
        if let Some((reference, resolved, loaded)) = baseline {
            self.install_baseline(&path, &reference, resolved, loaded);
        }
    }

    /// Gives the explorer back its documents, baseline and pins. A deck whose slides were
    /// changed live stays loaded (F5 resumes it); an untouched one is closed.
    fn leave_deck(&mut self) {
        let outgoing = self.active().doc.clone();
        let outgoing_dirty = self.active().dirty();
        let Some(session) = &mut self.present.deck else {
            return;
        };
        if !session.shown {
            return;
        }
        session.keep_outgoing(outgoing, outgoing_dirty);
        session.shown = false;
        let tweaked = session.tweaked();
        if let Some(compare) = self.session.restore_explorer() {
            self.compare = compare;
        }
        if tweaked {
            self.say(
                "The deck keeps its live tweaks: F5 resumes it, Ctrl+Shift+S there saves them",
                false,
            );
        } else {
            self.present.deck = None;
        }
        self.present.animation = None;
        self.refresh_runs();
    }

    fn save_live_copy(&mut self) {
        self.present.saving_copy = true;
        let active = self.active();
        let dir = self.writable_folder_for(active.path.as_deref());
        let stem = active
            .path
            .as_deref()
            .and_then(Path::file_stem)
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into());
        let stem = stem.split("-live-").next().unwrap_or(&stem).to_string();
        let name = active.display_name();
        let name = name.split(" (live").next().unwrap_or(&name).to_string();
        self.active_mut().doc.meta.name = format!("{name} (live {})", self.today());
        // The free name is looked for where the file is written, off the UI thread.
        self.save_target_then(super::io::SaveTarget::FreeLiveName { dir, stem }, None);
    }
}
