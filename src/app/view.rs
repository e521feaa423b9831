//! View state: what the user chose to look at (theme, chart choices, library folders, the last
//! open file). This is the only app state that is persisted between runs; documents, undo
//! history and model results never are.

use crate::model::SeriesId;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Id of the aggregate line in [`ViewState::hidden_series`].
pub const TOTAL_ID: &str = "total";

/// The key under which [`ViewState`] is stored in eframe's storage.
pub const STORAGE_KEY: &str = "lodestone.view";

/// Light or dark colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    #[default]
    Dark,
    Light,
}

/// What the first chart shows: cost per kilogram or money per year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CostUnit {
    #[default]
    PerKg,
    PerYear,
}

/// Every chart the window can draw. The first chart is [`ChartKind::Cost`] or
/// [`ChartKind::Spend`], the second [`ChartKind::Dependency`], the third one of
/// [`ChartKind::THIRD`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ChartKind {
    Cost,
    Spend,
    Dependency,
    Shortfall,
    NonChinaCapacity,
    Stockpile,
    CumulativeCapex,
    #[default]
    ChinaExports,
}

impl ChartKind {
    /// Every kind, in the order of the plot cache.
    pub const ALL: [ChartKind; 8] = [
        ChartKind::Cost,
        ChartKind::Spend,
        ChartKind::Dependency,
        ChartKind::Shortfall,
        ChartKind::NonChinaCapacity,
        ChartKind::Stockpile,
        ChartKind::CumulativeCapex,
        ChartKind::ChinaExports,
    ];

    /// The choices for the third chart.
    pub const THIRD: [ChartKind; 5] = [
        ChartKind::Shortfall,
        ChartKind::NonChinaCapacity,
        ChartKind::Stockpile,
        ChartKind::CumulativeCapex,
        ChartKind::ChinaExports,
    ];

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
        self == ChartKind::Cost
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

    /// The unit shown on the axis and in hover text.
    pub fn unit(self) -> &'static str {
        match self {
            ChartKind::Cost => "$/kg",
            ChartKind::Spend => "$B/yr",
            ChartKind::Dependency => "%",
            ChartKind::Shortfall | ChartKind::NonChinaCapacity => "t/yr",
            ChartKind::Stockpile => "t",
            ChartKind::CumulativeCapex => "$B",
            ChartKind::ChinaExports => "t/month",
        }
    }

    /// Chart title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Cost => "Procurement cost",
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

/// Smallest value drawn on a logarithmic axis (zero has no logarithm).
pub const LOG_FLOOR: f64 = 0.01;

/// Everything the window remembers between runs besides its size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    pub theme: ThemeChoice,
    /// Larger text for projectors and the back of a room.
    pub large_text: bool,
    pub cost_unit: CostUnit,
    pub third_chart: ChartKind,
    pub show_observed: bool,
    pub show_events: bool,
    /// Material ids (and [`TOTAL_ID`]) whose lines are hidden on every chart.
    pub hidden_series: Vec<String>,
    /// Reopened at start when no file is given on the command line.
    pub last_file: Option<PathBuf>,
    /// Folders the user added to the library (the shipped `scenarios/` is always listed).
    pub library_folders: Vec<PathBuf>,
    /// Monte Carlo percentile bands behind the cost, dependency and shortfall charts.
    pub show_bands: bool,
    /// The central panel shows the sensitivity view (tornado and sweep) instead of the charts.
    pub show_sensitivity: bool,
    /// Key of the headline figure the sensitivity view measures (`model::Figure::key`).
    pub sensitivity_figure: String,
    /// Id of the lever the one-lever sweep varies.
    pub sweep_lever: String,
    /// Ids of the levers shown in presentation mode.
    pub presentation_levers: Vec<String>,
    /// Zoom factor of presentation mode (1 to 3).
    pub presentation_zoom: f32,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::Dark,
            large_text: false,
            cost_unit: CostUnit::PerKg,
            third_chart: ChartKind::ChinaExports,
            show_observed: true,
            show_events: true,
            hidden_series: Vec::new(),
            last_file: None,
            library_folders: Vec::new(),
            show_bands: true,
            show_sensitivity: false,
            sensitivity_figure: "peak_cost".to_string(),
            sweep_lever: "quota_level".to_string(),
            presentation_levers: vec!["quota_level".to_string(), "capex".to_string()],
            presentation_zoom: 1.4,
        }
    }
}

impl ViewState {
    /// Whether the line of a material id (or [`TOTAL_ID`]) is drawn.
    pub fn is_shown(&self, id: &str) -> bool {
        !self.hidden_series.iter().any(|h| h == id)
    }

    /// The three charts, top to bottom.
    pub fn charts(&self) -> [ChartKind; 3] {
        let first = match self.cost_unit {
            CostUnit::PerKg => ChartKind::Cost,
            CostUnit::PerYear => ChartKind::Spend,
        };
        let third = if ChartKind::THIRD.contains(&self.third_chart) {
            self.third_chart
        } else {
            ChartKind::ChinaExports
        };
        [first, ChartKind::Dependency, third]
    }
}
