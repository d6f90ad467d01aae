//! One `py!` call site: running its body, and naming it in the exceptions it raises.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use super::exceptions::internal_error;

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
#[inline(never)]
pub(crate) fn annotate(
    py: Python<'_>,
    err: PyErr,
    site: &'static Site,
    target: Option<&str>,
) -> PyErr {
    let err = settle(py, err);
    add_note(py, &err, &site.describe());
    add_site_entry(py, &err, site, target);
    err
}

/// The error with its exception made. An error described lazily (PyO3's `new_err` with a
/// message) is made when first looked at, and PyO3 panics if that fails for want of memory
/// (and keeps the panic for every later look): then the `MemoryError` stands for it.
pub(crate) fn settle(py: Python<'_>, err: PyErr) -> PyErr {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = err.value(py);
        err
    })) {
        Ok(err) => err,
        Err(_) => super::exceptions::memory_error(py),
    }
}

/// Adds `note` to the exception, as `BaseException.add_note` does on Python 3.11 and later
/// (where tracebacks show it). On 3.9 and 3.10 the note goes into the same `__notes__` list,
/// readable by code but not shown by those versions' tracebacks, which show the entry
/// [`add_traceback_entry`] adds instead. Best effort: if the note cannot be added (no memory,
/// or an exception whose `__notes__` is not a list), the exception is left as it was.
pub(crate) fn add_note(py: Python<'_>, err: &PyErr, note: &str) {
    // The method's or attribute's name is made and interned once: a fresh `str` per note
    // would be interned by `PyObject_SetAttr` and dropped again on every error.
    #[cfg(Py_3_11)]
    static NAME: super::values::Interned = super::values::Interned::new("add_note");
    #[cfg(not(Py_3_11))]
    static NAME: super::values::Interned = super::values::Interned::new("__notes__");
    let Ok(name) = NAME.get(py) else {
        drop(PyErr::take(py));
        return;
    };
    let name = name.as_ptr();
    // Through the C API with every result checked (PyO3's `PyErr::add_note` panics when the
    // note's `str` cannot be made); a failure is cleared: `err` is the one to report.
    // SAFETY: attached; every pointer is checked before use and released after.
    unsafe {
        let value = err.value(py).as_ptr();
        let text = ffi::PyUnicode_FromStringAndSize(note.as_ptr().cast(), note.len() as _);
        if text.is_null() {
            ffi::PyErr_Clear();
            return;
        }
        #[cfg(Py_3_11)]
        {
            let result = ffi::PyObject_CallMethodOneArg(value, name, text);
            ffi::Py_XDECREF(result);
        }
        #[cfg(not(Py_3_11))]
        {
            let notes = ffi::PyObject_GetAttr(value, name);
            if notes.is_null() {
                ffi::PyErr_Clear();
                let list = ffi::PyList_New(1);
                if !list.is_null() {
                    ffi::Py_INCREF(text);
                    ffi::PyList_SET_ITEM(list, 0, text);
                    ffi::PyObject_SetAttr(value, name, list);
                    ffi::Py_DECREF(list);
                }
            } else {
                if ffi::PyList_Check(notes) != 0 {
                    ffi::PyList_Append(notes, text);
                }
                ffi::Py_DECREF(notes);
            }
        }
        ffi::Py_DECREF(text);
        ffi::PyErr_Clear();
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
    let next = err.traceback(py);
    // Already the outermost entry (a `raise` in the same `py!` put it there): once is enough.
    let outermost_code = next
        .as_ref()
        .and_then(|tb| attr_by_c_name(tb.as_any(), c"tb_frame"))
        .and_then(|frame| attr_by_c_name(&frame, c"f_code"));
    if outermost_code.is_some_and(|c| c.is(&code)) {
        return;
    }
    let Some(frame) = entry_frame(py, &code) else {
        return;
    };
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

/// `obj.<name>`, `None` on any failure (cleared): for the best-effort paths, where PyO3's
/// `intern!` would panic if the name's first creation failed.
fn attr_by_c_name<'py>(
    obj: &Bound<'py, PyAny>,
    name: &std::ffi::CStr,
) -> Option<Bound<'py, PyAny>> {
    // SAFETY: attached; a new reference or NULL with an exception, which is cleared.
    unsafe {
        let value = ffi::PyObject_GetAttrString(obj.as_ptr(), name.as_ptr());
        if value.is_null() {
            ffi::PyErr_Clear();
        }
        Bound::from_owned_ptr_or_opt(obj.py(), value)
    }
}

