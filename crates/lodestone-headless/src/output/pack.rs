//! The board pack: one PDF page per slide (title, headline table with units, the charts as
//! vector graphics, the speaker notes, the sources of the figures shown) and a last page with
//! every input (levers, events and the rest) that differs from the first slide.
//!
//! Each page is laid out as one SVG (the charts are the same SVG `lodestone export` writes,
//! nested), then turned into PDF by krilla and krilla-svg (the typst project's PDF writer):
//! text stays text, lines stay vectors, and the font is the bundled one, so no system library
//! or font lookup is needed.

use super::RenderError;
use super::svg::to_svg;
use crate::display::headline::{extra_cost, figures, measured_against};
use crate::display::names::scenario_name;
use crate::model::{Comparison, Results, simulate};
use crate::scenario::chart::ChartKind;
use crate::scenario::deck::{Deck, Slide};
use crate::scenario::{Document, differences, load_file, resolve_relative};
use krilla::geom::Size;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};
use std::path::Path;
use std::sync::Arc;

/// A4 landscape, in PDF points.
pub const PAGE: (f32, f32) = (842.0, 595.0);

/// The bundled font, shared with the chart exports.
const FONT_FAMILY: &str = "DejaVu Sans";

/// One slide of the pack, with everything already formatted.
#[derive(Clone, Debug, Default)]
pub struct PackPage {
    /// Slide title.
    pub title: String,
    /// Headline rows: (figure, value with its unit).
    pub figures: Vec<(String, String)>,
    /// The charts as SVG text (from [`super::svg::to_svg`]) and their size.
    pub charts_svg: String,
    /// Size the charts were drawn at, in SVG units.
    pub charts_size: (u32, u32),
    /// The speaker notes.
    pub notes: String,
    /// Where the figures come from: scenario file, model, sources cited.
    pub sources: Vec<String>,
}

/// A board pack ready to write.
#[derive(Clone, Debug, Default)]
pub struct Pack {
    /// Title of the talk.
    pub title: String,
    /// Date the pack was made, `YYYY-MM-DD`.
    pub date: String,
    /// One page per slide.
    pub pages: Vec<PackPage>,
    /// Column heads of the last page: the slide titles.
    pub lever_slides: Vec<String>,
    /// Rows of the last page: lever label, then its value on each slide (`""` where it equals
    /// the first slide's).
    pub lever_rows: Vec<(String, Vec<String>)>,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Not allowed in XML (usvg refuses the page): control characters, U+FFFE.
            c if crate::scenario::validate::is_forbidden_char(c, false) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Splits text into lines of at most `width` points at `size` points, measured in the
/// bundled font, breaking at spaces.
fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    super::text::wrap(text, width, |t| super::text::width(t, size))
}

/// SVG text lines from `y`, returning where the next line would go.
fn text_block(
    svg: &mut String,
    lines: &[String],
    x: f32,
    mut y: f32,
    size: f32,
    colour: &str,
    max_y: f32,
) -> f32 {
    for line in lines {
        if y > max_y {
            svg.push_str(&format!(
                r#"<text x="{x}" y="{y}" font-size="{size}" fill="{colour}">…</text>"#
            ));
            return y + size * 1.35;
        }
        svg.push_str(&format!(
            r#"<text x="{x}" y="{y}" font-size="{size}" fill="{colour}">{}</text>"#,
            escape(line)
        ));
        y += size * 1.35;
    }
    y
}

fn page_open(title: &str, kicker: &str) -> String {
    let (w, h) = PAGE;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}"><rect width="{w}" height="{h}" fill="white"/>"#
    );
    svg.push_str(&format!(
        r##"<text x="30" y="30" font-size="9" fill="#666666">{}</text>"##,
        escape(kicker)
    ));
    svg.push_str(&format!(
        r##"<text x="30" y="56" font-size="20" fill="#111111">{}</text>"##,
        escape(title)
    ));
    svg
}

fn page_close(svg: &mut String, footer: &str) {
    svg.push_str(&format!(
        r##"<text x="30" y="{}" font-size="8" fill="#666666">{}</text></svg>"##,
        PAGE.1 - 16.0,
        escape(footer)
    ));
}

