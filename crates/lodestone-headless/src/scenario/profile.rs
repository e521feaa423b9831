//! Company profile files: `(version: 1, profile: ( ... ))`, a buyer's need, contracts, stock
//! and product ([`crate::model::Profile`]), kept apart from scenarios so scenarios stay
//! shareable and the profile stays private. Read with the checks of scenario files: every
//! unknown field at once, then every out-of-range value at once, each at file:line:col.

use super::data_file::read_data_files;
use super::problem::Problem;
use super::record::ObservedSeries;
use super::validate::{check_range, num};
use super::{
    Diagnostic, LoadError, MAX_FILE_BYTES, Reporter, atomic, blank_fields, field_problems,
    read_text, ron_options,
};
use crate::model::Scenario;
use crate::model::company::{Contract, Need, Pricing, Product, Profile};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The profile format this build reads and writes.
pub const PROFILE_VERSION: u64 = 1;

/// The file: a version and the profile.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    version: u64,
    profile: Profile,
}

/// Every struct path of the format with the fields it knows (for "unknown field" problems).
fn schema() -> Vec<(String, Vec<String>)> {
    fn fields<T: Serialize>(value: &T) -> Vec<String> {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
    vec![
        (String::new(), vec!["version".into(), "profile".into()]),
        (
            "profile".into(),
            // An empty list of data files is left out of a save, so name it here.
            fields(&Profile {
                data_files: vec![String::new()],
                licences_denied: true,
                ..Profile::default()
            }),
        ),
        ("profile.product".into(), fields(&Product::default())),
        // A need without a ceiling leaves it out of a save, so the example has one.
        (
            "profile.materials[]".into(),
            fields(&Need {
                price_ceiling_usd_per_kg: Some(1.0),
                ..Need::default()
            }),
        ),
        (
            "profile.materials[].contracts[]".into(),
            fields(&Contract::default()),
        ),
    ]
}

/// Every problem of a profile's values, by field path of the file.
pub fn validate_profile(p: &Profile) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut range = |path: String, value: f64, min: f64, max: f64, unit: &str| {
        if let Err(e) = check_range(value, min, max, unit) {
            out.push(Problem::error(path, e.to_string()));
        }
    };
    range(
        "profile.carrying_cost".into(),
        p.carrying_cost,
        0.0,
        1.0,
        "%/yr of stock value",
    );
    range(
        "profile.stoppage_cost_usd_per_month".into(),
        p.stoppage_cost_usd_per_month,
        0.0,
        1e12,
        "$",
    );
    range(
        "profile.product.units_per_year".into(),
        p.product.units_per_year,
        0.0,
        1e9,
        "units/yr",
    );
    range(
        "profile.product.growth".into(),
        p.product.growth,
        -0.5,
        1.0,
        "%/yr",
    );
    for (i, n) in p.materials.iter().enumerate() {
        let at = |f: &str| format!("profile.materials[{i}].{f}");
        range(at("tonnes_per_year"), n.tonnes_per_year, 0.0, 1e6, "t/yr");
        range(at("growth"), n.growth, -0.5, 1.0, "%/yr");
        range(at("kg_per_unit"), n.kg_per_unit, 0.0, 1e4, "kg");
        range(
            at("safety_stock_months"),
            n.safety_stock_months,
            0.0,
            60.0,
            "months",
        );
        range(
            at("strategic_stock_months"),
            n.strategic_stock_months,
            0.0,
            60.0,
            "months",
        );
        if let Some(ceiling) = n.price_ceiling_usd_per_kg {
            range(at("price_ceiling_usd_per_kg"), ceiling, 0.0, 1e5, "$/kg");
        }
        for (j, c) in n.contracts.iter().enumerate() {
            let at = |f: &str| format!("profile.materials[{i}].contracts[{j}].{f}");
            range(at("share"), c.share, 0.0, 1.0, "% of need");
            match c.pricing {
                Pricing::Fixed(v) => range(at("pricing"), v, 0.0, 1e5, "$/kg"),
                Pricing::ChinaIndexed(k) | Pricing::SpotIndexed(k) => {
                    range(at("pricing"), k, 0.0, 10.0, "x the index")
                }
            }
            for (f, v) in [
                ("floor_usd_per_kg", c.floor_usd_per_kg),
                ("cap_usd_per_kg", c.cap_usd_per_kg),
            ] {
                if let Some(v) = v {
                    range(at(f), v, 0.0, 1e5, "$/kg");
                }
            }
        }
    }
    for (i, n) in p.materials.iter().enumerate() {
        let at = |f: &str| format!("profile.materials[{i}].{f}");
        if n.material.trim().is_empty() {
            out.push(Problem::error(
                at("material"),
                "no material id; write the id the scenarios use, such as \"NdPr\" or \"Dy\"",
            ));
        } else if p.materials[..i].iter().any(|m| m.material == n.material) {
            out.push(Problem::error(
                at("material"),
                format!(
                    "material `{}` is listed twice; one entry per material",
                    n.material
                ),
            ));
        }
        if n.tonnes_per_year <= 0.0 && (n.kg_per_unit <= 0.0 || p.product.units_per_year <= 0.0) {
            out.push(Problem::error(
                at("tonnes_per_year"),
                "no need: give tonnes_per_year, or kg_per_unit with the product's units_per_year",
            ));
        }
        let shares: f64 = n.contracts.iter().map(|c| c.share).sum();
        if shares > 1.0 + 1e-9 {
            out.push(Problem::error(
                at("contracts"),
                format!(
                    "the contracts cover {} % of the need together; at most 100 %",
                    num((shares * 1000.0).round() / 10.0)
                ),
            ));
        }
        for (j, c) in n.contracts.iter().enumerate() {
            if let (Some(f), Some(cap)) = (c.floor_usd_per_kg, c.cap_usd_per_kg)
                && f > cap
            {
                out.push(Problem::error(
                    format!("profile.materials[{i}].contracts[{j}].floor_usd_per_kg"),
                    format!(
                        "the floor ({} $/kg) is above the cap ({} $/kg)",
                        num(f),
                        num(cap)
                    ),
                ));
            }
        }
    }
    out
}

