//! Benchmark: `py!` against hand-written PyO3, `py.eval` of the same source, and the same
//! expression compiled once as a Python function, in one run.
//!
//! Each workload is a criterion group with four functions that compute the same value from the
//! same inputs and extract it to the same Rust type:
//!
//! - `py_macro`: `py!(EXPR as T)`;
//! - `hand_pyo3`: what a careful PyO3 0.30 user writes in a library function
//!   (`benches/common/hand.rs`, shared with the instruction-count benchmark);
//! - `py_eval`: `py.eval` of the source each iteration, inputs set in its globals;
//! - `py_function`: a `lambda` of the inputs made once by `py.eval`, called with them.
//!
//! Rust inputs are converted to Python in every iteration by all four ways, as `py!` does: in
//! `a * b + c ** 2 > d and e in f`, `f` is a `Vec<i64>` that becomes a new Python list each
//! time (the comparison is true, so `e in f` runs).
//!
//! `python3 benches/ratios.py` prints the table of results afterwards.

#[path = "common/hand.rs"]
mod hand;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use pycall::prelude::*;
use pycall::pyo3::intern;
use pycall::pyo3::sync::PyOnceLock;
use pycall::pyo3::types::{PyDict, PyList, PyModule};
use std::ffi::CStr;
use std::fmt::Debug;
use std::hint::black_box;
use std::time::Duration;

/// One workload: a criterion group whose ways must all agree on the result.
struct Workload<'c, T> {
    name: &'static str,
    group: BenchmarkGroup<'c, WallTime>,
    expected: T,
}

impl<'c, T: PartialEq + Debug> Workload<'c, T> {
    fn new(c: &'c mut Criterion, name: &'static str, expected: T) -> Self {
        Workload {
            name,
            group: c.benchmark_group(name),
            expected,
        }
    }

    /// Checks that `way` computes the expected value, then measures it.
    fn way(&mut self, id: &str, way: impl Fn() -> PyResult<T>) {
        let got = way().unwrap_or_else(|e| panic!("{}/{id} raised {e}", self.name));
        assert_eq!(got, self.expected, "{}/{id} disagrees", self.name);
        self.group
            .bench_function(id, |b| b.iter(|| black_box(way().unwrap())));
    }

    fn finish(self) {
        self.group.finish();
    }
}

/// The source evaluated by `py_eval`, with its inputs (set in the globals each iteration).
fn eval<'py>(
    py: Python<'py>,
    globals: &Bound<'py, PyDict>,
    source: &CStr,
) -> PyResult<Bound<'py, PyAny>> {
    py.eval(source, Some(globals), None)
}

/// A Python function made once from `lambda …: EXPR`.
fn compile<'py>(py: Python<'py>, lambda: &CStr) -> Bound<'py, PyAny> {
    py.eval(lambda, Some(&PyDict::new(py)), None)
        .expect("the lambda compiles")
}

fn math_sqrt(c: &mut Criterion, py: Python<'_>) {
    let math = py.import("math").unwrap();
    let x = 2.0_f64;
    let mut group = Workload::new(c, "math_sqrt", 2.0_f64.sqrt());

    group.way("py_macro", || {
        let x = black_box(x);
        py!(math.sqrt(x) as f64)
    });

    group.way("hand_pyo3", || hand::math_sqrt(&math, black_box(x)));

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        globals.set_item(intern!(py, "math"), &math)?;
        globals.set_item(intern!(py, "x"), black_box(x))?;
        eval(py, &globals, c"math.sqrt(x)")?.extract()
    });

    let f = compile(py, c"lambda math, x: math.sqrt(x)");
    group.way("py_function", || f.call1((&math, black_box(x)))?.extract());
    group.finish();
}

fn sorted_words(c: &mut Criterion, py: Python<'_>) {
    let words = vec![
        "pear",
        "fig",
        "banana",
        "kiwi",
        "apple",
        "plum",
        "cherry",
        "watermelon",
    ];
    let mut group = Workload::new(c, "sorted_words", "watermelon".to_owned());

    group.way("py_macro", || {
        let words = black_box(&words);
        py!(sorted(words, key = len, reverse = True)[0] as String)
    });

    group.way("hand_pyo3", || hand::sorted_key(py, black_box(&words)));

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        globals.set_item(intern!(py, "words"), black_box(&words))?;
        eval(py, &globals, c"sorted(words, key=len, reverse=True)[0]")?.extract()
    });

    let f = compile(py, c"lambda words: sorted(words, key=len, reverse=True)[0]");
    group.way("py_function", || f.call1((black_box(&words),))?.extract());
    group.finish();
}

