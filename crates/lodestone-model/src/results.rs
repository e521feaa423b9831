//! The model's output: one time axis and one `Vec<f64>` per series, per material and for
//! the aggregate, so charts and CSV export read slices without copying.

use super::time::YearMonth;

/// Every series the model produces. The enum is the stable name used by the CSV export and
/// the chart pickers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeriesId {
    /// Cost of meeting the need, $/kg of underlying demand: what is bought at its procurement
    /// cost, plus what is substituted, priced out or left unmet at its value (MODEL.md,
    /// section 9). Removing supply never makes it fall.
    Cost,
    /// Average procurement cost of the material consumed, $/kg: contracts at China's export
    /// price, the rest at the spot, offtakes of new plants at their floor, stock draws at what
    /// buying again under contract costs.
    ProcurementCost,
    /// Cash spent on purchases (for use and for stock) plus carrying cost, $ per year.
    Spend,
    /// Spot price outside China, $/kg: the marginal price at which the market clears.
    MarketPrice,
    /// China's domestic price, $/kg.
    ChinaPrice,
    /// Share of demand not covered by non-Chinese material (0..1): consumption of Chinese
    /// origin (legal exports, leakage and stock of Chinese origin) plus demand left unmet or
    /// priced out. It does not fall when China cuts.
    Dependency,
    /// Share of consumption of Chinese origin or processed in China (0..1).
    ProcessingDependency,
    /// Consumption demand after substitution, t/yr.
    Demand,
    /// Demand met, t/yr.
    Met,
    /// Demand given up because of the price (short-run demand destruction), t/yr.
    Destroyed,
    /// Demand not met, t/yr.
    Shortfall,
    /// Demand not met as a share of demand (0..1).
    ShortfallShare,
    /// Chinese legal exports to buyers outside China (use and stock), t/yr.
    ChinaExports,
    /// The export cap in force (quota x licensing), t/yr; equal to the demand when uncapped.
    QuotaCap,
    /// Smuggled Chinese material, t/yr.
    Smuggled,
    /// Non-China primary supply used, t/yr.
    NonChinaSupply,
    /// Recycled supply, t/yr.
    Recycled,
    /// Drawn from stock, t/yr.
    StockDraw,
    /// Bought into stock (safety stock and stockpile), t/yr.
    StockIn,
    /// Non-China capacity online (after ramp-up), t/yr.
    NonChinaCapacity,
    /// Stock held by buyers (safety stock and stockpile), t.
    Stockpile,
    /// Diversification capex spent so far, $.
    CumulativeCapex,
    /// Share of demand substituted away (0..1).
    Substitution,
    /// Value of demand substituted, destroyed or unmet, $ per year (MODEL.md, section 9).
    LostValue,
}

impl SeriesId {
    /// Every series, in the order of the CSV export and the pickers.
    pub const ALL: [SeriesId; 24] = [
        SeriesId::Cost,
        SeriesId::ProcurementCost,
        SeriesId::Spend,
        SeriesId::MarketPrice,
        SeriesId::ChinaPrice,
        SeriesId::Dependency,
        SeriesId::ProcessingDependency,
        SeriesId::Demand,
        SeriesId::Met,
        SeriesId::Destroyed,
        SeriesId::Shortfall,
        SeriesId::ShortfallShare,
        SeriesId::ChinaExports,
        SeriesId::QuotaCap,
        SeriesId::Smuggled,
        SeriesId::NonChinaSupply,
        SeriesId::Recycled,
        SeriesId::StockDraw,
        SeriesId::StockIn,
        SeriesId::NonChinaCapacity,
        SeriesId::Stockpile,
        SeriesId::CumulativeCapex,
        SeriesId::Substitution,
        SeriesId::LostValue,
    ];

