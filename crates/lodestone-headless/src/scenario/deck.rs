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
    /// One reference every slide's extra cost is measured against (relative to the deck
    /// file), so the big figure means the same thing on every slide; a slide's own
    /// `baseline` still wins. Left out of a save when unset, so older decks stay byte-stable.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "plain_string",
        deserialize_with = "some_string"
    )]
    pub reference: Option<String>,
    /// The slides, in the order the talk shows them.
    pub slides: Vec<SlideSpec>,
}

/// `path` made absolute against the working folder: a slide's scenario resolves its baseline
/// against itself, so a path relative to the deck (`decks/../scenarios/a.ron`, from a deck
/// opened by a relative path) would be resolved a second time from the wrong folder.
fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}

/// Writes a set option as the bare string a person types (`reference: "a.ron"`).
fn plain_string<S: serde::Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(text) => s.serialize_str(text),
        None => s.serialize_none(),
    }
}

/// Reads the bare string back; a missing field is `None` (the struct's default).
fn some_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
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
    /// The deck's one reference for every slide, resolved against the deck file's folder.
    pub reference: Option<PathBuf>,
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
    // The deck's reference must load like any slide's file: a typo is reported at its line
    // rather than silently measuring every slide against the scenario's own baseline.
    let reference = match spec.reference.as_deref() {
        None => None,
        Some(r) if r.trim().is_empty() => {
            problems.push(at(
                locator.locate("reference"),
                "reference",
                "no reference file given; leave the field out for each scenario's own baseline"
                    .into(),
            ));
            None
        }
        Some(r) => {
            let file = super::resolve_relative(r, Some(path));
            if let Err(e) = load_file(&file) {
                problems.push(at(
                    locator.locate("reference"),
                    "reference",
                    format!("`{r}` does not load: {}", e.first()),
                ));
            }
            Some(file)
        }
    };
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
        let baseline = s
            .baseline
            .as_ref()
            .map(|b| {
                if b.trim().is_empty() {
                    String::new()
                } else {
                    absolute(super::resolve_relative(b, Some(path)))
                        .display()
                        .to_string()
                }
            })
            .or_else(|| {
                reference
                    .as_ref()
                    .map(|r| absolute(r.clone()).display().to_string())
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
        reference,
        slides,
    })
}

impl Deck {
    /// Every file the deck reads: the deck, each slide's scenario with its own inputs
    /// ([`super::input_files`]), its pins and the baseline the deck gives it.
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut out = vec![self.path.clone()];
        out.extend(self.reference.iter().cloned());
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

/// What a speaker note says about the slide's figures that the slide does not show: a
/// shortfall named on a slide with none (or denied on one with some), or a number of months
/// of shortfall other than the run's. Words only a person can judge are left alone; every
/// problem is one sentence, for the presenter's notes window and `lodestone pack`.
pub fn note_mismatches(notes: &str, headline: &crate::model::Headline) -> Vec<String> {
    let lower = notes.to_lowercase();
    let months = headline.months_of_shortfall.round();
    let mut out = Vec::new();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut named = false;
    let mut denied = false;
    for (i, word) in words.iter().enumerate() {
        if !word.starts_with("shortfall") {
            continue;
        }
        // "no shortfall", "without a shortfall", "no months of shortfall", "0 months of ...".
        let before: Vec<&str> = words[i.saturating_sub(3)..i].to_vec();
        let negated = before
            .iter()
            .any(|w| matches!(*w, "no" | "without" | "zero" | "never" | "0" | "nor"));
        if negated {
            denied = true;
        } else {
            named = true;
        }
        // "N months of shortfall": the count must be the run's.
        if let [.., n, unit, of] = before.as_slice()
            && unit.starts_with("month")
            && *of == "of"
            && let Ok(n) = n.trim_end_matches('.').parse::<f64>()
            && (n - months).abs() > 0.5
        {
            out.push(format!(
                "the note says {n} months of shortfall; the slide shows {months}"
            ));
        }
    }
    if named && !denied && months == 0.0 {
        out.push("the note names a shortfall; the slide shows 0 months of shortfall".into());
    }
    if denied && !named && months > 0.0 {
        out.push(format!(
            "the note says there is no shortfall; the slide shows {months} months of shortfall"
        ));
    }
    out
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

    fn shipped_deck_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../decks/talk.ron")
    }

    #[test]
    fn a_deck_reference_measures_every_slide_without_its_own_baseline() {
        let text = "(\n    title: \"t\",\n    reference: \"../scenarios/baseline-2024.ron\",\n    slides: [\n        (file: \"../scenarios/fast-diversification.ron\"),\n        (file: \"../scenarios/fortress.ron\", baseline: Some(\"../scenarios/status-quo.ron\")),\n    ],\n)\n";
        let deck = match load_deck_str(text, &shipped_deck_path()) {
            Ok(deck) => deck,
            Err(e) => panic!("{e}"),
        };
        let first = deck.slides[0].baseline.as_deref().unwrap_or_default();
        assert!(first.ends_with("baseline-2024.ron"), "{first}");
        let second = deck.slides[1].baseline.as_deref().unwrap_or_default();
        assert!(
            second.ends_with("status-quo.ron"),
            "a slide's own wins: {second}"
        );
        assert!(
            deck.input_files()
                .iter()
                .any(|p| p.ends_with("baseline-2024.ron"))
        );
    }

    #[test]
    fn a_reference_that_does_not_load_is_reported_at_its_line() {
        let text = "(\n    title: \"t\",\n    reference: \"../scenarios/nope.ron\",\n    slides: [\n        (file: \"../scenarios/fortress.ron\"),\n    ],\n)\n";
        let d = load_deck_str(text, &shipped_deck_path())
            .err()
            .map(|e| e.diagnostics)
            .unwrap_or_default();
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].field.as_str()), (3, "reference"));
        assert!(d[0].message.contains("nope.ron"), "{}", d[0].message);
    }

    #[test]
    fn a_deck_without_a_reference_saves_as_before() {
        let spec = DeckSpec {
            title: "t".into(),
            reference: None,
            slides: vec![SlideSpec {
                file: "a.ron".into(),
                ..SlideSpec::default()
            }],
        };
        let text = ron::ser::to_string(&spec).unwrap_or_default();
        assert!(!text.contains("reference"), "{text}");
        let with = DeckSpec {
            reference: Some("b.ron".into()),
            ..spec
        };
        let text = ron::ser::to_string(&with).unwrap_or_default();
        let back: DeckSpec = ron::from_str(&text).unwrap_or_default();
        assert_eq!(back, with);
        assert_eq!(ron::ser::to_string(&back).unwrap_or_default(), text);
    }

    #[test]
    fn a_note_naming_a_shortfall_the_slide_does_not_show_is_caught() {
        let mut h = crate::model::Headline {
            months_of_shortfall: 0.0,
            ..Default::default()
        };
        let named = note_mismatches("Watch the cost spike and the shortfall.", &h);
        assert_eq!(named.len(), 1, "{named:?}");
        assert!(note_mismatches("Prices spike, but no shortfall follows.", &h).is_empty());
        assert!(note_mismatches("Dependency falls slowly.", &h).is_empty());
        h.months_of_shortfall = 4.0;
        assert!(note_mismatches("Watch the shortfall.", &h).is_empty());
        assert_eq!(
            note_mismatches("No shortfall here.", &h).len(),
            1,
            "denied while the slide shows four months"
        );
        let wrong = note_mismatches("Expect 6 months of shortfall.", &h);
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(note_mismatches("Expect 4 months of shortfall.", &h).is_empty());
    }
}
