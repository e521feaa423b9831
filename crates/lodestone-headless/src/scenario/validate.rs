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

/// Most events (controls over time) a scenario may list; the shipped ones have a handful.
pub const MAX_EVENTS: usize = 1000;

/// Most Monte Carlo work one run of the bands may ask for: paths times months of horizon.
/// 100,000 paths over 100 years took 88 s and 3.8 GB; this bound keeps a run to seconds.
pub const MAX_PATH_MONTHS: usize = 5_000_000;

/// Most data files one scenario or profile may name.
pub const MAX_DATA_FILES: usize = 32;

/// Most materials a scenario may list (each is simulated every month).
pub const MAX_MATERIALS: usize = 50;

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

/// Longest name, id, title, label, tag or date text, in characters: a name is shown on one
/// line (a tab, a legend, the title bar), and the window cannot draw a line of a million.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest free text (a description, notes, a source, a path), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Fields whose text is a short, one-line name (by the last part of the field path).
const NAME_FIELDS: &[&str] = &[
    "name",
    "model",
    "value",
    "id",
    "label",
    "title",
    "author",
    "created",
    "modified",
    "tags",
    "material",
    "series",
    "materials",
    "chart",
];

/// Whether a character may not appear in a text field: control characters (a NUL ends a
/// window title, and none of them may appear in an SVG) and Unicode noncharacters such as
/// U+FFFE. Free text may hold line breaks and tabs.
pub fn is_forbidden_char(c: char, multiline: bool) -> bool {
    let u = u32::from(c);
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// What is wrong with one text value: a forbidden character (by its code point and place) or
/// more than `max` characters.
pub fn text_problem(value: &str, max: usize, multiline: bool) -> Option<String> {
    if let Some((i, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| is_forbidden_char(c, multiline))
    {
        let what = if c.is_control() {
            "a control character"
        } else {
            "a Unicode noncharacter"
        };
        return Some(format!(
            "the text holds {what} (U+{:04X}) at character {}; remove it{}",
            u32::from(c),
            i + 1,
            if multiline {
                ""
            } else {
                " (a name is one line of printable text)"
            }
        ));
    }
    let n = value.chars().count();
    (n > max).then(|| format!("the text is {n} characters long; at most {max} are allowed"))
}

/// Every text problem of `value` as serialised (the file's own field names), by field path
/// under `prefix`: control characters, noncharacters and overlong text, in every string
/// field, so a field added later is covered without a list to keep up to date.
pub fn text_problems<T: serde::Serialize>(value: &T, prefix: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Ok(tree) = serde_json::to_value(value) {
        walk_text(&tree, prefix, "", &mut out);
    }
    out
}

fn walk_text(value: &serde_json::Value, path: &str, field: &str, out: &mut Vec<Problem>) {
    use serde_json::Value;
    let join = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    match value {
        Value::String(text) => {
            // An annotation's note has its own, shorter limit (`annotation::problems`).
            let (max, multiline) = if NAME_FIELDS.contains(&field) {
                (MAX_NAME_CHARS, false)
            } else if field == "text" && path.starts_with("annotations[") {
                (usize::MAX, false)
            } else {
                (MAX_TEXT_CHARS, true)
            };
            if let Some(m) = text_problem(text, max, multiline) {
                out.push(Problem::error(path, m));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_text(item, &format!("{path}[{i}]"), field, out);
            }
        }
        Value::Object(map) => {
            // An enum variant with fields (`Peak(label: ..)`) is written without its name in
            // a field path, as the locator reads it.
            if map.len() == 1
                && let Some((variant, inner)) = map.iter().next()
                && variant.starts_with(|c: char| c.is_ascii_uppercase())
            {
                walk_text(inner, path, field, out);
                return;
            }
            for (name, item) in map {
                walk_text(item, &join(name), name, out);
            }
        }
        _ => {}
    }
}

/// Significant digits [`num`] keeps: enough that a value just outside a range (1.50001
/// against 1.5) still reads differently from the limit, few enough to hide float noise.
const SIGNIFICANT_DIGITS: usize = 6;

/// Formats a number for a message, as people would write it in the file: whole numbers
/// without `.0`, others rounded to six significant digits without trailing zeros
/// (`1.1600000000000001` reads `1.16`), and very large or small ones with an exponent (`1e300`,
/// not 301 digits). Every message about a value of a file uses it.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let a = v.abs();
    if !(1e-4..1e15).contains(&a) {
        let text = format!("{v:.*e}", SIGNIFICANT_DIGITS - 1);
        return match text.split_once('e') {
            Some((mantissa, exp)) => format!("{}e{exp}", trim_zeros(mantissa)),
            None => text,
        };
    }
    let magnitude = a.log10().floor() as i64;
    let decimals = (SIGNIFICANT_DIGITS as i64 - 1 - magnitude).max(0) as usize;
    trim_zeros(&format!("{v:.decimals$}")).to_string()
}

/// `1.500` -> `1.5`, `2.000` -> `2`; text without a decimal point is left as it is.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// A value outside its allowed range (or not a finite number). Its text says the value and
/// what is allowed, with shares shown both as stored and as percentages.
#[derive(Clone, Debug, PartialEq)]
pub struct OutOfRange {
    /// The value given.
    pub value: f64,
    /// Smallest value allowed.
    pub min: f64,
    /// Largest value allowed.
    pub max: f64,
    /// The unit as the lever table writes it (`%...` for a share stored as a fraction).
    pub unit: String,
}

impl std::error::Error for OutOfRange {}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            value,
            min,
            max,
            unit,
        } = self;
        let (value, min, max) = (*value, *min, *max);
        // Shares are stored as fractions and shown as percentages (the slider's 150 % is 1.5
        // in the file): a unit starting with `%` gets both scales.
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
        if value.is_finite() {
            write!(
                f,
                "{}{value_shown} is out of range; allowed {allowed}",
                num(value)
            )
        } else {
            write!(
                f,
                "{} is not a finite number; allowed {allowed}",
                num(value)
            )
        }
    }
}

