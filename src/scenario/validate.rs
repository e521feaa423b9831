//! Semantic checks of a document: ranges, finiteness, dates, references and sums.
//!
//! Works on a [`Document`] and reports field paths, not positions: the loader turns paths into
//! line:col with the locator, and `--set` (which has no text) reports them as they are. Every
//! problem is collected; nothing stops at the first. Ranges come from the model's lever
//! descriptors ([`crate::model::LEVERS`], [`crate::model::MATERIAL_LEVERS`]) so they cannot
//! drift from the sliders; the few numeric inputs that have no descriptor are listed in
//! [`EXTRA_RANGES`].

use super::Document;
use crate::model::{LEVERS, MATERIAL_LEVERS, Scenario, levers::lever};
use std::collections::HashSet;

/// Capex shares must sum to 1 within this.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// Longest horizon accepted, in months (100 years): keeps runs and exports a sane size.
pub const MAX_HORIZON_MONTHS: usize = 1200;

pub use super::problem::{Problem, Severity};

/// A numeric input without a lever descriptor: (path, min, max, unit, getter).
pub type ExtraRange = (&'static str, f64, f64, &'static str, fn(&Scenario) -> f64);

/// Numeric assumptions the model reads that have no slider, with the range accepted here.
pub static EXTRA_RANGES: &[ExtraRange] = &[
    ("assumptions.dependency_threshold", 0.0, 1.0, "share", |s| {
        s.assumptions.dependency_threshold.0
    }),
    ("assumptions.shortfall_threshold", 0.0, 1.0, "share", |s| {
        s.assumptions.shortfall_threshold.0
    }),
    ("uncertainty.paths", 1.0, 100_000.0, "paths", |s| {
        f64::from(s.uncertainty.paths)
    }),
    ("uncertainty.spike_size_low", 0.0, 1.0, "share", |s| {
        s.uncertainty.spike_size_low
    }),
    ("uncertainty.spike_size_high", 0.0, 1.0, "share", |s| {
        s.uncertainty.spike_size_high
    }),
    (
        "uncertainty.licensing_lag.below",
        0.0,
        12.0,
        "months",
        |s| s.uncertainty.licensing_lag.below,
    ),
    (
        "uncertainty.licensing_lag.above",
        0.0,
        12.0,
        "months",
        |s| s.uncertainty.licensing_lag.above,
    ),
    (
        "uncertainty.permitting_delay.below",
        0.0,
        10.0,
        "years",
        |s| s.uncertainty.permitting_delay.below,
    ),
    (
        "uncertainty.permitting_delay.above",
        0.0,
        10.0,
        "years",
        |s| s.uncertainty.permitting_delay.above,
    ),
    (
        "uncertainty.demand_growth.below",
        0.0,
        0.2,
        "share per year",
        |s| s.uncertainty.demand_growth.below,
    ),
    (
        "uncertainty.demand_growth.above",
        0.0,
        0.2,
        "share per year",
        |s| s.uncertainty.demand_growth.above,
    ),
    ("uncertainty.learning_rate.below", 0.0, 0.4, "share", |s| {
        s.uncertainty.learning_rate.below
    }),
    ("uncertainty.learning_rate.above", 0.0, 0.4, "share", |s| {
        s.uncertainty.learning_rate.above
    }),
];

