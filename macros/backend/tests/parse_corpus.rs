//! Parsing: pycall's parser agrees with CPython's `ast` on every expression of the corpus, and
//! printing an AST back in `py!`'s spelling and parsing it again gives the same AST.

use proc_macro2::{TokenStream, TokenTree};
use pycall_backend::dump::dump;
use pycall_backend::parse::parse_expression;
use pycall_backend::unparse::{Spelling, unparse};
use std::io::Write;
use std::process::{Command, Stdio};

/// (Python source, the same expression spelled for `py!`) for each line of the corpus.
fn corpus() -> Vec<(String, TokenStream)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/expressions.rs"
    );
    let text = std::fs::read_to_string(path).expect("corpus file");
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

/// CPython's `ast.dump(ast.parse(src, mode="eval"))` for each source, in one python3 process.
fn cpython_dumps(sources: &[String]) -> Vec<String> {
    let script = "import ast, json, sys\nfor line in sys.stdin:\n    print(ast.dump(ast.parse(json.loads(line), mode='eval')))\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 on PATH");
    let mut input = String::new();
    for s in sources {
        input.push_str(&json_string(s));
        input.push('\n');
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn json_string(s: &str) -> String {
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

#[test]
fn corpus_parses_like_cpython() {
    let cases = corpus();
    assert!(cases.len() > 400);
    let sources: Vec<String> = cases.iter().map(|(s, _)| s.clone()).collect();
    // The corpus's Rust spelling drops the `u` of `u"…"` (kept by CPython as `kind='u'`).
    let expected: Vec<String> = cpython_dumps(&sources)
        .iter()
        .map(|d| d.replace(", kind='u')", ")"))
        .collect();
    assert_eq!(expected.len(), cases.len());
    let mut failures = Vec::new();
    for ((source, tokens), want) in cases.iter().zip(&expected) {
        match parse_expression(tokens.clone()) {
            Ok(expr) => {
                let got = dump(&expr);
                if &got != want {
                    failures.push(format!("{source}\n  pycall:  {got}\n  cpython: {want}"));
                }
            }
            Err(e) => failures.push(format!("{source}\n  pycall refused it: {e}")),
        }
    }
    println!("{} expressions compared with CPython's ast", cases.len());
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn unparse_then_parse_gives_the_same_ast() {
    for (source, tokens) in corpus() {
        let expr = parse_expression(tokens).unwrap();
        let printed = unparse(&expr, Spelling::Rust);
        let reparsed: TokenStream = printed
            .parse()
            .unwrap_or_else(|e| panic!("{source} -> {printed}: {e}"));
        let again =
            parse_expression(reparsed).unwrap_or_else(|e| panic!("{source} -> {printed}: {e}"));
        assert_eq!(dump(&expr), dump(&again), "{source} -> {printed}");
    }
}
