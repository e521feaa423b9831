//! Charts as PNG: rendered offscreen by plotters' bitmap backend at a chosen scale (2x or
//! 3x for projectors), so no window or GPU is needed, then encoded with the `image` crate.

use super::RenderError;
use super::figure::{Figure, draw};
use crate::scenario::atomic::write_atomic;
use plotters::prelude::*;
use std::path::Path;

/// Most pixels a rendered chart may have (64 million: a 192 MB image in memory).
pub const MAX_PIXELS: f64 = 64e6;

/// Renders the figure at `size` (at scale 1) times `scale` and returns RGB pixels with the
/// pixel size.
pub fn render_rgb(
    figure: &Figure,
    size: (u32, u32),
    scale: f64,
) -> Result<(Vec<u8>, (u32, u32)), RenderError> {
    let scale = if scale.is_finite() {
        scale.clamp(0.25, 8.0)
    } else {
        1.0
    };
    let w = ((f64::from(size.0) * scale).round() as u32).max(16);
    let h = ((f64::from(size.1) * scale).round() as u32).max(16);
    if f64::from(w) * f64::from(h) > MAX_PIXELS {
        return Err(RenderError::TooLarge {
            width: w,
            height: h,
            limit_millions: MAX_PIXELS / 1e6,
        });
    }
    let mut buf = vec![255u8; (w as usize) * (h as usize) * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw(&root, figure, scale)?;
    }
    Ok((buf, (w, h)))
}

/// The figure as PNG bytes.
pub fn to_png(figure: &Figure, size: (u32, u32), scale: f64) -> Result<Vec<u8>, RenderError> {
    let (buf, (w, h)) = render_rgb(figure, size, scale)?;
    let image = image::RgbImage::from_raw(w, h, buf).ok_or(RenderError::ImageSize)?;
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// Writes RGBA pixels (a window screenshot) as a PNG file, atomically.
pub fn write_rgba(path: &Path, size: (u32, u32), rgba: Vec<u8>) -> Result<(), RenderError> {
    let image = image::RgbaImage::from_raw(size.0, size.1, rgba).ok_or(RenderError::ImageSize)?;
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png)?;
    Ok(write_atomic(path, &out.into_inner())?)
}

/// Writes the figure as a PNG file, atomically.
pub fn write_png(
    path: &Path,
    figure: &Figure,
    size: (u32, u32),
    scale: f64,
) -> Result<(), RenderError> {
    let bytes = to_png(figure, size, scale)?;
    Ok(write_atomic(path, &bytes)?)
}
