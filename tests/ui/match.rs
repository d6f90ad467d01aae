//! `match`: what CPython's parser and compiler refuse in a `match` statement, at the token.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        // Only the last case, or a guarded one, may match anything.
        let _ = py!(match 1 { case x { pass } case 2 { pass } });
        let _ = py!(match 1 { case _ { pass } case 2 { pass } });
        let _ = py!(match 1 { case 1 | y { pass } case 2 { pass } });
        let _ = py!(match 1 { case x if x { pass } case _ { pass } });
        // A name is captured once per pattern; alternatives capture the same names.
        let _ = py!(match (1, 2) { case [a, a] { pass } });
        let _ = py!(match 1 { case [a] | (b,) { pass } });
        let _ = py!(match {} { case {"k": 1, "k": 2} { pass } });
        let _ = py!(match {} { case {1: _, True: _} { pass } });
        // Pattern syntax.
        let _ = py!(match 1 { case [*a, *b] { pass } });
        let _ = py!(match 1 { case 1 as _ { pass } });
        let _ = py!(match 1 { case P(x=1, x=2) { pass } });
        let _ = py!(match 1 { case P(x=1, 2) { pass } });
        let _ = py!(match 1 { case {**rest, "k": 1} { pass } });
        let _ = py!(match 1 { case {x: 1} { pass } });
        let _ = py!(match 1 { case 1 + 2 { pass } });
        let _ = py!(match 1 { case *a { pass } });
        let _ = py!(match 1 { pass });
        let _ = py!(match 1 { });
    });
}
