//! Charts as SVG: vector output for slide decks, drawn by plotters' SVG backend into a
//! string (no file or display needed).

use super::figure::{Figure, draw};
use plotters::prelude::*;

/// Default size of an exported figure, in SVG user units (pixels).
pub const DEFAULT_SIZE: (u32, u32) = (1200, 900);

/// The figure as SVG text.
pub fn to_svg(figure: &Figure, size: (u32, u32)) -> Result<String, String> {
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw(&root, figure, 1.0)?;
    }
    Ok(text)
}
