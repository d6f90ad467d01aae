//! Run-time support for the code `py!` expands to. Not a public API: only generated code calls it.

use pyo3::exceptions::{
    PyNameError, PySystemError, PyTypeError, PyUnboundLocalError, PyValueError,
};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyComplex, PyDict, PyFloat, PyIterator, PyList, PySet, PyString, PyTuple,
};

#[path = "classes.rs"]
mod classes;
pub use classes::*;

pub use pyo3;
pub use pyo3::intern;
pub use pyo3::types::PyAnyMethods;

/// Where a `py!` is: its Python source (as pycall re-prints it) and its place in the Rust file.
pub struct Site {
    pub source: &'static str,
    pub file: &'static str,
    pub line: u32,
    pub column: u32,
}

impl Site {
    fn describe(&self) -> String {
        format!(
            "in py!({}) at {}:{}:{}",
            self.source, self.file, self.line, self.column
        )
    }
}

/// Adds a note naming the `py!` an exception came from, and a traceback entry for its Rust
/// line (`target`: the `T` of `as T`, if any).
#[cold]
fn annotate(py: Python<'_>, err: PyErr, site: &'static Site, target: Option<&str>) -> PyErr {
    add_note(py, &err, &site.describe());
    add_site_entry(py, &err, site, target);
    err
}

/// Adds `note` to the exception, as `BaseException.add_note` does on Python 3.11 and later
/// (where tracebacks show it). On 3.9 and 3.10 the note goes into the same `__notes__` list,
/// readable by code but not shown by those versions' tracebacks, which show the entry
/// [`add_traceback_entry`] adds instead. Best effort: if the note cannot be added (no memory,
/// or an exception whose `__notes__` is not a list), the exception is left as it was.
pub(crate) fn add_note(py: Python<'_>, err: &PyErr, note: &str) {
    #[cfg(Py_3_11)]
    {
        // A failure comes back as a `PyErr` of its own, dropped here: `err` is the one to report.
        let _ = err.add_note(py, note);
    }
    #[cfg(not(Py_3_11))]
    {
        let value = err.value(py);
        let notes = match value.getattr(intern!(py, "__notes__")) {
            Ok(notes) => notes,
            Err(_) => {
                let Ok(list) = PyList::new(py, [note]) else {
                    return;
                };
                let _ = value.setattr(intern!(py, "__notes__"), list);
                return;
            }
        };
        if let Ok(list) = notes.cast::<PyList>() {
            let _ = list.append(note);
        }
    }
}

/// The longest `py!` source shown as the function name of a traceback entry.
const TRACEBACK_NAME_CHARS: usize = 60;

/// Adds a traceback entry for the `py!` call site, outermost (as the caller of whatever
/// Python code raised), so that `traceback.format_exception`, logging and PyO3's `display`
/// show `File "src/main.rs", line 12, in py!(a // b)` (`py!(x as f64)` with a target) on every
/// Python version. Best effort: on any failure the exception keeps the traceback it had.
fn add_site_entry(py: Python<'_>, err: &PyErr, site: &'static Site, target: Option<&str>) {
    let name = || {
        let mut name = String::with_capacity(TRACEBACK_NAME_CHARS + 8);
        name.push_str("py!(");
        if site.source.chars().count() > TRACEBACK_NAME_CHARS {
            name.extend(site.source.chars().take(TRACEBACK_NAME_CHARS - 3));
            name.push_str("...");
        } else {
            name.push_str(site.source);
        }
        if let Some(target) = target {
            name.push_str(" as ");
            name.push_str(target);
        }
        name.push(')');
        name
    };
    let key = std::ptr::from_ref(site) as usize;
    add_traceback_entry(py, err, key, site.file, site.line, name);
}

/// Adds an outermost traceback entry `File "<file>", line <line>, in <name>` to the exception,
/// for the call site `key` (the address of its `'static` description: a [`Site`], a
/// `Location`). Best effort, as [`add_site_entry`].
pub(crate) fn add_traceback_entry(
    py: Python<'_>,
    err: &PyErr,
    key: usize,
    file: &str,
    line: u32,
    name: impl FnOnce() -> String,
) {
    let line = i32::try_from(line).unwrap_or(i32::MAX);
    let Some(code) = entry_code(py, key, file, line, name) else {
        return;
    };
    let Some(frame) = entry_frame(py, &code) else {
        return;
    };
    let next = err.traceback(py);
    // SAFETY: attached (`py`); `PyTraceBack_Type` is called like `types.TracebackType(tb_next,
    // tb_frame, tb_lasti, tb_lineno)`, which returns a new reference or NULL with an exception.
    let tb = unsafe {
        let tb_type = std::ptr::addr_of_mut!(ffi::PyTraceBack_Type).cast::<ffi::PyObject>();
        let next_ptr = next.as_ref().map_or(ffi::Py_None(), |t| t.as_ptr());
        let lasti = ffi::PyLong_FromLong(-1);
        let lineno = ffi::PyLong_FromLong(line.into());
        let args = if lasti.is_null() || lineno.is_null() {
            std::ptr::null_mut()
        } else {
            ffi::PyTuple_Pack(4, next_ptr, frame.as_ptr(), lasti, lineno)
        };
        ffi::Py_XDECREF(lasti);
        ffi::Py_XDECREF(lineno);
        if args.is_null() {
            None
        } else {
            let tb = ffi::PyObject_Call(tb_type, args, std::ptr::null_mut());
            ffi::Py_DECREF(args);
            Bound::from_owned_ptr_or_opt(py, tb)
        }
    };
    let Some(tb) = tb else {
        // Whatever failed set an exception; the one being reported is `err`, not that.
        drop(PyErr::take(py));
        return;
    };
    let Ok(tb) = tb.cast_into::<pyo3::types::PyTraceback>() else {
        return;
    };
    // Before 3.12 PyO3 keeps the traceback beside the exception; the exception's own
    // `__traceback__` must agree, for `traceback.format_exception(err.value(py))`.
    // SAFETY: attached; both are valid objects; the call takes its own reference.
    unsafe {
        ffi::PyException_SetTraceback(err.value(py).as_ptr(), tb.as_ptr());
    }
    err.set_traceback(py, Some(tb));
}

