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

use super::company::{Contract, Pricing, Profile};
use super::engine::simulate;
use super::levers::{Lever, lever, set_capex_shares};
use super::params::Scenario;
use super::results::SeriesId;
use super::targets::{Futures, RunFigures, Target, TargetCheck, TargetKind, Targets, check_all};
use super::uncertainty::company_monte_carlo;
use super::uncertainty::{PathRuns, path_runs};
use rayon::prelude::*;

/// What the seek moves: a scenario-wide lever of the table, or one material's share of the
/// diversification capex (the other materials' shares rescaled so they still sum to 1).
#[derive(Clone, Debug)]
pub enum Knob {
    /// A lever from [`super::LEVERS`].
    Lever(&'static Lever),
    /// The capex share of the material with this id.
    CapexShare(String),
}

impl PartialEq for Knob {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

/// Prefix of a capex share's id: `capex_share.NdPr`.
pub const CAPEX_SHARE_PREFIX: &str = "capex_share.";

impl Knob {
    /// The knob named `id`: a lever id, or `capex_share.MATERIAL`.
    pub fn parse(id: &str) -> Option<Knob> {
        match id.strip_prefix(CAPEX_SHARE_PREFIX) {
            Some(material) if !material.is_empty() => Some(Knob::CapexShare(material.to_string())),
            Some(_) => None,
            None => lever(id).map(Knob::Lever),
        }
    }

    /// Stable id, as `--vary` takes it.
    pub fn id(&self) -> String {
        match self {
            Knob::Lever(l) => l.id.to_string(),
            Knob::CapexShare(m) => format!("{CAPEX_SHARE_PREFIX}{m}"),
        }
    }

    /// What a person reads: "Diversification capex", "NdPr capex share".
    pub fn label(&self) -> String {
        match self {
            Knob::Lever(l) => l.label.to_string(),
            Knob::CapexShare(m) => format!("{m} capex share"),
        }
    }

    /// The unit shown after a value.
    pub fn unit(&self) -> &'static str {
        match self {
            Knob::Lever(l) => l.unit,
            Knob::CapexShare(_) => "% of capex",
        }
    }

    /// Whether values show as percentages.
    pub fn percent(&self) -> bool {
        match self {
            Knob::Lever(l) => l.display == super::levers::Display::Percent,
            Knob::CapexShare(_) => true,
        }
    }

    /// The knob's whole range, stored units.
    pub fn range(&self) -> (f64, f64) {
        match self {
            Knob::Lever(l) => (l.min, l.max),
            Knob::CapexShare(_) => (0.0, 1.0),
        }
    }

    /// A value as the side panel shows it.
    pub fn format(&self, value: f64) -> String {
        match self {
            Knob::Lever(l) => l.format(value),
            Knob::CapexShare(_) => format!("{:.0} %", value * 100.0),
        }
    }

    /// The knob's value in `scenario` (0 for a material the scenario does not have).
    pub fn get(&self, scenario: &Scenario) -> f64 {
        match self {
            Knob::Lever(l) => (l.get)(scenario),
            Knob::CapexShare(m) => scenario
                .materials
                .iter()
                .find(|x| &x.id == m)
                .map_or(0.0, |x| x.capex_share.0),
        }
    }

    /// One-line description.
    pub fn description(&self) -> &'static str {
        match self {
            Knob::Lever(l) => l.description,
            Knob::CapexShare(_) => {
                "This material's share of the diversification capex; the other materials' shares are rescaled so they still sum to 100 %."
            }
        }
    }
}

/// One knob the seek may move, within bounds (stored units).
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// The lever or capex share.
    pub knob: Knob,
    /// Lowest value tried.
    pub min: f64,
    /// Highest value tried.
    pub max: f64,
}

impl Vary {
    /// The knob with `id` (a lever id or `capex_share.MATERIAL`) between `min` and `max`,
    /// both clamped to its range; `None` for an unknown id.
    pub fn new(id: &str, min: f64, max: f64) -> Option<Vary> {
        let knob = Knob::parse(id)?;
        let (lo, hi) = (min.min(max), min.max(max));
        let (from, to) = knob.range();
        Some(Vary {
            knob,
            min: lo.clamp(from, to),
            max: hi.clamp(from, to),
        })
    }
}

