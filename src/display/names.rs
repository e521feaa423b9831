//! What a scenario and the aggregate line are called wherever they are shown.

use std::path::Path;

/// Key of the aggregate ("all materials") in tidy CSV rows and in the hidden-series list.
pub const TOTAL_KEY: &str = "total";

/// Legend label of the aggregate line, on screen and in exported charts.
pub const TOTAL_LABEL: &str = "All materials";

/// Shown for a scenario with neither a name nor a file.
pub const UNTITLED: &str = "Untitled scenario";

/// A scenario's name as people read it: the name in its file, else the file's stem, else
/// "Untitled scenario".
pub fn scenario_name(name: &str, path: Option<&Path>) -> String {
    let name = name.trim();
    if !name.is_empty() {
        return name.to_string();
    }
    path.and_then(Path::file_stem)
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| UNTITLED.to_string())
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
}
