//! The export regime month by month: which quota level is in force, how much of it licensing
//! lets through, and how uncertain buyers feel. It depends only on the policy timeline and the
//! headline quota lever, never on the market, so it is computed once per run at monthly
//! resolution and averaged over each simulation step.

use super::params::{Material, Scenario};

/// Time constant (months) with which buyers' sense of risk rises once controls are in force.
pub const RISK_RISE_MONTHS: f64 = 1.0;
/// Time constant (months) with which it fades after controls end: trust returns slowly.
pub const RISK_FADE_MONTHS: f64 = 12.0;

/// Shipments already declared when licensing begins still clear customs for this long (about
/// a fortnight: April 2025's exports were 45 % of the months before, May's 21 %).
pub const IN_TRANSIT_MONTHS: f64 = 0.5;

/// The regime of one month for one material.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RegimeMonth {
    /// True when no cap applies: quota level >= 100 % and no licensing.
    pub uncapped: bool,
    /// Export cap as a share of the pre-control export path (quota level x licence release).
    pub cap_factor: f64,
    /// Buyers' perceived supply risk, 0 (calm) to 1 (controls in force).
    pub risk: f64,
    /// Export duty on legal exports, share of China's price.
    pub duty: f64,
    /// `ln(1 + duty)`, kept beside it so the clearing, every step, needs no logarithm.
    pub duty_z: f64,
    /// True when every shipment needs an export licence (users refused licences get none).
    pub licensing: bool,
    /// Demand growth index (underlying demand over the horizon start's) of the month a quota
    /// below 100 % was set: the cap is that share of the export path of that month, a
    /// tonnage held until an event changes it. 0 when the cap follows today's path (no quota,
    /// or licensing alone).
    pub reference_growth: f64,
}

/// Averages of the regime over one simulation step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RegimeStep {
    /// Share of the step's months without a cap.
    pub uncapped_share: f64,
    /// Mean cap factor over the capped months (0 when every month is uncapped).
    pub cap_factor: f64,
    /// Mean perceived supply risk over the step, 0 (calm) to 1 (controls in force).
    pub risk: f64,
    /// Mean export duty over the step, share of China's price.
    pub duty: f64,
    /// `ln(1 + duty)`, what the market's clearing takes.
    pub duty_z: f64,
    /// Share of the step's months under export licensing.
    pub licensing_share: f64,
}

/// Share of a licensed quota released `months_on` months after licensing began: a two-stage
/// lag (application queue, then review) with mean delay `lag_months`, reaching `release`.
pub fn licence_release(months_on: f64, lag_months: f64, release: f64) -> f64 {
    if lag_months <= 0.0 || months_on == f64::INFINITY {
        return release;
    }
    let tau = lag_months / 2.0;
    let a = (months_on / tau).max(0.0);
    if a > 60.0 {
        // The transient is below 1e-24 of the release: settled.
        return release;
    }
    release * (1.0 - (1.0 + a) * (-a).exp())
}

/// Mean share released over months `from..to` of licensed shipping (months since licensing
/// began, shipments in transit included): the integral of [`licence_release`], so a month
/// carries what it ships over the month rather than its last day's rate.
pub fn licence_release_mean(from: f64, to: f64, lag_months: f64, release: f64) -> f64 {
    if to <= from {
        return if from < IN_TRANSIT_MONTHS {
            1.0
        } else {
            licence_release(from - IN_TRANSIT_MONTHS, lag_months, release)
        };
    }
    // In-transit months ship in full.
    let transit = (IN_TRANSIT_MONTHS.min(to) - from).max(0.0);
    let (a, b) = (
        (from - IN_TRANSIT_MONTHS).max(0.0),
        (to - IN_TRANSIT_MONTHS).max(0.0),
    );
    let licensed = if lag_months <= 0.0 {
        release * (b - a)
    } else {
        // The integral of 1 - (1 + x) e^-x is x - 2 + (2 + x) e^-x.
        let tau = lag_months / 2.0;
        let integral = |t: f64| {
            let x = (t / tau).min(700.0);
            x - 2.0 + (2.0 + x) * (-x).exp()
        };
        release * tau * (integral(b) - integral(a))
    };
    (transit + licensed) / (to - from)
}

