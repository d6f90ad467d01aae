//! Async Rust and asyncio, both ways: a Python awaitable awaited from any Rust executor
//! ([`into_future`], `py!(await …)`), and a Rust future awaited by Python ([`awaitable`]).
//!
//! pyo3-async-runtimes does the Rust-to-Python direction (its tokio bridge drives the Rust
//! future and settles an asyncio future). The Python-to-Rust direction is pycall's own: the
//! awaitable becomes an asyncio task started on the event loop's thread, and its result reaches
//! the Rust future through a slot and a waker, converted (`as T`) and annotated (the `py!` note)
//! on the loop's thread, so the Rust side never attaches. Dropping the Rust future cancels the
//! task, which pyo3-async-runtimes' `into_future` does not do.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::{MutexExt, PyOnceLock};
use pyo3::types::PyCFunction;

use crate::__private::{Site, checked_str, intern};

/// A Python awaitable running as an asyncio task, awaited from async Rust: what [`into_future`]
/// and `py!(await …)` return (`PythonFuture<T>` for `py!(await … as T)`).
///
/// It is `Send + 'static`, can be awaited in any executor (tokio, smol,
/// `futures::executor::block_on`), and holds no interpreter lock while pending: the task runs on
/// the event loop's thread (see [`event_loop`]), which hands the finished result over. Dropping
/// it before it completes cancels the task (a `CancelledError` at its `await`, its `finally`
/// blocks run).
///
/// ```
/// use pycall::prelude::*;
///
/// let future = Python::attach(|py| py!(await __import__("asyncio").sleep(0, "done") as String))
///     .unwrap();
/// let done = futures::executor::block_on(future).unwrap();
/// assert_eq!(done, "done");
/// ```
#[must_use = "a PythonFuture cancels its task when dropped; await it"]
pub struct PythonFuture<T = Py<PyAny>> {
    shared: Arc<Shared<T>>,
}

/// Turns the task's outcome into the future's output, on the loop's thread.
type Convert<T> = for<'py> fn(
    Python<'py>,
    Option<&'static Site>,
    Option<&'static str>,
    PyResult<Bound<'py, PyAny>>,
) -> PyResult<T>;

struct Shared<T> {
    state: Mutex<State<T>>,
    convert: Convert<T>,
    site: Option<&'static Site>,
    target: Option<&'static str>,
    /// The thread of the loop the task runs on, when it was made on that thread.
    loop_thread: Option<std::thread::ThreadId>,
}

struct State<T> {
    result: Option<PyResult<T>>,
    waker: Option<Waker>,
    /// The asyncio task once started, and its loop: what dropping the future cancels.
    task: Option<Py<PyAny>>,
    event_loop: Option<Py<PyAny>>,
    /// The outcome was delivered (and maybe taken already).
    finished: bool,
    /// The Rust future was dropped before the outcome came.
    abandoned: bool,
}

