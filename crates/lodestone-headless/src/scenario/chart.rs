//! The chart vocabulary shared by the window, the exports and chart annotations in scenario
//! files: which charts exist, which series each draws, and in what unit and scale.

use crate::model::SeriesId;
use serde::{Deserialize, Serialize};

/// Smallest value drawn on a logarithmic axis (zero has no logarithm).
pub const LOG_FLOOR: f64 = 0.01;

/// Every chart the window can draw. The first chart is [`ChartKind::Cost`] or
/// [`ChartKind::Spend`], the second [`ChartKind::Dependency`], the third one of
/// [`ChartKind::THIRD`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ChartKind {
    /// Cost of supply (demand lost included), $/kg, log axis.
    Cost,
    /// Procurement spend, $B/yr.
    Spend,
    /// Dependency on Chinese origin, %.
    Dependency,
    /// Shortfall (demand not met), t/yr.
    Shortfall,
    /// Non-China capacity online, t/yr.
    NonChinaCapacity,
    /// Stock held by buyers, t.
    Stockpile,
    /// Cumulative diversification capex, $B.
    CumulativeCapex,
    /// Chinese legal exports, t/month (as customs report them); the default third chart.
    #[default]
    ChinaExports,
    /// Spot price outside China, $/kg, log axis.
    SpotPrice,
    /// Demand destroyed by price, t/yr.
    DemandDestroyed,
}

impl ChartKind {
    /// Every kind, in the order of the plot cache.
    pub const ALL: [ChartKind; 10] = [
        ChartKind::Cost,
        ChartKind::Spend,
        ChartKind::Dependency,
        ChartKind::Shortfall,
        ChartKind::NonChinaCapacity,
        ChartKind::Stockpile,
        ChartKind::CumulativeCapex,
        ChartKind::ChinaExports,
        ChartKind::SpotPrice,
        ChartKind::DemandDestroyed,
    ];

    /// The choices for the third chart.
    pub const THIRD: [ChartKind; 7] = [
        ChartKind::SpotPrice,
        ChartKind::DemandDestroyed,
        ChartKind::Shortfall,
        ChartKind::NonChinaCapacity,
        ChartKind::Stockpile,
        ChartKind::CumulativeCapex,
        ChartKind::ChinaExports,
    ];

    /// The name `lodestone export --chart` takes, one word, lower case.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Cost => "cost",
            ChartKind::Spend => "spend",
            ChartKind::Dependency => "dependency",
            ChartKind::Shortfall => "shortfall",
            ChartKind::NonChinaCapacity => "capacity",
            ChartKind::Stockpile => "stockpile",
            ChartKind::CumulativeCapex => "capex",
            ChartKind::ChinaExports => "exports",
            ChartKind::SpotPrice => "spot",
            ChartKind::DemandDestroyed => "destroyed",
        }
    }

    /// The kind a `--chart` name picks: its [`ChartKind::name`], its title or the CSV name
    /// of its series, in any case, with or without spaces, `-` and `_` ("spot-price",
    /// "Demand destroyed by price", "china_exports").
    pub fn by_name(name: &str) -> Option<ChartKind> {
        let squash = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        };
        let n = squash(name);
        ChartKind::ALL.into_iter().find(|k| {
            let title = squash(k.title());
            n == k.name()
                || n == squash(k.series().key())
                || n == title
                || (n.len() >= 4 && title.starts_with(&n))
        })
    }

    /// Position in [`ChartKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The model series drawn.
    pub fn series(self) -> SeriesId {
        match self {
            ChartKind::Cost => SeriesId::Cost,
            ChartKind::Spend => SeriesId::Spend,
            ChartKind::Dependency => SeriesId::Dependency,
            ChartKind::Shortfall => SeriesId::Shortfall,
            ChartKind::NonChinaCapacity => SeriesId::NonChinaCapacity,
            ChartKind::Stockpile => SeriesId::Stockpile,
            ChartKind::CumulativeCapex => SeriesId::CumulativeCapex,
            ChartKind::ChinaExports => SeriesId::ChinaExports,
            ChartKind::SpotPrice => SeriesId::MarketPrice,
            ChartKind::DemandDestroyed => SeriesId::Destroyed,
        }
    }

    /// Factor from the model's unit to the shown unit.
    pub fn scale(self) -> f64 {
        match self {
            ChartKind::Spend | ChartKind::CumulativeCapex => 1e-9,
            ChartKind::Dependency => 100.0,
            // Monthly volumes are what customs statistics report, so exports are shown per month.
            ChartKind::ChinaExports => 1.0 / 12.0,
            _ => 1.0,
        }
    }

    /// Whether values are plotted on a logarithmic axis. Cost is: per-kilogram costs range
    /// from ~$25 (NdPr) to thousands (Tb), and a linear axis flattens everything but Tb.
    pub fn log_scale(self) -> bool {
        matches!(self, ChartKind::Cost | ChartKind::SpotPrice)
    }

    /// Plot coordinate of a value in the shown unit.
    pub fn to_plot(self, value: f64) -> f64 {
        if self.log_scale() {
            value.max(LOG_FLOOR).log10()
        } else {
            value
        }
    }

    /// The value in the shown unit at a plot coordinate.
    pub fn from_plot(self, y: f64) -> f64 {
        if self.log_scale() { 10f64.powf(y) } else { y }
    }

    /// The aggregate series whose Monte Carlo bands this chart draws, if it draws any.
    pub fn banded_series(self) -> Option<SeriesId> {
        match self {
            ChartKind::Cost => Some(SeriesId::Cost),
            ChartKind::Dependency => Some(SeriesId::Dependency),
            ChartKind::Shortfall => Some(SeriesId::Shortfall),
            _ => None,
        }
    }

    /// The unit shown on the axis and in hover text.
    pub fn unit(self) -> &'static str {
        match self {
            ChartKind::Cost | ChartKind::SpotPrice => "$/kg",
            ChartKind::Spend => "$B/yr",
            ChartKind::Dependency => "%",
            ChartKind::Shortfall | ChartKind::NonChinaCapacity | ChartKind::DemandDestroyed => {
                "t/yr"
            }
            ChartKind::Stockpile => "t",
            ChartKind::CumulativeCapex => "$B",
            ChartKind::ChinaExports => "t/month",
        }
    }

    /// The unit of a difference between two runs on this chart: a share's difference is in
    /// percentage points ("pp", as `diff` and the compare table write it), not in percent.
    pub fn delta_unit(self) -> &'static str {
        match self {
            ChartKind::Dependency => "pp",
            other => other.unit(),
        }
    }

    /// Chart title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Cost => "Cost of supply (incl. demand lost)",
            ChartKind::SpotPrice => "Spot price outside China",
            ChartKind::DemandDestroyed => "Demand destroyed by price",
            ChartKind::Spend => "Procurement spend",
            ChartKind::Dependency => "Dependency on Chinese origin",
            ChartKind::Shortfall => "Shortfall (demand not met)",
            ChartKind::NonChinaCapacity => "Non-China capacity online",
            ChartKind::Stockpile => "Stock held by buyers",
            ChartKind::CumulativeCapex => "Cumulative diversification capex",
            ChartKind::ChinaExports => "Chinese exports",
        }
    }
}
