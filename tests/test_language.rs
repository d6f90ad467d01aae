//! Behaviour: the programs of tests/corpus/language.py (classes, decorators, `global` and
//! `nonlocal`, annotations, functions' attributes, exception chaining) give, through a `py!`
//! block, the same final value (by `repr`) or the same exception (type and message) as CPython
//! running their source with `exec` (and `eval` of the last line) in the same interpreter, in a
//! fresh namespace that stands for a script (`__name__` is `"__main__"`).

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
        globals.set_item("__name__", "__main__").unwrap();
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
        include!("corpus/language.rs");
        println!("{total} programs compared with exec");
        assert!(total >= 100);
        assert!(
            failures.is_empty(),
            "{} of {total} programs disagree with exec:\n{}",
            failures.len(),
            failures.join("\n")
        );
    });
}
