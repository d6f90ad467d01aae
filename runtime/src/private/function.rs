//! Functions: lambdas and `def`s, their argument binding, their attributes, and the variables
//! they capture.

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::__private::intern;
use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use super::display::parts;
use super::exceptions::internal_error;

/// The shape of a function made by `py!`: its names and its parameter list.
///
/// ```
/// use pycall::__private::LambdaSpec;
/// // def outer(): def inner(a, /, b=1, *args, c, **kw): ...   (capturing `x` and `y`)
/// static SPEC: LambdaSpec = LambdaSpec {
///     name: "inner",
///     qualname: "outer.<locals>.inner",
///     positional: &["a", "b"],
///     posonly: 1,
///     vararg: Some("args"),
///     kwonly: &["c"],
///     varkw: Some("kw"),
///     closure: &[("x", 0), ("y", 1)],
/// };
/// assert_eq!(SPEC.positional.len(), 2);
/// ```
pub struct LambdaSpec {
    /// `__name__`: `<lambda>`, or the name of a `def`.
    pub name: &'static str,
    /// `__qualname__`, e.g. `outer.<locals>.inner`, `C.method`.
    pub qualname: &'static str,
    /// Positional parameters, positional-only ones first.
    pub positional: &'static [&'static str],
    pub posonly: usize,
    /// The name of `*args`, if any.
    pub vararg: Option<&'static str>,
    pub kwonly: &'static [&'static str],
    /// The name of `**kwargs`, if any.
    pub varkw: Option<&'static str>,
    /// The captured Python variables that make `__closure__`: (name, index in the captures
    /// list), sorted by name (CPython's `co_freevars` order). Each such capture is a cell.
    pub closure: &'static [(&'static str, usize)],
}

impl LambdaSpec {
    /// How many values [`bind_arguments`] produces.
    const fn parameter_count(&self) -> usize {
        self.positional.len()
            + self.vararg.is_some() as usize
            + self.kwonly.len()
            + self.varkw.is_some() as usize
    }
}

type Body = dyn for<'a, 'v> Fn(Python<'a>, &[Py<PyAny>], Args<'v, 'a>) -> PyResult<Bound<'a, PyAny>>
    + Send
    + Sync;

/// A call's arguments as a function's body receives them: the caller's argument array as it
/// came (a vectorcall giving every parameter positionally, the common call), or the values
/// [`bind_arguments`] bound, one per parameter.
enum Args<'v, 'py> {
    Vector(&'v [*mut pyo3::ffi::PyObject]),
    Bound(Vec<Bound<'py, PyAny>>),
}

impl<'py> Args<'_, 'py> {
    /// One value per parameter, as the body takes them.
    fn into_array<const N: usize>(self, py: Python<'py>) -> PyResult<[Bound<'py, PyAny>; N]> {
        match self {
            // SAFETY: the caller's array holds live objects for the whole call.
            Args::Vector(items) if items.len() == N => Ok(std::array::from_fn(|i| unsafe {
                Bound::from_borrowed_ptr(py, items[i])
            })),
            Args::Vector(_) => Err(pyo3::exceptions::PySystemError::new_err(
                "pycall: wrong number of arguments bound",
            )),
            Args::Bound(values) => parts::<N>(values),
        }
    }
}

// A function made by `py!` (a lambda or a `def`): a Python function whose body is Rust code.
// Its defaults, captured variables and attributes are held here, where Python's garbage
// collector can see them. (Not a `///` comment: PyO3 would make it the type's `__doc__`, which
// hides the `__doc__` of every function.)
// No `module`: like CPython's function type, its name is plain `function` (which error
// messages show: "'function' object has no attribute 'x'").
#[pyclass(name = "function", frozen, weakref, dict)]
struct Function {
    /// CPython's vectorcall entry for this function ([`call_vector`]), at the offset the type's
    /// `tp_vectorcall_offset` names.
    vectorcall: pyo3::ffi::vectorcallfunc,
    spec: &'static LambdaSpec,
    captures: Vec<Py<PyAny>>,
    body: Box<Body>,
    /// What Python code may replace. Never held across a call into Python (which could come
    /// back here), nor while a Python object is dropped (whose `__del__` could).
    state: Mutex<FunctionState>,
}

/// The spec of `f` when it is one of pycall's functions (a `def`, `async def` or `lambda` of a
/// `py!`).
#[inline]
pub(crate) fn spec_of(f: &Bound<'_, PyAny>) -> Option<&'static LambdaSpec> {
    if f.get_type_ptr() == <Function as pyo3::PyTypeInfo>::type_object_raw(f.py()) {
        // SAFETY: the object's type is `Function`'s (which has no subclasses).
        Some(unsafe { f.cast_unchecked::<Function>() }.get().spec)
    } else {
        None
    }
}

/// The writable attributes of a [`Function`]; `None` stands for CPython's `NULL`.
#[derive(Default)]
struct FunctionState {
    /// `__name__`, when it is not the spec's any more.
    name: Option<Py<PyString>>,
    /// `__qualname__`, when it is not the spec's any more.
    qualname: Option<Py<PyString>>,
    module: Option<Py<PyAny>>,
    doc: Option<Py<PyAny>>,
    /// `__defaults__`: what later calls take for missing positional arguments.
    defaults: Option<Py<PyTuple>>,
    /// `__kwdefaults__`: what later calls take for missing keyword-only arguments.
    kwdefaults: Option<Py<PyDict>>,
    annotations: Option<Py<PyDict>>,
    /// `__type_params__` (Python 3.12 and later).
    type_params: Option<Py<PyTuple>>,
}

impl FunctionState {
    /// Every object held, for the garbage collector.
    fn objects(&self) -> impl Iterator<Item = &Py<PyAny>> {
        [
            self.name.as_ref().map(Py::as_any),
            self.qualname.as_ref().map(Py::as_any),
            self.module.as_ref(),
            self.doc.as_ref(),
            self.defaults.as_ref().map(Py::as_any),
            self.kwdefaults.as_ref().map(Py::as_any),
            self.annotations.as_ref().map(Py::as_any),
            self.type_params.as_ref().map(Py::as_any),
        ]
        .into_iter()
        .flatten()
    }
}

impl Function {
    fn state(&self) -> MutexGuard<'_, FunctionState> {
        // Nothing panics while holding the lock; if something did, the state is still whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces one attribute; the old value is dropped after the lock is released.
    fn replace<T>(&self, field: impl FnOnce(&mut FunctionState) -> &mut T, value: T) {
        let old = std::mem::replace(field(&mut self.state()), value);
        drop(old);
    }

    /// Reads one attribute (a new reference, taken under the lock).
    fn read<'py, T>(
        &self,
        py: Python<'py>,
        field: impl FnOnce(&FunctionState) -> Option<&Py<T>>,
    ) -> Option<Bound<'py, T>> {
        field(&self.state()).map(|value| value.bind(py).clone())
    }

    /// The name argument-binding errors start with: CPython 3.9 names the code (the `def`'s
    /// name), later versions the function's current `__qualname__`.
    fn error_name(&self, py: Python<'_>) -> Cow<'static, str> {
        if cfg!(Py_3_10) {
            if let Some(qualname) = self.read(py, |s| s.qualname.as_ref()) {
                return Cow::Owned(qualname.to_string());
            }
            Cow::Borrowed(self.spec.qualname)
        } else {
            Cow::Borrowed(self.spec.name)
        }
    }
}

/// Python's argument binding (CPython's `initialize_locals`, errors in its order): positional
/// parameters, `*args` (a tuple), keyword-only parameters, `**kwargs` (a dict), in that order.
fn bind_arguments<'py>(
    function: &Function,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let py = args.py();
    let spec = function.spec;
    let np = spec.positional.len();
    let given = args.len();
    let rest = |out: &mut Vec<Bound<'py, PyAny>>| {
        if spec.vararg.is_some() {
            let extra = if given > np {
                args.get_slice(np, given)
            } else {
                PyTuple::empty(py)
            };
            out.push(extra.into_any());
        }
    };
    let no_keywords = kwargs.is_none_or(|k| k.is_empty());
    // The common call: every parameter given positionally, nothing to look up.
    if no_keywords
        && spec.kwonly.is_empty()
        && (given == np || (given > np && spec.vararg.is_some()))
    {
        let mut out = Vec::with_capacity(spec.parameter_count());
        out.extend(args.iter().take(np));
        rest(&mut out);
        if spec.varkw.is_some() {
            out.push(super::values::checked_dict_new(py)?.into_any());
        }
        return Ok(out);
    }

    let mut slots: Vec<Option<Bound<'py, PyAny>>> = vec![None; np + spec.kwonly.len()];
    for (slot, arg) in slots.iter_mut().take(np).zip(args.iter()) {
        *slot = Some(arg);
    }
    let kwdict = spec
        .varkw
        .map(|_| super::values::checked_dict_new(py))
        .transpose()?;
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let Ok(name) = key.cast::<PyString>() else {
                // CPython's caller-side check (the callee's, naming the function, is for
                // vectorcall keyword names, which never reach a function made by `py!`).
                return Err(PyTypeError::new_err("keywords must be strings"));
            };
            // A name that is not UTF-8 (a lone surrogate) names no parameter.
            let name = name.to_cow().ok();
            let index = name.as_deref().and_then(|name| {
                spec.positional[spec.posonly..]
                    .iter()
                    .chain(spec.kwonly)
                    .position(|p| *p == name)
                    .map(|i| i + spec.posonly)
            });
            match (index, &kwdict) {
                (Some(i), _) => {
                    if slots[i].is_some() {
                        return Err(PyTypeError::new_err(format!(
                            "{}() got multiple values for argument '{key}'",
                            function.error_name(py)
                        )));
                    }
                    slots[i] = Some(value);
                }
                (None, Some(kwdict)) => kwdict.set_item(key, value)?,
                (None, None) => return Err(unexpected_keyword(function, kwargs, &key)),
            }
        }
    }
    if given > np && spec.vararg.is_none() {
        let kwonly_given = slots[np..].iter().filter(|s| s.is_some()).count();
        let defcount = function
            .read(py, |s| s.defaults.as_ref())
            .map_or(0, |d| d.len());
        return Err(too_many_positional(
            &function.error_name(py),
            np,
            defcount,
            given,
            kwonly_given,
        ));
    }
    if given < np {
        let defaults = function.read(py, |s| s.defaults.as_ref());
        let defcount = defaults.as_ref().map_or(0, |d| d.len());
        // The first parameter with a default (CPython's `m`; negative when `__defaults__` was
        // set to a tuple longer than the parameter list).
        let first_default = np as isize - defcount as isize;
        let required = first_default.max(0) as usize;
        let missing: Vec<String> = (given..required)
            .filter(|&i| slots[i].is_none())
            .map(|i| format!("'{}'", spec.positional[i]))
            .collect();
        if !missing.is_empty() {
            return Err(missing_error(
                &function.error_name(py),
                "positional",
                &missing,
            ));
        }
        if let Some(defaults) = defaults {
            for (i, slot) in slots.iter_mut().enumerate().take(np).skip(required) {
                if slot.is_none() {
                    *slot = Some(defaults.get_item((i as isize - first_default) as usize)?);
                }
            }
        }
    }
    if slots[np..].iter().any(Option::is_none) {
        let kwdefaults = function.read(py, |s| s.kwdefaults.as_ref());
        let mut missing = Vec::new();
        for (slot, name) in slots[np..].iter_mut().zip(spec.kwonly) {
            if slot.is_some() {
                continue;
            }
            let default = match &kwdefaults {
                Some(kwdefaults) => kwdefaults.get_item(*name)?,
                None => None,
            };
            match default {
                Some(default) => *slot = Some(default),
                None => missing.push(format!("'{name}'")),
            }
        }
        if !missing.is_empty() {
            return Err(missing_error(
                &function.error_name(py),
                "keyword-only",
                &missing,
            ));
        }
    }
    let mut out = Vec::with_capacity(spec.parameter_count());
    let mut slots = slots.into_iter().flatten();
    out.extend(slots.by_ref().take(np));
    rest(&mut out);
    out.extend(slots);
    if let Some(d) = kwdict {
        out.push(d.into_any());
    }
    Ok(out)
}

