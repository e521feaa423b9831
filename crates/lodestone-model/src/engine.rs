//! The simulation loop: scenario in, [`Results`] out.
//!
//! Each step (one month, or twelve at yearly resolution) every material goes through the same
//! sequence, documented section by section in MODEL.md:
//! demand and substitution -> recycling -> non-China supply -> stock target and refill ->
//! Chinese exports under the cap -> smuggling -> stock draw -> shortfall -> prices -> costs.
//! Inputs outside their documented ranges are clamped to the nearest sane value here so the
//! model never produces NaN or negative output; rejecting them is the file format's job.

use super::fast::Fast;
use super::market::{Cleared, Offer, clear};
use super::params::{Material, Scenario};
use super::regime::{RegimeMonth, RegimeStep, monthly_regime, step_average};
use super::results::{
    Headline, MaterialResults, Results, Row, SERIES, SeriesId, SeriesSet, Staged,
};
use super::time::YearMonth;
use super::units::KG_PER_TONNE;

/// Buffers reused between runs, so a slider drag re-runs the model without allocating.
#[derive(Debug, Default)]
pub struct Workspace {
    regimes: Vec<Vec<RegimeMonth>>,
    /// Which entry of `regimes` each material uses: materials with the same quota share and
    /// the same events share one regime, computed once.
    regime_of: Vec<usize>,
}

/// Runs a scenario.
pub fn simulate(scenario: &Scenario) -> Results {
    let mut results = Results::empty();
    simulate_into(scenario, &mut Workspace::default(), &mut results);
    results
}

/// Runs a scenario into existing buffers (capacity is kept; contents are replaced).
pub fn simulate_into(scenario: &Scenario, workspace: &mut Workspace, out: &mut Results) {
    run(scenario, workspace, None, out);
}

/// True when two materials live under the same export regime: the same quota share and
/// exactly the same events apply to both.
fn same_regime(scenario: &Scenario, a: &Material, b: &Material) -> bool {
    a.quota_share.0.to_bits() == b.quota_share.0.to_bits()
        && scenario
            .events
            .iter()
            .all(|e| e.applies_to(&a.id) == e.applies_to(&b.id))
}

/// Where a run writes what each step produced: the full [`Results`], or only the few series
/// an uncertainty run keeps.
pub(crate) trait Sink {
    /// False when the sink reads only the aggregate cost, dependency and shortfall, so the
    /// loop can skip summing the other totals.
    const DETAILED: bool = true;
    fn begin(&mut self, materials: &[Material], steps: usize, step_months: f64);
    fn step(&mut self, date: YearMonth);
    fn material(&mut self, index: usize, flows: &Flows, ratios: &Ratios);
    fn total(&mut self, totals: &Totals);
    fn finish(&mut self, a: &Inputs);
}

/// Runs a scenario into `sink`. `spikes`, when given, holds one drawn spike size per step
/// (0 = no spike) in place of the expected spike markup: the uncertainty runs use it.
pub(crate) fn run<S: Sink>(
    scenario: &Scenario,
    workspace: &mut Workspace,
    spikes: Option<&[f64]>,
    sink: &mut S,
) {
    let horizon = scenario.horizon;
    let months = horizon.months();
    let step_len = horizon.resolution.step_months() as usize;
    let steps = horizon.steps();
    let materials = &scenario.materials;

    sink.begin(materials, steps, step_len as f64);
    workspace.regimes.resize_with(materials.len(), Vec::new);
    workspace.regime_of.clear();
    for (i, material) in materials.iter().enumerate() {
        let same_as = (0..i).find(|&j| same_regime(scenario, &materials[j], material));
        match same_as {
            Some(j) => workspace.regime_of.push(workspace.regime_of[j]),
            None => {
                monthly_regime(scenario, material, &mut workspace.regimes[i]);
                workspace.regime_of.push(i);
            }
        }
    }

    let a = Inputs::new(scenario);
    let mut states: Vec<State> = materials.iter().map(|m| State::new(m, &a)).collect();
    let pipelines: Vec<Pipeline> = materials
        .iter()
        .map(|m| Pipeline::new(scenario, m))
        .collect();

    // Full-length steps share their lag factors and grow demand by one factor each, so the
    // loop needs no `exp` or `powf` for them.
    let full_step = Clock::new(0.0, step_len as f64, &a);
    let mut growth_at_start = 1.0;

    for step in 0..steps {
        let first = step * step_len;
        let len = step_len.min(months - first);
        sink.step(horizon.start.plus_months(first as i64));
        let mut clock = if len == step_len {
            full_step.at(first as f64, &mut growth_at_start)
        } else {
            Clock::new(first as f64, len as f64, &a)
        };
        if let Some(drawn) = spikes {
            clock.spike = drawn.get(step).copied();
        }

        let mut total = Totals::default();
        for i in 0..materials.len() {
            let monthly = &workspace.regimes[workspace.regime_of[i]];
            let regime = step_average(monthly, first, len);
            let months = &monthly[first.min(monthly.len())..(first + len).min(monthly.len())];
            let flows = step_material(
                &a,
                &pipelines[i],
                &clock,
                regime,
                months,
                &materials[i],
                &mut states[i],
            );
            // Each division once: the sink and the totals read the same ratios.
            let ratios = Ratios::of(&flows, S::DETAILED);
            sink.material(i, &flows, &ratios);
            if S::DETAILED {
                total.add(&flows, &ratios);
            } else {
                total.add_headline(&flows, &ratios);
            }
        }
        sink.total(&total);
    }
    sink.finish(&a);
}

impl Sink for Results {
    fn begin(&mut self, materials: &[Material], steps: usize, step_months: f64) {
        self.reset(materials, steps, step_months);
    }

    fn step(&mut self, date: YearMonth) {
        self.dates.push(date);
        self.time.push(date.decimal_year());
    }

    #[inline(always)]
    fn material(&mut self, index: usize, flows: &Flows, ratios: &Ratios) {
        let slot = index * Staged::BLOCK + self.staged.filled;
        if let Some(row) = self.staged.rows.get_mut(slot) {
            flows.fill_row(ratios, row);
        }
        if let Some(m) = self.materials.get_mut(index) {
            m.licensing.push(flows.licensing);
        }
    }

    fn total(&mut self, totals: &Totals) {
        let slot = self.materials.len() * Staged::BLOCK + self.staged.filled;
        if let Some(row) = self.staged.rows.get_mut(slot) {
            totals.fill_row(row);
        }
        self.staged.filled += 1;
        if self.staged.filled >= Staged::BLOCK {
            self.write_staged();
        }
    }

    fn finish(&mut self, a: &Inputs) {
        self.write_staged();
        self.decision_step = decision_step(self, a);
        self.headline = headline(self, a);
    }
}

/// Assumptions cleaned once per run: finite, non-negative, in range.
pub(crate) struct Inputs {
    demand_growth: f64,
    learning_exponent: f64,
    elasticity: f64,
    inverse_elasticity: f64,
    choke: f64,
    /// `exp(choke)`: the value of lost output as a multiple of China's price.
    choke_multiple: f64,
    contract_share: f64,
    hoarding_months: f64,
    headroom: f64,
    uncertainty_markup: f64,
    spike_markup: f64,
    safety_months: f64,
    stable_cut: f64,
    stockpile_months: f64,
    refill_years: f64,
    carrying_rate: f64,
    recycling_share: f64,
    recycling_response: f64,
    recycling_lag: f64,
    substitution_response: f64,
    inverse_substitution_response: f64,
    substitution_max: f64,
    substitution_lag: f64,
    leakage: f64,
    smuggling_premium: f64,
    dependency_threshold: f64,
    shortfall_threshold: f64,
    /// Month (since the horizon start) from which the peak cost counts: the decision date.
    decision_month: f64,
    /// The horizon's first month (dated inputs are placed against it).
    start: YearMonth,
}

