//! The company view, drawing only: the open profile's headline cards (our spend, cost per unit,
//! stock, stoppage) against the baseline, three charts over time (our spend, stock in months
//! of cover, the share of the line standing still) with the baseline and the pins as dashed
//! lines, and the profile editor. With no profile open it offers the shipped examples.

use super::charts::{time_steps, time_tick};
use super::theme::{self, Palette};
use crate::app::company::{CompanyCommand, OpenProfile};
use crate::app::{AppState, Command};
use crate::display::format;
use crate::display::names::TOTAL_LABEL;
use crate::model::YearMonth;
use crate::model::company::{CompanyResults, Contract, Need, Pricing, Product, Profile};
use egui::{Button, ComboBox, DragValue, Grid, Id, RichText, TextEdit, Ui};
use egui_plot::{GridInput, GridMark, Line, LineStyle, Plot, PlotPoints, uniform_grid_spacer};

/// Draws the company view into the remaining space.
pub fn company_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    let company = |c: CompanyCommand| Command::Company(c);
    problems_ui(ui, state, palette, commands);
    let Some(open) = &state.company.open else {
        no_profile_ui(ui, state, commands);
        return;
    };
    header_ui(ui, state, open, commands);
    // Computed at the apply point; missing only in the frame a profile opened.
    let Some(now) = state.company_results() else {
        return;
    };
    let base = state.company_reference().map(|r| &r.1);
    cards_ui(ui, state, open, now, base, palette);
    ui.add_space(4.0);
    charts_ui(ui, state, now, base, palette);
    editor_ui(ui, open, commands);
    if let Some(text) = &state.company.save_as_text {
        let mut text = text.clone();
        egui::Modal::new(Id::unique("profile_save_as")).show(ui.ctx(), |ui| {
            ui.heading("Save the company profile as");
            let edit = ui.add(TextEdit::singleline(&mut text).desired_width(380.0));
            if edit.changed() {
                commands.push(company(CompanyCommand::SetSavePath(text.clone())));
            }
            ui.horizontal(|ui| {
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Save").clicked() || enter) && !text.trim().is_empty() {
                    commands.push(company(CompanyCommand::SaveAs(text.trim().into())));
                }
                if ui.button("Cancel").clicked() {
                    commands.push(company(CompanyCommand::CancelSavePath));
                }
            });
        });
    }
}

fn problems_ui(ui: &mut Ui, state: &AppState, palette: &Palette, commands: &mut Vec<Command>) {
    if state.company.problems.is_empty() {
        return;
    }
    ui.group(|ui| {
        ui.label(
            RichText::new("The profile did not open")
                .color(palette.error)
                .strong(),
        );
        for d in state.company.problems.iter().take(8) {
            ui.label(RichText::new(d.to_string()).monospace().small());
        }
        if ui.button("Dismiss").clicked() {
            commands.push(Command::Company(CompanyCommand::DismissProblems));
        }
    });
}

/// A profile to start from when the user has none: one NdPr need at market terms.
fn starter_profile() -> Profile {
    Profile {
        name: "Our company".into(),
        product: Product {
            name: "unit".into(),
            units_per_year: 100_000.0,
            growth: 0.0,
        },
        materials: vec![Need {
            material: "NdPr".into(),
            tonnes_per_year: 100.0,
            safety_stock_months: 2.0,
            ..Need::default()
        }],
        ..Profile::default()
    }
}

fn no_profile_ui(ui: &mut Ui, state: &AppState, commands: &mut Vec<Command>) {
    ui.add_space(12.0);
    ui.heading("What it costs us");
    ui.label(
        "A company profile turns the market's curves into one buyer's budget and risk: \
         your need per material, your contracts and offtakes, your stock and your product. \
         It is a file of its own, kept private and applied to any scenario.",
    );
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        if ui.button("Open profile…").clicked() {
            commands.push(Command::Company(CompanyCommand::ShowOpenDialog));
        }
        if ui.button("New profile").clicked() {
            commands.push(Command::Company(CompanyCommand::New(Box::new(
                starter_profile(),
            ))));
        }
    });
    if !state.profiles.is_empty() {
        ui.add_space(8.0);
        ui.label("Or open an example:");
        ui.horizontal_wrapped(|ui| {
            for path in &state.profiles {
                let name = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if ui.button(name).clicked() {
                    commands.push(Command::Company(CompanyCommand::Open(path.clone())));
                }
            }
        });
    }
}