/// A keyword argument that names no parameter, without `**kwargs` to take it.
#[cold]
fn unexpected_keyword(
    function: &Function,
    kwargs: &Bound<'_, PyDict>,
    keyword: &Bound<'_, PyAny>,
) -> PyErr {
    let py = kwargs.py();
    let spec = function.spec;
    let name = function.error_name(py);
    let posonly: Vec<&str> = spec.positional[..spec.posonly]
        .iter()
        .copied()
        .filter(|p| kwargs.contains(*p).unwrap_or(false))
        .collect();
    if !posonly.is_empty() {
        return PyTypeError::new_err(format!(
            "{name}() got some positional-only arguments passed as keyword arguments: '{}'",
            posonly.join(", ")
        ));
    }
    match keyword_suggestion(function, keyword) {
        Some(suggestion) => PyTypeError::new_err(format!(
            "{name}() got an unexpected keyword argument '{keyword}'. Did you mean '{suggestion}'?"
        )),
        None => PyTypeError::new_err(format!(
            "{name}() got an unexpected keyword argument '{keyword}'"
        )),
    }
}

/// The parameter CPython 3.13 suggests for a misspelt keyword (the C function behind its
/// `_suggestions` module); none before 3.13, or if anything fails.
fn keyword_suggestion(function: &Function, keyword: &Bound<'_, PyAny>) -> Option<String> {
    if !cfg!(Py_3_13) {
        return None;
    }
    let py = keyword.py();
    let spec = function.spec;
    let candidates = spec.positional[spec.posonly..].iter().chain(spec.kwonly);
    let candidates = candidates
        .map(|c| super::values::checked_str(py, c).map(Bound::into_any))
        .collect::<PyResult<Vec<_>>>()
        .and_then(|c| super::values::checked_list(py, c))
        .ok()?;
    let suggestion = (|| -> PyResult<Bound<'_, PyAny>> {
        py.import(intern!(py, "_suggestions"))?
            .getattr(intern!(py, "_generate_suggestions"))?
            .call1((candidates, keyword))
    })();
    match suggestion {
        Ok(s) if !s.is_none() => Some(s.to_string()),
        _ => None,
    }
}

#[cold]
fn too_many_positional(
    function: &str,
    np: usize,
    defcount: usize,
    given: usize,
    kwonly_given: usize,
) -> PyErr {
    let takes = if defcount == 0 {
        format!("{np}")
    } else {
        format!("from {} to {np}", np as isize - defcount as isize)
    };
    let plural = if np == 1 && defcount == 0 { "" } else { "s" };
    let kwonly = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            if given == 1 { "" } else { "s" },
            if kwonly_given == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let verb = if given == 1 && kwonly_given == 0 {
        "was"
    } else {
        "were"
    };
    PyTypeError::new_err(format!(
        "{function}() takes {takes} positional argument{plural} but {given}{kwonly} {verb} given"
    ))
}

#[cold]
fn missing_error(function: &str, kind: &str, names: &[String]) -> PyErr {
    let list = match names {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
        [] => String::new(),
    };
    PyTypeError::new_err(format!(
        "{function}() missing {} required {kind} argument{}: {list}",
        names.len(),
        if names.len() == 1 { "" } else { "s" }
    ))
}

/// A captured value, by its index in the list a lambda or generator keeps.
#[inline(always)]
pub fn capture<'a, 'py>(
    py: Python<'py>,
    captures: &'a [Py<PyAny>],
    index: usize,
) -> PyResult<&'a Bound<'py, PyAny>> {
    match captures.get(index) {
        Some(value) => Ok(value.bind(py)),
        None => Err(internal_error()),
    }
}

/// `types.MethodType`, what a function becomes when read from an instance.
/// The check CPython's setters of `__name__` and `__qualname__` make.
fn string_attribute(value: Option<Bound<'_, PyAny>>, attribute: &str) -> PyResult<Py<PyString>> {
    match value.map(|v| v.cast_into::<PyString>()) {
        Some(Ok(s)) => Ok(s.unbind()),
        _ => Err(PyTypeError::new_err(format!(
            "{attribute} must be set to a string object"
        ))),
    }
}

/// `None` (CPython's `NULL`), or the value if it is a `T` (subclasses too), for the setters of
/// `__defaults__`, `__kwdefaults__` and `__annotations__`.
fn optional_attribute<T: pyo3::PyTypeCheck>(
    value: Bound<'_, PyAny>,
    message: &'static str,
) -> PyResult<Option<Py<T>>> {
    if value.is_none() {
        return Ok(None);
    }
    match value.cast_into::<T>() {
        Ok(v) => Ok(Some(v.unbind())),
        Err(_) => Err(PyTypeError::new_err(message)),
    }
}

