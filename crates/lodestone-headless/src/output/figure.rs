//! Charts for slides: a [`Figure`] is plain owned data (titles, units, coloured point lists), built from model
//! results on whichever thread asks and then drawn by plotters with no window and no system
//! libraries: the CLI renders headless and the window hands the figure to a background
//! thread. Colours come from `crate::display::palette`'s light palette, since exports end up on
//! white slides and paper.

use super::RenderError;
use crate::display::palette::{self as theme, Palette, ThemeChoice};
use crate::display::{axis, format};
use crate::model::results::difference_by_time;
use crate::model::{Bands, Results, YearMonth, monte_carlo, simulate};
use crate::scenario::Document;
use crate::scenario::chart::ChartKind;
use crate::scenario::observed;
use crate::scenario::record::Record;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// The font every exported chart uses, bundled so no font lookup is needed (DejaVu Sans,
/// licence beside it in `assets/fonts`).
/// The family name the font is registered under with plotters.
const FONT: &str = "sans-serif";

/// Registers the bundled font with plotters once per process.
fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in and known good; a failure would only mean blank text.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, super::text::FONT_BYTES);
    });
}

/// One line on an exported chart, in the chart's shown unit (not log-transformed).
#[derive(Clone, Debug, PartialEq)]
pub struct FigureSeries {
    /// Legend name: a material's, "Total", "Baseline: ..." or "Pinned: ...".
    pub name: String,
    /// Line colour as red, green, blue.
    pub rgb: [u8; 3],
    /// Line width in pixels at scale 1.
    pub width: f64,
    /// Drawn dashed (the baseline or reference run) rather than solid.
    pub dashed: bool,
    /// (decimal year, value)
    pub points: Vec<(f64, f64)>,
}

/// A text note at a date on one chart.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureNote {
    /// Date of the note as a decimal year (the x axis).
    pub x: f64,
    /// The note's text.
    pub text: String,
}

/// One chart of a figure.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureChart {
    /// Which chart it is; sets its title, unit and axis scale.
    pub kind: ChartKind,
    /// Values are differences against the baseline (linear axis, title says so).
    pub delta: bool,
    /// The lines drawn, in legend order.
    pub series: Vec<FigureSeries>,
    /// Text notes at dates, from the scenario's annotations.
    pub notes: Vec<FigureNote>,
    /// Policy events drawn as dashed vertical lines, as on screen (labelled on the
    /// dependency chart, whose lower part is empty).
    pub events: Vec<FigureEvent>,
    /// Observed figures drawn as diamonds, as on screen.
    pub observed: Vec<FigureObserved>,
    /// The Monte Carlo percentile bands of the aggregate, as on screen, if shown.
    pub band: Option<FigureBand>,
}

/// Percentile bands of the aggregate line, step by step, in the chart's shown unit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FigureBand {
    /// Start of each step as a decimal year.
    pub x: Vec<f64>,
    /// 10th, 25th, 50th, 75th and 90th percentiles across paths, one value per `x` each.
    pub percentiles: [Vec<f64>; 5],
    /// How many paths the percentiles summarise (named in the legend).
    pub paths: usize,
}

/// One observed series on an exported chart: diamonds, with a bar where the source gives a
/// range.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureObserved {
    /// Legend name, as on screen.
    pub name: String,
    /// Marker colour as red, green, blue.
    pub rgb: [u8; 3],
    /// (decimal year, low, high) in the chart's shown unit.
    pub points: Vec<(f64, f64, f64)>,
}

/// A policy event on an exported chart.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureEvent {
    /// Date as a decimal year.
    pub x: f64,
    /// The event's label.
    pub label: String,
    /// Its colour (by kind, as on screen).
    pub rgb: [u8; 3],
}

/// Where a chart draws the plan's targets: (first x, last x, level) in plot coordinates.
/// Dependency from its month to the end; the capex budget across the horizon.
pub fn target_lines(
    kind: ChartKind,
    targets: &crate::model::Targets,
    results: &Results,
) -> Vec<(f64, f64, f64)> {
    let (Some(first), Some(last)) = (results.time.first(), results.time.last()) else {
        return Vec::new();
    };
    let end = last + results.step_months / 12.0;
    let mut out = Vec::new();
    match kind {
        ChartKind::Dependency => {
            if let Some(d) = targets.dependency {
                out.push((
                    d.from.decimal_year().max(*first),
                    end,
                    kind.to_plot(d.at_most.0 * kind.scale()),
                ));
            }
        }
        ChartKind::CumulativeCapex => {
            if let Some(budget) = targets.capex_budget {
                out.push((*first, end, kind.to_plot(budget * 1e9 * kind.scale())));
            }
        }
        _ => {}
    }
    out
}

