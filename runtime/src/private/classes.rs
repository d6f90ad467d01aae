//! `#[derive(Class)]` and `#[pycall::methods]`: repr, equality, hashing, direct field reads.

use pyo3::prelude::*;
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
    super::values::checked_tuple(obj.py(), values)
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
