//! The on-disk layouts, one set of serde types per format version, and the field schema used
//! to report every unknown field at once.
//!
//! Version 2 (written by this build):
//! ```ron
//! (
//!     version: 2,
//!     meta: (name: "...", description: "...", author: "...", created: "2025-11-20",
//!            modified: "2025-11-20", tags: ["..."], notes: "..."),
//!     baseline: "baseline-2024.ron",      // optional; omitted when there is none
//!     horizon: (start: "2024-01", end: "2040-12", resolution: Monthly),
//!     levers: (...), assumptions: (...), materials: [(...), ...], events: [(...), ...],
//! )
//! ```
//! Version 1 (read and migrated): the `meta` fields sat at the top level and the scenario's
//! sections were nested under `scenario: (...)`.
//!
//! These types are private to the scenario module: the rest of the crate sees
//! [`super::Document`]. Nothing here checks ranges; that is `validate.rs`.

use super::annotation::Annotation;
use super::{Document, Meta};
use crate::model::{
    Assumptions, Horizon, Levers, Material, PolicyEvent, PricePoint, Scenario, Targets,
    Uncertainty,
    units::{Share, TonnesPerYear, UsdPerKg, UsdPerTonnePerYear},
};
use crate::scenario::record::{ObservedPoint, ObservedSeries, Record};
use crate::scenario::stamp::{Stamp, StampFigure};
use serde::{Deserialize, Deserializer, Serialize};

/// Reads a present field as `Some(value)` without requiring `Some(...)` in the text; an
/// absent field stays `None` through `#[serde(default)]`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The baseline path as written by version 2 (`baseline: "base.ron"`), also accepting the
/// `Some("base.ron")` / `None` that version 1 wrote, since people copy fields between files.
fn path_or_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a file path in quotes")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            String::deserialize(d).map(Some)
        }
    }
    d.deserialize_any(V)
}

/// Writes `Some(path)` as the bare string (the field is skipped when `None`).
fn plain_str<S: serde::Serializer>(value: &Option<&str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(value.unwrap_or_default())
}

/// Writes `Some(stamp)` as the bare structure (the field is skipped when `None`).
fn plain_stamp<S: serde::Serializer>(value: &Option<&Stamp>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(stamp) => stamp.serialize(s),
        None => s.serialize_none(),
    }
}

/// Format version 2, as read.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename = "Scenario")]
pub(super) struct FileV2In {
    #[allow(dead_code)] // read from the text before parsing; declared so the field is known
    version: u64,
    meta: Meta,
    #[serde(deserialize_with = "path_or_option")]
    baseline: Option<String>,
    horizon: Horizon,
    levers: Levers,
    assumptions: Assumptions,
    #[serde(deserialize_with = "present")]
    materials: Option<Vec<MaterialIn>>,
    #[serde(deserialize_with = "present")]
    events: Option<Vec<PolicyEvent>>,
    uncertainty: Uncertainty,
    annotations: Vec<Annotation>,
    record: Record,
    targets: Targets,
    #[serde(deserialize_with = "present")]
    stamp: Option<Stamp>,
}

/// A material as read: every field optional, so an entry naming a default material's id
/// (NdPr, Dy, Tb, Other) takes that material's values for the fields it leaves out.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct MaterialIn {
    #[serde(deserialize_with = "present")]
    id: Option<String>,
    #[serde(deserialize_with = "present")]
    name: Option<String>,
    #[serde(deserialize_with = "present")]
    demand: Option<TonnesPerYear>,
    #[serde(deserialize_with = "present")]
    non_china_capacity: Option<TonnesPerYear>,
    #[serde(deserialize_with = "present")]
    processed_in_china: Option<Share>,
    #[serde(deserialize_with = "present")]
    china_price: Option<UsdPerKg>,
    #[serde(deserialize_with = "present")]
    china_prices: Option<Vec<PricePoint>>,
    #[serde(deserialize_with = "present")]
    non_china_cost: Option<UsdPerKg>,
    #[serde(deserialize_with = "present")]
    capital_intensity: Option<UsdPerTonnePerYear>,
    #[serde(deserialize_with = "present")]
    capex_share: Option<Share>,
    #[serde(deserialize_with = "present")]
    quota_share: Option<Share>,
}

