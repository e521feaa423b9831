//! Windows over the main layout: the list of problems of a file that did not open (selectable,
//! with a copy button), the unsaved-changes question, and the drop hint. Drawing only.

use super::theme::Palette;
use crate::app::{AppState, Command, ConfirmChoice, HelpPage};
use egui::{Align2, Button, Id, Label, Modal, RichText, Ui};
use std::path::PathBuf;

/// Lists every problem of the file that failed to open.
pub fn problems_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    let Some(problem) = &state.prompts.problems else {
        return;
    };
    let ctx = ui.ctx().clone();
    let mut open = true;
    // Named by the file, not its kind: a deck, a profile or a scenario may have failed.
    let name = problem.path.file_name().map_or_else(
        || problem.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let title = format!(
        "Problems in {}",
        crate::display::names::plain_text(&name, crate::display::names::MAX_SHOWN_CHARS)
    );
    egui::Window::new(title)
        .id(Id::unique("problems_window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(620.0)
        .anchor(Align2::CENTER_TOP, [0.0, 80.0])
        .show(&ctx, |ui| {
            let headline = if problem.reloading {
                format!(
                    "{} changed on disk and no longer loads. The open version is kept; fix \
                     these and it reloads:",
                    problem.path.display()
                )
            } else {
                format!(
                    "{} did not open. Nothing was changed; fix these and open it again:",
                    problem.path.display()
                )
            };
            ui.label(RichText::new(headline).strong());
            ui.add_space(4.0);
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    for diagnostic in &problem.diagnostics {
                        ui.add(
                            Label::new(
                                RichText::new(diagnostic.to_string())
                                    .monospace()
                                    .color(palette.error),
                            )
                            .selectable(true),
                        );
                    }
                });
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui
                    .button("Copy all")
                    .on_hover_text("Copy every problem as file:line:col: message lines")
                    .clicked()
                {
                    ui.ctx().copy_text(problem.text());
                }
                if ui
                    .button("Close")
                    .accessible_name("Close problems")
                    .clicked()
                {
                    commands.push(Command::DismissProblems);
                }
            });
        });
    if !open {
        commands.push(Command::DismissProblems);
    }
}

/// The window's own Save As box, shown when no file dialog is available: a folder and a file
/// name to type, and a question before an existing file is replaced.
pub fn save_as_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(path) = &state.prompts.save_as_prompt else {
        return;
    };
    let current = PathBuf::from(path);
    let mut folder = current
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut name = current
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let palette_warning = ui.visuals().warn_fg_color;
    let palette_error = ui.visuals().error_fg_color;
    let response = Modal::new(Id::unique("save_as_path")).show(ui.ctx(), |ui| {
        ui.set_max_width(600.0);
        ui.heading("Save scenario as");
        ui.label("No file dialog is available here: type the folder and the file name.");
        ui.add_space(4.0);
        let mut enter = false;
        let mut changed = false;
        egui::Grid::new("save_as_grid")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                ui.label("Folder");
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut folder)
                        .desired_width(480.0)
                        .hint_text("scenarios"),
                );
                changed |= edit.changed();
                enter |= edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.end_row();
                ui.label("File name");
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut name)
                        .desired_width(480.0)
                        .hint_text("my-scenario.ron"),
                );
                changed |= edit.changed();
                enter |= edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.end_row();
            });
        let target = crate::app::with_ron_extension(PathBuf::from(&folder).join(name.trim()));
        if changed {
            commands.push(Command::SetSavePath(
                PathBuf::from(&folder).join(&name).display().to_string(),
            ));
        }
        // One stat of each while the box is open: cheap, and the answer must be current.
        let folder_ok = folder.trim().is_empty() || std::path::Path::new(folder.trim()).is_dir();
        let own_file = state.active().path.as_deref() == Some(target.as_path());
        let replaces = !own_file && target.is_file();
        if !folder_ok {
            ui.colored_label(palette_error, "That folder does not exist.");
        } else if replaces {
            ui.colored_label(
                palette_warning,
                format!(
                    "{} already exists in this folder. Saving replaces it.",
                    target
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ),
            );
        } else {
            ui.label(format!("Saves to {}", target.display()));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let can_save = folder_ok && !name.trim().is_empty();
            let label = if replaces { "Replace" } else { "Save" };
            // Enter never replaces a file: that takes the button.
            let by_enter = enter && !replaces;
            if (ui.add_enabled(can_save, Button::new(label)).clicked() || by_enter) && can_save {
                commands.push(Command::SaveAs(target.clone()));
            }
            if ui.add(Button::new("Cancel")).clicked() {
                commands.push(Command::CancelSavePath);
            }
        });
    });
    if response.should_close() {
        commands.push(Command::CancelSavePath);
    }
}

