//! Attribute access, `obj.name`, `obj.name = v` and `del obj.name`, as CPython's
//! `PyObject_GetAttr`/`PyObject_SetAttr` do it, with the steps those functions spend on names
//! that may not be interned strings left out: every name the expansion passes is a string
//! interned once per call site (`intern!`), so the type's own slot is called directly.

use super::lookup::AttrSite;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// `obj.name`. `name` must be an interned `str` (as `intern!` makes).
#[inline]
pub fn getattr<'py>(
    obj: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    // SAFETY: attached; `obj` keeps its type alive.
    let slot = unsafe { (*ffi::Py_TYPE(obj.as_ptr())).tp_getattro };
    let Some(slot) = slot else {
        // A type with only the old `tp_getattr` slot, or none: CPython's own path.
        return obj.getattr(name);
    };
    // SAFETY: attached; both objects are live; the slot returns a new reference or NULL
    // with an exception set.
    let result = unsafe { slot(obj.as_ptr(), name.as_ptr()) };
    if result.is_null() {
        return Err(attribute_error_context(
            obj,
            name,
            super::values::fetched(py),
        ));
    }
    // SAFETY: a new reference, checked non-NULL.
    Ok(unsafe { Bound::from_owned_ptr(py, result) })
}

/// `obj.name` at a call site: from the site's cache when `obj` is a module (see
/// [`AttrSite`]), else as [`getattr`], out of line.
#[inline(always)]
pub fn getattr_at<'py>(
    obj: &Bound<'py, PyAny>,
    site: &'static AttrSite,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    // SAFETY: attached; `obj` is live; a cached value is borrowed from the module's dict,
    // checked against its version, and a new reference is made at once.
    if let Some(value) = unsafe { site.module_value(py, obj.as_ptr()) } {
        return Ok(unsafe { Bound::from_borrowed_ptr(py, value) });
    }
    // SAFETY: a new reference or NULL with an exception set.
    unsafe { super::values::owned_or_err(py, getattr_named(obj, site)) }
}

/// [`getattr_at`] past the cache: a new reference, or NULL with an exception set.
#[inline(never)]
fn getattr_named(obj: &Bound<'_, PyAny>, site: &'static AttrSite) -> *mut ffi::PyObject {
    let py = obj.py();
    match site.name(py).and_then(|name| getattr(obj, name)) {
        Ok(value) => value.into_ptr(),
        Err(e) => {
            e.restore(py);
            std::ptr::null_mut()
        }
    }
}

/// What `PyObject_GetAttr` adds to an `AttributeError` from the slot (3.10+): the `name` and
/// `obj` the error is about, which the traceback's "Did you mean" suggestion reads, unless
/// the raiser gave either already.
#[cold]
fn attribute_error_context<'py>(
    obj: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    err: PyErr,
) -> PyErr {
    #[cfg(Py_3_10)]
    {
        let py = obj.py();
        let err = super::site::settle(py, err);
        if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) {
            let value = err.value(py);
            static NAME: super::values::Interned = super::values::Interned::new("name");
            static OBJ: super::values::Interned = super::values::Interned::new("obj");
            let (Ok(name_attr), Ok(obj_attr)) = (NAME.get(py), OBJ.get(py)) else {
                return err;
            };
            let unset = |field| value.getattr(field).is_ok_and(|v| v.is_none());
            if unset(name_attr) && unset(obj_attr) {
                if let Err(e) = value
                    .setattr(name_attr, name)
                    .and_then(|()| value.setattr(obj_attr, obj))
                {
                    return e;
                }
            }
        }
        err
    }
    #[cfg(not(Py_3_10))]
    {
        let _ = (obj, name);
        err
    }
}

/// `obj.name = value`, or `del obj.name` when `value` is `None`. `name` must be an interned
/// `str`.
#[inline]
fn store<'py>(
    obj: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    value: Option<&Bound<'py, PyAny>>,
) -> PyResult<()> {
    // SAFETY: attached; `obj` keeps its type alive.
    let slot = unsafe { (*ffi::Py_TYPE(obj.as_ptr())).tp_setattro };
    let Some(slot) = slot else {
        return match value {
            Some(value) => obj.setattr(name, value),
            None => obj.delattr(name),
        };
    };
    let value = value.map_or(std::ptr::null_mut(), Bound::as_ptr);
    // SAFETY: attached; the objects are live (`value` NULL deletes), as `tp_setattro` takes.
    if unsafe { slot(obj.as_ptr(), name.as_ptr(), value) } < 0 {
        return Err(super::values::fetched(obj.py()));
    }
    Ok(())
}

/// `obj.name = value`. `name` must be an interned `str`.
#[inline]
pub fn setattr<'py>(
    obj: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    value: &Bound<'py, PyAny>,
) -> PyResult<()> {
    store(obj, name, Some(value))
}

/// `del obj.name`. `name` must be an interned `str`.
#[inline]
pub fn delattr<'py>(obj: &Bound<'py, PyAny>, name: &Bound<'py, PyString>) -> PyResult<()> {
    store(obj, name, None)
}
