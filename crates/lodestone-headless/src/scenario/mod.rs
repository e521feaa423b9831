//! The scenario file format: a versioned RON document holding metadata plus a
//! [`crate::model::Scenario`]. Reading, migrating, validating (every problem at once, with
//! file:line:col and a field path) and writing live here; the model never sees a file.
//!
//! Layout of the module:
//! - `format.rs`: the on-disk serde types of each version and the field schema;
//! - `locate.rs`: maps a field path to its line and column in the text (and back);
//! - `validate.rs`: ranges, dates, references and sums, by field path;
//! - `levers.rs`: lever overrides by descriptor id (`--set`) and lever differences (`diff`);
//! - `export.rs`: CSV and JSON writers for results.
//!
//! What a file may leave out is filled from the model's `Default` impls (the documented
//! defaults): a file with a name and the three headline levers is a complete scenario. Leaving
//! out `materials` gives the four default materials; leaving out `events` gives the 2025
//! timeline (write `events: []` for none). A material entry whose id names a default material
//! (NdPr, Dy, Tb, Other) takes that material's values for the fields it omits; any other id
//! starts from the model's generic `Material::default()`. Saving always writes every field.

pub mod annotation;
pub mod atomic;
pub mod chart;
pub mod data_file;
pub mod deck;
mod format;
pub mod goal;
pub mod levers;
pub mod locate;
pub mod observed;
pub mod problem;
pub mod profile;
pub mod record;
pub mod stamp;
pub mod validate;

use crate::model::Scenario;
use format::{FileV1, FileV1Map, FileV2In, FileV2Out};
use locate::{Locator, Pos};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use validate::Severity;

pub use levers::{Difference, SetError, apply_set, differences};
pub use validate::{Problem, validate};

/// The format version this build writes. Older versions are migrated on load.
pub const FORMAT_VERSION: u32 = 2;

/// Largest file accepted, in bytes: scenario files are a few kilobytes.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Most problems reported for one file; a last diagnostic says how many more there were.
pub const MAX_DIAGNOSTICS: usize = 100;

/// Descriptive fields of a scenario file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meta {
    /// Short title shown in the window and in `diff`.
    pub name: String,
    /// One or two sentences: what story the scenario tells.
    pub description: String,
    /// Who wrote the scenario.
    pub author: String,
    /// Dates as `YYYY-MM-DD` (anything else loads with a warning).
    pub created: String,
    /// Date of the last save, as `YYYY-MM-DD`; the window stamps it.
    pub modified: String,
    /// Free keywords for sorting and finding scenarios.
    pub tags: Vec<String>,
    /// Free text, typically the sources of the numbers.
    pub notes: String,
}

/// A scenario as people save and share it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// Name, description, dates and notes.
    pub meta: Meta,
    /// Path (relative to this file, or absolute) of the scenario to compare against.
    pub baseline: Option<String>,
    /// The model inputs.
    pub scenario: Scenario,
    /// Text notes at dates on the charts (optional section of the file).
    pub annotations: Vec<annotation::Annotation>,
    /// Observed series and backtest checks (optional section of the file).
    pub record: record::Record,
    /// What the plan must achieve, for goal seek and robustness (optional section).
    pub targets: crate::model::Targets,
    /// The model version (and headline figures) of the save that wrote the file, if any.
    pub stamp: Option<stamp::Stamp>,
}

/// One problem found in a file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as named to the loader (a path, or a label such as "clipboard").
    pub file: String,
    /// 1-based line and column; 0 when the problem is about the file as a whole
    /// (it could not be read), in which case `Display` leaves them out.
    pub line: usize,
    /// Column in characters, 1-based; 0 together with `line`.
    pub col: usize,
    /// Field path, e.g. `materials[2].quota_events[0].date` (empty when not about one field).
    pub field: String,
    /// What is wrong, and how to fix it where that is known.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: ", self.file)?;
        } else {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.col)?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem that stopped a file from loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Every problem found; for a scenario file at most [`MAX_DIAGNOSTICS`], then one saying
    /// how many more.
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