#[pymethods]
impl Function {
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__<'py>(
        slf: &Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let this = slf.get();
        let _entered = super::resumable::enter_call(slf.as_ptr());
        bind_arguments(this, args, kwargs).and_then(|values| {
            // Recursion is bounded by Python's recursion limit, but a Rust frame per Python
            // call can exhaust the thread's stack first (unoptimized builds most of all):
            // continue on a fresh segment when less than 256 KiB are left.
            stacker::maybe_grow(256 * 1024, 2 * 1024 * 1024, || {
                (this.body)(args.py(), &this.captures, Args::Bound(values))
            })
        })
    }

    /// Functions are descriptors: a function stored on a class becomes a method.
    fn __get__<'py>(
        slf: Bound<'py, Self>,
        obj: Option<Bound<'py, PyAny>>,
        _owner: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match obj {
            Some(obj) if !obj.is_none() => {
                // SAFETY: attached; both pointers are live references held for the call;
                // `PyMethod_New` returns a new reference or NULL with an exception set.
                unsafe {
                    super::values::owned_or_err(slf.py(), PyMethod_New(slf.as_ptr(), obj.as_ptr()))
                }
            }
            _ => Ok(slf.into_any()),
        }
    }

    /// Pickled by reference, as CPython pickles a function (`__module__` and `__qualname__`
    /// must find it again), which also makes `copy.copy` and `copy.deepcopy` return it as it is.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        self.qualname(py)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let qualname = slf.get().qualname(slf.py())?;
        Ok(format!(
            "<function {} at {:#x}>",
            qualname.to_cow()?,
            slf.as_ptr() as usize
        ))
    }

    #[getter(__name__)]
    fn name<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        match self.read(py, |s| s.name.as_ref()) {
            Some(name) => Ok(name),
            None => super::values::checked_str(py, self.spec.name),
        }
    }

    #[setter(__name__)]
    fn set_name(&self, value: Option<Bound<'_, PyAny>>) -> PyResult<()> {
        let name = string_attribute(value, "__name__")?;
        self.replace(|s| &mut s.name, Some(name));
        Ok(())
    }

    #[deleter(__name__)]
    fn delete_name(&self) -> PyResult<()> {
        self.set_name(None)
    }

    #[getter(__qualname__)]
    fn qualname<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        match self.read(py, |s| s.qualname.as_ref()) {
            Some(qualname) => Ok(qualname),
            None => super::values::checked_str(py, self.spec.qualname),
        }
    }

    #[setter(__qualname__)]
    fn set_qualname(&self, value: Option<Bound<'_, PyAny>>) -> PyResult<()> {
        let qualname = string_attribute(value, "__qualname__")?;
        self.replace(|s| &mut s.qualname, Some(qualname));
        Ok(())
    }

    #[deleter(__qualname__)]
    fn delete_qualname(&self) -> PyResult<()> {
        self.set_qualname(None)
    }

    #[getter(__module__)]
    fn module<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.read(py, |s| s.module.as_ref())
            .unwrap_or_else(|| py.None().into_bound(py))
    }

    #[setter(__module__)]
    fn set_module(&self, value: Bound<'_, PyAny>) {
        self.replace(|s| &mut s.module, Some(value.unbind()));
    }

    #[deleter(__module__)]
    fn delete_module(&self) {
        self.replace(|s| &mut s.module, None);
    }

    #[getter(__doc__)]
    fn doc<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.read(py, |s| s.doc.as_ref())
            .unwrap_or_else(|| py.None().into_bound(py))
    }

    #[setter(__doc__)]
    fn set_doc(&self, value: Bound<'_, PyAny>) {
        self.replace(|s| &mut s.doc, Some(value.unbind()));
    }

    #[deleter(__doc__)]
    fn delete_doc(&self) {
        self.replace(|s| &mut s.doc, None);
    }

    #[getter(__defaults__)]
    fn defaults<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.read(py, |s| s.defaults.as_ref())
            .map_or_else(|| py.None().into_bound(py), Bound::into_any)
    }

    #[setter(__defaults__)]
    fn set_defaults(&self, value: Bound<'_, PyAny>) -> PyResult<()> {
        let defaults = optional_attribute(value, "__defaults__ must be set to a tuple object")?;
        self.replace(|s| &mut s.defaults, defaults);
        Ok(())
    }

    #[deleter(__defaults__)]
    fn delete_defaults(&self) {
        self.replace(|s| &mut s.defaults, None);
    }

    #[getter(__kwdefaults__)]
    fn kwdefaults<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.read(py, |s| s.kwdefaults.as_ref())
            .map_or_else(|| py.None().into_bound(py), Bound::into_any)
    }

    #[setter(__kwdefaults__)]
    fn set_kwdefaults(&self, value: Bound<'_, PyAny>) -> PyResult<()> {
        let kwdefaults = optional_attribute(value, "__kwdefaults__ must be set to a dict object")?;
        self.replace(|s| &mut s.kwdefaults, kwdefaults);
        Ok(())
    }

    #[deleter(__kwdefaults__)]
    fn delete_kwdefaults(&self) {
        self.replace(|s| &mut s.kwdefaults, None);
    }

    /// A dict, made empty on the first read if the function has none.
    #[getter(__annotations__)]
    fn annotations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        if let Some(annotations) = self.read(py, |s| s.annotations.as_ref()) {
            return Ok(annotations);
        }
        let new = super::values::checked_dict_new(py)?;
        let mut state = self.state();
        // Another thread may have set one meanwhile: the first stays.
        Ok(match &state.annotations {
            Some(first) => first.bind(py).clone(),
            None => {
                state.annotations = Some(new.clone().unbind());
                new
            }
        })
    }

    #[setter(__annotations__)]
    fn set_annotations(&self, value: Bound<'_, PyAny>) -> PyResult<()> {
        let annotations =
            optional_attribute(value, "__annotations__ must be set to a dict object")?;
        self.replace(|s| &mut s.annotations, annotations);
        Ok(())
    }

    #[deleter(__annotations__)]
    fn delete_annotations(&self) {
        self.replace(|s| &mut s.annotations, None);
    }

    /// The cells of the variables the function uses from the scopes around it.
    #[getter(__closure__)]
    fn closure<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if self.spec.closure.is_empty() {
            return Ok(py.None().into_bound(py));
        }
        let cells = self
            .spec
            .closure
            .iter()
            .map(|&(_, index)| capture(py, &self.captures, index))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(super::values::checked_tuple(py, cells.into_iter().cloned())?.into_any())
    }

    /// `inspect.signature`'s answer, built from the parameters, `__defaults__`,
    /// `__kwdefaults__` and `__annotations__` (a real function has a `__code__` for that,
    /// which a function made by `py!` does not). A `__signature__` set on the function wins;
    /// after `functools.wraps` (a `__wrapped__`), there is none, so that `inspect` follows
    /// `__wrapped__` as it does for a CPython function.
    #[getter(__signature__)]
    fn signature<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let dict = slf.getattr(intern!(py, "__dict__"))?;
        let dict = dict.cast::<PyDict>()?;
        if let Some(signature) = dict.get_item(intern!(py, "__signature__"))? {
            return Ok(signature);
        }
        if dict.contains(intern!(py, "__wrapped__"))? {
            return Err(PyAttributeError::new_err(format!(
                "'{}' object has no attribute '__signature__'",
                super::values::type_name(&slf)
            )));
        }
        signature(slf)
    }

    #[setter(__signature__)]
    fn set_signature(slf: &Bound<'_, Self>, value: Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        slf.getattr(intern!(py, "__dict__"))?
            .set_item(intern!(py, "__signature__"), value)
    }

    #[deleter(__signature__)]
    fn delete_signature(slf: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let dict = slf.getattr(intern!(py, "__dict__"))?;
        match dict.del_item(intern!(py, "__signature__")) {
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => {
                Err(PyAttributeError::new_err("__signature__"))
            }
            other => other,
        }
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        // The collector may run between the allocation of a function and the writing of its
        // value (see `function_dealloc`): an unwritten one holds nothing yet.
        // SAFETY: `self` lies inside a function object.
        let written = unsafe { std::ptr::addr_of!(self.vectorcall).cast::<usize>().read() != 0 };
        if !written {
            return Ok(());
        }
        for value in &self.captures {
            visit.call(value)?;
        }
        // The lock is only held briefly and never while calling Python, but the garbage
        // collector must not wait: if it is held, what it guards goes unvisited this time
        // (which only keeps objects alive longer).
        if let Ok(state) = self.state.try_lock() {
            for value in state.objects() {
                visit.call(value)?;
            }
        }
        Ok(())
    }

    fn __clear__(&self) {
        // Dropped after the lock is released: a `__del__` may read the function.
        let state = std::mem::take(&mut *self.state());
        drop(state);
    }
}

