//! Behaviour: the programs of tests/corpus/language.py (classes, decorators, `global` and
//! `nonlocal`, annotations, functions' attributes, exception chaining) give, through a `py!`
//! block, the same final value (by `repr`) or the same exception (type and message) as CPython
//! running their source with `exec` (and `eval` of the last line) in the same interpreter, in a
//! fresh namespace that stands for a script (`__name__` is `"__main__"`).

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
        include!("corpus/language.rs");
        comparison.finish(100);
    });
}
