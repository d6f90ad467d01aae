//! The order and form of a call's arguments, in CPython's words.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(print(sep="", 1));
        let _ = py!(dict(key=1, key=2));
        let _ = py!(print(**{}, 1));
        let _ = py!(print(**{}, *[]));
        let _ = py!(sum(x for x in [1], 0));
        let _ = py!(max(0, x for x in [1]));
        let _ = py!(dict(a.b=1));
        let _ = py!(dict(1=2));
        let _ = py!(dict(True=1));
        let _ = py!(dict(x=));
        let _ = py!(print(1 2));
        let _ = py!(print(*));
        let _ = py!(print(,));
    });
}
