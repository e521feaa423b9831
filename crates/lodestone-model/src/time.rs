//! Calendar months and the simulation time axis.
//!
//! A [`YearMonth`] is written `"2025-04"` in scenario files so that a diff of two files
//! reads like a timeline. The model steps in whole months (monthly resolution) or in
//! twelve-month blocks (yearly resolution); everything else is derived from the month index.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar month, e.g. April 2025.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Calendar year, e.g. 2025.
    pub year: i32,
    /// 1 = January ... 12 = December.
    pub month: u8,
}

impl YearMonth {
    /// Earliest and latest year a scenario may use; keeps month arithmetic far from overflow.
    pub const MIN_YEAR: i32 = 1900;
    /// Latest year a scenario may use.
    pub const MAX_YEAR: i32 = 2200;

    /// Returns `None` when the month is not 1..=12 or the year is outside the supported span.
    pub fn new(year: i32, month: u8) -> Option<Self> {
        ((1..=12).contains(&month) && (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year))
            .then_some(Self { year, month })
    }

    /// Months since January of year 0: a total order that subtracts cleanly.
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// Inverse of [`YearMonth::index`].
    pub fn from_index(index: i64) -> Self {
        let year = index.div_euclid(12);
        let month = index.rem_euclid(12) + 1;
        Self {
            year: year as i32,
            month: month as u8,
        }
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i64 {
        later.index() - self.index()
    }

    /// This month plus `months` (may be negative).
    pub fn plus_months(self, months: i64) -> Self {
        Self::from_index(self.index() + months)
    }

    /// The start of this month as a decimal year (2025-04 -> 2025.25): the x axis of every chart.
    pub fn decimal_year(self) -> f64 {
        f64::from(self.year) + f64::from(self.month - 1) / 12.0
    }

    /// The month nearest a chart x value (inverse of [`YearMonth::decimal_year`]); `None`
    /// for values that are not a date.
    pub fn from_decimal_year(x: f64) -> Option<Self> {
        if !x.is_finite() {
            return None;
        }
        let index = (x * 12.0).round();
        if index.abs() > 1e7 {
            return None;
        }
        let ym = Self::from_index(index as i64);
        Self::new(ym.year, ym.month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Why a `"YYYY-MM"` string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseYearMonthError(pub String);

impl fmt::Display for ParseYearMonthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a month: write \"YYYY-MM\" with a year from {} to {} and a month 01-12",
            self.0,
            YearMonth::MIN_YEAR,
            YearMonth::MAX_YEAR
        )
    }
}

impl std::error::Error for ParseYearMonthError {}

impl FromStr for YearMonth {
    type Err = ParseYearMonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseYearMonthError(s.chars().take(40).collect());
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u8 = m.parse().map_err(|_| err())?;
        YearMonth::new(year, month).ok_or_else(err)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How long one simulation step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Resolution {
    /// One step per calendar month (the default, and what the charts are built for).
    #[default]
    Monthly,
    /// One step per twelve months: a coarse run whose annual figures match the monthly run's.
    Yearly,
}

impl Resolution {
    /// Length of one step in months.
    pub fn step_months(self) -> i64 {
        match self {
            Resolution::Monthly => 1,
            Resolution::Yearly => 12,
        }
    }
}

/// The span a scenario simulates, first and last month included.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Horizon {
    /// First month simulated.
    pub start: YearMonth,
    /// Last month simulated.
    pub end: YearMonth,
    /// Step length: monthly or yearly.
    pub resolution: Resolution,
}

impl Default for Horizon {
    fn default() -> Self {
        Self {
            start: YearMonth {
                year: 2024,
                month: 1,
            },
            end: YearMonth {
                year: 2040,
                month: 12,
            },
            resolution: Resolution::Monthly,
        }
    }
}

impl Horizon {
    /// Number of calendar months covered, 0 when `end` is before `start`.
    pub fn months(&self) -> usize {
        usize::try_from(self.start.months_until(self.end) + 1).unwrap_or(0)
    }

    /// Number of simulation steps (a partial last year counts as one step).
    pub fn steps(&self) -> usize {
        let step = self.resolution.step_months() as usize;
        self.months().div_ceil(step)
    }

    /// Whether a month lies inside the horizon.
    pub fn contains(&self, month: YearMonth) -> bool {
        self.start <= month && month <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_months() {
        let m: YearMonth = "2025-04".parse().expect("valid month");
        assert_eq!(
            m,
            YearMonth {
                year: 2025,
                month: 4
            }
        );
        assert_eq!(m.to_string(), "2025-04");
        assert!("2025-13".parse::<YearMonth>().is_err());
        assert!("2025-4".parse::<YearMonth>().is_err());
        assert!("april".parse::<YearMonth>().is_err());
    }

    #[test]
    fn index_round_trips_and_orders() {
        let a = YearMonth {
            year: 2024,
            month: 12,
        };
        assert_eq!(
            a.plus_months(1),
            YearMonth {
                year: 2025,
                month: 1
            }
        );
        assert_eq!(YearMonth::from_index(a.index()), a);
        assert_eq!(
            a.months_until(YearMonth {
                year: 2025,
                month: 4
            }),
            4
        );
        assert!(
            (YearMonth {
                year: 2025,
                month: 4
            }
            .decimal_year()
                - 2025.25)
                .abs()
                < 1e-12
        );
    }

    #[test]
    fn default_horizon_is_17_years_of_months() {
        let h = Horizon::default();
        assert_eq!(h.months(), 17 * 12);
        assert_eq!(h.steps(), 204);
        let yearly = Horizon {
            resolution: Resolution::Yearly,
            ..h
        };
        assert_eq!(yearly.steps(), 17);
    }
}
