//! Goal seek: the cheapest setting of chosen levers that meets a scenario's targets, on the
//! deterministic run or in at least a share of the uncertain futures ("robust"). Every
//! setting tried is an ordinary model run (the same `simulate` and `path_runs` the window and
//! `run --set` use), so an answer re-runs to the same figures. MODEL.md, section 14.
//!
//! The search: a grid over the levers' bounds, then a compass search from the best point of
//! the grid (each lever stepped up and down, the step halved when no step improves). A point
//! that meets every target beats one that misses any; among those that meet them the cheaper
//! wins; among those that miss, the smaller miss. Cost is the cost of the strategy of the
//! deterministic run (MODEL.md, section 9).

use super::engine::simulate;
use super::levers::{Lever, lever};
use super::params::Scenario;
use super::results::SeriesId;
use super::targets::{RunFigures, Target, TargetCheck, TargetKind, Targets};
use super::uncertainty::{PathRuns, path_runs};
use rayon::prelude::*;

/// One lever the seek may move, within bounds (stored units).
#[derive(Clone, Copy, Debug)]
pub struct Vary {
    /// The lever, from [`super::LEVERS`].
    pub lever: &'static Lever,
    /// Lowest value tried.
    pub min: f64,
    /// Highest value tried.
    pub max: f64,
}

impl Vary {
    /// The lever with `id` between `min` and `max`, both clamped to the lever's range; `None`
    /// for an unknown id.
    pub fn new(id: &str, min: f64, max: f64) -> Option<Vary> {
        let lever = lever(id)?;
        let (lo, hi) = (min.min(max), min.max(max));
        Some(Vary {
            lever,
            min: lo.clamp(lever.min, lever.max),
            max: hi.clamp(lever.min, lever.max),
        })
    }
}

/// Most a permitting delay is shortened by default, years: acceleration carries no price in
/// the model, so the default offers what an expedited review has delivered, not all of it.
pub const DEFAULT_PERMITTING_ACCELERATION: f64 = 2.0;

/// The diversification levers seek moves by default: capex over its whole range, the
/// strategic stockpile over its whole range, and the permitting delay shortened by up to
/// [`DEFAULT_PERMITTING_ACCELERATION`] years.
pub fn default_vary(scenario: &Scenario) -> Vec<Vary> {
    let mut out = Vec::new();
    for id in ["capex", "stockpile"] {
        if let Some(l) = lever(id) {
            out.push(Vary {
                lever: l,
                min: l.min,
                max: l.max,
            });
        }
    }
    if let Some(l) = lever("permitting_delay") {
        let now = (l.get)(scenario).clamp(l.min, l.max);
        out.push(Vary {
            lever: l,
            min: (now - DEFAULT_PERMITTING_ACCELERATION).max(l.min),
            max: now,
        });
    }
    out
}

/// Where the targets must hold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    /// On the deterministic run (a target read across futures uses the futures).
    Central,
    /// In at least `share` of the uncertain futures (0-1); money targets on the central run.
    Robust {
        /// Share of futures in which every target must hold.
        share: f64,
    },
}

/// What to seek.
#[derive(Clone, Debug)]
pub struct Request {
    /// The plan to start from.
    pub scenario: Scenario,
    /// The targets to meet.
    pub targets: Targets,
    /// The levers to move.
    pub vary: Vec<Vary>,
    /// Where the targets must hold.
    pub mode: Mode,
}

/// One setting tried and what it gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// The levers' values, in the order of [`Request::vary`].
    pub values: Vec<f64>,
    /// Cost of the strategy of the deterministic run, $.
    pub cost_usd: f64,
    /// Each target on the deterministic run (a target across futures: across them).
    pub checks: Vec<TargetCheck>,
    /// Robust mode: share of futures in which every per-run target holds.
    pub share_met: Option<f64>,
    /// How far the setting misses (0 when it meets every target); see [`Target::excess`].
    pub excess: f64,
}

impl Evaluation {
    /// True when the setting meets every target (and, in robust mode, the share).
    pub fn feasible(&self) -> bool {
        self.excess == 0.0
    }