/// Most a permitting delay is shortened by default, years: acceleration carries no price in
/// the model, so the default offers what an expedited review has delivered, not all of it.
pub const DEFAULT_PERMITTING_ACCELERATION: f64 = 2.0;

/// The diversification levers seek moves by default: capex over its whole range, the
/// strategic stockpile over its whole range, the permitting delay shortened by up to
/// [`DEFAULT_PERMITTING_ACCELERATION`] years, and how capex is split: the capex share of every
/// material but the one with the largest share, which takes what the others leave.
pub fn default_vary(scenario: &Scenario) -> Vec<Vary> {
    let mut out = Vec::new();
    for id in ["capex", "stockpile"] {
        out.extend(Vary::new(id, f64::NEG_INFINITY, f64::INFINITY));
    }
    if let Some(l) = lever("permitting_delay") {
        let now = (l.get)(scenario).clamp(l.min, l.max);
        out.push(Vary {
            knob: Knob::Lever(l),
            min: (now - DEFAULT_PERMITTING_ACCELERATION).max(l.min),
            max: now,
        });
    }
    out.extend(default_share_knobs(scenario).map(|knob| Vary {
        knob,
        min: 0.0,
        max: 1.0,
    }));
    out
}

/// The capex shares seek moves by default: every material's but the largest share's (the
/// first of equals), which takes the rest; none with a single material.
pub fn default_share_knobs(scenario: &Scenario) -> impl Iterator<Item = Knob> + '_ {
    let largest = scenario
        .materials
        .iter()
        .enumerate()
        .max_by(|a, b| {
            a.1.capex_share
                .0
                .total_cmp(&b.1.capex_share.0)
                .then(b.0.cmp(&a.0))
        })
        .map(|(i, _)| i);
    scenario
        .materials
        .iter()
        .enumerate()
        .filter(move |(i, _)| Some(*i) != largest)
        .map(|(_, m)| Knob::CapexShare(m.id.clone()))
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
    /// A company whose stock and offtake the seek may size; with one, "cheapest" is the
    /// company's expected spend plus the expected cost of its stopped lines.
    pub company: Option<CompanyPlan>,
}

/// The company side of a seek: its profile and the levers of its own it may move.
#[derive(Clone, Debug, PartialEq)]
pub struct CompanyPlan {
    /// The company.
    pub profile: Profile,
    /// Bounds of its strategic stock, months of need on every material; `None`: kept.
    pub stock: Option<(f64, f64)>,
    /// Bounds of the share of every material's need under a non-China offtake (priced at the
    /// spot outside China, never below the material's non-China cost); `None`: kept.
    pub offtake: Option<(f64, f64)>,
}

/// Name of the offtake contract a seek sizes (replaced, not added, on the next seek).
pub const OFFTAKE_NAME: &str = "Non-China offtake sized by seek";

/// Most strategic stock a seek tries by default, months.
pub const DEFAULT_MAX_STOCK_MONTHS: f64 = 24.0;

/// Largest non-China offtake a seek tries by default, share of need: non-China separation
/// is a small share of world supply today (SOURCES.md M1), so no buyer can count on more.
pub const DEFAULT_MAX_OFFTAKE: f64 = 0.5;

impl CompanyPlan {
    /// The company's stock and offtake as the profile has them now.
    fn current(&self) -> (f64, f64) {
        let stock = self
            .profile
            .materials
            .first()
            .map_or(0.0, |n| n.strategic_stock_months);
        let offtake = self
            .profile
            .materials
            .first()
            .and_then(|n| n.contracts.iter().find(|c| c.name == OFFTAKE_NAME))
            .map_or(0.0, |c| c.share);
        (stock, offtake)
    }

    /// The company's lever bounds, in the order they follow the market levers.
    fn bounds(&self) -> Vec<(f64, f64)> {
        self.stock.into_iter().chain(self.offtake).collect()
    }

