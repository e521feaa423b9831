//! Presentation mode, drawing only: slide title and headline figures in large print, the
//! three charts, the few levers the presenter chose, the speaker note; everything else hidden.
//! Keys: F5 enters, Esc leaves, PageDown/PageUp (or arrows, space) step through the deck,
//! N hides the note, Ctrl+Shift+S saves the live tweaks as a new scenario.

use super::theme::Palette;
use super::{charts, compare, levers, theme};
use crate::app::present::PresentCommand;
use crate::app::{AppState, Command};
use crate::display::headline::{FigureId, measured_against, pick, short_label, summary_figures};
use crate::model::LEVERS;
use egui::{RichText, Ui};
use std::time::Instant;

/// How long a status message stays in the presentation's top bar.
const STATUS_SHOWN: std::time::Duration = std::time::Duration::from_secs(8);

/// Full screen while presenting (sent once per change, remembered in egui's memory).
pub fn sync_fullscreen(ctx: &egui::Context, on: bool) {
    let id = egui::Id::unique("lodestone_fullscreen");
    let current = ctx.data(|d| d.get_temp::<bool>(id)).unwrap_or(false);
    if current != on {
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on));
        ctx.data_mut(|d| d.insert_temp(id, on));
    }
}

/// The body of a presentation frame: the slide's bar and the levers shown to the room, the
/// apply point, then the headline and charts. (A slide step asked for by a key has already
/// landed: the frame applies window input before anything is drawn.)
pub fn present_ui(ui: &mut Ui, state: &mut AppState, palette: &Palette, later: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let mut commands = Vec::new();
    {
        let st = &*state;
        // Title and figures fade in while the curves move to the new slide: one transition.
        let fade = 0.35 + 0.65 * st.present.progress(Instant::now());
        egui::Panel::top("present_top").show(ui, |ui| {
            ui.multiply_opacity(fade);
            top_ui(ui, st, later);
        });
        let chosen: Vec<_> = LEVERS
            .iter()
            .filter(|l| st.view.presentation_levers.iter().any(|id| id == l.id))
            .collect();
        if !chosen.is_empty() {
            egui::Panel::left("present_levers")
                .resizable(false)
                .default_size(320.0)
                .show(ui, |ui| {
                    ui.add_space(8.0);
                    for lever in chosen {
                        levers::lever_ui(ui, lever, &st.active().doc.scenario, &mut commands);
                        ui.add_space(6.0);
                    }
                });
        }
    }
    // The apply point: a lever moved here is charted in this same frame.
    state.extend(commands);
    state.apply_pending();

    let st = &*state;
    let fade = 0.35 + 0.65 * st.present.progress(Instant::now());
    // Speaker notes go to a window of their own that the presenter keeps on their screen,
    // never onto the slide the room sees.
    if !st.present.hide_notes {
        notes_window(&ctx, st, later);
    }
    egui::CentralPanel::default().show(ui, |ui| {
        ui.scope(|ui| {
            ui.multiply_opacity(fade);
            headline_ui(ui, st);
        });
        ui.add_space(4.0);
        charts::legend_row_ui(ui, st, palette);
        // No scrolling in front of a room: the slide's charts always share the screen, down
        // to 60 points each (a 1280x720 projector with a three-row legend leaves ~80).
        charts::stacked_charts_ui(ui, st, palette, 60.0, later);
    });
    if st.present.animating(Instant::now()) {
        ctx.request_repaint();
    }
}

/// The presenter's notes: this slide's note and the next slide's title, in a separate OS
/// window (a second viewport) so the projector shows only the slide. Closing it hides notes
/// (N shows them again).
fn notes_window(ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
    let Some((index, count, title, notes)) = state.present.slide() else {
        return;
    };
    let next = state
        .present
        .deck
        .as_ref()
        .and_then(|s| s.deck.slides.get(index + 1))
        .map(|s| s.title.clone());
    let (title, notes) = (title.to_string(), notes.to_string());
    // Checked against what the slide shows now (live edits included), so the presenter
    // never reads out a figure the room cannot see.
    let mismatches =
        crate::scenario::deck::note_mismatches(&notes, &state.active().run.results.headline);
    let elapsed = state.present.started.map(|t| {
        let secs = t.elapsed().as_secs();
        format!("{:02}:{:02}", secs / 60, secs % 60)
    });
    // The clock ticks once a second; nothing else repaints a still slide.
    ctx.request_repaint_after(std::time::Duration::from_secs(1));
    let mut close = false;
    ctx.show_viewport_immediate(
        egui::ViewportId::from_hash_of("lodestone_presenter_notes"),
        egui::ViewportBuilder::default()
            .with_title("Lodestone: presenter notes")
            .with_inner_size([460.0, 420.0]),
        |ui, _class| {
            egui::CentralPanel::default().show(ui, |ui| {
                // The clock on a line of its own: a long title must never run under it.
                if let Some(elapsed) = &elapsed {
                    ui.label(
                        RichText::new(format!("elapsed {elapsed}"))
                            .monospace()
                            .weak(),
                    )
                    .on_hover_text("Time since presentation mode was entered");
                }
                ui.label(RichText::new(format!("{} / {count}: {title}", index + 1)).strong());
                ui.separator();
                if notes.trim().is_empty() {
                    ui.label(RichText::new("No note for this slide.").weak());
                } else {
                    ui.label(&notes);
                }
                for problem in &mismatches {
                    ui.label(
                        RichText::new(format!("Check the note: {problem}"))
                            .color(ui.visuals().warn_fg_color),
                    );
                }
                ui.separator();
                match &next {
                    Some(t) => ui.label(RichText::new(format!("Next: {t}")).weak()),
                    None => ui.label(RichText::new("Last slide").weak()),
                };
                // The levers the presenter chose, here too: moved from the presenter's own
                // screen, the room sees only the curves answer.
                let chosen: Vec<_> = LEVERS
                    .iter()
                    .filter(|l| state.view.presentation_levers.iter().any(|id| id == l.id))
                    .collect();
                if !chosen.is_empty() {
                    ui.separator();
                    ui.push_id("presenter_levers", |ui| {
                        for lever in chosen {
                            levers::lever_ui(ui, lever, &state.active().doc.scenario, commands);
                        }
                    });
                }
            });
            if ui.ctx().input(|i| i.viewport().close_requested()) {
                close = true;
            }
        },
    );
    if close {
        commands.push(Command::Present(PresentCommand::ToggleNotes));
    }
}

