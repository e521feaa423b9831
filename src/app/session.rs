//! The open documents: which one the levers edit, which one is the baseline, and the
//! explorer's set while a deck holds the screen. Every way a document is added, replaced,
//! closed or set aside is a method here, so no feature can lose work by editing the list
//! behind another's back (each defect that lost work before came from exactly that).
//!
//! A document's contents (its scenario, its undo history, its run) are edited in place
//! through [`Session::active_mut`] and [`Session::get_mut`]; which documents exist is not.

use super::Command;
use super::compare::CompareState;
use super::document::{DocId, OpenDocument};
use crate::scenario::{Diagnostic, Document, default_document};
use std::path::PathBuf;

/// The open documents, one active and at most one baseline, plus the explorer's documents
/// set aside while a deck is presented.
#[derive(Debug)]
pub struct Session {
    docs: Vec<OpenDocument>,
    active: DocId,
    baseline: Option<DocId>,
    /// True when the baseline is the one the active file names (it leaves with that file);
    /// false when the user pinned it (it stays until unpinned).
    baseline_from_file: bool,
    next_id: u64,
    /// The explorer as it was when a deck took the screen: given back when the deck is
    /// left, so a deck never leaks pins or a baseline into the explorer.
    stash: Option<Stash>,
    /// The active document as the lifecycle gate saw it when a read that will replace it was
    /// asked for (see [`Session::may_replace_active`]).
    seen_by_gate: Option<(DocId, Document)>,
}

/// The explorer's documents, baseline and pins, set aside while a deck is shown.
#[derive(Debug)]
struct Stash {
    docs: Vec<OpenDocument>,
    active: DocId,
    baseline: Option<DocId>,
    baseline_from_file: bool,
    compare: CompareState,
}

