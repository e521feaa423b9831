//! App state, without drawing: the open documents (one active, one optional baseline), the
//! scenario library, background IO, view state, and the one place where [`Command`]s are
//! applied. `crate::ui` draws this state and pushes commands; it never edits documents itself.
//!
//! Per frame: input panels push commands -> [`AppState::apply_pending`] applies them and
//! re-runs the model where a scenario changed -> output panels draw the fresh results ->
//! [`AppState::end_frame`] records an undo point unless a drag is still in progress.

pub mod analysis;
pub mod command;
pub mod company;
pub mod compare;
pub mod document;
pub mod edit;
pub mod examples;
pub mod goal;
pub mod history;
pub mod instance;
pub mod io;
pub mod launch;
pub mod library;
mod open;
pub mod options;
pub mod outputs;
pub mod plot_cache;
pub mod present;
pub mod prompts;
pub mod recovery;
mod save;
pub mod scene;
pub mod services;
pub mod session;
pub mod version;
pub mod view;
pub mod watch;
pub mod worker;

pub use command::{Command, ConfirmChoice, HelpPage};
pub use document::{DocId, OpenDocument, Run};
pub use launch::{LaunchOptions, StartView};
pub use options::AppOptions;
pub use prompts::{LoadProblem, Prompts, StatusMessage};
use save::suggested_file_name;
pub use save::with_ron_extension;
pub use services::Services;
pub use session::Session;
pub use view::{ChartKind, CostUnit, ViewState};

use crate::model::levers::{lever as find_lever, material_lever as find_material_lever};
use crate::model::{LEVERS, LeverGroup, Material, PolicyEvent, Results, Summary};
use crate::scenario::{Diagnostic, Document};
use io::{DialogKind, IoEvent};
use library::{LibraryEntry, LibraryFolder};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The edits of the active document that go through its undo history (`edit_active`), as a
/// pattern: the command match stays exhaustive and `edits_document` names the same list.
macro_rules! undoable_edit {
    () => {
        Command::SetLever { .. }
            | Command::SetMaterialLever { .. }
            | Command::ResetLever(_)
            | Command::ResetMaterialLever { .. }
            | Command::ResetGroup(_)
            | Command::SetEvent { .. }
            | Command::AddEvent
            | Command::RemoveEvent(_)
            | Command::SetMeta(_)
            | Command::SetTargets(_)
            | Command::Undo
            | Command::Redo
    };
}

/// The whole non-visual state of the window.
#[derive(Debug)]
pub struct AppState {
    /// The open documents: the only way one is opened, replaced, closed or set aside.
    session: Session,
    /// What to do once the save in progress for a document lands.
    after_save: Option<(DocId, Command)>,
    /// The questions and dialogs over the window.
    pub prompts: Prompts,
    /// Theme, chart choices and folders, persisted between runs.
    pub view: ViewState,
    library_dirs: Vec<PathBuf>,
    deck_dirs: Vec<PathBuf>,
    profile_dirs: Vec<PathBuf>,
    /// The last finished scan (empty until the first one finishes).
    pub library: Vec<LibraryFolder>,
    /// Deck files found in the deck folders (listed on the IO thread, never while drawing).
    pub decks: Vec<PathBuf>,
    /// Profile files found in the profile folders (listed on the IO thread).
    pub profiles: Vec<PathBuf>,
    /// The company profile and its view.
    pub company: company::CompanyState,
    /// The background services (IO, analysis, goal seek, autosave, file watching): started
    /// and read only by this state's own methods; the panels read what they publish.
    services: Services,
    /// Pinned scenarios, delta view, side-by-side table.
    pub compare: compare::CompareState,
    /// Presentation mode and the deck being shown.
    pub present: present::PresentState,
    commands: Vec<Command>,
    /// The last status-bar message, if any.
    pub status: Option<StatusMessage>,
    /// Set once the user agreed to close; the window then closes without asking again.
    pub quit_confirmed: bool,
    /// The Goals view's choices (the seek's levers and bounds, robust or central).
    pub goal: goal::GoalState,
    /// A fixed today (see [`AppOptions::today`]), or `None` for the system clock.
    fixed_today: Option<String>,
    /// The built-in examples' root, canonical (see [`AppOptions::examples`]).
    examples: Option<PathBuf>,
    /// The user's own folder (see [`AppOptions::user_folder`]).
    user_folder: Option<PathBuf>,
    /// Folders of files opened this session that no library folder lists (a file opened
    /// from the command line, a file manager or a mail attachment): listed until quit.
    opened_folders: Vec<PathBuf>,
    /// The open file was saved by another model version (see [`version`]).
    pub model_notice: Option<version::ModelNotice>,
}

