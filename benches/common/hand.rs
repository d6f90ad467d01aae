//! The workloads written by hand with PyO3 0.30, as a careful user writes them in a library
//! function: builtins in a `PyOnceLock`, attribute names with `intern!`, `call1`/`call`
//! (vectorcall for Rust tuples) with a kwargs dict, PyO3's typed methods where a type is known,
//! Rust values iterated in Rust, a loop's constants made once per call. Each computes what the
//! `py!` of the same name computes, with the same Python semantics, and extracts the same Rust
//! type. Shared by `benches/instructions.rs` and `benches/versus_pyo3.rs` (which uses some),
//! and read by `scripts/compile_cost.py` (which copies the first six into a crate).

#![allow(dead_code)]

use pycall::prelude::*;
use pycall::pyo3::exceptions::PyKeyError;
use pycall::pyo3::intern;
use pycall::pyo3::sync::PyOnceLock;
use pycall::pyo3::types::{PyDict, PyFloat, PyList, PyString};

/// `math.sqrt(x) as f64`
pub fn math_sqrt(math: &Bound<'_, PyAny>, x: f64) -> PyResult<f64> {
    math.call_method1(intern!(math.py(), "sqrt"), (x,))?
        .extract()
}

/// `sorted(words, key=len, reverse=True)[0] as String`
pub fn sorted_key(py: Python<'_>, words: &[&str]) -> PyResult<String> {
    static SORTED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static LEN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let sorted = SORTED.import(py, "builtins", "sorted")?;
    let len = LEN.import(py, "builtins", "len")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item(intern!(py, "key"), len)?;
    kwargs.set_item(intern!(py, "reverse"), true)?;
    sorted
        .call((words,), Some(&kwargs))?
        .cast_into::<PyList>()?
        .get_item(0)?
        .extract()
}

/// `a * b + c ** 2 > d and e in f as bool`, `f` a Rust `Vec` (a new Python list each time,
/// as `py!` makes it).
pub fn arithmetic(
    py: Python<'_>,
    (a, b, c, d, e): (i64, i64, i64, i64, i64),
    f: &[i64],
) -> PyResult<bool> {
    let sum = a
        .into_pyobject(py)?
        .mul(b)?
        .add(c.into_pyobject(py)?.pow(2, py.None())?)?;
    Ok(sum.gt(d)? && PyList::new(py, f)?.contains(e)?)
}

/// `[i * i for i in range(n) if i % 3 == 0] as Vec<i64>`
pub fn comprehension(py: Python<'_>, n: i64) -> PyResult<Vec<i64>> {
    static RANGE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let range = RANGE.import(py, "builtins", "range")?;
    let (zero, three) = (0_i64.into_pyobject(py)?, 3_i64.into_pyobject(py)?);
    let squares = PyList::empty(py);
    for i in range.call1((n,))?.try_iter()? {
        let i = i?;
        if i.rem(&three)?.eq(&zero)? {
            squares.append(i.mul(&i)?)?;
        }
    }
    squares.extract()
}

/// `table["key"] + 1 as i64`
pub fn dict_item(table: &Bound<'_, PyDict>) -> PyResult<i64> {
    let key = intern!(table.py(), "key");
    table
        .get_item(key)?
        .ok_or_else(|| PyKeyError::new_err("key"))?
        .add(1)?
        .extract()
}

/// `words.index(w) as usize`. (`PyListMethods::index` would be slower: `PySequence_Index`
/// searches through a new iterator.)
pub fn list_index(words: &Bound<'_, PyAny>, w: &str) -> PyResult<usize> {
    words
        .call_method1(intern!(words.py(), "index"), (w,))?
        .extract()
}

/// `f "{name}: {value:.3f}" as String`: `name` is a Rust `&str` (its `str()` is itself), the
/// float formatted by Python's `format`, the pieces joined in Rust.
pub fn fstring(py: Python<'_>, name: &str, value: f64) -> PyResult<String> {
    static FORMAT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let format = FORMAT.import(py, "builtins", "format")?;
    let formatted = format.call1((value, intern!(py, ".3f")))?;
    Ok(format!(
        "{name}: {}",
        formatted.cast::<PyString>()?.to_str()?
    ))
}

/// `obj.method(1, key=2) as i64`
pub fn method_keyword(obj: &Bound<'_, PyAny>) -> PyResult<i64> {
    let py = obj.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item(intern!(py, "key"), 2)?;
    obj.call_method(intern!(py, "method"), (1,), Some(&kwargs))?
        .extract()
}

/// `total = 0.0; for v in values { total += math.sqrt(v) }; total as f64`, the Rust floats
/// iterated in Rust, the additions on Python floats.
pub fn block_loop(math: &Bound<'_, PyAny>, values: &[f64]) -> PyResult<f64> {
    let py = math.py();
    let sqrt = intern!(py, "sqrt");
    let mut total = PyFloat::new(py, 0.0).into_any();
    for &v in values {
        total = total.add(math.call_method1(sqrt, (v,))?)?;
    }
    total.extract()
}

/// `d.get("k", 0) + len(s) as i64`, `d` a dict (PyO3's typed `get_item`), `s` a Rust `&str`.
pub fn get_len(d: &Bound<'_, PyDict>, s: &str) -> PyResult<i64> {
    let py = d.py();
    let got = match d.get_item(intern!(py, "k"))? {
        Some(value) => value,
        None => 0_i64.into_pyobject(py)?.into_any(),
    };
    got.add(PyString::new(py, s).len()?)?.extract()
}
