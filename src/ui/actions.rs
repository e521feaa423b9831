//! The one table of what the user can ask for by name: each action's label, keys and tooltip.
//! The menus, the keyboard handler, the F1 list and the command palette (Ctrl+Shift+P) are
//! all built from [`ACTIONS`], so a label, a key or a tooltip changes in one place and none
//! of them can drift. Drawing only: running an action pushes [`Command`]s.

use crate::app::outputs::ExportWhat;
use crate::app::present::PresentCommand;
use crate::app::{AppState, Command, HelpPage};
use crate::display::palette::ThemeChoice;
use crate::model::LeverGroup;
use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

/// Everything the table names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // each variant's label and tooltip in ACTIONS say what it is
pub enum Action {
    NewFromCurrent,
    Open,
    AddFolder,
    Save,
    SaveAs,
    Revert,
    PinBaseline,
    UnpinBaseline,
    Quit,
    Undo,
    Redo,
    ResetLevers,
    DarkTheme,
    LightTheme,
    LargeText,
    ObservedData,
    PolicyEvents,
    CompanyView,
    OpenProfile,
    PinCurrent,
    DeltaView,
    CompareTable,
    UnpinAll,
    Present,
    LeavePresentation,
    NextSlide,
    PreviousSlide,
    SpeakerNotes,
    SaveLiveCopy,
    ExportSvg,
    ExportPng,
    ExportPng2x,
    ExportCsv,
    ExportTableCsv,
    ExportTableMarkdown,
    CopyScenario,
    PasteScenario,
    Shortcuts,
    ModelDoc,
    CommandPalette,
}

/// When an action's keys are listened to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// In the explorer (the normal window).
    Explorer,
    /// While presenting.
    Presenting,
    /// Always.
    Any,
}

/// One row of the table.
#[derive(Debug)]
pub struct ActionInfo {
    /// What it is.
    pub action: Action,
    /// Its name in menus, the palette and the F1 list.
    pub label: &'static str,
    /// Its keys, the first shown in menus; empty for none.
    pub keys: &'static [KeyboardShortcut],
    /// What it does, one sentence (hover text and the palette's second line).
    pub tooltip: &'static str,
    /// When its keys are listened to.
    pub mode: Mode,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}
const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const NONE: Modifiers = Modifiers::NONE;