/// What the loop-side objects need of a [`Shared`], whatever its `T`.
trait Link: Send + Sync {
    /// Keeps the started task; `false` if the Rust future is gone (the task is then cancelled).
    fn started(&self, task: &Bound<'_, PyAny>) -> bool;
    fn abandoned(&self) -> bool;
    fn finish(&self, py: Python<'_>, outcome: PyResult<Bound<'_, PyAny>>);
    /// An error without converting it (no interpreter needed): the loop went away.
    fn fail(&self, err: PyErr);
}

impl<T> Shared<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn deliver(&self, result: PyResult<T>) {
        let (waker, unused) = {
            let mut state = self.lock();
            if state.finished || state.abandoned {
                (None, Some(result))
            } else {
                state.finished = true;
                state.result = Some(result);
                (state.waker.take(), None)
            }
        };
        // Dropped and woken outside the lock: a finalizer or a waker may run anything.
        drop(unused);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T: Send> Link for Shared<T> {
    fn started(&self, task: &Bound<'_, PyAny>) -> bool {
        let mut state = self.lock();
        if state.abandoned {
            return false;
        }
        if !state.finished {
            state.task = Some(task.clone().unbind());
        }
        true
    }

    fn abandoned(&self) -> bool {
        self.lock().abandoned
    }

    fn finish(&self, py: Python<'_>, outcome: PyResult<Bound<'_, PyAny>>) {
        // Released here, attached, rather than by whichever thread drops the future last.
        let (task, event_loop) = {
            let mut state = self.lock();
            (state.task.take(), state.event_loop.take())
        };
        drop((task, event_loop));
        self.deliver((self.convert)(py, self.site, self.target, outcome));
    }

    fn fail(&self, err: PyErr) {
        self.deliver(Err(err));
    }
}

impl<T> Future for PythonFuture<T> {
    type Output = PyResult<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<PyResult<T>> {
        let mut state = self.shared.lock();
        if let Some(result) = state.result.take() {
            return Poll::Ready(result);
        }
        if state.finished {
            return Poll::Ready(Err(PyRuntimeError::new_err(
                "a pycall PythonFuture was polled after it completed",
            )));
        }
        // SAFETY: only reads the calling thread's state.
        if unsafe { pyo3::ffi::PyGILState_Check() } == 1 {
            // Waiting here while attached would stop the event loop's thread from running the
            // task: a deadlock, reported instead. (The task is cancelled when this is dropped.)
            return Poll::Ready(Err(PyRuntimeError::new_err(
                "a Python awaitable was awaited by a thread attached to the interpreter, so the \
                 event loop could not run it: await it outside `Python::attach`, or inside \
                 `py.detach(|| …)`",
            )));
        }
        if ON_PYCALL_LOOP.get()
            || self
                .shared
                .loop_thread
                .is_some_and(|id| id == std::thread::current().id())
        {
            // Waiting on the loop's own thread would block the loop that runs the task.
            return Poll::Ready(Err(PyRuntimeError::new_err(
                "a Python awaitable was awaited from Rust on the thread of the event loop \
                 that runs it, which blocks the loop: let asyncio await it \
                 (`pycall::awaitable` makes a Rust future awaitable), or await it on another \
                 thread",
            )));
        }
        match &state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => state.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl<T> Drop for PythonFuture<T> {
    fn drop(&mut self) {
        let (task, event_loop) = {
            let mut state = self.shared.lock();
            if state.finished {
                return;
            }
            state.abandoned = true;
            (state.task.take(), state.event_loop.take())
        };
        let Some(task) = task else {
            // Not started yet: the loop sees `abandoned` and closes the awaitable instead.
            return;
        };
        // Cancelled from the loop's thread, as asyncio requires; best effort: if the
        // interpreter is gone, so is the task.
        Python::try_attach(|py| {
            if let Some(event_loop) = event_loop {
                let cancelled = (|| {
                    let event_loop = event_loop.bind(py);
                    if event_loop
                        .call_method0(checked_str(py, "is_closed")?)?
                        .is_truthy()?
                    {
                        return Ok(());
                    }
                    let cancel = task.bind(py).getattr(checked_str(py, "cancel")?)?;
                    let name = checked_str(py, "call_soon_threadsafe")?;
                    event_loop.call_method1(name, (cancel,)).map(drop)
                })();
                if let Err(err) = cancelled {
                    err.write_unraisable(py, Some(task.bind(py)));
                }
            }
            drop(task);
        });
    }
}

/// Starts the awaitable as a task, on the loop's thread (scheduled with `call_soon_threadsafe`).
#[pyclass(module = "pycall", frozen)]
struct Start {
    awaitable: Mutex<Option<Py<PyAny>>>,
    link: Arc<dyn Link>,
}

#[pymethods]
impl Start {
    fn __call__(&self, py: Python<'_>) {
        let Some(awaitable) = self
            .awaitable
            .lock_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        else {
            return;
        };
        let awaitable = awaitable.into_bound(py);
        if self.link.abandoned() {
            // Dropped before it started: a coroutine is closed, so that it does not warn
            // that it was never awaited.
            let is_coroutine = asyncio(py)
                .and_then(|asyncio| asyncio.call_method1("iscoroutine", (&awaitable,)))
                .and_then(|is| is.is_truthy());
            if let Ok(true) = is_coroutine {
                let _ = awaitable.call_method0("close");
            }
            drop(PyErr::take(py));
            return;
        }
        if let Err(err) = self.start(py, awaitable) {
            self.link.finish(py, Err(err));
        }
    }
}

impl Start {
    /// The task, with [`Done`] as its done callback; any failure is the future's outcome.
    fn start(&self, py: Python<'_>, awaitable: Bound<'_, PyAny>) -> PyResult<()> {
        let task = asyncio(py)?.call_method1(intern!(py, "ensure_future"), (awaitable,))?;
        // The link goes in once the callback is registered: a `Done` dropped before that
        // must not report the loop as closed.
        let done = Done {
            link: Mutex::new(None),
        };
        let added = (|| {
            let done = Bound::new(py, done)?;
            task.call_method1(intern!(py, "add_done_callback"), (&done,))?;
            Ok::<_, PyErr>(done)
        })();
        match added {
            Ok(done) => {
                *done
                    .get()
                    .link
                    .lock_py_attached(py)
                    .unwrap_or_else(PoisonError::into_inner) = Some(self.link.clone());
            }
            Err(err) => {
                let _ = task.call_method0("cancel");
                return Err(err);
            }
        }
        if !self.link.started(&task) {
            task.call_method0(intern!(py, "cancel"))?;
        }
        Ok(())
    }
}

impl Drop for Start {
    fn drop(&mut self) {
        let never_ran = self
            .awaitable
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        if never_ran {
            self.link.fail(PyRuntimeError::new_err(
                "the asyncio event loop closed before the awaitable started",
            ));
        }
    }
}

/// The task's done callback: hands the outcome over.
#[pyclass(module = "pycall", frozen)]
struct Done {
    link: Mutex<Option<Arc<dyn Link>>>,
}

#[pymethods]
impl Done {
    fn __call__(&self, task: &Bound<'_, PyAny>) {
        let py = task.py();
        let link = self
            .link
            .lock_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(link) = link {
            // A cancelled task's `result()` raises the `CancelledError`.
            let outcome = (|| task.call_method0(intern!(py, "result")))();
            link.finish(py, outcome);
        }
    }
}

impl Drop for Done {
    fn drop(&mut self) {
        if let Some(link) = self
            .link
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            link.fail(PyRuntimeError::new_err(
                "the asyncio event loop closed before the awaitable finished",
            ));
        }
    }
}

/// The `asyncio` module, imported once (as a `py!` `import` is).
fn asyncio(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static ASYNCIO: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    crate::__private::import_cached(py, &ASYNCIO, "asyncio", false)
}

/// Runs `awaitable` as a task on [`event_loop`] and returns the future of its outcome.
pub(crate) fn schedule<T: Send + 'static>(
    awaitable: &Bound<'_, PyAny>,
    site: Option<&'static Site>,
    target: Option<&'static str>,
    convert: Convert<T>,
) -> PyResult<PythonFuture<T>> {
    let py = awaitable.py();
    let (mut event_loop, mut running_here) = choose_loop(py)?;
    if let Some(own) = future_loop(awaitable)? {
        // An asyncio future or task belongs to its loop: its callbacks and `cancel` are that
        // loop's business, from that loop's thread.
        if !own.is(&event_loop) {
            event_loop = own;
            running_here = false;
        }
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            result: None,
            waker: None,
            task: None,
            event_loop: Some(event_loop.clone().unbind()),
            finished: false,
            abandoned: false,
        }),
        convert,
        site,
        target,
        loop_thread: running_here.then(|| std::thread::current().id()),
    });
    let start = Start {
        awaitable: Mutex::new(Some(awaitable.clone().unbind())),
        link: shared.clone(),
    };
    let start = Bound::new(py, start)?;
    event_loop.call_method1(intern!(py, "call_soon_threadsafe"), (start,))?;
    Ok(PythonFuture { shared })
}

