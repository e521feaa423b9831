//! The market outside China in one step: the price rises until what buyers take (consumption
//! and stock) equals what is on offer (recycled, non-China, leakage and China's exports under
//! the cap). MODEL.md, section 7, gives the equations and a worked example.
//!
//! Every price response is linear in the log price ratio `z = ln(P / P_China)`, so the
//! clearing price has a closed form on each of the few linear pieces of the demand curve: one
//! `exp` per step, no iteration.

use super::fast::Fast;

/// Share of their behavioural stock buyers give up per unit of `z` above its recent level:
/// at twice the recent price (z 0.69 higher) they want 55 % less and draw it rather than buy
/// at a spike; at 3.5 times the recent price they hold none (the strategic stockpile stays).
/// Calibrated with the backtests (MODEL.md, section 7).
pub const STOCK_PRICE_RESPONSE: f64 = 0.8;

/// At China's price, buyers cover at most this share of consumption from stock.
pub const MAX_DESTOCK_SHARE: f64 = 0.25;

/// What one step's clearing needs, all flows in t/yr.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Offer {
    /// Demand after substitution (before any price response).
    pub underlying: f64,
    /// Supply that sells whatever the price: recycled, non-China output (with any headroom
    /// in use), leakage. Used in this order before China's legal exports.
    pub recycled: f64,
    /// Non-China output on offer, t/yr.
    pub non_china: f64,
    /// Leakage (smuggling, transshipment) on offer, t/yr.
    pub leakage: f64,
    /// China's legal exports on offer; `f64::INFINITY` when uncapped.
    pub cap: f64,
    /// `ln(1 + duty)`: China's legal exports pay an export duty, so they sell outside China
    /// at no less than China's price x (1 + duty); 0 without a duty.
    pub duty_z: f64,
    /// Stock held by buyers now, t.
    pub stock: f64,
    /// Behavioural stock buyers want when the price is at its recent level, t (safety stock
    /// with hoarding).
    pub behavioural_target: f64,
    /// The recent level of `z` (its trailing average): above it buyers draw stock, below it
    /// they buy more.
    pub reference_z: f64,
    /// Strategic stockpile target, t: policy, not price-sensitive, drawn only at the choke.
    pub strategic_target: f64,
    /// Years over which a stock gap is closed (at least the step length).
    pub adjust_years: f64,
    /// Short-run price elasticity of consumption per unit of `z` (semi-log).
    pub elasticity: f64,
    /// `ln(China's price / the price buyers' demand was set at)`, at least 0: consumption
    /// answers the whole price, `z + level_z`, so a rise of China's own price leaves less
    /// demand for the premium to ration.
    pub level_z: f64,
    /// Highest `z` buyers pay (ln of the value of lost output over China's price).
    pub choke: f64,
}

/// The cleared step.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cleared {
    /// ln(spot / China's price), 0 when China's exports meet all demand at its price.
    pub z: f64,
    /// Consumption met, t/yr.
    pub consumed: f64,
    /// Consumption given up because of the price, t/yr.
    pub destroyed: f64,
    /// Consumption unmet even at the choke price, t/yr.
    pub unmet: f64,
    /// Net flow into buyers' stock, t/yr (negative: drawn).
    pub stock_flow: f64,
    /// Recycled supply used, t/yr.
    pub recycled: f64,
    /// Non-China output used, t/yr.
    pub non_china: f64,
    /// Leakage used, t/yr.
    pub leakage: f64,
    /// China's legal exports, t/yr.
    pub exports: f64,
}

/// Clears one step. Finite, non-negative inputs give finite outputs with
/// `recycled + non_china + leakage + exports = consumed + stock_flow` and
/// `consumed + destroyed + unmet = underlying`.
// Inlined into the engine's step, so the offer and the cleared flows stay in registers.
#[inline(always)]
pub fn clear(o: &Offer) -> Cleared {
    let curve = Curve::of(o);
    if let Some(cleared) = curve.at_china_price() {
        return cleared;
    }
    if curve.taxed
        && let Some(cleared) = curve.at_or_below_duty()
    {
        return cleared;
    }
    curve.under_the_cap()
}

