//! The headline figures of a run, in one list with one wording: the CLI's `run` and `diff`,
//! the compare table and its CSV/Markdown exports, and the presentation strip all take their
//! rows from here, and pick figures by [`FigureId`], never by label text.

use crate::model::company::CompanyHeadline;
use crate::model::{Headline, Summary, YearMonth};

/// Which headline figure a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FigureId {
    /// Highest aggregate cost of supply (demand lost included) from the decision date on, $/kg.
    PeakCost,
    /// Month of that peak cost.
    PeakCostMonth,
    /// Highest aggregate spot price outside China from the decision date on, $/kg.
    PeakSpot,
    /// Month of that peak spot price.
    PeakSpotMonth,
    /// Spend over the horizon, $B.
    TotalSpend,
    /// First month dependency stays below the threshold, or "never".
    DependencyBelow,
    /// Dependency at the last step, %.
    FinalDependency,
    /// Months in which aggregate shortfall exceeds the threshold.
    MonthsOfShortfall,
    /// Demand given up because of the price over the horizon, t.
    DemandDestroyed,
    /// Diversification capex spent over the horizon, $B.
    Capex,
    /// The cost of the strategy over the horizon (spend + capex + demand lost), $B.
    StrategyCost,
    /// Extra cost against the reference run, $B.
    ExtraCost,
    /// The company's spend over the horizon, $M.
    CompanySpend,
    /// The company's spend in the first twelve months, $M.
    CompanyFirstYearSpend,
    /// The company's highest spend rate, $M/yr.
    CompanyPeakAnnualSpend,
    /// The highest material cost per unit of the company's product, $.
    CompanyPeakCostPerUnit,
    /// The highest value of the company's stock, $M.
    CompanyPeakWorkingCapital,
    /// What the company paid for stock above China's price, $M.
    CompanyStockPremium,
    /// Months with the company's line (partly) stopped.
    CompanyMonthsOfStoppage,
    /// What the stopped line costs, $M.
    CompanyStoppageCost,
}

/// One headline figure as shown: its label, its text, and (for numbers) the value and unit a
/// difference between two scenarios is taken in. Dates carry no number.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadlineFigure {
    /// Which figure the row shows.
    pub id: FigureId,
    /// Label in the table, e.g. "peak cost of supply".
    pub label: String,
    /// The figure as text with its unit, e.g. "123.45 $/kg" or "2031-07".
    pub text: String,
    /// Value and unit for differences between scenarios, e.g. (123.45, "$/kg"); None for dates.
    pub number: Option<(f64, &'static str)>,
}