#[cfg(Py_3_12)]
#[pymethods]
impl Function {
    #[getter(__type_params__)]
    fn type_params<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        self.read(py, |s| s.type_params.as_ref())
            .unwrap_or_else(|| PyTuple::empty(py))
    }

    #[setter(__type_params__)]
    fn set_type_params(&self, value: Option<Bound<'_, PyAny>>) -> PyResult<()> {
        match value.map(|v| v.cast_into::<PyTuple>()) {
            Some(Ok(t)) => {
                self.replace(|s| &mut s.type_params, Some(t.unbind()));
                Ok(())
            }
            _ => Err(PyTypeError::new_err(
                "__type_params__ must be set to a tuple",
            )),
        }
    }

    #[deleter(__type_params__)]
    fn delete_type_params(&self) -> PyResult<()> {
        self.set_type_params(None)
    }
}

/// An `inspect.Signature` for the function, as `inspect` builds one from a CPython function's
/// code object, defaults and annotations.
fn signature<'py>(slf: &Bound<'py, Function>) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    let function = slf.get();
    let spec = function.spec;
    let inspect = py.import(intern!(py, "inspect"))?;
    let parameter = inspect.getattr(intern!(py, "Parameter"))?;
    let empty = parameter.getattr(intern!(py, "empty"))?;
    let annotations = function.read(py, |s| s.annotations.as_ref());
    let defaults = function.read(py, |s| s.defaults.as_ref());
    let kwdefaults = function.read(py, |s| s.kwdefaults.as_ref());
    let annotation = |name: &str| -> PyResult<Bound<'py, PyAny>> {
        match &annotations {
            Some(a) => Ok(a.get_item(name)?.unwrap_or_else(|| empty.clone())),
            None => Ok(empty.clone()),
        }
    };
    let kind = |name: &Bound<'py, PyString>| parameter.getattr(name);
    let make = |name: &str,
                kind: Bound<'py, PyAny>,
                default: Option<Bound<'py, PyAny>>|
     -> PyResult<Bound<'py, PyAny>> {
        let kwargs = super::values::checked_dict_new(py)?;
        if let Some(default) = default {
            kwargs.set_item(intern!(py, "default"), default)?;
        }
        kwargs.set_item(intern!(py, "annotation"), annotation(name)?)?;
        parameter.call((name, kind), Some(&kwargs))
    };
    let mut parameters = Vec::with_capacity(spec.parameter_count());
    let np = spec.positional.len();
    let defcount = defaults.as_ref().map_or(0, |d| d.len());
    let first_default = np as isize - defcount as isize;
    for (i, name) in spec.positional.iter().enumerate() {
        let kind = if i < spec.posonly {
            kind(intern!(py, "POSITIONAL_ONLY"))?
        } else {
            kind(intern!(py, "POSITIONAL_OR_KEYWORD"))?
        };
        let default = match &defaults {
            Some(d) if i as isize >= first_default => {
                Some(d.get_item((i as isize - first_default) as usize)?)
            }
            _ => None,
        };
        parameters.push(make(name, kind, default)?);
    }
    if let Some(name) = spec.vararg {
        parameters.push(make(name, kind(intern!(py, "VAR_POSITIONAL"))?, None)?);
    }
    for name in spec.kwonly {
        let default = match &kwdefaults {
            Some(d) => d.get_item(*name)?,
            None => None,
        };
        parameters.push(make(name, kind(intern!(py, "KEYWORD_ONLY"))?, default)?);
    }
    if let Some(name) = spec.varkw {
        parameters.push(make(name, kind(intern!(py, "VAR_KEYWORD"))?, None)?);
    }
    let signature = inspect.getattr(intern!(py, "Signature"))?;
    let kwargs = super::values::checked_dict_new(py)?;
    kwargs.set_item(intern!(py, "return_annotation"), annotation("return")?)?;
    signature.call((parameters,), Some(&kwargs))
}

/// The [`Function`] behind a value generated code made with [`lambda`].
fn as_function<'a, 'py>(function: &'a Bound<'py, PyAny>) -> PyResult<&'a Bound<'py, Function>> {
    function.cast::<Function>().map_err(|_| internal_error())
}

