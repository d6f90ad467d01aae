//! Control flow out of blocks run in closures of their own (`try`, `with`), and `with` itself.

use crate::__private::intern;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use super::exceptions::handling;
use super::values::{none, type_name};

/// How a block run in a closure of its own (a `try` or `with` body) ended.
pub enum Flow<'py> {
    Normal,
    /// `break` of the loop with this index (counted from the outermost).
    Break(usize),
    /// `continue` of the loop with this index.
    Continue(usize),
    /// `return value`.
    Return(Bound<'py, PyAny>),
}

/// The end of a block run in a boundary: nothing to pass on. (Typed, so that the error type
/// of an `async` block that ends with it is known.)
#[inline(always)]
pub fn flow_normal<'py>() -> PyResult<Flow<'py>> {
    Ok(Flow::Normal)
}

/// A function body's result, typed (see [`flow_normal`]).
#[inline(always)]
pub fn returned(value: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    Ok(value)
}

/// Runs a block in a closure of its own, so that its errors can be caught.
#[inline(always)]
pub fn boundary<'py, F>(py: Python<'py>, body: F) -> PyResult<Flow<'py>>
where
    F: FnOnce(Python<'py>) -> PyResult<Flow<'py>>,
{
    body(py)
}

/// `with manager`: calls `__enter__`, returns the bound `__exit__` and the entered value.
pub fn enter<'py>(manager: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let py = manager.py();
    let class = manager.get_type();
    let (Ok(enter), Ok(exit)) = (
        class.getattr(intern!(py, "__enter__")),
        class.getattr(intern!(py, "__exit__")),
    ) else {
        let has_enter = class.getattr(intern!(py, "__enter__")).is_ok();
        return Err(protocol_error(&type_name(manager), has_enter, false));
    };
    let exit = exit.call_method1(intern!(py, "__get__"), (manager, &class))?;
    let value = enter
        .call_method1(intern!(py, "__get__"), (manager, &class))?
        .call0()?;
    Ok((exit, value))
}

/// A `with` (`asynchronous`: `async with`) on an object without `__enter__` or `__exit__`, in
/// CPython's words, which 3.11 changed.
pub(crate) fn protocol_error(type_name: &str, has_enter: bool, asynchronous: bool) -> PyErr {
    let (a, kind) = if asynchronous {
        ("a", "asynchronous ")
    } else {
        ("", "")
    };
    if cfg!(Py_3_11) {
        let missed = if has_enter {
            format!(" (missed __{a}exit__ method)")
        } else {
            String::new()
        };
        PyTypeError::new_err(format!(
            "'{type_name}' object does not support the {kind}context manager protocol{missed}"
        ))
    } else {
        let missing = if has_enter { "exit" } else { "enter" };
        pyo3::exceptions::PyAttributeError::new_err(format!("__{a}{missing}__"))
    }
}

/// The end of a `with` block: `__exit__` with the error (which it may suppress) or with `None`s.
pub fn exit<'py>(
    py: Python<'py>,
    exit: &Bound<'py, PyAny>,
    result: PyResult<Flow<'py>>,
) -> PyResult<Flow<'py>> {
    match result {
        Ok(flow) => {
            exit.call1((py.None(), py.None(), py.None()))?;
            Ok(flow)
        }
        Err(err) => {
            // As in CPython, `__exit__` runs as a handler of the exception: it is what
            // `sys.exc_info()` gives there, and the `__context__` of whatever `__exit__` raises.
            let suppress = handling(py, &err, |py| {
                let traceback = err
                    .traceback(py)
                    .map(|t| t.into_any())
                    .unwrap_or_else(|| none(py));
                exit.call1((err.get_type(py), err.value(py), traceback))?
                    .is_truthy()
            })?;
            if suppress { Ok(Flow::Normal) } else { Err(err) }
        }
    }
}