/// Materials of the profile a scenario does not have, as messages (the company view skips
/// them; the CLI and the window say so).
pub fn unknown_materials(profile: &Profile, scenario: &Scenario) -> Vec<String> {
    profile
        .materials
        .iter()
        .filter(|n| !scenario.materials.iter().any(|m| m.id == n.material))
        .map(|n| {
            let known: Vec<&str> = scenario.materials.iter().map(|m| m.id.as_str()).collect();
            format!(
                "profile material `{}` is not in the scenario (it has {}); left out",
                n.material,
                known.join(", ")
            )
        })
        .collect()
}

/// Parses and validates profile text; `origin` names the file in diagnostics.
pub fn load_profile_str(text: &str, origin: &str) -> Result<Profile, LoadError> {
    let text = super::without_bom(text);
    let locator = super::Locator::new(text);
    let reporter = Reporter {
        origin,
        locator: &locator,
        version: 2,
    };
    let start = super::Pos { line: 1, col: 1 };
    let fail = |d: Vec<Diagnostic>| Err(LoadError::capped(d, origin));
    if text.len() > MAX_FILE_BYTES {
        return fail(vec![reporter.at(
            start,
            "",
            "the file is larger than 1 MiB",
        )]);
    }
    if text.trim().is_empty() {
        return fail(vec![reporter.at(
            start,
            "",
            "the file is empty; a profile is (version: 1, profile: (name: \"Our company\", ...))",
        )]);
    }
    if let Some(pos) = locator.too_deep() {
        return fail(vec![reporter.at(
            pos,
            "",
            "nesting is too deep for a profile",
        )]);
    }
    match locator
        .scalar("version")
        .map(|v| v.replace('_', "").parse::<u64>())
    {
        Some(Ok(PROFILE_VERSION)) => {}
        None => {
            return fail(vec![reporter.at(
                start,
                "version",
                format!("no `version`; profiles start with (version: {PROFILE_VERSION}, ...)"),
            )]);
        }
        Some(_) => {
            return fail(vec![reporter.at(
                locator.locate("version"),
                "version",
                format!("this build reads profile format version {PROFILE_VERSION}"),
            )]);
        }
    }
    // Unknown fields are reported and blanked, so the rest is still checked (as scenarios).
    let (fields, spans) = field_problems(&reporter, &schema());
    let cleaned = blank_fields(text, &spans);
    let file: ProfileFile = ron_options().from_str(&cleaned).map_err(|e| LoadError {
        diagnostics: fields.iter().cloned().chain([reporter.ron(&e)]).collect(),
    })?;
    let problems: Vec<Diagnostic> = validate_profile(&file.profile)
        .into_iter()
        .chain(super::validate::text_problems(&file.profile, "profile"))
        .map(|p| reporter.field(&p.path, p.message))
        .collect();
    if !problems.is_empty() || !fields.is_empty() {
        return fail(fields.into_iter().chain(problems).collect());
    }
    Ok(file.profile)
}

