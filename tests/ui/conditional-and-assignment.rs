//! `a if b else c` with a part missing, and `=` where Python wants an expression.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(1 if True);
        let _ = py!(1 if else 2);
        let _ = py!(1 if True else);
        let _ = py!(1 = x);
        let _ = py!(1 not);
    });
}