/// `x` if finite and at least `lo`, else `lo`; capped at `hi`.
fn sane(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_finite() { x.cl(lo, hi) } else { lo }
}

impl Inputs {
    fn new(s: &Scenario) -> Self {
        let a = &s.assumptions;
        let learning = sane(a.learning_rate.0, 0.0, 0.9);
        Self {
            demand_growth: sane(a.demand_growth.0, -0.5, 1.0),
            learning_exponent: (1.0 - learning).log2(),
            // Sensitivity is 1 / elasticity; below 0.25 demand would vanish at any premium.
            elasticity: 1.0 / sane(a.scarcity_sensitivity.0, 0.25, 100.0),
            inverse_elasticity: sane(a.scarcity_sensitivity.0, 0.25, 100.0),
            choke: sane(a.lost_output_value.0, 1.0, 1e6).ln(),
            choke_multiple: sane(a.lost_output_value.0, 1.0, 1e6),
            contract_share: sane(a.contract_share.0, 0.0, 1.0),
            hoarding_months: sane(a.hoarding.0, 0.0, 4.0),
            headroom: sane(a.non_china_headroom.0, 0.0, 10.0),
            uncertainty_markup: sane(a.uncertainty_markup.0, 0.0, 10.0),
            // Deterministic runs carry the expected value of the one-month spikes.
            spike_markup: sane(a.spike_frequency.0, 0.0, 12.0) / 12.0
                * sane(a.spike_size.0, 0.0, 10.0),
            safety_months: sane(a.safety_stock.0, 0.0, 120.0),
            stable_cut: sane(a.stable_safety_cut.0, 0.0, 1.0),
            stockpile_months: sane(a.stockpile.0, 0.0, 240.0),
            refill_years: sane(a.refill_time.0, 0.1, 1200.0) / 12.0,
            carrying_rate: sane(a.carrying_cost.0, 0.0, 10.0),
            recycling_share: sane(a.recycling_share.0, 0.0, 0.9),
            recycling_response: sane(a.recycling_response.0, 0.0, 10.0),
            recycling_lag: sane(a.recycling_lag.0, 0.1, 1200.0),
            substitution_response: sane(a.substitution_response.0, 0.0, 10.0),
            inverse_substitution_response: if sane(a.substitution_response.0, 0.0, 10.0) > 0.0 {
                1.0 / sane(a.substitution_response.0, 0.0, 10.0)
            } else {
                0.0
            },
            substitution_max: sane(a.substitution_max.0, 0.0, 0.95),
            substitution_lag: sane(a.substitution_lag.0, 0.1, 1200.0),
            leakage: sane(a.smuggling_leakage.0, 0.0, 1.0),
            smuggling_premium: sane(a.smuggling_premium.0, 0.01, 100.0),
            decision_month: s.horizon.start.months_until(s.levers.quota_from) as f64,
            start: s.horizon.start,
            dependency_threshold: sane(a.dependency_threshold.0, 0.0, 1.0),
            shortfall_threshold: sane(a.shortfall_threshold.0, 0.0, 1.0),
        }
    }
}

/// Where one step sits in time, with what every material of the step shares.
#[derive(Clone, Copy)]
struct Clock {
    /// Months since the horizon start at the step's start and end.
    start: f64,
    end: f64,
    /// Step length in years.
    years: f64,
    /// Demand growth index at the step's midpoint.
    growth: f64,
    /// A drawn spike size for this step (uncertainty runs); `None` uses the expected value.
    spike: Option<f64>,
    /// How far substitution and recycling close on their targets in this step.
    substitution_follow: f64,
    recycling_follow: f64,
    /// Substitution unwinding (slower than it builds: engineered thrifting stays).
    unwind_follow: f64,
    /// The trailing price averages, leakage networks and restarts.
    trend_follow: f64,
    slow_trend_follow: f64,
    year_follow: f64,
    leakage_follow: f64,
    restart_follow: f64,
    /// Demand growth over the whole step.
    step_growth: f64,
}

impl Clock {
    fn new(first_month: f64, len_months: f64, a: &Inputs) -> Self {
        let mid_years = (first_month + len_months / 2.0) / 12.0;
        Self {
            start: first_month,
            end: first_month + len_months,
            years: len_months / 12.0,
            growth: (1.0 + a.demand_growth).powf(mid_years),
            spike: None,
            substitution_follow: 1.0 - (-len_months / a.substitution_lag).exp(),
            recycling_follow: 1.0 - (-len_months / a.recycling_lag).exp(),
            unwind_follow: 1.0
                - (-len_months / (a.substitution_lag * SUBSTITUTION_UNWIND_FACTOR)).exp(),
            trend_follow: 1.0 - (-len_months / TREND_MONTHS).exp(),
            slow_trend_follow: 1.0 - (-len_months / SLOW_TREND_MONTHS).exp(),
            year_follow: 1.0 - (-len_months / RESPONSE_TREND_MONTHS).exp(),
            leakage_follow: 1.0 - (-len_months / LEAKAGE_MONTHS).exp(),
            restart_follow: 1.0 - (-len_months / RESTART_MONTHS).exp(),
            step_growth: (1.0 + a.demand_growth).powf(len_months / 12.0),
        }
    }

    /// This full-length step (built by `new(0, len)`) moved to `first_month`, where demand has
    /// grown by `growth_at_start`; advances that to the next step's start.
    fn at(&self, first_month: f64, growth_at_start: &mut f64) -> Self {
        let clock = Self {
            start: first_month,
            end: first_month + (self.end - self.start),
            growth: *growth_at_start * self.growth,
            ..*self
        };
        *growth_at_start *= self.step_growth;
        clock
    }
}

/// The capacity pipeline of one material: capex spent at a constant rate over
/// `[spend_start, spend_end)` commits nameplate capacity that comes online `delay` months
/// later and ramps up as `1 - exp(-age / ramp)`.
struct Pipeline {
    /// Nameplate t/yr committed per month of spending.
    nameplate_per_month: f64,
    /// Capex per month of spending, $.
    usd_per_month: f64,
    spend_start: f64,
    spend_end: f64,
    delay: f64,
    ramp: f64,
    /// `exp(-1 / ramp)`: one month of the ramp's decay.
    month_decay: f64,
}

impl Pipeline {
    fn new(s: &Scenario, m: &Material) -> Self {
        let usd_per_month =
            sane(s.levers.capex.usd_per_year(), 0.0, 1e14) / 12.0 * sane(m.capex_share.0, 0.0, 1.0);
        let intensity = sane(m.capital_intensity.0, 1.0, f64::MAX);
        let spend_start = s.horizon.start.months_until(s.levers.capex_start) as f64;
        let spend_months = sane(s.levers.capex_years.months(), 0.0, 12_000.0);
        let ramp = sane(s.assumptions.ramp_up.months(), 0.1, 12_000.0);
        Self {
            nameplate_per_month: usd_per_month / intensity,
            usd_per_month,
            spend_start,
            spend_end: spend_start + spend_months,
            delay: sane(s.levers.permitting_delay.months(), 0.0, 12_000.0)
                + sane(s.assumptions.construction.months(), 0.0, 12_000.0),
            ramp,
            month_decay: (-1.0 / ramp).exp(),
        }
    }

    /// New capacity online at month `x` (t/yr), exact for the piecewise-linear commitment.
    fn online(&self, x: f64) -> f64 {
        self.online_with(x, &mut |_, origin: f64| (-(x - origin) / self.ramp).exp())
    }

