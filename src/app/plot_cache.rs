//! Plot points cached from [`Results`]: rebuilt once per model run, borrowed by every frame's
//! charts, so redrawing never copies or rescales series. This is the "Results -> plot cache"
//! step of the data flow; the charts themselves live in `crate::ui::charts`.

use super::view::ChartKind;
use crate::model::Results;
use egui_plot::PlotPoint;

/// One material's line.
#[derive(Clone, Debug, Default)]
pub struct MaterialLine {
    /// The material's id, e.g. "NdPr" (the key for hiding its line).
    pub id: String,
    /// Legend and hover name.
    pub name: String,
    /// (decimal year, value) per step, in plot coordinates.
    pub points: Vec<PlotPoint>,
}

/// The lines of one chart: one per material plus the aggregate, in plot coordinates (the
/// chart's unit, logarithmic where [`ChartKind::log_scale`] says so).
#[derive(Clone, Debug, Default)]
pub struct ChartLines {
    /// Per material, in scenario order.
    pub materials: Vec<MaterialLine>,
    /// The aggregate line, in plot coordinates.
    pub total: Vec<PlotPoint>,
}

/// Points for every [`ChartKind`] of one run.
#[derive(Clone, Debug, Default)]
pub struct PlotCache {
    charts: Vec<ChartLines>,
}

impl PlotCache {
    /// Rebuilds every chart from `results`, reusing the allocations of the previous run.
    pub fn rebuild(&mut self, results: &Results) {
        self.charts
            .resize_with(ChartKind::ALL.len(), ChartLines::default);
        for (kind, lines) in ChartKind::ALL.iter().zip(self.charts.iter_mut()) {
            let series = kind.series();
            let scale = kind.scale();
            let fill = |out: &mut Vec<PlotPoint>, values: &[f64]| {
                out.clear();
                out.extend(
                    results
                        .time
                        .iter()
                        .zip(values)
                        .map(|(&x, &y)| PlotPoint::new(x, kind.to_plot(y * scale))),
                );
            };
            lines
                .materials
                .resize_with(results.materials.len(), Default::default);
            for (material, line) in results.materials.iter().zip(&mut lines.materials) {
                line.id.clone_from(&material.id);
                line.name.clone_from(&material.name);
                fill(&mut line.points, material.series.get(series));
            }
            fill(&mut lines.total, results.total.get(series));
        }
    }

    /// The lines of one chart (empty before the first rebuild).
    pub fn chart(&self, kind: ChartKind) -> &ChartLines {
        static EMPTY: ChartLines = ChartLines {
            materials: Vec::new(),
            total: Vec::new(),
        };
        self.charts.get(kind.index()).unwrap_or(&EMPTY)
    }
}