/// Every action, in the order of the F1 list and the palette.
pub const ACTIONS: &[ActionInfo] = &[
    ActionInfo {
        action: Action::CommandPalette,
        label: "Command palette",
        keys: &[key(CMD_SHIFT, Key::P)],
        tooltip: "Find any command by name and run it",
        mode: Mode::Any,
    },
    ActionInfo {
        action: Action::NewFromCurrent,
        label: "New from current",
        keys: &[key(CMD, Key::N)],
        tooltip: "New scenario from the current one (not saved until you save it)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::Open,
        label: "Open…",
        keys: &[key(CMD, Key::O)],
        tooltip: "Open a scenario file",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::AddFolder,
        label: "Add scenario folder…",
        keys: &[],
        tooltip: "List the scenarios of another folder in the library (remembered)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::Save,
        label: "Save",
        keys: &[key(CMD, Key::S)],
        tooltip: "Save the scenario to its file (an example asks for a new file)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::SaveAs,
        label: "Save As…",
        keys: &[key(CMD_SHIFT, Key::S)],
        tooltip: "Save the scenario under a new name",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::Revert,
        label: "Revert to saved",
        keys: &[],
        tooltip: "Put the saved file back (Undo brings the changes back)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::PinBaseline,
        label: "Pin current as baseline",
        keys: &[],
        tooltip: "Compare every change with the scenario as it is now",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::UnpinBaseline,
        label: "Unpin baseline",
        keys: &[],
        tooltip: "Compare with the scenario's own baseline again",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::Quit,
        label: "Quit",
        keys: &[key(CMD, Key::Q)],
        tooltip: "Quit (asks first when anything is unsaved)",
        mode: Mode::Any,
    },
    ActionInfo {
        action: Action::Undo,
        label: "Undo",
        keys: &[key(CMD, Key::Z)],
        tooltip: "Undo the last change (levers, events, name and notes)",
        mode: Mode::Any,
    },
    ActionInfo {
        action: Action::Redo,
        label: "Redo",
        keys: &[key(CMD_SHIFT, Key::Z), key(CMD, Key::Y)],
        tooltip: "Redo the change undone last",
        mode: Mode::Any,
    },
    ActionInfo {
        action: Action::ResetLevers,
        label: "Reset every lever",
        keys: &[],
        tooltip: "Put every lever back to its default (one undo step)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::DarkTheme,
        label: "Dark theme",
        keys: &[],
        tooltip: "Light text on a dark background",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::LightTheme,
        label: "Light theme",
        keys: &[],
        tooltip: "Dark text on a light background",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::LargeText,
        label: "Large text (projector)",
        keys: &[],
        tooltip: "Larger type everywhere, for a projector or a large room",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::ObservedData,
        label: "Observed data on charts",
        keys: &[],
        tooltip: "Show or hide the observed figures of the record (diamonds)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::PolicyEvents,
        label: "Policy events on charts",
        keys: &[],
        tooltip: "Show or hide the dated policy events (labelled lines)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::CompanyView,
        label: "Show company view",
        keys: &[],
        tooltip: "One company's spend, stock and stoppage risk on this scenario",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::OpenProfile,
        label: "Open profile…",
        keys: &[],
        tooltip: "Open a company profile",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::PinCurrent,
        label: "Pin current scenario",
        keys: &[],
        tooltip: "Keep the current curves on the charts to compare with",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::DeltaView,
        label: "Delta view (current minus baseline)",
        keys: &[],
        tooltip: "Show every chart as the difference from the baseline",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::CompareTable,
        label: "Table and lever diff",
        keys: &[],
        tooltip: "Headline figures side by side and every lever that differs",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::UnpinAll,
        label: "Unpin all",
        keys: &[],
        tooltip: "Take every pinned scenario off the charts",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::Present,
        label: "Presentation mode",
        keys: &[key(NONE, Key::F5)],
        tooltip: "Present full screen (resumes the open deck)",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::LeavePresentation,
        label: "Leave presentation mode",
        keys: &[key(NONE, Key::Escape)],
        tooltip: "Back to the explorer as it was",
        mode: Mode::Presenting,
    },
    ActionInfo {
        action: Action::NextSlide,
        label: "Next slide",
        keys: &[
            key(NONE, Key::PageDown),
            key(NONE, Key::ArrowRight),
            key(NONE, Key::ArrowDown),
            key(NONE, Key::Space),
        ],
        tooltip: "The deck's next slide",
        mode: Mode::Presenting,
    },
    ActionInfo {
        action: Action::PreviousSlide,
        label: "Previous slide",
        keys: &[
            key(NONE, Key::PageUp),
            key(NONE, Key::ArrowLeft),
            key(NONE, Key::ArrowUp),
        ],
        tooltip: "The deck's previous slide",
        mode: Mode::Presenting,
    },
    ActionInfo {
        action: Action::SpeakerNotes,
        label: "Speaker notes window",
        keys: &[key(NONE, Key::N)],
        tooltip: "Show or hide the presenter window with this slide's note, while presenting",
        mode: Mode::Presenting,
    },
    ActionInfo {
        action: Action::SaveLiveCopy,
        label: "Save as new scenario (live copy)",
        keys: &[key(CMD_SHIFT, Key::S)],
        tooltip: "Write the slide as it is now next to its file, while presenting",
        mode: Mode::Presenting,
    },
    ActionInfo {
        action: Action::ExportSvg,
        label: "Charts as SVG",
        keys: &[],
        tooltip: "Export the charts as shown, as vector graphics",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::ExportPng,
        label: "Charts as PNG (1x)",
        keys: &[],
        tooltip: "Export the charts as shown, as an image",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::ExportPng2x,
        label: "Charts as PNG (2x, projector)",
        keys: &[],
        tooltip: "Export the charts as shown, as an image at twice the size",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::ExportCsv,
        label: "Series as CSV",
        keys: &[],
        tooltip: "Export every monthly series as a tidy CSV",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::ExportTableCsv,
        label: "Compare table as CSV",
        keys: &[],
        tooltip: "Export the side-by-side headline table as CSV",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::ExportTableMarkdown,
        label: "Compare table as Markdown",
        keys: &[],
        tooltip: "Export the side-by-side headline table as Markdown",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::CopyScenario,
        label: "Copy scenario as RON",
        keys: &[],
        tooltip: "Put the scenario file's text on the clipboard",
        mode: Mode::Explorer,
    },
    ActionInfo {
        action: Action::PasteScenario,
        label: "Paste a scenario copied as text",
        keys: &[key(CMD, Key::V)],
        tooltip: "Open a scenario from the clipboard, checked like a file",
        mode: Mode::Any,
    },
    ActionInfo {
        action: Action::Shortcuts,
        label: "Keyboard shortcuts",
        keys: &[key(NONE, Key::F1)],
        tooltip: "This list of shortcuts",
        mode: Mode::Any,
    },
    ActionInfo {
        action: Action::ModelDoc,
        label: "How the model works (MODEL.md)",
        keys: &[],
        tooltip: "The model's documentation, as built into the program",
        mode: Mode::Any,
    },
];

