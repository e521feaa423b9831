//! Targets a plan must meet: dependency on China at most a share from a month on, months of
//! shortfall, the cost of the strategy or the diversification capex within a budget, and the
//! chance of a shortfall across the uncertain futures. A scenario file may carry them
//! (`targets: (dependency: (at_most: 0.5, from: "2030-01"), shortfall_chance: 0.05)`); goal
//! seek ([`super::seek`]) finds the cheapest plan that meets them and robustness
//! ([`super::robust`]) the futures in which a plan fails them. MODEL.md, section 14.

use super::results::{Results, SeriesId};
use super::time::YearMonth;
use super::units::Share;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Dependency on China at most `at_most` in every month from `from` to the end of the
/// horizon.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DependencyTarget {
    /// Highest dependency allowed (0.5 = 50 %).
    pub at_most: Share,
    /// First month the target applies.
    pub from: YearMonth,
}

/// The targets of a scenario; each is optional and a save writes only those set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Targets {
    /// Dependency at most a share from a month on.
    #[serde(
        deserialize_with = "present",
        serialize_with = "bare",
        skip_serializing_if = "Option::is_none"
    )]
    pub dependency: Option<DependencyTarget>,
    /// Months of shortfall over the horizon, at most.
    #[serde(
        deserialize_with = "present",
        serialize_with = "bare",
        skip_serializing_if = "Option::is_none"
    )]
    pub shortfall_months: Option<f64>,
    /// Cost of the strategy over the horizon, at most, $ billion (MODEL.md, section 9).
    #[serde(
        deserialize_with = "present",
        serialize_with = "bare",
        skip_serializing_if = "Option::is_none"
    )]
    pub strategy_cost: Option<f64>,
    /// Diversification capex over the horizon, at most, $ billion.
    #[serde(
        deserialize_with = "present",
        serialize_with = "bare",
        skip_serializing_if = "Option::is_none"
    )]
    pub capex_budget: Option<f64>,
    /// Share of the uncertain futures with any month of shortfall, at most (0.05 = 5 %).
    #[serde(
        deserialize_with = "present",
        serialize_with = "bare",
        skip_serializing_if = "Option::is_none"
    )]
    pub shortfall_chance: Option<Share>,
    /// Share of the uncertain futures in which a company's line stops at least one month,
    /// at most; read only with a company profile.
    #[serde(
        deserialize_with = "present",
        serialize_with = "bare",
        skip_serializing_if = "Option::is_none"
    )]
    pub stoppage_chance: Option<Share>,
}

/// Reads a present field as `Some(value)` without requiring `Some(...)` in the text.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Writes `Some(value)` as the bare value (the field is skipped when `None`).
fn bare<S: Serializer, T: Serialize>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => v.serialize(s),
        None => s.serialize_none(),
    }
}

/// What a target measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// Highest dependency from the target's month on, share.
    Dependency,
    /// Months with a shortfall above the scenario's threshold.
    ShortfallMonths,
    /// Cost of the strategy, $ billion.
    StrategyCost,
    /// Diversification capex spent, $ billion.
    CapexBudget,
    /// Share of the uncertain futures with a shortfall.
    ShortfallChance,
    /// Share of the uncertain futures in which a company's line stops (needs a profile).
    StoppageChance,
}

