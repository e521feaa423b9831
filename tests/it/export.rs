//! Exports: the SVG is well-formed XML naming every series, the PNG has the expected size and
//! is not blank, the series CSV round-trips the model's numbers, the headline table exports,
//! and `lodestone export` writes all three headless.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestone::app::ChartKind;
use lodestone::model::{SeriesId, simulate};
use lodestone::output::data::csv_string;
use lodestone::output::figure::{document_figure, scenario_figure};
use lodestone::output::table::{TableColumn, table_csv, table_markdown};
use lodestone::output::{png, svg};
use lodestone::scenario::{default_document, load_file};
use std::collections::HashSet;
use std::process::Command;

use crate::common::*;

fn figure() -> (lodestone::output::figure::Figure, Vec<String>) {
    let doc = default_document();
    let results = simulate(&doc.scenario);
    let base = simulate(&doc.scenario.reference());
    let fig = scenario_figure(
        "Test scenario",
        &results,
        Some(("No controls", &base)),
        &[
            ChartKind::Cost,
            ChartKind::Dependency,
            ChartKind::ChinaExports,
        ],
        &[(ChartKind::Cost, 2026.0, "Pause ends".to_string())],
        "2025-11-30",
    );
    let mut names: Vec<String> = results.materials.iter().map(|m| m.name.clone()).collect();
    names.push("All materials".into());
    names.push("Baseline: No controls".into());
    (fig, names)
}

#[test]
fn svg_parses_as_xml_and_names_every_series() {
    let (fig, names) = figure();
    let text = svg::to_svg(&fig, (1200, 900)).expect("renders");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    for name in &names {
        // Each of the three charts has a legend naming every line.
        let n = texts.iter().filter(|t| *t == name).count();
        assert_eq!(n, 3, "{name} in {texts:?}");
    }
    for title in [
        "Cost of supply (incl. demand lost) ($/kg)",
        "Dependency on Chinese origin (%)",
        "Pause ends",
    ] {
        assert!(texts.iter().any(|t| t == title), "{title}");
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Test scenario") && t.contains("2025-11-30"))
    );
    // Axis units are written on the value axes.
    assert!(texts.iter().any(|t| t == "$/kg"));
}

#[test]
fn png_has_the_requested_size_and_is_not_blank() {
    let (fig, _) = figure();
    let bytes = png::to_png(&fig, (800, 600), 2.0).expect("renders");
    let image = image::load_from_memory(&bytes).expect("decodes").to_rgb8();
    assert_eq!(image.dimensions(), (1600, 1200));
    let colours: HashSet<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 50, "only {} colours", colours.len());
}

#[test]
fn series_csv_round_trips_the_model_numbers() {
    let results = simulate(&default_document().scenario);
    let text = csv_string(&results);
    let mut checked = 0;
    // The model version, the header, then the rows.
    for line in text.lines().skip(2) {
        let cells: Vec<&str> = line.split(',').collect();
        let (date, material, key, value) = (cells[0], cells[1], cells[2], cells[3]);
        let step = results
            .dates
            .iter()
            .position(|d| d.to_string() == date)
            .expect("known date");
        let id = SeriesId::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .expect("known series");
        let set = if material == "total" {
            &results.total
        } else {
            &results
                .materials
                .iter()
                .find(|m| m.id == material)
                .expect("material")
                .series
        };
        let want = set.get(id)[step];
        if value.is_empty() {
            assert!(!want.is_finite());
            continue;
        }
        let got: f64 = value.parse().expect("a number");
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{line}: {want}"
        );
        checked += 1;
    }
    assert!(checked > 10_000);
}

#[test]
fn headline_table_exports_as_csv_and_markdown() {
    let a = load_file(&scenario("fortress.ron"))
        .expect("loads")
        .document;
    let b = load_file(&scenario("status-quo.ron"))
        .expect("loads")
        .document;
    let column = |name: &str, doc: &lodestone::scenario::Document| {
        let r = simulate(&doc.scenario);
        TableColumn {
            name: name.into(),
            summary: lodestone::model::Summary {
                headline: r.headline.clone(),
                extra_cost_usd: 0.0,
            },
        }
    };
    let cols = [column("Fortress", &a), column("Status, quo", &b)];
    let csv = table_csv(&cols);
    // The model version first, then the header row.
    let stamp = lodestone::output::data::csv_stamp();
    assert!(csv.starts_with(&format!("{stamp}\nfigure,unit,Fortress,\"Status, quo\"\n")));
    // A header, the eleven figures of `lodestone diff` and the extra cost: one list.
    assert_eq!(csv.lines().count(), 14);
    // Units live in their own column; the cells are numbers a spreadsheet can add up.
    let peak = csv
        .lines()
        .find(|l| l.starts_with("peak cost of supply,"))
        .expect("peak cost row");
    let cells: Vec<&str> = peak.split(',').collect();
    assert_eq!(cells[1], "$/kg");
    assert!(
        cells[2..].iter().all(|c| c.parse::<f64>().is_ok()),
        "{peak}"
    );
    assert!(csv.contains("\npeak spot price,$/kg,"));
    let md = table_markdown(&cols);
    assert_eq!(md.lines().count(), 14);
    assert!(md.lines().nth(1).is_some_and(|l| l == "|---|---|---|"));
}