/// The plan's targets on the charts that show them (dashed, in the colour of a miss), as on
/// screen; delta charts get none.
pub fn add_targets(figure: &mut Figure, targets: &crate::model::Targets, results: &Results) {
    let palette = export_palette();
    for chart in figure.charts.iter_mut().filter(|c| !c.delta) {
        let kind = chart.kind;
        chart.series.extend(
            target_lines(kind, targets, results)
                .into_iter()
                .map(|(x0, x1, y)| target_series(x0, x1, kind.from_plot(y), &palette)),
        );
    }
}

/// A target as a file draws it: a dashed level from `x0` to `x1`, in the shown unit.
pub fn target_series(x0: f64, x1: f64, level: f64, palette: &Palette) -> FigureSeries {
    FigureSeries {
        name: TARGET_LABEL.into(),
        rgb: rgb(palette.worse),
        width: 2.0,
        dashed: true,
        points: vec![(x0, level), (x1, level)],
    }
}

/// The legend name of a target line.
pub const TARGET_LABEL: &str = "Target";

/// The scenario's policy events for every chart of a figure, coloured as on screen.
pub fn add_events(figure: &mut Figure, events: &[crate::model::PolicyEvent]) {
    let events = figure_events(events, &export_palette());
    for chart in &mut figure.charts {
        chart.events.clone_from(&events);
    }
}

/// The observed record for every chart of a figure, as the window shows it: the built-in
/// 2024-2025 figures that fall between `first` and `last`, and the document's own record.
/// Delta charts get none (their unit is a difference).
pub fn add_observed(figure: &mut Figure, record: &Record, first: YearMonth, last: YearMonth) {
    let palette = export_palette();
    for chart in figure.charts.iter_mut().filter(|c| !c.delta) {
        chart.observed = figure_observed(
            observed::for_chart(chart.kind, record, first, last),
            &palette,
        );
    }
}

/// Policy events as a chart draws them, coloured by kind.
pub fn figure_events(events: &[crate::model::PolicyEvent], palette: &Palette) -> Vec<FigureEvent> {
    events
        .iter()
        .map(|e| FigureEvent {
            x: e.date.decimal_year(),
            label: e.label.clone(),
            rgb: rgb(palette.event(e.kind)),
        })
        .collect()
}

/// Observed series as a chart draws them, coloured in the order given.
pub fn figure_observed<'a>(
    series: impl IntoIterator<Item = &'a crate::scenario::record::ObservedSeries>,
    palette: &Palette,
) -> Vec<FigureObserved> {
    series
        .into_iter()
        .enumerate()
        .map(|(i, s)| FigureObserved {
            name: s.name.clone(),
            rgb: rgb(palette.observed(i)),
            points: s
                .points
                .iter()
                .map(|p| (p.date.decimal_year(), p.low, p.high))
                .collect(),
        })
        .collect()
}

/// The Monte Carlo bands for every chart that has them on screen (aggregate cost,
/// dependency, shortfall); delta charts get none.
pub fn add_bands(figure: &mut Figure, bands: &Bands) {
    for chart in figure.charts.iter_mut().filter(|c| !c.delta) {
        let Some(band) = chart.kind.banded_series().and_then(|id| bands.band(id)) else {
            continue;
        };
        let scale = chart.kind.scale();
        let shown = |v: &[f64]| v.iter().map(|y| y * scale).collect::<Vec<_>>();
        chart.band = Some(FigureBand {
            x: bands.time.clone(),
            percentiles: [
                shown(&band.p10),
                shown(&band.p25),
                shown(&band.p50),
                shown(&band.p75),
                shown(&band.p90),
            ],
            paths: bands.paths,
        });
    }
}

impl FigureChart {
    /// Title with the unit, as on screen.
    pub fn title(&self) -> String {
        if self.delta {
            format!(
                "{}: difference from baseline ({})",
                self.kind.title(),
                self.kind.delta_unit()
            )
        } else {
            format!("{} ({})", self.kind.title(), self.kind.unit())
        }
    }

    fn log(&self) -> bool {
        self.kind.log_scale() && !self.delta
    }

