//! The lever panel: one slider per lever of `model::LEVERS`, grouped Quota, Diversification,
//! Permitting, then Assumptions (collapsed), with per-material sliders under their headline
//! lever. Labels, units, ranges, tooltips and defaults all come from the lever table. Drawing
//! only: every change is pushed as a [`Command`].

use super::events::events_ui;
use crate::app::{AppState, Command};
use crate::model::levers::{Display, Lever, MaterialLever};
use crate::model::{LEVERS, LeverGroup, MATERIAL_LEVERS, Material, Scenario};
use egui::{Align, Button, DragValue, Layout, RichText, Slider, Ui};

/// Draws the lever panel for the active document.
pub fn levers_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let doc = &state.active().doc;
    let scenario = &doc.scenario;

    ui.horizontal(|ui| {
        let label = ui.label("Scenario");
        let mut name = doc.meta.name.clone();
        let response = ui
            .add(egui::TextEdit::singleline(&mut name).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if response.changed() {
            let mut meta = doc.meta.clone();
            meta.name = name;
            commands.push(Command::SetMeta(meta));
        }
    });
    ui.add_space(4.0);

    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for group in [
                LeverGroup::Quota,
                LeverGroup::Diversification,
                LeverGroup::Permitting,
            ] {
                egui::CollapsingHeader::new(RichText::new(group.label()).strong())
                    .id_salt(("lever_group", group.label()))
                    .default_open(true)
                    .show(ui, |ui| {
                        group_ui(ui, group, scenario, commands);
                    });
                if group == LeverGroup::Quota {
                    egui::CollapsingHeader::new(RichText::new("Policy events").strong())
                        .id_salt("policy_events")
                        .default_open(true)
                        .show(ui, |ui| events_ui(ui, scenario, commands));
                }
            }
            egui::CollapsingHeader::new(RichText::new("Assumptions").strong())
                .id_salt(("lever_group", "Assumptions"))
                .default_open(false)
                .show(ui, |ui| {
                    group_ui(ui, LeverGroup::Assumptions, scenario, commands);
                    egui::CollapsingHeader::new("Material data")
                        .id_salt("material_data")
                        .default_open(false)
                        .show(ui, |ui| material_data_ui(ui, scenario, commands));
                });
        });
}

fn group_ui(ui: &mut Ui, group: LeverGroup, scenario: &Scenario, commands: &mut Vec<Command>) {
    for lever in LEVERS.iter().filter(|l| l.group == group) {
        lever_ui(ui, lever, scenario, commands);
        // Per-material sliders sit right under the headline lever they refine.
        let per_material = match lever.id {
            "quota_level" => Some("quota_share"),
            "capex" => Some("capex_share"),
            _ => None,
        };
        if let Some(id) = per_material
            && let Some(ml) = MATERIAL_LEVERS.iter().find(|l| l.id == id)
        {
            ui.indent(("per_material", id), |ui| {
                for (index, material) in scenario.materials.iter().enumerate() {
                    material_lever_ui(ui, ml, index, material, commands);
                }
            });
        }
    }
    ui.horizontal(|ui| {
        let name = format!("Reset {} group", group.label());
        if ui
            .add(Button::new(format!("Reset all {}", group.label().to_lowercase())).small())
            .on_hover_text("Put every lever of this group back to its default")
            .accessible_name(name)
            .clicked()
        {
            commands.push(Command::ResetGroup(group));
        }
    });
    ui.add_space(6.0);
}

/// Scale from the stored value to the shown one.
fn shown_scale(display: Display) -> f64 {
    match display {
        Display::Percent => 100.0,
        Display::Plain => 1.0,
    }
}

fn suffix(display: Display, unit: &str) -> String {
    match display {
        Display::Percent => " %".to_string(),
        Display::Plain if unit.is_empty() => String::new(),
        Display::Plain => format!(" {unit}"),
    }
}

fn format_value(display: Display, unit: &str, value: f64) -> String {
    match display {
        Display::Percent => format!("{:.1} %", value * 100.0).replace(".0 %", " %"),
        Display::Plain => format!("{} {unit}", crate::display::format::value(value))
            .trim_end()
            .to_string(),
    }
}

fn lever_tooltip(lever: &Lever) -> String {
    format!(
        "{}\n\nRange: {} to {}\nDefault: {} — Source: {}",
        lever.description,
        format_value(lever.display, lever.unit, lever.min),
        format_value(lever.display, lever.unit, lever.max),
        format_value(lever.display, lever.unit, lever.default),
        lever.source
    )
}

pub(crate) fn lever_ui(
    ui: &mut Ui,
    lever: &Lever,
    scenario: &Scenario,
    commands: &mut Vec<Command>,
) {
    let value = (lever.get)(scenario);
    let tooltip = lever_tooltip(lever);
    let outcome = slider_row(
        ui,
        SliderRow {
            label: lever.label,
            unit: lever.unit,
            tooltip: &tooltip,
            display: lever.display,
            value,
            min: lever.min,
            max: lever.max,
            is_default: value == lever.default,
        },
    );
    if let Some(v) = outcome.new_value {
        commands.push(Command::SetLever {
            id: lever.id,
            value: v,
        });
    }
    if outcome.reset {
        commands.push(Command::ResetLever(lever.id));
    }
}

