//! The three stacked charts sharing one time axis: procurement cost ($/kg or $/yr),
//! dependency, and a third chart the user picks. Each shows one line per material plus the
//! bold aggregate, the baseline (or the no-controls run) as a dashed ghost behind them, policy
//! events as labelled vertical lines, and the observed record as points whose hover text names
//! the source. Drawing only: points are borrowed from the plot cache, choices are pushed as
//! [`Command::SetView`].

use super::theme::{self, Palette};
use crate::app::scene::{ChartScene, LineRole, SceneLine};
use crate::app::view::ViewState;
use crate::app::{AppState, ChartKind, Command, CostUnit};
use crate::display::names::{TOTAL_KEY, TOTAL_LABEL};
use crate::display::{axis, format};
use crate::model::YearMonth;
use crate::model::{PolicyEvent, Results};
use crate::scenario::observed;
use crate::scenario::record::ObservedSeries;
use egui::{Align2, ComboBox, FontId, Id, RichText, Ui};
use egui_plot::{
    GridInput, GridMark, HLine, HoverPosition, Line, LineStyle, MarkerShape, Plot, PlotPoint,
    PlotPoints, PlotResponse, Points, VLine, uniform_grid_spacer,
};
use std::ops::RangeInclusive;

/// Draws the chart controls and the three charts into the remaining space.
pub fn charts_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    controls_ui(ui, state, commands);
    legend_ui(ui, state, palette, commands);
    super::bands::bands_row_ui(ui, state, palette, commands);
    stacked_charts_ui(ui, state, palette, EXPLORER_MIN_CHART_HEIGHT, commands);
}

/// Below this height a chart in the explorer is a sliver nobody can read (1280x720 with normal
/// text leaves about 90 under the headline strip, the compare bar and the legend, and all
/// three charts, the last with its year axis, must show there): with large text on a small
/// screen the charts scroll instead of shrinking further.
pub const EXPLORER_MIN_CHART_HEIGHT: f32 = 80.0;

/// The three charts alone, sharing the remaining height (presentation mode draws only these);
/// when they would be lower than `min_height` each, they keep that height and scroll.
pub fn stacked_charts_ui(
    ui: &mut Ui,
    state: &AppState,
    palette: &Palette,
    min_height: f32,
    commands: &mut Vec<Command>,
) {
    let charts = state.view.charts();
    let title_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let gap = ui.spacing().item_spacing.y;
    let fit = (ui.available_height() - 3.0 * (title_height + gap)) / 3.0;
    if fit >= min_height {
        for (slot, kind) in charts.into_iter().enumerate() {
            chart_ui(ui, state, palette, kind, slot, fit, commands);
        }
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("charts_scroll")
        .show(ui, |ui| {
            for (slot, kind) in charts.into_iter().enumerate() {
                chart_ui(ui, state, palette, kind, slot, min_height, commands);
            }
        });
}

fn controls_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    let mut view = state.view.clone();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Cost in");
        ui.selectable_value(&mut view.cost_unit, CostUnit::PerKg, "$/kg")
            .labelled_by(label.id)
            .on_hover_text("Delivered cost per kilogram of material used");
        ui.selectable_value(&mut view.cost_unit, CostUnit::PerYear, "$/yr")
            .on_hover_text("Money spent per year on purchases and carrying stock");
        ui.separator();
        let third = ui.label("Third chart");
        ComboBox::from_id_salt("third_chart")
            .selected_text(view.third_chart.title())
            .show_ui(ui, |ui| {
                for kind in ChartKind::THIRD {
                    ui.selectable_value(&mut view.third_chart, kind, kind.title());
                }
            })
            .response
            .labelled_by(third.id);
        ui.separator();
        ui.checkbox(&mut view.show_observed, "Observed data")
            .on_hover_text("2024-2025 figures from the sources, as points");
        ui.checkbox(&mut view.show_events, "Policy events");
    });
    if view != state.view {
        commands.push(Command::SetView(view));
    }
}

/// One legend for all three charts: a checkbox per material and for the aggregate, in the
/// line's colour; unchecking hides the line on every chart.
fn legend_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    let mut view = state.view.clone();
    let results = &state.active().run.results;
    ui.horizontal_wrapped(|ui| {
        for (i, material) in results.materials.iter().enumerate() {
            series_toggle(
                ui,
                &mut view,
                &material.id,
                RichText::new(&material.name).color(palette.material(i)),
            );
        }
        series_toggle(
            ui,
            &mut view,
            TOTAL_KEY,
            RichText::new(TOTAL_LABEL).color(palette.total).strong(),
        );
        ui.separator();
        let ghost = match state.baseline() {
            Some(b) => format!("dashed: baseline “{}”", b.display_name()),
            None => "dashed: calm reference (no controls, no capex)".to_string(),
        };
        ui.label(RichText::new(ghost).small().weak());
        if state.view.show_observed {
            ui.label(
                RichText::new("diamonds: observed figures (hover for the source)")
                    .small()
                    .weak(),
            );
        }
    });
    if view != state.view {
        commands.push(Command::SetView(view));
    }
}

