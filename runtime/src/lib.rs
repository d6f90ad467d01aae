#![doc = include_str!("../README.md")]

#[cfg(Py_LIMITED_API)]
compile_error!(
    "pycall needs CPython's full C API (cells, code and frame objects are outside the stable ABI): \
     turn off PyO3's `abi3` features and build one extension per Python version"
);

#[doc(hidden)]
#[path = "private/mod.rs"]
pub mod __private;

mod embed;
pub use embed::{Module, callback, try_callback};

#[cfg(feature = "asyncio")]
mod asyncio;
#[cfg(feature = "asyncio")]
pub use asyncio::{PythonFuture, awaitable, event_loop, into_future, use_event_loop};
#[cfg(feature = "asyncio")]
pub use pyo3_async_runtimes;
mod environment;
pub use environment::{Environment, Source, environment, keep_embedded_defaults};

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

/// Makes a Rust struct a Python class: `#[derive(Class)]`.
///
/// The derive runs PyO3's own `#[pyclass]` code generation on the struct, so values live in
/// PyO3's borrow-tracked cell: `Bound::new(py, value)` moves a value into a Python object, Rust
/// keeps the `Bound<'py, T>` / `Py<T>` handle, Python code reads and writes the fields as
/// attributes, and a conflicting borrow (Rust holds `borrow_mut()` while Python reads, or the
/// reverse) is a `RuntimeError`, never undefined behaviour. Fields must convert to Python (and
/// back, when writable), and the struct must be `Send + Sync` without generic or lifetime
/// parameters. Methods are exposed with [`methods`].
///
/// Generated: a getter (and a setter) per field, `__repr__` like a dataclass's, `__eq__`/`__ne__`
/// comparing the exposed fields of two objects of the class, `__hash__` of those fields when the
/// struct is frozen (a mutable one is unhashable), and a direct path for `py!(obj.field)` on a
/// `Bound<T>`/`Py<T>` that reads through the cell with no attribute lookup.
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(Class)]
/// struct Counter {
///     count: i64,
///     step: i64,
/// }
///
/// Python::attach(|py| -> PyResult<()> {
///     let counter = Bound::new(py, Counter { count: 0, step: 2 })?;
///     py!(for _ in range(3) { counter.count += counter.step })?;
///     assert_eq!(counter.borrow().count, 6); // Python's changes, seen from Rust
///     assert_eq!(py!(repr(counter) as String)?, "Counter(count=6, step=2)");
///     let other = Bound::new(py, Counter { count: 6, step: 2 })?;
///     assert!(py!(counter == other as bool)?);
///
///     let guard = counter.borrow_mut();
///     assert_eq!(py!(counter.count).unwrap_err().to_string(), "RuntimeError: Already mutably borrowed");
///     drop(guard);
///     Ok(())
/// }).unwrap();
/// ```
///
/// # Options on the struct
///
/// `#[pycall(name = "...")]` and `#[pycall(module = "...")]`: the class's Python name (also used by
/// `__repr__`) and `__module__`.
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(Class)]
/// #[pycall(name = "Vec2", module = "geometry")]
/// struct Vector { x: f64, y: f64 }
///
/// Python::attach(|py| {
///     let v = Bound::new(py, Vector { x: 1.0, y: 2.0 }).unwrap();
///     let (name, module): (String, String) = py!((type(v).__name__, type(v).__module__) as (String, String)).unwrap();
///     assert_eq!((name.as_str(), module.as_str()), ("Vec2", "geometry"));
///     assert_eq!(py!(repr(v) as String).unwrap(), "Vec2(x=1.0, y=2.0)");
/// });
/// ```
///
/// `#[pycall(frozen)]`: no field is writable, no borrow is tracked, and the class is hashable.
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(Class)]
/// #[pycall(frozen)]
/// struct Key { kind: String, id: u32 }
///
/// Python::attach(|py| -> PyResult<()> {
///     let a = Bound::new(py, Key { kind: "user".into(), id: 1 })?;
///     let b = Bound::new(py, Key { kind: "user".into(), id: 1 })?;
///     assert_eq!(py!(len({a: 1, b: 2}) as usize)?, 1); // equal and same hash: one key
///     assert!(py!(a.id = 2).is_err()); // AttributeError: read-only
///     Ok(())
/// }).unwrap();
/// ```
///
/// `#[pycall(clone)]`, for a `Clone` struct: a plain value can be used in `py!` by name (Python
/// gets a copy; the Rust value is untouched) and extracted back by value with `as T`.
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(Class, Clone, Debug, PartialEq)]
/// #[pycall(clone)]
/// struct Point { x: i64, y: i64 }
///
/// Python::attach(|py| -> PyResult<()> {
///     let p = Point { x: 1, y: 2 };
///     let moved: Point = py! { q = p; q.x += 10; q as Point }?;
///     assert_eq!(moved, Point { x: 11, y: 2 });
///     assert_eq!(p, Point { x: 1, y: 2 });
///     Ok(())
/// }).unwrap();
/// ```
///
/// `#[pycall(repr = false)]`, `#[pycall(eq = false)]`: keep Python's default `repr` and
/// identity equality (which leaves the class hashable by identity).
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(Class)]
/// #[pycall(repr = false, eq = false)]
/// struct Handle { fd: i32 }
///
/// Python::attach(|py| -> PyResult<()> {
///     let a = Bound::new(py, Handle { fd: 3 })?;
///     let b = Bound::new(py, Handle { fd: 3 })?;
///     assert!(py!(a != b and repr(a).startswith("<builtins.Handle object") as bool)?);
///     Ok(())
/// }).unwrap();
/// ```
///
/// # Options on a field
///
/// `#[pycall(readonly)]` (a getter only), `#[pycall(name = "...")]` (another Python name),
/// `#[pycall(skip)]` (not visible to Python; its type needs no conversion).
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(Class)]
/// struct User {
///     #[pycall(readonly)]
///     id: u64,
///     #[pycall(name = "display_name")]
///     name: String,
///     #[pycall(skip)]
///     password_hash: [u8; 32],
/// }
///
/// Python::attach(|py| -> PyResult<()> {
///     let u = Bound::new(py, User { id: 1, name: "ann".into(), password_hash: [0; 32] })?;
///     assert_eq!(py!(u.display_name as String)?, "ann");
///     assert!(py!(u.id = 2).is_err()); // AttributeError
///     assert!(py!(u.password_hash).is_err()); // AttributeError
///     assert_eq!(py!(repr(u) as String)?, "User(id=1, display_name='ann')");
///     Ok(())
/// }).unwrap();
/// ```
pub use pycall_macros::Class;

