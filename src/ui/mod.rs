//! The explorer window: drawing only. [`LodestoneApp`] wraps the non-visual
//! [`crate::app::AppState`] and lays out the panels (one file each, functions named `*_ui`);
//! panels read the state and push [`crate::app::Command`]s, which the state applies at one
//! point per frame, between the input panels and the charts, so a slider move is charted in
//! the same frame. All colours live in [`theme`].
//!
//! [`LodestoneApp::draw`] needs only an `egui::Ui`, so tests drive the real window headless
//! with egui_kittest; [`launch`] runs it in a native window via eframe.

pub mod actions;
pub mod bands;
pub mod charts;
pub mod company;
pub mod compare;
pub mod dialogs;
pub mod events;
pub mod goal;
pub mod headline;
pub mod levers;
pub mod library;
pub mod menu;
pub mod present;
pub mod reliability;
pub mod sensitivity;
pub mod status;
pub mod theme;

use crate::app::view::STORAGE_KEY;
use crate::app::{AppOptions, AppState, Command, LaunchOptions};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Size the window opens at (and the size of `--screenshot` images).
pub const WINDOW_SIZE: [f32; 2] = [1280.0, 720.0];

/// Frames drawn before a screenshot is taken, so plots have laid out and settled.
const SCREENSHOT_AFTER_FRAMES: u32 = 10;
/// Give up on a screenshot after this many frames (a broken renderer must not hang CI).
const SCREENSHOT_MAX_FRAMES: u32 = 2_000;

