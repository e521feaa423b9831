//! The sensitivity view, shown in place of the charts: a tornado chart (each lever's swing on a
//! chosen headline figure between the low and high ends of its range, largest first) and a
//! one-lever sweep (the figure across one lever's whole range, the current value marked).
//! Drawing only: the numbers come from `crate::app::analysis`, computed off the UI thread
//! once per scenario change; only those of the scenario on screen are drawn.

use super::theme::Palette;
use crate::app::analysis::{Sensitivity, chosen_figure, chosen_lever};
use crate::app::{AppState, Command};
use crate::display::format;
use crate::model::YearMonth;
use crate::model::levers::Display;
use crate::model::{Figure, LEVERS, Lever, TornadoBar};
use egui::{Align, ComboBox, Layout, RichText, ScrollArea, Sense, Stroke, Ui, vec2};
use egui_plot::{HoverPosition, Line, LineStyle, MarkerShape, Plot, Points, VLine};

/// Height of one tornado row.
const ROW_HEIGHT: f32 = 18.0;
/// Room for the longest lever name in the tornado.
const LABEL_WIDTH: f32 = 170.0;
/// Height of the sweep chart.
const SWEEP_HEIGHT: f32 = 190.0;
/// Swings smaller than this share of the largest are listed as "no visible effect".
const NEGLIGIBLE: f64 = 1e-6;

/// The "Charts | Sensitivity" switch; returns whether the sensitivity view is shown.
pub fn view_switch_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) -> bool {
    let mut view = state.view.clone();
    ui.horizontal(|ui| {
        let market = !view.show_sensitivity && !view.show_company && !view.show_goals;
        if ui
            .selectable_label(market, "Charts")
            .on_hover_text("Cost, dependency and a third chart over time")
            .clicked()
        {
            view.show_sensitivity = false;
            view.show_company = false;
            view.show_goals = false;
        }
        if ui
            .selectable_label(
                view.show_sensitivity && !view.show_company && !view.show_goals,
                "Sensitivity",
            )
            .on_hover_text("Which levers move a headline figure most: tornado and sweep")
            .clicked()
        {
            view.show_sensitivity = true;
            view.show_company = false;
            view.show_goals = false;
        }
        if ui
            .selectable_label(view.show_company, "Our company")
            .on_hover_text("One company's spend, stock and stoppage risk on this scenario")
            .clicked()
        {
            view.show_company = true;
            view.show_sensitivity = false;
            view.show_goals = false;
        }
        if ui
            .selectable_label(view.show_goals && !view.show_company, "Goals")
            .on_hover_text(
                "Targets for the plan, goal seek to the cheapest plan that meets them, and when it fails",
            )
            .clicked()
        {
            view.show_goals = true;
            view.show_sensitivity = false;
            view.show_company = false;
        }
    });
    if view != state.view {
        commands.push(Command::SetView(view));
    }
    state.view.show_sensitivity && !state.view.show_goals
}

/// A figure's value for people: dates as months, others with their unit.
pub fn figure_text(figure: Figure, value: f64) -> String {
    match figure {
        Figure::DependencyBelow => {
            YearMonth::from_decimal_year(value).map_or_else(|| "n/a".into(), |m| m.to_string())
        }
        Figure::MonthsOfShortfall => format!("{value:.0} {}", figure.unit()),
        _ => format!("{} {}", format::value(value), figure.unit()),
    }
}

/// A lever value on the sweep's axis: percentages as 0-100.
fn lever_axis(lever: &Lever, value: f64) -> f64 {
    match lever.display {
        Display::Percent => value * 100.0,
        Display::Plain => value,
    }
}

fn lever_axis_unit(lever: &Lever) -> &'static str {
    match lever.display {
        Display::Percent => "%",
        Display::Plain => lever.unit,
    }
}

