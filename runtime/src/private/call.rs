//! Calls: by vectorcall with keyword names, or with `*args` and `**kwargs` unpacked.

use crate::__private::intern;
use pyo3::exceptions::{PySystemError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};

use super::lookup::AttrSite;
use super::values::type_name;

/// The keyword names of a vectorcall: a tuple of distinct interned `str`, which CPython
/// requires. Only [`KwSite`] makes one.
#[derive(Clone, Copy)]
pub struct KwNames<'py>(&'py Bound<'py, PyTuple>);

/// A keyword-names tuple, built once per call site ([`KwSite`]).
#[inline(always)]
fn kwnames<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyTuple>>,
    names: &'static [&'static str],
) -> PyResult<KwNames<'py>> {
    cell.get_or_try_init(py, || -> PyResult<Py<PyTuple>> {
        let mut seen: Vec<&str> = Vec::with_capacity(names.len());
        for name in names {
            if seen.contains(name) {
                return Err(PySystemError::new_err("pycall: repeated keyword name"));
            }
            seen.push(name);
        }
        let interned = names
            .iter()
            .map(|n| super::values::make_str(py, n).map(|s| s.into_bound(py)))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(super::values::checked_tuple(py, interned)?.unbind())
    })
    .map(|t| KwNames(t.bind(py)))
}

/// A call site's keyword names, made into their tuple at the first call.
pub struct KwSite {
    names: &'static [&'static str],
    cell: PyOnceLock<Py<PyTuple>>,
}

impl KwSite {
    pub const fn new(names: &'static [&'static str]) -> KwSite {
        KwSite {
            names,
            cell: PyOnceLock::new(),
        }
    }

    /// The names' tuple.
    #[inline(always)]
    pub fn get<'py>(&'static self, py: Python<'py>) -> PyResult<KwNames<'py>> {
        kwnames(py, &self.cell, self.names)
    }
}

#[inline(always)]
fn kw_count(kwnames: Option<KwNames<'_>>) -> usize {
    // SAFETY: a tuple (`KwNames` holds only the tuples `kwnames` makes).
    kwnames.map_or(0, |k| unsafe { ffi::PyTuple_GET_SIZE(k.0.as_ptr()) }
        as usize)
}

/// `args[0](*args[1..n-k], **dict(zip(kwnames, args[n-k..])))` by vectorcall.
#[inline(always)]
pub fn call<'py, const N: usize>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; N],
    kwnames: Option<KwNames<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut ptrs = args.map(|a| a.as_ptr());
    let kw = kw_count(kwnames);
    // SAFETY: `ptrs` holds N live objects, borrowed from `args` for the call, the callable
    // first; a new reference or NULL with an exception set. A callable that is not a type is
    // called here (slot 0 may be overwritten, as PY_VECTORCALL_ARGUMENTS_OFFSET allows); a
    // type, whose construction has fast paths, out of line.
    unsafe {
        let result = if N > 0 && kw < N && ffi::Py_IS_TYPE(ptrs[0], &raw mut ffi::PyType_Type) == 0
        {
            ffi::PyObject_Vectorcall(
                ptrs[0],
                ptrs.as_mut_ptr().add(1),
                (N - 1 - kw) | ffi::PY_VECTORCALL_ARGUMENTS_OFFSET,
                kwnames.map_or(std::ptr::null_mut(), |k| k.0.as_ptr()),
            )
        } else {
            call_type(py, &mut ptrs, kwnames)
        };
        super::values::owned_or_err(py, result)
    }
}

