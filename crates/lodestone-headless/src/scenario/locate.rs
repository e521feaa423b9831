//! Where a field path sits in RON text: a small tokenizer and structure scanner that maps
//! `materials[2].quota_share` to a line and column, and a position back to the innermost path.
//!
//! ron reports positions only for syntax and type errors; semantic checks (ranges, sums,
//! references) know the field path but not where it was written. This module is the bridge.
//! It is not a parser: it never decides whether a file is valid, it tolerates truncated and
//! malformed input (scanning what it can), and it never panics. Nesting deeper than
//! [`MAX_DEPTH`] is skipped without recursion and reported through [`Locator::too_deep`].

use std::collections::HashMap;
use unicode_ident::{is_xid_continue, is_xid_start};

/// Deepest nesting of `(`, `[` and `{` the scanner descends into. Scenario files need five.
pub const MAX_DEPTH: usize = 64;

/// A 1-based line and column (columns count characters, as ron does).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub col: usize,
}

/// One located value: a struct field (`key` true, `start` at its name) or a list element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Field path, e.g. `events[0].date`.
    pub path: String,
    /// Start of the field name (fields) or of the value (list elements).
    pub start: Pos,
    /// End of the value (just after its last character).
    pub end: Pos,
    /// True for `name: value` fields (and `"name": value` map entries), false for list and
    /// tuple elements.
    pub key: bool,
    /// The raw text of the value when it is a single token (`2`, `true`, `"2025-04"`).
    pub scalar: Option<String>,
}

/// Every field and element of a RON text with its position.
#[derive(Clone, Debug, Default)]
pub struct Locator {
    entries: Vec<Entry>,
    /// First entry of each path, so lookups stay fast on large files.
    index: HashMap<String, usize>,
    too_deep: Option<Pos>,
    top: Option<char>,
}

impl Locator {
    /// Scans `text`. Never fails: malformed input yields whatever structure could be read.
    pub fn new(text: &str) -> Self {
        let tokens = lex(text);
        let mut scanner = Scanner {
            tokens: &tokens,
            i: 0,
            entries: Vec::new(),
            too_deep: None,
        };
        let top = scanner.document();
        let mut index = HashMap::with_capacity(scanner.entries.len());
        for (i, e) in scanner.entries.iter().enumerate() {
            index.entry(e.path.clone()).or_insert(i);
        }
        Locator {
            index,
            entries: scanner.entries,
            too_deep: scanner.too_deep,
            top,
        }
    }

    /// Every located field and element, in text order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The bracket that opens the top-level value: `(` for a struct, `{` for a map.
    pub fn top(&self) -> Option<char> {
        self.top
    }

    /// The raw text of a single-token value at `path` (e.g. `2` for `version: 2`).
    pub fn scalar(&self, path: &str) -> Option<&str> {
        self.index
            .get(path)
            .and_then(|&i| self.entries[i].scalar.as_deref())
    }

    /// Where nesting first went deeper than [`MAX_DEPTH`], if it did.
    pub fn too_deep(&self) -> Option<Pos> {
        self.too_deep
    }

    /// The exact position of `path`, if the text contains it.
    pub fn position(&self, path: &str) -> Option<Pos> {
        self.index.get(path).map(|&i| self.entries[i].start)
    }

    /// The position of `path`, or of its nearest enclosing path that the text contains
    /// (a field left to its default points at the section it would belong to), or 1:1.
    pub fn locate(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.position(p) {
                return pos;
            }
            match parent(p) {
                Some(up) => p = up,
                None => return Pos { line: 1, col: 1 },
            }
        }
    }

    /// The innermost path whose text span contains `pos` (empty when none does).
    pub fn path_at(&self, pos: Pos) -> &str {
        self.entries
            .iter()
            .filter(|e| e.start <= pos && pos <= e.end)
            .max_by(|a, b| a.start.cmp(&b.start).then(a.path.len().cmp(&b.path.len())))
            .map(|e| e.path.as_str())
            .unwrap_or("")
    }
}

/// `a.b[2].c` -> `a.b[2]` -> `a.b` -> `a` -> None.
pub fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    match path.rfind(['.', '[']) {
        Some(i) => Some(&path[..i]),
        None => Some(""),
    }
    .filter(|p| !p.is_empty())
}

/// Replaces every list index with `[]`: `materials[2].id` -> `materials[].id`.
pub fn generic(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Open(char),
    Close(char),
    Comma,
    Colon,
    Ident(String),
    /// Strings, numbers, chars and anything else that is one value or none, with its text.
    Scalar(String),
    Hash,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    start: Pos,
    end: Pos,
}

