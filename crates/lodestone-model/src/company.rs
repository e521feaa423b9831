//! One company's budget, stock and risk, read off a market run: what the curves mean for a
//! buyer with its own need, contracts, stock and product (MODEL.md, section 13).
//!
//! Pure like the rest of the model: a [`Profile`] and the market's [`Results`] in, a
//! [`CompanyResults`] out. The market is not changed by one company (a price taker); the
//! company buys at the market's prices and is rationed like the market when material is short.

use super::results::{Results, SeriesId};
use super::time::YearMonth;
use serde::{Deserialize, Serialize};

/// A month counts as a stoppage month when more than this share of some material's need
/// goes unmet after stock (a line runs through small gaps, not through missing magnets).
pub const STOPPAGE_THRESHOLD: f64 = 0.01;

/// Months over which stock below its target is bought back (as the market's buyers do).
pub const REFILL_MONTHS: f64 = 3.0;

/// A buyer's view: what it needs, how it buys, what it holds, what it makes. Kept in its own
/// file, private, and applied to any scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The company (or business unit) the profile describes.
    pub name: String,
    /// Free text: who made the profile and from what.
    pub description: String,
    /// What the company makes with the materials, for cost per unit.
    pub product: Product,
    /// Carrying cost of stock, share of its value per year (capital, storage, insurance).
    pub carrying_cost: f64,
    /// What a month with the line stopped costs, $ (lost margin, penalties).
    pub stoppage_cost_usd_per_month: f64,
    /// The company's uses are refused Chinese export licences (the October 2025 rules deny
    /// them to foreign defence users): while licensing is in force it gets only non-Chinese
    /// material and what its non-China contracts deliver.
    #[serde(skip_serializing_if = "is_false")]
    pub licences_denied: bool,
    /// One entry per material the company buys; materials the scenario lacks are refused.
    pub materials: Vec<Need>,
    /// CSV files of the company's own observed prices or volumes (`date,material,series,value`),
    /// relative to the profile file; drawn on the market charts. Not read by the model.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_files: Vec<String>,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            product: Product::default(),
            carrying_cost: 0.10,
            stoppage_cost_usd_per_month: 0.0,
            licences_denied: false,
            materials: Vec::new(),
            data_files: Vec::new(),
        }
    }
}

/// The product the materials go into.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Product {
    /// What one unit is called, e.g. "vehicle" or "turbine".
    pub name: String,
    /// Units made per year at the start of the horizon.
    pub units_per_year: f64,
    /// Growth of output, share per year.
    pub growth: f64,
}

impl Default for Product {
    fn default() -> Self {
        Self {
            name: "unit".to_string(),
            units_per_year: 0.0,
            growth: 0.0,
        }
    }
}

/// How the company buys one material.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Need {
    /// Material id of the scenario, e.g. "NdPr".
    pub material: String,
    /// Need at the start of the horizon, t/yr. Zero: taken from the product instead
    /// (units per year x `kg_per_unit`).
    pub tonnes_per_year: f64,
    /// Growth of the need, share per year (ignored when the need follows the product).
    pub growth: f64,
    /// Kilograms of the material in one unit of product.
    pub kg_per_unit: f64,
    /// Safety stock held, months of need.
    pub safety_stock_months: f64,
    /// Strategic stock held on top, months of need.
    pub strategic_stock_months: f64,
    /// Supply contracts; what they do not cover is bought at market terms.
    pub contracts: Vec<Contract>,
    /// Highest market price the company pays, $/kg: above it the line draws on stock and
    /// then stops rather than buy (contracts still deliver at their price). None: any price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_ceiling_usd_per_kg: Option<f64>,
}

