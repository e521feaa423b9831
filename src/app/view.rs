//! View state: what the user chose to look at (theme, chart choices, library folders, the last
//! open file). This is the only app state that is persisted between runs; documents, undo
//! history and model results never are.

use crate::display::palette::ThemeChoice;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The key under which [`ViewState`] is stored in eframe's storage.
pub const STORAGE_KEY: &str = "lodestone.view";

/// What the first chart shows: cost per kilogram or money per year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CostUnit {
    /// Average procurement cost in $/kg.
    #[default]
    PerKg,
    /// Procurement spend in $B/yr.
    PerYear,
}

pub use crate::scenario::chart::{ChartKind, LOG_FLOOR};

/// Everything the window remembers between runs besides its size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// Dark or light colours.
    pub theme: ThemeChoice,
    /// Larger text for projectors and the back of a room.
    pub large_text: bool,
    /// Whether the first chart shows cost per kilogram or spend per year.
    pub cost_unit: CostUnit,
    /// The chart in the third row, one of [`ChartKind::THIRD`].
    pub third_chart: ChartKind,
    /// Observed series of the scenario's record are drawn as points.
    pub show_observed: bool,
    /// Policy events are drawn as vertical lines with their labels.
    pub show_events: bool,
    /// Material ids (and [`crate::display::names::TOTAL_KEY`]) whose lines are hidden on every chart.
    pub hidden_series: Vec<String>,
    /// Reopened at start when no file is given on the command line.
    pub last_file: Option<PathBuf>,
    /// Folders the user added to the library (the shipped `scenarios/` is always listed).
    pub library_folders: Vec<PathBuf>,
    /// Files opened or saved lately, newest first (File > Open recent).
    pub recent_files: Vec<PathBuf>,
    /// Monte Carlo percentile bands behind the cost, dependency and shortfall charts.
    pub show_bands: bool,
    /// The central panel shows the sensitivity view (tornado and sweep) instead of the charts.
    pub show_sensitivity: bool,
    /// The central panel shows the company view (the open profile's spend, stock and risk).
    pub show_company: bool,
    /// The central panel shows the Goals view (targets, goal seek, when the plan fails).
    pub show_goals: bool,
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
            recent_files: Vec::new(),
            show_bands: true,
            show_sensitivity: false,
            show_company: false,
            show_goals: false,
            sensitivity_figure: "peak_cost".to_string(),
            sweep_lever: "quota_level".to_string(),
            presentation_levers: vec!["quota_level".to_string(), "capex".to_string()],
            presentation_zoom: 1.4,
        }
    }
}

/// Files File > Open recent lists.
pub const MAX_RECENT_FILES: usize = 8;

impl ViewState {
    /// Puts `path` first in the recent files (once), keeping at most [`MAX_RECENT_FILES`].
    pub fn remember_recent(&mut self, path: &std::path::Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_path_buf());
        self.recent_files.truncate(MAX_RECENT_FILES);
    }

    /// Whether the line of a material id (or [`crate::display::names::TOTAL_KEY`]) is drawn.
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