fn arithmetic(c: &mut Criterion, py: Python<'_>) {
    let (a, b, c_, d, e) = (3_i64, 4_i64, 5_i64, 30_i64, 7_i64);
    let f: Vec<i64> = vec![1, 3, 5, 7, 9, 11, 13, 15];
    let mut group = Workload::new(c, "arith_compare_in", true);

    group.way("py_macro", || {
        let (a, b, c, d, e) = black_box((a, b, c_, d, e));
        let f = black_box(&f);
        py!(a * b + c ** 2 > d and e in f as bool)
    });

    group.way("hand_pyo3", || {
        hand::arithmetic(py, black_box((a, b, c_, d, e)), black_box(&f))
    });

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        let (a, b, c, d, e) = black_box((a, b, c_, d, e));
        globals.set_item(intern!(py, "a"), a)?;
        globals.set_item(intern!(py, "b"), b)?;
        globals.set_item(intern!(py, "c"), c)?;
        globals.set_item(intern!(py, "d"), d)?;
        globals.set_item(intern!(py, "e"), e)?;
        globals.set_item(intern!(py, "f"), black_box(&f))?;
        eval(py, &globals, c"a * b + c ** 2 > d and e in f")?.extract()
    });

    let func = compile(
        py,
        c"lambda a, b, c, d, e, f: a * b + c ** 2 > d and e in f",
    );
    group.way("py_function", || {
        let (a, b, c, d, e) = black_box((a, b, c_, d, e));
        func.call1((a, b, c, d, e, black_box(&f)))?.extract()
    });
    group.finish();
}

fn list_comprehension(c: &mut Criterion, py: Python<'_>) {
    let n = 100_i64;
    let expected: Vec<i64> = (0..n).filter(|i| i % 3 == 0).map(|i| i * i).collect();
    let mut group = Workload::new(c, "list_comprehension", expected);

    group.way("py_macro", || {
        let n = black_box(n);
        py!([i * i for i in range(n) if i % 3 == 0] as Vec<i64>)
    });

    group.way("hand_pyo3", || hand::comprehension(py, black_box(n)));

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        globals.set_item(intern!(py, "n"), black_box(n))?;
        eval(py, &globals, c"[i * i for i in range(n) if i % 3 == 0]")?.extract()
    });

    let f = compile(py, c"lambda n: [i * i for i in range(n) if i % 3 == 0]");
    group.way("py_function", || f.call1((black_box(n),))?.extract());
    group.finish();
}

fn dict_subscript(c: &mut Criterion, py: Python<'_>) {
    let table = PyDict::new(py);
    for (k, v) in [("alpha", 1), ("key", 41), ("beta", 2), ("gamma", 3)] {
        table.set_item(k, v).unwrap();
    }
    let mut group = Workload::new(c, "dict_subscript", 42_i64);

    group.way("py_macro", || py!(table["key"] + 1 as i64));

    group.way("hand_pyo3", || hand::dict_item(&table));

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        globals.set_item(intern!(py, "table"), &table)?;
        eval(py, &globals, cr#"table["key"] + 1"#)?.extract()
    });

    let f = compile(py, cr#"lambda table: table["key"] + 1"#);
    group.way("py_function", || f.call1((&table,))?.extract());
    group.finish();
}

fn list_index(c: &mut Criterion, py: Python<'_>) {
    let words = PyList::new(
        py,
        [
            "pear",
            "fig",
            "banana",
            "kiwi",
            "apple",
            "plum",
            "cherry",
            "watermelon",
        ],
    )
    .unwrap();
    let word = "plum";
    let mut group = Workload::new(c, "list_index", 5_usize);

    group.way("py_macro", || {
        let w = black_box(word);
        py!(words.index(w) as usize)
    });

    group.way("hand_pyo3", || hand::list_index(&words, black_box(word)));

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        globals.set_item(intern!(py, "words"), &words)?;
        globals.set_item(intern!(py, "w"), black_box(word))?;
        eval(py, &globals, c"words.index(w)")?.extract()
    });

    let f = compile(py, c"lambda words, w: words.index(w)");
    group.way("py_function", || {
        f.call1((&words, black_box(word)))?.extract()
    });
    group.finish();
}

