//! Pieces that sit beside `py!`: Rust closures as Python callables, and modules declared once
//! for a whole Rust module.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCFunction, PyDict, PyTuple};
use pyo3::{Borrowed, IntoPyObject};

/// Turns a Rust closure into a Python callable.
///
/// The closure takes its arguments as one tuple `A` (any `FromPyObject` tuple: `(i64,)`,
/// `(String, f64)`, `(Bound<PyAny>,)` …) and returns anything `IntoPyObject`; use
/// [`try_callback`] for a closure that can fail. Arguments that do not convert raise
/// `TypeError`; a Rust panic inside the closure is raised in Python as a `RuntimeError`
/// ("Rust callback panicked: …") that Python code can catch and that comes back to Rust as an
/// ordinary `PyErr`, never an abort.
///
/// ```
/// use pycall::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     let weight = 3;
///     let key = pycall::callback(py, move |(word,): (String,)| word.len() * weight)?;
///     let words = vec!["pear", "fig", "banana"];
///     let sorted: Vec<String> = py!(sorted(words, key=key) as Vec<String>)?;
///     assert_eq!(sorted, ["fig", "pear", "banana"]);
///
///     let boom = pycall::callback(py, |(n,): (i64,)| -> i64 { panic!("no {n}") })?;
///     let err = py!(boom(1)).unwrap_err();
///     assert_eq!(err.to_string(), "RuntimeError: Rust callback panicked: no 1");
///     Ok(())
/// })
/// .unwrap();
/// ```
pub fn callback<'py, A, R, F>(py: Python<'py>, f: F) -> PyResult<Bound<'py, PyAny>>
where
    A: for<'a> FromPyObjectOwned<'a>,
    F: Fn(A) -> R + Send + Sync + 'static,
    R: for<'a> IntoPyObject<'a>,
{
    try_callback(py, move |args: A| Ok(f(args)))
}

/// Like [`callback`], for a closure that returns a `PyResult`: an `Err` is raised in Python.
///
/// ```
/// use pycall::prelude::*;
/// use pycall::pyo3::exceptions::PyValueError;
///
/// Python::attach(|py| -> PyResult<()> {
///     let parse = pycall::try_callback(py, |(s,): (String,)| -> PyResult<i64> {
///         s.trim().parse().map_err(|_| PyValueError::new_err("not a number"))
///     })?;
///     assert_eq!(py!(parse(" 42 ") as i64)?, 42);
///     assert_eq!(py!(parse("x")).unwrap_err().get_type(py).name()?, "ValueError");
///     Ok(())
/// })
/// .unwrap();
/// ```
pub fn try_callback<'py, A, R, F>(py: Python<'py>, f: F) -> PyResult<Bound<'py, PyAny>>
where
    A: for<'a> FromPyObjectOwned<'a>,
    F: Fn(A) -> PyResult<R> + Send + Sync + 'static,
    R: for<'a> IntoPyObject<'a>,
{
    crate::__private::prime_errors(py)?;
    let function = PyCFunction::new_closure(
        py,
        Some(c"callback"),
        None,
        move |args: &Bound<'_, PyTuple>,
              kwargs: Option<&Bound<'_, PyDict>>|
              -> PyResult<Py<PyAny>> {
            if kwargs.is_some_and(|k| !k.is_empty()) {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "a pycall callback takes no keyword arguments",
                ));
            }
            let input: A = args.as_any().extract::<A>().map_err(|e| {
                let err: PyErr = e.into();
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "callback() arguments do not fit the Rust closure: {}",
                    err.value(args.py())
                ))
            })?;
            let output = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(input)))
                .map_err(|payload| {
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a non-string panic payload".to_owned());
                    pyo3::exceptions::PyRuntimeError::new_err(format!(
                        "Rust callback panicked: {message}"
                    ))
                })??;
            match output.into_pyobject(args.py()) {
                Ok(obj) => Ok(pyo3::BoundObject::into_bound(obj).into_any().unbind()),
                Err(e) => Err(e.into()),
            }
        },
    )?;
    Ok(function.into_any())
}

/// A Python module imported on first use and kept for the life of the process: the value
/// behind [`import!`](crate::import). As a Rust binding in `py!` it is the module object.
///
/// ```
/// use pycall::prelude::*;
///
/// static JSON: pycall::Module = pycall::Module::new("json");
///
/// Python::attach(|py| -> PyResult<()> {
///     let text: String = py!(JSON.dumps([1, 2]) as String)?;
///     assert_eq!(text, "[1, 2]");
///     assert_eq!(JSON.bind(py)?.name()?, "json");
///     Ok(())
/// })
/// .unwrap();
/// ```
pub struct Module {
    path: &'static str,
    bound: &'static str,
    cell: PyOnceLock<Py<PyModule>>,
}

