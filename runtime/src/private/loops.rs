//! Loops: the iteration of a `for`, and the periodic check for signals.

use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyList, PyTuple};

/// The iteration of a `for` (statement or comprehension): lists and tuples by index, as
/// their own iterators do (the length is read again at each step), anything else through
/// `iter()`. Each item is a [`tick`]: Python's pending signal handlers run regularly, as
/// CPython's loop does at backward jumps, so Ctrl-C (a `KeyboardInterrupt`) stops a long loop
/// with a `PyErr`.
pub struct ForIter<'py> {
    kind: ForKind<'py>,
}

enum ForKind<'py> {
    List(Bound<'py, PyList>, usize),
    Tuple(Bound<'py, PyTuple>, usize),
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

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let py = match &self.kind {
            ForKind::List(l, _) => l.py(),
            ForKind::Tuple(t, _) => t.py(),
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
            ForKind::Generator(generator) => super::resumable::generator_next(generator),
            ForKind::Other(iter) => iter.next(),
        }
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
