//! Statements in `py!` blocks: Python's rules, with blocks in braces and `;` between
//! statements.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(break);
        let _ = py!(if True { continue });
        let _ = py!(x = 1; 2 = x);
        let _ = py!(f() = 1);
        let _ = py!(a, b += 1);
        let _ = py!(import);
        let _ = py!(from math import);
        let _ = py!(from . import x);
        let _ = py!(from math import *);
        let _ = py!(if True pass);
        let _ = py!(for x in { pass });
        let _ = py!(while { pass });
        let _ = py!(x = 1 import math);
        let _ = py!(x = 1 as i64);
        let _ = py!(del 1);
        let _ = py!(else { pass });
        let _ = py!(class { pass });
        let _ = py!(def f(x: ) { pass });
        let _ = py!(def f() { break });
        let _ = py!(try { pass });
        let _ = py!(raise);
        let _ = py!(try { pass } except { pass } except ValueError { pass });
        let _ = py!(with { pass });
        let _ = py!(finally { pass });
    });
}
