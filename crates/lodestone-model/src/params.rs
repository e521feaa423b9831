//! The model's inputs: one [`Scenario`] = horizon + headline levers + assumptions + materials +
//! policy-event timeline.
//!
//! These types are plain data with serde derives so the file format (`crate::scenario`) can
//! read and write them, but nothing here does IO. Every struct fills missing fields from its
//! `Default`, which is the documented default of MODEL.md, so a scenario file may say as little
//! as its name and the three headline levers.

use super::time::{Horizon, YearMonth};
use super::units::*;
use serde::{Deserialize, Serialize};

/// Everything the simulation needs: scenario in, [`crate::Results`] out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// Span and resolution of the simulation.
    pub horizon: Horizon,
    /// The headline levers: quota, capex and permitting.
    pub levers: Levers,
    /// The secondary levers: behaviour, market and technical assumptions.
    pub assumptions: Assumptions,
    /// The material groups simulated, each with its own market.
    pub materials: Vec<Material>,
    /// Timeline of China's export regime, in any order (applied by date).
    pub events: Vec<PolicyEvent>,
    /// The uncertain inputs and seed of the Monte Carlo bands; deterministic runs ignore it.
    pub uncertainty: Uncertainty,
}

impl Default for Scenario {
    /// The 2025 story: pre-control 2024, the April 2025 controls, the October 2025 expansion,
    /// the November 2025 pause, about $5 B of diversification capex from mid-2025.
    fn default() -> Self {
        Self {
            horizon: Horizon::default(),
            levers: Levers::default(),
            assumptions: Assumptions::default(),
            materials: Material::defaults(),
            events: PolicyEvent::story_2025(),
            uncertainty: Uncertainty::default(),
        }
    }
}

impl Scenario {
    /// The same scenario with no export controls at all: the counterfactual that
    /// "extra cost" is measured against when no baseline scenario is given.
    pub fn without_controls(&self) -> Self {
        let mut free = self.clone();
        free.events.clear();
        free.levers.quota_level = Share(1.0);
        for m in &mut free.materials {
            m.quota_share = Share(1.0);
        }
        free
    }
}

/// The three headline levers a strategist moves first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Levers {
    /// China's export quota as a share of the pre-control export path, in force from
    /// `quota_from` on (multiplies whatever the event timeline says then).
    pub quota_level: Share,
    /// First month the headline quota level applies; months before it follow the timeline alone.
    pub quota_from: YearMonth,
    /// Diversification capex, split across materials by `Material::capex_share`.
    pub capex: UsdBillionPerYear,
    /// First month of capex spending.
    pub capex_start: YearMonth,
    /// How many years the capex is spent for.
    pub capex_years: Years,
    /// Years from committing capital to starting construction.
    pub permitting_delay: Years,
}

impl Default for Levers {
    fn default() -> Self {
        Self {
            quota_level: Share(1.0),
            quota_from: YearMonth {
                year: 2026,
                month: 1,
            },
            capex: UsdBillionPerYear(1.0),
            capex_start: YearMonth {
                year: 2025,
                month: 7,
            },
            capex_years: Years(5.0),
            permitting_delay: Years(5.0),
        }
    }
}

