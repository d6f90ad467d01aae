//! Run-time support for `#[derive(Class)]` (repr, equality, hashing, direct field reads) and
//! for `wrap!` (cached targets, calls, typed results). Only generated code calls it.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

/// `Name(field=repr, ...)`, the dataclass-style `__repr__` of a derived class; fields are read
/// through their Python getters (so a field mutably borrowed by Rust raises, as any read does).
pub fn class_repr(slf: &Bound<'_, PyAny>, name: &str, fields: &[&str]) -> PyResult<String> {
    let mut out = String::with_capacity(16 * fields.len() + name.len() + 2);
    out.push_str(name);
    out.push('(');
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(field);
        out.push('=');
        let value = slf.getattr(*field)?;
        out.push_str(&value.repr()?.to_cow()?);
    }
    out.push(')');
    Ok(out)
}

fn field_tuple<'py>(obj: &Bound<'py, PyAny>, fields: &[&str]) -> PyResult<Bound<'py, PyTuple>> {
    let values = fields
        .iter()
        .map(|f| obj.getattr(*f))
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(obj.py(), values)
}

/// `__eq__` (or, with `negate`, `__ne__`) of a derived class: like a dataclass, two objects of
/// the same class are equal when their exposed fields are; any other operand is
/// `NotImplemented`.
pub fn class_eq<T: pyo3::PyClass>(
    slf: &Bound<'_, PyAny>,
    other: &Bound<'_, PyAny>,
    fields: &[&str],
    negate: bool,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    if !other.is_instance_of::<T>() {
        return Ok(py.NotImplemented());
    }
    let equal = slf.is(other) || field_tuple(slf, fields)?.eq(field_tuple(other, fields)?)?;
    Ok(pyo3::types::PyBool::new(py, equal != negate)
        .to_owned()
        .into_any()
        .unbind())
}

/// `__hash__` of a frozen derived class: the hash of its exposed fields as a tuple.
pub fn class_hash(slf: &Bound<'_, PyAny>, fields: &[&str]) -> PyResult<isize> {
    field_tuple(slf, fields)?.hash()
}

/// What `#[derive(Class)]` knows of a class: the Python names of its exposed fields (for
/// `__repr__`, `__eq__`, `__hash__`, and `#[methods]`' check that no method hides a field).
#[diagnostic::on_unimplemented(
    message = "`#[pycall::methods]` is for structs with `#[derive(pycall::Class)]`; `{Self}` has none",
    note = "for a struct made a Python class with PyO3's `#[pyclass]`, use PyO3's `#[pymethods]`"
)]
pub trait ClassInfo: pyo3::PyClass {
    const FIELDS: &'static [&'static str];
}

/// Whether `name` is among `fields`, at compile time.
pub const fn has_field(fields: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < fields.len() {
        let (a, b) = (fields[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// A field of a derived class that `py!` reads directly: `KEY` is a hash of its Python name
/// (computed by the macros), `FIELD` the name itself.
pub trait Field<const KEY: u64>: pyo3::PyClass {
    const FIELD: &'static str;
    fn get<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>>;
}

/// `py!`'s `value.name` on a Rust value: when `value` is a `Bound<T>`/`Py<T>` (or a reference to
/// one) whose `T` has a direct field of that name, [`AttrDirect`] reads it; for anything else
/// [`AttrNone`] answers `None` and the expansion does ordinary attribute lookup. The choice is
/// made by method resolution (autoref), so at compile time.
pub struct AttrOf<'a, const KEY: u64, V: ?Sized>(pub &'a V);

pub trait AttrDirect<'py> {
    fn pycall_direct(&self, py: Python<'py>, name: &str) -> Option<PyResult<Bound<'py, PyAny>>>;
}

#[inline(always)]
fn direct<'py, const KEY: u64, T: Field<KEY>>(
    obj: &Bound<'py, T>,
    name: &str,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    // Before 3.10 a class cannot be made immutable, so Python code could replace a field's
    // descriptor; there the read goes through attribute lookup, which sees any replacement.
    if cfg!(not(Py_3_10)) {
        return None;
    }
    (<T as Field<KEY>>::FIELD == name).then(|| T::get(obj))
}

impl<'py, const KEY: u64, T: Field<KEY>> AttrDirect<'py> for AttrOf<'_, KEY, Bound<'py, T>> {
    #[inline(always)]
    fn pycall_direct(&self, _: Python<'py>, name: &str) -> Option<PyResult<Bound<'py, PyAny>>> {
        direct::<KEY, T>(self.0, name)
    }
}

impl<'py, const KEY: u64, T: Field<KEY>> AttrDirect<'py> for AttrOf<'_, KEY, &Bound<'py, T>> {
    #[inline(always)]
    fn pycall_direct(&self, _: Python<'py>, name: &str) -> Option<PyResult<Bound<'py, PyAny>>> {
        direct::<KEY, T>(self.0, name)
    }
}

impl<'py, const KEY: u64, T: Field<KEY>> AttrDirect<'py> for AttrOf<'_, KEY, Py<T>> {
    #[inline(always)]
    fn pycall_direct(&self, py: Python<'py>, name: &str) -> Option<PyResult<Bound<'py, PyAny>>> {
        direct::<KEY, T>(self.0.bind(py), name)
    }
}

impl<'py, const KEY: u64, T: Field<KEY>> AttrDirect<'py> for AttrOf<'_, KEY, &Py<T>> {
    #[inline(always)]
    fn pycall_direct(&self, py: Python<'py>, name: &str) -> Option<PyResult<Bound<'py, PyAny>>> {
        direct::<KEY, T>(self.0.bind(py), name)
    }
}

pub trait AttrNone<'py> {
    #[inline(always)]
    fn pycall_direct(&self, _: Python<'py>, _: &str) -> Option<PyResult<Bound<'py, PyAny>>> {
        None
    }
}

impl<'py, const KEY: u64, V: ?Sized> AttrNone<'py> for &AttrOf<'_, KEY, V> {}

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
            Ok(py.import(module)?.getattr(class)?.unbind())
        } else {
            Ok(py.import(path)?.into_any().unbind())
        }
    })?;
    Ok(target.bind(py))
}

/// A wrapper method's argument, converted to a Python object.
#[inline(always)]
pub fn wrapper_arg<'py, T: IntoPyObject<'py>>(
    py: Python<'py>,
    value: T,
) -> PyResult<Bound<'py, PyAny>> {
    match value.into_pyobject(py) {
        Ok(obj) => Ok(pyo3::BoundObject::into_bound(obj).into_any()),
        Err(e) => Err(e.into()),
    }
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
    result.inspect_err(|e| wrapper_failed(py, e, what, caller))
}

#[cold]
fn wrapper_failed(
    py: Python<'_>,
    err: &PyErr,
    what: &str,
    caller: &'static std::panic::Location<'static>,
) {
    // The note and the entry are additions; if they cannot be added, the exception stands.
    super::add_note(py, err, &format!("in {what} (a pycall::wrap! method)"));
    let key = std::ptr::from_ref(caller) as usize;
    super::add_traceback_entry(py, err, key, caller.file(), caller.line(), || {
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
            let err = super::conversion_error(
                value.py(),
                e.into(),
                value,
                &format!("in {what} (a pycall::wrap! method)"),
                target,
            );
            let key = std::ptr::from_ref(caller) as usize;
            let name = || what.to_owned();
            super::add_traceback_entry(value.py(), &err, key, caller.file(), caller.line(), name);
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