impl Default for Need {
    fn default() -> Self {
        Self {
            material: String::new(),
            tonnes_per_year: 0.0,
            growth: 0.0,
            kg_per_unit: 0.0,
            safety_stock_months: 0.0,
            strategic_stock_months: 0.0,
            contracts: Vec::new(),
            price_ceiling_usd_per_kg: None,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How a contract's price is set each month.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Pricing {
    /// A fixed price, $/kg.
    Fixed(f64),
    /// China's domestic price times this factor (1.1 = 10 % over China's price).
    ChinaIndexed(f64),
    /// The spot price outside China times this factor.
    SpotIndexed(f64),
}

/// A supply contract for a share of the need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contract {
    /// What the contract is called in reports, e.g. "Lynas offtake".
    pub name: String,
    /// Share of the need it covers, 0-1.
    pub share: f64,
    /// How its price is set.
    pub pricing: Pricing,
    /// Lowest price paid, $/kg (an offtake's floor); none when absent.
    pub floor_usd_per_kg: Option<f64>,
    /// Highest price paid, $/kg; none when absent.
    pub cap_usd_per_kg: Option<f64>,
    /// Last month the contract delivers; to the end of the horizon when absent.
    pub ends: Option<YearMonth>,
    /// Supplied from outside China (an offtake from a non-China mine or separator): delivered
    /// in full when China's exports are cut. Contracts for Chinese material are rationed like
    /// the market.
    pub non_china: bool,
}

impl Default for Contract {
    fn default() -> Self {
        Self {
            name: String::new(),
            share: 0.0,
            pricing: Pricing::ChinaIndexed(1.0),
            floor_usd_per_kg: None,
            cap_usd_per_kg: None,
            ends: None,
            non_china: false,
        }
    }
}

impl Contract {
    /// The contract's price in a month with these market prices, $/kg.
    pub fn price(&self, china: f64, spot: f64) -> f64 {
        let raw = match self.pricing {
            Pricing::Fixed(p) => p,
            Pricing::ChinaIndexed(k) => k * china,
            Pricing::SpotIndexed(k) => k * spot,
        };
        let floored = self.floor_usd_per_kg.map_or(raw, |f| raw.max(f));
        self.cap_usd_per_kg.map_or(floored, |c| floored.min(c))
    }

    /// Whether the contract delivers in `date`.
    pub fn active(&self, date: YearMonth) -> bool {
        self.ends.is_none_or(|end| date <= end)
    }
}

/// One material's company series, one value per step of the market run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompanyMaterial {
    /// Material id.
    pub id: String,
    /// Need, t/yr.
    pub need: Vec<f64>,
    /// Cash spent (contracts, market purchases, stock bought, carrying cost), $/yr.
    pub spend: Vec<f64>,
    /// Spend per kilogram used (delivered or drawn from stock), $/kg.
    pub cost_per_kg: Vec<f64>,
    /// Stock held at the end of the step, t.
    pub stock: Vec<f64>,
    /// Stock held, months of need.
    pub stock_months: Vec<f64>,
    /// Need not met after drawing stock, share of need (0-1).
    pub unmet_share: Vec<f64>,
}

/// The company's series and figures for one market run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompanyResults {
    /// The run's dates (start of each step).
    pub dates: Vec<YearMonth>,
    /// Per material, in the profile's order (materials the run lacks are skipped).
    pub materials: Vec<CompanyMaterial>,
    /// Spend on all materials, $/yr.
    pub spend: Vec<f64>,
    /// Spend per unit of product, $/unit (zero when the profile makes no units).
    pub cost_per_unit: Vec<f64>,
    /// Value of all stock held, $ (working capital).
    pub working_capital: Vec<f64>,
    /// Largest unmet share of any material: the share of the line standing still (0-1).
    pub stoppage: Vec<f64>,
    /// The figures a procurement lead quotes.
    pub headline: CompanyHeadline,
}