    fn to_plot(&self, v: f64) -> f64 {
        if self.log() { self.kind.to_plot(v) } else { v }
    }
}

/// Charts stacked on one time axis, with a footer naming the scenario and the date.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The charts, top to bottom.
    pub charts: Vec<FigureChart>,
    /// Line under the charts naming the scenario and the date.
    pub footer: String,
}

fn rgb(c: ecolor::Color32) -> [u8; 3] {
    [c.r(), c.g(), c.b()]
}

/// The palette exports draw with.
pub fn export_palette() -> Palette {
    theme::palette(ThemeChoice::Light)
}

fn values(
    results: &Results,
    kind: ChartKind,
    pick: impl Fn(&Results) -> &[f64],
) -> Vec<(f64, f64)> {
    let scale = kind.scale();
    results
        .time
        .iter()
        .zip(pick(results))
        .map(|(&x, &y)| (x, y * scale))
        .collect()
}

/// One line per material plus the bold aggregate, in the shown unit.
pub fn scenario_series(results: &Results, kind: ChartKind, palette: &Palette) -> Vec<FigureSeries> {
    let id = kind.series();
    let mut out: Vec<FigureSeries> = results
        .materials
        .iter()
        .enumerate()
        .map(|(i, m)| FigureSeries {
            name: m.name.clone(),
            rgb: rgb(palette.material(i)),
            width: f64::from(theme::MATERIAL_WIDTH),
            dashed: false,
            points: values(results, kind, |r| r.materials[i].series.get(id)),
        })
        .collect();
    out.push(FigureSeries {
        name: crate::display::names::TOTAL_LABEL.to_string(),
        rgb: rgb(palette.total),
        width: f64::from(theme::TOTAL_WIDTH),
        dashed: false,
        points: values(results, kind, |r| r.total.get(id)),
    });
    out
}

/// The aggregate line of a run under a given name and colour (pinned scenarios, baselines).
pub fn total_series(
    name: &str,
    results: &Results,
    kind: ChartKind,
    rgb: [u8; 3],
    dashed: bool,
) -> FigureSeries {
    FigureSeries {
        name: name.to_string(),
        rgb,
        width: f64::from(theme::TOTAL_WIDTH) - 0.8,
        dashed,
        points: values(results, kind, |r| r.total.get(kind.series())),
    }
}

/// `current - baseline` of the aggregate, point by point over their common months.
pub fn delta_points(current: &Results, baseline: &Results, kind: ChartKind) -> Vec<(f64, f64)> {
    let id = kind.series();
    let scale = kind.scale();
    let total = |r: &Results| -> Vec<(f64, f64)> {
        r.time
            .iter()
            .zip(r.total.get(id))
            .map(|(&t, &v)| (t, v * scale))
            .collect()
    };
    difference_by_time(&total(current), &total(baseline))
}

/// A figure of one scenario: its lines on each chart, the baseline's aggregate dashed when
/// there is one, and its annotations.
pub fn scenario_figure(
    name: &str,
    results: &Results,
    baseline: Option<(&str, &Results)>,
    charts: &[ChartKind],
    notes: &[(ChartKind, f64, String)],
    date: &str,
) -> Figure {
    let palette = export_palette();
    let charts = charts
        .iter()
        .map(|&kind| {
            let mut series = Vec::new();
            if let Some((base_name, base)) = baseline {
                series.push(total_series(
                    &format!("Baseline: {base_name}"),
                    base,
                    kind,
                    rgb(palette.ghost(palette.total)),
                    true,
                ));
            }
            series.extend(scenario_series(results, kind, &palette));
            FigureChart {
                kind,
                delta: false,
                series,
                notes: notes
                    .iter()
                    .filter(|(k, _, _)| *k == kind)
                    .map(|(_, x, text)| FigureNote {
                        x: *x,
                        text: text.clone(),
                    })
                    .collect(),
                events: Vec::new(),
                observed: Vec::new(),
                band: None,
            }
        })
        .collect();
    Figure {
        charts,
        footer: footer(name, date),
    }
}

/// The name the reference run goes by when a file names no baseline: the same scenario
/// with no controls and no diversification capex (`Scenario::reference`).
pub const NO_CONTROLS: &str = "no controls";

