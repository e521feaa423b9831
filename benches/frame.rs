//! One full frame of the explorer window, headless: layout of every panel, the three charts
//! with every series of the default scenario (four materials, the aggregate, the no-controls
//! ghost, observed points, event lines) and tessellation into triangles, i.e. all the CPU
//! work of a frame short of uploading to the GPU. Target: under 5 ms.
//!
//! `frame/idle` redraws an unchanged scenario (plot points come from the cache);
//! `frame/after_lever_change` moves the quota lever every frame, so it includes the model run
//! and the plot-cache rebuild a slider drag costs; `frame/compare_table` redraws with four
//! pinned scenarios on the charts, no baseline, and the compare table open.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use lodestone::app::compare::{CompareCommand, PinId};
use lodestone::app::goal::GoalCommand;
use lodestone::app::{AppOptions, Command};
use lodestone::ui::LodestoneApp;
use std::hint::black_box;

fn raw_input(time: f64) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 720.0),
        )),
        time: Some(time),
        ..Default::default()
    }
}

fn setup() -> (egui::Context, LodestoneApp, f64) {
    let ctx = egui::Context::default();
    let mut app = LodestoneApp::new(AppOptions {
        // An empty library keeps the measurement about the window, not the disk.
        library_dirs: Vec::new(),
        ..AppOptions::default()
    });
    let mut time = 0.0;
    // Warm up: fonts, plot memory, first layout passes.
    for _ in 0..5 {
        time += 1.0 / 60.0;
        let output = ctx.run_ui(raw_input(time), |ui| app.draw(ui));
        black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
    }
    (ctx, app, time)
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");

    let (ctx, mut app, mut time) = setup();
    group.bench_function("idle", |b| {
        b.iter(|| {
            time += 1.0 / 60.0;
            let output = ctx.run_ui(raw_input(time), |ui| app.draw(ui));
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });

    let (ctx, mut app, mut time) = setup();
    let mut step = 0_u32;
    group.bench_function("after_lever_change", |b| {
        b.iter(|| {
            step += 1;
            time += 1.0 / 60.0;
            app.state.push(Command::SetLever {
                id: "quota_level",
                value: 0.3 + f64::from(step % 50) / 100.0,
            });
            let output = ctx.run_ui(raw_input(time), |ui| app.draw(ui));
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });

    // A slider moves while a robust seek runs on its worker: the frame must stay a frame.
    let (ctx, mut app, mut time) = setup();
    app.state.push(Command::SetTargets(
        lodestone::model::Targets::dependency_at_most(
            0.5,
            lodestone::model::YearMonth {
                year: 2034,
                month: 1,
            },
        ),
    ));
    app.state
        .push(Command::Goal(GoalCommand::SetRobust(Some(0.8))));
    let mut step = 0_u32;
    group.bench_function("after_lever_change_while_seeking", |b| {
        b.iter(|| {
            step += 1;
            time += 1.0 / 60.0;
            if !app.state.seeking() {
                // Seek again from the plan as it now is: a new request, a new search.
                app.state.push(Command::Goal(GoalCommand::Seek));
            }
            app.state.push(Command::SetLever {
                id: "quota_level",
                value: 0.3 + f64::from(step % 50) / 100.0,
            });
            let output = ctx.run_ui(raw_input(time), |ui| app.draw(ui));
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });

    let (ctx, mut app, mut time) = setup();
    for pin in 0..5_u32 {
        app.state.push(Command::SetLever {
            id: "quota_level",
            value: 0.4 + f64::from(pin) / 10.0,
        });
        app.state.push(Command::Compare(CompareCommand::PinActive));
    }
    // Unpinning the first pin, the baseline, leaves four pins measured against their own
    // runs without controls.
    app.state
        .push(Command::Compare(CompareCommand::Unpin(PinId(1))));
    app.state
        .push(Command::Compare(CompareCommand::ShowTable(true)));
    group.bench_function("compare_table", |b| {
        b.iter(|| {
            time += 1.0 / 60.0;
            let output = ctx.run_ui(raw_input(time), |ui| app.draw(ui));
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
        })
    });
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
