//! Targets, goal seek and "when does this plan fail?" in the window, without drawing. The
//! targets live in the active document (edited like levers, undoable, saved with the file);
//! the seek settings (levers to move and their bounds, robust or not) are the window's. A
//! seek runs on its own worker with a progress count and Cancel, so sliders stay live; its
//! answer opens as a new unsaved scenario with the plan it started from pinned beside it.
//! Robustness of the active plan is a latest-wins job asked for while the Goals view shows.
//!
//! `crate::ui::goal` draws this state.

use super::worker::{Done, LatestJob};
use super::{AppState, Command};
use crate::model::robust::{Robustness, robustness};
use crate::model::seek::{
    Answer, CompanyPlan, DEFAULT_MAX_OFFTAKE, DEFAULT_MAX_STOCK_MONTHS, Knob, Mode, Request, Vary,
    default_vary, seek,
};
use crate::model::{Scenario, Targets};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The levers the Goals view offers to move, in order; then the capex share of each of the
/// plan's materials.
pub const SEEKABLE: [&str; 5] = [
    "capex",
    "capex_years",
    "stockpile",
    "permitting_delay",
    "safety_stock",
];

/// One knob of the seek: moved or not, and between which values (stored units).
#[derive(Clone, Debug, PartialEq)]
pub struct VarySetting {
    /// A lever of [`SEEKABLE`] or a material's capex share.
    pub knob: Knob,
    /// Whether the seek moves it.
    pub on: bool,
    /// Lowest value tried.
    pub min: f64,
    /// Highest value tried.
    pub max: f64,
}

/// The seek settings the view starts with for `scenario`: the model's default knobs and
/// bounds on, the others off over their whole range.
pub fn default_settings(scenario: &Scenario) -> Vec<VarySetting> {
    let defaults = default_vary(scenario);
    let levers = SEEKABLE
        .iter()
        .filter_map(|id| crate::model::levers::lever(id))
        .map(Knob::Lever);
    let shares = scenario
        .materials
        .iter()
        .map(|m| Knob::CapexShare(m.id.clone()));
    levers
        .chain(shares)
        .map(|knob| match defaults.iter().find(|v| v.knob == knob) {
            Some(v) => VarySetting {
                knob,
                on: true,
                min: v.min,
                max: v.max,
            },
            None => {
                let (min, max) = knob.range();
                VarySetting {
                    knob,
                    on: false,
                    min,
                    max,
                }
            }
        })
        .collect()
}

/// What a seek is asked for (the job's key: the same request twice runs once).
#[derive(Clone, Debug, PartialEq)]
pub struct SeekKey {
    /// The plan at the moment Seek was pressed.
    pub scenario: Scenario,
    /// Its targets.
    pub targets: Targets,
    /// The knobs moved, with bounds.
    pub vary: Vec<Vary>,
    /// On the central run or robust.
    pub mode: Mode,
    /// The open company profile and its levers, when the seek sizes them.
    pub company: Option<CompanyPlan>,
}

impl SeekKey {
    fn request(&self) -> Request {
        Request {
            scenario: self.scenario.clone(),
            targets: self.targets.clone(),
            vary: self.vary.clone(),
            mode: self.mode,
            company: self.company.clone(),
        }
    }
}

/// What robustness is asked for: a plan and its targets.
#[derive(Clone, Debug, PartialEq)]
pub struct RobustKey {
    /// The plan.
    pub scenario: Scenario,
    /// Its targets.
    pub targets: Targets,
}

/// Requests of the Goals view.
#[derive(Clone, Debug, PartialEq)]
pub enum GoalCommand {
    /// Replaces the seek settings of one knob (by position in [`GoalState::settings`]).
    SetVary(usize, VarySetting),
    /// Robust mode on (`Some(share)`) or off.
    SetRobust(Option<f64>),
    /// Starts a seek of the active plan with the current settings.
    Seek,
    /// Stops a running seek.
    CancelSeek,
    /// Opens the answer as a new unsaved scenario, the plan it started from pinned beside it.
    OpenAnswer,
}

/// The Goals view's choices (the seek's answers come from [`GoalJobs`], a background
/// service).
#[derive(Debug, Default)]
pub struct GoalState {
    /// Seek settings of the knobs the person changed; the others (and a material another
    /// plan adds) take the active plan's defaults.
    pub vary: Option<Vec<VarySetting>>,
    /// Share of futures every target must hold in, when robust.
    pub robust: Option<f64>,
}

/// The goal seek and the robustness of the active plan, computed off the UI thread.
pub struct GoalJobs {
    /// The seek job.
    pub(super) seek: LatestJob<SeekKey, Answer>,
    /// Share of the running seek's budget used, as f64 bits.
    progress: Arc<AtomicU64>,
    /// Robustness of the active plan.
    pub(super) robustness: LatestJob<RobustKey, Robustness>,
}

impl std::fmt::Debug for GoalJobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GoalJobs")
            .field("seek", &self.seek)
            .field("robustness", &self.robustness)
            .finish()
    }
}

impl Default for GoalJobs {
    fn default() -> Self {
        let progress = Arc::new(AtomicU64::new(0));
        let shared = progress.clone();
        Self {
            seek: LatestJob::new("seek", move |key: &SeekKey, cancelled| {
                shared.store(0f64.to_bits(), Ordering::Release);
                let report = |p: f64| shared.store(p.to_bits(), Ordering::Release);
                seek(&key.request(), &report, cancelled)
            }),
            progress,
            robustness: LatestJob::new("robustness", |key: &RobustKey, cancelled| {
                robustness(&key.scenario, &key.targets, cancelled)
            }),
        }
    }
}