fn header_ui(ui: &mut Ui, state: &AppState, open: &OpenProfile, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        let dirty = if open.dirty() { " •" } else { "" };
        ui.label(RichText::new(format!("{}{dirty}", open.display_name())).strong())
            .on_hover_text(match &open.path {
                Some(p) => p.display().to_string(),
                None => "not saved yet".to_string(),
            });
        let against = match state.company_reference() {
            Some((name, _)) => format!("on “{}”, against {name}", state.active().display_name()),
            None => format!(
                "on “{}” (pin the profile or a baseline scenario to compare)",
                state.active().display_name()
            ),
        };
        ui.label(RichText::new(against).weak());
        ui.separator();
        let push = |c| Command::Company(c);
        let editing_id = Id::unique("profile_editor_open");
        let mut editing = ui.data(|d| d.get_temp::<bool>(editing_id).unwrap_or(false));
        if ui.selectable_label(editing, "Edit").clicked() {
            editing = !editing;
            ui.data_mut(|d| d.insert_temp(editing_id, editing));
        }
        if ui.button("Save").clicked() {
            commands.push(push(CompanyCommand::Save));
        }
        if ui.button("Save As…").clicked() {
            commands.push(push(CompanyCommand::ShowSaveAsDialog));
        }
        if ui.button("Open…").clicked() {
            commands.push(push(CompanyCommand::ShowOpenDialog));
        }
        if state.company.pinned.is_some() {
            if ui
                .button("Unpin profile")
                .on_hover_text("Stop comparing with the pinned copy")
                .clicked()
            {
                commands.push(push(CompanyCommand::UnpinProfile));
            }
        } else if ui
            .button("Pin profile")
            .on_hover_text("Keep this profile as the comparison, then edit a strategy (more stock, a longer contract, an offtake) and see the difference")
            .clicked()
        {
            commands.push(push(CompanyCommand::PinProfile));
        }
        if ui.button("Close").clicked() {
            commands.push(push(CompanyCommand::Close));
        }
    });
}

/// A change against the baseline, as "+1.2 $M vs baseline" (empty without a baseline).
fn versus(now: f64, base: Option<f64>, text: impl Fn(f64) -> String) -> String {
    match base {
        Some(b) if (now - b).abs() > 1e-9 * now.abs().max(1.0) => {
            let d = now - b;
            format!("{}{} vs reference", if d > 0.0 { "+" } else { "" }, text(d))
        }
        Some(_) => "same as reference".to_string(),
        None => String::new(),
    }
}