/// What buyers take as a function of `z` for one offer, with the offer's supply: the
/// demand curve the clearing solves on.
struct Curve<'a> {
    o: &'a Offer,
    inv_tau: f64,
    /// China's own price level, `ln(P_China / china_price)`, at least 0.
    level: f64,
    at_par_consumed: f64,
    /// Most stock buyers draw per year at China's price (negative): contracts keep
    /// deliveries coming while a surplus is worked off.
    floor_flow: f64,
    flow_at_par: f64,
    /// Supply that sells whatever the price: recycled, non-China output, leakage.
    others: f64,
    duty_z: f64,
    taxed: bool,
    /// How much consumption falls per unit of `z`.
    eu: f64,
    /// The recent level buyers measure the spot against, at most `choke - 1 / k`: nobody
    /// stocks up at the choke price.
    reference: f64,
    /// Where the strategic stockpile wants nothing: by 1 / k or by the choke, whichever is
    /// first.
    strategic_zero: f64,
    strategic_k: f64,
}

impl<'a> Curve<'a> {
    #[inline(always)]
    fn of(o: &'a Offer) -> Self {
        let k = STOCK_PRICE_RESPONSE;
        let inv_tau = 1.0 / o.adjust_years;
        let level = o.level_z.mx(0.0);
        let u = o.underlying;
        let at_par_consumed = (u * (1.0 - o.elasticity * level)).mx(0.0);
        // Stock covers at most a share of what is consumed at China's price, never more.
        let floor_flow = -MAX_DESTOCK_SHARE * at_par_consumed;
        // Behavioural stock wanted: the target up to the recent level, less above it, none
        // beyond `reference_z + 1 / k`.
        let target = o.behavioural_target + o.strategic_target;
        let flow_at_par = ((target - o.stock) * inv_tau).mx(floor_flow);
        // Legal exports are offered only from `duty_z` up: below it they cannot sell without
        // a loss, while leakage, which pays no duty, sells from China's price on.
        let duty_z = o.duty_z.cl(0.0, o.choke);
        let strategic_zero = (1.0 / k).mn(o.choke.mx(1e-9));
        Self {
            o,
            inv_tau,
            level,
            at_par_consumed,
            floor_flow,
            flow_at_par,
            others: o.recycled + o.non_china + o.leakage,
            duty_z,
            taxed: duty_z > 0.0,
            eu: o.elasticity * u,
            reference: o.reference_z.mn(o.choke - 1.0 / k),
            strategic_zero,
            strategic_k: 1.0 / strategic_zero,
        }
    }

    /// Consumption at a premium `z` over China's price: the whole price `z + level` rations
    /// it.
    #[inline(always)]
    fn consumption(&self, z: f64) -> f64 {
        (self.o.underlying * (1.0 - self.o.elasticity * (z + self.level))).mx(0.0)
    }

    /// What buyers take at `z` (consumption plus net stock flow): linear between the kinks
    /// where a stock target starts or stops shrinking, so the root is exact by
    /// interpolation.
    #[inline(always)]
    fn wanted(&self, z: f64) -> f64 {
        let o = self.o;
        let behavioural = (1.0 - STOCK_PRICE_RESPONSE * (z - self.reference)).cl(0.0, 1.0);
        let strategic = (1.0 - self.strategic_k * z).cl(0.0, 1.0);
        o.underlying * (1.0 - o.elasticity * (z + self.level))
            + (o.behavioural_target * behavioural + o.strategic_target * strategic - o.stock)
                * self.inv_tau
    }

