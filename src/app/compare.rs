//! Compare: scenarios pinned to the charts, each a frozen copy with its own run and a stable
//! colour slot (by pin order), one of them the baseline; the delta view (every chart shows
//! current minus baseline); the side-by-side headline table. State and commands only; drawing
//! is `crate::ui::compare`.

use super::document::Run;
use super::plot_cache::ChartLines;
use super::{AppState, ChartKind};
use crate::model::{Comparison, Results, Summary, simulate};
use crate::output::table::TableColumn;
use crate::scenario::Document;
use egui_plot::PlotPoint;
use std::path::PathBuf;

/// Stable identity of a pin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PinId(pub u64);

/// A scenario pinned to the charts.
#[derive(Debug)]
pub struct Pin {
    /// Stable identity of the pin.
    pub id: PinId,
    /// Colour slot, fixed when pinned so unpinning another never recolours it.
    pub slot: usize,
    /// Name in legends and the table: the scenario's name, else its file name.
    pub name: String,
    /// File the scenario was pinned from; `None` for a never-saved scenario.
    pub path: Option<PathBuf>,
    /// The frozen copy of the scenario.
    pub doc: Document,
    /// The copy's model run.
    pub run: Run,
    /// The copy run without export controls: its reference in the compare table when no
    /// baseline is set. A pin never changes, so this is run once, when it is pinned.
    pub counterfactual: Results,
}

/// Everything the compare view holds.
#[derive(Debug, Default)]
pub struct CompareState {
    /// The pinned scenarios, in pin order.
    pub pins: Vec<Pin>,
    next: u64,
    /// The pin that is the baseline (its copy is the app's baseline document).
    pub baseline_pin: Option<PinId>,
    /// Charts show current minus baseline.
    pub delta: bool,
    /// The side-by-side table and lever diff window is open.
    pub show_table: bool,
    /// Pin reads asked for and not yet landed (their numbers): a read that lands after this
    /// compare state was replaced (a slide stepped on, the explorer restored) is not
    /// installed into the new one.
    awaited_pins: Vec<u64>,
}

/// What the compare controls ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareCommand {
    /// Pins a copy of the active scenario as it is now.
    PinActive,
    /// Pins a scenario file (a library entry).
    PinFile(PathBuf),
    /// Removes a pin (and the baseline, when it is that pin).
    Unpin(PinId),
    /// Removes every pin (and the baseline, when it is one of them).
    UnpinAll,
    /// Makes a pin the baseline every delta and headline is measured against.
    SetBaseline(PinId),
    /// Turns the delta view on or off.
    SetDelta(bool),
    /// Opens or closes the side-by-side table and lever diff window.
    ShowTable(bool),
}

impl CompareState {
    /// The pin that is the baseline, if any.
    pub fn baseline(&self) -> Option<&Pin> {
        let id = self.baseline_pin?;
        self.pins.iter().find(|p| p.id == id)
    }
}

impl AppState {
    /// Takes a pin read: pinned if this compare state still awaits it and the file loaded;
    /// its problems listed if it did not.
    pub(super) fn install_pin(
        &mut self,
        number: u64,
        path: PathBuf,
        loaded: Result<crate::scenario::Loaded, crate::scenario::LoadError>,
    ) {
        let Some(at) = self.compare.awaited_pins.iter().position(|n| *n == number) else {
            return;
        };
        self.compare.awaited_pins.remove(at);
        match loaded {
            Ok(loaded) => {
                let name =
                    crate::display::names::scenario_name(&loaded.document.meta.name, Some(&path));
                self.add_pin(name, Some(path), loaded.document);
            }
            Err(e) => {
                self.prompts.problems = Some(super::LoadProblem {
                    path,
                    diagnostics: e.diagnostics,
                    reloading: false,
                });
            }
        }
    }