/// The empty code object named after a call site, made on its first error and kept: CPython
/// 3.13 keeps some memory for every code object ever made, so one per error would grow
/// without bound in a program that fails in a loop. At most one per call site of the program.
fn entry_code<'py>(
    py: Python<'py>,
    key: usize,
    file: &str,
    line: i32,
    name: impl FnOnce() -> String,
) -> Option<Bound<'py, PyAny>> {
    use pyo3::sync::MutexExt;
    static CODES: std::sync::Mutex<std::collections::BTreeMap<usize, Py<PyAny>>> =
        std::sync::Mutex::new(std::collections::BTreeMap::new());
    if let Some(code) = CODES.lock_py_attached(py).ok()?.get(&key) {
        return Some(code.bind(py).clone());
    }
    let (Ok(name), Ok(file)) = (std::ffi::CString::new(name()), std::ffi::CString::new(file))
    else {
        return None;
    };
    // SAFETY: attached; `PyCode_NewEmpty` copies the strings and returns a new reference or
    // NULL with an exception set.
    let code = unsafe {
        Bound::from_owned_ptr_or_opt(
            py,
            ffi::PyCode_NewEmpty(file.as_ptr(), name.as_ptr(), line).cast(),
        )
    };
    let Some(code) = code else {
        drop(PyErr::take(py));
        return None;
    };
    // Made outside the lock (it allocates, and may run the garbage collector); another thread
    // may have made one meanwhile, and the first stays.
    let mut codes = CODES.lock_py_attached(py).ok()?;
    Some(codes.entry(key).or_insert(code.unbind()).bind(py).clone())
}

/// A frame object for a traceback entry: the call site's code, with one shared empty globals
/// dict. Built with checked C calls, so that a failed allocation is `None`, never a panic.
fn entry_frame<'py>(py: Python<'py>, code: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    static GLOBALS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    let globals = match GLOBALS.get_or_try_init(py, || -> PyResult<Py<PyDict>> {
        // SAFETY: attached; `PyDict_New` returns a new reference or NULL with an exception.
        unsafe {
            Ok(Bound::from_owned_ptr_or_err(py, ffi::PyDict_New())?
                .cast_into_unchecked::<PyDict>()
                .unbind())
        }
    }) {
        Ok(globals) => globals.bind(py),
        Err(_) => return None,
    };
    // SAFETY: attached; `code` is a code object; `PyFrame_New` takes its own references to the
    // code and globals and returns a new reference or NULL with an exception set.
    unsafe {
        let frame = ffi::PyFrame_New(
            ffi::PyThreadState_Get(),
            code.as_ptr().cast(),
            globals.as_ptr(),
            std::ptr::null_mut(),
        );
        let frame = Bound::from_owned_ptr_or_opt(py, frame.cast());
        if frame.is_none() {
            drop(PyErr::take(py));
        }
        frame
    }
}

/// Runs the body of a `py!` and names it in any exception.
#[inline(always)]
pub fn evaluate<'py, F>(
    py: Python<'py>,
    site: &'static Site,
    body: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>>,
{
    run(py, site, None, body)
}

/// Sets the environment up if needed, runs a `py!` body and names the `py!` in any exception.
#[inline(always)]
fn run<'py, F>(
    py: Python<'py>,
    site: &'static Site,
    target: Option<&'static str>,
    body: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>>,
{
    crate::environment::ensure(py).map_err(|e| annotate(py, e, site, target))?;
    body(py).map_err(|e| annotate(py, e, site, target))
}

/// Runs the body of a `py!(… as T)` and extracts the result into `T`.
#[inline(always)]
pub fn evaluate_as<'py, T, F>(
    py: Python<'py>,
    site: &'static Site,
    target: &'static str,
    body: F,
) -> PyResult<T>
where
    T: FromPyObjectOwned<'py>,
    F: FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>>,
{
    let value = run(py, site, Some(target), body)?;
    match value.extract::<T>() {
        Ok(v) => Ok(v),
        Err(e) => {
            let err = conversion_error(py, e.into(), &value, &site.describe(), target);
            add_site_entry(py, &err, site, Some(target));
            Err(err)
        }
    }
}

/// A failed extraction, with a note saying what the value was and what it should have become.
#[cold]
pub(crate) fn conversion_error(
    py: Python<'_>,
    err: PyErr,
    value: &Bound<'_, PyAny>,
    context: &str,
    target: &str,
) -> PyErr {
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    let mut repr = value
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "<unprintable>".to_owned());
    if repr.chars().count() > 80 {
        repr = repr.chars().take(77).collect::<String>() + "...";
    }
    let note = format!(
        "{context}: the result was a Python `{type_name}` ({repr}), which does not convert to the Rust type `{target}`"
    );
    add_note(py, &err, &note);
    err
}

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

/// The keyword names of a vectorcall: a tuple of distinct interned `str`, which CPython
/// requires. Only [`kwnames`] makes one.
#[derive(Clone, Copy)]
pub struct KwNames<'py>(&'py Bound<'py, PyTuple>);

/// A keyword-names tuple, built once per call site.
#[inline(always)]
pub fn kwnames<'py>(
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
        let interned: Vec<Bound<'_, PyString>> =
            names.iter().map(|n| PyString::intern(py, n)).collect();
        Ok(PyTuple::new(py, interned)?.unbind())
    })
    .map(|t| KwNames(t.bind(py)))
}

fn kw_count(kwnames: Option<KwNames<'_>>) -> usize {
    kwnames.map_or(0, |k| k.0.len())
}

