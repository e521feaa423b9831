//! Undo and redo as an exact linear history of committed states: each commit is one step
//! back, an edit after undoing drops the undone branch, and nothing else is ever restored.
//!
//! Written here rather than taken from `egui::util::undoer`, whose time-based auto-save and
//! kept redo branches made Undo restore states the user never committed.

/// States older than the current committed one, and the undone ones Redo re-applies.
#[derive(Clone, Debug)]
pub struct History<T> {
    /// Oldest first; at most `limit` entries.
    past: Vec<T>,
    /// The last committed state: what Undo goes back from and what an edit is compared with.
    committed: T,
    /// Undone states, the next to redo last.
    future: Vec<T>,
    limit: usize,
}

/// Steps back a document keeps: older ones are forgotten first.
pub const MAX_UNDO_STEPS: usize = 199;

impl<T: Clone + PartialEq> History<T> {
    /// A history whose only state is `start`, keeping at most `limit` steps back.
    pub fn new(start: T, limit: usize) -> Self {
        Self {
            past: Vec::new(),
            committed: start,
            future: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// Records `current` as one step if it differs from the last committed state. An edit
    /// after undoing drops the undone states: Redo never jumps onto a branch the user left.
    pub fn commit(&mut self, current: &T) {
        if *current == self.committed {
            return;
        }
        let previous = std::mem::replace(&mut self.committed, current.clone());
        self.past.push(previous);
        if self.past.len() > self.limit {
            self.past.remove(0);
        }
        self.future.clear();
    }

    /// Replaces the committed state without adding a step (the file stamps written on save
    /// belong to the state the user committed, not to a step of their own).
    pub fn amend(&mut self, current: &T) {
        self.committed.clone_from(current);
    }

    /// True when Undo would change `current`: an uncommitted edit, or a step back.
    pub fn can_undo(&self, current: &T) -> bool {
        *current != self.committed || !self.past.is_empty()
    }

    /// True when Redo would change `current`: only right after undoing, with no edit since.
    pub fn can_redo(&self, current: &T) -> bool {
        *current == self.committed && !self.future.is_empty()
    }

    /// Steps back: an uncommitted edit is committed first, so Undo takes back exactly it.
    /// Returns the state to show, or `None` when there is nothing to undo.
    pub fn undo(&mut self, current: &T) -> Option<&T> {
        self.commit(current);
        let previous = self.past.pop()?;
        let undone = std::mem::replace(&mut self.committed, previous);
        self.future.push(undone);
        Some(&self.committed)
    }

    /// Re-applies the last undone step, or returns `None` (nothing undone, or an edit since).
    pub fn redo(&mut self, current: &T) -> Option<&T> {
        if *current != self.committed {
            self.commit(current);
            return None;
        }
        let next = self.future.pop()?;
        let redone = std::mem::replace(&mut self.committed, next);
        self.past.push(redone);
        Some(&self.committed)
    }

    /// Steps back available (for tests of the bound).
    pub fn depth(&self) -> usize {
        self.past.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn two_edits_undo_in_reverse_order_and_redo_forward() {
        let mut h = History::new(0, 10);
        h.commit(&1);
        h.commit(&2);
        assert_eq!(h.undo(&2), Some(&1));
        assert_eq!(h.undo(&1), Some(&0));
        assert!(!h.can_undo(&0));
        assert_eq!(h.undo(&0), None);
        assert_eq!(h.redo(&0), Some(&1));
        assert_eq!(h.redo(&1), Some(&2));
        assert!(!h.can_redo(&2));
    }

    #[test]
    fn an_edit_after_undo_drops_the_undone_branch() {
        let mut h = History::new(0, 10);
        h.commit(&1);
        h.undo(&1);
        h.commit(&5);
        assert!(!h.can_redo(&5));
        assert_eq!(h.redo(&5), None);
        assert_eq!(h.undo(&5), Some(&0));
    }

    #[test]
    fn undo_takes_back_an_uncommitted_edit_first() {
        let mut h = History::new(0, 10);
        h.commit(&1);
        assert!(h.can_undo(&7));
        assert_eq!(
            h.undo(&7),
            Some(&1),
            "the edit to 7 was committed, then undone"
        );
        assert_eq!(h.redo(&1), Some(&7));
    }

    #[test]
    fn the_oldest_steps_are_forgotten_past_the_limit() {
        let mut h = History::new(0, 3);
        for v in 1..=10 {
            h.commit(&v);
        }
        assert_eq!(h.depth(), 3);
        let mut shown = 10;
        while let Some(&v) = h.undo(&shown) {
            shown = v;
        }
        assert_eq!(shown, 7);
    }

    #[derive(Clone, Debug)]
    enum Op {
        Edit(u8),
        Commit,
        Undo,
        Redo,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..6).prop_map(Op::Edit),
            Just(Op::Commit),
            Just(Op::Undo),
            Just(Op::Redo),
        ]
    }

    proptest! {
        /// Random edits, commits, undos and redos against the textbook model: a list of
        /// committed states and a cursor into it.
        #[test]
        fn matches_a_list_with_a_cursor(ops in proptest::collection::vec(op(), 0..200)) {
            let limit = 8;
            let mut h = History::new(0u8, limit);
            let mut shown = 0u8;
            let (mut list, mut cursor) = (vec![0u8], 0usize);
            let commit = |list: &mut Vec<u8>, cursor: &mut usize, v: u8| {
                if list[*cursor] != v {
                    list.truncate(*cursor + 1);
                    list.push(v);
                    *cursor += 1;
                    if list.len() > limit + 1 {
                        list.remove(0);
                        *cursor -= 1;
                    }
                }
            };
            for op in ops {
                match op {
                    Op::Edit(v) => shown = v,
                    Op::Commit => {
                        h.commit(&shown);
                        commit(&mut list, &mut cursor, shown);
                    }
                    Op::Undo => {
                        let expect_change = h.can_undo(&shown);
                        commit(&mut list, &mut cursor, shown);
                        let had_step = cursor > 0;
                        if let Some(&v) = h.undo(&shown) {
                            shown = v;
                        }
                        if had_step {
                            cursor -= 1;
                        }
                        prop_assert_eq!(shown, list[cursor]);
                        prop_assert_eq!(expect_change, had_step);
                    }
                    Op::Redo => {
                        let can = h.can_redo(&shown);
                        if list[cursor] != shown {
                            commit(&mut list, &mut cursor, shown);
                        } else if cursor + 1 < list.len() {
                            cursor += 1;
                        }
                        let before = shown;
                        if let Some(&v) = h.redo(&shown) {
                            shown = v;
                        }
                        prop_assert_eq!(shown, list[cursor]);
                        prop_assert_eq!(can, before != shown);
                    }
                }
            }
        }
    }
}
