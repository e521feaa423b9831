//! The questions reliability asks (restore unsaved work from last time; reload a file that
//! changed on disk while it has edits) and the per-frame autosave/watch tick. Drawing only:
//! the answers are [`Command`]s and the work is in `app::recovery` and `app::watch`.

use crate::app::recovery::RecoveryChoice;
use crate::app::watch::{DEBOUNCE, ReloadChoice};
use crate::app::{AppState, Command};
use egui::{Button, Id, Modal, RichText, Ui};
use std::time::Instant;

/// Offers to restore the recovery files found at start.
pub fn recovery_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let found = &state.prompts.restore;
    if found.is_empty() || state.prompts.confirm.is_some() {
        return;
    }
    let response = Modal::new(Id::unique("restore_unsaved_work")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        ui.heading("Unsaved work from last time");
        ui.label(
            "Lodestone did not close normally last time. These scenarios had changes that \
             were not saved:",
        );
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .max_height(200.0)
            .show(ui, |ui| {
                for r in found {
                    match &r.document {
                        Ok(_) => ui.label(format!("• {}", r.label())),
                        Err(_) => ui.label(
                            RichText::new(format!(
                                "• {} (cannot be read; left in place)",
                                r.file.display()
                            ))
                            .weak(),
                        ),
                    };
                }
            });
        ui.add_space(4.0);
        ui.label(
            RichText::new(
                "Restored scenarios open as unsaved changes to their files; nothing on disk \
                 changes until you save.",
            )
            .weak(),
        );
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.add(Button::new("Restore")).clicked() {
                commands.push(Command::Recovery(RecoveryChoice::Restore));
            }
            if ui.add(Button::new("Discard")).clicked() {
                commands.push(Command::Recovery(RecoveryChoice::Discard));
            }
            if ui
                .add(Button::new("Later"))
                .on_hover_text("Keep the recovery files and ask again at the next start")
                .clicked()
            {
                commands.push(Command::Recovery(RecoveryChoice::Later));
            }
        });
    });
    if response.should_close() {
        commands.push(Command::Recovery(RecoveryChoice::Later));
    }
}

/// Asks what to do when a file with unsaved edits changed on disk.
pub fn reload_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let Some(prompt) = &state.prompts.reload else {
        return;
    };
    if state.prompts.confirm.is_some() || !state.prompts.restore.is_empty() {
        return;
    }
    let response = Modal::new(Id::unique("reload_changed_file")).show(ui.ctx(), |ui| {
        ui.set_max_width(480.0);
        ui.heading("File changed on disk");
        ui.label(format!(
            "{} was changed by another program, and you have unsaved edits to it.",
            prompt.path.display()
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.add(Button::new("Reload and lose edits")).clicked() {
                commands.push(Command::Reload(ReloadChoice::Reload));
            }
            if ui
                .add(Button::new("Keep mine"))
                .on_hover_text("Keep your edits; saving will replace the file on disk")
                .clicked()
            {
                commands.push(Command::Reload(ReloadChoice::KeepMine));
            }
        });
    });
    if response.should_close() {
        commands.push(Command::Reload(ReloadChoice::KeepMine));
    }
}

/// Per frame, after the commands are applied: autosave when idle, and wake the window for
/// the next autosave or for file events still in their debounce.
pub fn tick(ctx: &egui::Context, state: &mut AppState) {
    let had_input = ctx.input(|i| !i.events.is_empty() || i.pointer.any_down());
    if let Some(wait) = state.autosave_tick(Instant::now(), had_input) {
        ctx.request_repaint_after(wait);
    }
    if state.files_settling() {
        ctx.request_repaint_after(DEBOUNCE);
    }
}
