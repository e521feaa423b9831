//! Compare view, drawing only: the strip of pinned scenarios above the charts (each in its pin
//! colour: the legend of the pinned lines), the delta toggle, the side-by-side headline table
//! with the lever diff, the Compare/Present/Export menus, and what the charts overlay for
//! compare and presentation (pinned lines, delta lines, animated lines, annotations).

use super::theme::Palette;
use crate::app::compare::CompareCommand;
use crate::app::outputs::{ExportRequest, ExportWhat};
use crate::app::present::PresentCommand;
use crate::app::{AppState, ChartKind, Command};
use crate::model::LEVERS;
use crate::model::YearMonth;
use crate::output::table::table_cells;
use crate::scenario::{annotation, differences};
use egui::{RichText, Ui};

/// The notes' texts at the top of a chart, painted after the plot: a plot text item would
/// count towards the automatic bounds and push the axis up frame after frame.
pub fn paint_notes(
    ui: &Ui,
    response: &egui_plot::PlotResponse<()>,
    notes: &[(f64, &str)],
    palette: &Palette,
) {
    let frame = *response.transform.frame();
    let painter = ui.painter_at(frame);
    let font = egui::FontId::proportional(ui.text_style_height(&egui::TextStyle::Small).max(11.0));
    for &(x, text) in notes {
        let px = response.transform.position_from_point_x(x);
        if px < frame.left() || px > frame.right() {
            continue;
        }
        let galley = painter.layout_no_wrap(text.to_string(), font.clone(), palette.marker_active);
        let rect = egui::Align2::LEFT_TOP
            .anchor_size(egui::pos2(px + 3.0, frame.top() + 3.0), galley.size())
            .expand(2.0);
        painter.rect_filled(rect, 2.0, palette.label_fill);
        painter.galley(
            rect.min + egui::vec2(2.0, 2.0),
            galley,
            palette.marker_active,
        );
    }
}

/// Right-click on a chart: add a note at the month under the pointer, or remove one.
pub fn annotation_menu(
    response: &egui_plot::PlotResponse<()>,
    state: &AppState,
    kind: ChartKind,
    commands: &mut Vec<Command>,
) {
    let ctx = response.response.ctx.clone();
    let date_id = egui::Id::unique(("note_date", kind));
    let text_id = egui::Id::unique("note_text");
    let focus_id = egui::Id::unique(("note_focus", kind));
    if response.response.secondary_clicked()
        && let Some(pos) = response.response.interact_pointer_pos()
        && let Some(month) =
            YearMonth::from_decimal_year(response.transform.value_from_position(pos).x)
    {
        ctx.data_mut(|d| {
            d.insert_temp(date_id, month);
            d.insert_temp(focus_id, true);
        });
    }
    // A menu closes on any click, the text field's included: this one stays open until a
    // click lands outside it, Escape, or the note is added.
    egui::Popup::context_menu(&response.response)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            note_menu_ui(ui, state, kind, (date_id, text_id, focus_id), commands);
        });
}

/// The note popup's contents: the date, a text field that has the keyboard as soon as the
/// popup opens (Enter adds the note), and the chart's notes to remove.
fn note_menu_ui(
    ui: &mut Ui,
    state: &AppState,
    kind: ChartKind,
    (date_id, text_id, focus_id): (egui::Id, egui::Id, egui::Id),
    commands: &mut Vec<Command>,
) {
    let ctx = ui.ctx().clone();
    {
        let Some(month) = ctx.data(|d| d.get_temp::<YearMonth>(date_id)) else {
            ui.label("Right-click at a date to add a note");
            return;
        };
        let label = ui.label(format!("Note at {month} on {}", kind.title()));
        let mut text: String = ctx.data(|d| d.get_temp(text_id)).unwrap_or_default();
        let edit = ui.text_edit_singleline(&mut text).labelled_by(label.id);
        if ctx
            .data_mut(|d| d.remove_temp::<bool>(focus_id))
            .unwrap_or(false)
        {
            edit.request_focus();
        }
        ctx.data_mut(|d| d.insert_temp(text_id, text.clone()));
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Add note").clicked() || enter) && !text.trim().is_empty() {
            commands.push(Command::Present(PresentCommand::AddAnnotation(
                annotation::new(month, kind, text.trim()),
            )));
            ctx.data_mut(|d| d.remove::<String>(text_id));
            ui.close();
        }
        let notes = &state.active().doc.annotations;
        if notes.iter().any(|a| a.chart == kind) {
            ui.separator();
            for (i, a) in notes.iter().enumerate().filter(|(_, a)| a.chart == kind) {
                if ui
                    .button(format!("Remove “{}” ({})", a.text, a.date))
                    .clicked()
                {
                    commands.push(Command::Present(PresentCommand::RemoveAnnotation(i)));
                    ui.close();
                }
            }
        }
    }
}

