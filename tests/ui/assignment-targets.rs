//! What `:=` and a comprehension's `for` can and cannot assign to.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!((1 := 2));
        let _ = py!((a.b := 1));
        let _ = py!((a[0] := 1));
        let _ = py!((f() := 1));
        let _ = py!((None := 1));
        let _ = py!((x :=));
        let _ = py!([x for 1 in y]);
        let _ = py!([x for f() in y]);
        let _ = py!([x for *a in y]);
        let _ = py!([x for *a, *b in y]);
    });
}
