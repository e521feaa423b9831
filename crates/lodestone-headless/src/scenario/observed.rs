//! The built-in observed record (2024-2025) drawn on the charts as points, so a viewer sees where the
//! model meets reality. One table, each figure with its source as SOURCES.md gives it (row IDs
//! in the source text, named in each legend entry); values are
//! stored in the unit of the chart they belong on. Not model input: the model never reads this.

use super::chart::ChartKind;
use super::record::{ObservedPoint, ObservedSeries, Record};
use crate::model::YearMonth;
use std::sync::LazyLock;

/// One built-in observed series: a few dated figures of the same kind from the same source.
#[derive(Clone, Copy, Debug)]
struct BuiltinSeries {
    /// Legend name.
    name: &'static str,
    /// The chart whose unit matches.
    chart: ChartKind,
    /// What was measured and where it comes from, shown in the hover text.
    source: &'static str,
    points: &'static [BuiltinPoint],
}

/// One figure: a value, or a range when the source gives one.
#[derive(Clone, Copy, Debug)]
struct BuiltinPoint {
    date: YearMonth,
    low: f64,
    high: f64,
    /// Extra context for this figure (empty when the series' source says it all).
    note: &'static str,
}

const fn ym(year: i32, month: u8) -> YearMonth {
    YearMonth { year, month }
}

const fn at(date: YearMonth, value: f64) -> BuiltinPoint {
    BuiltinPoint {
        date,
        low: value,
        high: value,
        note: "",
    }
}

/// Every built-in observed series, in legend order.
static BUILTIN: &[BuiltinSeries] = &[
    BuiltinSeries {
        name: "Observed: exports (SOURCES.md C2)",
        chart: ChartKind::ChinaExports,
        source: "China's rare-earth exports as reported by source 001 (five-year low in May, +80 % in June; SOURCES.md C2, C3); matches neither customs series (R4)",
        points: &[at(ym(2025, 5), 2_115.0), at(ym(2025, 6), 3_808.0)],
    },
    BuiltinSeries {
        name: "Observed: magnet exports (customs)",
        chart: ChartKind::ChinaExports,
        source: "China magnet exports, customs data via press (May -74 % y/y; SOURCES.md R2)",
        points: &[
            at(ym(2025, 5), 1_238.0),
            at(ym(2025, 6), 3_188.0),
            at(ym(2025, 7), 5_577.0),
        ],
    },
    BuiltinSeries {
        name: "Observed: all rare-earth exports (customs)",
        chart: ChartKind::ChinaExports,
        source: "China total rare-earth exports, all 17 elements and mostly uncontrolled; customs data via press (SOURCES.md R3)",
        points: &[at(ym(2025, 5), 5_865.0), at(ym(2025, 6), 7_742.0)],
    },
    BuiltinSeries {
        name: "Observed: China market price (SOURCES.md M3)",
        chart: ChartKind::Cost,
        source: "Chinese market price of rare-earth material, $20-30/kg (source 000, Nov 2025; SOURCES.md M3)",
        points: &[BuiltinPoint {
            date: ym(2025, 11),
            low: 20.0,
            high: 30.0,
            note: "range given by the source",
        }],
    },
    BuiltinSeries {
        name: "Observed: NdPr oxide price (trade press)",
        chart: ChartKind::Cost,
        source: "NdPr oxide price in 2024, trade press (SOURCES.md R8)",
        points: &[BuiltinPoint {
            date: ym(2024, 7),
            low: 50.0,
            high: 55.0,
            note: "2024 average range, placed mid-year",
        }],
    },
    BuiltinSeries {
        name: "Observed: non-China processing cost (SOURCES.md M4)",
        chart: ChartKind::Cost,
        source: "Cost of processing outside China at new, unproven plants, $80-120/kg (source 000, Nov 2025; SOURCES.md M4)",
        points: &[BuiltinPoint {
            date: ym(2025, 11),
            low: 80.0,
            high: 120.0,
            note: "range given by the source",
        }],
    },
    BuiltinSeries {
        name: "Observed: China's share of processing (SOURCES.md M2)",
        chart: ChartKind::Dependency,
        source: "China's share of global rare-earth processing: ~80 % (001) to ~90 % (003), SOURCES.md M2; a world share, not buyers' dependency",
        points: &[BuiltinPoint {
            date: ym(2025, 6),
            low: 80.0,
            high: 90.0,
            note: "range across sources",
        }],
    },
    BuiltinSeries {
        name: "Observed: China's share of mining (USGS)",
        chart: ChartKind::Dependency,
        source: "China's share of 2024 world mine output, ~69 % (USGS MCS 2025; SOURCES.md R10); a world share, not buyers' dependency",
        points: &[BuiltinPoint {
            date: ym(2024, 7),
            low: 69.0,
            high: 69.0,
            note: "2024 figure, placed mid-year",
        }],
    },
];

/// The built-in series as the record types every observed series uses.
static OBSERVED: LazyLock<Vec<ObservedSeries>> = LazyLock::new(|| {
    BUILTIN
        .iter()
        .map(|b| ObservedSeries {
            name: b.name.to_string(),
            chart: b.chart,
            source: b.source.to_string(),
            points: b
                .points
                .iter()
                .map(|p| ObservedPoint {
                    date: p.date,
                    low: p.low,
                    high: p.high,
                    note: p.note.to_string(),
                })
                .collect(),
            from_file: None,
        })
        .collect()
});

/// The observed series to draw on `chart` for a run over `first..=last`: the built-in record
/// where it falls inside the run, then the document's own (a backtest's record, say).
pub fn for_chart(
    chart: ChartKind,
    document: &Record,
    first: YearMonth,
    last: YearMonth,
) -> impl Iterator<Item = &ObservedSeries> {
    let inside =
        move |s: &&ObservedSeries| s.points.iter().any(|p| p.date >= first && p.date <= last);
    let builtin: &'static [ObservedSeries] = &OBSERVED;
    builtin
        .iter()
        .filter(inside)
        .chain(document.observed.iter())
        .filter(move |s| s.chart == chart)
}