/// The strip above the charts: pin buttons, one coloured entry per pin, the delta toggle.
pub fn compare_bar_ui(
    ui: &mut Ui,
    state: &AppState,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let compare = &state.compare;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Compare").strong());
        if ui
            .button("Pin current")
            .on_hover_text("Keep a copy of the scenario as it is now on the charts")
            .clicked()
        {
            commands.push(Command::Compare(CompareCommand::PinActive));
        }
        ui.menu_button("Pin from library", |ui| {
            for entry in state.library.iter().flat_map(|f| &f.entries) {
                if entry.problems.is_empty() && ui.button(&entry.name).clicked() {
                    commands.push(Command::Compare(CompareCommand::PinFile(
                        entry.path.clone(),
                    )));
                    ui.close();
                }
            }
        });
        for pin in &compare.pins {
            let colour = palette.pin(pin.slot);
            let is_base = state.is_baseline_pin(pin.id);
            ui.separator();
            ui.label(RichText::new("——").color(colour).strong());
            let name = if is_base {
                format!("{} (baseline)", pin.name)
            } else {
                pin.name.clone()
            };
            ui.label(RichText::new(name).color(colour));
            if !is_base
                && ui
                    .small_button("Baseline")
                    .on_hover_text("Measure the current scenario against this one")
                    .clicked()
            {
                commands.push(Command::Compare(CompareCommand::SetBaseline(pin.id)));
            }
            if ui
                .small_button("×")
                .on_hover_text(format!("Unpin {}", pin.name))
                .accessible_name(format!("Unpin {}", pin.name))
                .clicked()
            {
                commands.push(Command::Compare(CompareCommand::Unpin(pin.id)));
            }
        }
        ui.separator();
        let mut delta = compare.delta;
        if ui
            .checkbox(&mut delta, "Delta view")
            .on_hover_text("Every chart shows the current scenario minus the baseline")
            .changed()
        {
            commands.push(Command::Compare(CompareCommand::SetDelta(delta)));
        }
        let mut table = compare.show_table;
        if ui.checkbox(&mut table, "Table and lever diff").changed() {
            commands.push(Command::Compare(CompareCommand::ShowTable(table)));
        }
    });
}

/// The side-by-side headline table of the current and pinned scenarios, and the levers that
/// differ between the current scenario and the baseline.
pub fn compare_window_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let mut open = state.compare.show_table;
    // Sized to its content, so every pinned scenario's column shows without resizing.
    egui::Window::new("Compare")
        .open(&mut open)
        .resizable(false)
        .default_pos(ui.ctx().content_rect().right_top() + egui::vec2(-660.0, 80.0))
        .show(ui.ctx(), |ui| {
            let cells = table_cells(&state.compare_columns());
            egui::Grid::new("compare_table")
                .striped(true)
                .num_columns(cells.first().map_or(1, Vec::len))
                .show(ui, |ui| {
                    for (i, row) in cells.iter().enumerate() {
                        for cell in row {
                            if i == 0 {
                                ui.label(RichText::new(cell).strong());
                            } else {
                                ui.label(cell);
                            }
                        }
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                if ui.button("Export table as CSV").clicked() {
                    commands.push(export(ExportWhat::TableCsv));
                }
                if ui.button("Export table as Markdown").clicked() {
                    commands.push(export(ExportWhat::TableMarkdown));
                }
            });
            ui.separator();
            lever_diff_ui(ui, state);
        });
    if open != state.compare.show_table {
        commands.push(Command::Compare(CompareCommand::ShowTable(open)));
    }
}

