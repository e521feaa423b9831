//! Chart annotations: a presenter's text note at a date on one chart, saved in the scenario
//! file as an optional section,
//! `annotations: [(date: "2026-01", chart: Cost, text: "Licences resume")]`.
//! Files without the section stay valid, and a save writes it only when there are notes, so
//! older files round-trip byte for byte.

use super::Document;
use super::problem::{Problem, Severity};
use crate::model::YearMonth;
use crate::scenario::chart::ChartKind;
use serde::{Deserialize, Serialize};

/// Longest note accepted, in characters: a note is a label on a chart, not an essay.
pub const MAX_TEXT_CHARS: usize = 200;

/// One note at a date on one chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// Month the note points at.
    pub date: YearMonth,
    /// The chart it is drawn on (`Cost`, `Spend`, `Dependency`, `Shortfall`,
    /// `NonChinaCapacity`, `Stockpile`, `CumulativeCapex`, `ChinaExports`).
    pub chart: ChartKind,
    /// The note, at most [`MAX_TEXT_CHARS`] characters.
    pub text: String,
}

impl Default for Annotation {
    /// Only for the field schema: a note always names its date, chart and text.
    fn default() -> Self {
        Self {
            date: YearMonth {
                year: 2025,
                month: 1,
            },
            chart: ChartKind::Cost,
            text: String::new(),
        }
    }
}

/// Problems of the annotations: dates outside the horizon, empty or overlong text.
pub fn problems(doc: &Document) -> Vec<Problem> {
    let horizon = &doc.scenario.horizon;
    let mut out = Vec::new();
    let mut error = |path: String, message: String| {
        out.push(Problem {
            severity: Severity::Error,
            path,
            message,
        });
    };
    for (i, a) in doc.annotations.iter().enumerate() {
        if a.date < horizon.start || a.date > horizon.end {
            error(
                format!("annotations[{i}].date"),
                format!(
                    "{} is outside the horizon ({} to {}); the note would not be drawn",
                    a.date, horizon.start, horizon.end
                ),
            );
        }
        if a.text.trim().is_empty() {
            error(format!("annotations[{i}].text"), "the note is empty".into());
        } else if a.text.chars().count() > MAX_TEXT_CHARS {
            error(
                format!("annotations[{i}].text"),
                format!("the note is longer than {MAX_TEXT_CHARS} characters"),
            );
        }
    }
    out
}

/// Convenience for callers holding a date and a chart.
pub fn new(date: YearMonth, chart: ChartKind, text: impl Into<String>) -> Annotation {
    Annotation {
        date,
        chart,
        text: text.into(),
    }
}
