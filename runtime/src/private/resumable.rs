//! Generators: a `def` whose body has `yield` runs that body as a Rust `async` block, which
//! the generator object polls by hand. Each `yield` is an `.await` on [`suspend`]: the first
//! poll of it hands the yielded value to the driver and returns `Pending`, so the body stops
//! there with its state kept in the future; the next `send`, `throw` or `close` puts what the
//! body resumes with (a value, or an exception to raise at the `yield`) in the same channel
//! and polls again.
//!
//! The body's variables are Python cells in the generator's frame (a list the generator owns
//! and shows to the garbage collector), so a cycle through a suspended generator's variables is
//! collected; the future only borrows them.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use pyo3::exceptions::{
    PyGeneratorExit, PyRuntimeError, PyStopIteration, PyTypeError, PyValueError,
};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use super::exceptions::internal_error;
use super::function::LambdaSpec;

/// What a suspended body is resumed with: a value (`send`), or an exception raised at the
/// `yield` (`throw`, `close`).
type Resume = PyResult<Py<PyAny>>;

/// The channel between a body and its driver. It lives in the body's [`Frame`], at an
/// address that does not change; the body reaches it through a [`Co`]. The values are owned
/// references kept as raw pointers (null for none): handing one over is a pointer store.
struct Channel {
    /// What the body yielded at its last suspension.
    out: Cell<*mut ffi::PyObject>,
    /// The last suspension was an async generator's `yield` (not an `await` inside it).
    produced: Cell<bool>,
    /// The value the driver resumes the body with.
    input: Cell<*mut ffi::PyObject>,
    /// Or the exception it raises where the body is suspended.
    error: Cell<Option<PyErr>>,
}

impl Default for Channel {
    fn default() -> Self {
        Channel {
            out: Cell::new(std::ptr::null_mut()),
            produced: Cell::new(false),
            input: Cell::new(std::ptr::null_mut()),
            error: Cell::new(None),
        }
    }
}

impl Channel {
    /// The body suspends with `value`.
    fn put_out(&self, value: Py<PyAny>, produced: bool) {
        release(self.out.replace(value.into_ptr()));
        self.produced.set(produced);
    }

    /// What the body suspended with, and whether an async generator's `yield` produced it.
    fn take_out<'py>(&self, py: Python<'py>) -> Option<(Bound<'py, PyAny>, bool)> {
        let value = self.out.replace(std::ptr::null_mut());
        // SAFETY: a non-null pointer here is an owned reference (`put_out`).
        let value = unsafe { Bound::from_owned_ptr_or_opt(py, value) }?;
        Some((value, self.produced.get()))
    }

    /// The driver resumes the body with `input`.
    fn put_input(&self, input: Resume) {
        match input {
            Ok(value) => release(self.input.replace(value.into_ptr())),
            Err(err) => self.error.set(Some(err)),
        }
    }

    /// Drops what the body was resumed with and did not take (the first resumption, or an
    /// abandoned one); `error`: it was an exception.
    fn clear_input(&self, error: bool) {
        if error {
            drop(self.error.take());
        } else {
            release(self.input.replace(std::ptr::null_mut()));
        }
    }

    /// What the body is resumed with, if anything.
    fn take_input<'py>(&self, py: Python<'py>) -> Option<PyResult<Bound<'py, PyAny>>> {
        let value = self.input.replace(std::ptr::null_mut());
        // SAFETY: a non-null pointer here is an owned reference (`put_input`).
        if let Some(value) = unsafe { Bound::from_owned_ptr_or_opt(py, value) } {
            return Some(Ok(value));
        }
        self.error.take().map(Err)
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        release(self.out.replace(std::ptr::null_mut()));
        release(self.input.replace(std::ptr::null_mut()));
    }
}

/// Releases an owned reference kept as a raw pointer (null: nothing). The channel is only
/// touched attached (by the generator's driver, its body, or its deallocation).
fn release(object: *mut ffi::PyObject) {
    if !object.is_null() {
        // SAFETY: attached (see above); an owned reference, given up here.
        unsafe { ffi::Py_DECREF(object) }
    }
}

// SAFETY: the channel is only touched under the generator's lock (by `resume`, or by the body
// that `resume` polls), so by one thread at a time.
unsafe impl Sync for Channel {}

/// A body's handle on its generator's channel (and its token for the interpreter, which it
/// holds whenever the body runs).
#[derive(Clone, Copy)]
pub struct Co {
    channel: *const Channel,
}

// SAFETY: a `Co` is only used by the body it was made for, which only runs while its generator
// polls it, attached to the interpreter (on whichever thread that is), and the channel outlives
// the body (the generator drops the future first).
unsafe impl Send for Co {}
unsafe impl Sync for Co {}

impl Co {
    /// The interpreter token the body's code uses. `'static` because the body is a `'static`
    /// future; it is only polled while attached.
    #[inline(always)]
    pub fn py(self) -> Python<'static> {
        // SAFETY: the body runs only inside `Generator::resume`, attached.
        unsafe { Python::assume_attached() }
    }

    fn channel(&self) -> &Channel {
        // SAFETY: see the `Send` impl: the channel outlives every use of the `Co`.
        unsafe { &*self.channel }
    }
}

/// `yield value`: suspends the body with `value`; resolves to what it is resumed with.
#[inline]
pub fn suspend(co: Co, value: Bound<'_, PyAny>) -> Suspend {
    Suspend {
        co,
        value: Some(value.unbind()),
        produced: false,
    }
}

/// An async generator's `yield value`: suspends the body, marking the value as produced (the
/// result of the `__anext__()` being awaited), not passed on to the event loop.
#[inline]
pub fn suspend_yield(co: Co, value: Bound<'_, PyAny>) -> Suspend {
    Suspend {
        co,
        value: Some(value.unbind()),
        produced: true,
    }
}

/// The future of one `yield` (see [`suspend`]).
pub struct Suspend {
    co: Co,
    value: Option<Py<PyAny>>,
    produced: bool,
}

impl Future for Suspend {
    type Output = PyResult<Bound<'static, PyAny>>;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let channel = this.co.channel();
        if let Some(value) = this.value.take() {
            channel.put_out(value, this.produced);
            return Poll::Pending;
        }
        Poll::Ready(match channel.take_input(this.co.py()) {
            Some(resumed) => resumed,
            None => Err(internal_error()),
        })
    }
}

/// A body with what it borrows, in one allocation: its channel and its frame (the variables'
/// cells and the captured values, which the garbage collector is shown). The body is only
/// reached through its `UnsafeCell`, so that polling it never claims the other two, which it
/// borrows.
struct Frame<B, const N: usize, const M: usize> {
    /// Dropped first (fields drop in order): it borrows the others.
    body: std::cell::UnsafeCell<B>,
    values: [Py<PyAny>; N],
    slots: [Slot; M],
    channel: Channel,
}

/// A variable of a generator's (or coroutine's) body that no closure shares: a slot of its
/// frame, holding an owned reference or nothing (unbound). Only the body touches it while it
/// runs, and the garbage collector (through the generator) while it is suspended.
pub struct Slot(Cell<*mut ffi::PyObject>);

impl Slot {
    fn new(value: Option<Py<PyAny>>) -> Self {
        Slot(Cell::new(value.map_or(std::ptr::null_mut(), Py::into_ptr)))
    }

    /// The value, borrowed (none: unbound), for the garbage collector.
    fn peek(&self) -> Option<std::ptr::NonNull<ffi::PyObject>> {
        std::ptr::NonNull::new(self.0.get())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        release(self.0.replace(std::ptr::null_mut()));
    }
}

/// Reads a slot ([`Slot`]): unbound, an `UnboundLocalError` as for any local.
#[inline]
pub fn slot_get(slot: &Slot, name: &'static str) -> PyResult<Bound<'static, PyAny>> {
    let value = slot.0.get();
    if value.is_null() {
        return Err(super::cells::unbound(name));
    }
    // SAFETY: a body's slots are only read while the body runs, attached; a non-null pointer
    // is an owned reference the slot keeps, and the new reference is the caller's.
    Ok(unsafe { Bound::from_borrowed_ptr(Python::assume_attached(), value) })
}

/// Reads a slot that may be unbound.
#[inline]
pub fn slot_get_opt(slot: &Slot) -> Option<Bound<'static, PyAny>> {
    let value = slot.0.get();
    // SAFETY: as in `slot_get`.
    unsafe { Bound::from_borrowed_ptr_or_opt(Python::assume_attached(), value) }
}

/// Stores a new reference to `value` in a slot.
#[inline]
pub fn slot_set(slot: &Slot, value: &Bound<'_, PyAny>) {
    release(slot.0.replace(value.clone().into_ptr()));
}

/// Stores `value` in a slot, taking its reference.
#[inline]
pub fn slot_put(slot: &Slot, value: Bound<'_, PyAny>) {
    release(slot.0.replace(value.into_ptr()));
}

/// `del name` of a slot.
pub fn slot_delete(slot: &Slot, name: &'static str) -> PyResult<()> {
    let value = slot.0.replace(std::ptr::null_mut());
    if value.is_null() {
        return Err(super::cells::unbound(name));
    }
    release(value);
    Ok(())
}

/// Unbinds a slot (the name of an `except … as name` at the end of its block).
pub fn slot_clear(slot: &Slot) {
    release(slot.0.replace(std::ptr::null_mut()));
}

