//! Plain comparisons for the inner loops of the engine and the market.

/// Plain comparisons for the inner loop. `f64::max` and friends pay for NaN semantics the
/// model never needs (every input passes `sane` first), and the profile showed it.
pub(crate) trait Fast {
    fn mx(self, other: f64) -> f64;
    fn mn(self, other: f64) -> f64;
    fn cl(self, lo: f64, hi: f64) -> f64;
}

impl Fast for f64 {
    #[inline(always)]
    fn mx(self, other: f64) -> f64 {
        if self > other { self } else { other }
    }
    #[inline(always)]
    fn mn(self, other: f64) -> f64 {
        if self < other { self } else { other }
    }
    #[inline(always)]
    fn cl(self, lo: f64, hi: f64) -> f64 {
        self.mx(lo).mn(hi)
    }
}
