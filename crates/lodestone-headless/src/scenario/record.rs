//! The public record a scenario is checked against: observed series drawn on the charts as
//! points, and shape checks that a backtest evaluates on a run. Plain data with serde
//! derives (a scenario file may carry a `record` section) and pure evaluation: no IO.

use crate::model::{Results, SeriesId, YearMonth};
use crate::scenario::chart::ChartKind;
use serde::{Deserialize, Serialize};

/// What a scenario file's optional `record` section holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Record {
    /// Observed figures, drawn on the chart whose unit they are in. Series read from
    /// `data_files` are kept here too, marked, and never written back into the scenario.
    #[serde(serialize_with = "written_series")]
    pub observed: Vec<ObservedSeries>,
    /// Shape criteria a backtest checks the run against.
    pub checks: Vec<Check>,
    /// CSV files of the user's own observed data (`date,material,series,value`), relative
    /// to the scenario file; read when the scenario is loaded from a file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_files: Vec<String>,
}

/// The observed series a save writes: those written in the file, not those read from data
/// files.
fn written_series<S: serde::Serializer>(
    observed: &[ObservedSeries],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(observed.iter().filter(|s| s.from_file.is_none()))
}

impl Record {
    /// True when there is neither an observed series, a check nor a data file.
    pub fn is_empty(&self) -> bool {
        self.observed.iter().all(|s| s.from_file.is_some())
            && self.checks.is_empty()
            && self.data_files.is_empty()
    }
}

/// One observed series: dated figures of the same kind from the same source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ObservedSeries {
    /// Legend name.
    pub name: String,
    /// The chart whose unit the values are in (as the chart shows it: $/kg, t/month, %).
    pub chart: ChartKind,
    /// What was measured and where it comes from, shown in the hover text.
    pub source: String,
    /// The dated figures.
    pub points: Vec<ObservedPoint>,
    /// The data file the series was read from (`None`: written in the scenario itself).
    #[serde(skip)]
    pub from_file: Option<String>,
}

impl Default for ObservedSeries {
    fn default() -> Self {
        Self {
            name: String::new(),
            chart: ChartKind::Cost,
            source: String::new(),
            points: Vec::new(),
            from_file: None,
        }
    }
}

/// One figure: a value, or a range when the source gives one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ObservedPoint {
    /// Month the figure is for.
    pub date: YearMonth,
    /// Lowest value given, in the chart's shown unit.
    pub low: f64,
    /// Highest value given, in the chart's shown unit (equal to `low` for a single value).
    pub high: f64,
    /// Extra context for this figure (empty when the series' source says it all).
    pub note: String,
}

impl Default for ObservedPoint {
    fn default() -> Self {
        Self {
            date: YearMonth {
                year: 2025,
                month: 1,
            },
            low: 0.0,
            high: 0.0,
            note: String::new(),
        }
    }
}

/// Which run series a check reads: a material's (by id) or the aggregate (`"total"`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeriesRef {
    /// A material id, or "total" for the aggregate.
    pub material: String,
    /// A series key as `lodestone run --csv` writes it (`market_price`, `china_exports`, ...).
    pub series: String,
}

impl Default for SeriesRef {
    fn default() -> Self {
        Self {
            material: "total".into(),
            series: "cost".into(),
        }
    }
}