/// A [`Frame`] of any body and size.
trait BodyFrame {
    fn poll_body(&self, cx: &mut Context<'_>) -> Poll<PyResult<Bound<'static, PyAny>>>;
    fn channel(&self) -> &Channel;
    fn values(&self) -> &[Py<PyAny>];
    fn slots(&self) -> &[Slot];
}

impl<B, const N: usize, const M: usize> BodyFrame for Frame<B, N, M>
where
    B: Future<Output = PyResult<Bound<'static, PyAny>>>,
{
    fn poll_body(&self, cx: &mut Context<'_>) -> Poll<PyResult<Bound<'static, PyAny>>> {
        // SAFETY: the frame is pinned (it is only ever held as `Pin<Box<dyn BodyFrame>>`), so
        // the body never moves; only the owning generator polls it, under its lock, so this is
        // the only reference to the body while it lives.
        unsafe { Pin::new_unchecked(&mut *self.body.get()) }.poll(cx)
    }

    fn channel(&self) -> &Channel {
        &self.channel
    }

    fn values(&self) -> &[Py<PyAny>] {
        &self.values
    }

    fn slots(&self) -> &[Slot] {
        &self.slots
    }
}

/// The body and its frame, in one allocation from Python's object allocator (`PyMem_Malloc`,
/// as CPython allocates a generator's frame; cheaper than the system allocator for the small
/// blocks most frames are), or from Rust's when the frame is aligned more strictly than
/// `PyMem_Malloc` promises. Sendable: it holds `Bound`s, which are only touched while
/// attached, and the generator's lock keeps it to one thread at a time. It never moves (only
/// the pointer does), so the body's borrows of its own frame stay valid: it is pinned.
struct SendBody {
    frame: std::ptr::NonNull<dyn BodyFrame>,
    layout: std::alloc::Layout,
}
// SAFETY: see above; the body is polled and dropped only while attached, under the lock.
unsafe impl Send for SendBody {}

/// The alignment `PyMem_Malloc` gives on every platform CPython supports (its `ALIGNMENT`).
const PYMEM_ALIGN: usize = 8;

impl SendBody {
    /// Whether a frame of `layout` comes from `PyMem_Malloc` (else from Rust's allocator).
    fn from_pymem(layout: std::alloc::Layout) -> bool {
        layout.align() <= PYMEM_ALIGN
    }

    /// Room for a frame of `layout`: `None` when the allocator is exhausted (a `MemoryError`
    /// is then set when it was Python's).
    fn allocate(layout: std::alloc::Layout) -> Option<std::ptr::NonNull<u8>> {
        if Self::from_pymem(layout) {
            // SAFETY: attached (a frame is made, and freed, only while attached); the size
            // is not zero (a frame holds its channel).
            std::ptr::NonNull::new(unsafe { ffi::PyMem_Malloc(layout.size()) }.cast())
        } else {
            // SAFETY: the layout's size is not zero.
            std::ptr::NonNull::new(unsafe { std::alloc::alloc(layout) })
        }
    }

    fn frame(&self) -> &dyn BodyFrame {
        // SAFETY: the frame lives until `self` drops.
        unsafe { self.frame.as_ref() }
    }
}

impl Drop for SendBody {
    fn drop(&mut self) {
        // SAFETY: the frame was written in place at `allocate`'s block and is dropped once,
        // here; the block is freed by the allocator that gave it. Attached (see `allocate`).
        unsafe {
            std::ptr::drop_in_place(self.frame.as_ptr());
            let block = self.frame.as_ptr().cast::<u8>();
            if Self::from_pymem(self.layout) {
                ffi::PyMem_Free(block.cast());
            } else {
                std::alloc::dealloc(block, self.layout);
            }
        }
    }
}

/// What a generator holds while it lives.
struct State {
    /// The body and its frame, until it finishes.
    body: Option<SendBody>,
    /// Whether the body has run at all.
    started: bool,
}

thread_local! {
    /// How many bodies are being resumed on this thread, one inside another.
    static NESTED: Cell<u32> = const { Cell::new(0) };
}

/// Bodies resumed one inside another (an `await` or `yield from` of pycall's, a `next()` of a
/// generator inside a generator) that are resumed without looking at the recursion limit or
/// the stack (a few kilobytes each even unoptimized).
const UNCHECKED_LEVELS: u32 = 16;

/// Polls a body once. Bodies resumed inside bodies nest here, counted on this thread: past
/// Python's recursion limit (`sys.getrecursionlimit()`) the body ends with a `RecursionError`
/// (CPython's frame entry raises it for a generator resumed that deep), and beyond
/// [`UNCHECKED_LEVELS`] each level continues on a fresh stack segment when less than 256 KiB
/// are left. The count is of these levels alone: a call between two of them (a `next()`, a
/// `py!` function) counts against Python's own recursion counter, as in CPython, and is not
/// counted twice. A panic through the body is `Err` inside.
fn poll_nested(
    frame: &dyn BodyFrame,
) -> PyResult<std::thread::Result<Poll<PyResult<Bound<'static, PyAny>>>>> {
    let poll = || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            frame.poll_body(&mut Context::from_waker(std::task::Waker::noop()))
        }))
    };
    let depth = NESTED.get();
    let checked = depth >= UNCHECKED_LEVELS;
    // SAFETY: attached (a body is resumed only while attached).
    if checked && i64::from(depth) >= i64::from(unsafe { ffi::Py_GetRecursionLimit() }) {
        return Err(pyo3::exceptions::PyRecursionError::new_err(
            "maximum recursion depth exceeded",
        ));
    }
    NESTED.set(depth + 1);
    let polled = if checked {
        stacker::maybe_grow(256 * 1024, 2 * 1024 * 1024, poll)
    } else {
        poll()
    };
    NESTED.set(depth);
    Ok(polled)
}

/// How a resumption ended.
enum Outcome<'py> {
    /// The body yielded this value (a generator's `yield`, or an `await` passing on what
    /// the awaited object suspends with).
    Yielded(Bound<'py, PyAny>),
    /// An async generator's body yielded this value with `yield`.
    Produced(Bound<'py, PyAny>),
    /// The body returned this value (it is finished).
    Returned(Bound<'py, PyAny>),
    /// The body raised (it is finished).
    Raised(PyErr),
}

/// What a resumable body makes: a generator (`def` with `yield`) or a coroutine (`async def`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Generator,
    Coroutine,
    AsyncGenerator,
}

impl Kind {
    /// The word CPython's messages use.
    fn noun(self) -> &'static str {
        match self {
            Kind::Generator => "generator",
            Kind::Coroutine => "coroutine",
            Kind::AsyncGenerator => "async generator",
        }
    }
}

/// A lock that is only ever tried, never waited for: a generator's state serves one
/// resumption at a time, and another one (a re-entry, or another thread) is refused.
struct TryLock<T> {
    held: std::sync::atomic::AtomicBool,
    value: std::cell::UnsafeCell<T>,
}

// SAFETY: the value is only reached through a guard, which one thread at a time holds (the
// `held` flag, taken with acquire and released with release ordering), or through `&mut`.
unsafe impl<T: Send> Sync for TryLock<T> {}

impl<T> TryLock<T> {
    fn new(value: T) -> Self {
        TryLock {
            held: std::sync::atomic::AtomicBool::new(false),
            value: std::cell::UnsafeCell::new(value),
        }
    }

    #[inline]
    fn try_lock(&self) -> Option<TryGuard<'_, T>> {
        if self.held.swap(true, std::sync::atomic::Ordering::Acquire) {
            return None;
        }
        Some(TryGuard { lock: self })
    }

    fn is_held(&self) -> bool {
        self.held.load(std::sync::atomic::Ordering::Acquire)
    }

    fn get_mut(&mut self) -> &mut T {
        self.value.get_mut()
    }
}

struct TryGuard<'a, T> {
    lock: &'a TryLock<T>,
}

impl<T> std::ops::Deref for TryGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> std::ops::DerefMut for TryGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock, and is borrowed mutably.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for TryGuard<'_, T> {
    fn drop(&mut self) {
        self.lock
            .held
            .store(false, std::sync::atomic::Ordering::Release);
    }
}

/// What generators and coroutines share: the body, its frame and channel, and the protocol
/// that drives them (`send`, `throw`, `close`).
pub struct Core {
    spec: &'static LambdaSpec,
    kind: Kind,
    state: TryLock<State>,
}