    /// Stable snake_case name (CSV `series` column).
    pub fn key(self) -> &'static str {
        match self {
            SeriesId::Cost => "cost",
            SeriesId::ProcurementCost => "procurement_cost",
            SeriesId::Spend => "spend",
            SeriesId::MarketPrice => "market_price",
            SeriesId::ChinaPrice => "china_price",
            SeriesId::Destroyed => "demand_destroyed",
            SeriesId::LostValue => "lost_value",
            SeriesId::Dependency => "dependency",
            SeriesId::ProcessingDependency => "processing_dependency",
            SeriesId::Demand => "demand",
            SeriesId::Met => "met",
            SeriesId::Shortfall => "shortfall",
            SeriesId::ShortfallShare => "shortfall_share",
            SeriesId::ChinaExports => "china_exports",
            SeriesId::QuotaCap => "quota_cap",
            SeriesId::Smuggled => "smuggled",
            SeriesId::NonChinaSupply => "non_china_supply",
            SeriesId::Recycled => "recycled",
            SeriesId::StockDraw => "stock_draw",
            SeriesId::StockIn => "stock_in",
            SeriesId::NonChinaCapacity => "non_china_capacity",
            SeriesId::Stockpile => "stockpile",
            SeriesId::CumulativeCapex => "cumulative_capex",
            SeriesId::Substitution => "substitution",
        }
    }

    /// Label for legends and pickers.
    pub fn label(self) -> &'static str {
        match self {
            SeriesId::Cost => "Cost of supply (incl. demand lost)",
            SeriesId::ProcurementCost => "Average procurement cost",
            SeriesId::Spend => "Procurement spend",
            SeriesId::MarketPrice => "Spot price outside China",
            SeriesId::ChinaPrice => "China's domestic price",
            SeriesId::Destroyed => "Demand destroyed by price",
            SeriesId::LostValue => "Value of demand lost",
            SeriesId::Dependency => "Dependency (Chinese origin)",
            SeriesId::ProcessingDependency => "Dependency (Chinese processing)",
            SeriesId::Demand => "Demand",
            SeriesId::Met => "Demand met",
            SeriesId::Shortfall => "Shortfall",
            SeriesId::ShortfallShare => "Shortfall share",
            SeriesId::ChinaExports => "Chinese exports",
            SeriesId::QuotaCap => "Export cap",
            SeriesId::Smuggled => "Smuggled",
            SeriesId::NonChinaSupply => "Non-China supply",
            SeriesId::Recycled => "Recycled",
            SeriesId::StockDraw => "Stock draw",
            SeriesId::StockIn => "Bought into stock",
            SeriesId::NonChinaCapacity => "Non-China capacity",
            SeriesId::Stockpile => "Stockpile",
            SeriesId::CumulativeCapex => "Cumulative capex",
            SeriesId::Substitution => "Substitution",
        }
    }

    /// Unit of the stored values.
    pub fn unit(self) -> &'static str {
        match self {
            SeriesId::Cost
            | SeriesId::ProcurementCost
            | SeriesId::MarketPrice
            | SeriesId::ChinaPrice => "$/kg",
            SeriesId::Spend | SeriesId::LostValue => "$/yr",
            SeriesId::Dependency
            | SeriesId::ProcessingDependency
            | SeriesId::ShortfallShare
            | SeriesId::Substitution => "share",
            SeriesId::Demand
            | SeriesId::Met
            | SeriesId::Destroyed
            | SeriesId::Shortfall
            | SeriesId::ChinaExports
            | SeriesId::QuotaCap
            | SeriesId::Smuggled
            | SeriesId::NonChinaSupply
            | SeriesId::Recycled
            | SeriesId::StockDraw
            | SeriesId::StockIn
            | SeriesId::NonChinaCapacity => "t/yr",
            SeriesId::Stockpile => "t",
            SeriesId::CumulativeCapex => "$",
        }
    }

    /// The series with this stable name, if any.
    pub fn from_key(key: &str) -> Option<SeriesId> {
        SeriesId::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// `a - b` point by point for series of (time, value), matched by time: the two horizons may
/// start in different months. Series on the same horizon (the usual case) pair by index.
/// The one difference against a reference that the window's delta view and the exported
/// charts draw.
pub fn difference_by_time(a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let same = |p: &(f64, f64), q: &(f64, f64)| (p.0 - q.0).abs() < 1e-6;
    if a.len() == b.len() && a.first().zip(b.first()).is_none_or(|(p, q)| same(p, q)) {
        return a.iter().zip(b).map(|(p, q)| (p.0, p.1 - q.1)).collect();
    }
    a.iter()
        .filter_map(|p| {
            let q = b.iter().find(|q| same(p, q))?;
            Some((p.0, p.1 - q.1))
        })
        .collect()
}

/// One column per [`SeriesId`], each as long as the time axis, in one buffer (series after
/// series) that a re-run overwrites in place. A run stages a block of steps as rows
/// (`Staged`) and writes them in here column by column, so both the step and the columns
/// are written contiguously.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesSet {
    values: Vec<f64>,
    steps: usize,
}

/// Number of series in a [`SeriesSet`] (one row of a run's step).
pub(crate) const SERIES: usize = SeriesId::ALL.len();

/// One step's value of every series, indexed by `SeriesId as usize`.
pub(crate) type Row = [f64; SERIES];