impl LoadError {
    /// The problems of one file (`origin`), at most [`MAX_DIAGNOSTICS`] of them and then one
    /// line saying how many more there were: every kind of file is capped the same way.
    pub fn capped(mut diagnostics: Vec<Diagnostic>, origin: &str) -> Self {
        if diagnostics.len() > MAX_DIAGNOSTICS {
            let more = diagnostics.len() - MAX_DIAGNOSTICS;
            diagnostics.truncate(MAX_DIAGNOSTICS);
            diagnostics.push(Diagnostic {
                file: origin.to_string(),
                line: 0,
                col: 0,
                field: String::new(),
                message: format!("... and {more} more problems"),
            });
        }
        LoadError { diagnostics }
    }

    /// The first problem as one line (empty when there is none), for a short status message.
    pub fn first(&self) -> String {
        self.diagnostics
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}

impl std::error::Error for LoadError {}

/// A document that loaded, with any non-fatal notes (e.g. what a migration changed).
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The document, migrated to the current format version.
    pub document: Document,
    /// What loading changed or noticed without refusing the file.
    pub warnings: Vec<Diagnostic>,
}

/// Builds diagnostics for one text.
struct Reporter<'a> {
    origin: &'a str,
    locator: &'a Locator,
    /// Version of the text, so model paths map to where that version writes them.
    version: u64,
}

impl Reporter<'_> {
    fn at(&self, pos: Pos, field: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.origin.to_string(),
            line: pos.line,
            col: pos.col,
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// A diagnostic for a field path of the current layout, placed where the text has it.
    fn field(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        let text_path = self.text_path(path);
        let pos = self.locator.locate(&text_path);
        let mut message = message.into();
        if self.locator.position(&text_path).is_none() && !path.is_empty() {
            // Pointing at the enclosing section alone would puzzle: say why nothing is there.
            message.push_str(" (a default value: the file does not set this field)");
        }
        self.at(pos, path, message)
    }

    /// Where `path` (a version-2 path) is written in a text of `self.version`.
    fn text_path(&self, path: &str) -> String {
        if self.version != 1 {
            return path.to_string();
        }
        match path.strip_prefix("meta.") {
            Some(rest) => rest.to_string(),
            None if path == "meta" => String::new(),
            None if path == "baseline" || path == "version" => path.to_string(),
            None => format!("scenario.{path}"),
        }
    }

    /// A ron error at ron's position, with the field path found there.
    fn ron(&self, e: &ron::error::SpannedError) -> Diagnostic {
        let pos = Pos {
            line: e.span.start.line.max(1),
            col: e.span.start.col.max(1),
        };
        let field = self.locator.path_at(pos).to_string();
        self.at(pos, &field, describe_ron_error(&e.code))
    }
}

