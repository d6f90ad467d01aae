//! Loops: the iteration of a `for`, and the periodic check for signals.

use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyList, PyTuple};

/// The iteration of a `for` (statement or comprehension): lists and tuples by index, as
/// their own iterators do (the length is read again at each step), a `range` within 64 bits
/// by counting in Rust (a range cannot change), anything else through `iter()`. Each item is a [`tick`]: Python's pending signal handlers run regularly, as
/// CPython's loop does at backward jumps, so Ctrl-C (a `KeyboardInterrupt`) stops a long loop
/// with a `PyErr`.
pub struct ForIter<'py> {
    kind: ForKind<'py>,
}

enum ForKind<'py> {
    List(Bound<'py, PyList>, usize),
    Tuple(Bound<'py, PyTuple>, usize),
    /// `range(next, stop, step)`, counted in Rust.
    Range {
        py: Python<'py>,
        next: i64,
        stop: i64,
        step: i64,
    },
    /// One of `py!`'s generators, resumed directly.
    Generator(Bound<'py, PyAny>),
    Other(Bound<'py, PyIterator>),
}

/// How many loop iterations (on one thread, all loops together) between two checks for
/// signals.
const SIGNAL_INTERVAL: u32 = 64;

impl<'py> ForIter<'py> {
    #[inline]
    pub fn new(iterable: &Bound<'py, PyAny>) -> PyResult<Self> {
        let kind = if let Ok(list) = iterable.cast_exact::<PyList>() {
            ForKind::List(list.clone(), 0)
        } else if let Ok(tuple) = iterable.cast_exact::<PyTuple>() {
            ForKind::Tuple(tuple.clone(), 0)
        } else if let Some((next, stop, step)) = range_bounds(iterable) {
            ForKind::Range {
                py: iterable.py(),
                next,
                stop,
                step,
            }
        } else if super::resumable::is_generator(iterable) {
            ForKind::Generator(iterable.clone())
        } else {
            ForKind::Other(iterable.try_iter()?)
        };
        Ok(ForIter { kind })
    }
}

impl<'py> Iterator for ForIter<'py> {
    type Item = PyResult<Bound<'py, PyAny>>;

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        let py = match &self.kind {
            ForKind::List(l, _) => l.py(),
            ForKind::Tuple(t, _) => t.py(),
            ForKind::Range { py, .. } => *py,
            ForKind::Generator(g) => g.py(),
            ForKind::Other(i) => i.py(),
        };
        if let Err(e) = tick(py) {
            return Some(Err(e));
        }
        match &mut self.kind {
            ForKind::List(list, index) => {
                if *index >= list.len() {
                    return None;
                }
                let item = list.get_item(*index).ok()?;
                *index += 1;
                Some(Ok(item))
            }
            ForKind::Tuple(tuple, index) => {
                if *index >= tuple.len() {
                    return None;
                }
                let item = tuple.get_item(*index).ok()?;
                *index += 1;
                Some(Ok(item))
            }
            ForKind::Range {
                py,
                next,
                stop,
                step,
            } => {
                let value = *next;
                if (*step > 0 && value >= *stop) || (*step < 0 && value <= *stop) {
                    return None;
                }
                // Past `i64` is past `stop`.
                *next = value.checked_add(*step).unwrap_or(*stop);
                // SAFETY: attached; a new reference or NULL with an exception set.
                Some(unsafe {
                    super::values::owned_or_err(*py, pyo3::ffi::PyLong_FromLongLong(value))
                })
            }
            ForKind::Generator(generator) => super::resumable::generator_next(generator),
            ForKind::Other(iter) => iter.next(),
        }
    }
}

/// `range`'s layout in CPython 3.9–3.13 (`Objects/rangeobject.c`): its bounds as `int`s.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
#[repr(C)]
struct RangeObject {
    ob_base: pyo3::ffi::PyObject,
    start: *mut pyo3::ffi::PyObject,
    stop: *mut pyo3::ffi::PyObject,
    step: *mut pyo3::ffi::PyObject,
}

/// `(start, stop, step)` of an exact `range` whose bounds fit in 64 bits.
#[inline]
fn range_bounds(iterable: &Bound<'_, PyAny>) -> Option<(i64, i64, i64)> {
    #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
    // SAFETY: attached; the object is checked to be exactly a `range` before its fields are
    // read; they are `int`s (a range's bounds are made with `PyNumber_Index`).
    unsafe {
        use pyo3::ffi;
        let o = iterable.as_ptr();
        if ffi::Py_TYPE(o) != &raw mut ffi::PyRange_Type {
            return None;
        }
        let range = o.cast::<RangeObject>();
        let value = |v: *mut ffi::PyObject| {
            let mut overflow = 0;
            let n = ffi::PyLong_AsLongLongAndOverflow(v, &mut overflow);
            if n == -1 && !ffi::PyErr_Occurred().is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            (overflow == 0).then_some(n)
        };
        Some((
            value((*range).start)?,
            value((*range).stop)?,
            value((*range).step)?,
        ))
    }
    #[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
    {
        let _ = iterable;
        None
    }
}

thread_local! {
    /// Loop iterations on this thread since the last check for signals, counted across all
    /// loops, so nested short loops are checked as often as one long one.
    static TICKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// One loop iteration (a `for`, a `while`, a comprehension, a generator step): every
/// `SIGNAL_INTERVAL` iterations on this thread, Python's pending signal handlers run.
#[inline(always)]
pub fn tick(py: Python<'_>) -> PyResult<()> {
    let ticks = TICKS.with(|t| {
        let n = t.get() + 1;
        t.set(if n == SIGNAL_INTERVAL { 0 } else { n });
        n
    });
    if ticks == SIGNAL_INTERVAL {
        py.check_signals()?;
    }
    super::collector::gc_point(py);
    Ok(())
}