/// Draws the sensitivity view into the remaining space.
pub fn sensitivity_ui(
    ui: &mut Ui,
    state: &AppState,
    palette: &Palette,
    commands: &mut Vec<Command>,
) {
    let mut view = state.view.clone();
    let figure = chosen_figure(&state.view);
    let lever = chosen_lever(&state.view);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Figure");
        ComboBox::from_id_salt("sensitivity_figure")
            .selected_text(figure.label())
            .show_ui(ui, |ui| {
                for f in Figure::ALL {
                    ui.selectable_value(
                        &mut view.sensitivity_figure,
                        f.key().to_string(),
                        f.label(),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.separator();
        ui.label(RichText::new("lever at its").small().weak());
        ui.label(
            RichText::new("low end")
                .small()
                .color(palette.tornado_low()),
        );
        ui.label(
            RichText::new("high end")
                .small()
                .color(palette.tornado_high()),
        );
        ui.label(
            RichText::new("of its range, everything else as in the scenario")
                .small()
                .weak(),
        );
    });

    let scenario = &state.active().doc.scenario;
    let done = state
        .sensitivity()
        .filter(|d| d.key.figure == figure && d.key.lever == lever.id);
    let Some(done) = done else {
        ui.horizontal(|ui| {
            if let Some(failure) = state.sensitivity_failure() {
                ui.label(RichText::new(format!("failed: {failure}")).color(palette.error));
            } else {
                ui.label(RichText::new("computing…").weak());
            }
        });
        push_if_changed(&view, state, commands);
        return;
    };
    let result = &done.value;
    let tornado_height = (ui.available_height() - SWEEP_HEIGHT - 60.0).max(120.0);
    ScrollArea::vertical()
        .id_salt("tornado")
        .max_height(tornado_height)
        .auto_shrink([false, true])
        .show(ui, |ui| tornado_ui(ui, result, figure, palette));
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Sweep");
        ComboBox::from_id_salt("sweep_lever")
            .selected_text(lever.label)
            .height(400.0)
            .show_ui(ui, |ui| {
                for l in LEVERS {
                    ui.selectable_value(&mut view.sweep_lever, l.id.to_string(), l.label)
                        .on_hover_text(l.description);
                }
            })
            .response
            .labelled_by(label.id);
        let current = (lever.get)(scenario);
        ui.label(
            RichText::new(format!(
                "{} across {} to {}; now {} (marked)",
                figure.label(),
                lever.format(lever.min),
                lever.format(lever.max),
                lever.format(current)
            ))
            .small()
            .weak(),
        );
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.label(
                RichText::new(format!(
                    "{} runs in {:.0} ms",
                    result.runs,
                    done.compute_time.as_secs_f64() * 1e3
                ))
                .small()
                .weak(),
            );
        });
    });
    sweep_ui(ui, result, figure, lever, (lever.get)(scenario), palette);
    push_if_changed(&view, state, commands);
}

fn push_if_changed(view: &crate::app::ViewState, state: &AppState, commands: &mut Vec<Command>) {
    if *view != state.view {
        commands.push(Command::SetView(view.clone()));
    }
}

/// One row per lever with a visible effect, largest first: label, the figure with the lever
/// at its low end, the bars, the figure at its high end. Levers without effect are listed
/// by name below.
fn tornado_ui(ui: &mut Ui, result: &Sensitivity, figure: Figure, palette: &Palette) {
    let largest = result.bars.first().map_or(0.0, TornadoBar::effect);
    let (shown, flat): (Vec<&TornadoBar>, Vec<&TornadoBar>) = result
        .bars
        .iter()
        .partition(|b| b.effect() > largest * NEGLIGIBLE && b.effect() > 0.0);
    let Some(first) = shown.first() else {
        ui.label(format!(
            "No lever moves the {} of this scenario.",
            figure.label().to_lowercase()
        ));
        return;
    };
    let base = first.at_base;
    let (lo, hi) = shown.iter().fold((base, base), |(lo, hi), b| {
        (
            lo.min(b.at_low).min(b.at_high),
            hi.max(b.at_low).max(b.at_high),
        )
    });
    ui.label(
        RichText::new(format!(
            "{} now: {} · bars start at this value",
            figure.label(),
            figure_text(figure, base)
        ))
        .small(),
    );
    // The bars get what the lever names and the two value columns leave.
    let text_width = 140.0;
    let bar_width = (ui.available_width() - LABEL_WIDTH - 2.0 * text_width - 40.0).max(80.0);
    egui::Grid::new("tornado_grid")
        .num_columns(4)
        .spacing(vec2(8.0, 2.0))
        .show(ui, |ui| {
            for bar in &shown {
                ui.label(bar.lever.label).on_hover_text(format!(
                    "{}\nRange {} to {}; swing {}",
                    bar.lever.description,
                    bar.lever.format(bar.lever.min),
                    bar.lever.format(bar.lever.max),
                    swing_text(figure, bar.effect())
                ));
                end_label(ui, bar.lever, bar.lever.min, figure, bar.at_low, text_width);
                bar_ui(ui, bar, (lo, hi), bar_width, palette);
                end_label(
                    ui,
                    bar.lever,
                    bar.lever.max,
                    figure,
                    bar.at_high,
                    text_width,
                );
                ui.end_row();
            }
        });
    if !flat.is_empty() {
        let names: Vec<&str> = flat.iter().map(|b| b.lever.label).collect();
        ui.label(
            RichText::new(format!("No visible effect: {}", names.join(", ")))
                .small()
                .weak(),
        );
    }
}