/// Opens the window and runs until it closes (or, with `screenshot`, until the PNG is saved).
pub fn launch(options: LaunchOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    // Before anything can panic: a crash leaves a report beside the recovery files.
    crate::app::recovery::install_panic_hook(crate::app::recovery::default_dir());
    if let (Some(file), Some(_)) = (&options.file, &options.screenshot) {
        // A screenshot of an error panel helps nobody: fail like `validate` would.
        crate::scenario::load_file(file).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    // One window: a file given while a window is open goes to that window (see
    // `app::instance`). Starts that ask for more than a file (a deck, pins, a screenshot)
    // open a window of their own.
    let plain_start = options.screenshot.is_none() && options.start.is_plain();
    let instance = if plain_start {
        match crate::app::instance::claim(options.file.as_deref()) {
            crate::app::instance::Claim::HandedOver => {
                eprintln!("lodestone: handed over to the window already open");
                return Ok(());
            }
            crate::app::instance::Claim::First(listener) => Some(listener),
            crate::app::instance::Claim::Alone => None,
        }
    } else {
        None
    };
    let outcome: Arc<Mutex<Option<anyhow::Error>>> = Arc::default();
    let screenshot_mode = options.screenshot.is_some();
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Lodestone")
            .with_app_id("lodestone")
            .with_inner_size(WINDOW_SIZE)
            .with_min_inner_size([960.0, 600.0])
            .with_drag_and_drop(true)
            .with_icon(window_icon()),
        persist_window: !screenshot_mode,
        ..eframe::NativeOptions::default()
    };
    let app_outcome = outcome.clone();
    eframe::run_native(
        "Lodestone",
        native,
        Box::new(move |cc| {
            let mut app = LodestoneApp::from_creation_context(cc, options, app_outcome, started);
            if let Some(listener) = instance {
                app.listen(&cc.egui_ctx, listener);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))?;
    let error = outcome.lock().ok().and_then(|mut o| o.take());
    match error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The window's icon: the 256-pixel PNG of the icon set the package installs.
pub fn window_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icons/lodestone-256.png"))
        .unwrap_or_default()
}

/// A `--screenshot` run in progress.
struct ScreenshotJob {
    out: PathBuf,
    frames: u32,
    requested: bool,
    done: bool,
    rx: Receiver<Arc<egui::ColorImage>>,
    tx: std::sync::mpsc::Sender<Arc<egui::ColorImage>>,
    started: Instant,
    outcome: Arc<Mutex<Option<anyhow::Error>>>,
}

impl ScreenshotJob {
    /// One frame of the job; `busy` holds the picture back while background analyses (the
    /// uncertainty bands) are still computing, up to the frame limit.
    fn step(&mut self, ctx: &egui::Context, busy: bool) {
        if self.done {
            return;
        }
        self.frames += 1;
        if self.frames == 1 {
            eprintln!(
                "lodestone: first frame after {} ms",
                self.started.elapsed().as_millis()
            );
        }
        if !self.requested && self.frames >= SCREENSHOT_AFTER_FRAMES && !busy {
            let tx = self.tx.clone();
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(
                egui::ScreenshotCallback::new(move |image| {
                    // The receiver lives as long as the app; a send error means it is gone.
                    let _ = tx.send(image);
                }),
            ));
            self.requested = true;
        } else if self.requested
            && let Ok(image) = self.rx.try_recv()
        {
            match save_screenshot(&self.out, &image) {
                Ok(()) => eprintln!(
                    "lodestone: saved {} ({}x{}) after {} ms",
                    self.out.display(),
                    image.width(),
                    image.height(),
                    self.started.elapsed().as_millis()
                ),
                Err(e) => self.fail(e),
            }
            self.done = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if self.frames > SCREENSHOT_MAX_FRAMES {
            self.fail(anyhow::anyhow!(
                "no screenshot arrived after {SCREENSHOT_MAX_FRAMES} frames"
            ));
            self.done = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        ctx.request_repaint();
    }

    fn fail(&self, error: anyhow::Error) {
        if let Ok(mut slot) = self.outcome.lock() {
            *slot = Some(error);
        }
    }
}

/// Writes an egui screenshot as an RGBA PNG.
fn save_screenshot(path: &Path, image: &egui::ColorImage) -> anyhow::Result<()> {
    let [w, h] = image.size;
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|p| p.to_srgba_unmultiplied())
        .collect();
    Ok(crate::output::png::write_rgba(
        path,
        (w as u32, h as u32),
        bytes,
    )?)
}

/// The window: app state plus what only drawing needs.
pub struct LodestoneApp {
    /// The window's non-visual state: documents, view choices, background work.
    pub state: AppState,
    screenshot: Option<ScreenshotJob>,
    /// Whether view state is written back to eframe's storage (not for screenshots).
    persist: bool,
    title: String,
    close_sent: bool,
    /// Files handed over by later starts (see `app::instance`).
    instance: Option<crate::app::instance::Listener>,
}

impl LodestoneApp {
    /// A window state without a native window: for tests, benches and headless rendering.
    pub fn new(options: AppOptions) -> Self {
        Self {
            state: AppState::new(options),
            screenshot: None,
            persist: false,
            title: String::new(),
            close_sent: false,
            instance: None,
        }
    }

    /// Takes files handed over by later starts: each opens as if dropped on the window (the
    /// unsaved-changes question first), and the window comes to the front.
    pub fn listen(&mut self, ctx: &egui::Context, listener: crate::app::instance::Listener) {
        let ctx = ctx.clone();
        listener.set_wake(move || ctx.request_repaint());
        self.instance = Some(listener);
    }

    fn from_creation_context(
        cc: &eframe::CreationContext<'_>,
        launch: LaunchOptions,
        outcome: Arc<Mutex<Option<anyhow::Error>>>,
        started: Instant,
    ) -> Self {
        let screenshot_mode = launch.screenshot.is_some();
        // A screenshot shows the defaults, not whatever the last interactive session left.
        let view = if screenshot_mode {
            Default::default()
        } else {
            cc.storage
                .and_then(|s| eframe::get_value(s, STORAGE_KEY))
                .unwrap_or_default()
        };
        let mut app = Self::new(AppOptions {
            file: launch.file,
            view,
            restore_last_file: !screenshot_mode,
            // A screenshot neither autosaves nor offers last session's work in the picture.
            recovery_dir: (!screenshot_mode)
                .then(crate::app::recovery::default_dir)
                .flatten(),
            watch_files: !screenshot_mode,
            // The built-in examples and the user's folder, whatever folder this started in.
            ..AppOptions::installed()
        });
        app.persist = !screenshot_mode;
        app.state.extend(launch.start.commands());
        if let Some(out) = launch.screenshot {
            // The library should be listed in the picture.
            app.state.wait_for_background(Duration::from_secs(5));
            // What the library lists, for scripts that check the picture (a package's smoke
            // test): one line per folder.
            for folder in &app.state.library {
                let name = if app.state.is_examples_folder(&folder.path) {
                    "Examples (read only)".to_string()
                } else {
                    folder.path.display().to_string()
                };
                match &folder.error {
                    Some(e) => eprintln!("lodestone: library: {name}: cannot read: {e}"),
                    None => eprintln!(
                        "lodestone: library: {name}: {} scenario(s)",
                        folder.entries.len()
                    ),
                }
            }
            let (tx, rx) = channel();
            app.screenshot = Some(ScreenshotJob {
                out,
                frames: 0,
                requested: false,
                done: false,
                rx,
                tx,
                started,
                outcome,
            });
        }
        app
    }

    /// Draws one frame of the whole window into `ui` and applies what the user did. Both
    /// modes share one skeleton: begin (theme; window-level input and background results
    /// applied before anything is drawn, so a slide step's title, numbers and curves change
    /// in one frame), the mode's body (input panels, the apply point, then what shows the
    /// results), the questions and dialogs that guard the user's work, end (undo point,
    /// autosave, close, title).
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let window_input = self.window_commands(&ctx);
        self.state.extend(window_input);
        self.state.apply_pending();
        let palette = self.begin_frame(&ctx);
        let mut later = Vec::new();
        let presenting = self.state.present.on;
        if presenting {
            present::present_ui(ui, &mut self.state, &palette, &mut later);
        } else {
            self.explorer_ui(ui, &palette, &mut later);
        }
        modals_ui(ui, &self.state, &palette, presenting, &mut later);
        self.end_frame(&ctx, later);
    }

    /// Repaint hooks, theme and full screen for this frame's mode; returns its palette.
    fn begin_frame(&mut self, ctx: &egui::Context) -> crate::display::palette::Palette {
        self.state.set_repaint_context(ctx);
        // Presentation mode is dark, high-contrast, large and full screen whatever the theme.
        let presenting = self.state.present.on;
        let theme_choice = if presenting {
            crate::display::palette::ThemeChoice::Dark
        } else {
            self.state.view.theme
        };
        theme::apply(ctx, theme_choice, self.state.view.large_text || presenting);
        theme::apply_presentation(ctx, presenting, self.state.view.presentation_zoom);
        present::sync_fullscreen(ctx, presenting);
        theme::palette(theme_choice)
    }

    /// What the window itself was asked this frame: shortcuts, dropped files, files sent by
    /// a second start of the program, a click on the window's close button.
    fn window_commands(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        actions::shortcuts(ctx, &self.state, &mut commands);
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        commands.extend(dropped.into_iter().map(Command::OpenPath));
        if let Some(listener) = &self.instance {
            for request in listener.take() {
                if let crate::app::instance::Request::Open(path) = request {
                    commands.push(Command::OpenPath(path));
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
            }
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.state.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            commands.push(Command::Quit);
        }
        commands
    }

    /// The explorer's body: menu, status bar, library and levers, the apply point, then the
    /// headline and the central view.
    fn explorer_ui(
        &mut self,
        ui: &mut egui::Ui,
        palette: &crate::display::palette::Palette,
        later: &mut Vec<Command>,
    ) {
        let mut commands = Vec::new();
        let state = &self.state;
        egui::Panel::top("menu_bar").show(ui, |ui| menu::menu_ui(ui, state, &mut commands));
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status::status_ui(ui, state, palette, &mut commands)
        });
        // Each text size remembers its own panel widths: large text widens the panels to fit,
        // and that width must not stay behind when the text is normal again. Keyed by the
        // size this frame's `ui` really has (a style change lands a frame later), so a frame
        // drawn in the old size never resizes the new size's panels.
        let size_key = ui.text_style_height(&egui::TextStyle::Body).round() as i32;
        egui::Panel::left(("library_panel", size_key))
            .resizable(true)
            .default_size(200.0)
            .size_range(150.0..=420.0)
            .show(ui, |ui| {
                library::library_ui(ui, state, palette, &mut commands)
            });
        egui::Panel::left(("lever_panel", size_key))
            .resizable(true)
            .default_size(300.0)
            .size_range(240.0..=520.0)
            .show(ui, |ui| levers::levers_ui(ui, state, &mut commands));

        // The one apply point: the charts below draw the results of this frame's changes.
        self.state.extend(commands);
        self.state.apply_pending();

        let state = &self.state;
        egui::CentralPanel::default().show(ui, |ui| {
            // The company view has its own headline cards: our spend, not the world's.
            if !state.view.show_company {
                headline::headline_ui(ui, state, palette);
                ui.add_space(4.0);
            }
            let shown = sensitivity::view_switch_ui(ui, state, later);
            if state.view.show_company {
                company::company_ui(ui, state, palette, later);
            } else if state.view.show_goals {
                goal::goals_ui(ui, state, palette, later);
            } else if shown {
                sensitivity::sensitivity_ui(ui, state, palette, later);
            } else {
                compare::compare_bar_ui(ui, state, palette, later);
                charts::charts_ui(ui, state, palette, later);
            }
        });
    }

    /// Queues what was clicked after the apply point for the next frame, records an undo
    /// point, autosaves, closes the window once quitting was agreed, keeps the title.
    fn end_frame(&mut self, ctx: &egui::Context, later: Vec<Command>) {
        if !later.is_empty() {
            // Applied at the next frame's apply point, which this repaint asks for.
            self.state.extend(later);
            ctx.request_repaint();
        }
        let interacting = ctx.input(|i| i.pointer.any_down()) || ctx.egui_wants_keyboard_input();
        self.state.end_frame(interacting);
        // Edits, live tweaks on a slide included, are autosaved in every mode.
        reliability::tick(ctx, &mut self.state);

        if self.state.quit_confirmed && !self.close_sent {
            self.close_sent = true;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        let title = self.state.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// The questions that guard the user's work and the dialogs over the window, in every mode
/// (closing the window with unsaved live tweaks must not look like nothing happened); the
/// explorer adds its own windows.
fn modals_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    palette: &crate::display::palette::Palette,
    presenting: bool,
    later: &mut Vec<Command>,
) {
    dialogs::problems_ui(ui, state, palette, later);
    dialogs::confirm_ui(ui, state, later);
    dialogs::save_as_ui(ui, state, later);
    dialogs::help_ui(ui, state, later);
    if !presenting {
        status::model_changes_ui(ui, state, later);
    }
    actions::palette_ui(ui, state, later);
    if !presenting {
        compare::compare_window_ui(ui, state, later);
    }
    reliability::recovery_ui(ui, state, later);
    reliability::reload_ui(ui, state, later);
    if !presenting {
        dialogs::drop_hint_ui(ui, palette);
    }
}

impl eframe::App for LodestoneApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
        if let Some(job) = &mut self.screenshot {
            job.step(ui.ctx(), self.state.analysing());
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.persist {
            eframe::set_value(storage, STORAGE_KEY, &self.state.view);
        }
    }

    fn persist_egui_memory(&self) -> bool {
        self.persist
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        if self.screenshot.is_some() {
            // Wherever the pointer happens to be must not put hover labels in the picture.
            raw_input.events.retain(|e| {
                !matches!(
                    e,
                    egui::Event::PointerMoved(_)
                        | egui::Event::MouseMoved(_)
                        | egui::Event::PointerButton { .. }
                        | egui::Event::MouseWheel { .. }
                        | egui::Event::Touch { .. }
                )
            });
        }
    }
}