impl Core {
    /// Runs the body until its next suspension or its end, resumed with `input`.
    fn resume<'py>(&self, py: Python<'py>, input: Resume) -> PyResult<Outcome<'py>> {
        self.resume_checked(py, input, false)
    }

    /// [`Self::resume`]; `refuse_unstarted`: a value other than `None` cannot start the body
    /// (`send`'s check, made under the same lock).
    fn resume_checked<'py>(
        &self,
        py: Python<'py>,
        input: Resume,
        refuse_unstarted: bool,
    ) -> PyResult<Outcome<'py>> {
        let Some(mut guard) = self.state.try_lock() else {
            return Err(PyValueError::new_err(format!(
                "{} already executing",
                self.kind.noun()
            )));
        };
        let state = &mut *guard;
        if refuse_unstarted && !state.started {
            if let Ok(value) = &input {
                if !value.is_none(py) {
                    return Err(PyTypeError::new_err(format!(
                        "can't send non-None value to a just-started {}",
                        self.kind.noun()
                    )));
                }
            }
        }
        state.started = true;
        let Some(body) = state.body.as_ref() else {
            return Ok(Outcome::Raised(self.exhausted()));
        };
        let frame = body.frame();
        let channel = frame.channel();
        let error = input.is_err();
        channel.put_input(input);
        let polled = match poll_nested(frame) {
            Ok(polled) => polled,
            Err(err) => {
                // Too deep to resume: the body ends with the `RecursionError`, as a CPython
                // frame that fails its entry check does.
                channel.clear_input(error);
                let body = state.body.take();
                drop(guard);
                drop(body);
                return Ok(Outcome::Raised(err));
            }
        };
        let polled = match polled {
            Ok(polled) => polled,
            Err(_) => {
                // A panic went through the body: it is finished, as after an exception.
                let body = state.body.take();
                drop(guard);
                drop(body);
                return Ok(Outcome::Raised(super::exceptions::panic_exception(
                    py,
                    "pycall: a panic went through a generator's body",
                )));
            }
        };
        channel.clear_input(error);
        match polled {
            Poll::Pending => match channel.take_out(py) {
                Some((value, true)) => Ok(Outcome::Produced(value)),
                Some((value, false)) => Ok(Outcome::Yielded(value)),
                // Suspended on something other than pycall's: not a body it made.
                None => {
                    let body = state.body.take();
                    drop(guard);
                    drop(body);
                    Err(internal_error())
                }
            },
            Poll::Ready(result) => {
                // Finished: the body's variables go now, outside the lock (their `__del__`
                // may touch this generator).
                let body = state.body.take();
                drop(guard);
                drop(body);
                match result {
                    Ok(value) => Ok(Outcome::Returned(value.unbind().into_bound(py))),
                    Err(err) => Ok(Outcome::Raised(self.stop_iteration_escaped(py, err))),
                }
            }
        }
    }

    /// Resuming a finished body: a generator's iteration is over; a coroutine cannot be
    /// awaited twice.
    fn exhausted(&self) -> PyErr {
        match self.kind {
            Kind::Generator => PyStopIteration::new_err(()),
            Kind::Coroutine => PyRuntimeError::new_err("cannot reuse already awaited coroutine"),
            Kind::AsyncGenerator => pyo3::exceptions::PyStopAsyncIteration::new_err(()),
        }
    }

    /// PEP 479: a `StopIteration` escaping the body becomes a `RuntimeError`.
    fn stop_iteration_escaped(&self, py: Python<'_>, err: PyErr) -> PyErr {
        if self.kind == Kind::AsyncGenerator
            && err.is_instance_of::<pyo3::exceptions::PyStopAsyncIteration>(py)
        {
            let wrapped = PyRuntimeError::new_err("async generator raised StopAsyncIteration");
            wrapped.set_cause(py, Some(err));
            return wrapped;
        }
        if err.is_instance_of::<PyStopIteration>(py) {
            let wrapped =
                PyRuntimeError::new_err(format!("{} raised StopIteration", self.kind.noun()));
            wrapped.set_cause(py, Some(err));
            return wrapped;
        }
        err
    }

    /// `close()` as a finalizer calls it: an error is reported as unraisable (for `object`).
    fn close_unraisable(&self, py: Python<'_>, object: Option<&Bound<'_, PyAny>>) {
        if let Err(err) = self.close(py) {
            err.write_unraisable(py, object);
        }
    }

    fn is_unstarted_or_finished(&self) -> (bool, bool) {
        match self.state.try_lock() {
            Some(state) => (!state.started, state.body.is_none()),
            None => (false, false),
        }
    }

    /// Ends the body without running it (a `close` or `throw` before it started).
    fn finish(&self) {
        let body = self
            .state
            .try_lock()
            .and_then(|mut state| state.body.take());
        drop(body);
    }

    /// `send`'s result: the value the body suspended with, or `StopIteration` with its return
    /// value.
    fn next_value<'py>(&self, py: Python<'py>, input: Resume) -> PyResult<Bound<'py, PyAny>> {
        match self.resume(py, input)? {
            Outcome::Yielded(value) | Outcome::Produced(value) => Ok(value),
            Outcome::Returned(value) => Err(stop_iteration(py, value)),
            Outcome::Raised(err) => Err(err),
        }
    }

    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        match self.resume_checked(py, Ok(value.unbind()), true)? {
            Outcome::Yielded(value) | Outcome::Produced(value) => Ok(value),
            Outcome::Returned(value) => Err(stop_iteration(py, value)),
            Outcome::Raised(err) => Err(err),
        }
    }

    fn throw<'py>(
        &self,
        py: Python<'py>,
        typ: &Bound<'py, PyAny>,
        val: Option<&Bound<'py, PyAny>>,
        tb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let err = thrown(py, typ, val, tb)?;
        let (unstarted, finished) = self.is_unstarted_or_finished();
        if finished && self.kind == Kind::Coroutine {
            let reused = self.exhausted();
            reused.set_cause(py, None);
            return Err(reused);
        }
        if unstarted || finished {
            // Raised where the body stands, which is before its first line or after its end.
            self.finish();
            return Err(err);
        }
        self.next_value(py, Err(err))
    }

    /// `close()`: raises `GeneratorExit` where the body is suspended.
    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (unstarted, finished) = self.is_unstarted_or_finished();
        if unstarted || finished {
            self.finish();
            return Ok(py.None().into_bound(py));
        }
        match self.resume(py, Err(PyGeneratorExit::new_err(())))? {
            Outcome::Yielded(_) | Outcome::Produced(_) => Err(PyRuntimeError::new_err(format!(
                "{} ignored GeneratorExit",
                self.kind.noun()
            ))),
            // From 3.13 `close()` returns what the body returned.
            Outcome::Returned(value) if cfg!(Py_3_13) => Ok(value),
            Outcome::Returned(_) => Ok(py.None().into_bound(py)),
            Outcome::Raised(err)
                if err.is_instance_of::<PyGeneratorExit>(py)
                    || err.is_instance_of::<PyStopIteration>(py)
                    || err.is_instance_of::<pyo3::exceptions::PyStopAsyncIteration>(py) =>
            {
                Ok(py.None().into_bound(py))
            }
            Outcome::Raised(err) => Err(err),
        }
    }

    fn running(&self) -> bool {
        self.state.is_held()
    }

    fn suspended(&self) -> bool {
        match self.state.try_lock() {
            Some(state) => state.started && state.body.is_some(),
            None => false,
        }
    }

    fn repr(&self, object: &Bound<'_, PyAny>) -> String {
        let type_name = match self.kind {
            Kind::AsyncGenerator => "async_generator",
            other => other.noun(),
        };
        format!(
            "<{} object {} at {:#x}>",
            type_name,
            self.spec.qualname,
            object.as_ptr() as usize
        )
    }

    fn traverse(&self, visit: &pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        // While it runs, the frame is in use; it is visited otherwise.
        if let Some(state) = self.state.try_lock() {
            if let Some(body) = &state.body {
                for value in body.frame().values() {
                    visit.call(value)?;
                }
                for slot in body.frame().slots() {
                    if let Some(value) = slot.peek() {
                        // SAFETY: a live object the slot holds a reference to, wrapped without
                        // a reference of its own (never dropped); the collector runs attached.
                        let value = std::mem::ManuallyDrop::new(unsafe {
                            Bound::from_owned_ptr(Python::assume_attached(), value.as_ptr())
                                .unbind()
                        });
                        visit.call(&*value)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn clear(&self) {
        let Some(mut state) = self.state.try_lock() else {
            return;
        };
        let body = state.body.take();
        drop(state);
        drop(body);
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        // The body first: it borrows the frame and the channel.
        let state = self.state.get_mut();
        drop(state.body.take());
    }
}

/// `StopIteration` carrying a return value (none for `None`, as CPython raises it).
fn stop_iteration(py: Python<'_>, value: Bound<'_, PyAny>) -> PyErr {
    if value.is_none() {
        return PyStopIteration::new_err(());
    }
    // A tuple value is wrapped, so that `StopIteration(*args)` does not spread it.
    match super::values::checked_tuple(py, [value]) {
        Ok(args) => PyErr::from_type(py.get_type::<PyStopIteration>(), args.unbind()),
        Err(err) => err,
    }
}

/// The exception `throw(typ, val, tb)` raises, as CPython builds it.
fn thrown<'py>(
    py: Python<'py>,
    typ: &Bound<'py, PyAny>,
    val: Option<&Bound<'py, PyAny>>,
    tb: Option<&Bound<'py, PyAny>>,
) -> PyResult<PyErr> {
    let val = val.filter(|v| !v.is_none());
    let tb = tb.filter(|t| !t.is_none());
    if let Some(tb) = tb {
        if !tb.is_instance_of::<pyo3::types::PyTraceback>() {
            return Err(PyTypeError::new_err(
                "throw() third argument must be a traceback object",
            ));
        }
    }
    let base = py.get_type::<pyo3::exceptions::PyBaseException>();
    let class = typ.cast::<pyo3::types::PyType>().ok();
    let value = if let Some(class) = class.filter(|c| c.is_subclass(&base).unwrap_or(false)) {
        match val {
            Some(v) if v.is_instance(class)? => v.clone(),
            Some(v) if v.is_instance_of::<PyTuple>() => class.call1(v.cast::<PyTuple>()?)?,
            Some(v) => class.call1((v,))?,
            None => class.call0()?,
        }
    } else if typ.is_instance(&base)? {
        if val.is_some() {
            return Err(PyTypeError::new_err(
                "instance exception may not have a separate value",
            ));
        }
        typ.clone()
    } else {
        return Err(PyTypeError::new_err(format!(
            "exceptions must be classes or instances deriving from BaseException, not {}",
            super::values::type_name(&typ)
        )));
    };
    if let Some(tb) = tb {
        value.setattr(crate::__private::intern!(py, "__traceback__"), tb)?;
    }
    Ok(PyErr::from_value(value))
}

// A generator made by a `py!` `def` with `yield`. (Not a `///` comment: PyO3 would make it
// the type's `__doc__`.)
#[pyclass(name = "generator", frozen, weakref)]
pub struct Generator {
    core: Core,
}

#[pymethods]
impl Generator {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.core.resume(py, Ok(py.None()))? {
            Outcome::Yielded(value) | Outcome::Produced(value) => Ok(Some(value)),
            Outcome::Returned(value) if value.is_none() => Ok(None),
            Outcome::Returned(value) => Err(stop_iteration(py, value)),
            // Finished before: iteration ends.
            Outcome::Raised(err) if err.is_instance_of::<PyStopIteration>(py) => Ok(None),
            Outcome::Raised(err) => Err(err),
        }
    }

    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.core.send(py, value)
    }

    #[pyo3(signature = (typ, val = None, tb = None))]
    fn throw<'py>(
        &self,
        py: Python<'py>,
        typ: &Bound<'py, PyAny>,
        val: Option<&Bound<'py, PyAny>>,
        tb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.core.throw(py, typ, val, tb)
    }

    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.core.close(py)
    }

    #[getter]
    fn gi_running(&self) -> bool {
        self.core.running()
    }

    #[getter]
    fn gi_suspended(&self) -> bool {
        self.core.suspended()
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        self.core.spec.name
    }

    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.core.spec.qualname
    }

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        slf.get().core.repr(slf.as_any())
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        self.core.traverse(&visit)
    }

    fn __clear__(&self) {
        self.core.clear();
    }
}