fn cards_ui(
    ui: &mut Ui,
    state: &AppState,
    open: &OpenProfile,
    now: &CompanyResults,
    base: Option<&CompanyResults>,
    palette: &Palette,
) {
    let (h, b) = (&now.headline, base.map(|b| &b.headline));
    let money = |usd: f64| format!("{} $M", format::value(usd / 1e6));
    let unit = &open.profile.product.name;
    let spread = state.company_spread();
    let spend_detail = match spread {
        Some(b) => format!(
            "{}-{} per year (P10-P90)",
            money(b.annual_spend_percentile(10.0)),
            money(b.annual_spend_percentile(90.0))
        ),
        None => format!("{} over the horizon", money(h.total_spend_usd)),
    };
    let stoppage_detail = match spread {
        Some(b) => format!(
            "{:.0} % chance of one or more, {} paths",
            b.stoppage_probability * 100.0,
            format::grouped(b.paths as f64, 0)
        ),
        None => format!("costing {}", money(h.stoppage_cost_usd)),
    };
    let cover = now
        .materials
        .iter()
        .filter_map(|m| m.stock_months.last().copied())
        .fold(f64::INFINITY, f64::min);
    let cards = [
        (
            "Our spend, first year".to_string(),
            money(h.first_year_spend_usd),
            spend_detail,
            versus(
                h.first_year_spend_usd,
                b.map(|b| b.first_year_spend_usd),
                money,
            ),
            "Contracts, market purchases, stock bought and its carrying cost in the first twelve months",
        ),
        (
            format!("Peak material cost per {unit}"),
            format!("${}", format::value(h.peak_cost_per_unit_usd)),
            format!(
                "{} units/yr at the start",
                format::grouped(open.profile.product.units_per_year, 0)
            ),
            versus(
                h.peak_cost_per_unit_usd,
                b.map(|b| b.peak_cost_per_unit_usd),
                |d| format!("${}", format::value(d)),
            ),
            "Highest spend per unit of product made in any month",
        ),
        (
            "Working capital in stock".to_string(),
            money(h.peak_working_capital_usd),
            if cover.is_finite() {
                format!("peak; {} months of cover at the end", format::value(cover))
            } else {
                "peak".to_string()
            },
            versus(
                h.peak_working_capital_usd,
                b.map(|b| b.peak_working_capital_usd),
                money,
            ),
            "Highest value of the stock held; the premium paid for stock bought above China's price is in the tooltip of the spend chart",
        ),
        (
            "Line stoppage".to_string(),
            format!("{} months", format::grouped(h.months_of_stoppage, 0)),
            stoppage_detail,
            versus(h.months_of_stoppage, b.map(|b| b.months_of_stoppage), |d| {
                format!("{} months", format::signed(d, 0))
            }),
            "Months in which more than 1 % of some material's need is unmet after drawing stock; the chance comes from the scenario's Monte Carlo paths",
        ),
    ];
    let spacing = ui.spacing().item_spacing.x;
    let width = ((ui.available_width() - spacing * 3.0) / 4.0).max(120.0);
    let large = state.view.large_text;
    ui.horizontal(|ui| {
        for (title, value, detail, change, tip) in cards {
            egui::Frame::new()
                .fill(palette.card_fill)
                .corner_radius(6.0)
                .inner_margin(egui::Margin::symmetric(10, 6))
                .show(ui, |ui| {
                    ui.set_width(width - 20.0);
                    ui.vertical(|ui| {
                        ui.spacing_mut().item_spacing.y = 1.0;
                        ui.label(RichText::new(title).small().strong());
                        ui.label(
                            RichText::new(value)
                                .font(theme::headline_font(large))
                                .strong(),
                        );
                        ui.label(RichText::new(detail).small().weak());
                        ui.label(RichText::new(change).small());
                    });
                })
                .response
                .on_hover_text(tip);
        }
    });
}

/// A chart's lines: per material (id, values), and the total when the chart has one.
type ChartLines = (Vec<(String, Vec<f64>)>, Option<Vec<f64>>);

/// Which company series a chart shows.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum CompanyChart {
    Spend,
    StockMonths,
    Stoppage,
}

impl CompanyChart {
    fn title(self) -> &'static str {
        match self {
            CompanyChart::Spend => "Our spend ($M/yr)",
            CompanyChart::StockMonths => "Stock (months of cover)",
            CompanyChart::Stoppage => "Line standing still (% of need unmet)",
        }
    }

    /// Per-material lines (id, values) and the total line, in the chart's unit.
    fn lines(self, c: &CompanyResults) -> ChartLines {
        match self {
            CompanyChart::Spend => (
                c.materials
                    .iter()
                    .map(|m| (m.id.clone(), m.spend.iter().map(|v| v / 1e6).collect()))
                    .collect(),
                Some(c.spend.iter().map(|v| v / 1e6).collect()),
            ),
            CompanyChart::StockMonths => (
                c.materials
                    .iter()
                    .map(|m| (m.id.clone(), m.stock_months.clone()))
                    .collect(),
                None,
            ),
            CompanyChart::Stoppage => (
                c.materials
                    .iter()
                    .map(|m| {
                        (
                            m.id.clone(),
                            m.unmet_share.iter().map(|v| v * 100.0).collect(),
                        )
                    })
                    .collect(),
                Some(c.stoppage.iter().map(|v| v * 100.0).collect()),
            ),
        }
    }
}

