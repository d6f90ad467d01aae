//! Behaviour: every program of tests/corpus/statements.py gives, through a `py!` block, the
//! same final value (by `repr`) or the same exception (type and message) as CPython running
//! its source with `exec` (and `eval` of its last line) in a fresh namespace.

mod common;

use common::outcome;
use pycall::prelude::*;
use pycall::pyo3::types::PyDict;
use std::ffi::CString;

const RUNNER: &std::ffi::CStr = c"
import ast
def run(source, namespace):
    tree = ast.parse(source)
    last = tree.body.pop()
    exec(compile(tree, '<program>', 'exec'), namespace)
    return eval(compile(ast.Expression(last.value), '<program>', 'eval'), namespace)
";

#[test]
fn programs_agree_with_exec() {
    Python::attach(|py| {
        corpus_bindings!(
            py,
            globals,
            [x, y, n, s, words, nums, flag, nothing, scores]
        );
        let runner = PyDict::new(py);
        py.run(RUNNER, Some(&runner), None).unwrap();
        let run = runner.get_item("run").unwrap().unwrap();

        let mut total = 0;
        let mut failures = Vec::new();
        macro_rules! case {
            ($source:literal, $result:expr) => {{
                total += 1;
                let got = outcome(py, $result);
                let source = CString::new($source).unwrap();
                let want = outcome(
                    py,
                    run.call1((source.to_str().unwrap(), globals.copy().unwrap())),
                );
                if got != want {
                    failures.push(format!("{}\n    py!:  {got}\n    exec: {want}", $source));
                }
            }};
        }
        include!("corpus/statements.rs");
        println!("{total} programs compared with exec");
        assert!(total >= 50);
        assert!(
            failures.is_empty(),
            "{} of {total} programs disagree with exec:\n{}",
            failures.len(),
            failures.join("\n")
        );
    });
}
