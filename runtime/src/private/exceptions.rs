//! Exceptions: `raise`, `except` matching, `assert`, and errors in generated code.

use pyo3::exceptions::{PySystemError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

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

/// The `AssertionError` of a failed `assert`.
pub fn assertion_error(message: Option<Bound<'_, PyAny>>) -> PyErr {
    match message {
        Some(m) => pyo3::exceptions::PyAssertionError::new_err(m.unbind()),
        None => pyo3::exceptions::PyAssertionError::new_err(()),
    }
}

/// `raise exc from cause`: `exc` is an exception instance or class, as CPython's `do_raise`
/// takes it. Like CPython's `_PyErr_SetObject`, the exception takes the one being handled (if
/// any) as its `__context__`.
///
/// ```
/// use pycall::__private::raise;
/// use pyo3::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     let value_error = py.get_type::<pyo3::exceptions::PyValueError>().into_any();
///     let cause = pyo3::exceptions::PyKeyError::new_err("k").into_value(py).into_any();
///     let err = raise(value_error, Some(cause.bind(py).clone()));
///     assert!(err.is_instance_of::<pyo3::exceptions::PyValueError>(py));
///     assert!(err.value(py).getattr("__cause__")?.is(cause.bind(py)));
///     assert!(err.value(py).getattr("__suppress_context__")?.is_truthy()?);
///     Ok(())
/// })
/// .unwrap();
/// ```
pub fn raise(exc: Bound<'_, PyAny>, cause: Option<Bound<'_, PyAny>>) -> PyErr {
    let py = exc.py();
    let value = match exception_instance(exc) {
        Ok(value) => value,
        Err(e) => return e,
    };
    if let Some(cause) = cause {
        let cause = if is_exception_class(&cause) {
            match cause.call0() {
                Ok(cause) => Some(cause),
                Err(e) => return e,
            }
        } else if is_exception_instance(&cause) {
            Some(cause)
        } else if cause.is_none() {
            None
        } else {
            return PyTypeError::new_err("exception causes must derive from BaseException");
        };
        // SAFETY: attached; `value` is an exception instance; PyException_SetCause steals the
        // reference it is given (a new one here, or NULL for `from None`) and also sets
        // `__suppress_context__`, as `raise ... from ...` does.
        unsafe {
            ffi::PyException_SetCause(
                value.as_ptr(),
                cause.map_or(std::ptr::null_mut(), Bound::into_ptr),
            );
        }
    }
    if let Some(handled) = handled_exception(py) {
        chain_context(&value, &handled);
    }
    PyErr::from_value(value)
}

/// Whether `value` is a class deriving from `BaseException` (`PyExceptionClass_Check`).
fn is_exception_class(value: &Bound<'_, PyAny>) -> bool {
    // SAFETY: a live object; the check only reads its type's flags.
    unsafe { ffi::PyExceptionClass_Check(value.as_ptr()) != 0 }
}

/// Whether `value` is an instance of `BaseException` (`PyExceptionInstance_Check`).
fn is_exception_instance(value: &Bound<'_, PyAny>) -> bool {
    // SAFETY: a live object; the check only reads its type's flags.
    unsafe { ffi::PyExceptionInstance_Check(value.as_ptr()) != 0 }
}

/// The exception instance `raise exc` raises: an instance as it is, a class called with no
/// arguments; anything else is CPython's `TypeError`.
fn exception_instance(exc: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    if is_exception_class(&exc) {
        let value = exc.call0()?;
        if !is_exception_instance(&value) {
            return Err(PyTypeError::new_err(format!(
                "calling {} should have returned an instance of BaseException, not {}",
                exc.repr()?,
                value.get_type().repr()?
            )));
        }
        Ok(value)
    } else if is_exception_instance(&exc) {
        Ok(exc)
    } else {
        Err(PyTypeError::new_err(
            "exceptions must derive from BaseException",
        ))
    }
}

/// `exception.__context__`, if any.
fn context_of<'py>(exception: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    // SAFETY: attached; `exception` is an exception instance; PyException_GetContext returns
    // a new reference or NULL (no exception set either way).
    unsafe {
        Bound::from_owned_ptr_or_opt(
            exception.py(),
            ffi::PyException_GetContext(exception.as_ptr()),
        )
    }
}