/// A function: a Python callable whose body is Rust code generated by `py!`. `N` is the number
/// of parameter values `body` takes, in binding order: positional, `*args`, keyword-only,
/// `**kwargs`.
///
/// ```
/// use pycall::__private::{LambdaSpec, lambda};
/// use pyo3::prelude::*;
///
/// static SPEC: LambdaSpec = LambdaSpec {
///     name: "<lambda>",
///     qualname: "<lambda>",
///     positional: &["x", "y"],
///     posonly: 0,
///     vararg: None,
///     kwonly: &[],
///     varkw: None,
///     closure: &[],
/// };
/// Python::attach(|py| -> PyResult<()> {
///     let ten = 10i32.into_pyobject(py)?.into_any().unbind();
///     // lambda x, y=10: x + y
///     let f = lambda::<2, _>(py, &SPEC, vec![ten], vec![], vec![], |_py, _captures, [x, y]| {
///         x.add(y)
///     })?;
///     assert_eq!(f.call1((1,))?.extract::<i32>()?, 11);
///     assert_eq!(f.getattr("__name__")?.extract::<String>()?, "<lambda>");
///     Ok(())
/// })
/// .unwrap();
/// ```
pub fn lambda<'py, const N: usize, F>(
    py: Python<'py>,
    spec: &'static LambdaSpec,
    defaults: Vec<Py<PyAny>>,
    kw_defaults: Vec<Option<Py<PyAny>>>,
    captures: Vec<Py<PyAny>>,
    body: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: for<'a> Fn(Python<'a>, &[Py<PyAny>], [Bound<'a, PyAny>; N]) -> PyResult<Bound<'a, PyAny>>
        + Send
        + Sync
        + 'static,
{
    let defaults = if defaults.is_empty() {
        None
    } else {
        Some(
            super::values::checked_tuple(py, defaults.into_iter().map(|d| d.into_bound(py)))?
                .unbind(),
        )
    };
    let kwdefaults = if kw_defaults.iter().all(Option::is_none) {
        None
    } else {
        let dict = super::values::checked_dict_new(py)?;
        for (name, default) in spec.kwonly.iter().zip(kw_defaults) {
            if let Some(default) = default {
                dict.set_item(*name, default)?;
            }
        }
        Some(dict.unbind())
    };
    let state = FunctionState {
        module: Some(intern!(py, "__main__").clone().into_any().unbind()),
        defaults,
        kwdefaults,
        ..FunctionState::default()
    };
    let function = Function {
        vectorcall: call_vector,
        spec,
        captures,
        body: Box::new(move |py, captures, args| body(py, captures, args.into_array::<N>(py)?)),
        state: Mutex::new(state),
    };
    function_type(py)?;
    let function = Bound::new(py, function)?;
    Ok(function.into_any())
}

/// Where PyO3 puts a `Function` in its object: right after the object header (PyO3's
/// `#[repr(C)]` class object, whose contents start with the value). Checked against a real
/// function by a test.
const VALUE_OFFSET: usize =
    std::mem::size_of::<pyo3::ffi::PyObject>().next_multiple_of(std::mem::align_of::<Function>());
const VECTORCALL_OFFSET: usize = VALUE_OFFSET + std::mem::offset_of!(Function, vectorcall);

/// The function type, made (with PyO3's fallible path: a failure is the `PyErr`) and set up
/// once, before its first function: CPython's plain name, its call protocol
/// ([`calls_as_cpython_functions`]) and a `tp_dealloc` that survives a failed construction
/// ([`function_dealloc`]).
pub(crate) fn function_type(py: Python<'_>) -> PyResult<()> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static READY: AtomicBool = AtomicBool::new(false);
    if READY.load(Ordering::Acquire) {
        return Ok(());
    }
    let type_object = <Function as pyo3::impl_::pyclass::PyClassImpl>::lazy_type_object()
        .get_or_try_init(py)?
        .as_type_ptr();
    // Attached, so no other thread patches at the same time; a second patch is skipped.
    if !READY.load(Ordering::Acquire) {
        // SAFETY: attached; PyO3's type object for `Function` lives as long as the
        // interpreter and is not subclassable; `function_dealloc` calls the original.
        unsafe {
            if let Some(original) = (*type_object).tp_dealloc {
                let _ = FUNCTION_DEALLOC.set(original);
                (*type_object).tp_dealloc = Some(function_dealloc);
            }
            (*type_object).tp_name = c"function".as_ptr();
        }
        calls_as_cpython_functions(type_object);
        READY.store(true, Ordering::Release);
    }
    Ok(())
}

static FUNCTION_DEALLOC: std::sync::OnceLock<pyo3::ffi::destructor> = std::sync::OnceLock::new();

/// Whether the object's `Function` was written: its `vectorcall` field (never null once
/// written) read as an integer, since the type's allocator zeroes a new object.
///
/// # Safety
/// `obj` is an object of the function type, allocated.
unsafe fn function_written(obj: *mut pyo3::ffi::PyObject) -> bool {
    // SAFETY: the field lies inside the object (the caller's promise); read as `usize`, so a
    // zero is no invalid function pointer.
    unsafe {
        obj.cast::<u8>()
            .add(VECTORCALL_OFFSET)
            .cast::<usize>()
            .read()
            != 0
    }
}

/// The function type's `tp_dealloc`. On 3.11 CPython's `object.__new__` makes the instance
/// dict right after allocating an object whose type has one; if that fails (no memory) it
/// deallocates the object before PyO3 has written the `Function` into it, and PyO3's
/// deallocation would drop that never-written, zeroed value (a crash; PyO3 0.30:
/// `PyNativeTypeInitializer::into_new_object` then `tp_dealloc` of a `#[pyclass(dict)]`).
/// So an unwritten object first gets a harmless placeholder to drop.
unsafe extern "C" fn function_dealloc(obj: *mut pyo3::ffi::PyObject) {
    // SAFETY: CPython calls this with an object of the function type.
    unsafe {
        if !function_written(obj) {
            let value = obj.cast::<u8>().add(VALUE_OFFSET).cast::<Function>();
            value.write(Function {
                vectorcall: call_vector,
                spec: &PLACEHOLDER_SPEC,
                captures: Vec::new(),
                body: Box::new(|_, _, _| Err(super::exceptions::internal_error())),
                state: Mutex::new(FunctionState::default()),
            });
        }
        if let Some(original) = FUNCTION_DEALLOC.get() {
            original(obj);
        }
    }
}

static PLACEHOLDER_SPEC: LambdaSpec = LambdaSpec {
    name: "<placeholder>",
    qualname: "<placeholder>",
    positional: &[],
    posonly: 0,
    vararg: None,
    kwonly: &[],
    varkw: None,
    closure: &[],
};

/// Gives the function type, when its first function is made, the two properties of
/// CPython's own that make calls cheap:
/// - `Py_TPFLAGS_METHOD_DESCRIPTOR`: `f.__get__(obj, cls)(*args)` is `f(obj, *args)`, so a
///   method call (`obj.m(x)`, `__init__` when a class is called) calls the function with
///   `obj` first instead of making a bound method each time;
/// - vectorcall (`tp_vectorcall_offset` to the `vectorcall` field): callers pass their
///   argument array as it is instead of packing a tuple and a dict for `__call__`.
fn calls_as_cpython_functions(type_object: *mut pyo3::ffi::PyTypeObject) {
    let offset = VECTORCALL_OFFSET;
    // SAFETY: attached; PyO3's type object for `Function` lives as long as the interpreter
    // and is not subclassable; every `Function` has its `vectorcall` field at `offset` from
    // the object's start (one layout for the type), set to `call_vector`, whose results are
    // `__call__`'s; `__get__` makes the bound method the flag promises (`PyMethod_New`); and
    // `PyType_Modified` drops any cached lookups made through the type.
    unsafe {
        (*type_object).tp_vectorcall_offset = offset as pyo3::ffi::Py_ssize_t;
        (*type_object).tp_flags |=
            pyo3::ffi::Py_TPFLAGS_METHOD_DESCRIPTOR | pyo3::ffi::Py_TPFLAGS_HAVE_VECTORCALL;
        pyo3::ffi::PyType_Modified(type_object);
    }
}

/// `function(*args, **kwargs)` by CPython's vectorcall protocol: positional arguments in
/// `args[..nargs]`, keyword values after them, named by the `kwnames` tuple. As `__call__`
/// does, in CPython's recursion check (which CPython makes around `tp_call` but leaves to the
/// callee for vectorcall), with a Rust panic coming back as a `PanicException`.
unsafe extern "C" fn call_vector(
    callable: *mut pyo3::ffi::PyObject,
    args: *const *mut pyo3::ffi::PyObject,
    nargsf: usize,
    kwnames: *mut pyo3::ffi::PyObject,
) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls vectorcall functions attached.
    let py = unsafe { Python::assume_attached() };
    // SAFETY: attached; the message is a static C string.
    if unsafe { pyo3::ffi::Py_EnterRecursiveCall(c" while calling a Python object".as_ptr()) } != 0
    {
        return std::ptr::null_mut();
    }
    // An `await f(…)` of this call claims it before the arguments are bound (which may run
    // Python code that calls this function again).
    let entered = super::resumable::enter_call(callable);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: the arguments are as CPython's vectorcall protocol passes them.
        unsafe { call_vector_checked(py, callable, args, nargsf, kwnames) }
    }));
    drop(entered);
    // SAFETY: attached, paired with the `Py_EnterRecursiveCall` above.
    unsafe { pyo3::ffi::Py_LeaveRecursiveCall() };
    let result = result.unwrap_or_else(|payload| {
        Err(super::exceptions::panic_exception(
            py,
            super::exceptions::panic_message(&*payload),
        ))
    });
    match result {
        Ok(value) => value.into_ptr(),
        Err(err) => {
            super::exceptions::restore_from_c(py, err);
            std::ptr::null_mut()
        }
    }
}

/// The body of [`call_vector`]: every parameter given positionally, as most calls are, goes
/// straight to the body; anything else is packed as `__call__` receives it and bound the same
/// way.
///
/// # Safety
/// Attached; `callable` is a `Function`; `args` holds `PyVectorcall_NARGS(nargsf)` positional
/// arguments followed by one value per name in `kwnames` (a tuple of strings, or NULL).
unsafe fn call_vector_checked<'py>(
    py: Python<'py>,
    callable: *mut pyo3::ffi::PyObject,
    args: *const *mut pyo3::ffi::PyObject,
    nargsf: usize,
    kwnames: *mut pyo3::ffi::PyObject,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: per this function's contract: CPython calls this entry only through a
    // `Function`'s own `vectorcall` field (the type has no subclasses), so `callable` is one.
    let function = unsafe { Borrowed::from_ptr(py, callable).cast_unchecked::<Function>() };
    let function = function.get();
    let spec = function.spec;
    // SAFETY: per this function's contract.
    let nargs = unsafe { pyo3::ffi::PyVectorcall_NARGS(nargsf) } as usize;
    let kwnames = (!kwnames.is_null())
        // SAFETY: a borrowed tuple, per this function's contract.
        .then(|| unsafe { Bound::from_borrowed_ptr(py, kwnames) })
        .and_then(|names| names.cast_into::<PyTuple>().ok())
        .filter(|names| !names.is_empty());
    let arg = |i: usize| {
        // SAFETY: `i` is below `nargs` plus the number of keyword names, the length of
        // `args`, whose items are live borrowed objects.
        unsafe { Bound::from_borrowed_ptr(py, *args.add(i)) }
    };
    let values = if kwnames.is_none()
        && nargs == spec.positional.len()
        && spec.kwonly.is_empty()
        && spec.vararg.is_none()
        && spec.varkw.is_none()
    {
        if nargs == 0 {
            Args::Vector(&[])
        } else {
            // SAFETY: `args` holds at least `nargs` items (it may be NULL only when empty).
            Args::Vector(unsafe { std::slice::from_raw_parts(args, nargs) })
        }
    } else {
        let tuple = super::values::checked_tuple(py, (0..nargs).map(arg))?;
        let kwargs = match &kwnames {
            Some(names) => {
                let dict = super::values::checked_dict_new(py)?;
                for (i, name) in names.iter().enumerate() {
                    dict.set_item(name, arg(nargs + i))?;
                }
                Some(dict)
            }
            None => None,
        };
        Args::Bound(bind_arguments(function, &tuple, kwargs.as_ref())?)
    };
    stacker::maybe_grow(256 * 1024, 2 * 1024 * 1024, || {
        (function.body)(py, &function.captures, values)
    })
}

unsafe extern "C" {
    /// CPython's bound-method constructor (`Objects/classobject.c`, in the C API of every
    /// supported version; pyo3-ffi does not declare it).
    fn PyMethod_New(
        function: *mut pyo3::ffi::PyObject,
        instance: *mut pyo3::ffi::PyObject,
    ) -> *mut pyo3::ffi::PyObject;
}