// A coroutine made by a `py!` `async def`: what `await`, `asyncio.run` and tasks drive.
#[pyclass(name = "coroutine", frozen, weakref)]
pub struct Coroutine {
    core: Core,
}

#[pymethods]
impl Coroutine {
    fn __await__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, PyAny>> {
        let py = slf.py();
        Ok(Bound::new(
            py,
            CoroutineWrapper {
                coroutine: slf.unbind(),
            },
        )?
        .into_any())
    }

    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.core.send(py, value)
    }

    #[pyo3(signature = (typ, val = None, tb = None))]
    fn throw<'py>(
        &self,
        py: Python<'py>,
        typ: &Bound<'py, PyAny>,
        val: Option<&Bound<'py, PyAny>>,
        tb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.core.throw(py, typ, val, tb)
    }

    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.core.close(py)
    }

    #[getter]
    fn cr_running(&self) -> bool {
        self.core.running()
    }

    #[getter]
    fn cr_suspended(&self) -> bool {
        self.core.suspended()
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        self.core.spec.name
    }

    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.core.spec.qualname
    }

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        slf.get().core.repr(slf.as_any())
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        self.core.traverse(&visit)
    }

    fn __clear__(&self) {
        self.core.clear();
    }
}

// The iterator a coroutine's `__await__` returns (CPython's `coroutine_wrapper`).
#[pyclass(name = "coroutine_wrapper", frozen)]
struct CoroutineWrapper {
    coroutine: Py<Coroutine>,
}

#[pymethods]
impl CoroutineWrapper {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.coroutine.get().core.next_value(py, Ok(py.None()))
    }

    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        self.coroutine.get().core.send(py, value)
    }

    #[pyo3(signature = (typ, val = None, tb = None))]
    fn throw<'py>(
        &self,
        py: Python<'py>,
        typ: &Bound<'py, PyAny>,
        val: Option<&Bound<'py, PyAny>>,
        tb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.coroutine.get().core.throw(py, typ, val, tb)
    }

    fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.coroutine.get().core.close(py)
    }
}

// An async generator made by a `py!` `async def` with `yield` (PEP 525).
#[pyclass(name = "async_generator", frozen, weakref)]
pub struct AsyncGenerator {
    core: Core,
    /// `sys.get_asyncgen_hooks()`'s `firstiter` has been called (at the first `__anext__`,
    /// `asend`, `athrow` or `aclose`), and the `finalizer` then set, kept for finalization.
    hooked: std::sync::OnceLock<Option<Py<PyAny>>>,
    /// An `__anext__()`/`asend()`/`athrow()` awaitable is running the body.
    running_async: std::sync::atomic::AtomicBool,
    /// `aclose()` ran (or the body finished): a finalizer is not needed any more.
    closed: std::sync::atomic::AtomicBool,
}

impl AsyncGenerator {
    /// The `firstiter` hook, once, before the first iteration.
    fn init_hooks(slf: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        if this.hooked.get().is_some() {
            return Ok(());
        }
        let hooks = py
            .import(crate::__private::intern!(py, "sys"))?
            .call_method0(crate::__private::intern!(py, "get_asyncgen_hooks"))?;
        let firstiter = hooks.get_item(0)?;
        let finalizer = hooks.get_item(1)?;
        let finalizer = (!finalizer.is_none()).then(|| finalizer.unbind());
        if this.hooked.set(finalizer).is_ok() && !firstiter.is_none() {
            firstiter.call1((slf,))?;
        }
        Ok(())
    }

    fn awaitable<'py>(slf: &Bound<'py, Self>, mode: AsyncMode) -> PyResult<Bound<'py, PyAny>> {
        Self::init_hooks(slf)?;
        let awaitable = AsyncGenAwaitable {
            generator: slf.clone().unbind(),
            state: Mutex::new(AwaitState::Init(Some(mode))),
        };
        Ok(Bound::new(slf.py(), awaitable)?.into_any())
    }
}

#[pymethods]
impl AsyncGenerator {
    fn __aiter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __anext__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::awaitable(slf, AsyncMode::Send(None))
    }

    fn asend<'py>(slf: &Bound<'py, Self>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        Self::awaitable(slf, AsyncMode::Send(Some(value.unbind())))
    }

    #[pyo3(signature = (typ, val = None, tb = None))]
    fn athrow<'py>(
        slf: &Bound<'py, Self>,
        typ: &Bound<'py, PyAny>,
        val: Option<&Bound<'py, PyAny>>,
        tb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let err = thrown(slf.py(), typ, val, tb)?;
        Self::awaitable(slf, AsyncMode::Throw(err))
    }

    fn aclose<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::awaitable(slf, AsyncMode::Close)
    }

    #[getter]
    fn ag_running(&self) -> bool {
        self.running_async
            .load(std::sync::atomic::Ordering::Acquire)
    }

    #[getter]
    fn __name__(&self) -> &'static str {
        self.core.spec.name
    }

    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.core.spec.qualname
    }

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        slf.get().core.repr(slf.as_any())
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        if let Some(Some(finalizer)) = self.hooked.get() {
            visit.call(finalizer)?;
        }
        self.core.traverse(&visit)
    }

    fn __clear__(&self) {
        self.core.clear();
    }
}

/// What an async generator's awaitable does on its first step.
enum AsyncMode {
    /// `__anext__()` (`None`) or `asend(value)`.
    Send(Option<Py<PyAny>>),
    /// `athrow(…)`: raise this at the `yield`.
    Throw(PyErr),
    /// `aclose()`: raise `GeneratorExit` at the `yield`; the body must not yield again.
    Close,
}

enum AwaitState {
    /// Not started; the mode is taken by the first step.
    Init(Option<AsyncMode>),
    /// Running the body (its `await`s pass through), closing it if `true`.
    Iter(bool),
    /// Done: awaiting it again is an error.
    Closed,
}

// The awaitable of `__anext__()`, `asend()`, `athrow()` and `aclose()` (CPython's
// `async_generator_asend` and `async_generator_athrow`).
#[pyclass(name = "async_generator_asend", frozen)]
struct AsyncGenAwaitable {
    generator: Py<AsyncGenerator>,
    state: Mutex<AwaitState>,
}