/// `args[0](*args[1..n-k], **dict(zip(kwnames, args[n-k..])))` by vectorcall.
#[inline(always)]
pub fn call<'py, const N: usize>(
    py: Python<'py>,
    args: [&Bound<'py, PyAny>; N],
    kwnames: Option<KwNames<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    let kw = kw_count(kwnames);
    if N == 0 || kw > N - 1 {
        return Err(PySystemError::new_err("pycall: malformed call"));
    }
    let mut ptrs = args.map(|a| a.as_ptr());
    let nargs = N - 1 - kw;
    // SAFETY: `ptrs` holds N live objects (borrowed from `args` for the call); slot 0 is the
    // callable and may be overwritten by the callee, as PY_VECTORCALL_ARGUMENTS_OFFSET allows.
    unsafe {
        let callable = ptrs[0];
        let result = ffi::PyObject_Vectorcall(
            callable,
            ptrs.as_mut_ptr().add(1),
            nargs | ffi::PY_VECTORCALL_ARGUMENTS_OFFSET,
            kwnames.map_or(std::ptr::null_mut(), |k| k.0.as_ptr()),
        );
        Bound::from_owned_ptr_or_err(py, result)
    }
}

/// `args[0].name(*args[1..n-k], **kw)` by vectorcall, without creating a bound method.
#[inline(always)]
pub fn call_method<'py, const N: usize>(
    py: Python<'py>,
    name: &Bound<'py, PyString>,
    args: [&Bound<'py, PyAny>; N],
    kwnames: Option<KwNames<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    let kw = kw_count(kwnames);
    if N == 0 || kw > N - 1 {
        return Err(PySystemError::new_err("pycall: malformed call"));
    }
    let ptrs = args.map(|a| a.as_ptr());
    // SAFETY: `ptrs` holds N live objects; slot 0 is `self`.
    unsafe {
        let result = ffi::PyObject_VectorcallMethod(
            name.as_ptr(),
            ptrs.as_ptr(),
            N - kw,
            kwnames.map_or(std::ptr::null_mut(), |k| k.0.as_ptr()),
        );
        Bound::from_owned_ptr_or_err(py, result)
    }
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

    fn dict(&mut self) -> &Bound<'py, PyDict> {
        self.kwargs.get_or_insert_with(|| PyDict::new(self.py))
    }

    /// `name=value`
    pub fn keyword(
        &mut self,
        func: &Bound<'py, PyAny>,
        name: &Bound<'py, PyString>,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        let dict = self.dict();
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
            let dict = self.dict();
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
        let args = PyTuple::new(self.py, self.args)?;
        func.call(args, self.kwargs.as_ref())
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

fn callable_name(func: &Bound<'_, PyAny>) -> String {
    match func.getattr(intern!(func.py(), "__qualname__")) {
        Ok(name) => format!("{name}()"),
        Err(_) => format!("{} object", type_name(func)),
    }
}

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

/// Reads a local that may be unbound.
/// `top`: the variable belongs to the macro's own scope, which behaves like a module (an unbound
/// name is a `NameError`, not an `UnboundLocalError`).
#[inline(always)]
pub fn load<'py>(
    slot: &Option<Bound<'py, PyAny>>,
    name: &'static str,
    top: bool,
) -> PyResult<Bound<'py, PyAny>> {
    match slot {
        Some(v) => Ok(v.clone()),
        None if top => Err(undefined(name)),
        None => Err(unbound(name)),
    }
}

/// Like [`load`], borrowing the value where it is.
#[inline(always)]
pub fn load_ref<'a, 'py>(
    slot: &'a Option<Bound<'py, PyAny>>,
    name: &'static str,
    top: bool,
) -> PyResult<&'a Bound<'py, PyAny>> {
    match slot {
        Some(v) => Ok(v),
        None if top => Err(undefined(name)),
        None => Err(unbound(name)),
    }
}

#[cold]
fn unbound(name: &str) -> PyErr {
    // CPython's wording, which 3.11 changed.
    PyUnboundLocalError::new_err(if cfg!(Py_3_11) {
        format!("cannot access local variable '{name}' where it is not associated with a value")
    } else {
        format!("local variable '{name}' referenced before assignment")
    })
}

#[cold]
fn unbound_free(name: &str) -> PyErr {
    PyNameError::new_err(if cfg!(Py_3_11) {
        format!(
            "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
        )
    } else {
        format!("free variable '{name}' referenced before assignment in enclosing scope")
    })
}

#[cold]
fn undefined(name: &str) -> PyErr {
    PyNameError::new_err(format!("name '{name}' is not defined"))
}

/// A new, empty Python cell (a variable shared with lambdas and generators).
pub fn cell_new(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    // SAFETY: PyCell_New(NULL) returns a new empty cell or NULL with an exception set.
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyCell_New(std::ptr::null_mut())) }
}

/// A new cell holding `value`.
pub fn cell_with<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: PyCell_New takes a borrowed reference and returns a new cell or NULL.
    unsafe { Bound::from_owned_ptr_or_err(value.py(), ffi::PyCell_New(value.as_ptr())) }
}

#[inline]
pub fn cell_set(cell: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: `cell` was made by `cell_new`/`cell_with` (generated code never passes anything
    // else); PyCell_Set takes a borrowed reference to the value.
    let status = unsafe { ffi::PyCell_Set(cell.as_ptr(), value.as_ptr()) };
    if status == 0 {
        Ok(())
    } else {
        Err(PyErr::fetch(cell.py()))
    }
}

#[inline]
pub fn cell_get<'py>(
    cell: &Bound<'py, PyAny>,
    name: &'static str,
    top: bool,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: as for `cell_set`; PyCell_Get returns a new reference or NULL when empty.
    let ptr = unsafe { ffi::PyCell_Get(cell.as_ptr()) };
    if ptr.is_null() {
        if let Some(err) = PyErr::take(cell.py()) {
            return Err(err);
        }
        if top {
            return Err(undefined(name));
        }
        return Err(unbound_free(name));
    }
    // SAFETY: a new reference, checked non-null.
    Ok(unsafe { Bound::from_owned_ptr(cell.py(), ptr) })
}

