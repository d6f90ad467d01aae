//! Parsing blocks: pycall's parser gives the same `ast.dump(ast.parse(src, mode="exec"))` as
//! CPython for every program of the statements corpus (tests/corpus/statements.py, respelled
//! for Rust's lexer in statements.rs).

mod common;

use common::{Cpython, assert_same_dumps, corpus, cpython, cpython_dumps};
use pycall_backend::dump::dump_module;
use pycall_backend::parse::parse_input;

#[test]
fn statement_corpus_parses_like_cpython() {
    let cases = corpus("statements.rs");
    assert!(cases.len() >= 80, "{} programs", cases.len());
    let sources: Vec<String> = cases.iter().map(|(s, _)| s.clone()).collect();
    let want = cpython_dumps(&sources, "exec", |d| d);
    assert_same_dumps("programs", &cases, &want, |tokens| {
        parse_input(tokens).map(|input| dump_module(&input))
    });
}

#[test]
fn statement_forms_parse_like_cpython() {
    // (Python, the same block spelled for py!)
    let cases = [
        ("with a as b, c:\n    pass\n", "with a as b, c { pass }"),
        (
            "with a:\n    with b:\n        pass\n",
            "with a { with b { pass } }",
        ),
        (
            "with a, b as (c, d):\n    x = 1\nx\n",
            "with a, b as (c, d) { x = 1 } x",
        ),
        ("del a, b.c, d[0]\n", "del a, b.c, d[0]"),
        (
            "try:\n    pass\nexcept (E, F) as e:\n    raise\nexcept:\n    raise G from e\nelse:\n    pass\nfinally:\n    pass\n",
            "try { pass } except (E, F) as e { raise } except { raise G from e } else { pass } finally { pass }",
        ),
        (
            "def f(a, /, b=1, *c, d, e=2, **k):\n    return\nf\n",
            "def f(a, /, b=1, *c, d, e=2, **k) { return } f",
        ),
    ];
    let sources: Vec<String> = cases.iter().map(|(py, _)| py.to_string()).collect();
    let verdicts = cpython(&sources, "exec");
    for ((py, rs), verdict) in cases.iter().zip(&verdicts) {
        let Cpython::Dump(want) = verdict else {
            panic!("{py}: {verdict:?}")
        };
        let got = dump_module(&parse_input(rs.parse().unwrap()).unwrap());
        assert_eq!(&got, want, "{py}");
    }
}
