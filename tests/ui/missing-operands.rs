//! An operator with nothing after it says which operator wanted an operand.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(not);
        let _ = py!(1 +);
        let _ = py!(2 * *);
        let _ = py!(-);
        let _ = py!(1 <);
        let _ = py!(True and);
        let _ = py!(1 + * 2);
        let _ = py!(not in [1]);
        let _ = py!([1 / /]);
        let _ = py!(f(1 |));
    });
}
