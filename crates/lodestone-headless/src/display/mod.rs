//! How Lodestone shows numbers, names and colours to people: one leaf shared by the window
//! (`ui`), the exported images and tables (`output`) and the command line (`cli`), so a
//! figure reads the same on screen, on a slide and in a terminal. No IO and no egui context:
//! plain functions and data.

pub mod axis;
pub mod format;
pub mod headline;
pub mod names;
pub mod palette;