impl TargetKind {
    /// Key used in files, `--target` and JSON.
    pub fn key(self) -> &'static str {
        match self {
            TargetKind::Dependency => "dependency",
            TargetKind::ShortfallMonths => "shortfall_months",
            TargetKind::StrategyCost => "strategy_cost",
            TargetKind::CapexBudget => "capex_budget",
            TargetKind::ShortfallChance => "shortfall_chance",
            TargetKind::StoppageChance => "stoppage_chance",
        }
    }

    /// True when the figure is a share shown as a percentage.
    pub fn is_share(self) -> bool {
        matches!(
            self,
            TargetKind::Dependency | TargetKind::ShortfallChance | TargetKind::StoppageChance
        )
    }

    /// True when the figure is read across the uncertain futures, not from one run.
    pub fn across_futures(self) -> bool {
        matches!(
            self,
            TargetKind::ShortfallChance | TargetKind::StoppageChance
        )
    }

    /// A value of the figure for people, e.g. "48 %", "3 months", "$412.5 B".
    pub fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return "n/a".into();
        }
        match self {
            TargetKind::Dependency | TargetKind::ShortfallChance | TargetKind::StoppageChance => {
                format!("{:.1} %", value * 100.0)
            }
            TargetKind::ShortfallMonths => format!("{value:.0} months"),
            TargetKind::StrategyCost | TargetKind::CapexBudget => format!("${value:.1} B"),
        }
    }

    /// How much a marginal cost is quoted per, for people: "per point", "per month", "per $B".
    pub fn unit_step(self) -> (f64, &'static str) {
        match self {
            TargetKind::Dependency | TargetKind::ShortfallChance | TargetKind::StoppageChance => {
                (0.01, "per point")
            }
            TargetKind::ShortfallMonths => (1.0, "per month"),
            TargetKind::StrategyCost | TargetKind::CapexBudget => (1.0, "per $1 B"),
        }
    }
}

/// One target: a figure and the most it may be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// What it measures.
    pub kind: TargetKind,
    /// Highest value allowed, in the figure's unit (shares as 0-1, money in $ billion).
    pub at_most: f64,
    /// First month it applies (dependency only).
    pub from: Option<YearMonth>,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limit = self.kind.format(self.at_most);
        match self.kind {
            TargetKind::Dependency => match self.from {
                Some(from) => write!(f, "dependency at most {limit} from {from}"),
                None => write!(f, "dependency at most {limit}"),
            },
            TargetKind::ShortfallMonths => write!(f, "shortfall at most {limit}"),
            TargetKind::StrategyCost => write!(f, "cost of the strategy at most {limit}"),
            TargetKind::CapexBudget => write!(f, "diversification capex at most {limit}"),
            TargetKind::ShortfallChance => {
                write!(f, "chance of a shortfall at most {limit}")
            }
            TargetKind::StoppageChance => {
                write!(f, "chance of a line stoppage at most {limit}")
            }
        }
    }
}

impl Targets {
    /// The targets set, in a fixed order.
    pub fn list(&self) -> Vec<Target> {
        let mut out = Vec::new();
        if let Some(d) = self.dependency {
            out.push(Target {
                kind: TargetKind::Dependency,
                at_most: d.at_most.0,
                from: Some(d.from),
            });
        }
        let mut add = |kind, value: Option<f64>| {
            if let Some(at_most) = value {
                out.push(Target {
                    kind,
                    at_most,
                    from: None,
                });
            }
        };
        add(TargetKind::ShortfallMonths, self.shortfall_months);
        add(TargetKind::StrategyCost, self.strategy_cost);
        add(TargetKind::CapexBudget, self.capex_budget);
        add(
            TargetKind::ShortfallChance,
            self.shortfall_chance.map(|s| s.0),
        );
        add(
            TargetKind::StoppageChance,
            self.stoppage_chance.map(|s| s.0),
        );
        out
    }

    /// Only a dependency target: at most `at_most` from `from` on.
    pub fn dependency_at_most(at_most: f64, from: YearMonth) -> Self {
        Targets {
            dependency: Some(DependencyTarget {
                at_most: Share(at_most),
                from,
            }),
            ..Targets::default()
        }
    }

    /// Every target set, for the file schema and examples.
    pub fn example() -> Self {
        Targets {
            dependency: Some(DependencyTarget {
                at_most: Share(0.5),
                from: YearMonth {
                    year: 2030,
                    month: 1,
                },
            }),
            shortfall_months: Some(0.0),
            strategy_cost: Some(500.0),
            capex_budget: Some(60.0),
            shortfall_chance: Some(Share(0.05)),
            stoppage_chance: Some(Share(0.05)),
        }
    }