    /// True when `self` is a better answer than `other`.
    fn better_than(&self, other: &Evaluation) -> bool {
        match (self.feasible(), other.feasible()) {
            (true, false) => true,
            (false, true) => false,
            (true, true) => self.cost_usd < other.cost_usd,
            (false, false) => {
                self.excess < other.excess
                    || (self.excess == other.excess && self.cost_usd < other.cost_usd)
            }
        }
    }
}

/// A target that holds at the answer with (almost) no room, and what loosening it would save.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Binding {
    /// The target.
    pub target: Target,
    /// Cost saved by loosening it by one unit ([`TargetKind::unit_step`]), $.
    pub marginal_usd: f64,
}

/// What a seek found.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The plan found: the request's scenario with the levers set.
    pub scenario: Scenario,
    /// The levers moved, in order.
    pub vary: Vec<Vary>,
    /// The plan found.
    pub best: Evaluation,
    /// The plan started from.
    pub current: Evaluation,
    /// Targets that bind at the answer.
    pub binding: Vec<Binding>,
    /// Settings tried.
    pub evaluations: usize,
    /// Where the targets had to hold.
    pub mode: Mode,
}

impl Answer {
    /// True when the answer meets every target.
    pub fn feasible(&self) -> bool {
        self.best.feasible()
    }

    /// Targets the answer still misses: out of reach within the bounds.
    pub fn out_of_reach(&self) -> Vec<TargetCheck> {
        self.best
            .checks
            .iter()
            .filter(|c| !c.met)
            .copied()
            .collect()
    }

    /// A short account for people: what moved, what binds, what it costs.
    pub fn account(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let usd_b = |x: f64| format!("${:.2} B", x / 1e9);
        if self.feasible() {
            lines.push(format!(
                "Cheapest plan found that meets every target: cost of the strategy {} ({} than the current plan).",
                usd_b(self.best.cost_usd),
                signed_b(self.best.cost_usd - self.current.cost_usd, "more", "less"),
            ));
        } else {
            lines.push("No setting within the bounds meets every target. Closest setting:".into());
            for c in self.out_of_reach() {
                lines.push(format!(
                    "  out of reach: {} (best {})",
                    c.target,
                    c.target.kind.format(c.value)
                ));
            }
        }
        if let (Mode::Robust { share }, Some(met)) = (self.mode, self.best.share_met) {
            lines.push(format!(
                "Every target holds in {:.0} % of the uncertain futures (asked: at least {:.0} %).",
                met * 100.0,
                share * 100.0
            ));
        }
        for (v, (now, then)) in self
            .vary
            .iter()
            .zip(self.current.values.iter().zip(&self.best.values))
        {
            lines.push(format!(
                "  {}: {} -> {}",
                v.lever.label,
                v.lever.format(*now),
                v.lever.format(*then)
            ));
        }
        for b in &self.binding {
            let (_, per) = b.target.kind.unit_step();
            lines.push(format!(
                "Binds: {}; loosening it saves {} {per}.",
                b.target,
                usd_b(b.marginal_usd)
            ));
        }
        for c in &self.best.checks {
            lines.push(format!("  {}", c.line()));
        }
        lines
    }
}

fn signed_b(x: f64, up: &str, down: &str) -> String {
    format!(
        "${:.2} B {}",
        x.abs() / 1e9,
        if x >= 0.0 { up } else { down }
    )
}

/// Least saving from loosening a target by one unit for it to count as binding, $: below
/// this the search's own resolution decides.
pub const BINDING_USD: f64 = 1e7;

/// Settings tried at most on the deterministic run (a few hundred milliseconds).
pub const CENTRAL_BUDGET: usize = 1_500;
/// Settings tried at most in robust mode (each runs every future).
pub const ROBUST_BUDGET: usize = 150;

/// Evaluates one setting of the request's levers.
pub fn evaluate(req: &Request, values: &[f64]) -> Evaluation {
    evaluate_with(req, &req.targets, values)
}