/// The row of an action.
pub fn info(action: Action) -> &'static ActionInfo {
    ACTIONS
        .iter()
        .find(|a| a.action == action)
        .unwrap_or(&ACTIONS[0])
}

/// An action's keys as shown (`Ctrl+Shift+Z or Ctrl+Y`); empty when it has none.
pub fn keys_text(ctx: &egui::Context, info: &ActionInfo) -> String {
    info.keys
        .iter()
        .map(|k| ctx.format_shortcut(k))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Whether the action can run now (a menu item or palette row is greyed out otherwise).
pub fn enabled(action: Action, state: &AppState) -> bool {
    let active = state.active();
    match action {
        Action::Revert => active.path.is_some() && !active.never_saved && active.dirty(),
        Action::PinBaseline => state.baseline().is_none(),
        Action::UnpinBaseline => state.baseline().is_some(),
        Action::Undo => active.can_undo(),
        Action::Redo => active.can_redo(),
        Action::UnpinAll => !state.compare.pins.is_empty(),
        Action::Present => !state.present.on,
        Action::LeavePresentation
        | Action::NextSlide
        | Action::PreviousSlide
        | Action::SpeakerNotes
        | Action::SaveLiveCopy => state.present.on,
        _ => true,
    }
}

/// What running the action asks of the app.
pub fn commands(action: Action, state: &AppState, ctx: &egui::Context) -> Vec<Command> {
    use crate::app::company::CompanyCommand;
    use crate::app::compare::CompareCommand;
    let view = |change: &dyn Fn(&mut crate::app::ViewState)| {
        let mut view = state.view.clone();
        change(&mut view);
        vec![Command::SetView(view)]
    };
    let export = |what| vec![super::compare::export(what)];
    match action {
        Action::CommandPalette => {
            toggle_palette(ctx);
            Vec::new()
        }
        Action::NewFromCurrent => vec![Command::NewFromCurrent],
        Action::Open => vec![Command::ShowOpenDialog],
        Action::AddFolder => vec![Command::ShowFolderDialog],
        Action::Save => vec![Command::Save],
        Action::SaveAs => vec![Command::ShowSaveAsDialog],
        Action::Revert => vec![Command::Revert],
        Action::PinBaseline => vec![Command::PinBaseline],
        Action::UnpinBaseline => vec![Command::UnpinBaseline],
        Action::Quit => vec![Command::Quit],
        Action::Undo => vec![Command::Undo],
        Action::Redo => vec![Command::Redo],
        Action::ResetLevers => LeverGroup::ALL.map(Command::ResetGroup).to_vec(),
        Action::DarkTheme => view(&|v| v.theme = ThemeChoice::Dark),
        Action::LightTheme => view(&|v| v.theme = ThemeChoice::Light),
        Action::LargeText => view(&|v| v.large_text = !v.large_text),
        Action::ObservedData => view(&|v| v.show_observed = !v.show_observed),
        Action::PolicyEvents => view(&|v| v.show_events = !v.show_events),
        Action::CompanyView => view(&|v| {
            v.show_company = true;
            v.show_sensitivity = false;
        }),
        Action::OpenProfile => vec![Command::Company(CompanyCommand::ShowOpenDialog)],
        Action::PinCurrent => vec![Command::Compare(CompareCommand::PinActive)],
        Action::DeltaView => vec![Command::Compare(CompareCommand::SetDelta(
            !state.compare.delta,
        ))],
        Action::CompareTable => vec![Command::Compare(CompareCommand::ShowTable(true))],
        Action::UnpinAll => vec![Command::Compare(CompareCommand::UnpinAll)],
        Action::Present => vec![Command::Present(PresentCommand::Enter)],
        Action::LeavePresentation => vec![Command::Present(PresentCommand::Leave)],
        Action::NextSlide => vec![Command::Present(PresentCommand::Step(1))],
        Action::PreviousSlide => vec![Command::Present(PresentCommand::Step(-1))],
        Action::SpeakerNotes => vec![Command::Present(PresentCommand::ToggleNotes)],
        Action::SaveLiveCopy => vec![Command::Present(PresentCommand::SaveLiveCopy)],
        Action::ExportSvg => export(ExportWhat::ChartsSvg),
        Action::ExportPng => export(ExportWhat::ChartsPng { scale: 1.0 }),
        Action::ExportPng2x => export(ExportWhat::ChartsPng { scale: 2.0 }),
        Action::ExportCsv => export(ExportWhat::SeriesCsv),
        Action::ExportTableCsv => export(ExportWhat::TableCsv),
        Action::ExportTableMarkdown => export(ExportWhat::TableMarkdown),
        Action::CopyScenario => {
            ctx.copy_text(crate::scenario::to_ron_string(&state.active().doc));
            Vec::new()
        }
        Action::PasteScenario => {
            // The clipboard is read by the window system: the paste arrives as an event.
            ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
            Vec::new()
        }
        Action::Shortcuts => vec![Command::ShowHelp(Some(HelpPage::Shortcuts))],
        Action::ModelDoc => vec![Command::ShowHelp(Some(HelpPage::Model))],
    }
}

/// A menu item for an action: its label, its first key and its tooltip from the table.
pub fn menu_item(ui: &mut Ui, state: &AppState, action: Action, out: &mut Vec<Command>) {
    let row = info(action);
    let mut button = egui::Button::new(row.label);
    if let Some(k) = row.keys.first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(k));
    }
    let response = named(
        ui.add_enabled(enabled(action, state), button)
            .on_hover_text(row.tooltip),
        row,
    );
    if response.clicked() {
        out.extend(commands(action, state, ui.ctx()));
        ui.close();
    }
}