/// The chart SVG nested into the page at (x, y), scaled to width `w` keeping its aspect.
fn nest_charts(svg: &mut String, charts: &str, size: (u32, u32), x: f32, y: f32, w: f32, h: f32) {
    let Some(open) = charts.find("<svg") else {
        return;
    };
    let Some(open_end) = charts[open..].find('>').map(|i| open + i + 1) else {
        return;
    };
    let Some(close) = charts.rfind("</svg>") else {
        return;
    };
    if close < open_end {
        return;
    }
    let (cw, ch) = (f64::from(size.0.max(1)), f64::from(size.1.max(1)));
    svg.push_str(&format!(
        r#"<svg x="{x}" y="{y}" width="{w}" height="{h}" viewBox="0 0 {cw} {ch}" preserveAspectRatio="xMidYMin meet">"#
    ));
    svg.push_str(&charts[open_end..close]);
    svg.push_str("</svg>");
}

/// The SVG of one slide's page.
pub fn slide_svg(pack: &Pack, index: usize) -> String {
    let Some(page) = pack.pages.get(index) else {
        return String::new();
    };
    let total = pack.pages.len() + 1;
    let mut svg = page_open(
        &page.title,
        &format!(
            "{} · slide {} of {}",
            pack.title,
            index + 1,
            pack.pages.len()
        ),
    );
    // Left column: the headline table, the notes, the sources.
    let (left, col_w, bottom) = (30.0, 250.0, PAGE.1 - 34.0);
    let mut y = 84.0;
    svg.push_str(&format!(
        r##"<text x="{left}" y="{y}" font-size="10" fill="#111111" font-weight="bold">Headline figures</text>"##
    ));
    y += 16.0;
    for (label, value) in &page.figures {
        let label_lines = wrap(label, col_w - 95.0, 8.5);
        let value_y = y;
        y = text_block(&mut svg, &label_lines, left, y, 8.5, "#333333", bottom);
        svg.push_str(&format!(
            r##"<text x="{}" y="{value_y}" font-size="8.5" fill="#111111" text-anchor="end">{}</text>"##,
            left + col_w,
            escape(value)
        ));
        y += 2.0;
    }
    y += 10.0;
    if !page.notes.trim().is_empty() {
        svg.push_str(&format!(
            r##"<text x="{left}" y="{y}" font-size="10" fill="#111111" font-weight="bold">Speaker notes</text>"##
        ));
        y += 15.0;
        y = text_block(
            &mut svg,
            &wrap(&page.notes, col_w, 8.5),
            left,
            y,
            8.5,
            "#222222",
            bottom - 60.0,
        );
        y += 10.0;
    }
    if !page.sources.is_empty() {
        svg.push_str(&format!(
            r##"<text x="{left}" y="{y}" font-size="9" fill="#111111" font-weight="bold">Sources</text>"##
        ));
        y += 13.0;
        let lines: Vec<String> = page
            .sources
            .iter()
            .flat_map(|s| wrap(s, col_w, 7.0))
            .collect();
        text_block(&mut svg, &lines, left, y, 7.0, "#444444", bottom);
    }
    // Right: the charts, as large as the page allows.
    let (cx, cy) = (left + col_w + 20.0, 70.0);
    nest_charts(
        &mut svg,
        &page.charts_svg,
        page.charts_size,
        cx,
        cy,
        PAGE.0 - cx - 24.0,
        bottom - cy,
    );
    page_close(
        &mut svg,
        &format!(
            "Lodestone board pack · {} · model {} · page {} of {total}",
            pack.date,
            crate::scenario::stamp::model_version(),
            index + 1
        ),
    );
    svg
}

