//! Elements of tuples, lists, sets, dicts and subscripts, and the commas between them.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!([1 2]);
        let _ = py!((1 2));
        let _ = py!({1 2});
        let _ = py!({1: });
        let _ = py!({1: 2, 3});
        let _ = py!({1, 2: 3});
        let _ = py!([,]);
        let _ = py!([1][]);
        let _ = py!([1][0,,1]);
        let _ = py!(1 2);
        let _ = py!(1,,);
        let _ = py!({w := 1: 2});
    });
}