/// Splits RON text into tokens, skipping whitespace and (nested) comments.
fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut col = 1;
    // Advances over chars[i..j], keeping line and column.
    let advance = |from: usize, to: usize, line: &mut usize, col: &mut usize| {
        for &c in &chars[from..to.min(chars.len())] {
            if c == '\n' {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let start = Pos { line, col };
        let (j, tok) = if c.is_whitespace() {
            (i + 1, None)
        } else if c == '/' && next == Some('/') {
            let mut j = i;
            while j < chars.len() && chars[j] != '\n' {
                j += 1;
            }
            (j, None)
        } else if c == '/' && next == Some('*') {
            // RON block comments nest.
            let mut j = i + 2;
            let mut depth = 1;
            while j < chars.len() && depth > 0 {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            (j, None)
        } else if c == '"' || (c == 'b' && next == Some('"')) {
            let mut j = if c == 'b' { i + 2 } else { i + 1 };
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            (j + 1, Some(Tok::Scalar(String::new())))
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && raw_string_hashes(&chars, if c == 'b' { i + 2 } else { i + 1 }).is_some()
        {
            let open = if c == 'b' { i + 2 } else { i + 1 };
            let hashes = raw_string_hashes(&chars, open).unwrap_or(0);
            let mut j = open + hashes + 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) {
                    j += hashes + 1;
                    break;
                }
                j += 1;
            }
            (j, Some(Tok::Scalar(String::new())))
        } else if c == '\'' {
            let mut j = i + 1;
            if chars.get(j) == Some(&'\\') {
                j += 2;
            } else {
                j += 1;
            }
            while j < chars.len() && chars[j] != '\'' && chars[j] != '\n' {
                j += 1;
            }
            (j + 1, Some(Tok::Scalar(String::new())))
        } else if c == '_' || is_xid_start(c) {
            // Identifiers as ron reads them: XID characters, and in a raw identifier `r#a.b`
            // also `.`, `+` and `-`.
            let mut j = i;
            let raw = c == 'r' && next == Some('#');
            if raw {
                j += 2;
            }
            let word_start = j;
            while j < chars.len()
                && (is_xid_continue(chars[j]) || (raw && matches!(chars[j], '.' | '+' | '-')))
            {
                j += 1;
            }
            let word: String = chars[word_start..j].iter().collect();
            (j, Some(Tok::Ident(word)))
        } else if c.is_ascii_digit()
            || ((c == '-' || c == '+' || c == '.')
                && next.is_some_and(|n| n.is_ascii_digit() || n == '.'))
        {
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j];
                let exp_sign = (d == '-' || d == '+')
                    && matches!(chars[j - 1], 'e' | 'E')
                    && !is_hex(&chars[i..j]);
                if d.is_alphanumeric() || d == '_' || d == '.' || exp_sign {
                    j += 1;
                } else {
                    break;
                }
            }
            (j, Some(Tok::Scalar(String::new())))
        } else {
            let tok = match c {
                '(' | '[' | '{' => Tok::Open(c),
                ')' | ']' | '}' => Tok::Close(c),
                ',' => Tok::Comma,
                ':' => Tok::Colon,
                '#' => Tok::Hash,
                _ => Tok::Scalar(String::new()),
            };
            (i + 1, Some(tok))
        };
        let j = j.clamp(i + 1, chars.len());
        advance(i, j, &mut line, &mut col);
        if let Some(mut tok) = tok {
            if let Tok::Scalar(text) = &mut tok {
                // Keep the text of short values (versions) and of every key, however long
                // (a map key names its field); other long strings are not needed.
                if j - i <= 256 || chars[j..].iter().find(|c| !c.is_whitespace()) == Some(&':') {
                    *text = chars[i..j].iter().collect();
                }
            }
            tokens.push(Token {
                tok,
                start,
                end: Pos { line, col },
            });
        }
        i = j;
    }
    tokens
}

/// The name a quoted map key gives its field: `"name"` or a raw string `r#"name"#`.
fn string_key(text: &str) -> Option<String> {
    let hashes = text
        .strip_prefix('r')
        .map_or(0, |rest| rest.len() - rest.trim_start_matches('#').len());
    let inner = if text.starts_with('r') {
        text.get(1 + hashes..text.len().checked_sub(hashes)?)?
    } else {
        text
    };
    let name = inner.strip_prefix('"')?.strip_suffix('"')?;
    Some(name.to_string())
}

fn is_hex(number: &[char]) -> bool {
    number.iter().any(|&c| c == 'x' || c == 'X')
}

/// For `r##"`, the number of `#` (here 2) when `chars[at..]` opens a raw string.
fn raw_string_hashes(chars: &[char], at: usize) -> Option<usize> {
    let mut n = 0;
    while chars.get(at + n) == Some(&'#') {
        n += 1;
    }
    (chars.get(at + n) == Some(&'"')).then_some(n)
}

struct Scanner<'t> {
    tokens: &'t [Token],
    i: usize,
    entries: Vec<Entry>,
    too_deep: Option<Pos>,
}