impl MaterialIn {
    /// The full material: given fields, else the default material with the same id, else
    /// the model's generic `Material::default()`. A missing id is reported by `validate`
    /// through the empty id it leaves.
    fn complete(self) -> Material {
        let mut m = Material::default_for(self.id.as_deref().unwrap_or_default());
        m.id = self.id.unwrap_or_default();
        if let Some(v) = self.name {
            m.name = v;
        }
        macro_rules! take {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { m.$f = v; } )* };
        }
        take!(
            demand,
            non_china_capacity,
            processed_in_china,
            china_price,
            china_prices,
            non_china_cost,
            capital_intensity,
            capex_share,
            quota_share
        );
        m
    }
}

impl FileV2In {
    pub(super) fn into_document(self) -> Document {
        Document {
            meta: self.meta,
            baseline: self.baseline,
            scenario: Scenario {
                horizon: self.horizon,
                levers: self.levers,
                assumptions: self.assumptions,
                materials: match self.materials {
                    Some(list) => list.into_iter().map(MaterialIn::complete).collect(),
                    None => Material::defaults(),
                },
                events: self.events.unwrap_or_else(PolicyEvent::story_2025),
                uncertainty: self.uncertainty,
            },
            annotations: self.annotations,
            record: self.record,
            targets: self.targets,
            stamp: self.stamp,
        }
    }
}

/// Format version 2, as written: every field, in declaration order.
#[derive(Serialize)]
pub(super) struct FileV2Out<'a> {
    version: u32,
    meta: &'a Meta,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "plain_str")]
    baseline: Option<&'a str>,
    horizon: &'a Horizon,
    levers: &'a Levers,
    assumptions: &'a Assumptions,
    materials: &'a [Material],
    events: &'a [PolicyEvent],
    uncertainty: &'a Uncertainty,
    // Left out when empty, so files without notes keep their exact text.
    #[serde(skip_serializing_if = "<[Annotation]>::is_empty")]
    annotations: &'a [Annotation],
    #[serde(skip_serializing_if = "Record::is_empty")]
    record: &'a Record,
    #[serde(skip_serializing_if = "Targets::is_empty")]
    targets: &'a Targets,
    // Written by saves from the window; files without one keep their exact text.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "plain_stamp"
    )]
    stamp: Option<&'a Stamp>,
}

impl<'a> FileV2Out<'a> {
    pub(super) fn new(doc: &'a Document) -> Self {
        Self {
            version: 2,
            meta: &doc.meta,
            baseline: doc.baseline.as_deref(),
            horizon: &doc.scenario.horizon,
            levers: &doc.scenario.levers,
            assumptions: &doc.scenario.assumptions,
            materials: &doc.scenario.materials,
            events: &doc.scenario.events,
            uncertainty: &doc.scenario.uncertainty,
            annotations: &doc.annotations,
            record: &doc.record,
            targets: &doc.targets,
            stamp: doc.stamp.as_ref(),
        }
    }
}

/// Format version 1: metadata at the top level, the model's `Scenario` nested.
#[derive(Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename = "Scenario")]
pub(super) struct FileV1 {
    #[allow(dead_code)] // read from the text before parsing
    version: u64,
    name: String,
    description: String,
    author: String,
    created: String,
    modified: String,
    tags: Vec<String>,
    notes: String,
    baseline: Option<String>,
    scenario: Scenario,
}

impl FileV1 {
    /// The same content in today's types (version 1 read materials with the model's
    /// generic defaults; that meaning is kept).
    pub(super) fn into_document(self) -> Document {
        Document {
            meta: Meta {
                name: self.name,
                description: self.description,
                author: self.author,
                created: self.created,
                modified: self.modified,
                tags: self.tags,
                notes: self.notes,
            },
            baseline: self.baseline,
            scenario: self.scenario,
            annotations: Vec::new(),
            record: Record::default(),
            targets: Targets::default(),
            stamp: None,
        }
    }
}

/// Format version 1 exactly as its writer produced it: serde's `flatten` of the metadata
/// made the top level a map with quoted keys, `{ "version": 1, "name": "...", "scenario":
/// (...) }`. Read the same way (flatten), then converted like [`FileV1`].
#[derive(Default, Deserialize)]
#[serde(default)]
pub(super) struct FileV1Map {
    #[allow(dead_code)] // read from the text before parsing
    version: u64,
    #[serde(flatten)]
    meta: Meta,
    baseline: Option<String>,
    scenario: Scenario,
}

