//! `lodestone seek FILE` (the cheapest plan that meets the targets) and `lodestone robust FILE`
//! (in which futures the plan fails, and why). Thin callers of `crate::model::seek` and
//! `crate::model::robust`; targets come from the file and `--target`.

use super::run::load_company;
use super::{Failure, check_outputs, load, title};
use crate::model::robust::robustness;
use crate::model::seek::{
    CompanyPlan, DEFAULT_MAX_OFFTAKE, DEFAULT_MAX_STOCK_MONTHS, Mode, Request, default_vary, seek,
};
use crate::scenario::goal::{answer_document, apply_targets, parse_vary};
use crate::scenario::{self, Document, apply_set};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `lodestone seek`.
#[derive(Debug, Args)]
pub struct SeekArgs {
    /// Scenario file: the plan to start from, with its targets.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A target, added to the file's (replacing one of the same kind):
    /// `dependency=0.5@2030-01`, `shortfall_months=0`, `strategy_cost=450` ($B),
    /// `capex_budget=60` ($B), `shortfall_chance=0.05`. Repeatable.
    #[arg(long = "target", value_name = "KIND=VALUE")]
    pub target: Vec<String>,
    /// A lever to move, over its whole range (`stockpile`) or within bounds
    /// (`capex=0..12`), or a material's capex share (`capex_share.Dy=0..0.3`, the other
    /// shares rescaled); repeatable. Default: capex, stockpile, the permitting delay
    /// shortened by up to 2 years, and the capex share of every material but the largest.
    #[arg(long = "vary", value_name = "LEVER[=MIN..MAX]")]
    pub vary: Vec<String>,
    /// Ask every target to hold in at least this share of the uncertain futures (0-1).
    #[arg(long, value_name = "SHARE")]
    pub robust: Option<f64>,
    /// Override a lever of the starting plan first (`quota_level=0.3`). Repeatable.
    #[arg(long = "set", value_name = "LEVER=VALUE")]
    pub set: Vec<String>,
    /// Write the answer as a scenario file (with the targets).
    #[arg(long, short = 'o', value_name = "OUT.ron")]
    pub out: Option<PathBuf>,
    /// A company profile: the seek sizes its strategic stock (0-24 months) and a non-China
    /// offtake (0-50 % of need) for the cheapest expected spend plus stoppage cost that meets
    /// the targets (`stoppage_chance` among them); the market levers move only with --vary.
    #[arg(long, value_name = "PROFILE")]
    pub company: Option<PathBuf>,
    /// With --company: write the company's sized profile here.
    #[arg(long, value_name = "OUT.ron", requires = "company")]
    pub profile_out: Option<PathBuf>,
}

/// Arguments of `lodestone robust`.
#[derive(Debug, Args)]
pub struct RobustArgs {
    /// Scenario file: the plan, with its targets.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A target, added to the file's (see `seek`). Repeatable.
    #[arg(long = "target", value_name = "KIND=VALUE")]
    pub target: Vec<String>,
    /// Override a lever first (`quota_level=0.3`). Repeatable.
    #[arg(long = "set", value_name = "LEVER=VALUE")]
    pub set: Vec<String>,
}

/// The file with `--set` and `--target` applied, checked again.
fn prepared(path: &Path, sets: &[String], targets: &[String]) -> Result<Document, Failure> {
    let mut doc = load(path)?.document;
    for spec in sets {
        apply_set(&mut doc, spec).map_err(|e| Failure::Message(format!("--set {e}")))?;
    }
    apply_targets(&mut doc.targets, targets)
        .map_err(|e| Failure::Usage(format!("--target {e}")))?;
    let errors: Vec<String> = scenario::validate(&doc)
        .into_iter()
        .filter(|p| p.severity == scenario::validate::Severity::Error)
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    if !errors.is_empty() {
        return Err(Failure::Message(format!(
            "after --set/--target: {}",
            errors.join("; ")
        )));
    }
    Ok(doc)
}

