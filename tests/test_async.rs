//! Async Rust and asyncio (the `asyncio` feature): `py!(await …)` and `pycall::into_future`
//! awaited from tokio's multi-thread runtime and from `futures::executor::block_on`, and
//! `pycall::awaitable` awaited by Python. Each check runs on a thread of its own under a
//! watchdog, so a future that never completes fails the test instead of hanging it.

mod common;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pycall::prelude::*;
use pycall::pyo3::exceptions::{PyTypeError, PyValueError};

/// How long a check may take before it counts as hung (they take milliseconds).
const WATCHDOG: Duration = Duration::from_secs(120);

#[derive(Clone, Copy, Debug)]
enum Executor {
    Tokio,
    BlockOn,
}

const EXECUTORS: [Executor; 2] = [Executor::Tokio, Executor::BlockOn];

/// Runs the future made by `make` to completion on `executor`, on a new thread, and fails the
/// test if it has not completed within [`WATCHDOG`].
fn run<F, M>(executor: Executor, what: &str, make: M) -> F::Output
where
    M: FnOnce() -> F + Send + 'static,
    F: Future + 'static,
    F::Output: Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let output = match executor {
            Executor::Tokio => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(4)
                .enable_all()
                .build()
                .expect("a tokio runtime")
                .block_on(make()),
            Executor::BlockOn => futures::executor::block_on(make()),
        };
        let _ = tx.send(output);
    });
    match rx.recv_timeout(WATCHDOG) {
        Ok(output) => output,
        Err(_) => panic!("{what} ({executor:?}): no result within {WATCHDOG:?}"),
    }
}