/// Sets (or, with `None`, clears) `exception.__context__`.
fn set_context(exception: &Bound<'_, PyAny>, context: Option<&Bound<'_, PyAny>>) {
    // SAFETY: attached; `exception` is an exception instance and `context` one or NULL;
    // PyException_SetContext steals the (new) reference it is given.
    unsafe {
        ffi::PyException_SetContext(
            exception.as_ptr(),
            context.map_or(std::ptr::null_mut(), |c| c.clone().into_ptr()),
        );
    }
}

/// Makes `context` the `__context__` of `value` as CPython's `_PyErr_SetObject` does for an
/// exception raised while `context` is handled: not when they are the same exception, and
/// first cutting `value` out of `context`'s own chain, so that no new cycle appears (a cycle
/// already there is left alone, found with Floyd's algorithm as CPython finds it).
fn chain_context(value: &Bound<'_, PyAny>, context: &Bound<'_, PyAny>) {
    if value.is(context) {
        return;
    }
    let mut o = context.clone();
    let mut slow = context.clone();
    let mut slow_update = false;
    while let Some(next) = context_of(&o) {
        if next.is(value) {
            set_context(&o, None);
            break;
        }
        o = next;
        if o.is(&slow) {
            break;
        }
        if slow_update {
            match context_of(&slow) {
                Some(s) => slow = s,
                None => break,
            }
        }
        slow_update = !slow_update;
    }
    set_context(value, Some(context));
}

/// The exception being handled in this thread (`sys.exc_info()[1]`), if any.
fn handled_exception(py: Python<'_>) -> Option<Bound<'_, PyAny>> {
    #[cfg(Py_3_11)]
    {
        // SAFETY: attached; returns a new reference, or NULL (without an exception set) when
        // no exception is being handled.
        unsafe { Bound::from_owned_ptr_or_opt(py, ffi::PyErr_GetHandledException()) }
    }
    #[cfg(not(Py_3_11))]
    {
        let (_, value, _) = exc_info(py);
        value.filter(|v| !v.is_none())
    }
}

/// Makes `value` the exception being handled.
fn set_handled(value: &Bound<'_, PyAny>) {
    #[cfg(Py_3_11)]
    {
        // SAFETY: attached (`value` is bound); takes a borrowed reference.
        unsafe { ffi::PyErr_SetHandledException(value.as_ptr()) }
    }
    #[cfg(not(Py_3_11))]
    {
        let py = value.py();
        static TRACEBACK: super::values::Interned = super::values::Interned::new("__traceback__");
        let traceback = TRACEBACK
            .get(py)
            .and_then(|name| value.getattr(name))
            .ok()
            .filter(|tb| !tb.is_none());
        set_exc_info(
            py,
            (
                Some(value.get_type().into_any()),
                Some(value.clone()),
                traceback,
            ),
        );
    }
}

/// The (type, value, traceback) of the exception being handled, before 3.11.
#[cfg(not(Py_3_11))]
type ExcInfo<'py> = (
    Option<Bound<'py, PyAny>>,
    Option<Bound<'py, PyAny>>,
    Option<Bound<'py, PyAny>>,
);

