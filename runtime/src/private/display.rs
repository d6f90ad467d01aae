//! Displays (tuple, list, set, dict, with `*`/`**`), slices, and unpacking assignment.

use pyo3::exceptions::{PySystemError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyList, PySet};

use super::values::type_name;

pub fn new_list(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    super::values::checked_list(py, [])
}

pub fn new_set(py: Python<'_>) -> PyResult<Bound<'_, PySet>> {
    PySet::empty(py)
}

pub fn new_dict(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    super::values::checked_dict_new(py)
}

/// `iter(value)`, with the error Python gives for `*value` in a display.
fn iter_for_unpacking<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyIterator>> {
    value.try_iter().map_err(|e| {
        if !e.is_instance_of::<PyTypeError>(value.py()) {
            return e;
        }
        PyTypeError::new_err(format!(
            "Value after * must be an iterable, not {}",
            type_name(value)
        ))
    })
}

/// `[*iterable]`
pub fn list_extend(list: &Bound<'_, PyList>, iterable: &Bound<'_, PyAny>) -> PyResult<()> {
    for item in iter_for_unpacking(iterable)? {
        list.append(item?)?;
    }
    Ok(())
}

/// `{*iterable}`
pub fn set_extend(set: &Bound<'_, PySet>, iterable: &Bound<'_, PyAny>) -> PyResult<()> {
    for item in iter_for_unpacking(iterable)? {
        set.add(item?)?;
    }
    Ok(())
}

/// `{**mapping}`
pub fn dict_update(dict: &Bound<'_, PyDict>, mapping: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: both are live objects; PyDict_Update returns -1 with an exception set.
    let status = unsafe { ffi::PyDict_Update(dict.as_ptr(), mapping.as_ptr()) };
    if status == 0 {
        return Ok(());
    }
    let err = super::values::fetched(dict.py());
    if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(dict.py()) {
        return Err(PyTypeError::new_err(format!(
            "'{}' object is not a mapping",
            type_name(mapping)
        )));
    }
    Err(err)
}

pub fn tuple<'py>(py: Python<'py>, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    Ok(super::values::checked_tuple(py, items)?.into_any())
}

pub fn list<'py>(py: Python<'py>, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    Ok(super::values::checked_list(py, items)?.into_any())
}

pub fn set<'py>(py: Python<'py>, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    Ok(PySet::new(py, items)?.into_any())
}

pub fn list_to_tuple<'py>(list: Bound<'py, PyList>) -> Bound<'py, PyAny> {
    list.to_tuple().into_any()
}

/// `slice(lower, upper, step)`
pub fn slice<'py>(
    py: Python<'py>,
    lower: Option<Bound<'py, PyAny>>,
    upper: Option<Bound<'py, PyAny>>,
    step: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let ptr =
        |o: &Option<Bound<'py, PyAny>>| o.as_ref().map_or(std::ptr::null_mut(), |b| b.as_ptr());
    // SAFETY: NULL means None for PySlice_New; others are live; returns a new reference.
    unsafe {
        super::values::owned_or_err(py, ffi::PySlice_New(ptr(&lower), ptr(&upper), ptr(&step)))
    }
}

/// `a, b, *rest, c = value`: `before` targets, then a starred one if `after` is given.
pub fn unpack<'py>(
    value: &Bound<'py, PyAny>,
    before: usize,
    after: Option<usize>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let iter = value.try_iter().map_err(|e| {
        if !e.is_instance_of::<PyTypeError>(value.py()) {
            return e;
        }
        PyTypeError::new_err(format!(
            "cannot unpack non-iterable {} object",
            type_name(value)
        ))
    })?;
    let items: Vec<Bound<'py, PyAny>> = match after {
        None => {
            let mut items = Vec::with_capacity(before);
            for item in iter {
                if items.len() == before {
                    return Err(PyValueError::new_err(format!(
                        "too many values to unpack (expected {before})"
                    )));
                }
                items.push(item?);
            }
            if items.len() < before {
                return Err(PyValueError::new_err(format!(
                    "not enough values to unpack (expected {before}, got {})",
                    items.len()
                )));
            }
            items
        }
        Some(after) => {
            let all = iter.collect::<PyResult<Vec<_>>>()?;
            if all.len() < before + after {
                return Err(PyValueError::new_err(format!(
                    "not enough values to unpack (expected at least {}, got {})",
                    before + after,
                    all.len()
                )));
            }
            let mut all = all;
            let tail = all.split_off(all.len() - after);
            let middle = all.split_off(before);
            let mut items = all;
            items.push(super::values::checked_list(value.py(), middle)?.into_any());
            items.extend(tail);
            items
        }
    };
    Ok(items)
}

/// Converts the parts of an unpacking into a fixed-size array.
pub fn parts<'py, const N: usize>(
    items: Vec<Bound<'py, PyAny>>,
) -> PyResult<[Bound<'py, PyAny>; N]> {
    items
        .try_into()
        .map_err(|_| PySystemError::new_err("pycall: wrong number of unpacked values"))
}