/// The legend as plain swatches for presentation mode: every material, the aggregate, the
/// pins and what dashed lines and diamonds mean, readable from the back of a room.
pub fn legend_row_ui(ui: &mut Ui, state: &AppState, palette: &Palette) {
    let results = &state.active().run.results;
    ui.horizontal_wrapped(|ui| {
        // One label per entry, so a line break never parts a swatch from its name.
        let swatch = |ui: &mut Ui, text: &str, colour: egui::Color32| {
            // Never wrapped inside: an entry that does not fit moves to the next row whole.
            ui.add(egui::Label::new(RichText::new(format!("— {text}")).color(colour)).extend());
            ui.add_space(8.0);
        };
        for (i, material) in results.materials.iter().enumerate() {
            if state.view.is_shown(&material.id) {
                swatch(ui, &material.name, palette.material(i));
            }
        }
        if state.view.is_shown(TOTAL_KEY) {
            swatch(ui, TOTAL_LABEL, palette.total);
        }
        for pin in &state.compare.pins {
            if Some(pin.id) != state.compare.baseline_pin {
                swatch(ui, &pin.name, palette.pin(pin.slot));
            }
        }
        let ghost = match state.baseline() {
            Some(b) => format!("- - baseline “{}”", b.display_name()),
            None => "- - calm reference (no controls, no capex)".to_string(),
        };
        ui.add(egui::Label::new(RichText::new(ghost).weak()).extend());
        let active = state.active();
        let has_observed = match (
            active.run.results.dates.first(),
            active.run.results.dates.last(),
        ) {
            (Some(first), Some(last)) => state.view.charts().into_iter().any(|k| {
                observed::for_chart(k, &active.doc.record, *first, *last)
                    .next()
                    .is_some()
            }),
            _ => false,
        };
        if state.view.show_observed && has_observed {
            ui.add_space(8.0);
            // One label with room for the marker at its start, so a line break never parts
            // the two. The marker is painted, not a glyph: the bundled font has no diamond.
            let entry =
                ui.add(egui::Label::new(RichText::new("     observed figures").weak()).extend());
            let r = ui.text_style_height(&egui::TextStyle::Body) * 0.3;
            let c = entry.rect.left_center() + egui::vec2(r + 2.0, 0.0);
            ui.painter().add(egui::Shape::convex_polygon(
                vec![
                    c + egui::vec2(0.0, -r),
                    c + egui::vec2(r, 0.0),
                    c + egui::vec2(0.0, r),
                    c + egui::vec2(-r, 0.0),
                ],
                ui.visuals().weak_text_color(),
                egui::Stroke::NONE,
            ));
        }
    });
}

fn series_toggle(ui: &mut Ui, view: &mut ViewState, id: &str, text: RichText) {
    let mut shown = view.is_shown(id);
    if ui
        .checkbox(&mut shown, text)
        .on_hover_text("Show or hide this line on every chart")
        .changed()
    {
        if shown {
            view.hidden_series.retain(|h| h != id);
        } else {
            view.hidden_series.push(id.to_string());
        }
    }
}

/// Value axis grid: a labelled line every ~30 px at a round step, thin lines between.
fn value_steps(input: GridInput) -> [f64; 3] {
    let per_point = input.base_step_size / 8.0;
    let label = format::nice_step(per_point * 22.0);
    [label / 5.0, label, label * 10.0]
}

/// Time axis grid: labels at whole years (or months when zoomed in) at least ~70 px apart.
pub(super) fn time_steps(input: GridInput) -> [f64; 3] {
    // Five-year labels keep a narrow chart (a projector at 1280x720 in large type) dated
    // 2025, 2030, 2035 instead of jumping from every other year to every decade.
    const STEPS: [f64; 9] = [1.0 / 12.0, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 100.0];
    let per_point = input.base_step_size / 8.0;
    let label = STEPS
        .iter()
        .position(|&s| s >= per_point * 70.0)
        .unwrap_or(STEPS.len() - 1);
    // The thin lines divide the labelled step, so labelled marks are evenly spaced.
    let minor = if STEPS[label] == 5.0 {
        1.0
    } else {
        STEPS[label.saturating_sub(1)]
    };
    [minor, STEPS[label], STEPS[label] * 10.0]
}

