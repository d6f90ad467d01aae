//! `as T` after an error: the stand-in has the declared type, so the error is the only one
//! reported, whatever Python `as` (`import m as n`, `except E as e`) comes before it.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        // The block parses and fails a later check: the `as T` it parsed.
        let _: i64 = py!(import math as m; break; m.floor(2.5) as i64).unwrap();
        // The block does not parse: the last `as` followed by a Rust type.
        let _: f64 = py!(import math as m; m.floor(2.5) + as f64).unwrap();
        let _: String = py!(try { x = 1 } except ValueError as e { pass } x + as String).unwrap();
        let _: i64 = py!(1 + as <i64 as ::core::ops::Add>::Output).unwrap();
    });
}