fn evaluate_with(req: &Request, targets: &Targets, values: &[f64]) -> Evaluation {
    let scenario = apply(&req.scenario, &req.vary, values);
    let run = simulate(&scenario);
    let money = RunFigures {
        strategy_cost_usd: run.headline.strategy_cost_usd,
        capex_usd: run.headline.total_capex_usd,
    };
    let robust_share = match req.mode {
        Mode::Robust { share } => Some(share),
        Mode::Central => None,
    };
    let futures = (robust_share.is_some() || targets.need_futures())
        .then(|| path_runs(&scenario, &scenario.uncertainty, &|| false))
        .flatten();
    let mut checks = super::targets::check(
        targets,
        &run,
        futures.as_ref().map(|f| f.shortfall_chance()),
    );
    let mut excess: f64 = checks.iter().map(|c| c.target.excess(c.value)).sum();
    let mut share_met = None;
    if let (Some(share), Some(f)) = (robust_share, futures.as_ref()) {
        let per_run: Vec<Target> = targets
            .list()
            .into_iter()
            .filter(|t| matches!(t.kind, TargetKind::Dependency | TargetKind::ShortfallMonths))
            .collect();
        let met = share_of_futures_meeting(f, &per_run, &money);
        share_met = Some(met);
        // In robust mode the per-run targets count across futures, not on the central run.
        excess = checks
            .iter()
            .filter(|c| !per_run.iter().any(|t| t.kind == c.target.kind))
            .map(|c| c.target.excess(c.value))
            .sum::<f64>()
            + (share - met).max(0.0);
        for c in &mut checks {
            if per_run.iter().any(|t| t.kind == c.target.kind) {
                // Shown as the central run's figure; "met" means across the futures.
                c.met = met + 1e-12 >= share;
            }
        }
    }
    Evaluation {
        values: values.to_vec(),
        cost_usd: run.headline.strategy_cost_usd,
        checks,
        share_met,
        excess,
    }
}

/// Share of futures in which every one of `targets` holds.
pub fn share_of_futures_meeting(f: &PathRuns, targets: &[Target], money: &RunFigures) -> f64 {
    let ok = (0..f.paths)
        .filter(|&p| targets.iter().all(|t| path_meets(f, p, t, money)))
        .count();
    ok as f64 / f.paths.max(1) as f64
}

/// True when future `path` meets `target`.
pub fn path_meets(f: &PathRuns, path: usize, target: &Target, money: &RunFigures) -> bool {
    target.met_by(target.measure_path(
        &f.dates,
        f.step_months,
        f.series(path, SeriesId::Dependency),
        f.series(path, SeriesId::ShortfallShare),
        f.threshold,
        money,
    ))
}

/// The scenario with the levers set to `values`.
pub fn apply(scenario: &Scenario, vary: &[Vary], values: &[f64]) -> Scenario {
    let mut s = scenario.clone();
    for (v, x) in vary.iter().zip(values) {
        (v.lever.set)(&mut s, x.clamp(v.min, v.max));
    }
    s
}

