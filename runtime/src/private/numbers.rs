//! `+`, `-`, `*`, `/` and the comparisons, with the fast path CPython's specializing
//! interpreter takes for floats (`BINARY_OP_ADD_FLOAT`, `COMPARE_OP_FLOAT`): when both operands
//! are exactly `float`, the operation is IEEE 754's, as Python's, computed in Rust, and only the
//! result is made a Python object. Two exact `int`s go straight to `int`'s own slot (reading
//! them into Rust and back measured slower than CPython's own arithmetic). Everything else goes
//! through CPython's operator: a zero divisor (the `ZeroDivisionError`), mixed `int` and
//! `float`, subclasses.

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
    /// `%` and `//`: no float fast path (Python's results take the divisor's sign), only
    /// `int`'s slot.
    Mod,
    FloorDiv,
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
        Op::Mod | Op::FloorDiv => None,
    }
}

/// `a op b`: the fast path, else CPython's operator; a new reference, or NULL with an
/// exception set. Out of line, one function for every call site (a call costs a few
/// instructions per operation; inlining it into every `py!` cost build time).
///
/// # Safety
/// Attached; live objects.
#[inline(never)]
unsafe fn binary(a: *mut ffi::PyObject, b: *mut ffi::PyObject, op: Op) -> *mut ffi::PyObject {
    // SAFETY: per the contract; each `PyNumber_*` returns a new reference or NULL with an
    // exception set.
    unsafe {
        if let (Some(x), Some(y)) = (float(a), float(b))
            && let Some(result) = compute(x, y, op)
        {
            return ffi::PyFloat_FromDouble(result);
        }
        #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
        if let Some(result) = int_slot(a, b, op) {
            return result;
        }
        match op {
            Op::Add => ffi::PyNumber_Add(a, b),
            Op::Sub => ffi::PyNumber_Subtract(a, b),
            Op::Mul => ffi::PyNumber_Multiply(a, b),
            Op::TrueDiv => ffi::PyNumber_TrueDivide(a, b),
            Op::Mod => ffi::PyNumber_Remainder(a, b),
            Op::FloorDiv => ffi::PyNumber_FloorDivide(a, b),
        }
    }
}

/// `a op b` for two exact `int`s: `int`'s own slot, called directly. It is what `PyNumber_Add`
/// (and the others) ends in for two operands of one type whose slot never declines them (no
/// `NotImplemented`), without the dispatch between the two operands' slots. `None` when either
/// is not exactly an `int`.
///
/// # Safety
/// Attached; live objects.
#[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
#[inline(always)]
unsafe fn int_slot(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    op: Op,
) -> Option<*mut ffi::PyObject> {
    let int = &raw mut ffi::PyLong_Type;
    // SAFETY: per the contract; `int` is a static type whose number slots are all set.
    unsafe {
        if ffi::Py_TYPE(a) != int || ffi::Py_TYPE(b) != int {
            return None;
        }
        let slots = (*int).tp_as_number;
        let slot = match op {
            Op::Add => (*slots).nb_add,
            Op::Sub => (*slots).nb_subtract,
            Op::Mul => (*slots).nb_multiply,
            Op::TrueDiv => (*slots).nb_true_divide,
            Op::Mod => (*slots).nb_remainder,
            Op::FloorDiv => (*slots).nb_floor_divide,
        };
        slot.map(|f| f(a, b))
    }
}

/// [`binary`] as a `PyResult`.
#[inline(always)]
fn binary_result<'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    op: Op,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: attached (`a` is bound); live objects; a new reference or NULL.
    unsafe { super::values::owned_or_err(a.py(), binary(a.as_ptr(), b.as_ptr(), op)) }
}

/// `a + b`
#[inline(always)]
pub fn add<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary_result(a, b, Op::Add)
}

/// `a - b`
#[inline(always)]
pub fn sub<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary_result(a, b, Op::Sub)
}

/// `a * b`
#[inline(always)]
pub fn mul<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary_result(a, b, Op::Mul)
}

/// `a / b`
#[inline(always)]
pub fn true_div<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary_result(a, b, Op::TrueDiv)
}

/// `a % b`
#[inline(always)]
pub fn rem<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary_result(a, b, Op::Mod)
}

/// `a // b`
#[inline(always)]
pub fn floor_div<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    binary_result(a, b, Op::FloorDiv)
}

/// The fast path of an augmented assignment `a op= b`: `int` and `float` have no in-place
/// operators, so it is the binary one. `None`: not covered (the caller takes
/// `PyNumber_InPlace…`); else a new reference, or NULL with an exception set.
///
/// # Safety
/// Attached; live objects.
#[inline(always)]
pub(crate) unsafe fn inplace_fast(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    op: super::ops::InplaceOp,
) -> Option<*mut ffi::PyObject> {
    use super::ops::InplaceOp as I;
    let op = match op {
        I::Add => Op::Add,
        I::Sub => Op::Sub,
        I::Mult => Op::Mul,
        I::Div => Op::TrueDiv,
        I::Mod => Op::Mod,
        I::FloorDiv => Op::FloorDiv,
        _ => return None,
    };
    // SAFETY: attached; both are live objects; a new reference or NULL with an exception set.
    unsafe {
        if let (Some(x), Some(y)) = (float(a), float(b)) {
            return compute(x, y, op).map(|n| ffi::PyFloat_FromDouble(n));
        }
        #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
        return int_slot(a, b, op);
        #[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
        None
    }
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
    // SAFETY: attached (`a` is bound); live objects; a new reference or NULL.
    unsafe { super::values::owned_or_err(a.py(), compare_raw(a.as_ptr(), b.as_ptr(), op)) }
}

/// [`compare`]'s work: a new reference, or NULL with an exception set.
///
/// # Safety
/// Attached; live objects.
#[inline(never)]
unsafe fn compare_raw(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    op: CompareOp,
) -> *mut ffi::PyObject {
    // SAFETY: per the contract; `Py_True`/`Py_False` are borrowed, a reference is added.
    unsafe {
        match (float(a), float(b)) {
            (Some(x), Some(y)) => {
                let result = if ordered(x, y, op) {
                    ffi::Py_True()
                } else {
                    ffi::Py_False()
                };
                ffi::Py_INCREF(result);
                result
            }
            _ => ffi::PyObject_RichCompare(a, b, op as std::ffi::c_int),
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
    // SAFETY: attached (`a` is bound); live objects.
    match unsafe { compare_test_raw(a.as_ptr(), b.as_ptr(), op) } {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(super::values::fetched(a.py())),
    }
}

/// [`compare_test`]'s work: 1 (true), 0 (false) or -1 with an exception set.
///
/// # Safety
/// Attached; live objects.
#[inline(never)]
unsafe fn compare_test_raw(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    op: CompareOp,
) -> std::ffi::c_int {
    // SAFETY: per the contract; `PyObject_RichCompare` returns a new reference or NULL with an
    // exception set, released here; `PyObject_IsTrue` is -1 with an exception set on error.
    unsafe {
        if let (Some(x), Some(y)) = (float(a), float(b)) {
            return ordered(x, y, op).into();
        }
        let result = ffi::PyObject_RichCompare(a, b, op as std::ffi::c_int);
        if result.is_null() {
            return -1;
        }
        let truth = if result == ffi::Py_True() {
            1
        } else if result == ffi::Py_False() {
            0
        } else {
            ffi::PyObject_IsTrue(result)
        };
        ffi::Py_DECREF(result);
        truth
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
