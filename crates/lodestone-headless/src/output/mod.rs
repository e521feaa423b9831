//! Everything Lodestone writes for use elsewhere, one module per kind of output:
//! results as data files (`data`: tidy CSV and JSON), charts as images (`figure` builds the
//! plain chart data, `svg` and `png` render it headless), and the compare view's headline
//! table (`table`: CSV and Markdown). Writers format only; they never run the model.

pub mod data;
pub mod figure;
pub mod pack;
pub mod png;
pub mod svg;
pub mod table;
pub mod text;

/// Why a chart image or a board pack could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The image asked for is larger than [`png::MAX_PIXELS`].
    #[error("a {width}x{height} image is more than {limit_millions} million pixels")]
    TooLarge {
        /// Width asked for, in pixels.
        width: u32,
        /// Height asked for, in pixels.
        height: u32,
        /// The limit, in millions of pixels.
        limit_millions: f64,
    },
    /// The drawing backend refused (its error types differ per backend, so the text is kept).
    #[error("the chart could not be drawn: {0}")]
    Draw(String),
    /// The pixels do not make an image of the size given.
    #[error("the image has an inconsistent size")]
    ImageSize,
    /// PNG encoding failed.
    #[error("the image could not be encoded: {0}")]
    Encode(#[from] image::ImageError),
    /// A board pack page's SVG could not be laid out.
    #[error("page {page} could not be laid out: {reason}")]
    PageLayout {
        /// The page, from 1.
        page: usize,
        /// usvg's reason.
        reason: String,
    },
    /// A board pack page could not be drawn into the PDF.
    #[error("page {0} could not be drawn")]
    PageDraw(usize),
    /// The PDF writer refused the document.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// Writing the file failed (the old file, if any, is kept: writes are atomic).
    #[error("{0}")]
    Write(#[from] std::io::Error),
}