/// The range problem of a value, as the message a validation problem carries.
fn range_message(value: f64, min: f64, max: f64, unit: &str) -> Option<String> {
    check_range(value, min, max, unit)
        .err()
        .map(|e| e.to_string())
}

/// A share as a percentage, rid of float noise (0.07 x 100 = 7.000000000000001).
fn round_percent(share: f64) -> f64 {
    (share * 100.0 * 1e6).round() / 1e6
}

/// Checks a value against a lever's range (used by `--set` too).
pub fn check_range(value: f64, min: f64, max: f64, unit: &str) -> Result<(), OutOfRange> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(OutOfRange {
            value,
            min,
            max,
            unit: unit.to_string(),
        })
    }
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

    check_counts(doc, &mut out);
    check_observed(doc, &mut out);
    check_materials(s, &mut out);
    check_events(s, &mut out);
    check_targets(doc, &mut out);
    out.extend(super::annotation::problems(doc));
    out.extend(text_problems(&super::format::FileV2Out::new(doc), ""));
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
    if let Some(stamp) = &doc.stamp
        && stamp.figures.len() > super::stamp::MAX_STAMP_FIGURES
    {
        out.push(Problem::error(
            "stamp.figures",
            format!(
                "{} figures; at most {} are allowed",
                stamp.figures.len(),
                super::stamp::MAX_STAMP_FIGURES
            ),
        ));
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

/// Why `paths` Monte Carlo paths over `months` are too much work, if they are.
pub fn path_months_problem(paths: u32, months: usize) -> Option<String> {
    let work = (paths as usize).saturating_mul(months);
    (work > MAX_PATH_MONTHS).then(|| {
        format!(
            "{paths} paths over {months} months is {work} path-months; at most {MAX_PATH_MONTHS} \
             (here at most {} paths)",
            MAX_PATH_MONTHS / months.max(1)
        )
    })
}

fn check_horizon(s: &Scenario, out: &mut Vec<Problem>) {
    let h = &s.horizon;
    let q = s.levers.quota_from;
    if h.end > h.start && (q < h.start || q > h.end) {
        out.push(Problem::error(
            "levers.quota_from",
            format!(
                "{q} is outside the horizon ({} to {}); the quota would start {}",
                h.start,
                h.end,
                if q < h.start {
                    "before the run does"
                } else {
                    "after the run ends, so it would never apply"
                }
            ),
        ));
    }
    if h.end <= h.start {
        out.push(Problem::error(
            "horizon.end",
            format!("{} must be after the start ({})", h.end, h.start),
        ));
    } else if h.months() <= MAX_HORIZON_MONTHS
        && let Some(m) = path_months_problem(s.uncertainty.paths, h.months())
    {
        out.push(Problem::error("uncertainty.paths", m));
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

/// Lists whose length costs work on every run or load: events, materials, data files.
fn check_counts(doc: &Document, out: &mut Vec<Problem>) {
    let s = &doc.scenario;
    for (path, n, max, what) in [
        ("events", s.events.len(), MAX_EVENTS, "events"),
        ("materials", s.materials.len(), MAX_MATERIALS, "materials"),
        (
            "record.data_files",
            doc.record.data_files.len(),
            MAX_DATA_FILES,
            "data files",
        ),
    ] {
        if n > max {
            out.push(Problem::error(
                path,
                format!("{n} {what}; a scenario may list at most {max}"),
            ));
        }
    }
}

/// Observed figures written in the file (those of data files are checked as they are read):
/// finite, not negative, the low end not above the high end, a percentage at most 100.
fn check_observed(doc: &Document, out: &mut Vec<Problem>) {
    let written = doc
        .record
        .observed
        .iter()
        .enumerate()
        .filter(|(_, s)| s.from_file.is_none());
    for (i, series) in written {
        let max = if series.chart.unit() == "%" {
            100.0
        } else {
            1e13
        };
        // Written in the chart's unit; a percentage is already on the 0-100 scale here.
        let unit = match series.chart.unit() {
            "%" => "per cent",
            other => other,
        };
        for (j, p) in series.points.iter().enumerate() {
            let at = format!("record.observed[{i}].points[{j}]");
            for (field, v) in [("low", p.low), ("high", p.high)] {
                if let Some(m) = range_message(v, 0.0, max, unit) {
                    out.push(Problem::error(format!("{at}.{field}"), m));
                }
            }
            if p.low > p.high {
                out.push(Problem::error(
                    format!("{at}.high"),
                    format!(
                        "{} is below the low end ({}); give the range low to high",
                        num(p.high),
                        num(p.low)
                    ),
                ));
            }
        }
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
        if let Some(m) = range_message(e.probability.0, 0.0, 1.0, "%") {
            out.push(Problem::error(format!("{at}.probability"), m));
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

/// Largest money target accepted, $ billion: far above any horizon's cost of supply, so a
/// typo of a few digits is caught.
const MAX_TARGET_USD_B: f64 = 100_000.0;

fn check_targets(doc: &Document, out: &mut Vec<Problem>) {
    let t = &doc.targets;
    let h = &doc.scenario.horizon;
    if let Some(d) = t.dependency {
        if let Some(m) = range_message(d.at_most.0, 0.0, 1.0, "%") {
            out.push(Problem::error("targets.dependency.at_most", m));
        }
        if d.from < h.start || d.from > h.end {
            out.push(Problem::error(
                "targets.dependency.from",
                format!(
                    "{} is outside the horizon ({} to {}); the target would apply to no month",
                    d.from, h.start, h.end
                ),
            ));
        }
    }
    let months = h.months() as f64;
    let checks = [
        (
            "targets.shortfall_months",
            t.shortfall_months,
            months,
            "months",
        ),
        (
            "targets.strategy_cost",
            t.strategy_cost,
            MAX_TARGET_USD_B,
            "$B",
        ),
        (
            "targets.capex_budget",
            t.capex_budget,
            MAX_TARGET_USD_B,
            "$B",
        ),
        (
            "targets.shortfall_chance",
            t.shortfall_chance.map(|s| s.0),
            1.0,
            "%",
        ),
        (
            "targets.stoppage_chance",
            t.stoppage_chance.map(|s| s.0),
            1.0,
            "%",
        ),
    ];
    for (path, value, max, unit) in checks {
        if let Some(v) = value
            && let Some(m) = range_message(v, 0.0, max, unit)
        {
            out.push(Problem::error(path, m));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_document;

    #[test]
    fn targets_out_of_range_are_reported_by_field() {
        let mut doc = default_document();
        doc.targets = crate::model::Targets::example();
        assert_eq!(validate(&doc), Vec::new());
        doc.targets.shortfall_chance = Some(crate::model::units::Share(1.5));
        doc.targets.strategy_cost = Some(f64::NAN);
        if let Some(d) = doc.targets.dependency.as_mut() {
            d.from.year = 2100;
        }
        let paths: Vec<String> = validate(&doc).into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            [
                "targets.dependency.from",
                "targets.strategy_cost",
                "targets.shortfall_chance"
            ]
        );
    }

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
    fn written_observed_figures_are_range_checked() {
        let mut doc = default_document();
        doc.record.observed = vec![crate::scenario::record::ObservedSeries {
            name: "ours".into(),
            chart: crate::scenario::chart::ChartKind::Dependency,
            points: vec![crate::scenario::record::ObservedPoint {
                low: 90.0,
                high: 1e307,
                ..Default::default()
            }],
            ..Default::default()
        }];
        let problems = validate(&doc);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "record.observed[0].points[0].high");
        assert!(problems[0].message.contains("1e307"), "{problems:?}");
    }

    #[test]
    fn numbers_read_short() {
        assert_eq!(num(1e300), "1e300");
        assert_eq!(num(-1e308), "-1e308");
        assert_eq!(num(1.1600000000000001), "1.16");
        assert_eq!(num(7.000000000000001), "7");
        assert_eq!(num(0.07), "0.07");
        assert_eq!(num(1.50001), "1.50001");
        assert_eq!(num(20.0), "20");
        assert_eq!(num(1.5e-9), "1.5e-9");
        assert_eq!(num(123.456789), "123.457");
        assert_eq!(num(f64::NAN), "NaN");
    }

    #[test]
    fn text_fields_refuse_control_characters_and_length() {
        let mut doc = default_document();
        doc.meta.name = "a\u{0}b".into();
        doc.meta.notes = "line one\nline two\u{fffe}".into();
        doc.meta.tags = vec!["x".repeat(MAX_NAME_CHARS + 1)];
        doc.scenario.materials[0].name = "\u{1}".into();
        let problems: Vec<(String, String)> = validate(&doc)
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect();
        let mut paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(
            paths,
            [
                "materials[0].name",
                "meta.name",
                "meta.notes",
                "meta.tags[0]"
            ],
            "{problems:?}"
        );
        let message = |path: &str| {
            problems
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, m)| m.clone())
                .unwrap_or_default()
        };
        assert!(message("meta.name").contains("U+0000"), "{problems:?}");
        assert!(message("meta.notes").contains("U+FFFE"), "{problems:?}");
        assert!(
            message("meta.tags[0]").contains("at most 200"),
            "{problems:?}"
        );
        // Line breaks are fine in free text.
        doc = default_document();
        doc.meta.description = "one\r\ntwo\tthree".into();
        assert_eq!(validate(&doc), Vec::new());
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2025-11-20"));
        assert!(is_date("2025-11-20T10:00:00Z"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("20/11/2025"));
    }
}
