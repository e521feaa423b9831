//! The architecture, checked: every `crate::` and `super::` path in the sources of the three
//! crates is read, and an import that runs back up the layers (model <- scenario <- display <-
//! output <- app, cli <- ui) fails here, as does a cycle between the files of the model or of
//! the file format. Between crates the compiler checks the same; this test checks inside each
//! (the headless crate holds three layers, the app crate three). ARCHITECTURE.md explains the
//! layers; this test is what keeps them true.

// Tests and benches fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// What each top-level module may import from the crate (besides itself).
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("scenario", &["model"]),
    ("display", &["model", "scenario"]),
    ("output", &["model", "scenario", "display"]),
    ("app", &["model", "scenario", "display", "output"]),
    ("cli", &["model", "scenario", "display", "output", "app"]),
    ("ui", &["model", "scenario", "display", "output", "app"]),
];

/// Layers whose files must not import each other in a cycle.
const ACYCLIC: &[&str] = &["model", "scenario"];

/// One source file: its module path and its code without comments and test modules.
struct Source {
    module: Vec<String>,
    code: String,
}

/// Removes `//` and `/* */` comments (doc links may name any module) and string literals'
/// contents, then the trailing `#[cfg(test)] mod tests` (tests may reach anywhere).
fn code_of(text: &str) -> String {
    let cut = text.find("#[cfg(test)]\nmod ").unwrap_or(text.len());
    let text = &text[..cut];
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// The sources under `dir`, named as modules of the layered tree: `within` is the module the
/// crate root stands for (`model` for the model crate, whose `crate::x` is `crate::model::x`
/// seen from the layers above it; empty for the others).
fn sources_in(dir: &Path, root: &Path, within: &str, out: &mut Vec<Source>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources_in(&path, root, within, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).expect("under src");
            let mut module: Vec<String> = rel
                .with_extension("")
                .iter()
                .map(|c| c.to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|m| m == "mod" || (m == "lib" && !within.is_empty()))
            {
                module.pop();
            }
            let mut code = code_of(&fs::read_to_string(&path).expect("source is UTF-8"));
            if !within.is_empty() {
                module.insert(0, within.to_string());
                code = code.replace("crate::", &format!("crate::{within}::"));
            }
            out.push(Source { module, code });
        }
    }
}

