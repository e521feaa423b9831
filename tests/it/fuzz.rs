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
        let bytes = damaged(seed, &mutations);
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
        let bytes = damaged(seed, &mutations);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fuzz.ron");
        std::fs::write(&path, &bytes).expect("write");
        let started = Instant::now();
        check(load_file(&path), started);
    }
}

/// Shipped seed `seed` (modulo their number) with `mutations` applied in turn.
fn damaged(seed: usize, mutations: &[Mutation]) -> Vec<u8> {
    let seeds = seeds_cached();
    let mut bytes = seeds[seed % seeds.len()].clone().into_bytes();
    for m in mutations {
        apply(&mut bytes, m);
    }
    bytes
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

/// A RON number literal's value: decimal, `0x`, `0o` or `0b`, with `_` separators.
fn number(literal: &str) -> Option<f64> {
    let digits = literal.replace('_', "");
    let (sign, body) = match digits.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, digits.strip_prefix('+').unwrap_or(&digits)),
    };
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = body.strip_prefix(prefix) {
            return u128::from_str_radix(rest, radix)
                .ok()
                .map(|v| sign * v as f64);
        }
    }
    body.parse::<f64>().ok().map(|v| sign * v)
}

/// The value ron finds at a locator path (`materials[2].quota_share`), if any.
fn ron_at<'a>(root: &'a ron::Value, path: &str) -> Option<&'a ron::Value> {
    let mut at = root;
    for part in path.split('.') {
        let (name, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            let ron::Value::Map(map) = at else {
                return None;
            };
            at = map.get(&ron::Value::String(name.to_string()))?;
        }
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            let n: usize = index.strip_suffix(']')?.parse().ok()?;
            at = match at {
                ron::Value::Seq(items) => items.get(n)?,
                // The locator counts entries of a map whose key is not a string (`{a: 1}`);
                // ron keeps them under whatever value the key reads as: no name to compare.
                ron::Value::Map(_) => return Some(&ron::Value::Unit),
                _ => return None,
            };
        }
        // `Some(x)` wraps what the locator sees as x.
        while let ron::Value::Option(Some(inner)) = at {
            at = inner;
        }
    }
    Some(at)
}

proptest! {
    #![proptest_config(config(1_500))]

    /// The locator against ron on damaged files: whenever ron still reads a mutated shipped
    /// scenario, every number, string and boolean the locator places at a path (one written
    /// once) is the value ron finds at that path. Lines dropped or repeated and numbers
    /// replaced move fields, lists and values; the two readers must agree on where each
    /// value is, or the loader's errors would name the wrong field.
    #[test]
    fn the_locator_and_ron_agree_on_every_value_of_a_damaged_file(
        seed in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        use lodestone::scenario::locate::Locator;
        let bytes = damaged(seed, &mutations);
        let text = String::from_utf8_lossy(&bytes);
        let Ok(value) = ron::Options::default().from_str::<ron::Value>(&text) else {
            return Ok(());
        };
        let locator = Locator::new(&text);
        // Nesting past the locator's depth is refused whole by the loader, before ron reads it.
        if locator.too_deep().is_some() {
            return Ok(());
        }
        let mut count = std::collections::HashMap::new();
        for e in locator.entries() {
            *count.entry(e.path.as_str()).or_insert(0) += 1;
        }
        for e in locator.entries() {
            let Some(scalar) = e.scalar.as_deref() else { continue };
            // Keys that are not plain names (a mutation can put brackets or dots in a quoted
            // map key) make a path ambiguous to walk.
            let plain = e.path.split('.').all(|part| {
                let (name, indices) = part.split_at(part.find('[').unwrap_or(part.len()));
                name.chars().all(|c| c.is_alphanumeric() || c == '_')
                    && indices
                        .split_terminator(']')
                        .all(|i| i.strip_prefix('[').is_some_and(|n| n.parse::<usize>().is_ok()))
            });
            if count[e.path.as_str()] != 1 || !plain {
                continue;
            }
            let found = ron_at(&value, &e.path);
            let agrees = match found {
                Some(ron::Value::Number(n)) => number(scalar)
                    .is_some_and(|x| x == n.into_f64() || (x.is_nan() && n.into_f64().is_nan())),
                Some(ron::Value::Bool(b)) => scalar == b.to_string(),
                // Plain strings only: escapes and raw strings are ron's to decode.
                Some(ron::Value::String(s)) if scalar.starts_with('"') && !scalar.contains('\\') => {
                    scalar.trim_matches('"') == s
                }
                // Enum variants, units, raw or escaped strings: not compared.
                Some(_) => true,
                None => false,
            };
            prop_assert!(
                agrees,
                "{} at {}:{}: the locator reads {scalar}, ron {found:?}",
                e.path, e.start.line, e.start.col
            );
        }
    }
}
