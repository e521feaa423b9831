//! Targets and seek bounds written on the command line: `--target dependency=0.5@2030-01`,
//! `--target shortfall_chance=0.05`, `--vary capex=0..12`, `--vary stockpile`. Values are in
//! the file's units (shares as 0-1, money in $ billion), as with `--set`.

use super::Document;
use crate::model::seek::{Answer, CAPEX_SHARE_PREFIX, Knob, Vary};
use crate::model::targets::{Target, TargetKind};
use crate::model::{LEVERS, Scenario, Targets, YearMonth};
use std::str::FromStr;

/// Why a `--target` or `--vary` could not be read; each says what is allowed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpecError {
    /// No `=` in a target.
    #[error("`{spec}`: write KIND=VALUE, KIND one of {allowed}")]
    NoValue {
        /// The text given.
        spec: String,
        /// The target kinds.
        allowed: String,
    },
    /// The kind is not a target.
    #[error("`{key}` is not a target; targets: {allowed}")]
    UnknownTarget {
        /// The kind given.
        key: String,
        /// The target kinds.
        allowed: String,
    },
    /// A month that does not read as `YYYY-MM`, or one given to a kind without a month.
    #[error("`{spec}`: {reason}")]
    Month {
        /// The text given.
        spec: String,
        /// What is wrong and how to write it.
        reason: String,
    },
    /// A value that is not a number.
    #[error("`{spec}`: `{text}` is not a number")]
    NotANumber {
        /// The text given.
        spec: String,
        /// The part that should be a number.
        text: String,
    },
    /// A target outside its range.
    #[error("`{spec}`: {value} is out of range ({allowed})")]
    OutOfRange {
        /// The text given.
        spec: String,
        /// The value read.
        value: f64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// The lever is not one the seek can vary.
    #[error("`{id}` is not a lever; levers: {levers}, or {prefix}MATERIAL", prefix = CAPEX_SHARE_PREFIX)]
    UnknownLever {
        /// The lever given.
        id: String,
        /// The levers that can be varied.
        levers: String,
    },
    /// A capex share of a material the scenario does not have.
    #[error("`{id}`: the scenario has no material `{material}`; materials: {materials}")]
    UnknownMaterial {
        /// The lever given.
        id: String,
        /// The material named.
        material: String,
        /// The scenario's materials.
        materials: String,
    },
    /// A range not written `MIN..MAX`.
    #[error("`{spec}`: write {id}=MIN..MAX")]
    NoRange {
        /// The text given.
        spec: String,
        /// The lever.
        id: String,
    },
    /// A range outside the lever's own.
    #[error("`{spec}`: the range must lie within {id}'s {lo} to {hi}")]
    RangeOutside {
        /// The text given.
        spec: String,
        /// The lever.
        id: String,
        /// The lever's minimum.
        lo: f64,
        /// The lever's maximum.
        hi: f64,
    },
}

/// The target kinds in the order `--target` lists them.
const KINDS: [TargetKind; 6] = [
    TargetKind::Dependency,
    TargetKind::ShortfallMonths,
    TargetKind::StrategyCost,
    TargetKind::CapexBudget,
    TargetKind::ShortfallChance,
    TargetKind::StoppageChance,
];

/// Parses `kind=value[@YYYY-MM]` (the month for `dependency` only; default 2030-01).
pub fn parse_target(spec: &str) -> Result<Target, SpecError> {
    let allowed = || KINDS.iter().map(|k| k.key()).collect::<Vec<_>>().join(", ");
    let (key, value) = spec
        .split_once('=')
        .map(|(a, b)| (a.trim(), b.trim()))
        .ok_or_else(|| SpecError::NoValue {
            spec: spec.to_string(),
            allowed: allowed(),
        })?;
    let kind = KINDS
        .iter()
        .copied()
        .find(|k| k.key() == key)
        .ok_or_else(|| SpecError::UnknownTarget {
            key: key.to_string(),
            allowed: allowed(),
        })?;
    let (number, from) = match value.split_once('@') {
        Some((n, d)) if kind == TargetKind::Dependency => {
            let from = YearMonth::from_str(d.trim()).map_err(|e| SpecError::Month {
                spec: spec.to_string(),
                reason: format!("{e}; write dependency=0.5@2030-01"),
            })?;
            (n.trim(), Some(from))
        }
        Some(_) => {
            return Err(SpecError::Month {
                spec: spec.to_string(),
                reason: "only dependency takes @YYYY-MM".into(),
            });
        }
        None => (value, None),
    };
    let at_most: f64 = number.parse().map_err(|_| SpecError::NotANumber {
        spec: spec.to_string(),
        text: number.to_string(),
    })?;
    let max = if kind.is_share() { 1.0 } else { 100_000.0 };
    if !(at_most.is_finite() && (0.0..=max).contains(&at_most)) {
        return Err(SpecError::OutOfRange {
            spec: spec.to_string(),
            value: at_most,
            allowed: if kind.is_share() {
                "a share, 0 to 1"
            } else {
                "0 or more"
            },
        });
    }
    let from = match kind {
        TargetKind::Dependency => Some(from.unwrap_or(YearMonth {
            year: 2030,
            month: 1,
        })),
        _ => None,
    };
    Ok(Target {
        kind,
        at_most,
        from,
    })
}

