//! What one chart shows, decided once from the window's state: the lines with their roles
//! (the scenario, its reference, the pins; or their differences in the delta view), the
//! uncertainty band, the observed record, policy events, targets, the dependency threshold,
//! today and the notes. The screen draws a scene with egui_plot (`ui::charts`); an export
//! from the window converts the same scene into a file figure (`AppState::figure`), so the
//! two cannot disagree about what is on a chart.
//!
//! A scene borrows the plot caches built once per model run: building one per chart and
//! frame copies nothing but the lines that exist only for this frame (differences in the
//! delta view, a slide's curves mid-animation).

use super::analysis::PlotBand;
use super::plot_cache::ChartLines;
use super::{AppState, ChartKind};
use crate::display::names::{TOTAL_KEY, TOTAL_LABEL};
use crate::model::PolicyEvent;
use crate::scenario::observed;
use crate::scenario::record::ObservedSeries;
use egui_plot::PlotPoint;
use std::borrow::Cow;
use std::time::Instant;

/// What a line is; each renderer styles a role its own way (colour, width, dashes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRole {
    /// A material's line of the scenario on screen (its index in the scenario).
    Material(usize),
    /// The scenario's aggregate.
    Total,
    /// A material's line of the reference run (the baseline, else no controls).
    ReferenceMaterial(usize),
    /// The reference run's aggregate.
    ReferenceTotal,
    /// A pinned scenario's aggregate; `baseline` when the pin is the baseline.
    Pin {
        /// The pin's colour slot.
        slot: usize,
        /// The pin is the baseline.
        baseline: bool,
    },
}

impl LineRole {
    /// A line of the reference run (drawn behind the band, faint and dashed).
    pub fn is_reference(self) -> bool {
        matches!(
            self,
            LineRole::ReferenceMaterial(_) | LineRole::ReferenceTotal
        )
    }
}

/// One line of a chart.
#[derive(Clone, Debug)]
pub struct SceneLine<'a> {
    /// What the line is.
    pub role: LineRole,
    /// Legend and hover name.
    pub name: Cow<'a, str>,
    /// (decimal year, value) in plot coordinates: the chart's unit, log10 where the chart is
    /// logarithmic, linear differences in the delta view.
    pub points: Cow<'a, [PlotPoint]>,
}

/// Everything one chart shows.
#[derive(Clone, Debug)]
pub struct ChartScene<'a> {
    /// Which chart.
    pub kind: ChartKind,
    /// Lines are differences against the reference (a linear axis through zero).
    pub delta: bool,
    /// Lines in drawing order: the reference, the scenario, the pins.
    pub lines: Vec<SceneLine<'a>>,
    /// The Monte Carlo band of the aggregate, when shown and computed.
    pub band: Option<&'a PlotBand>,
    /// Observed series: the record's and the company profile's.
    pub observed: Vec<&'a ObservedSeries>,
    /// Policy events, when shown.
    pub events: &'a [PolicyEvent],
    /// The plan's targets: (first x, last x, level in plot coordinates).
    pub targets: Vec<(f64, f64, f64)>,
    /// The dependency threshold in plot coordinates (the dependency chart only).
    pub threshold: Option<f64>,
    /// Where history ends and projection begins, when the horizon spans today.
    pub today: Option<f64>,
    /// The scenario's notes on this chart: (x, text).
    pub notes: Vec<(f64, &'a str)>,
}

impl ChartScene<'_> {
    /// A plot coordinate as the value shown (the delta view is linear already).
    pub fn shown(&self, y: f64) -> f64 {
        if self.delta {
            y
        } else {
            self.kind.from_plot(y)
        }
    }
}