impl SeriesSet {
    /// Writes consecutive steps from `first` on, one [`Row`] per step: a run writes each step
    /// contiguously and the columns are filled a block of steps at a time.
    pub(crate) fn fill_block(&mut self, first: usize, rows: &[Row]) {
        for id in 0..SERIES {
            let start = id * self.steps + first;
            if let Some(column) = self.values.get_mut(start..start + rows.len()) {
                for (value, row) in column.iter_mut().zip(rows) {
                    *value = row[id];
                }
            }
        }
    }

    /// Sized for a run of `steps` steps; contents are overwritten by the run.
    pub(crate) fn prepare(&mut self, steps: usize) {
        self.steps = steps;
        self.values.resize(SeriesId::ALL.len() * steps, 0.0);
    }

    /// The values of one series.
    pub fn get(&self, id: SeriesId) -> &[f64] {
        let start = id as usize * self.steps;
        self.values.get(start..start + self.steps).unwrap_or(&[])
    }

    /// Writes one step's value of a series.
    #[cfg(test)]
    pub(crate) fn set(&mut self, id: SeriesId, step: usize, value: f64) {
        if let Some(slot) = self.values.get_mut(id as usize * self.steps + step) {
            *slot = value;
        }
    }
}

/// The series of one material.
#[derive(Clone, Debug, PartialEq)]
pub struct MaterialResults {
    /// The material's id, e.g. "NdPr".
    pub id: String,
    /// The material's display name, shown in legends.
    pub name: String,
    /// The material's series.
    pub series: SeriesSet,
    /// Share of each step's months under export licensing (what a user refused licences
    /// cannot buy from China).
    pub licensing: Vec<f64>,
}

/// Everything one run produces.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// Start month of each step.
    pub dates: Vec<YearMonth>,
    /// Start of each step as a decimal year (the charts' x axis).
    pub time: Vec<f64>,
    /// Length of one step in months (1 or 12).
    pub step_months: f64,
    /// The series of each material, in the scenario's order.
    pub materials: Vec<MaterialResults>,
    /// All materials together: tonnes and dollars summed; $/kg averaged over the basket's
    /// underlying tonnes and shares over its underlying spend (fixed weights, see MODEL.md).
    pub total: SeriesSet,
    /// The figures a strategist quotes, from these series.
    pub headline: Headline,
    /// First step from the decision date (the quota lever's first month) on: what came
    /// before is the record, the same for every strategy.
    pub decision_step: usize,
    /// Where a run writes its steps before they become the series above.
    pub(crate) staged: Staged,
}

/// The last few steps of a run, step-major: one [`Row`] per step for each material and one
/// for the aggregate (last), written into the series a block at a time. Scratch space only:
/// a clone starts empty and it never affects equality.
#[derive(Default)]
pub(crate) struct Staged {
    /// `BLOCK` rows per set, set after set; rows are written in place, never moved.
    pub(crate) rows: Vec<Row>,
    /// Rows of each set written since the last block went into the series.
    pub(crate) filled: usize,
    /// The step of the first staged row.
    pub(crate) first: usize,
}

impl Staged {
    /// Steps staged before they are written into the series: small enough to stay in the
    /// cache, large enough that each column gets a run of contiguous writes.
    pub(crate) const BLOCK: usize = 16;
}

impl Clone for Staged {
    fn clone(&self) -> Self {
        Staged::default()
    }
}

impl PartialEq for Staged {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Staged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Staged")
    }
}

impl Results {
    /// Number of time steps.
    pub fn steps(&self) -> usize {
        self.time.len()
    }

    /// A material's series by id, or the aggregate for `None`.
    pub fn series(&self, material: Option<usize>, id: SeriesId) -> &[f64] {
        match material.and_then(|i| self.materials.get(i)) {
            Some(m) => m.series.get(id),
            None => self.total.get(id),
        }
    }
}

/// The figures a strategist quotes, computed from one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Headline {
    /// Highest aggregate cost of supply (demand lost included, [`SeriesId::Cost`]) from the
    /// decision date (the quota lever's first month) on, $/kg, and when.
    pub peak_cost_usd_per_kg: f64,
    /// Month of the peak cost; None when no step from the decision date on has a cost.
    pub peak_cost_date: Option<YearMonth>,
    /// Highest aggregate spot price outside China from the decision date on, $/kg, and when.
    pub peak_spot_usd_per_kg: f64,
    /// Month of the peak spot price; None when no step from the decision date on has a price.
    pub peak_spot_date: Option<YearMonth>,
    /// Demand given up because of the price over the horizon, t.
    pub demand_destroyed_t: f64,
    /// Value of demand substituted, destroyed or unmet over the horizon, $.
    pub lost_value_usd: f64,
    /// Total spend over the horizon, $.
    pub total_spend_usd: f64,
    /// First month from which the aggregate dependency stays below the scenario's threshold
    /// for a year or to the horizon's end (None: never within the horizon). A one-off dip
    /// while China ships little does not count.
    pub dependency_below_threshold: Option<YearMonth>,
    /// The dependency threshold of the scenario (share 0-1).
    pub dependency_threshold: f64,
    /// Months in which aggregate shortfall exceeds the shortfall threshold.
    pub months_of_shortfall: f64,
    /// The threshold (share of demand) from which a month counts as a month of shortfall.
    pub shortfall_threshold: f64,
    /// Dependency at the last step.
    pub final_dependency: f64,
    /// Diversification capex spent over the horizon, $.
    pub total_capex_usd: f64,
    /// The cost of the strategy over the horizon, $: spend (offtake premiums included) plus
    /// capex plus the value of demand substituted, destroyed or unmet, less the value of
    /// stock added and still held (at China's price).
    pub strategy_cost_usd: f64,
}

