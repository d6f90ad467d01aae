//! Helpers for the run-time support's unit tests: an attached interpreter, and Python code run
//! beside the Rust under test for comparison.

use std::ffi::CString;

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Runs `test` attached to the interpreter (set up as `py!` would), failing with the Python
/// traceback of any error.
pub(crate) fn with_python(test: impl for<'py> FnOnce(Python<'py>) -> PyResult<()>) {
    Python::attach(|py| {
        if let Err(e) = crate::environment(py) {
            panic!("environment: {e}");
        }
        if let Err(e) = test(py) {
            panic!("{}", describe(py, &e));
        }
        assert!(PyErr::take(py).is_none(), "a Python error was left set");
    })
}

/// An exception with its traceback and notes, as Python prints it.
pub(crate) fn describe(py: Python<'_>, err: &PyErr) -> String {
    let text = || -> PyResult<String> {
        let value = err.value(py);
        let lines: Vec<String> = py
            .import("traceback")?
            .call_method1(
                "format_exception",
                (value.get_type(), value, err.traceback(py)),
            )?
            .extract()?;
        Ok(lines.concat())
    };
    text().unwrap_or_else(|_| err.to_string())
}

/// Runs Python statements with `globals` as their module namespace (the reference behaviour
/// that tests compare pycall's with; never used outside tests).
pub(crate) fn run(py: Python<'_>, globals: &Bound<'_, PyDict>, code: &str) -> PyResult<()> {
    let code = CString::new(code).expect("test code without NUL");
    py.run(&code, Some(globals), None)
}

/// A namespace for [`run`] holding the given values.
pub(crate) fn namespace<'py>(
    py: Python<'py>,
    items: &[(&str, &Bound<'py, PyAny>)],
) -> PyResult<Bound<'py, PyDict>> {
    let globals = PyDict::new(py);
    for (name, value) in items {
        globals.set_item(*name, *value)?;
    }
    Ok(globals)
}