impl GoalState {
    /// The seek settings in force for `scenario`: its defaults, with the person's changes to
    /// the same knobs.
    pub fn settings(&self, scenario: &Scenario) -> Vec<VarySetting> {
        let mut settings = default_settings(scenario);
        if let Some(changed) = &self.vary {
            for s in &mut settings {
                if let Some(c) = changed.iter().find(|c| c.knob == s.knob) {
                    *s = c.clone();
                }
            }
        }
        settings
    }
}

impl GoalJobs {
    /// Share of the running seek's budget used (0-1).
    pub fn progress(&self) -> f64 {
        f64::from_bits(self.progress.load(Ordering::Acquire)).clamp(0.0, 1.0)
    }

    /// The finished seek, if any.
    pub fn answer(&self) -> Option<&Done<SeekKey, Answer>> {
        self.seek.latest()
    }

    /// The robustness of exactly this plan and targets, once arrived.
    pub fn robustness_for(&self, scenario: &Scenario, targets: &Targets) -> Option<&Robustness> {
        self.robustness
            .latest()
            .filter(|d| d.key.scenario == *scenario && d.key.targets == *targets)
            .map(|d| &d.value)
    }

    /// Collects answers and asks for the robustness of the active plan while it is shown.
    pub fn update(&mut self, scenario: &Scenario, targets: &Targets, shown: bool) {
        self.seek.poll();
        self.robustness.poll();
        if shown {
            self.robustness.request(&RobustKey {
                scenario: scenario.clone(),
                targets: targets.clone(),
            });
        } else {
            self.robustness.cancel();
        }
    }

    /// True while a seek runs.
    pub fn seeking(&self) -> bool {
        self.seek.busy()
    }

    /// Why the last seek failed, if it did.
    pub fn seek_failure(&self) -> Option<&str> {
        self.seek.failure.as_deref()
    }

    /// The context woken when an answer arrives.
    pub fn set_repaint_context(&mut self, ctx: &egui::Context) {
        self.seek.set_repaint_context(ctx);
        self.robustness.set_repaint_context(ctx);
    }

    /// True while a seek or robustness run waits for its answer.
    pub fn busy(&self) -> bool {
        self.seek.busy() || self.robustness.busy()
    }

    /// Waits (bounded) for pending answers: tests and screenshots only.
    pub fn wait(&mut self, timeout: Duration) {
        self.seek.wait(timeout);
        self.robustness.wait(timeout);
    }
}

impl AppState {
    pub(super) fn apply_goal(&mut self, command: GoalCommand) {
        match command {
            GoalCommand::SetVary(index, setting) => {
                let mut settings = self.goal.settings(&self.active().doc.scenario);
                if let Some(slot) = settings.get_mut(index) {
                    *slot = setting;
                    self.goal.vary = Some(settings);
                }
            }
            GoalCommand::SetRobust(share) => {
                self.goal.robust = share.map(|s| s.clamp(0.05, 1.0));
            }
            GoalCommand::Seek => {
                let doc = &self.active().doc;
                if doc.targets.is_empty() {
                    self.say("Set at least one target before seeking", true);
                    return;
                }
                let vary: Vec<Vary> = self
                    .goal
                    .settings(&doc.scenario)
                    .into_iter()
                    .filter(|v| v.on)
                    .map(|v| Vary {
                        knob: v.knob,
                        min: v.min,
                        max: v.max,
                    })
                    .collect();
                if vary.is_empty() {
                    self.say("Choose at least one lever for the seek to move", true);
                    return;
                }
                // With a company open and a bound on its stoppage risk, the seek sizes the
                // company's own stock and offtake too.
                let company = self
                    .company
                    .open
                    .as_ref()
                    .filter(|_| doc.targets.stoppage_chance.is_some())
                    .map(|open| CompanyPlan {
                        profile: open.profile.clone(),
                        stock: Some((0.0, DEFAULT_MAX_STOCK_MONTHS)),
                        offtake: Some((0.0, DEFAULT_MAX_OFFTAKE)),
                    });
                let key = SeekKey {
                    scenario: doc.scenario.clone(),
                    targets: doc.targets.clone(),
                    vary,
                    company,
                    mode: match self.goal.robust {
                        Some(share) => Mode::Robust { share },
                        None => Mode::Central,
                    },
                };
                self.services.goal.seek.request(&key);
            }
            GoalCommand::CancelSeek => {
                self.services.goal.seek.cancel();
                self.say("Seek cancelled", false);
            }
            GoalCommand::OpenAnswer => {
                let Some(done) = self.services.goal.seek.latest() else {
                    return;
                };
                let doc = crate::scenario::goal::answer_document(&self.active().doc, &done.value);
                let feasible = done.value.feasible();
                // The plan it started from stays on the charts beside the answer.
                self.apply_compare(super::compare::CompareCommand::PinActive);
                self.open_unsaved(doc);
                self.services.goal.seek.cancel();
                self.say(
                    if feasible {
                        "Seek answer opened: not saved yet; the plan it started from is pinned"
                    } else {
                        "Closest setting opened (not every target is met): not saved yet"
                    },
                    false,
                );
            }
        }
    }
}

/// True for the commands of this view that replace the active document.
pub fn replaces_active(command: &Command) -> bool {
    matches!(command, Command::Goal(GoalCommand::OpenAnswer))
}