impl FileV1Map {
    pub(super) fn into_document(self) -> Document {
        Document {
            meta: self.meta,
            baseline: self.baseline,
            scenario: self.scenario,
            annotations: Vec::new(),
            record: Record::default(),
            targets: Targets::default(),
            stamp: None,
        }
    }
}

/// The struct fields a file of `version` may contain: (generic struct path, its fields).
/// Field names come from serialising the defaults, so they follow the model without a copy.
pub(super) fn schema(version: u64) -> Vec<(String, Vec<String>)> {
    fn fields<T: Serialize>(value: &T) -> Vec<String> {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
    let sections = |prefix: &str| {
        vec![
            (format!("{prefix}horizon"), fields(&Horizon::default())),
            (format!("{prefix}levers"), fields(&Levers::default())),
            (
                format!("{prefix}assumptions"),
                fields(&Assumptions::default()),
            ),
            (format!("{prefix}materials[]"), fields(&Material::default())),
            // A zero duty is left out of a save, so the example has one.
            (
                format!("{prefix}events[]"),
                fields(&PolicyEvent {
                    export_duty: Share(0.25),
                    probability: Share(0.5),
                    ..PolicyEvent::default()
                }),
            ),
            (
                format!("{prefix}materials[].china_prices[]"),
                fields(&PricePoint::default()),
            ),
        ]
    };
    let scenario_fields = fields(&Scenario::default());
    let meta_fields = fields(&Meta::default());
    let mut out = Vec::new();
    if version == 1 {
        let mut top: Vec<String> = vec!["version".into(), "baseline".into(), "scenario".into()];
        top.extend(meta_fields);
        out.push((String::new(), top));
        out.push(("scenario".into(), scenario_fields));
        out.extend(sections("scenario."));
    } else {
        let mut top: Vec<String> = vec!["version".into(), "meta".into(), "baseline".into()];
        top.extend(scenario_fields);
        // Last, where a save writes them.
        top.push("annotations".into());
        top.push("record".into());
        top.push("targets".into());
        top.push("stamp".into());
        out.push((String::new(), top));
        out.push(("meta".into(), meta_fields));
        out.push(("annotations[]".into(), fields(&Annotation::default())));
        out.push(("targets".into(), fields(&Targets::example())));
        out.push((
            "targets.dependency".into(),
            fields(&Targets::example().dependency),
        ));
        // An empty list of data files is left out of a save, so name it here.
        let record = Record {
            data_files: vec![String::new()],
            ..Record::default()
        };
        out.push(("record".into(), fields(&record)));
        out.push((
            "record.observed[]".into(),
            fields(&ObservedSeries::default()),
        ));
        out.push((
            "record.observed[].points[]".into(),
            fields(&ObservedPoint::default()),
        ));
        out.push(("stamp".into(), fields(&Stamp::default())));
        out.push(("stamp.figures[]".into(), fields(&StampFigure::default())));
        out.extend(sections(""));
    }
    out
}

/// The known field closest to a misspelt one, if any is close (edit distance at most 2 or a
/// third of the name).
pub(super) fn suggest<'a>(found: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(found, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_knows_the_model_fields() {
        let s = schema(2);
        let levers = s.iter().find(|(p, _)| p == "levers").map(|(_, f)| f);
        assert!(levers.is_some_and(|f| f.iter().any(|x| x == "permitting_delay")));
        let top = &s[0].1;
        for f in [
            "version",
            "meta",
            "baseline",
            "horizon",
            "materials",
            "events",
        ] {
            assert!(top.iter().any(|x| x == f), "{f}");
        }
    }

    #[test]
    fn suggests_near_misses_only() {
        let known = vec!["quota_level".to_string(), "capex".to_string()];
        assert_eq!(suggest("quota_levle", &known), Some("quota_level"));
        assert_eq!(suggest("zzzzzzzz", &known), None);
    }

    #[test]
    fn partial_default_material_takes_the_default_values() {
        let m = MaterialIn {
            id: Some("Dy".into()),
            quota_share: Some(Share(0.5)),
            ..MaterialIn::default()
        }
        .complete();
        let dy = Material::defaults().into_iter().find(|d| d.id == "Dy");
        assert_eq!(
            Some(Material {
                quota_share: Share(0.5),
                ..m.clone()
            }),
            dy.map(|d| Material {
                quota_share: Share(0.5),
                ..d
            })
        );
    }
}