/// Waits (without the interpreter lock, polling every millisecond) until `condition` holds;
/// fails the test after [`WATCHDOG`].
fn wait_until(what: &str, condition: impl Fn(Python<'_>) -> bool) {
    let start = std::time::Instant::now();
    while !Python::attach(|py| condition(py)) {
        assert!(
            start.elapsed() < WATCHDOG,
            "{what}: not within {WATCHDOG:?}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// 100 coroutines that each wait for an `asyncio.Event` set only once all 100 have started: a
/// sequential implementation never finishes, and the watchdog fails it.
#[test]
fn a_hundred_coroutines_run_concurrently() {
    for executor in EXECUTORS {
        let worker = Python::attach(|py| {
            py! {
                import asyncio;
                state = {"started": 0, "event": None};
                async def worker(i, n) {
                    if state["event"] is None { state["event"] = asyncio.Event() }
                    state["started"] += 1;
                    if state["started"] == n { state["event"].set() }
                    await state["event"].wait();
                    return i * 2
                }
                worker
            }
            .map(Bound::unbind)
        })
        .unwrap();
        let results = run(executor, "100 concurrent coroutines", move || {
            let futures: Vec<_> = (0..100i64)
                .map(|i| Python::attach(|py| py!(await worker(i, 100) as i64)).unwrap())
                .collect();
            futures::future::join_all(futures)
        });
        let results: Vec<i64> = results.into_iter().map(Result::unwrap).collect();
        assert_eq!(results, (0..100).map(|i| i * 2).collect::<Vec<_>>());
    }
}

#[test]
fn results_come_back_typed() {
    for executor in EXECUTORS {
        let (numbers, text, any) = run(executor, "typed results", || async {
            let numbers = Python::attach(
                |py| py!(await __import__("asyncio").sleep(0, [1, 2, 3]) as Vec<i64>),
            )
            .unwrap()
            .await
            .unwrap();
            let text = Python::attach(|py| {
                py! {
                    import asyncio;
                    async def greet(name) { await asyncio.sleep(0); return f "hello {name}" }
                    await greet("world") as String
                }
            })
            .unwrap()
            .await
            .unwrap();
            let any = Python::attach(|py| -> PyResult<_> {
                let coroutine = py.import("asyncio")?.call_method1("sleep", (0, 7.5))?;
                pycall::into_future(&coroutine)
            })
            .unwrap()
            .await
            .unwrap();
            (numbers, text, any)
        });
        assert_eq!(numbers, [1, 2, 3]);
        assert_eq!(text, "hello world");
        assert_eq!(Python::attach(|py| any.extract::<f64>(py)).unwrap(), 7.5);
    }
}

#[test]
fn exceptions_keep_their_type_and_the_note() {
    for executor in EXECUTORS {
        let (raised, conversion) = run(executor, "exceptions", || async {
            let raised = Python::attach(|py| {
                py! {
                    import asyncio;
                    async def fails(x) { await asyncio.sleep(0); raise ValueError(f "bad {x}") }
                    await fails(1)
                }
            })
            .unwrap()
            .await
            .unwrap_err();
            let conversion =
                Python::attach(|py| py!(await __import__("asyncio").sleep(0, "x") as i64))
                    .unwrap()
                    .await
                    .unwrap_err();
            (raised, conversion)
        });
        Python::attach(|py| {
            assert!(raised.is_instance_of::<PyValueError>(py), "{raised}");
            assert_eq!(raised.value(py).to_string(), "bad 1");
            let notes = common::notes(py, &raised);
            assert!(
                notes
                    .iter()
                    .any(|n| n.starts_with("in py!({ 2 statements; await fails(1) })")),
                "{notes:?}"
            );
            assert!(conversion.is_instance_of::<PyTypeError>(py), "{conversion}");
            let notes = common::notes(py, &conversion);
            assert!(
                notes.iter().any(|n| n
                    .starts_with(r#"in py!(await __import__("asyncio").sleep(0, "x")) at"#)
                    && n.ends_with("does not convert to the Rust type `i64`")),
                "{notes:?}"
            );
        });
    }
}

#[test]
fn an_error_before_the_await_is_returned_at_once() {
    Python::attach(|py| {
        let err = py!(await (1 / 0)).err().expect("an error");
        assert!(err.is_instance_of::<pycall::pyo3::exceptions::PyZeroDivisionError>(py));
        // Not awaitable: asyncio's own TypeError, when the future is awaited.
        let future = py!(await 42).unwrap();
        let err = py
            .detach(|| futures::executor::block_on(future))
            .unwrap_err();
        assert!(err.is_instance_of::<PyTypeError>(py), "{err}");
        assert!(
            common::notes(py, &err)
                .iter()
                .any(|n| n.starts_with("in py!(await 42)"))
        );
    });
}

/// Blocking on the future while attached would deadlock (the loop's thread needs the
/// interpreter): it is an error instead.
#[test]
fn awaiting_while_attached_is_an_error_not_a_deadlock() {
    Python::attach(|py| {
        let future = py!(await __import__("asyncio").sleep(0.01)).unwrap();
        let err = futures::executor::block_on(future).unwrap_err();
        assert!(
            err.is_instance_of::<pycall::pyo3::exceptions::PyRuntimeError>(py),
            "{err}"
        );
        assert!(err.to_string().contains("py.detach"), "{err}");
    });
}

/// Rust called by asyncio code that blocks on a `py!(await …)` would block the very loop that
/// must run it: an error too.
#[test]
fn blocking_the_loops_own_thread_is_an_error_not_a_deadlock() {
    Python::attach(|py| {
        let blocker = pycall::try_callback(py, |(coroutine,): (Py<PyAny>,)| -> PyResult<String> {
            Python::attach(|py| {
                let future = py!(await coroutine)?;
                Ok(match py.detach(|| futures::executor::block_on(future)) {
                    Ok(_) => "completed".to_owned(),
                    Err(err) => err.to_string(),
                })
            })
        })
        .unwrap();
        let said = py! {
            import asyncio;
            async def main() { return blocker(asyncio.sleep(0)) }
            asyncio.run(main()) as String
        }
        .unwrap();
        assert!(said.contains("which blocks the loop"), "{said}");

        // A future made on another thread, blocked on by Rust called on pycall's loop.
        let made_here =
            std::sync::Mutex::new(Some(py!(await __import__("asyncio").sleep(0.01)).unwrap()));
        let blocker = pycall::try_callback(py, move |(_unused,): (i64,)| -> PyResult<String> {
            let future = made_here.lock().unwrap().take().expect("called once");
            Python::attach(|py| {
                Ok(match py.detach(|| futures::executor::block_on(future)) {
                    Ok(_) => "completed".to_owned(),
                    Err(err) => err.to_string(),
                })
            })
        })
        .unwrap();
        let said = py! {
            async def main() { return blocker(0) }
            await main() as String
        }
        .unwrap();
        let said = py.detach(|| futures::executor::block_on(said)).unwrap();
        assert!(said.contains("which blocks the loop"), "{said}");
    });
}

/// A Python coroutine awaits a Rust future, which awaits a Python coroutine in turn.
#[test]
fn python_awaits_rust_that_awaits_python() {
    for executor in EXECUTORS {
        let value = run(executor, "Python → Rust → Python", || async {
            let (inner, outer) = Python::attach(|py| {
                let (inner, outer): (Py<PyAny>, Py<PyAny>) = py! {
                    import asyncio;
                    async def inner(x) { await asyncio.sleep(0); return x + 1 }
                    async def outer(awaitable) { return 2 * await awaitable }
                    (inner, outer) as (Py<PyAny>, Py<PyAny>)
                }
                .unwrap();
                (inner, outer)
            });
            let rust = async move {
                let future = Python::attach(|py| py!(await inner(20) as i64))?;
                Ok(future.await? * 10)
            };
            Python::attach(|py| {
                let rust = pycall::awaitable(py, rust)?;
                py!(await outer(rust) as i64)
            })
            .unwrap()
            .await
            .unwrap()
        });
        assert_eq!(value, 420);
    }
}

/// Dropping the Rust future cancels the Python task: `CancelledError` at its `await`, its
/// `finally` run. Dropped before it started, the coroutine is closed without running.
#[test]
fn dropping_the_rust_future_cancels_the_task() {
    for executor in EXECUTORS {
        let (log, slow) = Python::attach(|py| {
            let (log, slow): (Py<PyAny>, Py<PyAny>) = py! {
                import asyncio;
                log = [];
                async def slow() {
                    try { log.append("start"); await asyncio.sleep(3600) }
                    except asyncio.CancelledError { log.append("cancelled"); raise }
                    finally { log.append("finally") }
                }
                (log, slow) as (Py<PyAny>, Py<PyAny>)
            }
            .unwrap();
            (log, slow)
        });
        let (log_for_run, slow_for_run) =
            Python::attach(|py| (log.clone_ref(py), slow.clone_ref(py)));
        run(executor, "drop after start", move || async move {
            let slow = slow_for_run;
            let future = Python::attach(|py| py!(await slow())).unwrap();
            let mut future = Box::pin(future);
            // Polled until the task has started (the log says so), then dropped.
            loop {
                let started = Python::attach(|py| py!("start" in log_for_run as bool).unwrap());
                if started {
                    break;
                }
                let poll = futures::poll!(future.as_mut());
                assert!(poll.is_pending(), "a sleep of an hour finished");
                std::thread::sleep(Duration::from_millis(1));
            }
            drop(future);
        });
        wait_until("the cancelled task's finally", |py| {
            py!("finally" in log as bool).unwrap()
        });
        Python::attach(|py| {
            let entries: Vec<String> = log.extract(py).unwrap();
            assert_eq!(entries, ["start", "cancelled", "finally"], "{executor:?}");
        });

        // Dropped at once: the task may not have started; either way the coroutine ends
        // (closed, or cancelled) rather than being left suspended or unawaited. (CPython's own
        // coroutine, whose `cr_frame` is `None` once it has ended.)
        let coroutine =
            Python::attach(|py| py!(__import__("asyncio").sleep(3600)).unwrap().unbind());
        let future = Python::attach(|py| py!(await coroutine)).unwrap();
        drop(future);
        wait_until("the dropped coroutine's end", |py| {
            py!(coroutine.cr_frame is None as bool).unwrap()
        });
    }
}

/// Cancelling the Python side drops the Rust future (seen through a drop guard).
#[test]
fn cancelling_the_python_awaitable_drops_the_rust_future() {
    struct Guard(Arc<AtomicBool>);
    impl Drop for Guard {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }
    for executor in EXECUTORS {
        let dropped = Arc::new(AtomicBool::new(false));
        let guard = Guard(dropped.clone());
        let outcome = run(executor, "Python cancels", move || async move {
            let rust = async move {
                let _guard = guard;
                futures::future::pending::<()>().await;
                Ok(())
            };
            Python::attach(|py| {
                let rust = pycall::awaitable(py, rust)?;
                py! {
                    import asyncio;
                    async def cancel_it(awaitable) {
                        task = asyncio.ensure_future(awaitable);
                        await asyncio.sleep(0);
                        task.cancel();
                        try { await task } except asyncio.CancelledError { return "cancelled" }
                        return "not cancelled"
                    }
                    await cancel_it(rust) as String
                }
            })
            .unwrap()
            .await
            .unwrap()
        });
        assert_eq!(outcome, "cancelled");
        wait_until("the Rust future's drop", |_| dropped.load(Ordering::SeqCst));
    }
}

/// Errors and values of a Rust future reach the Python code awaiting it.
#[test]
fn rust_futures_give_python_values_and_errors() {
    let (value, error) = run(Executor::Tokio, "Rust future results", || async {
        let value = Python::attach(|py| {
            let rust = pycall::awaitable(py, async {
                tokio::time::sleep(Duration::from_millis(1)).await;
                Ok(vec![1u8, 2, 3])
            })?;
            py!(await rust as Vec<u8>)
        })
        .unwrap()
        .await
        .unwrap();
        let error = Python::attach(|py| {
            let rust = pycall::awaitable(py, async {
                Err::<(), _>(PyValueError::new_err("from Rust"))
            })?;
            py! {
                async def catch(awaitable) {
                    try { await awaitable } except ValueError as e { return f "caught {e}" }
                }
                await catch(rust) as String
            }
        })
        .unwrap()
        .await
        .unwrap();
        (value, error)
    });
    assert_eq!(value, [1, 2, 3]);
    assert_eq!(error, "caught from Rust");
}

/// Eight threads, each with its own executor, await Python at the same time.
#[test]
fn eight_threads_await_at_once() {
    let barrier = Arc::new(std::sync::Barrier::new(8));
    let threads: Vec<_> = (0..8i64)
        .map(|t| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let executor = EXECUTORS[t as usize % 2];
                run(executor, "eight threads", move || async move {
                    barrier.wait();
                    let mut total = 0;
                    for i in 0..50i64 {
                        total += Python::attach(
                            |py| py!(await __import__("asyncio").sleep(0, t * 1000 + i) as i64),
                        )
                        .unwrap()
                        .await
                        .unwrap();
                    }
                    total
                })
            })
        })
        .collect();
    for (t, thread) in threads.into_iter().enumerate() {
        let t = t as i64;
        assert_eq!(
            thread.join().unwrap(),
            (0..50).map(|i| t * 1000 + i).sum::<i64>()
        );
    }
}

/// The loop pycall uses: its own, running on a background thread, unless one runs on the
/// calling thread.
#[test]
fn the_event_loop_is_pycalls_or_the_running_one() {
    Python::attach(|py| {
        let default = pycall::event_loop(py).unwrap();
        assert!(py!(default.is_running() as bool).unwrap());
        // Code running on a loop gets that loop.
        let same = py! {
            import asyncio;
            async def which() { return asyncio.get_running_loop() }
            await which()
        }
        .unwrap();
        let seen = py.detach(|| futures::executor::block_on(same)).unwrap();
        assert!(seen.bind(py).is(&default));
        let err = pycall::use_event_loop(&py!(None).unwrap()).unwrap_err();
        assert!(err.is_instance_of::<PyTypeError>(py), "{err}");
    });
}

/// A loop the user runs (here on a thread of the test's own) replaces pycall's: checked in a
/// child process (this test binary run again for `own_loop_child`), so that the other tests
/// keep the default.
#[test]
fn a_loop_of_your_own() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "own_loop_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("PYCALL_OWN_LOOP_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("own loop: ok"),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn own_loop_child() {
    if std::env::var_os("PYCALL_OWN_LOOP_CHILD").is_none() {
        return;
    }
    let mine = Python::attach(|py| {
        let mine = py!(__import__("asyncio").new_event_loop()).unwrap();
        pycall::use_event_loop(&mine).unwrap();
        mine.unbind()
    });
    let runner = {
        let mine = Python::attach(|py| mine.clone_ref(py));
        std::thread::spawn(move || Python::attach(|py| py!(mine.run_forever()).map(drop)))
    };
    let seen = run(Executor::Tokio, "own loop", || async {
        Python::attach(|py| {
            py! {
                import asyncio;
                async def which() { await asyncio.sleep(0); return asyncio.get_running_loop() }
                await which()
            }
        })
        .unwrap()
        .await
        .unwrap()
    });
    Python::attach(|py| {
        assert!(seen.bind(py).is(mine.bind(py)));
        py!(mine.call_soon_threadsafe(mine.stop)).unwrap();
    });
    runner.join().unwrap().unwrap();
    println!("own loop: ok");
}
