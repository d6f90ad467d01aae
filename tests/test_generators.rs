//! Behaviour: the programs of tests/corpus/generators.py (`yield`, `yield from`, `send`,
//! `throw`, `close`, `GeneratorExit` through `try`/`finally` and `with`, generators as methods,
//! closures and pipelines) give, through a `py!` block, the same final value (by `repr`) or the
//! same exception (type and message) as CPython running their source with `exec` in the same
//! interpreter.

mod common;

use common::ExecComparison;
use pycall::prelude::*;

#[test]
fn programs_agree_with_exec() {
    Python::attach(|py| {
        corpus_bindings!(
            py,
            globals,
            [x, y, n, s, words, nums, flag, nothing, scores]
        );
        globals.set_item("__name__", "__main__").unwrap();
        let mut comparison = ExecComparison::new(py, globals);
        macro_rules! case {
            ($source:literal, $result:expr) => {
                comparison.case($source, $result)
            };
        }
        include!("corpus/generators.rs");
        comparison.finish(90);
    });
}

/// A generator made on one thread is resumed on others, each holding the interpreter in
/// turn, and keeps its state across them; while it runs on one, another gets CPython's
/// "generator already executing".
#[test]
fn a_generator_resumes_on_any_thread_that_holds_the_interpreter() {
    let generator: Py<PyAny> = Python::attach(|py| {
        py! {
            def counter() {
                total = 0;
                while True { total += yield total }
            }
            g = counter();
            next(g);
            g
        }
        .unwrap()
        .unbind()
    });
    let handles: Vec<_> = (1..=4)
        .map(|k| {
            let generator = Python::attach(|py| generator.clone_ref(py));
            std::thread::spawn(move || {
                Python::attach(|py| {
                    let g = generator.bind(py);
                    py!(g.send(k) as i64).unwrap()
                })
            })
        })
        .collect();
    let mut seen: Vec<i64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    seen.sort();
    // Each send adds its k to the running total: the totals seen are partial sums of 1..=4 in
    // some order, the largest being all of them.
    assert_eq!(seen.last(), Some(&10));
    assert_eq!(seen.len(), 4);
    Python::attach(|py| {
        let g = generator.bind(py);
        let message = py! {
            def reenter(g) { return g.send(0) }
            def outer() { yield reenter(me) }
            me = outer();
            msg = "no error";
            try { next(me) } except ValueError as e { msg = str(e) }
            msg
        }
        .unwrap()
        .to_string();
        assert_eq!(message, "generator already executing");
        assert_eq!(py!(g.send(0) as i64).unwrap(), 10);
    });
}
