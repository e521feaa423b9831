//! Desktop conventions: the command palette (Ctrl+Shift+P) built from the one command table
//! that also feeds the menus, the keys and F1; and the accessibility tree: every headline
//! lever, card and chart has a name and a value a screen reader can read.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use lodestone::app::AppOptions;
use lodestone::model::{LEVERS, LeverGroup};
use lodestone::ui::LodestoneApp;
use lodestone::ui::actions::{ACTIONS, Action, info};

fn window() -> Harness<'static, LodestoneApp> {
    crate::common::settled_window(AppOptions {
        library_dirs: vec![],
        ..AppOptions::default()
    })
}

fn open_palette(harness: &mut Harness<'_, LodestoneApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    harness.run();
}

#[test]
fn the_palette_lists_every_command_with_its_keys_and_filters_as_you_type() {
    let mut harness = window();
    open_palette(&mut harness);
    harness.get_by_role_and_label(Role::TextInput, "Command");
    // Every command but the palette itself is listed, by the table's label.
    for row in ACTIONS
        .iter()
        .filter(|a| a.action != Action::CommandPalette)
    {
        assert!(
            harness
                .query_all_by_role_and_label(Role::Button, row.label)
                .next()
                .is_some(),
            "{} is not in the palette",
            row.label
        );
    }
    // Typing filters; Enter runs the first match.
    harness
        .get_by_role_and_label(Role::TextInput, "Command")
        .type_text("light the");
    harness.run();
    assert!(harness.query_by_label("Save As…").is_none(), "filtered out");
    harness.get_by_label("Light theme");
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.state().state.view.theme,
        lodestone::display::palette::ThemeChoice::Light
    );
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Command")
            .is_none(),
        "running a command closes the palette"
    );
    // Esc closes it without running anything.
    open_palette(&mut harness);
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Command")
            .is_none()
    );
}

#[test]
fn menus_keys_and_f1_come_from_the_same_table() {
    let mut harness = window();
    // F1 lists each bound command's tooltip from the table.
    harness.key_press(Key::F1);
    harness.run();
    for row in ACTIONS
        .iter()
        .filter(|a| !a.keys.is_empty() && a.action != Action::Shortcuts)
    {
        assert!(
            harness.query_by_label(row.tooltip).is_some(),
            "F1 does not list {}",
            row.label
        );
    }
    harness.key_press(Key::Escape);
    harness.run();
    // The File menu's Save item is the table's label.
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label(info(Action::Save).label);
    harness.get_by_label(info(Action::SaveAs).label);
    harness.get_by_label(info(Action::Open).label);
}

#[test]
fn every_headline_lever_card_and_chart_has_an_accessible_name_and_value() {
    let harness = window();
    let scenario = harness.state().state.active().doc.scenario.clone();
    let headline = LEVERS
        .iter()
        .filter(|l| l.group != LeverGroup::Assumptions)
        .collect::<Vec<_>>();
    assert!(headline.len() >= 3);
    for lever in headline {
        let node = harness.get_by_role_and_label(Role::Slider, lever.label);
        let value = node
            .accesskit_node()
            .numeric_value()
            .unwrap_or_else(|| panic!("{} has no value", lever.label));
        let stored = (lever.get)(&scenario);
        let shown = if lever.format(1.0).ends_with('%') {
            stored * 100.0
        } else {
            stored
        };
        assert!(
            (value - shown).abs() < 1e-6 * shown.abs().max(1.0),
            "{}: the slider reads {value}, the scenario holds {stored}",
            lever.label
        );
    }
    for card in ["Peak cost", "Months of shortfall", "Cost of the strategy"] {
        let node = harness.get_by_role_and_label(Role::Group, card);
        let value = node.accesskit_node().value().unwrap_or_default();
        assert!(!value.is_empty(), "the {card} card has no value");
    }
    let peak = harness
        .get_by_role_and_label(Role::Group, "Peak cost")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(peak.contains("/kg"), "{peak}");
    for chart in ["Cost of supply", "Dependency on Chinese origin"] {
        let node = harness
            .query_all_by_role(Role::Figure)
            .find(|n| {
                n.accesskit_node()
                    .label()
                    .is_some_and(|l| l.starts_with(chart))
            })
            .unwrap_or_else(|| panic!("no chart named {chart}"));
        let value = node.accesskit_node().value().unwrap_or_default();
        assert!(value.starts_with("total "), "{chart}: {value}");
    }
}
