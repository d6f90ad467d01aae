//! Behaviour: `py!(… as T)` into Rust structs with PyO3's own `FromPyObject` derive.

mod common;

use pycall::prelude::*;

#[derive(FromPyObject, Debug, PartialEq)]
#[pyo3(crate = "pycall::pyo3")]
struct Point {
    x: f64,
    y: f64,
}

#[derive(FromPyObject, Debug, PartialEq)]
#[pyo3(crate = "pycall::pyo3", from_item_all)]
struct Response {
    status: i64,
    body: String,
}

#[test]
fn structs_fill_from_attributes_or_items() {
    Python::attach(|py| {
        let err = py!(3 as Point).unwrap_err();
        assert_eq!(err.get_type(py).name().unwrap(), "AttributeError");
        let p: Point = py! {
            from types import SimpleNamespace;
            SimpleNamespace(x=1.5, y=-2.0) as Point
        }
        .unwrap();
        assert_eq!(p, Point { x: 1.5, y: -2.0 });
        let r: Response = py!({"status": 200, "body": "ok"} as Response).unwrap();
        assert_eq!(
            r,
            Response {
                status: 200,
                body: "ok".into()
            }
        );
    });
}

#[test]
fn a_missing_field_names_itself_and_the_macro() {
    Python::attach(|py| {
        let err = py!({"status": 404} as Response).unwrap_err();
        // PyO3's derive reports the missing key (or attribute) itself…
        assert_eq!(err.to_string(), "KeyError: 'body'");
        // …and py! adds which macro and which Rust type.
        let notes = common::notes(py, &err);
        assert!(notes[0].contains("py!({\"status\": 404})"), "{notes:?}");
        assert!(notes[0].contains("`Response`"), "{notes:?}");
    });
}