/// The loop of an asyncio future or task (`None` for a coroutine or another awaitable).
fn future_loop<'py>(awaitable: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = awaitable.py();
    // SAFETY: a type check of a valid object.
    let coroutine = unsafe { pyo3::ffi::PyCoro_CheckExact(awaitable.as_ptr()) } != 0
        || awaitable.is_instance_of::<crate::__private::Coroutine>();
    if coroutine
        || !asyncio(py)?
            .call_method1(intern!(py, "isfuture"), (awaitable,))?
            .is_truthy()?
    {
        return Ok(None);
    }
    awaitable.call_method0(intern!(py, "get_loop")).map(Some)
}

fn any_outcome(
    py: Python<'_>,
    site: Option<&'static Site>,
    target: Option<&'static str>,
    outcome: PyResult<Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    match outcome {
        Ok(value) => Ok(value.unbind()),
        Err(err) => Err(match site {
            Some(site) => crate::__private::site::annotate(py, err, site, target),
            None => err,
        }),
    }
}

fn typed_outcome<T>(
    py: Python<'_>,
    site: Option<&'static Site>,
    target: Option<&'static str>,
    outcome: PyResult<Bound<'_, PyAny>>,
) -> PyResult<T>
where
    T: for<'py> pyo3::conversion::FromPyObjectOwned<'py>,
{
    let value = any_outcome(py, site, target, outcome)?.into_bound(py);
    match site {
        Some(site) => crate::__private::site::extract_at(py, site, target.unwrap_or("T"), &value),
        None => value.extract().map_err(Into::into),
    }
}

