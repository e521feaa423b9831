//! The Goals view, in place of the charts: the plan's targets (edited like levers, saved with
//! the file), goal seek (which levers to move, within which bounds, on the central run or in a
//! share of the futures; progress and Cancel while it runs; the answer's account and a button
//! that opens it beside the plan), and "when does this plan fail?" (the share of futures that
//! meet every target, the conditions that explain the failures, and a chart of the futures on
//! the inputs of the first condition). Drawing only: `crate::app::goal` holds the state.

use super::theme::Palette;
use crate::app::goal::{GoalCommand, VarySetting};
use crate::app::{AppState, Command};
use crate::model::robust::Robustness;
use crate::model::seek::Knob;
use crate::model::targets::{DependencyTarget, Futures, TargetCheck, TargetKind, check_all};
use crate::model::units::Share;
use crate::model::{Scenario, YearMonth};
use egui::{DragValue, ProgressBar, RichText, ScrollArea, Ui};
use egui_plot::{Line, MarkerShape, Plot, PlotPoints, Points};

/// Height of the robustness chart.
const CHART_HEIGHT: f32 = 220.0;

/// The targets checked on the active plan: run figures now, the chance of a shortfall once
/// the futures have run (from the robustness job, else the bands), the chance of a line
/// stoppage once the open company's futures have run.
pub fn active_checks(state: &AppState) -> Vec<TargetCheck> {
    let active = state.active();
    let chance = state
        .plan_robustness()
        .and_then(|r| {
            r.checks
                .iter()
                .find(|c| c.target.kind == TargetKind::ShortfallChance)
                .map(|c| c.value)
        })
        .or_else(|| state.bands().map(|d| d.value.bands.shortfall_probability));
    let stoppage = state.company_spread().map(|b| b.stoppage_probability);
    check_all(
        &active.doc.targets,
        &active.run.results,
        Futures {
            shortfall_chance: chance,
            stoppage_chance: stoppage,
        },
    )
}

/// Draws the Goals view.
pub fn goals_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    // One column: the central panel is about 600 points wide at 1280x720, too narrow for
    // two columns of grids.
    ScrollArea::vertical().show(ui, |ui| {
        targets_ui(ui, state, palette, commands);
        ui.separator();
        seek_ui(ui, state, palette, commands);
        ui.separator();
        robustness_ui(ui, state, palette);
    });
}

fn targets_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    ui.heading("Targets");
    ui.label(
        RichText::new("Saved with the scenario; the charts and the headline strip show them.")
            .small()
            .weak(),
    );
    let doc = &state.active().doc;
    let mut t = doc.targets.clone();
    let checks = active_checks(state);
    let status = |kind: TargetKind| {
        checks.iter().find(|c| c.target.kind == kind).map(|c| {
            let text = format!(
                "{} ({})",
                if c.met { "met" } else { "missed" },
                kind.format(c.value)
            );
            RichText::new(text)
                .small()
                .color(if c.met { palette.better } else { palette.worse })
        })
    };
    let h = &doc.scenario.horizon;
    egui::Grid::new("targets_grid")
        .num_columns(3)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            // Dependency at most a share from a month.
            let mut on = t.dependency.is_some();
            let default_from = YearMonth {
                year: 2030,
                month: 1,
            }
            .max(h.start)
            .min(h.end);
            if ui.checkbox(&mut on, "Dependency at most").changed() {
                t.dependency = on.then_some(DependencyTarget {
                    at_most: Share(0.5),
                    from: default_from,
                });
            }
            ui.horizontal(|ui| {
                if let Some(d) = t.dependency.as_mut() {
                    let mut pct = d.at_most.0 * 100.0;
                    if ui
                        .add(DragValue::new(&mut pct).range(0.0..=100.0).suffix(" %"))
                        .changed()
                    {
                        d.at_most = Share(pct / 100.0);
                    }
                    ui.label("from");
                    let mut year = d.from.year;
                    if ui
                        .add(DragValue::new(&mut year).range(h.start.year..=h.end.year))
                        .on_hover_text("First year the target applies (from January)")
                        .changed()
                    {
                        d.from = YearMonth { year, month: 1 }.max(h.start).min(h.end);
                    }
                }
            });
            status_cell(ui, status(TargetKind::Dependency));
            ui.end_row();

            money_or_count_row(
                ui,
                "Shortfall at most",
                &mut t.shortfall_months,
                (0.0, h.months() as f64, 0.0),
                " months",
            );
            status_cell(ui, status(TargetKind::ShortfallMonths));
            ui.end_row();
            money_or_count_row(
                ui,
                "Cost of the strategy at most",
                &mut t.strategy_cost,
                (0.0, 100_000.0, 500.0),
                " $B",
            );
            status_cell(ui, status(TargetKind::StrategyCost));
            ui.end_row();
            money_or_count_row(
                ui,
                "Diversification capex at most",
                &mut t.capex_budget,
                (0.0, 100_000.0, 60.0),
                " $B",
            );
            status_cell(ui, status(TargetKind::CapexBudget));
            ui.end_row();

            let mut chance = t.shortfall_chance.map(|s| s.0 * 100.0);
            money_or_count_row(
                ui,
                "Chance of a shortfall at most",
                &mut chance,
                (0.0, 100.0, 5.0),
                " %",
            );
            t.shortfall_chance = chance.map(|c| Share(c / 100.0));
            status_cell(ui, status(TargetKind::ShortfallChance));
            ui.end_row();

            let mut stoppage = t.stoppage_chance.map(|s| s.0 * 100.0);
            money_or_count_row(
                ui,
                "Chance of a line stoppage at most",
                &mut stoppage,
                (0.0, 100.0, 5.0),
                " %",
            );
            t.stoppage_chance = stoppage.map(|c| Share(c / 100.0));
            match (state.company.open.is_some(), t.stoppage_chance.is_some()) {
                (false, true) => status_cell(
                    ui,
                    Some(
                        RichText::new("needs a company profile (Company tab)")
                            .small()
                            .weak(),
                    ),
                ),
                _ => status_cell(ui, status(TargetKind::StoppageChance)),
            }
            ui.end_row();
        });
    if t != doc.targets {
        commands.push(Command::SetTargets(t));
    }
}

