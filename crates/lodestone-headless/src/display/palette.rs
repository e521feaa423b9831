//! Every colour and line width of Lodestone's charts and cards, for dark and light themes:
//! the window, the presentation and the exported images ask here instead of writing
//! literals, so a theme change is one edit and exports match the screen.

use crate::model::EventKind;
use ecolor::Color32;
use serde::{Deserialize, Serialize};

/// Light or dark colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    /// Dark background (the default).
    #[default]
    Dark,
    /// Light background, also used for exported images.
    Light,
}

/// Colours for one theme.
#[derive(Clone, Debug)]
pub struct Palette {
    /// Per-material line colours (Okabe-Ito, readable by most colour-blind viewers), cycled.
    pub materials: [Color32; 6],
    /// The aggregate line.
    pub total: Color32,
    /// Observed points, one colour per observed series, cycled.
    pub observed: [Color32; 3],
    /// Worse than at the last save (higher cost, later independence, more shortfall).
    pub worse: Color32,
    /// Better than at the last save.
    pub better: Color32,
    /// Threshold lines and events of kind "other".
    pub threshold: Color32,
    /// Background of the headline cards.
    pub card_fill: Color32,
    /// The "unsaved" marker of a document with unsaved changes.
    pub marker_unsaved: Color32,
    /// The open document's name, and annotation lines and text.
    pub marker_active: Color32,
    /// Errors, and the line of a "controls on" event.
    pub error: Color32,
    /// Warnings, e.g. the status bar's count of file warnings.
    pub warning: Color32,
    /// Fill behind text drawn over a chart, and the drop-file overlay.
    pub label_fill: Color32,
    /// Line colours of pinned scenarios, by pin slot: chosen per theme so that no pin looks
    /// like a material, an event or the aggregate (test `series_colours_never_look_alike`).
    pub pins: [Color32; 6],
}

/// The palette of a theme.
pub fn palette(theme: ThemeChoice) -> Palette {
    match theme {
        ThemeChoice::Dark => Palette {
            materials: [
                Color32::from_rgb(0xE6, 0x9F, 0x00),
                Color32::from_rgb(0x56, 0xB4, 0xE9),
                Color32::from_rgb(0x00, 0x9E, 0x73),
                Color32::from_rgb(0xCC, 0x79, 0xA7),
                Color32::from_rgb(0xF0, 0xE4, 0x42),
                Color32::from_rgb(0xD5, 0x5E, 0x00),
            ],
            total: Color32::from_rgb(0xF2, 0xF2, 0xF2),
            observed: [
                Color32::from_rgb(0xB3, 0x88, 0xFF),
                Color32::from_rgb(0x7F, 0xFF, 0xD4),
                Color32::from_rgb(0xFF, 0xB6, 0xFF),
            ],
            worse: Color32::from_rgb(0xFF, 0x7A, 0x6B),
            better: Color32::from_rgb(0x6B, 0xD9, 0x8B),
            threshold: Color32::from_gray(140),
            card_fill: Color32::from_gray(38),
            marker_unsaved: Color32::from_rgb(0xF0, 0xB4, 0x29),
            marker_active: Color32::from_rgb(0x56, 0xB4, 0xE9),
            error: Color32::from_rgb(0xFF, 0x6B, 0x6B),
            warning: Color32::from_rgb(0xF0, 0xB4, 0x29),
            label_fill: Color32::from_black_alpha(170),
            pins: [
                Color32::from_rgb(0xFF, 0xFF, 0xB3),
                Color32::from_rgb(0xE7, 0x29, 0x8A),
                Color32::from_rgb(0x99, 0x99, 0x33),
                Color32::from_rgb(0x75, 0x70, 0xB3),
                Color32::from_rgb(0x8D, 0xD3, 0xC7),
                Color32::from_rgb(0x33, 0xA0, 0x2C),
            ],
        },
        ThemeChoice::Light => Palette {
            materials: [
                Color32::from_rgb(0xC7, 0x7C, 0x00),
                Color32::from_rgb(0x00, 0x72, 0xB2),
                Color32::from_rgb(0x00, 0x8A, 0x60),
                Color32::from_rgb(0xB0, 0x4E, 0x8A),
                Color32::from_rgb(0x8C, 0x7E, 0x00),
                Color32::from_rgb(0xD5, 0x5E, 0x00),
            ],
            total: Color32::from_rgb(0x10, 0x10, 0x10),
            observed: [
                Color32::from_rgb(0x7B, 0x3F, 0x00),
                Color32::from_rgb(0x00, 0x80, 0x80),
                Color32::from_rgb(0x80, 0x00, 0x80),
            ],
            worse: Color32::from_rgb(0xC0, 0x20, 0x20),
            better: Color32::from_rgb(0x1A, 0x80, 0x3A),
            threshold: Color32::from_gray(110),
            card_fill: Color32::from_gray(236),
            marker_unsaved: Color32::from_rgb(0xB0, 0x6A, 0x00),
            marker_active: Color32::from_rgb(0x00, 0x72, 0xB2),
            error: Color32::from_rgb(0xC0, 0x20, 0x20),
            warning: Color32::from_rgb(0xA0, 0x60, 0x00),
            label_fill: Color32::from_white_alpha(210),
            pins: [
                Color32::from_rgb(0x33, 0x22, 0x88),
                Color32::from_rgb(0xEE, 0x33, 0x77),
                Color32::from_rgb(0x00, 0x3F, 0x5C),
                Color32::from_rgb(0x66, 0x51, 0x91),
                Color32::from_rgb(0x8C, 0x56, 0x4B),
                Color32::from_rgb(0xCC, 0x66, 0x77),
            ],
        },
    }
}

