//! Behaviour: every expression of tests/corpus/expressions.py gives, through `py!`, the same
//! value (by `repr`) or the same exception type as CPython's own `eval` of its source.

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

#[test]
fn expressions_agree_with_eval() {
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

        let mut total = 0;
        let mut raised = 0;
        let mut failures = Vec::new();
        macro_rules! case {
            ($source:literal, $result:expr) => {{
                total += 1;
                let got = outcome(py, $result);
                let fresh = globals.copy().unwrap();
                let source = CString::new($source).unwrap();
                let want = outcome(py, py.eval(&source, Some(&fresh), None));
                if want.starts_with("raises") {
                    raised += 1;
                }
                if got != want {
                    failures.push(format!("{}\n    py!:  {got}\n    eval: {want}", $source));
                }
            }};
        }
        include!("corpus/expressions.rs");
        println!("{total} expressions compared with eval, {raised} of them raising");
        assert!(
            total > 400,
            "the corpus should hold several hundred expressions"
        );
        assert!(
            failures.is_empty(),
            "{} of {total} expressions disagree with eval:\n{}",
            failures.len(),
            failures.join("\n")
        );
    });
}
