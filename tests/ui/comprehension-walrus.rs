//! `:=` inside a comprehension: it binds outside, so it may not rebind an iteration variable or
//! appear in an iterable.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!([i := 0 for i in range(3)]);
        let _ = py!([i for i in range(3) if (i := 1)]);
        let _ = py!({k: (k := 1) for k in range(3)});
        let _ = py!([(y := 1) for x, (y, *z) in []]);
        let _ = py!([j for i in range(3) for j in (n := range(3))]);
        let _ = py!([x for x in (w := range(3))]);
        let _ = py!([[(i := 1) for j in range(2)] for i in range(3)]);
    });
}