/// About four labelled marks on 1-2-5 steps, whatever the range (egui_plot's default steps
/// by tens, which leaves a 0-60 axis with a single label); `display::axis` decides them, as
/// for the exported charts.
fn nice_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let (ticks, step) = crate::display::axis::linear_ticks(lo, hi, 4.0);
    ticks
        .into_iter()
        .map(|value| GridMark {
            value,
            step_size: step,
        })
        .collect()
}

fn points(dates: &[YearMonth], values: &[f64]) -> PlotPoints<'static> {
    PlotPoints::new(
        dates
            .iter()
            .zip(values)
            .map(|(d, v)| [d.decimal_year(), *v])
            .collect(),
    )
}

fn charts_ui(
    ui: &mut Ui,
    state: &AppState,
    now: &CompanyResults,
    base: Option<&CompanyResults>,
    palette: &Palette,
) {
    let pins = state.company_pins();
    let premium = format!(
        "Premium paid for stock bought above China's price: {} $M over the horizon",
        format::value(now.headline.stock_premium_usd / 1e6)
    );
    let scenario_ids: Vec<&str> = state
        .active()
        .doc
        .scenario
        .materials
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    let title_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let height = ((ui.available_height() - 3.0 * (title_height + 6.0)) / 3.0).max(80.0);
    let time_axis = Id::unique("company_time_axis");
    let charts = [
        CompanyChart::Spend,
        CompanyChart::StockMonths,
        CompanyChart::Stoppage,
    ];
    for (slot, chart) in charts.into_iter().enumerate() {
        // The delta view (Compare > Delta view) shows ours minus the reference, as the
        // market charts show current minus baseline.
        let delta = state.compare.delta && base.is_some();
        let title = if delta {
            format!("{}: ours minus the reference", chart.title())
        } else {
            chart.title().to_string()
        };
        let title = ui.label(RichText::new(title).strong());
        if chart == CompanyChart::Spend {
            title.on_hover_text(&premium);
        }
        let (mut lines, mut total) = chart.lines(now);
        let mut ghost = base.map(|b| chart.lines(b));
        if delta && let Some((ghost_lines, ghost_total)) = ghost.take() {
            let minus = |a: &mut Vec<f64>, b: &[f64]| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x -= y;
                }
            };
            for (id, values) in &mut lines {
                if let Some((_, g)) = ghost_lines.iter().find(|(gid, _)| gid == id) {
                    minus(values, g);
                }
            }
            if let (Some(t), Some(g)) = (&mut total, &ghost_total) {
                minus(t, g);
            }
        }
        // Headroom above the highest line keeps the legend (top left) off the data.
        let top = lines
            .iter()
            .map(|(_, v)| v)
            .chain(total.iter())
            .flat_map(|v| v.iter().copied())
            .fold(0.0, f64::max);
        let floor_top = if chart == CompanyChart::Stoppage {
            10.0
        } else {
            1.0
        };
        Plot::new(("company_chart", chart))
            .height(height)
            .link_axis(time_axis, [true, false])
            .link_cursor(time_axis, [true, false])
            .show_axes([slot == 2, true])
            .x_axis_formatter(time_tick)
            .x_grid_spacer(uniform_grid_spacer(time_steps))
            .y_axis_formatter(|mark, _| format::tick(mark.value))
            .y_grid_spacer(nice_marks)
            .y_axis_min_width(44.0)
            .allow_scroll(false)
            .include_y(0.0)
            .include_y(if delta { 0.0 } else { top.max(floor_top) * 1.5 })
            .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftTop))
            .show(ui, |plot_ui| {
                let colour = |id: &str| {
                    let i = scenario_ids.iter().position(|s| *s == id).unwrap_or(0);
                    palette.material(i)
                };
                if let Some((ghost_lines, ghost_total)) = &ghost {
                    for (id, values) in ghost_lines {
                        plot_ui.line(
                            Line::new("", points(&now.dates, values))
                                .color(palette.ghost(colour(id)))
                                .style(LineStyle::dashed_loose())
                                .width(theme::GHOST_WIDTH)
                                .allow_hover(false),
                        );
                    }
                    if let Some(t) = ghost_total {
                        plot_ui.line(
                            Line::new("Reference, all materials", points(&now.dates, t))
                                .color(palette.ghost(palette.total))
                                .style(LineStyle::dashed_loose())
                                .width(theme::GHOST_WIDTH + 0.6),
                        );
                    }
                }
                for (slot, name, pinned) in pins.iter().filter(|_| !delta) {
                    if let (_, Some(t)) = chart.lines(pinned) {
                        plot_ui.line(
                            Line::new(name.as_str(), points(&pinned.dates, &t))
                                .color(palette.pin(*slot))
                                .style(LineStyle::dashed_dense())
                                .width(theme::GHOST_WIDTH + 0.4),
                        );
                    }
                }
                for (id, values) in &lines {
                    plot_ui.line(
                        Line::new(id.as_str(), points(&now.dates, values))
                            .color(colour(id))
                            .width(theme::MATERIAL_WIDTH),
                    );
                }
                if let Some(t) = &total {
                    plot_ui.line(
                        Line::new(TOTAL_LABEL, points(&now.dates, t))
                            .color(palette.total)
                            .width(theme::TOTAL_WIDTH),
                    );
                }
            });
    }
}

