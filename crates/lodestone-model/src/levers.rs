//! One table of lever descriptors drives the sliders, their tooltips, `--set id=value`,
//! validation ranges and MODEL.md's parameter table, so they cannot drift apart.
//!
//! Ids are part of the file and CLI contract: once shipped, an id never changes meaning.

use super::params::{Material, Scenario};

/// Where a lever sits in the side panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LeverGroup {
    /// China's export quota.
    Quota,
    /// Diversification capex and its timing.
    Diversification,
    /// Permitting and construction delays of new capacity.
    Permitting,
    /// Behavioural and market assumptions.
    Assumptions,
}

impl LeverGroup {
    /// Every group, in side-panel order.
    pub const ALL: [LeverGroup; 4] = [
        LeverGroup::Quota,
        LeverGroup::Diversification,
        LeverGroup::Permitting,
        LeverGroup::Assumptions,
    ];

    /// Heading of the group in the side panel.
    pub fn label(self) -> &'static str {
        match self {
            LeverGroup::Quota => "Quota",
            LeverGroup::Diversification => "Diversification",
            LeverGroup::Permitting => "Permitting",
            LeverGroup::Assumptions => "Assumptions",
        }
    }
}

/// How a lever's stored value is shown to people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Display {
    /// Stored as a fraction, shown as a percentage.
    Percent,
    /// Shown as stored, followed by the unit.
    Plain,
}

impl Display {
    /// Human text of a value with its unit, e.g. "85 %" or "5.00 years".
    pub fn format(self, value: f64, unit: &str) -> String {
        match self {
            Display::Percent => format!("{:.0} %", value * 100.0),
            Display::Plain => format!("{value:.2} {unit}").trim_end().to_string(),
        }
    }
}

/// A scenario-wide lever: everything the UI and CLI need to show, set and check it.
#[derive(Clone, Copy)]
pub struct Lever {
    /// Stable id used in scenario files and by `--set`, e.g. "quota_level".
    pub id: &'static str,
    /// Label of the slider, e.g. "Quota level".
    pub label: &'static str,
    /// Side-panel group the lever sits in.
    pub group: LeverGroup,
    /// Unit shown after the value, e.g. "years" or "$B/yr".
    pub unit: &'static str,
    /// Whether the value is shown as a percentage or as stored.
    pub display: Display,
    /// Lowest allowed value, in stored units.
    pub min: f64,
    /// Highest allowed value, in stored units.
    pub max: f64,
    /// Value in the default scenario (MODEL.md), in stored units.
    pub default: f64,
    /// What the lever means, in one sentence.
    pub description: &'static str,
    /// Where the default comes from.
    pub source: &'static str,
    /// Field path in a scenario file, for error messages.
    pub path: &'static str,
    /// Reads the lever's value from a scenario.
    pub get: fn(&Scenario) -> f64,
    /// Writes the lever's value into a scenario, unchecked.
    pub set: fn(&mut Scenario, f64),
}

impl std::fmt::Debug for Lever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lever").field("id", &self.id).finish()
    }
}

impl Lever {
    /// Clamp a value into the lever's range (NaN becomes the default).
    pub fn clamp(&self, value: f64) -> f64 {
        if value.is_nan() {
            self.default
        } else {
            value.clamp(self.min, self.max)
        }
    }

    /// True when `value` is finite and within `min..=max`.
    pub fn in_range(&self, value: f64) -> bool {
        value.is_finite() && value >= self.min && value <= self.max
    }

    /// Human text of a value with unit, e.g. "85 %" or "5.0 years".
    pub fn format(&self, value: f64) -> String {
        self.display.format(value, self.unit)
    }
}