/// [`call`] of a type (or of a malformed call), out of line, one function for every call site
/// and arity: its construction's fast paths, else the vectorcall; a new reference, or NULL with
/// an exception set.
///
/// # Safety
/// Attached; `ptrs` holds live objects, the callable first.
#[inline(never)]
unsafe fn call_type<'py>(
    py: Python<'py>,
    ptrs: &mut [*mut ffi::PyObject],
    kwnames: Option<KwNames<'py>>,
) -> *mut ffi::PyObject {
    let Some((n, kw)) = arity(py, ptrs, kwnames) else {
        return std::ptr::null_mut();
    };
    let nargs = n - 1 - kw;
    // SAFETY: per the contract; slot 0 is the callable and may be overwritten by the callee,
    // as PY_VECTORCALL_ARGUMENTS_OFFSET allows.
    unsafe {
        let callable = ptrs[0];
        if ffi::Py_IS_TYPE(callable, &raw mut ffi::PyType_Type) != 0
            && let Some(result) = construct(py, ptrs, nargs, kwnames)
        {
            return raw(py, result);
        }
        ffi::PyObject_Vectorcall(
            callable,
            ptrs.as_mut_ptr().add(1),
            nargs | ffi::PY_VECTORCALL_ARGUMENTS_OFFSET,
            kwnames.map_or(std::ptr::null_mut(), |k| k.0.as_ptr()),
        )
    }
}

/// The number of a vectorcall's objects (the callable or `self` first) and of its keywords;
/// `None`, with the `SystemError` set, for more keywords than arguments after the first.
fn arity(
    py: Python<'_>,
    ptrs: &[*mut ffi::PyObject],
    kwnames: Option<KwNames<'_>>,
) -> Option<(usize, usize)> {
    let (n, kw) = (ptrs.len(), kw_count(kwnames));
    if n == 0 || kw > n - 1 {
        malformed(py);
        return None;
    }
    Some((n, kw))
}

/// Whether `descr`, the method a call site found for `obj`, is `dict.get` on an exact `dict`.
///
/// # Safety
/// Attached; `obj` is a live object.
#[inline(always)]
unsafe fn is_dict_get(py: Python<'_>, obj: *mut ffi::PyObject, descr: *mut ffi::PyObject) -> bool {
    use std::sync::atomic::{AtomicPtr, Ordering::Relaxed};
    static GET: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());
    // SAFETY: per the contract.
    if unsafe { ffi::Py_TYPE(obj) } != &raw mut ffi::PyDict_Type {
        return false;
    }
    let get = GET.load(Relaxed);
    if !get.is_null() {
        return descr == get;
    }
    #[cold]
    fn look_up(py: Python<'_>) -> *mut ffi::PyObject {
        static NAME: super::values::Interned = super::values::Interned::new("get");
        let Ok(name) = NAME.get(py) else {
            return std::ptr::null_mut();
        };
        // SAFETY: attached; `dict` is a static type, whose `get` lives as long as it.
        let get = unsafe { _PyType_Lookup(&raw mut ffi::PyDict_Type, name.as_ptr()) };
        GET.store(get, Relaxed);
        get
    }
    descr == look_up(py)
}

/// `d.get(key, default)` for an exact `dict` `d`, as `dict.get` computes it: the value, or
/// `default` (`None` if not given) when the key is missing; the key's hashing and comparison
/// errors are raised.
///
/// # Safety
/// Attached; live objects, `dict` an exact `dict`.
unsafe fn dict_get<'py>(
    py: Python<'py>,
    key: *mut ffi::PyObject,
    dict: *mut ffi::PyObject,
    default: Option<*mut ffi::PyObject>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: per the contract; the found value is borrowed, and a new reference made at once.
    unsafe {
        let value = ffi::PyDict_GetItemWithError(dict, key);
        if !value.is_null() {
            return Ok(Bound::from_borrowed_ptr(py, value));
        }
        if !ffi::PyErr_Occurred().is_null() {
            return Err(super::values::fetched(py));
        }
        Ok(match default {
            Some(default) => Bound::from_borrowed_ptr(py, default),
            None => py.None().into_bound(py),
        })
    }
}

