//! Behaviour: the programs of tests/corpus/coroutines.py (`async def` run by `asyncio`,
//! `await` on coroutines, tasks, futures and custom awaitables, cancellation, `async with`,
//! `async for`, async generators with `asend`/`athrow`/`aclose`, async comprehensions) give, through a `py!` block, the same final value (by `repr`) or the
//! same exception (type and message) as CPython running their source with `exec` in the same
//! interpreter.

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
        include!("corpus/coroutines.rs");
        comparison.finish(50);
    });
}