fn block_import_loop_fstring(c: &mut Criterion, py: Python<'_>) {
    let values: Vec<f64> = vec![
        4.0, -1.5, 2.25, 9.0, 0.0, 16.5, -3.0, 7.75, 1.0, 12.0, -0.25, 5.5, 3.0, 25.0, -8.0, 0.5,
        10.0, 6.25, -2.0, 11.0,
    ];
    let total: f64 = values.iter().filter(|&&v| v > 0.0).map(|v| v.sqrt()).sum();
    let mut group = Workload::new(c, "block_import_loop_fstring", format!("{total:.3}"));

    group.way("py_macro", || {
        let values = black_box(&values);
        py! {
            import math;
            total = 0.0;
            for v in values { if v > 0 { total += math.sqrt(v) } }
            f "{total:.3f}" as String
        }
    });

    fn hand(py: Python<'_>, values: &[f64]) -> PyResult<String> {
        // The module is cached; `math.sqrt` is looked up at each call, as Python does.
        static MATH: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
        static FORMAT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let math = MATH
            .get_or_try_init(py, || py.import("math").map(Bound::unbind))?
            .bind(py);
        let format = FORMAT.import(py, "builtins", "format")?;
        // The loop's constants are made once per call, as a careful hand would do.
        let (zero, sqrt) = (0_i64.into_pyobject(py)?, intern!(py, "sqrt"));
        // The additions are on Python floats, as in the block.
        let mut total = 0.0_f64.into_pyobject(py)?.into_any();
        for v in PyList::new(py, values)?.iter() {
            if v.gt(&zero)? {
                total = total.add(math.call_method1(sqrt, (v,))?)?;
            }
        }
        format.call1((total, intern!(py, ".3f")))?.extract()
    }
    group.way("hand_pyo3", || hand(py, black_box(&values)));

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        globals.set_item(intern!(py, "values"), black_box(&values))?;
        py.run(
            c"import math
total = 0.0
for v in values:
    if v > 0:
        total += math.sqrt(v)
",
            Some(&globals),
            None,
        )?;
        eval(py, &globals, cr#"f"{total:.3f}""#)?.extract()
    });

    let module = PyDict::new(py);
    py.run(
        c"def f(values):
    import math
    total = 0.0
    for v in values:
        if v > 0:
            total += math.sqrt(v)
    return f'{total:.3f}'
",
        Some(&module),
        None,
    )
    .expect("the function compiles");
    let f = module.get_item("f").unwrap().expect("f is defined");
    group.way("py_function", || f.call1((black_box(&values),))?.extract());
    group.finish();
}

/// A `#[derive(Class)]` struct for the field-read workload.
#[derive(pycall::Class)]
struct Account {
    owner: String,
    balance: i64,
}

/// `acct.balance` on a `Bound<Account>`: `py!` reads the field through the cell, without
/// Python attribute lookup. Beside the usual four ways: `py_macro_lookup` is `py!` on the same
/// object as a `Bound<PyAny>` (the ordinary Python path), `rust_borrow` is the floor (a Rust
/// borrow of the field, no Python object made).
fn class_field(c: &mut Criterion, py: Python<'_>) {
    let acct = Bound::new(
        py,
        Account {
            owner: "ann".into(),
            balance: 1234,
        },
    )
    .unwrap();
    assert_eq!(acct.borrow().owner, "ann");
    let mut group = Workload::new(c, "class_field", 1234_i64);

    group.way("py_macro", || {
        let acct = black_box(&acct);
        py!(acct.balance as i64)
    });

    let obj = acct.as_any().clone();
    group.way("py_macro_lookup", || {
        let obj = black_box(&obj);
        py!(obj.balance as i64)
    });

    fn hand(acct: &Bound<'_, Account>) -> PyResult<i64> {
        acct.getattr(intern!(acct.py(), "balance"))?.extract()
    }
    group.way("hand_pyo3", || hand(black_box(&acct)));

    group.way("rust_borrow", || Ok(black_box(&acct).try_borrow()?.balance));

    let globals = PyDict::new(py);
    group.way("py_eval", || {
        globals.set_item(intern!(py, "acct"), black_box(&acct))?;
        eval(py, &globals, c"acct.balance")?.extract()
    });

    let f = compile(py, c"lambda acct: acct.balance");
    group.way("py_function", || f.call1((black_box(&acct),))?.extract());
    group.finish();
}

fn versus_pyo3(c: &mut Criterion) {
    Python::attach(|py| {
        math_sqrt(c, py);
        sorted_words(c, py);
        arithmetic(c, py);
        list_comprehension(c, py);
        dict_subscript(c, py);
        list_index(c, py);
        block_import_loop_fstring(c, py);
        class_field(c, py);
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = versus_pyo3
}
criterion_main!(benches);
