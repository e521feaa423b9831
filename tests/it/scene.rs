//! One description of what a chart shows: the window draws each chart's scene with
//! egui_plot, and an export from the window writes the same scene through plotters. Each
//! chart kind, in the states that change what is on a chart (pins, the delta view, a hidden
//! material, targets, notes, events and the record), is drawn both ways, and the file is
//! checked to hold what the scene holds: the same lines in the same order with the same
//! values, the targets, the observed series, the events and the notes.

use crate::common::finish_io;
use lodestone::app::compare::CompareCommand;
use lodestone::app::scene::LineRole;
use lodestone::app::{AppOptions, AppState, ChartKind, Command};
use lodestone::output::svg;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Checks every chart kind of the state's scene against its file figure.
fn check_every_chart(state: &AppState, case: &str) {
    let figure = state.figure_of(&ChartKind::ALL);
    for (kind, chart) in ChartKind::ALL.iter().zip(&figure.charts) {
        let scene = state.chart_scene(*kind, None);
        let at = format!("{case}, {kind:?}");
        assert_eq!(chart.kind, *kind);
        assert_eq!(chart.delta, scene.delta, "{at}");
        // The file names each line once: the faint per-material reference lines are the
        // screen's only.
        let lines: Vec<_> = scene
            .lines
            .iter()
            .filter(|l| !matches!(l.role, LineRole::ReferenceMaterial(_)))
            .collect();
        let (targets, series): (Vec<_>, Vec<_>) = chart
            .series
            .iter()
            .partition(|s| s.name == lodestone::output::figure::TARGET_LABEL);
        assert_eq!(
            series.len(),
            lines.len(),
            "{at}: one file line per scene line"
        );
        for (line, drawn) in lines.iter().zip(&series) {
            match line.role {
                LineRole::Material(_) => assert_eq!(drawn.name, line.name, "{at}"),
                LineRole::Pin { .. } => assert!(drawn.name.ends_with(line.name.as_ref()), "{at}"),
                LineRole::ReferenceTotal => assert!(drawn.name.starts_with("Baseline"), "{at}"),
                _ => {}
            }
            assert_eq!(
                drawn.points.len(),
                line.points.len(),
                "{at}: {}",
                drawn.name
            );
            for (p, q) in line.points.iter().zip(&drawn.points) {
                let want = scene.shown(p.y);
                assert!(
                    p.x == q.0 && (q.1 - want).abs() <= 1e-9 * want.abs().max(1.0),
                    "{at}: {} at {}: file {} against screen {want}",
                    drawn.name,
                    p.x,
                    q.1
                );
            }
        }
        assert_eq!(targets.len(), scene.targets.len(), "{at}: targets");
        let observed: Vec<&str> = chart.observed.iter().map(|o| o.name.as_str()).collect();
        let shown: Vec<&str> = scene.observed.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(observed, shown, "{at}: observed series");
        let events: Vec<f64> = chart.events.iter().map(|e| e.x).collect();
        let on_screen: Vec<f64> = scene.events.iter().map(|e| e.date.decimal_year()).collect();
        assert_eq!(events, on_screen, "{at}: events");
        let notes: Vec<(f64, &str)> = chart.notes.iter().map(|n| (n.x, n.text.as_str())).collect();
        assert_eq!(notes, scene.notes, "{at}: notes");
    }
    // And the file renders, naming every line of the scene.
    let text = svg::to_svg(&figure, (1400, 4000)).expect("renders");
    for chart in &figure.charts {
        // Legends wrap long names at spaces: every word is there.
        for s in &chart.series {
            for word in s.name.split_whitespace() {
                let word = word
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                assert!(
                    text.contains(&word),
                    "{case}: the file names {} ({word})",
                    s.name
                );
            }
        }
    }
}

/// Draws the window once (every chart of the state's three on screen from its scene).
fn drawn(harness: &mut egui_kittest::Harness<'_, lodestone::ui::LodestoneApp>) {
    harness.run();
}

