//! Instruction-count benchmark: runs one workload a given number of times, for
//! `benches/instructions.py`, which runs this program under `valgrind --tool=callgrind` at two
//! iteration counts and prints the instructions per iteration (the difference between the two
//! runs over the difference in iterations, so that start-up and set-up cancel out).
//!
//!     cargo bench --bench instructions -- WORKLOAD[.WAY] ITERATIONS
//!     cargo bench --bench instructions -- --list
//!
//! Each workload runs in up to three ways, which compute the same value from the same inputs:
//!
//! - `NAME`: the `py!`, its result extracted to a Rust type;
//! - `NAME.pyo3`: the same written by hand with PyO3 (`benches/common/hand.rs`);
//! - `NAME.cpython`: CPython's own interpreter running the same code in a `for _ in range(n)`
//!   loop inside one Python function, compiled once and called once with `n` and the inputs:
//!   what the same line costs in a Python program, its loop included.
//!
//! Each way checks its result once before the counted loop, so a wrong expansion cannot look
//! fast.

#[path = "common/hand.rs"]
mod hand;

use pycall::prelude::*;
use pycall::pyo3::IntoPyObjectExt;
use pycall::pyo3::types::{PyDict, PyTuple};
use std::ffi::CString;
use std::fmt::Debug;
use std::hint::black_box;

/// How a workload runs: `py!`, written by hand with PyO3, or in CPython's interpreter.
#[derive(Clone, Copy, PartialEq)]
enum Way {
    Py,
    Hand,
    CPython,
}

