//! Levers by descriptor id: overriding one without editing the file (`--set id=value`,
//! `--set NdPr.quota_share=0.5`) and listing the levers two scenarios set differently.
//!
//! Ids, ranges and units come from the model's descriptor tables, so the CLI accepts exactly
//! what the sliders show. This module changes documents in memory only; it does no IO.

use super::Document;
use super::validate::{EXTRA_RANGES, check_range, num};
use crate::model::{LEVERS, MATERIAL_LEVERS, Scenario, YearMonth, levers, units::Share};
use thiserror::Error;

/// Why an override was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SetError {
    /// The override is not `lever=value`; holds the override as given.
    #[error("`{0}` is not of the form lever=value (e.g. quota_level=0.6 or NdPr.quota_share=0.5)")]
    Syntax(String),
    /// No lever has this id.
    #[error("unknown lever `{id}`; levers: {known}")]
    UnknownLever {
        /// The lever id as given, e.g. "quota_levl" or "NdPr.quota".
        id: String,
        /// The ids that would have been accepted, comma-separated.
        known: String,
    },
    /// A per-material override names a material the scenario does not have.
    #[error("unknown material `{id}`; the scenario has {known}")]
    UnknownMaterial {
        /// The material id as given, e.g. "Nd".
        id: String,
        /// The scenario's material ids, comma-separated.
        known: String,
    },
    /// The value does not parse as a number.
    #[error("{id}: `{value}` is not a number")]
    NotANumber {
        /// The lever id.
        id: String,
        /// The value as given.
        value: String,
    },
    /// The value is outside the lever's range, or not a `YYYY-MM` month for a date lever.
    #[error("{id}: {message}")]
    OutOfRange {
        /// The lever id.
        id: String,
        /// What is wrong and what is allowed: the range with its unit, or the month format.
        message: String,
    },
}