/// The secondary levers, shown under "Assumptions".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Assumptions {
    /// Growth of ex-China demand per year (EVs ~1 kg per vehicle, wind ~1 t per MW).
    pub demand_growth: Share,
    /// Years from the start of construction to first output.
    pub construction: Years,
    /// Time constant of a new plant's ramp-up to nameplate output.
    pub ramp_up: Years,
    /// Fall in non-China unit cost for each doubling of cumulative output.
    pub learning_rate: Share,
    /// Share of the released quota that licensing lets through once it runs smoothly.
    pub licensing_release: Share,
    /// Mean delay between applying for an export licence and shipping under it.
    pub licensing_lag: Months,
    /// Inverse of the short-run price elasticity of demand outside China: a supply gap of g
    /// (share of demand) clears at about exp(g x this) times China's price (MODEL.md, section 8).
    pub scarcity_sensitivity: Ratio,
    /// Value of the output a kilogram enables, as a multiple of China's price: no buyer pays
    /// more, demand still unmet at this price is physical shortfall, and it is valued at this.
    pub lost_output_value: Ratio,
    /// Share of buyers' purchases made under contracts priced at China's price; the rest pays
    /// the spot price outside China.
    pub contract_share: Share,
    /// Extra months of stock buyers want per unit rise of the log spot price over its
    /// three-month average (fewer when it falls): precautionary buying and destocking.
    pub hoarding: Months,
    /// Output non-China plants can add above their calm run-rate when prices rise (higher
    /// utilisation, restarts), as a share of their capacity.
    pub non_china_headroom: Share,
    /// Markup paid on material bought for stock while quotas are uncertain.
    pub uncertainty_markup: Share,
    /// How often quota-driven price spikes happen while controls are in force.
    pub spike_frequency: PerYear,
    /// Size of one price spike.
    pub spike_size: Share,
    /// Safety stock held by buyers, in months of consumption.
    pub safety_stock: Months,
    /// How much of the safety stock stable supply lets buyers release.
    pub stable_safety_cut: Share,
    /// Strategic stockpile target on top of safety stock, in months of consumption.
    pub stockpile: Months,
    /// Months over which a stock below target is refilled.
    pub refill_time: Months,
    /// Cost of holding stock per year, as a share of its market value.
    pub carrying_cost: Share,
    /// Long-run share of consumption met by recycled material, before any price response.
    pub recycling_share: Share,
    /// Extra recycling share per 100 % rise of the price outside China.
    pub recycling_response: Share,
    /// Time constant with which recycling follows its target.
    pub recycling_lag: Months,
    /// Share of demand substituted away per 100 % rise of the price outside China.
    pub substitution_response: Share,
    /// Most demand substitution can remove.
    pub substitution_max: Share,
    /// Time constant with which substitution follows its target.
    pub substitution_lag: Months,
    /// Most of the exports the quota withholds that leakage (smuggling, transshipment through
    /// third countries) carries out once the premium outside China is high.
    pub smuggling_leakage: Share,
    /// Premium of the price outside China over China's at which leakage reaches half its most.
    pub smuggling_premium: Share,
    /// Dependency level whose first crossing is a headline figure.
    pub dependency_threshold: Share,
    /// Shortfall (share of demand) from which a month counts as a month of shortfall.
    pub shortfall_threshold: Share,
}

impl Default for Assumptions {
    fn default() -> Self {
        Self {
            demand_growth: Share(0.05),
            construction: Years(2.0),
            ramp_up: Years(3.0),
            learning_rate: Share(0.15),
            licensing_release: Share(1.0),
            licensing_lag: Months(2.1),
            scarcity_sensitivity: Ratio(10.0),
            lost_output_value: Ratio(25.0),
            contract_share: Share(0.95),
            hoarding: Months(1.5),
            non_china_headroom: Share(0.2),
            uncertainty_markup: Share(0.40),
            spike_frequency: PerYear(2.0),
            spike_size: Share(0.325),
            safety_stock: Months(3.0),
            stable_safety_cut: Share(0.25),
            stockpile: Months(0.0),
            refill_time: Months(3.0),
            carrying_cost: Share(0.15),
            recycling_share: Share(0.01),
            recycling_response: Share(0.05),
            recycling_lag: Months(36.0),
            substitution_response: Share(0.10),
            substitution_max: Share(0.30),
            substitution_lag: Months(24.0),
            smuggling_leakage: Share(0.4),
            smuggling_premium: Share(1.0),
            dependency_threshold: Share(0.50),
            shortfall_threshold: Share(0.01),
        }
    }
}