fn figure(
    id: FigureId,
    label: impl Into<String>,
    text: String,
    number: Option<(f64, &'static str)>,
) -> HeadlineFigure {
    HeadlineFigure {
        id,
        label: label.into(),
        text,
        number,
    }
}

/// Dollars as billions with two decimals, the unit of every headline total.
pub fn billions(usd: f64) -> String {
    format!("{:.2} $B", usd / 1e9)
}

/// A month, or "never" when the figure is not reached within the horizon.
pub fn month(m: Option<YearMonth>) -> String {
    m.map_or_else(|| "never".to_string(), |m| m.to_string())
}

/// The run's own figures, in the order every table shows them.
pub fn figures(h: &Headline) -> Vec<HeadlineFigure> {
    use FigureId::*;
    vec![
        figure(
            PeakCost,
            "peak cost of supply",
            format!("{:.2} $/kg", h.peak_cost_usd_per_kg),
            Some((h.peak_cost_usd_per_kg, "$/kg")),
        ),
        figure(
            PeakCostMonth,
            "peak cost month",
            month(h.peak_cost_date),
            None,
        ),
        figure(
            PeakSpot,
            "peak spot price",
            format!("{:.2} $/kg", h.peak_spot_usd_per_kg),
            Some((h.peak_spot_usd_per_kg, "$/kg")),
        ),
        figure(
            PeakSpotMonth,
            "peak spot month",
            month(h.peak_spot_date),
            None,
        ),
        figure(
            TotalSpend,
            "total spend",
            billions(h.total_spend_usd),
            Some((h.total_spend_usd / 1e9, "$B")),
        ),
        figure(
            DependencyBelow,
            format!("dependency below {:.0} %", h.dependency_threshold * 100.0),
            month(h.dependency_below_threshold),
            None,
        ),
        figure(
            FinalDependency,
            "final dependency",
            format!("{:.1} %", h.final_dependency * 100.0),
            Some((h.final_dependency * 100.0, "pp")),
        ),
        figure(
            MonthsOfShortfall,
            "months of shortfall",
            format!("{}", h.months_of_shortfall),
            Some((h.months_of_shortfall, "months")),
        ),
        figure(
            DemandDestroyed,
            "demand destroyed by price",
            format!("{:.0} t", h.demand_destroyed_t),
            Some((h.demand_destroyed_t, "t")),
        ),
        figure(
            Capex,
            "diversification capex",
            billions(h.total_capex_usd),
            Some((h.total_capex_usd / 1e9, "$B")),
        ),
        figure(
            StrategyCost,
            "cost of the strategy",
            billions(h.strategy_cost_usd),
            Some((h.strategy_cost_usd / 1e9, "$B")),
        ),
    ]
}

/// The extra cost against the run's reference, as a figure.
pub fn extra_cost(extra_cost_usd: f64) -> HeadlineFigure {
    figure(
        FigureId::ExtraCost,
        "extra cost vs baseline",
        billions(extra_cost_usd),
        Some((extra_cost_usd / 1e9, "$B")),
    )
}

/// A run's figures followed by its extra cost: one column of the compare table.
pub fn summary_figures(summary: &Summary) -> Vec<HeadlineFigure> {
    let mut out = figures(&summary.headline);
    out.push(extra_cost(summary.extra_cost_usd));
    out
}

/// Dollars as millions with one decimal: the scale of one company's budget.
pub fn millions(usd: f64) -> String {
    format!("{:.1} $M", usd / 1e6)
}

/// One company's figures for a run, in the order every table shows them; `unit` is what the
/// company makes ("vehicle").
pub fn company_figures(h: &CompanyHeadline, unit: &str) -> Vec<HeadlineFigure> {
    use FigureId::*;
    let m = |usd: f64| Some((usd / 1e6, "$M"));
    vec![
        figure(
            CompanySpend,
            "our spend over the horizon",
            millions(h.total_spend_usd),
            m(h.total_spend_usd),
        ),
        figure(
            CompanyFirstYearSpend,
            "our spend in the first year",
            millions(h.first_year_spend_usd),
            m(h.first_year_spend_usd),
        ),
        figure(
            CompanyPeakAnnualSpend,
            "our peak annual spend",
            format!("{} /yr", millions(h.peak_annual_spend_usd)),
            m(h.peak_annual_spend_usd),
        ),
        figure(
            CompanyPeakCostPerUnit,
            format!("peak material cost per {unit}"),
            format!("{:.2} $", h.peak_cost_per_unit_usd),
            Some((h.peak_cost_per_unit_usd, "$")),
        ),
        figure(
            CompanyPeakWorkingCapital,
            "peak working capital in stock",
            millions(h.peak_working_capital_usd),
            m(h.peak_working_capital_usd),
        ),
        figure(
            CompanyStockPremium,
            "premium paid for stock",
            millions(h.stock_premium_usd),
            m(h.stock_premium_usd),
        ),
        figure(
            CompanyMonthsOfStoppage,
            "months of line stoppage",
            format!("{}", h.months_of_stoppage),
            Some((h.months_of_stoppage, "months")),
        ),
        figure(
            CompanyStoppageCost,
            "cost of stoppage",
            millions(h.stoppage_cost_usd),
            m(h.stoppage_cost_usd),
        ),
    ]
}

/// A figure's label in at most three short words, for a projector's headline strip where a
/// wrapped label would break the line.
pub fn short_label(figure: &HeadlineFigure) -> String {
    match figure.id {
        FigureId::PeakCost => "Peak cost".into(),
        FigureId::ExtraCost => "Extra cost".into(),
        FigureId::DependencyBelow => figure.label.replace("dependency below", "China <"),
        FigureId::MonthsOfShortfall => "Shortfall months".into(),
        FigureId::PeakSpot => "Peak spot".into(),
        FigureId::TotalSpend => "Total spend".into(),
        FigureId::FinalDependency => "Final dependency".into(),
        FigureId::DemandDestroyed => "Demand destroyed".into(),
        FigureId::Capex => "Capex".into(),
        FigureId::StrategyCost => "Strategy cost".into(),
        _ => figure.label.clone(),
    }
}

/// What an extra cost is measured against, in words every slide, card and pack page share:
/// the baseline's name, or the calm reference a file without one is measured against.
pub fn measured_against(baseline: Option<&str>) -> String {
    match baseline {
        Some(name) => format!("vs {name}"),
        None => "vs no controls, no capex".to_string(),
    }
}

/// The figure with this id, if the list has it.
pub fn pick(figures: &[HeadlineFigure], id: FigureId) -> Option<&HeadlineFigure> {
    figures.iter().find(|f| f.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_listed_once_and_pickable() {
        let s = Summary {
            headline: Headline::default(),
            extra_cost_usd: 2.5e9,
        };
        let rows = summary_figures(&s);
        for (i, a) in rows.iter().enumerate() {
            assert!(
                rows[i + 1..].iter().all(|b| b.id != a.id),
                "{:?} twice",
                a.id
            );
        }
        assert_eq!(
            pick(&rows, FigureId::ExtraCost).map(|f| f.text.as_str()),
            Some("2.50 $B")
        );
    }
}