/// Formats a number as people would write it in the file (no trailing `.0` noise).
pub fn num(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn range_message(value: f64, min: f64, max: f64, unit: &str) -> Option<String> {
    // Shares are stored as fractions and shown as percentages (the slider's 150 % is 1.5 in
    // the file): a unit starting with `%` gets both scales.
    let (value_shown, allowed) = match unit.strip_prefix('%') {
        Some(rest) => (
            if value.is_finite() {
                format!(" ({} %)", num(round_percent(value)))
            } else {
                String::new()
            },
            format!(
                "{} to {} ({} % to {} %{rest})",
                num(min),
                num(max),
                num(round_percent(min)),
                num(round_percent(max))
            ),
        ),
        None if unit.is_empty() => (String::new(), format!("{} to {}", num(min), num(max))),
        None => (
            String::new(),
            format!("{} to {} ({unit})", num(min), num(max)),
        ),
    };
    if !value.is_finite() {
        Some(format!(
            "{} is not a finite number; allowed {allowed}",
            num(value)
        ))
    } else if value < min || value > max {
        Some(format!(
            "{}{value_shown} is out of range; allowed {allowed}",
            num(value)
        ))
    } else {
        None
    }
}

/// A share as a percentage, rid of float noise (0.07 x 100 = 7.000000000000001).
fn round_percent(share: f64) -> f64 {
    (share * 100.0 * 1e6).round() / 1e6
}

/// Checks a value against a lever's range (used by `--set` too).
pub fn check_range(value: f64, min: f64, max: f64, unit: &str) -> Result<(), String> {
    range_message(value, min, max, unit).map_or(Ok(()), Err)
}

/// Every problem of a document, errors and warnings, in file order where it has one.
pub fn validate(doc: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    let s = &doc.scenario;
    check_meta(doc, &mut out);
    check_horizon(s, &mut out);

    for l in LEVERS {
        if let Some(m) = range_message((l.get)(s), l.min, l.max, l.unit) {
            out.push(Problem::error(l.path, m));
        }
    }
    for (path, min, max, unit, get) in EXTRA_RANGES {
        if let Some(m) = range_message(get(s), *min, *max, unit) {
            out.push(Problem::error(*path, m));
        }
    }

    check_materials(s, &mut out);
    check_events(s, &mut out);
    out.extend(super::annotation::problems(doc));
    out
}

fn check_meta(doc: &Document, out: &mut Vec<Problem>) {
    for (field, value) in [
        ("meta.created", &doc.meta.created),
        ("meta.modified", &doc.meta.modified),
    ] {
        if !value.is_empty() && !is_date(value) {
            out.push(Problem {
                severity: Severity::Warning,
                path: field.into(),
                message: format!("`{value}` is not a date; write \"YYYY-MM-DD\""),
            });
        }
    }
    if let Some(b) = &doc.baseline
        && b.trim().is_empty()
    {
        out.push(Problem::error(
            "baseline",
            "empty path; leave the field out when there is no baseline",
        ));
    }
}

/// `YYYY-MM-DD`, optionally followed by a time (`T...` or ` ...`).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let ok = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (b.len() == 10 || b[10] == b'T' || b[10] == b' ');
    ok && {
        let month = (b[5] - b'0') * 10 + (b[6] - b'0');
        let day = (b[8] - b'0') * 10 + (b[9] - b'0');
        (1..=12).contains(&month) && (1..=31).contains(&day)
    }
}

fn check_horizon(s: &Scenario, out: &mut Vec<Problem>) {
    let h = &s.horizon;
    if h.end <= h.start {
        out.push(Problem::error(
            "horizon.end",
            format!("{} must be after the start ({})", h.end, h.start),
        ));
    } else if h.months() > MAX_HORIZON_MONTHS {
        out.push(Problem::error(
            "horizon.end",
            format!(
                "the horizon {} to {} is {} months; at most {} (100 years) are allowed",
                h.start,
                h.end,
                h.months(),
                MAX_HORIZON_MONTHS
            ),
        ));
    }
}

fn check_materials(s: &Scenario, out: &mut Vec<Problem>) {
    if s.materials.is_empty() {
        out.push(Problem::error(
            "materials",
            "no materials; list at least one (or leave the field out for the four defaults)",
        ));
        return;
    }
    let mut seen = HashSet::new();
    for (i, m) in s.materials.iter().enumerate() {
        let at = format!("materials[{i}]");
        if m.id.trim().is_empty() {
            out.push(Problem::error(
                format!("{at}.id"),
                "missing or empty; give each material a short id, e.g. \"NdPr\"",
            ));
        } else if !seen.insert(m.id.as_str()) {
            out.push(Problem::error(
                format!("{at}.id"),
                format!(
                    "`{}` is used by an earlier material; ids must be unique",
                    m.id
                ),
            ));
        }
        for l in MATERIAL_LEVERS {
            if let Some(msg) = range_message((l.get)(m), l.min, l.max, l.unit) {
                out.push(Problem::error(format!("{at}.{}", l.id), msg));
            }
        }
        check_price_path(m, &at, out);
    }
    let sum: f64 = s.materials.iter().map(|m| m.capex_share.0).sum();
    if sum.is_finite() && (sum - 1.0).abs() > SHARE_SUM_TOLERANCE {
        let list: Vec<String> = s
            .materials
            .iter()
            .map(|m| format!("{} {}", m.id, num(m.capex_share.0)))
            .collect();
        out.push(Problem::error(
            "materials",
            format!(
                "capex shares sum to {} ({}); they must sum to 1",
                num(sum),
                list.join(" + ")
            ),
        ));
    }
}