/// A scenario file's figure as the window shows it by default, for `lodestone export` and
/// the board pack: its lines, the reference run dashed (the baseline, else the scenario with
/// no controls, as on screen), its annotations, policy events, the observed record and, with
/// `with_bands`, the Monte Carlo bands of its own uncertainty.
pub fn document_figure(
    name: &str,
    doc: &Document,
    results: &Results,
    baseline: Option<(&str, &Results)>,
    charts: &[ChartKind],
    date: &str,
    with_bands: bool,
) -> Figure {
    let notes: Vec<(ChartKind, f64, String)> = doc
        .annotations
        .iter()
        .map(|a| (a.chart, a.date.decimal_year(), a.text.clone()))
        .collect();
    let calm;
    let reference = match baseline {
        Some(b) => b,
        None => {
            calm = simulate(&doc.scenario.reference());
            (NO_CONTROLS, &calm)
        }
    };
    let mut figure = scenario_figure(name, results, Some(reference), charts, &notes, date);
    add_events(&mut figure, &doc.scenario.events);
    add_targets(&mut figure, &doc.targets, results);
    if let (Some(first), Some(last)) = (results.dates.first(), results.dates.last()) {
        add_observed(&mut figure, &doc.record, *first, *last);
    }
    if with_bands
        && let Some(bands) = monte_carlo(&doc.scenario, &doc.scenario.uncertainty, &|| false)
    {
        add_bands(&mut figure, &bands);
    }
    figure
}

/// The footer line: what, when, and which model made the figures.
pub fn footer(name: &str, date: &str) -> String {
    format!(
        "Lodestone · {name} · {date} · model {}",
        crate::scenario::stamp::model_version()
    )
}

/// Draws a figure onto any plotters area. `scale` multiplies fonts and line widths (PNG at
/// 2x for projectors).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    scale: f64,
) -> Result<(), RenderError> {
    ensure_font();
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| RenderError::Draw(e.to_string());
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    let font = |size: f64| (FONT, size * scale).into_font();
    root.fill(&WHITE).map_err(err)?;
    let (_, height) = root.dim_in_pixel();
    let footer_h = px(28.0);
    let (main, foot) = root.split_vertically(height.saturating_sub(footer_h));
    foot.draw(&Text::new(
        figure.footer.clone(),
        (px(10.0) as i32, px(6.0) as i32),
        font(13.0).color(&RGBColor(80, 80, 80)),
    ))
    .map_err(err)?;
    let n = figure.charts.len().max(1);
    let areas = main.split_evenly((n, 1));
    for (area, chart) in areas.iter().zip(&figure.charts) {
        draw_chart(area, chart, scale)?;
    }
    root.present().map_err(err)
}

fn bounds(chart: &FigureChart) -> (f64, f64, f64, f64) {
    let mut x = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y = (f64::INFINITY, f64::NEG_INFINITY);
    for s in &chart.series {
        for &(px, py) in &s.points {
            let py = chart.to_plot(py);
            if px.is_finite() && py.is_finite() {
                x = (x.0.min(px), x.1.max(px));
                y = (y.0.min(py), y.1.max(py));
            }
        }
    }
    for o in &chart.observed {
        for &(px, low, high) in &o.points {
            for py in [chart.to_plot(low), chart.to_plot(high)] {
                if px.is_finite() && py.is_finite() {
                    x = (x.0.min(px), x.1.max(px));
                    y = (y.0.min(py), y.1.max(py));
                }
            }
        }
    }
    if let Some(band) = &chart.band {
        for (i, &px) in band.x.iter().enumerate() {
            for p in [&band.percentiles[0], &band.percentiles[4]] {
                let py = p.get(i).map_or(f64::NAN, |&v| chart.to_plot(v));
                if px.is_finite() && py.is_finite() {
                    x = (x.0.min(px), x.1.max(px));
                    y = (y.0.min(py), y.1.max(py));
                }
            }
        }
    }
    if !x.0.is_finite() {
        x = (2024.0, 2041.0);
    }
    if !y.0.is_finite() {
        y = (0.0, 1.0);
    }
    // Same anchors as the window: linear charts from zero, dependency 0-100 %.
    if !chart.log() {
        y = (y.0.min(0.0), y.1.max(0.0));
        // A flat line (all zero: no shortfall) gets a unit-high axis, not one a billionth
        // high whose ticks all read "0".
        if y.1 - y.0 < 1e-9 {
            y.1 = y.0 + 1.0;
        }
    }
    if chart.kind == ChartKind::Dependency && !chart.delta {
        y = (0.0, y.1.max(100.0));
    }
    let pad = ((y.1 - y.0) * 0.06).max(1e-9);
    let x1 = if x.1 > x.0 { x.1 } else { x.0 + 1.0 };
    (
        x.0,
        x1,
        y.0 - if chart.log() { pad } else { 0.0 },
        y.1 + pad,
    )
}

fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &FigureChart,
    scale: f64,
) -> Result<(), RenderError> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| RenderError::Draw(e.to_string());
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    let font = |size: f64| (FONT, size * scale).into_font();
    let (x0, x1, y0, y1) = bounds(chart);
    // The legend gets a column of its own at the right, so it never covers a line.
    let (width, _) = area.dim_in_pixel();
    let legend_w = (f64::from(width) * 0.2).clamp(px(120.0) as f64, px(260.0) as f64) as u32;
    let (plot_area, legend_area) = area.split_horizontally(width.saturating_sub(legend_w));
    let area = &plot_area;
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(chart.title(), font(17.0))
        .margin(px(10.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(70.0));
    let kind = chart.kind;
    let mut ctx = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(err)?;
    let x_fmt = |x: &f64| format!("{:.0}", x.floor());
    // The value axis's grid and labels are drawn by hand below: plotters spaces ticks evenly
    // in plot coordinates, which on a log axis reads 3981, 2512, 1585.
    ctx.configure_mesh()
        .x_labels(((x1 - x0).ceil() as usize).clamp(2, 20))
        .y_labels(0)
        .disable_y_mesh()
        .x_label_formatter(&x_fmt)
        .y_desc(if chart.delta {
            kind.delta_unit()
        } else {
            kind.unit()
        })
        .label_style(font(12.0))
        .axis_desc_style(font(13.0))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .draw()
        .map_err(err)?;
    let (base_x, base_y) = area.get_base_pixel();
    let label_style = TextStyle::from(font(12.0))
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (tick, label) in tick_labels(chart, y0, y1) {
        ctx.draw_series(std::iter::once(PathElement::new(
            vec![(x0, tick), (x1, tick)],
            RGBColor(215, 215, 215).stroke_width(1),
        )))
        .map_err(err)?;
        let (bx, by) = ctx.backend_coord(&(x0, tick));
        area.draw(&Text::new(
            label,
            (bx - base_x - px(6.0) as i32, by - base_y),
            label_style.clone(),
        ))
        .map_err(err)?;
    }
    if let Some(band) = &chart.band {
        draw_band(&mut ctx, chart, band, scale)?;
    }
    for s in &chart.series {
        let color = RGBColor(s.rgb[0], s.rgb[1], s.rgb[2]);
        let style = color.stroke_width(px(s.width));
        let points: Vec<(f64, f64)> = s
            .points
            .iter()
            .map(|&(x, y)| (x, chart.to_plot(y)))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        if s.dashed {
            ctx.draw_series(DashedLineSeries::new(points, px(6.0), px(4.0), style))
                .map_err(err)?;
        } else {
            ctx.draw_series(LineSeries::new(points, style))
                .map_err(err)?;
        }
    }
    // Event labels staggered in rows from the bottom; one that would still overprint
    // another is left off (its dashed line stays).
    let label_font = font(11.0);
    let spans: Vec<(f64, f64)> = chart
        .events
        .iter()
        .map(|e| {
            let left = f64::from(ctx.backend_coord(&(e.x, y0)).0);
            let width = area
                .estimate_text_size(&e.label, &TextStyle::from(label_font.clone()))
                .map_or(0.0, |(w, _)| f64::from(w));
            (left, width)
        })
        .collect();
    let rows = label_rows(&spans, 3, 6.0 * scale);
    for (event, row) in chart.events.iter().zip(rows) {
        if !(x0..=x1).contains(&event.x) {
            continue;
        }
        let color = RGBColor(event.rgb[0], event.rgb[1], event.rgb[2]);
        ctx.draw_series(DashedLineSeries::new(
            vec![(event.x, y0), (event.x, y1)],
            px(3.0),
            px(3.0),
            color.stroke_width(px(1.0)),
        ))
        .map_err(err)?;
        if kind == ChartKind::Dependency
            && !chart.delta
            && let Some(row) = row
        {
            let row = row as f64;
            ctx.draw_series(std::iter::once(Text::new(
                event.label.clone(),
                (event.x, y0 + (y1 - y0) * (0.05 + 0.07 * row)),
                font(11.0).color(&color),
            )))
            .map_err(err)?;
        }
    }
    // The marker's half-size in data units, so it is a true diamond of 4.5 px on any axis.
    let (plot_w, plot_h) = ctx.plotting_area().dim_in_pixel();
    let radius = 4.5 * scale;
    let rx = (x1 - x0) * radius / f64::from(plot_w.max(1));
    let ry = (y1 - y0) * radius / f64::from(plot_h.max(1));
    for o in &chart.observed {
        let color = RGBColor(o.rgb[0], o.rgb[1], o.rgb[2]);
        for &(x, low, high) in &o.points {
            let (low, high) = (chart.to_plot(low), chart.to_plot(high));
            if !(x0..=x1).contains(&x) || !low.is_finite() || !high.is_finite() {
                continue;
            }
            if high != low {
                ctx.draw_series(std::iter::once(PathElement::new(
                    vec![(x, low), (x, high)],
                    color.stroke_width(px(2.0)),
                )))
                .map_err(err)?;
            }
            for y in [low, high] {
                ctx.draw_series(std::iter::once(Polygon::new(
                    diamond(x, y, rx, ry),
                    color.filled(),
                )))
                .map_err(err)?;
            }
        }
    }
    for note in &chart.notes {
        if !(x0..=x1).contains(&note.x) {
            continue;
        }
        let color = RGBColor(90, 90, 90);
        ctx.draw_series(std::iter::once(PathElement::new(
            vec![(note.x, y0), (note.x, y1)],
            color.stroke_width(px(1.0)),
        )))
        .map_err(err)?;
        ctx.draw_series(std::iter::once(Text::new(
            note.text.clone(),
            (note.x, y1 - (y1 - y0) * 0.04),
            font(12.0).color(&color),
        )))
        .map_err(err)?;
    }
    draw_legend(&legend_area, chart, scale)
}