/// A shape criterion of an episode. Dates are months; ranges are inclusive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Check {
    /// The peak of `of` over `from..=to` is `min..=max` times its value at `base`, and falls
    /// in `peak_from..=peak_to`.
    Peak {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// The series whose peak is measured.
        of: SeriesRef,
        /// Month whose value the peak is compared with.
        base: YearMonth,
        /// First month searched for the peak.
        from: YearMonth,
        /// Last month searched for the peak.
        to: YearMonth,
        /// Lowest ratio of peak to base value allowed.
        min: f64,
        /// Highest ratio of peak to base value allowed.
        max: f64,
        /// Earliest month the peak may fall in.
        peak_from: YearMonth,
        /// Latest month the peak may fall in.
        peak_to: YearMonth,
    },
    /// The value of `of` at `at` is at most `max` times its peak over `from..=at`.
    ShareOfPeak {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// The series measured.
        of: SeriesRef,
        /// First month searched for the peak.
        from: YearMonth,
        /// Month whose value is compared with the peak (also the last month searched).
        at: YearMonth,
        /// Highest share of the peak allowed (0.4 = 40 %).
        max: f64,
    },
    /// The value of `of` at `at` is `min..=max` times its value at `base`.
    RatioAt {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// The series measured.
        of: SeriesRef,
        /// Month whose value is the denominator.
        base: YearMonth,
        /// Month whose value is the numerator.
        at: YearMonth,
        /// Lowest ratio allowed.
        min: f64,
        /// Highest ratio allowed.
        max: f64,
    },
    /// The highest ratio `numerator / denominator` over `from..=to` is `min..=max`.
    MaxRatio {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// The series divided.
        numerator: SeriesRef,
        /// The series divided by.
        denominator: SeriesRef,
        /// First month searched.
        from: YearMonth,
        /// Last month searched.
        to: YearMonth,
        /// Lowest allowed value of the highest ratio.
        min: f64,
        /// Highest allowed value of the highest ratio.
        max: f64,
    },
    /// In every calendar year `from..=to`, China's legal exports (all materials) stay below
    /// the export cap: the quota does not bind.
    BelowCap {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// First calendar year checked.
        from: i32,
        /// Last calendar year checked.
        to: i32,
    },
    /// The path of `of` as multiples of its value at `base`: at every dated point of the
    /// record the model lies within the record's range widened by `allow`.
    Path {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// The series measured.
        of: SeriesRef,
        /// Month whose value is 1 (the record's points are multiples of it); unused when
        /// `per` is given.
        #[serde(default)]
        base: Option<YearMonth>,
        /// A series `of` is divided by month by month (the spot over China's price, say).
        #[serde(default)]
        per: Option<SeriesRef>,
        /// The record's points, as multiples of the base month's value (or of `per`).
        points: Vec<RecordRange>,
        /// How far beyond the record's range the model may lie.
        allow: Allowance,
    },
    /// Per calendar year, `numerator` summed over the year over `denominator` summed over
    /// the year (exports against the quota, say) lies within the record's range widened by
    /// `allow`.
    YearlyShare {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// The series summed as the share's numerator.
        numerator: SeriesRef,
        /// The series summed as its denominator.
        denominator: SeriesRef,
        /// The record's shares, one per year (`date` is any month of the year).
        points: Vec<RecordRange>,
        /// How far beyond the record's range the model may lie.
        allow: Allowance,
    },
    /// No run of months with shortfall above the threshold lasts longer than `max_months`.
    LongestShortfall {
        /// Name of the check in the backtest table.
        label: String,
        /// What the record says, as the file puts it.
        record: String,
        /// Longest run of shortfall allowed, months.
        max_months: f64,
    },
}

/// One dated figure of the record as a range (`low` = `high` for a single figure).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordRange {
    /// Month the figure is for (for a yearly share, any month of the year).
    pub date: YearMonth,
    /// Lowest figure the sources give.
    pub low: f64,
    /// Highest figure the sources give.
    pub high: f64,
}

impl Default for RecordRange {
    fn default() -> Self {
        Self {
            date: YearMonth {
                year: 2025,
                month: 1,
            },
            low: 0.0,
            high: 0.0,
        }
    }
}

/// How far beyond the record's range a model figure may lie, written from the spread of the
/// sources before the model is tuned.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Allowance {
    /// Within `low / f` to `high x f` (price multiples).
    Factor(f64),
    /// Within `low - p` to `high + p`, `p` a share (0.15 = 15 points).
    Points(f64),
}

impl Allowance {
    fn widen(self, low: f64, high: f64) -> (f64, f64) {
        match self {
            Allowance::Factor(f) => {
                let f = f.max(1.0);
                (low / f, high * f)
            }
            Allowance::Points(p) => (low - p.max(0.0), high + p.max(0.0)),
        }
    }

    fn describe(self) -> String {
        match self {
            Allowance::Factor(f) => format!("record range widened by a factor of {f}"),
            Allowance::Points(p) => {
                format!("record range widened by {:.0} points", p * 100.0)
            }
        }
    }
}

/// The outcome of one check on one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Name of the check, as in the file.
    pub label: String,
    /// What the record says, as the file puts it.
    pub record: String,
    /// What the model gives, in words and numbers.
    pub model: String,
    /// What passes.
    pub allowed: String,
    /// Whether the model's figure is within what passes.
    pub passed: bool,
}

/// Exports below this share of the cap count as "below": a binding cap ships exactly the cap.
const BELOW_CAP: f64 = 0.995;

impl Check {
    /// Name of the check, shown in the backtest table.
    pub fn label(&self) -> &str {
        match self {
            Check::Peak { label, .. }
            | Check::ShareOfPeak { label, .. }
            | Check::RatioAt { label, .. }
            | Check::MaxRatio { label, .. }
            | Check::BelowCap { label, .. }
            | Check::Path { label, .. }
            | Check::YearlyShare { label, .. }
            | Check::LongestShortfall { label, .. } => label,
        }
    }

