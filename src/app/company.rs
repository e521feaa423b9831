//! The company view's state: the profile loaded (its file, its edits since the last save) and
//! the commands that open, edit, save and close it. The company's results are not stored:
//! `model::company::evaluate` reads them off a run in microseconds, so the view asks for them
//! from the current, baseline and pinned runs every frame and they can never be stale.
//! Drawing is `crate::ui::company`.

use super::AppState;
use super::io::DialogKind;
use crate::model::company::{CompanyResults, Profile, evaluate};
use crate::scenario::Diagnostic;
use crate::scenario::profile::{load_profile_file, profile_data, save_profile, unknown_materials};
use crate::scenario::record::ObservedSeries;
use std::path::PathBuf;

/// A profile open in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenProfile {
    /// The profile as edited.
    pub profile: Profile,
    /// Its file, if it has one.
    pub path: Option<PathBuf>,
    /// The profile as last loaded or saved, to tell unsaved edits.
    pub saved: Profile,
    /// Whether it was ever saved (a new profile is unsaved even when unedited).
    pub never_saved: bool,
}

impl OpenProfile {
    /// Whether the profile has edits that are not in its file.
    pub fn dirty(&self) -> bool {
        self.never_saved || self.profile != self.saved
    }

    /// Its name, else its file's stem.
    pub fn display_name(&self) -> String {
        crate::display::names::scenario_name(&self.profile.name, self.path.as_deref())
    }
}

/// Everything about the company view besides the view switch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompanyState {
    /// The profile open, if any.
    pub open: Option<OpenProfile>,
    /// Why the last profile did not open (shown in the company view until dismissed).
    pub problems: Vec<Diagnostic>,
    /// The in-window Save As box (for when no file dialog is available): the path typed.
    pub save_as_text: Option<String>,
    /// A frozen copy of the profile to compare strategies against (more stock, a longer
    /// contract, an offtake) on the same scenario.
    pub pinned: Option<Profile>,
    /// Observed series from the data files the profile names, drawn on the market charts.
    pub observed: Vec<ObservedSeries>,
    /// The figures the company view shows, computed when what they depend on changes.
    figures: CompanyFigures,
}

/// The company's results as the view shows them: on the active run, on the reference, on
/// each pinned scenario. Computed at the apply point when the profile or a run they depend
/// on changed, so drawing (every frame, several times over) never evaluates a profile.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompanyFigures {
    /// What they were computed from; `None` before the first computation.
    inputs: Option<FigureInputs>,
    /// On the active scenario.
    pub now: Option<CompanyResults>,
    /// The reference, named (see [`AppState::company_reference`]).
    pub reference: Option<(String, CompanyResults)>,
    /// On each pinned scenario other than the baseline: colour slot, name, results.
    pub pins: Vec<(usize, String, CompanyResults)>,
}

/// Everything the figures depend on: the profiles and the scenarios whose runs they read.
#[derive(Clone, Debug, PartialEq)]
struct FigureInputs {
    profile: Option<Profile>,
    pinned: Option<Profile>,
    active: crate::model::Scenario,
    baseline: Option<(String, crate::model::Scenario)>,
    pins: Vec<super::compare::PinId>,
}

/// What the company view can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum CompanyCommand {
    /// Shows the file dialog to open a profile.
    ShowOpenDialog,
    /// Opens a profile file (asks first when the open profile has unsaved edits).
    Open(PathBuf),
    /// Starts a new, unsaved profile from this one (an example, or the current one).
    New(Box<Profile>),
    /// Replaces the open profile with an edited copy.
    Edit(Box<Profile>),
    /// Saves to the profile's file, or asks for one.
    Save,
    /// Shows the file dialog to save the profile under a new name.
    ShowSaveAsDialog,
    /// Opens the in-window Save As box.
    AskSavePath,
    /// The text in that box.
    SetSavePath(String),
    /// Closes that box.
    CancelSavePath,
    /// Saves the profile to this file.
    SaveAs(PathBuf),
    /// Closes the profile (asks first when it has unsaved edits).
    Close,
    /// Hides the problems of a profile that did not open.
    DismissProblems,
    /// Keeps a copy of the profile as it is now as the comparison for later edits.
    PinProfile,
    /// Drops that copy.
    UnpinProfile,
}

impl AppState {
    /// Whether the open profile has unsaved edits.
    pub fn profile_dirty(&self) -> bool {
        self.company.open.as_ref().is_some_and(OpenProfile::dirty)
    }

    /// The company's results on the active scenario, if a profile is open.
    pub fn company_results(&self) -> Option<&CompanyResults> {
        self.company.figures.now.as_ref()
    }

    /// What the company's figures are compared with, named: the pinned profile on the
    /// current scenario when one is pinned, else the profile on the baseline scenario.
    pub fn company_reference(&self) -> Option<&(String, CompanyResults)> {
        self.company.figures.reference.as_ref()
    }

    /// The company's results on each pinned scenario other than the baseline.
    pub fn company_pins(&self) -> &[(usize, String, CompanyResults)] {
        &self.company.figures.pins
    }