/// ron's message, reworded where it would puzzle someone who does not know ron.
fn describe_ron_error(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "the file ends early: a bracket or string is not closed".to_string(),
        E::NoSuchStructField {
            expected, found, ..
        } => format!(
            "unknown field `{found}`; known fields: {}",
            expected.join(", ")
        ),
        E::DuplicateStructField { field, .. } => format!("field `{field}` is given twice"),
        E::ExceededRecursionLimit => format!(
            "nesting is deeper than {} levels; scenario files need only a few",
            locate::MAX_DEPTH
        ),
        E::Message(m) => m.clone(),
        other => {
            let text = other.to_string();
            // ron's messages start with a capital; ours continue after `field: `.
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

fn ron_options() -> ron::Options {
    // The locator already refuses deeper nesting; this keeps ron's own recursion bounded too.
    ron::Options::default().with_recursion_limit(locate::MAX_DEPTH + 8)
}

/// Unknown and repeated fields, every one of them, from the text's structure.
/// Unknown and repeated fields, with the span (field name to end of value) of each.
fn field_problems(
    reporter: &Reporter<'_>,
    schema: &[(String, Vec<String>)],
) -> (Vec<Diagnostic>, Vec<(Pos, Pos)>) {
    let mut out = Vec::new();
    let mut spans = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in reporter.locator.entries().iter().filter(|e| e.key) {
        let (parent, name) = match e.path.rsplit_once('.') {
            Some((p, n)) => (p, n),
            None => ("", e.path.as_str()),
        };
        let Some((struct_path, known)) = schema.iter().find(|(p, _)| *p == locate::generic(parent))
        else {
            // Inside a value we have no schema for (e.g. within an unknown field): skip.
            continue;
        };
        let pos = e.start;
        if !known.iter().any(|k| k == name) {
            let place = if struct_path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in `{struct_path}`")
            };
            let hint = match format::suggest(name, known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known fields: {}", known.join(", ")),
            };
            out.push(reporter.at(
                pos,
                &e.path,
                format!("unknown field `{name}` {place}; {hint}"),
            ));
            spans.push((e.start, e.end));
        } else if !seen.insert(e.path.as_str()) {
            out.push(reporter.at(pos, &e.path, format!("field `{name}` is given twice")));
            spans.push((e.start, e.end));
        }
    }
    (out, spans)
}

/// The text with each span (and the comma after it) replaced by spaces, keeping every other
/// line and column where it was.
pub(crate) fn blank_fields(text: &str, spans: &[(Pos, Pos)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    // Character index of each line's start.
    let mut line_starts = vec![0];
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            line_starts.push(i + 1);
        }
    }
    let index = |p: Pos| {
        line_starts
            .get(p.line.saturating_sub(1))
            .map(|s| (s + p.col.saturating_sub(1)).min(len))
    };
    for &(start, end) in spans {
        let (Some(from), Some(to)) = (index(start), index(end)) else {
            continue;
        };
        let mut to = to.max(from);
        let mut next = to;
        while next < len && chars[next].is_whitespace() {
            next += 1;
        }
        if chars.get(next) == Some(&',') {
            to = next + 1;
        }
        for c in &mut chars[from..to] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    }
    chars.into_iter().collect()
}