/// The profile editor, a window beside the charts; every change is one `Edit` command.
fn editor_ui(ui: &mut Ui, open: &OpenProfile, commands: &mut Vec<Command>) {
    let editing_id = Id::unique("profile_editor_open");
    let mut editing = ui.data(|d| d.get_temp::<bool>(editing_id).unwrap_or(false));
    if !editing {
        return;
    }
    let mut p = open.profile.clone();
    egui::Window::new("Company profile")
        .open(&mut editing)
        .default_width(520.0)
        .vscroll(true)
        .show(ui.ctx(), |ui| {
            Grid::new("profile_general").num_columns(2).show(ui, |ui| {
                ui.label("Name");
                ui.text_edit_singleline(&mut p.name);
                ui.end_row();
                ui.label("Product");
                ui.text_edit_singleline(&mut p.product.name);
                ui.end_row();
                ui.label("Units per year");
                ui.add(
                    DragValue::new(&mut p.product.units_per_year)
                        .range(0.0..=1e9)
                        .speed(100.0),
                );
                ui.end_row();
                ui.label("Output growth");
                percent(ui, &mut p.product.growth, -50.0..=100.0);
                ui.end_row();
                ui.label("Carrying cost of stock");
                percent(ui, &mut p.carrying_cost, 0.0..=100.0);
                ui.end_row();
                ui.label("A month of stopped line, $M");
                let mut m = p.stoppage_cost_usd_per_month / 1e6;
                if ui
                    .add(DragValue::new(&mut m).range(0.0..=1e6).speed(1.0))
                    .changed()
                {
                    p.stoppage_cost_usd_per_month = m * 1e6;
                }
                ui.end_row();
            });
            let mut remove_need = None;
            for (i, need) in p.materials.iter_mut().enumerate() {
                ui.separator();
                need_ui(ui, i, need, &mut remove_need);
            }
            if let Some(i) = remove_need {
                p.materials.remove(i);
            }
            ui.separator();
            ui.horizontal(|ui| {
                for id in ["NdPr", "Dy", "Tb", "Other"] {
                    if !p.materials.iter().any(|n| n.material == id)
                        && ui.button(format!("Add {id}")).clicked()
                    {
                        p.materials.push(Need {
                            material: id.into(),
                            tonnes_per_year: 10.0,
                            ..Need::default()
                        });
                    }
                }
            });
        });
    if !editing {
        ui.data_mut(|d| d.insert_temp(editing_id, false));
    }
    if p != open.profile {
        commands.push(Command::Company(CompanyCommand::Edit(Box::new(p))));
    }
}

fn percent(ui: &mut Ui, share: &mut f64, range: std::ops::RangeInclusive<f64>) {
    let mut v = *share * 100.0;
    if ui
        .add(DragValue::new(&mut v).range(range).speed(0.5).suffix(" %"))
        .changed()
    {
        *share = v / 100.0;
    }
}

/// A number from zero to `max`, dragged at `speed` per point.
fn drag(ui: &mut Ui, value: &mut f64, max: f64, speed: f64) {
    ui.add(DragValue::new(value).range(0.0..=max).speed(speed));
}