/// `len(x)`, `args` being `[len, x]` with `len` the builtin as the call site found it: when it is
/// the `builtins` module's own `len` (not a replacement put there before), what it does
/// (`PyObject_Size`, the result as an `int`) without the call; else the call.
#[inline]
pub fn call_len<'py>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; 2],
) -> PyResult<Bound<'py, PyAny>> {
    let [len, x] = args;
    if !is_builtin_len(py, len) {
        return call(py, args, None);
    }
    // SAFETY: attached; a live object; `PyObject_Size` is -1 with an exception set on error,
    // `PyLong_FromSsize_t` a new reference or NULL.
    unsafe {
        let size = ffi::PyObject_Size(x.as_ptr());
        if size < 0 {
            return Err(super::values::fetched(py));
        }
        super::values::owned_or_err(py, ffi::PyLong_FromSsize_t(size))
    }
}

/// Whether `f` is the builtin function `len` of the `builtins` module.
#[inline(always)]
fn is_builtin_len(py: Python<'_>, f: &Bound<'_, PyAny>) -> bool {
    static LEN: BuiltinFunction = BuiltinFunction::new(c"len");
    LEN.is(py, f)
}

/// One of the `builtins` module's own C functions (not a replacement put there before): a C
/// function of that name bound to that module. The one found so is remembered.
struct BuiltinFunction {
    name: &'static std::ffi::CStr,
    found: std::sync::atomic::AtomicPtr<ffi::PyObject>,
}

