//! The user's own observed data: a CSV file (`date,material,series,value`) that a scenario
//! names in `record.data_files`, drawn on the charts as observed points with the file named
//! as their source. Values are in the unit `lodestone run --csv` writes for that series
//! (`market_price` in $/kg, `china_exports` in t/yr, ...); a bad row is refused with its
//! line number, every bad row at once.

use super::chart::ChartKind;
use super::record::{ObservedPoint, ObservedSeries};
use super::{Diagnostic, LoadError, read_text};
use crate::model::{SeriesId, YearMonth};
use std::path::Path;

/// The header a data file starts with.
pub const HEADER: &str = "date,material,series,value";

/// At most this many bad rows are listed (a wrong file would otherwise print thousands).
const MAX_ROW_PROBLEMS: usize = 50;

/// The chart a series is drawn on, if any chart draws it.
fn chart_of(series: SeriesId) -> Option<ChartKind> {
    ChartKind::ALL.into_iter().find(|c| c.series() == series)
}

/// The series keys a data file may use.
fn known_series() -> Vec<&'static str> {
    SeriesId::ALL
        .into_iter()
        .filter(|s| chart_of(*s).is_some())
        .map(SeriesId::key)
        .collect()
}

/// Parses a data file's text; `origin` names it in diagnostics and as the points' source.
pub fn parse_data_file(text: &str, origin: &str) -> Result<Vec<ObservedSeries>, LoadError> {
    let name = Path::new(origin)
        .file_name()
        .map_or_else(|| origin.to_string(), |n| n.to_string_lossy().into_owned());
    let at = |line: usize, col: usize, message: String| Diagnostic {
        file: origin.to_string(),
        line,
        col,
        field: String::new(),
        message,
    };
    let mut problems = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header))
            if header
                .trim()
                .trim_start_matches('\u{feff}')
                .replace(' ', "")
                == HEADER => {}
        _ => {
            return Err(LoadError {
                diagnostics: vec![at(
                    1,
                    1,
                    format!("the first line must be the header `{HEADER}`"),
                )],
            });
        }
    }
    let mut series: Vec<ObservedSeries> = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != 4 {
            problems.push(at(
                n,
                1,
                format!("{} cells; a row is date,material,series,value", cells.len()),
            ));
            continue;
        }
        let col = |k: usize| 1 + cells[..k].iter().map(|c| c.len() + 1).sum::<usize>();
        let date = match cells[0].parse::<YearMonth>() {
            Ok(d) => d,
            Err(_) => {
                problems.push(at(
                    n,
                    col(0),
                    format!("`{}` is not a month; write YYYY-MM", cells[0]),
                ));
                continue;
            }
        };
        if cells[1].is_empty() {
            problems.push(at(
                n,
                col(1),
                "no material; write an id such as NdPr, or total".into(),
            ));
            continue;
        }
        let Some(chart) = SeriesId::from_key(cells[2]).and_then(chart_of) else {
            problems.push(at(
                n,
                col(2),
                format!(
                    "unknown series `{}`; one of: {}",
                    cells[2],
                    known_series().join(", ")
                ),
            ));
            continue;
        };
        let value = match cells[3].parse::<f64>() {
            Ok(v) if v.is_finite() => v * chart.scale(),
            _ => {
                problems.push(at(n, col(3), format!("`{}` is not a number", cells[3])));
                continue;
            }
        };
        let label = format!("{} {} ({name})", cells[1], cells[2]);
        let point = ObservedPoint {
            date,
            low: value,
            high: value,
            note: String::new(),
        };
        match series.iter_mut().find(|s| s.name == label) {
            Some(s) => s.points.push(point),
            None => series.push(ObservedSeries {
                name: label,
                chart,
                source: format!("your data: {name}"),
                points: vec![point],
                from_file: Some(origin.to_string()),
            }),
        }
        if problems.len() > MAX_ROW_PROBLEMS {
            break;
        }
    }
    if problems.is_empty() {
        Ok(series)
    } else {
        problems.truncate(MAX_ROW_PROBLEMS);
        Err(LoadError {
            diagnostics: problems,
        })
    }
}

/// Reads and parses a data file (a regular UTF-8 file of at most 1 MiB).
pub fn read_data_file(path: &Path) -> Result<Vec<ObservedSeries>, LoadError> {
    let (text, origin) = read_text(path, "CSV data")?;
    parse_data_file(&text, &origin)
}

/// Reads the data files a scenario or profile names (`field` is where it names them, e.g.
/// `record.data_files`), relative to its file `from`; every problem of every file at once.
pub fn read_data_files(
    names: &[String],
    from: &Path,
    field: &str,
) -> Result<Vec<ObservedSeries>, LoadError> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match read_data_file(&super::resolve_relative(name, Some(from))) {
            Ok(series) => out.extend(series),
            Err(e) => {
                problems.push(Diagnostic {
                    file: from.display().to_string(),
                    line: 0,
                    col: 0,
                    field: format!("{field}[{i}]"),
                    message: format!("data file `{name}` does not load (below)"),
                });
                problems.extend(e.diagnostics);
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(LoadError {
            diagnostics: problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_group_into_series_in_the_charts_unit() {
        let text = "date,material,series,value\n2025-05,NdPr,market_price,120\n2025-06,NdPr,market_price,95.5\n2025-05,total,china_exports,24000\n";
        let s = parse_data_file(text, "data/ours.csv").expect("parses");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].chart, ChartKind::SpotPrice);
        assert_eq!(s[0].points.len(), 2);
        assert_eq!(s[0].source, "your data: ours.csv");
        // Exports are charted per month.
        assert_eq!(s[1].points[0].low, 2000.0);
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_column() {
        let text = "date,material,series,value\n2025-13,NdPr,cost,1\n2025-05,NdPr,prize,1\n2025-05,NdPr,cost,lots\n2025-05,NdPr\n";
        let err = parse_data_file(text, "ours.csv").expect_err("refused");
        let lines: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[0].starts_with("ours.csv:2:1:"), "{}", lines[0]);
        assert!(lines[1].starts_with("ours.csv:3:14:"), "{}", lines[1]);
        assert!(lines[2].starts_with("ours.csv:4:"), "{}", lines[2]);
        assert!(lines[3].starts_with("ours.csv:5:1:"), "{}", lines[3]);
    }

    #[test]
    fn a_missing_header_is_refused() {
        let err = parse_data_file("2025-05,NdPr,cost,1\n", "x.csv").expect_err("refused");
        assert!(err.first().contains("header"));
    }
}
