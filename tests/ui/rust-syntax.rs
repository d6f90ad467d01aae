//! The Rust pieces of `py!`: the input itself, `as T`, `$name` and `$(expression)`.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!();
        let _ = py!(as);
        let _ = py!(1 as);
        let _ = py!(1 as 5);
        let _ = py!($);
        let _ = py!($());
        let _ = py!($(y . len len ()));
        let _ = py!(1 + await x);
        let _ = py!(yield x);
    });
}