impl BuiltinFunction {
    const fn new(name: &'static std::ffi::CStr) -> BuiltinFunction {
        BuiltinFunction {
            name,
            found: std::sync::atomic::AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    /// Whether `f` is this builtin.
    #[inline(always)]
    fn is(&'static self, py: Python<'_>, f: &Bound<'_, PyAny>) -> bool {
        f.as_ptr() == self.found.load(std::sync::atomic::Ordering::Relaxed) || self.check(py, f)
    }

    #[cold]
    #[inline(never)]
    fn check(&'static self, py: Python<'_>, f: &Bound<'_, PyAny>) -> bool {
        #[cfg(not(any(Py_LIMITED_API, PyPy, GraalPy)))]
        // SAFETY: attached; `f` is checked to be exactly a C function before its fields are
        // read; the method definition's name is a C string.
        unsafe {
            if ffi::Py_TYPE(f.as_ptr()) != &raw mut ffi::PyCFunction_Type {
                return false;
            }
            let function = f.as_ptr().cast::<ffi::PyCFunctionObject>();
            let def = (*function).m_ml;
            if def.is_null() || std::ffi::CStr::from_ptr((*def).ml_name) != self.name {
                return false;
            }
            // (A checked name: PyO3's `&str` conversion panics when memory runs out.)
            static BUILTINS: super::values::Interned = super::values::Interned::new("builtins");
            let Ok(builtins) = BUILTINS.get(py).and_then(|name| py.import(name)) else {
                return false;
            };
            if (*function).m_self != builtins.as_ptr() {
                return false;
            }
            // (Never freed, so never another object at its address: every `f` passed here is
            // a call site's cached builtin, which the site holds for good.)
            self.found
                .store(f.as_ptr(), std::sync::atomic::Ordering::Relaxed);
            true
        }
        #[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
        {
            let _ = (py, f);
            false
        }
    }
}

/// `sorted(x, **keywords)`, `args` being `[sorted, x, keyword values…]` with `sorted` the
/// builtin as the call site found it. `sorted` copies `x` into a new list and calls its `sort`
/// with the keywords; when `x` is already such a list (an exact `list` that nothing else holds,
/// as a Rust `Vec` or a list display just made for the call is) and `sorted` is the `builtins`
/// module's own, `x.sort(**keywords)` is called and `x` returned, without the copy: nothing can
/// tell the two apart. Else the call.
#[inline(never)]
pub fn call_sorted<'py, const N: usize>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; N],
    kwnames: Option<KwNames<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    static SORTED: BuiltinFunction = BuiltinFunction::new(c"sorted");
    static SORT: super::values::Interned = super::values::Interned::new("sort");
    let kw = kw_count(kwnames);
    if N < 2 || N - 2 != kw || !SORTED.is(py, args[0]) {
        return call(py, args, kwnames);
    }
    let list = args[1].as_ptr();
    // SAFETY: attached; live objects. The list's one reference is the caller's, borrowed for
    // this call: no other code holds it or can reach it but through `sort`'s key function,
    // which gets only the items. `sort` is called as `sorted` calls it, with the keywords;
    // its result (`None`) is released, and the list returned as a new reference.
    unsafe {
        if ffi::Py_IS_TYPE(list, &raw mut ffi::PyList_Type) == 0 || ffi::Py_REFCNT(list) != 1 {
            return call(py, args, kwnames);
        }
        let name = SORT.get(py)?;
        let mut ptrs = args.map(|a| a.as_ptr());
        let done = ffi::PyObject_VectorcallMethod(
            name.as_ptr(),
            ptrs.as_mut_ptr().add(1),
            1 | ffi::PY_VECTORCALL_ARGUMENTS_OFFSET,
            kwnames.map_or(std::ptr::null_mut(), |k| k.0.as_ptr()),
        );
        if done.is_null() {
            return Err(super::values::fetched(py));
        }
        ffi::Py_DECREF(done);
        Ok(args[1].clone())
    }
}

/// `cls(*args)` for a class whose metaclass is `type`, whose `__new__` is `object.__new__` and
/// whose `__init__` is a Python function (`def` in `py!` or in Python): what `type.__call__`
/// does (`object.__new__(cls)`, then `cls.__init__(obj, *args)`, which must return `None`)
/// without the tuple and dict it packs the arguments into, the init slot's second lookup and
/// the bound-call plumbing around it. `None` when the class is not such a one: the caller
/// calls it the ordinary way.
///
/// # Safety
/// Attached; `ptrs[0]` is a `type` (exactly), `ptrs[1..]` the live arguments of the call
/// (`nargs` positional, then one per name in `kwnames`).
#[inline(never)]
unsafe fn construct<'py>(
    py: Python<'py>,
    ptrs: &mut [*mut ffi::PyObject],
    nargs: usize,
    kwnames: Option<KwNames<'py>>,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    let class = ptrs[0].cast::<ffi::PyTypeObject>();
    // SAFETY: per this function's contract `class` is a live type object.
    unsafe {
        let object_type = &raw mut ffi::PyBaseObject_Type;
        // The slots hold C functions of libpython: compared by address.
        let new_of = |t: *mut ffi::PyTypeObject| (*t).tp_new.map(|f| f as usize);
        let init_of = |t: *mut ffi::PyTypeObject| (*t).tp_init.map(|f| f as usize);
        if new_of(class) != new_of(object_type) || init_of(class) == init_of(object_type) {
            return None;
        }
        // Borrowed, from the type's method cache.
        static INIT: super::values::Interned = super::values::Interned::new("__init__");
        let Ok(name) = INIT.get(py) else {
            ffi::PyErr_Clear();
            return None;
        };
        let init = _PyType_Lookup(class, name.as_ptr());
        if init.is_null() {
            return None;
        }
        // Held for the call: `__init__` may replace itself in the class.
        let init = Bound::from_borrowed_ptr(py, init);
        if ffi::PyFunction_Check(init.as_ptr()) == 0 && !super::function::is_function(&init) {
            return None;
        }
        // `object.__new__` ignores the arguments of a class with its own `__init__`; it checks
        // that the class is not abstract.
        let new = (*class).tp_new?;
        let object = new(class, PyTuple::empty(py).as_ptr(), std::ptr::null_mut());
        let object = match super::values::owned_or_err(py, object) {
            Ok(object) => object,
            Err(err) => return Some(Err(err)),
        };
        // A Python function is a method descriptor: called with the instance first.
        ptrs[0] = object.as_ptr();
        let result = ffi::PyObject_Vectorcall(
            init.as_ptr(),
            ptrs.as_ptr(),
            nargs + 1,
            kwnames.map_or(std::ptr::null_mut(), |k| k.0.as_ptr()),
        );
        Some(match super::values::owned_or_err(py, result) {
            Ok(result) if result.is_none() => Ok(object),
            Ok(result) => {
                let name = std::ffi::CStr::from_ptr((*ffi::Py_TYPE(result.as_ptr())).tp_name);
                Err(PyTypeError::new_err(format!(
                    "__init__() should return None, not '{}'",
                    name.to_string_lossy()
                )))
            }
            Err(err) => Err(err),
        })
    }
}