/// Fills `out` with one [`RegimeMonth`] per month of the horizon for `material`.
/// `out` is cleared first; its capacity is reused.
pub fn monthly_regime(scenario: &Scenario, material: &Material, out: &mut Vec<RegimeMonth>) {
    out.clear();
    let start = scenario.horizon.start;
    let months = scenario.horizon.months();
    let a = &scenario.assumptions;
    let levers = &scenario.levers;

    // Events are applied in date order; files may list them in any order. Dates become month
    // indices from the horizon start once, so the monthly loop compares integers.
    let mut events: Vec<(i64, usize)> = (0..scenario.events.len())
        .filter(|&i| {
            let e = &scenario.events[i];
            e.in_central_run() && e.applies_to(&material.id)
        })
        .map(|i| (start.months_until(scenario.events[i].date), i))
        .collect();
    events.sort_by_key(|&(month, _)| month);
    let headline_from = start.months_until(levers.quota_from);
    let headline = levers.quota_level.0.max(0.0) * material.quota_share.0.max(0.0);
    let release_share = a.licensing_release.0.clamp(0.0, 1.0);

    let mut next_event = 0;
    let mut level = 1.0;
    let mut licensing = false;
    let mut duty = 0.0;
    // ln(1 + duty), taken when the duty changes rather than every month.
    let mut duty_z = 0.0;
    let mut licensing_since = 0.0_f64;
    // The month whose export path the quota in force was set against (events before the
    // horizon start count from its first month).
    let mut set_at = 0_i64;
    let g = a.demand_growth.0;
    let growth = 1.0
        + if g.is_finite() {
            g.clamp(-0.5, 1.0)
        } else {
            -0.5
        };
    // The growth index of `reference`, recomputed only when the reference month changes.
    let mut reference_index = (-1_i64, 0.0);
    let mut risk = 0.0_f64;
    let rise = 1.0 - (-1.0 / RISK_RISE_MONTHS).exp();
    let fade = 1.0 - (-1.0 / RISK_FADE_MONTHS).exp();

    for k in 0..months {
        let month = k as i64;
        while next_event < events.len() && events[next_event].0 <= month {
            let (at, index) = events[next_event];
            let e = &scenario.events[index];
            if e.licensing && !licensing {
                // A new licence-per-shipment regime starts with an empty approval pipeline.
                // Events before the horizon start count as long since settled.
                licensing_since = at as f64;
            }
            level = e.quota_level.0.max(0.0);
            licensing = e.licensing;
            duty = if e.export_duty.0.is_finite() {
                e.export_duty.0.clamp(0.0, 1.0)
            } else {
                0.0
            };
            duty_z = duty.ln_1p();
            set_at = at.max(0);
            next_event += 1;
        }
        let mut effective = level;
        let mut reference = set_at;
        if month >= headline_from {
            effective *= headline;
            reference = reference.max(headline_from);
        }
        let uncapped = effective >= 1.0 && !licensing;
        let release = if licensing {
            // The month's mean release; events before the horizon start count as long
            // since settled.
            if licensing_since < 0.0 {
                release_share
            } else {
                let from = k as f64 - licensing_since;
                licence_release_mean(from, from + 1.0, a.licensing_lag.0, release_share)
            }
        } else {
            1.0
        };
        let controlled = licensing || effective < 1.0;
        let target = if controlled { 1.0 } else { 0.0 };
        risk += (target - risk) * if controlled { rise } else { fade };
        out.push(RegimeMonth {
            uncapped,
            licensing,
            cap_factor: if uncapped { 1.0 } else { effective * release },
            risk,
            duty,
            duty_z,
            reference_growth: if effective < 1.0 {
                if reference_index.0 != reference {
                    // Mid-month of the month the quota was set, as the engine's demand.
                    reference_index = (reference, growth.powf((reference as f64 + 0.5) / 12.0));
                }
                reference_index.1
            } else {
                0.0
            },
        });
    }
}