#[cfg(not(Py_3_11))]
fn exc_info(py: Python<'_>) -> ExcInfo<'_> {
    let null = std::ptr::null_mut;
    let (mut t, mut v, mut tb) = (null(), null(), null());
    // SAFETY: attached; PyErr_GetExcInfo stores new references (or NULL) in the three.
    unsafe {
        ffi::PyErr_GetExcInfo(&mut t, &mut v, &mut tb);
        (
            Bound::from_owned_ptr_or_opt(py, t),
            Bound::from_owned_ptr_or_opt(py, v),
            Bound::from_owned_ptr_or_opt(py, tb),
        )
    }
}

#[cfg(not(Py_3_11))]
fn set_exc_info(_py: Python<'_>, (t, v, tb): ExcInfo<'_>) {
    let ptr = |o: Option<Bound<'_, PyAny>>| o.map_or(std::ptr::null_mut(), Bound::into_ptr);
    // SAFETY: attached (`_py`); PyErr_SetExcInfo steals the three references, given here as
    // new ones (or NULL).
    unsafe { ffi::PyErr_SetExcInfo(ptr(t), ptr(v), ptr(tb)) }
}

/// The exception being handled when an `except` block starts, put back when it ends (dropped,
/// whichever way the block ends).
struct SavedHandled<'py> {
    py: Python<'py>,
    #[cfg(Py_3_11)]
    value: Option<Bound<'py, PyAny>>,
    #[cfg(not(Py_3_11))]
    info: Option<ExcInfo<'py>>,
}

impl<'py> SavedHandled<'py> {
    fn save(py: Python<'py>) -> Self {
        #[cfg(Py_3_11)]
        {
            // SAFETY: as in `handled_exception`.
            let value =
                unsafe { Bound::from_owned_ptr_or_opt(py, ffi::PyErr_GetHandledException()) };
            SavedHandled { py, value }
        }
        #[cfg(not(Py_3_11))]
        {
            SavedHandled {
                py,
                info: Some(exc_info(py)),
            }
        }
    }
}

impl Drop for SavedHandled<'_> {
    fn drop(&mut self) {
        #[cfg(Py_3_11)]
        {
            let _attached = self.py;
            let ptr = self
                .value
                .as_ref()
                .map_or(std::ptr::null_mut(), Bound::as_ptr);
            // SAFETY: attached; a borrowed reference, or NULL for "nothing handled".
            unsafe { ffi::PyErr_SetHandledException(ptr) }
        }
        #[cfg(not(Py_3_11))]
        if let Some(info) = self.info.take() {
            set_exc_info(self.py, info);
        }
    }
}

/// Runs an `except` block (or a `finally` block running after an exception: `handled` is that
/// exception) as CPython does: `handled` is the exception being handled while `body` runs
/// (`sys.exc_info()`, `traceback.print_exc()`, and the `__context__` CPython gives exceptions
/// raised by Python code called from it), the previous one is restored afterwards (also on
/// error), and an exception `body` returns gets `handled` as its `__context__` when it has none
/// yet and is not `handled` itself (breaking a cycle in the context chain as CPython's
/// `_PyErr_SetObject` does).
///
/// ```
/// use pycall::__private::handling;
/// use pyo3::prelude::*;
///
/// Python::attach(|py| {
///     let handled = pyo3::exceptions::PyKeyError::new_err("missing");
///     let err = handling(py, &handled, |py| -> PyResult<()> {
///         let sys = py.import("sys")?;
///         assert!(sys.call_method0("exc_info")?.get_item(1)?.is(handled.value(py)));
///         Err(pyo3::exceptions::PyValueError::new_err("while handling"))
///     })
///     .unwrap_err();
///     assert!(err.value(py).getattr("__context__").unwrap().is(handled.value(py)));
/// });
/// ```
pub fn handling<'py, T>(
    py: Python<'py>,
    handled: &PyErr,
    body: impl FnOnce(Python<'py>) -> PyResult<T>,
) -> PyResult<T> {
    let value = handled.value(py).clone().into_any();
    // Caught, an exception carries its traceback (before 3.12 PyO3 keeps it beside the
    // exception, which CPython sets when an `except` catches it).
    if let Some(traceback) = handled.traceback(py) {
        // SAFETY: attached; both are live objects of the right types; neither reference is
        // stolen.
        unsafe {
            ffi::PyException_SetTraceback(value.as_ptr(), traceback.as_ptr());
        }
    }
    let saved = SavedHandled::save(py);
    set_handled(&value);
    let result = body(py);
    if let Err(err) = &result {
        // Normalized while `handled` is still the exception being handled: an exception PyO3
        // made lazily is raised now, through `PyErr_SetObject`, which chains it as CPython
        // would have at the time.
        let raised = err.value(py);
        if !raised.is(&value) && context_of(raised).is_none() {
            chain_context(raised, &value);
        }
    }
    drop(saved);
    result
}