    /// True when no target is set.
    pub fn is_empty(&self) -> bool {
        self.list().is_empty()
    }

    /// Sets (or replaces) one target.
    pub fn set(&mut self, target: Target) {
        match target.kind {
            TargetKind::Dependency => {
                self.dependency = Some(DependencyTarget {
                    at_most: Share(target.at_most),
                    from: target.from.unwrap_or(YearMonth {
                        year: 2030,
                        month: 1,
                    }),
                })
            }
            TargetKind::ShortfallMonths => self.shortfall_months = Some(target.at_most),
            TargetKind::StrategyCost => self.strategy_cost = Some(target.at_most),
            TargetKind::CapexBudget => self.capex_budget = Some(target.at_most),
            TargetKind::ShortfallChance => self.shortfall_chance = Some(Share(target.at_most)),
            TargetKind::StoppageChance => self.stoppage_chance = Some(Share(target.at_most)),
        }
    }

    /// True when some target is read across the uncertain futures of the market.
    pub fn need_futures(&self) -> bool {
        self.shortfall_chance.is_some()
    }
}

/// Room left under a target before it is missed, relative to its scale: figures within this
/// of the limit count as met, so a seek answer at the limit is not lost to rounding.
pub const MET_TOLERANCE: f64 = 1e-9;

impl Target {
    /// True when `value` meets the target.
    pub fn met_by(&self, value: f64) -> bool {
        value.is_finite() && value <= self.at_most + MET_TOLERANCE * self.at_most.abs().max(1.0)
    }

    /// How far `value` is over the limit, scaled so different targets compare: shares in
    /// points of 100 %, months in years of shortfall, money in $10 B. Zero when met.
    pub fn excess(&self, value: f64) -> f64 {
        if !value.is_finite() {
            return f64::INFINITY;
        }
        let over = (value - self.at_most).max(0.0);
        match self.kind {
            TargetKind::Dependency | TargetKind::ShortfallChance | TargetKind::StoppageChance => {
                over
            }
            TargetKind::ShortfallMonths => over / 12.0,
            TargetKind::StrategyCost | TargetKind::CapexBudget => over / 10.0,
        }
    }

    /// The figure this target reads from one run (NaN for a figure read across futures, or a
    /// dependency target whose month lies after the horizon).
    pub fn measure(&self, run: &Results) -> f64 {
        let dependency = run.total.get(SeriesId::Dependency);
        let shortfall = run.total.get(SeriesId::ShortfallShare);
        self.measure_path(
            &run.dates,
            run.step_months,
            dependency,
            shortfall,
            run.headline.shortfall_threshold,
            &RunFigures {
                strategy_cost_usd: run.headline.strategy_cost_usd,
                capex_usd: run.headline.total_capex_usd,
            },
        )
    }

    /// The figure this target reads from one path's series, with the money figures of the
    /// central run (a path draws no capex and its strategy cost is not summed).
    pub fn measure_path(
        &self,
        dates: &[YearMonth],
        step_months: f64,
        dependency: &[f64],
        shortfall_share: &[f64],
        threshold: f64,
        money: &RunFigures,
    ) -> f64 {
        match self.kind {
            TargetKind::Dependency => {
                let from = self.from.unwrap_or(YearMonth {
                    year: i32::MIN,
                    month: 1,
                });
                dates
                    .iter()
                    .zip(dependency)
                    .filter(|(d, _)| **d >= from)
                    .map(|(_, v)| *v)
                    .fold(f64::NAN, f64::max)
            }
            TargetKind::ShortfallMonths => {
                shortfall_share.iter().filter(|s| **s > threshold).count() as f64 * step_months
            }
            TargetKind::StrategyCost => money.strategy_cost_usd / 1e9,
            TargetKind::CapexBudget => money.capex_usd / 1e9,
            TargetKind::ShortfallChance | TargetKind::StoppageChance => f64::NAN,
        }
    }
}

