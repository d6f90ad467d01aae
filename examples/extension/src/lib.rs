//! `pycall_example`, a Python extension module whose functions are written with `py!`.
//!
//! Inside an extension module the interpreter is the one that imported the module: pycall uses
//! it as it is, and leaves its `sys.path`, `sys.prefix` and `sys.executable` alone.

use pycall::prelude::*;
use pyo3::types::PyList;

/// A point in the plane: a Rust struct that Python code creates, reads and changes.
#[derive(pycall::Class)]
#[pycall(module = "pycall_example")]
struct Point {
    x: f64,
    y: f64,
}

#[pycall::methods]
impl Point {
    #[new]
    fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    /// The distance from the origin.
    fn norm(&self) -> f64 {
        self.x.hypot(self.y)
    }
}

/// The `n` longest words of `text`, longest first (ties keep their order).
#[pyfunction]
fn longest_words(py: Python<'_>, text: &str, n: usize) -> PyResult<Vec<String>> {
    py!(sorted(text.split(), key=len, reverse=True)[:n] as Vec<String>)
}

/// How often each word occurs in `text`, ignoring case and punctuation; the most frequent
/// first, then alphabetically.
#[pyfunction]
fn word_counts(py: Python<'_>, text: &str) -> PyResult<Vec<(String, u64)>> {
    py! {
        def normalize(word) {
            return word.strip(".,;:!?\"'()").lower()
        }
        counts = dict();
        for word in text.split() {
            w = normalize(word);
            if w { counts[w] = counts.get(w, 0) + 1 }
        }
        sorted(counts.items(), key=lambda item: (-item[1], item[0])) as Vec<(String, u64)>
    }
}

/// The centre of mass of `points` (a list of `Point`s), as a new `Point`.
#[pyfunction]
fn centroid(py: Python<'_>, points: Bound<'_, PyList>) -> PyResult<Point> {
    let (x, y) = py! {
        if not points { raise ValueError("centroid() of no points") }
        (sum(p.x for p in points) / len(points), sum(p.y for p in points) / len(points))
        as (f64, f64)
    }?;
    Ok(Point { x, y })
}

/// Moves every point of `points` by `(dx, dy)` in place: Python's changes to Rust objects.
#[pyfunction]
fn translate(py: Python<'_>, points: Bound<'_, PyList>, dx: f64, dy: f64) -> PyResult<()> {
    py! {
        for p in points {
            p.x += dx;
            p.y += dy
        }
    }?;
    Ok(())
}

/// `text` as an integer. A `ValueError` from Python's `int` reaches the caller with a note and a
/// traceback entry naming this `py!` and its line in this file.
#[pyfunction]
fn parse_int(py: Python<'_>, text: &str) -> PyResult<i64> {
    py!(int(text) as i64)
}

/// How pycall chose its environment here: `Hosted`, the importing interpreter's, unchanged.
#[pyfunction]
fn environment_source(py: Python<'_>) -> PyResult<String> {
    Ok(format!("{:?}", pycall::environment(py)?.source))
}

/// A Rust future as a Python awaitable: `await pycall_example.doubled_later(21)` in asyncio code
/// (the `asyncio` feature); the future runs on a tokio runtime.
#[pyfunction]
fn doubled_later(py: Python<'_>, x: i64) -> PyResult<Bound<'_, PyAny>> {
    pycall::awaitable(py, async move { Ok(2 * x) })
}

/// The Rust futures of [`keep_running`], kept (not awaited, not dropped) until the interpreter
/// exits.
static KEPT: std::sync::Mutex<Vec<pycall::PythonFuture>> = std::sync::Mutex::new(Vec::new());

/// Starts `coroutine` on pycall's own event loop (a background thread) through `py!(await …)`
/// and keeps its future: at the interpreter's exit pycall stops that loop, and the task still
/// running gets `CancelledError` (its `finally` runs) before the thread is joined.
#[pyfunction]
fn keep_running(py: Python<'_>, coroutine: Bound<'_, PyAny>) -> PyResult<()> {
    let future = py!(await coroutine)?;
    KEPT.lock().unwrap_or_else(|e| e.into_inner()).push(future);
    let _ = py;
    Ok(())
}

#[pymodule]
fn pycall_example(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Point>()?;
    m.add_function(wrap_pyfunction!(longest_words, m)?)?;
    m.add_function(wrap_pyfunction!(word_counts, m)?)?;
    m.add_function(wrap_pyfunction!(centroid, m)?)?;
    m.add_function(wrap_pyfunction!(translate, m)?)?;
    m.add_function(wrap_pyfunction!(parse_int, m)?)?;
    m.add_function(wrap_pyfunction!(environment_source, m)?)?;
    m.add_function(wrap_pyfunction!(doubled_later, m)?)?;
    m.add_function(wrap_pyfunction!(keep_running, m)?)?;
    Ok(())
}
