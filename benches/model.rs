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

/// The board question (MODEL.md, section 14): the cheapest capex, its split, stockpile and permitting
/// that keep dependency at most 50 % from 2034, on the central run (goal: 400 ms) and in 80 %
/// of the default 192 futures (goal: 2 s); the failure conditions of 1,000 futures (goal:
/// 50 ms, the runs included).
fn goals(c: &mut Criterion) {
    use lodestone::model::robust::robustness;
    use lodestone::model::seek::{Mode, Request, default_vary, seek};
    use lodestone::model::{Targets, YearMonth};
    let scenario = Scenario::default();
    let targets = Targets::dependency_at_most(
        0.5,
        YearMonth {
            year: 2034,
            month: 1,
        },
    );
    let central = Request {
        scenario: scenario.clone(),
        targets: targets.clone(),
        vary: default_vary(&scenario),
        mode: Mode::Central,
        company: None,
    };
    let robust = Request {
        mode: Mode::Robust { share: 0.8 },
        ..central.clone()
    };
    let mut group = c.benchmark_group("goals");
    group.sample_size(10);
    group.bench_function(
        "seek, default knobs (capex, stockpile, permits, split), central run",
        |b| b.iter(|| seek(black_box(&central), &|_| {}, &|| false)),
    );
    group.bench_function("seek, default knobs, robust in 80 % of 192 futures", |b| {
        b.iter(|| seek(black_box(&robust), &|_| {}, &|| false))
    });
    let mut thousand = scenario.clone();
    thousand.uncertainty.paths = 1000;
    thousand.levers.capex.0 = 2.5;
    thousand.levers.permitting_delay.0 = 3.4;
    group.bench_function("failure conditions, 1000 futures (runs included)", |b| {
        b.iter(|| robustness(black_box(&thousand), &targets, &|| false))
    });
    // The conditions alone, on futures already run (goal: 50 ms).
    let runs = lodestone::model::path_runs(&thousand, &thousand.uncertainty, &|| false);
    let failed = robustness(&thousand, &targets, &|| false).map(|r| r.failed);
    if let (Some(runs), Some(failed)) = (runs, failed) {
        group.bench_function("failure conditions, 1000 futures already run", |b| {
            b.iter(|| lodestone::model::robust::explain(black_box(&runs), &failed))
        });
    }
    group.finish();
}

criterion_group!(benches, single_run, uncertainty, company, goals);
criterion_main!(benches);