/// Adds each `--target` to `targets` (replacing one of the same kind).
pub fn apply_targets(targets: &mut Targets, specs: &[String]) -> Result<(), SpecError> {
    for spec in specs {
        targets.set(parse_target(spec)?);
    }
    Ok(())
}

/// Parses `lever` (its whole range) or `lever=min..max` (stored units).
pub fn parse_vary(spec: &str, scenario: &Scenario) -> Result<Vary, SpecError> {
    let (id, range) = match spec.split_once('=') {
        Some((id, r)) => (id.trim(), Some(r.trim())),
        None => (spec.trim(), None),
    };
    let Some(knob) = Knob::parse(id) else {
        let ids: Vec<&str> = LEVERS.iter().map(|l| l.id).collect();
        return Err(SpecError::UnknownLever {
            id: id.to_string(),
            levers: ids.join(", "),
        });
    };
    if let Knob::CapexShare(m) = &knob
        && !scenario.materials.iter().any(|x| &x.id == m)
    {
        let ids: Vec<&str> = scenario.materials.iter().map(|x| x.id.as_str()).collect();
        return Err(SpecError::UnknownMaterial {
            id: id.to_string(),
            material: m.clone(),
            materials: ids.join(", "),
        });
    }
    let (lo, hi) = knob.range();
    let (min, max) = match range {
        None => (lo, hi),
        Some(r) => {
            let (a, b) = r.split_once("..").ok_or_else(|| SpecError::NoRange {
                spec: spec.to_string(),
                id: id.to_string(),
            })?;
            let num = |x: &str| {
                x.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| SpecError::NotANumber {
                        spec: spec.to_string(),
                        text: x.trim().to_string(),
                    })
            };
            (num(a)?, num(b)?)
        }
    };
    if min > max || min < lo || max > hi {
        return Err(SpecError::RangeOutside {
            spec: spec.to_string(),
            id: id.to_string(),
            lo,
            hi,
        });
    }
    Ok(Vary { knob, min, max })
}

/// A seek answer as a scenario file: the starting plan's metadata and targets, the levers
/// set, the name and description saying what it is.
pub fn answer_document(doc: &Document, answer: &Answer) -> Document {
    let mut out = doc.clone();
    out.scenario = answer.scenario.clone();
    let name = if doc.meta.name.trim().is_empty() {
        "Plan".to_string()
    } else {
        doc.meta.name.clone()
    };
    out.meta.name = format!("{name} (seek answer)");
    out.meta.description = if answer.feasible() {
        "The cheapest setting found that meets every target.".into()
    } else {
        "The closest setting found; not every target is met.".into()
    };
    out.meta.created = String::new();
    out.meta.modified = String::new();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_their_month_and_range() {
        let t = parse_target("dependency=0.5@2031-06").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.kind, TargetKind::Dependency);
        assert_eq!(t.at_most, 0.5);
        assert_eq!(
            t.from,
            Some(YearMonth {
                year: 2031,
                month: 6
            })
        );
        assert!(parse_target("shortfall_chance=5").is_err());
        assert!(parse_target("shortfall_months=1@2030-01").is_err());
        assert!(parse_target("budget=3").is_err_and(|e| e.to_string().contains("capex_budget")));
    }

    #[test]
    fn vary_takes_the_lever_range_or_a_narrower_one() {
        let s = Scenario::default();
        let v = parse_vary("capex", &s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((v.min, v.max), v.knob.range());
        let v = parse_vary("capex=1..3", &s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((v.min, v.max), (1.0, 3.0));
        assert!(parse_vary("capex=3..1", &s).is_err());
        assert!(parse_vary("capex=0..999", &s).is_err());
        assert!(parse_vary("capx", &s).is_err());
    }

    #[test]
    fn vary_takes_a_materials_capex_share() {
        let s = Scenario::default();
        let v = parse_vary("capex_share.Dy=0..0.4", &s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.knob, Knob::CapexShare("Dy".into()));
        assert_eq!((v.min, v.max), (0.0, 0.4));
        assert!(
            parse_vary("capex_share.Xx", &s)
                .is_err_and(|e| e.to_string().contains("no material `Xx`")),
            "an unknown material is named"
        );
        assert!(parse_vary("capex_share.Dy=0..2", &s).is_err());
        assert!(parse_vary("capex_share.", &s).is_err());
    }
}