    /// Computes the company view's figures again if the profile or a run they read changed.
    pub(super) fn refresh_company_figures(&mut self) {
        // Compared in place, cloned only when something changed: this runs at every apply.
        let unchanged = self.company.figures.inputs.as_ref().is_some_and(|was| {
            was.profile.as_ref() == self.company.open.as_ref().map(|o| &o.profile)
                && was.pinned == self.company.pinned
                && was.active == self.active().doc.scenario
                && was.baseline.as_ref().map(|(name, s)| (name.as_str(), s))
                    == self
                        .baseline()
                        .map(|b| (b.display_name(), &b.doc.scenario))
                        .as_ref()
                        .map(|(name, s)| (name.as_str(), *s))
                && was
                    .pins
                    .iter()
                    .copied()
                    .eq(self.compare.pins.iter().map(|p| p.id))
        });
        if unchanged {
            return;
        }
        let inputs = FigureInputs {
            profile: self.company.open.as_ref().map(|o| o.profile.clone()),
            pinned: self.company.pinned.clone(),
            active: self.active().doc.scenario.clone(),
            baseline: self
                .baseline()
                .map(|b| (b.display_name(), b.doc.scenario.clone())),
            pins: self.compare.pins.iter().map(|p| p.id).collect(),
        };
        let figures = CompanyFigures {
            now: self
                .company
                .open
                .as_ref()
                .map(|open| evaluate(&open.profile, &self.active().run.results)),
            reference: self.evaluate_reference(),
            pins: match &self.company.open {
                Some(open) => self
                    .compare
                    .pins
                    .iter()
                    .filter(|p| Some(p.id) != self.compare.baseline_pin)
                    .map(|p| {
                        (
                            p.slot,
                            p.name.clone(),
                            evaluate(&open.profile, &p.run.results),
                        )
                    })
                    .collect(),
                None => Vec::new(),
            },
            inputs: Some(inputs),
        };
        self.company.figures = figures;
    }

    fn evaluate_reference(&self) -> Option<(String, CompanyResults)> {
        let open = self.company.open.as_ref()?;
        if let Some(pinned) = &self.company.pinned {
            let name = crate::display::names::scenario_name(&pinned.name, None);
            return Some((
                format!("pinned profile “{name}”"),
                evaluate(pinned, &self.active().run.results),
            ));
        }
        let base = self.baseline()?;
        Some((
            format!("baseline “{}”", base.display_name()),
            evaluate(&open.profile, &base.run.results),
        ))
    }

    pub(super) fn apply_company(&mut self, command: CompanyCommand) {
        match command {
            CompanyCommand::ShowOpenDialog => {
                let dir = self.profile_dirs.first().cloned();
                self.services
                    .io
                    .dialog(DialogKind::OpenProfile, dir, String::new());
            }
            CompanyCommand::Open(path) => match load_profile_file(&path)
                .and_then(|p| profile_data(&p, &path).map(|data| (p, data)))
            {
                Ok((profile, observed)) => {
                    self.company.observed = observed;
                    for w in unknown_materials(&profile, &self.active().doc.scenario) {
                        self.say(&w, false);
                    }
                    self.company.problems.clear();
                    self.company.open = Some(OpenProfile {
                        saved: profile.clone(),
                        profile,
                        path: Some(path),
                        never_saved: false,
                    });
                    self.view.show_company = true;
                    self.view.show_sensitivity = false;
                }
                Err(e) => {
                    self.say(&format!("The profile did not open: {}", e.first()), true);
                    self.company.problems = e.diagnostics;
                }
            },
            CompanyCommand::New(profile) => {
                self.company.open = Some(OpenProfile {
                    saved: (*profile).clone(),
                    profile: *profile,
                    path: None,
                    never_saved: true,
                });
                self.view.show_company = true;
                self.view.show_sensitivity = false;
            }
            CompanyCommand::Edit(profile) => {
                if let Some(open) = &mut self.company.open {
                    open.profile = *profile;
                }
            }
            CompanyCommand::Save => match self.company.open.as_ref().map(|o| o.path.clone()) {
                Some(Some(path)) if !self.is_example(&path) => self.save_profile_to(path),
                Some(Some(_)) => self.apply_company(CompanyCommand::ShowSaveAsDialog),
                Some(None) => self.apply_company(CompanyCommand::AskSavePath),
                None => {}
            },
            CompanyCommand::ShowSaveAsDialog => {
                let (dir, name) = match &self.company.open {
                    Some(o) => (
                        Some(self.writable_folder_for(o.path.as_deref())),
                        super::suggested_file_name(&o.display_name()),
                    ),
                    None => return,
                };
                self.services
                    .io
                    .dialog(DialogKind::SaveProfileAs, dir, name);
            }
            CompanyCommand::AskSavePath => {
                if let Some(o) = &self.company.open {
                    let proposed = o
                        .path
                        .clone()
                        .filter(|p| !self.is_example(p))
                        .unwrap_or_else(|| {
                            self.writable_folder_for(o.path.as_deref())
                                .join(super::suggested_file_name(&o.display_name()))
                        });
                    self.company.save_as_text = Some(proposed.display().to_string());
                }
            }
            CompanyCommand::SetSavePath(text) => self.company.save_as_text = Some(text),
            CompanyCommand::CancelSavePath => self.company.save_as_text = None,
            CompanyCommand::SaveAs(path) => {
                self.company.save_as_text = None;
                self.save_profile_to(super::with_ron_extension(path));
            }
            CompanyCommand::Close => {
                self.company.open = None;
                self.company.observed.clear();
                self.company.save_as_text = None;
            }
            CompanyCommand::DismissProblems => self.company.problems.clear(),
            CompanyCommand::PinProfile => {
                self.company.pinned = self.company.open.as_ref().map(|o| o.profile.clone());
            }
            CompanyCommand::UnpinProfile => self.company.pinned = None,
        }
    }

    fn save_profile_to(&mut self, path: PathBuf) {
        let Some(open) = &mut self.company.open else {
            return;
        };
        match save_profile(&path, &open.profile) {
            Ok(()) => {
                open.saved = open.profile.clone();
                open.path = Some(path.clone());
                open.never_saved = false;
                self.say(&format!("Saved {}", path.display()), false);
            }
            Err(e) => self.say(&format!("Could not save {}: {e}", path.display()), true),
        }
    }
}