fn ident_at(code: &str, at: usize) -> Option<&str> {
    let rest = &code[at..];
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// The module paths (first two segments, from the crate root) one file's code names.
fn imports(source: &Source) -> BTreeSet<Vec<String>> {
    let code = &source.code;
    let mut out = BTreeSet::new();
    // `crate::a::b` and `crate::{a::b, c::d}`.
    for (at, _) in code.match_indices("crate::") {
        let after = at + "crate::".len();
        if code[after..].starts_with('{') {
            let mut depth = 0;
            let mut item_start = true;
            let mut current: Vec<String> = Vec::new();
            for (i, c) in code[after..].char_indices() {
                match c {
                    '{' => {
                        depth += 1;
                        item_start = depth == 1;
                    }
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => item_start = true,
                    c if item_start && depth == 1 && (c.is_alphabetic() || c == '_') => {
                        item_start = false;
                        current.clear();
                        let first = ident_at(code, after + i).unwrap_or_default();
                        current.push(first.to_string());
                        let rest = &code[after + i + first.len()..];
                        if let Some(r) = rest.strip_prefix("::")
                            && let Some(second) = ident_at(r, 0)
                        {
                            current.push(second.to_string());
                        }
                        out.insert(current.clone());
                    }
                    _ => {}
                }
            }
        } else if let Some(first) = ident_at(code, after) {
            let mut path = vec![first.to_string()];
            let rest = &code[after + first.len()..];
            if let Some(r) = rest.strip_prefix("::")
                && let Some(second) = ident_at(r, 0)
            {
                path.push(second.to_string());
            }
            out.insert(path);
        }
    }
    // `super::x` from a file at `a::b` (or `a/b/mod.rs`) names `a::x`.
    for (at, _) in code.match_indices("super::") {
        let preceded = code[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if preceded || source.module.is_empty() {
            continue;
        }
        let mut path: Vec<String> = source.module[..source.module.len() - 1].to_vec();
        let after = at + "super::".len();
        if let Some(name) = ident_at(code, after)
            && name != "super"
        {
            path.push(name.to_string());
        }
        path.truncate(2);
        if !path.is_empty() {
            out.insert(path);
        }
    }
    out
}

/// Every import that runs against the layers, as `file: imports what`.
fn violations(sources: &[Source]) -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut out = Vec::new();
    for s in sources {
        let Some(layer) = s.module.first().map(String::as_str) else {
            continue;
        };
        let Some(may) = allowed.get(layer) else {
            // lib.rs and main.rs sit above every layer.
            if s.module.len() > 1 || !matches!(layer, "lib" | "main") {
                out.push(format!("{}: a top-level module outside the layers", layer));
            }
            continue;
        };
        for path in imports(s) {
            let target = path[0].as_str();
            if target != layer && allowed.contains_key(target) && !may.contains(&target) {
                out.push(format!(
                    "{}: imports {}",
                    s.module.join("::"),
                    path.join("::")
                ));
            }
        }
    }
    out
}

/// A cycle between the files of one layer, if any (as `a -> b -> a`).
fn cycle_in(sources: &[Source], layer: &str) -> Option<String> {
    let files: Vec<&Source> = sources
        .iter()
        .filter(|s| s.module.len() == 2 && s.module[0] == layer)
        .collect();
    let names: BTreeSet<&str> = files.iter().map(|s| s.module[1].as_str()).collect();
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for s in &files {
        let from = s.module[1].as_str();
        for path in imports(s) {
            if path[0] == layer
                && let Some(to) = path.get(1)
                && names.contains(to.as_str())
                && to != from
            {
                edges.entry(from).or_default().insert(to.clone());
            }
        }
    }
    fn visit<'a>(
        node: &'a str,
        edges: &'a BTreeMap<&str, BTreeSet<String>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(i) = stack.iter().position(|n| *n == node) {
            let mut cycle: Vec<&str> = stack[i..].to_vec();
            cycle.push(node);
            return Some(cycle.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    for n in &names {
        if let Some(c) = visit(n, &edges, &mut Vec::new(), &mut done) {
            return Some(format!("{layer}: {c}"));
        }
    }
    None
}

fn crate_sources() -> Vec<Source> {
    let top = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (dir, within) in [
        ("crates/lodestone-model/src", "model"),
        ("crates/lodestone-headless/src", ""),
        ("src", ""),
    ] {
        let root = top.join(dir);
        sources_in(&root, &root, within, &mut out);
    }
    out
}

fn source(module: &str, code: &str) -> Source {
    Source {
        module: module.split("::").map(str::to_string).collect(),
        code: code_of(code),
    }
}

#[test]
fn imports_only_run_down_the_layers() {
    let sources = crate_sources();
    assert!(sources.len() > 40, "found the sources");
    for layer in ["model", "scenario", "display", "output", "app", "cli", "ui"] {
        assert!(
            sources
                .iter()
                .any(|s| s.module.len() > 1 && s.module[0] == layer),
            "found the files of {layer}"
        );
    }
    let bad = violations(&sources);
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn model_and_file_format_have_no_cycles() {
    let sources = crate_sources();
    for layer in ACYCLIC {
        assert_eq!(cycle_in(&sources, layer), None);
    }
}

#[test]
fn the_checker_sees_upward_imports_in_every_form() {
    let bad = [
        source("model::engine", "use crate::scenario::Document;"),
        source("app::view", "use crate::{model::Scenario, ui::theme};"),
        source("output::figure", "fn f() { crate::app::AppState::new(); }"),
    ];
    assert_eq!(
        violations(&bad),
        vec![
            "model::engine: imports scenario::Document",
            "app::view: imports ui::theme",
            "output::figure: imports app::AppState",
        ]
    );
    let fine = [
        source(
            "ui::charts",
            "use crate::app::view::ViewState; // crate::cli::x",
        ),
        source("app::view", "/// See [`crate::ui::charts`].\nfn f() {}"),
        source(
            "app::view",
            "fn f() {}\n#[cfg(test)]\nmod tests { use crate::ui::x; }",
        ),
    ];
    assert!(violations(&fine).is_empty(), "{:?}", violations(&fine));
}

#[test]
fn the_checker_sees_cycles_through_super() {
    let files = [
        source("model::params", "use super::uncertainty::Uncertainty;"),
        source("model::uncertainty", "use super::params::Scenario;"),
        source("model::time", "use super::params::Scenario;"),
    ];
    assert_eq!(
        cycle_in(&files, "model"),
        Some("model: params -> uncertainty -> params".to_string())
    );
    assert_eq!(cycle_in(&files[1..], "model"), None);
}

/// Names by which code reaches the window's background services (their modules' data types,
/// such as the bands or an answer to the restore offer, are for anyone).
const SERVICE_NAMES: &[&str] = &[
    "services",
    "Services",
    "Io",
    "Analysis",
    "Recovery",
    "Watch",
    "GoalJobs",
    "LatestJob",
];

/// The panels in `ui` files among `sources` that name a background service.
fn ui_reaching_services(sources: &[Source]) -> Vec<String> {
    sources
        .iter()
        .filter(|s| s.module.first().is_some_and(|m| m == "ui"))
        .flat_map(|s| {
            SERVICE_NAMES
                .iter()
                .filter(|name| {
                    s.code.match_indices(**name).any(|(at, _)| {
                        let before = s.code[..at].chars().next_back();
                        let after = s.code[at + name.len()..].chars().next();
                        let ident =
                            |c: Option<char>| c.is_some_and(|c| c == '_' || c.is_alphanumeric());
                        // `Command::Recovery` is the answer to the offer, not the service.
                        let command = s.code[..at].ends_with("Command::");
                        !ident(before) && !ident(after) && !command
                    })
                })
                .map(move |name| format!("{} names {name}", s.module.join("::")))
        })
        .collect()
}

#[test]
fn panels_read_what_the_state_publishes_not_its_services() {
    let bad = ui_reaching_services(&crate_sources());
    assert!(
        bad.is_empty(),
        "ui reaches a background service:\n{}",
        bad.join("\n")
    );
    // The check itself sees both forms.
    assert_eq!(
        ui_reaching_services(&[
            source(
                "ui::bands",
                "fn f(s: &AppState) { s.services().analysis(); }"
            ),
            source("ui::x", "fn f(r: &crate::app::recovery::Recovery) {}"),
            source(
                "ui::y",
                "use crate::app::recovery::{Recovered, RecoveryChoice};"
            ),
            source(
                "ui::ok",
                "fn f(s: &AppState) { s.bands(); my_services_count(); }"
            ),
        ])
        .len(),
        2
    );
}