/// Applies one `id=value` override to a document.
///
/// `id` is a scenario lever id (`quota_level`, `capex`, ...), a date lever (`quota_from`,
/// `capex_start`, value `YYYY-MM`) or `MATERIAL.lever` for a per-material lever. The value
/// is checked against the lever's descriptor range; the document is unchanged on error.
pub fn apply_set(doc: &mut Document, spec: &str) -> Result<(), SetError> {
    let (id, value) = spec
        .split_once('=')
        .map(|(a, b)| (a.trim(), b.trim()))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .ok_or_else(|| SetError::Syntax(spec.to_string()))?;
    let s = &mut doc.scenario;

    if let Some(target) = date_lever(id) {
        let month: YearMonth =
            value
                .parse()
                .map_err(
                    |e: crate::model::time::ParseYearMonthError| SetError::OutOfRange {
                        id: id.to_string(),
                        message: e.to_string(),
                    },
                )?;
        *target(s) = month;
        return Ok(());
    }

    let number = |id: &str| {
        value.parse::<f64>().map_err(|_| SetError::NotANumber {
            id: id.to_string(),
            value: value.to_string(),
        })
    };
    let range = |id: &str, v: f64, min: f64, max: f64, unit: &str| {
        check_range(v, min, max, unit).map_err(|e| SetError::OutOfRange {
            id: id.to_string(),
            message: e.to_string(),
        })
    };

    if let Some((material, lever_id)) = id.split_once('.') {
        let lever = levers::material_lever(lever_id).ok_or_else(|| SetError::UnknownLever {
            id: id.to_string(),
            known: MATERIAL_LEVERS
                .iter()
                .map(|l| format!("{material}.{}", l.id))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        let known = s
            .materials
            .iter()
            .map(|m| m.id.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let m = s
            .materials
            .iter_mut()
            .find(|m| m.id == material)
            .ok_or_else(|| SetError::UnknownMaterial {
                id: material.to_string(),
                known,
            })?;
        let v = number(id)?;
        range(id, v, lever.min, lever.max, lever.unit)?;
        (lever.set)(m, v);
        return Ok(());
    }

    if let Some(lever) = levers::lever(id) {
        let v = number(id)?;
        range(id, v, lever.min, lever.max, lever.unit)?;
        (lever.set)(s, v);
        return Ok(());
    }
    if let Some((path, min, max, unit, _)) = EXTRA_RANGES
        .iter()
        .find(|(path, ..)| path.rsplit('.').next() == Some(id))
    {
        let v = number(id)?;
        range(id, v, *min, *max, unit)?;
        match *path {
            "assumptions.dependency_threshold" => s.assumptions.dependency_threshold = Share(v),
            "assumptions.shortfall_threshold" => s.assumptions.shortfall_threshold = Share(v),
            _ => {}
        }
        return Ok(());
    }
    Err(SetError::UnknownLever {
        id: id.to_string(),
        known: known_ids().join(", "),
    })
}

type DateField = fn(&mut Scenario) -> &mut YearMonth;

fn date_lever(id: &str) -> Option<DateField> {
    match id {
        "quota_from" => Some(|s| &mut s.levers.quota_from),
        "capex_start" => Some(|s| &mut s.levers.capex_start),
        _ => None,
    }
}

/// Every id `apply_set` accepts without a material prefix.
pub fn known_ids() -> Vec<String> {
    let mut ids: Vec<String> = LEVERS.iter().map(|l| l.id.to_string()).collect();
    ids.extend(["quota_from".to_string(), "capex_start".to_string()]);
    ids.extend(
        EXTRA_RANGES
            .iter()
            .filter_map(|(p, ..)| p.rsplit('.').next().map(str::to_string)),
    );
    ids.push("MATERIAL.quota_share (and other per-material levers)".into());
    ids
}

/// One input two scenarios set differently, named and valued for people once, so the compare
/// table, the board pack, `lodestone diff` and a slide's edit line all read the same.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// Lever id (`capex`, the id `--set` takes), `MATERIAL.lever`, a setting's own name
    /// (`dependency_threshold`) or a section (`horizon`, `materials`, `events[2]`).
    pub id: String,
    /// Its name for people: the slider's label ("Diversification capex"), "Dy quota",
    /// "policy event 3".
    pub label: String,
    /// The value in the first scenario, as the sliders show it ("1.00 $B/yr", "85 %").
    pub a: String,
    /// The value in the second scenario, likewise.
    pub b: String,
}

impl Difference {
    /// The label, with the id `--set` takes where there is one: "Diversification capex
    /// (capex)"; sections and events by their label alone.
    pub fn name_with_id(&self) -> String {
        if self.id.contains('[') || matches!(self.id.as_str(), "horizon" | "materials") {
            self.label.clone()
        } else {
            format!("{} ({})", self.label, self.id)
        }
    }
}

/// A share as a percentage, other settings with their unit.
fn setting_text(value: f64, unit: &str) -> String {
    match unit {
        "share" => format!("{} %", num(value * 100.0)),
        "" => num(value),
        unit => format!("{} {unit}", num(value)),
    }
}

/// A policy event in one line: "2025-10 expansion, quota 85 %, licensing, on Dy, Tb, Other".
fn event_text(s: &Scenario, i: usize) -> String {
    let Some(e) = s.events.get(i) else {
        return "-".to_string();
    };
    let mut text = format!(
        "{} {}, quota {} %",
        e.date,
        e.kind.label(),
        num(e.quota_level.0 * 100.0)
    );
    if e.export_duty.0 > 0.0 {
        text.push_str(&format!(", duty {} %", num(e.export_duty.0 * 100.0)));
    }
    text.push_str(if e.licensing {
        ", licensing"
    } else {
        ", no licensing"
    });
    if !e.materials.is_empty() {
        text.push_str(&format!(", on {}", e.materials.join(", ")));
    }
    text
}

/// Every lever, assumption, per-material lever, and the horizon, materials and events where
/// they differ between `a` and `b`, in side-panel order.
pub fn differences(a: &Scenario, b: &Scenario) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut push = |id: String, label: String, x: String, y: String| {
        if x != y {
            out.push(Difference {
                id,
                label,
                a: x,
                b: y,
            });
        }
    };
    let horizon = |s: &Scenario| {
        format!(
            "{} to {}, {}",
            s.horizon.start,
            s.horizon.end,
            format!("{:?}", s.horizon.resolution).to_lowercase()
        )
    };
    push("horizon".into(), "Horizon".into(), horizon(a), horizon(b));
    for l in LEVERS {
        push(
            l.id.into(),
            l.label.into(),
            l.format((l.get)(a)),
            l.format((l.get)(b)),
        );
    }
    push(
        "quota_from".into(),
        "Quota lever applies from".into(),
        a.levers.quota_from.to_string(),
        b.levers.quota_from.to_string(),
    );
    push(
        "capex_start".into(),
        "Capex starts".into(),
        a.levers.capex_start.to_string(),
        b.levers.capex_start.to_string(),
    );
    for (path, _, _, unit, get) in EXTRA_RANGES {
        let id = path.rsplit('.').next().unwrap_or(path);
        let mut label = id.replace('_', " ");
        if let Some(first) = label.get(..1) {
            label = first.to_uppercase() + &label[1..];
        }
        push(
            id.into(),
            label,
            setting_text(get(a), unit),
            setting_text(get(b), unit),
        );
    }
    let ids = |s: &Scenario| s.materials.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
    push(
        "materials".into(),
        "Materials".into(),
        ids(a).join(", "),
        ids(b).join(", "),
    );
    for ma in &a.materials {
        let Some(mb) = b.materials.iter().find(|m| m.id == ma.id) else {
            continue;
        };
        for l in MATERIAL_LEVERS {
            push(
                format!("{}.{}", ma.id, l.id),
                format!("{} {}", ma.id, l.label),
                l.display.format((l.get)(ma), l.unit),
                l.display.format((l.get)(mb), l.unit),
            );
        }
    }
    for i in 0..a.events.len().max(b.events.len()) {
        push(
            format!("events[{i}]"),
            format!("Policy event {}", i + 1),
            event_text(a, i),
            event_text(b, i),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_document;

    #[test]
    fn sets_levers_by_id_and_checks_ranges() {
        let mut doc = default_document();
        assert_eq!(apply_set(&mut doc, "quota_level=0.6"), Ok(()));
        assert_eq!(doc.scenario.levers.quota_level.0, 0.6);
        assert_eq!(apply_set(&mut doc, "NdPr.quota_share = 0.5"), Ok(()));
        assert_eq!(doc.scenario.materials[0].quota_share.0, 0.5);
        assert_eq!(apply_set(&mut doc, "capex_start=2026-01"), Ok(()));
        let err = apply_set(&mut doc, "quota_level=3").map_err(|e| e.to_string());
        assert_eq!(
            err,
            Err(
                "quota_level: 3 (300 %) is out of range; allowed 0 to 1.5 (0 % to 150 % of pre-control exports)"
                    .into()
            )
        );
        assert!(matches!(
            apply_set(&mut doc, "Xx.quota_share=1"),
            Err(SetError::UnknownMaterial { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "nope=1"),
            Err(SetError::UnknownLever { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "capex=NaN"),
            Err(SetError::OutOfRange { .. })
        ));
        assert!(matches!(
            apply_set(&mut doc, "capex"),
            Err(SetError::Syntax(_))
        ));
        assert_eq!(
            doc.scenario.levers.quota_level.0, 0.6,
            "unchanged by failures"
        );
    }

    #[test]
    fn lists_differences() {
        let a = default_document().scenario;
        let mut b = a.clone();
        b.levers.capex.0 = 4.0;
        b.materials[1].quota_share.0 = 0.5;
        let d = differences(&a, &b);
        let ids: Vec<&str> = d.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["capex", "Dy.quota_share"]);
        // Named and valued as the sliders show them, not as the file stores them.
        assert_eq!(d[0].label, "Diversification capex");
        assert_eq!(
            (d[0].a.as_str(), d[0].b.as_str()),
            ("1.00 $B/yr", "4.00 $B/yr")
        );
        assert_eq!(d[0].name_with_id(), "Diversification capex (capex)");
        assert_eq!((d[1].label.as_str(), d[1].b.as_str()), ("Dy quota", "50 %"));

        let mut c = a.clone();
        c.events[0].quota_level.0 = 0.85;
        c.events[0].export_duty.0 = 0.25;
        let d = differences(&a, &c);
        assert_eq!(d[0].label, "Policy event 1");
        assert_eq!(d[0].name_with_id(), "Policy event 1");
        assert!(d[0].a.contains("quota 100 %, licensing"), "{}", d[0].a);
        assert!(
            d[0].b.contains("quota 85 %, duty 25 %, licensing"),
            "{}",
            d[0].b
        );
    }
}