impl AsyncGenAwaitable {
    /// One step: resumes the body with `input` (`None`: by the mode, on the first step).
    fn step<'py>(&self, py: Python<'py>, input: Option<Resume>) -> PyResult<Bound<'py, PyAny>> {
        use std::sync::atomic::Ordering;
        let generator = self.generator.get();
        let core = &generator.core;
        let finish = |state: &mut AwaitState| {
            *state = AwaitState::Closed;
            generator.running_async.store(false, Ordering::Release);
        };
        let closing;
        let resume = {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            match &mut *state {
                AwaitState::Closed => {
                    return Err(PyRuntimeError::new_err(
                        "cannot reuse already awaited __anext__()/asend()",
                    ));
                }
                AwaitState::Iter(close) => {
                    closing = *close;
                    input.unwrap_or_else(|| Ok(py.None()))
                }
                AwaitState::Init(mode) => {
                    if generator.running_async.swap(true, Ordering::AcqRel) {
                        *state = AwaitState::Closed;
                        return Err(PyRuntimeError::new_err(
                            "anext(): asynchronous generator is already running",
                        ));
                    }
                    let mode = mode.take();
                    closing = matches!(mode, Some(AsyncMode::Close) | None);
                    *state = AwaitState::Iter(closing);
                    let (unstarted, finished) = core.is_unstarted_or_finished();
                    match mode {
                        // A value given to the first `send` replaces `asend`'s.
                        Some(AsyncMode::Send(value)) => match (input, value) {
                            (Some(resume), _) => resume,
                            (None, Some(value)) => Ok(value),
                            (None, None) => Ok(py.None()),
                        },
                        Some(AsyncMode::Throw(err)) => {
                            if unstarted || finished {
                                // Raised before the body ran, or after it ended.
                                core.finish();
                                finish(&mut state);
                                if finished {
                                    return Err(PyStopIteration::new_err(()));
                                }
                                return Err(err);
                            }
                            Err(err)
                        }
                        Some(AsyncMode::Close) | None => {
                            generator.closed.store(true, Ordering::Release);
                            if unstarted || finished {
                                core.finish();
                                finish(&mut state);
                                return Err(PyStopIteration::new_err(()));
                            }
                            Err(PyGeneratorExit::new_err(()))
                        }
                    }
                }
            }
        };
        let outcome = core.resume(py, resume);
        let done = || finish(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()));
        match outcome {
            // An `await` inside the body: what it suspends with goes to the event loop.
            Ok(Outcome::Yielded(value)) => Ok(value),
            Ok(Outcome::Produced(value)) => {
                done();
                if closing {
                    return Err(PyRuntimeError::new_err(
                        "async generator ignored GeneratorExit",
                    ));
                }
                Err(stop_iteration(py, value))
            }
            Ok(Outcome::Returned(_)) => {
                done();
                generator.closed.store(true, Ordering::Release);
                if closing {
                    return Err(PyStopIteration::new_err(()));
                }
                Err(pyo3::exceptions::PyStopAsyncIteration::new_err(()))
            }
            Ok(Outcome::Raised(err)) => {
                done();
                generator.closed.store(true, Ordering::Release);
                if closing
                    && (err.is_instance_of::<PyGeneratorExit>(py)
                        || err.is_instance_of::<pyo3::exceptions::PyStopAsyncIteration>(py))
                {
                    return Err(PyStopIteration::new_err(()));
                }
                Err(err)
            }
            Err(err) => {
                done();
                Err(err)
            }
        }
    }
}

#[pymethods]
impl AsyncGenAwaitable {
    fn __await__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.step(py, None)
    }

    fn send<'py>(&self, py: Python<'py>, value: Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let input = (!value.is_none()).then(|| Ok(value.unbind()));
        self.step(py, input)
    }

    #[pyo3(signature = (typ, val = None, tb = None))]
    fn throw<'py>(
        &self,
        py: Python<'py>,
        typ: &Bound<'py, PyAny>,
        val: Option<&Bound<'py, PyAny>>,
        tb: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let err = thrown(py, typ, val, tb)?;
        self.step(py, Some(Err(err)))
    }

    fn close(&self) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if matches!(*state, AwaitState::Iter(_)) {
            self.generator
                .get()
                .running_async
                .store(false, std::sync::atomic::Ordering::Release);
        }
        *state = AwaitState::Closed;
    }

    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        visit.call(&self.generator)
    }
}

/// A generator (for a `def` with `yield`) or a coroutine (for an `async def`): `frame` holds
/// its variables' cells and captured values; `make` builds the body from its channel and the
/// frame, which it borrows.
pub fn resumable<'py, F, B, const N: usize, const M: usize>(
    py: Python<'py>,
    spec: &'static LambdaSpec,
    kind: Kind,
    values: [Py<PyAny>; N],
    slots: [Option<Py<PyAny>>; M],
    make: F,
) -> PyResult<Bound<'py, PyAny>>
where
    F: FnOnce(Co, &'static [Py<PyAny>], &'static [Slot]) -> B,
    B: Future<Output = PyResult<Bound<'static, PyAny>>> + 'static,
{
    // `await f(…)` of this coroutine function: the body runs in the awaiting one, without a
    // coroutine object ([`call_awaited`]).
    let request = CLAIMED.get();
    // SAFETY: a non-null claim is a request living on `call_awaited`'s stack while it calls.
    let direct = kind == Kind::Coroutine
        && !request.is_null()
        && std::ptr::eq(unsafe { (*request).spec }, spec);
    let layout = std::alloc::Layout::new::<Frame<B, N, M>>();
    let Some(block) = SendBody::allocate(layout) else {
        return Err(PyErr::take(py).unwrap_or_else(|| pyo3::exceptions::PyMemoryError::new_err(())));
    };
    let frame = block.as_ptr().cast::<Frame<B, N, M>>();
    // SAFETY: `block` has room for a `Frame<B, N, M>`, aligned for it. Each field is written
    // once before the frame is used. The body borrows the channel and the values in the same
    // block, which never moves and is freed only after the body is dropped (the `body` field
    // drops first); the values are never changed while the body lives. So the `'static`
    // borrows are valid for as long as the body is.
    let body = unsafe {
        std::ptr::addr_of_mut!((*frame).channel).write(Channel::default());
        std::ptr::addr_of_mut!((*frame).values).write(values);
        std::ptr::addr_of_mut!((*frame).slots).write(slots.map(Slot::new));
        let co = Co {
            channel: std::ptr::addr_of!((*frame).channel),
        };
        let borrowed: &'static [Py<PyAny>] = &*std::ptr::addr_of!((*frame).values);
        let slots: &'static [Slot] = &*std::ptr::addr_of!((*frame).slots);
        let body = make(co, borrowed, slots);
        std::ptr::addr_of_mut!((*frame).body).write(std::cell::UnsafeCell::new(body));
        let frame: *mut dyn BodyFrame = frame;
        SendBody {
            frame: std::ptr::NonNull::new_unchecked(frame),
            layout,
        }
    };
    let core = Core {
        spec,
        kind,
        state: TryLock::new(State {
            body: Some(body),
            started: false,
        }),
    };
    if direct {
        CLAIMED.set(std::ptr::null());
        // SAFETY: as above.
        unsafe { (*request).taken.set(Some(core)) };
        return Ok(py.None().into_bound(py));
    }
    types_ready(py)?;
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        finalizes_as_cpython::<Generator>(py, c"generator", &GENERATOR_DEALLOC);
        iterates_directly(py);
        finalizes_as_cpython::<Coroutine>(py, c"coroutine", &COROUTINE_DEALLOC);
        finalizes_as_cpython::<AsyncGenerator>(py, c"async_generator", &ASYNC_GENERATOR_DEALLOC);
        static AWAITABLE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        super::function::plain_type_name::<AsyncGenAwaitable>(
            py,
            c"async_generator_asend",
            &AWAITABLE,
        );
        static NAMED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        super::function::plain_type_name::<CoroutineWrapper>(py, c"coroutine_wrapper", &NAMED);
    });
    Ok(match kind {
        Kind::Generator => Bound::new(py, Generator { core })?.into_any(),
        Kind::Coroutine => Bound::new(py, Coroutine { core })?.into_any(),
        Kind::AsyncGenerator => Bound::new(
            py,
            AsyncGenerator {
                core,
                hooked: std::sync::OnceLock::new(),
                running_async: std::sync::atomic::AtomicBool::new(false),
                closed: std::sync::atomic::AtomicBool::new(false),
            },
        )?
        .into_any(),
    })
}

static GENERATOR_DEALLOC: std::sync::OnceLock<Option<ffi::destructor>> = std::sync::OnceLock::new();

/// Gives the generator type a `tp_iternext` of its own ([`generator_iternext`]), in place of
/// PyO3's trampoline to `__next__`: `next()`, `for` loops and `sum()` resume the body
/// directly, as CPython's generators do.
fn iterates_directly(py: Python<'_>) {
    let type_object = <Generator as pyo3::PyTypeInfo>::type_object_raw(py);
    // SAFETY: attached; PyO3's type object for `Generator` lives as long as the interpreter
    // and is not subclassable; `generator_iternext` gives `__next__`'s results.
    unsafe {
        (*type_object).tp_iternext = Some(generator_iternext);
        ffi::PyType_Modified(type_object);
    }
}

/// Whether `object` is one of `py!`'s generators (not an async one).
#[inline]
pub(crate) fn is_generator(object: &Bound<'_, PyAny>) -> bool {
    object.get_type_ptr() == <Generator as pyo3::PyTypeInfo>::type_object_raw(object.py())
}

/// `next()` of one of `py!`'s generators ([`is_generator`]) for a `for` loop: the next value,
/// `None` at the end (a return value is dropped, as a loop drops it), or the exception.
pub(crate) fn generator_next<'py>(
    generator: &Bound<'py, PyAny>,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    let py = generator.py();
    // SAFETY: the caller checked the type with `is_generator`.
    let generator = unsafe { generator.cast_unchecked::<Generator>() };
    match generator.get().core.resume(py, Ok(py.None())) {
        Ok(Outcome::Yielded(value) | Outcome::Produced(value)) => Some(Ok(value)),
        Ok(Outcome::Returned(_)) => None,
        // Finished before.
        Ok(Outcome::Raised(err)) if err.is_instance_of::<PyStopIteration>(py) => None,
        Ok(Outcome::Raised(err)) | Err(err) => Some(Err(err)),
    }
}