/// Parses, migrates and validates scenario text; `origin` names the file in diagnostics.
///
/// Every problem is reported at once where that is possible: unknown fields all together,
/// then (if the text reads) every semantic problem. Syntax and type errors stop at the first,
/// as ron does. Never panics.
pub fn load_str(text: &str, origin: &str) -> Result<Loaded, LoadError> {
    let text = without_bom(text);
    let fail = |d: Vec<Diagnostic>| Err(LoadError::capped(d, origin));
    let start = Pos { line: 1, col: 1 };
    let empty = Locator::default();
    let mut reporter = Reporter {
        origin,
        locator: &empty,
        version: u64::from(FORMAT_VERSION),
    };
    if text.len() > MAX_FILE_BYTES {
        return fail(vec![reporter.at(
            start,
            "",
            format!(
                "the file is {} bytes; scenario files are limited to {} bytes (1 MiB)",
                text.len(),
                MAX_FILE_BYTES
            ),
        )]);
    }
    if text.trim().is_empty() {
        return fail(vec![reporter.at(
            start,
            "",
            "the file is empty; a scenario is a RON struct such as \
             (version: 2, meta: (name: \"My scenario\"))",
        )]);
    }
    let locator = Locator::new(text);
    reporter.locator = &locator;
    if let Some(pos) = locator.too_deep() {
        return fail(vec![reporter.at(
            pos,
            "",
            format!(
                "nesting is deeper than {} levels; scenario files need only a few",
                locate::MAX_DEPTH
            ),
        )]);
    }

    // The version is read from the text first, so a newer file is refused by its version
    // rather than by whichever new field the parser meets first. Version 1 was written as a
    // map (`{ "version": 1, ... }`); everything later is a struct.
    let map_layout = locator.top() == Some('{');
    let version_pos = locator.locate("version");
    let version = match locator.scalar("version") {
        None if map_layout => 1,
        None => u64::from(FORMAT_VERSION),
        Some(raw) => match raw.replace('_', "").parse::<u64>() {
            Ok(v) => v,
            Err(_) => {
                return fail(vec![reporter.at(
                    version_pos,
                    "version",
                    format!(
                        "`{raw}` is not a format version; write a whole number such as \
                         {FORMAT_VERSION}"
                    ),
                )]);
            }
        },
    };
    if version == 0 || version > u64::from(FORMAT_VERSION) {
        let message = if version == 0 {
            format!(
                "format version 0 does not exist; this build reads versions 1 to {FORMAT_VERSION}"
            )
        } else {
            format!(
                "the file is format version {version}, but this build of Lodestone reads \
                 versions 1 to {FORMAT_VERSION}; open it with a newer Lodestone"
            )
        };
        return fail(vec![reporter.at(version_pos, "version", message)]);
    }
    reporter.version = version;

    // Unknown and repeated fields are reported, then blanked out of the text, so the rest of
    // the file is still read and its range problems are listed in the same answer.
    let (fields, spans) = field_problems(&reporter, &format::schema(reporter.version));
    let cleaned;
    let text = if spans.is_empty() {
        text
    } else {
        cleaned = blank_fields(text, &spans);
        cleaned.as_str()
    };
    let with_fields = |rest: Vec<Diagnostic>| {
        let mut all = fields.clone();
        all.extend(rest);
        all
    };
    let parse_error = |e: ron::error::SpannedError| LoadError {
        diagnostics: with_fields(vec![reporter.ron(&e)]),
    };
    let mut warnings = Vec::new();
    let document = if version == 1 {
        let document = if map_layout {
            ron_options()
                .from_str::<FileV1Map>(text)
                .map_err(parse_error)?
                .into_document()
        } else {
            ron_options()
                .from_str::<FileV1>(text)
                .map_err(parse_error)?
                .into_document()
        };
        warnings.push(reporter.at(
            version_pos,
            "version",
            format!(
                "format version 1 migrated to {FORMAT_VERSION}: the metadata fields (name, \
                 description, author, created, modified, tags, notes) moved into `meta: (...)`, \
                 the sections of `scenario: (...)` moved to the top level, and the file is a \
                 struct `( ... )` rather than a map; saving writes version {FORMAT_VERSION}"
            ),
        ));
        document
    } else {
        ron_options()
            .from_str::<FileV2In>(text)
            .map_err(parse_error)?
            .into_document()
    };

    let mut errors = Vec::new();
    for p in validate(&document) {
        let d = reporter.field(&p.path, p.message);
        match p.severity {
            Severity::Error => errors.push(d),
            Severity::Warning => warnings.push(d),
        }
    }
    if !errors.is_empty() || !fields.is_empty() {
        return fail(with_fields(errors));
    }
    Ok(Loaded { document, warnings })
}

/// Text without the UTF-8 byte-order mark some editors write at the start: it is not part of
/// the content, and editors do not show it, so columns count from the character after it.
pub(crate) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn file_error(origin: &str, message: impl Into<String>) -> LoadError {
    LoadError {
        diagnostics: vec![Diagnostic {
            file: origin.to_string(),
            line: 0,
            col: 0,
            field: String::new(),
            message: message.into(),
        }],
    }
}

/// Reads, parses and validates a scenario file. Refuses directories, files over
/// [`MAX_FILE_BYTES`] and text that is not UTF-8, each with a message saying so.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let (text, origin) = read_text(path, "scenario")?;
    let mut loaded = load_str(&text, &origin)?;
    read_data_files(&mut loaded.document, path)?;
    Ok(loaded)
}

