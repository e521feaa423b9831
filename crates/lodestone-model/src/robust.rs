//! "When does this plan fail?": the share of the uncertain futures in which every target
//! holds, and the few conditions on the uncertain inputs that explain most failures, found by
//! the Patient Rule Induction Method (Friedman and Fisher 1999; the "scenario discovery" of
//! Bryant and Lempert 2010). MODEL.md, section 14.
//!
//! A future fails when it misses a target read from one run (dependency, months of shortfall)
//! or, when the scenario bounds the chance of a shortfall, has a shortfall. Money targets are
//! read on the deterministic run: a future draws no capex. Without targets, a future fails
//! when it has any month of shortfall.

use super::engine::simulate;
use super::params::Scenario;
use super::seek::path_meets;
use super::targets::{RunFigures, Target, TargetCheck, TargetKind, Targets};
use super::uncertainty::{PathRuns, UncertainInput, path_runs};

/// One bound on one uncertain input.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// Index of the input in [`Robustness::inputs`].
    pub input: usize,
    /// Lowest value inside (None: no lower bound).
    pub low: Option<f64>,
    /// Highest value inside (None: no upper bound).
    pub high: Option<f64>,
}

/// A box of the input space where failures concentrate.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureBox {
    /// Bounds that define it (inputs not named are free).
    pub conditions: Vec<Condition>,
    /// Share of all failing futures that lie inside.
    pub coverage: f64,
    /// Share of the futures inside that fail.
    pub density: f64,
    /// Futures inside.
    pub futures: usize,
}

impl FailureBox {
    /// True when future `path` of `runs` lies inside.
    pub fn contains(&self, runs: &PathRuns, path: usize) -> bool {
        self.conditions.iter().all(|c| {
            let x = runs.input(path, c.input);
            c.low.is_none_or(|lo| x >= lo) && c.high.is_none_or(|hi| x <= hi)
        })
    }
}

/// What robustness finds for a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Robustness {
    /// The per-future targets a future is checked against (the default when the scenario
    /// sets none: no month of shortfall).
    pub targets: Vec<Target>,
    /// Each target on the deterministic run, and the chance of a shortfall across futures.
    pub checks: Vec<TargetCheck>,
    /// The uncertain inputs, in the order conditions name them.
    pub inputs: Vec<UncertainInput>,
    /// Futures run.
    pub paths: usize,
    /// Which futures fail.
    pub failed: Vec<bool>,
    /// Share of futures in which every target holds.
    pub share_met: f64,
    /// Up to [`MAX_BOXES`] conditions, most important first.
    pub boxes: Vec<FailureBox>,
    /// Each future's drawn inputs, a row per future (for the window's chart).
    pub values: Vec<Vec<f64>>,
}

/// Most conditions reported: a few that explain most failures, not a tree.
pub const MAX_BOXES: usize = 3;
/// Share of the remaining futures each peel removes (PRIM's alpha).
const PEEL: f64 = 0.05;
/// Smallest box, as a share of the futures: smaller boxes explain too few to matter.
const MIN_SUPPORT: f64 = 0.05;
/// A bound is kept only if dropping it would lower the box's density by more than this.
const KEEP_BOUND: f64 = 0.01;

impl Robustness {
    /// Text of a condition for people, e.g. "Permitting delay > 6.1 years".
    pub fn describe(&self, c: &Condition) -> String {
        let Some(input) = self.inputs.get(c.input) else {
            return String::new();
        };
        let fmt = |x: f64| {
            if input.percent {
                format!("{:.1} %", x * 100.0)
            } else {
                format!("{x:.1} {}", input.unit).trim_end().to_string()
            }
        };
        if input.event {
            return match (c.low, c.high) {
                (Some(lo), _) if lo > 0.5 => format!("{} happens", input.name),
                (_, Some(hi)) if hi < 0.5 => format!("{} does not happen", input.name),
                _ => format!("{} either way", input.name),
            };
        }
        match (c.low, c.high) {
            (Some(lo), Some(hi)) => format!("{} between {} and {}", input.name, fmt(lo), fmt(hi)),
            (Some(lo), None) => format!("{} at least {}", input.name, fmt(lo)),
            (None, Some(hi)) => format!("{} at most {}", input.name, fmt(hi)),
            (None, None) => format!("{} any", input.name),
        }
    }

    /// One sentence per box: "fails in 80 % of the futures where A and B (covers 64 % of
    /// failures)".
    pub fn sentences(&self) -> Vec<String> {
        self.boxes
            .iter()
            .map(|b| {
                let conditions: Vec<String> =
                    b.conditions.iter().map(|c| self.describe(c)).collect();
                format!(
                    "fails in {:.0} % of the futures where {} ({} futures; {:.0} % of all failures)",
                    b.density * 100.0,
                    conditions.join(" and "),
                    b.futures,
                    b.coverage * 100.0
                )
            })
            .collect()
    }
}