/// A company's figures over the horizon.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompanyHeadline {
    /// Spend over the horizon, $.
    pub total_spend_usd: f64,
    /// Spend in the first twelve months, $.
    pub first_year_spend_usd: f64,
    /// Highest spend rate reached, $/yr.
    pub peak_annual_spend_usd: f64,
    /// Highest spend per unit of product, $/unit.
    pub peak_cost_per_unit_usd: f64,
    /// Highest value of stock held, $.
    pub peak_working_capital_usd: f64,
    /// Paid for stock bought above China's price (the premium of buying under uncertainty), $.
    pub stock_premium_usd: f64,
    /// Months in which some material's need goes unmet beyond [`STOPPAGE_THRESHOLD`].
    pub months_of_stoppage: f64,
    /// Stoppage cost: the line's standing share times the cost of a stopped month, $.
    pub stoppage_cost_usd: f64,
}

/// A company figure to measure sensitivity on (`lodestone sensitivity --company`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompanyFigure {
    /// Spend over the horizon, $M.
    Spend,
    /// Spend in the first twelve months, $M.
    FirstYearSpend,
    /// Highest material cost per unit of product, $.
    PeakCostPerUnit,
    /// Highest value of stock held, $M.
    PeakWorkingCapital,
    /// Months of line stoppage.
    MonthsOfStoppage,
    /// Cost of line stoppage, $M.
    StoppageCost,
}

impl CompanyFigure {
    /// Every company figure, in the order the help lists them.
    pub const ALL: [CompanyFigure; 6] = [
        CompanyFigure::Spend,
        CompanyFigure::FirstYearSpend,
        CompanyFigure::PeakCostPerUnit,
        CompanyFigure::PeakWorkingCapital,
        CompanyFigure::MonthsOfStoppage,
        CompanyFigure::StoppageCost,
    ];

    /// Stable name for the command line.
    pub fn key(self) -> &'static str {
        match self {
            CompanyFigure::Spend => "company_spend",
            CompanyFigure::FirstYearSpend => "company_first_year_spend",
            CompanyFigure::PeakCostPerUnit => "company_peak_cost_per_unit",
            CompanyFigure::PeakWorkingCapital => "company_working_capital",
            CompanyFigure::MonthsOfStoppage => "company_months_of_stoppage",
            CompanyFigure::StoppageCost => "company_stoppage_cost",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            CompanyFigure::Spend => "Our spend over the horizon",
            CompanyFigure::FirstYearSpend => "Our spend in the first year",
            CompanyFigure::PeakCostPerUnit => "Peak material cost per unit",
            CompanyFigure::PeakWorkingCapital => "Peak working capital in stock",
            CompanyFigure::MonthsOfStoppage => "Months of line stoppage",
            CompanyFigure::StoppageCost => "Cost of line stoppage",
        }
    }

    /// Unit of [`CompanyFigure::value`].
    pub fn unit(self) -> &'static str {
        match self {
            CompanyFigure::PeakCostPerUnit => "$",
            CompanyFigure::MonthsOfStoppage => "months",
            _ => "$M",
        }
    }

    /// The figure with this key, if any.
    pub fn from_key(key: &str) -> Option<CompanyFigure> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The figure's value in its unit.
    pub fn value(self, h: &CompanyHeadline) -> f64 {
        match self {
            CompanyFigure::Spend => h.total_spend_usd / 1e6,
            CompanyFigure::FirstYearSpend => h.first_year_spend_usd / 1e6,
            CompanyFigure::PeakCostPerUnit => h.peak_cost_per_unit_usd,
            CompanyFigure::PeakWorkingCapital => h.peak_working_capital_usd / 1e6,
            CompanyFigure::MonthsOfStoppage => h.months_of_stoppage,
            CompanyFigure::StoppageCost => h.stoppage_cost_usd / 1e6,
        }
    }
}

/// Where a profile's material is in a run.
fn material_index(run: &Results, id: &str) -> Option<usize> {
    run.materials.iter().position(|m| m.id == id)
}