/// Exposes the methods of an `impl` block to Python: `#[pycall::methods]`.
///
/// It is PyO3's `#[pymethods]` with pycall's crate path, so PyO3's method attributes work as
/// documented there: `#[new]`, `#[getter]`/`#[setter]`, `#[staticmethod]`, `#[classmethod]`,
/// `#[pyo3(signature = (...))]`. `&self` borrows the object shared and `&mut self` exclusively,
/// through the cell: a call that conflicts with a borrow Rust holds raises `RuntimeError`. A
/// struct can have several such blocks (PyO3's `multiple-pymethods`).
///
/// Options on a method: `#[pycall(name = "...")]` (its Python name) and `#[pycall(skip)]` (stays
/// a Rust method only).
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(Class)]
/// struct Account { balance: i64 }
///
/// #[pycall::methods]
/// impl Account {
///     #[new]
///     fn new(balance: i64) -> Self {
///         Account { balance }
///     }
///
///     fn deposit(&mut self, amount: i64) -> PyResult<i64> {
///         if amount <= 0 {
///             return Err(pycall::pyo3::exceptions::PyValueError::new_err("amount must be positive"));
///         }
///         self.balance += amount;
///         Ok(self.balance)
///     }
///
///     #[pycall(name = "is_empty")]
///     fn empty(&self) -> bool {
///         self.balance == 0
///     }
///
///     #[pycall(skip)]
///     fn audit(&self) -> String {
///         format!("balance {}", self.balance)
///     }
/// }
///
/// Python::attach(|py| -> PyResult<()> {
///     let acct = Bound::new(py, Account::new(0))?;
///     assert!(py!(acct.is_empty() as bool)?);
///     assert_eq!(py!(acct.deposit(5) as i64)?, 5);
///     assert_eq!(py!(acct.deposit(-1)).unwrap_err().to_string(), "ValueError: amount must be positive");
///     assert!(py!(acct.audit()).is_err()); // Rust-only
///     assert_eq!(acct.borrow().audit(), "balance 5");
///     let made: i64 = py!(type(acct)(7).balance as i64)?; // the `#[new]` constructor
///     assert_eq!(made, 7);
///     Ok(())
/// }).unwrap();
/// ```
pub use pycall_macros::methods;