/// Grid marks of a logarithmic axis (plotted as log10), where the exported charts put
/// theirs (`display::axis::log_ticks`); the powers of ten are the major marks.
fn log_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    axis::log_ticks(10f64.powf(lo), 10f64.powf(hi))
        .into_iter()
        .map(|v| GridMark {
            value: v.log10(),
            step_size: if axis::is_decade(v) { 1.0 } else { 0.1 },
        })
        .collect()
}

/// Year ticks on the time axis; months when zoomed in.
pub(super) fn time_tick(mark: GridMark, _range: &RangeInclusive<f64>) -> String {
    if (mark.value - mark.value.round()).abs() < 1e-6 {
        format!("{:.0}", mark.value)
    } else {
        YearMonth::from_decimal_year(mark.value)
            .map(|m| m.to_string())
            .unwrap_or_default()
    }
}

fn hover_text(
    pos: &HoverPosition<'_>,
    kind: ChartKind,
    observed: &[&ObservedSeries],
) -> Option<String> {
    let unit = kind.unit();
    match pos {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => {
            if let Some(series) = observed.iter().find(|s| s.name == *plot_name) {
                return Some(observed_hover(series, position, unit));
            }
            let month = YearMonth::from_decimal_year(position.x)?;
            Some(format!(
                "{plot_name}\n{month}\n{} {unit}",
                format::value(kind.from_plot(position.y))
            ))
        }
        HoverPosition::Elsewhere { position } => {
            YearMonth::from_decimal_year(position.x).map(|m| m.to_string())
        }
    }
}

fn observed_hover(series: &ObservedSeries, position: &PlotPoint, unit: &str) -> String {
    let point = series
        .points
        .iter()
        .find(|p| (p.date.decimal_year() - position.x).abs() < 1e-6);
    let Some(p) = point else {
        return series.name.clone();
    };
    let value = if p.low == p.high {
        format::grouped(p.low, 0)
    } else {
        format!(
            "{}–{}",
            format::grouped(p.low, 0),
            format::grouped(p.high, 0)
        )
    };
    let note = if p.note.is_empty() {
        String::new()
    } else {
        format!(" ({})", p.note)
    };
    format!(
        "{}\n{}: {value} {unit}{note}\nSource: {}",
        series.name, p.date, series.source
    )
}

fn chart_ui(
    ui: &mut Ui,
    state: &AppState,
    palette: &Palette,
    kind: ChartKind,
    slot: usize,
    height: f32,
    commands: &mut Vec<Command>,
) {
    // Everything the chart shows, decided once (the window's exports use the same scene).
    let scene = state.chart_scene(kind, Some(std::time::Instant::now()));
    let delta = scene.delta;
    let unit = if delta {
        kind.delta_unit()
    } else {
        kind.unit()
    };
    let title = if delta {
        format!("{}: current minus baseline ({unit})", kind.title())
    } else {
        format!("{} ({unit})", kind.title())
    };
    ui.label(RichText::new(title).strong());

    let plot = chart_plot(kind, slot, height, delta, unit, &scene.observed);
    let today_colour = ui.visuals().weak_text_color();
    let response = plot.show(ui, |plot_ui| {
        draw_scene(plot_ui, &scene, palette, today_colour)
    });
    if let Some(t) = scene.today {
        paint_today_label(ui, &response, t, today_colour);
    }
    describe_for_screen_readers(ui, &response, &state.active().run.results, kind, unit);
    super::compare::paint_notes(ui, &response, &scene.notes, palette);
    super::compare::annotation_menu(&response, state, kind, commands);
    if kind == ChartKind::Dependency && !scene.events.is_empty() {
        paint_event_labels(ui, &response, scene.events, palette);
    }
}

