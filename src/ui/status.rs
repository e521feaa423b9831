//! The status bar: file path, unsaved marker, load warnings, the last message, model run time.
//! Drawing only.

use super::theme::Palette;
use crate::app::AppState;
use egui::{Align, Layout, RichText, Ui};

/// Draws the status bar of the active document.
pub fn status_ui(ui: &mut Ui, state: &AppState, palette: &Palette) {
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
