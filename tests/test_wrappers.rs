//! `pycall::wrap!`: typed wrappers of Python classes and modules.

mod common;

use pycall::prelude::*;

pycall::wrap! {
    /// Python's `fractions.Fraction`.
    #[pycall(class = "fractions.Fraction")]
    pub struct Fraction;

    impl Fraction {
        /// `Fraction(numerator, denominator)`.
        #[pycall(new)]
        pub fn new(numerator: i64, denominator: i64) -> Fraction;
        /// `Fraction.from_float(x)`, a class method.
        pub fn from_float(x: f64) -> Fraction;
        pub fn limit_denominator(&self, max_denominator: i64) -> Fraction;
        #[pycall(getter)]
        pub fn numerator(&self) -> i64;
        #[pycall(getter)]
        pub fn denominator(&self) -> i64;
        #[pycall(name = "__add__")]
        pub fn plus(&self, other: &Fraction) -> Fraction;
        pub fn as_integer_ratio(&self) -> (i64, i64);
    }
}

pycall::wrap! {
    /// Python's `json` module.
    #[pycall(module = "json")]
    pub struct Json;

    impl Json {
        pub fn dumps(&self, obj: Bound<'py, PyAny>, #[pycall(keyword)] sort_keys: bool, #[pycall(keyword)] indent: Option<i64>) -> String;
        pub fn loads(&self, s: &str) -> Bound<'py, PyAny>;
        /// A module function called without an instance: the module is imported once and cached.
        #[pycall(name = "dumps")]
        pub fn dumps_now(obj: Vec<i64>) -> String;
    }
}

pycall::wrap! {
    /// Parameters may be named like pycall's own locals (`py` in a `&self` method, `__v`);
    /// attributes other than pycall's carry over.
    #[pycall(module = "builtins")]
    #[must_use]
    pub struct Builtins;

    impl Builtins {
        pub fn max(&self, py: i64, __v: i64) -> i64;
        #[cfg(any())]
        pub fn never_compiled(&self, x: NoSuchType) -> NoSuchType;
        #[deprecated(note = "use max")]
        #[pycall(name = "max")]
        pub fn old_max(&self, a: i64, b: i64) -> i64;
    }
}

#[test]
fn wrapper_parameters_are_hygienic_and_attributes_carry_over() {
    Python::attach(|py| -> PyResult<()> {
        let builtins = Builtins::import(py)?;
        assert_eq!(builtins.max(3, 9)?, 9);
        #[allow(deprecated)]
        let old = builtins.old_max(4, 2)?;
        assert_eq!(old, 4);
        // A module wrapper converts only from its own module.
        let err = py!(3 as Json).unwrap_err();
        assert!(
            err.to_string()
                .contains("expected the module `json`, got an object of type `int`"),
            "{err}"
        );
        let math = py.import("math")?;
        assert!(py!(math as Json).is_err());
        let json = py.import("json")?;
        assert!(py!(json as Json).is_ok());
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_class_wrapper_calls_and_converts() {
    Python::attach(|py| -> PyResult<()> {
        let pi = Fraction::from_float(py, std::f64::consts::PI)?;
        let approx = pi.limit_denominator(1000)?;
        assert_eq!((approx.numerator()?, approx.denominator()?), (355, 113));
        let half = Fraction::new(py, 1, 2)?;
        let third = Fraction::new(py, 1, 3)?;
        let total = half.plus(&third)?;
        assert_eq!(total.as_integer_ratio()?, (5, 6));
        assert_eq!(total.to_string(), "5/6");
        // A wrapper goes into py! by name, and comes back out with `as`.
        let doubled: Fraction = py!(total * 2 as Fraction)?;
        assert_eq!(doubled.to_string(), "5/3");
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_module_wrapper_passes_keywords_and_leaves_out_none() {
    Python::attach(|py| -> PyResult<()> {
        let json = Json::import(py)?;
        let obj = py!({"b": 1, "a": [1, 2]})?;
        assert_eq!(
            json.dumps(obj.clone(), true, None)?,
            r#"{"a": [1, 2], "b": 1}"#
        );
        assert_eq!(
            json.dumps(obj, true, Some(1))?,
            "{\n \"a\": [\n  1,\n  2\n ],\n \"b\": 1\n}"
        );
        let back = json.loads(r#"{"x": 3}"#)?;
        let x: i64 = py!(back["x"] as i64)?;
        assert_eq!(x, 3);
        assert_eq!(Json::dumps_now(py, vec![1, 2])?, "[1, 2]");
        Ok(())
    })
    .unwrap();
}

#[test]
fn wrong_objects_and_python_errors_are_errors() {
    Python::attach(|py| {
        // Extraction checks the class.
        let err = py!(3 as Fraction).unwrap_err();
        assert!(err.is_instance_of::<pycall::pyo3::exceptions::PyTypeError>(py));
        assert!(
            err.to_string()
                .contains("expected an instance of `fractions.Fraction`, got `int`"),
            "{err}"
        );
        // A Python exception inside a wrapper method comes back with a note naming the method.
        let line = line!() + 1;
        let err = Fraction::new(py, 1, 0).unwrap_err();
        assert!(err.is_instance_of::<pycall::pyo3::exceptions::PyZeroDivisionError>(py));
        let notes = common::notes(py, &err);
        assert_eq!(notes, ["in Fraction.new (a pycall::wrap! method)"]);
        // ...and a traceback entry for the Rust line that called it, on every version, before
        // the entries of `fractions.py`.
        let traceback = err.traceback(py).unwrap().format().unwrap();
        let ours = traceback
            .find(&format!(
                "File \"tests/test_wrappers.rs\", line {line}, in Fraction.new"
            ))
            .unwrap_or_else(|| panic!("{traceback}"));
        assert!(
            ours < traceback.find("fractions.py").unwrap(),
            "{traceback}"
        );
        // A result of the wrong type is a conversion error, not a panic.
        let json = Json::import(py).unwrap();
        let err = json
            .loads("[1]")
            .and_then(|v| v.extract::<i64>())
            .unwrap_err();
        assert!(err.is_instance_of::<pycall::pyo3::exceptions::PyTypeError>(py));
    });
}