/// Fill of the P10-P90 band on white: the aggregate's near-black, faint.
const BAND_OUTER: RGBAColor = RGBAColor(16, 16, 16, 0.10);
/// Fill of the P25-P75 band, drawn over the outer one (the two add up, as on screen).
const BAND_INNER: RGBAColor = RGBAColor(16, 16, 16, 0.14);
/// The dashed median.
const BAND_MEDIAN: RGBColor = RGBColor(120, 120, 120);

/// The percentile bands behind the lines: P10-P90 and P25-P75 filled, the median dashed.
fn draw_band<DB: DrawingBackend, X, Y>(
    ctx: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    chart: &FigureChart,
    band: &FigureBand,
    scale: f64,
) -> Result<(), RenderError>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| RenderError::Draw(e.to_string());
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    let points = |p: &[f64]| -> Vec<(f64, f64)> {
        band.x
            .iter()
            .zip(p)
            .map(|(&x, &y)| (x, chart.to_plot(y)))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect()
    };
    let [p10, p25, p50, p75, p90] = &band.percentiles;
    for (low, high, fill) in [(p10, p90, BAND_OUTER), (p25, p75, BAND_INNER)] {
        let mut outline = points(low);
        outline.extend(points(high).into_iter().rev());
        if outline.len() > 2 {
            ctx.draw_series(std::iter::once(Polygon::new(outline, fill.filled())))
                .map_err(err)?;
        }
    }
    ctx.draw_series(DashedLineSeries::new(
        points(p50),
        px(4.0),
        px(3.0),
        BAND_MEDIAN.stroke_width(px(1.0)),
    ))
    .map_err(err)?;
    Ok(())
}

/// Value-axis ticks in plot coordinates (`display::axis`: 1-2-5 steps on a log axis, round
/// linear steps otherwise, about six).
fn value_ticks(chart: &FigureChart, y0: f64, y1: f64) -> Vec<f64> {
    if chart.log() {
        let (low, high) = (chart.kind.from_plot(y0), chart.kind.from_plot(y1));
        return axis::log_ticks(low, high)
            .into_iter()
            .map(|v| chart.kind.to_plot(v))
            .collect();
    }
    let (ticks, _) = axis::linear_ticks(y0, y1, 6.0);
    if ticks.is_empty() { vec![y0] } else { ticks }
}