unsafe extern "C" {
    /// The attribute `name` of `type` found along its MRO, without descriptors applied
    /// (borrowed, or NULL): CPython's own lookup with its method cache, exported by every
    /// supported version (pyo3-ffi does not declare it).
    pub(super) fn _PyType_Lookup(
        type_: *mut ffi::PyTypeObject,
        name: *mut ffi::PyObject,
    ) -> *mut ffi::PyObject;
}

/// `args[0].name(*args[1..n-k], **kw)` by vectorcall, without creating a bound method: from
/// the call site's cache when `args[0]` is a module or the name a static type's method (see
/// [`AttrSite`]), else by `PyObject_VectorcallMethod`.
#[inline(always)]
pub fn call_method<'py, const N: usize>(
    py: Python<'py>,
    site: &'static AttrSite,
    args: [&Bound<'py, PyAny>; N],
    kwnames: Option<KwNames<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut ptrs = args.map(|a| a.as_ptr());
    // SAFETY: `ptrs` holds N live objects, borrowed from `args` for the call; a new reference
    // or NULL with an exception set.
    unsafe { super::values::owned_or_err(py, call_method_ptrs(py, site, &mut ptrs, kwnames)) }
}

/// [`call_method`] on the arguments' pointers, one function for every call site and arity:
/// a new reference, or NULL with an exception set.
///
/// # Safety
/// Attached; `ptrs` holds live objects, `self` first.
#[inline(never)]
unsafe fn call_method_ptrs<'py>(
    py: Python<'py>,
    site: &'static AttrSite,
    ptrs: &mut [*mut ffi::PyObject],
    kwnames: Option<KwNames<'py>>,
) -> *mut ffi::PyObject {
    let Some((n, kw)) = arity(py, ptrs, kwnames) else {
        return std::ptr::null_mut();
    };
    let kwnames = kwnames.map_or(std::ptr::null_mut(), |k| k.0.as_ptr());
    // SAFETY: attached; `ptrs` holds n live objects, slot 0 `self`; a cached callable is
    // checked against its owner's version and held for the call.
    unsafe {
        if let Some(func) = site.module_value(py, ptrs[0]) {
            // `module.name(…)`: slot 0 may be overwritten (PY_VECTORCALL_ARGUMENTS_OFFSET).
            let func = Bound::from_borrowed_ptr(py, func);
            ffi::PyObject_Vectorcall(
                func.as_ptr(),
                ptrs.as_mut_ptr().add(1),
                (n - 1 - kw) | ffi::PY_VECTORCALL_ARGUMENTS_OFFSET,
                kwnames,
            )
        } else if let Some(descr) = site.method(py, ptrs[0]) {
            if (n == 2 || n == 3) && kw == 0 && is_dict_get(py, ptrs[0], descr) {
                return raw(py, dict_get(py, ptrs[1], ptrs[0], ptrs.get(2).copied()));
            }
            let descr = Bound::from_borrowed_ptr(py, descr);
            ffi::PyObject_Vectorcall(descr.as_ptr(), ptrs.as_ptr(), n - kw, kwnames)
        } else {
            match site.name(py) {
                Ok(name) => {
                    ffi::PyObject_VectorcallMethod(name.as_ptr(), ptrs.as_ptr(), n - kw, kwnames)
                }
                Err(e) => raw(py, Err(e)),
            }
        }
    }
}

