//! Exports from the window and the clipboard: what to write is decided here on the UI
//! thread (cheap: owned figure data and strings), the rendering and the write happen on a
//! background thread through [`super::io::Io::write_file`]. Pasting a scenario validates the
//! text exactly like a file.

use super::{AppState, ChartKind, LoadProblem};
use crate::output::figure::{
    Figure, FigureChart, FigureNote, delta_points, export_palette, footer, scenario_series,
    total_series,
};
use crate::output::table::{table_csv, table_markdown};
use crate::output::{data, png, svg};
use crate::scenario::load_str;
use std::path::PathBuf;

/// What to export.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportWhat {
    /// The charts as an SVG (vector, for slides).
    ChartsSvg,
    /// Offscreen bitmap at this pixel scale (2 or 3 for projectors).
    ChartsPng {
        /// Scale of the default figure size in pixels (1 = as on screen, 2 or 3 for projectors).
        scale: f32,
    },
    /// Every series of the active scenario, tidy CSV (the columns of `run --csv`).
    SeriesCsv,
    /// The side-by-side headline table of the active and pinned scenarios.
    TableCsv,
    /// The same table as Markdown.
    TableMarkdown,
}

/// An export and where it goes (`None`: a name in `exports/` beside the scenario file).
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRequest {
    /// What to write.
    pub what: ExportWhat,
    /// The file to write; `None` for a name in `exports/` beside the scenario file.
    pub path: Option<PathBuf>,
}

impl ExportWhat {
    /// The end of the default file name; a PNG names its scale, so a 2x export never
    /// overwrites the 1x one.
    fn suffix(&self) -> String {
        match self {
            ExportWhat::ChartsSvg => "charts.svg".into(),
            ExportWhat::ChartsPng { scale } if (*scale - 1.0).abs() < 1e-3 => "charts.png".into(),
            ExportWhat::ChartsPng { scale } => format!("charts@{scale}x.png"),
            ExportWhat::SeriesCsv => "series.csv".into(),
            ExportWhat::TableCsv => "compare.csv".into(),
            ExportWhat::TableMarkdown => "compare.md".into(),
        }
    }
}

fn rgb(c: egui::Color32) -> [u8; 3] {
    [c.r(), c.g(), c.b()]
}

impl AppState {
    /// The charts as shown (same three charts, delta view, pins, annotations) as a figure.
    pub fn figure(&self) -> Figure {
        let palette = export_palette();
        let active = self.active();
        let reference = self.reference_run();
        let reference_name = self
            .baseline()
            .map(|b| b.display_name())
            .unwrap_or_else(|| "no controls".into());
        let charts = self
            .view
            .charts()
            .into_iter()
            .map(|kind| self.figure_chart(kind, &palette, &reference_name, reference))
            .collect();
        let mut figure = Figure {
            charts,
            footer: footer(&active.display_name(), &self.today()),
        };
        // Events as the charts show them (View > Policy events), outside the delta view too.
        if self.view.show_events {
            crate::output::figure::add_events(&mut figure, &active.doc.scenario.events);
        }
        // Observed figures as the charts show them (View > Observed data).
        let run = &active.run.results;
        if self.view.show_observed
            && let (Some(first), Some(last)) = (run.dates.first(), run.dates.last())
        {
            crate::output::figure::add_observed(&mut figure, &active.doc.record, *first, *last);
        }
        // The bands as the charts show them, once computed for the scenario as it is now.
        if self.view.show_bands
            && !self.compare.delta
            && self.view.is_shown(crate::display::names::TOTAL_KEY)
            && let Some(done) = self.analysis.bands_for(&active.doc.scenario)
        {
            crate::output::figure::add_bands(&mut figure, &done.value.bands);
        }
        figure
    }