/// Makes the types of generators, coroutines and async generators, through PyO3's fallible
/// path (`type_object_raw` would panic, and poison the `Once` in [`resumable`] for good);
/// pycall's setup calls this first, while memory can be had (see `prime_errors`).
pub(crate) fn types_ready(py: Python<'_>) -> PyResult<()> {
    use pyo3::impl_::pyclass::PyClassImpl;
    static TYPES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !TYPES.load(std::sync::atomic::Ordering::Acquire) {
        Generator::lazy_type_object().get_or_try_init(py)?;
        Coroutine::lazy_type_object().get_or_try_init(py)?;
        AsyncGenerator::lazy_type_object().get_or_try_init(py)?;
        AsyncGenAwaitable::lazy_type_object().get_or_try_init(py)?;
        CoroutineWrapper::lazy_type_object().get_or_try_init(py)?;
        TYPES.store(true, std::sync::atomic::Ordering::Release);
    }
    Ok(())
}

/// `tp_iternext` of pycall's generators: the next value, or NULL at the end (with
/// `StopIteration(value)` set for a return value other than `None`) or with the exception.
unsafe extern "C" fn generator_iternext(object: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: CPython calls this attached, with a live object of our generator type.
    let py = unsafe { Python::assume_attached() };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `object` is a `Generator` (this is its type's slot) and stays alive for the
        // call (the caller holds it).
        let generator = unsafe { Borrowed::from_ptr(py, object).cast_unchecked::<Generator>() };
        generator.get().core.resume(py, Ok(py.None()))
    }));
    let err = match result {
        Ok(Ok(Outcome::Yielded(value) | Outcome::Produced(value))) => return value.into_ptr(),
        Ok(Ok(Outcome::Returned(value))) if value.is_none() => return std::ptr::null_mut(),
        Ok(Ok(Outcome::Returned(value))) => stop_iteration(py, value),
        Ok(Ok(Outcome::Raised(err))) if err.is_instance_of::<PyStopIteration>(py) => {
            return std::ptr::null_mut();
        }
        Ok(Ok(Outcome::Raised(err)) | Err(err)) => err,
        Err(_) => super::exceptions::panic_exception(
            py,
            "pycall: a panic went through a generator's body",
        ),
    };
    super::exceptions::restore_from_c(py, err);
    std::ptr::null_mut()
}
static COROUTINE_DEALLOC: std::sync::OnceLock<Option<ffi::destructor>> = std::sync::OnceLock::new();
static ASYNC_GENERATOR_DEALLOC: std::sync::OnceLock<Option<ffi::destructor>> =
    std::sync::OnceLock::new();

/// Gives the type CPython's finalization: an unfinished generator or coroutine is closed when
/// it is deallocated, or when the garbage collector finds it in a cycle (`tp_finalize`, which
/// runs before the cycle is cleared), and an exception from that is reported as unraisable; a
/// coroutine never awaited warns.
fn finalizes_as_cpython<T: pyo3::PyTypeInfo>(
    py: Python<'_>,
    name: &'static std::ffi::CStr,
    original: &'static std::sync::OnceLock<Option<ffi::destructor>>,
) {
    static NAMED: [std::sync::atomic::AtomicBool; 3] = [
        std::sync::atomic::AtomicBool::new(false),
        std::sync::atomic::AtomicBool::new(false),
        std::sync::atomic::AtomicBool::new(false),
    ];
    let index = if name == c"generator" {
        0
    } else if name == c"coroutine" {
        1
    } else {
        2
    };
    let named = &NAMED[index];
    super::function::plain_type_name::<T>(py, name, named);
    let type_object = T::type_object_raw(py);
    // SAFETY: attached; PyO3's type object for `T` lives as long as the interpreter and is not
    // subclassable; its original `tp_dealloc` is kept and called by ours after the finalizer;
    // `PyType_Modified` drops cached lookups.
    unsafe {
        if (*type_object).tp_finalize.is_none() {
            original.set((*type_object).tp_dealloc).ok();
            (*type_object).tp_finalize = Some(finalize);
            (*type_object).tp_dealloc = Some(match index {
                0 => dealloc_generator,
                1 => dealloc_coroutine,
                _ => dealloc_async_generator,
            });
            ffi::PyType_Modified(type_object);
        }
    }
}

/// `tp_dealloc`: the finalizer first (as CPython's own types do), then PyO3's deallocation.
unsafe fn dealloc_with(
    object: *mut ffi::PyObject,
    original: &std::sync::OnceLock<Option<ffi::destructor>>,
) {
    // SAFETY: called by CPython with a dead object of the type (reference count 0), attached;
    // the finalizer may resurrect it, in which case it is not freed. It has nothing to do for
    // a body that finished, or one that never started (but a coroutine's, which warns).
    unsafe {
        let py = Python::assume_attached();
        let borrowed = Borrowed::from_ptr(py, object);
        let idle = core_of(&borrowed).is_some_and(|core| {
            let (unstarted, finished) = core.is_unstarted_or_finished();
            finished || (unstarted && core.kind != Kind::Coroutine)
        });
        if !idle && ffi::PyObject_CallFinalizerFromDealloc(object) < 0 {
            return;
        }
        if let Some(Some(dealloc)) = original.get() {
            dealloc(object);
        }
    }
}

unsafe extern "C" fn dealloc_generator(object: *mut ffi::PyObject) {
    // SAFETY: see `dealloc_with`.
    unsafe { dealloc_with(object, &GENERATOR_DEALLOC) }
}

unsafe extern "C" fn dealloc_coroutine(object: *mut ffi::PyObject) {
    // SAFETY: see `dealloc_with`.
    unsafe { dealloc_with(object, &COROUTINE_DEALLOC) }
}

unsafe extern "C" fn dealloc_async_generator(object: *mut ffi::PyObject) {
    // SAFETY: see `dealloc_with`.
    unsafe { dealloc_with(object, &ASYNC_GENERATOR_DEALLOC) }
}

/// The core of one of pycall's generators or coroutines (by exact type: they cannot be
/// subclassed), not of an async generator.
#[inline]
fn core_of<'a>(object: &'a Bound<'_, PyAny>) -> Option<&'a Core> {
    let py = object.py();
    let class = object.get_type_ptr();
    if class == <Generator as pyo3::PyTypeInfo>::type_object_raw(py) {
        // SAFETY: the object's type is `Generator`'s.
        Some(&unsafe { object.cast_unchecked::<Generator>() }.get().core)
    } else if class == <Coroutine as pyo3::PyTypeInfo>::type_object_raw(py) {
        // SAFETY: the object's type is `Coroutine`'s.
        Some(&unsafe { object.cast_unchecked::<Coroutine>() }.get().core)
    } else {
        None
    }
}

/// Whether `object` is one of pycall's coroutines.
#[inline]
fn is_coroutine(object: &Bound<'_, PyAny>) -> bool {
    object.get_type_ptr() == <Coroutine as pyo3::PyTypeInfo>::type_object_raw(object.py())
}

/// `tp_finalize`: closes a body that started and did not finish; warns for a coroutine that
/// never started.
unsafe extern "C" fn finalize(object: *mut ffi::PyObject) {
    // SAFETY: CPython calls this attached, with a live object of one of our types.
    let py = unsafe { Python::assume_attached() };
    let object = unsafe { Bound::from_borrowed_ptr(py, object) };
    let mut finalizer = None;
    // The exact type (ours are not subclassable), without `isinstance`'s walk.
    let class = object.get_type_ptr();
    let core = if class == <Generator as pyo3::PyTypeInfo>::type_object_raw(py) {
        // SAFETY: the object's type is `Generator`'s.
        &unsafe { object.cast_unchecked::<Generator>() }.get().core
    } else if class == <Coroutine as pyo3::PyTypeInfo>::type_object_raw(py) {
        // SAFETY: the object's type is `Coroutine`'s.
        &unsafe { object.cast_unchecked::<Coroutine>() }.get().core
    } else if let Ok(generator) = object.cast::<AsyncGenerator>() {
        let generator = generator.get();
        if !generator.closed.load(std::sync::atomic::Ordering::Acquire) {
            finalizer = generator
                .hooked
                .get()
                .and_then(|f| f.as_ref())
                .map(|f| f.bind(py).clone());
        }
        &generator.core
    } else {
        return;
    };
    let (unstarted, finished) = core.is_unstarted_or_finished();
    if finished {
        return;
    }
    // The exception being raised, if any, is kept across the close.
    let pending = PyErr::take(py);
    if unstarted {
        if core.kind == Kind::Coroutine {
            let message = format!("coroutine '{}' was never awaited", core.spec.qualname);
            if let Ok(message) = std::ffi::CString::new(message) {
                let warned = pyo3::PyErr::warn(
                    py,
                    &py.get_type::<pyo3::exceptions::PyRuntimeWarning>(),
                    &message,
                    1,
                );
                if let Err(err) = warned {
                    err.write_unraisable(py, Some(&object));
                }
            }
        }
    } else if let Some(finalizer) = finalizer {
        // The event loop's hook (`asyncio` schedules `aclose()`).
        if let Err(err) = finalizer.call1((&object,)) {
            err.write_unraisable(py, Some(&object));
        }
    } else {
        core.close_unraisable(py, Some(&object));
    }
    if let Some(pending) = pending {
        super::exceptions::restore_from_c(py, pending);
    }
}

