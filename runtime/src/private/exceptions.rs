//! Exceptions: `raise`, `except` matching, `assert`, and errors in generated code.

use pyo3::exceptions::{PySystemError, PyTypeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// `except T`: whether the error is an instance of `T` (a class or a tuple of classes).
pub fn exception_matches(py: Python<'_>, err: &PyErr, class: &Bound<'_, PyAny>) -> PyResult<bool> {
    let valid = |c: &Bound<'_, PyAny>| {
        c.cast::<pyo3::types::PyType>().is_ok_and(|t| {
            t.is_subclass_of::<pyo3::exceptions::PyBaseException>()
                .unwrap_or(false)
        })
    };
    let ok = match class.cast::<PyTuple>() {
        Ok(tuple) => tuple.iter().all(|c| valid(&c)),
        Err(_) => valid(class),
    };
    if !ok {
        return Err(PyTypeError::new_err(
            "catching classes that do not inherit from BaseException is not allowed",
        ));
    }
    Ok(err.matches(py, class.clone()).unwrap_or(false))
}

/// The exception object of an error, for `except … as name`.
pub fn exception_value<'py>(py: Python<'py>, err: &PyErr) -> Bound<'py, PyAny> {
    err.value(py).clone().into_any()
}

/// The `AssertionError` of a failed `assert`.
pub fn assertion_error(message: Option<Bound<'_, PyAny>>) -> PyErr {
    match message {
        Some(m) => pyo3::exceptions::PyAssertionError::new_err(m.unbind()),
        None => pyo3::exceptions::PyAssertionError::new_err(()),
    }
}

/// An exception instance from `raise X`: an instance as it is, a class called with no
/// arguments; anything else is a `TypeError` with `message`.
fn exception_instance<'py>(
    exc: Bound<'py, PyAny>,
    message: &'static str,
) -> Result<Bound<'py, PyAny>, PyErr> {
    let instance = if exc.is_instance_of::<pyo3::types::PyType>() {
        exc.call0()?
    } else {
        exc
    };
    if instance.is_instance_of::<pyo3::exceptions::PyBaseException>() {
        Ok(instance)
    } else {
        Err(PyTypeError::new_err(message))
    }
}

/// `raise exc from cause`: `exc` is an exception instance or class.
pub fn raise(exc: Bound<'_, PyAny>, cause: Option<Bound<'_, PyAny>>) -> PyErr {
    let py = exc.py();
    let err = match exception_instance(exc, "exceptions must derive from BaseException") {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => return e,
    };
    match cause {
        None => {}
        Some(cause) if cause.is_none() => {
            let _ = err.value(py).setattr(intern!(py, "__cause__"), py.None());
            let _ = err
                .value(py)
                .setattr(intern!(py, "__suppress_context__"), true);
        }
        Some(cause) => {
            match exception_instance(cause, "exception causes must derive from BaseException") {
                Ok(cause) => err.set_cause(py, Some(PyErr::from_value(cause))),
                Err(e) => return e,
            }
        }
    }
    err
}

#[cold]
pub fn internal_error() -> PyErr {
    PySystemError::new_err("pycall: internal error in generated code")
}