/// A workload: its name, the ways it has, and a function that runs one way `n` times.
type Run = fn(Python<'_>, usize, Way);

fn check<T: PartialEq + Debug>(name: &str, got: PyResult<T>, expected: &T) {
    let got = got.unwrap_or_else(|e| panic!("{name} raised {e}"));
    assert_eq!(&got, expected, "{name} computes the wrong value");
}

/// Runs `run` `n` times after checking its result.
fn repeat<T: PartialEq + Debug>(n: usize, expected: T, run: impl Fn() -> PyResult<T>) {
    check("the workload", run(), &expected);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

/// The Python source of a workload's CPython way: `once(params)` runs `body` and returns
/// `result`; `run(n, params)` runs both `n` times in a `for _ in range(n)` loop.
fn cpython_source(params: &str, body: &[&str], result: &str) -> CString {
    let lines = |indent: &str| {
        body.iter()
            .flat_map(|stmt| stmt.lines())
            .map(|line| format!("{indent}{line}\n"))
            .collect::<String>()
    };
    let comma = if params.is_empty() { "" } else { ", " };
    CString::new(format!(
        "def once({params}):\n{}    return {result}\n\n\
         def run(n{comma}{params}):\n    for _ in range(n):\n{}        {result}\n",
        lines("    "),
        lines("        "),
    ))
    .expect("no NUL in the source")
}

/// The CPython way: checks `once(*args)`, then calls `run(n, *args)` once.
fn cpython_loop<'py, T>(
    py: Python<'py>,
    n: usize,
    expected: T,
    (params, body, result): (&str, &[&str], &str),
    args: Vec<Bound<'py, PyAny>>,
) where
    T: PartialEq + Debug + for<'a, 'p> FromPyObject<'a, 'p, Error = PyErr>,
{
    let namespace = PyDict::new(py);
    py.run(
        &cpython_source(params, body, result),
        Some(&namespace),
        None,
    )
    .expect("the CPython way compiles");
    let function = |name: &str| namespace.get_item(name).unwrap().unwrap();
    let args = PyTuple::new(py, &args).unwrap();
    check(
        "the CPython way",
        function("once")
            .call(&args, None)
            .and_then(|r| r.extract::<T>()),
        &expected,
    );
    let mut with_n = vec![n.into_bound_py_any(py).unwrap()];
    with_n.extend(args.iter());
    let with_n = PyTuple::new(py, with_n).unwrap();
    black_box(function("run").call(with_n, None).unwrap());
}

/// Python values as the CPython way's arguments.
macro_rules! args {
    ($py:expr; $($value:expr),* $(,)?) => {
        vec![$(($value).into_bound_py_any($py).unwrap()),*]
    };
}

fn math_sqrt(py: Python<'_>, n: usize, way: Way) {
    let math = py.import("math").unwrap().into_any();
    let x = 2.0_f64;
    let expected = 2.0_f64.sqrt();
    match way {
        Way::Py => repeat(n, expected, || py!(math.sqrt(x) as f64)),
        Way::Hand => repeat(n, expected, || hand::math_sqrt(&math, x)),
        Way::CPython => cpython_loop(
            py,
            n,
            expected,
            ("math, x", &[], "math.sqrt(x)"),
            args![py; &math, x],
        ),
    }
}

fn sorted_key(py: Python<'_>, n: usize, way: Way) {
    let words = vec!["pear", "fig", "banana", "kiwi", "apple"];
    let expected = "banana".to_owned();
    match way {
        Way::Py => repeat(n, expected, || {
            py!(sorted(words, key = len, reverse = True)[0] as String)
        }),
        Way::Hand => repeat(n, expected, || hand::sorted_key(py, &words)),
        Way::CPython => cpython_loop(
            py,
            n,
            expected,
            ("words", &[], "sorted(words, key=len, reverse=True)[0]"),
            args![py; &words],
        ),
    }
}

fn arithmetic(py: Python<'_>, n: usize, way: Way) {
    let (a, b, c, d, e) = (3_i64, 4_i64, 5_i64, 20_i64, 2_i64);
    let f = vec![1_i64, 2, 3];
    match way {
        Way::Py => repeat(n, true, || py!(a * b + c ** 2 > d and e in f as bool)),
        Way::Hand => repeat(n, true, || hand::arithmetic(py, (a, b, c, d, e), &f)),
        Way::CPython => cpython_loop(
            py,
            n,
            true,
            ("a, b, c, d, e, f", &[], "a * b + c ** 2 > d and e in f"),
            args![py; a, b, c, d, e, &f],
        ),
    }
}

fn comprehension(py: Python<'_>, n: usize, way: Way) {
    let size = 100_i64;
    let expected: Vec<i64> = (0..100).filter(|i| i % 3 == 0).map(|i| i * i).collect();
    match way {
        Way::Py => repeat(
            n,
            expected,
            || py!([i * i for i in range(size) if i % 3 == 0] as Vec<i64>),
        ),
        Way::Hand => repeat(n, expected, || hand::comprehension(py, size)),
        Way::CPython => cpython_loop(
            py,
            n,
            expected,
            ("size", &[], "[i * i for i in range(size) if i % 3 == 0]"),
            args![py; size],
        ),
    }
}

fn dict_item(py: Python<'_>, n: usize, way: Way) {
    let table = PyDict::new(py);
    table.set_item("key", 41).unwrap();
    match way {
        Way::Py => repeat(n, 42, || py!(table["key"] + 1 as i64)),
        Way::Hand => repeat(n, 42, || hand::dict_item(&table)),
        Way::CPython => cpython_loop(
            py,
            n,
            42,
            ("table", &[], "table['key'] + 1"),
            args![py; &table],
        ),
    }
}

fn list_index(py: Python<'_>, n: usize, way: Way) {
    let words = py!(["pear", "fig", "banana", "kiwi"]).unwrap();
    let fig = "fig";
    match way {
        Way::Py => repeat(n, 1, || py!(words.index(fig) as usize)),
        Way::Hand => repeat(n, 1, || hand::list_index(&words, fig)),
        Way::CPython => cpython_loop(
            py,
            n,
            1,
            ("words, fig", &[], "words.index(fig)"),
            args![py; &words, fig],
        ),
    }
}

fn fstring(py: Python<'_>, n: usize, way: Way) {
    let (name, value) = ("pi", std::f64::consts::PI);
    let expected = "pi: 3.142".to_owned();
    match way {
        Way::Py => repeat(n, expected, || py!(f "{name}: {value:.3f}" as String)),
        Way::Hand => repeat(n, expected, || hand::fstring(py, name, value)),
        Way::CPython => cpython_loop(
            py,
            n,
            expected,
            ("name, value", &[], "f'{name}: {value:.3f}'"),
            args![py; name, value],
        ),
    }
}

fn method_keyword(py: Python<'_>, n: usize, way: Way) {
    // A CPython function as the method (a `lambda` in `py!` would be pycall's own).
    let obj = py
        .eval(
            c"__import__('types').SimpleNamespace(method=lambda a, key: a + key)",
            None,
            None,
        )
        .unwrap();
    match way {
        Way::Py => repeat(n, 3, || py!(obj.method(1, key = 2) as i64)),
        Way::Hand => repeat(n, 3, || hand::method_keyword(&obj)),
        Way::CPython => cpython_loop(
            py,
            n,
            3,
            ("obj", &[], "obj.method(1, key=2)"),
            args![py; &obj],
        ),
    }
}

fn block_loop(py: Python<'_>, n: usize, way: Way) {
    let math = py.import("math").unwrap().into_any();
    let values: Vec<f64> = (1..=20).map(f64::from).collect();
    let expected: f64 = values.iter().map(|v| v.sqrt()).sum();
    match way {
        Way::Py => repeat(n, expected, || {
            py! {
                total = 0.0;
                for v in values { total += math.sqrt(v) }
                total as f64
            }
        }),
        Way::Hand => repeat(n, expected, || hand::block_loop(&math, &values)),
        Way::CPython => cpython_loop(
            py,
            n,
            expected,
            (
                "math, values",
                &["total = 0.0", "for v in values:\n    total += math.sqrt(v)"],
                "total",
            ),
            args![py; &math, &values],
        ),
    }
}

fn get_len(py: Python<'_>, n: usize, way: Way) {
    let d = PyDict::new(py);
    d.set_item("k", 5).unwrap();
    let s = "hello";
    match way {
        Way::Py => repeat(n, 10, || py!(d.get("k", 0) + len(s) as i64)),
        Way::Hand => repeat(n, 10, || hand::get_len(&d, s)),
        Way::CPython => cpython_loop(
            py,
            n,
            10,
            ("d, s", &[], "d.get('k', 0) + len(s)"),
            args![py; &d, s],
        ),
    }
}

/// `for _ in range(n): pass`: what CPython's loop alone costs per iteration.
fn empty_loop(py: Python<'_>, n: usize, _: Way) {
    cpython_loop(py, n, None::<i64>, ("", &["pass"], "None"), vec![]);
}

/// The global `name` of Python source run once by CPython.
fn cpython_global<'py>(py: Python<'py>, source: &std::ffi::CStr, name: &str) -> Bound<'py, PyAny> {
    let namespace = PyDict::new(py);
    py.run(source, Some(&namespace), None)
        .expect("the CPython source compiles");
    namespace
        .get_item(name)
        .unwrap()
        .unwrap_or_else(|| panic!("the source defines {name}"))
}

