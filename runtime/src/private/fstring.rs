//! F-strings: replacement fields and the joined result.

use crate::__private::intern;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// One replacement field of an f-string: `!r`/`!s`/`!a` (by its character code, 0 for none),
/// then `format(value, spec)`.
pub fn format_value<'py>(
    value: &Bound<'py, PyAny>,
    conversion: u8,
    spec: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    let converted = match conversion {
        b'r' => value.repr()?.into_any(),
        b's' => value.str()?.into_any(),
        // SAFETY: a live object; PyObject_ASCII returns a new reference or NULL.
        b'a' => unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyObject_ASCII(value.as_ptr()))? },
        _ => value.clone(),
    };
    if spec.is_none() && converted.is_exact_instance_of::<PyString>() {
        return Ok(converted);
    }
    let spec_ptr = spec.as_ref().map_or(std::ptr::null_mut(), |s| s.as_ptr());
    // SAFETY: live objects (NULL spec means ""); returns a new reference or NULL.
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyObject_Format(converted.as_ptr(), spec_ptr)) }
}

/// The pieces of an f-string, joined.
pub fn join_str<'py, const N: usize>(
    py: Python<'py>,
    pieces: [Bound<'py, PyAny>; N],
) -> PyResult<Bound<'py, PyAny>> {
    let tuple = super::values::checked_tuple(py, pieces)?;
    let empty = intern!(py, "");
    // SAFETY: live objects; PyUnicode_Join returns a new reference or NULL.
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_Join(empty.as_ptr(), tuple.as_ptr())) }
}