/// Rows for labels that start at `left` and are `width` wide (pixels; in any order), so that
/// no two in one row overlap: each takes the lowest of `rows` rows where it clears the label
/// before it by `gap`, or `None` (left off: an overprinted label reads as neither). The
/// window and the exports place their event labels with it.
pub fn label_rows(spans: &[(f64, f64)], rows: usize, gap: f64) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&a, &b| spans[a].0.total_cmp(&spans[b].0));
    let mut ends = vec![f64::NEG_INFINITY; rows];
    let mut out = vec![None; spans.len()];
    for i in order {
        let (left, width) = spans[i];
        if let Some(row) = ends.iter().position(|end| *end + gap <= left) {
            ends[row] = left + width;
            out[i] = Some(row);
        }
    }
    out
}

/// The value axis's ticks with their labels: the usual short form, unless two ticks would
/// read the same ("0.0, 0, 0" on a flat chart), then with as many decimals as the step needs.
fn tick_labels(chart: &FigureChart, y0: f64, y1: f64) -> Vec<(f64, String)> {
    let ticks = value_ticks(chart, y0, y1);
    let value = |t: f64| {
        let v = if chart.log() {
            chart.kind.from_plot(t)
        } else {
            t
        };
        // No "-0" from a rounding error just below zero.
        if v.abs() < 1e-12 { 0.0 } else { v }
    };
    let short: Vec<String> = ticks.iter().map(|&t| format::tick(value(t))).collect();
    let distinct = short
        .iter()
        .enumerate()
        .all(|(i, a)| !short[..i].contains(a));
    if distinct {
        return ticks.into_iter().zip(short).collect();
    }
    let step = ticks
        .windows(2)
        .map(|w| (value(w[1]) - value(w[0])).abs())
        .filter(|d| *d > 0.0)
        .fold(f64::INFINITY, f64::min);
    let decimals = if step.is_finite() {
        (-step.log10().floor()).clamp(0.0, 9.0) as usize
    } else {
        0
    };
    ticks
        .into_iter()
        .map(|t| (t, format!("{:.decimals$}", value(t))))
        .collect()
}

/// The legend in its own column: a sample of each line (dashed where the line is), of each
/// observed series and of the bands, and its name, wrapped to the column's width; top-aligned
/// with the plot.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &FigureChart,
    scale: f64,
) -> Result<(), RenderError> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| RenderError::Draw(e.to_string());
    let px = |v: f64| (v * scale).round() as i32;
    let font = (FONT, 12.0 * scale).into_font();
    let sample = px(22.0);
    let x = px(6.0);
    let text_x = x + sample + px(6.0);
    let (width, _) = area.dim_in_pixel();
    let text_w = (width as i32 - text_x - px(4.0)).max(px(40.0)) as u32;
    let line_h = px(14.0);
    let mut y = px(40.0);
    // Writes an entry's name (wrapped) and moves `y` past it.
    let name = |y: &mut i32, text: &str| -> Result<(), RenderError> {
        // Measured as plotters draws it (its scale is the font's height, not its em).
        let style = TextStyle::from(font.clone());
        let measure = |t: &str| {
            area.estimate_text_size(t, &style)
                .map_or(0.0, |(w, _)| w as f32)
        };
        let mut lines = super::text::wrap(text, text_w as f32, measure);
        if lines.is_empty() {
            lines.push(String::new());
        }
        for (k, line) in lines.iter().enumerate() {
            area.draw(&Text::new(
                line.clone(),
                (text_x, *y - px(7.0) + k as i32 * line_h),
                font.clone().color(&RGBColor(40, 40, 40)),
            ))
            .map_err(err)?;
        }
        *y += (lines.len() as i32 - 1) * line_h;
        *y += px(18.0);
        Ok(())
    };
    for s in &chart.series {
        let color = RGBColor(s.rgb[0], s.rgb[1], s.rgb[2]);
        let style = color.stroke_width((s.width * scale).round().max(1.0) as u32);
        if s.dashed {
            let third = sample / 3;
            area.draw(&PathElement::new(vec![(x, y), (x + third, y)], style))
                .map_err(err)?;
            area.draw(&PathElement::new(
                vec![(x + 2 * third, y), (x + sample, y)],
                style,
            ))
            .map_err(err)?;
        } else {
            area.draw(&PathElement::new(vec![(x, y), (x + sample, y)], style))
                .map_err(err)?;
        }
        name(&mut y, &s.name)?;
    }
    if let Some(band) = &chart.band {
        let half = px(5.0);
        area.draw(&Rectangle::new(
            [(x, y - half), (x + sample, y + half)],
            BAND_OUTER.filled(),
        ))
        .map_err(err)?;
        area.draw(&Rectangle::new(
            [(x + sample / 4, y - half), (x + 3 * sample / 4, y + half)],
            BAND_INNER.filled(),
        ))
        .map_err(err)?;
        name(
            &mut y,
            &format!(
                "Uncertainty: P10-P90, P25-P75 of {} paths (dashed: median)",
                band.paths
            ),
        )?;
    }
    for o in &chart.observed {
        let color = RGBColor(o.rgb[0], o.rgb[1], o.rgb[2]);
        let r = px(4.5);
        area.draw(&Polygon::new(
            diamond(x + sample / 2, y, r, r),
            color.filled(),
        ))
        .map_err(err)?;
        name(&mut y, &o.name)?;
    }
    Ok(())
}