fn swing_text(figure: Figure, effect: f64) -> String {
    match figure {
        Figure::DependencyBelow => format!("{:.1} years", effect),
        _ => format!("{} {}", format::value(effect), figure.unit()),
    }
}

fn end_label(ui: &mut Ui, lever: &Lever, at: f64, figure: Figure, value: f64, width: f32) {
    ui.allocate_ui_with_layout(
        vec2(width, ROW_HEIGHT),
        Layout::right_to_left(Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.label(
                RichText::new(format!(
                    "{}: {}",
                    lever.format(at),
                    figure_text(figure, value)
                ))
                .small(),
            );
        },
    );
}

/// The two half-bars from the current value to the figure at each end of the lever's range.
fn bar_ui(ui: &mut Ui, bar: &TornadoBar, (lo, hi): (f64, f64), width: f32, palette: &Palette) {
    let (rect, _) = ui.allocate_exact_size(vec2(width, ROW_HEIGHT), Sense::hover());
    let painter = ui.painter_at(rect);
    let span = (hi - lo).max(f64::EPSILON);
    let x = |v: f64| rect.left() + ((v - lo) / span) as f32 * rect.width();
    let body = rect.shrink2(vec2(0.0, 3.0));
    for (value, colour) in [
        (bar.at_low, palette.tornado_low()),
        (bar.at_high, palette.tornado_high()),
    ] {
        let (a, b) = (x(bar.at_base), x(value));
        let r =
            egui::Rect::from_x_y_ranges(a.min(b)..=a.max(b).max(a.min(b) + 1.0), body.y_range());
        painter.rect_filled(r, 1.0, colour);
    }
    let base = x(bar.at_base);
    painter.line_segment(
        [
            egui::pos2(base, rect.top()),
            egui::pos2(base, rect.bottom()),
        ],
        Stroke::new(1.0, palette.threshold),
    );
}

fn sweep_ui(
    ui: &mut Ui,
    result: &Sensitivity,
    figure: Figure,
    lever: &'static Lever,
    current: f64,
    palette: &Palette,
) {
    let points: Vec<[f64; 2]> = result
        .sweep
        .iter()
        .map(|&(x, y)| [lever_axis(lever, x), y])
        .collect();
    let base = result.bars.first().map(|b| b.at_base);
    let x_unit = lever_axis_unit(lever);
    let y_unit = figure.unit();
    Plot::new("sweep_plot")
        .height(ui.available_height().clamp(120.0, SWEEP_HEIGHT))
        .x_axis_label(format!("{} ({x_unit})", lever.label))
        .y_axis_label(format!("{} ({y_unit})", figure.label()))
        .y_axis_min_width(44.0)
        .allow_scroll(false)
        .label_formatter(move |pos| match pos {
            HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}\n{} {x_unit}\n{}",
                format::value(position.x),
                figure_text(figure, position.y)
            )),
            HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot_ui| {
            plot_ui.line(
                Line::new(figure.label(), points)
                    .color(palette.total)
                    .width(2.0),
            );
            let now = lever_axis(lever, current);
            plot_ui.vline(
                VLine::new("", now)
                    .color(palette.marker_active)
                    .style(LineStyle::dashed_dense())
                    .allow_hover(false),
            );
            if let Some(y) = base {
                plot_ui.points(
                    Points::new("Current scenario", vec![[now, y]])
                        .shape(MarkerShape::Circle)
                        .radius(5.0)
                        .filled(true)
                        .color(palette.marker_active),
                );
            }
        });
}