/// Reads the CSV data files a scenario names (relative to its file) into its record.
fn read_data_files(doc: &mut Document, path: &Path) -> Result<(), LoadError> {
    let series = data_file::read_data_files(
        &doc.record.data_files,
        path,
        "record.data_files",
        Some(&doc.scenario),
    )?;
    doc.record.observed.extend(series);
    Ok(())
}

/// A file's text and its name for diagnostics, read with the checks every file of Lodestone
/// gets: a regular file, at most [`MAX_FILE_BYTES`], UTF-8. `kind` names it in messages.
pub fn read_text(path: &Path, kind: &str) -> Result<(String, String), LoadError> {
    let origin = path.display().to_string();
    let meta =
        std::fs::metadata(path).map_err(|e| file_error(&origin, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(file_error(
            &origin,
            format!("is a directory, not a {kind} file"),
        ));
    }
    if !meta.is_file() {
        // A named pipe or a device would block the read (or never end): refuse it unread.
        return Err(file_error(
            &origin,
            format!(
                "is not a regular file (a named pipe, socket or device); give a .ron {kind} file"
            ),
        ));
    }
    let file =
        std::fs::File::open(path).map_err(|e| file_error(&origin, format!("cannot read: {e}")))?;
    // Read one byte past the limit so an oversized file is caught without reading all of it.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| file_error(&origin, format!("cannot read: {e}")))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_error(
            &origin,
            format!(
                "the file is larger than {MAX_FILE_BYTES} bytes (1 MiB); {kind} files are a few kilobytes"
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let prefix = String::from_utf8_lossy(good);
        let line = 1 + prefix.matches('\n').count();
        let col = 1 + prefix.chars().rev().take_while(|&c| c != '\n').count();
        let byte = e.as_bytes().get(good.len()).copied().unwrap_or(0);
        LoadError {
            diagnostics: vec![Diagnostic {
                file: origin.clone(),
                line,
                col,
                field: String::new(),
                message: format!("not UTF-8 text (byte 0x{byte:02X}); {kind} files are UTF-8 RON"),
            }],
        }
    })?;
    Ok((text, origin))
}