fn top_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    top_bar_ui(ui, state, commands);
    // A slide's own live edits are spelled out where the room sees them: the slide no longer
    // shows its file alone, and a dot after the title is easy to miss.
    let doc = state.active();
    if state.present.slide().is_some() && doc.dirty() {
        let edits = crate::display::names::changed_inputs(&doc.saved.scenario, &doc.doc.scenario);
        if !edits.is_empty() {
            ui.label(
                RichText::new(format!(
                    "Changed on this slide, not in its file: {}. Save as new scenario keeps it; \
                     Ctrl+Z drops it.",
                    edits.join(", ")
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
    }
}

fn top_bar_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let title = match state.present.slide() {
            Some((_, _, title, _)) => title.to_string(),
            None => state.active().display_name(),
        };
        let star = if state.active().dirty() { " •" } else { "" };
        ui.label(RichText::new(format!("{title}{star}")).heading().strong());
        if let Some((i, n, _, _)) = state.present.slide() {
            ui.label(RichText::new(format!("{} / {n}", i + 1)).weak());
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("Leave (Esc)")
                .on_hover_text("Back to the explorer")
                .clicked()
            {
                commands.push(Command::Present(PresentCommand::Leave));
            }
            if ui
                .small_button("Save as new scenario")
                .on_hover_text("Ctrl+Shift+S: saves the live tweaks beside the scenario file")
                .clicked()
            {
                commands.push(Command::Present(PresentCommand::SaveLiveCopy));
            }
            ui.menu_button("Levers", |ui| {
                compare::levers_checklist_ui(ui, state, commands);
                let mut zoom = state.view.presentation_zoom;
                if ui
                    .add(egui::Slider::new(&mut zoom, crate::app::present::ZOOM_RANGE).text("Zoom"))
                    .changed()
                {
                    commands.push(Command::Present(PresentCommand::SetZoom(zoom)));
                }
            });
            // No status bar while presenting: a live copy's answer ("Saved NAME-live-1.ron")
            // shows here for a few seconds, so the presenter knows it worked and where it went.
            if let Some(status) = state.status.as_ref().filter(|_| state.present.saving_copy) {
                let age = status.at.elapsed();
                if age < STATUS_SHOWN {
                    let text = RichText::new(&status.text).small();
                    let text = if status.is_error {
                        text.color(ui.visuals().error_fg_color)
                    } else {
                        text.weak()
                    };
                    ui.add(egui::Label::new(text).truncate());
                    ui.ctx().request_repaint_after(STATUS_SHOWN - age);
                }
            }
        });
    });
}

/// The headline figures in large print, one line: what the room reads first.
fn headline_ui(ui: &mut Ui, state: &AppState) {
    let (now, _) = state.summaries();
    let rows = summary_figures(&now);
    let figures = [
        FigureId::PeakCost,
        FigureId::ExtraCost,
        FigureId::DependencyBelow,
        FigureId::MonthsOfShortfall,
    ]
    .map(|id| pick(&rows, id));
    // The extra cost names its reference in the card itself: slides of one deck may be
    // measured against different runs, and a legend line is easy to miss.
    let against = measured_against(state.baseline().map(|b| b.display_name()).as_deref());
    ui.columns(figures.len(), |cols| {
        for (ui, figure) in cols.iter_mut().zip(figures.into_iter().flatten()) {
            ui.add(egui::Label::new(RichText::new(short_label(figure)).weak()).truncate())
                .on_hover_text(&figure.label);
            ui.add(
                egui::Label::new(
                    RichText::new(&figure.text)
                        .font(theme::presentation_headline_font())
                        .strong(),
                )
                .truncate(),
            );
            if figure.id == FigureId::ExtraCost {
                // Not justified: a wrapped line of a justified column is stretched apart.
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.add(egui::Label::new(RichText::new(&against).strong()).wrap());
                });
            }
        }
    });
}