/// A checkbox and a value for an optional target `(min, max, value when switched on)`.
fn money_or_count_row(
    ui: &mut Ui,
    label: &str,
    value: &mut Option<f64>,
    (min, max, start): (f64, f64, f64),
    suffix: &str,
) {
    let mut on = value.is_some();
    if ui.checkbox(&mut on, label).changed() {
        *value = on.then_some(start);
    }
    match value.as_mut() {
        Some(v) => {
            ui.add(DragValue::new(v).range(min..=max).suffix(suffix));
        }
        None => {
            ui.label("");
        }
    }
}

fn status_cell(ui: &mut Ui, status: Option<RichText>) {
    match status {
        Some(text) => ui.label(text),
        None => ui.label(""),
    };
}

fn seek_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    ui.heading("Goal seek");
    ui.label(
        RichText::new(
            "The cheapest setting of the levers ticked below that meets every target \
             (cost of the strategy of the central run).",
        )
        .small()
        .weak(),
    );
    let scenario = &state.active().doc.scenario;
    let settings = state.goal.settings(scenario);
    let is_share = |v: &VarySetting| matches!(v.knob, Knob::CapexShare(_));
    let rows = |ui: &mut Ui, id: &str, shares: bool, commands: &mut Vec<Command>| {
        egui::Grid::new(id)
            .num_columns(4)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                for (i, setting) in settings.iter().enumerate() {
                    if is_share(setting) == shares {
                        vary_row(ui, i, setting, scenario, commands);
                    }
                }
            });
    };
    rows(ui, "seek_levers", false, commands);
    // The split of capex folds away so Seek stays in view on a small screen.
    let moved = settings.iter().filter(|v| is_share(v) && v.on).count();
    let all = settings.iter().filter(|v| is_share(v)).count();
    if all > 0 {
        egui::CollapsingHeader::new(format!("Capex split ({moved} of {all} shares moved)"))
            .id_salt("seek_capex_split")
            .show(ui, |ui| {
                ui.label(
                    RichText::new(
                        "Each share moved is set; the shares not moved take what is left, in \
                         the proportions they had.",
                    )
                    .small()
                    .weak(),
                );
                rows(ui, "seek_shares", true, commands);
            });
    }

    ui.horizontal(|ui| {
        let mut robust = state.goal.robust.is_some();
        if ui
            .checkbox(&mut robust, "Robust: every target in at least")
            .on_hover_text("Targets must hold in this share of the uncertain futures, not only on the central run (slower)")
            .changed()
        {
            commands.push(Command::Goal(GoalCommand::SetRobust(robust.then_some(0.8))));
        }
        let mut pct = state.goal.robust.unwrap_or(0.8) * 100.0;
        if ui
            .add_enabled(
                robust,
                DragValue::new(&mut pct).range(5.0..=100.0).suffix(" %"),
            )
            .changed()
        {
            commands.push(Command::Goal(GoalCommand::SetRobust(Some(pct / 100.0))));
        }
        ui.label("of the futures");
    });

    let busy = state.seeking();
    ui.horizontal(|ui| {
        let can_seek = !state.active().doc.targets.is_empty();
        if ui
            .add_enabled(!busy && can_seek, egui::Button::new("Seek"))
            .on_disabled_hover_text(if busy {
                "A seek is running"
            } else {
                "Set a target first"
            })
            .clicked()
        {
            commands.push(Command::Goal(GoalCommand::Seek));
        }
        if busy {
            if ui.button("Cancel").clicked() {
                commands.push(Command::Goal(GoalCommand::CancelSeek));
            }
            ui.add(
                ProgressBar::new(state.seek_progress() as f32)
                    .desired_width(160.0)
                    .show_percentage(),
            );
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    });
    if let Some(failure) = state.seek_failure() {
        ui.colored_label(palette.error, format!("The seek failed: {failure}"));
    }
    if let Some(done) = state.seek_answer() {
        let answer = &done.value;
        ui.add_space(4.0);
        let stale =
            done.key.scenario != *scenario || done.key.targets != state.active().doc.targets;
        if stale {
            ui.label(
                RichText::new("This answer is for the plan as it was when Seek was pressed.")
                    .small()
                    .color(palette.warning),
            );
        }
        egui::Frame::new()
            .fill(palette.card_fill)
            .corner_radius(6.0)
            .inner_margin(egui::Margin::symmetric(10, 6))
            .show(ui, |ui| {
                for (i, line) in answer.account().iter().enumerate() {
                    let text = RichText::new(line.trim_start());
                    let text = if i == 0 {
                        text.strong().color(if answer.feasible() {
                            palette.better
                        } else {
                            palette.worse
                        })
                    } else {
                        text
                    };
                    ui.label(text);
                }
                ui.label(
                    RichText::new(format!(
                        "{} settings tried in {:.2} s",
                        answer.evaluations,
                        done.compute_time.as_secs_f64()
                    ))
                    .small()
                    .weak(),
                );
            });
        if ui
            .button("Open the answer beside this plan")
            .on_hover_text(
                "Opens the answer as a new unsaved scenario and pins the current plan beside it",
            )
            .clicked()
        {
            commands.push(Command::Goal(GoalCommand::OpenAnswer));
        }
    }
}