/// A frame object for a traceback entry: the call site's code, with one shared globals dict
/// holding only `__builtins__` (without it, 3.9 and 3.10 make a dict of builtins for every
/// frame). Built with checked C calls, so that a failed allocation is `None`, never a panic.
fn entry_frame<'py>(py: Python<'py>, code: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    static GLOBALS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    static BUILTINS: super::values::Interned = super::values::Interned::new("__builtins__");
    let globals = match GLOBALS.get_or_try_init(py, || -> PyResult<Py<PyDict>> {
        // SAFETY: attached; `PyDict_New` returns a new reference or NULL with an exception;
        // `PyEval_GetBuiltins` a borrowed dict (never NULL while attached), which
        // `PyDict_SetItem` takes its own reference to, or fails with an exception set.
        unsafe {
            let globals = super::values::owned_or_err(py, ffi::PyDict_New())?;
            if ffi::PyDict_SetItem(
                globals.as_ptr(),
                BUILTINS.get(py)?.as_ptr(),
                ffi::PyEval_GetBuiltins(),
            ) < 0
            {
                return Err(super::values::fetched(py));
            }
            Ok(globals.cast_into_unchecked::<PyDict>().unbind())
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

/// Runs the body of a `py!(… as T)` and extracts the result into `T`.
///
/// What each `py!` adds to its crate is kept small: the body, inlined, between a check that the
/// environment is set up and the extraction, with the error paths out of line.
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
    ready(py, site, Some(target))?;
    match body(py) {
        Ok(value) => {
            super::collector::gc_point(py);
            extract_at(py, site, target, &value)
        }
        Err(e) => Err(annotate(py, e, site, Some(target))),
    }
}

/// Sets the environment up if needed, runs a `py!` body and names the `py!` in any exception.
#[inline(always)]
pub(crate) fn run<'py, F>(
    py: Python<'py>,
    site: &'static Site,
    target: Option<&'static str>,
    body: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>>,
{
    ready(py, site, target)?;
    finish(py, site, target, body(py))
}

/// The environment set up before a `py!` body runs: one atomic load once it is.
#[inline(always)]
fn ready(py: Python<'_>, site: &'static Site, target: Option<&'static str>) -> PyResult<()> {
    if crate::environment::is_ready() {
        Ok(())
    } else {
        set_up(py, site, target)
    }
}

/// The environment's first setup, from the `py!` at `site`; an error names it.
#[cold]
#[inline(never)]
fn set_up(py: Python<'_>, site: &'static Site, target: Option<&'static str>) -> PyResult<()> {
    crate::environment::ensure(py).map_err(|e| annotate(py, e, site, target))
}

/// After a `py!` body: its error named, a point for the collector. One function for every
/// `py!`.
#[inline(never)]
fn finish<'py>(
    py: Python<'py>,
    site: &'static Site,
    target: Option<&'static str>,
    value: PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Ok(value) => {
            super::collector::gc_point(py);
            Ok(value)
        }
        Err(e) => Err(annotate(py, e, site, target)),
    }
}

/// A failed extraction at `site`, named.
#[cold]
#[inline(never)]
fn extract_failed(
    py: Python<'_>,
    err: PyErr,
    value: &Bound<'_, PyAny>,
    site: &'static Site,
    target: &'static str,
) -> PyErr {
    let err = conversion_error(py, err, value, &site.describe(), target);
    add_site_entry(py, &err, site, Some(target));
    err
}

/// `value` extracted into `T` for the `py!(… as T)` at `site`; a failure names both.
#[inline(always)]
pub(crate) fn extract_at<'py, T>(
    py: Python<'py>,
    site: &'static Site,
    target: &'static str,
    value: &Bound<'py, PyAny>,
) -> PyResult<T>
where
    T: FromPyObjectOwned<'py>,
{
    match value.extract::<T>() {
        Ok(v) => Ok(v),
        Err(e) => Err(extract_failed(py, e.into(), value, site, target)),
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
    let err = settle(py, err);
    let type_name = super::values::type_name(value);
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

/// What a `py!` with a compile error stands for, so the code around it still type-checks.
/// Never runs: the crate does not compile.
pub fn failed<T>(_py: Python<'_>) -> PyResult<T> {
    Err(internal_error())
}

/// Like [`failed`], for a `py!` without `as T`.
pub fn failed_any(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    failed(py)
}

/// `raise exc from cause` in a `py!`: the exception, with a traceback entry for the `py!` (as
/// an exception raised by Python code has one for the line that raised it).
pub fn raise_at(
    site: &'static Site,
    exc: Bound<'_, PyAny>,
    cause: Option<Bound<'_, PyAny>>,
) -> PyErr {
    let py = exc.py();
    let err = super::exceptions::raise(exc, cause);
    add_site_entry(py, &err, site, None);
    err
}