    /// `online` with the ramp's decay `exp(-(x - origin) / ramp)` supplied by the caller.
    fn online_with(&self, x: f64, decay: &mut impl FnMut(usize, f64) -> f64) -> f64 {
        let first = self.spend_start + self.delay;
        let last = self.spend_end + self.delay;
        if x <= first || last <= first || self.nameplate_per_month == 0.0 {
            return 0.0;
        }
        let b = x.mn(last);
        let settled = if b == x { 1.0 } else { decay(1, last) };
        let ramping = self.ramp * (settled - decay(0, first));
        (self.nameplate_per_month * ((b - first) - ramping)).mx(0.0)
    }

    /// Mean online capacity over a step: the midpoint for a month, Simpson's rule for longer
    /// steps (both exact enough). Monthly midpoints advance by one month, so their decays are
    /// carried in `ramp` and multiplied by `exp(-1 / ramp)` instead of recomputed.
    fn online_mean(&self, clock: &Clock, ramp: &mut RampDecay) -> f64 {
        let mid = (clock.start + clock.end) / 2.0;
        if clock.end - clock.start <= 1.0 {
            let month = self.month_decay;
            let tau = self.ramp;
            return self.online_with(mid, &mut |slot, origin| {
                ramp.decay(slot, mid, origin, tau, month)
            });
        }
        (self.online(clock.start) + 4.0 * self.online(mid) + self.online(clock.end)) / 6.0
    }

    /// Capex spent by month `x`, $.
    fn spent(&self, x: f64) -> f64 {
        self.usd_per_month * (x - self.spend_start).clamp(0.0, self.spend_end - self.spend_start)
    }
}

/// The ramp's decays from first and from last output at the previous monthly midpoint.
#[derive(Default)]
struct RampDecay {
    /// Per origin (0 = first output, 1 = last): the midpoint and `exp(-(x - origin) / ramp)`.
    at: [Option<(f64, f64)>; 2],
}

impl RampDecay {
    /// `exp(-(x - origin) / tau)` for origin `slot`, by one multiplication with `month`
    /// (= `exp(-1 / tau)`) when `x` is one month after the previous call.
    fn decay(&mut self, slot: usize, x: f64, origin: f64, tau: f64, month: f64) -> f64 {
        let value = match self.at[slot] {
            Some((previous, value)) if previous + 1.0 == x => value * month,
            _ => (-(x - origin) / tau).exp(),
        };
        self.at[slot] = Some((x, value));
        value
    }
}

/// Months over which buyers average the spot price they compare today's against.
pub const TREND_MONTHS: f64 = 3.0;
/// Months of the slower spot average the 3-month one is compared with: the spot is rising
/// while its 3-month average is above its 6-month one.
pub const SLOW_TREND_MONTHS: f64 = 6.0;
/// Months over which the premium that substitution and recycling answer is averaged.
pub const RESPONSE_TREND_MONTHS: f64 = 12.0;
/// Months for leakage networks (smuggling, transshipment) to form and to fade.
pub const LEAKAGE_MONTHS: f64 = 6.0;
/// Months for idle non-China capacity to restart or idle again.
pub const RESTART_MONTHS: f64 = 12.0;
/// Largest premium (+400 %, a fivefold price) recycling and substitution programmes plan
/// against: beyond it a price is not expected to last.
pub const SIGNAL_PREMIUM_MAX: f64 = 4.0;
/// The same bound on the controls' signal as `z`: ln(1 + 4).
const SIGNAL_Z_MAX: f64 = 1.609_437_912_434_100_3;
/// Substitution unwinds this many times slower than it builds: redesigned products keep
/// their thrifting when prices fall.
pub const SUBSTITUTION_UNWIND_FACTOR: f64 = 4.0;

/// What one material carries from step to step.
struct State {
    /// Stock held by buyers, t, what it cost them, $, and how much of it is of Chinese
    /// origin, t.
    stock: f64,
    stock_book: f64,
    stock_chinese: f64,
    substitution: f64,
    recycling: f64,
    /// Leakage flow in place, t/yr.
    leakage: f64,
    /// Share of capacity added above the calm run-rate.
    headroom: f64,
    /// Trailing averages of the clearing `z = ln(spot / China's price)` (3 and 6 months) and
    /// of the controls' signal.
    z_trend: f64,
    z_slow: f64,
    /// The clearing `z` averaged over about a year: the premium substitution, thrifting and
    /// recycling programmes answer.
    z_year: f64,
    /// Trailing average of `ln(China's price / the file's)`, on the spot trend's clock.
    level_trend: f64,
    signal_trend: f64,
    /// Cumulative output of new non-China plants, t (drives learning).
    new_output: f64,
    /// 1 / the learning reference (one year of existing non-China output, at least 100 t).
    inverse_learning_base: f64,
    ramp: RampDecay,
    /// The material's inputs, cleaned once per run rather than every step.
    base_demand: f64,
    existing: f64,
    china_price: f64,
    has_price_path: bool,
    non_china_cost: f64,
    processed_in_china: f64,
}

impl State {
    fn new(m: &Material, a: &Inputs) -> Self {
        let demand = sane(m.demand.0, 0.0, 1e12);
        let existing = sane(m.non_china_capacity.0, 0.0, 1e12);
        let china_price = sane(m.china_price.0, 0.0, 1e9);
        // Calm start: safety stock at its stable-supply target, bought at China's price; a
        // strategic stockpile is bought during the run, so its cost shows.
        let stock = demand / 12.0 * a.safety_months * (1.0 - a.stable_cut);
        let recycling = a.recycling_share.min(TODAYS_RECYCLING_SHARE);
        // The starting stock was bought under the same rule as every later purchase:
        // consumption takes non-China output first, so what went into stock is what China
        // shipped beyond it.
        let chinese_share = if existing < demand { 1.0 } else { 0.0 };
        Self {
            stock,
            stock_book: stock * china_price * KG_PER_TONNE,
            stock_chinese: stock * chinese_share,
            substitution: 0.0,
            recycling,
            leakage: 0.0,
            headroom: 0.0,
            z_trend: 0.0,
            z_slow: 0.0,
            z_year: 0.0,
            level_trend: 0.0,
            signal_trend: 0.0,
            new_output: 0.0,
            inverse_learning_base: 1.0 / existing.max(100.0),
            ramp: RampDecay::default(),
            base_demand: demand,
            existing,
            china_price,
            has_price_path: !m.china_prices.is_empty(),
            non_china_cost: sane(m.non_china_cost.0, 0.0, 1e9),
            processed_in_china: sane(m.processed_in_china.0, 0.0, 1.0),
        }
    }
}

/// Recycling's share of consumption today (UNEP 2011: below 1 %); runs start here and move
/// toward the scenario's long-run recycling share.
pub const TODAYS_RECYCLING_SHARE: f64 = 0.01;

/// One material's flows in one step. Flows are t/yr, prices $/kg, money $/yr.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Flows {
    /// Demand after substitution, before the price rations it.
    demand: f64,
    recycled: f64,
    /// Non-China primary output sold, China's legal exports, leakage (all uses).
    non_china: f64,
    exports: f64,
    smuggled: f64,
    cap: f64,
    /// Share of the step's months under export licensing.
    licensing: f64,
    to_stock: f64,
    draw: f64,
    destroyed: f64,
    shortfall: f64,
    met: f64,
    /// Demand not covered by non-Chinese material (Chinese-origin consumption plus demand
    /// priced out or unmet), and that plus non-China output processed in China.
    chinese_used: f64,
    chinese_processed_used: f64,
    market_price: f64,
    china_price: f64,
    /// Cost of the material consumed, $/yr (draws at what the stock cost).
    use_cost: f64,
    spend: f64,
    /// Value of demand substituted, destroyed or unmet, $/yr.
    lost_value: f64,
    capacity: f64,
    stock: f64,
    capex_spent: f64,
    substitution: f64,
    /// Demand before substitution, t/yr: this material's weight in aggregate prices.
    gross: f64,
    /// That demand valued at China's price: its weight in aggregate shares.
    weight: f64,
}

