//! `+`, `-`, `*`, `/` and the comparisons, with the fast path CPython's specializing
//! interpreter takes for floats (`BINARY_OP_ADD_FLOAT`, `COMPARE_OP_FLOAT`): when both operands
//! are exactly `float`, the operation is IEEE 754's, as Python's, computed in Rust, and only the
//! result is made a Python object. Everything else goes through CPython's own operator: `int`s
//! (whose own operations CPython already does quickly: reading them into Rust and back measured
//! slower), a zero divisor (the `ZeroDivisionError`), mixed `int` and `float`, subclasses.

use pyo3::basic::CompareOp;
use pyo3::ffi;
use pyo3::prelude::*;

/// `o`'s value if it is exactly a `float`.
///
/// # Safety
/// Attached; `o` is a live object.
#[inline(always)]
unsafe fn float(o: *mut ffi::PyObject) -> Option<f64> {
    // SAFETY: per the contract; the type is checked first.
    unsafe { (ffi::Py_TYPE(o) == &raw mut ffi::PyFloat_Type).then(|| ffi::PyFloat_AS_DOUBLE(o)) }
}

/// A binary operator with a fast path.
#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    TrueDiv,
}

/// `a op b` for two floats, as Python computes it (IEEE 754 arithmetic); `None` for a zero
/// divisor (CPython raises the `ZeroDivisionError`).
#[inline(always)]
fn compute(a: f64, b: f64, op: Op) -> Option<f64> {
    match op {
        Op::Add => Some(a + b),
        Op::Sub => Some(a - b),
        Op::Mul => Some(a * b),
        Op::TrueDiv => (b != 0.0).then(|| a / b),
    }
}

/// A new `float`.
#[inline(always)]
fn boxed(py: Python<'_>, v: f64) -> PyResult<Bound<'_, PyAny>> {
    // SAFETY: attached; a new reference, or NULL with an exception set.
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyFloat_FromDouble(v)) }
}

/// `a op b`: the fast path, else `slow` (CPython's operator). Inlined into the call site, as
/// PyO3's generic operator methods are: a call more per operation measured 10–20 instructions.
#[inline(always)]
fn binary<'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    op: Op,
    slow: unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    // SAFETY: attached; both are live objects; `slow` returns a new reference or NULL with an
    // exception set.
    unsafe {
        if let (Some(x), Some(y)) = (float(a.as_ptr()), float(b.as_ptr()))
            && let Some(result) = compute(x, y, op)
        {
            return boxed(py, result);
        }
        Bound::from_owned_ptr_or_err(py, slow(a.as_ptr(), b.as_ptr()))
    }
}

/// `a + b`
#[inline(always)]
pub fn add<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary(a, b, Op::Add, ffi::PyNumber_Add)
}

/// `a - b`
#[inline(always)]
pub fn sub<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary(a, b, Op::Sub, ffi::PyNumber_Subtract)
}

/// `a * b`
#[inline(always)]
pub fn mul<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary(a, b, Op::Mul, ffi::PyNumber_Multiply)
}

/// `a / b`
#[inline(always)]
pub fn true_div<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary(a, b, Op::TrueDiv, ffi::PyNumber_TrueDivide)
}

/// The fast path of an augmented assignment `a op= b`: `int` and `float` have no in-place
/// operators, so it is the binary one. `None`: not covered (the caller takes
/// `PyNumber_InPlace…`).
#[inline(always)]
pub(crate) fn inplace_fast<'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    op: super::ops::InplaceOp,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    use super::ops::InplaceOp as I;
    let op = match op {
        I::Add => Op::Add,
        I::Sub => Op::Sub,
        I::Mult => Op::Mul,
        I::Div => Op::TrueDiv,
        _ => return None,
    };
    // SAFETY: attached; both are live objects.
    let (x, y) = unsafe { (float(a.as_ptr())?, float(b.as_ptr())?) };
    compute(x, y, op).map(|n| boxed(a.py(), n))
}

/// `a <op> b` for the six rich comparisons: for two exact `float`s, IEEE 754's comparison (as
/// Python's: every comparison with a NaN is false but `!=`, and `-0.0 == 0.0`); else
/// `PyObject_RichCompare`.
#[inline(always)]
pub fn compare<'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    op: CompareOp,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    // SAFETY: attached; both are live objects.
    // SAFETY: attached; both are live objects; `PyObject_RichCompare` returns a new
    // reference or NULL with an exception set.
    unsafe {
        match (float(a.as_ptr()), float(b.as_ptr())) {
            (Some(x), Some(y)) => Ok(super::values::boolean(py, ordered(x, y, op))),
            _ => Bound::from_owned_ptr_or_err(
                py,
                ffi::PyObject_RichCompare(a.as_ptr(), b.as_ptr(), op as std::ffi::c_int),
            ),
        }
    }
}

/// `bool(a <op> b)`, for a condition: as [`compare`], without making the `bool` object for
/// two floats, and reading `True` and `False` without calling `__bool__`.
#[inline(always)]
pub fn compare_test<'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    op: CompareOp,
) -> PyResult<bool> {
    let py = a.py();
    // SAFETY: attached; both are live objects; `PyObject_RichCompare` returns a new
    // reference or NULL with an exception set.
    unsafe {
        if let (Some(x), Some(y)) = (float(a.as_ptr()), float(b.as_ptr())) {
            return Ok(ordered(x, y, op));
        }
        let result = Bound::from_owned_ptr_or_err(
            py,
            ffi::PyObject_RichCompare(a.as_ptr(), b.as_ptr(), op as std::ffi::c_int),
        )?;
        if result.as_ptr() == ffi::Py_True() {
            return Ok(true);
        }
        if result.as_ptr() == ffi::Py_False() {
            return Ok(false);
        }
        result.is_truthy()
    }
}

#[inline(always)]
fn ordered(x: f64, y: f64, op: CompareOp) -> bool {
    match op {
        CompareOp::Lt => x < y,
        CompareOp::Le => x <= y,
        CompareOp::Eq => x == y,
        CompareOp::Ne => x != y,
        CompareOp::Gt => x > y,
        CompareOp::Ge => x >= y,
    }
}
