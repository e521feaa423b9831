//! The user's own observed data: a CSV file (`date,material,series,value`) that a scenario
//! names in `record.data_files`, drawn on the charts as observed points with the file named
//! as their source. Values are in the unit `lodestone run --csv` writes for that series
//! (`market_price` in $/kg, `china_exports` in t/yr, ...); a bad row is refused with its
//! line number, every bad row at once.

use super::chart::ChartKind;
use super::record::{ObservedPoint, ObservedSeries};
use super::validate::num;
use super::{Diagnostic, LoadError, read_text};
use crate::model::{Scenario, SeriesId, YearMonth};
use std::path::Path;

pub use super::validate::MAX_DATA_FILES;

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

/// The largest value a data file may give for a series, by the unit `run --csv` writes it in
/// (the smallest is 0: every series a chart draws is a price, an amount or a share).
fn largest(series: SeriesId) -> f64 {
    match series.unit() {
        "share" => 1.0,
        "$/kg" => 1e6,
        "$/yr" | "$" => 1e13,
        _ => 1e9,
    }
}

/// What a value of `series` may not be, as a message, if it is out of range.
fn value_problem(series: SeriesId, value: f64) -> Option<String> {
    let max = largest(series);
    if (0.0..=max).contains(&value) {
        return None;
    }
    let unit = series.unit();
    let allowed = if unit == "share" {
        "0 to 1 (a share: 0 % to 100 %)".to_string()
    } else {
        format!("0 to {} ({unit})", num(max))
    };
    Some(format!(
        "{} is out of range for `{}`; allowed {allowed}",
        num(value),
        series.key()
    ))
}

/// Parses a data file's text; `origin` names it in diagnostics and as the points' source.
pub fn parse_data_file(text: &str, origin: &str) -> Result<Vec<ObservedSeries>, LoadError> {
    parse_data_file_for(text, origin, None)
}

/// Parses a data file's text for a scenario (when given): each row's material must be one
/// of the scenario's (or `total`) and its date inside the scenario's horizon.
pub fn parse_data_file_for(
    text: &str,
    origin: &str,
    scenario: Option<&Scenario>,
) -> Result<Vec<ObservedSeries>, LoadError> {
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
    let mut more = 0usize;
    let (records, broken) = csv_records(super::without_bom(text));
    let mut records = records.into_iter();
    let header = records.next().map(|r| {
        r.cells
            .iter()
            .map(|(_, c)| c.replace(' ', ""))
            .collect::<Vec<_>>()
            .join(",")
    });
    match header {
        Some(h) if h == HEADER => {}
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
    for record in records {
        let n = record.line;
        if record.cells.len() == 1 && record.cells[0].1.is_empty() {
            continue;
        }
        let cells: Vec<&str> = record.cells.iter().map(|(_, c)| c.as_str()).collect();
        if cells.len() != 4 {
            problems.push(at(
                n,
                1,
                format!("{} cells; a row is date,material,series,value", cells.len()),
            ));
            continue;
        }
        let col = |k: usize| record.cells[k].0;
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
        if let Some(m) =
            super::validate::text_problem(cells[1], super::validate::MAX_NAME_CHARS, false)
        {
            problems.push(at(n, col(1), format!("material: {m}")));
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
            Ok(v) if v.is_finite() => v,
            _ => {
                problems.push(at(n, col(3), format!("`{}` is not a number", cells[3])));
                continue;
            }
        };
        if let Some(m) = value_problem(chart.series(), value) {
            problems.push(at(n, col(3), m));
            continue;
        }
        let value = value * chart.scale();
        if let Some(s) = scenario {
            // `total` is the aggregate, as `run --csv` writes it (display::names::TOTAL_KEY).
            if cells[1] != "total" && !s.materials.iter().any(|m| m.id == cells[1]) {
                let known: Vec<&str> = s.materials.iter().map(|m| m.id.as_str()).collect();
                problems.push(at(
                    n,
                    col(1),
                    format!(
                        "no material `{}` in the scenario; it has {}, and `total`",
                        cells[1],
                        known.join(", ")
                    ),
                ));
                continue;
            }
            if date < s.horizon.start || date > s.horizon.end {
                problems.push(at(
                    n,
                    col(0),
                    format!(
                        "{date} is outside the scenario's horizon ({} to {})",
                        s.horizon.start, s.horizon.end
                    ),
                ));
                continue;
            }
        }
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
            // Count the rest, keep only the first ones.
            more += problems.len() - MAX_ROW_PROBLEMS;
            problems.truncate(MAX_ROW_PROBLEMS);
        }
    }
    if let Some((line, col, message)) = broken {
        problems.push(at(line, col, message));
    }
    if problems.is_empty() {
        Ok(series)
    } else {
        if more > 0 {
            problems.push(at(
                0,
                0,
                format!("... and {more} more problems in this file"),
            ));
        }
        Err(LoadError {
            diagnostics: problems,
        })
    }
}

/// One CSV record: the line it starts on and its cells, each with the column (1-based, in
/// characters) where it starts.
struct CsvRecord {
    line: usize,
    cells: Vec<(usize, String)>,
}