    /// The profile with the company's levers set from `values` (stock, then offtake, as
    /// present), the offtake priced for each material of `scenario`.
    pub fn apply(&self, scenario: &Scenario, values: &[f64]) -> Profile {
        let mut p = self.profile.clone();
        let mut values = values.iter().copied();
        if let Some((lo, hi)) = self.stock {
            let months = values.next().unwrap_or(lo).clamp(lo, hi);
            for n in &mut p.materials {
                n.strategic_stock_months = months;
            }
        }
        if let Some((lo, hi)) = self.offtake {
            let share = values.next().unwrap_or(lo).clamp(lo, hi);
            for n in &mut p.materials {
                n.contracts.retain(|c| c.name != OFFTAKE_NAME);
                let floor = scenario
                    .materials
                    .iter()
                    .find(|m| m.id == n.material)
                    .map(|m| m.non_china_cost.0);
                if share > 0.0 {
                    // First, so it is served before the other contracts.
                    n.contracts.insert(
                        0,
                        Contract {
                            name: OFFTAKE_NAME.into(),
                            share,
                            pricing: Pricing::SpotIndexed(1.0),
                            floor_usd_per_kg: floor,
                            non_china: true,
                            ..Contract::default()
                        },
                    );
                }
            }
        }
        p
    }
}