/// A Python awaitable (a coroutine, a task, a future, anything with `__await__`) as a Rust
/// future: the same as `py!(await …)` without the syntax.
///
/// The awaitable runs as a task on [`event_loop`]; the returned future can be awaited in any
/// executor, holds no interpreter lock while pending, and cancels the task if dropped first.
///
/// ```
/// use pycall::prelude::*;
///
/// let future = Python::attach(|py| -> PyResult<_> {
///     let coroutine = py.import("asyncio")?.call_method1("sleep", (0, 42))?;
///     pycall::into_future(&coroutine)
/// })
/// .unwrap();
/// let value = futures::executor::block_on(future).unwrap();
/// assert_eq!(Python::attach(|py| value.extract::<i64>(py)).unwrap(), 42);
/// ```
pub fn into_future(awaitable: &Bound<'_, PyAny>) -> PyResult<PythonFuture> {
    schedule(awaitable, None, None, any_outcome)
}

/// A Rust future as a Python awaitable (an asyncio future) that Python code, a `py!`
/// `async def` or any asyncio code, can `await`.
///
/// The future runs on pyo3-async-runtimes' tokio runtime (one it starts, or yours: see
/// `pycall::pyo3_async_runtimes::tokio::init_with_runtime`), and its output settles the asyncio
/// future on [`event_loop`] as it is where this is called: call it where (or for the loop
/// where) Python will await it. Cancelling the asyncio future drops the Rust future.
///
/// ```
/// use pycall::prelude::*;
///
/// let future = Python::attach(|py| -> PyResult<_> {
///     let rust = pycall::awaitable(py, async { Ok(6 * 7) })?;
///     py! {
///         async def relay(x) { return await x }
///         await relay(rust) as i64
///     }
/// })
/// .unwrap();
/// assert_eq!(futures::executor::block_on(future).unwrap(), 42);
/// ```
pub fn awaitable<'py, F, T>(py: Python<'py>, future: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let event_loop = event_loop(py)?;
    let future = OnLoop {
        event_loop: Arc::new(event_loop.clone().unbind()),
        future: Box::pin(future),
    };
    pyo3_async_runtimes::tokio::future_into_py_with_locals(
        py,
        pyo3_async_runtimes::TaskLocals::new(event_loop),
        future,
    )
}

thread_local! {
    /// While an [`awaitable`]'s Rust future is polled: the loop of the Python code awaiting it,
    /// where the Python awaitables it awaits in turn run.
    static AWAITED_ON: std::cell::RefCell<Option<Arc<Py<PyAny>>>> =
        const { std::cell::RefCell::new(None) };
}

/// A Rust future that Python awaits, polled with [`AWAITED_ON`] set to the awaiting loop.
struct OnLoop<F> {
    event_loop: Arc<Py<PyAny>>,
    future: Pin<Box<F>>,
}

impl<F: Future> Future for OnLoop<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let outer = AWAITED_ON.with(|current| current.replace(Some(this.event_loop.clone())));
        // Restored even if the poll panics (the runtime catches that and reports it).
        struct Restore(Option<Arc<Py<PyAny>>>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let outer = self.0.take();
                AWAITED_ON.with(|current| *current.borrow_mut() = outer);
            }
        }
        let _restore = Restore(outer);
        this.future.as_mut().poll(cx)
    }
}

/// The loop set with [`use_event_loop`], or pycall's own background one once started.
static CHOSEN: Mutex<Option<Py<PyAny>>> = Mutex::new(None);
/// The thread running pycall's background loop.
static BACKGROUND: Mutex<Option<std::thread::JoinHandle<()>>> = Mutex::new(None);

/// The asyncio event loop that `py!(await …)`, [`into_future`] and [`awaitable`] use from this
/// thread: the loop running on this thread if there is one (Python code calling Rust); else
/// the loop of the asyncio code awaiting the current Rust future, if it was started by
/// [`awaitable`]; else the one given to [`use_event_loop`]; else pycall's own, started on a
/// background thread (named `pycall-asyncio`) at first use and kept until the process ends.
///
/// ```
/// use pycall::prelude::*;
///
/// Python::attach(|py| {
///     let event_loop = pycall::event_loop(py).unwrap();
///     assert!(py!(event_loop.is_running() as bool).unwrap());
/// });
/// ```
pub fn event_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    choose_loop(py).map(|(event_loop, _)| event_loop)
}

