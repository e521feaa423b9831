//! `lodestone run FILE [--set LEVER=VALUE] [--company PROFILE] [--csv OUT] [--json OUT]`:
//! one scenario's headline figures against its reference, a company's figures on it, and
//! optionally every series as data.

use super::{Failure, check_outputs, load, write_out};
use crate::display::headline::{billions, company_figures, figures};
use crate::display::names::scenario_name;
use crate::model::company::{CompanyResults, Profile, evaluate};
use crate::model::uncertainty::company_monte_carlo;
use crate::model::{
    Comparison, Headline, Results, StrategyFigures, TargetCheck, path_runs, simulate,
    strategy_figures_with,
    targets::{Futures, check_all},
};
use crate::output::data;
use crate::scenario::profile::{load_profile_file, unknown_materials};
use crate::scenario::{self, Document, apply_set, resolve_baseline, validate, validate::Severity};
use std::path::Path;

/// The scenario a file's extra cost is measured against when it names a baseline that
/// loads (with its name); `None` means "the calm reference (no controls, no diversification capex)".
pub fn baseline_of(doc: &Document, path: &Path) -> Option<(String, crate::model::Scenario)> {
    if let Some(cycle) = scenario::baseline_cycle(doc, path) {
        errln!("warning: {cycle}; comparing against no controls instead");
        return None;
    }
    let base = resolve_baseline(doc, Some(path))?;
    match scenario::load_file(&base) {
        Ok(b) => {
            let name = scenario_name(&b.document.meta.name, Some(&base));
            Some((name, b.document.scenario))
        }
        Err(e) => {
            errln!(
                "warning: {}: baseline {} does not load; comparing against no controls instead\n{e}",
                path.display(),
                base.display()
            );
            None
        }
    }
}

/// The run a scenario's extra cost is measured against: its baseline file when it names one
/// that loads, else the same scenario without export controls.
fn reference(doc: &Document, path: &Path) -> (String, Results) {
    match baseline_of(doc, path) {
        Some((name, base)) => (name, simulate(&base)),
        None => (
            "the calm reference (no controls, no diversification capex)".to_string(),
            simulate(&doc.scenario.reference()),
        ),
    }
}

/// Loads a company profile for a scenario, printing its problems (and the materials the
/// scenario lacks) to stderr.
pub fn load_company(path: &Path, scenario: &crate::model::Scenario) -> Result<Profile, Failure> {
    let profile = load_profile_file(path).map_err(|e| {
        errln!("{e}");
        Failure::Reported
    })?;
    for w in unknown_materials(&profile, scenario) {
        errln!("warning: {}: {w}", path.display());
    }
    Ok(profile)
}

/// Prints a company's figures under the market's.
pub fn print_company(profile: &Profile, company: &CompanyResults) -> Result<(), Failure> {
    let name = if profile.name.is_empty() {
        "company"
    } else {
        &profile.name
    };
    outln!("  {name}:")?;
    for f in company_figures(&company.headline, &profile.product.name) {
        outln!("  {:<34} {}", f.label, f.text)?;
    }
    Ok(())
}

