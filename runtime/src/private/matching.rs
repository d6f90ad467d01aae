//! `match`: the tests a `case` pattern makes of its subject, as CPython's `MATCH_SEQUENCE`,
//! `MATCH_MAPPING`, `MATCH_KEYS` and `MATCH_CLASS` make them (the same on 3.9, where CPython
//! itself has no `match`: there the sequence and mapping tests use `collections.abc`).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PySet, PyString, PyTuple, PyType};

/// Whether a sequence pattern (`[a, b]`, `(a, *rest)`) applies to `subject`: a list, tuple,
/// range, `collections.abc.Sequence` and the like, never `str`, `bytes` or `bytearray`.
#[inline]
pub fn match_sequence(subject: &Bound<'_, PyAny>) -> PyResult<bool> {
    #[cfg(Py_3_10)]
    {
        Ok(has_flag(subject, ffi::Py_TPFLAGS_SEQUENCE))
    }
    #[cfg(not(Py_3_10))]
    {
        let py = subject.py();
        if subject.is_instance_of::<PyString>()
            || subject.is_instance_of::<pyo3::types::PyBytes>()
            || subject.is_instance_of::<pyo3::types::PyByteArray>()
        {
            return Ok(false);
        }
        subject.is_instance(&abc(py, "Sequence")?)
    }
}

/// Whether a mapping pattern (`{"k": v}`) applies to `subject`: a dict,
/// `collections.abc.Mapping` and the like.
#[inline]
pub fn match_mapping(subject: &Bound<'_, PyAny>) -> PyResult<bool> {
    #[cfg(Py_3_10)]
    {
        Ok(has_flag(subject, ffi::Py_TPFLAGS_MAPPING))
    }
    #[cfg(not(Py_3_10))]
    {
        subject.is_instance(&abc(subject.py(), "Mapping")?)
    }
}

#[cfg(Py_3_10)]
#[inline]
fn has_flag(subject: &Bound<'_, PyAny>, flag: std::os::raw::c_ulong) -> bool {
    // SAFETY: attached; the subject keeps its type alive.
    unsafe { ffi::PyType_GetFlags(ffi::Py_TYPE(subject.as_ptr())) & flag != 0 }
}

#[cfg(not(Py_3_10))]
fn abc<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import(crate::__private::intern!(py, "collections.abc"))?
        .getattr(super::values::checked_str(py, name)?)
}

/// `len(subject)`, as a sequence or mapping pattern reads it.
#[inline]
pub fn match_len(subject: &Bound<'_, PyAny>) -> PyResult<usize> {
    subject.len()
}

/// The items of a sequence pattern's subject: `before` items, then (when `after` is given)
/// a list of the middle for the star and `after` items. A tuple or list is read in place, as
/// CPython's unpacking does; other sequences are iterated.
pub fn match_unpack<'py, const N: usize>(
    subject: &Bound<'py, PyAny>,
    before: usize,
    after: Option<usize>,
) -> PyResult<[Bound<'py, PyAny>; N]> {
    let py = subject.py();
    let ptr = subject.as_ptr();
    // SAFETY: attached; the checks are on a live object.
    let (is_tuple, is_list) = unsafe {
        (
            ffi::PyTuple_CheckExact(ptr) != 0,
            ffi::PyList_CheckExact(ptr) != 0,
        )
    };
    if is_tuple || is_list {
        // SAFETY: an exact tuple or list, as checked.
        let len = unsafe {
            if is_tuple {
                ffi::PyTuple_GET_SIZE(ptr)
            } else {
                ffi::PyList_GET_SIZE(ptr)
            }
        } as usize;
        let fits = match after {
            None => len == before && N == before,
            Some(after) => len >= before + after && N == before + 1 + after,
        };
        if fits {
            // Item `i` of the subject (a new reference): in place, no Python code runs between
            // the length read above and these reads.
            let item = |i: usize| {
                // SAFETY: `i < len`; the borrowed item is made a new reference at once.
                unsafe {
                    let borrowed = if is_tuple {
                        ffi::PyTuple_GET_ITEM(ptr, i as ffi::Py_ssize_t)
                    } else {
                        ffi::PyList_GET_ITEM(ptr, i as ffi::Py_ssize_t)
                    };
                    Bound::from_borrowed_ptr(py, borrowed)
                }
            };
            return match after {
                None => Ok(std::array::from_fn(item)),
                Some(after) => {
                    let middle = super::values::checked_list(py, (before..len - after).map(item))?;
                    let mut middle = Some(middle.into_any());
                    Ok(std::array::from_fn(|i| {
                        if i < before {
                            item(i)
                        } else if i == before {
                            middle.take().unwrap_or_else(|| py.None().into_bound(py))
                        } else {
                            item(len - after + (i - before - 1))
                        }
                    }))
                }
            };
        }
    }
    super::display::parts(super::display::unpack(subject, before, after)?)
}

