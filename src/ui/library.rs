//! The scenario library panel: the open documents (active and baseline), then every `.ron`
//! file of the library folders with name, description and date; the current file marked,
//! unsaved changes marked, files that do not load flagged. Drawing only.

use super::theme::Palette;
use crate::app::{AppState, Command};
use egui::{Button, RichText, Ui};

/// Draws the library panel.
pub fn library_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    ui.heading("Scenarios");
    open_documents_ui(ui, state, palette, commands);
    ui.separator();

    ui.horizontal(|ui| {
        if ui
            .add(Button::new("Add folder…").small())
            .on_hover_text("List the scenarios of another folder")
            .clicked()
        {
            commands.push(Command::ShowFolderDialog);
        }
        if ui
            .add(Button::new("Refresh").small())
            .on_hover_text("Read the folders again")
            .accessible_name("Refresh library")
            .clicked()
        {
            commands.push(Command::RescanLibrary);
        }
    });

    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if state.library.is_empty() {
                ui.weak("Reading the scenario folders…");
            }
            for folder in &state.library {
                ui.add_space(4.0);
                let examples = state.is_examples_folder(&folder.path);
                ui.horizontal(|ui| {
                    let name = folder
                        .path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| folder.path.display().to_string());
                    if examples {
                        ui.label(RichText::new("Examples (read only)").strong())
                            .on_hover_text(format!(
                                "Built into Lodestone: open one and save it under your own name\n{}",
                                folder.path.display()
                            ));
                    } else {
                        ui.label(RichText::new(format!("{name}/")).strong())
                            .on_hover_text(folder.path.display().to_string());
                    }
                    if state.view.library_folders.contains(&folder.path)
                        && ui
                            .add(Button::new("Remove").small())
                            .accessible_name(format!("Remove folder {name}"))
                            .clicked()
                    {
                        commands.push(Command::RemoveLibraryFolder(folder.path.clone()));
                    }
                });
                if let Some(error) = &folder.error {
                    ui.label(
                        RichText::new(format!("cannot read: {error}"))
                            .color(palette.error)
                            .small(),
                    );
                    continue;
                }
                if folder.entries.is_empty() {
                    ui.weak("no .ron files yet");
                }
                for entry in &folder.entries {
                    let is_current = state.is_active_file(entry);
                    let dirty = is_current && state.active().dirty();
                    let mut title = String::new();
                    if is_current {
                        title.push_str("» ");
                    }
                    title.push_str(&entry.name);
                    if dirty {
                        title.push_str(" •");
                    }
                    let mut text = RichText::new(title).strong();
                    if is_current {
                        text = text.color(palette.marker_active);
                    } else if !entry.problems.is_empty() {
                        text = text.color(palette.error);
                    }
                    let response = ui
                        .add(Button::selectable(is_current, text).wrap())
                        .on_hover_text(format!(
                            "{}\n{}",
                            entry.path.display(),
                            if entry.problems.is_empty() {
                                "Click to open"
                            } else {
                                "Does not load: click to see why"
                            }
                        ));
                    if response.clicked() {
                        commands.push(if entry.problems.is_empty() {
                            Command::OpenPath(entry.path.clone())
                        } else {
                            Command::ShowProblems(entry.path.clone())
                        });
                    }
                    if !entry.description.is_empty() {
                        ui.label(RichText::new(&entry.description).small());
                    }
                    let mut meta = entry.modified.clone();
                    if !entry.problems.is_empty() {
                        meta.push_str(&format!("  · {} problem(s)", entry.problems.len()));
                    }
                    if dirty {
                        meta.push_str("  · unsaved changes");
                    }
                    ui.label(RichText::new(meta).small().weak());
                    ui.add_space(3.0);
                }
            }
        });
}

fn open_documents_ui(
    ui: &mut Ui,
    state: &AppState,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let active = state.active();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Open:").weak());
        ui.label(
            RichText::new(active.display_name())
                .strong()
                .color(palette.marker_active),
        );
        if active.dirty() {
            ui.label(RichText::new("• unsaved").color(palette.marker_unsaved));
        }
    });
    ui.horizontal_wrapped(|ui| match state.baseline() {
        Some(b) => {
            ui.label(RichText::new("Baseline:").weak());
            ui.label(b.display_name());
            if ui
                .add(Button::new("Unpin").small())
                .accessible_name("Unpin baseline")
                .clicked()
            {
                commands.push(Command::UnpinBaseline);
            }
        }
        None => {
            if ui
                .add(Button::new("Pin as baseline").small())
                .on_hover_text("Keep the current scenario as the dashed ghost to compare against")
                .clicked()
            {
                commands.push(Command::PinBaseline);
            }
        }
    });
}