impl AppState {
    /// Builds the state and opens the requested (or default) scenario. Does not need a window.
    pub fn new(options: AppOptions) -> Self {
        let mut state = Self {
            session: Session::new(),
            prompts: Prompts::default(),
            after_save: None,
            view: options.view,
            library_dirs: options.library_dirs,
            deck_dirs: options.deck_dirs,
            profile_dirs: options.profile_dirs,
            library: Vec::new(),
            decks: Vec::new(),
            profiles: Vec::new(),
            company: company::CompanyState::default(),
            services: Services::new(options.recovery_dir.clone(), options.watch_files),
            compare: compare::CompareState::default(),
            present: present::PresentState::default(),
            commands: Vec::new(),
            status: None,
            quit_confirmed: false,
            goal: goal::GoalState::default(),
            fixed_today: options.today,
            examples: options.examples.as_deref().map(library::canonical),
            user_folder: options.user_folder,
            opened_folders: Vec::new(),
            model_notice: None,
        };
        state.prompts.restore = state.services.recovery.take_found();
        let start_file = options.file.or_else(|| {
            options
                .restore_last_file
                .then(|| state.view.last_file.clone())
                .flatten()
                .filter(|p| p.is_file())
        });
        if let Some(path) = start_file {
            // Before the first frame: read here, so the window opens on the file.
            let number = state.services.io.open_request();
            state.install_opened(io::read_scenario(number, path));
        }
        state.refresh_runs();
        state.rescan_library();
        state.announce_recent_crash();
        state
    }

    fn new_document(
        &mut self,
        path: Option<PathBuf>,
        doc: Document,
        warnings: Vec<Diagnostic>,
    ) -> OpenDocument {
        self.session.document(path, doc, warnings)
    }

    // ----- queries -----

    /// A question the window must have answered before anything else: unsaved changes, the
    /// restore offer at start, a file changed on disk under edits.
    pub fn asking(&self) -> bool {
        self.prompts.confirm.is_some()
            || !self.prompts.restore.is_empty()
            || self.prompts.reload.is_some()
    }

    /// The background services, read-only, for tests and tools; the panels read what the
    /// state publishes (the accessors below, [`Prompts`]) instead.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Lets the background services wake the window when an answer lands.
    pub fn set_repaint_context(&mut self, ctx: &egui::Context) {
        self.services.set_repaint_context(ctx);
    }

    /// True while a goal seek runs.
    pub fn seeking(&self) -> bool {
        self.services.goal.seeking()
    }

    /// Share of the running seek's budget used (0-1).
    pub fn seek_progress(&self) -> f64 {
        self.services.goal.progress()
    }

    /// Why the last seek failed, if it did.
    pub fn seek_failure(&self) -> Option<&str> {
        self.services.goal.seek_failure()
    }

    /// The last finished seek, if any.
    pub fn seek_answer(&self) -> Option<&worker::Done<goal::SeekKey, crate::model::seek::Answer>> {
        self.services.goal.answer()
    }

    /// The robustness of the active plan and its targets, once arrived.
    pub fn plan_robustness(&self) -> Option<&crate::model::robust::Robustness> {
        let doc = &self.active().doc;
        self.services
            .goal
            .robustness_for(&doc.scenario, &doc.targets)
    }

    /// True while a background analysis (bands, sensitivity, the company's spread) runs.
    pub fn analysing(&self) -> bool {
        self.services.analysis.busy()
    }

    /// The Monte Carlo bands of the active scenario, once they have arrived.
    pub fn bands(&self) -> Option<&worker::Done<crate::model::Scenario, analysis::BandsOutput>> {
        self.services
            .analysis
            .bands_for(&self.active().doc.scenario)
    }

    /// Why the last bands run failed, if it did.
    pub fn bands_failure(&self) -> Option<&str> {
        self.services.analysis.bands.failure.as_deref()
    }

    /// The tornado and sweep of the active scenario, for whatever figure and lever were asked.
    pub fn sensitivity(
        &self,
    ) -> Option<&worker::Done<analysis::SensitivityRequest, analysis::Sensitivity>> {
        self.services
            .analysis
            .sensitivity_for(&self.active().doc.scenario)
    }

    /// Why the last sensitivity run failed, if it did.
    pub fn sensitivity_failure(&self) -> Option<&str> {
        self.services.analysis.sensitivity.failure.as_deref()
    }

    /// The open company's spread over the active scenario's Monte Carlo paths, once arrived.
    pub fn company_spread(&self) -> Option<&crate::model::CompanyBands> {
        let open = self.company.open.as_ref()?;
        self.services
            .analysis
            .company_for(&self.active().doc.scenario, &open.profile)
    }

    /// Every open document: the active one, the baseline, and any others.
    pub fn documents(&self) -> &[OpenDocument] {
        self.session.documents()
    }

    /// The open documents, read-only: changing which are open goes through commands.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The document the levers edit and the charts show.
    pub fn active(&self) -> &OpenDocument {
        self.session.active()
    }

