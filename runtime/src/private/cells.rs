//! Variables: local slots (`Option<Bound>`) and the cells shared with closures.

use pyo3::exceptions::{PyNameError, PyUnboundLocalError};
use pyo3::ffi;
use pyo3::prelude::*;

/// Reads a local that may be unbound.
/// `top`: the variable belongs to the macro's own scope, which behaves like a module (an unbound
/// name is a `NameError`, not an `UnboundLocalError`).
#[inline(always)]
pub fn load<'py>(
    slot: &Option<Bound<'py, PyAny>>,
    name: &'static str,
    top: bool,
) -> PyResult<Bound<'py, PyAny>> {
    match slot {
        Some(v) => Ok(v.clone()),
        None if top => Err(undefined(name)),
        None => Err(unbound(name)),
    }
}

/// Like [`load`], borrowing the value where it is.
#[inline(always)]
pub fn load_ref<'a, 'py>(
    slot: &'a Option<Bound<'py, PyAny>>,
    name: &'static str,
    top: bool,
) -> PyResult<&'a Bound<'py, PyAny>> {
    match slot {
        Some(v) => Ok(v),
        None if top => Err(undefined(name)),
        None => Err(unbound(name)),
    }
}

/// `del name` for a variable that may be unbound.
pub fn delete(slot: &mut Option<Bound<'_, PyAny>>, name: &'static str, top: bool) -> PyResult<()> {
    match slot.take() {
        Some(_) => Ok(()),
        None if top => Err(undefined(name)),
        None => Err(unbound(name)),
    }
}

/// A new, empty Python cell (a variable shared with lambdas and generators).
pub fn cell_new(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    // SAFETY: PyCell_New(NULL) returns a new empty cell or NULL with an exception set.
    unsafe { super::values::owned_or_err(py, ffi::PyCell_New(std::ptr::null_mut())) }
}

/// A new cell holding `value`.
pub fn cell_with<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: PyCell_New takes a borrowed reference and returns a new cell or NULL.
    unsafe { super::values::owned_or_err(value.py(), ffi::PyCell_New(value.as_ptr())) }
}

#[inline]
pub fn cell_set(cell: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: `cell` was made by `cell_new`/`cell_with` (generated code never passes anything
    // else); PyCell_Set takes a borrowed reference to the value.
    let status = unsafe { ffi::PyCell_Set(cell.as_ptr(), value.as_ptr()) };
    if status == 0 {
        Ok(())
    } else {
        Err(super::values::fetched(cell.py()))
    }
}

#[inline]
pub fn cell_get<'py>(
    cell: &Bound<'py, PyAny>,
    name: &'static str,
    top: bool,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: as for `cell_set`; PyCell_Get returns a new reference or NULL when empty.
    let ptr = unsafe { ffi::PyCell_Get(cell.as_ptr()) };
    if ptr.is_null() {
        if let Some(err) = PyErr::take(cell.py()) {
            return Err(err);
        }
        if top {
            return Err(undefined(name));
        }
        return Err(unbound_free(name));
    }
    // SAFETY: a new reference, checked non-null.
    Ok(unsafe { Bound::from_owned_ptr(cell.py(), ptr) })
}

/// Reads a function's own variable kept in a cell (one its closures share, or any variable of
/// a generator): unbound, it is an `UnboundLocalError`, as for any local.
#[inline]
pub fn cell_get_local<'py>(
    cell: &Bound<'py, PyAny>,
    name: &'static str,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: as for `cell_set`; PyCell_Get returns a new reference or NULL when empty.
    let ptr = unsafe { ffi::PyCell_Get(cell.as_ptr()) };
    if ptr.is_null() {
        if let Some(err) = PyErr::take(cell.py()) {
            return Err(err);
        }
        return Err(unbound(name));
    }
    // SAFETY: a new reference, checked non-null.
    Ok(unsafe { Bound::from_owned_ptr(cell.py(), ptr) })
}

/// Reads a cell that may be empty.
#[inline]
pub fn cell_get_opt<'py>(cell: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    // SAFETY: as for `cell_set`; PyCell_Get returns a new reference or NULL when empty.
    let ptr = unsafe { ffi::PyCell_Get(cell.as_ptr()) };
    if ptr.is_null() {
        return match PyErr::take(cell.py()) {
            Some(err) => Err(err),
            None => Ok(None),
        };
    }
    // SAFETY: a new reference, checked non-null.
    Ok(Some(unsafe { Bound::from_owned_ptr(cell.py(), ptr) }))
}

/// `del name` for a variable kept in a cell.
pub fn cell_delete(cell: &Bound<'_, PyAny>, name: &'static str, top: bool) -> PyResult<()> {
    cell_get(cell, name, top)?;
    // SAFETY: as for `cell_set`; NULL empties the cell.
    let status = unsafe { ffi::PyCell_Set(cell.as_ptr(), std::ptr::null_mut()) };
    if status == 0 {
        Ok(())
    } else {
        Err(super::values::fetched(cell.py()))
    }
}

/// Empties a cell (`del`, or the end of `except … as name`), bound or not.
pub fn cell_clear(cell: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: as for `cell_set`; NULL empties the cell.
    let status = unsafe { ffi::PyCell_Set(cell.as_ptr(), std::ptr::null_mut()) };
    if status == 0 {
        Ok(())
    } else {
        Err(super::values::fetched(cell.py()))
    }
}

#[cold]
pub(crate) fn unbound(name: &str) -> PyErr {
    // CPython's wording, which 3.11 changed.
    PyUnboundLocalError::new_err(if cfg!(Py_3_11) {
        format!("cannot access local variable '{name}' where it is not associated with a value")
    } else {
        format!("local variable '{name}' referenced before assignment")
    })
}

#[cold]
fn unbound_free(name: &str) -> PyErr {
    PyNameError::new_err(if cfg!(Py_3_11) {
        format!(
            "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
        )
    } else {
        format!("free variable '{name}' referenced before assignment in enclosing scope")
    })
}

#[cold]
pub(crate) fn undefined(name: &str) -> PyErr {
    PyNameError::new_err(format!("name '{name}' is not defined"))
}
