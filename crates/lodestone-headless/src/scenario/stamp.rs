//! The model version: which model produced a file's figures. It is the crate version plus an
//! identifier of the model and its defaults (`0.1.0+1a2b3c4d`), a hash of the default
//! scenario as a save writes it (every default of every parameter) and of every series of its
//! run, rounded to six significant digits: whenever a figure of the default scenario would
//! change, so does the identifier, while a change of code that moves no figure keeps it.
//! Computed once per process (a few milliseconds), then shared.
//!
//! A save from the window writes it into the scenario file (`stamp: (model: ..., figures:
//! [...])`, with the headline figures as shown at that save), so a file opened on another
//! model version can say so and show its figures then and now. Exports, CSV and JSON headers,
//! board-pack pages and `lodestone --version` carry it too.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What a save records about the model that produced it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stamp {
    /// The model version that saved the file, as [`model_version`] gives it.
    pub model: String,
    /// The headline figures as shown when the file was saved.
    pub figures: Vec<StampFigure>,
}

/// One headline figure as a save recorded it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StampFigure {
    /// The figure's label, e.g. "peak cost of supply".
    pub label: String,
    /// The figure as shown, with its unit, e.g. "51.03 $/kg".
    pub value: String,
}

/// Most figures a stamp may hold.
pub const MAX_STAMP_FIGURES: usize = 50;

impl Stamp {
    /// A stamp of this build's model with these figures (label, text).
    pub fn current(figures: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            model: model_version().to_string(),
            figures: figures
                .into_iter()
                .take(MAX_STAMP_FIGURES)
                .map(|(label, value)| StampFigure { label, value })
                .collect(),
        }
    }

    /// True when the file was saved by another model version than this build's.
    pub fn is_other_model(&self) -> bool {
        self.model != model_version()
    }
}

/// The model version of this build: `<crate version>+<model id>`.
pub fn model_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| format!("{}+{}", env!("CARGO_PKG_VERSION"), model_id()))
}

/// The model identifier alone (eight hex digits), see the module documentation.
pub fn model_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let doc = super::default_document();
        let mut hash = Fnv::default();
        hash.write(super::to_ron_string(&doc).as_bytes());
        let run = crate::model::simulate(&doc.scenario);
        let sets = run
            .materials
            .iter()
            .map(|m| &m.series)
            .chain(std::iter::once(&run.total));
        for set in sets {
            for id in crate::model::SeriesId::ALL {
                for v in set.get(id) {
                    // Rounded, so a last-bit difference of a platform's maths library does
                    // not give another identifier for the same figures.
                    hash.write(format!("{v:.5e};").as_bytes());
                }
            }
        }
        format!("{:08x}", (hash.0 ^ (hash.0 >> 32)) as u32)
    })
}

/// FNV-1a, 64 bits: a small hash that gives the same value on every platform and build.
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds bytes to the hash.
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_version_is_the_crate_version_and_a_stable_id() {
        let v = model_version();
        assert!(v.starts_with(concat!(env!("CARGO_PKG_VERSION"), "+")));
        let id = model_id();
        assert_eq!(id.len(), 8);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(model_version(), v, "computed once");
    }

    #[test]
    fn fnv_matches_its_reference_values() {
        let mut h = Fnv::default();
        h.write(b"a");
        assert_eq!(h.0, 0xaf63_dc4c_8601_ec8c);
    }
}