/// The records of CSV text as RFC 4180 writes them (and `run --csv` and every other CSV
/// Lodestone writes, through `csv_field`): a cell in double quotes may hold commas, line
/// breaks and doubled quotes (`""` for `"`); unquoted cells are trimmed; lines end in LF or
/// CRLF. A quoted cell left open, or followed by text before the next comma, ends the
/// reading with its place and a message (the complete records before it are returned).
fn csv_records(text: &str) -> (Vec<CsvRecord>, Option<(usize, usize, String)>) {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut col) = (1usize, 1usize);
    while chars.peek().is_some() {
        let mut record = CsvRecord {
            line,
            cells: Vec::new(),
        };
        loop {
            while let Some(' ' | '\t') = chars.peek() {
                chars.next();
                col += 1;
            }
            let start = col;
            let mut cell = String::new();
            if chars.peek() == Some(&'"') {
                let opened = (line, col);
                chars.next();
                col += 1;
                loop {
                    match chars.next() {
                        None => {
                            let message = "a quoted cell is not closed: a `\"` is missing";
                            return (records, Some((opened.0, opened.1, message.into())));
                        }
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            col += 2;
                            cell.push('"');
                        }
                        Some('"') => {
                            col += 1;
                            break;
                        }
                        Some('\n') => {
                            line += 1;
                            col = 1;
                            cell.push('\n');
                        }
                        Some(c) => {
                            col += 1;
                            cell.push(c);
                        }
                    }
                }
                while let Some(' ' | '\t') = chars.peek() {
                    chars.next();
                    col += 1;
                }
                if !matches!(chars.peek(), None | Some(',' | '\n' | '\r')) {
                    let message = "text after the closing quote of a cell; quote the whole cell \
                                   and write a quote inside it as `\"\"`";
                    return (records, Some((line, col, message.into())));
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' || c == '\n' {
                        break;
                    }
                    chars.next();
                    col += 1;
                    cell.push(c);
                }
                let kept = cell.trim_end().len();
                cell.truncate(kept);
            }
            record.cells.push((start, cell));
            match chars.next() {
                Some(',') => col += 1,
                Some('\r') => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    col = 1;
                    break;
                }
                Some(_) => {
                    line += 1;
                    col = 1;
                    break;
                }
                None => break,
            }
        }
        records.push(record);
    }
    (records, None)
}

/// Reads and parses a data file (a regular UTF-8 file of at most 1 MiB).
pub fn read_data_file(path: &Path) -> Result<Vec<ObservedSeries>, LoadError> {
    read_data_file_for(path, None)
}

/// Reads and parses a data file for a scenario (see [`parse_data_file_for`]).
pub fn read_data_file_for(
    path: &Path,
    scenario: Option<&Scenario>,
) -> Result<Vec<ObservedSeries>, LoadError> {
    let (text, origin) = read_text(path, "CSV data")?;
    parse_data_file_for(&text, &origin, scenario)
}

/// Reads the data files a scenario or profile names (`field` is where it names them, e.g.
/// `record.data_files`), relative to its file `from`; every problem of every file at once
/// (at most [`super::MAX_DIAGNOSTICS`], then how many more). With a scenario, each row is
/// checked against its materials and horizon too.
pub fn read_data_files(
    names: &[String],
    from: &Path,
    field: &str,
    scenario: Option<&Scenario>,
) -> Result<Vec<ObservedSeries>, LoadError> {
    let origin = from.display().to_string();
    if names.len() > MAX_DATA_FILES {
        return Err(LoadError {
            diagnostics: vec![Diagnostic {
                file: origin,
                line: 0,
                col: 0,
                field: field.to_string(),
                message: format!(
                    "{} data files; at most {MAX_DATA_FILES} may be named",
                    names.len()
                ),
            }],
        });
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            problems.push(Diagnostic {
                file: origin.clone(),
                line: 0,
                col: 0,
                field: format!("{field}[{i}]"),
                message: format!("data file `{name}` is named twice; name each file once"),
            });
            continue;
        }
        match read_data_file_for(&super::resolve_relative(name, Some(from)), scenario) {
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
        Err(LoadError::capped(problems, &origin))
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
    fn quoted_cells_read_as_rfc_4180_writes_them() {
        let text = "date,material,series,value\r\n2025-05,\"Nd, \"\"light\"\"\",market_price,\"120\"\r\n\"2025-06\",\"Dy\",market_price,95\n";
        let s = parse_data_file(text, "q.csv").expect("parses");
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Nd, \"light\" market_price (q.csv)",
                "Dy market_price (q.csv)"
            ]
        );
        let err = parse_data_file(
            "date,material,series,value\n2025-05,\"NdPr,cost,1\n",
            "q.csv",
        )
        .expect_err("an open quote");
        assert!(err.first().starts_with("q.csv:2:9:"), "{}", err.first());
    }

    #[test]
    fn a_missing_header_is_refused() {
        let err = parse_data_file("2025-05,NdPr,cost,1\n", "x.csv").expect_err("refused");
        assert!(err.first().contains("header"));
    }
}