/// One material bought by buyers outside China.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Material {
    /// Short stable id used by events and `--set` (e.g. "NdPr").
    pub id: String,
    /// Name shown in legends.
    pub name: String,
    /// Demand of buyers outside China at the horizon start, in tonnes of product per year.
    pub demand: TonnesPerYear,
    /// Non-China capacity already producing at the horizon start.
    pub non_china_capacity: TonnesPerYear,
    /// Share of that existing non-China output that is still processed in China.
    pub processed_in_china: Share,
    /// Price of Chinese material (China's domestic market price) at the horizon start, and
    /// throughout when `china_prices` is empty.
    pub china_price: UsdPerKg,
    /// China's domestic price on dated points, linear between them and flat beyond; empty
    /// for a constant `china_price`. Dates ascend.
    pub china_prices: Vec<PricePoint>,
    /// Unit cost of new non-China supply before any learning.
    pub non_china_cost: UsdPerKg,
    /// Capex needed per tonne-per-year of new mine-to-magnet capacity.
    pub capital_intensity: UsdPerTonnePerYear,
    /// This material's share of the diversification capex (shares sum to 1).
    pub capex_share: Share,
    /// Per-material quota multiplier under the headline quota level.
    pub quota_share: Share,
}

impl Default for Material {
    fn default() -> Self {
        Self {
            id: String::from("REE"),
            name: String::from("Rare-earth material"),
            demand: TonnesPerYear(10_000.0),
            non_china_capacity: TonnesPerYear(1_000.0),
            processed_in_china: Share(0.0),
            china_price: UsdPerKg(25.0),
            china_prices: Vec::new(),
            non_china_cost: UsdPerKg(100.0),
            capital_intensity: UsdPerTonnePerYear(110_000.0),
            capex_share: Share(0.0),
            quota_share: Share(1.0),
        }
    }
}

impl Material {
    /// The default for a material id: the shipped material with that id, else the generic
    /// `Material::default()` (for ids the model does not ship).
    pub fn default_for(id: &str) -> Material {
        Material::defaults()
            .into_iter()
            .find(|m| m.id == id)
            .unwrap_or_default()
    }

    /// The four material groups of the default scenario (see MODEL.md, "Materials").
    pub fn defaults() -> Vec<Material> {
        let base = Material::default();
        vec![
            Material {
                id: "NdPr".into(),
                name: "NdPr (magnets)".into(),
                demand: TonnesPerYear(52_000.0),
                non_china_capacity: TonnesPerYear(9_000.0),
                processed_in_china: Share(0.3),
                china_price: UsdPerKg(25.0),
                non_china_cost: UsdPerKg(100.0),
                capex_share: Share(0.75),
                ..base.clone()
            },
            Material {
                id: "Dy".into(),
                name: "Dysprosium".into(),
                demand: TonnesPerYear(1_500.0),
                non_china_capacity: TonnesPerYear(100.0),
                china_price: UsdPerKg(230.0),
                non_china_cost: UsdPerKg(920.0),
                capex_share: Share(0.05),
                ..base.clone()
            },
            Material {
                id: "Tb".into(),
                name: "Terbium".into(),
                demand: TonnesPerYear(400.0),
                non_china_capacity: TonnesPerYear(20.0),
                china_price: UsdPerKg(1_000.0),
                non_china_cost: UsdPerKg(4_000.0),
                capex_share: Share(0.02),
                ..base.clone()
            },
            Material {
                id: "Other".into(),
                name: "Sm, Gd, Lu, Sc, Y".into(),
                demand: TonnesPerYear(9_500.0),
                non_china_capacity: TonnesPerYear(1_000.0),
                china_price: UsdPerKg(25.0),
                non_china_cost: UsdPerKg(100.0),
                capex_share: Share(0.18),
                ..base
            },
        ]
    }
}

/// A dated price: China's domestic price from the public record or an assumption.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PricePoint {
    /// Month the price applies from.
    pub date: YearMonth,
    /// China's domestic price that month, $/kg.
    pub price: UsdPerKg,
}

impl Default for PricePoint {
    fn default() -> Self {
        Self {
            date: YearMonth {
                year: 2025,
                month: 1,
            },
            price: UsdPerKg(25.0),
        }
    }
}

