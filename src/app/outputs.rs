//! Exports from the window and the clipboard: what to write is decided here on the UI
//! thread (cheap: owned figure data and strings), the rendering and the write happen on a
//! background thread through [`super::io::Io::write_file`]. Pasting a scenario validates the
//! text exactly like a file.

use super::scene::{ChartScene, LineRole};
use super::{AppState, ChartKind, LoadProblem};
use crate::output::figure::{
    Figure, FigureChart, FigureNote, FigureSeries, export_palette, figure_events, figure_observed,
    footer, target_series,
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
    /// The charts as shown, as a figure for a file: each chart's scene (the one the screen
    /// draws, see [`super::scene`]) in the export palette, with the curves as they settle
    /// (never a slide's transition).
    pub fn figure(&self) -> Figure {
        self.figure_of(&self.view.charts())
    }

    /// The charts `kinds`, as [`Self::figure`] writes the three on screen.
    pub fn figure_of(&self, kinds: &[ChartKind]) -> Figure {
        let palette = export_palette();
        let active = self.active();
        let reference_name = self
            .baseline()
            .map(|b| b.display_name())
            .unwrap_or_else(|| crate::output::figure::NO_CONTROLS.into());
        let charts = kinds
            .iter()
            .map(|&kind| {
                let scene = self.chart_scene(kind, None);
                figure_chart(&scene, &palette, &active.display_name(), &reference_name)
            })
            .collect();
        let mut figure = Figure {
            charts,
            footer: footer(&active.display_name(), &self.today()),
        };
        // The bands as the charts show them, once computed for the scenario as it is now
        // (the scene's band is in plot coordinates; the file takes the shown values).
        if self.view.show_bands
            && !self.compare.delta
            && self.view.is_shown(crate::display::names::TOTAL_KEY)
            && let Some(done) = self.services.analysis.bands_for(&active.doc.scenario)
        {
            crate::output::figure::add_bands(&mut figure, &done.value.bands);
        }
        figure
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
                self.services.io.write_file(path, inputs, move || {
                    svg::to_svg(&figure, svg::DEFAULT_SIZE).map(String::into_bytes)
                });
            }
            ExportWhat::ChartsPng { scale } => {
                let figure = self.figure();
                self.services.io.write_file(path, inputs, move || {
                    png::to_png(&figure, svg::DEFAULT_SIZE, f64::from(scale))
                });
            }
            ExportWhat::SeriesCsv => {
                let text = data::csv_string(&self.active().run.results);
                self.services
                    .io
                    .write_file(path, inputs, move || Ok(text.into_bytes()));
            }
            ExportWhat::TableCsv => {
                let text = table_csv(&self.compare_columns());
                self.services
                    .io
                    .write_file(path, inputs, move || Ok(text.into_bytes()));
            }
            ExportWhat::TableMarkdown => {
                let text = table_markdown(&self.compare_columns());
                self.services
                    .io
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
                self.prompts.problems = None;
                let name = self.active().display_name();
                self.say(
                    &format!("Pasted “{name}” from the clipboard: not saved yet"),
                    false,
                );
            }
            Err(e) => {
                self.prompts.problems = Some(LoadProblem {
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

/// One chart's scene as a file draws it, in shown values. A file's legend names each line
/// once: the reference is its aggregate ("Baseline: ..."), without the faint per-material
/// reference lines the screen draws behind the scenario's; today's line is left to the
/// footer's date, and the dependency threshold to the headline's card (a dotted line the
/// legend would have to name).
fn figure_chart(
    scene: &ChartScene<'_>,
    palette: &crate::display::palette::Palette,
    active_name: &str,
    reference_name: &str,
) -> FigureChart {
    let kind = scene.kind;
    let shown = |points: &[egui_plot::PlotPoint]| -> Vec<(f64, f64)> {
        points.iter().map(|p| (p.x, scene.shown(p.y))).collect()
    };
    let total_width = f64::from(crate::display::palette::TOTAL_WIDTH);
    let mut series: Vec<FigureSeries> = scene
        .lines
        .iter()
        .filter_map(|line| {
            let (name, colour, width, dashed) = match line.role {
                LineRole::ReferenceMaterial(_) => return None,
                LineRole::ReferenceTotal => (
                    format!("Baseline: {reference_name}"),
                    palette.ghost(palette.total),
                    total_width - 0.8,
                    true,
                ),
                LineRole::Material(i) => (
                    line.name.to_string(),
                    palette.material(i),
                    f64::from(crate::display::palette::MATERIAL_WIDTH),
                    false,
                ),
                LineRole::Total if scene.delta => (
                    format!("{active_name} minus {reference_name}"),
                    palette.total,
                    total_width,
                    false,
                ),
                LineRole::Total => (line.name.to_string(), palette.total, total_width, false),
                LineRole::Pin { slot, baseline } => (
                    format!("Pinned: {}", line.name),
                    palette.pin(slot),
                    total_width - 0.8,
                    baseline,
                ),
            };
            Some(FigureSeries {
                name,
                rgb: rgb(colour),
                width,
                dashed,
                points: shown(&line.points),
            })
        })
        .collect();
    for &(x0, x1, y) in &scene.targets {
        series.push(target_series(x0, x1, scene.shown(y), palette));
    }
    FigureChart {
        kind,
        delta: scene.delta,
        series,
        notes: scene
            .notes
            .iter()
            .map(|&(x, text)| FigureNote {
                x,
                text: text.to_string(),
            })
            .collect(),
        events: figure_events(scene.events, palette),
        observed: figure_observed(scene.observed.iter().copied(), palette),
        band: None,
    }
}
