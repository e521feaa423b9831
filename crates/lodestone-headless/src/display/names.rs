//! What a scenario and the aggregate line are called wherever they are shown.

use crate::model::Scenario;
use crate::scenario::levers::differences;
use std::path::Path;

/// Key of the aggregate ("all materials") in tidy CSV rows and in the hidden-series list.
pub const TOTAL_KEY: &str = "total";

/// Legend label of the aggregate line, on screen and in exported charts.
pub const TOTAL_LABEL: &str = "All materials";

/// Shown for a scenario with neither a name nor a file.
pub const UNTITLED: &str = "Untitled scenario";

/// Longest name shown, in characters (the file format's limit for names).
pub const MAX_SHOWN_CHARS: usize = crate::scenario::validate::MAX_NAME_CHARS;

/// Text safe to show on one line anywhere (a window title, an SVG, a PDF, a CSV cell): every
/// control character and Unicode noncharacter becomes a space, and text longer than `max`
/// characters is cut with an ellipsis. Loading refuses such text already; this is the second
/// line of defence for names that come from elsewhere (a file name, text typed or pasted in
/// the window, a file written by another program).
pub fn plain_text(text: &str, max: usize) -> String {
    let clean = |c: char| {
        if crate::scenario::validate::is_forbidden_char(c, false) {
            ' '
        } else {
            c
        }
    };
    if text.chars().count() <= max {
        return text.chars().map(clean).collect();
    }
    let mut out: String = text
        .chars()
        .take(max.saturating_sub(1))
        .map(clean)
        .collect();
    out.push('…');
    out
}

/// A scenario's name as people read it: the name in its file, else the file's stem, else
/// "Untitled scenario"; always one line of printable text (see [`plain_text`]).
pub fn scenario_name(name: &str, path: Option<&Path>) -> String {
    let name = name.trim();
    if !name.is_empty() {
        return plain_text(name, MAX_SHOWN_CHARS);
    }
    path.and_then(Path::file_stem)
        .map(|s| plain_text(&s.to_string_lossy(), MAX_SHOWN_CHARS))
        .unwrap_or_else(|| UNTITLED.to_string())
}

/// What `shown` sets differently from `file`, input by input, for people: "Quota level 69 %
/// (file 100 %)", "Dy Capex share ...", "policy events". The inputs that differ are
/// [`differences`]' (the compare table's and the pack's); levers are named and formatted as
/// the sliders show them. A slide names its live edits with it.
pub fn changed_inputs(file: &Scenario, shown: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let mut events = false;
    for d in differences(file, shown) {
        if d.id.starts_with("events[") {
            events = true;
        } else {
            out.push(format!("{} {} (file {})", d.label, d.b, d.a));
        }
    }
    if events {
        out.push("policy events".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_then_stem_then_untitled() {
        let p = Path::new("scenarios/fortress.ron");
        assert_eq!(scenario_name(" Fortress ", Some(p)), "Fortress");
        assert_eq!(scenario_name("  ", Some(p)), "fortress");
        assert_eq!(scenario_name("", None), UNTITLED);
    }

    #[test]
    fn names_are_one_line_of_printable_text() {
        assert_eq!(
            scenario_name("a\u{0}b\u{1}c\u{fffe}d\ne", None),
            "a b c d e"
        );
        let long = "x".repeat(900_000);
        let shown = scenario_name(&long, None);
        assert_eq!(shown.chars().count(), MAX_SHOWN_CHARS);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn changed_inputs_name_each_lever_with_both_values() {
        let file = Scenario::default();
        assert!(changed_inputs(&file, &file).is_empty());
        let mut shown = file.clone();
        shown.levers.quota_level.0 = 0.69;
        shown.materials[1].capex_share.0 += 0.01;
        shown.events.clear();
        let changes = changed_inputs(&file, &shown);
        assert_eq!(changes[0], "Quota level 69 % (file 100 %)");
        assert!(
            changes[1].starts_with(&shown.materials[1].id),
            "{changes:?}"
        );
        assert_eq!(changes.last().map(String::as_str), Some("policy events"));
    }
}
