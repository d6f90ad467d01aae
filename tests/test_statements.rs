//! Behaviour: every program of tests/corpus/statements.py gives, through a `py!` block, the
//! same final value (by `repr`) or the same exception (type and message) as CPython running
//! its source with `exec` (and `eval` of its last line) in a fresh namespace.

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
        let mut comparison = ExecComparison::new(py, globals);
        macro_rules! case {
            ($source:literal, $result:expr) => {
                comparison.case($source, $result)
            };
        }
        include!("corpus/statements.rs");
        comparison.finish(50);
    });
}
