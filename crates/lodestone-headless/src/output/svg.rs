//! Charts as SVG: vector output for slide decks, drawn by plotters' SVG backend into a
//! string (no file or display needed).

use super::RenderError;
use super::figure::{Figure, draw};
use plotters::prelude::*;

/// Default size of an exported figure, in SVG user units (pixels).
pub const DEFAULT_SIZE: (u32, u32) = (1200, 900);

/// The figure as SVG text: well-formed XML whatever the names in it hold (the backend
/// escapes markup but passes control characters and U+FFFE through, which XML forbids; they
/// are left out here).
pub fn to_svg(figure: &Figure, size: (u32, u32)) -> Result<String, RenderError> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw(&root, figure, 1.0)?;
    }
    if text
        .chars()
        .any(|c| crate::scenario::validate::is_forbidden_char(c, true))
    {
        text.retain(|c| !crate::scenario::validate::is_forbidden_char(c, true));
    }
    Ok(text)
}
