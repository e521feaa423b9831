//! A deck: a small RON file listing scenario files in the order a talk shows them, each with
//! a title and a speaker note. Paths are relative to the deck file.
//!
//! ```ron
//! (
//!     title: "2025: controls, expansion, pause",
//!     slides: [
//!         (file: "../baseline-2024.ron", title: "Before controls", notes: "What we planned on."),
//!     ],
//! )
//! ```
//! Loading reads every slide's scenario too, so a deck that loads presents without further
//! disk access; every problem is reported at once as `file:line:col: field: message`, like a
//! scenario file.

use super::locate::{Locator, Pos};
use super::{Diagnostic, Document, LoadError, MAX_FILE_BYTES, load_file};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Most slides a deck may list.
pub const MAX_SLIDES: usize = 200;

/// Most scenarios pinned to one slide (or on the command line with `--pin`): each is run
/// and drawn on every chart.
pub const MAX_PINS: usize = 16;

/// One slide as written in the deck file.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlideSpec {
    /// Scenario file, relative to the deck file (or absolute).
    pub file: String,
    /// Slide title; empty for the scenario's own name.
    pub title: String,
    /// Speaker note: shown in the presenter's notes window.
    pub notes: String,
    /// Scenario files pinned to the slide's charts (relative to the deck file); nothing
    /// pinned in the explorer shows on a slide.
    pub pins: Vec<String>,
    /// The slide's baseline file, instead of the one its scenario names; `""` for none.
    pub baseline: Option<String>,
}

/// The deck file.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeckSpec {
    /// Title of the talk.
    pub title: String,
    /// The slides, in the order the talk shows them.
    pub slides: Vec<SlideSpec>,
}

/// A slide with its scenario loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Slide {
    /// Slide title: the one the deck gives, else the scenario's name.
    pub title: String,
    /// Speaker note, shown in the presenter's notes window.
    pub notes: String,
    /// Scenario files pinned to this slide, resolved against the deck file's folder.
    pub pins: Vec<PathBuf>,
    /// The slide's baseline, when the deck sets one (`Some("")`: none at all).
    pub baseline: Option<String>,
    /// The scenario file, resolved against the deck file's folder.
    pub path: PathBuf,
    /// The scenario as loaded.
    pub document: Document,
}

/// A deck whose every scenario loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct Deck {
    /// Path of the deck file.
    pub path: PathBuf,
    /// Title of the talk.
    pub title: String,
    /// The slides, in the order the talk shows them.
    pub slides: Vec<Slide>,
}

