//! Behaviour: the programs of tests/corpus/match.py (every pattern kind, guards, captures,
//! `match` and `case` as plain names) give, through a `py!` block, the same final value (by
//! `repr`) or the same exception (type and message) as CPython running their source with
//! `exec` in the same interpreter. CPython has `match` from 3.10 on: on 3.9 there is nothing
//! to compare with yet.

mod common;

use common::ExecComparison;
use pycall::prelude::*;

#[test]
fn programs_agree_with_exec() {
    Python::attach(|py| {
        if py.version_info() < (3, 10) {
            return;
        }
        corpus_bindings!(
            py,
            globals,
            [x, y, n, s, words, nums, flag, nothing, scores]
        );
        globals.set_item("__name__", "__main__").unwrap();
        let mut comparison = ExecComparison::new(py, globals);
        macro_rules! case {
            ($source:literal, $result:expr) => {{ comparison.case($source, $result) }};
        }
        include!("corpus/match.rs");
        comparison.finish(15);
    });
}
