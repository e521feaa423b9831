//! The menu bar and keyboard shortcuts. Drawing only: every item pushes a [`Command`].

use crate::app::{AppState, Command, HelpPage};
use crate::display::palette::ThemeChoice;
use crate::model::LeverGroup;
use egui::{Button, Key, KeyboardShortcut, Modifiers, Ui};

/// Ctrl+N (Cmd+N on macOS): a new document from the current scenario.
pub const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// Ctrl+O: open a scenario file.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// Ctrl+S: save the active document.
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
/// Ctrl+Shift+S: save the active document under a new name.
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
/// Ctrl+Z: undo the last lever change (not while typing in a text field).
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Ctrl+Shift+Z: redo (not while typing in a text field).
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
/// Ctrl+Y: redo, the other common binding.
pub const REDO_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// Ctrl+Q: quit (asks first when anything is unsaved).
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// F1: the list of every shortcut.
pub const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);

/// Every key the window answers, for the F1 overlay: (keys, what they do). Menu shortcuts
/// are formatted from their constants so the list cannot drift from the bindings.
pub fn shortcut_list(ctx: &egui::Context) -> Vec<(String, &'static str)> {
    let f = |s: &KeyboardShortcut| ctx.format_shortcut(s);
    vec![
        (f(&NEW), "New scenario from the current one"),
        (f(&OPEN), "Open a scenario file"),
        (f(&SAVE), "Save"),
        (f(&SAVE_AS), "Save As (a live copy while presenting)"),
        (
            f(&UNDO),
            "Undo the last change (levers, events, name and notes)",
        ),
        (format!("{} or {}", f(&REDO), f(&REDO_Y)), "Redo"),
        (f(&QUIT), "Quit (asks first when anything is unsaved)"),
        (f(&HELP), "This list of shortcuts"),
        ("Ctrl+V".into(), "Paste a scenario copied as text"),
        ("F5".into(), "Present (resumes the open deck)"),
        ("Esc".into(), "Leave presentation mode"),
        ("Right, Down, Space, PageDown".into(), "Next slide"),
        ("Left, Up, PageUp".into(), "Previous slide"),
        ("N".into(), "Speaker notes window, while presenting"),
    ]
}

/// Turns this frame's shortcut key presses into commands (before any widget sees them).
pub fn shortcuts(ctx: &egui::Context, commands: &mut Vec<Command>) {
    // While a text field has focus, Ctrl+Z belongs to the text field.
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|i| {
        // The Shift variants first: a plain Ctrl+S would also match Ctrl+Shift+S.
        if i.consume_shortcut(&SAVE_AS) {
            commands.push(Command::ShowSaveAsDialog);
        }
        if i.consume_shortcut(&SAVE) {
            commands.push(Command::Save);
        }
        if i.consume_shortcut(&OPEN) {
            commands.push(Command::ShowOpenDialog);
        }
        if i.consume_shortcut(&NEW) {
            commands.push(Command::NewFromCurrent);
        }
        if i.consume_shortcut(&QUIT) {
            commands.push(Command::Quit);
        }
        if i.consume_shortcut(&HELP) {
            commands.push(Command::ShowHelp(Some(HelpPage::Shortcuts)));
        }
        if !typing {
            if i.consume_shortcut(&REDO) || i.consume_shortcut(&REDO_Y) {
                commands.push(Command::Redo);
            }
            if i.consume_shortcut(&UNDO) {
                commands.push(Command::Undo);
            }
        }
    });
}

fn item(ui: &mut Ui, text: &str, shortcut: Option<&KeyboardShortcut>, enabled: bool) -> bool {
    let mut button = Button::new(text);
    if let Some(s) = shortcut {
        button = button.shortcut_text(ui.ctx().format_shortcut(s));
    }
    ui.add_enabled(enabled, button).clicked()
}

