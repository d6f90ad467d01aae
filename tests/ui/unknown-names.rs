//! A name that is neither builtin nor bound is a Rust name, so rustc reports it; so is a `py!`
//! with no `py: Python<'_>` in scope.

use pycall::prelude::*;

fn without_token() {
    let _ = py!(1 + 1);
}

fn main() {
    Python::attach(|py| {
        let _ = py!(undefined_name + 1);
        let _ = py!([x for x in range(3)] + [x]);
    });
    without_token();
}
