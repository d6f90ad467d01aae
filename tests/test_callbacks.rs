//! Behaviour: Rust closures as Python callables (`pycall::callback`, `pycall::try_callback`).

use pycall::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[test]
fn closures_serve_as_key_functions_and_in_map() {
    Python::attach(|py| {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let by_last = pycall::callback(py, move |(word,): (String,)| {
            counter.fetch_add(1, Ordering::SeqCst);
            word.chars().last()
        })
        .unwrap();
        let words = vec!["pear", "fig", "kiwi"];
        let sorted: Vec<String> = py!(sorted(words, key = by_last) as Vec<String>).unwrap();
        assert_eq!(sorted, ["fig", "kiwi", "pear"]);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        let add = pycall::callback(py, |(a, b): (i64, i64)| a + b).unwrap();
        let sums: Vec<i64> = py!(list(map(add, [1, 2], [10, 20])) as Vec<i64>).unwrap();
        assert_eq!(sums, [11, 22]);
    });
}

#[test]
fn bad_arguments_errors_and_panics_are_python_exceptions() {
    Python::attach(|py| {
        let half = pycall::try_callback(py, |(n,): (i64,)| {
            if n % 2 == 0 {
                Ok(n / 2)
            } else {
                Err(pycall::pyo3::exceptions::PyValueError::new_err("odd"))
            }
        })
        .unwrap();
        assert_eq!(py!(half(8) as i64).unwrap(), 4);
        assert_eq!(py!(half(3)).unwrap_err().to_string(), "ValueError: odd");
        let err = py!(half("x")).unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "TypeError");
        let err = py!(half(1, 2)).unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "TypeError");

        let boom = pycall::callback(py, |(_n,): (i64,)| -> i64 { panic!("boom") }).unwrap();
        // It reaches Rust as a PyErr, not a panic.
        let err = py!(sum(map(boom, [1, 2]))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "RuntimeError: Rust callback panicked: boom"
        );
    });
}