/// [`handling`] for a body that can suspend (in a generator): the handled exception is set
/// each time the body is resumed and the caller's put back each time it suspends, as CPython
/// swaps a generator's exception state in and out.
/// `handled` is `None` for a `finally` block that runs after no exception: the body runs as
/// it is.
pub fn handling_async<'e, F, T>(handled: Option<&'e PyErr>, body: F) -> HandlingAsync<'e, F>
where
    F: std::future::Future<Output = PyResult<T>>,
{
    HandlingAsync {
        handled,
        prepared: false,
        body,
    }
}

/// The future of [`handling_async`].
pub struct HandlingAsync<'e, F> {
    handled: Option<&'e PyErr>,
    prepared: bool,
    body: F,
}

impl<F, T> std::future::Future for HandlingAsync<'_, F>
where
    F: std::future::Future<Output = PyResult<T>>,
{
    type Output = PyResult<T>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        // SAFETY: only `body` is pinned, and it is never moved out of `self`.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: `body` is pinned inside `self`, which is pinned.
        let body = unsafe { std::pin::Pin::new_unchecked(&mut this.body) };
        let Some(handled) = this.handled else {
            return body.poll(cx);
        };
        // SAFETY: a generator's body is only polled attached.
        let py = unsafe { Python::assume_attached() };
        let value = handled.value(py).clone().into_any();
        if !this.prepared {
            this.prepared = true;
            if let Some(traceback) = handled.traceback(py) {
                // SAFETY: as in `handling`.
                unsafe {
                    ffi::PyException_SetTraceback(value.as_ptr(), traceback.as_ptr());
                }
            }
        }
        let saved = SavedHandled::save(py);
        set_handled(&value);
        let polled = body.poll(cx);
        if let std::task::Poll::Ready(Err(err)) = &polled {
            let raised = err.value(py);
            if !raised.is(&value) && context_of(raised).is_none() {
                chain_context(raised, &value);
            }
        }
        drop(saved);
        polled
    }
}

#[cold]
/// Makes PyO3's `PanicException` type, which PyO3 makes lazily the first time it fetches any
/// exception (to tell a resumed panic apart). Made while memory can be had: if its making
/// fails, PyO3 fetches that failure, which looks the type up again from inside its own
/// once-cell, and the thread waits for itself forever (PyO3 0.30: `PanicException::
/// type_object_raw` → `PyErr::new_type` fails → `PyErr::fetch` → `PyErr::take` →
/// `PanicException::is_exact_type_of`). So a probe of the same kind comes first, through the
/// C API, and a failure there is returned as the `MemoryError` it is, without PyO3's fetch.
/// Called by pycall's entry points (the environment setup that the first `py!` runs, the
/// callbacks); one atomic load after the first success.
pub fn prime_errors(py: Python<'_>) -> PyResult<()> {
    use std::sync::atomic::{AtomicBool, Ordering};
    static READY: AtomicBool = AtomicBool::new(false);
    if READY.load(Ordering::Acquire) {
        return Ok(());
    }
    // SAFETY: attached; a new reference or NULL with an exception set.
    let probe = unsafe {
        ffi::PyErr_NewException(
            c"pycall.Probe".as_ptr(),
            ffi::PyExc_Exception,
            std::ptr::null_mut(),
        )
    };
    if probe.is_null() {
        return Err(fetch_without_pyo3(py));
    }
    // SAFETY: the new reference made above.
    unsafe { ffi::Py_DECREF(probe) };
    let _ = <pyo3::panic::PanicException as pyo3::PyTypeInfo>::type_object(py);
    // pycall's own types, which PyO3 makes on first use; if making one fails, PyO3 panics
    // while reporting the failure (`LazyTypeObject::get_or_try_init` → `wrap_in_runtime_error`
    // → `PyErr::set_cause` makes a lazy error with no memory): made here, with the panic
    // turned into the `MemoryError`.
    let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> PyResult<()> {
        super::function::function_type(py)?;
        super::resumable::types_ready(py)
    }));
    match made {
        Ok(Ok(())) => {}
        Ok(Err(err)) => return Err(err),
        Err(_) => {
            // SAFETY: attached; `PyErr_NoMemory` sets the preallocated `MemoryError`.
            unsafe {
                ffi::PyErr_Clear();
                ffi::PyErr_NoMemory();
            }
            return Err(super::values::fetched(py));
        }
    }
    READY.store(true, Ordering::Release);
    Ok(())
}