impl Palette {
    /// Line colour of the material at `index`.
    pub fn material(&self, index: usize) -> Color32 {
        self.materials[index % self.materials.len()]
    }

    /// Colour of the observed series at `index`.
    pub fn observed(&self, index: usize) -> Color32 {
        self.observed[index % self.observed.len()]
    }

    /// Colour of a policy event's vertical line.
    pub fn event(&self, kind: EventKind) -> Color32 {
        match kind {
            EventKind::ControlsOn => self.error,
            EventKind::Expansion => self.materials[5],
            EventKind::Pause | EventKind::Rollback => self.better,
            EventKind::Other => self.threshold,
        }
    }

    /// Fill of the P10-P90 band: the aggregate line's colour, faint, so the line reads on top.
    pub fn band_outer(&self) -> Color32 {
        self.total.gamma_multiply(0.16)
    }

    /// Fill of the P25-P75 band, drawn over the outer one (so the two add up).
    pub fn band_inner(&self) -> Color32 {
        self.total.gamma_multiply(0.2)
    }

    /// The dashed median of the bands.
    pub fn band_median(&self) -> Color32 {
        self.total.gamma_multiply(0.55)
    }

    /// Tornado bar of a lever at the low end of its range (blue in both themes).
    pub fn tornado_low(&self) -> Color32 {
        self.materials[1]
    }

    /// Tornado bar of a lever at the high end of its range (vermilion in both themes).
    pub fn tornado_high(&self) -> Color32 {
        self.materials[5]
    }

    /// Faded copy of a colour for the baseline ghost.
    pub fn ghost(&self, color: Color32) -> Color32 {
        color.gamma_multiply(0.45)
    }
}

/// Line widths: the aggregate is bold so it reads first.
pub const TOTAL_WIDTH: f32 = 3.0;
/// Width of each material's line, in points.
pub const MATERIAL_WIDTH: f32 = 1.6;
/// Width of the baseline ghost's material lines, in points (its aggregate is 0.6 wider).
pub const GHOST_WIDTH: f32 = 1.4;
/// Radius of an observed point's marker, in points.
pub const OBSERVED_RADIUS: f32 = 4.5;

impl Palette {
    /// Colour of a pinned scenario's line, by the slot it got when pinned.
    pub fn pin(&self, slot: usize) -> Color32 {
        self.pins[slot % self.pins.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventKind;

    /// CIE L*a*b* of an sRGB colour (D65).
    fn lab(c: Color32) -> [f64; 3] {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v > 0.04045 {
                ((v + 0.055) / 1.055).powf(2.4)
            } else {
                v / 12.92
            }
        };
        let (r, g, b) = (lin(c.r()), lin(c.g()), lin(c.b()));
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    fn delta_e(a: Color32, b: Color32) -> f64 {
        let (a, b) = (lab(a), lab(b));
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    /// Materials, pins, policy events, observed points and the aggregate never look alike on
    /// a chart: every pair is at least 15 CIE76 units apart (about four times a
    /// just-noticeable difference), in both themes.
    #[test]
    fn series_colours_never_look_alike() {
        for theme in [ThemeChoice::Dark, ThemeChoice::Light] {
            let p = palette(theme);
            let mut named: Vec<(String, Color32)> = Vec::new();
            for (i, c) in p.materials.iter().enumerate() {
                named.push((format!("material {i}"), *c));
            }
            for (i, c) in p.pins.iter().enumerate() {
                named.push((format!("pin {i}"), *c));
            }
            for kind in [EventKind::ControlsOn, EventKind::Pause, EventKind::Other] {
                named.push((format!("{kind:?} event"), p.event(kind)));
            }
            for (i, c) in p.observed.iter().enumerate() {
                named.push((format!("observed {i}"), *c));
            }
            named.push(("aggregate".into(), p.total));
            for (i, (a, ca)) in named.iter().enumerate() {
                for (b, cb) in &named[i + 1..] {
                    if ca == cb {
                        // The same colour on purpose (an event drawn in a material's colour
                        // is told apart by being a vertical dashed line).
                        continue;
                    }
                    let d = delta_e(*ca, *cb);
                    assert!(d >= 15.0, "{theme:?}: {a} and {b} are only {d:.1} apart");
                }
            }
        }
    }
}