/// One knob of the seek: ticked or not, its bounds, its unit and value now.
fn vary_row(
    ui: &mut Ui,
    index: usize,
    setting: &VarySetting,
    scenario: &Scenario,
    commands: &mut Vec<Command>,
) {
    let knob = &setting.knob;
    let mut s: VarySetting = setting.clone();
    ui.checkbox(&mut s.on, knob.label())
        .on_hover_text(knob.description());
    let now = knob.format(knob.get(scenario));
    let scale = if knob.percent() { 100.0 } else { 1.0 };
    let (mut lo, mut hi) = (s.min * scale, s.max * scale);
    let (from, to) = knob.range();
    let range = from * scale..=to * scale;
    let field = |v| {
        DragValue::new(v)
            .range(range.clone())
            .speed(0.1)
            .max_decimals(1)
    };
    ui.add_enabled(s.on, field(&mut lo))
        .on_hover_text("Lowest value tried");
    ui.add_enabled(s.on, field(&mut hi))
        .on_hover_text("Highest value tried");
    ui.label(
        RichText::new(format!("{} (now {now})", knob.unit()))
            .small()
            .weak(),
    );
    s.min = lo.min(hi) / scale;
    s.max = hi.max(lo) / scale;
    if s != *setting {
        commands.push(Command::Goal(GoalCommand::SetVary(index, s)));
    }
    ui.end_row();
}