impl Module {
    /// The module at `path` (`"os.path"`, `"numpy"`).
    pub const fn new(path: &'static str) -> Self {
        Module {
            path,
            bound: path,
            cell: PyOnceLock::new(),
        }
    }

    /// `import a.b.c` without `as`: imports `a.b.c`, and the name stands for the package `a`.
    ///
    /// ```
    /// use pycall::prelude::*;
    ///
    /// static OS: pycall::Module = pycall::Module::package_of("os.path");
    /// Python::attach(|py| {
    ///     let os = OS.bind(py).unwrap();
    ///     assert_eq!(os.name().unwrap(), "os");
    /// });
    /// ```
    pub const fn package_of(path: &'static str) -> Self {
        let bytes = path.as_bytes();
        let mut end = 0;
        while end < bytes.len() && bytes[end] != b'.' {
            end += 1;
        }
        let (top, _) = bytes.split_at(end);
        let bound = match std::str::from_utf8(top) {
            Ok(top) => top,
            Err(_) => path,
        };
        Module {
            path,
            bound,
            cell: PyOnceLock::new(),
        }
    }

    /// The module, imported on the first call.
    ///
    /// ```
    /// static MATH: pycall::Module = pycall::Module::new("math");
    /// pycall::pyo3::Python::attach(|py| {
    ///     use pycall::pyo3::prelude::*;
    ///     let pi: f64 = MATH.bind(py).unwrap().getattr("pi").unwrap().extract().unwrap();
    ///     assert_eq!(pi, std::f64::consts::PI);
    /// });
    /// ```
    pub fn bind<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyModule>> {
        self.cell
            .get_or_try_init(py, || -> PyResult<Py<PyModule>> {
                crate::environment::ensure(py)?;
                let module = py.import(self.path)?;
                if self.bound == self.path {
                    return Ok(module.unbind());
                }
                Ok(py.import(self.bound)?.unbind())
            })
            .map(|m| m.bind(py))
    }
}

impl<'a, 'py> IntoPyObject<'py> for &'a Module {
    type Target = PyModule;
    type Output = Borrowed<'a, 'py, PyModule>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Self::Output> {
        self.bind(py)?;
        match self.cell.get(py) {
            Some(module) => Ok(module.bind_borrowed(py)),
            None => Err(crate::__private::internal_error()),
        }
    }
}

/// Declares Python modules once for a whole Rust module: each becomes a `static`
/// [`Module`](crate::Module), imported on first use and cached, that `py!` sees as a Rust
/// binding of that name.
///
/// The forms follow Python's `import` statement: `import!(math)`, `import!(numpy as np)`,
/// `import!(os.path)` (binds `os`), `import!(os.path as osp)`, several separated by commas.
/// An optional visibility goes first: `import!(pub(crate) json)`.
///
/// ```
/// use pycall::prelude::*;
///
/// pycall::import!(math, statistics as stats, os.path as osp);
///
/// fn hypot(x: f64, y: f64) -> PyResult<f64> {
///     Python::attach(|py| py!(math.hypot(x, y) as f64))
/// }
///
/// assert_eq!(hypot(3.0, 4.0).unwrap(), 5.0);
/// Python::attach(|py| {
///     let mean: f64 = py!(stats.mean([1, 2, 6]) as f64).unwrap();
///     assert_eq!(mean, 3.0);
///     let base: String = py!(osp.basename("/a/b.txt") as String).unwrap();
///     assert_eq!(base, "b.txt");
/// });
/// ```
///
/// The same module can also be kept in a local, as in PyO3: `let math = py.import("math")?;`
/// then `py!(math.sqrt(x))`. The declaration saves the import in every function and caches it.
#[macro_export]
macro_rules! import {
    ($vis:vis $first:ident $(. $rest:ident)* as $alias:ident $(, $($more:tt)*)?) => {
        #[allow(non_upper_case_globals)]
        $vis static $alias: $crate::Module =
            $crate::Module::new(::core::concat!(::core::stringify!($first) $(, ".", ::core::stringify!($rest))*));
        $($crate::import!($vis $($more)*);)?
    };
    ($vis:vis $first:ident $(. $rest:ident)* $(, $($more:tt)*)?) => {
        #[allow(non_upper_case_globals)]
        $vis static $first: $crate::Module =
            $crate::Module::package_of(::core::concat!(::core::stringify!($first) $(, ".", ::core::stringify!($rest))*));
        $($crate::import!($vis $($more)*);)?
    };
    ($vis:vis) => {};
}