    fn active_mut(&mut self) -> &mut OpenDocument {
        self.session.active_mut()
    }

    /// The pinned baseline, if any.
    pub fn baseline(&self) -> Option<&OpenDocument> {
        self.session.baseline()
    }

    /// The run the current scenario is compared with: the baseline's, or `None` for the
    /// current scenario's own no-controls run.
    pub fn baseline_results(&self) -> Option<&Results> {
        self.baseline().map(|b| &b.run.results)
    }

    /// The run drawn as the dashed ghost: the baseline, else the no-controls counterfactual.
    pub fn reference_run(&self) -> &Run {
        match self.baseline() {
            Some(b) => &b.run,
            None => &self.active().counterfactual,
        }
    }

    /// Headline of the current scenario and of its last saved state.
    pub fn summaries(&self) -> (Summary, Summary) {
        let baseline = self.baseline_results();
        let active = self.active();
        (active.summary(baseline), active.saved_summary(baseline))
    }

    /// True when any open document has unsaved changes.
    pub fn any_dirty(&self) -> bool {
        self.session.any_dirty() || self.present.edits_off_screen()
    }

    /// Whether a library entry is the active document's file.
    pub fn is_active_file(&self, entry: &LibraryEntry) -> bool {
        // Canonical forms computed when the file was opened or scanned: drawing the library
        // touches no file system.
        self.active()
            .canonical
            .as_deref()
            .is_some_and(|p| p == entry.canonical)
    }

    /// Window title: scenario name, its file name, a star when unsaved.
    pub fn title(&self) -> String {
        let active = self.active();
        let star = if active.dirty() { " *" } else { "" };
        let file = active
            .path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(
                || " (not saved)".to_string(),
                |f| format!(" ({})", f.to_string_lossy()),
            );
        let title = format!("{}{file}{star} — Lodestone", active.display_name());
        // The title bar gets no control character (a NUL aborts the window system's call).
        crate::display::names::plain_text(&title, 2 * crate::display::names::MAX_SHOWN_CHARS)
    }

    // ----- commands -----

    /// Queues a command for the next apply point.
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Queues several commands.
    pub fn extend(&mut self, commands: impl IntoIterator<Item = Command>) {
        self.commands.extend(commands);
    }

    /// True when commands wait to be applied.
    pub fn has_pending(&self) -> bool {
        !self.commands.is_empty()
    }

