#![doc = include_str!("../../README.md")]

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

mod embed;
pub use embed::{Module, callback, try_callback};

/// PyO3, re-exported so that generated code and users agree on one version.
///
/// ```
/// use pycall::pyo3::prelude::*;
/// pycall::pyo3::Python::attach(|py| {
///     let x: i64 = py.import("math")?.getattr("floor")?.call1((2.5,))?.extract()?;
///     assert_eq!(x, 2);
///     PyResult::Ok(())
/// }).unwrap();
/// ```
pub use pyo3;

/// Evaluates a Python expression, or runs a block of Python statements, written in Python
/// syntax and checked at compile time.
///
/// `py!(EXPR)` has type `PyResult<Bound<'py, PyAny>>`; `py!(EXPR as T)` extracts the value and
/// has type `PyResult<T>` for any `T: FromPyObject`. A `py: Python<'py>` token must be in scope.
///
/// Names: a name bound inside the macro (a lambda parameter, a comprehension target, a `:=`
/// target) or one of Python's builtins is Python's; any other name is the Rust binding of that
/// name, converted with `IntoPyObject` by reference. `$name` forces the Rust binding and
/// `$(expr)` takes any Rust expression.
///
/// ```
/// use pycall::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     let math = py.import("math")?;
///     let x = 2.0_f64;
///     let r: f64 = py!(math.sqrt(x) as f64)?;
///     assert_eq!(r, 2.0_f64.sqrt());
///
///     let words = vec!["pear", "fig", "banana"];
///     let longest: String = py!(sorted(words, key=len, reverse=True)[0] as String)?;
///     assert_eq!(longest, "banana");
///
///     let evens = py!([i * i for i in range(10) if i % 2 == 0] as Vec<i64>)?;
///     assert_eq!(evens, [0, 4, 16, 36, 64]);
///
///     // `//` is a Rust comment, so floor division is spelled `/ /`.
///     let q: i64 = py!(-7 / / 2 as i64)?;
///     assert_eq!(q, -4);
///
///     // Blocks: statements separated by `;`, compound statements in braces, f-strings as `f "…"`.
///     let text: String = py! {
///         import math;
///         total = 0.0;
///         for v in [1, 4, 9] { total += math.sqrt(v) }
///         f "{total:.1f}" as String
///     }?;
///     assert_eq!(text, "6.0");
///     Ok(())
/// })
/// .unwrap();
/// ```
pub use pycall_macros::py;

pub use pycall_macros::{Class, FromPyObject, IntoPyObject, IntoPyObjectRef, methods, wrap};

/// Everything a `py!` user needs: PyO3's prelude and the `py!` macro.
///
/// ```
/// use pycall::prelude::*;
///
/// let n: usize = Python::attach(|py| py!(len("four") as usize)).unwrap();
/// assert_eq!(n, 4);
/// ```
pub mod prelude {
    pub use crate::py;
    pub use crate::{Class, FromPyObject, IntoPyObject, IntoPyObjectRef};
    pub use pyo3::prelude::*;
}
