//! One open scenario: the document being edited, the copy last saved (so `dirty` is derived,
//! never a flag), its undo history, and its model runs. No drawing and no file dialogs here.

use super::history::{History, MAX_UNDO_STEPS};
use super::plot_cache::PlotCache;
use crate::model::{
    Comparison, Results, Scenario, StrategyFigures, Summary, Workspace, simulate_into,
    strategy_figures_from,
};
use crate::scenario::{Diagnostic, Document};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Stable identity of an open document (indices shift when documents close).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocId(pub u64);

/// A model run kept up to date with one scenario: results, plot points, timing.
#[derive(Debug)]
pub struct Run {
    /// The scenario the results belong to; `None` before the first run.
    input: Option<Scenario>,
    workspace: Workspace,
    /// The run's results, in model units.
    pub results: Results,
    /// The results as plot points, rebuilt after each run.
    pub plot: PlotCache,
    /// Wall time of the last model run (not of the plot rebuild).
    pub elapsed: Duration,
}

impl Default for Run {
    fn default() -> Self {
        Self {
            input: None,
            workspace: Workspace::default(),
            results: Results::empty(),
            plot: PlotCache::default(),
            elapsed: Duration::ZERO,
        }
    }
}

impl Run {
    /// Re-runs the model if `scenario` differs from the last input; returns whether it ran.
    pub fn update(&mut self, scenario: &Scenario) -> bool {
        if self.input.as_ref() == Some(scenario) {
            return false;
        }
        let started = Instant::now();
        simulate_into(scenario, &mut self.workspace, &mut self.results);
        self.elapsed = started.elapsed();
        self.plot.rebuild(&self.results);
        match &mut self.input {
            Some(input) => input.clone_from(scenario),
            None => self.input = Some(scenario.clone()),
        }
        true
    }

    /// Forgets the input so the next [`Run::update`] runs again.
    pub fn invalidate(&mut self) {
        self.input = None;
    }
}

/// A scenario open in the window.
#[derive(Debug)]
pub struct OpenDocument {
    /// Stable identity of the document.
    pub id: DocId,
    /// Where it was loaded from or last saved to; `None` for a new, never-saved scenario.
    pub path: Option<PathBuf>,
    /// `path` resolved once when it is set, so matching it against the library needs no
    /// file system call per frame.
    pub canonical: Option<PathBuf>,
    /// What the user is editing.
    pub doc: Document,
    /// The state last loaded or saved; `dirty` compares against it.
    pub saved: Document,
    /// True for a document that exists only in the window (New from current, a paste)
    /// until it is first saved: it is unsaved whatever its contents.
    pub never_saved: bool,
    /// Non-fatal notes from loading (e.g. what a migration changed).
    pub warnings: Vec<Diagnostic>,
    history: History<Document>,
    /// Run of the current scenario.
    pub run: Run,
    /// Run of the calm reference (no controls, no diversification capex): the reference when no baseline
    /// is pinned.
    pub counterfactual: Run,
    /// Runs of the saved state, for "change since last save".
    pub saved_run: Run,
    /// Run of the saved state's calm reference.
    pub saved_counterfactual: Run,
    /// The cost of the current scenario's strategy four ways (with and without its controls
    /// and its capex), refreshed with its run.
    pub strategy: StrategyFigures,
}

impl OpenDocument {
    /// An open document with its saved state equal to `doc`, one undo point, and no runs yet.
    pub fn new(id: DocId, path: Option<PathBuf>, doc: Document, warnings: Vec<Diagnostic>) -> Self {
        Self {
            history: History::new(doc.clone(), MAX_UNDO_STEPS),
            canonical: path.as_deref().map(super::library::canonical),
            id,
            path,
            saved: doc.clone(),
            never_saved: false,
            doc,
            warnings,
            run: Run::default(),
            counterfactual: Run::default(),
            saved_run: Run::default(),
            saved_counterfactual: Run::default(),
            strategy: StrategyFigures::default(),
        }
    }

    /// True when the document differs from its last saved state.
    pub fn dirty(&self) -> bool {
        self.never_saved || self.doc != self.saved
    }

    /// Name for titles and lists.
    pub fn display_name(&self) -> String {
        crate::display::names::scenario_name(&self.doc.meta.name, self.path.as_deref())
    }

    /// Brings every run up to date with the current and saved scenarios. Returns whether the
    /// current scenario's run changed.
    pub fn refresh(&mut self) -> bool {
        let changed = self.run.update(&self.doc.scenario);
        if changed {
            self.counterfactual.update(&self.doc.scenario.reference());
            self.strategy = strategy_figures_from(
                &self.doc.scenario,
                &self.run.results,
                &self.counterfactual.results,
            );
        }
        if self.saved_run.update(&self.saved.scenario) {
            self.saved_counterfactual
                .update(&self.saved.scenario.reference());
        }
        changed
    }

    /// Headline of the current scenario against `baseline` (or its own no-controls run).
    pub fn summary(&self, baseline: Option<&Results>) -> Summary {
        summarise(
            &self.run.results,
            baseline.unwrap_or(&self.counterfactual.results),
        )
    }

    /// Headline of the saved state against `baseline` (or its own no-controls run).
    pub fn saved_summary(&self, baseline: Option<&Results>) -> Summary {
        summarise(
            &self.saved_run.results,
            baseline.unwrap_or(&self.saved_counterfactual.results),
        )
    }

    /// Records an undo step for the document (levers, events, metadata alike) if it changed
    /// since the last one. Called only while no pointer drag or text edit is in progress, so
    /// one drag is one step.
    pub fn commit_undo_point(&mut self) {
        self.history.commit(&self.doc);
    }

    /// True when there is a change to undo.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo(&self.doc)
    }

    /// True when there is an undone change to redo.
    pub fn can_redo(&self) -> bool {
        self.history.can_redo(&self.doc)
    }

    /// Steps back one committed change; returns whether anything changed.
    pub fn undo(&mut self) -> bool {
        match self.history.undo(&self.doc) {
            Some(previous) => {
                let changed = *previous != self.doc;
                self.doc.clone_from(previous);
                changed
            }
            None => false,
        }
    }

    /// Re-applies the last undone change; returns whether anything changed.
    pub fn redo(&mut self) -> bool {
        match self.history.redo(&self.doc) {
            Some(next) => {
                self.doc.clone_from(next);
                true
            }
            None => false,
        }
    }

    /// Records that `written` (the document as it was when the save was asked, with the
    /// dates saving stamps) is now the file at `path`. Edits made while the file was being
    /// written stay, and stay unsaved.
    pub fn mark_saved(&mut self, path: PathBuf, written: &Document) {
        self.canonical = Some(super::library::canonical(&path));
        self.path = Some(path);
        if same_but_stamps(&self.doc, written) {
            self.doc.clone_from(written);
            // The stamps written on save belong to the step the user committed.
            self.history.amend(&self.doc);
        }
        self.saved = written.clone();
        self.never_saved = false;
    }
}

/// Equal but for the dates saving stamps.
fn same_but_stamps(a: &Document, b: &Document) -> bool {
    a.scenario == b.scenario
        && a.baseline == b.baseline
        && a.annotations == b.annotations
        && a.record == b.record
        && a.meta.name == b.meta.name
        && a.meta.description == b.meta.description
        && a.meta.author == b.meta.author
        && a.meta.tags == b.meta.tags
        && a.meta.notes == b.meta.notes
}

fn summarise(run: &Results, reference: &Results) -> Summary {
    Summary {
        headline: run.headline.clone(),
        extra_cost_usd: Comparison::between(run, reference).extra_cost_usd,
    }
}