/// Gives a type made by PyO3 (`tp_name` `builtins.NAME`) CPython's plain name for its own
/// types, which error messages show ("'function' object has no attribute 'x'"); once, which
/// `done` records.
pub(crate) fn plain_type_name<T: pyo3::PyTypeInfo>(
    py: Python<'_>,
    name: &'static std::ffi::CStr,
    done: &std::sync::atomic::AtomicBool,
) {
    use std::sync::atomic::Ordering;
    if done.load(Ordering::Acquire)
        || done
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
    {
        return;
    }
    let type_object = T::type_object_raw(py);
    // SAFETY: attached; the type object is PyO3's static one for `T`, alive for the
    // interpreter's lifetime; `name` is a static string, so the pointer stays valid; only
    // `tp_name` changes (`__name__` and `__module__` come from the type's own fields).
    unsafe {
        (*type_object).tp_name = name.as_ptr();
    }
}

/// Sets the `__doc__` of a `def` that has a docstring.
///
/// ```
/// # use pycall::__private::{LambdaSpec, lambda, function_doc};
/// # use pyo3::prelude::*;
/// # static SPEC: LambdaSpec = LambdaSpec { name: "f", qualname: "f", positional: &[],
/// #     posonly: 0, vararg: None, kwonly: &[], varkw: None, closure: &[] };
/// Python::attach(|py| -> PyResult<()> {
///     let f = lambda::<0, _>(py, &SPEC, vec![], vec![], vec![], |py, _, []| Ok(py.None().into_bound(py)))?;
///     function_doc(&f, pyo3::types::PyString::new(py, "Does nothing.").into_any())?;
///     assert_eq!(f.getattr("__doc__")?.extract::<String>()?, "Does nothing.");
///     Ok(())
/// })
/// .unwrap();
/// ```
pub fn function_doc(function: &Bound<'_, PyAny>, doc: Bound<'_, PyAny>) -> PyResult<()> {
    as_function(function)?
        .get()
        .replace(|s| &mut s.doc, Some(doc.unbind()));
    Ok(())
}

/// Sets the `__annotations__` of a `def` with annotated parameters or return.
///
/// ```
/// # use pycall::__private::{LambdaSpec, lambda, function_annotations};
/// # use pyo3::prelude::*;
/// # static SPEC: LambdaSpec = LambdaSpec { name: "f", qualname: "f", positional: &["x"],
/// #     posonly: 0, vararg: None, kwonly: &[], varkw: None, closure: &[] };
/// Python::attach(|py| -> PyResult<()> {
///     let f = lambda::<1, _>(py, &SPEC, vec![], vec![], vec![], |_, _, [x]| Ok(x))?;
///     let annotations = pyo3::types::PyDict::new(py);
///     annotations.set_item("x", py.get_type::<pyo3::types::PyInt>())?;
///     function_annotations(&f, annotations)?;
///     assert!(f.getattr("__annotations__")?.get_item("x")?.is(&py.get_type::<pyo3::types::PyInt>()));
///     Ok(())
/// })
/// .unwrap();
/// ```
pub fn function_annotations(
    function: &Bound<'_, PyAny>,
    annotations: Bound<'_, PyDict>,
) -> PyResult<()> {
    as_function(function)?
        .get()
        .replace(|s| &mut s.annotations, Some(annotations.unbind()));
    Ok(())
}

