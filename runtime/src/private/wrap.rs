//! `wrap!`: the wrapped class or module, cached, and its methods' calls and typed results.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use super::site::{add_note, add_traceback_entry, conversion_error};
use super::values::checked_str;

/// The class or module a `wrap!` wrapper stands for, imported once into `cell`.
pub fn wrapper_target<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    path: &str,
    is_class: bool,
) -> PyResult<&'py Bound<'py, PyAny>> {
    let target = cell.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        crate::environment::ensure(py)?;
        if is_class {
            let (module, class) = path.rsplit_once('.').unwrap_or(("builtins", path));
            Ok(py
                .import(checked_str(py, module)?)?
                .getattr(checked_str(py, class)?)?
                .unbind())
        } else {
            Ok(py.import(checked_str(py, path)?)?.into_any().unbind())
        }
    })?;
    Ok(target.bind(py))
}

/// A wrapper method's call result; on failure, a note naming the method and a traceback entry
/// for the Rust line that called it.
#[inline]
pub fn wrapper_call<'py>(
    py: Python<'py>,
    result: PyResult<Bound<'py, PyAny>>,
    what: &str,
    caller: &'static std::panic::Location<'static>,
) -> PyResult<Bound<'py, PyAny>> {
    result
        .map_err(|e| super::site::settle(py, e))
        .inspect_err(|e| wrapper_failed(py, e, what, caller))
}

#[cold]
fn wrapper_failed(
    py: Python<'_>,
    err: &PyErr,
    what: &str,
    caller: &'static std::panic::Location<'static>,
) {
    // The note and the entry are additions; if they cannot be added, the exception stands.
    add_note(py, err, &format!("in {what} (a pycall::wrap! method)"));
    let key = std::ptr::from_ref(caller) as usize;
    add_traceback_entry(py, err, key, caller.file(), caller.line(), || {
        what.to_owned()
    });
}

/// A wrapper method's result converted to its declared type; on failure, a note and a
/// traceback entry as for [`wrapper_call`].
#[inline]
pub fn wrapper_extract<'py, T: pyo3::conversion::FromPyObjectOwned<'py>>(
    value: &Bound<'py, PyAny>,
    what: &str,
    target: &str,
    caller: &'static std::panic::Location<'static>,
) -> PyResult<T> {
    match value.extract::<T>() {
        Ok(v) => Ok(v),
        Err(e) => {
            let err = conversion_error(
                value.py(),
                e.into(),
                value,
                &format!("in {what} (a pycall::wrap! method)"),
                target,
            );
            let key = std::ptr::from_ref(caller) as usize;
            let name = || what.to_owned();
            add_traceback_entry(value.py(), &err, key, caller.file(), caller.line(), name);
            Err(err)
        }
    }
}

/// The `TypeError` for an object that is not an instance of a wrapper's class (`is_class`) or
/// not the wrapper's module.
#[cold]
pub fn wrapper_type_error(obj: &Bound<'_, PyAny>, target: &str, is_class: bool) -> PyErr {
    let got = obj
        .get_type()
        .fully_qualified_name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    if is_class {
        PyTypeError::new_err(format!("expected an instance of `{target}`, got `{got}`"))
    } else {
        PyTypeError::new_err(format!(
            "expected the module `{target}`, got an object of type `{got}`"
        ))
    }
}
