//! `lodestone diff A B [--company PROFILE]`: two scenarios' headline figures (and a
//! company's) side by side with deltas, and the inputs that differ.

use super::run::load_company;
use super::{Failure, load};
use crate::display::headline::{HeadlineFigure, billions, company_figures, figures};
use crate::display::names::scenario_name;
use crate::model::company::evaluate;
use crate::model::{Comparison, simulate};
use crate::scenario::{Document, differences};
use std::path::Path;

/// Runs `lodestone diff`.
pub fn diff(a_path: &Path, b_path: &Path, company: Option<&Path>) -> Result<(), Failure> {
    let a = load(a_path);
    let b = load(b_path);
    let (a, b) = (a?.document, b?.document);
    let (ra, rb) = (simulate(&a.scenario), simulate(&b.scenario));
    let profile = company.map(|p| load_company(p, &a.scenario)).transpose()?;
    let extra = Comparison::between(&ra, &rb).extra_cost_usd;

    let title = |d: &Document, p: &Path| scenario_name(&d.meta.name, Some(p));
    outln!("A: {}  [{}]", title(&a, a_path), a_path.display())?;
    outln!("B: {}  [{}]", title(&b, b_path), b_path.display())?;
    outln!()?;
    outln!(
        "  {:<28} {:>16} {:>16} {:>16}",
        "headline",
        "A",
        "B",
        "A - B"
    )?;
    let mut rows: Vec<(HeadlineFigure, HeadlineFigure)> = figures(&ra.headline)
        .into_iter()
        .zip(figures(&rb.headline))
        .collect();
    if let Some(profile) = &profile {
        let (ca, cb) = (evaluate(profile, &ra), evaluate(profile, &rb));
        let unit = &profile.product.name;
        rows.extend(
            company_figures(&ca.headline, unit)
                .into_iter()
                .zip(company_figures(&cb.headline, unit)),
        );
    }
    for (fa, fb) in rows {
        let (label, va, vb) = (fa.label, fa.text, fb.text);
        let delta = match (fa.number, fb.number) {
            (Some((x, unit)), Some((y, _))) => format!("{:+.2} {unit}", x - y),
            _ if va == vb => "same".to_string(),
            _ => "differs".to_string(),
        };
        outln!("  {label:<28} {va:>16} {vb:>16} {delta:>16}")?;
    }
    outln!("  {:<28} {:>16}", "extra cost of A over B", billions(extra))?;
    outln!()?;
    let diffs = differences(&a.scenario, &b.scenario);
    if diffs.is_empty() {
        outln!("Inputs: identical")?;
    } else {
        outln!("Inputs that differ:")?;
        // One row per input: its name (with the id `--set` takes), then A and B as the
        // sliders show them; values wider than their column push the row, not the others.
        let names: Vec<String> = diffs.iter().map(|d| d.name_with_id()).collect();
        let width = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .max(5);
        let column = diffs
            .iter()
            .map(|d| d.a.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(1, 24);
        outln!("  {:<width$}  {:<column$}  B", "input", "A")?;
        for (name, d) in names.iter().zip(&diffs) {
            outln!("  {name:<width$}  {:<column$}  {}", d.a, d.b)?;
        }
    }
    Ok(())
}