/// [`event_loop`], and whether it is the loop running on the calling thread.
fn choose_loop(py: Python<'_>) -> PyResult<(Bound<'_, PyAny>, bool)> {
    static GET_RUNNING: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let get_running = GET_RUNNING.get_or_try_init(py, || {
        Ok::<_, PyErr>(asyncio(py)?.getattr("_get_running_loop")?.unbind())
    })?;
    let running = get_running.bind(py).call0()?;
    if !running.is_none() {
        return Ok((running, true));
    }
    Ok((elsewhere(py)?, false))
}

/// The loop when none runs on the calling thread.
fn elsewhere(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    if let Some(event_loop) = AWAITED_ON.with(|current| current.borrow().clone()) {
        return Ok(event_loop.bind(py).clone());
    }
    let mut chosen = CHOSEN
        .lock_py_attached(py)
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(event_loop) = chosen.as_ref() {
        return Ok(event_loop.bind(py).clone());
    }
    let event_loop = start_background(py)?;
    *chosen = Some(event_loop.clone().unbind());
    Ok(event_loop)
}

/// Makes `event_loop` the loop that [`event_loop`] gives when no loop runs on the calling
/// thread: one you run yourself (on the main thread, say, with `run_forever`). Awaitables
/// already started stay where they are; pycall's background loop, if it was started, keeps
/// running them.
///
/// ```
/// use pycall::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     let mine = py!(__import__("asyncio").new_event_loop())?;
///     pycall::use_event_loop(&mine)?;
///     assert!(pycall::event_loop(py)?.is(&mine));
///     // Awaits from Rust now wait for `mine` to run: `mine.run_forever()` on a thread of yours.
///     assert!(pycall::use_event_loop(&py!(None)?).is_err()); // not a loop
///     Ok(())
/// }).unwrap();
/// ```
pub fn use_event_loop(event_loop: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = event_loop.py();
    let abstract_loop = asyncio(py)?.getattr(intern!(py, "AbstractEventLoop"))?;
    if !event_loop.is_instance(&abstract_loop)? {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "pycall::use_event_loop needs an asyncio event loop, not {}",
            event_loop.get_type().qualname()?
        )));
    }
    let previous = CHOSEN
        .lock_py_attached(py)
        .unwrap_or_else(PoisonError::into_inner)
        .replace(event_loop.clone().unbind());
    drop(previous);
    Ok(())
}

/// A new event loop, run forever by a thread of its own; an `atexit` hook (which runs when the
/// interpreter is finalized, as in an extension module) stops it, cancels what is left and
/// joins the thread, so that no thread wakes into a finalized interpreter.
fn start_background(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    if EXITING.load(Ordering::SeqCst) {
        return Err(PyRuntimeError::new_err(
            "the interpreter is exiting: pycall's asyncio event loop has stopped",
        ));
    }
    let event_loop = asyncio(py)?.call_method0(intern!(py, "new_event_loop"))?;
    let for_exit = event_loop.clone().unbind();
    let stop = PyCFunction::new_closure(
        py,
        Some(c"pycall_stop_event_loop"),
        Some(c"Stops pycall's background asyncio event loop and joins its thread."),
        move |args, _kwargs| -> PyResult<()> {
            let py = args.py();
            stop_background(py, for_exit.bind(py))
        },
    )?;
    py.import("atexit")?.call_method1("register", (stop,))?;
    // The loop thread says when the loop runs (from a callback inside `run_forever`), so that
    // the loop given out is running.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let ready_tx = Mutex::new(Some(ready_tx));
    let ready = PyCFunction::new_closure(py, None, None, move |_args, _kwargs| {
        if let Some(tx) = ready_tx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = tx.send(());
        }
    })?;
    event_loop.call_method1(intern!(py, "call_soon"), (ready,))?;
    let for_thread = event_loop.clone().unbind();
    let thread = std::thread::Builder::new()
        .name("pycall-asyncio".into())
        .spawn(move || Python::attach(|py| run_background(py, for_thread.into_bound(py))))
        .map_err(|e| {
            PyRuntimeError::new_err(format!("pycall could not start its asyncio thread: {e}"))
        })?;
    *BACKGROUND
        .lock_py_attached(py)
        .unwrap_or_else(PoisonError::into_inner) = Some(thread);
    // Waited for detached: the thread needs the interpreter to start the loop. (An error
    // means the thread ended first; its failure was reported there.)
    let _ = py.detach(move || ready_rx.recv());
    Ok(event_loop)
}