/// The exception set in the interpreter, taken through the C API (not `PyErr::take`, which
/// needs the `PanicException` type): for [`prime_errors`].
#[cold]
fn fetch_without_pyo3(py: Python<'_>) -> PyErr {
    // SAFETY: attached; the error indicator is taken (new references) and cleared.
    let value = unsafe {
        #[cfg(Py_3_12)]
        {
            ffi::PyErr_GetRaisedException()
        }
        #[cfg(not(Py_3_12))]
        {
            let (mut t, mut v, mut tb) = (
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            ffi::PyErr_Fetch(&mut t, &mut v, &mut tb);
            ffi::PyErr_NormalizeException(&mut t, &mut v, &mut tb);
            if !tb.is_null() && !v.is_null() {
                ffi::PyException_SetTraceback(v, tb);
            }
            ffi::Py_XDECREF(t);
            ffi::Py_XDECREF(tb);
            v
        }
    };
    // SAFETY: a new reference or NULL.
    match unsafe { Bound::from_owned_ptr_or_opt(py, value) } {
        Some(value) => PyErr::from_value(value),
        None => pyo3::exceptions::PyMemoryError::new_err(()),
    }
}

/// Sets `err` as the raised exception, from code called through the C ABI, which must not
/// unwind: if making a lazily described error fails for want of memory (PyO3 panics there),
/// the raised exception is the `MemoryError`.
pub(crate) fn restore_from_c(py: Python<'_>, err: PyErr) {
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| err.restore(py))).is_err() {
        // SAFETY: attached; `PyErr_NoMemory` sets the preallocated `MemoryError`.
        unsafe {
            ffi::PyErr_Clear();
            ffi::PyErr_NoMemory();
        }
    }
}

/// The `PanicException` for a Rust panic with `message`, made now with checked calls (a lazy
/// one would panic again if it were made with no memory left); the `MemoryError` if it cannot
/// be made.
pub(crate) fn panic_exception(py: Python<'_>, message: &str) -> PyErr {
    let class = <pyo3::panic::PanicException as pyo3::PyTypeInfo>::type_object(py);
    let text = match super::values::checked_str(py, message) {
        Ok(text) => text,
        Err(err) => return err,
    };
    // SAFETY: attached; a new reference or NULL with an exception set.
    let exception = unsafe { ffi::PyObject_CallOneArg(class.as_ptr(), text.as_ptr()) };
    // SAFETY: a new reference or NULL.
    match unsafe { Bound::from_owned_ptr_or_opt(py, exception) } {
        Some(exception) => PyErr::from_value(exception),
        None => super::values::fetched(py),
    }
}

/// Python's `MemoryError` (its preallocated instance where there is one), as a `PyErr`.
pub fn memory_error(py: Python<'_>) -> PyErr {
    // SAFETY: attached; `PyErr_NoMemory` sets the exception (and returns NULL).
    unsafe {
        ffi::PyErr_Clear();
        ffi::PyErr_NoMemory();
    }
    super::values::fetched(py)
}

/// The text of a panic's payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("a Rust panic")
}