    /// The z at which buyers take `supply`, at least 0; above the choke (or infinite) when
    /// they would pay more than their output is worth. The curve never rises with z, so the
    /// root lies between the highest kink still above supply and the lowest one at or below
    /// it, whatever order the kinks come in.
    #[inline(always)]
    fn root(&self, supply: f64) -> f64 {
        let w0 = self.wanted(0.0);
        if w0 <= supply {
            return 0.0;
        }
        let (mut lo, mut w_lo, mut hi, mut w_hi) = (0.0, w0, f64::INFINITY, 0.0);
        for kink in [
            self.reference.mx(0.0),
            (self.reference + 1.0 / STOCK_PRICE_RESPONSE).mx(0.0),
            self.strategic_zero,
            self.o.choke.mx(0.0),
        ] {
            let w = self.wanted(kink);
            if w > supply {
                if kink > lo {
                    (lo, w_lo) = (kink, w);
                }
            } else if kink < hi {
                (hi, w_hi) = (kink, w);
            }
        }
        if hi.is_finite() {
            if w_lo > w_hi {
                lo + (hi - lo) * (w_lo - supply) / (w_lo - w_hi)
            } else {
                hi
            }
        } else if self.eu > 0.0 {
            // Past the last kink only consumption still answers the price.
            lo + (w_lo - supply) / self.eu
        } else {
            f64::INFINITY
        }
    }

    /// Everything on offer but China's exports sells at `z`, with `exports` of them.
    #[inline(always)]
    fn sold(&self, z: f64, exports: f64) -> Cleared {
        let o = self.o;
        let consumed = self.consumption(z);
        Cleared {
            z,
            consumed,
            destroyed: (o.underlying - consumed).mx(0.0),
            unmet: 0.0,
            stock_flow: self.others + exports - consumed,
            recycled: o.recycled,
            non_china: o.non_china,
            leakage: o.leakage,
            exports,
        }
    }

    /// The market when nothing needs to sell above China's price. Supply is used cheapest
    /// first: without a duty legal exports come before leakage (smuggled material has no
    /// edge over legal exports once those are free); with one, leakage undercuts them.
    #[inline(always)]
    fn at_china_price(&self) -> Option<Cleared> {
        let o = self.o;
        let wanted = self.at_par_consumed + self.flow_at_par;
        let on_offer = if self.taxed {
            self.others
        } else {
            self.others + o.cap
        };
        if wanted > on_offer {
            return None;
        }
        let mut left = wanted;
        let recycled = o.recycled.mn(left);
        left -= recycled;
        let non_china = o.non_china.mn(left);
        left -= non_china;
        let (exports, leakage) = if self.taxed {
            (0.0, o.leakage.mn(left).mx(0.0))
        } else {
            let exports = o.cap.mn(left).mx(0.0);
            (exports, o.leakage.mn(left - exports).mx(0.0))
        };
        Some(Cleared {
            z: 0.0,
            consumed: self.at_par_consumed,
            destroyed: o.underlying - self.at_par_consumed,
            unmet: 0.0,
            stock_flow: self.flow_at_par,
            recycled,
            non_china,
            leakage,
            exports,
        })
    }

    /// Under an export duty, the market when it clears at or below China's price plus the
    /// duty: `None` when the quota binds above it. Up to the contract price, China's price
    /// plus the duty, contracts bound destocking as they do at China's price without a duty:
    /// without the bound a buyer long in stock would stop buying legal exports altogether the
    /// month a quota is lifted.
    #[inline(always)]
    fn at_or_below_duty(&self) -> Option<Cleared> {
        let duty_z = self.duty_z;
        let at_duty = self
            .wanted(duty_z)
            .mx(self.consumption(duty_z) + self.floor_flow);
        if at_duty <= self.others {
            // Supply that pays no duty clears the market below the duty: no legal exports.
            // The bounded curve is the higher of two falling ones, so its root is theirs.
            let bounded = if self.eu > 0.0 {
                (self.at_par_consumed + self.floor_flow - self.others) / self.eu
            } else {
                0.0
            };
            return Some(self.sold(self.root(self.others).mx(bounded).cl(0.0, duty_z), 0.0));
        }
        if at_duty <= self.others + self.o.cap {
            // Legal exports set the price at China's price plus the duty and ship only what
            // buyers still want there: the quota does not bind.
            return Some(self.sold(duty_z, at_duty - self.others));
        }
        None
    }

