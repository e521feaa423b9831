//! Value-axis ticks, decided once for every chart Lodestone draws: the window's company
//! charts and the log charts on screen, and the exported SVG/PNG charts and the board pack.

use super::format::nice_step;

/// Most ticks an axis gets, whatever the range it is asked for.
const MAX_TICKS: usize = 64;

/// About `about` ticks on round 1-2-5 steps inside `lo..=hi`, with their step; none for an
/// empty or non-finite range.
pub fn linear_ticks(lo: f64, hi: f64, about: f64) -> (Vec<f64>, f64) {
    let raw = (hi - lo) / about.max(1.0);
    if !(raw.is_finite() && raw > 0.0) {
        return (Vec::new(), 0.0);
    }
    let step = nice_step(raw);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last.min(first + MAX_TICKS as i64))
        // `ceil` of a small negative gives -0, which would print as "-0".
        .map(|k| if k == 0 { 0.0 } else { k as f64 * step })
        .collect();
    (ticks, step)
}

/// Ticks of a logarithmic axis from `low` to `high` (values, not logarithms): 1, 2 and 5 times
/// each power of ten, or the powers of ten alone when the axis spans more than four decades
/// (more would crowd it). None for a range that is not positive and finite.
pub fn log_ticks(low: f64, high: f64) -> Vec<f64> {
    if !(low.is_finite() && high.is_finite() && low > 0.0 && high >= low) {
        return Vec::new();
    }
    let decades = (high.log10().ceil() - low.log10().floor()).max(1.0);
    let steps: &[f64] = if decades > 4.0 {
        &[1.0]
    } else {
        &[1.0, 2.0, 5.0]
    };
    let mut ticks = Vec::new();
    let mut decade = 10f64.powf(low.log10().floor());
    while decade <= high && ticks.len() < MAX_TICKS {
        for m in steps {
            let v = m * decade;
            if v >= low && v <= high {
                ticks.push(v);
            }
        }
        decade *= 10.0;
    }
    ticks
}

/// Whether a log tick is a power of ten (labelled boldly) rather than a 2 or a 5.
pub fn is_decade(value: f64) -> bool {
    let l = value.log10();
    (l - l.round()).abs() < 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_are_round_steps_inside_the_range() {
        assert_eq!(
            linear_ticks(0.0, 106.0, 6.0),
            (vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0], 20.0)
        );
        assert_eq!(linear_ticks(-0.4, 1.3, 4.0).0, [0.0, 0.5, 1.0]);
        assert!(linear_ticks(3.0, 3.0, 4.0).0.is_empty());
        assert!(linear_ticks(0.0, f64::NAN, 4.0).0.is_empty());
        // No "-0" from a range that starts just below zero.
        assert!(linear_ticks(-1e-12, 1.0, 4.0).0[0].is_sign_positive());
    }

    #[test]
    fn log_ticks_step_one_two_five_within_a_few_decades() {
        assert_eq!(log_ticks(15.0, 600.0), [20.0, 50.0, 100.0, 200.0, 500.0]);
        assert_eq!(
            log_ticks(0.5, 200_000.0),
            [1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0]
        );
        assert!(log_ticks(0.0, 10.0).is_empty());
        assert!(is_decade(1000.0) && !is_decade(500.0));
    }
}