/// Runs `lodestone run`.
pub fn run_file(
    path: &Path,
    sets: &[String],
    company: Option<&Path>,
    csv: Option<&Path>,
    json: Option<&Path>,
) -> Result<(), Failure> {
    let mut doc = load(path)?.document;
    let mut inputs = scenario::input_files(&doc, path);
    inputs.extend(company.map(Path::to_path_buf));
    check_outputs(&inputs, &[("--csv", csv), ("--json", json)])?;
    for spec in sets {
        apply_set(&mut doc, spec).map_err(|e| Failure::Message(format!("--set {e}")))?;
    }
    if !sets.is_empty() {
        // An override can break a rule that spans fields (capex shares summing to 1).
        let errors: Vec<String> = validate(&doc)
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| format!("after --set: {}: {}", p.path, p.message))
            .collect();
        if !errors.is_empty() {
            return Err(Failure::Message(errors.join("\nlodestone: ")));
        }
    }

    let results = simulate(&doc.scenario);
    let company = match company {
        Some(p) => {
            let profile = load_company(p, &doc.scenario)?;
            let c = evaluate(&profile, &results);
            Some((profile, c))
        }
        None => None,
    };
    let (base_name, base) = reference(&doc, path);
    let extra = Comparison::between(&results, &base).extra_cost_usd;
    let strategy = strategy_figures_with(&doc.scenario, &results);
    let targets = target_checks(&doc, &results, company.as_ref().map(|(p, _)| p));

    // Writing data to stdout replaces the table, so a pipe gets clean CSV or JSON.
    let to_stdout = |p: Option<&Path>| p.is_some_and(|p| p == Path::new("-"));
    if !to_stdout(csv) && !to_stdout(json) {
        print_headline(&doc, path, &results.headline, extra, &base_name)?;
        print_strategy(&strategy)?;
        if !doc.targets.is_empty() {
            outln!("  targets:")?;
            for c in &targets {
                outln!("    {}", c.line())?;
            }
            if doc.targets.stoppage_chance.is_some() && company.is_none() {
                outln!("    (the chance of a line stoppage needs a company: --company PROFILE)")?;
            }
        }
        if let Some((profile, c)) = &company {
            print_company(profile, c)?;
        }
    }
    if let Some(out) = csv {
        write_out(out, |w| {
            data::write_csv(&results, &mut *w)?;
            match &company {
                Some((_, c)) => data::write_company_csv(c, w),
                None => Ok(()),
            }
        })?;
    }
    if let Some(out) = json {
        let mut value = data::to_json(&doc.meta.name, &results, Some(extra));
        if let Some(headline) = value.get_mut("headline").and_then(|h| h.as_object_mut()) {
            headline.insert("strategy".into(), data::strategy_json(&strategy));
        }
        if let Some(object) = value.as_object_mut()
            && !targets.is_empty()
        {
            object.insert("targets".into(), data::targets_json(&targets));
        }
        write_out(out, |w| data::write_json_value(&value, w))?;
    }
    Ok(())
}

/// The file's targets checked on this run; the chances of a shortfall and (with a company) of
/// a line stoppage across the uncertain futures run them when a target asks for it.
fn target_checks(doc: &Document, results: &Results, profile: Option<&Profile>) -> Vec<TargetCheck> {
    let shortfall_chance = doc
        .targets
        .need_futures()
        .then(|| path_runs(&doc.scenario, &doc.scenario.uncertainty, &|| false))
        .flatten()
        .map(|f| f.shortfall_chance());
    let stoppage_chance = doc
        .targets
        .stoppage_chance
        .and(profile)
        .and_then(|p| company_monte_carlo(&doc.scenario, &doc.scenario.uncertainty, p, &|| false))
        .map(|bands| bands.stoppage_probability);
    check_all(
        &doc.targets,
        results,
        Futures {
            shortfall_chance,
            stoppage_chance,
        },
    )
}

fn print_headline(
    doc: &Document,
    path: &Path,
    h: &Headline,
    extra: f64,
    base: &str,
) -> Result<(), Failure> {
    let name = scenario_name(&doc.meta.name, Some(path));
    outln!("{name}  [{}]", path.display())?;
    for f in figures(h) {
        outln!("  {:<34} {}", f.label, f.text)?;
    }
    outln!("  {:<28} {}", "extra cost", billions(extra))?;
    outln!("  {:<28} vs {base}", "")?;
    Ok(())
}

/// The cost of the strategy four ways: what the diversification costs if China relaxes and
/// what it saves under the scenario's controls.
fn print_strategy(f: &StrategyFigures) -> Result<(), Failure> {
    outln!("  cost of the strategy (spend + capex + demand lost, over the horizon):")?;
    outln!("  {:<28} {:>12}  {:>12}", "", "with capex", "without capex")?;
    outln!(
        "  {:<28} {:>12}  {:>12}",
        "under its controls",
        billions(f.with_controls),
        billions(f.with_controls_no_capex)
    )?;
    outln!(
        "  {:<28} {:>12}  {:>12}",
        "without controls",
        billions(f.without_controls),
        billions(f.without_controls_no_capex)
    )?;
    outln!(
        "  {:<28} {}",
        "premium if China relaxes",
        billions(f.premium_if_relaxed())
    )?;
    outln!(
        "  {:<28} {}",
        "saving if China cuts",
        billions(f.saving_if_cut())
    )?;
    Ok(())
}