/// Names an action's widget after its label alone, with its keys as the keyboard shortcut a
/// screen reader announces (a button's own name would run the two together).
fn named(response: egui::Response, row: &ActionInfo) -> egui::Response {
    let keys = keys_text(&response.ctx, row);
    response.ctx.accesskit_node_builder(response.id, |node| {
        node.set_label(row.label);
        if !keys.is_empty() {
            node.set_keyboard_shortcut(keys);
        }
    });
    response
}

/// A keyboard press is only the action's when nothing else wants it: while typing, Ctrl+Z
/// belongs to the text field, and a focused slider takes the arrow keys.
fn free_for(k: &KeyboardShortcut, action: Action, typing: bool, focused: bool) -> bool {
    let plain = k.modifiers.is_none()
        && !matches!(
            k.logical_key,
            Key::F1 | Key::F5 | Key::Escape | Key::PageUp | Key::PageDown
        );
    if plain {
        return !typing && !focused;
    }
    !(typing && matches!(action, Action::Undo | Action::Redo))
}

/// Turns this frame's key presses into commands, from the table (before any widget sees
/// them). Keys with more modifiers are tried first: Ctrl+Shift+S is not also Ctrl+S.
pub fn shortcuts(ctx: &egui::Context, state: &AppState, out: &mut Vec<Command>) {
    // A question on screen takes the keys: its own buttons and Escape answer it, and a
    // shortcut must not open a dialog or change a document behind it.
    if state.asking() {
        return;
    }
    let typing = ctx.egui_wants_keyboard_input();
    let focused = ctx.memory(|m| m.focused().is_some());
    let presenting = state.present.on;
    let mut bound: Vec<(&KeyboardShortcut, Action)> = ACTIONS
        .iter()
        .filter(|a| match a.mode {
            Mode::Any => true,
            Mode::Explorer => !presenting,
            Mode::Presenting => presenting,
        })
        // The paste arrives as an event of its own (below).
        .filter(|a| a.action != Action::PasteScenario)
        .flat_map(|a| a.keys.iter().map(move |k| (k, a.action)))
        .collect();
    bound.sort_by_key(|(k, _)| std::cmp::Reverse(modifier_count(k.modifiers)));
    let mut pressed = Vec::new();
    ctx.input_mut(|i| {
        for (k, action) in &bound {
            if free_for(k, *action, typing, focused) && i.consume_shortcut(k) {
                pressed.push(*action);
            }
        }
        if !typing {
            for event in &i.events {
                if let egui::Event::Paste(text) = event {
                    out.push(Command::PasteScenario(text.clone()));
                }
            }
        }
    });
    for action in pressed {
        out.extend(commands(action, state, ctx));
    }
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.ctrl) + u8::from(m.shift) + u8::from(m.command || m.mac_cmd)
}