    /// Collects background results, applies every queued command and re-runs the model where
    /// a scenario changed. Returns whether the active run changed.
    ///
    /// The queued edits were drawn against the document shown when the frame began: once a
    /// command (or a file landing from the IO worker) puts another document on screen, the
    /// edits still queued behind it are dropped, never applied to a document nobody was
    /// looking at (a slide that opened in the same frame as a lever move).
    pub fn apply_pending(&mut self) -> bool {
        let drawn_for = self.session.active_id();
        self.poll_watch(Instant::now());
        for event in self.services.io.poll() {
            self.handle_io(event);
        }
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            if edits_document(&command) && self.session.active_id() != drawn_for {
                continue;
            }
            self.apply(command);
        }
        let changed = self.refresh_runs();
        self.update_analysis();
        changed
    }

    /// Collects background analyses and asks for those of the active scenario as it is now.
    fn update_analysis(&mut self) {
        let Self {
            session,
            services,
            view,
            company,
            ..
        } = self;
        let reference = session.baseline().map(|b| &b.doc.scenario);
        let profile = company.open.as_ref().map(|o| &o.profile);
        let doc = session.active();
        services
            .analysis
            .update(&doc.doc.scenario, reference, profile, view);
        services
            .goal
            .update(&doc.doc.scenario, &doc.doc.targets, view.show_goals);
        self.refresh_company_figures();
    }

    /// Applies one command now (tests and scripts may call this directly).
    pub fn apply(&mut self, command: Command) {
        if self.needs_confirmation(&command) {
            self.prompts.confirm = Some(command);
            return;
        }
        if edits_document(&command) {
            self.apply_edit(command);
        } else {
            self.apply_confirmed(command);
        }
    }

    /// Applies an edit of the active document, keeping it a file that loads: an edit that
    /// would leave a problem the file format refuses is taken back, and the status bar says
    /// why. (A document that already has such a problem may still be edited, to fix it.)
    fn apply_edit(&mut self, command: Command) {
        let before = self.active().doc.clone();
        self.apply_confirmed(command);
        let after = &self.active().doc;
        if *after == before {
            return;
        }
        if let Some(problem) = edit::first_error(after)
            && edit::first_error(&before).is_none()
        {
            self.active_mut().doc = before;
            self.say(
                &format!(
                    "Not changed: {} would be invalid: {}",
                    problem.path, problem.message
                ),
                true,
            );
        }
    }

    /// Records an undo point unless the user is still dragging or typing, so one drag or one
    /// edit of a text field is one undo step.
    pub fn end_frame(&mut self, interacting: bool) {
        if !interacting {
            self.active_mut().commit_undo_point();
        }
    }

    /// Waits for background jobs (library scans) and applies their results; for tests and the
    /// screenshot mode, which need a complete library before drawing.
    pub fn wait_for_background(&mut self, timeout: Duration) {
        // An answer may start another job (a save, then the open it guarded): wait for those
        // too.
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            for event in self.services.io.wait(left) {
                self.handle_io(event);
            }
            if !self.services.io.busy() || Instant::now() >= deadline {
                break;
            }
        }
        self.refresh_runs();
        self.update_analysis();
        self.services
            .goal
            .wait(deadline.saturating_duration_since(Instant::now()));
    }

    /// Waits (bounded) for the goal seek and the plan's robustness: tests only.
    pub fn wait_for_goal(&mut self, timeout: Duration) {
        self.services.goal.wait(timeout);
    }

    /// Waits (bounded) for the analyses asked for (bands, sensitivity, the company's spread):
    /// tests and the screenshot mode only; the window polls instead.
    pub fn wait_for_analysis(&mut self, timeout: Duration) {
        self.services.analysis.wait(timeout);
    }

    /// The one gate of the document lifecycle: every command that would replace or close a
    /// document (or the profile) with unsaved work asks first; for documents the session
    /// decides (see [`Session::loses_work`]).
    fn needs_confirmation(&self, command: &Command) -> bool {
        match command {
            Command::Quit => {
                !self.quit_confirmed
                    && (self.session.loses_work(command)
                        || self.present.edits_off_screen()
                        || self.profile_dirty())
            }
            Command::Company(
                company::CompanyCommand::Open(_)
                | company::CompanyCommand::New(_)
                | company::CompanyCommand::Close,
            ) => self.profile_dirty(),
            _ => self.session.loses_work(command),
        }
    }

    /// Applies an edit of the active document's contents (levers, events, metadata,
    /// targets, undo and redo); other commands are not edits and change nothing here.
    fn edit_active(&mut self, command: Command) {
        match command {
            Command::SetLever { id, value } => {
                if let Some(lever) = find_lever(id) {
                    (lever.set)(&mut self.active_mut().doc.scenario, lever.clamp(value));
                }
            }
            Command::SetMaterialLever {
                material,
                lever,
                value,
            } => {
                let materials = &mut self.active_mut().doc.scenario.materials;
                if lever == "capex_share" {
                    // The shares move together: they always sum to 1.
                    edit::set_capex_share(materials, material, value);
                } else if let Some(lever) = find_material_lever(lever)
                    && value.is_finite()
                    && let Some(m) = materials.get_mut(material)
                {
                    (lever.set)(m, value.clamp(lever.min, lever.max));
                }
            }
            Command::ResetLever(id) => {
                if let Some(lever) = find_lever(id) {
                    (lever.set)(&mut self.active_mut().doc.scenario, lever.default);
                }
            }
            Command::ResetMaterialLever { material, lever } => {
                let materials = &mut self.active_mut().doc.scenario.materials;
                if let Some(lever) = find_material_lever(lever)
                    && let Some(m) = materials.get_mut(material)
                {
                    let default = (lever.get)(&Material::default_for(&m.id));
                    if lever.id == "capex_share" {
                        edit::set_capex_share(materials, material, default);
                    } else {
                        (lever.set)(m, default);
                    }
                }
            }
            Command::ResetGroup(group) => {
                let scenario = &mut self.active_mut().doc.scenario;
                for lever in LEVERS.iter().filter(|l| l.group == group) {
                    (lever.set)(scenario, lever.default);
                }
                if group == LeverGroup::Quota {
                    for m in &mut scenario.materials {
                        m.quota_share = Material::default_for(&m.id).quota_share;
                    }
                }
                if group == LeverGroup::Diversification {
                    for m in &mut scenario.materials {
                        m.capex_share = Material::default_for(&m.id).capex_share;
                    }
                    // Defaults of materials outside the four need not sum to 1.
                    edit::normalise_capex_shares(&mut scenario.materials);
                }
            }
            Command::SetEvent { index, event } => {
                if let Some(e) = self.active_mut().doc.scenario.events.get_mut(index) {
                    *e = event;
                }
            }
            Command::AddEvent => {
                let scenario = &mut self.active_mut().doc.scenario;
                let date = edit::new_event_date(scenario);
                scenario.events.push(PolicyEvent {
                    date,
                    label: format!("Event {}", scenario.events.len() + 1),
                    ..PolicyEvent::default()
                });
            }
            Command::RemoveEvent(index) => {
                let events = &mut self.active_mut().doc.scenario.events;
                if index < events.len() {
                    events.remove(index);
                }
            }
            Command::SetMeta(meta) => self.active_mut().doc.meta = meta,
            Command::Undo => {
                self.active_mut().undo();
            }
            Command::Redo => {
                self.active_mut().redo();
            }
            Command::SetTargets(targets) => self.active_mut().doc.targets = targets,
            _ => {}
        }
    }

    fn apply_confirmed(&mut self, command: Command) {
        match command {
            edit @ undoable_edit!() => self.edit_active(edit),
            Command::NewFromCurrent => self.new_from_current(),
            Command::Goal(command) => self.apply_goal(command),
            Command::Revert => self.revert(),
            Command::ShowHelp(page) => self.prompts.help = page,
            Command::ShowOpenDialog => {
                let dir = self.dialog_dir();
                self.services
                    .io
                    .dialog(DialogKind::Open, dir, String::new());
            }
            Command::OpenPath(path) => self.open_path(&path),
            Command::Save => match self.active().path.clone() {
                Some(path) if !self.is_example(&path) => self.save_to(path),
                _ => self.apply_confirmed(Command::ShowSaveAsDialog),
            },
            Command::ShowSaveAsDialog => {
                let dir = self.dialog_dir();
                let name = suggested_file_name(&self.active().display_name());
                self.services.io.dialog(DialogKind::SaveAs, dir, name);
            }
            Command::SaveAs(path) => {
                self.prompts.save_as_prompt = None;
                self.save_to(with_ron_extension(path));
            }
            Command::AskSavePath => self.prompts.save_as_prompt = Some(self.suggested_save_path()),
            Command::SetSavePath(text) => {
                if self.prompts.save_as_prompt.is_some() {
                    self.prompts.save_as_prompt = Some(text);
                }
            }
            Command::CancelSavePath => self.prompts.save_as_prompt = None,
            Command::ShowFolderDialog => {
                let dir = self.dialog_dir();
                self.services
                    .io
                    .dialog(DialogKind::Folder, dir, String::new());
            }
            Command::AddLibraryFolder(path) => {
                if !self.view.library_folders.contains(&path) && !self.library_dirs.contains(&path)
                {
                    self.view.library_folders.push(path);
                }
                self.rescan_library();
            }
            Command::RemoveLibraryFolder(path) => {
                self.view.library_folders.retain(|p| *p != path);
                self.rescan_library();
            }
            Command::RescanLibrary => self.rescan_library(),
            Command::PinBaseline => {
                let active = self.active();
                let (path, doc) = (active.path.clone(), active.doc.clone());
                let pinned = self.new_document(path, doc, Vec::new());
                self.session.set_baseline(pinned, false);
                self.say("Pinned the current scenario as the baseline", false);
            }
            Command::UnpinBaseline => self.session.close_baseline(),
            Command::DismissProblems => self.prompts.problems = None,
            Command::ShowProblems(path) => {
                let entry = self
                    .library
                    .iter()
                    .flat_map(|f| &f.entries)
                    .find(|e| e.path == path);
                if let Some(entry) = entry {
                    self.prompts.problems = Some(LoadProblem {
                        path: entry.path.clone(),
                        diagnostics: entry.problems.clone(),
                        reloading: false,
                    });
                }
            }
            Command::Compare(c) => self.apply_compare(c),
            Command::Present(c) => self.apply_present(c),
            Command::PasteScenario(text) => self.paste_scenario(&text),
            Command::Export(request) => self.export(request),
            Command::Confirm(choice) => self.answer_confirmation(choice),
            Command::Recovery(choice) => self.answer_recovery(choice),
            Command::Reload(choice) => self.answer_reload(choice),
            Command::Quit => self.quit_confirmed = true,
            Command::ShowModelChanges(show) => self.show_model_changes(show),
            Command::Company(c) => self.apply_company(c),
            Command::SetView(view) => {
                let folders_changed = view.library_folders != self.view.library_folders;
                self.view = view;
                if folders_changed {
                    self.rescan_library();
                }
            }
        }
    }

    /// Whether the pending question is about the profile rather than a scenario: a profile
    /// command, or quitting with only the profile unsaved.
    pub fn confirm_is_about_profile(&self, pending: &Command) -> bool {
        matches!(pending, Command::Company(_))
            || (matches!(pending, Command::Quit) && !self.any_dirty() && self.profile_dirty())
    }

    fn answer_confirmation(&mut self, choice: ConfirmChoice) {
        let Some(pending) = self.prompts.confirm.take() else {
            return;
        };
        match choice {
            ConfirmChoice::Cancel => {}
            ConfirmChoice::Discard => match pending {
                // A deck keeps the explorer behind it: what was discarded must not come back
                // when the deck is left.
                Command::Present(present::PresentCommand::OpenDeck(path)) => {
                    self.open_deck_discarding(path)
                }
                pending => self.apply_confirmed(pending),
            },
            ConfirmChoice::Save if self.confirm_is_about_profile(&pending) => {
                let path = self.company.open.as_ref().and_then(|o| o.path.clone());
                match path {
                    Some(path) => {
                        self.apply_company(company::CompanyCommand::SaveAs(path));
                        if !self.profile_dirty() {
                            self.apply(pending);
                        }
                    }
                    None => self.apply_company(company::CompanyCommand::AskSavePath),
                }
            }
            ConfirmChoice::Save => match self.active().path.clone() {
                Some(path) if !self.is_example(&path) => self.save_then(path, Some(pending)),
                _ => {
                    // Without a file the save needs a dialog; the user repeats the action after.
                    self.apply_confirmed(Command::ShowSaveAsDialog);
                }
            },
        }
    }

    fn handle_io(&mut self, event: IoEvent) {
        match event {
            IoEvent::OpenChosen(Some(path)) => self.apply(Command::OpenPath(path)),
            IoEvent::SaveAsChosen(Some(path)) => self.apply(Command::SaveAs(path)),
            IoEvent::FolderChosen(Some(path)) => self.apply(Command::AddLibraryFolder(path)),
            IoEvent::OpenChosen(None)
            | IoEvent::SaveAsChosen(None)
            | IoEvent::FolderChosen(None) => {}
            // Latest wins: a slower, older scan must not bring back a removed folder.
            IoEvent::Library(number, ..) if number != self.services.io.library_scan() => {}
            IoEvent::Library(_, folders, decks, profiles) => {
                self.library = folders;
                self.decks = decks;
                self.profiles = profiles;
            }
            IoEvent::ProfileOpenChosen(Some(path)) => {
                self.apply(Command::Company(company::CompanyCommand::Open(path)))
            }
            IoEvent::ProfileSaveAsChosen(Some(path)) => {
                self.apply(Command::Company(company::CompanyCommand::SaveAs(path)))
            }
            IoEvent::ProfileOpenChosen(None) | IoEvent::ProfileSaveAsChosen(None) => {}
            IoEvent::DialogUnavailable(DialogKind::SaveProfileAs) => {
                self.apply_company(company::CompanyCommand::AskSavePath)
            }
            IoEvent::Opened(opened) => self.install_opened(*opened),
            IoEvent::PinRead(number, path, loaded) => self.install_pin(number, path, *loaded),
            IoEvent::SlideRead(read) => self.install_slide(*read),
            IoEvent::DeckRead(number, path, loaded) => self.install_deck(number, path, *loaded),
            IoEvent::Saved(saved) => self.install_saved(*saved),
            IoEvent::Changed(doc, path, now) => self.file_read_again(doc, &path, now.map(|b| *b)),
            IoEvent::Wrote(Ok(path)) => self.say(&format!("Exported {}", path.display()), false),
            IoEvent::Wrote(Err(message)) => self.say(&message, true),
            IoEvent::DialogUnavailable(DialogKind::SaveAs) => {
                // No dialog service: ask for the path in the window instead.
                self.prompts.save_as_prompt = Some(self.suggested_save_path());
            }
            IoEvent::DialogUnavailable(_) => self.say(
                "No file dialog is available here (no desktop portal): drop a .ron file on the \
                 window, pick one from the library, or name it on the command line",
                true,
            ),
        }
    }

    /// Back to the saved state as one undo step, so Undo brings the edits back.
    fn revert(&mut self) {
        let active = self.active_mut();
        if active.never_saved || active.path.is_none() || !active.dirty() {
            return;
        }
        active.commit_undo_point();
        active.doc = active.saved.clone();
        active.commit_undo_point();
        self.say(
            "Reverted to the saved file: Undo brings the changes back",
            false,
        );
    }

    fn new_from_current(&mut self) {
        let active = self.active();
        let mut doc = active.doc.clone();
        let parent = active.display_name();
        // A new scenario says where it came from and starts its own story: the parent's
        // description, tags, author and notes describe the parent, not the copy.
        doc.meta.name = format!("Copy of {parent}");
        doc.meta.description = format!("Based on {parent}");
        doc.meta.author = std::env::var("LODESTONE_AUTHOR").unwrap_or_default();
        doc.meta.tags.clear();
        doc.meta.notes.clear();
        doc.meta.created = String::new();
        doc.meta.modified = String::new();
        // The original stays as saved on disk; its unsaved edits live on in the copy.
        self.open_unsaved(doc);
        self.say("New scenario from the current one: not saved yet", false);
    }

    /// Replaces the active document with `doc` as a new document that has never been saved.
    fn open_unsaved(&mut self, doc: Document) {
        let mut copy = self.new_document(None, doc, Vec::new());
        copy.never_saved = true;
        self.session.replace_active(copy);
    }

    fn refresh_runs(&mut self) -> bool {
        self.session.refresh_runs()
    }

    /// Every folder the library lists: the shipped or built-in ones, the user's, then the
    /// folders of files opened this session.
    pub fn library_folders(&self) -> Vec<PathBuf> {
        let mut folders = self.library_dirs.clone();
        for dir in self.view.library_folders.iter().chain(&self.opened_folders) {
            if !folders.contains(dir) {
                folders.push(dir.clone());
            }
        }
        folders
    }

    /// Lists the folder of an opened file for this session when no library folder does.
    fn list_folder_of(&mut self, path: &Path) {
        let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
            return;
        };
        let dir = library::canonical(dir);
        let listed = self
            .library_folders()
            .iter()
            .any(|f| library::canonical(f) == dir);
        if !listed {
            self.opened_folders.push(dir);
            self.rescan_library();
        }
    }

    /// True when `path` is one of the built-in examples (read only: saved through Save As).
    pub fn is_example(&self, path: &Path) -> bool {
        self.examples
            .as_deref()
            .is_some_and(|root| library::canonical(path).starts_with(root))
    }

    /// True when `folder` is a folder of the built-in examples.
    pub fn is_examples_folder(&self, folder: &Path) -> bool {
        self.is_example(folder)
    }

    /// The folder where something made from `file` is written (a Save As, an export, a live
    /// copy): the file's own folder, or the user's folder for an example or an unsaved
    /// scenario.
    pub fn writable_folder_for(&self, file: Option<&Path>) -> PathBuf {
        file.filter(|f| !self.is_example(f))
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| self.user_folder.clone())
            .or_else(|| self.library_dirs.first().cloned())
            .unwrap_or_default()
    }

    fn rescan_library(&mut self) {
        let folders = self.library_folders();
        self.services
            .io
            .scan_library(folders, self.deck_dirs.clone(), self.profile_dirs.clone());
    }

    fn dialog_dir(&self) -> Option<PathBuf> {
        Some(self.writable_folder_for(self.active().path.as_deref()))
            .filter(|d| !d.as_os_str().is_empty())
    }

    fn say(&mut self, text: &str, is_error: bool) {
        self.status = Some(StatusMessage {
            text: text.to_string(),
            is_error,
            at: Instant::now(),
        });
    }
}