/// Unsaved work among `docs`; a baseline is a reference, never edited, so it does not count.
fn has_unsaved(docs: &[OpenDocument], baseline: Option<DocId>) -> bool {
    docs.iter().any(|d| d.dirty() && Some(d.id) != baseline)
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A session showing the default scenario, never saved.
    pub fn new() -> Self {
        let mut session = Self {
            docs: Vec::new(),
            active: DocId(0),
            baseline: None,
            baseline_from_file: false,
            next_id: 0,
            stash: None,
            seen_by_gate: None,
        };
        let first = session.document(None, default_document(), Vec::new());
        session.active = first.id;
        session.docs.push(first);
        session
    }

    /// A new document with an id no other document of this session has; not yet open (pass
    /// it to one of the methods that open a document).
    pub fn document(
        &mut self,
        path: Option<PathBuf>,
        doc: Document,
        warnings: Vec<Diagnostic>,
    ) -> OpenDocument {
        self.next_id += 1;
        OpenDocument::new(DocId(self.next_id), path, doc, warnings)
    }

    // ----- queries -----

    /// Every open document: the active one, the baseline, and any others.
    pub fn documents(&self) -> &[OpenDocument] {
        &self.docs
    }

    /// The document the levers edit and the charts show.
    pub fn active(&self) -> &OpenDocument {
        // The list is never empty: every method that removes a document adds another.
        self.get(self.active).unwrap_or(&self.docs[0])
    }

    /// The active document's id.
    pub fn active_id(&self) -> DocId {
        self.active
    }

    /// The pinned baseline, if any.
    pub fn baseline(&self) -> Option<&OpenDocument> {
        self.get(self.baseline?)
    }

    /// An open document by id.
    pub fn get(&self, id: DocId) -> Option<&OpenDocument> {
        self.docs.iter().find(|d| d.id == id)
    }

    /// Documents that hold the user's work (every one but the baseline).
    pub fn work(&self) -> impl Iterator<Item = &OpenDocument> {
        let baseline = self.baseline;
        self.docs.iter().filter(move |d| Some(d.id) != baseline)
    }

    /// Unsaved changes in an open document, or in one set aside by a deck.
    pub fn any_dirty(&self) -> bool {
        has_unsaved(&self.docs, self.baseline)
            || self
                .stash
                .as_ref()
                .is_some_and(|s| has_unsaved(&s.docs, s.baseline))
    }

    /// The lifecycle gate for documents: whether `command` would replace or close a document
    /// with unsaved work, and so must ask first. Revert and New from current need not ask:
    /// the first is one undoable step, the second carries the unsaved work into the copy.
    pub fn loses_work(&self, command: &Command) -> bool {
        if replaces_active(command) {
            return self.active().dirty();
        }
        matches!(command, Command::Quit) && self.any_dirty()
    }

    /// Notes the active document as it is now, when the gate has let through a command whose
    /// file read will replace it.
    pub fn mark_for_replacement(&mut self) {
        self.seen_by_gate = Some((self.active, self.active().doc.clone()));
    }

    /// Whether a read landing now may replace the active document: it holds no unsaved
    /// work, or only the work the gate was answered about. Edits made while the file was
    /// being read were never asked about, so they must be asked about again.
    pub fn may_replace_active(&self) -> bool {
        let active = self.active();
        !active.dirty()
            || self
                .seen_by_gate
                .as_ref()
                .is_some_and(|(id, doc)| *id == active.id && *doc == active.doc)
    }

    // ----- edits in place -----

    /// The active document, to edit its contents.
    pub fn active_mut(&mut self) -> &mut OpenDocument {
        let id = self.active;
        let index = self.docs.iter().position(|d| d.id == id).unwrap_or(0);
        &mut self.docs[index]
    }

    /// An open document by id, to edit its contents.
    pub fn get_mut(&mut self, id: DocId) -> Option<&mut OpenDocument> {
        self.docs.iter_mut().find(|d| d.id == id)
    }

    /// Brings every open document's run up to date; returns whether the active one's changed.
    pub fn refresh_runs(&mut self) -> bool {
        let active = self.active;
        let mut changed = false;
        for doc in &mut self.docs {
            let ran = doc.refresh();
            changed |= ran && doc.id == active;
        }
        changed
    }

    // ----- the lifecycle: what is open -----

    /// Makes `doc` the active document in place of the one that was, which is closed. The
    /// caller has passed the lifecycle gate: the closed one had no unsaved work, or the user
    /// chose to discard it.
    pub fn replace_active(&mut self, doc: OpenDocument) {
        self.seen_by_gate = None;
        let (old, id) = (self.active, doc.id);
        if Some(old) != self.baseline {
            self.docs.retain(|d| d.id != old);
        }
        self.docs.push(doc);
        self.active = id;
    }

    /// Opens `doc` as the active document; the one that was stays open unless it is an
    /// untouched document nobody would miss (a fresh start document giving way to a
    /// restored one).
    pub fn open_beside(&mut self, doc: OpenDocument) {
        let old = self.active;
        let untouched = self
            .get(old)
            .is_some_and(|d| !d.dirty() && Some(old) != self.baseline);
        if untouched {
            self.docs.retain(|d| d.id != old);
        }
        self.active = doc.id;
        self.docs.push(doc);
    }

    /// Drops the active document's unsaved edits: it becomes a fresh copy of its file (a
    /// document never saved becomes the default scenario), with no undo history to bring
    /// the edits back, as if it had just been opened.
    pub fn discard_active_edits(&mut self) {
        let active = self.active();
        if !active.dirty() {
            return;
        }
        let (path, doc, warnings) = if active.never_saved {
            (None, default_document(), Vec::new())
        } else {
            (
                active.path.clone(),
                active.saved.clone(),
                active.warnings.clone(),
            )
        };
        let fresh = self.document(path, doc, warnings);
        self.seen_by_gate = None;
        let (old, id) = (self.active, fresh.id);
        match self.docs.iter_mut().find(|d| d.id == old) {
            Some(slot) => *slot = fresh,
            None => self.docs.push(fresh),
        }
        self.active = id;
    }

    /// Makes `doc` the baseline, closing the previous one. `from_file`: the active file
    /// names it, so it leaves with that file.
    pub fn set_baseline(&mut self, doc: OpenDocument, from_file: bool) {
        self.close_baseline();
        self.baseline = Some(doc.id);
        self.baseline_from_file = from_file;
        self.docs.push(doc);
    }

    /// Closes the baseline, if any.
    pub fn close_baseline(&mut self) {
        if let Some(id) = self.baseline.take() {
            self.docs.retain(|d| d.id != id);
        }
        self.baseline_from_file = false;
    }

    /// Closes the baseline if the previous active file named it (a pinned one stays): the
    /// file just opened names none.
    pub fn close_file_baseline(&mut self) {
        if self.baseline_from_file {
            self.close_baseline();
        }
    }

    // ----- presentation -----

    /// Shows `doc` alone, with no baseline. The first time, the explorer's documents and
    /// `compare` (its pins) are set aside until [`Self::restore_explorer`]; after that the
    /// documents shown are closed (a slide's live edits are kept by the deck, not here).
    pub fn show_alone(&mut self, doc: OpenDocument, compare: CompareState) {
        let previous = Stash {
            docs: std::mem::take(&mut self.docs),
            active: self.active,
            baseline: self.baseline.take(),
            baseline_from_file: self.baseline_from_file,
            compare,
        };
        if self.stash.is_none() {
            self.stash = Some(previous);
        }
        self.baseline_from_file = false;
        self.active = doc.id;
        self.docs.push(doc);
    }

    /// Gives the explorer back the documents set aside by [`Self::show_alone`], closing the
    /// ones shown since; returns its pins. `None` (and nothing changes) when nothing is set
    /// aside.
    pub fn restore_explorer(&mut self) -> Option<CompareState> {
        let stash = self.stash.take()?;
        self.docs = stash.docs;
        self.active = stash.active;
        self.baseline = stash.baseline;
        self.baseline_from_file = stash.baseline_from_file;
        Some(stash.compare)
    }
}

