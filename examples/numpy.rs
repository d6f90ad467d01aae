//! numpy from Rust: arrays from Rust data and back, a reduction, a linear solve.
//!
//! Run with numpy installed in the environment pycall finds, for example after
//! `bash scripts/test.sh`: `VIRTUAL_ENV=.venv cargo run --example numpy`.

use pycall::numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2, ToPyArray};
use pycall::prelude::*;

pycall::import!(numpy as np);

fn main() -> PyResult<()> {
    Python::attach(|py| {
        // pycall points the interpreter at the user's environment on its first use (a `py!`,
        // `import!`, `wrap!`); rust-numpy is called before any of them here, so ask first.
        pycall::environment(py)?;

        // Rust samples: one memory copy into a numpy array (`to_pyarray`), not one Python float
        // per element. A plain `Vec<f64>` used by name would arrive as a Python list instead.
        let samples: Vec<f64> = (0..1_000).map(|i| (i as f64 * 0.01).sin()).collect();
        let x = samples.to_pyarray(py);
        let (mean, std): (f64, f64) = py!((float(np.mean(x)), float(np.std(x))) as (f64, f64))?;
        println!("{} samples: mean {mean:.4}, std {std:.4}", samples.len());

        // numpy's result comes back as a read-only view of its buffer; copy it out if needed.
        let clipped: PyReadonlyArray1<f64> = py!(np.clip(x, -0.5, 0.5) as PyReadonlyArray1<f64>)?;
        let clipped = clipped.as_slice()?;
        assert!(clipped.iter().all(|v| (-0.5..=0.5).contains(v)));
        println!(
            "clipped max {:.2}",
            clipped.iter().cloned().fold(f64::MIN, f64::max)
        );

        // A linear system from Rust rows: 2a + b + c = 5, a + 3b + 2c = 10, a + c = 3.
        let rows = vec![
            vec![2.0, 1.0, 1.0],
            vec![1.0, 3.0, 2.0],
            vec![1.0, 0.0, 1.0],
        ];
        let rhs = [5.0, 10.0, 3.0].to_pyarray(py);
        let solution: Vec<f64> = py!(np.linalg.solve(np.array(rows), rhs).tolist() as Vec<f64>)?;
        println!(
            "solution: a = {:.3}, b = {:.3}, c = {:.3}",
            solution[0], solution[1], solution[2]
        );
        for (row, b) in rows.iter().zip([5.0, 10.0, 3.0]) {
            let lhs: f64 = row.iter().zip(&solution).map(|(a, x)| a * x).sum();
            assert!((lhs - b).abs() < 1e-9);
        }

        // A 2-D result as an ndarray view.
        let grid: PyReadonlyArray2<f64> =
            py!(np.outer(np.arange(3.0), np.arange(4.0)) as PyReadonlyArray2<f64>)?;
        let grid = grid.as_array();
        println!(
            "outer product shape {:?}, corner {}",
            grid.shape(),
            grid[[2, 3]]
        );
        assert_eq!(grid[[2, 3]], 6.0);

        // An array Rust allocates and numpy fills in place.
        let buffer = PyArray1::<f64>::zeros(py, 5, false);
        py!(np.cumsum(np.ones(5), out = buffer))?;
        assert_eq!(buffer.readonly().as_slice()?, [1.0, 2.0, 3.0, 4.0, 5.0]);
        Ok(())
    })
}