/// Reads and checks a deck file and every scenario it lists.
pub fn load_deck(path: &Path) -> Result<Deck, LoadError> {
    let origin = path.display().to_string();
    let whole = |message: String| LoadError {
        diagnostics: vec![Diagnostic {
            file: origin.clone(),
            line: 0,
            col: 0,
            field: String::new(),
            message,
        }],
    };
    let meta = std::fs::metadata(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    if !meta.is_file() {
        // A directory, named pipe or device: refuse it unread (a pipe would block the read).
        return Err(whole("is not a regular file; give a .ron deck file".into()));
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(whole("the deck is larger than 1 MiB".into()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| whole(format!("cannot read: {e}")))?;
    load_deck_str(&text, path)
}

/// Parses deck text; `path` names the file in messages and anchors relative slide paths.
pub fn load_deck_str(text: &str, path: &Path) -> Result<Deck, LoadError> {
    let text = super::without_bom(text);
    let origin = path.display().to_string();
    let locator = Locator::new(text);
    let at = |pos: Pos, field: &str, message: String| Diagnostic {
        file: origin.clone(),
        line: pos.line,
        col: pos.col,
        field: field.to_string(),
        message,
    };
    if let Some(pos) = locator.too_deep() {
        return Err(LoadError {
            diagnostics: vec![at(pos, "", "nesting is too deep for a deck".into())],
        });
    }
    let spec: DeckSpec = ron::Options::default()
        .with_recursion_limit(32)
        .from_str(text)
        .map_err(|e| {
            let pos = Pos {
                line: e.span.start.line.max(1),
                col: e.span.start.col.max(1),
            };
            let field = locator.path_at(pos).to_string();
            LoadError {
                diagnostics: vec![at(pos, &field, e.code.to_string())],
            }
        })?;
    let mut problems: Vec<Diagnostic> = super::validate::text_problems(&spec, "")
        .into_iter()
        .map(|p| at(locator.locate(&p.path), &p.path, p.message))
        .collect();
    if spec.slides.is_empty() {
        problems.push(at(
            locator.locate("slides"),
            "slides",
            "the deck lists no slides; add `(file: \"scenario.ron\", title: \"...\")`".into(),
        ));
    }
    if spec.slides.len() > MAX_SLIDES {
        problems.push(at(
            locator.locate("slides"),
            "slides",
            format!("a deck holds at most {MAX_SLIDES} slides"),
        ));
    }
    let mut slides = Vec::new();
    for (i, s) in spec.slides.iter().enumerate().take(MAX_SLIDES) {
        let field = format!("slides[{i}].file");
        let pos = locator.locate(&field);
        if s.file.trim().is_empty() {
            problems.push(at(pos, &field, "no scenario file given".into()));
            continue;
        }
        let file = super::resolve_relative(&s.file, Some(path));
        let mut pins = Vec::new();
        if s.pins.len() > MAX_PINS {
            let field = format!("slides[{i}].pins");
            problems.push(at(
                locator.locate(&field),
                &field,
                format!(
                    "{} pinned scenarios; a slide may pin at most {MAX_PINS}",
                    s.pins.len()
                ),
            ));
            continue;
        }
        for (j, pin) in s.pins.iter().enumerate() {
            let pin_path = super::resolve_relative(pin, Some(path));
            if let Err(e) = load_file(&pin_path) {
                let field = format!("slides[{i}].pins[{j}]");
                problems.push(at(
                    locator.locate(&field),
                    &field,
                    format!("`{pin}` does not load: {}", e.first()),
                ));
            }
            pins.push(pin_path);
        }
        // A deck's baseline is written relative to the deck; the slide's scenario resolves
        // its own against itself, so an absolute path is handed over.
        let baseline = s.baseline.as_ref().map(|b| {
            if b.trim().is_empty() {
                String::new()
            } else {
                super::resolve_relative(b, Some(path)).display().to_string()
            }
        });
        match load_file(&file) {
            Ok(loaded) => slides.push(Slide {
                title: if s.title.trim().is_empty() {
                    loaded.document.meta.name.clone()
                } else {
                    s.title.clone()
                },
                notes: s.notes.clone(),
                pins,
                baseline,
                path: file,
                document: loaded.document,
            }),
            Err(e) => {
                let first = e.first();
                problems.push(at(
                    pos,
                    &field,
                    format!("`{}` does not load: {first}", s.file),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(LoadError::capped(problems, &origin));
    }
    Ok(Deck {
        path: path.to_path_buf(),
        title: spec.title,
        slides,
    })
}

impl Deck {
    /// Every file the deck reads: the deck, each slide's scenario with its own inputs
    /// ([`super::input_files`]), its pins and the baseline the deck gives it.
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut out = vec![self.path.clone()];
        for slide in &self.slides {
            out.extend(super::input_files(&slide.document, &slide.path));
            out.extend(slide.pins.iter().cloned());
            if let Some(b) = slide.baseline.as_deref().filter(|b| !b.trim().is_empty()) {
                out.push(PathBuf::from(b));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_directory_or_pipe_is_not_read_as_a_deck() {
        let dir = std::env::temp_dir();
        let err = load_deck(&dir).expect_err("a directory is refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    use super::*;

    #[test]
    fn a_missing_file_is_reported_at_its_line() {
        let text = "(\n    title: \"t\",\n    slides: [\n        (file: \"nope.ron\", title: \"x\"),\n    ],\n)\n";
        let e = load_deck_str(text, Path::new("deck.ron")).err();
        let d = e.map(|e| e.diagnostics).unwrap_or_default();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].field.as_str()), (4, "slides[0].file"));
    }

    #[test]
    fn unknown_fields_and_empty_decks_are_refused() {
        let e = load_deck_str("(title: \"t\", slidez: [])", Path::new("d.ron")).err();
        assert!(e.is_some_and(|e| e.to_string().contains("d.ron:1:")));
        let e = load_deck_str("(title: \"t\", slides: [])", Path::new("d.ron")).err();
        assert!(e.is_some_and(|e| e.to_string().contains("no slides")));
    }
}