/// `yield from iterable`: delegates to its iterator until it finishes, passing on what the
/// body is resumed with (`send` values, `throw`n exceptions; `close` closes it); its value is
/// the iterator's return value.
pub async fn yield_from(
    co: Co,
    iterable: Bound<'static, PyAny>,
) -> PyResult<Bound<'static, PyAny>> {
    // A coroutine is delegated to as it is, as in a generator `types.coroutine` marks (which
    // cannot mark pycall's): CPython refuses it in other generators.
    if is_coroutine(&iterable) || is_cpython_coroutine(&iterable)? {
        return delegate(co, iterable).await;
    }
    let iterator = iterable.try_iter()?.into_any();
    delegate(co, iterator).await
}

/// `await awaitable`: delegates to the awaitable's iterator (a coroutine itself, or what its
/// `__await__` returns) as `yield from` does; what it suspends with goes to whoever drives
/// this coroutine (the event loop).
pub async fn await_(co: Co, awaitable: Bound<'static, PyAny>) -> PyResult<Bound<'static, PyAny>> {
    let iterator = awaitable_iterator(awaitable)?;
    delegate(co, iterator).await
}

/// What [`call_awaited`] asks of the function it calls.
struct DirectRequest {
    /// The function object called: only its own call claims the request ([`enter_call`]).
    callee: *mut ffi::PyObject,
    /// Its spec: only its own body's coroutine is taken.
    spec: *const LambdaSpec,
    /// The coroutine [`resumable`] made for it, instead of its object.
    taken: Cell<Option<Core>>,
}

thread_local! {
    /// [`call_awaited`]'s request, until the function's entry claims it (none: null).
    static DIRECT: Cell<*const DirectRequest> = const { Cell::new(std::ptr::null()) };
    /// The request of the call whose arguments are being bound and whose body is starting:
    /// set by [`enter_call`] for the awaited function's own call only, and cleared for every
    /// call made meanwhile (by code that binding the arguments or making the body's cells can
    /// run: a key's `__eq__`, a `__del__`, a garbage collector callback), so that no other
    /// call of the same function takes it.
    static CLAIMED: Cell<*const DirectRequest> = const { Cell::new(std::ptr::null()) };
}

/// What [`enter_call`] replaced, put back when the call ends (when this drops, however the
/// call ends).
pub(crate) struct Entered(Option<*const DirectRequest>);

impl Drop for Entered {
    #[inline]
    fn drop(&mut self) {
        if let Some(enclosing) = self.0 {
            CLAIMED.set(enclosing);
        }
    }
}

/// At the entry of a call of one of pycall's functions (`callable`), before its arguments are
/// bound: claims [`call_awaited`]'s request when it is for this call, and hides an enclosing
/// call's claim from this one. Two thread-local reads when no `await f(…)` is under way.
#[inline]
pub(crate) fn enter_call(callable: *mut ffi::PyObject) -> Entered {
    let pending = DIRECT.get();
    let enclosing = CLAIMED.get();
    if pending.is_null() && enclosing.is_null() {
        return Entered(None);
    }
    DIRECT.set(std::ptr::null());
    // SAFETY: a non-null request lives on `call_awaited`'s stack while it calls (it puts the
    // previous pointer back before returning).
    let mine = if !pending.is_null() && unsafe { (*pending).callee } == callable {
        pending
    } else {
        std::ptr::null()
    };
    CLAIMED.set(mine);
    Entered(Some(enclosing))
}

/// What `await f(…)` awaits: the call's result, or, when `f` is an `async def` of a `py!`,
/// the coroutine itself, without its object.
pub enum Awaited {
    Object(Bound<'static, PyAny>),
    Direct(Core),
}

/// The call `f(…)` of `await f(…)` (as [`super::call`]). When `f` is an `async def` of a `py!`,
/// the coroutine it makes is not wrapped in a coroutine object: [`await_call`] runs its body
/// directly, as a Rust `.await` of an `async fn` does. Nothing else can see that object: it
/// would be awaited at once and then dropped.
#[inline]
pub fn call_awaited<const N: usize>(
    py: Python<'static>,
    args: [&Bound<'static, PyAny>; N],
    kwnames: Option<super::call::KwNames<'static>>,
) -> PyResult<Awaited> {
    let Some(spec) = (N > 0).then(|| super::function::spec_of(args[0])).flatten() else {
        return super::call::call(py, args, kwnames).map(Awaited::Object);
    };
    // Only this call's own coroutine is taken: the function's entry claims the request, and
    // any call made before its body makes the coroutine does not see the claim.
    let request = DirectRequest {
        callee: args[0].as_ptr(),
        spec,
        taken: Cell::new(None),
    };
    // An enclosing request (of a call whose function runs this one) is put back after.
    let enclosing = DIRECT.replace(&raw const request);
    let result = super::call::call(py, args, kwnames);
    DIRECT.set(enclosing);
    match request.taken.take() {
        Some(core) => {
            result?;
            Ok(Awaited::Direct(core))
        }
        None => result.map(Awaited::Object),
    }
}

/// `await f(…)`, given [`call_awaited`]'s result: [`await_`] of an object; a coroutine taken
/// without its object is driven here as `await_` drives one (what it suspends with goes to
/// whoever drives this coroutine, what that resumes it with comes back to it).
///
/// The loop is [`delegate`]'s, for a `Core` instead of an iterator; one loop over an enum of
/// the two measured 147 instructions more per `await`, so it is kept apart.
pub async fn await_call(co: Co, awaited: Awaited) -> PyResult<Bound<'static, PyAny>> {
    let mut driven = match awaited {
        Awaited::Object(object) => return await_(co, object).await,
        Awaited::Direct(core) => Driven {
            core,
            returned: false,
        },
    };
    let py = co.py();
    let mut input: Resume = Ok(py.None());
    loop {
        if let Err(err) = &input
            && err.is_instance_of::<PyGeneratorExit>(py)
        {
            // As `throw_into` does for a coroutine object: closed, then raised here.
            driven.core.close(py)?;
            return Err(input.unwrap_err());
        }
        match step_core(py, &driven.core, input)? {
            Step::Yielded(value) => input = suspend(co, value).await.map(Bound::unbind),
            Step::Returned(value) => {
                driven.returned = true;
                return Ok(value);
            }
        }
    }
}

/// A coroutine driven by [`await_call`]. Dropped while suspended (the awaiting body ended
/// another way, or was dropped itself), it is closed, as a coroutine object's finalizer closes
/// it: its `finally` blocks run, and an error is reported as unraisable.
struct Driven {
    core: Core,
    /// It returned (so there is nothing to close).
    returned: bool,
}

impl Drop for Driven {
    fn drop(&mut self) {
        if self.returned {
            return;
        }
        let (unstarted, finished) = self.core.is_unstarted_or_finished();
        if unstarted || finished {
            return;
        }
        // SAFETY: a body's frame, which holds this, is dropped only while attached.
        let py = unsafe { Python::assume_attached() };
        // The exception being raised, if any, is kept across the close.
        let pending = PyErr::take(py);
        self.core.close_unraisable(py, None);
        if let Some(pending) = pending {
            super::exceptions::restore_from_c(py, pending);
        }
    }
}

/// Resumes one of pycall's generators or coroutines with `input`, as `yield from` and `await`
/// resume what they delegate to.
fn step_core<'py>(py: Python<'py>, core: &Core, input: Resume) -> PyResult<Step<'py>> {
    match core.resume_checked(py, input, true)? {
        Outcome::Yielded(value) | Outcome::Produced(value) => Ok(Step::Yielded(value)),
        Outcome::Returned(value) => Ok(Step::Returned(value)),
        Outcome::Raised(err) if err.is_instance_of::<PyStopIteration>(py) => {
            Ok(Step::Returned(stop_value(py, &err)))
        }
        Outcome::Raised(err) => Err(err),
    }
}

