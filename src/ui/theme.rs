//! Every colour and size the window uses, for dark and light themes. Other ui files ask this
//! module for colours instead of writing literals, so a theme change is one edit here.

use crate::app::ThemeChoice;
use crate::model::EventKind;
use egui::{Color32, FontId, Stroke, TextStyle};

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
    pub threshold: Color32,
    pub card_fill: Color32,
    pub marker_unsaved: Color32,
    pub marker_active: Color32,
    pub error: Color32,
    pub warning: Color32,
    pub label_fill: Color32,
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
                Color32::from_rgb(0xFF, 0x55, 0x55),
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
                Color32::from_rgb(0xD0, 0x10, 0x10),
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

    /// Stroke of the dependency threshold line.
    pub fn threshold_stroke(&self) -> Stroke {
        Stroke::new(1.0, self.threshold)
    }
}

/// Line widths: the aggregate is bold so it reads first.
pub const TOTAL_WIDTH: f32 = 3.0;
pub const MATERIAL_WIDTH: f32 = 1.6;
pub const GHOST_WIDTH: f32 = 1.4;
pub const OBSERVED_RADIUS: f32 = 4.5;

/// Applies the theme and text size to the whole context (idempotent; cheap when unchanged).
pub fn apply(ctx: &egui::Context, theme: ThemeChoice, large_text: bool) {
    let wanted = match theme {
        ThemeChoice::Dark => egui::Theme::Dark,
        ThemeChoice::Light => egui::Theme::Light,
    };
    if ctx.theme() != wanted {
        ctx.set_theme(wanted);
    }
    // Slightly larger than egui's defaults so 1280x720 stays legible; "large text" is for
    // projectors and the back of a room.
    let body = if large_text { 17.0 } else { 14.0 };
    let current = ctx
        .global_style()
        .text_styles
        .get(&TextStyle::Body)
        .map(|f| f.size);
    if current != Some(body) {
        ctx.all_styles_mut(|style| {
            style.text_styles = [
                (TextStyle::Small, FontId::proportional(body - 3.0)),
                (TextStyle::Body, FontId::proportional(body)),
                (TextStyle::Button, FontId::proportional(body)),
                (TextStyle::Heading, FontId::proportional(body + 4.0)),
                (TextStyle::Monospace, FontId::monospace(body - 1.0)),
            ]
            .into();
            style.spacing.item_spacing = egui::vec2(6.0, 4.0);
        });
    }
}

/// Font of the big number on a headline card.
pub fn headline_font(large_text: bool) -> FontId {
    FontId::proportional(if large_text { 26.0 } else { 20.0 })
}

/// Colours of pinned scenarios, by pin slot (Paul Tol's "bright" set: distinct from each other
/// and from the material colours, readable on dark, light and high-contrast backgrounds).
const PIN_COLOURS: [Color32; 6] = [
    Color32::from_rgb(0x44, 0x77, 0xAA),
    Color32::from_rgb(0xEE, 0x66, 0x77),
    Color32::from_rgb(0x22, 0x88, 0x33),
    Color32::from_rgb(0xCC, 0xBB, 0x44),
    Color32::from_rgb(0x66, 0xCC, 0xEE),
    Color32::from_rgb(0xAA, 0x33, 0x77),
];

impl Palette {
    /// Colour of a pinned scenario's line, by the slot it got when pinned.
    pub fn pin(&self, slot: usize) -> Color32 {
        PIN_COLOURS[slot % PIN_COLOURS.len()]
    }
}

/// Presentation mode: white on black, bright lines, the presenter's zoom. Leaving restores
/// egui's own visuals for the chosen theme.
pub fn apply_presentation(ctx: &egui::Context, on: bool, zoom: f32) {
    let high_contrast = ctx.global_style().visuals.panel_fill == Color32::BLACK;
    if on && !high_contrast {
        ctx.set_theme(egui::Theme::Dark);
        ctx.style_mut_of(egui::Theme::Dark, |style| {
            style.visuals.panel_fill = Color32::BLACK;
            style.visuals.window_fill = Color32::BLACK;
            style.visuals.extreme_bg_color = Color32::BLACK;
            style.visuals.faint_bg_color = Color32::from_gray(24);
            style.visuals.override_text_color = Some(Color32::WHITE);
        });
    } else if !on && high_contrast {
        ctx.set_visuals_of(egui::Theme::Dark, egui::Visuals::dark());
    }
    let zoom = if on { zoom.clamp(1.0, 3.0) } else { 1.0 };
    if (ctx.zoom_factor() - zoom).abs() > 1e-3 {
        ctx.set_zoom_factor(zoom);
    }
}

/// Headline font in presentation mode: large print for the back of the room.
pub fn presentation_headline_font() -> FontId {
    FontId::proportional(26.0)
}