/// The headline figures of a run plus its extra cost against the reference run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// The run's own headline figures.
    pub headline: Headline,
    /// Spend plus value of demand lost minus the reference run's, $ over the shared horizon.
    pub extra_cost_usd: f64,
}

/// Figures that need a second run to compare against.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Comparison {
    /// Spend plus the value of demand lost (substituted, destroyed or unmet) of this run
    /// minus that of the baseline, $ over the shared horizon: a cut that leaves demand unmet
    /// never looks cheap.
    pub extra_cost_usd: f64,
}

impl Comparison {
    /// Compares two runs over the months they share (they may have different horizons):
    /// spend plus the value of demand lost, less what each run added to the stock it holds
    /// (valued at China's price), so stock bought and still held is not counted as a cost.
    pub fn between(run: &Results, baseline: &Results) -> Comparison {
        let cost = |r: &Results, i: usize| {
            (r.total.get(SeriesId::Spend)[i] + r.total.get(SeriesId::LostValue)[i]) * r.step_months
                / 12.0
        };
        let mut extra = 0.0;
        let mut shared: Option<((usize, usize), (usize, usize))> = None;
        let mut j = 0;
        for (i, date) in run.dates.iter().enumerate() {
            while j < baseline.dates.len() && baseline.dates[j] < *date {
                j += 1;
            }
            if j < baseline.dates.len() && baseline.dates[j] == *date {
                extra += cost(run, i) - cost(baseline, j);
                shared = Some(match shared {
                    None => ((i, j), (i, j)),
                    Some((first, _)) => (first, (i, j)),
                });
            }
        }
        if let Some(((i0, j0), (i1, j1))) = shared {
            extra -= (run.stock_value(i1) - run.stock_value(i0))
                - (baseline.stock_value(j1) - baseline.stock_value(j0));
            // Diversification capex is part of a strategy's cost: spent over the shared months.
            extra += run.capex_spent_over(i0, i1) - baseline.capex_spent_over(j0, j1);
        }
        Comparison {
            extra_cost_usd: extra,
        }
    }
}

impl Results {
    /// Diversification capex spent in steps `first..=last`, $.
    pub fn capex_spent_over(&self, first: usize, last: usize) -> f64 {
        let cumulative = self.total.get(SeriesId::CumulativeCapex);
        let at = |i: usize| cumulative.get(i).copied().unwrap_or(0.0);
        // From the horizon's first step, everything spent so far counts (capex committed
        // before the horizon starts is still this strategy's).
        let before = if first == 0 { 0.0 } else { at(first - 1) };
        (at(last) - before).max(0.0)
    }

    /// Stock held by buyers at the end of step `i`, valued at China's price, $.
    pub fn stock_value(&self, i: usize) -> f64 {
        self.materials
            .iter()
            .map(|m| {
                let stock = m
                    .series
                    .get(SeriesId::Stockpile)
                    .get(i)
                    .copied()
                    .unwrap_or(0.0);
                let price = m
                    .series
                    .get(SeriesId::ChinaPrice)
                    .get(i)
                    .copied()
                    .unwrap_or(0.0);
                stock * price * super::units::KG_PER_TONNE
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::difference_by_time;

    #[test]
    fn differences_match_by_time_not_by_index() {
        let a = [(2024.0, 5.0), (2024.5, 7.0)];
        assert_eq!(
            difference_by_time(&a, &[(2024.0, 1.0), (2024.5, 2.0)]),
            [(2024.0, 4.0), (2024.5, 5.0)]
        );
        // A reference starting half a year later: only the common time is differenced.
        assert_eq!(
            difference_by_time(&a, &[(2024.5, 2.0), (2025.0, 3.0)]),
            [(2024.5, 5.0)]
        );
        assert!(difference_by_time(&a, &[]).is_empty());
    }
}