/// The company's results for a market run. Materials of the profile the run does not have
/// are skipped (the file format refuses them before this is called).
pub fn evaluate(profile: &Profile, run: &Results) -> CompanyResults {
    let steps = run.steps();
    let dt = run.step_months / 12.0;
    let start = run.dates.first().copied();
    let years = |i: usize| start.map_or(0.0, |s| s.months_until(run.dates[i]) as f64 / 12.0);
    let units: Vec<f64> = (0..steps)
        .map(|i| {
            profile.product.units_per_year.max(0.0)
                * (1.0 + profile.product.growth).max(0.0).powf(years(i))
        })
        .collect();

    let mut out = CompanyResults {
        dates: run.dates.clone(),
        spend: vec![0.0; steps],
        cost_per_unit: vec![0.0; steps],
        working_capital: vec![0.0; steps],
        stoppage: vec![0.0; steps],
        ..CompanyResults::default()
    };
    let mut premium = 0.0;
    for need in &profile.materials {
        let Some(m) = material_index(run, &need.material) else {
            continue;
        };
        let series = &run.materials[m].series;
        // Market terms are what buyers pay per kilogram bought (section 8), not the cost of
        // supply that also values demand given up.
        let (cost, spot, china, short, dependency) = (
            series.get(SeriesId::ProcurementCost),
            series.get(SeriesId::MarketPrice),
            series.get(SeriesId::ChinaPrice),
            series.get(SeriesId::ShortfallShare),
            series.get(SeriesId::Dependency),
        );
        let licensing = &run.materials[m].licensing;
        let ceiling = need.price_ceiling_usd_per_kg.unwrap_or(f64::INFINITY);
        let mut cm = CompanyMaterial {
            id: need.material.clone(),
            ..CompanyMaterial::default()
        };
        let cover_months = (need.safety_stock_months + need.strategic_stock_months).max(0.0);
        let need_rate = |i: usize| {
            if need.tonnes_per_year > 0.0 {
                need.tonnes_per_year * (1.0 + need.growth).max(0.0).powf(years(i))
            } else {
                units[i] * need.kg_per_unit.max(0.0) / 1000.0
            }
        };
        // Stock starts at its target, bought before the horizon at the market's cost.
        let mut stock = cover_months * need_rate(0) / 12.0;
        let mut stock_value = stock * cost.first().copied().unwrap_or(0.0) * 1000.0;
        for i in 0..steps {
            let rate = need_rate(i);
            let want = rate * dt; // t needed this step
            let market_share = (1.0 - short[i]).clamp(0.0, 1.0);
            // Refused licences, the company gets only the non-Chinese part of what the market
            // gets, in the months licensing is in force.
            let refused = if profile.licences_denied {
                licensing.get(i).copied().unwrap_or(0.0).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let non_chinese = (1.0 - dependency[i]).clamp(0.0, market_share);
            let delivered_share = market_share * (1.0 - refused) + non_chinese * refused;
            let (p_cost, p_spot, p_china) = (cost[i], spot[i], china[i]);

            let mut covered = 0.0;
            let mut delivered = 0.0;
            let mut cash = 0.0;
            for c in need.contracts.iter().filter(|c| c.active(run.dates[i])) {
                let share = c.share.clamp(0.0, 1.0 - covered);
                covered += share;
                let got = share * want * if c.non_china { 1.0 } else { delivered_share };
                delivered += got;
                cash += got * c.price(p_china, p_spot) * 1000.0;
            }
            // Above its ceiling the company does not buy at market terms.
            let market = if p_cost > ceiling {
                0.0
            } else {
                (1.0 - covered) * want * delivered_share
            };
            delivered += market;
            cash += market * p_cost * 1000.0;

            let target = cover_months * rate / 12.0;
            let gap = want - delivered;
            let mut unmet = 0.0;
            let mut drawn = 0.0;
            if gap > 1e-12 {
                let draw = gap.min(stock);
                drawn = draw;
                if stock > 0.0 {
                    stock_value *= (stock - draw) / stock;
                }
                stock -= draw;
                unmet = gap - draw;
            } else if stock < target && p_spot <= ceiling {
                // Bought back on the open market, rationed like any purchase.
                let refill_share = (run.step_months / REFILL_MONTHS).min(1.0);
                let buy = ((target - stock).min(target * refill_share)) * delivered_share;
                stock += buy;
                stock_value += buy * p_spot * 1000.0;
                cash += buy * p_spot * 1000.0;
                premium += buy * (p_spot - p_china).max(0.0) * 1000.0;
            }
            cash += stock_value * profile.carrying_cost.max(0.0) * dt;

            let unmet_share = if want > 0.0 { unmet / want } else { 0.0 };
            cm.need.push(rate);
            cm.spend.push(cash / dt);
            let used = delivered.min(want) + drawn;
            cm.cost_per_kg.push(if used > 0.0 {
                cash / (used * 1000.0)
            } else {
                0.0
            });
            cm.stock.push(stock);
            cm.stock_months
                .push(if rate > 0.0 { stock / rate * 12.0 } else { 0.0 });
            cm.unmet_share.push(unmet_share);
            out.spend[i] += cash / dt;
            out.working_capital[i] += stock_value;
            out.stoppage[i] = out.stoppage[i].max(unmet_share);
        }
        out.materials.push(cm);
    }
    for ((per_unit, spend), units) in out.cost_per_unit.iter_mut().zip(&out.spend).zip(&units) {
        *per_unit = if *units > 0.0 { spend / units } else { 0.0 };
    }
    let h = &mut out.headline;
    h.total_spend_usd = out.spend.iter().map(|s| s * dt).sum();
    // The first year from the decision date: before it is the record, not the plan.
    let first_year = (12.0 / run.step_months).round().max(1.0) as usize;
    h.first_year_spend_usd = out
        .spend
        .iter()
        .skip(run.decision_step)
        .take(first_year)
        .map(|s| s * dt)
        .sum();
    h.peak_annual_spend_usd = out.spend.iter().copied().fold(0.0, f64::max);
    h.peak_cost_per_unit_usd = out.cost_per_unit.iter().copied().fold(0.0, f64::max);
    h.peak_working_capital_usd = out.working_capital.iter().copied().fold(0.0, f64::max);
    h.stock_premium_usd = premium;
    h.months_of_stoppage = out
        .stoppage
        .iter()
        .filter(|s| **s > STOPPAGE_THRESHOLD)
        .count() as f64
        * run.step_months;
    h.stoppage_cost_usd = out.stoppage.iter().sum::<f64>()
        * run.step_months
        * profile.stoppage_cost_usd_per_month.max(0.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scenario, simulate};

    fn ndpr(tonnes: f64) -> Need {
        Need {
            material: "NdPr".into(),
            tonnes_per_year: tonnes,
            ..Need::default()
        }
    }

    #[test]
    fn prices_follow_the_index_within_floor_and_cap() {
        let c = Contract {
            pricing: Pricing::SpotIndexed(1.0),
            floor_usd_per_kg: Some(110.0),
            cap_usd_per_kg: Some(150.0),
            ..Contract::default()
        };
        assert_eq!(c.price(60.0, 90.0), 110.0);
        assert_eq!(c.price(60.0, 120.0), 120.0);
        assert_eq!(c.price(60.0, 400.0), 150.0);
        let fixed = Contract {
            pricing: Pricing::Fixed(80.0),
            ..Contract::default()
        };
        assert_eq!(fixed.price(60.0, 400.0), 80.0);
    }

    #[test]
    fn without_contracts_or_stock_the_company_pays_the_market_cost() {
        // A deep cut, so the cost of supply (which values demand given up) and the
        // procurement cost (what buyers pay per kilogram) part: the company pays the latter.
        let mut scenario = Scenario::default();
        scenario.levers.quota_level.0 = 0.3;
        let run = simulate(&scenario);
        let profile = Profile {
            carrying_cost: 0.0,
            materials: vec![Need {
                material: "Dy".into(),
                tonnes_per_year: 40.0,
                ..Need::default()
            }],
            ..Profile::default()
        };
        let c = evaluate(&profile, &run);
        let m = material_index(&run, "Dy").expect("Dy in the default run");
        let paid = run.materials[m].series.get(SeriesId::ProcurementCost);
        let supply = run.materials[m].series.get(SeriesId::Cost);
        assert!(
            paid.iter()
                .zip(supply)
                .any(|(p, s)| (p - s).abs() > 1e-6 * s)
        );
        let short = run.materials[m].series.get(SeriesId::ShortfallShare);
        for (i, (&expected, &got)) in paid.iter().zip(&c.materials[0].cost_per_kg).enumerate() {
            if short[i] >= 1.0 {
                continue; // nothing bought: no price per kilogram
            }
            assert!(
                (got - expected).abs() <= 1e-9 * expected.max(1.0),
                "step {i}: {got} vs {expected}"
            );
        }
    }

    /// A market of three monthly steps: calm, a rationed spike, recovery.
    fn three_months() -> Results {
        let mut run = Results::empty();
        let start = YearMonth {
            year: 2026,
            month: 1,
        };
        run.dates = (0..3).map(|i| start.plus_months(i)).collect();
        run.time = run.dates.iter().map(|d| d.decimal_year()).collect();
        run.step_months = 1.0;
        let mut series = crate::SeriesSet::default();
        series.prepare(3);
        for (i, (cost, spot, china, short)) in [
            (60.0, 60.0, 60.0, 0.0),
            (70.0, 200.0, 60.0, 0.5),
            (65.0, 90.0, 60.0, 0.0),
        ]
        .into_iter()
        .enumerate()
        {
            series.set(SeriesId::ProcurementCost, i, cost);
            series.set(SeriesId::MarketPrice, i, spot);
            series.set(SeriesId::ChinaPrice, i, china);
            series.set(SeriesId::ShortfallShare, i, short);
            // Chinese origin: 80 %, then (rationed) 90 % of demand, then 80 %.
            series.set(SeriesId::Dependency, i, [0.8, 0.9, 0.8][i]);
        }
        run.materials.push(crate::MaterialResults {
            id: "NdPr".into(),
            name: "NdPr".into(),
            series,
            // Licensing in force in months 2 and 3.
            licensing: vec![0.0, 1.0, 1.0],
        });
        run
    }

    #[test]
    fn a_user_refused_licences_gets_only_non_chinese_material_while_licensing_is_in_force() {
        let profile = |denied| Profile {
            carrying_cost: 0.0,
            licences_denied: denied,
            materials: vec![ndpr(120.0)],
            ..Profile::default()
        };
        let run = three_months();
        let open = evaluate(&profile(false), &run);
        let refused = evaluate(&profile(true), &run);
        // Month 1 (no licensing): the same. Month 2: the market meets 50 % of demand, of which
        // non-Chinese 10 %: 90 % of the need unmet. Month 3: 20 % non-Chinese, 80 % unmet.
        assert_eq!(open.materials[0].unmet_share, vec![0.0, 0.5, 0.0]);
        let unmet = &refused.materials[0].unmet_share;
        assert!((unmet[0]).abs() < 1e-12);
        assert!((unmet[1] - 0.9).abs() < 1e-12, "{unmet:?}");
        assert!((unmet[2] - 0.8).abs() < 1e-12, "{unmet:?}");
        assert_eq!(refused.headline.months_of_stoppage, 2.0);
        // A non-China offtake keeps delivering: half the need covered, the rest as before.
        let mut with_offtake = profile(true);
        with_offtake.materials[0].contracts.push(Contract {
            share: 0.5,
            pricing: Pricing::Fixed(100.0),
            non_china: true,
            ..Contract::default()
        });
        let covered = evaluate(&with_offtake, &run);
        assert!((covered.materials[0].unmet_share[1] - 0.45).abs() < 1e-12);
    }

    #[test]
    fn above_its_price_ceiling_the_line_draws_stock_then_stops() {
        let mut profile = Profile {
            carrying_cost: 0.0,
            materials: vec![Need {
                price_ceiling_usd_per_kg: Some(68.0),
                safety_stock_months: 0.5,
                ..ndpr(120.0)
            }],
            ..Profile::default()
        };
        let run = three_months();
        // Month 2 costs $70 > $68: nothing bought at market terms; 5 t of stock covers half
        // the 10 t; month 3 ($65) buys again, but not the stock back (spot $90 > $68).
        let c = evaluate(&profile, &run);
        assert_eq!(c.materials[0].unmet_share, vec![0.0, 0.5, 0.0]);
        assert_eq!(c.materials[0].stock, vec![5.0, 0.0, 0.0]);
        // Without a ceiling it buys the rationed half and the stock covers the rest.
        profile.materials[0].price_ceiling_usd_per_kg = None;
        let c = evaluate(&profile, &run);
        assert_eq!(c.materials[0].unmet_share, vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn the_first_year_counts_from_the_decision_date() {
        let profile = Profile {
            carrying_cost: 0.0,
            materials: vec![ndpr(120.0)],
            ..Profile::default()
        };
        let mut run = three_months();
        let all = evaluate(&profile, &run).headline.first_year_spend_usd;
        run.decision_step = 1;
        let later = evaluate(&profile, &run).headline.first_year_spend_usd;
        // Month 1 (10 t x $60) is the record once the decision is in month 2.
        assert!((all - later - 600_000.0).abs() < 1e-6, "{all} {later}");
    }

    /// MODEL.md section 13's worked example, line by line.
    #[test]
    fn worked_example() {
        let profile = Profile {
            carrying_cost: 0.12,
            materials: vec![Need {
                safety_stock_months: 1.0,
                contracts: vec![Contract {
                    share: 0.5,
                    pricing: Pricing::Fixed(100.0),
                    non_china: true,
                    ..Contract::default()
                }],
                ..ndpr(120.0)
            }],
            ..Profile::default()
        };
        let c = evaluate(&profile, &three_months());
        let m = &c.materials[0];
        let close = |a: f64, b: f64| (a - b).abs() < 1e-6 * b.abs().max(1.0);
        // Month 1: 5 t at $100 + 5 t at the market's $60 + 1 % of $600,000 of stock.
        // Month 2: 5 t offtake in full + 2.5 t of the rationed 5 t at $70; 2.5 t drawn.
        // Month 3: refill 2.5 t at the $90 spot, $30/kg over China's price.
        for (i, cash) in [806_000.0, 679_500.0, 1_056_750.0].into_iter().enumerate() {
            assert!(
                close(m.spend[i], cash * 12.0),
                "month {i}: {}",
                m.spend[i] / 12.0
            );
        }
        assert!(close(m.cost_per_kg[0], 80.6));
        assert!(close(m.cost_per_kg[1], 67.95));
        assert_eq!(m.stock, vec![10.0, 7.5, 10.0]);
        assert!(close(c.working_capital[1], 450_000.0));
        assert!(close(c.working_capital[2], 675_000.0));
        assert!(close(c.headline.total_spend_usd, 2_542_250.0));
        assert!(close(c.headline.stock_premium_usd, 75_000.0));
        assert_eq!(c.headline.months_of_stoppage, 0.0);
    }

    #[test]
    fn without_stock_a_rationed_month_stops_the_line() {
        let c = evaluate(
            &Profile {
                stoppage_cost_usd_per_month: 1e6,
                materials: vec![ndpr(120.0)],
                ..Profile::default()
            },
            &three_months(),
        );
        assert_eq!(c.stoppage, vec![0.0, 0.5, 0.0]);
        assert_eq!(c.headline.months_of_stoppage, 1.0);
        assert!((c.headline.stoppage_cost_usd - 0.5e6).abs() < 1e-6);
    }
}
