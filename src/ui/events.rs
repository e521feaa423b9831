//! The policy-event timeline as a small editable list: date, label, quota level, export duty,
//! licensing and kind per event; add and remove. Drawing only: edits are pushed as [`Command`]s.

use crate::app::Command;
use crate::model::{EventKind, Scenario, YearMonth};
use egui::{Button, Checkbox, ComboBox, DragValue, TextEdit, Ui};

/// Draws the event list of `scenario`.
pub fn events_ui(ui: &mut Ui, scenario: &Scenario, commands: &mut Vec<Command>) {
    if scenario.events.is_empty() {
        ui.weak("No policy events: exports follow the quota level alone.");
    }
    for (index, event) in scenario.events.iter().enumerate() {
        let n = index + 1;
        let mut edited = event.clone();
        let mut remove = false;
        egui::Frame::group(ui.style())
            .inner_margin(4.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let mut year = edited.date.year;
                    let mut month = edited.date.month;
                    ui.add(
                        DragValue::new(&mut year)
                            .range(YearMonth::MIN_YEAR..=YearMonth::MAX_YEAR)
                            .speed(0.1),
                    )
                    .accessible_name(format!("Event {n} year"))
                    .on_hover_text("Year the event takes effect");
                    ui.add(DragValue::new(&mut month).range(1..=12).speed(0.05))
                        .accessible_name(format!("Event {n} month"))
                        .on_hover_text("Month the event takes effect (1-12)");
                    if let Some(date) = YearMonth::new(year, month) {
                        edited.date = date;
                    }
                    ui.add(
                        TextEdit::singleline(&mut edited.label)
                            .desired_width(f32::INFINITY)
                            .hint_text("label"),
                    )
                    .accessible_name(format!("Event {n} label"));
                });
                ui.horizontal(|ui| {
                    percent_field(
                        ui,
                        "quota",
                        &mut edited.quota_level.0,
                        150.0,
                        format!("Event {n} quota level"),
                        "Exports allowed from this date, as a share of the pre-control path",
                    );
                    percent_field(
                        ui,
                        "duty",
                        &mut edited.export_duty.0,
                        100.0,
                        format!("Event {n} export duty"),
                        "Duty on China's legal exports from this date, as a share of China's price: \
                         legal exports sell outside China at no less than China's price plus the duty, \
                         and smuggled material, which pays none, undercuts them",
                    );
                    ui.add(Checkbox::new(&mut edited.licensing, "licensing"))
                        .accessible_name(format!("Event {n} licensing"))
                        .on_hover_text("Per-shipment export licences required from this date");
                    ComboBox::from_id_salt(("event_kind", index))
                        .selected_text(edited.kind.label())
                        .width(90.0)
                        .show_ui(ui, |ui| {
                            for kind in EventKind::ALL {
                                ui.selectable_value(&mut edited.kind, kind, kind.label());
                            }
                        })
                        .response
                        .accessible_name(format!("Event {n} kind"));
                    remove = ui
                        .add(Button::new("Remove").small())
                        .accessible_name(format!("Remove event {n}"))
                        .clicked();
                });
                ui.horizontal(|ui| {
                    percent_field(
                        ui,
                        "chance",
                        &mut edited.probability.0,
                        100.0,
                        format!("Event {n} chance"),
                        "Chance that the event happens: the uncertain futures draw it with this \
                         chance; the central run takes it at 50 % or more",
                    );
                    if !edited.materials.is_empty() {
                        ui.weak(format!("applies to: {}", edited.materials.join(", ")));
                    }
                });
            });
        if remove {
            commands.push(Command::RemoveEvent(index));
        } else if edited != *event {
            commands.push(Command::SetEvent {
                index,
                event: edited,
            });
        }
    }
    if ui
        .button("Add event")
        .on_hover_text("Append an event a year after the last one")
        .clicked()
    {
        commands.push(Command::AddEvent);
    }
}

/// A labelled whole-percent field for a share stored as a fraction (0.25 shows as 25 %).
fn percent_field(
    ui: &mut Ui,
    label: &str,
    share: &mut f64,
    max_percent: f64,
    name: String,
    hover: &str,
) {
    let mut percent = *share * 100.0;
    ui.label(label);
    if ui
        .add(
            DragValue::new(&mut percent)
                .range(0.0..=max_percent)
                .speed(0.5)
                .max_decimals(0)
                .suffix(" %"),
        )
        .accessible_name(name)
        .on_hover_text(hover)
        .changed()
    {
        *share = percent / 100.0;
    }
}
