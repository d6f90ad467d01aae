//! A comprehension's clauses with a part missing.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!([x for in y]);
        let _ = py!([x for x y]);
        let _ = py!([x for x in]);
        let _ = py!([x for x in y if]);
        let _ = py!(x for x in y);
    });
}