/// `a, b, *rest, c = value`: `before` targets, then a starred one if `after` is given.
pub fn unpack<'py>(
    value: &Bound<'py, PyAny>,
    before: usize,
    after: Option<usize>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let iter = value.try_iter().map_err(|e| {
        if !e.is_instance_of::<PyTypeError>(value.py()) {
            return e;
        }
        PyTypeError::new_err(format!(
            "cannot unpack non-iterable {} object",
            type_name(value)
        ))
    })?;
    let items: Vec<Bound<'py, PyAny>> = match after {
        None => {
            let mut items = Vec::with_capacity(before);
            for item in iter {
                if items.len() == before {
                    return Err(PyValueError::new_err(format!(
                        "too many values to unpack (expected {before})"
                    )));
                }
                items.push(item?);
            }
            if items.len() < before {
                return Err(PyValueError::new_err(format!(
                    "not enough values to unpack (expected {before}, got {})",
                    items.len()
                )));
            }
            items
        }
        Some(after) => {
            let all = iter.collect::<PyResult<Vec<_>>>()?;
            if all.len() < before + after {
                return Err(PyValueError::new_err(format!(
                    "not enough values to unpack (expected at least {}, got {})",
                    before + after,
                    all.len()
                )));
            }
            let mut all = all;
            let tail = all.split_off(all.len() - after);
            let middle = all.split_off(before);
            let mut items = all;
            items.push(PyList::new(value.py(), middle)?.into_any());
            items.extend(tail);
            items
        }
    };
    Ok(items)
}

/// Converts the parts of an unpacking into a fixed-size array.
pub fn parts<'py, const N: usize>(
    items: Vec<Bound<'py, PyAny>>,
) -> PyResult<[Bound<'py, PyAny>; N]> {
    items
        .try_into()
        .map_err(|_| PySystemError::new_err("pycall: wrong number of unpacked values"))
}

pub fn new_list(py: Python<'_>) -> Bound<'_, PyList> {
    PyList::empty(py)
}

pub fn new_set(py: Python<'_>) -> PyResult<Bound<'_, PySet>> {
    PySet::empty(py)
}

pub fn new_dict(py: Python<'_>) -> Bound<'_, PyDict> {
    PyDict::new(py)
}

/// `iter(value)`, with the error Python gives for `*value` in a display.
fn iter_for_unpacking<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyIterator>> {
    value.try_iter().map_err(|e| {
        if !e.is_instance_of::<PyTypeError>(value.py()) {
            return e;
        }
        PyTypeError::new_err(format!(
            "Value after * must be an iterable, not {}",
            type_name(value)
        ))
    })
}

/// `[*iterable]`
pub fn list_extend(list: &Bound<'_, PyList>, iterable: &Bound<'_, PyAny>) -> PyResult<()> {
    for item in iter_for_unpacking(iterable)? {
        list.append(item?)?;
    }
    Ok(())
}

/// `{*iterable}`
pub fn set_extend(set: &Bound<'_, PySet>, iterable: &Bound<'_, PyAny>) -> PyResult<()> {
    for item in iter_for_unpacking(iterable)? {
        set.add(item?)?;
    }
    Ok(())
}

/// `{**mapping}`
pub fn dict_update(dict: &Bound<'_, PyDict>, mapping: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: both are live objects; PyDict_Update returns -1 with an exception set.
    let status = unsafe { ffi::PyDict_Update(dict.as_ptr(), mapping.as_ptr()) };
    if status == 0 {
        return Ok(());
    }
    let err = PyErr::fetch(dict.py());
    if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(dict.py()) {
        return Err(PyTypeError::new_err(format!(
            "'{}' object is not a mapping",
            type_name(mapping)
        )));
    }
    Err(err)
}

pub fn tuple<'py>(py: Python<'py>, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyTuple::new(py, items)?.into_any())
}

pub fn list<'py>(py: Python<'py>, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyList::new(py, items)?.into_any())
}

pub fn set<'py>(py: Python<'py>, items: Vec<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    Ok(PySet::new(py, items)?.into_any())
}

pub fn list_to_tuple<'py>(list: Bound<'py, PyList>) -> Bound<'py, PyAny> {
    list.to_tuple().into_any()
}

/// `slice(lower, upper, step)`
pub fn slice<'py>(
    py: Python<'py>,
    lower: Option<Bound<'py, PyAny>>,
    upper: Option<Bound<'py, PyAny>>,
    step: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let ptr =
        |o: &Option<Bound<'py, PyAny>>| o.as_ref().map_or(std::ptr::null_mut(), |b| b.as_ptr());
    // SAFETY: NULL means None for PySlice_New; others are live; returns a new reference.
    unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PySlice_New(ptr(&lower), ptr(&upper), ptr(&step)))
    }
}

/// The shape of a lambda's parameter list.
pub struct LambdaSpec {
    /// `<lambda>`, or the name of a `def`.
    pub name: &'static str,
    /// Positional parameters, positional-only ones first.
    pub positional: &'static [&'static str],
    pub posonly: usize,
    pub varargs: bool,
    pub kwonly: &'static [&'static str],
    pub varkw: bool,
}

impl LambdaSpec {
    /// How many values [`bind_arguments`] produces.
    pub const fn parameter_count(&self) -> usize {
        self.positional.len() + self.varargs as usize + self.kwonly.len() + self.varkw as usize
    }
}