/// A per-material lever, set on one material of the scenario.
#[derive(Clone, Copy)]
pub struct MaterialLever {
    /// Stable id used in scenario files and by `--set MATERIAL.id=value`, e.g. "capex_share".
    pub id: &'static str,
    /// Label shown after the material's id, e.g. "capex share".
    pub label: &'static str,
    /// Unit shown after the value, e.g. "t/yr" or "$/kg".
    pub unit: &'static str,
    /// Whether the value is shown as a percentage or as stored.
    pub display: Display,
    /// Lowest allowed value, in stored units.
    pub min: f64,
    /// Highest allowed value, in stored units.
    pub max: f64,
    /// What the lever means, in one sentence.
    pub description: &'static str,
    /// Where the default comes from.
    pub source: &'static str,
    /// Reads the lever's value from a material.
    pub get: fn(&Material) -> f64,
    /// Writes the lever's value into a material, unchecked.
    pub set: fn(&mut Material, f64),
}

impl std::fmt::Debug for MaterialLever {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaterialLever")
            .field("id", &self.id)
            .finish()
    }
}

impl MaterialLever {
    /// True when `value` is finite and within `min..=max`.
    pub fn in_range(&self, value: f64) -> bool {
        value.is_finite() && value >= self.min && value <= self.max
    }
}

macro_rules! lever {
    ($id:literal, $label:literal, $group:ident, $unit:literal, $display:ident,
     $min:expr, $max:expr, $default:expr, $path:literal, $field:ident . $sub:ident,
     $desc:literal, $source:literal) => {
        Lever {
            id: $id,
            label: $label,
            group: LeverGroup::$group,
            unit: $unit,
            display: Display::$display,
            min: $min,
            max: $max,
            default: $default,
            description: $desc,
            source: $source,
            path: $path,
            get: |s| s.$field.$sub.0,
            set: |s, v| s.$field.$sub.0 = v,
        }
    };
}

