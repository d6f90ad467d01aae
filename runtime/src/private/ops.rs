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
