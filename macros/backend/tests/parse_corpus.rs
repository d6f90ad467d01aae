//! Parsing: pycall's parser agrees with CPython's `ast` on every expression of the corpus, and
//! printing an AST back in `py!`'s spelling and parsing it again gives the same AST.

mod common;

use common::{assert_same_dumps, corpus, cpython_dumps};
use proc_macro2::TokenStream;
use pycall_backend::dump::dump;
use pycall_backend::parse::parse_expression;
use pycall_backend::unparse::{Spelling, unparse};

#[test]
fn corpus_parses_like_cpython() {
    let cases = corpus("expressions.rs");
    assert!(cases.len() > 400);
    let sources: Vec<String> = cases.iter().map(|(s, _)| s.clone()).collect();
    // The corpus's Rust spelling drops the `u` of `u"…"` (kept by CPython as `kind='u'`).
    let want = cpython_dumps(&sources, "eval", |d| d.replace(", kind='u')", ")"));
    assert_same_dumps("expressions", &cases, &want, |tokens| {
        parse_expression(tokens).map(|e| dump(&e))
    });
}

#[test]
fn unparse_then_parse_gives_the_same_ast() {
    for (source, tokens) in corpus("expressions.rs") {
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