/// Every scenario-wide lever, in side-panel order.
pub static LEVERS: &[Lever] = &[
    lever!(
        "quota_level",
        "Quota level",
        Quota,
        "% of pre-control exports",
        Percent,
        0.0,
        1.5,
        1.0,
        "levers.quota_level",
        levers.quota_level,
        "China's export quota from the 'quota from' month on, as a share of the exports it would make without controls (0 % embargo, 100 % no cut, above 100 % expansion).",
        "Definition of the lever; 100 % = the pre-control path, as under the April 2025 licensing regime, which is not a ban (SOURCES.md C1, R1)"
    ),
    lever!(
        "capex",
        "Diversification capex",
        Diversification,
        "$B/yr",
        Plain,
        0.0,
        20.0,
        1.0,
        "levers.capex",
        levers.capex,
        "Money invested per year in non-China mining, separation and magnet capacity.",
        "SOURCES.md D2: at least $5 B is needed (article 000); default 1 $B/yr for 5 years"
    ),
    lever!(
        "capex_years",
        "Capex duration",
        Diversification,
        "years",
        Plain,
        0.0,
        20.0,
        5.0,
        "levers.capex_years",
        levers.capex_years,
        "How many years the capex is spent for, from the capex start month.",
        "Default gives $5 B in all (SOURCES.md D2, article 000)"
    ),
    lever!(
        "permitting_delay",
        "Permitting delay",
        Permitting,
        "years",
        Plain,
        0.0,
        10.0,
        5.0,
        "levers.permitting_delay",
        levers.permitting_delay,
        "Years between committing capital and starting construction.",
        "SOURCES.md D1: permitting delays up to 5 years (article 000)"
    ),
    lever!(
        "construction",
        "Construction time",
        Permitting,
        "years",
        Plain,
        0.25,
        6.0,
        2.0,
        "assumptions.construction",
        assumptions.construction,
        "Years from the start of construction to first output.",
        "SOURCES.md D3: 7+ years for alternatives to matter (article 000) less 5 years of permitting (D1)"
    ),
    lever!(
        "demand_growth",
        "Demand growth",
        Assumptions,
        "%/yr",
        Percent,
        -0.05,
        0.15,
        0.05,
        "assumptions.demand_growth",
        assumptions.demand_growth,
        "Yearly growth of demand outside China (EVs ~1 kg per vehicle, wind ~1 t per MW).",
        "SOURCES.md R9: IEA magnet demand 93 kt (2023) -> 131 kt (2030), 5.0 %/yr"
    ),
    lever!(
        "ramp_up",
        "Ramp-up time",
        Assumptions,
        "years",
        Plain,
        0.1,
        8.0,
        3.0,
        "assumptions.ramp_up",
        assumptions.ramp_up,
        "Time constant of a new plant's climb to nameplate: output = 1 - exp(-age / ramp-up).",
        "SOURCES.md R14: Lynas Malaysia took over a year to reach 25-30 % of nameplate (3 years gives 28 % at one year)"
    ),
    lever!(
        "learning_rate",
        "Learning rate",
        Assumptions,
        "% per doubling",
        Percent,
        0.0,
        0.4,
        0.15,
        "assumptions.learning_rate",
        assumptions.learning_rate,
        "Fall of non-China unit cost for each doubling of cumulative output of new plants.",
        "Process-industry experience curves, 10-20 % per doubling (e.g. Weiss et al. 2010); SOURCES.md D4: learning curve hurts early output (article 000)"
    ),
    lever!(
        "licensing_lag",
        "Licensing lag",
        Assumptions,
        "months",
        Plain,
        0.0,
        12.0,
        2.1,
        "assumptions.licensing_lag",
        assumptions.licensing_lag,
        "Mean delay between applying for an export licence and shipping under it.",
        "MOFCOM dual-use licence review of up to 45 working days; default 2.1 months gives magnet exports at 25 % of January's in May 2025 and 92 % by August, against the customs record's 19 % and 97 % (backtests/RECORD.md, section 2)"
    ),
    lever!(
        "licensing_release",
        "Licence release share",
        Assumptions,
        "% of quota",
        Percent,
        0.3,
        1.0,
        1.0,
        "assumptions.licensing_release",
        assumptions.licensing_release,
        "Share of the quota that licensing lets through once it runs smoothly.",
        "Default 100 %: once licences flow the quota is met (general licences promised Nov 2025, SOURCES.md R6); lower it to model lasting friction"
    ),
    lever!(
        "scarcity_sensitivity",
        "Scarcity sensitivity",
        Assumptions,
        "x gap",
        Plain,
        0.0,
        20.0,
        10.0,
        "assumptions.scarcity_sensitivity",
        assumptions.scarcity_sensitivity,
        "Inverse short-run price elasticity of demand: a supply gap of g (share of demand) clears at about exp(g x this) times China's price (at the default 10, a 10 % gap almost triples it).",
        "Short-run rare-earth demand elasticities of 0.2-0.3 (MODEL.md, section 7); backtested on the 2010-2015 and 2025 episodes (backtests/RECORD.md)"
    ),
    lever!(
        "lost_output_value",
        "Value of lost output",
        Assumptions,
        "x China's price",
        Plain,
        2.0,
        200.0,
        25.0,
        "assumptions.lost_output_value",
        assumptions.lost_output_value,
        "What a kilogram's worth of output is worth to buyers, as a multiple of China's price: no one pays more, demand still unmet at this price is physical shortfall, and lost demand is valued at it in extra cost.",
        "Assumption: above the 10-20x peak of Dy in 2011 (backtests/RECORD.md), which cleared without lasting shortfall"
    ),
    lever!(
        "contract_share",
        "Contract share",
        Assumptions,
        "% of purchases",
        Percent,
        0.0,
        1.0,
        0.95,
        "assumptions.contract_share",
        assumptions.contract_share,
        "Share of purchases made under contracts priced at China's price; the rest pays the spot price outside China.",
        "About 96 % of Dy oxide consumed in 2025 was priced near China's $224/kg and under 1 % at $800 or more (Adamas Intelligence, 2025; backtests/RECORD.md); default 95 % leaves room for spot buyers"
    ),
    lever!(
        "hoarding",
        "Hoarding",
        Assumptions,
        "months per unit z",
        Plain,
        0.0,
        4.0,
        1.5,
        "assumptions.hoarding",
        assumptions.hoarding,
        "Extra months of stock buyers want per unit of momentum (the rise of the controls' price signal over its three-month average plus the rise of the log spot's three-month average over its six-month one), and fewer while they fall: precautionary buying amplifies a spike, destocking deepens and speeds the fall.",
        "Sprecher et al., Environ. Sci. Technol. 2017: stockpiling played a distinct role in 2010-2011 and its unwinding in the recovery (backtests/RECORD.md); size calibrated on that episode"
    ),
    lever!(
        "non_china_headroom",
        "Non-China headroom",
        Assumptions,
        "% of capacity",
        Percent,
        0.0,
        1.0,
        0.2,
        "assumptions.non_china_headroom",
        assumptions.non_china_headroom,
        "Output non-China plants add above their calm run-rate when the premium outside China reaches +100 % (utilisation, restarts), reached over about a year.",
        "Assumption: plants commonly run at 80-85 % of nameplate; Mountain Pass restarted within two years of the 2010 cut (backtests/RECORD.md)"
    ),
    lever!(
        "uncertainty_markup",
        "Uncertainty markup",
        Assumptions,
        "%",
        Percent,
        0.0,
        1.0,
        0.40,
        "assumptions.uncertainty_markup",
        assumptions.uncertainty_markup,
        "Markup paid on material bought for stock while quotas are uncertain.",
        "SOURCES.md C8: buyers overstock magnets at ~40 % over market (article 000)"
    ),
    lever!(
        "spike_frequency",
        "Price spikes",
        Assumptions,
        "per year",
        Plain,
        0.0,
        12.0,
        2.0,
        "assumptions.spike_frequency",
        assumptions.spike_frequency,
        "How often a quota-driven price spike (one month long) hits while controls are in force.",
        "Assumption; SOURCES.md C9: spikes are intermittent (article 000)"
    ),
    lever!(
        "spike_size",
        "Spike size",
        Assumptions,
        "%",
        Percent,
        0.0,
        1.0,
        0.325,
        "assumptions.spike_size",
        assumptions.spike_size,
        "Price rise of one quota-driven spike.",
        "SOURCES.md C9: +25-40 % (article 000), midpoint"
    ),
    lever!(
        "safety_stock",
        "Safety stock",
        Assumptions,
        "months",
        Plain,
        0.0,
        12.0,
        3.0,
        "assumptions.safety_stock",
        assumptions.safety_stock,
        "Stock buyers hold against disruption, in months of consumption.",
        "Assumption: 2-4 months is common practice for critical inputs"
    ),
    lever!(
        "stable_safety_cut",
        "Safety-stock cut when stable",
        Assumptions,
        "%",
        Percent,
        0.0,
        0.5,
        0.25,
        "assumptions.stable_safety_cut",
        assumptions.stable_safety_cut,
        "How much of the safety stock buyers release while supply is stable.",
        "SOURCES.md B3: up to 25 % (article 000)"
    ),
    lever!(
        "stockpile",
        "Strategic stockpile",
        Assumptions,
        "months",
        Plain,
        0.0,
        24.0,
        0.0,
        "assumptions.stockpile",
        assumptions.stockpile,
        "Strategic stockpile target on top of safety stock, in months of consumption.",
        "Default none; SOURCES.md B4: national reserves and stockpile bodies (articles 002, 004)"
    ),
    lever!(
        "refill_time",
        "Refill time",
        Assumptions,
        "months",
        Plain,
        1.0,
        36.0,
        3.0,
        "assumptions.refill_time",
        assumptions.refill_time,
        "Months over which a stock below its target is refilled.",
        "Assumption"
    ),
    lever!(
        "carrying_cost",
        "Carrying cost",
        Assumptions,
        "%/yr of value",
        Percent,
        0.0,
        0.5,
        0.15,
        "assumptions.carrying_cost",
        assumptions.carrying_cost,
        "Cost of holding stock per year: capital, storage, insurance.",
        "Assumption: 10-25 %/yr is the usual inventory carrying rate"
    ),
    lever!(
        "recycling_share",
        "Recycling share",
        Assumptions,
        "% of use",
        Percent,
        0.0,
        0.5,
        0.01,
        "assumptions.recycling_share",
        assumptions.recycling_share,
        "Long-run share of consumption met by recycled material before any price response.",
        "UNEP 2011: end-of-life recycling of rare earths below 1 %"
    ),
    lever!(
        "recycling_response",
        "Recycling response",
        Assumptions,
        "% per +100 % price",
        Percent,
        0.0,
        0.5,
        0.05,
        "assumptions.recycling_response",
        assumptions.recycling_response,
        "Extra recycling share for each 100 % rise of the price outside China.",
        "Assumption; SOURCES.md B5: recycling is a named response (articles 001, 003)"
    ),
    lever!(
        "recycling_lag",
        "Recycling lag",
        Assumptions,
        "months",
        Plain,
        1.0,
        120.0,
        36.0,
        "assumptions.recycling_lag",
        assumptions.recycling_lag,
        "Time constant with which recycling follows its target.",
        "Assumption: collection and plants take years"
    ),
    lever!(
        "substitution_response",
        "Substitution response",
        Assumptions,
        "% per +100 % price",
        Percent,
        0.0,
        0.5,
        0.10,
        "assumptions.substitution_response",
        assumptions.substitution_response,
        "Share of demand substituted away for each 100 % rise of the price outside China.",
        "Assumption, scaled on Dy thrifting after the 2011 spike"
    ),
    lever!(
        "substitution_max",
        "Substitution limit",
        Assumptions,
        "% of demand",
        Percent,
        0.0,
        0.6,
        0.30,
        "assumptions.substitution_max",
        assumptions.substitution_max,
        "Most demand substitution can remove.",
        "After 2011, magnet makers cut Dy content by ~30-40 % within a few years (industry reports)"
    ),
    lever!(
        "substitution_lag",
        "Substitution lag",
        Assumptions,
        "months",
        Plain,
        1.0,
        120.0,
        24.0,
        "assumptions.substitution_lag",
        assumptions.substitution_lag,
        "Time constant with which substitution follows its target.",
        "Assumption: redesign and requalification take about two years"
    ),
    lever!(
        "smuggling_leakage",
        "Leakage",
        Assumptions,
        "% of withheld exports",
        Percent,
        0.0,
        1.0,
        0.4,
        "assumptions.smuggling_leakage",
        assumptions.smuggling_leakage,
        "Most of the exports the quota withholds that smuggling and transshipment carry out once the premium outside China is high; networks take about six months to form.",
        "China's 2012 white paper and industry estimates put 2011 smuggling at 20 kt or more against 18.6 kt of legal exports, other sources near a fifth of them (backtests/RECORD.md)"
    ),
    lever!(
        "smuggling_premium",
        "Leakage half-point",
        Assumptions,
        "% premium",
        Percent,
        0.05,
        5.0,
        1.0,
        "assumptions.smuggling_premium",
        assumptions.smuggling_premium,
        "Premium of the spot price outside China over China's price at which leakage reaches half its most.",
        "Assumption: smuggling grew with the price gap in 2010-2014 (backtests/RECORD.md)"
    ),
];

