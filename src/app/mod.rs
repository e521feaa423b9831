//! App state (no drawing): documents, commands, undo.