/// The SVG of the last page: every input that differs from the first slide, per slide.
pub fn levers_svg(pack: &Pack) -> String {
    let total = pack.pages.len() + 1;
    let mut svg = page_open(
        "Inputs that differ from the first slide",
        &format!("{} · summary", pack.title),
    );
    let (left, label_w) = (30.0, 170.0);
    let columns = pack.lever_slides.len().max(1);
    let col_w = ((PAGE.0 - left - label_w - 24.0) / columns as f32).max(40.0);
    let size = if columns > 6 { 6.5 } else { 8.0 };
    let mut y = 90.0;
    for (i, slide) in pack.lever_slides.iter().enumerate() {
        let x = left + label_w + col_w * i as f32;
        let lines = wrap(slide, col_w - 6.0, size);
        text_block(
            &mut svg,
            &lines[..lines.len().min(3)],
            x,
            y,
            size,
            "#111111",
            PAGE.1,
        );
    }
    y += size * 1.35 * 3.0 + 6.0;
    if pack.lever_rows.is_empty() {
        svg.push_str(&format!(
            r##"<text x="{left}" y="{y}" font-size="9" fill="#333333">Every slide has the first slide's inputs.</text>"##
        ));
    }
    let line_h = size * 1.35;
    for (row, (label, values)) in pack.lever_rows.iter().enumerate() {
        if y > PAGE.1 - 40.0 {
            break;
        }
        // An event's description is longer than a column: cells wrap (at most three lines)
        // rather than run into the next slide's column.
        let label_lines = wrap(label, label_w - 8.0, size);
        let cells: Vec<Vec<String>> = values
            .iter()
            .map(|v| {
                let text = if v.is_empty() { "·" } else { v.as_str() };
                let mut lines = wrap(text, col_w - 6.0, size);
                if lines.len() > 3 {
                    lines.truncate(3);
                    if let Some(last) = lines.last_mut() {
                        last.push('…');
                    }
                }
                lines
            })
            .collect();
        let height = cells
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(label_lines.len().min(3)))
            .max()
            .unwrap_or(1)
            .max(1);
        if row % 2 == 0 {
            svg.push_str(&format!(
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f1f1f1"/>"##,
                left - 4.0,
                y - size - 2.0,
                PAGE.0 - 2.0 * left + 8.0,
                line_h * height as f32 + 2.0
            ));
        }
        text_block(
            &mut svg,
            &label_lines[..label_lines.len().min(3)],
            left,
            y,
            size,
            "#333333",
            PAGE.1,
        );
        for (i, lines) in cells.iter().enumerate() {
            let x = left + label_w + col_w * i as f32;
            text_block(&mut svg, lines, x, y, size, "#111111", PAGE.1);
        }
        y += line_h * height as f32 + 2.0;
    }
    svg.push_str(&format!(
        r##"<text x="{left}" y="{}" font-size="7.5" fill="#666666">A dot: as on the first slide. Levers in the units of the window's sliders; events as date, kind, quota.</text>"##,
        PAGE.1 - 32.0
    ));
    page_close(
        &mut svg,
        &format!(
            "Lodestone board pack · {} · model {} · page {total} of {total}",
            pack.date,
            crate::scenario::stamp::model_version()
        ),
    );
    svg
}

fn svg_options() -> usvg::Options<'static> {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(super::text::FONT_BYTES.to_vec());
    fonts.set_sans_serif_family(FONT_FAMILY);
    usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: Arc::new(fonts),
        ..usvg::Options::default()
    }
}

/// The pack as PDF bytes.
pub fn to_pdf(pack: &Pack) -> Result<Vec<u8>, RenderError> {
    let options = svg_options();
    let mut pages: Vec<String> = (0..pack.pages.len()).map(|i| slide_svg(pack, i)).collect();
    pages.push(levers_svg(pack));
    let size = Size::from_wh(PAGE.0, PAGE.1)
        .ok_or_else(|| RenderError::Pdf("the page size is invalid".into()))?;
    let mut document = krilla::Document::new();
    for (i, svg) in pages.iter().enumerate() {
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| RenderError::PageLayout {
            page: i + 1,
            reason: e.to_string(),
        })?;
        let mut page = document.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or(RenderError::PageDraw(i + 1))?;
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}

/// The baseline a slide is compared with: the deck's choice, else the scenario's own.
fn slide_baseline(slide: &Slide, warnings: &mut Vec<String>) -> Option<(String, Document)> {
    let reference = match &slide.baseline {
        Some(b) if b.trim().is_empty() => return None,
        Some(b) => b.clone(),
        None => slide.document.baseline.clone()?,
    };
    let path = resolve_relative(&reference, Some(&slide.path));
    match load_file(&path) {
        Ok(loaded) => Some((
            scenario_name(&loaded.document.meta.name, Some(&path)),
            loaded.document,
        )),
        Err(e) => {
            warnings.push(format!(
                "baseline {} does not load; drawn without it\n{e}",
                path.display()
            ));
            None
        }
    }
}

/// The sources behind a slide's figures: its file, the model, and the lines of its notes
/// that cite the shipped record and apply to this slide (a line about licensing or the
/// controls is not a source of a slide without them; a heading is not a source at all).
fn sources(slide: &Slide, deck_path: &Path) -> Vec<String> {
    let file = slide
        .path
        .strip_prefix(deck_path.parent().unwrap_or(Path::new("")))
        .unwrap_or(&slide.path);
    let mut out = vec![format!(
        "Scenario file {} (Lodestone {}); equations and defaults: MODEL.md.",
        file.display(),
        env!("CARGO_PKG_VERSION")
    )];
    let scenario = &slide.document.scenario;
    out.extend(
        slide
            .document
            .meta
            .notes
            .lines()
            .map(|l| l.trim().trim_start_matches("- ").to_string())
            .filter(|l| l.contains("SOURCES.md") || l.contains("RECORD.md"))
            .filter(|l| source_applies(l, scenario))
            .take(6),
    );
    out
}