/// Asks what to do with unsaved changes before an action that would lose them.
pub fn confirm_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(pending) = &state.prompts.confirm else {
        return;
    };
    let action = match pending {
        Command::Quit => "closing the window",
        Command::Present(crate::app::present::PresentCommand::OpenDeck(_)) => "opening the deck",
        Command::PasteScenario(_) => "pasting the scenario from the clipboard",
        _ => "opening another scenario",
    };
    let name = state.active().display_name();
    let response = Modal::new(Id::unique("confirm_discard")).show(ui.ctx(), |ui| {
        ui.set_max_width(420.0);
        ui.heading("Unsaved changes");
        ui.label(format!(
            "“{name}” has changes that are not saved. Save them before {action}?"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.add(Button::new("Save")).clicked() {
                commands.push(Command::Confirm(ConfirmChoice::Save));
            }
            if ui.add(Button::new("Discard changes")).clicked() {
                commands.push(Command::Confirm(ConfirmChoice::Discard));
            }
            if ui.add(Button::new("Cancel")).clicked() {
                commands.push(Command::Confirm(ConfirmChoice::Cancel));
            }
        });
    });
    if response.should_close() {
        commands.push(Command::Confirm(ConfirmChoice::Cancel));
    }
}

/// Shows a hint while files are dragged over the window.
pub fn drop_hint_ui(ui: &mut Ui, palette: &Palette) {
    let hovering = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let screen = ui.ctx().content_rect();
    let painter = ui.ctx().layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        Id::unique("drop_hint"),
    ));
    painter.rect_filled(screen, 0.0, palette.label_fill);
    painter.text(
        screen.center(),
        Align2::CENTER_CENTER,
        "Drop a .ron scenario to open it",
        egui::FontId::proportional(28.0),
        ui.visuals().strong_text_color(),
    );
}

/// MODEL.md as it was when this build was made: the help shows the documentation of the
/// model the window runs, wherever the program is installed.
const MODEL_DOC: &str = include_str!("../../MODEL.md");

/// The help page over the window: every shortcut, or the model's documentation.
pub fn help_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(page) = state.prompts.help else {
        return;
    };
    let ctx = ui.ctx().clone();
    let mut open = true;
    let title = match page {
        HelpPage::Shortcuts => "Keyboard shortcuts",
        HelpPage::Model => "How the model works (MODEL.md)",
    };
    let screen = ctx.content_rect();
    egui::Window::new(title)
        .id(Id::unique("help_window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width((screen.width() * 0.6).clamp(360.0, 900.0))
        .max_height(screen.height() * 0.8)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(&ctx, |ui| match page {
            HelpPage::Shortcuts => {
                egui::Grid::new("shortcut_grid")
                    .num_columns(3)
                    .spacing([24.0, 6.0])
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, label, tooltip) in super::actions::shortcut_list(&ctx) {
                            ui.label(RichText::new(keys).monospace().strong());
                            ui.label(label);
                            ui.label(RichText::new(tooltip).weak());
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                ui.label("Sliders: drag, or click the value and type one; Reset puts a lever back to its default.");
            }
            HelpPage::Model => {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for raw in MODEL_DOC.lines() {
                        // Markdown's emphasis and code marks are noise in plain labels.
                        let line = raw.replace("**", "").replace('`', "");
                        let line = line.as_str();
                        if let Some(heading) = line.strip_prefix("## ") {
                            ui.add_space(6.0);
                            ui.heading(heading);
                        } else if let Some(title) = line.strip_prefix("# ") {
                            ui.heading(RichText::new(title).strong());
                        } else if line.starts_with('|') || line.starts_with("    ") {
                            ui.label(RichText::new(line).monospace());
                        } else {
                            ui.label(line);
                        }
                    }
                });
            }
        });
    let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape));
    if !open || escape {
        commands.push(Command::ShowHelp(None));
    }
}
