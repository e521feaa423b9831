//! The scenario file format: a versioned RON document holding metadata plus a
//! [`crate::model::Scenario`]. Reading, validating (with file:line:col positions), migrating and
//! writing live here; the model never sees a file.
//!
//! STUB: minimal load/save so the app can be built against the API; the full format
//! (versioning, validation, migration) replaces the internals without changing signatures.

use crate::model::Scenario;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// The format version this build writes.
pub const FORMAT_VERSION: u32 = 1;

/// Descriptive fields of a scenario file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Meta {
    pub name: String,
    pub description: String,
    pub author: String,
    pub created: String,
    pub modified: String,
    pub tags: Vec<String>,
    pub notes: String,
}

/// A scenario as people save and share it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub meta: Meta,
    /// Path (relative to this file, or absolute) of the scenario to compare against.
    pub baseline: Option<String>,
    pub scenario: Scenario,
}

/// One problem found in a file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// Field path, e.g. `materials[2].quota_events[0].date` (empty when not about one field).
    pub field: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.col)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem that stopped a file from loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// A document that loaded, with any non-fatal notes (e.g. what a migration changed).
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub document: Document,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Serialize, Deserialize)]
#[serde(default)]
struct FileV1 {
    version: u32,
    #[serde(flatten)]
    meta: Meta,
    baseline: Option<String>,
    scenario: Scenario,
}

impl Default for FileV1 {
    fn default() -> Self {
        Self {
            version: FORMAT_VERSION,
            meta: Meta::default(),
            baseline: None,
            scenario: Scenario::default(),
        }
    }
}

/// Parses and validates scenario text; `origin` names the file in diagnostics.
pub fn load_str(text: &str, origin: &str) -> Result<Loaded, LoadError> {
    let file: FileV1 = ron::from_str(text).map_err(|e| LoadError {
        diagnostics: vec![Diagnostic {
            file: origin.to_string(),
            line: e.span.start.line,
            col: e.span.start.col,
            field: String::new(),
            message: e.code.to_string(),
        }],
    })?;
    Ok(Loaded {
        document: Document {
            meta: file.meta,
            baseline: file.baseline,
            scenario: file.scenario,
        },
        warnings: Vec::new(),
    })
}

/// Reads, parses and validates a scenario file.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| LoadError {
        diagnostics: vec![Diagnostic {
            file: origin.clone(),
            line: 0,
            col: 0,
            field: String::new(),
            message: e.to_string(),
        }],
    })?;
    load_str(&text, &origin)
}

/// The canonical text of a document: pretty RON, stable field order.
pub fn to_ron_string(doc: &Document) -> String {
    let file = FileV1 {
        version: FORMAT_VERSION,
        meta: doc.meta.clone(),
        baseline: doc.baseline.clone(),
        scenario: doc.scenario.clone(),
    };
    ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::default()).unwrap_or_default()
}

/// Writes a document to `path`.
pub fn save_file(path: &Path, doc: &Document) -> std::io::Result<()> {
    std::fs::write(path, to_ron_string(doc))
}

/// The built-in default scenario as a document (what `cargo run` opens).
pub fn default_document() -> Document {
    Document {
        meta: Meta {
            name: "2025 controls and pause (default)".into(),
            description: "April 2025 controls, October expansion, November pause; $5 B of capex from mid-2025".into(),
            ..Meta::default()
        },
        baseline: None,
        scenario: Scenario::default(),
    }
}