/// Python's argument binding: positional parameters, `*args` (a tuple), keyword-only
/// parameters, `**kwargs` (a dict), in that order.
pub fn bind_arguments<'py>(
    spec: &LambdaSpec,
    defaults: &[Py<PyAny>],
    kw_defaults: &[Option<Py<PyAny>>],
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let py = args.py();
    let np = spec.positional.len();
    let mut slots: Vec<Option<Bound<'py, PyAny>>> = vec![None; np + spec.kwonly.len()];
    let given = args.len();
    for (i, arg) in args.iter().enumerate().take(np) {
        slots[i] = Some(arg);
    }
    let extra = if given > np && spec.varargs {
        args.get_slice(np, given)
    } else {
        PyTuple::empty(py)
    };
    let kwdict = if spec.varkw {
        Some(PyDict::new(py))
    } else {
        None
    };
    let mut posonly_as_kw = Vec::new();
    if let Some(kwargs) = kwargs {
        for (key, value) in kwargs.iter() {
            let name: String = key.extract()?;
            let index = spec.positional[spec.posonly..]
                .iter()
                .position(|p| *p == name)
                .map(|i| i + spec.posonly)
                .or_else(|| spec.kwonly.iter().position(|p| *p == name).map(|i| i + np));
            match index {
                Some(i) => {
                    if slots[i].is_some() {
                        return Err(PyTypeError::new_err(format!(
                            "{}() got multiple values for argument '{name}'",
                            spec.name
                        )));
                    }
                    slots[i] = Some(value);
                }
                None => match &kwdict {
                    Some(d) => d.set_item(key, value)?,
                    None if spec.positional[..spec.posonly].contains(&name.as_str()) => {
                        posonly_as_kw.push(name)
                    }
                    None => {
                        return Err(PyTypeError::new_err(format!(
                            "{}() got an unexpected keyword argument '{name}'",
                            spec.name
                        )));
                    }
                },
            }
        }
    }
    if given > np && !spec.varargs {
        let kwonly_given = slots[np..].iter().filter(|s| s.is_some()).count();
        return Err(too_many_positional(
            spec.name,
            np,
            defaults.len(),
            given,
            kwonly_given,
        ));
    }
    if !posonly_as_kw.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "{}() got some positional-only arguments passed as keyword arguments: '{}'",
            spec.name,
            posonly_as_kw.join(", ")
        )));
    }
    let first_default = np - defaults.len();
    let mut missing = Vec::new();
    for (i, slot) in slots.iter_mut().enumerate().take(np) {
        if slot.is_none() {
            match i.checked_sub(first_default) {
                Some(d) => *slot = Some(defaults[d].bind(py).clone()),
                None => missing.push(format!("'{}'", spec.positional[i])),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_error(spec.name, "positional", &missing));
    }
    for (k, default) in kw_defaults.iter().enumerate() {
        if slots[np + k].is_none() {
            match default {
                Some(d) => slots[np + k] = Some(d.bind(py).clone()),
                None => missing.push(format!("'{}'", spec.kwonly[k])),
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing_error(spec.name, "keyword-only", &missing));
    }
    let mut out = Vec::with_capacity(spec.parameter_count());
    let mut slots = slots.into_iter().flatten();
    out.extend(slots.by_ref().take(np));
    if spec.varargs {
        out.push(extra.into_any());
    }
    out.extend(slots);
    if let Some(d) = kwdict {
        out.push(d.into_any());
    }
    Ok(out)
}

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
        format!("from {} to {np}", np - defcount)
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

type Body = dyn for<'a> Fn(Python<'a>, &[Py<PyAny>], Vec<Bound<'a, PyAny>>) -> PyResult<Bound<'a, PyAny>>
    + Send
    + Sync;

/// A lambda made by `py!`: a Python function whose body is Rust code. Its defaults and
/// captured variables are held here, where Python's garbage collector can see them.
#[pyclass(module = "pycall", name = "function", frozen, weakref)]
pub struct Function {
    spec: &'static LambdaSpec,
    defaults: Vec<Py<PyAny>>,
    kw_defaults: Vec<Option<Py<PyAny>>>,
    captures: Vec<Py<PyAny>>,
    body: Box<Body>,
}

#[pymethods]
impl Function {
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__<'py>(
        &self,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let values = bind_arguments(self.spec, &self.defaults, &self.kw_defaults, args, kwargs)?;
        // Recursion is bounded by Python's recursion limit, but a Rust frame per Python call
        // can exhaust the thread's stack first (unoptimized builds most of all): continue on a
        // fresh segment when less than 256 KiB are left.
        stacker::maybe_grow(256 * 1024, 2 * 1024 * 1024, || {
            (self.body)(args.py(), &self.captures, values)
        })
    }

    /// Functions are descriptors: a lambda stored on a class becomes a method.
    fn __get__<'py>(
        slf: Bound<'py, Self>,
        obj: Option<Bound<'py, PyAny>>,
        _owner: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match obj {
            Some(obj) if !obj.is_none() => {
                let py = slf.py();
                let method_type = py
                    .import(intern!(py, "types"))?
                    .getattr(intern!(py, "MethodType"))?;
                method_type.call1((slf, obj))
            }
            _ => Ok(slf.into_any()),
        }
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        self.spec.name
    }

    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.spec.name
    }

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        format!(
            "<function {} at {:#x}>",
            slf.get().spec.name,
            slf.as_ptr() as usize
        )
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        for value in self
            .defaults
            .iter()
            .chain(self.kw_defaults.iter().flatten())
            .chain(&self.captures)
        {
            visit.call(value)?;
        }
        Ok(())
    }
}

/// A lambda: a Python callable whose body is Rust code generated by `py!`.
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
    let function = Function {
        spec,
        defaults,
        kw_defaults,
        captures,
        body: Box::new(move |py, captures, values| body(py, captures, parts::<N>(values)?)),
    };
    Ok(Bound::new(py, function)?.into_any())
}