// Inlined so that runs whose sink reads few totals drop the work nobody reads.
#[inline(always)]
fn step_material(
    a: &Inputs,
    pipe: &Pipeline,
    clock: &Clock,
    regime: RegimeStep,
    months: &[RegimeMonth],
    material: &Material,
    st: &mut State,
) -> Flows {
    let dt = clock.years;
    // China's price: the file's, or its price path at the middle of the step.
    let china_price = if st.has_price_path {
        sane(
            material.china_price_at(a.start, (clock.start + clock.end) / 2.0),
            0.0,
            1e9,
        )
    } else {
        st.china_price
    };

    // Demand after substitution, then recycled supply.
    let gross = st.base_demand * clock.growth;
    let demand = gross * (1.0 - st.substitution);
    let recycled = st.recycling * demand;

    // Non-China output: capacity online plus any headroom that last months' prices restarted.
    let new_capacity = pipe.online_mean(clock, &mut st.ramp);
    let capacity = st.existing + new_capacity;
    // Headroom (restarts, higher utilisation) is existing plants'; new plants run at their
    // offtake volume.
    let non_china = st.existing * (1.0 + st.headroom) + new_capacity;

    // The cap: quota x licence release. The pre-control export path is what China would ship
    // with demand growing and no new non-China capacity; a quota below 100 % is a tonnage,
    // its share of that path in the month it was set, held until an event changes it.
    let export_path = (gross - st.existing).mx(0.0);
    let path_for = |m: &RegimeMonth| {
        if m.reference_growth > 0.0 {
            (st.base_demand * m.reference_growth - st.existing).mx(0.0)
        } else {
            export_path
        }
    };
    let capped = quota_tonnes(regime, months, &path_for);

    // Buyers' offer (MODEL.md, section 7): what they want to consume and stock against the
    // supply that answers the price, then China's cap on what it ships.
    let signal_z = controls_signal(a, st, regime, months, gross, &path_for);
    let level_z = price_level_z(china_price, st.china_price);
    let supply = Supply {
        demand,
        recycled,
        non_china,
    };
    let mut offer = buyers_offer(a, st, clock, regime, signal_z, level_z, supply);
    offer.cap = export_cap(&offer, regime, months, &path_for);
    let c = clear(&offer);
    let cap = if offer.cap.is_finite() {
        offer.cap
    } else {
        c.exports
    };

    let prices = step_prices(a, st, clock, regime, &c, china_price);
    let bought = purchases(&c, &prices, new_capacity);
    let paid = stock_and_spend(a, st, &c, &prices, &bought, new_capacity, regime.risk);
    let lost_value = lost_value(a, st.substitution, gross - demand, &c, &prices);
    let origin = origin(
        st,
        &c,
        paid.draw,
        paid.to_stock,
        bought.new_used,
        bought.existing_used,
    );
    let dependency_gap = c.destroyed + c.unmet;

    // Carry state to the next step.
    st.stock = (st.stock + c.stock_flow * dt).mx(0.0);
    st.stock_chinese = (st.stock_chinese + origin.chinese_to_stock * dt).cl(0.0, st.stock);
    st.stock_book = if st.stock > 0.0 {
        (st.stock_book + paid.stock_cost * dt).mx(0.0)
    } else {
        0.0
    };
    // Leakage answers the premium on what the quota withholds.
    let withheld = (export_path - capped).mx(0.0) * (1.0 - regime.uncapped_share);
    respond(
        st,
        a,
        clock,
        Seen {
            z: c.z,
            level_z,
            ratio: prices.ratio,
            signal_z,
            withheld,
        },
    );
    // New plants run full (take-or-pay offtakes), so they learn whatever the quota does; but
    // only up to the whole market's need: output beyond all the demand outside China has no
    // buyer anywhere and teaches nothing, so overbuilding cannot buy cheaper tonnes.
    st.new_output += new_capacity.mn(gross) * dt;

    Flows {
        demand,
        recycled: c.recycled,
        non_china: c.non_china,
        exports: c.exports,
        smuggled: c.leakage,
        cap,
        licensing: regime.licensing_share,
        to_stock: paid.to_stock,
        draw: paid.draw,
        destroyed: c.destroyed,
        shortfall: c.unmet,
        met: c.consumed,
        chinese_used: origin.chinese_used + dependency_gap,
        chinese_processed_used: origin.chinese_used + dependency_gap + origin.processed_used,
        market_price: prices.market,
        china_price,
        use_cost: paid.use_cost,
        spend: paid.spend,
        lost_value,
        capacity,
        stock: st.stock,
        capex_spent: pipe.spent(clock.end),
        substitution: st.substitution,
        gross,
        weight: gross * china_price,
    }
}

/// A quota's tonnage for the step: its share of the pre-control export path in the month it
/// was set, averaged over the step's capped months (MODEL.md, section 5).
#[inline(always)]
fn quota_tonnes(
    regime: RegimeStep,
    months: &[RegimeMonth],
    path_for: &impl Fn(&RegimeMonth) -> f64,
) -> f64 {
    match months {
        [month] => regime.cap_factor * path_for(month),
        _ => {
            let (mut tonnes, mut n) = (0.0, 0.0);
            for month in months.iter().filter(|m| !m.uncapped) {
                tonnes += month.cap_factor * path_for(month);
                n += 1.0;
            }
            if n > 0.0 { tonnes / n } else { 0.0 }
        }
    }
}

/// China's own price above the one the file names (`china_price`, the price buyers'
/// products were designed around) prices out demand outside China like a premium over it
/// does: buyers answer what a tonne costs. In 2011 China's domestic prices rose tenfold and
/// the export premium over them shrank (MODEL.md, section 7). Only a price path can move
/// China's price, so runs without one are unchanged.
#[inline(always)]
fn price_level_z(china_price: f64, file_price: f64) -> f64 {
    if china_price > file_price && file_price > 0.0 {
        (china_price / file_price).ln()
    } else {
        0.0
    }
}

/// The step's supply before China's exports, t/yr.
#[derive(Clone, Copy)]
struct Supply {
    /// Demand after substitution.
    demand: f64,
    /// Recycled material.
    recycled: f64,
    /// Non-China primary output on offer.
    non_china: f64,
}

/// What buyers bring to the market (MODEL.md, section 7): demand, the supply that answers the
/// price, and the stock they want. The cap is left open; [`export_cap`] sets it.
#[inline(always)]
fn buyers_offer(
    a: &Inputs,
    st: &State,
    clock: &Clock,
    regime: RegimeStep,
    signal_z: f64,
    level_z: f64,
    supply: Supply,
) -> Offer {
    // Stock buyers want: safety stock (less when supply is stable), more while prices climb
    // above their recent average and less while they fall, plus the strategic stockpile.
    // Buyers hoard while the controls tighten and while the spot climbs (its 3-month average
    // above its 6-month one), and destock while either eases: known only from past steps,
    // so the response amplifies a spike without feeding back within a step.
    let momentum = (signal_z - st.signal_trend + st.z_trend - st.z_slow).cl(-1.0, 1.0);
    let behavioural_months = (a.safety_months * (1.0 - a.stable_cut * (1.0 - regime.risk))
        + a.hoarding_months * momentum)
        .mx(0.0);
    let month_of_demand = supply.demand * (1.0 / 12.0);
    Offer {
        underlying: supply.demand,
        level_z,
        recycled: supply.recycled,
        non_china: supply.non_china,
        leakage: st.leakage,
        cap: f64::INFINITY,
        stock: st.stock,
        behavioural_target: month_of_demand * behavioural_months,
        // Buyers judge the whole price against its recent level: a rise of China's own
        // price above its recent level is a price to draw stock against rather than buy into.
        reference_z: st.z_trend + st.level_trend - level_z,
        strategic_target: month_of_demand * a.stockpile_months,
        adjust_years: a.refill_years.mx(clock.years),
        elasticity: a.elasticity,
        choke: a.choke,
        duty_z: regime.duty_z,
    }
}