fn robustness_ui(ui: &mut Ui, state: &AppState, palette: &Palette) {
    ui.heading("When does this plan fail?");
    let active = state.active();
    let Some(r) = state.plan_robustness() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!(
                "Running {} uncertain futures…",
                active.doc.scenario.uncertainty.paths
            ));
        });
        return;
    };
    if active.doc.targets.is_empty() {
        ui.label(
            RichText::new("No targets yet: a future fails when it has a month of shortfall.")
                .small()
                .weak(),
        );
    }
    let failures = r.failed.iter().filter(|f| **f).count();
    ui.label(
        RichText::new(format!(
            "Every target holds in {:.0} % of {} futures ({failures} fail).",
            r.share_met * 100.0,
            r.paths
        ))
        .strong(),
    );
    if r.boxes.is_empty() {
        ui.label(if failures == 0 {
            "No future fails."
        } else if failures == r.paths {
            "Every future fails: the plan misses its targets whatever the uncertain inputs do."
        } else {
            "No condition on the uncertain inputs explains the failures better than chance."
        });
    }
    for sentence in r.sentences() {
        ui.label(format!("• It {sentence}."));
    }
    ui.label(
        RichText::new(
            "Conditions found by peeling the input space towards the failures (PRIM); \
             density: share of those futures that fail; coverage: share of all failures.",
        )
        .small()
        .weak(),
    );
    // A chart of the futures says something only when some hold and some fail.
    if failures > 0 && failures < r.paths {
        failure_chart_ui(ui, r, palette);
    }
}

/// The futures on the two inputs of the first condition (or the first two inputs), failures
/// in the "worse" colour, the condition's box outlined.
fn failure_chart_ui(ui: &mut Ui, r: &Robustness, palette: &Palette) {
    let first = r.boxes.first();
    let mut axes: Vec<usize> = first
        .map(|b| b.conditions.iter().map(|c| c.input).collect())
        .unwrap_or_default();
    for i in 0..r.inputs.len() {
        if axes.len() >= 2 {
            break;
        }
        if !axes.contains(&i) {
            axes.push(i);
        }
    }
    let (Some(&xi), Some(&yi)) = (axes.first(), axes.get(1)) else {
        return;
    };
    let scale = |i: usize| if r.inputs[i].percent { 100.0 } else { 1.0 };
    let name = |i: usize| {
        let input = &r.inputs[i];
        if input.percent {
            format!("{} (%)", input.name)
        } else if input.unit.is_empty() {
            input.name.clone()
        } else {
            format!("{} ({})", input.name, input.unit)
        }
    };
    let (sx, sy) = (scale(xi), scale(yi));
    let split = |failed: bool| -> Vec<[f64; 2]> {
        r.values
            .iter()
            .zip(&r.failed)
            .filter(|(_, f)| **f == failed)
            .map(|(v, _)| [v[xi] * sx, v[yi] * sy])
            .collect()
    };
    let (bad, good) = (split(true), split(false));
    let outline = first.map(|b| {
        let bound = |i: usize, s: f64| {
            let c = b.conditions.iter().find(|c| c.input == i);
            let values = r.values.iter().map(|v| v[i] * s);
            let lo = values.clone().fold(f64::INFINITY, f64::min);
            let hi = values.fold(f64::NEG_INFINITY, f64::max);
            (
                c.and_then(|c| c.low).map_or(lo, |v| v * s),
                c.and_then(|c| c.high).map_or(hi, |v| v * s),
            )
        };
        let ((x0, x1), (y0, y1)) = (bound(xi, sx), bound(yi, sy));
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    });
    ui.label(RichText::new(format!("{} against {}", name(yi), name(xi))).small());
    Plot::new("failure_chart")
        .height(CHART_HEIGHT)
        .x_axis_label(name(xi))
        .y_axis_label(name(yi))
        .allow_scroll(false)
        .show(ui, |plot_ui| {
            plot_ui.points(
                Points::new("holds", PlotPoints::from(good))
                    .color(palette.better)
                    .shape(MarkerShape::Circle)
                    .radius(2.5),
            );
            plot_ui.points(
                Points::new("fails", PlotPoints::from(bad))
                    .color(palette.worse)
                    .shape(MarkerShape::Cross)
                    .radius(3.5),
            );
            if let Some(outline) = outline {
                plot_ui.line(
                    Line::new("condition", PlotPoints::from(outline))
                        .color(palette.threshold)
                        .width(1.5),
                );
            }
        });
}
