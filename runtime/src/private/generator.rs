//! Generator expressions: the Python iterator that runs their loops step by step.

use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::prelude::*;

use super::loops::tick;

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
#[pyclass(name = "generator")]
struct Generator {
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
    let generator = Bound::new(py, generator)?.into_any();
    static NAMED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    super::function::plain_type_name::<Generator>(py, c"generator", &NAMED);
    Ok(generator)
}
