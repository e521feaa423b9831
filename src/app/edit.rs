//! Edits the window makes to a scenario that must keep it a valid file: the capex shares
//! move together (they sum to 1), and an edit that would leave a problem the file format
//! refuses is not kept. Pure functions of the scenario; `app` applies them.

use crate::model::levers::set_capex_shares;
use crate::model::{Material, Scenario};
use crate::scenario::Document;
use crate::scenario::validate::{Problem, Severity, validate};

/// The first problem that would stop `doc` from loading, if any.
pub fn first_error(doc: &Document) -> Option<Problem> {
    validate(doc)
        .into_iter()
        .find(|p| p.severity == Severity::Error)
}

/// Sets material `index`'s capex share to `value` (clamped to 0-1) and rescales the others
/// so the shares still sum to 1, in the proportions they had. Others all at zero share what
/// is left equally; a lone material keeps the whole capex.
pub fn set_capex_share(materials: &mut [Material], index: usize, value: f64) {
    if index >= materials.len() || !value.is_finite() {
        return;
    }
    set_capex_shares(materials, &[(index, value)]);
    absorb_rounding(materials, index);
}

/// Scales every capex share so they sum to 1 (equal shares when all are zero).
pub fn normalise_capex_shares(materials: &mut [Material]) {
    let count = materials.len();
    if count == 0 {
        return;
    }
    let sum: f64 = materials.iter().map(|m| m.capex_share.0.max(0.0)).sum();
    for m in materials.iter_mut() {
        m.capex_share.0 = if sum > 0.0 {
            m.capex_share.0.max(0.0) / sum
        } else {
            1.0 / count as f64
        };
    }
    absorb_rounding(materials, usize::MAX);
}

/// Puts what floating point rounding left over (a few 1e-16) on the largest share other
/// than `keep`, so the shares sum to 1 as closely as a sum of floats can.
fn absorb_rounding(materials: &mut [Material], keep: usize) {
    let sum: f64 = materials.iter().map(|m| m.capex_share.0).sum();
    let largest = materials
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != keep)
        .max_by(|a, b| a.1.capex_share.0.total_cmp(&b.1.capex_share.0))
        .map(|(i, _)| i);
    if let Some(i) = largest {
        let share = &mut materials[i].capex_share.0;
        *share = (*share + 1.0 - sum).clamp(0.0, 1.0);
    }
}

/// The date a new policy event gets: a year after the last one, within the run's horizon.
pub fn new_event_date(scenario: &Scenario) -> crate::model::YearMonth {
    let horizon = &scenario.horizon;
    scenario
        .events
        .last()
        .map(|e| e.date.plus_months(12))
        .unwrap_or(horizon.start)
        .min(horizon.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(materials: &[Material]) -> Vec<f64> {
        materials.iter().map(|m| m.capex_share.0).collect()
    }

    fn four() -> Vec<Material> {
        ["NdPr", "Dy", "Tb", "Other"]
            .iter()
            .map(|id| Material::default_for(id))
            .collect()
    }

    #[test]
    fn moving_one_share_rescales_the_others_in_proportion() {
        let mut m = four();
        assert_eq!(shares(&m), [0.75, 0.05, 0.02, 0.18]);
        set_capex_share(&mut m, 0, 0.91);
        let s = shares(&m);
        assert_eq!(s[0], 0.91);
        let sum: f64 = s.iter().sum();
        assert!((sum - 1.0).abs() < 1e-12, "{s:?}");
        // The others keep their 5 : 2 : 18 proportions.
        assert!((s[1] / s[2] - 2.5).abs() < 1e-9);
        assert!((s[3] / s[1] - 3.6).abs() < 1e-9);
    }

    #[test]
    fn others_at_zero_share_what_is_left_equally() {
        let mut m = four();
        set_capex_share(&mut m, 0, 1.0);
        assert_eq!(shares(&m), [1.0, 0.0, 0.0, 0.0]);
        set_capex_share(&mut m, 0, 0.7);
        let s = shares(&m);
        assert!(s[1..].iter().all(|x| (x - 0.1).abs() < 1e-12), "{s:?}");
    }

    #[test]
    fn a_lone_material_keeps_the_whole_capex() {
        let mut m = vec![Material::default_for("NdPr")];
        set_capex_share(&mut m, 0, 0.3);
        assert_eq!(shares(&m), [1.0]);
    }
}