/// Declares a typed Rust wrapper of a Python class or module: `pycall::wrap! { ... }`.
///
/// The input is a unit struct with `#[pycall(class = "module.Class")]` or
/// `#[pycall(module = "module")]`, and an `impl` block of method signatures ending in `;`. The
/// struct becomes `Name<'py>`, holding a `Bound<'py, PyAny>` (with `Deref` to it, `Clone`, `Debug`,
/// `Display` as `str()`, `as_any`, `into_any`), and each signature gets a generated body:
///
/// - `&self` methods call the attribute of that name on the wrapped object; methods without
///   `self` get a leading `py: Python<'py>` and call the class's attribute (class and static
///   methods) or the module's function;
/// - each parameter converts with `IntoPyObject`; each return type `T` becomes `PyResult<T>`
///   and the result is extracted to `T` (`-> ()` drops it); the wrapper's own name in a
///   signature means `Name<'py>`, and `'py` can be used in types;
/// - a Python exception, or a result that does not convert, is a `PyErr` with a note naming
///   the method.
///
/// A class wrapper has `Name::class(py)` (the class, imported once and cached) and
/// `Name::wrap(obj)`; it extracts (`as Name`) only from instances of the class. A module wrapper
/// has `Name::import(py)`.
///
/// Options: on a method, `#[pycall(new)]` (a constructor: calls the class),
/// `#[pycall(getter)]` (reads the attribute instead of calling it) and `#[pycall(name = "...")]`
/// (the Python name, for Rust keywords or dunder methods); on a parameter,
/// `#[pycall(keyword)]` or `#[pycall(keyword = "name")]` (passed by keyword; an `Option` that
/// is `None` is left out).
///
/// ```
/// use pycall::prelude::*;
///
/// pycall::wrap! {
///     /// `collections.Counter`.
///     #[pycall(class = "collections.Counter")]
///     pub struct Counter;
///
///     impl Counter {
///         #[pycall(new)]
///         pub fn new(items: Vec<String>) -> Counter;
///         pub fn most_common(&self, #[pycall(keyword = "n")] top: Option<usize>) -> Vec<(String, usize)>;
///         #[pycall(name = "get")]
///         pub fn count_of(&self, key: &str) -> usize;
///         #[pycall(name = "__len__")]
///         pub fn distinct(&self) -> usize;
///     }
/// }
///
/// pycall::wrap! {
///     #[pycall(module = "textwrap")]
///     pub struct TextWrap;
///
///     impl TextWrap {
///         pub fn shorten(text: &str, width: usize, #[pycall(keyword)] placeholder: &str) -> String;
///     }
/// }
///
/// pycall::wrap! {
///     #[pycall(class = "datetime.date")]
///     pub struct Date;
///
///     impl Date {
///         #[pycall(getter)]
///         pub fn year(&self) -> i32;
///         pub fn fromisoformat(text: &str) -> Date;
///     }
/// }
///
/// Python::attach(|py| -> PyResult<()> {
///     let words = ["a", "b", "a", "c", "a", "b"].map(String::from).to_vec();
///     let counter = Counter::new(py, words)?;
///     assert_eq!(counter.most_common(Some(1))?, [("a".to_owned(), 3)]);
///     assert_eq!((counter.count_of("a")?, counter.distinct()?), (3, 3));
///     assert_eq!(py!(counter["b"] as usize)?, 2); // a wrapper is usable in py! by name
///
///     let short = TextWrap::shorten(py, "Hello big wide world", 12, " ...")?;
///     assert_eq!(short, "Hello ...");
///
///     let date = Date::fromisoformat(py, "2024-02-29")?;
///     assert_eq!(date.year()?, 2024);
///     let err = Date::fromisoformat(py, "nope").unwrap_err();
///     assert!(err.is_instance_of::<pycall::pyo3::exceptions::PyValueError>(py));
///     assert!(py!(3 as Date).is_err()); // not a `datetime.date`: TypeError
///     Ok(())
/// }).unwrap();
/// ```
pub use pycall_macros::wrap;