/// A class defined in `py!` (in the CPython way, by CPython): making an instance and calling a
/// method on it.
fn class_instance(py: Python<'_>, n: usize, way: Way) {
    if way == Way::CPython {
        let point = cpython_global(
            py,
            c"class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x * self.x + self.y * self.y
",
            "Point",
        );
        return cpython_loop(
            py,
            n,
            25,
            ("point", &[], "point(3, 4).norm2()"),
            vec![point],
        );
    }
    let point = py! {
        class Point {
            def __init__(self, x, y) { self.x = x; self.y = y }
            def norm2(self) { return self.x * self.x + self.y * self.y }
        }
        Point
    }
    .unwrap();
    repeat(n, 25, || py!(point(3, 4).norm2() as i64));
}

/// A call through a function decorated with `functools.lru_cache` (in `py!`, or in the
/// CPython way by CPython), a cache hit.
fn lru_cache_hit(py: Python<'_>, n: usize, way: Way) {
    if way == Way::CPython {
        let square = cpython_global(
            py,
            c"import functools

@functools.lru_cache(maxsize=128)
def square(k):
    return k * k
",
            "square",
        );
        return cpython_loop(py, n, 144, ("square", &[], "square(12)"), vec![square]);
    }
    let square = py! {
        import functools;
        @functools.lru_cache(maxsize=128)
        def square(k) { return k * k }
        square
    }
    .unwrap();
    repeat(n, 144, || py!(square(12) as i64));
}

