//! Instruction-count benchmark: runs one workload's `py!` a given number of times, for
//! `benches/instructions.py`, which runs this program under `valgrind --tool=callgrind` at two
//! iteration counts and prints the instructions per iteration (the difference between the two
//! runs over the difference in iterations, so that start-up and set-up cancel out).
//!
//!     cargo bench --bench instructions -- WORKLOAD ITERATIONS
//!     cargo bench --bench instructions -- --list
//!
//! Each workload checks its result once before the timed loop, so a wrong expansion cannot
//! look fast.
//!
//! Each workload `NAME` has a twin `NAME.cpython`: the same code as the body of a Python
//! function (`def run(…)`, compiled once by CPython), called from Rust with the same inputs
//! and its result converted the same way, so that the two columns compare `py!` with
//! CPython's own interpreter running the same code.

use pycall::prelude::*;
use pycall::pyo3::types::PyDict;
use std::ffi::CStr;
use std::hint::black_box;

/// A workload: its name, and a function that runs its `py!` `n` times.
type Run = fn(Python<'_>, usize);

fn check<T: PartialEq + std::fmt::Debug>(name: &str, got: PyResult<T>, expected: T) {
    let got = got.unwrap_or_else(|e| panic!("{name} raised {e}"));
    assert_eq!(got, expected, "{name} computes the wrong value");
}

/// `run` from Python source that defines it, compiled and run once by CPython.
fn cpython<'py>(py: Python<'py>, source: &CStr) -> Bound<'py, PyAny> {
    let namespace = PyDict::new(py);
    py.run(source, Some(&namespace), None)
        .expect("the CPython twin compiles");
    namespace
        .get_item("run")
        .unwrap()
        .expect("the source defines run")
}

