//! Unit-carrying number types for scenario inputs.
//!
//! Each newtype is serialised as a bare number (`#[serde(transparent)]`) so scenario files stay
//! readable, while the Rust code cannot hand tonnes to a function that wants dollars. Outputs
//! are plain `Vec<f64>` columns whose field names carry the unit (see `results.rs`).

use serde::{Deserialize, Serialize};

macro_rules! unit {
    ($(#[$doc:meta])* $name:ident, $unit:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            /// The unit as shown next to a value.
            pub const UNIT: &'static str = $unit;
        }
    };
}

unit!(
    /// A fraction: 0.25 means 25 %.
    Share,
    "%"
);
unit!(
    /// A flow of material in metric tonnes per year.
    TonnesPerYear,
    "t/yr"
);
unit!(
    /// A price or cost in US dollars per kilogram.
    UsdPerKg,
    "$/kg"
);
unit!(
    /// Capital spending in billions of US dollars per year.
    UsdBillionPerYear,
    "$B/yr"
);
unit!(
    /// Capital needed per tonne-per-year of new capacity, in US dollars.
    UsdPerTonnePerYear,
    "$ per t/yr"
);
unit!(
    /// A duration in years (fractions allowed).
    Years,
    "years"
);
unit!(
    /// A duration in months (fractions allowed).
    Months,
    "months"
);
unit!(
    /// Events per year.
    PerYear,
    "per year"
);
unit!(
    /// A plain ratio or multiplier without unit.
    Ratio,
    ""
);

impl Share {
    /// True for exactly zero: optional shares are left out of saved files when zero.
    pub fn is_zero(&self) -> bool {
        self.0 == 0.0
    }

    /// True for exactly one: a certain event's chance is left out of saved files.
    pub fn is_one(&self) -> bool {
        self.0 == 1.0
    }
}

impl Years {
    /// The duration in months.
    pub fn months(self) -> f64 {
        self.0 * 12.0
    }
}

impl UsdBillionPerYear {
    /// The rate in dollars per year.
    pub fn usd_per_year(self) -> f64 {
        self.0 * 1e9
    }
}

/// Kilograms per tonne: tonnes x $/kg x this = dollars.
pub const KG_PER_TONNE: f64 = 1000.0;