/// The bounds of every lever of a request: the market's, then the company's.
fn bounds(req: &Request) -> Vec<(f64, f64)> {
    req.vary
        .iter()
        .map(|v| (v.min, v.max))
        .chain(req.company.iter().flat_map(CompanyPlan::bounds))
        .collect()
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
    /// The company's profile with its stock and offtake set, when the seek sized them.
    pub profile: Option<Profile>,
    /// Whether the seek moved the company's strategic stock.
    pub company_stock: bool,
    /// Whether the seek moved the company's non-China offtake.
    pub company_offtake: bool,
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

    /// The company levers the seek moved, in order: (label, shown as a share).
    fn company_labels(&self) -> Vec<(&'static str, bool)> {
        let mut out = Vec::new();
        if self.company_stock {
            out.push(("Our strategic stock", false));
        }
        if self.company_offtake {
            out.push(("Our non-China offtake", true));
        }
        out
    }

    /// What "cheapest" means for this answer.
    pub fn objective(&self) -> &'static str {
        if self.profile.is_some() {
            "our expected spend and cost of stopped lines"
        } else {
            "cost of the strategy"
        }
    }

    /// A short account for people: what moved, what binds, what it costs.
    pub fn account(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let usd_b = |x: f64| format!("${:.2} B", x / 1e9);
        if self.feasible() {
            lines.push(format!(
                "Cheapest plan found that meets every target: {} {} ({} than the current plan).",
                self.objective(),
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
        // The answer's own values: capex shares set together may have been rescaled.
        for (v, now) in self.vary.iter().zip(&self.current.values) {
            let then = &v.knob.get(&self.scenario);
            lines.push(format!(
                "  {}: {} -> {}",
                v.knob.label(),
                v.knob.format(*now),
                v.knob.format(*then)
            ));
        }
        let company = self.best.values.len().saturating_sub(self.vary.len());
        let labels = self.company_labels();
        for (i, label) in labels.iter().enumerate().take(company) {
            let at = self.vary.len() + i;
            let (now, then) = (
                self.current.values.get(at).copied().unwrap_or(f64::NAN),
                self.best.values.get(at).copied().unwrap_or(f64::NAN),
            );
            let fmt = |x: f64| {
                if label.1 {
                    format!("{:.0} %", x * 100.0)
                } else {
                    format!("{x:.1} months")
                }
            };
            lines.push(format!("  {}: {} -> {}", label.0, fmt(now), fmt(then)));
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
    let company = req.company.as_ref().and_then(|c| {
        let profile = c.apply(&scenario, values.get(req.vary.len()..).unwrap_or(&[]));
        company_monte_carlo(&scenario, &scenario.uncertainty, &profile, &|| false)
    });
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
    let mut checks = check_all(
        targets,
        &run,
        Futures {
            shortfall_chance: futures.as_ref().map(PathRuns::shortfall_chance),
            stoppage_chance: company.as_ref().map(|c| c.stoppage_probability),
        },
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
        cost_usd: company
            .as_ref()
            .map_or(run.headline.strategy_cost_usd, |c| {
                c.mean_spend_usd + c.mean_stoppage_cost_usd
            }),
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

/// The scenario with the knobs set to `values`. Capex shares are set together, so the
/// answer does not depend on the order they are listed in (see [`set_capex_shares`]).
pub fn apply(scenario: &Scenario, vary: &[Vary], values: &[f64]) -> Scenario {
    let mut s = scenario.clone();
    let mut shares = Vec::new();
    for (v, x) in vary.iter().zip(values) {
        let x = x.clamp(v.min, v.max);
        match &v.knob {
            Knob::Lever(l) => (l.set)(&mut s, x),
            Knob::CapexShare(m) => {
                if let Some(i) = s.materials.iter().position(|t| &t.id == m) {
                    shares.push((i, x));
                }
            }
        }
    }
    if !shares.is_empty() {
        set_capex_shares(&mut s.materials, &shares);
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
    let budget = if runs_futures(req, &req.targets) {
        ROBUST_BUDGET
    } else {
        CENTRAL_BUDGET
    };
    let mut current_values: Vec<f64> = req.vary.iter().map(|v| v.knob.get(&req.scenario)).collect();
    if let Some(c) = &req.company {
        let (stock, offtake) = c.current();
        current_values.extend(c.stock.map(|_| stock));
        current_values.extend(c.offtake.map(|_| offtake));
    }
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
    let scenario = apply(&req.scenario, &req.vary, &best.values);
    let profile = req
        .company
        .as_ref()
        .map(|c| c.apply(&scenario, best.values.get(req.vary.len()..).unwrap_or(&[])));
    Some(Answer {
        scenario,
        profile,
        company_stock: req.company.as_ref().is_some_and(|c| c.stock.is_some()),
        company_offtake: req.company.as_ref().is_some_and(|c| c.offtake.is_some()),
        vary: req.vary.clone(),
        best,
        current,
        binding,
        evaluations,
        mode: req.mode,
    })
}

/// True when every setting runs the uncertain futures (robust mode, a target read across
/// them, or a company whose expected spend is the objective).
fn runs_futures(req: &Request, targets: &Targets) -> bool {
    matches!(req.mode, Mode::Robust { .. }) || targets.need_futures() || req.company.is_some()
}

/// The best setting from `start` (counted as tried) within about `budget` settings per
/// phase: the scenario-wide levers first with the capex split held, then every knob.
fn search(
    req: &Request,
    targets: &Targets,
    start: &[f64],
    budget: usize,
    progress: &(dyn Fn(f64) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<(Evaluation, usize)> {
    // Amounts before their split: a grid over six or more knobs is too coarse to find the
    // valley of capex and permits, so the scenario-wide levers are sought first with the
    // capex shares held, then every knob from that answer; moving the split can then only
    // improve on the plan it refines.
    let is_share = |v: &Vary| matches!(v.knob, Knob::CapexShare(_));
    let levers: Vec<usize> = (0..req.vary.len())
        .filter(|&i| !is_share(&req.vary[i]))
        .collect();
    if levers.is_empty() || levers.len() == req.vary.len() {
        return search_knobs(req, targets, start, budget, progress, cancelled);
    }
    let amounts = Request {
        vary: levers.iter().map(|&i| req.vary[i].clone()).collect(),
        ..req.clone()
    };
    let company_values = start.get(req.vary.len()..).unwrap_or(&[]);
    let amounts_start: Vec<f64> = levers
        .iter()
        .map(|&i| start[i])
        .chain(company_values.iter().copied())
        .collect();
    let first_share = 0.6;
    let (first, used_first) = search_knobs(
        &amounts,
        targets,
        &amounts_start,
        budget,
        &|p| progress(p * first_share),
        cancelled,
    )?;
    let mut refined_start = start.to_vec();
    for (j, &i) in levers.iter().enumerate() {
        refined_start[i] = first.values[j];
    }
    for (j, x) in first.values[levers.len()..].iter().enumerate() {
        if let Some(slot) = refined_start.get_mut(req.vary.len() + j) {
            *slot = *x;
        }
    }
    let (best, used) = search_knobs(
        req,
        targets,
        &refined_start,
        budget / 2,
        &|p| progress(first_share + (1.0 - first_share) * p),
        cancelled,
    )?;
    Some((best, used_first + used))
}

/// Grid, then compass search over every knob of `req` at once, from `start` counted as
/// tried; at most `budget` settings.
///
/// When every setting runs the uncertain futures only because of a target read across them
/// (or robust mode), the market's own targets are searched first on the central run alone:
/// a fine grid and compass search there cost milliseconds, where the few settings the futures
/// allow cannot resolve a valley that runs across two levers (less capex needs shorter
/// permits). Every target is then sought by grid and compass search with that answer as the
/// point to beat.
fn search_knobs(
    req: &Request,
    targets: &Targets,
    start: &[f64],
    budget: usize,
    progress: &(dyn Fn(f64) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<(Evaluation, usize)> {
    let bounds = bounds(req);
    if bounds.is_empty() {
        return Some((evaluate_with(req, targets, start), 1));
    }
    if !runs_futures(req, targets) || req.company.is_some() {
        return grid_and_compass(req, targets, start, budget, progress, cancelled);
    }
    let central_req = Request {
        mode: Mode::Central,
        ..req.clone()
    };
    let central_targets = Targets {
        shortfall_chance: None,
        stoppage_chance: None,
        ..targets.clone()
    };
    let first_share = 0.3;
    let (first, used_first) = grid_and_compass(
        &central_req,
        &central_targets,
        start,
        CENTRAL_BUDGET,
        &|p| progress(p * first_share),
        cancelled,
    )?;
    // Then every target: the grid again (the futures may favour another corner, such as the
    // shortest permits in robust mode) with the central answer as the point to beat.
    let begin = if evaluate_with(req, targets, &first.values)
        .better_than(&evaluate_with(req, targets, start))
    {
        first.values.clone()
    } else {
        start.to_vec()
    };
    let (best, used) = grid_and_compass(
        req,
        targets,
        &begin,
        budget,
        &|p| progress(first_share + (1.0 - first_share) * p),
        cancelled,
    )?;
    Some((best, used_first + used))
}

/// Evaluates `points` with `targets`: in parallel when each is one deterministic run (the
/// futures of one setting already fill the thread pool).
fn evaluate_all(req: &Request, targets: &Targets, points: &[Vec<f64>]) -> Vec<Evaluation> {
    if runs_futures(req, targets) {
        points
            .iter()
            .map(|p| evaluate_with(req, targets, p))
            .collect()
    } else {
        points
            .par_iter()
            .map(|p| evaluate_with(req, targets, p))
            .collect()
    }
}

/// A grid over the bounds (about half the budget), then compass search from its best point.
fn grid_and_compass(
    req: &Request,
    targets: &Targets,
    start: &[f64],
    budget: usize,
    progress: &(dyn Fn(f64) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<(Evaluation, usize)> {
    let bounds = bounds(req);
    let k = bounds.len();
    let mut best = evaluate_with(req, targets, start);
    let mut used = 1;
    if k == 0 {
        return Some((best, used));
    }
    let runs_futures = runs_futures(req, targets);

    // The grid: about half the budget.
    let per_dim = ((budget as f64 / 2.0).powf(1.0 / k as f64).floor() as usize).clamp(2, 33);
    // Past the budget even two values per knob are too many (2^k settings: a scenario with
    // dozens of materials has dozens of capex shares): each knob alone at its low end, middle
    // and high end instead, the others where they start, as many as half the budget allows.
    let grid: Vec<Vec<f64>> = if (per_dim as f64).powi(k as i32) <= budget as f64 {
        let mut grid = vec![Vec::new()];
        for &(lo, hi) in &bounds {
            let values: Vec<f64> = (0..per_dim)
                .map(|i| lo + (hi - lo) * i as f64 / (per_dim - 1) as f64)
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
        grid
    } else {
        bounds
            .iter()
            .enumerate()
            .flat_map(|(i, &(lo, hi))| {
                [lo, 0.5 * (lo + hi), hi].map(|x| {
                    let mut p = start.to_vec();
                    p[i] = x;
                    p
                })
            })
            .take((budget / 2).max(1))
            .collect()
    };
    // Progress after every chunk: a chunk of deterministic runs takes milliseconds, one
    // setting that runs every future about ten.
    let chunk = if runs_futures { 2 } else { 64 };
    for chunk in grid.chunks(chunk) {
        if cancelled() {
            return None;
        }
        for e in evaluate_all(req, targets, chunk) {
            if e.better_than(&best) {
                best = e;
            }
        }
        used += chunk.len();
        progress((used as f64 / budget as f64).min(1.0));
    }

    // Compass search from the best point of the grid, steps of half a grid cell.
    let steps: Vec<f64> = bounds
        .iter()
        .map(|(lo, hi)| (hi - lo) / (per_dim - 1) as f64 / 2.0)
        .collect();
    compass(req, targets, best, steps, used, budget, progress, cancelled)
}

/// Compass search from `best` (already counted in `used`): each lever stepped up and down,
/// the steps halved when no move improves, until they are 1/1000 of the range or `budget`
/// settings have been tried.
#[allow(clippy::too_many_arguments)]
fn compass(
    req: &Request,
    targets: &Targets,
    mut best: Evaluation,
    mut steps: Vec<f64>,
    mut used: usize,
    budget: usize,
    progress: &(dyn Fn(f64) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<(Evaluation, usize)> {
    let bounds = bounds(req);
    let k = bounds.len();
    let smallest: Vec<f64> = bounds.iter().map(|(lo, hi)| (hi - lo) * 1e-3).collect();
    while used < budget && steps.iter().zip(&smallest).any(|(s, m)| s > m) {
        if cancelled() {
            return None;
        }
        let mut polls = Vec::with_capacity(2 * k);
        for (i, &(lo, hi)) in bounds.iter().enumerate() {
            for sign in [-1.0, 1.0] {
                let mut p = best.values.clone();
                p[i] = (p[i] + sign * steps[i]).clamp(lo, hi);
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
        for e in evaluate_all(req, targets, &polls) {
            if e.better_than(&best) {
                best = e;
                improved = true;
            }
        }
        if !improved && k > 1 && used < budget {
            // No lever alone helps: try pairs moved together before shortening the steps,
            // since a target often holds only if two levers move at once (less capex with
            // shorter permits).
            // The steps' ratio need not be the valley's: on the central run, where a setting
            // costs little, one lever of the pair also moves 2, 4 or 8 steps.
            let scales: &[(f64, f64)] = if runs_futures(req, targets) {
                &[(1.0, 1.0)]
            } else {
                &[
                    (1.0, 1.0),
                    (1.0, 2.0),
                    (1.0, 4.0),
                    (1.0, 8.0),
                    (2.0, 1.0),
                    (4.0, 1.0),
                    (8.0, 1.0),
                ]
            };
            let mut pairs = Vec::with_capacity(2 * k * (k - 1) * scales.len());
            for i in 0..k {
                for j in i + 1..k {
                    for (si, sj) in [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)] {
                        for (mi, mj) in scales {
                            let mut p = best.values.clone();
                            p[i] = (p[i] + si * mi * steps[i]).clamp(bounds[i].0, bounds[i].1);
                            p[j] = (p[j] + sj * mj * steps[j]).clamp(bounds[j].0, bounds[j].1);
                            if p[i] != best.values[i] && p[j] != best.values[j] {
                                pairs.push(p);
                            }
                        }
                    }
                }
            }
            // Within the budget: dozens of knobs make thousands of pairs.
            pairs.truncate(budget.saturating_sub(used).max(1));
            used += pairs.len();
            for e in evaluate_all(req, targets, &pairs) {
                if e.better_than(&best) {
                    best = e;
                    improved = true;
                }
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
    use crate::time::YearMonth;

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
            company: None,
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