    /// The cap binds: everything on offer sells and the price rations what buyers take. A
    /// root below zero means the cap binds only through the bound on destocking at par:
    /// buyers take it all at China's price and the rest goes into stock.
    #[inline(always)]
    fn under_the_cap(&self) -> Cleared {
        let o = self.o;
        let supply = self.others + o.cap;
        let z = self.root(supply);
        if z <= o.choke && z.is_finite() {
            return self.sold(z.mx(self.duty_z), o.cap);
        }
        // At the choke buyers stop bidding: consumption takes what is on offer and every
        // stock, strategic included, is released to it; what is still missing is physical
        // shortfall.
        let z = o.choke;
        let wanted = self.consumption(z);
        let release = o.stock / o.adjust_years;
        let consumed = if wanted <= supply + release {
            wanted
        } else {
            (supply + release).mn(o.underlying)
        };
        let unmet = (wanted - consumed).mx(0.0);
        Cleared {
            z,
            consumed,
            destroyed: (o.underlying - consumed - unmet).mx(0.0),
            unmet,
            stock_flow: supply - consumed,
            recycled: o.recycled,
            non_china: o.non_china,
            leakage: o.leakage,
            exports: o.cap,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> Offer {
        // MODEL.md, section 7, worked example: one month of Dy under a licensing squeeze.
        Offer {
            underlying: 1_500.0,
            recycled: 15.0,
            non_china: 100.0,
            leakage: 0.0,
            cap: 450.0,
            stock: 281.25,
            behavioural_target: 375.0,
            reference_z: 0.0,
            strategic_target: 0.0,
            adjust_years: 0.5,
            elasticity: 0.25,
            choke: 25f64.ln(),
            duty_z: 0.0,
            level_z: 0.0,
        }
    }

    fn balanced(c: &Cleared, o: &Offer) {
        let sources = c.recycled + c.non_china + c.leakage + c.exports;
        assert!((sources - c.consumed - c.stock_flow).abs() < 1e-9);
        assert!((c.consumed + c.destroyed + c.unmet - o.underlying).abs() < 1e-9);
    }

    #[test]
    fn uncapped_clears_at_chinas_price() {
        let o = Offer {
            cap: f64::INFINITY,
            ..offer()
        };
        let c = clear(&o);
        assert_eq!(c.z, 0.0);
        assert_eq!(c.consumed, 1_500.0);
        // Stock refills toward 375 t over half a year: 187.5 t/yr.
        assert!((c.stock_flow - 187.5).abs() < 1e-9);
        balanced(&c, &o);
    }

    #[test]
    fn matches_the_worked_example() {
        let o = offer();
        let c = clear(&o);
        // Wanted at par 1,500 + 187.5; supply 565; slope 0.25 x 1,500 + 0.8 x 375 / 0.5.
        let z1 = (1_687.5 - 565.0) / (375.0 + 600.0);
        assert!((c.z - z1).abs() < 1e-12, "{}", c.z);
        assert!((z1.exp() - 3.162).abs() < 0.001, "{}", z1.exp());
        assert!((c.consumed - 1_068.27).abs() < 0.01, "{}", c.consumed);
        assert!(
            (c.stock_flow + 503.27).abs() < 0.01,
            "stock is drawn: {}",
            c.stock_flow
        );
        balanced(&c, &o);
    }

    #[test]
    fn an_embargo_without_stock_hits_the_choke() {
        let o = Offer {
            cap: 0.0,
            stock: 0.0,
            behavioural_target: 0.0,
            reference_z: 0.0,
            recycled: 0.0,
            non_china: 50.0,
            ..offer()
        };
        let c = clear(&o);
        assert_eq!(c.z, o.choke);
        assert!(c.unmet > 0.0);
        balanced(&c, &o);
    }

    /// A surplus stock buyers may only work off slowly can make the cap bind at China's
    /// price: consumption never exceeds demand and the books balance.
    #[test]
    fn a_cap_binding_only_through_slow_destocking_clears_at_chinas_price() {
        let o = Offer {
            underlying: 1_000.0,
            recycled: 0.0,
            non_china: 0.0,
            cap: 500.0,
            stock: 10_000.0,
            behavioural_target: 0.0,
            adjust_years: 1.0,
            ..offer()
        };
        let c = clear(&o);
        assert_eq!(c.z, 0.0);
        assert_eq!(c.consumed, 1_000.0);
        assert_eq!(c.exports, 500.0);
        balanced(&c, &o);
    }

    #[test]
    fn a_smaller_cap_never_lowers_the_price() {
        let mut last = 0.0;
        for cap in (0..=20).rev().map(|k| k as f64 * 100.0) {
            let o = Offer { cap, ..offer() };
            let c = clear(&o);
            assert!(c.z >= last - 1e-12, "cap {cap}: z {} < {last}", c.z);
            balanced(&c, &o);
            last = c.z;
        }
    }

    /// Under a 25 % duty with ample quota, legal exports set the price at China's price plus
    /// the duty and ship only what buyers want there: the quota goes unused, and leakage,
    /// which pays no duty, sells in full first.
    #[test]
    fn a_duty_leaves_an_ample_quota_unused_and_leakage_sells_first() {
        let o = Offer {
            leakage: 200.0,
            cap: 2_000.0,
            duty_z: 0.25f64.ln_1p(),
            ..offer()
        };
        let c = clear(&o);
        assert!((c.z - o.duty_z).abs() < 1e-12, "{}", c.z);
        assert_eq!(c.leakage, 200.0);
        assert!(c.exports > 0.0 && c.exports < o.cap, "{}", c.exports);
        balanced(&c, &o);
        // Without the duty the same market clears at China's price with legal exports first.
        let free = clear(&Offer { duty_z: 0.0, ..o });
        assert_eq!(free.z, 0.0);
        assert!(free.exports > c.exports);
        balanced(&free, &Offer { duty_z: 0.0, ..o });
    }

    /// Buyers answer the whole price: when China's own price rises by `level`, a binding cap
    /// clears at a premium `level` lower (the whole price unchanged, with no stock to move),
    /// and once the level alone rations demand below the cap, the premium is gone and the
    /// quota goes unused.
    #[test]
    fn a_rise_of_chinas_own_price_takes_the_place_of_the_premium() {
        let o = Offer {
            stock: 0.0,
            behavioural_target: 0.0,
            ..offer()
        };
        let base = clear(&o);
        let level = 0.5;
        let risen = clear(&Offer {
            level_z: level,
            ..o
        });
        assert!(
            (risen.z + level - base.z).abs() < 1e-9,
            "{} + {level} != {}",
            risen.z,
            base.z
        );
        assert!((risen.consumed - base.consumed).abs() < 1e-9);
        balanced(&risen, &o);
        let steep = Offer { level_z: 3.5, ..o };
        let c = clear(&steep);
        assert_eq!(c.z, 0.0);
        assert!(c.exports < o.cap, "{} of {}", c.exports, o.cap);
        assert!(
            (c.consumed - 1_500.0 * (1.0 - 0.25 * 3.5)).abs() < 1e-9,
            "{}",
            c.consumed
        );
        balanced(&c, &steep);
    }

    /// China's price high enough to price out every tonne at par, with buyers long in stock:
    /// nothing is drawn into a consumption that is not there and no flow goes negative (a
    /// property case found a negative spend when the destocking bound still followed the
    /// demand before the level).
    #[test]
    fn a_level_that_prices_out_all_consumption_leaves_no_negative_flow() {
        for duty_z in [0.0, 0.25f64.ln_1p()] {
            let o = Offer {
                cap: f64::INFINITY,
                stock: 2_000.0,
                level_z: 5.0,
                duty_z,
                ..offer()
            };
            let c = clear(&o);
            for (what, v) in [
                ("consumed", c.consumed),
                ("recycled", c.recycled),
                ("non_china", c.non_china),
                ("leakage", c.leakage),
                ("exports", c.exports),
            ] {
                assert!(v >= 0.0, "duty {duty_z}: {what} {v}");
            }
            assert_eq!(c.consumed, 0.0);
            assert!(c.stock_flow >= 0.0, "{}", c.stock_flow);
            balanced(&c, &o);
        }
    }

    /// A binding quota prices above the duty: the duty changes nothing there.
    #[test]
    fn a_binding_quota_prices_above_the_duty() {
        let o = offer();
        let taxed = Offer {
            duty_z: 0.1f64.ln_1p(),
            ..o
        };
        let (c, t) = (clear(&o), clear(&taxed));
        assert!(c.z > taxed.duty_z);
        assert_eq!(c, t);
    }

    /// Supply that pays no duty can clear the market between China's price and the duty: no
    /// legal exports then.
    #[test]
    fn untaxed_supply_can_clear_below_the_duty() {
        let o = Offer {
            non_china: 1_500.0,
            duty_z: 0.5f64.ln_1p(),
            ..offer()
        };
        let c = clear(&o);
        assert!(c.z >= 0.0 && c.z < o.duty_z, "{}", c.z);
        assert_eq!(c.exports, 0.0);
        balanced(&c, &o);
    }

    /// Contracts bound destocking up to the contract price, with a duty as without: a buyer
    /// sitting on a large surplus when a quota is lifted still takes at least three quarters
    /// of consumption from suppliers, and legal exports at the duty price supply what the
    /// duty-free sources do not.
    #[test]
    fn a_surplus_under_a_duty_is_drawn_no_faster_than_without_one() {
        let o = Offer {
            cap: f64::INFINITY,
            stock: 5_000.0,
            reference_z: 1.5,
            duty_z: 0.25f64.ln_1p(),
            ..offer()
        };
        let c = clear(&o);
        let floor = -MAX_DESTOCK_SHARE * o.underlying;
        assert!(c.stock_flow >= floor - 1e-9, "drawn {}", c.stock_flow);
        assert!(c.exports > 0.0, "legal exports {}", c.exports);
        assert!((c.z - o.duty_z).abs() < 1e-12, "{}", c.z);
        balanced(&c, &o);
        let free = clear(&Offer { duty_z: 0.0, ..o });
        assert!((free.stock_flow - floor).abs() < 1e-9);
        // Duty-free supply that covers the bounded demand clears below the duty, still
        // drawing no faster than the bound.
        let ample = Offer {
            non_china: 1_070.0,
            ..o
        };
        let c = clear(&ample);
        assert!(c.z > 0.0 && c.z < o.duty_z && c.exports == 0.0, "{c:?}");
        assert!(c.stock_flow >= floor - 1e-9, "drawn {}", c.stock_flow);
        balanced(&c, &ample);
    }

    /// Over duties and caps, a higher duty never lowers the price and a smaller cap never
    /// lowers it either; the books always balance.
    #[test]
    fn prices_rise_with_the_duty_and_with_a_smaller_cap() {
        for cap in (0..=30).map(|k| k as f64 * 100.0) {
            let mut last = 0.0;
            for duty in (0..=20).map(|k| k as f64 * 0.05) {
                let o = Offer {
                    cap,
                    leakage: 100.0,
                    duty_z: duty.ln_1p(),
                    ..offer()
                };
                let c = clear(&o);
                assert!(
                    c.z >= last - 1e-12,
                    "cap {cap} duty {duty}: {} < {last}",
                    c.z
                );
                assert!(c.exports <= cap + 1e-9);
                balanced(&c, &o);
                last = c.z;
            }
        }
    }
}