/// Commands that replace the active document with another. A paste that is not a scenario
/// replaces nothing (its problems are listed), so it never asks.
fn replaces_active(command: &Command) -> bool {
    match command {
        Command::OpenPath(_) | Command::Present(super::present::PresentCommand::OpenDeck(_)) => {
            true
        }
        Command::PasteScenario(text) => crate::scenario::load_str(text, "clipboard").is_ok(),
        other => super::goal::replaces_active(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(session: &mut Session) {
        session.active_mut().doc.scenario.levers.quota_level.0 = 0.37;
    }

    #[test]
    fn replacing_the_active_document_keeps_the_baseline() {
        let mut session = Session::new();
        let base = session.document(None, default_document(), Vec::new());
        let base_id = base.id;
        session.set_baseline(base, false);
        let next = session.document(None, default_document(), Vec::new());
        session.replace_active(next);
        assert_eq!(session.documents().len(), 2);
        assert_eq!(session.baseline().map(|b| b.id), Some(base_id));
    }

    #[test]
    fn a_file_baseline_leaves_with_its_file_and_a_pinned_one_stays() {
        let mut session = Session::new();
        let base = session.document(None, default_document(), Vec::new());
        session.set_baseline(base, false);
        session.close_file_baseline();
        assert!(session.baseline().is_some(), "a pinned baseline stays");
        let base = session.document(None, default_document(), Vec::new());
        session.set_baseline(base, true);
        assert_eq!(session.documents().len(), 2, "the old baseline closed");
        session.close_file_baseline();
        assert!(session.baseline().is_none());
        assert_eq!(session.documents().len(), 1);
    }

    #[test]
    fn work_set_aside_by_a_deck_counts_as_unsaved_and_comes_back() {
        let mut session = Session::new();
        edited(&mut session);
        let explorer = session.active_id();
        let slide = session.document(None, default_document(), Vec::new());
        session.show_alone(slide, CompareState::default());
        assert_ne!(session.active_id(), explorer);
        assert!(
            session.any_dirty(),
            "the explorer's edits are still unsaved"
        );
        let second = session.document(None, default_document(), Vec::new());
        session.show_alone(second, CompareState::default());
        assert_eq!(session.documents().len(), 1, "the first slide closed");
        assert!(session.restore_explorer().is_some());
        assert_eq!(session.active_id(), explorer);
        assert!(session.active().dirty());
        assert!(session.restore_explorer().is_none());
    }

    #[test]
    fn an_untouched_start_document_gives_way_and_an_edited_one_stays() {
        let mut session = Session::new();
        let restored = session.document(None, default_document(), Vec::new());
        session.open_beside(restored);
        assert_eq!(session.documents().len(), 1);
        edited(&mut session);
        let another = session.document(None, default_document(), Vec::new());
        session.open_beside(another);
        assert_eq!(session.documents().len(), 2);
    }

    #[test]
    fn only_the_work_the_gate_saw_may_be_replaced() {
        let mut session = Session::new();
        assert!(session.may_replace_active(), "nothing unsaved");
        session.mark_for_replacement();
        edited(&mut session);
        assert!(!session.may_replace_active(), "an edit made after the gate");
        session.mark_for_replacement();
        assert!(
            session.may_replace_active(),
            "the work the user chose to discard"
        );
        let next = session.document(None, default_document(), Vec::new());
        session.replace_active(next);
        edited(&mut session);
        assert!(
            !session.may_replace_active(),
            "the mark went with its document"
        );
    }

    #[test]
    fn discarding_edits_leaves_a_clean_copy_with_a_new_id() {
        let mut session = Session::new();
        let before = session.active_id();
        edited(&mut session);
        session.discard_active_edits();
        assert!(!session.active().dirty());
        assert_ne!(session.active_id(), before);
        assert_eq!(session.documents().len(), 1);
    }
}
