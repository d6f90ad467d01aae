//! Behaviour: the programs of tests/corpus/match.py (every pattern kind, guards, captures,
//! `match` and `case` as plain names) give, through a `py!` block, the same final value (by
//! `repr`) or the same exception (type and message) as CPython running their source with
//! `exec` in the same interpreter. CPython has `match` from 3.10 on: on 3.9 each program is
//! compared with the outcome CPython 3.10+ gave when the corpus was generated
//! (tests/corpus/match_outcomes.rs).

mod common;

use common::ExecComparison;
use pycall::prelude::*;

#[test]
fn programs_agree_with_exec() {
    Python::attach(|py| {
        // Older CPythons cannot `exec` the source: the recorded outcomes stand in.
        let recorded: &[&str] = include!("corpus/match_outcomes.rs");
        let exec_runs_match = py.version_info() >= (3, 10);
        let mut index = 0;
        corpus_bindings!(
            py,
            globals,
            [x, y, n, s, words, nums, flag, nothing, scores]
        );
        globals.set_item("__name__", "__main__").unwrap();
        let mut comparison = ExecComparison::new(py, globals);
        macro_rules! case {
            ($source:literal, $result:expr) => {{
                let result = $result;
                if exec_runs_match {
                    comparison.case($source, result);
                } else {
                    comparison.case_recorded($source, result, recorded[index]);
                }
                index += 1;
            }};
        }
        include!("corpus/match.rs");
        assert_eq!(index, recorded.len(), "match_outcomes.rs is stale");
        comparison.finish(15);
    });
}