/// What one step of a generator expression's loop decided.
pub enum GenStep<'py> {
    /// A condition was false: take the next item at this level.
    Skip,
    /// Start iterating this iterable one level deeper.
    Descend(Bound<'py, PyAny>),
    /// Produce this value.
    Yield(Bound<'py, PyAny>),
}

type StepFn = dyn for<'py> FnMut(Python<'py>, &[Py<PyAny>], usize, Bound<'py, PyAny>) -> PyResult<GenStep<'py>>
    + Send;

/// The iterator behind a generator expression in `py!`.
#[pyclass(module = "pycall", name = "generator")]
pub struct Generator {
    captures: Vec<Py<PyAny>>,
    state: std::sync::Mutex<GeneratorState>,
}

struct GeneratorState {
    iterators: Vec<Py<PyAny>>,
    step: Box<StepFn>,
}

#[pymethods]
impl Generator {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let mut state = match self.state.try_lock() {
            Ok(state) => state,
            Err(std::sync::TryLockError::WouldBlock) => {
                return Err(PyValueError::new_err("generator already executing"));
            }
            Err(std::sync::TryLockError::Poisoned(p)) => {
                // A panic went through a step: the generator is finished, as after an exception.
                let mut state = p.into_inner();
                state.iterators.clear();
                state
            }
        };
        let result = advance(py, &self.captures, &mut state);
        match result {
            Err(err) => {
                state.iterators.clear();
                // PEP 479: a StopIteration escaping the body must not end the iteration silently.
                if err.is_instance_of::<pyo3::exceptions::PyStopIteration>(py) {
                    let wrapped =
                        pyo3::exceptions::PyRuntimeError::new_err("generator raised StopIteration");
                    wrapped.set_cause(py, Some(err));
                    return Err(wrapped);
                }
                Err(err)
            }
            ok => ok,
        }
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        for value in &self.captures {
            visit.call(value)?;
        }
        // While it runs, the generator's own iterators are in use; they are visited otherwise.
        if let Ok(state) = self.state.try_lock() {
            for iterator in &state.iterators {
                visit.call(iterator)?;
            }
        }
        Ok(())
    }
}

fn advance(
    py: Python<'_>,
    captures: &[Py<PyAny>],
    state: &mut GeneratorState,
) -> PyResult<Option<Py<PyAny>>> {
    loop {
        tick(py)?;
        let Some(top) = state.iterators.last() else {
            return Ok(None);
        };
        let top = top.bind(py).clone();
        // SAFETY: `top` is an iterator (made by PyObject_GetIter); PyIter_Next returns a new
        // reference, or NULL at the end or on error.
        let next = unsafe { ffi::PyIter_Next(top.as_ptr()) };
        if next.is_null() {
            if let Some(err) = PyErr::take(py) {
                return Err(err);
            }
            state.iterators.pop();
            continue;
        }
        // SAFETY: non-null new reference.
        let item = unsafe { Bound::from_owned_ptr(py, next) };
        let level = state.iterators.len() - 1;
        match (state.step)(py, captures, level, item)? {
            GenStep::Skip => {}
            GenStep::Descend(iterable) => state
                .iterators
                .push(iterable.try_iter()?.into_any().unbind()),
            GenStep::Yield(value) => return Ok(Some(value.unbind())),
        }
    }
}

/// A generator expression over `first` (already evaluated, as Python does).
pub fn generator<'py, F>(
    py: Python<'py>,
    first: &Bound<'py, PyAny>,
    captures: Vec<Py<PyAny>>,
    step: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: for<'a> FnMut(Python<'a>, &[Py<PyAny>], usize, Bound<'a, PyAny>) -> PyResult<GenStep<'a>>
        + Send
        + 'static,
{
    let iterator = first.try_iter()?.into_any().unbind();
    let generator = Generator {
        captures,
        state: std::sync::Mutex::new(GeneratorState {
            iterators: vec![iterator],
            step: Box::new(step),
        }),
    };
    Ok(Bound::new(py, generator)?.into_any())
}

#[cold]
pub fn internal_error() -> PyErr {
    PySystemError::new_err("pycall: internal error in generated code")
}

/// Reads a cell that may be empty.
#[inline]
pub fn cell_get_opt<'py>(cell: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    // SAFETY: as for `cell_set`; PyCell_Get returns a new reference or NULL when empty.
    let ptr = unsafe { ffi::PyCell_Get(cell.as_ptr()) };
    if ptr.is_null() {
        return match PyErr::take(cell.py()) {
            Some(err) => Err(err),
            None => Ok(None),
        };
    }
    // SAFETY: a new reference, checked non-null.
    Ok(Some(unsafe { Bound::from_owned_ptr(cell.py(), ptr) }))
}

/// What a `py!` with a compile error stands for, so the code around it still type-checks.
/// Never runs: the crate does not compile.
pub fn failed<T>(_py: Python<'_>) -> PyResult<T> {
    Err(internal_error())
}

/// Like [`failed`], for a `py!` without `as T`.
pub fn failed_any(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    failed(py)
}

/// `a op= b`: the in-place operation (`__iadd__` first, then `__add__`), by operator code.
pub fn inplace<'py>(
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    op: u8,
) -> PyResult<Bound<'py, PyAny>> {
    let (x, y) = (a.as_ptr(), b.as_ptr());
    // SAFETY: both are live objects; each PyNumber_InPlace* returns a new reference or NULL
    // with an exception set.
    unsafe {
        let result = match op {
            0 => ffi::PyNumber_InPlaceAdd(x, y),
            1 => ffi::PyNumber_InPlaceSubtract(x, y),
            2 => ffi::PyNumber_InPlaceMultiply(x, y),
            3 => ffi::PyNumber_InPlaceMatrixMultiply(x, y),
            4 => ffi::PyNumber_InPlaceTrueDivide(x, y),
            5 => ffi::PyNumber_InPlaceRemainder(x, y),
            6 => ffi::PyNumber_InPlacePower(x, y, ffi::Py_None()),
            7 => ffi::PyNumber_InPlaceLshift(x, y),
            8 => ffi::PyNumber_InPlaceRshift(x, y),
            9 => ffi::PyNumber_InPlaceOr(x, y),
            10 => ffi::PyNumber_InPlaceXor(x, y),
            11 => ffi::PyNumber_InPlaceAnd(x, y),
            12 => ffi::PyNumber_InPlaceFloorDivide(x, y),
            _ => return Err(internal_error()),
        };
        Bound::from_owned_ptr_or_err(a.py(), result)
    }
}