thread_local! {
    /// Whether this thread runs pycall's background loop (where waiting would block it).
    static ON_PYCALL_LOOP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Set when the `atexit` hook stops pycall's loop: no new loop is started after that.
static EXITING: AtomicBool = AtomicBool::new(false);

fn stop_background(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<()> {
    EXITING.store(true, Ordering::SeqCst);
    if event_loop.call_method0("is_closed")?.is_truthy()? {
        return Ok(());
    }
    let stop = event_loop.getattr("stop")?;
    event_loop.call_method1("call_soon_threadsafe", (stop,))?;
    let thread = BACKGROUND
        .lock_py_attached(py)
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(thread) = thread {
        py.detach(|| thread.join()).ok();
    }
    Ok(())
}

/// The background thread: runs the loop until stopped, then lets the tasks left (and any
/// started meanwhile) see a `CancelledError`, a second in all at most, closes async generators
/// and the loop.
fn run_background(py: Python<'_>, event_loop: Bound<'_, PyAny>) {
    ON_PYCALL_LOOP.set(true);
    let ran = (|| -> PyResult<()> {
        asyncio(py)?.call_method1("set_event_loop", (&event_loop,))?;
        event_loop.call_method0("run_forever").map(drop)
    })();
    if let Err(err) = ran {
        err.write_unraisable(py, Some(&event_loop));
    }
    let finished = (|| -> PyResult<()> {
        let asyncio = asyncio(py)?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        loop {
            let tasks = asyncio.call_method1("all_tasks", (&event_loop,))?;
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if tasks.len()? == 0 || left.is_zero() {
                break;
            }
            for task in tasks.try_iter()? {
                task?.call_method0("cancel")?;
            }
            let kwargs = pyo3::types::PyDict::new(py);
            kwargs.set_item("timeout", left.as_secs_f64())?;
            let wait = asyncio.call_method("wait", (tasks,), Some(&kwargs))?;
            event_loop.call_method1("run_until_complete", (wait,))?;
        }
        let shutdown = event_loop.call_method0("shutdown_asyncgens")?;
        event_loop.call_method1("run_until_complete", (shutdown,))?;
        Ok(())
    })();
    if let Err(err) = finished {
        err.write_unraisable(py, Some(&event_loop));
    }
    let _ = event_loop.call_method0("close");
    drop(PyErr::take(py));
    // Unless the interpreter is exiting, the next use starts a new loop (this one stopped on
    // an exception escaping a callback, `SystemExit` say); while exiting, the closed loop
    // stays chosen, so later awaits fail at once ('Event loop is closed').
    if !EXITING.load(Ordering::SeqCst) {
        let mut chosen = CHOSEN
            .lock_py_attached(py)
            .unwrap_or_else(PoisonError::into_inner);
        if chosen.as_ref().is_some_and(|l| l.is(&event_loop)) {
            *chosen = None;
        }
    }
}

/// `py!(await EXPR)`: evaluates `EXPR` now, then awaits it as a task.
#[doc(hidden)]
pub fn evaluate_await<'py, F>(
    py: Python<'py>,
    site: &'static Site,
    body: F,
) -> PyResult<PythonFuture>
where
    F: FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>>,
{
    let awaitable = crate::__private::site::run(py, site, None, body)?;
    schedule(&awaitable, Some(site), None, any_outcome)
        .map_err(|e| crate::__private::site::annotate(py, e, site, None))
}

/// `py!(await EXPR as T)`: as [`evaluate_await`], the result extracted into `T`.
#[doc(hidden)]
pub fn evaluate_await_as<'py, T, F>(
    py: Python<'py>,
    site: &'static Site,
    target: &'static str,
    body: F,
) -> PyResult<PythonFuture<T>>
where
    T: for<'a> pyo3::conversion::FromPyObjectOwned<'a> + Send + 'static,
    F: FnOnce(Python<'py>) -> PyResult<Bound<'py, PyAny>>,
{
    let awaitable = crate::__private::site::run(py, site, Some(target), body)?;
    schedule(&awaitable, Some(site), Some(target), typed_outcome::<T>)
        .map_err(|e| crate::__private::site::annotate(py, e, site, Some(target)))
}