    fn record(&self) -> &str {
        match self {
            Check::Peak { record, .. }
            | Check::ShareOfPeak { record, .. }
            | Check::RatioAt { record, .. }
            | Check::MaxRatio { record, .. }
            | Check::BelowCap { record, .. }
            | Check::Path { record, .. }
            | Check::YearlyShare { record, .. }
            | Check::LongestShortfall { record, .. } => record,
        }
    }

    /// Evaluates the check on a run. A series or month the run does not have fails the
    /// check with a message saying so.
    pub fn evaluate(&self, run: &Results) -> Outcome {
        let (model, allowed, passed) = match self.measure(run) {
            Ok(m) => m,
            Err(why) => (why.to_string(), String::new(), false),
        };
        Outcome {
            label: self.label().to_string(),
            record: self.record().to_string(),
            model,
            allowed,
            passed,
        }
    }

    /// What the model gives, what passes, and whether it passes.
    fn measure(&self, run: &Results) -> Result<Measured, Unmeasurable> {
        match self {
            Check::Peak {
                of,
                base,
                from,
                to,
                min,
                max,
                peak_from,
                peak_to,
                ..
            } => {
                let values = series(run, of)?;
                let b = value_at(run, values, *base)?;
                let (date, peak) = peak_of(run, values, *from, *to)?;
                let ratio = safe_ratio(peak, b);
                Ok((
                    format!("{ratio:.1}x at {date}"),
                    format!("{min}-{max}x between {peak_from} and {peak_to}"),
                    within(ratio, *min, *max) && date >= *peak_from && date <= *peak_to,
                ))
            }
            Check::ShareOfPeak {
                of, from, at, max, ..
            } => {
                let values = series(run, of)?;
                let (_, peak) = peak_of(run, values, *from, *at)?;
                let share = safe_ratio(value_at(run, values, *at)?, peak);
                Ok((
                    format!("{:.0} % of the peak", share * 100.0),
                    format!("at most {:.0} %", max * 100.0),
                    share <= *max,
                ))
            }
            Check::RatioAt {
                of,
                base,
                at,
                min,
                max,
                ..
            } => {
                let values = series(run, of)?;
                let ratio = safe_ratio(value_at(run, values, *at)?, value_at(run, values, *base)?);
                Ok((
                    format!("{:.0} %", ratio * 100.0),
                    format!("{:.0}-{:.0} %", min * 100.0, max * 100.0),
                    within(ratio, *min, *max),
                ))
            }
            Check::MaxRatio {
                numerator,
                denominator,
                from,
                to,
                min,
                max,
                ..
            } => {
                let n = series(run, numerator)?;
                let d = series(run, denominator)?;
                let range = index_range(run, *from, *to)?;
                let (i, ratio) = range.map(|i| (i, safe_ratio(n[i], d[i]))).fold(
                    (0, f64::NEG_INFINITY),
                    |best, x| if x.1 > best.1 { x } else { best },
                );
                Ok((
                    format!("{ratio:.2}x at {}", run.dates[i]),
                    format!("{min}-{max}x"),
                    within(ratio, *min, *max),
                ))
            }
            Check::BelowCap { from, to, .. } => below_cap(run, *from, *to),
            Check::Path {
                of,
                base,
                per,
                points,
                allow,
                ..
            } => path(run, of, *base, per.as_ref(), points, *allow),
            Check::YearlyShare {
                numerator,
                denominator,
                points,
                allow,
                ..
            } => yearly_share(run, numerator, denominator, points, *allow),
            Check::LongestShortfall { max_months, .. } => {
                let longest = longest_shortfall_months(run);
                Ok((
                    format!("{longest:.0} months"),
                    format!("at most {max_months:.0} months"),
                    longest <= *max_months,
                ))
            }
        }
    }
}

