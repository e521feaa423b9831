//! Golden outputs: the CSV that `lodestone run --csv` writes for every shipped scenario and
//! backtest, compared cell by cell with the copy kept in `tests/golden/runs/`. The shape
//! tests pass if every figure moves 5 %; these catch any unintended move of any number.
//!
//! A number matches when it is within `RELATIVE` of the kept one or within `ABSOLUTE` of it
//! (near zero); every other cell must match exactly. Lines starting with `#` (the model
//! version stamp, which changes with every deliberate change of a figure) are not compared.
//!
//! When figures change on purpose: `UPDATE_GOLDEN=1 cargo test --release --test it golden`
//! rewrites the kept files; say in the commit why they moved.

use crate::common::{lodestone, path_str, text};
use std::path::PathBuf;

/// Relative tolerance: far below any figure a person reads (4 significant digits), far above
/// the last-bit differences of summing in another order.
const RELATIVE: f64 = 1e-7;
/// Absolute tolerance for cells near zero (tonnes, dollars and shares alike).
const ABSOLUTE: f64 = 1e-6;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every shipped scenario and backtest, sorted, as (name of the kept file, input).
fn shipped_runs() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in ["scenarios", "backtests"] {
        let entries = std::fs::read_dir(root().join(dir)).expect("shipped folder");
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "ron") {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push((format!("{dir}-{stem}.csv"), path));
            }
        }
    }
    out.sort();
    out
}

/// The first difference between two CSV texts beyond the tolerances, if any.
fn first_difference(kept: &str, now: &str) -> Option<String> {
    let rows = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    let (kept, now) = (rows(kept), rows(now));
    if kept.len() != now.len() {
        return Some(format!("{} rows kept, {} now", kept.len(), now.len()));
    }
    let header: Vec<&str> = kept
        .first()
        .map(|h| h.split(',').collect())
        .unwrap_or_default();
    for (line, (a, b)) in kept.iter().zip(&now).enumerate() {
        let (ca, cb): (Vec<&str>, Vec<&str>) = (a.split(',').collect(), b.split(',').collect());
        if ca.len() != cb.len() {
            return Some(format!(
                "row {}: {} cells kept, {} now",
                line + 1,
                ca.len(),
                cb.len()
            ));
        }
        for (col, (x, y)) in ca.iter().zip(&cb).enumerate() {
            let same = match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(x), Ok(y)) => {
                    (x - y).abs() <= ABSOLUTE || (x - y).abs() <= RELATIVE * x.abs().max(y.abs())
                }
                _ => x == y,
            };
            if !same {
                let name = header.get(col).copied().unwrap_or("?");
                // The long CSV's key cells (date, material, series) say which figure moved.
                let key = ca.iter().take(3).copied().collect::<Vec<_>>().join(", ");
                return Some(format!(
                    "row {} ({key}), column {name}: kept {x}, now {y}",
                    line + 1
                ));
            }
        }
    }
    None
}

#[test]
fn every_shipped_run_matches_its_kept_csv() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let kept_dir = root().join("tests/golden/runs");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    let runs = shipped_runs();
    assert!(
        runs.len() >= 10,
        "the shipped scenarios and backtests: {runs:?}"
    );
    for (name, input) in &runs {
        let out = dir.path().join(name);
        let run = lodestone(&["run", path_str(input), "--csv", path_str(&out)]);
        assert!(run.status.success(), "{name}: {}", text(&run.stderr));
        let now = std::fs::read_to_string(&out).expect("the CSV was written");
        let kept_path = kept_dir.join(name);
        if update {
            std::fs::create_dir_all(&kept_dir).expect("golden folder");
            std::fs::write(&kept_path, &now).expect("golden file written");
            continue;
        }
        match std::fs::read_to_string(&kept_path) {
            Ok(kept) => {
                if let Some(d) = first_difference(&kept, &now) {
                    failures.push(format!("{name}: {d}"));
                }
            }
            Err(e) => failures.push(format!("{name}: no kept file ({e})")),
        }
    }
    // A kept file whose scenario is gone is stale.
    if !update {
        for entry in std::fs::read_dir(&kept_dir)
            .expect("golden folder")
            .flatten()
        {
            let kept = entry.file_name().to_string_lossy().into_owned();
            if !runs.iter().any(|(n, _)| *n == kept) {
                failures.push(format!("{kept}: kept, but no shipped file makes it"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden outputs moved (UPDATE_GOLDEN=1 re-accepts them; say why in the commit):\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_comparison_catches_a_small_move_and_ignores_the_stamp() {
    let kept = "# model 0.1.0+aaaa\ndate,cost\n2025-01,100.0\n2025-02,0.0\n";
    let stamp = "# model 0.1.0+bbbb\ndate,cost\n2025-01,100.0\n2025-02,0.0\n";
    assert_eq!(first_difference(kept, stamp), None);
    let noise = "# model\ndate,cost\n2025-01,100.000000001\n2025-02,0.0000000001\n";
    assert_eq!(first_difference(kept, noise), None);
    let moved = "# model\ndate,cost\n2025-01,100.01\n2025-02,0.0\n";
    let d = first_difference(kept, moved).expect("a 0.01 % move is caught");
    assert!(d.contains("column cost"), "{d}");
    let renamed = "# model\ndate,costs\n2025-01,100.0\n2025-02,0.0\n";
    assert!(first_difference(kept, renamed).is_some());
    assert!(first_difference(kept, "date,cost\n2025-01,100.0\n").is_some());
}
