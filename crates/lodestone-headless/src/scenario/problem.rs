//! One problem found in a file, by field path and severity: what validation, annotations and
//! overrides report, and what the window and the CLI show with file:line:col.

/// How serious a problem is: errors stop a file from loading, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The file does not load.
    Error,
    /// The file loads, but something in it looks wrong.
    Warning,
}

/// One problem, by field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Whether the problem stops the file from loading.
    pub severity: Severity,
    /// Field path, e.g. `materials[2].quota_share`.
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
}

impl Problem {
    pub(crate) fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.into(),
            message: message.into(),
        }
    }
}
