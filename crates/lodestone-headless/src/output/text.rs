//! Text laid out in the files Lodestone writes: the bundled font (DejaVu Sans, embedded in the
//! SVG charts, the PNGs and the board pack) measured glyph by glyph, and the one word wrapper
//! the chart legends and the board pack's pages break their text with.

use ab_glyph::{Font, FontRef};
use std::sync::OnceLock;

/// The bundled font's file: every exported chart and the board pack draw with it.
pub const FONT_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");

/// Average advance of a glyph in em, for the width of text if the font cannot be read (it is
/// compiled in, so only a damaged build gets here).
const FALLBACK_EM_PER_CHAR: f32 = 0.55;

fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).ok())
        .as_ref()
}

/// The width of `text` set in the bundled font at `size` (the em size: SVG's `font-size`, in
/// the same unit as the result), with the font's kerning.
pub fn width(text: &str, size: f32) -> f32 {
    let Some(font) = font() else {
        return text.chars().count() as f32 * size * FALLBACK_EM_PER_CHAR;
    };
    let per_unit = size / font.units_per_em().unwrap_or(2048.0);
    let mut units = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let glyph = font.glyph_id(c);
        if let Some(p) = previous {
            units += font.kern_unscaled(p, glyph);
        }
        units += font.h_advance_unscaled(glyph);
        previous = Some(glyph);
    }
    units * per_unit
}

/// `text` broken at spaces into lines no wider than `max` as `measure` reports them, each of
/// its own lines (a paragraph) on its own; a word wider than `max` stays whole on its line.
/// Trailing empty lines are left off, so empty text gives no lines.
pub fn wrap(text: &str, max: f32, measure: impl Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if line.is_empty() {
                line.push_str(word);
                continue;
            }
            let candidate = format!("{line} {word}");
            if measure(&candidate) <= max {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font_not_a_count_of_characters() {
        // Same count of characters, very different glyphs.
        assert!(width("iiiiiiiiii", 10.0) * 2.5 < width("WWWWWWWWWW", 10.0));
        // DejaVu Sans's digits are 0.636 em wide.
        assert!(
            (width("0000000000", 10.0) - 63.6).abs() < 0.5,
            "{}",
            width("0000000000", 10.0)
        );
        // Width scales with the size.
        assert!((width("Lodestone", 20.0) - 2.0 * width("Lodestone", 10.0)).abs() < 1e-3);
        assert_eq!(width("", 10.0), 0.0);
    }

    #[test]
    fn wrapping_keeps_every_word_and_the_width() {
        let text = "Observed: China market price (SOURCES.md M3), the record's year-end FOB quotes";
        let measure = |t: &str| width(t, 10.0);
        let lines = wrap(text, 120.0, measure);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| measure(l) <= 120.0), "{lines:?}");
    }

    #[test]
    fn paragraphs_break_and_long_words_stay_whole() {
        let measure = |t: &str| width(t, 10.0);
        assert_eq!(wrap("a b\n\nc", 500.0, measure), ["a b", "", "c"]);
        assert_eq!(
            wrap("Supercalifragilistic", 20.0, measure),
            ["Supercalifragilistic"]
        );
        assert!(wrap("", 100.0, measure).is_empty());
        assert!(wrap("text\n\n", 100.0, measure) == ["text"]);
    }
}