pub fn internal_error() -> PyErr {
    PySystemError::new_err("pycall: internal error in generated code")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::testing::{run, with_python};
    use pyo3::types::PyDict;

    /// The reference side of the tests: CPython doing the same, and a description of an
    /// exception with its cause and context chain (cycles included) to compare.
    const REFERENCE: &str = r#"
import sys, io, traceback
class A(Exception): pass
class B(Exception): pass
class C(Exception): pass
def describe(e, seen=()):
    if e is None:
        return None
    for i, s in enumerate(seen):
        if s is e:
            return ('cycle', i)
    seen = seen + (e,)
    return (type(e).__name__, e.args, describe(e.__cause__, seen),
            describe(e.__context__, seen), e.__suppress_context__)
def caught(f, *args):
    try:
        f(*args)
    except BaseException as e:
        return e
    raise AssertionError('nothing raised')
def same(label, expected, got):
    assert describe(expected) == describe(got), (label, describe(expected), describe(got))
def exc_value():
    return sys.exc_info()[1]
"#;

    fn reference(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let globals = PyDict::new(py);
        run(py, &globals, REFERENCE)?;
        Ok(globals)
    }

    fn get<'py>(globals: &Bound<'py, PyDict>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        globals
            .get_item(name)?
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(name.to_owned()))
    }

    /// The exception `raise <class>(<arg>)` raises in pycall.
    fn raised(globals: &Bound<'_, PyDict>, class: &str, arg: &str) -> PyResult<PyErr> {
        Ok(raise(get(globals, class)?.call1((arg,))?, None))
    }

    #[test]
    fn raise_matches_cpython() {
        with_python(|py| {
            let g = reference(py)?;
            run(
                py,
                &g,
                r#"
class NotAnException:
    pass
class Odd(Exception):
    def __new__(cls):
        return 42
def r1(): raise A
def r2(): raise A('x')
def r3(): raise A('x') from B
def r4(): raise A('x') from B('y')
def r5(): raise A from None
def r6(): raise 1
def r7(): raise A from 1
def r8(): raise int
def r9(): raise Odd
def r10(): raise A from NotAnException
def r11(): raise NotAnException()
CASES = [
    (r1, (A, None)), (r2, (A('x'), None)), (r3, (A('x'), B)), (r4, (A('x'), B('y'))),
    (r5, (A, None)), (r6, (1, None)), (r7, (A, 1)), (r8, (int, None)), (r9, (Odd, None)),
    (r10, (A, NotAnException)), (r11, (NotAnException(), None)),
]
"#,
            )?;
            let cases = get(&g, "CASES")?;
            for case in cases.try_iter()? {
                let case = case?;
                let (function, (exc, cause)): (
                    Bound<'_, PyAny>,
                    (Bound<'_, PyAny>, Bound<'_, PyAny>),
                ) = case.extract()?;
                let name = function.getattr("__name__")?.to_string();
                // `raise A from None` is the only case whose cause is given as None.
                let cause = if name == "r5" {
                    Some(cause)
                } else if cause.is_none() {
                    None
                } else {
                    Some(cause)
                };
                let ours = raise(exc, cause);
                let expected = get(&g, "caught")?.call1((&function,))?;
                get(&g, "same")?.call1((name, expected, ours.value(py)))?;
            }
            Ok(())
        });
    }

    #[test]
    fn raise_in_a_handler_chains_and_restores() {
        with_python(|py| {
            let g = reference(py)?;
            run(
                py,
                &g,
                r#"
def chained():
    try:
        raise A('a')
    except A:
        raise B('b')
def nested():
    try:
        raise A('a')
    except A:
        try:
            raise B('b')
        except B:
            raise C('c')
def reraised():
    try:
        raise A('a')
    except A as e:
        raise e
def from_none():
    try:
        raise A('a')
    except A:
        raise B('b') from None
def in_finally():
    try:
        raise A('a')
    finally:
        raise B('b')
"#,
            )?;
            let same = get(&g, "same")?;
            let no_info = || -> PyResult<()> {
                let info = py.import("sys")?.call_method0("exc_info")?;
                assert!(info.get_item(1)?.is_none(), "sys.exc_info() after: {info}");
                Ok(())
            };

            let a = raised(&g, "A", "a")?;
            let err = handling(py, &a, |_| Err::<(), _>(raised(&g, "B", "b")?)).unwrap_err();
            same.call1((
                "chained",
                get(&g, "caught")?.call1((get(&g, "chained")?,))?,
                err.value(py),
            ))?;
            no_info()?;

            let a = raised(&g, "A", "a")?;
            let err = handling(py, &a, |py| {
                let b = raised(&g, "B", "b")?;
                handling(py, &b, |_| Err::<(), _>(raised(&g, "C", "c")?))
            })
            .unwrap_err();
            same.call1((
                "nested",
                get(&g, "caught")?.call1((get(&g, "nested")?,))?,
                err.value(py),
            ))?;
            no_info()?;

            let a = raised(&g, "A", "a")?;
            let err = handling(py, &a, |py| {
                Err::<(), _>(raise(a.value(py).clone().into_any(), None))
            })
            .unwrap_err();
            assert!(err.value(py).is(a.value(py)));
            same.call1((
                "reraised",
                get(&g, "caught")?.call1((get(&g, "reraised")?,))?,
                err.value(py),
            ))?;

            let a = raised(&g, "A", "a")?;
            let err = handling(py, &a, |py| {
                Err::<(), _>(raise(
                    get(&g, "B")?.call1(("b",))?,
                    Some(py.None().into_bound(py)),
                ))
            })
            .unwrap_err();
            same.call1((
                "from None",
                get(&g, "caught")?.call1((get(&g, "from_none")?,))?,
                err.value(py),
            ))?;

            // A `finally` after an exception: the same call, re-raising the pending one when
            // the block ends normally.
            let a = raised(&g, "A", "a")?;
            let err = handling(py, &a, |_| Err::<(), _>(raised(&g, "B", "b")?)).unwrap_err();
            same.call1((
                "finally",
                get(&g, "caught")?.call1((get(&g, "in_finally")?,))?,
                err.value(py),
            ))?;
            let a = raised(&g, "A", "a")?;
            handling(py, &a, |_| Ok(()))?;
            assert!(context_of(a.value(py)).is_none());
            no_info()
        });
    }

    #[test]
    fn errors_made_in_the_handler_chain() {
        with_python(|py| {
            let g = reference(py)?;
            let a = raised(&g, "A", "a")?;
            // Made lazily by Rust code in the block, raised by C code, raised by Python code.
            let lazy = handling(py, &a, |_| {
                Err::<(), _>(pyo3::exceptions::PyValueError::new_err("lazy"))
            })
            .unwrap_err();
            let from_c = handling(py, &a, |py| {
                py.get_type::<pyo3::types::PyInt>().call1(("not a number",))
            })
            .unwrap_err();
            let from_python =
                handling(py, &a, |_| run(py, &g, "raise C('from python')")).unwrap_err();
            for err in [lazy, from_c, from_python] {
                let context = context_of(err.value(py));
                assert!(context.is_some_and(|c| c.is(a.value(py))), "{err}");
            }
            Ok(())
        });
    }

    #[test]
    fn exc_info_inside_and_after() {
        with_python(|py| {
            let g = reference(py)?;
            // A handled exception with a traceback, as one caught from Python code is.
            let a = run(py, &g, "raise A('with traceback')").unwrap_err();
            let b = raised(&g, "B", "b")?;
            let exc_value = get(&g, "exc_value")?;
            let sys = py.import("sys")?;
            handling(py, &a, |py| {
                let info = sys.call_method0("exc_info")?;
                assert!(info.get_item(1)?.is(a.value(py)));
                assert!(info.get_item(0)?.is(a.get_type(py)));
                let traceback = info.get_item(2)?;
                assert!(!traceback.is_none());
                assert!(traceback.is(a.value(py).getattr("__traceback__")?));
                let printed = py.import("io")?.call_method0("StringIO")?;
                let kwargs = PyDict::new(py);
                kwargs.set_item("file", &printed)?;
                py.import("traceback")?
                    .call_method("print_exc", (), Some(&kwargs))?;
                let printed = printed.call_method0("getvalue")?.to_string();
                assert!(printed.contains("A: with traceback"), "{printed}");
                handling(py, &b, |py| {
                    assert!(exc_value.call0()?.is(b.value(py)));
                    Ok(())
                })?;
                assert!(exc_value.call0()?.is(a.value(py)));
                let _ = handling(py, &b, |_| Err::<(), _>(raised(&g, "C", "c")?));
                assert!(exc_value.call0()?.is(a.value(py)));
                Ok(())
            })?;
            assert!(exc_value.call0()?.is_none());

            // Inside a handler of Python code's: that one is restored, and raised exceptions
            // chain to the innermost.
            run(
                py,
                &g,
                r#"
def outer(callback):
    try:
        raise A('outer')
    except A as e:
        inner = callback()
        assert sys.exc_info()[1] is e
        return e, inner
"#,
            )?;
            let callback = pyo3::types::PyCFunction::new_closure(py, None, None, {
                let b = b.clone_ref(py);
                move |args, _| -> PyResult<Py<PyAny>> {
                    let py = args.py();
                    let err = handling(py, &b, |py| {
                        let c = get(&reference(py)?, "C")?.call1(("c",))?;
                        Err::<(), _>(raise(c, None))
                    })
                    .unwrap_err();
                    Ok(err.into_value(py).into_any())
                }
            })?;
            let (outer, inner): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
                get(&g, "outer")?.call1((callback,))?.extract()?;
            let b_context = context_of(&inner).unwrap();
            assert!(b_context.is(b.value(py)));
            // B was made before the Python handler ran, so its own context is untouched.
            let _ = outer;
            assert!(exc_value.call0()?.is_none());
            Ok(())
        });
    }

    #[test]
    fn context_cycles_are_broken_as_cpython_breaks_them() {
        with_python(|py| {
            let g = reference(py)?;
            run(
                py,
                &g,
                r#"
def cycle():
    try:
        raise A('a')
    except A as a:
        try:
            raise B('b')
        except B:
            try:
                raise a
            except A as again:
                return again
def existing_cycle():
    x, y = A('x'), B('y')
    x.__context__, y.__context__ = y, x
    try:
        raise x
    except A:
        raise C('c')
"#,
            )?;
            let same = get(&g, "same")?;
            let a = raised(&g, "A", "a")?;
            let again = handling(py, &a, |py| {
                let b = raised(&g, "B", "b")?;
                handling(py, &b, |py| {
                    Err::<(), _>(raise(a.value(py).clone().into_any(), None))
                })
            })
            .unwrap_err();
            same.call1(("cycle", get(&g, "cycle")?.call0()?, again.value(py)))?;

            let (x, y) = (raised(&g, "A", "x")?, raised(&g, "B", "y")?);
            set_context(x.value(py), Some(y.value(py).as_any()));
            set_context(y.value(py), Some(x.value(py).as_any()));
            let c = handling(py, &x, |_| Err::<(), _>(raised(&g, "C", "c")?)).unwrap_err();
            let expected = get(&g, "caught")?.call1((get(&g, "existing_cycle")?,))?;
            same.call1(("existing cycle", expected, c.value(py)))?;
            Ok(())
        });
    }

    #[test]
    fn with_exit_runs_as_a_handler() {
        with_python(|py| {
            let g = reference(py)?;
            run(
                py,
                &g,
                r#"
class Manager:
    def __init__(self, suppress, fail):
        self.suppress, self.fail, self.seen = suppress, fail, None
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        self.seen = sys.exc_info()[1]
        if self.fail:
            raise C('exit')
        return self.suppress
"#,
            )?;
            for (suppress, fail) in [(false, false), (true, false), (false, true)] {
                let manager = get(&g, "Manager")?.call1((suppress, fail))?;
                let (exit, _) = crate::__private::enter(&manager)?;
                let a = raised(&g, "A", "a")?;
                let a_value = a.value(py).clone();
                let result = crate::__private::exit(py, &exit, Err(a));
                assert!(manager.getattr("seen")?.is(&a_value));
                match result {
                    Ok(_) => assert!(suppress),
                    Err(e) if fail => {
                        assert!(context_of(e.value(py)).is_some_and(|c| c.is(&a_value)));
                    }
                    Err(e) => assert!(e.value(py).is(&a_value)),
                }
            }
            Ok(())
        });
    }
}