/// Sets the capex shares of the materials in `set` (index, share clamped to 0-1) together and
/// rescales the others so all shares sum to 1, in the proportions they had (equally when they
/// are all zero). Shares set that sum past 1, or that cover every material, are scaled to sum
/// to 1. One share set this way is what the side panel's slider does.
pub fn set_capex_shares(materials: &mut [Material], set: &[(usize, f64)]) {
    let count = materials.len();
    let mut chosen = vec![None; count];
    for &(i, v) in set {
        if let Some(slot) = chosen.get_mut(i)
            && v.is_finite()
        {
            *slot = Some(v.clamp(0.0, 1.0));
        }
    }
    let set_sum: f64 = chosen.iter().flatten().sum();
    let free = chosen.iter().filter(|c| c.is_none()).count();
    if free == 0 || set_sum > 1.0 {
        // Nothing left for the others: the shares set are the split.
        let n = chosen.iter().flatten().count().max(1);
        for (m, c) in materials.iter_mut().zip(&chosen) {
            m.capex_share.0 = match c {
                Some(v) if set_sum > 0.0 => v / set_sum,
                Some(_) => 1.0 / n as f64,
                None => 0.0,
            };
        }
        return;
    }
    let left = 1.0 - set_sum;
    let others: f64 = materials
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| c.is_none())
        .map(|(m, _)| m.capex_share.0.max(0.0))
        .sum();
    for (m, c) in materials.iter_mut().zip(&chosen) {
        m.capex_share.0 = match c {
            Some(v) => *v,
            None if others > 0.0 => m.capex_share.0.max(0.0) * left / others,
            None => left / free as f64,
        };
    }
}