/// Longest run of months whose aggregate shortfall counts as a month of shortfall (the
/// scenario's threshold, as the headline counts them).
pub fn longest_shortfall_months(run: &Results) -> f64 {
    let share = run.total.get(SeriesId::ShortfallShare);
    let threshold = run.headline.shortfall_threshold;
    let (mut longest, mut current) = (0usize, 0usize);
    for s in share {
        if *s > threshold {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest as f64 * run.step_months
}

/// "2.6x" or "1.3-1.5x": a record figure or range with its unit.
/// What the model gives, what passes, and whether it passes.
type Measured = (String, String, bool);

fn within(x: f64, min: f64, max: f64) -> bool {
    x >= min && x <= max
}

/// The indices of the run's months in `year` (a year the run does not reach cannot be
/// measured).
fn months_of(run: &Results, year: i32) -> Result<Vec<usize>, Unmeasurable> {
    let months: Vec<usize> = (0..run.dates.len())
        .filter(|&i| run.dates[i].year == year)
        .collect();
    if months.is_empty() {
        return Err(Unmeasurable::NoMonthIn(year));
    }
    Ok(months)
}

/// Exports below the quota cap in every year from `from` to `to`.
fn below_cap(run: &Results, from: i32, to: i32) -> Result<Measured, Unmeasurable> {
    let exports = run.total.get(SeriesId::ChinaExports);
    let cap = run.total.get(SeriesId::QuotaCap);
    let mut words = Vec::new();
    let mut passed = true;
    for year in from..=to {
        let months = months_of(run, year)?;
        let e: f64 = months.iter().map(|&i| exports[i]).sum();
        let c: f64 = months.iter().map(|&i| cap[i]).sum();
        let share = safe_ratio(e, c);
        passed &= share < BELOW_CAP;
        words.push(format!("{year} {:.0} %", share * 100.0));
    }
    Ok((
        format!("exports/cap {}", words.join(", ")),
        format!("below {:.1} % each year", BELOW_CAP * 100.0),
        passed,
    ))
}

/// A series against the record's range at each of its dates, as a multiple of its value at
/// `base` or of the series `per` in the same month.
fn path(
    run: &Results,
    of: &SeriesRef,
    base: Option<YearMonth>,
    per: Option<&SeriesRef>,
    points: &[RecordRange],
    allow: Allowance,
) -> Result<Measured, Unmeasurable> {
    let values = series(run, of)?;
    let divisor = match per {
        Some(per) => Some(series(run, per)?),
        None => None,
    };
    let b = match (divisor, base) {
        (Some(_), _) => 1.0,
        (None, Some(base)) => value_at(run, values, base)?,
        (None, None) => return Err(Unmeasurable::PathWithoutBase),
    };
    let mut words = Vec::new();
    let mut passed = !points.is_empty();
    for p in points {
        let d = match divisor {
            Some(d) => value_at(run, d, p.date)?,
            None => b,
        };
        let ratio = safe_ratio(value_at(run, values, p.date)?, d);
        let (lo, hi) = allow.widen(p.low, p.high);
        let ok = within(ratio, lo, hi);
        passed &= ok;
        words.push(format!(
            "{} {ratio:.2}x ({}; record {})",
            p.date,
            if ok { "ok" } else { "OUT" },
            range_text(p.low, p.high, "x")
        ));
    }
    Ok((words.join(", "), allow.describe(), passed))
}

/// The share `numerator / denominator` summed over each record year, against the record.
fn yearly_share(
    run: &Results,
    numerator: &SeriesRef,
    denominator: &SeriesRef,
    points: &[RecordRange],
    allow: Allowance,
) -> Result<Measured, Unmeasurable> {
    let n = series(run, numerator)?;
    let d = series(run, denominator)?;
    let mut words = Vec::new();
    let mut passed = !points.is_empty();
    for p in points {
        let year = p.date.year;
        let months = months_of(run, year)?;
        let share = safe_ratio(
            months.iter().map(|&i| n[i]).sum(),
            months.iter().map(|&i| d[i]).sum(),
        );
        let (lo, hi) = allow.widen(p.low, p.high);
        let ok = within(share, lo, hi);
        passed &= ok;
        words.push(format!(
            "{year} {:.0} % ({}; record {})",
            share * 100.0,
            if ok { "ok" } else { "OUT" },
            range_text(p.low * 100.0, p.high * 100.0, " %")
        ));
    }
    Ok((words.join(", "), allow.describe(), passed))
}

fn range_text(low: f64, high: f64, unit: &str) -> String {
    let digits = |v: f64| if v.abs() >= 10.0 { 0 } else { 1 };
    if (high - low).abs() < 1e-9 {
        format!("{low:.*}{unit}", digits(low))
    } else {
        format!("{low:.*}-{high:.*}{unit}", digits(low), digits(high))
    }
}

/// Why a check could not be measured on a run (the check then fails, saying so).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Unmeasurable {
    /// The series key is not one the model writes.
    #[error("no series `{0}`")]
    NoSeries(String),
    /// The run has no such material.
    #[error("no material `{0}` in the run")]
    NoMaterial(String),
    /// The month lies outside the run's horizon.
    #[error("{0} is outside the run")]
    OutsideRun(YearMonth),
    /// A window whose start is after its end.
    #[error("{from} is after {to}")]
    Reversed {
        /// The window's start.
        from: YearMonth,
        /// The window's end.
        to: YearMonth,
    },
    /// A yearly check over a year the run does not cover.
    #[error("the run has no month in {0}")]
    NoMonthIn(i32),
    /// A path check with neither a base month nor a per-month reference.
    #[error("a path needs `base` or `per`")]
    PathWithoutBase,
}

fn safe_ratio(a: f64, b: f64) -> f64 {
    if b.abs() > 0.0 { a / b } else { f64::INFINITY }
}

fn series<'a>(run: &'a Results, of: &SeriesRef) -> Result<&'a [f64], Unmeasurable> {
    let id =
        SeriesId::from_key(&of.series).ok_or_else(|| Unmeasurable::NoSeries(of.series.clone()))?;
    if of.material == "total" {
        return Ok(run.total.get(id));
    }
    run.materials
        .iter()
        .find(|m| m.id == of.material)
        .map(|m| m.series.get(id))
        .ok_or_else(|| Unmeasurable::NoMaterial(of.material.clone()))
}