/// China's cap on legal exports for the step, t/yr (MODEL.md, section 5); infinite when no
/// month of the step is capped.
#[inline(always)]
fn export_cap(
    offer: &Offer,
    regime: RegimeStep,
    months: &[RegimeMonth],
    path_for: &impl Fn(&RegimeMonth) -> f64,
) -> f64 {
    if regime.uncapped_share >= 1.0 {
        return f64::INFINITY;
    }
    // Uncapped months ship what buyers ask at China's export price. Licensing without a
    // quota is friction on that flow, not a tonnage: it lets through its release share of
    // what buyers ask, restocking included, so buyers rebuild what they drew as licences
    // flow. (Bounded by the pre-control path instead, the 2025 export months fit the record
    // but the spot outside China stays at 5-6x China's price into 2026, against the record's
    // 1.3-1.6x: MODEL.md, section 12.) A quota caps at its tonnage.
    let licensing_only = months
        .iter()
        .any(|m| !m.uncapped && m.reference_growth == 0.0);
    let asked = if regime.uncapped_share > 0.0 || licensing_only {
        clear(offer).exports
    } else {
        0.0
    };
    let mut tonnes = 0.0;
    for m in months {
        tonnes += if m.uncapped {
            asked
        } else if m.reference_growth > 0.0 {
            m.cap_factor * path_for(m)
        } else {
            m.cap_factor * asked
        };
    }
    tonnes / months.len().max(1) as f64
}

/// The step's prices (MODEL.md, section 8): the clearing price, then the expected (or drawn)
/// one-month spikes of a controlled market on top; the contract blend most buyers pay; and
/// new plants' offtake price.
#[inline(always)]
fn step_prices(
    a: &Inputs,
    st: &State,
    clock: &Clock,
    regime: RegimeStep,
    c: &Cleared,
    china_price: f64,
) -> StepPrices {
    let spikes = 1.0 + clock.spike.unwrap_or(a.spike_markup) * regime.risk;
    let ratio = if c.z > 0.0 { c.z.exp() } else { 1.0 };
    let market = china_price * ratio * spikes;
    // (1 + new / base)^exponent as exp(exponent x ln(...)): fewer instructions than powf.
    let learning = if st.new_output > 0.0 {
        (a.learning_exponent * (1.0 + st.new_output * st.inverse_learning_base).ln()).exp()
    } else {
        1.0
    };
    let non_china_cost = st.non_china_cost * learning;
    // Contracts buy at China's export price (its domestic price plus any export duty), the
    // rest at the spot: that is the market price outside China, and China's legal exports,
    // existing non-China output and recycled material all sell at it. New plants funded by
    // the scenario's capex sell their output under an offtake at their cost after learning
    // (the floor) or the market price when that is higher: a premium in calm years, a payoff
    // in a cut.
    let k = a.contract_share;
    let contract = china_price * (1.0 + regime.duty);
    let market_blend = k * contract + (1.0 - k) * market;
    StepPrices {
        china: china_price,
        market,
        market_blend,
        offtake: non_china_cost.mx(market_blend),
        ratio,
        spikes,
    }
}

/// What buyers bought in the step, by vintage (MODEL.md, section 8).
struct Purchases {
    /// New plants' output bought under offtake, t/yr.
    new_used: f64,
    /// Existing non-China output bought, t/yr.
    existing_used: f64,
    /// What it all cost, $/yr.
    cost: f64,
    /// Its average price, $/kg.
    average_price: f64,
}

/// Supply by vintage: exports, existing non-China output and recycled material at the market
/// blend, new plants' output at the offtake price, leakage at the spot only.
#[inline(always)]
fn purchases(c: &Cleared, p: &StepPrices, new_capacity: f64) -> Purchases {
    let new_used = new_capacity.mn(c.non_china);
    let existing_used = c.non_china - new_used;
    let bought = c.recycled + c.non_china + c.leakage + c.exports;
    let cost = KG_PER_TONNE
        * ((c.exports + existing_used + c.recycled) * p.market_blend
            + new_used * p.offtake
            + c.leakage * p.market);
    Purchases {
        new_used,
        existing_used,
        cost,
        average_price: if bought > 0.0 { cost / bought } else { 0.0 },
    }
}

/// Consumption, stock and spend of the step.
struct StockAndSpend {
    /// Cost of the material consumed, $/yr (draws at what buying them again costs).
    use_cost: f64,
    /// What stock added costs (negative: the book value drawn), $/yr.
    stock_cost: f64,
    /// Stock drawn and stock added, t/yr.
    draw: f64,
    to_stock: f64,
    /// Everything paid, $/yr: purchases, the markup on stock bought under uncertainty,
    /// carrying cost and the premium of unsold offtake.
    spend: f64,
}

/// Stock is bought at the step's average price with the markup of buying under uncertainty,
/// and drawn at what buying it again under contract costs today (MODEL.md, section 8).
#[inline(always)]
fn stock_and_spend(
    a: &Inputs,
    st: &State,
    c: &Cleared,
    p: &StepPrices,
    bought: &Purchases,
    new_capacity: f64,
    risk: f64,
) -> StockAndSpend {
    let markup = 1.0 + a.uncertainty_markup * risk;
    let (use_cost, stock_cost, draw, to_stock) = if c.stock_flow >= 0.0 {
        let to_stock = c.stock_flow;
        (
            bought.cost - to_stock * bought.average_price,
            to_stock * bought.average_price * markup,
            0.0,
            to_stock,
        )
    } else {
        // The cost of what is consumed does not depend on when the stock was bought.
        let draw = -c.stock_flow;
        let book = if st.stock > 0.0 {
            st.stock_book / st.stock
        } else {
            0.0
        };
        (
            bought.cost + draw * KG_PER_TONNE * p.market_blend,
            -draw * book,
            draw,
            0.0,
        )
    };
    let carrying = st.stock_book * a.carrying_rate;
    // Offtakes are take-or-pay: new plants run full and buyers pay the offtake price for all
    // of it. What the market outside China does not take has no buyer there and is resold at
    // China's price (the one market always open to it), so overbuilt capacity costs its
    // premium over China's price on every unsold tonne, whatever the controls do.
    let unsold_premium =
        (new_capacity - bought.new_used).mx(0.0) * (p.offtake - p.china).mx(0.0) * KG_PER_TONNE;
    StockAndSpend {
        use_cost,
        stock_cost,
        draw,
        to_stock,
        spend: bought.cost
            + to_stock * bought.average_price * (markup - 1.0)
            + carrying
            + unsold_premium,
    }
}