/// Every per-material lever, in side-panel order.
pub static MATERIAL_LEVERS: &[MaterialLever] = &[
    MaterialLever {
        id: "quota_share",
        label: "quota",
        unit: "% of headline",
        display: Display::Percent,
        min: 0.0,
        max: 1.5,
        description: "This material's quota as a share of the headline quota level.",
        source: "Default 100 %: the headline level applies as it is",
        get: |m| m.quota_share.0,
        set: |m, v| m.quota_share.0 = v,
    },
    MaterialLever {
        id: "capex_share",
        label: "capex share",
        unit: "% of capex",
        display: Display::Percent,
        min: 0.0,
        max: 1.0,
        description: "This material's share of the diversification capex (shares sum to 100 %).",
        source: "Default split by spend: mostly NdPr",
        get: |m| m.capex_share.0,
        set: |m, v| m.capex_share.0 = v,
    },
    MaterialLever {
        id: "demand",
        label: "demand",
        unit: "t/yr",
        display: Display::Plain,
        min: 0.0,
        max: 10_000_000.0,
        description: "Demand of buyers outside China at the horizon start.",
        source: "Scaled so pre-control Chinese exports are ~4,800 t/month (SOURCES.md R2, customs via press)",
        get: |m| m.demand.0,
        set: |m, v| m.demand.0 = v,
    },
    MaterialLever {
        id: "non_china_capacity",
        label: "non-China capacity",
        unit: "t/yr",
        display: Display::Plain,
        min: 0.0,
        max: 10_000_000.0,
        description: "Non-China capacity already producing at the horizon start.",
        source: "Lynas and MP Materials output, 2024 (company reports); China ~85-92 % (SOURCES.md R10, IEA)",
        get: |m| m.non_china_capacity.0,
        set: |m, v| m.non_china_capacity.0 = v,
    },
    MaterialLever {
        id: "processed_in_china",
        label: "processed in China",
        unit: "% of existing output",
        display: Display::Percent,
        min: 0.0,
        max: 1.0,
        description: "Share of existing non-China output still processed in China.",
        source: "Assumption: MP Materials shipped concentrate to China until 2025",
        get: |m| m.processed_in_china.0,
        set: |m, v| m.processed_in_china.0 = v,
    },
    MaterialLever {
        id: "china_price",
        label: "China price",
        unit: "$/kg",
        display: Display::Plain,
        min: 0.0,
        max: 100_000.0,
        description: "Price of Chinese material on China's market.",
        source: "SOURCES.md M3: $20-30/kg (article 000); Dy ~$230, Tb ~$1,000 (2024 trade press)",
        get: |m| m.china_price.0,
        set: |m, v| m.china_price.0 = v,
    },
    MaterialLever {
        id: "non_china_cost",
        label: "non-China cost",
        unit: "$/kg",
        display: Display::Plain,
        min: 0.0,
        max: 400_000.0,
        description: "Unit cost of new non-China supply before learning.",
        source: "SOURCES.md M4: $80-120/kg, about 4x China's price (article 000)",
        get: |m| m.non_china_cost.0,
        set: |m, v| m.non_china_cost.0 = v,
    },
    MaterialLever {
        id: "capital_intensity",
        label: "capital intensity",
        unit: "$ per t/yr",
        display: Display::Plain,
        min: 1_000.0,
        max: 100_000_000.0,
        description: "Capex per tonne-per-year of new mine-to-magnet capacity.",
        source: "SOURCES.md R13: separation $40-80 k + magnets $40-60 k per t/yr",
        get: |m| m.capital_intensity.0,
        set: |m, v| m.capital_intensity.0 = v,
    },
];

