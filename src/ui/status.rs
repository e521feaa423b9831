//! The status bar: file path, unsaved marker, load warnings, the last message, model run time.
//! Drawing only.

use super::theme::Palette;
use crate::app::{AppState, Command};
use egui::{Align, Layout, RichText, Ui};

/// Draws the status bar of the active document.
pub fn status_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    let active = state.active();
    ui.horizontal(|ui| {
        let path = active.path.as_ref().map_or_else(
            || "not saved to a file yet".to_string(),
            |p| p.display().to_string(),
        );
        ui.label(RichText::new(path).small());
        if active.dirty() {
            ui.label(
                RichText::new("• unsaved changes")
                    .small()
                    .color(palette.marker_unsaved),
            );
        }
        if !active.warnings.is_empty() {
            let text = active
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            ui.label(
                RichText::new(format!("{} warning(s)", active.warnings.len()))
                    .small()
                    .color(palette.warning),
            )
            .on_hover_text(text);
        }
        if let Some(message) = &state.status {
            let colour = if message.is_error {
                palette.error
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(RichText::new(&message.text).small().color(colour));
        }
        if let Some(notice) = &state.model_notice
            && !notice.shown
            && ui
                .small_button("What changed?")
                .on_hover_text(
                    "The headline figures as the file saved them, beside the same figures \
                     from this model version",
                )
                .clicked()
        {
            commands.push(Command::ShowModelChanges(Some(true)));
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let run = &active.run;
            ui.label(
                RichText::new(format!(
                    "model run {:.0} µs · {} steps × {} materials",
                    run.elapsed.as_secs_f64() * 1e6,
                    run.results.steps(),
                    run.results.materials.len()
                ))
                .small()
                .weak(),
            );
        });
    });
}

/// The before/after window of a file saved by another model version: the headline figures
/// as its last save recorded them, and as this model gives them now.
pub fn model_changes_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(notice) = state.model_notice.as_ref().filter(|n| n.shown) else {
        return;
    };
    let ctx = ui.ctx().clone();
    let mut open = true;
    egui::Window::new("What changed with the model version")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(&ctx, |ui| {
            ui.label(notice.message());
            ui.add_space(6.0);
            let changes = state.figure_changes();
            if changes.is_empty() {
                ui.label(
                    "The file does not record its figures: compare them with the colleague who \
                     saved it, or run both versions with `lodestone run`.",
                );
            } else {
                let saved = format!(
                    "Saved (model {})",
                    crate::display::names::plain_text(&notice.stamp.model, 40)
                );
                let now = format!("Now (model {})", crate::scenario::stamp::model_version());
                egui::Grid::new("model_changes")
                    .num_columns(3)
                    .spacing([18.0, 4.0])
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong("Figure");
                        ui.strong(saved);
                        ui.strong(now);
                        ui.end_row();
                        for c in &changes {
                            ui.label(crate::display::names::plain_text(&c.label, 80));
                            ui.label(crate::display::names::plain_text(&c.saved, 80));
                            let now = if c.now.is_empty() { "—" } else { &c.now };
                            if c.now != c.saved {
                                ui.strong(now);
                            } else {
                                ui.label(now);
                            }
                            ui.end_row();
                        }
                    });
                ui.weak("Figures now are for the scenario as it is open, unsaved edits included.");
            }
            if ui.button("Dismiss").clicked() {
                commands.push(Command::ShowModelChanges(None));
            }
        });
    if !open {
        commands.push(Command::ShowModelChanges(Some(false)));
    }
}
