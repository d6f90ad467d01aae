//! Threads: eight threads attach to the interpreter in turn and run a mix of `py!` on shared
//! and private objects for a bounded time, with Rust work in between run detached
//! (`py.detach`). No deadlock, no crash, every result checked, the shared totals exact; and a
//! detached thread really lets the others run Python meanwhile.

use pycall::prelude::*;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(pycall::Class)]
struct Tally {
    count: u64,
}

const THREADS: usize = 8;

fn watchdog(limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!("FAILED: the thread test did not finish within {limit:?} (deadlock?)");
        std::process::exit(1);
    });
}

/// Rust work that needs no interpreter: a checksum over some numbers.
fn rust_work(seed: u64) -> u64 {
    (0..20_000u64).fold(seed, |acc, i| {
        acc.wrapping_mul(6364136223846793005).wrapping_add(i)
    })
}

/// The increments of the shared objects: a Rust struct behind its cell, and a dict. Each is
/// one `py!` that runs no Python code, so no other thread runs between its read and its write
/// once the call site's constants (the `1`, the `0`) are made. The first evaluation makes them
/// in a `PyOnceLock`, whose initialization lets other threads run (as a Python thread switch
/// between `LOAD_ATTR` and `STORE_ATTR` would): CI saw 8,295 of 8,301 increments counted on
/// 3.9 when eight threads raced to the first one. So the test makes them before the threads
/// start (`warm_up`).
fn increment(tally: &Bound<'_, Tally>, shared: &Bound<'_, PyAny>, key: &str) {
    let py = tally.py();
    py!(tally.count += 1).unwrap();
    py!(shared[key] = shared.get(key, 0) + 1).unwrap();
}

fn warm_up() {
    Python::attach(|py| {
        let tally = Bound::new(py, Tally { count: 0 }).unwrap();
        let shared = py!({}).unwrap();
        increment(&tally, &shared, "warm-up");
        assert_eq!(tally.borrow().count, 1);
    });
}

#[test]
fn eight_threads_share_and_detach() {
    warm_up();
    let seconds: u64 = std::env::var("PYCALL_THREAD_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    watchdog(Duration::from_secs(seconds + 120));
    let (tally, shared) = Python::attach(|py| {
        let tally = Py::new(py, Tally { count: 0 }).unwrap();
        let shared = py!({}).unwrap().unbind();
        (tally, shared)
    });
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (tally, shared) = Python::attach(|py| (tally.clone_ref(py), shared.clone_ref(py)));
            std::thread::spawn(move || {
                let mut rounds = 0u64;
                let mut checksum = 0u64;
                while Instant::now() < deadline {
                    Python::attach(|py| {
                        let (tally, shared) = (tally.bind(py), shared.bind(py));
                        let key = format!("t{t}");
                        increment(tally, shared, &key);
                        // Private work, checked.
                        let n = rounds as i64 % 50;
                        let squares: Vec<i64> = py!([i * i for i in range(n)] as Vec<i64>).unwrap();
                        assert_eq!(squares.len() as i64, n);
                        let label: String = py!(f "{key}:{n:03d}" as String).unwrap();
                        assert_eq!(label, format!("t{t}:{n:03}"));
                        let add = py!(lambda a, b=t: a + b).unwrap();
                        assert_eq!(py!(add(n) as i64).unwrap(), n + t as i64);
                        // Rust work with the interpreter released.
                        checksum ^= py.detach(|| rust_work(rounds));
                    });
                    rounds += 1;
                }
                (rounds, checksum)
            })
        })
        .collect();
    let rounds: Vec<u64> = handles
        .into_iter()
        .map(|h| h.join().expect("no thread panicked").0)
        .collect();
    let total: u64 = rounds.iter().sum();
    Python::attach(|py| {
        assert_eq!(
            tally.borrow(py).count,
            total,
            "every increment of the shared struct counted"
        );
        let shared = shared.bind(py);
        for (t, n) in rounds.iter().enumerate() {
            let key = format!("t{t}");
            assert_eq!(py!(shared[key] as u64).unwrap(), *n);
        }
    });
    println!(
        "{THREADS} threads for {seconds} s: {total} rounds ({:?} per thread), shared totals exact",
        rounds
    );
    assert!(
        rounds.iter().all(|&n| n > 0),
        "every thread made progress: {rounds:?}"
    );
}

#[test]
fn a_detached_thread_lets_others_run_python() {
    watchdog(Duration::from_secs(120));
    let (sender, receiver) = mpsc::channel::<i64>();
    Python::attach(|py| {
        // While this thread is detached and waiting, another thread attaches and runs `py!`; if
        // `detach` kept the interpreter, the other thread could not attach and this would time
        // out.
        let got = py.detach(move || {
            let worker = std::thread::spawn(move || {
                Python::attach(|py| {
                    let value = py!(sum(range(10)) as i64).unwrap();
                    sender.send(value).unwrap();
                })
            });
            let got = receiver.recv_timeout(Duration::from_secs(30));
            worker.join().unwrap();
            got
        });
        assert_eq!(got, Ok(45));
    });
}