/// Whether `obj` is a function made by `py!` (what CPython's `PyFunction_Check` is to its own).
pub(crate) fn is_function(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<Function>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::testing::{namespace, run, with_python};
    use crate::__private::{cell_new, cell_set, cell_with};

    /// A function whose body returns its bound parameter values as a tuple.
    fn echo<'py, const N: usize>(
        py: Python<'py>,
        spec: &'static LambdaSpec,
        defaults: Vec<Py<PyAny>>,
        kw_defaults: Vec<Option<Py<PyAny>>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        lambda::<N, _>(py, spec, defaults, kw_defaults, vec![], |py, _, values| {
            Ok(PyTuple::new(py, values)?.into_any())
        })
    }

    fn int(py: Python<'_>, value: i64) -> Py<PyAny> {
        value.into_pyobject(py).unwrap().into_any().unbind()
    }

    /// `def full(a, b=2, /, c=3, *args, d, e=5, **kw)`
    static FULL: LambdaSpec = LambdaSpec {
        name: "full",
        qualname: "full",
        positional: &["a", "b", "c"],
        posonly: 2,
        vararg: Some("args"),
        kwonly: &["d", "e"],
        varkw: Some("kw"),
        closure: &[],
    };

    /// `def fixed(a, /, b, c=1, *, d, e=2)`
    static FIXED: LambdaSpec = LambdaSpec {
        name: "fixed",
        qualname: "fixed",
        positional: &["a", "b", "c"],
        posonly: 1,
        vararg: None,
        kwonly: &["d", "e"],
        varkw: None,
        closure: &[],
    };

    /// `def one(x)`
    static ONE: LambdaSpec = LambdaSpec {
        name: "one",
        qualname: "one",
        positional: &["x"],
        posonly: 0,
        vararg: None,
        kwonly: &[],
        varkw: None,
        closure: &[],
    };

    /// `def star(*args, **kw)`
    static STAR: LambdaSpec = LambdaSpec {
        name: "star",
        qualname: "star",
        positional: &[],
        posonly: 0,
        vararg: Some("args"),
        kwonly: &[],
        varkw: Some("kw"),
        closure: &[],
    };

    /// The four reference functions, and pycall's (`_` appended to their names).
    fn binding_namespace(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let full = echo::<7>(
            py,
            &FULL,
            vec![int(py, 2), int(py, 3)],
            vec![None, Some(int(py, 5))],
        )?;
        let fixed = echo::<5>(py, &FIXED, vec![int(py, 1)], vec![None, Some(int(py, 2))])?;
        let one = echo::<1>(py, &ONE, vec![], vec![])?;
        let star = echo::<2>(py, &STAR, vec![], vec![])?;
        let globals = namespace(
            py,
            &[
                ("full_", &full),
                ("fixed_", &fixed),
                ("one_", &one),
                ("star_", &star),
            ],
        )?;
        run(
            py,
            &globals,
            r#"
def full(a, b=2, /, c=3, *args, d, e=5, **kw): return (a, b, c, args, d, e, kw)
def fixed(a, /, b, c=1, *, d, e=2): return (a, b, c, d, e)
def one(x): return (x,)
def star(*args, **kw): return (args, kw)
PAIRS = [(full, full_), (fixed, fixed_), (one, one_), (star, star_)]
CALLS = [
    ((), {}), ((1,), {}), ((1,), {'d': 4}), ((1, 2, 3, 4, 5), {'d': 4, 'z': 0}),
    ((1,), {'a': 1, 'd': 1}), ((1,), {'b': 2, 'd': 1}), ((1, 2), {'c': 3, 'd': 4}),
    ((1, 2, 3), {'c': 3, 'd': 4}), ((1, 2), {'b': 0}), ((1, 2, 3), {}), ((1, 2, 3, 4), {}),
    ((1,), {'e': 1}), ((), {'x': 1}), ((1, 2), {'x': 1}), ((), {'a': 1, 'b': 2}),
    ((1,), {'d': 1, 'e': 2, 'xx': 3}), ((1, 2, 3, 4), {'d': 0}), ((1, 2, 3), {'d': 0, 'e': 1}),
    ((1, 2, 3, 4, 5, 6), {'d': 0}), ((), {'d': 1, 'e': 1}), ((1,), {'dd': 1}),
    ((1, 2), {'b': 1}), ((), {'a': 1}), ((1,), {'b': 1, 'c': 2, 'd': 3, 'e': 4, 'f': 5}),
    ((1,), {'x': 1}), ((1, 2, 3, 4), {'d': 1, 'e': 2}), ((), {'c': 1, 'd': 2}),
    ((1, 2), {'d': 0, 'e': 0}), ((1, 2, 3), {'a': 0, 'b': 0}), ((), {'xs': 1}),
]
def outcome(f, args, kwargs):
    try:
        return ('ok', f(*args, **kwargs))
    except TypeError as e:
        return ('error', str(e))
def compare(label):
    for f, g in PAIRS:
        for args, kwargs in CALLS:
            expected, got = outcome(f, args, kwargs), outcome(g, args, kwargs)
            assert expected == got, (label, f.__name__, args, kwargs, expected, got)
"#,
        )?;
        Ok(globals)
    }

    #[test]
    fn the_vectorcall_field_is_where_the_type_says() {
        with_python(|py| {
            static SPEC: LambdaSpec = LambdaSpec {
                name: "f",
                qualname: "f",
                positional: &[],
                posonly: 0,
                vararg: None,
                kwonly: &[],
                varkw: None,
                closure: &[],
            };
            let f = lambda::<0, _>(py, &SPEC, vec![], vec![], vec![], |py, _, []| {
                Ok(py.None().into_bound(py))
            })
            .unwrap();
            let f = f.cast::<Function>().unwrap();
            let field = std::ptr::addr_of!(f.get().vectorcall) as usize - f.as_ptr() as usize;
            assert_eq!(field, VECTORCALL_OFFSET);
            // SAFETY: attached; the type object lives as long as the interpreter.
            let offset = unsafe { (*f.get_type().as_type_ptr()).tp_vectorcall_offset };
            assert_eq!(offset as usize, VECTORCALL_OFFSET);
            Ok(())
        });
    }

    #[test]
    fn binding_matches_cpython() {
        with_python(|py| {
            let globals = binding_namespace(py)?;
            run(py, &globals, "compare('as made')")
        });
    }

    #[test]
    fn binding_takes_the_defaults_as_they_are_now() {
        with_python(|py| {
            let globals = binding_namespace(py)?;
            run(
                py,
                &globals,
                r#"
for defaults in [(20, 30), (10, 20, 30), (10, 20, 30, 40, 50), (), None, (7,)]:
    for f, g in PAIRS:
        f.__defaults__ = g.__defaults__ = defaults
        assert f.__defaults__ == g.__defaults__
    compare(('__defaults__', defaults))
for kwdefaults in [{'d': 7}, {'e': 1, 'x': 2}, None, {}]:
    for f, g in PAIRS:
        f.__kwdefaults__ = g.__kwdefaults__ = kwdefaults
    compare(('__kwdefaults__', kwdefaults))
for f, g in PAIRS:
    f.__kwdefaults__ = {'e': 0}
    g.__kwdefaults__ = {'e': 0}
    f.__kwdefaults__['d'] = g.__kwdefaults__['d'] = 'later'
compare('__kwdefaults__ changed in place')
for f, g in PAIRS:
    del f.__defaults__, g.__defaults__, f.__kwdefaults__, g.__kwdefaults__
compare('deleted')
for f, g in PAIRS:
    f.__qualname__ = g.__qualname__ = 'Other.name'
    f.__name__ = g.__name__ = 'renamed'
compare('renamed')
"#,
            )
        });
    }

    #[test]
    fn keywords_must_be_strings() {
        with_python(|py| {
            let globals = binding_namespace(py)?;
            let kwargs = PyDict::new(py);
            kwargs.set_item(1, 2)?;
            for name in ["full", "fixed"] {
                let reference = globals.get_item(name)?.unwrap();
                let ours = globals.get_item(format!("{name}_"))?.unwrap();
                let expected = reference.call((1,), Some(&kwargs)).unwrap_err();
                let got = ours.call((1,), Some(&kwargs)).unwrap_err();
                assert_eq!(expected.to_string(), got.to_string());
            }
            Ok(())
        });
    }

    /// `def attrs(a, b=1, *, c=2)`
    static ATTRS: LambdaSpec = LambdaSpec {
        name: "attrs",
        qualname: "attrs",
        positional: &["a", "b"],
        posonly: 0,
        vararg: None,
        kwonly: &["c"],
        varkw: None,
        closure: &[],
    };

    #[test]
    fn attributes_match_cpython() {
        with_python(|py| {
            let ours = echo::<3>(py, &ATTRS, vec![int(py, 1)], vec![Some(int(py, 2))])?;
            let globals = namespace(py, &[("ours", &ours)])?;
            globals.set_item("__name__", "__main__")?;
            run(
                py,
                &globals,
                r#"
import sys
def attrs(a, b=1, *, c=2): pass
ATTRS = ['__name__', '__qualname__', '__module__', '__doc__', '__defaults__',
         '__kwdefaults__', '__annotations__', '__closure__', '__dict__']
if sys.version_info >= (3, 12):
    ATTRS.append('__type_params__')
def same(label):
    for attr in ATTRS:
        a, b = getattr(attrs, attr), getattr(ours, attr)
        assert a == b and type(a) is type(b), (label, attr, a, b)
same('as made')
assert repr(ours) == f'<function attrs at {hex(id(ours))}>', repr(ours)
assert ours.__annotations__ is ours.__annotations__
assert ours.__defaults__ is ours.__defaults__

def attempt(f, action, attr, value):
    try:
        if action == 'set':
            setattr(f, attr, value)
        else:
            delattr(f, attr)
        return ('ok', getattr(f, attr, 'missing'))
    except Exception as e:
        # CPython's "readonly attribute" for __closure__ is PyO3's own wording here.
        return (type(e), str(e) if attr != '__closure__' else '')
VALUES = [1, 'text', None, (1, 2), [1], {'a': 1}, ()]
for attr in ATTRS + ['__type_params__', '__signature__', 'anything']:
    if attr == '__dict__':
        continue
    for value in VALUES:
        for action in ['set', 'del']:
            if attr == '__signature__':
                continue
            a = attempt(attrs, action, attr, value)
            b = attempt(ours, action, attr, value)
            assert a == b, (attr, action, value, a, b)
    same(('after', attr))

class Sub(str): pass
ours.__name__ = Sub('sub')
assert type(ours.__name__) is Sub
ours.__qualname__ = 'Q.q'
assert repr(ours).startswith('<function Q.q at ')
ours.extra = 1
assert ours.__dict__ == {'extra': 1}
ours.__dict__ = {'replaced': 2}
assert ours.replaced == 2 and not hasattr(ours, 'extra')
try:
    del ours.__dict__
except TypeError:
    pass
else:
    raise AssertionError('del __dict__')
import weakref
assert weakref.ref(ours)() is ours
"#,
            )
        });
    }

    #[test]
    fn doc_and_annotations_from_the_def() {
        with_python(|py| {
            let ours = echo::<3>(py, &ATTRS, vec![int(py, 1)], vec![Some(int(py, 2))])?;
            function_doc(&ours, PyString::new(py, "The docstring.").into_any())?;
            let annotations = PyDict::new(py);
            annotations.set_item("a", py.get_type::<pyo3::types::PyInt>())?;
            annotations.set_item("return", "str")?;
            function_annotations(&ours, annotations.clone())?;
            let globals = namespace(py, &[("ours", &ours), ("annotations", &annotations)])?;
            run(
                py,
                &globals,
                r#"
assert ours.__doc__ == 'The docstring.'
assert ours.__annotations__ is annotations
assert ours.__annotations__ == {'a': int, 'return': 'str'}
import typing
assert typing.get_type_hints(ours) == {'a': int, 'return': str}
"#,
            )?;
            let not_a_function = PyDict::new(py).into_any();
            assert!(function_doc(&not_a_function, py.None().into_bound(py)).is_err());
            Ok(())
        });
    }

    /// `def closure(): ...` using `a` and `b` from the scopes around it.
    static CLOSURE: LambdaSpec = LambdaSpec {
        name: "closure",
        qualname: "outer.<locals>.closure",
        positional: &[],
        posonly: 0,
        vararg: None,
        kwonly: &[],
        varkw: None,
        closure: &[("a", 2), ("b", 0)],
    };

    #[test]
    fn closure_is_the_cells() {
        with_python(|py| {
            let b = cell_new(py)?;
            let a = cell_with(&PyString::new(py, "value of a").into_any())?;
            let not_a_cell = int(py, 7);
            let captures = vec![b.clone().unbind(), not_a_cell, a.clone().unbind()];
            let ours = lambda::<0, _>(py, &CLOSURE, vec![], vec![], captures, |py, _, []| {
                Ok(py.None().into_bound(py))
            })?;
            let none = echo::<1>(py, &ONE, vec![], vec![])?;
            let globals = namespace(
                py,
                &[("ours", &ours), ("a", &a), ("b", &b), ("none", &none)],
            )?;
            run(
                py,
                &globals,
                r#"
import types
def outer():
    a = 'value of a'
    def closure():
        return a, b
    b = None
    del b
    return closure
reference = outer()
assert ours.__closure__ is not None and len(ours.__closure__) == 2
assert ours.__closure__[0] is a and ours.__closure__[1] is b
assert all(type(c) is types.CellType for c in ours.__closure__)
assert ours.__closure__[0].cell_contents == reference.__closure__[0].cell_contents
for cell in (ours.__closure__[1], reference.__closure__[1]):
    try:
        cell.cell_contents
    except ValueError:
        pass
    else:
        raise AssertionError('empty cell')
assert ours.__qualname__ == reference.__qualname__
assert none.__closure__ is None
"#,
            )
        });
    }

    /// `def method(self, *args)`
    static METHOD: LambdaSpec = LambdaSpec {
        name: "method",
        qualname: "method",
        positional: &["self"],
        posonly: 0,
        vararg: Some("args"),
        kwonly: &[],
        varkw: None,
        closure: &[],
    };

    #[test]
    fn decorators_and_descriptors() {
        with_python(|py| {
            let method = echo::<2>(py, &METHOD, vec![], vec![])?;
            let abstract_method = echo::<2>(py, &METHOD, vec![], vec![])?;
            let globals = namespace(
                py,
                &[("method", &method), ("abstract_method", &abstract_method)],
            )?;
            run(
                py,
                &globals,
                r#"
import abc
C = type('C', (), {
    'm': method,
    'cm': classmethod(method),
    'sm': staticmethod(method),
    'p': property(method),
})
c = C()
assert c.m(1) == (c, (1,))
assert C.m(c, 1) == (c, (1,))
assert C.cm(1) == (C, (1,)) and c.cm() == (C, ())
assert C.sm(1, 2) == (1, (2,)) and c.sm(3) == (3, ())
assert c.p == (c, ())
assert c.m.__func__ is method and c.m.__self__ is c
assert method.__get__(None, C) is method

assert abc.abstractmethod(abstract_method) is abstract_method
assert abstract_method.__isabstractmethod__ is True
A = abc.ABCMeta('A', (), {'f': abstract_method})
assert A.__abstractmethods__ == frozenset({'f'})
try:
    A()
except TypeError as e:
    assert 'abstract' in str(e), e
else:
    raise AssertionError('instantiated an abstract class')
"#,
            )
        });
    }

    #[test]
    fn functools_wraps_both_ways_and_lru_cache() {
        with_python(|py| {
            let wrapped = echo::<2>(py, &METHOD, vec![], vec![])?;
            function_doc(&wrapped, PyString::new(py, "wrapped doc").into_any())?;
            let wrapper = echo::<2>(py, &STAR, vec![], vec![])?;
            let calls = pyo3::types::PyList::empty(py);
            let counted = lambda::<1, _>(
                py,
                &ONE,
                vec![],
                vec![],
                vec![calls.clone().into_any().unbind()],
                |py, captures, [x]| {
                    capture(py, captures, 0)?.call_method1("append", (&x,))?;
                    x.mul(2)
                },
            )?;
            let globals = namespace(
                py,
                &[
                    ("wrapped", &wrapped),
                    ("wrapper", &wrapper),
                    ("counted", &counted),
                    ("calls", calls.as_any()),
                ],
            )?;
            globals.set_item("__name__", "__main__")?;
            run(
                py,
                &globals,
                r#"
import functools, inspect, sys
wrapped.tag = 'from wrapped'
def python_wrapper(*args, **kwargs):
    return wrapped(*args, **kwargs)
w = functools.wraps(wrapped)(python_wrapper)
assert w.__wrapped__ is wrapped
assert (w.__name__, w.__qualname__, w.__doc__, w.__module__) == ('method', 'method', 'wrapped doc', '__main__')
assert w.tag == 'from wrapped'
assert w(1, 2) == (1, (2,))
assert str(inspect.signature(w)) == '(self, *args)', inspect.signature(w)

def original(a, b: int = 2, *, c):
    'original doc'
original.tag = 'from original'
assert functools.wraps(original)(wrapper) is wrapper
assert wrapper.__wrapped__ is original
assert (wrapper.__name__, wrapper.__qualname__, wrapper.__doc__, wrapper.__module__) == (
    'original', 'original', 'original doc', '__main__')
assert wrapper.__annotations__ == {'b': int}
assert wrapper.tag == 'from original'
assert wrapper.__dict__ == {'tag': 'from original', '__wrapped__': original}
if sys.version_info >= (3, 12):
    assert wrapper.__type_params__ == ()
assert inspect.signature(wrapper) == inspect.signature(original)
assert str(inspect.signature(wrapper, follow_wrapped=True)) == '(a, b: int = 2, *, c)'
assert wrapper(1, k=2) == ((1,), {'k': 2})

cached = functools.lru_cache(maxsize=None)(counted)
assert cached.__wrapped__ is counted and cached.__name__ == 'one'
assert [cached(1), cached(1), cached(2), cached(x=1)] == [2, 2, 4, 2]
assert calls == [1, 2, 1], calls
info = cached.cache_info()
assert (info.hits, info.misses) == (1, 3), info
"#,
            )
        });
    }

    /// `def annotated(a, b: int = 2, /, c=3, *args: str, d, e: 'x' = 5, **kw) -> bool`
    static ANNOTATED: LambdaSpec = LambdaSpec {
        name: "annotated",
        qualname: "annotated",
        positional: &["a", "b", "c"],
        posonly: 2,
        vararg: Some("args"),
        kwonly: &["d", "e"],
        varkw: Some("kw"),
        closure: &[],
    };

    #[test]
    fn signature_matches_cpython() {
        with_python(|py| {
            let ours = echo::<7>(
                py,
                &ANNOTATED,
                vec![int(py, 2), int(py, 3)],
                vec![None, Some(int(py, 5))],
            )?;
            let annotations = PyDict::new(py);
            annotations.set_item("b", py.get_type::<pyo3::types::PyInt>())?;
            annotations.set_item("args", py.get_type::<PyString>())?;
            annotations.set_item("e", "x")?;
            annotations.set_item("return", py.get_type::<pyo3::types::PyBool>())?;
            function_annotations(&ours, annotations)?;
            let plain = echo::<1>(py, &ONE, vec![], vec![])?;
            let method = echo::<2>(py, &METHOD, vec![], vec![])?;
            let globals = namespace(
                py,
                &[("ours", &ours), ("plain", &plain), ("method", &method)],
            )?;
            run(
                py,
                &globals,
                r#"
import inspect
def annotated(a, b: int = 2, /, c=3, *args: str, d, e: 'x' = 5, **kw) -> bool: pass
def one(x): pass
def method(self, *args): pass
assert inspect.signature(ours) == inspect.signature(annotated)
assert str(inspect.signature(ours)) == str(inspect.signature(annotated)), inspect.signature(ours)
assert str(inspect.signature(plain)) == str(inspect.signature(one))
for f in (ours, annotated):
    f.__defaults__ = (9,)
    f.__kwdefaults__ = {'d': 1}
assert str(inspect.signature(ours)) == str(inspect.signature(annotated)), inspect.signature(ours)

Ours = type('Ours', (), {'m': globals()['method']})
Reference = type('Reference', (), {'m': method})
assert str(inspect.signature(Ours().m)) == str(inspect.signature(Reference().m)) == '(*args)'

sig = inspect.Signature([])
plain.__signature__ = sig
assert plain.__signature__ is sig and inspect.signature(plain) is sig
del plain.__signature__
assert str(inspect.signature(plain)) == '(x)'
"#,
            )
        });
    }

    #[test]
    fn copied_and_pickled_as_cpython_functions_are() {
        with_python(|py| {
            let ours = echo::<1>(py, &ONE, vec![], vec![])?;
            let globals = namespace(py, &[("ours", &ours)])?;
            run(
                py,
                &globals,
                r#"
import copy, pickle, sys, types
assert copy.copy(ours) is ours and copy.deepcopy([ours])[0] is ours
main = types.ModuleType('__main__')
saved, sys.modules['__main__'] = sys.modules['__main__'], main
try:
    main.one = ours
    assert pickle.loads(pickle.dumps(ours)) is ours
    del main.one
    def one(x): pass
    for f in (one, ours):
        try:
            pickle.dumps(f)
        except pickle.PicklingError as e:
            pass
        else:
            raise AssertionError('pickled a function that cannot be found')
finally:
    sys.modules['__main__'] = saved
"#,
            )
        });
    }

    #[test]
    fn cycles_are_collected() {
        with_python(|py| {
            let globals = PyDict::new(py);
            {
                let through_defaults = echo::<1>(py, &ONE, vec![], vec![])?;
                let through_dict = echo::<1>(py, &ONE, vec![], vec![])?;
                let cell = cell_new(py)?;
                let through_cell = lambda::<0, _>(
                    py,
                    &CLOSURE,
                    vec![],
                    vec![],
                    vec![cell.clone().unbind(), int(py, 0), cell.clone().unbind()],
                    |py, _, []| Ok(py.None().into_bound(py)),
                )?;
                cell_set(&cell, &through_cell)?;
                globals.set_item("through_defaults", through_defaults)?;
                globals.set_item("through_dict", through_dict)?;
                globals.set_item("through_cell", through_cell)?;
            }
            run(
                py,
                &globals,
                r#"
import gc, weakref
through_defaults.__defaults__ = (through_defaults,)
through_defaults.__doc__ = [through_defaults]
through_dict.me = through_dict
refs = [weakref.ref(through_defaults), weakref.ref(through_dict), weakref.ref(through_cell)]
del through_defaults, through_dict, through_cell
gc.collect()
assert [r() for r in refs] == [None, None, None], refs
"#,
            )
        });
    }
}
