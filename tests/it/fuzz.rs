//! Bounded fuzzing of the scenario loader and validator with proptest: arbitrary bytes, and the
//! shipped scenarios mutated the ways real files break (flipped bytes, truncation, repeated or
//! dropped lines, huge numbers, NaN and infinity literals, deep nesting). Every input must
//! either load (and then simulate) or fail with at least one diagnostic that has a line; none
//! may panic or take long.
//!
//! Case counts default to a few thousand (a few seconds in release); set
//! `LODESTONE_FUZZ_CASES` to run longer, e.g. in a nightly job.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lodestone::model::simulate;
use lodestone::scenario::{LoadError, load_file, load_str};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::path::Path;
use std::time::{Duration, Instant};

/// The slowest any one input may take to load, validate and simulate.
const MAX_CASE_TIME: Duration = Duration::from_secs(2);

fn cases(default: u32) -> u32 {
    std::env::var("LODESTONE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default_cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    }
}

/// The shipped scenarios, the seeds every mutation starts from.
fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    let mut texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read seed"))
        .collect();
    // A version-1 file too, so the migration path is mutated as well.
    texts.push(
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v1.ron"))
            .expect("v1 seed"),
    );
    texts
}

/// Checks the contract for one outcome.
fn check(outcome: Result<lodestone::scenario::Loaded, LoadError>, started: Instant) {
    match outcome {
        Ok(loaded) => {
            // Whatever the validator lets through, the model must run without panicking.
            let results = simulate(&loaded.document.scenario);
            assert!(results.dates.len() <= 1200 + 1);
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "a failure without a diagnostic");
            // Every problem has a line, except a file refused whole for its size (mutations can
            // grow a file past the 1 MiB limit): that one is about the file, not a place in it.
            let too_large = e
                .diagnostics
                .iter()
                .all(|d| d.message.contains("larger than"));
            assert!(
                too_large || e.diagnostics.iter().any(|d| d.line >= 1),
                "no diagnostic has a line: {e}"
            );
        }
    }
    let took = started.elapsed();
    assert!(took < MAX_CASE_TIME, "one input took {took:?}");
}

/// One way a file gets damaged.
#[derive(Clone, Debug)]
enum Mutation {
    FlipByte { at: usize, mask: u8 },
    Truncate { at: usize },
    DuplicateLine { line: usize, times: usize },
    DropLine { line: usize },
    ReplaceNumber { nth: usize, with: &'static str },
    Nest { at: usize, depth: usize, open: char },
    Insert { at: usize, bytes: Vec<u8> },
}

const WEIRD_NUMBERS: &[&str] = &[
    "NaN",
    "inf",
    "-inf",
    "+inf",
    "1e400",
    "-1e400",
    "1e-400",
    "-0.0",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "0x7fffffffffffffff",
    "1.7976931348623157e308",
    "4.9e-324",
    "0",
    "-1",
    "1_000_000_000_000",
    "\"12\"",
    "()",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, mask)| Mutation::FlipByte { at, mask }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1..50usize)
            .prop_map(|(line, times)| Mutation::DuplicateLine { line, times }),
        any::<usize>().prop_map(|line| Mutation::DropLine { line }),
        (any::<usize>(), prop::sample::select(WEIRD_NUMBERS))
            .prop_map(|(nth, with)| Mutation::ReplaceNumber { nth, with }),
        (
            any::<usize>(),
            prop_oneof![Just(10usize), Just(100), Just(10_000), Just(200_000)],
            prop::sample::select(vec!['(', '[', '{'])
        )
            .prop_map(|(at, depth, open)| Mutation::Nest { at, depth, open }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

/// Byte index at a char boundary near `at` (mod the length).
fn boundary(text: &str, at: usize) -> usize {
    if text.is_empty() {
        return 0;
    }
    let mut i = at % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    match m {
        Mutation::FlipByte { at, mask } => {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] ^= mask;
            }
        }
        Mutation::Truncate { at } => bytes.truncate(at % (bytes.len() + 1)),
        Mutation::DuplicateLine { line, times } => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                let copy = lines[i];
                for _ in 0..*times {
                    lines.insert(i, copy);
                }
            }
            *bytes = lines.concat().into_bytes();
        }
        Mutation::DropLine { line } => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if !lines.is_empty() {
                lines.remove(line % lines.len());
            }
            *bytes = lines.concat().into_bytes();
        }
        Mutation::ReplaceNumber { nth, with } => {
            // Numbers start with a digit after a space, a colon, a bracket or a comma.
            let starts: Vec<usize> = text
                .char_indices()
                .filter(|&(i, c)| {
                    c.is_ascii_digit()
                        && text[..i]
                            .chars()
                            .last()
                            .is_some_and(|p| matches!(p, ' ' | ':' | '(' | '[' | ',' | '-'))
                })
                .map(|(i, _)| i)
                .collect();
            if !starts.is_empty() {
                let start = starts[nth % starts.len()];
                let end = text[start..]
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
                    })
                    .map_or(text.len(), |n| start + n);
                *bytes = format!("{}{with}{}", &text[..start], &text[end..]).into_bytes();
            }
        }
        Mutation::Nest { at, depth, open } => {
            let i = boundary(&text, *at);
            let close = match open {
                '(' => ')',
                '[' => ']',
                _ => '}',
            };
            let opens: String = std::iter::repeat_n(*open, *depth).collect();
            let closes: String = std::iter::repeat_n(close, *depth).collect();
            *bytes = format!("{}{opens}1{closes}{}", &text[..i], &text[i..]).into_bytes();
        }
        Mutation::Insert { at, bytes: extra } => {
            let i = at % (bytes.len() + 1);
            bytes.splice(i..i, extra.iter().copied());
        }
    }
}

proptest! {
    #![proptest_config(config(2_000))]

    /// Arbitrary bytes, read as text the way `load_file` would refuse or read them.
    #[test]
    fn arbitrary_text_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let started = Instant::now();
        check(load_str(&text, "fuzz.ron"), started);
    }

    /// Arbitrary text built from the characters RON is made of, which gets much further into
    /// the parser than random bytes do.
    #[test]
    fn ron_like_text_never_panics(text in "[(){}\\[\\]:,\" a-z0-9._\\-\n]{0,400}") {
        let started = Instant::now();
        check(load_str(&text, "fuzz.ron"), started);
    }
}

proptest! {
    #![proptest_config(config(3_000))]

    /// Shipped scenarios with one to four mutations applied.
    #[test]
    fn mutated_scenarios_never_panic(
        seed in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let seeds = seeds_cached();
        let mut bytes = seeds[seed % seeds.len()].clone().into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let text = String::from_utf8_lossy(&bytes);
        let started = Instant::now();
        check(load_str(&text, "fuzz.ron"), started);
    }
}

proptest! {
    #![proptest_config(config(300))]

    /// Raw bytes through `load_file`, which also checks size and UTF-8 before parsing.
    #[test]
    fn mutated_files_never_panic(
        seed in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let seeds = seeds_cached();
        let mut bytes = seeds[seed % seeds.len()].clone().into_bytes();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fuzz.ron");
        std::fs::write(&path, &bytes).expect("write");
        let started = Instant::now();
        check(load_file(&path), started);
    }
}

fn seeds_cached() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(seeds)
}

/// The unmodified seeds load (otherwise the mutations test nothing but the first error).
#[test]
fn seeds_load() {
    for (i, text) in seeds().iter().enumerate() {
        if let Err(e) = load_str(text, "seed.ron") {
            panic!("seed {i} does not load: {e}");
        }
    }
}
