//! The user's own data: a scenario names CSV files of observed prices or volumes; they are
//! drawn as observed points with the file as source, never copied into the scenario, and a
//! bad row is refused with its line number.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestone::scenario::chart::ChartKind;
use lodestone::scenario::{load_file, save_file, to_ron_string};

use crate::common::scenario;

fn with_data_file(dir: &std::path::Path, csv: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("data")).expect("dir");
    std::fs::write(dir.join("data/ours.csv"), csv).expect("csv");
    let text = std::fs::read_to_string(scenario("pause-2025-11.ron")).expect("scenario");
    let end = text.rfind(')').expect("a struct");
    let text = format!(
        "{}    record: (data_files: [\"data/ours.csv\"]),\n{}",
        &text[..end],
        &text[end..]
    );
    let path = dir.join("ours.ron");
    std::fs::write(&path, text).expect("scenario");
    path
}

#[test]
fn a_named_csv_is_drawn_as_observed_points_and_never_copied_into_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = with_data_file(
        dir.path(),
        "date,material,series,value\n2025-05,NdPr,market_price,95\n2025-06,NdPr,market_price,110\n",
    );
    let doc = load_file(&path).expect("loads").document;
    let ours: Vec<_> = doc
        .record
        .observed
        .iter()
        .filter(|s| s.source.contains("ours.csv"))
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0].chart, ChartKind::SpotPrice);
    assert_eq!(ours[0].points.len(), 2);

    let text = to_ron_string(&doc);
    assert!(text.contains("data/ours.csv"), "the reference stays");
    assert!(!text.contains("your data"), "the points are not inlined");
    let copy = dir.path().join("copy.ron");
    save_file(&copy, &doc).expect("saves");
    let again = load_file(&copy).expect("reloads").document;
    assert_eq!(again.record.observed, doc.record.observed);
}

#[test]
fn a_bad_row_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = with_data_file(
        dir.path(),
        "date,material,series,value\n2025-05,NdPr,market_price,95\n2025-06,NdPr,market_price,ten\n",
    );
    let err = load_file(&path).expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("record.data_files[0]"), "{text}");
    assert!(text.contains("ours.csv:3:"), "{text}");
}

#[test]
fn a_missing_csv_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = with_data_file(dir.path(), "date,material,series,value\n");
    std::fs::remove_file(dir.path().join("data/ours.csv")).expect("rm");
    let err = load_file(&path).expect_err("refused");
    assert!(err.to_string().contains("ours.csv"), "{err}");
}

#[test]
fn a_csv_written_with_quotes_reads_back_the_same() {
    use lodestone::output::data::csv_field;
    use lodestone::scenario::data_file::parse_data_file;
    // Every awkward cell `csv_field` quotes: commas, quotes, a leading space.
    let materials = ["Nd,Pr", "say \"total\"", " padded", "plain"];
    let mut text = String::from("date,material,series,value\r\n");
    for (i, m) in materials.iter().enumerate() {
        text.push_str(&format!(
            "{},{},{},{}\r\n",
            csv_field("2025-05"),
            csv_field(m),
            csv_field("market_price"),
            csv_field(&format!("{}", 100 + i))
        ));
    }
    let series = parse_data_file(&text, "rt.csv").expect("reads");
    let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
    let expected: Vec<String> = materials
        .iter()
        .map(|m| format!("{} market_price (rt.csv)", m.trim()))
        .collect();
    assert_eq!(names, expected);
    let values: Vec<f64> = series.iter().map(|s| s.points[0].low).collect();
    assert_eq!(values, [100.0, 101.0, 102.0, 103.0]);
}

#[test]
fn observed_values_are_range_checked_against_the_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = with_data_file(
        dir.path(),
        "date,material,series,value\n\
         2025-05,NdPr,dependency,1e305\n\
         2025-05,NdPr,market_price,-5\n\
         2025-05,NdPr,market_price,1e308\n\
         2025-05,Unobtainium,market_price,100\n\
         2199-01,NdPr,market_price,100\n\
         2025-05,NdPr,dependency,0.5\n",
    );
    let err = load_file(&path).expect_err("refused");
    let lines: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    let all = lines.join("\n");
    for (line, words) in [
        (2, "1e305 is out of range for `dependency`"),
        (3, "-5 is out of range for `market_price`"),
        (4, "1e308 is out of range"),
        (5, "no material `Unobtainium`"),
        (6, "outside the scenario's horizon"),
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("ours.csv:{line}:")) && l.contains(words)),
            "line {line}: {words}\n{all}"
        );
    }
    assert!(!all.contains("ours.csv:7:"), "{all}");
}