/// The controls' own price signal `z`: how far the cap alone would lift the price if buyers
/// had no stock, no leakage, no recycling or substitution and no new plants. It depends on the
/// policy and underlying demand only, never on what buyers do, so the responses that answer it
/// cannot feed back on themselves: recycling and substitution programmes are planned against
/// it (at most a fivefold price), and buyers hoard while it rises and destock while it falls
/// (MODEL.md, sections 3 and 7). Month by month, so a yearly step carries the mean signal of
/// its months rather than the signal of their mean cap.
#[inline(always)]
fn controls_signal(
    a: &Inputs,
    st: &State,
    regime: RegimeStep,
    months: &[RegimeMonth],
    gross: f64,
    path_for: &impl Fn(&RegimeMonth) -> f64,
) -> f64 {
    let mut signal_z = 0.0;
    // Without stock or other responses the clearing is one line: gross x (1 - e z) =
    // existing + cap.
    let signal_cap = a.choke.mn(SIGNAL_Z_MAX);
    // Months without a cap add nothing, so an uncapped step skips the division.
    if regime.uncapped_share < 1.0 && gross > 0.0 {
        let per_gap = a.inverse_elasticity / gross;
        for month in months.iter().filter(|m| !m.uncapped) {
            let gap = gross - st.existing - month.cap_factor * path_for(month);
            signal_z += (gap * per_gap).cl(0.0, signal_cap);
        }
    }
    if months.len() > 1 {
        signal_z /= months.len() as f64;
    }
    signal_z
}

/// Where the step's consumption came from, t/yr.
struct Origin {
    /// Consumption of Chinese origin (exports, leakage, stock of Chinese origin drawn).
    chinese_used: f64,
    /// Chinese-origin tonnes into stock (negative when drawn).
    chinese_to_stock: f64,
    /// Existing non-China output consumed that is still processed in China.
    processed_used: f64,
}

/// Origin (MODEL.md, section 9). Consumption takes recycled and non-China material first,
/// then China's current flows; what China ships beyond that goes into stock, so stock carries
/// the origin it was bought with, and a draw counts by the origin of the stock. Dependency is
/// the share of demand that non-Chinese material does not cover: Chinese-origin consumption
/// (leakage included) plus demand priced out or unmet, so it never falls because China ships
/// less.
#[inline(always)]
fn origin(
    st: &State,
    c: &Cleared,
    draw: f64,
    to_stock: f64,
    new_used: f64,
    existing_used: f64,
) -> Origin {
    let chinese_bought = c.exports + c.leakage;
    let stock_chinese_share = if st.stock > 0.0 {
        (st.stock_chinese / st.stock).cl(0.0, 1.0)
    } else {
        0.0
    };
    let (non_chinese_used, chinese_to_stock) = if draw > 0.0 {
        (
            (c.recycled + c.non_china + draw * (1.0 - stock_chinese_share)).mn(c.consumed),
            -draw * stock_chinese_share,
        )
    } else {
        let non_chinese_used = (c.recycled + c.non_china).mn(c.consumed);
        let chinese_used = (c.consumed - non_chinese_used).mx(0.0);
        (
            non_chinese_used,
            (chinese_bought - chinese_used).mx(0.0).mn(to_stock),
        )
    };
    // Existing non-China output still processed in China counts for processing dependency.
    let existing_consumed = (non_chinese_used - c.recycled - new_used).mx(0.0);
    Origin {
        chinese_used: (c.consumed - non_chinese_used).mx(0.0),
        chinese_to_stock,
        processed_used: existing_consumed.mn(existing_used) * st.processed_in_china,
    }
}

/// What the step's market showed the responses that build over months.
struct Seen {
    /// The clearing `z = ln(spot / China's price)`.
    z: f64,
    /// `ln(China's price / the file's China price)` when a price path lifts it, else 0.
    level_z: f64,
    /// The spot over China's price, spikes left out: `e^z`, at least 1.
    ratio: f64,
    /// The controls' own price signal (see `step_material`).
    signal_z: f64,
    /// What the quota withholds from the pre-control path, t/yr.
    withheld: f64,
}

/// The responses that answer prices with lags (MODEL.md, sections 3, 4 and 6): substitution
/// and recycling follow the premium seen over the past year, leakage the premium on what the
/// quota withholds, restarts the premium now; the trailing averages move on.
#[inline(always)]
fn respond(st: &mut State, a: &Inputs, clock: &Clock, seen: Seen) {
    let premium_now = seen.ratio - 1.0;
    // Substitution, thrifting and recycling answer the premium buyers have seen over the
    // past year (at most a fivefold price: beyond it a price is not expected to last), not
    // the existence of controls: a quota that stops binding stops driving them.
    // China's own price level counts too: thrifting answers what a tonne costs.
    st.z_year += (seen.z + seen.level_z - st.z_year) * clock.year_follow;
    let seen_premium = if st.z_year > 0.0 {
        st.z_year.mn(SIGNAL_Z_MAX).exp() - 1.0
    } else {
        0.0
    };
    let sub_target = (a.substitution_response * seen_premium).mn(a.substitution_max);
    let follow = if sub_target >= st.substitution {
        clock.substitution_follow
    } else {
        clock.unwind_follow
    };
    st.substitution += (sub_target - st.substitution) * follow;
    let rec_target = (a.recycling_share + a.recycling_response * seen_premium).mn(0.9);
    st.recycling += (rec_target - st.recycling) * clock.recycling_follow;
    // Leakage answers the premium on what the quota withholds, bounded; networks take months.
    let leak_target = if premium_now > 0.0 && seen.withheld > 0.0 {
        a.leakage * seen.withheld * premium_now / (premium_now + a.smuggling_premium)
    } else {
        0.0
    };
    st.leakage += (leak_target - st.leakage) * clock.leakage_follow;
    let headroom_target = a.headroom * premium_now.mn(1.0);
    st.headroom += (headroom_target - st.headroom) * clock.restart_follow;
    st.z_trend += (seen.z - st.z_trend) * clock.trend_follow;
    st.z_slow += (seen.z - st.z_slow) * clock.slow_trend_follow;
    st.level_trend += (seen.level_z - st.level_trend) * clock.trend_follow;
    st.signal_trend += (seen.signal_z - st.signal_trend) * clock.trend_follow;
}

/// The step's prices, $/kg unless said.
struct StepPrices {
    /// China's domestic price.
    china: f64,
    /// The spot outside China, spikes included.
    market: f64,
    /// New plants' offtake price: their cost after learning, or the market blend if higher.
    offtake: f64,
    /// What most buyers pay: the contract share at China's export price, the rest at the spot.
    market_blend: f64,
    /// The spot over China's price without spikes, at least 1.
    ratio: f64,
    /// The expected spike factor on the spot, at least 1.
    spikes: f64,
}

/// What buyers lose by not consuming, $/yr (MODEL.md, section 9). A substituted tonne costs
/// what its substitute does: China's price plus half the premium that made buyers switch (the
/// premium their substitution share answers), and never less than buying the tonne at today's
/// market price, so going without is never cheaper than buying. It does not follow what the
/// tonnes actually bought cost, so more supply bought at a high spot never makes the tonnes
/// already substituted look dearer.
#[inline(always)]
fn lost_value(a: &Inputs, substitution: f64, substituted: f64, c: &Cleared, p: &StepPrices) -> f64 {
    let substitute_value = if substituted > 0.0 {
        let switch =
            (1.0 + 0.5 * substitution * a.inverse_substitution_response).mn(a.choke_multiple);
        let market = if p.china > 0.0 {
            p.market_blend / p.china
        } else {
            1.0
        };
        substituted * switch.mx(market)
    } else {
        0.0
    };
    // A tonne priced out is valued at the spot that priced it out: what buying it would have
    // cost. Valued lower, a tonne of leakage given up (bought at the spot) would read as a
    // saving, and removing supply would lower the cost a buyer reads. Destroyed and unmet
    // tonnes are valued at the month's prices, spikes included, like the tonnes bought: a cut
    // never makes going without cheaper than buying.
    KG_PER_TONNE
        * p.china
        * (substitute_value + (c.destroyed * p.ratio + c.unmet * a.choke_multiple) * p.spikes)
}

