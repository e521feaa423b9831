//! Results as files people open elsewhere: a tidy CSV (one row per date, material and series)
//! and a JSON document (headline figures plus every series).
//!
//! Writers take any `io::Write`, so the CLI, the window's export menu and tests share them.
//! They format only; they never run the model.

use crate::display::names::TOTAL_KEY;
use crate::model::company::CompanyResults;
use crate::model::{Headline, Results, SeriesId, SeriesSet};
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// The CSV header row.
pub const CSV_HEADER: &str = "date,material,series,value,unit";

/// The first line of every CSV Lodestone writes, before the header row: which model made
/// the figures (`# Lodestone model 0.1.0+1a2b3c4d`). Spreadsheets show it as a first cell;
/// pandas (`comment="#"`) and R (`comment.char = "#"`) skip it.
pub fn csv_stamp() -> String {
    format!(
        "# Lodestone model {}",
        crate::scenario::stamp::model_version()
    )
}

/// Number of data rows `write_csv` produces for `results` (without the header).
pub fn csv_rows(results: &Results) -> usize {
    results.steps() * (results.materials.len() + 1) * SeriesId::ALL.len()
}

/// Quotes a CSV field when it needs it (RFC 4180). Every CSV Lodestone writes uses it.
/// Control characters (but line breaks and tabs) and noncharacters are left out.
pub fn csv_field(s: &str) -> String {
    let cleaned: String;
    let s = if s
        .chars()
        .any(|c| crate::scenario::validate::is_forbidden_char(c, true))
    {
        cleaned = s
            .chars()
            .filter(|&c| !crate::scenario::validate::is_forbidden_char(c, true))
            .collect();
        &cleaned
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes every series of every material and the total, tidy:
/// `date,material,series,value,unit` with dates as `YYYY-MM`, the aggregate as material
/// `total`, series by their stable key (e.g. `market_price`) and values at full precision.
pub fn write_csv<W: Write>(results: &Results, mut out: W) -> io::Result<()> {
    writeln!(out, "{}", csv_stamp())?;
    writeln!(out, "{CSV_HEADER}")?;
    let sets: Vec<(String, &SeriesSet)> = results
        .materials
        .iter()
        .map(|m| (csv_field(&m.id), &m.series))
        .chain(std::iter::once((TOTAL_KEY.to_string(), &results.total)))
        .collect();
    for (step, date) in results.dates.iter().enumerate() {
        for (material, set) in &sets {
            for id in SeriesId::ALL {
                let value = set.get(id).get(step).copied().unwrap_or(f64::NAN);
                // A spreadsheet reads an empty cell as missing; "NaN" would be text.
                let value = if value.is_finite() {
                    value.to_string()
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "{date},{material},{},{value},{}",
                    id.key(),
                    csv_field(id.unit())
                )?;
            }
        }
    }
    out.flush()
}

/// Appends a company's series to a tidy CSV (no header): per material `company_need`,
/// `company_spend`, `company_cost_per_kg`, `company_stock`, `company_stock_months`,
/// `company_unmet_share`; for `total` `company_spend`, `company_cost_per_unit`,
/// `company_working_capital`, `company_stoppage`.
pub fn write_company_csv<W: Write>(company: &CompanyResults, mut out: W) -> io::Result<()> {
    let cell = |v: f64| {
        if v.is_finite() {
            v.to_string()
        } else {
            String::new()
        }
    };
    for (step, date) in company.dates.iter().enumerate() {
        for m in &company.materials {
            let id = csv_field(&m.id);
            for (key, unit, values) in [
                ("company_need", "t/yr", &m.need),
                ("company_spend", "$/yr", &m.spend),
                ("company_cost_per_kg", "$/kg", &m.cost_per_kg),
                ("company_stock", "t", &m.stock),
                ("company_stock_months", "months", &m.stock_months),
                ("company_unmet_share", "share", &m.unmet_share),
            ] {
                let v = values.get(step).copied().unwrap_or(f64::NAN);
                writeln!(out, "{date},{id},{key},{},{unit}", cell(v))?;
            }
        }
        for (key, unit, values) in [
            ("company_spend", "$/yr", &company.spend),
            ("company_cost_per_unit", "$/unit", &company.cost_per_unit),
            ("company_working_capital", "$", &company.working_capital),
            ("company_stoppage", "share", &company.stoppage),
        ] {
            let v = values.get(step).copied().unwrap_or(f64::NAN);
            writeln!(out, "{date},{TOTAL_KEY},{key},{},{unit}", cell(v))?;
        }
    }
    out.flush()
}

/// The CSV as a string.
pub fn csv_string(results: &Results) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_csv(results, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn finite(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

/// The headline figures as a JSON object (dates as `YYYY-MM`, null when none).
pub fn headline_json(h: &Headline) -> Value {
    json!({
        "peak_cost_usd_per_kg": finite(h.peak_cost_usd_per_kg),
        "peak_cost_date": h.peak_cost_date.map(|d| d.to_string()),
        "total_spend_usd": finite(h.total_spend_usd),
        "dependency_threshold": finite(h.dependency_threshold),
        "dependency_below_threshold": h.dependency_below_threshold.map(|d| d.to_string()),
        "months_of_shortfall": finite(h.months_of_shortfall),
        "final_dependency": finite(h.final_dependency),
        "total_capex_usd": finite(h.total_capex_usd),
        "strategy_cost_usd": finite(h.strategy_cost_usd),
    })
}

/// The cost of the strategy four ways (MODEL.md, section 9) as a JSON object.
pub fn strategy_json(f: &crate::model::StrategyFigures) -> Value {
    json!({
        "with_controls_usd": finite(f.with_controls),
        "with_controls_no_capex_usd": finite(f.with_controls_no_capex),
        "without_controls_usd": finite(f.without_controls),
        "without_controls_no_capex_usd": finite(f.without_controls_no_capex),
        "premium_if_relaxed_usd": finite(f.premium_if_relaxed()),
        "saving_if_cut_usd": finite(f.saving_if_cut()),
    })
}

/// The targets as checked: `[{ "kind", "at_most", "from", "value", "met" }]`, shares as
/// 0-1 and money in $ billion, as in the file.
pub fn targets_json(checks: &[crate::model::TargetCheck]) -> Value {
    Value::Array(
        checks
            .iter()
            .map(|c| {
                json!({
                    "kind": c.target.kind.key(),
                    "at_most": finite(c.target.at_most),
                    "from": c.target.from.map(|d| d.to_string()),
                    "value": finite(c.value),
                    "met": c.met,
                })
            })
            .collect(),
    )
}

/// Headline plus every series:
/// `{ "name", "headline", "extra_cost_usd", "dates", "units", "series": { material: { key: [...] } } }`.
/// `extra_cost_usd` is against the baseline the caller chose (null when none).
pub fn to_json(name: &str, results: &Results, extra_cost_usd: Option<f64>) -> Value {
    let set_json = |set: &SeriesSet| {
        let mut m = Map::new();
        for id in SeriesId::ALL {
            let values: Vec<Value> = set.get(id).iter().map(|&v| finite(v)).collect();
            m.insert(id.key().to_string(), Value::Array(values));
        }
        Value::Object(m)
    };
    let mut series = Map::new();
    for m in &results.materials {
        series.insert(m.id.clone(), set_json(&m.series));
    }
    series.insert(TOTAL_KEY.to_string(), set_json(&results.total));
    let units: Map<String, Value> = SeriesId::ALL
        .iter()
        .map(|id| (id.key().to_string(), json!(id.unit())))
        .collect();
    json!({
        "model_version": crate::scenario::stamp::model_version(),
        "name": name,
        "headline": headline_json(&results.headline),
        "extra_cost_usd": extra_cost_usd.map(finite),
        "dates": results.dates.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "units": units,
        "series": series,
    })
}

/// Writes a JSON value pretty-printed.
pub fn write_json_value<W: Write>(value: &Value, mut out: W) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

/// Writes [`to_json`] pretty-printed.
pub fn write_json<W: Write>(
    name: &str,
    results: &Results,
    extra_cost_usd: Option<f64>,
    mut out: W,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &to_json(name, results, extra_cost_usd))
        .map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scenario, simulate};

    #[test]
    fn csv_has_one_row_per_date_material_and_series() {
        let r = simulate(&Scenario::default());
        let text = csv_string(&r);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(csv_stamp().as_str()));
        assert_eq!(lines.next(), Some(CSV_HEADER));
        assert_eq!(lines.clone().count(), csv_rows(&r));
        assert_eq!(csv_rows(&r), 204 * 5 * SeriesId::ALL.len());
        assert!(
            lines
                .next()
                .is_some_and(|l| l.starts_with("2024-01,NdPr,cost,"))
        );
        assert!(text.contains("\n2040-12,total,substitution,"));
    }

    #[test]
    fn json_has_headline_and_series() {
        let r = simulate(&Scenario::default());
        let v = to_json("x", &r, Some(1.0));
        assert_eq!(v["dates"].as_array().map(Vec::len), Some(204));
        assert_eq!(
            v["series"]["total"]["cost"].as_array().map(Vec::len),
            Some(204)
        );
        assert!(v["headline"]["peak_cost_usd_per_kg"].as_f64().is_some());
    }
}