impl Scanner<'_> {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.tokens.get(self.i + k).map(|t| &t.tok)
    }

    fn last_end(&self) -> Pos {
        self.i
            .checked_sub(1)
            .and_then(|k| self.tokens.get(k))
            .map(|t| t.end)
            .unwrap_or(Pos { line: 1, col: 1 })
    }

    /// Scans the whole text; returns the bracket that opens the top-level value.
    fn document(&mut self) -> Option<char> {
        // `#![enable(...)]` attributes come before the value.
        while self.peek(0) == Some(&Tok::Hash) {
            self.i += 1;
            if matches!(self.peek(0), Some(Tok::Scalar(_))) {
                self.i += 1; // the `!`
            }
            if matches!(self.peek(0), Some(Tok::Open(_))) {
                self.skip_group();
            }
        }
        let top = match (self.peek(0), self.peek(1)) {
            (Some(Tok::Open(c)), _) | (Some(Tok::Ident(_)), Some(Tok::Open(c))) => Some(*c),
            _ => None,
        };
        self.value("", 0);
        top
    }

    /// Scans one value at `path`, recording the entries inside it; returns the value's text
    /// when it is a single token.
    fn value(&mut self, path: &str, depth: usize) -> Option<String> {
        match self.peek(0).cloned() {
            Some(Tok::Ident(name)) => {
                self.i += 1;
                if matches!(self.peek(0), Some(Tok::Open('('))) {
                    // `Some(x)` is transparent: its content has the option's path.
                    self.group(path, depth, name == "Some");
                    None
                } else {
                    Some(name)
                }
            }
            Some(Tok::Open(_)) => {
                self.group(path, depth, false);
                None
            }
            Some(Tok::Scalar(text)) => {
                self.i += 1;
                // `-inf`, `-NaN`: a sign followed by a word is one value.
                if let Some(Tok::Ident(word)) = self.peek(0).cloned() {
                    self.i += 1;
                    return Some(format!("{text}{word}"));
                }
                Some(text)
            }
            _ => None,
        }
    }

    /// Scans a bracketed group; the current token is its opening bracket.
    fn group(&mut self, path: &str, depth: usize, transparent: bool) {
        let open = match self.tokens.get(self.i) {
            Some(t) => t.clone(),
            None => return,
        };
        if depth >= MAX_DEPTH {
            self.too_deep.get_or_insert(open.start);
            self.skip_group();
            return;
        }
        self.i += 1;
        let mut index = 0usize;
        loop {
            let Some(tok) = self.peek(0).cloned() else {
                return;
            };
            // A field: `name: value` in a struct, `"name": value` in a map.
            let field_name = match (&open.tok, &tok, self.peek(1)) {
                (Tok::Open('('), Tok::Ident(name), Some(Tok::Colon)) => Some(name.clone()),
                (Tok::Open('{'), Tok::Scalar(text), Some(Tok::Colon)) => string_key(text),
                _ => None,
            };
            match tok {
                Tok::Close(_) => {
                    self.i += 1;
                    return;
                }
                Tok::Comma => {
                    self.i += 1;
                    continue;
                }
                _ if field_name.is_some() => {
                    let name = field_name.unwrap_or_default();
                    let start = self.tokens[self.i].start;
                    self.i += 2;
                    let child = if path.is_empty() {
                        name
                    } else {
                        format!("{path}.{name}")
                    };
                    let scalar = self.value(&child, depth + 1);
                    let end = self.last_end();
                    self.entries.push(Entry {
                        path: child,
                        start,
                        end,
                        key: true,
                        scalar,
                    });
                }
                _ => {
                    let start = self.tokens[self.i].start;
                    let child = if transparent {
                        path.to_string()
                    } else {
                        format!("{path}[{index}]")
                    };
                    let before = self.i;
                    let mut scalar = self.value(&child, depth + 1);
                    if open.tok == Tok::Open('{') && self.peek(0) == Some(&Tok::Colon) {
                        // A map entry with a non-string key: locate it by its index.
                        self.i += 1;
                        scalar = self.value(&child, depth + 1);
                    }
                    if self.i == before {
                        // Something that is not a value (a stray `:` or `#`): step over it.
                        self.i += 1;
                        continue;
                    }
                    if !transparent {
                        let end = self.last_end();
                        self.entries.push(Entry {
                            path: child,
                            start,
                            end,
                            key: false,
                            scalar,
                        });
                    }
                    index += 1;
                }
            }
        }
    }

    /// Steps over a balanced bracket group without recursion.
    fn skip_group(&mut self) {
        let mut depth = 0usize;
        while let Some(tok) = self.peek(0) {
            match tok {
                Tok::Open(_) => depth += 1,
                Tok::Close(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.i += 1;
            if depth == 0 {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_name_ends_where_ron_ends_it() {
        // A combining mark continues an identifier, as in ron.
        let l = Locator::new("(a\u{300}b: 1, c: 2)");
        assert_eq!(l.scalar("a\u{300}b"), Some("1"));
        assert_eq!(l.scalar("c"), Some("2"));
    }

    #[test]
    fn a_raw_string_key_names_its_field() {
        let l = Locator::new("{\"a\": 1, r\"b\": 2, r#\"c\"#: 3}");
        assert_eq!(l.scalar("a"), Some("1"));
        assert_eq!(l.scalar("b"), Some("2"));
        assert_eq!(l.scalar("c"), Some("3"));
        // Unterminated, ending in a multi-byte character: no key, no panic.
        let l = Locator::new("{r#\"\u{e9}: 1}");
        assert_eq!(l.scalar("\u{e9}"), None);
    }

    #[test]
    fn a_long_map_key_still_names_its_field() {
        let key = "k".repeat(300);
        let text = format!("{{\n  \"{key}\": 1,\n  \"b\": 2,\n}}");
        let l = Locator::new(&text);
        assert_eq!(l.position(&key), Some(Pos { line: 2, col: 3 }));
        assert_eq!(l.position("b"), Some(Pos { line: 3, col: 3 }));
    }

    const TEXT: &str = r#"// a comment with ( and [
(
    version: 2,
    meta: (name: "a, (b)", tags: ["x", "y"]),
    /* nested /* block */ comment */
    materials: [
        (id: "NdPr", quota_share: 0.5),
        (id: "Dy"),
    ],
    baseline: Some("base.ron"),
    x: -inf,
)"#;

    #[test]
    fn finds_fields_and_elements() {
        let l = Locator::new(TEXT);
        assert_eq!(l.position("version"), Some(Pos { line: 3, col: 5 }));
        assert_eq!(l.position("meta.name"), Some(Pos { line: 4, col: 12 }));
        assert_eq!(l.position("meta.tags[1]"), Some(Pos { line: 4, col: 40 }));
        assert_eq!(l.position("materials[0]"), Some(Pos { line: 7, col: 9 }));
        assert_eq!(
            l.position("materials[0].quota_share"),
            Some(Pos { line: 7, col: 22 })
        );
        assert_eq!(
            l.position("materials[1].id"),
            Some(Pos { line: 8, col: 10 })
        );
        assert_eq!(l.position("baseline"), Some(Pos { line: 10, col: 5 }));
        assert_eq!(l.position("x"), Some(Pos { line: 11, col: 5 }));
        assert!(l.too_deep().is_none());
    }

    #[test]
    fn falls_back_to_the_enclosing_path() {
        let l = Locator::new(TEXT);
        assert_eq!(l.locate("materials[1].demand"), Pos { line: 8, col: 9 });
        assert_eq!(l.locate("levers.capex"), Pos { line: 1, col: 1 });
    }

    #[test]
    fn maps_positions_back_to_paths() {
        let l = Locator::new(TEXT);
        assert_eq!(
            l.path_at(Pos { line: 7, col: 36 }),
            "materials[0].quota_share"
        );
        assert_eq!(l.path_at(Pos { line: 8, col: 9 }), "materials[1]");
        assert_eq!(l.path_at(Pos { line: 1, col: 3 }), "");
    }

    #[test]
    fn survives_malformed_and_deep_input() {
        for text in [
            "",
            "(",
            "((((",
            "(a: [1, 2",
            "\"unterminated",
            "r#\"x",
            "'",
            "(a: b: c)",
        ] {
            let _ = Locator::new(text);
        }
        let deep = "[".repeat(10_000);
        let l = Locator::new(&deep);
        assert_eq!(l.too_deep(), Some(Pos { line: 1, col: 65 }));
    }

    #[test]
    fn reads_map_keys_scalars_and_the_top_bracket() {
        let l = Locator::new("{\n  \"version\": 1,\n  \"scenario\": (levers: (capex: -inf)),\n}");
        assert_eq!(l.top(), Some('{'));
        assert_eq!(l.scalar("version"), Some("1"));
        assert_eq!(
            l.position("scenario.levers.capex"),
            Some(Pos { line: 3, col: 25 })
        );
        assert_eq!(l.scalar("scenario.levers.capex"), Some("-inf"));
        assert_eq!(Locator::new("Scenario(a: \"x\")").top(), Some('('));
        assert_eq!(Locator::new("(a: \"x\")").scalar("a"), Some("\"x\""));
    }

    #[test]
    fn paths_have_parents_and_generic_forms() {
        assert_eq!(parent("a.b[2].c"), Some("a.b[2]"));
        assert_eq!(parent("a.b[2]"), Some("a.b"));
        assert_eq!(parent("a"), None);
        assert_eq!(generic("materials[12].x[3]"), "materials[].x[]");
    }
}
