//! How the window applies a theme: egui visuals, text sizes and presentation mode. The
//! colours themselves live in `crate::display::palette`, shared with the exports.

pub use crate::display::palette::{
    GHOST_WIDTH, MATERIAL_WIDTH, OBSERVED_RADIUS, Palette, TOTAL_WIDTH, ThemeChoice, palette,
};
use egui::{Color32, FontId, TextStyle};

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