/// Finds the cheapest setting that meets the targets. `progress` gets the share of the budget
/// used; returns `None` when `cancelled()` turns true.
pub fn seek(
    req: &Request,
    progress: &(dyn Fn(f64) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Answer> {
    // A setting that runs every future costs what a robust one does.
    let budget = match req.mode {
        Mode::Central if !req.targets.need_futures() => CENTRAL_BUDGET,
        _ => ROBUST_BUDGET,
    };
    let current_values: Vec<f64> = req
        .vary
        .iter()
        .map(|v| (v.lever.get)(&req.scenario))
        .collect();
    let current = evaluate(req, &current_values);
    let (best, mut evaluations) = search(
        req,
        &req.targets,
        &current_values,
        budget,
        progress,
        cancelled,
    )?;

    // What binds: a target near its limit whose loosening by one unit makes a cheaper plan.
    let mut binding = Vec::new();
    if best.feasible() {
        for c in &best.checks {
            let (unit, _) = c.target.kind.unit_step();
            if c.target.excess(c.value + unit * 0.5) == 0.0 {
                continue;
            }
            let mut looser = req.targets.clone();
            looser.set(Target {
                at_most: c.target.at_most + unit,
                ..c.target
            });
            let (relaxed, more) =
                search(req, &looser, &best.values, budget / 4, &|_| {}, cancelled)?;
            evaluations += more;
            let saved = best.cost_usd - relaxed.cost_usd;
            if saved > BINDING_USD {
                binding.push(Binding {
                    target: c.target,
                    marginal_usd: saved,
                });
            }
        }
    }
    Some(Answer {
        scenario: apply(&req.scenario, &req.vary, &best.values),
        vary: req.vary.clone(),
        best,
        current,
        binding,
        evaluations,
        mode: req.mode,
    })
}

/// Grid, then compass search, from `start` counted as tried; at most `budget` settings.
fn search(
    req: &Request,
    targets: &Targets,
    start: &[f64],
    budget: usize,
    progress: &(dyn Fn(f64) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<(Evaluation, usize)> {
    let k = req.vary.len();
    let mut best = evaluate_with(req, targets, start);
    let mut used = 1;
    if k == 0 {
        return Some((best, used));
    }
    let runs_futures = matches!(req.mode, Mode::Robust { .. }) || targets.need_futures();
    let eval_all = |points: &[Vec<f64>]| -> Vec<Evaluation> {
        match runs_futures {
            // Each deterministic run is one thread's work; the futures already fill the pool.
            false => points
                .par_iter()
                .map(|p| evaluate_with(req, targets, p))
                .collect(),
            true => points
                .iter()
                .map(|p| evaluate_with(req, targets, p))
                .collect(),
        }
    };

    // The grid: about half the budget.
    let per_dim = ((budget as f64 / 2.0).powf(1.0 / k as f64).floor() as usize).clamp(2, 33);
    let mut grid: Vec<Vec<f64>> = vec![Vec::new()];
    for v in &req.vary {
        let values: Vec<f64> = (0..per_dim)
            .map(|i| v.min + (v.max - v.min) * i as f64 / (per_dim - 1) as f64)
            .collect();
        grid = grid
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |x| {
                    let mut q = p.clone();
                    q.push(*x);
                    q
                })
            })
            .collect();
    }
    // Progress after every chunk: a chunk of deterministic runs takes milliseconds, one
    // setting that runs every future about ten.
    let chunk = if runs_futures { 2 } else { 64 };
    for chunk in grid.chunks(chunk) {
        if cancelled() {
            return None;
        }
        for e in eval_all(chunk) {
            if e.better_than(&best) {
                best = e;
            }
        }
        used += chunk.len();
        progress((used as f64 / budget as f64).min(1.0));
    }

    // Compass search from the best point of the grid.
    let mut steps: Vec<f64> = req
        .vary
        .iter()
        .map(|v| (v.max - v.min) / (per_dim - 1) as f64 / 2.0)
        .collect();
    let smallest: Vec<f64> = req.vary.iter().map(|v| (v.max - v.min) * 1e-3).collect();
    while used < budget && steps.iter().zip(&smallest).any(|(s, m)| s > m) {
        if cancelled() {
            return None;
        }
        let mut polls = Vec::with_capacity(2 * k);
        for (i, v) in req.vary.iter().enumerate() {
            for sign in [-1.0, 1.0] {
                let mut p = best.values.clone();
                p[i] = (p[i] + sign * steps[i]).clamp(v.min, v.max);
                if p[i] != best.values[i] {
                    polls.push(p);
                }
            }
        }
        if polls.is_empty() {
            break;
        }
        used += polls.len();
        let mut improved = false;
        for e in eval_all(&polls) {
            if e.better_than(&best) {
                best = e;
                improved = true;
            }
        }
        if !improved {
            steps.iter_mut().for_each(|s| *s /= 2.0);
        }
        progress((used as f64 / budget as f64).min(1.0));
    }
    Some((best, used))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::YearMonth;

    fn board_request(at_most: f64) -> Request {
        Request {
            scenario: Scenario::default(),
            targets: Targets::dependency_at_most(
                at_most,
                YearMonth {
                    year: 2030,
                    month: 1,
                },
            ),
            vary: Vary::new("capex", 0.0, 20.0).into_iter().collect(),
            mode: Mode::Central,
        }
    }

    #[test]
    fn the_answer_meets_the_targets_when_it_says_so() {
        let req = board_request(0.6);
        let answer = seek(&req, &|_| {}, &|| false);
        let Some(answer) = answer else {
            panic!("not cancelled")
        };
        let rerun = simulate(&answer.scenario);
        for c in super::super::targets::check(&req.targets, &rerun, None) {
            assert_eq!(c.met, answer.feasible(), "{c:?}");
        }
    }
}
