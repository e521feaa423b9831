//! The headline strip above the charts: peak cost, extra cost against the baseline, when
//! dependency falls below its threshold, months of shortfall; each with its change since the
//! last saved state. Drawing only.

use super::theme::{Palette, headline_font};
use crate::app::AppState;
use crate::display::format;
use crate::model::YearMonth;
use crate::model::{StrategyFigures, Summary};
use egui::{RichText, Ui};

/// Whether a change is good or bad news for the buyer.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Better,
    Worse,
    Same,
}

#[derive(Clone)]
struct Card {
    title: String,
    value: String,
    detail: String,
    change: String,
    direction: Direction,
    tooltip: String,
}

/// Draws the four headline cards of the active document.
pub fn headline_ui(ui: &mut Ui, state: &AppState, palette: &Palette) {
    let (now, saved) = state.summaries();
    let reference = match state.baseline() {
        Some(b) => format!("baseline “{}”", b.display_name()),
        None => "the calm reference: no controls, no diversification capex".to_string(),
    };
    // Said on the card itself, not only in its tooltip: what the figure is measured against.
    let against = match state.baseline() {
        Some(b) => format!("vs {}", b.display_name()),
        None => "vs no controls, no capex".to_string(),
    };
    let spread = state.bands().map(|d| {
        (
            d.value.bands.peak_cost_percentile(10.0),
            d.value.bands.peak_cost_percentile(90.0),
        )
    });
    let mut cards = cards(&now, &saved, &reference, &against, spread).to_vec();
    cards.push(strategy_card(&state.active().strategy));
    let large = state.view.large_text;
    let spacing = ui.spacing().item_spacing.x;
    let n = cards.len() as f32;
    // Five cards share the strip. A card is never narrower than the widest word of their
    // figures (in the headline font, plus its margins), so large text or a narrow window puts whole cards on
    // a second row rather than breaking a figure mid-word or pushing the panel past the
    // window's edge. Rows are laid out explicitly: a frame's size is known only once drawn,
    // too late to wrap it.
    let figure = cards
        .iter()
        .flat_map(|c| c.value.split_whitespace())
        .map(|word| {
            ui.painter()
                .layout_no_wrap(word.to_string(), headline_font(large), egui::Color32::WHITE)
                .size()
                .x
        })
        .fold(0.0, f32::max);
    // The card's inner margins, and a point to spare for rounding.
    let narrowest = figure + 21.0;
    let available = ui.available_width();
    let per_row = ((available + spacing) / (narrowest + spacing))
        .floor()
        .clamp(1.0, n);
    let width = (available - spacing * (per_row - 1.0)) / per_row;
    for row in cards.chunks(per_row as usize) {
        ui.horizontal(|ui| {
            for card in row {
                card_ui(ui, card, width, large, palette);
            }
        });
    }
    targets_ui(ui, state, palette);
}

/// The plan's targets, met or missed, under the cards (nothing when it has none).
fn targets_ui(ui: &mut Ui, state: &AppState, palette: &Palette) {
    let checks = super::goal::active_checks(state);
    if checks.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Targets:").small().strong());
        for c in checks {
            // Words, not symbols: every font the window may fall back to has them.
            let (mark, colour) = if c.met {
                ("met:", palette.better)
            } else {
                ("missed:", palette.worse)
            };
            ui.label(
                RichText::new(format!(
                    "{mark} {} ({})",
                    c.target,
                    c.target.kind.format(c.value)
                ))
                .small()
                .color(colour),
            )
            .on_hover_text(if c.met {
                "Met on this run (the chance of a shortfall: across the uncertain futures)"
            } else {
                "Missed on this run: the Goals view seeks the cheapest plan that meets it"
            });
        }
    });
}

fn card_ui(ui: &mut Ui, card: &Card, width: f32, large: bool, palette: &Palette) {
    let change_colour = match card.direction {
        Direction::Better => palette.better,
        Direction::Worse => palette.worse,
        Direction::Same => ui.visuals().weak_text_color(),
    };
    let response = egui::Frame::new()
        .fill(palette.card_fill)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(width - 20.0);
            ui.vertical(|ui| {
                ui.spacing_mut().item_spacing.y = 1.0;
                ui.label(RichText::new(&card.title).small().strong());
                ui.label(
                    RichText::new(&card.value)
                        .font(headline_font(large))
                        .strong(),
                );
                ui.label(RichText::new(&card.detail).small().weak());
                ui.label(RichText::new(&card.change).small().color(change_colour));
            });
        })
        .response
        .on_hover_text(&card.tooltip);
    // One node per card for a screen reader: its title as the name, its figure as the value.
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(egui::accesskit::Role::Group);
        node.set_label(card.title.clone());
        node.set_value(format!("{} ({})", card.value, card.detail));
    });
}