/// China's domestic price path: prices in the `china_price` range, dates in ascending order.
fn check_price_path(m: &crate::model::Material, at: &str, out: &mut Vec<Problem>) {
    let range = MATERIAL_LEVERS.iter().find(|l| l.id == "china_price");
    for (j, point) in m.china_prices.iter().enumerate() {
        if let Some(l) = range
            && let Some(msg) = range_message(point.price.0, l.min, l.max, l.unit)
        {
            out.push(Problem::error(format!("{at}.china_prices[{j}].price"), msg));
        }
        if j > 0 && point.date <= m.china_prices[j - 1].date {
            out.push(Problem::error(
                format!("{at}.china_prices[{j}].date"),
                format!(
                    "{} is not after the point before it ({}); list the prices in date order",
                    point.date,
                    m.china_prices[j - 1].date
                ),
            ));
        }
    }
}

fn check_events(s: &Scenario, out: &mut Vec<Problem>) {
    let ids: HashSet<&str> = s.materials.iter().map(|m| m.id.as_str()).collect();
    let quota = lever("quota_level");
    let (min, max, unit) = quota.map_or((0.0, 1.5, ""), |l| (l.min, l.max, l.unit));
    for (i, e) in s.events.iter().enumerate() {
        let at = format!("events[{i}]");
        if e.date > s.horizon.end {
            out.push(Problem::error(
                format!("{at}.date"),
                format!(
                    "{} is after the horizon ends ({}); the event would never take effect",
                    e.date, s.horizon.end
                ),
            ));
        }
        if let Some(m) = range_message(e.quota_level.0, min, max, unit) {
            out.push(Problem::error(format!("{at}.quota_level"), m));
        }
        if let Some(m) = range_message(e.export_duty.0, 0.0, 1.0, "%") {
            out.push(Problem::error(format!("{at}.export_duty"), m));
        }
        for (j, id) in e.materials.iter().enumerate() {
            if !ids.contains(id.as_str()) {
                let mut known: Vec<&str> = s.materials.iter().map(|m| m.id.as_str()).collect();
                known.retain(|k| !k.is_empty());
                out.push(Problem::error(
                    format!("{at}.materials[{j}]"),
                    format!(
                        "no material with id `{id}`; the scenario has {}",
                        known.join(", ")
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_document;

    #[test]
    fn the_default_document_is_clean() {
        assert_eq!(validate(&default_document()), Vec::new());
    }

    #[test]
    fn reports_every_problem() {
        let mut doc = default_document();
        doc.scenario.levers.quota_level.0 = f64::NAN;
        doc.scenario.materials[1].id = "NdPr".into();
        doc.scenario.materials[0].capex_share.0 = 0.5;
        doc.scenario.events[0].materials = vec!["Xx".into()];
        let paths: Vec<String> = validate(&doc).into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "levers.quota_level",
                "materials[1].id",
                "materials",
                "events[0].materials[0]",
                // The default timeline's later events name Dy, renamed here.
                "events[1].materials[0]",
                "events[2].materials[0]"
            ]
        );
    }

    #[test]
    fn a_price_path_out_of_order_or_range_is_reported_where() {
        let mut doc = default_document();
        doc.scenario.materials[1].china_prices = vec![
            crate::model::PricePoint {
                date: crate::model::YearMonth {
                    year: 2025,
                    month: 6,
                },
                price: crate::model::units::UsdPerKg(f64::NAN),
            },
            crate::model::PricePoint {
                date: crate::model::YearMonth {
                    year: 2025,
                    month: 3,
                },
                price: crate::model::units::UsdPerKg(200.0),
            },
        ];
        let paths: Vec<String> = validate(&doc).into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "materials[1].china_prices[0].price",
                "materials[1].china_prices[1].date"
            ]
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2025-11-20"));
        assert!(is_date("2025-11-20T10:00:00Z"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("20/11/2025"));
    }
}