    fn figure_chart(
        &self,
        kind: ChartKind,
        palette: &crate::display::palette::Palette,
        reference_name: &str,
        reference: &super::Run,
    ) -> FigureChart {
        let active = self.active();
        let delta = self.compare.delta;
        let mut series = Vec::new();
        if delta {
            let mut s = total_series(
                &format!("{} minus {reference_name}", active.display_name()),
                &active.run.results,
                kind,
                rgb(palette.total),
                false,
            );
            s.points = delta_points(&active.run.results, &reference.results, kind);
            series.push(s);
        } else {
            // The lines the charts show: a material or the aggregate hidden on screen is
            // left out of the file too, the aggregate's baseline with it.
            let total_shown = self.view.is_shown(crate::display::names::TOTAL_KEY);
            if total_shown {
                series.push(total_series(
                    &format!("Baseline: {reference_name}"),
                    &reference.results,
                    kind,
                    rgb(palette.ghost(palette.total)),
                    true,
                ));
            }
            let ids = active.run.results.materials.iter().map(|m| m.id.as_str());
            let shown = ids
                .map(|id| self.view.is_shown(id))
                .chain(std::iter::once(total_shown));
            let lines = scenario_series(&active.run.results, kind, palette);
            series.extend(
                lines
                    .into_iter()
                    .zip(shown)
                    .filter(|(_, s)| *s)
                    .map(|(l, _)| l),
            );
        }
        for pin in &self.compare.pins {
            let mut s = total_series(
                &format!("Pinned: {}", pin.name),
                &pin.run.results,
                kind,
                rgb(palette.pin(pin.slot)),
                false,
            );
            if delta {
                s.points = delta_points(&pin.run.results, &reference.results, kind);
            }
            series.push(s);
        }
        FigureChart {
            kind,
            delta,
            series,
            notes: active
                .doc
                .annotations
                .iter()
                .filter(|a| a.chart == kind)
                .map(|a| FigureNote {
                    x: a.date.decimal_year(),
                    text: a.text.clone(),
                })
                .collect(),
            events: Vec::new(),
            observed: Vec::new(),
            band: None,
        }
    }

    /// Where an export goes when no path is given.
    pub fn default_export_path(&self, what: &ExportWhat) -> PathBuf {
        let active = self.active();
        let dir = self
            .writable_folder_for(active.path.as_deref())
            .join("exports");
        let stem = super::suggested_file_name(&active.display_name());
        let stem = stem.trim_end_matches(".ron");
        dir.join(format!("{stem}-{}", what.suffix()))
    }

    pub(super) fn export(&mut self, request: ExportRequest) {
        let path = request
            .path
            .clone()
            .unwrap_or_else(|| self.default_export_path(&request.what));
        // Every file open or pinned in the window is an input an export must not replace.
        let open = self
            .session
            .documents()
            .iter()
            .map(|d| (&d.doc, d.path.as_deref()));
        let pinned = self
            .compare
            .pins
            .iter()
            .map(|p| (&p.doc, p.path.as_deref()));
        let inputs: Vec<PathBuf> = open
            .chain(pinned)
            .filter_map(|(doc, path)| path.map(|p| crate::scenario::input_files(doc, p)))
            .flatten()
            .collect();
        match request.what {
            ExportWhat::ChartsSvg => {
                let figure = self.figure();
                self.io.write_file(path, inputs, move || {
                    svg::to_svg(&figure, svg::DEFAULT_SIZE).map(String::into_bytes)
                });
            }
            ExportWhat::ChartsPng { scale } => {
                let figure = self.figure();
                self.io.write_file(path, inputs, move || {
                    png::to_png(&figure, svg::DEFAULT_SIZE, f64::from(scale))
                });
            }
            ExportWhat::SeriesCsv => {
                let text = data::csv_string(&self.active().run.results);
                self.io
                    .write_file(path, inputs, move || Ok(text.into_bytes()));
            }
            ExportWhat::TableCsv => {
                let text = table_csv(&self.compare_columns());
                self.io
                    .write_file(path, inputs, move || Ok(text.into_bytes()));
            }
            ExportWhat::TableMarkdown => {
                let text = table_markdown(&self.compare_columns());
                self.io
                    .write_file(path, inputs, move || Ok(text.into_bytes()));
            }
        }
    }

    /// Opens pasted scenario text as a new, unsaved document; problems go to the panel.
    pub(super) fn paste_scenario(&mut self, text: &str) {
        match load_str(text, "clipboard") {
            Ok(loaded) => {
                let mut doc = self.new_document(None, loaded.document, loaded.warnings);
                // Unsaved until saved: a pasted scenario has no file yet.
                doc.never_saved = true;
                // The lifecycle gate asked first when the replaced document was unsaved.
                self.session.replace_active(doc);
                self.problems = None;
                let name = self.active().display_name();
                self.say(
                    &format!("Pasted “{name}” from the clipboard: not saved yet"),
                    false,
                );
            }
            Err(e) => {
                self.problems = Some(LoadProblem {
                    path: PathBuf::from("clipboard"),
                    diagnostics: e.diagnostics,
                    reloading: false,
                });
                self.say(
                    "The clipboard text is not a valid scenario: see the problems",
                    true,
                );
            }
        }
    }
}
