//! Behaviour: f-strings (`f "…"` in `py!`) give what CPython's f-strings give.

use pycall::prelude::*;
use pycall::pyo3::types::PyDict;
use std::ffi::CString;

#[test]
fn f_strings_agree_with_cpython() {
    Python::attach(|py| {
        let name = "World";
        let pi = 1.234_567_f64;
        let width = 8_i64;
        let items = vec![1_i64, 2, 3];
        let globals = PyDict::new(py);
        globals.set_item("name", name).unwrap();
        globals.set_item("pi", pi).unwrap();
        globals.set_item("width", width).unwrap();
        globals.set_item("items", &items).unwrap();
        let mut failures = Vec::new();
        macro_rules! case {
            ($python:literal, $result:expr) => {{
                let got: String = $result.unwrap().extract().unwrap();
                let source = CString::new($python).unwrap();
                let want: String = py
                    .eval(&source, Some(&globals), None)
                    .unwrap()
                    .extract()
                    .unwrap();
                if got != want {
                    failures.push(format!("{}: py! gave {got:?}, CPython {want:?}", $python));
                }
            }};
        }
        case!(r#"f"Hello, {name}!""#, py!(f "Hello, {name}!"));
        case!(
            r#"f"{pi:.2f}|{pi:>{width}.3}|{width:#x}""#,
            py!(f "{pi:.2f}|{pi:>{width}.3}|{width:#x}")
        );
        case!(
            r#"f"{name!r} {name!s} {'é'!a}""#,
            py!(f "{name!r} {name!s} {'é'!a}")
        );
        case!(
            r#"f"{{literal}} {len(items) * 2}""#,
            py!(f "{{literal}} {len(items) * 2}")
        );
        case!(r#"f"{width=} {width = }""#, py!(f "{width=} {width = }"));
        case!(r#"f"{width=:>4}""#, py!(f "{width=:>4}"));
        case!(
            r#"f"{ {'a': 1}['a'] } {items[1:]} {7 // 2}""#,
            py!(f "{ {'a': 1}['a'] } {items[1:]} {7 // 2}")
        );
        case!(r#""a" f"{1}" "b""#, py!("a" f "{1}" "b"));
        case!(
            r#"f"{'x' if width > 3 else 'y'}""#,
            py!(f "{'x' if width > 3 else 'y'}")
        );
        case!(
            r#"f"{[f'{i}' for i in items]}""#,
            py!(f "{[f \"{i}\" for i in items]}")
        );
        case!(r#"f"{3.0:{'>'}{width}}""#, py!(f "{3.0:{'>'}{width}}"));
        case!(r#"fr"\d{width}""#, py!(f r"\d{width}"));
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    });
}

#[test]
fn f_strings_in_blocks_and_loops() {
    Python::attach(|py| {
        let words = vec!["pear", "fig"];
        let out: String = py! {
            lines = [];
            for i, w in enumerate(words) { lines.append(f "{i}: {w.upper():<5}|") }
            "\n".join(lines) as String
        }
        .unwrap();
        assert_eq!(out, "0: PEAR |\n1: FIG  |");
    });
}