/// `del name` for a variable that may be unbound.
pub fn delete(slot: &mut Option<Bound<'_, PyAny>>, name: &'static str, top: bool) -> PyResult<()> {
    match slot.take() {
        Some(_) => Ok(()),
        None if top => Err(undefined(name)),
        None => Err(unbound(name)),
    }
}

/// `del name` for a variable kept in a cell.
pub fn cell_delete(cell: &Bound<'_, PyAny>, name: &'static str, top: bool) -> PyResult<()> {
    cell_get(cell, name, top)?;
    // SAFETY: as for `cell_set`; NULL empties the cell.
    let status = unsafe { ffi::PyCell_Set(cell.as_ptr(), std::ptr::null_mut()) };
    if status == 0 {
        Ok(())
    } else {
        Err(PyErr::fetch(cell.py()))
    }
}

/// The `AssertionError` of a failed `assert`.
pub fn assertion_error(message: Option<Bound<'_, PyAny>>) -> PyErr {
    match message {
        Some(m) => pyo3::exceptions::PyAssertionError::new_err(m.unbind()),
        None => pyo3::exceptions::PyAssertionError::new_err(()),
    }
}

/// An exception instance from `raise X`: an instance as it is, a class called with no
/// arguments; anything else is a `TypeError` with `message`.
fn exception_instance<'py>(
    exc: Bound<'py, PyAny>,
    message: &'static str,
) -> Result<Bound<'py, PyAny>, PyErr> {
    let instance = if exc.is_instance_of::<pyo3::types::PyType>() {
        exc.call0()?
    } else {
        exc
    };
    if instance.is_instance_of::<pyo3::exceptions::PyBaseException>() {
        Ok(instance)
    } else {
        Err(PyTypeError::new_err(message))
    }
}

/// `raise exc from cause`: `exc` is an exception instance or class.
pub fn raise(exc: Bound<'_, PyAny>, cause: Option<Bound<'_, PyAny>>) -> PyErr {
    let py = exc.py();
    let err = match exception_instance(exc, "exceptions must derive from BaseException") {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => return e,
    };
    match cause {
        None => {}
        Some(cause) if cause.is_none() => {
            let _ = err.value(py).setattr(intern!(py, "__cause__"), py.None());
            let _ = err
                .value(py)
                .setattr(intern!(py, "__suppress_context__"), true);
        }
        Some(cause) => {
            match exception_instance(cause, "exception causes must derive from BaseException") {
                Ok(cause) => err.set_cause(py, Some(PyErr::from_value(cause))),
                Err(e) => return e,
            }
        }
    }
    err
}

/// `import a.b.c` (binding `a` when `top`) or `import a.b.c as x` / `from a.b.c import …`
/// (the module itself), imported once per call site.
pub fn import_cached<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &'static str,
    top: bool,
) -> PyResult<Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        let imported = py.import(module)?;
        if top {
            let first = module.split('.').next().unwrap_or(module);
            return Ok(py.import(first)?.into_any().unbind());
        }
        Ok(imported.into_any().unbind())
    })
    .map(|m| m.bind(py).clone())
}

/// `from module import name`: the attribute, or the submodule of that name.
pub fn import_from<'py>(
    module: &Bound<'py, PyAny>,
    name: &'static str,
) -> PyResult<Bound<'py, PyAny>> {
    let py = module.py();
    match module.getattr(name) {
        Ok(value) => Ok(value),
        Err(err) if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {
            let module_name: String = module.getattr(intern!(py, "__name__"))?.extract()?;
            match py.import(format!("{module_name}.{name}").as_str()) {
                Ok(sub) => Ok(sub.into_any()),
                Err(_) => Err(pyo3::exceptions::PyImportError::new_err(format!(
                    "cannot import name '{name}' from '{module_name}'"
                ))),
            }
        }
        Err(err) => Err(err),
    }
}

/// How a block run in a closure of its own (a `try` or `with` body) ended.
pub enum Flow<'py> {
    Normal,
    /// `break` of the loop with this index (counted from the outermost).
    Break(usize),
    /// `continue` of the loop with this index.
    Continue(usize),
    /// `return value`.
    Return(Bound<'py, PyAny>),
}

/// Runs a block in a closure of its own, so that its errors can be caught.
#[inline(always)]
pub fn boundary<'py, F>(py: Python<'py>, body: F) -> PyResult<Flow<'py>>
where
    F: FnOnce(Python<'py>) -> PyResult<Flow<'py>>,
{
    body(py)
}

/// `except T`: whether the error is an instance of `T` (a class or a tuple of classes).
pub fn exception_matches(py: Python<'_>, err: &PyErr, class: &Bound<'_, PyAny>) -> PyResult<bool> {
    let valid = |c: &Bound<'_, PyAny>| {
        c.cast::<pyo3::types::PyType>().is_ok_and(|t| {
            t.is_subclass_of::<pyo3::exceptions::PyBaseException>()
                .unwrap_or(false)
        })
    };
    let ok = match class.cast::<PyTuple>() {
        Ok(tuple) => tuple.iter().all(|c| valid(&c)),
        Err(_) => valid(class),
    };
    if !ok {
        return Err(PyTypeError::new_err(
            "catching classes that do not inherit from BaseException is not allowed",
        ));
    }
    Ok(err.matches(py, class.clone()).unwrap_or(false))
}

/// The exception object of an error, for `except … as name`.
pub fn exception_value<'py>(py: Python<'py>, err: &PyErr) -> Bound<'py, PyAny> {
    err.value(py).clone().into_any()
}

/// Empties a cell (`del`, or the end of `except … as name`), bound or not.
pub fn cell_clear(cell: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: as for `cell_set`; NULL empties the cell.
    let status = unsafe { ffi::PyCell_Set(cell.as_ptr(), std::ptr::null_mut()) };
    if status == 0 {
        Ok(())
    } else {
        Err(PyErr::fetch(cell.py()))
    }
}