/// Averages the months `first..first + len` of a monthly regime.
pub fn step_average(months: &[RegimeMonth], first: usize, len: usize) -> RegimeStep {
    // A monthly step is its month: no averaging to do.
    if len == 1
        && let Some(m) = months.get(first)
    {
        return RegimeStep {
            uncapped_share: if m.uncapped { 1.0 } else { 0.0 },
            cap_factor: if m.uncapped { 0.0 } else { m.cap_factor },
            risk: m.risk,
            duty: m.duty,
            duty_z: m.duty_z,
            licensing_share: if m.licensing { 1.0 } else { 0.0 },
        };
    }
    let slice = &months[first.min(months.len())..(first + len).min(months.len())];
    if slice.is_empty() {
        return RegimeStep {
            uncapped_share: 1.0,
            cap_factor: 0.0,
            risk: 0.0,
            duty: 0.0,
            duty_z: 0.0,
            licensing_share: 0.0,
        };
    }
    let n = slice.len() as f64;
    let mut uncapped = 0.0;
    let mut capped_factor = 0.0;
    let mut risk = 0.0;
    let mut duty = 0.0;
    let mut licensed = 0.0;
    for m in slice {
        duty += m.duty;
        licensed += f64::from(u8::from(m.licensing));
        if m.uncapped {
            uncapped += 1.0;
        } else {
            capped_factor += m.cap_factor;
        }
        risk += m.risk;
    }
    let capped = n - uncapped;
    RegimeStep {
        uncapped_share: uncapped / n,
        cap_factor: if capped > 0.0 {
            capped_factor / capped
        } else {
            0.0
        },
        risk: risk / n,
        duty: duty / n,
        duty_z: (duty / n).ln_1p(),
        licensing_share: licensed / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{PolicyEvent, Scenario};
    use crate::time::YearMonth;
    use crate::units::Share;

    #[test]
    fn licence_release_is_a_two_stage_lag() {
        // Worked in MODEL.md: lag 1.5 months (tau 0.75), release 97 %.
        let at = |m| licence_release(m, 1.5, 0.97);
        assert_eq!(at(0.0), 0.0);
        assert!((at(1.5) - 0.97 * (1.0 - 3.0 * (-2.0f64).exp())).abs() < 1e-12);
        assert!(at(1.0) < at(2.0) && at(2.0) < at(3.0));
        assert!((at(100.0) - 0.97).abs() < 1e-9);
        assert_eq!(licence_release(0.0, 0.0, 0.9), 0.9);
    }

    #[test]
    fn no_events_means_uncapped_and_calm() {
        let mut s = Scenario::default();
        s.events.clear();
        let mut out = Vec::new();
        monthly_regime(&s, &s.materials[0], &mut out);
        assert_eq!(out.len(), s.horizon.months());
        assert!(out.iter().all(|m| m.uncapped && m.risk == 0.0));
    }

    #[test]
    fn a_months_release_is_the_mean_of_its_days() {
        // Numerically: the mean of the point release (full while in transit) over the month.
        let point = |t: f64| {
            if t < IN_TRANSIT_MONTHS {
                1.0
            } else {
                licence_release(t - IN_TRANSIT_MONTHS, 2.1, 0.9)
            }
        };
        for k in 0..8 {
            let from = k as f64;
            let n = 20_000;
            let numeric = (0..n)
                .map(|i| point(from + (i as f64 + 0.5) / n as f64))
                .sum::<f64>()
                / n as f64;
            let exact = licence_release_mean(from, from + 1.0, 2.1, 0.9);
            assert!(
                (numeric - exact).abs() < 1e-6,
                "month {k}: {numeric} vs {exact}"
            );
        }
        assert!((licence_release_mean(100.0, 101.0, 2.1, 0.9) - 0.9).abs() < 1e-12);
        assert_eq!(licence_release_mean(3.0, 4.0, 0.0, 0.8), 0.8);
    }

    #[test]
    fn controls_cut_the_cap_then_licences_flow_again() {
        let s = Scenario {
            events: vec![PolicyEvent {
                date: YearMonth {
                    year: 2025,
                    month: 4,
                },
                quota_level: Share(1.0),
                licensing: true,
                ..PolicyEvent::default()
            }],
            ..Scenario::default()
        };
        let mut out = Vec::new();
        monthly_regime(&s, &s.materials[0], &mut out);
        let apr = 15; // 2025-04 is month 15 of a 2024-01 horizon
        assert!(out[apr - 1].uncapped);
        assert!(!out[apr].uncapped);
        assert!(
            out[apr].cap_factor > 0.5 && out[apr].cap_factor < 0.6,
            "the first fortnight's shipments in transit clear: {}",
            out[apr].cap_factor
        );
        assert!(out[apr + 1].cap_factor < 0.5);
        assert!(out[apr + 1].cap_factor < out[apr + 2].cap_factor);
        assert!(out[apr + 12].risk > 0.99);
    }

    /// MODEL.md, section 5: a 60 % quota set at the decision date 2026-01 keeps that
    /// month's tonnage; licensing alone follows today's path.
    #[test]
    fn an_unchanged_quota_keeps_its_tonnage() {
        let mut s = Scenario::default();
        s.levers.quota_level = Share(0.6);
        let ndpr = &s.materials[0];
        let mut out = Vec::new();
        monthly_regime(&s, ndpr, &mut out);
        let set = 24; // 2026-01
        let growth = 1.05f64.powf(24.5 / 12.0);
        for m in [set, set + 12, set + 120] {
            assert!(
                (out[m].reference_growth - growth).abs() < 1e-12,
                "month {m}"
            );
        }
        let cap = 0.6 * (ndpr.demand.0 * growth - ndpr.non_china_capacity.0);
        assert!((cap - 29_068.0).abs() < 0.5, "{cap}");
        // Before the decision date NdPr is under no control at all.
        assert!(out[set - 1].uncapped && out[set - 1].reference_growth == 0.0);
        // Dy is licensed from 2025-04 at 100 %: the cap follows today's path until the quota.
        let mut dy = Vec::new();
        monthly_regime(&s, &s.materials[1], &mut dy);
        assert!(!dy[20].uncapped && dy[20].reference_growth == 0.0);
        assert!(dy[set].reference_growth > 0.0);
    }
}
