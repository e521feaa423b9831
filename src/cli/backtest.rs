//! `lodestone backtest`: runs episodes of the public record with the model's defaults and
//! prints, check by check, what the record says, what the model gives and whether the shape
//! holds. With no file it runs the episodes shipped in `backtests/` (compiled in).

use super::{Failure, load};
use crate::model::simulate;
use crate::scenario::record::Outcome;
use crate::scenario::{self, Document, apply_set};
use std::path::{Path, PathBuf};

/// The shipped episodes: (file name, text).
pub const SHIPPED: [(&str, &str); 2] = [
    (
        "backtests/quota-2010.ron",
        include_str!("../../backtests/quota-2010.ron"),
    ),
    (
        "backtests/licensing-2025.ron",
        include_str!("../../backtests/licensing-2025.ron"),
    ),
];

/// One episode's outcomes.
pub struct Episode {
    /// The episode's scenario name (`meta.name`).
    pub name: String,
    /// Where the episode came from: its file, or the shipped file's name.
    pub origin: String,
    /// One outcome per check, in the file's order.
    pub outcomes: Vec<Outcome>,
}

impl Episode {
    /// True when every check passed.
    pub fn passed(&self) -> bool {
        self.outcomes.iter().all(|o| o.passed)
    }
}

/// Runs a document's checks on its own scenario.
pub fn evaluate(doc: &Document, origin: &str) -> Episode {
    let run = simulate(&doc.scenario);
    Episode {
        name: doc.meta.name.clone(),
        origin: origin.to_string(),
        outcomes: doc.record.checks.iter().map(|c| c.evaluate(&run)).collect(),
    }
}

/// Why the shipped episodes could not be run.
#[derive(Debug, thiserror::Error)]
pub enum EpisodeError {
    /// An embedded episode file does not load (a build defect; its message says where).
    #[error("{0}")]
    Load(#[from] scenario::LoadError),
    /// A `--set` override does not apply.
    #[error("--set {0}")]
    Set(#[from] scenario::levers::SetError),
}

/// The shipped episodes, evaluated (with lever overrides, `--set` style).
pub fn shipped(sets: &[String]) -> Result<Vec<Episode>, EpisodeError> {
    SHIPPED
        .iter()
        .map(|(origin, text)| {
            let mut doc = scenario::load_str(text, origin)?.document;
            for spec in sets {
                apply_set(&mut doc, spec)?;
            }
            Ok(evaluate(&doc, origin))
        })
        .collect()
}

pub(super) fn run(files: &[PathBuf], sets: &[String]) -> Result<(), Failure> {
    let episodes = if files.is_empty() {
        shipped(sets).map_err(|e| Failure::Message(e.to_string()))?
    } else {
        let mut out = Vec::new();
        for f in files {
            let mut doc = load(f)?.document;
            for spec in sets {
                apply_set(&mut doc, spec).map_err(|e| Failure::Message(format!("--set {e}")))?;
            }
            if doc.record.checks.is_empty() {
                return Err(Failure::Message(format!(
                    "{}: no `record.checks` to run (a backtest file lists its shape checks there)",
                    f.display()
                )));
            }
            out.push(evaluate(&doc, &f.display().to_string()));
        }
        out
    };
    let mut failed = 0;
    for e in &episodes {
        print_episode(e)?;
        failed += e.outcomes.iter().filter(|o| !o.passed).count();
    }
    let total: usize = episodes.iter().map(|e| e.outcomes.len()).sum();
    outln!("{} passed, {failed} failed", total - failed)?;
    if failed > 0 {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

fn print_episode(e: &Episode) -> Result<(), Failure> {
    let origin = Path::new(&e.origin).display();
    outln!("{}  [{origin}]", e.name)?;
    for o in &e.outcomes {
        let mark = if o.passed { "pass" } else { "FAIL" };
        outln!("  {mark}  {}", o.label)?;
        outln!("        model:   {}", o.model)?;
        if !o.allowed.is_empty() {
            outln!("        allowed: {}", o.allowed)?;
        }
        if !o.record.is_empty() {
            outln!("        record:  {}", o.record)?;
        }
    }
    outln!()?;
    Ok(())
}