fn material_lever_ui(
    ui: &mut Ui,
    lever: &MaterialLever,
    index: usize,
    material: &Material,
    commands: &mut Vec<Command>,
) {
    let value = (lever.get)(material);
    let default = (lever.get)(&Material::default_for(&material.id));
    let tooltip = format!(
        "{} ({})\n\nRange: {} to {}\nDefault: {} — Source: {}",
        lever.description,
        material.name,
        format_value(lever.display, lever.unit, lever.min),
        format_value(lever.display, lever.unit, lever.max),
        format_value(lever.display, lever.unit, default),
        lever.source
    );
    let label = format!("{} {}", material.id, lever.label);
    let outcome = slider_row(
        ui,
        SliderRow {
            label: &label,
            unit: lever.unit,
            tooltip: &tooltip,
            display: lever.display,
            value,
            min: lever.min,
            max: lever.max,
            is_default: value == default,
        },
    );
    if let Some(v) = outcome.new_value {
        commands.push(Command::SetMaterialLever {
            material: index,
            lever: lever.id,
            value: v,
        });
    }
    if outcome.reset {
        commands.push(Command::ResetMaterialLever {
            material: index,
            lever: lever.id,
        });
    }
}

/// The per-material inputs with wide ranges (tonnes, prices): number fields, not sliders.
fn material_data_ui(ui: &mut Ui, scenario: &Scenario, commands: &mut Vec<Command>) {
    for (index, material) in scenario.materials.iter().enumerate() {
        ui.label(RichText::new(&material.name).strong());
        egui::Grid::new(("material_grid", index))
            .num_columns(2)
            .show(ui, |ui| {
                for lever in MATERIAL_LEVERS
                    .iter()
                    .filter(|l| !matches!(l.id, "quota_share" | "capex_share"))
                {
                    let name = format!("{} {}", material.id, lever.label);
                    ui.label(lever.label).on_hover_text(lever.description);
                    let scale = shown_scale(lever.display);
                    let mut shown = (lever.get)(material) * scale;
                    let speed = (shown.abs() * 0.005).max(0.01);
                    let response = ui
                        .add(
                            DragValue::new(&mut shown)
                                .range(lever.min * scale..=lever.max * scale)
                                .speed(speed)
                                .suffix(suffix(lever.display, lever.unit)),
                        )
                        .accessible_name(name)
                        .on_hover_text(format!("{}\nSource: {}", lever.description, lever.source));
                    if response.changed() {
                        commands.push(Command::SetMaterialLever {
                            material: index,
                            lever: lever.id,
                            value: shown / scale,
                        });
                    }
                    ui.end_row();
                }
            });
    }
}

struct SliderRow<'a> {
    label: &'a str,
    unit: &'a str,
    tooltip: &'a str,
    display: Display,
    value: f64,
    min: f64,
    max: f64,
    is_default: bool,
}

struct RowOutcome {
    new_value: Option<f64>,
    reset: bool,
}

/// Label, unit and reset button on one line; the slider, full width, below. The slider is
/// named by the label so screen readers and tests find it as e.g. "Quota level".
fn slider_row(ui: &mut Ui, row: SliderRow<'_>) -> RowOutcome {
    let mut reset = false;
    let label_id = ui
        .horizontal(|ui| {
            let label = ui.label(row.label).on_hover_text(row.tooltip);
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let button = ui
                    .add_enabled(!row.is_default, Button::new("Reset").small())
                    .on_hover_text("Back to the default")
                    .on_disabled_hover_text("At its default")
                    .accessible_name(format!("Reset {}", row.label));
                reset = button.clicked();
                // The unit gives way to the button in a narrow panel instead of running under it.
                ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
                    ui.add(egui::Label::new(RichText::new(row.unit).small().weak()).truncate());
                });
            });
            label.id
        })
        .inner;
    let scale = shown_scale(row.display);
    let mut shown = row.value * scale;
    let decimals = match row.display {
        Display::Percent if (row.max - row.min) * scale <= 60.0 => 1,
        Display::Percent => 0,
        Display::Plain => 2,
    };
    let value_box = 78.0;
    ui.spacing_mut().slider_width = (ui.available_width() - value_box).max(80.0);
    let response = ui
        .add(
            Slider::new(&mut shown, row.min * scale..=row.max * scale)
                .suffix(suffix(row.display, ""))
                .max_decimals(decimals)
                // Only the user's own moves round and clamp: a value drawn as it is never
                // comes back as a change. Clamping existing values rounds them to the shown
                // decimals (58 % is 57.999… in floating point), which reported a "change"
                // every frame and wrote the rounded value into whatever document was shown
                // next.
                .clamping(egui::SliderClamping::Edits),
        )
        .labelled_by(label_id)
        .on_hover_text(row.tooltip);
    ui.add_space(2.0);
    RowOutcome {
        new_value: (response.changed() && shown != row.value * scale).then_some(shown / scale),
        reset,
    }
}