/// Commands that change the active document's contents (what it holds, not which one it is).
fn edits_document(command: &Command) -> bool {
    use present::PresentCommand as P;
    matches!(
        command,
        undoable_edit!()
            | Command::Revert
            | Command::Present(P::AddAnnotation(_) | P::RemoveAnnotation(_))
    )
}

impl AppState {
    /// Today as `YYYY-MM-DD`: the system clock's, unless the options fixed it.
    pub fn today(&self) -> String {
        self.fixed_today
            .clone()
            .unwrap_or_else(|| crate::display::format::date(SystemTime::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{default_document, load_file};

    #[test]
    fn suggested_file_names_are_clean_slugs() {
        assert_eq!(
            suggested_file_name("Board hedge: 40 % quota, fast capex"),
            "board-hedge-40-quota-fast-capex.ron"
        );
        assert_eq!(suggested_file_name("  __ ?? "), "scenario.ron");
        assert_eq!(suggested_file_name("Ölpreis 2030"), "lpreis-2030.ron");
    }

    fn folder(path: &str) -> LibraryFolder {
        LibraryFolder {
            path: PathBuf::from(path),
            entries: Vec::new(),
            error: None,
        }
    }

    /// Scans run concurrently: the result of an older scan that lands after a newer one (a
    /// folder since removed) must not replace the library.
    #[test]
    fn an_older_library_scan_landing_late_is_ignored() {
        let mut state = AppState::new(AppOptions::default());
        state.wait_for_background(Duration::from_secs(10));
        state.rescan_library();
        let older = state.services.io.library_scan();
        state.rescan_library();
        let newer = state.services.io.library_scan();
        state.wait_for_background(Duration::from_secs(10));
        state.handle_io(IoEvent::Library(
            newer,
            vec![folder("kept")],
            vec![],
            vec![],
        ));
        state.handle_io(IoEvent::Library(
            older,
            vec![folder("removed")],
            vec![],
            vec![],
        ));
        assert_eq!(state.library, vec![folder("kept")]);
    }

    /// The presenter's clock starts when presentation mode is entered and stops on leaving.
    #[test]
    fn the_presenter_clock_runs_while_presenting() {
        let mut state = AppState::new(AppOptions::default());
        assert!(state.present.started.is_none());
        state.apply(Command::Present(present::PresentCommand::Enter));
        let started = state.present.started.expect("started on entering");
        state.apply(Command::Present(present::PresentCommand::Step(1)));
        assert_eq!(
            state.present.started,
            Some(started),
            "a step does not restart it"
        );
        state.apply(Command::Present(present::PresentCommand::Leave));
        assert!(state.present.started.is_none());
    }

    fn write(dir: &Path, name: &str, quota: f64) -> PathBuf {
        let mut doc = default_document();
        doc.meta.name = name.into();
        doc.scenario.levers.quota_level.0 = quota;
        let path = dir.join(format!("{name}.ron"));
        crate::scenario::save_file(&path, &doc).expect("write");
        path
    }

    /// Opens run on a worker: when the first file's read lands after the second's, the
    /// second (the last asked for) stays open.
    #[test]
    fn the_last_file_asked_for_is_the_one_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = write(dir.path(), "first", 0.2);
        let second = write(dir.path(), "second", 0.4);
        let mut state = AppState::new(AppOptions::default());
        state.wait_for_background(Duration::from_secs(10));
        state.apply(Command::OpenPath(first.clone()));
        state.apply(Command::OpenPath(second.clone()));
        let events = state.services.io.wait(Duration::from_secs(10));
        let mut opened: Vec<IoEvent> = events
            .into_iter()
            .filter(|e| matches!(e, IoEvent::Opened(_)))
            .collect();
        opened.sort_by_key(|e| match e {
            IoEvent::Opened(o) => std::cmp::Reverse(o.number),
            _ => std::cmp::Reverse(0),
        });
        for event in opened {
            state.handle_io(event);
        }
        assert_eq!(state.active().path.as_deref(), Some(second.as_path()));
    }

    /// A baseline chosen from a pin is the user's: it stays when the next file opens, even
    /// when the one it replaced came with the previous file.
    #[test]
    fn a_baseline_chosen_from_a_pin_stays_when_another_file_opens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let reference = write(dir.path(), "reference", 0.1);
        let pinned = write(dir.path(), "pinned", 0.6);
        let plain = write(dir.path(), "plain", 0.4);
        let mut with_baseline = default_document();
        with_baseline.meta.name = "names a baseline".into();
        with_baseline.baseline = Some(reference.display().to_string());
        let naming = dir.path().join("naming.ron");
        crate::scenario::save_file(&naming, &with_baseline).expect("write");

        let mut state = AppState::new(AppOptions::default());
        state.apply(Command::OpenPath(naming));
        state.wait_for_background(Duration::from_secs(10));
        assert_eq!(
            state.baseline().and_then(|b| b.path.clone()),
            Some(reference)
        );
        state.apply(Command::Compare(compare::CompareCommand::PinFile(
            pinned.clone(),
        )));
        state.wait_for_background(Duration::from_secs(10));
        let pin = state.compare.pins.first().expect("pinned").id;
        state.apply(Command::Compare(compare::CompareCommand::SetBaseline(pin)));
        state.apply(Command::OpenPath(plain));
        state.wait_for_background(Duration::from_secs(10));
        assert_eq!(
            state.baseline().and_then(|b| b.path.clone()),
            Some(pinned),
            "the pin's baseline stays"
        );
    }

    /// An edit made while a file is being read for Open is asked about when the file lands,
    /// never dropped with the document it was made on.
    #[test]
    fn an_edit_made_while_a_file_is_read_is_asked_about() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = write(dir.path(), "file", 0.2);
        let mut state = AppState::new(AppOptions::default());
        state.wait_for_background(Duration::from_secs(10));
        state.apply(Command::OpenPath(file.clone()));
        state.apply(Command::SetLever {
            id: "quota_level",
            value: 0.77,
        });
        state.wait_for_background(Duration::from_secs(10));
        assert_eq!(state.active().doc.scenario.levers.quota_level.0, 0.77);
        assert_eq!(state.prompts.confirm, Some(Command::OpenPath(file.clone())));
        state.apply(Command::Confirm(ConfirmChoice::Discard));
        state.wait_for_background(Duration::from_secs(10));
        assert_eq!(state.active().path.as_deref(), Some(file.as_path()));
        assert!(state.prompts.confirm.is_none());
    }

    /// Saves run on a worker: an edit made while the file is being written stays unsaved,
    /// and the file holds what was asked to be saved.
    #[test]
    fn an_edit_during_a_save_stays_unsaved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "mine", 0.2);
        let mut state = AppState::new(AppOptions::default());
        state.apply(Command::OpenPath(path.clone()));
        state.wait_for_background(Duration::from_secs(10));
        state.apply(Command::SetLever {
            id: "quota_level",
            value: 0.5,
        });
        state.apply(Command::Save);
        state.apply(Command::SetLever {
            id: "quota_level",
            value: 0.9,
        });
        state.wait_for_background(Duration::from_secs(10));
        let on_disk = load_file(&path).expect("load").document;
        assert_eq!(on_disk.scenario.levers.quota_level.0, 0.5);
        assert_eq!(state.active().saved, on_disk);
        assert!(state.active().dirty(), "the later edit is not saved");
        assert_eq!(state.title(), "mine (mine.ron) * — Lodestone");
        assert_eq!(state.active().doc.scenario.levers.quota_level.0, 0.9);
    }
}
