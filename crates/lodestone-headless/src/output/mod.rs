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
