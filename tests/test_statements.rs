//! Behaviour: every program of tests/corpus/statements.py gives, through a `py!` block, the
//! same final value (by `repr`) or the same exception (type and message) as CPython running
//! its source with `exec` (and `eval` of its last line) in a fresh namespace.

use pycall::prelude::*;
use pycall::pyo3::types::PyDict;
use std::collections::BTreeMap;
use std::ffi::CString;

fn outcome(py: Python<'_>, result: PyResult<Bound<'_, PyAny>>) -> String {
    match result {
        Ok(value) => match value.repr() {
            Ok(r) => format!("value {r}"),
            Err(e) => format!("unprintable value ({})", e.get_type(py)),
        },
        Err(e) => format!(
            "raises {}: {}",
            e.get_type(py)
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default(),
            e.value(py)
        ),
    }
}

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
        let x = 7_i64;
        let y = 2.5_f64;
        let n = 10_i64;
        let s = "hello";
        let words = vec!["pear", "fig", "banana"];
        let nums = vec![3_i64, 1, 4, 1, 5, 9, 2, 6];
        let flag = true;
        let nothing: Option<i64> = None;
        let scores: BTreeMap<&str, i64> = [("a", 1), ("b", 2), ("c", 3)].into_iter().collect();

        let globals = PyDict::new(py);
        globals.set_item("x", x).unwrap();
        globals.set_item("y", y).unwrap();
        globals.set_item("n", n).unwrap();
        globals.set_item("s", s).unwrap();
        globals.set_item("words", &words).unwrap();
        globals.set_item("nums", &nums).unwrap();
        globals.set_item("flag", flag).unwrap();
        globals.set_item("nothing", nothing).unwrap();
        globals.set_item("scores", &scores).unwrap();
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
