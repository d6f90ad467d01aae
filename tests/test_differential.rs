//! Behaviour: every expression of tests/corpus/expressions.py gives, through `py!`, the same
//! value (by `repr`) or the same exception type as CPython's own `eval` of its source.

mod common;

use common::outcome;
use pycall::prelude::*;
use std::ffi::CString;

#[test]
fn expressions_agree_with_eval() {
    Python::attach(|py| {
        corpus_bindings!(
            py,
            globals,
            [x, y, n, s, words, nums, flag, nothing, scores]
        );

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