/// The canonical text of a document: pretty RON, every field, stable order, so two saves of
/// the same document are byte-identical and a diff of two files shows only what changed.
pub fn to_ron_string(doc: &Document) -> String {
    let config = ron::ser::PrettyConfig::new().escape_strings(false);
    let mut text = ron::ser::to_string_pretty(&FileV2Out::new(doc), config).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes a document to `path` atomically (see [`atomic`]): a failed or interrupted save
/// leaves the old file intact, and the error names the path, the failed step and the OS error.
pub fn save_file(path: &Path, doc: &Document) -> std::io::Result<()> {
    atomic::write_atomic(path, to_ron_string(doc).as_bytes())
}

/// Where a document's baseline file is: relative paths are taken from the directory of the
/// file the document came from (`from`, if any).
pub fn resolve_baseline(doc: &Document, from: Option<&Path>) -> Option<PathBuf> {
    Some(resolve_relative(doc.baseline.as_deref()?, from))
}

/// Every file a command reads for the document loaded from `path`: the file itself, its
/// baseline and its data files (resolved as the loader resolves them). An output that is one
/// of these would destroy an input.
pub fn input_files(doc: &Document, path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    out.extend(resolve_baseline(doc, Some(path)));
    out.extend(
        doc.record
            .data_files
            .iter()
            .map(|name| resolve_relative(name, Some(path))),
    );
    out
}

/// A path written inside a file (a baseline, a deck's slide): absolute as it is, otherwise
/// relative to the folder of `from`, the file it is written in (the working folder if none).
pub fn resolve_relative(reference: &str, from: Option<&Path>) -> PathBuf {
    let written = Path::new(reference.trim());
    if written.is_absolute() {
        return written.to_path_buf();
    }
    from.and_then(Path::parent)
        .unwrap_or(Path::new(""))
        .join(written)
}

/// Longest baseline chain followed when looking for a cycle.
const MAX_BASELINE_CHAIN: usize = 32;

/// When following `path`'s baseline, then that file's baseline, and so on, comes back to a
/// file already seen: the problem (at the `baseline` field of `path`), naming the chain.
/// A baseline that does not load ends the chain; loading reports that elsewhere.
pub fn baseline_cycle(doc: &Document, path: &Path) -> Option<Diagnostic> {
    let start = path.canonicalize().ok()?;
    let mut seen = vec![start.clone()];
    let mut names = vec![file_name(path)];
    let mut current = (doc.clone(), start);
    for _ in 0..MAX_BASELINE_CHAIN {
        let next = resolve_baseline(&current.0, Some(&current.1))?;
        let canonical = next.canonicalize().ok()?;
        names.push(file_name(&next));
        if seen.contains(&canonical) {
            return Some(at_baseline(
                path,
                format!(
                    "the baseline chain comes back to a file already in it ({}); name a \
                     scenario that does not compare against this one",
                    names.join(" -> ")
                ),
            ));
        }
        seen.push(canonical.clone());
        let loaded = load_file(&next).ok()?;
        current = (loaded.document, canonical);
    }
    None
}

/// What is wrong with the baseline a document loaded from `path` names, at its `baseline`
/// field: a file that is not there, a folder, a device or named pipe, a link that goes
/// nowhere or round in a loop, a chain that comes back to a file already in it, or a file
/// that does not load. `None` when there is no baseline or it loads.
pub fn baseline_problem(doc: &Document, path: &Path) -> Option<Diagnostic> {
    let written = doc.baseline.as_deref()?;
    let base = resolve_baseline(doc, Some(path))?;
    let message = match std::fs::metadata(&base) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!(
            "baseline `{written}` does not exist (looked for {})",
            base.display()
        )),
        Err(e) => Some(format!("baseline `{written}` cannot be read: {e}")),
        Ok(meta) if meta.is_dir() => Some(format!(
            "baseline `{written}` is a folder; name a scenario file"
        )),
        Ok(meta) if !meta.is_file() => Some(format!(
            "baseline `{written}` is not a regular file (a device or named pipe); name a \
             scenario file"
        )),
        Ok(_) => None,
    };
    let Some(message) = message else {
        if let Some(cycle) = baseline_cycle(doc, path) {
            return Some(cycle);
        }
        let e = load_file(&base).err()?;
        return Some(at_baseline(
            path,
            format!("baseline `{written}` does not load: {}", e.first()),
        ));
    };
    Some(at_baseline(path, message))
}

/// A diagnostic at the `baseline` field of the file at `path`.
fn at_baseline(path: &Path, message: String) -> Diagnostic {
    let text = read_text(path, "scenario")
        .map(|(text, _)| text)
        .unwrap_or_default();
    let pos = Locator::new(without_bom(&text)).locate("baseline");
    Diagnostic {
        file: path.display().to_string(),
        line: pos.line,
        col: pos.col,
        field: "baseline".into(),
        message,
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Text of the shipped default scenario, compiled in so the window opens it with no file.
pub const DEFAULT_SCENARIO_TEXT: &str = include_str!("../../../../scenarios/pause-2025-11.ron");

/// The built-in default scenario as a document (what the window opens with no file): the
/// shipped `scenarios/pause-2025-11.ron`, whose scenario is the model's `Scenario::default()`
/// (a test keeps them equal). Falls back to that default with a short name if the compiled-in
/// text ever failed to load.
pub fn default_document() -> Document {
    match load_str(DEFAULT_SCENARIO_TEXT, "pause-2025-11.ron") {
        Ok(loaded) => loaded.document,
        Err(_) => Document {
            meta: Meta {
                name: "2025 controls and pause (default)".into(),
                ..Meta::default()
            },
            baseline: None,
            scenario: Scenario::default(),
            annotations: Vec::new(),
            record: record::Record::default(),
            targets: crate::model::Targets::default(),
            stamp: None,
        },
    }
}