/// CPython's `GET_AWAITABLE`: a coroutine (pycall's or CPython's, or a generator marked by
/// `types.coroutine`) is awaited itself; anything else through `type(x).__await__(x)`, which
/// must give an iterator that is not a coroutine.
fn awaitable_iterator(awaitable: Bound<'static, PyAny>) -> PyResult<Bound<'static, PyAny>> {
    let py = awaitable.py();
    if is_coroutine(&awaitable) || is_cpython_coroutine(&awaitable)? {
        return Ok(awaitable);
    }
    let class = awaitable.get_type();
    let Some(method) = optional_attr(class.as_any(), crate::__private::intern!(py, "__await__"))?
    else {
        return Err(PyTypeError::new_err(format!(
            "object {} can't be used in 'await' expression",
            super::values::class_name(&class)
        )));
    };
    let iterator = method.call1((&awaitable,))?;
    if is_coroutine(&iterator) || is_cpython_coroutine(&iterator)? {
        return Err(PyTypeError::new_err("__await__() returned a coroutine"));
    }
    // SAFETY: attached; a borrowed reference.
    if unsafe { ffi::PyIter_Check(iterator.as_ptr()) } == 0 {
        return Err(PyTypeError::new_err(format!(
            "__await__() returned non-iterator of type '{}'",
            super::values::type_name(&iterator)
        )));
    }
    Ok(iterator)
}

/// A CPython coroutine, or a generator `types.coroutine` made awaitable.
fn is_cpython_coroutine(object: &Bound<'_, PyAny>) -> PyResult<bool> {
    // SAFETY: attached; borrowed references.
    if unsafe { ffi::PyCoro_CheckExact(object.as_ptr()) } != 0 {
        return Ok(true);
    }
    if unsafe { ffi::PyGen_CheckExact(object.as_ptr()) } == 0 {
        return Ok(false);
    }
    const CO_ITERABLE_COROUTINE: i64 = 0x100;
    let py = object.py();
    let flags: i64 = object
        .getattr(crate::__private::intern!(py, "gi_code"))?
        .getattr(crate::__private::intern!(py, "co_flags"))?
        .extract()?;
    Ok(flags & CO_ITERABLE_COROUTINE != 0)
}

/// The loop of `yield from` and `await`: resumes `iterator` with what this body is resumed
/// with, and suspends with what it suspends with, until it finishes.
async fn delegate(co: Co, iterator: Bound<'static, PyAny>) -> PyResult<Bound<'static, PyAny>> {
    let py = co.py();
    let mut input: Resume = Ok(py.None());
    loop {
        let step = match input {
            Ok(value) => send(&iterator, value.into_bound(py)),
            Err(err) => throw_into(&iterator, err),
        };
        match step? {
            Step::Yielded(value) => {
                input = suspend(co, value).await.map(Bound::unbind);
            }
            Step::Returned(value) => return Ok(value),
        }
    }
}

enum Step<'py> {
    Yielded(Bound<'py, PyAny>),
    Returned(Bound<'py, PyAny>),
}

/// `iterator.send(value)` (`next(iterator)` for `None`), as `yield from` makes it.
fn send<'py>(iterator: &Bound<'py, PyAny>, value: Bound<'py, PyAny>) -> PyResult<Step<'py>> {
    let py = iterator.py();
    // pycall's own generators and coroutines are resumed directly.
    if let Some(core) = core_of(iterator) {
        return step_core(py, core, Ok(value.unbind()));
    }
    // SAFETY: attached; a borrowed reference.
    let iterates = unsafe { (*ffi::Py_TYPE(iterator.as_ptr())).tp_iternext.is_some() };
    if value.is_none() && iterates {
        // SAFETY: `iterator` came from `iter()`, so its type has `tp_iternext`, which returns
        // a new reference, or NULL at the end (with or without `StopIteration`, which carries
        // the return value that `PyIter_Next` would drop) or on error.
        let next = unsafe {
            match (*ffi::Py_TYPE(iterator.as_ptr())).tp_iternext {
                Some(iternext) => iternext(iterator.as_ptr()),
                None => std::ptr::null_mut(),
            }
        };
        if !next.is_null() {
            // SAFETY: non-null new reference.
            return Ok(Step::Yielded(unsafe { Bound::from_owned_ptr(py, next) }));
        }
        return match PyErr::take(py) {
            None => Ok(Step::Returned(py.None().into_bound(py))),
            Some(err) if err.is_instance_of::<PyStopIteration>(py) => {
                Ok(Step::Returned(stop_value(py, &err)))
            }
            Some(err) => Err(err),
        };
    }
    finished_by_stop(
        py,
        iterator.call_method1(crate::__private::intern!(py, "send"), (value,)),
    )
}

/// The value a `StopIteration` carries.
fn stop_value<'py>(py: Python<'py>, err: &PyErr) -> Bound<'py, PyAny> {
    static VALUE: super::values::Interned = super::values::Interned::new("value");
    VALUE
        .get(py)
        .and_then(|name| err.value(py).getattr(name))
        .unwrap_or_else(|_| py.None().into_bound(py))
}

fn finished_by_stop<'py>(
    py: Python<'py>,
    result: PyResult<Bound<'py, PyAny>>,
) -> PyResult<Step<'py>> {
    match result {
        Ok(value) => Ok(Step::Yielded(value)),
        Err(err) if err.is_instance_of::<PyStopIteration>(py) => {
            Ok(Step::Returned(stop_value(py, &err)))
        }
        Err(err) => Err(err),
    }
}

/// An exception thrown into a delegating generator, passed on as `yield from` does:
/// `GeneratorExit` closes the iterator (if it can be) and is raised here; anything else goes
/// to the iterator's `throw`, or is raised here if it has none.
fn throw_into<'py>(iterator: &Bound<'py, PyAny>, err: PyErr) -> PyResult<Step<'py>> {
    let py = iterator.py();
    if err.is_instance_of::<PyGeneratorExit>(py) {
        if let Some(close) = optional_attr(iterator, crate::__private::intern!(py, "close"))? {
            close.call0()?;
        }
        return Err(err);
    }
    match optional_attr(iterator, crate::__private::intern!(py, "throw"))? {
        Some(throw) => finished_by_stop(py, throw.call1((err.into_value(py),))),
        None => Err(err),
    }
}

/// An attribute, or `None` when it is missing (an `AttributeError`).
fn optional_attr<'py>(
    object: &Bound<'py, PyAny>,
    name: &Bound<'py, pyo3::types::PyString>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    match object.getattr(name) {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(object.py()) => {
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

/// `async for`: `type(iterable).__aiter__(iterable)`, which must give an object with
/// `__anext__`.
pub fn aiter<'py>(iterable: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = iterable.py();
    let class = iterable.get_type();
    let Some(method) = optional_attr(class.as_any(), crate::__private::intern!(py, "__aiter__"))?
    else {
        return Err(PyTypeError::new_err(format!(
            "'async for' requires an object with __aiter__ method, got {}",
            super::values::class_name(&class)
        )));
    };
    let iterator = method.call1((iterable,))?;
    let iterator_class = iterator.get_type();
    if optional_attr(
        iterator_class.as_any(),
        crate::__private::intern!(py, "__anext__"),
    )?
    .is_none()
    {
        return Err(PyTypeError::new_err(format!(
            "'async for' received an object from __aiter__ that does not implement __anext__: {}",
            super::values::class_name(&iterator_class)
        )));
    }
    Ok(iterator)
}

/// One turn of `async for`: awaits `type(iterator).__anext__(iterator)`; `None` when it
/// raises `StopAsyncIteration`.
pub async fn anext(
    co: Co,
    iterator: &Bound<'static, PyAny>,
) -> PyResult<Option<Bound<'static, PyAny>>> {
    let py = co.py();
    let method = iterator
        .get_type()
        .getattr(crate::__private::intern!(py, "__anext__"))?;
    let awaitable = method.call1((iterator,))?;
    let type_name = super::values::type_name(&awaitable).to_string();
    let awaitable = match awaitable_iterator(awaitable) {
        Ok(awaitable) => awaitable,
        Err(err) if err.is_instance_of::<PyTypeError>(py) => {
            let invalid = PyTypeError::new_err(format!(
                "'async for' received an invalid object from __anext__: {type_name}"
            ));
            invalid.set_cause(py, Some(err));
            return Err(invalid);
        }
        Err(err) => return Err(err),
    };
    match delegate(co, awaitable).await {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.is_instance_of::<pyo3::exceptions::PyStopAsyncIteration>(py) => Ok(None),
        Err(err) => Err(err),
    }
}

/// `async with manager`: the bound `__aexit__`, and the awaitable of `__aenter__()`.
pub fn aenter<'py>(
    manager: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let py = manager.py();
    let class = manager.get_type();
    let enter = optional_attr(class.as_any(), crate::__private::intern!(py, "__aenter__"))?;
    let exit = optional_attr(class.as_any(), crate::__private::intern!(py, "__aexit__"))?;
    let (Some(enter), Some(exit)) = (enter, exit) else {
        let has_enter =
            optional_attr(class.as_any(), crate::__private::intern!(py, "__aenter__"))?.is_some();
        return Err(super::control::protocol_error(
            &super::values::class_name(&class).to_string(),
            has_enter,
            true,
        ));
    };
    let exit = exit.call_method1(crate::__private::intern!(py, "__get__"), (manager, &class))?;
    let entered = enter.call1((manager,))?;
    Ok((exit, entered))
}

/// The end of an `async with` block: `await __aexit__(…)` with the error (which it may
/// suppress) or with `None`s.
pub async fn aexit(
    co: Co,
    exit: &Bound<'static, PyAny>,
    result: PyResult<super::control::Flow<'static>>,
) -> PyResult<super::control::Flow<'static>> {
    let py = co.py();
    match result {
        Ok(flow) => {
            let awaitable = exit.call1((py.None(), py.None(), py.None()))?;
            await_(co, awaitable).await?;
            Ok(flow)
        }
        Err(err) => {
            // As in CPython, `__aexit__` runs as a handler of the exception.
            let suppress = super::exceptions::handling_async(Some(&err), async {
                let traceback = err
                    .traceback(py)
                    .map(|t| t.into_any())
                    .unwrap_or_else(|| py.None().into_bound(py));
                let awaitable = exit.call1((err.get_type(py), err.value(py), traceback))?;
                await_(co, awaitable).await?.is_truthy()
            })
            .await?;
            if suppress {
                Ok(super::control::Flow::Normal)
            } else {
                Err(err)
            }
        }
    }
}