/// Draws the menu bar.
pub fn menu_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if item(ui, "New from current", Some(&NEW), true) {
                commands.push(Command::NewFromCurrent);
            }
            if item(ui, "Open…", Some(&OPEN), true) {
                commands.push(Command::ShowOpenDialog);
            }
            ui.menu_button("Open recent", |ui| {
                if state.view.recent_files.is_empty() {
                    ui.label("No recent files");
                }
                for path in &state.view.recent_files {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into(),
                    );
                    let button = ui.add_enabled(path.exists(), Button::new(name));
                    let button = button.on_hover_text(path.display().to_string());
                    if button.clicked() {
                        commands.push(Command::OpenPath(path.clone()));
                    }
                }
            });
            if item(ui, "Add scenario folder…", None, true) {
                commands.push(Command::ShowFolderDialog);
            }
            ui.separator();
            if item(ui, "Save", Some(&SAVE), true) {
                commands.push(Command::Save);
            }
            if item(ui, "Save As…", Some(&SAVE_AS), true) {
                commands.push(Command::ShowSaveAsDialog);
            }
            let active = state.active();
            let can_revert = active.path.is_some() && !active.never_saved && active.dirty();
            if item(ui, "Revert to saved", None, can_revert) {
                commands.push(Command::Revert);
            }
            ui.separator();
            ui.menu_button("Company profile", |ui| {
                use crate::app::company::CompanyCommand;
                if item(ui, "Open profile…", None, true) {
                    commands.push(Command::Company(CompanyCommand::ShowOpenDialog));
                }
                let open = state.company.open.is_some();
                if item(ui, "Show company view", None, true) {
                    let mut view = state.view.clone();
                    view.show_company = true;
                    view.show_sensitivity = false;
                    commands.push(Command::SetView(view));
                }
                if item(ui, "Save profile", None, open) {
                    commands.push(Command::Company(CompanyCommand::Save));
                }
                if item(ui, "Save profile as…", None, open) {
                    commands.push(Command::Company(CompanyCommand::ShowSaveAsDialog));
                }
                if item(ui, "Close profile", None, open) {
                    commands.push(Command::Company(CompanyCommand::Close));
                }
            });
            ui.separator();
            if state.baseline().is_some() {
                if item(ui, "Unpin baseline", None, true) {
                    commands.push(Command::UnpinBaseline);
                }
            } else if item(ui, "Pin current as baseline", None, true) {
                commands.push(Command::PinBaseline);
            }
            ui.separator();
            if item(ui, "Quit", Some(&QUIT), true) {
                commands.push(Command::Quit);
            }
        });
        ui.menu_button("Edit", |ui| {
            let active = state.active();
            if item(ui, "Undo", Some(&UNDO), active.can_undo()) {
                commands.push(Command::Undo);
            }
            if item(ui, "Redo", Some(&REDO), active.can_redo()) {
                commands.push(Command::Redo);
            }
            ui.separator();
            if item(ui, "Reset every lever", None, true) {
                commands.extend(LeverGroup::ALL.map(Command::ResetGroup));
            }
        });
        ui.menu_button("View", |ui| {
            let mut view = state.view.clone();
            ui.radio_value(&mut view.theme, ThemeChoice::Dark, "Dark theme");
            ui.radio_value(&mut view.theme, ThemeChoice::Light, "Light theme");
            ui.checkbox(&mut view.large_text, "Large text (projector)");
            ui.separator();
            ui.checkbox(&mut view.show_observed, "Observed data on charts");
            ui.checkbox(&mut view.show_events, "Policy events on charts");
            if view != state.view {
                commands.push(Command::SetView(view));
            }
        });
        super::compare::menus_ui(ui, state, commands);
        ui.menu_button("Help", |ui| {
            if item(ui, "Keyboard shortcuts", Some(&HELP), true) {
                commands.push(Command::ShowHelp(Some(HelpPage::Shortcuts)));
            }
            if item(ui, "How the model works (MODEL.md)", None, true) {
                commands.push(Command::ShowHelp(Some(HelpPage::Model)));
            }
        });
        ui.separator();
        let active = state.active();
        let mut title = active.display_name();
        if active.dirty() {
            title.push_str(" •");
        }
        ui.label(egui::RichText::new(title).strong());
    });
}