fn direction(delta: f64, higher_is_worse: bool, epsilon: f64) -> Direction {
    if delta.abs() <= epsilon {
        Direction::Same
    } else if (delta > 0.0) == higher_is_worse {
        Direction::Worse
    } else {
        Direction::Better
    }
}

fn month_text(date: Option<YearMonth>) -> String {
    date.map_or_else(|| "not reached".to_string(), |d| d.to_string())
}

/// Share by which the central run's peak must lie under its futures' P10 for the card to say
/// so: the card shows three significant figures.
const BELOW_BY_MORE_THAN: f64 = 0.005;

/// The peak-cost card's detail and tooltip: the central run's month and, once the uncertain
/// futures have run, their P10-P90, saying so when the central run lies below it (its peak
/// has no random spikes; every future draws some, and a peak only grows with them).
fn peak_detail(h: &crate::model::Headline, spread: Option<(f64, f64)>) -> (String, String) {
    let month = h
        .peak_cost_date
        .map(|d| format!("in {d}"))
        .unwrap_or_default();
    let base = "Highest cost of supply of all materials together, $/kg of need, from the \
                decision date on: what is bought at its price plus what is substituted, \
                priced out or unmet at its value. The figure is the central run's: the \
                uncertain inputs at their central values and no random price spikes.";
    // The detail keeps its length whether or not the futures have run, so the strip does not
    // jump when they land; the spread itself is in the bands row above the charts.
    match spread {
        Some((p10, p90)) => {
            let range = format!("${}-{}/kg", format::value(p10), format::value(p90));
            // Below by more than rounding: a peak equal to P10 on the card is not "below".
            let detail = if h.peak_cost_usd_per_kg < p10 * (1.0 - BELOW_BY_MORE_THAN) {
                format!("{month}, central run: below its futures' P10")
            } else {
                format!("{month}, central run")
            };
            let tooltip = format!(
                "{base} Across the uncertain futures the peak lies between {range} in 8 of 10; \
                 their peaks include random spikes, so the central run's can lie below them."
            );
            (detail, tooltip)
        }
        None => (format!("{month}, central run"), base.to_string()),
    }
}

fn cards(
    now: &Summary,
    saved: &Summary,
    reference: &str,
    against: &str,
    spread: Option<(f64, f64)>,
) -> [Card; 4] {
    let (h, s) = (&now.headline, &saved.headline);
    let (peak_detail, peak_tooltip) = peak_detail(h, spread);

    let peak_delta = h.peak_cost_usd_per_kg - s.peak_cost_usd_per_kg;
    let peak = Card {
        title: "Peak cost".into(),
        value: format!("${}/kg", format::value(h.peak_cost_usd_per_kg)),
        detail: peak_detail,
        change: change_line(
            peak_delta.abs() < 0.005,
            format!("{}$/kg", signed_money(peak_delta)),
        ),
        direction: direction(peak_delta, true, 0.005),
        tooltip: peak_tooltip,
    };

    let extra_delta = now.extra_cost_usd - saved.extra_cost_usd;
    let extra = Card {
        title: "Extra cost".into(),
        value: format::usd(now.extra_cost_usd),
        detail: format!("{against}, over the horizon"),
        change: change_line(extra_delta.abs() < 5e5, format::usd_change(extra_delta)),
        direction: direction(extra_delta, true, 5e5),
        tooltip: format!(
            "Spend + capex + value of demand lost over the horizon minus that of {reference}"
        ),
    };

    let threshold = (h.dependency_threshold * 100.0).round();
    let (dep_change, dep_direction) =
        match (h.dependency_below_threshold, s.dependency_below_threshold) {
            (Some(a), Some(b)) => {
                let months = b.months_until(a) as f64;
                (
                    change_line(
                        months == 0.0,
                        format!("{} months", format::signed(months, 0)),
                    ),
                    direction(months, true, 0.0),
                )
            }
            (a, b) if a == b => (change_line(true, String::new()), Direction::Same),
            (Some(_), None) => ("now reached (was not)".into(), Direction::Better),
            (None, Some(b)) => (format!("no longer reached (was {b})"), Direction::Worse),
            _ => (String::new(), Direction::Same),
        };
    let dependency = Card {
        title: format!("Dependency < {threshold:.0} %"),
        value: month_text(h.dependency_below_threshold),
        detail: format!("ends at {:.0} %", h.final_dependency * 100.0),
        change: dep_change,
        direction: dep_direction,
        tooltip: "First month from which, for a year, less than this share of demand depends on \
                  China: material of Chinese origin (leakage and stock bought from China \
                  included) plus demand priced out or unmet"
            .into(),
    };

    let months_delta = h.months_of_shortfall - s.months_of_shortfall;
    let shortfall = Card {
        title: "Months of shortfall".into(),
        value: format::grouped(h.months_of_shortfall, 0),
        detail: "demand not fully met".into(),
        change: change_line(months_delta.abs() < 0.5, format::signed(months_delta, 0)),
        direction: direction(months_delta, true, 0.5),
        tooltip: "Months in which buyers outside China cannot get all the material they need"
            .into(),
    };
    [peak, extra, dependency, shortfall]
}

