//! Behaviour: Python exceptions and failed conversions come back as `PyErr`s that name the
//! `py!` they came from; nothing panics.

use pycall::prelude::*;
use pycall::pyo3::exceptions::{PyOverflowError, PyTypeError, PyZeroDivisionError};

fn notes(py: Python<'_>, err: &PyErr) -> Vec<String> {
    match err.value(py).getattr("__notes__") {
        Ok(notes) => notes.extract().unwrap(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn exception_keeps_its_type_and_names_the_macro() {
    Python::attach(|py| {
        let zero = 0_i64;
        let line = line!() + 1;
        let err = py!(10 / / zero + 1).unwrap_err();
        assert!(err.is_instance_of::<PyZeroDivisionError>(py));
        let notes = notes(py, &err);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("py!(10 // zero + 1)"), "{notes:?}");
        assert!(
            notes[0].contains(&format!("tests/test_errors.rs:{line}:")),
            "{notes:?}"
        );
    });
}

#[test]
fn exception_raised_inside_a_lambda_and_a_comprehension() {
    Python::attach(|py| {
        let err = py!([(lambda v: 1 / v)(i) for i in range(-2, 3)]).unwrap_err();
        assert!(err.is_instance_of::<PyZeroDivisionError>(py));
        assert!(notes(py, &err)[0].contains("py!([(lambda v: 1 / v)(i) for i in range(-2, 3)])"));
        let err = py!(sum(1 / (i - 2) for i in range(5))).unwrap_err();
        assert!(err.is_instance_of::<PyZeroDivisionError>(py));
    });
}

#[test]
fn failed_conversion_says_what_it_got_and_wanted() {
    Python::attach(|py| {
        let err = py!("abc".upper() as f64).unwrap_err();
        assert!(err.is_instance_of::<PyTypeError>(py));
        let note = &notes(py, &err)[0];
        assert!(note.contains("py!(\"abc\".upper())"), "{note}");
        assert!(note.contains("`str` ('ABC')"), "{note}");
        assert!(note.contains("Rust type `f64`"), "{note}");

        let err = py!(2 * *100 as i64).unwrap_err();
        assert!(err.is_instance_of::<PyOverflowError>(py));
        assert!(notes(py, &err)[0].contains("`i64`"));

        let err = py!(None as i64).unwrap_err();
        assert!(notes(py, &err)[0].contains("`NoneType` (None)"));

        let err = py!([1, "two"] as Vec<i64>).unwrap_err();
        assert!(
            notes(py, &err)[0].contains("Vec < i64 >") || notes(py, &err)[0].contains("Vec<i64>")
        );
    });
}

#[test]
fn errors_display_through_pyo3() {
    Python::attach(|py| {
        let err = py!({"a": 1}["b"]).unwrap_err();
        assert_eq!(err.to_string(), "KeyError: 'b'");
        assert_eq!(err.get_type(py).name().unwrap(), "KeyError");
    });
}

#[test]
fn unbound_walrus_target_is_a_name_error() {
    Python::attach(|py| {
        let err = py!(([(w := i) for i in range(3) if i > 5], w)).unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "NameError");
    });
}
