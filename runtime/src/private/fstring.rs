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
        b'a' => unsafe { super::values::owned_or_err(py, ffi::PyObject_ASCII(value.as_ptr()))? },
        _ => value.clone(),
    };
    if spec.is_none() && converted.is_exact_instance_of::<PyString>() {
        return Ok(converted);
    }
    #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
    if let Some(spec) = &spec
        && let Some(formatted) = format_float(&converted, spec)
    {
        return formatted;
    }
    let spec_ptr = spec.as_ref().map_or(std::ptr::null_mut(), |s| s.as_ptr());
    // SAFETY: live objects (NULL spec means ""); returns a new reference or NULL.
    unsafe { super::values::owned_or_err(py, ffi::PyObject_Format(converted.as_ptr(), spec_ptr)) }
}

/// `format(value, spec)` for an exact `float` and a spec of the form `.<precision>f` or
/// `.<precision>e` (precision below 100): what `float.__format__` computes for such a spec,
/// `PyOS_double_to_string(value, type, precision, 0)` (no sign, padding, grouping or
/// alternate-form option applies), without looking the method up, making a bound method and
/// parsing the spec each time. `None`: any other value or spec (`PyObject_Format` does it).
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
#[inline]
fn format_float<'py>(
    value: &Bound<'py, PyAny>,
    spec: &Bound<'py, PyAny>,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    let py = value.py();
    // SAFETY: attached; live objects; a float's value read after its exact type is checked;
    // the spec's UTF-8 read after its exact type is checked (NULL on error, cleared).
    unsafe {
        if ffi::Py_TYPE(value.as_ptr()) != &raw mut ffi::PyFloat_Type
            || ffi::PyUnicode_CheckExact(spec.as_ptr()) == 0
        {
            return None;
        }
        let mut len: ffi::Py_ssize_t = 0;
        let text = ffi::PyUnicode_AsUTF8AndSize(spec.as_ptr(), &mut len);
        if text.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        let text = std::slice::from_raw_parts(text.cast::<u8>(), len as usize);
        let (precision, kind) = match *text {
            [b'.', d, kind @ (b'f' | b'e')] if d.is_ascii_digit() => (d - b'0', kind),
            [b'.', d1, d2, kind @ (b'f' | b'e')] if d1.is_ascii_digit() && d2.is_ascii_digit() => {
                ((d1 - b'0') * 10 + (d2 - b'0'), kind)
            }
            _ => return None,
        };
        let v = ffi::PyFloat_AS_DOUBLE(value.as_ptr());
        let buffer = ffi::PyOS_double_to_string(
            v,
            kind as std::ffi::c_char,
            precision.into(),
            0,
            std::ptr::null_mut(),
        );
        if buffer.is_null() {
            return Some(Err(super::values::fetched(py)));
        }
        let length = std::ffi::CStr::from_ptr(buffer).to_bytes().len();
        let result = ffi::PyUnicode_FromStringAndSize(buffer, length as ffi::Py_ssize_t);
        ffi::PyMem_Free(buffer.cast());
        Some(super::values::owned_or_err(py, result))
    }
}

/// The pieces of an f-string (each a `str`), joined: the result made at its final size and
/// the pieces' characters copied in, without the tuple `str.join` takes.
pub fn join_str<'py, const N: usize>(
    py: Python<'py>,
    pieces: [Bound<'py, PyAny>; N],
) -> PyResult<Bound<'py, PyAny>> {
    #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy, Py_3_14)))]
    // SAFETY: attached; live objects; each piece is checked to be a `str` before its length
    // and kind are read (`PyUnicode_GetLength` makes a legacy string ready); the new string
    // has room for every piece, and its maximum character is at least each piece's (a
    // string's kind is the smallest that holds its characters).
    unsafe {
        let mut total: ffi::Py_ssize_t = 0;
        let mut maxchar: ffi::Py_UCS4 = 0;
        let mut joinable = true;
        for piece in &pieces {
            let o = piece.as_ptr();
            if ffi::PyUnicode_Check(o) == 0 {
                joinable = false;
                break;
            }
            let len = ffi::PyUnicode_GetLength(o);
            if len < 0 {
                return Err(super::values::fetched(py));
            }
            let Some(sum) = total.checked_add(len) else {
                joinable = false;
                break;
            };
            total = sum;
            maxchar = maxchar.max(match ffi::PyUnicode_KIND(o) {
                ffi::PyUnicode_1BYTE_KIND if ffi::PyUnicode_IS_ASCII(o) != 0 => 0x7f,
                ffi::PyUnicode_1BYTE_KIND => 0xff,
                ffi::PyUnicode_2BYTE_KIND => 0xffff,
                _ => 0x10ffff,
            });
        }
        if joinable {
            let out = super::values::owned_or_err(py, ffi::PyUnicode_New(total, maxchar))?;
            let mut at: ffi::Py_ssize_t = 0;
            for piece in &pieces {
                let len = ffi::PyUnicode_GetLength(piece.as_ptr());
                if ffi::PyUnicode_CopyCharacters(out.as_ptr(), at, piece.as_ptr(), 0, len) < 0 {
                    return Err(super::values::fetched(py));
                }
                at += len;
            }
            return Ok(out);
        }
    }
    let tuple = super::values::checked_tuple(py, pieces)?;
    let empty = intern!(py, "");
    // SAFETY: live objects; PyUnicode_Join returns a new reference or NULL.
    unsafe { super::values::owned_or_err(py, ffi::PyUnicode_Join(empty.as_ptr(), tuple.as_ptr())) }
}
