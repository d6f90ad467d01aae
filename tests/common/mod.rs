//! Shared by the behaviour tests: the corpus's Rust bindings, how an outcome is compared, and the
//! notes pycall adds to exceptions.

#![allow(dead_code)]

use pycall::prelude::*;

/// `repr` of a value, or the type and message of an exception.
pub fn outcome(py: Python<'_>, result: PyResult<Bound<'_, PyAny>>) -> String {
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

/// Declares the corpus's bindings as Rust locals (for `py!`; the caller names them, so that
/// they are the caller's) and `$globals`, a dict of the same values converted to Python (for
/// `eval`/`exec`).
#[macro_export]
macro_rules! corpus_bindings {
    ($py:ident, $globals:ident, [$x:ident, $y:ident, $n:ident, $s:ident, $words:ident, $nums:ident, $flag:ident, $nothing:ident, $scores:ident]) => {
        let $x = 7_i64;
        let $y = 2.5_f64;
        let $n = 10_i64;
        let $s = "hello";
        let $words = vec!["pear", "fig", "banana"];
        let $nums = vec![3_i64, 1, 4, 1, 5, 9, 2, 6];
        let $flag = true;
        let $nothing: Option<i64> = None;
        let $scores: std::collections::BTreeMap<&str, i64> =
            [("a", 1), ("b", 2), ("c", 3)].into_iter().collect();
        let $globals = pycall::pyo3::types::PyDict::new($py);
        $globals.set_item("x", $x).unwrap();
        $globals.set_item("y", $y).unwrap();
        $globals.set_item("n", $n).unwrap();
        $globals.set_item("s", $s).unwrap();
        $globals.set_item("words", &$words).unwrap();
        $globals.set_item("nums", &$nums).unwrap();
        $globals.set_item("flag", $flag).unwrap();
        $globals.set_item("nothing", $nothing).unwrap();
        $globals.set_item("scores", &$scores).unwrap();
    };
}

/// The notes pycall added to an exception (`in py!(…) at file:line:col`, …); empty if none.
pub fn notes(py: Python<'_>, err: &PyErr) -> Vec<String> {
    err.value(py)
        .getattr("__notes__")
        .and_then(|n| n.extract())
        .unwrap_or_default()
}

/// Compares programs run by `py!` with the same source run by CPython: `exec` of all but the
/// last statement, then `eval` of the last (an expression), in a copy of the given namespace.
/// Each disagreement is kept, and [`ExecComparison::finish`] fails the test with all of them.
pub struct ExecComparison<'py> {
    run: Bound<'py, PyAny>,
    globals: Bound<'py, pycall::pyo3::types::PyDict>,
    total: usize,
    failures: Vec<String>,
}

impl<'py> ExecComparison<'py> {
    pub fn new(py: Python<'py>, globals: Bound<'py, pycall::pyo3::types::PyDict>) -> Self {
        let runner = pycall::pyo3::types::PyDict::new(py);
        py.run(
            c"
import ast
def run(source, namespace):
    tree = ast.parse(source)
    last = tree.body.pop()
    exec(compile(tree, '<program>', 'exec'), namespace)
    return eval(compile(ast.Expression(last.value), '<program>', 'eval'), namespace)
",
            Some(&runner),
            None,
        )
        .unwrap();
        let run = runner.get_item("run").unwrap().unwrap();
        ExecComparison {
            run,
            globals,
            total: 0,
            failures: Vec::new(),
        }
    }

    /// One program: `got` is what its `py!` block gave.
    pub fn case(&mut self, source: &str, got: PyResult<Bound<'_, PyAny>>) {
        let py = self.run.py();
        self.total += 1;
        let got = outcome(py, got);
        let want = outcome(py, self.run.call1((source, self.globals.copy().unwrap())));
        if got != want {
            self.failures
                .push(format!("{source}\n    py!:  {got}\n    exec: {want}"));
        }
    }

    /// One program compared with a recorded outcome (`want`, as [`outcome`] writes it) instead
    /// of `exec` (for a Python that cannot run the source itself).
    pub fn case_recorded(&mut self, source: &str, got: PyResult<Bound<'_, PyAny>>, want: &str) {
        let py = self.run.py();
        self.total += 1;
        let got = outcome(py, got);
        if got != want {
            self.failures.push(format!(
                "{source}\n    py!:      {got}\n    recorded: {want}"
            ));
        }
    }

    /// Fails unless at least `at_least` programs ran and every one agreed.
    pub fn finish(self, at_least: usize) {
        let total = self.total;
        println!("{total} programs compared with exec");
        assert!(total >= at_least, "only {total} programs ran");
        assert!(
            self.failures.is_empty(),
            "{} of {total} programs disagree with exec:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}