fn share(part: f64, whole: f64) -> f64 {
    // Most steps have no shortfall: no division for a zero part.
    if whole > 0.0 && part != 0.0 {
        (part / whole).cl(0.0, 1.0)
    } else {
        0.0
    }
}

/// The $/kg and shares of one material's step: divisions are the slow part of a step, so
/// each is done once for the sink and the totals.
#[derive(Clone, Copy, Default)]
pub(crate) struct Ratios {
    cost_per_kg: f64,
    procurement_per_kg: f64,
    dependency: f64,
    processing_dependency: f64,
    shortfall_share: f64,
}

impl Ratios {
    /// `detailed`: false when nobody reads the processing dependency.
    #[inline(always)]
    fn of(f: &Flows, detailed: bool) -> Self {
        let per_met = if f.met > 0.0 { 1.0 / f.met } else { 0.0 };
        let per_demand = if f.demand > 0.0 { 1.0 / f.demand } else { 0.0 };
        let of_demand = |part: f64| (part * per_demand).cl(0.0, 1.0);
        let procurement_per_kg = if f.met > 0.0 {
            f.use_cost * per_met * (1.0 / KG_PER_TONNE)
        } else {
            // Nothing delivered: the price of what is not there.
            f.market_price
        };
        Self {
            // Every kilogram of underlying need is bought, substituted, priced out or unmet;
            // the cost of supply values each at what it cost or was worth.
            cost_per_kg: if f.gross > 0.0 {
                (f.use_cost + f.lost_value) / (f.gross * KG_PER_TONNE)
            } else {
                procurement_per_kg
            },
            procurement_per_kg,
            dependency: of_demand(f.chinese_used),
            processing_dependency: if detailed {
                of_demand(f.chinese_processed_used)
            } else {
                0.0
            },
            shortfall_share: share(f.shortfall, f.demand),
        }
    }
}

impl Flows {
    /// Writes this step's value of every series.
    #[inline(always)]
    fn fill_row(&self, r: &Ratios, row: &mut Row) {
        let mut put = |id: SeriesId, value| row[id as usize] = value;
        put(SeriesId::Cost, r.cost_per_kg);
        put(SeriesId::ProcurementCost, r.procurement_per_kg);
        put(SeriesId::Spend, self.spend);
        put(SeriesId::MarketPrice, self.market_price);
        put(SeriesId::ChinaPrice, self.china_price);
        put(SeriesId::Dependency, r.dependency);
        put(SeriesId::ProcessingDependency, r.processing_dependency);
        put(SeriesId::Demand, self.demand);
        put(SeriesId::Met, self.met);
        put(SeriesId::Destroyed, self.destroyed);
        put(SeriesId::Shortfall, self.shortfall);
        put(SeriesId::ShortfallShare, r.shortfall_share);
        put(SeriesId::ChinaExports, self.exports);
        put(SeriesId::QuotaCap, self.cap);
        put(SeriesId::Smuggled, self.smuggled);
        put(SeriesId::NonChinaSupply, self.non_china);
        put(SeriesId::Recycled, self.recycled);
        put(SeriesId::StockDraw, self.draw);
        put(SeriesId::StockIn, self.to_stock);
        put(SeriesId::NonChinaCapacity, self.capacity);
        put(SeriesId::Stockpile, self.stock);
        put(SeriesId::CumulativeCapex, self.capex_spent);
        put(SeriesId::Substitution, self.substitution);
        put(SeriesId::LostValue, self.lost_value);
    }
}

/// Sums over materials. Prices ($/kg) are averaged over the basket's underlying tonnes and
/// shares over its underlying spend (demand before substitution at China's price): fixed
/// weights, so the aggregate moves only when a material's own figure moves.
#[derive(Default)]
pub(crate) struct Totals {
    sum: Flows,
    tonnes: f64,
    cost: f64,
    procurement: f64,
    market: f64,
    china: f64,
    dependency: f64,
    processing: f64,
    shortfall_share: f64,
    substitution: f64,
}

impl Totals {
    fn add(&mut self, f: &Flows, r: &Ratios) {
        let t = &mut self.sum;
        t.demand += f.demand;
        t.recycled += f.recycled;
        t.non_china += f.non_china;
        t.exports += f.exports;
        t.smuggled += f.smuggled;
        t.cap += f.cap;
        t.to_stock += f.to_stock;
        t.draw += f.draw;
        t.destroyed += f.destroyed;
        t.shortfall += f.shortfall;
        t.met += f.met;
        t.spend += f.spend;
        t.lost_value += f.lost_value;
        t.capacity += f.capacity;
        t.stock += f.stock;
        t.capex_spent += f.capex_spent;
        t.weight += f.weight;
        self.tonnes += f.gross;
        self.cost += f.gross * r.cost_per_kg;
        self.procurement += f.gross * r.procurement_per_kg;
        self.market += f.gross * f.market_price;
        self.china += f.gross * f.china_price;
        self.dependency += f.weight * r.dependency;
        self.processing += f.weight * r.processing_dependency;
        self.shortfall_share += f.weight * r.shortfall_share;
        self.substitution += f.weight * f.substitution;
    }

    /// Only what `cost_per_kg`, `dependency`, `shortfall_share` and `shortfall_tonnes` read.
    fn add_headline(&mut self, f: &Flows, r: &Ratios) {
        self.sum.weight += f.weight;
        self.sum.shortfall += f.shortfall;
        self.tonnes += f.gross;
        self.cost += f.gross * r.cost_per_kg;
        self.dependency += f.weight * r.dependency;
        self.shortfall_share += f.weight * r.shortfall_share;
    }

    // One division per weight, then products: divisions are the slow part of a step. The
    // full results and the uncertainty paths both go through these, so they agree exactly.
    fn per_weight(&self) -> f64 {
        if self.sum.weight > 0.0 {
            1.0 / self.sum.weight
        } else {
            0.0
        }
    }

    fn per_tonne(&self) -> f64 {
        if self.tonnes > 0.0 {
            1.0 / self.tonnes
        } else {
            0.0
        }
    }

    pub(crate) fn cost_per_kg(&self) -> f64 {
        self.cost * self.per_tonne()
    }

    pub(crate) fn dependency(&self) -> f64 {
        self.dependency * self.per_weight()
    }

    pub(crate) fn shortfall_tonnes(&self) -> f64 {
        self.sum.shortfall
    }

    pub(crate) fn shortfall_share(&self) -> f64 {
        self.shortfall_share * self.per_weight()
    }

    /// Writes this step's aggregate value of every series.
    fn fill_row(&self, row: &mut Row) {
        let mut push = |id: SeriesId, value| row[id as usize] = value;
        let t = &self.sum;
        let per_weight = self.per_weight();
        let w = |x: f64| x * per_weight;
        let inverse_tonnes = self.per_tonne();
        let per_tonne = |x: f64| x * inverse_tonnes;
        push(SeriesId::Cost, per_tonne(self.cost));
        push(SeriesId::ProcurementCost, per_tonne(self.procurement));
        push(SeriesId::Spend, t.spend);
        push(SeriesId::MarketPrice, per_tonne(self.market));
        push(SeriesId::ChinaPrice, per_tonne(self.china));
        push(SeriesId::Dependency, w(self.dependency));
        push(SeriesId::ProcessingDependency, w(self.processing));
        push(SeriesId::Demand, t.demand);
        push(SeriesId::Met, t.met);
        push(SeriesId::Destroyed, t.destroyed);
        push(SeriesId::Shortfall, t.shortfall);
        push(SeriesId::ShortfallShare, w(self.shortfall_share));
        push(SeriesId::ChinaExports, t.exports);
        push(SeriesId::QuotaCap, t.cap);
        push(SeriesId::Smuggled, t.smuggled);
        push(SeriesId::NonChinaSupply, t.non_china);
        push(SeriesId::Recycled, t.recycled);
        push(SeriesId::StockDraw, t.draw);
        push(SeriesId::StockIn, t.to_stock);
        push(SeriesId::NonChinaCapacity, t.capacity);
        push(SeriesId::Stockpile, t.stock);
        push(SeriesId::CumulativeCapex, t.capex_spent);
        push(SeriesId::Substitution, w(self.substitution));
        push(SeriesId::LostValue, t.lost_value);
    }
}