#[test]
fn each_chart_kind_is_drawn_the_same_on_screen_and_in_files() {
    let mut harness = crate::common::settled_window(AppOptions {
        file: Some(root().join("scenarios/board-question.ron")),
        library_dirs: vec![root().join("scenarios")],
        ..AppOptions::default()
    });
    let note = |chart, text: &str| {
        Command::Present(lodestone::app::present::PresentCommand::AddAnnotation(
            lodestone::scenario::annotation::Annotation {
                date: lodestone::model::YearMonth::new(2027, 3).expect("a month"),
                chart,
                text: text.into(),
            },
        ))
    };
    harness.state_mut().state.extend([
        note(ChartKind::Cost, "capex decision"),
        note(ChartKind::Dependency, "second mine"),
    ]);
    drawn(&mut harness);
    let state = &harness.state().state;
    assert!(
        !state
            .chart_scene(ChartKind::Dependency, None)
            .targets
            .is_empty()
    );
    assert!(!state.chart_scene(ChartKind::Cost, None).notes.is_empty());
    check_every_chart(state, "a file with targets, events and notes");

    for file in ["scenarios/fortress.ron", "scenarios/status-quo.ron"] {
        harness
            .state_mut()
            .state
            .push(Command::Compare(CompareCommand::PinFile(root().join(file))));
        finish_io(&mut harness);
    }
    check_every_chart(&harness.state().state, "two pins, the first the baseline");

    let mut view = harness.state().state.view.clone();
    view.hidden_series = vec!["Dy".into()];
    harness.state_mut().state.push(Command::SetView(view));
    drawn(&mut harness);
    check_every_chart(&harness.state().state, "dysprosium hidden");

    harness
        .state_mut()
        .state
        .push(Command::Compare(CompareCommand::SetDelta(true)));
    drawn(&mut harness);
    let state = &harness.state().state;
    assert!(state.chart_scene(ChartKind::Cost, None).delta);
    check_every_chart(state, "the delta view");
}

/// A file exported without a window (`lodestone export`, the board pack) holds what the
/// window's export of the same file, freshly opened, holds: the headless figure and the scene
/// are built apart (the scene borrows the window's caches), so this keeps them one
/// description.
#[test]
fn a_headless_export_holds_what_the_window_shows_of_a_freshly_opened_file() {
    use lodestone::output::figure::document_figure;
    for file in [
        "scenarios/board-question.ron",
        "scenarios/fortress.ron",
        "backtests/quota-2010.ron",
        "backtests/licensing-2025.ron",
    ] {
        let mut harness = crate::common::settled_window(AppOptions {
            file: Some(root().join(file)),
            library_dirs: vec![root().join("scenarios")],
            ..AppOptions::default()
        });
        let mut view = harness.state().state.view.clone();
        view.show_bands = false;
        harness.state_mut().state.push(Command::SetView(view));
        drawn(&mut harness);
        let state = &harness.state().state;
        let window = state.figure_of(&ChartKind::ALL);
        let active = state.active();
        let baseline = state
            .baseline()
            .map(|b| (b.doc.meta.name.clone(), b.run.results.clone()));
        let headless = document_figure(
            "name",
            &active.doc,
            &active.run.results,
            baseline.as_ref().map(|(n, r)| (n.as_str(), r)),
            &ChartKind::ALL,
            "date",
            false,
        );
        assert_eq!(window.charts.len(), headless.charts.len(), "{file}");
        for (w, h) in window.charts.iter().zip(&headless.charts) {
            let at = format!("{file}, {:?}", w.kind);
            assert_eq!(w.kind, h.kind, "{at}");
            let names = |c: &lodestone::output::figure::FigureChart| -> Vec<String> {
                c.series.iter().map(|s| s.name.clone()).collect()
            };
            assert_eq!(names(w), names(h), "{at}: the lines");
            for (a, b) in w.series.iter().zip(&h.series) {
                assert_eq!(a.points.len(), b.points.len(), "{at}: {}", a.name);
                for (p, q) in a.points.iter().zip(&b.points) {
                    assert!(
                        p.0 == q.0 && (p.1 - q.1).abs() <= 1e-9 * p.1.abs().max(1.0),
                        "{at}: {} at {}: window {} against headless {}",
                        a.name,
                        p.0,
                        p.1,
                        q.1
                    );
                }
            }
            let events = |c: &lodestone::output::figure::FigureChart| -> Vec<f64> {
                c.events.iter().map(|e| e.x).collect()
            };
            assert_eq!(events(w), events(h), "{at}: events");
            let observed = |c: &lodestone::output::figure::FigureChart| -> Vec<String> {
                c.observed.iter().map(|o| o.name.clone()).collect()
            };
            assert_eq!(observed(w), observed(h), "{at}: observed");
            let notes = |c: &lodestone::output::figure::FigureChart| -> Vec<(f64, String)> {
                c.notes.iter().map(|n| (n.x, n.text.clone())).collect()
            };
            assert_eq!(notes(w), notes(h), "{at}: notes");
        }
    }
}
