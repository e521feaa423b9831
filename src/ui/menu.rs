//! The menu bar. Drawing only: every item pushes a [`Command`]. Items with a name of their
//! own (label, keys, tooltip) come from the one table in `super::actions`.

use super::actions::{self, Action, menu_item};
use crate::app::{AppState, Command};
use crate::display::palette::ThemeChoice;
use egui::{Button, Ui};

/// Draws the menu bar.
pub fn menu_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            menu_item(ui, state, Action::NewFromCurrent, commands);
            menu_item(ui, state, Action::Open, commands);
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
            menu_item(ui, state, Action::AddFolder, commands);
            ui.separator();
            menu_item(ui, state, Action::Save, commands);
            menu_item(ui, state, Action::SaveAs, commands);
            menu_item(ui, state, Action::Revert, commands);
            ui.separator();
            ui.menu_button("Company profile", |ui| {
                use crate::app::company::CompanyCommand;
                menu_item(ui, state, Action::OpenProfile, commands);
                let open = state.company.open.is_some();
                menu_item(ui, state, Action::CompanyView, commands);
                if ui.add_enabled(open, Button::new("Save profile")).clicked() {
                    commands.push(Command::Company(CompanyCommand::Save));
                }
                if ui
                    .add_enabled(open, Button::new("Save profile as…"))
                    .clicked()
                {
                    commands.push(Command::Company(CompanyCommand::ShowSaveAsDialog));
                }
                if ui.add_enabled(open, Button::new("Close profile")).clicked() {
                    commands.push(Command::Company(CompanyCommand::Close));
                }
            });
            ui.separator();
            if state.baseline().is_some() {
                menu_item(ui, state, Action::UnpinBaseline, commands);
            } else {
                menu_item(ui, state, Action::PinBaseline, commands);
            }
            ui.separator();
            menu_item(ui, state, Action::Quit, commands);
        });
        ui.menu_button("Edit", |ui| {
            menu_item(ui, state, Action::Undo, commands);
            menu_item(ui, state, Action::Redo, commands);
            ui.separator();
            menu_item(ui, state, Action::ResetLevers, commands);
        });
        ui.menu_button("View", |ui| {
            let mut view = state.view.clone();
            let label = |a| actions::info(a).label;
            let tip = |a| actions::info(a).tooltip;
            ui.radio_value(&mut view.theme, ThemeChoice::Dark, label(Action::DarkTheme))
                .on_hover_text(tip(Action::DarkTheme));
            ui.radio_value(
                &mut view.theme,
                ThemeChoice::Light,
                label(Action::LightTheme),
            )
            .on_hover_text(tip(Action::LightTheme));
            ui.checkbox(&mut view.large_text, label(Action::LargeText))
                .on_hover_text(tip(Action::LargeText));
            ui.separator();
            ui.checkbox(&mut view.show_observed, label(Action::ObservedData))
                .on_hover_text(tip(Action::ObservedData));
            ui.checkbox(&mut view.show_events, label(Action::PolicyEvents))
                .on_hover_text(tip(Action::PolicyEvents));
            if view != state.view {
                commands.push(Command::SetView(view));
            }
        });
        super::compare::menus_ui(ui, state, commands);
        ui.menu_button("Help", |ui| {
            menu_item(ui, state, Action::Shortcuts, commands);
            menu_item(ui, state, Action::CommandPalette, commands);
            menu_item(ui, state, Action::ModelDoc, commands);
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