/// The first step that ends after the decision month.
fn decision_step(r: &Results, a: &Inputs) -> usize {
    r.dates
        .iter()
        .position(|d| r.dates[0].months_until(*d) as f64 + r.step_months > a.decision_month)
        .unwrap_or(r.dates.len())
}

fn headline(r: &Results, a: &Inputs) -> Headline {
    let years = r.step_months / 12.0;
    // Peaks count from the decision date (the quota lever's first month): what happened
    // before it is the record, the same for every strategy.
    let from = r.decision_step;
    let peak_of = |id: SeriesId| {
        r.total.get(id)[from..]
            .iter()
            .copied()
            .enumerate()
            .fold((None, 0.0), |(bi, bv), (i, v)| {
                if v > bv {
                    (Some(i + from), v)
                } else {
                    (bi, bv)
                }
            })
    };
    let (peak_index, peak) = peak_of(SeriesId::Cost);
    let (spot_index, spot) = peak_of(SeriesId::MarketPrice);
    let dependency = r.total.get(SeriesId::Dependency);
    // A crisis month in which China ships little also shows a low share of Chinese supply;
    // the headline wants the lasting shift, so dependency must stay below the threshold for a
    // year (or to the horizon's end).
    let year = (12.0 / r.step_months).ceil().max(1.0) as usize;
    let below = (0..dependency.len())
        .find(|&i| {
            dependency[i..(i + year).min(dependency.len())]
                .iter()
                .all(|&d| d < a.dependency_threshold)
        })
        .map(|i| r.dates[i]);
    let months_of_shortfall = r
        .total
        .get(SeriesId::ShortfallShare)
        .iter()
        .filter(|&&s| s > a.shortfall_threshold)
        .count() as f64
        * r.step_months;
    Headline {
        peak_cost_usd_per_kg: peak,
        peak_cost_date: peak_index.map(|i| r.dates[i]),
        peak_spot_usd_per_kg: spot,
        peak_spot_date: spot_index.map(|i| r.dates[i]),
        demand_destroyed_t: r.total.get(SeriesId::Destroyed).iter().sum::<f64>() * years,
        lost_value_usd: r.total.get(SeriesId::LostValue).iter().sum::<f64>() * years,
        total_spend_usd: r.total.get(SeriesId::Spend).iter().sum::<f64>() * years,
        dependency_below_threshold: below,
        dependency_threshold: a.dependency_threshold,
        months_of_shortfall,
        shortfall_threshold: a.shortfall_threshold,
        final_dependency: dependency.last().copied().unwrap_or(0.0),
        total_capex_usd: r
            .total
            .get(SeriesId::CumulativeCapex)
            .last()
            .copied()
            .unwrap_or(0.0),
        strategy_cost_usd: strategy_cost(r),
    }
}

/// Spend plus lost value plus capex over the horizon, less the value of stock added and still
/// held: the cost of the strategy (MODEL.md, section 9).
fn strategy_cost(r: &Results) -> f64 {
    let years = r.step_months / 12.0;
    let steps = r.dates.len();
    if steps == 0 {
        return 0.0;
    }
    let flows: f64 = r
        .total
        .get(SeriesId::Spend)
        .iter()
        .zip(r.total.get(SeriesId::LostValue))
        .map(|(s, l)| s + l)
        .sum::<f64>()
        * years;
    flows + r.capex_spent_over(0, steps - 1) - (r.stock_value(steps - 1) - r.stock_value(0))
}

impl Results {
    /// An empty result, ready for [`simulate_into`].
    pub fn empty() -> Self {
        Results {
            dates: Vec::new(),
            time: Vec::new(),
            step_months: 1.0,
            materials: Vec::new(),
            total: SeriesSet::default(),
            headline: Headline::default(),
            decision_step: 0,
            staged: Staged::default(),
        }
    }

    fn reset(&mut self, materials: &[Material], steps: usize, step_months: f64) {
        self.dates.clear();
        self.dates.reserve(steps);
        self.time.clear();
        self.time.reserve(steps);
        self.step_months = step_months;
        self.materials.truncate(materials.len());
        for (i, m) in materials.iter().enumerate() {
            if let Some(existing) = self.materials.get_mut(i) {
                existing.id.clone_from(&m.id);
                existing.name.clone_from(&m.name);
            } else {
                self.materials.push(MaterialResults {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    series: SeriesSet::default(),
                    licensing: Vec::new(),
                });
            }
        }
        for m in &mut self.materials {
            m.series.prepare(steps);
            m.licensing.clear();
            m.licensing.reserve(steps);
        }
        self.total.prepare(steps);
        // One block of rows per material and one for the aggregate.
        let staged = &mut self.staged;
        staged.first = 0;
        staged.filled = 0;
        staged
            .rows
            .resize((materials.len() + 1) * Staged::BLOCK, [0.0; SERIES]);
    }

    /// Writes the staged rows into the series and empties the stage.
    fn write_staged(&mut self) {
        let staged = &mut self.staged;
        let mut sets = staged.rows.chunks_exact(Staged::BLOCK);
        let filled = staged.filled.min(Staged::BLOCK);
        for (m, rows) in self.materials.iter_mut().zip(&mut sets) {
            m.series.fill_block(staged.first, &rows[..filled]);
        }
        if let Some(rows) = sets.next() {
            self.total.fill_block(staged.first, &rows[..filled]);
        }
        staged.first += filled;
        staged.filled = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signal_bound_is_a_fivefold_price() {
        assert!((SIGNAL_Z_MAX - SIGNAL_PREMIUM_MAX.ln_1p()).abs() < 1e-15);
    }

    /// MODEL.md, "Capacity pipeline": $1 B/yr, 75 % to NdPr at $110 k per t/yr, spent from
    /// 2025-07 (month 18) for 5 years, 5 + 2 years of lead time, 3-year ramp-up.
    #[test]
    fn pipeline_matches_the_worked_example() {
        let s = Scenario::default();
        let p = Pipeline::new(&s, &s.materials[0]);
        let rate = 1e9 / 12.0 * 0.75 / 110_000.0;
        assert!((p.nameplate_per_month - rate).abs() < 1e-9);
        assert!((rate - 568.18).abs() < 0.01);
        assert_eq!(p.online(102.0), 0.0, "nothing before 2032-07");
        let a_year_on = rate * (12.0 - 36.0 * (1.0 - (-12.0f64 / 36.0).exp()));
        assert!((p.online(114.0) - a_year_on).abs() < 1e-3);
        assert!((a_year_on - 1_019.95).abs() < 0.01);
        // Long after the last commitment completes, the full nameplate runs.
        assert!((p.online(1_000.0) - rate * 60.0).abs() < 1e-3);
        assert!((p.spent(18.0 + 60.0) - 0.75e9 * 5.0).abs() < 1e-3);
    }
}