/// Runs the plan's futures and explains its failures. `None` when cancelled.
pub fn robustness(
    scenario: &Scenario,
    targets: &Targets,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Robustness> {
    let runs = path_runs(scenario, &scenario.uncertainty, cancelled)?;
    let central = simulate(scenario);
    let money = RunFigures {
        strategy_cost_usd: central.headline.strategy_cost_usd,
        capex_usd: central.headline.total_capex_usd,
    };
    let mut per_run: Vec<Target> = targets
        .list()
        .into_iter()
        .filter(|t| matches!(t.kind, TargetKind::Dependency | TargetKind::ShortfallMonths))
        .collect();
    let bound_chance = targets.shortfall_chance.is_some();
    if per_run.is_empty() && !bound_chance {
        per_run.push(Target {
            kind: TargetKind::ShortfallMonths,
            at_most: 0.0,
            from: None,
        });
    }
    let failed: Vec<bool> = (0..runs.paths)
        .map(|p| {
            !per_run.iter().all(|t| path_meets(&runs, p, t, &money))
                || (bound_chance && runs.has_shortfall(p))
        })
        .collect();
    let share_met = failed.iter().filter(|f| !**f).count() as f64 / runs.paths.max(1) as f64;
    let checks = super::targets::check(targets, &central, Some(runs.shortfall_chance()));
    let boxes = explain(&runs, &failed);
    let values = (0..runs.paths)
        .map(|p| (0..runs.inputs.len()).map(|i| runs.input(p, i)).collect())
        .collect();
    Some(Robustness {
        targets: per_run,
        checks,
        inputs: runs.inputs.clone(),
        paths: runs.paths,
        failed,
        share_met,
        boxes,
        values,
    })
}

/// PRIM: peel the input space towards failures, keep the box that best balances coverage and
/// density, drop bounds that do not matter; then again on the failures left outside.
pub fn explain(runs: &PathRuns, failed: &[bool]) -> Vec<FailureBox> {
    let n = runs.paths.min(failed.len());
    let total_failures = failed.iter().take(n).filter(|f| **f).count();
    let mut out = Vec::new();
    if total_failures == 0 || total_failures == n {
        return out;
    }
    let dims = runs.inputs.len();
    let mut remaining: Vec<usize> = (0..n).collect();
    while out.len() < MAX_BOXES {
        let left = remaining.iter().filter(|&&p| failed[p]).count();
        if left < 3 || (left as f64) < 0.05 * total_failures as f64 {
            break;
        }
        let Some(b) = peel(runs, failed, &remaining, dims) else {
            break;
        };
        let b = simplify(runs, failed, &remaining, b);
        // Reported over every future, so the figures are a direct filter of the runs.
        let inside: Vec<usize> = (0..n).filter(|&p| b.contains(runs, p)).collect();
        let hits = inside.iter().filter(|&&p| failed[p]).count();
        let density = hits as f64 / inside.len().max(1) as f64;
        let base = total_failures as f64 / n as f64;
        if b.conditions.is_empty() || density <= base * 1.1 {
            break;
        }
        remaining.retain(|&p| !b.contains(runs, p));
        out.push(FailureBox {
            coverage: hits as f64 / total_failures as f64,
            density,
            futures: inside.len(),
            ..b
        });
    }
    out
}

/// Lower and upper bound of each input (None: free).
type Bounds = Vec<(Option<f64>, Option<f64>)>;

/// The peeling trajectory over `points`, and its box with the best harmonic mean of coverage
/// and density.
fn peel(runs: &PathRuns, failed: &[bool], points: &[usize], dims: usize) -> Option<FailureBox> {
    let total = points.iter().filter(|&&p| failed[p]).count();
    let min_support = ((points.len() as f64 * MIN_SUPPORT).ceil() as usize).max(5);
    let mut inside: Vec<usize> = points.to_vec();
    let mut bounds: Bounds = vec![(None, None); dims];
    let score = |inside: &[usize]| {
        let hits = inside.iter().filter(|&&p| failed[p]).count() as f64;
        let coverage = hits / total.max(1) as f64;
        let density = hits / inside.len().max(1) as f64;
        if hits == 0.0 {
            0.0
        } else {
            2.0 * coverage * density / (coverage + density)
        }
    };
    let mut best: Option<(f64, Bounds)> = None;
    let mut column = Vec::with_capacity(points.len());
    while inside.len() > min_support {
        // Each candidate: (density after, dimension, lower?, cut value).
        let mut choice: Option<(f64, usize, bool, f64, usize)> = None;
        for d in 0..dims {
            column.clear();
            column.extend(inside.iter().map(|&p| runs.input(p, d)));
            column.sort_by(f64::total_cmp);
            let k = ((column.len() as f64 * PEEL).ceil() as usize).max(1);
            let low_cut = column[k.min(column.len() - 1)];
            let high_cut = column[column.len() - 1 - k.min(column.len() - 1)];
            for (lower, cut) in [(true, low_cut), (false, high_cut)] {
                let keep = |p: &usize| {
                    let x = runs.input(*p, d);
                    if lower { x >= cut } else { x <= cut }
                };
                let kept = inside.iter().filter(|p| keep(p)).count();
                if kept == inside.len() || kept < min_support {
                    continue;
                }
                let hits = inside.iter().filter(|p| keep(p) && failed[**p]).count();
                let density = hits as f64 / kept as f64;
                if choice.is_none_or(|c| density > c.0 || (density == c.0 && kept > c.4)) {
                    choice = Some((density, d, lower, cut, kept));
                }
            }
        }
        let Some((_, d, lower, cut, _)) = choice else {
            break;
        };
        if lower {
            bounds[d].0 = Some(cut);
            inside.retain(|&p| runs.input(p, d) >= cut);
        } else {
            bounds[d].1 = Some(cut);
            inside.retain(|&p| runs.input(p, d) <= cut);
        }
        let s = score(&inside);
        if best.as_ref().is_none_or(|b| s > b.0) {
            best = Some((s, bounds.clone()));
        }
    }
    let (_, bounds) = best?;
    Some(FailureBox {
        conditions: bounds
            .into_iter()
            .enumerate()
            .filter(|(_, (lo, hi))| lo.is_some() || hi.is_some())
            .map(|(input, (low, high))| Condition { input, low, high })
            .collect(),
        coverage: 0.0,
        density: 0.0,
        futures: 0,
    })
}

/// Drops the bounds whose removal barely lowers the density over `points`, weakest first.
fn simplify(runs: &PathRuns, failed: &[bool], points: &[usize], mut b: FailureBox) -> FailureBox {
    let density = |b: &FailureBox| {
        let inside: Vec<&usize> = points.iter().filter(|&&p| b.contains(runs, p)).collect();
        inside.iter().filter(|&&&p| failed[p]).count() as f64 / inside.len().max(1) as f64
    };
    loop {
        let now = density(&b);
        let mut weakest: Option<(f64, usize)> = None;
        for i in 0..b.conditions.len() {
            let mut without = b.clone();
            without.conditions.remove(i);
            let d = density(&without);
            if d >= now - KEEP_BOUND && weakest.is_none_or(|w| d > w.0) {
                weakest = Some((d, i));
            }
        }
        match weakest {
            Some((_, i)) if b.conditions.len() > 1 => {
                b.conditions.remove(i);
            }
            _ => return b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::YearMonth;

    /// The default plan re-sized by seek to just meet a dependency target: about half its
    /// futures (those with slower permits) miss it.
    fn plan_on_the_edge() -> (Scenario, Targets) {
        let targets = Targets::dependency_at_most(
            0.5,
            YearMonth {
                year: 2034,
                month: 1,
            },
        );
        let req = crate::seek::Request {
            scenario: Scenario::default(),
            targets: targets.clone(),
            vary: crate::seek::default_vary(&Scenario::default()),
            mode: crate::seek::Mode::Central,
            company: None,
        };
        let Some(answer) = crate::seek::seek(&req, &|_| {}, &|| false) else {
            panic!("not cancelled")
        };
        assert!(answer.feasible());
        (answer.scenario, targets)
    }

    #[test]
    fn the_figures_of_each_condition_are_a_direct_filter_of_the_runs() {
        let (s, targets) = plan_on_the_edge();
        let Some(r) = robustness(&s, &targets, &|| false) else {
            panic!("not cancelled")
        };
        let failures = r.failed.iter().filter(|f| **f).count();
        assert!(
            failures > 0 && failures < r.paths,
            "{failures} of {}",
            r.paths
        );
        assert!(!r.boxes.is_empty());
        let runs = path_runs(&s, &s.uncertainty, &|| false).unwrap_or_default();
        for b in &r.boxes {
            let inside: Vec<usize> = (0..r.paths).filter(|&p| b.contains(&runs, p)).collect();
            let hits = inside.iter().filter(|&&p| r.failed[p]).count();
            assert_eq!(b.futures, inside.len());
            assert_eq!(b.density, hits as f64 / inside.len() as f64);
            assert_eq!(b.coverage, hits as f64 / failures as f64);
        }
    }
}