impl Material {
    /// China's domestic price in month `m` (months since `start`).
    pub fn china_price_at(&self, start: YearMonth, m: f64) -> f64 {
        let points = &self.china_prices;
        let Some(first) = points.first() else {
            return self.china_price.0;
        };
        let at = |p: &PricePoint| start.months_until(p.date) as f64;
        if m <= at(first) {
            return first.price.0;
        }
        for pair in points.windows(2) {
            let (a, b) = (at(&pair[0]), at(&pair[1]));
            if m <= b {
                let f = if b > a { (m - a) / (b - a) } else { 1.0 };
                return pair[0].price.0 + (pair[1].price.0 - pair[0].price.0) * f;
            }
        }
        points.last().map_or(self.china_price.0, |p| p.price.0)
    }
}

/// What kind of policy change an event is; drives its label and colour only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum EventKind {
    /// Controls come into force (the default kind).
    #[default]
    ControlsOn,
    /// Controls are widened or tightened.
    Expansion,
    /// Controls are suspended for a while.
    Pause,
    /// Controls are withdrawn.
    Rollback,
    /// Any other change of the regime.
    Other,
}

impl EventKind {
    /// Every kind, in the order the event editor lists them.
    pub const ALL: [EventKind; 5] = [
        EventKind::ControlsOn,
        EventKind::Expansion,
        EventKind::Pause,
        EventKind::Rollback,
        EventKind::Other,
    ];

    /// What a person reads: "controls on", "expansion", ...
    pub fn label(self) -> &'static str {
        match self {
            EventKind::ControlsOn => "controls on",
            EventKind::Expansion => "expansion",
            EventKind::Pause => "pause",
            EventKind::Rollback => "rollback",
            EventKind::Other => "other",
        }
    }
}

/// A dated change of China's export regime. From its date on, the listed materials (all, when
/// the list is empty) export under `quota_level` of the pre-control path, with or without
/// per-shipment licensing, until a later event changes them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyEvent {
    /// Month from which the event applies.
    pub date: YearMonth,
    /// Text shown beside the event's marker on the charts, e.g. "Apr 2025 controls".
    pub label: String,
    /// What kind of change it is; sets the marker's colour.
    pub kind: EventKind,
    /// Exports allowed, as a share of the pre-control export path (1 = no cut).
    pub quota_level: Share,
    /// Whether every shipment needs an export licence.
    pub licensing: bool,
    /// Duty on legal exports as a share of China's price (0.25 = 25 %): legal exports sell
    /// outside China at no less than China's price plus the duty, and leakage, which pays
    /// none, undercuts them. Left out of saved files when zero.
    #[serde(skip_serializing_if = "Share::is_zero")]
    pub export_duty: Share,
    /// Ids of the materials covered; empty for all.
    pub materials: Vec<String>,
    /// Chance that the event happens (1 = certain). The uncertain runs draw it with this
    /// chance; the deterministic run takes it when it is at least even (the likelier
    /// outcome). Left out of saved files when certain.
    #[serde(skip_serializing_if = "Share::is_one")]
    pub probability: Share,
}

impl Default for PolicyEvent {
    fn default() -> Self {
        Self {
            date: YearMonth {
                year: 2025,
                month: 4,
            },
            label: String::new(),
            kind: EventKind::ControlsOn,
            quota_level: Share(1.0),
            licensing: true,
            export_duty: Share(0.0),
            materials: Vec::new(),
            probability: Share(1.0),
        }
    }
}

impl PolicyEvent {
    /// True when the deterministic run takes the event: certain, or at least even odds.
    pub fn in_central_run(&self) -> bool {
        self.probability.0 >= 0.5
    }

    /// True when the uncertain runs draw whether the event happens.
    pub fn is_uncertain(&self) -> bool {
        self.probability.0 < 1.0
    }

    /// True when this event applies to the material with `id`.
    pub fn applies_to(&self, id: &str) -> bool {
        self.materials.is_empty() || self.materials.iter().any(|m| m == id)
    }

