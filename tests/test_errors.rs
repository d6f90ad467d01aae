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

/// Python's own `traceback` module, as an application's error handler or `logging` uses it.
fn formatted(py: Python<'_>, err: &PyErr) -> String {
    let e = err.value(py);
    py! {
        import traceback;
        "".join(traceback.format_exception(type(e), e, e.__traceback__)) as String
    }
    .unwrap()
}

#[test]
fn tracebacks_name_the_rust_file_and_line_on_every_version() {
    Python::attach(|py| {
        let zero = 0_i64;
        let line = line!() + 1;
        let err = py!(10 / / zero).unwrap_err();
        let text = formatted(py, &err);
        let entry = format!("File \"tests/test_errors.rs\", line {line}, in py!(10 // zero)");
        assert!(text.contains(&entry), "{text}");
        // The tests run from the crate's root, so `linecache` finds the Rust line and shows it.
        assert!(
            text.contains("let err = py!(10 / / zero).unwrap_err();"),
            "{text}"
        );
        assert!(text.contains("\nZeroDivisionError: "), "{text}");
        // PyO3's own formatting of the traceback shows the same entry.
        let tb = err.traceback(py).expect("a traceback");
        assert!(tb.format().unwrap().contains(&entry));
    });
}

#[test]
fn the_py_entry_comes_first_and_python_frames_follow() {
    Python::attach(|py| {
        let empty: Vec<f64> = Vec::new();
        let line = line!() + 1;
        let err = py! { import statistics; statistics.mean(empty) }.unwrap_err();
        let text = formatted(py, &err);
        let ours = text
            .find(&format!(
                "File \"tests/test_errors.rs\", line {line}, in py!("
            ))
            .unwrap_or_else(|| panic!("no py! entry in {text}"));
        let theirs = text
            .find("statistics.py\", line ")
            .unwrap_or_else(|| panic!("no statistics.py entry in {text}"));
        assert!(ours < theirs, "the py! call is the outermost entry: {text}");
        assert!(text.contains("StatisticsError"), "{text}");
    });
}

#[test]
fn logging_shows_the_rust_line() {
    Python::attach(|py| {
        let data: Vec<i64> = vec![1, 2];
        let line = line!() + 1;
        let err = py!(data[5]).unwrap_err();
        let e = err.value(py);
        let logged: String = py! {
            import logging;
            logging.Formatter().formatException((type(e), e, e.__traceback__)) as String
        }
        .unwrap();
        assert!(
            logged.contains(&format!(
                "File \"tests/test_errors.rs\", line {line}, in py!(data[5])"
            )),
            "{logged}"
        );
        assert!(
            logged.contains("IndexError: list index out of range"),
            "{logged}"
        );
    });
}

#[test]
fn a_long_source_is_shortened_in_the_entry() {
    Python::attach(|py| {
        let err = py!([
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
        ][99])
        .unwrap_err();
        let text = formatted(py, &err);
        assert!(
            text.contains(
                ", in py!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 1...)\n"
            ),
            "{text}"
        );
        // The note keeps the whole source.
        assert!(notes(py, &err)[0].contains("21, 22][99])"));
    });
}

#[test]
fn a_failed_conversion_names_the_rust_line_and_the_target() {
    Python::attach(|py| {
        let line = line!() + 1;
        let err = py!("abc".upper() as f64).unwrap_err();
        let text = formatted(py, &err);
        assert!(
            text.contains(&format!(
                "File \"tests/test_errors.rs\", line {line}, in py!(\"abc\".upper() as f64)"
            )),
            "{text}"
        );
        assert!(text.contains("TypeError"), "{text}");
        // An error of the body of a `py!(… as T)` names the target too.
        let zero = 0;
        let line = line!() + 1;
        let err = py!(1 / zero as i64).unwrap_err();
        let entry = format!("File \"tests/test_errors.rs\", line {line}, in py!(1 / zero as i64)");
        assert!(formatted(py, &err).contains(&entry));
    });
}