/// Looks a scenario-wide lever up by id.
pub fn lever(id: &str) -> Option<&'static Lever> {
    LEVERS.iter().find(|l| l.id == id)
}

/// Looks a per-material lever up by id.
pub fn material_lever(id: &str) -> Option<&'static MaterialLever> {
    MATERIAL_LEVERS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(s: &Scenario) -> Vec<f64> {
        s.materials.iter().map(|m| m.capex_share.0).collect()
    }

    #[test]
    fn capex_shares_set_together_sum_to_one_in_any_order() {
        // Default split 75 / 5 / 2 / 18 %: Dy to 20 % and Other to 30 % leave 50 % for NdPr
        // and Tb in their proportions, 75 : 2.
        let mut a = Scenario::default();
        set_capex_shares(&mut a.materials, &[(1, 0.2), (3, 0.3)]);
        let mut b = Scenario::default();
        set_capex_shares(&mut b.materials, &[(3, 0.3), (1, 0.2)]);
        assert_eq!(shares(&a), shares(&b));
        let got = shares(&a);
        assert!((got[0] - 0.5 * 75.0 / 77.0).abs() < 1e-12, "{got:?}");
        assert!((got[2] - 0.5 * 2.0 / 77.0).abs() < 1e-12, "{got:?}");
        assert!((got.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Past 1: the shares set are the split, scaled.
        let mut c = Scenario::default();
        set_capex_shares(&mut c.materials, &[(1, 0.9), (2, 0.6)]);
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert!(
            close(&shares(&c), &[0.0, 0.6, 0.4, 0.0]),
            "{:?}",
            shares(&c)
        );
        // Every material set: scaled to sum to 1; all zero: equal.
        let mut d = Scenario::default();
        set_capex_shares(&mut d.materials, &[(0, 0.0), (1, 0.0), (2, 0.0), (3, 0.0)]);
        assert_eq!(shares(&d), vec![0.25; 4]);
    }

    #[test]
    fn defaults_match_the_default_scenario_and_lie_in_range() {
        let s = Scenario::default();
        for l in LEVERS {
            assert!(l.min < l.max, "{}", l.id);
            assert!(l.in_range(l.default), "{} default out of range", l.id);
            assert_eq!(
                (l.get)(&s),
                l.default,
                "{} default differs from Scenario::default",
                l.id
            );
        }
        for m in &s.materials {
            for l in MATERIAL_LEVERS {
                assert!(l.in_range((l.get)(m)), "{}.{}", m.id, l.id);
            }
        }
    }

    /// The numbers written as "default N" (optionally "$N", "N %") in a lever's tooltip.
    fn stated_defaults(text: &str) -> Vec<f64> {
        let lower = text.to_lowercase();
        lower
            .match_indices("default ")
            .filter_map(|(i, m)| {
                let rest = lower[i + m.len()..].trim_start_matches('$');
                let number: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
                    .filter(|c| *c != ',')
                    .collect();
                number.trim_end_matches('.').parse::<f64>().ok()
            })
            .collect()
    }

    #[test]
    fn every_default_a_tooltip_states_is_the_tables_default() {
        assert_eq!(
            stated_defaults("Default 100 %: x; default $1 B"),
            [100.0, 1.0]
        );
        let mut stated = 0;
        for l in LEVERS {
            let shown = match l.display {
                Display::Percent => l.default * 100.0,
                Display::Plain => l.default,
            };
            for text in [l.description, l.source] {
                for n in stated_defaults(text) {
                    stated += 1;
                    assert!(
                        (n - shown).abs() <= 1e-9 * shown.abs().max(1.0),
                        "{}: the tooltip says default {n}, the table has {shown}",
                        l.id
                    );
                }
            }
        }
        assert!(stated >= 5, "the check reads some tooltips ({stated})");
    }

    #[test]
    fn ids_are_unique_and_set_round_trips() {
        let mut s = Scenario::default();
        for (i, l) in LEVERS.iter().enumerate() {
            assert!(
                LEVERS[i + 1..].iter().all(|o| o.id != l.id),
                "duplicate {}",
                l.id
            );
            let v = (l.min + l.max) / 2.0;
            (l.set)(&mut s, v);
            assert_eq!((l.get)(&s), v, "{}", l.id);
        }
    }
}