fn index_of(run: &Results, date: YearMonth) -> Result<usize, Unmeasurable> {
    // A step covers `step_months` from its date: the step holding `date`.
    let months = run.step_months as i64;
    run.dates
        .iter()
        .position(|d| {
            let k = d.months_until(date);
            (0..months.max(1)).contains(&k)
        })
        .ok_or(Unmeasurable::OutsideRun(date))
}

fn index_range(
    run: &Results,
    from: YearMonth,
    to: YearMonth,
) -> Result<std::ops::RangeInclusive<usize>, Unmeasurable> {
    let (a, b) = (index_of(run, from)?, index_of(run, to)?);
    if a > b {
        return Err(Unmeasurable::Reversed { from, to });
    }
    Ok(a..=b)
}

fn value_at(run: &Results, values: &[f64], date: YearMonth) -> Result<f64, Unmeasurable> {
    Ok(values[index_of(run, date)?])
}

fn peak_of(
    run: &Results,
    values: &[f64],
    from: YearMonth,
    to: YearMonth,
) -> Result<(YearMonth, f64), Unmeasurable> {
    let range = index_range(run, from, to)?;
    let (i, v) = range
        .map(|i| (i, values[i]))
        .fold(
            (0, f64::NEG_INFINITY),
            |best, x| if x.1 > best.1 { x } else { best },
        );
    Ok((run.dates[i], v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scenario, simulate};

    fn ym(year: i32, month: u8) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn a_calm_run_has_no_peak_and_no_shortfall() {
        let mut s = Scenario::default();
        s.events.clear();
        let run = simulate(&s);
        let peak = Check::Peak {
            label: "peak".into(),
            record: String::new(),
            of: SeriesRef {
                material: "Dy".into(),
                series: "market_price".into(),
            },
            base: ym(2024, 1),
            from: ym(2024, 1),
            to: ym(2030, 12),
            min: 5.0,
            max: 100.0,
            peak_from: ym(2024, 1),
            peak_to: ym(2030, 12),
        };
        let out = peak.evaluate(&run);
        assert!(!out.passed, "{out:?}");
        assert!(out.model.starts_with("1.0x"), "{}", out.model);
        let short = Check::LongestShortfall {
            label: "short".into(),
            record: String::new(),
            max_months: 0.0,
        };
        assert!(short.evaluate(&run).passed);
    }

    #[test]
    fn unknown_series_and_months_fail_with_a_reason() {
        let run = simulate(&Scenario::default());
        let check = Check::RatioAt {
            label: "x".into(),
            record: String::new(),
            of: SeriesRef {
                material: "Unobtainium".into(),
                series: "cost".into(),
            },
            base: ym(2024, 1),
            at: ym(2025, 1),
            min: 0.0,
            max: 1.0,
        };
        let out = check.evaluate(&run);
        assert!(!out.passed);
        assert!(out.model.contains("Unobtainium"));
        let late = Check::RatioAt {
            label: "x".into(),
            record: String::new(),
            of: SeriesRef::default(),
            base: ym(2024, 1),
            at: ym(2090, 1),
            min: 0.0,
            max: 1.0,
        };
        assert!(late.evaluate(&run).model.contains("outside the run"));
    }
}
