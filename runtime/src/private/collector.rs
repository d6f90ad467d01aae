//! The garbage collector's turn. Since CPython 3.12 the collector runs only from the bytecode
//! loop: an allocation past the threshold schedules a collection, and the loop runs it at its
//! next check (a call, a backward jump). `py!` code runs no bytecode, so a Rust program whose
//! `py!` blocks make reference cycles (a class and its instances, a function that refers to
//! itself) would never collect them. pycall gives the collector its turn at the points where
//! CPython's loop would check: every [`GC_INTERVAL`] loop iterations or `py!` evaluations on a
//! thread, and after each class statement. On 3.9–3.11 allocations run the collector
//! themselves, and nothing here runs.

use crate::__private::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use std::cell::Cell;

/// Loop iterations and `py!` evaluations (on one thread, together) between two looks at the
/// collector's counts.
const GC_INTERVAL: u32 = 1024;

thread_local! {
    static POINTS: Cell<u32> = const { Cell::new(0) };
}

/// One point where CPython's loop would check for a scheduled collection.
#[inline(always)]
pub(crate) fn gc_point(py: Python<'_>) {
    if cfg!(Py_3_12) {
        let n = POINTS.with(|p| {
            let n = p.get() + 1;
            p.set(if n == GC_INTERVAL { 0 } else { n });
            n
        });
        if n == GC_INTERVAL {
            collect_if_due(py);
        }
    }
}

/// Runs the collection CPython's allocator would have scheduled by now, if any: the oldest
/// generation whose count is past its threshold, once the youngest's is (what
/// `gc_collect_main` picks for an automatic collection, less its heuristic that defers full
/// collections while few long-lived objects are new). An error in a collection callback is
/// reported as CPython reports one (`sys.unraisablehook`).
#[cold]
#[inline(never)]
pub(crate) fn collect_if_due(py: Python<'_>) {
    if !cfg!(Py_3_12) {
        return;
    }
    if let Err(err) = try_collect(py) {
        err.write_unraisable(py, None);
    }
}

fn try_collect(py: Python<'_>) -> PyResult<()> {
    static GC: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let gc = GC
        .get_or_try_init(py, || {
            py.import(crate::__private::intern!(py, "gc"))
                .map(Bound::unbind)
        })?
        .bind(py);
    if !gc.call_method0(intern!(py, "isenabled"))?.is_truthy()? {
        return Ok(());
    }
    let (c0, c1, c2): (i64, i64, i64) = gc.call_method0(intern!(py, "get_count"))?.extract()?;
    let (t0, t1, t2): (i64, i64, i64) = gc.call_method0(intern!(py, "get_threshold"))?.extract()?;
    if t0 == 0 || c0 <= t0 {
        return Ok(());
    }
    let generation = if c2 > t2 {
        2
    } else if c1 > t1 {
        1
    } else {
        0
    };
    gc.call_method1(intern!(py, "collect"), (generation,))?;
    Ok(())
}
