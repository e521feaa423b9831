//! Speed of one deterministic run: a slider drag re-runs the model every frame, so one run of
//! the default scenario (all materials, 2024-2040 monthly) must stay far below a frame.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use lodestone::model::company::{Need, Profile, evaluate};
use lodestone::model::{
    Figure, Horizon, Resolution, Results, Scenario, Uncertainty, Workspace, company_monte_carlo,
    monte_carlo, simulate, simulate_into, tornado,
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
    // The default 192 Halton paths are as accurate as 1,000 random ones (see
    // `uncertainty::tests`); 1,000 paths stays as the figure to compare over time.
    let u = Uncertainty::default();
    let thousand = Uncertainty {
        paths: 1000,
        ..Uncertainty::default()
    };
    let mut group = c.benchmark_group("monte carlo");
    group.sample_size(20);
    group.bench_function("default bands (192 paths), default scenario", |b| {
        b.iter(|| monte_carlo(black_box(&scenario), &u, &|| false))
    });
    group.bench_function("1000 paths, default scenario", |b| {
        b.iter(|| monte_carlo(black_box(&scenario), &thousand, &|| false))
    });
    group.bench_function("tornado, every lever low and high", |b| {
        b.iter(|| tornado(black_box(&scenario), Figure::PeakCost))
    });
    group.finish();
}

/// A company with two materials, stock and no contracts: what the company view evaluates
/// every frame, and over every Monte Carlo path.
fn company(c: &mut Criterion) {
    let scenario = Scenario::default();
    let run = simulate(&scenario);
    let profile = Profile {
        materials: ["NdPr", "Dy"]
            .map(|id| Need {
                material: id.into(),
                tonnes_per_year: 100.0,
                safety_stock_months: 3.0,
                ..Need::default()
            })
            .to_vec(),
        ..Profile::default()
    };
    c.bench_function("company evaluated on a run", |b| {
        b.iter(|| evaluate(black_box(&profile), &run))
    });
    let mut group = c.benchmark_group("company monte carlo");
    group.sample_size(10);
    group.bench_function("1000 paths, default scenario", |b| {
        b.iter(|| {
            company_monte_carlo(
                black_box(&scenario),
                &Uncertainty {
                    paths: 1000,
                    ..Uncertainty::default()
                },
                &profile,
                &|| false,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, single_run, uncertainty, company);
criterion_main!(benches);