fn need_ui(ui: &mut Ui, i: usize, need: &mut Need, remove: &mut Option<usize>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&need.material).strong());
        if ui.small_button("Remove").clicked() {
            *remove = Some(i);
        }
    });
    Grid::new(("need", i)).num_columns(4).show(ui, |ui| {
        ui.label("Need, t/yr");
        drag(ui, &mut need.tonnes_per_year, 1e6, 1.0);
        ui.label("or kg per unit");
        drag(ui, &mut need.kg_per_unit, 1e4, 0.01);
        ui.end_row();
        ui.label("Safety stock, months");
        drag(ui, &mut need.safety_stock_months, 60.0, 0.1);
        ui.label("Strategic stock, months");
        drag(ui, &mut need.strategic_stock_months, 60.0, 0.1);
        ui.end_row();
    });
    let mut remove_contract = None;
    for (j, c) in need.contracts.iter_mut().enumerate() {
        contract_ui(ui, (i, j), c, &mut remove_contract);
    }
    if let Some(j) = remove_contract {
        need.contracts.remove(j);
    }
    let covered: f64 = need.contracts.iter().map(|c| c.share).sum();
    if covered < 1.0 && ui.small_button("Add contract").clicked() {
        need.contracts.push(Contract {
            name: format!("Contract {}", need.contracts.len() + 1),
            share: (1.0 - covered).min(0.5),
            ..Contract::default()
        });
    }
}

fn contract_ui(ui: &mut Ui, at: (usize, usize), c: &mut Contract, remove: &mut Option<usize>) {
    ui.horizontal_wrapped(|ui| {
        ui.add(TextEdit::singleline(&mut c.name).desired_width(140.0));
        percent(ui, &mut c.share, 0.0..=100.0);
        let kind = match c.pricing {
            Pricing::Fixed(_) => 0,
            Pricing::ChinaIndexed(_) => 1,
            Pricing::SpotIndexed(_) => 2,
        };
        let mut chosen = kind;
        ComboBox::from_id_salt(("pricing", at.0, at.1))
            .selected_text(["fixed $/kg", "x China price", "x spot"][kind])
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, 0, "fixed $/kg");
                ui.selectable_value(&mut chosen, 1, "x China price");
                ui.selectable_value(&mut chosen, 2, "x spot");
            });
        let mut value = match c.pricing {
            Pricing::Fixed(v) | Pricing::ChinaIndexed(v) | Pricing::SpotIndexed(v) => v,
        };
        if chosen != kind {
            value = if chosen == 0 { 80.0 } else { 1.0 };
        }
        let speed = if chosen == 0 { 1.0 } else { 0.01 };
        ui.add(DragValue::new(&mut value).range(0.0..=1e5).speed(speed));
        c.pricing = match chosen {
            0 => Pricing::Fixed(value),
            1 => Pricing::ChinaIndexed(value),
            _ => Pricing::SpotIndexed(value),
        };
        bound_ui(ui, "floor", &mut c.floor_usd_per_kg);
        bound_ui(ui, "cap", &mut c.cap_usd_per_kg);
        ui.checkbox(&mut c.non_china, "non-China").on_hover_text(
            "An offtake from outside China: delivered in full when China's exports are cut",
        );
        let mut ends = c.ends.map(|e| e.to_string()).unwrap_or_default();
        let edit = ui.add(
            TextEdit::singleline(&mut ends)
                .hint_text("ends YYYY-MM")
                .desired_width(90.0),
        );
        if edit.changed() {
            if ends.trim().is_empty() {
                c.ends = None;
            } else if let Ok(m) = ends.trim().parse::<YearMonth>() {
                c.ends = Some(m);
            }
        }
        if ui
            .add(Button::new("✕").small())
            .on_hover_text("Remove this contract")
            .clicked()
        {
            *remove = Some(at.1);
        }
    });
}

fn bound_ui(ui: &mut Ui, label: &str, bound: &mut Option<f64>) {
    let mut on = bound.is_some();
    if ui.checkbox(&mut on, label).changed() {
        *bound = on.then_some(bound.unwrap_or(100.0));
    }
    if let Some(v) = bound {
        ui.add(
            DragValue::new(v)
                .range(0.0..=1e5)
                .speed(1.0)
                .suffix(" $/kg"),
        );
    }
}