/// PyO3's `#[derive(FromPyObject)]`, with the crate path set to pycall's PyO3.
///
/// Fills a struct from a Python object's attributes (or items, with `#[pyo3(item)]` /
/// `#[pyo3(from_item_all)]`), or tries an enum's variants in order; every option is PyO3's,
/// documented in PyO3's guide. Use it with `as T` in `py!`.
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(FromPyObject, Debug, PartialEq)]
/// struct Version {
///     major: u32,
///     minor: u32,
/// }
///
/// Python::attach(|py| {
///     let v: Version = py! { import sys; sys.version_info as Version }.unwrap();
///     assert_eq!(v.major, 3);
/// });
/// ```
pub use pycall_macros::FromPyObject;

/// PyO3's `#[derive(IntoPyObject)]`, with the crate path set to pycall's PyO3: a struct becomes a
/// Python `dict` of its fields (a newtype, its inner value), so it can be passed to `py!`.
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(IntoPyObject)]
/// struct Options {
///     width: u32,
///     label: String,
/// }
///
/// Python::attach(|py| {
///     let opts = Options { width: 3, label: "x".into() }.into_pyobject(py).unwrap();
///     assert_eq!(py!(sorted(opts.items()) as Vec<(String, Py<PyAny>)>).unwrap().len(), 2);
///     assert_eq!(py!(opts["width"] * 2 as u32).unwrap(), 6);
/// });
/// ```
pub use pycall_macros::IntoPyObject;

/// PyO3's `#[derive(IntoPyObjectRef)]` (conversion of `&T`), with the crate path set to pycall's
/// PyO3: with it, a value is converted by reference, so `py!` can use it by name.
///
/// ```
/// use pycall::prelude::*;
///
/// #[derive(IntoPyObjectRef)]
/// struct Options {
///     width: u32,
///     label: String,
/// }
///
/// Python::attach(|py| {
///     let opts = Options { width: 3, label: "x".into() };
///     assert_eq!(py!(opts["label"] * opts["width"] as String).unwrap(), "xxx");
///     assert_eq!(opts.width, 3); // still ours
/// });
/// ```
pub use pycall_macros::IntoPyObjectRef;

/// rust-numpy (the `numpy` crate), built against pycall's PyO3; with the `numpy` feature.
///
/// Rust data reaches numpy as one memory copy (`slice.to_pyarray(py)`) or none
/// (`vec.into_pyarray(py)`), and numpy results come back as views of their buffer
/// (`as PyReadonlyArray1<f64>`, then `as_slice()` or `as_array()`); a plain `Vec<f64>` used by
/// name in `py!` becomes a Python list instead, one float object per element.
///
/// ```
/// use pycall::numpy::{PyReadonlyArray1, ToPyArray};
/// use pycall::prelude::*;
///
/// Python::attach(|py| -> PyResult<()> {
///     // rust-numpy needs the environment's numpy before any `py!` has run: set it up first.
///     pycall::environment(py)?;
///     let np = py.import("numpy")?;
///     let x = vec![1.0, 2.0, 3.0, 4.0].to_pyarray(py);
///     let mean: f64 = py!(float(np.mean(x)) as f64)?;
///     assert_eq!(mean, 2.5);
///     let doubled: PyReadonlyArray1<f64> = py!(x * 2 as PyReadonlyArray1<f64>)?;
///     assert_eq!(doubled.as_slice()?, [2.0, 4.0, 6.0, 8.0]);
///     Ok(())
/// }).unwrap();
/// ```
#[cfg(feature = "numpy")]
pub use numpy;

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