#[test]
fn cli_export_writes_png_svg_and_csv_headless() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (png_out, svg_out, csv_out) = (
        dir.path().join("c.png"),
        dir.path().join("c.svg"),
        dir.path().join("c.csv"),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .arg("export")
        .arg(scenario("fast-diversification.ron"))
        .arg("--png")
        .arg(&png_out)
        .arg("--svg")
        .arg(&svg_out)
        .arg("--csv")
        .arg(&csv_out)
        .args(["--chart", "dependency", "--size", "640x400"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let image = image::open(&png_out).expect("a PNG").to_rgb8();
    assert_eq!(image.dimensions(), (640, 400));
    let svg_text = std::fs::read_to_string(&svg_out).expect("SVG written");
    assert!(roxmltree::Document::parse(&svg_text).is_ok());
    assert!(svg_text.contains("Dependency on Chinese origin"));
    let csv = std::fs::read_to_string(&csv_out).expect("CSV written");
    assert!(csv.starts_with(&format!(
        "{}\ndate,material,series,value,unit\n",
        lodestone::output::data::csv_stamp()
    )));

    let bad = Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .arg("export")
        .arg(scenario("fortress.ron"))
        .args(["--chart", "nonsense", "--svg"])
        .arg(dir.path().join("x.svg"))
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown chart"));
}

#[test]
fn log_axis_ticks_are_round_numbers() {
    let doc = default_document();
    let results = simulate(&doc.scenario);
    let fig = scenario_figure("Log", &results, None, &[ChartKind::Cost], &[], "2025-11-30");
    let text = svg::to_svg(&fig, (1200, 500)).expect("renders");
    let svg = roxmltree::Document::parse(&text).expect("well-formed XML");
    let numbers: Vec<f64> = svg
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .filter_map(|t| t.trim().replace(',', "").parse::<f64>().ok())
        // Years label the time axis.
        .filter(|v| !(2000.0..=2100.0).contains(v))
        .collect();
    assert!(!numbers.is_empty(), "the value axis is labelled");
    let mantissas: HashSet<u32> = numbers
        .iter()
        .map(|v| {
            let m = v / 10f64.powf(v.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|r| (m - r).abs() < 1e-9),
                "a log-axis tick reads {v}; ticks should step 1, 2, 5, 10, 20, 50, ..."
            );
            m.round() as u32
        })
        .collect();
    // The cost axis spans under four decades, so the 2s and 5s are labelled too.
    assert!(mantissas.len() >= 2, "{numbers:?}");
}

/// Exports draw the Monte Carlo bands the window shows, with a legend entry naming them,
/// on the charts that have bands; `--no-bands` leaves them out.
#[test]
fn exports_carry_the_uncertainty_bands() {
    let path = scenario("controls-2025-04.ron");
    let doc = load_file(&path).expect("shipped scenario").document;
    let results = simulate(&doc.scenario);
    let charts = [ChartKind::Cost, ChartKind::ChinaExports];
    let fig = document_figure("Bands", &doc, &results, None, &charts, "2026-12-01", true);
    let band = fig.charts[0]
        .band
        .as_ref()
        .expect("the cost chart has bands");
    assert_eq!(band.paths, doc.scenario.uncertainty.paths as usize);
    assert_eq!(band.x.len(), results.dates.len());
    for i in 0..band.x.len() {
        let p = &band.percentiles;
        assert!(p[0][i] <= p[2][i] && p[2][i] <= p[4][i], "step {i}");
    }
    assert!(
        fig.charts[1].band.is_none(),
        "exports have no band on screen either"
    );
    let drawn = svg::to_svg(&fig, (1200, 800)).expect("renders");
    assert!(drawn.contains("P10-P90"), "named in the legend");
    let plain = document_figure("Bands", &doc, &results, None, &charts, "2026-12-01", false);
    assert!(plain.charts.iter().all(|c| c.band.is_none()));

    let dir = tempfile::tempdir().expect("temp dir");
    let (with, without) = (dir.path().join("with.svg"), dir.path().join("without.svg"));
    for (out, extra) in [(&with, None), (&without, Some("--no-bands"))] {
        let mut args = vec!["export", path_str(&path), "--svg", path_str(out)];
        args.extend(extra);
        let run = lodestone(&args);
        assert!(run.status.success(), "{}", text(&run.stderr));
    }
    let read = |p: &std::path::Path| std::fs::read_to_string(p).expect("written");
    assert!(read(&with).contains("P10-P90"));
    assert!(!read(&without).contains("P10-P90"));
}

/// `lodestone pack` writes one PDF page per slide and a page of lever differences, with the
/// text embedded as text (a font in the file), not as pictures.
#[test]
fn pack_writes_a_page_per_slide_and_a_lever_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("pack.pdf");
    let deck = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/2025-story.ron");
    let run = lodestone(&["pack", path_str(&deck), "--pdf", path_str(&out)]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let bytes = std::fs::read(&out).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF-"));
    let pdf = String::from_utf8_lossy(&bytes);
    let pages = pdf
        .match_indices("/Type/Page")
        .filter(|(i, _)| !pdf[i + "/Type/Page".len()..].starts_with('s'));
    let slides = lodestone::scenario::deck::load_deck(&deck)
        .expect("deck")
        .slides
        .len();
    assert_eq!(pages.count(), slides + 1);
    assert!(
        pdf.contains("/FontFile2"),
        "the font is embedded, text stays text"
    );

    // A deck that does not load is refused with its problems, and nothing is written.
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(slides: [(file: \"missing.ron\")])").expect("write");
    let refused = dir.path().join("refused.pdf");
    let run = lodestone(&["pack", path_str(&bad), "--pdf", path_str(&refused)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("missing.ron"));
    assert!(!refused.exists());
}

/// Exported charts match the screen: the policy events are drawn and labelled, and the
/// legend sits in a column of its own to the right of the plot, never over the lines.
#[test]
fn exports_carry_the_events_and_keep_the_legend_off_the_data() {
    let doc = default_document();
    let results = simulate(&doc.scenario);
    let mut fig = scenario_figure(
        "Events",
        &results,
        None,
        &[ChartKind::Cost, ChartKind::Dependency],
        &[],
        "2026-12-01",
    );
    lodestone::output::figure::add_events(&mut fig, &doc.scenario.events);
    let text = svg::to_svg(&fig, (1200, 800)).expect("renders");
    let svg = roxmltree::Document::parse(&text).expect("well-formed XML");
    let texts: Vec<(String, f64)> = svg
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| {
            let x = n.attribute("x")?.parse::<f64>().ok()?;
            Some((n.text()?.trim().to_string(), x))
        })
        .collect();
    for event in &doc.scenario.events {
        assert!(
            texts.iter().any(|(t, _)| *t == event.label),
            "event {} is labelled",
            event.label
        );
    }
    // Every legend name starts right of the last year label of the time axis.
    let last_year_x = texts
        .iter()
        .filter(|(t, _)| {
            t.parse::<f64>()
                .is_ok_and(|v| (2000.0..=2100.0).contains(&v))
        })
        .map(|(_, x)| *x)
        .fold(f64::NEG_INFINITY, f64::max);
    for material in &doc.scenario.materials {
        let legend = texts
            .iter()
            .find(|(t, _)| *t == material.name)
            .unwrap_or_else(|| panic!("{} in the legend", material.name));
        assert!(
            legend.1 > last_year_x,
            "{} at x {} overlaps the plot",
            legend.0,
            legend.1
        );
    }
}

/// Exported charts carry the observed record as the screen does: a backtest's own series (and
/// the built-in 2024-2025 figures inside its horizon) are drawn, named in the legend, and
/// stretch the axis so no diamond is cut off.
#[test]
fn exports_carry_the_observed_record() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("backtests/quota-2010.ron");
    let doc = load_file(&path)
        .expect("the shipped backtest loads")
        .document;
    let results = simulate(&doc.scenario);
    let mut fig = scenario_figure(
        "Record",
        &results,
        None,
        &[ChartKind::SpotPrice, ChartKind::ChinaExports],
        &[],
        "2026-12-01",
    );
    let (first, last) = (results.dates[0], results.dates[results.dates.len() - 1]);
    lodestone::output::figure::add_observed(&mut fig, &doc.record, first, last);
    let spot = &fig.charts[0].observed;
    let names: Vec<&str> = spot.iter().map(|o| o.name.as_str()).collect();
    assert!(names.contains(&"Record: Dy oxide, FOB China"), "{names:?}");
    // Every observed series of the file lands on its own chart and nowhere else.
    for series in &doc.record.observed {
        let on = fig
            .charts
            .iter()
            .filter(|c| c.observed.iter().any(|o| o.name == series.name))
            .map(|c| c.kind)
            .collect::<Vec<_>>();
        assert_eq!(on, vec![series.chart], "{}", series.name);
    }
    let text = svg::to_svg(&fig, (1200, 800)).expect("renders");
    assert!(
        text.contains("Record: Dy oxide, FOB China"),
        "named in the legend"
    );
    assert!(text.contains("<polygon"), "diamonds drawn");
    // The highest figure of the record ($2,800-2,820 Tb) is inside the spot chart's axis.
    let top = fig.charts[0]
        .observed
        .iter()
        .flat_map(|o| o.points.iter().map(|p| p.2))
        .fold(0.0, f64::max);
    assert!(top >= 2_800.0);
}

/// Every chart the window offers is one `--chart` can name, by its short name or by the
/// title the window shows, and `export --help` lists every short name.
#[test]
fn export_names_every_chart_the_window_offers() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario("pause-2025-11.ron");
    let help = text(&lodestone(&["export", "--help"]).stdout);
    for kind in ChartKind::ALL {
        assert!(help.contains(kind.name()), "help misses {}", kind.name());
        for name in [kind.name().to_string(), kind.title().to_string()] {
            assert_eq!(ChartKind::by_name(&name), Some(kind), "{name}");
        }
        let out = dir.path().join(format!("{}.svg", kind.name()));
        let run = lodestone(&[
            "export",
            path_str(&file),
            "--chart",
            kind.name(),
            "--no-bands",
            "--svg",
            path_str(&out),
        ]);
        assert!(
            run.status.success(),
            "{}: {}",
            kind.name(),
            text(&run.stderr)
        );
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(
            svg.contains(kind.title()),
            "{} is not the chart drawn",
            kind.name()
        );
    }
    assert_eq!(ChartKind::by_name("spot-price"), Some(ChartKind::SpotPrice));
    assert_eq!(
        ChartKind::by_name("china_exports"),
        Some(ChartKind::ChinaExports)
    );
    assert_eq!(ChartKind::by_name("nope"), None);
}

/// An export from the window is the charts as shown: a material or the aggregate hidden on
/// screen is not drawn in the file either (the aggregate's baseline goes with it).
#[test]
fn a_window_export_leaves_out_the_lines_hidden_on_screen() {
    use lodestone::app::{AppOptions, AppState, Command};
    let mut state = AppState::new(AppOptions::default());
    let names = |state: &AppState| -> Vec<Vec<String>> {
        state
            .figure()
            .charts
            .iter()
            .map(|c| c.series.iter().map(|s| s.name.clone()).collect())
            .collect()
    };
    let all = names(&state);
    assert!(all.iter().all(|c| c.iter().any(|n| n == "Terbium")));
    let mut view = state.view.clone();
    view.hidden_series = vec!["Tb".into(), lodestone::display::names::TOTAL_KEY.into()];
    state.apply(Command::SetView(view));
    for chart in names(&state) {
        assert!(!chart.iter().any(|n| n == "Terbium"), "{chart:?}");
        assert!(
            !chart
                .iter()
                .any(|n| n == lodestone::display::names::TOTAL_LABEL || n.starts_with("Baseline")),
            "{chart:?}"
        );
        assert!(chart.iter().any(|n| n == "Dysprosium"), "{chart:?}");
    }
}

/// Files written without a window (`lodestone export`, the board pack) draw the plan's
/// targets as the window does: the board question's dependency target at 50 % from 2034.
#[test]
fn headless_figures_draw_the_plans_targets() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/board-question.ron");
    let doc = load_file(&path).expect("loads").document;
    let results = simulate(&doc.scenario);
    let fig = document_figure(
        "Board question",
        &doc,
        &results,
        None,
        &[ChartKind::Dependency, ChartKind::Cost],
        "2026-12-01",
        false,
    );
    let target: Vec<_> = fig.charts[0]
        .series
        .iter()
        .filter(|s| s.name == lodestone::output::figure::TARGET_LABEL)
        .collect();
    assert_eq!(target.len(), 1, "the dependency chart shows its target");
    let (start, level) = target[0].points[0];
    assert!((level - 50.0).abs() < 1e-9, "at 50 %: {level}");
    assert!((start - 2034.0).abs() < 1e-9, "from 2034: {start}");
    assert!(
        !fig.charts[1]
            .series
            .iter()
            .any(|s| s.name == lodestone::output::figure::TARGET_LABEL),
        "the cost chart has no target"
    );
}