    /// The 2025 timeline of SOURCES.md (controls C1, expansion C4, pause C5), as the default
    /// scenario uses it. The April 2025 list names seven medium and heavy elements (Sm, Gd,
    /// Tb, Dy, Lu, Sc, Y): Dy, Tb and the "Other" group; NdPr is not on it. The October 2025
    /// measures were due to bite from December and were suspended on 2025-11-10 before they
    /// did, so that event changes nothing but is marked; the April licensing stays.
    pub fn story_2025() -> Vec<PolicyEvent> {
        let controlled = || vec!["Dy".to_string(), "Tb".to_string(), "Other".to_string()];
        let event = |year, month, label: &str, kind| PolicyEvent {
            date: YearMonth { year, month },
            label: label.into(),
            kind,
            quota_level: Share(1.0),
            licensing: true,
            export_duty: Share(0.0),
            materials: controlled(),
            probability: Share(1.0),
        };
        vec![
            event(2025, 4, "Apr 2025 controls", EventKind::ControlsOn),
            event(
                2025,
                10,
                "Oct 2025 expansion (not in force)",
                EventKind::Expansion,
            ),
            event(2025, 11, "Nov 2025 pause", EventKind::Pause),
        ]
    }
}

/// A triangular spread around the scenario's own value: from `value - below` through the
/// value (most likely) to `value + above`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Spread {
    /// Distance from the value down to the low end, in the value's unit.
    pub below: f64,
    /// Distance from the value up to the high end, in the value's unit.
    pub above: f64,
}

impl Default for Spread {
    fn default() -> Self {
        Self {
            below: 0.0,
            above: 0.0,
        }
    }
}

impl Spread {
    /// A spread reaching `below` under and `above` over the value.
    pub const fn new(below: f64, above: f64) -> Self {
        Self { below, above }
    }

    /// Draws from the triangular distribution around `value` with uniform `u` in [0, 1).
    pub fn draw(&self, value: f64, u: f64) -> f64 {
        let (lo, hi) = (value - self.below.max(0.0), value + self.above.max(0.0));
        if hi <= lo {
            return value;
        }
        let cut = (value - lo) / (hi - lo);
        if u < cut {
            lo + ((hi - lo) * (value - lo) * u).sqrt()
        } else {
            hi - ((hi - lo) * (hi - value) * (1.0 - u)).sqrt()
        }
    }
}

/// The scenario's uncertain inputs, with defaults from SOURCES.md where it has them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Uncertainty {
    /// Seed of the random draws: same seed, same bands.
    pub seed: u64,
    /// Number of paths (Halton points with stratified spikes: 192 are as accurate as 1,000
    /// random draws).
    pub paths: u32,
    /// Draw price spikes month by month (frequency and size from the assumptions) instead of
    /// carrying their expected value.
    pub random_spikes: bool,
    /// Size range of one spike: +25-40 % (SOURCES.md C9, article 000).
    pub spike_size_low: f64,
    /// Largest size of one spike, as a share of the price (0.40 = +40 %).
    pub spike_size_high: f64,
    /// Licences come late: months around the scenario's licensing lag.
    pub licensing_lag: Spread,
    /// Permits slip: years around the scenario's permitting delay.
    pub permitting_delay: Spread,
    /// Demand growth, share per year around the scenario's.
    pub demand_growth: Spread,
    /// Learning rate around the scenario's.
    pub learning_rate: Spread,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Self {
            seed: 2025,
            paths: 192,
            random_spikes: true,
            spike_size_low: 0.25,
            spike_size_high: 0.40,
            licensing_lag: Spread::new(0.5, 1.0),
            permitting_delay: Spread::new(1.0, 3.0),
            demand_growth: Spread::new(0.02, 0.02),
            learning_rate: Spread::new(0.05, 0.05),
        }
    }
}

impl Uncertainty {
    /// No spread at all: every path equals the deterministic run.
    pub fn none() -> Self {
        Self {
            random_spikes: false,
            licensing_lag: Spread::default(),
            permitting_delay: Spread::default(),
            demand_growth: Spread::default(),
            learning_rate: Spread::default(),
            ..Self::default()
        }
    }
}