/// The cost of the strategy: what it costs under the scenario's controls, what its
/// diversification would cost if China relaxed, and what it saves under the controls.
fn strategy_card(f: &StrategyFigures) -> Card {
    let saving = f.saving_if_cut();
    Card {
        title: "Cost of the strategy".into(),
        value: format::usd(f.with_controls),
        detail: format!("premium {}", format::usd(f.premium_if_relaxed())),
        change: if saving >= 0.0 {
            format!("payoff {}", format::usd(saving))
        } else {
            format!("payoff -{}", format::usd(-saving))
        },
        direction: direction(-saving, true, 5e5),
        tooltip: format!(
            "Spend (offtake premiums included) + diversification capex + the value of demand \
             substituted, priced out or unmet, over the horizon, less stock still held.\n\
             Premium: what the capex costs if China relaxes (no controls, with against \
             without it). Payoff: what it saves under these controls.\n\
             Under these controls: {} with the capex, {} without it.\n\
             Without controls: {} with the capex, {} without it (the calm reference).",
            format::usd(f.with_controls),
            format::usd(f.with_controls_no_capex),
            format::usd(f.without_controls),
            format::usd(f.without_controls_no_capex),
        ),
    }
}

fn signed_money(delta: f64) -> String {
    if delta >= 0.0 {
        format!("+{} ", format::value(delta))
    } else {
        format!("{} ", format::value(delta))
    }
}

fn change_line(unchanged: bool, change: String) -> String {
    if unchanged {
        "no change since save".to_string()
    } else {
        format!("{change} since save")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_cost_card_names_what_it_is_measured_against() {
        let s = Summary::default();
        let [_, extra, _, _] = cards(&s, &s, "baseline “Status quo”", "vs Status quo", None);
        assert_eq!(extra.title, "Extra cost");
        assert_eq!(extra.detail, "vs Status quo, over the horizon");
        assert!(extra.tooltip.contains("baseline “Status quo”"));
    }

    #[test]
    fn a_peak_below_its_futures_says_it_is_the_central_run() {
        let h = crate::model::Headline {
            peak_cost_usd_per_kg: 534.0,
            peak_cost_date: Some(YearMonth {
                year: 2026,
                month: 3,
            }),
            ..crate::model::Headline::default()
        };
        let (below, tip) = peak_detail(&h, Some((546.0, 700.0)));
        assert_eq!(below, "in 2026-03, central run: below its futures' P10");
        assert!(
            tip.contains("random spikes") && tip.contains("$546-700/kg"),
            "{tip}"
        );
        let (inside, _) = peak_detail(&h, Some((500.0, 700.0)));
        assert_eq!(inside, "in 2026-03, central run");
        // Equal on the card (534 against 534.4): not below.
        let (equal, _) = peak_detail(&h, Some((534.4, 700.0)));
        assert_eq!(equal, inside);
        let (alone, _) = peak_detail(&h, None);
        assert_eq!(
            alone, inside,
            "the strip does not jump when the futures land"
        );
    }
}
