//! A lambda's parameter list, checked as CPython checks a function definition.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(lambda x, x: 1);
        let _ = py!(lambda a=1, b: 2);
        let _ = py!(lambda *: 1);
        let _ = py!(lambda *a, *b: 1);
        let _ = py!(lambda **k, a: 1);
        let _ = py!(lambda **k=1: 1);
        let _ = py!(lambda *a=1: 1);
        let _ = py!(lambda a, *, b, /: 1);
        let _ = py!(lambda 1: 2);
        let _ = py!(lambda if: 2);
        let _ = py!(lambda x:);
        let _ = py!(lambda x);
    });
}