/// `with manager`: calls `__enter__`, returns the bound `__exit__` and the entered value.
pub fn enter<'py>(manager: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let py = manager.py();
    let class = manager.get_type();
    let (Ok(enter), Ok(exit)) = (
        class.getattr(intern!(py, "__enter__")),
        class.getattr(intern!(py, "__exit__")),
    ) else {
        return Err(PyTypeError::new_err(format!(
            "'{}' object does not support the context manager protocol",
            type_name(manager)
        )));
    };
    let exit = exit.call_method1(intern!(py, "__get__"), (manager, &class))?;
    let value = enter
        .call_method1(intern!(py, "__get__"), (manager, &class))?
        .call0()?;
    Ok((exit, value))
}

/// The end of a `with` block: `__exit__` with the error (which it may suppress) or with `None`s.
pub fn exit<'py>(
    py: Python<'py>,
    exit: &Bound<'py, PyAny>,
    result: PyResult<Flow<'py>>,
) -> PyResult<Flow<'py>> {
    match result {
        Ok(flow) => {
            exit.call1((py.None(), py.None(), py.None()))?;
            Ok(flow)
        }
        Err(err) => {
            let traceback = err
                .traceback(py)
                .map(|t| t.into_any())
                .unwrap_or_else(|| none(py));
            let suppress = exit.call1((err.get_type(py), err.value(py), traceback))?;
            if suppress.is_truthy()? {
                Ok(Flow::Normal)
            } else {
                Err(err)
            }
        }
    }
}

/// One replacement field of an f-string: `!r`/`!s`/`!a` (by its character code, 0 for none),
/// then `format(value, spec)`.
pub fn format_value<'py>(
    value: &Bound<'py, PyAny>,
    conversion: u8,
    spec: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    let converted = match conversion {
        b'r' => value.repr()?.into_any(),
        b's' => value.str()?.into_any(),
        // SAFETY: a live object; PyObject_ASCII returns a new reference or NULL.
        b'a' => unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyObject_ASCII(value.as_ptr()))? },
        _ => value.clone(),
    };
    if spec.is_none() && converted.is_exact_instance_of::<PyString>() {
        return Ok(converted);
    }
    let spec_ptr = spec.as_ref().map_or(std::ptr::null_mut(), |s| s.as_ptr());
    // SAFETY: live objects (NULL spec means ""); returns a new reference or NULL.
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyObject_Format(converted.as_ptr(), spec_ptr)) }
}

/// The pieces of an f-string, joined.
pub fn join_str<'py, const N: usize>(
    py: Python<'py>,
    pieces: [Bound<'py, PyAny>; N],
) -> PyResult<Bound<'py, PyAny>> {
    let tuple = PyTuple::new(py, pieces)?;
    let empty = PyString::intern(py, "");
    // SAFETY: live objects; PyUnicode_Join returns a new reference or NULL.
    unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_Join(empty.as_ptr(), tuple.as_ptr())) }
}

/// The iteration of a `for` (statement or comprehension): lists and tuples by index, as
/// their own iterators do (the length is read again at each step), anything else through
/// `iter()`. Each item is a [`tick`]: Python's pending signal handlers run regularly, as
/// CPython's loop does at backward jumps, so Ctrl-C (a `KeyboardInterrupt`) stops a long loop
/// with a `PyErr`.
pub struct ForIter<'py> {
    kind: ForKind<'py>,
}

enum ForKind<'py> {
    List(Bound<'py, PyList>, usize),
    Tuple(Bound<'py, PyTuple>, usize),
    Other(Bound<'py, PyIterator>),
}

/// How many loop iterations (on one thread, all loops together) between two checks for
/// signals.
pub const SIGNAL_INTERVAL: u32 = 64;

impl<'py> ForIter<'py> {
    #[inline]
    pub fn new(iterable: &Bound<'py, PyAny>) -> PyResult<Self> {
        let kind = if let Ok(list) = iterable.cast_exact::<PyList>() {
            ForKind::List(list.clone(), 0)
        } else if let Ok(tuple) = iterable.cast_exact::<PyTuple>() {
            ForKind::Tuple(tuple.clone(), 0)
        } else {
            ForKind::Other(iterable.try_iter()?)
        };
        Ok(ForIter { kind })
    }
}

impl<'py> Iterator for ForIter<'py> {
    type Item = PyResult<Bound<'py, PyAny>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let py = match &self.kind {
            ForKind::List(l, _) => l.py(),
            ForKind::Tuple(t, _) => t.py(),
            ForKind::Other(i) => i.py(),
        };
        if let Err(e) = tick(py) {
            return Some(Err(e));
        }
        match &mut self.kind {
            ForKind::List(list, index) => {
                if *index >= list.len() {
                    return None;
                }
                let item = list.get_item(*index).ok()?;
                *index += 1;
                Some(Ok(item))
            }
            ForKind::Tuple(tuple, index) => {
                if *index >= tuple.len() {
                    return None;
                }
                let item = tuple.get_item(*index).ok()?;
                *index += 1;
                Some(Ok(item))
            }
            ForKind::Other(iter) => iter.next(),
        }
    }
}

thread_local! {
    /// Loop iterations on this thread since the last check for signals, counted across all
    /// loops, so nested short loops are checked as often as one long one.
    static TICKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// One loop iteration (a `for`, a `while`, a comprehension, a generator step): every
/// [`SIGNAL_INTERVAL`] iterations on this thread, Python's pending signal handlers run.
#[inline(always)]
pub fn tick(py: Python<'_>) -> PyResult<()> {
    let ticks = TICKS.with(|t| {
        let n = t.get() + 1;
        t.set(if n == SIGNAL_INTERVAL { 0 } else { n });
        n
    });
    if ticks == SIGNAL_INTERVAL {
        py.check_signals()?;
    }
    Ok(())
}