/// Draws a scene: the reference behind the band, the band, the lines and pins, the record,
/// events, targets, the threshold, today and the notes' markers.
fn draw_scene<'a>(
    plot_ui: &mut egui_plot::PlotUi<'a>,
    scene: &'a ChartScene<'a>,
    palette: &Palette,
    today_colour: egui::Color32,
) {
    if let Some(t) = scene.today {
        plot_ui.vline(
            VLine::new("", t)
                .color(today_colour)
                .width(1.0)
                .allow_hover(false),
        );
    }
    if scene.delta {
        plot_ui.hline(
            HLine::new("", 0.0)
                .stroke(egui::Stroke::new(1.0, palette.threshold))
                .allow_hover(false),
        );
    }
    for line in scene.lines.iter().filter(|l| l.role.is_reference()) {
        plot_ui.line(styled_line(line, palette));
    }
    if let Some(band) = scene.band {
        super::bands::draw_band(plot_ui, band, palette);
    }
    for line in scene.lines.iter().filter(|l| !l.role.is_reference()) {
        plot_ui.line(styled_line(line, palette));
    }
    for (x, _) in &scene.notes {
        plot_ui.vline(
            VLine::new("", *x)
                .color(palette.marker_active)
                .width(1.5)
                .allow_hover(false),
        );
    }
    for (i, series) in scene.observed.iter().enumerate() {
        draw_observed(plot_ui, series, scene.kind, palette.observed(i));
    }
    for event in scene.events {
        plot_ui.vline(
            VLine::new("", event.date.decimal_year())
                .color(palette.event(event.kind))
                .style(LineStyle::dashed_dense())
                .width(1.0)
                .allow_hover(false),
        );
    }
    for &(x0, x1, y) in &scene.targets {
        plot_ui.line(
            Line::new("target", PlotPoints::from(vec![[x0, y], [x1, y]]))
                .color(palette.worse)
                .style(LineStyle::dashed_loose())
                .width(2.0)
                .allow_hover(false),
        );
        plot_ui.text(
            egui_plot::Text::new("", PlotPoint::new(x0, y), "target")
                .anchor(Align2::LEFT_BOTTOM)
                .color(palette.worse),
        );
    }
    if let Some(threshold) = scene.threshold {
        plot_ui.hline(
            HLine::new("", threshold)
                .stroke(egui::Stroke::new(1.0, palette.threshold))
                .style(LineStyle::dotted_dense())
                .allow_hover(false),
        );
    }
}

/// A scene line as the screen draws its role: materials in their colours, the aggregate
/// bold, the reference faint and dashed (not hoverable), pins in their slot's colour (the
/// baseline pin dashed).
fn styled_line<'a>(line: &'a SceneLine<'a>, palette: &Palette) -> Line<'a> {
    let drawn = Line::new(line.name.as_ref(), PlotPoints::from(line.points.as_ref()));
    match line.role {
        LineRole::Material(i) => drawn
            .color(palette.material(i))
            .width(theme::MATERIAL_WIDTH),
        LineRole::Total => drawn.color(palette.total).width(theme::TOTAL_WIDTH),
        LineRole::ReferenceMaterial(i) => drawn
            .color(palette.ghost(palette.material(i)))
            .style(LineStyle::dashed_loose())
            .width(theme::GHOST_WIDTH)
            .allow_hover(false),
        LineRole::ReferenceTotal => drawn
            .color(palette.ghost(palette.total))
            .style(LineStyle::dashed_loose())
            .width(theme::GHOST_WIDTH + 0.6)
            .allow_hover(false),
        LineRole::Pin { slot, baseline } => {
            let pinned = drawn
                .color(palette.pin(slot))
                .width(theme::TOTAL_WIDTH - 0.6);
            if baseline {
                pinned.style(LineStyle::dashed_dense())
            } else {
                pinned
            }
        }
    }
}

/// The chart's plot: a time axis linked across the charts, the value axis as the chart kind
/// (or the delta view) reads, and hover text naming the line or observed point.
fn chart_plot<'a>(
    kind: ChartKind,
    slot: usize,
    height: f32,
    delta: bool,
    unit: &'static str,
    hover_series: &'a [&'a ObservedSeries],
) -> Plot<'a> {
    let time_axis = Id::unique("lodestone_time_axis");
    let last = slot == 2;
    let mut plot = Plot::new(("chart", kind))
        .height(height)
        .link_axis(time_axis, [true, false])
        .link_cursor(time_axis, [true, false])
        .show_axes([last, true])
        .x_axis_formatter(time_tick)
        .x_grid_spacer(uniform_grid_spacer(time_steps))
        .y_axis_formatter(move |mark, _| {
            format::tick(if delta {
                mark.value
            } else {
                kind.from_plot(mark.value)
            })
        })
        .y_axis_min_width(44.0)
        .allow_scroll(false)
        .label_formatter(move |pos| {
            // Differences are plotted linearly, like the spend chart.
            hover_text(
                pos,
                if delta { ChartKind::Spend } else { kind },
                hover_series,
            )
            .map(|t| {
                if delta {
                    t.replace(ChartKind::Spend.unit(), unit)
                } else {
                    t
                }
            })
        });
    plot = match kind {
        _ if delta => plot
            .y_grid_spacer(uniform_grid_spacer(value_steps))
            .include_y(0.0),
        k if k.log_scale() => plot.y_grid_spacer(log_marks).include_y(k.to_plot(10.0)),
        ChartKind::Dependency => plot
            .y_grid_spacer(uniform_grid_spacer(value_steps))
            .include_y(0.0)
            .include_y(100.0),
        _ => plot
            .y_grid_spacer(uniform_grid_spacer(value_steps))
            .include_y(0.0),
    };
    plot
}

