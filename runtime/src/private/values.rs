//! Values: literals and other constants, builtins, and Rust values converted to Python.

use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyComplex, PyFloat, PyString};

use super::cells::undefined;

/// A Rust value used as a Python object, converted by reference (the value is not moved).
pub trait ToPyArg<'py> {
    fn to_py_arg(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

impl<'py, T: ?Sized> ToPyArg<'py> for T
where
    for<'a> &'a T: IntoPyObject<'py>,
{
    #[inline(always)]
    fn to_py_arg(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.into_pyobject(py) {
            Ok(obj) => Ok(pyo3::BoundObject::into_bound(obj).into_any()),
            Err(e) => Err(e.into()),
        }
    }
}

/// A per-call-site cached constant (numbers, strings, bytes).
#[inline(always)]
pub fn constant<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    make: fn(Python<'_>) -> PyResult<Py<PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    constant_ref(py, cell, make).cloned()
}

/// A per-call-site cached constant, borrowed from its cell.
#[inline(always)]
pub fn constant_ref<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    make: fn(Python<'_>) -> PyResult<Py<PyAny>>,
) -> PyResult<&'py Bound<'py, PyAny>> {
    Ok(cell.get_or_try_init(py, || make(py))?.bind(py))
}

pub fn make_int(py: Python<'_>, digits: &'static str) -> PyResult<Py<PyAny>> {
    if let Ok(small) = digits.parse::<i64>() {
        return Ok(small.into_pyobject(py)?.into_any().unbind());
    }
    let digits = std::ffi::CString::new(digits)
        .map_err(|_| PyValueError::new_err("invalid integer literal"))?;
    // SAFETY: `digits` is a NUL-terminated string of decimal digits; the result is a new
    // reference or NULL with an exception set.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyLong_FromString(digits.as_ptr(), std::ptr::null_mut(), 10),
        )
        .map(Bound::unbind)
    }
}

pub fn make_float(py: Python<'_>, bits: u64) -> Py<PyAny> {
    PyFloat::new(py, f64::from_bits(bits)).into_any().unbind()
}

pub fn make_imag(py: Python<'_>, bits: u64) -> Py<PyAny> {
    PyComplex::from_doubles(py, 0.0, f64::from_bits(bits))
        .into_any()
        .unbind()
}

/// A docstring's text for this interpreter: CPython 3.13+ compiles docstrings without their
/// indentation (`cleaned`), earlier versions keep them as written (`raw`).
///
/// ```
/// # use pycall::__private::docstring;
/// let text = docstring("Sums.\n    Twice.", "Sums.\nTwice.");
/// assert!(text == "Sums.\n    Twice." || text == "Sums.\nTwice.");
/// ```
pub const fn docstring(raw: &'static str, cleaned: &'static str) -> &'static str {
    if cfg!(Py_3_13) { cleaned } else { raw }
}

pub fn make_str(py: Python<'_>, s: &str) -> Py<PyAny> {
    PyString::intern(py, s).into_any().unbind()
}

pub fn make_bytes(py: Python<'_>, b: &[u8]) -> Py<PyAny> {
    PyBytes::new(py, b).into_any().unbind()
}

#[inline(always)]
pub fn none(py: Python<'_>) -> Bound<'_, PyAny> {
    py.None().into_bound(py)
}

#[inline(always)]
pub fn boolean(py: Python<'_>, value: bool) -> Bound<'_, PyAny> {
    PyBool::new(py, value).to_owned().into_any()
}

#[inline(always)]
pub fn ellipsis(py: Python<'_>) -> Bound<'_, PyAny> {
    py.Ellipsis().into_bound(py)
}

/// A builtin, looked up once per call site.
#[inline(always)]
pub fn builtin<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &'static str,
) -> PyResult<Bound<'py, PyAny>> {
    builtin_ref(py, cell, name).cloned()
}

/// A builtin, looked up once per call site, borrowed from its cell.
#[inline(always)]
pub fn builtin_ref<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &'static str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    Ok(cell
        .get_or_try_init(py, || look_up_builtin(py, name))?
        .bind(py))
}

/// `builtins.<name>`, or the `NameError` CPython raises for a name the running version's
/// `builtins` lacks (`aiter` on 3.9, `ExceptionGroup` before 3.11, ...).
#[cold]
fn look_up_builtin(py: Python<'_>, name: &'static str) -> PyResult<Py<PyAny>> {
    let builtins = py.import(intern!(py, "builtins"))?;
    match builtins.getattr(name) {
        Ok(value) => Ok(value.unbind()),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {
            Err(undefined(name))
        }
        Err(e) => Err(e),
    }
}

pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}