/// The 1,000 tuples (and some strings) of mixed shapes that the `match` workload classifies.
fn shapes(py: Python<'_>) -> Bound<'_, PyAny> {
    py! {
        [(i % 3, i % 7) if i % 5 == 0 else (i, 0, i % 2) if i % 5 == 1 else (0, i) if i % 5 == 2
         else (i, 1, 2, 3) if i % 5 == 3 else str(i) for i in range(1000)]
    }
    .unwrap()
}

/// What the `match` workload gives for [`shapes`] (counted by CPython 3.11).
const SHAPE_COUNTS: [i64; 5] = [100_095, 29, 99_800, 714, 200];

/// A `match` over 1,000 values of mixed shapes: sequence patterns with literals, captures and
/// a star, and the wildcard.
fn match_shapes(py: Python<'_>, n: usize, way: Way) {
    let items = shapes(py);
    if way == Way::CPython {
        assert!(
            py.version_info() >= (3, 10),
            "CPython {} has no match statement to compare with",
            py.version_info().minor
        );
        let body = "counts = [0, 0, 0, 0, 0]
for item in items:
    match item:
        case (0, y):
            counts[0] += y
        case (x, 0):
            counts[1] += x
        case (x, y, z):
            counts[2] += x + y + z
        case (x, *rest):
            counts[3] += len(rest)
        case _:
            counts[4] += 1";
        return cpython_loop(
            py,
            n,
            SHAPE_COUNTS,
            ("items", &[body], "counts"),
            vec![items],
        );
    }
    repeat(n, SHAPE_COUNTS, || {
        py! {
            counts = [0, 0, 0, 0, 0];
            for item in items {
                match item {
                    case (0, y) { counts[0] += y }
                    case (x, 0) { counts[1] += x }
                    case (x, y, z) { counts[2] += x + y + z }
                    case (x, *rest) { counts[3] += len(rest) }
                    case _ { counts[4] += 1 }
                }
            }
            counts as [i64; 5]
        }
    });
}

/// `run(n)` of Python source run once by CPython, checked with `n = 100`, then called once with
/// `n`: for the workloads whose loop is inside the code itself.
fn cpython_once<T>(py: Python<'_>, source: &std::ffi::CStr, n: usize, expected: T)
where
    T: PartialEq + Debug + for<'a, 'p> FromPyObject<'a, 'p, Error = PyErr>,
{
    let run = cpython_global(py, source, "run");
    check(
        "the CPython way",
        run.call1((100,)).and_then(|r| r.extract::<T>()),
        &expected,
    );
    black_box(run.call1((n,)).unwrap());
}

/// The sum the generator pipeline computes over `range(n)`: the numbers not divisible by 3.
fn pipeline_sum(n: usize) -> i64 {
    (0..n as i64).filter(|x| x % 3 != 0).sum()
}

/// A generator pipeline: `sum(x for x in gen(n) if x % 3)` with `gen` a `def` with `yield`.
/// One iteration is one item through both generators (the run over `n` items, so that making
/// the generators cancels out between the two counts).
fn generator_pipeline(py: Python<'_>, n: usize, way: Way) {
    if way == Way::CPython {
        return cpython_once(
            py,
            c"def gen(n):
    for i in range(n):
        yield i

def run(n):
    return sum(x for x in gen(n) if x % 3)
",
            n,
            pipeline_sum(100),
        );
    }
    // (`gen` is a reserved word in Rust 2024, so the Rust variable holding it has another
    // name; inside `py!` it is an ordinary name.)
    let numbers = py! {
        def gen(n) { for i in range(n) { yield i } }
        gen
    }
    .unwrap();
    let run = |n: usize| py!(sum(x for x in numbers(n) if x % 3) as i64);
    check("generator_pipeline", run(100), &pipeline_sum(100));
    black_box(run(n).unwrap());
}

/// An `async def` awaited `n` times inside one `asyncio.run`: one iteration is one `await` of
/// a coroutine that returns at once (the event loop's start and end cancel out between the two
/// counts).
fn async_await(py: Python<'_>, n: usize, way: Way) {
    if way == Way::CPython {
        return cpython_once(
            py,
            c"import asyncio

async def step(x):
    return x + 1

async def main(n):
    total = 0
    for i in range(n):
        total = await step(total)
    return total

def run(n):
    return asyncio.run(main(n))
",
            n,
            100_usize,
        );
    }
    let run = |n: usize| {
        py! {
            import asyncio;
            async def step(x) { return x + 1 }
            async def main(n) {
                total = 0;
                for i in range(n) { total = await step(total) }
                return total
            }
            asyncio.run(main(n)) as usize
        }
    };
    check("async_await", run(100), &100);
    black_box(run(n).unwrap());
}

/// One `py!(await asyncio.sleep(0, 1))` round trip from async Rust
/// (`futures::executor::block_on`, without the interpreter lock while waiting), through
/// pycall's background event loop; by hand, the same through pyo3-async-runtimes
/// (`into_future_with_locals` on the same event loop); in CPython, `await asyncio.sleep(0, 1)`
/// in a loop inside one coroutine.
fn await_roundtrip(py: Python<'_>, n: usize, way: Way) {
    if way == Way::CPython {
        let source = CString::new(include_str!("await_roundtrip.py")).unwrap();
        return cpython_once(py, &source, n, 100_usize);
    }
    let asyncio = py.import("asyncio").unwrap();
    let locals = pycall::pyo3_async_runtimes::TaskLocals::new(pycall::event_loop(py).unwrap());
    let run = || -> PyResult<i64> {
        let future = if way == Way::Py {
            py!(await asyncio.sleep(0, 1))?
        } else {
            let sleep = asyncio.call_method1(pycall::pyo3::intern!(py, "sleep"), (0, 1))?;
            let future = pycall::pyo3_async_runtimes::into_future_with_locals(&locals, sleep)?;
            return py
                .detach(|| futures::executor::block_on(future))?
                .extract::<i64>(py);
        };
        py.detach(|| futures::executor::block_on(future))?
            .extract::<i64>(py)
    };
    repeat(n, 1, run);
}

use Way::{CPython, Hand, Py};

/// Every workload, the ways it has, and a one-line description for the table.
const WORKLOADS: &[(&str, &[Way], Run)] = &[
    ("math_sqrt", &[Py, Hand, CPython], math_sqrt),
    ("sorted_key", &[Py, Hand, CPython], sorted_key),
    ("arithmetic", &[Py, Hand, CPython], arithmetic),
    ("comprehension", &[Py, Hand, CPython], comprehension),
    ("dict_item", &[Py, Hand, CPython], dict_item),
    ("list_index", &[Py, Hand, CPython], list_index),
    ("fstring", &[Py, Hand, CPython], fstring),
    ("method_keyword", &[Py, Hand, CPython], method_keyword),
    ("block_loop", &[Py, Hand, CPython], block_loop),
    ("get_len", &[Py, Hand, CPython], get_len),
    ("class_instance", &[Py, CPython], class_instance),
    ("lru_cache_hit", &[Py, CPython], lru_cache_hit),
    ("match_shapes", &[Py, CPython], match_shapes),
    ("generator_pipeline", &[Py, CPython], generator_pipeline),
    ("async_await", &[Py, CPython], async_await),
    ("await_roundtrip", &[Py, Hand, CPython], await_roundtrip),
    ("empty_loop", &[CPython], empty_loop),
];

fn suffix(way: Way) -> &'static str {
    match way {
        Py => "",
        Hand => ".pyo3",
        CPython => ".cpython",
    }
}

fn main() {
    // `cargo bench` passes `--bench`; the arguments that matter are the others.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--list") {
        for (name, ways, _) in WORKLOADS {
            for way in *ways {
                println!("{name}{}", suffix(*way));
            }
        }
        return;
    }
    let [name, iterations] = args.as_slice() else {
        eprintln!("usage: instructions WORKLOAD[.pyo3|.cpython] ITERATIONS (or --list)");
        std::process::exit(2);
    };
    let found = WORKLOADS.iter().find_map(|(base, ways, run)| {
        ways.iter()
            .find(|way| *name == format!("{base}{}", suffix(**way)))
            .map(|way| (*way, *run))
    });
    let Some((way, run)) = found else {
        eprintln!("no workload {name}; --list shows them");
        std::process::exit(2);
    };
    let n: usize = iterations.parse().expect("ITERATIONS is a number");
    Python::attach(|py| run(py, n, way));
}