/// Whether a cited line of a scenario's notes is about something the scenario has.
fn source_applies(line: &str, scenario: &crate::model::Scenario) -> bool {
    let lower = line.to_lowercase();
    if lower.trim_end().ends_with(':') {
        return false;
    }
    let licensing = scenario.events.iter().any(|e| e.licensing);
    if (lower.contains("licens") || lower.contains("licence")) && !licensing {
        return false;
    }
    let controls = lower.contains("controls on")
        || lower.contains("expansion")
        || lower.contains("quota-driven");
    if controls && scenario.events.is_empty() {
        return false;
    }
    true
}

/// Everything the pack shows, computed the way `run` and the window compute it, with the
/// warnings met on the way (a baseline that does not load).
pub fn build(deck: &Deck, date: &str) -> (Pack, Vec<String>) {
    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    for slide in &deck.slides {
        let doc = &slide.document;
        let results = simulate(&doc.scenario);
        let baseline = slide_baseline(slide, &mut warnings);
        let reference: Results = match &baseline {
            Some((_, b)) => simulate(&b.scenario),
            None => simulate(&doc.scenario.reference()),
        };
        let mut shown: Vec<(String, String)> = figures(&results.headline)
            .into_iter()
            .map(|f| (f.label, f.text))
            .collect();
        let extra = extra_cost(Comparison::between(&results, &reference).extra_cost_usd);
        // The same words as the slide's card: the calm reference drops the capex too.
        let against = format!(
            "extra cost {}",
            measured_against(baseline.as_ref().map(|(n, _)| n.as_str()))
        );
        shown.push((against, extra.text));
        // A note that names a figure the slide does not show would mislead the room.
        for problem in crate::scenario::deck::note_mismatches(&slide.notes, &results.headline) {
            warnings.push(format!("slide “{}”: {problem}", slide.title));
        }
        let name = scenario_name(&doc.meta.name, Some(&slide.path));
        let figure = super::figure::document_figure(
            &name,
            doc,
            &results,
            // The reference run computed above, named as the window names it.
            Some((
                baseline
                    .as_ref()
                    .map_or(super::figure::NO_CONTROLS, |(n, _)| n.as_str()),
                &reference,
            )),
            &[
                ChartKind::Cost,
                ChartKind::Dependency,
                ChartKind::ChinaExports,
            ],
            date,
            true,
        );
        let charts_svg = to_svg(&figure, CHARTS_SIZE).unwrap_or_default();
        pages.push(PackPage {
            title: slide.title.clone(),
            figures: shown,
            charts_svg,
            charts_size: CHARTS_SIZE,
            notes: slide.notes.clone(),
            sources: sources(slide, &deck.path),
        });
    }
    let (lever_slides, lever_rows) = lever_differences(deck);
    let pack = Pack {
        title: deck.title.clone(),
        date: date.to_string(),
        pages,
        lever_slides,
        lever_rows,
    };
    (pack, warnings)
}

/// The size the charts are drawn at before they are placed on a page (SVG units).
const CHARTS_SIZE: (u32, u32) = (1000, 900);

/// Every input that differs from the first slide on some slide (levers, assumptions,
/// materials, the horizon and the policy events: the compare view's "Inputs that differ"):
/// its value per slide, blank where it equals the first slide's.
fn lever_differences(deck: &Deck) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let titles = deck.slides.iter().map(|s| s.title.clone()).collect();
    let Some(first) = deck.slides.first() else {
        return (titles, Vec::new());
    };
    let columns = deck.slides.len();
    // Rows in first-seen order: (input id, its label, value per slide).
    let mut rows: Vec<(String, String, Vec<String>)> = Vec::new();
    for (i, slide) in deck.slides.iter().enumerate().skip(1) {
        for d in differences(&first.document.scenario, &slide.document.scenario) {
            let row = match rows.iter().position(|r| r.0 == d.id) {
                Some(r) => r,
                None => {
                    let mut values = vec![String::new(); columns];
                    values[0] = d.a.clone();
                    rows.push((d.id.clone(), d.label.clone(), values));
                    rows.len() - 1
                }
            };
            rows[row].2[i] = d.b;
        }
    }
    // Named and valued as the window's sliders show them (`differences` decides both).
    let rows = rows
        .into_iter()
        .map(|(_, label, values)| (label, values))
        .collect();
    (titles, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_the_width() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(text, 60.0, 10.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        assert!(
            lines
                .iter()
                .all(|l| super::super::text::width(l, 10.0) <= 60.0),
            "{lines:?}"
        );
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