/// The inputs that differ between the current scenario and the baseline and every pin: one
/// row per input that differs anywhere, "=" where a column has the current value.
fn lever_diff_ui(ui: &mut Ui, state: &AppState) {
    let active = state.active();
    let mut others: Vec<(String, &crate::model::Scenario)> = Vec::new();
    // A pinned baseline is named in its pin's column rather than repeated in one of its own.
    let baseline_pin = state.compare.baseline_pin;
    if let Some(baseline) = state.baseline()
        && !state
            .compare
            .pins
            .iter()
            .any(|p| Some(p.id) == baseline_pin)
    {
        others.push((
            format!("baseline: {}", baseline.display_name()),
            &baseline.doc.scenario,
        ));
    }
    for pin in &state.compare.pins {
        let name = if Some(pin.id) == baseline_pin {
            format!("{} (baseline)", pin.name)
        } else {
            pin.name.clone()
        };
        others.push((name, &pin.doc.scenario));
    }
    if others.is_empty() {
        ui.label("Pin a scenario (or File > Pin current as baseline) to see which levers differ.");
        return;
    }
    // Rows in first-seen order: (input id, its name, current value, value per other column);
    // names and values as `differences` gives them, the same as the pack and `lodestone diff`.
    let mut rows: Vec<(String, String, String, Vec<Option<String>>)> = Vec::new();
    for (column, (_, other)) in others.iter().enumerate() {
        for d in differences(&active.doc.scenario, other) {
            let row = match rows.iter().position(|r| r.0 == d.id) {
                Some(i) => i,
                None => {
                    let name = d.name_with_id();
                    rows.push((d.id.clone(), name, d.a.clone(), vec![None; others.len()]));
                    rows.len() - 1
                }
            };
            rows[row].3[column] = Some(d.b);
        }
    }
    ui.label(RichText::new(format!("Inputs that differ from {}", active.display_name())).strong());
    if rows.is_empty() {
        ui.label("None: every compared scenario has the same inputs.");
        return;
    }
    egui::Grid::new("lever_diff").striped(true).show(ui, |ui| {
        ui.label(RichText::new("input").strong());
        ui.label(RichText::new("current").strong());
        for (name, _) in &others {
            ui.label(RichText::new(name).strong());
        }
        ui.end_row();
        for (_, name, current, values) in rows {
            ui.label(name);
            ui.label(current);
            for value in values {
                match value {
                    Some(v) => ui.label(v),
                    None => ui.label(RichText::new("=").weak()),
                };
            }
            ui.end_row();
        }
    });
}

pub(super) fn export(what: ExportWhat) -> Command {
    Command::Export(ExportRequest { what, path: None })
}

/// The Compare, Present and Export menus of the menu bar.
pub fn menus_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.menu_button("Compare", |ui| {
        use super::actions::{Action, info, menu_item};
        menu_item(ui, state, Action::PinCurrent, commands);
        let mut delta = state.compare.delta;
        if ui
            .checkbox(&mut delta, info(Action::DeltaView).label)
            .on_hover_text(info(Action::DeltaView).tooltip)
            .changed()
        {
            commands.push(Command::Compare(CompareCommand::SetDelta(delta)));
        }
        menu_item(ui, state, Action::CompareTable, commands);
        menu_item(ui, state, Action::UnpinAll, commands);
    });
    ui.menu_button("Present", |ui| {
        super::actions::menu_item(ui, state, super::actions::Action::Present, commands);
        ui.menu_button("Open deck", |ui| {
            for deck in &state.decks {
                let name = deck
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if ui.button(name).clicked() {
                    commands.push(Command::Present(PresentCommand::OpenDeck(deck.clone())));
                    ui.close();
                }
            }
        });
        ui.menu_button("Export board pack (PDF)", |ui| {
            if state.decks.is_empty() {
                ui.label("No decks found");
            }
            for deck in &state.decks {
                let name = deck
                    .file_name()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let out = crate::app::io::pack_path(deck);
                let button = ui.button(name).on_hover_text(format!(
                    "One page per slide and a page of the inputs that differ, written to {}",
                    out.display()
                ));
                if button.clicked() {
                    commands.push(Command::Present(PresentCommand::ExportPack(deck.clone())));
                    ui.close();
                }
            }
        });
        ui.separator();
        ui.label("Levers shown in presentation mode:");
        levers_checklist_ui(ui, state, commands);
        let mut zoom = state.view.presentation_zoom;
        if ui
            .add(egui::Slider::new(&mut zoom, crate::app::present::ZOOM_RANGE).text("Zoom"))
            .changed()
        {
            commands.push(Command::Present(PresentCommand::SetZoom(zoom)));
        }
    });
    ui.menu_button("Export", |ui| {
        use super::actions::{Action, menu_item};
        for action in [
            Action::ExportSvg,
            Action::ExportPng,
            Action::ExportPng2x,
            Action::ExportCsv,
            Action::ExportTableCsv,
            Action::ExportTableMarkdown,
        ] {
            menu_item(ui, state, action, commands);
        }
        ui.label(
            RichText::new("Written to exports/ beside the scenario file")
                .small()
                .weak(),
        );
        ui.separator();
        menu_item(ui, state, Action::CopyScenario, commands);
        ui.label(
            RichText::new("Ctrl+V on the charts pastes a scenario")
                .small()
                .weak(),
        );
    });
}

/// A checkbox per lever: shown in presentation mode or not.
pub fn levers_checklist_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    for lever in LEVERS {
        let mut shown = state.view.presentation_levers.iter().any(|l| l == lever.id);
        if ui.checkbox(&mut shown, lever.label).changed() {
            commands.push(Command::Present(PresentCommand::ToggleLever(
                lever.id.to_string(),
            )));
        }
    }
}
