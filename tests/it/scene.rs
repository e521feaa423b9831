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
