//! Operators: truthiness, `not`, `is`, `in`, `**`, and the augmented assignments.

use pyo3::ffi;
use pyo3::prelude::*;

use super::values::boolean;

#[inline(always)]
pub fn truthy(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.is_truthy()
}

#[inline(always)]
pub fn not<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    Ok(boolean(value.py(), !value.is_truthy()?))
}

#[inline(always)]
pub fn is<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> Bound<'py, PyAny> {
    boolean(a.py(), a.is(b))
}

#[inline(always)]
pub fn is_not<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> Bound<'py, PyAny> {
    boolean(a.py(), !a.is(b))
}

#[inline(always)]
pub fn contains<'py>(
    item: &Bound<'py, PyAny>,
    container: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(boolean(item.py(), container.contains(item)?))
}

#[inline(always)]
pub fn not_contains<'py>(
    item: &Bound<'py, PyAny>,
    container: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(boolean(item.py(), !container.contains(item)?))
}

#[inline(always)]
pub fn pow<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    a.pow(b, a.py().None())
}

/// The operator of an augmented assignment (`a op= b`), named as in Python's `ast`: the type
/// the expansion names (`InplaceOp::Add`) and [`inplace`] takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InplaceOp {
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    FloorDiv,
}

/// `a op= b`: the in-place operation (`__iadd__` first, then `__add__`).
#[inline(always)]
pub fn inplace<'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    op: InplaceOp,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: attached (`a` is bound); live objects; a new reference or NULL.
    unsafe { super::values::owned_or_err(a.py(), inplace_raw(a.as_ptr(), b.as_ptr(), op)) }
}

/// [`inplace`]'s work, out of line: a new reference, or NULL with an exception set.
///
/// # Safety
/// Attached; live objects.
#[inline(never)]
unsafe fn inplace_raw(
    x: *mut ffi::PyObject,
    y: *mut ffi::PyObject,
    op: InplaceOp,
) -> *mut ffi::PyObject {
    // SAFETY: per the contract; each PyNumber_InPlace* returns a new reference or NULL with an
    // exception set.
    unsafe {
        if let Some(result) = super::numbers::inplace_fast(x, y, op) {
            return result;
        }
        match op {
            InplaceOp::Add => ffi::PyNumber_InPlaceAdd(x, y),
            InplaceOp::Sub => ffi::PyNumber_InPlaceSubtract(x, y),
            InplaceOp::Mult => ffi::PyNumber_InPlaceMultiply(x, y),
            InplaceOp::MatMult => ffi::PyNumber_InPlaceMatrixMultiply(x, y),
            InplaceOp::Div => ffi::PyNumber_InPlaceTrueDivide(x, y),
            InplaceOp::Mod => ffi::PyNumber_InPlaceRemainder(x, y),
            InplaceOp::Pow => ffi::PyNumber_InPlacePower(x, y, ffi::Py_None()),
            InplaceOp::LShift => ffi::PyNumber_InPlaceLshift(x, y),
            InplaceOp::RShift => ffi::PyNumber_InPlaceRshift(x, y),
            InplaceOp::BitOr => ffi::PyNumber_InPlaceOr(x, y),
            InplaceOp::BitXor => ffi::PyNumber_InPlaceXor(x, y),
            InplaceOp::BitAnd => ffi::PyNumber_InPlaceAnd(x, y),
            InplaceOp::FloorDiv => ffi::PyNumber_InPlaceFloorDivide(x, y),
        }
    }
}

/// `value[key]`, with the fast paths of CPython's specializing interpreter
/// (`BINARY_SUBSCR_LIST_INT`, `…_TUPLE_INT`, `…_DICT`): an exact `list` or `tuple` indexed by
/// an exact `int`, and an exact `dict`; anything else, and every error, through
/// `PyObject_GetItem`.
#[inline(always)]
pub fn get_item<'py>(
    value: &Bound<'py, PyAny>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: attached (`value` is bound); live objects; a new reference or NULL.
    unsafe { super::values::owned_or_err(value.py(), subscript(value.as_ptr(), key.as_ptr())) }
}

/// [`get_item`]'s work: a new reference, or NULL with an exception set.
///
/// # Safety
/// Attached; live objects.
#[inline(never)]
unsafe fn subscript(v: *mut ffi::PyObject, k: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: per the contract; the types are checked before their layouts are used; no
    // Python code runs between the bounds check and the read; a found item is borrowed and a
    // reference added at once.
    #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
    unsafe {
        let ty = ffi::Py_TYPE(v);
        let list = ty == &raw mut ffi::PyList_Type;
        if (list || ty == &raw mut ffi::PyTuple_Type)
            && ffi::Py_TYPE(k) == &raw mut ffi::PyLong_Type
        {
            let i = ffi::PyLong_AsSsize_t(k);
            if i == -1 && !ffi::PyErr_Occurred().is_null() {
                // Past an index: `PyObject_GetItem` raises CPython's `IndexError`.
                ffi::PyErr_Clear();
            } else {
                let n = ffi::Py_SIZE(v);
                let j = if i < 0 { i + n } else { i };
                if (0..n).contains(&j) {
                    let item = if list {
                        ffi::PyList_GET_ITEM(v, j)
                    } else {
                        ffi::PyTuple_GET_ITEM(v, j)
                    };
                    ffi::Py_INCREF(item);
                    return item;
                }
            }
        } else if ty == &raw mut ffi::PyDict_Type {
            let item = ffi::PyDict_GetItemWithError(v, k);
            if !item.is_null() {
                ffi::Py_INCREF(item);
                return item;
            }
            if ffi::PyErr_Occurred().is_null() {
                // Missing: `KeyError(key)`, the key as the one argument even if a tuple (as
                // `dict.__getitem__` raises it), without hashing the key again.
                let args = ffi::PyTuple_Pack(1, k);
                if !args.is_null() {
                    ffi::PyErr_SetObject(ffi::PyExc_KeyError, args);
                    ffi::Py_DECREF(args);
                }
            }
            return std::ptr::null_mut();
        }
    }
    // SAFETY: per the contract; a new reference or NULL with an exception set.
    unsafe { ffi::PyObject_GetItem(v, k) }
}