/// A result as the C API gives it: a new reference, or NULL with the exception set.
fn raw(py: Python<'_>, result: PyResult<Bound<'_, PyAny>>) -> *mut ffi::PyObject {
    match result {
        Ok(value) => value.into_ptr(),
        Err(e) => {
            e.restore(py);
            std::ptr::null_mut()
        }
    }
}

/// NULL, with the `SystemError` of a call the expansion put together wrongly.
#[cold]
fn malformed(py: Python<'_>) -> *mut ffi::PyObject {
    raw(py, Err(PySystemError::new_err("pycall: malformed call")))
}

/// Arguments for a call that unpacks `*args` or `**kwargs`.
pub struct CallArgs<'py> {
    py: Python<'py>,
    args: Vec<Bound<'py, PyAny>>,
    kwargs: Option<Bound<'py, PyDict>>,
}

impl<'py> CallArgs<'py> {
    pub fn new(py: Python<'py>) -> Self {
        CallArgs {
            py,
            args: Vec::new(),
            kwargs: None,
        }
    }

    pub fn push(&mut self, value: Bound<'py, PyAny>) {
        self.args.push(value);
    }

    /// `*iterable`
    pub fn extend(
        &mut self,
        func: &Bound<'py, PyAny>,
        iterable: &Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let iter = iterable.try_iter().map_err(|e| {
            if !e.is_instance_of::<PyTypeError>(self.py) {
                return e;
            }
            PyTypeError::new_err(format!(
                "{} argument after * must be an iterable, not {}",
                callable_name(func),
                type_name(iterable)
            ))
        })?;
        for item in iter {
            self.args.push(item?);
        }
        Ok(())
    }

    fn dict(&mut self) -> PyResult<&Bound<'py, PyDict>> {
        if self.kwargs.is_none() {
            self.kwargs = Some(super::values::checked_dict_new(self.py)?);
        }
        Ok(self.kwargs.as_ref().expect("made above"))
    }

    /// `name=value`
    pub fn keyword(
        &mut self,
        func: &Bound<'py, PyAny>,
        name: &Bound<'py, PyString>,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let dict = self.dict()?;
        if dict.contains(name)? {
            return Err(PyTypeError::new_err(format!(
                "{} got multiple values for keyword argument '{}'",
                callable_name(func),
                name
            )));
        }
        dict.set_item(name, value)
    }

    /// `**mapping`
    pub fn unpack(
        &mut self,
        func: &Bound<'py, PyAny>,
        mapping: &Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let keys = match mapping.call_method0(intern!(self.py, "keys")) {
            Ok(keys) => keys,
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(self.py) => {
                return Err(PyTypeError::new_err(format!(
                    "{} argument after ** must be a mapping, not {}",
                    callable_name(func),
                    type_name(mapping)
                )));
            }
            Err(e) => return Err(e),
        };
        for key in keys.try_iter()? {
            let key = key?;
            if !key.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err("keywords must be strings"));
            }
            let value = mapping.get_item(&key)?;
            let dict = self.dict()?;
            if dict.contains(&key)? {
                return Err(PyTypeError::new_err(format!(
                    "{} got multiple values for keyword argument '{}'",
                    callable_name(func),
                    key
                )));
            }
            dict.set_item(key, value)?;
        }
        Ok(())
    }

    pub fn call(self, func: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let args = super::values::checked_tuple(self.py, self.args)?;
        func.call(args, self.kwargs.as_ref())
    }
}

fn callable_name(func: &Bound<'_, PyAny>) -> String {
    static QUALNAME: super::values::Interned = super::values::Interned::new("__qualname__");
    match QUALNAME.get(func.py()).and_then(|name| func.getattr(name)) {
        Ok(name) => format!("{name}()"),
        Err(_) => format!("{} object", type_name(func)),
    }
}
