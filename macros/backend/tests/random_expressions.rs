//! Differential parsing: random expressions from Python's grammar, each written twice (as Python
//! for CPython, and spelled for Rust's lexer for pycall), must give identical `ast.dump`s; and
//! where CPython refuses an expression, pycall must refuse it too.
//!
//! CI runs a fixed seed and count; run longer by hand with
//! `PYCALL_RANDOM_SEED=7 PYCALL_RANDOM_COUNT=200000 cargo test -p pycall-backend --test random_expressions -- --nocapture`.
//! Every disagreement found this way becomes a line of `tests/corpus/expressions.py`.

mod common;

use common::exprs::generate;
use common::{Cpython, cpython, env_number};
use proc_macro2::TokenStream;
use pycall_backend::dump::dump;
use pycall_backend::parse::parse_expression;

#[test]
fn random_expressions_parse_like_cpython() {
    let seed = env_number("PYCALL_RANDOM_SEED", 20261123);
    let count = env_number("PYCALL_RANDOM_COUNT", 4000) as usize;
    let cases = generate(seed, count);
    let sources: Vec<String> = cases.iter().map(|(py, _)| py.clone()).collect();
    let verdicts = cpython(&sources, "eval");
    let (mut agreed, mut refused_by_both) = (0, 0);
    let mut failures = Vec::new();
    for ((py, rs), verdict) in cases.iter().zip(&verdicts) {
        let tokens: TokenStream = match rs.parse() {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{py}\n  Rust's lexer refused {rs}: {e}"));
                continue;
            }
        };
        let ours = std::panic::catch_unwind(|| parse_expression(tokens).map(|e| dump(&e)));
        match (ours, verdict) {
            (Err(_), _) => failures.push(format!("{py}\n  pycall PANICKED on {rs}")),
            (Ok(Ok(got)), Cpython::Dump(want)) if &got == want => agreed += 1,
            (Ok(Ok(got)), Cpython::Dump(want)) => failures.push(format!(
                "{py}\n  rust:    {rs}\n  pycall:  {got}\n  cpython: {want}"
            )),
            (Ok(Err(e)), Cpython::Dump(_)) => {
                failures.push(format!("{py}\n  rust: {rs}\n  pycall refused it: {e}"))
            }
            (Ok(Err(_)), Cpython::SyntaxError(_)) => refused_by_both += 1,
            (Ok(Ok(got)), Cpython::SyntaxError(e)) => failures.push(format!(
                "{py}\n  CPython refused it ({e}), pycall accepted {rs} as {got}"
            )),
        }
    }
    println!(
        "seed {seed}: {count} random expressions; {agreed} same ast.dump as CPython, {refused_by_both} refused by both, {} disagreements",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} disagreements (first 20):\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generator must mostly make valid Python, or the comparison says little.
    assert!(
        agreed * 10 >= count * 9,
        "only {agreed} of {count} were valid Python"
    );
}