/// The corners of a diamond `rx` wide and `ry` high (half-sizes) around (x, y), in whatever
/// units the caller draws in.
fn diamond<T>(x: T, y: T, rx: T, ry: T) -> Vec<(T, T)>
where
    T: Copy + std::ops::Add<Output = T> + std::ops::Sub<Output = T>,
{
    vec![(x, y - ry), (x + rx, y), (x, y + ry), (x - rx, y)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(kind: ChartKind) -> FigureChart {
        FigureChart {
            kind,
            delta: false,
            series: Vec::new(),
            notes: Vec::new(),
            events: Vec::new(),
            observed: Vec::new(),
            band: None,
        }
    }

    #[test]
    fn log_ticks_step_one_two_five_within_a_few_decades() {
        let c = chart(ChartKind::Cost);
        let ticks: Vec<f64> = value_ticks(&c, 15f64.log10(), 2_500f64.log10())
            .into_iter()
            .map(|t| (10f64.powf(t) * 1e6).round() / 1e6)
            .collect();
        assert_eq!(ticks, [20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0]);
        // Over more than four decades only the decades are labelled.
        let wide = value_ticks(&c, 0.5f64.log10(), 200_000f64.log10());
        assert_eq!(wide, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    }

    #[test]
    fn linear_ticks_are_round_steps_inside_the_range() {
        let c = chart(ChartKind::Dependency);
        assert_eq!(
            value_ticks(&c, 0.0, 106.0),
            [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
    }

    /// An all-zero chart (no shortfall) gets distinct, readable ticks, not "0.0, 0, 0".
    #[test]
    fn a_flat_zero_chart_gets_distinct_ticks() {
        let mut c = chart(ChartKind::Shortfall);
        c.series.push(FigureSeries {
            name: "Total".into(),
            rgb: [0, 0, 0],
            width: 1.0,
            dashed: false,
            points: (0..24)
                .map(|i| (2024.0 + f64::from(i) / 12.0, 0.0))
                .collect(),
        });
        let (_, _, y0, y1) = bounds(&c);
        let labels: Vec<String> = tick_labels(&c, y0, y1).into_iter().map(|t| t.1).collect();
        assert!(labels.len() >= 2, "{labels:?}");
        for (i, a) in labels.iter().enumerate() {
            assert!(!labels[..i].contains(a), "repeated tick {a}: {labels:?}");
        }
        assert!(
            !labels.iter().any(|l| l == "0.0" || l == "-0"),
            "{labels:?}"
        );
        // Fine steps keep their decimals rather than repeat.
        let labels: Vec<String> = tick_labels(&c, 0.0, 0.3).into_iter().map(|t| t.1).collect();
        for (i, a) in labels.iter().enumerate() {
            assert!(!labels[..i].contains(a), "repeated tick {a}: {labels:?}");
        }
    }

    /// Labels of close dates never overprint: each is in a row clear of the one before it,
    /// or left off.
    #[test]
    fn close_labels_are_staggered_or_left_off() {
        let spans = [
            (100.0, 80.0),
            (110.0, 60.0),
            (120.0, 90.0),
            (130.0, 40.0),
            (300.0, 50.0),
        ];
        let rows = label_rows(&spans, 3, 4.0);
        assert_eq!(rows, [Some(0), Some(1), Some(2), None, Some(0)]);
        for (i, a) in spans.iter().enumerate() {
            for (j, b) in spans.iter().enumerate().skip(i + 1) {
                if rows[i].is_some() && rows[i] == rows[j] {
                    assert!(a.0 + a.1 <= b.0 || b.0 + b.1 <= a.0, "{i} and {j} overlap");
                }
            }
        }
    }
}