/// Every key the window answers, for the F1 list: (keys, label, what they do), from the
/// table.
pub fn shortcut_list(ctx: &egui::Context) -> Vec<(String, &'static str, &'static str)> {
    ACTIONS
        .iter()
        // The list itself is the window's title.
        .filter(|a| !a.keys.is_empty() && a.action != Action::Shortcuts)
        .map(|a| (keys_text(ctx, a), a.label, a.tooltip))
        .collect()
}

// ---------------------------------------------------------------- the command palette

fn palette_id() -> egui::Id {
    egui::Id::unique("lodestone_command_palette")
}

/// The palette's state, kept in egui's memory (what is typed, which row is chosen).
#[derive(Clone, Debug, Default)]
struct PaletteState {
    query: String,
    selected: usize,
    just_opened: bool,
}

fn toggle_palette(ctx: &egui::Context) {
    ctx.data_mut(|d| {
        if d.get_temp::<PaletteState>(palette_id()).is_some() {
            d.remove::<PaletteState>(palette_id());
        } else {
            d.insert_temp(
                palette_id(),
                PaletteState {
                    just_opened: true,
                    ..PaletteState::default()
                },
            );
        }
    });
}

/// Whether the palette is open.
pub fn palette_open(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp::<PaletteState>(palette_id()).is_some())
}

/// The actions whose label or tooltip holds every word typed; those whose label starts
/// words with more of them first, then in table order.
pub fn matching(query: &str) -> Vec<&'static ActionInfo> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let mut found: Vec<(usize, &'static ActionInfo)> = ACTIONS
        .iter()
        .filter(|a| a.action != Action::CommandPalette)
        .filter_map(|a| {
            let text = format!("{} {}", a.label, a.tooltip).to_lowercase();
            if !words.iter().all(|w| text.contains(w.as_str())) {
                return None;
            }
            let label = a.label.to_lowercase();
            let in_label = words
                .iter()
                .filter(|w| label.split_whitespace().any(|l| l.starts_with(w.as_str())))
                .count();
            Some((in_label, a))
        })
        .collect();
    found.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    found.into_iter().map(|(_, a)| a).collect()
}

