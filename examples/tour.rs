//! A tour of `py!`: Rust data in, Python's standard library at work, typed results out.
//!
//! Run it with `cargo run --example tour`.

use pycall::prelude::*;
use pycall::pyo3::types::PyDict;
use std::collections::HashMap;

fn main() -> PyResult<()> {
    Python::attach(|py| {
        // Modules are ordinary Rust bindings; the attribute name `sqrt` is interned once.
        let math = py.import("math")?;
        let statistics = py.import("statistics")?;
        let x = 2.0_f64;
        let root: f64 = py!(math.sqrt(x) as f64)?;
        println!("math.sqrt({x}) = {root}");

        // Rust collections go in by reference; keyword arguments read like Python.
        let words = vec!["pear", "fig", "banana", "kiwi"];
        let longest: String = py!(sorted(words, key = len, reverse = True)[0] as String)?;
        println!("longest word: {longest}");

        // Comprehensions, lambdas and generator expressions, typed on the way out.
        let n = 10;
        let evens: Vec<i64> = py!([i * i for i in range(n) if i % 2 == 0] as Vec<i64>)?;
        println!("even squares below {n}: {evens:?}");
        let by_last: Vec<String> = py!(sorted(words, key=lambda w: w[-1]) as Vec<String>)?;
        println!("sorted by last letter: {by_last:?}");

        // Statistics on Rust numbers, with Python's floor division spelled `/ /`.
        let samples = vec![2.5, 3.5, 1.0, 4.0, 6.5];
        let (mean, spread): (f64, f64) =
            py!((statistics.mean(samples), statistics.pstdev(samples)) as (f64, f64))?;
        let buckets: HashMap<i64, i64> = py!({b: sum(1 for v in samples if v / / 2 == b) for b in range(4)} as HashMap<i64, i64>)?;
        println!("mean {mean:.3}, population std-dev {spread:.3}, buckets of 2: {buckets:?}");

        // Python objects stay Python objects: a dict built in Rust, read and changed by py!.
        let table = PyDict::new(py);
        table.set_item("key", 41)?;
        let answer: i64 = py!(table["key"] + 1 as i64)?;
        py!(table.update(answer = answer, origin = "tour"))?;
        println!("table is now {}", table.repr()?);

        // Exceptions come back as PyErr, naming the py! they came from.
        let zero = 0;
        let err = py!(len(words) / / zero).unwrap_err();
        println!("caught {err}");
        for note in err.value(py).getattr("__notes__")?.try_iter()? {
            println!("  note: {}", note?);
        }
        Ok(())
    })
}
