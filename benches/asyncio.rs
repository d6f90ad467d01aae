//! Benchmark: one `await asyncio.sleep(0)` round trip from async Rust, three ways, in one run:
//!
//! - `py_macro`: `py!(await asyncio.sleep(0, 1))`, then awaited with
//!   `futures::executor::block_on` without the interpreter lock (pycall's background loop);
//! - `pyo3_async_runtimes`: the same through pyo3-async-runtimes used directly
//!   (`into_future_with_locals` on the same event loop);
//! - `cpython`: CPython awaiting `asyncio.sleep(0, 1)` in a loop of its own inside one
//!   coroutine, per await (`asyncio.run` on the benchmark's thread).
//!
//! The instruction counts of the same three are `benches/instructions.py await_roundtrip
//! await_roundtrip_pyo3_async_runtimes`.

use criterion::{Criterion, criterion_group, criterion_main};
use pycall::prelude::*;
use pycall::pyo3::types::PyDict;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn await_roundtrip(c: &mut Criterion) {
    Python::attach(|py| {
        let asyncio = py.import("asyncio").unwrap();
        let mut group = c.benchmark_group("await_roundtrip");

        let via_macro = || -> PyResult<i64> {
            let future = py!(await asyncio.sleep(0, 1) as i64)?;
            py.detach(|| futures::executor::block_on(future))
        };
        assert_eq!(via_macro().unwrap(), 1);
        group.bench_function("py_macro", |b| b.iter(|| black_box(via_macro().unwrap())));

        let locals = pycall::pyo3_async_runtimes::TaskLocals::new(pycall::event_loop(py).unwrap());
        let direct = || -> PyResult<i64> {
            let sleep = asyncio.call_method1(pycall::pyo3::intern!(py, "sleep"), (0, 1))?;
            let future = pycall::pyo3_async_runtimes::into_future_with_locals(&locals, sleep)?;
            let value = py.detach(|| futures::executor::block_on(future))?;
            value.extract(py)
        };
        assert_eq!(direct().unwrap(), 1);
        group.bench_function("pyo3_async_runtimes", |b| {
            b.iter(|| black_box(direct().unwrap()))
        });

        let namespace = PyDict::new(py);
        py.run(
            &std::ffi::CString::new(include_str!("await_roundtrip.py")).unwrap(),
            Some(&namespace),
            None,
        )
        .unwrap();
        let run = namespace.get_item("run").unwrap().unwrap();
        assert_eq!(run.call1((3,)).unwrap().extract::<u64>().unwrap(), 3);
        group.bench_function("cpython", |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                black_box(run.call1((iters,)).unwrap());
                start.elapsed()
            })
        });
        group.finish();
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = await_roundtrip
}
criterion_main!(benches);