/// Runs `lodestone seek`.
pub fn run_seek(args: &SeekArgs) -> Result<(), Failure> {
    let doc = prepared(&args.file, &args.set, &args.target)?;
    let inputs = scenario::input_files(&doc, &args.file);
    let mut inputs = inputs;
    inputs.extend(args.company.clone());
    check_outputs(
        &inputs,
        &[
            ("--out", args.out.as_deref()),
            ("--profile-out", args.profile_out.as_deref()),
        ],
    )?;
    if doc.targets.is_empty() {
        return Err(Failure::Usage(format!(
            "{} has no targets; add some to the file (`targets: (dependency: (at_most: 0.5, from: \"2030-01\"))`) or give --target",
            args.file.display()
        )));
    }
    let vary = if args.vary.is_empty() {
        default_vary(&doc.scenario)
    } else {
        args.vary
            .iter()
            .map(|s| parse_vary(s, &doc.scenario))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::Usage(format!("--vary {e}")))?
    };
    let mode = match args.robust {
        None => Mode::Central,
        Some(share) if share.is_finite() && (0.0..=1.0).contains(&share) => Mode::Robust { share },
        Some(share) => {
            return Err(Failure::Usage(format!(
                "--robust {share}: a share of the futures, 0 to 1"
            )));
        }
    };
    let company = match &args.company {
        Some(path) => Some(CompanyPlan {
            profile: load_company(path, &doc.scenario)?,
            stock: Some((0.0, DEFAULT_MAX_STOCK_MONTHS)),
            offtake: Some((0.0, DEFAULT_MAX_OFFTAKE)),
        }),
        None => None,
    };
    if company.is_none() && doc.targets.stoppage_chance.is_some() {
        errln!("warning: stoppage_chance needs a company: give --company PROFILE; it is left out");
    }
    // With a company the market levers move only when asked for.
    let vary = if company.is_some() && args.vary.is_empty() {
        Vec::new()
    } else {
        vary
    };
    let request = Request {
        scenario: doc.scenario.clone(),
        targets: doc.targets.clone(),
        vary,
        mode,
        company,
    };
    let answer = seek(&request, &|_| {}, &|| false)
        .ok_or_else(|| Failure::Message("the seek was cancelled".into()))?;
    outln!("{}", title(&args.file, &doc.meta.name))?;
    for line in answer.account() {
        outln!("  {line}")?;
    }
    outln!("  ({} settings tried)", answer.evaluations)?;
    if let Some(out) = &args.out {
        let mut answer_doc = answer_document(&doc, &answer);
        // A baseline named relative to the input must still be found from the output.
        if let Some(base) = scenario::resolve_baseline(&doc, Some(&args.file)) {
            let same_folder = args.file.parent() == out.parent();
            if !same_folder {
                let absolute = std::path::absolute(&base).unwrap_or(base);
                answer_doc.baseline = Some(absolute.display().to_string());
            }
        }
        scenario::save_file(out, &answer_doc)
            .map_err(|e| Failure::Message(format!("cannot write {}: {e}", out.display())))?;
        outln!("  written to {}", out.display())?;
    }
    if let (Some(out), Some(profile)) = (&args.profile_out, &answer.profile) {
        let text = scenario::profile::profile_to_ron(profile);
        super::write_out(out, |w| w.write_all(text.as_bytes()))?;
        outln!("  company profile written to {}", out.display())?;
    }
    Ok(())
}

/// Runs `lodestone robust`.
pub fn run_robust(args: &RobustArgs) -> Result<(), Failure> {
    let doc = prepared(&args.file, &args.set, &args.target)?;
    let r = robustness(&doc.scenario, &doc.targets, &|| false)
        .ok_or_else(|| Failure::Message("the run was cancelled".into()))?;
    outln!("{}", title(&args.file, &doc.meta.name))?;
    if doc.targets.is_empty() {
        outln!("  no targets in the file: a future fails when it has a month of shortfall")?;
    }
    for c in &r.checks {
        outln!("  {}", c.line())?;
    }
    outln!(
        "  every target holds in {:.1} % of {} futures ({} fail)",
        r.share_met * 100.0,
        r.paths,
        r.failed.iter().filter(|f| **f).count()
    )?;
    if r.boxes.is_empty() {
        outln!("  no condition on the uncertain inputs explains the failures better than chance")?;
    }
    for s in r.sentences() {
        outln!("  {s}")?;
    }
    Ok(())
}