impl AppState {
    /// The scene of chart `kind` as the window shows it. With `animate_at`, a slide's curves
    /// mid-transition are those of that instant; without, the curves as they settle (what an
    /// export writes).
    pub fn chart_scene(&self, kind: ChartKind, animate_at: Option<Instant>) -> ChartScene<'_> {
        let view = &self.view;
        let active = self.active();
        let delta = self.compare.delta;
        let cached = active.run.plot.chart(kind);
        let current = match animate_at.and_then(|now| self.present.animated(kind, cached, now)) {
            Some(moving) => Cow::Owned(moving),
            None => Cow::Borrowed(cached),
        };
        let reference = self.reference_run().plot.chart(kind);
        let mut lines = Vec::new();
        if delta {
            let difference = super::compare::delta_lines(&current, reference, kind);
            push_lines(&mut lines, Cow::Owned(difference), view, false);
        } else {
            push_lines(&mut lines, Cow::Borrowed(reference), view, true);
            push_lines(&mut lines, current, view, false);
        }
        for pin in &self.compare.pins {
            let total = &pin.run.plot.chart(kind).total;
            lines.push(SceneLine {
                role: LineRole::Pin {
                    slot: pin.slot,
                    baseline: self.is_baseline_pin(pin.id),
                },
                name: Cow::Borrowed(pin.name.as_str()),
                points: if delta {
                    Cow::Owned(super::compare::delta_points(total, &reference.total, kind))
                } else {
                    Cow::Borrowed(total.as_slice())
                },
            });
        }
        let results = &active.run.results;
        let band = if delta || !view.show_bands || !view.is_shown(TOTAL_KEY) {
            None
        } else {
            self.services
                .analysis
                .bands_for(&active.doc.scenario)
                .and_then(|done| done.value.for_chart(kind))
        };
        let observed = if view.show_observed && !delta {
            self.observed_series(kind)
        } else {
            Vec::new()
        };
        ChartScene {
            kind,
            delta,
            lines,
            band,
            observed,
            events: if view.show_events {
                &active.doc.scenario.events
            } else {
                &[]
            },
            targets: if delta {
                Vec::new()
            } else {
                crate::output::figure::target_lines(kind, &active.doc.targets, results)
            },
            threshold: (kind == ChartKind::Dependency && !delta)
                .then(|| kind.to_plot(results.headline.dependency_threshold * kind.scale())),
            today: decimal_year_of(&self.today()).filter(|t| {
                match (results.dates.first(), results.dates.last()) {
                    (Some(first), Some(last)) => {
                        *t >= first.decimal_year() && *t <= last.decimal_year()
                    }
                    _ => false,
                }
            }),
            notes: active
                .doc
                .annotations
                .iter()
                .filter(|a| a.chart == kind)
                .map(|a| (a.date.decimal_year(), a.text.as_str()))
                .collect(),
        }
    }

    /// The record's observed series for a chart over the run's horizon, and the company's.
    fn observed_series(&self, kind: ChartKind) -> Vec<&ObservedSeries> {
        let active = self.active();
        let dates = &active.run.results.dates;
        match (dates.first(), dates.last()) {
            (Some(first), Some(last)) => {
                observed::for_chart(kind, &active.doc.record, *first, *last)
                    .chain(self.company.observed.iter().filter(|s| s.chart == kind))
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// The shown lines of `lines` (materials, then the aggregate), as the reference run's or the
/// scenario's; a line hidden in the legend is left out.
fn push_lines<'a>(
    out: &mut Vec<SceneLine<'a>>,
    lines: Cow<'a, ChartLines>,
    view: &super::ViewState,
    reference: bool,
) {
    let material = |i| {
        if reference {
            LineRole::ReferenceMaterial(i)
        } else {
            LineRole::Material(i)
        }
    };
    let total = if reference {
        LineRole::ReferenceTotal
    } else {
        LineRole::Total
    };
    match lines {
        Cow::Borrowed(lines) => {
            for (i, line) in lines.materials.iter().enumerate() {
                if view.is_shown(&line.id) {
                    out.push(SceneLine {
                        role: material(i),
                        name: Cow::Borrowed(line.name.as_str()),
                        points: Cow::Borrowed(line.points.as_slice()),
                    });
                }
            }
            if view.is_shown(TOTAL_KEY) {
                out.push(SceneLine {
                    role: total,
                    name: Cow::Borrowed(TOTAL_LABEL),
                    points: Cow::Borrowed(lines.total.as_slice()),
                });
            }
        }
        Cow::Owned(lines) => {
            for (i, line) in lines.materials.into_iter().enumerate() {
                if view.is_shown(&line.id) {
                    out.push(SceneLine {
                        role: material(i),
                        name: Cow::Owned(line.name),
                        points: Cow::Owned(line.points),
                    });
                }
            }
            if view.is_shown(TOTAL_KEY) {
                out.push(SceneLine {
                    role: total,
                    name: Cow::Borrowed(TOTAL_LABEL),
                    points: Cow::Owned(lines.total),
                });
            }
        }
    }
}

/// A `YYYY-MM-DD` date as a chart x value (decimal year): the window draws today where the
/// record ends and the projection begins (the model has no clock).
fn decimal_year_of(date: &str) -> Option<f64> {
    let mut parts = date.split('-').map(str::parse::<f64>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(year + (month - 1.0 + (day - 1.0) / 31.0) / 12.0)
}