    pub(super) fn apply_compare(&mut self, command: CompareCommand) {
        match command {
            CompareCommand::PinActive => {
                let active = self.active();
                let (name, path, doc) = (
                    active.display_name(),
                    active.path.clone(),
                    active.doc.clone(),
                );
                self.add_pin(name, path, doc);
            }
            CompareCommand::PinFile(path) => {
                // Read off the UI thread; `install_pin` takes the answer.
                let number = self.services.io.read_pin(path);
                self.compare.awaited_pins.push(number);
            }
            CompareCommand::Unpin(id) => {
                self.compare.pins.retain(|p| p.id != id);
                if self.compare.baseline_pin == Some(id) {
                    self.compare.baseline_pin = None;
                    self.apply_confirmed(super::Command::UnpinBaseline);
                }
            }
            CompareCommand::UnpinAll => {
                self.compare.pins.clear();
                if self.compare.baseline_pin.take().is_some() {
                    self.apply_confirmed(super::Command::UnpinBaseline);
                }
            }
            CompareCommand::SetBaseline(id) => {
                let Some(pin) = self.compare.pins.iter().find(|p| p.id == id) else {
                    return;
                };
                let (path, doc) = (pin.path.clone(), pin.doc.clone());
                let copy = self.new_document(path, doc, Vec::new());
                self.session.set_baseline(copy, false);
                self.compare.baseline_pin = Some(id);
            }
            CompareCommand::SetDelta(on) => self.compare.delta = on,
            CompareCommand::ShowTable(on) => self.compare.show_table = on,
        }
    }

    pub(super) fn add_pin(&mut self, name: String, path: Option<PathBuf>, doc: Document) {
        let mut run = Run::default();
        run.update(&doc.scenario);
        let counterfactual = simulate(&doc.scenario.reference());
        self.compare.next += 1;
        let id = PinId(self.compare.next);
        let slot = (self.compare.next - 1) as usize;
        self.compare.pins.push(Pin {
            id,
            slot,
            name: name.clone(),
            path,
            doc,
            run,
            counterfactual,
        });
        // The first pin becomes the baseline when none is set, so pinning and then moving a
        // lever shows the change at once.
        if self.baseline().is_none() {
            self.apply_compare(CompareCommand::SetBaseline(id));
        }
        self.say(&format!("Pinned “{name}” to the charts"), false);
    }

    /// Whether the app's baseline is still the one a pin set (the menu can replace it).
    pub fn is_baseline_pin(&self, id: PinId) -> bool {
        self.compare.baseline_pin == Some(id) && self.baseline().is_some()
    }

    /// The side-by-side table: the active scenario, then every pin, each against the
    /// current reference (baseline, or its own no-controls run).
    pub fn compare_columns(&self) -> Vec<TableColumn> {
        let baseline = self.baseline_results();
        let active = self.active();
        let mut columns = vec![TableColumn {
            name: format!("{} (current)", active.display_name()),
            summary: active.summary(baseline),
        }];
        for pin in &self.compare.pins {
            let reference = baseline.unwrap_or(&pin.counterfactual);
            let summary = Summary {
                headline: pin.run.results.headline.clone(),
                extra_cost_usd: Comparison::between(&pin.run.results, reference).extra_cost_usd,
            };
            columns.push(TableColumn {
                name: pin.name.clone(),
                summary,
            });
        }
        columns
    }
}

/// `a - b` point by point (matched by date), as values in the chart's shown unit on a linear
/// axis (the inputs are plot coordinates, logarithmic where the chart is).
pub fn delta_points(a: &[PlotPoint], b: &[PlotPoint], kind: ChartKind) -> Vec<PlotPoint> {
    let values = |points: &[PlotPoint]| -> Vec<(f64, f64)> {
        points.iter().map(|p| (p.x, kind.from_plot(p.y))).collect()
    };
    crate::model::results::difference_by_time(&values(a), &values(b))
        .into_iter()
        .map(|(x, y)| PlotPoint::new(x, y))
        .collect()
}

/// `lines - reference` for every line of a chart: what the delta view draws.
pub fn delta_lines(lines: &ChartLines, reference: &ChartLines, kind: ChartKind) -> ChartLines {
    ChartLines {
        materials: lines
            .materials
            .iter()
            .map(|m| {
                let other = reference.materials.iter().find(|r| r.id == m.id);
                super::plot_cache::MaterialLine {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    points: other
                        .map(|o| delta_points(&m.points, &o.points, kind))
                        .unwrap_or_default(),
                }
            })
            .collect(),
        total: delta_points(&lines.total, &reference.total, kind),
    }
}