/// Runs a CPython twin `n` times after checking its result.
fn repeat<T: PartialEq + std::fmt::Debug>(
    name: &str,
    n: usize,
    expected: T,
    run: impl Fn() -> PyResult<T>,
) {
    check(name, run(), expected);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn math_sqrt(py: Python<'_>, n: usize) {
    let math = py.import("math").unwrap();
    let x = 2.0_f64;
    check("math_sqrt", py!(math.sqrt(x) as f64), 2.0_f64.sqrt());
    for _ in 0..n {
        black_box(py!(math.sqrt(x) as f64).unwrap());
    }
}

fn sorted_key(py: Python<'_>, n: usize) {
    let words = vec!["pear", "fig", "banana", "kiwi", "apple"];
    let run = || py!(sorted(words, key = len, reverse = True)[0] as String);
    check("sorted_key", run(), "banana".to_owned());
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn arithmetic(py: Python<'_>, n: usize) {
    let (a, b, c, d, e) = (3_i64, 4_i64, 5_i64, 20_i64, 2_i64);
    let f = vec![1_i64, 2, 3];
    let run = || py!(a * b + c ** 2 > d and e in f as bool);
    check("arithmetic", run(), true);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn comprehension(py: Python<'_>, n: usize) {
    let size = 100_i64;
    let run = || py!([i * i for i in range(size) if i % 3 == 0] as Vec<i64>);
    let expected: Vec<i64> = (0..100).filter(|i| i % 3 == 0).map(|i| i * i).collect();
    check("comprehension", run(), expected);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn dict_item(py: Python<'_>, n: usize) {
    let table = PyDict::new(py);
    table.set_item("key", 41).unwrap();
    let run = || py!(table["key"] + 1 as i64);
    check("dict_item", run(), 42);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn list_index(py: Python<'_>, n: usize) {
    let words = py!(["pear", "fig", "banana", "kiwi"]).unwrap();
    let fig = "fig";
    let run = || py!(words.index(fig) as usize);
    check("list_index", run(), 1);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn fstring(py: Python<'_>, n: usize) {
    let (name, value) = ("pi", std::f64::consts::PI);
    let run = || py!(f "{name}: {value:.3f}" as String);
    check("fstring", run(), "pi: 3.142".to_owned());
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn method_keyword(py: Python<'_>, n: usize) {
    // A CPython function as the method (a `lambda` in `py!` would be pycall's own).
    let obj = py
        .eval(
            c"__import__('types').SimpleNamespace(method=lambda a, key: a + key)",
            None,
            None,
        )
        .unwrap();
    let run = || py!(obj.method(1, key = 2) as i64);
    check("method_keyword", run(), 3);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn block_loop(py: Python<'_>, n: usize) {
    let math = py.import("math").unwrap();
    let values: Vec<f64> = (1..=20).map(f64::from).collect();
    let run = || {
        py! {
            total = 0.0;
            for v in values { total += math.sqrt(v) }
            total as f64
        }
    };
    let expected: f64 = values.iter().map(|v| v.sqrt()).sum();
    check("block_loop", run(), expected);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn get_len(py: Python<'_>, n: usize) {
    let d = PyDict::new(py);
    d.set_item("k", 5).unwrap();
    let s = "hello";
    let run = || py!(d.get("k", 0) + len(s) as i64);
    check("get_len", run(), 10);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn math_sqrt_cpython(py: Python<'_>, n: usize) {
    let math = py.import("math").unwrap();
    let x = 2.0_f64;
    let f = cpython(py, c"def run(math, x):\n    return math.sqrt(x)\n");
    repeat("math_sqrt.cpython", n, 2.0_f64.sqrt(), || {
        f.call1((&math, x))?.extract::<f64>()
    });
}

fn sorted_key_cpython(py: Python<'_>, n: usize) {
    let words = vec!["pear", "fig", "banana", "kiwi", "apple"];
    let f = cpython(
        py,
        c"def run(words):\n    return sorted(words, key=len, reverse=True)[0]\n",
    );
    repeat("sorted_key.cpython", n, "banana".to_owned(), || {
        f.call1((&words,))?.extract::<String>()
    });
}

fn arithmetic_cpython(py: Python<'_>, n: usize) {
    let (a, b, c, d, e) = (3_i64, 4_i64, 5_i64, 20_i64, 2_i64);
    let fs = vec![1_i64, 2, 3];
    let f = cpython(
        py,
        c"def run(a, b, c, d, e, f):\n    return a * b + c ** 2 > d and e in f\n",
    );
    repeat("arithmetic.cpython", n, true, || {
        f.call1((a, b, c, d, e, &fs))?.extract::<bool>()
    });
}

fn comprehension_cpython(py: Python<'_>, n: usize) {
    let size = 100_i64;
    let f = cpython(
        py,
        c"def run(size):\n    return [i * i for i in range(size) if i % 3 == 0]\n",
    );
    let expected: Vec<i64> = (0..100).filter(|i| i % 3 == 0).map(|i| i * i).collect();
    repeat("comprehension.cpython", n, expected, || {
        f.call1((size,))?.extract::<Vec<i64>>()
    });
}

fn dict_item_cpython(py: Python<'_>, n: usize) {
    let table = PyDict::new(py);
    table.set_item("key", 41).unwrap();
    let f = cpython(py, c"def run(table):\n    return table['key'] + 1\n");
    repeat("dict_item.cpython", n, 42, || {
        f.call1((&table,))?.extract::<i64>()
    });
}

fn list_index_cpython(py: Python<'_>, n: usize) {
    let words = py!(["pear", "fig", "banana", "kiwi"]).unwrap();
    let fig = "fig";
    let f = cpython(py, c"def run(words, fig):\n    return words.index(fig)\n");
    repeat("list_index.cpython", n, 1, || {
        f.call1((&words, fig))?.extract::<usize>()
    });
}

fn fstring_cpython(py: Python<'_>, n: usize) {
    let (name, value) = ("pi", std::f64::consts::PI);
    let f = cpython(
        py,
        c"def run(name, value):\n    return f'{name}: {value:.3f}'\n",
    );
    repeat("fstring.cpython", n, "pi: 3.142".to_owned(), || {
        f.call1((name, value))?.extract::<String>()
    });
}

fn method_keyword_cpython(py: Python<'_>, n: usize) {
    let obj = py
        .eval(
            c"__import__('types').SimpleNamespace(method=lambda a, key: a + key)",
            None,
            None,
        )
        .unwrap();
    let f = cpython(py, c"def run(obj):\n    return obj.method(1, key=2)\n");
    repeat("method_keyword.cpython", n, 3, || {
        f.call1((&obj,))?.extract::<i64>()
    });
}

fn block_loop_cpython(py: Python<'_>, n: usize) {
    let math = py.import("math").unwrap();
    let values: Vec<f64> = (1..=20).map(f64::from).collect();
    let f = cpython(
        py,
        c"def run(math, values):
    total = 0.0
    for v in values:
        total += math.sqrt(v)
    return total
",
    );
    let expected: f64 = values.iter().map(|v| v.sqrt()).sum();
    repeat("block_loop.cpython", n, expected, || {
        f.call1((&math, &values))?.extract::<f64>()
    });
}

fn get_len_cpython(py: Python<'_>, n: usize) {
    let d = PyDict::new(py);
    d.set_item("k", 5).unwrap();
    let s = "hello";
    let f = cpython(py, c"def run(d, s):\n    return d.get('k', 0) + len(s)\n");
    repeat("get_len.cpython", n, 10, || {
        f.call1((&d, s))?.extract::<i64>()
    });
}

/// A class defined in `py!`: creating an instance and calling a method on it.
fn class_instance(py: Python<'_>, n: usize) {
    let point = py! {
        class Point {
            def __init__(self, x, y) { self.x = x; self.y = y }
            def norm2(self) { return self.x * self.x + self.y * self.y }
        }
        Point
    }
    .unwrap();
    let run = || py!(point(3, 4).norm2() as i64);
    check("class_instance", run(), 25);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn class_instance_cpython(py: Python<'_>, n: usize) {
    let f = cpython(
        py,
        c"class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def norm2(self):
        return self.x * self.x + self.y * self.y

def run(point):
    return point(3, 4).norm2()
",
    );
    let point = f.getattr("__globals__").unwrap().get_item("Point").unwrap();
    repeat("class_instance.cpython", n, 25, || {
        f.call1((&point,))?.extract::<i64>()
    });
}

/// The 1,000 tuples (and some strings) of mixed shapes that the `match` workloads classify.
fn shapes(py: Python<'_>) -> Bound<'_, PyAny> {
    py! {
        [(i % 3, i % 7) if i % 5 == 0 else (i, 0, i % 2) if i % 5 == 1 else (0, i) if i % 5 == 2
         else (i, 1, 2, 3) if i % 5 == 3 else str(i) for i in range(1000)]
    }
    .unwrap()
}

/// What the `match` workloads give for [`shapes`] (counted by CPython 3.11).
const SHAPE_COUNTS: [i64; 5] = [100_095, 29, 99_800, 714, 200];

/// A `match` in `py!` over 1,000 values of mixed shapes: sequence patterns with literals,
/// captures and a star, and the wildcard.
fn match_shapes(py: Python<'_>, n: usize) {
    let items = shapes(py);
    let run = || {
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
    };
    check("match_shapes", run(), SHAPE_COUNTS);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn match_shapes_cpython(py: Python<'_>, n: usize) {
    assert!(
        py.version_info() >= (3, 10),
        "CPython {} has no match statement to compare with",
        py.version_info().minor
    );
    let items = shapes(py);
    let f = cpython(
        py,
        c"def run(items):
    counts = [0, 0, 0, 0, 0]
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
                counts[4] += 1
    return counts
",
    );
    repeat("match_shapes.cpython", n, SHAPE_COUNTS, || {
        f.call1((&items,))?.extract::<[i64; 5]>()
    });
}

/// A call through a function decorated in `py!` with `functools.lru_cache`, a cache hit.
fn lru_cache_hit(py: Python<'_>, n: usize) {
    let square = py! {
        import functools;
        @functools.lru_cache(maxsize=128)
        def square(k) { return k * k }
        square
    }
    .unwrap();
    let run = || py!(square(12) as i64);
    check("lru_cache_hit", run(), 144);
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

fn lru_cache_hit_cpython(py: Python<'_>, n: usize) {
    let f = cpython(
        py,
        c"import functools

@functools.lru_cache(maxsize=128)
def square(k):
    return k * k

def run(square):
    return square(12)
",
    );
    let square = f
        .getattr("__globals__")
        .unwrap()
        .get_item("square")
        .unwrap();
    repeat("lru_cache_hit.cpython", n, 144, || {
        f.call1((&square,))?.extract::<i64>()
    });
}

/// The sum the generator pipeline computes over `range(n)`: the numbers not divisible by 3.
fn pipeline_sum(n: usize) -> i64 {
    (0..n as i64).filter(|x| x % 3 != 0).sum()
}

/// A generator pipeline: `sum(x for x in gen(n) if x % 3)` with `gen` a `def` with `yield`,
/// both made by `py!`. One iteration is one item through both generators (the run over `n`
/// items, so that making the generators cancels out between the two counts).
fn generator_pipeline(py: Python<'_>, n: usize) {
    // (`gen` is a reserved word in Rust 2024, so the Rust variable holding it has another
    // name; inside `py!` it is an ordinary name.)
    let numbers = py! {
        def gen(n) { for i in range(n) { yield i } }
        gen
    }
    .unwrap();
    let run = |n: usize| py!(sum(x for x in numbers(n) if x % 3) as i64);
    check("generator_pipeline", run(100), pipeline_sum(100));
    black_box(run(n).unwrap());
}

fn generator_pipeline_cpython(py: Python<'_>, n: usize) {
    let f = cpython(
        py,
        c"def gen(n):
    for i in range(n):
        yield i

def run(n):
    return sum(x for x in gen(n) if x % 3)
",
    );
    check(
        "generator_pipeline.cpython",
        f.call1((100,)).and_then(|r| r.extract::<i64>()),
        pipeline_sum(100),
    );
    black_box(f.call1((n,)).unwrap());
}

/// An `async def` awaited `n` times inside one `asyncio.run`, all made by `py!`: one iteration
/// is one `await` of a coroutine that returns at once (the event loop's start and end cancel
/// out between the two counts).
fn async_await(py: Python<'_>, n: usize) {
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
    check("async_await", run(100), 100);
    black_box(run(n).unwrap());
}

fn async_await_cpython(py: Python<'_>, n: usize) {
    let f = cpython(
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
    );
    check(
        "async_await.cpython",
        f.call1((100,)).and_then(|r| r.extract::<usize>()),
        100,
    );
    black_box(f.call1((n,)).unwrap());
}

/// One `py!(await asyncio.sleep(0))` round trip from async Rust (`futures::executor::block_on`,
/// without the interpreter lock while waiting), through pycall's background event loop.
fn await_roundtrip(py: Python<'_>, n: usize) {
    let asyncio = py.import("asyncio").unwrap();
    let run = || -> PyResult<Py<PyAny>> {
        let future = py!(await asyncio.sleep(0, 1))?;
        py.detach(|| futures::executor::block_on(future))
    };
    check(
        "await_roundtrip",
        run().and_then(|v| v.extract::<i64>(py)),
        1,
    );
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

/// The same round trip through pyo3-async-runtimes used directly (`into_future_with_locals`
/// on the same event loop).
fn await_roundtrip_pyo3_async_runtimes(py: Python<'_>, n: usize) {
    let asyncio = py.import("asyncio").unwrap();
    let locals = pycall::pyo3_async_runtimes::TaskLocals::new(pycall::event_loop(py).unwrap());
    let run = || -> PyResult<Py<PyAny>> {
        let sleep = asyncio.call_method1(pycall::pyo3::intern!(py, "sleep"), (0, 1))?;
        let future = pycall::pyo3_async_runtimes::into_future_with_locals(&locals, sleep)?;
        py.detach(|| futures::executor::block_on(future))
    };
    check(
        "await_roundtrip_pyo3_async_runtimes",
        run().and_then(|v| v.extract::<i64>(py)),
        1,
    );
    for _ in 0..n {
        black_box(run().unwrap());
    }
}

/// CPython awaiting `asyncio.sleep(0)` in a loop of its own, inside one coroutine (per await).
fn await_roundtrip_cpython(py: Python<'_>, n: usize) {
    let f = cpython(
        py,
        &std::ffi::CString::new(include_str!("await_roundtrip.py")).unwrap(),
    );
    check(
        "await_roundtrip.cpython",
        f.call1((100,)).and_then(|r| r.extract::<usize>()),
        100,
    );
    black_box(f.call1((n,)).unwrap());
}

const WORKLOADS: &[(&str, Run)] = &[
    ("math_sqrt", math_sqrt),
    ("math_sqrt.cpython", math_sqrt_cpython),
    ("sorted_key", sorted_key),
    ("sorted_key.cpython", sorted_key_cpython),
    ("arithmetic", arithmetic),
    ("arithmetic.cpython", arithmetic_cpython),
    ("comprehension", comprehension),
    ("comprehension.cpython", comprehension_cpython),
    ("dict_item", dict_item),
    ("dict_item.cpython", dict_item_cpython),
    ("list_index", list_index),
    ("list_index.cpython", list_index_cpython),
    ("fstring", fstring),
    ("fstring.cpython", fstring_cpython),
    ("method_keyword", method_keyword),
    ("method_keyword.cpython", method_keyword_cpython),
    ("block_loop", block_loop),
    ("block_loop.cpython", block_loop_cpython),
    ("get_len", get_len),
    ("get_len.cpython", get_len_cpython),
    ("class_instance", class_instance),
    ("class_instance.cpython", class_instance_cpython),
    ("lru_cache_hit", lru_cache_hit),
    ("lru_cache_hit.cpython", lru_cache_hit_cpython),
    ("match_shapes", match_shapes),
    ("match_shapes.cpython", match_shapes_cpython),
    ("generator_pipeline", generator_pipeline),
    ("generator_pipeline.cpython", generator_pipeline_cpython),
    ("async_await", async_await),
    ("async_await.cpython", async_await_cpython),
    ("await_roundtrip", await_roundtrip),
    ("await_roundtrip.cpython", await_roundtrip_cpython),
    (
        "await_roundtrip_pyo3_async_runtimes",
        await_roundtrip_pyo3_async_runtimes,
    ),
];

fn main() {
    // `cargo bench` passes `--bench`; the arguments that matter are the others.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--list") {
        for (name, _) in WORKLOADS {
            println!("{name}");
        }
        return;
    }
    let [name, iterations] = args.as_slice() else {
        eprintln!("usage: instructions WORKLOAD ITERATIONS (or --list)");
        std::process::exit(2);
    };
    let Some((_, run)) = WORKLOADS.iter().find(|(n, _)| n == name) else {
        eprintln!("no workload {name}; --list shows them");
        std::process::exit(2);
    };
    let n: usize = iterations.parse().expect("ITERATIONS is a number");
    Python::attach(|py| run(py, n));
}
