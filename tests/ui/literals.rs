//! Numbers and strings Python rejects, and Rust literal forms that are not Python.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(1.e5);
        let _ = py!(2.j);
        let _ = py!(0777);
        let _ = py!(0_7);
        let _ = py!(5u8);
        let _ = py!(1.5f32);
        let _ = py!("a" b"b");
        let _ = py!(b"a" "b" "c");
        let _ = py!(c"x");
        let _ = py!("a"suffix);
        let _ = py!(1if True else 2);
        let _ = py!(0x1j);
        let _ = py!(1_);
        let _ = py!(1__0);
    });
}
