//! The side-by-side headline table of the compare view, as cells, CSV or Markdown: the same
//! figures and wording as `lodestone diff` (`crate::display::headline`).

use super::data::csv_field;
use crate::display::headline::{HeadlineFigure, summary_figures};
use crate::model::Summary;

/// One scenario's column in the side-by-side table.
#[derive(Clone, Debug, PartialEq)]
pub struct TableColumn {
    /// Column header: the scenario's name.
    pub name: String,
    /// The scenario's headline figures and extra cost.
    pub summary: Summary,
}

/// The table as rows of cells, header first: `figure, scenario 1, scenario 2, ...`.
pub fn table_cells(columns: &[TableColumn]) -> Vec<Vec<String>> {
    rows(columns, &["figure"], |figures| {
        let mut row = vec![figures[0].label.clone()];
        row.extend(figures.iter().map(|f| f.text.clone()));
        row
    })
}

/// The table for spreadsheets: `figure, unit, scenario 1, ...`, the unit in its own column
/// and plain numbers in the cells (dates stay `YYYY-MM`, "never" stays a word).
pub fn table_export_cells(columns: &[TableColumn]) -> Vec<Vec<String>> {
    rows(columns, &["figure", "unit"], |figures| {
        // "pp" is the unit of a difference; the cells hold the share itself, in percent.
        let unit = match figures.iter().find_map(|f| f.number.map(|(_, u)| u)) {
            Some("pp") => "%",
            Some(unit) => unit,
            None => "month",
        };
        let mut row = vec![figures[0].label.clone(), unit.to_string()];
        row.extend(figures.iter().map(|f| match f.number {
            Some((v, _)) => plain_number(v),
            None => f.text.clone(),
        }));
        row
    })
}

/// A header (`heads`, then the scenario names) and one row per headline figure, built by
/// `row` from that figure in every column.
fn rows(
    columns: &[TableColumn],
    heads: &[&str],
    row: impl Fn(&[&HeadlineFigure]) -> Vec<String>,
) -> Vec<Vec<String>> {
    let header = heads
        .iter()
        .map(ToString::to_string)
        .chain(columns.iter().map(|c| c.name.clone()))
        .collect();
    let per_column: Vec<Vec<HeadlineFigure>> = columns
        .iter()
        .map(|c| summary_figures(&c.summary))
        .collect();
    let count = per_column.first().map(Vec::len).unwrap_or(0);
    let mut out = vec![header];
    for i in 0..count {
        let figures: Vec<&HeadlineFigure> = per_column.iter().map(|c| &c[i]).collect();
        out.push(row(&figures));
    }
    out
}

/// A number a spreadsheet reads: no grouping, no unit, at most four decimals.
fn plain_number(v: f64) -> String {
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// The side-by-side table as CSV.
pub fn table_csv(columns: &[TableColumn]) -> String {
    let mut out = super::data::csv_stamp();
    out.push('\n');
    for row in table_export_cells(columns) {
        out.push_str(
            &row.iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// The side-by-side table as a Markdown (GitHub) table, for people to read: the cells as the
/// window's table shows them, rounded and with their units.
pub fn table_markdown(columns: &[TableColumn]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    for (i, row) in table_cells(columns).iter().enumerate() {
        out.push_str("| ");
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
        out.push_str(" |\n");
        if i == 0 {
            out.push('|');
            out.push_str(&"---|".repeat(row.len()));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scenario, simulate};

    #[test]
    fn markdown_table_has_a_column_per_scenario() {
        let r = simulate(&Scenario::default());
        let col = |name: &str| TableColumn {
            name: name.into(),
            summary: Summary {
                headline: r.headline.clone(),
                extra_cost_usd: 1e9,
            },
        };
        let md = table_markdown(&[col("A"), col("B|C")]);
        let mut lines = md.lines();
        assert_eq!(lines.next(), Some("| figure | A | B\\|C |"));
        assert_eq!(lines.next(), Some("|---|---|---|"));
        assert!(
            md.contains("| extra cost vs baseline | 1.00 $B | 1.00 $B |"),
            "{md}"
        );
    }

    /// The Markdown reads as the window's table does: rounded, a share in "%", never "pp"
    /// for a share; the CSV's unit column says "%" for it too.
    #[test]
    fn markdown_is_rounded_as_on_screen_and_shares_are_percent() {
        let r = simulate(&Scenario::default());
        let col = TableColumn {
            name: "A".into(),
            summary: Summary {
                headline: r.headline.clone(),
                extra_cost_usd: 1.234_567_89e9,
            },
        };
        let md = table_markdown(std::slice::from_ref(&col));
        let screen = table_cells(std::slice::from_ref(&col));
        for row in &screen {
            assert!(md.contains(&row.join(" | ")), "{row:?} in {md}");
        }
        assert!(!md.contains(" pp"), "{md}");
        assert!(!md.contains("1.2346"), "unrounded: {md}");
        let csv = table_csv(std::slice::from_ref(&col));
        assert!(csv.contains("final dependency,%,"), "{csv}");
    }
}