/// The money figures of a run that targets read.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunFigures {
    /// Cost of the strategy over the horizon, $.
    pub strategy_cost_usd: f64,
    /// Diversification capex over the horizon, $.
    pub capex_usd: f64,
}

/// A target with the figure measured and whether it is met.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetCheck {
    /// The target.
    pub target: Target,
    /// The figure measured, in the target's unit.
    pub value: f64,
    /// Whether the figure meets the target.
    pub met: bool,
}

impl TargetCheck {
    /// Checks `target` against `value`.
    pub fn new(target: Target, value: f64) -> Self {
        Self {
            target,
            value,
            met: target.met_by(value),
        }
    }

    /// One line for people: "met: dependency at most 50.0 % from 2030-01 (48.2 %)".
    pub fn line(&self) -> String {
        format!(
            "{}: {} ({})",
            if self.met { "met" } else { "MISSED" },
            self.target,
            self.target.kind.format(self.value)
        )
    }
}

/// Checks every target on one run; a figure read across futures takes `chance` (the share of
/// uncertain futures with a shortfall) when given and is left out otherwise.
pub fn check(targets: &Targets, run: &Results, chance: Option<f64>) -> Vec<TargetCheck> {
    check_all(
        targets,
        run,
        Futures {
            shortfall_chance: chance,
            stoppage_chance: None,
        },
    )
}

/// Figures read across the uncertain futures, when they have run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Futures {
    /// Share of futures with a month of shortfall.
    pub shortfall_chance: Option<f64>,
    /// Share of futures in which the company's line stops (with a profile).
    pub stoppage_chance: Option<f64>,
}

/// Checks every target on one run and the futures' figures given; a target whose figure is
/// not given is left out.
pub fn check_all(targets: &Targets, run: &Results, futures: Futures) -> Vec<TargetCheck> {
    targets
        .list()
        .into_iter()
        .filter_map(|t| match t.kind {
            TargetKind::ShortfallChance => futures.shortfall_chance.map(|c| TargetCheck::new(t, c)),
            TargetKind::StoppageChance => futures.stoppage_chance.map(|c| TargetCheck::new(t, c)),
            _ => Some(TargetCheck::new(t, t.measure(run))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scenario, simulate};

    fn dependency_target(at_most: f64) -> Targets {
        Targets::dependency_at_most(
            at_most,
            YearMonth {
                year: 2030,
                month: 1,
            },
        )
    }

    #[test]
    fn dependency_is_the_highest_month_from_the_target_month() {
        let run = simulate(&Scenario::default());
        let checks = check(&dependency_target(0.5), &run, None);
        let from = YearMonth {
            year: 2030,
            month: 1,
        };
        let direct = run
            .dates
            .iter()
            .zip(run.total.get(SeriesId::Dependency))
            .filter(|(d, _)| **d >= from)
            .map(|(_, v)| *v)
            .fold(0.0, f64::max);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].value, direct);
        assert_eq!(checks[0].met, direct <= 0.5);
    }

    #[test]
    fn a_target_read_across_futures_needs_them() {
        let t = Targets {
            shortfall_chance: Some(Share(0.05)),
            ..Targets::default()
        };
        let run = simulate(&Scenario::default());
        assert!(check(&t, &run, None).is_empty());
        let checks = check(&t, &run, Some(0.2));
        assert!(!checks[0].met);
        assert!(check(&t, &run, Some(0.05))[0].met);
    }

    #[test]
    fn excess_is_zero_when_met_and_grows_with_the_miss() {
        let t = Target {
            kind: TargetKind::ShortfallMonths,
            at_most: 0.0,
            from: None,
        };
        assert_eq!(t.excess(0.0), 0.0);
        assert!(t.excess(24.0) > t.excess(12.0));
        assert!(t.excess(f64::NAN).is_infinite());
    }
}
