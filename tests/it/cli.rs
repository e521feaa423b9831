//! The headless command line, run as the built binary: exit codes, stdout, stderr and files.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestone::model::{SeriesId, simulate};
use lodestone::output::data::CSV_HEADER;
use lodestone::scenario::default_document;
use std::process::Output;

use crate::common::*;

#[test]
fn validate_passes_every_shipped_scenario() {
    let dir = scenario("");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path().display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let out = lodestone(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "no warnings");
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), files.len());
    assert!(stdout.lines().all(|l| l.ends_with(": OK")), "{stdout}");
}

#[test]
fn validate_reports_every_problem_with_positions_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        "(\n    levers: (quota_level: 7, capex: -1),\n    extra: 1,\n)\n",
    )
    .expect("write");
    let good = scenario("pause-2025-11.ron");
    let out = lodestone(&["validate", path_str(&good), path_str(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("pause-2025-11.ron: OK"), "{stdout}");
    let stderr = text(&out.stderr);
    let b = bad.display();
    // Unknown fields first, then every other problem of the file: one fails, all are told.
    assert_eq!(
        stderr,
        format!(
            "{b}:3:5: extra: unknown field `extra` at the top level; known fields: version, \
             meta, baseline, assumptions, events, horizon, levers, materials, uncertainty, annotations, \
             record, targets, stamp\n\
             {b}:2:14: levers.quota_level: 7 (700 %) is out of range; allowed 0 to 1.5 (0 % to 150 % \
             of pre-control exports)\n\
             {b}:2:30: levers.capex: -1 is out of range; allowed 0 to 20 ($B/yr)\n"
        )
    );

    std::fs::write(&bad, "(\n    levers: (quota_level: 7, capex: -1),\n)\n").expect("write");
    let out = lodestone(&["validate", path_str(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "{b}:2:14: levers.quota_level: 7 (700 %) is out of range; allowed 0 to 1.5 (0 % to 150 % of pre-control exports)\n\
             {b}:2:30: levers.capex: -1 is out of range; allowed 0 to 20 ($B/yr)\n"
        )
    );
}

#[test]
fn validate_refuses_directories_missing_and_binary_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = dir.path().join("garbage.ron");
    std::fs::write(&garbage, [0u8, 159, 146, 150, 0xff, 10, 40]).expect("write");
    let missing = dir.path().join("missing.ron");
    let out = lodestone(&[
        "validate",
        path_str(dir.path()),
        path_str(&missing),
        path_str(&garbage),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("is a directory, not a scenario file"),
        "{stderr}"
    );
    assert!(stderr.contains("missing.ron: cannot read:"), "{stderr}");
    assert!(
        stderr.contains("garbage.ron:1:2: not UTF-8 text"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn run_prints_the_headline_and_writes_a_tidy_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("out.csv");
    let json = dir.path().join("out.json");
    let file = scenario("pause-2025-11.ron");
    let out = lodestone(&[
        "run",
        path_str(&file),
        "--csv",
        path_str(&csv),
        "--json",
        path_str(&json),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("2025 controls and pause (default)"),
        "{stdout}"
    );
    for label in [
        "peak cost of supply",
        "total spend",
        "final dependency",
        "months of shortfall",
        "extra cost",
    ] {
        assert!(stdout.contains(label), "{label} missing:\n{stdout}");
    }

    let results = simulate(&default_document().scenario);
    let csv = std::fs::read_to_string(&csv).expect("csv written");
    let mut lines = csv.lines();
    let stamp = lodestone::output::data::csv_stamp();
    assert_eq!(
        lines.next(),
        Some(stamp.as_str()),
        "the model version first"
    );
    assert!(stamp.ends_with(lodestone::scenario::stamp::model_version()));
    assert_eq!(lines.next(), Some(CSV_HEADER));
    let rows: Vec<&str> = lines.collect();
    let materials = results.materials.len() + 1;
    assert_eq!(
        rows.len(),
        results.steps() * materials * SeriesId::ALL.len()
    );
    assert!(
        rows.iter().all(|r| r.split(',').count() == 5),
        "every row has 5 columns"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("2025-05,total,china_exports,"))
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("2040-12,Dy,cost,") && r.ends_with(",$/kg"))
    );

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written"))
            .expect("valid JSON");
    assert_eq!(
        json["dates"].as_array().map(Vec::len),
        Some(results.steps())
    );
    assert!(json["headline"]["final_dependency"].is_number());
    assert!(json["series"]["NdPr"]["dependency"].is_array());
}

#[test]
fn run_set_overrides_levers_and_refuses_bad_values() {
    let file = scenario("pause-2025-11.ron");
    let base = lodestone(&["run", path_str(&file)]);
    let cut = lodestone(&[
        "run",
        path_str(&file),
        "--set",
        "quota_level=0.5",
        "--set",
        "NdPr.quota_share=0.8",
    ]);
    assert_eq!(cut.status.code(), Some(0), "{}", text(&cut.stderr));
    assert_ne!(
        text(&base.stdout),
        text(&cut.stdout),
        "the override changed the run"
    );
    // The market clears by price: the cut shows as a higher spot price, not as shortfall.
    let peak_spot = |o: &Output| {
        text(&o.stdout)
            .lines()
            .find(|l| l.contains("peak spot price"))
            .and_then(|l| {
                l.split_whitespace()
                    .nth(3)
                    .and_then(|v| v.parse::<f64>().ok())
            })
            .unwrap_or(f64::NAN)
    };
    assert!(
        peak_spot(&cut) > 1.5 * peak_spot(&base),
        "{} vs {}",
        peak_spot(&cut),
        peak_spot(&base)
    );

    let cases = [
        (
            "quota_level=2",
            "lodestone: --set quota_level: 2 (200 %) is out of range; allowed 0 to 1.5 (0 % to 150 % of pre-control exports)\n",
        ),
        (
            "quota_levl=0.5",
            "lodestone: --set unknown lever `quota_levl`; levers: quota_level,",
        ),
        (
            "Nd.quota_share=0.5",
            "lodestone: --set unknown material `Nd`; the scenario has NdPr, Dy, Tb, Other\n",
        ),
        (
            "capex=lots",
            "lodestone: --set capex: `lots` is not a number\n",
        ),
        (
            "capex",
            "lodestone: --set `capex` is not of the form lever=value",
        ),
        (
            "Dy.capex_share=0.5",
            "lodestone: after --set: materials: capex shares sum to 1.45",
        ),
    ];
    for (set, expected) in cases {
        let out = lodestone(&["run", path_str(&file), "--set", set]);
        assert_eq!(out.status.code(), Some(1), "{set}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(expected), "{set}: {stderr}");
        assert_eq!(text(&out.stdout), "", "{set}: nothing printed on failure");
    }
}

#[test]
fn run_writes_csv_to_stdout_for_pipes() {
    let file = scenario("baseline-2024.ron");
    let out = lodestone(&["run", path_str(&file), "--csv", "-"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "{}\n{CSV_HEADER}\n2024-01,NdPr,",
            lodestone::output::data::csv_stamp()
        )),
        "no table before the CSV"
    );
}

#[test]
fn run_fails_cleanly_on_a_bad_file_or_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("truncated.ron");
    std::fs::write(&bad, "(version: 2, levers: (capex: 2.0").expect("write");
    let out = lodestone(&["run", path_str(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with(&format!("{}:1:", bad.display())));

    let file = scenario("pause-2025-11.ron");
    let out = lodestone(&["run", path_str(&file), "--csv", path_str(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cannot write"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn diff_shows_headlines_deltas_and_differing_levers() {
    let a = scenario("fast-diversification.ron");
    let b = scenario("status-quo.ron");
    let out = lodestone(&["diff", path_str(&a), path_str(&b)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("A: Fast diversification"), "{stdout}");
    assert!(stdout.contains("B: Status quo dependence"), "{stdout}");
    let line = |start: &str| {
        stdout
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with(start))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("no `{start}` line:\n{stdout}"))
    };
    assert_eq!(
        line("diversification capex"),
        "diversification capex 15.00 $B 0.00 $B +15.00 $B"
    );
    assert!(line("final dependency").ends_with("pp"));
    assert!(line("extra cost of A over B").ends_with("$B"));
    // Inputs named and valued as the sliders show them, with the id `--set` takes.
    assert_eq!(
        line("Diversification capex"),
        "Diversification capex (capex) 3.00 $B/yr 0.00 $B/yr"
    );
    assert_eq!(
        line("Permitting delay"),
        "Permitting delay (permitting_delay) 2.00 years 5.00 years"
    );
    assert!(line("Policy event 3").contains("pause, quota 100 %, licensing"));
    assert!(line("Policy event 3").contains("rollback, quota 100 %, no licensing"));
    assert!(
        !stdout.contains("quota_level "),
        "unchanged levers are not listed"
    );

    let same = lodestone(&["diff", path_str(&a), path_str(&a)]);
    assert!(text(&same.stdout).contains("Inputs: identical"));

    let out = lodestone(&["diff", path_str(&a), "missing.ron"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("missing.ron: cannot read:"));
}

#[test]
fn usage_errors_exit_2() {
    let out = lodestone(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = lodestone(&["run"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Runs the binary with `args`, killing it if it has not finished within `limit`: a hang is a
/// failure, not a stuck test.
fn lodestone_within(args: &[&str], limit: std::time::Duration) -> Option<Output> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let started = std::time::Instant::now();
    loop {
        if child.try_wait().ok().flatten().is_some() {
            return child.wait_with_output().ok();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A named pipe given as a scenario, or named as a scenario's baseline, is refused at once
/// instead of blocking the read for ever.
#[test]
fn a_named_pipe_is_refused_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe.ron");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let limit = std::time::Duration::from_secs(20);
    let out = lodestone_within(&["run", path_str(&fifo)], limit).expect("run returns");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not a regular file"),
        "{}",
        text(&out.stderr)
    );
    let with_baseline = dir.path().join("with-baseline.ron");
    std::fs::write(
        &with_baseline,
        "(\n    version: 2,\n    meta: (name: \"x\"),\n    baseline: \"pipe.ron\",\n)\n",
    )
    .expect("writes");
    let out = lodestone_within(&["run", path_str(&with_baseline)], limit).expect("run returns");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not a regular file"),
        "{}",
        text(&out.stderr)
    );
}

/// A mistyped subcommand is a usage error (exit 2) naming the commands, not a file the
/// window fails to open.
#[test]
fn a_mistyped_subcommand_is_a_usage_error() {
    let out = lodestone_within(&["frobnicate"], std::time::Duration::from_secs(20))
        .expect("returns at once");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("frobnicate") && err.contains("validate"),
        "{err}"
    );
}

/// A baseline that names the file itself, or two files naming each other, is an error in
/// `validate` (the comparison would be meaningless), with the chain in the message.
#[test]
fn a_baseline_cycle_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, baseline: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("(\n    version: 2,\n    meta: (name: \"{name}\"),\n    baseline: \"{baseline}\",\n)\n"),
        )
        .expect("writes");
        path
    };
    let itself = write("self.ron", "self.ron");
    let a = write("a.ron", "b.ron");
    write("b.ron", "a.ron");
    for (file, chain) in [
        (&itself, "self.ron -> self.ron"),
        (&a, "a.ron -> b.ron -> a.ron"),
    ] {
        let out = lodestone(&["validate", path_str(file)]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(err.contains("baseline") && err.contains(chain), "{err}");
        assert!(err.contains(":4:"), "the baseline line is named: {err}");
    }
}
