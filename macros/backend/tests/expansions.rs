//! A snapshot of what the macros generate, for refactoring the backend without changing its
//! output: every corpus case, and every `py!`, `wrap!`, `#[derive(Class)]` and
//! `#[pycall::methods]` written in the repository's tests, UI tests, examples and benchmarks,
//! expanded and written to one file. Run it before and after a change and compare the files:
//!
//! ```text
//! PYCALL_EXPANSIONS=/tmp/before.txt cargo test -p pycall-backend --test expansions -- --ignored
//! ```
//!
//! It is ignored by default: it asserts nothing but that every input expands without panicking.

mod common;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// One input: where it was found, and the macro that takes it.
struct Input {
    label: String,
    kind: Kind,
}

enum Kind {
    Py(TokenStream),
    Wrap(TokenStream),
    Class(TokenStream),
    Methods(TokenStream, TokenStream),
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.rs` files under `dir`, sorted, subfolders included.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_ident(tree: Option<&TokenTree>, text: &str) -> bool {
    matches!(tree, Some(TokenTree::Ident(i)) if i == text)
}

fn is_punct(tree: Option<&TokenTree>, ch: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

/// The tokens of an attribute's brackets, if `trees[i..]` starts with `# [ … ]`.
fn attribute(trees: &[TokenTree], i: usize) -> Option<TokenStream> {
    if !is_punct(trees.get(i), '#') {
        return None;
    }
    match trees.get(i + 1) {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => Some(g.stream()),
        _ => None,
    }
}

/// From `trees[start..]`: the item after the attributes, up to its first `{ … }` or `;`.
fn item_end(trees: &[TokenTree], start: usize) -> usize {
    let mut j = start;
    while j < trees.len() {
        match &trees[j] {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return j + 1,
            TokenTree::Punct(p) if p.as_char() == ';' => return j + 1,
            _ => j += 1,
        }
    }
    j
}

/// Finds the macro inputs in a token stream, recursively; `first` is where the file's inputs
/// start in `out` (each is numbered within its file, so that a new file shifts no label).
fn scan(stream: TokenStream, label: &str, first: usize, out: &mut Vec<Input>) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        if let TokenTree::Group(g) = &trees[i] {
            scan(g.stream(), label, first, out);
        }
        for (name, is_py) in [("py", true), ("wrap", false)] {
            if is_ident(trees.get(i), name)
                && is_punct(trees.get(i + 1), '!')
                && let Some(TokenTree::Group(g)) = trees.get(i + 2)
            {
                let n = out.len() - first;
                let label = format!("{label} #{n}");
                let kind = if is_py {
                    Kind::Py(g.stream())
                } else {
                    Kind::Wrap(g.stream())
                };
                out.push(Input { label, kind });
            }
        }
        if let Some(attr) = attribute(&trees, i) {
            let text = attr.to_string();
            let words: Vec<String> = attr.clone().into_iter().map(|t| t.to_string()).collect();
            let is_class = words.first().is_some_and(|w| w == "derive")
                && text.contains("Class")
                && !text.contains("pyclass");
            let is_methods = matches!(
                words.as_slice(),
                [m] | [m, _] if m == "methods"
            ) || text.starts_with("pycall :: methods");
            if is_class || is_methods {
                // The attributes before this one belong to the item too.
                let mut start = i;
                while start >= 2 && attribute(&trees, start - 2).is_some() {
                    start -= 2;
                }
                let end = item_end(&trees, i + 2);
                let n = out.len() - first;
                let label = format!("{label} #{n}");
                if is_class {
                    let item: TokenStream = trees[start..i]
                        .iter()
                        .chain(&trees[i + 2..end])
                        .cloned()
                        .collect();
                    out.push(Input {
                        label,
                        kind: Kind::Class(item),
                    });
                } else {
                    let args = match attr.into_iter().last() {
                        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                            g.stream()
                        }
                        _ => TokenStream::new(),
                    };
                    let item: TokenStream = trees[start..i]
                        .iter()
                        .chain(&trees[i + 2..end])
                        .cloned()
                        .collect();
                    out.push(Input {
                        label,
                        kind: Kind::Methods(args, item),
                    });
                }
            }
        }
        i += 1;
    }
}

fn inputs() -> Vec<Input> {
    let mut out = Vec::new();
    for file in ["expressions.rs", "statements.rs"] {
        for (source, tokens) in common::corpus(file) {
            out.push(Input {
                label: format!("corpus {file}: {}", source.escape_debug()),
                kind: Kind::Py(tokens),
            });
        }
    }
    let root = repository();
    let mut files = Vec::new();
    for dir in ["tests", "examples", "benches", "src"] {
        rust_files(&root.join(dir), &mut files);
    }
    for path in files {
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if name.starts_with("tests/corpus") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let Ok(tokens) = text.parse::<TokenStream>() else {
            continue;
        };
        let first = out.len();
        scan(tokens, &name, first, &mut out);
    }
    out
}

#[test]
#[ignore = "writes a snapshot of every expansion; compare two runs by hand"]
fn write_expansions() {
    let path = std::env::var("PYCALL_EXPANSIONS").unwrap_or_else(|_| {
        repository()
            .join("target/expansions.txt")
            .display()
            .to_string()
    });
    let inputs = inputs();
    let mut text = String::new();
    let mut counts = [0usize; 4];
    for input in &inputs {
        let (what, expanded) = match &input.kind {
            Kind::Py(t) => (0, pycall_backend::expand_py(t.clone())),
            Kind::Wrap(t) => (1, pycall_backend::derive::wrap(t.clone())),
            Kind::Class(t) => (2, pycall_backend::derive::derive_class(t.clone())),
            Kind::Methods(a, t) => (3, pycall_backend::derive::methods(a.clone(), t.clone())),
        };
        counts[what] += 1;
        writeln!(text, "=== {}\n{expanded}", input.label).unwrap();
    }
    std::fs::write(&path, text).expect("writable");
    println!(
        "{} expansions ({} py!, {} wrap!, {} derive(Class), {} methods) written to {path}",
        inputs.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    );
}
