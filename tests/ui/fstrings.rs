//! Malformed f-strings (`f "…"` in `py!`): the error points at the string.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(f "{x");
        let _ = py!(f "x}");
        let _ = py!(f "{}");
        let _ = py!(f "{x!z}");
        let _ = py!(f "{1 +}");
        let _ = py!(f "{x:{y:{z}}}");
        let _ = py!(f"x");
        let _ = py!(f "a" b"b");
    });
}