/// `subject[index]`, `index` counted from the start, or from the end when `from_end` (then
/// computed as `len(subject) - index`, as CPython does for subjects that do not take negative
/// indices).
pub fn match_item<'py>(
    subject: &Bound<'py, PyAny>,
    index: usize,
    from_end: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let index = if from_end {
        subject.len()? as isize - index as isize
    } else {
        index as isize
    };
    subject.get_item(index)
}

/// The values of a mapping pattern's keys (`MATCH_KEYS`): `subject.get(key, <marker>)` for
/// each, `None` when a key is missing; a key given twice is a `ValueError`.
pub fn match_keys<'py, const N: usize>(
    subject: &Bound<'py, PyAny>,
    keys: [&Bound<'py, PyAny>; N],
) -> PyResult<Option<[Bound<'py, PyAny>; N]>> {
    let py = subject.py();
    if N == 0 {
        return Ok(Some([(); N].map(|()| py.None().into_bound(py))));
    }
    let get = subject.getattr(crate::__private::intern!(py, "get"))?;
    let seen = PySet::empty(py)?;
    let marker = py.get_type::<PyAny>().call0()?;
    let mut values = Vec::with_capacity(N);
    for key in keys {
        if seen.contains(key)? {
            return Err(PyValueError::new_err(format!(
                "mapping pattern checks duplicate key ({})",
                key.repr()?
            )));
        }
        seen.add(key)?;
        let value = get.call1((key, &marker))?;
        if value.is(&marker) {
            return Ok(None);
        }
        values.push(value);
    }
    Ok(values.try_into().ok())
}

/// `**rest` of a mapping pattern: a dict of the subject without the pattern's keys.
pub fn mapping_rest<'py>(
    subject: &Bound<'py, PyAny>,
    keys: &[&Bound<'py, PyAny>],
) -> PyResult<Bound<'py, PyAny>> {
    let rest = super::values::checked_dict_new(subject.py())?;
    // SAFETY: attached; both objects are live.
    if unsafe { ffi::PyDict_Update(rest.as_ptr(), subject.as_ptr()) } < 0 {
        return Err(super::values::fetched(subject.py()));
    }
    for key in keys {
        rest.del_item(*key)?;
    }
    Ok(rest.into_any())
}

/// Whether a class pattern with one positional sub-pattern matches instances of `cls` as a
/// whole (`int(n)`, `str(s)`): CPython's `_Py_TPFLAGS_MATCH_SELF` types (`bool`, `bytearray`,
/// `bytes`, `dict`, `float`, `frozenset`, `int`, `list`, `set`, `str`, `tuple`) and their
/// subclasses, which inherit it.
fn matches_self(cls: &Bound<'_, PyType>) -> bool {
    // SAFETY: the static type objects of the interpreter; `cls` is a live type.
    unsafe {
        [
            &raw mut ffi::PyBool_Type,
            &raw mut ffi::PyByteArray_Type,
            &raw mut ffi::PyBytes_Type,
            &raw mut ffi::PyDict_Type,
            &raw mut ffi::PyFloat_Type,
            &raw mut ffi::PyFrozenSet_Type,
            &raw mut ffi::PyLong_Type,
            &raw mut ffi::PyList_Type,
            &raw mut ffi::PySet_Type,
            &raw mut ffi::PyUnicode_Type,
            &raw mut ffi::PyTuple_Type,
        ]
        .into_iter()
        .any(|builtin| ffi::PyType_IsSubtype(cls.as_type_ptr(), builtin) != 0)
    }
}

