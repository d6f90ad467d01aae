//! Ctrl-C during a long `py!` loop comes back as a `KeyboardInterrupt` `PyErr` naming the `py!`.
//!
//! CPython runs signal handlers on the main thread only, so this test is a program of its own
//! (`harness = false`). An embedded interpreter (PyO3 starts it without Python's signal
//! handlers) lets a program choose what Ctrl-C does; this one installs Python's
//! `default_int_handler`, as a program that wants `KeyboardInterrupt` would.

mod common;

use pycall::prelude::*;
use std::time::{Duration, Instant};

fn interrupt_after(delay: Duration) {
    let pid = std::process::id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let status = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success());
    });
}

fn main() {
    // A loop that ignored signals would run for hours; fail instead.
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(60));
        eprintln!("FAILED: a loop was not interrupted within 60 s");
        std::process::exit(1);
    });
    Python::attach(|py: Python<'_>| {
        py! {
            import signal;
            signal.signal(signal.SIGINT, signal.default_int_handler)
        }
        .unwrap();
        let huge = 10_i64.pow(15);
        type Case<'a, 'py> = &'a dyn Fn() -> PyResult<Bound<'py, PyAny>>;
        let cases: [(&str, Case<'_, '_>); 5] = [
            ("while", &|| py! { n = 0; while True { n += 1 } }),
            ("for", &|| py! { n = 0; for i in range(huge) { n += 1 } }),
            ("comprehension", &|| py!([0 for i in range(huge) if i < 0])),
            ("generator", &|| py!(sum(1 for i in range(huge)))),
            // Short nested loops: the count of iterations is shared, so they are checked too.
            ("nested short loops", &|| {
                py! {
                    n = 0;
                    for a in range(60) { for b in range(60) { for c in range(60) { for d in range(60) {
                        for e in range(60) { n += 1 }
                    } } } }
                }
            }),
        ];
        for (what, run) in cases {
            let start = Instant::now();
            interrupt_after(Duration::from_millis(300));
            let err = run().expect_err("interrupted");
            let took = start.elapsed();
            assert!(
                err.is_instance_of::<pycall::pyo3::exceptions::PyKeyboardInterrupt>(py),
                "{what}: {err}"
            );
            let notes = common::notes(py, &err);
            assert!(notes[0].starts_with("in py!("), "{what}: {notes:?}");
            assert!(took < Duration::from_secs(10), "{what} took {took:?}");
            println!("{what}: KeyboardInterrupt after {took:?} ({})", notes[0]);
        }
    });
    println!("test result: ok. 5 loops interrupted");
}
