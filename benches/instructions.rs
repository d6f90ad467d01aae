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

use pycall::prelude::*;
use pycall::pyo3::types::PyDict;
use std::hint::black_box;

/// A workload: its name, and a function that runs its `py!` `n` times.
type Run = fn(Python<'_>, usize);

fn check<T: PartialEq + std::fmt::Debug>(name: &str, got: PyResult<T>, expected: T) {
    let got = got.unwrap_or_else(|e| panic!("{name} raised {e}"));
    assert_eq!(got, expected, "{name} computes the wrong value");
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

const WORKLOADS: &[(&str, Run)] = &[
    ("math_sqrt", math_sqrt),
    ("sorted_key", sorted_key),
    ("arithmetic", arithmetic),
    ("comprehension", comprehension),
    ("dict_item", dict_item),
    ("list_index", list_index),
    ("fstring", fstring),
    ("method_keyword", method_keyword),
    ("block_loop", block_loop),
    ("get_len", get_len),
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
