//! Shared by the parser tests: CPython as the reference, and a small seeded random generator.

#![allow(dead_code)]

pub mod exprs;

use proc_macro2::{TokenStream, TokenTree};
use std::io::Write;
use std::process::{Command, Stdio};

/// (Python source, the same code spelled for `py!`) for each `case!` line of a generated corpus
/// file under tests/corpus/ (`expressions.rs`, `statements.rs`, `language.rs`).
pub fn corpus(file: &str) -> Vec<(String, TokenStream)> {
    let path = format!("{}/../../tests/corpus/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("corpus file");
    let mut cases = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("case!(")) {
        let tokens: TokenStream = line.parse().expect("corpus line lexes");
        let Some(TokenTree::Group(args)) = tokens.into_iter().nth(2) else {
            panic!("{line}")
        };
        let parts: Vec<TokenTree> = args.stream().into_iter().collect();
        let source: syn::LitStr = syn::parse2(parts[0].clone().into()).expect("source literal");
        let Some(TokenTree::Group(body)) = parts.get(4) else {
            panic!("{line}")
        };
        cases.push((source.value(), body.stream()));
    }
    cases
}

/// What CPython makes of one source: `ast.dump(ast.parse(src, mode))`, or the `SyntaxError`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cpython {
    Dump(String),
    SyntaxError(String),
}

/// CPython's verdict on each source, from one `python3` process (`mode` is `eval` or `exec`).
pub fn cpython(sources: &[String], mode: &str) -> Vec<Cpython> {
    let script = format!(
        "import ast, json, sys\n\
         for line in sys.stdin:\n\
         \x20   try:\n\
         \x20       print('D' + ast.dump(ast.parse(json.loads(line), mode='{mode}')))\n\
         \x20   except (SyntaxError, ValueError, MemoryError, RecursionError) as e:\n\
         \x20       print('E' + type(e).__name__ + ': ' + str(e).replace(chr(10), ' '))\n"
    );
    let mut child = Command::new("python3")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 on PATH");
    let mut input = String::new();
    for s in sources {
        input.push_str(&json_string(s));
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "python3 failed");
    let results: Vec<Cpython> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| match l.split_at(1) {
            ("D", dump) => Cpython::Dump(dump.to_owned()),
            (_, err) => Cpython::SyntaxError(err.to_owned()),
        })
        .collect();
    assert_eq!(results.len(), sources.len());
    results
}

/// Parses each case with pycall (`ours`: tokens to a dump) and compares it with CPython's dump
/// of the same source (`want`, already adjusted); panics listing every disagreement.
pub fn assert_same_dumps(
    what: &str,
    cases: &[(String, TokenStream)],
    want: &[String],
    ours: impl Fn(TokenStream) -> syn::Result<String>,
) {
    assert_eq!(cases.len(), want.len());
    let mut failures = Vec::new();
    for ((source, tokens), want) in cases.iter().zip(want) {
        match ours(tokens.clone()) {
            Ok(got) if &got == want => {}
            Ok(got) => failures.push(format!("{source}\n  pycall:  {got}\n  cpython: {want}")),
            Err(e) => failures.push(format!("{source}\n  pycall refused it: {e}")),
        }
    }
    println!("{} {what} compared with CPython's ast", cases.len());
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The dumps of sources CPython must accept (a corpus), with `adjust` applied to each.
pub fn cpython_dumps(
    sources: &[String],
    mode: &str,
    adjust: impl Fn(String) -> String,
) -> Vec<String> {
    cpython(sources, mode)
        .into_iter()
        .zip(sources)
        .map(|(verdict, source)| match verdict {
            Cpython::Dump(d) => adjust(d),
            Cpython::SyntaxError(e) => panic!("CPython refused a corpus case: {source}\n{e}"),
        })
        .collect()
}

pub fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// SplitMix64: small, seedable, good enough to pick grammar productions.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `p` percent.
    pub fn chance(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A number from the environment, or a default (for running the random tests longer by hand).
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
