//! Speed of one deterministic run: a slider drag re-runs the model every frame, so one run of
//! the default scenario (all materials, 2024-2040 monthly) must stay far below a frame.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use lodestone::model::{
    Figure, Horizon, Resolution, Results, Scenario, Uncertainty, Workspace, monte_carlo, simulate,
    simulate_into, tornado,
};
use std::hint::black_box;

fn single_run(c: &mut Criterion) {
    let scenario = Scenario::default();
    c.bench_function("default scenario, fresh buffers", |b| {
        b.iter(|| simulate(black_box(&scenario)))
    });

    let mut workspace = Workspace::default();
    let mut results = Results::empty();
    c.bench_function("default scenario, reused buffers", |b| {
        b.iter(|| simulate_into(black_box(&scenario), &mut workspace, &mut results))
    });

    let yearly = Scenario {
        horizon: Horizon {
            resolution: Resolution::Yearly,
            ..Horizon::default()
        },
        ..Scenario::default()
    };
    c.bench_function("default scenario, yearly", |b| {
        b.iter(|| simulate(black_box(&yearly)))
    });
}

fn uncertainty(c: &mut Criterion) {
    let scenario = Scenario::default();
    let u = Uncertainty::default();
    let mut group = c.benchmark_group("monte carlo");
    group.sample_size(20);
    group.bench_function("1000 paths, default scenario", |b| {
        b.iter(|| monte_carlo(black_box(&scenario), &u, &|| false))
    });
    group.bench_function("tornado, every lever low and high", |b| {
        b.iter(|| tornado(black_box(&scenario), Figure::PeakCost))
    });
    group.finish();
}

criterion_group!(benches, single_run, uncertainty);
criterion_main!(benches);
