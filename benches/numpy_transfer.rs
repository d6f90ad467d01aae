//! Benchmark: moving numbers between Rust and numpy, element by element (what `py!` does with a
//! plain `Vec<f64>`: a Python list of float objects) against rust-numpy (the `numpy` feature:
//! one memory copy), in one run. Needs numpy where pycall looks (`bash scripts/test.sh` makes
//! .venv; run with `VIRTUAL_ENV=.venv cargo bench --bench numpy_transfer`), then
//! `python3 benches/ratios.py` prints the ratios.

use criterion::{Criterion, criterion_group, criterion_main};
use pycall::numpy::{PyArray1, PyArrayMethods, ToPyArray};
use pycall::prelude::*;
use std::hint::black_box;
use std::time::Duration;

const N: usize = 100_000;

fn transfer(c: &mut Criterion) {
    Python::attach(|py| {
        pycall::environment(py).expect("pycall's environment");
        let np = py
            .import("numpy")
            .expect("numpy is installed where pycall looks");
        let values: Vec<f64> = (0..N).map(|i| i as f64 * 0.25).collect();
        let expected_sum: f64 = values.iter().sum();

        // Rust -> numpy array.
        let mut group = c.benchmark_group("numpy_in");
        group.bench_function("elementwise", |b| {
            b.iter(|| py!(np.asarray(values)).unwrap())
        });
        group.bench_function("rust_numpy", |b| {
            b.iter(|| black_box(&values).to_pyarray(py))
        });
        group.finish();

        // numpy array -> Rust Vec.
        let arr: Bound<'_, PyArray1<f64>> = values.to_pyarray(py);
        let mut group = c.benchmark_group("numpy_out");
        let via_list: Vec<f64> = py!(arr as Vec<f64>).unwrap();
        assert_eq!(via_list, values);
        assert_eq!(arr.readonly().as_slice().unwrap(), values.as_slice());
        group.bench_function("elementwise", |b| b.iter(|| py!(arr as Vec<f64>).unwrap()));
        group.bench_function("rust_numpy", |b| {
            b.iter(|| black_box(&arr).readonly().as_slice().unwrap().to_vec())
        });
        group.finish();

        // A reduction of Rust data in numpy, conversion included.
        let mut group = c.benchmark_group("numpy_sum");
        let check = |s: f64| assert!((s - expected_sum).abs() < 1e-6 * expected_sum);
        check(py!(float(np.sum(values)) as f64).unwrap());
        group.bench_function("elementwise", |b| {
            b.iter(|| py!(float(np.sum(values)) as f64).unwrap())
        });
        group.bench_function("rust_numpy", |b| {
            b.iter(|| {
                let a = black_box(&values).to_pyarray(py);
                py!(float(np.sum(a)) as f64).unwrap()
            })
        });
        group.finish();
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = transfer
}
criterion_main!(benches);