/// A class pattern (`MATCH_CLASS`): `None` when `subject` is not an instance of `cls` or
/// lacks one of the attributes; else the values for the `positional` sub-patterns (named by
/// `cls.__match_args__`) followed by those of the keyword ones.
pub fn match_class<'py, const N: usize>(
    subject: &Bound<'py, PyAny>,
    cls: &Bound<'py, PyAny>,
    positional: usize,
    keywords: [&Bound<'py, PyString>; N],
) -> PyResult<Option<Vec<Bound<'py, PyAny>>>> {
    let py = subject.py();
    let Ok(cls) = cls.cast::<PyType>() else {
        let what = if cfg!(Py_3_12) { "class" } else { "type" };
        return Err(PyTypeError::new_err(format!(
            "called match pattern must be a {what}"
        )));
    };
    if !subject.is_instance(cls)? {
        return Ok(None);
    }
    // SAFETY: attached; `cls` is a live type.
    let tp_name = unsafe { std::ffi::CStr::from_ptr((*cls.as_type_ptr()).tp_name) }
        .to_string_lossy()
        .into_owned();
    let seen = PySet::empty(py)?;
    let mut values = Vec::with_capacity(positional + N);
    let attribute = |name: &Bound<'py, PyString>| -> PyResult<Option<Bound<'py, PyAny>>> {
        if seen.contains(name)? {
            return Err(PyTypeError::new_err(format!(
                "{tp_name}() got multiple sub-patterns for attribute {}",
                name.repr()?
            )));
        }
        seen.add(name)?;
        subject.getattr_opt(name)
    };
    if positional > 0 {
        let match_args = cls.getattr_opt(crate::__private::intern!(py, "__match_args__"))?;
        let (names, match_self) = match match_args {
            Some(args) => match args.cast_exact::<PyTuple>() {
                Ok(tuple) => (tuple.clone(), false),
                Err(_) => {
                    return Err(PyTypeError::new_err(format!(
                        "{tp_name}.__match_args__ must be a tuple (got {})",
                        super::values::type_name(&args)
                    )));
                }
            },
            None => (PyTuple::empty(py), matches_self(cls)),
        };
        let allowed = if match_self { 1 } else { names.len() };
        if allowed < positional {
            let plural = if allowed == 1 { "" } else { "s" };
            return Err(PyTypeError::new_err(format!(
                "{tp_name}() accepts {allowed} positional sub-pattern{plural} ({positional} given)"
            )));
        }
        if match_self {
            values.push(subject.clone());
        } else {
            for name in names.iter().take(positional) {
                let Ok(name) = name.cast_exact::<PyString>() else {
                    return Err(PyTypeError::new_err(format!(
                        "__match_args__ elements must be strings (got {})",
                        super::values::type_name(&name)
                    )));
                };
                match attribute(name)? {
                    Some(value) => values.push(value),
                    None => return Ok(None),
                }
            }
        }
    }
    for name in keywords {
        match attribute(name)? {
            Some(value) => values.push(value),
            None => return Ok(None),
        }
    }
    Ok(Some(values))
}

/// `subject == value`, as a value pattern compares.
#[inline]
pub fn match_value(subject: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    subject.eq(value)
}

/// The value a `case` captured for a name, once the whole pattern has matched (every name of
/// a matched pattern was captured: the checks make alternatives capture the same names).
#[inline]
pub fn captured<'py>(slot: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    slot.ok_or_else(|| {
        pyo3::exceptions::PySystemError::new_err("pycall: a captured name without a value")
    })
}
