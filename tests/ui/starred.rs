//! `*` and `**` unpacking where Python does not allow it.

use pycall::prelude::*;

fn main() {
    Python::attach(|py| {
        let _ = py!(*a);
        let _ = py!((*a));
        let _ = py!(*a + 1);
        let _ = py!([*a for a in b]);
        let _ = py!({*a for a in b});
        let _ = py!({**a for a in b});
        let _ = py!(**a);
        let _ = py!({**});
        let _ = py!(x = *a);
    });
}