/// Draws the palette when open: a search box and every matching command with its keys;
/// Enter runs the chosen one, Up and Down choose, Esc closes.
pub fn palette_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let Some(mut palette) = ctx.data(|d| d.get_temp::<PaletteState>(palette_id())) else {
        return;
    };
    let mut run: Option<Action> = None;
    let mut close = false;
    let screen = ctx.content_rect();
    egui::Window::new("Command palette")
        .collapsible(false)
        // Grows and shrinks with the list as it is filtered.
        .auto_sized()
        .title_bar(false)
        .min_width((screen.width() * 0.5).clamp(360.0, 640.0))
        .max_width((screen.width() * 0.5).clamp(360.0, 640.0))
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .show(&ctx, |ui| {
            let edit = ui.add(
                egui::TextEdit::singleline(&mut palette.query)
                    .hint_text("Type a command…")
                    .desired_width(f32::INFINITY),
            );
            let edit = edit.accessible_name("Command");
            if palette.just_opened {
                edit.request_focus();
                palette.just_opened = false;
            }
            if edit.changed() {
                palette.selected = 0;
            }
            let found = matching(&palette.query);
            let (up, down, enter, escape) = ui.input_mut(|i| {
                (
                    i.consume_key(Modifiers::NONE, Key::ArrowUp),
                    i.consume_key(Modifiers::NONE, Key::ArrowDown),
                    i.key_pressed(Key::Enter),
                    i.consume_key(Modifiers::NONE, Key::Escape),
                )
            });
            if down && palette.selected + 1 < found.len() {
                palette.selected += 1;
            }
            if up {
                palette.selected = palette.selected.saturating_sub(1);
            }
            let moved = up || down;
            if escape {
                close = true;
            }
            if enter && let Some(row) = found.get(palette.selected) {
                run = Some(row.action);
            }
            ui.separator();
            if found.is_empty() {
                ui.weak("No command matches");
            }
            egui::ScrollArea::vertical()
                .max_height(screen.height() * 0.6)
                // A window that sizes itself to its content offers a scroll area little
                // height; ask for room for the list (a short list still shrinks to fit).
                .min_scrolled_height(screen.height() * 0.6)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for (n, row) in found.iter().enumerate() {
                        let can = enabled(row.action, state);
                        let keys = keys_text(&ctx, row);
                        let chosen = n == palette.selected;
                        let response = named(
                            ui.add_enabled(
                                can,
                                egui::Button::selectable(chosen, row.label).shortcut_text(keys),
                            )
                            .on_hover_text(row.tooltip),
                            row,
                        );
                        if chosen && moved {
                            response.scroll_to_me(None);
                        }
                        if response.clicked() {
                            run = Some(row.action);
                        }
                        ui.label(RichText::new(row.tooltip).small().weak());
                    }
                });
        });
    if let Some(action) = run {
        close = true;
        if enabled(action, state) {
            out.extend(commands(action, state, &ctx));
        }
    }
    ctx.data_mut(|d| {
        if close {
            d.remove::<PaletteState>(palette_id());
        } else {
            d.insert_temp(palette_id(), palette);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_row_and_no_key_is_bound_twice_in_a_mode() {
        let all = [Mode::Explorer, Mode::Presenting];
        for a in ACTIONS {
            assert_eq!(ACTIONS.iter().filter(|b| b.action == a.action).count(), 1);
            assert!(
                !a.label.is_empty() && !a.tooltip.is_empty(),
                "{:?}",
                a.action
            );
        }
        for mode in all {
            let keys: Vec<_> = ACTIONS
                .iter()
                .filter(|a| a.mode == Mode::Any || a.mode == mode)
                .flat_map(|a| a.keys.iter().map(move |k| (k, a.action)))
                .collect();
            for (i, (k, a)) in keys.iter().enumerate() {
                for (k2, b) in &keys[i + 1..] {
                    assert!(k != k2, "{a:?} and {b:?} share a key in {mode:?}");
                }
            }
        }
    }

    #[test]
    fn the_palette_filters_by_every_word() {
        let labels = |q: &str| matching(q).iter().map(|a| a.label).collect::<Vec<_>>();
        assert_eq!(labels("save as").first(), Some(&"Save As…"));
        assert!(labels("png").len() == 2);
        assert!(labels("").len() == ACTIONS.len() - 1);
        assert!(labels("zzz").is_empty());
    }
}