/// Reads, parses and validates a profile file.
pub fn load_profile_file(path: &Path) -> Result<Profile, LoadError> {
    let (text, origin) = read_text(path, "profile")?;
    load_profile_str(&text, &origin)
}

/// The observed series of the data files a profile names, read relative to its file; every
/// problem of every file at once.
pub fn profile_data(profile: &Profile, path: &Path) -> Result<Vec<ObservedSeries>, LoadError> {
    read_data_files(&profile.data_files, path, "profile.data_files", None)
}

/// The canonical text of a profile.
pub fn profile_to_ron(profile: &Profile) -> String {
    let file = ProfileFile {
        version: PROFILE_VERSION,
        profile: profile.clone(),
    };
    let config = ron::ser::PrettyConfig::new().struct_names(false);
    ron::ser::to_string_pretty(&file, config).unwrap_or_default() + "\n"
}

/// Writes a profile atomically (the old file stays whole if the write fails).
pub fn save_profile(path: &Path, profile: &Profile) -> std::io::Result<()> {
    atomic::write_atomic(path, profile_to_ron(profile).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::YearMonth;

    #[test]
    fn round_trips() {
        let p = Profile {
            name: "EV maker".into(),
            materials: vec![Need {
                material: "NdPr".into(),
                tonnes_per_year: 400.0,
                contracts: vec![Contract {
                    share: 0.6,
                    pricing: Pricing::Fixed(95.0),
                    ends: YearMonth::new(2027, 12),
                    ..Contract::default()
                }],
                ..Need::default()
            }],
            ..Profile::default()
        };
        let text = profile_to_ron(&p);
        assert_eq!(load_profile_str(&text, "p.ron").expect("loads"), p);
    }

    #[test]
    fn every_problem_at_once_with_its_place() {
        let text = "(version: 1, profile: (\n  carrying_cost: 3.0,\n  materials: [\n    (material: \"NdPr\", tonnes_per_year: -1.0,\n     contracts: [(share: 0.7), (share: 0.6, floor_usd_per_kg: Some(200.0), cap_usd_per_kg: Some(100.0))]),\n  ],\n))\n";
        let err = load_profile_str(text, "p.ron").expect_err("refused");
        let lines: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
        let all = lines.join("\n");
        assert!(all.contains("p.ron:2:"), "{all}");
        assert!(all.contains("carrying_cost"), "{all}");
        assert!(all.contains("tonnes_per_year"), "{all}");
        assert!(all.contains("130 %"), "{all}");
        assert!(all.contains("floor"), "{all}");
        assert!(lines.len() >= 4, "{all}");
    }

    #[test]
    fn unknown_fields_are_named_with_a_suggestion() {
        let text = "(version: 1, profile: (materials: [(material: \"Dy\", tonnes_per_yer: 12.0)]))";
        let err = load_profile_str(text, "p.ron").expect_err("refused");
        assert!(err.first().contains("tonnes_per_year"), "{}", err.first());
    }
}