/// "today" at the top of the line where history ends and projection begins.
fn paint_today_label(ui: &Ui, response: &PlotResponse<()>, t: f64, colour: egui::Color32) {
    let frame = *response.transform.frame();
    let x = response.transform.position_from_point_x(t);
    let font = FontId::proportional(ui.text_style_height(&egui::TextStyle::Small).max(11.0));
    ui.painter_at(frame).text(
        egui::pos2(x + 3.0, frame.top() + 2.0),
        Align2::LEFT_TOP,
        "today",
        font,
        colour,
    );
}

/// A screen reader names the chart and reads where its total starts, peaks and ends.
fn describe_for_screen_readers(
    ui: &Ui,
    response: &PlotResponse<()>,
    results: &Results,
    kind: ChartKind,
    unit: &str,
) {
    let total = results.total.get(kind.series());
    let dates = &results.dates;
    let at = |i: usize| {
        format!(
            "{} {unit} in {}",
            format::value(kind.scale() * total.get(i).copied().unwrap_or(0.0)),
            dates.get(i).map(ToString::to_string).unwrap_or_default()
        )
    };
    let peak = total
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i);
    let summary = format!(
        "total {}, highest {}, last {}",
        at(0),
        at(peak),
        at(total.len().saturating_sub(1))
    );
    ui.ctx()
        .accesskit_node_builder(response.response.id, |node| {
            node.set_role(egui::accesskit::Role::Figure);
            node.set_label(kind.title());
            node.set_value(summary);
        });
}

/// Event labels go on the dependency chart only, whose lower half is empty, staggered in
/// rows so close dates stay legible; one that would still overprint another is left off.
fn paint_event_labels(
    ui: &Ui,
    response: &PlotResponse<()>,
    events: &[PolicyEvent],
    palette: &Palette,
) {
    {
        let frame = *response.transform.frame();
        let painter = ui.painter_at(frame);
        let font = FontId::proportional(ui.text_style_height(&egui::TextStyle::Small).max(11.0));
        let placed: Vec<(f32, std::sync::Arc<egui::Galley>, egui::Color32)> = events
            .iter()
            .map(|event| {
                let x = response
                    .transform
                    .position_from_point_x(event.date.decimal_year());
                let colour = palette.event(event.kind);
                let galley = painter.layout_no_wrap(event.label.clone(), font.clone(), colour);
                (x, galley, colour)
            })
            .filter(|(x, _, _)| *x >= frame.left() && *x <= frame.right())
            .collect();
        // The label's box is 4 points wider than its text (2 each side of the fill).
        let spans: Vec<(f64, f64)> = placed
            .iter()
            .map(|(x, g, _)| (f64::from(*x + 1.0), f64::from(g.size().x + 4.0)))
            .collect();
        let rows = crate::output::figure::label_rows(&spans, 3, 4.0);
        for ((x, galley, colour), row) in placed.into_iter().zip(rows) {
            let Some(row) = row else { continue };
            let row = row as f32;
            let pos = egui::pos2(x + 3.0, frame.bottom() - 4.0 - row * (font.size + 5.0));
            let rect = Align2::LEFT_BOTTOM
                .anchor_size(pos, galley.size())
                .expand(2.0);
            painter.rect_filled(rect, 2.0, palette.label_fill);
            painter.galley(rect.min + egui::vec2(2.0, 2.0), galley, colour);
        }
    }
}

fn draw_observed(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    series: &ObservedSeries,
    kind: ChartKind,
    color: egui::Color32,
) {
    let mut points = Vec::with_capacity(series.points.len() * 2);
    for p in &series.points {
        let x = p.date.decimal_year();
        let (low, high) = (kind.to_plot(p.low), kind.to_plot(p.high));
        points.push([x, low]);
        if p.high != p.low {
            points.push([x, high]);
            // The range as a short vertical bar between its ends.
            plot_ui.line(
                Line::new(series.name.as_str(), vec![[x, low], [x, high]])
                    .color(color)
                    .width(2.0)
                    .allow_hover(false),
            );
        }
    }
    plot_ui.points(
        Points::new(series.name.as_str(), points)
            .shape(MarkerShape::Diamond)
            .radius(theme::OBSERVED_RADIUS)
            .filled(true)
            .color(color),
    );
}
