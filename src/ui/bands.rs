//! Uncertainty bands on the charts: the P10-P90 and P25-P75 fills and the dashed median behind
//! the aggregate line, plus the row above the charts with the on/off switch and the readout
//! (chance of a shortfall, spread of the peak cost, number of paths, "computing…" while the
//! worker runs). Drawing only: the bands come from `crate::app::analysis`, and only the bands
//! of the scenario on screen are ever drawn.

use super::theme::Palette;
use crate::app::analysis::{BandsOutput, PlotBand};
use crate::app::{AppState, Command};
use crate::display::format;
use egui::{RichText, Ui};
use egui_plot::{FilledArea, Line, LineStyle, PlotPoints, PlotUi};

/// The bands of the active scenario as it is now (`None` while they are being computed).
pub fn shown_bands(state: &AppState) -> Option<&BandsOutput> {
    state.bands().map(|done| &done.value)
}

/// Draws a chart's bands; call before the lines so they sit behind them.
pub fn draw_band(plot_ui: &mut PlotUi<'_>, band: &PlotBand, palette: &Palette) {
    if !band.is_consistent() {
        return;
    }
    plot_ui.add(
        FilledArea::new("P10-P90", &band.x, &band.p10, &band.p90)
            .fill_color(palette.band_outer())
            .allow_hover(false),
    );
    plot_ui.add(
        FilledArea::new("P25-P75", &band.x, &band.p25, &band.p75)
            .fill_color(palette.band_inner())
            .allow_hover(false),
    );
    let median: PlotPoints<'_> = band
        .x
        .iter()
        .zip(&band.p50)
        .map(|(&x, &y)| [x, y])
        .collect();
    plot_ui.line(
        Line::new("Median of the paths (P50)", median)
            .color(palette.band_median())
            .style(LineStyle::dashed_dense())
            .width(1.2),
    );
}

/// The switch and the readout, one row above the charts.
pub fn bands_row_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    let mut view = state.view.clone();
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut view.show_bands, "Uncertainty bands")
            .on_hover_text(
                "P10-P90 (light) and P25-P75 (darker) of many model runs with the scenario's \
                 uncertain inputs drawn at random: price spikes, licensing lag, permitting \
                 delay, demand growth, learning rate. Computed in the background.",
            );
        if !state.view.show_bands {
            return;
        }
        if let Some(failure) = state.bands_failure() {
            ui.label(
                RichText::new(format!("bands failed: {failure}"))
                    .small()
                    .color(palette.error),
            );
            return;
        }
        let Some(done) = state.bands() else {
            // Static text, not a spinner: a spinner repaints every frame, while the worker
            // wakes the window itself when the answer arrives.
            ui.label(RichText::new("computing…").small().weak());
            return;
        };
        let b = &done.value.bands;
        let small = |text: String| RichText::new(text).small();
        ui.label(small(format!(
            "P(shortfall ≥ 1 month): {:.0} %",
            b.shortfall_probability * 100.0
        )))
        .on_hover_text(
            "Share of the paths in which the aggregate shortfall exceeds the scenario's \
             shortfall threshold in at least one month",
        );
        ui.separator();
        ui.label(small(format!(
            "peak cost P10/P50/P90: {} / {} / {} $/kg",
            format::value(b.peak_cost_percentile(10.0)),
            format::value(b.peak_cost_percentile(50.0)),
            format::value(b.peak_cost_percentile(90.0)),
        )))
        .on_hover_text("Distribution of each path's highest monthly aggregate cost");
        let deterministic = state.active().run.results.headline.peak_cost_usd_per_kg;
        if deterministic < b.peak_cost_percentile(10.0) {
            // Not a bug, and readers take it for one without a word.
            ui.label(small("(why above the line?)".into()).weak())
                .on_hover_text(
                    "The line is the expected path: it carries the expected markup of price \
                     spikes spread over every month. Each Monte Carlo path draws whole spikes \
                     in the months they hit, so even a calm path's highest month is above the \
                     expected path's peak.",
                );
        }
        ui.separator();
        ui.label(
            small(format!(
                "{} paths · {:.0} ms",
                format::grouped(b.paths as f64, 0),
                done.compute_time.as_secs_f64() * 1e3
            ))
            .weak(),
        )
        .on_hover_text(format!(
            "Seed {} (same seed, same bands). Shown {:.0} ms after the last change.",
            state.active().doc.scenario.uncertainty.seed,
            done.latency.as_secs_f64() * 1e3
        ));
    });
    if view != state.view {
        commands.push(Command::SetView(view));
    }
}
